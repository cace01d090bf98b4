"""What every command shares: exit codes, messages, output to the terminal or a file, options, choices.

Exit codes are the same for all commands:

* :data:`EXIT_OK` (0): done, nothing to report (warnings may have been printed);
* :data:`EXIT_FINDINGS` (1): the command ran and found problems (errors, or what ``--fail-on`` asks for);
* :data:`EXIT_USAGE` (2): usage error, or a file that could not be read or written.

The choices of options (formats, dialects, scales, groupings) are the library's own constants,
read when a command parses its options or shows its help (:class:`LibraryChoice`), so listing the
commands (``needsmap --help``) imports none of the engines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from needsmap.collab.git_revisions import Comparable, Version
    from needsmap.format.diagnostics import Diagnostic
    from needsmap.format.loader import LoadResult
    from needsmap.format.model import Workshop

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])

#: Width of the tables a command writes to a file (``-o``) instead of the terminal.
FILE_WIDTH = 120


# -- messages and exit codes --------------------------------------------------------------------
def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    click.echo(message, err=True)
    sys.exit(code)


def cannot_write(path: Path, exc: OSError) -> NoReturn:
    """A file or folder that could not be written: say why and exit 2."""
    fail(f"{path}: error: cannot write: {exc.strerror or exc}")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def print_errors(diagnostics: Iterable[Diagnostic]) -> None:
    """The errors among ``diagnostics``, located, on stderr."""
    for d in diagnostics:
        if d.severity == "error":
            click.echo(d.render(), err=True)


def open_valid(file: Path) -> LoadResult:
    """Open and validate, or print why not and exit (1 for an invalid workshop, 2 unreadable)."""
    from needsmap.format.opening import OpenError, open_workshop

    try:
        result = open_workshop(file)
    except OpenError as exc:
        fail(str(exc))
    if not result.ok:
        print_errors(result.diagnostics)
        fail(f"{file}: fix the errors above first (needsmap validate {file})", EXIT_FINDINGS)
    return result


def valid_workshop(file: Path) -> Workshop:
    """The workshop of ``file`` when it is valid, or print why not and exit (as :func:`open_valid`)."""
    ws = open_valid(file).workshop
    assert ws is not None  # a valid result always holds its workshop
    return ws


def open_to_compare(version: Version) -> Comparable:
    """Load one side of a comparison, or print why not and exit (1 for an invalid workshop, 2 unreadable)."""
    from needsmap.collab.git_revisions import NotComparable, RevisionError, load_to_compare
    from needsmap.format.opening import OpenError

    try:
        side = load_to_compare(version)
    except (RevisionError, OpenError) as exc:
        fail(str(exc))
    except NotComparable as exc:
        print_errors(exc.errors)
        fail(str(exc), EXIT_FINDINGS)
    if side.conflicts:  # a merge in progress: what it brought in is worth seeing before resolving
        click.echo(
            f"{side.label}: warning: {plural(side.conflicts, 'unresolved merge conflict')} "
            f"(needsmap validate {side.label})",
            err=True,
        )
    return side


# -- output: the terminal or a file (-o) --------------------------------------------------------
def write_file(output: Path, text: str) -> None:
    """Write ``text`` to ``output`` atomically, creating its folder (``-o out/x.sql`` makes ``out/``)."""
    from needsmap.util.atomic_write import write_text_atomically

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(output, text)
    except OSError as exc:
        cannot_write(output, exc)


def emit(text: str, output: Path | None) -> None:
    """``text`` to the terminal, or to the file ``output`` (then "Wrote FILE" on stderr)."""
    if output is None:
        click.echo(text, nl=False)
        return
    write_file(output, text)
    click.echo(f"Wrote {output}", err=True)


def emit_drawn(draw: Callable[[Console], None], output: Path | None) -> None:
    """What ``draw`` prints with rich: on the terminal, or without colour into the file ``output``."""
    from rich.console import Console

    if output is None:
        draw(Console(highlight=False))
        return
    import io

    buffer = io.StringIO()
    draw(Console(file=buffer, width=FILE_WIDTH, color_system=None))
    emit(buffer.getvalue(), output)


# -- options and arguments several commands share ----------------------------------------------
#: The workshop FILE a command reads (the parameter ``file``).
file_argument = click.argument("file", type=click.Path(path_type=Path))

#: ``-o FILE``: what the command prints goes into this file instead (the parameter ``output``).
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)


def format_option(choices: click.Choice | Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """``--format`` (the parameter ``fmt``): one of ``choices``, ``default`` when not given (shown in the help)."""
    return click.option(
        "--format",
        "fmt",
        type=choices if isinstance(choices, click.Choice) else click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )


# -- choices from the library's constants -------------------------------------------------------
def library_constant(name: str) -> tuple[str, ...]:
    """The library constant behind a choice, imported only when the choice is used (start-up time).

    Real import statements, so import-linter and the cycle check see them.
    """
    values: Iterable[str]
    if name == "groupings":
        from needsmap.analysis.output import GROUPINGS as values
    elif name == "gap-orders":
        from needsmap.analysis.engine import ORDERS as values
    elif name == "severities":
        from needsmap.format.diagnostics import SEVERITIES as values
    elif name == "draft-formats":
        from needsmap.draft.render import FORMATS as values
    elif name == "draft-dialects":
        from needsmap.draft.render import DIALECTS as values
    elif name == "draft-scopes":
        from needsmap.draft.engine import SCOPES as values
    elif name == "draft-details":
        from needsmap.draft.mermaid import DETAILS as values
    elif name == "report-formats":
        from needsmap.report.output import FORMATS as values
    elif name == "scales":
        from needsmap.synthetic.builder import SCALES as values
    elif name == "sheet-kinds":
        from needsmap.imports.sheet import IMPORT_KINDS as values
    elif name == "export-formats":
        from needsmap.interchange.registry import EXPORT_NAMES as values
    else:
        raise KeyError(name)
    return tuple(values)


class LibraryChoice(click.Choice):
    """A choice whose values are a library constant (:func:`library_constant`), read the first time it is used.

    ``leave_out`` are values of the constant that are not choices.
    """

    def __init__(self, constant: str, *, leave_out: Iterable[str] = (), case_sensitive: bool = True) -> None:
        self.constant = constant
        self.leave_out = tuple(leave_out)
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            self._choices = tuple(v for v in library_constant(self.constant) if v not in self.leave_out)
        return self._choices

    @choices.setter
    def choices(self, values: Sequence[str]) -> None:
        self._choices = tuple(values)


GAP_GROUPINGS = LibraryChoice("groupings")
GAP_ORDERS = LibraryChoice("gap-orders")
SEVERITIES = LibraryChoice("severities")
#: Every severity but info: "info or worse" would be any gap at all.
FAILING_SEVERITIES = LibraryChoice("severities", leave_out=("info",))
DRAFT_FORMATS = LibraryChoice("draft-formats")
DRAFT_DIALECTS = LibraryChoice("draft-dialects")
DRAFT_SCOPES = LibraryChoice("draft-scopes")
DRAFT_DETAILS = LibraryChoice("draft-details")
REPORT_FORMATS = LibraryChoice("report-formats")
SCALES = LibraryChoice("scales")
SHEET_KINDS = LibraryChoice("sheet-kinds")
EXPORT_FORMATS = LibraryChoice("export-formats")
