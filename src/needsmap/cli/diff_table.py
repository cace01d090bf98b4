"""Drawing ``needsmap diff`` on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from needsmap.collab.diff import Changes
from needsmap.collab.diff_output import rows, status_word, summary
from needsmap.util.text import terminal as safe

CHANGE_STYLE = {"added": "green", "removed": "red", "changed": "yellow"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_STYLE = {"ready": "green", "at-risk": "yellow", "blocked": "bold red"}


def _t(text: str, style: str = "") -> Text:
    """User text, never interpreted as markup, control characters made visible."""
    return Text(safe(text), style=style)


def print_changes(console: Console, changes: Changes) -> None:
    console.print(
        Text.assemble(
            ("Changes from ", "bold"), _t(changes.old_label, "bold"), (" to ", "bold"), _t(changes.new_label, "bold")
        )
    )
    console.print(_t(summary(changes)))
    for title, section_rows in rows(changes):
        table = Table(title=safe(title), title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
        for column in ("Change", "Id", "Field", "Before", "After"):
            table.add_column(column, overflow="fold")
        for r in section_rows:
            table.add_row(
                _t(r.change, CHANGE_STYLE.get(r.change, "")), _t(r.id), _t(r.field), _t(r.before), _t(r.after)
            )
        console.print()
        console.print(table)
    a = changes.analysis
    for title, gaps, style in (("Gaps opened", a.opened, "red"), ("Gaps closed", a.closed, "green")):
        if not gaps:
            continue
        table = Table(title=title, title_justify="left", title_style=style, box=box.SIMPLE_HEAD, show_edge=False)
        for column in ("Code", "Severity", "Gap", "Use cases"):
            table.add_column(column, overflow="fold")
        for g in gaps:
            table.add_row(
                _t(g.code), _t(g.severity, SEVERITY_STYLE[g.severity]), _t(g.message), _t(", ".join(g.use_cases))
            )
        console.print()
        console.print(table)
    if a.severity_changed:
        table = Table(title="Gaps that changed severity", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
        for column in ("Code", "Gap", "Before", "After"):
            table.add_column(column, overflow="fold")
        for old, new in a.severity_changed:
            table.add_row(
                _t(new.code),
                _t(new.message),
                _t(old.severity, SEVERITY_STYLE[old.severity]),
                _t(new.severity, SEVERITY_STYLE[new.severity]),
            )
        console.print()
        console.print(table)
    if a.readiness:
        table = Table(title="Readiness of use cases", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
        for column in ("Use case", "Title", "Before", "After"):
            table.add_column(column, overflow="fold")
        for rc in a.readiness:
            table.add_row(
                _t(rc.use_case),
                _t(rc.title),
                _t(status_word(rc.old), STATUS_STYLE.get(rc.old or "", "")),
                _t(status_word(rc.new), STATUS_STYLE.get(rc.new or "", "")),
            )
        console.print()
        console.print(table)
