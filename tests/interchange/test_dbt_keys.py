"""Which dbt tests the export writes: only those the workshop vouches for, never one that fails on correct data."""

from __future__ import annotations

import yaml

from needsmap.format import model as m
from needsmap.interchange.base import ExportInput, ExportOptions
from needsmap.interchange.dbt import export


def _tests(ws: m.Workshop) -> dict[str, list[str]]:
    files = export(ExportInput(ws), ExportOptions())
    out = {}
    for path, text in files.items():
        if path.startswith("models/sources/"):
            for source in yaml.safe_load(text)["sources"]:
                for table in source["tables"]:
                    for col in table["columns"]:
                        out[f"{table['name']}.{col['name']}"] = col.get("data_tests", [])
    return out


def _workshop(*holdings: m.Holding) -> m.Workshop:
    attrs = [
        m.Attribute("customer_no", "Customer number", type="id", identifier=True),
        m.Attribute("account_no", "Contract account number", type="id", identifier=True),
        m.Attribute("email", "E-mail", type="email", values=[]),
    ]
    return m.Workshop(attributes=attrs, systems=[m.System("billing", "Billing", holds=list(holdings))])


def test_the_one_identifier_a_system_masters_in_a_named_table_is_its_key():
    tests = _tests(
        _workshop(
            m.Holding("customer_no", field="customers.cust_no", role="master", coverage=1.0),
            m.Holding("email", field="customers.email", role="master"),
        )
    )
    assert tests == {"customers.cust_no": ["unique", "not_null"], "customers.email": []}


def test_two_mastered_identifiers_in_one_table_leave_its_grain_unknown_and_untested():
    tests = _tests(
        _workshop(
            m.Holding("customer_no", field="accounts.cust_no", role="master"),
            m.Holding("account_no", field="accounts.account_no", role="master"),
        )
    )
    assert tests == {"accounts.cust_no": [], "accounts.account_no": []}


def test_fields_recorded_without_a_table_are_never_tested():
    tests = _tests(_workshop(m.Holding("customer_no", role="master", coverage=1.0)))
    assert tests == {"billing.customer_no": []}


def test_a_copied_identifier_is_not_a_key():
    tests = _tests(_workshop(m.Holding("customer_no", field="contacts.cust_no", role="copy")))
    assert tests == {"contacts.cust_no": []}
