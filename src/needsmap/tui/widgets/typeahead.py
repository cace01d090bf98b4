"""The base of the modal screens that are typed into (forms, pickers, the rename dialog).

Keys typed in a burst, before such a screen is there or has focused its first field, used to be kept
and replayed here.  They no longer need to be: the app hands every key out only once the keys before it
have had all their effects (:class:`needsmap.tui.app.KeysInTurn`), so the first key a screen gets is
already the one typed after the key that opened it, and it goes to the field that has the focus then.
"""

from __future__ import annotations

from textual.screen import ModalScreen


class TypeAhead(ModalScreen):
    """A modal screen that is typed into.

    Nothing to do for keys typed ahead (see the module docstring); :meth:`type_ahead_ready` stays so that the
    screens that call it at the end of their ``on_mount`` need not change.
    """

    def type_ahead_ready(self) -> None:
        """Kept for the screens that call it; the keys typed ahead reach them in order without it."""
