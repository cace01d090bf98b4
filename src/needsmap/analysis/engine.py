"""The analysis: gaps, use-case readiness, demand and supply per attribute and system.

:func:`analyse` is a pure function of a :class:`~needsmap.format.model.Workshop`: it
reads nothing else, changes nothing, and returns an :class:`Analysis`.  The
terminal UI calls it after every edit, so it is built for speed: one pass
builds plain lookup tables (:class:`Index`), each rule reads them, and the two
graph questions (identity components, freshest feed paths) run on small
projections from :mod:`needsmap.analysis.graph`.

Rules are described in :mod:`needsmap.analysis.rules` and docs/rules.md.  Use cases
with status ``rejected`` are left out of everything that is about needs: no
one is going to build them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from needsmap.analysis.graph import RANK_NAME, UNKNOWN_RANK, best_paths, identity_components, path_to, rank
from needsmap.analysis.privacy import ConsentPart, PrivacyMemo, privacy_rules
from needsmap.analysis.replaced import Changes, ReplacedItems
from needsmap.analysis.rules import RULE_ORDER, RULES
from needsmap.format import model as m
from needsmap.util.gcpause import gc_paused

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
#: The orders findings are listed in (docs/rules.md "Order of the findings"): "blockers", the default, puts the
#: errors that block a use case first and then ranks by impact; "impact" ranks by impact alone.
ORDERS = ("blockers", "impact")
#: Value of a use case that has not been scored yet: the middle of the 1..5 scale.
UNSCORED_VALUE = 3
_CRIT_SEVERITY = {"must": "error", "should": "warning", "could": "info"}


@dataclass(frozen=True, slots=True)
class _LowEverywhere:
    """A rule for a measure of holdings that is below its threshold in every system holding a needed attribute."""

    rule: str
    measure: str  # the Holding field
    threshold: str  # the Index field with the threshold
    details: str  # the Gap.details key of the values per system
    says: str  # after the attribute's label; a format template of ``threshold`` and ``best``
    fix: str


_LOW_EVERYWHERE = (
    _LowEverywhere(
        "low-quality",
        "quality",
        "min_quality",
        "qualities",
        "quality is below {threshold} in every system that holds it (best {best}/5)",
        "Have the owner fix quality at the source, or raise it in the system that should be master.",
    ),
    _LowEverywhere(
        "low-coverage",
        "coverage",
        "min_coverage",
        "coverages",
        "filled for {best:.0%} of customers at best, below the {threshold:.0%} threshold",
        "Add a capture moment to a process (a step that creates it) or enrich it from another source.",
    ),
)
Subject = tuple[str, str]  # (kind, id): ("attribute", "email")
#: What identifies a finding across versions of a workshop: (rule, subjects).
GapKey = tuple[str, tuple[Subject, ...]]
#: A part of a memo key: compared for equality with the previous run's, nothing else.
_KeyPart = tuple[object, ...]
NeedKey = tuple[str, str]  # (use case, attribute)
#: The path a need takes: the systems from a holder to where the use case runs, and its freshness.
NeedPath = tuple[tuple[str, ...], str | None]
#: What an attribute unit recorded about a need, to replay when the unit is taken from the memo:
#: (0, need, problem), (1, need, path) or (2, need, freshness at best).
_LogEntry = tuple[Literal[0], NeedKey, str] | tuple[Literal[1], NeedKey, NeedPath] | tuple[Literal[2], NeedKey, str]
#: Per attribute: its key, and the gaps and log its rules produced.
_UnitMemo = dict[str, tuple[_KeyPart, tuple[tuple["Gap", ...], tuple[_LogEntry, ...]]]]
#: A finding of a whole-workshop rule but its use cases: (rule, severity, subjects, message, action, details,
#: where), for the rules whose use cases are added each time (they follow edits of the use cases)
_Call = tuple[str, str, list[Subject], str, str, dict[str, Any], tuple[int, int] | None]


@dataclass(frozen=True, slots=True)
class Gap:
    """One finding of a gap rule."""

    rule: str
    severity: str
    subjects: tuple[Subject, ...]
    message: str
    action: str
    use_cases: tuple[str, ...] = ()
    impact: int = 0
    details: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    where: tuple[int, int] | None = field(default=None, compare=False)

    @property
    def code(self) -> str:
        return RULES[self.rule].code

    @property
    def why(self) -> str:
        return RULES[self.rule].why

    @property
    def key(self) -> tuple[str, tuple[Subject, ...]]:
        """Identifies the same finding across versions of a workshop."""
        return (self.rule, self.subjects)

    def subject_ids(self, kind: str) -> list[str]:
        return [i for k, i in self.subjects if k == kind]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity,
            "subjects": [{"kind": k, "id": i} for k, i in self.subjects],
            "message": self.message,
            "why": self.why,
            "action": self.action,
            "use_cases": list(self.use_cases),
            "impact": self.impact,
            "details": self.details,
            "line": self.where[0] if self.where else None,
            "column": self.where[1] if self.where else None,
        }


@dataclass(frozen=True, slots=True)
class NeedStatus:
    """How one need of one use case stands."""

    use_case: str
    attribute: str
    criticality: str
    freshness: str
    problems: tuple[str, ...]  # rule slugs, in RULE_ORDER
    path: tuple[str, ...] = ()  # systems from a holder to the executing system
    path_freshness: str | None = None

    @property
    def satisfied(self) -> bool:
        return not any(p in _BLOCKING_NEED_PROBLEMS for p in self.problems)


_BLOCKING_NEED_PROBLEMS = frozenset({"missing-source", "unreachable", "stale", "low-quality", "low-coverage"})


#: The four parts of readiness, in the order they are shown.
PARTS = ("data", "identity", "consent", "process")
#: How each part stands, best first; the use case takes the worst of its parts.
PART_STATUSES = ("ok", "at-risk", "blocked")
_PART_RANK = {s: i for i, s in enumerate(PART_STATUSES)}
_STATUS_OF_PART = {"ok": "ready", "at-risk": "at-risk", "blocked": "blocked"}
_PART_OF_STATUS = {"ready": "ok", "at-risk": "at-risk", "blocked": "blocked"}


@dataclass(frozen=True, slots=True)
class Readiness:
    """How ready one use case is: four parts (data, identity, consent, process), the worst of them wins."""

    use_case: str
    title: str
    status: str  # ready | at-risk | blocked
    must_total: int
    must_satisfied: int
    #: why, worst first: the data part's phrases name an attribute ('E-mail address does not reach Store
    #: tills'); the other parts' phrases start with the part ('identity: runs in MDM, off the mainland')
    reasons: tuple[str, ...]
    needs: tuple[NeedStatus, ...]
    #: part -> ok | at-risk | blocked, for every part of :data:`PARTS`
    parts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(PARTS, "ok"))
    #: the parts at the worst level (empty when ready)
    because: tuple[str, ...] = ()
    #: each reason with the part it belongs to: (part, reason)
    why: tuple[tuple[str, str], ...] = ()
    #: the systems off the person-level mainland that block the identity part
    islands: tuple[str, ...] = ()

    @property
    def must_share(self) -> float:
        return 1.0 if self.must_total == 0 else self.must_satisfied / self.must_total


@dataclass(frozen=True, slots=True)
class AttributeRow:
    """Demand and supply of one attribute."""

    id: str
    name: str
    entity: str
    owner: str | None
    needed_by: tuple[tuple[str, str], ...]  # (use case, criticality)
    held_by: tuple[tuple[str, str], ...]  # (system, role)
    written_by: tuple[tuple[str, str, str | None], ...]  # (process, action, function)
    gaps: int


@dataclass(frozen=True, slots=True)
class SystemRow:
    id: str
    name: str
    kind: str | None
    holds: int
    masters: int
    needed_held: int
    identifiers: tuple[str, ...]
    feeds_in: tuple[str, ...]
    feeds_out: tuple[str, ...]
    executes: tuple[str, ...]  # use cases that run in it
    component: int  # index into Analysis.identity_components, -1 without customer data
    gaps: int


@dataclass(slots=True)
class Analysis:
    gaps: list[Gap]  # in the default order, "blockers"
    readiness: dict[str, Readiness]
    attributes: list[AttributeRow]
    systems: list[SystemRow]
    identity_components: list[list[str]]
    #: The keys of the findings that block a use case (see :func:`blocking_findings`).
    blocking: frozenset[GapKey] = frozenset()

    def blocks(self, gap: Gap) -> bool:
        """Whether ``gap`` is an error that blocks a use case."""
        return gap.key in self.blocking

    def ordered(self, order: str = "blockers") -> list[Gap]:
        """The findings in ``order``, one of :data:`ORDERS`."""
        return list(self.gaps) if order == "blockers" else sort_gaps(self.gaps, self.blocking, order)

    def by_rule(self) -> dict[str, list[Gap]]:
        out: dict[str, list[Gap]] = {}
        for gap in self.gaps:
            out.setdefault(gap.rule, []).append(gap)
        return dict(sorted(out.items(), key=lambda kv: RULE_ORDER[kv[0]]))

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for gap in self.gaps:
            counts[gap.severity] += 1
        return counts

    def readiness_counts(self) -> dict[str, int]:
        counts = {"ready": 0, "at-risk": 0, "blocked": 0}
        for r in self.readiness.values():
            counts[r.status] += 1
        return counts


class Index:
    """Lookup tables over a workshop, built in one pass per section.

    ``previous`` with ``same`` (names of :data:`needsmap.analysis.replaced.SECTIONS`) reuses the previous
    index's tables of the sections whose items are the very same objects as then: the
    editing session never changes an item in place (an edit replaces it), so an edit of
    one use case rebuilds the use-case tables only.  The tables are never changed after
    they are built, so sharing them is safe.
    """

    attrs: dict[str, m.Attribute]
    identifiers: set[str]
    person_ids: set[str]  # only identifiers of a person link systems
    stakeholders: dict[str, m.Stakeholder]
    function_of: dict[str, str | None]
    systems: dict[str, m.System]
    holdings: dict[str, list[tuple[str, m.Holding]]]
    held_in: dict[str, dict[str, m.Holding]]
    carried: dict[str, list[tuple[str, str, int]]]
    feeds_out: dict[str, list[m.Feed]]
    feeds_in: dict[str, list[str]]
    masters_of: dict[str, list[str]]
    use_cases: dict[str, m.UseCase]
    active: list[m.UseCase]
    value: dict[str, int]
    needs: dict[str, list[tuple[m.UseCase, m.Need]]]
    needed: frozenset[str]  # the attributes some active use case needs
    processes: dict[str, m.Process]
    #: attribute -> [(process, step index, action, function of the process owner)]
    writers: dict[str, list[tuple[m.Process, int, str, str | None]]]
    # the parts of each attribute's memo key (see unit_key), collected in the same passes
    _hold_keys: dict[str, list[_KeyPart]]
    _need_keys: dict[str, list[_KeyPart]]
    _writer_keys: dict[str, list[_KeyPart]]
    _hops_keys: dict[str, _KeyPart]
    _needing: dict[str, tuple[str, ...]]

    def __init__(
        self,
        ws: m.Workshop,
        reach_memo: dict[_KeyPart, frozenset[str]] | None = None,
        previous: Index | None = None,
        same: frozenset[str] = frozenset(),
    ) -> None:
        self.ws = ws
        #: systems reached along feeds, kept across analyses of successive versions (keyed by the feeds used)
        self._reach_memo: dict[_KeyPart, frozenset[str]] = {} if reach_memo is None else reach_memo
        st = ws.effective_settings
        self.min_quality = st.effective_min_quality
        self.min_coverage = st.effective_min_coverage
        self.marketing_channels = set(st.effective_marketing_channels)
        prev = previous if previous is not None else self
        reuse = same if previous is not None else frozenset()
        if "attributes" in reuse:
            self.attrs, self.identifiers, self.person_ids = prev.attrs, prev.identifiers, prev.person_ids
        else:
            self._index_attributes(ws)
        if "stakeholders" in reuse:
            self.stakeholders, self.function_of = prev.stakeholders, prev.function_of
        else:
            self.stakeholders = {s.id: s for s in ws.stakeholders}
            self.function_of = {s.id: s.function for s in ws.stakeholders}
        if "systems" in reuse:
            self._take_systems(prev)
        else:
            self._index_systems(ws)
        if "use_cases" in reuse:
            self._take_use_cases(prev)
        else:
            self._index_use_cases(ws)
        if "processes" in reuse and "stakeholders" in reuse:  # a writer's key names its owner's function
            self.writers, self._writer_keys, self.processes = prev.writers, prev._writer_keys, prev.processes
        else:
            self._index_processes(ws)

    def _index_attributes(self, ws: m.Workshop) -> None:
        self.attrs = {a.id: a for a in ws.attributes}
        self.identifiers = {a.id for a in ws.attributes if a.is_identifier}
        self.person_ids = {a.id for a in ws.attributes if a.identifies_person}

    def _index_systems(self, ws: m.Workshop) -> None:
        self.systems = {s.id: s for s in ws.systems}
        self.holdings = defaultdict(list)
        self.held_in = {}
        self._hold_keys = defaultdict(list)
        for sy in ws.systems:
            mine: dict[str, m.Holding] = {}
            sid = sy.id
            for h in sy.holds:
                self.holdings[h.attribute].append((sid, h))
                self._hold_keys[h.attribute].append(
                    (sid, h.role, h.quality, h.freshness, h.coverage, h.definition, h.type)
                )
                mine.setdefault(h.attribute, h)
            self.held_in[sid] = mine
        self.carried = defaultdict(list)
        self.feeds_out = defaultdict(list)
        self.feeds_in = defaultdict(list)
        for sy in ws.systems:
            for fd in sy.feeds:
                self.feeds_out[sy.id].append(fd)
                self.feeds_in[fd.to].append(sy.id)
                r = rank(fd.frequency)
                for a in fd.attributes:
                    self.carried[a].append((sy.id, fd.to, r))
        self.masters_of = defaultdict(list)
        for attr, held in self.holdings.items():
            for sid, h in held:
                if h.role == "master":
                    self.masters_of[attr].append(sid)
        self._hops_keys = {}

    def _take_systems(self, previous: Index) -> None:
        self.systems, self.holdings, self.held_in = previous.systems, previous.holdings, previous.held_in
        self._hold_keys, self.carried, self.masters_of = previous._hold_keys, previous.carried, previous.masters_of
        self.feeds_out, self.feeds_in, self._hops_keys = previous.feeds_out, previous.feeds_in, previous._hops_keys

    def _index_use_cases(self, ws: m.Workshop) -> None:
        self.use_cases = {u.id: u for u in ws.use_cases}
        self.active = [u for u in ws.use_cases if u.status != "rejected"]
        self.value = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in self.active}
        self.needs = defaultdict(list)
        self._need_keys = defaultdict(list)
        for uc in self.active:
            uc_key = (uc.id, uc.value, tuple(uc.executes_in))
            for nd in uc.needs:
                self.needs[nd.attribute].append((uc, nd))
                self._need_keys[nd.attribute].append((uc_key, nd.criticality, nd.freshness))
        self._needing = {}
        self.needed = frozenset(a for a, found in self.needs.items() if found)

    def _take_use_cases(self, previous: Index) -> None:
        self.use_cases, self.active, self.value = previous.use_cases, previous.active, previous.value
        self.needs, self._need_keys, self._needing = previous.needs, previous._need_keys, previous._needing
        self.needed = previous.needed

    def _index_processes(self, ws: m.Workshop) -> None:
        self.writers = defaultdict(list)
        self._writer_keys = defaultdict(list)
        self.processes = {}
        for p in ws.processes:
            self.processes.setdefault(p.id, p)
            fn = self.function_of.get(p.owner) if p.owner else None
            for i, step in enumerate(p.steps):
                for attr in step.creates:
                    self.writers[attr].append((p, i, "creates", fn))
                    self._writer_keys[attr].append((p.id, i, "creates", fn))
                for attr in step.updates:
                    self.writers[attr].append((p, i, "updates", fn))
                    self._writer_keys[attr].append((p.id, i, "updates", fn))

    def unit_key(self, attr: str) -> _KeyPart:
        """Everything the per-attribute rules read about ``attr``: equal keys, equal results."""
        a = self.attrs.get(attr)
        empty = ()
        return (
            (
                a.name,
                a.entity,
                a.type,
                a.definition,
                a.effective_identifies,
                a.sensitivity,
                a.owner,
                self.function_of.get(a.owner) if a.owner else None,
            )
            if a
            else None,
            tuple(self._hold_keys.get(attr, empty)),
            tuple(self.carried.get(attr, empty)),
            tuple(self._need_keys.get(attr, empty)),
            tuple(self._writer_keys.get(attr, empty)),
        )

    def topology_key(self) -> _KeyPart:
        """Which system feeds which (messages name existing feeds); a change re-runs every attribute."""
        return tuple((s, tuple(fd.to for fd in feeds)) for s, feeds in self.feeds_out.items())

    def use_cases_needing(self, attr: str) -> tuple[str, ...]:
        found = self._needing.get(attr)
        if found is None:
            found = self._needing[attr] = tuple(dict.fromkeys(uc.id for uc, _ in self.needs.get(attr, ())))
        return found

    def reach(self, attr: str, start: str) -> frozenset[str]:
        """The systems a chain of feeds that all carry ``attr`` leads to from ``start`` (``start`` included)."""
        carried = self.carried.get(attr, ())
        hops_key = self._hops_keys.get(attr)
        if hops_key is None:
            hops_key = self._hops_keys[attr] = tuple((a, b) for a, b, _ in carried)
        key = (attr, start, hops_key)
        found = self._reach_memo.get(key)
        if found is None:
            hops: dict[str, list[str]] = defaultdict(list)
            for a, b, _ in carried:
                hops[a].append(b)
            seen = {start}
            todo = [start]
            while todo:
                for nxt in hops.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            found = self._reach_memo[key] = frozenset(seen)
            if len(self._reach_memo) > 200_000:  # versions long gone: start again
                self._reach_memo.clear()
                self._reach_memo[key] = found
        return found

    def impact(self, use_cases: Iterable[str]) -> int:
        return sum(self.value.get(u, 0) for u in use_cases)

    def attr_label(self, attr: str) -> str:
        a = self.attrs.get(attr)
        return f"'{a.name}' ({attr})" if a and a.name and a.name != attr else f"'{attr}'"

    # -- what people read: names and titles, the id only when there is none -----------------
    def system_name(self, sid: str) -> str:
        s = self.systems.get(sid)
        return s.name if s is not None and s.name else sid

    def system_names(self, ids: Iterable[str]) -> list[str]:
        return [self.system_name(s) for s in ids]

    def use_case_name(self, uid: str) -> str:
        u = self.use_cases.get(uid)
        return f"'{u.title}'" if u is not None and u.title else f"'{uid}'"

    def use_case_names(self, ids: Iterable[str]) -> list[str]:
        return [self.use_case_name(u) for u in ids]

    def person_name(self, pid: str) -> str:
        p = self.stakeholders.get(pid)
        return p.name if p is not None and p.name else pid

    def process_name(self, pid: str) -> str:
        p = self.processes.get(pid)
        return f"'{p.name}'" if p is not None and p.name else f"'{pid}'"

    def names_key(self) -> _KeyPart:
        """The names messages show: a change of one re-runs every rule (rare: names are settled early)."""
        ws = self.ws
        return (
            tuple(s.name for s in ws.systems),
            tuple(u.title for u in ws.use_cases),
            tuple(s.name for s in ws.stakeholders),
            tuple(p.name for p in ws.processes),
            tuple(a.name for a in ws.attributes),
        )


def _by_need(log: Iterable[_LogEntry]) -> dict[NeedKey, list[tuple[int, object]]]:
    """A unit's log grouped by need, to see which needs an edit really changed."""
    out: dict[NeedKey, list[tuple[int, object]]] = defaultdict(list)
    for kind, key, value in log:
        out[key].append((kind, value))
    return out


