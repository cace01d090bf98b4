"""Column matching on systems it was not tuned on: the labelled column lists of real systems
(tests/data/columns/<system>.yaml), the figures on their tune and held-out parts, and the readings that
carry over from one system to the next (composite names, table prefixes, suite short names, inversions,
the table as evidence)."""

from __future__ import annotations

import pytest
import yaml

from benchmarks import matching as bench
from needsmap.catalog.entries import load_catalog
from needsmap.catalog.name_tokens import name_tokens
from needsmap.cli.main import main
from needsmap.imports.column_evidence import UNSURE_ATTRIBUTES, UNSURE_CAP
from needsmap.imports.column_match import (
    CONSENT_NOTE,
    FEW_CONFIRMED_NOTE,
    ONCE_CONFIRMED_NOTE,
    UNCONFIRMED_NOTE,
    ColumnMatcher,
)
from needsmap.imports.schema import SchemaTable, propose
from tests.conftest import DATA, ROOT
from tests.imports.conftest import schema_table

#: The five systems whose DDL was labelled before (tests/data/import): the new set is beyond them.
EARLIER = {"prestashop", "sylius", "saleor", "espocrm", "odoo"}
#: The held-out part of round 1: its figures and misses are known, so it is part of the tune part now.
ROUND_1_HELD_OUT = {
    "hubspot",
    "osticket",
    "opencart",
    "chatwoot",
    "erpnext",
    "civicrm",
    "shopware",
    "woocommerce",
    "freescout",
}
#: The held-out part of rounds 2 and 3: reported three times, then spent; part of the tune part since round 4.
ROUND_2_HELD_OUT = {
    "keycloak",
    "discourse",
    "krayin",
    "stripe",
    "shopify",
    "zendesk",
    "mailchimp",
    "klaviyo",
    "pipedrive",
    "zoho_crm",
    "oracle_tca",
}
#: The held-out part of round 4 (``held-out-3``), labelled by others while the matcher was changed; measured four
#: times, then spent: part of the tune part since round 6.
ROUND_4_HELD_OUT = {
    "openemr",
    "moodle",
    "glpi",
    "nopcommerce",
    "ghost",
    "netsuite",
    "braze",
    "intercom",
    "freshdesk",
    "marketo",
    "sap_bp_odata",
    "adobe_xdm",
}
#: The held-out part of round 5 (``held-out-4``), measured twice by the lead; part of the tune part since round 6.
ROUND_5_HELD_OUT = {
    "square",
    "xero",
    "quickbooks",
    "chargebee",
    "sendgrid",
    "msgraph_contact",
    "vendure",
    "orocrm",
    "oscommerce",
    "tryton",
    "killbill",
    "mattermost",
}
#: The held-out part of round 6 (``held-out-5``), measured once before and once after round 6 by the lead, then
#: tuned on in round 7.
ROUND_6_HELD_OUT = {
    "businesscentral",
    "commercetools",
    "bigcommerce",
    "brevo",
    "activecampaign",
    "auth0",
    "okta",
    "monica",
    "thelia",
    "aimeos",
    "oscar",
    "evershop",
    "fatfreecrm",
    "x2crm",
    "idempiere",
    "lago",
    "listmonk",
}
#: The held-out part of round 7 (``held-out-6``), measured once each with the round-5, -6 and -7 matchers, then
#: tuned on in round 8.
ROUND_7_HELD_OUT = {
    "sfcc",
    "sap_b1",
    "dynamics_fo",
    "zuora",
    "eloqua",
    "pardot",
    "bitrix24",
    "fhir_patient",
    "openmrs",
    "cognito",
    "freshbooks",
    "helpscout",
    "braintree",
    "recurly",
    "constantcontact",
    "mailerlite",
}
#: The held-out part of round 8 (``held-out-7``), measured once each with the round-5, -7 and -8 matchers and
#: reported, then tuned on in round 9.
ROUND_8_HELD_OUT = {
    "capsule",
    "insightly",
    "copper",
    "close",
    "spryker",
    "drupal_commerce",
    "ecwid",
    "wix_contacts",
    "customerio",
    "iterable",
    "segment_traits",
    "mixpanel",
    "jde",
    "infor_m3",
    "mews",
    "tmf632",
}
#: The held-out part of round 9 (``held-out-8``), measured once each with the round-5, -8 and -9 matchers and
#: reported, then tuned on in round 10.
ROUND_9_HELD_OUT = {
    "zendesk_sell",
    "keap",
    "agilecrm",
    "freshsales",
    "sage_intacct",
    "acumatica",
    "zoho_books",
    "drip",
    "omnisend",
    "kit",
    "dotdigital",
    "firebase_auth",
    "fusionauth",
    "supabase_auth",
    "ory_kratos",
}
#: The held-out part of round 10 (``held-out-9``), measured once each with the round-5, -9 and -10 matchers and
#: reported, then tuned on in round 11.
ROUND_10_HELD_OUT = {
    "attio",
    "creatio",
    "nutshell",
    "salesflare",
    "swell",
    "lightspeed_retail",
    "vtex",
    "commerce_layer",
    "gorgias",
    "front",
    "kustomer",
    "zoho_desk",
    "mailjet",
    "campaign_monitor",
    "aweber",
    "getresponse",
}
#: The held-out part of round 11 (``held-out-10``), measured with the round-5 and -10 matchers and twice with
#: round 11, reported, then tuned on in round 12.
ROUND_11_HELD_OUT = {
    "servicenow",
    "sap_commerce",
    "sap_cdc",
    "dynamics_gp",
    "exact_online",
    "moneybird",
    "lexoffice",
    "fineract",
    "cscart",
    "eccube",
    "loyverse",
    "eventbrite",
    "clerk",
    "request_tracker",
    "phplist",
    "openedx",
}
#: The held-out part of round 12 (``held-out-11``), measured with the round-5 and -11 matchers and once with
#: round 12, reported, then tuned on in round 13.
ROUND_12_HELD_OUT = {
    "siebel",
    "epicor_kinetic",
    "sage_x3",
    "responsys",
    "teamleader",
    "highrise",
    "moosend",
    "nimble",
    "zencart",
    "broadleaf",
    "lightspeed_x",
    "cloudbeds",
    "canvas_lms",
    "zitadel",
    "bloomerang",
    "authentik",
}
#: The held-out part of round 13 (``held-out-12``), measured with the round-5 and -12 matchers and once with
#: round 13, reported, then tuned on in round 14.
ROUND_13_HELD_OUT = {
    "apptivo",
    "coreshop",
    "gnuhealth",
    "ifs_cloud",
    "kanidm",
    "lesscrm",
    "littlegreenlight",
    "logto",
    "oracle_service_cloud",
    "salesmate",
    "sap_bydesign",
    "sendy",
    "sumup",
    "toast",
    "unit4_erp",
    "virtuemart",
}
#: ``held-out-13``, labelled after round 13, measured with the round-5 and -13 matchers (and once with a round-14
#: attempt that did not land), reported with round 13, then tuned on in round 14.
ROUND_14_HELD_OUT = {
    "apaleo",
    "blackboard",
    "faveo",
    "jtl_shop",
    "kayako",
    "liveagent",
    "mindbody",
    "mirakl",
    "openimis",
    "oracle_commerce",
    "oxid",
    "plentymarkets",
    "sap_marketing_cloud",
    "sfmc",
    "uvdesk",
}
#: The held-out part of round 14 (``held-out-14``), measured with the round-5 and -13 matchers and once with
#: round 14, reported, then tuned on in round 15.
ROUND_15_HELD_OUT = {
    "adobe_campaign",
    "clover",
    "crater",
    "crisp",
    "donorperfect",
    "emarsys",
    "freshservice",
    "frontaccounting",
    "happyfox",
    "helpy",
    "invoiceplane",
    "nuvemshop",
    "open_loyalty",
    "paddle",
    "salesforce_npsp",
    "trudesk",
}
#: ``held-out-15``, labelled during round 14, measured with the round-5, -13 and -14 matchers, reported with
#: round 14, then tuned on in round 15.
ROUND_16_HELD_OUT = {
    "amplitude",
    "axelor",
    "casdoor",
    "deskpro",
    "elasticpath",
    "gocardless",
    "livechat",
    "mambu",
    "opensis",
    "oscar_emr",
    "posthog",
    "pretix",
    "raisers_edge",
    "sage100",
    "scim",
    "znuny",
}
#: ``held-out-16``, labelled during round 15, measured with the round-5, -13 and -14 matchers, reported with
#: round 15, then tuned on in round 16.
ROUND_17_HELD_OUT = {
    "acuity",
    "beehiiv",
    "calendly",
    "drift",
    "freshchat",
    "groove",
    "maxio",
    "orocommerce",
    "outreach",
    "patreon",
    "paystack",
    "salesloft",
    "sf_data_cloud",
    "shopware5",
    "whmcs",
    "xendit",
}
#: The held-out part of round 16, labelled by others at the start of round 16, reported after round 16.
HELD_OUT = "held-out-17"
#: The parts whose files these tests read: a held-out part being labelled is neither read nor measured here
#: until it is reported.
REPORTED = frozenset({"tune", HELD_OUT})


