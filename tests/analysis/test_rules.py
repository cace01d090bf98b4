"""The gap rules, one at a time, on small focused workshops.

Every rule of :data:`needsmap.analysis.rules.RULES` has at least one positive case (the
rule fires, with the expected subjects, severity, use cases and impact) and a
negative twin: the same workshop with one minimal edit (add the master, add the
feed, add the consent need...) after which the rule is silent.  Both are in
:data:`CASES`; ``test_every_rule_has_a_positive_and_a_negative_case`` keeps the
table in step with the catalogue.

The workshops are written as YAML snippets; :func:`build` (``tests/analysis/conftest.py``) fills in the
boilerplate (format version, names and titles, a short functions and channels
list) and insists that the result has no validation errors, so a test can never
pass because its workshop was silently broken.

Known bugs are marked ``xfail(strict=True)`` with the reason; fix the analysis
and the marker, together.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest

from needsmap.analysis.engine import UNSCORED_VALUE, Analysis, Gap, analyse
from needsmap.analysis.rules import RULES
from needsmap.format import saver
from needsmap.format.model import Workshop
from needsmap.format.opening import open_workshop
from tests.analysis.conftest import build
from tests.conftest import DEMO, assert_opens_clean

# -- helpers -------------------------------------------------------------------------


def run(snippet: str) -> Analysis:
    return analyse(build(snippet))


def gaps_of(snippet_or_analysis, rule: str) -> list[Gap]:
    a = snippet_or_analysis if isinstance(snippet_or_analysis, Analysis) else run(snippet_or_analysis)
    assert rule in RULES
    return [g for g in a.gaps if g.rule == rule]


def only(snippet_or_analysis, rule: str) -> Gap:
    found = gaps_of(snippet_or_analysis, rule)
    assert len(found) == 1, [(g.subjects, g.message) for g in found]
    return found[0]


def edit(snippet: str, old: str, new: str) -> str:
    """``snippet`` with the one occurrence of ``old`` replaced by ``new``."""
    assert snippet.count(old) == 1, f"{old!r} occurs {snippet.count(old)} times"
    return snippet.replace(old, new)


A = "attribute"
S = "system"
U = "use_case"


# -- the positive / negative table ------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    yaml: str
    fix: tuple[str, str]  # (old, new): the minimal edit after which the rule is silent
    severity: str
    subjects: tuple[tuple[str, str], ...]
    use_cases: tuple[str, ...] = ()
    impact: int = 0
    details: tuple[tuple[str, object], ...] = ()  # a subset of gap.details that must match


MISSING = """
attributes: [{id: email}]
systems: []
use_cases:
  - {id: mail, value: 4, needs: [{attribute: email, criticality: %s}]}
"""

_UNREACHABLE = """
attributes: [{id: email}, {id: city}]
systems:
  - {id: shop, holds: [email, city], feeds: [{to: crm, attributes: [email, city], frequency: daily}]}
  - {id: crm, holds: [city], feeds: [{to: mailer, attributes: [city]}]}
  - {id: mailer, holds: [city]}
use_cases:
  - {id: mail, value: 5, executes_in: [mailer], needs: [{attribute: email, criticality: %s}]}
"""

_STALE = """
attributes: [{id: email}]
systems:
  - id: crm
    holds: [{attribute: email, freshness: hourly}]
    feeds: [{to: mailer, attributes: [email], frequency: daily}]
  - {id: mailer}
use_cases:
  - id: mail
    value: 2
    executes_in: [mailer]
    needs: [{attribute: email, criticality: %s, freshness: hourly}]
"""

_UNKNOWN_FRESH = """
attributes: [{id: email}]
systems:
  - {id: crm, holds: [email]}
use_cases:
  - {id: mail, executes_in: [crm], needs: [{attribute: email, freshness: daily}]}
"""

_LOW_QUALITY = """
attributes: [{id: email}]
systems:
  - {id: shop, holds: [{attribute: email, role: master, quality: 2}]}
  - {id: crm, holds: [{attribute: email, quality: 1}]}
use_cases:
  - {id: mail, value: 5, needs: [email]}
  - {id: service, value: 1, needs: [{attribute: email, criticality: could}]}
"""

_LOW_COVERAGE = """
attributes: [{id: email}]
systems:
  - {id: shop, holds: [{attribute: email, role: master, coverage: 0.3}]}
  - {id: crm, holds: [{attribute: email, coverage: 0.45}]}
use_cases:
  - {id: mail, value: 2, needs: [email]}
"""

_NO_MASTER = """
attributes: [{id: email}]
systems:
  - {id: shop, holds: [email]}
  - {id: crm, holds: [{attribute: email, role: copy}]}
use_cases:
  - {id: mail, needs: [email]}
"""

_MANY_MASTERS = """
attributes: [{id: email}]
systems:
  - {id: shop, holds: [{attribute: email, role: master}]}
  - {id: crm, holds: [{attribute: email, role: master}]}
  - {id: dwh, holds: [email]}
"""

_DEFINITIONS = """
attributes: [{id: customer_since, type: date}]
systems:
  - {id: shop, holds: [{attribute: customer_since, role: master, definition: account created}]}
  - {id: club, holds: [{attribute: customer_since, definition: joined the club}]}
use_cases:
  - {id: winback, value: 5, needs: [customer_since]}
"""

_TYPES = """
attributes: [{id: phone, type: phone}]
systems:
  - {id: shop, holds: [{attribute: phone, role: master, type: string}]}
"""

_NO_OWNER = """
stakeholders: [{id: ann, function: marketing}]
attributes: [{id: email}]
use_cases:
  - {id: mail, owner: ann, value: 1, needs: [email]}
  - {id: news, owner: ann, needs: [email]}
"""

_CONTESTED = """
functions: [marketing, sales]
stakeholders: [{id: ann, function: marketing}, {id: bob, function: sales}]
attributes: [{id: phone}]
processes:
  - {id: signup, owner: ann, steps: [{creates: [phone]}]}
  - {id: checkout, owner: bob, steps: [{updates: [phone]}]}
"""

_CONTESTED_OWNER = """
functions: [marketing, sales]
stakeholders: [{id: ann, function: marketing}, {id: bob, function: sales}]
attributes: [{id: phone, owner: bob}]
processes:
  - {id: signup, owner: ann, steps: [{creates: [phone]}, {updates: [phone]}]}
"""

_ISLAND = """
attributes:
  - {id: cid, identifier: true}
  - {id: card, identifier: true}
  - {id: email}
systems:
  - {id: shop, holds: [cid, email]}
  - {id: erp, holds: [cid]}
  - {id: club, holds: [card, email]}
