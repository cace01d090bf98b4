"""Type-to-filter for a screen with one table and one filter input (and a detail pane).

Typing a letter on the table moves it to the filter (keys bound to something
keep their meaning); the table is refilled after a short pause in typing; keys
typed right after a global key (a screen switch, the quick note) belong to what
that key opened, not to this screen's filter.  The gaps and notes screens use
it; the section screens have their own, richer version (:mod:`.typeahead`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from needsmap.tui import is_global_key

if TYPE_CHECKING:  # the screen's methods (query_one, set_timer...), for the type checker
    from textual.screen import Screen

    _MixinBase = Screen
else:  # a plain mixin when it runs, first among the bases of the screen that uses it
    _MixinBase = object

#: Seconds of typing pause before the filter applies.
FILTER_DELAY = 0.12
#: After a global key, keys typed within this many seconds are not taken as filter text.
PASS_THROUGH_SECONDS = 0.4


class TypeToFilter(_MixinBase):
    """Mixin for a Screen: set ``FILTER_INPUT`` and ``FILTER_TABLE`` (widget ids), define ``_fill()``.

    It composes the screen: the filter line (its label, the input, a count), the table, and a
    detail pane below, whose ids follow the table's (``gap-table``: ``gap-count``,
    ``gap-detail`` and ``gap-detail-text``); on mount the table is filled and has the focus.
    """

    FILTER_INPUT: str = ""
    FILTER_TABLE: str = ""
    #: What the empty filter says.
    FILTER_PLACEHOLDER: str = ""
    _filter_timer: Timer | None = None
    _typing = False  # keys typed on the table are going to the filter
    _passing = False  # a global key was just pressed: keys right after it are not filter text

    def _fill(self) -> None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        name = self.FILTER_TABLE.removesuffix("-table")
        with Horizontal(classes="filter-line"):
            yield Static("Filter", classes="filter-label")
            yield Input(placeholder=self.FILTER_PLACEHOLDER, id=self.FILTER_INPUT)
            yield Static(id=f"{name}-count", classes="filter-label")
        yield DataTable(id=self.FILTER_TABLE, cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id=f"{name}-detail", classes="detail"):
            yield Static(id=f"{name}-detail-text")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(f"#{self.FILTER_TABLE}", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != self.FILTER_INPUT:
            return
        # wait for a pause in typing before refilling a long table
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_now)

    def _filter_now(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != self.FILTER_INPUT:
            return
        event.stop()
        self._filter_now()
        self.query_one(f"#{self.FILTER_TABLE}", DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing on the table goes to the filter (keys bound to something keep their meaning)."""
        table = self.query_one(f"#{self.FILTER_TABLE}", DataTable)
        if self.focused is not table or not event.is_printable or not event.character:
            return
        if self._passing and not self._typing:
            return  # typed right after a global key (a screen switch, the quick note): not filter text
        # once typing has started, every key is text until the filter has focus (focus moves a moment later)
        if not self._typing and is_global_key(event.key):
            self._pass_through()
            return
        if not self._typing and event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        self._typing = True
        filt = self.query_one(f"#{self.FILTER_INPUT}", Input)
        filt.focus()
        filt.insert_text_at_cursor(event.character)

    def on_descendant_focus(self, event) -> None:
        self._typing = False

    def _pass_through(self) -> None:
        """Keys queued behind a global key belong to what it opens, not to this screen's filter."""
        self._passing = True
        self.set_timer(PASS_THROUGH_SECONDS, self._stop_passing)

    def _stop_passing(self) -> None:
        self._passing = False

    def on_screen_resume(self) -> None:
        self._passing = False
