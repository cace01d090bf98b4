"""The work items of the generated options, made from the facts of the file, and which work closes which gap.

Each work item names a change that is true of the file (docs/roadmap.md, "Work items"):

* a feed item says whether it is a **new feed**, an attribute **added** to an existing feed (only
  when the feed does not list it yet), or an existing feed **run more often** (only for what it
  already carries; a feed whose frequency is not recorded is run "at least" as often as needed,
  so a stale need is never taken as fresh on an unknown frequency);
* a capture goes into the system whose process creates the data (a step that creates or changes
  it, its master, else the system whose processes create most data of its kind), never into a
  tool that only uses data unless no system creates any;
* a use case that an error-level consent or special-category finding forbids gets **no** data work:
  a ``decision`` item (decision needed, legal/privacy) lists it instead, and it stays blocked until
  the decision is taken and written into the file;
* person-level identifiers only for identity work; one item per change (its channels and use
  cases listed on it), so that effort is counted once;
* a two-way sync writes back only into systems whose process steps write the data.

:class:`Addressing` says which items of any option (generated or written) close which gap, and in
which wave a use case's blockers are all closed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from needsmap.analysis.engine import Gap
from needsmap.format import model as m
from needsmap.roadmap.facts import CONSENT_RULES, IDENTITY_RULES, Facts

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
        "No central platform: each use case that is not ready gets exactly the work its readiness requires "
        "(capture, feeds, identifiers, clean-up, the owners and masters those need, and the feeds its "
        "processes lack), and the most valuable and most urgent use cases come first. Gaps that no use case "
        "is waiting for stay open."
    ),
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
        # privacy and lineage questions: a decision in the room (decision items name them), not data work
        "consent-mismatch",
        "special-category-without-basis",
        "held-beyond-need",
        "feed-without-source",
        "non-person-identifier",
        "no-executes-in",
    }
)

#: The rules fixed where the attribute is held: quality by cleansing it where it is best, coverage by
#: capturing it for more customers where it is filled for the most.
AT_THE_SOURCE = ("low-quality", "low-coverage")
#: The first words of every decision item's title.
LEGAL_DECISION = "Decision needed (legal/privacy)"
ROOM_DECISION = "Decision needed"


@dataclass(slots=True)
class _FeedWork:
    """What one feed item does: the attributes it is about, those it adds, how often it must run."""

    attrs: list[str] = field(default_factory=list)
    adds: list[str] = field(default_factory=list)
    faster: str | None = None


class Items:
    """Work items of one option under construction, keyed by id (merging use cases and dependencies)."""

    def __init__(self, f: Facts) -> None:
        self.f = f
        self.items: dict[str, m.WorkItem] = {}
        self.feeds: dict[str, _FeedWork] = {}

    def add(
        self,
        id_: str,
        kind: m.WorkKind,
        title: str,
        *,
        attribute: str | None = None,
        system: str | None = None,
        to: str | None = None,
        use_cases: Iterable[str] = (),
        depends_on: Iterable[str | None] = (),
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
        source: str,
        target: str,
        attr: str,
        use_cases: Iterable[str] = (),
        depends_on: Iterable[str | None] = (),
        *,
        faster: str | None = None,
    ) -> m.WorkItem:
        """The one feed item from ``source`` to ``target``: ``attr`` added to it (when the file's feed does
        not list it yet) or run at least ``faster``."""
        f = self.f
        id_ = f"feed-{source}-to-{target}"
        item = self.add(id_, "feed", "", system=source, to=target, use_cases=use_cases, depends_on=depends_on)
        work = self.feeds.setdefault(id_, _FeedWork())
        if attr not in work.attrs:
            work.attrs.append(attr)
        if attr not in f.feed_attrs.get((source, target), ()) and attr not in work.adds:
            work.adds.append(attr)
        if faster and (work.faster is None or m.FRESHNESS_RANK.get(faster, 99) < m.FRESHNESS_RANK[work.faster]):
            work.faster = faster
        item.attribute = work.attrs[0] if len(work.attrs) == 1 else None
        item.title = _feed_title(f, source, target, work)
        return item

    def hub_feed(
        self, id_: str, attr: str | None, source: str | None, target: str | None, use_cases=(), depends_on=()
    ) -> m.WorkItem:
        """A load into the hub (``target`` None) or a feed served out of it (``source`` None)."""
        f = self.f
        item = self.add(id_, "feed", "", system=source, to=target, use_cases=use_cases, depends_on=depends_on)
        work = self.feeds.setdefault(id_, _FeedWork())
        if attr is not None and attr not in work.attrs:
            work.attrs.append(attr)
        item.attribute = work.attrs[0] if len(work.attrs) == 1 else None
        what = f.attr_names(work.attrs)
        item.title = f"Serve {what} from the hub to {f.system_name(target)}" if what else item.title
        return item

    def done(self) -> list[m.WorkItem]:
        return list(self.items.values())


def _feed_title(f: Facts, source: str, target: str, work: _FeedWork) -> str:
    src, dst = f.system_name(source), f.system_name(target)
    at_least = f" at least {work.faster}" if work.faster else ""
    if (source, target) not in f.feeds:
        return f"New feed from {src} to {dst}: {f.attr_names(work.attrs)}" + (f",{at_least}" if at_least else "")
    if work.adds:
        run = f" and run it{at_least}" if at_least else ""
        return f"Add {f.attr_names(work.adds)} to the feed from {src} to {dst}{run}"
    now = f.carried_frequency(source, target, work.attrs)
    how = f"it runs {now} now" if now != "unknown" else "how often it runs is not recorded"
    if at_least:
        return f"Run the feed from {src} to {dst}{at_least}, for {f.attr_names(work.attrs)} ({how})"
    return f"Use {f.attr_names(work.attrs)} from the feed from {src} to {dst}"


# ----------------------------------------------------------------------------- the work of each kind of gap


def _owner_dep(f: Facts, items: Items, attr: str, use_cases: Iterable[str]) -> str | None:
    """An owner work item for ``attr`` when it has no owner or a contested one; its id (or None)."""
    rules = f.attr_rules.get(attr, set())
    if "no-owner" in rules or "contested" in rules:
        items.add(
            f"owner-{attr}", "owner", f"Appoint an owner of {f.attr_name(attr)}", attribute=attr, use_cases=use_cases
        )
        return f"owner-{attr}"
    return None


def _master_dep(f: Facts, items: Items, attr: str, use_cases: Iterable[str]) -> str | None:
    rules = f.attr_rules.get(attr, set())
    if rules & {"no-master", "many-masters", "definition-conflict"}:
        suggestion = f.best_holder(attr)
        items.add(
            f"master-{attr}",
            "master",
            f"Designate the master of {f.attr_name(attr)} and agree its definition"
            + (f" (e.g. {f.system_name(suggestion)})" if suggestion else ""),
            attribute=attr,
            system=suggestion,
            use_cases=use_cases,
        )
        return f"master-{attr}"
    return None


def _identify(f: Facts, items: Items, system: str, use_cases: Iterable[str] = (), depends_on=()) -> str:
    """A person-level identifier held in ``system``, brought from a system that holds it."""
    ident = f.common_identifier
    how = ""
    if ident is not None:
        source = f.source_for(ident, system)
        if source is not None and (source, system) in f.feeds and ident not in f.feed_attrs[(source, system)]:
            how = f" (add it to the feed from {f.system_name(source)})"
    what = f.attr_name(ident) if ident else "a customer identifier"
    items.add(
        f"identify-{system}",
        "identifier",
        f"Hold {what} in {f.system_name(system)} so its customers can be linked{how}",
        attribute=ident,
        system=system,
        use_cases=use_cases,
        depends_on=depends_on,
    )
    return f"identify-{system}"


def _source_deps(f: Facts, items: Items, source: str, use_cases: Iterable[str], identity_dep=()) -> list[str]:
    """Identity before use: a feed out of a system that cannot be linked waits for its identifier."""
    deps = list(identity_dep)
    if not f.linked(source):
        deps.append(_identify(f, items, source, use_cases, identity_dep))
    return deps


def _point_to_point(f: Facts, items: Items, g: Gap, identity_dep=()) -> None:
    """The work that gets the attribute of an unreachable or stale need to its use case."""
    uc_id, attr = g.subject_ids("use_case")[0], g.subject_ids("attribute")[0]
    uc = f.use_cases.get(uc_id)
    if uc is None or not uc.executes_in:
        return
    if g.rule == "stale":
        _fresher(f, items, g, identity_dep)
        return
    target = uc.executes_in[0]
    source = f.source_for(attr, target)
    if source is None:
        return
    items.feed(source, target, attr, [uc_id], _source_deps(f, items, source, [uc_id], identity_dep))


def _fresher(f: Facts, items: Items, g: Gap, identity_dep=()) -> None:
    """A stale need: each hop of its path that runs too slowly (or at an unknown frequency) run at least as
    often as needed; a holding refreshed or computed too slowly, refreshed or computed more often."""
    uc_id, attr = g.subject_ids("use_case")[0], g.subject_ids("attribute")[0]
    needed = str(g.details.get("needed") or "")
    for kind, system, to in f.stale_fixes(g):
        if kind == "feed" and to is not None:
            deps = _source_deps(f, items, system, [uc_id], identity_dep)
            items.feed(system, to, attr, [uc_id], deps, faster=needed)
        else:
            h = f.holding.get((system, attr))
            verb = "Compute" if h is not None and h.is_computing_source else "Refresh"
            items.add(
                f"refresh-{attr}-in-{system}",
                "system_change",
                f"{verb} {f.attr_name(attr)} in {f.system_name(system)} at least {needed}",
                attribute=attr,
                system=system,
                use_cases=[uc_id],
            )


def _capture(f: Facts, items: Items, attr: str, use_cases: list[str], targets: list[str]) -> None:
    """Capture what is held nowhere where its process creates it, and feed it on to where it is used."""
    owner = _owner_dep(f, items, attr, use_cases)
    where = f.capture_system(attr, targets)
    capture = items.add(
        f"capture-{attr}",
        "capture",
        f"Start capturing {f.attr_name(attr)}" + (f" in {f.system_name(where)}" if where else ""),
        attribute=attr,
        system=where,
        use_cases=use_cases,
        depends_on=[owner],
    )
    if where is not None and targets and where not in targets:
        items.feed(where, targets[0], attr, use_cases, [capture.id, *_source_deps(f, items, where, use_cases)])


def _at_the_source(f: Facts, items: Items, rule: str, attr: str, use_cases: Iterable[str]) -> None:
    """The work item for a quality or coverage gap of ``attr``, after its owner (and for quality its master)."""
    use_cases = list(use_cases)
    depends_on = [_owner_dep(f, items, attr, use_cases)]
    kind: m.WorkKind
    if rule == "low-quality":
        depends_on.append(_master_dep(f, items, attr, use_cases))
        where, kind = f.best_holder(attr), "cleanse"
        title = f"Clean up {f.attr_name(attr)} at the source" + (f" ({f.system_name(where)})" if where else "")
    else:
        where, kind = f.best_holder(attr, "coverage"), "capture"
        title = f"Capture {f.attr_name(attr)} for more customers" + (f" in {f.system_name(where)}" if where else "")
    items.add(f"{kind}-{attr}", kind, title, attribute=attr, system=where, use_cases=use_cases, depends_on=depends_on)


def _hold_in(f: Facts, items: Items, system: str, attrs: Iterable[str], use_cases: Iterable[str]) -> m.WorkItem:
    """A change so that ``system`` holds what its process steps write there (one item per system)."""
    item = items.add(f"hold-in-{system}", "system_change", "", system=system, use_cases=use_cases)
    work = items.feeds.setdefault(item.id, _FeedWork())
    for a in attrs:
        if a not in work.attrs:
            work.attrs.append(a)
    held = work.attrs
    item.attribute = held[0] if len(held) == 1 else None
    item.title = f"Hold {f.attr_names(held)} in {f.system_name(system)}: its process steps use them there"
    return item


def _step_not_held(f: Facts, items: Items, g: Gap, use_cases: list[str]) -> None:
    """A step that only reads data its system does not hold gets it by a feed; one that writes it there
    gets the system changed to hold it."""
    system = g.subject_ids("system")[0]
    actions: dict = g.details.get("actions") or {}
    written = []
    for a in g.subject_ids("attribute"):
        source = f.source_for(a, system) if actions.get(a) == "reads" else None
        if source is not None:
            items.feed(source, system, a, use_cases, _source_deps(f, items, source, use_cases))
        else:
            written.append(a)
    if written:
        _hold_in(f, items, system, written, use_cases)


def _to_master(f: Facts, items: Items, g: Gap, use_cases: list[str]) -> None:
    """A copy changed by a process step and never passed on: a feed from that system to the master."""
    system = g.subject_ids("system")[0]
    masters: dict = g.details.get("masters") or {}
    for a in g.subject_ids("attribute"):
        to = (masters.get(a) or [g.details.get("master")])[0]
        if to:
            items.feed(system, to, a, use_cases, _source_deps(f, items, system, use_cases))


def _decisions(f: Facts, items: Items) -> None:
    """One decision item per use case waiting for a decision: consent and special-category findings
    (legal/privacy), or where it runs."""
    for uc in f.active:
        gaps = f.decisions.get(uc.id)
        if not gaps:
            continue
        title = f.use_case_title(uc.id)
        legal = [_legal_question(f, g) for g in gaps if g.rule in CONSENT_RULES]
        room = [f"which systems {title} runs in" for g in gaps if g.rule == "no-executes-in"]
        if legal:
            text = f"{LEGAL_DECISION}: {title}: " + "; ".join(legal + room)
        else:
            text = f"{ROOM_DECISION}: " + "; ".join(room)
        items.add(f"decide-{uc.id}", "decision", text, use_cases=[uc.id])


def _legal_question(f: Facts, g: Gap) -> str:
    d = g.details
    if g.rule == "consent-mismatch":
        consents = f.attr_names(d.get("consents") or g.subject_ids("attribute"))
        what = [f"purpose {p}" for p in d.get("purposes_not_covered") or ()]
        what += [f"channel {c}" for c in d.get("channels_not_covered") or ()]
        return f"{consents} does not cover {' or '.join(what) or 'its purpose and channels together'}"
    if g.rule == "special-category-without-basis":
        return f"special-category data ({f.attr_names(d.get('special') or ())}) without an Art. 9 condition"
    channels = ", ".join(d.get("channels") or ())
    return f"contacts people on {channels} with personal data but no consent or lawful basis recorded"


def allowed(f: Facts, use_cases: Iterable[str]) -> list[str]:
    """The use cases no error-level consent or special-category finding forbids."""
    return [u for u in use_cases if u not in f.forbidden]


# ----------------------------------------------------------------------------- the four styles


def _increments(f: Facts) -> list[m.WorkItem]:
    items = Items(f)
    _decisions(f, items)
    for uc in f.active:
        if uc.id in f.forbidden:
            continue  # a decision first: no data work for what the analysis forbids
        r = f.analysis.readiness.get(uc.id)
        for g in f.blocking(uc.id):
            ucs = [uc.id]
            rule = g.rule
            if rule == "missing-source":
                _capture(f, items, g.subject_ids("attribute")[0], ucs, list(uc.executes_in))
            elif rule in ("unreachable", "stale"):
                _point_to_point(f, items, g)
            elif rule in AT_THE_SOURCE:
                _at_the_source(f, items, rule, g.subject_ids("attribute")[0], ucs)
            elif rule in IDENTITY_RULES:
                islands = [s for s in g.subject_ids("system") if r is not None and s in r.islands]
                for s in islands or g.subject_ids("system")[:1]:
                    _identify(f, items, s, ucs)
            elif rule == "step-not-held":
                _step_not_held(f, items, g, ucs)
            elif rule == "copy-never-reaches-master":
                _to_master(f, items, g, ucs)
    return items.done()


def _identity_work(f: Facts, items: Items, depends_on=()) -> None:
    """Identifiers for islands and unidentified systems; one identifying capture per system for the
    anonymous channels that use it (the channels listed on it)."""
    for g in (*f.gaps_by_rule.get("identity-island", ()), *f.gaps_by_rule.get("no-identifier", ())):
        for s in g.subject_ids("system"):
            _identify(f, items, s, allowed(f, g.use_cases), depends_on)
    ident = f.common_identifier
    if ident is None:
        return
    by_system: dict[str, tuple[list[str], list[str]]] = {}
    for g in f.gaps_by_rule.get("anonymous-channel", ()):
        channel = g.subject_ids("channel")[0]
        systems = f.channel_systems.get(channel) or []
        ucs = allowed(f, g.use_cases)
        if not systems or (g.use_cases and not ucs):
            continue
        system = next((s for s in systems if f.creates_data(s)), systems[0])
        channels, use_cases = by_system.setdefault(system, ([], []))
        channels.append(channel)
        use_cases.extend(u for u in ucs if u not in use_cases)
    for system, (channels, use_cases) in by_system.items():
        if f"identify-{system}" in items.items:  # the same change: the identifier is held there anyway
            items.add(f"identify-{system}", "identifier", "", use_cases=use_cases)
            continue
        items.add(
            f"identify-customers-in-{system}",
            "capture",
            f"Identify customers on {join_words(channels)}: record {f.attr_name(ident)} in {f.system_name(system)}",
            attribute=ident,
            system=system,
            use_cases=use_cases,
            depends_on=depends_on,
        )


def join_words(words: Iterable[str]) -> str:
    items = list(dict.fromkeys(words))
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _registry(f: Facts) -> list[m.WorkItem]:
    items = Items(f)
    _decisions(f, items)
    hub = items.add(
        "registry", "hub", "Identity registry: a cross-reference of every system's customer ids", use_cases=[]
    )
    _identity_work(f, items, [hub.id])
    for rule in ("unreachable", "stale"):
        for g in f.gaps_by_rule.get(rule, ()):
            if allowed(f, g.use_cases):
                _point_to_point(f, items, g, [])
    # the registry serves what the identity work serves
    hub.use_cases.extend(
        dict.fromkeys(u for it in items.items.values() if it.kind == "identifier" for u in it.use_cases)
    )
    return items.done()


def _consolidation(f: Facts, two_way: bool) -> list[m.WorkItem]:
    items = Items(f)
    _decisions(f, items)
    hub = items.add("hub", "hub", "Customer data hub: load the sources, resolve identities, serve the systems")
    _identity_work(f, items)
    for rule in ("no-master", "many-masters", "definition-conflict"):
        for g in f.gaps_by_rule.get(rule, ()):
            if allowed(f, g.use_cases) or not g.use_cases:
                _master_dep(f, items, g.subject_ids("attribute")[0], allowed(f, g.use_cases))
    for rule in ("no-owner", "contested"):
        for g in f.gaps_by_rule.get(rule, ()):
            if allowed(f, g.use_cases) or not g.use_cases:
                _owner_dep(f, items, g.subject_ids("attribute")[0], allowed(f, g.use_cases))
    not_ready = {u for u, r in f.analysis.readiness.items() if r.status != "ready" and u not in f.forbidden}
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
        load = items.add(f"load-{sy.id}", "feed", "", system=sy.id, use_cases=ucs, depends_on=deps)
        load.title = (
            f"Load {f.system_name(sy.id)} into the hub ({len(needed_here)} needed "
            f"attribute{'s' if len(needed_here) != 1 else ''})"
        )
        if two_way:
            back = sorted(
                a
                for a in f.written_in.get(sy.id, set()) & f.needed
                if not (h := f.holding.get((sy.id, a))) or not h.is_computing_source
            )
            if back:
                items.add(
                    f"sync-{sy.id}",
                    "system_change",
                    f"Two-way sync: take the hub's settled values back into {f.system_name(sy.id)} "
                    f"({len(back)} attribute{'s' if len(back) != 1 else ''} its process steps write)",
                    system=sy.id,
                    use_cases=f.step_use_cases.get(sy.id, []),
                    depends_on=[load.id],
                )
    for g in f.gaps_by_rule.get("missing-source", ()):
        ucs = allowed(f, g.use_cases)
        if g.use_cases and not ucs:
            continue
        attr = g.subject_ids("attribute")[0]
        owner = _owner_dep(f, items, attr, ucs)
        capture = items.add(
            f"capture-{attr}",
            "capture",
            f"Start capturing {f.attr_name(attr)} into the hub",
            attribute=attr,
            use_cases=ucs,
            depends_on=[hub.id, owner],
        )
        for uc_id in ucs:  # capture before use: served from the hub where the use case runs
            uc = f.use_cases.get(uc_id)
            if uc is not None and uc.executes_in:
                target = uc.executes_in[0]
                items.hub_feed(f"serve-{target}", attr, None, target, [uc_id], [hub.id, capture.id])
    for rule in AT_THE_SOURCE:
        for g in f.gaps_by_rule.get(rule, ()):
            if allowed(f, g.use_cases) or not g.use_cases:
                _at_the_source(f, items, rule, g.subject_ids("attribute")[0], allowed(f, g.use_cases))
    # serve each system where a use case misses data, from the hub
    for rule in ("unreachable", "stale"):
        for g in f.gaps_by_rule.get(rule, ()):
            uc_id, attr = g.subject_ids("use_case")[0], g.subject_ids("attribute")[0]
            uc = f.use_cases.get(uc_id)
            if uc is None or not uc.executes_in or uc_id in f.forbidden:
                continue
            target = uc.executes_in[0]
            deps = [hub.id] + [f"load-{s}" for s, _ in f.holders.get(attr, ()) if f"load-{s}" in items.items]
            items.hub_feed(f"serve-{target}", attr, None, target, [uc_id], deps)
    if two_way:
        for g in f.gaps_by_rule.get("step-not-held", ()):
            ucs = allowed(f, g.use_cases)
            if g.use_cases and not ucs:
                continue
            system = g.subject_ids("system")[0]
            item = _hold_in(f, items, system, g.subject_ids("attribute"), ucs)
            if f"sync-{system}" in items.items:
                sync = items.items[f"sync-{system}"]
                if item.id not in sync.depends_on:
                    sync.depends_on.append(item.id)
    return items.done()


def generate_options(ws: m.Workshop, analysis, *, facts: Facts | None = None) -> list[m.Option]:
    """The generated options for this workshop's gaps: up to four; one that closes no gap is left out."""
    f = facts or Facts(ws, analysis)
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
        closes = closed_gaps(f, work)
        signature = {(w.kind, w.attribute, w.system, w.to) for w in work}
        if not closes or any(signature == s for s in seen):
            continue
        seen.append(signature)
        out.append(option)
    return out


