"""Everything a report shows, computed once: one typed context per report.

Templates (HTML, Markdown) and exports (XLSX, CSV) read these dataclasses and
nothing else, so what a stakeholder sees is defined here, in Python, where it
is tested; the templates only lay it out.  Strings are raw workshop text:
escaping is the job of each output (Jinja2 autoescape for HTML,
:mod:`needsmap.util.text` for Markdown and spreadsheets).
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field

from needsmap import __version__
from needsmap.analysis import problems as problems_of
from needsmap.analysis.engine import SEVERITY_ORDER, UNSCORED_VALUE, Analysis, Gap, GapKey, Readiness
from needsmap.analysis.rules import RULES
from needsmap.format import model as m
from needsmap.roadmap.engine import Recommendation

#: How many gaps (and problems) the executive summary lists.
TOP_GAPS = 10
#: How many blocking problems and open questions the summary's first screen lists (each links to all of them).
FIRST_SCREEN = 5
STATUS_ORDER = {"blocked": 0, "at-risk": 1, "ready": 2}
_CRIT_LETTER = {"must": "M", "should": "S", "could": "C"}
_ROLE_LETTER = {"master": "M", "copy": "C", "derived": "D"}


@dataclass(frozen=True, slots=True)
class NeedView:
    attribute: str
    name: str
    criticality: str
    freshness: str
    status: str  # "ok" or the problems, comma-separated, in plain words
    satisfied: bool
    path: str  # "webshop -> campaigns" or ""
    path_freshness: str


@dataclass(frozen=True, slots=True)
class UseCaseView:
    id: str
    title: str
    description: str
    owner: str  # the owner's name ("" when none)
    owner_id: str
    function: str
    channels: tuple[str, ...]
    value: int | None
    effort: int | None
    horizon: str
    status: str
    executes_in: tuple[str, ...]
    readiness: str  # ready | at-risk | blocked | rejected
    must_met: str  # "2/3"
    must_share: float
    reasons: tuple[str, ...]
    needs: tuple[NeedView, ...]
    gaps: int
    must_total: int = 0  # how many must-needs it has (0: nothing to meet, drawn empty, never as 100%)
    #: the parts of its readiness (data, identity, consent, process) at the worst level; empty when ready
    because: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GapView:
    code: str
    rule: str
    severity: str
    subjects: str
    message: str
    action: str
    impact: int
    use_cases: tuple[str, ...]
    blocks: bool = False  # an error that blocks a use case (these come first)


@dataclass(frozen=True, slots=True)
class ProblemView:
    """One root cause (:class:`needsmap.analysis.problems.Problem`) and its findings."""

    key: str
    title: str
    severity: str
    blocks: bool
    impact: int
    use_cases: tuple[str, ...]
    findings: tuple[GapView, ...]


@dataclass(frozen=True, slots=True)
class RuleGroup:
    code: str
    rule: str
    title: str
    why: str
    fix: str
    gaps: tuple[GapView, ...]
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class StakeholderView:
    id: str
    name: str
    role: str
    function: str
    influence: str
    interest: str
    use_cases: tuple[str, ...]
    owns_attributes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """A grid for the report and the spreadsheets: rows × columns of short cell texts.

    ``styles`` holds a CSS class name per cell (or "") for colouring.
    """

    name: str
    title: str
    corner: str
    rows: tuple[tuple[str, str], ...]  # (id, label)
    columns: tuple[tuple[str, str], ...]  # (id, label)
    cells: tuple[tuple[str, ...], ...]
    styles: tuple[tuple[str, ...], ...]
    legend: str


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    kind: str
    text: str
    about: tuple[str, ...]
    by: str
    status: str


@dataclass(frozen=True, slots=True)
class OwnershipView:
    owner: str
    owner_id: str
    function: str
    attributes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AttributeView:
    id: str
    name: str
    entity: str
    type: str
    definition: str
    identifier: bool
    sensitivity: str
    owner: str
    synonyms: tuple[str, ...]
    needed_by: int
    held_in: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DiagramView:
    name: str
    title: str
    svg: str | None  # inline SVG, or None when it could not be drawn
    note: str  # aggregation note or the reason it could not be drawn


@dataclass(slots=True)
class ReportContext:
    """The whole report (or one stakeholder's view, when ``for_stakeholder`` is set)."""

    title: str
    organization: str
    dates: tuple[str, ...]
    facilitator: str
    scope: str
    source_file: str
    generated_on: str
    version: str
    readiness_counts: dict[str, int]
    gap_counts: dict[str, int]
    top_gaps: tuple[GapView, ...]
    decisions: tuple[NoteView, ...]
    open_questions: tuple[NoteView, ...]
    stakeholders: tuple[StakeholderView, ...]
    influence_grid: dict[tuple[str, str], tuple[str, ...]]  # (influence, interest) -> names
    functions: tuple[tuple[str, int, int], ...]  # (function, stakeholders, use cases)
    use_cases: tuple[UseCaseView, ...]
    rule_groups: tuple[RuleGroup, ...]
    traceability: Matrix
    crud: Matrix
    system_matrix: Matrix
    ownership: tuple[OwnershipView, ...]
    contested: tuple[GapView, ...]
    orphaned: tuple[tuple[str, str, tuple[str, ...]], ...]  # (attribute, name, needed by)
    notes: dict[str, tuple[NoteView, ...]]  # kind -> notes
    catalog: tuple[AttributeView, ...]
    diagrams: list[DiagramView] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)  # name -> inline SVG
    for_stakeholder: StakeholderView | None = None
    asks: tuple[str, ...] = ()  # per-stakeholder: what we need from them
    extra_sections: list = field(default_factory=list)  # hooks: model draft, roadmap, changes since
    # What the templates look up: names by id, the views of one stakeholder, the diagrams and problems:
    attribute_names: dict[str, str] = field(default_factory=dict)  # every attribute id -> its name
    use_case_titles: dict[str, str] = field(default_factory=dict)  # every use case id -> its title
    blocking: tuple[GapView, ...] = ()  # per-stakeholder: errors and warnings on their use cases, by impact
    diagrams_note: str = ""  # which diagrams the report draws and why (filled by the report engine)
    lineage: dict[str, DiagramView] = field(default_factory=dict)  # use case id -> its lineage (also in diagrams)
    # The summary's problems (findings grouped by root cause), blocking errors first, then by impact:
    top_problems: tuple[ProblemView, ...] = ()
    problem_counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    blocking_problems: int = 0  # how many problems block a use case
    #: Markdown: the diagrams as Mermaid, by name (needsmap.report.mermaid.MermaidDiagram; empty when left out)
    mermaid: dict = field(default_factory=dict)
    #: The name of every item a stakeholder may read about (stakeholders, use cases, attributes, systems,
    #: processes), by id: templates show names, an id only in small type after it.
    names: dict[str, str] = field(default_factory=dict)
    #: Every problem that blocks a use case, the biggest first (the summary's first screen shows FIRST_SCREEN).
    blockers: tuple[ProblemView, ...] = ()
    #: The open questions that concern the most value first (the summary's first screen shows FIRST_SCREEN).
    questions_first: tuple[NoteView, ...] = ()
    #: The roadmap's recommended option and what to start with (set by the report engine; None without options).
    recommended: Recommendation | None = None
    #: The report holds the summary only (``--summary-only``): a page or two to print or send.
    summary_only: bool = False
    #: The ids of the use cases this report has a section for (links go there; the others are named only).
    shown_use_cases: frozenset[str] = frozenset()

    @property
    def gap_total(self) -> int:
        return sum(self.gap_counts.values())

    @property
    def problem_total(self) -> int:
        return sum(self.problem_counts.values())


