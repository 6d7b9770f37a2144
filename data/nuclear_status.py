"""Nuclear-power status by year: which states were nuclear powers, from and until when.

The status table is a short list of facts with citations (state, first year as a nuclear power,
last year if any), not a copied data file. A *coding* names one consistent set of dates; every
date in every coding comes from the source written next to it (see ``docs/nuclear-status.md``,
which also says where a date is a reading rather than a value printed in the source).

Codings
-------
``bleek2017`` (default)
    The "acquire" years of Bleek (2017), Table 1: a state possesses nuclear weapons once it has
    a nuclear-explosive device it can deliver (a test is neither necessary nor sufficient).
``first_test``
    The year of the state's first nuclear explosive test (Arms Control Association, *The
    Nuclear Testing Tally*). Israel and South Africa never conducted an acknowledged test and
    are not nuclear powers under this coding.
``fs2014``
    A reading of the dates behind Fuhrmann & Sechser (2014): ``bleek2017`` except India from
    1974 (its first test), because the authors write that India had crossed the nuclear
    threshold by 1980 (Fuhrmann & Sechser, "Sharing the Bomb"), which Bleek's 1987 contradicts.

Any date can be replaced per state with ``overrides`` strings ``"ccode:first-last"``:
``"666:1969-"`` (Israel from 1969, no end), ``"560:1979-1990"`` (South Africa to 1990, Kroenig
2013), ``"770:"`` (Pakistan never a nuclear power).

Functions
---------
nuclear_status_table
    The table of a coding (one row per nuclear power).
nuclear_state_years
    One row per (ccode, year) in which a state is a nuclear power.
is_nuclear
    Vectorised membership test for (ccode, year) arrays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

#: Works cited by the codings; keys appear in the table's ``source`` column.
SOURCES: dict[str, str] = {
    "bleek2017": (
        "Philipp C. Bleek, \"When Did (and Didn't) States Proliferate? Chronicling the Spread of "
        "Nuclear Weapons\", Discussion Paper, Project on Managing the Atom, Belfer Center, Harvard "
        "Kennedy School, and James Martin Center for Nonproliferation Studies, June 2017, Table 1 "
        "('acquire' column)."
    ),
    "aca_tests": (
        "Arms Control Association, \"The Nuclear Testing Tally\" (fact sheet): year of each "
        "state's first nuclear explosive test."
    ),
    "fs_sharing": (
        "Matthew Fuhrmann and Todd S. Sechser, \"Sharing the Bomb: Nonproliferation, Deterrence, "
        "and Foreign Nuclear Deployments\" (summary): Israel, India and South Africa had crossed "
        "the nuclear threshold by 1980, Pakistan by 1990."
    ),
    "kroenig2013": (
        "Matthew Kroenig, \"Nuclear Superiority and the Balance of Resolve\", International "
        "Organization 67(1), 2013, data appendix A: South Africa's arsenal 1979-1990, Israel's "
        "from 1967."
    ),
    "user": "date supplied by the user (overrides)",
}


@dataclass(frozen=True)
class Spell:
    """A state's years as a nuclear power: ``first`` to ``last`` inclusive (``last`` None: open)."""

    ccode: int
    stateabb: str
    first: int
    last: int | None
    source: str
    note: str = ""


_BLEEK2017: tuple[Spell, ...] = (
    Spell(2, "USA", 1945, None, "bleek2017"),
    Spell(365, "RUS", 1949, None, "bleek2017", "Soviet Union, then Russia (COW 365 throughout)"),
    Spell(200, "UKG", 1952, None, "bleek2017"),
    Spell(220, "FRN", 1960, None, "bleek2017"),
    Spell(710, "CHN", 1964, None, "bleek2017"),
    Spell(666, "ISR", 1967, None, "bleek2017", "never acknowledged; no test"),
    Spell(560, "SAF", 1979, 1991, "bleek2017", "dismantled its devices; joined the NPT in 1991"),
    Spell(770, "PAK", 1987, None, "bleek2017", "first test 1998"),
    Spell(750, "IND", 1987, None, "bleek2017", "first test 1974, overt tests 1998"),
    Spell(731, "PRK", 2006, None, "bleek2017", "first test 2006"),
)

_FIRST_TEST: tuple[Spell, ...] = (
    Spell(2, "USA", 1945, None, "aca_tests"),
    Spell(365, "RUS", 1949, None, "aca_tests", "Soviet Union, then Russia (COW 365 throughout)"),
    Spell(200, "UKG", 1952, None, "aca_tests"),
    Spell(220, "FRN", 1960, None, "aca_tests"),
    Spell(710, "CHN", 1964, None, "aca_tests"),
    Spell(750, "IND", 1974, None, "aca_tests", "'peaceful nuclear explosion' of May 1974"),
    Spell(770, "PAK", 1998, None, "aca_tests"),
    Spell(731, "PRK", 2006, None, "aca_tests"),
)


def _replace(spells: tuple[Spell, ...], **by_abb: Spell) -> tuple[Spell, ...]:
    return tuple(by_abb.get(s.stateabb, s) for s in spells)


