"""Open Data Contract Standard v3: not built yet (the interface is in :mod:`needsmap.interchange.base`)."""

from __future__ import annotations

from needsmap.interchange.base import ExportError, ExportFiles, ExportFormat, ExportInput, ExportOptions


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    raise ExportError("odcs: this export is not built yet")


EXPORT = ExportFormat(
    name="odcs",
    title="Open Data Contract Standard v3 (YAML): a data contract per entity of the model draft, or per system with --per-system",
    folder=True,
    suffix="",
    options=(),
    fields=(),
    export=export,
)
