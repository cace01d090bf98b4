"""Merge conflicts recorded in a workshop file, explained to the person resolving them.

A three-way merge (:mod:`needsmap.collab.merge`) that meets a real conflict keeps
one side's value in the file and adds an entry to the top-level
``conflicts`` list (see docs/collaboration.md).  :func:`report_conflicts`
makes the validator report each entry as an error, located at the entry,
naming the item (and its line), both sides' values and what to do.
"""

from __future__ import annotations

from typing import Final

from needsmap.format import model as m
from needsmap.format.diagnostics import Reporter
from needsmap.format.naming import item_label, section_word
from needsmap.util.text import one_line, shorten

OURS: Final = "ours"
THEIRS: Final = "theirs"

#: Longest value quoted in a message; the entry in the file has all of it.
MAX_SHOWN = 60


def subject(c: m.Conflict, line: int | None = None) -> str:
    """What the conflict is about, in words: "use case 'churn-alert' (line 12), field 'value'"."""
    if c.id is not None:
        head = item_label(section_word(c.section), c.id)
    else:
        head = f"'{c.section}'"
    if line:
        head += f" (line {line})"
    return head + (f", field '{c.field}'" if c.field else "")


def shown(value: str | None, absent: str = "not set") -> str:
    """A conflict's value on one line, quoted and shortened; ``absent`` when the side has none."""
    if value is None:
        return absent
    return '"' + shorten(one_line(value), MAX_SHOWN) + '"'


def conflict_line(c: m.Conflict) -> str:
    """A conflict met while editing, on one line: "stakeholder 'sanne', field 'role': yours "x", theirs "y"".

    The words of the "keep mine / take theirs" question, wherever it is asked.
    """
    return f"{subject(c)}: yours {shown(c.ours)}, theirs {shown(c.theirs)}"


def _what(c: m.Conflict) -> str:
    """What both sides did, what the file keeps now, how to resolve it (after the subject)."""
    kept = c.kept or OURS
    if (c.field is None or c.field.endswith("]")) and (c.ours is None or c.theirs is None):
        deleted, changed = (OURS, THEIRS) if c.ours is None else (THEIRS, OURS)
        return (
            f"was deleted in {deleted} and changed in {changed}; the file keeps the changed version. "
            "Delete it if it should go, then delete this entry from 'conflicts'"
        )
    absent = "not set" if c.field else "not there"
    kept_value = c.ours if kept == OURS else c.theirs
    return (
        f"was changed on both sides: ours {shown(c.ours, absent)}, theirs {shown(c.theirs, absent)} "
        f"(before: {shown(c.base, absent)}); the file keeps {kept} ({shown(kept_value, absent)}). "
        "Set the value you want, then delete this entry from 'conflicts'"
    )


def describe(c: m.Conflict) -> str:
    """One line for people: "use case 'x', field 'value' was changed on both sides: ..."."""
    return f"{subject(c)} {_what(c)}"


def _item_line(ws: m.Workshop, c: m.Conflict) -> int | None:
    if c.id is None:
        return None
    items = getattr(ws, c.section, None)
    if not isinstance(items, list):
        return None
    for item in items:
        if getattr(item, "id", None) == c.id and getattr(item, "loc", None):
            pos = m.loc_position(item.loc)
            return pos[0] if pos else None
    return None


def report_conflicts(ws: m.Workshop, rep: Reporter) -> None:
    """One error per recorded merge conflict, located at its entry in ``conflicts``."""
    for c in ws.conflicts:
        pos = m.loc_position(c.loc)
        rep.error(pos, "merge-conflict", f"merge conflict: {subject(c, _item_line(ws, c))} {_what(c)}")
