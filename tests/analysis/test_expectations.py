"""The analysis against the hand-worked expectations of two realistic workshops (a water utility, a health insurer).

The expectations (tests/data/expectations/) were written by hand before any analysis ran on these workshops;
their header states the semantics they rest on. This test checks, for each workshop: the readiness of every use
case with the part (data, identity, consent, process) that decides it; every finding that must be found; every
near miss that must not be; and which findings one root cause groups into one problem.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from needsmap.analysis import problems
from needsmap.analysis.engine import Analysis, Gap, analyse
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from tests.conftest import DATA, ROOT

NAMES = ("water-utility", "health-insurer")


@cache
def _load(name: str) -> tuple[dict, m.Workshop, Analysis]:
    expected = yaml.safe_load((DATA / "expectations" / f"{name}.yaml").read_text(encoding="utf-8"))
    result = open_workshop(ROOT / expected["workshop"])
    assert result.workshop is not None
    assert not [d for d in result.diagnostics if d.severity == "error"]
    return expected, result.workshop, analyse(result.workshop)


def _matches(gap: Gap, code: str, subjects: dict) -> bool:
    """The finding has this rule and every listed subject (a finding may name more)."""
    if gap.rule != code:
        return False
    for kind, ids in subjects.items():
        wanted = ids if isinstance(ids, list) else [ids]
        if not set(wanted) <= set(gap.subject_ids(kind)):
            return False
    return True


def _entries(key: str) -> list[tuple[str, int]]:
    return [
        (name, i)
        for name in NAMES
        for i in range(
            len(yaml.safe_load((DATA / "expectations" / f"{name}.yaml").read_text(encoding="utf-8")).get(key) or [])
        )
    ]


@pytest.mark.parametrize("name", NAMES)
def test_readiness_counts_are_the_hand_worked_ones(name):
    expected, _, analysis = _load(name)
    assert analysis.readiness_counts() == expected["summary"]


@pytest.mark.parametrize("name", NAMES)
def test_each_use_case_is_ready_at_risk_or_blocked_for_the_hand_worked_reason(name):
    expected, ws, analysis = _load(name)
    assert {e["id"] for e in expected["readiness"]} == {u.id for u in ws.use_cases if u.status != "rejected"}
    wrong = []
    for entry in expected["readiness"]:
        got = analysis.readiness[entry["id"]]
        because = [] if entry["because"] in (None, "none") else entry["because"]
        because = [because] if isinstance(because, str) else because
        if (got.status, set(got.because), got.parts) != (entry["readiness"], set(because), entry["parts"]):
            wrong.append(f"{entry['id']}: {got.status} because {got.because} {got.parts}; expected {entry}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("name", "index"), _entries("must_find"))
def test_must_find(name, index):
    expected, _, analysis = _load(name)
    entry = expected["must_find"][index]
    found = [g for g in analysis.gaps if _matches(g, entry["code"], entry["subjects"])]
    assert found, f"no {entry['code']} about {entry['subjects']}"
    if "severity" in entry:
        assert entry["severity"] in {g.severity for g in found}


@pytest.mark.parametrize(("name", "index"), _entries("must_not_find"))
def test_must_not_find(name, index):
    expected, _, analysis = _load(name)
    entry = expected["must_not_find"][index]
    found = [g.message for g in analysis.gaps if _matches(g, entry["code"], entry["subjects"])]
    assert not found, found


@pytest.mark.parametrize("name", NAMES)
def test_one_cause_is_one_problem(name):
    expected, ws, analysis = _load(name)
    grouped = problems.group(analysis, ws)
    for root in expected.get("problems") or []:
        homes = set()
        for symptom in root["symptoms"]:
            holders = [
                p.key for p in grouped if any(_matches(g, symptom["code"], symptom["subjects"]) for g in p.symptoms)
            ]
            assert holders, f"{symptom} is not found at all"
            homes.update(holders)
        assert len(homes) == 1, f"{root['title']}: its symptoms are spread over {sorted(homes)}"
    for pair in expected.get("never_together") or []:
        for p in grouped:
            inside = [any(_matches(g, s["code"], s["subjects"]) for g in p.symptoms) for s in pair]
            assert not all(inside), f"{pair} grouped together in {p.key}"
