"""``needsmap roadmap``: strategic options compared, one option's waves, accepting an option into the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from needsmap.cli.common import (
    EXIT_FINDINGS,
    emit,
    emit_drawn,
    fail,
    file_argument,
    format_option,
    open_valid,
    output_option,
)

if TYPE_CHECKING:
    from rich.console import Console


@click.command()
@file_argument
@format_option(["table", "md", "json"], "table", "table: for people at a terminal; md: for wikis; json: for machines.")
@click.option("--option", "option_id", metavar="ID", help="Show this option's waves (work item by work item).")
@click.option(
    "--accept",
    "accept_id",
    metavar="ID",
    help="Write this generated option into the file's options: (to adjust it, then vote on it).",
)
@click.option("--replace", is_flag=True, help="With --accept: replace an option of the same id already in the file.")
@output_option
def roadmap(
    file: Path, fmt: str, option_id: str | None, accept_id: str | None, replace: bool, output: Path | None
) -> None:
    """Compare strategic options for workshop FILE: gaps closed and left, waves, value over time, effort, risk, votes."""
    from needsmap.analysis.engine import analyse
    from needsmap.roadmap.engine import RoadmapError, build_roadmap, generate_options
    from needsmap.roadmap.output import json_document, markdown

    result = open_valid(file)
    ws = result.workshop
    assert ws is not None  # a valid result always holds its workshop
    analysis = analyse(ws)
    if accept_id is not None:
        from needsmap.roadmap.accept import AcceptError, accept_option

        try:
            message = accept_option(file, result, generate_options(ws, analysis), accept_id, replace=replace)
        except AcceptError as exc:
            fail(f"{file}: error: {exc}")
        click.echo(message)
        return
    try:
        rm = build_roadmap(ws, analysis)
    except RoadmapError as exc:
        fail(f"{file}: error: {exc}", EXIT_FINDINGS)
    if option_id is not None and rm.plan_of(option_id) is None:
        from needsmap.format.diagnostics import suggestion_suffix

        ids = [p.id for p in rm.plans]
        fail(
            f"{file}: error: no option '{option_id}'{suggestion_suffix(option_id, ids)} "
            f"(options: {', '.join(ids) or 'none'})"
        )
    if fmt == "json":
        emit(json.dumps(json_document(rm, ws, str(file)), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        emit(markdown(rm, ws, option_id), output)
    else:
        from needsmap.cli.roadmap_table import print_roadmap

        def draw(console: Console) -> None:
            print_roadmap(console, rm, ws, option_id)

        emit_drawn(draw, output)
