"""The model draft's SQL runs on real SQLite and PostgreSQL, fits every dialect's row limit, and hostile names stay inert."""

from __future__ import annotations

import sqlite3

import pytest
import sqlglot
from sqlglot import exp

from needsmap.draft.engine import DraftModel, Table
from needsmap.draft.render import DIALECTS, column_comment, one_line, sql, table_comment
from needsmap.draft.reserved_words import is_reserved, reserved
from needsmap.draft.row_size import LIMITS, row_width
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO
from tests.draft.conftest import SEEDED_TABLES, draft_of, hostile_workshop, insert_sample, sample_data


def _demo() -> m.Workshop:
    return open_workshop(DEMO).workshop


@pytest.fixture(scope="module")
def enterprise() -> m.Workshop:
    return synthetic.generate("enterprise", 11)


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


def _run_sqlite(model: DraftModel, customers: int = 30) -> sqlite3.Connection:
    """The script runs; sample data for ``customers`` (the first complete) loads into every table."""
    conn = _sqlite(model)
    assert _sqlite_tables(conn) == {t.name for t in model.tables} | {"canary"}
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    systems = tuple(r[0] for r in conn.execute('SELECT "source_system_key" FROM "source_system"'))
    insert_sample(sample_data(model, customers, 3, systems), "sqlite", conn.executemany)
    for t in model.tables:
        if t.name in SEEDED_TABLES and not systems:
            continue
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
    assert systems == {s.id for s in _demo().systems}
    mapped = conn.execute('SELECT COUNT(*) FROM "source_mapping" WHERE attribute = ?', ("email",)).fetchone()[0]
    held = sum(1 for s in _demo().systems for h in s.holds if h.attribute == "email")
    assert mapped == held
    # every attribute in the draft has its survivorship proposal, stored as rows or as a column
    proposals = conn.execute('SELECT COUNT(*) FROM "survivorship_rule"').fetchone()[0]
    assert proposals == len(model.attribute_columns())


def test_demo_sql_all_scope_runs_on_sqlite():
    _run_sqlite(draft_of(_demo(), "all"))


def test_enterprise_sql_runs_on_sqlite(enterprise):
    conn = _run_sqlite(draft_of(enterprise))
    metrics = conn.execute('SELECT COUNT(*) FROM "metric_definition"').fetchone()[0]
    assert metrics > 1000  # the customer-level summaries are rows of the metrics table, defined once each


def test_hostile_names_are_inert_on_sqlite():
    model = draft_of(hostile_workshop())
    conn = _run_sqlite(model)
    assert "canary" in _sqlite_tables(conn)
    # the enum CHECK holds the hostile values as values
    t, col = next((t, c) for t, c in model.attribute_columns() if c.attribute == "table")
    conn.execute(f'UPDATE "{t.name}" SET "{col.name}" = ?', ("DROP TABLE canary; --",))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(f'UPDATE "{t.name}" SET "{col.name}" = ?', ("not a value",))


# ----------------------------------------------------------------------------- PostgreSQL


def _connect(url: str):
    import psycopg
    import sqlalchemy as sa

    dsn = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(dsn, autocommit=True)


def _run_postgres(model: DraftModel, url: str, customers: int = 30):
    import psycopg

    conn = _connect(url)
    conn.execute("CREATE TABLE canary (x INTEGER)")
    conn.execute(sql(model, "postgres"))
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {t.name for t in model.tables} | {"canary"}
    systems = tuple(r[0] for r in conn.execute('SELECT "source_system_key" FROM "source_system"'))

    def executemany(statement, rows):
        with conn.cursor() as cur:
            cur.executemany(statement, rows)

    insert_sample(sample_data(model, customers, 3, systems), "postgres", executemany)
    for t in model.tables:
        if t.name in SEEDED_TABLES and not systems:
            continue
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
    # NOT NULL only for keys and what the model guarantees
    for t in model.tables:
        nullable = {
            r[0]: r[1] == "YES"
            for r in conn.execute(
                "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = %s", (t.name,)
            )
        }
        assert nullable == {c.name: c.nullable for c in t.columns}, t.name
    # an index on every foreign key that does not lead a key
    indexed = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT t.relname, a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]"
        )
    }
    for t in model.tables:
        for c in t.columns:
            if c.references:
                assert (t.name, c.name) in indexed, (t.name, c.name)


