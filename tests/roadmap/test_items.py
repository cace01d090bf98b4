"""Work items that are true of the file: what each title claims is checked against the feeds, holdings and
process steps; no option schedules work an error finding forbids; no change is counted twice."""

from __future__ import annotations

import functools
import re

import pytest

from needsmap.analysis.engine import analyse
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.roadmap.engine import Roadmap, build_roadmap, plan
from needsmap.roadmap.facts import Facts
from tests.conftest import ROOT

WORKSHOPS = ("omnichannel-retail", "water-utility", "health-insurer")


@functools.cache
def _loaded(name: str) -> tuple[m.Workshop, Facts, Roadmap]:
    ws = open_workshop(ROOT / "workshops" / f"{name}.yaml").workshop
    assert ws is not None
    analysis = analyse(ws)
    return ws, Facts(ws, analysis), build_roadmap(ws, analysis)


def _names_in(text: str, f: Facts) -> list[str]:
    """The attributes ``text`` lists by name (names joined by "; " and " and "); fails on anything else."""
    found, rest = [], text
    for a in sorted(f.attrs.values(), key=lambda a: -len(a.name or a.id)):
        name = a.name or a.id
        if name in rest:
            found.append(a.id)
            rest = rest.replace(name, "\0")
    assert re.fullmatch(r"\0((; | and )\0)*", rest), f"not only attribute names: {text!r}"
    return found


def _feed_claims(f: Facts, item: m.WorkItem, captured: set[tuple[str, str]]) -> None:
    source, target = item.system, item.to
    assert source and target
    src, dst = f.system_name(source), f.system_name(target)
    on_feed = f.feed_attrs.get((source, target), set())
    title = item.title
    if title.startswith("New feed from "):
        assert (source, target) not in f.feeds, f"'{title}': there is a feed from {source} to {target} already"
        assert title.startswith(f"New feed from {src} to {dst}: ")
    elif title.startswith("Add "):
        assert (source, target) in f.feeds, f"'{title}': there is no feed from {source} to {target}"
        added = title[len("Add ") : title.index(f" to the feed from {src} to {dst}")]
        for a in _names_in(added, f):
            assert a not in on_feed, f"'{title}': {a} is on the feed from {source} to {target} already"
            assert (source, a) in f.holding or (source, a) in captured, f"'{title}': {source} does not hold {a}"
    elif title.startswith("Run the feed from "):
        assert (source, target) in f.feeds, f"'{title}': there is no feed from {source} to {target}"
        found = re.fullmatch(r"Run the feed from .+ to .+ at least (\w+), for (.+) \((.+)\)", title)
        assert found, title
        faster, carried, now = found.groups()
        carried_ids = _names_in(carried, f)
        for a in carried_ids:
            assert a in on_feed, f"'{title}': {a} is not on the feed from {source} to {target}"
        ranks = [f.feed_rank[(source, target, a)] for a in carried_ids]
        recorded = "unknown" if None in ranks else m.FRESHNESS[max(r for r in ranks if r is not None)]
        if recorded == "unknown":
            assert now == "how often it runs is not recorded"
        else:
            assert now == f"it runs {recorded} now"
            assert m.FRESHNESS_RANK[recorded] > m.FRESHNESS_RANK[faster], f"'{title}': it runs {recorded} already"
    else:
        pytest.fail(f"a feed between two systems says neither new, add nor run: '{title}'")


def _capture_claims(f: Facts, item: m.WorkItem) -> None:
    attr, system = item.attribute, item.system
    if system is None:  # into the hub (consolidation, coexistence)
        return
    assert attr is not None
    creating = [*f.creators.get(attr, ()), *f.updaters.get(attr, ()), *f.masters.get(attr, ())]
    if creating and item.id.startswith("capture-") and item.title.startswith("Start capturing"):
        assert system in creating, f"'{item.title}': {attr} is created in {creating}, not in {system}"
    if item.id.startswith("identify-customers-in-"):
        # customers are identified on a channel in a system its steps use, one that creates data if any does
        channels = re.match(r"Identify customers on (.+): record ", item.title).group(1).replace(" and ", ", ")
        for channel in channels.split(", "):
            systems = f.channel_systems[channel]
            assert system in systems or any(f.creates_data(s) for s in systems)
            assert f.creates_data(system) or not any(f.creates_data(s) for s in systems)
    elif any(f.creates_data(s) for s in f.systems):
        assert f.creates_data(system), f"'{item.title}': {system} only uses data (an activation tool)"
    assert f.system_name(system) in item.title and f.attr_name(attr) in item.title


