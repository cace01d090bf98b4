"""Three-way merge of workshops: by section, by item id, by field.

:func:`merge_workshops` takes the common ancestor (``base``) and two edited
versions (``ours``, ``theirs``) as loaded models and walks them guided by
:mod:`needsmap.format.spec` (so new sections merge without changes here):

* a value changed on one side only takes that side's value;
* items are matched by id (and holdings and needs by attribute, feeds by
  target, steps by name; see :mod:`needsmap.collab.item_identity`): items added on
  either side are kept, the other side's new items placed after the item that
  precedes them there; an item deleted on one side and untouched on the other
  goes; edits to different items, or to different fields of one item, all
  land; the order is ours, or theirs when only they reordered;
* lists of names (channels of a use case, functions...) merge as sets: what
  either side added is added, what either side removed is removed, in our order;
* the header comment merges like a value;
* a renamed item (an id gone, a new id with nearly the same content, see
  :func:`needsmap.collab.item_identity.renamed_items`) is the same item under its
  new id: the other side's edits to it land, and its references follow the
  rename on both sides, the other side's new references to the old id included.

A real conflict, both sides changing the same field to different values or
one side deleting an item the other changed, keeps one side's value in the
file (ours; for a deleted-and-changed item, the changed one) and is recorded
as an entry of the top-level ``conflicts`` list: where it is, and the base,
ours and theirs values as YAML text.  So is an item renamed differently on
both sides (ours' id kept, the entry names both).  The file stays a valid,
canonical YAML file (written by :func:`needsmap.format.saver.dump`);
``needsmap validate`` reports each entry as an error that says how to resolve it.

The merged workshop is then checked as ``needsmap validate`` checks a file, and
what the merge itself broke is repaired and recorded as a conflict too: an item
one side deleted while the other side referred to it anew comes back (never a
dangling reference), and any other error between items takes our version of
the item.  So the result opens wherever both sides did; only its ``conflicts``
entries are errors.

:func:`merge_files` is what ``needsmap merge-driver %O %A %B %P`` runs for git.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from needsmap.collab.diff import record_changes
from needsmap.collab.item_identity import (
    as_yaml,
    blank_value,
    key_of,
    keyed,
    plain,
    renamed_items,
    section_default,
)
from needsmap.format import loader, references, saver, spec, validator
from needsmap.format import model as m
from needsmap.format.conflicts import OURS, THEIRS, describe, subject
from needsmap.format.diagnostics import Diagnostic
from needsmap.format.naming import item_label, section_word
from needsmap.util.atomic_write import write_text_atomically


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a value sits: the top-level section, the item id in it, the path inside the item."""

    section: str
    id: str | None = None
    path: str = ""

    def element(self, key: str) -> _Where:
        if self.id is None and not self.path:
            return _Where(self.section, key, "")
        return _Where(self.section, self.id, f"{self.path}[{key}]")

    def field(self, key: str) -> _Where:
        return _Where(self.section, self.id, f"{self.path}.{key}" if self.path else key)


#: The side whose value a conflict keeps in the file (as ``Conflict.kept``).
Kept = Literal["ours", "theirs"]


@dataclass(slots=True)
class MergeResult:
    workshop: m.Workshop
    conflicts: list[m.Conflict] = field(default_factory=list)  # the new ones (also in workshop.conflicts)

    @property
    def clean(self) -> bool:
        return not self.conflicts


