"""The model draft: what becomes a table and a column, the method's entities, NOT NULL, keys, checks, relationships,
traceability, survivorship and open decisions."""

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
from tests.conftest import DEMO, ROOT
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
    """The table and column (or attribute stored as rows) of ``attribute``."""
    return next((t, c) for t, c in model.attribute_columns() if c.attribute == attribute)


@pytest.fixture(scope="module")
def demo() -> m.Workshop:
    return open_workshop(DEMO).workshop


@pytest.fixture(scope="module")
def health() -> m.Workshop:
    return open_workshop(ROOT / "workshops" / "health-insurer.yaml").workshop


def test_needed_scope_has_exactly_the_attributes_non_rejected_use_cases_need(demo):
    needed = {n.attribute for u in demo.use_cases if u.status != "rejected" for n in u.needs}
    model = draft_of(demo)
    drafted = [c.attribute for _, c in model.attribute_columns()]
    assert sorted(drafted) == sorted(needed)  # each once
    everything = {c.attribute for _, c in draft_of(demo, "all").attribute_columns()}
    assert everything == {a.id for a in demo.attributes}
    with pytest.raises(ValueError, match="scope"):
        draft_model(demo, analyse(demo), "some")


def test_one_table_per_entity_with_a_surrogate_key_and_columns_in_it(demo):
    """An attribute sits in its entity's table, unless the method places it: summaries on the customer, identity
    in the cross-reference, typed rows in their table."""
    model = draft_of(demo)
    entity_of = {a.id: a.effective_entity for a in demo.attributes}
    for t in model.tables:
        assert len(t.primary_key) >= 1
        for c in t.attribute_columns:
            if c.moved_from:
                assert t.entity in ("customer", "customer_metric") and entity_of[c.attribute] == c.moved_from
            elif entity_of[c.attribute] == "identifier":
                assert t.name == "identity_xref" and c.discriminator == "id_type"
            else:
                assert entity_of[c.attribute] == t.entity, (t.name, c.attribute)
    entity_tables = [t for t in model.tables if t.kind == "entity"]
    assert len({t.entity for t in entity_tables}) == len(entity_tables)
    customer = model.table("customer")
    assert customer.key.name == "customer_key" and customer.key.references is None


def test_attributes_are_nullable_whatever_the_use_cases_say():
    """ "must" is a use case's requirement, not a column constraint: NOT NULL only for keys and what the model
    guarantees."""
    attrs = [m.Attribute("a", "A"), m.Attribute("b", "B"), m.Attribute("c", "C")]
    ucs = [
        m.UseCase("u1", "U1", needs=[m.Need("a"), m.Need("b", "must"), m.Need("c", "must")]),
        m.UseCase("u2", "U2", needs=[m.Need("a", "must"), m.Need("b", "should")]),
        m.UseCase("u3", "U3", status="rejected", needs=[m.Need("c", "could")]),
    ]
    model = draft_of(_ws(attrs, ucs))
    for a in ("a", "b", "c"):
        assert _col(model, a)[1].nullable is True
    assert _col(model, "c")[1].use_cases == ("u1",)  # the rejected use case does not count


def test_not_null_only_for_keys_and_what_the_model_guarantees(demo):
    model = draft_of(demo)
    for t in model.tables:
        for c in t.columns:
            if c.attribute is not None and c.name not in ("decided_at",):
                assert c.nullable, (t.name, c.name)  # date of birth at 38% coverage is optional
    # the model's own facts: a contact point has a type and a value, a consent a purpose, status and time
    contact = model.table("contact_point")
    assert {c.name for c in contact.columns if not c.nullable} == {
        "contact_point_key",
        "customer_key",
        "contact_type",
        "value",
    }
    consent = model.table("consent")
    assert {c.name for c in consent.columns if not c.nullable} >= {"consent_type", "purpose", "status", "decided_at"}
    # every child's foreign key to the customer is required; the customer's organisation is not
    for t in model.tables:
        for c in t.columns:
            if c.references == "customer" and t.kind == "entity":
                assert not c.nullable, t.name
    assert model.table("customer").column("organization_key").nullable


