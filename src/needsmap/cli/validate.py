"""``needsmap validate``, ``needsmap schema`` and ``needsmap new``: the workshop file itself."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from needsmap.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, fail, format_option, plural, write_file

if TYPE_CHECKING:
    from needsmap.format.diagnostics import Diagnostic

_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _render(d: Diagnostic, colour: bool) -> str:
    text = d.render()
    if not colour:
        return text
    marker = f": {d.severity}: "
    head, _, tail = text.partition(marker)
    return f"{head}: {click.style(d.severity, fg=_SEVERITY_COLOURS[d.severity], bold=True)}: {tail}"


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(readable=False, path_type=Path))
@format_option(["text", "json"], "text", "text: FILE:LINE:COL: severity: message lines; json: for machines.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def validate(files: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check workshop FILES: YAML syntax, structure, ids and references.

    Every problem is reported, located as FILE:LINE:COL. Exit 0 when clean
    (warnings allowed unless --strict), 1 when problems were found, 2 when a
    file could not be read.
    """
    from needsmap import __version__
    from needsmap.format.diagnostics import count_by_severity
    from needsmap.format.opening import OpenError, open_workshop

    colour = fmt == "text" and sys.stdout.isatty()
    exit_code = EXIT_OK
    report = []
    for path in files:
        try:
            result = open_workshop(path)
        except OpenError as exc:  # checked here, not by click, so that --format json reports it too
            exit_code = EXIT_USAGE
            problem = exc.diagnostic(path)
            report.append(
                {
                    "path": str(path),
                    "readable": False,
                    "ok": False,
                    "counts": count_by_severity([problem]),
                    "message": str(exc),
                    "diagnostics": [problem.as_dict()],
                }
            )
            if fmt == "text":
                click.echo(str(exc), err=True)
            continue
        counts = count_by_severity(result.diagnostics)
        failed = counts["error"] > 0 or (strict and counts["warning"] > 0)
        if failed and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        report.append(
            {
                "path": str(path),
                "readable": True,
                "ok": not failed,
                "counts": counts,
                "diagnostics": [d.as_dict() for d in result.diagnostics],
            }
        )
        if fmt == "text":
            for d in result.diagnostics:
                click.echo(_render(d, colour))
            summary = (
                f"{path}: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
                if result.diagnostics
                else f"{path}: ok"
            )
            click.echo(summary, err=True)
    if fmt == "json":
        click.echo(json.dumps({"needsmap_version": __version__, "files": report}, indent=2, ensure_ascii=False))
    sys.exit(exit_code)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help='Name of the workshop, e.g. "Omnichannel customer data discovery".')
@click.option("--organization", help="The organisation the workshop is for.")
@click.option("--facilitator", help="Who runs the workshop.")
@click.option(
    "--with-catalog",
    "with_catalog",
    metavar="core|all|ENTITY,...",
    help="Start with attributes of the reference catalog: core (about 30), all, or entities "
    "such as customer,address (see needsmap catalog).",
)
def new(file: Path, name: str, organization: str | None, facilitator: str | None, with_catalog: str | None) -> None:
    """Create FILE: a starter workshop with the default functions, channels and guidance.

    Refuses to overwrite an existing file.
    """
    from needsmap.catalog.entries import starter_attributes
    from needsmap.format.saver import SaveError, save
    from needsmap.format.starter import new_workshop

    if file.exists():
        fail(f"{file}: error: the file already exists; choose another name")
    if not file.parent.is_dir():
        fail(f"{file}: error: the folder {file.parent} does not exist")
    try:
        attributes = starter_attributes(with_catalog) if with_catalog is not None else []
    except ValueError as exc:
        fail(f"error: --with-catalog: {exc}")
    ws = new_workshop(name, organization=organization, facilitator=facilitator, target=file, attributes=attributes)
    try:
        save(ws, file)
    except SaveError as exc:
        fail(str(exc))
    click.echo(f"Created {file}. Next: needsmap open {file} (the workshop UI), or edit it and needsmap validate {file}")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of printing it.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the workshop format (for editors and other tools)."""
    from needsmap.format.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    write_file(output, text)
    click.echo(f"Wrote {output}")
