"""XLSX and CSV exports: every sheet and file complete, styled, atomic, and inert against formula injection."""

from __future__ import annotations

import copy
import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest

from needsmap.analysis.engine import analyse
from needsmap.analysis.rules import RULES
from needsmap.draft.engine import draft_model
from needsmap.format.opening import open_workshop, parse_workshop
from needsmap.report.context import Matrix, build_context
from needsmap.report.tables import (
    CSV_FILES,
    PLAN_SHEETS,
    SHEETS,
    XLSX_CELL_LIMIT,
    matrix_table,
    safe_cell,
    sheet_title,
    summary_problems,
    write_csv,
    write_xlsx,
)
from needsmap.roadmap.engine import build_roadmap
from tests.conftest import DEMO

RED, AMBER, GREEN = "FFC7CE", "FFEB9C", "C6EFCE"
LISTS = ("Use cases", "Needs", "Gaps", "Stakeholders", "Ownership", "Notes", "Catalog")
MATRICES = {"Traceability": "traceability", "CRUD": "crud", "Systems x attributes": "system_matrix"}
#: What a spreadsheet would evaluate: a formula sign, also after blanks, or a leading tab / carriage return.
DANGEROUS = re.compile(r"^(?:\s*[=+\-@]|[\t\r])")
PAYLOADS = ('=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", " =1")


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def demo_plan():
    """The demo's workshop, analysis, roadmap and model draft."""
    ws = open_workshop(DEMO).workshop
    an = analyse(ws)
    return ws, an, build_roadmap(ws, an), draft_model(ws, an)


@pytest.fixture(scope="module")
def demo_ctx(demo_plan):
    ws, an, rm, _ = demo_plan
    ctx = build_context(ws, an, source_file="workshops/omnichannel-retail.yaml")
    ctx.recommended = rm.recommended
    return ctx


@pytest.fixture(scope="module")
def demo_book(demo_ctx, demo_plan, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "demo.xlsx"
    write_xlsx(demo_ctx, path, roadmap=demo_plan[2], model=demo_plan[3])
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def demo_csv(demo_ctx, tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv") / "not" / "there" / "yet"
    paths = write_csv(demo_ctx, folder)
    return folder, paths


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar, escapes included


def _workshop(names: list[str], extra_name: str = "Evil workshop"):
    """A small valid workshop whose every human-written text is one of ``names``."""
    lines = [
        "needsmap: 1",
        "workshop:",
        f"  name: {_q(extra_name)}",
        f"  scope: {_q(names[0])}",
        "functions: [marketing]",
        "channels: [web]",
        "stakeholders:",
    ]
    for i, n in enumerate(names):
        lines += [f"  - id: s{i}", f"    name: {_q(n)}", f"    role: {_q(n)}", "    function: marketing"]
    lines.append("attributes:")
    for i, n in enumerate(names):
        lines += [
            f"  - id: a{i}",
            f"    name: {_q(n)}",
            f"    definition: {_q(n)}",
            f"    synonyms: [{_q(n)}]",
            f"    owner: s{i}",
        ]
    lines.append("systems:")
    for i, n in enumerate(names):
        lines += [
            f"  - id: sys{i}",
            f"    name: {_q(n)}",
            "    holds:",
            f"      - attribute: a{i}",
            "        role: master",
            "        quality: 2",
        ]
    lines.append("use_cases:")
    for i, n in enumerate(names):
        lines += [
            f"  - id: u{i}",
            f"    title: {_q(n)}",
            f"    description: {_q(n)}",
            f"    owner: s{i}",
            "    function: marketing",
            f"    needs: [a{i}, a{(i + 1) % len(names)}]",
            f"    executes_in: [sys{i}]",
        ]
    lines += ["processes:", "  - id: p0", f"    name: {_q(names[0])}", "    owner: s0", "    steps:"]
    for i, n in enumerate(names):
        lines += [f"      - name: {_q(n)}", f"        system: sys{i}", f"        updates: [a{i}]"]
    lines.append("notes:")
    for i, n in enumerate(names):
        lines += [f"  - id: n{i}", "    kind: question", f"    text: {_q(n)}", f"    about: [a{i}]"]
    result = parse_workshop("\n".join(lines) + "\n", "evil.yaml")
    assert result.workshop is not None, result.diagnostics
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return result.workshop


def _ctx(ws):
    return build_context(ws, analyse(ws), source_file="evil.yaml")


# ------------------------------------------------------------------------------------------------ safe_cell


@pytest.mark.parametrize("value", [0, 5, -5, -2.5, 3.25, True, False, None])
def test_safe_cell_leaves_non_text_alone(value):
    result = safe_cell(value)
    assert result is value or result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("-5 days", "'-5 days"),
        ("=1+1", "'=1+1"),
        ("+31 20 123", "'+31 20 123"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\tplain", "'\tplain"),
        (" =1", "' =1"),
        ("\u00a0\u3000=1", "'\u00a0\u3000=1"),
        ("\n-1", "'\n-1"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("\x00=1", "'=1"),  # stripping an illegal character must not uncover a formula
        ("a\x01b\x1fc", "abc"),
        ("tab\tand\nnewline\r", "tab\tand\nnewline\r"),  # legal in XML: kept
        ("lone \ud800 surrogate \uffff", "lone  surrogate "),
    ],
)
def test_safe_cell_neutralises_formula_text(text, expected):
    assert safe_cell(text) == expected


@pytest.mark.parametrize("text", ["plain", "", "   ", "e-mail", "a=b", "2-3", "'=1", "Zoë 李 😀", "#N/A", "50%"])
def test_safe_cell_keeps_harmless_text(text):
    assert safe_cell(text) == text


def test_safe_cell_is_idempotent():
    for p in PAYLOADS + ("-5 days", "\x00=1"):
        once = safe_cell(p)
        assert safe_cell(once) == once
        assert not DANGEROUS.match(once)


def test_sheet_title_is_valid_and_unique():
    assert sheet_title("a[b]c:d*e?f/g\\h") == "a b c d e f g h"
    assert len(sheet_title("x" * 50)) == 31
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("") == "Sheet"
    assert sheet_title("Gaps", ["gaps"]) == "Gaps (2)"
    long = sheet_title("y" * 40, ["y" * 31])
    assert len(long) <= 31 and long.endswith("(2)")
    for name in SHEETS:
        assert sheet_title(name) == name


# ------------------------------------------------------------------------------------------------ XLSX: demo


def test_demo_workbook_has_every_sheet(demo_book):
    assert demo_book.sheetnames == list(SHEETS)
    for ws in demo_book:
        assert len(ws.title) <= 31 and not re.search(r"[\[\]:*?/\\]", ws.title)


def test_demo_list_sheets_have_one_row_per_item(demo_book, demo_ctx):
    ctx = demo_ctx
    expected = {
        "Use cases": len(ctx.use_cases),
        "Needs": sum(len(u.needs) for u in ctx.use_cases),
        "Gaps": ctx.gap_total,
        "Stakeholders": len(ctx.stakeholders),
        "Ownership": sum(len(o.attributes) for o in ctx.ownership) + len(ctx.orphaned),
        "Notes": sum(len(v) for v in ctx.notes.values()),
        "Catalog": len(ctx.catalog),
    }
    assert expected["Gaps"] == sum(len(g.gaps) for g in ctx.rule_groups) > 0
    for name, n in expected.items():
        ws = demo_book[name]
        assert n > 0, name
        assert ws.max_row == n + 1, name
        assert all(ws.cell(1, c).value for c in range(1, ws.max_column + 1)), f"{name}: empty header"
    uc = demo_book["Use cases"]
    assert [uc.cell(r, 1).value for r in range(2, uc.max_row + 1)] == [u.id for u in ctx.use_cases]
    header = [c.value for c in uc[1]]
    for col in (
        "Use case",
        "Title",
        "Owner",
        "Function",
        "Value",
        "Horizon",
        "Status",
        "Readiness",
        "Must met",
        "Reasons",
    ):
        assert col in header
    gaps = demo_book["Gaps"]
    assert [c.value for c in gaps[1]][:9] == [
        "Rule",
        "Code",
        "Severity",
        "Subjects",
        "Message",
        "Why it matters",
        "Action",
        "Impact",
        "Use cases",
    ]
    impacts = [gaps.cell(r, 8).value for r in range(2, gaps.max_row + 1)]
    assert all(isinstance(i, int) for i in impacts), "impact stays a number"
    blocking = sum(1 for grp in ctx.rule_groups for g in grp.gaps if g.blocks)  # errors that block: first
    assert blocking and [gaps.cell(r, 3).value for r in range(2, 2 + blocking)] == ["error"] * blocking
    for part in (impacts[:blocking], impacts[blocking:]):
        assert part == sorted(part, reverse=True), "gaps come most important first"
    assert [gaps.cell(r, 2).value for r in range(2, 2 + len(ctx.top_gaps))] == [
        f"{g.code} {g.rule}" for g in ctx.top_gaps
    ]
    # the rule in words first, the code after it; use cases by title, one a line (a title may hold a comma)
    first = ctx.top_gaps[0]
    assert gaps.cell(2, 1).value == RULES[first.rule].title
    assert gaps.cell(2, 9).value == "\n".join(ctx.use_case_titles[u] for u in first.use_cases)


@pytest.mark.parametrize("sheet,attr", list(MATRICES.items()))
def test_demo_matrix_sheets_are_rows_by_columns(demo_book, demo_ctx, sheet, attr):
    mx: Matrix = getattr(demo_ctx, attr)
    ws = demo_book[sheet]
    assert len(mx.rows) and len(mx.columns)
    assert ws.max_row == len(mx.rows) + 2  # legend row, header row, one row per matrix row
    assert ws.max_column == len(mx.columns) + 2  # id, label, one column per matrix column
    assert mx.legend in ws["A1"].value
    assert [ws.cell(2, c).value for c in range(3, ws.max_column + 1)] == [label for _, label in mx.columns]
    for i, ((rid, label), cells) in enumerate(zip(mx.rows, mx.cells)):
        r = i + 3
        assert (ws.cell(r, 1).value, ws.cell(r, 2).value) == (rid, label)
        assert [ws.cell(r, c + 3).value or "" for c in range(len(cells))] == list(cells)
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
    assert ws.print_title_rows == "$1:$2" and ws.print_title_cols == "$A:$B"


def test_demo_headers_frozen_filtered_bold_and_printable(demo_book):
    for name in LISTS:
        ws = demo_book[name]
        assert ws.freeze_panes == "A2", name
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", name
        assert all(c.font.b for c in ws[1]), name
        assert ws.print_title_rows == "$1:$1", name
        for c in range(1, ws.max_column + 1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
            assert 8 <= width <= 62, (name, c, width)
    for name in MATRICES:
        assert all(c.font.b for c in demo_book[name][2]), name


def test_demo_colours(demo_book, demo_ctx):
    uc = demo_book["Use cases"]
    col = [c.value for c in uc[1]].index("Readiness") + 1
    colours = {}
    for r in range(2, uc.max_row + 1):
        colours.setdefault(uc.cell(r, col).value, set()).add(_fill(uc.cell(r, col)))
    assert colours["blocked"] == {RED}
    assert colours["at-risk"] == {AMBER}
    assert colours["ready"] == {GREEN}

    gaps = demo_book["Gaps"]
    sev = {gaps.cell(r, 3).value: _fill(gaps.cell(r, 3)) for r in range(2, gaps.max_row + 1)}
    assert sev["error"] == RED and sev["warning"] == AMBER and sev["info"]

    for sheet, attr in MATRICES.items():
        mx: Matrix = getattr(demo_ctx, attr)
        ws = demo_book[sheet]
        by_style: dict[str, set[str]] = {}
        for i, styles in enumerate(mx.styles):
            for j, style in enumerate(styles):
                if style:
                    by_style.setdefault(style, set()).add(_fill(ws.cell(i + 3, j + 3)))
        assert by_style, sheet
        for style, fills in by_style.items():
            assert len(fills) == 1 and "" not in fills, (sheet, style, fills)
        if "ok" in by_style:
            assert by_style["ok"] == {GREEN} and by_style["bad"] == {RED}
        if "q-low" in by_style:
            assert by_style["q-low"] == {RED}
            assert len({next(iter(f)) for s, f in by_style.items() if s.startswith("q")}) > 2, "a heat map"
        if "write" in by_style:
            assert by_style["write"] != by_style["read"]


def _summary_sections(ws) -> dict[str, dict[str, object]]:
    """The summary sheet's counted sections: heading -> {label: number}."""
    sections: dict[str, dict[str, object]] = {}
    current = None
    for a, b, *_ in ws.iter_rows(values_only=True):
        if a is not None and b is None:
            current = sections.setdefault(a, {})
        elif a is not None and current is not None:
            current[a] = b
        elif a is None and b is None:
            current = None
    return sections


def test_demo_summary(demo_book, demo_ctx):
    ws = demo_book["Summary"]
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None}
    assert rows["Workshop"] == demo_ctx.title
    sections = _summary_sections(ws)
    readiness = sections["Readiness of use cases"]
    problems = sections["Problems (one per root cause) by severity"]
    findings = sections["Findings by severity"]
    for status, n in demo_ctx.readiness_counts.items():
        assert readiness[status] == n
    for severity, n in demo_ctx.problem_counts.items():
        assert problems[severity] == n
    for severity, n in demo_ctx.gap_counts.items():
        assert findings[severity] == n
    # counts that add up
    assert readiness["total use cases"] == sum(readiness[k] for k in ("blocked", "at-risk", "ready"))
    assert problems["total problems"] == sum(problems[k] for k in ("error", "warning", "info"))
    assert findings["total findings"] == demo_ctx.gap_total == sum(findings[k] for k in ("error", "warning", "info"))
    assert problems["of which block a use case"] == demo_ctx.blocking_problems > 0


def test_demo_summary_lists_problems_blockers_first(demo_book, demo_ctx):
    """Problems, not raw findings: every problem that blocks a use case, then the most important others."""
    ws = demo_book["Summary"]
    values = [r for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(values) if r[:2] == ("#", "Problem")) + 1
    listed = [r for r in values[start:] if isinstance(r[0], int)]
    shown = summary_problems(demo_ctx)
    assert [r[1] for r in listed] == [p.title for p in shown]
    blocking = [p for p in demo_ctx.top_problems if p.blocks]
    assert blocking and len([r for r in listed if "blocks" in r[2]]) == demo_ctx.blocking_problems
    assert all("blocks" in r[2] for r in listed[: demo_ctx.blocking_problems]), "blockers first"
    assert not any(isinstance(v, str) and re.match(r"NM\d{3}", v) for r in values for v in r), "no raw codes"


def test_summary_lists_every_blocker_even_beyond_ten(demo_ctx):
    import dataclasses

    many = tuple(dataclasses.replace(demo_ctx.top_problems[0], key=f"k{i}") for i in range(14))
    ctx = copy.copy(demo_ctx)
    ctx.blockers = many
    assert summary_problems(ctx)[:14] == list(many)


def test_demo_recommended_option_is_marked(demo_book, demo_plan):
    rm = demo_plan[2]
    rec = rm.recommended
    assert rec is not None
    options = demo_book["Roadmap options"]
    header = [c.value for c in options[1]]
    assert header[:3] == ["Option", "Name", "Recommended"]
    assert options.max_row == len(rm.plans) + 1
    assert options.cell(2, 1).value == rec.option, "the recommended option comes first"
    marks = [options.cell(r, 3).value for r in range(2, options.max_row + 1)]
    assert marks == ["recommended"] + [None] * (len(rm.plans) - 1)
    assert _fill(options.cell(2, 3)) == GREEN
    assert options.cell(2, 4).value == rec.reason
    summary = {r[0]: r[1] for r in demo_book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Recommended option"] == rec.name
    if rec.start_with:
        assert summary["Start with"].startswith("1. ")
        assert rec.start_with[0].title in summary["Start with"]


def test_demo_roadmap_sheet_lists_every_work_item(demo_book, demo_plan):
    rm = demo_plan[2]
    sheet = demo_book["Roadmap"]
    assert [c.value for c in sheet[1]][:7] == [
        "Option",
        "Recommended",
        "Wave",
        "Work item",
        "Kind",
        "Effort (points)",
        "Value",
    ]
    assert sheet.max_row == sum(len(p.items) for p in rm.plans) + 1
    first = rm.plan_of(rm.recommended.option)
    assert [sheet.cell(r, 4).value for r in range(2, 2 + len(first.items))] == [
        it.item.title or it.item.id for it in first.items
    ]
    assert {sheet.cell(r, 2).value for r in range(2, 2 + len(first.items))} == {"recommended"}
    efforts = [sheet.cell(r, 6).value for r in range(2, sheet.max_row + 1)]
    assert all(isinstance(e, (int, float)) for e in efforts), "effort stays a number"
    assert sum(efforts) == pytest.approx(sum(p.effort for p in rm.plans))


def test_demo_model_draft_sheets(demo_book, demo_plan, demo_ctx):
    model = demo_plan[3]
    cols = demo_book["Model draft"]
    header = [c.value for c in cols[1]]
    for name in ("Table", "Column", "Type", "Nullable", "Key", "Needed by (use cases)", "Open decisions"):
        assert name in header
    assert cols.max_row == sum(len(t.columns) for t in model.tables) + 1
    col = {h: i + 1 for i, h in enumerate(header)}
    keyed = [(cols.cell(r, col["Column"]).value, cols.cell(r, col["Key"]).value) for r in range(2, cols.max_row + 1)]
    assert sum(1 for _, k in keyed if k and "PK" in k) >= len(model.tables) - 1
    traced = next(c for t in model.tables for c in t.columns if c.use_cases)
    row = next(r for r in range(2, cols.max_row + 1) if cols.cell(r, col["Column"]).value == traced.name)
    assert cols.cell(row, col["Needed by (use cases)"]).value.split("\n")[0] == demo_ctx.names[traced.use_cases[0]]
    decisions = demo_book["Open decisions"]
    assert decisions.max_row == len(model.open_decisions) + 1 > 1
    assert [decisions.cell(r, 1).value for r in range(2, decisions.max_row + 1)] == [d.id for d in model.open_decisions]


def test_demo_numbers_stay_numbers_and_no_formulas(demo_book):
    uc = demo_book["Use cases"]
    header = [c.value for c in uc[1]]
    values = [uc.cell(r, header.index("Value") + 1).value for r in range(2, uc.max_row + 1)]
    assert all(isinstance(v, int) for v in values if v is not None) and any(values)
    share = uc.cell(2, header.index("Must share") + 1)
    assert isinstance(share.value, float) and share.number_format == "0%"
    for ws in demo_book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)


def test_stakeholder_view_workbook(tmp_path):
    from needsmap.report.output import write_report

    ws = open_workshop(DEMO).workshop
    an = analyse(ws)
    ctx = build_context(ws, an, for_stakeholder="sanne")
    write_report(ws, an, tmp_path / "sanne.xlsx", fmt="xlsx", source_file="x.yaml", for_stakeholder="sanne")
    book = openpyxl.load_workbook(tmp_path / "sanne.xlsx")
    assert book.sheetnames == [s for s in SHEETS if s not in PLAN_SHEETS], "no roadmap or draft in a personal one"
    assert book["Use cases"].max_row == len(ctx.use_cases) + 1
    summary = [c.value for row in book["Summary"].iter_rows() for c in row if c.value]
    assert any(isinstance(v, str) and v.startswith(ctx.for_stakeholder.name) for v in summary)


# ------------------------------------------------------------------------------------------------ CSV: demo


def test_demo_csv_files(demo_csv, demo_ctx):
    folder, paths = demo_csv
    assert [p.name for p in paths] == list(CSV_FILES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES), "no temporary files left behind"
    ctx = demo_ctx
    expected = {
        "gaps.csv": ctx.gap_total,
        "readiness.csv": len(ctx.use_cases),
        "needs.csv": sum(len(u.needs) for u in ctx.use_cases),
    }
    for path in paths:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert b"\r\n" in raw
        rows = _read_csv(path)
        widths = {len(r) for r in rows}
        assert len(widths) == 1, f"{path.name}: ragged rows"
        if path.name in expected:
            assert len(rows) == expected[path.name] + 1, path.name
    for name, attr in (
        ("traceability.csv", "traceability"),
        ("crud.csv", "crud"),
        ("systems-x-attributes.csv", "system_matrix"),
    ):
        mx: Matrix = getattr(ctx, attr)
        rows = _read_csv(folder / name)
        assert len(rows) == len(mx.rows) + 1
        assert rows[0] == ["Id", mx.corner, *(label for _, label in mx.columns)]
        for row, (rid, label), cells in zip(rows[1:], mx.rows, mx.cells):
            assert row == [rid, label, *cells]
    readiness = _read_csv(folder / "readiness.csv")
    col = readiness[0].index("Must met")
    assert all("/" not in r[col] for r in readiness[1:]), "no fraction Excel would turn into a date"
    gaps = _read_csv(folder / "gaps.csv")
    assert [r[1].split()[0] for r in gaps[1 : 1 + len(ctx.top_gaps)]] == [g.code for g in ctx.top_gaps]


def test_csv_rfc4180_and_accents(tmp_path):
    tricky = 'Zoë "the boss", Ünal\nsecond line 李 😀'
    ws = _workshop([tricky, "Plain"])
    write_csv(_ctx(ws), tmp_path)
    rows = _read_csv(tmp_path / "readiness.csv")
    titles = [r[1] for r in rows[1:]]
    assert tricky in titles
    raw = (tmp_path / "readiness.csv").read_bytes().decode("utf-8-sig")
    assert '"Zoë ""the boss"", Ünal\nsecond line 李 😀"' in raw


# ------------------------------------------------------------------------------------------------ injection


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    ws = _workshop(list(PAYLOADS) + ["#N/A", "-5 days"], extra_name=PAYLOADS[0])
    an = analyse(ws)
    ctx = build_context(ws, an, source_file="evil.yaml")
    rm = build_roadmap(ws, an)
    ctx.recommended = rm.recommended
    out = tmp_path_factory.mktemp("evil")
    write_xlsx(ctx, out / "evil.xlsx", roadmap=rm, model=draft_model(ws, an))
    write_csv(ctx, out / "csv")
    return ctx, out


def test_xlsx_has_no_formula_and_no_dangerous_text(evil):
    _, out = evil
    book = openpyxl.load_workbook(out / "evil.xlsx")
    strings = 0
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    strings += 1
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    assert not DANGEROUS.match(c.value), (ws.title, c.coordinate, c.value)
    assert strings > 100
    for name in PLAN_SHEETS:  # the roadmap and draft sheets are there, and were checked above
        assert book[name].max_row > 1, name
    for name in ("Roadmap", "Model draft", "Open decisions"):  # where workshop text (the payloads) shows
        values = [v for row in book[name].iter_rows(values_only=True) for v in row if isinstance(v, str)]
        assert any(v.startswith("'") and DANGEROUS.match(v[1:]) for v in values), name
    # The raw XML too: no <f> element anywhere, whatever a reader library makes of it.
    import zipfile

    with zipfile.ZipFile(out / "evil.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_xlsx_payloads_end_up_as_quoted_text(evil):
    ctx, out = evil
    book = openpyxl.load_workbook(out / "evil.xlsx")
    titles = [c.value for c in book["Use cases"]["B"][1:]]
    names = [c.value for c in book["Stakeholders"]["B"][1:]]
    systems = [c.value for c in book["Systems x attributes"]["B"][2:]]
    columns = [c.value for c in book["Traceability"][2][2:]]
    for p in PAYLOADS:
        for where in (titles, names, systems, columns):
            # a carriage return becomes a line feed, the line break of a cell
            assert "'" + p.replace("\r", "\n") in where, (p, where)
    assert "'-5 days" in titles
    na = book["Use cases"].cell(titles.index("#N/A") + 2, 2)
    assert na.data_type == "s", "text that looks like an error code stays text"
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Workshop"] == "'" + PAYLOADS[0]
    values = [c.value for row in book["Notes"].iter_rows(min_row=2) for c in row]
    assert all(not DANGEROUS.match(v) for v in values if isinstance(v, str))


def test_csv_payloads_end_up_as_quoted_text(evil):
    _, out = evil
    for name in CSV_FILES:
        for row in _read_csv(out / "csv" / name):
            for value in row:
                assert not DANGEROUS.match(value), (name, value)
    titles = [r[1] for r in _read_csv(out / "csv" / "readiness.csv")[1:]]
    header = _read_csv(out / "csv" / "traceability.csv")[0]
    systems = [r[1] for r in _read_csv(out / "csv" / "systems-x-attributes.csv")[1:]]
    for p in PAYLOADS:
        assert "'" + p in titles and "'" + p in header and "'" + p in systems, p
    assert "'-5 days" in titles
    raw = (out / "csv" / "readiness.csv").read_text(encoding="utf-8-sig")
    assert ",=" not in raw and ',"=' not in raw and ",+" not in raw and ",@" not in raw


def test_control_characters_and_huge_text_do_not_crash_xlsx(tmp_path):
    ctl = "ctl" + "".join(chr(c) for c in range(0x20)) + "end"
    huge = "x" * (XLSX_CELL_LIMIT + 5000)
    ws = _workshop([ctl, "=" + ctl, huge], extra_name=ctl)
    ctx = _ctx(ws)
    write_xlsx(ctx, tmp_path / "ctl.xlsx")
    write_csv(ctx, tmp_path / "csv")
    book = openpyxl.load_workbook(tmp_path / "ctl.xlsx")
    titles = [c.value for c in book["Use cases"]["B"][1:]]
    clean = "ctl\t\n\rend"  # tab, line feed and carriage return are legal in XML; the rest is removed
    in_cell = clean.replace("\r", "\n")  # the XLSX writer makes every line break a line feed
    assert in_cell in titles and "'=" + in_cell in titles
    long = next(t for t in titles if t.startswith("xxx"))
    assert len(long) == XLSX_CELL_LIMIT
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v))
    rows = _read_csv(tmp_path / "csv" / "readiness.csv")
    assert any(r[1] == clean for r in rows), "CSV drops the same characters"


# ------------------------------------------------------------------------------------------------ atomic writes


def test_xlsx_replaces_atomically_and_keeps_old_file_on_failure(tmp_path, demo_ctx, monkeypatch):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    target.chmod(0o640)
    write_xlsx(demo_ctx, target)
    assert openpyxl.load_workbook(target).sheetnames == [s for s in SHEETS if s not in PLAN_SHEETS]
    assert target.stat().st_mode & 0o777 == 0o640, "an existing file keeps its permissions"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    good = target.read_bytes()

    def broken_save(self, fh):
        fh.write(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_xlsx(demo_ctx, target)
    assert target.read_bytes() == good, "a failed write leaves the previous workbook untouched"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"], "no temporary file left behind"


def test_csv_overwrites_in_place(tmp_path, demo_ctx):
    (tmp_path / "gaps.csv").write_text("stale", encoding="utf-8")
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    write_csv(demo_ctx, tmp_path)
    assert _read_csv(tmp_path / "gaps.csv")[0][0] == "Rule"
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*CSV_FILES, "mine.txt"])


# ------------------------------------------------------------------------------------------------ limits


def test_matrix_wider_than_excel_is_cut_and_says_so():
    n = 16_400
    mx = Matrix(
        "wide",
        "Wide",
        "Row",
        (("r", "R"),),
        tuple((f"c{i}", f"C {i}") for i in range(n)),
        (("x",) * n,),
        (("ok",) * n,),
        "legend",
    )
    t = matrix_table(mx, "Wide")
    assert len(t.header) == 16_384 and len(t.rows[0]) == 16_384
    assert "Cut to" in t.note


def test_repeated_or_missing_column_labels_get_their_id():
    mx = Matrix(
        "m",
        "M",
        "Row",
        (("r", "R"),),
        (("a", "Email"), ("b", "Email"), ("c", ""), ("d", "Phone")),
        (("", "", "", ""),),
        (("", "", "", ""),),
        "legend",
    )
    assert matrix_table(mx, "M").header[2:] == ("Email (a)", "Email (b)", "c", "Phone")


def test_exports_are_core_library():
    """The lead wires the CLI to this module; it must not pull in the terminal UI itself."""
    import subprocess
    import sys

    code = (
        "import sys, needsmap.report.tables\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'click', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_demo_needs_say_names(demo_book, demo_ctx):
    """Use cases by title and paths by system name beside the ids: what a stakeholder reads."""
    sheet = demo_book["Needs"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Use case", "Title", "Attribute", "Name"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    titles = {u.id: u.title for u in demo_ctx.use_cases}
    assert all(r[1] == titles[r[0]] for r in rows)
    path = header.index("Path")
    routed = [r[path] for r in rows if r[path]]
    assert routed and all("->" not in p for p in routed)
    systems = {n for n in demo_ctx.names.values()}
    assert all(all(hop in systems for hop in p.split(" → ")) for p in routed)
