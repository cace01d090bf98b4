"""Drawing catalog entries on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from needsmap.catalog.entries import CatalogEntry


def print_entries(console: Console, found: list[tuple[CatalogEntry, float]], searched: bool) -> None:
    """The entries found, one row each (with their score after a search), and a legend."""
    narrow = console.width < 110  # an 80-column terminal: the definition is left to --format yaml
    table = Table(show_lines=False, header_style="bold", expand=narrow)
    if narrow:  # the name and the id share one column that takes the room left, so neither is cut to "…"
        table.add_column("name / id", ratio=1, overflow="fold")
    else:
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("name", max_width=28)
    table.add_column("entity", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("sens.", no_wrap=True)
    if not narrow:
        table.add_column("definition", ratio=1, min_width=24)
    if searched:
        table.add_column("score", justify="right", no_wrap=True)
    for entry, score in found:
        flags = ("*" if entry.core else "") + (" id" if entry.is_identifier else "")
        ident = Text(entry.id + (" " + flags.strip() if flags.strip() else ""), style="cyan")
        head = [Text.assemble(Text(entry.name), "\n", ident)] if narrow else [ident, Text(entry.name)]
        row = [
            *head,
            Text(entry.entity),
            Text(entry.type),
            Text(entry.sensitivity),
        ]
        if not narrow:
            row.append(Text(entry.definition))
        if searched:
            row.append(Text(f"{score:.0f}"))
        table.add_row(*row)
    console.print(table)
    console.print(
        Text(
            f"{len(found)} entries; * core (needsmap new --with-catalog core), id = identifier. "
            "Details: needsmap catalog SEARCH --format yaml",
            style="dim",
        )
    )