CODINGS: dict[str, tuple[Spell, ...]] = {
    "bleek2017": _BLEEK2017,
    "first_test": _FIRST_TEST,
    "fs2014": _replace(
        _BLEEK2017,
        IND=Spell(750, "IND", 1974, None, "aca_tests",
                  "reading: first test 1974; Fuhrmann & Sechser place India past the threshold "
                  "by 1980 (fs_sharing)"),
    ),
}

#: The coding used when none is named.
DEFAULT_CODING = "bleek2017"

_OVERRIDE = re.compile(r"^\s*(\d+)\s*:\s*(?:(\d{4})\s*-\s*(\d{4})?)?\s*$")

COLUMNS = ["ccode", "stateabb", "first_year", "last_year", "source", "note"]


def _parse_override(text: str) -> tuple[int, int | None, int | None]:
    match = _OVERRIDE.match(str(text))
    if match is None:
        raise ValueError(
            f"nuclear override {text!r} is not of the form 'ccode:first-last' "
            "(e.g. '666:1969-' for Israel from 1969, '560:1979-1990', or '770:' for never)"
        )
    ccode, first, last = match.groups()
    first_i = int(first) if first else None
    last_i = int(last) if last else None
    if first_i is not None and last_i is not None and last_i < first_i:
        raise ValueError(f"nuclear override {text!r}: last year {last_i} is before first {first_i}")
    return int(ccode), first_i, last_i


def nuclear_status_table(
    coding: str = DEFAULT_CODING, overrides: Iterable[str] = ()
) -> pd.DataFrame:
    """The nuclear powers of a coding, one row each, with the source of every date.

    Parameters
    ----------
    coding : {'bleek2017', 'first_test', 'fs2014'}
        The set of dates (see the module docstring).
    overrides : iterable of str
        Per-state replacements ``"ccode:first-last"`` (``"ccode:first-"`` open-ended,
        ``"ccode:"`` not a nuclear power). Later entries win.

    Returns
    -------
    DataFrame
        Columns ``ccode`` (int16), ``stateabb``, ``first_year`` (int16), ``last_year`` (Int16,
        NA while still a nuclear power), ``source`` (a key of :data:`SOURCES`), ``note``;
        sorted by ``first_year`` then ``ccode``.
    """
    if coding not in CODINGS:
        raise ValueError(f"unknown nuclear coding {coding!r}; known: {sorted(CODINGS)}")
    rows = {s.ccode: (s.ccode, s.stateabb, s.first, s.last, s.source, s.note)
            for s in CODINGS[coding]}
    for text in overrides:
        ccode, first, last = _parse_override(text)
        if first is None:
            rows.pop(ccode, None)
            continue
        abb = rows[ccode][1] if ccode in rows else ""
        rows[ccode] = (ccode, abb, first, last, "user", f"override {text.strip()!r}")
    table = pd.DataFrame(list(rows.values()), columns=COLUMNS)
    table = table.astype({"ccode": "int16", "first_year": "int16"})
    table["last_year"] = table["last_year"].astype("Int16")
    return table.sort_values(["first_year", "ccode"], kind="stable").reset_index(drop=True)


def nuclear_state_years(
    coding: str = DEFAULT_CODING,
    overrides: Iterable[str] = (),
    years: tuple[int, int] = (1945, 2016),
) -> pd.DataFrame:
    """One row per (ccode, year) in which the state is a nuclear power, within ``years``.

    Open spells (no last year) run to the end of ``years``.
    """
    table = nuclear_status_table(coding, overrides)
    lo, hi = years
    first = table["first_year"].to_numpy(np.int64).clip(lo, None)
    last = table["last_year"].fillna(hi).to_numpy(np.int64).clip(None, hi)
    n = np.clip(last - first + 1, 0, None)
    ccode = np.repeat(table["ccode"].to_numpy(np.int64), n)
    start = np.repeat(first, n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    return pd.DataFrame({"ccode": ccode.astype(np.int16),
                         "year": (start + offset).astype(np.int16)})


def is_nuclear(ccode, year, table: pd.DataFrame | None = None) -> np.ndarray:
    """Whether each (ccode, year) is a nuclear power, for equal-length arrays.

    Parameters
    ----------
    ccode, year : array-like of int
    table : DataFrame, optional
        A :func:`nuclear_status_table`; the default coding when omitted.

    Returns
    -------
    ndarray of bool
    """
    table = nuclear_status_table() if table is None else table
    ccode = np.asarray(ccode, dtype=np.int64)
    year = np.asarray(year, dtype=np.int64)
    if ccode.shape != year.shape:
        raise ValueError(f"ccode and year differ in shape: {ccode.shape} vs {year.shape}")
    out = np.zeros(ccode.shape, dtype=bool)
    # a handful of spells: one vectorised comparison per nuclear power
    open_end = np.iinfo(np.int16).max
    for code, first, last in zip(table["ccode"].to_numpy(np.int64),
                                 table["first_year"].to_numpy(np.int64),
                                 table["last_year"].fillna(open_end).to_numpy(np.int64)):
        out |= (ccode == code) & (year >= first) & (year <= last)
    return out
