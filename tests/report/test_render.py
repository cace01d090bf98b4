"""The report engine: HTML and Markdown of the demo, per-stakeholder view, hostile text, user templates."""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from needsmap.analysis.engine import analyse
from needsmap.format.opening import open_workshop
from needsmap.report import render as report
from needsmap.report.context import build_context
from needsmap.report.render import ReportTemplateError
from needsmap.util.text import MarkdownText
from tests.conftest import DEMO

TODAY = dt.date(2026, 11, 20)
SECTIONS = [
    "summary",
    "stakeholders",
    "use-cases",
    "gaps",
    "matrices",
    "diagrams",
    "ownership",
    "notes",
    "model-draft",
    "roadmap",
    "appendix",
]
PERSONAL = ["asked", "stands", "blocks", "from-you", "use-cases", "gaps", "ownership", "notes", "appendix"]
SANNE_USE_CASES = ["Win back lapsing club members", "Welcome journey for new Haven Club members"]


# -- helpers ---------------------------------------------------------------------------------------
class Page(HTMLParser):
    """Every tag with its attributes, the ids, and the text (as the browser would show it)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.append(d["id"])

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


@pytest.fixture(scope="module")
def demo():
    ws = open_workshop(DEMO).workshop
    return ws, analyse(ws)


@pytest.fixture(scope="module")
def demo_html(demo) -> str:
    ws, an = demo
    return report.build_report(ws, an, fmt="html", source_file="workshops/omnichannel-retail.yaml", today=TODAY)


@pytest.fixture(scope="module")
def demo_md(demo) -> str:
    ws, an = demo
    return report.build_report(ws, an, fmt="md", source_file="workshops/omnichannel-retail.yaml", today=TODAY)


@pytest.fixture(scope="module")
def sanne_html(demo) -> str:
    ws, an = demo
    return report.build_report(ws, an, fmt="html", source_file="demo.yaml", for_stakeholder="sanne", today=TODAY)


@pytest.fixture(scope="module")
def sanne_md(demo) -> str:
    ws, an = demo
    return report.build_report(ws, an, fmt="md", source_file="demo.yaml", for_stakeholder="sanne", today=TODAY)


def external_references(html: str) -> list[str]:
    """Anything that would make the browser fetch from elsewhere."""
    found = re.findall(
        r"""\b(?:src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", html, re.I
    )
    found += re.findall(r"<link\b[^>]*>", html, re.I)
    found += re.findall(r"@import|url\(\s*['\"]?\s*(?:https?:)?//", html, re.I)
    found += re.findall(r"<(?:img|iframe|object|embed|video|audio|source)\b", html, re.I)
    return found


# -- the full report -------------------------------------------------------------------------------
def test_demo_html_has_every_section_and_a_working_contents(demo_html):
    page = Page(demo_html)
    for sid in SECTIONS:
        assert sid in page.ids, sid
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    toc = [d["href"][1:] for tag, d in page.tags if tag == "a" and (d.get("href") or "").startswith("#")]
    assert toc, "no table of contents"
    for target in toc:
        assert target in page.ids, f"link to #{target} goes nowhere"
    sections = [d["id"] for tag, d in page.tags if tag == "section"]
    assert sections == SECTIONS


def test_demo_html_content(demo, demo_html):
    ws, _ = demo
    page = Page(demo_html)
    text = page.all_text
    assert "Executive summary" in text and "The 10 gaps with the highest impact" in text
    # readiness as a chart, not only numbers
    assert 'id="chart-readiness"' in demo_html and "<svg" in demo_html
    # every use case with its card, its owner and its needs
    for uc in ws.use_cases:
        assert f"uc-{uc.id}" in page.ids
        assert uc.title in text
    assert "Why it is blocked" in text and "does not reach" in text
    # the three matrices with their colour classes, the 3x3 grid
    for name in ("traceability", "crud", "systems"):
        assert f"matrix-{name}" in page.ids
    assert re.search(r'<td class="(ok|bad)">', demo_html) and re.search(r'<td class="q[1-5]">', demo_html)
    assert demo_html.count('class="grid-cell') == 9
    # every kind of note, the catalog with definitions, owners, contested, orphaned
    for kind in ("decision", "risk", "question", "idea", "parking"):
        assert f"notes-{kind}" in page.ids
    assert "The customer's family name, including prefixes such as van or de." in text
    assert "contested" in page.ids and "orphaned" in page.ids
    assert "Mobile phone number" in text
    # rule groups: why it matters and what to do
    assert text.count("Why it matters") >= 10 and "What to do" in text
    assert "Generated by needsmap" in text and "2026-11-20" in text


