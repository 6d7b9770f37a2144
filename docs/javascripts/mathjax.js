// MathJax 2.7 (bundled into the site by docs/hooks/foedus_docs.py, so math renders offline) for
// pymdownx.arithmatex in generic mode: \( ... \) inline, \[ ... \] display, only inside the
// elements arithmatex marks.
window.MathJax = {
  config: ["TeX-AMS-MML_HTMLorMML-full.js"],
  tex2jax: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true,
             processClass: "arithmatex", ignoreClass: ".*" },
  // the bundle ships the STIX-Web fonts (not MathJax's TeX fonts)
  "HTML-CSS": { availableFonts: ["STIX-Web"], preferredFont: "STIX-Web", webFont: "STIX-Web",
                // no automatic line breaks: MathJax measures a table cell before the table is laid
                // out and broke each formula of the methods page's covariance table at every
                // operator; a long display equation scrolls instead
                imageFont: null, linebreaks: { automatic: false } },
  showMathMenu: false,
  messageStyle: "none",
};
// mkdocs-material's instant navigation swaps pages without reloading: typeset each new page
if (typeof document$ !== "undefined") {
  document$.subscribe(() => { if (window.MathJax && MathJax.Hub) MathJax.Hub.Queue(["Typeset", MathJax.Hub]); });
}