@pytest.fixture(scope="module")
def labelled() -> list[bench.Labelled]:
    return bench.load_labelled(splits=REPORTED)


@pytest.fixture(scope="module")
def matcher() -> ColumnMatcher:
    return ColumnMatcher.from_catalog()


# ------------------------------------------------------------------ the labelled set


def test_fifteen_systems_beyond_the_five_with_the_enterprise_suites(labelled):
    names = {s.system for s in labelled}
    assert len(names - EARLIER) >= 15
    assert {"salesforce", "dynamics365", "sap", "hubspot"} <= names
    splits = set(bench.splits_present().values())
    assert "tune" in splits  # split by system: each file is one system, in one part, a later one held out too
    assert all(s == "tune" or (s or "").startswith("held-out-") for s in splits), splits
    tune = {s.system for s in labelled if s.split == "tune"}
    earlier = ROUND_1_HELD_OUT | ROUND_2_HELD_OUT | ROUND_4_HELD_OUT | ROUND_5_HELD_OUT | ROUND_6_HELD_OUT
    spent = (
        earlier
        | ROUND_7_HELD_OUT
        | ROUND_8_HELD_OUT
        | ROUND_9_HELD_OUT
        | ROUND_10_HELD_OUT
        | ROUND_11_HELD_OUT
        | ROUND_12_HELD_OUT
        | ROUND_13_HELD_OUT
        | ROUND_14_HELD_OUT
        | ROUND_15_HELD_OUT
        | ROUND_16_HELD_OUT
        | ROUND_17_HELD_OUT
    )
    assert spent <= tune  # spent held-out parts are tuned on
    assert not ROUND_4_HELD_OUT & (ROUND_1_HELD_OUT | ROUND_2_HELD_OUT | EARLIER)  # not labelled before round 4
    assert not ROUND_5_HELD_OUT & (ROUND_1_HELD_OUT | ROUND_2_HELD_OUT | ROUND_4_HELD_OUT | EARLIER)
    held_out = {name for name, split in bench.splits_present().items() if split == HELD_OUT}
    assert not ROUND_6_HELD_OUT & (ROUND_1_HELD_OUT | ROUND_2_HELD_OUT | ROUND_4_HELD_OUT | ROUND_5_HELD_OUT | EARLIER)
    assert not ROUND_7_HELD_OUT & (earlier | EARLIER)
    assert not ROUND_8_HELD_OUT & (earlier | ROUND_7_HELD_OUT | EARLIER)
    assert not ROUND_9_HELD_OUT & (earlier | ROUND_7_HELD_OUT | ROUND_8_HELD_OUT | EARLIER)
    assert not ROUND_10_HELD_OUT & (earlier | ROUND_7_HELD_OUT | ROUND_8_HELD_OUT | ROUND_9_HELD_OUT | EARLIER)
    assert not ROUND_11_HELD_OUT & (spent - ROUND_11_HELD_OUT | EARLIER)
    assert not ROUND_12_HELD_OUT & (spent - ROUND_12_HELD_OUT | EARLIER)
    assert not ROUND_13_HELD_OUT & (spent - ROUND_13_HELD_OUT | EARLIER)
    assert not ROUND_14_HELD_OUT & (spent - ROUND_14_HELD_OUT | EARLIER)
    assert not ROUND_15_HELD_OUT & (spent - ROUND_15_HELD_OUT | EARLIER)
    assert not ROUND_16_HELD_OUT & (spent - ROUND_16_HELD_OUT | EARLIER)
    assert not ROUND_17_HELD_OUT & (spent - ROUND_17_HELD_OUT | EARLIER)
    assert not held_out & (spent | tune | EARLIER)  # systems not labelled before round 16
    kinds = {yaml.safe_load((bench.LABELLED / f"{n}.yaml").read_text(encoding="utf-8"))["kind"] for n in tune}
    assert len(kinds) >= 6  # CRM, shop, help desk, marketing, ERP, identity...


def test_every_label_is_a_catalog_id_and_every_system_has_a_recorded_source(labelled):
    ids = {e.id for e in load_catalog().entries}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for system in labelled:
        for key, want in system.expect.items():
            assert want <= ids, f"{system.system} {key}: {sorted(want - ids)} not in the catalog"
        assert system.inverted <= {k for k, v in system.expect.items() if v}
        assert f"`columns/{system.system}.yaml`" in readme, f"{system.system}: no source in tests/data/README.md"
        doc = yaml.safe_load((bench.LABELLED / f"{system.system}.yaml").read_text(encoding="utf-8"))
        assert doc["source"].strip()
    customer = sum(1 for s in labelled for v in s.expect.values() if v)
    other = sum(1 for s in labelled for v in s.expect.values() if not v)
    assert customer >= 500 and other >= 150  # columns without a customer meaning are labelled too


# ------------------------------------------------------------------ the figures


def _figures(labelled, split):
    return bench.evaluate([s for s in labelled if s.split == split])


