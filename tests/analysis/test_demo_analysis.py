"""The demo workshop, analysed: readiness worked out by hand, and every rule on show.

The table below was worked out by hand from workshops/omnichannel-retail.yaml
(following needs, holdings and feeds one by one; see
tests/data/demo_expectations.yaml for the reasoning behind each line).
"""

from __future__ import annotations

import pytest
import yaml

from needsmap.analysis.engine import analyse
from needsmap.analysis.rules import RULES
from tests.conftest import DATA, DEMO, ROOT, assert_opens_clean

# use case: (readiness, must-needs satisfied, must-needs, the attributes that decide the data part, the parts at
# the worst level).  Four-part readiness changed five lines of the data-only table (docs/rules.md "Use-case
# readiness"): welcome-journey and b2b-credit-check are at risk on process (their processes write e-mail and
# names into copies that no feed takes to the master: copy-never-reaches-master; b2b-onboarding also has a
# step-not-held), click-collect-notify and social-lookalike on consent (they contact people on outbound
# channels with personal data, need no consent attribute and record no lawful basis: personal-without-consent
# is unknown consent, so at risk; the decision note about click-collect-notify is no lawful_basis field).
HAND_WORKED = {
    "welcome-journey": ("at-risk", 3, 3, set(), ("process",)),
    "cart-abandonment": ("at-risk", 2, 3, {"cart_items"}, ("data",)),  # stale: campaigns holds it daily
    "nbo-in-store": ("blocked", 1, 3, {"style_preference", "profiling_consent", "favourite_categories"}, ("data",)),
    "service-360": ("at-risk", 2, 3, {"mobile_phone", "last_order_date"}, ("data", "process")),
    "churn-prevention": ("at-risk", 3, 4, {"churn_score"}, ("data",)),
    "b2b-handover": ("at-risk", 5, 5, {"credit_limit", "payment_terms"}, ("data", "process")),
    "consent-management": ("blocked", 3, 4, {"consent_timestamp"}, ("data",)),
    "new-home-journey": ("blocked", 3, 4, {"moving_date", "household_size"}, ("data",)),
    "click-collect-notify": ("at-risk", 2, 2, set(), ("consent",)),
    "social-lookalike": ("at-risk", 2, 2, set(), ("consent",)),
    "points-liability": ("ready", 1, 1, set(), ()),
    # nps_score is held only in survey, which holds no identifier: identity blocks it too
    "nps-followup": ("blocked", 1, 2, {"nps_score"}, ("data", "identity")),
    "b2b-credit-check": ("at-risk", 5, 5, set(), ("process",)),
    "birthday-offer": ("at-risk", 3, 4, {"date_of_birth"}, ("data",)),
    # web_visitor_id is held only in analytics, an island: identity blocks it too
    "ropo-attribution": ("blocked", 1, 2, {"web_visitor_id", "last_web_visit"}, ("data", "identity")),
    "erasure-requests": ("at-risk", 0, 0, set(), ("data",)),  # no needs recorded
    "wishlist-in-store": ("at-risk", 1, 1, {"wishlist_items"}, ("data",)),
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
    ws, analysis = demo
    status, ok, total, deciding, because = HAND_WORKED[use_case]
    r = analysis.readiness[use_case]
    assert (r.status, r.must_satisfied, r.must_total, r.because) == (status, ok, total, because)
    by_name = sorted(((a.name, a.id) for a in ws.attributes), key=lambda na: -len(na[0]))  # longest name first
    named = {
        next(ident for name, ident in by_name if reason.startswith(name + " "))
        for part, reason in r.why
        if part == "data" and reason != "no needs recorded"
    }
    assert named == deciding


def test_demo_shows_every_rule_but_the_newest(demo):
    """The demo shows every rule except those about facts it does not record (lawful bases, special
    categories, what an identifier identifies, holdings' inputs); the two newer workshops show those."""
    _, analysis = demo
    shown = set(analysis.by_rule())
    for other in (ROOT / "workshops" / "water-utility.yaml", ROOT / "workshops" / "health-insurer.yaml"):
        shown |= set(analyse(assert_opens_clean(other)).by_rule())
    assert shown == set(RULES)
    assert set(RULES) - set(analysis.by_rule()) <= NOT_IN_THE_DEMO


#: Rules the demo (written before the fields they read) does not trigger.
NOT_IN_THE_DEMO = {
    "consent-mismatch",
    "special-category-without-basis",
    "feed-without-source",
    "non-person-identifier",
    "no-executes-in",
}


def test_demo_readiness_mix_is_believable(demo):
    _, analysis = demo
    assert analysis.readiness_counts() == {"ready": 1, "at-risk": 11, "blocked": 5}


def test_top_gaps_are_the_ones_that_matter(demo):
    _, analysis = demo
    blocking = [g for g in analysis.gaps if analysis.blocks(g)]
    # first the errors that block a use case: a must-need of a blocked use case held nowhere or out of reach
    assert blocking and analysis.gaps[: len(blocking)] == blocking
    for g in blocking:
        assert g.severity == "error" and g.rule in ("missing-source", "unreachable", "identity-island")
        blocked = [analysis.readiness[u] for u in g.use_cases if analysis.readiness[u].status == "blocked"]
        if g.rule == "identity-island":  # the island blocks the identity part of a blocked use case
            assert any(set(g.subject_ids("system")) & set(r.islands) for r in blocked), g.message
            continue
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
    # the analytics island blocks ropo-attribution's identity part (web_visitor_id is held only there)
    island = next(g for g in analysis.gaps if g.rule == "identity-island")
    assert island.severity == "error" and analysis.blocks(island)
    assert analysis.readiness["ropo-attribution"].islands == ("analytics",)
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


def test_the_reasoning_file_agrees_with_the_table():
    """tests/data/demo_expectations.yaml explains each line of the table; the two never drift apart."""
    doc = yaml.safe_load((DATA / "demo_expectations.yaml").read_text(encoding="utf-8"))
    for entry in doc["use_cases"]:
        status, _, _, _, because = HAND_WORKED[entry["id"]]
        written = [] if entry["because"] == "none" else entry["because"]
        assert (entry["readiness"], set(written)) == (status, set(because)), entry["id"]
    counts = {s: sum(1 for v in HAND_WORKED.values() if v[0] == s) for s in ("ready", "at-risk", "blocked")}
    assert doc["summary"] == counts
