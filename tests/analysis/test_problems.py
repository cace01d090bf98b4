"""Problems: the findings that share one root cause, grouped; and the order blocking errors first.

Each grouping has its positive case (the findings of one cause become one problem) and a near miss
(findings that only look alike stay apart): two findings about different attributes never share an
attribute problem, two flows into different systems never share a flow problem, and so on.
"""

from __future__ import annotations

import pytest

from needsmap.analysis.engine import UNSCORED_VALUE, Analysis, analyse
from needsmap.analysis.problems import Problem, at_least, counts, group
from needsmap.format.model import Workshop
from needsmap.format.opening import open_workshop
from needsmap.synthetic.builder import generate
from tests.analysis.conftest import build
from tests.conftest import DEMO


def problems_of(snippet: str, order: str = "blockers") -> tuple[Analysis, list[Problem]]:
    ws = build(snippet)
    analysis = analyse(ws)
    return analysis, group(analysis, ws, order)


def by_key(problems: list[Problem]) -> dict[str, Problem]:
    return {p.key: p for p in problems}


def rules(p: Problem) -> list[str]:
    return [g.rule for g in p.symptoms]


def assert_partition(analysis: Analysis, problems: list[Problem]) -> None:
    """Every finding is the symptom of exactly one problem, and the counts add up."""
    symptoms = [id(g) for p in problems for g in p.symptoms]
    assert sorted(symptoms) == sorted(id(g) for g in analysis.gaps)
    tally = counts(problems)
    assert sum(tally.values()) == len(problems)
    assert len({p.key for p in problems}) == len(problems)


# -- one attribute ------------------------------------------------------------------------------
POORLY_KEPT = """
functions: [sales, service]
stakeholders:
  - {id: sam, function: sales}
  - {id: sue, function: service}
attributes:
  - {id: phone, name: Mobile phone number}
  - {id: email, name: E-mail address, owner: sam}
systems:
  - {id: shop, holds: [{attribute: phone, quality: 2}, {attribute: email, quality: 2}]}
  - {id: desk, holds: [{attribute: phone, quality: 1}, {attribute: email, role: master, quality: 2}]}
processes:
  - id: sell
    owner: sam
    steps: [{system: shop, creates: [phone, email]}]
  - id: serve
    owner: sue
    steps: [{system: desk, updates: [phone]}]
use_cases:
  - {id: call, value: 4, owner: sue, executes_in: [desk], needs: [phone]}
  - {id: text, value: 2, owner: sue, executes_in: [desk], needs: [phone]}
  - {id: mail, value: 5, owner: sam, executes_in: [desk], needs: [email]}
"""


def test_the_findings_about_one_attribute_are_one_problem():
    analysis, problems = problems_of(POORLY_KEPT)
    phone = by_key(problems)["attribute:phone"]
    assert rules(phone) == ["low-quality", "no-master", "no-owner", "contested"]
    assert phone.title == "Mobile phone number is poorly kept: low quality, no master, no owner, owner contested"
    assert phone.severity == "warning" and not phone.blocks
    # one cause counted once: the impact is that of the two use cases, not of the four findings
    assert phone.use_cases == ("call", "text")
    assert phone.impact == 4 + 2
    assert sum(g.impact for g in phone.symptoms) == 4 * (4 + 2)
    assert_partition(analysis, problems)


def test_findings_about_different_attributes_are_never_grouped():
    """E-mail is also of low quality everywhere, but its problem is its own."""
    analysis, problems = problems_of(POORLY_KEPT)
    found = by_key(problems)
    assert rules(found["attribute:email"]) == ["low-quality"]
    assert found["attribute:email"].use_cases == ("mail",)
    assert all(
        len({i for g in p.symptoms for k, i in g.subjects if k == "attribute"}) == 1
        for p in problems
        if p.kind == "attribute"
    )
    assert_partition(analysis, problems)


# -- the owner question --------------------------------------------------------------------------
ADDRESS = """
functions: [sales, finance]
stakeholders:
  - {id: sam, function: sales}
  - {id: bas, function: finance}
  - {id: fay, function: finance}
attributes:
  - {id: street, name: Street, entity: address, owner: bas}
  - {id: zip, name: Postal code, entity: address, owner: bas}
  - {id: city, name: City, entity: address, owner: fay}
  - {id: vat, name: VAT number, entity: organization, owner: bas}
systems:
  - {id: crm, holds: [{attribute: street, role: master}, {attribute: zip, role: master},
                      {attribute: city, role: master}, {attribute: vat, role: master}]}
processes:
  - id: onboard
    owner: sam
    steps: [{system: crm, creates: [street, zip, city, vat]}]
use_cases:
  - {id: invoice, value: 3, owner: bas, executes_in: [crm], needs: [street, zip, vat]}
  - {id: visit, value: 5, owner: sam, executes_in: [crm], needs: [city]}
"""


