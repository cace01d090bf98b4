"""``needsmap export FORMAT WORKSHOP -o PATH`` and ``needsmap import odcs|dbt|glossary``: the workshop in the
tools architects already run (data contracts, dbt, business glossaries), and back.

Both are thin: the formats, their fields and the writing live in :mod:`needsmap.interchange`; the import
commands show the plan and write it with ``--apply`` like every other import (:mod:`needsmap.cli.imports`).
"""

from __future__ import annotations

from pathlib import Path

import click

from needsmap.cli.common import DRAFT_SCOPES, EXPORT_FORMATS, fail, valid_workshop
from needsmap.cli.imports import finish, import_group, open_target


class _FormatsHelp(click.Command):
    """The command's help ends with, per format, which fields come from where (the registry's tables)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from needsmap.interchange.registry import EXPORTERS

        for fmt in EXPORTERS.values():
            with formatter.section(f"{fmt.name}: {fmt.title}"):
                if fmt.fields:
                    formatter.write_dl(list(fmt.fields))
                else:
                    formatter.write_text("(not built yet)")
        super().format_epilog(ctx, formatter)


@click.command("export", cls=_FormatsHelp)
@click.argument("fmt", metavar="FORMAT", type=EXPORT_FORMATS)
@click.argument("file", metavar="WORKSHOP", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Where to write: a folder for odcs and dbt (made if missing), a file for the others.",
)
@click.option("--per-system", is_flag=True, help="odcs: one contract per source system instead of per entity.")
@click.option("--models", is_flag=True, help="dbt: also write staging model stubs for the model draft's tables.")
@click.option(
    "--scope",
    type=DRAFT_SCOPES,
    default="needed",
    show_default=True,
    help="Which attributes the model draft (and so each contract) holds.",
)
def export(fmt: str, file: Path, output: Path, per_system: bool, models: bool, scope: str) -> None:
    """Export WORKSHOP as FORMAT for the tools architects run: data contracts (ODCS), dbt sources,
    business glossaries (DataHub, OpenMetadata) or an ArchiMate landscape.

    needsmap's ids travel in each format's extension fields, so exporting again updates what the
    last export wrote, and `needsmap import` can bring edits made there back.
    """
    from needsmap.interchange.base import ExportError, ExportOptions
    from needsmap.interchange.registry import export as export_to

    ws = valid_workshop(file)
    options = ExportOptions(per_system=per_system, models=models, scope=scope)
    try:
        written = export_to(fmt, ws, output, options=options, source_name=file.name)
    except ExportError as exc:
        fail(f"error: {exc}; nothing written")
    where = output if len(written) == 1 and written[0] == output else f"{output}/ ({len(written)} files)"
    click.echo(f"Wrote {fmt} export of {file.name} to {where}")


def _import_command(name: str, title: str) -> click.Command:
    @click.argument("source", metavar="FILE", type=click.Path(path_type=Path))
    @click.argument("into", metavar="WORKSHOP", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--apply", "apply", is_flag=True, help="Write the changes (without it: a preview only).")
    def command(source: Path, into: Path, apply: bool) -> None:
        from needsmap.interchange.base import ReadError
        from needsmap.interchange.registry import plan_import

        ws, origin = open_target(into, source.name)
        try:
            plan = plan_import(name, ws, source)
        except ReadError as exc:
            fail(f"{exc}\nnothing written")
        finish(plan, ws, origin, into, apply, f"needsmap import {name} {source} {into}")

    command.__doc__ = (
        f"Bring definitions, owners, fields and freshness from {title} into WORKSHOP. Items are matched by "
        "needsmap id first, then by name; a value that differs is listed as a conflict, never overwritten."
    )
    return click.command(name)(command)


#: ``needsmap import odcs|dbt|glossary``: registered on the import group by :mod:`needsmap.cli.main`.
IMPORT_COMMANDS: tuple[click.Command, ...] = (
    _import_command("odcs", "ODCS data contracts (a contract file, or a folder of them)"),
    _import_command("dbt", "dbt sources YAML (a file, or a dbt project's folder)"),
    _import_command("glossary", "a business glossary (DataHub YAML or OpenMetadata CSV)"),
)


def register_imports() -> None:
    for command in IMPORT_COMMANDS:
        import_group.add_command(command)
