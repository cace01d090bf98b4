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
    """Where a report went: ``path`` is the file, or the folder of CSV ``files``.

    For a document, ``files`` are the files written beside it (a Markdown report's landscape SVG).
    """

    path: Path
    files: list[Path] = field(default_factory=list)


def _landscape_beside(
    ws: m.Workshop, analysis: Analysis, output: Path, source_file: str, say: Callable[[str], None]
) -> list[Path]:
    """A landscape too big for Mermaid as an SVG beside the Markdown report (which links it); the files written."""
    from needsmap.report.mermaid import landscape_fits, landscape_svg, landscape_svg_name
    from needsmap.util.atomic_write import write_text_atomically

    if not ws.systems or landscape_fits(ws):
        return []
    say("Drawing the system landscape")
    svg = landscape_svg(ws, analysis)
    if svg is None:
        return []
    path = output.parent / landscape_svg_name(source_file)
    write_text_atomically(path, svg)
    return [path]


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
    summary_only: bool = False,
) -> Written:
    """Write the report of ``ws`` to ``output`` in ``fmt`` (one of :data:`FORMATS`).

    ``templates``, ``diagrams`` and ``extra_sections`` shape the HTML and Markdown
    documents (see :func:`needsmap.report.render.build_report`), and so does ``summary_only``
    (the executive summary alone; documents only).  CSV goes into the
    folder ``output`` names (``out/report.csv`` writes into ``out/report/``).  Raises
    :class:`ValueError` for an unknown format or stakeholder,
    :class:`needsmap.report.render.ReportTemplateError` for template problems and
    :class:`OSError` when a file cannot be written.
    """
    say = progress or (lambda _msg: None)
    if summary_only and fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"a summary-only report is a document ({', '.join(DOCUMENT_FORMATS)}), not {fmt}")
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
            summary_only=summary_only,
        )
        say(f"Writing {output}")
        write_text_atomically(output, text)
        if fmt == "md" and diagrams and for_stakeholder is None and not summary_only:
            return Written(output, _landscape_beside(ws, analysis, output, source_file, say))
        return Written(output)
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    from needsmap.report.context import build_context
    from needsmap.report.tables import write_csv, write_xlsx

    say("Collecting the report's content")
    ctx = build_context(ws, analysis, source_file=source_file, for_stakeholder=for_stakeholder)
    if fmt == "xlsx":
        roadmap, model = None, None
        if for_stakeholder is None:  # a stakeholder's own workbook has no roadmap or model draft, as in HTML
            from needsmap.draft.engine import draft_model
            from needsmap.roadmap.engine import RoadmapError, build_roadmap

            say("Comparing the roadmap options")
            try:
                roadmap = build_roadmap(ws, analysis)
            except RoadmapError:  # an option the workshop wrote has a dependency cycle: no roadmap sheets
                roadmap = None
            if roadmap is not None and ctx.recommended is None:
                ctx.recommended = roadmap.recommended
            say("Drafting the data model")
            model = draft_model(ws, analysis)
        say(f"Writing {output}")
        write_xlsx(ctx, output, roadmap=roadmap, model=model)
        return Written(output)
    say(f"Writing {output}")
    folder = output.with_suffix("") if output.suffix.lower() == ".csv" else output
    return Written(folder, write_csv(ctx, folder))
