"""Readers for the authors' alliance-reliability data: Leeds & Anac (2005), Berkemeier & Fuhrmann (2018).

Both files are Stata ``.dta`` files with one row per *performance opportunity* (an alliance
invoked by a war). Neither file carries Stata value labels (checked on every read: a file with
value labels is refused, because the codes documented here would then need checking against
them); the codes below come from the Berkemeier & Fuhrmann codebook (``Codebook2018_0326.pdf``,
registered beside the data) and from Leeds & Anac (2005).

Indicators that the authors store as "1 or missing" (the ``honor``/``violate``/``dna`` families of
Berkemeier & Fuhrmann) become booleans (1 -> True, missing -> False); any other value is a
:class:`~foedus.data.SchemaError`. Indicators stored as 0/1 with missing values stay nullable
integers (``Int8``), so that "not coded" is not confused with 0.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers._base import (check_rows, check_unique, file_lines, load, registered,
                                       require_columns, to_int, to_str)
from foedus.data.registry import DataFile

#: Berkemeier & Fuhrmann's two codings: "LLM" replicates Leeds, Long & Mitchell's (2000)
#: procedures, "BF" is the authors' alternative scheme (codebook p. 1; appendix).
CODINGS = ("LLM", "BF")
#: Outcome categories coded once per coding (codebook): nonagg, consul, cfna make up dna.
BF_CATEGORIES = ("nonagg", "consul", "cfna", "dna", "honor", "violate")
#: Obligations of the alliance (ATOP provisions, "(max)" over members in the authors' file).
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


def _read_dta(path: Path, f: DataFile) -> pd.DataFrame:
    try:
        with pd.io.stata.StataReader(path) as reader:
            frame = reader.read(convert_categoricals=False)
            labels = reader.value_labels()
    except (ValueError, OSError) as err:
        raise SchemaError(f.relpath, f"cannot be read as a Stata file: {err}") from err
    if labels:
        raise SchemaError(f.relpath, f"the file carries value labels ({', '.join(sorted(labels))}), "
                                     "which the published file does not",
                          hint="This reader documents the published codes; check the labels "
                               "against them before reading a relabelled copy.")
    return frame


def _flag(raw: pd.DataFrame, column: str, f: DataFile) -> pd.Series:
    """A "1 or missing" indicator as bool (1 -> True, missing -> False)."""
    s = pd.to_numeric(raw[column], errors="coerce")
    bad = s.notna() & (s != 1)
    if bad.any():
        raise SchemaError(f.relpath, "expected 1 or missing", column=column, rows=file_lines(raw, bad))
    return s.eq(1).astype(bool)


# --------------------------------------------------------------------------- Berkemeier & Fuhrmann


def _parse_bf(path: Path, f: DataFile) -> pd.DataFrame:
    raw = _read_dta(path, f)
    flags = [f"{c}{k}" for k in CODINGS for c in BF_CATEGORIES]
    require_columns(raw, ["sample", "warid", "atopid", "cowwarid", "warname", "cowid", "multilateral",
                          "sabhon", "sabvio", *flags, "sabroskyhonorbf", "sabroskyhonorllm",
                          *OBLIGATIONS], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "warid": to_int(raw, "warid", "int16", f, nullable=False, lo=1),
        "atopid": to_int(raw, "atopid", "int16", f, nullable=False, lo=1000),
        "cowwarid": to_int(raw, "cowwarid", "Int16", f, lo=1),
        "warname": to_str(raw, "warname"),
        "cowid": to_int(raw, "cowid", "Int16", f, lo=1),
        "sample": to_int(raw, "sample", "int8", f, nullable=False, lo=0, hi=1),
        "multilateral": to_int(raw, "multilateral", "int8", f, nullable=False, lo=0, hi=1),
        "sabhon": to_int(raw, "sabhon", "Int8", f, lo=0, hi=1),
        "sabvio": to_int(raw, "sabvio", "Int8", f, lo=0, hi=1),
    })
    for c in flags:
        out[c] = _flag(raw, c, f)
    for k in CODINGS:
        out[f"sabroskyhonor{k}"] = _flag(raw, f"sabroskyhonor{k.lower()}", f)
    for c in OBLIGATIONS:
        out[c] = to_int(raw, c, "int8", f, nullable=False, lo=0, hi=1)
    for k in CODINGS:
        # The codebook's outcome is a partition: every opportunity is exactly one of dna, honor,
        # violate; dna is the union of nonagg, consul and cfna.
        n = out[f"dna{k}"].astype(int) + out[f"honor{k}"].astype(int) + out[f"violate{k}"].astype(int)
        if (n != 1).any():
            raise SchemaError(f.relpath, f"dna{k}, honor{k}, violate{k} are not exactly one per row",
                              column=f"dna{k}", rows=file_lines(out, n != 1))
        union = out[f"nonagg{k}"] | out[f"consul{k}"] | out[f"cfna{k}"]
        if (union & ~out[f"dna{k}"]).any():
            raise SchemaError(f.relpath, f"nonagg/consul/cfna{k} coded on a row that is not dna{k}",
                              column=f"dna{k}", rows=file_lines(out, union & ~out[f"dna{k}"]))
    # sabhon and sabvio are coded on the same rows, and exactly one of them is 1 there.
    bad = (out["sabhon"].notna() != out["sabvio"].notna()) | (out["sabhon"] + out["sabvio"]).ne(1).fillna(False)
    if bad.any():
        raise SchemaError(f.relpath, "sabhon and sabvio are not complementary", column="sabhon",
                          rows=file_lines(out, bad))
    check_unique(out, ["atopid", "warid"], f)
    return out


def read_berkemeier_fuhrmann_2018() -> pd.DataFrame:
    """Berkemeier & Fuhrmann (2018) performance opportunities (``BerkemeierFuhrmannRAP2018_0303.dta``).

    One row per alliance invoked by a war, 1816-2003 (576 rows); key (``atopid``, ``warid``).

    Returns
    -------
    pandas.DataFrame
        ================= ======= ==========================================================
        warid             int16   war number of the Interstate War Data (IWD) 1.1 (Reiter,
                                  Stam & Horowitz 2016)
        atopid            int16   ATOP alliance id (ATOP 3.0)
        cowwarid          Int16   COW inter-state war number (v4), NA for 5 IWD wars COW
                                  does not list
        warname           string  war name (IWD)
        cowid             Int16   COW alliance id, NA where ATOP has none
        sample            int8    1 = the opportunity lies in Leeds, Long & Mitchell's
                                  (2000) coverage (alliances formed and wars begun before
                                  1945); not described in the codebook, see the study docs
        multilateral      int8    1 = more than two members
        sabhon, sabvio    Int8    multilateral alliances only (NA otherwise): at least one
                                  member honors and none fights an ally / the opposite
        <cat>LLM, <cat>BF bool    per coding (LLM = Leeds, Long & Mitchell's procedures,
                                  BF = the authors' scheme), <cat> one of: ``nonagg``
                                  (non-aggression pact, allies did not fight each other),
                                  ``consul`` (consultation pact), ``cfna`` (casus foederis
                                  not met), ``dna`` (not a case of performance: union of the
                                  three), ``honor``, ``violate``; exactly one of dna, honor,
                                  violate per row (checked)
        sabroskyhonorLLM  bool    honor, or (multilateral) sabhon: the lenient multilateral
        sabroskyhonorBF           standard (file names ``sabroskyhonorllm``/``...bf``)
        defense ... consul int8   the alliance's obligations (ATOP), 0/1: ``defense``,
                                  ``offense``, ``neutral``, ``nonagg``, ``consul``
        ================= ======= ==========================================================
    """
    f = registered("berkemeier-fuhrmann-2018", "rep", "BerkemeierFuhrmannRAP2018_0303.dta")
    return load("berkemeier_fuhrmann_2018", 1, f, _parse_bf)


# --------------------------------------------------------------------------- Leeds & Anac

#: Leeds & Anac's binary columns (0/1, complete).
LA_BINARY = ("honor3", "honor2", "chcap2d", "chalcapd", "chcp2d20", "dinstch2", "regch2", "origtar1",
             "wartime", "active", "bilat")


def _parse_la(path: Path, f: DataFile) -> pd.DataFrame:
    raw = _read_dta(path, f)
    require_columns(raw, ["war", "atopid", "ccode1", "milinst", "formal", *LA_BINARY], f)
    check_rows(raw, f)
    out = pd.DataFrame({
        "war": to_int(raw, "war", "int16", f, nullable=False, lo=1),
        "atopid": to_int(raw, "atopid", "int16", f, nullable=False, lo=1000),
        "ccode1": to_int(raw, "ccode1", "int16", f, nullable=False, lo=1, hi=999),
    })
    for c in ("honor3", "milinst", "formal", "chcap2d", "dinstch2", "origtar1", "honor2", "chalcapd",
              "chcp2d20", "regch2", "wartime", "active", "bilat"):
        hi = 2 if c in ("milinst", "formal") else 1
        out[c] = to_int(raw, c, "int8", f, nullable=False, lo=0, hi=hi)
    check_unique(out, ["war", "atopid", "ccode1"], f)
    return out


def read_leeds_anac_2005() -> pd.DataFrame:
    """Leeds & Anac (2005) performance opportunities (``LeedsAnacIIrep.dta``), 137 rows.

    One row per alliance member (``ccode1``) whose alliance (``atopid``) was invoked by a war
    (``war``), 1816-1989 (alliances formed 1815-1989, ATOP); key (war, atopid, ccode1).

    Returns
    -------
    pandas.DataFrame
        All columns int (complete; the file has no missing values, checked), names as published:

        ======== ===== ===============================================================
        war      int16 COW inter-state war number
        atopid   int16 ATOP alliance id
        ccode1   int16 COW state number of the ally whose behaviour is coded
        honor3   int8  1 = the ally honored its commitment (the authors' main coding)
        honor2   int8  1 = honored, alternative coding (robustness check)
        milinst  int8  peacetime military institutionalization, 0 (none) - 2 (high)
        formal   int8  formality of the alliance, 0 - 2 (higher = more formal)
        chcap2d  int8  1 = a large change in the ally's capabilities since formation
        chalcapd int8  alternative capability-change indicator (robustness check)
        chcp2d20 int8  capability change with a 20 % threshold (robustness check)
        dinstch2 int8  1 = a change in the ally's domestic policymaking institutions
        regch2   int8  alternative regime-change indicator
        origtar1 int8  1 = the war's opponent is the alliance's original target
        wartime  int8  1 = the alliance was formed during a war
        active   int8  1 = the commitment called for active support (defense/offense)
        bilat    int8  1 = bilateral alliance
        ======== ===== ===============================================================

        The file's own labels are "(max) <name>" (aggregated by the authors with Stata
        ``collapse (max)``); the descriptions follow Leeds & Anac (2005) and Leeds (2003, IO),
        whose definitions (thresholds, levels) the article gives.
    """
    f = registered("leeds-anac-2005", "rep", "LeedsAnacIIrep.dta")
    return load("leeds_anac_2005", 1, f, _parse_la)


__all__ = ["read_berkemeier_fuhrmann_2018", "read_leeds_anac_2005"]
