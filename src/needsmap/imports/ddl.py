"""Reading SQL DDL (``CREATE TABLE`` statements) with sqlglot, for ``needsmap import ddl``.

:func:`read_ddl` reads a ``.sql`` file in one of the dialects sqlglot knows
(MySQL, PostgreSQL, T-SQL, Oracle, SQLite...; guessed from the text when not
given) and returns its tables (:class:`~needsmap.imports.schema.SchemaTable`),
each column with its SQL type, the line it is on and its comment (MySQL
``COMMENT '...'``, PostgreSQL ``COMMENT ON COLUMN``).  ``ALTER TABLE ... ADD
COLUMN`` adds columns.  :func:`plan_ddl_import` chooses tables and matches
columns (:mod:`needsmap.imports.schema`).

Work and memory are bounded, whatever the file:

* a file larger than :data:`MAX_BYTES` is refused before it is read;
* the text is cut into statements by one regular-expression scan that knows
  quotes, comments, dollar quoting and T-SQL's ``GO`` (:func:`split_statements`),
  and only the statements that can tell something are parsed, one at a time:
  ``CREATE TABLE``, ``ALTER TABLE ... ADD`` a column, ``COMMENT ON COLUMN``.
  Everything else (``SET``, indexes, constraints, sequences, grants, data) is
  counted by its first words and skipped without being parsed;
* tables that ``--tables`` leaves out are named from the statement's head and
  never parsed;
* at most :data:`MAX_TABLES` tables and about :data:`MAX_COLUMNS` columns are
  read: the rest of the file is counted, and a warning says how to choose
  (``--tables``);
* a statement larger than :data:`MAX_STATEMENT_CHARS`, or one that sqlglot
  cannot read, is skipped with a located warning (``FILE:LINE:COL: warning:
  ...``); only when no table at all could be read is it an error.

Bad input is a :class:`~needsmap.imports.schema.SchemaError` with a complete,
located message: a file too large, a binary file, a file that is not text,
SQL of which no ``CREATE TABLE`` reads (``FILE:LINE:COL``), a file without
any ``CREATE TABLE``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from needsmap.format import model as m
from needsmap.imports.schema import (
    DEFAULT_ACCEPT_ABOVE,
    MAX_COLUMNS,
    MAX_TABLES,
    SchemaColumn,
    SchemaError,
    SchemaImport,
    SchemaTable,
    chosen_by_globs,
    plan_schema,
)

#: The dialects ``--dialect`` offers (sqlglot's names); others sqlglot knows are accepted too.
DIALECTS = ("mysql", "postgres", "tsql", "oracle", "sqlite")
#: Files larger than this are refused before they are read: a schema-only dump of thousands of
#: tables (with their indexes, constraints and comments) is a few MB; 32 MiB leaves a wide margin.
MAX_BYTES = 32 * 1024 * 1024
#: A statement longer than this (in characters) is skipped with a warning, never parsed.
MAX_STATEMENT_CHARS = 1024 * 1024
#: The dialect is guessed from the start of the file (its first this many characters).
GUESS_CHARS = 4 * 1024 * 1024
#: Located warnings kept (the rest are counted).
MAX_WARNINGS = 100
#: When the guessed dialect does not read some statements, this many of them are tried in the others.
_FALLBACK_SAMPLE = 5

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/|#[^\n]*", re.S)
_DIALECT_ALIASES = {
    "postgresql": "postgres",
    "pg": "postgres",
    "mssql": "tsql",
    "sqlserver": "tsql",
    "mariadb": "mysql",
}

# -- cutting the text into statements: one scan, quotes and comments skipped whole -----------------
_BLOCK_COMMENT = r"/\*(?:.*?\*/|.*)"  # an unterminated comment runs to the end
_SCAN_PARTS = {
    "common": (r"(?P<semi>;)", r"'[^']*'", r'"[^"]*"', r"--[^\n]*", _BLOCK_COMMENT),
    "mysql": (
        r"(?P<semi>;)",
        r"'[^'\\]*(?:\\.[^'\\]*)*'",
        r'"[^"\\]*(?:\\.[^"\\]*)*"',
        r"`[^`]*`",
        r"--[^\n]*",
        r"#[^\n]*",
    ),
    "postgres": (r"\$(?P<tag>[A-Za-z_]\w*|)\$.*?\$(?P=tag)\$",),
    "tsql": (r"\[[^\]]*\]", r"(?P<go>^[ \t]*GO[ \t]*(?:\d+[ \t]*)?$)"),
}


def _scanner(dialect: str) -> re.Pattern[str]:
    if dialect == "mysql":
        parts = (*_SCAN_PARTS["mysql"], _BLOCK_COMMENT)
    else:
        parts = (*_SCAN_PARTS["common"], *_SCAN_PARTS.get(dialect, ()))
    return re.compile("|".join(parts), re.S | re.M | re.I)


# -- the head of a statement: what it is, and the table it is about, without parsing it ------------
_LEADING = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/|#[^\n]*)*", re.S)
_IDENT = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_\u00c0-\uffff][\w$#@\u00c0-\uffff]*)'
_NAME = rf"(?P<name>{_IDENT}(?:\s*\.\s*{_IDENT}){{0,2}})"
_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:(?:TEMPORARY|TEMP|UNLOGGED|TRANSIENT)\s+)?TABLE\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}?",
    re.I,
)
_ALTER_TABLE = re.compile(rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_NAME}?", re.I)
#: ``ADD`` of a column (``ADD x INT``, ``ADD COLUMN``, Oracle's ``ADD (...)``), not of a constraint or an index.
_ADDS_COLUMN = re.compile(
    r"\bADD\b(?!\s+(?:CONSTRAINT|PRIMARY|FOREIGN|UNIQUE|INDEX|KEY|CHECK|FULLTEXT|SPATIAL|PARTITION|"
    r"DEFAULT|PERIOD|SYSTEM)\b)",
    re.I,
)
_COMMENT_ON_COLUMN = re.compile(rf"COMMENT\s+ON\s+COLUMN\s+{_NAME}?", re.I)
_FIRST_WORDS = re.compile(r"([A-Za-z]+)(?:\s+(?:OR\s+REPLACE\s+|UNIQUE\s+)?([A-Za-z]+))?")
_IDENT_PART = re.compile(_IDENT)


def _kind(text: str, stmt: Statement) -> str:
    """What a statement is, by its first word(s): ``SET``, ``CREATE INDEX``, ``ALTER SEQUENCE``, ``INSERT``."""
    words = _FIRST_WORDS.match(text, stmt.start, min(stmt.end, stmt.start + 80))
    if words is None:
        return "?"
    first = words.group(1).upper()
    if first in ("CREATE", "ALTER", "DROP", "COMMENT") and words.group(2):
        return f"{first} {words.group(2).upper()}"
    return first


def _ident_parts(name: str) -> list[str]:
    return [p[1:-1] if p[0] in '"`[' else p for p in _IDENT_PART.findall(name)]


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of the file: ``text[start:end]``, beginning on ``line`` (1-based) at ``col``."""

    start: int
    end: int
    line: int
    col: int


