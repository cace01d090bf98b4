"""Purpose, lawful basis, consent coverage, identity kinds, special category and derived values (format v1).

Each field loads, validates and saves back byte for byte; each check between items fires where it
should (located, with its code) and stays silent on the near miss; files written before these
fields existed load and save unchanged.
"""

from __future__ import annotations

import textwrap

import jsonschema
import pytest
import yaml

from needsmap.format import model as m
from needsmap.format.diagnostics import Diagnostic
from needsmap.format.loader import parse_text
from needsmap.format.saver import dump
from needsmap.format.schema import workshop_schema
from needsmap.format.validator import validate

#: Every new field, each where it belongs, in the saver's key order: loads clean and saves as it is.
FULL = textwrap.dedent("""\
    needsmap: 1
    workshop:
      name: Insurer
    settings:
      purposes: [underwriting, claims-handling]
    stakeholders: []
    attributes:
      - id: policy_number
        name: Policy number
        identifies: contract
      - id: customer_number
        name: Customer number
        identifier: true
        identifies: person
      - id: health_condition
        name: Health condition
        special_category: true
      - id: diagnosis
        name: Diagnosis
        sensitivity: sensitive
        special_category: true
      - id: email_optin
        name: E-mail opt-in
        entity: consent
        purposes: [marketing, underwriting]
        channels: [email]
      - id: risk_score
        name: Risk score
    systems:
      - id: dwh
        name: Data warehouse
        holds:
          - policy_number
          - health_condition
          - attribute: risk_score
            role: derived
            derived_from: [health_condition, policy_number]
    use_cases:
      - id: renewal-mail
        title: Renewal mail
        channels: [email]
        purpose: marketing
        lawful_basis: consent
      - id: claims
        title: Claims
        purpose: claims-handling
        lawful_basis: contract
    processes: []
    notes: []
""")

#: A file of before these fields: ``identifier: true`` alone.
OLD = textwrap.dedent("""\
    needsmap: 1
    workshop:
      name: Old
    stakeholders: []
    attributes:
      - id: customer_id
        name: Customer number
        identifier: true
        sensitivity: personal
      - id: email
        name: E-mail
        identifier: false
    systems:
      - id: crm
        name: CRM
        holds:
          - customer_id
          - attribute: email
            role: derived
    use_cases: []
    processes: []
    notes: []
""")


