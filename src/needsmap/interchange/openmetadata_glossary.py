"""OpenMetadata glossary: not built yet (the interface is in :mod:`needsmap.interchange.base`)."""

from __future__ import annotations

from needsmap.interchange.base import ExportError, ExportFiles, ExportFormat, ExportInput, ExportOptions


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    raise ExportError("openmetadata-glossary: this export is not built yet")


EXPORT = ExportFormat(
    name="openmetadata-glossary",
    title="OpenMetadata glossary (CSV, its import columns): a term per attribute",
    folder=False,
    suffix=".csv",
    options=(),
    fields=(),
    export=export,
)
