"""References between items: where an item is referred to, and the one walk that renames or removes them.

Which fields are references is read from :mod:`needsmap.format.spec` (a ``ref`` scalar, alone
or in a list, at any depth of nested records), so a new reference field is followed by
renames, deletes and the "where is it used" lists without a change here.

:func:`rewrite` is the one walk: with a new id it renames every reference (a rename that
every reference follows); with ``None`` it removes them, so deleting an item never leaves a
dangling reference:

* a nested record whose *required* reference names the item (a need of a deleted
  attribute, a feed to a deleted system) goes as a whole;
* an optional reference is cleared;
* the item's id is taken out of lists of references.

Items are never changed in place: the result is a deep copy (its ``loc`` cleared, as its
place in the file no longer describes it), or the same object when nothing referred to the item.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from needsmap.format import spec
from needsmap.format.model import Workshop
from needsmap.format.naming import item_label


def points_to(shape: spec.Scalar | spec.ListOf | spec.Record, section: str) -> bool:
    """Whether a field of this shape holds the id of an item of ``section``."""
    return isinstance(shape, spec.Scalar) and shape.kind == "ref" and shape.ref in (section, "any")


#: Renamed items by section: old id -> new id, or None for an item removed.
Renames = Mapping[str, Mapping[str, str | None]]


def _renamed(renames: Renames, section: str | None, ident: object) -> tuple[bool, str | None]:
    """(whether ``ident``, held by a field referring to ``section``, is renamed or removed; its new id)."""
    if not isinstance(ident, str):
        return False, None
    if section == "any":
        for mapping in renames.values():
            if ident in mapping:
                return True, mapping[ident]
        return False, None
    known = renames.get(section or "")
    if known is None or ident not in known:
        return False, None
    return True, known[ident]


def rewrite(
    obj: Any, rec: spec.Record, section: str, ident: str, new_id: str | None, found: list[str], where: str
) -> Any:
    """``obj`` with its references to ``ident`` (an item of ``section``) renamed to ``new_id``, or removed.

    Returns a copy, or ``obj`` itself when nothing in it refers to ``ident``.  ``found`` gets one
    line per reference ("owner of use case 'x'", "need #2 of use case 'x'"), ``where`` names ``obj``.
    """
    return rewrite_all(obj, rec, {section: {ident: new_id}}, found, where)


def rewrite_all(obj: Any, rec: spec.Record, renames: Renames, found: list[str], where: str = "") -> Any:
    """``obj`` with every reference to an item in ``renames`` renamed, or removed (new id None), all at once.

    A list element whose required reference names a removed item goes with it (a need of a deleted
    attribute).  Returns a copy that shares nothing with ``obj`` (undo keeps the old), or ``obj``
    itself when nothing in it changes; ``found`` gets one line per reference, ``where`` names ``obj``.
    """
    changes: dict[str, object] = {}
    for fld in rec.fields:
        value = getattr(obj, fld.attr)
        if value is None:
            continue
        shape = fld.shape
        if isinstance(shape, spec.Scalar):
            if shape.kind == "ref":
                hit, new_id = _renamed(renames, shape.ref, value)
                if hit:
                    changes[fld.attr] = new_id
                    found.append(f"{fld.key} of {where}")
        elif isinstance(shape, spec.ListOf):
            inner = shape.item
            if isinstance(inner, spec.Record):
                keys = [f for f in inner.fields if f.required and isinstance(f.shape, spec.Scalar) and f.shape.ref]
                kept, changed = [], False
                for i, child in enumerate(value):
                    label = item_label(inner.word, index=i, parent=where)
                    if any(_renamed(renames, k.shape.ref, getattr(child, k.attr)) == (True, None) for k in keys):  # type: ignore[union-attr]
                        found.append(label)
                        changed = True
                        continue
                    new = rewrite_all(child, inner, renames, found, label)
                    changed = changed or new is not child
                    kept.append(new)
                if changed:
                    changes[fld.attr] = kept
            elif inner.kind == "ref":
                hits = [_renamed(renames, inner.ref, v) for v in value]
                if any(hit for hit, _ in hits):
                    changes[fld.attr] = [
                        new if hit else v
                        for v, (hit, new) in zip(value, hits, strict=True)
                        if not hit or new is not None
                    ]
                    found.append(f"{fld.key} of {where}")
        elif isinstance(shape, spec.Record):
            child = rewrite_all(value, shape, renames, found, where)
            if child is not value:
                changes[fld.attr] = child
    if not changes:
        return obj
    new_obj = copy.deepcopy(obj)  # nothing of the new item is shared with the old one (undo keeps the old)
    for attr, value in changes.items():
        setattr(new_obj, attr, copy.deepcopy(value))
    if hasattr(new_obj, "loc"):
        new_obj.loc = None
    return new_obj


def referring_items(ws: Workshop, section: str, ident: str) -> Iterator[tuple[str, int, Any, spec.Record]]:
    """Every item (of any section) but the item itself: ``(section, index, item, record)``."""
    for other, rec in spec.ITEM_RECORDS.items():
        for i, item in enumerate(ws.section(other)):
            if other == section and item.id == ident:
                continue
            yield other, i, item, rec


def top_level_changes(ws: Workshop, section: str, ident: str, new_id: str | None, found: list[str]) -> dict[str, Any]:
    """The workshop's own fields (``settings``, ``votes``) that refer to ``ident``, renamed or removed: field name
    to new value, only for the fields that change (a vote for a deleted option or by a deleted stakeholder goes)."""
    changes: dict[str, Any] = {}
    if ws.settings is not None:
        settings = rewrite(ws.settings, spec.SETTINGS, section, ident, new_id, found, "'settings'")
        if settings is not ws.settings:
            changes["settings"] = settings
    key_fields = [f for f in spec.VOTE.fields if points_to(f.shape, section)]
    votes, changed = [], False
    for i, vote in enumerate(ws.votes):
        label = f"vote #{i + 1}"
        if new_id is None and any(getattr(vote, f.attr) == ident for f in key_fields):
            found.append(label)
            changed = True
            continue
        new = rewrite(vote, spec.VOTE, section, ident, new_id, found, label)
        changed = changed or new is not vote
        votes.append(new)
    if changed:
        changes["votes"] = votes
    return changes
