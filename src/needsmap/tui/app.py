"""The needsmap terminal app: screens, global keys, command palette, autosave watch, live analysis.

:func:`create_app` is the one way to build the app (the CLI, the tests and
the snapshot tests use it).  The screen contract is documented in
:mod:`needsmap.tui`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.content import Content
from textual.markup import escape
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Static

from needsmap.analysis.engine import Analyser, Analysis
from needsmap.collab.session import Session, SessionError
from needsmap.format import model as m
from needsmap.format.naming import item_name, new_note_id, section_word
from needsmap.roadmap.engine import Roadmap, RoadmapError, build_roadmap
from needsmap.tui import SUBJECT_SCREENS, plain
from needsmap.tui.registry import SCREENS
from needsmap.tui.screens.help import HelpScreen
from needsmap.tui.widgets.dialogs import CommentsDialog, ConfirmDialog, ConflictDialog
from needsmap.tui.widgets.quick_note import QuickNoteResult, QuickNoteScreen
from needsmap.tui.widgets.status import NavBar, StatusBar
from needsmap.util import text as textsafe

DEMO_NAME = "omnichannel-retail.yaml"
#: How often the file on disk is checked for changes by someone else (seconds).
DISK_POLL_SECONDS = 2.0
#: A key waits at most this long for the screen to settle before it is handed out anyway (seconds): never
#: reached unless a widget is stuck (a key takes milliseconds, a second or two on a machine loaded far
#: beyond its processors); then a late key is better than a frozen terminal.
KEY_WAIT_LIMIT = 60.0
#: Once a workshop is open (and after it is reloaded), move everything alive then out of the garbage collector's
#: reach (``gc.freeze``): the workshop, its analysis and the interface stay for the whole session, and the
#: collector's full passes over them were the pauses of a tenth of a second or more that one key in twenty met
#: at enterprise scale (docs/performance.md, the terminal UI).  Objects frozen are still freed when no longer
#: referenced; only reference cycles among them would stay (the workshop's items have none).
FREEZE_HEAP = True
#: With the heap frozen, the collector's full pass comes after this many passes over its middle generation
#: instead of CPython's 10: what is left for a full pass is what the session made since, and its pauses
#: (50-90 ms at enterprise scale) then meet a key in a hundred rather than one in twenty.
FULL_PASS_AFTER = 100

SCREEN_TITLES = {entry.mode: entry.title for entry in SCREENS}


def describe_subject(ws: m.Workshop, section: str, ident: str) -> Text:
    """``attribute email (E-mail address)`` as literal text."""
    name = ""
    for item in ws.section(section) if section in m.ITEM_SECTIONS else ():
        if item.id == ident:
            name = item_name(item)
            break
    text = Text(f"{section_word(section)} ", end="")
    text.append_text(plain(ident, style="bold"))
    if name and name != ident:
        label = plain(name)
        label.truncate(50, overflow="ellipsis")
        text.append(" (")
        text.append_text(label)
        text.append(")")
    return text


def _snapshot(ws: m.Workshop) -> m.Workshop:
    """A workshop sharing the (never mutated) items, with its own lists: safe to read in a thread."""
    # section -> its item list, each of its own item type (Any: a dict holds one value type, Workshop has many)
    lists: dict[str, Any] = {s: list(getattr(ws, s)) for s in m.ITEM_SECTIONS}
    return dataclasses.replace(ws, **lists)


# -- the command palette ----------------------------------------------------------------------
def _literal_highlight(matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight``, but the candidate is literal text, never markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class NeedsmapCommands(Provider):
    """Every screen, every global action, the keys of the current screen, and every item by name."""

    def _commands(self) -> list[tuple[str, Callable, str]]:
        app = self.app
        assert isinstance(app, NeedsmapApp)
        commands: list[tuple[str, Callable, str]] = []
        for entry in SCREENS:
            commands.append(
                (f"Go to {entry.title}", partial(app.run_action, f"show('{entry.mode}')"), f"key {entry.key}")
            )
        for name, action, help_text in app.global_commands():
            commands.append((name, partial(app.run_action, action), help_text))
        screen = self.screen
        title = SCREEN_TITLES.get(app.current_mode, "This screen")
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.node is app or not binding.description or not active.enabled:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            shown = binding.key_display or app.get_key_display(binding)
            commands.append(
                (
                    f"{title}: {binding.description}",
                    partial(app.run_action, binding.action, active.node),
                    f"key {shown}",
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
        app = self.app
        if len(query.strip()) < 2 or not isinstance(app, NeedsmapApp) or app.session is None:
            return
        ws = app.session.workshop
        for section in m.ITEM_SECTIONS:
            word = section_word(section)
            for item in ws.section(section):
                name = item_name(item)
                label = f"{word} {item.id}" + (f": {name}" if name != item.id else "")
                label = textsafe.shorten(textsafe.terminal(textsafe.one_line(label)), 90)
                score = matcher.match(label)
                if score > 0:
                    where = SCREEN_TITLES[SUBJECT_SCREENS[section]]
                    yield Hit(
                        score * 0.9,
                        _literal_highlight(matcher, label),
                        partial(app.jump_to, section, item.id),
                        text=label,
                        help=escape(f"open it on the {where} screen"),
                    )


# -- keys in the order typed ---------------------------------------------------------------------
class KeysInTurn:
    """Hands out typed keys one at a time, each once the keys before it have had all their effects.

    Why keys went astray: Textual hands a key to the widget that has the focus *when the app takes the key
    from its queue*, by posting it into that widget's queue.  What the key then does happens later, in
    other queues: the widget handles it, it bubbles up to the screen and back to the app (where the
    bindings run: Tab moves the focus, ``a`` pushes a form); ``Widget.focus()`` itself is a callback
    queued behind the app's messages; a pushed screen focuses its first field in its ``on_mount``, in its
    own task; a dropdown focuses its list after Enter through the app's queue too.  Keys typed in a burst
    are already in the app's queue before any of that has run, so they were all handed to the widget that
    had the focus before the first of them: the text after Tab went into the previous field, the letters
    after ``a`` to the list behind the form.

    The mechanism: the app takes typed keys (and pastes) out of the normal flow into a queue of its own.
    A key is handed out (posted back to the app, which routes it the usual way, to whatever has the focus
    now) only when the interface is settled: every widget and screen is mounted, has nothing queued, is not
    in the middle of handling a message and has no ``call_later``/``call_next`` callback waiting; the same
    for the app itself.  Then whatever the keys before it did (focus moves, screens pushed or dismissed,
    bindings run) has happened, and the focus is where those keys left it.  Nothing is timed: a loaded
    machine only makes the wait longer.  The analysis thread is not waited for (its results reach the
    screen through the app's queue, between keys, in order).  A handler that moves the focus because of
    a key meant for where the focus goes hands the key back with :meth:`again`.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self.waiting: deque[events.Key | events.Paste] = deque()
        self.releasing: events.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._busy: Any = None  # the message pump found busy last time (checked first next time)

    def take(self, event: events.Event) -> bool:
        """Keep a typed key or paste for its turn (True), or let the app handle it now (False)."""
        if event is self.releasing:
            self.releasing = None
            return not self.app._screen_stack  # its turn: routed now (unless the app has closed meanwhile)
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if isinstance(event, events.Key) and self.priority(event.key):
            return False  # ctrl+q quits at once, whatever is still waiting
        self.waiting.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._hand_out())
        return True

    def again(self, event: events.Key) -> None:
        """Hand ``event`` out again, before the keys typed after it, once the interface has settled.

        For a handler that moves the focus because of a key that belongs to where the focus goes (a letter
        typed on a list starts its filter): the key is then typed there, as the widget itself handles it.
        """
        self.waiting.appendleft(events.Key(event.key, event.character))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._hand_out())

    @property
    def done(self) -> bool:
        """Every key typed so far has been handed out and the interface is settled."""
        return not self.waiting and self.is_settled()

    def priority(self, key: str) -> bool:
        return any(b.priority for b in self.app._bindings.key_to_bindings.get(key, ()))

    def stop(self) -> None:
        self.waiting.clear()
        if self._task is not None:
            self._task.cancel()

    async def _hand_out(self) -> None:
        app = self.app
        while self.waiting and not app._closing:
            await self.settled()
            if app._closing or not self.waiting:
                break
            event = self.waiting.popleft()
            self.releasing = event
            app.post_message(event)
            # the next one waits until this one has been taken and everything it started has run
            await asyncio.sleep(0)

    async def settled(self) -> None:
        """Return once the interface is settled (see the class docstring)."""
        deadline = time.monotonic() + KEY_WAIT_LIMIT
        spins = 0
        while not self.is_settled():
            if time.monotonic() > deadline:
                return
            spins += 1
            # yield to everything that is ready to run; past the first turns, do not spin the processor
            await asyncio.sleep(0 if spins < 4 else 0.001)

    def is_settled(self) -> bool:
        """Every message pump of the app is mounted and idle, and no callback is waiting."""
        app = self.app
        if self.releasing is not None:
            return False
        try:
            stack = app.screen_stack
        except Exception:  # no screen yet
            return False
        if not stack:
            return False
        # (callbacks for after the next refresh are not waited for: they paint, they never move the focus,
        # and waiting for a frame would cost every key a sixtieth of a second)
        if not self.idle(app):
            return False
        # the likely busy ones first (the one found busy last time, the focused widget and its ancestors,
        # where a key's messages bubble), so that a check while a key is being handled stops early
        focused = app.focused
        likely = [self._busy, *(focused.ancestors_with_self if focused is not None else stack[-1:])]
        for pump in (*likely, *app._registry):
            if pump is not None and self.busy(pump):
                self._busy = pump
                return False
        self._busy = None
        return True

    @classmethod
    def busy(cls, pump: Any) -> bool:
        """The pump is being mounted, or has a message queued or in hand, or a callback waiting."""
        if pump._closing or pump._closed or pump._task is None or pump._task.done():
            return False  # not running: nothing to wait for
        return not pump._mounted_event.is_set() or not cls.idle(pump)

    @staticmethod
    def idle(pump: Any) -> bool:
        """Nothing queued and nothing in hand: the pump's task waits for its next message.

        (A message being handled is off the queue already, so an empty queue is not enough: the pump is
        idle only while its task waits on the queue's ready event.)
        """
        queue = pump._message_queue
        if queue.qsize() or pump._next_callbacks:
            return False
        return bool(queue.ready_event._waiters)


