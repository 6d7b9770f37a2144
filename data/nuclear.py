"""Nuclear-power status by year, and the dyad-year variables built on it.

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
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from foedus.data.panel import BuildLog
    from foedus.data.spec import AllianceRules, PanelSpec

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


# -- dyad-year variables -------------------------------------------------------------------------

#: Columns added to a directed dyad-year frame (ccode1 = potential challenger A, ccode2 = target B).
VARIABLES = {
    "nuclear1": "A is a nuclear power in the year",
    "nuclear2": "B is a nuclear power in the year",
    "n_targdef_nuc": "number of third states C != A that are nuclear powers in the year and have "
                     "a defense promise to B that applies against A",
    "n_targdef_nonnuc": "number of such third states that are not nuclear powers",
    "targdef_nuc": "B has a defense pact with a nuclear power (n_targdef_nuc > 0)",
    "targdef_nonnuc": "B has a defense pact with a non-nuclear power (n_targdef_nonnuc > 0)",
}


def add_nuclear_status(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Add ``nuclear1`` and ``nuclear2`` (bool) to a dyad-year frame; rows and order kept."""
    out = frame.copy()
    year = frame["year"].to_numpy()
    out["nuclear1"] = is_nuclear(frame["ccode1"].to_numpy(), year, table)
    out["nuclear2"] = is_nuclear(frame["ccode2"].to_numpy(), year, table)
    return out


def defender_counts(
    frame: pd.DataFrame,
    promise,
    mkeys: np.ndarray,
    table: pd.DataFrame,
    intra_alliance: bool,
    covered: np.ndarray | None = None,
) -> pd.DataFrame:
    """The target's applicable third-party defenders, split by their nuclear status.

    The counting is :func:`foedus.data.commitments.aggregate_applicable` (side "target",
    aggregate "count"), run once on the promises made by states that are nuclear powers in the
    promise's year and once on the others: a third state C != A counts when some defense
    promise C -> B applies against A (adversary conditions; unless ``intra_alliance``, not from
    an alliance A belongs to).

    Parameters
    ----------
    frame : DataFrame
        Dyad-years with ``ccode1``, ``ccode2``, ``year``.
    promise : dict or DataFrame
        Defense promise records ``c``, ``x``, ``year``, ``atopid``, ``unit``, ``adv1``, ``adv2``
        (:func:`atop_defense_promises`, or :func:`cow_defense_promises`).
    mkeys : ndarray
        Alliance membership keys (:func:`foedus.data.alliances.membership_keys`).
    table : DataFrame
        A :func:`nuclear_status_table`.
    intra_alliance : bool
    covered : ndarray of bool, optional
        Rows inside the alliance data's years; the others get NA (never 0).

    Returns
    -------
    DataFrame
        ``n_targdef_nuc``, ``n_targdef_nonnuc`` (Int16), ``targdef_nuc``, ``targdef_nonnuc``
        (boolean), on ``frame``'s index.
    """
    from foedus.data.alliances import DyadIndex
    from foedus.data.commitments import aggregate_applicable

    dyads = DyadIndex(frame["year"], frame["ccode1"], frame["ccode2"])
    rec = {k: np.asarray(promise[k]) for k in ("c", "x", "year", "atopid", "unit", "adv1", "adv2")}
    nuc = is_nuclear(rec["c"], rec["year"], table)
    counts = {
        name: aggregate_applicable(dyads, "target", {k: v[mask] for k, v in rec.items()}, mkeys,
                                   intra_alliance, "count")
        for name, mask in (("n_targdef_nuc", nuc), ("n_targdef_nonnuc", ~nuc))
    }
    out = pd.DataFrame({k: pd.array(v, dtype="Int16") for k, v in counts.items()},
                       index=frame.index)
    if covered is not None:
        out.loc[~np.asarray(covered, dtype=bool), list(counts)] = pd.NA
    out["targdef_nuc"] = (out["n_targdef_nuc"] > 0).astype("boolean")
    out["targdef_nonnuc"] = (out["n_targdef_nonnuc"] > 0).astype("boolean")
    return out


