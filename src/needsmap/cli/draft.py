"""``needsmap model``: a data-model draft for architects, in SQL, DBML, Mermaid, JSON Schema, DOT or YAML."""

from __future__ import annotations

from pathlib import Path

import click

from needsmap.cli.common import (
    DRAFT_DIALECTS,
    DRAFT_FORMATS,
    DRAFT_SCOPES,
    emit,
    file_argument,
    format_option,
    output_option,
    valid_workshop,
)


@click.command("model")
@file_argument
@format_option(
    DRAFT_FORMATS,
    "sql",
    "sql: DDL; dbml, mermaid, dot: diagrams; jsonschema: a customer record; yaml: with traceability.",
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
@output_option
def model(file: Path, fmt: str, dialect: str, scope: str, output: Path | None) -> None:
    """Draft a data model from workshop FILE: what use cases need, traced to who asked, open decisions kept open.

    One table per entity, relationships from needsmap's defaults and the file's model: section, an
    integration view (identity cross-reference, source mapping, proposed survivorship). See docs/model.md.
    """
    from needsmap.analysis.engine import analyse
    from needsmap.draft.engine import draft_model
    from needsmap.draft.render import render

    ws = valid_workshop(file)
    emit(render(draft_model(ws, analyse(ws), scope), fmt, dialect), output)