def test_the_tuned_part_meets_the_precision_targets(labelled):
    """The tune part (251 systems since round 16, the held-out parts of rounds 1 to 16 among them): the
    auto-accepted proposals are right >= 97% of the time and <= 10% of non-customer columns are proposed.
    Top-1 was 92.4% on the 36 systems of round 4; each spent held-out part joined with its columns unseen
    (held-out-3 and -4 at 68.7%, held-out-5 at 72.9%, held-out-6 at 64.0%, held-out-7 at 62.2%, held-out-8 at
    74.7%, held-out-9 at 75.6%, held-out-10 at 66.5%, held-out-11 at 63.7%, held-out-12 at 65.9%, held-out-13 at
    66.5%, held-out-14 at 60.6%, held-out-15 at 59.5%, held-out-16 at 67.2%) and was read for general readings:
    76.2% on all 251, the floor. The spent parts keep their gains (docs/performance.md, round 8; round 11 proposes no unconfirmed
    guess, 0.6 point of held-out-9's top-1)."""
    r = _figures(labelled, "tune")
    assert r["top1"] >= 0.76, r["misses"]
    assert r["accepted_precision"] >= 0.97, r["misses"]
    assert r["non_customer_proposed"] <= 0.10, r["misses"]
    assert r["inverted_marked"][0] == r["inverted_marked"][1] > 0
    floors = {  # top-1 measured unseen -> after the rounds that read their misses
        frozenset(ROUND_4_HELD_OUT | ROUND_5_HELD_OUT): 0.78,  # 68.7% -> 78.9%
        frozenset(ROUND_6_HELD_OUT): 0.82,  # 72.9% -> 82.6%
        frozenset(ROUND_7_HELD_OUT): 0.68,  # 64.0% -> 69.0%
        frozenset(ROUND_8_HELD_OUT): 0.75,  # 62.2% -> 76.1% (JD Edwards 0% -> 69%, Infor M3 12% -> 84%)
        frozenset(ROUND_9_HELD_OUT): 0.77,  # 74.7% -> 77.7%
        frozenset(ROUND_10_HELD_OUT): 0.775,  # 75.6% -> 78.3%
        frozenset(ROUND_11_HELD_OUT): 0.735,  # 66.5% -> 73.9% (Dynamics GP 45.8% with no dictionary of its codes)
        frozenset(ROUND_12_HELD_OUT): 0.675,  # 63.7% -> 68.1% (Sage X3's short codes have no dictionary)
        frozenset(ROUND_13_HELD_OUT): 0.705,  # 65.9% -> 70.8%
        frozenset(ROUND_14_HELD_OUT): 0.715,  # 66.5% -> 72.0% (OXID's OX prefix has no dictionary)
        frozenset(ROUND_15_HELD_OUT): 0.67,  # 60.6% -> 67.3% (Salesforce NPSP's custom fields 2.8% -> 43.1%)
        frozenset(ROUND_16_HELD_OUT): 0.62,  # 59.5% -> 62.8%, 62.4% in round 16 (Casdoor's login providers unread)
        frozenset(ROUND_17_HELD_OUT): 0.72,  # 67.2% -> 72.6% (Salesforce Data Cloud's DMO fields)
    }
    for systems, floor in floors.items():
        assert bench.evaluate([s for s in labelled if s.system in systems])["top1"] >= floor


def test_the_spent_held_out_part_does_not_get_worse(labelled):
    """The eleven systems of held-out-2, tuned on since round 4 (from their misses, without their spellings in
    the catalog): round 3 measured them, unseen, at top-1 74.5%, precision 95.7% and 14.1% of non-customer
    columns proposed; round 4 at 87.1%, 98.7% and 7.8%, and these floors keep that (round 10: 86.9%, one
    column fewer, as calibrations refitted on 124 systems put Pipedrive's ``postal_address`` below the proposal
    level)."""
    r = bench.evaluate([s for s in labelled if s.system in ROUND_2_HELD_OUT])
    assert r["systems"] == len(ROUND_2_HELD_OUT)
    assert r["top1"] >= 0.865
    assert r["accepted_precision"] >= 0.98
    assert r["non_customer_proposed"] <= 0.08


def test_0_9_means_97_percent_on_a_system_the_calibration_was_not_fitted_on():
    """Each tune system matched with the calibration fitted on the other tune systems only: the proposals
    accepted automatically are still right >= 97% of the time, so the level carries over to a new system as
    far as the calibration is concerned."""
    r = bench.leave_one_out("tune", evidence_too=False)
    assert r["systems"] >= 36
    assert r["accepted_precision"] >= 0.97, r["misses"]


def test_0_9_means_97_percent_on_a_system_whose_evidence_was_left_out_too():
    """The honest estimate from the tune part alone: each tune system matched as if it had never been labelled,
    its part of the calibration and of the evidence left out (a spelling or rule only its columns confirm
    counts as unconfirmed, and is held for review); the proposals accepted automatically are still right >= 97%
    of the time."""
    r = bench.leave_one_out("tune")
    assert r["systems"] >= 36
    assert r["accepted_precision"] >= 0.97, r["misses"]
    calibration_only = bench.leave_one_out("tune", evidence_too=False)
    assert r["accepted"] < calibration_only["accepted"]  # less is accepted once a system's own spellings go


def test_the_support_table_is_what_the_tune_part_gives():
    """imports/column_support.json is what ``python -m benchmarks.matching --fit-support`` writes from the tune
    part's labels with the matcher as it is: which tune systems each spelling and rule reads right."""
    from needsmap.imports.column_support import SUPPORT_FILE

    assert SUPPORT_FILE.read_text(encoding="utf-8") == bench.fit_support("tune"), "run --fit-support"


def test_a_reading_is_as_sure_as_the_systems_that_confirm_it():
    """A spelling confirmed by no labelled system (added by hand) is held for review; one confirmed by a single
    system is calibrated apart from those confirmed by more; the attribute's own id needs no confirmation."""
    from needsmap.imports.column_support import UNSUPPORTED_CAP, support_block, support_keys, support_of

    keys = support_keys(("ort", "01"), "spelling 'ort01'", "city")
    assert keys == ("spelling:city=ort01",)
    assert support_keys(("city",), "id 'city'", "city") == ()  # the name as written
    assert support_keys(("hs", "city"), "id 'city', without 'hs_'", "city") == ("qualifier:hs",)
    assert support_keys(("do", "not", "call"), "do-not-call flag", "phone_marketing_consent") == ("rule:do-not-",)
    table = {"spelling:city=ort01": frozenset({"sap"}), "qualifier:hs": frozenset({"hubspot", "klaviyo"})}
    assert support_of(keys, table) == 1 and support_block(1) == "1"
    assert support_of(("spelling:city=ort01", "qualifier:hs"), table) == 1  # the weakest link
    assert support_of(("spelling:city=stadt",), table) == 0 and support_block(0) == "0"
    assert support_of((), table) is None and support_block(None) == ""
    matcher = ColumnMatcher.from_catalog()
    confirmed = matcher.best("ORT01", "KNA1", "nvarchar(35)")
    unconfirmed = ColumnMatcher.from_catalog(support={"x": frozenset({"y"})}).best("ORT01", "KNA1", "nvarchar(35)")
    assert confirmed.attribute == unconfirmed.attribute == "city"
    assert unconfirmed.support == 0 and unconfirmed.confidence <= UNSUPPORTED_CAP < 0.9
    assert UNCONFIRMED_NOTE in unconfirmed.reason
    assert ColumnMatcher.from_catalog(support={"x": frozenset({"y"})}).best("city", "customers").confidence >= 0.9


def test_a_reading_whose_ground_some_systems_contradict_is_checked():
    """Round 14: what a reading rests on also has a record, the labelled systems on which it was proposed and
    wrong (``contactid``: a contact's own key on some systems, a link to one on others). Confirmed by many
    systems but contradicted by too many of them, it is held for review with its record in the reason; the
    same reading with a clean record is accepted."""
    from needsmap.imports.column_support import AGAINST, ONCE_SUPPORTED_CAP, SURE_LEVEL, record_of, support_block

    right = frozenset(f"s{i}" for i in range(12))
    clean = {"spelling:crm_contact_id=contactid": right}
    mixed = {**clean, AGAINST + "spelling:crm_contact_id=contactid": frozenset(f"w{i}" for i in range(6))}
    assert record_of(("spelling:crm_contact_id=contactid",), mixed) == ("spelling:crm_contact_id=contactid", 12, 6)
    assert record_of((), mixed) is None
    assert (12.25 / 18.5) < SURE_LEVEL <= (12.25 / 12.5)
    assert support_block(12, record_of(("spelling:crm_contact_id=contactid",), clean)) == ""
    assert support_block(12, record_of(("spelling:crm_contact_id=contactid",), mixed)) == "few"
    clean = {"spelling:organization_name=company": right}
    mixed = {**clean, AGAINST + "spelling:organization_name=company": frozenset(f"w{i}" for i in range(6))}
    accepted = ColumnMatcher.from_catalog(support=clean).best("company", "persons", "varchar(100)")
    held = ColumnMatcher.from_catalog(support=mixed).best("company", "persons", "varchar(100)")
    assert accepted.attribute == held.attribute == "organization_name"
    assert held.confidence <= ONCE_SUPPORTED_CAP < 0.9 <= accepted.confidence, (held, accepted)
    assert "'company' read right on 12 labelled systems, wrong on 6: check" in held.reason
    assert "wrong on" not in accepted.reason