def test_demo_diagrams_are_inline_svg_with_lineage_in_the_use_cases(demo_html):
    page = Page(demo_html)
    assert "diagram-landscape" in page.ids or any(i.startswith("diagram-landscape") for i in page.ids)
    assert any(i.startswith("diagram-identity") for i in page.ids)
    lineage = [i for i in page.ids if i.startswith("lineage-")]
    assert len(lineage) == report.MAX_LINEAGE_DIAGRAMS  # the demo has 17 use cases: the 12 most valuable
    assert "Lineage diagrams are drawn for the 12 most valuable of the 16 use cases with needs" in page.all_text
    assert (
        demo_html.count('class="needsmap-diagram"') == report.MAX_LINEAGE_DIAGRAMS + 3
    )  # + landscape, identity, model
    assert "<?xml" not in demo_html and "<!DOCTYPE svg" not in demo_html


def test_demo_html_is_self_contained(demo_html, sanne_html):
    for html in (demo_html, sanne_html):
        assert external_references(html) == []
        assert "<style>" in html and "<script>" in html
        assert "Content-Security-Policy" in html
    # long tables get the filter and sort script; the page works without it (all rows are in the HTML)
    assert "data-filterable" in demo_html


def test_only_our_own_script_may_run(demo_html):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', demo_html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", demo_html, re.S)
    assert len(scripts) == 1
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp


def test_demo_markdown_has_every_section(demo, demo_md):
    ws, _ = demo
    for heading in (
        "## Executive summary",
        "## Stakeholders and functions",
        "## Use cases",
        "## Gap report",
        "## Matrices",
        "## Diagrams",
        "## Ownership",
        "## Notes",
        "## Appendix: attribute catalog",
        "### The 10 gaps with the highest impact",
        "### Key decisions",
        "### Open questions",
        "### Contested",
        "### Orphaned",
    ):
        assert re.search(rf"^{re.escape(heading)}", demo_md, re.M), heading
    for uc in ws.use_cases:
        assert f"### {uc.title}" in demo_md.replace("\\", "")
    # GitHub pipe tables, diagrams pointed to the HTML report, no HTML at all
    assert "| --- |" in demo_md
    assert "drawn in the HTML report" in demo_md
    assert not re.search(r"(?<!\\)<", demo_md), "raw '<' in Markdown"
    assert "<svg" not in demo_md


def test_markdown_tables_are_well_formed(demo_md):
    """Every row of a table has as many cells as its header (escaped pipes do not count)."""
    lines = demo_md.splitlines()
    i = 0
    tables = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|( *:?-{3,}:? *\|)+$", lines[i + 1]):
            width = len(re.split(r"(?<!\\)\|", lines[i])) - 2
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.split(r"(?<!\\)\|", lines[j])) - 2 == width, lines[j]
                j += 1
            tables += 1
            i = j
        else:
            i += 1
    assert tables >= 20


def test_render_is_fast_enough_for_the_demo(demo):
    ws, an = demo
    start = time.perf_counter()
    report.build_report(ws, an, fmt="html", source_file="demo.yaml")
    assert time.perf_counter() - start < 5


# -- per stakeholder -------------------------------------------------------------------------------
def test_report_for_the_marketing_lead(demo, sanne_html):
    page = Page(sanne_html)
    text = page.all_text
    sections = [d["id"] for tag, d in page.tags if tag == "section"]
    assert sections == PERSONAL
    assert "Sanne de Vries" in text and "Head of CRM and Haven Club" in text
    assert "What you asked for" in text and "Where it stands" in text
    assert "What blocks it" in text and "What we need from you" in text
    for title in SANNE_USE_CASES:
        assert title in text
    # only her use cases get a card
    cards = [i for i in page.ids if i.startswith("uc-")]
    assert sorted(cards) == ["uc-churn-prevention", "uc-welcome-journey"]
    # what blocks it: the low-quality churn score; what we need from her: her asks and attributes
    assert "'Churn risk score' (churn_score): quality is below 3" in text
    assert "Open question q-customer-since" in text
    assert "filled for 38% of customers at best" in text
    assert "The attributes you own (14)" in text and "Haven Club card number" in text
    # no full-workshop matrices or landscape
    assert "matrices" not in page.ids and "matrix-traceability" not in page.ids
    assert not any(i.startswith("diagram-landscape") for i in page.ids)
    assert sorted(i for i in page.ids if i.startswith("lineage-")) == [
        "lineage-churn-prevention",
        "lineage-welcome-journey",
    ]


