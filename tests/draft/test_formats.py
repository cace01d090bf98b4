"""The model draft's other formats, checked by their real consumers: jsonschema, pydbml, Mermaid, dot, PyYAML."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.draft.engine import DraftModel
from needsmap.draft.render import (
    DIALECTS,
    FORMATS,
    MERMAID_KEYWORDS,
    as_data,
    column_comment,
    dbml,
    dot,
    json_schema,
    mermaid,
    mermaid_name,
    one_line,
    render,
    table_comment,
)
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests import mermaid_js
from tests.conftest import DEMO
from tests.draft.conftest import draft_of, hostile_workshop


@pytest.fixture(scope="module")
def demo_model() -> DraftModel:
    return draft_of(open_workshop(DEMO).workshop)


@pytest.fixture(scope="module")
def enterprise_model() -> DraftModel:
    return draft_of(synthetic.generate("enterprise", 11))


@pytest.fixture(scope="module")
def hostile_model() -> DraftModel:
    return draft_of(hostile_workshop())


# ----------------------------------------------------------------------------- JSON Schema

_SAMPLES = {
    "string": "Jansen",
    "text": "Some text",
    "integer": 3,
    "decimal": 0.25,
    "money": 129.95,
    "boolean": True,
    "date": "2026-11-02",
    "datetime": "2026-11-02T09:30:00+01:00",
    "email": "maria@example.org",
    "phone": "+31612345678",
    "url": "https://example.org/",
    "country": "NL",
    "currency": "EUR",
    "id": "C-1001",
}


def sample_record(model: DraftModel, schema: dict) -> dict:
    """A record of the schema's root, every attribute column of the model filled by its type, one of each child."""
    tables = {t.name: t for t in model.tables}

    def build(def_name: str) -> dict:
        definition = schema["$defs"][def_name]
        record = {}
        for prop, sub in definition["properties"].items():
            if "$ref" in sub or sub.get("type") == "array":
                target = (sub.get("items") or sub)["$ref"].rsplit("/", 1)[1]
                record[prop] = [build(target)] if sub.get("type") == "array" else build(target)
                continue
        columns = [
            c
            for t in model.tables
            if t.name == def_name or (t.kind == "extension" and t.entity == tables[def_name].entity)
            for c in t.columns
            if c.attribute is not None
        ]
        for c in columns:
            record[c.name] = c.values[0] if c.values else _SAMPLES[c.type]
        return record

    return build(schema["$ref"].rsplit("/", 1)[1])


