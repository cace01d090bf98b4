"""ArchiMate Open Exchange: not built yet (the interface is in :mod:`needsmap.interchange.base`)."""

from __future__ import annotations

from needsmap.interchange.base import ExportError, ExportFiles, ExportFormat, ExportInput, ExportOptions


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    raise ExportError("archimate: this export is not built yet")


EXPORT = ExportFormat(
    name="archimate",
    title="ArchiMate Open Exchange (XML): systems, attributes, feeds and use cases as a landscape",
    folder=False,
    suffix=".xml",
    options=(),
    fields=(),
    export=export,
)
