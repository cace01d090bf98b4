"""Real data loads into the draft: ~1,000 generated customers go into every table, and invalid rows are refused.

The rows come from the workshop's holdings (:func:`tests.draft.conftest.sample_data`): attributes
filled as often as their recorded coverage says (never when no system holds them), values of
their type, enum and range, typed rows per customer.  Then the constraints are tried with rows
an architect would expect to be refused: an NPS of 42, a contact point of no customer, a loyalty
number given to a second customer, a quality of -7.
"""

from __future__ import annotations

import sqlite3

import pytest

from needsmap.draft.engine import DraftModel
from needsmap.draft.render import sql
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from tests.conftest import ROOT
from tests.draft.conftest import SEEDED_TABLES, copy_sample, coverage, draft_of, insert_sample, sample_data

CUSTOMERS = 1000


def _load_sqlite(model: DraftModel) -> tuple[sqlite3.Connection, int]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(sql(model, "sqlite"))
    systems = tuple(r[0] for r in conn.execute('SELECT "source_system_key" FROM "source_system"'))
    data = sample_data(model, CUSTOMERS, 11, systems)
    insert_sample(data, "sqlite", conn.executemany)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn, data.count()


def _invalid_rows(model: DraftModel) -> list[tuple[str, str, str, list]]:
    """(what, the constraint that refuses it, statement with %s placeholders, values) of rows that must fail."""
    nps = next((t, c) for t, c in model.attribute_columns() if c.attribute == "nps_score")
    loyalty = next(c for c in model.table("identity_xref").row_attributes if c.attribute == "loyalty_number")
    return [
        ("NPS 42", "check", f'UPDATE "{nps[0].name}" SET "{nps[1].name}" = %s', [42]),
        ("NPS -1", "check", f'UPDATE "{nps[0].name}" SET "{nps[1].name}" = %s', [-1]),
        (
            "orphan contact point",
            "foreign key",
            'INSERT INTO "contact_point" ("contact_point_key", "customer_key", "contact_type", "value") '
            "VALUES (%s, %s, %s, %s)",
            [900001, 987654, "email", "nobody@example.org"],
        ),
        (
            "contact point of no customer",
            "not null",
            'INSERT INTO "contact_point" ("contact_point_key", "contact_type", "value") VALUES (%s, %s, %s)',
            [900002, "email", "nobody@example.org"],
        ),
        (
            "duplicate loyalty number",
            "unique",
            'INSERT INTO "identity_xref" ("identity_xref_key", "customer_key", "id_type", "identifies", "local_id") '
            f"SELECT 900003, 2, id_type, identifies, local_id FROM identity_xref WHERE id_type = '{loyalty.name}' "
            "LIMIT 1",
            [],
        ),
        (
            "consent without its purpose",
            "not null",
            'INSERT INTO "consent" ("consent_key", "customer_key", "consent_type", "status", "decided_at") '
            "VALUES (%s, %s, %s, %s, %s)",
            [900004, 1, "email_optin", "granted", "2026-11-02T10:00:00+00:00"],
        ),
        (
            "consent neither granted nor withdrawn",
            "check",
            'INSERT INTO "consent" ("consent_key", "customer_key", "consent_type", "purpose", "status", "decided_at") '
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [900005, 1, "email_optin", "marketing", "maybe", "2026-11-02T10:00:00+00:00"],
        ),
        ("quality -7", "check", 'UPDATE "source_mapping" SET "quality" = %s', [-7]),
        ("an enum value not in its list", "check", 'UPDATE "customer" SET "loyalty_tier" = %s', ["platinum"]),
        (
            "a preference value not in its list",
            "check",
            'UPDATE "preference" SET "value" = %s WHERE preference_type = \'preferred_language\'',
            ["xx"],
        ),
        (
            "a contact point valid to before valid from",
            "check",
            'UPDATE "contact_point" SET "valid_from" = %s, "valid_to" = %s',
            ["2026-11-02T10:00:00+00:00", "2020-01-01T10:00:00+00:00"],
        ),
    ]


def test_demo_sample_data_loads_into_sqlite_and_invalid_rows_are_refused(demo_model):
    conn, rows = _load_sqlite(demo_model)
    assert conn.execute('SELECT COUNT(*) FROM "customer"').fetchone() == (CUSTOMERS,)
    assert rows > 10 * CUSTOMERS
    for t in demo_model.tables:
        assert conn.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] >= 1, t.name
    for what, refused_by, statement, values in _invalid_rows(demo_model):
        with pytest.raises(sqlite3.IntegrityError, match=refused_by.upper()):
            conn.execute(statement.replace("%s", "?"), values)
            pytest.fail(f"accepted: {what}")


def test_demo_sample_data_loads_into_postgres_and_invalid_rows_are_refused(demo_model, postgres_url):
    import psycopg
    import sqlalchemy as sa

    dsn = sa.engine.make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql(demo_model, "postgres"))
        systems = tuple(r[0] for r in conn.execute('SELECT "source_system_key" FROM "source_system"'))
        data = sample_data(demo_model, CUSTOMERS, 11, systems)

        copy_sample(data, conn)
        counts = {t.name: conn.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] for t in demo_model.tables}
        assert counts["customer"] == CUSTOMERS
        assert all(n >= 1 for n in counts.values()), counts
        assert sum(n for name, n in counts.items() if name not in SEEDED_TABLES) == data.count()
        errors = {
            "check": psycopg.errors.CheckViolation,
            "foreign key": psycopg.errors.ForeignKeyViolation,
            "not null": psycopg.errors.NotNullViolation,
            "unique": psycopg.errors.UniqueViolation,
        }
        for what, refused_by, statement, values in _invalid_rows(demo_model):
            with pytest.raises(errors[refused_by]):
                conn.execute(statement, values)
                pytest.fail(f"accepted: {what}")


