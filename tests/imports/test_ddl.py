"""needsmap import ddl: CREATE TABLE statements of real systems, matched to attributes, preview first."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.imports import ddl
from needsmap.imports.column_match import ColumnMatcher
from needsmap.imports.ddl import guess_dialect, plan_ddl_import, read_ddl
from needsmap.imports.schema import SchemaError, parse_table_globs, propose, select_tables
from tests.conftest import DATA, assert_opens_clean

IMPORT = DATA / "import"
#: The real systems whose customer tables' DDL is in tests/data/import (see tests/data/README.md).
SYSTEMS = ("prestashop", "odoo", "saleor", "espocrm", "sylius")


def _labels(system: str) -> dict:
    return yaml.safe_load((IMPORT / f"{system}_labels.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ real schemas, hand-set labels


@pytest.mark.parametrize("system", SYSTEMS)
def test_every_column_of_the_real_ddl_is_labelled_and_proposed_once(system):
    """The labels cover exactly the columns sqlglot reads, and no column is dropped from the proposals."""
    labels = _labels(system)
    schema = read_ddl(IMPORT / f"{system}.sql", labels["dialect"])
    read = [f"{t.name}.{c.name}" for t in schema.tables for c in t.columns]
    assert len(read) == len(set(read))
    assert set(read) == set(labels["labels"])
    proposals = propose(schema.tables, ColumnMatcher.from_catalog())
    assert [p.key for p in proposals] == read


@pytest.mark.parametrize("system", SYSTEMS)
def test_real_customer_tables_are_kept_by_the_heuristics(system):
    """Every table with a labelled customer column is recognised as customer-related without --tables."""
    labels = _labels(system)
    schema = read_ddl(IMPORT / f"{system}.sql", labels["dialect"])
    kept, _left = select_tables(schema.tables, ColumnMatcher.from_catalog())
    needed = {key.rsplit(".", 1)[0] for key, want in labels["labels"].items() if want}
    assert needed <= {t.name for t in kept}


def test_top1_accuracy_on_real_schemas_reaches_85_percent():
    """Hand-set labels of five real systems (two dialects each way): the top proposal is right >= 85%."""
    matcher = ColumnMatcher.from_catalog()
    right = total = 0
    per_system = {}
    for system in SYSTEMS:
        labels = _labels(system)
        schema = read_ddl(IMPORT / f"{system}.sql", labels["dialect"])
        proposals = {p.key: p for p in propose(schema.tables, matcher)}
        ok = n = 0
        for key, want in labels["labels"].items():
            if want is None:
                continue
            n += 1
            ok += proposals[key].attribute == want
        per_system[system] = ok / n
        right, total = right + ok, total + n
    assert total >= 200
    assert right / total >= 0.85, per_system
    assert min(per_system.values()) >= 0.75, per_system


def test_the_labels_name_real_catalog_ids():
    from needsmap.catalog.entries import load_catalog

    ids = {e.id for e in load_catalog().entries}
    for system in SYSTEMS:
        for key, want in _labels(system)["labels"].items():
            assert want is None or want in ids, (system, key, want)


def test_table_context_and_comments_drive_matching():
    ddl = IMPORT / "odoo.sql"
    schema = read_ddl(ddl, "postgres")
    partner = next(t for t in schema.tables if t.name == "res_partner")
    assert partner.schema == "public"
    comments = {c.name: c.comment for c in partner.columns}
    assert comments["vat"] == "Tax ID" and comments["function"] == "Job Position"
    proposals = {p.key: p for p in propose(schema.tables, ColumnMatcher.from_catalog())}
    assert proposals["res_partner.zip"].attribute == "postal_code"
    assert proposals["res_partner.tz"].attribute == "time_zone"


def test_a_comment_is_a_second_reading_of_a_cryptic_column(tmp_path):
    sql = tmp_path / "legacy.sql"
    sql.write_text(
        "CREATE TABLE klant (\n  kl_nr INT NOT NULL,\n  gebdat DATE COMMENT 'Geboortedatum',\n"
        "  x7 VARCHAR(40) COMMENT 'Woonplaats'\n) ENGINE=InnoDB;\n",
        encoding="utf-8",
    )
    schema = read_ddl(sql)
    assert schema.dialect == "mysql"
    proposals = {p.key: p for p in propose(schema.tables, ColumnMatcher.from_catalog(), where=str(sql))}
    assert proposals["klant.gebdat"].attribute == "date_of_birth"
    assert proposals["klant.x7"].attribute == "city"
    assert "comment 'Woonplaats'" in proposals["klant.x7"].reason
    assert proposals["klant.x7"].at == f"{sql}:4"


def test_alter_table_add_column_and_other_dialects(tmp_path):
    cases = {
        "tsql": "CREATE TABLE [dbo].[Customers] ([CustomerID] INT IDENTITY(1,1) NOT NULL, [FirstName] NVARCHAR(50),"
        " [EmailAddress] NVARCHAR(MAX) NULL)\nGO\nALTER TABLE [dbo].[Customers] ADD [BirthDate] DATE NULL\nGO\n",
        "oracle": "CREATE TABLE customers (customer_id NUMBER(10) NOT NULL, first_name VARCHAR2(50), "
        "email_address VARCHAR2(255));\nALTER TABLE customers ADD (birth_date DATE);\n",
        "sqlite": "CREATE TABLE customers (customer_id INTEGER PRIMARY KEY AUTOINCREMENT, first_name TEXT, "
        "email_address TEXT);\nALTER TABLE customers ADD COLUMN birth_date TEXT;\n",
    }
    for dialect, text in cases.items():
        path = tmp_path / f"{dialect}.sql"
        path.write_text(text, encoding="utf-8")
        assert guess_dialect(text)[0] == dialect
        schema = read_ddl(path, dialect)
        (table,) = schema.tables
        assert table.name.lower() == "customers"
        got = {p.column.lower(): p.attribute for p in propose(schema.tables, ColumnMatcher.from_catalog())}
        assert got == {
            "customerid" if dialect == "tsql" else "customer_id": "customer_id",
            "firstname" if dialect == "tsql" else "first_name": "first_name",
            "emailaddress" if dialect == "tsql" else "email_address": "email",
            "birthdate" if dialect == "tsql" else "birth_date": "date_of_birth",
        }, dialect


def test_tables_globs_include_and_exclude(tmp_path):
    schema = read_ddl(IMPORT / "prestashop.sql", "mysql")
    matcher = ColumnMatcher.from_catalog()
    include, exclude = parse_table_globs(["ps_customer*", "!ps_customer_thread"])
    assert (include, exclude) == (["ps_customer*"], ["ps_customer_thread"])
    kept, left = select_tables(schema.tables, matcher, include, exclude)
    assert [t.name for t in kept] == ["ps_customer", "ps_customer_group"]
    assert dict(left) == {
        "ps_address": "not chosen by --tables",
        "ps_customer_thread": "excluded by --tables",
        "ps_guest": "not chosen by --tables",
    }
    kept, _ = select_tables(schema.tables, matcher, (), ["PS_GUEST"])  # case-insensitive
    assert "ps_guest" not in {t.name for t in kept}


def test_non_customer_tables_are_left_out_and_named(tmp_path, small):
    sql = tmp_path / "shop.sql"
    sql.write_text(
        IMPORT.joinpath("prestashop.sql").read_text(encoding="utf-8")
        + "\nCREATE TABLE `ps_product` (`id_product` int(10) unsigned NOT NULL, `reference` varchar(64),"
        " `price` decimal(20,6), `weight` decimal(20,6), `ean13` varchar(13)) ENGINE=InnoDB;\n"
        "CREATE TABLE `ps_mail` (`id_mail` int NOT NULL, `recipient` varchar(255), `template` "
        "varchar(62), `subject` varchar(255), `id_lang` int, `date_add` timestamp) ENGINE=InnoDB;\n",
        encoding="utf-8",
    )
    result = plan_ddl_import(assert_opens_clean(small), sql, system="shop")
    assert "ps_product" not in {t.name for t in result.kept}
    assert "ps_product" in dict(result.left_out)
    assert any("left out: " in n and "ps_product" in n for n in result.plan.notes)
    assert not any(p.table == "ps_product" for p in result.proposals)


# ------------------------------------------------------------------ the plan


def test_plan_accepts_confident_matches_and_lists_the_rest(small):
    ws = assert_opens_clean(small)
    result = plan_ddl_import(ws, IMPORT / "sylius.sql", system="shop", dialect="mysql", accept_above=0.9)
    plan = result.plan
    by_kind: dict[str, list] = {}
    for change in plan.changes:
        by_kind.setdefault(change.kind, []).append(change)
    assert by_kind["add"][0].section == "systems" and by_kind["add"][0].ident == "shop"
    holdings = {c.item.holding.attribute: c for c in by_kind["add"] if c.section == "holdings"}
    assert holdings["first_name"].item.holding.field == "sylius_customer.first_name"
    assert holdings["first_name"].item.confidence >= 0.9
    assert holdings["first_name"].item.reason
    # the workshop's own attribute is used (email), catalog attributes it lacks are added
    assert holdings["email"].item.holding.field == "sylius_customer.email"
    added_attrs = {c.ident for c in by_kind["add"] if c.section == "attributes"}
    assert "email" not in added_attrs and {"first_name", "postal_code"} <= added_attrs
    # every column is somewhere in the plan: a holding, a review (ambiguous) or a listed skip
    mentioned = " ".join(f"{c.label} {c.message}" for c in plan.changes)
    for p in result.proposals:
        assert p.key in mentioned, p.key
    skipped = {c.label for c in by_kind["skip"]}
    assert "sylius_shop_user.salt" in skipped  # unmatched: listed, not dropped
    for c in by_kind.get("ambiguous", []):
        assert c.message.startswith("review: ")


def test_cli_ddl_dry_run_then_apply(runner, small):
    before = small.read_bytes()
    args = ["import", "ddl", str(IMPORT / "prestashop.sql"), str(small), "--system", "prestashop", "--dialect", "mysql"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing written" in result.output
    assert "ps_customer.firstname" in result.output
    assert small.read_bytes() == before
    # the table's own key is proposed for review (0.88: such readings were right nine times in ten on the
    # labelled systems), so the architect who applies the import accepts from 0.85
    result = runner.invoke(main, [*args, "--apply", "--accept-above", "0.85"])
    assert result.exit_code == 0, result.output
    ws = assert_opens_clean(small)
    shop = next(s for s in ws.systems if s.id == "prestashop")
    fields = {h.attribute: h.field for h in shop.holds}
    assert fields["first_name"] == "ps_customer.firstname"
    assert fields["email"] == "ps_customer.email"
    # the customer's key: its own table's, and a child table's key to it (ps_guest.id_customer) may be held too
    assert "ps_customer.id_customer" in {h.field for h in shop.holds if h.attribute == "customer_id"}
    assert {"first_name", "postal_code", "city"} <= {a.id for a in ws.attributes}
    # again: nothing new
    result = runner.invoke(main, [*args, "--apply"])
    assert result.exit_code == 0
    assert "nothing to change; not written" in result.output


def test_cli_ddl_starts_a_new_workshop(runner, tmp_path):
    into = tmp_path / "new.yaml"
    result = runner.invoke(
        main, ["import", "ddl", str(IMPORT / "saleor.sql"), str(into), "--system", "saleor", "--apply"]
    )
    assert result.exit_code == 0, result.output
    ws = assert_opens_clean(into)
    assert any(h.field == "account_user.email" for h in ws.systems[0].holds)


# ------------------------------------------------------------------ bad input


def _bad(runner, tmp_path, path: Path, *extra: str) -> str:
    into = tmp_path / "out.yaml"
    review = tmp_path / "review.yaml"
    result = runner.invoke(
        main, ["import", "ddl", str(path), str(into), "--system", "crm", "--review", str(review), *extra]
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not into.exists() and not review.exists()
    assert "nothing written" in result.output
    return result.output


def test_binary_file_is_refused(runner, tmp_path):
    path = tmp_path / "shop.db"
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customer (email TEXT)")
    out = _bad(runner, tmp_path, path)
    assert f"{path}: error: this is a binary file, not SQL text" in out
    assert "needsmap import db sqlite:///" in out


def test_invalid_sql_is_located(runner, tmp_path):
    path = tmp_path / "broken.sql"
    path.write_text("-- customers\nCREATE TABLE customer (\n  id int,\n  email varchar(255\n);\n", encoding="utf-8")
    out = _bad(runner, tmp_path, path, "--dialect", "mysql")
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:5:") and "error: not valid mysql SQL" in first


def test_text_without_create_table_is_refused(runner, tmp_path):
    path = tmp_path / "notes.sql"
    path.write_text("SELECT 1;\nINSERT INTO t VALUES (1);\n", encoding="utf-8")
    assert "error: no CREATE TABLE statement found" in _bad(runner, tmp_path, path)


def test_not_utf8_missing_file_and_unknown_dialect(runner, tmp_path):
    path = tmp_path / "latin.sql"
    path.write_bytes(b"CREATE TABLE t (\n  stra\xdfe varchar(10)\n);\n")
    assert f"{path}:2: error: not UTF-8 text" in _bad(runner, tmp_path, path)
    assert "error: no such file" in _bad(runner, tmp_path, tmp_path / "nope.sql")
    ok = tmp_path / "ok.sql"
    ok.write_text("CREATE TABLE customer (email varchar(10));", encoding="utf-8")
    assert "unknown SQL dialect 'cobol'" in _bad(runner, tmp_path, ok, "--dialect", "cobol")


def test_read_ddl_raises_schema_errors_not_tracebacks(tmp_path):
    path = tmp_path / "x.sql"
    path.write_text("CREATE TABLE customer (id int", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"x\.sql:1:\d+: error: not valid"):
        read_ddl(path, "postgres")


# ------------------------------------------------------------------ bounded work and memory


def _customer_tables(n: int, start: int = 0, columns: str = "email varchar(200), first_name varchar(50)") -> str:
    return "".join(f"CREATE TABLE customer_{i} ({columns});\n" for i in range(start, start + n))


def test_a_file_over_the_size_limit_is_refused_at_once(runner, tmp_path):
    """A 33 MiB file is refused from its size (never read), with the size and the limit: the unbounded reader
    took minutes and gigabytes on such a file."""
    path = tmp_path / "huge.sql"
    line = b"CREATE TABLE customer (email varchar(200));\n"
    with path.open("wb") as fh:
        fh.write(line * (33 * 1024 * 1024 // len(line) + 1))
    start = time.perf_counter()
    out = _bad(runner, tmp_path, path)
    assert time.perf_counter() - start < 2
    first = out.splitlines()[0]
    assert first.startswith(f"{path}: error: the file is 33 MiB, larger than 32 MiB, the most a DDL file may be")
    assert "nothing read" in first


def test_statements_are_cut_outside_quotes_comments_and_dollar_bodies():
    text = (
        "-- a; comment\n"
        "CREATE TABLE a (x varchar(9) DEFAULT ';', \"we;ird\" int); /* b; */\n"
        "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN; CREATE TABLE fake (y int); END $body$ LANGUAGE plpgsql;\n"
        "COMMENT ON COLUMN a.x IS 'it''s; fine';"
    )
    stmts = list(ddl.split_statements(text, "postgres"))
    assert [text[s.start : s.end].split()[:2] for s in stmts] == [
        ["CREATE", "TABLE"],
        ["CREATE", "FUNCTION"],
        ["COMMENT", "ON"],
    ]
    assert [(s.line, s.col) for s in stmts] == [(2, 1), (3, 1), (4, 1)]
    mysql = "CREATE TABLE `a;b` (c varchar(9) DEFAULT 'it\\'s;') ENGINE=InnoDB;\n# x; y\nCREATE TABLE d (e int);"
    assert len(list(ddl.split_statements(mysql, "mysql"))) == 2
    tsql = "CREATE TABLE [x;y] (a int)\nGO\nCREATE TABLE z (b int)\ngo 2\n"
    assert [(s.line, s.col) for s in ddl.split_statements(tsql, "tsql")] == [(1, 1), (3, 1)]


def test_only_the_tables_of_a_dump_are_parsed_and_a_function_body_is_not_a_table(tmp_path):
    sql = tmp_path / "dump.sql"
    sql.write_text(
        "SET client_encoding = 'UTF8';\n"
        "CREATE FUNCTION f() RETURNS int AS $$ BEGIN; CREATE TABLE fake (y int); END $$ LANGUAGE plpgsql;\n"
        "CREATE TABLE public.customer (\n  id serial PRIMARY KEY,\n  email character varying(200)\n);\n"
        "CREATE INDEX customer_email ON public.customer (email);\n"
        "ALTER TABLE ONLY public.customer ADD CONSTRAINT customer_pkey PRIMARY KEY (id);\n"
        "ALTER TABLE public.customer ADD COLUMN birth_date date;\n"
        "COMMENT ON COLUMN public.customer.email IS 'E-mail; primary';\n",
        encoding="utf-8",
    )
    schema = read_ddl(sql)
    (table,) = schema.tables
    assert (table.name, table.schema, table.line) == ("customer", "public", 3)
    assert [(c.name, c.line) for c in table.columns] == [("id", 4), ("email", 5), ("birth_date", 9)]
    assert table.columns[1].comment == "E-mail; primary"
    assert any("skipped (" in n and "CREATE FUNCTION 1" in n and "CREATE INDEX 1" in n for n in schema.notes)


def test_a_statement_sqlglot_cannot_read_is_skipped_with_a_located_warning(runner, tmp_path):
    """One bad statement no longer sinks the file: it is named FILE:LINE:COL and the rest is read."""
    sql = tmp_path / "shop.sql"
    sql.write_text(
        "CREATE TABLE customer (\n  email varchar(200),\n  first_name varchar(50)\n);\n"
        "CREATE TABLE broken (\n  id int,\n  x varchar(255\n);\n"
        "CREATE TABLE address (\n  city varchar(80),\n  postcode varchar(10)\n);\n",
        encoding="utf-8",
    )
    schema = read_ddl(sql, "mysql")
    assert [t.name for t in schema.tables] == ["customer", "address"]
    (warning,) = schema.warnings
    assert warning.startswith(f"{sql}:8:1: warning: not valid mysql SQL") and warning.endswith("statement skipped")
    into = tmp_path / "ws.yaml"
    result = runner.invoke(main, ["import", "ddl", str(sql), str(into), "--system", "crm", "--dialect", "mysql"])
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    assert "customer.email" in result.stdout and "address.city" in result.stdout
    assert "1 statement(s) not read as mysql SQL and skipped, the first at 8:1" in result.stdout


def test_tables_left_out_by_globs_are_named_but_never_parsed(tmp_path):
    sql = tmp_path / "shop.sql"
    sql.write_text(
        "CREATE TABLE customer (email varchar(200));\n"
        "CREATE TABLE `legacy` (a int,, b varchar(9);\n"
        "CREATE TABLE product (sku varchar(20));\n",
        encoding="utf-8",
    )
    (warning,) = read_ddl(sql, "mysql", include=["*"]).warnings
    assert warning.startswith(f"{sql}:2:")
    schema = read_ddl(sql, "mysql", include=["customer*"])
    assert schema.warnings == []
    assert {t.name: len(t.columns) for t in schema.tables} == {"customer": 1, "legacy": 0, "product": 0}
    kept, left = select_tables(schema.tables, ColumnMatcher.from_catalog(), ["customer*"])
    assert [t.name for t in kept] == ["customer"]
    assert dict(left) == {"legacy": "not chosen by --tables", "product": "not chosen by --tables"}


def test_at_most_max_tables_and_columns_are_read_and_the_rest_is_named(tmp_path):
    sql = tmp_path / "many.sql"
    sql.write_text(_customer_tables(30), encoding="utf-8")
    schema = read_ddl(sql, "postgres", max_tables=12)
    assert [t.name for t in schema.tables] == [f"customer_{i}" for i in range(12)]
    (warning,) = schema.warnings
    assert warning.startswith(f"{sql}:13:1: warning: 18 more CREATE TABLE statements from here on not read")
    assert "at most 12 tables" in warning and "--tables GLOB" in warning
    schema = read_ddl(sql, "postgres", max_columns=9)  # two columns a table: the fifth table reaches 10
    assert len(schema.tables) == 5
    # --tables reaches the tables after the limit: those it leaves out do not count
    schema = read_ddl(sql, "postgres", max_tables=12, include=["customer_2?"])
    read = [t.name for t in schema.tables if t.columns]
    assert read == [f"customer_{i}" for i in range(20, 30)] and schema.warnings == []


def test_a_schema_beyond_the_limits_answers_fast_with_a_short_preview(runner, tmp_path):
    """More tables than are read (the real limit): a warning, the first tables read, a preview of 50 tables."""
    from needsmap.imports.schema import MAX_TABLES, PREVIEW_TABLES

    sql = tmp_path / "huge.sql"
    extra = 150
    sql.write_text(_customer_tables(MAX_TABLES + extra, columns="email varchar(200)"), encoding="utf-8")
    into = tmp_path / "ws.yaml"
    start = time.perf_counter()
    result = runner.invoke(main, ["import", "ddl", str(sql), str(into), "--system", "crm", "--dialect", "mysql"])
    seconds = time.perf_counter() - start
    assert result.exit_code == 0, result.output
    assert f"{extra} more CREATE TABLE statements from here on not read" in result.stderr
    out = result.stdout
    assert f"only the first {MAX_TABLES:,} tables read ({MAX_TABLES:,} columns)" in out
    hidden = MAX_TABLES - PREVIEW_TABLES
    assert f"... and {hidden:,} more tables ({hidden:,} columns) not shown: 0 to add, 0 to merge, " in out
    assert f"0 unchanged, 0 ambiguous, {hidden} skipped; --review FILE writes every proposal" in out
    assert f"customer_{PREVIEW_TABLES - 1}.email" in out and f"customer_{PREVIEW_TABLES}.email" not in out
    assert len(out.splitlines()) < 100
    assert f"3 to add, 0 to merge, 0 unchanged, 0 ambiguous, {MAX_TABLES - 1} skipped" in out  # the whole plan
    assert seconds < 60  # about 5 s on a 2-core VM; the unbounded reader took minutes and gigabytes at 10 MB


def test_the_preview_of_many_tables_shows_the_first_and_counts_the_rest(runner, tmp_path):
    from needsmap.imports.schema import PREVIEW_TABLES

    sql = tmp_path / "shop.sql"
    sql.write_text(_customer_tables(PREVIEW_TABLES + 20), encoding="utf-8")
    review = tmp_path / "review.yaml"
    into = tmp_path / "ws.yaml"
    args = ["import", "ddl", str(sql), str(into), "--system", "crm", "--review", str(review)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "... and 20 more tables (40 columns) not shown: 0 to add, 0 to merge, 0 unchanged, 0 ambiguous, 40 skipped;"
        in (result.stdout)
    )
    assert f"customer_{PREVIEW_TABLES - 1}.first_name" in result.stdout
    assert f"customer_{PREVIEW_TABLES}.first_name" not in result.stdout
    doc = yaml.safe_load(review.read_text(encoding="utf-8"))
    assert len(doc["proposals"]) == 2 * (PREVIEW_TABLES + 20)  # the review file has them all
    result = runner.invoke(main, [*args[:-2], "--apply"])
    assert result.exit_code == 0, result.output
    held = {h.field for h in assert_opens_clean(into).systems[0].holds}
    assert held == {"customer_0.email", "customer_0.first_name"}
