"""The privacy rules (NM120 refined, NM121, NM122, NM123) and the consent part of readiness.

Each rule has positive cases and near misses on small workshops written in code (``build``), and the
hand-worked expectations of tests/data/expectations/*.yaml for these four rules are checked entry by
entry: the rules run on the real index of each workshop, reporting into a collecting sink.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from needsmap.analysis.engine import Index
from needsmap.analysis.privacy import ConsentPart, privacy_rules
from needsmap.format.model import Workshop
from needsmap.format.opening import open_workshop
from tests.analysis.conftest import build
from tests.conftest import DEMO, ROOT

CODES = ("personal-without-consent", "consent-mismatch", "special-category-without-basis", "held-beyond-need")
EXPECTATIONS = sorted((ROOT / "tests" / "data" / "expectations").glob("*.yaml"))


@dataclass
class Found:
    rule: str
    severity: str
    subjects: tuple[tuple[str, str], ...]
    message: str
    action: str
    use_cases: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)
    where: tuple[int, int] | None = None


def run(ws: Workshop) -> tuple[list[Found], dict[str, ConsentPart]]:
    found: list[Found] = []

    def sink(rule, severity, subjects, message, action, use_cases=(), details=None, where=None) -> None:
        found.append(Found(rule, severity, tuple(subjects), message, action, tuple(use_cases), details or {}, where))

    parts = privacy_rules(Index(ws), sink)
    return found, parts


def of(found: list[Found], rule: str) -> list[Found]:
    return [f for f in found if f.rule == rule]


def one(found: list[Found], rule: str) -> Found:
    hits = of(found, rule)
    assert len(hits) == 1, [(f.rule, f.subjects, f.message) for f in found]
    return hits[0]


# -- a small workshop: a CRM, a mailer, consents that say what they cover ------------------

BASE = """
settings: {marketing_channels: [email, sms, call]}
channels: [web, email, sms, call, store]
attributes:
  - {id: cid, identifier: true}
  - {id: email, sensitivity: personal}
  - {id: mobile, sensitivity: personal}
  - {id: segment}
  - {id: income, sensitivity: sensitive}
  - {id: diagnosis, special_category: true}
  - {id: email_optin, entity: consent, sensitivity: personal, purposes: [marketing], channels: [email]}
  - {id: care_consent, entity: consent, sensitivity: personal, purposes: [service], channels: [call, sms]}
  - {id: legacy_optin, entity: consent, sensitivity: personal}
systems:
  - id: crm
    holds:
      - {attribute: cid, role: master}
      - {attribute: email, role: master}
      - {attribute: mobile, role: master}
      - {attribute: segment, role: master}
      - {attribute: income, role: master}
      - {attribute: diagnosis, role: master}
      - {attribute: email_optin, role: master}
      - {attribute: care_consent, role: master}
      - {attribute: legacy_optin, role: master}
use_cases:
  - id: uc
    channels: [email]
    purpose: marketing
    lawful_basis: consent
    executes_in: [crm]
    needs: [email, segment, email_optin]