def test_the_general_form_of_a_reading_is_no_rival(matcher):
    """``MobilePhone`` is the mobile number: the phone number, its general form, does not hold it back; nor does
    the city hold back SAP's ``ORT02`` (the district), read as written with its number."""
    mobile = matcher.match("MobilePhone", "Contact", "nvarchar(40)", limit=2)
    assert [c.attribute for c in mobile] == ["mobile_phone", "phone"]
    assert "nearly as well" not in mobile[0].reason and mobile[0].confidence >= 0.9
    district = matcher.best("ORT02", "KNA1", "nvarchar(35)")
    assert district.attribute == "district" and "nearly as well" not in district.reason
    work = matcher.best("work_email", "contacts", "varchar(255)")
    assert work.attribute == "work_email" and "nearly as well" not in work.reason


def test_the_calibration_is_the_isotonic_fit_on_the_tune_part():
    """column_evidence.CALIBRATION is what ``python -m benchmarks.matching --fit-calibration`` fits on the
    tune part with the matcher as it is (never on the held-out part): a change to the matcher refits it."""
    import inspect

    from needsmap.imports import column_evidence

    fitted = bench.fit_calibration("tune")
    assert fitted in inspect.getsource(column_evidence), f"refit the calibration; paste:\n{fitted}"


def test_a_confidence_of_0_9_means_97_percent_on_the_tune_part(labelled):
    """The reliability the calibration was fitted for: every proposal at 0.9 or more, taken together, is
    right >= 97% of the time, and the buckets below are less sure than the one above them."""
    rows = [row for row in _figures(labelled, "tune")["reliability"] if row[1]]  # buckets with proposals
    assert rows[0][0] == "0.90-1.00" and rows[0][2] >= 0.97
    assert len(rows) >= 2
    assert all(upper[2] > lower[2] for upper, lower in zip(rows, rows[1:]))


def test_a_reading_is_calibrated_by_its_kind():
    """The same raw score is worth less when it came from a generic word than from the name as written."""
    from needsmap.imports.column_evidence import CALIBRATION, calibrated, evidence_class, fit_isotonic
    from needsmap.imports.column_readings import qualifiers_only

    assert evidence_class(("status",), ("customer",), "spelling 'customer_status', table context") == "generic"
    assert evidence_class(("email",), ("customer",), "id 'email'") == "exact"
    assert evidence_class(("id",), ("customer",), "the key of table 'customer'") == "structural"
    assert calibrated(1.0, "generic", CALIBRATION) < 0.9 <= calibrated(1.0, "exact", CALIBRATION)
    # words read away that said what the value is about (another subject, or which one of a generic word)
    assert evidence_class(("image", "source"), ("user",), "spelling 'source', without 'image_'") == "narrowed"
    agent = "spelling 'last_seen_at', without 'agent_'"
    assert evidence_class(("agent", "last", "seen", "at"), ("conversation",), agent) == "narrowed"
    hubspot = "spelling 'last_open_date', without 'hs_email_'"
    assert evidence_class(("hs", "email", "last", "open", "date"), ("contact",), hubspot) == "reread"
    assert calibrated(0.89, "narrowed", CALIBRATION) < calibrated(0.89, "reread", CALIBRATION)
    # a qualifier read away from a generic word says nothing more (BillingState); an address's kind read away
    # from a word that is no address's does (invoice_prefix)
    billing = "spelling 'state', without 'billing_'"
    assert evidence_class(("billing", "state"), ("account",), billing, "address") == "reread"
    assert qualifiers_only(billing, "organization")  # so the matcher calls it 'qualified', calibrated apart
    invoice = "spelling 'prefix', without 'invoice_'"
    assert evidence_class(("invoice", "prefix"), ("customer",), invoice, "customer") == "narrowed"
    # isotonic: never less sure for a higher score; ties are one block; a small block is not certain
    steps = fit_isotonic([(0.8, False), (0.8, True), (0.9, True), (0.9, False), (1.0, True), (1.0, True)])
    assert [c for _, c in steps] == sorted(c for _, c in steps)
    assert steps[-1][1] < 1.0
    # a block starts halfway from the block below: a score never seen between two blocks (0.99, a workshop
    # attribute's inherited name) is worth what the nearer block is worth
    assert steps[-1][0] == 0.95
    assert calibrated(0.99, "x", {"x": steps}) == steps[-1][1]
    assert calibrated(0.94, "x", {"x": steps}) == steps[-2][1]


def test_the_documented_figures_and_reliability_tables_are_the_measured_ones():
    """docs/performance.md shows exactly what ``python -m benchmarks.matching --labelled SPLIT`` prints (and,
    for the tune part, with ``--leave-one-out``).  A held-out part's figures are not shown when they differ: each
    look at them spends the part a little, so they are measured on purpose, once, from the command line."""
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    tune = [bench.quality_report("tune"), bench.quality_report("tune", cross_validated=True)]
    for report in tune:
        assert report in doc, f"docs/performance.md is out of date; paste:\n{report}"
    for part in REPORTED - {"tune"}:
        documented = bench.quality_report(part) in doc
        assert documented, f"docs/performance.md is out of date: python -m benchmarks.matching --labelled {part}"


# ------------------------------------------------------------------ names as people write them