def split_statements(text: str, dialect: str) -> Iterator[Statement]:
    """The statements of ``text``, cut at ``;`` (and T-SQL's ``GO`` lines) outside quotes and comments.

    One regular-expression scan: quoted strings, quoted names, comments and PostgreSQL's dollar-quoted
    bodies are skipped whole, so a ``;`` inside them does not cut.  Blank statements are left out.
    """
    start = 0
    line = 1
    line_start = 0  # offset of the start of ``line``
    for match in _scanner(dialect).finditer(text):
        kind = match.lastgroup
        if kind == "tag":  # a dollar-quoted body whose tag is named
            continue
        if kind not in ("semi", "go"):
            continue
        end = match.start()
        stmt = _statement(text, start, end, line, line_start)
        if stmt is not None:
            yield stmt
        newlines = text.count("\n", start, match.end())
        if newlines:
            line += newlines
            line_start = text.rfind("\n", start, match.end()) + 1
        start = match.end()
    stmt = _statement(text, start, len(text), line, line_start)
    if stmt is not None:
        yield stmt


def _statement(text: str, start: int, end: int, line: int, line_start: int) -> Statement | None:
    """The statement ``text[start:end]`` from its first word on (leading blanks and comments skipped)."""
    first = _LEADING.match(text, start, end)
    begin = first.end() if first else start
    if begin >= end:
        return None
    newlines = text.count("\n", start, begin)
    if newlines:
        line += newlines
        line_start = text.rfind("\n", start, begin) + 1
    return Statement(begin, end, line, begin - line_start + 1)


