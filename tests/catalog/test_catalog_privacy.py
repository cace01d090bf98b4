"""What the catalog says about identity, consent coverage and special categories, and how it reaches a workshop."""

from __future__ import annotations

import pytest

from needsmap.catalog import entries as cat
from needsmap.format import model as m
from needsmap.format.loader import load_bytes
from needsmap.format.saver import dump
from needsmap.format.starter import new_workshop
from needsmap.format.validator import validate

NEW_CODES = {
    "identifier-contradiction",
    "special-category-not-sensitive",
    "purposes-without-consent",
    "channels-without-consent",
    "derived-from-without-derived",
}


@pytest.fixture(scope="module")
def catalog() -> cat.Catalog:
    return cat.load_catalog()


@pytest.mark.parametrize(
    "entry, kind",
    [
        ("customer_id", "person"),
        ("crm_contact_id", "person"),
        ("golden_record_id", "person"),
        ("household_id", "household"),
        ("chamber_of_commerce_number", "organization"),
        ("vat_number", "organization"),
        ("contract_number", "contract"),
        ("cookie_id", "device"),
        ("device_id", "device"),
        ("username", "account"),
        ("social_login_id", "account"),
    ],
)
def test_identity_entries_say_what_they_identify(catalog, entry, kind):
    found = catalog.get(entry)
    assert found.identifies == kind and found.is_identifier
    attr = found.to_attribute()
    assert attr.effective_identifies == kind
    assert attr.identifies_person == (kind == "person")


def test_every_identifier_says_what_it_identifies(catalog):
    bare = [e.id for e in catalog if e.identifier and e.identifies is None]
    assert bare == []
    assert {e.identifies for e in catalog if e.identifies} == set(m.IDENTIFIES_KINDS)


def test_an_entry_marked_identifier_keeps_it_beside_identifies(catalog):
    """Readers that know only ``identifier`` keep finding the identifiers they found before."""
    customer = catalog.get("customer_id").to_attribute()
    assert (customer.identifier, customer.identifies) == (True, "person")
    household = catalog.get("household_id").to_attribute()
    assert (household.identifier, household.identifies) == (None, "household")


@pytest.mark.parametrize(
    "entry, purposes, channels",
    [
        ("email_marketing_consent", ("marketing",), ("email",)),
        ("email_opt_out", ("marketing",), ("email",)),
        ("sms_marketing_consent", ("marketing",), ("sms",)),
        ("phone_marketing_consent", ("marketing",), ("call_center",)),
        ("post_marketing_consent", ("marketing",), ("post",)),
        ("push_consent", ("marketing",), ("app",)),
        ("profiling_consent", ("personalisation", "analytics"), ()),
    ],
)
def test_consent_entries_cover_purposes_and_channels(catalog, entry, purposes, channels):
    found = catalog.get(entry)
    assert (found.purposes, found.channels) == (purposes, channels)
    attr = found.to_attribute()
    assert (attr.purposes, attr.channels) == (list(purposes), list(channels))
    assert attr.is_consent


def test_only_consents_cover_anything_and_only_with_default_names(catalog):
    for e in catalog:
        if e.purposes or e.channels:
            assert e.entity == "consent", e.id
        assert set(e.purposes) <= set(m.DEFAULT_PURPOSES), e.id
        assert set(e.channels) <= set(m.DEFAULT_CHANNELS), e.id


@pytest.mark.parametrize("entry", ["health_condition", "accessibility_needs", "religion", "ethnicity"])
def test_special_category_entries(catalog, entry):
    found = catalog.get(entry)
    assert found.special_category and found.sensitivity == "sensitive"
    attr = found.to_attribute()
    assert attr.special_category is True and attr.is_special_category
    assert attr.effective_sensitivity == "sensitive"


def test_ordinary_personal_data_is_no_special_category(catalog):
    for entry in ("email", "date_of_birth", "national_id_number", "password_hash"):
        assert not catalog.get(entry).special_category, entry
        assert catalog.get(entry).to_attribute().special_category is None
    assert all(e.sensitivity == "sensitive" for e in catalog if e.special_category)


def test_the_whole_catalog_as_a_workshop_has_none_of_the_new_findings(catalog):
    ws = new_workshop("Catalog", attributes=cat.starter_attributes("all"))
    found = [d.render() for d in validate(ws) if d.code in NEW_CODES or d.severity == "error"]
    assert found == []
    text = dump(ws)
    again = load_bytes(text.encode("utf-8"), "c.yaml")
    assert again.workshop is not None and again.workshop.attributes == ws.attributes
    assert dump(again.workshop) == text
    assert "    identifies: household\n" in text and "    special_category: true\n" in text
    assert "    purposes: [marketing]\n    channels: [email]\n" in text


def test_the_new_keys_read_back_from_catalog_yaml(catalog):
    picked = [catalog.get(i) for i in ("email_marketing_consent", "health_condition", "household_id", "customer_id")]
    again = cat.parse_catalog(cat.entries_as_yaml(picked), "copy.yaml")
    assert list(again.entries) == picked


def test_bad_new_keys_are_reported_located():
    head = "entries:\n"
    entry = (
        "  - id: {id}\n"
        "    name: X\n"
        "    entity: {entity}\n"
        "    type: string\n"
        "    sensitivity: {sensitivity}\n"
        "    definition: Something.\n"
        "{extra}"
    )
    text = head + "".join(
        entry.format(**fields)
        for fields in (
            {"id": "a", "entity": "identifier", "sensitivity": "none", "extra": "    identifies: planet\n"},
            {
                "id": "b",
                "entity": "identifier",
                "sensitivity": "none",
                "extra": "    identifier: false\n    identifies: person\n",
            },
            {"id": "c", "entity": "customer", "sensitivity": "personal", "extra": "    special_category: true\n"},
            {"id": "d", "entity": "customer", "sensitivity": "none", "extra": "    purposes: [marketing]\n"},
            {"id": "e", "entity": "consent", "sensitivity": "none", "extra": "    channels: [pigeon]\n"},
            {"id": "f", "entity": "consent", "sensitivity": "none", "extra": "    purposes: [marketing]\n"},
        )
    )
    with pytest.raises(cat.CatalogError) as err:
        cat.parse_catalog(text, "mine.yaml")
    assert str(err.value).splitlines() == [
        "mine.yaml:2: entry 'a': identifies 'planet' is not one of " + ", ".join(m.IDENTIFIES_KINDS),
        "mine.yaml:9: entry 'b': 'identifier: false' contradicts 'identifies'",
        "mine.yaml:17: entry 'c': special-category data (special_category: true) must have sensitivity sensitive",
        "mine.yaml:24: entry 'd': 'purposes' and 'channels' are only for consents (entity consent)",
        "mine.yaml:31: entry 'e': channel 'pigeon' is not one of the default channels ("
        + ", ".join(m.DEFAULT_CHANNELS)
        + ")",
    ]
