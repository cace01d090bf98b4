"""ArchiMate Open Exchange: every export is well-formed XML in the exchange format's namespace and follows the
rules of The Open Group's schema (archimate3_Model.xsd: the order of a model's parts, element and relationship
types, unique XML IDs, every reference resolved, properties defined) and of ArchiMate's relationship table for
the relationships it writes. No XSD validator is installed, so the schema's rules are checked here one by one."""

from __future__ import annotations

import dataclasses
import functools
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET

import pytest

from needsmap.format import model as m
from needsmap.format.naming import item_name
from needsmap.interchange import archimate
from needsmap.interchange.base import ExportInput, ExportOptions
from tests.draft.conftest import hostile_workshop
from tests.interchange.conftest import workshop_by_name

NS = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: xs:NCName (what an xs:ID is), for the ASCII ids needsmap writes.
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
#: The schema's ElementTypeEnum and RelationshipTypeEnum (the part needsmap may use).
ELEMENT_TYPES = {"ApplicationComponent", "DataObject", "BusinessService"}
RELATIONSHIP_TYPES = {"Flow", "Access", "Association", "Serving"}
#: ArchiMate 3.1's relationship table (appendix B) for the relationships written: (type, source, target).
ALLOWED = {
    ("Flow", "ApplicationComponent", "ApplicationComponent"),
    ("Access", "ApplicationComponent", "DataObject"),
    ("Serving", "ApplicationComponent", "BusinessService"),
    *{("Association", s, t) for s in ELEMENT_TYPES for t in ELEMENT_TYPES},
}
#: ModelType's sequence: name+, documentation*, properties?, metadata?, elements?, relationships?, organizations*,
#: propertyDefinitions? (views come from the diagram schema and are not written).
MODEL_ORDER = ["name", "documentation", "properties", "metadata", "elements", "relationships", "organizations"]
MODEL_ORDER.append("propertyDefinitions")
CONCEPT_ORDER = ["name", "documentation", "properties"]


def glossary_hostile_workshop() -> m.Workshop:
    """The draft's hostile workshop with feeds and use cases that run in systems, and XML's own hostile text."""
    ws = hostile_workshop()
    crm, pos = ws.systems
    crm = dataclasses.replace(crm, feeds=[m.Feed(pos.id, ["select", "table"], "daily")], name="</name><x a='&'>")
    pos = dataclasses.replace(pos, feeds=[m.Feed(crm.id, ["select"])], name="]]> \x00 \x1b[31m nul")
    uc = dataclasses.replace(ws.use_cases[0], executes_in=[crm.id, pos.id], description="<!-- & -->")
    return dataclasses.replace(ws, systems=[crm, pos], use_cases=[uc])


def _workshop(name: str) -> m.Workshop:
    return workshop_by_name(name, glossary_hostile_workshop)


@pytest.fixture(scope="module")
def exported() -> dict[str, tuple[m.Workshop, str]]:
    out = {}
    for name in ("demo", "enterprise", "hostile"):
        ws = _workshop(name)
        out[name] = (ws, archimate.export(ExportInput(ws), ExportOptions())["landscape.xml"])
    return out


def _tag(node: ET.Element) -> str:
    assert node.tag.startswith(NS), node.tag
    return node.tag[len(NS) :]


def _in_order(children: list[ET.Element], order: list[str]) -> bool:
    positions = [order.index(_tag(c)) for c in children]
    return positions == sorted(positions)


def _props(node: ET.Element, names: dict[str, str]) -> dict[str, str]:
    out = {}
    for prop in node.iterfind(f"{NS}properties/{NS}property"):
        (value,) = prop.iterfind(f"{NS}value")
        out[names[prop.get("propertyDefinitionRef", "")]] = value.text or ""
    return out


