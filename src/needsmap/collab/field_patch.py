"""What a form changed in one record, laid onto that record as it is now.

A form opens on a record (an item, or a nested record such as a system's holding)
and returns a new one.  While it is open, the session may merge what someone else
saved (:meth:`needsmap.collab.session.Session.sync_with_disk`), so when the form is
saved the record can differ from the one the form opened on.  Writing the form's
whole record would put every field back as it was when the form opened, and lose
their change.  Instead the form's edit is a patch of the fields it changed:

* :func:`diff`: which fields differ between the record the form opened on and the
  form's result (a :class:`FieldPatch`: each field's value before and after);
* :func:`conflicts`: which of those fields were changed meanwhile too, to another
  value (the current value is neither the one the form started from nor the form's);
* :func:`apply`: the current record with the patch laid on it; every field the
  form did not change keeps its current value, and conflicting fields take the
  form's value unless they are named in ``keep_current``;
* :func:`theirs_instead`: the patch that puts the other side's values back for
  conflicting fields (the answer "take theirs", given after the form was saved);
* :func:`find_same`: where a nested record is now in its list, found by its key
  (:mod:`needsmap.collab.item_identity`: a holding by its attribute, a step by its
  name), not by its position;
* :func:`conflict_entries`: the conflicts as :class:`~needsmap.format.model.Conflict`
  entries, described the way the three-way merge describes its conflicts.

Records are the model's dataclasses; nothing here changes one in place.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from needsmap.collab.item_identity import as_yaml, key_of
from needsmap.collab.session import Session, edited
from needsmap.format import model as m
from needsmap.format import spec


@dataclass(frozen=True, slots=True)
class FieldPatch:
    """The fields a form changed (attribute names), with their values before and after."""

    before: Mapping[str, Any] = field(default_factory=dict)
    after: Mapping[str, Any] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.after)

    def __bool__(self) -> bool:
        return bool(self.after)

    def without(self, names: Collection[str]) -> FieldPatch:
        """The same patch, leaving out the fields ``names``."""
        return FieldPatch(
            {k: v for k, v in self.before.items() if k not in names},
            {k: v for k, v in self.after.items() if k not in names},
        )


def record_fields(record: Any) -> tuple[str, ...]:
    """The attribute names of a record's fields (its place in the file, ``loc``, is not a field)."""
    return tuple(f.name for f in dataclasses.fields(record) if f.compare)


def diff(original: object, result: object, fields: Iterable[str] | None = None) -> FieldPatch:
    """The fields (of ``fields``, default all) whose value in ``result`` differs from ``original``."""
    names = record_fields(original) if fields is None else tuple(fields)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in names:
        old, new = getattr(original, name), getattr(result, name)
        if old != new:
            before[name] = copy.deepcopy(old)
            after[name] = copy.deepcopy(new)
    return FieldPatch(before, after)


def conflicts(patch: FieldPatch, current: object) -> tuple[str, ...]:
    """The patched fields that ``current`` changed too, to a value other than the patch's."""
    out = []
    for name in patch.fields:
        now = getattr(current, name)
        if now != patch.before[name] and now != patch.after[name]:
            out.append(name)
    return tuple(out)


def apply(patch: FieldPatch, current: Any, keep_current: Collection[str] = ()) -> Any:
    """``current`` with the patch's values, except for the fields ``keep_current`` (left as they are now).

    Returns ``current`` itself when that changes nothing, else a new record (``current`` is not changed).
    """
    changes = {
        name: copy.deepcopy(value)
        for name, value in patch.after.items()
        if name not in keep_current and getattr(current, name) != value
    }
    return edited(current, **changes) if changes else current


def theirs_instead(patch: FieldPatch, names: Iterable[str], theirs: object) -> FieldPatch:
    """The patch from the form's values back to ``theirs`` (the record as it was before the form's
    patch was applied) for the fields ``names``: applied where nothing changed them since, it takes theirs."""
    names = [n for n in names if n in patch.after]
    return FieldPatch({n: patch.after[n] for n in names}, {n: copy.deepcopy(getattr(theirs, n)) for n in names})


