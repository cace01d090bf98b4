"""``needsmap catalog [SEARCH]``: list and search the reference catalog of customer attributes.

A thin layer over :mod:`needsmap.catalog.entries`: ``table`` is drawn with rich for
people at a terminal, ``yaml`` and ``json`` are for copying into a workshop
file or another tool.
"""

from __future__ import annotations

import json
import sys

import click

from needsmap import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@click.command("catalog")
@click.argument("search", required=False, default="")
@click.option(
    "--entity",
    "entity",
    metavar="ENTITY",
    help="Only entries of this entity (customer, address, consent, identifier, ...).",
)
@click.option("--core", "core_only", is_flag=True, help="Only the core entries every new workshop can start with.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "yaml", "json"]),
    default="table",
    show_default=True,
    help="table: for people; yaml: the entries in catalog format (with spellings); json: for machines.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many entries.")
def catalog_command(search: str, entity: str | None, core_only: bool, fmt: str, limit: int | None) -> None:
    """List the reference catalog of customer attributes, or search it for SEARCH.

    SEARCH matches ids, names, synonyms and column spellings in English, Dutch,
    German and French (needsmap catalog voornaam, needsmap catalog "post code").
    Start a workshop with its entries: needsmap new FILE --name ... --with-catalog core.
    """
    from needsmap.catalog import entries as cat

    if entity is not None and entity not in cat.ENTITIES:
        click.echo(f"error: unknown entity '{entity}' (one of: {', '.join(cat.ENTITIES)})", err=True)
        sys.exit(EXIT_USAGE)
    try:
        found = cat.search(search, entity=entity)
    except cat.CatalogError as exc:  # pragma: no cover - the shipped catalog is checked by tests
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    if core_only:
        found = [(e, s) for e, s in found if e.core]
    if limit:
        found = found[:limit]
    if fmt == "json":
        doc = {
            "needsmap_version": __version__,
            "search": search or None,
            "entries": [{**cat.entry_as_dict(e), **({"score": round(s, 1)} if search else {})} for e, s in found],
        }
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    elif fmt == "yaml":
        click.echo(cat.entries_as_yaml([e for e, _ in found]), nl=False)
    else:
        _table(found, bool(search))
    if not found:
        click.echo(f"No catalog entry matches '{search}'." if search else "No catalog entries.", err=True)
        sys.exit(EXIT_FINDINGS)


def _table(found, searched: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    narrow = console.width < 110  # an 80-column terminal: the definition is left to --format yaml
    table = Table(show_lines=False, header_style="bold", expand=False)
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
        flags = ("*" if entry.core else "") + (" id" if entry.identifier else "")
        row = [
            Text(entry.id + (" " + flags.strip() if flags.strip() else "")),
            Text(entry.name),
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
