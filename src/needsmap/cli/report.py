"""``needsmap report``: the report stakeholders read, as HTML, Markdown, Excel or CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from needsmap.cli.common import (
    EXIT_USAGE,
    REPORT_FORMATS,
    cannot_write,
    fail,
    file_argument,
    open_to_compare,
    valid_workshop,
)


@click.command()
@file_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write: a file (html, md, xlsx) or a folder (csv).",
)
@click.option(
    "--format",
    "fmt",
    type=REPORT_FORMATS,
    help="Default: from the output's suffix (.html, .md, .xlsx; a folder or .csv for csv).",
)
@click.option(
    "--for",
    "for_stakeholder",
    metavar="STAKEHOLDER",
    help="One stakeholder's view: what they asked for, where it stands, what we need from them.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder with your own copies of the report templates (they win over the defaults).",
)
@click.option("--no-diagrams", is_flag=True, help="Leave out the Graphviz diagrams (faster).")
@click.option("--since", metavar="REV", help="Add a 'Changes since REV' section (a git revision of FILE; html, md).")
@click.option(
    "--summary-only",
    is_flag=True,
    help="The executive summary alone: what to start with, what blocks, open questions (html, md).",
)
def report(
    file: Path,
    output: Path,
    fmt: str | None,
    for_stakeholder: str | None,
    templates: Path | None,
    no_diagrams: bool,
    since: str | None,
    summary_only: bool,
) -> None:
    """Write the report of workshop FILE for stakeholders: HTML (one self-contained file), Markdown, Excel or CSV."""
    from rich.console import Console

    from needsmap.analysis.engine import analyse
    from needsmap.report.output import DOCUMENT_FORMATS, FORMATS, folder_of, format_of, write_report

    fmt = fmt or format_of(output)
    if fmt is None:
        fail(f"{output}: error: cannot tell the format from '{output.suffix}'; use --format {'|'.join(FORMATS)}")
    ws = valid_workshop(file)
    target_folder = folder_of(output, fmt)
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"{target_folder}: error: cannot create the folder: {exc.strerror or exc}")
    if for_stakeholder is not None and not any(s.id == for_stakeholder for s in ws.stakeholders):
        from needsmap.format.diagnostics import suggestion_suffix

        ids = [s.id for s in ws.stakeholders]
        fail(
            f"{file}: error: no stakeholder '{for_stakeholder}'{suggestion_suffix(for_stakeholder, ids)} "
            f"(stakeholders: {', '.join(ids)})"
        )
    extra = []
    if since is not None and fmt not in DOCUMENT_FORMATS:
        fail(f"{output}: error: --since adds a section to html and md reports, not to {fmt}")
    if summary_only and fmt not in DOCUMENT_FORMATS:
        fail(f"{output}: error: --summary-only writes an html or md report, not {fmt}")
    if since is not None:
        from needsmap.collab.git_revisions import Version
        from needsmap.report.sections.changes import changes_since

        extra.append(changes_since(open_to_compare(Version(str(file), since)), ws, str(file), since))
    console = Console(stderr=True, highlight=False)
    diagrams = not no_diagrams and fmt in DOCUMENT_FORMATS
    if diagrams and fmt == "html":
        from needsmap.util.graphviz import dot_available

        if not dot_available():
            console.print(
                "[yellow]warning:[/] Graphviz's 'dot' is not installed, so the report has no diagrams "
                "(install it: apt-get install graphviz, or brew install graphviz)"
            )
    from needsmap.report.render import ReportTemplateError

    try:
        with console.status("Analysing the workshop") as status:

            def progress(message: str) -> None:
                status.update(message)

            analysis = analyse(ws)
            try:
                written = write_report(
                    ws,
                    analysis,
                    output,
                    fmt=fmt,
                    source_file=str(file),
                    for_stakeholder=for_stakeholder,
                    templates=templates,
                    diagrams=diagrams,
                    extra_sections=extra,
                    progress=progress,
                    summary_only=summary_only,
                )
            except ReportTemplateError as exc:
                from rich.markup import escape

                console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
                sys.exit(EXIT_USAGE)
    except OSError as exc:
        cannot_write(output, exc)
    if fmt == "csv":
        click.echo(f"Wrote {len(written.files)} CSV files into {written.path}:")
        for path in written.files:
            click.echo(f"  {path}")
        return
    click.echo(f"Wrote {written.path}")
    for path in written.files:  # files that go with the report (a diagram too big to draw inline)
        click.echo(f"  and {path}")