def _where(item: object) -> tuple[int, int] | None:
    return m.loc_position(getattr(item, "loc", None))


def _names(ids: Iterable[str], limit: int = 6) -> str:
    """Names in a sentence: "a, b and 2 more"; separated by "; " when a name has a comma of its own."""
    listed = list(ids)
    sep = "; " if any("," in n for n in listed[:limit]) else ", "
    shown = sep.join(listed[:limit])
    return shown + (f" and {len(listed) - limit} more" if len(listed) > limit else "")


_IdentityPart = tuple[str, tuple[str, ...], tuple[str, ...]]  # (status, island systems, because)


class IdentityMemo:
    """The identity part of each use case's readiness in the last version.

    It reads the use case, the holdings of what it needs (the systems) and which systems are on the
    person-level mainland, so it holds while the use case is the same object, the systems are the
    same and the mainland did not move.
    """

    def __init__(self) -> None:
        self.parts: dict[str, tuple[m.UseCase, _IdentityPart]] = {}
        self.fresh: dict[str, tuple[m.UseCase, _IdentityPart]] = {}
        self.touched: frozenset[str] | None = frozenset()
        self._map: tuple[frozenset[str], frozenset[str]] | None = None

    def start(
        self, same: frozenset[str], touched: frozenset[str] | None, mainland: set[str], off_mainland: set[str]
    ) -> None:
        """Begin a version: keep what still holds, and collect this version's parts in ``fresh``.

        With the systems replaced, a part still holds when the mainland did not move and no attribute the
        use case must have was touched (``touched``: the attributes whose holdings the edit changed).
        """
        now = (frozenset(mainland), frozenset(off_mainland))
        keep = now == self._map and ("systems" in same or touched is not None)
        self.parts = self.fresh if keep else {}
        self.touched = frozenset() if "systems" in same else touched
        self.fresh = {}
        self._map = now


