"""dbt sources: the export passes dbt itself (``dbt parse``, ``dbt source freshness``, ``dbt seed`` and ``dbt run``
against DuckDB), hostile names included, and reads back without changing anything.

dbt is slow to start (several seconds a run), so each project is exported and run once per module.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.format.saver import save
from needsmap.imports.plan import apply_plan
from needsmap.interchange.base import ExportOptions, ReadError
from needsmap.interchange.dbt_names import jinja_text, plain_text
from needsmap.interchange.registry import export, plan_import
from needsmap.interchange.yaml_writer import dump
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO, assert_opens_clean
from tests.draft.conftest import hostile_workshop
from tests.interchange.conftest import workshop_by_name

#: The rule the docs state: warn after the strictest need's age, error after twice it (hours).
NEED_HOURS = {"realtime": 1, "hourly": 1, "daily": 24, "weekly": 168, "monthly": 744}
JINJA = "{{ run_query('drop table canary') }} {% set x = 1 %} {# hidden #} {{{ x }}}"
LONG = "Long name " + "ä" * 490


def hostile() -> m.Workshop:
    """The draft tests' hostile workshop, plus Jinja (which dbt renders in every YAML string), XML, spreadsheet
    formulas, 500-character names and a system whose fields' tables are not identifiers."""
    ws = hostile_workshop()
    person = m.Stakeholder("st-2", "{{ owner }} </xml> =cmd|' /C calc'!A0")
    extra = [
        m.Attribute("jinja", JINJA, type="string", definition=JINJA + "\n</xml>", owner="st-2"),
        m.Attribute("formula", '=HYPERLINK("http://x")', type="integer", definition="=1+2 @SUM(A1) -3 +4"),
        m.Attribute("l" * 500, LONG, type="date", definition=LONG, identifier=True),
    ]
    system = m.System(
        "{{ sys }}",
        JINJA,
        kind="</xml>",
        supplier="=cmd",
        owner="st-2",
        holds=[
            m.Holding("jinja", field="{{ t }}.{% c %}", role="master", freshness="daily"),
            m.Holding("formula", field="=Sheet.=A1", quality=2, coverage=1.0),
            m.Holding("l" * 500, field=f"{LONG}.{LONG}", role="master", coverage=1.0),
            m.Holding("select", field="Customer.select"),
            m.Holding("table"),
            m.Holding("user", field=" "),
            m.Holding("group", field="Customer."),
            m.Holding("from", field="no_table"),
        ],
    )
    uc = m.UseCase("uc-2", JINJA, needs=[m.Need(a.id, "must", "daily") for a in extra])
    return dataclasses.replace(
        ws,
        workshop=m.WorkshopInfo(name="{{ project }} </xml>"),
        stakeholders=[*ws.stakeholders, person],
        attributes=[*ws.attributes, *extra],
        systems=[*ws.systems, system],
        use_cases=[*ws.use_cases, uc],
    )


def _workshop(name: str) -> m.Workshop:
    return workshop_by_name(name, hostile)


