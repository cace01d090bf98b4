"""How wide one filled row of a table is in each dialect, against the dialect's row-size limits.

Each database limits how many bytes one row may take, whatever the column count says:

* PostgreSQL: a row must fit in one 8 KB heap page, at most 8,160 bytes *after* TOAST has moved
  long text out of line (an 18-byte pointer stays in the row); numbers, dates and booleans never move.
* SQL Server: 8,060 bytes in the row; variable-length columns may overflow off the row, leaving a
  24-byte pointer; fixed-length ones (numbers, dates, ``NCHAR``) may not.
* MySQL InnoDB (``ROW_FORMAT=DYNAMIC``): about 8,126 bytes in the page (half a 16 KB page); a
  variable-length value longer than 40 bytes may go off the page with a 20-byte pointer.  And every
  row counts at most 65,535 bytes, where ``VARCHAR(n)`` counts its full ``4n`` bytes (utf8mb4) and
  ``TEXT``/``JSON`` 12.
* SQLite: no practical row limit (a row may take up to a gigabyte).

The widths here are worst cases for one row with every column filled to its declared maximum
(alignment padding left out); the draft keeps every table within :data:`FILL` of each limit.
:func:`type_width` reads a column type as the DDL writes it (``NUMERIC(19, 4)``,
``NVARCHAR(MAX)``...), so the same function measures the draft before it is written and the DDL
after sqlglot has parsed it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from needsmap.draft.sql_types import sql_type

#: The limits checked: (dialect, what is limited) -> bytes.
LIMITS: dict[tuple[str, str], int] = {
    ("postgres", "row in a page"): 8160,
    ("tsql", "row in a page"): 8060,
    ("mysql", "row in a page"): 8126,
    ("mysql", "row"): 65535,
}
#: The share of a limit a drafted table may use: the rest is room for columns added later and for padding.
FILL = 0.8
#: Fixed cost of one row per limit: tuple header, null bitmap base, record header.
_ROW_OVERHEAD = {"postgres": 24, "tsql": 8, "mysql": 5}

_TYPE = re.compile(r"^\s*([A-Za-z ]+?)\s*(?:\(\s*([0-9A-Za-z]+)\s*(?:,\s*([0-9]+)\s*)?\))?\s*$")


def _decimal_bytes_mysql(precision: int, scale: int) -> int:
    """MySQL's DECIMAL storage: 4 bytes per 9 digits, and 0-4 bytes for the rest, on each side of the point."""
    leftover = (0, 1, 1, 2, 2, 3, 3, 4, 4, 4)

    def side(digits: int) -> int:
        return digits // 9 * 4 + leftover[digits % 9]

    return side(precision - scale) + side(scale)


def _decimal_bytes_tsql(precision: int) -> int:
    return 5 if precision <= 9 else 9 if precision <= 19 else 13 if precision <= 28 else 17


def _numeric_bytes_postgres(precision: int, scale: int) -> int:
    """A NUMERIC value: a short varlena header, a 2-byte numeric header and 2 bytes per 4 decimal digits."""
    return 3 + 2 * (math.ceil((precision - scale) / 4) + math.ceil(scale / 4))


@functools.lru_cache(maxsize=4096)
def type_width(sql: str, dialect: str, limit: str = "row in a page") -> int:
    """The most bytes a column of type ``sql`` takes in one row of ``dialect`` under ``limit``."""
    match = _TYPE.match(sql)
    if match is None:
        raise ValueError(f"cannot read the column type {sql!r}")
    name = " ".join(match.group(1).upper().split())
    arg = match.group(2)
    length = None if arg is None or not arg.isdigit() else int(arg)
    scale = int(match.group(3) or 0)
    if dialect == "postgres":
        fixed = {"BIGINT": 8, "INTEGER": 4, "INT": 4, "SMALLINT": 2, "BOOLEAN": 1, "DATE": 4}
        if name in fixed:
            return fixed[name]
        if name.startswith("TIMESTAMP"):
            return 8
        if name in ("NUMERIC", "DECIMAL"):
            return _numeric_bytes_postgres(length or 38, scale)
        return 18 if length is None else min(4 * length + 1, 18)  # TOAST leaves an 18-byte pointer
    if dialect == "tsql":
        fixed = {"BIGINT": 8, "INT": 4, "INTEGER": 4, "BIT": 1, "DATE": 3, "DATETIMEOFFSET": 10, "DATETIME2": 8}
        if name in fixed:
            return fixed[name]
        if name in ("DECIMAL", "NUMERIC"):
            return _decimal_bytes_tsql(length or 18)
        if name in ("NCHAR", "CHAR"):
            return (2 if name == "NCHAR" else 1) * (length or 1)
        per_char = 2 if name.startswith("N") else 1
        return 2 + (24 if length is None else min(per_char * length, 24))  # row overflow: a 24-byte pointer
    if dialect == "mysql":
        fixed = {"BIGINT": 8, "INT": 4, "INTEGER": 4, "BOOLEAN": 1, "TINYINT": 1, "DATE": 3, "DATETIME": 8}
        if name in fixed:
            return fixed[name]
        if name in ("DECIMAL", "NUMERIC"):
            return _decimal_bytes_mysql(length or 10, scale)
        if name == "CHAR":
            return 4 * (length or 1)
        if name in ("TEXT", "JSON", "LONGTEXT", "MEDIUMTEXT", "BLOB"):
            return 12 if limit == "row" else 42
        full = 4 * (length or 255)
        length_bytes = 1 if full <= 255 else 2
        if limit == "row":
            return full + length_bytes
        return min(full, 40) + length_bytes  # longer values go off the page with a 20-byte pointer
    return 0


def row_width(types: Iterable[str], dialect: str, limit: str = "row in a page") -> int:
    """The worst-case bytes of one row whose columns have the SQL ``types`` of ``dialect``."""
    widths = [type_width(t, dialect, limit) for t in types]
    return _ROW_OVERHEAD.get(dialect, 0) + math.ceil(len(widths) / 8) + sum(widths)


def column_widths(column_type: str, values: tuple[str, ...] = ()) -> dict[tuple[str, str], int]:
    """The bytes a draft column of ``column_type`` takes under each of :data:`LIMITS`."""
    return {
        (dialect, limit): type_width(sql_type(dialect, column_type, values), dialect, limit)
        for dialect, limit in LIMITS
    }


def widths_of(columns: Iterable[tuple[str, tuple[str, ...]]]) -> dict[tuple[str, str], int]:
    """The worst-case row width under each of :data:`LIMITS` of a table of (type, enum values) columns."""
    cols = list(columns)
    out = {}
    for dialect, limit in LIMITS:
        types = [sql_type(dialect, t, v) for t, v in cols]
        out[(dialect, limit)] = row_width(types, dialect, limit)
    return out


def over_limits(columns: Iterable[tuple[str, tuple[str, ...]]], fill: float = 1.0) -> list[str]:
    """The limits (as ``"dialect: what"``) a table of (type, values) columns exceeds at ``fill`` of each."""
    return [
        f"{dialect}: {limit} {width:,} > {int(LIMITS[(dialect, limit)] * fill):,} bytes"
        for (dialect, limit), width in widths_of(columns).items()
        if width > LIMITS[(dialect, limit)] * fill
    ]
