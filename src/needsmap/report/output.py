"""The report as files: its four formats, the format a path implies, and one call that writes any of them.

HTML and Markdown are one file each (:func:`needsmap.report.render.build_report`), XLSX is one
workbook and CSV a folder of files (:mod:`needsmap.report.tables`).  Every file is replaced
atomically.  The engines are imported when a report is written, so reading :data:`FORMATS` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from needsmap.analysis.engine import Analysis
    from needsmap.format import model as m

#: Every format a report can be written in.
FORMATS: tuple[str, ...] = ("html", "md", "xlsx", "csv")
#: The formats that lay the report out as a document (diagrams, extra sections); the others are tables.
DOCUMENT_FORMATS: tuple[str, ...] = ("html", "md")
#: The format each file suffix stands for.
SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".csv": "csv",
}


def format_of(output: Path) -> str | None:
    """The format ``output`` implies: its suffix; no suffix is a folder of CSV files; None when neither."""
    return SUFFIXES.get(output.suffix.lower()) or ("csv" if output.suffix == "" else None)


def folder_of(output: Path, fmt: str) -> Path:
    """The folder a report written to ``output`` goes into: ``output`` itself for CSV files into a folder."""
    return output if fmt == "csv" and output.suffix == "" else output.parent


@dataclass(frozen=True, slots=True)
class Written:
    """Where a report went: ``path`` is the file, or the folder of CSV ``files``."""

    path: Path
    files: list[Path] = field(default_factory=list)


def write_report(
    ws: m.Workshop,
    analysis: Analysis,
    output: Path,
    *,
    fmt: str,
    source_file: str,
    for_stakeholder: str | None = None,
    templates: Path | None = None,
    diagrams: bool = True,
    extra_sections: list[dict] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Written:
    """Write the report of ``ws`` to ``output`` in ``fmt`` (one of :data:`FORMATS`).

    ``templates``, ``diagrams`` and ``extra_sections`` shape the HTML and Markdown
    documents (see :func:`needsmap.report.render.build_report`).  CSV goes into the
    folder ``output`` names (``out/report.csv`` writes into ``out/report/``).  Raises
    :class:`ValueError` for an unknown format or stakeholder,
    :class:`needsmap.report.render.ReportTemplateError` for template problems and
    :class:`OSError` when a file cannot be written.
    """
    say = progress or (lambda _msg: None)
    if fmt in DOCUMENT_FORMATS:
        from needsmap.report.render import build_report
        from needsmap.util.atomic_write import write_text_atomically

        text = build_report(
            ws,
            analysis,
            fmt=fmt,
            source_file=source_file,
            for_stakeholder=for_stakeholder,
            templates=templates,
            progress=progress,
            diagrams=diagrams,
            extra_sections=extra_sections,
        )
        say(f"Writing {output}")
        write_text_atomically(output, text)
        return Written(output)
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    from needsmap.report.context import build_context
    from needsmap.report.tables import write_csv, write_xlsx

    say("Collecting the report's content")
    ctx = build_context(ws, analysis, source_file=source_file, for_stakeholder=for_stakeholder)
    say(f"Writing {output}")
    if fmt == "xlsx":
        write_xlsx(ctx, output)
        return Written(output)
    folder = output.with_suffix("") if output.suffix.lower() == ".csv" else output
    return Written(folder, write_csv(ctx, folder))