def test_one_owner_question_for_the_attributes_of_one_entity():
    """bas (finance) owns street and postal code but only sales writes them: one question to settle."""
    analysis, problems = problems_of(ADDRESS)
    found = by_key(problems)
    address = found["owners:address:bas"]
    assert rules(address) == ["contested", "contested"]
    assert {a for g in address.symptoms for a in g.subject_ids("attribute")} == {"street", "zip"}
    assert address.title == (
        "Ownership of address data (Street, Postal code) is contested: owned by bas (finance), written by sales"
    )
    # near misses: the same entity with another owner, the same owner on another entity
    assert {a for g in found["owners:address:fay"].symptoms for a in g.subject_ids("attribute")} == {"city"}
    assert found["owners:organization:bas"].title.startswith("Ownership of VAT number is contested")
    assert_partition(analysis, problems)


def test_an_attribute_with_other_findings_keeps_its_owner_findings():
    """Nobody owns phone or fax: fax has nothing else wrong, phone is also of low quality."""
    analysis, problems = problems_of(
        """
        attributes:
          - {id: phone, entity: contact_point}
          - {id: fax, entity: contact_point}
          - {id: pager, entity: contact_point}
        systems:
          - {id: crm, holds: [{attribute: phone, quality: 1, role: master}, {attribute: fax, role: master},
                              {attribute: pager, role: master}]}
        use_cases:
          - {id: call, executes_in: [crm], needs: [phone, fax, pager]}
        """
    )
    found = by_key(problems)
    assert rules(found["attribute:phone"]) == ["low-quality", "no-owner"]
    nobody = found["owners:contact_point:"]
    assert sorted(a for g in nobody.symptoms for a in g.subject_ids("attribute")) == ["fax", "pager"]
    assert nobody.title.startswith("Nobody owns contact point data (")
    assert nobody.impact == UNSCORED_VALUE  # one use case, counted once
    assert_partition(analysis, problems)


# -- flows -------------------------------------------------------------------------------------------
FLOWS = """
attributes: [{id: email}, {id: city}]
systems:
  - {id: shop, holds: [email, city]}
  - {id: mailer}
  - {id: pos}
processes:
  - id: mailing
    steps: [{system: mailer, reads: [email]}]
use_cases:
  - {id: news, value: 2, executes_in: [mailer], needs: [email, city]}
  - {id: promo, value: 4, executes_in: [mailer], needs: [email]}
  - {id: till, value: 1, executes_in: [pos], needs: [email]}
"""


def test_one_attribute_missing_in_one_system_is_one_problem():
    analysis, problems = problems_of(FLOWS)
    found = by_key(problems)
    flow = found["flow:email:mailer"]
    # two use cases, and the process step that reads e-mail in the mailer that does not hold it
    assert rules(flow) == ["unreachable", "unreachable", "step-not-held"]
    assert set(flow.use_cases) == {"news", "promo"} and flow.impact == 2 + 4
    assert flow.title == "email never reaches mailer, where a process step uses it"
    assert flow.severity == "error" and flow.blocks
    # near misses: the same attribute into another system, another attribute into the same system
    assert rules(found["flow:email:pos"]) == ["unreachable"]
    assert rules(found["flow:city:mailer"]) == ["unreachable"]
    assert_partition(analysis, problems)


def test_a_step_in_a_system_no_flow_problem_names_stays_its_own():
    analysis, problems = problems_of(
        """
        attributes: [{id: email}]
        systems:
          - {id: shop, holds: [email]}
          - {id: mailer, holds: [email]}
          - {id: pos}
        processes:
          - id: till
            steps: [{system: pos, reads: [email]}]
        use_cases:
          - {id: news, executes_in: [mailer], needs: [email]}
        """
    )
    found = by_key(problems)
    assert "step:till:1" in found and not any(p.kind == "flow" for p in problems)
    assert_partition(analysis, problems)


# -- silos -----------------------------------------------------------------------------------------
SILO = """
channels: [web, store, chat]
attributes:
  - {id: cid, identifier: true}
  - {id: cookie, identifier: true}
  - {id: visits}
systems:
  - {id: crm, holds: [cid]}
  - {id: shop, holds: [cid]}
  - {id: tracker, holds: [cookie, visits]}
processes:
  - id: browse
    steps: [{system: tracker, channel: web, creates: [visits]}]
  - id: talk
    steps: [{system: crm, channel: chat, reads: [cid]}]
use_cases:
  - {id: retarget, executes_in: [tracker], channels: [web], needs: [visits]}
"""


