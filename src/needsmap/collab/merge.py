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
* the header comment merges like a value.

A real conflict, both sides changing the same field to different values or
one side deleting an item the other changed, keeps one side's value in the
file (ours; for a deleted-and-changed item, the changed one) and is recorded
as an entry of the top-level ``conflicts`` list: where it is, and the base,
ours and theirs values as YAML text.  The file stays a valid, canonical YAML
file (written by :func:`needsmap.format.saver.dump`); ``needsmap validate`` reports
each entry as an error that says how to resolve it.

:func:`merge_files` is what ``needsmap merge-driver %O %A %B`` runs for git.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Literal

from needsmap.collab.diff import record_changes
from needsmap.collab.item_identity import as_yaml, blank_value, keyed, plain, section_default
from needsmap.format import loader, saver, spec
from needsmap.format import model as m
from needsmap.format.conflicts import OURS, THEIRS, describe
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
    """The three-way merge; conflicts are appended to the merged workshop's ``conflicts``."""
    merger = _Merger()
    changes = {}
    for fld in spec.WORKSHOP.fields:
        where = _Where(fld.key)
        b, o, t = getattr(base, fld.attr), getattr(ours, fld.attr), getattr(theirs, fld.attr)
        if isinstance(fld.shape, spec.Record):
            changes[fld.attr] = merger.record(b, o, t, fld.shape, where)
        else:
            changes[fld.attr] = merger.value(b, o, t, fld, spec.WORKSHOP, where)
    header = _three_way(base.header, ours.header, theirs.header)
    merged = dataclasses.replace(ours, **changes, header=header)
    merged.conflicts = [*merged.conflicts, *merger.conflicts]
    return MergeResult(merged, merger.conflicts)


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
    workshop file at all), the files are merged line by line with
    ``git merge-file`` instead, as git would without this driver.
    """
    label = name or str(ours_path)
    data = [loader.read_bytes(p) for p in (base_path, ours_path, theirs_path)]
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
    result = merge_workshops(base, ours, theirs)
    text = saver.dump(result.workshop)
    check = loader.load_bytes(text.encode("utf-8"), label)
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
        messages.append(f"{label}: conflict: {describe(c)}")
    if result.conflicts:
        messages.append(
            f"{label}: {len(result.conflicts)} conflict(s) recorded under 'conflicts:'; "
            f"needsmap validate {label} explains each one"
        )
    return DriverOutcome(result.clean, messages, result.conflicts)


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
