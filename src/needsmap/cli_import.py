"""``needsmap import ...``: bring spreadsheets (and later DDL and databases) into a workshop.

Every subcommand builds an :class:`~needsmap.import_plan.ImportPlan`, shows it
(:func:`show_plan`) and writes only with ``--apply`` (:func:`apply_and_save`,
through the safe saver).  A new importer adds one ``@import_group.command()``
that builds its plan and calls :func:`finish`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_KIND_STYLE = {"add": "green", "merge": "cyan", "unchanged": "dim", "ambiguous": "yellow", "skip": "dim"}


@click.group("import")
def import_group() -> None:
    """Import spreadsheets into a workshop: a preview first, --apply writes."""


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(message, err=True)
    sys.exit(code)


def open_target(into: Path, source_name: str):
    """(workshop, origin) of INTO; a starter workshop when INTO does not exist yet."""
    from needsmap.starter import new_workshop
    from needsmap.workshop_io import OpenError, open_workshop

    if not into.exists():
        if not into.parent.is_dir():
            fail(f"{into}: error: the folder {into.parent} does not exist")
        return new_workshop(f"Imported from {Path(source_name).name}", target=into), None
    try:
        result = open_workshop(into)
    except OpenError as exc:
        fail(str(exc))
    if not result.ok:
        for d in result.diagnostics:
            if d.severity == "error":
                click.echo(d.render(), err=True)
        fail(f"{into}: fix the errors above first (needsmap validate {into})", EXIT_FINDINGS)
    return result.workshop, result.origin


def show_plan(plan, console=None) -> None:
    """The preview: notes about the input, one row per change, and the counts."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from needsmap.import_plan import PREVIEW_COLUMNS, preview_rows, summary
    from needsmap.textsafe import terminal

    if console is None:
        import os

        # at a terminal the table fits its width; piped or redirected, rows are never wrapped (grep, diff)
        wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
        console = Console(highlight=False, width=100_000 if wide else None)
    for note in plan.notes:
        console.print(Text(f"{terminal(plan.source)}: {terminal(note)}", style="dim"))
    rows = preview_rows(plan)
    if rows:
        table = Table(*PREVIEW_COLUMNS, box=None, pad_edge=False, header_style="bold")
        for r in rows:
            cells = [terminal(x) for x in (r.kind, r.section, r.ident, r.label, r.source, r.detail)]
            table.add_row(Text(cells[0], style=_KIND_STYLE.get(r.kind, "")), *(Text(c) for c in cells[1:]))
        console.print(table)
    console.print(Text(f"{terminal(plan.source)}: {summary(plan)}"))


def apply_and_save(plan, ws, origin, into: Path) -> None:
    """Apply the plan's additions and merges, check the result, and save INTO through the safe saver."""
    from needsmap import validator
    from needsmap.import_plan import PlanError, apply_plan
    from needsmap.saver import SaveError, save

    if not plan.applicable:
        click.echo(f"{into}: nothing to change; not written")
        return
    try:
        new_ws = apply_plan(ws, plan)
    except PlanError as exc:
        fail(f"{into}: error: the plan does not fit the workshop ({exc}); nothing written")
    errors = [d for d in validator.validate(new_ws, str(into)) if d.severity == "error"]
    if errors:
        for d in errors:
            click.echo(d.render(), err=True)
        fail(f"{into}: error: the import would make the workshop invalid (above); nothing written", EXIT_FINDINGS)
    try:
        save(new_ws, into, origin=origin)
    except SaveError as exc:
        fail(f"{exc}\n{into}: nothing written")
    click.echo(f"Wrote {into}: {plan.count('add')} added, {plan.count('merge')} merged"
               + (f"; {plan.count('ambiguous')} ambiguous left for you" if plan.count("ambiguous") else ""))


def finish(plan, ws, origin, into: Path, apply: bool, again: str) -> None:
    """Show the plan; with ``apply`` write it, else say how to."""
    show_plan(plan)
    if apply:
        apply_and_save(plan, ws, origin, into)
    else:
        click.echo(f"Dry run: nothing written. To write these changes: {again} --apply")


@import_group.command("sheet")
@click.argument("book", type=click.Path(path_type=Path))
@click.argument("into", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "kind", required=True,
              type=click.Choice(["use_cases", "attributes", "systems", "stakeholders", "needs", "holdings"]),
              help="What each row of the sheet is.")
@click.option("--map", "maps", multiple=True, metavar="HEADER=FIELD",
              help="Read column HEADER as FIELD (repeatable); HEADER= ignores the column.")
@click.option("--sheet", "sheet_name", metavar="NAME", help="The sheet of an Excel workbook (default: the first).")
@click.option("--dry-run/--apply", "dry_run", default=True, show_default=True,
              help="--dry-run only shows what would change; --apply writes INTO.")
def sheet(book: Path, into: Path, kind: str, maps: tuple[str, ...], sheet_name: str | None, dry_run: bool) -> None:
    """Import BOOK (.xlsx or .csv) into workshop INTO (created when missing).

    Headers are recognised in English, Dutch, German and French ('Use case',
    'Eigenaar', 'Business value (1-5)', 'Data needed'...). Rows with the same
    id or name as an item of INTO are merged: only empty fields are filled.
    """
    from needsmap.import_sheet import MappingError, SheetError, parse_mapping, plan_sheet_import

    try:
        mapping = parse_mapping(maps, kind)
    except MappingError as exc:
        fail(f"error: {exc}")
    ws, origin = open_target(into, str(book))
    try:
        plan = plan_sheet_import(ws, book, kind, mapping=mapping, sheet=sheet_name)
    except SheetError as exc:
        fail(f"{exc}\nnothing written")
    import shlex

    again = " ".join(shlex.quote(a) for a in ["needsmap", "import", "sheet", str(book), str(into), "--as", kind,
                                              *(x for mp in maps for x in ("--map", mp)),
                                              *(("--sheet", sheet_name) if sheet_name else ())])
    finish(plan, ws, origin, into, not dry_run, again)