def test_an_island_and_the_anonymous_channel_writing_into_it_are_one_silo():
    analysis, problems = problems_of(SILO)
    found = by_key(problems)
    silo = found["silo:tracker"]
    assert rules(silo) == ["identity-island", "anonymous-channel"]
    assert silo.title == (
        "Customers cannot be recognised in tracker: no identifier shared with the other systems; "
        "customers anonymous on web"
    )
    # near miss: chat is anonymous too, but its step writes into the mainland
    assert rules(found["channel:chat"]) == ["anonymous-channel"]
    assert_partition(analysis, problems)


# -- order ---------------------------------------------------------------------------------------------
ORDERED = """
attributes: [{id: email}, {id: tier}]
systems:
  - {id: shop, holds: [{attribute: tier, quality: 1}]}
use_cases:
  - {id: small, value: 1, executes_in: [shop], needs: [email]}
  - {id: big1, value: 5, executes_in: [shop], needs: [tier]}
  - {id: big2, value: 5, executes_in: [shop], needs: [tier]}
"""


@pytest.mark.parametrize("order", ["blockers", "impact"])
def test_blocking_problems_first_unless_ordered_by_impact(order):
    analysis, problems = problems_of(ORDERED, order)
    held_nowhere = by_key(problems)["attribute:email"]
    assert held_nowhere.blocks and held_nowhere.impact == 1
    assert analysis.readiness["small"].status == "blocked"
    impacts = [p.impact for p in problems]
    if order == "blockers":
        assert problems[0] is held_nowhere
        assert [g.rule for g in analysis.gaps][0] == "missing-source"
    else:
        assert impacts == sorted(impacts, reverse=True) and problems[0] is not held_nowhere
    assert_partition(analysis, problems)


def test_an_error_that_blocks_no_use_case_is_not_a_blocker():
    """A should-need held nowhere is a warning; an island of needed data is an error, and blocks only a use case
    that runs on it or must have data held only there (here the use case runs on the mainland and could use it)."""
    snippet = """
        attributes: [{id: email}, {id: cookie, identifier: true}, {id: cid, identifier: true}]
        systems:
          - {id: crm, holds: [cid]}
          - {id: shop, holds: [cid]}
          - {id: tracker, holds: [cookie]}
        use_cases:
          - {id: mail, executes_in: [crm], needs: [{attribute: email, criticality: should},
             {attribute: cookie, criticality: could}]}
        """
    analysis, problems = problems_of(snippet)
    assert analysis.blocking == frozenset()
    island = next(g for g in analysis.gaps if g.rule == "identity-island")
    assert island.severity == "error" and not analysis.blocks(island)
    assert not any(p.blocks for p in problems)
    # run it on the island: identity blocks the use case, and the island's error is its blocker
    analysis, problems = problems_of(snippet.replace("executes_in: [crm]", "executes_in: [tracker]"))
    island = next(g for g in analysis.gaps if g.rule == "identity-island")
    assert analysis.readiness["mail"].parts["identity"] == "blocked" and analysis.blocks(island)


def test_at_least_keeps_the_problems_of_that_severity():
    _, problems = problems_of(ORDERED)
    assert {p.severity for p in at_least(problems, "error")} == {"error"}
    assert len(at_least(problems, "info")) == len(problems)


# -- the demo and a synthetic workshop -----------------------------------------------------------------
def _demo() -> tuple[Workshop, Analysis]:
    ws = open_workshop(DEMO).workshop
    assert ws is not None
    return ws, analyse(ws)


def test_demo_problems_start_with_the_blocking_errors():
    ws, analysis = _demo()
    problems = group(analysis, ws)
    assert_partition(analysis, problems)
    blocking = [p for p in problems if p.blocks]
    assert blocking and problems[: len(blocking)] == blocking
    assert all(p.severity == "error" for p in blocking)
    assert len(problems) < len(analysis.gaps)
    found = by_key(problems)
    assert rules(found["attribute:mobile_phone"]) == ["low-quality", "no-master", "no-owner", "contested"]
    address = found["owners:address:bas"]
    assert {a for g in address.symptoms for a in g.subject_ids("attribute")} == {
        "street_address",
        "postal_code",
        "city",
        "country",
    }


def test_as_dict_points_at_the_findings_shown():
    ws, analysis = _demo()
    phone = by_key(group(analysis, ws))["attribute:mobile_phone"]
    index = {g.key: i for i, g in enumerate(analysis.gaps)}
    doc = phone.as_dict(index)
    assert [analysis.gaps[i] for i in doc["gaps"]] == list(phone.symptoms)
    assert [f["rule"] for f in doc["findings"]] == rules(phone)
    assert phone.as_dict({})["gaps"] == []


def test_a_synthetic_workshop_partitions_cleanly():
    ws = generate("small", seed=3)
    analysis = analyse(ws)
    assert_partition(analysis, group(analysis, ws))
    assert_partition(analysis, group(analysis, ws, "impact"))