def atop_defense_promises(
    members: pd.DataFrame,
    rules: "AllianceRules",
    ddyr: pd.DataFrame | None = None,
    log: "BuildLog | None" = None,
    commitments: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """ATOP defense promise records and membership keys, coded exactly as the panel's ``ptargdef``.

    The records are the commitment table's defense promises that the alliance rules count
    (:func:`foedus.data.commitments.counted`), so that ``n_targdef_nuc + n_targdef_nonnuc ==
    n_targdef`` under the same rules. ``commitments``: the spec's table (built from
    ``members`` and ``ddyr`` when not given).
    """
    from foedus.data import alliances as al
    from foedus.data.commitments import build_commitments, counted, records

    if commitments is None:
        commitments = build_commitments(members, rules.version, ddyr, direction=rules.direction)
    mask = counted(commitments, rules, ("defense",))
    return (pd.DataFrame(records(commitments, mask, rules.adversary_conditions)),
            al.membership_keys(al.member_spells(members, rules.version)))


#: Years covered by COW Formal Alliances v4.1.
COW_ALLIANCE_YEARS = (1816, 2012)


def _cow_member_years(members: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    need = {"version4id", "ccode", "defense", "mem_st_year", "mem_end_year"}
    missing = need - set(members.columns)
    if missing:
        raise ValueError(f"COW alliance member frame lacks column(s) {sorted(missing)}; "
                         "pass the rows of alliance_v4.1_by_member (read_cow_alliance)")
    m = members.loc[pd.to_numeric(members["defense"], errors="coerce") == 1,
                    ["version4id", "ccode", "mem_st_year", "mem_end_year"]]
    first = np.clip(pd.to_numeric(m["mem_st_year"]).to_numpy(np.float64), years[0], None)
    last = pd.to_numeric(m["mem_end_year"], errors="coerce").fillna(years[1])
    last = np.clip(last.to_numpy(np.float64), None, years[1])
    first, last = first.astype(np.int64), last.astype(np.int64)
    n = np.clip(last - first + 1, 0, None)
    return pd.DataFrame({
        "atopid": np.repeat(m["version4id"].to_numpy(np.int64), n),
        "member": np.repeat(m["ccode"].to_numpy(np.int64), n),
        "year": np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)),
    }).drop_duplicates()


def cow_defense_promises(
    members: pd.DataFrame, years: tuple[int, int]
) -> tuple[pd.DataFrame, np.ndarray]:
    """Defense promises and membership keys from COW alliance member records.

    Every two members of the same COW Type I (defense) alliance in a year promise each other
    defense (Gibler 2009, COW Formal Alliances codebook v4.1: a defense pact obliges its
    signatories to intervene militarily on behalf of any other). COW codes no adversary
    conditions. A member counts in every year from its first to its last membership year; an
    open membership (no end year: in force at the end of the data) runs to ``years[1]``.

    Parameters
    ----------
    members : DataFrame
        COW ``alliance_v4.1_by_member`` rows (``version4id``, ``ccode``, ``defense``,
        ``mem_st_year``, ``mem_end_year``), e.g. from :func:`foedus.data.read_cow_alliance`.
    years : (first, last)

    Returns
    -------
    promise : DataFrame
        ``c``, ``x``, ``year``, ``atopid`` and ``unit`` (both the COW ``version4id``),
        ``adv1``, ``adv2`` (0: COW codes no adversary conditions).
    mkeys : ndarray
        Sorted membership keys in the layout of :func:`foedus.data.alliances.membership_keys`.
    """
    my = _cow_member_years(members, years)
    pairs = my.merge(my, on=["atopid", "year"], suffixes=("_c", "_x"))
    pairs = pairs.loc[pairs["member_c"] != pairs["member_x"]]
    promise = pd.DataFrame({
        "c": pairs["member_c"].to_numpy(np.int64), "x": pairs["member_x"].to_numpy(np.int64),
        "year": pairs["year"].to_numpy(np.int64), "atopid": pairs["atopid"].to_numpy(np.int64),
        "unit": pairs["atopid"].to_numpy(np.int64),  # COW alliances have no phases
        "adv1": np.zeros(len(pairs), np.int64), "adv2": np.zeros(len(pairs), np.int64),
    }).sort_values(["year", "x", "c", "atopid"], kind="stable").reset_index(drop=True)
    mkeys = np.unique((my["atopid"].to_numpy(np.int64) * 10_000 + my["year"].to_numpy(np.int64))
                      * 1000 + my["member"].to_numpy(np.int64))
    return promise, mkeys


