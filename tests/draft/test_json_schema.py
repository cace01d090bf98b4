"""The model draft's JSON Schema, checked by the ``jsonschema`` library: a valid schema, a plain web-shop customer
passes, invalid records fail."""

from __future__ import annotations

import json

import jsonschema

from needsmap.draft.engine import DraftModel
from needsmap.draft.render import json_schema, render
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests.conftest import ROOT
from tests.draft.conftest import draft_of, hostile_workshop

_SAMPLES = {
    "string": "Jansen",
    "text": "Some text",
    "integer": 3,
    "decimal": 0.25,
    "money": 129.95,
    "boolean": True,
    "date": "2026-11-02",
    "datetime": "2026-11-02T09:30:00+01:00",
    "email": "maria@example.org",
    "phone": "+31612345678",
    "url": "https://example.org/",
    "country": "NL",
    "currency": "EUR",
    "id": "C-1001",
    "json": ["sofa", "rug"],
}


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def sample_record(model: DraftModel, schema: dict) -> dict:
    """A record of the schema's root with every property filled by its type, one of each child."""
    tables = {t.name: t for t in model.tables}

    def build(def_name: str) -> dict:
        definition = schema["$defs"][def_name]
        record: dict = {}
        for prop, sub in definition["properties"].items():
            if "$ref" in sub or sub.get("type") == "array" and "items" in sub:
                target = (sub.get("items") or sub)["$ref"].rsplit("/", 1)[1]
                record[prop] = [build(target)] if sub.get("type") == "array" else build(target)
        for t in model.tables:
            if t.name != def_name and not (t.kind == "extension" and t.entity == tables[def_name].entity):
                continue
            for c in t.columns:
                if c.type == "key" or c.name not in definition["properties"]:
                    continue
                if c.values:
                    record[c.name] = c.values[0]
                elif c.minimum is not None:
                    record[c.name] = c.minimum
                else:
                    record[c.name] = _SAMPLES.get(c.type, "x")
            row = next(iter(t.row_attributes), None)
            if row is not None and row.discriminator in record:  # a typed row holds its first kind
                record[row.discriminator] = row.name
                if "value" in record:
                    record["value"] = "maria@example.org" if row.type == "email" else "x"
                for k in t.checks:  # what this kind of row allows (a consent's purposes and channels)
                    if k.kind == "values_when" and k.columns[0] == row.discriminator and k.when == row.name:
                        record[k.columns[1]] = k.values[0]
        return record

    return build(schema["$ref"].rsplit("/", 1)[1])


def test_a_plain_web_shop_customer_validates(demo_model):
    """A consumer with a name and an e-mail address, nothing else: what a web shop sends on sign-up."""
    validator = _validator(json.loads(render(demo_model, "jsonschema")))
    minimal = {
        "first_name": "Maria",
        "contact_point": [{"contact_type": "email", "value": "maria@example.org"}],
    }
    assert list(validator.iter_errors(minimal)) == []
    assert validator.is_valid({})  # nothing about a customer is required by the model
    assert validator.is_valid({"last_name": "Jansen", "date_of_birth": None})  # 38% coverage: optional


def test_invalid_records_are_refused(demo_model):
    validator = _validator(json.loads(render(demo_model, "jsonschema")))
    contact = {"contact_type": "email", "value": "maria@example.org"}
    bad = {
        "not an e-mail address": {"contact_point": [{**contact, "value": "not an address"}]},
        "a contact point without its value": {"contact_point": [{"contact_type": "email"}]},
        "an unknown contact type": {"contact_point": [{**contact, "contact_type": "fax"}]},
        "an enum value not in its list": {"loyalty_tier": "platinum"},
        "NPS 42": {"interaction": [{"nps_score": 42}]},
        "a churn score above 1": {"churn_score": 1.5},
        "a consent without purpose": {"consent": [{"consent_type": "email_optin", "status": "granted"}]},
        "a preference value not in its list": {
            "preference": [{"preference_type": "preferred_language", "value": "xx"}]
        },
        "an unknown property": {"unknown_property": 1},
        "a list that is not a list": {"browsed_categories": "sofas, rugs"},
    }
    for what, record in bad.items():
        assert not validator.is_valid(record), what


def test_a_full_demo_customer_validates(demo_model):
    schema = json_schema(demo_model)
    validator = _validator(schema)
    assert schema["$ref"] == "#/$defs/customer"
    record = sample_record(demo_model, schema)
    assert {"contact_point", "address", "consent", "customer_order", "organization", "household"} <= set(record)
    validator.validate(record)
    # optional columns accept null
    optional = next(c.name for c in demo_model.table("customer").columns if c.attribute and c.nullable)
    validator.validate({**record, optional: None})
    # required: what the model guarantees on a typed row
    consent = record["consent"][0]
    broken = {**record, "consent": [{k: v for k, v in consent.items() if k != "purpose"}]}
    assert any(e.validator == "required" for e in validator.iter_errors(broken))


def test_json_schema_of_hostile_health_and_enterprise_models_is_valid():
    for model in (
        draft_of(hostile_workshop()),
        draft_of(open_workshop(ROOT / "workshops" / "health-insurer.yaml").workshop),
        draft_of(synthetic.generate("enterprise", 11)),
    ):
        schema = json_schema(model)
        _validator(schema).validate(sample_record(model, schema))


def test_special_category_data_is_a_separate_object_in_the_record():
    model = draft_of(open_workshop(ROOT / "workshops" / "health-insurer.yaml").workshop)
    customer = json_schema(model)["$defs"]["customer"]["properties"]
    assert "health_risk_score" not in customer
    assert customer["customer_special_category"] == {"$ref": "#/$defs/customer_special_category"}