use_cases:
  - {id: mail, value: 2, executes_in: [club], needs: [%s]}
"""

_NO_IDENTIFIER = """
attributes: [{id: cid, identifier: true}, {id: email}]
systems:
  - {id: shop, holds: [cid, email]}
  - {id: mailer, holds: [email]}
use_cases:
  - {id: mail, value: 4, executes_in: [mailer], needs: [email]}
  - {id: report, value: 1, executes_in: [shop], needs: [cid]}
"""

_ANONYMOUS = """
attributes: [{id: cid, identifier: true}, {id: basket}]
systems:
  - {id: pos, holds: [cid, basket]}
use_cases:
  - {id: instore, value: 3, channels: [store], needs: [basket]}
processes:
  - id: sale
    steps:
      - {channel: store, system: pos, creates: [basket]}
"""

_STEP_NOT_HELD = """
attributes: [{id: cid, identifier: true}, {id: email}]
systems:
  - {id: shop, holds: [cid]}
use_cases:
  - {id: signup-uc, value: 5, processes: [signup], needs: [cid]}
processes:
  - id: signup
    steps:
      - {system: shop, creates: [cid]}
      - {system: shop, reads: [cid], updates: [email]}
"""

_UNREPRESENTED = """
functions: [marketing, sales]
stakeholders: [{id: ann, function: marketing}]
attributes: [{id: email, owner: ann}]
use_cases:
  - {id: leads, owner: ann, function: sales, value: 4, needs: [email]}
"""

_ABSENT_FUNCTION = """
functions: [marketing, sales]
stakeholders: [{id: ann, function: marketing}]
"""

_ORPHAN = """
stakeholders: [{id: ann, function: marketing}]
attributes: [{id: email}]
use_cases:
  - {id: mail, value: 2, needs: [email]}
"""

_WITHOUT_NEEDS = """
stakeholders: [{id: ann, function: marketing}]
attributes: [{id: email}]
use_cases:
  - {id: mail, owner: ann, needs: []}
"""

_UNUSED = """
attributes:
  - {id: email}
  - {id: shoe_size, sensitivity: personal}
systems:
  - {id: shop, holds: [shoe_size]}
use_cases:
  - {id: mail, needs: [email]}
"""

_CONSENT = """
attributes:
  - {id: email, sensitivity: personal}
  - {id: health_note, sensitivity: sensitive}
  - {id: segment}
  - {id: email_optin, entity: consent}
use_cases:
  - {id: mail, value: 5, channels: [email, store], needs: [email, segment]}
"""

_CONSENT_MISMATCH = """
channels: [email, sms]
attributes:
  - {id: cid, identifier: true}
  - {id: phone, sensitivity: personal}
  - {id: email_optin, entity: consent, purposes: [marketing], channels: [email]}
systems: [{id: crm, holds: [cid, phone, email_optin]}]
use_cases:
  - {id: calls, purpose: marketing, lawful_basis: consent, channels: [sms], executes_in: [crm],
     needs: [cid, phone, email_optin]}
"""

_SPECIAL = """
attributes:
  - {id: cid, identifier: true}
  - {id: diagnosis, special_category: true}
systems: [{id: claims, holds: [cid, diagnosis]}]
use_cases:
  - {id: fraud, lawful_basis: legitimate-interest, executes_in: [claims], needs: [cid, diagnosis]}
"""

_BEYOND_NEED = """
attributes:
  - {id: cid, identifier: true}
  - {id: diagnosis, special_category: true}
systems:
  - {id: claims, holds: [cid, {attribute: diagnosis, role: master}]}
  - {id: crm, holds: [cid, diagnosis]}
use_cases:
  - {id: assess, lawful_basis: contract, executes_in: [claims], needs: [cid, diagnosis]}
"""

_COPY_LOST = """
attributes:
  - {id: cid, identifier: true}
  - {id: email}
systems:
  - {id: crm, holds: [cid, {attribute: email, role: master}]}
  - {id: app, holds: [cid, email], feeds: [{to: crm, attributes: [cid]}]}
processes:
  - {id: self-service, steps: [{system: app, channel: web, updates: [email]}]}
"""

_FEED_NO_SOURCE = """
attributes:
  - {id: cid, identifier: true}
  - {id: flag}
systems:
  - {id: crm, holds: [cid, {attribute: flag, role: master}]}
  - {id: cis, holds: [cid], feeds: [{to: dwh, attributes: [cid, flag]}]}
  - {id: dwh, holds: [cid]}
"""

_NON_PERSON = """
attributes:
  - {id: cid, identifier: true}
  - {id: meter, identifies: device}
  - {id: reading}
systems:
  - {id: cis, holds: [cid, meter]}
  - {id: crm, holds: [cid]}
  - {id: mdm, holds: [meter, reading]}
"""

_NO_EXECUTES_IN = """
attributes: [{id: cid, identifier: true}]
systems: [{id: crm, holds: [cid]}]
use_cases:
  - {id: report, needs: [cid]}