def cow_defense_ally(frame: pd.DataFrame, promise: pd.DataFrame) -> np.ndarray:
    """Whether A and B are members of the same COW defense pact in the year (bool array)."""
    key = np.unique((promise["year"].to_numpy(np.int64) * 1000
                     + promise["c"].to_numpy(np.int64)) * 1000 + promise["x"].to_numpy(np.int64))
    fkey = ((frame["year"].to_numpy(np.int64) * 1000 + frame["ccode1"].to_numpy(np.int64)) * 1000
            + frame["ccode2"].to_numpy(np.int64))
    if not key.size:
        return np.zeros(len(frame), bool)
    return key[np.clip(np.searchsorted(key, fkey), 0, key.size - 1)] == fkey


def cow_alliance_file() -> Path:
    """Where the user put COW ``alliance_v4.1_by_member.csv`` (offline folder or cache).

    foedus never downloads this file (its maintainer's request). Put the official file in
    ``$FOEDUS_DATA_DIR/cow-alliance-4.1/`` (or the cache's ``files/cow-alliance-4.1/``).

    Raises
    ------
    FileNotFoundError
        The file is in neither place; the message says where to put it.
    """
    from foedus.data.fetch import cache_path, local_path
    from foedus.data.readers._base import registered

    ref = registered("cow-alliance", "4.1", "alliance_v4.1_by_member.csv")
    path = local_path(ref)
    if path is None:
        raise FileNotFoundError(
            "COW Formal Alliances v4.1 (alliance_v4.1_by_member.csv) is not on this machine and "
            "foedus never downloads it (its maintainer's request). Download it from "
            "https://correlatesofwar.org/data-sets/formal-alliances/ and put it in "
            f"$FOEDUS_DATA_DIR/cow-alliance-4.1/ (or in {cache_path(ref).parent}/)."
        )
    return path


def cow_alliance_available() -> bool:
    """Whether the user has supplied the COW alliance file (see :func:`cow_alliance_file`)."""
    try:
        cow_alliance_file()
    except FileNotFoundError:
        return False
    return True


#: Variables of a user's target-year file (Fuhrmann & Sechser's data are not shipped) and the
#: panel columns they become.
TARGET_DATA = {"deployment": "deployment2", "us_troops": "us_troops2"}


def read_target_data(path, sha256: str | None = None) -> pd.DataFrame:
    """A user's CSV of target-year variables: ``ccode``, ``year``, ``deployment``, ``us_troops``.

    Fuhrmann & Sechser's foreign nuclear deployment data and their US-troops variable are not
    public data foedus can ship; a user who has them writes one row per state-year (``ccode``
    = the COW code of the state hosting the weapons / troops; ``deployment`` 0/1; ``us_troops``
    as the user's source codes it) and every state-year of the sample must be listed (0 where
    there is none): a panel row without a match gets NA.

    Parameters
    ----------
    path : path-like
    sha256 : str, optional
        The file's expected sha256 (the panel spec records it so that a changed file is never
        mistaken for a cached panel's).
    """
    from foedus.data.fetch import sha256_file

    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: target-year data file not found")
    digest = sha256_file(path)
    if sha256 and digest != sha256:
        raise ValueError(f"{path}: sha256 {digest} differs from the {sha256} recorded in the panel "
                         "spec; the file changed: make the spec again from the new file")
    raw = pd.read_csv(path)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = {"ccode", "year", *TARGET_DATA} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: column(s) {sorted(missing)} missing; need ccode, year, "
                         f"{', '.join(TARGET_DATA)} (columns are {list(raw.columns)})")
    out = raw[["ccode", "year", *TARGET_DATA]].apply(pd.to_numeric, errors="coerce")
    bad = out[["ccode", "year"]].isna().any(axis=1) | ~out["ccode"].between(1, 999)
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ValueError(f"{path}, line {line}: ccode/year missing or not a COW code")
    dup = out.duplicated(["ccode", "year"])
    if dup.any():
        line = int(np.flatnonzero(dup.to_numpy())[0]) + 2
        raise ValueError(f"{path}, line {line}: (ccode, year) listed twice")
    return out.astype({"ccode": "int64", "year": "int64"})


def target_data_spec(path) -> tuple[str, str]:
    """``(path, sha256)`` of a target-year file, the value of ``Covariates.nuclear_target_data``."""
    from foedus.data.fetch import sha256_file

    path = Path(path).expanduser().resolve()
    return (str(path), sha256_file(path))


