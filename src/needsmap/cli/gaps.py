"""``needsmap gaps``: the gaps of a workshop and the readiness of its use cases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from needsmap.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    FAILING_SEVERITIES,
    GAP_GROUPINGS,
    GAP_ORDERS,
    SEVERITIES,
    emit,
    emit_drawn,
    file_argument,
    format_option,
    output_option,
    valid_workshop,
)

if TYPE_CHECKING:
    from rich.console import Console


@click.command()
@file_argument
@click.option(
    "--by",
    type=GAP_GROUPINGS,
    default="problem",
    show_default=True,
    help="How to group the gaps (table and md): into problems (one per root cause), or by rule, use case, "
    "system or stakeholder.",
)
@click.option(
    "--order",
    type=GAP_ORDERS,
    default="blockers",
    show_default=True,
    help="blockers: errors that block a use case first, then by impact; impact: by impact alone.",
)
@format_option(
    ["table", "md", "json"],
    "table",
    "table: for people at a terminal; md: for wikis and pull requests; json: for machines.",
)
@click.option(
    "--min-severity",
    type=SEVERITIES,
    default="info",
    show_default=True,
    help="Leave out less severe gaps.",
)
@click.option(
    "--fail-on",
    type=FAILING_SEVERITIES,
    help="Exit 1 when a gap of this severity or worse exists (for CI pipelines).",
)
@output_option
def gaps(
    file: Path, by: str, order: str, fmt: str, min_severity: str, fail_on: str | None, output: Path | None
) -> None:
    """Show the problems and gaps of workshop FILE, blocking errors first, and the readiness of every use case."""
    from needsmap.analysis.engine import analyse
    from needsmap.analysis.output import at_least, fails, group, json_document, markdown

    ws = valid_workshop(file)
    analysis = analyse(ws)
    shown = at_least(analysis.ordered(order), min_severity)
    if fmt == "json":
        doc = json_document(analysis, ws, shown, str(file), order)
        emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        emit(markdown(analysis, ws, group(analysis, ws, shown, by, order), by, order), output)
    else:
        from needsmap.cli import gaps_table

        def draw(console: Console) -> None:
            gaps_table.print_summary(console, analysis, ws, str(file))
            groups = group(analysis, ws, shown, by, order)
            if by == "problem":
                gaps_table.print_problems(console, groups, order)
            else:
                gaps_table.print_groups(console, groups, by)
            gaps_table.print_readiness(console, analysis, ws)

        emit_drawn(draw, output)
    sys.exit(EXIT_FINDINGS if fails(analysis.gaps, fail_on) else EXIT_OK)
