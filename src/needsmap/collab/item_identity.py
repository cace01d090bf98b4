"""Which item is which across versions of a workshop, and values as plain data.

The semantic diff (:mod:`needsmap.collab.diff`) and the three-way merge
(:mod:`needsmap.collab.merge`) both walk a workshop guided by :mod:`needsmap.format.spec`,
so a section or field added there is covered without touching them.  They
need to know, for every list of records, what identifies an element across
versions:

* items with an ``id`` field (stakeholders, use cases, and any new section of
  items with ids) by their id;
* records with a short form (holdings, needs) by the field the short form
  stands for (the attribute);
* other records by their required text and reference fields together: feeds
  by ``to``, process steps by ``name``, votes by ``stakeholder`` and
  ``option`` (``sanne/registry``), but only when that key is unique in the
  list; a list where it is not is compared as a whole (:func:`keyed` returns
  ``None``).

An item whose id changed is still the same item: :func:`renamed_items` finds,
between two versions of a section, the ids that disappeared while a new id
appeared with (nearly) the same content.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import difflib
import functools
import json

import yaml

from needsmap.format import spec

_KEY_FIELDS: dict[int, tuple[str, ...]] = {}  # by the record's identity: hashing a record walks all its fields


def key_fields(rec: spec.Record) -> tuple[str, ...]:
    """The fields that identify an element of a list of ``rec`` records (empty: nothing does)."""
    found = _KEY_FIELDS.get(id(rec))
    if found is None:
        if "id" in rec.by_key:
            found = ("id",)
        elif rec.short is not None:
            found = (rec.short,)
        else:
            found = tuple(
                f.key
                for f in rec.fields
                if f.required and isinstance(f.shape, spec.Scalar) and f.shape.kind in ("str", "id", "ref")
            )
        _KEY_FIELDS[id(rec)] = found
    return found


def key_of(item, rec: spec.Record) -> str | None:
    """An element's key as text (``email``; ``sanne/registry`` for several key fields)."""
    return _key(item, key_fields(rec))


def _key(item, attrs: tuple[str, ...]) -> str | None:
    if len(attrs) == 1:
        value = getattr(item, attrs[0])
        return None if value is None else str(value)
    values = [getattr(item, attr) for attr in attrs]
    if not values or any(v is None for v in values):
        return None
    return "/".join(str(v) for v in values)


def keyed(items: list, rec: spec.Record) -> dict[str, object] | None:
    """The elements of a list by their key, or None when keys are missing or repeated."""
    attrs = key_fields(rec)
    if not attrs:
        return None
    out: dict[str, object] = {}
    for item in items:
        key = _key(item, attrs)
        if key is None or key in out:
            return None
        out[key] = item
    return out


@functools.cache
def _records_by_class() -> dict[type, spec.Record]:
    found: dict[type, spec.Record] = {}

    def walk(rec: spec.Record) -> None:
        if rec.cls in found:
            return
        found[rec.cls] = rec
        for fld in rec.fields:
            shape = fld.shape.item if isinstance(fld.shape, spec.ListOf) else fld.shape
            if isinstance(shape, spec.Record):
                walk(shape)

    walk(spec.WORKSHOP)
    return found


def record_of(obj) -> spec.Record | None:
    return _records_by_class().get(type(obj))


def blank_value(rec: spec.Record, attr: str):
    """What a field of ``rec`` holds when the file does not state it (None or an empty list)."""
    for f in dataclasses.fields(rec.cls):
        if f.name == attr:
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            return None if f.default is dataclasses.MISSING else f.default
    return None


def section_default(fld: spec.Field):
    """The documented default of a top-level list whose absence means "the default" (functions, channels)."""
    if fld.default is None or not fld.default.startswith("["):
        return None
    value = yaml.safe_load(fld.default)
    return [str(v) for v in value] if isinstance(value, list) else None


def plain(value):
    """A model value as JSON-ready data: records as dicts in spec order (stated fields only)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        rec = record_of(value)
        names = [f.key for f in rec.fields] if rec else [f.name for f in dataclasses.fields(value) if f.name != "loc"]
        out = {}
        for name in names:
            v = getattr(value, name)
            if v is None or (isinstance(v, list) and not v):
                continue
            out[name] = plain(v)
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def as_yaml(value) -> str:
    """A model value as short YAML text for people (conflict entries, change listings)."""
    data = plain(value)
    if isinstance(data, str):
        return data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float):
        return str(data)
    if isinstance(data, list) and all(not isinstance(v, dict | list) for v in data):
        return "[" + ", ".join(str(v) for v in data) + "]"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100).rstrip("\n")


#: How alike an item's content (everything but its id) must stay, from 0 to 1, for a new id to count as a
#: rename of an id that disappeared: the ratio of :class:`difflib.SequenceMatcher` on :func:`content_text`.
RENAME_SIMILARITY = 0.8

#: Beyond this many (disappeared, new) pairs left after the unchanged ones are paired, in one section, no
#: edited item counts as renamed (comparing every pair would take too long: a section replaced wholesale).
MAX_COMPARED_PAIRS = 400


def content_text(item) -> str:
    """An item's content without its id, as JSON text (what :func:`renamed_items` compares)."""
    data = plain(item)
    if isinstance(data, dict):
        data.pop("id", None)
    return json.dumps(data, ensure_ascii=False, default=str)


def renamed_items(before: list, after: list, rec: spec.Record) -> dict[str, str]:
    """The items of a section that were renamed between two versions: ``{old id: new id}``.

    A rename is an id of ``before`` missing from ``after`` while an id new in ``after`` holds an
    item whose content (everything but the id) is the same, or :data:`RENAME_SIMILARITY` alike:
    the same item under a new id, maybe edited a little too.  Each old id pairs with at most one
    new id: unchanged content first, then the most alike.  Only sections of items with ids are
    considered; a version with a repeated id has no renames.
    """
    if key_fields(rec) != ("id",):
        return {}
    old_ids, new_ids = {item.id for item in before}, {item.id for item in after}
    if old_ids <= new_ids or new_ids <= old_ids:  # nothing gone, or nothing new: no rename
        return {}
    old_items, new_items = keyed(before, rec), keyed(after, rec)
    if old_items is None or new_items is None:
        return {}
    gone = {k: content_text(v) for k, v in old_items.items() if k not in new_items}
    added = {k: content_text(v) for k, v in new_items.items() if k not in old_items}
    pairs: dict[str, str] = {}
    unchanged: dict[str, list[str]] = {}
    for new_id, text in added.items():
        unchanged.setdefault(text, []).append(new_id)
    for old_id, text in gone.items():
        same = unchanged.get(text)
        if same:
            pairs[old_id] = same.pop(0)
    taken = set(pairs.values())
    left_old = [(k, v) for k, v in gone.items() if k not in pairs]
    left_new = [(k, v) for k, v in added.items() if k not in taken]
    if not left_old or not left_new or len(left_old) * len(left_new) > MAX_COMPARED_PAIRS:
        return pairs
    scored: list[tuple[float, int, int]] = []
    for i, (_, old_text) in enumerate(left_old):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(old_text)
        for j, (_, new_text) in enumerate(left_new):
            matcher.set_seq1(new_text)
            if matcher.real_quick_ratio() < RENAME_SIMILARITY or matcher.quick_ratio() < RENAME_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= RENAME_SIMILARITY:
                scored.append((ratio, i, j))
    used: set[int] = set()
    for _, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        old_id = left_old[i][0]
        if old_id in pairs or j in used:
            continue
        pairs[old_id] = left_new[j][0]
        used.add(j)
    return pairs
