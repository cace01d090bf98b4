"""Roadmap options: generated from the gaps, phased into waves by dependencies and WSJF, scored, voted on."""

from __future__ import annotations

import copy
import dataclasses
import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.analysis.engine import analyse
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.format.validator import validate
from needsmap.report.sections.roadmap import report_html, value_chart
from needsmap.roadmap.engine import (
    RoadmapError,
    build_roadmap,
    dependency_graph,
    generate_options,
    plan,
    tally,
    wave_label,
)
from needsmap.roadmap.output import json_document, markdown
from needsmap.synthetic.builder import generate
from tests.conftest import DEMO


@functools.lru_cache(maxsize=1)
def _demo() -> m.Workshop:
    return open_workshop(DEMO).workshop


def demo() -> m.Workshop:
    return copy.deepcopy(_demo())


def roadmap_of(ws: m.Workshop):
    return build_roadmap(ws, analyse(ws))


def with_roadmap_settings(ws: m.Workshop, **kw) -> m.Workshop:
    settings = ws.settings or m.Settings()
    settings.roadmap = m.RoadmapSettings(**kw)
    ws.settings = settings
    return ws


# ----------------------------------------------------------------------------- the demo: options a stakeholder can explain


def test_demo_gets_the_four_styles_each_explained_by_what_it_closes_and_leaves():
    rm = roadmap_of(demo())
    by = {p.id: p for p in rm.plans}
    assert list(by) == ["increments", "registry", "consolidation", "coexistence"]
    closed = {k: {g.rule for g in p.closed} for k, p in by.items()}
    # a registry links customers and moves data, nothing else
    assert {"identity-island", "no-identifier", "unreachable"} <= closed["registry"]
    assert not closed["registry"] & {"missing-source", "no-master", "many-masters", "no-owner", "low-quality"}
    assert by["registry"].left_why["data held nowhere"] == "a registry links existing data, it captures nothing new"
    # consolidation closes everything but what the sources' processes do (writing where data is not held, changes
    # made in a copy); coexistence closes those too
    for rule in ("step-not-held", "copy-never-reaches-master"):
        assert rule not in closed["consolidation"] and rule in closed["coexistence"]
    assert closed["consolidation"] < closed["coexistence"]
    assert {g.rule for g in by["coexistence"].left} == {
        "unknown-freshness",
        "unrepresented-function",
        "orphan-use-case",
        "use-case-without-needs",
        "unused-attribute",
        "personal-without-consent",
        "held-beyond-need",
    }  # only questions for the room
    # increments: value first, but only what use cases wait for
    assert by["increments"].first_value_wave == 1
    assert by["increments"].first_value_wave <= by["registry"].first_value_wave < by["consolidation"].first_value_wave
    assert len(by["increments"].closed) < len(by["consolidation"].closed)
    assert by["increments"].effort < by["consolidation"].effort < by["coexistence"].effort
    # the registry cannot unlock use cases that need data captured or cleaned
    assert "consent-management" in by["registry"].not_unlocked  # consent_timestamp is held nowhere
    assert "service-360" in by["registry"].not_unlocked  # mobile phone quality
    # consent management waits for the capture of the consent timestamp and for the service desk to hold the
    # newsletter consent its agents change
    assert by["increments"].unlocks["consent-management"] == 4
    # nothing is unlocked for a use case without needs, by any option
    assert all("erasure-requests" in p.not_unlocked for p in rm.plans)
    # every theme an option leaves comes with a reason
    for p in rm.plans:
        assert set(p.left_why) == set(p.left_by_theme())
        assert all(p.left_why.values())