def load(text: str) -> tuple[m.Workshop, list[Diagnostic]]:
    """The workshop of ``text`` and every finding of loading and validating it."""
    ws, diags, _ = parse_text(text, "w.yaml")
    assert ws is not None, [d.render() for d in diags]
    return ws, [*diags, *validate(ws, "w.yaml")]


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def finding(diags: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, [d.render() for d in diags]
    return found[0]


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of the first line of ``text`` that contains ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- reading and writing -------------------------------------------------------------------------------
def test_every_new_field_loads_clean_and_saves_byte_for_byte():
    ws, diags = load(FULL)
    assert [d.render() for d in diags] == []
    assert dump(ws) == FULL
    assert ws.settings is not None and ws.settings.purposes == ["underwriting", "claims-handling"]
    policy, customer, health, diagnosis, optin, _ = ws.attributes
    assert (policy.identifies, policy.identifier) == ("contract", None)
    assert (customer.identifies, customer.identifier) == ("person", True)
    assert (health.special_category, health.sensitivity) == (True, None)
    assert (optin.purposes, optin.channels) == (["marketing", "underwriting"], ["email"])
    derived = ws.systems[0].holds[2]
    assert (derived.role, derived.derived_from) == ("derived", ["health_condition", "policy_number"])
    mail, claims = ws.use_cases
    assert (mail.purpose, mail.lawful_basis) == ("marketing", "consent")
    assert (claims.purpose, claims.lawful_basis) == ("claims-handling", "contract")


def test_a_file_from_before_the_new_fields_is_unchanged_and_reads_identifier_as_a_person():
    ws, diags = load(OLD)
    assert [d.render() for d in diags] == []
    assert dump(ws) == OLD
    customer, email = ws.attributes
    assert customer.identifies is None and customer.effective_identifies == "person"
    assert customer.is_identifier and customer.identifies_person
    assert email.effective_identifies is None and not email.is_identifier and not email.identifies_person
    assert ws.settings is None and ws.purpose_ids == m.DEFAULT_PURPOSES


def test_a_holding_with_derived_from_is_not_written_as_a_bare_id():
    holding = m.Holding("score", role="derived", derived_from=["orders"])
    assert not holding.is_short()
    ws = m.Workshop(workshop=m.WorkshopInfo(name="W"), systems=[m.System(id="dwh", name="DWH", holds=[holding])])
    assert "      - attribute: score\n        role: derived\n        derived_from: [orders]\n" in dump(ws)


def test_settings_purposes_keeps_an_empty_list_as_written():
    text = edit(FULL, "  purposes: [underwriting, claims-handling]\n", "  purposes: []\n")
    text = edit(text, "purposes: [marketing, underwriting]", "purposes: [marketing]")
    text = edit(text, "purpose: claims-handling", "purpose: service")
    ws, diags = load(text)
    assert [d.render() for d in diags] == []
    assert ws.settings is not None and ws.settings.purposes == []
    assert dump(ws) == text


# -- the model's reading of the fields -------------------------------------------------------------------
@pytest.mark.parametrize(
    "identifier, identifies, kind",
    [
        (None, None, None),
        (False, None, None),
        (True, None, "person"),
        (None, "household", "household"),
        (True, "device", "device"),
        (None, "person", "person"),
    ],
)
def test_effective_identifies(identifier, identifies, kind):
    attr = m.Attribute("a", identifier=identifier, identifies=identifies)
    assert attr.effective_identifies == kind
    assert attr.is_identifier == (kind is not None)
    assert attr.identifies_person == (kind in m.PERSON_LEVEL)


def test_person_level_is_the_person_kind_only():
    assert m.PERSON_LEVEL == ("person",)
    assert set(m.PERSON_LEVEL) <= set(m.IDENTIFIES_KINDS)


def test_special_category_data_is_always_sensitive():
    assert m.Attribute("a", special_category=True).effective_sensitivity == "sensitive"
    assert m.Attribute("a", special_category=True, sensitivity="personal").effective_sensitivity == "sensitive"
    assert m.Attribute("a", special_category=False, sensitivity="personal").effective_sensitivity == "personal"
    assert m.Attribute("a").effective_sensitivity == "none" and not m.Attribute("a").is_special_category


def test_purposes_extend_the_documented_list_once_each_in_order():
    assert m.Settings().effective_purposes == m.DEFAULT_PURPOSES
    extended = m.Settings(purposes=["claims", "marketing", "claims"]).effective_purposes
    assert extended == (*m.DEFAULT_PURPOSES, "claims")
    assert "legal-obligation" in m.DEFAULT_PURPOSES and len(m.DEFAULT_PURPOSES) == 8


def test_a_derived_holding_is_the_computing_source():
    assert m.Holding("score", role="derived").is_computing_source
    assert not m.Holding("score", role="copy").is_computing_source
    assert not m.Holding("score").is_computing_source


# -- structure: enums the loader checks ----------------------------------------------------------------
@pytest.mark.parametrize(
    "old, new, field",
    [
        ("lawful_basis: consent", "lawful_basis: legitimate-interests", "lawful_basis"),
        ("identifies: contract", "identifies: policy", "identifies"),
        ("special_category: true\n  - id: diagnosis", "special_category: maybe\n  - id: diagnosis", ""),
    ],
)
def test_a_value_outside_the_enum_is_a_located_error(old, new, field):
    text = edit(FULL, old, new)
    _, diags, _ = parse_text(text, "w.yaml")
    assert len(diags) == 1 and diags[0].severity == "error", [d.render() for d in diags]
    assert diags[0].line == line_of(text, new.split("\n")[0])
    if field == "lawful_basis":
        assert "did you mean 'legitimate-interest'?" in diags[0].message
        assert (
            "consent, contract, legal-obligation, vital-interest, public-task, legitimate-interest" in diags[0].message
        )


# -- purposes ---------------------------------------------------------------------------------------------
def test_an_unknown_purpose_of_a_use_case_is_a_located_error_with_did_you_mean():
    text = edit(FULL, "purpose: marketing", "purpose: marketting")
    _, diags = load(text)
    d = finding(diags, "unknown-reference")
    assert (d.severity, d.line, d.column) == ("error", line_of(text, "purpose: marketting"), 14)
    assert (
        "'purpose' of use case 'renewal-mail' is 'marketting', which is neither a documented purpose nor in "
        "'settings.purposes' (add it there to use your own)"
    ) in d.message
    assert (
        "(known: marketing, personalisation, service, contract, billing, fraud, analytics, legal-obligation, "
        "underwriting, claims-handling)"
    ) in d.message
    assert "did you mean 'marketing'?" in d.message


def test_a_purpose_of_settings_is_known_only_while_settings_lists_it():
    _, diags = load(FULL)
    assert "unknown-reference" not in codes(diags)  # near miss: claims-handling is in settings.purposes
    text = edit(FULL, "purposes: [underwriting, claims-handling]", "purposes: [underwriting]")
    _, diags = load(text)
    d = finding(diags, "unknown-reference")
    assert d.line == line_of(text, "purpose: claims-handling")
    assert "'claims-handling'" in d.message


def test_consent_purposes_and_channels_are_checked_like_references():
    text = edit(FULL, "purposes: [marketing, underwriting]", "purposes: [marketing, analytic]")
    text = edit(text, "channels: [email]\n  - id: risk", "channels: [emial]\n  - id: risk")
    _, diags = load(text)
    unknown = [d for d in diags if d.code == "unknown-reference"]
    assert len(unknown) == 2, [d.render() for d in diags]
    purpose, channel = unknown
    assert purpose.line == line_of(text, "analytic]") and "did you mean 'analytics'?" in purpose.message
    assert "'purposes' of attribute 'email_optin'" in purpose.message
    assert channel.line == line_of(text, "[emial]") and "did you mean 'email'?" in channel.message


def test_settings_purposes_are_names_once_each():
    text = edit(
        FULL, "purposes: [underwriting, claims-handling]", "purposes: [underwriting, claims handling, underwriting]"
    )
    text = edit(text, "purpose: claims-handling", "purpose: service")
    _, diags = load(text)
    invalid = finding(diags, "invalid-id")
    assert "'claims handling' in 'settings.purposes' is not a valid name" in invalid.message
    assert invalid.line == line_of(text, "claims handling")
    duplicate = finding(diags, "duplicate-id")
    assert "'underwriting' appears twice in 'settings.purposes'" in duplicate.message


# -- identifiers ------------------------------------------------------------------------------------------
def test_identifier_false_with_identifies_is_a_located_contradiction():
    text = edit(FULL, "    identifies: contract\n", "    identifier: false\n    identifies: contract\n")
    _, diags = load(text)
    d = finding(diags, "identifier-contradiction")
    assert (d.severity, d.line) == ("error", line_of(text, "identifies: contract"))
    assert "attribute 'policy_number' says 'identifier: false' but 'identifies: contract'" in d.message


def test_identifier_true_with_identifies_is_no_contradiction():
    text = edit(FULL, "    identifies: contract\n", "    identifier: true\n    identifies: contract\n")
    _, diags = load(text)
    assert "identifier-contradiction" not in codes(diags)
    assert dump(load(text)[0]) == text


# -- special category ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("stated", ["none", "personal"])
def test_special_category_stated_less_than_sensitive_is_a_located_warning(stated):
    text = edit(
        FULL,
        "    sensitivity: sensitive\n    special_category: true\n",
        f"    sensitivity: {stated}\n    special_category: true\n",
    )
    _, diags = load(text)
    d = finding(diags, "special-category-not-sensitive")
    assert (d.severity, d.line) == ("warning", line_of(text, f"sensitivity: {stated}"))
    assert "attribute 'diagnosis' is special-category data (GDPR Art. 9)" in d.message


def test_special_category_sensitive_or_unstated_is_fine():
    _, diags = load(FULL)  # diagnosis says sensitive, health_condition says nothing
    assert "special-category-not-sensitive" not in codes(diags)
    text = edit(
        FULL,
        "    sensitivity: sensitive\n    special_category: true\n",
        "    sensitivity: personal\n    special_category: false\n",
    )
    assert "special-category-not-sensitive" not in codes(load(text)[1])


# -- consent coverage ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["purposes", "channels"])
def test_coverage_on_an_attribute_that_is_not_a_consent_is_a_located_warning(key):
    text = edit(FULL, "    entity: consent\n", "    entity: preference\n")
    _, diags = load(text)
    d = finding(diags, f"{key}-without-consent")
    assert d.severity == "warning"
    assert d.line == line_of(text, f"{key}: [marketing" if key == "purposes" else "channels: [email]")
    assert f"attribute 'email_optin' lists the '{key}' a consent covers, but its entity is 'preference'" in d.message


def test_coverage_on_an_attribute_without_entity_is_warned_too():
    text = edit(FULL, "    entity: consent\n", "")
    _, diags = load(text)
    assert {"purposes-without-consent", "channels-without-consent"} <= set(codes(diags))
    assert "its entity is 'customer'" in finding(diags, "purposes-without-consent").message


# -- derived values --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["master", "copy", None])
def test_derived_from_without_role_derived_is_a_located_warning(role):
    new = "" if role is None else f"        role: {role}\n"
    text = edit(FULL, "        role: derived\n", new)
    _, diags = load(text)
    d = finding(diags, "derived-from-without-derived")
    assert (d.severity, d.line) == ("warning", line_of(text, "derived_from:"))
    assert f"holding #3 of system 'dwh' lists 'derived_from' but its role is '{role or 'copy'}'" in d.message


def test_derived_from_names_attributes():
    text = edit(FULL, "derived_from: [health_condition, policy_number]", "derived_from: [health_conditon]")
    _, diags = load(text)
    d = finding(diags, "unknown-reference")
    assert "'derived_from' of holding #3 of system 'dwh' refers to attribute 'health_conditon'" in d.message
    assert "did you mean 'health_condition'?" in d.message
    assert "derived-from-without-derived" not in codes(diags)


# -- the JSON Schema ---------------------------------------------------------------------------------------------
def test_the_schema_accepts_the_new_fields_and_rejects_a_wrong_basis():
    checker = jsonschema.Draft202012Validator(workshop_schema())
    data = yaml.safe_load(FULL)
    checker.validate(data)
    data["use_cases"][0]["lawful_basis"] = "because"
    assert list(checker.iter_errors(data))
    attrs = workshop_schema()["$defs"]["attribute"]["properties"]
    assert attrs["identifies"]["enum"] == list(m.IDENTIFIES_KINDS)
    assert "settings.purposes" in attrs["purposes"]["items"]["description"]