def said_to(text: str, name: str | None) -> str:
    """A finding's text in the report of the stakeholder ``name`` (their personal report): said to them ("owned by
    you", "Confirm that you own it"), not about them by name; unchanged when ``name`` is None."""
    if not name:
        return text
    return (
        text.replace(f"owned by {name} (", "owned by you (")
        .replace(f"Confirm {name} as owner with", "Confirm that you own it with")
        .replace(f"Confirm {name} as owner", "Confirm that you own it")
        .replace(f"{name} owns", "you own")
    )


def _gap_view(g: Gap, blocking: frozenset[GapKey] = frozenset(), you: str | None = None) -> GapView:
    return GapView(
        g.code,
        g.rule,
        g.severity,
        ", ".join(i for _, i in g.subjects),
        said_to(g.message, you),
        said_to(g.action, you),
        g.impact,
        g.use_cases,
        g.key in blocking,
    )


def _note_view(n: m.Note, names: dict[str, str]) -> NoteView:
    return NoteView(
        n.id, n.effective_kind, n.text, tuple(n.about), names.get(n.by or "", n.by or ""), n.effective_status
    )


_PROBLEM_WORDS = {
    "missing-source": "held nowhere",
    "unreachable": "does not reach",
    "stale": "too slow",
    "unknown-freshness": "freshness unknown",
    "low-quality": "low quality",
    "low-coverage": "low coverage",
}