"""

CASES: tuple[Case, ...] = (
    Case(
        "missing-source-must",
        "missing-source",
        MISSING % "must",
        ("systems: []", "systems: [{id: crm, holds: [email]}]"),
        "error",
        ((A, "email"),),
        ("mail",),
        4,
        (("criticality", "must"),),
    ),
    Case(
        "missing-source-should",
        "missing-source",
        MISSING % "should",
        ("systems: []", "systems: [{id: crm, holds: [email]}]"),
        "warning",
        ((A, "email"),),
        ("mail",),
        4,
        (("criticality", "should"),),
    ),
    Case(
        "missing-source-could",
        "missing-source",
        MISSING % "could",
        ("systems: []", "systems: [{id: crm, holds: [email]}]"),
        "info",
        ((A, "email"),),
        ("mail",),
        4,
        (("criticality", "could"),),
    ),
    Case(
        "stale-must",
        "stale",
        _STALE % "must",
        ("frequency: daily", "frequency: hourly"),
        "warning",
        ((U, "mail"), (A, "email")),
        ("mail",),
        2,
        (("path", ["crm", "mailer"]), ("path_freshness", "daily"), ("needed", "hourly")),
    ),
    Case(
        "stale-should",
        "stale",
        _STALE % "should",
        ("criticality: should, freshness: hourly", "criticality: should, freshness: daily"),
        "info",
        ((U, "mail"), (A, "email")),
        ("mail",),
        2,
        (("path_freshness", "daily"),),
    ),
    Case(
        "unknown-freshness",
        "unknown-freshness",
        _UNKNOWN_FRESH,
        ("holds: [email]", "holds: [{attribute: email, freshness: weekly}]"),
        "info",
        ((U, "mail"), (A, "email")),
        ("mail",),
        UNSCORED_VALUE,
        (("path", ["crm"]),),
    ),
    Case(
        "low-quality",
        "low-quality",
        _LOW_QUALITY,
        ("quality: 1", "quality: 3"),
        "warning",
        ((A, "email"),),
        ("mail", "service"),
        6,
        (("qualities", {"shop": 2, "crm": 1}),),
    ),
    Case(
        "low-coverage",
        "low-coverage",
        _LOW_COVERAGE,
        ("coverage: 0.45", "coverage: 0.5"),
        "warning",
        ((A, "email"),),
        ("mail",),
        2,
    ),
    Case(
        "unreachable-must",
        "unreachable",
        _UNREACHABLE % "must",
        ("attributes: [city]", "attributes: [city, email]"),
        "error",
        ((U, "mail"), (A, "email")),
        ("mail",),
        5,
        (("held_in", ["shop"]), ("reaches", ["crm"]), ("executes_in", ["mailer"])),
    ),
    Case(
        "unreachable-should",
        "unreachable",
        _UNREACHABLE % "should",
        ("attributes: [city]", "attributes: [city, email]"),
        "warning",
        ((U, "mail"), (A, "email")),
        ("mail",),
        5,
        (("criticality", "should"),),
    ),
    Case(
        "unreachable-could",
        "unreachable",
        _UNREACHABLE % "could",
        ("attributes: [city]", "attributes: [city, email]"),
        "info",
        ((U, "mail"), (A, "email")),
        ("mail",),
        5,
        (("criticality", "could"),),
    ),
    Case(
        "no-master",
        "no-master",
        _NO_MASTER,
        ("holds: [email]", "holds: [{attribute: email, role: master}]"),
        "warning",
        ((A, "email"),),
        ("mail",),
        UNSCORED_VALUE,
        (("held_in", ["shop", "crm"]),),
    ),
    Case(
        "no-master-derived",  # a derived holding computes the value: it is its source, no master needed
        "no-master",
        _NO_MASTER,
        ("{id: shop, holds: [email]}", "{id: shop, holds: [{attribute: email, role: derived}]}"),
        "warning",
        ((A, "email"),),
        ("mail",),
        UNSCORED_VALUE,
        (("held_in", ["shop", "crm"]),),
    ),
    Case(
        "consent-mismatch",
        "consent-mismatch",
        _CONSENT_MISMATCH,
        ("channels: [email]}", "channels: [email, sms]}"),
        "error",
        ((U, "calls"), (A, "email_optin")),
        ("calls",),
        UNSCORED_VALUE,
    ),
    Case(
        "special-category-without-basis",
        "special-category-without-basis",
        _SPECIAL,
        ("lawful_basis: legitimate-interest", "lawful_basis: contract"),
        "error",
        ((U, "fraud"), (A, "diagnosis")),
        ("fraud",),
        UNSCORED_VALUE,
    ),
    Case(
        "held-beyond-need",
        "held-beyond-need",
        _BEYOND_NEED,
        ("executes_in: [claims]", "executes_in: [claims, crm]"),
        "warning",
        ((S, "crm"), (A, "diagnosis")),
    ),
    Case(
        "copy-never-reaches-master",
        "copy-never-reaches-master",
        _COPY_LOST,
        ("attributes: [cid]}", "attributes: [cid, email]}"),
        "warning",
        (("process", "self-service"), (S, "app"), (A, "email")),
        (),
        0,
        (("step", 1), ("master", "crm")),
    ),
    Case(
        "feed-without-source",
        "feed-without-source",
        _FEED_NO_SOURCE,
        ("{id: cis, holds: [cid]", "{id: cis, holds: [cid, flag]"),
        "warning",
        ((S, "cis"), (A, "flag")),
        (),
        0,
        (("to", "dwh"),),
    ),
    Case(
        "non-person-identifier",
        "non-person-identifier",
        _NON_PERSON,
        ("{id: meter, identifies: device}", "{id: meter, identifies: person}"),
        "warning",
        ((A, "meter"),),
        (),
        0,
        (("identifies", "device"), ("links", ["mdm", "cis"])),
    ),
    Case(
        "no-executes-in",
        "no-executes-in",
        _NO_EXECUTES_IN,
        ("{id: report, needs", "{id: report, executes_in: [crm], needs"),
        "warning",
        ((U, "report"),),
        ("report",),
        UNSCORED_VALUE,
    ),
    Case(
        "many-masters",
        "many-masters",
        _MANY_MASTERS,
        ("id: crm, holds: [{attribute: email, role: master}]", "id: crm, holds: [{attribute: email}]"),
        "warning",
        ((A, "email"),),
        (),
        0,
        (("masters", ["shop", "crm"]),),
    ),
    Case(
        "definition-conflict",
        "definition-conflict",
        _DEFINITIONS,
        ("definition: joined the club", "definition: account created"),
        "warning",
        ((A, "customer_since"),),
        ("winback",),
        5,
    ),
    Case(
        "definition-conflict-type",
        "definition-conflict",
        _TYPES,
        ("type: string", "type: phone"),
        "warning",
        ((A, "phone"),),
        (),
        0,
        (("types", ["phone", "string"]),),
    ),
    Case(
        "no-owner",
        "no-owner",
        _NO_OWNER,
        ("{id: email}", "{id: email, owner: ann}"),
        "warning",
        ((A, "email"),),
        ("mail", "news"),
        1 + UNSCORED_VALUE,
    ),
    Case(
        "contested-no-owner",
        "contested",
        _CONTESTED,
        ("{id: phone}", "{id: phone, owner: bob}"),
        "warning",
        ((A, "phone"),),
        (),
        0,
        (("writing_functions", ["marketing", "sales"]),),
    ),
    Case(
        "contested-owner-never-writes",
        "contested",
        _CONTESTED_OWNER,
        ("owner: bob}", "owner: ann}"),
        "warning",
        ((A, "phone"), ("stakeholder", "bob")),
        (),
        0,
        (("writing_functions", ["marketing"]), ("owner_function", "sales")),
    ),
    Case(
        "identity-island-warning",
        "identity-island",
        _ISLAND % "cid",
        ("holds: [card, email]", "holds: [card, email, cid]"),
        "warning",
        ((S, "club"),),
        ("mail",),
        2,
        (("component", ["club"]), ("mainland", ["shop", "erp"])),
    ),
    Case(
        "identity-island-error",
        "identity-island",
        _ISLAND % "card",
        ("holds: [card, email]", "holds: [card, email, cid]"),
        "error",
        ((S, "club"),),
        ("mail",),
        2,
    ),
    Case(
        "no-identifier",
        "no-identifier",
        _NO_IDENTIFIER,
        ("holds: [email]", "holds: [email, cid]"),
        "warning",
        ((S, "mailer"),),
        ("mail",),
        4,
    ),
    Case(
        "anonymous-channel",
        "anonymous-channel",
        _ANONYMOUS,
        ("creates: [basket]", "creates: [basket, cid]"),
        "warning",
        (("channel", "store"),),
        ("instore",),
        3,
    ),
    Case(
        "step-not-held",
        "step-not-held",
        _STEP_NOT_HELD,
        ("holds: [cid]", "holds: [cid, email]"),
        "warning",
        (("process", "signup"), (S, "shop"), (A, "email")),
        ("signup-uc",),
        5,
        (("step", 2), ("actions", {"email": "updates"})),
    ),
    Case(
        "unrepresented-function-warning",
        "unrepresented-function",
        _UNREPRESENTED,
        ("[{id: ann, function: marketing}]", "[{id: ann, function: marketing}, {id: bob, function: sales}]"),
        "warning",
        (("function", "sales"),),
        ("leads",),
        4,
    ),
    Case(
        "unrepresented-function-info",
        "unrepresented-function",
        _ABSENT_FUNCTION,
        ("functions: [marketing, sales]", "functions: [marketing]"),
        "info",
        (("function", "sales"),),
        (),
        0,
    ),
    Case(
        "orphan-use-case",
        "orphan-use-case",
        _ORPHAN,
        ("{id: mail, value: 2", "{id: mail, owner: ann, value: 2"),
        "warning",
        ((U, "mail"),),
        ("mail",),
        2,
    ),
    Case(
        "use-case-without-needs",
        "use-case-without-needs",
        _WITHOUT_NEEDS,
        ("needs: []", "needs: [email]"),
        "warning",
        ((U, "mail"),),
        ("mail",),
        UNSCORED_VALUE,
    ),
    Case(
        "unused-attribute",
        "unused-attribute",
        _UNUSED,
        ("needs: [email]", "needs: [email, shoe_size]"),
        "info",
        ((A, "shoe_size"),),
        (),
        0,
        (("held_in", ["shop"]),),
    ),
    Case(
        "personal-without-consent-warning",
        "personal-without-consent",
        _CONSENT,
        ("needs: [email, segment]", "needs: [email, segment, {attribute: email_optin, criticality: could}]"),
        "warning",
        ((U, "mail"),),
        ("mail",),
        5,
        (("personal", ["email"]), ("sensitive", []), ("channels", ["email"])),
    ),
    Case(
        "personal-without-consent-error",
        "personal-without-consent",
        _CONSENT.replace("needs: [email, segment]", "needs: [email, segment, health_note]"),
        ("needs: [email, segment, health_note]", "needs: [email, segment, health_note, email_optin]"),
        "error",
        ((U, "mail"),),
        ("mail",),
        5,
        (("personal", ["email", "health_note"]), ("sensitive", ["health_note"])),
    ),
)


def _case_id(case: Case) -> str:
    return case.id


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_fires(case: Case):
    gap = only(case.yaml, case.rule)
    assert gap.severity == case.severity
    assert gap.subjects == case.subjects
    assert gap.use_cases == case.use_cases
    assert gap.impact == case.impact
    for key, value in case.details:
        assert gap.details[key] == value, key
    assert gap.code == RULES[case.rule].code
    assert gap.message and gap.action and gap.why
    assert gap.as_dict()["subjects"] == [{"kind": k, "id": i} for k, i in case.subjects]


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_rule_is_silent_after_the_fix(case: Case):
    fixed = edit(case.yaml, *case.fix)
    assert gaps_of(fixed, case.rule) == []


@pytest.mark.parametrize("slug", sorted(RULES))
def test_every_rule_has_a_positive_and_a_negative_case(slug: str):
    # Every case is both a positive test (test_rule_fires) and a negative one (its fix).
    assert slug in {c.rule for c in CASES}


def test_cases_name_only_known_rules_and_are_unique():
    assert {c.rule for c in CASES} == set(RULES)
    assert len({c.id for c in CASES}) == len(CASES)


def test_rule_catalogue_is_consistent():
    assert len(RULES) == 27
    codes = [r.code for r in RULES.values()]
    assert len(set(codes)) == len(codes)
    for slug, rule in RULES.items():
        assert rule.slug == slug
        assert rule.severity in ("error", "warning", "info")
        assert rule.title and rule.why and rule.fix


# -- missing-source --------------------------------------------------------------------


def test_missing_source_takes_the_worst_criticality_and_sums_the_impact():
    gap = only(
        """
        attributes: [{id: email}]
        use_cases:
          - {id: a, value: 5, needs: [{attribute: email, criticality: could}]}
          - {id: b, needs: [{attribute: email, criticality: must}]}
          - {id: c, value: 1, needs: [{attribute: email, criticality: should}]}
    """,
        "missing-source",
    )
    assert gap.severity == "error"
    assert gap.use_cases == ("a", "b", "c")
    assert gap.impact == 5 + UNSCORED_VALUE + 1


# -- unreachable: transitive feeds ------------------------------------------------------

_CHAIN = """
attributes: [{id: email}, {id: city}]
systems:
  - {id: a, holds: [{attribute: email, freshness: realtime}], feeds: [{to: b, attributes: [email], frequency: hourly}]}
  - {id: b, holds: [city], feeds: [{to: c, attributes: [city, email], frequency: realtime}]}
  - {id: c, holds: [city]}
