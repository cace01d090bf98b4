"""The recommendation: one option to start with, why, and its first steps ("Start with")."""

from __future__ import annotations

import copy
import functools

from needsmap.analysis.engine import analyse
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.roadmap.engine import START_STEPS, build_roadmap
from needsmap.roadmap.output import json_document, markdown, recommendation_lines
from tests.conftest import DEMO, ROOT


@functools.cache
def _water() -> m.Workshop:
    ws = open_workshop(ROOT / "workshops" / "water-utility.yaml").workshop
    assert ws is not None
    return ws


def test_the_option_with_most_value_over_time_is_recommended_with_its_first_wave_and_decisions():
    ws = copy.deepcopy(_water())
    rm = build_roadmap(ws, analyse(ws))
    rec = rm.recommended
    assert rec is not None
    best = max(rm.plans, key=lambda p: p.value_waves)
    assert rec.option == best.id == "increments" and rec.name == best.option.title
    # the reason names value over time, first value, effort and risk
    assert "most value over time" in rec.reason and "quarter 1" in rec.reason
    assert f"{best.effort:g} points of work" in rec.reason and f"risk {best.risk}" in rec.reason
    # start with: first-wave work and the decisions, most valuable first, at most START_STEPS
    assert 0 < len(rec.start_with) <= START_STEPS
    values = [s.value for s in rec.start_with]
    assert values == sorted(values, reverse=True)
    first_wave = {it.item.id for it in best.items if it.wave == 1}
    decisions = {it.item.id for it in best.items if it.kind == "decision"}
    for step in rec.start_with:
        assert step.item in (first_wave if step.kind == "work" else decisions)
        assert not any(ch.isdigit() for ch in step.title.split("(")[0]) or "Art. 9" in step.title
    kinds = [s.kind for s in rec.start_with]
    assert kinds[:3] == ["work", "work", "work"]  # the phone number for the outage texts and welfare calls: 10
    assert rec.start_with[0].value == 10 and set(rec.start_with[0].use_cases) == {
        "outage-sms-alerts",
        "psr-priority-contact",
    }
    assert "decision" in kinds  # the marketing texts' consent: a decision that unblocks value
    # said first, in the same sentences, in Markdown and JSON
    lines = recommendation_lines(rm, ws)
    assert lines[0] == f"Recommended: {rec.name}." and lines[1] == rec.reason and lines[2] == "Start with:"
    md = markdown(rm, ws)
    assert md.index("Recommended:") < md.index("| Option |")
    doc = json_document(rm, ws, "water.yaml")
    assert doc["recommended"]["option"] == "increments"
    assert [s["item"] for s in doc["recommended"]["start_with"]] == [s.item for s in rec.start_with]
    assert [r["option"] for r in doc["comparison"] if r["recommended"]] == ["increments"]


def test_an_option_the_workshop_chose_is_the_recommendation():
    ws = copy.deepcopy(_water())
    ws.options = [
        m.Option(
            "phones",
            "Fix the phone numbers",
            status="chosen",
            work_items=[m.WorkItem("clean", "cleanse", "Clean up the phone numbers", attribute="phone_number")],
        )
    ]
    rm = build_roadmap(ws, analyse(ws))
    assert rm.recommended is not None and rm.recommended.option == "phones"
    assert rm.recommended.reason.startswith("Chosen by the workshop.")


def test_the_demo_recommends_the_increments_with_steps_to_start_with():
    ws = open_workshop(DEMO).workshop
    rm = build_roadmap(ws, analyse(ws))
    assert rm.recommended is not None and rm.recommended.option == "increments"
    assert rm.recommended.start_with and all(s.title for s in rm.recommended.start_with)


def test_no_option_no_recommendation():
    ws = m.Workshop()
    rm = build_roadmap(ws, analyse(ws))
    assert rm.plans == [] and rm.recommended is None and recommendation_lines(rm, ws) == []
