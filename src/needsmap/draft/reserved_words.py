"""The words no table or column of the draft may be called, one list per SQL dialect.

The lists are read from sqlglot, which knows each dialect's grammar: MySQL's generator lists its
reserved words; for every dialect the tokenizer's keywords (``SELECT``, ``TABLE``...) and the first
words of its keyword phrases (``ORDER`` of ``ORDER BY``, ``GROUP`` of ``GROUP BY``, ``PRIMARY`` of
``PRIMARY KEY``) count too, data type names left out (a column may be called ``date`` or ``text``
in every dialect).  :data:`ALSO_RESERVED` adds the few words the standard and PostgreSQL or SQL
Server reserve that sqlglot reads as ordinary names (``user``, ``check``...).

Quoting would make any name legal, but a draft whose ``order`` table must be quoted in every query
of every tool that reads it is a trap: the draft renames instead (``order`` -> ``customer_order``).
"""

from __future__ import annotations

import functools

from needsmap.draft.sql_types import DIALECTS

#: Reserved in the SQL standard and in PostgreSQL or SQL Server, but read as names by sqlglot's tokenizers.
ALSO_RESERVED: frozenset[str] = frozenset(
    {
        "analyse",
        "authorization",
        "both",
        "check",
        "column",
        "constraint",
        "deferrable",
        "foreign",
        "grant",
        "group",
        "initially",
        "key",
        "leading",
        "offset",
        "order",
        "placing",
        "primary",
        "references",
        "symmetric",
        "trailing",
        "user",
        "window",
    }
)


@functools.cache
def reserved(dialect: str) -> frozenset[str]:
    """The reserved words of ``dialect`` (lower case)."""
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.parser import Parser

    d = Dialect.get_or_raise(dialect)
    words: set[str] = {w.lower() for w in getattr(d.generator_class, "RESERVED_KEYWORDS", ())}
    type_tokens = Parser.TYPE_TOKENS
    for phrase, token in d.tokenizer_class.KEYWORDS.items():
        first = phrase.split(" ")[0]
        if not first.isidentifier() or first.startswith("_"):
            continue
        if " " not in phrase and token in type_tokens:
            continue
        words.add(first.lower())
    return frozenset(words | ALSO_RESERVED)


@functools.cache
def reserved_anywhere() -> frozenset[str]:
    """The words reserved in at least one dialect the draft writes."""
    out: set[str] = set()
    for dialect in DIALECTS:
        out |= reserved(dialect)
    return frozenset(out)


def is_reserved(name: str) -> bool:
    """True when ``name`` is a reserved word in any dialect the draft writes."""
    return name.lower() in reserved_anywhere()