use_cases:
  - {id: mail, executes_in: [c], needs: [{attribute: email, freshness: hourly}]}
"""


def test_a_chain_of_feeds_that_all_carry_the_attribute_reaches():
    a = run(_CHAIN)
    assert gaps_of(a, "unreachable") == []
    assert gaps_of(a, "stale") == []
    need = a.readiness["mail"].needs[0]
    assert need.path == ("a", "b", "c")
    assert need.path_freshness == "hourly"  # realtime holding, hourly hop, realtime hop
    assert need.problems == ()
    assert a.readiness["mail"].status == "ready"


def test_a_hop_that_does_not_carry_the_attribute_breaks_the_chain():
    broken = edit(_CHAIN, "attributes: [city, email]", "attributes: [city]")
    gap = only(broken, "unreachable")
    assert gap.subjects == ((U, "mail"), (A, "email"))
    assert gap.details["held_in"] == ["a"]
    assert gap.details["reaches"] == ["b"]  # the attribute gets as far as b
    assert "b" in gap.message


def test_a_broken_first_hop_reaches_nothing():
    broken = edit(_CHAIN, "attributes: [email], frequency: hourly", "attributes: [city], frequency: hourly")
    gap = only(broken, "unreachable")
    assert gap.details["reaches"] == []


def test_chain_freshness_is_its_slowest_hop():
    slow = edit(
        _CHAIN, "attributes: [city, email], frequency: realtime", "attributes: [city, email], frequency: weekly"
    )
    gap = only(slow, "stale")
    assert gap.details["path"] == ["a", "b", "c"]
    assert gap.details["path_freshness"] == "weekly"
    assert "a -> b -> c" in gap.message


def test_a_feed_into_one_of_several_executing_systems_is_enough():
    text = edit(_CHAIN, "executes_in: [c]", "executes_in: [c, d]")
    text = edit(text, "  - {id: c, holds: [city]}", "  - {id: c, holds: [city]}\n  - {id: d}")
    assert gaps_of(text, "unreachable") == []


def test_unreachable_suggests_the_existing_feed():
    gap = only(_UNREACHABLE % "must", "unreachable")
    # shop feeds crm, not mailer: no existing feed into mailer from a holder
    assert "Add a feed carrying 'email' from shop" in gap.action
    direct = edit(
        _UNREACHABLE % "must",
        "feeds: [{to: crm, attributes: [email, city], frequency: daily}]",
        "feeds: [{to: mailer, attributes: [city]}]",
    )
    gap = only(direct, "unreachable")
    assert "existing feed shop -> mailer" in gap.action


def test_without_executing_systems_the_holders_count():
    a = run("""
        attributes: [{id: email}]
        systems: [{id: crm, holds: [{attribute: email, freshness: daily}]}]
        use_cases: [{id: mail, needs: [{attribute: email, freshness: daily}]}]
    """)
    assert gaps_of(a, "unreachable") == []
    assert a.readiness["mail"].needs[0].path == ("crm",)


# -- stale and unknown freshness -------------------------------------------------------


def test_stale_holding_hourly_fed_daily_is_daily():
    gap = only(_STALE % "must", "stale")
    assert gap.details["path_freshness"] == "daily"
    assert "crm -> mailer" in gap.message


def test_stale_slow_holding_fast_feed_is_as_slow_as_the_holding():
    text = edit(_STALE % "must", "freshness: hourly}]\n    feeds", "freshness: weekly}]\n    feeds")
    text = edit(text, "frequency: daily", "frequency: realtime")
    gap = only(text, "stale")
    assert gap.details["path_freshness"] == "weekly"


def test_stale_on_the_holding_in_the_executing_system():
    gap = only(
        """
        attributes: [{id: stock}]
        systems: [{id: shop, holds: [{attribute: stock, freshness: daily}]}]
        use_cases: [{id: u, executes_in: [shop], needs: [{attribute: stock, freshness: realtime}]}]
    """,
        "stale",
    )
    assert gap.details["path"] == ["shop"]
    assert "shop holds it daily" in gap.message


def test_a_faster_route_avoids_stale():
    text = edit(
        _STALE % "must",
        "  - {id: mailer}",
        "  - {id: mailer}\n  - id: shop\n    holds: [{attribute: email, role: master, freshness: realtime}]\n"
        "    feeds: [{to: mailer, attributes: [email], frequency: realtime}]",
    )
    a = run(text)
    assert gaps_of(a, "stale") == []
    assert a.readiness["mail"].needs[0].path == ("shop", "mailer")
    assert a.readiness["mail"].needs[0].path_freshness == "realtime"


def test_fresh_enough_is_fine_at_the_boundary():
    text = edit(_STALE % "must", "must, freshness: hourly}]", "must, freshness: daily}]")
    assert gaps_of(text, "stale") == []


def test_need_without_freshness_is_never_stale_nor_unknown():
    text = edit(_STALE % "must", "must, freshness: hourly}]", "must}]")
    a = run(text)
    assert gaps_of(a, "stale") == [] and gaps_of(a, "unknown-freshness") == []


def test_unknown_freshness_from_a_feed_without_frequency():
    text = edit(_STALE % "must", ", frequency: daily}", "}")
    a = run(text)
    assert gaps_of(a, "stale") == []
    gap = only(a, "unknown-freshness")
    assert gap.details["path"] == ["crm", "mailer"]
    need = a.readiness["mail"].needs[0]
    assert need.path_freshness == "unknown"
    assert need.problems == ("unknown-freshness",)
    assert need.satisfied  # unknown is not a failure


def test_a_known_path_beats_an_unknown_one():
    text = edit(
        _UNKNOWN_FRESH,
        "  - {id: crm, holds: [email]}",
        "  - {id: crm, holds: [email]}\n  - id: shop\n    holds: [{attribute: email, freshness: realtime}]\n"
        "    feeds: [{to: crm, attributes: [email], frequency: hourly}]",
    )
    a = run(text)
    assert gaps_of(a, "unknown-freshness") == []
    assert a.readiness["mail"].needs[0].path == ("shop", "crm")


# -- quality and coverage: thresholds from settings ---------------------------------------

_THRESHOLDS = """
%s
attributes: [{id: email}]
systems:
  - {id: shop, holds: [{attribute: email, role: master, quality: 3, coverage: 0.6}]}
