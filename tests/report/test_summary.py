"""The report's executive summary: problems (findings grouped by root cause), blocking errors first."""

from __future__ import annotations

import datetime as dt
import re

from needsmap.analysis.problems import group
from needsmap.report import render as report
from needsmap.report.context import TOP_GAPS, build_context

TODAY = dt.date(2026, 11, 20)


def test_summary_context_starts_with_the_blocking_problems(demo):
    ws, analysis = demo
    ctx = build_context(ws, analysis, today=TODAY)
    problems = group(analysis, ws)
    assert [p.key for p in ctx.top_problems] == [p.key for p in problems[:TOP_GAPS]]
    blocking = [p for p in ctx.top_problems if p.blocks]
    assert blocking and list(ctx.top_problems[: len(blocking)]) == blocking
    assert all(p.severity == "error" for p in blocking)
    # the counts add up: problems per severity, findings per severity
    assert ctx.problem_total == len(problems) == sum(ctx.problem_counts.values())
    assert ctx.blocking_problems == sum(1 for p in problems if p.blocks)
    assert ctx.gap_total == len(analysis.gaps) > ctx.problem_total
    phone = next(p for p in problems if p.key == "attribute:mobile_phone")
    assert len(phone.symptoms) == 4
    # the findings of the report's tables are in the default order too: blocking errors first
    assert [g.code for g in ctx.top_gaps] == [g.code for g in analysis.gaps[:TOP_GAPS]]
    assert all(g.severity == "error" for g in ctx.top_gaps[: len(analysis.blocking)])


def _summary_html(html: str) -> str:
    return re.search(r'<section id="summary">(.*?)</section>', html, re.S).group(1)


def test_html_summary_lists_problems_blocking_errors_first(demo):
    ws, analysis = demo
    html = report.build_report(ws, analysis, fmt="html", source_file="demo.yaml", today=TODAY)
    summary = _summary_html(html)
    ctx = build_context(ws, analysis, today=TODAY)
    assert f"The workshop found {ctx.problem_total} problems ({ctx.gap_total} findings" in summary
    assert f"{ctx.blocking_problems} of which block a use case" in summary
    rows = re.findall(r"<tr>(.*?)</tr>", summary.split('id="top-gaps"')[1].split("<tbody>")[1], re.S)
    assert len(rows) == TOP_GAPS
    blocks = ["Blocks</span>" in row for row in rows]
    assert blocks[0] and blocks == sorted(blocks, reverse=True), "the blocking problems come first"
    assert "<strong>Personalisation consent never reaches Store tills</strong>" in rows[0]
    # a problem of several findings lists each of them, and each distinct action once
    phone = next(row for row in rows if "Mobile phone number is poorly kept" in row)
    assert phone.count("<li>") == 4
    assert phone.count("Appoint an owner from") == 2  # two distinct actions (no-owner, contested)


def test_markdown_summary_lists_problems_blocking_errors_first(demo):
    ws, analysis = demo
    md = report.build_report(ws, analysis, fmt="md", source_file="demo.yaml", today=TODAY)
    summary = md.split("## Executive summary")[1].split("### Key decisions")[0]
    ctx = build_context(ws, analysis, today=TODAY)
    assert f"found {ctx.problem_total} problems ({ctx.problem_counts['error']} errors" in summary
    rows = [line for line in summary.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == TOP_GAPS
    severities = [row.split(" | ")[1] for row in rows]
    assert severities[0] == "error, blocks"
    assert severities == sorted(severities, key=lambda s: s != "error, blocks")
    assert rows[0].split(" | ")[2] == "Personalisation consent never reaches Store tills"