def test_markdown_for_the_marketing_lead(sanne_md):
    assert sanne_md.startswith("# Customer data discovery")
    for heading in ("## What you asked for", "## Where it stands", "## What blocks it", "## What we need from you"):
        assert heading in sanne_md
    for title in SANNE_USE_CASES:
        assert title in sanne_md
    assert "Open question q-customer-since" in sanne_md
    assert "## Matrices" not in sanne_md


def test_unknown_stakeholder_and_format_are_clear_errors(demo):
    ws, an = demo
    with pytest.raises(ValueError, match="no stakeholder 'maria'.*sanne"):
        report.build_report(ws, an, fmt="html", source_file="x", for_stakeholder="maria")
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        report.build_report(ws, an, fmt="pdf", source_file="x")


# -- hostile text ----------------------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "{{ 7*7 }}"
FORMULA = '=HYPERLINK("http://x")'
DOT = 'a"b\\c]; x -> y [label="z"] <B>bold</B> {|}'
LONG = "L" * 500
RTL = "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u202eevil"
EMOJI = "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467 emoji"
HOSTILE = [SCRIPT, IMG, JINJA, FORMULA, DOT, LONG, RTL, EMOJI]


def hostile_workshop(demo):
    """The demo with hostile text in every kind of name, title, definition and note."""
    ws = copy.deepcopy(demo[0])
    ws.workshop.name = SCRIPT + " " + JINJA
    ws.workshop.organization = IMG
    ws.workshop.scope = FORMULA + "\n\n" + DOT
    for i, s in enumerate(ws.stakeholders):
        s.name = HOSTILE[i % len(HOSTILE)] + f" {i}"
        s.role = HOSTILE[(i + 1) % len(HOSTILE)]
    for i, u in enumerate(ws.use_cases):
        u.title = HOSTILE[i % len(HOSTILE)] + f" uc{i}"
        u.description = HOSTILE[(i + 3) % len(HOSTILE)]
    for i, a in enumerate(ws.attributes):
        a.name = HOSTILE[i % len(HOSTILE)] + f" a{i}"
        a.definition = HOSTILE[(i + 2) % len(HOSTILE)]
    for i, s in enumerate(ws.systems):
        s.name = HOSTILE[i % len(HOSTILE)] + f" s{i}"
    for i, n in enumerate(ws.notes):
        n.text = HOSTILE[i % len(HOSTILE)]
    for p in ws.processes:
        p.name = DOT
    return ws


def assert_inert_html(html: str) -> None:
    page = Page(html)
    tags = [t for t, _ in page.tags]
    assert tags.count("script") == 1  # ours
    for bad in ("img", "iframe", "object", "embed", "b"):
        assert bad not in tags, bad
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            assert "javascript:" not in (value or "").lower()
    assert external_references(html) == []
    assert SCRIPT not in html and "<img" not in html and "onerror=alert(1)>" not in html
    text = page.all_text
    for h in (SCRIPT, IMG, JINJA, FORMULA, LONG, EMOJI):
        assert h in text, h  # shown, as text
    assert "49" not in text.replace(",", " ").split()  # {{ 7*7 }} was never evaluated
    assert "\u0645\u0631\u062d\u0628\u0627" in text