class _Merger:
    def __init__(self) -> None:
        self.conflicts: list[m.Conflict] = []

    def _record(self, where: _Where, kept: Kept, base: str | None, ours: str | None, theirs: str | None) -> None:
        self.conflicts.append(
            m.Conflict(
                section=where.section,
                id=where.id,
                field=where.path or None,
                kept=kept,
                base=base,
                ours=ours,
                theirs=theirs,
            )
        )

    def conflict(self, where: _Where, base, ours, theirs, kept: Kept):
        self._record(where, kept, _text(base), _text(ours), _text(theirs))
        return ours if kept == OURS else theirs

    def deleted_and_changed(self, where: _Where, base, changed, rec: spec.Record, kept: Kept):
        """One side deleted an item the other changed: keep the changed item, record what changed."""
        fields = record_changes(base, changed, rec)
        before = {f.path: plain(f.old) for f in fields}
        after = {f.path: plain(f.new) for f in fields}
        changed_text = as_yaml(after)
        self._record(
            where,
            kept,
            as_yaml(before),
            changed_text if kept == OURS else None,
            changed_text if kept == THEIRS else None,
        )
        return changed

    def value(self, b, o, t, fld: spec.Field, owner: spec.Record, where: _Where):
        if b == o or b == t or o == t:
            return _three_way(b, o, t)
        shape = fld.shape
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            if shape.item is spec.CONFLICT:
                return _set_merge(b or [], o or [], t or [])
            merged = self.keyed_list(b or [], o or [], t or [], shape.item, where)
            if merged is not None:
                return merged
        elif isinstance(shape, spec.Record):
            return self.record(b, o, t, shape, where)
        elif isinstance(shape, spec.ListOf):
            default = section_default(fld)
            sides = [default if v is None and default is not None else v for v in (b, o, t)]
            if all(v is not None for v in sides) or blank_value(owner, fld.attr) is not None:
                return _set_merge(*(v or [] for v in sides))
        return self.conflict(where, b, o, t, OURS)

    def record(self, b, o, t, rec: spec.Record, where: _Where):
        if b == o or b == t or o == t:
            return _three_way(b, o, t)
        if o is None or t is None:  # one side dropped a whole section record (settings) the other changed
            try:
                blank = rec.cls()
            except TypeError:
                return self.conflict(where, b, o, t, OURS if o is not None else THEIRS)
            merged = self.record(b, o if o is not None else blank, t if t is not None else blank, rec, where)
            return None if merged == blank else merged
        changes = {}
        for fld in rec.fields:
            bv = getattr(b, fld.attr) if b is not None else blank_value(rec, fld.attr)
            changes[fld.attr] = self.value(
                bv, getattr(o, fld.attr), getattr(t, fld.attr), fld, rec, where.field(fld.key)
            )
        return dataclasses.replace(o, **changes)

    def keyed_list(self, b: list, o: list, t: list, rec: spec.Record, where: _Where) -> list | None:
        base, ours, theirs = keyed(b, rec), keyed(o, rec), keyed(t, rec)
        if base is None or ours is None or theirs is None:
            return None
        merged: dict[str, object] = {}
        for key, item in ours.items():
            if key in theirs:
                merged[key] = self.record(base.get(key), item, theirs[key], rec, where.element(key))
            elif key in base:  # theirs deleted it
                if item != base[key]:
                    merged[key] = self.deleted_and_changed(where.element(key), base[key], item, rec, OURS)
            else:
                merged[key] = item
        for key, item in theirs.items():
            if key in ours:
                continue
            if key in base:  # ours deleted it
                if item == base[key]:
                    continue
                item = self.deleted_and_changed(where.element(key), base[key], item, rec, THEIRS)
            merged[key] = item
        return [merged[k] for k in _merged_order(list(base), list(ours), list(theirs), merged)]


def _merged_order(base: list, ours: list, theirs: list, kept) -> list:
    """The order of the merged elements: our order, or theirs when only they moved elements around.

    Elements only the other side has are placed after the element that
    precedes them on that side.
    """
    shared = set(base) & set(ours) & set(theirs)
    in_base = [k for k in base if k in shared]
    first, second = ours, theirs
    if [k for k in ours if k in shared] == in_base and [k for k in theirs if k in shared] != in_base:
        first, second = theirs, ours
    order = [k for k in first if k in kept]
    placed = set(order)
    for i, key in enumerate(second):
        if key in placed or key not in kept:
            continue
        before = next((k for k in reversed(second[:i]) if k in placed), None)
        order.insert(order.index(before) + 1 if before is not None else 0, key)
        placed.add(key)
    return order


def _set_merge(b: list, o: list, t: list) -> list:
    """Lists merged as sets, in our order: both sides' additions in, both sides' removals out."""
    out = [v for v in o if v in t or v not in b]
    for i, v in enumerate(t):
        if v in out or v in b:
            continue
        before = next((x for x in reversed(t[:i]) if x in out), None)
        out.insert(out.index(before) + 1 if before is not None else 0, v)
    return out


def _text(value) -> str | None:
    if value is None or value == [] or value == "":
        return None
    return as_yaml(value)


