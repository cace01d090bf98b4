"""``needsmap import ...``: bring spreadsheets (and later DDL and databases) into a workshop.

Every subcommand builds an :class:`~needsmap.imports.plan.ImportPlan`, shows it
(:func:`show_plan`) and writes only with ``--apply`` (:func:`apply_and_save`,
through the safe saver).  A new importer adds one ``@import_group.command()``
that builds its plan and calls :func:`finish`.
"""

from __future__ import annotations

import functools
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from needsmap.cli.common import EXIT_FINDINGS, SHEET_KINDS, cannot_write, fail, open_valid, print_errors

if TYPE_CHECKING:
    from rich.console import Console

    from needsmap.format.loader import FileOrigin
    from needsmap.format.model import Workshop
    from needsmap.imports.plan import ImportPlan


@click.group("import")
def import_group() -> None:
    """Import spreadsheets, SQL DDL and database schemas into a workshop: a preview first, --apply writes."""


def open_target(into: Path, source_name: str) -> tuple[Workshop, FileOrigin | None]:
    """(workshop, origin) of INTO; a starter workshop when INTO does not exist yet."""
    from needsmap.format.starter import new_workshop

    if not into.exists():
        if not into.parent.is_dir():
            fail(f"{into}: error: the folder {into.parent} does not exist")
        return new_workshop(f"Imported from {Path(source_name).name}", target=into), None
    result = open_valid(into)
    assert result.workshop is not None  # a valid result always holds its workshop
    return result.workshop, result.origin


#: A preview shows at most this many rows (additions first); the rest are counted.
PREVIEW_ROWS = 2_000


def show_plan(
    plan: ImportPlan, console: Console | None = None, shown: ImportPlan | None = None, more: str = ""
) -> None:
    """The preview (:func:`needsmap.cli.imports_table.print_plan`) on the terminal, or on ``console``; ``shown``
    is the part of the plan whose rows are shown when it is too long to show whole, ``more`` says what is not.
    Whatever the plan, at most :data:`PREVIEW_ROWS` rows are drawn."""
    from dataclasses import replace

    from rich.console import Console

    from needsmap.cli.imports_table import print_plan
    from needsmap.imports.plan import KINDS, summary

    rows = shown if shown is not None else plan
    if len(rows.changes) > PREVIEW_ROWS:
        order = sorted(rows.changes, key=lambda c: KINDS.index(c.kind))  # as the preview lists them
        rest = replace(rows, changes=tuple(order[PREVIEW_ROWS:]))
        shown = replace(rows, changes=tuple(order[:PREVIEW_ROWS]))
        more = "\n".join(
            line for line in (f"... and {len(rest.changes):,} more rows not shown: {summary(rest)}", more) if line
        )

    if console is None:
        import os

        # at a terminal the table fits its width; piped or redirected, rows are never wrapped (grep, diff)
        wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
        console = Console(highlight=False, width=100_000 if wide else None)
    print_plan(console, plan, shown, more)


def apply_and_save(plan, ws, origin, into: Path) -> None:
    """Apply the plan's additions and merges, check the result, and save INTO through the safe saver."""
    from needsmap.format import validator
    from needsmap.format.saver import SaveError, save
    from needsmap.imports.plan import PlanError, apply_plan

    if not plan.applicable:
        click.echo(f"{into}: nothing to change; not written")
        return
    try:
        new_ws = apply_plan(ws, plan)
    except PlanError as exc:
        fail(f"{into}: error: the plan does not fit the workshop ({exc}); nothing written")
    errors = [d for d in validator.validate(new_ws, str(into)) if d.severity == "error"]
    if errors:
        print_errors(errors)
        fail(f"{into}: error: the import would make the workshop invalid (above); nothing written", EXIT_FINDINGS)
    try:
        save(new_ws, into, origin=origin)
    except SaveError as exc:
        fail(f"{exc}\n{into}: nothing written")
    click.echo(
        f"Wrote {into}: {plan.count('add')} added, {plan.count('merge')} merged"
        + (f"; {plan.count('ambiguous')} ambiguous left for you" if plan.count("ambiguous") else "")
    )


def finish(plan, ws, origin, into: Path, apply: bool, again: str, shown=None, more: str = "") -> None:
    """Show the plan (only the changes of ``shown``, when given, then ``more``); with ``apply`` write it, else
    say how to."""
    show_plan(plan, shown=shown, more=more)
    if apply:
        apply_and_save(plan, ws, origin, into)
    else:
        click.echo(f"Dry run: nothing written. To write these changes: {again} --apply")