def step_columns(spec: "PanelSpec") -> tuple:
    """The columns :func:`add_nuclear` adds under ``spec`` (its panel-step declaration)."""
    cov = spec.covariates
    return (*VARIABLES, *("cow_defense_ally",) * (cov.nuclear_alliances == "cow"),
            *(tuple(TARGET_DATA.values()) if cov.nuclear_target_data else ()))


def add_nuclear(frame: pd.DataFrame, spec: "PanelSpec", log: "BuildLog") -> pd.DataFrame:
    """Panel step: nuclear status of both sides and the target's nuclear / non-nuclear defenders.

    Adds the columns of :data:`VARIABLES` (and, with COW alliances, ``cow_defense_ally``: A and B
    in the same COW defense pact). The coding, overrides and alliance source come from
    ``spec.covariates`` (``nuclear``, ``nuclear_overrides``, ``nuclear_alliances``); whether a
    promise applies against the challenger follows ``spec.alliances`` (ATOP: every rule of the
    alliance step; COW: ``intra_alliance`` only, COW codes no conditions).
    """
    cov = spec.covariates
    table = nuclear_status_table(cov.nuclear, cov.nuclear_overrides)
    first, last = spec.years
    shown = table[(table["first_year"] <= last) & (table["last_year"].fillna(last) >= first)]
    log.note("nuclear", f"nuclear powers ({cov.nuclear}"
             + (f", overrides {', '.join(cov.nuclear_overrides)}" if cov.nuclear_overrides else "")
             + "): " + ", ".join(f"{r.stateabb or r.ccode} {r.first_year}-"
                                 + ("" if pd.isna(r.last_year) else str(r.last_year))
                                 for r in shown.itertuples()),
             states=len(shown))
    out = add_nuclear_status(frame, table)
    year = frame["year"].to_numpy(np.int64)
    intra = spec.alliances.intra_alliance if spec.alliances is not None else False
    if cov.nuclear_alliances == "cow":
        from foedus.data.readers.cow_alliance import read_cow_alliance

        lo, hi = COW_ALLIANCE_YEARS
        promise, mkeys = cow_defense_promises(read_cow_alliance(cow_alliance_file()),
                                              (max(first, lo), min(last, hi)))
        covered = (year >= lo) & (year <= hi)
        ally = pd.array(cow_defense_ally(frame, promise), dtype="boolean")
        ally[~covered] = pd.NA
        out["cow_defense_ally"] = ally
        source = "COW Formal Alliances v4.1 defense pacts"
    else:
        if spec.alliances is None:
            raise ValueError("Covariates.nuclear_alliances='atop' needs the panel's alliances "
                             "(PanelSpec.alliances is None); set alliances or use 'cow'")
        from foedus.data import read_atop_ddyr, read_atop_members
        from foedus.data.alliances import COVERAGE

        rules = spec.alliances
        ddyr = read_atop_ddyr(rules.version) if rules.version == "5.1" else None
        from foedus.data.commitments import commitment_table

        promise, mkeys = atop_defense_promises(read_atop_members(rules.version), rules, ddyr,
                                               commitments=commitment_table(spec))
        lo, hi = COVERAGE[rules.version]
        covered = (year >= lo) & (year <= hi)
        source = f"ATOP {rules.version} defense promises (the panel's alliance rules)"
    counts = defender_counts(frame, promise, mkeys, table, intra, covered)
    for column in counts.columns:
        out[column] = counts[column].to_numpy()
    if cov.nuclear_target_data:
        from foedus.data.lookup import state_year_lookup

        path, digest = cov.nuclear_target_data
        extra = read_target_data(path, digest)
        for src, column in TARGET_DATA.items():
            out[column] = state_year_lookup(frame["ccode2"], frame["year"], extra, src)
        unmatched = int(np.isnan(out["deployment2"].to_numpy()).sum())
        log.note("nuclear", f"target-year data from {path} (sha256 {digest[:12]}...): "
                 f"{unmatched:,} dyad-years whose target-year is not in the file (NA)",
                 unmatched=unmatched)
    log.note("nuclear", f"third-party defenders of the target from {source}: dyad-years with a "
             "nuclear defender, with a non-nuclear defender, outside the alliance data's years",
             with_nuclear=int(counts["targdef_nuc"].fillna(False).sum()),
             with_nonnuclear=int(counts["targdef_nonnuc"].fillna(False).sum()),
             not_covered=int((~covered).sum()))
    return out
