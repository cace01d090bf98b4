"""Opening a workshop file: load, validate, and report everything at once.

This is the one call the CLI, the terminal UI and library users make to read a
workshop.  It never raises for bad *content*; it raises :class:`OpenError`
only when the file cannot be read at all (missing, unreadable, too large, not
a regular file: a folder, a named pipe, a device).
"""

from __future__ import annotations

import os

from needsmap.format import loader, validator
from needsmap.format.diagnostics import Diagnostic, Reporter, sort_diagnostics
from needsmap.format.loader import LoadResult


class OpenError(Exception):
    """The file could not be read; the message is ready to show, ``code`` says why for machines.

    Codes: ``no-such-file``, ``not-a-file`` (a folder, a named pipe, a device, a
    socket), ``file-too-large``, ``cannot-read`` (not allowed, or any other reason).
    """

    def __init__(self, message: str, code: str = "cannot-read") -> None:
        super().__init__(message)
        self.code = code

    def diagnostic(self, path: str | os.PathLike[str]) -> Diagnostic:
        """The same problem as a finding without a position, as JSON output lists findings."""
        text = str(self)
        prefix = f"{path}: error: "
        return Diagnostic(str(path), 0, 0, "error", self.code, text[len(prefix) :] if text.startswith(prefix) else text)


def check(result: LoadResult) -> LoadResult:
    """Add the validator's findings and the comment warning to a load result."""
    diags = list(result.diagnostics)
    if result.workshop is not None:
        diags.extend(validator.validate(result.workshop, result.origin.path if result.origin else "<workshop>"))
    if result.origin is not None and result.origin.dropped_comment_lines:
        rep = Reporter(result.origin.path)
        lines = result.origin.dropped_comment_lines
        shown = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
        rep.warning(
            (lines[0], 1),
            "comments-dropped",
            f"comments on line(s) {shown} are not kept when needsmap saves this file (only the comment "
            "block at the top is); move them into 'notes' or the header",
        )
        diags.extend(rep.items)
    return LoadResult(result.workshop, sort_diagnostics(diags), result.origin)


def open_workshop(path: str | os.PathLike[str]) -> LoadResult:
    """Load and validate ``path``; all problems are in ``.diagnostics``."""
    try:
        raw = loader.load_file(path)
    except loader.FileTooLarge as exc:
        raise OpenError(str(exc), "file-too-large") from exc
    except loader.NotAFile as exc:
        raise OpenError(str(exc), "not-a-file") from exc
    except IsADirectoryError as exc:
        raise OpenError(f"{path}: error: this is a folder, not a workshop file", "not-a-file") from exc
    except FileNotFoundError as exc:
        raise OpenError(f"{path}: error: no such file", "no-such-file") from exc
    except OSError as exc:
        raise OpenError(f"{path}: error: cannot read the file: {exc.strerror or exc}") from exc
    return check(raw)


def parse_workshop(text: str, filename: str = "<string>") -> LoadResult:
    """Load and validate workshop text (no file involved)."""
    return check(loader.load_bytes(text.encode("utf-8"), filename))
