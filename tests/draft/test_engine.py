"""The model draft: what becomes a table and a column, NOT NULL, relationships, traceability, open decisions."""

from __future__ import annotations

import pytest

from needsmap.analysis.engine import analyse
from needsmap.draft.engine import (
    DEFAULT_RELATIONSHIPS,
    MAX_COLUMNS_PER_TABLE,
    MAX_NAME,
    DraftModel,
    Source,
    draft_model,
    physical_name,
    propose_survivorship,
)
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO
from tests.draft.conftest import draft_of


def _ws(attributes, use_cases=(), systems=(), model=None, notes=(), stakeholders=()) -> m.Workshop:
    return m.Workshop(
        workshop=m.WorkshopInfo(name="t"),
        attributes=list(attributes),
        use_cases=list(use_cases),
        systems=list(systems),
        model=model,
        notes=list(notes),
        stakeholders=list(stakeholders),
    )


def _col(model: DraftModel, attribute: str):
    return next((t, c) for t in model.tables for c in t.columns if c.attribute == attribute)


@pytest.fixture(scope="module")
def demo() -> m.Workshop:
    return open_workshop(DEMO).workshop


def test_needed_scope_has_exactly_the_attributes_non_rejected_use_cases_need(demo):
    needed = {n.attribute for u in demo.use_cases if u.status != "rejected" for n in u.needs}
    model = draft_of(demo)
    drafted = {c.attribute for t in model.tables for c in t.columns if c.attribute}
    assert drafted == needed
    everything = {c.attribute for t in draft_of(demo, "all").tables for c in t.columns if c.attribute}
    assert everything == {a.id for a in demo.attributes}
    with pytest.raises(ValueError, match="scope"):
        draft_model(demo, analyse(demo), "some")


def test_one_table_per_entity_with_a_surrogate_key_and_columns_in_it(demo):
    model = draft_of(demo)
    for t in model.tables:
        assert len(t.primary_key) >= 1
        for c in t.columns:
            if c.attribute:
                assert demo.attributes[[a.id for a in demo.attributes].index(c.attribute)].effective_entity == t.entity
    entity_tables = [t for t in model.tables if t.kind == "entity"]
    assert len({t.entity for t in entity_tables}) == len(entity_tables)
    customer = model.table("customer")
    assert customer.key.name == "customer_key" and customer.key.references is None


def test_not_null_only_where_every_use_case_that_needs_it_says_must():
    attrs = [m.Attribute("a", "A"), m.Attribute("b", "B"), m.Attribute("c", "C")]
    ucs = [
        m.UseCase("u1", "U1", needs=[m.Need("a"), m.Need("b", "must"), m.Need("c", "must")]),
        m.UseCase("u2", "U2", needs=[m.Need("a", "must"), m.Need("b", "should")]),
        m.UseCase("u3", "U3", status="rejected", needs=[m.Need("c", "could")]),
    ]
    model = draft_of(_ws(attrs, ucs))
    assert _col(model, "a")[1].nullable is False
    assert _col(model, "b")[1].nullable is True
    assert _col(model, "c")[1].nullable is False  # the rejected use case does not count
    assert _col(model, "c")[1].use_cases == ("u1",)


def test_columns_trace_to_use_cases_and_their_owners(demo):
    model = draft_of(demo)
    _, col = _col(model, "email")
    needers = [u for u in demo.use_cases if u.status != "rejected" and any(n.attribute == "email" for n in u.needs)]
    assert col.use_cases == tuple(u.id for u in needers)
    assert col.stakeholders == tuple(dict.fromkeys(u.owner for u in needers if u.owner))
    assert col.comment == next(a for a in demo.attributes if a.id == "email").definition.strip()
    table = model.table("contact_point")
    assert set(col.use_cases) <= set(table.use_cases)


