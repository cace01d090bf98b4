"""Drawing ``needsmap diff`` on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

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
        _print_table(
            console,
            safe(title),
            ("Change", "Id", "Field", "Before", "After"),
            [
                (_t(r.change, CHANGE_STYLE.get(r.change, "")), _t(r.id), _t(r.field), _t(r.before), _t(r.after))
                for r in section_rows
            ],
        )
    a = changes.analysis
    for title, gaps, style in (("Gaps opened", a.opened, "red"), ("Gaps closed", a.closed, "green")):
        if gaps:
            _print_table(
                console,
                title,
                ("Code", "Severity", "Gap", "Use cases"),
                [
                    (_t(g.code), _t(g.severity, SEVERITY_STYLE[g.severity]), _t(g.message), _t(", ".join(g.use_cases)))
                    for g in gaps
                ],
                title_style=style,
            )
    _print_before_after(
        console,
        "Gaps that changed severity",
        ("Code", "Gap"),
        [(new.code, new.message, old.severity, new.severity) for old, new in a.severity_changed],
        SEVERITY_STYLE,
    )
    _print_before_after(
        console,
        "Readiness of use cases",
        ("Use case", "Title"),
        [(rc.use_case, rc.title, rc.old, rc.new) for rc in a.readiness],
        STATUS_STYLE,
        word=status_word,
    )


def _print_before_after(
    console: Console,
    title: str,
    columns: tuple[str, str],
    changed: list[tuple[str, str, str | None, str | None]],
    styles: dict[str, str],
    word: Callable[[str | None], str] = str,
) -> None:
    """When something ``changed``, a table of (id, text, before, after), the before and after in their ``styles``."""
    if changed:
        _print_table(
            console,
            title,
            (*columns, "Before", "After"),
            [
                (_t(key), _t(text), _t(word(old), styles.get(old or "", "")), _t(word(new), styles.get(new or "", "")))
                for key, text, old, new in changed
            ],
        )


def _print_table(
    console: Console,
    title: str,
    columns: Iterable[str],
    body: Iterable[Iterable[Text]],
    title_style: str | None = None,
) -> None:
    """A blank line, then a table of the rows of ``body`` under ``title``, long cells folded."""
    table = Table(title=title, title_justify="left", title_style=title_style, box=box.SIMPLE_HEAD, show_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in body:
        table.add_row(*row)
    console.print()
    console.print(table)