"""


def ws_with(*edits: tuple[str, str], base: str = BASE) -> Workshop:
    text = base
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return build(text)


SMS = ("channels: [email]\n    purpose", "channels: [sms]\n    purpose")
NO_BASIS = ("    lawful_basis: consent\n", "")


def basis(value: str) -> tuple[str, str]:
    return ("lawful_basis: consent", f"lawful_basis: {value}")


def needs(value: str) -> tuple[str, str]:
    return ("needs: [email, segment, email_optin]", f"needs: [{value}]")


# -- NM121 consent-mismatch --------------------------------------------------------------------


def test_consent_that_covers_the_purpose_and_channel_is_fine():
    found, parts = run(ws_with())
    assert found == []
    assert parts == {"uc": ConsentPart("ok", ())}


def test_sms_campaign_on_the_email_consent_is_a_mismatch():
    found, parts = run(ws_with(SMS, needs("mobile, segment, email_optin")))
    gap = one(found, "consent-mismatch")
    assert gap.severity == "error"
    assert gap.subjects == (("use_case", "uc"), ("attribute", "email_optin"))
    assert gap.use_cases == ("uc",)
    assert gap.details["channels_not_covered"] == ["sms"]
    assert gap.details["purposes_not_covered"] == []
    assert "channel sms" in gap.message
    assert gap.where is not None
    assert parts["uc"] == ConsentPart("blocked", ("consent-mismatch",))
    assert of(found, "personal-without-consent") == []  # a consent is needed: the question is the mismatch


def test_consent_for_another_purpose_is_a_mismatch():
    found, _ = run(ws_with(("purpose: marketing", "purpose: service")))
    gap = one(found, "consent-mismatch")
    assert gap.details["purposes_not_covered"] == ["service"]
    assert gap.details["channels_not_covered"] == []


def test_consent_must_cover_every_outbound_channel():
    found, _ = run(ws_with(("channels: [email]\n    purpose", "channels: [email, sms, web]\n    purpose")))
    # web is not outbound (not in marketing_channels): only sms is missing
    assert one(found, "consent-mismatch").details["channels_not_covered"] == ["sms"]


def test_consent_that_names_no_channel_covers_none():
    text = BASE.replace("purposes: [marketing], channels: [email]}", "purposes: [marketing]}")
    found, _ = run(ws_with(base=text))
    assert one(found, "consent-mismatch").details["channels_not_covered"] == ["email"]


def test_one_covering_consent_among_several_is_enough():
    found, parts = run(
        ws_with(SMS, needs("mobile, email_optin, care_consent"), ("purpose: marketing", "purpose: service"))
    )
    assert of(found, "consent-mismatch") == []
    assert parts["uc"].status == "ok"


def test_each_dimension_covered_by_a_different_consent_is_still_a_mismatch():
    # email_optin: marketing on email; care_consent: service on sms and call. A marketing SMS has neither.
    found, _ = run(ws_with(SMS, needs("mobile, email_optin, care_consent")))
    gap = one(found, "consent-mismatch")
    assert gap.subjects == (("use_case", "uc"), ("attribute", "email_optin"), ("attribute", "care_consent"))
    assert gap.details["channels_not_covered"] == []  # care_consent covers sms
    assert gap.details["purposes_not_covered"] == []  # email_optin covers marketing
    assert "together" in gap.message


def test_no_mismatch_when_the_use_case_does_not_rely_on_consent():
    for value in ("contract", "legitimate-interest", "legal-obligation"):
        found, parts = run(ws_with(SMS, basis(value)))
        assert of(found, "consent-mismatch") == [], value
        assert parts["uc"].status == "ok", value


def test_needing_a_consent_without_a_basis_means_relying_on_it():
    found, _ = run(ws_with(SMS, NO_BASIS))
    assert one(found, "consent-mismatch").details["channels_not_covered"] == ["sms"]


def test_consents_that_say_nothing_are_not_judged():
    # written before purposes and channels existed: nothing to check against, no finding
    found, parts = run(ws_with(SMS, NO_BASIS, needs("mobile, segment, legacy_optin")))
    assert found == []
    assert parts["uc"].status == "ok"


def test_use_case_without_purpose_is_judged_on_channels_only():
    text = BASE.replace("    purpose: marketing\n", "")
    found, _ = run(ws_with(base=text))
    assert found == []
    found, _ = run(ws_with(("channels: [email]\n    lawful", "channels: [sms]\n    lawful"), base=text))
    gap = one(found, "consent-mismatch")
    assert gap.details["purposes_not_covered"] == [] and gap.details["channels_not_covered"] == ["sms"]


def test_rejected_use_cases_are_left_out():
    found, parts = run(ws_with(SMS, ("    executes_in: [crm]", "    status: rejected\n    executes_in: [crm]")))
    assert found == []
    assert parts == {}


# -- NM122 special-category-without-basis ---------------------------------------------------------


def test_special_category_on_legitimate_interest_has_no_art9_condition():
    found, parts = run(ws_with(basis("legitimate-interest"), needs("email, diagnosis")))
    gap = one(found, "special-category-without-basis")
    assert gap.severity == "error"
    assert gap.subjects == (("use_case", "uc"), ("attribute", "diagnosis"))
    assert gap.details["special"] == ["diagnosis"]
    assert gap.details["lawful_basis"] == "legitimate-interest"
    assert parts["uc"] == ConsentPart("blocked", ("special-category-without-basis",))


def test_special_category_without_any_basis():
    found, _ = run(ws_with(NO_BASIS, ("channels: [email]\n", "channels: [web]\n"), needs("segment, diagnosis")))
    assert one(found, "special-category-without-basis").details["lawful_basis"] is None
    assert "records no lawful basis" in one(found, "special-category-without-basis").message


def test_special_category_on_a_consent_that_does_not_cover():
    found, parts = run(ws_with(SMS, needs("mobile, diagnosis, email_optin")))
    assert one(found, "consent-mismatch")
    assert one(found, "special-category-without-basis").details["covering_consent"] == "none"
    assert parts["uc"] == ConsentPart("blocked", ("consent-mismatch", "special-category-without-basis"))


@pytest.mark.parametrize("value", ["contract", "legal-obligation", "vital-interest", "public-task"])
def test_art9_bases_allow_special_category(value: str):
    found, parts = run(ws_with(basis(value), needs("email, diagnosis")))
    assert of(found, "special-category-without-basis") == []
    assert parts["uc"].status == "ok"


def test_explicit_covering_consent_allows_special_category():
    found, parts = run(ws_with(needs("email, diagnosis, email_optin")))
    assert found == []
    assert parts["uc"].status == "ok"


def test_sensitive_but_not_special_needs_no_art9_condition():
    found, _ = run(ws_with(basis("legitimate-interest"), needs("email, income")))
    assert of(found, "special-category-without-basis") == []


# -- NM120 personal-without-consent (refined) -------------------------------------------------


def test_personal_data_on_an_outbound_channel_without_consent_or_basis():
    found, parts = run(ws_with(NO_BASIS, needs("email, segment")))
    gap = one(found, "personal-without-consent")
    assert gap.severity == "warning"
    assert gap.subjects == (("use_case", "uc"),)
    assert gap.details["personal"] == ["email"] and gap.details["sensitive"] == []
    assert gap.details["channels"] == ["email"]
    assert parts["uc"] == ConsentPart("at-risk", ("personal-without-consent",))


def test_sensitive_data_without_consent_is_an_error():
    found, _ = run(ws_with(NO_BASIS, needs("email, income")))
    gap = one(found, "personal-without-consent")
    assert gap.severity == "error" and gap.details["sensitive"] == ["income"]


def test_outbound_calls_count_when_listed_as_outbound():
    found, _ = run(ws_with(NO_BASIS, ("channels: [email]\n", "channels: [call]\n"), needs("mobile")))
    assert one(found, "personal-without-consent").details["channels"] == ["call"]


def test_the_call_centre_is_outbound_by_default_and_a_recorded_basis_settles_it():
    """Without settings.marketing_channels the defaults apply, and they include call_center."""
    defaults = (
        "settings: {marketing_channels: [email, sms, call]}\nchannels: [web, email, sms, call, store]\n",
        "channels: [web, email, sms, call, call_center, store]\n",
    )
    calls = ("channels: [email]\n", "channels: [call_center]\n")
    found, parts = run(ws_with(defaults, NO_BASIS, calls, needs("mobile")))
    assert one(found, "personal-without-consent").details["channels"] == ["call_center"]
    assert parts["uc"].status == "at-risk"
    found, parts = run(ws_with(defaults, basis("legitimate-interest"), calls, needs("mobile")))
    assert found == [] and parts["uc"].status == "ok"


def test_consent_basis_without_a_consent_attribute():
    found, parts = run(ws_with(needs("email, segment")))
    gap = one(found, "personal-without-consent")
    assert "records consent as its lawful basis" in gap.message
    assert parts["uc"].status == "at-risk"


@pytest.mark.parametrize("value", ["contract", "legitimate-interest", "legal-obligation", "public-task"])
def test_a_recorded_non_consent_basis_needs_no_consent(value: str):
    found, parts = run(ws_with(basis(value), needs("email, income")))
    assert found == []
    assert parts["uc"].status == "ok"


def test_not_outbound_or_not_personal_needs_no_consent():
    found, _ = run(ws_with(NO_BASIS, ("channels: [email]\n", "channels: [web, store]\n"), needs("email")))
    assert found == []
    found, _ = run(ws_with(NO_BASIS, needs("segment")))
    assert found == []


# -- NM123 held-beyond-need ---------------------------------------------------------------------

HELD = """
attributes:
  - {id: cid, identifier: true}
  - {id: email, sensitivity: personal}
  - {id: diagnosis, special_category: true}
  - {id: segment}
  - {id: score, sensitivity: sensitive}
