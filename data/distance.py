"""Distance between the two states of a dyad: capital to capital, and minimum distance.

Columns added
-------------
distance : float
    Great-circle distance in kilometres between the two capitals in force in the year
    (peacesciencer's ``cow_capitals``: capital, coordinates and the dates each capital held).
ln_distance : float
    ``log(distance)``; NaN when the distance is 0 or unknown.
mindist : float
    Minimum distance in kilometres between the two states' territories (peacesciencer's
    ``cow_mindist``, computed from CShapes; 1886-2019; ``Covariates.mindist``).

Capital moves
-------------
A state whose capital moved during a year (Brazil 1960, Nigeria 1991, Russia 1918, ...) has two
capitals in that year. ``Covariates.capital_rule`` picks one: ``"first"`` (default) the capital
in force at the start of the year (or of the state's membership), which is what peacesciencer's
``add_capital_distance`` uses; ``"last"`` the capital in force at the end of the year.

Capital coordinates
-------------------
peacesciencer's ``cow_capitals`` places three capitals far from the cities: Brasília at
(-10.33, -53.20), 830 km north-west of the city, Tunis at (33.84, 9.40), 340 km south of it, and
Riyadh at (23.33, 45.33), 210 km south-west of it (points near the countries' centres).
``Covariates.capital_fixes`` (default True) replaces them by the cities' coordinates
(:data:`CAPITAL_FIXES`); set it to False to reproduce peacesciencer's ``capdist``.

Formula
-------
The spherical law in its numerically stable Vincenty form (Vincenty 1975), on a sphere of radius
``R``:

.. math:: d = R \\operatorname{atan2}\\left(\\sqrt{(\\cos\\phi_2\\sin\\Delta\\lambda)^2 +
          (\\cos\\phi_1\\sin\\phi_2 - \\sin\\phi_1\\cos\\phi_2\\cos\\Delta\\lambda)^2},\\;
          \\sin\\phi_1\\sin\\phi_2 + \\cos\\phi_1\\cos\\phi_2\\cos\\Delta\\lambda\\right)

with ``R = 6371.0088`` km, the IUGG mean Earth radius. peacesciencer's ``capdist`` uses
``geosphere::distVincentySphere`` with the equatorial radius 6378.137 km, so its distances are
0.11% longer (pass ``radius_km=6378.137`` to match them).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from foedus.data.lookup import dyad_year_lookup, state_year_index
from foedus.data.spells import expand_spells

_STEP = "distance"

#: IUGG mean radius of the Earth (km).
EARTH_RADIUS_KM = 6371.0088

#: Capital coordinates in peacesciencer's cow_capitals that are not the city's (they lie near
#: the country's geographic centre), replaced when ``Covariates.capital_fixes`` is True:
#: (ccode, capital) -> (lat, lng) of the city centre, rounded to 0.01 degree (about 1 km).
#: The file's points are 830 km (Brasilia: -10.33, -53.20), 340 km (Tunis: 33.84, 9.40) and
#: 210 km (Riyadh: 23.33, 45.33) away from the cities.
CAPITAL_FIXES: dict[tuple[int, str], tuple[float, float]] = {
    (140, "Brasilia"): (-15.78, -47.93),
    (616, "Tunis"): (36.81, 10.17),
    (670, "Riyadh"): (24.69, 46.72),
}

#: Years covered by cow_mindist (CShapes 2.0).
MINDIST_COVERAGE = (1886, 2019)


def great_circle_km(lat1, lon1, lat2, lon2, radius_km: float = EARTH_RADIUS_KM) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (NaN in, NaN out)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    c1, s1, c2, s2 = np.cos(p1), np.sin(p1), np.cos(p2), np.sin(p2)
    cdl = np.cos(dl)
    num = np.hypot(c2 * np.sin(dl), c1 * s2 - s1 * c2 * cdl)
    den = s1 * s2 + c1 * c2 * cdl
    return radius_km * np.arctan2(num, den)


def fix_capitals(capitals: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Apply :data:`CAPITAL_FIXES`; returns the corrected frame and the number of rows changed."""
    out = capitals.copy()
    changed = 0
    for (ccode, name), (lat, lng) in CAPITAL_FIXES.items():
        rows = (out["ccode"] == ccode) & (out["capital"] == name)
        out.loc[rows, ["lat", "lng"]] = (lat, lng)
        changed += int(rows.sum())
    return out, changed


