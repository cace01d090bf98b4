"""The DataHub business glossary: DataHub's own ``datahub-business-glossary`` ingestion source reads every export
(demo, enterprise, hostile names) into a file sink, and the terms, nodes, owners, custom properties and related
terms it emits are checked against the workshop; the import reads it back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from needsmap.format import model as m
from needsmap.format.naming import item_name
from needsmap.imports.plan import apply_plan
from needsmap.interchange import datahub_glossary as dh
from needsmap.interchange.base import ExportInput, ExportOptions, ReadError
from tests.draft.conftest import hostile_workshop
from tests.interchange.conftest import workshop_by_name

# -- a workshop whose names are built to break a glossary ----------------------------------------------
EXPANDS = "${HOME}"  # DataHub's loader expands environment variables in every string
LEADING_DOLLAR = "$HOME at the start"
FORMULA = '=HYPERLINK("http://x")'
LONG = "N" * 500


def glossary_hostile_workshop() -> m.Workshop:
    """The draft's hostile workshop, plus what a glossary meets: environment variables, urn reserved characters
    in owner ids, formulas, a 500-character name, two terms whose DataHub paths are the same, derived values."""
    ws = hostile_workshop()
    people = [
        *ws.stakeholders,
        m.Stakeholder("o'wner,(x)%", FORMULA),
        m.Stakeholder("dollar", LEADING_DOLLAR),
    ]
    attrs = list(ws.attributes)
    attrs[0] = dataclasses.replace(
        attrs[0], owner="o'wner,(x)%", synonyms=[EXPANDS, LEADING_DOLLAR, "{{ jinja }}", "</xml>", FORMULA, "a;b,c"]
    )
    attrs[1] = dataclasses.replace(attrs[1], owner="st-1", definition=f"{EXPANDS} and a \\ backslash, $$ and ${{}}")
    attrs[2] = dataclasses.replace(attrs[2], owner="dollar")
    attrs += [
        m.Attribute("long", LONG, entity="customer", type="string", definition=LONG),
        m.Attribute("dollar-name", LEADING_DOLLAR, entity=EXPANDS, type="string", definition="$PATH"),
        m.Attribute("path-1", "b.c", entity="a", type="string"),
        m.Attribute("path-2", "c", entity="a.b", type="string"),
        m.Attribute("formula", FORMULA, entity="customer", type="string", definition="-1+1"),
    ]
    crm = ws.systems[0]
    holds = [
        *crm.holds,
        m.Holding("long", role="derived", derived_from=["select", "table"]),
        m.Holding("formula", role="derived", derived_from=["path-1", "long"]),
    ]
    systems = [dataclasses.replace(crm, holds=holds), *ws.systems[1:]]
    return dataclasses.replace(ws, stakeholders=people, attributes=attrs, systems=systems)


WORKSHOPS = ("demo", "enterprise", "hostile")


def _workshop(name: str) -> m.Workshop:
    return workshop_by_name(name, glossary_hostile_workshop)


def _text(ws: m.Workshop) -> str:
    return dh.export(ExportInput(ws), ExportOptions())["glossary.yaml"]


@dataclasses.dataclass
class Ingested:
    """What DataHub's business-glossary source emitted for one workshop's export."""

    workshop: m.Workshop
    file: Path
    terms: dict[str, dict]  # urn -> {"info": GlossaryTermInfo, "owners": [...], "related": GlossaryRelatedTerms}
    nodes: dict[str, dict]
    report: str


def _aspects(snapshot: dict) -> dict[str, dict]:
    return {name.rsplit(".", 1)[-1]: value for aspect in snapshot["aspects"] for name, value in aspect.items()}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, run_tool) -> dict[str, Ingested]:
    """Each workshop exported and ingested once by ``datahub ingest`` (business-glossary source, file sink)."""
    out = {}
    for name in WORKSHOPS:
        folder = tmp_path_factory.mktemp(f"datahub-{name}")
        ws = _workshop(name)
        file = folder / "glossary.yaml"
        file.write_text(_text(ws), encoding="utf-8")
        recipe = {
            "source": {"type": "datahub-business-glossary", "config": {"file": str(file)}},
            "sink": {"type": "file", "config": {"filename": str(folder / "emitted.json")}},
        }
        (folder / "recipe.yml").write_text(yaml.safe_dump(recipe), encoding="utf-8")
        result = run_tool("datahub", "ingest", "-c", "recipe.yml", cwd=folder, env={"PYTHONUTF8": "1"})
        terms, nodes = {}, {}
        for record in json.loads((folder / "emitted.json").read_text(encoding="utf-8")):
            snapshot = record.get("proposedSnapshot")
            if not snapshot:
                continue
            ((kind, body),) = snapshot.items()
            aspects = _aspects(body)
            owners = [(o["owner"], o["type"]) for o in aspects.get("Ownership", {}).get("owners", [])]
            if kind.endswith("GlossaryTermSnapshot"):
                terms[body["urn"]] = {
                    "info": aspects["GlossaryTermInfo"],
                    "owners": owners,
                    "related": aspects.get("GlossaryRelatedTerms"),
                }
            elif kind.endswith("GlossaryNodeSnapshot"):
                nodes[body["urn"]] = {"info": aspects["GlossaryNodeInfo"], "owners": owners}
        out[name] = Ingested(ws, file, terms, nodes, result.stdout + result.stderr)
    return out


def _term_urn(attribute_id: str) -> str:
    return "urn:li:glossaryTerm:" + dh.term_id(attribute_id)


def _node_urn(entity: str) -> str:
    return "urn:li:glossaryNode:" + dh.node_id(entity)


def _user_urn(ident: str) -> str:
    """DataHub's user urn of a name: its reserved characters percent-encoded (DataHub's own rule)."""
    encoded = "".join({",": "%2C", "(": "%28", ")": "%29"}.get(c, c) for c in ident)
    return "urn:li:corpuser:" + encoded


# -- what DataHub's own source emits --------------------------------------------------------------------
@pytest.mark.parametrize("name", WORKSHOPS)
def test_datahub_ingests_a_term_per_attribute_under_a_node_per_entity(name: str, ingested):
    got = ingested[name]
    ws = got.workshop
    assert "Pipeline finished successfully" in got.report, got.report[-2000:]
    assert len(got.terms) == len(ws.attributes)
    entities = {a.effective_entity for a in ws.attributes}
    assert set(got.nodes) == {_node_urn(e) for e in entities}
    for e in entities:
        node = got.nodes[_node_urn(e)]["info"]
        assert node["name"] == e
        assert node["customProperties"]["needsmap_id"] == e
    for a in ws.attributes:
        info = got.terms[_term_urn(a.id)]["info"]
        assert info["name"] == item_name(a)
        assert info["definition"] == (a.definition or "")
        assert info["parentNode"] == _node_urn(a.effective_entity)
        assert info["customProperties"]["needsmap_id"] == a.id
        assert info["customProperties"]["needsmap_kind"] == "attribute"
        assert info["termSource"] == "INTERNAL"


@pytest.mark.parametrize("name", WORKSHOPS)
def test_an_attributes_owner_is_its_terms_business_owner(name: str, ingested):
    got = ingested[name]
    owned = 0
    for a in got.workshop.attributes:
        owners = got.terms[_term_urn(a.id)]["owners"]
        if a.owner:
            owned += 1
            assert owners == [(_user_urn(a.owner), "BUSINESS_OWNER")]
        else:
            assert owners == []
    assert owned


def test_custom_properties_say_who_needs_it_how_sensitive_it_is_and_where_it_lives(ingested):
    got = ingested["demo"]
    ws = got.workshop
    systems = {s.id: item_name(s) for s in ws.systems}
    checked = 0
    for a in ws.attributes:
        props = got.terms[_term_urn(a.id)]["info"]["customProperties"]
        needed_by = [item_name(uc) for uc in ws.use_cases for n in uc.needs if n.attribute == a.id]
        assert json.loads(props.get("needed_by", "[]")) == needed_by
        assert props["sensitivity"] == a.effective_sensitivity
        held = list(dict.fromkeys(systems[s.id] for s in ws.systems for h in s.holds if h.attribute == a.id))
        assert json.loads(props.get("systems", "[]")) == held
        assert json.loads(props.get("synonyms", "[]")) == a.synonyms
        if a.values:
            assert json.loads(props["values"]) == a.values
        checked += bool(needed_by and held and a.synonyms)
    assert checked >= 3


def test_related_terms_are_the_attributes_a_value_is_derived_from(ingested):
    got = ingested["hostile"]
    related = got.terms[_term_urn("long")]["related"]
    assert related["relatedTerms"] == [_term_urn("select"), _term_urn("table")]
    # 'path-1' (node "a", term "b.c") and 'path-2' (node "a.b", term "c") share DataHub's path "a.b.c":
    # a related term by that path would point at either, so it is left out rather than guessed
    formula = got.terms[_term_urn("formula")]["related"]
    assert formula["relatedTerms"] == [_term_urn("long")]


def test_hostile_text_arrives_as_written_and_every_id_is_a_valid_distinct_urn(ingested):
    got = ingested["hostile"]
    props = got.terms[_term_urn("select")]["info"]["customProperties"]
    assert json.loads(props["synonyms"])[:2] == [EXPANDS, LEADING_DOLLAR]  # not the value of $HOME
    assert got.terms[_term_urn("dollar-name")]["info"]["name"] == LEADING_DOLLAR
    assert got.terms[_term_urn("dollar-name")]["info"]["definition"] == "$PATH"
    assert got.nodes[_node_urn(EXPANDS)]["info"]["name"] == EXPANDS
    assert got.terms[_term_urn("long")]["info"]["name"] == LONG
    urns = [*got.terms, *got.nodes]
    assert len(set(urns)) == len(urns) == len(got.workshop.attributes) + len(got.nodes)
    for urn in urns:
        ident = urn.split(":", 3)[3]
        assert ident.isascii() and not set(ident) & set(",()%\u241f \n'\"$"), urn
        assert len(ident) <= 120


# -- the file itself --------------------------------------------------------------------------------
def test_a_second_export_is_the_same_file_and_a_renamed_attribute_keeps_its_term():
    ws = _workshop("demo")
    first = _text(ws)
    assert _text(ws) == first
    attrs = [dataclasses.replace(a, name="Renamed " + a.name) if a.id == "email" else a for a in ws.attributes]
    renamed = yaml.safe_load(_text(dataclasses.replace(ws, attributes=attrs)))
    ids = {t["id"]: t["name"] for n in renamed["nodes"] for t in n["terms"]}
    assert ids[dh.term_id("email")].startswith("Renamed ")
    assert set(ids) == {t["id"] for n in yaml.safe_load(first)["nodes"] for t in n["terms"]}


def test_environment_variables_in_workshop_text_are_escaped_and_read_back():
    for text in (EXPANDS, LEADING_DOLLAR, "$", "a $b ${c} \\$ \\\\", "${x", "plain", "\\${HOME}", "$${HOME}"):
        written = dh.datahub_literal(text)
        assert dh.from_datahub_literal(written) == text
        if "${" not in text and not text.startswith("$"):
            assert written == text  # text DataHub leaves alone is written as it is


# -- import -----------------------------------------------------------------------------------------
def _plan(ws: m.Workshop, text: str, tmp_path: Path):
    file = tmp_path / "glossary.yaml"
    file.write_text(text, encoding="utf-8")
    return dh.read(ws, file)


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_importing_an_export_into_its_workshop_proposes_nothing(name: str, tmp_path: Path):
    ws = _workshop(name)
    plan = _plan(ws, _text(ws), tmp_path)
    assert not plan.applicable, [(c.kind, c.ident, c.fills) for c in plan.applicable][:5]
    assert not [c for c in plan.changes if c.conflicts or c.kind == "ambiguous"]
    assert plan.count("unchanged") == len(ws.attributes)


def test_import_fills_what_the_workshop_lacks_and_lists_what_differs(tmp_path: Path):
    ws = _workshop("demo")
    doc = yaml.safe_load(_text(ws))
    terms = {t["custom_properties"]["needsmap_id"]: t for n in doc["nodes"] for t in n["terms"]}
    terms["email"]["description"] = "Edited in DataHub"
    terms["email"]["custom_properties"]["synonyms"] = json.dumps(["e-mail", "mail address"])
    terms["email"]["owners"] = {"type": "BUSINESS_OWNER", "users": ["urn:li:corpuser:noor"]}
    unowned = next(a for a in ws.attributes if not a.owner)
    terms[unowned.id]["owners"] = {"users": ["sanne"]}
    del terms[unowned.id]["custom_properties"]["needsmap_id"]  # matched by name instead
    plan = _plan(ws, yaml.safe_dump(doc, allow_unicode=True), tmp_path)
    email = next(c for c in plan.changes if c.ident == "email")
    assert {(c.field, c.new) for c in email.conflicts} == {("definition", "Edited in DataHub"), ("owner", "noor")}
    assert [(f.field, f.new) for f in email.fills] == [("synonyms", ["mail address"])]
    filled = next(c for c in plan.changes if c.ident == unowned.id)
    assert [(f.field, f.new) for f in filled.fills] == [("owner", "sanne")]
    after = {a.id: a for a in apply_plan(ws, plan).attributes}
    before = {a.id: a for a in ws.attributes}
    assert after["email"].definition == before["email"].definition
    assert after["email"].owner == before["email"].owner
    assert after["email"].synonyms == [*before["email"].synonyms, "mail address"]
    assert after[unowned.id].owner == "sanne"


def test_a_new_term_is_proposed_as_an_attribute_and_an_unknown_owner_is_left_to_a_person(tmp_path: Path):
    ws = _workshop("demo")
    glossary = {
        "version": 1,
        "source": "DataHub",
        "owners": {"users": ["datahub"]},
        "nodes": [
            {
                "name": "Loyalty",
                "description": "",
                "terms": [
                    {
                        "name": "Sauna temperature",
                        "description": "How hot they like it.",
                        "owners": {"users": ["nobody-we-know"]},
                    }
                ],
            }
        ],
    }
    plan = _plan(ws, yaml.safe_dump(glossary), tmp_path)
    (added,) = [c for c in plan.changes if c.kind == "add"]
    assert (added.item.name, added.item.entity, added.item.definition, added.item.owner) == (
        "Sauna temperature",
        "Loyalty",
        "How hot they like it.",
        None,
    )
    (doubt,) = [c for c in plan.changes if c.kind == "ambiguous"]
    assert "nobody-we-know" in doubt.message and "not a stakeholder" in doubt.message


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("version: 1\nnodes:\n  - name: [unclosed\n", ":4:1: ", "not valid YAML"),
        ("version: 1\nnodes:\n  - name: A\n    terms:\n      - description: no name\n", ":5:9: ", "without a name"),
        ("just text\n", ":1:1: ", "should be a mapping"),
        ("version: 1\nowners: {}\n", ":1:1: ", "not a DataHub business glossary"),
        ("version: 1\nterms: {a: 1}\n", ":2:8: ", "should be a list"),
        ("", ":1:1: ", "empty"),
    ],
)
def test_bad_input_is_a_located_message(text: str, where: str, says: str, tmp_path: Path):
    file = tmp_path / "glossary.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as exc:
        dh.read(_workshop("demo"), file)
    assert f"glossary.yaml{where}" in str(exc.value) and says in str(exc.value), str(exc.value)


def test_an_alias_bomb_is_refused_not_expanded(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(dh, "MAX_NODES", 10_000)
    lines = ["t: &t {name: t, description: d}", "n0: &n0 {name: n, description: d, terms: [*t, *t, *t, *t, *t]}"]
    lines += [
        f"n{i}: &n{i} {{name: n, description: d, nodes: [*n{i - 1}, *n{i - 1}, *n{i - 1}]}}" for i in range(1, 30)
    ]
    lines.append("nodes: [*n29]")
    file = tmp_path / "bomb.yaml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match="more than 10,000 values"):
        dh.read(_workshop("demo"), file)