def merge_workshops(base: m.Workshop, ours: m.Workshop, theirs: m.Workshop) -> MergeResult:
    """The three-way merge; conflicts are appended to the merged workshop's ``conflicts``.

    Renamed items are matched first (:func:`needsmap.collab.item_identity.renamed_items`), then the
    result is checked the way ``needsmap validate`` checks a file, and whatever the merge itself broke
    is repaired and recorded as a conflict (:class:`_Repair`): the merged workshop always opens when
    both sides did.
    """
    if theirs == base:  # nothing to bring in: ours as it is (merging twice changes nothing)
        return MergeResult(dataclasses.replace(ours, conflicts=list(ours.conflicts)))
    if ours == base:
        return MergeResult(dataclasses.replace(theirs, conflicts=list(theirs.conflicts)))
    merger = _Merger()
    plan = _RenamePlan(base, ours, theirs, merger)
    ours_aligned, theirs_aligned = plan.aligned()
    done_before = len(merger.conflicts)
    changes = {}
    for fld in spec.WORKSHOP.fields:
        where = _Where(fld.key)
        b, o, t = getattr(base, fld.attr), getattr(ours_aligned, fld.attr), getattr(theirs_aligned, fld.attr)
        if isinstance(fld.shape, spec.Record):
            changes[fld.attr] = merger.record(b, o, t, fld.shape, where)
        else:
            changes[fld.attr] = merger.value(b, o, t, fld, spec.WORKSHOP, where)
    header = _three_way(base.header, ours.header, theirs.header)
    merged = dataclasses.replace(ours, **changes, header=header)
    merged = plan.finish(merged)
    merger.conflicts[done_before:] = [plan.renamed_conflict(c) for c in merger.conflicts[done_before:]]
    existing = [plan.renamed_conflict(c) for c in merged.conflicts]
    merged = _Repair(merger, base, ours, theirs, plan).run(merged)
    merged.conflicts = [*existing, *merger.conflicts]
    return MergeResult(merged, merger.conflicts)


# -- renames ----------------------------------------------------------------------------------------
Renames = dict[str, dict[str, str]]  # section -> {id: id}


def _top_records(ws: m.Workshop) -> Iterator[tuple[spec.Field, int | None, Any, spec.Record]]:
    """Every record of the workshop's sections: items, votes, settings... (field, index in its list, record)."""
    for fld in spec.WORKSHOP.fields:
        shape, value = fld.shape, getattr(ws, fld.attr)
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            for i, obj in enumerate(value or []):
                yield fld, i, obj, shape.item
        elif isinstance(shape, spec.Record) and value is not None:
            yield fld, None, value, shape


def _label(fld: spec.Field, index: int | None, obj: Any, rec: spec.Record) -> str:
    if index is None:
        return f"'{fld.key}'"
    return item_label(
        section_word(fld.key) if fld.key in spec.ITEM_RECORDS else rec.word, getattr(obj, "id", None), index=index
    )


def _references(obj: Any, rec: spec.Record, label: str) -> Iterator[tuple[str, str, str]]:
    """Every reference in ``obj``: (the section it points into, or ``any``; the id; where it is, in words)."""
    for fld in rec.fields:
        value = getattr(obj, fld.attr)
        if value is None:
            continue
        shape = fld.shape
        if isinstance(shape, spec.Scalar):
            if shape.kind == "ref" and shape.ref is not None:
                yield shape.ref, value, f"{fld.key} of {label}"
        elif isinstance(shape, spec.ListOf):
            inner = shape.item
            if isinstance(inner, spec.Record):
                for i, child in enumerate(value):
                    yield from _references(child, inner, item_label(inner.word, index=i, parent=label))
            elif inner.kind == "ref" and inner.ref is not None:
                for target in value:
                    yield inner.ref, target, f"{fld.key} of {label}"
        elif isinstance(shape, spec.Record):
            yield from _references(value, shape, f"'{fld.key}' of {label}")


def _referred(ws: m.Workshop) -> set[tuple[str, str]]:
    """(section or ``any``, id) of everything the workshop refers to."""
    return {(sec, target) for fld, i, obj, rec in _top_records(ws) for sec, target, _ in _references(obj, rec, "")}


