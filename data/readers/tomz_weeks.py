"""Reader for Tomz & Weeks (2021), Study 1: the authors' extract of their April 2017 YouGov survey.

``2017-04-YouGov-extracted.dta`` (Stata 14+ format, one row per respondent) is the input of the
authors' ``2017-04-YouGov-prepdata.do``. The file stores every answer as a numeric code with a
Stata value label. The reader keeps the codes (the do-file recodes them by number), checks each
column against the codes its label documents (:data:`VALUE_LABELS`, verified against the labels
stored in the file), and turns the survey's non-response codes ("skipped", "not asked") into NA;
the published extract has none of them. The preparation itself is
:mod:`foedus.data.tomz_weeks_2021`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from foedus.data.errors import SchemaError
from foedus.data.readers._base import file_lines, load, registered, require_columns, to_float, to_int
from foedus.data.registry import DataFile

FILE = "2017-04-YouGov-extracted.dta"
#: Respondents in Study 1 (Tomz & Weeks 2021, "Study 1"; the extract has one row for each).
RESPONDENTS = 1200

_AGREE = {1: "Disagree strongly", 2: "Disagree somewhat", 3: "Neither agree nor disagree",
          4: "Agree somewhat", 5: "Agree strongly"}
_REGION = {1: "Africa", 2: "Asia", 3: "Eastern Europe", 4: "South America"}

#: Substantive codes of each labelled column, as the value labels of the file define them (the
#: treatments' long labels are abridged: the file's own label is named in the comment).
VALUE_LABELS: dict[str, dict[int, str]] = {
    # label alliance_cond: whether the invaded country has a military alliance with the U.S.
    "alliance": {1: "Does not have a military alliance with the U.S.",
                 2: "Has a written military alliance with the U.S."},
    "regime": {1: "Not a democracy", 2: "Democracy"},
    # label interests: what an attacker's success would do to U.S. security and economy
    "stakes": {1: "Would weaken U.S. military security and hurt the U.S. economy",
               2: "Would neither weaken U.S. military security nor hurt the U.S. economy"},
    "costs": {1: "The military operation would be very costly to the United States",
              2: "The military operation would not be very costly to the United States"},
    "region": _REGION,
    "pref": {1: "Oppose strongly", 2: "Oppose somewhat", 3: "Neither favor nor oppose",
             4: "Favor somewhat", 5: "Favor strongly"},
    "r_hm": _AGREE, "r_hn": _AGREE, "m_oblig": _AGREE,
    "mck_alliance": {1: "Did not have a military alliance with the U.S",
                     2: "Had a written military alliance with the U.S."},
    "mck_regime": {1: "A democracy", 2: "Not a democracy"},  # note: reversed relative to regime
    "mck_stakes": {1: "This would weaken U.S. military security and hurt the U.S. economy.",
                   2: "This would neither weaken U.S. military security nor hurt the U.S. economy."},
    "mck_costs": {1: "But the military operation would be very costly to the United States.",
                  2: "And the military operation would not be very costly to the United States."},
    "mck_region": _REGION,
    "hawk": _AGREE, "intl": _AGREE, "nat1": _AGREE, "nat2": _AGREE,
    "pid7": {1: "Strong Democrat", 2: "Not very strong Democrat", 3: "Lean Democrat", 4: "Independent",
             5: "Lean Republican", 6: "Not very strong Republican", 7: "Strong Republican", 8: "Not sure"},
    "newsint": {1: "Most of the time", 2: "Some of the time", 3: "Only now and then", 4: "Hardly at all",
                7: "Don't know"},
    "gender": {1: "Male", 2: "Female"},
    "race": {1: "White", 2: "Black or African American", 3: "Hispanic or Latino", 4: "Asian",
             5: "Native American", 6: "Mixed", 7: "Other", 8: "Middle Eastern"},
    "educ": {1: "No HS", 2: "High school graduate", 3: "Some college", 4: "2-year", 5: "4-year",
             6: "Post-grad"},
}

#: Non-response codes ("skipped", "not asked") of each label: NA in the frame. 8 is a substantive
#: code of ``pid7`` and ``race``, whose labels use 98/99 instead.
NONRESPONSE = {c: (98, 99) if c in ("pid7", "race") else (32766, 32767) if c == "costs" else (8, 9)
               for c in VALUE_LABELS}
# the two treatments whose labels carry no non-response codes
NONRESPONSE.update({"alliance": (), "stakes": ()})

COLUMNS = ["starttime", *VALUE_LABELS, "birthyr", "weight"]


def _check_labels(stored: dict[str, dict], f: DataFile) -> None:
    """The file's own labels must give the codes documented here (else it is another file)."""
    for column, codes in VALUE_LABELS.items():
        label = _LABEL_NAMES.get(column, column)
        found = {int(k) for k in stored.get(label, {})}
        expected = set(codes) | set(NONRESPONSE[column])
        if found != expected:
            raise SchemaError(f.relpath, f"value label {label!r} defines codes {sorted(found)}, "
                              f"expected {sorted(expected)}", column=column,
                              hint="This is not the authors' extract (or another release of it).")


