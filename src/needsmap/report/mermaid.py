"""The Markdown report's diagrams as Mermaid, which GitHub (and GitLab, and most wikis) draw from ```mermaid blocks.

Two diagrams: the system landscape (a flowchart of the systems, in a box per kind, and the
feeds between them) and the data-model draft (compact ER diagrams from
:mod:`needsmap.draft.mermaid`: columns with type and keys, one diagram per subject area when
the draft is big).

Size limits.  GitHub draws Mermaid with Mermaid's defaults, which refuse a diagram of more
than 50,000 characters (``maxTextSize``) or 500 edges (``maxEdges``) with an error box where
the diagram should be.  Well before that a flowchart stops being readable: the HTML report's
landscape already groups systems by kind beyond :data:`~needsmap.report.diagrams.LANDSCAPE_DETAIL_MAX`
(40) systems or :data:`~needsmap.report.diagrams.LANDSCAPE_MAX_LINKS` (100) links between them.
So the landscape is a Mermaid flowchart up to those same limits (and :data:`MAX_TEXT`
characters); beyond them the report links an SVG drawn by Graphviz (grouped by kind, as in
the HTML report), written beside the Markdown file (:func:`landscape_svg_name`).

Every name is untrusted workshop text.  Node ids are generated (``s1``, ``k1``); labels go in
double-quoted strings in which every character Mermaid or Markdown could read as syntax
(``"``, ``#``, ``<``, ``>``, ``&``, brackets, ``|``, ``;``, backticks, ``%``...) is written as a
Mermaid entity code (``#34;``), and line breaks become spaces, so a name with ``"]``, ``-->``
or a newline stays one label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

from needsmap.analysis.engine import Analysis
from needsmap.draft import mermaid as draft_mermaid
from needsmap.draft.engine import DraftModel, draft_model
from needsmap.format import model as m
from needsmap.report.diagrams import LANDSCAPE_DETAIL_MAX, LANDSCAPE_MAX_LINKS, NO_KIND, landscape_dot
from needsmap.util import text as textsafe
from needsmap.util.graphviz import Diagram, dot_available, render_svg
from needsmap.util.text import MarkdownText

#: The longest Mermaid text GitHub draws (Mermaid's default ``maxTextSize``), with room to spare.
MAX_TEXT = 45_000
#: The most edges GitHub draws (Mermaid's default ``maxEdges`` is 500); a landscape has far fewer before it
#: switches to the SVG (:data:`~needsmap.report.diagrams.LANDSCAPE_MAX_LINKS`).
MAX_EDGES = 500
#: Label lengths: a system or kind name, a feed's label.
LABEL_LIMIT = 60

# Everything that is not plainly text inside a Mermaid string or could end a Markdown fence.
_SYNTAX = re.compile(r"""["#&<>`%|;\[\]{}()\\*_~:=]""")


def label(text: str, limit: int = LABEL_LIMIT) -> str:
    """Workshop text as a Mermaid double-quoted label: one line, every syntax character an entity code."""
    flat = textsafe.shorten(textsafe.terminal(textsafe.one_line(text)), limit)
    return '"' + _SYNTAX.sub(lambda mt: f"#{ord(mt.group(0))};", flat) + '"'


@dataclass(frozen=True, slots=True)
class MermaidDiagram:
    """One diagram for the Markdown report: Mermaid ``source``, or None with ``note`` saying why not."""

    name: str
    title: str
    source: MarkdownText | None  # our own text, labels escaped: the Markdown template writes it as it is
    note: MarkdownText = MarkdownText("")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def landscape_svg_name(source_file: str) -> str:
    """The file name of the landscape SVG that goes beside a Markdown report of ``source_file``."""
    stem = PurePath(source_file).stem or "workshop"
    return re.sub(r"[^A-Za-z0-9._-]", "-", stem) + ".landscape.svg"