def _renamed_everywhere(ws: m.Workshop, renames: Renames) -> m.Workshop:
    """``ws`` with items renamed (section -> {old id: new id}) and every reference following them."""
    if not renames:
        return ws
    changes: dict[str, Any] = {}
    for fld in spec.WORKSHOP.fields:
        shape, value = fld.shape, getattr(ws, fld.attr)
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record) and value:
            new_list = [_renamed_record(obj, shape.item, fld.key, renames) for obj in value]
            if any(a is not b for a, b in zip(new_list, value)):
                changes[fld.attr] = new_list
        elif isinstance(shape, spec.Record) and value is not None:
            new = _renamed_record(value, shape, fld.key, renames)
            if new is not value:
                changes[fld.attr] = new
    return dataclasses.replace(ws, **changes) if changes else ws


def _renamed_record(obj: Any, rec: spec.Record, section: str, renames: Renames) -> Any:
    """``obj`` (of ``section``) with its references renamed, and its own id when it is renamed itself."""
    new = references.rewrite_all(obj, rec, renames, [])
    own = renames.get(section, {}).get(getattr(obj, "id", None))  # type: ignore[arg-type]
    if own is not None and "id" in rec.by_key:
        new = dataclasses.replace(new, id=own, loc=None)
    return new


def _renames(base: m.Workshop, side: m.Workshop) -> Renames:
    """The items ``side`` renamed: an id gone, a new id with the same content, nothing left referring to the old id."""
    found: Renames = {}
    referred: set[tuple[str, str]] | None = None
    for section, rec in spec.ITEM_RECORDS.items():
        pairs = renamed_items(base.section(section), side.section(section), rec)
        if not pairs:
            continue
        if referred is None:
            referred = _referred(side)
        pairs = {
            old: new for old, new in pairs.items() if (section, old) not in referred and ("any", old) not in referred
        }
        if pairs:
            found[section] = pairs
    return found


class _RenamePlan:
    """How the renames of both sides come together.

    Before the merge, each side's renamed items get their base id back, their references too
    (:meth:`aligned`), so the merge matches them with the other side's version; after it,
    :meth:`finish` gives them their new id, and every reference follows, the other side's new
    references to the old id included.  Renamed on both sides: ours' id, one conflict naming both.
    Renamed on one side and deleted on the other: the renamed item stays, as a deleted-and-changed conflict.
    """

    def __init__(self, base: m.Workshop, ours: m.Workshop, theirs: m.Workshop, merger: _Merger) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.align_ours: Renames = {}
        self.align_theirs: Renames = {}
        self.final: Renames = {}  # base id -> id in the merged workshop
        self.wanted: dict[tuple[str, str], tuple[str, str]] = {}  # (section, base id) -> (ours' id, theirs' id)
        self.merger = merger
        ours_renames, theirs_renames = _renames(base, ours), _renames(base, theirs)
        for section, rec in spec.ITEM_RECORDS.items():
            o, t = ours_renames.get(section, {}), theirs_renames.get(section, {})
            if not o and not t:
                continue
            base_items = {item.id: item for item in base.section(section)}
            ours_items = {item.id: item for item in ours.section(section)}
            theirs_items = {item.id: item for item in theirs.section(section)}
            for old in [*o, *(k for k in t if k not in o)]:
                a, b = o.get(old), t.get(old)
                if a is not None and b is not None:
                    self._align(section, old, a, b)
                    if a != b:
                        merger.conflict(_Where(section, a, "id"), old, a, b, OURS)
                elif a is not None:
                    if old in theirs_items:
                        self._align(section, old, a, None)
                    else:  # they deleted what we renamed
                        merger.deleted_and_changed(_Where(section, a), base_items[old], ours_items[a], rec, OURS)
                elif b is not None:
                    if old in ours_items:
                        self._align(section, old, None, b)
                    else:
                        merger.deleted_and_changed(_Where(section, b), base_items[old], theirs_items[b], rec, THEIRS)

    def _align(self, section: str, old: str, ours_id: str | None, theirs_id: str | None) -> None:
        if ours_id is not None:
            self.align_ours.setdefault(section, {})[ours_id] = old
        if theirs_id is not None:
            self.align_theirs.setdefault(section, {})[theirs_id] = old
        self.final.setdefault(section, {})[old] = ours_id if ours_id is not None else theirs_id  # type: ignore[assignment]
        self.wanted[(section, old)] = (ours_id or old, theirs_id or old)

    def aligned(self) -> tuple[m.Workshop, m.Workshop]:
        """Both sides with the renamed items under their base id."""
        return _renamed_everywhere(self.ours, self.align_ours), _renamed_everywhere(self.theirs, self.align_theirs)

    def finish(self, merged: m.Workshop) -> m.Workshop:
        """The merged workshop with the renamed items under their new id, and every reference following.

        When the new id is taken by another item in the merged workshop (the other side added an
        item with that id, or renamed another item to it), the item keeps its base id, and a
        conflict entry (``field: id``) says which id each side gave it.
        """
        for section, mapping in list(self.final.items()):
            ids = {item.id for item in merged.section(section)}
            for old, new in list(mapping.items()):
                if old in ids and new not in ids:
                    ids.discard(old)
                    ids.add(new)
                    continue
                del mapping[old]
                if old in ids:
                    ours_id, theirs_id = self.wanted[(section, old)]
                    kept: Kept = THEIRS if ours_id != old and theirs_id == old else OURS
                    self.merger.conflict(_Where(section, old, "id"), old, ours_id, theirs_id, kept)
            if not mapping:
                del self.final[section]
        return _renamed_everywhere(merged, self.final)

    def renamed_conflict(self, c: m.Conflict) -> m.Conflict:
        """A conflict entry about a renamed item, naming it by its new id."""
        new = self.final.get(c.section, {}).get(c.id) if c.id is not None else None
        return dataclasses.replace(c, id=new, loc=None) if new is not None else c

    def final_version(self, ws: m.Workshop, renames: Renames) -> m.Workshop:
        """A version of the workshop (base, ours, theirs) with the merged workshop's ids."""
        mapping: Renames = {}
        for section, final in self.final.items():
            back = renames.get(section, {})
            for old, new in final.items():
                current = next((k for k, v in back.items() if v == old), old)  # its id in this version
                if current != new:
                    mapping.setdefault(section, {})[current] = new
        return _renamed_everywhere(ws, mapping)