def _project(folder: Path, ws: m.Workshop, *, models: bool) -> Path:
    """The export as a dbt project, with a profiles.yml for a DuckDB file beside it."""
    export("dbt", ws, folder, options=ExportOptions(models=models))
    name = yaml.safe_load((folder / "dbt_project.yml").read_text(encoding="utf-8"))["name"]
    profile = {name: {"target": "dev", "outputs": {"dev": {"type": "duckdb", "path": str(folder / "dev.duckdb")}}}}
    (folder / "profiles.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return folder


def _dbt(run_tool: Callable, folder: Path, *args: str, expect_ok: bool = True):
    return run_tool("dbt", *args, "--project-dir", str(folder), "--profiles-dir", str(folder), cwd=folder,
                    expect_ok=expect_ok)  # fmt: skip


def _tables(ws: m.Workshop) -> dict[tuple[str, str | None], list[m.Holding]]:
    """(system id, the fields' table part or None) -> its holdings: how the docs say the export groups them."""
    out: dict[tuple[str, str | None], list[m.Holding]] = {}
    for s in ws.systems:
        for h in s.holds:
            table, dot, column = (h.field or "").rpartition(".")
            out.setdefault((s.id, table if dot and table.strip() and column.strip() else None), []).append(h)
    return out


# ----------------------------------------------------------------------------- dbt parse
@pytest.fixture(scope="module", params=["demo", "demo-sources-only", "enterprise", "hostile"])
def parsed(request, tmp_path_factory, run_tool) -> tuple[m.Workshop, Path, dict]:
    """(workshop, project folder, dbt's manifest) of the workshop exported (with staging models, but for
    ``demo-sources-only``) and parsed by dbt."""
    ws = _workshop(request.param.removesuffix("-sources-only"))
    models = not request.param.endswith("-sources-only")
    folder = _project(tmp_path_factory.mktemp(f"dbt-{request.param}"), ws, models=models)
    _dbt(run_tool, folder, "parse")
    manifest = json.loads((folder / "target" / "manifest.json").read_text(encoding="utf-8"))
    return ws, folder, manifest


def test_dbt_parses_every_system_table_and_column(parsed):
    ws, _, manifest = parsed
    sources = manifest["sources"].values()
    by_system: dict[str, int] = {}
    columns = {}
    for node in sources:
        by_system[node["source_meta"]["needsmap_id"]] = by_system.get(node["source_meta"]["needsmap_id"], 0) + 1
        for col in node["columns"].values():
            columns[(node["source_meta"]["needsmap_id"], col["meta"]["needsmap_id"])] = (node, col)
    tables = _tables(ws)
    assert len(sources) == len(tables)
    assert by_system == {s.id: sum(1 for sid, _ in tables if sid == s.id) for s in ws.systems if s.holds}
    holdings = {(s.id, h.attribute): h for s in ws.systems for h in s.holds}
    assert set(columns) == set(holdings)
    for node in sources:
        assert node["name"].isidentifier() and node["source_name"].isidentifier(), node["unique_id"]
        assert all(name.isidentifier() for name in node["columns"]), node["unique_id"]


def test_the_manifest_holds_the_workshop_text_exactly(parsed):
    """dbt renders YAML strings with Jinja: what it read back must be the workshop's text, not code it ran."""
    ws, _, manifest = parsed
    attrs = {a.id: a for a in ws.attributes}
    people = {p.id: p.name for p in ws.stakeholders}
    systems = {s.id: s for s in ws.systems}
    for node in manifest["sources"].values():
        system = systems[node["source_meta"]["needsmap_id"]]
        assert node["source_meta"].get("owner") == people.get(system.owner or "")
        assert node["source_meta"].get("name") == (system.name or None)
        for col in node["columns"].values():
            holding = next(h for h in system.holds if h.attribute == col["meta"]["needsmap_id"])
            attr = attrs[holding.attribute]
            assert col["description"] == (holding.definition or attr.definition or "")
            assert col["meta"].get("field") == holding.field
            assert col["meta"].get("owner") == people.get(attr.owner or "")


def test_freshness_follows_the_strictest_need_of_what_each_table_holds(parsed):
    ws, _, manifest = parsed
    need: dict[str, str] = {}
    rank = {f: i for i, f in enumerate(NEED_HOURS)}
    for uc in ws.use_cases:
        for n in uc.needs:
            if n.freshness in rank and (n.attribute not in need or rank[n.freshness] < rank[need[n.attribute]]):
                need[n.attribute] = n.freshness
    by_key = {}
    for node in manifest["sources"].values():
        first = next(iter(node["columns"].values()))
        by_key[(node["source_meta"]["needsmap_id"], first["meta"]["needsmap_id"])] = node
    checked = 0
    for (sid, _), holdings in _tables(ws).items():
        node = by_key[(sid, holdings[0].attribute)]
        needed = [need[h.attribute] for h in holdings if h.attribute in need]
        freshness = node["freshness"] or {}
        if not needed:
            assert not (freshness.get("warn_after") or {}).get("count"), node["unique_id"]
            continue
        hours = NEED_HOURS[min(needed, key=rank.__getitem__)]
        warn, error = freshness["warn_after"], freshness["error_after"]
        per = {"hour": 1, "day": 24}
        assert warn["count"] * per[warn["period"]] == hours, node["unique_id"]
        assert error["count"] * per[error["period"]] == 2 * hours, node["unique_id"]
        assert node["loaded_at_field"] == "_loaded_at"
        checked += 1
    assert checked


def test_staging_models_select_from_their_source_and_carry_no_workshop_text(parsed):
    ws, folder, manifest = parsed
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    if not (folder / "models" / "staging").exists():  # exported without --models
        assert not models
        return
    assert len(models) == len(manifest["sources"])
    for model in models:
        (source,) = model["depends_on"]["nodes"]
        assert source in manifest["sources"]
        assert set(manifest["sources"][source]["columns"]) <= set(model["raw_code"].replace('"', " ").split())
    for sql in (folder / "models" / "staging").glob("*.sql"):
        text = sql.read_text(encoding="utf-8")
        quoted = [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", text)]
        assert quoted and all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", q) for q in quoted), sql.name
        assert text.count("{{") == 1 and text.count("--") == 1 and ";" not in text, sql.name


def test_the_seed_lists_every_attribute(parsed):
    ws, folder, manifest = parsed
    (seed,) = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed"]
    assert seed["name"] == "needsmap_attributes"
    plan = plan_import("dbt", ws, folder / "seeds" / "needsmap_attributes.csv")
    assert plan.count("unchanged") == len(ws.attributes) and not plan.applicable


# ----------------------------------------------------------------------------- freshness against DuckDB
_FILL_DB = """
import json, sys
import duckdb

spec = json.load(sys.stdin)
con = duckdb.connect(spec["db"])
for t in spec["tables"]:
    schema, table = t["schema"], t["table"]
    con.execute(f'create schema if not exists "{schema}"')
    columns = ", ".join(f'"{c}" varchar' for c in t["columns"])
    con.execute(f'create table "{schema}"."{table}" ({columns}, _loaded_at timestamptz)')
    for extra in (0, 1, 2):
        values = ", ".join(f"'row {extra}'" for _ in t["columns"])  # distinct and filled: unique, not_null hold
        con.execute(f"insert into \\"{schema}\\".\\"{table}\\" values ({values}, now() - to_seconds(?))",
                    [int((t["age_hours"] + extra) * 3600)])
con.close()
"""


@pytest.fixture(scope="module")
def freshness_run(tmp_path_factory, run_tool, tools_python):
    """The demo's project against a DuckDB database whose tables were loaded recently, late and very late."""
    import subprocess

    ws = assert_opens_clean(DEMO)
    folder = _project(tmp_path_factory.mktemp("dbt-freshness"), ws, models=True)
    expected: dict[str, str] = {}
    tables = []
    for path in sorted((folder / "models" / "sources").glob("*.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source["tables"]:
                fresh = table["config"].get("freshness")
                age = 0.0
                uid = f"source.{yaml.safe_load((folder / 'dbt_project.yml').read_text())['name']}"
                uid += f".{source['name']}.{table['name']}"
                if fresh:
                    per = {"hour": 1, "day": 24}
                    warn = fresh["warn_after"]["count"] * per[fresh["warn_after"]["period"]]
                    error = fresh["error_after"]["count"] * per[fresh["error_after"]["period"]]
                    status = ("pass", "warn", "error")[len(expected) % 3]
                    age = {"pass": warn / 4, "warn": (warn + error) / 2, "error": error * 1.5}[status]
                    expected[uid] = status
                columns = [c["name"] for c in table["columns"]]
                tables.append({"schema": source["name"], "table": table["name"], "columns": columns, "age_hours": age})
    spec = {"db": str(folder / "dev.duckdb"), "tables": tables}
    subprocess.run([str(tools_python), "-c", _FILL_DB], input=json.dumps(spec), text=True, check=True, timeout=300)
    _dbt(run_tool, folder, "source", "freshness", expect_ok=False)
    results = json.loads((folder / "target" / "sources.json").read_text(encoding="utf-8"))["results"]
    built = _dbt(run_tool, folder, "build")
    return expected, {r["unique_id"]: r["status"] for r in results}, folder, built


def test_dbt_source_freshness_passes_warns_and_errors_as_the_thresholds_say(freshness_run):
    expected, statuses, _, _ = freshness_run
    assert set(expected.values()) == {"pass", "warn", "error"}
    assert {uid: statuses.get(uid) for uid in expected} == expected


def test_the_staging_models_the_seed_and_the_tests_build_on_the_loaded_tables(freshness_run):
    _, _, folder, _ = freshness_run
    results = json.loads((folder / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    built = {r["unique_id"].split(".")[0] for r in results if r["status"] in ("success", "pass")}
    assert {"model", "seed", "test"} <= built
    assert all(r["status"] in ("success", "pass") for r in results), [
        r for r in results if r["status"] not in ("success", "pass")
    ][:3]
    models = sum(1 for r in results if r["unique_id"].startswith("model."))
    assert models == len(list((folder / "models" / "staging").glob("*.sql")))


# ----------------------------------------------------------------------------- reading back
@pytest.mark.parametrize("which", ["demo", "hostile"])
def test_an_export_read_back_into_its_workshop_proposes_nothing(which: str, tmp_path: Path):
    ws = _workshop(which)
    export("dbt", ws, tmp_path / "dbt", options=ExportOptions(models=True))
    plan = plan_import("dbt", ws, tmp_path / "dbt")
    assert not plan.applicable, [(c.kind, c.ident, c.fills) for c in plan.applicable][:5]
    assert not [c for c in plan.changes if c.conflicts or c.kind in ("ambiguous", "skip")]
    assert plan.count("unchanged") >= sum(len(s.holds) for s in ws.systems)


def test_the_enterprise_round_trip_saves_the_same_bytes(tmp_path: Path):
    path = tmp_path / "enterprise.yaml"
    save(synthetic.generate("enterprise", 11), path)
    before = path.read_bytes()
    opened = open_workshop(path)
    ws = opened.workshop
    export("dbt", ws, tmp_path / "dbt")
    plan = plan_import("dbt", ws, tmp_path / "dbt")
    assert not plan.applicable and plan.count("unchanged") > 5000
    save(apply_plan(ws, plan), path, origin=opened.origin)
    assert path.read_bytes() == before


def test_a_second_export_writes_the_same_files_with_the_same_ids(tmp_path: Path):
    ws = assert_opens_clean(DEMO)
    export("dbt", ws, tmp_path, options=ExportOptions(models=True))
    first = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    export("dbt", ws, tmp_path, options=ExportOptions(models=True))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == first


def _demo_export(tmp_path: Path) -> tuple[m.Workshop, Path]:
    path = tmp_path / "workshop.yaml"
    shutil.copyfile(DEMO, path)
    ws = assert_opens_clean(path)
    export("dbt", ws, tmp_path / "dbt")
    return ws, tmp_path / "dbt"


def _edit(path: Path, edit: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _column(data: dict, table: str, column: str) -> dict:
    (source,) = data["sources"]
    t = next(t for t in source["tables"] if t["name"] == table)
    return next(c for c in t["columns"] if c["name"] == column)


def test_a_changed_description_is_a_conflict_and_applying_keeps_the_workshop_definition(tmp_path: Path):
    ws, folder = _demo_export(tmp_path)
    email = next(a for a in ws.attributes if a.id == "email")
    _edit(folder / "models" / "sources" / "webshop.yml",
          lambda d: _column(d, "Customer", "Email").update(description="Any address we once saw."))  # fmt: skip
    plan = plan_import("dbt", ws, folder / "models" / "sources" / "webshop.yml")
    (row,) = [c for c in plan.changes if c.section == "attributes" and c.conflicts]
    assert row.ident == "email" and row.source.file.endswith("webshop.yml") and row.source.row
    (conflict,) = row.conflicts
    assert (conflict.field, conflict.old, conflict.new) == ("definition", email.definition, "Any address we once saw.")
    after = apply_plan(ws, plan)
    assert next(a for a in after.attributes if a.id == "email").definition == email.definition


def test_an_added_owner_fills_and_a_changed_one_conflicts(tmp_path: Path):
    ws, folder = _demo_export(tmp_path)
    unowned = next(
        h.attribute
        for h in next(s for s in ws.systems if s.id == "webshop").holds
        if next(a for a in ws.attributes if a.id == h.attribute).owner is None
    )
    people = {p.id: p.name for p in ws.stakeholders}

    def edit(data: dict) -> None:
        (source,) = data["sources"]
        source["config"]["meta"]["owner"] = people["priya"]
        for table in source["tables"]:
            for col in table["columns"]:
                if col["config"]["meta"]["needsmap_id"] == unowned:
                    col["config"]["meta"]["owner"] = people["karin"]

    _edit(folder / "models" / "sources" / "webshop.yml", edit)
    plan = plan_import("dbt", ws, folder)
    fills = {(c.section, c.ident): c.fills for c in plan.changes if c.kind == "merge"}
    assert [(f.field, f.new) for f in fills[("attributes", unowned)]] == [("owner", "karin")]
    (system,) = [c for c in plan.changes if c.section == "systems" and c.conflicts]
    assert [(f.field, f.old, f.new) for f in system.conflicts] == [("owner", "tom", "priya")]
    after = apply_plan(ws, plan)
    assert next(s for s in after.systems if s.id == "webshop").owner == "tom"
    assert next(a for a in after.attributes if a.id == unowned).owner == "karin"


def test_a_changed_freshness_is_left_for_a_person_and_needs_never_change(tmp_path: Path):
    ws, folder = _demo_export(tmp_path)

    def edit(data: dict) -> None:
        (source,) = data["sources"]
        source["tables"][0]["config"]["freshness"]["warn_after"] = {"count": 12, "period": "hour"}

    _edit(folder / "models" / "sources" / "pos.yml", edit)
    plan = plan_import("dbt", ws, folder)
    (row,) = [c for c in plan.changes if c.kind == "ambiguous"]
    assert "warn after 12 hours" in row.message and "an import never changes needs" in row.message
    assert apply_plan(ws, plan).use_cases == ws.use_cases


def test_a_freshness_moved_up_to_the_source_is_read_as_dbt_inherits_it(tmp_path: Path):
    ws, folder = _demo_export(tmp_path)

    def edit(data: dict) -> None:
        (source,) = data["sources"]
        thresholds = [t["config"].pop("freshness") for t in source["tables"]]
        assert all(t == thresholds[0] for t in thresholds)  # both pos tables: realtime needs, 1 and 2 hours
        source["config"]["freshness"] = thresholds[0]

    _edit(folder / "models" / "sources" / "pos.yml", edit)
    plan = plan_import("dbt", ws, folder)
    assert not [c for c in plan.changes if c.kind == "ambiguous"]
    _edit(folder / "models" / "sources" / "pos.yml", lambda d: d["sources"][0]["config"].pop("freshness"))
    plan = plan_import("dbt", ws, folder)
    assert len([c for c in plan.changes if c.kind == "ambiguous" and "no freshness" in c.message]) == 2


def test_systems_whose_ids_meet_as_identifiers_get_a_source_each(tmp_path: Path):
    ws = assert_opens_clean(DEMO)
    pos = next(s for s in ws.systems if s.id == "pos")
    twins = [
        dataclasses.replace(pos, id="POS"),
        dataclasses.replace(pos, id="p-o-s"),
        dataclasses.replace(pos, id="p_o_s"),
    ]
    ws = dataclasses.replace(ws, systems=[*ws.systems, *twins])
    export("dbt", ws, tmp_path)
    names = sorted(p.stem for p in (tmp_path / "models" / "sources").glob("*.yml"))
    assert {"pos", "pos_2", "p_o_s", "p_o_s_2"} <= set(names) and len(names) == len(ws.systems)
    plan = plan_import("dbt", ws, tmp_path)
    assert not plan.applicable and not [c for c in plan.changes if c.kind == "ambiguous" or c.conflicts]


def test_a_renamed_column_changes_the_field_only_as_a_listed_conflict(tmp_path: Path):
    ws, folder = _demo_export(tmp_path)
    _edit(folder / "models" / "sources" / "pos.yml", lambda d: _column(d, "Receipt", "CardNumber").update(name="Card"))
    plan = plan_import("dbt", ws, folder)
    (row,) = [c for c in plan.changes if c.section == "holdings" and c.conflicts]
    assert row.ident == "pos/loyalty_number"
    assert [(f.field, f.old, f.new) for f in row.conflicts] == [("field", "Receipt.CardNumber", "Receipt.Card")]


def test_a_project_without_needsmap_ids_is_matched_by_name(tmp_path: Path):
    ws = assert_opens_clean(DEMO)
    sources = tmp_path / "sources.yml"
    sources.write_text(
        """version: 2
sources:
  - name: servicedesk
    meta: {owner: Lotte}
    tables:
      - name: Requester
        columns:
          - name: Email
            description: The e-mail address the customer gave us to be contacted on.
          - name: DateOfBirth
          - name: created_by
  - name: Zendesk Sunshine
    tables:
      - name: Subscriber
        columns:
          - name: EmailAddress
""",
        encoding="utf-8",
    )
    plan = plan_import("dbt", ws, sources)
    kinds = {(c.section, c.ident): c.kind for c in plan.changes}
    assert kinds[("holdings", "servicedesk/email")] == "unchanged"
    assert kinds[("holdings", "servicedesk/date_of_birth")] == "add"
    assert kinds[("systems", "zendesk-sunshine")] == "add"
    assert kinds[("holdings", "zendesk-sunshine/email")] == "add"
    assert any(c.kind == "skip" and "created_by" in c.message for c in plan.changes)
    added = next(c for c in plan.changes if c.ident == "servicedesk/date_of_birth").item
    assert added.holding.field == "Requester.DateOfBirth"
    (owner,) = [c for c in plan.changes if c.section == "systems" and c.conflicts]
    assert [(f.field, f.old, f.new) for f in owner.conflicts] == [("owner", "ahmed", "lotte")]


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("version: 2\nsources:\n  - name: pos\n    tables: [\n", ":5:1:", "fix the YAML"),
        ("version: 2\nsources:\n  name: pos\n", ":3:3:", "sources must be a list"),
        ("version: 2\nsources:\n  - name: pos\n    tables:\n      - columns: []\n", ":5:9:", "needs a name"),
        ("version: 2\nmodels: []\n", ":1:1:", "no `sources:`"),
    ],
)
def test_bad_input_gets_a_located_message(tmp_path: Path, text: str, where: str, says: str):
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as err:
        plan_import("dbt", assert_opens_clean(DEMO), path)
    assert str(err.value).startswith(f"{path}{where}") and says in str(err.value), str(err.value)


def test_the_command_line_reports_bad_input_without_a_traceback(tmp_path: Path, runner):
    from needsmap.cli.main import main

    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "x.yml").write_text("sources: {{ nope", encoding="utf-8")
    ws = tmp_path / "workshop.yaml"
    shutil.copyfile(DEMO, ws)
    result = runner.invoke(main, ["import", "dbt", str(tmp_path), str(ws)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert re.search(r"models/x\.yml:\d+:\d+: .*fix the YAML", result.output), result.output


# ----------------------------------------------------------------------------- what the writer guarantees
@pytest.mark.parametrize(
    "text",
    ["plain", "", " lead", "trail ", "yes", "null", "1.5", "- x", "a: b", "#c", "'q'", '"q"', "\\", "\t\n\r",
     "\x00\x07\x1b\x7f\x85\u2028\u2029\ufeff\ufffe", "😀 顧客 \u202e", JINJA, "{{", "{%", "{#", '{{ "{" }}', LONG],
)  # fmt: skip
def test_every_text_reads_back_as_written_and_renders_back_through_jinja(text: str):
    data = {"a": text, "b": [text, {"c": text}], text or "k": 1, "yes": True, "n": None, "f": 1e-05}
    assert yaml.load(dump(data), Loader=yaml.CSafeLoader) == data
    assert plain_text(jinja_text(text)) == text
    if "\r" not in text and not text.endswith("\n"):  # Jinja itself turns \r into \n and drops a last \n
        jinja2 = pytest.importorskip("jinja2")
        assert jinja2.Environment().from_string(jinja_text(text)).render() == text


@given(st.text(), st.text(min_size=1))
def test_any_text_reads_back_as_written(value: str, key: str):
    data = {"k": value, key: [value, {"v": value}]}
    assert yaml.load(dump(data, jinja_text), Loader=yaml.CSafeLoader) == {
        "k": jinja_text(value),
        key: [jinja_text(value), {"v": jinja_text(value)}],
    }
    assert plain_text(jinja_text(value)) == value