def test_columns_trace_to_use_cases_and_their_owners(demo):
    model = draft_of(demo)
    _, col = _col(model, "email")
    needers = [u for u in demo.use_cases if u.status != "rejected" and any(n.attribute == "email" for n in u.needs)]
    assert col.use_cases == tuple(u.id for u in needers)
    assert col.stakeholders == tuple(dict.fromkeys(u.owner for u in needers if u.owner))
    assert col.comment == next(a for a in demo.attributes if a.id == "email").definition.strip()
    table = model.table("contact_point")
    assert set(col.use_cases) <= set(table.use_cases)
    assert col.discriminator == "contact_type" and col.name in table.column("contact_type").values


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
    assert rels == {(p, c, k) for p, c, k, _ in DEFAULT_RELATIONSHIPS if p in used and c in used}
    contact = model.table("contact_point")
    fk = next(c for c in contact.columns if c.references == "customer")
    assert not fk.nullable  # a contact point of no customer is refused
    assert (fk.name,) in contact.indexes or contact.unique_together[0][0] == fk.name
    org = next(c for c in model.table("customer").columns if c.references == "organization")
    assert org.nullable and (org.name,) in model.table("customer").indexes  # a consumer has no organisation
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
    # without defaults, the method still gives every child entity its customer
    method = [r for r in off.relationships if r.origin not in ("integration",)]
    assert {(r.parent, r.child, r.origin, r.required) for r in method} == {
        ("customer", e, "method", True) for e in ("address", "product", "order_line")
    }


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
    drafted = {c.attribute for _, c in model.attribute_columns()}
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


def test_survivorship_proposal_rules_in_order():
    def src(system, role="copy", freshness="unknown", quality=None, derived_from=()):
        return Source(system, None, role, quality, freshness, None, tuple(derived_from))

    assert propose_survivorship(()).rule == "no source"
    assert propose_survivorship((src("a"),)).rule == "only source"
    s = propose_survivorship((src("a", "master", "weekly"), src("b", "copy", "realtime")))
    assert (s.rule, s.system, s.status) == ("master wins", "a", "proposal")
    # consent and preferences: the customer's latest word, from any system
    s = propose_survivorship((src("a", "master", "daily", 5), src("b", "copy", "realtime", 2)), "consent")
    assert (s.rule, s.system) == ("most recent wins", None) and "latest" in s.why
    assert propose_survivorship((src("a"), src("b")), "preference").rule == "most recent wins"
    # a derived value: the system that computes it wins over its copies, however good they are rated
    s = propose_survivorship(
        (src("dwh", "derived", "weekly", 3, ["orders"]), src("crm", "copy", "realtime", 5)),
    )
    assert (s.rule, s.system) == ("source of computation", "dwh") and "orders" in s.why and "crm" in s.why
    s = propose_survivorship((src("a", freshness="weekly", quality=2), src("b", freshness="hourly", quality=4)))
    assert (s.rule, s.system) == ("best quality", "b")
    s = propose_survivorship(
        (src("a", "master", "daily", 4), src("b", "master", "hourly", 4), src("c", "copy", "realtime", 5))
    )
    assert (s.rule, s.system) == ("freshest", "b")  # among the masters only, equally good
    s = propose_survivorship((src("a", freshness="daily", quality=3), src("b", freshness="daily", quality=3)))
    assert (s.rule, s.system) == ("tie", None)


def test_survivorship_of_demo_columns_follow_their_holdings(demo):
    model = draft_of(demo)
    _, optin = _col(model, "email_optin")  # two masters in the demo, but a consent: the latest word wins
    assert optin.survivorship.rule == "most recent wins"
    _, language = _col(model, "preferred_language")
    assert language.survivorship.rule in ("most recent wins", "only source")
    _, email = _col(model, "email")
    assert (email.survivorship.rule, email.survivorship.system) == ("master wins", "webshop")


def test_a_crm_copy_of_a_computed_score_never_wins_over_its_source():
    attrs = [m.Attribute("churn", "Churn", type="decimal", definition="Chance (0 to 1) of leaving.")]
    systems = [
        m.System("dwh", holds=[m.Holding("churn", role="derived", derived_from=["orders"], quality=3)]),
        m.System("crm", holds=[m.Holding("churn", role="copy", quality=5, freshness="realtime")]),
    ]
    model = draft_of(_ws(attrs, [m.UseCase("u", "U", needs=[m.Need("churn")])], systems))
    sv = _col(model, "churn")[1].survivorship
    assert (sv.rule, sv.system) == ("source of computation", "dwh")


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
    assert parts[0].name == "customer_order"  # order is a reserved word
    assert [t.kind for t in parts] == ["entity"] + ["extension"] * (len(parts) - 1) and len(parts) >= 2
    assert all(len(t.columns) <= MAX_COLUMNS_PER_TABLE for t in parts)
    assert sum(1 for t in parts for c in t.columns if c.attribute) == len(attrs)
    ext = parts[1]
    assert ext.key.references == "customer_order" and ext.key.ref_column == "customer_order_key"
    assert "row-size" in {d.rule for d in model.open_decisions}