def _need_view(ws_attrs: dict[str, m.Attribute], ns, systems: dict[str, str] | None = None) -> NeedView:
    attr = ws_attrs.get(ns.attribute)
    status = ", ".join(_PROBLEM_WORDS.get(p, p) for p in ns.problems) or "ok"
    return NeedView(
        ns.attribute,
        attr.name if attr else ns.attribute,
        ns.criticality,
        ns.freshness,
        status,
        ns.satisfied,
        " -> ".join((systems or {}).get(s, s) for s in ns.path),
        ns.path_freshness or "",
    )


def _use_case_view(
    uc: m.UseCase, r: Readiness | None, names, attrs, gap_count: int, systems: dict[str, str] | None = None
) -> UseCaseView:
    needs = (
        tuple(_need_view(attrs, ns, systems) for ns in r.needs)
        if r
        else tuple(
            NeedView(
                n.attribute,
                attrs[n.attribute].name if n.attribute in attrs else n.attribute,
                n.effective_criticality,
                n.effective_freshness,
                "not analysed (rejected)",
                False,
                "",
                "",
            )
            for n in uc.needs
        )
    )
    return UseCaseView(
        uc.id,
        uc.title,
        uc.description or "",
        names.get(uc.owner or "", uc.owner or ""),
        uc.owner or "",
        uc.function or "",
        tuple(uc.channels),
        uc.value,
        uc.effort,
        uc.horizon or "",
        uc.effective_status,
        tuple(uc.executes_in),
        r.status if r else "rejected",
        f"{r.must_satisfied}/{r.must_total}" if r else "",
        r.must_share if r else 0.0,
        r.reasons if r else (),
        needs,
        gap_count,
        r.must_total if r else 0,
        r.because if r else (),
    )


def traceability_matrix(ws: m.Workshop, analysis: Analysis, use_cases: list[m.UseCase] | None = None) -> Matrix:
    """Use case × attribute: M/S/C per need, coloured by whether the need is met."""
    ucs = use_cases if use_cases is not None else [u for u in ws.use_cases if u.status != "rejected"]
    needed = {nd.attribute for u in ucs for nd in u.needs}
    attrs = [a for a in ws.attributes if a.id in needed]
    cols = tuple((a.id, a.name) for a in attrs)
    index = {a.id: i for i, a in enumerate(attrs)}
    rows, cells, styles = [], [], []
    for u in ucs:
        row = [""] * len(attrs)
        style = [""] * len(attrs)
        r = analysis.readiness.get(u.id)
        status = {ns.attribute: ns for ns in r.needs} if r else {}
        for nd in u.needs:
            i = index.get(nd.attribute)
            if i is None:
                continue
            row[i] = _CRIT_LETTER[nd.effective_criticality]
            ns = status.get(nd.attribute)
            style[i] = "ok" if ns and ns.satisfied else "bad" if ns else ""
        rows.append((u.id, u.title))
        cells.append(tuple(row))
        styles.append(tuple(style))
    return Matrix(
        "traceability",
        "Traceability: use case × attribute",
        "Use case",
        tuple(rows),
        cols,
        tuple(cells),
        tuple(styles),
        "M = must, S = should, C = could; green = met, red = not met",
    )


