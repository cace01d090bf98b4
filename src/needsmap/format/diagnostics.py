"""Located findings: what every check in needsmap reports.

A :class:`Diagnostic` is the unit every checker (loader, validator, later the
analysis) produces.  It renders as ``FILE:LINE:COL: severity: message`` so that
editors and CI logs can jump straight to the offending node.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from needsmap.util.text import terminal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

#: A position in a file, 1-based line and column.
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a workshop file.

    ``line``/``column`` are 1-based; ``0`` means "no position known" (for
    example an item created in the terminal UI that has never been saved).
    ``code`` is a stable slug (``unknown-key``, ``unknown-reference``...) that
    tools and tests can rely on; ``message`` is for people.
    """

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def render(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{self.file}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass(slots=True)
class Reporter:
    """Collects diagnostics for one file, in file order."""

    file: str
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, pos: Position | None, severity: Severity, code: str, message: str) -> None:
        line, col = pos if pos else (0, 0)
        # messages quote user text: keep them on one line and free of terminal control sequences
        message = terminal(message.replace("\r", "\\r").replace("\n", "\\n"))
        self.items.append(Diagnostic(self.file, line, col, severity, code, message))

    def error(self, pos: Position | None, code: str, message: str) -> None:
        self.add(pos, "error", code, message)

    def warning(self, pos: Position | None, code: str, message: str) -> None:
        self.add(pos, "warning", code, message)

    def info(self, pos: Position | None, code: str, message: str) -> None:
        self.add(pos, "info", code, message)


def sort_diagnostics(items: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File order: by line, then column; unlocated findings last."""
    return sorted(items, key=lambda d: (d.file, d.line == 0, d.line, d.column))


def count_by_severity(items: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = {s: 0 for s in SEVERITIES}
    for d in items:
        counts[d.severity] += 1
    return counts


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to ``word`` if it is close enough to be a useful hint."""
    from rapidfuzz import fuzz, process, utils

    options = list(choices)
    if not options or not word:
        return None
    best = process.extractOne(word, options, scorer=fuzz.WRatio, processor=utils.default_process)
    if best is None:
        return None
    choice, score, _ = best
    return choice if score >= 70 else None


def suggestion_suffix(word: str, choices: Iterable[str]) -> str:
    hint = did_you_mean(word, choices)
    return f"; did you mean '{hint}'?" if hint else ""