# -- the app -----------------------------------------------------------------------------------
class NeedsmapApp(App[None]):
    """The workshop app on one :class:`~needsmap.collab.session.Session` (or a "new workshop" prompt)."""

    CSS_PATH = "app.tcss"
    TITLE = "needsmap"
    MODES = {entry.mode: entry.screen for entry in SCREENS}
    COMMANDS = App.COMMANDS | {NeedsmapCommands}
    BINDINGS = [
        *(
            Binding(entry.key, f"show('{entry.mode}')", entry.title, show=False, id=f"screen-{entry.mode}")
            for entry in SCREENS
        ),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo the last change (as far back as you like)", id="undo"),
        Binding("ctrl+y", "redo", "Redo", tooltip="Redo what was undone", id="redo"),
        Binding(
            "n",
            "quick_note",
            "Note",
            tooltip="Quick note (question, decision, risk, idea, parking) about the selected item",
            id="quick-note",
        ),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This help: every key", id="help"),
        Binding(
            "ctrl+s",
            "save_now",
            "Save now",
            show=False,
            tooltip="Save now (every change is saved at once; this retries a save that failed)",
            id="save",
        ),
        Binding(
            "ctrl+r",
            "export_report",
            "HTML report",
            show=False,
            tooltip="Write the HTML report beside the workshop file (in the background)",
            id="report",
        ),
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-now"),
    ]

    #: A review file of ``needsmap import ddl|db --review`` to open once the workshop is shown (open --review).
    review_on_start: Path | None = None
    #: Bumped after anything the bars show changed (edit, save, conflict, analysis).
    revision: var[int] = var(0, init=False)

    def __init__(self, session: Session | None, *, new_path: Path | None = None) -> None:
        super().__init__()
        self.session: Session | None = None
        self.analysis: Analysis | None = None
        self.analysis_pending = False
        #: the roadmap of the last analysed version, worked out after the analysis in a thread of its own
        #: (a tenth of a second or more at enterprise scale: never on the UI thread); None until then
        self.roadmap: Roadmap | None = None
        self.roadmap_problem: str | None = None  # why there is no roadmap (RoadmapError), if that is why
        self.new_path = new_path
        self.last_report: Path | None = None
        self._analyser = Analyser(items_replaced=True)
        self._analyser_lock = threading.Lock()
        self._workshop_rev = 0
        self._analysis_rev = 0
        self._seen: dict[int, tuple[int, int]] = {}  # id(screen) -> (workshop rev, analysis rev) it has shown
        self._dressed: set[int] = set()
        self._dialog_open = False
        self._unreadable_seen: str | None = None  # the last "cannot merge yet" message shown
        self._comments_ok = False
        self._poll_timer: Timer | None = None
        self._gc_threshold: tuple[int, int, int] | None = None  # the collector's, before freeze_heap changed it
        #: typed keys wait here for their turn (see KeysInTurn)
        self.keys = KeysInTurn(self)
        if session is not None:
            self._attach_session(session)

    # -- session -----------------------------------------------------------------------------
    def _attach_session(self, session: Session) -> None:
        """Run on ``session`` (not named ``_attach``: that is Textual's, which sets a node's DOM parent)."""
        self.session = session
        session.listeners.append(self._session_changed)
        with self._analyser_lock:
            self.analysis = self._analyser.analyse(_snapshot(session.workshop))

    def save_problem(self) -> str | None:
        """Why the workshop as shown is not what is on disk, or None when it is saved."""
        s = self.session
        if s is None:
            return None
        if s.conflict == "comments":
            return "comments would be lost"
        if s.conflict:
            return "conflict"
        if s.last_error:
            return "error"
        return None

    def _session_changed(self, session: Session) -> None:
        """A session listener: after every edit, undo, redo and reload (on the UI thread)."""
        self._workshop_rev += 1
        if session.conflict == "comments" and self._comments_ok:
            session.confirm_drop_comments()
        elif session.conflict == "comments":
            self._ask_comments()
        elif session.conflict:
            self._show_conflict(session.conflict, after_edit=True)
        elif session.pending_conflicts:
            self._show_merge_conflicts()
        if session.last_error:
            self.notify(
                f"NOT SAVED: {session.last_error}", title="Saving failed", severity="error", markup=False, timeout=10
            )
        self._schedule_analysis()
        self.revision += 1
        self._update_screens()

    def _schedule_analysis(self) -> None:
        if self.session is None:
            return
        self.analysis_pending = True
        self._analyse(_snapshot(self.session.workshop), self._workshop_rev)

    @work(thread=True, exclusive=True, group="analysis", exit_on_error=False, description="analysis")
    def _analyse(self, ws: m.Workshop, rev: int) -> None:
        with self._analyser_lock:
            if rev != self._workshop_rev:
                return  # a newer edit has its own run coming
            try:
                analysis = self._analyser.analyse(ws)
            except Exception as exc:  # the analysis must never take the workshop down
                self.call_from_thread(self.notify, f"The analysis failed: {exc!r}", severity="error", markup=False)
                return
        self.call_from_thread(self._analysis_done, analysis, rev)
        self.call_from_thread(self._plan, ws, analysis, rev)

    @work(thread=True, exclusive=True, group="roadmap", exit_on_error=False, description="roadmap")
    def _plan(self, ws: m.Workshop, analysis: Analysis, rev: int) -> None:
        if rev != self._workshop_rev:
            return
        roadmap: Roadmap | None = None
        problem: str | None = None
        try:
            roadmap = build_roadmap(ws, analysis)
        except RoadmapError as exc:
            problem = str(exc)
        except Exception as exc:  # the roadmap must never take the workshop down
            problem = f"the roadmap failed: {exc!r}"
        self.call_from_thread(self._plan_done, roadmap, problem, rev)

    def _plan_done(self, roadmap: Roadmap | None, problem: str | None, rev: int) -> None:
        if rev != self._workshop_rev:
            return
        self.roadmap, self.roadmap_problem = roadmap, problem
        self._analysis_rev += 1
        self.revision += 1
        self._update_screens()

    def _analysis_done(self, analysis: Analysis, rev: int) -> None:
        if rev != self._workshop_rev:
            return
        self.analysis = analysis
        self.analysis_pending = False
        self._analysis_rev += 1
        self.revision += 1
        self._update_screens()

    # -- keeping screens up to date -----------------------------------------------------------
    def _current_screens(self) -> list[Screen]:
        try:
            return list(self.screen_stack)
        except Exception:  # no screen yet
            return []

    def _update_screens(self) -> None:
        for screen in self._current_screens():
            self._bring_up_to_date(screen)

    def _bring_up_to_date(self, screen: Screen) -> None:
        if not screen.is_mounted:
            return
        seen_ws, seen_an = self._seen.get(id(screen), (self._workshop_rev, self._analysis_rev))
        self._seen[id(screen)] = (self._workshop_rev, self._analysis_rev)
        if seen_ws != self._workshop_rev and hasattr(screen, "workshop_changed"):
            screen.workshop_changed()
        if seen_an != self._analysis_rev and hasattr(screen, "analysis_changed"):
            screen.analysis_changed()

    async def _dress(self, screen: Screen) -> None:
        """Add the navigation bar, status bar and footer to a mode screen (once)."""
        if id(screen) in self._dressed:
            return
        self._dressed.add(id(screen))
        self._seen.setdefault(id(screen), (self._workshop_rev, self._analysis_rev))
        for footer in screen.query(Footer):
            if footer.parent is screen:
                await footer.remove()
        await screen.mount(NavBar())
        await screen.mount(Vertical(StatusBar(), Footer(), id="nm-bottom"))
        screen.refresh_bindings()  # the footer fills itself on the next bindings update

    # -- lifecycle ----------------------------------------------------------------------------
    async def on_mount(self) -> None:
        if self.session is None:
            self.push_screen(NewWorkshopScreen(self.new_path), self._created)
            return
        await self._start()

    async def _start(self) -> None:
        session = self.session
        assert session is not None
        await self.action_show("overview")
        self.call_after_refresh(self.freeze_heap)
        if self.analysis is not None and self.roadmap is None:  # the first analysis ran before the app did
            self._plan(_snapshot(session.workshop), self.analysis, self._workshop_rev)
        self._poll_timer = self.set_interval(DISK_POLL_SECONDS, self.check_disk)
        other = session.other_instance
        if other is not None:
            self.notify(
                f"Another needsmap (pid {other.pid} on {other.host}, since {other.since}) has this file "
                "open. Edits in both are merged: each shows the other's within two seconds, and a "
                "field changed in both asks which value to keep.",
                title="This file is open twice",
                severity="warning",
                timeout=20,
                markup=False,
            )
        if session.comments_pending:
            self._ask_comments()
        elif session.workshop.conflicts:
            self._show_file_conflicts()
        if self.review_on_start is not None:
            self.action_review_import(str(self.review_on_start))

    def freeze_heap(self) -> None:
        """What is alive now stays for the session: the collector leaves it alone from now on (see FREEZE_HEAP)."""
        if FREEZE_HEAP:
            gc.collect()
            gc.freeze()
            if self._gc_threshold is None:
                self._gc_threshold = gc.get_threshold()
            first, middle, _ = self._gc_threshold
            gc.set_threshold(first, middle, FULL_PASS_AFTER)

    async def _created(self, session: Session | None) -> None:
        if session is None:
            self.exit()
            return
        self._attach_session(session)
        await self._start()

    async def on_event(self, event: events.Event) -> None:
        if self.keys.take(event):
            return
        await super().on_event(event)

    def on_unmount(self) -> None:
        self.keys.stop()
        if self._gc_threshold is not None:  # as it was before: tests run many apps in one process
            gc.set_threshold(*self._gc_threshold)
            self._gc_threshold = None
            gc.unfreeze()  # what was frozen can be collected again once this app is gone
        if self.session is not None:
            self.session.close()

    # -- disk and conflicts --------------------------------------------------------------------
    def check_disk(self) -> None:
        """Has someone changed the file behind our back?  (Every DISK_POLL_SECONDS, and callable.)"""
        if self.session is None or self._dialog_open:
            return
        result = self.session.sync_with_disk()  # merges what others saved; listeners refresh the screens
        if result.kind == "merged":
            self.notify(
                f"Merged {result.changed_items} change(s) someone else saved to the file",
                title="The file changed on disk",
                markup=False,
                timeout=4,
            )
        elif result.kind == "saved":
            self.notify("Saved the edits that were waiting", markup=False, timeout=3)
        elif result.kind == "deleted":
            self._show_conflict(result.message, deleted=True)
        elif result.kind == "unreadable" and result.message != self._unreadable_seen:
            self._unreadable_seen = result.message
            self.notify(
                result.message,
                title="The file on disk cannot be merged yet",
                severity="warning",
                markup=False,
                timeout=10,
            )
        if result.kind != "unreadable":
            self._unreadable_seen = None

    def _show_merge_conflicts(self) -> None:
        session = self.session
        if session is None or self._dialog_open or not session.pending_conflicts:
            return
        from needsmap.format.conflicts import conflict_line
        from needsmap.tui.widgets.dialogs import MergeConflictsDialog

        lines = [conflict_line(c) for c in session.pending_conflicts]
        self._dialog_open = True
        self.push_screen(MergeConflictsDialog(lines), self._resolve_merge_conflicts)
        self.revision += 1

    def _show_file_conflicts(self) -> None:
        """Conflicts a git merge left in the file: keep the values the file has, or settle them later."""
        session = self.session
        if session is None or self._dialog_open or not session.workshop.conflicts:
            return
        from needsmap.format.conflicts import shown, subject
        from needsmap.tui.widgets.dialogs import MergeConflictsDialog

        lines = []
        for c in session.workshop.conflicts:
            kept, other = (c.theirs, c.ours) if c.kept == "theirs" else (c.ours, c.theirs)
            lines.append(f"{subject(c)}: the file has {shown(kept)}, the other branch {shown(other)}")

        def answered(answer: str | None) -> None:
            self._dialog_open = False
            if answer == "mine" and self.session is not None:
                count = self.session.settle_file_conflicts()
                self.notify(f"Settled {count} merge conflict(s) with the file's values", markup=False)
            self.revision += 1

        self._dialog_open = True
        self.push_screen(MergeConflictsDialog(lines, from_git=True), answered)

    def _resolve_merge_conflicts(self, answer: str | None) -> None:
        self._dialog_open = False
        if self.session is None:
            return
        self.session.resolve_conflicts(take_theirs=answer == "theirs")
        self.notify("Took their values" if answer == "theirs" else "Kept your values", markup=False)
        self.revision += 1

    def _show_conflict(self, message: str, *, deleted: bool = False, after_edit: bool = False) -> None:
        if self._dialog_open:
            return
        self._dialog_open = True
        self.push_screen(ConflictDialog(message, deleted=deleted, after_edit=after_edit), self._resolve_conflict)
        self.revision += 1

    def _resolve_conflict(self, answer: str | None) -> None:
        self._dialog_open = False
        session = self.session
        if session is None:
            return
        if answer == "reload":
            try:
                session.reload()
            except SessionError as exc:
                self.notify(
                    f"Cannot reload: {exc}",
                    title="The file on disk has errors",
                    severity="error",
                    markup=False,
                    timeout=15,
                )
                return
            self.notify("Reloaded the version on disk", markup=False)
            self.call_after_refresh(self.freeze_heap)
        elif answer == "keep":
            if session.keep_mine():
                self.notify(f"Saved your version over the file on disk (theirs: {session.path.name}.bak)", markup=False)
            else:
                self.notify(
                    f"Still not saved: {session.last_error or session.conflict}", severity="error", markup=False
                )
        self.revision += 1

    def _ask_comments(self) -> None:
        session = self.session
        if session is None or self._dialog_open or self._comments_ok:
            return
        self._dialog_open = True
        lines = session.origin.dropped_comment_lines if session.origin else ()
        self.push_screen(CommentsDialog(lines), self._comments_answer)

    def _comments_answer(self, go_on: bool | None) -> None:
        self._dialog_open = False
        if not go_on:
            self.exit()
            return
        self._comments_ok = True
        session = self.session
        if session is not None and session.conflict == "comments":
            session.confirm_drop_comments()
            self.revision += 1

    # -- actions -------------------------------------------------------------------------------
    def global_commands(self) -> list[tuple[str, str, str]]:
        """(name, action, help) of every global action, for the command palette and the help screen."""
        commands = [
            ("Undo the last change", "undo", "key ctrl+z"),
            ("Redo", "redo", "key ctrl+y"),
            ("Quick note", "quick_note", "key n: a question, decision, risk, idea or parking note"),
        ]
        commands += [
            (f"Quick note: {kind}", f"quick_note('{kind}')", "linked to the selected item") for kind in m.NOTE_KINDS
        ]
        commands += [
            ("Help: every key", "help", "key ?"),
            ("Save now (retry a failed save)", "save_now", "key ctrl+s"),
            ("Check the file on disk for changes now", "check_disk_now", "changes by others are checked every 2 s"),
            ("Export the HTML report", "export_report", "key ctrl+r: written beside the workshop file"),
            ("Open the last HTML report in a browser", "open_report", "after Export the HTML report"),
        ]
        from needsmap.interchange.registry import EXPORTERS

        commands += [
            (
                f"Export for other tools: {fmt.name}",
                f"export_to('{fmt.name}')",
                fmt.title + "; beside the workshop file",
            )
            for fmt in EXPORTERS.values()
        ]
        commands += [
            (
                "Review import proposals",
                "review_import",
                "a review file of needsmap import ddl|db --review: a accept, r reject, m re-map",
            ),
            ("Quit", "quit", "key q: everything is already saved"),
        ]
        return commands

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Quit":  # ours says that everything is saved
                yield command

    async def action_show(self, mode: str) -> None:
        """Switch to a screen by its mode name (keys 1-9 and 0)."""
        if self.session is None or mode not in self.MODES:
            return
        if self.current_mode != mode:
            # a modal or a pushed screen stays with its own mode; switching is for base screens only
            await self.switch_mode(mode)
        screen = self.screen
        await self._dress(screen)
        self._bring_up_to_date(screen)
        self.revision += 1

    async def jump_to(self, kind: str, item_id: str) -> bool:
        """Show the screen for ``kind`` (a section or a gap subject kind) with ``item_id`` selected."""
        mode = SUBJECT_SCREENS.get(kind)
        if mode is None:
            word = kind.replace("_", " ")
            self.notify(f"The {word} '{item_id}' has no screen of its own", markup=False)
            return False
        await self.action_show(mode)
        select = getattr(self.screen, "select", None)
        if select is None:
            self.notify(f"The {SCREEN_TITLES[mode]} screen cannot show '{item_id}' yet", markup=False)
            return False
        found = bool(select(item_id))
        if not found:
            self.notify(f"There is no {section_word(mode)} '{item_id}'", severity="warning", markup=False)
        return found

    def action_undo(self) -> None:
        if self.session is None:
            return
        label = self.session.undo()
        self.notify(f"Undone: {label}" if label else "Nothing to undo", markup=False, timeout=3)

    def action_redo(self) -> None:
        if self.session is None:
            return
        label = self.session.redo()
        self.notify(f"Redone: {label}" if label else "Nothing to redo", markup=False, timeout=3)

    def selected_subject(self) -> tuple[str, str] | None:
        """What the current screen has selected, as (section, id), if it says."""
        for screen in reversed(self._current_screens()):
            getter = getattr(screen, "selected_subject", None)
            if getter is not None:
                try:
                    subject = getter()
                except Exception:  # a screen in the middle of a rebuild
                    return None
                if subject is not None and subject[0] in m.ITEM_SECTIONS:
                    return subject
                return None
        return None

    def action_quick_note(self, kind: m.NoteKind | None = None) -> None:
        if self.session is None:
            return
        subject = self.selected_subject()
        label = describe_subject(self.session.workshop, *subject) if subject else None
        self.push_screen(QuickNoteScreen(subject, label, kind), self.add_quick_note)

    def add_quick_note(self, result: QuickNoteResult | None) -> None:
        if result is None or self.session is None:
            return
        ws = self.session.workshop
        note_id = new_note_id(result.kind, result.text, (n.id for n in ws.notes))
        note = m.Note(id=note_id, kind=result.kind, text=result.text, about=list(result.about))
        self.session.add("notes", note, label=f"add {result.kind} {note_id}")
        about = f" about {result.about[0]}" if result.about else ""
        self.notify(f"Added {result.kind} {note_id}{about} (9: notes, ctrl+z: undo)", markup=False, timeout=4)

    def action_help(self) -> None:

        self.push_screen(HelpScreen())

    def action_save_now(self) -> None:
        session = self.session
        if session is None:
            return
        if session.conflict == "comments":
            self._comments_ok = False
            self._ask_comments()
            return
        if session.conflict:
            self._show_conflict(session.conflict, after_edit=True)
            return
        if session.save():
            self.notify("Saved", timeout=2)
        else:
            self.notify(f"NOT SAVED: {session.last_error or session.conflict}", severity="error", markup=False)
        self.revision += 1

    def action_check_disk_now(self) -> None:
        self.check_disk()
        if not self._dialog_open:
            self.notify("The file on disk is the one you are editing", timeout=3)

    def action_export_report(self) -> None:
        if self.session is None or self.analysis is None:
            return
        target = self.session.path.with_name(self.session.path.stem + "-report.html")
        self.notify(f"Writing the HTML report to {target} ...", markup=False, timeout=3)
        self._export(_snapshot(self.session.workshop), self.analysis, str(self.session.path), target)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False, description="HTML report")
    def _export(self, ws: m.Workshop, analysis: Analysis, source: str, target: Path) -> None:
        try:
            from needsmap.report.render import build_report
            from needsmap.util.atomic_write import write_text_atomically

            html = build_report(ws, analysis, fmt="html", source_file=source)
            write_text_atomically(target, html)
        except Exception as exc:  # report a failure, never crash the workshop
            self.call_from_thread(self.notify, f"The report failed: {exc}", severity="error", markup=False, timeout=15)
            return
        self.last_report = target
        self.call_from_thread(self.notify, f"Report written: {target}", title="HTML report", markup=False, timeout=15)

    def action_export_to(self, name: str) -> None:
        """Write the workshop in another tool's format (``needsmap export``) beside the workshop file."""
        from needsmap.interchange.registry import exporter

        if self.session is None:
            return
        fmt = exporter(name)
        path = self.session.path
        target = path.with_name(f"{path.stem}-{name}{'' if fmt.folder else fmt.suffix}")
        self.notify(f"Writing the {name} export to {target} ...", markup=False, timeout=3)
        self._export_to(name, _snapshot(self.session.workshop), path.name, target)

    @work(thread=True, group="export", exit_on_error=False, description="export")
    def _export_to(self, name: str, ws: m.Workshop, source: str, target: Path) -> None:
        from needsmap.interchange.base import ExportError
        from needsmap.interchange.registry import export

        try:
            written = export(name, ws, target, source_name=source)
        except ExportError as exc:  # say why, never crash the workshop
            self.call_from_thread(self.notify, f"The export failed: {exc}", severity="error", markup=False, timeout=15)
            return
        what = f"{len(written)} files in {target}" if len(written) > 1 else str(target)
        self.call_from_thread(self.notify, f"Written: {what}", title=f"{name} export", markup=False, timeout=15)

    def action_review_import(self, path: str = "") -> None:
        """Review import proposals: the review file ``path``, or ask which one."""
        from needsmap.tui.screens.import_review import AskReviewFile, ImportReviewScreen

        if self.session is None:
            return
        if path:
            self.push_screen(ImportReviewScreen(Path(path)))
            return

        def chosen(answer: str | None) -> None:
            if answer:
                self.push_screen(ImportReviewScreen(Path(answer)))

        self.push_screen(AskReviewFile(), chosen)

    def action_open_report(self) -> None:
        if self.last_report is None:
            self.notify("Export the HTML report first (ctrl+r)", markup=False)
            return
        import webbrowser

        self.run_worker(partial(webbrowser.open, self.last_report.as_uri()), thread=True, exit_on_error=False)

    async def action_quit(self) -> None:
        problem = self.save_problem()
        if problem is None:
            self.exit()
            return

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                f"Your last changes are NOT saved ({problem}). Quit and lose them?",
                confirm="Quit anyway",
                cancel="Stay",
            ),
            answer,
        )