def find_same(records: Sequence[object], original: object, rec: spec.Record, hint: int | None = None) -> int | None:
    """Where the record ``original`` is in ``records`` now: the one with the same key, or None.

    When several have its key (an invalid file), the one at ``hint`` (its old position) if it
    is one of them, else the first.  Records without a key are found by being equal to it.
    """
    key = key_of(original, rec)
    if key is None:
        same = [i for i, r in enumerate(records) if r == original]
    else:
        same = [i for i, r in enumerate(records) if key_of(r, rec) == key]
    if not same:
        return None
    return hint if hint in same else same[0]


def _text(value: object) -> str | None:
    """A value as the merge writes it in a conflict (None when not set)."""
    if value is None or value == [] or value == "":
        return None
    return as_yaml(value)


def conflict_entries(
    patch: FieldPatch,
    names: Iterable[str],
    theirs: object,
    rec: spec.Record,
    section: str,
    ident: str | None,
    path: str = "",
) -> list[m.Conflict]:
    """The conflicts ``names`` of the patch, as the merge records them: ours is the form's value, theirs the
    value of ``theirs``, kept ours.  ``path`` is where the record sits in the item (``holds[email]``)."""
    keys = {f.attr: f.key for f in rec.fields}
    out = []
    for name in names:
        key = keys.get(name, name)
        out.append(
            m.Conflict(
                section=section,
                id=ident,
                field=f"{path}.{key}" if path else key,
                kept="ours",
                base=_text(patch.before[name]),
                ours=_text(patch.after[name]),
                theirs=_text(getattr(theirs, name)),
            )
        )
    return out


# -- saving a form's edit through a session -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SavedEdit:
    """What :func:`save_edit` did."""

    ident: str  # the item's id now
    id_taken: bool  # the form asked for a new id that someone else took meanwhile: the item kept its id
    patch: FieldPatch  # the fields the form changed (the id aside)
    clash: tuple[str, ...]  # of those, the ones changed meanwhile too: saved with the form's value
    theirs: Any  # the item just before the save (the other side's values of ``clash``)
    conflicts: list[m.Conflict]  # ``clash`` described as the merge describes its conflicts


def save_edit(
    session: Session, section: str, original: Any, result: Any, fields: Iterable[str] | None, label: str
) -> SavedEdit | None:
    """Save a form's edit of the item ``original`` (the form's ``result``), as one undo step.

    Only the fields the form changed are laid onto the item as it is now; a new id is a rename
    (every reference follows), unless someone took that id meanwhile.  None when the item is gone
    (deleted meanwhile): nothing was saved, the caller decides.
    """
    try:
        session.find(section, original.id)
    except KeyError:
        return None
    patch = diff(original, result, fields)
    ident, taken = original.id, False
    with session.batch(label):
        if "id" in patch.after:
            if any(item.id == result.id for item in session.workshop.section(section)):
                taken = True
            else:
                session.rename(section, original.id, result.id)
                ident = result.id
            patch = patch.without(["id"])
        index = session.find(section, ident)
        current = session.workshop.section(section)[index]
        clash = conflicts(patch, current)
        new = apply(patch, current)
        if new is not current:
            session.replace(section, index, new, label=label)
    entries = conflict_entries(patch, clash, current, spec.ITEM_RECORDS[section], section, ident) if clash else []
    return SavedEdit(ident, taken, patch, clash, current, entries)


def take_theirs(session: Session, section: str, saved: SavedEdit) -> None:
    """The answer "take theirs" to :attr:`SavedEdit.conflicts`: their values back for those fields, where nothing
    changed them since the form was saved (one undo step)."""
    try:
        index = session.find(section, saved.ident)
    except KeyError:
        return  # gone since
    item = session.workshop.section(section)[index]
    back = theirs_instead(saved.patch, saved.clash, saved.theirs)
    new = apply(back, item, keep_current=conflicts(back, item))
    if new is not item:
        session.replace(section, index, new, label=f"take their values for {saved.ident}")
