"""Every format that reads back: export -> import changes nothing, and brings back what a copy lost.

Three promises, for each importer and the export it reads:

* importing an export into the workshop it came from proposes nothing, and the saved file stays
  byte-identical (the CLI's ``--apply`` writes nothing);
* importing it into a copy that lost its definitions and owners fills exactly those back: the
  applied copy saves to the same bytes as the original;
* a value edited in the exported file is never written over the workshop's: it is a conflict or
  an ambiguous row in the preview, and ``--apply`` leaves the workshop's value.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.format.saver import save
from needsmap.imports.plan import apply_plan
from needsmap.interchange.registry import EXPORTERS, IMPORTERS, export, plan_import
from tests.conftest import DEMO, assert_opens_clean

#: The importer that reads each export back.
READS: dict[str, str] = {
    "odcs": "odcs",
    "dbt": "dbt",
    "datahub-glossary": "glossary",
    "openmetadata-glossary": "glossary",
}
FORMATS = [name for name in READS if READS[name] in IMPORTERS]


def _exported(fmt: str, ws: m.Workshop, folder: Path) -> Path:
    target = folder / ("export" if EXPORTERS[fmt].folder else f"export{EXPORTERS[fmt].suffix}")
    export(fmt, ws, target, source_name=DEMO.name)
    return target


def _without_definitions_and_owners(ws: m.Workshop) -> m.Workshop:
    attrs = [dataclasses.replace(a, definition=None, owner=None) for a in ws.attributes]
    return dataclasses.replace(ws, attributes=attrs)


def test_every_format_that_is_exported_can_be_read_back():
    assert set(READS) <= set(EXPORTERS)
    assert FORMATS == list(READS), f"no importer yet for {sorted(set(READS) - set(FORMATS))}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_an_export_into_its_own_workshop_changes_nothing(fmt: str, tmp_path: Path, runner):
    from needsmap.cli.main import main

    path = tmp_path / "workshop.yaml"
    shutil.copyfile(DEMO, path)
    before = path.read_bytes()
    ws = assert_opens_clean(path)
    exported = _exported(fmt, ws, tmp_path)
    plan = plan_import(READS[fmt], ws, exported)
    assert not plan.applicable, [(c.kind, c.ident, c.message) for c in plan.applicable][:10]
    doubts = [(c.kind, c.ident, c.conflicts, c.message) for c in plan.changes if c.conflicts or c.kind == "ambiguous"]
    assert not doubts, doubts[:10]
    assert plan.count("unchanged") > 0
    result = runner.invoke(main, ["import", READS[fmt], str(exported), str(path), "--apply"])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_import_brings_back_the_definitions_and_owners_a_copy_lost(fmt: str, tmp_path: Path):
    original = tmp_path / "original.yaml"
    shutil.copyfile(DEMO, original)
    ws = assert_opens_clean(original)
    exported = _exported(fmt, ws, tmp_path)
    stripped = _without_definitions_and_owners(ws)
    assert stripped != ws
    plan = plan_import(READS[fmt], stripped, exported)
    restored = apply_plan(stripped, plan)
    assert {a.id: (a.definition, a.owner) for a in restored.attributes} == {
        a.id: (a.definition, a.owner) for a in ws.attributes
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_edited_definition_is_a_conflict_never_an_overwrite(fmt: str, tmp_path: Path):
    ws = open_workshop(DEMO).workshop
    assert ws is not None
    attr = next(a for a in ws.attributes if a.definition and len(a.definition) > 20)
    exported = _exported(fmt, ws, tmp_path)
    files = [exported] if exported.is_file() else sorted(p for p in exported.rglob("*") if p.is_file())
    edited = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        if attr.definition in text:
            file.write_text(text.replace(attr.definition, "Edited in the other tool: " + attr.definition[::-1]))
            edited += 1
    assert edited, f"the definition of {attr.id} is not in the {fmt} export"
    plan = plan_import(READS[fmt], ws, exported)
    about = [c for c in plan.changes if attr.id in c.ident or c.label == attr.name]
    flagged = [c for c in about if c.kind == "ambiguous" or c.conflicts]
    assert flagged, f"the edited definition of {attr.id} is not shown in the preview"
    after = apply_plan(ws, plan)
    assert next(a for a in after.attributes if a.id == attr.id).definition == attr.definition
    out = tmp_path / "after.yaml"
    save(after, out)
    assert_opens_clean(out)