def test_increments_top_work_items_in_the_order_worked_out_by_hand():
    """Default settings: capacity 10, effort owner 1 / decision 1 / master 2 / cleanse 2 / feed 3, urgency now 3 /
    next 1 / later 0.  Cost of delay = value + urgency of the use cases waiting: service-360 5+3=8,
    click-collect-notify 3+3=6, nps-followup 2+3=5, welcome-journey + nbo-in-store 13, b2b-handover +
    b2b-credit-check 13, new-home-journey 3+0=3.

    WSJF: owner-mobile_phone 8/1=8; the decision on click-collect-notify's consent 6/1=6 and on nps-followup's
    5/1=5; the e-mail changed at the till and at the service desk fed on to the web shop (the master) 13/3=4.33
    each -> 9 points; owner-moving_date (3/1, but as urgent as the feed that waits for what it captures, 11/3=3.67)
    fills wave 1 to 10.  Wave 2: the two b2b feeds (13/3=4.33), then the master and the clean-up of the mobile
    phone (8/2=4 each): 3+3+2+2 = 10 points.
    """
    p = roadmap_of(demo()).plan_of("increments")
    top = [(it.item.id, it.wave) for it in p.items[:10]]
    assert top == [
        ("owner-mobile_phone", 1),
        ("decide-click-collect-notify", 1),
        ("decide-nps-followup", 1),
        ("feed-pos-to-webshop", 1),
        ("feed-servicedesk-to-webshop", 1),
        ("owner-moving_date", 1),
        ("feed-erp-to-crm", 2),
        ("feed-crm-to-webshop", 2),
        ("master-mobile_phone", 2),
        ("cleanse-mobile_phone", 2),
    ]
    first = p.items[0]
    assert (first.value, first.effort, first.wsjf) == (8, 1, 8)
    # identity before the use case that needs it: survey cannot be linked, so its feed waits for the identifier
    feed = next(it for it in p.items if it.item.id == "feed-survey-to-servicedesk")
    assert feed.item.depends_on == ["identify-survey"]
    assert feed.item.title == "New feed from Customer feedback surveys to Customer service desk: Net promoter score"


def test_the_consolidation_settles_masters_before_loading_and_loads_before_serving():
    p = roadmap_of(demo()).plan_of("consolidation")
    waves = {it.item.id: it for it in p.items}
    assert waves["hub"].wave <= waves["load-webshop"].wave
    assert "master-email_optin" in waves["load-webshop"].item.depends_on
    assert waves["master-email_optin"].end_wave <= waves["load-webshop"].wave
    serve = waves["serve-servicedesk"]
    assert {"hub", "load-survey"} <= set(serve.item.depends_on)
    assert all(waves[d].end_wave <= serve.wave for d in serve.item.depends_on)


# ----------------------------------------------------------------------------- settings change the ranking as documented


def test_urgency_of_later_brings_later_use_cases_forward():
    default = roadmap_of(demo()).plan_of("increments")
    later = {it.item.id: it.wave for it in default.items}
    assert later["feed-analytics-to-dwh"] == default.waves  # ropo-attribution is 'later': last by default
    tuned = roadmap_of(with_roadmap_settings(demo(), urgency=m.UrgencyWeights(later=10))).plan_of("increments")
    waves = {it.item.id: it.wave for it in tuned.items}
    # ropo-attribution (value 3 + 10): identifier and feed 13/3 = 4.33, level with the best feeds
    assert tuned.items[0].item.id == "owner-moving_date"  # new-home-journey is 'later' too: 13/1
    assert waves["identify-analytics"] < later["identify-analytics"]
    assert waves["feed-analytics-to-dwh"] < later["feed-analytics-to-dwh"]
    value = {it.item.id: it.value for it in tuned.items}
    assert value["identify-analytics"] == 3 + 10