def test_enterprise_draft():
    ws = synthetic.generate("enterprise", 3)
    model = draft_of(ws)
    needed = {n.attribute for u in ws.use_cases if u.status != "rejected" for n in u.needs}
    assert len(model.attribute_columns()) == len(needed)
    assert model.open_decisions
    # per-customer metrics are rows of the narrow metrics table, never columns of an order
    order = model.table("customer_order")
    assert len(order.columns) < 20 and not any(c.moved_from for c in order.columns)
    metrics = model.table("customer_metric")
    assert len(metrics.row_attributes) > 1000 and len(metrics.columns) < 10
    assert any(d.rule == "metrics" and d.targets == ["customer_metric"] for d in model.open_decisions)


# ----------------------------------------------------------------------------- the method


def test_customer_summaries_recorded_on_orders_and_interactions_go_on_the_customer(demo):
    model = draft_of(demo)
    customer = model.table("customer")
    moved = {c.attribute: c.moved_from for c in customer.columns if c.moved_from}
    assert moved["order_count_12m"] == "order" and moved["total_spend_12m"] == "order"
    assert moved["open_ticket_count"] == "interaction" and moved["last_web_visit"] == "interaction"
    assert customer.column("summaries_as_of").type == "datetime"  # when they were computed
    # what describes one order or one contact stays there
    assert _col(model, "open_order_status")[0].name == "customer_order"
    assert _col(model, "nps_score")[0].name == "interaction"
    assert "one order" not in customer.comment


def test_contact_points_are_typed_rows_with_verification_primary_and_validity(demo):
    model = draft_of(demo)
    contact = model.table("contact_point")
    names = [c.name for c in contact.columns]
    assert {"contact_type", "value", "verified", "is_primary", "valid_from", "valid_to"} <= set(names)
    assert [c.attribute for c in contact.row_attributes] == ["email", "mobile_phone", "push_token"]
    assert contact.column("contact_type").values == ("email", "mobile_phone", "push_token")
    assert contact.column("verified").attribute == "email_verified"  # the workshop's flag is the row's flag
    assert ("customer_key", "contact_type", "value") in contact.unique_together
    assert any(k.kind == "not_after" for k in contact.checks)


def test_consent_is_events_with_purpose_channel_status_time_source_and_evidence(health):
    model = draft_of(health)
    consent = model.table("consent")
    cols = {c.name: c for c in consent.columns}
    assert {"consent_type", "purpose", "channel", "status", "decided_at", "source", "evidence"} <= set(cols)
    assert cols["status"].values == ("granted", "withdrawn")
    assert "care-management" in cols["purpose"].values and "outbound_call" in cols["channel"].values
    # each consent's purposes and channels, as the workshop recorded them, are checked per consent type
    care = next(k for k in consent.checks if k.when == "care_programme_consent" and k.columns[1] == "channel")
    assert set(care.values) == {"outbound_call", "email"}
    assert not any(c.name == "email_marketing_optin" for c in consent.columns)  # a type, not a flag column


def test_preferences_are_typed_rows_with_checked_values(demo):
    model = draft_of(demo)
    pref = model.table("preference")
    assert [c.attribute for c in pref.row_attributes] == [
        "preferred_language",
        "preferred_store",
        "style_preference",
        "favourite_categories",
    ]
    language = next(k for k in pref.checks if k.when == "preferred_language")
    assert language.values == ("nl", "fr", "en") and language.columns == ("preference_type", "value")


def test_identity_is_one_cross_reference(demo, health):
    model = draft_of(demo)
    assert not any(t.entity == "identifier" for t in model.tables)  # no wide identifier row beside the xref
    xref = model.table("identity_xref")
    assert [c.attribute for c in xref.row_attributes] == [
        "customer_id",
        "loyalty_number",
        "erp_customer_number",
        "crm_account_id",
        "web_visitor_id",
    ]
    cols = {c.name: c for c in xref.columns}
    assert cols["customer_key"].references == "customer" and not cols["customer_key"].nullable
    assert (cols["match_confidence"].minimum, cols["match_confidence"].maximum) == (0, 1)
    assert ("id_type", "local_id") in xref.unique_together  # one loyalty number, one customer
    assert cols["identifies"].values == m.IDENTIFIES_KINDS
    # the kinds come from `identifies`: the health insurer's policy number identifies a contract
    hx = draft_of(health).table("identity_xref")
    assert {c.attribute for c in hx.row_attributes} >= {"member_number", "policy_number", "bsn"}