def crud_matrix(ws: m.Workshop) -> Matrix:
    """Process × attribute: which of create/read/update/delete its steps do."""
    touched: dict[tuple[str, str], set[str]] = defaultdict(set)
    attr_order: dict[str, None] = {}
    for p in ws.processes:
        for st in p.steps:
            for action, letter in (("creates", "C"), ("reads", "R"), ("updates", "U"), ("deletes", "D")):
                for a in getattr(st, action):
                    touched[(p.id, a)].add(letter)
                    attr_order.setdefault(a, None)
    names = {a.id: a.name for a in ws.attributes}
    order = {a.id: i for i, a in enumerate(ws.attributes)}
    attrs = sorted(attr_order, key=lambda a: order.get(a, len(order)))
    cols = tuple((a, names.get(a, a)) for a in attrs)
    rows, cells, styles = [], [], []
    for p in ws.processes:
        row = tuple("".join(x for x in "CRUD" if x in touched.get((p.id, a), ())) for a in attrs)
        rows.append((p.id, p.name))
        cells.append(row)
        styles.append(tuple("write" if ("C" in c or "U" in c or "D" in c) else "read" if c else "" for c in row))
    return Matrix(
        "crud",
        "CRUD: process × attribute",
        "Process",
        tuple(rows),
        cols,
        tuple(cells),
        tuple(styles),
        "C = create, R = read, U = update, D = delete",
    )


def system_matrix(ws: m.Workshop, min_quality: int) -> Matrix:
    """System × attribute: role, quality and freshness per holding (a heat map on quality)."""
    held_ids = {h.attribute for s in ws.systems for h in s.holds}
    held = [a for a in ws.attributes if a.id in held_ids]
    index = {a.id: i for i, a in enumerate(held)}
    rows, cells, styles = [], [], []
    for s in ws.systems:
        row = [""] * len(held)
        style = [""] * len(held)
        for h in s.holds:
            i = index.get(h.attribute)
            if i is None:
                continue
            parts = [_ROLE_LETTER[h.effective_role]]
            if h.quality is not None:
                parts.append(f"q{h.quality}")
            if h.freshness and h.freshness != "unknown":
                parts.append(h.freshness[0])
            row[i] = " ".join(parts)
            style[i] = "q-unknown" if h.quality is None else "q-low" if h.quality < min_quality else f"q{h.quality}"
        rows.append((s.id, s.name))
        cells.append(tuple(row))
        styles.append(tuple(style))
    return Matrix(
        "systems",
        "Systems × attributes: where data lives",
        "System",
        tuple(rows),
        tuple((a.id, a.name) for a in held),
        tuple(cells),
        tuple(styles),
        "M = master, C = copy, D = derived; q1-q5 = quality; r/h/d/w/m = realtime, hourly, daily, weekly, "
        "monthly; colour = quality (red below the threshold, grey unknown)",
    )


