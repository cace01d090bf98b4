"""What the facilitator sees: every screen of the demo workshop, at 120×40 and 80×24.

Snapshots live in tests/__snapshots__/; after a deliberate change to the UI,
look at the report pytest prints and update them with ``--snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from needsmap.collab.session import Session
from needsmap.tui.app import NeedsmapApp
from tests.conftest import DEMO, copy_demo
from tests.tui.conftest import settle

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
