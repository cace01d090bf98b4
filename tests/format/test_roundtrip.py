"""Saving is deterministic: load(dump(w)) == w and dump(load(dump(w))) == dump(w), byte for byte."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.format import model as m
from needsmap.format.loader import parse_text
from needsmap.format.saver import dump, scalar_text
from tests.strategies import TEXT, workshops


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workshops)
def test_any_workshop_survives_save_load_save(ws: m.Workshop):
    text = dump(ws)
    loaded, diags, dropped = parse_text(text, "rt.yaml")
    assert [d.render() for d in diags] == []
    assert dropped == ()
    assert loaded == ws
    assert dump(loaded) == text


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_every_string_is_written_so_yaml_reads_it_back(text: str):
    for flow in (False, True):
        rendered = scalar_text(text, "  ", flow=flow)
        doc = (f"k: [{rendered}]" if flow else f"k: {rendered}") + "\n"
        assert yaml.load(doc, Loader=yaml.CSafeLoader) == {"k": [text] if flow else text}


@given(st.floats(0, 1, allow_nan=False))
def test_floats_stay_floats(value: float):
    assert yaml.load(f"k: {scalar_text(value)}", Loader=yaml.CSafeLoader) == {"k": value}


def test_editing_one_item_changes_only_its_lines():
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="W"),
        stakeholders=[m.Stakeholder(id=f"s{i}", name=f"Person {i}", role="Role") for i in range(20)],
    )
    before = dump(ws).splitlines()
    ws.stakeholders[7].role = "Head of CRM: marketing & loyalty"
    after = dump(ws).splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(before) == len(after)
    assert len(changed) == 1
    assert after[changed[0]] == '    role: "Head of CRM: marketing & loyalty"'


def test_multiline_text_is_a_literal_block():
    ws = m.Workshop(workshop=m.WorkshopInfo(name="W", scope="Stores and web shop.\nNot: B2B wholesale.\n"))
    text = dump(ws)
    assert "  scope: |\n    Stores and web shop.\n    Not: B2B wholesale.\n" in text
    assert parse_text(text)[0].workshop.scope == "Stores and web shop.\nNot: B2B wholesale.\n"


def test_short_forms_are_used_when_nothing_else_is_said():
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="W"),
        systems=[m.System(id="crm", name="CRM", holds=[m.Holding("email"), m.Holding("phone", role="master")])],
        use_cases=[m.UseCase(id="u", title="U", needs=[m.Need("email"), m.Need("phone", criticality="should")])],
    )
    text = dump(ws)
    assert "    holds:\n      - email\n      - attribute: phone\n        role: master\n" in text
    assert "    needs:\n      - email\n      - attribute: phone\n        criticality: should\n" in text
