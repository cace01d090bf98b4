"""Strategic options and their roadmaps: generated from the gaps, phased into waves, scored, voted on.

The method is documented for people in docs/roadmap.md; this module is its
code, and the two must say the same thing.  Everything here is a pure function
of a workshop and its :class:`~needsmap.analysis.engine.Analysis`: no files, no clock.

* :func:`generate_options` ideates up to four options after the master-data
  implementation styles (registry, consolidation, coexistence, use-case-led
  increments), each a :class:`needsmap.format.model.Option` with work items, so that
  ``needsmap roadmap --accept`` can write it into the file unchanged.
* :func:`plan` orders one option's work items into waves: a dependency DAG
  (networkx), weighted shortest job first within the constraints, a capacity
  per wave, and then scores the plan (value over time, effort, risk, gaps
  closed and left).
* :func:`build_roadmap` does both for a workshop: the options written in the
  file (``options:``) first, then the generated ones whose id is still free,
  plus the votes tallied by stakeholder and by function.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from needsmap.analysis.engine import UNSCORED_VALUE, Analysis, Gap
from needsmap.format import model as m

#: The generated options, in the order they are shown.
GENERATED_STYLES: tuple[m.OptionStyle, ...] = ("increments", "registry", "consolidation", "coexistence")

STYLE_TITLES: dict[str, str] = {
    "registry": "Registry: link the customer across systems, leave the data where it is",
    "consolidation": "Consolidation: a customer data hub fed by the sources, read by the activation systems",
    "coexistence": "Coexistence: a customer data hub kept in sync with the sources both ways",
    "increments": "Use-case-led increments: fix only what the most valuable use cases need, wave by wave",
}

STYLE_DESCRIPTIONS: dict[str, str] = {
    "registry": (
        "A registry keeps a cross-reference of the customer's ids in every system; the data stays where it "
        "is. Systems that cannot be linked get an identifier, and data that does not reach the system that "
        "needs it (or arrives too late) gets a point-to-point feed. Nobody designates masters, appoints "
        "owners, captures new data or cleans existing data."
    ),
    "consolidation": (
        "A central customer data hub (or CDP) loads every source that holds needed data, resolves identities, "
        "and serves the systems where use cases run. Masters and owners are settled first so that the hub "
        "knows which copy wins; new data is captured into the hub. The sources keep their own processes: what "
        "they write where they do not hold it stays as it is."
    ),
    "coexistence": (
        "Like consolidation, but the hub and the sources are kept in sync both ways: what the hub settles is "
        "written back to the sources that create or change it, and sources that change data they do not hold "
        "are changed to hold it. The most complete option, and the one that changes the most systems."
    ),
    "increments": (
        "No central platform: each use case that is not ready gets exactly the work its needs require "
        "(capture, feeds, identifiers, clean-up, and the owners and masters those need), and the most "
        "valuable and most urgent use cases come first. Gaps that no use case is waiting for stay open."
    ),
}

#: Themes a stakeholder recognises, for the gap rules (plain words, in the order shown).
THEMES: dict[str, str] = {
    "missing-source": "data held nowhere",
    "unreachable": "data not reaching the system that needs it",
    "stale": "data arriving too late",
    "low-quality": "poor data quality",
    "low-coverage": "data filled for too few customers",
    "identity-island": "customers not recognised across systems",
    "no-identifier": "customers not recognised across systems",
    "anonymous-channel": "customers anonymous on a channel",
    "no-master": "no single master",
    "many-masters": "no single master",
    "definition-conflict": "systems disagreeing on a meaning",
    "no-owner": "data nobody owns",
    "contested": "contested ownership",
    "step-not-held": "processes writing data where it is not held",
}
#: Rules no work item closes: they need a decision or an answer in the room, not data work.
WORKSHOP_RULES: frozenset[str] = frozenset(
    {
        "unknown-freshness",
        "unrepresented-function",
        "orphan-use-case",
        "use-case-without-needs",
        "unused-attribute",
        "personal-without-consent",
        # privacy and lineage questions the options generate no work for yet: a decision in the room
        "consent-mismatch",
        "special-category-without-basis",
        "held-beyond-need",
        "copy-never-reaches-master",
        "feed-without-source",
        "non-person-identifier",
        "no-executes-in",
    }
)
WORKSHOP_THEME = "for the workshop to decide (not data work)"

#: Why each generated style leaves a theme open (shown next to what it leaves).
_LEAVES_WHY: dict[str, dict[str, str]] = {
    "registry": {
        "data held nowhere": "a registry links existing data, it captures nothing new",
        "poor data quality": "the data stays where it is, as it is",
        "data filled for too few customers": "a registry captures nothing new",
        "no single master": "a registry designates no masters",
        "systems disagreeing on a meaning": "a registry designates no masters and agrees no definitions",
        "data nobody owns": "a registry appoints no owners",
        "contested ownership": "a registry appoints no owners",
        "processes writing data where it is not held": "the sources are not changed",
    },
    "consolidation": {
        "processes writing data where it is not held": "the hub only reads the sources; their processes stay "
        "as they are",
    },
    "coexistence": {},
    "increments": {
        "*": "no use case needs it fixed to become ready",
    },
}

_NEEDS_PROBLEMS_HARD = ("missing-source", "unreachable")
_NEEDS_PROBLEMS_SOFT = ("stale", "low-quality", "low-coverage")
_QUARTER_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


class RoadmapError(ValueError):
    """An option cannot be planned (a dependency cycle); the message names the option and the items."""


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One work item placed in a wave."""

    item: m.WorkItem
    effort: float  # the item's effort, or the settings' weight for its kind
    value: float  # cost of delay: the value + urgency of the use cases it helps unlock
    wsjf: float  # value / effort
    priority: float  # max of its own WSJF and that of any work waiting for it (what the ranking uses)
    wave: int  # the wave it starts in (1-based)
    end_wave: int  # the wave it is done in (items bigger than a wave span several)
    closes: tuple[tuple, ...]  # keys of the gaps it addresses

    @property
    def kind(self) -> str:
        return self.item.effective_kind