if TYPE_CHECKING:

    class OpenApp(NeedsmapApp):
        """The app as a screen of the workshop sees it: such a screen shows only once a workshop is open.

        A type only (the app is a :class:`NeedsmapApp`): the screens declare ``app: OpenApp``.
        """

        session: Session


# -- a new workshop -------------------------------------------------------------------------
class NewWorkshopScreen(Screen[Session | None]):
    """Shown when needsmap starts without a file and there is no demo: create one."""

    BINDINGS = [Binding("escape", "cancel", "Quit")]

    def __init__(self, path: Path | None) -> None:
        super().__init__(id="new-workshop")
        self.default_path = path or Path("workshop.yaml")

    def compose(self) -> ComposeResult:
        with Vertical(id="new-box"):
            yield Static("New workshop", classes="new-title")
            yield Static("No workshop file was given and the demo workshop was not found. Create a new one:")
            yield Static("File", classes="new-label")
            yield Input(str(self.default_path), id="new-file")
            yield Static("Name of the workshop", classes="new-label")
            yield Input(placeholder="e.g. Customer data discovery", id="new-name")
            yield Static("", id="new-error")
            yield Button("Create (Enter)", id="new-create", variant="primary")
            yield Static("Esc: quit", classes="new-hint")

    def on_mount(self) -> None:
        self.query_one("#new-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._create()

    def _error(self, message: str) -> None:
        self.query_one("#new-error", Static).update(plain(message, style="bold red", one_line=False))

    def _create(self) -> None:
        from needsmap.format.starter import new_workshop

        path = Path(self.query_one("#new-file", Input).value.strip()).expanduser()
        name = self.query_one("#new-name", Input).value.strip()
        if not name:
            self._error("Give the workshop a name")
            return
        if path.exists():
            self._error(f"{path} already exists: open it with needsmap open {path}")
            return
        if not path.parent.is_dir():
            self._error(f"The folder {path.parent} does not exist")
            return
        try:
            session = Session.create(path, new_workshop(name, target=path))
        except Exception as exc:  # show why, let the user try another path
            self._error(f"Cannot create {path}: {exc}")
            return
        self.dismiss(session)

    def action_cancel(self) -> None:
        self.dismiss(None)


def find_demo() -> Path | None:
    """The demo workshop: ./workshops/omnichannel-retail.yaml, or the one of the source checkout."""
    for candidate in (
        Path.cwd() / "workshops" / DEMO_NAME,
        Path(__file__).resolve().parents[3] / "workshops" / DEMO_NAME,
    ):
        if candidate.is_file():
            return candidate
    return None


def create_app(path: Path | None, *, demo: Path | None = None) -> NeedsmapApp:
    """The app on ``path``; without a path, on the demo workshop (``demo``, or :func:`find_demo`), or a
    "new workshop" prompt when there is none.

    Raises :class:`needsmap.collab.session.SessionError` (with ``diagnostics``) when the file cannot be edited.
    """
    if path is None:
        demo = demo if demo is not None else find_demo()
        if demo is None or not Path(demo).is_file():
            return NeedsmapApp(None, new_path=Path.cwd() / "workshop.yaml")
        path = Path(demo)
    return NeedsmapApp(Session.open(path))


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut: python -m needsmap.tui.app FILE
    import sys

    create_app(Path(sys.argv[1]) if len(sys.argv) > 1 else None).run()
