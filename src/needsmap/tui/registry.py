"""The screens of the terminal UI, in number-key order: the one list that the app's modes,
the navigation bar, the help screen and the command palette all read.

A new screen is one :class:`ScreenEntry` here (and its module in ``screens/``); see
docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.screen import Screen

from needsmap.tui.screens.gaps import GapsScreen
from needsmap.tui.screens.matrix import MatrixScreen
from needsmap.tui.screens.notes import NotesScreen
from needsmap.tui.screens.overview import OverviewScreen
from needsmap.tui.screens.roadmap import RoadmapScreen
from needsmap.tui.screens.sections import (
    AttributesScreen,
    ProcessesScreen,
    StakeholdersScreen,
    SystemsScreen,
    UseCasesScreen,
)


@dataclass(frozen=True)
class ScreenEntry:
    """One screen: its mode name (a section key where it lists a section), titles and class."""

    mode: str
    title: str
    short_title: str  # for narrow terminals
    screen: type[Screen]
    key: str  # the number key that shows it


def screen_key(n: int) -> str:
    """The number key of the n-th screen (1-based): 1..9, then 0."""
    return str(n % 10)


_SCREENS: tuple[tuple[str, str, str, type[Screen]], ...] = (
    ("overview", "Overview", "Home", OverviewScreen),
    ("stakeholders", "Stakeholders", "People", StakeholdersScreen),
    ("use_cases", "Use cases", "Uses", UseCasesScreen),
    ("processes", "Processes", "Procs", ProcessesScreen),
    ("attributes", "Attributes", "Attrs", AttributesScreen),
    ("systems", "Systems", "Sys", SystemsScreen),
    ("matrix", "Matrix", "Matrix", MatrixScreen),
    ("gaps", "Gaps", "Gaps", GapsScreen),
    ("notes", "Notes", "Notes", NotesScreen),
    ("roadmap", "Roadmap", "Road", RoadmapScreen),
)

#: Every screen, in number-key order.
SCREENS: tuple[ScreenEntry, ...] = tuple(
    ScreenEntry(mode, title, short, cls, screen_key(n)) for n, (mode, title, short, cls) in enumerate(_SCREENS, 1)
)
#: Mode name -> its entry.
BY_MODE: dict[str, ScreenEntry] = {s.mode: s for s in SCREENS}