@dataclass(slots=True)
class Plan:
    """One option, phased and scored."""

    option: m.Option
    generated: bool  # True: ideated from the gaps; False: written in the file's options
    items: list[PlannedItem]  # in plan order: by wave, then the order they were chosen
    waves: int
    effort: float
    effort_by_kind: dict[str, tuple[int, float]]  # kind -> (count, points)
    closed: list[Gap]
    left: list[Gap]
    left_why: dict[str, str]  # theme -> why this option leaves it
    unlocks: dict[str, int]  # use case -> the wave it is unlocked in
    not_unlocked: dict[str, str]  # use case (not ready) -> why this option does not unlock it
    value_unlocked: int
    first_value_wave: int | None
    systems_changed: tuple[str, ...]
    new_components: int  # hubs / registries the option adds
    contested_left: int
    notes: list[str] = field(default_factory=list)  # pins that could not be kept, waves over capacity
    value_waves: float = 0.0  # filled by build_roadmap over the longest plan: sum of value x waves enjoyed
    value_by_wave: list[int] = field(default_factory=list)  # cumulative value unlocked at the end of each wave

    @property
    def id(self) -> str:
        return self.option.id

    @property
    def risk(self) -> int:
        """Systems changed (a new hub or registry counts as one) plus contested attributes left."""
        return len(self.systems_changed) + self.new_components + self.contested_left

    def closed_by_theme(self) -> dict[str, int]:
        return _by_theme(self.closed)

    def left_by_theme(self) -> dict[str, int]:
        return _by_theme(self.left)

    def wave_items(self) -> dict[int, list[PlannedItem]]:
        out: dict[int, list[PlannedItem]] = defaultdict(list)
        for p in self.items:
            out[p.wave].append(p)
        return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class Tally:
    """The votes on one option."""

    option: str
    votes: int
    total: int
    mean: float | None
    by_stakeholder: dict[str, int]  # stakeholder -> score (the last vote counts)
    by_function: dict[str, float]  # function ("" when none) -> mean score


@dataclass(slots=True)
class Roadmap:
    plans: list[Plan]
    horizon: int  # waves of the longest plan
    labels: list[str]  # wave labels 1..horizon
    tallies: dict[str, Tally]
    voters: list[str]  # stakeholders who voted, in file order
    total_gaps: int
    settings: m.RoadmapSettings

    def plan_of(self, option_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == option_id), None)


def _by_theme(gaps: list[Gap]) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in gaps:
        theme = THEMES.get(g.rule, WORKSHOP_THEME)
        out[theme] = out.get(theme, 0) + 1
    order = list(dict.fromkeys([*THEMES.values(), WORKSHOP_THEME]))
    return dict(sorted(out.items(), key=lambda kv: order.index(kv[0])))


def wave_label(settings: m.RoadmapSettings, n: int) -> str:
    """Label of wave ``n`` (1-based): from ``first_wave`` (``2027-Q1`` counts on in quarters) or numbered."""
    first = settings.first_wave
    if first:
        found = _QUARTER_LABEL.match(first)
        if found:
            q = int(found.group(1)) * 4 + int(found.group(2)) - 1 + n - 1
            return f"{q // 4}-Q{q % 4 + 1}"
        return first if n == 1 else f"{first} +{n - 1}"
    return f"{settings.effective_wave_length} {n}"


# ----------------------------------------------------------------------------- the workshop, indexed


