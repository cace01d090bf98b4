"""The model draft as Mermaid, checked by Mermaid itself in headless Chromium: compact and full, split per
subject area, every diagram drawn with Mermaid's default limits, the demo's readable on a 1440 px screen."""

from __future__ import annotations

import os
import re

import pytest

from needsmap.cli.main import main
from needsmap.draft import mermaid as mm
from needsmap.draft.comments import column_comment, one_line
from needsmap.draft.engine import Column, DraftModel, Table
from needsmap.draft.mermaid import MERMAID_KEYWORDS, diagrams, markdown, mermaid, mermaid_name, subject_areas
from needsmap.format.opening import open_workshop
from tests import mermaid_js
from tests.conftest import DEMO
from tests.draft.conftest import draft_of

#: A column line: type, name, keys, and (only in full detail) a comment.
COLUMN = re.compile(r'        (?P<type>\w+) (?P<name>\w+)(?P<keys> (PK|FK|UK)(, (PK|FK|UK))*)?(?P<comment> "[^"]*")?')
#: A relationship line: parent, cardinalities, child, label.
RELATIONSHIP = re.compile(r'^    (\w+) [|o}{]{2}--[|o}{]{2} (\w+) : "[^"]*"$', re.M)
#: A table drawn with its columns, and a stub (a table drawn in another diagram: its name only).
REAL = re.compile(r"^    (\w+) \{$", re.M)
STUB = re.compile(r'^    (\w+)\["[^"]*"\]$', re.M)


@pytest.fixture(scope="module")
def mermaid_page(request):
    """A headless Chromium page with the pinned Mermaid loaded, left at its default configuration."""
    script = mermaid_js.path()
    if script is None:
        message = "Mermaid is not fetched: run python -m tests.mermaid_js (./dev test does)"
        if os.environ.get("NEEDSMAP_REQUIRE_MERMAID") == "1":
            pytest.fail(message)
        pytest.skip(message)
    browser = request.getfixturevalue("browser")  # only once Mermaid is known to be there
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.set_content("<!doctype html><html><body style='margin:0'><div id='out'></div></body></html>")
    page.add_script_tag(path=str(script))
    page.evaluate("mermaid.initialize({startOnLoad: false})")  # nothing else: maxTextSize, maxEdges as shipped
    yield page
    page.close()


@pytest.fixture(scope="module")
def mermaid_parse(mermaid_page):
    """``mermaid.parse`` of the pinned Mermaid: text -> None or the parse error."""

    def parse(text: str) -> str | None:
        return mermaid_page.evaluate(
            """async (text) => {
            try { await mermaid.parse(text); return null; } catch (e) { return String(e.message || e); }
        }""",
            text,
        )

    return parse


@pytest.fixture(scope="module")
def mermaid_render(mermaid_page):
    """``mermaid.render`` into the page: text -> what was drawn (its kind, its natural width) or the error."""
    counter = iter(range(1_000_000))

    def render(text: str) -> dict:
        return mermaid_page.evaluate(
            """async ([text, id]) => {
            try {
                const {svg} = await mermaid.render(id, text);
                document.getElementById('out').innerHTML = svg;
                const el = document.querySelector('#out svg');
                return {kind: el.getAttribute('aria-roledescription'), width: el.viewBox.baseVal.width,
                        height: el.viewBox.baseVal.height, too_big: svg.includes('Maximum text size')};
            } catch (e) { return {error: String(e.message || e)}; }
        }""",
            [text, f"d{next(counter)}"],
        )

    return render


def drawn(found: list[mm.Diagram]) -> tuple[list[str], list[str], list[tuple[str, str, int]]]:
    """The tables drawn with their columns, the stubs, and every (parent, child, diagram) relationship line."""
    real, stubs, lines = [], [], []
    for i, d in enumerate(found, start=1):
        real += REAL.findall(d.text)
        stubs += STUB.findall(d.text)
        lines += [(p, c, i) for p, c in RELATIONSHIP.findall(d.text)]
    return real, stubs, lines


def foreign_keys(model: DraftModel) -> set[tuple[str, str]]:
    return {(mermaid_name(c.references), mermaid_name(t.name)) for t in model.tables for c in t.columns if c.references}


# ----------------------------------------------------------------------------- Mermaid parses it


def test_the_mermaid_parser_is_real(mermaid_parse):
    assert mermaid_parse('erDiagram\n    a ||--o{ b : "has"\n') is None
    assert mermaid_parse('erDiagram\n    a {\n        string x "a"b"\n    }\n') is not None
    assert mermaid_parse("erDiagram\n    style {\n        string x\n    }\n") is not None