def build_context(
    ws: m.Workshop,
    analysis: Analysis,
    *,
    source_file: str = "",
    today: _dt.date | None = None,
    for_stakeholder: str | None = None,
) -> ReportContext:
    """The report's context; with ``for_stakeholder``, narrowed to what concerns that person."""
    names = {s.id: s.name for s in ws.stakeholders}
    attrs = {a.id: a for a in ws.attributes}
    system_names = {s.id: s.name or s.id for s in ws.systems}
    gaps_per_uc: dict[str, int] = defaultdict(int)
    for g in analysis.gaps:
        for u in g.use_cases:
            gaps_per_uc[u] += 1
    value_of = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in ws.use_cases}

    me = None
    if for_stakeholder is not None:
        me = next(s for s in ws.stakeholders if s.id == for_stakeholder)
    you = (me.name or me.id) if me is not None else None

    use_cases = [u for u in ws.use_cases if me is None or u.owner == me.id]
    uc_views = tuple(
        sorted(
            (
                _use_case_view(u, analysis.readiness.get(u.id), names, attrs, gaps_per_uc[u.id], system_names)
                for u in use_cases
            ),
            key=lambda v: (STATUS_ORDER.get(v.readiness, 3), -value_of[v.id], v.id),
        )
    )

    gaps = analysis.gaps
    if me is not None:
        mine = _relevant_subjects(ws, me.id)
        my_ucs = {u.id for u in use_cases}
        gaps = [g for g in gaps if mine.intersection(g.subjects) or my_ucs.intersection(g.use_cases)]
    groups = []
    by_rule: dict[str, list[Gap]] = defaultdict(list)
    for g in gaps:
        by_rule[g.rule].append(g)
    for slug, rule in RULES.items():
        if by_rule.get(slug):
            counts = {"error": 0, "warning": 0, "info": 0}
            for g in by_rule[slug]:
                counts[g.severity] += 1
            groups.append(
                RuleGroup(
                    rule.code,
                    slug,
                    rule.title,
                    settings_in_words(rule.why, ws),
                    settings_in_words(rule.fix, ws),
                    tuple(_gap_view(g, analysis.blocking, you) for g in by_rule[slug]),
                    counts,
                )
            )

    stakeholders = tuple(
        StakeholderView(
            s.id,
            s.name,
            s.role or "",
            s.function or "",
            s.influence or "",
            s.interest or "",
            tuple(u.id for u in ws.use_cases if u.owner == s.id),
            tuple(a.id for a in ws.attributes if a.owner == s.id),
        )
        for s in ws.stakeholders
    )
    grid: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in ws.stakeholders:
        grid[(s.influence or "unknown", s.interest or "unknown")].append(s.name)
    functions = tuple(
        (f, sum(1 for s in ws.stakeholders if s.function == f), sum(1 for u in ws.use_cases if u.function == f))
        for f in ws.function_ids
    )

    notes_by_kind: dict[str, list[NoteView]] = {k: [] for k in m.NOTE_KINDS}
    notes = ws.notes
    if me is not None:
        mine = _relevant_subjects(ws, me.id)
        mine_ids = {i for _, i in mine}
        notes = [n for n in notes if n.by == me.id or mine_ids.intersection(n.about) or me.id in n.about]
    for n in notes:
        notes_by_kind[n.effective_kind].append(_note_view(n, names))
    decisions = tuple(notes_by_kind["decision"])
    questions = tuple(n for n in notes_by_kind["question"] if n.status == "open")

    ownership = []
    for s in ws.stakeholders:
        owned = tuple(a.id for a in ws.attributes if a.owner == s.id)
        if owned and (me is None or s.id == me.id):
            ownership.append(OwnershipView(s.name, s.id, s.function or "", owned))
    contested = tuple(_gap_view(g, analysis.blocking, you) for g in gaps if g.rule == "contested")
    needed_by: dict[str, list[str]] = defaultdict(list)
    for row in analysis.attributes:
        needed_by[row.id] = [u for u, _ in row.needed_by]
    orphaned = tuple(
        (a.id, a.name, tuple(dict.fromkeys(needed_by[a.id]))) for a in ws.attributes if not a.owner and needed_by[a.id]
    )

    held_in: dict[str, list[str]] = defaultdict(list)
    for sy in ws.systems:
        for h in sy.holds:
            held_in[h.attribute].append(sy.id)
    catalog_attrs = ws.attributes
    if me is not None:
        wanted = {n.attribute for u in use_cases for n in u.needs} | {a.id for a in ws.attributes if a.owner == me.id}
        catalog_attrs = [a for a in ws.attributes if a.id in wanted]
    catalog = tuple(
        AttributeView(
            a.id,
            a.name,
            a.effective_entity,
            a.effective_type,
            a.definition or "",
            a.is_identifier,
            a.effective_sensitivity,
            names.get(a.owner or "", a.owner or ""),
            tuple(a.synonyms),
            len(dict.fromkeys(needed_by[a.id])),
            tuple(held_in[a.id]),
        )
        for a in catalog_attrs
    )

    info = ws.workshop
    ctx = ReportContext(
        title=info.name,
        organization=info.organization or "",
        dates=tuple(d.isoformat() for d in info.dates),
        facilitator=info.facilitator or "",
        scope=info.scope or "",
        source_file=source_file,
        generated_on=(today or _dt.date.today()).isoformat(),
        version=__version__,
        readiness_counts=_readiness_counts(uc_views) if me is not None else analysis.readiness_counts(),
        gap_counts=_gap_counts(gaps),
        top_gaps=tuple(_gap_view(g, analysis.blocking, you) for g in gaps[:TOP_GAPS]),
        decisions=decisions,
        open_questions=questions,
        stakeholders=stakeholders,
        influence_grid={k: tuple(v) for k, v in grid.items()},
        functions=functions,
        use_cases=uc_views,
        rule_groups=tuple(groups),
        traceability=traceability_matrix(ws, analysis, [u for u in use_cases if u.status != "rejected"]),
        crud=crud_matrix(ws),
        system_matrix=system_matrix(ws, ws.effective_settings.effective_min_quality),
        ownership=tuple(ownership),
        contested=contested,
        orphaned=orphaned,
        notes={k: tuple(v) for k, v in notes_by_kind.items()},
        catalog=catalog,
    )
    ctx.attribute_names = {a.id: a.name for a in ws.attributes}
    ctx.use_case_titles = {u.id: u.title for u in ws.use_cases}
    ctx.names = item_names(ws)
    ctx.shown_use_cases = frozenset(u.id for u in uc_views)
    problems = _problems(ws, analysis, gaps, you)
    ctx.top_problems = tuple(problems[:TOP_GAPS])
    ctx.problem_counts = {sev: sum(1 for p in problems if p.severity == sev) for sev in ("error", "warning", "info")}
    ctx.blocking_problems = sum(1 for p in problems if p.blocks)
    ctx.blockers = tuple(p for p in problems if p.blocks)
    ctx.questions_first = _questions_by_value(ws, analysis, questions)
    if me is not None:
        ctx.for_stakeholder = next(v for v in stakeholders if v.id == me.id)
        ctx.asks = _asks(ws, analysis, me, gaps)
        my_ucs = {u.id for u in use_cases}
        ctx.blocking = tuple(
            _gap_view(g, analysis.blocking, you)
            for g in gaps
            if g.severity in ("error", "warning") and my_ucs.intersection(g.use_cases)
        )
    return ctx


