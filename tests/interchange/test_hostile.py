"""Hostile names survive every format: one workshop with what breaks any of them, through all of them.

Each format's own tests run its tool on a hostile workshop shaped for it; this one runs every format
on the union of those (tests/interchange/conftest.py), so what breaks one format is tried on all:
each export is written, and each one that reads back proposes nothing for the workshop it came from.
"""

from __future__ import annotations

import pytest

from needsmap.interchange.registry import EXPORTERS, export, plan_import
from tests.interchange.conftest import every_hostile_workshop

READS = {"odcs": "odcs", "dbt": "dbt", "datahub-glossary": "glossary", "openmetadata-glossary": "glossary"}


@pytest.fixture(scope="module")
def hostile():
    """Built in memory, as the library's callers may: some of its ids (``cust"; DROP``) the file format refuses."""
    return every_hostile_workshop()


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_every_format_exports_the_hostile_workshop_and_reads_it_back_unchanged(name, hostile, tmp_path):
    fmt = EXPORTERS[name]
    target = tmp_path / ("out" if fmt.folder else f"out{fmt.suffix}")
    written = export(name, hostile, target)
    assert written and all(p.is_file() and p.stat().st_size for p in written)
    assert all(p.resolve().is_relative_to(target.resolve()) for p in written) if fmt.folder else written == [target]
    if name in READS:
        plan = plan_import(READS[name], hostile, target)
        changed = [(c.kind, c.ident, c.fills, c.conflicts, c.message) for c in plan.changes if c.kind != "unchanged"]
        changed += [(c.kind, c.ident, c.conflicts) for c in plan.changes if c.conflicts]
        assert not changed, changed[:5]
