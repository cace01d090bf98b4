"""needsmap import db: the schema of a live database (SQLite file, real PostgreSQL), matched and profiled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from needsmap.cli.main import main
from needsmap.imports.db import mask, parse_url, read_db_schema, safe_url
from tests.imports.conftest import holdings_of

#: Ten customers; what is filled is known per column (email 7 of 10, phone 4 of 10 with one '' that counts as empty,
#: birth date 6 of 10), and a table of products that is not about customers.
CUSTOMERS = [
    # (id, first_name, email, phone, date_of_birth)
    (1, "Ann", "ann@example.org", "+31 6 1", "1980-01-02"),
    (2, "Bob", "bob@example.org", None, "1975-05-06"),
    (3, "Cas", None, "+31 6 3", None),
    (4, "Dee", "dee@example.org", "", "1990-09-09"),
    (5, "Eva", "eva@example.org", None, None),
    (6, "Fay", None, "+31 6 6", "1985-03-03"),
    (7, "Gus", "gus@example.org", None, None),
    (8, "Hal", "hal@example.org", "+31 6 8", "2000-12-12"),
    (9, "Ida", None, None, None),
    (10, "Jan", "jan@example.org", None, "1970-07-07"),
]


def _expected_coverage(rows) -> dict[str, float]:
    n = len(rows)
    return {
        "first_name": sum(1 for r in rows if r[1]) / n,
        "email": sum(1 for r in rows if r[2]) / n,
        "phone": sum(1 for r in rows if r[3]) / n,  # '' is empty
        "date_of_birth": sum(1 for r in rows if r[4] is not None) / n,
    }


def _fill(engine) -> None:
    meta = sa.MetaData()
    customer = sa.Table(
        "customer",
        meta,
        sa.Column("customer_id", sa.Integer, primary_key=True),
        sa.Column("first_name", sa.String(100)),
        sa.Column("email", sa.String(255)),
        sa.Column("phone", sa.String(40)),
        sa.Column("date_of_birth", sa.Date),
        sa.Column("loyalty_tier", sa.String(20)),
    )
    product = sa.Table(
        "product",
        meta,
        sa.Column("sku", sa.String(20), primary_key=True),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column("weight_kg", sa.Numeric(10, 3)),
    )
    meta.create_all(engine)
    import datetime as dt

    with engine.begin() as conn:
        conn.execute(
            customer.insert(),
            [
                {
                    "customer_id": r[0],
                    "first_name": r[1],
                    "email": r[2],
                    "phone": r[3],
                    "date_of_birth": dt.date.fromisoformat(r[4]) if r[4] else None,
                    "loyalty_tier": None,
                }
                for r in CUSTOMERS
            ],
        )
        conn.execute(product.insert(), [{"sku": "A1", "price": 1, "weight_kg": 2}])


@pytest.fixture
def small(small: Path, monkeypatch) -> Path:
    """The small workshop (see tests/imports/conftest.py), with no database password in the environment."""
    monkeypatch.delenv("NEEDSMAP_DB_PASSWORD", raising=False)
    return small


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    _fill(engine)
    engine.dispose()
    return path


# ------------------------------------------------------------------ SQLite


def test_sqlite_schema_is_matched_and_profiled(runner, small, shop_db):
    before = shop_db.read_bytes()
    review = small.parent / "review.yaml"
    result = runner.invoke(
        main,
        [
            "import",
            "db",
            f"sqlite:///{shop_db}",
            str(small),
            "--system",
            "shop",
            "--profile",
            "--review",
            str(review),
            "--apply",
        ],
    )
    assert result.exit_code == 0, result.output
    assert shop_db.read_bytes() == before  # read only
    held = holdings_of(small, "shop")
    expected = _expected_coverage(CUSTOMERS)
    for attribute, share in expected.items():
        assert held[attribute].field == f"customer.{attribute}"
        assert held[attribute].coverage == pytest.approx(share), attribute
    assert "product" not in " ".join(h.field or "" for h in held.values())
    assert "left out: product" in result.output
    doc = yaml.safe_load(review.read_text(encoding="utf-8"))
    by_column = {p["column"]: p for p in doc["proposals"]}
    assert by_column["customer.email"]["coverage"] == pytest.approx(0.7)
    assert by_column["customer.loyalty_tier"]["coverage"] == 0.0  # matched, never filled
    assert doc["source"] == f"sqlite:///{shop_db}"


def test_profile_reads_a_bounded_sample(runner, small, shop_db):
    result = runner.invoke(
        main,
        [
            "import",
            "db",
            f"sqlite:///{shop_db}",
            str(small),
            "--system",
            "shop",
            "--profile",
            "--sample-rows",
            "4",
            "--apply",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "coverage measured on at most 4 rows per table" in result.output
    held = holdings_of(small, "shop")
    first_four = _expected_coverage(CUSTOMERS[:4])  # SQLite returns rowid order: the first four inserted
    assert held["email"].coverage == pytest.approx(first_four["email"])
    assert held["phone"].coverage == pytest.approx(first_four["phone"])


def test_without_profile_no_coverage_is_claimed(runner, small, shop_db):
    result = runner.invoke(main, ["import", "db", f"sqlite:///{shop_db}", str(small), "--system", "shop", "--apply"])
    assert result.exit_code == 0, result.output
    assert all(h.coverage is None for h in holdings_of(small, "shop").values())


def test_missing_sqlite_file_is_not_created(runner, small, tmp_path):
    missing = tmp_path / "nope.db"
    result = runner.invoke(main, ["import", "db", f"sqlite:///{missing}", str(small), "--system", "shop"])
    assert result.exit_code == 2
    assert "error: no such database file" in result.output and "nothing written" in result.output
    assert not missing.exists()


# ------------------------------------------------------------------ URLs, passwords, unreachable servers


def test_password_in_url_is_refused_and_never_echoed(runner, small, tmp_path):
    review = tmp_path / "review.yaml"
    before = small.read_bytes()
    for url in (
        "postgresql+psycopg://alice:S3cr%40t-pw@127.0.0.1:1/crm",
        "postgresql+psycopg://alice@127.0.0.1:1/crm?password=S3cr@t-pw",
    ):
        result = runner.invoke(main, ["import", "db", url, str(small), "--system", "crm", "--review", str(review)])
        assert result.exit_code == 2, result.output
        assert "S3cr" not in result.output and "%40t" not in result.output
        assert "holds a password" in result.output and "NEEDSMAP_DB_PASSWORD" in result.output
        assert "Traceback" not in result.output
    assert small.read_bytes() == before and not review.exists()


def test_unreachable_database_gives_a_clear_message(runner, small, tmp_path, monkeypatch):
    monkeypatch.setenv("NEEDSMAP_DB_PASSWORD", "hunter2-secret")
    review = tmp_path / "review.yaml"
    before = small.read_bytes()
    result = runner.invoke(
        main,
        [
            "import",
            "db",
            "postgresql+psycopg://alice@127.0.0.1:1/crm",
            str(small),
            "--system",
            "crm",
            "--review",
            str(review),
        ],
    )
    assert result.exit_code == 2, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("postgresql+psycopg://alice@127.0.0.1:1/crm: error: cannot read the schema:")
    assert "hunter2" not in result.output and "Traceback" not in result.output
    assert small.read_bytes() == before and not review.exists()


def test_bad_urls(runner, small):
    for url, message in (
        ("not a url", "error: not a database URL"),
        ("nosuchdb://u@h/db", "SQLAlchemy has no dialect 'nosuchdb'"),
        ("sqlite://", "in-memory SQLite database is empty"),
    ):
        result = runner.invoke(main, ["import", "db", url, str(small), "--system", "crm"])
        assert result.exit_code == 2, (url, result.output)
        assert message in result.output, (url, result.output)
        assert "Traceback" not in result.output


def test_masking_helpers():
    parsed = parse_url("postgresql+psycopg://bob:p%40ss@db.example:5432/crm?sslmode=require&password=x2")
    assert parsed.safe == "postgresql+psycopg://bob@db.example:5432/crm?sslmode=require"
    assert "p@ss" in parsed.secrets and "x2" in parsed.secrets
    assert mask("failed for p@ss and p%40ss", parsed.secrets) == "failed for *** and ***"
    assert safe_url(sa.engine.make_url("sqlite:///a.db")) == "sqlite:///a.db"
    with pytest.raises(Exception) as info:
        parse_url("post gres://bob:topsecret@")
    assert "topsecret" not in str(info.value)


# ------------------------------------------------------------------ PostgreSQL (a real server)


def test_postgres_schema_is_matched_and_profiled(runner, small, postgres_url, tmp_path, monkeypatch):
    engine = sa.create_engine(postgres_url)
    try:
        _fill(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE SCHEMA crm"))
            conn.execute(
                sa.text(
                    'CREATE TABLE crm.contact (id serial PRIMARY KEY, "FirstName" varchar(50), '
                    '"EmailAddress" varchar(200), "BirthDate" date)'
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO crm.contact (\"FirstName\", \"EmailAddress\") VALUES ('a', 'a@x'), "
                    "('b', NULL), ('c', '')"
                )
            )
            conn.execute(sa.text("COMMENT ON COLUMN crm.contact.\"BirthDate\" IS 'Date of birth'"))
    finally:
        engine.dispose()
    # a password from the environment is used (the test server trusts local users) and never shown
    monkeypatch.setenv("NEEDSMAP_DB_PASSWORD", "pg-env-secret")
    review = tmp_path / "review.yaml"
    result = runner.invoke(
        main,
        ["import", "db", postgres_url, str(small), "--system", "shop", "--profile", "--review", str(review), "--apply"],
    )
    assert result.exit_code == 0, result.output
    held = holdings_of(small, "shop")
    for attribute, share in _expected_coverage(CUSTOMERS).items():
        assert held[attribute].coverage == pytest.approx(share), attribute
    result = runner.invoke(
        main,
        ["import", "db", postgres_url, str(small), "--system", "marketing", "--schema", "crm", "--profile", "--apply"],
    )
    assert result.exit_code == 0, result.output
    crm = holdings_of(small, "marketing")
    assert crm["email"].field == "contact.EmailAddress"
    assert crm["email"].coverage == pytest.approx(1 / 3, abs=1e-4)  # NULL and '' are empty
    assert crm["date_of_birth"].coverage == 0.0
    for text in (result.output, review.read_text(encoding="utf-8"), small.read_text(encoding="utf-8")):
        assert "pg-env-secret" not in text
    assert "127.0.0.1" not in small.read_text(encoding="utf-8")  # the workshop never stores the URL


def test_postgres_is_only_read(runner, small, postgres_url):
    from needsmap.imports.db import read_db_schema

    engine = sa.create_engine(postgres_url)
    try:
        _fill(engine)
    finally:
        engine.dispose()
    result = runner.invoke(main, ["import", "db", postgres_url, str(small), "--system", "shop", "--profile"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing written" in result.output
    db = read_db_schema(postgres_url)
    try:  # the session needsmap opens cannot write
        with db.engine.connect() as conn, pytest.raises(sa.exc.InternalError, match="read-only transaction"):
            conn.execute(sa.text("DELETE FROM customer"))
    finally:
        db.close()
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM customer")).scalar() == len(CUSTOMERS)
    finally:
        engine.dispose()


def test_sqlite_connection_is_read_only(shop_db):
    from needsmap.imports.db import read_db_schema

    db = read_db_schema(f"sqlite:///{shop_db}")
    try:
        with db.engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly"):
            conn.execute(sa.text("DELETE FROM customer"))
    finally:
        db.close()
    with sqlite3.connect(shop_db) as conn:
        assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == len(CUSTOMERS)


# ------------------------------------------------------------------ many tables: bounded


def _many_tables_db(path: Path, n: int) -> Path:
    with sqlite3.connect(path) as conn:
        for i in range(n):
            conn.execute(f"CREATE TABLE customer_{i:03} (email TEXT, first_name TEXT)")
    return path


def test_at_most_max_tables_are_reflected_and_globs_choose_before_reading(tmp_path):
    url = f"sqlite:///{_many_tables_db(tmp_path / 'many.db', 30)}"
    db = read_db_schema(url, max_tables=12)
    try:
        assert [len(t.columns) for t in db.tables] == [2] * 12
        (warning,) = db.warnings
        assert warning.startswith(f"{url}: warning: 18 more tables not read (customer_012, customer_013, customer_014")
        assert "at most 12 tables" in warning and "--tables GLOB" in warning
    finally:
        db.close()
    db = read_db_schema(url, max_tables=12, include=["customer_02?"])  # tables after the limit, by name
    try:
        read = [t.name for t in db.tables if t.columns]
        assert read == [f"customer_{i:03}" for i in range(20, 30)] and db.warnings == []
        assert len(db.tables) == 30  # the others are named, without their columns
    finally:
        db.close()


def test_the_preview_of_many_tables_is_short_and_counts_the_rest(runner, small, tmp_path):
    from needsmap.imports.schema import PREVIEW_TABLES

    path = _many_tables_db(tmp_path / "many.db", PREVIEW_TABLES + 10)
    result = runner.invoke(main, ["import", "db", f"sqlite:///{path}", str(small), "--system", "shop"])
    assert result.exit_code == 0, result.output
    assert (
        "... and 10 more tables (20 columns) not shown: 0 to add, 0 to merge, 0 unchanged, 0 ambiguous, 20 skipped;"
        in (result.stdout)
    )
    assert f"customer_{PREVIEW_TABLES - 1:03}.email" in result.stdout
    assert f"customer_{PREVIEW_TABLES:03}.email" not in result.stdout