@pytest.mark.parametrize(
    ("column", "table", "sql_type", "want"),
    [
        ("nameFirstName", "person", "varchar", "first_name"),
        ("emailsPrimaryEmail", "person", "varchar", "email"),
        ("phonesPrimaryPhoneNumber", "person", "varchar", "phone"),
        ("addressAddressCity", "company", "varchar", "city"),
        ("domainNamePrimaryLinkUrl", "company", "varchar", "company_domain"),
        ("companycity", "companies", "varchar(191)", "city"),
        ("companyzipcode", "companies", "varchar(191)", "postal_code"),
        ("companyemail", "companies", "varchar(191)", "email"),
        ("date_entered", "contacts", "datetime", "record_created_at"),
        ("deletedAt", "person", "timestamptz", "is_deleted"),
        ("NAME_FIRST", "BUT000", "nvarchar(40)", "first_name"),
        ("ORT01", "KNA1", "nvarchar(35)", "city"),
        ("PSTLZ", "KNA1", "nvarchar(10)", "postal_code"),
        ("STRAS", "KNA1", "nvarchar(35)", "street_address"),
        ("TELF1", "KNA1", "nvarchar(16)", "phone"),
        ("SMTP_ADDR", "ADR6", "nvarchar(241)", "email"),
        ("LOEVM", "KNA1", "nvarchar(1)", "is_deleted"),
        ("emailaddress1", "contact", "nvarchar(100)", "email"),
        ("emailaddress2", "contact", "nvarchar(100)", "secondary_email"),
        ("telephone1", "contact", "nvarchar(50)", "phone"),
        ("address1_postalcode", "contact", "nvarchar(20)", "postal_code"),
        ("gendercode", "contact", "int", "gender"),
        ("MailingPostalCode", "Contact", "nvarchar(20)", "postal_code"),
        ("phone_home", "contacts", "varchar(100)", "phone"),
        ("web", "users", "varchar(100)", "website"),
        ("domain", "organizations", "varchar(250)", "company_domain"),
        ("contact_type", "contacts", "varchar(64)", "customer_type"),
        ("customer_id", "oc_customer_ip", "int", "customer_id"),  # the customer a child row belongs to
        ("address", "ost_user_email", "varchar(255)", "email"),  # the table says what the address is
        ("name", "companies", "varchar(255)", "organization_name"),
        ("salutation_id", "customer", "binary(16)", "salutation"),  # a key to a coded value, of any type
        ("pincode", "tabAddress", "varchar(140)", "postal_code"),
        ("uuid", "contacts", "char(36)", "crm_contact_id"),
        # round 3: word order before words read away, abbreviations, British spellings, counts, yes/no tails,
        # storage words, consents named by what they allow, what a customer's table says of a currency
        ("verified_email", "customers", "tinyint(1)", "email_verified"),
        ("favorite_brands", "customers", "text", "favourite_brands"),
        ("count_of_orders", "customers", "int", "number_of_orders"),
        ("vip_ind", "customers", "char(1)", "is_vip"),
        ("DECEASED_FLG", "PERSON", "char(1)", "is_deceased"),
        ("created_at_utc", "customers", "timestamp", "record_created_at"),
        ("properties_city", "contacts", "varchar(255)", "city"),
        ("allow_phone_calls", "customers", "bit", "phone_marketing_consent"),
        ("currency_code", "contacts", "varchar(3)", "preferred_currency"),
        ("default_currency", "tabCustomer", "varchar(140)", "preferred_currency"),
        ("hs_email_bounce", "contacts", "decimal(18, 0)", "email_status"),  # a whole number, not a measure
        ("location_type_id", "civicrm_email", "int", "email_type"),  # the kind of the table's e-mail
        ("name", "users", "varchar(255)", "full_name"),  # a person's name, not the login
        ("status_id", "ost_ticket", "int", "case_status"),  # the ticket's status
        # round 4: numbered address lines, a phone number's parts, variant tails, other words for updated and
        # verified, a leading time word, the table's subject read with generic words, names glued together,
        # value qualifiers, a company's object id, a key to a picture
        ("ADDRESS3", "HZ_LOCATIONS", "varchar2(240)", "address_line_2"),
        ("street_line_3", "address", "varchar(100)", "address_line_2"),
        ("address2_line1", "contact", "nvarchar(250)", "street_address"),  # the second address's first line
        ("additional_address_line1", "customer_address", "varchar(255)", "address_line_2"),
        ("PHONE_AREA_CODE", "HZ_CONTACT_POINTS", "varchar2(10)", "phone"),
        ("area_code", "phones", "varchar(10)", "phone"),
        ("PHONE_LINE_TYPE", "HZ_CONTACT_POINTS", "varchar2(30)", "phone_type"),
        ("username_lower", "users", "varchar(60)", "username"),
        ("last_changed", "members", "datetime", "record_updated_at"),
        ("timestamp_signup", "list_members", "timestamp", "customer_since"),
        ("shipping_name", "customers", "varchar(255)", "full_name"),
        ("PARTY_NAME", "HZ_PARTIES", "varchar2(360)", "full_name"),
        ("VALIDATED_FLAG", "HZ_LOCATIONS", "varchar2(1)", "address_verified"),
        ("EFFECTIVE_DATE", "HZ_LOCATIONS", "date", "address_valid_from"),
        ("billingpostalcode", "accounts", "varchar(20)", "postal_code"),
        ("homephonenumber", "customers", "varchar(20)", "phone"),
        ("predictive_analytics_historic_clv", "profile", "decimal(18, 2)", "lifetime_value"),
        ("hs_object_id", "companies", "bigint", "crm_account_id"),
        ("picture_id", "persons", "int", "photo"),
        ("photo", "users", "jsonb", "photo"),  # an API's object of a picture's links
        ("picture", "customers", "image", "photo"),  # kept in the row (SQL Server's image type)
        # a date of the last or first time, read from its verb
        ("last_emailed_at", "users", "timestamp", "last_contact_date"),
        ("last_outgoing_mail_time", "persons", "datetime", "last_contact_date"),
        ("previous_visit_at", "users", "timestamp", "last_web_visit"),
        ("first_seen_at", "users", "timestamp", "customer_since"),
        ("OWNER_TABLE_ID", "HZ_CONTACT_POINTS", "number(18)", "customer_id"),  # who holds the phone or e-mail
        ("URL", "HZ_CONTACT_POINTS", "varchar2(2000)", "website"),  # a web contact point
        ("nom", "llx_societe", "varchar(128)", "organization_name"),  # a company's name, not a surname
        ("utc_offset", "users", "int", "time_zone"),
        # rounds 6 and 7: a flattened object's field read by its parts, the key named after the party word of a
        # child table's name or after its own table, a module prefix, dates of the record alone, bounces, roles
        ("PrimaryEmailAddr.Address", "Customer", "varchar(100)", "email"),  # the last part holds the value
        ("Mobile.FreeFormNumber", "Customer", "varchar(30)", "mobile_phone"),
        ("homeAddress.countryOrRegion", "contacts", "varchar(255)", "country"),  # the last part alone
        ("party", "party_address", "int", "customer_id"),
        ("account_record_id", "account_emails", "bigint", "customer_id"),
        ("member_id", "members_stripe_customers", "varchar(24)", "customer_id"),  # not a loyalty number
        ("BusinessPartner", "A_BusinessPartnerAddress", "nvarchar(10)", "customer_id"),
        ("C_BPartner_ID", "C_BPartner", "numeric(10)", "customer_id"),  # its own table's key
        ("C_BPartner_ID", "C_BPartner_Location", "numeric(10)", "customer_id"),
        ("AD_Language", "AD_User", "varchar(6)", "preferred_language"),  # the module prefix the table has too
        ("created_utc_timestamp", "contacts", "timestamp", "record_created_at"),
        ("mtime", "mshop_customer", "datetime", "record_updated_at"),
        ("Created", "C_BPartner", "timestamp", "record_created_at"),
        ("bounced_hard", "contacts", "int", "email_status"),
        ("IsCustomer", "C_BPartner", "char(1)", "relationship_type"),
        ("subdivision", "addresses", "varchar(100)", "region"),
        ("address.streetAddress.number", "ContactAddress", "varchar(20)", "house_number"),  # a street's number
        # round 9: the short codes of suites whose columns are codes (imports.suite_codes)
        ("ABAN8", "F0101", "decimal(8, 0)", "customer_id"),  # JD Edwards: the address number
        ("ALCTY1", "F0116", "nvarchar(25)", "city"),
        ("WWGNNM", "F0111", "nvarchar(25)", "first_name"),
        ("OKCUNO", "OCUSMA", "varchar(10)", "customer_id"),  # Infor M3, in its table
        ("CUNM", "GetBasicData", "varchar(36)", "full_name"),  # and in its API
        # round 10: Java's instants, the last sign-in, a key named uid
        ("lastLoginInstant", "user", "bigint", "last_login"),
        ("metadata.lastSignInTime", "users", "timestamp", "last_login"),
        ("uid", "users", "varchar(128)", "customer_id"),
        # rounds 11 to 13: an address word read away, a list's kind, a social account, a suite's codes
        ("addresses.state", "customers", "varchar(50)", "region"),
        ("ADDRESS_MAIL_STATE", "CONTACT", "varchar(50)", "region"),
        ("emailAddresses.business[0]", "contacts", "varchar(255)", "email"),
        ("contact-data.twitter-accounts.twitter-account.username", "person", "varchar(50)", "social_media_handle"),
        ("account_enabled", "users", "boolean", "is_active"),
        ("CUSTNMBR", "RM00101", "char(15)", "customer_id"),
        ("STMTNAME", "RM00101", "char(65)", "legal_name"),
        ("tradeName", "CL", "varchar(100)", "organization_name"),
    ],
)
def test_names_as_people_write_them(matcher, column, table, sql_type, want):
    best = matcher.best(column, table, sql_type)
    assert best is not None and best.attribute == want, (column, best)