def _problems(ws: m.Workshop, analysis: Analysis, gaps: list[Gap], you: str | None = None) -> list[ProblemView]:
    """The problems behind ``gaps`` (all of them, or one stakeholder's), blocking errors first, then by impact."""
    shown = {id(g) for g in gaps}
    value_of = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in ws.use_cases}
    out = []
    for p in problems_of.group(analysis, ws):
        mine = [g for g in p.symptoms if id(g) in shown]
        if len(mine) == len(p.symptoms):
            severity, blocks, use_cases, impact = p.severity, p.blocks, p.use_cases, p.impact
        elif mine:  # a stakeholder's part of a problem: what their findings say
            severity = min((g.severity for g in mine), key=SEVERITY_ORDER.__getitem__)
            blocks = any(analysis.blocks(g) for g in mine)
            use_cases = tuple(dict.fromkeys(u for g in mine for u in g.use_cases))
            impact = sum(value_of.get(u, UNSCORED_VALUE) for u in use_cases)
        else:
            continue
        views = tuple(_gap_view(g, analysis.blocking, you) for g in mine)
        out.append(ProblemView(p.key, p.title, severity, blocks, impact, use_cases, views))
    out.sort(key=lambda v: (not v.blocks, -v.impact, SEVERITY_ORDER[v.severity]))  # stable: ties keep their order
    return out


def settings_in_words(text: str, ws: m.Workshop) -> str:
    """A rule's text with the settings it names said in words and numbers: "below the minimum quality of 3",
    not "below settings.min_quality"."""
    st = ws.effective_settings
    coverage = st.effective_min_coverage
    share = f"{round(coverage * 100)}%" if coverage <= 1 else f"{coverage:g}%"
    return text.replace("settings.min_quality", f"the minimum quality of {st.effective_min_quality}").replace(
        "settings.min_coverage", f"the minimum coverage of {share}"
    )


