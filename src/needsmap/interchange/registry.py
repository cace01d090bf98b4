"""Every interchange format by name, and the calls the CLI, the UI and Python use.

A new format is a module beside this one that defines ``EXPORT`` (an
:class:`~needsmap.interchange.base.ExportFormat`) and, when it can be read back, ``IMPORT`` (an
:class:`~needsmap.interchange.base.ImportFormat`), and one line in each tuple below.
"""

from __future__ import annotations

from pathlib import Path

from needsmap.format import model as m
from needsmap.imports.plan import ImportPlan
from needsmap.interchange import archimate, datahub_glossary, dbt, odcs, openmetadata_glossary
from needsmap.interchange.base import (
    ExportError,
    ExportFiles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ImportFormat,
    ReadError,
)
from needsmap.interchange.files import write_export

EXPORTERS: dict[str, ExportFormat] = {
    f.name: f
    for f in (odcs.EXPORT, dbt.EXPORT, datahub_glossary.EXPORT, openmetadata_glossary.EXPORT, archimate.EXPORT)
}
EXPORT_NAMES: tuple[str, ...] = tuple(EXPORTERS)

IMPORTERS: dict[str, ImportFormat] = {
    f.name: f
    for f in (getattr(mod, "IMPORT", None) for mod in (odcs, dbt, datahub_glossary, openmetadata_glossary))
    if f
}


def exporter(name: str) -> ExportFormat:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r}: one of {', '.join(EXPORTERS)}") from None


def export_files(
    name: str, ws: m.Workshop, *, options: ExportOptions | None = None, source_name: str = "workshop.yaml"
) -> ExportFiles:
    """The files format ``name`` makes of a workshop, as relative path -> text (nothing is written)."""
    options = options or ExportOptions()
    return exporter(name).export(ExportInput(ws, source_name, options.scope), options)


def export(
    name: str,
    ws: m.Workshop,
    target: Path,
    *,
    options: ExportOptions | None = None,
    source_name: str = "workshop.yaml",
) -> list[Path]:
    """Export a workshop in format ``name`` to ``target`` (a file, or a folder for folder formats)."""
    fmt = exporter(name)
    files = export_files(name, ws, options=options, source_name=source_name)
    return write_export(files, target, folder=fmt.folder)


def importer(name: str) -> ImportFormat:
    try:
        return IMPORTERS[name]
    except KeyError:
        raise ReadError(f"unknown import format {name!r}: one of {', '.join(IMPORTERS) or 'none yet'}") from None


def plan_import(name: str, ws: m.Workshop, path: Path) -> ImportPlan:
    """What importing ``path`` (in format ``name``) would change in the workshop; nothing is written."""
    return importer(name).read(ws, path)
