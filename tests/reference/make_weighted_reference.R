# Reference numbers for weighted logit and probit (importance weights, e.g. CEM weights).
#
# Run from this folder:   Rscript make_weighted_reference.R   (part of `make reference`)
# Needs: R with sandwich (base R writes the JSON).
# Input:  sim_dyadic.csv (see make_reference.R). Weights: w = (row index mod 5) / 2 for the
#         rows in file order (row 1 has index 1), so every fifth row has weight 0 (excluded,
#         as Stata excludes rows of weight 0) and the others weigh 0.5, 1, 1.5, 2.
# Output: weighted_reference.json -- glm estimates (epsilon 1e-15), the weighted
#         log-likelihood sum(w * l_i), the classical covariance (inverse weighted information:
#         for logit the Hessian; for probit R's expected information), and the cluster-robust
#         covariance by directed dyad (sandwich::vcovCL, type HC0, factor G/(G-1)) computed on
#         the weighted scores. 15 significant digits.
suppressPackageStartupMessages(library(sandwich))
ctrl <- glm.control(epsilon = 1e-15, maxit = 200)
d <- read.csv("sim_dyadic.csv")
d$w <- ((seq_len(nrow(d))) %% 5) / 2
d <- d[d$w > 0, ]
d$ddyad <- paste(d$ccode1, d$ccode2)
f <- y ~ capprop + contig + ldist + defpact + trade
num <- function(x) paste(formatC(x, digits = 15, format = "g"), collapse = ", ")
mat <- function(m) paste0("[", paste(apply(m, 1, function(r) paste0("[", num(r), "]")), collapse = ", "), "]")
parts <- c()
for (link in c("logit", "probit")) {
  m <- suppressWarnings(glm(f, data = d, family = binomial(link), weights = w, control = ctrl))
  mu <- fitted(m)
  llf <- sum(d$w * (d$y * log(mu) + (1 - d$y) * log(1 - mu)))
  V <- as.matrix(vcov(m))
  VC <- as.matrix(vcovCL(m, cluster = ~ddyad, type = "HC0", cadjust = TRUE))
  parts <- c(parts, sprintf(
    '"%s": {"names": [%s], "params": [%s], "llf": %s, "nobs": %d, "cov": %s, "cov_cluster": %s}',
    link, paste0('"', names(coef(m)), '"', collapse = ", "), num(coef(m)), num(llf), nrow(d),
    mat(V), mat(VC)))
}
writeLines(paste0("{\n", paste(parts, collapse = ",\n"), "\n}"), "weighted_reference.json")
