"""What the import tests share: the small workshop the imports go into, and what a system holds after one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from needsmap.format import model as m
from needsmap.imports.schema import SchemaColumn, SchemaTable
from tests.conftest import DATA, assert_opens_clean

#: A small workshop (a few systems and attributes) that the sample sheets, DDL files and databases import into.
SMALL = DATA / "import" / "small-workshop.yaml"


@pytest.fixture
def small(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the small workshop in a temporary folder, which is also the current folder."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "ws.yaml"
    shutil.copyfile(SMALL, target)
    return target


def holdings_of(path: Path, system: str) -> dict[str, m.Holding]:
    """The holdings of ``system`` in the workshop file at ``path`` (which must open clean), by attribute."""
    ws = assert_opens_clean(path)
    return {h.attribute: h for h in next(s for s in ws.systems if s.id == system).holds}


def schema_table(name: str, *columns: tuple[str, str]) -> SchemaTable:
    """A table of a schema as the DDL and database readers give it: ``(column, SQL type)`` pairs, in order."""
    return SchemaTable(name, tuple(SchemaColumn(c, t) for c, t in columns))
