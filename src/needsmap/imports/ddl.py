"""Reading SQL DDL (``CREATE TABLE`` statements) with sqlglot, for ``needsmap import ddl``.

:func:`read_ddl` reads a ``.sql`` file in one of the dialects sqlglot knows
(MySQL, PostgreSQL, T-SQL, Oracle, SQLite...; guessed from the text when not
given) and returns its tables (:class:`~needsmap.imports.schema.SchemaTable`),
each column with its SQL type, the line it is on and its comment (MySQL
``COMMENT '...'``, PostgreSQL ``COMMENT ON COLUMN``).  ``ALTER TABLE ... ADD
COLUMN`` adds columns.  Other statements (``SET``, indexes, constraints,
sequences) are skipped and counted; statements sqlglot cannot read are named
in the notes.  :func:`plan_ddl_import` chooses tables and matches columns
(:mod:`needsmap.imports.schema`).

Bad input is a :class:`~needsmap.imports.schema.SchemaError` with a complete,
located message: a binary file, a file that is not text, SQL that does not
parse (``FILE:LINE:COL``), a file without any ``CREATE TABLE``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from needsmap.format import model as m
from needsmap.imports.schema import (
    DEFAULT_ACCEPT_ABOVE,
    SchemaColumn,
    SchemaError,
    SchemaImport,
    SchemaTable,
    plan_schema,
)

#: The dialects ``--dialect`` offers (sqlglot's names); others sqlglot knows are accepted too.
DIALECTS = ("mysql", "postgres", "tsql", "oracle", "sqlite")
#: Files larger than this are refused before they are read.
MAX_BYTES = 64 * 1024 * 1024

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/|#[^\n]*", re.S)
_GO_LINE = re.compile(r"^[ \t]*GO[ \t]*(?:\d+[ \t]*)?$", re.I | re.M)
_DIALECT_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "mssql": "tsql",
    "sqlserver": "tsql",
    "mariadb": "mysql",
}


@dataclass(slots=True)
class DdlSchema:
    tables: list[SchemaTable]
    dialect: str
    notes: list[str] = field(default_factory=list)


def normalise_dialect(name: str | None) -> str | None:
    if name is None:
        return None
    key = name.strip().lower()
    return _DIALECT_ALIASES.get(key, key)


def guess_dialect(text: str) -> tuple[str, str]:
    """(sqlglot dialect, why) from tell-tale syntax of the text (comments aside)."""
    text = _COMMENTS.sub(" ", text)
    if "`" in text or re.search(r"\bENGINE\s*=", text, re.I) or re.search(r"\bAUTO_INCREMENT\b", text, re.I):
        return "mysql", "backquotes or ENGINE/AUTO_INCREMENT"
    if (
        re.search(r"^\s*GO\s*$", text, re.I | re.M)
        or re.search(r"\[\w+\]\s*\.\s*\[", text)
        or re.search(r"\bNVARCHAR\s*\(\s*MAX\s*\)|\bIDENTITY\s*\(", text, re.I)
    ):
        return "tsql", "GO, [brackets] or IDENTITY(...)"
    if re.search(r"\bVARCHAR2\b|\bNUMBER\s*\(", text, re.I):
        return "oracle", "VARCHAR2 or NUMBER(...)"
    if re.search(r"\b(SERIAL|BIGSERIAL|JSONB|TIMESTAMPTZ|character varying)\b|::|\bpublic\.", text, re.I):
        return "postgres", "PostgreSQL types or casts"
    if re.search(r"\bAUTOINCREMENT\b|\bWITHOUT ROWID\b", text, re.I):
        return "sqlite", "AUTOINCREMENT"
    return "postgres", "no tell-tale syntax; standard SQL read as PostgreSQL"


def read_text(path: Path) -> str:
    """The file as text; a :class:`SchemaError` for a missing, huge, binary or undecodable file."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SchemaError(f"{path}: error: is a folder, not a .sql file")
        if size > MAX_BYTES:
            raise SchemaError(
                f"{path}: error: {size / 1024 / 1024:.0f} MiB is too large for a DDL file "
                f"(at most {MAX_BYTES // 1024 // 1024} MiB); nothing read"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SchemaError(f"{path}: error: no such file") from None
    except OSError as exc:
        raise SchemaError(f"{path}: error: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SchemaError(
            f"{path}: error: this is a binary file, not SQL text (a database file? "
            f"use: needsmap import db sqlite:///{path} ...)"
        )
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SchemaError(
            f"{path}:{line}: error: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from None


def read_ddl(path: Path, dialect: str | None = None) -> DdlSchema:
    """The tables of the DDL file ``path``; raises :class:`SchemaError` when it cannot be read.

    Without ``dialect`` it is guessed (:func:`guess_dialect`); when the text does not read in the guessed
    dialect, the others of :data:`DIALECTS` are tried, and the first error is reported if none reads it.
    """
    text = read_text(path)
    dialect = normalise_dialect(dialect)
    if dialect is not None:
        return _read_ddl_text(path, text, dialect, [])
    guessed, why = guess_dialect(text)
    try:
        return _read_ddl_text(path, text, guessed, [f"read as {guessed} SQL ({why}); --dialect to choose"])
    except SchemaError as first_error:
        for other in DIALECTS:
            if other == guessed:
                continue
            try:
                return _read_ddl_text(
                    path, text, other, [f"read as {other} SQL (it does not read as {guessed}); --dialect to choose"]
                )
            except SchemaError:
                continue
        raise first_error from None


def _read_ddl_text(path: Path, text: str, dialect: str, notes: list[str]) -> DdlSchema:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    try:
        sqlglot.Dialect.get_or_raise(dialect)
    except ValueError:
        raise SchemaError(
            f"{path}: error: unknown SQL dialect '{dialect}' (use one of: {', '.join(DIALECTS)})"
        ) from None
    if dialect == "tsql":  # GO ends a batch (a client command, not T-SQL): read it as the end of a statement
        text = _GO_LINE.sub(";", text)
    logging.getLogger("sqlglot").setLevel(logging.ERROR)  # "unsupported syntax" warnings: we report ourselves
    try:
        statements = sqlglot.parse(text, read=dialect)
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        line, col = first.get("line"), first.get("col")
        where = f"{path}:{line}:{col}" if line else str(path)
        what = first.get("description") or str(exc).splitlines()[0]
        context = (first.get("highlight") or "").strip()
        raise SchemaError(
            f"{where}: error: not valid {dialect} SQL: {what}" + (f" (at '{context[:40]}')" if context else "")
        ) from None
    except TokenError as exc:
        raise SchemaError(f"{path}: error: not valid {dialect} SQL: {str(exc)[:200]}") from None
    except RecursionError:
        raise SchemaError(f"{path}: error: SQL nested too deeply to read") from None

    tables: dict[str, SchemaTable] = {}
    comments: dict[tuple[str, str], str] = {}
    unread: list[str] = []
    for stmt in statements:
        if stmt is None:
            continue
        if isinstance(stmt, exp.Create) and str(stmt.args.get("kind") or "").upper() == "TABLE":
            table = _table_of(stmt, dialect)
            if table is not None:
                tables[table.name.casefold()] = table
        elif isinstance(stmt, exp.Alter):
            _alter(stmt, tables, dialect)
        elif isinstance(stmt, exp.Comment) and str(stmt.args.get("kind") or "").upper() == "COLUMN":
            target = stmt.this
            if isinstance(target, exp.Column) and isinstance(stmt.expression, exp.Literal):
                comments[(target.table.casefold(), target.name.casefold())] = stmt.expression.name
        elif isinstance(stmt, exp.Command):
            unread.append(" ".join(stmt.sql(dialect=dialect).split())[:60])
    if not tables:
        raise SchemaError(
            f"{path}: error: no CREATE TABLE statement found"
            + (f" ({len(unread)} statement(s) not understood, the first: '{unread[0]}')" if unread else "")
            + f"; is it {dialect} DDL? (--dialect to choose)"
        )
    if comments:
        for key, table in tables.items():
            cols = tuple(_with_comment(c, comments.get((key, c.name.casefold()))) for c in table.columns)
            tables[key] = SchemaTable(table.name, cols, table.line, table.schema)
    creates = [s for s in unread if s.upper().startswith("CREATE")]
    if unread:
        notes.append(
            f"{len(unread)} statement(s) not read"
            + (f", among them '{creates[0]}'" if creates else f", the first: '{unread[0]}'")
        )
    return DdlSchema(list(tables.values()), dialect, notes)


def _with_comment(col: SchemaColumn, comment: str | None) -> SchemaColumn:
    if comment is None:
        return col
    return SchemaColumn(col.name, col.sql_type, col.line, comment, col.nullable)


def _line(node) -> int | None:
    meta = getattr(node, "meta", None) or {}
    return meta.get("line")


def _column(cdef, dialect: str) -> SchemaColumn:
    from sqlglot import exp

    kind = cdef.args.get("kind")
    sql_type = " ".join(kind.sql(dialect=dialect).lower().split()) if kind is not None else None
    comment = None
    nullable = None
    for constraint in cdef.args.get("constraints") or ():
        c = constraint.args.get("kind")
        if isinstance(c, exp.CommentColumnConstraint):
            comment = c.this.name if isinstance(c.this, exp.Literal) else c.this.sql(dialect=dialect)
        elif isinstance(c, exp.NotNullColumnConstraint):
            nullable = bool(c.args.get("allow_null"))
        elif isinstance(c, exp.PrimaryKeyColumnConstraint):
            nullable = False
    return SchemaColumn(cdef.name, sql_type, _line(cdef.this), comment, nullable)


def _table_of(stmt, dialect: str) -> SchemaTable | None:
    from sqlglot import exp

    schema = stmt.this
    if not isinstance(schema, exp.Schema):  # CREATE TABLE ... AS SELECT / LIKE: no column list
        return None
    table = schema.this
    if not isinstance(table, exp.Table) or not table.name:
        return None
    cols = tuple(_column(c, dialect) for c in schema.expressions if isinstance(c, exp.ColumnDef) and c.name)
    return SchemaTable(table.name, cols, _line(table.this), table.db or None)


def _alter(stmt, tables: dict[str, SchemaTable], dialect: str) -> None:
    from sqlglot import exp

    target = stmt.this
    if not isinstance(target, exp.Table):
        return
    current = tables.get(target.name.casefold())
    if current is None:
        return
    defs = []
    for action in stmt.args.get("actions") or ():
        if isinstance(action, exp.ColumnDef):
            defs.append(action)
        elif isinstance(action, exp.Schema):  # Oracle: ADD (a DATE, b INT)
            defs.extend(a for a in action.expressions if isinstance(a, exp.ColumnDef))
    added = tuple(_column(a, dialect) for a in defs if a.name)
    if added:
        have = {c.name.casefold() for c in current.columns}
        new = tuple(c for c in added if c.name.casefold() not in have)
        tables[target.name.casefold()] = SchemaTable(current.name, current.columns + new, current.line, current.schema)


def plan_ddl_import(
    ws: m.Workshop,
    path: Path,
    *,
    system: str,
    dialect: str | None = None,
    include=(),
    exclude=(),
    accept_above: float = DEFAULT_ACCEPT_ABOVE,
) -> SchemaImport:
    """Read ``path`` and propose what ``system`` holds; raises :class:`SchemaError` for bad input."""
    schema = read_ddl(path, dialect)
    return plan_schema(
        ws,
        schema.tables,
        system=system,
        source=str(path),
        where=str(path),
        include=include,
        exclude=exclude,
        accept_above=accept_above,
        notes=schema.notes,
    )
