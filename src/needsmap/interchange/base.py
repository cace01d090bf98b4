"""What every format reads and returns.

An exporter is a function ``(ExportInput, ExportOptions) -> ExportFiles``: the workshop and what is
worked out from it (the analysis, the model draft, the :mod:`~needsmap.interchange.facts`), each
computed once and only when a format asks for it, in; a mapping of relative file paths to text,
out. Writing the files is :mod:`needsmap.interchange.files`' job, so no exporter touches the disk.

An importer is a function ``(Workshop, Path) -> ImportPlan``: what the file would change, shown
before anything is written, like every other import (:mod:`needsmap.imports.plan`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from needsmap.format import model as m

if TYPE_CHECKING:
    from needsmap.analysis.engine import Analysis
    from needsmap.draft.engine import DraftModel
    from needsmap.imports.plan import ImportPlan
    from needsmap.interchange.facts import Facts

#: The custom-property key under which every format carries needsmap's own ids, so that a
#: later export of the same workshop updates what the first one wrote instead of adding twins,
#: and an import finds the item an entry came from.
ID_KEY = "needsmap_id"
#: The same, for the kind of item the id belongs to (attribute, system, use_case, table, column).
KIND_KEY = "needsmap_kind"

#: Relative POSIX path -> the file's text. A single-file format returns one entry.
ExportFiles = dict[str, str]


#: The largest file an import reads (a glossary or a dbt project's YAML of a big estate is a few MiB).
MAX_IMPORT_BYTES = 32 * 1024 * 1024


class ExportError(Exception):
    """An export that cannot be made as asked: the message says why and what to do."""


class ReadError(Exception):
    """A file an import cannot read: the message is located (``FILE:LINE:COL: ...``) and says what to do."""


#: The safe loader, in C where PyYAML has it: what every import reads YAML with (as a base class).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedValues:
    """Mixed in before a safe loader: a value YAML parses but cannot build (``!!timestamp someday``,
    ``!!int x``) is a located ``ConstructorError`` like any other YAML error, never a crash."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a constructor raises on a value it cannot build
            raise yaml.constructor.ConstructorError(
                None, None, f"a value that cannot be read as {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from exc


def read_import_text(path: Path) -> str:
    """The text of a file to import: a regular file, at most :data:`MAX_IMPORT_BYTES`, UTF-8."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"{path}: not a regular file (a folder, pipe or device): give the exported file")
    if st.st_size > MAX_IMPORT_BYTES:
        raise ReadError(f"{path}: {st.st_size:,} bytes is more than the {MAX_IMPORT_BYTES:,} an import reads")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ReadError(
            f"{path}:{line}:{col}: not UTF-8 text (byte 0x{data[exc.start]:02x}): save it as UTF-8"
        ) from exc


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Choices a format may honour; each format's help says which it reads."""

    per_system: bool = False  # ODCS: one contract per source system instead of one per entity of the draft
    models: bool = False  # dbt: staging model stubs for the draft's tables beside the sources
    scope: str = "needed"  # the model draft's scope (draft.engine.draft_model)


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One format ``needsmap export`` writes, registered by name in :mod:`needsmap.interchange.registry`."""

    name: str  # the command line's name: odcs, dbt, datahub-glossary, ...
    title: str  # one line for --help
    folder: bool  # writes a folder of files (else one file)
    suffix: str  # the one file's suffix (".yaml", ".csv", ".xml"); "" for folder formats
    options: tuple[str, ...]  # the ExportOptions fields it reads
    #: (field in the format, where needsmap takes it from): --help and docs/interchange.md show it
    fields: tuple[tuple[str, str], ...]
    export: Callable[[ExportInput, ExportOptions], ExportFiles]


@dataclass(frozen=True, slots=True)
class ImportFormat:
    """One format ``needsmap import`` reads back into a workshop."""

    name: str
    title: str
    suffixes: tuple[str, ...]  # what the file's name ends with (".yaml", ".csv"); a folder: ("/",)
    read: Callable[[m.Workshop, Path], ImportPlan]


class ExportInput:
    """The workshop and what every format works out from it, each computed once, on first use."""

    def __init__(self, workshop: m.Workshop, source_name: str = "workshop.yaml", scope: str = "needed") -> None:
        self.workshop = workshop
        self.source_name = source_name  # the workshop file's name, for descriptions and messages
        self.scope = scope

    @cached_property
    def analysis(self) -> Analysis:
        from needsmap.analysis.engine import analyse

        return analyse(self.workshop)

    @cached_property
    def draft(self) -> DraftModel:
        from needsmap.draft.engine import draft_model

        return draft_model(self.workshop, self.analysis, self.scope)

    @cached_property
    def facts(self) -> Facts:
        from needsmap.interchange.facts import workshop_facts

        return workshop_facts(self.workshop)
