"""The ``needsmap`` command line: the group, and the commands of each family registered on it.

Each command lives with its family (``validate``, ``gaps``, ``report``, ``draft``, ``roadmap``,
``collab``, ``ui``, ``generate``, ``catalog``, ``imports``) and is a thin layer over the library:
it parses its options, calls one library function, and renders the result.  What they share
(exit codes, messages, output to the terminal or a file, choices) is in :mod:`needsmap.cli.common`.
"""

from __future__ import annotations

import sys

import click

from needsmap import __version__
from needsmap.cli.catalog import catalog_command
from needsmap.cli.collab import diff, git_setup, merge_driver
from needsmap.cli.draft import model
from needsmap.cli.gaps import gaps
from needsmap.cli.generate import generate
from needsmap.cli.imports import import_group
from needsmap.cli.interchange import export, register_imports
from needsmap.cli.report import report
from needsmap.cli.roadmap import roadmap
from needsmap.cli.ui import open_, serve
from needsmap.cli.validate import new, schema, validate


class _Group(click.Group):
    """``needsmap FILE`` is ``needsmap open FILE``; ``needsmap`` alone opens the demo in a terminal."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["open", *args]
        elif not args and sys.stdin.isatty() and sys.stdout.isatty():
            args = ["open"]
        return super().parse_args(ctx, args)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="needsmap")
def main() -> None:
    """needsmap: from what stakeholders need to customer data that serves them.

    Capture stakeholders, use cases, processes, customer attributes and source
    systems in a workshop file (YAML, kept in git), then get gap reports, model
    drafts and roadmap options from it.

    needsmap FILE opens FILE in the workshop terminal UI; needsmap alone opens
    the demo workshop (or offers to start a new one).
    """


#: Every command, each registered once; ``needsmap --help`` lists them by name.
COMMANDS: tuple[click.Command, ...] = (
    validate,
    new,
    schema,
    gaps,
    generate,
    report,
    open_,
    serve,
    diff,
    merge_driver,
    git_setup,
    import_group,
    catalog_command,
    roadmap,
    model,
    export,
)
for _command in COMMANDS:
    main.add_command(_command)
register_imports()