def test_every_work_item_names_a_change_that_is_true_of_the_file():
    checked = {"feed": 0, "capture": 0, "identifier": 0}
    for name in WORKSHOPS:
        ws, f, rm = _loaded(name)
        for p in rm.plans:
            captured = {(it.item.system or "", it.item.attribute or "") for it in p.items if it.kind == "capture"}
            for it in p.items:
                w = it.item
                if w.kind == "feed" and w.system and w.to:
                    _feed_claims(f, w, captured)
                    checked["feed"] += 1
                elif w.kind == "capture":
                    _capture_claims(f, w)
                    checked["capture"] += 1
                elif w.kind == "identifier":
                    # identity work links people only through a person-level key, held where it is missing
                    assert w.attribute in f.identifiers and w.system is not None
                    assert w.attribute not in f.held_in[w.system], f"'{w.title}': held there already"
                    checked["identifier"] += 1
                elif w.kind == "system_change" and w.id.startswith("sync-"):
                    # a two-way sync writes back only into a system whose process steps write the data
                    assert f.written_in.get(w.system or ""), f"'{w.title}': no process step writes there"
    assert all(n >= 5 for n in checked.values()), checked


def test_a_capture_goes_where_the_process_creates_the_data_never_into_an_activation_tool():
    _, f, rm = _loaded("omnichannel-retail")
    inc = {it.item.id: it.item for it in rm.plan_of("increments").items}
    # the moving date is held nowhere and used by a campaign in the marketing tool, whose processes only record
    # opt-ins: the web shop, whose processes create the most customer data, captures it, and the feed it already has
    # to the marketing tool takes it on
    written = {s: len(f.written_in.get(s, ())) for s in f.systems}
    assert max(written, key=lambda s: written[s]) == "webshop" and written["campaigns"] == 2
    assert inc["capture-moving_date"].system == "webshop"
    feed = inc["feed-webshop-to-campaigns"]
    assert "capture-moving_date" in feed.depends_on
    assert feed.title.startswith("Add Expected moving date and Household size to the feed from Web shop")


def test_an_unknown_feed_frequency_never_counts_a_stale_need_as_fresh():
    """A held daily, fed on to B at a frequency nobody recorded; the use case in B needs it hourly.  Refreshing it
    in A alone does not make it fresh in B (the feed may run weekly): the generated work runs the feed at least
    hourly too, and says that its frequency is not recorded."""
    ws = m.Workshop(
        attributes=[
            m.Attribute(id="cart", name="Cart contents"),
            m.Attribute(id="cid", name="Id", identifies="person"),
        ],
        systems=[
            m.System(
                id="a",
                name="Shop",
                holds=[m.Holding("cart", role="master", freshness="daily"), m.Holding("cid", role="master")],
                feeds=[m.Feed("b", ["cart", "cid"])],
            ),
            m.System(id="b", name="Mailer", holds=[m.Holding("cid")]),
        ],
        use_cases=[
            m.UseCase(
                id="abandon",
                title="Cart reminder",
                value=5,
                executes_in=["b"],
                needs=[m.Need("cart", freshness="hourly"), m.Need("cid")],
            )
        ],
    )
    analysis = analyse(ws)
    stale = [g for g in analysis.gaps if g.rule == "stale"]
    assert len(stale) == 1 and stale[0].details["path_freshness"] == "unknown"
    rm = build_roadmap(ws, analysis)
    inc = rm.plan_of("increments")
    titles = {it.item.id: it.item.title for it in inc.items}
    assert titles["refresh-cart-in-a"] == "Refresh Cart contents in Shop at least hourly"
    assert titles["feed-a-to-b"] == (
        "Run the feed from Shop to Mailer at least hourly, for Cart contents (how often it runs is not recorded)"
    )
    assert inc.unlocks == {"abandon": 1}
    # a written option that only refreshes the holding leaves the stale need open
    only_refresh = m.Option(
        "refresh-only",
        "Refresh at the source",
        work_items=[m.WorkItem("r", "system_change", "Refresh", attribute="cart", system="a", use_cases=["abandon"])],
    )
    p = plan(ws, analysis, only_refresh)
    assert stale[0] in p.left and "abandon" in p.not_unlocked


