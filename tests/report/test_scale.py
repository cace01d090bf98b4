"""The HTML report at any scale: the summary's first screen, parts built when opened, charts that keep every
blocked use case, a phone, paper, and people's words instead of ids and codes.

The browser tests drive headless Chromium (tests/conftest.py); the enterprise figures (load time, DOM size,
pages) come from ``python -m benchmarks.report_load`` and are recorded in docs/performance.md.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from needsmap.analysis.engine import analyse
from needsmap.report import charts
from needsmap.report import render as report
from needsmap.report.context import FIRST_SCREEN, build_context
from needsmap.synthetic.builder import generate
from tests.report.conftest import TODAY

#: The most elements a mid-size workshop's report may have as it opens (it had 54,000 before the big parts
#: were built on demand; the enterprise target is 30,000).
MEDIUM_DOM_BUDGET = 10_000


@pytest.fixture(scope="module")
def medium():
    ws = generate("medium", 1)
    return ws, analyse(ws)


@pytest.fixture(scope="module")
def medium_page(medium, tmp_path_factory) -> Path:
    ws, an = medium
    path = tmp_path_factory.mktemp("medium") / "medium.html"
    path.write_text(report.build_report(ws, an, fmt="html", source_file="medium.yaml", today=TODAY), encoding="utf-8")
    return path


def open_page(browser, path: Path, width: int = 1440, height: int = 900, *, hash: str = ""):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri() + hash, wait_until="load")
    return context, page, errors


def nodes(page) -> int:
    return page.evaluate("document.getElementsByTagName('*').length")


# -- parts built when opened ---------------------------------------------------------------------------------
def test_mid_size_report_opens_within_its_dom_budget(browser, medium, medium_page):
    ws, _ = medium
    context, page, errors = open_page(browser, medium_page)
    try:
        assert nodes(page) <= MEDIUM_DOM_BUDGET
        # the big parts wait in templates: the catalog, the use cases by readiness, the long gap tables
        assert page.locator("#appendix details.lazy").count() == 1
        assert page.locator("#use-cases details.lazy").count() >= 3
        assert page.locator("template.lazy").count() >= 10
        # every section and every use case's title is in the page before anything is opened
        html = medium_page.read_text(encoding="utf-8")
        assert html.count('<details class="uc') == len(ws.use_cases)
        assert errors == []
    finally:
        context.close()


def test_a_lazy_part_shows_its_rows_when_opened_and_its_filter_works(browser, medium, medium_page):
    ws, _ = medium
    context, page, errors = open_page(browser, medium_page)
    try:
        before = nodes(page)
        table = "#appendix table[data-filterable]"
        assert page.locator(table).count() == 0
        page.locator("#appendix details.lazy > summary").click()
        page.locator(table).wait_for()
        assert page.locator(f"{table} tbody tr:visible").count() == len(ws.attributes)
        assert nodes(page) > before + 5 * len(ws.attributes)
        box = page.locator("#appendix .tfilter input")
        box.fill("email")
        shown = page.locator(f"{table} tbody tr:visible")
        assert 0 < shown.count() < len(ws.attributes)
        assert all("email" in t.lower() for t in shown.all_inner_texts())
        assert errors == []
    finally:
        context.close()


def test_a_link_into_a_part_not_built_yet_builds_and_opens_it(browser, medium, medium_page):
    ws, an = medium
    blocked = [u for u in ws.use_cases if an.readiness.get(u.id) and an.readiness[u.id].status == "blocked"]
    target = max(blocked, key=lambda u: len(u.needs))
    html = medium_page.read_text(encoding="utf-8")
    card = re.search(rf'<details class="uc blocked" id="uc-{re.escape(target.id)}">.*?</details>', html, re.S)
    assert card and "<template" in html[: card.start()].rsplit("<details", 1)[1]  # inside a part not built yet
    context, page, errors = open_page(browser, medium_page, hash=f"#uc-{target.id}")
    try:
        details = page.locator(f"details#uc-{target.id}")
        details.wait_for()
        assert details.get_attribute("open") == ""
        needs = page.locator(f"details#uc-{target.id} table tbody tr")
        assert needs.count() == len({n.attribute for n in target.needs})
        assert needs.first.is_visible()
        # a link in the page does the same: the summary's top problems link to the use cases they affect
        link = page.locator("#top-gaps ~ .scroll a[href^='#uc-']").first
        uid = link.get_attribute("href")[1:]
        link.click()
        page.locator(f"details#{uid}[open] table").first.wait_for()
        assert errors == []
    finally:
        context.close()


# -- the summary -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["demo", "medium"])
def test_the_summary_says_what_to_do_first_on_one_screen(browser, demo, medium, tmp_path, which):
    ws, an = demo if which == "demo" else medium
    path = tmp_path / "r.html"
    path.write_text(report.build_report(ws, an, fmt="html", source_file="x.yaml", today=TODAY), encoding="utf-8")
    ctx = build_context(ws, an, today=TODAY)
    context, page, errors = open_page(browser, path)
    try:
        for panel in ("#start-with", "#blockers", "#open-questions"):
            box = page.locator(panel).bounding_box()
            assert box and box["y"] + box["height"] <= 900, panel
        bottom = page.evaluate("document.querySelector('.first-screen').getBoundingClientRect().bottom")
        assert bottom <= 900, f"the summary's first screen ends at {bottom} px"
        # start with the recommended option, linked to its place in the roadmap section
        start = page.locator(".panel.start")
        assert "Recommended:" in start.inner_text()
        href = start.locator("a").first.get_attribute("href")
        assert href and href.startswith("#roadmap-") and page.locator(href).count() == 1
        assert 1 <= start.locator("ol.steps > li").count() <= 5
        # the problems that block come first, at most FIRST_SCREEN of them, and the questions likewise
        assert page.locator(".panel.blockers li").count() == min(FIRST_SCREEN, len(ctx.blockers))
        assert page.locator(".panel.questions ol > li").count() == min(FIRST_SCREEN, len(ctx.open_questions))
        if len(ctx.open_questions) > FIRST_SCREEN:
            more = page.locator(".panel.questions .more a")
            assert more.inner_text() == f"All {len(ctx.open_questions)} open questions"
            assert more.get_attribute("href") == "#notes-question"
        assert errors == []
    finally:
        context.close()


def test_summary_only_prints_on_a_few_pages(browser, demo, tmp_path):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="demo.yaml", today=TODAY, summary_only=True)
    sections = re.findall(r'<section id="([^"]+)"', html)
    assert sections == ["summary"]
    assert "Recommended:" in html and 'href="#roadmap-' not in html  # no link to a section it does not have
    path = tmp_path / "summary.html"
    path.write_text(html, encoding="utf-8")
    context, page, errors = open_page(browser, path)
    try:
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 10, pages
        assert errors == []
    finally:
        context.close()


# -- charts ------------------------------------------------------------------------------------------------
def test_the_chart_keeps_every_blocked_use_case(demo, monkeypatch):
    ws, an = demo
    monkeypatch.setattr(report, "MAX_CHART_ROWS", 3)  # fewer rows than blocked use cases
    ctx = build_context(ws, an, today=TODAY)
    report.add_visuals(ctx, ws, an, diagrams=False)
    blocked = [u for u in ctx.use_cases if u.readiness == "blocked"]
    assert len(blocked) > 3
    shown = report.chart_use_cases(ctx)
    assert [u.id for u in shown] == [u.id for u in blocked]
    for name in ("readiness_per_use_case", "readiness_per_use_case_narrow"):
        svg = ctx.charts[name]
        for u in blocked:
            assert charts.svg_text(u.title, 40)[:30] in svg, (name, u.title)
    # with room to spare, the most valuable of the others fill the chart up, the blocked ones still all there
    monkeypatch.setattr(report, "MAX_CHART_ROWS", len(blocked) + 2)
    shown = report.chart_use_cases(ctx)
    assert len(shown) == len(blocked) + 2 and {u.id for u in blocked} <= {u.id for u in shown}


def test_a_use_case_without_must_haves_is_drawn_empty(demo):
    ws0, _ = demo
    ws = copy.deepcopy(ws0)
    bare = ws.use_cases[0]
    bare.needs = []
    an = analyse(ws)
    ctx = build_context(ws, an, today=TODAY)
    report.add_visuals(ctx, ws, an, diagrams=False)
    view = next(u for u in ctx.use_cases if u.id == bare.id)
    assert view.must_total == 0 and view.must_share == 1.0  # the analysis' share: 1 of nothing
    for name in ("readiness_per_use_case", "readiness_per_use_case_narrow"):
        svg = ctx.charts[name]
        row = svg[svg.index(charts.svg_text(bare.title, 40)[:30]) :]
        row = row[: row.index("</text>", row.index("none")) + 7]
        assert "none" in row and "100%" not in row
        assert 'fill="url(#' not in row.split("</title>", 1)[1], "no bar drawn for a use case without must-haves"
    # the drawing itself: a row with share None gets only its grey track
    svg = charts.readiness_per_use_case([("Full", 5, "ready", 1.0), ("Empty", 3, "at-risk", None)], chart_id="t")
    assert 'fill="url(#nmc-t-at-risk)"' not in svg and svg.count(">100%<") == 1 and ">none<" in svg


def test_chart_text_is_readable_on_a_phone(browser, demo, tmp_path):
    ws, an = demo
    path = tmp_path / "phone.html"
    path.write_text(report.build_report(ws, an, fmt="html", source_file="demo.yaml", today=TODAY), encoding="utf-8")
    context, page, errors = open_page(browser, path, width=390)
    try:
        sizes = page.evaluate(
            """() => Array.from(document.querySelectorAll('svg.needsmap-chart')).filter(svg => {
                 const r = svg.getBoundingClientRect(); return r.width > 0 && r.height > 0;
               }).flatMap(svg => {
                 const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                 return Array.from(svg.querySelectorAll('text')).map(t =>
                   parseFloat(t.getAttribute('font-size') || t.closest('[font-size]').getAttribute('font-size')) * scale);
               })"""
        )
        assert sizes and min(sizes) >= 10, min(sizes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    finally:
        context.close()


# -- a phone -----------------------------------------------------------------------------------------------
def test_tables_become_cards_on_a_phone(browser, demo, tmp_path):
    ws, an = demo
    path = tmp_path / "phone.html"
    path.write_text(report.build_report(ws, an, fmt="html", source_file="demo.yaml", today=TODAY), encoding="utf-8")
    context, page, errors = open_page(browser, path, width=390)
    try:
        for table in ("#appendix table", "#owners + .scroll table", "#top-gaps ~ .scroll table"):
            cells = page.locator(f"{table} tbody td")
            assert cells.count() > 0, table
            assert cells.first.evaluate("td => getComputedStyle(td).display") == "block", table
        # a card is as wide as the page allows: no name squeezed into a column a few letters wide
        widths = page.evaluate(
            "Array.from(document.querySelectorAll('#appendix tbody td.name')).map(td => td.getBoundingClientRect().width)"
        )
        assert widths and min(widths) > 250
        # the ownership table is a few cards, not a column of one attribute name per line
        owners = page.locator("#owners + .scroll").bounding_box()
        assert owners and owners["height"] < 4000
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    finally:
        context.close()


# -- people's words ----------------------------------------------------------------------------------------
def _text(html: str) -> str:
    """What a reader sees: the HTML's text without the small-type ids and code, styles and scripts."""
    html = re.sub(r"<(style|script|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<span class="id">.*?</span>|<code>.*?</code>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_rule_titles_and_settings_in_words_not_codes(demo):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="demo.yaml", today=TODAY)
    text = _text(html)
    assert not re.search(r"NM\d{3}", text), "a rule code outside small type"
    assert "settings.min_quality" not in html and "settings.min_coverage" not in html
    assert "below the minimum quality of 3" in html or "the minimum quality of 3" in html
    # the gap report's counts add up: every severity, and the total row
    ctx = build_context(ws, an, today=TODAY)
    e, w, i = (ctx.gap_counts[s] for s in ("error", "warning", "info"))
    assert f"{ctx.gap_total} gaps: {e} errors, {w} warnings, {i} info" in re.sub(r"\s+", " ", text)
    assert e + w + i == ctx.gap_total


def test_names_not_ids_where_a_stakeholder_reads(demo):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="demo.yaml", today=TODAY)
    text = _text(html)
    # where a need comes from: the systems by name
    paths = re.findall(r'<td data-label="Comes from">(.*?)</td>', html, re.S)
    assert paths
    systems = {s.id for s in ws.systems if s.name and s.name != s.id}
    for path in paths:
        steps = re.sub(r"<[^>]+>|\(.*?\)", "", path).split("→")
        assert not systems.intersection(step.strip() for step in steps), path
    # a note is about names, never ids; names are never joined with ", " (a name may hold a comma)
    about = re.findall(r"about ([^<\n]+)", text)
    assert about
    ids = {x.id for g in (ws.use_cases, ws.attributes, ws.systems, ws.stakeholders) for x in g}
    for line in about:
        assert not any(part.strip() in ids for part in line.split(";")), line


def test_a_personal_report_says_you(demo):
    ws, an = demo
    owner = next(s for s in ws.stakeholders if any(a.owner == s.id for a in ws.attributes) and s.name)
    html = report.build_report(ws, an, fmt="html", source_file="demo.yaml", for_stakeholder=owner.id, today=TODAY)
    text = _text(html)
    assert f"Confirm {owner.name} as owner" not in text and f"owned by {owner.name} (" not in text
    cards = re.findall(r"Owner</dt><dd>([^<]+)", html)
    assert cards and all(c.strip() == "you" for c in cards)