def test_default_relationships_only_between_used_entities():
    attrs = [
        m.Attribute("name", "Name"),
        m.Attribute("email", "E-mail", entity="contact_point"),
        m.Attribute("size", "Size", entity="household"),
        m.Attribute("kvk", "KvK", entity="organization"),
    ]
    model = draft_of(_ws(attrs, [m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])]))
    rels = {(r.parent, r.child, r.cardinality) for r in model.relationships if r.origin == "default"}
    used = {"customer", "contact_point", "household", "organization"}
    assert rels == {(p, c, k) for p, c, k in DEFAULT_RELATIONSHIPS if p in used and c in used}
    contact = model.table("contact_point")
    fk = next(c for c in contact.columns if c.references == "customer")
    assert fk.nullable  # defaults are not required
    link = model.table("household_customer")
    assert link.kind == "link" and {c.references for c in link.columns} == {"household", "customer"}
    assert link.primary_key == ("household_key", "customer_key")


def test_model_section_overrides_removes_and_adds_relationships():
    attrs = [
        m.Attribute("name", "Name"),
        m.Attribute("street", "Street", entity="address"),
        m.Attribute("size", "Size", entity="household"),
        m.Attribute("sku", "SKU", entity="product"),
        m.Attribute("line", "Line", entity="order_line"),
    ]
    section = m.ModelSection(
        relationships=[
            m.Relationship("customer", "address", "n-m", name="delivers to"),
            m.Relationship("household", "customer", "none"),
            m.Relationship("product", "order_line", "1-n", required=True),
            m.Relationship("customer", "product", "1-1"),
        ]
    )
    model = draft_of(_ws(attrs, [m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])], model=section))
    got = {(r.parent, r.child): (r.cardinality, r.origin) for r in model.relationships if r.origin != "integration"}
    assert got == {
        ("customer", "address"): ("n-m", "workshop"),
        ("product", "order_line"): ("1-n", "workshop"),
        ("customer", "product"): ("1-1", "workshop"),
    }
    assert not any(c.references == "customer" for c in model.table("address").columns)
    fk = next(c for c in model.table("order_line").columns if c.references == "product")
    assert fk.nullable is False  # required: NOT NULL
    one = next(c for c in model.table("product").columns if c.references == "customer")
    assert one.unique  # 1-1
    off = draft_of(
        _ws(
            attrs,
            [m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])],
            model=m.ModelSection(default_relationships=False),
        )
    )
    assert [r for r in off.relationships if r.origin != "integration"] == []


def test_a_parent_entity_without_needed_attributes_is_kept_for_its_children():
    attrs = [m.Attribute("name", "Name"), m.Attribute("email", "E-mail", entity="contact_point")]
    model = draft_of(_ws(attrs, [m.UseCase("u", "U", needs=[m.Need("email")])]))
    customer = model.table("customer")
    assert [c.name for c in customer.columns] == ["customer_key"]
    assert "parent" in customer.comment


def test_open_decisions_come_from_the_analysis_rules_and_open_notes(demo):
    analysis = analyse(demo)
    model = draft_model(demo, analysis)
    by_code = {}
    for d in model.open_decisions:
        by_code.setdefault(d.code, []).append(d)
    # every no-master / many-masters / definition-conflict / no-owner finding on a drafted column is a decision
    drafted = {c.attribute for t in model.tables for c in t.columns if c.attribute}
    for rule, code in (
        ("no-master", "NM107"),
        ("many-masters", "NM108"),
        ("definition-conflict", "NM109"),
        ("no-owner", "NM110"),
        ("missing-source", "NM101"),
    ):
        expected = {g.subjects[0][1] for g in analysis.gaps if g.rule == rule and g.subjects[0][1] in drafted}
        assert expected, rule
        assert {d.subjects[0][1] for d in by_code[code]} == expected
    identity = [d for d in model.open_decisions if d.rule in ("identity-island", "no-identifier")]
    assert identity and all(d.targets == ["identity_xref"] for d in identity)
    assert set(model.table("identity_xref").open_decisions) == {d.id for d in identity}
    # each decision is attached where it points
    for d in model.open_decisions:
        for target in d.targets:
            table, _, column = target.partition(".")
            holder = model.table(table).column(column) if column else model.table(table)
            assert d.id in holder.open_decisions
    open_notes = [
        n
        for n in demo.notes
        if n.effective_status == "open"
        and n.effective_kind in ("question", "risk")
        and any(a in drafted for a in n.about)
    ]
    assert len(by_code.get("note", [])) == len(open_notes)
    assert [d.id for d in model.open_decisions] == [f"D{i}" for i in range(1, len(model.open_decisions) + 1)]


