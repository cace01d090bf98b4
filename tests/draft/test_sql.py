"""The model draft's SQL runs on real SQLite and PostgreSQL, and hostile names stay inert."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest

from needsmap.draft.engine import DraftModel, Table
from needsmap.draft.render import DIALECTS, column_comment, one_line, sql, table_comment
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO
from tests.draft.conftest import draft_of, hostile_workshop


def _demo() -> m.Workshop:
    return open_workshop(DEMO).workshop


@pytest.fixture(scope="module")
def enterprise() -> m.Workshop:
    return synthetic.generate("enterprise", 11)


# ----------------------------------------------------------------------------- filling every table


def _value(col, dialect: str, key_of: dict[str, int]):
    """A valid value for a column: the key of the parent row for a foreign key."""
    if col.references:
        return key_of[col.references]
    if col.values:
        return col.values[0].replace("\x00", "")
    t = col.type
    sample = {
        "integer": 7,
        "decimal": Decimal("1.5"),
        "money": Decimal("9.99"),
        "boolean": True,
        "date": dt.date(2026, 11, 2),
        "datetime": dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC),
        "email": "a@example.org",
        "phone": "+31201234567",
        "url": "https://example.org/",
        "country": "NL",
        "currency": "EUR",
    }.get(t, f"v-{col.name}"[:60])
    if dialect == "sqlite" and isinstance(sample, (dt.date, Decimal)):
        return str(sample)
    return sample


def fill_every_table(model: DraftModel, dialect: str, execute) -> dict[str, int]:
    """Insert one row into every table, parents first, every column filled; returns each table's key."""
    key_of: dict[str, int] = {}
    for t in model.tables:
        generated = len(t.primary_key) == 1 and t.key.references is None
        cols = [c for c in t.columns if not (generated and c.primary_key)]
        values = [_value(c, dialect, key_of) for c in cols]

        def q(n):
            return '"' + n + '"'

        ph = "?" if dialect == "sqlite" else "%s"
        statement = (
            f"INSERT INTO {q(t.name)} ({', '.join(q(c.name) for c in cols)}) "
            f"VALUES ({', '.join([ph] * len(cols))}) RETURNING {q(t.primary_key[0])}"
        )
        key_of[t.name] = execute(statement, values)
    return key_of


def _child_with_missing_parent(model: DraftModel) -> tuple[Table, str]:
    with_fk = [t for t in model.tables if any(c.references for c in t.columns)]
    t = next((t for t in with_fk if t.kind == "entity"), with_fk[0])
    return t, next(c.name for c in t.columns if c.references)


# ----------------------------------------------------------------------------- SQLite


def _sqlite(model: DraftModel) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript("CREATE TABLE canary (x INTEGER);")
    conn.executescript(sql(model, "sqlite"))
    return conn


def _sqlite_tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _run_sqlite(model: DraftModel) -> sqlite3.Connection:
    conn = _sqlite(model)
    assert _sqlite_tables(conn) == {t.name for t in model.tables} | {"canary"}
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)

    def execute(statement, values):
        return conn.execute(statement, values).fetchone()[0]

    fill_every_table(model, "sqlite", execute)
    for t in model.tables:
        assert conn.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] >= 1, t.name
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    child, fk = _child_with_missing_parent(model)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(f'UPDATE "{child.name}" SET "{fk}" = 987654')
    return conn


def test_demo_sql_runs_on_sqlite_and_takes_a_row_in_every_table():
    model = draft_of(_demo())
    conn = _run_sqlite(model)
    # the integration view is filled from the workshop
    systems = {r[0] for r in conn.execute('SELECT code FROM "source_system"')}
    assert systems == {s.id for s in _demo().systems} | {"v-code"}
    mapped = conn.execute('SELECT COUNT(*) FROM "source_mapping" WHERE attribute = ?', ("email",)).fetchone()[0]
    held = sum(1 for s in _demo().systems for h in s.holds if h.attribute == "email")
    assert mapped == held


def test_demo_sql_all_scope_runs_on_sqlite():
    _run_sqlite(draft_of(_demo(), "all"))


def test_enterprise_sql_runs_on_sqlite(enterprise):
    _run_sqlite(draft_of(enterprise))