class _Facts:
    """What the generators and the scoring read, looked up once."""

    def __init__(self, ws: m.Workshop, analysis: Analysis) -> None:
        self.ws = ws
        self.analysis = analysis
        self.attrs = {a.id: a for a in ws.attributes}
        self.use_cases = {u.id: u for u in ws.use_cases}
        self.active = [u for u in ws.use_cases if u.status != "rejected"]
        self.value = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in self.active}
        self.holders: dict[str, list[tuple[str, m.Holding]]] = defaultdict(list)
        self.held_in: dict[str, set[str]] = defaultdict(set)
        for sy in ws.systems:
            for h in sy.holds:
                self.holders[h.attribute].append((sy.id, h))
                self.held_in[sy.id].add(h.attribute)
        self.feeds: set[tuple[str, str]] = {(sy.id, fd.to) for sy in ws.systems for fd in sy.feeds}
        self.identifiers = {a.id for a in ws.attributes if a.identifies_person}  # only a person key links people
        self.gaps_by_rule: dict[str, list[Gap]] = defaultdict(list)
        self.gap_by_key: dict[tuple, Gap] = {}
        for g in analysis.gaps:
            self.gaps_by_rule[g.rule].append(g)
            self.gap_by_key[g.key] = g
        self.attr_rules: dict[str, set[str]] = defaultdict(set)  # attribute -> rules of its attribute gaps
        for g in analysis.gaps:
            if g.subjects and g.subjects[0][0] == "attribute":
                self.attr_rules[g.subjects[0][1]].add(g.rule)
        comps = analysis.identity_components
        linked_any = [c for c in comps if any(self.identifiers & self.held_in.get(s, set()) for s in c)]
        self.mainland: set[str] = set(linked_any[0]) if linked_any else set()
        counts: dict[str, int] = defaultdict(int)
        for s in self.mainland:
            for a in self.held_in.get(s, ()):
                if a in self.identifiers:
                    counts[a] += 1
        self.common_identifier = max(counts, key=lambda a: (counts[a], a)) if counts else None
        self.needed = {nd.attribute for u in self.active for nd in u.needs}
        # channel -> the systems its process steps use (else the systems its use cases run in)
        self.channel_systems: dict[str, list[str]] = defaultdict(list)
        for p in ws.processes:
            for st in p.steps:
                if st.channel and st.system and st.system not in self.channel_systems[st.channel]:
                    self.channel_systems[st.channel].append(st.system)
        for u in self.active:
            for c in u.channels:
                if not self.channel_systems.get(c):
                    self.channel_systems[c] = list(dict.fromkeys(u.executes_in))
        # system -> attributes its process steps create or update (what a two-way sync must write back)
        self._blocking: dict[str, list[Gap]] = {}
        self.step_use_cases: dict[str, list[str]] = defaultdict(list)  # system -> use cases of its step-not-held
        for g in self.gaps_by_rule.get("step-not-held", ()):
            for s in g.subject_ids("system"):
                self.step_use_cases[s].extend(u for u in g.use_cases if u not in self.step_use_cases[s])
        self.written_in: dict[str, set[str]] = defaultdict(set)
        for p in ws.processes:
            for st in p.steps:
                if st.system:
                    self.written_in[st.system].update(st.creates)
                    self.written_in[st.system].update(st.updates)

    def blocking(self, uc_id: str) -> list[Gap]:
        """The gaps behind a use case's readiness reasons (what keeps it from being ready)."""
        found = self._blocking.get(uc_id)
        if found is None:
            found = self._blocking[uc_id] = self._find_blocking(uc_id)
        return found

    def _find_blocking(self, uc_id: str) -> list[Gap]:
        r = self.analysis.readiness.get(uc_id)
        if r is None:
            return []
        out = []
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        for ns in r.needs:
            for p in ns.problems:
                counts = (ns.criticality == "must" and p in _NEEDS_PROBLEMS_HARD + _NEEDS_PROBLEMS_SOFT) or (
                    ns.criticality == "should" and p in _NEEDS_PROBLEMS_HARD
                )
                if not counts:
                    continue
                key: tuple[str, tuple[tuple[str, str], ...]]
                if p in ("unreachable", "stale"):
                    key = (p, (("use_case", uc_id), ("attribute", ns.attribute)))
                else:
                    key = (p, (("attribute", ns.attribute),))
                g = self.gap_by_key.get(key)
                if g is not None and key not in seen:
                    seen.add(key)
                    out.append(g)
        return out

    def linked(self, system: str) -> bool:
        return system in self.mainland

    def source_for(self, attr: str, target: str) -> str | None:
        """Where a feed of ``attr`` into ``target`` should start: an existing feed, the master, the freshest."""
        holders = [(s, h) for s, h in self.holders.get(attr, ()) if s != target]
        if not holders:
            return None
        for s, _ in holders:
            if (s, target) in self.feeds:
                return s
        masters = [s for s, h in holders if h.role == "master"]
        if masters:
            return masters[0]
        return min(holders, key=lambda sh: m.FRESHNESS_RANK.get(sh[1].effective_freshness, 99))[0]

    def best_holder(self, attr: str, by: str = "quality") -> str | None:
        holders = self.holders.get(attr, ())
        if not holders:
            return None
        masters = [s for s, h in holders if h.role == "master"]
        if len(masters) == 1:
            return masters[0]
        if by == "coverage":
            return max(holders, key=lambda sh: sh[1].coverage or 0.0)[0]
        return max(holders, key=lambda sh: sh[1].quality or 0)[0]


# ----------------------------------------------------------------------------- generating options


class _Items:
    """Work items of one option under construction, keyed by id (merging use cases and dependencies)."""

    def __init__(self) -> None:
        self.items: dict[str, m.WorkItem] = {}
        self.carries: dict[str, list[str]] = {}  # feed id -> attributes it carries

    def add(
        self,
        id_: str,
        kind: m.WorkKind,
        title: str,
        *,
        attribute: str | None = None,
        system: str | None = None,
        to: str | None = None,
        use_cases=(),
        depends_on=(),
    ) -> m.WorkItem:
        item = self.items.get(id_)
        if item is None:
            item = self.items[id_] = m.WorkItem(id_, kind, title, attribute=attribute, system=system, to=to)
        for u in use_cases:
            if u not in item.use_cases:
                item.use_cases.append(u)
        for d in depends_on:
            if d and d != id_ and d not in item.depends_on:
                item.depends_on.append(d)
        return item

    def feed(
        self,
        id_: str,
        attr: str | None,
        source: str | None,
        target: str | None,
        use_cases=(),
        depends_on=(),
        verb: str = "Feed",
        frequency: str | None = None,
    ) -> m.WorkItem:
        item = self.add(id_, "feed", "", system=source, to=target, use_cases=use_cases, depends_on=depends_on)
        carried = self.carries.setdefault(id_, [])
        if attr is not None and attr not in carried:
            carried.append(attr)
        item.attribute = carried[0] if len(carried) == 1 else None
        what = ", ".join(carried[:6]) + (f" and {len(carried) - 6} more" if len(carried) > 6 else "")
        src = source or "the hub"
        dst = target or "the hub"
        how = f" at least {frequency}" if frequency and frequency != "unknown" else ""
        item.title = f"{verb} {what} from {src} to {dst}{how}" if what else f"{verb} from {src} to {dst}{how}"
        return item

    def done(self) -> list[m.WorkItem]:
        return list(self.items.values())