def test_sample_data_respects_the_recorded_coverage(demo_model):
    """Attributes are filled about as often as their holdings cover them; never when no system holds them."""
    data = sample_data(demo_model, CUSTOMERS, 11)
    customers = data.rows["customer"][1:]  # the first customer is complete on purpose
    for c in demo_model.table("customer").columns:
        if c.attribute is None:
            continue
        filled = sum(1 for r in customers if r[c.name] is not None) / len(customers)
        assert abs(filled - coverage(c)) < 0.06, (c.name, filled, coverage(c))
    household = demo_model.table("household")
    never = [c for c in household.columns if c.attribute and not c.sources]
    assert never and all(r[c.name] is None for r in data.rows["household"][1:] for c in never)


def test_health_insurer_sample_data_loads_into_sqlite():
    """A second, non-retail workshop: claims, special-category data, policies placed by brokers."""
    model = draft_of(open_workshop(ROOT / "workshops" / "health-insurer.yaml").workshop)
    conn, _ = _load_sqlite(model)
    # health data sits apart from the customer
    # a claim cannot exist without its customer and its policy
    insert = 'INSERT INTO "claim" ("claim_key", "customer_key", "product_holding_key") VALUES (?, ?, ?)'
    conn.execute(insert, (900000, 1, 1))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(insert, (900001, 987654, 1))
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        conn.execute(insert, (900002, 1, None))
    assert conn.execute('SELECT COUNT(*) FROM "customer_special_category"').fetchone()[0] > 0


def test_enterprise_sample_data_loads_into_postgres(enterprise_model, postgres_url):
    """60,000 rows of 1,000 customers, 1,900 metrics defined, loaded with COPY (every constraint checked)."""
    import psycopg
    import sqlalchemy as sa

    dsn = sa.engine.make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql(enterprise_model, "postgres"))
        systems = tuple(r[0] for r in conn.execute('SELECT "source_system_key" FROM "source_system"'))
        data = sample_data(enterprise_model, CUSTOMERS, 11, systems)
        copy_sample(data, conn)
        loaded = sum(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in data.rows)
        assert loaded == data.count() > 40 * CUSTOMERS
        table, col = next(
            (t, c) for t, c in enterprise_model.attribute_columns() if c.minimum is not None and not c.discriminator
        )
        with pytest.raises(psycopg.errors.CheckViolation):  # a count below 0, a share above 1...
            conn.execute(f'UPDATE "{table.name}" SET "{col.name}" = %s', [col.minimum - 1])
        with pytest.raises(psycopg.errors.CheckViolation):  # a metric with a number and a date
            conn.execute('UPDATE "customer_metric" SET "value_number" = 1, "value_at" = now()')


def test_enterprise_sample_data_loads_into_sqlite(enterprise_model):
    model = enterprise_model
    conn, rows = _load_sqlite(model)
    assert conn.execute('SELECT COUNT(*) FROM "customer_metric"').fetchone()[0] > CUSTOMERS
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # a metric the workshop never defined
        conn.execute(
            'INSERT INTO "customer_metric" ("customer_metric_key", "customer_key", "metric", "value_number", "as_of") '
            "VALUES (900001, 1, 'no_such_metric', 1, '2026-11-02')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # a value and a date at once
        conn.execute(
            'INSERT INTO "customer_metric" ("customer_metric_key", "customer_key", "metric", "value_number", '
            "\"value_at\", \"as_of\") SELECT 900002, 1, code, 1, '2026-11-02', '2026-11-02' FROM metric_definition LIMIT 1"
        )


def test_an_empty_workshop_takes_sample_data():
    model = draft_of(m.Workshop(workshop=m.WorkshopInfo(name="empty")))
    conn, _ = _load_sqlite(model)
    assert conn.execute('SELECT COUNT(*) FROM "customer"').fetchone() == (CUSTOMERS,)


def test_identifiers_of_organisations_link_to_the_organisation():
    """An id that identifies an organisation links there, a person's to the customer: exactly one per row."""
    attrs = [
        m.Attribute("customer_id", "Customer number", entity="identifier", type="id", identifies="person"),
        m.Attribute("crm_account_id", "Account", entity="identifier", type="id", identifies="organization"),
        m.Attribute("company_name", "Company", entity="organization"),
    ]
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="b2b"),
        attributes=attrs,
        systems=[m.System("crm", holds=[m.Holding(a.id, role="master", coverage=0.9) for a in attrs])],
        use_cases=[m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])],
    )
    model = draft_of(ws)
    xref = model.table("identity_xref")
    parties = {c.references: c.nullable for c in xref.columns if c.references in ("customer", "organization")}
    assert parties == {"customer": True, "organization": True}
    assert any(k.kind == "one_of" for k in xref.checks)
    conn, _ = _load_sqlite(model)
    rows = conn.execute('SELECT id_type, customer_key IS NULL, organization_key IS NULL FROM "identity_xref"')
    assert {(t, c, o) for t, c, o in rows} <= {("customer_id", 0, 1), ("crm_account_id", 1, 0)}
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # neither party
        conn.execute(
            'INSERT INTO "identity_xref" ("identity_xref_key", "id_type", "identifies", "local_id") '
            "VALUES (900001, 'customer_id', 'person', 'C-1')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # a person's id marked as an organisation's
        conn.execute(
            'INSERT INTO "identity_xref" ("identity_xref_key", "customer_key", "id_type", "identifies", "local_id") '
            "VALUES (900002, 1, 'customer_id', 'organization', 'C-2')"
        )