def test_demo_sql_all_scope_and_an_empty_workshop_run_on_postgres(postgres_url):
    import psycopg

    _run_postgres(draft_of(_demo(), "all"), postgres_url).close()
    empty = draft_of(m.Workshop(workshop=m.WorkshopInfo(name="empty")))
    # the customer every identity hangs on, and the integration view
    assert [t.kind for t in empty.tables] == ["entity"] + ["integration"] * 4
    with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    _run_postgres(empty, postgres_url).close()


def test_enterprise_sql_runs_on_postgres(postgres_url, enterprise):
    model = draft_of(enterprise)
    assert max(len(t.columns) for t in model.tables) < 200, "no table is a bag of a thousand columns"
    assert model.table("customer_metric").row_attributes
    # the first customer's rows fill every column, free text as long as it can be: they load
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
    assert conn.execute(f'SELECT max(length("{col.name}")) FROM "customer"').fetchone() == (5000,)
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


def test_free_text_is_never_a_bounded_varchar_in_any_dialect():
    """Notes, comments and descriptions are TEXT (NVARCHAR(MAX)), never VARCHAR(255)."""
    model = draft_of(_demo())
    free = [(t, c) for t in model.tables for c in t.columns if c.type == "text"]
    assert "last_contact_reason" in {c.attribute for _, c in free}  # a reason is free text
    for dialect, expected in (("mysql", "TEXT"), ("tsql", "NVARCHAR(MAX)"), ("postgres", "TEXT")):
        script = sql(model, dialect)
        q = {"mysql": "`{}`", "tsql": "[{}]", "postgres": '"{}"'}[dialect]
        for _, c in free:
            assert f"{q.format(c.name)} {expected}" in script, (dialect, c.name)


# ----------------------------------------------------------------------------- every dialect


@pytest.mark.parametrize("dialect", DIALECTS)
def test_hostile_sql_parses_in_every_dialect_into_the_expected_statements(dialect):
    """MySQL and SQL Server do not run here: sqlglot parses the script with the dialect's grammar."""
    model = draft_of(hostile_workshop())
    script = sql(model, dialect)
    statements = [s for s in sqlglot.parse(script, read=dialect) if s is not None]
    kinds = {type(s).__name__ for s in statements}
    assert kinds <= {"Create", "Comment", "Insert", "Alter", "Transaction", "Commit", "Pragma", "Semicolon"}
    created = [s.this.this.name for s in statements if isinstance(s, exp.Create) and s.kind == "TABLE"]
    assert sorted(created) == sorted(t.name for t in model.tables)
    indexes = [s for s in statements if isinstance(s, exp.Create) and s.kind == "INDEX"]
    unique = [s for s in indexes if s.args.get("unique")]
    assert len(indexes) - len(unique) == sum(len(t.indexes) for t in model.tables) > 0
    # SQL Server's UNIQUE takes one NULL only: a nullable business key is a filtered unique index there
    nullable_keys = sum(1 for t in model.tables for c in t.columns if c.unique and c.nullable)
    assert len(unique) == (nullable_keys if dialect == "tsql" else 0)
    foreign_keys = sum(1 for t in model.tables for c in t.columns if c.references)
    altered = [s for s in statements if isinstance(s, exp.Alter)]
    assert len(altered) == (0 if dialect == "sqlite" else foreign_keys)
    inserts = {
        s.this.this.name if isinstance(s.this, exp.Schema) else s.this.name
        for s in statements
        if isinstance(s, exp.Insert)
    }
    assert inserts == {"source_system", "source_mapping", "survivorship_rule"}