def _owner_dep(f: _Facts, items: _Items, attr: str, use_cases) -> str | None:
    """An owner work item for ``attr`` when it has no owner or a contested one; its id (or None)."""
    rules = f.attr_rules.get(attr, set())
    if "no-owner" in rules or "contested" in rules:
        items.add(f"owner-{attr}", "owner", f"Appoint an owner of {attr}", attribute=attr, use_cases=use_cases)
        return f"owner-{attr}"
    return None


def _master_dep(f: _Facts, items: _Items, attr: str, use_cases) -> str | None:
    rules = f.attr_rules.get(attr, set())
    if rules & {"no-master", "many-masters", "definition-conflict"}:
        suggestion = f.best_holder(attr)
        items.add(
            f"master-{attr}",
            "master",
            f"Designate the master of {attr} and agree its definition"
            + (f" (e.g. {suggestion})" if suggestion else ""),
            attribute=attr,
            system=suggestion,
            use_cases=use_cases,
        )
        return f"master-{attr}"
    return None


def _identify(f: _Facts, items: _Items, system: str, use_cases=(), depends_on=()) -> str:
    ident = f.common_identifier or "a customer identifier"
    items.add(
        f"identify-{system}",
        "identifier",
        f"Hold {ident} in {system} so its customers can be linked",
        attribute=f.common_identifier,
        system=system,
        use_cases=use_cases,
        depends_on=depends_on,
    )
    return f"identify-{system}"


def _point_to_point(f: _Facts, items: _Items, g: Gap, identity_dep=()) -> None:
    """A feed (or a refresh) that gets the attribute of an unreachable or stale need to its use case."""
    uc_id, attr = g.subject_ids("use_case")[0], g.subject_ids("attribute")[0]
    uc = f.use_cases.get(uc_id)
    targets = list(uc.executes_in) if uc else []
    if not targets:
        return
    target = targets[0]
    needed = g.details.get("needed") if g.rule == "stale" else None
    source = f.source_for(attr, target)
    if source is None:
        if target in {s for s, _ in f.holders.get(attr, ())}:
            items.add(
                f"refresh-{attr}-in-{target}",
                "system_change",
                f"Refresh {attr} in {target} at least {needed}",
                attribute=attr,
                system=target,
                use_cases=[uc_id],
            )
        return
    deps = list(identity_dep)
    if not f.linked(source):
        deps.append(_identify(f, items, source, [uc_id], identity_dep))
    existing = (source, target) in f.feeds
    verb = (
        ("Speed up the existing feed of" if g.rule == "stale" else "Add to the existing feed:") if existing else "Feed"
    )
    items.feed(f"feed-{source}-to-{target}", attr, source, target, [uc_id], deps, verb=verb, frequency=needed)


def _increments(f: _Facts) -> list[m.WorkItem]:
    items = _Items()
    for uc in f.active:
        for g in f.blocking(uc.id):
            attr = g.subject_ids("attribute")[0]
            ucs = [uc.id]
            if g.rule == "missing-source":
                target = uc.executes_in[0] if uc.executes_in else None
                owner = _owner_dep(f, items, attr, ucs)
                items.add(
                    f"capture-{attr}",
                    "capture",
                    f"Start capturing {attr}" + (f" in {target}" if target else ""),
                    attribute=attr,
                    system=target,
                    use_cases=ucs,
                    depends_on=[owner],
                )
            elif g.rule in ("unreachable", "stale"):
                _point_to_point(f, items, g)
            elif g.rule in _AT_THE_SOURCE:
                _at_the_source(f, items, g.rule, attr, ucs)
    return items.done()


#: The rules fixed where the attribute is held: quality by cleansing it where it is best, coverage by
#: capturing it for more customers where it is filled for the most.
_AT_THE_SOURCE = ("low-quality", "low-coverage")


def _at_the_source(f: _Facts, items: _Items, rule: str, attr: str, use_cases) -> None:
    """The work item for a quality or coverage gap of ``attr``, after its owner (and for quality its master)."""
    depends_on = [_owner_dep(f, items, attr, use_cases)]
    kind: m.WorkKind
    if rule == "low-quality":
        depends_on.append(_master_dep(f, items, attr, use_cases))
        where, kind = f.best_holder(attr), "cleanse"
        title = f"Clean up {attr} at the source" + (f" ({where})" if where else "")
    else:
        where, kind = f.best_holder(attr, "coverage"), "capture"
        title = f"Capture {attr} for more customers" + (f" in {where}" if where else "")
    items.add(f"{kind}-{attr}", kind, title, attribute=attr, system=where, use_cases=use_cases, depends_on=depends_on)


