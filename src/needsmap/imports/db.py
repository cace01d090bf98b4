"""Reading the schema of a live database through SQLAlchemy, for ``needsmap import db``.

:func:`read_db_schema` connects (read-only where the driver allows: SQLite
is opened with ``mode=ro``, PostgreSQL sessions are read-only) and reflects
the tables and columns of one schema (SQLAlchemy's inspector: SQLite and
PostgreSQL are tested; other databases work through the SQLAlchemy dialect
and driver the user installs).  :func:`measure_coverage` (``--profile``)
measures, per matched column, the share of non-empty values in a bounded
sample of rows: ``SELECT count(*), count(CASE WHEN col <> '' ...) FROM
(SELECT ... FROM table LIMIT n)``; NULL, and for text columns the empty
string, count as empty.

Work is bounded as for DDL: the tables ``--tables`` leaves out are named from
the list of tables and their columns never read, and at most
:data:`~needsmap.imports.schema.MAX_TABLES` tables and about
:data:`~needsmap.imports.schema.MAX_COLUMNS` columns are read, with a warning
saying how many more the schema has.

Passwords never leave this module: :func:`safe_url` is the URL without its
password (what messages, review files and workshops may show), and every
error message has the password masked (:func:`mask`).  The command line
refuses a URL with a password in it (:func:`password_in_url`): the password
comes from ``NEEDSMAP_DB_PASSWORD`` or the driver's own means (``~/.pgpass``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from needsmap.imports.schema import (
    MAX_COLUMNS,
    MAX_TABLES,
    Proposal,
    SchemaColumn,
    SchemaError,
    SchemaTable,
    chosen_by_globs,
)

if TYPE_CHECKING:  # imported when a database is read (import db), not with needsmap
    from sqlalchemy.engine import URL, Engine

#: The environment variable a password is read from (never from the command line).
PASSWORD_ENV = "NEEDSMAP_DB_PASSWORD"
#: Rows sampled per table by --profile (default).
DEFAULT_SAMPLE_ROWS = 10_000
CONNECT_TIMEOUT_SECONDS = 10
_SECRET_QUERY_KEYS = re.compile(r"pass|pwd|secret|token|key", re.I)


class DbError(SchemaError):
    """The database cannot be read; the message is complete and never holds a password."""


@dataclass(frozen=True, slots=True)
class ParsedUrl:
    url: URL
    safe: str  # shown everywhere: no password, no secret query values
    secrets: tuple[str, ...]  # texts to mask in any message


def parse_url(text: str) -> ParsedUrl:
    """Parse a SQLAlchemy URL; raises :class:`DbError` (with the password masked) when it is not one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    secrets = _secrets_in_text(text)
    try:
        url = make_url(text)
    except (ArgumentError, ValueError, TypeError):
        raise DbError(
            f"{mask(text, secrets)}: error: not a database URL; expected "
            f"DIALECT[+DRIVER]://USER@HOST[:PORT]/DATABASE or sqlite:///FILE"
        ) from None
    if url.password:
        secrets = (*secrets, str(url.password))
    for key, value in url.query.items():
        if _SECRET_QUERY_KEYS.search(key):
            secrets = (*secrets, *(value if isinstance(value, tuple) else (value,)))
    return ParsedUrl(url, safe_url(url), tuple(s for s in secrets if s))


def _secrets_in_text(text: str) -> tuple[str, ...]:
    """The password of ``scheme://user:password@host`` even when the rest does not parse."""
    match = re.match(r"^[^:/]+://[^:/@]*:([^@]*)@", text)
    return (match.group(1),) if match and match.group(1) else ()


def safe_url(url: URL) -> str:
    """The URL without its password (and without secret query values): safe to show and to store."""
    from sqlalchemy.engine import URL

    query = {k: v for k, v in url.query.items() if not _SECRET_QUERY_KEYS.search(k)}
    clean = URL.create(
        url.drivername,
        username=url.username,
        password=None,
        host=url.host,
        port=url.port,
        database=url.database,
        query=query,
    )
    return clean.render_as_string(hide_password=True)


def password_in_url(parsed: ParsedUrl) -> bool:
    return bool(parsed.secrets)