@pytest.mark.parametrize(
    ("name", "forbidden"),
    [
        ("water-utility", {"water-saving-sms", "plumbing-cover-calls"}),
        ("health-insurer", {"fraud-detection", "supplementary-cover-campaign"}),
    ],
)
def test_no_option_schedules_work_an_error_finding_forbids(name, forbidden):
    ws, f, rm = _loaded(name)
    assert set(f.forbidden) == forbidden
    special = {a.id for a in ws.attributes if a.is_special_category}
    uses = {u.id: u for u in ws.use_cases}
    # a hub loads only what a use case that may go ahead needs: not the data only a forbidden one wants
    allowed_needs = {
        n.attribute for u in ws.use_cases if u.id not in forbidden and u.status != "rejected" for n in u.needs
    }
    only_forbidden = {n.attribute for u in forbidden for n in uses[u].needs} - allowed_needs
    assert f.needed == allowed_needs and not only_forbidden & f.needed
    if name == "health-insurer":
        assert "health_risk_score" in only_forbidden  # the upsell's health data never reaches the hub
    for p in rm.plans:
        decisions = {it.item.id: it.item for it in p.items if it.kind == "decision"}
        for uc in forbidden:
            # a decision needed (legal/privacy) lists the use case, and it stays blocked until decided
            decision = decisions[f"decide-{uc}"]
            assert decision.title.startswith("Decision needed (legal/privacy): ")
            assert decision.use_cases == [uc]
            assert uc not in p.unlocks and p.not_unlocked[uc].startswith("waiting for a decision (legal/privacy)")
        for it in p.items:
            if it.kind == "decision":
                continue
            assert not set(it.item.use_cases) & forbidden, f"{p.id}: '{it.item.title}' serves {it.item.use_cases}"
            # no special-category data fed to where only a forbidden use case needs it
            if it.kind == "feed" and it.item.to:
                needing = {
                    u
                    for u, uc in uses.items()
                    if it.item.to in uc.executes_in and any(n.attribute in special for n in uc.needs)
                }
                if needing and needing <= forbidden:
                    assert not any(f.attr_name(a) in it.item.title for a in special), it.item.title


def test_no_change_is_counted_twice():
    for name in WORKSHOPS:
        _, _, rm = _loaded(name)
        for p in rm.plans:
            keys: dict[tuple, str] = {}
            for it in p.items:
                w = it.item
                if w.kind == "feed":
                    key: tuple = ("feed", w.system, w.to) if w.system and w.to else ("feed", w.id)
                elif w.kind in ("capture", "identifier"):
                    key = ("holds", w.attribute, w.system or "the hub")
                elif w.kind in ("owner", "master", "cleanse"):
                    key = (w.kind, w.attribute)
                elif w.kind == "decision":
                    key = ("decision", *w.use_cases)
                else:
                    key = (w.kind, w.system, w.attribute, w.id)
                assert key not in keys, f"{name} {p.id}: '{w.title}' repeats '{keys[key]}'"
                keys[key] = w.title
            assert p.effort == pytest.approx(sum(it.effort for it in p.items))


def test_identifying_captures_list_their_channels_on_one_item_per_system():
    _, f, rm = _loaded("health-insurer")
    registry = rm.plan_of("registry")
    crm = [it.item for it in registry.items if it.item.kind == "capture" and it.item.system == "crm"]
    assert len(crm) == 1
    assert (
        crm[0].title == "Identify customers on outbound_call, post and sms: record Member number in Member service CRM"
    )
    assert crm[0].attribute == "member_number" and f.attrs["member_number"].identifies_person


def test_water_utility_first_wave_as_worked_out_by_hand():
    """docs/roadmap.md, "Review": the phone number's owner, master and clean-up (for the outage texts and the welfare
    calls), and three decisions (two consents, one place to run) fill 8 of the 10 points of wave 1."""
    _, _, rm = _loaded("water-utility")
    inc = rm.plan_of("increments")
    first = {it.item.id for it in inc.items if it.wave == 1}
    assert first == {
        "owner-phone_number",
        "master-phone_number",
        "cleanse-phone_number",
        "decide-water-saving-sms",
        "decide-plumbing-cover-calls",
        "decide-complaint-root-cause",
    }
    by_id = {it.item.id: it for it in inc.items}
    assert by_id["master-phone_number"].item.system == "cis"  # the move-in step creates it in the CIS
    assert by_id["feed-crm-to-dwh"].item.title == (
        "Add On the Priority Services Register to the feed from Customer engagement CRM to Customer data warehouse"
    )
    assert by_id["feed-contactcentre-to-crm"].item.title.startswith("New feed from Contact centre platform")
    assert inc.unlocks == {
        "outage-sms-alerts": 1,
        "psr-priority-contact": 1,
        "debt-recovery-calls": 2,
        "leak-alerts": 2,
        "ebilling": 3,
        "regulator-psr-reporting": 3,
    }