def _identity_work(f: _Facts, items: _Items, depends_on=()) -> None:
    """Identifiers for islands and unidentified systems, identifying steps on anonymous channels."""
    for g in (*f.gaps_by_rule.get("identity-island", ()), *f.gaps_by_rule.get("no-identifier", ())):
        for s in g.subject_ids("system"):
            _identify(f, items, s, g.use_cases, depends_on)
    for g in f.gaps_by_rule.get("anonymous-channel", ()):
        channel = g.subject_ids("channel")[0]
        systems = f.channel_systems.get(channel) or []
        if not systems or not f.common_identifier:
            continue
        items.add(
            f"identify-on-{channel}",
            "capture",
            f"Identify customers on {channel}: capture {f.common_identifier} in {systems[0]}",
            attribute=f.common_identifier,
            system=systems[0],
            use_cases=g.use_cases,
            depends_on=depends_on,
        )


def _registry(f: _Facts) -> list[m.WorkItem]:
    items = _Items()
    hub = items.add(
        "registry", "hub", "Identity registry: a cross-reference of every system's customer ids", use_cases=[]
    )
    _identity_work(f, items, [hub.id])
    for rule in ("unreachable", "stale"):
        for g in f.gaps_by_rule.get(rule, ()):
            _point_to_point(f, items, g, [])
    # the registry serves what the identity work serves
    hub.use_cases.extend(
        dict.fromkeys(u for it in items.items.values() if it.kind == "identifier" for u in it.use_cases)
    )
    return items.done()


def _consolidation(f: _Facts, two_way: bool) -> list[m.WorkItem]:
    items = _Items()
    hub = items.add("hub", "hub", "Customer data hub: load the sources, resolve identities, serve the systems")
    _identity_work(f, items)
    for rule in ("no-master", "many-masters", "definition-conflict"):
        for g in f.gaps_by_rule.get(rule, ()):
            _master_dep(f, items, g.subject_ids("attribute")[0], g.use_cases)
    for rule in ("no-owner", "contested"):
        for g in f.gaps_by_rule.get(rule, ()):
            _owner_dep(f, items, g.subject_ids("attribute")[0], g.use_cases)
    not_ready = {u for u, r in f.analysis.readiness.items() if r.status != "ready"}
    needing: dict[str, list[str]] = defaultdict(list)
    for active in f.active:
        for nd in active.needs:
            if active.id not in needing[nd.attribute]:
                needing[nd.attribute].append(active.id)
    # load every source holding needed data, after its identifier and the masters of what it holds
    for sy in f.ws.systems:
        needed_here = [a for a in sorted(f.held_in.get(sy.id, ())) if a in f.needed]
        if not needed_here:
            continue
        deps = [hub.id]
        if f"identify-{sy.id}" in items.items:
            deps.append(f"identify-{sy.id}")
        deps += [f"master-{a}" for a in needed_here if f"master-{a}" in items.items]
        ucs = [u for u in dict.fromkeys(u for a in needed_here for u in needing[a]) if u in not_ready]
        load = items.feed(f"load-{sy.id}", None, sy.id, None, ucs, deps, verb="Load")
        load.title = (
            f"Load {sy.id} into the hub ({len(needed_here)} needed attribute{'s' if len(needed_here) != 1 else ''})"
        )
        if two_way and f.written_in.get(sy.id, set()) & f.needed:
            back = sorted(f.written_in[sy.id] & f.needed)
            process_ucs = f.step_use_cases.get(sy.id, [])
            items.add(
                f"sync-{sy.id}",
                "system_change",
                f"Two-way sync: take the hub's settled values back into {sy.id} ({len(back)} attribute"
                f"{'s' if len(back) != 1 else ''} its processes write)",
                system=sy.id,
                use_cases=process_ucs,
                depends_on=[load.id],
            )
    for g in f.gaps_by_rule.get("missing-source", ()):
        attr = g.subject_ids("attribute")[0]
        owner = _owner_dep(f, items, attr, g.use_cases)
        capture = items.add(
            f"capture-{attr}",
            "capture",
            f"Start capturing {attr} into the hub",
            attribute=attr,
            use_cases=g.use_cases,
            depends_on=[hub.id, owner],
        )
        for uc_id in g.use_cases:  # capture before use: served from the hub where the use case runs
            uc = f.use_cases.get(uc_id)
            if uc is not None and uc.executes_in:
                items.feed(
                    f"serve-{uc.executes_in[0]}",
                    attr,
                    None,
                    uc.executes_in[0],
                    [uc_id],
                    [hub.id, capture.id],
                    verb="Serve",
                )
    for rule in _AT_THE_SOURCE:
        for g in f.gaps_by_rule.get(rule, ()):
            _at_the_source(f, items, rule, g.subject_ids("attribute")[0], g.use_cases)
    # serve each system where a use case misses data, from the hub
    for rule in ("unreachable", "stale"):
        for g in f.gaps_by_rule.get(rule, ()):
            uc_id, attr = g.subject_ids("use_case")[0], g.subject_ids("attribute")[0]
            uc = f.use_cases.get(uc_id)
            if uc is None or not uc.executes_in:
                continue
            target = uc.executes_in[0]
            deps = [hub.id] + [f"load-{s}" for s, _ in f.holders.get(attr, ()) if f"load-{s}" in items.items]
            items.feed(f"serve-{target}", attr, None, target, [uc_id], deps, verb="Serve")
    if two_way:
        for g in f.gaps_by_rule.get("step-not-held", ()):
            system = g.subject_ids("system")[0]
            attrs = g.subject_ids("attribute")
            item = items.add(f"hold-in-{system}", "system_change", "", system=system, use_cases=g.use_cases)
            held = item.title.split(": ", 1)[1].split(", ") if item.title else []
            held = list(dict.fromkeys(held + attrs))
            item.attribute = held[0] if len(held) == 1 else None
            item.title = f"Hold in {system} what its processes write there: {', '.join(held)}"
            if f"sync-{system}" in items.items:
                sync = items.items[f"sync-{system}"]
                if item.id not in sync.depends_on:
                    sync.depends_on.append(item.id)
    return items.done()


