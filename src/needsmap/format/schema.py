"""The JSON Schema of format v1, generated from :mod:`needsmap.format.spec`.

The generated schema is shipped as ``needsmap/schema/workshop.schema.json`` so
that editors with a YAML language server validate and complete workshop
files; a test keeps the shipped file equal to what this module generates.
Cross-references (does this owner exist?) cannot be expressed in JSON Schema;
``needsmap validate`` checks them.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from needsmap.format import model as m
from needsmap.format import spec

SCHEMA_ID = "urn:needsmap:schema:workshop:v1"

#: A JSON Schema object, as ``json`` reads and writes it.
Schema = dict[str, Any]


def _default(
    fld: spec.Field, shape: spec.Scalar | spec.ListOf | spec.Record
) -> list[str] | int | float | bool | str | None:
    raw = fld.default
    if raw is None:
        return None
    if isinstance(shape, spec.ListOf):
        return [x.strip() for x in raw.strip("[]").split(",") if x.strip()]
    if isinstance(shape, spec.Scalar):
        if shape.kind == "int":
            return int(raw)
        if shape.kind == "number":
            return float(raw)
        if shape.kind == "bool":
            return raw == "true"
    return raw


def _scalar(shape: spec.Scalar) -> Schema:
    kind = shape.kind
    if kind == "str":
        return {"type": "string"}
    if kind == "id":
        return {"type": "string", "pattern": spec.ID_PATTERN}
    if kind == "ref":
        target = shape.ref
        out: Schema = {"type": "string", "minLength": 1}
        out["description"] = (
            "the id of any item"
            if target == "any"
            else f"a name from '{target}'"
            if target in ("functions", "channels")
            else "a documented purpose (" + ", ".join(m.DEFAULT_PURPOSES) + ") or one of 'settings.purposes'"
            if target == spec.PURPOSES
            else f"the id of an item in '{target}'"
        )
        return out
    if kind in ("int", "number"):
        out = {"type": "integer" if kind == "int" else "number"}
        if shape.minimum is not None:
            out["minimum"] = shape.minimum if kind == "number" else int(shape.minimum)
        if shape.maximum is not None:
            out["maximum"] = shape.maximum if kind == "number" else int(shape.maximum)
        return out
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date"}
    if kind == "enum":
        return {"type": "string", "enum": list(shape.choices)}
    raise AssertionError(kind)  # pragma: no cover


def _shape(shape: spec.Scalar | spec.ListOf | spec.Record, defs: dict[str, Schema]) -> Schema:
    if isinstance(shape, spec.Record):
        name = shape.name.replace(" ", "_")
        if name not in defs:
            defs[name] = {}  # reserve (no recursion in v1, but keep order stable)
            defs[name] = _record(shape, defs)
        ref = {"$ref": f"#/$defs/{name}"}
        if shape.short:
            return {
                "anyOf": [{"type": "string", "minLength": 1, "description": f"short for {{{shape.short}: ...}}"}, ref]
            }
        return ref
    if isinstance(shape, spec.ListOf):
        return {"type": "array", "items": _shape(shape.item, defs)}
    return _scalar(shape)


def _record(rec: spec.Record, defs: dict[str, Schema]) -> Schema:
    props: dict[str, Schema] = {}
    for fld in rec.fields:
        schema = dict(_shape(fld.shape, defs))
        schema["description"] = fld.doc
        default = _default(fld, fld.shape)
        if default is not None:
            schema["default"] = default
        props[fld.key] = schema
    out: Schema = {"type": "object", "description": rec.doc, "additionalProperties": False, "properties": props}
    required = [f.key for f in rec.fields if f.required]
    if required:
        out["required"] = required
    return out


def workshop_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of a workshop file."""
    defs: dict[str, Schema] = {}
    root = _record(spec.WORKSHOP, defs)
    schema: Schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "needsmap workshop (format v1)",
    }
    schema.update(root)
    schema["$defs"] = defs
    return schema


def schema_text() -> str:
    return json.dumps(workshop_schema(), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_path() -> Path:
    """Where the installed package keeps its copy of the schema."""
    return Path(str(resources.files("needsmap.format") / "workshop.schema.json"))
