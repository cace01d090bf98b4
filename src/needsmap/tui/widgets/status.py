"""The bars the app adds to every screen: navigation (top) and status (bottom).

Both read the app (``app.session``, ``app.analysis``) when they render and
re-render when the app's ``revision`` changes (after each edit, save,
conflict and analysis), so they are never out of date, whichever screen is up.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.widget import Widget

from needsmap.tui import plain
from needsmap.tui.registry import SCREENS

if TYPE_CHECKING:
    from needsmap.tui.app import NeedsmapApp


class _AppBar(Widget):
    """A one-line bar that re-renders when the app's revision changes."""

    app: NeedsmapApp

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._app_changed, init=False)

    def _app_changed(self, _revision: int) -> None:
        self.refresh()


class NavBar(_AppBar):
    """``1 Overview  2 Stakeholders ...``: where you are, and the keys to go elsewhere (clickable)."""

    def __init__(self) -> None:
        super().__init__(id="nm-nav")
        self._spans: list[tuple[int, int, str]] = []

    def _labels(self, level: int, current: str) -> list[tuple[str, str]]:
        """Level 0: full titles; 1: short titles; 2: numbers, and the title of the current screen only."""
        out = []
        for entry in SCREENS:
            title = entry.title if level == 0 else entry.short_title
            if level < 2 or entry.mode == current:
                out.append((entry.mode, f" {entry.key} {title} "))
            else:
                out.append((entry.mode, f" {entry.key} "))
        return out

    def render(self) -> Text:
        width = self.size.width or 120
        current = self.app.current_mode
        for level in (0, 1, 2):
            labels = self._labels(level, current)
            if sum(len(t) for _, t in labels) <= width:
                break
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for mode, label in labels:
            start = len(text)
            style = "nav-current" if mode == current else "nav-item"
            text.append(label, style=self.get_component_rich_style(style))
            self._spans.append((start, len(text), mode))
        session = self.app.session
        if session is not None:
            name = session.workshop.workshop.name
            room = width - len(text) - 2
            if name and room > 12:
                title = plain(name)
                title.truncate(room, overflow="ellipsis")
                text.append("  ")
                text.append_text(Text(" " * max(0, room - len(title))))
                title.stylize(self.get_component_rich_style("nav-title"))
                text.append_text(title)
        return text

    COMPONENT_CLASSES = {"nav-item", "nav-current", "nav-title"}

    async def on_click(self, event: events.Click) -> None:
        for start, end, mode in self._spans:
            if start <= event.x < end:
                await self.app.run_action(f"show('{mode}')")
                return


class StatusBar(_AppBar):
    """File, saved indicator, gap counts by severity, readiness counts."""

    COMPONENT_CLASSES = {
        "status-file",
        "status-saved",
        "status-unsaved",
        "status-error",
        "status-warning",
        "status-info",
        "status-ready",
        "status-at-risk",
        "status-blocked",
        "status-dim",
    }

    def __init__(self) -> None:
        super().__init__(id="nm-status")

    def _style(self, name: str):
        return self.get_component_rich_style(name)

    def render(self) -> Text:
        width = self.size.width or 120
        text = self._line(wide=True)
        if text.cell_len > width:
            text = self._line(wide=False)
        return text

    def _line(self, wide: bool) -> Text:
        app = self.app
        session = app.session
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if session is None:
            text.append(" no workshop open", style=self._style("status-dim"))
            return text
        text.append(" ")
        text.append_text(plain(session.path.name, style=self._style("status-file")))
        text.append("  ")
        problem = app.save_problem()
        if problem:
            text.append(f" NOT SAVED: {problem} ", style=self._style("status-unsaved"))
        elif session.saved_at is not None:
            text.append(
                f"saved {time.strftime('%H:%M:%S', time.localtime(session.saved_at))}",
                style=self._style("status-saved"),
            )
        else:
            text.append("no changes yet", style=self._style("status-dim"))
        analysis = app.analysis
        if analysis is None:
            return text
        sep = Text("  │  " if wide else " │ ", style=self._style("status-dim"))
        text.append_text(sep)
        counts = analysis.counts()
        names = (("error", "errors", "E"), ("warning", "warnings", "W"), ("info", "info", "I"))
        text.append("gaps " if wide else "")
        for i, (sev, word, letter) in enumerate(names):
            if i:
                text.append(" · " if wide else " ", style=self._style("status-dim"))
            label = f"{counts[sev]} {word}" if wide else f"{counts[sev]}{letter}"
            text.append(label, style=self._style(f"status-{sev}"))
        if app.analysis_pending:
            text.append(" …", style=self._style("status-dim"))
        text.append_text(sep)
        ready = analysis.readiness_counts()
        names2 = (("ready", "ready"), ("at-risk", "at risk"), ("blocked", "blocked"))
        text.append("use cases " if wide else "UC ")
        for i, (status, word) in enumerate(names2):
            if i:
                text.append(" · " if wide else " ", style=self._style("status-dim"))
            label = f"{ready[status]} {word}" if wide else f"{ready[status]} {word.split()[-1]}"
            text.append(label, style=self._style(f"status-{status}"))
        return text