# -- what the merge broke, repaired -----------------------------------------------------------------
#: How a conflict entry lists what refers to an item deleted on one side (the other side's text).
REFERRED_BY = "referred to by"
_MAX_ROUNDS = 20


def _errors(ws: m.Workshop) -> list[Diagnostic]:
    """The errors ``needsmap validate`` would report, recorded merge conflicts left out."""
    return [d for d in validator.validate(ws, "<merged>") if d.severity == "error" and d.code != "merge-conflict"]


class _Repair:
    """Makes the merged workshop one that opens, recording each repair as a conflict.

    * A reference to an item (or a function or channel name) that one side deleted while the
      other side referred to it anew: the item comes back, in its place, and a conflict
      entry says who refers to it (the deleting side's value absent).
    * Any other error the merge made between items (work items that now depend on each other
      in a circle, two relationships between the same entities...): the item, or the section,
      takes our version, and a conflict entry holds both versions.
    * Should anything remain: our version of the whole workshop, each section that differs a conflict.

    Errors a side already had are not the merge's doing and are left as they are.
    """

    def __init__(self, merger: _Merger, base: m.Workshop, ours: m.Workshop, theirs: m.Workshop, plan: _RenamePlan):
        self.merger = merger
        self.sides = (base, ours, theirs)
        self.plan = plan

    def run(self, merged: m.Workshop) -> m.Workshop:
        if not _errors(merged):  # the usual case: one check, nothing to repair
            return merged
        base, ours, theirs = self.sides
        self.base = self.plan.final_version(base, {})
        self.ours = self.plan.final_version(ours, self.plan.align_ours)
        self.theirs = self.plan.final_version(theirs, self.plan.align_theirs)
        self.already = _dangling(self.ours) | _dangling(self.theirs)
        for _ in range(_MAX_ROUNDS):  # a restored item may refer to another one deleted
            merged, changed = self.restore_referred(merged)
            if not changed:
                break
        if self.already or _errors(ours) or _errors(theirs):  # a side was not valid: its errors are not the merge's
            return merged
        for _ in range(_MAX_ROUNDS):
            if not _errors(merged):
                return merged
            merged, changed = self.take_ours(merged)
            if not changed:
                break
            merged, _ = self.restore_referred(merged)
        if not _errors(merged):
            return merged
        return self.ours_only()  # pragma: no cover - every error is attributed to an item or a section

    # -- references to items one side deleted
    def restore_referred(self, merged: m.Workshop) -> tuple[m.Workshop, bool]:
        known = validator.known_ids(merged)
        everything = set().union(*(known[s] for s in m.ITEM_SECTIONS))
        missing: dict[tuple[str, str], list[str]] = {}
        for fld, i, obj, rec in _top_records(merged):
            for sec, target, where in _references(obj, rec, _label(fld, i, obj, rec)):
                if target in (everything if sec == "any" else known.get(sec, ())):
                    continue
                missing.setdefault((sec, target), []).append(where)
        changes: dict[str, Any] = {}
        for (sec, target), wheres in missing.items():
            if (sec, target) in self.already:
                continue
            section = self._section_of(sec, target)
            if section is None:
                continue
            current = changes.get(section, getattr(merged, section))
            restored = self._restore(section, target, current)
            if restored is None:
                continue
            changes[section] = restored
            self._record_referred(section, target, wheres)
        return (dataclasses.replace(merged, **changes), True) if changes else (merged, False)

    def _section_of(self, sec: str, target: str) -> str | None:
        if sec == spec.PURPOSES:
            return None  # settings.purposes merges as a setting; a purpose it lost is reported by validation
        sections = m.ITEM_SECTIONS if sec == "any" else (sec,)
        for section in sections:
            if any(target in _ids(ws, section) for ws in (self.ours, self.theirs, self.base)):
                return section
        return None

    def _restore(self, section: str, target: str, current: list | None) -> list | None:
        """``current`` with ``target`` back, after the element that precedes it where it still is."""
        for ws in (self.ours, self.theirs, self.base):
            if target not in _ids(ws, section):
                continue
            if section in m.ITEM_SECTIONS:
                source = ws.section(section)
                element = next(item for item in source if item.id == target)
                order = [item.id for item in source]
                present = [item.id for item in current or []]
            else:  # functions, channels: names
                source = list(getattr(ws, f"{section[:-1]}_ids"))
                element, order = target, source
                default = m.DEFAULT_FUNCTIONS if section == "functions" else m.DEFAULT_CHANNELS
                current = list(current) if current is not None else list(default)
                present = list(current)
            at = order.index(target)
            before = next((k for k in reversed(order[:at]) if k in present), None)
            pos = present.index(before) + 1 if before is not None else 0
            return [*(current or [])[:pos], element, *(current or [])[pos:]]
        return None

    def _record_referred(self, section: str, target: str, wheres: list[str]) -> None:
        in_ours, in_theirs = target in _ids(self.ours, section), target in _ids(self.theirs, section)
        refs = f"{REFERRED_BY}: " + "; ".join(wheres)
        self.merger.conflicts.append(
            m.Conflict(
                section=section,
                id=target,
                kept=OURS if in_ours or not in_theirs else THEIRS,
                base=_text(_element(self.base, section, target)),
                ours=refs if in_ours or not in_theirs else None,
                theirs=refs if in_theirs else None,
            )
        )

    # -- other errors between items
    def take_ours(self, merged: m.Workshop) -> tuple[m.Workshop, bool]:
        located = loader.load_bytes(saver.dump(merged).encode("utf-8"), "<merged>")
        if located.workshop is None:  # pragma: no cover - the merge only writes what loads
            return merged, False
        spans = sorted(_spans(located.workshop))
        owners: list[tuple[str, str | None]] = []
        for d in _errors(located.workshop):
            owner = next((o for line, _, *o in reversed(spans) if line <= d.line), None) if d.line else None
            if owner is not None and tuple(owner) not in owners:
                owners.append(tuple(owner))  # type: ignore[arg-type]
        changes: dict[str, Any] = {}
        for section, key in owners:
            fld = spec.WORKSHOP.by_key[section]
            value = changes.get(fld.attr, getattr(merged, fld.attr))
            new = self._ours_for(fld, key, value)
            if new is not value:
                changes[fld.attr] = new
        return (dataclasses.replace(merged, **changes), True) if changes else (merged, False)

    def _ours_for(self, fld: spec.Field, key: str | None, value: Any) -> Any:
        sides = [getattr(ws, fld.attr) for ws in (self.base, self.ours, self.theirs)]
        shape = fld.shape
        if key is not None and isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            rec = shape.item
            here, b, o, t = (keyed(v or [], rec) for v in (value, *sides))
            if here is not None and b is not None and o is not None and t is not None:
                if here.get(key) == o.get(key):
                    return value
                self.merger.conflicts.append(
                    m.Conflict(fld.key, key, None, OURS, _text(b.get(key)), _text(o.get(key)), _text(t.get(key)))
                )
                if key not in o:
                    return [item for item in value if key_of(item, rec) != key]
                return [o[key] if key_of(item, rec) == key else item for item in value]
        if value == sides[1]:
            return value
        before, ours, theirs = (_text(v) for v in sides)
        self.merger.conflicts.append(m.Conflict(fld.key, None, None, OURS, before, ours, theirs))
        return sides[1]

    def ours_only(self) -> m.Workshop:  # pragma: no cover - see run
        base, ours, theirs = self.sides
        del self.merger.conflicts[:]
        for fld in spec.WORKSHOP.fields:
            b, o, t = (getattr(ws, fld.attr) for ws in (base, ours, theirs))
            if fld.key != "conflicts" and o != t:
                self.merger.conflicts.append(m.Conflict(fld.key, None, None, OURS, _text(b), _text(o), _text(t)))
        return dataclasses.replace(ours, conflicts=list(ours.conflicts))


