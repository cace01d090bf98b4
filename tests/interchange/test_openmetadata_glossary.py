"""The OpenMetadata glossary CSV: the header exactly as OpenMetadata documents it, RFC 4180 quoting that Python's
csv reads back to the same values, spreadsheet formulas neutralised, names OpenMetadata takes, and the import."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest

from needsmap.format import model as m
from needsmap.format.naming import item_name
from needsmap.imports.plan import apply_plan
from needsmap.interchange import datahub_glossary
from needsmap.interchange import openmetadata_glossary as om
from needsmap.interchange.base import ExportInput, ExportOptions, ReadError
from tests.draft.conftest import hostile_workshop
from tests.interchange.conftest import workshop_by_name

#: The header of OpenMetadata's glossary CSV (1.5, 1.6), from its json/data/glossary/glossaryCsvDocumentation.json:
#: each header's name, with ``*`` after the required one.
DOCUMENTED_HEADER = "parent,name*,displayName,description,synonyms,relatedTerms,references,tags,reviewers,owner,glossaryStatus,extension"
FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "'=already quoted", "''+x"]


def glossary_hostile_workshop() -> m.Workshop:
    """The draft's hostile workshop, plus what a spreadsheet and a catalog meet: formulas in every kind of field,
    separators inside list elements, a 500-character name, ids with dots and quotes, derived values."""
    ws = hostile_workshop()
    people = [*ws.stakeholders, m.Stakeholder("=cmd", "@evil"), m.Stakeholder("semi;colon", "Semi")]
    attrs = list(ws.attributes)
    attrs[0] = dataclasses.replace(attrs[0], owner="=cmd", synonyms=[*FORMULAS[:3], 'a;b,c "q"', "line\nbreak"])
    attrs[1] = dataclasses.replace(attrs[1], owner="semi;colon")
    attrs += [
        m.Attribute(f"formula-{i}", text, entity=text, type="string", definition=text)
        for i, text in enumerate(FORMULAS)
    ]
    attrs.append(m.Attribute("long", "N" * 500, entity="customer", type="string", definition="L" * 5000))
    crm = ws.systems[0]
    holds = [*crm.holds, m.Holding("long", role="derived", derived_from=["Order.Date-1", "select"])]
    systems = [dataclasses.replace(crm, holds=holds), *ws.systems[1:]]
    return dataclasses.replace(ws, stakeholders=people, attributes=attrs, systems=systems)


def _workshop(name: str) -> m.Workshop:
    return workshop_by_name(name, glossary_hostile_workshop)


def _text(ws: m.Workshop) -> str:
    return om.export(ExportInput(ws), ExportOptions())["glossary.csv"]


@pytest.fixture(scope="module")
def exported() -> dict[str, tuple[m.Workshop, str]]:
    return {name: (ws := _workshop(name), _text(ws)) for name in ("demo", "enterprise", "hostile")}


def _records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), strict=True))


def _by_name(text: str) -> dict[str, dict[str, str]]:
    """The attributes' rows (not the entities'), by term name."""
    records = _records(text)
    header = records[0]
    rows = [dict(zip(header, map(om.uncell, r), strict=True)) for r in records[1:]]
    return {row["name*"]: row for row in rows if row["parent"]}


# -- the file -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["demo", "enterprise", "hostile"])
def test_the_header_is_openmetadatas_and_every_record_has_its_columns(name: str, exported):
    _, text = exported[name]
    assert text.split("\r\n", 1)[0] == DOCUMENTED_HEADER
    assert ",".join(om.HEADER) == DOCUMENTED_HEADER
    assert text.endswith("\r\n")
    records = _records(text)
    assert all(len(r) == len(om.HEADER) for r in records)


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_python_csv_reads_back_every_value_as_written(name: str, exported):
    ws, text = exported[name]
    rows = _by_name(text)
    for a in ws.attributes:
        row = rows[om.term_name(a.id)]
        assert row["displayName"] == item_name(a)
        assert row["description"] == (a.definition or "")
        assert om.split_list(row["synonyms"]) == a.synonyms
        assert row["extension"] == om.field_list([f"needsmap_id:{a.id}", "needsmap_kind:attribute"])
        assert row["tags"] == om.PII_TAGS[a.effective_sensitivity]
        assert row["owner"] == (om.field_list([f"user:{a.owner}"]) if a.owner else "")
        assert row["glossaryStatus"] == ("Approved" if a.definition and a.owner else "Draft")


def test_quoting_is_rfc_4180(exported):
    _, text = exported["hostile"]
    # a field with a comma, quote or line break is quoted and its quotes doubled; no other escape is used
    rewritten = io.StringIO()
    csv.writer(rewritten, lineterminator="\r\n").writerows(_records(text))
    assert rewritten.getvalue() == text  # quoted only where a field needs it, CRLF between records
    rows = _by_name(text)
    synonyms = rows[om.term_name("select")]["synonyms"]
    assert om.split_list(synonyms)[-2:] == ['a;b,c "q"', "line\nbreak"]
    assert "\\" not in synonyms  # no escape character: quotes are doubled


def test_no_field_starts_a_spreadsheet_formula(exported):
    ws, text = exported["hostile"]
    for record in _records(text):
        for value in record:
            assert not value or value[0] not in "=+-@\t\r", value
    rows = _by_name(text)
    for i, formula in enumerate(FORMULAS):
        row = rows[om.term_name(f"formula-{i}")]
        assert (row["displayName"], row["description"]) == (formula, formula)  # taken off again when read
    assert rows[om.term_name("select")]["owner"] == "user:=cmd"


def test_names_are_distinct_bounded_and_without_dots_and_parents_are_terms_of_the_file(exported):
    ws, text = exported["hostile"]
    records = _records(text)[1:]
    glossary = om.glossary_name(ws.workshop.name)
    fqns = [om.fqn(glossary, *om.fqn_parts(r[0])[1:], r[1]) for r in records]
    assert len(set(fqns)) == len(fqns) == len(ws.attributes) + len({a.effective_entity for a in ws.attributes})
    entity_terms = {om.fqn(glossary, r[1]) for r in records if not r[0]}
    for parent, name, *_ in records:
        assert name and len(name) <= 100 and "." not in name and name.isascii(), name
        assert not parent or parent in entity_terms
    rows = _by_name(text)
    related = rows[om.term_name("long")]["relatedTerms"]
    assert om.split_list(related) == [
        om.fqn(glossary, om.term_name("order"), om.term_name("Order.Date-1")),
        om.fqn(glossary, om.term_name(hostile_workshop().attributes[0].entity or ""), om.term_name("select")),
    ]


def test_a_second_export_is_the_same_file_and_the_term_names_follow_ids_not_names():
    ws = _workshop("demo")
    first = _text(ws)
    assert _text(ws) == first
    attrs = [dataclasses.replace(a, name="Renamed " + a.name) if a.id == "email" else a for a in ws.attributes]
    renamed = _by_name(_text(dataclasses.replace(ws, attributes=attrs)))
    assert renamed.keys() == _by_name(first).keys()
    assert renamed[om.term_name("email")]["displayName"].startswith("Renamed ")


# -- import -----------------------------------------------------------------------------------------
def _plan(ws: m.Workshop, text: str, tmp_path: Path):
    file = tmp_path / "glossary.csv"
    file.write_text(text, encoding="utf-8", newline="")
    return datahub_glossary.read(ws, file)  # `needsmap import glossary` reads a .csv as OpenMetadata's


@pytest.mark.parametrize("name", ["demo", "hostile"])
def test_importing_an_export_into_its_workshop_proposes_nothing(name: str, exported, tmp_path: Path):
    ws, text = exported[name]
    plan = _plan(ws, text, tmp_path)
    assert not plan.applicable, [(c.kind, c.ident, c.fills) for c in plan.applicable][:5]
    assert not [c for c in plan.changes if c.conflicts or c.kind == "ambiguous"]
    assert plan.count("unchanged") == len(ws.attributes)


def _edit(text: str, name: str, **columns: str) -> str:
    records = _records(text)
    header = [h.removesuffix("*") for h in records[0]]
    for r in records[1:]:
        if om.uncell(r[1]) == name:
            for column, value in columns.items():
                r[header.index(column)] = om.cell(value)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(records)
    return out.getvalue()


def test_an_edited_definition_or_owner_is_a_conflict_and_what_was_missing_is_filled(exported, tmp_path: Path):
    ws, text = exported["demo"]
    unowned = next(a for a in ws.attributes if not a.owner)
    text = _edit(text, "email", description="Edited in OpenMetadata", owner="user:noor", synonyms="e-mail;mail address")
    text = _edit(text, om.term_name(unowned.id), owner="user:sanne", extension="")  # matched by name instead
    plan = _plan(ws, text, tmp_path)
    email = next(c for c in plan.changes if c.ident == "email")
    assert {(c.field, c.new) for c in email.conflicts} == {("definition", "Edited in OpenMetadata"), ("owner", "noor")}
    assert [(f.field, f.new) for f in email.fills] == [("synonyms", ["mail address"])]
    filled = next(c for c in plan.changes if c.ident == unowned.id)
    assert [(f.field, f.new) for f in filled.fills] == [("owner", "sanne")]
    after = {a.id: a for a in apply_plan(ws, plan).attributes}
    before = {a.id: a for a in ws.attributes}
    assert (after["email"].definition, after["email"].owner) == (before["email"].definition, before["email"].owner)
    assert after[unowned.id].owner == "sanne"


def test_a_glossary_openmetadata_exported_is_read_too(tmp_path: Path):
    """OpenMetadata's own export: no needsmap ids, a newer header with more columns, the older owner form."""
    ws = _workshop("demo")
    email = next(a for a in ws.attributes if a.id == "email")
    text = (
        "parent,name*,displayName,description,synonyms,relatedTerms,references,tags,reviewers,owner,"
        "glossaryStatus,color,iconURL,extension\r\n"
        ",Contact,,Contact data,,,,,,,Approved,,,\r\n"
        f'Glossary.Contact,{email.name},,"{email.definition}",,,,,,user;{email.owner},Approved,,,\r\n'
        'Glossary.Contact,Sauna temperature,,"European sizes, 35-48",maat,,,,,user:sanne,Draft,,,\r\n'
    )
    plan = _plan(ws, text, tmp_path)
    assert [c.kind for c in plan.changes if c.ident == "email"] == ["unchanged"]
    (added,) = [c for c in plan.changes if c.kind == "add"]
    assert (added.item.name, added.item.entity, added.item.owner, added.item.synonyms) == (
        "Sauna temperature",
        "Contact",
        "sanne",
        ["maat"],
    )
    assert not [c for c in plan.changes if c.label == "Contact"]  # the group of terms is not an attribute


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ("parent,title\r\n,x\r\n", ":1:1: ", "no 'name' column"),
        ('parent,name*,description\r\n,ok,fine\r\n,"unclosed,x\r\n', ":3:", "not valid CSV"),
        ("parent,name*,description\r\n,ok,fine\r\n,,no name\r\n", ":3:1: ", "without a name"),
        ("", ":1:1: ", "empty"),
    ],
)
def test_bad_input_is_a_located_message(text: str, where: str, says: str, tmp_path: Path):
    file = tmp_path / "glossary.csv"
    file.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(ReadError) as exc:
        datahub_glossary.read(_workshop("demo"), file)
    assert f"glossary.csv{where}" in str(exc.value) and says in str(exc.value), str(exc.value)


def test_a_file_of_another_kind_is_refused_with_what_to_give(tmp_path: Path):
    file = tmp_path / "glossary.xlsx"
    file.write_bytes(b"PK")
    with pytest.raises(ReadError, match=r"\.yaml, \.yml.*\.csv"):
        datahub_glossary.read(_workshop("demo"), file)