# ----------------------------------------------------------------------------- which gaps work closes

#: One way of closing a gap: every slot needs one of its items (the slot's alternatives).
Way = list[list[str]]


class Addressing:
    """Which work items of an option address which gaps (the matching rules of docs/roadmap.md)."""

    def __init__(self, f: Facts, work: list[m.WorkItem]) -> None:
        self.f = f
        self.work = work
        self.by_kind_attr: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_kind_system: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.feeds: list[m.WorkItem] = []
        self.feeds_to: dict[str | None, list[m.WorkItem]] = defaultdict(list)
        self.feeds_from: dict[str | None, list[m.WorkItem]] = defaultdict(list)
        self.changes_in: dict[str, list[m.WorkItem]] = defaultdict(list)
        self.by_id = {w.id: w for w in work}
        self._ways: dict[tuple, list[Way]] = {}
        for w in work:
            k = w.effective_kind
            if w.attribute:
                self.by_kind_attr[(k, w.attribute)].append(w.id)
            if w.system:
                self.by_kind_system[(k, w.system)].append(w.id)
            if k == "feed":
                self.feeds.append(w)
                self.feeds_to[w.to].append(w)
                self.feeds_from[w.system].append(w)
            elif k == "system_change" and w.system:
                self.changes_in[w.system].append(w)

    @staticmethod
    def _carries(w: m.WorkItem, attr: str, use_cases: Iterable[str]) -> bool:
        """A feed (or change) is about ``attr``: it names it, or names no attribute and serves one of the use
        cases (a feed of several attributes lists them in its title, not in ``attribute``)."""
        return w.attribute == attr or (w.attribute is None and bool(set(use_cases) & set(w.use_cases)))

    def _feeds(self, source: str | None, targets: Iterable[str], attr: str, use_cases: Iterable[str]) -> list[str]:
        """Feeds into one of ``targets`` carrying ``attr``; from ``source`` when given ("" for any source)."""
        return [
            w.id
            for t in dict.fromkeys(targets)
            for w in self.feeds_to.get(t, ())
            if (source == "" or w.system == source) and self._carries(w, attr, use_cases)
        ]

    def _named(self, w: m.WorkItem, attr: str) -> bool:
        """An item is about ``attr`` by its ``attribute``, or (several attributes) by naming it in its title."""
        return w.attribute == attr or (w.attribute is None and self.f.attr_name(attr) in w.title)

    def _process_fixes(self, system: str, targets: Iterable[str] | None, attr: str) -> list[str]:
        """A system's own feeds of ``attr`` (into ``targets``, or into ``system`` when None) and its changes."""
        if targets is None:
            feeds = [w.id for w in self.feeds_to.get(system, ()) if w.system is not None and self._named(w, attr)]
        else:
            into = set(targets)
            feeds = [w.id for w in self.feeds_from.get(system, ()) if w.to in into and self._named(w, attr)]
        return feeds + [w.id for w in self.changes_in.get(system, ()) if self._named(w, attr)]

    def _changes(self, system: str, attr: str, use_cases: Iterable[str]) -> list[str]:
        return [w.id for w in self.changes_in.get(system, ()) if self._carries(w, attr, use_cases)]

    def ways(self, g: Gap, uc_id: str | None = None) -> list[Way]:
        """The ways the option closes ``g`` (each a list of slots); for a use case, also what gets the data
        to where it runs."""
        key = (g.key, uc_id if g.rule == "missing-source" else None)
        found = self._ways.get(key)
        if found is None:
            found = self._ways[key] = self._find_ways(g, uc_id)
        return found

    def _find_ways(self, g: Gap, uc_id: str | None) -> list[Way]:
        f = self.f
        rule = g.rule
        if rule in WORKSHOP_RULES:
            return []
        attrs = g.subject_ids("attribute")
        if rule == "missing-source":
            way: Way = [self.by_kind_attr.get(("capture", attrs[0]), [])]
            uc = f.use_cases.get(uc_id or "")
            if uc is not None and uc.executes_in:
                there = [i for i in way[0] if self.by_id[i].system in uc.executes_in]  # captured where it is used
                way.append(there + self._feeds("", uc.executes_in, attrs[0], [uc.id]))
            return [way]
        if rule in ("unreachable", "stale"):
            uc_id_, attr = g.subject_ids("use_case")[0], attrs[0]
            uc = f.use_cases.get(uc_id_)
            targets = list(uc.executes_in) if uc else []
            if rule == "unreachable":
                found = self._feeds("", targets, attr, [uc_id_])
                found += [i for t in targets for i in self._changes(t, attr, [uc_id_])]
                return [[found]]
            needed = m.FRESHNESS_RANK.get(str(g.details.get("needed")), -1)
            # the whole path replaced: served from the hub, a new feed from a holder fresh enough, or a change
            # of the target itself
            direct = [
                w.id
                for t in dict.fromkeys(targets)
                for w in self.feeds_to.get(t, ())
                if w.to in targets
                and self._carries(w, attr, [uc_id_])
                and (
                    w.system is None
                    or m.FRESHNESS_RANK.get(
                        (f.holding.get((w.system, attr)) or m.Holding(attr)).effective_freshness, 99
                    )
                    <= needed
                    and (w.system, w.to) not in f.feeds
                )
            ]
            direct += [i for t in targets for i in self._changes(t, attr, [uc_id_])]
            ways: list[Way] = [[direct]]
            fixes = f.stale_fixes(g)
            if fixes:
                slots: Way = []
                for kind, system, to in fixes:
                    if kind == "feed":
                        slots.append(self._feeds(system, [to or ""], attr, [uc_id_]))
                    else:
                        slots.append(self._changes(system, attr, [uc_id_]))
                ways.append(slots)
            return ways
        if rule == "low-quality":
            return [[self.by_kind_attr.get(("cleanse", attrs[0]), [])]]
        if rule == "low-coverage":
            return [[self.by_kind_attr.get(("capture", attrs[0]), [])]]
        if rule in ("no-master", "many-masters", "definition-conflict"):
            return [[self.by_kind_attr.get(("master", attrs[0]), [])]]
        if rule in ("no-owner", "contested"):
            return [[self.by_kind_attr.get(("owner", attrs[0]), [])]]
        if rule in IDENTITY_RULES:
            return [[[i for s in g.subject_ids("system") for i in self.by_kind_system.get(("identifier", s), ())]]]
        if rule == "anonymous-channel":
            systems = f.channel_systems.get(g.subject_ids("channel")[0], ())
            return [
                [
                    [
                        i
                        for s in systems
                        for k in ("capture", "identifier")
                        for i in self.by_kind_system.get((k, s), ())
                        if any(i in self.by_kind_attr.get((k, a), ()) for a in f.identifiers)
                    ]
                ]
            ]
        if rule == "step-not-held":
            system = g.subject_ids("system")[0]
            whole = [[list(self.by_kind_system.get(("system_change", system), ()))]]
            each = [self._process_fixes(system, None, a) for a in attrs]
            return whole + [each]
        if rule == "copy-never-reaches-master":
            system = g.subject_ids("system")[0]
            masters: dict = g.details.get("masters") or {}
            loaded = any(w.system == system and w.to is None for w in self.feeds)
            slots = []
            for a in attrs:
                into: list[str] = [t for t in (masters.get(a) or [g.details.get("master")]) if t]
                slot = self._process_fixes(system, into, a)
                if loaded:  # through the hub, written back into the master by a two-way sync
                    slot += [i for t in into for i in self.by_kind_system.get(("system_change", t), ())]
                slots.append(slot)
            return [slots]
        return []

    def items_for(self, g: Gap, uc_id: str | None = None) -> list[str]:
        """The items of every complete way of closing ``g`` (empty when the option does not close it)."""
        return list(dict.fromkeys(i for way in self.ways(g, uc_id) if all(way) for slot in way for i in slot))

    def wave(self, g: Gap, end_of: dict[str, int], uc_id: str | None = None) -> int | None:
        """The wave in which ``g`` is closed (for ``uc_id``: closed and its data where the use case runs)."""
        best = None
        for way in self.ways(g, uc_id):
            if not way or not all(way):
                continue
            done = max(min(end_of[i] for i in slot) for slot in way)
            best = done if best is None else min(best, done)
        return best


def closed_gaps(f: Facts, work: list[m.WorkItem]) -> list[Gap]:
    addressing = Addressing(f, work)
    return [g for g in f.analysis.gaps if addressing.items_for(g)]
