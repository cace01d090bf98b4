"""Driving the terminal UI headless (``App.run_test``), as a facilitator would: shared by the UI tests.

Nothing here sleeps for a fixed time: tests wait for the app's workers (:func:`settle`), poll a
condition (:func:`until`), or wait until every key sent has been handled (:func:`typed`, after keys sent
at machine speed with :func:`burst`).  The demo workshop to edit is the ``demo_copy`` fixture of ``tests/conftest.py``;
the file is read back with ``tests.conftest.assert_opens_clean``.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

#: The terminal the tests use unless they need another: 120 columns, 40 lines.
SIZE = (120, 40)


def run(body: Callable[[], Awaitable[object]]) -> None:
    """Run an async test body to the end (no asyncio plugin needed)."""
    asyncio.run(body())  # type: ignore[arg-type]  # asyncio.run wants a Coroutine; an async def gives one


def sync(test: Callable[..., Awaitable[object]]) -> Callable[..., None]:
    """Decorator: an ``async def`` test that pytest runs like any other (no asyncio plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]  # as in run()

    return wrapper


async def until(pilot, condition: Callable[[], object], what: str = "", timeout: float = 10.0):
    """Let the app run until ``condition()`` is truthy, and return that value (polling, never a fixed sleep).

    Fails with ``what`` (or the condition) in the message after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what or condition}")
        await pilot.pause(0.01)


async def settle(pilot) -> None:
    """Wait until the analysis worker (and anything else running) is done and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def show(pilot, key: str, cls: str):
    """Press a number key; the list screen called ``cls``, once it is shown with its rows."""
    from needsmap.tui.widgets.table import ItemTable

    await pilot.press(key)
    screen = await until(pilot, lambda: type(pilot.app.screen).__name__ == cls and pilot.app.screen, cls)
    await until(pilot, lambda: screen.query_one("#items", ItemTable).row_count > 0, f"the rows of {cls}")
    return screen


async def save_form(pilot, form) -> None:
    """Save an open form with ctrl+s and wait until it has closed."""
    app = pilot.app
    await pilot.press("ctrl+s")
    await until(pilot, lambda: app.screen is not form, "the form to close")


async def merged(pilot, condition: Callable[[], object], what: str) -> None:
    """The app looks at the file (what its 2-second timer does) until it has merged what ``condition`` wants."""
    pilot.app.check_disk()
    await until(pilot, condition, what)


async def press_keys(pilot, *keys: str) -> None:
    """Press ``keys`` one after the other, each handled before the next (Pilot's pace, not a typist's burst).

    Each argument is a key name ("enter", "tab", "ctrl+s") or text typed a character at a time ("Sanne").
    """
    from textual.keys import _character_to_key

    for key in keys:
        for one in [key] if key in KEY_NAMES or "+" in key else list(key):
            await pilot.press(one if len(one) > 1 or one.isalnum() else _character_to_key(one))
    await pilot.pause()


async def burst(pilot, *keys: str) -> None:
    """Send ``keys`` at machine speed: every key event is queued before the app has handled the first.

    The events are the ones :meth:`Pilot.press` sends (what the terminal driver posts to the app), but
    nothing waits between them: all of them are in the app's queue before it has handled the first (a
    fast typist, a paste, tmux ``send-keys``).  Arguments as for :func:`press_keys`.  Returns once the events
    are posted, not handled: wait for their effect with :func:`until`, or for all of them with :func:`typed`.
    """
    from textual import events

    app = pilot.app
    for key in keys:
        for one in [key] if key in KEY_NAMES or "+" in key else list(key):
            event = events.Key(*key_and_character(one))
            event.set_sender(app)
            app.post_message(event)


async def typed(pilot, timeout: float = 120.0) -> None:
    """Wait until every key sent so far has been handled and what it did has settled (the app's ``keys``).

    Polls without :meth:`Pilot.pause` (which itself sends every widget a callback, so the app is never
    settled right after it); the timeout is long because a loaded machine handles keys slowly.
    """
    deadline = time.monotonic() + timeout
    while not pilot.app.keys.done:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for the keys typed to be handled")
        await asyncio.sleep(0.005)


def key_and_character(key: str) -> tuple[str, str | None]:
    """The ``(key, character)`` of the event :meth:`Pilot.press` sends for a key name or a character."""
    import unicodedata

    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return key, char


#: Names of keys (not text) that :func:`press_keys` takes as one key.
KEY_NAMES = frozenset(
    {
        *("enter", "tab", "escape", "space", "backspace", "delete"),
        *("up", "down", "left", "right", "home", "end", "pageup", "pagedown"),
    }
)
