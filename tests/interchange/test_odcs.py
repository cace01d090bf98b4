"""ODCS data contracts: every contract passes the standard's own JSON schema and ``datacontract lint``, hostile names
included, for the demo, the enterprise workshop and a hostile one, per entity and per system; they read back
without changing anything, and an edit made in a contract is shown, never written over the workshop.

The tools are slow to start, so each workshop is exported once per module and each contract linted once.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from needsmap.catalog.entries import load_catalog
from needsmap.format import model as m
from needsmap.format.saver import save
from needsmap.imports.plan import apply_plan
from needsmap.interchange import odcs
from needsmap.interchange.base import ID_KEY, KIND_KEY, ExportInput, ExportOptions, ReadError
from needsmap.interchange.registry import export, plan_import
from needsmap.interchange.yaml_writer import dump
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO, assert_opens_clean
from tests.draft.conftest import hostile_workshop

JINJA = "{{ run_query('drop table canary') }} {% set x = 1 %}"
LONG = "Long name " + "ä" * 490
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Runs `datacontract lint FILE` for each file in one process (the CLI's own command, as its console script runs
#: it): the enterprise's 132 contracts would take minutes of start-up as separate processes.
LINT_ALL = """
import sys
from typer.testing import CliRunner
from datacontract.cli import app
runner = CliRunner()
failed = []
for f in sys.argv[1:]:
    r = runner.invoke(app, ["lint", f])
    if r.exit_code != 0 or "Data contract is valid against ODCS" not in r.output:
        failed.append(f + "\\n" + r.output[-2000:])
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def hostile() -> m.Workshop:
    """The draft tests' hostile workshop, plus Jinja, XML, spreadsheet formulas, 500-character names, YAML's own
    words and a system whose id is no identifier anywhere."""
    ws = hostile_workshop()
    person = m.Stakeholder("st-2", "{{ owner }} </xml> =cmd|' /C calc'!A0\nsecond line")
    extra = [
        m.Attribute("jinja", JINJA, type="string", definition=JINJA + "\n</xml>\n  indented\n", owner="st-2"),
        m.Attribute("formula", '=HYPERLINK("http://x")', type="enum", values=["yes", "no", "null", "1.5", "~"]),
        m.Attribute("l" * 500, LONG, type="date", definition=LONG, identifier=True, synonyms=["no", "- item"]),
        m.Attribute("yes", "yes", entity="null", type="phone", definition="\ufeff\x85\u2029\x7f\x1b tail "),
    ]
    system = m.System(
        "{{ sys }}",
        JINJA,
        kind="</xml>",
        owner="st-2",
        holds=[
            m.Holding("jinja", field="{{ t }}.{% c %}", role="master", freshness="daily", coverage=1.0),
            m.Holding("formula", field="=Sheet.=A1", quality=2, coverage=0.25, definition="their own: 'x'"),
            m.Holding("l" * 500, field=f"{LONG}.{LONG}", role="master"),
            m.Holding("yes", field="true"),
        ],
    )
    uc = m.UseCase("uc-2", JINJA, owner="st-2", needs=[m.Need(a.id, "must", "hourly") for a in extra])
    return dataclasses.replace(
        ws,
        workshop=m.WorkshopInfo(name="{{ project }} </xml>", organization="=cmd"),
        stakeholders=[*ws.stakeholders, person],
        attributes=[*ws.attributes, *extra],
        systems=[*ws.systems, system],
        use_cases=[*ws.use_cases, uc],
    )


WORKSHOPS = ("demo", "enterprise", "hostile")
CASES = [(name, mode) for name in WORKSHOPS for mode in ("entity", "system")]


@pytest.fixture(scope="module")
def workshops() -> dict[str, m.Workshop]:
    return {
        "demo": assert_opens_clean(DEMO),
        "enterprise": synthetic.generate("enterprise", 11),
        "hostile": hostile(),
    }