def _ids(ws: m.Workshop, section: str) -> set[str]:
    if section in m.ITEM_SECTIONS:
        return {item.id for item in ws.section(section)}
    return set(getattr(ws, f"{section[:-1]}_ids"))


def _element(ws: m.Workshop, section: str, ident: str) -> Any:
    if section in m.ITEM_SECTIONS:
        return next((item for item in ws.section(section) if item.id == ident), None)
    return ident if ident in _ids(ws, section) else None


def _dangling(ws: m.Workshop) -> set[tuple[str, str]]:
    """(section or ``any``, id) of the references in ``ws`` that name nothing."""
    known = validator.known_ids(ws)
    everything = set().union(*(known[s] for s in m.ITEM_SECTIONS))
    return {
        (sec, target)
        for sec, target in _referred(ws)
        if target not in (everything if sec == "any" else known.get(sec, ()))
    }


def _spans(ws: m.Workshop) -> Iterator[tuple[int, int, str, str | None]]:
    """Where each section and each of its elements starts: (line, 0 for a section or 1, section, key)."""
    for fld in spec.WORKSHOP.fields:
        pos = m.loc_position(ws.loc, fld.key)
        if pos is not None:
            yield pos[0], 0, fld.key, None
        shape = fld.shape
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            for obj in getattr(ws, fld.attr) or []:
                start, key = m.loc_position(obj.loc), key_of(obj, shape.item)
                if start is not None and key is not None:
                    yield start[0], 1, fld.key, key