@pytest.mark.parametrize(
    ("column", "table", "sql_type"),
    [
        ("website_id", "customer_entity", "smallint"),  # the scope of the software, not the customer
        ("store_id", "customer_entity", "smallint"),
        ("created_by", "contacts", "char(36)"),  # a user of the software
        ("modified_user_id", "contacts", "char(36)"),
        ("CreatedById", "Contact", "char(18)"),
        ("createdBySource", "person", "varchar"),
        ("AssistantPhone", "Contact", "nvarchar(40)"),  # someone else's phone
        ("rp_token_created_at", "customer_entity", "datetime"),
        ("MANDT", "KNA1", "nvarchar(3)"),
        ("SystemModstamp", "Contact", "datetime"),
        ("HasOptedOutOfFax", "Contact", "bit"),
        ("NATION", "ADRC", "nvarchar(1)"),  # one character holds no nationality
        ("position", "person", "float"),  # a sort position: a measure is never a job title
        ("image_source", "users", "varchar(200)"),  # the words read away said what the source is of
        ("agent_last_seen_at", "conversations", "timestamp"),  # the agent's, not the customer's
        ("primary_contact_id", "contacts", "int"),  # another row of the same table
        ("master_id", "civicrm_contact", "int"),
        ("order_id", "addresses", "int"),  # a link to an order, which an address row does not hold
        ("cc_email", "persons", "varchar(255)"),  # a copy address of the software
        ("Asst_Phone", "Contacts", "varchar(30)"),
        ("ip_city", "contacts", "varchar(255)"),  # where an IP address is, not where the customer lives
        ("next_activity_date", "persons", "date"),  # planned, not what happened
        ("STATUS", "HZ_CONTACT_POINTS", "varchar2(1)"),  # the contact point's status, not the customer's
        ("DESCRIPTION", "HZ_LOCATIONS", "varchar2(240)"),
        ("alias", "users", "varchar(100)"),  # an address's label only in an address table
        ("Site", "Account", "nvarchar(80)"),  # a company's site is a place, not its website
        ("employeeid", "contact", "nvarchar(100)"),  # a key is never a yes/no
        ("masterid", "contact", "uniqueidentifier"),  # glued: master_id, the row this one was merged into
        ("double_opt_in_email_sent_date", "customer", "datetime"),  # a step of asking, not the consent
        ("invoice_prefix", "customers", "varchar(255)"),  # an invoice's prefix is not a person's
        ("statusChanged", "users", "timestamp"),  # when the status changed, not the record
        ("DatePasswordChanged", "AD_User", "timestamp"),
        ("BillAddr.Id", "Customer", "varchar(255)"),  # the object's own key, not the customer's
        ("payment_method.status", "customers", "varchar(255)"),
        ("address_count", "customers", "int"),  # a count is no address_country
        ("created_at", "customer_address", "timestamp"),  # the address row's own bookkeeping
        # rounds 12 and 13: a login's place, a feature switched on, a guess nothing confirms
        ("lastLoginLocation.city", "accounts", "varchar(50)"),
        ("ip_info.country", "users", "varchar(50)"),
        ("password_enabled", "users", "boolean"),
        ("totp_enabled", "users", "boolean"),
        ("gndr", "customers", "char(1)"),
    ],
)
def test_columns_of_the_software_are_not_proposed(matcher, column, table, sql_type):
    assert matcher.best(column, table, sql_type) is None


@pytest.mark.parametrize(
    ("column", "table", "want", "inverted"),
    [
        ("do_not_call", "contacts", "phone_marketing_consent", True),
        ("DoNotCall", "Contact", "phone_marketing_consent", True),
        ("donotphone", "contact", "phone_marketing_consent", True),
        ("donotpostalmail", "contact", "post_marketing_consent", True),
        ("do_not_sms", "civicrm_contact", "sms_marketing_consent", True),
        ("smsBlacklisted", "contacts", "sms_marketing_consent", True),  # a channel on a block list
        ("emailBlacklisted", "contacts", "email_opt_out", False),
        ("NoMarketing", "Contact", "email_marketing_consent", True),  # no campaigns at all
        ("NoMassMail", "Contact", "email_opt_out", False),
        ("donotemail", "contact", "email_opt_out", False),  # an opt-out is held as it is
        ("HasOptedOutOfEmail", "Contact", "email_opt_out", False),
        ("blocked", "contacts", "is_active", True),
        ("disabled", "tabCustomer", "is_active", True),
        ("do_not_trade", "civicrm_contact", "third_party_consent", True),
        ("sms_opt_out", "customers", "sms_marketing_consent", True),  # the negation at the end
        ("dataSaleOptOut", "Customer", "third_party_consent", True),
        ("email_opt_out", "customers", "email_opt_out", False),
        ("DoNotUseCall", "Contact", "phone_marketing_consent", True),  # Creatio
        ("SuppressAllCalls", "Contact", "phone_marketing_consent", True),  # Siebel
        ("DEACTIVATED", "BLC_CUSTOMER", "is_active", True),
        ("deprovisioned", "users", "is_active", True),
        # round 15: catalog spellings of a consent's opposite were read as the consent itself
        ("nomail", "dp", "post_marketing_consent", True),  # DonorPerfect
        ("geen_post", "klanten", "post_marketing_consent", True),
        ("keine_werbung", "kunden", "post_marketing_consent", True),
        ("nicht_anrufen", "kunden", "phone_marketing_consent", True),
        ("no_valid_address", "constituents", "address_verified", True),  # Raiser's Edge NXT
    ],
)
def test_inverted_flags_are_proposed_with_the_inversion_said(matcher, column, table, want, inverted):
    best = matcher.match(column, table, "bit", limit=1)[0]
    assert (best.attribute, best.inverted) == (want, inverted)
    assert ("opposite" in best.reason) == inverted


@pytest.mark.parametrize(
    ("column", "sql_type", "want"),
    [
        ("accepts_email", "tinyint(1)", "email_marketing_consent"),  # the consent, not the e-mail address
        ("email_marketing_status", "varchar(20)", "email_marketing_consent"),  # the state of the consent
        ("smsMarketingConsentMarketingState", "varchar(20)", "sms_marketing_consent"),
        ("emailMarketingConsentUpdatedAt", "datetime", "consent_date"),
        ("subscriptions_email_marketing_timestamp", "timestamp", "consent_date"),
        ("sms_opt_in_source", "varchar(50)", "consent_source"),
        ("marketing_opt_in_ip", "varchar(45)", "consent_ip"),
        ("Unsubscribed_Time", "datetime", "consent_withdrawn_date"),
        ("opted_out_at", "datetime", "consent_withdrawn_date"),
    ],
)
def test_what_a_consent_column_says_of_the_consent(matcher, column, sql_type, want):
    best = matcher.best(column, "customers", sql_type)
    assert best is not None and best.attribute == want, (column, best)
    # read from the words' roles, not guessed: proposed at the top of the review band or accepted, as the
    # calibration of such readings on the tune part says (a consent read wrong is a privacy matter: since round 12
    # they are held just below 0.9 for a person to confirm)
    # (round 14: readings resting on a consent rule that some labelled systems contradict sit a little lower,
    # at what their record says, with the record in the reason)
    assert best.confidence >= 0.85 or (best.support == 0 and best.confidence >= 0.75), best


def test_a_consent_is_never_accepted_without_a_person(matcher):
    """Round 14: with the calibration fitted on the readings whose ground no labelled system contradicts, a
    do-not flag of a suite's contact table calibrated at 0.93; a consent read from a column (or its inversion)
    is a privacy matter, so whatever the calibration says it is held for review with the reason."""
    for column, table, want in (
        ("DoNotCall", "Contact", "phone_marketing_consent"),
        ("accepts_marketing", "customers", "email_marketing_consent"),
        ("HasOptedOutOfEmail", "Contact", "email_opt_out"),
    ):
        best = matcher.best(column, table, "bit")
        assert best is not None and best.attribute == want, (column, best)
        assert best.confidence < 0.9, best
    uncapped = ColumnMatcher.from_catalog(calibration=None).best("DoNotCall", "Contact", "bit")
    assert uncapped.confidence >= 0.9  # the words alone read it surely
    held = matcher.best("DoNotCall", "Contact", "bit")
    assert held.inverted and (CONSENT_NOTE in held.reason or held.confidence < 0.895)