def test_hostile_names_are_escaped_in_html(demo):
    ws = hostile_workshop(demo)
    an = analyse(ws)
    html = report.build_report(ws, an, fmt="html", source_file="<evil>.yaml", today=TODAY)
    assert_inert_html(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;evil&gt;.yaml" in html
    assert "\u202e" not in html and "\\u202eevil" in html  # a bidi override is shown, not obeyed
    # every section is still there
    ids = Page(html).ids
    for sid in SECTIONS:
        assert sid in ids
    # the diagrams were drawn (DOT metacharacters did not break them)
    assert html.count('class="needsmap-diagram"') >= 3


def test_hostile_names_in_the_personal_report(demo):
    ws = hostile_workshop(demo)
    an = analyse(ws)
    html = report.build_report(ws, an, fmt="html", source_file="x.yaml", for_stakeholder="sanne", today=TODAY)
    page = Page(html)
    assert page.tags.count(("script", {})) == 1
    assert SCRIPT not in html and "<img" not in html
    assert "What we need from you" in page.all_text


def test_hostile_names_are_escaped_in_markdown(demo):
    ws = hostile_workshop(demo)
    an = analyse(ws)
    for who in (None, "sanne"):
        md = report.build_report(ws, an, fmt="md", source_file="x`y.yaml", for_stakeholder=who, today=TODAY)
        assert not re.search(r"(?<!\\)<", md), "raw '<' in Markdown"
        assert "\\<script\\>alert(1)\\</script\\>" in md
        assert "{{ 7\\*7 }}" in md  # literal, escaped for Markdown, never evaluated
        assert "\u202e" not in md and "\\u202eevil" in md  # a bidi override is shown, not obeyed
        assert LONG in md and EMOJI in md
        assert "\\]; x -\\> y \\[" in md
        assert "``x`y.yaml``" in md or who == "sanne"


def test_workshop_text_is_never_compiled_as_a_template(demo):
    ws = copy.deepcopy(demo[0])
    ws.workshop.name = "{{ ctx.__class__ }} {% for x in range(3) %}X{% endfor %}"
    an = analyse(ws)
    html = report.build_report(ws, an, fmt="html", source_file="x", diagrams=False)
    assert "{{ ctx.__class__ }} {% for x in range(3) %}X{% endfor %}" in Page(html).all_text
    assert "ReportContext" not in Page(html).all_text


# -- templates: user folders, errors ---------------------------------------------------------------
def copy_templates(tmp_path: Path) -> Path:
    target = tmp_path / "my-templates"
    shutil.copytree(report.default_templates_dir(), target)
    return target


def demo_context(demo, **kw):
    ws, an = demo
    return build_context(ws, an, source_file="demo.yaml", today=TODAY, **kw)


def test_default_templates_are_found():
    folder = report.default_templates_dir()
    for name in (report.HTML_TEMPLATE, report.MARKDOWN_TEMPLATE, "report.css", "report.js"):
        assert (folder / name).is_file(), name


def test_user_templates_override_the_defaults(demo, tmp_path):
    mine = copy_templates(tmp_path)
    html_file = mine / "report.html.j2"
    html_file.write_text(
        html_file.read_text().replace("<main>", '<main>\n<p id="acme-banner">Acme Consulting</p>'), encoding="utf-8"
    )
    (mine / "report.css").write_text("/* acme */ body { color: #123456; }\n", encoding="utf-8")
    html_file.write_text(
        html_file.read_text().replace('("summary", "Executive summary")', '("summary", "Management summary")'),
        encoding="utf-8",
    )
    md_file = mine / "report.md.j2"
    md_file.write_text("# Acme: {{ ctx.title }}\n", encoding="utf-8")

    ctx = demo_context(demo)
    html = report.render_html(ctx, templates=mine)
    assert '<p id="acme-banner">Acme Consulting</p>' in html
    assert "color: #123456" in html and "Management summary" in html and "Executive summary" not in html
    assert report.render_markdown(ctx, templates=mine).startswith("# Acme: Customer data discovery")
    # the defaults are untouched
    default = report.render_html(ctx)
    assert "acme-banner" not in default and "Executive summary" in default


def test_a_partial_user_folder_falls_back_to_the_defaults(demo, tmp_path):
    mine = tmp_path / "only-css"
    mine.mkdir()
    (mine / "report.css").write_text("body { background: #fafafa; }\n", encoding="utf-8")
    html = report.render_html(demo_context(demo), templates=mine)
    assert "background: #fafafa" in html and 'id="summary"' in html


def test_a_typo_in_a_user_template_is_a_clear_error(demo, tmp_path):
    mine = copy_templates(tmp_path)
    html_file = mine / "report.html.j2"
    lines = html_file.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "<h1>" in line)
    lines[at] = "      <h1>{{ ctx.titel }}</h1>"
    html_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReportTemplateError) as err:
        report.render_html(demo_context(demo), templates=mine)
    assert err.value.template.endswith("report.html.j2")
    assert err.value.line == at + 1
    assert "titel" in str(err.value) and f"report.html.j2, line {at + 1}" in str(err.value)


def test_an_undefined_variable_in_a_partial_names_the_partial(demo, tmp_path):
    mine = copy_templates(tmp_path)
    comp = mine / "_components.html.j2"
    lines = comp.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "<h3>{{ u.title }}" in line)
    lines[at] = "  <h3>{{ no_such_thing }}</h3>"
    comp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReportTemplateError) as err:
        report.render_html(demo_context(demo), templates=mine)
    assert err.value.template.endswith("_components.html.j2") and err.value.line == at + 1
    assert "no_such_thing" in str(err.value)