def test_effort_weight_moves_a_kind_later_and_capacity_changes_the_number_of_waves():
    ws = with_roadmap_settings(demo(), effort=m.EffortWeights(cleanse=12))
    p = roadmap_of(ws).plan_of("increments")
    cleanse = next(it for it in p.items if it.item.id == "cleanse-mobile_phone")
    assert cleanse.effort == 12 and cleanse.wsjf == pytest.approx(8 / 12)
    assert cleanse.wave > 1
    assert cleanse.end_wave == cleanse.wave + 1  # bigger than a wave (10): spans two, alone
    assert [it.item.id for it in p.items if cleanse.wave <= it.wave <= cleanse.end_wave] == ["cleanse-mobile_phone"]
    wide = roadmap_of(with_roadmap_settings(demo(), wave_capacity=100)).plan_of("increments")
    assert wide.waves == 1 and wide.first_value_wave == 1
    narrow = roadmap_of(with_roadmap_settings(demo(), wave_capacity=4)).plan_of("increments")
    assert narrow.waves > roadmap_of(demo()).plan_of("increments").waves


def test_wave_labels():
    assert wave_label(m.RoadmapSettings(first_wave="2027-Q3"), 1) == "2027-Q3"
    assert wave_label(m.RoadmapSettings(first_wave="2027-Q3"), 3) == "2028-Q1"
    assert wave_label(m.RoadmapSettings(wave_length="sprint"), 4) == "sprint 4"
    assert wave_label(m.RoadmapSettings(first_wave="PI 7"), 2) == "PI 7 +1"


# ----------------------------------------------------------------------------- written options, pins, cycles, votes


def test_an_accepted_option_plans_and_scores_exactly_like_the_generated_one():
    ws = demo()
    generated = {o.id: o for o in generate_options(ws, analyse(ws))}
    before = roadmap_of(ws).plan_of("registry")
    written = copy.deepcopy(generated["registry"])
    written.status = "shortlisted"
    ws.options.append(written)
    assert not [d for d in validate(ws) if d.severity == "error"]
    after = roadmap_of(ws)
    assert [p.id for p in after.plans].count("registry") == 1
    p = after.plan_of("registry")
    assert not p.generated
    assert [(i.item.id, i.wave) for i in p.items] == [(i.item.id, i.wave) for i in before.items]
    assert [g.key for g in p.closed] == [g.key for g in before.closed] and p.unlocks == before.unlocks


def _option(*items: tuple[str, float, list[str], int | None]) -> m.Option:
    return m.Option(
        "own",
        "Our own plan",
        style="custom",
        work_items=[m.WorkItem(i, "other", f"do {i}", effort=e, depends_on=list(d), wave=w) for i, e, d, w in items],
    )


def test_pins_are_kept_and_an_overfull_wave_is_noted():
    ws = demo()
    opt = _option(("a", 6, [], None), ("b", 6, [], 1), ("c", 1, ["a"], None), ("d", 2, [], 3))
    p = plan(ws, analyse(ws), opt)
    where = {it.item.id: it.wave for it in p.items}
    assert where["b"] == 1 and where["d"] == 3
    assert where["a"] == 1  # no value anywhere: file order, a first; then b is forced into its pinned wave
    assert any("over capacity" in n for n in p.notes)


def test_a_dependency_cycle_is_a_located_validation_error_and_refused_by_the_planner(tmp_path):
    ws = demo()
    ws.options.append(_option(("a", 1, ["c"], None), ("b", 1, ["a"], None), ("c", 1, ["b"], None)))
    with pytest.raises(RoadmapError, match="in a circle"):
        plan(ws, analyse(ws), ws.options[-1])
    path = tmp_path / "w.yaml"
    from needsmap.format.saver import save

    save(ws, path)
    result = open_workshop(path)
    cycles = [d for d in result.diagnostics if d.code == "dependency-cycle"]
    assert len(cycles) == 1 and cycles[0].severity == "error"
    assert re.match(
        rf"{re.escape(str(path))}:\d+:\d+: error: work items of option 'own' depend on each other", cycles[0].render()
    )


