"""The report's 'Model draft' section: the ER diagram and the open decisions, escaped."""

from __future__ import annotations

import re
import shutil

import pytest

from needsmap.analysis.engine import analyse
from needsmap.draft.engine import draft_model
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.report.render import build_report
from tests.conftest import DEMO
from tests.report.conftest import TODAY


def _section(html: str) -> str:
    found = re.search(r'<section id="model-draft">(.*?)</section>', html, re.S)
    assert found, "no model draft section"
    return found.group(1)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_html_report_has_the_model_draft_with_diagram_and_open_decisions():
    ws = open_workshop(DEMO).workshop
    analysis = analyse(ws)
    html = build_report(ws, analysis, fmt="html", source_file="demo.yaml", today=TODAY)
    assert '<a href="#model-draft">Model draft</a>' in html
    section = _section(html)
    assert section.count("<svg") == 1 and 'aria-label="Model draft: entities and relationships"' in section
    model = draft_model(ws, analysis)
    for t in model.entity_tables:
        assert f">{t.name}<" in section
    for d in model.open_decisions:
        assert f'<td class="nw">{d.id}</td>' in section
    assert "Which system masters &#39;Mobile phone number&#39; (mobile_phone)?" in section


def test_markdown_report_lists_tables_and_open_decisions():
    ws = open_workshop(DEMO).workshop
    analysis = analyse(ws)
    text = build_report(ws, analysis, fmt="md", source_file="demo.yaml", today=TODAY)
    part = text.split("## Model draft", 1)[1].split("\n## ", 1)[0]
    model = draft_model(ws, analysis)
    assert part.count("\n| D") == len(model.open_decisions)
    assert "| customer | entity |" in part


def test_no_model_draft_in_a_personal_report():
    ws = open_workshop(DEMO).workshop
    html = build_report(
        ws,
        analyse(ws),
        fmt="html",
        source_file="demo.yaml",
        today=TODAY,
        for_stakeholder=ws.stakeholders[0].id,
        diagrams=False,
    )
    assert 'id="model-draft"' not in html


def test_hostile_text_is_escaped_in_the_section():
    evil = '<script>alert("x")</script>\u202e'
    ws = m.Workshop(
        workshop=m.WorkshopInfo(name="t"),
        attributes=[m.Attribute("a", evil, entity=evil, definition=evil, identifier=True)],
        systems=[m.System("s1", "S1", holds=[m.Holding("a")]), m.System("s2", "S2", holds=[m.Holding("a")])],
        use_cases=[m.UseCase("u", "U", needs=[m.Need("a")])],
    )
    analysis = analyse(ws)
    for diagrams in (True, False):
        section = _section(
            build_report(
                ws,
                analysis,
                fmt="html",
                source_file="x",
                today=TODAY,
                diagrams=diagrams and shutil.which("dot") is not None,
            )
        )
        assert "<script>" not in section and "\u202e" not in section
        assert "&lt;script&gt;" in section
    text = build_report(ws, analysis, fmt="md", source_file="x", today=TODAY)
    part = text.split("## Model draft", 1)[1].split("\n## ", 1)[0]
    assert "<script>" not in part