@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
@pytest.mark.parametrize("detail", mm.DETAILS)
def test_mermaid_parses_with_mermaid(which, detail, request, mermaid_parse):
    model: DraftModel = request.getfixturevalue(which)
    whole = mermaid(model, detail)
    assert mermaid_parse(whole) is None
    assert REAL.findall(whole) == [mermaid_name(t.name) for t in model.tables]
    assert len(RELATIONSHIP.findall(whole)) == sum(1 for t in model.tables for c in t.columns if c.references)
    for d in diagrams(model, detail):
        assert mermaid_parse(d.text) is None, d.title


def test_mermaid_names_avoid_keywords_and_strings_lose_quotes(hostile_model):
    for word in MERMAID_KEYWORDS:
        assert mermaid_name(word) == word + "_"
    assert mermaid_name("customer") == "customer"
    for detail in mm.DETAILS:
        for d in diagrams(hostile_model, detail):
            for line in d.text.splitlines():
                # a title, a name, a block brace, a column, a stub, a relationship or the stubs' style
                assert line.count('"') in (0, 2), line
                assert (
                    re.fullmatch(r'---|title: "[a-z0-9_, .\u2026]*"|erDiagram|    direction LR|    (\w+ \{|\})', line)
                    or COLUMN.fullmatch(line)
                    or STUB.fullmatch(line)
                    or RELATIONSHIP.fullmatch(line)
                    or line.startswith(("    classDef stub ", "    class "))
                ), line


# ----------------------------------------------------------------------------- compact and full


def test_compact_shows_no_comments_and_full_shows_each_columns_comment(demo_model):
    compact, full = mermaid(demo_model, "compact"), mermaid(demo_model, "full")
    columns = [c for t in demo_model.tables for c in t.columns]
    compact_lines = [m for m in map(COLUMN.fullmatch, compact.splitlines()) if m]
    full_lines = [m for m in map(COLUMN.fullmatch, full.splitlines()) if m]
    assert [m["name"] for m in compact_lines] == [mermaid_name(c.name) for c in columns]
    assert [m["name"] for m in full_lines] == [mermaid_name(c.name) for c in columns]
    assert all(m["comment"] is None for m in compact_lines)
    assert all(m["comment"] for m in full_lines)
    for m, c in zip(full_lines, columns, strict=True):
        comment = m["comment"][2:-1]
        if c.open_decisions:  # first, so that shortening never hides them
            assert comment.startswith(f"[open: {', '.join(c.open_decisions)}]")
        assert one_line(column_comment(c, decisions=False))[:40].replace('"', "'") in comment
    # keys are marked in both
    keyed = next(c for c in columns if c.primary_key)
    assert re.search(rf"^        key {keyed.name} PK$", compact, re.M)
    assert len(full) > 2 * len(compact)
    with pytest.raises(ValueError, match="unknown detail"):
        diagrams(demo_model, "medium")


# ----------------------------------------------------------------------------- split per subject area


def _check_split(model: DraftModel, found: list[mm.Diagram]) -> None:
    """Every table drawn exactly once; every relationship drawn, across diagrams with a stub at the far end."""
    real, stubs, lines = drawn(found)
    assert sorted(real) == sorted(mermaid_name(t.name) for t in model.tables)
    assert len(real) == len(set(real))
    home = {}
    for i, d in enumerate(found, start=1):
        for name in REAL.findall(d.text):
            home[name] = i
        for name, label in re.findall(r'^    (\w+)\["([^"]*)"\]$', d.text, re.M):
            assert name not in REAL.findall(d.text)  # a stub is never also drawn in full in the same diagram
            assert label == f"{name} (diagram {_home(found, name)})"
    assert {(p, c) for p, c, _ in lines} == foreign_keys(model)
    for p, c, i in lines:  # each relationship line has a table of its own diagram at one end at least
        assert home[p] == i or home[c] == i
        if home[p] != home[c]:  # across two diagrams: drawn in both
            assert {j for pp, cc, j in lines if (pp, cc) == (p, c)} >= {home[p], home[c]}
    assert set(stubs) <= set(real)
    for d in found:
        assert len(d.text) < mm.MERMAID_MAX_TEXT
        assert len(RELATIONSHIP.findall(d.text)) < mm.MERMAID_MAX_EDGES


def _home(found: list[mm.Diagram], name: str) -> int:
    return next(i for i, d in enumerate(found, start=1) if name in REAL.findall(d.text))


