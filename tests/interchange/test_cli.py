"""``needsmap export`` and ``needsmap import odcs|dbt|glossary`` from the command line, and the docs that say what
each format's fields come from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from needsmap.cli.main import main
from needsmap.interchange.registry import EXPORTERS
from tests.conftest import DEMO, ROOT

DOC = ROOT / "docs" / "interchange.md"


def _section(text: str, name: str) -> str:
    """The part of docs/interchange.md under the heading that names the format (``### odcs ...``)."""
    match = re.search(rf"^###\s+`?{re.escape(name)}`?\b.*?$(.*?)(?=^##\s|^###\s|\Z)", text, re.M | re.S)
    assert match, f"docs/interchange.md has no '### {name}' section"
    return match.group(1)


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_help_and_docs_show_where_every_field_comes_from(name: str, runner):
    fmt = EXPORTERS[name]
    assert fmt.fields, f"{name} says nothing of where its fields come from"
    shown = " ".join(runner.invoke(main, ["export", "--help"]).output.split())
    section = _section(DOC.read_text(encoding="utf-8"), name)
    for field, source in fmt.fields:
        assert " ".join(field.split()) in shown, (name, field)
        assert field in section, f"docs/interchange.md, section {name}: no row for {field}"
        assert source.split()[0] in section
    assert "```" in section, f"docs/interchange.md, section {name}: no example"


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_export_writes_the_demo_and_a_second_export_writes_the_same_files(name: str, tmp_path: Path, runner):
    fmt = EXPORTERS[name]
    target = tmp_path / ("out" if fmt.folder else f"out{fmt.suffix}")
    first = runner.invoke(main, ["export", name, str(DEMO), "-o", str(target)])
    assert first.exit_code == 0, first.output
    files = sorted(target.rglob("*")) if fmt.folder else [target]
    before = {p: p.read_bytes() for p in files if p.is_file()}
    assert before and all(before.values())
    again = runner.invoke(main, ["export", name, str(DEMO), "-o", str(target)])
    assert again.exit_code == 0, again.output
    after = sorted(target.rglob("*")) if fmt.folder else [target]
    assert {p: p.read_bytes() for p in after if p.is_file()} == before


def test_a_folder_format_given_a_file_says_so_and_writes_nothing(tmp_path: Path, runner):
    name = next(n for n, f in EXPORTERS.items() if f.folder)
    target = tmp_path / "contracts"
    target.write_text("mine")
    result = runner.invoke(main, ["export", name, str(DEMO), "-o", str(target)])
    assert result.exit_code != 0
    assert "is a file; this format writes a folder" in result.output and "nothing written" in result.output
    assert target.read_text() == "mine"


def test_an_invalid_workshop_is_reported_located_and_nothing_is_exported(tmp_path: Path, runner):
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("needsmap: 1", "needsmap: 1\nstakeholders: [", 1))
    result = runner.invoke(main, ["export", "odcs", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert re.search(r"bad\.yaml:\d+:\d+: ", result.output), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_import_of_a_file_that_is_not_there_is_located_and_writes_nothing(tmp_path: Path, runner):
    workshop = tmp_path / "workshop.yaml"
    shutil.copyfile(DEMO, workshop)
    before = workshop.read_bytes()
    result = runner.invoke(main, ["import", "glossary", str(tmp_path / "missing.yaml"), str(workshop), "--apply"])
    assert result.exit_code != 0
    assert "missing.yaml" in result.output and "nothing written" in result.output
    assert "Traceback" not in result.output
    assert workshop.read_bytes() == before
