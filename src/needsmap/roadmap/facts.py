"""What the roadmap's generators and scoring read about a workshop, looked up once.

:class:`Facts` indexes a workshop and its analysis: who holds, creates and masters each
attribute, which feeds carry what how often, which use cases wait for which findings
(:meth:`Facts.blocking`), which wait for a decision the room has to take
(:attr:`Facts.decisions`), and where work on an attribute belongs (:meth:`Facts.capture_system`,
:meth:`Facts.stale_fixes`).  Everything is a pure function of the workshop and its
:class:`~needsmap.analysis.engine.Analysis`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from needsmap.analysis.engine import UNSCORED_VALUE, Analysis, Gap
from needsmap.format import model as m
from needsmap.util import text as textsafe

#: Need problems that keep a must-need (hard and soft) or a should-need (hard only) from being met.
NEEDS_PROBLEMS_HARD = ("missing-source", "unreachable")
NEEDS_PROBLEMS_SOFT = ("stale", "low-quality", "low-coverage")
#: Findings of the consent part of readiness: a decision for legal or privacy, never data work.
CONSENT_RULES = ("consent-mismatch", "special-category-without-basis", "personal-without-consent")
#: Findings of the process part of readiness that work can close.
PROCESS_RULES = ("step-not-held", "copy-never-reaches-master")
#: Findings of the identity part of readiness that work can close.
IDENTITY_RULES = ("identity-island", "no-identifier")


def _shown(name: str) -> str:
    """Workshop text inside a generated title: one line, control characters made visible."""
    return textsafe.terminal(textsafe.one_line(name))


def join_names(names: Iterable[str]) -> str:
    """Names as a person lists them: "A", "A and B", "A; B and C" (names may hold commas, so no commas)."""
    items = list(dict.fromkeys(names))
    if len(items) <= 1:
        return "".join(items)
    if len(items) > 6:
        items = [*items[:5], f"{len(items) - 5} more"]
    return "; ".join(items[:-1]) + " and " + items[-1]


class Facts:
    """A workshop and its analysis, indexed for the roadmap."""

    def __init__(self, ws: m.Workshop, analysis: Analysis) -> None:
        self.ws = ws
        self.analysis = analysis
        self.attrs = {a.id: a for a in ws.attributes}
        self.systems = {s.id: s for s in ws.systems}
        self.use_cases = {u.id: u for u in ws.use_cases}
        self.active = [u for u in ws.use_cases if u.status != "rejected"]
        self.value = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in self.active}
        self.holders: dict[str, list[tuple[str, m.Holding]]] = defaultdict(list)
        self.held_in: dict[str, set[str]] = defaultdict(set)
        self.holding: dict[tuple[str, str], m.Holding] = {}
        self.masters: dict[str, list[str]] = defaultdict(list)
        for sy in ws.systems:
            for h in sy.holds:
                self.holders[h.attribute].append((sy.id, h))
                self.held_in[sy.id].add(h.attribute)
                self.holding.setdefault((sy.id, h.attribute), h)
                if h.role == "master":
                    self.masters[h.attribute].append(sy.id)
        self.feeds: set[tuple[str, str]] = {(sy.id, fd.to) for sy in ws.systems for fd in sy.feeds}
        #: (source, target) -> attributes the existing feeds between them list
        self.feed_attrs: dict[tuple[str, str], set[str]] = defaultdict(set)
        #: (source, target, attribute) -> rank of the fastest recorded frequency (None: not recorded)
        self.feed_rank: dict[tuple[str, str, str], int | None] = {}
        #: (source, target) -> how often the feed runs, as the file says ("unknown" when it does not)
        self.feed_frequency: dict[tuple[str, str], str] = {}
        for sy in ws.systems:
            for fd in sy.feeds:
                pair = (sy.id, fd.to)
                r = m.FRESHNESS_RANK.get(fd.effective_frequency)
                known = self.feed_frequency.get(pair)
                if known is None or m.FRESHNESS_RANK.get(known, 99) > (r if r is not None else 99):
                    self.feed_frequency[pair] = fd.effective_frequency
                for a in fd.attributes:
                    self.feed_attrs[pair].add(a)
                    old = self.feed_rank.get((sy.id, fd.to, a))
                    if r is not None and (old is None or r < old):
                        self.feed_rank[(sy.id, fd.to, a)] = r
                    else:
                        self.feed_rank.setdefault((sy.id, fd.to, a), old)
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
        # process steps: who creates and changes what, where
        self.written_in: dict[str, set[str]] = defaultdict(set)  # system -> attributes its steps create or update
        self.creators: dict[str, list[str]] = defaultdict(list)  # attribute -> systems whose steps create it
        self.updaters: dict[str, list[str]] = defaultdict(list)  # attribute -> systems whose steps update it
        self.channel_systems: dict[str, list[str]] = defaultdict(list)  # channel -> systems of its steps
        for p in ws.processes:
            for st in p.steps:
                if not st.system:
                    continue
                self.written_in[st.system].update(st.creates)
                self.written_in[st.system].update(st.updates)
                for a in st.creates:
                    if st.system not in self.creators[a]:
                        self.creators[a].append(st.system)
                for a in st.updates:
                    if st.system not in self.updaters[a]:
                        self.updaters[a].append(st.system)
                if st.channel and st.system not in self.channel_systems[st.channel]:
                    self.channel_systems[st.channel].append(st.system)
        for u in self.active:
            for c in u.channels:
                if not self.channel_systems.get(c):
                    self.channel_systems[c] = list(dict.fromkeys(u.executes_in))
        self.step_use_cases: dict[str, list[str]] = defaultdict(list)  # system -> use cases of its step-not-held
        for g in self.gaps_by_rule.get("step-not-held", ()):
            for s in g.subject_ids("system"):
                self.step_use_cases[s].extend(u for u in g.use_cases if u not in self.step_use_cases[s])
        # decisions: consent findings (and a use case that does not say where it runs) are for the room
        self.decisions: dict[str, list[Gap]] = defaultdict(list)
        self.forbidden: dict[str, list[Gap]] = defaultdict(list)
        for rule in (*CONSENT_RULES, "no-executes-in"):
            for g in self.gaps_by_rule.get(rule, ()):
                for uc_id in g.subject_ids("use_case")[:1]:
                    self.decisions[uc_id].append(g)
                    if rule in CONSENT_RULES and g.severity == "error":
                        self.forbidden[uc_id].append(g)
        #: attributes a use case that may go ahead needs (what a hub loads)
        self.needed = {nd.attribute for u in self.active if u.id not in self.forbidden for nd in u.needs}
        self._blocking: dict[str, list[Gap]] = {}

    def carried_frequency(self, source: str, target: str, attrs: Iterable[str]) -> str:
        """How often the feeds from ``source`` to ``target`` carry ``attrs`` now: the slowest of them, as the
        file says ("unknown" when one is not recorded)."""
        ranks = [self.feed_rank.get((source, target, a)) for a in attrs]
        if not ranks or any(r is None for r in ranks):
            return "unknown"
        slowest = max(r for r in ranks if r is not None)
        return next(name for name, r in m.FRESHNESS_RANK.items() if r == slowest)

    # -- names --------------------------------------------------------------------------
    def attr_name(self, attr: str | None) -> str:
        """An attribute's name for a title: one line, control characters (bidi overrides) made visible."""
        a = self.attrs.get(attr or "")
        return _shown((a.name or a.id) if a is not None else (attr or ""))

    def attr_names(self, attrs: Iterable[str]) -> str:
        return join_names(self.attr_name(a) for a in attrs)

    def system_name(self, system: str | None) -> str:
        if system is None:
            return "the hub"
        sy = self.systems.get(system)
        return _shown((sy.name or sy.id) if sy is not None else system)

    def use_case_title(self, uc_id: str) -> str:
        uc = self.use_cases.get(uc_id)
        return _shown((uc.title or uc.id) if uc is not None else uc_id)

    # -- what keeps a use case from being ready -------------------------------------------
    def blocking(self, uc_id: str) -> list[Gap]:
        """The findings behind a use case's readiness that work can close: its needs' data problems, the
        identity islands it depends on, and the process findings of its processes."""
        found = self._blocking.get(uc_id)
        if found is None:
            found = self._blocking[uc_id] = self._find_blocking(uc_id)
        return found

    def _find_blocking(self, uc_id: str) -> list[Gap]:
        r = self.analysis.readiness.get(uc_id)
        if r is None or r.status == "ready":
            return []
        out: list[Gap] = []
        seen: set[tuple] = set()

        def take(g: Gap | None) -> None:
            if g is not None and g.key not in seen:
                seen.add(g.key)
                out.append(g)

        for ns in r.needs:
            for p in ns.problems:
                counts = (ns.criticality == "must" and p in NEEDS_PROBLEMS_HARD + NEEDS_PROBLEMS_SOFT) or (
                    ns.criticality == "should" and p in NEEDS_PROBLEMS_HARD
                )
                if not counts:
                    continue
                if p in ("unreachable", "stale"):
                    take(self.gap_by_key.get((p, (("use_case", uc_id), ("attribute", ns.attribute)))))
                else:
                    take(self.gap_by_key.get((p, (("attribute", ns.attribute),))))
        if r.parts.get("identity", "ok") != "ok":
            for rule in IDENTITY_RULES:
                for g in self.gaps_by_rule.get(rule, ()):
                    if set(g.subject_ids("system")) & set(r.islands):
                        take(g)
        if r.parts.get("process", "ok") != "ok":
            uc = self.use_cases.get(uc_id)
            processes = set(uc.processes) if uc else set()
            for rule in PROCESS_RULES:
                for g in self.gaps_by_rule.get(rule, ()):
                    if uc_id in g.use_cases and set(g.subject_ids("process")) & processes:
                        take(g)
        return out

    # -- systems ------------------------------------------------------------------------
    def linked(self, system: str) -> bool:
        return system in self.mainland

    def creates_data(self, system: str) -> bool:
        """True when customer data starts in ``system``: a process step writes there, it masters something,
        or it computes a value.  A system for which none holds is an activation tool: it only uses data."""
        if self.written_in.get(system):
            return True
        sy = self.systems.get(system)
        return sy is not None and any(h.role in ("master", "derived") for h in sy.holds)

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
        """Where clean-up (``quality``) or wider capture (``coverage``) of a held attribute belongs: its one
        master, else the system whose process creates it, else the holder best at it."""
        holders = self.holders.get(attr, ())
        if not holders:
            return None
        masters = [s for s, h in holders if h.role == "master"]
        if len(masters) == 1:
            return masters[0]
        held = {s for s, _ in holders}
        for s in (*self.creators.get(attr, ()), *self.updaters.get(attr, ())):
            if s in held and self.creates_data(s):
                return s
        if by == "coverage":
            return max(holders, key=lambda sh: sh[1].coverage or 0.0)[0]
        return max(holders, key=lambda sh: sh[1].quality or 0)[0]

    def capture_system(self, attr: str, fallback: Iterable[str] = ()) -> str | None:
        """The system where capturing ``attr`` belongs: where a process step creates it (else changes it), its
        master, else the system whose processes create most data of the same kind; an activation tool only
        when no other system creates any data."""
        for s in (*self.creators.get(attr, ()), *self.updaters.get(attr, ()), *self.masters.get(attr, ())):
            if s in self.systems:
                return s
        a = self.attrs.get(attr)
        entity = a.effective_entity if a is not None else None
        scores: list[tuple[int, int, int, str]] = []
        for sy in self.ws.systems:
            if not self.creates_data(sy.id):
                continue
            same = [
                x
                for x in self.written_in.get(sy.id, ())
                if x in self.attrs and self.attrs[x].effective_entity == entity
            ]
            mastered = [
                h.attribute
                for h in sy.holds
                if h.role == "master"
                and h.attribute in self.attrs
                and self.attrs[h.attribute].effective_entity == entity
            ]
            scores.append((len(same), len(mastered), len(self.written_in.get(sy.id, ())), sy.id))
        if scores:
            best = max(scores, key=lambda t: t[:3])
            if best[:3] != (0, 0, 0):
                return best[3]
        return next(iter(fallback), None)

    def stale_fixes(self, g: Gap) -> list[tuple[str, str, str | None]]:
        """What makes a stale need fresh enough: ``("feed", source, target)`` for each hop of its path that
        runs too slowly or whose frequency is not recorded, ``("refresh", system, None)`` for a holding that
        is refreshed (or computed) too slowly and that no feed brings.  Empty when the path is not known."""
        attr = g.subject_ids("attribute")[0]
        needed = m.FRESHNESS_RANK.get(str(g.details.get("needed")))
        path = list(g.details.get("path") or [])
        if not path or needed is None:
            return []
        out: list[tuple[str, str, str | None]] = []
        first = path[0]
        h = self.holding.get((first, attr))
        held_rank = m.FRESHNESS_RANK.get(h.effective_freshness) if h is not None else None
        if held_rank is None or held_rank > needed:
            brought = [
                s
                for s, _ in self.holders.get(attr, ())
                if (s, first) in self.feeds and attr in self.feed_attrs[(s, first)]
            ]
            if h is not None and h.effective_role == "copy" and brought:
                fresh = [
                    s
                    for s in brought
                    if (m.FRESHNESS_RANK.get(self.holding[(s, attr)].effective_freshness, 99)) <= needed
                ]
                source = (fresh or brought)[0]
                out.append(("feed", source, first))
                if not fresh:
                    out.append(("refresh", source, None))
            else:
                out.append(("refresh", first, None))
        for u, v in zip(path, path[1:]):
            r = self.feed_rank.get((u, v, attr))
            if r is None or r > needed:
                out.append(("feed", u, v))
        return out