use_cases:
  - {id: mail, needs: [email]}
"""


def test_default_thresholds_are_inclusive():
    a = run(_THRESHOLDS % "")
    assert gaps_of(a, "low-quality") == [] and gaps_of(a, "low-coverage") == []


@pytest.mark.parametrize(
    ("settings", "low_quality", "low_coverage"),
    [
        ("settings: {min_quality: 3, min_coverage: 0.6}", False, False),
        ("settings: {min_quality: 4}", True, False),
        ("settings: {min_coverage: 0.61}", False, True),
        ("settings: {min_quality: 4, min_coverage: 0.7}", True, True),
        ("settings: {min_quality: 1, min_coverage: 0.0}", False, False),
    ],
)
def test_thresholds_come_from_settings(settings, low_quality, low_coverage):
    a = run(_THRESHOLDS % settings)
    assert bool(gaps_of(a, "low-quality")) is low_quality
    assert bool(gaps_of(a, "low-coverage")) is low_coverage
    problems = a.readiness["mail"].needs[0].problems
    assert ("low-quality" in problems) is low_quality
    assert ("low-coverage" in problems) is low_coverage


def test_low_quality_message_names_the_threshold():
    gap = only(_THRESHOLDS % "settings: {min_quality: 4}", "low-quality")
    assert "below 4" in gap.message and "best 3/5" in gap.message


def test_one_holding_of_unknown_quality_or_coverage_is_not_low():
    text = edit(_LOW_QUALITY, "{attribute: email, quality: 1}", "{attribute: email}")
    assert gaps_of(text, "low-quality") == []
    text = edit(_LOW_COVERAGE, "{attribute: email, coverage: 0.45}", "{attribute: email}")
    assert gaps_of(text, "low-coverage") == []


def test_quality_of_unneeded_attributes_is_not_reported():
    text = edit(
        _LOW_QUALITY,
        "  - {id: mail, value: 5, needs: [email]}\n"
        "  - {id: service, value: 1, needs: [{attribute: email, criticality: could}]}\n",
        "",
    )
    assert gaps_of(text, "low-quality") == []


# -- masters and meanings ----------------------------------------------------------------


def test_a_single_holding_needs_no_master():
    assert (
        gaps_of(
            """
        attributes: [{id: email}]
        systems: [{id: shop, holds: [email]}]
    """,
            "no-master",
        )
        == []
    )


def test_agreeing_definitions_and_types_are_no_conflict():
    a = run("""
        attributes: [{id: email, type: email, definition: where we write to}]
        systems:
          - {id: shop, holds: [{attribute: email, type: email, definition: where we write to}]}
          - {id: crm, holds: [{attribute: email}]}
    """)
    assert gaps_of(a, "definition-conflict") == []


def test_two_local_definitions_conflict_without_a_workshop_definition():
    gap = only(
        """
        attributes: [{id: since}]
        systems:
          - {id: shop, holds: [{attribute: since, definition: account created}]}
          - {id: club, holds: [{attribute: since, definition: joined}]}
    """,
        "definition-conflict",
    )
    assert gap.details["definitions"] == {"shop": "account created", "club": "joined"}


def test_holdings_that_agree_on_a_type_the_workshop_does_not_state_are_no_conflict():
    assert (
        gaps_of(
            """
        attributes: [{id: email}]
        systems:
          - {id: shop, holds: [{attribute: email, role: master, type: email}]}
          - {id: crm, holds: [{attribute: email, type: email}]}
    """,
            "definition-conflict",
        )
        == []
    )


# -- ownership ------------------------------------------------------------------------------


def test_unneeded_attribute_without_owner_is_no_no_owner():
    assert (
        gaps_of(
            """
        attributes: [{id: email}]
    """,
            "no-owner",
        )
        == []
    )


def test_one_writing_function_without_owner_is_not_contested():
    text = edit(_CONTESTED, "{id: checkout, owner: bob", "{id: checkout, owner: ann")
    assert gaps_of(text, "contested") == []


def test_owner_whose_function_writes_it_among_others_is_not_contested():
    text = edit(_CONTESTED, "{id: phone}", "{id: phone, owner: ann}")
    assert gaps_of(text, "contested") == []


def test_reading_is_not_writing_for_contested():
    text = edit(_CONTESTED, "steps: [{updates: [phone]}]", "steps: [{reads: [phone]}]")
    assert gaps_of(text, "contested") == []


# -- identity -------------------------------------------------------------------------------


def test_identity_components_of_the_analysis():
    a = run(_ISLAND % "cid")
    assert a.identity_components == [["shop", "erp"], ["club"]]
    rows = {r.id: r for r in a.systems}
    assert rows["shop"].component == rows["erp"].component == 0
    assert rows["club"].component == 1
    assert rows["club"].identifiers == ("card",)


def test_identity_linked_through_a_chain_of_shared_identifiers():
    # shop-erp share cid, erp-club share card: one component, no island.
    text = edit(_ISLAND % "cid", "{id: erp, holds: [cid]}", "{id: erp, holds: [cid, card]}")
    a = run(text)
    assert gaps_of(a, "identity-island") == []
    assert a.identity_components == [["shop", "erp", "club"]]


def test_an_island_of_several_systems_is_one_finding():
    text = edit(
        _ISLAND % "cid",
        "  - {id: club, holds: [card, email]}",
        "  - {id: club, holds: [card, email]}\n  - {id: app, holds: [card]}",
    )
    gap = only(text, "identity-island")
    assert gap.subjects == ((S, "club"), (S, "app"))


def test_system_without_identifier_is_no_island():
    a = run(_NO_IDENTIFIER)
    assert gaps_of(a, "identity-island") == []
    assert only(a, "no-identifier").subjects == ((S, "mailer"),)


def test_identity_island_does_not_depend_on_system_order():
    first = """
        attributes: [{id: cid, identifier: true}, {id: email}]
        systems:
          - {id: mailer, holds: [email]}
          - {id: shop, holds: [cid, email]}
    """
    second = """
        attributes: [{id: cid, identifier: true}, {id: email}]
        systems:
          - {id: shop, holds: [cid, email]}
          - {id: mailer, holds: [email]}
    """
    assert gaps_of(second, "identity-island") == []
    assert gaps_of(first, "identity-island") == []


# -- channels and steps ---------------------------------------------------------------------


def test_reading_an_identifier_does_not_identify_a_channel():
    # Only a step that *creates* an identifier counts (docs/rules.md: "captures (creates)"): scanning a
    # loyalty card (reads) leaves the channel anonymous.
    text = edit(_ANONYMOUS, "creates: [basket]", "creates: [basket], reads: [cid]")
    assert only(text, "anonymous-channel").subjects == (("channel", "store"),)


def test_a_channel_used_only_by_steps_is_checked_too():
    text = edit(_ANONYMOUS, "channels: [store], ", "")
    gap = only(text, "anonymous-channel")
    assert gap.use_cases == () and gap.impact == 0


def test_unused_channels_are_not_anonymous():
    assert (
        gaps_of(
            """
        channels: [web, store]
        attributes: [{id: x}]
    """,
            "anonymous-channel",
        )
        == []
    )


def test_step_in_a_system_that_holds_nothing():
    gap = only(
        """
        attributes: [{id: email}, {id: cid, identifier: true}]
        systems: [{id: shop, holds: [cid]}, {id: paper}]
        processes:
          - {id: p, steps: [{system: paper, creates: [email], reads: [cid], deletes: [cid]}]}
    """,
        "step-not-held",
    )
    assert gap.subjects == (("process", "p"), (S, "paper"), (A, "email"), (A, "cid"))
    assert gap.details["actions"] == {"email": "creates", "cid": "reads"}
    assert gap.use_cases == ()


def test_steps_without_a_system_are_not_checked():
    assert (
        gaps_of(
            """
        attributes: [{id: email}]
        processes: [{id: p, steps: [{creates: [email]}]}]
    """,
            "step-not-held",
        )
        == []
    )


# -- functions, use cases, attributes -------------------------------------------------------


def test_default_functions_without_stakeholders_are_info():
    a = run("""
        functions: null
        stakeholders: [{id: ann, function: marketing}]
    """)
    found = gaps_of(a, "unrepresented-function")
    assert {g.subjects[0][1] for g in found} == {
        "sales",
        "service",
        "it",
        "data",
        "finance",
        "legal",
        "operations",
        "cx",
        "product",
    }
    assert {g.severity for g in found} == {"info"}


def test_unrepresented_function_of_a_rejected_use_case_is_only_info():
    text = edit(_UNREPRESENTED, "value: 4,", "value: 4, status: rejected,")
    gap = only(text, "unrepresented-function")
    assert gap.severity == "info" and gap.use_cases == ()


def test_unused_attribute_says_when_it_is_personal():
    gap = only(_UNUSED, "unused-attribute")
    assert "personal" in gap.message


_ISLAND_KEY = """
attributes:
  - {id: visitor_id, identifies: device}
  - {id: viewed_products}
  - {id: shoe_size}
