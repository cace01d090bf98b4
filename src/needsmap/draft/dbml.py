"""The model draft as DBML, for dbdiagram.io and dbdocs: tables, enums, notes, indexes and references.

* a ``Project`` block naming the database type (the column types are PostgreSQL's, as in
  ``needsmap model --format sql``);
* an ``Enum`` block for every set of enum values, and the enum columns typed with it (columns with
  the same values share one); a value DBML cannot write as it is (a ``"``, a ``\\``, a line break,
  an empty value) leaves its column a ``varchar`` with the values in its note, never changed;
* every table and column with its note (its definition, who needs it, its open decisions);
* ``pk``, ``increment``, ``not null``, ``unique`` on columns; composite keys, unique sets and the
  draft's indexes as ``indexes``;
* one ``Ref`` per foreign key (``-`` one-to-one, ``>`` many-to-one).

Nothing here trusts workshop text: names are in double quotes (without ``"`` and ``\\``),
notes in single-quoted strings with ``\\`` and ``'`` escaped, folded to one line.
See docs/model.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from needsmap.draft.comments import column_comment, one_line, table_comment
from needsmap.draft.engine import Check, Column, DraftModel, Table
from needsmap.draft.sql_types import SQL_TYPES, sql_type

#: The database type DBML names in its ``Project`` block: the column types are this one's.
DATABASE_TYPE = "PostgreSQL"
_DIALECT = "postgres"


def dbml_string(text: str) -> str:
    """``text`` as a DBML single-quoted string on one line."""
    return "'" + one_line(text).replace("\\", "\\\\").replace("'", "\\'") + "'"


def dbml_name(name: str) -> str:
    """A name in double quotes (DBML has no escape in names: ``"`` and ``\\`` are dropped)."""
    return '"' + name.replace("\\", "").replace('"', "") + '"'


def _writable(value: str) -> bool:
    """Whether DBML can write ``value`` as an enum value exactly as it is."""
    return bool(value) and one_line(value) == value and '"' not in value and "\\" not in value


def enum_names(model: DraftModel) -> dict[tuple[str, str], str]:
    """(table, column) -> the name of its DBML enum, for the enum columns whose values DBML can write.

    An enum is named after its column (``gender``), or after its table and column
    (``customer_gender``) when that name is taken by a table, a type or another set of values.
    Columns with the same values share the first one's enum.
    """
    taken = {t.name for t in model.tables} | {
        word.lower() for types in SQL_TYPES.values() for typ in types.values() for word in typ.split("(")[:1]
    }
    by_values: dict[tuple[str, ...], str] = {}
    names: dict[tuple[str, str], str] = {}
    for t in model.tables:
        for c in t.columns:
            if not c.values or not all(_writable(v) for v in c.values):
                continue
            name = by_values.get(c.values)
            if name is None:
                name = _free_name(c.name, t.name, taken)
                taken.add(name)
                by_values[c.values] = name
            names[(t.name, c.name)] = name
    return names


def _free_name(column: str, table: str, taken: set[str]) -> str:
    for candidate in (column, f"{table}_{column}"):
        if candidate not in taken:
            return candidate
    n = 2
    while f"{table}_{column}_{n}" in taken:
        n += 1
    return f"{table}_{column}_{n}"


def _type(c: Column) -> str:
    typ = sql_type(_DIALECT, c.type, c.values).lower().replace(" ", "")
    return {"timestampwithtimezone": "timestamptz"}.get(typ, typ)


def _number(x: float) -> str:
    return f"{x:g}"


def column_note(c: Column) -> str:
    """A column's comment and, since DBML has no CHECK, its range in words."""
    text = column_comment(c)
    low, high = c.minimum, c.maximum
    if low is not None and high is not None:
        text += f" Check: from {_number(low)} to {_number(high)}."
    elif low is not None:
        text += f" Check: at least {_number(low)}."
    elif high is not None:
        text += f" Check: at most {_number(high)}."
    return text


def _check_words(check: Check) -> str:
    cols = check.columns
    if check.kind == "one_of":
        return f"exactly one of {', '.join(cols)} is set"
    if check.kind == "values_when" and len(cols) == 2:
        return f"when {cols[0]} is {check.when}, {cols[1]} is one of {', '.join(check.values)} or empty"
    if check.kind == "not_after" and len(cols) == 2:
        return f"{cols[0]} is not later than {cols[1]}"
    return f"{check.kind} on {', '.join(cols)}"


def table_note(t: Table) -> str:
    """A table's comment, the attributes it holds as rows and, since DBML has no CHECK, its checks in words."""
    text = table_comment(t)
    if t.row_attributes:
        named = {c.discriminator for c in t.row_attributes if c.discriminator}
        by = f" (one row each, named by {', '.join(sorted(named))})" if named else ""
        text += f" Holds as rows{by}: {', '.join(c.name for c in t.row_attributes)}."
    if t.checks:
        text += " Checks: " + "; ".join(f"{c.name}: {_check_words(c)}" for c in t.checks) + "."
    return text


def _indexes(t: Table) -> list[str]:
    lines: list[str] = []
    seen: set[tuple[tuple[str, ...], bool]] = set()

    def add(cols: Iterable[str], setting: str) -> None:
        key = (tuple(cols), setting == "unique")
        if key[0] and key not in seen:
            seen.add(key)
            lines.append(f"    ({', '.join(map(dbml_name, key[0]))})" + (f" [{setting}]" if setting else ""))

    if len(t.primary_key) > 1:
        add(t.primary_key, "pk")
    for cols in t.unique_together:
        add(cols, "unique")
    for index in t.indexes:
        cols = tuple(index)
        if cols == t.primary_key or cols in t.unique_together or (len(cols) == 1 and t.column(cols[0]).unique):
            continue  # a key is indexed already
        add(cols, "")
    return lines


def _project_name(workshop: str) -> str:
    return one_line(workshop).replace("\\", "").replace('"', "").strip() or "model_draft"


def dbml(model: DraftModel) -> str:
    """The draft as DBML (dbdiagram.io, dbdocs), with PostgreSQL's types."""
    out = [
        f"// Model draft of {one_line(model.workshop)}, generated by needsmap model (scope: {model.scope}).",
        "",
        f"Project {dbml_name(_project_name(model.workshop))} {{",
        f"  database_type: {dbml_string(DATABASE_TYPE)}",
        f"  Note: {dbml_string(f'Model draft of {model.workshop} (scope: {model.scope}), generated by needsmap model.')}",
        "}",
        "",
    ]
    enums = enum_names(model)
    written: set[str] = set()
    for t in model.tables:
        for c in t.columns:
            name = enums.get((t.name, c.name))
            if name is None or name in written:
                continue
            written.add(name)
            out += [f"Enum {dbml_name(name)} {{", *(f"  {dbml_name(v)}" for v in c.values), "}", ""]
    for t in model.tables:
        out.append(f"Table {dbml_name(t.name)} {{")
        for c in t.columns:
            settings = []
            if c.primary_key and len(t.primary_key) == 1:
                settings.append("pk")
                if c.references is None:
                    settings.append("increment")
            if not c.nullable and not (c.primary_key and len(t.primary_key) == 1):
                settings.append("not null")
            if c.unique:
                settings.append("unique")
            settings.append(f"note: {dbml_string(column_note(c))}")
            enum = enums.get((t.name, c.name))
            typ = dbml_name(enum) if enum else _type(c)
            out.append(f"  {dbml_name(c.name)} {typ} [{', '.join(settings)}]")
        indexes = _indexes(t)
        if indexes:
            out += ["", "  indexes {", *indexes, "  }"]
        out += [f"  Note: {dbml_string(table_note(t))}", "}", ""]
    for t in model.tables:
        for c in t.columns:
            if c.references:
                op = "-" if c.unique or (c.primary_key and len(t.primary_key) == 1) else ">"
                out.append(
                    f"Ref: {dbml_name(t.name)}.{dbml_name(c.name)} {op} "
                    f"{dbml_name(c.references)}.{dbml_name(c.ref_column or '')}"
                )
    return "\n".join(out).rstrip("\n") + "\n"