def test_special_category_data_is_in_its_own_table(health):
    model = draft_of(health)
    special = {c.attribute: t.name for t, c in model.attribute_columns() if c.sensitivity == "sensitive"}
    art9 = {a.id for a in health.attributes if a.is_special_category}
    for attribute, table in special.items():
        if attribute in art9:
            assert table.endswith("_special_category"), attribute
    customer = model.table("customer")
    assert not any(c.attribute in art9 for c in customer.columns)
    extra = model.table("customer_special_category")
    assert extra.key.references == "customer" and extra.key.primary_key


def test_a_broker_is_not_the_customers_organisation(health):
    model = draft_of(health)
    assert not any(c.references == "organization" for c in model.table("customer").columns)
    placed = next(r for r in model.relationships if r.parent == "organization")
    assert (placed.child, placed.name, placed.required) == ("product_holding", "placed by", False)
    assert "broker" in placed.note


def test_every_child_table_has_its_required_foreign_key_to_its_parent(health):
    model = draft_of(health)
    claim = model.table("claim")
    fks = {c.references: c for c in claim.columns if c.references}
    assert not fks["customer"].nullable and "product_holding" in fks
    for t in model.tables:
        if t.kind == "entity" and t.entity not in ("customer", "organization", "household"):
            assert any(c.references and not c.nullable for c in t.columns), t.name
        for c in t.columns:
            if c.references and not c.primary_key:
                leads = [cols[0] for cols in t.unique_together]
                assert (c.name,) in t.indexes or c.name in leads or c.unique, (t.name, c.name)


def test_business_keys_are_unique_and_scales_are_checked(demo):
    model = draft_of(demo)
    assert _col(model, "kvk_number")[1].unique
    assert not _col(model, "first_name")[1].unique
    nps = _col(model, "nps_score")[1]
    assert (nps.minimum, nps.maximum) == (0, 10)
    churn = _col(model, "churn_score")[1]
    assert (churn.minimum, churn.maximum) == (0, 1)
    assert _col(model, "order_count_12m")[1].minimum == 0  # a count is never negative
    mapping = model.table("source_mapping")
    assert (mapping.column("quality").minimum, mapping.column("quality").maximum) == (1, 5)


def test_lists_are_json_and_free_text_is_text(demo):
    model = draft_of(demo)
    for attribute in ("cart_items", "wishlist_items", "browsed_categories"):
        col = _col(model, attribute)[1]
        assert (col.type, col.attribute_type) == ("json", "text"), attribute
    assert _col(model, "last_contact_reason")[1].type == "text"
    assert _col(model, "first_name")[1].type == "string"


def test_open_decisions_give_the_true_reason():
    """An attribute one function writes and another owns is not "written by several functions"."""
    attrs = [m.Attribute("postcode", "Postcode", entity="address", owner="bas")]
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="t"),
        stakeholders=[m.Stakeholder("bas", "Bas", function="finance"), m.Stakeholder("mo", "Mo", function="sales")],
        attributes=attrs,
        systems=[m.System("crm", holds=[m.Holding("postcode", role="master")])],
        processes=[m.Process("p", "Sign-up", owner="mo", steps=[m.Step("enter", system="crm", creates=["postcode"])])],
        use_cases=[m.UseCase("u", "U", needs=[m.Need("postcode")])],
    )
    model = draft_of(ws)
    contested = next(d for d in model.open_decisions if d.rule == "contested")
    assert "several functions" not in contested.question.lower()
    assert "(finance), but only sales processes write it" in contested.question  # the finding's own facts
    # and when several functions do write it, the question says which
    demo = draft_of(open_workshop(DEMO).workshop)
    mobile = next(d for d in demo.open_decisions if d.rule == "contested" and "mobile_phone" in d.question)
    assert "sales, service" in mobile.question and "nobody owns it" in mobile.question


def test_each_identifier_identifies_what_the_workshop_says(health):
    xref = draft_of(health).table("identity_xref")
    kinds = {k.when: k.values for k in xref.checks if k.columns == ("id_type", "identifies")}
    assert kinds["policy_number"] == ("contract",) and kinds["member_number"] == ("person",)
    assert kinds["portal_login_id"] == ("account",)
