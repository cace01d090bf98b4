"""The shipped JSON Schema is current, valid, and agrees with the loader."""

from __future__ import annotations

import datetime as dt

import jsonschema
import pytest
import yaml

from needsmap.format.schema import schema_text, shipped_schema_path, workshop_schema
from tests.conftest import DATA, DEMO


def _as_json_data(value):
    if isinstance(value, dict):
        return {k: _as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_shipped_schema_is_up_to_date():
    assert shipped_schema_path().read_text(encoding="utf-8") == schema_text(), (
        "run: needsmap schema -o src/needsmap/format/workshop.schema.json"
    )


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(workshop_schema())


def test_demo_validates_against_the_schema():
    data = _as_json_data(yaml.load(DEMO.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    jsonschema.Draft202012Validator(workshop_schema()).validate(data)


@pytest.mark.parametrize(
    "name",
    ["unknown-key-top", "unknown-key-nested", "enum-value", "out-of-range", "wrong-type-list", "missing-required"],
)
def test_schema_rejects_what_the_loader_rejects(name: str):
    data = _as_json_data(yaml.load((DATA / "bad" / f"{name}.yaml").read_text(), Loader=yaml.CSafeLoader))
    errors = list(jsonschema.Draft202012Validator(workshop_schema()).iter_errors(data))
    assert errors, f"{name}.yaml passes the JSON Schema but not needsmap validate"
