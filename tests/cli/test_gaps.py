"""needsmap gaps: golden output, JSON contract, problems and order, grouping, CI exit codes, hostile text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from needsmap.analysis.engine import ORDERS
from needsmap.analysis.output import GROUPINGS
from needsmap.analysis.rules import RULES
from needsmap.cli.common import LibraryChoice
from needsmap.cli.main import main
from tests.conftest import DATA, DEMO, ROOT

GOLDEN = DATA / "golden"


def _regen() -> bool:
    return os.environ.get("NEEDSMAP_REGEN_GOLDEN") == "1"


@pytest.mark.parametrize(
    "args,golden",
    [
        (["--format", "md"], "demo-gaps.md"),
        (["--format", "md", "--by", "use-case", "--min-severity", "warning"], "demo-gaps-by-use-case.md"),
        (["--format", "md", "--by", "rule", "--order", "impact"], "demo-gaps-by-rule-impact.md"),
        (["--format", "table", "-o", "{out}"], "demo-gaps.txt"),
    ],
)
def test_golden_output(runner, monkeypatch, tmp_path: Path, args, golden):
    """Real CLI output on the demo, compared byte for byte (NEEDSMAP_REGEN_GOLDEN=1 rewrites it)."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "out"
    args = [a.replace("{out}", str(out)) for a in args]
    result = runner.invoke(main, ["gaps", "workshops/omnichannel-retail.yaml", *args])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8") if "-o" in args else result.stdout
    if _regen():
        (GOLDEN / golden).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / golden).read_text(encoding="utf-8")


