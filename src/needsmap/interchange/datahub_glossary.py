"""DataHub business glossary: not built yet (the interface is in :mod:`needsmap.interchange.base`)."""

from __future__ import annotations

from needsmap.interchange.base import ExportError, ExportFiles, ExportFormat, ExportInput, ExportOptions


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    raise ExportError("datahub-glossary: this export is not built yet")


EXPORT = ExportFormat(
    name="datahub-glossary",
    title="DataHub business glossary (YAML): a node per entity, a term per attribute",
    folder=False,
    suffix=".yaml",
    options=(),
    fields=(),
    export=export,
)
