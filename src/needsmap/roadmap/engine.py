"""Strategic options and their roadmaps: generated from the gaps, phased into waves, scored, voted on.

The method is documented for people in docs/roadmap.md; this module is its
code, and the two must say the same thing.  Everything here is a pure function
of a workshop and its :class:`~needsmap.analysis.engine.Analysis`: no files, no clock.

* :func:`generate_options` (:mod:`needsmap.roadmap.items`, from the facts of
  :mod:`needsmap.roadmap.facts`) ideates up to four options after the master-data
  implementation styles (registry, consolidation, coexistence, use-case-led
  increments), each a :class:`needsmap.format.model.Option` with work items, so that
  ``needsmap roadmap --accept`` can write it into the file unchanged.
* :func:`plan` orders one option's work items into waves: a dependency DAG
  (networkx), weighted shortest job first within the constraints, a capacity
  per wave, and then scores the plan (value over time, effort, risk, gaps
  closed and left).
* :func:`build_roadmap` does both for a workshop: the options written in the
  file (``options:``) first, then the generated ones whose id is still free,
  plus the votes tallied by stakeholder and by function, and the option recommended
  to start with (:mod:`needsmap.roadmap.recommend`).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from needsmap.analysis.engine import Analysis, Gap
from needsmap.format import model as m
from needsmap.roadmap.facts import Facts
from needsmap.roadmap.items import (
    GENERATED_STYLES,
    STYLE_DESCRIPTIONS,
    STYLE_TITLES,
    WORKSHOP_RULES,
    Addressing,
    generate_options,
)
from needsmap.roadmap.recommend import START_STEPS, Recommendation, StartStep, recommend

__all__ = [
    "GENERATED_STYLES",
    "START_STEPS",
    "STYLE_DESCRIPTIONS",
    "STYLE_TITLES",
    "WORKSHOP_RULES",
    "Plan",
    "PlannedItem",
    "Recommendation",
    "Roadmap",
    "RoadmapError",
    "StartStep",
    "Tally",
    "build_roadmap",
    "dependency_graph",
    "find_cycle",
    "generate_options",
    "plan",
    "tally",
    "wave_label",
]

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
    "copy-never-reaches-master": "changes made in a copy never reaching the master",
}
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
        "changes made in a copy never reaching the master": "the sources are not changed",
    },
    "consolidation": {
        "processes writing data where it is not held": "the hub only reads the sources; their processes stay "
        "as they are",
        "changes made in a copy never reaching the master": "the hub reads the copy, but nothing takes the "
        "change back to the master",
    },
    "coexistence": {},
    "increments": {
        "*": "no use case needs it fixed to become ready",
    },
}

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
    recommended: Recommendation | None = None  # None only when there is no option

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


def item_value(f: Facts, settings: m.RoadmapSettings, item: m.WorkItem) -> float:
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
    ws: m.Workshop, analysis: Analysis, option: m.Option, *, generated: bool = False, facts: Facts | None = None
) -> Plan:
    """Phase ``option`` into waves and score it (raises :class:`RoadmapError` on a dependency cycle)."""
    f = facts or Facts(ws, analysis)
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

    addressing = Addressing(f, work)
    closes: dict[str, list[tuple]] = defaultdict(list)
    closed, left = [], []
    end_of = {i: end for i, _, end in placed}
    for g in analysis.gaps:
        found = addressing.items_for(g)
        if found:
            closed.append(g)
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
        decisions = f.decisions.get(uc.id, [])
        decided: list[int] = []
        if decisions:
            # an error (forbidden use) or an unknown place to run: no plan can promise it; a warning: once decided
            taken = [end_of[w.id] for w in work if w.effective_kind == "decision" and uc.id in w.use_cases]
            if uc.id in f.forbidden or any(g.rule == "no-executes-in" for g in decisions) or not taken:
                legal = any(g.rule != "no-executes-in" for g in decisions)
                not_unlocked[uc.id] = f"waiting for a decision{' (legal/privacy)' if legal else ''}: " + "; ".join(
                    g.message for g in decisions[:2]
                )
                continue
            decided.append(min(taken))
        blocking = f.blocking(uc.id)
        if not blocking and not decided:
            not_unlocked[uc.id] = "; ".join(r.reasons) or "not ready"
            continue
        done = [addressing.wave(g, end_of, uc.id) for g in blocking]
        open_ = [g for g, w in zip(blocking, done, strict=True) if w is None]
        if open_:
            not_unlocked[uc.id] = (
                "still open: "
                + "; ".join(g.message for g in open_[:3])
                + (f" and {len(open_) - 3} more" if len(open_) > 3 else "")
            )
            continue
        unlocks[uc.id] = max([*(w for w in done if w is not None), *decided])
    waves = max((end for _, _, end in placed), default=0)
    by_kind: dict[str, tuple[int, float]] = {}
    for p in planned:
        n, pts = by_kind.get(p.kind, (0, 0.0))
        by_kind[p.kind] = (n + 1, pts + p.effort)
    changed: list[str] = []
    for w in work:
        if w.effective_kind in ("owner", "master", "decision"):
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
    f = Facts(ws, analysis)
    written = {o.id for o in ws.options}
    plans = [plan(ws, analysis, o, generated=False, facts=f) for o in ws.options]
    for o in generate_options(ws, analysis, facts=f):
        if o.id not in written:
            plans.append(plan(ws, analysis, o, generated=True, facts=f))
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
    rm = Roadmap(
        plans,
        horizon,
        [wave_label(settings, n) for n in range(1, horizon + 1)],
        tally(ws),
        voters,
        sum(1 for g in analysis.gaps),
        settings,
    )
    rm.recommended = recommend(rm, f.value)
    return rm
