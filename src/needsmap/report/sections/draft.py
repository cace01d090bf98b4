"""The report's "Model draft" section: the ER diagram, the tables and the open decisions.

:func:`model_section` returns one entry for ``ReportContext.extra_sections``:
``html`` is :class:`markupsafe.Markup` built with ``Markup.format`` (which escapes
every workshop string) around the SVG that Graphviz drew from escaped labels;
``markdown`` is :class:`needsmap.util.text.MarkdownText` whose workshop strings went
through :func:`needsmap.util.text.markdown`.
"""

from __future__ import annotations

from markupsafe import Markup

from needsmap.analysis.engine import Analysis
from needsmap.draft.engine import DraftModel, draft_model
from needsmap.draft.render import dot
from needsmap.format import model as m
from needsmap.util import text as textsafe
from needsmap.util.graphviz import Diagram, render_svg
from needsmap.util.text import MarkdownText

SECTION_ID = "model-draft"
TITLE = "Model draft"
#: Columns drawn per table in the report's ER diagram (keys and columns with open decisions first).
DIAGRAM_COLUMNS = 12

_INTRO = (
    "A first data model drafted from the use cases: the parties, contact points, consent and preferences "
    "as typed rows, identity as one cross-reference, with only the attributes a use case needs, each "
    "traced to the use cases that asked for it. Questions the workshop has not "
    "settled are listed as open decisions, not decided here. Get the full draft with "
    "needsmap model FILE --format sql|dbml|mermaid|jsonschema|dot|yaml."
)


def model_section(ws: m.Workshop, analysis: Analysis, *, diagram: bool = True) -> dict:
    """The section (``id``, ``title``, ``html``, ``markdown``) for the report of ``ws``."""
    model = draft_model(ws, analysis)
    svg, why_not = _diagram(model) if diagram else (None, "Diagrams were left out of this report (--no-diagrams).")
    return {
        "id": SECTION_ID,
        "title": TITLE,
        "html": _html(model, svg, why_not, {u.id: u.title or u.id for u in ws.use_cases}),
        "markdown": _markdown(model),
    }


def _diagram(model: DraftModel) -> tuple[str | None, str]:
    result = render_svg(
        Diagram(
            "model-draft",
            "Model draft: entities and relationships",
            dot(model, max_columns=DIAGRAM_COLUMNS, integration=False),
        )
    )
    return result.svg, result.error or ""


def _html(model: DraftModel, svg: str | None, why_not: str, titles: dict[str, str] | None = None) -> Markup:
    parts = [Markup('<p class="lead">{}</p>').format(_INTRO)]
    if svg:
        parts.append(
            Markup(
                '<figure class="diagram" id="diagram-model-draft"><figcaption>{}</figcaption>'
                '<div class="svg">{}</div></figure>'
            ).format(
                f"Entities and relationships (up to {DIAGRAM_COLUMNS} columns per table; bold: NOT NULL; red: "
                "open decisions; the integration view's tables are listed below)",
                Markup(svg),
            )
        )
    elif why_not:
        parts.append(Markup('<div class="callout">{}</div>').format(why_not))
    rows = [
        Markup('<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>').format(
            _text(t.name),
            t.kind,
            _columns(t),
            _text(
                "; ".join((titles or {}).get(u, u) for u in t.use_cases[:6]) + (" …" if len(t.use_cases) > 6 else "")
            ),
            ", ".join(_decisions_of(t)),
        )
        for t in model.tables
    ]
    parts.append(
        Markup(
            '<h3>Tables</h3><div class="scroll"><table class="data"><thead><tr><th>Table</th>'
            '<th>Kind</th><th class="num">Columns</th><th>Needed by</th><th>Open decisions</th></tr>'
            "</thead><tbody>{}</tbody></table></div>"
        ).format(Markup("").join(rows))
    )
    if model.open_decisions:
        drows = [
            Markup(
                '<tr><td class="nw">{}</td><td class="nw"><span class="id">{}</span></td><td class="wide">{}'
                '<div class="affects">{}</div></td><td>{}</td></tr>'
            ).format(d.id, d.code, _text(d.question), _text(d.finding), _text(", ".join(d.targets)))
            for d in model.open_decisions
        ]
        parts.append(
            Markup(
                '<h3>Open decisions</h3><p class="muted small">{}</p><div class="scroll'
                '{}"><table class="data"><thead><tr><th>Id</th><th>Kind</th><th>Question</th>'
                "<th>On</th></tr></thead><tbody>{}</tbody></table></div>"
            ).format(
                "Each comes from a gap rule (NM code) or an open note; the draft leaves it to the workshop.",
                " tall" if len(drows) > 100 else "",
                Markup("").join(drows),
            )
        )
    else:
        parts.append(Markup('<p class="empty">No open decisions.</p>'))
    return Markup("\n").join(parts)


def _columns(t) -> str:
    """The table's column count, and how many attributes it keeps as typed rows (contact types, metrics...)."""
    return f"{len(t.columns)} (+{len(t.row_attributes)} as rows)" if t.row_attributes else str(len(t.columns))


def _text(value: str) -> str:
    """Workshop text for HTML (escaped by ``Markup.format``): control and bidi characters made visible."""
    return textsafe.terminal(value)


def _decisions_of(t) -> list[str]:
    out = list(t.open_decisions)
    for c in [*t.columns, *t.row_attributes]:
        out.extend(c.open_decisions)
    return list(dict.fromkeys(out))


def _markdown(model: DraftModel):

    md = textsafe.markdown
    lines = [
        md(_INTRO),
        "",
        "| Table | Kind | Columns | Needed by | Open decisions |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for t in model.tables:
        lines.append(
            f"| {md(t.name)} | {t.kind} | {_columns(t)} | {md(', '.join(t.use_cases))} | "
            f"{md(', '.join(_decisions_of(t)))} |"
        )
    lines += ["", "**Open decisions**", ""]
    if model.open_decisions:
        lines += ["| Id | Kind | Question | On |", "| --- | --- | --- | --- |"]
        for d in model.open_decisions:
            lines.append(
                f"| {d.id} | {md(d.code)} | {md(textsafe.one_line(d.question))} | {md(', '.join(d.targets))} |"
            )
    else:
        lines.append("None.")
    return MarkdownText("\n".join(lines))