def _three_way(b, o, t):
    """The merged value when at most one side changed it: that side's (both sides': ours)."""
    return t if b == o else o


# -- the git merge driver -------------------------------------------------------------------------
@dataclass(slots=True)
class DriverOutcome:
    clean: bool
    messages: list[str]
    conflicts: list[m.Conflict] = field(default_factory=list)


def _load(data: bytes, label: str) -> tuple[m.Workshop | None, list[str], tuple[int, ...]]:
    if not data.strip():
        return None, [], ()
    result = loader.load_bytes(data, label)
    errors = [d.render() for d in result.diagnostics if d.severity == "error"]
    dropped = result.origin.dropped_comment_lines if result.origin else ()
    return (result.workshop if not errors else None), errors, dropped


def merge_files(
    base_path: str | os.PathLike[str],
    ours_path: str | os.PathLike[str],
    theirs_path: str | os.PathLike[str],
    name: str | None = None,
) -> DriverOutcome:
    """Merge three workshop files the way git's merge drivers do: the result replaces ``ours_path``.

    When a version is not a readable workshop (a YAML syntax error, not a
    workshop file at all, too large to read), the files are merged line by line
    with ``git merge-file`` instead, as git would without this driver: their
    changes are never dropped.  The merged workshop is checked as
    ``needsmap validate`` checks it; what the merge could not reconcile is in
    ``conflicts`` (see :func:`merge_workshops`), and errors that came with a
    version being merged make the outcome unclean too, so git stops for a person.
    """
    label = name or str(ours_path)
    try:
        data = [loader.read_bytes(p) for p in (base_path, ours_path, theirs_path)]
    except loader.FileTooLarge as exc:
        return _line_merge(base_path, ours_path, theirs_path, label, [f"{exc}; so it was merged line by line"])
    loaded = [_load(d, f"{label} ({side})") for d, side in zip(data, ("base", OURS, THEIRS))]
    (base, base_errors, _), (ours, ours_errors, ours_dropped), (theirs, theirs_errors, theirs_dropped) = loaded
    if base is None and not base_errors:  # added on both sides: no common ancestor
        base = m.Workshop(needsmap=ours.needsmap if ours else m.FORMAT_VERSION)
    if base is None or ours is None or theirs is None:
        errors = base_errors + ours_errors + theirs_errors
        return _line_merge(
            base_path,
            ours_path,
            theirs_path,
            label,
            [f"{label}: not every version is a readable workshop, so it was merged line by line:", *errors[:5]],
        )
    try:
        result = merge_workshops(base, ours, theirs)
        text = saver.dump(result.workshop)
        check = loader.load_bytes(text.encode("utf-8"), label)
    except Exception as exc:  # pragma: no cover - a bug here must not cost them their changes
        return _line_merge(
            base_path, ours_path, theirs_path, label, [f"{label}: internal error ({exc!r}); merged line by line"]
        )
    if check.workshop is None or any(d.severity == "error" for d in check.diagnostics):  # pragma: no cover
        return _line_merge(
            base_path,
            ours_path,
            theirs_path,
            label,
            [f"{label}: internal error: the merged workshop does not load back; merged line by line"],
        )
    write_text_atomically(ours_path, text)
    messages = []
    if ours_dropped or theirs_dropped:
        messages.append(f"{label}: warning: comments outside the header comment block are not kept by the merge")
    for c in result.conflicts:
        messages.append(f"{label}: conflict: {explain(c)}")
    if result.conflicts:
        messages.append(
            f"{label}: {len(result.conflicts)} conflict(s) recorded under 'conflicts:'; "
            f"needsmap validate {label} explains each one"
        )
    found = [d for d in validator.validate(check.workshop, label) if d.severity == "error"]
    found = [d for d in found if d.code != "merge-conflict"]
    if found:  # not the merge's doing (it repairs its own): a version being merged had them
        messages.extend(d.render() for d in found[:5])
        messages.append(
            f"{label}: {len(found)} error(s) came with the versions merged; fix them before committing "
            f"(needsmap validate {label})"
        )
    return DriverOutcome(result.clean and not found, messages, result.conflicts)