@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
@pytest.mark.parametrize("detail", mm.DETAILS)
def test_the_split_draws_every_table_once_and_every_relationship(which, detail, request):
    model: DraftModel = request.getfixturevalue(which)
    found = diagrams(model, detail)
    _check_split(model, found)
    for d in found:
        tables = REAL.findall(d.text)
        if len(tables) > 1:  # a single table may be big, but a diagram of several is within the split size
            assert len(tables) <= mm.SPLIT_ABOVE_TABLES
            assert len(d.text) <= mm.SPLIT_ABOVE_CHARS


def test_a_small_draft_is_one_diagram_and_a_big_one_keeps_the_integration_view_apart(demo_model, enterprise_model):
    one = DraftModel("w", "needed", demo_model.tables[:4], [], [])
    assert len(diagrams(one)) == 1 and not STUB.findall(diagrams(one)[0].text)
    for model in (demo_model, enterprise_model):
        areas = subject_areas(model)
        assert len(areas) >= 2
        for area in areas:  # a subject area never mixes the integration view with the model's own tables
            assert len({t.kind == "integration" for t in area.tables}) == 1, area.title


def test_an_empty_draft_is_one_empty_diagram_mermaid_reads(mermaid_parse):
    empty = DraftModel("w", "needed", [], [], [])
    assert diagrams(empty) == [mm.Diagram("no tables", "erDiagram\n")]
    assert subject_areas(empty) == []
    assert mermaid_parse(diagrams(empty)[0].text) is None
    assert "```mermaid\nerDiagram\n```" in markdown(empty)


def test_areas_are_cut_at_the_hub_with_its_parents_and_branches_below(demo_model, monkeypatch):
    """With a small split size the demo's customer keeps its parents; its children go to areas of their own."""
    monkeypatch.setattr(mm, "SPLIT_ABOVE_TABLES", 4)
    areas = subject_areas(demo_model)
    found = diagrams(demo_model)
    _check_split(demo_model, found)
    where = {t.name: a.title for a in areas for t in a.tables}
    customer = demo_model.table("customer")
    parents = {c.references for c in customer.columns if c.references}
    assert parents and all(where[p] == where["customer"] for p in parents)
    children = [t.name for t in demo_model.tables if t.kind != "integration" and "customer" in _parents(t)]
    assert any(where[c] != where["customer"] for c in children)
    assert all(len(a.tables) <= 4 for a in areas)
    # the far ends are stubs saying where the table is drawn
    customer_home = next(i for i, a in enumerate(areas, start=1) if customer in a.tables)
    assert any(f'customer["customer (diagram {customer_home})"]' in d.text for d in found)


def _parents(t: Table) -> set[str]:
    return {c.references for c in t.columns if c.references}


def test_a_table_too_big_for_mermaid_shows_its_keys_and_says_how_many_columns_are_left_out(mermaid_parse):
    big = Table("wide", "wide", "entity")
    big.columns = [Column("wide_key", "key", nullable=False, primary_key=True)]
    big.columns += [Column(f"attribute_with_a_long_name_{i:04d}", "string") for i in range(3000)]
    big.columns.append(Column("parent_key", "key", references="parent", ref_column="parent_key"))
    parent = Table(
        "parent", "parent", "entity", columns=[Column("parent_key", "key", nullable=False, primary_key=True)]
    )
    model = DraftModel("w", "needed", [parent, big], [], [])
    for found in (diagrams(model), [mm.Diagram("whole", mermaid(model))]):
        for d in found:
            assert len(d.text) < mm.MERMAID_MAX_TEXT
            assert mermaid_parse(d.text) is None
        text = "".join(d.text for d in found)
        assert "        key wide_key PK\n" in text and "        key parent_key FK\n" in text
        shown = len(re.findall(r"attribute_with_a_long_name_\d{4}", text))
        assert f"        more not_shown_{3000 - shown}_columns\n" in text
        assert 500 < shown < 3000


# ----------------------------------------------------------------------------- drawn by Mermaid, as shipped


def test_every_diagram_of_the_enterprise_draft_renders_with_mermaids_default_limits(enterprise_model, mermaid_render):
    found = diagrams(enterprise_model)
    assert len(mermaid(enterprise_model)) > 0
    for d in found:
        result = mermaid_render(d.text)
        assert result.get("error") is None, (d.title, result)
        assert result["kind"] == "er" and not result["too_big"], (d.title, result)
        assert result["width"] <= mm.SCREEN_WIDTH, (d.title, result)


