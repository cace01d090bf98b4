"""dbt sources: not built yet (the interface is in :mod:`needsmap.interchange.base`)."""

from __future__ import annotations

from needsmap.interchange.base import ExportError, ExportFiles, ExportFormat, ExportInput, ExportOptions


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    raise ExportError("dbt: this export is not built yet")


EXPORT = ExportFormat(
    name="dbt",
    title="dbt sources (YAML) per system, freshness from what the use cases need; staging model stubs with --models",
    folder=True,
    suffix="",
    options=(),
    fields=(),
    export=export,
)