@dataclass(slots=True)
class DdlSchema:
    tables: list[SchemaTable]
    dialect: str
    notes: list[str] = field(default_factory=list)
    #: located warnings (``FILE:LINE:COL: warning: ...``): statements skipped, limits reached
    warnings: list[str] = field(default_factory=list)


def normalise_dialect(name: str | None) -> str | None:
    if name is None:
        return None
    key = name.strip().lower()
    return _DIALECT_ALIASES.get(key, key)


def guess_dialect(text: str) -> tuple[str, str]:
    """(sqlglot dialect, why) from tell-tale syntax of the text (comments aside); reads its first
    :data:`GUESS_CHARS` characters."""
    text = _COMMENTS.sub(" ", text[:GUESS_CHARS])
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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def read_text(path: Path) -> str:
    """The file as text; a :class:`SchemaError` for a missing, too large, binary or undecodable file."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SchemaError(f"{path}: error: is a folder, not a .sql file")
        if size > MAX_BYTES:
            raise SchemaError(
                f"{path}: error: the file is {_megabytes(size)} MiB, larger than {_megabytes(MAX_BYTES)} MiB, "
                f"the most a DDL file may be; nothing read. Export only the schemas or tables that hold "
                f"customer data (e.g. pg_dump --schema-only -t 'crm.*', mysqldump --no-data DB TABLES), "
                f"or read the live database: needsmap import db URL ..."
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


def read_ddl(
    path: Path,
    dialect: str | None = None,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    max_tables: int = MAX_TABLES,
    max_columns: int = MAX_COLUMNS,
) -> DdlSchema:
    """The tables of the DDL file ``path``; raises :class:`SchemaError` when it cannot be read.

    Without ``dialect`` it is guessed (:func:`guess_dialect`); when some statements do not read in the
    guessed dialect but do in another of :data:`DIALECTS`, the file is read again in that one (once).
    ``include`` and ``exclude`` are ``--tables`` globs: the tables they leave out are named (without
    columns) but not parsed.  At most ``max_tables`` tables and about ``max_columns`` columns are read.
    """
    text = read_text(path)
    dialect = normalise_dialect(dialect)
    if dialect is not None:
        return _Reader(path, text, include, exclude, max_tables, max_columns).read(dialect, [])
    guessed, why = guess_dialect(text)
    reader = _Reader(path, text, include, exclude, max_tables, max_columns)
    schema = reader.read(guessed, [f"read as {guessed} SQL ({why}); --dialect to choose"], raise_when_empty=False)
    if reader.failed:
        other = reader.better_dialect(guessed)
        if other is not None:
            second = _Reader(path, text, include, exclude, max_tables, max_columns)
            note = f"read as {other} SQL (it does not read as {guessed}); --dialect to choose"
            alternative = second.read(other, [note], raise_when_empty=False)
            if alternative.tables and (not schema.tables or len(second.failed) < len(reader.failed)):
                return alternative
    if not schema.tables:
        raise reader.nothing_read(guessed)
    return schema


@dataclass(slots=True)
class _Failure:
    statement: Statement
    where: str  # FILE:LINE:COL
    what: str


class _Reader:
    """Reads the statements of one text in one dialect at a time (see :func:`read_ddl`)."""

    def __init__(
        self,
        path: Path,
        text: str,
        include: Sequence[str],
        exclude: Sequence[str],
        max_tables: int,
        max_columns: int,
    ) -> None:
        self.path = path
        self.text = text
        self.include = include
        self.exclude = exclude
        self.max_tables = max_tables
        self.max_columns = max_columns
        self.failed: list[_Failure] = []
        self.skipped: Counter[str] = Counter()

    def chosen(self, name: str, schema: str | None) -> bool:
        """False when ``--tables`` leaves the table out: it is named, not parsed."""
        return chosen_by_globs(name, schema, self.include, self.exclude)

    # -- one read --------------------------------------------------------------------------------
    def read(self, dialect: str, notes: list[str], raise_when_empty: bool = True) -> DdlSchema:
        import sqlglot
        from sqlglot import exp

        try:
            glot = sqlglot.Dialect.get_or_raise(dialect)
        except ValueError:
            raise SchemaError(
                f"{self.path}: error: unknown SQL dialect '{dialect}' (use one of: {', '.join(DIALECTS)})"
            ) from None
        logging.getLogger("sqlglot").setLevel(logging.ERROR)  # "unsupported syntax" warnings: we report ourselves
        generator = glot.generator()

        def render(node) -> str:  # one generator for all the types: node.sql(dialect) makes one per call
            return generator.generate(node, copy=False)

        self.failed = []
        self.skipped = Counter()
        text = self.text
        tables: dict[str, SchemaTable] = {}
        parsed: set[str] = set()  # the tables read with their columns (the others are only named)
        comments: dict[tuple[str, str], str] = {}
        warnings: list[str] = []
        parsed_tables = columns = 0
        over_limit: Statement | None = None
        unread_tables = 0
        for stmt in split_statements(text, dialect):
            create = _CREATE_TABLE.match(text, stmt.start, stmt.end)
            if create is not None:
                parts = _ident_parts(create.group("name") or "")
                if parts and not self.chosen(parts[-1], parts[-2] if len(parts) > 1 else None):
                    tables[parts[-1].casefold()] = SchemaTable(
                        parts[-1], (), stmt.line, parts[-2] if len(parts) > 1 else None
                    )
                    continue
                if parsed_tables >= self.max_tables or columns >= self.max_columns:
                    over_limit = over_limit or stmt
                    unread_tables += 1
                    continue
                parsed_tables += 1
                for node in self.parse(glot, dialect, stmt, "CREATE TABLE"):
                    if isinstance(node, exp.Command):  # sqlglot's fallback for syntax it does not know
                        self._fail(stmt, stmt.line, stmt.col, f"this CREATE TABLE does not read as {dialect} SQL")
                        continue
                    table = _table_of(node, render, stmt.line - 1) if _is_create_table(node) else None
                    if table is None:
                        continue
                    key = table.name.casefold()
                    if self.chosen(table.name, table.schema):
                        tables[key] = table
                        parsed.add(key)
                        columns += len(table.columns)
                    else:  # a name the head did not give away: left out all the same
                        tables[key] = SchemaTable(table.name, (), table.line, table.schema)
                        parsed.discard(key)
                continue
            alter = _ALTER_TABLE.match(text, stmt.start, stmt.end)
            if alter is not None:
                parts = _ident_parts(alter.group("name") or "")
                wanted = parts[-1].casefold() in parsed if parts else over_limit is None
                if wanted and columns < self.max_columns and _ADDS_COLUMN.search(text, alter.end(), stmt.end):
                    for node in self.parse(glot, dialect, stmt, "ALTER TABLE"):
                        columns += _alter(node, tables, parsed, render, stmt.line - 1)
                else:
                    self.skipped["ALTER TABLE"] += 1
                continue
            comment = _COMMENT_ON_COLUMN.match(text, stmt.start, stmt.end)
            if comment is not None:
                parts = _ident_parts(comment.group("name") or "")  # [schema.]table.column
                wanted = parts[-2].casefold() in parsed if len(parts) >= 2 else over_limit is None
                if wanted:
                    self._comment(glot, dialect, stmt, comments)
                else:
                    self.skipped["COMMENT ON COLUMN"] += 1
                continue
            self.skipped[_kind(text, stmt)] += 1
        for failure in self.failed[:MAX_WARNINGS]:
            warnings.append(f"{failure.where}: warning: {failure.what}; statement skipped")
        if len(self.failed) > MAX_WARNINGS:
            warnings.append(
                f"{self.path}: warning: {len(self.failed) - MAX_WARNINGS:,} more statements could not be read "
                f"as {dialect} SQL and were skipped"
            )
        if over_limit is not None:
            warnings.append(
                f"{self.path}:{over_limit.line}:{over_limit.col}: warning: {unread_tables:,} more CREATE TABLE "
                f"statements from here on not read: at most {self.max_tables:,} tables and about "
                f"{self.max_columns:,} columns are read from one file; --tables GLOB chooses the tables to read"
            )
        if not tables and raise_when_empty:
            raise self.nothing_read(dialect)
        if comments:
            for key, table in tables.items():
                if table.columns:
                    cols = tuple(_with_comment(c, comments.get((key, c.name.casefold()))) for c in table.columns)
                    tables[key] = SchemaTable(table.name, cols, table.line, table.schema)
        if self.failed:
            notes.append(
                f"{len(self.failed):,} statement(s) not read as {dialect} SQL and skipped, the first at "
                f"{self.failed[0].where.removeprefix(f'{self.path}:')}"
            )
        if over_limit is not None:
            notes.append(
                f"only the first {parsed_tables:,} tables read ({columns:,} columns): {unread_tables:,} more "
                f"not read (at most {self.max_tables:,} tables, {self.max_columns:,} columns); --tables chooses"
            )
        if self.skipped:
            common = ", ".join(f"{kind} {n:,}" for kind, n in self.skipped.most_common(4))
            notes.append(f"{sum(self.skipped.values()):,} other statement(s) skipped ({common})")
        return DdlSchema(list(tables.values()), dialect, notes, warnings)

    def parse(self, glot, dialect: str, stmt: Statement, what: str) -> list:
        """The expressions of one statement; on failure, an entry in :attr:`failed` and no expression."""
        from sqlglot.errors import ParseError, TokenError

        size = stmt.end - stmt.start
        if size > MAX_STATEMENT_CHARS:
            self._fail(stmt, stmt.line, stmt.col, f"{what} statement of {size:,} characters is too long to read")
            return []
        sql = self.text[stmt.start : stmt.end]
        try:
            return [node for node in glot.parse(sql) if node is not None]
        except ParseError as exc:
            first = exc.errors[0] if exc.errors else {}
            line, col = first.get("line") or 0, first.get("col") or 1
            description = first.get("description") or str(exc).splitlines()[0]
            context = " ".join((first.get("highlight") or "").split())
            message = f"not valid {dialect} SQL: {description}" + (f" (at '{context[:40]}')" if context else "")
            if line:
                at_line = stmt.line + line - 1
                at_col = col + stmt.col - 1 if line == 1 else col
                self._fail(stmt, at_line, at_col, message)
            else:
                self._fail(stmt, stmt.line, stmt.col, message)
        except TokenError as exc:
            self._fail(stmt, stmt.line, stmt.col, f"not valid {dialect} SQL: {' '.join(str(exc).split())[:160]}")
        except RecursionError:
            self._fail(stmt, stmt.line, stmt.col, f"{what} statement nested too deeply to read")
        except Exception as exc:  # noqa: BLE001 - sqlglot failing on odd input: the statement is skipped, located
            self._fail(stmt, stmt.line, stmt.col, f"sqlglot cannot read this {what} statement ({type(exc).__name__})")
        return []

    def _fail(self, stmt: Statement, line: int, col: int, what: str) -> None:
        self.failed.append(_Failure(stmt, f"{self.path}:{line}:{col}", what))

    def _comment(self, glot, dialect: str, stmt: Statement, comments: dict[tuple[str, str], str]) -> None:
        from sqlglot import exp

        for node in self.parse(glot, dialect, stmt, "COMMENT ON COLUMN"):
            if isinstance(node, exp.Comment) and str(node.args.get("kind") or "").upper() == "COLUMN":
                target = node.this
                if isinstance(target, exp.Column) and isinstance(node.expression, exp.Literal):
                    comments[(target.table.casefold(), target.name.casefold())] = node.expression.name

    # -- after a read ----------------------------------------------------------------------------
    def better_dialect(self, tried: str) -> str | None:
        """Another of :data:`DIALECTS` that reads the first statements ``tried`` could not, if one does."""
        import sqlglot

        sample = [f.statement for f in self.failed[:_FALLBACK_SAMPLE]]
        for other in DIALECTS:
            if other == tried:
                continue
            glot = sqlglot.Dialect.get_or_raise(other)
            probe = _Reader(self.path, self.text, (), (), self.max_tables, self.max_columns)
            if all(probe.parse(glot, other, stmt, "statement") for stmt in sample) and not probe.failed:
                return other
        return None

    def nothing_read(self, dialect: str) -> SchemaError:
        """The error for a file from which no table could be read."""
        if self.failed:
            first = self.failed[0]
            more = f" ({len(self.failed) - 1:,} more statement(s) not read either)" if len(self.failed) > 1 else ""
            return SchemaError(f"{first.where}: error: {first.what}{more}")
        total = sum(self.skipped.values())
        kinds = ", ".join(f"{kind} {n:,}" for kind, n in self.skipped.most_common(3))
        return SchemaError(
            f"{self.path}: error: no CREATE TABLE statement found"
            + (f" ({total:,} other statement(s): {kinds})" if total else " (the file holds no statement)")
            + f"; is it {dialect} DDL? (--dialect to choose)"
        )


def _is_create_table(node) -> bool:
    from sqlglot import exp

    return isinstance(node, exp.Create) and str(node.args.get("kind") or "").upper() == "TABLE"


def _with_comment(col: SchemaColumn, comment: str | None) -> SchemaColumn:
    if comment is None:
        return col
    return SchemaColumn(col.name, col.sql_type, col.line, comment, col.nullable)


def _line(node) -> int | None:
    meta = getattr(node, "meta", None) or {}
    return meta.get("line")


def _column(cdef, render: Callable[[Any], str], line_offset: int = 0) -> SchemaColumn:
    from sqlglot import exp

    kind = cdef.args.get("kind")
    sql_type = " ".join(render(kind).lower().split()) if kind is not None else None
    comment = None
    nullable = None
    for constraint in cdef.args.get("constraints") or ():
        c = constraint.args.get("kind")
        if isinstance(c, exp.CommentColumnConstraint):
            comment = c.this.name if isinstance(c.this, exp.Literal) else render(c.this)
        elif isinstance(c, exp.NotNullColumnConstraint):
            nullable = bool(c.args.get("allow_null"))
        elif isinstance(c, exp.PrimaryKeyColumnConstraint):
            nullable = False
    line = _line(cdef.this)
    return SchemaColumn(cdef.name, sql_type, line + line_offset if line else None, comment, nullable)


def _table_of(stmt, render: Callable[[Any], str], line_offset: int = 0) -> SchemaTable | None:
    """The table of a parsed ``CREATE TABLE``: ``render`` writes a node as SQL of the dialect (a type), and
    ``line_offset`` turns the statement's line numbers into the file's."""
    from sqlglot import exp

    schema = stmt.this
    if not isinstance(schema, exp.Schema):  # CREATE TABLE ... AS SELECT / LIKE: no column list
        return None
    table = schema.this
    if not isinstance(table, exp.Table) or not table.name:
        return None
    cols = tuple(_column(c, render, line_offset) for c in schema.expressions if isinstance(c, exp.ColumnDef) and c.name)
    line = _line(table.this)
    return SchemaTable(table.name, cols, line + line_offset if line else None, table.db or None)


def _alter(
    stmt, tables: dict[str, SchemaTable], parsed: set[str], render: Callable[[Any], str], line_offset: int = 0
) -> int:
    """Add the columns ``ALTER TABLE ... ADD`` adds to a table read; returns how many it added."""
    from sqlglot import exp

    if not isinstance(stmt, exp.Alter):
        return 0
    target = stmt.this
    if not isinstance(target, exp.Table) or target.name.casefold() not in parsed:
        return 0
    current = tables[target.name.casefold()]
    defs = []
    for action in stmt.args.get("actions") or ():
        if isinstance(action, exp.ColumnDef):
            defs.append(action)
        elif isinstance(action, exp.Schema):  # Oracle: ADD (a DATE, b INT)
            defs.extend(a for a in action.expressions if isinstance(a, exp.ColumnDef))
    added = tuple(_column(a, render, line_offset) for a in defs if a.name)
    have = {c.name.casefold() for c in current.columns}
    new = tuple(c for c in added if c.name.casefold() not in have)
    if new:
        tables[target.name.casefold()] = SchemaTable(current.name, current.columns + new, current.line, current.schema)
    return len(new)


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
    schema = read_ddl(path, dialect, include=include, exclude=exclude)
    result = plan_schema(
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
    result.warnings.extend(schema.warnings)
    return result
