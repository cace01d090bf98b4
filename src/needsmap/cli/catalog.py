"""``needsmap catalog [SEARCH]``: list and search the reference catalog of customer attributes.

A thin layer over :mod:`needsmap.catalog.entries`: ``table`` is drawn with rich for
people at a terminal (:mod:`needsmap.cli.catalog_table`), ``yaml`` and ``json`` are for
copying into a workshop file or another tool.
"""

from __future__ import annotations

import json

import click

from needsmap.cli.common import EXIT_FINDINGS, fail, format_option


@click.command("catalog")
@click.argument("search", required=False, default="")
@click.option(
    "--entity",
    "entity",
    metavar="ENTITY",
    help="Only entries of this entity (customer, address, consent, identifier, ...).",
)
@click.option("--core", "core_only", is_flag=True, help="Only the core entries every new workshop can start with.")
@format_option(
    ["table", "yaml", "json"],
    "table",
    "table: for people; yaml: the entries in catalog format (with spellings); json: for machines.",
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many entries.")
def catalog_command(search: str, entity: str | None, core_only: bool, fmt: str, limit: int | None) -> None:
    """List the reference catalog of customer attributes, or search it for SEARCH.

    SEARCH matches ids, names, synonyms and column spellings in English, Dutch,
    German and French (needsmap catalog voornaam, needsmap catalog "post code").
    Start a workshop with its entries: needsmap new FILE --name ... --with-catalog core.
    """
    from needsmap import __version__
    from needsmap.catalog import entries as cat

    if entity is not None and entity not in cat.ENTITIES:
        fail(f"error: unknown entity '{entity}' (one of: {', '.join(cat.ENTITIES)})")
    try:
        found = cat.search(search, entity=entity)
    except cat.CatalogError as exc:  # pragma: no cover - the shipped catalog is checked by tests
        fail(str(exc))
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
        from rich.console import Console

        from needsmap.cli.catalog_table import print_entries

        print_entries(Console(highlight=False), found, bool(search))
    if not found:
        fail(f"No catalog entry matches '{search}'." if search else "No catalog entries.", EXIT_FINDINGS)
