"""The HTML report in a real browser: headless Chromium driven by Playwright.

Every section shows, nothing logs an error or reaches the network, the filter
box really filters and the headers really sort, print media hides the
interactive bits, and hostile names execute nothing.  A full-page screenshot
is written to a temporary folder (and to $NEEDSMAP_SCREENSHOT_DIR when set).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.sync_api import expect

from needsmap.analysis.engine import analyse
from needsmap.report import render as report
from tests.report.conftest import HOSTILE, PERSONAL, SECTIONS, TODAY, hostile_workshop


class Watched:
    """A page with its console errors, uncaught exceptions, dialogs and network requests recorded."""

    def __init__(self, browser, *, javascript: bool = True, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda req: self.requests.append(req.url))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri(), wait_until="load")

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        outside = [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]
        assert outside == [], outside

    def close(self) -> None:
        self.context.close()


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """The whole page as a PNG: the window made as tall as the page, then one screenshot of it (Playwright's own
    full-page capture stalls now and then on a page of some 60,000 px under load)."""
    shot = tmp_path / name
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(shot))
    page.set_viewport_size(size)
    assert shot.stat().st_size > 10_000
    extra = os.environ.get("NEEDSMAP_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(extra) / name)
    return shot


def visible_rows(page, table_selector: str) -> int:
    return page.locator(f"{table_selector} tbody tr:visible").count()


def test_demo_report_in_chromium(browser, demo, tmp_path):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="workshops/omnichannel-retail.yaml", today=TODAY)
    path = write(tmp_path, "demo-report.html", html)
    w = Watched(browser)
    try:
        w.open(path)
        page = w.page
        for sid in SECTIONS:
            assert page.locator(f"#{sid}").is_visible(), sid
            assert page.locator(f"nav.toc a[href='#{sid}']").is_visible(), sid
        # the contents stay on screen while reading (sticky)
        page.locator("#appendix").scroll_into_view_if_needed()
        box = page.locator("nav.toc").bounding_box()
        assert box is not None and box["y"] <= 1 and page.locator("nav.toc a[href='#summary']").is_visible()
        # diagrams and charts are drawn inline
        assert page.locator("svg.needsmap-diagram").count() == report.MAX_LINEAGE_DIAGRAMS + 3  # + model draft
        assert page.locator("#chart-readiness .wide-chart svg").is_visible()
        assert not page.locator("#chart-readiness .narrow-chart svg").is_visible()  # the phone layout

        # the catalog has a filter box: typing really filters rows
        table = "#appendix table[data-filterable]"
        box = page.locator("#appendix .tfilter input")
        assert box.is_visible()
        before = visible_rows(page, table)
        assert before == len(ws.attributes)
        box.fill("consent")
        after = visible_rows(page, table)
        assert 0 < after < before
        for text in page.locator(f"{table} tbody tr:visible").all_inner_texts():
            assert "consent" in text.lower()
        assert page.locator("#appendix .tcount").inner_text() == f"{after} of {before} rows"
        box.fill("")
        assert visible_rows(page, table) == before

        # clicking a header sorts: "Needed by" numerically, both ways; "Attribute" alphabetically
        def column(index: int) -> list[str]:
            return page.locator(f"{table} tbody tr td:nth-child({index})").all_inner_texts()

        heads = page.locator(f"{table} thead th")
        needed_index = [h.strip() for h in heads.all_inner_texts()].index("Needed by") + 1
        heads.nth(needed_index - 1).locator("button").click()
        numbers = [int(x) for x in column(needed_index)]
        assert numbers == sorted(numbers) and numbers[0] < numbers[-1]
        assert heads.nth(needed_index - 1).get_attribute("aria-sort") == "ascending"
        heads.nth(needed_index - 1).locator("button").click()
        assert [int(x) for x in column(needed_index)] == sorted(numbers, reverse=True)
        heads.nth(0).locator("button").click()
        names = [t.splitlines()[0].strip() for t in column(1)]
        in_order = page.evaluate(
            "(xs) => xs.every((x, i) => i === 0 || xs[i - 1].localeCompare(x, undefined, "
            "{numeric: true, sensitivity: 'base'}) <= 0)",
            names,
        )
        assert in_order, names
        # sorting and filtering work together
        box.fill("date")
        assert all("date" in t.lower() for t in page.locator(f"{table} tbody tr:visible").all_inner_texts())

        # a diagram can be shown at full size and back
        figure = page.locator("figure.diagram").first
        figure.locator("button.zoom").click()
        assert "zoomed" in (figure.get_attribute("class") or "")
        figure.locator("button.zoom").click()

        shot = screenshot(page, tmp_path, "demo-report.png")
        assert shot.exists()
        w.assert_clean()
    finally:
        w.close()


def test_print_media_hides_the_interactive_bits(browser, demo, tmp_path):
    ws, an = demo
    path = write(tmp_path, "print.html", report.build_report(ws, an, fmt="html", source_file="demo.yaml"))
    w = Watched(browser)
    try:
        w.open(path)
        w.page.emulate_media(media="print")
        assert not w.page.locator("nav.toc").is_visible()
        assert not w.page.locator(".tfilter").first.is_visible()
        assert w.page.locator("#summary").is_visible()
        breaks = w.page.evaluate(
            "Array.from(document.querySelectorAll('main > section')).map(s => getComputedStyle(s).breakBefore)"
        )
        assert breaks[0] != "page" and set(breaks[1:]) == {"page"}  # the summary shares the cover's page
        # a figure keeps its caption: never split, the caption never last on a page, the drawing under a page tall
        kept = w.page.evaluate(
            """Array.from(document.querySelectorAll('figure.diagram')).map(f => [
                 getComputedStyle(f).breakInside, getComputedStyle(f.querySelector('figcaption')).breakAfter,
                 (f.querySelector('svg') || f).getBoundingClientRect().height])"""
        )
        assert kept and all(inside == "avoid-page" and after == "avoid-page" for inside, after, _ in kept)
        a4_mm = 297 - 14 - 16  # the page's height inside its margins
        assert all(height <= a4_mm / 25.4 * 96 for _, _, height in kept)
        pdf = w.page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 10
        w.assert_clean()
    finally:
        w.close()


def test_report_works_without_javascript(browser, demo, tmp_path):
    ws, an = demo
    path = write(tmp_path, "nojs.html", report.build_report(ws, an, fmt="html", source_file="demo.yaml"))
    w = Watched(browser, javascript=False)
    try:
        w.open(path)
        for sid in SECTIONS:
            assert w.page.locator(f"#{sid}").is_visible(), sid
        assert w.page.locator(".tfilter").count() == 0  # no dead filter box
        assert visible_rows(w.page, "#appendix table") == len(ws.attributes)
        w.page.locator("nav.toc a[href='#appendix']").click()
        w.assert_clean()
    finally:
        w.close()


def test_personal_report_in_chromium(browser, demo, tmp_path):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="demo.yaml", for_stakeholder="sanne", today=TODAY)
    path = write(tmp_path, "sanne-report.html", html)
    w = Watched(browser)
    try:
        w.open(path)
        for sid in PERSONAL:
            assert w.page.locator(f"#{sid}").is_visible(), sid
        assert "Sanne de Vries" in w.page.locator(".for-banner").inner_text()
        assert w.page.locator("#asked tbody tr").count() == 2
        screenshot(w.page, tmp_path, "sanne-report.png")
        # on paper the short opening runs on; the detail starts on new pages
        w.page.emulate_media(media="print")
        breaks = dict(
            w.page.evaluate(
                "Array.from(document.querySelectorAll('main > section'))"
                ".map(s => [s.id, getComputedStyle(s).breakBefore])"
            )
        )
        assert {breaks[s] for s in ("asked", "stands", "blocks", "from-you")} == {"auto"}
        assert breaks["use-cases"] == "page" and breaks["appendix"] == "page"
        w.assert_clean()
    finally:
        w.close()


def test_hostile_report_executes_nothing(browser, demo, tmp_path):
    ws = hostile_workshop(demo)
    html = report.build_report(ws, analyse(ws), fmt="html", source_file="evil.yaml", today=TODAY)
    path = write(tmp_path, "hostile.html", html)
    w = Watched(browser)
    try:
        w.open(path)
        page = w.page
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("document.scripts.length") == 1
        title = page.locator("h1").inner_text()
        assert HOSTILE[0] in title and "{{ 7*7 }}" in title
        # long names wrap inside their boxes: the page never gets wider than the window
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, width
        page.locator("#appendix .tfilter input").fill("onerror")
        assert visible_rows(page, "#appendix table[data-filterable]") > 0
        screenshot(page, tmp_path, "hostile-report.png")
        w.assert_clean()
    finally:
        w.close()


def test_narrow_window(browser, demo, tmp_path):
    ws, an = demo
    path = write(tmp_path, "narrow.html", report.build_report(ws, an, fmt="html", source_file="demo.yaml"))
    w = Watched(browser, width=420)
    try:
        w.open(path)
        assert w.page.evaluate("document.documentElement.scrollWidth") <= 420
        assert w.page.locator("#summary").is_visible()
        w.assert_clean()
    finally:
        w.close()
    # on a phone, tables become cards: even a 500-letter name wraps inside its card, the page never widens
    ws = hostile_workshop(demo)
    path = write(tmp_path, "phone.html", report.build_report(ws, analyse(ws), fmt="html", source_file="evil.yaml"))
    w = Watched(browser, width=390)
    try:
        w.open(path)
        assert w.page.evaluate("document.documentElement.scrollWidth") <= 390
        w.assert_clean()
    finally:
        w.close()


def test_folded_use_cases_open_from_the_overview(browser, demo, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "UNFOLDED_USE_CASES", 5)
    report._environment.cache_clear()
    try:
        ws, an = demo
        path = write(tmp_path, "folded.html", report.build_report(ws, an, fmt="html", source_file="demo.yaml"))
    finally:
        report._environment.cache_clear()
    w = Watched(browser)
    try:
        w.open(path)
        card = w.page.locator("details#uc-nbo-in-store")
        assert card.count() == 1 and card.get_attribute("open") is None
        assert not w.page.locator("#uc-nbo-in-store table").is_visible()
        w.page.locator("#use-cases table a[href='#uc-nbo-in-store']").click()
        expect(card).to_have_attribute("open", "")  # (wait_for_function would need eval, which the CSP forbids)
        assert w.page.locator("#uc-nbo-in-store table").is_visible()
        # printing opens every folded use case
        w.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert w.page.evaluate("Array.from(document.querySelectorAll('details.uc')).every(d => d.open)")
        w.assert_clean()
    finally:
        w.close()