def item_names(ws: m.Workshop) -> dict[str, str]:
    """Every item's name by id: stakeholders, use cases (titles), attributes, systems, processes."""
    names: dict[str, str] = {}
    for group in (ws.processes, ws.systems, ws.attributes, ws.stakeholders):
        names.update((x.id, x.name or x.id) for x in group)
    names.update((u.id, u.title or u.id) for u in ws.use_cases)
    return names


def _questions_by_value(ws: m.Workshop, analysis: Analysis, questions: tuple[NoteView, ...]) -> tuple[NoteView, ...]:
    """Open questions, those that concern the most value first: the summed value of the use cases a question is
    about, directly or through an attribute they need (blocked use cases count double); file order on ties."""
    value_of = {u.id: (u.value if u.value is not None else UNSCORED_VALUE) for u in ws.use_cases}
    blocked = {uid for uid, r in analysis.readiness.items() if r.status == "blocked"}
    needing: dict[str, set[str]] = defaultdict(set)
    for u in ws.use_cases:
        for nd in u.needs:
            needing[nd.attribute].add(u.id)

    def weight(q: NoteView) -> int:
        ucs = {i for i in q.about if i in value_of}
        for i in q.about:
            ucs |= needing.get(i, set())
        return sum(value_of[u] * (2 if u in blocked else 1) for u in ucs)

    return tuple(sorted(questions, key=lambda q: -weight(q)))


def _readiness_counts(views) -> dict[str, int]:
    counts = {"ready": 0, "at-risk": 0, "blocked": 0}
    for v in views:
        if v.readiness in counts:
            counts[v.readiness] += 1
    return counts


def _gap_counts(gaps: list[Gap]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for g in gaps:
        counts[g.severity] += 1
    return counts


def _relevant_subjects(ws: m.Workshop, sid: str) -> set[tuple[str, str]]:
    """What a stakeholder owns or asked for, as gap subjects."""
    out = {("stakeholder", sid)}
    out |= {("use_case", u.id) for u in ws.use_cases if u.owner == sid}
    out |= {("attribute", a.id) for a in ws.attributes if a.owner == sid}
    out |= {("system", s.id) for s in ws.systems if s.owner == sid}
    out |= {("process", p.id) for p in ws.processes if p.owner == sid}
    return out


def _to_owner(action: str) -> str:
    """The rule's advice, said to the owner instead of about them."""
    return (
        action.replace("Have the owner fix", "Fix")
        .replace(" with the owner", "")
        .replace("Appoint the owner to fix", "Fix")
    )


def _asks(ws: m.Workshop, analysis: Analysis, me: m.Stakeholder, gaps: list[Gap]) -> tuple[str, ...]:
    """What the workshop needs from this stakeholder, in plain words."""
    asks: list[str] = []
    you = me.name or me.id
    owned_attrs = {a.id for a in ws.attributes if a.owner == me.id}
    for g in gaps:
        if g.rule in (
            "low-quality",
            "low-coverage",
            "no-master",
            "many-masters",
            "definition-conflict",
        ) and owned_attrs.intersection(g.subject_ids("attribute")):
            asks.append(f"As owner: {said_to(g.message, you)}. {_to_owner(said_to(g.action, you))}")
        elif g.rule == "contested" and ("stakeholder", me.id) in g.subjects:
            asks.append(f"As owner: {said_to(g.message, you)}. {said_to(g.action, you)}")
        elif g.rule in ("orphan-use-case", "use-case-without-needs") and any(
            u.owner == me.id for u in ws.use_cases if u.id in g.use_cases
        ):
            asks.append(f"{g.message}. {g.action}")
    for n in ws.notes:
        if (
            n.effective_kind == "question"
            and n.effective_status == "open"
            and (
                me.id in n.about
                or owned_attrs.intersection(n.about)
                or any(u.owner == me.id and u.id in n.about for u in ws.use_cases)
            )
        ):
            asks.append(f"Open question {n.id}: {n.text}")
    return tuple(dict.fromkeys(asks))
