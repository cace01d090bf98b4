"""Diagrams (Graphviz) and inline SVG charts of the report.

The demo's three kinds of diagrams are rendered with the real ``dot``; hostile
names must give DOT that Graphviz parses and SVG that executes nothing; the
enterprise synthetic workshop must aggregate and stay fast; a missing ``dot``
gives a message, never an exception.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from needsmap.analysis.engine import analyse
from needsmap.format import model as m
from needsmap.report import charts as C
from needsmap.report import diagrams as D
from needsmap.util import graphviz as G

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")

try:  # the synthetic generator arrives separately
    from needsmap.synthetic.builder import generate
except ImportError:  # pragma: no cover
    generate = None


# -- helpers -----------------------------------------------------------------------------------
def render(diagram: D.Diagram) -> ET.Element:
    result = G.render_svg(diagram)
    assert result.error is None, result.error
    assert result.svg is not None
    return ET.fromstring(result.svg)


def visible_text(root: ET.Element) -> str:
    """All text drawn in the SVG, wrapped lines joined with spaces."""
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def nodes(root: ET.Element) -> dict[str, ET.Element]:
    """Node groups of a Graphviz SVG by their tooltip (the <title>: full text)."""
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            title = g.find(f"{SVG}title")
            if title is not None and title.text:
                out[title.text] = g
    return out


def node_starting(root: ET.Element, prefix: str) -> ET.Element:
    found = [g for t, g in nodes(root).items() if t.startswith(prefix)]
    assert len(found) == 1, (prefix, list(nodes(root)))
    return found[0]


def shape_of(g: ET.Element) -> ET.Element:
    """The outline drawn for a node (rounded boxes are paths, others polygons/ellipses)."""
    for el in g:
        if el.tag in (f"{SVG}path", f"{SVG}polygon", f"{SVG}ellipse"):
            return el
    raise AssertionError("node without a shape")


def assert_nothing_executes(svg: str) -> None:
    root = ET.fromstring(svg)
    for el in root.iter():
        tag = el.tag.split("}")[-1].lower()
        assert tag not in ("script", "img", "foreignobject", "iframe"), tag
        for name in el.attrib:
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), (tag, name)
            assert local != "href" or not el.attrib[name].lower().startswith("javascript"), el.attrib[name]
    assert "<script" not in svg.lower()
    assert "<img" not in svg.lower()


# -- the demo ------------------------------------------------------------------------------------
@needs_dot
def test_demo_landscape_shows_every_system_and_feed(demo):
    ws, an = demo
    d = D.landscape_dot(ws, an)
    assert (d.name, d.aggregated, d.note) == ("landscape", False, "")
    assert 'rankdir="LR"' in d.dot
    root = render(d)
    assert root.tag == f"{SVG}svg"
    text = visible_text(root)
    for sy in ws.systems:
        assert sy.name in text, sy.name
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == len({(s.id, f.to) for s in ws.systems for f in s.feeds})
    assert "hourly \u00b7 7" in text  # web shop -> marketing automation: 7 attributes hourly
    assert "Systems by kind" in text and "Feeds" in text  # the legend


@needs_dot
def test_demo_islands_are_highlighted(demo):
    ws, an = demo
    root = render(D.landscape_dot(ws, an))
    analytics = node_starting(root, "Web analytics")
    survey = node_starting(root, "Customer feedback surveys")
    pos = node_starting(root, "Store tills")
    assert shape_of(analytics).get("stroke") == D.ALERT
    assert "identity island" in visible_text(analytics)
    assert shape_of(survey).get("stroke") == D.ALERT
    assert shape_of(survey).get("stroke-dasharray")  # dashed: no identifier at all
    assert "no identifier" in visible_text(survey)
    assert shape_of(pos).get("stroke") != D.ALERT


@needs_dot
def test_demo_identity_graph_shows_groups_islands_and_unlinked(demo):
    ws, an = demo
    d = D.identity_dot(ws, an)
    assert not d.aggregated
    root = render(d)
    text = visible_text(root)
    assert "Linked group : 8 systems share identifiers" in text
    assert "Island : cannot be linked to the main group" in text
    assert "No identifier : customer data that cannot be tied to a known customer" in text
    for sy in ws.systems:
        assert sy.name in text, sy.name
    clusters = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "cluster":
            clusters[visible_text(g)] = g
    island = next(g for t, g in clusters.items() if t.startswith("Island"))
    unlinked = next(g for t, g in clusters.items() if t.startswith("No identifier"))
    assert shape_of(island).get("stroke") == D.ALERT
    assert shape_of(unlinked).get("stroke") == D.ALERT
    # the identifiers are nodes; web analytics' visitor id is held there only
    visitor = node_starting(root, "identifier Web visitor id")
    assert "held here only" in visible_text(visitor)
    assert shape_of(node_starting(root, "Web analytics")).get("stroke") == D.ALERT
    # every system with an identifier is joined to each of its identifiers
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == sum(len(r.identifiers) for r in an.systems)


@needs_dot
@pytest.mark.parametrize("use_case", ["welcome-journey", "nbo-in-store", "cart-abandonment"])
def test_demo_lineage_colours_needs_by_status(demo, use_case):
    ws, an = demo
    d = D.lineage_dot(ws, an, use_case)
    assert d.name == f"lineage-{use_case}" and not d.aggregated
    root = render(d)
    uc = next(u for u in ws.use_cases if u.id == use_case)
    readiness = an.readiness[use_case]
    owner = next(s for s in ws.stakeholders if s.id == uc.owner)
    text = visible_text(root)
    assert owner.name in text and uc.title in text
    assert f"{readiness.must_satisfied} of {readiness.must_total} must-needs met" in text
    attrs = {a.id: a for a in ws.attributes}
    for ns in readiness.needs:
        g = node_starting(root, f"{attrs[ns.attribute].name} ({ns.attribute})")
        state = (
            "missing"
            if {"missing-source", "unreachable"} & set(ns.problems)
            else ("risk" if {"stale", "low-quality", "low-coverage"} & set(ns.problems) else "ok")
        )
        assert shape_of(g).get("fill") == D.NEED_STYLE[state][0], (ns.attribute, ns.problems)
    for sid in uc.executes_in:
        name = next(s.name for s in ws.systems if s.id == sid)
        g = node_starting(root, name)
        assert "runs the use case" in visible_text(g)


@needs_dot
def test_demo_lineage_draws_the_feed_path(demo):
    ws, an = demo
    # welcome-journey: preferred_store travels loyalty -> campaigns on a daily feed
    d = D.lineage_dot(ws, an, "welcome-journey")
    root = render(d)
    assert "feed \u00b7 daily \u00b7 3 attributes" in visible_text(root)
    titles = [t.text for t in root.iter(f"{SVG}title") if t.text]
    assert any(t.startswith("feed loyalty \u2192 campaigns brings") and "preferred_store" in t for t in titles)


def test_lineage_of_an_unknown_use_case_is_a_key_error(demo):
    ws, an = demo
    with pytest.raises(KeyError):
        D.lineage_dot(ws, an, "no-such-use-case")


@needs_dot
def test_inline_svg_is_ready_for_html(demo):
    ws, an = demo
    diagrams = D.all_diagrams(ws, an, ["welcome-journey", "nbo-in-store"])
    seen_ids: set[str] = set()
    for d in diagrams:
        r = G.render_svg(d)
        assert r.ok and r.seconds < 5
        svg = r.svg
        assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
        root = ET.fromstring(svg)
        assert root.get("width") == "100%" and root.get("height") is None
        assert re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+", root.get("viewBox"))
        assert root.get("role") == "img" and root.get("aria-label") == d.title
        ids = [el.get("id") for el in root.iter() if el.get("id")]
        assert ids and all(i.startswith(f"nm-{d.name}-") for i in ids)
        assert not seen_ids.intersection(ids), "ids must be unique across the diagrams of one page"
        seen_ids.update(ids)
        # generated node names never show as tooltips
        assert not [t.text for t in root.iter(f"{SVG}title") if t.text and re.fullmatch(r"n\d+", t.text)]


def test_node_ids_are_generated_and_dot_is_deterministic(demo):
    ws, an = demo
    d1, d2 = D.landscape_dot(ws, an), D.landscape_dot(ws, an)
    assert d1.dot == d2.dot
    ids = re.findall(r"^\s*(\S+) \[", d1.dot, re.M)
    assert ids and all(re.fullmatch(r"n\d+|graph|node|edge", i) for i in ids)
    for sy in ws.systems:
        assert not re.search(rf"^\s*{re.escape(sy.id)}\b", d1.dot, re.M)


# -- hostile names -----------------------------------------------------------------------------------
HOSTILE = [
    '"',
    "\\",
    "<script>alert(1)</script>",
    '"><img onerror=alert(1)>',
    "{{ 7*7 }}",
    "]; x -> y [",
    "line one\nline two",
    "\x1b[31mred",
    "L" * 300,
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467 emoji",
    "a\\N b\\G c\\",
    "&amp; &lt;",
    "|{a|b}|",
    "\u202eevil",
    "}; digraph X {",
    "<<B>bold</B>>",
    "\x00nul\x7f",
]


def hostile_workshop() -> m.Workshop:
    h = HOSTILE
    attrs = [m.Attribute(id=f"id{i}", name=x, entity=x, identifier=True) for i, x in enumerate(h[:4])] + [
        m.Attribute(id=f"a{i}", name=x, entity=x, owner="boss") for i, x in enumerate(h)
    ]
    systems = []
    for i, x in enumerate(h):
        holds = [m.Holding(attribute=f"a{i}", role="master", quality=2), m.Holding(attribute=f"id{i % 3}")]
        feeds = [m.Feed(to=f"s{(i + 1) % len(h)}", attributes=[f"a{i}", f"id{i % 3}"], frequency="daily")]
        systems.append(m.System(id=f"s{i}", name=x, kind=x, supplier=x, holds=holds, feeds=feeds))
    systems.append(m.System(id="island", name=h[2], kind=h[3], holds=[m.Holding(attribute="id3")]))
    systems.append(m.System(id="noid", name=h[3], kind=h[4], holds=[m.Holding(attribute="a1")]))
    # ids are checked by the loader, but the diagrams must not trust them either
    systems.append(
        m.System(
            id='x"];y->z[label="',
            name="odd id",
            kind="crm",
            holds=[m.Holding(attribute="id0")],
            feeds=[m.Feed(to="s0", attributes=["id0"])],
        )
    )
    people = [m.Stakeholder(id="boss", name=h[3], role=h[2], function=h[5])]
    uc = m.UseCase(
        id="uc<1>",
        title=h[2] + h[3],
        owner="boss",
        executes_in=["s0", "noid"],
        value=3,
        horizon="now",
        needs=[m.Need(attribute=a.id, freshness="hourly", purpose=h[2]) for a in attrs]
        + [m.Need(attribute="missing", criticality="should")],
    )
    return m.Workshop(attributes=attrs, systems=systems, use_cases=[uc], stakeholders=people)


@needs_dot
def test_hostile_names_give_valid_dot_and_inert_svg():
    ws = hostile_workshop()
    an = analyse(ws)
    for d in D.all_diagrams(ws, an, ["uc<1>"]):
        for bad in ("<script", "onerror=alert(1)>", "\x1b", "\n\n"):
            assert bad not in d.dot.replace("onerror=alert(1)&gt;", ""), (d.name, bad)
        proc = subprocess.run(["dot", "-Tcanon"], input=d.dot.encode(), capture_output=True, timeout=30)
        assert proc.returncode == 0, proc.stderr.decode()
        assert b"syntax error" not in proc.stderr.lower()
        r = G.render_svg(d)
        assert r.error is None, r.error
        assert_nothing_executes(r.svg)
        text = visible_text(ET.fromstring(r.svg))
        # the text is there, escaped, not interpreted
        assert "<script>alert" in text and "(1)</script>" in text
        assert '"><img onerror=alert(1)>' in text
        assert "{{ 7*7 }}" in text
        assert "]; x -> y [" in text
        assert "\\x1b[31mred" in text  # the escape character is shown, not sent to a terminal
        assert "\\u202eevil" in text  # a bidi override is shown, not obeyed
        assert "a\\N b\\G c\\" in text  # Graphviz's \N and \G are not expanded
        assert "&amp; &lt;" in text  # entities are not decoded
        assert "<<B>bold</B>>" in text
        assert HOSTILE[9] in text and HOSTILE[10] in text  # Arabic, Hebrew
        assert "\U0001f600" in text
        assert "L" * 300 not in text and "L" * 40 not in text and "L\u2026" in text  # shortened
        assert "line one line two" in text or "line one" in text


@needs_dot
def test_hostile_text_in_titles_and_tooltips_is_escaped():
    ws = hostile_workshop()
    an = analyse(ws)
    d = D.lineage_dot(ws, an, "uc<1>")
    assert "\n" not in d.title and "\x1b" not in d.title
    r = G.render_svg(d)
    root = ET.fromstring(r.svg)
    assert root.get("aria-label") == d.title
    titles = " ".join(t.text or "" for t in root.iter(f"{SVG}title"))
    assert "<script>alert(1)</script>" in titles  # full text on hover, as text
    assert_nothing_executes(r.svg)


def test_html_text_escapes_every_special_character():
    assert G.html_text('<a href="x">&\'\\') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\\\"
    assert G.html_text("a\nb\tc\r\nd") == "a b c d"
    assert G.html_text("\x1b[0m\x00\x7f") == "\\\\x1b[0m\\\\x00\\\\x7f"
    assert G.html_text("x" * 100, 10) == "x" * 9 + "\u2026"
    assert G.html_text("\U0001f468\u200d\U0001f469\u200d\U0001f467" * 5, 4).endswith("\u2026")
    assert G.clean_text("\ud800 lone surrogate") == "\ufffd lone surrogate"


def test_unsafe_attribute_values_are_refused():
    d = D._Dot()
    with pytest.raises(ValueError):
        d.node("x", color='red"];evil[')


# -- scale -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def enterprise():
    if generate is None:
        pytest.skip("the synthetic generator is not available")
    ws = generate("enterprise", 1)
    big = copy.deepcopy(ws.use_cases[0])
    big.id, big.title = "everything", "Everything at once"
    big.needs = [m.Need(attribute=a.id) for a in ws.attributes[::25]][:100]
    ws.use_cases.append(big)
    return ws, analyse(ws)


def _timed(diagram: D.Diagram) -> float:
    r = G.render_svg(diagram)
    assert r.error is None, r.error
    ET.fromstring(r.svg)
    return r.seconds


@needs_dot
@pytest.mark.slow
def test_enterprise_landscape_and_identity_aggregate(enterprise):
    ws, an = enterprise
    land = D.landscape_dot(ws, an)
    assert land.aggregated and land.note.startswith("Aggregated: 120 systems are shown as")
    assert land.dot.count("->") <= D.LANDSCAPE_MAX_KIND_LINKS
    assert _timed(land) < 5
    ident = D.identity_dot(ws, an)
    assert ident.aggregated and "summarised in one table" in ident.note
    assert _timed(ident) < 5
    root = ET.fromstring(G.render_svg(ident).svg)
    text = visible_text(root)
    # 106, not all 115 holding identifiers: systems link only through person-level identifiers filled for
    # enough customers (min_coverage); nine systems share only thinly filled or non-person ones
    assert "Linked group: 106 systems can recognise the same customer" in text
    assert "identity island" in text  # the islands are still drawn system by system


@needs_dot
@pytest.mark.slow
def test_enterprise_lineage_caps_holders_and_aggregates_entities(enterprise):
    ws, an = enterprise
    scv = D.lineage_dot(ws, an, "single-customer-view")
    assert not scv.aggregated and "at most 3 systems are drawn per attribute" in scv.note.lower()
    assert _timed(scv) < 5
    big = D.lineage_dot(ws, an, "everything")
    assert big.aggregated and big.note.startswith("Aggregated: 100 needed attributes are shown as")
    assert "shown as" in big.note and "kinds" in big.note
    assert _timed(big) < 5


@needs_dot
def test_mid_size_landscape_groups_systems_by_kind(demo):
    ws, an = demo
    ws = copy.deepcopy(ws)
    for i in range(12):
        ws.systems.append(
            m.System(
                id=f"extra{i}",
                name=f"Extra shop {i}",
                kind="ecommerce",
                holds=[m.Holding(attribute="email")],
                feeds=[m.Feed(to="dwh", attributes=["email"], frequency="daily")],
            )
        )
    d = D.landscape_dot(ws, analyse(ws))
    assert not d.aggregated and "grouped in a box per kind" in d.note
    assert "subgraph cluster_" in d.dot
    assert "Extra shop 3" in visible_text(render(d))


def test_empty_workshop_gives_placeholder_diagrams():
    ws = m.Workshop()
    an = analyse(ws)
    for d in (D.landscape_dot(ws, an), D.identity_dot(ws, an)):
        assert "n1" in d.dot and not d.aggregated


# -- rendering without / with a failing Graphviz ---------------------------------------------------------
def test_render_without_dot_returns_the_install_message(demo, monkeypatch, tmp_path):
    ws, an = demo
    monkeypatch.setenv("PATH", str(tmp_path))
    G.dot_available.cache_clear()
    try:
        assert G.dot_available() is False
        r = G.render_svg(D.landscape_dot(ws, an))
    finally:
        G.dot_available.cache_clear()
    assert r.svg is None and not r.ok
    assert "apt-get install graphviz" in r.error and "brew install graphviz" in r.error
    assert "https://graphviz.org/download/" in r.error


@needs_dot
def test_graphviz_errors_and_timeouts_are_returned_not_raised(monkeypatch):
    broken = G.Diagram("broken", "Broken", "digraph G { a -> }")
    r = G.render_svg(broken)
    assert r.svg is None and r.error.startswith("Graphviz could not draw this diagram")

    def too_slow(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], kwargs.get("timeout", 1))

    monkeypatch.setattr(G.subprocess, "run", too_slow)
    r = G.render_svg(G.Diagram("slow", "Slow", "digraph G { a }"), timeout=0.5)
    assert r.svg is None and "longer than 0.5 s" in r.error


def test_dot_available_is_cached(monkeypatch):
    G.dot_available.cache_clear()
    first = G.dot_available()
    monkeypatch.setattr(G, "find_dot", lambda: None if first else "/usr/bin/dot")
    assert G.dot_available() is first
    G.dot_available.cache_clear()


def test_diagram_modules_do_not_import_the_terminal_ui():
    code = (
        "import sys\nimport needsmap.report.diagrams, needsmap.report.charts\n"
        "print(','.join(sorted(x for x in sys.modules if x.split('.')[0] in ('textual', 'click', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    code = "import sys\nimport needsmap.report.charts\nprint('networkx' in sys.modules, 'graphviz' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


# -- charts -------------------------------------------------------------------------------------------------
def test_readiness_bar_is_accessible_well_formed_svg(demo):
    _, an = demo
    counts = an.readiness_counts()
    svg = C.readiness_bar(counts, "Readiness of all use cases")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("viewBox")
    assert root.find(f"{SVG}title").text == "Readiness of all use cases"
    desc = root.find(f"{SVG}desc").text
    assert desc == (
        f"{sum(counts.values())} use cases: {counts['blocked']} blocked, {counts['at-risk']} at risk, "
        f"{counts['ready']} ready."
    )
    text = visible_text(root)
    for word, key in (("Blocked", "blocked"), ("At risk", "at-risk"), ("Ready", "ready")):
        assert f"{word}: {counts[key]}" in text
    # colour is not the only cue: blocked and at-risk have their own patterns
    assert len(list(root.iter(f"{SVG}pattern"))) == 2


def test_readiness_bar_edge_cases():
    empty = ET.fromstring(C.readiness_bar({}, "Nothing"))
    assert "No use cases yet" in visible_text(empty)
    only = ET.fromstring(C.readiness_bar({"ready": 3, "weird": 9}, "Only ready"))
    assert "Ready: 3 (100%)" in visible_text(only)
    a, b = C.readiness_bar({"ready": 1}, "A"), C.readiness_bar({"ready": 2}, "B")
    ids_a = {el.get("id") for el in ET.fromstring(a).iter() if el.get("id")}
    ids_b = {el.get("id") for el in ET.fromstring(b).iter() if el.get("id")}
    assert not ids_a & ids_b
    assert 'id="nmc-exec-' in C.readiness_bar({"ready": 1}, "A", chart_id="exec")


def test_readiness_per_use_case_rows_in_order_with_escaped_labels(demo):
    ws, an = demo
    values = {u.id: u.value for u in ws.use_cases}
    rows = [(r.title, values[r.use_case], r.status, r.must_share) for r in an.readiness.values()]
    rows.append((HOSTILE[3] + HOSTILE[2], None, "<b>odd</b>", "not a number"))
    svg = C.readiness_per_use_case(rows)
    assert_nothing_executes(svg)
    root = ET.fromstring(svg)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("x") == "10" and t.get("font-size") == "12"]
    assert [("".join(t.itertext())) for t in labels][0] == rows[0][0] + rows[0][0]  # <title> + shown text
    text = visible_text(root)
    assert '"><img onerror=alert(1)>' in text and "<b>odd</b>" in text
    assert text.index(rows[0][0]) < text.index(rows[1][0])
    assert "100%" in text and "\u2013" in text  # value unknown


def test_readiness_per_use_case_handles_hostile_and_empty_input():
    for label in HOSTILE:
        svg = C.readiness_per_use_case([(label, 3, "ready", 0.5)], title=label)
        assert_nothing_executes(svg)
        assert "\x1b" not in svg and "\x00" not in svg
    assert "No use cases yet" in visible_text(ET.fromstring(C.readiness_per_use_case([])))


def test_heat_and_freshness_colours():
    assert C.heat_colour(None) == C.UNKNOWN_COLOUR
    assert [C.heat_colour(q) for q in range(1, 6)] == list(C.HEAT_SCALE)
    assert C.heat_colour(0) == C.heat_colour(1) and C.heat_colour(9) == C.heat_colour(5)
    assert C.freshness_colour("realtime") == C.heat_colour(5)
    assert C.freshness_colour("monthly") == C.heat_colour(1)
    assert C.freshness_colour("unknown") == C.freshness_colour(None) == C.freshness_colour("??") == C.UNKNOWN_COLOUR
    for colour in list(C.HEAT_SCALE) + [C.UNKNOWN_COLOUR]:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
    assert len(set(C.HEAT_SCALE) | {C.UNKNOWN_COLOUR}) == 6


@needs_dot
@pytest.mark.slow
def test_demo_diagrams_render_fast(demo):
    ws, an = demo
    start = time.perf_counter()
    for d in D.all_diagrams(ws, an, [u.id for u in ws.use_cases]):
        assert _timed(d) < 5
    assert time.perf_counter() - start < 30


@needs_dot
def test_render_all_keeps_order_and_pick_lineages_puts_blocked_first(demo):
    ws, an = demo
    ids = D.pick_lineages(ws, an, limit=4)
    assert len(ids) == 4
    statuses = [an.readiness[i].status for i in ids]
    assert statuses == sorted(statuses, key=["blocked", "at-risk", "ready"].index)
    assert statuses[0] == "blocked"
    assert ids[0] == "nbo-in-store"  # the blocked use case of the highest value, first in the file
    diagrams = D.all_diagrams(ws, an, ids)
    results = G.render_all(diagrams, workers=2)
    assert [r.ok for r in results] == [True] * len(diagrams)
    for d, r in zip(diagrams, results):
        assert f'id="nm-{d.name}-' in r.svg
    assert G.render_all([]) == []


def test_lineage_names_are_distinct_for_ids_that_look_alike(demo):
    ws, an = demo
    ws = copy.deepcopy(ws)
    base = next(u for u in ws.use_cases if u.id == "welcome-journey")
    for uid in ("welcome.journey", "welcome_journey", "w" * 60, "w" * 61):
        clone = copy.deepcopy(base)
        clone.id = uid
        ws.use_cases.append(clone)
    an = analyse(ws)
    ids = ["welcome-journey", "welcome.journey", "welcome_journey", "w" * 60, "w" * 61]
    names = [D.lineage_dot(ws, an, u).name for u in ids]
    assert names[0] == "lineage-welcome-journey"
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"lineage-[A-Za-z0-9_-]+", n) for n in names)