systems:
  - {id: analytics, holds: [visitor_id, viewed_products]}
  - {id: shop, holds: [shoe_size]}
use_cases:
  - {id: retarget, executes_in: [analytics], needs: [viewed_products]}
"""


def test_the_only_key_of_needed_data_is_not_unused():
    unused = {g.subject_ids("attribute")[0] for g in gaps_of(_ISLAND_KEY, "unused-attribute")}
    assert unused == {"shoe_size"}


def test_an_identifier_beside_no_needed_data_is_unused():
    text = _ISLAND_KEY.replace("needs: [viewed_products]", "needs: [shoe_size]")
    unused = {g.subject_ids("attribute")[0] for g in gaps_of(text, "unused-attribute")}
    assert unused == {"visitor_id", "viewed_products"}


def test_unused_defined_attribute():
    gap = only(
        """
        attributes: [{id: email}]
    """,
        "unused-attribute",
    )
    assert gap.details["held_in"] == []
    assert "defined" in gap.message


def test_consent_is_only_asked_on_marketing_channels():
    text = edit(_CONSENT, "channels: [email, store]", "channels: [store]")
    assert gaps_of(text, "personal-without-consent") == []


def test_marketing_channels_come_from_settings():
    text = edit(_CONSENT, "channels: [email, store]", "channels: [store]")
    gap = only("settings: {marketing_channels: [store]}\n" + text, "personal-without-consent")
    assert gap.details["channels"] == ["store"]
    assert gaps_of("settings: {marketing_channels: [web]}\n" + _CONSENT, "personal-without-consent") == []


def test_no_personal_data_needs_no_consent():
    text = edit(_CONSENT, "needs: [email, segment]", "needs: [segment]")
    assert gaps_of(text, "personal-without-consent") == []


# -- rejected use cases are ignored -----------------------------------------------------------

_REJECTED = """
stakeholders: [{id: ann, function: marketing}]
attributes:
  - {id: email, sensitivity: personal}
  - {id: cid, identifier: true, owner: ann}