def explain(c: m.Conflict) -> str:
    """One line for people about a conflict this merge recorded (:func:`needsmap.format.conflicts.describe`).

    An item one side deleted while the other referred to it anew says who refers to it.
    """
    prefix = f"{REFERRED_BY}: "
    side_texts = {OURS: c.ours, THEIRS: c.theirs}
    if c.field is None and any(v is None for v in side_texts.values()):
        referrer = next((side for side, v in side_texts.items() if v and v.startswith(prefix)), None)
        if referrer is not None:
            deleter = THEIRS if referrer == OURS else OURS
            refs = side_texts[referrer][len(prefix) :]  # type: ignore[index]
            return (
                f"{subject(c)} was deleted in {deleter}, but {referrer} refers to it ({refs}); the file keeps it. "
                "Delete it and what refers to it if it should go, then delete this entry from 'conflicts'"
            )
    return describe(c)


def _line_merge(base_path, ours_path, theirs_path, label: str, messages: list[str]) -> DriverOutcome:
    exe = shutil.which("git")
    if exe is None:
        return DriverOutcome(False, [*messages, f"{label}: git is not installed; the file keeps our version"])
    done = subprocess.run(
        [exe, "merge-file", "-L", OURS, "-L", "base", "-L", THEIRS, str(ours_path), str(base_path), str(theirs_path)],
        capture_output=True,
        check=False,
    )
    return DriverOutcome(done.returncode == 0, messages)