class _Analyser:
    def __init__(
        self,
        ws: m.Workshop,
        reach_memo: dict[_KeyPart, frozenset[str]] | None = None,
        previous: Index | None = None,
        changes: Changes | None = None,
    ) -> None:
        self.ws = ws
        self.ix = Index(ws, reach_memo, previous, changes.same if changes else frozenset())
        #: attributes whose per-attribute rules may read something new; None: any of them
        self.touched = changes.touched if changes else None
        #: item sections whose items are the same objects as in the previous version (empty: none known)
        self.same = changes.same if changes and previous is not None else frozenset()
        #: systems replaced since the previous version (meaningful when ``touched`` is not None)
        self.replaced_systems = changes.systems if changes else frozenset()
        self.gaps: list[Gap] = []
        self.need_problems: dict[NeedKey, list[str]] = defaultdict(list)
        self.need_paths: dict[NeedKey, NeedPath] = {}
        self.at_best: dict[NeedKey, str] = {}  # stale on a partly unknown path: its known freshness
        self._log: list[_LogEntry] = []  # what the current attribute unit recorded
        self.recomputed: set[str] = set()  # attributes whose rules ran (not taken from the memo)
        # (use case, attribute) needs whose problems or path may differ from the memo's
        self.changed_needs: set[tuple[str, str]] = set()
        self.mainland: set[str] = set()
        self.off_mainland: set[str] = set()
        #: per process, the rules of the findings on its steps (step-not-held, copy-never-reaches-master)
        self.process_findings: dict[str, set[str]] = defaultdict(set)

    def gap(
        self,
        rule: str,
        severity: str,
        subjects: Iterable[Subject],
        message: str,
        action: str,
        use_cases: Iterable[str] = (),
        details: dict[str, Any] | None = None,
        where: tuple[int, int] | None = None,
    ) -> None:
        ucs = tuple(use_cases)
        self.gaps.append(
            Gap(rule, severity, tuple(subjects), message, action, ucs, self.ix.impact(ucs), details or {}, where)
        )

    def _problem(self, key: NeedKey, problem: str) -> None:
        self.need_problems[key].append(problem)
        self._log.append((0, key, problem))

    def _path(self, key: NeedKey, value: NeedPath) -> None:
        self.need_paths[key] = value
        self._log.append((1, key, value))

    def _at_best(self, key: NeedKey, value: str) -> None:
        self.at_best[key] = value
        self._log.append((2, key, value))

    # -- per attribute: everything that depends on one attribute only -----------------
    def attributes_pass(self, memo: _UnitMemo) -> None:
        """The per-attribute rules, reusing results from ``memo`` where nothing they read changed."""
        ix = self.ix
        units = list(dict.fromkeys([*ix.attrs, *ix.needs]))
        fresh: _UnitMemo = {}
        self.recomputed = recomputed = set()
        touched = self.touched
        for attr in units:
            cached = memo.get(attr)
            # an attribute no replaced item mentions reads what it read last time: its key is the same
            key = cached[0] if cached is not None and touched is not None and attr not in touched else ix.unit_key(attr)
            if cached is not None and cached[0] == key:
                gaps, log = cached[1]
                self.gaps.extend(gaps)
                for entry in log:  # (kind, need, value): indexed, so that the kind tells the value's type
                    if entry[0] == 0:
                        self.need_problems[entry[1]].append(entry[2])
                    elif entry[0] == 1:
                        self.need_paths[entry[1]] = entry[2]
                    else:
                        self.at_best[entry[1]] = entry[2]
                fresh[attr] = cached
                continue
            recomputed.add(attr)
            start = len(self.gaps)
            self._log = []
            needers = ix.needs.get(attr)
            if needers:
                self._needs_of(attr, needers)
            a = ix.attrs.get(attr)
            if a is not None:
                self._holdings_of(a)
                self._feeds_of(a)
                self._ownership_of(a)
                if not needers:
                    self._unused_of(a)
            log = tuple(self._log)
            fresh[attr] = (key, (tuple(self.gaps[start:]), log))
            old_log = cached[1][1] if cached is not None else None
            if old_log != log:
                before, after = _by_need(old_log or ()), _by_need(log)
                self.changed_needs.update(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        memo.clear()
        memo.update(fresh)

    # -- needs: sources, paths, quality ------------------------------------------
    def _needs_of(self, attr: str, needers: list[tuple[m.UseCase, m.Need]]) -> None:
        ix = self.ix
        if True:  # one attribute (indented as a block to keep the rule code together)
            holders = ix.holdings.get(attr, [])
            label = ix.attr_label(attr)
            a = ix.attrs.get(attr)
            ucs = ix.use_cases_needing(attr)
            if not holders:
                worst = min((nd.effective_criticality for _, nd in needers), key=m.CRITICALITIES.index)
                for uc, _nd in needers:
                    self._problem((uc.id, attr), "missing-source")
                self.gap(
                    "missing-source",
                    _CRIT_SEVERITY[worst],
                    [("attribute", attr)],
                    f"{label} is needed by {_names(ix.use_case_names(ucs))} but no system holds it",
                    "Decide where to capture and master it: add a holding and the process step that "
                    "creates it, or drop the need.",
                    ucs,
                    {"criticality": worst},
                    _where(a),
                )
                return
            for low in _LOW_EVERYWHERE:
                values = {s: getattr(h, low.measure) for s, h in holders}
                threshold = getattr(ix, low.threshold)
                if not all(v is not None and v < threshold for v in values.values()):
                    continue
                for uc, _ in needers:
                    self._problem((uc.id, attr), low.rule)
                best = max(v for v in values.values() if v is not None)
                says = low.says.format(threshold=threshold, best=best)
                self.gap(
                    low.rule,
                    "warning",
                    [("attribute", attr)],
                    f"{label}: {says}",
                    low.fix,
                    ucs,
                    {low.details: values},
                    _where(a),
                )
            sources = {s: rank(h.freshness) for s, h in holders}
            paths = best_paths(sources, ix.carried.get(attr, []))
            for uc, nd in needers:
                self._need_path(uc, nd, attr, label, paths, holders)

    def _need_path(
        self,
        uc: m.UseCase,
        nd: m.Need,
        attr: str,
        label: str,
        paths: dict[str, tuple[int, tuple[str, ...]]],
        holders: list[tuple[str, m.Holding]],
    ) -> None:
        key = (uc.id, attr)
        crit = nd.effective_criticality
        targets = uc.executes_in or [s for s, _ in holders]
        reached = [(paths[t][0], t) for t in targets if t in paths]
        if not reached:
            ix = self.ix
            held = [s for s, _ in holders]
            running = ix.system_names(uc.executes_in)
            spread = sorted(set(paths) - set(held))
            self._problem(key, "unreachable")
            near = [fd for s in held for fd in self.ix.feeds_out.get(s, ()) if fd.to in targets]
            if near:
                src = next(s for s in held for fd in self.ix.feeds_out.get(s, ()) if fd.to in targets)
                action = (
                    f"Add {label} to the existing feed {ix.system_name(src)} -> {ix.system_name(near[0].to)}, "
                    f"or hold it in {_names(running)}."
                )
            else:
                action = (
                    f"Add a feed carrying {label} from {ix.system_name(held[0])} (or another holder) into "
                    f"{_names(running)}, or hold it there."
                )
            reach = f"; feeds take it as far as {_names(ix.system_names(spread))}" if spread else ""
            self.gap(
                "unreachable",
                _CRIT_SEVERITY[crit],
                [("use_case", uc.id), ("attribute", attr)],
                f"{label} never reaches {_names(running)}, where {ix.use_case_name(uc.id)} runs: held in "
                f"{_names(ix.system_names(held))}{reach}",
                action,
                [uc.id],
                {"criticality": crit, "held_in": held, "reaches": spread, "executes_in": list(uc.executes_in)},
                _where(nd) or _where(uc),
            )
            return
        best_rank, target = min(reached)
        path = tuple(path_to(paths, target))
        self._path(key, (path, RANK_NAME[best_rank]))
        needed = rank(nd.freshness)
        if needed == UNKNOWN_RANK:
            return
        ix = self.ix
        route = " -> ".join(ix.system_names(path))
        who = ix.use_case_name(uc.id)
        if best_rank == UNKNOWN_RANK:
            known = self._known_part(attr, path, holders)
            if known is not None and known > needed:
                self._problem(key, "stale")
                self._at_best(key, RANK_NAME[known])
                self.gap(
                    "stale",
                    "warning" if crit == "must" else "info",
                    [("use_case", uc.id), ("attribute", attr)],
                    f"{who} needs {label} {nd.freshness}, but along {route} it is {RANK_NAME[known]} "
                    "at best (and part of the way its freshness is unknown)",
                    "Speed up the slowest hop (a more frequent or event-driven feed), hold it in the executing "
                    "system, or relax the need.",
                    [uc.id],
                    {
                        "path": list(path),
                        "path_freshness": "unknown",
                        "at_best": RANK_NAME[known],
                        "needed": nd.freshness,
                        "criticality": crit,
                    },
                    _where(nd) or _where(uc),
                )
                return
            self._problem(key, "unknown-freshness")
            self.gap(
                "unknown-freshness",
                "info",
                [("use_case", uc.id), ("attribute", attr)],
                f"{who} needs {label} {nd.freshness}, but how fresh it is "
                f"{'in' if len(path) == 1 else 'along'} {route} is unknown",
                "Ask the system owners how often the holding is refreshed and the feeds run; record it.",
                [uc.id],
                {"path": list(path), "needed": nd.freshness},
                _where(nd) or _where(uc),
            )
        elif best_rank > needed:
            self._problem(key, "stale")
            how = (
                f"{ix.system_name(path[0])} holds it {RANK_NAME[best_rank]}"
                if len(path) == 1
                else f"the freshest path, {route}, is {RANK_NAME[best_rank]}"
            )
            self.gap(
                "stale",
                "warning" if crit == "must" else "info",
                [("use_case", uc.id), ("attribute", attr)],
                f"{who} needs {label} {nd.freshness}, but {how}",
                "Speed up the slowest hop (a more frequent or event-driven feed), hold it in the executing "
                "system, or relax the need.",
                [uc.id],
                {
                    "path": list(path),
                    "path_freshness": RANK_NAME[best_rank],
                    "needed": nd.freshness,
                    "criticality": crit,
                },
                _where(nd) or _where(uc),
            )

    def _known_part(self, attr: str, path: tuple[str, ...], holders: list[tuple[str, m.Holding]]) -> int | None:
        """The slowest known freshness along a path (holding, then each hop), or None if none is known."""
        ranks = [rank(h.freshness) for s, h in holders if s == path[0]][:1]
        carried = self.ix.carried.get(attr, ())
        for u, v in zip(path, path[1:]):
            ranks.append(min((r for a, b, r in carried if a == u and b == v), default=UNKNOWN_RANK))
        known = [r for r in ranks if r != UNKNOWN_RANK]
        return max(known) if known else None

    # -- holdings: masters and meanings ---------------------------------------------
    def _holdings_of(self, a: m.Attribute) -> None:
        ix = self.ix
        if True:
            holders = ix.holdings.get(a.id, [])
            if not holders:
                return
            label = ix.attr_label(a.id)
            ucs = ix.use_cases_needing(a.id)
            systems = [s for s, _ in holders]
            masters = [s for s, h in holders if h.role == "master"]
            computed = any(h.is_computing_source for _, h in holders)  # a derived holding is the value's source
            if len(holders) >= 2 and not masters and not computed:
                self.gap(
                    "no-master",
                    "warning",
                    [("attribute", a.id)],
                    f"{label} is held in {len(holders)} systems ({_names(ix.system_names(systems))}) and none is the "
                    "master",
                    f"Decide which of {_names(ix.system_names(systems))} masters it (role: master) and how the others "
                    "get their copy.",
                    ucs,
                    {"held_in": systems},
                    _where(a),
                )
            elif len(masters) >= 2:
                self.gap(
                    "many-masters",
                    "warning",
                    [("attribute", a.id)],
                    f"{label} has {len(masters)} masters: {_names(ix.system_names(masters))}",
                    "Choose one master, or split it into separate attributes if they mean different things.",
                    ucs,
                    {"masters": masters},
                    _where(a),
                )
            types = ({a.type} if a.type else set()) | {h.type for _, h in holders if h.type}
            meanings = ({a.definition} if a.definition else set()) | {h.definition for _, h in holders if h.definition}
            if len(types) > 1 or len(meanings) > 1:
                what = []
                if len(types) > 1:
                    local = "; ".join(
                        f"{ix.system_name(s)}: {h.type}" for s, h in holders if h.type and h.type != a.type
                    )
                    what.append(
                        f"types differ ({a.type} in the workshop; {local})" if a.type else f"types differ ({local})"
                    )
                if len(meanings) > 1:
                    local_defs = [s for s, h in holders if h.definition and h.definition != a.definition]
                    verb = "defines" if len(local_defs) == 1 else "define"
                    whose = "its" if len(local_defs) == 1 else "their"
                    what.append(f"{_names(ix.system_names(local_defs))} {verb} it {whose} own way")
                self.gap(
                    "definition-conflict",
                    "warning",
                    [("attribute", a.id)],
                    f"{label}: {'; '.join(what)}",
                    "Agree one definition with the owner; map the local variants or model them as separate "
                    "attributes, and record the decision as a note.",
                    ucs,
                    {"types": sorted(types), "definitions": {s: h.definition for s, h in holders if h.definition}},
                    _where(a),
                )

    # -- lineage: feeds that carry what their source never has ----------------------------
    def _feeds_of(self, a: m.Attribute) -> None:
        """feed-without-source: a feed out of S lists the attribute, S does not hold it and no feed into S
        lists it.  Such a feed takes nothing anywhere: paths ignore it (they start at holdings)."""
        ix = self.ix
        carried = ix.carried.get(a.id)
        if not carried:
            return
        holders = {s for s, _ in ix.holdings.get(a.id, ())}
        fed = {b for _, b, _ in carried}
        targets: dict[str, list[str]] = {}
        for src, to, _ in carried:
            if src not in holders and src not in fed:
                targets.setdefault(src, []).append(to)
        if not targets:
            return
        label = ix.attr_label(a.id)
        for src, tos in targets.items():
            tos = list(dict.fromkeys(tos))
            ucs = [uc.id for uc, _ in ix.needs.get(a.id, ()) if set(uc.executes_in).intersection(tos)]
            self.gap(
                "feed-without-source",
                "warning",
                [("system", src), ("attribute", a.id)],
                f"the feed {ix.system_name(src)} -> {_names(ix.system_names(tos), 3)} lists {label}, but "
                f"{ix.system_name(src)} neither holds it nor receives it "
                "from any feed, so the feed carries nothing",
                f"Hold {label} in {ix.system_name(src)}, feed it into {ix.system_name(src)} from a system that holds "
                "it, or take it off the feed.",
                dict.fromkeys(ucs),
                {"to": tos[0], "feeds_to": tos},
                _where(ix.systems[src]) if src in ix.systems else None,
            )

    # -- ownership ----------------------------------------------------------------------
    def _ownership_of(self, a: m.Attribute) -> None:
        ix = self.ix
        if True:
            ucs = ix.use_cases_needing(a.id)
            label = ix.attr_label(a.id)
            if ucs and not a.owner:
                self.gap(
                    "no-owner",
                    "warning",
                    [("attribute", a.id)],
                    f"{label} is needed by {_names(ix.use_case_names(ucs))} but has no owner",
                    "Appoint an owner from the function that lives with its quality.",
                    ucs,
                    {},
                    _where(a),
                )
            writers = ix.writers.get(a.id, [])
            functions = sorted({fn for _, _, _, fn in writers if fn})
            if not writers:
                return
            if not a.owner and len(functions) >= 2:
                self.gap(
                    "contested",
                    "warning",
                    [("attribute", a.id)],
                    f"{label} is written by processes of {', '.join(functions)} and nobody owns it",
                    f"Appoint an owner from {' or '.join(functions)} and agree who may change it.",
                    ucs,
                    {"writing_functions": functions},
                    _where(a),
                )
            elif a.owner:
                owner_fn = ix.function_of.get(a.owner)
                if owner_fn and functions and owner_fn not in functions:
                    self.gap(
                        "contested",
                        "warning",
                        [("attribute", a.id), ("stakeholder", a.owner)],
                        f"{label} is owned by {ix.person_name(a.owner)} ({owner_fn}), but only {', '.join(functions)} "
                        "processes write it",
                        f"Confirm {ix.person_name(a.owner)} as owner with {', '.join(functions)}, or move ownership to a "
                        "function that writes it.",
                        ucs,
                        {"writing_functions": functions, "owner_function": owner_fn},
                        _where(a),
                    )

    # -- identity --------------------------------------------------------------------
    def identity(self) -> list[list[str]]:
        """Identity components over person-level links; identity-island, no-identifier, non-person-identifier.

        Two systems are linked when both hold the same identifier of a person (``identifies_person``) and
        neither holding is filled for fewer customers than min_coverage (unknown coverage links).  A system
        that holds identifiers but none that links it is a component of its own.
        """
        ix = self.ix
        with_data = [s.id for s in self.ws.systems if ix.held_in.get(s.id)]
        idents = {sid: {a for a in ix.held_in[sid] if a in ix.identifiers} for sid in with_data}
        floor = ix.min_coverage

        def links_people(sid: str, a: str) -> bool:
            """A person-level identifier filled for enough customers (unknown coverage links)."""
            coverage = ix.held_in[sid][a].coverage
            return a in ix.person_ids and (coverage is None or coverage >= floor)

        links = {sid: {a for a in idents[sid] if links_people(sid, a)} for sid in with_data}
        for sid in with_data:
            if not idents[sid]:
                ucs = self._use_cases_touching([sid])
                n = len(ix.held_in[sid])
                self.gap(
                    "no-identifier",
                    "warning",
                    [("system", sid)],
                    f"{ix.system_name(sid)} holds {n} customer attribute{'s' if n != 1 else ''} but no identifier, so none of "
                    "it can be tied to a known customer",
                    "Capture an identifier in it (customer number, loyalty id, e-mail), or stop holding "
                    "customer data there.",
                    ucs,
                    {},
                    _where(ix.systems[sid]),
                )
        # systems without any identifier cannot link to anything: no-identifier says so; the identity
        # components are computed over the systems that hold at least one identifier
        linked = [sid for sid in with_data if idents[sid]]
        comps = identity_components(linked, links)
        position = {sid: i for i, sid in enumerate(with_data)}
        needed_held = {sid: len(ix.needed.intersection(ix.held_in[sid])) for sid in linked}
        comps.sort(
            key=lambda c: (
                -len(c),
                -sum(needed_held[s] for s in c),
                -sum(len(ix.held_in[s]) for s in c),
                position[c[0]],
            )
        )
        mainland = comps[0] if comps else []
        self.mainland = set(mainland)
        #: systems holding customer data off the mainland (islands, and systems without an identifier)
        self.off_mainland = {sid for sid in with_data if sid not in self.mainland}
        for comp in comps[1:]:
            island = comp
            ucs = self._use_cases_touching(island)
            needed = any(ix.needs.get(a) for s in island for a in ix.held_in[s])
            person = sorted({a for s in island for a in links[s]})
            others = sorted({a for s in island for a in idents[s]} - set(person))
            if others and not person:
                why = (
                    f"{'it holds' if len(island) == 1 else 'they hold'} no identifier of a person that "
                    f"{'they' if len(mainland) > 1 else 'it'} also hold ({', '.join(self._kind_of(a) for a in others)})"
                )
            else:
                why = (
                    f"{'its' if len(island) == 1 else 'their'} identifiers ({', '.join(person + others)}) are held "
                    "nowhere else"
                )
            self.gap(
                "identity-island",
                "error" if needed else "warning",
                [("system", s) for s in island],
                f"{_names(ix.system_names(island))} cannot be linked to {_names(ix.system_names(mainland), 4)}: {why}",
                f"Hold an identifier of a person that {_names(ix.system_names(mainland), 3)} also hold (e.g. "
                f"{self._common_identifier(mainland)}) in {_names(ix.system_names(island))}.",
                ucs,
                {"component": island, "mainland": mainland, "identifiers": person + others},
                _where(ix.systems[island[0]]),
            )
        self._non_person_identifiers(comps[1:])
        unlinked = [[sid] for sid in with_data if not idents[sid]]
        return comps + unlinked

    def _kind_of(self, attr: str) -> str:
        a = self.ix.attrs[attr]
        return f"{attr}: {a.effective_identifies}"

    def _non_person_identifiers(self, islands: list[list[str]]) -> None:
        """non-person-identifier: an identifier of no person shared by an island and the mainland."""
        ix = self.ix
        on_island = {s for comp in islands for s in comp}
        if not on_island:
            return
        for attr in sorted(ix.identifiers - ix.person_ids):
            holders = ix.holdings.get(attr, ())
            island_side = [s for s, _ in holders if s in on_island]
            main_side = [s for s, _ in holders if s in self.mainland]
            if not island_side or not main_side:
                continue
            a = ix.attrs[attr]
            kind = a.effective_identifies
            ucs = self._use_cases_touching(island_side)
            self.gap(
                "non-person-identifier",
                "warning",
                [("attribute", attr)],
                f"{ix.attr_label(attr)} identifies a {kind}, not a person, and is the only key between "
                f"{_names(ix.system_names(island_side), 3)} and {_names(ix.system_names(main_side), 3)}: matched as a "
                f"person, it would tie the "
                f"data of one {kind} to whoever it is linked to today",
                f"Hold an identifier of a person in {_names(ix.system_names(island_side), 3)} as well, or record which person "
                f"each {kind} belongs to (and when).",
                ucs,
                {
                    "identifies": kind,
                    "links": island_side + main_side,
                    "coverage_on_island": {s: h.coverage for s, h in holders if s in on_island},
                },
                _where(a),
            )

    def _common_identifier(self, systems: list[str]) -> str:
        counts: dict[str, int] = defaultdict(int)
        for s in systems:
            for a in self.ix.held_in.get(s, ()):
                if a in self.ix.person_ids:
                    counts[a] += 1
        return self.ix.attr_label(max(counts, key=lambda a: (counts[a], a))) if counts else "a customer number"

    def _use_cases_touching(self, systems: list[str]) -> tuple[str, ...]:
        """Active use cases that run in, or need data held in, any of ``systems`` (file order)."""
        ix = self.ix
        touching: set[str] = set()
        for sid in systems:
            for a in ix.held_in.get(sid, ()):
                touching.update(ix.use_cases_needing(a))
        chosen = set(systems)
        return tuple(uc.id for uc in ix.active if uc.id in touching or chosen.intersection(uc.executes_in))

    # -- channels and processes ------------------------------------------------------
    def channels(self) -> None:
        ix = self.ix
        used: dict[str, list[str]] = {}
        for uc in ix.active:
            for c in uc.channels:
                used.setdefault(c, []).append(uc.id)
        identified: set[str] = set()
        step_channels: set[str] = set()
        for p in self.ws.processes:
            for st in p.steps:
                if st.channel:
                    step_channels.add(st.channel)
                    if any(a in ix.person_ids for a in st.creates):  # only a person's identifier identifies
                        identified.add(st.channel)
        for c in self.ws.channel_ids:
            if (c in used or c in step_channels) and c not in identified:
                ucs = used.get(c, [])
                self.gap(
                    "anonymous-channel",
                    "warning",
                    [("channel", c)],
                    f"no process step on channel '{c}' captures an identifier, so customers stay anonymous "
                    f"there{f' (used by {_names(ix.use_case_names(ucs))})' if ucs else ''}",
                    f"Add a step on '{c}' that identifies the customer (log-in, loyalty card, e-mail, phone) "
                    "and creates an identifier.",
                    ucs,
                    {},
                    None,
                )

    def steps(self, memo: dict[str, tuple[m.Process, tuple[_Call, ...]]] | None = None) -> None:
        """step-not-held and copy-never-reaches-master, per process step.

        What a process's steps find reads the process and the systems only (the use cases relying on the
        process are added to each finding afterwards), so with ``memo`` (kept across versions) a process
        that is the same object as last time, in a version with the same systems, is not looked at again.
        """
        ix = self.ix
        use_cases_of_process: dict[str, list[str]] = defaultdict(list)
        for uc in ix.active:
            for pid in uc.processes:
                use_cases_of_process[pid].append(uc.id)
        known = memo if memo is not None and self.same else {}
        touched = self.touched if "systems" not in self.same else frozenset()
        fresh: dict[str, tuple[m.Process, tuple[_Call, ...]]] = {}
        for p in self.ws.processes:
            cached = known.get(p.id)
            if cached is not None and cached[0] is p and self._steps_unaffected(p, touched):
                found = cached[1]
            else:
                found = tuple(self._steps_of(p))
            fresh.setdefault(p.id, (p, found))
            ucs = use_cases_of_process.get(p.id, [])
            for rule, severity, subjects, message, action, details, where in found:
                self.process_findings[p.id].add(rule)
                self.gap(rule, severity, subjects, message, action, ucs, details, where)
        if memo is not None:
            memo.clear()
            memo.update(fresh)

    def _steps_unaffected(self, p: m.Process, touched: frozenset[str] | None) -> bool:
        """Whether what ``p``'s steps found still holds: no system of its steps replaced, nothing it writes
        touched (its holdings, masters and the feeds carrying it are what the step rules read)."""
        if touched is None:
            return False
        if not touched and not self.replaced_systems:
            return True
        for st in p.steps:
            if st.system in self.replaced_systems:
                return False
            if not touched.isdisjoint(st.creates) or not touched.isdisjoint(st.updates):
                return False
        return True

    def _steps_of(self, p: m.Process) -> Iterator[_Call]:
        ix = self.ix
        for i, st in enumerate(p.steps):
            if not st.system or st.system not in ix.held_in:
                continue
            held = ix.held_in[st.system]
            lost = self._copy_never_reaches_master(p, i, st, held)
            if lost is not None:
                yield lost
            missing = {}
            for action in ("creates", "reads", "updates"):
                for attr in getattr(st, action):
                    if attr not in held and attr not in missing:
                        missing[attr] = action
            if not missing:
                continue
            attrs = list(missing)
            yield (
                "step-not-held",
                "warning",
                [("process", p.id), ("system", st.system)] + [("attribute", a) for a in attrs],
                f"step {i + 1} ({st.name}) of {ix.process_name(p.id)} "
                + "; ".join(
                    f"{act} {_names(ix.attr_label(a) for a, x in missing.items() if x == act)}"
                    for act in dict.fromkeys(missing.values())
                )
                + f" in {ix.system_name(st.system)}, which does not hold {'it' if len(attrs) == 1 else 'them'}",
                f"Add {'the holding' if len(attrs) == 1 else 'the holdings'} to {ix.system_name(st.system)}, or correct "
                "the step's system or attributes.",
                {"step": i + 1, "step_name": st.name, "actions": missing},
                _where(st),
            )

    def _copy_never_reaches_master(self, p: m.Process, i: int, st: m.Step, held: dict[str, m.Holding]) -> _Call | None:
        """copy-never-reaches-master: the step writes a copy whose master no chain of feeds carrying it reaches."""
        ix = self.ix
        sid = st.system
        assert sid is not None
        lost: dict[str, list[str]] = {}
        for attr in (*st.creates, *st.updates):
            h = held.get(attr)
            if h is None or h.effective_role != "copy" or attr in lost:
                continue
            masters = [s for s in ix.masters_of.get(attr, ()) if s != sid]
            if not masters or len(masters) != len(ix.masters_of[attr]):
                continue  # no master (no-master says it), or this system masters it too
            if not ix.reach(attr, sid).intersection(masters):
                lost[attr] = masters
        if not lost:
            return None
        attrs = list(lost)
        masters = list(dict.fromkeys(s for ms in lost.values() for s in ms))
        return (
            "copy-never-reaches-master",
            "warning",
            [("process", p.id), ("system", sid)] + [("attribute", a) for a in attrs],
            f"step {i + 1} ({st.name}) of {ix.process_name(p.id)} writes {_names(map(ix.attr_label, attrs))} into "
            f"{ix.system_name(sid)}'s copy, and no feed takes {'it' if len(attrs) == 1 else 'them'} on to the master "
            f"({_names(ix.system_names(masters), 3)}): the change "
            "is lost at the next refresh or lives on beside the master",
            f"Add {_names(map(ix.attr_label, attrs))} to a feed from {ix.system_name(sid)} towards "
            f"{ix.system_name(masters[0])}, or have the step write to {ix.system_name(masters[0])}.",
            {"step": i + 1, "step_name": st.name, "master": masters[0], "masters": {a: ms for a, ms in lost.items()}},
            _where(st),
        )

    # -- people and use cases --------------------------------------------------------
    def functions(self) -> None:
        ix = self.ix
        staffed = {s.function for s in self.ws.stakeholders if s.function}
        owned: dict[str, list[str]] = defaultdict(list)
        use_cases_of: dict[str, list[str]] = defaultdict(list)
        for uc in ix.active:
            if uc.function:
                owned[uc.function].append(f"use case {ix.use_case_name(uc.id)}")
                use_cases_of[uc.function].append(uc.id)
        for p in self.ws.processes:
            fn = ix.function_of.get(p.owner) if p.owner else None
            if fn:
                owned[fn].append(f"process {ix.process_name(p.id)}")
        for sy in self.ws.systems:
            fn = ix.function_of.get(sy.owner) if sy.owner else None
            if fn:
                owned[fn].append(f"system {ix.system_name(sy.id)}")
        for fn in self.ws.function_ids:
            if fn in staffed:
                continue
            if owned.get(fn):
                self.gap(
                    "unrepresented-function",
                    "warning",
                    [("function", fn)],
                    f"function '{fn}' owns {_names(owned[fn], 4)} but no stakeholder of '{fn}' is in the workshop",
                    f"Invite a stakeholder from {fn}, or reassign its items.",
                    use_cases_of.get(fn, []),
                    {},
                    None,
                )
            else:
                self.gap(
                    "unrepresented-function",
                    "info",
                    [("function", fn)],
                    f"function '{fn}' has no stakeholder in the workshop",
                    f"Check whether {fn} has customer data needs; invite someone or remove it from the functions list.",
                    [],
                    {},
                    None,
                )

    def use_cases(self) -> None:
        ix = self.ix
        for uc in ix.active:
            if not uc.owner:
                self.gap(
                    "orphan-use-case",
                    "warning",
                    [("use_case", uc.id)],
                    f"use case {ix.use_case_name(uc.id)} has no owner",
                    "Find the stakeholder who owns the outcome, or reject the use case.",
                    [uc.id],
                    {},
                    _where(uc),
                )
            if not uc.needs:
                self.gap(
                    "use-case-without-needs",
                    "warning",
                    [("use_case", uc.id)],
                    f"use case {ix.use_case_name(uc.id)} lists no needs",
                    "List the attributes it needs, with must / should / could.",
                    [uc.id],
                    {},
                    _where(uc),
                )
            if uc.needs and not uc.executes_in:
                self.gap(
                    "no-executes-in",
                    "warning",
                    [("use_case", uc.id)],
                    f"use case {ix.use_case_name(uc.id)} does not say which systems it runs in, so nobody can tell "
                    "whether its data reaches it",
                    "Add executes_in: the systems where it runs (the campaign tool, the service desk, the warehouse).",
                    [uc.id],
                    {},
                    _where(uc),
                )

    def _keep_keys_of_needed_data(self) -> None:
        """An identifier held where data a use case needs is held is that data's key, not unused (even when it is
        the only system holding it: the key of an island).  Judged after the per-attribute pass, which sees one
        attribute at a time."""
        ix = self.ix

        def keys_needed_data(attr: str) -> bool:
            a = ix.attrs.get(attr)
            if a is None or not a.is_identifier:
                return False
            return any(
                other != attr and ix.needs.get(other) for s, _ in ix.holdings.get(attr, ()) for other in ix.held_in[s]
            )

        self.gaps = [
            g
            for g in self.gaps
            if not (g.rule == "unused-attribute" and keys_needed_data(g.subject_ids("attribute")[0]))
        ]

    def _unused_of(self, a: m.Attribute) -> None:
        ix = self.ix
        if True:
            held = [s for s, _ in ix.holdings.get(a.id, [])]
            if a.is_identifier and len(held) >= 2:
                return  # it links systems: recognising the customer is its use
            where_held = f"held in {_names(ix.system_names(held))}" if held else "defined"
            personal = a.effective_sensitivity != "none"
            if a.effective_entity == "consent":
                self.gap(
                    "unused-attribute",
                    "info",
                    [("attribute", a.id)],
                    f"{ix.attr_label(a.id)} is {where_held} but no use case needs it",
                    "If it is proof of consent that a process relies on, add the use case that relies on it; "
                    "otherwise ask whether it is still collected for a reason.",
                    [],
                    {"held_in": held},
                    _where(a),
                )
                return
            self.gap(
                "unused-attribute",
                "info",
                [("attribute", a.id)],
                f"{ix.attr_label(a.id)} is {where_held} but no use case needs it"
                + (f" ({a.effective_sensitivity} data)" if personal else ""),
                "Ask whether anyone needs it; if not, stop capturing it"
                + (" (it is personal data)." if personal else "."),
                [],
                {"held_in": held},
                _where(a),
            )

    # -- results -----------------------------------------------------------------------
    def readiness(
        self,
        memo: dict[str, tuple[_KeyPart, Readiness]],
        consent: dict[str, ConsentPart] | None = None,
        identity_memo: IdentityMemo | None = None,
    ) -> dict[str, Readiness]:
        """Four-part readiness: the data part (memoised per use case), then identity, consent and process."""
        data = self._data_readiness(memo)
        if identity_memo is not None:
            identity_memo.start(self.same, self.touched, self.mainland, self.off_mainland)
        consent = consent or {}
        out: dict[str, Readiness] = {}
        for uc in self.ix.active:
            d = data[uc.id]
            parts = {"data": _PART_OF_STATUS[d.status]}
            why: list[tuple[int, int, str, str]] = []  # (part level, part order, part, reason)
            why.extend((_PART_RANK[level], 0, "data", reason) for level, reason in d.why)
            status, islands, because = self._identity_part(uc, identity_memo)
            parts["identity"] = status
            why.extend((_PART_RANK[status], 1, "identity", f"identity: {b}") for b in because)
            cp = consent.get(uc.id)
            if cp is None:
                parts["consent"] = "ok"
            else:
                parts["consent"] = cp.status
                if cp.status != "ok":
                    named = "; ".join(RULES[r].title.lower() for r in cp.reasons) or "consent not settled"
                    why.append((_PART_RANK[cp.status], 2, "consent", f"consent: {named}"))
            broken = sorted(
                (pid, rule) for pid in dict.fromkeys(uc.processes) for rule in self.process_findings.get(pid, ())
            )
            parts["process"] = "at-risk" if broken else "ok"
            why.extend(
                (
                    _PART_RANK["at-risk"],
                    3,
                    "process",
                    f"process: a step of {self.ix.process_name(pid)} has a finding: {RULES[rule].title.lower()}",
                )
                for pid, rule in broken
            )
            worst = max(_PART_RANK[v] for v in parts.values())
            level = PART_STATUSES[worst]
            why.sort(key=lambda w: (-w[0], w[1]))
            out[uc.id] = Readiness(
                uc.id,
                uc.title,
                _STATUS_OF_PART[level],
                d.must_total,
                d.must_satisfied,
                tuple(w[3] for w in why),
                d.needs,
                parts,
                tuple(p for p in PARTS if worst and parts[p] == level),
                tuple((w[2], w[3]) for w in why),
                islands,
            )
        return out

    def _identity_part(self, uc: m.UseCase, memo: IdentityMemo | None = None) -> _IdentityPart:
        """blocked when the use case runs off the person-level mainland, or a must-need is held only off it."""
        if memo is None:
            return self._judge_identity(uc)
        cached = memo.parts.get(uc.id)
        touched = memo.touched
        if (
            cached is not None
            and cached[0] is uc
            and (not touched or touched.isdisjoint(nd.attribute for nd in uc.needs))
        ):
            part = cached[1]
        else:
            part = self._judge_identity(uc)
        memo.fresh[uc.id] = (uc, part)
        return part

    def _judge_identity(self, uc: m.UseCase) -> _IdentityPart:
        ix = self.ix
        off = self.off_mainland
        if not off or not self.mainland:  # no system holds an identifier: no-identifier says it, not identity
            return "ok", (), ()
        because: list[str] = []
        islands: list[str] = [s for s in uc.executes_in if s in off]
        if islands:
            because.append(
                f"runs in {_names(ix.system_names(islands), 3)}, which cannot be linked to the other systems' customers"
            )
        for nd in uc.needs:
            if nd.effective_criticality != "must":
                continue
            holders = [s for s, _ in ix.holdings.get(nd.attribute, ())]
            if holders and all(s in off for s in holders):
                islands.extend(s for s in holders if s not in islands)
                because.append(
                    f"{ix.attr_label(nd.attribute)} is held only in {_names(ix.system_names(holders), 3)}, which "
                    "cannot be linked"
                )
        return ("blocked" if because else "ok"), tuple(dict.fromkeys(islands)), tuple(because)

    def _data_readiness(self, memo: dict[str, tuple[_KeyPart, Readiness]]) -> dict[str, Readiness]:
        out: dict[str, Readiness] = {}
        fresh: dict[str, tuple[_KeyPart, Readiness]] = {}
        changed = self.changed_needs
        for uc in self.ix.active:  # rejected use cases are not going to be built: no readiness
            # what the readiness reads: the use case's needs, and what the attribute units said about them
            uc_key = (
                uc.title,
                tuple(uc.executes_in),
                tuple((nd.attribute, nd.criticality, nd.freshness) for nd in uc.needs),
            )
            cached = memo.get(uc.id)
            if (
                cached is not None
                and cached[0] == uc_key
                and not any((uc.id, nd.attribute) in changed for nd in uc.needs)
            ):
                out[uc.id] = cached[1]
                fresh[uc.id] = cached
                continue
            statuses = []
            blocked: list[str] = []
            risky: list[str] = []
            must_total = must_ok = 0
            for nd in uc.needs:
                key = (uc.id, nd.attribute)
                problems = tuple(sorted(set(self.need_problems.get(key, ())), key=RULE_ORDER.__getitem__))
                path, path_fresh = self.need_paths.get(key, ((), None))
                ns = NeedStatus(
                    uc.id, nd.attribute, nd.effective_criticality, nd.effective_freshness, problems, path, path_fresh
                )
                statuses.append(ns)
                crit = ns.criticality
                if crit == "must":
                    must_total += 1
                    must_ok += ns.satisfied
                hard = [p for p in problems if p in ("missing-source", "unreachable")]
                soft = [p for p in problems if p in ("stale", "low-quality", "low-coverage")]
                if crit == "must" and hard:
                    blocked.append(self._reason(uc, ns, hard))
                elif crit == "must" and soft:
                    risky.append(self._reason(uc, ns, soft))
                elif crit == "should" and hard:
                    risky.append(self._reason(uc, ns, hard) + " (should)")
            if not uc.needs:
                risky.append("no needs recorded")
            elif not uc.executes_in:
                risky.append("no executes_in: where it runs is not recorded, so its paths cannot be checked")
            status = "blocked" if blocked else "at-risk" if risky else "ready"
            out[uc.id] = Readiness(
                uc.id,
                uc.title,
                status,
                must_total,
                must_ok,
                tuple(blocked + risky),
                tuple(statuses),
                why=tuple(("blocked", r) for r in blocked) + tuple(("at-risk", r) for r in risky),
            )
            fresh[uc.id] = (uc_key, out[uc.id])
        memo.clear()
        memo.update(fresh)
        return out

    def _reason(self, uc: m.UseCase, ns: NeedStatus, problems: list[str]) -> str:
        """A short phrase a stakeholder understands: 'E-mail address does not reach Store tills'."""
        ix = self.ix
        phrases = []
        for p in problems:
            if p == "missing-source":
                phrases.append("is held nowhere")
            elif p == "unreachable":
                phrases.append(f"does not reach {_names(ix.system_names(uc.executes_in))}")
            elif p == "stale":
                at_best = self.at_best.get((uc.id, ns.attribute))
                arrives = f"{at_best} at best" if at_best else ns.path_freshness
                phrases.append(f"arrives {arrives}, needed {ns.freshness}")
            elif p == "low-quality":
                phrases.append("is of low quality")
            elif p == "low-coverage":
                phrases.append("is filled for too few customers")
        a = ix.attrs.get(ns.attribute)
        return f"{a.name if a is not None and a.name else ns.attribute} {' and '.join(phrases)}"

    def tables(
        self, comps: list[list[str]], memo: dict[str, AttributeRow]
    ) -> tuple[list[AttributeRow], list[SystemRow]]:
        ix = self.ix
        gaps_per: dict[Subject, int] = defaultdict(int)
        for g in self.gaps:
            for s in g.subjects:
                gaps_per[s] += 1
        attrs = []
        recomputed = self.recomputed
        fresh: dict[str, AttributeRow] = {}
        for a in self.ws.attributes:
            old = memo.get(a.id)
            if old is not None and a.id not in recomputed and old.gaps == gaps_per[("attribute", a.id)]:
                attrs.append(old)
                fresh[a.id] = old
                continue
            attrs.append(
                AttributeRow(
                    a.id,
                    a.name,
                    a.effective_entity,
                    a.owner,
                    tuple((uc.id, nd.effective_criticality) for uc, nd in ix.needs.get(a.id, ())),
                    tuple((s, h.effective_role) for s, h in ix.holdings.get(a.id, ())),
                    tuple((p.id, action, fn) for p, _, action, fn in ix.writers.get(a.id, ())),
                    gaps_per[("attribute", a.id)],
                )
            )
            fresh[a.id] = attrs[-1]
        memo.clear()
        memo.update(fresh)
        component_of = {s: i for i, comp in enumerate(comps) for s in comp}
        executes: dict[str, list[str]] = defaultdict(list)
        for uc in ix.active:
            for sid in uc.executes_in:
                executes[sid].append(uc.id)
        systems = []
        for sy in self.ws.systems:
            held = ix.held_in.get(sy.id, {})
            systems.append(
                SystemRow(
                    sy.id,
                    sy.name,
                    sy.kind,
                    len(held),
                    sum(1 for h in held.values() if h.role == "master"),
                    len(ix.needed.intersection(held)),
                    tuple(a for a in held if a in ix.identifiers),
                    tuple(dict.fromkeys(ix.feeds_in.get(sy.id, ()))),
                    tuple(dict.fromkeys(fd.to for fd in ix.feeds_out.get(sy.id, ()))),
                    tuple(executes.get(sy.id, ())),
                    component_of.get(sy.id, -1),
                    gaps_per[("system", sy.id)],
                )
            )
        return attrs, systems

    def run(
        self,
        memo: _UnitMemo | None = None,
        readiness_memo: dict[str, tuple[_KeyPart, Readiness]] | None = None,
        rows_memo: dict[str, AttributeRow] | None = None,
        privacy_memo: PrivacyMemo | None = None,
        steps_memo: dict[str, tuple[m.Process, tuple[_Call, ...]]] | None = None,
        identity_memo: IdentityMemo | None = None,
    ) -> Analysis:
        self.attributes_pass({} if memo is None else memo)
        self._keep_keys_of_needed_data()
        comps = self.identity()
        self.channels()
        self.steps(steps_memo)
        self.functions()
        self.use_cases()
        consent = privacy_rules(
            self.ix, self.gap, privacy_memo, self.same, self.touched
        )  # NM120-NM123; readiness' consent part
        readiness = self.readiness({} if readiness_memo is None else readiness_memo, consent, identity_memo)
        attrs, systems = self.tables(comps, {} if rows_memo is None else rows_memo)
        blocking = blocking_findings(self.gaps, readiness)
        return Analysis(sort_gaps(self.gaps, blocking), readiness, attrs, systems, comps, blocking)


def blocking_findings(gaps: Iterable[Gap], readiness: dict[str, Readiness]) -> frozenset[GapKey]:
    """The errors that block a use case, read from the readiness of the blocked use cases.

    Data: a problem of a must-need of a blocked use case (missing-source, unreachable).  Identity: the
    identity-island error of a system that blocks the identity part.  Consent: the consent-mismatch or
    special-category-without-basis error about the use case.
    """
    causes: set[tuple[str, str, str]] = set()  # (use case, rule, subject id)
    for r in readiness.values():
        if r.status != "blocked":
            continue
        if r.parts.get("data") == "blocked":
            causes.update(
                (r.use_case, problem, ns.attribute)
                for ns in r.needs
                if ns.criticality == "must"
                for problem in ns.problems
            )
        if r.parts.get("identity") == "blocked":
            causes.update((r.use_case, "identity-island", s) for s in r.islands)
        if r.parts.get("consent") == "blocked":
            causes.update((r.use_case, rule, r.use_case) for rule in _USE_CASE_BLOCKERS)
    if not causes:
        return frozenset()
    return frozenset(
        g.key
        for g in gaps
        if g.severity == "error"
        and any((u, g.rule, i) in causes for u in g.use_cases for k, i in g.subjects if k in _CAUSE_KINDS)
    )


#: Use-case-level rules whose errors block the consent part.
_USE_CASE_BLOCKERS = ("consent-mismatch", "special-category-without-basis")
#: The kinds of subject a blocking cause names: a need's attribute, an island's system, the use case itself.
_CAUSE_KINDS = frozenset({"attribute", "system", "use_case"})


def sort_gaps(gaps: Iterable[Gap], blocking: frozenset[GapKey], order: str = "blockers") -> list[Gap]:
    """``gaps`` in ``order`` (:data:`ORDERS`): blockers first or not, then impact, severity, rule order, subjects."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose from {', '.join(ORDERS)}")
    first = order == "blockers"
    return sorted(
        gaps,
        key=lambda g: (
            first and g.key not in blocking,
            -g.impact,
            SEVERITY_ORDER[g.severity],
            RULE_ORDER[g.rule],
            g.subjects,
        ),
    )


class Analyser:
    """Analyses successive versions of one workshop, reusing what an edit did not touch.

    The terminal UI keeps one and calls :meth:`analyse` after every edit.  Each
    attribute's rules are re-run only when something they read changed (its
    definition and owner, its holdings, the feeds carrying it, the needs for it
    and their use cases, the processes writing it); use-case readiness
    likewise.  The result always equals :func:`analyse` on the same workshop
    (property tests check this).

    ``items_replaced=True`` promises what the editing session guarantees: an item
    is never changed in place between two analyses, an edit replaces it with a new
    object.  The analyser then also reuses the index of every section whose items
    are the same objects as last time, and skips forming the keys of attributes no
    replaced item mentions (:mod:`needsmap.analysis.replaced`).  Without the promise
    every key is formed and the index rebuilt, so in-place edits are seen too.
    """

    def __init__(self, *, items_replaced: bool = False) -> None:
        self._memo: _UnitMemo = {}
        self._readiness_memo: dict[str, tuple[_KeyPart, Readiness]] = {}
        self._rows_memo: dict[str, AttributeRow] = {}
        self._settings: _KeyPart | None = None
        self._reach_memo: dict[_KeyPart, frozenset[str]] = {}
        self._replaced = ReplacedItems() if items_replaced else None
        self._index: Index | None = None
        self._privacy_memo: PrivacyMemo | None = PrivacyMemo() if items_replaced else None
        self._steps_memo: dict[str, tuple[m.Process, tuple[_Call, ...]]] | None = {} if items_replaced else None
        self._identity_memo: IdentityMemo | None = IdentityMemo() if items_replaced else None

    def analyse(self, ws: m.Workshop) -> Analysis:
        with gc_paused():  # one pause for the whole run: a collection in the middle would scan everything
            st = ws.effective_settings
            if self._replaced is not None:
                run = _Analyser(ws, self._reach_memo, self._index, self._replaced.compare(ws))
                self._index = run.ix
            else:
                run = _Analyser(ws, self._reach_memo)
            settings = (
                st.effective_min_quality,
                st.effective_min_coverage,
                st.effective_marketing_channels,
                run.ix.topology_key(),
                run.ix.names_key(),
            )
            if settings != self._settings:
                self._memo.clear()
                self._readiness_memo.clear()
                self._rows_memo.clear()
                if self._privacy_memo is not None:
                    self._privacy_memo = PrivacyMemo()
                    run.same = frozenset()
                self._settings = settings
            return run.run(
                self._memo,
                self._readiness_memo,
                self._rows_memo,
                self._privacy_memo,
                self._steps_memo,
                self._identity_memo,
            )


def analyse(ws: m.Workshop) -> Analysis:
    """Everything the workshop says about gaps and readiness (pure; safe to call on every edit).

    Expects a workshop without validation errors; dangling references are
    tolerated (ignored), never fatal.  For repeated analysis of an edited
    workshop, :class:`Analyser` gives the same result faster.
    """
    with gc_paused():
        return _Analyser(ws).run()
