"""Every command of the ``needsmap`` command line answers ``--help`` and is documented.

The commands are found by walking the click group (``needsmap.cli.main:main``) and its subgroups
(``needsmap import ...``) the way click itself does (``list_commands`` / ``get_command``), so a
command added anywhere in the CLI is checked without this file knowing where it lives.  Each must:

* answer ``needsmap ... --help`` with exit code 0, its own usage line and a sentence saying what it does;
* appear in README.md or docs/*.md as ``needsmap NAME`` (``needsmap import ddl`` for a subcommand).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest

from needsmap.cli.main import main
from tests.conftest import ROOT

Names = tuple[str, ...]


def walk(group: click.Group, path: Names = ()) -> Iterator[tuple[Names, click.Command]]:
    """Every visible command under ``group``, subgroups and their commands included, with its path of names."""
    ctx = click.Context(group, info_name="needsmap")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name))


def documents() -> str:
    """The text of README.md and every page in docs/."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def mentioned(path: Names, text: str) -> bool:
    """Whether ``text`` shows the command as ``needsmap NAME ...`` (not as the start of a longer name)."""
    words = r"\s+".join(re.escape(word) for word in ("needsmap", *path))
    return re.search(words + r"(?![\w-])", text) is not None


def undocumented(group: click.Group, text: str) -> list[str]:
    """The commands under ``group`` that ``text`` never mentions, as ``needsmap NAME`` strings."""
    return [" ".join(("needsmap", *path)) for path, _ in walk(group) if not mentioned(path, text)]


COMMANDS = list(walk(main))
IDS = [" ".join(path) for path, _ in COMMANDS]


def test_the_walk_finds_the_commands_and_the_subcommands():
    found = set(IDS)
    assert {"new", "validate", "gaps", "report", "open", "import", "import ddl", "import sheet"} <= found
    assert len(found) == len(IDS) >= 15


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_answers_help_with_its_own_usage(runner, path: Names, command: click.Command):
    result = runner.invoke(main, [*path, "--help"], prog_name="needsmap")
    assert result.exit_code == 0, result.output
    usage = result.output.splitlines()[0]
    assert usage.startswith(f"Usage: needsmap {' '.join(path)} "), usage
    assert command.get_short_help_str(limit=200).strip(), f"needsmap {' '.join(path)} says nothing about itself"
    assert command.get_short_help_str(limit=200) in " ".join(result.output.split())


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_is_in_the_documentation(path: Names, command: click.Command):
    name = " ".join(("needsmap", *path))
    assert mentioned(path, documents()), f"{name} is not mentioned in README.md or docs/*.md: document it there"


def _commands_of(group: click.Group) -> dict[str, click.Command]:
    ctx = click.Context(group)
    return {name: cmd for name in group.list_commands(ctx) if (cmd := group.get_command(ctx, name)) is not None}


def test_a_command_added_without_documentation_is_caught():
    """The check above, on a copy of the CLI with one new command and one new subcommand."""
    sub_path, sub = next((path, cmd) for path, cmd in COMMANDS if isinstance(cmd, click.Group))
    extra = click.Group(sub.name, commands=_commands_of(sub))
    extra.add_command(click.Command("spreadsheet-v2", help="Import a new kind of sheet."))
    cli = click.Group("needsmap", commands={**_commands_of(main), sub_path[-1]: extra})
    cli.add_command(click.Command("frobnicate", help="Frobnicate the workshop."))
    text = documents()
    assert undocumented(main, text) == []
    assert undocumented(cli, text) == ["needsmap frobnicate", f"needsmap {' '.join(sub_path)} spreadsheet-v2"]
    # a longer name does not document a shorter one; a line break between the words is still a mention
    assert not mentioned(("merge",), "run needsmap merge-driver")
    assert mentioned(("import", "ddl"), "`needsmap import\nddl schema.sql ws.yaml`")