def test_survivorship_proposal_master_then_freshest_then_quality():
    def src(system, role="copy", freshness="unknown", quality=None):
        return Source(system, None, role, quality, freshness, None)

    assert propose_survivorship(()).rule == "no source"
    assert propose_survivorship((src("a"),)).rule == "only source"
    s = propose_survivorship((src("a", "master", "weekly"), src("b", "copy", "realtime")))
    assert (s.rule, s.system, s.status) == ("master wins", "a", "proposal")
    s = propose_survivorship((src("a", freshness="weekly", quality=5), src("b", freshness="hourly", quality=1)))
    assert (s.rule, s.system) == ("freshest", "b")
    s = propose_survivorship(
        (src("a", "master", "daily", 2), src("b", "master", "daily", 4), src("c", "copy", "realtime", 5))
    )
    assert (s.rule, s.system) == ("best quality", "b")  # among the masters only
    s = propose_survivorship((src("a", freshness="daily", quality=3), src("b", freshness="daily", quality=3)))
    assert (s.rule, s.system) == ("tie", None)


def test_survivorship_of_demo_columns_follow_their_holdings(demo):
    model = draft_of(demo)
    _, optin = _col(model, "email_optin")  # two masters in the demo
    assert optin.survivorship.rule in ("freshest", "best quality", "tie")
    masters = [s.system for s in optin.sources if s.role == "master"]
    assert optin.survivorship.system in (*masters, None)


def test_physical_names_are_safe_stable_and_unique():
    assert physical_name("Customer Since") == "customer_since"
    assert physical_name("Größe") == "grosse"
    assert physical_name("1st") == "n_1st"
    assert physical_name("顧客").startswith("x_")
    long = physical_name("a" * 100)
    assert len(long) == MAX_NAME and long == physical_name("a" * 100) != physical_name("a" * 99 + "b")
    model = draft_of(
        _ws(
            [m.Attribute("e-mail", "E"), m.Attribute("e_mail", "E2"), m.Attribute("E.Mail", "E3")],
            [m.UseCase("u", "U", needs=[m.Need("e-mail"), m.Need("e_mail"), m.Need("E.Mail")])],
        )
    )
    names = [c.name for c in model.table("customer").columns]
    assert names == ["customer_key", "e_mail", "e_mail_2", "e_mail_3"]


def test_an_entity_with_too_many_attributes_is_split_into_extension_tables():
    attrs = [m.Attribute(f"a{i}", f"A{i}", entity="order") for i in range(MAX_COLUMNS_PER_TABLE + 50)]
    model = draft_of(_ws(attrs, [m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])]))
    parts = [t for t in model.tables if t.entity == "order"]
    assert [t.kind for t in parts] == ["entity", "extension"]
    assert all(len(t.columns) <= MAX_COLUMNS_PER_TABLE for t in parts)
    assert sum(1 for t in parts for c in t.columns if c.attribute) == len(attrs)
    ext = parts[1]
    assert ext.key.references == "order" and ext.key.ref_column == "order_key"


def test_enterprise_draft():
    ws = synthetic.generate("enterprise", 3)
    model = draft_of(ws)
    needed = {n.attribute for u in ws.use_cases if u.status != "rejected" for n in u.needs}
    assert sum(1 for t in model.tables for c in t.columns if c.attribute) == len(needed)
    assert model.open_decisions
