"""The Markdown report: Mermaid diagrams that Mermaid itself draws, hostile names kept as labels, people's words."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest

from needsmap.analysis.engine import analyse
from needsmap.report import mermaid
from needsmap.report.context import build_context
from needsmap.report.output import write_report
from needsmap.report.render import build_report, render_markdown
from needsmap.roadmap.engine import build_roadmap
from needsmap.util import text as textsafe
from needsmap.util.graphviz import dot_available
from tests import mermaid_js
from tests.conftest import ROOT, assert_opens_clean
from tests.report.conftest import TODAY

FENCE = re.compile(r"^```mermaid\n(.*?)^```$", re.M | re.S)
#: Names that would break a Mermaid diagram, or the Markdown around it, if written as they are.
BREAKERS = [
    'Quote " and ]bracket',
    "Arrow --> x[y]",
    "Two\nlines",
    "%% not a comment",
    "```\nend of the fence",
    "<b>bold</b> & <script>alert(1)</script>",
    "#quot; #35; entity look-alikes",
    "pipe | semi ; colon : (paren) {brace}",
    "end",
    "subgraph",
    "Zoë 李 😀",
]


@pytest.fixture(scope="module")
def mermaid_render(request):
    """``mermaid.render`` of the pinned Mermaid in headless Chromium: text -> (error or None, the SVG's text)."""
    script = mermaid_js.path()
    if script is None:
        message = "Mermaid is not fetched: run python -m tests.mermaid_js (./dev test does)"
        if os.environ.get("NEEDSMAP_REQUIRE_MERMAID") == "1":
            pytest.fail(message)
        pytest.skip(message)
    browser = request.getfixturevalue("browser")
    page = browser.new_page()
    page.set_content("<!doctype html><html><body></body></html>")
    page.add_script_tag(path=str(script))
    page.evaluate("() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
    count = iter(range(10_000))

    def render(text: str) -> tuple[str | None, str, int]:
        """(error or None, the drawn diagram's text, how many <script> elements it has)."""
        return tuple(
            page.evaluate(
                """async ([id, text]) => {
                try {
                    const {svg} = await mermaid.render(id, text);
                    const box = document.createElement('div');
                    box.innerHTML = svg;
                    const error = svg.includes('Syntax error') ? 'error diagram' : null;
                    return [error, box.textContent, box.querySelectorAll('script').length];
                } catch (e) { return [String(e.message || e), '', 0]; }
            }""",
                [f"m{next(count)}", text],
            )
        )

    yield render
    page.close()


def _blocks(md: str) -> list[str]:
    return FENCE.findall(md)


@pytest.fixture(scope="module")
def demo_md(demo):
    ws, an = demo
    return build_report(ws, an, fmt="md", source_file="workshops/omnichannel-retail.yaml", today=TODAY)


def test_demo_markdown_draws_the_landscape_and_the_model(demo, demo_md, mermaid_render):
    ws, _ = demo
    blocks = _blocks(demo_md)
    landscape = [b for b in blocks if b.startswith("flowchart")]
    er = [b for b in blocks if "erDiagram" in b]
    assert len(landscape) == 1 and er, "a landscape flowchart and at least one ER diagram"
    assert demo_md.index("## Diagrams") < demo_md.index("```mermaid\nflowchart")
    assert demo_md.index("## Model draft") < demo_md.index("erDiagram")
    for block in blocks:
        error, text, scripts = mermaid_render(block)
        assert error is None, (error, block[:300])
    _, text, _ = mermaid_render(landscape[0])
    for sy in ws.systems:
        assert sy.name in text, sy.name
    feeds = {(s.id, f.to) for s in ws.systems for f in s.feeds}
    assert landscape[0].count(" -->|") == len(feeds), "one arrow per pair of systems a feed links"
    _, text, _ = mermaid_render(er[0])
    assert "customer" in text and "consent" in text


def test_hostile_names_stay_one_label_each(demo, mermaid_render):
    ws = copy.deepcopy(demo[0])
    for i, sy in enumerate(ws.systems):
        sy.name = BREAKERS[i % len(BREAKERS)]
        sy.kind = 'Kind with "quotes" and ]' if i % 2 else "--> kind"
    an = analyse(ws)
    d = mermaid.landscape(ws, an)
    assert d.source is not None
    error, text, scripts = mermaid_render(d.source)
    assert error is None, (error, d.source)
    assert scripts == 0
    for sy in ws.systems:
        shown = textsafe.shorten(textsafe.terminal(textsafe.one_line(sy.name)), mermaid.LABEL_LIMIT)
        assert shown in text, (shown, text)
    # every system is one node line, every feed one arrow: nothing a name holds became syntax
    assert len(re.findall(r"^\s+s\d+\[\"[^\"\n]*\"\]$", d.source, re.M)) == len(ws.systems)
    assert "```" not in d.source and "%%" not in d.source
    assert all(line.count('"') in (0, 2) for line in d.source.splitlines()), d.source


def test_hostile_names_in_the_whole_markdown_report(demo, mermaid_render):
    ws = copy.deepcopy(demo[0])
    for i, sy in enumerate(ws.systems):
        sy.name = BREAKERS[i % len(BREAKERS)]
    an = analyse(ws)
    md = build_report(ws, an, fmt="md", source_file="x.yaml", today=TODAY)
    blocks = _blocks(md)
    assert len(blocks) >= 2
    for block in blocks:
        assert mermaid_render(block)[0] is None
    # the fences are balanced: each block ends where it should, never inside a name
    assert md.count("```mermaid") == len(blocks)


def test_label_escapes_everything_mermaid_reads():
    for name in BREAKERS:
        out = mermaid.label(name)
        assert out.startswith('"') and out.endswith('"')
        bare = re.sub(r"#\d+;", "", out[1:-1])  # the entity codes we wrote
        assert not re.search(r"[\"<>`%|\[\]{}();#\n]", bare), (name, out)


def test_a_landscape_too_big_for_mermaid_is_a_linked_svg(tmp_path: Path):
    from needsmap.synthetic.builder import generate

    ws = generate("medium", 1)
    an = analyse(ws)
    assert not mermaid.landscape_fits(ws)
    out = tmp_path / "report.md"
    written = write_report(ws, an, out, fmt="md", source_file="big workshop.yaml")
    md = out.read_text(encoding="utf-8")
    assert "flowchart" not in md, "no unreadable Mermaid flowchart"
    name = mermaid.landscape_svg_name("big workshop.yaml")
    if not dot_available():
        assert written.files == [] and "drawn in the HTML report" in md
        return
    assert written.files == [tmp_path / name]
    assert f"]({name})" in md, "the SVG is shown (an image) where the diagram would be"
    svg = (tmp_path / name).read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg


def test_no_diagrams_leaves_mermaid_out(demo):
    ws, an = demo
    md = build_report(ws, an, fmt="md", source_file="x.yaml", diagrams=False, today=TODAY)
    assert "```mermaid" not in md


def test_a_personal_report_has_no_landscape_or_model(demo):
    ws, an = demo
    md = build_report(ws, an, fmt="md", source_file="x.yaml", for_stakeholder="sanne", today=TODAY)
    assert "```mermaid" not in md


# -- people's words ---------------------------------------------------------------------------------


def test_summary_counts_add_up(demo_md):
    m = re.search(
        r"Of the (\d+) use cases, \*\*(\d+) (?:is|are) ready\*\*, (\d+) are at risk and (\d+) are blocked"
        r"(?:; (\d+) (?:was|were) rejected)?",
        demo_md,
    )
    assert m, demo_md[:600]
    total, *parts = (int(x or 0) for x in m.groups())
    assert sum(parts) == total
    m = re.search(
        r"found (\d+) problems \((\d+) errors[^;]*; (\d+) warnings, (\d+) info\), seen as (\d+) gaps "
        r"\((\d+) errors, (\d+) warnings, (\d+) info\)",
        demo_md,
    )
    assert m
    n = [int(x) for x in m.groups()]
    assert n[0] == sum(n[1:4]) and n[4] == sum(n[5:8])


def test_the_summary_starts_with_the_recommendation(demo):
    ws, an = demo
    ctx = build_context(ws, an, source_file="x.yaml", today=TODAY)
    rm = build_roadmap(ws, an)
    assert rm.recommended is not None
    ctx.recommended = rm.recommended
    md = render_markdown(ctx)
    summary = md[md.index("## Executive summary") : md.index("## Stakeholders")]
    assert summary.index(f"**Recommended: {textsafe.markdown(rm.recommended.name)}.**") < summary.index("Of the ")
    if rm.recommended.start_with:
        assert "**Start with:**" in summary
        first = rm.recommended.start_with[0]
        assert (
            f"1. {textsafe.markdown(first.title)}" in summary
            or f"1. Decide: {textsafe.markdown(first.title)}" in summary
        )
        assert "Decide: Decision" not in summary


def test_names_with_commas_are_never_joined_with_commas(demo):
    ws = copy.deepcopy(demo[0])
    for u in ws.use_cases:
        u.title = f"{u.title}, really"
    for a in ws.attributes:
        a.name = f"{a.name}, kept"
    an = analyse(ws)
    md = build_report(ws, an, fmt="md", source_file="x.yaml", today=TODAY)
    assert ", really, " not in md, "two use-case titles joined with a comma"
    assert ", kept, " not in md, "two attribute names joined with a comma"
    assert "really; " in md and "kept; " in md


def test_readiness_parts_are_shown(demo_md, demo):
    _, an = demo
    blocked = next(r for r in an.readiness.values() if r.status == "blocked")
    section = demo_md[demo_md.index(f"### {textsafe.markdown(blocked.title)}") :]
    assert f"- Blocked by: {' and '.join(blocked.because)}" in section.split("\n### ")[0]


def test_summary_only_markdown_is_the_summary(demo):
    ws, an = demo
    md = build_report(ws, an, fmt="md", source_file="x.yaml", summary_only=True, today=TODAY)
    assert "## Executive summary" in md and "**Recommended: " in md
    for later in ("## Stakeholders and functions", "## Gap report", "## Diagrams", "```mermaid", "](#"):
        assert later not in md, later
    assert len(md.splitlines()) < 120


@pytest.mark.parametrize("name", ["health-insurer", "water-utility"])
def test_other_workshops_draw_too(name, mermaid_render):
    ws = assert_opens_clean(ROOT / "workshops" / f"{name}.yaml")
    md = build_report(ws, analyse(ws), fmt="md", source_file=f"{name}.yaml", today=TODAY)
    blocks = _blocks(md)
    assert any(b.startswith("flowchart") for b in blocks) and any("erDiagram" in b for b in blocks)
    for block in blocks:
        assert mermaid_render(block)[0] is None
