"""The model draft's other formats, checked by their real consumers: dot, PyYAML.

DBML, Mermaid and JSON Schema have their own modules (test_dbml.py, test_mermaid.py, test_json_schema.py)."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.draft.engine import DraftModel
from needsmap.draft.render import DIALECTS, FORMATS, as_data, dot, render
from needsmap.format.opening import open_workshop
from tests.conftest import DEMO
from tests.draft.conftest import draft_of

# ----------------------------------------------------------------------------- DOT


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
def test_dot_renders_with_graphviz(which, request):
    model: DraftModel = request.getfixturevalue(which)
    source = dot(model, max_columns=20 if which == "enterprise_model" else None)
    done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert not done.stderr.strip(), done.stderr.decode()
    svg = ET.fromstring(done.stdout)
    texts = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    for t in model.tables:
        assert t.name in texts
    edges = sum(1 for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge")
    assert edges == sum(1 for t in model.tables for c in t.columns if c.references)


# ----------------------------------------------------------------------------- YAML


def test_yaml_traces_every_column_and_lists_open_decisions(demo_model):
    ws = open_workshop(DEMO).workshop
    data = yaml.safe_load(render(demo_model, "yaml"))
    assert data == as_data(demo_model)
    owners = {u.id: u.owner for u in ws.use_cases}
    for table in data["tables"]:
        assert set(table) >= {"name", "traced_to", "open_decisions", "columns"}
        for col in [*table["columns"], *table.get("rows", [])]:
            if "attribute" not in col:
                continue
            needers = [
                u.id
                for u in ws.use_cases
                if u.status != "rejected" and any(n.attribute == col["attribute"] for n in u.needs)
            ]
            assert col["traced_to"]["use_cases"] == needers
            assert col["traced_to"]["stakeholders"] == list(dict.fromkeys(owners[u] for u in needers if owners[u]))
    decided = {d["id"]: d for d in data["open_decisions"]}
    mobile = next(c for t in data["tables"] for c in t.get("rows", []) if c.get("attribute") == "mobile_phone")
    codes = {decided[d["id"]]["code"] for d in mobile["open_decisions"]}
    assert {"NM107", "NM110", "NM111"} <= codes
    assert mobile["survivorship"]["status"] == "proposal"


def test_yaml_of_hostile_names_round_trips(hostile_model):
    data = yaml.safe_load(render(hostile_model, "yaml"))
    assert data == as_data(hostile_model)


# ----------------------------------------------------------------------------- CLI


def test_cli_choices_match_the_library():
    command = main.commands["model"]
    params = {p.name: p for p in command.params}
    assert tuple(params["fmt"].type.choices) == FORMATS
    assert tuple(params["dialect"].type.choices) == DIALECTS


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_each_format(fmt, runner, tmp_path):
    out = tmp_path / f"model.{fmt}"
    result = runner.invoke(main, ["model", str(DEMO), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = open_workshop(DEMO).workshop
    assert out.read_text(encoding="utf-8") == render(draft_of(ws), fmt)


def test_cli_prints_sqlite_of_all_attributes(runner):
    import sqlite3

    result = runner.invoke(main, ["model", str(DEMO), "--dialect", "sqlite", "--scope", "all"])
    assert result.exit_code == 0
    conn = sqlite3.connect(":memory:")
    conn.executescript(result.stdout)
    ws = open_workshop(DEMO).workshop
    columns = sum(
        len(conn.execute(f'PRAGMA table_info("{t}")').fetchall())
        for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    )
    assert columns >= len(ws.attributes)


def test_cli_refuses_an_invalid_workshop(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("needsmap: 1\nworkshop:\n  name: x\nattributes:\n  - id: a\n", encoding="utf-8")
    result = runner.invoke(main, ["model", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr and "needsmap validate" in result.stderr
    missing = runner.invoke(main, ["model", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