@import_group.command("sheet")
@click.argument("book", type=click.Path(path_type=Path))
@click.argument("into", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "kind",
    required=True,
    type=SHEET_KINDS,
    help="What each row of the sheet is.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Read column HEADER as FIELD (repeatable); HEADER= ignores the column.",
)
@click.option("--sheet", "sheet_name", metavar="NAME", help="The sheet of an Excel workbook (default: the first).")
@click.option(
    "--dry-run/--apply",
    "dry_run",
    default=True,
    show_default=True,
    help="--dry-run only shows what would change; --apply writes INTO.",
)
def sheet(book: Path, into: Path, kind: str, maps: tuple[str, ...], sheet_name: str | None, dry_run: bool) -> None:
    """Import BOOK (.xlsx or .csv) into workshop INTO (created when missing).

    Headers are recognised in English, Dutch, German and French ('Use case',
    'Eigenaar', 'Business value (1-5)', 'Data needed'...). Rows with the same
    id or name as an item of INTO are merged: only empty fields are filled.
    """
    from needsmap.imports.sheet import MappingError, SheetError, parse_mapping, plan_sheet_import

    try:
        mapping = parse_mapping(maps, kind)
    except MappingError as exc:
        fail(f"error: {exc}")
    ws, origin = open_target(into, str(book))
    try:
        plan = plan_sheet_import(ws, book, kind, mapping=mapping, sheet=sheet_name)
    except SheetError as exc:
        fail(f"{exc}\nnothing written")
    again = shlex.join(
        [
            "needsmap",
            "import",
            "sheet",
            str(book),
            str(into),
            "--as",
            kind,
            *(x for mp in maps for x in ("--map", mp)),
            *(("--sheet", sheet_name) if sheet_name else ()),
        ]
    )
    finish(plan, ws, origin, into, not dry_run, again)


# -- schemas: DDL files and live databases -------------------------------------------------
#: Proposals at or above this confidence are accepted unless --accept-above says otherwise.
ACCEPT_ABOVE = 0.9


@dataclass(frozen=True, slots=True)
class SchemaOptions:
    """The options `import ddl` and `import db` share: the system, its tables, and what becomes of the proposals."""

    system: str
    tables: tuple[str, ...]
    accept_above: float
    review_path: Path | None
    interactive: bool
    dry_run: bool


_SCHEMA_OPTIONS = (
    click.option(
        "--system",
        required=True,
        metavar="ID",
        help="The system that holds these tables (added to the workshop when new).",
    ),
    click.option(
        "--tables",
        "tables",
        multiple=True,
        metavar="GLOB",
        help="Tables to read, e.g. 'ps_customer*' (repeatable, comma-separated); '!GLOB' leaves "
        "tables out. Default: the customer-related tables.",
    ),
    click.option(
        "--accept-above",
        type=click.FloatRange(0, 1),
        default=ACCEPT_ABOVE,
        show_default=True,
        help="Proposals at or above this confidence are accepted; the others go to review.",
    ),
    click.option(
        "--review",
        "review_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write every proposal to this YAML file to decide on, then: needsmap import apply FILE",
    ),
    click.option(
        "--interactive",
        is_flag=True,
        help="Ask about each proposal below --accept-above: a accept, r reject, m map, Enter leaves it.",
    ),
    click.option(
        "--dry-run/--apply",
        "dry_run",
        default=True,
        show_default=True,
        help="--dry-run only shows what would change; --apply writes the accepted holdings.",
    ),
)


def schema_options(func: Callable[..., None]) -> Callable[..., None]:
    """Add the :class:`SchemaOptions` to a command, which gets them as one argument, ``options``."""

    @functools.wraps(func)
    def command(**params: Any) -> None:
        options = SchemaOptions(**{f.name: params.pop(f.name) for f in fields(SchemaOptions)})
        func(options=options, **params)

    for option in reversed(_SCHEMA_OPTIONS):
        command = option(command)
    return command


