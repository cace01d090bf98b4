"""Round 16 of column matching (held-out-16 read): rows that belong to the customer but are not the customer
(a means of payment, an identity document, an account elsewhere, an appointment), objects on a flattened path,
Salesforce Data Cloud's objects and the has-opted-out flags. Each case was read otherwise before round 16."""

from __future__ import annotations

import pytest

from needsmap.imports.column_match import ColumnMatcher
from needsmap.imports.schema import propose
from tests.imports.conftest import schema_table


@pytest.fixture(scope="module")
def matcher() -> ColumnMatcher:
    return ColumnMatcher.from_catalog()


@pytest.mark.parametrize(
    ("column", "table", "sql_type"),
    [
        # a means of payment's own key, state, bookkeeping and issuer
        ("id", "credit_card_payment_profiles", "integer"),
        ("verified", "bank_account_payment_profiles", "boolean"),
        ("created_at", "customer_bank_accounts", "timestamp"),
        ("country_code", "customer_bank_accounts", "varchar(2)"),
        ("expirationDate", "cards", "date"),
        # an identity document's issuer, an account elsewhere
        ("country", "customer_identifications", "varchar(2)"),
        ("country", "customer_kyc_documents", "varchar(2)"),
        ("created", "customer_identity_accounts", "timestamp"),
        # objects on a path: their dates and keys are theirs
        ("cancellation.created_at", "invitees", "timestamp"),
        ("phone_numbers[0].updated_at", "contacts", "timestamp"),
        ("PrimaryPhone.Id", "constituents", "integer"),
        ("groups[0].$ref", "User", "varchar(255)"),
        # an appointment's end and place, a ticket's assignee
        ("end_time", "scheduled_events", "timestamp"),
        ("location", "appointments", "varchar(255)"),
        ("assignee", "tickets", "varchar(255)"),
        # the scope and the source of a Data Cloud record
        ("ssot__InternalOrganizationId__c", "ssot__Individual__dlm", "varchar(255)"),
        ("ssot__ExternalSourceId__c", "ssot__Individual__dlm", "varchar(255)"),
        # users of the software, another person, a link to an event
        ("activatedon_userid", "m_client", "bigint"),
        ("AuditUserID", "tblInsuree", "integer"),
        ("manager", "contacts", "varchar(255)"),
        ("event", "invitees", "varchar(255)"),
    ],
)
def test_what_is_not_the_customers_is_not_proposed(matcher, column, table, sql_type):
    assert matcher.best(column, table, sql_type) is None, (column, table)


@pytest.mark.parametrize(
    ("column", "table", "sql_type", "want"),
    [
        ("account_number", "customer_bank_accounts", "varchar(34)", "iban"),
        ("account_name", "customer_authorizations", "varchar(255)", "full_name"),
        ("brand", "customer_authorizations", "varchar(20)", "payment_card_last_digits"),
        ("billing_city", "credit_card_payment_profiles", "varchar(100)", "city"),  # the billing address stays
        ("start_time", "scheduled_events", "timestamp", "interaction_date"),
        ("datetime", "appointments", "timestamp", "interaction_date"),
        ("number", "tickets", "integer", "case_number"),
        ("meta.timestamps.created_at", "customers", "timestamp", "record_created_at"),  # bookkeeping: the record's
        ("ssot__CreatedDate__c", "ssot__Individual__dlm", "timestamp", "record_created_at"),
        ("createDateTime", "accounts", "bigint", "record_created_at"),  # Unix milliseconds
        ("segments", "people", "jsonb", "customer_segment"),
        ("size", "accounts", "integer", "number_of_employees"),
        ("linkedInSlug", "prospects", "varchar(255)", "linkedin_profile"),
        ("stackOverflowUrl", "prospects", "varchar(255)", "social_media_handle"),
        ("region_text", "customer_addresses", "varchar(255)", "region"),
        ("name", "invitees", "varchar(255)", "full_name"),
    ],
)
def test_what_such_rows_and_paths_do_hold_is_read(matcher, column, table, sql_type, want):
    found = matcher.best(column, table, sql_type)
    assert found is not None and found.attribute == want, (column, found)


@pytest.mark.parametrize(
    ("column", "want"),
    [
        ("ssot__HasOptedOutProfiling__c", "profiling_consent"),
        ("HasOptedOutTracking", "profiling_consent"),
        ("HasOptedOutSolicit", "email_marketing_consent"),
        ("do_not_contact", "email_marketing_consent"),
    ],
)
def test_a_has_opted_out_flag_is_the_consent_inverted_and_a_person_confirms_it(matcher, column, want):
    found = matcher.best(column, "ssot__Individual__dlm", "boolean")
    assert found is not None and found.attribute == want and found.inverted, (column, found)
    assert found.confidence < 0.9 and "opposite" in found.reason


def test_a_title_beside_an_occupation_is_checked_and_beside_a_job_title_it_is_the_salutation(matcher):
    """Outreach's prospects hold a ``title`` (the job) and an ``occupation``: round 15 accepted the title as the
    salutation. Beside an occupation or a function it is now held for review; beside a job title (or a position)
    it is still the salutation, accepted."""
    found = {
        p.key: p
        for p in propose(
            [
                schema_table("prospects", ("title", "varchar(255)"), ("occupation", "varchar(255)")),
                schema_table("leads", ("title", "varchar(255)"), ("job_title", "varchar(255)")),
            ],
            matcher,
        )
    }
    held = found["prospects.title"]
    assert held.attribute == "salutation" and held.decision == "review" and held.confidence < 0.9
    assert "check" in held.reason
    sure = found["leads.title"]
    assert sure.attribute == "salutation" and sure.decision == "accept"
