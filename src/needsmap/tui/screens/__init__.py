"""The screens of the terminal UI, one module each (with its ``.tcss`` beside it).

The five list screens (stakeholders, use cases, processes, attributes,
systems) live in :mod:`needsmap.tui.screens.sections`; :func:`section_screen`
imports them lazily, and shows a :class:`PlaceholderScreen` saying why when
they cannot be imported, so the rest of the app keeps working.
"""

from __future__ import annotations

import importlib

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

SECTION_SCREEN_CLASSES = {
    "stakeholders": "StakeholdersScreen",
    "use_cases": "UseCasesScreen",
    "processes": "ProcessesScreen",
    "attributes": "AttributesScreen",
    "systems": "SystemsScreen",
}


class PlaceholderScreen(Screen[None]):
    """Stands in for a screen that could not be loaded; says why."""

    DEFAULT_CLASSES = "placeholder-screen"

    def __init__(self, title: str, reason: str) -> None:
        super().__init__()
        self.title_text = title
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(Text.assemble((self.title_text, "bold"), "\n\n",
                                       "This screen is not available in this build:\n", self.reason),
                         classes="placeholder-body")


def section_class(mode: str):
    """The class of the list screen for ``mode`` (a section key), or raise ImportError/AttributeError."""
    module = importlib.import_module("needsmap.tui.screens.sections")
    return getattr(module, SECTION_SCREEN_CLASSES[mode])


def section_screen(mode: str, title: str) -> Screen:
    """A new list screen for ``mode``, or a placeholder when the module cannot be used (yet)."""
    try:
        cls = section_class(mode)
        return cls()
    except Exception as exc:  # noqa: BLE001 - any failure of the screen module must not take the app down
        return PlaceholderScreen(title, f"{type(exc).__name__}: {exc}")