@pytest.mark.parametrize("name", ["demo", "enterprise", "hostile"])
def test_the_model_follows_the_exchange_schema(name: str, exported):
    _, text = exported[name]
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    xml.dom.minidom.parseString(text.encode("utf-8"))  # well-formed for a second parser too
    root = ET.fromstring(text)
    assert _tag(root) == "model" and NCNAME.fullmatch(root.get("identifier", ""))
    children = list(root)
    assert _tag(children[0]) == "name" and children[0].get(LANG) == "en"
    assert _in_order(children, MODEL_ORDER)
    ids = [n.get("identifier") for n in root.iter() if n.get("identifier") is not None]
    assert len(ids) == len(set(ids)), "an xs:ID is used twice"
    assert all(NCNAME.fullmatch(i or "") for i in ids)
    definitions = {d.get("identifier"): d for d in root.iterfind(f"{NS}propertyDefinitions/{NS}propertyDefinition")}
    assert all(d.get("type") == "string" and d.find(f"{NS}name") is not None for d in definitions.values())
    for ref in (p.get("propertyDefinitionRef") for p in root.iter(f"{NS}property")):
        assert ref in definitions
    elements = {e.get("identifier"): e for e in root.iterfind(f"{NS}elements/{NS}element")}
    for e in elements.values():
        assert e.get(XSI_TYPE) in ELEMENT_TYPES
        assert _tag(e[0]) == "name" and _in_order(list(e), CONCEPT_ORDER)
    relationships = list(root.iterfind(f"{NS}relationships/{NS}relationship"))
    assert relationships
    for r in relationships:
        kind, source, target = r.get(XSI_TYPE), elements[r.get("source")], elements[r.get("target")]
        assert (kind, source.get(XSI_TYPE), target.get(XSI_TYPE)) in ALLOWED
        assert _in_order(list(r), CONCEPT_ORDER)


@pytest.mark.parametrize("name", ["demo", "enterprise", "hostile"])
def test_systems_attributes_use_cases_feeds_holdings_and_needs_are_all_there(name: str, exported):
    ws, text = exported[name]
    root = ET.fromstring(text)
    names = {
        d.get("identifier", ""): d.findtext(f"{NS}name") or ""
        for d in root.iterfind(f"{NS}propertyDefinitions/{NS}propertyDefinition")
    }
    by_id: dict[tuple[str, str], ET.Element] = {}
    for e in root.iterfind(f"{NS}elements/{NS}element"):
        props = _props(e, names)
        by_id[(props["needsmap_kind"], props["needsmap_id"])] = e
    expected = [("system", s.id, s) for s in ws.systems]
    expected += [("attribute", a.id, a) for a in ws.attributes]
    expected += [("use_case", uc.id, uc) for uc in ws.use_cases]
    assert len(by_id) == len(expected)
    for kind, ident, item in expected:
        e = by_id[(kind, ident)]
        assert e.get(XSI_TYPE) == archimate.ELEMENT_TYPES[kind]
        assert e.get("identifier") == archimate.element_id(kind, ident)
        assert e.findtext(f"{NS}name") == archimate.xml_text(item_name(item))
    pairs = {(r.get(XSI_TYPE), r.get("source"), r.get("target")) for r in root.iter(f"{NS}relationship")}
    sid, aid, uid = (functools.partial(archimate.element_id, kind) for kind in ("system", "attribute", "use_case"))
    for s in ws.systems:
        for f in s.feeds:
            assert ("Flow", sid(s.id), sid(f.to)) in pairs
        for h in s.holds:
            assert ("Access", sid(s.id), aid(h.attribute)) in pairs
    for uc in ws.use_cases:
        for need in uc.needs:
            assert ("Association", uid(uc.id), aid(need.attribute)) in pairs
        for runs_in in uc.executes_in:
            assert ("Serving", sid(runs_in), uid(uc.id)) in pairs


def test_hostile_text_is_escaped_and_what_xml_cannot_hold_is_shown_not_dropped(exported):
    ws, text = exported["hostile"]
    root = ET.fromstring(text)
    names = [e.findtext(f"{NS}name") for e in root.iter(f"{NS}element")]
    assert "</name><x a='&'>" in names
    assert "]]> \ufffd \ufffd[31m nul" in names
    assert "\x00" not in text and "\x1b" not in text
    assert any(d.text == "<!-- & -->" for d in root.iter(f"{NS}documentation"))
    flow = next(r for r in root.iter(f"{NS}relationship") if r.get(XSI_TYPE) == "Flow")
    assert flow.findtext(f"{NS}name") == "Select'; DROP TABLE canary; --, Table"


def test_a_second_export_is_the_same_file_and_identifiers_follow_ids_not_names():
    ws = _workshop("demo")
    first = archimate.export(ExportInput(ws), ExportOptions())["landscape.xml"]
    assert archimate.export(ExportInput(ws), ExportOptions())["landscape.xml"] == first
    systems = [dataclasses.replace(s, name="Renamed " + item_name(s)) for s in ws.systems]
    renamed = archimate.export(ExportInput(dataclasses.replace(ws, systems=systems)), ExportOptions())
    ids = re.compile(r'identifier="([^"]+)"')
    assert ids.findall(renamed["landscape.xml"]) == ids.findall(first)