def test_consent_words_without_a_channel_or_about_asking_are_no_consent_detail():
    from needsmap.imports.column_evidence import consent_detail

    for name in (
        "subscription_start_date",
        "invitation_accepted_at",
        "email_status",
        "double_opt_in_email_sent_date",
        "unsubscribed_from_emails",  # 'from' the channel, not where the consent came from
    ):
        assert consent_detail(name_tokens(name)) is None, name


def test_a_bare_link_is_checked_not_accepted(matcher):
    """``url`` alone says the value is a link, not whose: a record's own address in an API export as often as
    the customer's web site."""
    best = matcher.best("url", "users", "varchar(255)")
    assert best is not None and best.attribute == "website" and best.confidence < 0.9
    assert matcher.best("website", "users", "varchar(255)").confidence >= 0.9


def test_a_reading_with_a_rival_is_checked_not_accepted(matcher):
    """When another attribute is read from the name nearly as well (the last activity: the last contact, or
    an interaction), the best one is proposed for review, below the automatic acceptance, and says so; a
    rival from a generic word (``address`` of ``email_address``) does not count."""
    from needsmap.imports.column_match import RIVALLED_CAP

    found = matcher.match("last_interaction_date", "persons", "date", limit=2)
    assert [c.attribute for c in found] == ["last_contact_date", "interaction_date"]
    assert found[0].confidence <= RIVALLED_CAP < 0.9
    assert "'interaction_date' fits nearly as well: check" in found[0].reason
    assert matcher.match("last_interaction_date", "persons", "date", limit=1)[0].confidence == found[0].confidence
    email = matcher.best("email_address", "contacts", "varchar(200)")
    assert email.attribute == "email" and email.confidence >= 0.9
    uncalibrated = ColumnMatcher.from_catalog(calibration=None)  # what the calibration is fitted on: raw scores
    assert uncalibrated.best("last_interaction_date", "persons", "date").confidence > RIVALLED_CAP


def test_a_guess_nothing_confirms_is_not_proposed():
    """A reread of the words or a near spelling that no labelled system confirms (``gndr``: an abbreviation
    written down, never seen in a labelled system) is not proposed at all: on three parts measured unseen such
    guesses were right 15 times in 42, and 16 of the 27 others were columns of the software itself. Once two labelled
    systems confirm what it rests on, it is proposed."""
    raw = ColumnMatcher.from_catalog(calibration=None).best("gndr", "customers", "char(1)")
    assert raw is not None and raw.attribute == "gender" and raw.evidence in ("reread", "fuzzy") and raw.support_keys
    assert ColumnMatcher.from_catalog().best("gndr", "customers", "char(1)") is None
    confirmed = {key: frozenset({"one", "two"}) for key in raw.support_keys}
    assert ColumnMatcher.from_catalog(support=confirmed).best("gndr", "customers", "char(1)").attribute == "gender"


def test_an_attribute_the_calibration_was_often_wrong_about_is_held_for_review(matcher):
    """``initials`` read as the person's initials is right by its name, yet systems use the word for an
    avatar's letters: the calibration's accepts of it on the tune part were right too rarely, so it is held
    below 0.9 with its record in the reason; without the record it would be accepted."""
    from needsmap.imports.column_evidence import UNSURE_LEVEL, unsure_note

    right, accepted = UNSURE_ATTRIBUTES["initials"]
    assert (right + 0.25) / (accepted + 0.5) < UNSURE_LEVEL
    held = matcher.best("initials", "contacts", "varchar(10)")
    assert held.attribute == "initials" and held.confidence == UNSURE_CAP < 0.9
    assert unsure_note("initials", (right, accepted)) in held.reason
    free = ColumnMatcher.from_catalog(unsure={}).best("initials", "contacts", "varchar(10)")
    assert free.attribute == "initials" and free.confidence >= 0.9
    assert "email" not in UNSURE_ATTRIBUTES and matcher.best("email", "contacts", "varchar(255)").confidence >= 0.9


def test_a_name_glued_together_is_read_as_the_words_it_is_made_of():
    from needsmap.imports.column_readings import split_glued

    words = frozenset({"transaction", "currency", "id", "master", "billing", "postal", "code", "trans", "action"})
    assert split_glued("transactioncurrencyid", words) == ("transaction", "currency", "id")  # fewest words
    assert split_glued("masterid", words) == ("master", "id")
    assert split_glued("billingpostalcode", words) == ("billing", "postal", "code")
    assert split_glued("currency", words) is None  # one word
    assert split_glued("delinquent", words) is None  # not made of known words


# ------------------------------------------------------------------ the table as evidence


def _proposals(*tables: SchemaTable) -> dict:
    return {p.key: p for p in propose(tables, ColumnMatcher.from_catalog())}


def test_title_is_the_salutation_beside_a_job_title_or_when_too_short_for_one():
    found = _proposals(
        schema_table("leads", ("title", "varchar(191)"), ("position", "varchar(191)")),
        schema_table("contacts", ("title", "varchar(100)")),
        schema_table("BUT000", ("TITLE", "nvarchar(4)")),
    )
    assert found["leads.title"].attribute == "salutation"
    assert "job-title column" in found["leads.title"].reason
    assert found["contacts.title"].attribute == "job_title"
    assert found["BUT000.TITLE"].attribute == "salutation"


def test_an_address_in_one_column_is_the_whole_address_when_the_table_has_no_parts_or_has_them_apart():
    found = _proposals(
        schema_table("persons", ("name", "varchar(255)"), ("mailing_address", "varchar(255)")),
        schema_table(
            "organizations",
            ("address", "varchar(255)"),
            ("address_locality", "varchar(255)"),
            ("address_postal_code", "varchar(32)"),
        ),
        schema_table("customers", ("address", "varchar(255)"), ("city", "varchar(100)"), ("zip", "varchar(10)")),
    )
    assert found["persons.mailing_address"].attribute == "full_address"
    assert "no city or postal code" in found["persons.mailing_address"].reason
    assert found["organizations.address"].attribute == "full_address"
    assert "its parts are columns of their own" in found["organizations.address"].reason
    assert found["customers.address"].attribute == "street_address"  # beside city and postal code: the street


def test_keys_and_bookkeeping_are_read_from_the_table():
    found = _proposals(
        schema_table("contacts", ("id", "char(36)"), ("date_entered", "datetime")),
        schema_table("accounts", ("id", "char(36)")),
        schema_table("users", ("id", "int")),
        schema_table(
            "customer_address_entity", ("entity_id", "int"), ("parent_id", "int"), ("created_at", "timestamp")
        ),
        schema_table("email_addresses", ("id", "char(36)"), ("deleted", "tinyint(1)")),
        schema_table("customer_groups", ("id", "int"), ("name", "varchar(50)")),
        schema_table("conversations", ("uuid", "uuid"), ("created_at", "timestamp")),
    )
    assert found["contacts.id"].attribute == "crm_contact_id"
    assert found["accounts.id"].attribute == "crm_account_id"
    assert found["users.id"].attribute == "customer_id"
    # a child row's own key and bookkeeping are not the customer's; its parent key is the customer's key
    assert found["customer_address_entity.entity_id"].attribute is None
    assert found["customer_address_entity.parent_id"].attribute == "customer_id"
    assert found["customer_address_entity.created_at"].attribute is None
    assert found["email_addresses.deleted"].attribute is None
    assert found["contacts.date_entered"].attribute == "record_created_at"
    # a group table's key and name are the segment; a conversation's own key is the conversation's, and its
    # creation is when the interaction happened
    assert found["customer_groups.id"].attribute == "customer_segment"
    assert found["customer_groups.name"].attribute == "customer_segment"
    assert found["conversations.uuid"].attribute is None
    assert found["conversations.created_at"].attribute == "interaction_date"