def _ask_decisions(proposals, ws) -> list:
    """The proposals to review, one question each: a accept, r reject, m map to another attribute."""
    from dataclasses import replace

    from needsmap.catalog.entries import load_catalog
    from needsmap.imports.column_evidence import confidence_text
    from needsmap.util.text import one_line, terminal

    known = {a.id for a in ws.attributes} | {e.id for e in load_catalog().entries}
    pending = [p for p in proposals if p.decision == "review"]
    out = list(proposals)
    for n, p in enumerate(pending, 1):
        alts = ", ".join(f"{a} {confidence_text(c)}" for a, c in p.alternatives[:3])
        click.echo(
            terminal(
                one_line(
                    f"[{n}/{len(pending)}] {p.key} ({p.sql_type or '?'}) -> {p.attribute} "
                    f"{confidence_text(p.confidence)}: {p.reason}" + (f"; or: {alts}" if alts else "")
                )
            )
        )
        while True:
            answer = (
                click.prompt("  a accept, r reject, m map, Enter leave it, q stop", default="", show_default=False)
                .strip()
                .lower()
            )
            if answer in ("", "a", "r", "q"):
                break
            if answer == "m":
                target = click.prompt("  attribute id (Enter: back)", default="", show_default=False).strip()
                while target and target not in known:
                    click.echo(
                        f"  '{terminal(one_line(target))}' is neither an attribute of the workshop nor a "
                        f"catalog id (needsmap catalog SEARCH lists them)"
                    )
                    target = click.prompt("  attribute id (Enter: back)", default="", show_default=False).strip()
                if target:
                    answer = f"map:{target}"
                    break
        if answer == "q":
            break
        decision = {"a": "accept", "r": "reject", "": "review"}.get(answer, answer)
        i = out.index(p)
        out[i] = replace(p, decision=decision)
    return out


def _import_schema(
    command: str,
    source: str,
    into: Path,
    options: SchemaOptions,
    plan: Callable[..., Any],
    *,
    before: Sequence[str] = (),
    after: Sequence[str] = (),
) -> None:
    """Plan the import of SOURCE into INTO with ``plan`` (given the workshop and the shared options), show it,
    ask about it with --interactive, write it with --apply and the proposals with --review.

    ``before`` and ``after`` are the command's own options, around ``--tables`` in the command line shown
    to run it again.
    """
    import re

    from needsmap.format.spec import ID_PATTERN
    from needsmap.imports.review import write_review
    from needsmap.imports.schema import SchemaError, counts, parse_table_globs

    system, review_path, accept_above = options.system, options.review_path, options.accept_above
    if not re.match(ID_PATTERN, system):
        fail(f"error: --system '{system}' is not a valid id (letters, digits, _ . -)")
    if review_path is not None and review_path.resolve() == into.resolve():
        fail(f"{review_path}: error: the review file must not be the workshop file")
    include, exclude = parse_table_globs(options.tables)
    ws, origin = open_target(into, source)
    try:
        result = plan(ws, system=system, include=include, exclude=exclude, accept_above=accept_above)
    except SchemaError as exc:
        fail(f"{exc}\nnothing written")
    _print_warnings(result.warnings)
    if options.interactive:
        result.replan(ws, _ask_decisions(result.proposals, ws), system=system)
    n = counts(result.proposals)
    again = (
        *("needsmap", "import", command, source, str(into)),
        *("--system", system, *before),
        *(x for t in options.tables for x in ("--tables", t)),
        *after,
        *(("--accept-above", f"{accept_above:g}") if accept_above != ACCEPT_ABOVE else ()),
    )
    shown, more = result.preview()
    finish(result.plan, ws, origin, into, not options.dry_run, shlex.join(again), shown, more)
    click.echo(
        f"{n['accept']} accepted, {n['map']} mapped, {n['review']} to review, {n['reject']} rejected or "
        f"without attribute (automatic accept at confidence >= {accept_above:g})"
    )
    if review_path is not None:
        try:
            write_review(
                review_path, result.proposals, source=source, system=system, into=str(into), accept_above=accept_above
            )
        except OSError as exc:
            cannot_write(review_path, exc)
        click.echo(f"Wrote {review_path}: set each decision, then: needsmap import apply {review_path}")
    elif n["review"]:
        click.echo("To decide on the rest: add --review REVIEW.yaml, edit it, then: needsmap import apply REVIEW.yaml")


#: Warnings printed; the rest are counted.
SHOWN_WARNINGS = 20