def test_json_contract(runner):
    result = runner.invoke(main, ["gaps", str(DEMO), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "needsmap.gaps/1"
    assert set(doc) == {"schema", "workshop", "settings", "order", "summary", "gaps", "problems", "readiness"}
    assert doc["order"] == "blockers"
    # four-part readiness (tests/analysis/test_demo_analysis.py says why each use case is what it is)
    assert doc["summary"]["readiness"] == {"ready": 1, "at-risk": 11, "blocked": 5}
    gap = doc["gaps"][0]
    assert set(gap) == {
        "code",
        "rule",
        "severity",
        "subjects",
        "message",
        "why",
        "action",
        "use_cases",
        "impact",
        "details",
        "line",
        "column",
    }
    assert {g["rule"] for g in doc["gaps"]} <= set(RULES)
    assert all(g["code"] == RULES[g["rule"]].code for g in doc["gaps"])
    located = [g for g in doc["gaps"] if g["line"]]
    assert located, "gaps about items from the file carry their line"
    ready = {r["use_case"]: r for r in doc["readiness"]}
    assert ready["cart-abandonment"]["needs"][0].keys() >= {"attribute", "problems", "path", "path_freshness"}
    assert set(ready["cart-abandonment"]["parts"]) == {"data", "identity", "consent", "process"}
    assert ready["cart-abandonment"]["because"] == ["data"]
    problem = doc["problems"][0]
    assert set(problem) == {"key", "title", "severity", "blocks", "use_cases", "impact", "findings", "gaps"}
    # every finding shown belongs to exactly one problem, and the counts add up
    indexes = sorted(i for p in doc["problems"] for i in p["gaps"])
    assert indexes == list(range(len(doc["gaps"])))
    summary = doc["summary"]
    assert sum(summary["problems"].values()) == len(doc["problems"]) < len(doc["gaps"])
    assert summary["blocking"] == sum(p["blocks"] for p in doc["problems"]) > 0
    for p in doc["problems"]:
        shown = [doc["gaps"][i] for i in p["gaps"]]
        assert [(g["rule"], g["subjects"]) for g in shown] == [(f["rule"], f["subjects"]) for f in p["findings"]]
        assert p["severity"] == min((g["severity"] for g in shown), key=["error", "warning", "info"].index)


def test_json_starts_with_the_blocking_errors(runner):
    """The first findings and the first problems are errors that block a use case; --order impact undoes it."""
    doc = json.loads(runner.invoke(main, ["gaps", str(DEMO), "--format", "json"]).stdout)
    blocked = {r["use_case"] for r in doc["readiness"] if r["status"] == "blocked"}
    blocking = [p for p in doc["problems"] if p["blocks"]]
    assert doc["problems"][: len(blocking)] == blocking
    first = doc["gaps"][0]
    assert first["severity"] == "error" and set(first["use_cases"]) & blocked
    assert doc["problems"][0]["gaps"] == [0]
    old = json.loads(runner.invoke(main, ["gaps", str(DEMO), "--format", "json", "--order", "impact"]).stdout)
    assert old["order"] == "impact"
    impacts = [g["impact"] for g in old["gaps"]]
    assert impacts == sorted(impacts, reverse=True) and old["gaps"][0]["severity"] != "error"
    assert sorted(map(json.dumps, old["gaps"])) == sorted(map(json.dumps, doc["gaps"]))


def test_the_table_starts_with_the_blocking_errors_in_80_columns(runner):
    """What a facilitator sees piped into less: the summary, then problem 1, a blocking error."""
    result = runner.invoke(main, ["gaps", str(DEMO)], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    totals = {}
    for head in ("Use cases", "Problems", "Findings"):
        line = next(line for line in lines if line.startswith(f"{head}: "))
        total, parts = re.match(rf"{head}: (\d+): (.*)", line).groups()
        numbers = [int(n) for n in re.findall(r"(\d+) (?:errors?|warnings?|info|ready|at risk|blocked)\b", parts)]
        assert len(numbers) == 3 and sum(numbers) == int(total), line  # counts that add up
        totals[head] = line
    assert totals["Problems"].endswith("(7 block use cases)")
    first = next(line for line in lines if line.lstrip().startswith("1 "))
    assert first.split()[:2] == ["1", "error"]
    assert "never reaches Store tills" in first
    assert lines[lines.index(first) + 1].split()[0] == "blocks"
    # the readiness table comes after the problems
    assert lines.index(first) < next(i for i, line in enumerate(lines) if "Use-case readiness" in line)


def test_order_and_grouping_are_the_library_constants():
    from needsmap.cli.gaps import gaps

    options = {p.name: p for p in gaps.params}
    assert isinstance(options["order"].type, LibraryChoice)
    assert tuple(options["order"].type.choices) == ORDERS
    assert (options["order"].default, options["by"].default) == ("blockers", "problem") == (ORDERS[0], GROUPINGS[0])


def test_min_severity_filters(runner):
    all_gaps = json.loads(runner.invoke(main, ["gaps", str(DEMO), "--format", "json"]).stdout)["gaps"]
    errors = json.loads(runner.invoke(main, ["gaps", str(DEMO), "--format", "json", "--min-severity", "error"]).stdout)[
        "gaps"
    ]
    assert errors and len(errors) < len(all_gaps)
    assert {g["severity"] for g in errors} == {"error"}


def test_fail_on(runner, tmp_path: Path):
    assert runner.invoke(main, ["gaps", str(DEMO), "--fail-on", "error"]).exit_code == 1
    clean = tmp_path / "clean.yaml"
    clean.write_text(
        "needsmap: 1\nworkshop:\n  name: Clean\nfunctions: [marketing]\nchannels: [web]\n"
        "stakeholders:\n  - id: ann\n    name: Ann\n    function: marketing\n"
        "attributes:\n  - id: cid\n    name: Customer id\n    identifier: true\n    owner: ann\n"
        "systems:\n  - id: shop\n    name: Shop\n    holds:\n      - attribute: cid\n        role: master\n"
        "use_cases:\n  - id: u\n    title: U\n    owner: ann\n    function: marketing\n    executes_in: [shop]\n"
        "    needs: [cid]\n"
    )
    result = runner.invoke(main, ["gaps", str(clean), "--fail-on", "warning", "--format", "json"])
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["gaps"] == []


@pytest.mark.parametrize("by", GROUPINGS)
def test_every_grouping_shows_every_gap(runner, by):
    from needsmap.analysis.engine import analyse
    from needsmap.analysis.output import group
    from needsmap.format.opening import open_workshop

    ws = open_workshop(DEMO).workshop
    analysis = analyse(ws)
    groups = group(analysis, ws, analysis.gaps, by)
    shown = {id(g) for grp in groups for g in grp.gaps}
    assert shown == {id(g) for g in analysis.gaps}
    assert runner.invoke(main, ["gaps", str(DEMO), "--by", by]).exit_code == 0


def test_invalid_workshop_is_refused_with_located_errors(runner, monkeypatch):
    monkeypatch.chdir(DATA / "bad")
    result = runner.invoke(main, ["gaps", "unknown-reference.yaml"])
    assert result.exit_code == 1
    assert "unknown-reference.yaml:10:12: error:" in result.stderr
    assert "fix the errors above first" in result.stderr


def test_hostile_text_is_inert_in_every_format(runner, tmp_path: Path):
    evil = "Evil \x1b[2J\x1b]0;pwned\x07 <script>alert(1)</script> | **bold** [x](javascript:1)"
    path = tmp_path / "evil.yaml"
    path.write_text(
        "needsmap: 1\nworkshop:\n  name: " + json.dumps(evil) + "\n"
        "attributes:\n  - id: a\n    name: " + json.dumps(evil) + "\n"
        "use_cases:\n  - id: u\n    title: " + json.dumps(evil) + "\n    needs: [a]\n",
        encoding="utf-8",
    )
    table = runner.invoke(main, ["gaps", str(path)])
    assert table.exit_code == 0, table.output
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "\\x1b[2J" in table.stdout
    md = runner.invoke(main, ["gaps", str(path), "--format", "md"]).stdout
    assert "<script>" not in md and "\x1b" not in md
    assert "\\<script\\>" in md and "\\*\\*bold\\*\\*" in md and "\\|" in md
    doc = json.loads(runner.invoke(main, ["gaps", str(path), "--format", "json"]).stdout)
    assert doc["workshop"]["name"] == evil  # JSON keeps the exact text; it is data, not markup


def test_report_creates_the_output_folder(runner, tmp_path: Path):
    out = tmp_path / "new" / "folder" / "report.md"
    result = runner.invoke(main, ["report", str(DEMO), "-o", str(out), "--no-diagrams"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("by", GROUPINGS)
def test_every_table_reads_in_80_columns_and_a_pipe(runner, by):
    """Wrapped or folded, never cut to "…": every use case's id and every rule's title is there whole."""
    from needsmap.format.opening import open_workshop

    ws = open_workshop(DEMO).workshop
    result = runner.invoke(main, ["gaps", str(DEMO), "--by", by], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "\x1b[" not in text, "no colour codes in a pipe"
    assert "…" not in text
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    flat = " ".join(" ".join(line.split()) for line in lines)
    readiness = text[text.index("Use-case readiness") :]
    unfolded = "".join(line.strip() for line in readiness.splitlines())
    for u in ws.use_cases:
        assert u.id in unfolded, u.id  # ids fold onto the next line whole, never with an ellipsis
    doc = json.loads(runner.invoke(main, ["gaps", str(DEMO), "--format", "json"]).stdout)
    for slug in {g["rule"] for g in doc["gaps"]}:
        assert RULES[slug].title.split()[0] in flat, "rule titles, not only codes"
    assert not re.search(r"\bNM\d{3} [a-z-]+:", flat), "never 'NM101 missing-source:' alone"


def test_gaps_markdown_says_it_in_words(runner):
    md = runner.invoke(main, ["gaps", str(DEMO), "--format", "md"]).stdout
    for head in ("Use cases", "Problems", "Findings"):
        line = next(line for line in md.splitlines() if line.startswith(f"- **{head}:** "))
        total = int(re.search(r":\*\* (\d+) ", line).group(1))
        parts = [int(n) for n in re.findall(r"(\d+) (?:errors?|warnings?|info|ready|at risk|blocked)\b", line)]
        assert sum(parts) == total, line
    assert "*Held, but never reaches the system that needs it* (`NM106`)" in md
    assert "| blocked by data" in md and "Held back by" in md


def test_report_csv_lists_the_files_it_wrote(runner, tmp_path: Path):
    from needsmap.report.tables import CSV_FILES

    result = runner.invoke(main, ["report", str(DEMO), "-o", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Wrote {len(CSV_FILES)} CSV files into {tmp_path / 'out'}:"
    assert [line.strip() for line in lines[1:]] == [str(tmp_path / "out" / name) for name in CSV_FILES]
    assert all((tmp_path / "out" / name).is_file() for name in CSV_FILES)


def test_report_summary_only(runner, tmp_path: Path):
    out = tmp_path / "summary.md"
    result = runner.invoke(main, ["report", str(DEMO), "-o", str(out), "--summary-only"])
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert "## Executive summary" in md and "## Gap report" not in md
    assert list(tmp_path.iterdir()) == [out]
    refused = runner.invoke(main, ["report", str(DEMO), "-o", str(tmp_path / "x.xlsx"), "--summary-only"])
    assert refused.exit_code != 0 and "--summary-only writes an html or md report, not xlsx" in refused.stderr
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", str(DEMO), "--format", "md"],
        ["model", str(DEMO), "--format", "sql", "--dialect", "postgres"],
        ["roadmap", str(DEMO), "--format", "md"],
        ["schema"],
    ],
)
def test_every_command_writing_a_file_creates_its_folder(runner, tmp_path: Path, args):
    """What ./dev demo does on a clean clone: -o out/x where out/ does not exist yet."""
    out = tmp_path / "out" / "deeper" / "result.txt"
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.stat().st_size > 0
