"""What the facilitator sees: every screen of the demo workshop, at 120×40 and 80×24; and names and titles
that wrap in the lists instead of being cut (the energy-supplier workshop, at both sizes).

Snapshots live in tests/__snapshots__/; after a deliberate change to the UI,
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
from tests.tui.conftest import run, settle, show
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
