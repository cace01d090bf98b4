"""Keys typed ahead of the screen: never lost, never misread.

A facilitator types while people talk: ``a`` and the new stakeholder's name at
once, ``l`` and the attribute, ``/`` and the filter words.  Textual sends each
key to the widget that has focus *when the key arrives*, and moving the focus
takes a moment; so the first letters of the name can reach the list behind the
form (where ``e`` means "edit" and ``n`` "quick note") or a form that has not
focused its first field yet.  :class:`TypeAhead` screens take such keys and put
them where the person meant them to go.
"""

from __future__ import annotations

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, TextArea


def type_into(widget: Widget | None, event: events.Key) -> bool:
    """Apply a printable key or backspace to a text field; False when it is not one."""
    if not isinstance(widget, (Input, TextArea)):
        return False
    if event.key == "backspace":
        widget.action_delete_left()
        return True
    if event.is_printable and event.character:
        if isinstance(widget, Input):
            widget.insert_text_at_cursor(event.character)
        else:
            widget.insert(event.character)
        return True
    return False


class TypeAhead(ModalScreen):
    """A modal screen that accepts keys typed before it was ready (see the module docstring).

    Keys handed over with :meth:`take_key` before the screen called
    :meth:`type_ahead_ready` (at the end of its ``on_mount``) are kept and
    replayed then, in order.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._early_keys: list[events.Key] = []
        self._type_ahead_ready = False

    def take_key(self, event: events.Key) -> bool:
        """A key typed before this screen had focus; True when it was taken."""
        if not self._type_ahead_ready:
            if event.key in ("enter", "tab", "backspace") or (event.is_printable and event.character):
                self._early_keys.append(event)
                return True
            return False
        return self.type_ahead(event)

    def type_ahead_ready(self) -> None:
        """Call at the end of ``on_mount`` (the first field has focus): replays the early keys."""
        self._type_ahead_ready = True
        early, self._early_keys = self._early_keys, []
        for event in early:
            self.type_ahead(event)

    def type_ahead_target(self) -> Widget | None:
        """The field early keys go into (default: the focused widget)."""
        return self.focused

    def type_ahead_enter(self) -> None:
        """Enter typed ahead (default: nothing)."""

    def type_ahead(self, event: events.Key) -> bool:
        """Handle ``event`` as if it had been typed into this screen; True when handled."""
        if event.key == "enter":
            self.type_ahead_enter()
            return True
        if event.key == "tab":
            self.focus_next()
            return True
        return type_into(self.type_ahead_target(), event)

    def on_key(self, event: events.Key) -> None:
        # a key that reached the screen itself: nothing had focus yet
        if self.focused is None and self.take_key(event):
            event.stop()
            event.prevent_default()