systems:
  - {id: shop, holds: [{attribute: cid, role: master}]}
  - {id: mailer, holds: [cid]}
use_cases:
  - id: live
    owner: ann
    function: marketing
    needs: [cid]
  - id: dropped
    status: rejected
    value: 5
    function: sales
    channels: [email]
    executes_in: [mailer]
    needs: [{attribute: email, freshness: realtime}, {attribute: cid, freshness: realtime}]
  - {id: dropped-empty, status: rejected, needs: []}
functions: [marketing, sales]
"""


def test_rejected_use_cases_are_ignored():
    a = run(_REJECTED)
    rules = {g.rule for g in a.gaps}
    for rule in (
        "missing-source",
        "orphan-use-case",
        "use-case-without-needs",
        "personal-without-consent",
        "anonymous-channel",
        "unknown-freshness",
        "no-owner",
        "no-master",
    ):
        assert rule not in rules, rule
    for gap in a.gaps:
        assert "dropped" not in gap.use_cases and "dropped-empty" not in gap.use_cases
    # needed only by a rejected use case = needed by nobody
    assert ((A, "email"),) in {g.subjects for g in gaps_of(a, "unused-attribute")}
    # the function of a rejected use case does not count as owning something
    assert only(a, "unrepresented-function").severity == "info"
    row = {r.id: r for r in a.attributes}["email"]
    assert row.needed_by == ()


def test_the_same_use_case_not_rejected_is_reported():
    a = run(edit(_REJECTED, "    status: rejected\n    value: 5", "    value: 5"))
    rules = {g.rule for g in a.gaps if "dropped" in g.use_cases}
    assert {
        "missing-source",
        "orphan-use-case",
        "personal-without-consent",
        "anonymous-channel",
        "unknown-freshness",
    } <= rules
    assert only(a, "missing-source").impact == 5


def test_rejected_use_case_with_missing_data_is_not_reported_ready():
    a = run(_REJECTED)
    r = a.readiness.get("dropped")
    assert r is None or (r.status != "ready" and r.must_satisfied < r.must_total)


# -- impact ---------------------------------------------------------------------------------


def test_impact_is_the_sum_of_the_values_at_risk_and_unscored_counts_as_middle():
    a = run("""
        attributes: [{id: email}, {id: phone}]
        use_cases:
          - {id: a, value: 5, needs: [email]}
          - {id: b, needs: [email, phone]}
          - {id: c, value: 1, needs: [email]}
          - {id: d, value: 2, status: rejected, needs: [email, phone]}
    """)
    assert UNSCORED_VALUE == 3
    by_attr = {g.subjects: g for g in gaps_of(a, "missing-source")}
    assert by_attr[((A, "email"),)].impact == 5 + 3 + 1
    assert by_attr[((A, "phone"),)].impact == 3
    assert by_attr[((A, "email"),)].use_cases == ("a", "b", "c")


def test_gaps_are_sorted_by_impact_then_severity():
    a = run(_REJECTED.replace("    status: rejected\n", ""))
    keys = [(-g.impact, {"error": 0, "warning": 1, "info": 2}[g.severity]) for g in a.gaps]
    assert keys == sorted(keys)


def test_counts_and_by_rule():
    a = run(MISSING % "must")
    assert sum(a.counts().values()) == len(a.gaps)
    assert list(a.by_rule())[0] == "missing-source"


# -- readiness ------------------------------------------------------------------------------

_READY = """
attributes: [{id: email}, {id: phone}, {id: city}, {id: cid, identifier: true}]
systems:
  - id: shop
    holds:
      - {attribute: cid, role: master}
      - {attribute: email, role: master, freshness: realtime, quality: 4, coverage: 0.9}
      - {attribute: phone, role: master, freshness: daily}
      - {attribute: city, role: master}
    feeds: [{to: mailer, attributes: [cid, email, phone, city], frequency: hourly}]
  - {id: mailer}
