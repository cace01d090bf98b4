"""The demo workshop, analysed: readiness worked out by hand, and every rule on show.

The table below was worked out by hand from workshops/omnichannel-retail.yaml
(following needs, holdings and feeds one by one; see
tests/data/demo_expectations.yaml for the reasoning behind each line).
"""

from __future__ import annotations

import pytest

from needsmap.analysis.engine import analyse
from needsmap.analysis.rules import RULES
from tests.conftest import DEMO, assert_opens_clean

# use case: (readiness, must-needs satisfied, must-needs, the attributes that decide it)
HAND_WORKED = {
    "welcome-journey": ("ready", 3, 3, set()),
    "cart-abandonment": ("at-risk", 2, 3, {"cart_items"}),  # stale: campaigns holds it daily, needed hourly
    "nbo-in-store": ("blocked", 1, 3, {"style_preference", "profiling_consent", "favourite_categories"}),
    "service-360": ("at-risk", 2, 3, {"mobile_phone", "last_order_date"}),
    "churn-prevention": ("at-risk", 3, 4, {"churn_score"}),
    "b2b-handover": ("at-risk", 5, 5, {"credit_limit", "payment_terms"}),
    "consent-management": ("blocked", 3, 4, {"consent_timestamp"}),
    "new-home-journey": ("blocked", 3, 4, {"moving_date", "household_size"}),
    "click-collect-notify": ("ready", 2, 2, set()),
    "social-lookalike": ("ready", 2, 2, set()),
    "points-liability": ("ready", 1, 1, set()),
    "nps-followup": ("blocked", 1, 2, {"nps_score"}),
    "b2b-credit-check": ("ready", 5, 5, set()),
    "birthday-offer": ("at-risk", 3, 4, {"date_of_birth"}),
    "ropo-attribution": ("blocked", 1, 2, {"web_visitor_id", "last_web_visit"}),
    "erasure-requests": ("at-risk", 0, 0, set()),  # no needs recorded
    "wishlist-in-store": ("at-risk", 1, 1, {"wishlist_items"}),
}


@pytest.fixture(scope="module")
def demo():
    ws = assert_opens_clean(DEMO)
    return ws, analyse(ws)


def test_every_use_case_is_in_the_hand_worked_table(demo):
    ws, _ = demo
    assert {u.id for u in ws.use_cases} == set(HAND_WORKED)


@pytest.mark.parametrize("use_case", sorted(HAND_WORKED))
def test_readiness_matches_the_hand_worked_table(demo, use_case):
    _, analysis = demo
    status, ok, total, deciding = HAND_WORKED[use_case]
    r = analysis.readiness[use_case]
    assert (r.status, r.must_satisfied, r.must_total) == (status, ok, total)
    named = {reason.split(" ", 1)[0] for reason in r.reasons} - {"no"}
    assert named == deciding


def test_demo_shows_every_rule(demo):
    _, analysis = demo
    assert set(analysis.by_rule()) == set(RULES)


def test_demo_readiness_mix_is_believable(demo):
    _, analysis = demo
    assert analysis.readiness_counts() == {"ready": 5, "at-risk": 7, "blocked": 5}


def test_top_gaps_are_the_ones_that_matter(demo):
    _, analysis = demo
    blocking = [g for g in analysis.gaps if analysis.blocks(g)]
    # first the errors that block a use case: a must-need of a blocked use case held nowhere or out of reach
    assert blocking and analysis.gaps[: len(blocking)] == blocking
    for g in blocking:
        assert g.severity == "error" and g.rule in ("missing-source", "unreachable")
        blocked = [analysis.readiness[u] for u in g.use_cases if analysis.readiness[u].status == "blocked"]
        assert any(
            ns.attribute in g.subject_ids("attribute") and ns.criticality == "must" and g.rule in ns.problems
            for r in blocked
            for ns in r.needs
        ), g.message
    top = analysis.gaps[0]
    assert (top.rule, top.subject_ids("attribute"), top.use_cases) == (
        "unreachable",
        ["profiling_consent"],
        ("nbo-in-store",),
    )
    # an error that does not block (the analytics island: readiness does not read identity) ranks by impact
    island = next(g for g in analysis.gaps if g.rule == "identity-island")
    assert island.severity == "error" and not analysis.blocks(island)
    # then by impact: e-mail consent mastered in two places puts the most use-case value at risk
    rest = analysis.gaps[len(blocking) :]
    assert (rest[0].rule, rest[0].subject_ids("attribute")) == ("many-masters", ["email_optin"])
    for part in (blocking, rest):
        impacts = [g.impact for g in part]
        assert impacts == sorted(impacts, reverse=True)


def test_order_impact_is_the_old_order(demo):
    """``order="impact"``: by impact alone, the blocking errors wherever their impact puts them."""
    _, analysis = demo
    by_impact = analysis.ordered("impact")
    assert sorted(by_impact, key=id) == sorted(analysis.gaps, key=id)
    impacts = [g.impact for g in by_impact]
    assert impacts == sorted(impacts, reverse=True)
    assert (by_impact[0].rule, by_impact[0].subject_ids("attribute")) == ("many-masters", ["email_optin"])
    first_error = next(i for i, g in enumerate(by_impact) if g.severity == "error")
    assert first_error > 0 and analysis.blocks(by_impact[first_error])
    assert analysis.ordered("blockers") == analysis.gaps
    with pytest.raises(ValueError, match="unknown order"):
        analysis.ordered("severity")