@pytest.fixture(scope="module")
def exported(workshops, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Each workshop exported once per mode, into its own folder."""
    root = tmp_path_factory.mktemp("odcs")
    out = {}
    for name, mode in CASES:
        folder = root / f"{name}-{mode}"
        export("odcs", workshops[name], folder, options=ExportOptions(per_system=mode == "system"))
        out[(name, mode)] = folder
    return out


@pytest.fixture(scope="module")
def odcs_schema(tools_python: Path) -> dict:
    """The JSON schema the open-data-contract-standard package ships (in the tools' venv)."""
    where = subprocess.run(
        [
            str(tools_python),
            "-c",
            "import importlib.resources as r; print(r.files('open_data_contract_standard') / 'schema.json')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return json.loads(Path(where).read_text(encoding="utf-8"))


def _contracts(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.odcs.yaml"))
    assert files, f"no contracts in {folder}"
    return files


# -- the standard's own tools ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "mode"), CASES)
def test_every_contract_validates_against_the_standards_own_json_schema(name, mode, exported, odcs_schema):
    validator = jsonschema.Draft202012Validator(odcs_schema)
    assert odcs.API_VERSION in odcs_schema["properties"]["apiVersion"]["enum"]
    for file in _contracts(exported[(name, mode)]):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]
        assert not errors, (file.name, errors[:5])
        assert data["apiVersion"] == odcs.API_VERSION and data["kind"] == "DataContract"


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_datacontract_lint_passes_every_contract(name, exported, run_tool):
    """``datacontract lint FILE``, as its users run it, one process per contract."""
    for mode in ("entity", "system"):
        for file in _contracts(exported[(name, mode)]):
            result = run_tool("datacontract", "lint", str(file), cwd=file.parent)
            assert "Data contract is valid against ODCS v3.2.0" in result.stdout, result.stdout[-2000:]


@pytest.mark.parametrize("mode", ["entity", "system"])
def test_datacontract_lint_passes_every_contract_of_the_enterprise(mode, exported, tools_python):
    folder = exported[("enterprise", mode)]
    files = _contracts(folder)
    result = subprocess.run(
        [str(tools_python), "-c", LINT_ALL, *map(str, files)],
        cwd=folder,
        env={"HOME": str(folder), "DO_NOT_TRACK": "1", "NO_COLOR": "1", "TERM": "dumb", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, (result.stdout[-4000:], result.stderr[-4000:])


# -- what the contracts say -----------------------------------------------------------------------------------------
def _load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)


def _custom(node: dict) -> dict:
    return {c["property"]: c["value"] for c in node.get("customProperties", ())}


def _attribute_properties(folder: Path) -> dict[str, dict]:
    out = {}
    for file in _contracts(folder):
        for obj in _load(file)["schema"]:
            for prop in obj["properties"]:
                cp = _custom(prop)
                if cp.get(KIND_KEY) == "attribute":
                    out.setdefault(cp[ID_KEY], prop)
    return out


def test_a_demo_contract_carries_the_workshops_knowledge_of_each_attribute(workshops, exported):
    ws = workshops["demo"]
    props = _attribute_properties(exported[("demo", "entity")])
    assert set(props) == {a.id for a in ws.attributes}, "every attribute is in one contract"
    email = props["email"]
    cp = _custom(email)
    attr = next(a for a in ws.attributes if a.id == "email")
    assert email["businessName"] == attr.name
    assert email["logicalType"] == "string" and email["logicalTypeOptions"]["format"] == "email"
    assert email["classification"] == "confidential"
    assert email["criticalDataElement"] is True
    assert cp["needsmapType"] == "email"
    assert "welcome-journey" in cp["useCases"] and cp["neededBy"]
    assert {s["system"] for s in cp["sources"]} == {
        s.id for s in ws.systems if any(h.attribute == "email" for h in s.holds)
    }
    assert [q["metric"] for q in email["quality"] if q["type"] == "library"] == ["nullValues"]
    assert email["description"] == attr.definition
    assert cp["dataOwnerId"] == attr.owner
    customer = _load(exported[("demo", "entity")] / "customer.odcs.yaml")
    members = {mb["username"]: mb for mb in customer["team"]["members"]}
    assert "data owner" in members["sanne"]["role"]
    latency = {s["id"]: s for s in customer["slaProperties"]}
    assert latency["latency-1d"]["value"] == 1 and latency["latency-1d"]["unit"] == "d"
    assert "customer.first_name" in latency["latency-1d"]["element"]
    assert "Welcome journey for new Haven Club members" in customer["description"]["purpose"]


def test_an_attribute_no_use_case_needs_is_listed_beside_the_drafted_tables(workshops, exported):
    ws = workshops["demo"]
    needed = {n.attribute for uc in ws.use_cases for n in uc.needs}
    unneeded = [a.id for a in ws.attributes if a.id not in needed and a.effective_entity == "customer"]
    assert unneeded
    customer = _load(exported[("demo", "entity")] / "customer.odcs.yaml")
    extra = next(o for o in customer["schema"] if o["name"] == odcs.NOT_NEEDED_OBJECT)
    assert [p["name"] for p in extra["properties"]] == unneeded
    assert "physicalType" not in extra


def test_hostile_names_come_back_exactly_from_every_contract(workshops, exported):
    ws = workshops["hostile"]
    for mode in ("entity", "system"):
        props = _attribute_properties(exported[("hostile", mode)])
        for a in ws.attributes:
            if mode == "system" and not any(h.attribute == a.id for s in ws.systems for h in s.holds):
                continue
            prop = props[a.id]
            assert prop.get("description") == a.definition, a.id
            assert prop.get("businessName", a.id) == (a.name or a.id)
    names = [p.name for p in _contracts(exported[("hostile", "entity")])]
    assert all(n.isascii() and " " not in n and len(n) < 120 for n in names), names


_SCALARS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)


@given(
    st.recursive(
        _SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=12,
    )
)
def test_the_yaml_writer_writes_what_yaml_reads_back(value):
    data = {"value": value, "text": value if isinstance(value, str) else "x"}
    assert yaml.safe_load(dump(data)) == data


# -- reading back ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "mode"), [c for c in CASES if c != ("enterprise", "system")])
def test_importing_an_export_into_its_own_workshop_changes_nothing(name, mode, workshops, exported, tmp_path):
    ws = workshops[name]
    path = tmp_path / "workshop.yaml"
    save(ws, path)
    before = path.read_bytes()
    plan = plan_import("odcs", ws, exported[(name, mode)])
    assert not plan.applicable, [(c.kind, c.ident, c.message) for c in plan.applicable][:10]
    assert not [c for c in plan.changes if c.conflicts or c.kind in ("ambiguous", "skip")]
    assert plan.count("unchanged") >= len(
        [h for s in ws.systems for h in s.holds] if mode == "system" else ws.attributes
    )
    again = tmp_path / "again.yaml"
    save(apply_plan(ws, plan), again)
    assert again.read_bytes() == before


def test_a_contract_per_system_reads_back_the_holdings_a_copy_lost(workshops, exported):
    ws = workshops["demo"]
    crm = next(s for s in ws.systems if len(s.holds) > 3)
    lost = dataclasses.replace(
        ws, systems=[dataclasses.replace(s, holds=s.holds[:1]) if s is crm else s for s in ws.systems]
    )
    plan = plan_import("odcs", lost, exported[("demo", "system")])
    added = {c.ident for c in plan.applicable if c.section == "holdings"}
    assert added == {f"{crm.id}/{h.attribute}" for h in crm.holds[1:]}
    restored = apply_plan(lost, plan)
    assert next(s for s in restored.systems if s.id == crm.id).holds == crm.holds


def test_an_edited_contract_is_a_conflict_or_a_fill_never_an_overwrite(workshops, tmp_path):
    ws = workshops["demo"]
    folder = tmp_path / "contracts"
    export("odcs", ws, folder)
    customer = folder / "customer.odcs.yaml"
    data = _load(customer)
    props = {p["name"]: p for p in data["schema"][0]["properties"]}
    first = props["first_name"]
    first["description"] = "Edited in the catalog: the given name."
    unowned = next(
        p for p in props.values() if _custom(p).get(KIND_KEY) == "attribute" and "dataOwner" not in _custom(p)
    )
    unowned["customProperties"].append({"property": "dataOwner", "value": "Noor Hamdi"})
    newcomer = {"username": "jdoe", "name": "Jane Doe", "role": "data steward"}
    data["team"]["members"].append(newcomer)
    customer.write_text(dump(data), encoding="utf-8")

    plan = plan_import("odcs", ws, folder)
    by_id = {(c.section, c.ident): c for c in plan.changes}
    edited = by_id[("attributes", "first_name")]
    assert [(f.field, f.new) for f in edited.conflicts] == [("definition", "Edited in the catalog: the given name.")]
    owner_id = _custom(unowned)[ID_KEY]
    assert [(f.field, f.new) for f in by_id[("attributes", owner_id)].fills] == [("owner", "noor")]
    added = [c for c in plan.changes if c.kind == "add"]
    assert [(c.section, c.label) for c in added] == [("stakeholders", "Jane Doe")]

    after = apply_plan(ws, plan)
    attrs = {a.id: a for a in after.attributes}
    assert attrs["first_name"].definition == next(a.definition for a in ws.attributes if a.id == "first_name")
    assert attrs[owner_id].owner == "noor"
    out = tmp_path / "after.yaml"
    save(after, out)
    assert_opens_clean(out)


def test_a_property_the_workshop_lacks_is_proposed_as_an_attribute(workshops, tmp_path):
    ws = workshops["demo"]
    folder = tmp_path / "contracts"
    export("odcs", ws, folder)
    path = folder / "customer.odcs.yaml"
    data = _load(path)
    data["schema"][0]["properties"].append(
        {"name": "pet_count", "businessName": "Pets at home", "logicalType": "integer", "description": "How many pets."}
    )
    path.write_text(dump(data), encoding="utf-8")
    plan = plan_import("odcs", ws, path)
    (add,) = plan.applicable
    assert (add.kind, add.section, add.ident) == ("add", "attributes", "pets_at_home")
    assert (add.item.type, add.item.definition, add.item.entity) == ("integer", "How many pets.", "customer")


def test_a_second_export_writes_the_same_files_with_the_same_ids(workshops, tmp_path):
    for mode in ("entity", "system"):
        folder = tmp_path / mode
        options = ExportOptions(per_system=mode == "system")
        export("odcs", workshops["hostile"], folder, options=options)
        first = {p.name: p.read_bytes() for p in folder.iterdir()}
        export("odcs", workshops["hostile"], folder, options=options)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
        ids = [_load(folder / n)["id"] for n in sorted(first)]
        assert len(set(ids)) == len(ids)


def test_bad_input_is_located_and_never_a_traceback(workshops, tmp_path):
    ws = workshops["demo"]
    broken = tmp_path / "broken.odcs.yaml"
    broken.write_text("apiVersion: v3.2.0\nkind: DataContract\nschema:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"broken\.odcs\.yaml:\d+:\d+: not valid YAML"):
        plan_import("odcs", ws, broken)
    other = tmp_path / "other.yaml"
    other.write_text("version: 2\nsources: []\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"other\.yaml:1:1: not an ODCS data contract"):
        plan_import("odcs", ws, other)
    with pytest.raises(ReadError, match="no .yaml or .yml files"):
        (tmp_path / "empty").mkdir()
        plan_import("odcs", ws, tmp_path / "empty")


def test_the_enterprise_exports_well_under_a_second(workshops):
    inp = ExportInput(workshops["enterprise"])
    inp.draft, inp.facts  # noqa: B018 (computed once, shared by every format)
    load_catalog()  # read once per process, by whichever format asks first
    started = time.process_time()
    files = odcs.export(inp, ExportOptions())
    spent = time.process_time() - started
    assert len(files) >= 10
    assert spent < 1.0, f"{spent:.2f} s of CPU"


def test_a_single_contract_file_reads_back(workshops, exported, tmp_path):
    one = tmp_path / "one.odcs.yaml"
    shutil.copyfile(exported[("demo", "entity")] / "customer.odcs.yaml", one)
    plan = plan_import("odcs", workshops["demo"], one)
    assert plan.count("unchanged") > 10 and not plan.applicable
