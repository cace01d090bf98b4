"""What the dbt export writes and the dbt import reads the same way: names, tables, freshness, Jinja.

* dbt names (projects, sources, tables, columns, models) are identifiers, ``[A-Za-z_][A-Za-z0-9_]*``:
  a workshop's name that already is one is kept as it is (``CardNumber``), anything else becomes a
  slug (:func:`needsmap.draft.engine.physical_name`: ASCII, lower case, at most 63 characters, a
  long one ending in a hash of the whole), and names that meet in one scope get ``_2``, ``_3``.
* A holding's ``field`` ``Receipt.CardNumber`` is the column ``CardNumber`` of the table ``Receipt``
  (split at the last dot, as the column matcher reads it); a field without a table, or no field,
  puts the column into the one table named after the system.
* dbt renders every string of a schema file with Jinja, descriptions included: ``{{``, ``{%`` and
  ``{#`` in workshop text would run as code. :func:`jinja_text` writes their ``{`` as ``{{ "{" }}``,
  which renders back to ``{``; :func:`plain_text` undoes it on import.
"""

from __future__ import annotations

import re

from needsmap.draft.engine import physical_name
from needsmap.interchange.facts import FRESHNESS_HOURS

#: What a dbt identifier is; a workshop name of this shape is kept as written.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: Longest name written (PostgreSQL's limit, the strictest of the warehouses dbt runs on).
MAX_NAME = 63
#: The column a loader stamps each row with; dbt's freshness compares its newest value with now.
#: The workshop cannot know it: set it to the loader's own (``_fivetran_synced``, ``_airbyte_extracted_at``).
LOADED_AT_FIELD = "_loaded_at"
#: Project names dbt keeps for itself (its own packages).
_TAKEN_PROJECT_NAMES = frozenset({"dbt", "dbt_duckdb", "dbt_postgres", "dbt_snowflake", "dbt_bigquery"})

_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_ESCAPED_BRACE = '{{ "{" }}'


def jinja_text(text: str) -> str:
    """``text`` as dbt renders it back unchanged: every ``{`` that would open Jinja written as ``{{ "{" }}``."""
    return _JINJA_OPEN.sub(_ESCAPED_BRACE, text)


def plain_text(text: str) -> str:
    """The text :func:`jinja_text` wrote (an exact inverse: ``{{`` occurs in its output only where it escaped)."""
    return text.replace(_ESCAPED_BRACE, "{")


def dbt_name(text: str) -> str:
    """``text`` as a dbt identifier: kept when it is one (and not too long), else a slug."""
    if IDENTIFIER.fullmatch(text) and len(text) <= MAX_NAME:
        return text
    return physical_name(text, MAX_NAME)


def joined_name(*parts: str) -> str:
    """Identifier parts joined as they are (``stg_pos__receipt``), cut to :data:`MAX_NAME` with a hash."""
    name = "".join(parts)
    return name if len(name) <= MAX_NAME else physical_name(name, MAX_NAME)


def project_name(workshop_name: str) -> str:
    """The dbt project's name: the workshop's name as a lower-case identifier, never one of dbt's own."""
    name = physical_name(workshop_name or "needsmap workshop", MAX_NAME)
    if name in _TAKEN_PROJECT_NAMES or name.startswith("dbt_"):
        name = physical_name(f"workshop_{name}", MAX_NAME)
    return name


class UniqueNames:
    """Names unique in one scope (a project's sources, a source's tables, a table's columns), ignoring case."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        base = dbt_name(wanted)
        name, n = base, 1
        while name.lower() in self._taken:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        self._taken.add(name.lower())
        return name


def same_name(written: str, wanted: str) -> bool:
    """``written`` is the name the export gives ``wanted`` (itself, or with the ``_2`` a clash adds)."""
    base = dbt_name(wanted)
    if written == base:
        return True
    stem, _, n = written.rpartition("_")
    if not (n.isdigit() and int(n) >= 2 and stem):
        return False
    return stem == base or (len(written) == MAX_NAME and base.startswith(stem))


def split_field(field: str | None) -> tuple[str | None, str | None]:
    """(table, column) of a holding's field: ``Receipt.CardNumber`` -> (Receipt, CardNumber); no table: (None, it)."""
    if not field or not field.strip():
        return None, None
    table, dot, column = field.rpartition(".")
    if not dot or not table.strip() or not column.strip():
        return None, field
    return table, column


def freshness_thresholds(needed: str) -> dict[str, dict[str, int | str]] | None:
    """dbt's ``warn_after``/``error_after`` for the strictest freshness use cases need; None when none is known.

    Warn when the newest row is older than the need allows (daily: 24 hours), error at twice that
    (48 hours): a day late is a warning, two days late means the use case works on stale data.
    """
    hours = FRESHNESS_HOURS.get(needed)
    if hours is None:
        return None
    return {"warn_after": _period(hours), "error_after": _period(2 * hours)}


def _period(hours: int) -> dict[str, int | str]:
    if hours < 24 or hours % 24:
        return {"count": hours, "period": "hour"}
    return {"count": hours // 24, "period": "day"}


def threshold_hours(threshold: object) -> float | None:
    """A ``warn_after``/``error_after`` mapping in hours, or None when it is not one dbt reads."""
    if not isinstance(threshold, dict):
        return None
    count, period = threshold.get("count"), threshold.get("period")
    per = {"minute": 1 / 60, "hour": 1, "day": 24}.get(period) if isinstance(period, str) else None
    if per is None or isinstance(count, bool) or not isinstance(count, (int, float)):
        return None
    return count * per


# -- the attribute dictionary's cells -------------------------------------------------------------------
#: The seed that lists every attribute of the workshop (``seeds/<SEED>.csv``).
SEED = "needsmap_attributes"
#: Its columns, in order.
SEED_COLUMNS: tuple[str, ...] = ("needsmap_id", "name", "entity", "type", "sensitivity", "owner", "definition")
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def cell(text: str) -> str:
    """A seed cell a spreadsheet shows as text: one that would start a formula gets an apostrophe in front
    (so does one that already starts with apostrophes before such a character, so reading back is exact)."""
    return "'" + text if _FORMULA.match(text) else text


def uncell(text: str) -> str:
    """The text :func:`cell` wrote."""
    return text[1:] if _NEUTRALISED.match(text) else text