def generate_options(ws: m.Workshop, analysis: Analysis, *, _facts: _Facts | None = None) -> list[m.Option]:
    """The generated options for this workshop's gaps: up to four; one that closes no gap is left out."""
    f = _facts or _Facts(ws, analysis)
    makers = {
        "increments": lambda: _increments(f),
        "registry": lambda: _registry(f),
        "consolidation": lambda: _consolidation(f, two_way=False),
        "coexistence": lambda: _consolidation(f, two_way=True),
    }
    out = []
    seen: list[set] = []
    for style in GENERATED_STYLES:
        work = makers[style]()
        option = m.Option(
            style, STYLE_TITLES[style], style=style, status=None, description=STYLE_DESCRIPTIONS[style], work_items=work
        )
        closes = {g.key for g in _closed_gaps(f, work)}
        signature = {(w.kind, w.attribute, w.system, w.to) for w in work}
        if not closes or any(signature == s for s in seen):
            continue
        seen.append(signature)
        out.append(option)
    return out


# ----------------------------------------------------------------------------- which gaps work closes


class _Addressing:
    """Which work items of an option address which gaps (the matching rules of docs/roadmap.md)."""

    def __init__(self, f: _Facts, work: list[m.WorkItem]) -> None:
        self.f = f
        self.by_kind_attr: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_kind_system: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.feeds_to: dict[str, list[m.WorkItem]] = defaultdict(list)
        self.carried: dict[str, set[str]] = {}
        for w in work:
            k = w.effective_kind
            if w.attribute:
                self.by_kind_attr[(k, w.attribute)].append(w.id)
            if w.system:
                self.by_kind_system[(k, w.system)].append(w.id)
            if k == "feed" and w.to:
                self.feeds_to[w.to].append(w)

    def items_for(self, g: Gap) -> list[str]:
        f = self.f
        rule = g.rule
        attrs = g.subject_ids("attribute")
        if rule == "missing-source":
            return self.by_kind_attr.get(("capture", attrs[0]), [])
        if rule in ("unreachable", "stale"):
            uc_id, attr = g.subject_ids("use_case")[0], attrs[0]
            uc = f.use_cases.get(uc_id)
            targets = set(uc.executes_in) if uc else set()
            found = [
                w.id
                for t in targets
                for w in self.feeds_to.get(t, ())
                if w.attribute == attr or (w.attribute is None and uc_id in w.use_cases)
            ]
            found += [
                i
                for t in targets
                for i in self.by_kind_system.get(("system_change", t), ())
                if i in self.by_kind_attr.get(("system_change", attr), ())
            ]
            return found
        if rule == "low-quality":
            return self.by_kind_attr.get(("cleanse", attrs[0]), [])
        if rule == "low-coverage":
            return self.by_kind_attr.get(("capture", attrs[0]), [])
        if rule in ("no-master", "many-masters", "definition-conflict"):
            return self.by_kind_attr.get(("master", attrs[0]), [])
        if rule in ("no-owner", "contested"):
            return self.by_kind_attr.get(("owner", attrs[0]), [])
        if rule in ("identity-island", "no-identifier"):
            return [i for s in g.subject_ids("system") for i in self.by_kind_system.get(("identifier", s), ())]
        if rule == "anonymous-channel":
            systems = f.channel_systems.get(g.subject_ids("channel")[0], ())
            return [
                i
                for s in systems
                for k in ("capture", "identifier")
                for i in self.by_kind_system.get((k, s), ())
                if any(i in self.by_kind_attr.get((k, a), ()) for a in f.identifiers)
            ]
        if rule == "step-not-held":
            system = g.subject_ids("system")[0]
            return [i for i in self.by_kind_system.get(("system_change", system), ())]
        return []


def _closed_gaps(f: _Facts, work: list[m.WorkItem]) -> list[Gap]:
    addressing = _Addressing(f, work)
    return [g for g in f.analysis.gaps if g.rule not in WORKSHOP_RULES and addressing.items_for(g)]


# ----------------------------------------------------------------------------- planning


def dependency_graph(option: m.Option) -> nx.DiGraph:
    """Work items as nodes, an edge from each prerequisite to the item that depends on it."""
    graph = nx.DiGraph()
    ids = {w.id for w in option.work_items}
    for w in option.work_items:
        graph.add_node(w.id)
    for w in option.work_items:
        for d in w.depends_on:
            if d in ids and d != w.id:
                graph.add_edge(d, w.id)
    return graph