def test_the_column_type_says_what_a_flag_is(matcher):
    """MySQL's ``tinyint`` and Frappe's ``int`` checks are yes/no columns when the name says yes or no; a
    yes/no ``status`` is whether the row is active; a date named like a flag is a date."""
    suspended = matcher.best("is_suspended", "customers", "tinyint")
    assert suspended is not None and (suspended.attribute, suspended.inverted) == ("is_active", True)
    assert suspended.confidence >= 0.75
    status = matcher.best("status", "customers", "tinyint(1)")
    assert status is not None and status.attribute == "is_active"
    assert matcher.best("status", "customers", "varchar(20)").attribute == "customer_status"
    registered = matcher.best("registered", "ost_user_account", "timestamp")
    assert registered is not None and registered.attribute == "customer_since"
    assert matcher.best("registered", "users", "tinyint(1)").attribute == "is_guest"


def test_an_address_row_says_its_kind_and_whether_it_is_the_preferred_one():
    found = _proposals(
        schema_table(
            "addresses",
            ("is_billing", "tinyint"),
            ("use_for_shipping", "tinyint(1)"),
            ("is_primary_address", "int"),
            ("location_type_id", "int"),
        ),
    )
    assert found["addresses.is_billing"].attribute == "address_type"
    assert found["addresses.use_for_shipping"].attribute == "address_type"
    assert found["addresses.is_primary_address"].attribute == "contact_point_primary"
    assert found["addresses.location_type_id"].attribute == "address_type"


def test_an_interaction_table_holds_the_case_and_when_it_happened():
    found = _proposals(schema_table("ost_ticket", ("ticket_id", "int"), ("created", "datetime"), ("status_id", "int")))
    assert found["ost_ticket.ticket_id"].attribute == "case_number"
    assert found["ost_ticket.created"].attribute == "interaction_date"
    assert found["ost_ticket.status_id"].attribute == "case_status"


def test_a_column_of_the_software_says_why_it_is_left_out():
    found = _proposals(schema_table("Contact", ("CreatedById", "char(18)"), ("MANDT", "nvarchar(3)")))
    assert found["Contact.CreatedById"].attribute is None
    assert "a user of the software" in found["Contact.CreatedById"].reason
    assert "technical column" in found["Contact.MANDT"].reason


# ------------------------------------------------------------------ the enterprise suites through import ddl


@pytest.mark.parametrize(("system", "most_edits"), [("salesforce", 0.15), ("dynamics365", 0.2), ("sap", 0.2)])
def test_a_suite_schema_gives_a_review_file_an_architect_accepts_with_few_edits(
    runner, tmp_path, labelled, system, most_edits
):
    """The suite's tables as T-SQL DDL through ``needsmap import ddl --review``: the entries a person must
    change (a wrong automatic accept, a wrong proposal under review, a rejected customer column) are few;
    the right proposals left for review (a generic name such as ``Name``, a table's own key: readings whose
    confidence is calibrated below 0.9, since round 12 a do-not flag among them) need a glance and are at most
    three in ten, besides those held because no
    other labelled system confirms the suite's own spelling (``ORT01``, ``emailaddress1``: their reason says
    so; on the suite itself they are right, on a system nobody labelled a spelling confirmed once was right
    95% of the time), those that fewer than five other systems confirm (``MailingCity``: on unseen systems
    readings so confirmed were right 86% of the time) and those of an attribute the calibration's accepts
    were too often wrong about (the reason gives the record); the inverted flags say so in the file."""
    suite = next(s for s in labelled if s.system == system)
    sql = tmp_path / f"{system}.sql"
    sql.write_text(bench.ddl_of(suite), encoding="utf-8")
    review = tmp_path / "review.yaml"
    args = ["import", "ddl", str(sql), str(tmp_path / "ws.yaml"), "--system", system, "--dialect", "tsql"]
    args += ["--tables", ",".join(t.name for t in suite.tables)]  # SAP's ADR6 says nothing of customers by name
    result = runner.invoke(main, [*args, "--review", str(review)])
    assert result.exit_code == 0, result.output
    entries = yaml.safe_load(review.read_text(encoding="utf-8"))["proposals"]
    assert len(entries) == len(suite.expect)
    edits, glances, unconfirmed = [], [], []
    for e in entries:
        want = suite.expect[e["column"]]
        wrong = e["decision"] in ("accept", "review") and e["proposed"] not in want
        missed = e["decision"] == "reject" and want
        if wrong or missed:
            edits.append(e["column"])
        elif e["decision"] == "review" and any(
            note in e["reason"]
            for note in (
                ONCE_CONFIRMED_NOTE,
                UNCONFIRMED_NOTE,
                FEW_CONFIRMED_NOTE,
                "accepted without review were right",
                "labelled systems, wrong on",  # round 14: what it rests on reads some systems wrong
                CONSENT_NOTE,  # round 14: every consent read is confirmed by a person
            )
        ):  # held because few systems confirm the reading, or the attribute is often something else
            unconfirmed.append(e["column"])
        elif e["decision"] == "review":
            glances.append(e["column"])
    assert len(edits) <= most_edits * len(entries), edits
    assert len(glances) <= 0.3 * len(entries), glances  # round 12: a do-not flag is checked too (0.897)
    assert len(unconfirmed) + len(glances) + len(edits) < len(entries)  # something is accepted
    inverted = {e["column"] for e in entries if e.get("inverted")}
    assert inverted == {k for k in suite.inverted if k in {e["column"] for e in entries}}
    for e in entries:
        if e.get("inverted"):
            assert "opposite" in e["reason"]


def test_an_inverted_proposal_survives_the_review_file_and_says_so_in_the_plan(tmp_path):
    from needsmap.format import model as m
    from needsmap.imports.review import read_review, write_review
    from needsmap.imports.schema import plan_holdings

    proposals = propose(
        [schema_table("contacts", ("do_not_call", "tinyint(1)"), ("email", "varchar(255)"))],
        ColumnMatcher.from_catalog(),
    )
    assert [p.inverted for p in proposals] == [True, False]
    path = tmp_path / "review.yaml"
    write_review(path, proposals, source="crm.sql", system="crm", into=None, accept_above=0.9)
    assert path.read_text(encoding="utf-8").count("inverted: true") == 1
    back = read_review(path).proposals
    assert [p.inverted for p in back] == [True, False]
    plan = plan_holdings(m.Workshop(), back, system="crm", source="review.yaml")
    messages = [c.message for c in plan.changes if c.section == "holdings"]
    assert any("inverted" in msg for msg in messages)
    assert sum("inverted" in msg for msg in messages) == 1


def test_a_proposal_held_for_review_never_reads_as_accepted(runner, tmp_path):
    """A reading held just below the automatic acceptance (0.895: `DoNotCall`, a consent a person confirms) reads
    0.89 in the preview, not 0.90, which is what an accepted one reads."""
    from needsmap.imports.column_evidence import confidence_text

    assert [confidence_text(c) for c in (0.895, 0.9, 0.913, 0.29, 0.0)] == ["0.89", "0.90", "0.91", "0.29", "0.00"]
    sql = tmp_path / "crm.sql"
    sql.write_text("CREATE TABLE Contact (DoNotCall bit, Email nvarchar(80));\n", encoding="utf-8")
    args = ["import", "ddl", str(sql), str(tmp_path / "ws.yaml"), "--system", "crm", "--dialect", "tsql"]
    result = runner.invoke(main, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "review: phone_marketing_consent (0.89)" in result.output and "(0.90)" not in result.output