def _feeds(ws: m.Workshop) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(from, to) -> frequency -> attributes: the feeds between known systems, merged per pair."""
    known = {s.id for s in ws.systems}
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for sy in ws.systems:
        for fd in sy.feeds:
            if fd.to in known:
                pairs.setdefault((sy.id, fd.to), defaultdict(set))[fd.effective_frequency].update(fd.attributes)
    return pairs


def landscape_fits(ws: m.Workshop) -> bool:
    """Whether the landscape is small enough for a Mermaid flowchart (else it is a linked SVG)."""
    return len(ws.systems) <= LANDSCAPE_DETAIL_MAX and len(_feeds(ws)) <= min(LANDSCAPE_MAX_LINKS, MAX_EDGES)


def _islands(analysis: Analysis) -> set[str]:
    """Systems whose customers cannot be recognised elsewhere (identity islands, or no identifier)."""
    return {row.id for row in analysis.systems if row.component >= 0 and (row.component > 0 or not row.identifiers)}


def landscape(ws: m.Workshop, analysis: Analysis, svg_name: str = "") -> MermaidDiagram:
    """The systems, in a box per kind, and the feeds between them (frequency and attributes carried)."""
    name, title = "landscape", "System landscape: systems and the feeds between them"
    if not ws.systems:
        return MermaidDiagram(name, title, None, MarkdownText("No systems recorded in this workshop yet."))
    pairs = _feeds(ws)
    if not landscape_fits(ws):
        too_many = (
            f"{len(ws.systems)} systems and {len(pairs)} links between them are too many for a readable Mermaid "
            f"diagram (the limit is {LANDSCAPE_DETAIL_MAX} systems and {LANDSCAPE_MAX_LINKS} links)"
        )
        if svg_name and dot_available():
            image = f"![The system landscape, grouped by kind]({svg_name})"
            note = f"{too_many}: the landscape, grouped by kind, is an SVG beside this file.\n\n{image}"
        else:
            note = f"{too_many}: the landscape, grouped by kind, is drawn in the HTML report."
        return MermaidDiagram(name, title, None, MarkdownText(note))
    node = {s.id: f"s{i}" for i, s in enumerate(ws.systems, 1)}
    islands = _islands(analysis)
    lines = ["flowchart LR"]
    by_kind: dict[str, list[m.System]] = defaultdict(list)
    for sy in ws.systems:
        by_kind[sy.kind or NO_KIND].append(sy)
    for k, (kind, members) in enumerate(by_kind.items(), 1):
        indent = "    "
        if len(members) > 1:
            lines.append(f"    subgraph k{k}[{label(kind.replace('_', ' '))}]")
            indent = "        "
        for sy in members:
            lines.append(f"{indent}{node[sy.id]}[{label(sy.name or sy.id)}]")
        if len(members) > 1:
            lines.append("    end")
    for (a, b), by_freq in pairs.items():
        freqs = sorted(by_freq, key=lambda f: m.FRESHNESS_RANK.get(f, len(m.FRESHNESS_RANK)))
        text = ", ".join(f"{_count(len(by_freq[f]), 'attribute')} {f}" for f in freqs)
        lines.append(f"    {node[a]} -->|{label(text)}| {node[b]}")
    flagged = [node[s.id] for s in ws.systems if s.id in islands]
    if flagged:
        lines.append("    classDef island stroke:#c62828,stroke-width:3px")
        lines.append(f"    class {','.join(flagged)} island")
    source = MarkdownText("\n".join(lines) + "\n")
    note = "Arrows are feeds, labelled with the number of attributes they carry and how often."
    if flagged:
        note += " A red border marks a system whose customers cannot be recognised in the others."
    if len(source) > MAX_TEXT:
        return MermaidDiagram(
            name, title, None, MarkdownText("The landscape is too big for a Mermaid diagram: see the HTML report.")
        )
    return MermaidDiagram(name, title, source, MarkdownText(note))


def er_diagrams(model: DraftModel) -> list[MermaidDiagram]:
    """The draft's tables (columns with type and keys) and relationships, one compact diagram per subject area."""
    name, title = "model-draft", "Model draft: entities and relationships"
    if not model.tables:
        return [
            MermaidDiagram(
                name, title, None, MarkdownText("The draft has no tables yet: no use case needs an attribute.")
            )
        ]
    found = draft_mermaid.diagrams(model, "compact")
    too_big = MarkdownText("Too big for one Mermaid diagram: `needsmap model FILE --format mermaid` writes it.")
    return [
        MermaidDiagram(f"{name}-{i}", d.title, MarkdownText(d.text), MarkdownText(""))
        if len(d.text) <= MAX_TEXT
        else MermaidDiagram(f"{name}-{i}", d.title, None, too_big)
        for i, d in enumerate(found, 1)
    ]


def markdown_diagrams(ws: m.Workshop, analysis: Analysis, source_file: str = "") -> dict[str, list[MermaidDiagram]]:
    """The Markdown report's diagrams: ``landscape`` (one) and ``model-draft`` (one per subject area)."""
    return {
        "landscape": [landscape(ws, analysis, landscape_svg_name(source_file))],
        "model-draft": er_diagrams(draft_model(ws, analysis)),
    }


def landscape_svg(ws: m.Workshop, analysis: Analysis) -> str | None:
    """The landscape drawn by Graphviz (grouped by kind when big), for a Markdown report too big for Mermaid.

    None when Graphviz is missing or fails (the report then points to the HTML report).
    """
    d: Diagram = landscape_dot(ws, analysis)
    return render_svg(d).svg
