"""The panel specification: every coding choice of a dyad-year panel, in one frozen object.

A :class:`PanelSpec` is a tree of frozen dataclasses. It is hashable, round-trips through JSON
(:meth:`PanelSpec.to_json` / :meth:`PanelSpec.from_json`), keys the on-disk panel cache by its
:meth:`PanelSpec.digest`, and prints itself as the short list of choices that goes into table
notes (:meth:`PanelSpec.describe`). Every field carries its documentation and, where the default
follows a paper or codebook, that source (:func:`foedus.data.options.option`); ``help(PanelSpec)``
and the other sections' docstrings list them all (:func:`foedus.data.options.documented`).

Length: this module is longer than ~500 lines because it is the catalogue of every coding choice,
nearly all of it option declarations with their documentation; one file keeps every choice in one
place. The machinery (validation, dict conversion, generated docstrings) is in
:mod:`foedus.data.options`.

Sections
--------
- :class:`PanelSpec`: state system, years, directedness, universe options.
- :class:`AllianceRules`: alliance source and the rules for when a commitment applies.
- :class:`DisputeRules`: dispute source and version, initiation rule, duplicate resolution.
- :class:`DisputeOutcomes`: what happened after an initiation (target's response, war, outcome).
- :class:`Covariates`: capabilities, contiguity, distance, regime, major powers, S-scores.
- :class:`Temporal`: peace years and their polynomial/spline terms.
- :class:`Sample`: filters applied after every join (each reports the rows it removes).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from foedus.data.errors import SpecError
from foedus.data.options import Section, documented, option

#: Bump when the meaning of an existing field or the panel a spec builds changes, so that
#: cached panels built by older code are never reused.
SPEC_SCHEMA = 1


#: aggregates of :class:`AllianceQuery` (foedus.data.commitments.AGGREGATES)
AGGREGATES = ("any", "count", "newest_age", "oldest_age", "ids")
QUERY_OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


@documented
@dataclass(frozen=True)
class AllianceQuery(Section):
    """A named alliance variable computed from the commitment table (docs/panel-alliances.md).

    For each dyad-year (A = ``ccode1``, B = ``ccode2``), the promises of third states C to one
    side that apply against the other side (the applicability rules of the panel's
    :class:`AllianceRules`, :func:`foedus.data.commitment_queries.query_columns`), restricted by
    ``where``, reduced by ``aggregate``.

    Examples
    --------
    >>> AllianceQuery("ptargoff", side="target", obligations=("offense",)).aggregate
    'any'
    """

    title: ClassVar[str] = "Query"

    name: str = option("", "column name of the result in the panel")
    side: str = option(
        "target",
        "'target': promises to B (ccode2) that apply against A; 'challenger': promises to A "
        "(ccode1) that apply against B",
        ("target", "challenger"),
    )
    obligations: tuple = option(("defense",), "ATOP obligations counted (any of them)")
    where: str = option(
        "",
        "filter over the commitment table's columns (a pandas expression, e.g. "
        "'provider_major == 1 and age <= 5'); '' = every promise",
    )
    aggregate: str = option(
        "any",
        "'any' (boolean), 'count' (distinct providers), 'newest_age' / 'oldest_age' (youngest "
        "/ oldest applicable alliance, years since formation; NA when none), 'ids' (the "
        "alliances' ATOP ids, ascending, ';'-joined; '' when none)",
        AGGREGATES,
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.name.isidentifier():
            raise ValueError(f"AllianceQuery.name={self.name!r} must be a valid column name")
        bad = [o for o in self.obligations if o not in QUERY_OBLIGATIONS]
        if bad or not self.obligations:
            raise ValueError(f"AllianceQuery({self.name!r}).obligations={self.obligations!r}: "
                             f"choose among {QUERY_OBLIGATIONS}")

    def describe(self) -> str:
        cond = f" where {self.where}" if self.where else ""
        return (f"{self.name} = {self.aggregate} of {'/'.join(self.obligations)} promises to the "
                f"{self.side} applicable against the other side{cond}")


@documented
@dataclass(frozen=True)
class AllianceRules(Section):
    """How alliance ties and third-party commitments are coded (ATOP)."""

    title: ClassVar[str] = "Alliances"

    source: str = option("atop", "alliance data set", ("atop",),
                         source="Alliance Treaty Obligations and Provisions (ATOP) codebook")
    version: str = option("5.1", "ATOP release", ("5.1", "4.01"), source="ATOP v5.1")
    secret: str = option(
        "include",
        "secret alliances (ATOP pubsecr): 'include' all, or 'exclude' those kept secret",
        ("include", "exclude"),
    )
    adversary_conditions: bool = option(
        True,
        "an obligation conditional on a specific adversary (defcoadv/offcoadv, statthr1/2) "
        "applies only against the named states",
        source="Leeds (2003)",
    )
    intra_alliance: bool = option(
        False,
        "count a third party's commitment to the target even when the challenger is itself a "
        "member of the same alliance (intra-alliance conflict)",
    )
    neutrality_includes_nonagg: bool = option(
        False, "pchalneu also counts non-aggression pacts, not only neutrality pacts"
    )
    exclude_atopids: tuple = option(
        (), "alliances (ATOP ids) ignored when coding third-party commitments", integers=True
    )
    direction: str = option(
        "ddyr",
        "who owes an obligation to whom: 'ddyr' keeps a member-level promise C->X only when "
        "ATOP's directed dyad-year file flags it for (C, X, year) (asymmetric multilateral "
        "alliances); 'members' lets every member with the obligation owe it to every other "
        "member. ATOP 4.01 has no ddyr file and always uses 'members' (noted in the build log)",
        ("ddyr", "members"),
    )
    unnamed_adversary: str = option(
        "applies",
        "an obligation conditional on an adversary that ATOP does not name (defcoadv = 1, "
        "statthr1/2 = 0, e.g. 'an attack by a non-member'): 'applies' against any challenger "
        "or 'never' counts (the condition cannot be checked from ATOP's coded variables)",
        ("applies", "never"),
    )
    exclude_conditions: tuple = option(
        (),
        "promises carrying any of these ATOP conditions are not counted as applying: "
        "'location', 'conflict', 'number', 'demand', 'nonprovocation' (default: conditions "
        "other than the adversary's identity do not remove a promise; Leeds 2003)",
    )
    flag_atopids: tuple = option(
        (),
        "adds ptargdef_excl = 1 when the target has an applicable third-party defense promise "
        "and every one comes from these alliances (Johnson & Leeds 2011 robustness check: NATO "
        "3180/3181, Rio 3075, OAS 3150, Arab League 3205)",
        integers=True,
    )
    wartime: str = option(
        "include",
        "alliances ATOP codes as formed in wartime (member-level 'wartime' = 1): 'include' "
        "(Leeds 2003; Johnson & Leeds 2011 count every alliance) or 'exclude' them from every "
        "third-party variable and query",
        ("include", "exclude"),
    )
    nonsystem_providers: str = option(
        "count",
        "a promise from a state that is not a COW system member in the year (ATOP codes "
        "alliances of states before or between their system membership): 'count' it (what "
        "foedus always did) or 'drop' it",
        ("count", "drop"),
    )
    queries: tuple = option(
        (),
        "study-specific alliance variables (AllianceQuery), each added as a column",
    )
    pact_formation: str = option(
        "",
        "'kv2017' adds Kenwick & Vasquez's (2017) def_form, def_form_5yr, def_form_15yr, "
        "def_form_6to15, fbdef, all_from_birth, nfbdef, def_form_16plus (their gen_vars.do "
        "rules, from the targdef_ids query); '' adds none",
        ("", "kv2017"),
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        queries = tuple(AllianceQuery.from_dict(q) if isinstance(q, dict) else q for q in self.queries)
        if not all(isinstance(q, AllianceQuery) for q in queries):
            raise ValueError("AllianceRules.queries must hold AllianceQuery objects (or their dicts)")
        names = [q.name for q in queries]
        if len(set(names)) != len(names):
            raise ValueError(f"AllianceRules.queries: duplicate names {names}")
        object.__setattr__(self, "queries", queries)


@documented
@dataclass(frozen=True)
class DisputeRules(Section):
    """How participant-level dispute data become directed dyad-year dispute variables."""

    title: ClassVar[str] = "Disputes"

    source: str = option("cow-mid", "participant-level dispute data", ("cow-mid", "gml"),
                         source="Correlates of War Militarized Interstate Disputes (Palmer et al. 2022)")
    version: str = option(
        "5.0",
        "release of the dispute data (cow-mid: 5.0, 4.3, 4.2, 3.10; gml: 2.2.1)",
        ("5.0", "4.3", "4.2", "3.10", "2.2.1"),
    )
    initiation: str = option(
        "originator",
        "who initiates: 'originator' (A an originator on side A, B an originator on side B), "
        "'sidea' (A on side A, joiners included), 'revisionist' (A a revisionist state)",
        ("originator", "sidea", "revisionist"),
    )
    joiners: bool = option(
        False,
        "participants who joined after the first day count for initiation (the 'dispute' "
        "column); with history='joiners' they also make the dyads of the dispute history",
    )
    history: str = option(
        "joiners",
        "participants whose dyads make the dispute history (onset, ongoing, n_disputes, the "
        "selected dispute and so the peace-year clock): 'joiners' follows the joiners option "
        "(what foedus always did: joiners=False keeps originator-originator dyads only), "
        "'all' takes every participant whatever the initiation rule counts",
        ("joiners", "all"),
    )
    ongoing: str = option(
        "keep",
        "dyad-years in which a dispute continues from an earlier year: 'keep' or 'drop'",
        ("keep", "drop"),
    )
    tiebreak: tuple = option(
        ("onset", "fatality", "hostility", "duration", "reciprocated", "start_month", "dispnum"),
        "order of rules that picks one dispute when a dyad-year has several",
    )
    reentry: str = option(
        "onset",
        "a dyad's re-entry into a dispute after a break in its participation (MID codes a "
        "state that leaves and rejoins with several participant rows) is a new dyadic 'onset' "
        "(peacesciencer cow_mid_dirdisps) or a 'continuation' of the dyad's dispute",
        ("onset", "continuation"),
    )


@documented
@dataclass(frozen=True)
class DisputeOutcomes(Section):
    """How the outcome of an initiated dispute is coded (foedus.data.dispute_outcomes)."""

    title: ClassVar[str] = "Dispute outcomes"

    resist: str = option(
        "action",
        "targ_resist: 'action' = the target's highest hostility level in the dispute is 2 or "
        "more (it threatened, displayed or used force; hiact >= 1 where the data carry no "
        "hostlev); 'recip' = the MID dispute-level reciprocation flag (some state on side B "
        "acted, not necessarily the target)",
        ("action", "recip"),
    )
    war: str = option(
        "hostlev",
        "war: 'hostlev' = the dispute reached hostility level 5; 'cow' = a COW inter-state war "
        "between the two states (directed dyadic war data, May 2018) overlaps their dispute",
        ("hostlev", "cow"),
    )
    defenders: bool = option(
        False,
        "add targ_def_n and targ_def_cinc on initiated dyad-years: the number and summed CINC of "
        "the target's third-party defenders whose ATOP defense promise applies against A (the "
        "panel's alliance rules, as n_targdef)",
    )


@documented
@dataclass(frozen=True)
class Covariates(Section):
    """Which covariates are joined onto the universe, and how."""

    title: ClassVar[str] = "Covariates"

    capabilities: bool = option(True, "NMC 6.0 CINC of each side, capability ratio, capprop",
                                source="Correlates of War National Material Capabilities, v6.0")
    capabilities_lag: int = option(0, "lag capabilities by this many years", (0, 1))
    contiguity: bool = option(True, "COW direct contiguity 3.2 (conttype 0-5, land, <=400 mi water)",
                              source="Correlates of War Direct Contiguity, v3.2")
    contiguity_rule: str = option(
        "closest",
        "a dyad whose contiguity changes within a year takes the 'closest' type in force "
        "during the year, or the type in force 'earliest' in the year (peacesciencer)",
        ("closest", "earliest"),
    )
    distance: bool = option(True, "capital-to-capital great-circle distance (km) and its log")
    mindist: bool = option(False, "minimum distance between the two states (cow_mindist)")
    regime: str | None = option(
        "polity5", "democracy measure", ("polity5", "polity4-2018", "polity4-2015", "vdem", None)
    )
    democracy_threshold: float = option(6, "a state is a democracy when polity2 >= this value")
    majors: bool = option(True, "COW major powers (majors2016) and politically relevant dyads")
    rivalries: bool = option(
        False, "strategic rivalries (peacesciencer td_rivalries): rivalry, rivalyears",
        source="Thompson & Dreyer (2012)")
    sscore: tuple = option(
        ("unweighted_global",),
        "alliance-portfolio similarity S variants "
        "(unweighted_global, weighted_global, unweighted_regional, weighted_regional)",
    )
    sscore_nonaggression: int = option(
        1,
        "S-score tie level of an ATOP non-aggression pact (no defense, offense or neutrality): "
        "1 = with consultation (foedus's coding since the start; ATOP ranks non-aggression "
        "below neutrality) or 2 = with neutrality (Signorino & Ritter's COW scale, EUGene)",
        (1, 2),
    )
    nuclear: str | None = option(
        None,
        "nuclear-power status coding behind nuclear1/nuclear2 and the counts of nuclear and "
        "non-nuclear third-party defenders (foedus.data.nuclear_status, foedus.data.nuclear_defenders; docs/nuclear-status.md): "
        "'bleek2017' (Bleek 2017 'acquire' years), 'first_test' (first nuclear test), 'fs2014' "
        "(our reading of Fuhrmann & Sechser 2014); None: not added",
        ("bleek2017", "first_test", "fs2014", None),
    )
    nuclear_overrides: tuple = option(
        (),
        "per-state nuclear dates replacing the coding's, as 'ccode:first-last' strings "
        "('560:1979-1990', '750:1974-'; '770:' = never a nuclear power)",
    )
    nuclear_alliances: str = option(
        "atop",
        "alliances behind the nuclear/non-nuclear defender counts: 'atop' (the panel's "
        "AllianceRules) or 'cow' (COW Formal Alliances v4.1 defense pacts, a file the user "
        "supplies; Fuhrmann & Sechser 2014, model 1)",
        ("atop", "cow"),
    )
    nuclear_target_data: tuple = option(
        (),
        "a user's CSV of target-year variables joined as deployment2 / us_troops2 (Fuhrmann & "
        "Sechser's foreign nuclear deployments and US troops, not shipped): (path, sha256); "
        "empty: not added",
    )
    capital_rule: str = option(
        "first",
        "capital used in a year with a capital move: the one in force 'first' in the year "
        "(peacesciencer's add_capital_distance) or 'last'",
        ("first", "last"),
    )
    capital_fixes: bool = option(
        True,
        "replace the coordinates that peacesciencer's cow_capitals gives for Brasilia, Tunis and "
        "Riyadh (points 200-830 km from those cities, near the countries' centres) by the "
        "cities' own; False reproduces peacesciencer's capdist",
    )
    prd_contiguity: int = option(
        5,
        "largest conttype counted as contiguous for politically relevant dyads: 5 = up to 400 "
        "miles of water (peacesciencer's filter_prd), 4 = up to 150 miles (Maoz & Russett "
        "1993), 1 = land only",
        (1, 2, 3, 4, 5),
    )
    polyarchy_threshold: float = option(
        0.5,
        "with regime='vdem', a state is a democracy when v2x_polyarchy > this value",
        source="Luhrmann, Tannenberg & Lindberg (2018)",
    )
    dyad_indicators: bool = option(
        False,
        "non-directed dyad indicators (foedus.data.dyad_indicators): ally (the two states "
        "share any ATOP alliance in the year), both_major, one_major (COW major powers)",
        added=True,
    )


@documented
@dataclass(frozen=True)
class Temporal(Section):
    """Temporal dependence terms (Beck, Katz & Tucker 1998; Carter & Signorino 2010)."""

    title: ClassVar[str] = "Temporal dependence"

    peace_years: bool = option(True, "years since the dyad's last dispute")
    clock: str = option(
        "onset", "the clock resets at a dispute 'onset' or at every 'ongoing' dispute year",
        ("onset", "ongoing"),
    )
    start: str = option(
        "entry",
        "before a dyad's first observed dispute, count from the dyad's 'entry' into the system "
        "or from '1816'",
        ("entry", "1816"),
    )
    directed_clock: bool = option(
        False, "only A->B disputes reset the A->B clock (else a dispute in either direction does)"
    )
    convention: str = option(
        "foedus",
        "'foedus' (this documentation) or 'peacesciencer' (its add_peace_years conventions)",
        ("foedus", "peacesciencer"),
    )
    polynomial: bool = option(True, "peace years squared and cubed", source="Carter & Signorino (2010)")
    midcount: bool = option(
        False, "midcount: years before this one in which a MID between A and B began (onset, "
        "either side), counted from the panel's first year")
    spline_knots: tuple = option((), "knots for cubic-spline terms of peace years",
                                 source="Beck, Katz & Tucker (1998)")


@documented
@dataclass(frozen=True)
class Sample(Section):
    """Filters applied after all joins; each reports how many rows it removed."""

    title: ClassVar[str] = "Sample"

    politically_relevant: bool = option(
        False, "keep only politically relevant dyads (contiguous, or either side a major power)"
    )
    drop_ongoing: bool = option(
        False,
        "drop dyad-years with a dispute ongoing from an earlier year (years with a new onset kept)",
    )
    drop_shared_defense: bool = option(
        False, "drop dyad-years whose two states share a defense pact"
    )


@documented
@dataclass(frozen=True)
class PanelSpec(Section):
    """Every coding choice of a dyad-year panel.

    Examples
    --------
    >>> spec = PanelSpec(years=(1816, 2000), disputes=DisputeRules(version="3.10"))
    >>> spec.replace(directed=False).directed
    False
    """

    title: ClassVar[str] = "Panel"

    system: str = option(
        "cow",
        "state system: 'cow' (COW system membership) or 'gw' (Gleditsch & Ward 1999, "
        "peacesciencer gw_states; COW-keyed data joined through foedus.data.gleditsch_ward's "
        "COW<->GW mapping; docs/panel-systems.md)",
        ("cow", "gw"),
    )
    system_version: str = option(
        "2016", "COW state system membership release (for 'gw': the COW codes it maps to)", ("2016",),
        source="Correlates of War State System Membership, v2016")
    years: tuple = option((1816, 2014), "first and last year (inclusive)", integers=True)
    directed: bool = option(True, "directed dyad-years (A->B and B->A) or non-directed (A < B)")
    same_day: bool = option(
        False, "drop pairs that were both members in a year but never on the same day"
    )
    alliances: AllianceRules | None = field(
        default_factory=AllianceRules, metadata={"doc": "alliance rules (None: no alliances)"}
    )
    disputes: DisputeRules | None = field(
        default_factory=DisputeRules, metadata={"doc": "dispute rules (None: no disputes)"}
    )
    outcomes: DisputeOutcomes | None = field(
        default=None,
        metadata={"doc": "outcomes of initiated disputes (None: not added)",
                  "section": DisputeOutcomes},
    )
    covariates: Covariates | None = field(
        default_factory=Covariates, metadata={"doc": "covariates (None: none)"}
    )
    temporal: Temporal | None = field(
        default_factory=Temporal, metadata={"doc": "temporal dependence (None: none)"}
    )
    sample: Sample = field(default_factory=Sample, metadata={"doc": "sample filters"})

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.years) != 2 or self.years[0] > self.years[1]:
            raise SpecError(f"PanelSpec.years must be (first, last) integers with first <= last, "
                            f"got {self.years!r}")
        self._check_sources()

    def _check_sources(self) -> None:
        """Releases that exist for the chosen sources, and years inside each one's coverage.

        The coverage tables live with the code that reads each source
        (``foedus.data.universe.COVERAGE``, ``disputes.COVERAGE``, ``alliances.COVERAGE``).
        """
        from foedus.data import alliances, disputes, universe

        covered = {f"state system COW {self.system_version}": universe.COVERAGE[self.system_version]}
        if self.system == "gw":
            from foedus.data.gleditsch_ward import COVERAGE as GW_COVERAGE

            covered = {"state system Gleditsch-Ward (peacesciencer 1.2.9)": GW_COVERAGE}
        if self.disputes is not None:
            key = (self.disputes.source, self.disputes.version)
            if key not in disputes.COVERAGE:
                versions = [v for s, v in disputes.COVERAGE if s == key[0]]
                raise SpecError(f"DisputeRules: source {key[0]!r} has no version {key[1]!r}; its "
                                f"versions: {', '.join(versions)}")
            name = "GML MID" if key[0] == "gml" else "COW MID"
            covered[f"disputes {name} {key[1]}"] = disputes.COVERAGE[key]
        if self.alliances is not None:
            covered[f"alliances ATOP {self.alliances.version}"] = alliances.COVERAGE[self.alliances.version]
        first, last = self.years
        outside = {k: v for k, v in covered.items() if first < v[0] or last > v[1]}
        if outside:
            lo = max(v[0] for v in covered.values())
            hi = min(v[1] for v in covered.values())
            raise SpecError(
                f"PanelSpec.years={first}-{last} are not inside the coverage of "
                + "; ".join(f"{k} ({a}-{b})" for k, (a, b) in outside.items())
                + f". Choose years within {lo}-{hi}" + (", or other sources." if lo <= hi else "."))
        if self.outcomes is not None and (self.disputes is None or not self.directed):
            raise SpecError(
                "PanelSpec.outcomes codes the target's response to an initiation: it needs "
                "disputes (DisputeRules) and a directed panel (directed=True)"
            )

    # -- identity -------------------------------------------------------------------------
    def to_json(self) -> str:
        """Canonical JSON (sorted keys), the basis of :meth:`digest`."""
        return json.dumps({"schema": SPEC_SCHEMA, **self.to_dict()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "PanelSpec":
        data = json.loads(text)
        data.pop("schema", None)
        return cls.from_dict(data)

    def digest(self) -> str:
        """Short sha256 of the canonical JSON: the key of the panel cache."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    def replace(self, **changes: Any) -> "PanelSpec":
        """A copy with some top-level choices changed (sections are replaced whole)."""
        return dataclasses.replace(self, **changes)

    # -- description ----------------------------------------------------------------------
    def describe(self) -> str:
        """The human-readable list of choices, one line each, grouped by section."""
        first, last = self.years
        kind = "directed" if self.directed else "non-directed"
        lines = [
            f"Panel: {kind} dyad-years {first}-{last}, "
            + (f"COW state system {self.system_version}" if self.system == "cow" else
               f"Gleditsch-Ward state system (COW {self.system_version} codes mapped)")
            + ("; pairs never members on the same day dropped" if self.same_day else ""),
        ]
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in {"system", "system_version", "years", "directed", "same_day"}:
                continue
            if value is None:
                lines.append(f"{f.name.capitalize()}: none")
                continue
            lines.append(f"{value.title}: " + "; ".join(value.describe_lines()))
        lines.append(f"Spec hash: {self.digest()}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()
