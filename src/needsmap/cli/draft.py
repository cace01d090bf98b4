"""``needsmap model``: a data-model draft for architects, in SQL, DBML, Mermaid, JSON Schema, DOT or YAML."""

from __future__ import annotations

import os
from pathlib import Path

import click

from needsmap.cli.common import (
    DRAFT_DETAILS,
    DRAFT_DIALECTS,
    DRAFT_FORMATS,
    DRAFT_SCOPES,
    emit,
    file_argument,
    format_option,
    plural,
    valid_workshop,
    write_file,
)

#: Names of files that hold one Mermaid diagram (anything else given to -o gets Markdown).
MERMAID_SUFFIXES = (".mmd",)


@click.command("model")
@file_argument
@format_option(
    DRAFT_FORMATS,
    "sql",
    "sql: DDL; dbml, dot: diagrams; mermaid: Markdown with one diagram per subject area; "
    "jsonschema: a customer record; yaml: with traceability.",
)
@click.option(
    "--dialect",
    type=DRAFT_DIALECTS,
    default="postgres",
    show_default=True,
    help="SQL dialect (for --format sql).",
)
@click.option(
    "--scope",
    type=DRAFT_SCOPES,
    default="needed",
    show_default=True,
    help="needed: attributes a non-rejected use case needs; all: every attribute.",
)
@click.option(
    "--detail",
    type=DRAFT_DETAILS,
    default="compact",
    show_default=True,
    help="For --format mermaid: compact (each column's type, name and keys) or full (and its comment).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write to this file instead of the terminal. With --format mermaid: Markdown, one diagram per "
    "subject area; a folder (one that exists, or a name ending in /) gets one .mmd file per diagram, "
    "and a .mmd file the whole draft as one diagram.",
)
def model(file: Path, fmt: str, dialect: str, scope: str, detail: str, output: str | None) -> None:
    """Draft a data model from workshop FILE: what use cases need, traced to who asked, open decisions kept open.

    One table per entity, relationships from needsmap's defaults and the file's model: section, an
    integration view (identity cross-reference, source mapping, proposed survivorship). See docs/model.md.
    """
    from needsmap.analysis.engine import analyse
    from needsmap.draft import mermaid
    from needsmap.draft.engine import draft_model
    from needsmap.draft.render import render

    ws = valid_workshop(file)
    drafted = draft_model(ws, analyse(ws), scope)
    target = Path(output) if output is not None else None
    if fmt != "mermaid":
        emit(render(drafted, fmt, dialect), target)
    elif output is not None and (Path(output).is_dir() or output.endswith(("/", os.sep))):
        folder = Path(output)
        found = mermaid.diagrams(drafted, detail)
        for name, diagram in zip(mermaid.file_names(found), found, strict=True):
            write_file(folder / name, diagram.text)
        click.echo(f"Wrote {plural(len(found), 'diagram')} to {folder}", err=True)
    elif target is not None and target.suffix.lower() in MERMAID_SUFFIXES:  # a Mermaid file holds one diagram
        found = mermaid.diagrams(drafted, detail)
        emit(found[0].text if len(found) == 1 else mermaid.mermaid(drafted, detail), target)
        if len(found) > 1:
            click.echo(
                f"{target}: warning: {len(found)} subject areas drawn as one diagram, which Mermaid may refuse "
                f"or shrink; -o {target.with_suffix('')}/ writes one file per area, -o {target.with_suffix('.md')} "
                "all of them as Markdown",
                err=True,
            )
    else:
        emit(mermaid.markdown(drafted, detail), target)