def mask(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (and its URL-encoded form) replaced by ``***``."""
    from urllib.parse import quote, quote_plus

    for secret in sorted(set(secrets), key=len, reverse=True):
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, "***")
    return text


def _engine(parsed: ParsedUrl, password: str | None) -> Engine:
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = parsed.url
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            raise DbError(
                f"{parsed.safe}: error: an in-memory SQLite database is empty; give a file: sqlite:///path/to/file.db"
            )
        path = Path(database)
        if not path.is_file():
            raise DbError(f"{parsed.safe}: error: no such database file: {path}")
        import sqlite3
        from urllib.parse import quote

        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        return sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    if password:
        url = url.set(password=password)
    connect_args: dict = {}
    if backend == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        connect_args["options"] = "-c default_transaction_read_only=on"
    elif backend in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    try:
        return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=False)
    except NoSuchModuleError:
        raise DbError(
            f"{parsed.safe}: error: SQLAlchemy has no dialect '{url.drivername}' installed; install "
            f"the SQLAlchemy dialect and driver for this database, or check the URL's scheme"
        ) from None
    except ModuleNotFoundError as exc:
        raise DbError(
            f"{parsed.safe}: error: the database driver '{exc.name}' is not installed (pip install it next to needsmap)"
        ) from None
    except (ArgumentError, ValueError, TypeError) as exc:
        raise DbError(mask(f"{parsed.safe}: error: {exc}", parsed.secrets)) from None


def _failure(safe: str, secrets: Sequence[str], exc: Exception, doing: str) -> DbError:
    """A clear, password-free message for a failure of the driver or the server at ``safe`` (the URL shown)."""
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split()) or type(original).__name__
    return DbError(mask(f"{safe}: error: cannot {doing}: {text[:400]}", secrets))


@dataclass(slots=True)
class DbSchema:
    tables: list[SchemaTable]
    safe_url: str
    engine: Engine  # for profiling; dispose() when done
    schema: str | None
    secrets: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)  # ``URL: warning: ...``: limits reached
    notes: list[str] = field(default_factory=list)  # for the preview

    def close(self) -> None:
        self.engine.dispose()


def read_db_schema(
    url_text: str,
    *,
    schema: str | None = None,
    password: str | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    max_tables: int = MAX_TABLES,
    max_columns: int = MAX_COLUMNS,
) -> DbSchema:
    """Connect and reflect the tables of ``schema`` (the default schema when None).

    The tables the ``--tables`` globs ``include`` and ``exclude`` leave out are named without their columns;
    at most ``max_tables`` tables, holding about ``max_columns`` columns, are reflected.
    """
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    parsed = parse_url(url_text)
    password = password if password is not None else os.environ.get(PASSWORD_ENV) or None
    if password:  # never shown either, should a driver repeat it in a message
        parsed = ParsedUrl(parsed.url, parsed.safe, (*parsed.secrets, password))
    engine = _engine(parsed, password)
    try:
        inspector = sa.inspect(engine)
        names = inspector.get_table_names(schema=schema)
        tables = []
        read = columns = 0
        unread: list[str] = []
        for name in names:
            if not chosen_by_globs(str(name), schema, include, exclude):
                tables.append(SchemaTable(str(name), (), schema=schema))
                continue
            if read >= max_tables or columns >= max_columns:
                unread.append(str(name))
                continue
            read += 1
            cols = []
            for col in inspector.get_columns(name, schema=schema):
                cols.append(
                    SchemaColumn(
                        str(col["name"]),
                        _type_text(col.get("type"), engine),
                        comment=col.get("comment") or None,
                        nullable=col.get("nullable"),
                    )
                )
            columns += len(cols)
            tables.append(SchemaTable(str(name), tuple(cols), schema=schema))
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _failure(parsed.safe, parsed.secrets, exc, "read the schema") from None
    except Exception as exc:  # a driver's own error class (DBAPI errors are not all wrapped)
        engine.dispose()
        raise _failure(parsed.safe, parsed.secrets, exc, "read the schema") from None
    if not tables:
        engine.dispose()
        where = f"schema '{schema}'" if schema else "the default schema"
        raise DbError(f"{parsed.safe}: error: no tables in {where}" + ("" if schema else " (--schema to choose)"))
    db = DbSchema(tables, parsed.safe, engine, schema, parsed.secrets)
    if unread:
        db.warnings.append(
            f"{parsed.safe}: warning: {len(unread):,} more tables not read ({', '.join(unread[:3])}...): at most "
            f"{max_tables:,} tables and about {max_columns:,} columns are read from one schema; "
            f"--tables GLOB chooses the tables to read"
        )
        db.notes.append(
            f"only the first {read:,} tables read ({columns:,} columns): {len(unread):,} more not read "
            f"(at most {max_tables:,} tables, {max_columns:,} columns); --tables chooses"
        )
    return db


def _type_text(sqltype, engine) -> str | None:
    if sqltype is None:
        return None
    try:
        return " ".join(sqltype.compile(dialect=engine.dialect).lower().split())
    except Exception:  # a type the dialect cannot render (NullType of an unknown type)
        return type(sqltype).__name__.lower()


def measure_coverage(
    db: DbSchema, tables: Sequence[SchemaTable], proposals: Sequence[Proposal], sample_rows: int = DEFAULT_SAMPLE_ROWS
) -> tuple[dict[tuple[str, str], float | None], list[str]]:
    """({(table, column): share of non-empty values in the first ``sample_rows`` rows}, notes).

    Only columns proposed for an attribute are measured; a table without rows gives None.
    """
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    wanted: dict[str, list[str]] = {}
    for p in proposals:
        if p.attribute is not None:
            wanted.setdefault(p.table, []).append(p.column)
    types = {(t.name, c.name): c.sql_type for t in tables for c in t.columns}
    out: dict[tuple[str, str], float | None] = {}
    notes: list[str] = []
    empty: list[str] = []
    with db.engine.connect() as conn:
        for table_name, columns in wanted.items():
            table = sa.table(table_name, *(sa.column(c) for c in columns), schema=db.schema)
            sample = sa.select(*(table.c[c] for c in columns)).limit(sample_rows).subquery("sample")
            measures = [sa.func.count()]
            for c in columns:
                col = sample.c[c]
                if _is_text(types.get((table_name, c))):
                    measures.append(sa.func.count(sa.case((col != "", 1))))
                else:
                    measures.append(sa.func.count(col))
            try:
                row = conn.execute(sa.select(*measures).select_from(sample)).one()
            except SQLAlchemyError as exc:
                conn.rollback()
                raise _failure(db.safe_url, db.secrets, exc, f"profile table {table_name}") from None
            total = row[0]
            if not total:
                empty.append(table_name)
            for i, c in enumerate(columns, 1):
                out[(table_name, c)] = round(row[i] / total, 4) if total else None
    notes.append(
        f"coverage measured on at most {sample_rows:,} rows per table"
        + (f"; no rows in {', '.join(empty)}" if empty else "")
    )
    return out, notes


_TEXT_TYPES = re.compile(r"char|text|clob|string|citext|enum", re.I)


def _is_text(sql_type: str | None) -> bool:
    return bool(sql_type and _TEXT_TYPES.search(sql_type))


def plan_db_import(
    ws,
    url_text: str,
    *,
    system: str,
    schema: str | None = None,
    include=(),
    exclude=(),
    accept_above: float = 0.9,
    profile: bool = False,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    password: str | None = None,
):
    """Read the database's schema, propose holdings (with measured coverage when ``profile``): a SchemaImport."""
    from needsmap.imports.schema import plan_schema

    db = read_db_schema(url_text, schema=schema, password=password, include=include, exclude=exclude)
    try:
        coverage: Callable | None = None
        extra: list[str] = []
        if profile:

            def coverage(kept, proposals):
                found, notes = measure_coverage(db, kept, proposals, sample_rows)
                extra.extend(notes)
                return found

        result = plan_schema(
            ws,
            db.tables,
            system=system,
            source=db.safe_url,
            include=include,
            exclude=exclude,
            accept_above=accept_above,
            coverage=coverage,
            notes=db.notes,
        )
    finally:
        db.close()
    result.warnings.extend(db.warnings)
    if extra:
        from dataclasses import replace

        result.notes.extend(extra)
        result.plan = replace(result.plan, notes=(*result.plan.notes, *extra))
    return result