def test_votes_last_one_counts_and_means_by_function():
    ws = demo()
    ws.options.append(_option(("a", 1, [], None)))
    ws.votes = [
        m.Vote("sanne", "own", 2),
        m.Vote("noor", "own", 4),
        m.Vote("sanne", "own", 5),
        m.Vote("tom", "own", 1, comment="too slow"),
    ]
    t = tally(ws)["own"]
    assert t.by_stakeholder == {"sanne": 5, "noor": 4, "tom": 1}
    assert t.votes == 3 and t.mean == pytest.approx(10 / 3)
    assert t.by_function == {"marketing": 4.5, "sales": 1.0}
    text = markdown(roadmap_of(ws), ws)
    assert "| Sanne" in text or "Sanne" in text
    assert "too slow" in text


# ----------------------------------------------------------------------------- outputs are safe


def test_hostile_text_is_escaped_in_html_markdown_and_svg():
    ws = demo()
    evil = "<script>alert(1)</script> [x](javascript:y) | ]]>"
    ws.options.append(
        m.Option("evil", evil, description=evil, work_items=[m.WorkItem("w", "capture", evil, attribute="moving_date")])
    )
    rm = roadmap_of(ws)
    html = str(report_html(ws, rm))
    assert "<script>" not in html and "&lt;script&gt;" in html
    svg = value_chart(rm)
    assert "<script>" not in svg
    import xml.dom.minidom

    xml.dom.minidom.parseString(svg)  # well-formed
    md = markdown(rm, ws)
    assert "<script>" not in md
    doc = json_document(rm, ws, "w.yaml")
    assert doc["schema"] == "needsmap.roadmap/1"
    assert next(o for o in doc["options"] if o["id"] == "evil")["title"] == evil  # JSON keeps the text as is


def test_no_gaps_no_options():
    ws = m.Workshop(workshop=m.WorkshopInfo(name="empty"), functions=[], channels=[])
    rm = roadmap_of(ws)
    assert rm.plans == [] and rm.horizon == 0
    assert "No options" in markdown(rm, ws)


# ----------------------------------------------------------------------------- property: plans respect dependencies and capacity


@functools.lru_cache(maxsize=8)
def _synthetic(seed: int):
    ws = generate("small", seed)
    return ws, analyse(ws)


def _check_plan(p, capacity: float) -> None:
    graph = dependency_graph(p.option)
    position = {it.item.id: n for n, it in enumerate(p.items)}
    placed = {it.item.id: it for it in p.items}
    assert set(placed) == {w.id for w in p.option.work_items}
    for before, after in graph.edges:
        assert position[before] < position[after]
        b, a = placed[before], placed[after]
        assert b.end_wave <= a.wave
        if b.end_wave > b.wave:  # a multi-wave item is finished before anything waiting for it starts
            assert b.end_wave < a.wave
    load: dict[int, float] = {}
    for it in p.items:
        load[it.wave] = load.get(it.wave, 0) + it.effort
    for wave, points in load.items():
        starting = [it for it in p.items if it.wave == wave]
        if points > capacity + 1e-9:  # only an item bigger than a wave may overfill one, and then alone
            assert len(starting) == 1 and starting[0].effort > capacity
    spans = [(it.wave, it.end_wave) for it in p.items if it.end_wave > it.wave]
    for start, end in spans:
        assert all(not (start < it.wave <= end) for it in p.items)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(1, 4),
    capacity=st.sampled_from([0.5, 3, 7, 10, 25]),
    hub=st.sampled_from([1, 8, 30]),
    feed=st.sampled_from([0, 3, 11]),
)
def test_generated_plans_never_break_a_dependency_and_respect_capacity(seed, capacity, hub, feed):
    base, analysis = _synthetic(seed)
    ws = copy.copy(base)
    ws.settings = m.Settings(
        roadmap=m.RoadmapSettings(wave_capacity=capacity, effort=m.EffortWeights(hub=hub, feed=feed))
    )
    rm = build_roadmap(ws, analysis)
    assert rm.plans
    for p in rm.plans:
        _check_plan(p, capacity)


