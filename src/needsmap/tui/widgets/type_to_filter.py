"""Type-to-filter for a screen with one table and one filter input (and a detail pane).

Typing a letter on the table moves it to the filter (keys bound to something
keep their meaning, a global key too); the table is refilled after a short pause
in typing.  Keys typed in a burst reach the filter once it has the focus (the app
hands them out in turn: :class:`needsmap.tui.app.KeysInTurn`).  The gaps and notes
screens use it; the section screens have their own, richer version
(:mod:`needsmap.tui.screens.items`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from needsmap.tui import is_global_key

if TYPE_CHECKING:  # the screen's methods (query_one, set_timer...), for the type checker
    from textual.screen import Screen

    from needsmap.tui.app import OpenApp

    _MixinBase = Screen
else:  # a plain mixin when it runs, first among the bases of the screen that uses it
    _MixinBase = object

#: Seconds of typing pause before the filter applies.
FILTER_DELAY = 0.12


def filter_keys(*, show: bool = True) -> list[Binding]:
    """The screen's keys for its filter: ``/`` goes to it (in the footer when ``show``), Escape clears it."""
    return [
        Binding("slash", "focus_filter", "Filter", key_display="/", show=show),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]


class TypeToFilter(_MixinBase):
    """Mixin for a Screen: set ``FILTER_INPUT``, ``FILTER_TABLE`` (widget ids) and ``ROW_ACTION``, define
    ``_fill()`` and ``_show_detail()``.

    It composes the screen: the filter line (its label, the input, a count), the table, and a
    detail pane below, whose ids follow the table's (``gap-table``: ``gap-count``,
    ``gap-detail`` and ``gap-detail-text``); on mount the table is filled and has the focus
    (it is the screen's ``AUTO_FOCUS``).  The table is refilled when the screen is resized, the
    detail follows the cursor, and Enter or a click on a row runs ``ROW_ACTION``.  The screen binds
    :func:`filter_keys` to its actions.
    """

    FILTER_INPUT: str = ""
    FILTER_TABLE: str = ""
    #: What the empty filter says.
    FILTER_PLACEHOLDER: str = ""
    #: What Enter or a click on a row does: an action of the screen.
    ROW_ACTION: str = ""
    _filter_timer: Timer | None = None
    if TYPE_CHECKING:
        app: OpenApp

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.FILTER_TABLE:
            cls.AUTO_FOCUS = f"#{cls.FILTER_TABLE}"

    def _fill(self) -> None:  # pragma: no cover - provided by the screen
        raise NotImplementedError

    def _show_detail(self) -> None:  # pragma: no cover - provided by the screen
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

    def on_resize(self) -> None:
        self.call_after_refresh(self._fill)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == self.FILTER_TABLE:
            self._show_detail()

    async def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == self.FILTER_TABLE:
            event.stop()
            await self.run_action(self.ROW_ACTION)

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
        table = self.query_one(f"#{self.FILTER_TABLE}", DataTable)
        if event.value.strip() and table.row_count:
            table.move_cursor(row=0)  # the top match, not the row selected before the filter
        table.focus()

    def on_key(self, event: events.Key) -> None:
        """Typing on the table goes to the filter (keys bound to something keep their meaning)."""
        table = self.query_one(f"#{self.FILTER_TABLE}", DataTable)
        if self.focused is not table or not event.is_printable or not event.character:
            return
        if is_global_key(event.key) or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        self.query_one(f"#{self.FILTER_INPUT}", Input).focus()
        self.app.keys.again(event)  # typed into the filter once it has the focus

    def action_focus_filter(self) -> None:
        self.query_one(f"#{self.FILTER_INPUT}", Input).focus()

    def action_clear_filter(self) -> None:
        filt = self.query_one(f"#{self.FILTER_INPUT}", Input)
        if filt.value:
            filt.value = ""
        self.query_one(f"#{self.FILTER_TABLE}", DataTable).focus()