def test_hostile_names_are_inert_on_sqlite():
    model = draft_of(hostile_workshop())
    conn = _run_sqlite(model)
    assert "canary" in _sqlite_tables(conn)
    # the enum CHECK holds the hostile values as values
    t = next(t for t in model.tables if any(c.attribute == "table" for c in t.columns))
    col = next(c for c in t.columns if c.attribute == "table")
    conn.execute(f'UPDATE "{t.name}" SET "{col.name}" = ?', ("DROP TABLE canary; --",))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(f'UPDATE "{t.name}" SET "{col.name}" = ?', ("not a value",))


# ----------------------------------------------------------------------------- PostgreSQL


def _run_postgres(model: DraftModel, url: str):
    import psycopg
    import sqlalchemy as sa

    dsn = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute("CREATE TABLE canary (x INTEGER)")
    conn.execute(sql(model, "postgres"))
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {t.name for t in model.tables} | {"canary"}

    def execute(statement, values):
        return conn.execute(statement, values).fetchone()[0]

    fill_every_table(model, "postgres", execute)
    for t in model.tables:
        assert conn.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] >= 1, t.name
    child, fk = _child_with_missing_parent(model)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute(f'UPDATE "{child.name}" SET "{fk}" = 987654')
    return conn


def test_demo_sql_runs_on_postgres(postgres_url):
    model = draft_of(_demo())
    conn = _run_postgres(model, postgres_url)
    # comments are the definitions, as literals: read back exactly
    customer = model.table("customer")
    col = customer.columns[2]
    got = conn.execute(
        "SELECT col_description('customer'::regclass, attnum) FROM pg_attribute "
        "WHERE attrelid = 'customer'::regclass AND attname = %s",
        (col.name,),
    ).fetchone()[0]
    assert got == one_line(column_comment(col))
    # NOT NULL where every use case that needs it says must
    nullable = {
        r[0]: r[1] == "YES"
        for r in conn.execute(
            "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'customer'"
        )
    }
    assert nullable == {c.name: c.nullable for c in customer.columns}


def test_demo_sql_all_scope_and_an_empty_workshop_run_on_postgres(postgres_url):
    import psycopg

    _run_postgres(draft_of(_demo(), "all"), postgres_url).close()
    empty = draft_of(m.Workshop(workshop=m.WorkshopInfo(name="empty")))
    assert [t.kind for t in empty.tables] == ["integration"] * 4
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    _run_postgres(empty, postgres_url).close()


def test_enterprise_sql_runs_on_postgres(postgres_url, enterprise):
    model = draft_of(enterprise)
    assert any(t.kind == "extension" for t in model.tables), "the enterprise order entity is split"
    _run_postgres(model, postgres_url)


def test_hostile_names_are_inert_on_postgres(postgres_url):
    model = draft_of(hostile_workshop())
    conn = _run_postgres(model, postgres_url)
    assert conn.execute("SELECT COUNT(*) FROM canary").fetchone() == (0,)
    for t in model.tables:
        got = conn.execute("SELECT obj_description(%s::regclass, 'pg_class')", (f'"{t.name}"',)).fetchone()[0]
        assert got == one_line(table_comment(t))
    names = [r[0] for r in conn.execute("SELECT code FROM source_system ORDER BY source_system_key")]
    assert names[:2] == ["crm'; DROP TABLE canary; --", "pos"]
    fields = {r[0] for r in conn.execute("SELECT source_field FROM source_mapping")}
    assert "T.select'; DROP TABLE canary; --" in fields


def _long_text_workshop(n: int = 1200) -> m.Workshop:
    """A workshop whose free text (system name and kind, holding fields, a string attribute's values) is long."""
    long = ("Lange vrije tekst, ü 顧客 " * 60)[:n] + "einde"
    attrs = [
        m.Attribute("notes_line", "Notes line", entity="customer", type="string", definition=long),
        m.Attribute("email", "Email", entity="customer", type="email"),
    ]
    uc = m.UseCase("uc-1", "Welcome mail", needs=[m.Need(a.id, "must") for a in attrs])
    system = m.System(
        "crm",
        "CRM " + long,
        kind="crm " + long,
        holds=[m.Holding(a.id, field=f"Contact.{a.id} " + long, role="master") for a in attrs],
    )
    return m.Workshop(workshop=m.WorkshopInfo(name="Long text"), attributes=attrs, systems=[system], use_cases=[uc])