@st.composite
def random_options(draw):
    n = draw(st.integers(1, 25))
    ids = [f"w{i}" for i in range(n)]
    items = []
    for i in range(n):
        deps = draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=3)) if i else []
        items.append(
            m.WorkItem(
                ids[i],
                draw(st.sampled_from(m.WORK_KINDS)),
                f"item {i}",
                use_cases=draw(
                    st.lists(
                        st.sampled_from(["service-360", "cart-abandonment", "ropo-attribution"]),
                        unique=True,
                        max_size=2,
                    )
                ),
                effort=draw(st.one_of(st.none(), st.sampled_from([0, 0.5, 1, 2, 3, 8, 13]))),
                depends_on=deps,
            )
        )
    order = draw(st.permutations(items))
    return m.Option("own", "Random", style="custom", work_items=list(order))


@settings(max_examples=80, deadline=None)
@given(option=random_options(), capacity=st.sampled_from([1, 2.5, 5, 10]))
def test_any_written_option_is_planned_without_breaking_a_dependency(option, capacity):
    ws = _demo()
    ws2 = copy.copy(ws)
    ws2.settings = m.Settings(roadmap=m.RoadmapSettings(wave_capacity=capacity))
    p = plan(ws2, _demo_analysis(), option)
    _check_plan(p, capacity)


@functools.lru_cache(maxsize=1)
def _demo_analysis():
    return analyse(_demo())


def test_the_report_has_a_roadmap_section_with_the_chart_and_the_votes():
    from needsmap.report.render import build_report

    ws = demo()
    ws.options.append(copy.deepcopy(generate_options(ws, analyse(ws))[0]))
    ws.votes = [m.Vote("sanne", "increments", 5), m.Vote("tom", "increments", 3)]
    html = build_report(ws, analyse(ws), fmt="html", source_file="demo.yaml", diagrams=False)
    section = html[html.index('<section id="roadmap"') :]
    section = section[: section.index("</section>")]
    assert "<h2>Roadmap options</h2>" in section and "<svg" in section and "Value unlocked over time" in section
    assert "<td>Sanne de Vries</td><td>5</td>" in section and "<td>marketing</td><td>5.0</td>" in section
    md = build_report(ws, analyse(ws), fmt="md", source_file="demo.yaml", diagrams=False)
    assert "## Roadmap options" in md and "| Option | Gaps closed |" in md
    assert "| Sanne de Vries | 5 |" in md
    mine = build_report(ws, analyse(ws), fmt="md", source_file="demo.yaml", diagrams=False, for_stakeholder="sanne")
    assert "## Roadmap options" not in mine  # one stakeholder's view leaves the comparison to the full report


def test_a_workshop_without_any_identifier_gets_identity_work_in_every_option_that_builds_identity():
    """no-identifier findings without identity-island findings (nothing identifies anyone anywhere)."""
    ws = demo()
    ws.attributes = [dataclasses.replace(a, identifier=False) for a in ws.attributes]
    analysis = analyse(ws)
    rules = {g.rule for g in analysis.gaps}
    assert "no-identifier" in rules and "identity-island" not in rules
    roadmap = build_roadmap(ws, analysis)
    registry = next(p for p in roadmap.plans if p.option.effective_style == "registry")
    unidentified = {s for g in analysis.gaps if g.rule == "no-identifier" for s in g.subject_ids("system")}
    identified = {w.system for w in registry.option.work_items if w.kind == "identifier"}
    assert unidentified and unidentified <= identified


def test_identity_work_links_people_only_through_a_person_key():
    """A policy or contract number identifies a contract, not a person: the roadmap never plans it as the key."""
    from needsmap.roadmap.facts import Facts

    ws = m.Workshop(
        attributes=[
            m.Attribute(id="policy_number", name="Policy number", identifies="contract"),
            m.Attribute(id="customer_id", name="Customer id", identifies="person"),
            m.Attribute(id="old_key", name="Old key", identifier=True),
        ]
    )
    assert Facts(ws, analyse(ws)).identifiers == {"customer_id", "old_key"}