def find_cycle(option: m.Option, graph: nx.DiGraph | None = None) -> list[str] | None:
    """The work items of a dependency cycle (in order), or None when there is none."""
    graph = dependency_graph(option) if graph is None else graph
    if nx.is_directed_acyclic_graph(graph):
        return None
    return [u for u, _ in nx.find_cycle(graph)]


def item_value(f: _Facts, settings: m.RoadmapSettings, item: m.WorkItem) -> float:
    """Cost of delay of a work item: the value plus urgency of each (active) use case it helps unlock."""
    total = 0.0
    for u in item.use_cases:
        uc = f.use_cases.get(u)
        if uc is None or uc.status == "rejected":
            continue
        total += f.value[u] + settings.urgency_of(uc.horizon)
    return total


#: Efforts below this count as this much in the WSJF division (an item of effort 0 is not infinitely urgent).
MIN_EFFORT = 0.1


def _schedule(
    option: m.Option, efforts: dict[str, float], priority: dict[str, tuple], capacity: float, graph: nx.DiGraph
) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Greedy list scheduling: per wave, the available item of highest priority that still fits.

    Returns (item id, start wave, end wave) in plan order, and notes.  An item
    is available once every prerequisite has been placed (in this wave or an
    earlier one; within a wave, prerequisites come first in the plan order);
    an item bigger than the capacity gets waves of its own.  Pinned items are
    not available before their pin and are placed in it even over capacity.
    """
    work = {w.id: w for w in option.work_items}
    waiting = {i: graph.in_degree(i) for i in work}
    done_wave: dict[str, int] = {}
    placed: list[tuple[str, int, int]] = []
    notes: list[str] = []
    ready: list[tuple] = []
    for i, d in waiting.items():
        if d == 0:
            heapq.heappush(ready, (*priority[i], i))
    wave = 1
    remaining = len(work)
    earliest: dict[str, int] = {i: 1 for i in work}  # a dependent of a multi-wave item waits for its end
    guard = 0
    while remaining:
        guard += 1
        if guard > 10 * len(work) + 10_000:  # pragma: no cover - defensive: a bug, not a user error
            raise RoadmapError(f"option '{option.id}': the plan does not converge")
        load = 0.0
        count = 0  # items placed in this wave
        deferred: list[tuple] = []
        while ready:
            entry = heapq.heappop(ready)
            i = entry[-1]
            w = work[i]
            effort = efforts[i]
            pin = w.wave
            if earliest[i] > wave or (pin is not None and pin > wave):
                deferred.append(entry)
                continue
            forced = pin is not None and pin <= wave
            if pin is not None and pin < wave:  # pinned to an earlier wave: forced, and late
                notes.append(f"'{i}' is pinned to wave {pin}, but its prerequisites finish only in wave {wave}")
            fits = load + effort <= capacity + 1e-9
            if not (fits or forced or (count == 0 and effort > capacity)):
                deferred.append(entry)
                continue
            span = 1 if fits or forced else math.ceil(effort / capacity - 1e-9)
            end = wave + span - 1
            placed.append((i, wave, end))
            done_wave[i] = end
            remaining -= 1
            load += effort
            count += 1
            if forced and load > capacity + 1e-9:
                notes.append(
                    f"wave {wave} is over capacity ({load:g} of {capacity:g} points) because of the pin of '{i}'"
                )
            for nxt in graph.successors(i):
                waiting[nxt] -= 1
                earliest[nxt] = max(earliest[nxt], end if span == 1 else end + 1)
                if waiting[nxt] == 0:
                    heapq.heappush(ready, (*priority[nxt], nxt))
            if span > 1:
                wave = end
                break
        for entry in deferred:
            heapq.heappush(ready, entry)
        if remaining and not ready:  # pragma: no cover - cycles are rejected before scheduling
            raise RoadmapError(f"option '{option.id}': work items wait on each other")
        wave += 1
    return placed, notes


def plan(
    ws: m.Workshop, analysis: Analysis, option: m.Option, *, generated: bool = False, _facts: _Facts | None = None
) -> Plan:
    """Phase ``option`` into waves and score it (raises :class:`RoadmapError` on a dependency cycle)."""
    f = _facts or _Facts(ws, analysis)
    settings = ws.effective_settings.effective_roadmap
    graph = dependency_graph(option)
    cycle = find_cycle(option, graph)
    if cycle:
        raise RoadmapError(
            f"option '{option.id}': its work items depend on each other in a circle: "
            + " -> ".join([*cycle, cycle[0]])
            + "; remove one of these depends_on"
        )
    work = option.work_items
    efforts = {w.id: float(w.effort) if w.effort is not None else settings.effort_of(w.effective_kind) for w in work}
    values = {w.id: item_value(f, settings, w) for w in work}
    wsjf = {i: values[i] / max(efforts[i], MIN_EFFORT) for i in values}
    # an item is as urgent as the most urgent work waiting for it (reverse topological order)
    prio = dict(wsjf)
    for i in reversed(list(nx.topological_sort(graph))):
        for nxt in graph.successors(i):
            if prio[nxt] > prio[i]:
                prio[i] = prio[nxt]
    order = {w.id: n for n, w in enumerate(work)}
    priority = {i: (-prio[i], -values[i], order[i]) for i in prio}
    placed, notes = _schedule(option, efforts, priority, settings.effective_wave_capacity, graph)

    addressing = _Addressing(f, work)
    closes: dict[str, list[tuple]] = defaultdict(list)
    closed, left = [], []
    gap_wave: dict[tuple, int] = {}
    end_of = {i: end for i, _, end in placed}
    for g in analysis.gaps:
        found = addressing.items_for(g) if g.rule not in WORKSHOP_RULES else []
        if found:
            closed.append(g)
            gap_wave[g.key] = min(end_of[i] for i in found)
            for i in found:
                closes[i].append(g.key)
        else:
            left.append(g)
    work_by_id = {w.id: w for w in work}
    planned = [
        PlannedItem(work_by_id[i], efforts[i], values[i], wsjf[i], prio[i], start, end, tuple(closes.get(i, ())))
        for i, start, end in placed
    ]
    unlocks: dict[str, int] = {}
    not_unlocked: dict[str, str] = {}
    for uc in f.active:
        r = analysis.readiness.get(uc.id)
        if r is None or r.status == "ready":
            continue
        blocking = f.blocking(uc.id)
        if not blocking:
            not_unlocked[uc.id] = "; ".join(r.reasons) or "not ready"
            continue
        open_ = [g for g in blocking if g.key not in gap_wave]
        if open_:
            not_unlocked[uc.id] = (
                "still open: "
                + "; ".join(g.message for g in open_[:3])
                + (f" and {len(open_) - 3} more" if len(open_) > 3 else "")
            )
            continue
        unlocks[uc.id] = max(gap_wave[g.key] for g in blocking)
    waves = max((end for _, _, end in placed), default=0)
    by_kind: dict[str, tuple[int, float]] = {}
    for p in planned:
        n, pts = by_kind.get(p.kind, (0, 0.0))
        by_kind[p.kind] = (n + 1, pts + p.effort)
    changed: list[str] = []
    for w in work:
        if w.effective_kind in ("owner", "master"):
            continue
        for s in (w.system, w.to):
            if s and s not in changed:
                changed.append(s)
    style = option.effective_style if not generated else option.style or "custom"
    why_table = _LEAVES_WHY.get(style, {})
    left_why = {}
    for theme in _by_theme(left):
        if theme == WORKSHOP_THEME:
            left_why[theme] = "questions and decisions for the people in the room, not work for a project"
        else:
            left_why[theme] = why_table.get(theme) or why_table.get("*") or "no work item of this option addresses it"
    value_unlocked = sum(f.value.get(u, 0) for u in unlocks)
    return Plan(
        option,
        generated,
        planned,
        waves,
        sum(efforts.values()),
        by_kind,
        closed,
        left,
        left_why,
        unlocks,
        not_unlocked,
        value_unlocked,
        min(unlocks.values(), default=None),
        tuple(changed),
        sum(1 for w in work if w.effective_kind == "hub"),
        sum(1 for g in left if g.rule == "contested"),
        notes,
    )


def tally(ws: m.Workshop) -> dict[str, Tally]:
    """Votes per option: the last vote of each stakeholder counts; means by stakeholder function."""
    last: dict[tuple[str, str], int] = {}
    for v in ws.votes:
        last[(v.option, v.stakeholder)] = v.score
    function_of = {s.id: s.function or "" for s in ws.stakeholders}
    out: dict[str, Tally] = {}
    for option_id in dict.fromkeys([o.id for o in ws.options] + [v.option for v in ws.votes]):
        scores = {s: sc for (o, s), sc in last.items() if o == option_id}
        by_fn: dict[str, list[int]] = defaultdict(list)
        for s, sc in scores.items():
            by_fn[function_of.get(s, "")].append(sc)
        total = sum(scores.values())
        out[option_id] = Tally(
            option_id,
            len(scores),
            total,
            total / len(scores) if scores else None,
            scores,
            {fn: sum(v) / len(v) for fn, v in sorted(by_fn.items())},
        )
    return out


def build_roadmap(ws: m.Workshop, analysis: Analysis) -> Roadmap:
    """Every option (written in the file first, then generated ones with a free id), planned and scored.

    Raises :class:`RoadmapError` when a written option has a dependency cycle.
    """
    f = _Facts(ws, analysis)
    written = {o.id for o in ws.options}
    plans = [plan(ws, analysis, o, generated=False, _facts=f) for o in ws.options]
    for o in generate_options(ws, analysis, _facts=f):
        if o.id not in written:
            plans.append(plan(ws, analysis, o, generated=True, _facts=f))
    horizon = max((p.waves for p in plans), default=0)
    for p in plans:
        cumulative, out = 0, []
        for w in range(1, horizon + 1):
            cumulative += sum(f.value.get(u, 0) for u, wave in p.unlocks.items() if wave == w)
            out.append(cumulative)
        p.value_by_wave = out
        p.value_waves = float(sum(out))
    settings = ws.effective_settings.effective_roadmap
    voters = list(dict.fromkeys(s.id for s in ws.stakeholders if any(v.stakeholder == s.id for v in ws.votes)))
    return Roadmap(
        plans,
        horizon,
        [wave_label(settings, n) for n in range(1, horizon + 1)],
        tally(ws),
        voters,
        sum(1 for g in analysis.gaps),
        settings,
    )
