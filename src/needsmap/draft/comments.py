"""The words every format of the draft writes beside its tables and columns, and text folded to one line.

Shared by the SQL, DBML and Mermaid writers (:mod:`needsmap.draft.render`,
:mod:`needsmap.draft.dbml`, :mod:`needsmap.draft.mermaid`), which each escape them for their medium.
"""

from __future__ import annotations

import re
import unicodedata

from needsmap.draft.engine import Column, Table
from needsmap.util.text import shorten

_BREAKS = re.compile(r"\s+")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` on one line without control, format or separator characters (no line break survives)."""
    kept = (
        text
        if text.isprintable()
        else "".join(
            " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") else ch for ch in text
        )
    )
    out = _BREAKS.sub(" ", kept).strip()
    return shorten(out, limit) if limit is not None else out


def _trace(col_or_table) -> str:
    ucs = col_or_table.use_cases
    return f" Needed by: {', '.join(ucs)}." if ucs else ""


def column_comment(col: Column, decisions: bool = True) -> str:
    """A column's definition, its business name and who needs it, with its open decisions."""
    parts = [col.comment]
    if col.label and col.label != col.name and col.attribute:
        parts.insert(0, f"{col.label}:")
    if col.values:
        parts.append(f"Values: {', '.join(col.values)}.")
    text = " ".join(p for p in parts if p) + _trace(col)
    if col.open_decisions and decisions:
        text += f" Open decisions: {', '.join(col.open_decisions)}."
    return text


def table_comment(t: Table) -> str:
    text = t.comment + _trace(t)
    if t.open_decisions:
        text += f" Open decisions: {', '.join(t.open_decisions)}."
    return text
