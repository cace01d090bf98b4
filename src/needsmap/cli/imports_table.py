"""Drawing an import's preview on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from needsmap.imports.plan import PREVIEW_COLUMNS, ImportPlan, preview_rows, summary
from needsmap.util.text import terminal

KIND_STYLE = {"add": "green", "merge": "cyan", "unchanged": "dim", "ambiguous": "yellow", "skip": "dim"}


def print_plan(console: Console, plan: ImportPlan, shown: ImportPlan | None = None, more: str = "") -> None:
    """The preview: notes about the input, one row per change (of ``shown``, a part of the plan, when given,
    then ``more``: what is not shown), and the counts of the whole plan."""
    for note in plan.notes:
        console.print(Text(f"{terminal(plan.source)}: {terminal(note)}", style="dim"))
    rows = preview_rows(shown if shown is not None else plan)
    if rows:
        table = Table(*PREVIEW_COLUMNS, box=None, pad_edge=False, header_style="bold")
        for r in rows:
            cells = [terminal(x) for x in (r.kind, r.section, r.ident, r.label, r.source, r.detail)]
            table.add_row(Text(cells[0], style=KIND_STYLE.get(r.kind, "")), *(Text(c) for c in cells[1:]))
        console.print(table)
    if more:
        console.print(Text(terminal(more), style="dim"))
    console.print(Text(f"{terminal(plan.source)}: {summary(plan)}"))