use_cases:
  - id: uc
    executes_in: [mailer]
    needs:
      - {attribute: email, criticality: must, freshness: hourly}
      - {attribute: phone, criticality: should}
      - {attribute: city, criticality: could}
      - {attribute: cid, criticality: must}
"""


def _readiness(snippet: str):
    return run(snippet).readiness["uc"]


def _reason_attrs(r) -> list[str]:
    """The attribute each readiness reason is about (reasons are phrases: 'email does not reach mailer')."""
    return [reason.split()[0] for reason in r.reasons]


def test_ready():
    r = _readiness(_READY)
    assert r.status == "ready"
    assert (r.must_total, r.must_satisfied, r.must_share) == (2, 2, 1.0)
    assert r.reasons == ()
    assert [n.attribute for n in r.needs] == ["email", "phone", "city", "cid"]
    assert all(n.problems == () for n in r.needs)


def test_must_need_unreachable_blocks():
    r = _readiness(edit(_READY, "[cid, email, phone, city]", "[cid, phone, city]"))
    assert r.status == "blocked"
    assert (r.must_total, r.must_satisfied) == (2, 1)
    assert _reason_attrs(r) == ["email"] and r.needs[0].problems == ("unreachable",)


def test_must_need_missing_source_blocks():
    r = _readiness(edit(_READY, "      - {attribute: cid, role: master}\n", ""))
    assert r.status == "blocked"
    assert _reason_attrs(r) == ["cid"] and r.needs[3].problems == ("missing-source",)
    assert r.must_satisfied == 1


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("frequency: hourly", "frequency: daily", "stale"),
        ("quality: 4", "quality: 2", "low-quality"),
        ("coverage: 0.9", "coverage: 0.1", "low-coverage"),
    ],
)
def test_must_need_soft_problem_puts_at_risk(old, new, problem):
    r = _readiness(edit(_READY, old, new))
    assert r.status == "at-risk"
    assert _reason_attrs(r) == ["email"] and r.needs[0].problems == (problem,)
    assert (r.must_total, r.must_satisfied) == (2, 1)
    assert not r.needs[0].satisfied


def test_should_need_missing_puts_at_risk():
    r = _readiness(edit(_READY, "      - {attribute: phone, role: master, freshness: daily}\n", ""))
    assert r.status == "at-risk"
    assert _reason_attrs(r) == ["phone"] and r.needs[1].problems == ("missing-source",)
    assert (r.must_total, r.must_satisfied) == (2, 2)


def test_should_need_unreachable_puts_at_risk():
    r = _readiness(edit(_READY, "[cid, email, phone, city]", "[cid, email, city]"))
    assert r.status == "at-risk"
    assert _reason_attrs(r) == ["phone"] and r.needs[1].problems == ("unreachable",)


def test_should_need_stale_does_not_change_readiness():
    r = _readiness(
        edit(
            _READY,
            "{attribute: phone, criticality: should}",
            "{attribute: phone, criticality: should, freshness: realtime}",
        )
    )
    assert r.status == "ready"
    assert r.needs[1].problems == ("stale",)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      - {attribute: city, role: master}\n", ""),  # missing-source
        ("[cid, email, phone, city]", "[cid, email, phone]"),  # unreachable
        ("{attribute: city, criticality: could}", "{attribute: city, criticality: could, freshness: realtime}"),
    ],
)
def test_could_needs_never_change_readiness(old, new):
    r = _readiness(edit(_READY, old, new))
    assert r.status == "ready"
    assert r.reasons == ()
    assert r.needs[2].problems != ()


def test_blocked_wins_over_at_risk_and_lists_both_reasons():
    text = edit(_READY, "[cid, email, phone, city]", "[email, city]")  # cid and phone unreachable
    text = edit(text, "frequency: hourly", "frequency: daily")  # email stale
    r = _readiness(text)
    assert r.status == "blocked"
    assert _reason_attrs(r) == ["cid", "email", "phone"]  # blocking reasons first
    assert [n.problems for n in r.needs] == [("stale",), ("unreachable",), (), ("unreachable",)]
    assert (r.must_total, r.must_satisfied) == (2, 0)


def test_no_needs_is_at_risk():
    r = _readiness("""
        use_cases: [{id: uc, needs: []}]
    """)
    assert r.status == "at-risk"
    assert r.reasons == ("no needs recorded",)
    assert (r.must_total, r.must_satisfied, r.must_share) == (0, 0, 1.0)


def test_only_could_needs_is_ready():
    r = _readiness("""
        attributes: [{id: email}]
        systems: [{id: crm}]
        use_cases: [{id: uc, executes_in: [crm], needs: [{attribute: email, criticality: could}]}]
    """)
    assert r.status == "ready" and r.must_total == 0


def test_unknown_freshness_does_not_change_readiness():
    r = _readiness(edit(_READY, "frequency: hourly", "frequency: unknown"))
    assert r.status == "ready"
    assert r.needs[0].problems == ("unknown-freshness",)
    assert r.must_satisfied == 2


def test_readiness_counts():
    a = run(_READY + "  - {id: empty, needs: []}\n")
    assert a.readiness_counts() == {"ready": 1, "at-risk": 1, "blocked": 0}


# -- purity ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Workshop:
    return assert_opens_clean(DEMO)


def test_analyse_does_not_modify_the_workshop():
    ws = open_workshop(DEMO).workshop
    before_text = saver.dump(ws)
    before = copy.deepcopy(ws)
    analyse(ws)
    assert saver.dump(ws) == before_text
    assert ws == before


def test_analyse_is_deterministic(demo):
    first, second = analyse(demo), analyse(demo)
    assert first.gaps == second.gaps
    assert [g.as_dict() for g in first.gaps] == [g.as_dict() for g in second.gaps]
    assert first.readiness == second.readiness
    assert first.attributes == second.attributes and first.systems == second.systems
    assert first.identity_components == second.identity_components
