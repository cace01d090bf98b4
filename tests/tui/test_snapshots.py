"""What the facilitator sees: every screen of the demo workshop, every dialog and form over the screen that
opens it, and the review of an import, at 120×40 and 80×24; names and titles that wrap in the lists instead of
being cut (the energy-supplier workshop, at both sizes); long text that wraps in the gaps, notes, roadmap and
matrix at 80 columns.

Snapshots live in tests/tui/__snapshots__/; after a deliberate change to the UI,
look at the report pytest prints and update them with ``--snapshot-update``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from needsmap.collab.session import Session
from needsmap.tui.app import NeedsmapApp, create_app
from needsmap.tui.widgets.table import SEPARATOR, ItemTable
from tests.conftest import DEMO, copy_demo
from tests.tui.conftest import press_keys, run, settle, show, until
from tests.tui.reentry import INTENDED

SCREENS = {
    "1": "overview",
    "2": "stakeholders",
    "3": "use-cases",
    "4": "processes",
    "5": "attributes",
    "6": "systems",
    "7": "matrix",
    "8": "gaps",
    "9": "notes",
    "0": "roadmap",
}


@pytest.fixture
def app_on_demo(tmp_path: Path):
    session = Session.open(copy_demo(tmp_path / "workshops", DEMO.name))  # the file name shows on screen
    yield NeedsmapApp(session)
    session.close()


async def _settle(pilot) -> None:
    """Twice: the first analysis can start a second round of work (a screen refreshing with its result)."""
    await settle(pilot)
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("key", sorted(SCREENS), ids=[SCREENS[k] for k in sorted(SCREENS)])
def test_screen_snapshot(snap_compare, app_on_demo, key: str, size: tuple[int, int]):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press(key)
        await _settle(pilot)

    assert snap_compare(app_on_demo, terminal_size=size, run_before=run_before)


# -- dialogs, forms, help and the review of an import, over the screen that opens them -------------------
async def _steady(pilot) -> None:
    """No blinking cursor: the picture is the same whenever it is taken."""
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await _settle(pilot)


#: name -> the keys that open it (after the overview is up): text typed a character at a time.
DIALOGS = {
    "help": ("?",),
    "stakeholder-form": ("2", "a", "Anna de Wit-Vermeulen", "tab", "Head of customer service and complaints"),
    "attribute-form": ("5", "a", "geboortedatum"),
    "note-form": ("9", "a", "Who owns the mobile number once agents overwrite it on the phone?"),
    "quick-note": ("3", "n", "q", "Ask the club which consent the app shows"),  # q: a question, then its text
    "needs-linker": ("3", "l", "e-mail"),
    "delete-confirm": ("2", "x"),
    "vote": ("0", "v"),
}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_dialog_snapshot(snap_compare, app_on_demo, name: str, size: tuple[int, int]):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        for key in DIALOGS[name]:
            await press_keys(pilot, key)
            await _settle(pilot)
        await _steady(pilot)

    assert snap_compare(app_on_demo, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_import_review_snapshot(snap_compare, tmp_path: Path, monkeypatch, size: tuple[int, int]):
    """The review of an import's proposals (``needsmap open ws.yaml --review review.yaml``), on a review file
    kept as ``needsmap import ddl`` once wrote it (tests/tui/data): the picture does not follow the matcher."""
    from tests.conftest import DATA

    monkeypatch.chdir(tmp_path)  # relative names: the same picture wherever the test runs
    shutil.copyfile(DATA / "import" / "small-workshop.yaml", "ws.yaml")
    shutil.copyfile(DATA / "import" / "sylius.sql", "sylius.sql")
    shutil.copyfile(Path(__file__).parent / "data" / "sylius-review.yaml", "review.yaml")
    session = Session.open(Path("ws.yaml"))
    app = NeedsmapApp(session)
    app.review_on_start = Path("review.yaml")

    async def run_before(pilot) -> None:
        from needsmap.tui.screens.import_review import ImportReviewScreen

        await _settle(pilot)
        await until(pilot, lambda: isinstance(pilot.app.screen, ImportReviewScreen), "the review")
        await _steady(pilot)

    try:
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        session.close()


# -- titles wrap instead of being cut -------------------------------------------------------------------
LISTS = (
    ("2", "StakeholdersScreen", "name"),
    ("3", "UseCasesScreen", "title"),
    ("4", "ProcessesScreen", "name"),
    ("5", "AttributesScreen", "name"),
    ("6", "SystemsScreen", "name"),
)


def column_text(table, index: int, key: str) -> str:
    """What row ``index`` shows in the column ``key``, its lines joined with a space."""
    widths = table.column_widths
    at = next(i for i, c in enumerate(table.columns) if c.key == key)
    x = 1 + sum(w + SEPARATOR for w in widths[:at] if w)  # a space, then each shown column and its gap
    first, lines = table.row_span(index)
    words = []
    for y in range(first, first + lines):
        strip = table.render_line(y + 1 - round(table.scroll_y))  # line 0 is the header
        text = "".join(segment.text for segment in strip)
        words.append(text[x : x + widths[at]].strip())
    return " ".join(w for w in words if w)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_names_and_titles_wrap_in_the_lists(tmp_path: Path, size: tuple[int, int]):
    """Every name or title on screen reads whole: a long one goes on over the next line of its row."""
    path = tmp_path / "energy.yaml"
    shutil.copy(INTENDED, path)

    async def body():
        app = create_app(path)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            wrapped = 0
            for key, cls, field in LISTS:
                screen = await show(pilot, key, cls)
                await settle(pilot)
                table = screen.query_one("#items", ItemTable)
                shown = table.size.height - 1
                items = {i.id: i for i in app.session.workshop.section(screen.SECTION)}
                checked = 0
                for index, row in enumerate(table.rows):
                    first, lines = table.row_span(index)
                    if first + lines > shown:
                        break  # below the bottom of the list
                    assert column_text(table, index, field) == getattr(items[row.key], field), (cls, row.key)
                    wrapped += lines > 1
                    checked += 1
                assert checked >= min(3, len(items)), (cls, checked)
            if size == (80, 24):
                assert wrapped >= 5  # at 80 columns titles do not fit on one line: they wrap
            else:
                assert wrapped >= 1

    run(body)


# -- long text wraps at 80 columns: the gaps, the notes, the roadmap's work items, the matrix -------------
def _cell_words(cell) -> str:
    return " ".join(str(cell).split()).removesuffix("…")


def test_long_text_wraps_in_the_gaps_notes_roadmap_and_matrix_at_80_columns(app_on_demo):
    from textual.widgets import DataTable

    from needsmap.tui.screens.matrix import MatrixGrid

    async def body():
        app = app_on_demo
        async with app.run_test(size=(80, 24)) as pilot:
            await _settle(pilot)
            ws = app.session.workshop
            checks = (("8", "#gap-table", "message"), ("9", "#note-table", "text"), ("0", "#roadmap-waves", "item"))
            for key, table_id, column in checks:
                await pilot.press(key)
                await _settle(pilot)
                table = await until(pilot, lambda: app.screen.query(table_id) and app.screen.query_one(table_id))
                assert isinstance(table, DataTable)
                await until(pilot, lambda: table.row_count > 0, f"the rows of {table_id}")
                at = [str(k.value) for k in table.columns].index(column)
                tall = [key for key, row in table.rows.items() if row.height > 1]
                assert len(tall) >= 3, table_id  # long text goes on over a second line, not cut at one
                for row_key in tall:
                    words = _cell_words(table.get_row(row_key)[at])
                    assert len(words) > table.ordered_columns[at].get_render_width(table), table_id  # over a line
            notes = {" ".join(n.text.split()): n for n in ws.notes}
            await pilot.press("9")
            await _settle(pilot)
            table = app.screen.query_one("#note-table", DataTable)
            texts = [_cell_words(table.get_row_at(i)[-1]) for i in range(table.row_count)]
            assert all(any(full.startswith(t) for full in notes) for t in texts)
            # the matrix: a title too long for its column goes on over a second line; the status line says the
            # value, then the attribute and (next line) the use case, each whole at 80 columns
            await pilot.press("7")
            await _settle(pilot)
            grid = app.screen.query_one(MatrixGrid)
            titles = [title for _, title in grid.grid.rows]
            two = [i for i, lines in enumerate(grid.row_labels) if len(lines) == 2]
            assert two
            for i in two:
                assert " ".join(grid.row_labels[i]).removesuffix("…") in titles[i]
            shown = app.screen.query_one("#matrix-info").render()
            lines = str(shown).splitlines()
            row_id, attr = grid.current()
            attr_name = next(a.name for a in ws.attributes if a.id == attr)
            title = next(u.title for u in ws.use_cases if u.id == row_id)
            assert lines[0].startswith("not needed") and attr_name in lines[0] and len(lines[0]) <= 78
            assert title in lines[1] and lines[1].index(title) + len(title) <= 78

    run(body)


def test_a_word_too_long_for_its_line_breaks_after_an_underscore_or_comma_not_mid_word():
    from needsmap.tui.widgets.table import line_spans

    def lines(text: str, width: int, most: int) -> list[str]:
        return [text[start:end] for start, end in line_spans(text, width, most)]

    assert lines("creates loyalty_number, email", 11, 4) == ["creates", "loyalty_", "number,", "email"]
    assert lines("medical_dependency_code", 18, 2) == ["medical_", "dependency_code"]
    assert lines("Cashier hands out a new club card", 12, 3) == ["Cashier", "hands out a", "new club card"]
    assert lines("abcdefghij", 4, 2) == ["abcd", "efghij"]  # no place to break: where the line is full
