"""The column type of each draft column type, per SQL dialect: one table that the DDL and the row-size estimate share.

A draft column's ``type`` is an attribute type (``string``, ``money``...), ``key`` (a surrogate
key or a reference to one) or ``json`` (a list: an array of values, kept as JSON where the dialect
has it).  ``enum`` is a string as long as its longest value (at least :data:`ENUM_MIN_LENGTH`),
with a CHECK constraint on its values.  Free text (``text``, and strings that hold notes,
comments or descriptions) is ``TEXT`` (``NVARCHAR(MAX)`` in SQL Server): never ``VARCHAR(255)``.
"""

from __future__ import annotations

DIALECTS: tuple[str, ...] = ("postgres", "sqlite", "mysql", "tsql")
ENUM_MIN_LENGTH = 32

SQL_TYPES: dict[str, dict[str, str]] = {
    "postgres": {
        "string": "TEXT",
        "text": "TEXT",
        "integer": "BIGINT",
        "decimal": "NUMERIC(18, 6)",
        "money": "NUMERIC(19, 4)",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "datetime": "TIMESTAMP WITH TIME ZONE",
        "email": "VARCHAR(320)",
        "phone": "VARCHAR(32)",
        "url": "VARCHAR(2048)",
        "enum": "VARCHAR({n})",
        "country": "CHAR(2)",
        "currency": "CHAR(3)",
        "id": "VARCHAR(255)",
        "json": "JSONB",
        "key": "BIGINT",
    },
    "sqlite": {
        "string": "TEXT",
        "text": "TEXT",
        "integer": "INTEGER",
        "decimal": "NUMERIC",
        "money": "NUMERIC",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "datetime": "DATETIME",
        "email": "TEXT",
        "phone": "TEXT",
        "url": "TEXT",
        "enum": "TEXT",
        "country": "TEXT",
        "currency": "TEXT",
        "id": "TEXT",
        "json": "TEXT",
        "key": "INTEGER",
    },
    "mysql": {
        "string": "VARCHAR(255)",
        "text": "TEXT",
        "integer": "BIGINT",
        "decimal": "DECIMAL(18, 6)",
        "money": "DECIMAL(19, 4)",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "datetime": "DATETIME(6)",
        "email": "VARCHAR(320)",
        "phone": "VARCHAR(32)",
        "url": "TEXT",
        "enum": "VARCHAR({n})",
        "country": "CHAR(2)",
        "currency": "CHAR(3)",
        "id": "VARCHAR(255)",
        "json": "JSON",
        "key": "BIGINT",
    },
    "tsql": {
        "string": "NVARCHAR(255)",
        "text": "NVARCHAR(MAX)",
        "integer": "BIGINT",
        "decimal": "DECIMAL(18, 6)",
        "money": "DECIMAL(19, 4)",
        "boolean": "BIT",
        "date": "DATE",
        "datetime": "DATETIMEOFFSET",
        "email": "NVARCHAR(320)",
        "phone": "NVARCHAR(32)",
        "url": "NVARCHAR(2048)",
        "enum": "NVARCHAR({n})",
        "country": "NCHAR(2)",
        "currency": "NCHAR(3)",
        "id": "NVARCHAR(255)",
        "json": "NVARCHAR(MAX)",
        "key": "BIGINT",
    },
}


def sql_type(dialect: str, column_type: str, values: tuple[str, ...] = ()) -> str:
    """The column type for ``dialect`` of a draft column of ``column_type`` (an enum's ``values`` size it)."""
    types = SQL_TYPES[dialect]
    pattern = types.get(column_type, types["string"])
    return pattern.format(n=max([ENUM_MIN_LENGTH, *(len(v) for v in values)]))
