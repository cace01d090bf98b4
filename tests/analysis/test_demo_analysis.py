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
    top = analysis.gaps[0]
    # e-mail consent mastered in two places puts the most use-case value at risk
    assert (top.rule, top.subject_ids("attribute")) == ("many-masters", ["email_optin"])
    impacts = [g.impact for g in analysis.gaps]
    assert impacts == sorted(impacts, reverse=True)