def test_free_text_is_text_in_postgres_and_long_values_load(postgres_url):
    """Names, kinds and fields of 1,000+ characters load, and a string column takes a 1,000+ character value."""
    ws = _long_text_workshop()
    model = draft_of(ws)
    conn = _run_postgres(model, postgres_url)
    (name, kind), *_ = conn.execute("SELECT name, kind FROM source_system WHERE code = 'crm'").fetchall()
    assert (name, kind) == (ws.systems[0].name, ws.systems[0].kind) and len(name) > 1000
    fields = {r[0] for r in conn.execute("SELECT source_field FROM source_mapping")}
    long_fields = {h.field for h in ws.systems[0].holds}
    assert long_fields <= fields and min(map(len, long_fields)) > 1000
    customer = model.table("customer")
    col = next(c for c in customer.columns if c.attribute == "notes_line")
    conn.execute(f'UPDATE "customer" SET "{col.name}" = %s', ("x" * 5000,))
    assert conn.execute(f'SELECT length("{col.name}") FROM "customer"').fetchone() == (5000,)
    types = dict(
        conn.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"
        ).fetchall()
    )
    assert types[f"customer.{col.name}"] == "text"
    assert types["source_system.name"] == types["source_mapping.source_field"] == "text"
    # codes, ids and dates keep their types
    assert types["source_system.code"] == "character varying"
    assert types["identity_xref.matched_at"] == "timestamp with time zone"


def test_postgres_free_text_has_no_length_limit_in_the_script():
    model = draft_of(_long_text_workshop())
    script = sql(model, "postgres")
    free_text = [c for t in model.tables for c in t.columns if c.type in ("string", "text")]
    assert len(free_text) >= 8
    lines = {line.strip() for line in script.splitlines()}
    for c in free_text:
        assert any(line.startswith(f'"{c.name}" TEXT') for line in lines), c.name
    assert '"code" VARCHAR(255) NOT NULL UNIQUE,' in lines  # an id keeps its bound


# ----------------------------------------------------------------------------- every dialect


@pytest.mark.parametrize("dialect", DIALECTS)
def test_hostile_sql_parses_in_every_dialect_into_the_expected_statements(dialect):
    """MySQL and SQL Server do not run here: sqlglot parses the script with the dialect's grammar."""
    import sqlglot
    from sqlglot import exp

    model = draft_of(hostile_workshop())
    script = sql(model, dialect)
    statements = [s for s in sqlglot.parse(script, read=dialect) if s is not None]
    kinds = {type(s).__name__ for s in statements}
    assert kinds <= {"Create", "Comment", "Insert", "Alter", "Transaction", "Commit", "Pragma", "Semicolon"}
    created = [s.this.this.name for s in statements if isinstance(s, exp.Create)]
    assert sorted(created) == sorted(t.name for t in model.tables)
    foreign_keys = sum(1 for t in model.tables for c in t.columns if c.references)
    altered = [s for s in statements if isinstance(s, exp.Alter)]
    assert len(altered) == (0 if dialect == "sqlite" else foreign_keys)
    inserts = {
        s.this.this.name if isinstance(s.this, exp.Schema) else s.this.name
        for s in statements
        if isinstance(s, exp.Insert)
    }
    assert inserts == {"source_system", "source_mapping", "survivorship_rule"}


def test_identifiers_are_sanitised_unique_and_short():
    model = draft_of(hostile_workshop())
    names = [t.name for t in model.tables]
    assert len(set(names)) == len(names)
    for t in model.tables:
        cols = [c.name for c in t.columns]
        assert len(set(cols)) == len(cols), t.name
        for name in [t.name, *cols]:
            assert len(name) <= 63 and name.isascii() and all(ch.isalnum() or ch == "_" for ch in name)
    customer = model.table("customer")
    assert customer.key.name == "customer_key"
    assert [c.name for c in customer.columns if c.attribute == "customer_key"] == ["customer_key_2"]
