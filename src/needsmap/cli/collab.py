"""``needsmap diff``, ``needsmap merge-driver`` and ``needsmap git-setup``: working together on a workshop in git."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from needsmap.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    emit,
    emit_drawn,
    fail,
    format_option,
    open_to_compare,
    output_option,
)

if TYPE_CHECKING:
    from rich.console import Console


@click.command()
@click.argument("versions", nargs=-1, required=True, metavar="[OLD] NEW")
@format_option(
    ["table", "md", "json"], "table", "table: for people at a terminal; md: for pull requests; json: for machines."
)
@output_option
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (like git diff --exit-code).")
def diff(versions: tuple[str, ...], fmt: str, output: Path | None, exit_code: bool) -> None:
    """What changed between two versions of a workshop, item by item, and what it did to the gaps.

    OLD and NEW are files or git revisions: 'diff FILE' (last commit against
    the working file), 'diff OLD.yaml NEW.yaml', 'diff HEAD~3 FILE',
    'diff v1..v2 FILE', or REV:PATH on either side.
    """
    from needsmap.collab.diff import compare
    from needsmap.collab.diff_output import json_document, markdown
    from needsmap.collab.git_revisions import versions_to_compare

    if len(versions) > 2:
        fail("error: give at most two versions: [OLD] NEW")
    old_v, new_v = versions_to_compare(versions[0] if len(versions) == 2 else None, versions[-1])
    old, new = open_to_compare(old_v), open_to_compare(new_v)
    changes = compare(old.workshop, new.workshop, old.label, new.label)
    if fmt == "json":
        emit(json.dumps(json_document(changes), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        emit(markdown(changes), output)
    else:
        from needsmap.cli.diff_table import print_changes

        def draw(console: Console) -> None:
            print_changes(console, changes)

        emit_drawn(draw, output)
    sys.exit(EXIT_FINDINGS if exit_code and changes else EXIT_OK)


@click.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", required=False)
def merge_driver(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """Git merge driver: merge workshop versions BASE, OURS and THEIRS into OURS (git's %O %A %B %P).

    Merges by section, item id and field, following renamed items. Exit 0
    when clean; 1 when conflicts were recorded under 'conflicts:' in the file
    (needsmap validate explains them), when the merged file has errors that
    came with a version merged, or when a file that is not a readable workshop
    was merged line by line with conflicts; 2 when a file cannot be read or
    written. Install it with 'needsmap git-setup'.
    """
    from needsmap.collab.merge import merge_files
    from needsmap.format.loader import FileTooLarge

    try:
        outcome = merge_files(base, ours, theirs, name)
    except FileTooLarge as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{name or ours}: error: merge failed: {exc.strerror or exc}")
    for message in outcome.messages:
        click.echo(message, err=True)
    sys.exit(EXIT_OK if outcome.clean else EXIT_FINDINGS)


@click.command("git-setup")
@click.option(
    "--pattern",
    "patterns",
    multiple=True,
    default=("*.yaml",),
    show_default=True,
    help="Files git merges with needsmap (.gitattributes patterns; repeat for several).",
)
@click.option(
    "--gitignore/--no-gitignore",
    default=True,
    show_default=True,
    help="Add the files needsmap keeps beside workshops (lock, drafts, temporary files, FILE.bak) to .gitignore.",
)
def git_setup(patterns: tuple[str, ...], gitignore: bool) -> None:
    """Install the needsmap merge driver in this git repository (git config, .gitattributes, .gitignore).

    The driver is recorded with the absolute path of this Python, so git runs it
    whatever its PATH. Safe to run again: nothing is added twice, and lines
    already in .gitattributes and .gitignore stay as they are.
    """
    from needsmap.collab.git_setup import GitSetupError, setup

    try:
        done = setup(".", patterns, gitignore=gitignore)
    except GitSetupError as exc:
        fail(str(exc))
    click.echo(f"git config merge.needsmap.driver = {done.driver}")
    if done.attributes_added:
        click.echo(
            f"Added to {done.attributes_file}: "
            + "; ".join(done.attributes_added)
            + " (commit it so everyone merges the same way)"
        )
    else:
        click.echo(f"{done.attributes_file} already routes the files to needsmap")
    if done.ignore_file is None:
        return
    if done.ignore_added:
        click.echo(f"Added to {done.ignore_file}: " + "; ".join(done.ignore_added) + " (needsmap's side files)")
    else:
        click.echo(f"{done.ignore_file} already ignores needsmap's side files")