def test_mermaid_shows_its_error_diagram_beyond_its_text_limit(mermaid_render):
    """The check above would see Mermaid refuse a diagram: past maxTextSize it draws an error, not the diagram."""
    columns = "\n".join(f"        string column_{i:05d}" for i in range(mm.MERMAID_MAX_TEXT // 20))
    result = mermaid_render(f"erDiagram\n    t {{\n{columns}\n    }}\n")
    assert result["too_big"] or result["kind"] != "er"


def test_the_demo_draft_fits_a_1440_px_screen(demo_model, mermaid_render, mermaid_page, tmp_path):
    for i, d in enumerate(diagrams(demo_model), start=1):
        result = mermaid_render(d.text)
        assert result.get("kind") == "er", result
        assert result["width"] <= mm.SCREEN_WIDTH, (d.title, result)  # Mermaid's own scale: no shrinking to fit
        mermaid_page.locator("#out svg").screenshot(path=str(tmp_path / f"demo-{i}.png"))
    # full detail, one diagram with a comment per column: what was 10,182 px wide
    assert mermaid_render(mermaid(demo_model, "full"))["width"] > mm.SCREEN_WIDTH


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.parent.glob("*.yaml")))
def test_every_example_workshops_diagrams_fit_a_1440_px_screen(name, mermaid_render):
    """The split's estimate of the drawn width holds for drafts of other shapes (an insurer's chain of claims)."""
    model = draft_of(open_workshop(DEMO.parent / name).workshop)
    for d in diagrams(model):
        result = mermaid_render(d.text)
        assert result.get("kind") == "er" and result["width"] <= mm.SCREEN_WIDTH, (d.title, result)


# ----------------------------------------------------------------------------- Markdown and the command line


def test_markdown_has_one_mermaid_block_per_diagram(demo_model, hostile_model):
    found = diagrams(demo_model)
    text = markdown(demo_model)
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", text, re.M | re.S)
    assert blocks == [d.text for d in found]
    assert re.findall(r"^## (.*)$", text, re.M) == [d.title for d in found]
    hostile = DraftModel("<script>x</script> `code` *bold*\n# heading", "needed", hostile_model.tables, [], [])
    heading, rest = markdown(hostile).split("\n", 1)
    assert (
        heading
        == "# Model draft of \\<script\\>x\\</script\\> \\`code\\` \\*bold\\* # heading: entity-relationship diagrams"
    )
    assert "<script>" not in rest


def test_cli_detail_choices_are_the_library_constant():
    params = {p.name: p for p in main.commands["model"].params}
    assert tuple(params["detail"].type.choices) == mm.DETAILS


@pytest.mark.parametrize("detail", mm.DETAILS)
def test_cli_writes_markdown_to_a_file(detail, runner, tmp_path, demo_model):
    out = tmp_path / "model.md"
    result = runner.invoke(main, ["model", str(DEMO), "--format", "mermaid", "--detail", detail, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == markdown(demo_model, detail)
    printed = runner.invoke(main, ["model", str(DEMO), "--format", "mermaid", "--detail", detail])
    assert printed.stdout == markdown(demo_model, detail)


@pytest.mark.parametrize("how", ["slash", "existing"])
def test_cli_writes_one_mmd_file_per_diagram_into_a_folder(how, runner, tmp_path, demo_model):
    folder = tmp_path / "diagrams"
    if how == "existing":
        folder.mkdir()
    target = str(folder) + ("/" if how == "slash" else "")
    result = runner.invoke(main, ["model", str(DEMO), "--format", "mermaid", "-o", target])
    assert result.exit_code == 0, result.output
    found = diagrams(demo_model)
    names = mm.file_names(found)
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    for name, d in zip(names, found, strict=True):
        assert (folder / name).read_text(encoding="utf-8") == d.text
    assert f"Wrote {len(found)} diagrams to {folder}" in result.stderr


def test_cli_writes_a_mmd_file_as_one_diagram_and_warns_when_the_draft_has_several(runner, tmp_path, demo_model):
    out = tmp_path / "model.mmd"
    result = runner.invoke(main, ["model", str(DEMO), "--format", "mermaid", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(diagrams(demo_model)) > 1
    assert out.read_text(encoding="utf-8") == mermaid(demo_model)  # Mermaid, never Markdown, in a .mmd file
    assert f"{out}: warning: {len(diagrams(demo_model))} subject areas drawn as one diagram" in result.stderr


def test_file_names_are_numbered_and_cut_between_words():
    found = [mm.Diagram("1. customer, address", ""), mm.Diagram("2. " + ", ".join(["contact_point"] * 9), "")]
    assert mm.file_names(found) == [
        "01-customer-address.mmd",
        "02-contact-point-contact-point-contact-point-contact-point.mmd",
    ]


def test_cli_refuses_a_folder_for_other_formats(runner, tmp_path):
    result = runner.invoke(main, ["model", str(DEMO), "--format", "sql", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