# value labels whose name differs from their column's
_LABEL_NAMES = {"alliance": "alliance_cond", "stakes": "interests", "mck_stakes": "mck_interests"}


def _parse(path: Path, f: DataFile) -> pd.DataFrame:
    try:
        with pd.io.stata.StataReader(path) as reader:
            raw = reader.read(convert_categoricals=False)
            stored = reader.value_labels()
    except (ValueError, OSError) as err:
        raise SchemaError(f.relpath, f"cannot be read as a Stata file: {err}") from err
    require_columns(raw, COLUMNS, f)
    if len(raw) != RESPONDENTS:
        raise SchemaError(f.relpath, f"expected {RESPONDENTS} respondents, found {len(raw)}")
    _check_labels(stored, f)
    out = pd.DataFrame({"starttime": pd.to_datetime(raw["starttime"]).astype("datetime64[ns]")})
    if out["starttime"].isna().any():
        raise SchemaError(f.relpath, "missing start time", column="starttime",
                          rows=file_lines(out, out["starttime"].isna()))
    for column, codes in VALUE_LABELS.items():
        s = to_int(raw, column, "Int8", f, na_codes=NONRESPONSE[column])
        bad = s.notna() & ~s.isin(list(codes))
        if bad.any():
            raise SchemaError(f.relpath, f"codes outside the value label ({sorted(codes)})", column=column,
                              rows=file_lines(raw, bad.to_numpy()))
        out[column] = s
    out["birthyr"] = to_int(raw, "birthyr", "int16", f, nullable=False, lo=1900, hi=2000)
    out["weight"] = to_float(raw, "weight", f, lo=0.0)
    if (out["weight"] <= 0).any() or out["weight"].isna().any():
        raise SchemaError(f.relpath, "survey weights must be positive", column="weight",
                          rows=file_lines(out, ~(out["weight"] > 0)))
    out.insert(0, "respondent", np.arange(1, len(out) + 1, dtype=np.int16))
    return out


def read_tomz_weeks_2021() -> pd.DataFrame:
    """Tomz & Weeks (2021) Study 1 respondents, as coded in the authors' extract.

    Returns
    -------
    pandas.DataFrame
        1,200 rows, one per respondent, in the file's order:

        ============ ============== ===============================================================
        respondent   int16          row number in the file, 1..1200 (the extract has no id)
        starttime    datetime64[ns] questionnaire start time (7-27 April 2017)
        alliance     Int8           treatment: 1 no alliance, 2 written military alliance with U.S.
        regime       Int8           treatment: 1 not a democracy, 2 democracy
        stakes       Int8           treatment: 1 attacker's success would hurt U.S. security and
                                    economy, 2 would not (label ``interests``)
        costs        Int8           treatment: 1 operation very costly, 2 not very costly
        region       Int8           treatment: 1 Africa, 2 Asia, 3 Eastern Europe, 4 South America
        pref         Int8           "favor or oppose" sending the military: 1 oppose strongly ..
                                    5 favor strongly
        r_hm, r_hn   Int8           reputation items (honor military / non-military agreements),
                                    1 disagree strongly .. 5 agree strongly; ``m_oblig`` the same
                                    for moral obligation
        mck_*        Int8           manipulation checks (what the respondent recalls of each
                                    treatment); ``mck_regime`` codes 1 democracy, 2 not (the
                                    reverse of ``regime``)
        hawk, intl   Int8           hawkishness and internationalism items, 1..5 agreement
        nat1, nat2   Int8           nationalism items (U.S. culture superior; rather be a U.S.
                                    citizen), 1..5 agreement
        pid7         Int8           party identification 1 strong Democrat .. 7 strong
                                    Republican, 8 not sure
        newsint      Int8           follows public affairs 1 most of the time .. 4 hardly at
                                    all, 7 don't know
        gender       Int8           1 male, 2 female
        race         Int8           1 white, 2 Black, 3 Hispanic, 4 Asian, 5 Native American,
                                    6 mixed, 7 other, 8 Middle Eastern
        birthyr      int16          year of birth
        educ         Int8           1 no high school, 2 high school, 3 some college, 4 two-year,
                                    5 four-year, 6 post-graduate
        weight       float64        YouGov survey weight (positive, mean 1)
        ============ ============== ===============================================================

        The full text of every code is :data:`VALUE_LABELS`. The non-response codes of the
        labels (8/98 skipped, 9/99 not asked; 32766/32767 for ``costs``) are NA; the
        published extract contains none.
    """
    f = registered("tomz-weeks-2021", "rep", FILE)
    return load("tomz_weeks_2021", 1, f, _parse)