def test_identifiers_are_sanitised_unique_short_and_never_reserved():
    model = draft_of(hostile_workshop())
    names = [t.name for t in model.tables]
    assert len(set(names)) == len(names)
    for t in model.tables:
        cols = [c.name for c in t.columns]
        assert len(set(cols)) == len(cols), t.name
        for name in [t.name, *cols]:
            assert len(name) <= 63 and name.isascii() and all(ch.isalnum() or ch == "_" for ch in name)
            assert not is_reserved(name), name
    customer = model.table("customer")
    assert customer.key.name == "customer_key"
    assert [c.name for c in customer.columns if c.attribute == "customer_key"] == ["customer_key_2"]
    # order and user are reserved: the tables get the customer's prefix, columns a suffix
    assert {"customer_order", "customer_user"} <= set(names)
    assert "group_value" in {c.name for c in customer.columns}


def test_reserved_words_come_from_sqlglot_per_dialect():
    assert "order" in reserved("postgres") and "order" in reserved("mysql") and "order" in reserved("tsql")
    assert "group" in reserved("sqlite") and "select" in reserved("mysql")
    assert "key" in reserved("mysql")  # a MySQL word PostgreSQL does not reserve
    assert not is_reserved("customer") and not is_reserved("email") and not is_reserved("value")


# ----------------------------------------------------------------------------- row widths, parsed from the DDL


def _widths_from_ddl(script: str, dialect: str) -> dict[str, dict[str, int]]:
    """Per table, the worst-case row width under each limit of ``dialect``, from sqlglot's parse of the DDL."""
    out: dict[str, dict[str, int]] = {}
    for statement in sqlglot.parse(script, read=dialect):
        if not isinstance(statement, exp.Create) or statement.kind != "TABLE":
            continue
        schema = statement.this
        types = [
            col.args["kind"].sql(dialect=dialect)
            for col in schema.expressions
            if isinstance(col, exp.ColumnDef) and col.args.get("kind") is not None
        ]
        out[schema.this.name] = {what: row_width(types, dialect, what) for (d, what) in LIMITS if d == dialect}
    return out


@pytest.mark.parametrize("which", ["demo", "enterprise"])
def test_every_table_fits_every_dialects_row_limit(which, enterprise):
    """MySQL's and SQL Server's DDL parsed with sqlglot; each table's row width under each limit (PostgreSQL too)."""
    model = draft_of(_demo() if which == "demo" else enterprise)
    widest = {}
    for dialect in ("postgres", "mysql", "tsql"):
        widths = _widths_from_ddl(sql(model, dialect, seed=False), dialect)
        assert set(widths) == {t.name for t in model.tables}
        for table, per_limit in widths.items():
            for what, width in per_limit.items():
                assert width <= LIMITS[(dialect, what)], (dialect, what, table, width)
                widest[(dialect, what)] = max(widest.get((dialect, what), 0), width)
    assert set(widest) == set(LIMITS)


def test_a_table_too_wide_for_a_row_is_split_and_says_so():
    attrs = [m.Attribute(f"a{i}", f"A{i}", entity="visit_log", type="money") for i in range(600)]
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="wide"),
        attributes=attrs,
        use_cases=[m.UseCase("u", "U", needs=[m.Need(a.id) for a in attrs])],
    )
    model = draft_of(ws)
    parts = [t for t in model.tables if t.entity == "visit_log"]
    assert len(parts) >= 2 and [t.kind for t in parts][1:] == ["extension"] * (len(parts) - 1)
    for dialect in ("postgres", "mysql", "tsql"):
        for table, per_limit in _widths_from_ddl(sql(model, dialect, seed=False), dialect).items():
            for what, width in per_limit.items():
                assert width <= LIMITS[(dialect, what)], (dialect, table, width)
    split = [d for d in model.open_decisions if d.rule == "row-size"]
    assert len(split) == len(parts) - 1 and "bytes" in split[0].finding
