"""The Analyser the terminal UI keeps gives exactly what a fresh analysis gives, edit after edit."""

from __future__ import annotations

import copy
import random

import pytest

from needsmap.analysis.engine import Analyser, analyse
from needsmap.analysis.replaced import SECTIONS
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.synthetic.builder import generate
from tests.conftest import DEMO


def _same(a, b) -> None:
    assert [g.key for g in a.gaps] == [g.key for g in b.gaps]
    assert [(g.message, g.action, g.impact, g.severity, g.use_cases) for g in a.gaps] == [
        (g.message, g.action, g.impact, g.severity, g.use_cases) for g in b.gaps
    ]
    assert a.readiness == b.readiness
    assert a.attributes == b.attributes
    assert a.systems == b.systems
    assert a.identity_components == b.identity_components


def _random_edit(ws: m.Workshop, rng: random.Random) -> str:
    """One edit of the kinds a facilitator makes, in place, as the terminal UI does."""
    kind = rng.randrange(12)
    uc = rng.choice([u for u in ws.use_cases if u.needs] or ws.use_cases)
    system = rng.choice(ws.systems)
    attr = rng.choice(ws.attributes)
    if kind == 0 and uc.needs:
        uc.needs[rng.randrange(len(uc.needs))].criticality = rng.choice(m.CRITICALITIES)
    elif kind == 1 and uc.needs:
        uc.needs[rng.randrange(len(uc.needs))].freshness = rng.choice(m.FRESHNESS)
    elif kind == 2 and uc.needs:
        del uc.needs[rng.randrange(len(uc.needs))]
    elif kind == 3:
        have = {n.attribute for n in uc.needs}
        free = [a.id for a in ws.attributes if a.id not in have]
        if free:
            uc.needs.append(m.Need(rng.choice(free), criticality=rng.choice(m.CRITICALITIES)))
    elif kind == 4 and system.holds:
        h = system.holds[rng.randrange(len(system.holds))]
        h.quality = rng.choice([None, 1, 2, 3, 4, 5])
        h.role = rng.choice([None, *m.ROLES])
    elif kind == 5 and system.holds:
        del system.holds[rng.randrange(len(system.holds))]
    elif kind == 6:
        held = {h.attribute for h in system.holds}
        if attr.id not in held:
            system.holds.append(m.Holding(attr.id, freshness=rng.choice(m.FRESHNESS)))
    elif kind == 7 and system.feeds:
        feed = system.feeds[rng.randrange(len(system.feeds))]
        if feed.attributes and rng.random() < 0.5:
            feed.attributes.pop()
        else:
            feed.frequency = rng.choice(m.FRESHNESS)
    elif kind == 8:
        attr.owner = rng.choice([None, *(s.id for s in ws.stakeholders)])
        attr.identifier = rng.choice([None, True, False])
    elif kind == 9:
        uc.status = rng.choice(m.USE_CASE_STATUSES)
        uc.value = rng.choice([None, 1, 3, 5])
    elif kind == 10 and ws.stakeholders:
        rng.choice(ws.stakeholders).function = rng.choice(ws.function_ids)
    elif kind == 11 and ws.processes:
        p = rng.choice(ws.processes)
        if p.steps:
            rng.choice(p.steps).creates.append(attr.id)
    return str(kind)


@pytest.mark.parametrize("source", ["demo", "small", "medium"])
def test_incremental_equals_full_after_every_edit(source):
    ws = open_workshop(DEMO).workshop if source == "demo" else generate(source, 5)
    rng = random.Random(11)
    analyser = Analyser()
    _same(analyser.analyse(ws), analyse(ws))
    for _ in range(60 if source != "medium" else 25):
        _random_edit(ws, rng)
        _same(analyser.analyse(ws), analyse(ws))


def test_changing_a_threshold_is_seen():
    ws = open_workshop(DEMO).workshop
    analyser = Analyser()
    before = analyser.analyse(ws)
    ws.settings.min_quality = 1
    after = analyser.analyse(ws)
    assert any(g.rule == "low-quality" for g in before.gaps)
    assert not any(g.rule == "low-quality" for g in after.gaps)
    _same(after, analyse(ws))


def _edit_by_replacing(ws: m.Workshop, rng: random.Random) -> None:
    """One :func:`_random_edit`, made the way the editing session makes it: on copies of the items, then a
    new object in place of every item the edit changed; every other item stays the very same object."""
    work = copy.deepcopy(ws)
    _random_edit(work, rng)
    for name in SECTIONS:
        items = ws.section(name)
        for i, (was, now) in enumerate(zip(list(items), work.section(name), strict=True)):
            if now != was:
                items[i] = now


def _random_section_edit(ws: m.Workshop, rng: random.Random) -> None:
    """Edits of whole items: remove a use case, add a copy of a system under a new id, move a process."""
    kind = rng.randrange(4)
    if kind == 0 and len(ws.use_cases) > 1:
        del ws.use_cases[rng.randrange(len(ws.use_cases))]
    elif kind == 1:
        clone = copy.deepcopy(rng.choice(ws.systems))
        clone.id = f"{clone.id}_{rng.randrange(10**6)}"
        ws.systems.insert(rng.randrange(len(ws.systems) + 1), clone)
    elif kind == 2 and len(ws.processes) > 1:
        ws.processes.append(ws.processes.pop(rng.randrange(len(ws.processes) - 1)))
    else:
        ws.settings.marketing_channels = rng.choice([None, ["email"], ["sms", "call_center"]])


@pytest.mark.parametrize("source", ["demo", "small", "medium"])
def test_analyser_trusting_replaced_items_equals_full_after_every_edit(source):
    """With ``items_replaced`` the index and the privacy findings of untouched sections are reused."""
    ws = open_workshop(DEMO).workshop if source == "demo" else generate(source, 7)
    rng = random.Random(23)
    analyser = Analyser(items_replaced=True)
    _same(analyser.analyse(ws), analyse(ws))
    for _ in range(60 if source != "medium" else 25):
        if rng.random() < 0.15:
            _random_section_edit(ws, rng)  # list operations: no item changes
        else:
            _edit_by_replacing(ws, rng)
        _same(analyser.analyse(ws), analyse(ws))


def test_analyser_trusting_replaced_items_reuses_the_index_of_untouched_sections():
    ws = generate("small", 3)
    analyser = Analyser(items_replaced=True)
    analyser.analyse(ws)
    first = analyser._index
    uc = copy.deepcopy(ws.use_cases[0])
    uc.needs[0].criticality = "should" if uc.needs[0].criticality != "should" else "must"
    ws.use_cases[0] = uc
    analyser.analyse(ws)
    second = analyser._index
    assert second is not first and second.holdings is first.holdings and second.writers is first.writers
    assert second.needs is not first.needs
