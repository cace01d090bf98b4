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
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools

import yaml

from needsmap.format import spec


@functools.cache
def key_fields(rec: spec.Record) -> tuple[str, ...]:
    """The fields that identify an element of a list of ``rec`` records (empty: nothing does)."""
    if "id" in rec.by_key:
        return ("id",)
    if rec.short is not None:
        return (rec.short,)
    return tuple(
        f.key
        for f in rec.fields
        if f.required and isinstance(f.shape, spec.Scalar) and f.shape.kind in ("str", "id", "ref")
    )


def key_of(item, rec: spec.Record) -> str | None:
    """An element's key as text (``email``; ``sanne/registry`` for several key fields)."""
    values = [getattr(item, attr) for attr in key_fields(rec)]
    if not values or any(v is None for v in values):
        return None
    return "/".join(str(v) for v in values)


def keyed(items: list, rec: spec.Record) -> dict[str, object] | None:
    """The elements of a list by their key, or None when keys are missing or repeated."""
    if not key_fields(rec):
        return None
    out: dict[str, object] = {}
    for item in items:
        key = key_of(item, rec)
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