systems:
  - id: crm
    holds:
      - {attribute: cid, role: master}
      - {attribute: email, role: master}
      - {attribute: diagnosis, role: master}
      - {attribute: segment, role: master}
    feeds:
      - {to: mailer, attributes: [cid, email, diagnosis, segment]}
  - id: mailer
    holds: [cid, email, diagnosis, segment]
use_cases:
  - id: mail
    executes_in: [crm]
    needs: [email, diagnosis]
"""


def held(*edits: tuple[str, str]) -> list[Found]:
    found, _ = run(ws_with(*edits, base=HELD))
    return of(found, "held-beyond-need")


def test_copies_nothing_needs_are_held_beyond_need():
    found = held()
    assert [(f.subjects, f.severity) for f in found] == [
        ((("system", "mailer"), ("attribute", "email")), "info"),
        ((("system", "mailer"), ("attribute", "diagnosis")), "warning"),
    ]
    special = found[1]
    assert special.details == {"sensitivity": "sensitive", "special_category": True, "fed_by": ["crm"]}
    assert "mailer" in special.message and special.use_cases == ()


def test_a_use_case_running_there_needs_it():
    assert held(("    executes_in: [crm]", "    executes_in: [crm, mailer]")) == []


def test_a_use_case_that_does_not_say_where_it_runs_needs_every_copy():
    assert held(("    executes_in: [crm]\n", "")) == []


def test_a_rejected_use_case_running_there_needs_nothing():
    extra = "  - {id: old, status: rejected, executes_in: [mailer], needs: [diagnosis]}\n"
    found = held(("use_cases:\n", "use_cases:\n" + extra))
    assert ("attribute", "diagnosis") in {s for f in found for s in f.subjects}


def test_a_process_step_there_needs_it():
    steps = "processes:\n  - id: p\n    steps:\n      - {system: mailer, reads: [diagnosis], updates: [email]}\n"
    assert held(("use_cases:\n", steps + "use_cases:\n")) == []


def test_a_step_elsewhere_does_not():
    steps = "processes:\n  - id: p\n    steps:\n      - {system: crm, reads: [diagnosis, email]}\n"
    assert len(held(("use_cases:\n", steps + "use_cases:\n"))) == 2


def test_an_input_of_a_value_derived_there_is_needed():
    found = held(
        (
            "    holds: [cid, email, diagnosis, segment]",
            "    holds: [cid, email, diagnosis, segment, "
            "{attribute: score, role: derived, derived_from: [diagnosis, email]}]",
        ),
    )
    assert found == []


def test_masters_derived_values_identifiers_and_plain_data_are_never_beyond_need():
    found = held(
        (
            "    holds: [cid, email, diagnosis, segment]",
            "    holds: [cid, {attribute: email, role: master}, "
            "{attribute: diagnosis, role: derived}, segment, {attribute: score, role: derived}]",
        ),
    )
    assert found == []


# -- the consent part of readiness ---------------------------------------------------------------


def test_demo_written_before_the_new_fields_keeps_its_old_consent_findings_and_adds_outbound_calls():
    ws = open_workshop(DEMO).workshop
    assert ws is not None
    found, parts = run(ws)
    assert of(found, "consent-mismatch") == [] and of(found, "special-category-without-basis") == []
    # Outbound calls are a marketing channel by default: the NPS call-back phones people with no consent recorded.
    assert sorted(f.subjects[0][1] for f in of(found, "personal-without-consent")) == [
        "click-collect-notify",
        "nps-followup",
        "social-lookalike",
    ]
    assert set(parts) == {u.id for u in ws.use_cases if u.status != "rejected"}
    risky = {u: p for u, p in parts.items() if p.status != "ok"}
    assert risky == {
        "click-collect-notify": ConsentPart("at-risk", ("personal-without-consent",)),
        "nps-followup": ConsentPart("at-risk", ("personal-without-consent",)),
        "social-lookalike": ConsentPart("at-risk", ("personal-without-consent",)),
    }


# -- the hand-worked expectations -------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


_RUNS: dict[Path, tuple[list[Found], dict[str, ConsentPart]]] = {}


def _run_expected(path: Path) -> tuple[dict[str, Any], list[Found], dict[str, ConsentPart]]:
    exp = _load(path)
    if path not in _RUNS:
        ws = open_workshop(ROOT / exp["workshop"]).workshop
        assert ws is not None
        _RUNS[path] = run(ws)
    return exp, *_RUNS[path]


def _subjects(entry: dict[str, Any]) -> set[tuple[str, str]]:
    out = set()
    for kind, ids in entry["subjects"].items():
        for i in ids if isinstance(ids, list) else [ids]:
            out.add((kind, i))
    return out


def _entries(section: str) -> list[Any]:
    out = []
    for path in EXPECTATIONS:
        for i, entry in enumerate(_load(path).get(section) or []):
            if entry["code"] in CODES:
                out.append(pytest.param(path, entry, id=f"{path.stem}-{i}-{entry['code']}"))
    return out


def test_expectations_cover_every_privacy_rule():
    codes = {p.values[1]["code"] for p in _entries("must_find")}
    assert codes == set(CODES) - {"personal-without-consent"}
    assert {p.values[1]["code"] for p in _entries("must_not_find")} == set(CODES)


@pytest.mark.parametrize(("path", "entry"), _entries("must_find"))
def test_must_find(path: Path, entry: dict[str, Any]):
    _, found, _ = _run_expected(path)
    want = _subjects(entry)
    hits = [f for f in of(found, entry["code"]) if want <= set(f.subjects)]
    assert hits, [(f.rule, f.subjects) for f in found]
    assert hits[0].severity == entry["severity"]


@pytest.mark.parametrize(("path", "entry"), _entries("must_not_find"))
def test_must_not_find(path: Path, entry: dict[str, Any]):
    _, found, _ = _run_expected(path)
    want = _subjects(entry)
    assert [f.message for f in of(found, entry["code"]) if want <= set(f.subjects)] == []


@pytest.mark.parametrize("path", EXPECTATIONS, ids=[p.stem for p in EXPECTATIONS])
def test_consent_part_of_readiness_matches_the_hand_work(path: Path):
    exp, _, parts = _run_expected(path)
    expected = {r["id"]: r["parts"]["consent"] for r in exp["readiness"]}
    assert {u: p.status for u, p in parts.items()} == expected


@pytest.mark.parametrize("path", EXPECTATIONS, ids=[p.stem for p in EXPECTATIONS])
def test_no_privacy_finding_beyond_the_hand_work(path: Path):
    # the files say every personal copy was checked: the held-beyond-need findings are exactly the listed ones
    exp, found, _ = _run_expected(path)
    listed = [_subjects(e) for e in exp["must_find"] if e["code"] in CODES]
    extra = [f.subjects for f in found if f.rule in CODES and not any(s <= set(f.subjects) for s in listed)]
    assert extra == []