def test_json_schema_is_a_valid_schema_and_a_demo_customer_validates(demo_model):
    import jsonschema

    schema = json.loads(render(demo_model, "jsonschema"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$ref"] == "#/$defs/customer"
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    record = sample_record(demo_model, schema)
    assert {"contact_point", "address", "consent", "order", "organization", "household"} <= set(record)
    validator.validate(record)
    # required = NOT NULL attribute columns: dropping one breaks the record
    customer = demo_model.table("customer")
    must = next(c.name for c in customer.columns if c.attribute and not c.nullable)
    broken = {k: v for k, v in record.items() if k != must}
    assert any(e.validator == "required" for e in validator.iter_errors(broken))
    # optional columns accept null, enums only their values, formats are checked
    optional = next(c.name for c in customer.columns if c.attribute and c.nullable)
    validator.validate({**record, optional: None})
    enum_col = next(c for c in customer.columns if c.values)
    assert not validator.is_valid({**record, enum_col.name: "not-a-value"})
    contact = record["contact_point"][0]
    assert not validator.is_valid({**record, "contact_point": [{**contact, "email": "not an address"}]})
    assert not validator.is_valid({**record, "unknown_property": 1})


def test_json_schema_of_hostile_and_enterprise_models_is_valid(hostile_model, enterprise_model):
    import jsonschema

    for model in (hostile_model, enterprise_model):
        schema = json_schema(model)
        jsonschema.Draft202012Validator.check_schema(schema)
        record = sample_record(model, schema)
        jsonschema.Draft202012Validator(schema).validate(record)
    # the enterprise order entity is split over two tables but is one object in the record
    order = json_schema(enterprise_model)["$defs"]["order"]["properties"]
    assert len(order) == sum(
        1 for t in enterprise_model.tables if t.entity == "order" for c in t.columns if c.attribute
    )


# ----------------------------------------------------------------------------- DBML


@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
def test_dbml_parses_with_pydbml_into_the_same_tables_and_references(which, request):
    from pydbml import PyDBML

    model: DraftModel = request.getfixturevalue(which)
    parsed = PyDBML(dbml(model))
    assert [t.name for t in parsed.tables] == [t.name for t in model.tables]
    for pt, t in zip(parsed.tables, model.tables, strict=True):
        assert [c.name for c in pt.columns] == [c.name for c in t.columns]
        assert [c.not_null or c.pk for c in pt.columns] == [not c.nullable for c in t.columns]
        assert pt.note.text == one_line(table_comment(t))
    foreign_keys = {(t.name, c.name, c.references) for t in model.tables for c in t.columns if c.references}
    refs = set()
    for r in parsed.refs:
        child, parent = (r.col1[0], r.col2[0]) if r.type in (">", "-") else (r.col2[0], r.col1[0])
        refs.add((child.table.name, child.name, parent.table.name))
    assert refs == foreign_keys


def test_dbml_notes_keep_hostile_text_as_text(hostile_model):
    from pydbml import PyDBML

    parsed = PyDBML(dbml(hostile_model))
    table = next(t for t in hostile_model.tables if any(c.attribute == "select" for c in t.columns))
    col = next(c for c in table.columns if c.attribute == "select")
    parsed_col = next(c for t in parsed.tables if t.name == table.name for c in t.columns if c.name == col.name)
    assert parsed_col.note.text == one_line(column_comment(col))
    assert "DROP TABLE canary" in parsed_col.note.text and "'" in parsed_col.note.text


# ----------------------------------------------------------------------------- Mermaid


@pytest.fixture(scope="module")
def mermaid_parse(request):
    """``mermaid.parse`` of the pinned Mermaid in headless Chromium: text -> None or the parse error."""
    script = mermaid_js.path()
    if script is None:
        message = "Mermaid is not fetched: run python -m tests.mermaid_js (./dev test does)"
        if os.environ.get("NEEDSMAP_REQUIRE_MERMAID") == "1":
            pytest.fail(message)
        pytest.skip(message)
    browser = request.getfixturevalue("browser")  # only once Mermaid is known to be there
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(script))

    def parse(text: str) -> str | None:
        return page.evaluate(
            """async (text) => {
            try { await mermaid.parse(text); return null; } catch (e) { return String(e.message || e); }
        }""",
            text,
        )

    yield parse
    page.close()


def test_the_mermaid_parser_is_real(mermaid_parse):
    assert mermaid_parse('erDiagram\n    a ||--o{ b : "has"\n') is None
    assert mermaid_parse('erDiagram\n    a {\n        string x "a"b"\n    }\n') is not None
    assert mermaid_parse("erDiagram\n    style {\n        string x\n    }\n") is not None


@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
def test_mermaid_parses_with_mermaid(which, request, mermaid_parse):
    model: DraftModel = request.getfixturevalue(which)
    text = mermaid(model)
    assert mermaid_parse(text) is None
    for t in model.tables:
        assert re.search(rf"^    {re.escape(mermaid_name(t.name))} \{{$", text, re.M), t.name
    relationships = re.findall(r"^    \w+ [|o}{]{2}--[|o}{]{2} \w+ : ", text, re.M)
    assert len(relationships) == sum(1 for t in model.tables for c in t.columns if c.references)


def test_mermaid_names_avoid_keywords_and_strings_lose_quotes():
    for word in MERMAID_KEYWORDS:
        assert mermaid_name(word) == word + "_"
    assert mermaid_name("customer") == "customer"
    model = draft_of(hostile_workshop())
    text = mermaid(model)
    for line in text.splitlines()[1:]:
        # every line is: a name, a block brace, a column or a relationship; strings have no inner quote
        assert line.count('"') in (0, 2), line
        assert re.fullmatch(
            r'    (\w+ \{|\})|        \w+ \w+( (PK|FK|UK)(, (PK|FK|UK))*)? "[^"]*"'
            r'|    \w+ [|o}{]{2}--[|o}{]{2} \w+ : "[^"]*"',
            line,
        ), line


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
        for col in table["columns"]:
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
    mobile = next(c for t in data["tables"] for c in t["columns"] if c.get("attribute") == "mobile_phone")
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