def test_template_syntax_errors_and_missing_folders(demo, tmp_path):
    mine = tmp_path / "broken"
    mine.mkdir()
    (mine / "report.md.j2").write_text("line one\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(ReportTemplateError) as err:
        report.render_markdown(demo_context(demo), templates=mine)
    assert err.value.line == 2 and "report.md.j2" in str(err.value)
    with pytest.raises(ReportTemplateError, match="does not exist"):
        report.render_html(demo_context(demo), templates=tmp_path / "nope")


# -- hooks for later features ----------------------------------------------------------------------
def test_extra_sections_are_rendered_safely(demo):
    ctx = demo_context(demo)
    ctx.extra_sections = [
        {"id": "model-draft", "title": "Model draft", "html": Markup("<p class='ours'>drafted</p>")},
        {"id": "roadmap", "title": "Roadmap <b>", "html": "<b>not marked safe</b>"},
        {"id": "changes", "title": "Changes since", "markdown": MarkdownText("**3 new gaps**")},
        {"id": "plain", "title": "Plain", "markdown": "*not* trusted <x>"},
    ]
    html = report.render_html(ctx)
    page = Page(html)
    for sid in ("model-draft", "roadmap", "changes", "plain"):
        assert sid in page.ids
        assert f'href="#{sid}"' in html  # in the contents
    assert "<p class='ours'>drafted</p>" in html
    assert "&lt;b&gt;not marked safe&lt;/b&gt;" in html and "Roadmap &lt;b&gt;" in html
    sections = [d["id"] for tag, d in page.tags if tag == "section"]
    assert sections.index("plain") < sections.index("appendix")
    md = report.render_markdown(ctx)
    assert "## Model draft" in md and "_This section is in the HTML report._" in md
    assert "**3 new gaps**" in md and "\\*not\\* trusted \\<x\\>" in md


def test_without_graphviz_the_report_says_how_to_install_it(demo, monkeypatch):
    from needsmap.util import graphviz

    monkeypatch.setattr(graphviz, "dot_available", lambda: False)
    monkeypatch.setattr(graphviz, "find_dot", lambda: None)
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="x")
    assert 'class="needsmap-diagram"' not in html
    assert "Graphviz is not installed" in html and "brew install graphviz" in html
    assert "diagrams" in Page(html).ids


def test_no_diagrams_option(demo):
    ws, an = demo
    html = report.build_report(ws, an, fmt="html", source_file="x", diagrams=False)
    assert 'class="needsmap-diagram"' not in html and "left out of this report" in html
    assert 'id="chart-readiness"' in html  # charts are pure Python: always there


def test_progress_is_reported(demo):
    ws, an = demo
    steps: list[str] = []
    report.build_report(ws, an, fmt="html", source_file="x", progress=steps.append)
    assert steps[0] == "Collecting the report's content"
    assert "Drawing the system landscape" in steps and "Drawing the identity graph" in steps
    assert any(s.startswith("Drawing the lineage of 12 use cases") for s in steps)
    assert steps[-1] == "Writing the HTML report"


def test_big_matrices_become_lists(demo, monkeypatch):
    monkeypatch.setattr(report, "MATRIX_GRID_LIMIT", 10)
    report._environment.cache_clear()
    try:
        html = report.render_html(demo_context(demo))
        assert "too many to read as a grid" in html and "matrix-traceability" in html
        md = report.render_markdown(demo_context(demo))
        assert "so it is listed as its" in md
    finally:
        report._environment.cache_clear()


def test_core_report_imports_no_terminal_libraries():
    import ast

    tree = ast.parse(Path(report.__file__).read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not names & {"rich", "click", "textual"}


# -- scale -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_enterprise_scale_report_is_fast_and_readable():
    from needsmap.synthetic.builder import generate

    ws = generate("enterprise", 1)
    an = analyse(ws)
    start = time.perf_counter()
    html = report.build_report(ws, an, fmt="html", source_file="enterprise.yaml")
    seconds = time.perf_counter() - start
    assert seconds <= 5, f"the enterprise HTML report took {seconds:.1f} s"
    page = Page(html)
    for sid in SECTIONS:
        assert sid in page.ids
    # 400 use cases fold to their titles; matrices too big for a grid become filterable lists
    assert html.count('<details class="uc') == len(ws.use_cases)
    assert html.count("too many to read as a grid") >= 2
    assert "the 30 most valuable of" in page.all_text
    assert "Lineage diagrams are drawn for the 12 most valuable" in page.all_text
    assert len(html) < 20_000_000
    md = report.build_report(ws, an, fmt="md", source_file="enterprise.yaml")
    assert "## Appendix: attribute catalog" in md