def _print_warnings(warnings: Sequence[str]) -> None:
    """The located warnings of a schema import on standard error (the first :data:`SHOWN_WARNINGS`)."""
    from needsmap.util.text import terminal

    for warning in warnings[:SHOWN_WARNINGS]:
        click.echo(terminal(warning), err=True)
    if len(warnings) > SHOWN_WARNINGS:
        click.echo(f"... and {len(warnings) - SHOWN_WARNINGS:,} more warnings", err=True)


@import_group.command("ddl")
@click.argument("schema_file", metavar="SCHEMA.sql", type=click.Path(path_type=Path))
@click.argument("into", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dialect",
    metavar="NAME",
    help="SQL dialect: mysql, postgres, tsql, oracle, sqlite (default: guessed from the file).",
)
@schema_options
def ddl(schema_file: Path, into: Path, dialect: str | None, options: SchemaOptions) -> None:
    """Propose what SYSTEM holds from the CREATE TABLE statements of SCHEMA.sql.

    Each column of the customer-related tables is matched to an attribute of
    INTO or of the reference catalog, with a confidence and a reason;
    columns that match nothing are listed.
    """
    from needsmap.imports.ddl import plan_ddl_import

    plan = functools.partial(plan_ddl_import, path=schema_file, dialect=dialect)
    _import_schema("ddl", str(schema_file), into, options, plan, before=("--dialect", dialect) if dialect else ())


@import_group.command("db")
@click.argument("url")
@click.argument("into", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--schema", "db_schema", metavar="NAME", help="The database schema to read (default: the default one).")
@click.option(
    "--profile",
    is_flag=True,
    help="Measure each matched column's coverage (share of non-empty values) in a sample of rows.",
)
@click.option(
    "--sample-rows",
    type=click.IntRange(1, 10_000_000),
    default=10_000,
    show_default=True,
    help="Rows per table --profile reads.",
)
@schema_options
def db(url: str, into: Path, db_schema: str | None, profile: bool, sample_rows: int, options: SchemaOptions) -> None:
    """Propose what SYSTEM holds from the schema of the live database at URL.

    URL is a SQLAlchemy URL: sqlite:///shop.db, postgresql+psycopg://USER@HOST/DB
    (other databases through the SQLAlchemy dialect you install). Never put
    the password in the URL: set NEEDSMAP_DB_PASSWORD, or use the driver's
    own means (~/.pgpass). Only the schema is read, and with --profile a
    bounded sample of rows; nothing in the database is changed.
    """
    from needsmap.imports.db import PASSWORD_ENV, parse_url, password_in_url, plan_db_import
    from needsmap.imports.schema import SchemaError

    try:
        parsed = parse_url(url)
    except SchemaError as exc:
        fail(f"{exc}\nnothing written")
    if password_in_url(parsed):
        fail(
            f"{parsed.safe}: error: the URL holds a password (not shown): on a command line it stays in the "
            f"shell history and is visible to other users. Leave it out and set {PASSWORD_ENV} "
            f"(or use ~/.pgpass); nothing written"
        )
    plan = functools.partial(plan_db_import, url_text=url, schema=db_schema, profile=profile, sample_rows=sample_rows)
    _import_schema(
        "db",
        parsed.safe,
        into,
        options,
        plan,
        before=("--schema", db_schema) if db_schema else (),
        after=("--profile",) if profile else (),
    )


@import_group.command("apply")
@click.argument("review_file", metavar="REVIEW.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workshop to apply to (default: the review file's 'into').",
)
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
def apply_review(review_file: Path, into: Path | None, dry_run: bool) -> None:
    """Apply the decisions of a review file written by `import ddl|db --review`.

    Accepted and re-mapped (map:ID) columns become holdings of the review's
    system; rejected ones and those still marked 'review' are left out.
    """
    from needsmap.imports.review import ReviewError, plan_review, read_review

    try:
        review = read_review(review_file)
    except ReviewError as exc:
        fail(f"{exc}\nnothing written")
    if into is None:
        if not review.into:
            fail(f"{review_file}: error: the review file names no workshop ('into'); give --into FILE")
        into = Path(review.into)
    ws, origin = open_target(into, review.source)
    try:
        plan = plan_review(ws, review, review_file)
    except ReviewError as exc:
        fail(f"{exc}\nnothing written")
    show_plan(plan)
    if dry_run:
        click.echo(f"Dry run: nothing written. To write: needsmap import apply {review_file}")
    else:
        apply_and_save(plan, ws, origin, into)
