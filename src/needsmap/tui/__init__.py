"""The workshop terminal UI (Textual): what a facilitator has on the projector.

Start it with :func:`needsmap.tui.app.create_app` (the CLI and the tests use
the same factory)::

    from needsmap.tui.app import create_app
    create_app(Path("workshop.yaml")).run()

Layout of the package
---------------------
* ``app.py`` / ``app.tcss``: :class:`~needsmap.tui.app.NeedsmapApp`, the global
  keys, the command palette provider, the disk watch, the analysis worker.
* ``screens/``: one module (and ``.tcss`` beside it) per screen.  The ten
  screens are Textual *modes* named by :data:`SCREENS` below.
* ``widgets/``: the status and navigation bars, the quick note, dialogs, and
  the forms and pickers of the list screens.

The contract between the app and a screen
=========================================

Every screen shown by a number key is created with **no arguments** and reads
everything from the app (declaring ``app: OpenApp`` under ``TYPE_CHECKING``, so
that the type checker knows ``app.session`` is set: see ``needsmap.tui.app.OpenApp``):

``self.app.session``
    The :class:`needsmap.collab.session.Session`.  Read ``session.workshop``; change
    it **only** through the session (``update``, ``add``, ``delete``,
    ``replace``, ``rename``, ``batch``).  Every edit is saved at once and can
    be undone with ctrl+z; the app listens to the session and refreshes the
    status bar and the screens, so a screen never has to tell anyone it made
    an edit.

``self.app.analysis``
    The latest :class:`needsmap.analysis.engine.Analysis`.  It is recomputed in a
    thread after each edit and may trail the workshop by one edit for a
    fraction of a second; ``session.analysis`` is always current but computes
    on the UI thread (~0.2 s at enterprise scale), so prefer ``app.analysis``.

A screen **may** define these methods; the app calls them when present:

``workshop_changed(self) -> None``
    The workshop changed (any edit, undo, redo, reload from disk).  Called
    at once on the screens of the current mode, and on any other screen when
    it is next shown (never on a screen that is not mounted yet: it composes
    from the current state anyway).

``analysis_changed(self) -> None``
    ``app.analysis`` has been recomputed.  Same timing as above.

``selected_subject(self) -> tuple[str, str] | None``
    The highlighted item as ``(section, id)``, where ``section`` is one of
    :data:`needsmap.format.model.ITEM_SECTIONS` (``"use_cases"``, ``"attributes"``,
    ...); ``None`` when nothing is highlighted.  The quick note (key ``n``)
    links the note to it (``about: [id]``).

``select(self, item_id: str) -> bool``
    Highlight the item with this id (clearing a filter that hides it, and
    scrolling to it).  Return False when there is no such item.  The app calls
    it after switching to the screen, e.g. when the user presses Enter on a
    gap whose subject is an attribute, or picks an item in the command palette.

Other rules for screens:

* Do not compose a ``Header``, ``Footer`` or status bar: the app adds the
  navigation bar (top) and the status bar with the ``Footer`` (bottom) to
  every mode screen once it is mounted (a ``Footer`` composed by the screen
  is removed).  Bindings with ``show=True`` appear in the footer, and every
  binding with a description is listed in the command palette (ctrl+p) and
  on the help screen (``?``), so give each binding a short description.
* Set ``AUTO_FOCUS`` to the screen's table (e.g. ``AUTO_FOCUS = "#table"``): Textual
  otherwise focuses the first focusable widget, and if that is a filter
  ``Input`` the keys ``n``, ``q`` and the digits are typed into it instead of
  reaching the app.
* The global keys in :data:`GLOBAL_KEYS` are app bindings (not priority):
  do not bind them in a screen, and a type-to-filter that grabs printable
  keys from a table must let them through (an ``Input`` that has focus gets
  them as text, which is right).  :func:`is_global_key` tells.
* Render every string that comes from the workshop with :func:`plain` (or
  ``rich.text.Text`` / ``textual.content.Content``), never as a ``str`` into
  a widget that parses markup (``Static``, ``Label``, DataTable cells and
  column labels, ``notify`` without ``markup=False``): names may contain
  ``[bold]`` or terminal escape sequences.
* Ask before deleting with :class:`needsmap.tui.widgets.dialogs.ConfirmDialog`
  (``self.app.push_screen(ConfirmDialog(question, confirm="Delete"), callback)``,
  the callback gets True or False).
* To jump to an item of another screen: ``await self.app.jump_to(kind, id)``
  in an async handler, or ``self.app.call_later(self.app.jump_to, kind, id)``
  (``kind`` is a section such as ``"attributes"`` or a gap subject kind such
  as ``"attribute"``); it switches screens and calls ``select(id)`` there.
"""

from __future__ import annotations

import re

from rich.text import Text

from needsmap.util import text as textsafe

#: Gap subject kinds (and section names) -> the mode that shows such items.
SUBJECT_SCREENS: dict[str, str] = {
    "stakeholder": "stakeholders",
    "stakeholders": "stakeholders",
    "use_case": "use_cases",
    "use_cases": "use_cases",
    "process": "processes",
    "processes": "processes",
    "attribute": "attributes",
    "attributes": "attributes",
    "system": "systems",
    "systems": "systems",
    "note": "notes",
    "notes": "notes",
    "option": "roadmap",
    "options": "roadmap",
}

#: Keys bound by the app for every screen (Textual key names).
GLOBAL_KEYS: frozenset[str] = frozenset(
    {
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "0",
        "n",
        "question_mark",
        "q",
        "ctrl+z",
        "ctrl+y",
        "ctrl+p",
        "ctrl+q",
        "ctrl+s",
        "ctrl+r",
    }
)


def is_global_key(key: str) -> bool:
    """True for a key the app binds everywhere (``event.key`` of a Key event)."""
    return key in GLOBAL_KEYS


def paragraphs(text: str) -> str:
    """Text written with hard line breaks (YAML block scalars) as paragraphs: single breaks become spaces."""
    return re.sub(r"[ \t]*(?<!\n)\n(?!\n)[ \t]*", " ", text.strip())


def plain(value: object, style: str = "", *, one_line: bool = True) -> Text:
    """Workshop text for display: never markup, control characters made visible."""
    text = "" if value is None else str(value)
    if one_line:
        text = textsafe.one_line(text)
    return Text(textsafe.terminal(text), style=style, no_wrap=one_line, end="")