def capital_years(capitals: pd.DataFrame, rule: str = "first") -> pd.DataFrame:
    """One capital (``lat``, ``lng``) per state-year from dated capital spells.

    Parameters
    ----------
    capitals : pandas.DataFrame
        ``ccode``, ``stdate``, ``enddate`` (dates), ``lat``, ``lng``.
    rule : {"first", "last"}
        In a year with a capital move, the capital in force first or last in the year.
    """
    if rule not in ("first", "last"):
        raise ValueError(f"capital rule must be 'first' or 'last', got {rule!r}")
    st = pd.to_datetime(capitals["stdate"])
    en = pd.to_datetime(capitals["enddate"])
    y0, y1 = st.dt.year.to_numpy(np.int64), en.dt.year.to_numpy(np.int64)
    rep, year = expand_spells(y0, y1, "capitals", capitals)
    years = pd.DataFrame({
        "ccode": capitals["ccode"].to_numpy(np.int64)[rep],
        "year": year,
        "start": st.to_numpy()[rep],
        "lat": capitals["lat"].to_numpy(np.float64)[rep],
        "lng": capitals["lng"].to_numpy(np.float64)[rep],
    })
    years = years.sort_values(["ccode", "year", "start"], kind="stable")
    keep = "first" if rule == "first" else "last"
    return years.drop_duplicates(["ccode", "year"], keep=keep)[["ccode", "year", "lat", "lng"]]


def capital_distance(
    frame: pd.DataFrame, capitals: pd.DataFrame, rule: str = "first",
    radius_km: float = EARTH_RADIUS_KM,
) -> np.ndarray:
    """Capital-to-capital distance (km) of each dyad-year; NaN when a capital is unknown.

    The distances between the few hundred distinct capital locations are computed once; each
    dyad-year then picks its pair's entry.
    """
    cy = capital_years(capitals, rule).reset_index(drop=True)
    places, place = np.unique(cy[["lat", "lng"]].to_numpy(), axis=0, return_inverse=True)
    lat, lng = places[:, 0], places[:, 1]
    between = great_circle_km(lat[:, None], lng[:, None], lat[None, :], lng[None, :], radius_km)
    between = np.pad(between, ((0, 1), (0, 1)), constant_values=np.nan)  # row/col -1: unknown
    place = np.append(place.reshape(-1), -1)
    i1 = place[state_year_index(frame["ccode1"], frame["year"], cy)]
    i2 = place[state_year_index(frame["ccode2"], frame["year"], cy)]
    return between[i1, i2]


def minimum_distance(frame: pd.DataFrame, mindist: pd.DataFrame) -> np.ndarray:
    """Minimum distance (km) of each dyad-year from a non-directed ``cow_mindist`` frame.

    The source lists each pair once (``ccode1 < ccode2``); the panel's pair is looked up in
    that order whatever its direction.
    """
    a = frame["ccode1"].to_numpy(np.int64)
    b = frame["ccode2"].to_numpy(np.int64)
    keys = pd.DataFrame({"ccode1": np.minimum(a, b), "ccode2": np.maximum(a, b),
                         "year": frame["year"].to_numpy(np.int64)})
    table = mindist[["ccode1", "ccode2", "year", "mindist"]]
    flipped = table["ccode1"].to_numpy() > table["ccode2"].to_numpy()
    if flipped.any():
        table = table.assign(ccode1=np.minimum(table["ccode1"], table["ccode2"]),
                             ccode2=np.maximum(table["ccode1"], table["ccode2"]))
        table = table.drop_duplicates(["ccode1", "ccode2", "year"])
    return dyad_year_lookup(keys, table, "mindist")


def step_columns(spec) -> tuple:
    """The columns :func:`add_distance` adds under ``spec`` (its panel-step declaration)."""
    cov = spec.covariates
    return ("distance", "ln_distance") * cov.distance + ("mindist",) * cov.mindist


def add_distance(frame: pd.DataFrame, spec, log=None) -> pd.DataFrame:
    """Panel step: capital distance (``Covariates.distance``) and minimum distance
    (``Covariates.mindist``)."""
    cov = spec.covariates
    cols: dict[str, np.ndarray] = {}
    if cov.distance:
        from foedus.data import read_capitals

        capitals = read_capitals()
        if cov.capital_fixes:
            capitals, changed = fix_capitals(capitals)
            if log is not None:
                log.note(_STEP, f"capital coordinates corrected for {', '.join(n for _, n in CAPITAL_FIXES)}"
                         f" ({changed} capital spells; Covariates.capital_fixes)", fixed=changed)
        d = capital_distance(frame, capitals, cov.capital_rule)
        with np.errstate(divide="ignore"):
            cols["distance"] = d
            cols["ln_distance"] = np.where(d > 0, np.log(d), np.nan)
        if log is not None:
            log.note(_STEP, f"capital distance (capital rule '{cov.capital_rule}'): "
                     f"{int(np.isnan(d).sum()):,} dyad-years lack a capital (NaN)",
                     missing=int(np.isnan(d).sum()))
    if cov.mindist:
        from foedus.data import read_mindist

        m = minimum_distance(frame, read_mindist())
        cols["mindist"] = m
        if log is not None:
            log.note(_STEP, f"minimum distance (cow_mindist, {MINDIST_COVERAGE[0]}-"
                     f"{MINDIST_COVERAGE[1]}): {int(np.isnan(m).sum()):,} dyad-years NaN",
                     missing=int(np.isnan(m).sum()))
    return frame.assign(**cols)
