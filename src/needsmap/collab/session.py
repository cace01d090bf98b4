"""An editing session on one workshop file: edits, undo/redo, autosave, the file on disk.

This is the engine under the terminal UI (and usable from Python): the UI only
turns keystrokes into the edits below.  Its promises:

* **every edit is saved** as soon as it is made, atomically, through
  :func:`needsmap.format.saver.save` (nothing to "save" on quit);
* **undo/redo** for every edit, across saves; a rename that updates every
  reference is one edit;
* **never overwrite someone else's work, never lose our own**: when the file
  changed on disk since we last loaded or saved it (a second needsmap, a text
  editor, ``git pull``), :meth:`Session.sync_with_disk` (called by the UI every
  few seconds, and by :meth:`Session.save` when it finds the file changed)
  three-way merges their version into ours by section, item and field
  (:func:`needsmap.collab.merge.merge_workshops`, the merge driver's engine), with the
  version we last loaded or saved as the base.  Where both changed the same
  field, ours stays in the file and the conflict waits in
  :attr:`Session.pending_conflicts` until the user keeps it or takes theirs
  (:meth:`Session.resolve_conflicts`).  Only when their file cannot be read
  (half-written by an editor, invalid) does saving stop and report a conflict;
  the caller then chooses :meth:`Session.reload` or :meth:`Session.keep_mine`;
* **a second session on the same file is noticed** through a lock file
  (``.FILE.needsmap-lock``) that says who else has it open;
* fast at enterprise scale: items are never changed in place, an edit
  replaces them, so saving re-renders only the edited items
  (:class:`needsmap.format.saver.ItemTextCache`) and the analysis re-runs only what
  the edit touched (:class:`needsmap.analysis.engine.Analyser`).
"""

from __future__ import annotations

import copy
import json
import os
import socket
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from needsmap.analysis.engine import Analyser, Analysis
from needsmap.collab.merge import merge_workshops
from needsmap.format import model as m
from needsmap.format import references, spec
from needsmap.format.diagnostics import Diagnostic
from needsmap.format.loader import FileOrigin, FileTooLarge, LoadResult, digest_bytes, load_bytes, read_bytes
from needsmap.format.opening import OpenError, check, open_workshop
from needsmap.format.saver import (
    ChangedOnDisk,
    CommentsWouldBeLost,
    ItemTextCache,
    SavedOverOutsideWrite,
    SaveError,
    SaveResult,
    dump,
    origin_after_save,
    real_path,
    remove_stale_temp_files,
    save,
)
from needsmap.format.validator import validate
from needsmap.util.atomic_write import write_text_atomically


class _Located(Protocol):
    loc: m.Loc | None


_Item = TypeVar("_Item", bound=_Located)

#: A version we replaced this many seconds ago or less may still be what another program read before saving.
STALE_READ_SECONDS = 5.0

#: How many times in a row a save merges a change found on disk before it gives up and asks.
_MAX_MERGE_ROUNDS = 5

#: Top-level fields of a workshop that are edited as a whole (votes: the whole list, see the Roadmap screen).
TOP_FIELDS = ("workshop", "settings", "functions", "channels", "header", "votes", "conflicts")


class SessionError(Exception):
    """The file cannot be edited (unreadable, or invalid: see ``diagnostics``)."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


# -- edits ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Op:
    """One primitive change: ``old``/``new`` is None for an insert/delete."""

    section: str  # an item section, or "top" for TOP_FIELDS
    index: int | str  # position in the section, or the top field's name
    old: object
    new: object

    def inverse(self) -> Op:
        return Op(self.section, self.index, self.new, self.old)


@dataclass(frozen=True, slots=True)
class Edit:
    label: str
    ops: tuple[Op, ...]
    at: float

    def inverse(self) -> Edit:
        return Edit(f"undo {self.label}", tuple(op.inverse() for op in reversed(self.ops)), time.time())


@dataclass(frozen=True, slots=True)
class DiskState:
    changed: bool
    deleted: bool = False
    message: str = ""


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What :meth:`Session.sync_with_disk` did.

    kind: ``unchanged`` (nothing new on disk), ``saved`` (nothing new on disk, and edits that
    could not be saved before, a lock being held elsewhere, are saved now), ``merged`` (their changes are in,
    ours kept), ``conflicts`` (merged, but some fields were changed on both
    sides: see ``conflicts``), ``unreadable`` (their file has errors: nothing
    merged, nothing written, ``message`` says why), ``deleted``.
    """

    kind: str
    message: str = ""
    conflicts: tuple[m.Conflict, ...] = ()
    changed_items: int = 0


@dataclass(frozen=True, slots=True)
class OtherInstance:
    pid: int
    host: str
    since: str


def _apply(ws: m.Workshop, op: Op) -> None:
    if op.section == "top":
        setattr(ws, str(op.index), op.new)
        return
    items = ws.section(op.section)
    i = int(op.index)
    if op.old is None:  # insert
        items.insert(i, op.new)
    elif op.new is None:  # delete
        if items[i] is not op.old:
            raise AssertionError("edit history out of step with the workshop")  # pragma: no cover
        del items[i]
    else:
        if items[i] is not op.old:
            raise AssertionError("edit history out of step with the workshop")  # pragma: no cover
        items[i] = op.new


def _snapshot(ws: m.Workshop) -> m.Workshop:
    """A copy that later edits do not reach: the item lists are copied, the items are shared
    (items are never changed in place, an edit replaces them)."""
    snap = copy.copy(ws)
    for section in m.ITEM_SECTIONS:
        setattr(snap, section, list(ws.section(section)))
    snap.votes = list(ws.votes)
    snap.conflicts = list(ws.conflicts)
    return snap


def edited(item: _Item, **changes: object) -> _Item:
    """A deep copy of ``item`` with ``changes``: the way to change an item in a session."""
    new = copy.deepcopy(item)
    for key, value in changes.items():
        setattr(new, key, value)
    new.loc = None  # a changed item has no place in the file yet
    return new


# -- the lock file ---------------------------------------------------------------------------
def _lock_path(path: Path) -> Path:
    """``.FILE.needsmap-lock`` beside the file itself (through symbolic links: every way to the file finds it)."""
    real = real_path(path)
    return real.with_name(f".{real.name}.needsmap-lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return True


def _read_lock(path: Path) -> OtherInstance | None:
    try:
        data = json.loads(_lock_path(path).read_text(encoding="utf-8"))
        pid, host = int(data["pid"]), str(data["host"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if host == socket.gethostname() and (pid == os.getpid() or not _pid_alive(pid)):
        return None  # ours, or a crashed session's stale lock
    return OtherInstance(pid, host, str(data.get("since", "")))


# -- the session ---------------------------------------------------------------------------
class Session:
    """One workshop file being edited.  Create with :meth:`open` or :meth:`create`."""

    def __init__(self, path: Path, ws: m.Workshop, origin: FileOrigin | None) -> None:
        self.path = path
        self.workshop = ws
        self.origin = origin
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self.listeners: list[Callable[[Session], None]] = []
        self.other_instance: OtherInstance | None = None
        self.conflict: str | None = None  # why the last save was refused, until resolved
        self.comments_pending = bool(origin and origin.dropped_comment_lines)
        #: fields both we and someone else changed, merged with ours kept (see resolve_conflicts)
        self.pending_conflicts: list[m.Conflict] = []
        self._base = _snapshot(ws)  # the workshop as the file on disk had it when we last loaded or saved
        self._merge_sides: tuple[m.Workshop, m.Workshop, m.Workshop] | None = None
        self._merge_depth = 0  # how many merges-then-saves are under way (each may meet yet another change)
        #: the versions on disk before our latest saves, with when they were replaced (see _base_of)
        self._recent_saves: deque[tuple[float, m.Workshop]] = deque(maxlen=8)
        self._disk_bytes: bytes | None = None  # what check_disk read, for the merge that follows
        self.saved_at: float | None = None
        self.last_error: str | None = None
        self._cache = ItemTextCache()
        self._analyser = Analyser(items_replaced=True)
        self._analysis: Analysis | None = None
        self._diagnostics: list[Diagnostic] | None = None
        self._batch: list[Op] | None = None

    # -- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Session:
        """Open an existing file; raises :class:`SessionError` if it cannot be read or has errors."""
        p = Path(path)
        try:
            result = open_workshop(p)
        except OpenError as exc:
            raise SessionError(str(exc)) from exc
        # merge conflicts that git left (a valid file, see docs/collaboration.md) can be settled while editing
        errors = [d for d in result.diagnostics if d.severity == "error" and d.code != "merge-conflict"]
        if errors or result.workshop is None:
            raise SessionError(
                f"{p}: {len(errors)} error(s); fix them before editing (needsmap validate {p})", result.diagnostics
            )
        session = cls(p, result.workshop, result.origin)
        session._take_lock()
        remove_stale_temp_files(p)  # left by a needsmap killed mid-save
        session._warm_cache()
        return session

    def _warm_cache(self) -> None:
        """Render every item once in the background, so the first save after an edit is fast too."""
        import threading

        items = [item for section in m.ITEM_SECTIONS for item in list(self.workshop.section(section))]
        if len(items) < 500:
            return
        snapshot = copy.copy(self.workshop)
        for section in m.ITEM_SECTIONS:  # the lists are copied; the items are never changed in place
            setattr(snapshot, section, list(self.workshop.section(section)))
        threading.Thread(target=dump, args=(snapshot, self._cache), name="needsmap-warm-cache", daemon=True).start()

    @classmethod
    def create(cls, path: str | os.PathLike[str], ws: m.Workshop) -> Session:
        """Start a new file with ``ws`` (the file must not exist yet)."""
        p = Path(path)
        result = save(ws, p)
        session = cls(p, ws, origin_after_save(result))
        session.saved_at = time.time()
        session._take_lock()
        return session

    def close(self) -> None:
        lock = _lock_path(self.path)
        try:
            data = json.loads(lock.read_text(encoding="utf-8"))
            if int(data.get("pid", -1)) == os.getpid():
                lock.unlink()
        except (OSError, ValueError):
            pass

    def _take_lock(self) -> None:
        self.other_instance = _read_lock(self.path)
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}
        try:
            write_text_atomically(_lock_path(self.path), json.dumps(info))
        except OSError:
            pass  # a read-only folder: saving will say so

    # -- reading ---------------------------------------------------------------------------
    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = self._analyser.analyse(self.workshop)
        return self._analysis

    @property
    def diagnostics(self) -> list[Diagnostic]:
        if self._diagnostics is None:
            self._diagnostics = validate(self.workshop, str(self.path))
        return self._diagnostics

    def find(self, section: str, ident: str) -> int:
        for i, item in enumerate(self.workshop.section(section)):
            if item.id == ident:
                return i
        raise KeyError(f"no {section} item with id {ident!r}")

    def item(self, section: str, ident: str):
        return self.workshop.section(section)[self.find(section, ident)]

    # -- editing -----------------------------------------------------------------------------
    @contextmanager
    def batch(self, label: str) -> Iterator[None]:
        """Group several edits into one undo step."""
        outer = self._batch is None
        if outer:
            self._batch = []
        try:
            yield
        finally:
            if outer:
                ops, self._batch = self._batch, None
                if ops:
                    self._record(Edit(label, tuple(ops), time.time()))

    def _do(self, label: str, op: Op) -> None:
        _apply(self.workshop, op)
        if self._batch is not None:
            self._batch.append(op)
        else:
            self._record(Edit(label, (op,), time.time()))

    def _record(self, edit: Edit) -> None:
        self.undo_stack.append(edit)
        self.redo_stack.clear()
        self._changed()

    def replace(self, section: str, index: int, new_item, label: str = "edit") -> None:
        old = self.workshop.section(section)[index]
        if new_item is old:
            raise ValueError("pass a new item (see needsmap.collab.session.edited), items are never changed in place")
        self._do(label, Op(section, index, old, new_item))

    def update(self, section: str, index: int, label: str | None = None, **changes) -> object:
        """Change fields of one item (a new item replaces it); returns the new item."""
        new = edited(self.workshop.section(section)[index], **changes)
        self.replace(section, index, new, label or f"change {', '.join(changes)}")
        return new

    def add(self, section: str, item, index: int | None = None, label: str | None = None) -> int:
        items = self.workshop.section(section)
        i = len(items) if index is None else index
        self._do(label or f"add {getattr(item, 'id', section)}", Op(section, i, None, item))
        return i

    def delete(self, section: str, index: int, label: str | None = None) -> object:
        item = self.workshop.section(section)[index]
        self._do(label or f"delete {getattr(item, 'id', section)}", Op(section, index, item, None))
        return item

    def set_top(self, name: str, value, label: str | None = None) -> None:
        if name not in TOP_FIELDS:
            raise KeyError(name)
        self._do(label or f"change {name}", Op("top", name, getattr(self.workshop, name), value))

    def rename(self, section: str, old_id: str, new_id: str) -> int:
        """Change an item's id and every reference to it, as one edit; returns how many items changed."""
        index = self.find(section, old_id)
        changed = 0
        with self.batch(f"rename {old_id} to {new_id}"):
            self.update(section, index, id=new_id)
            changed += 1
            for other, rec in spec.ITEM_RECORDS.items():
                for i, item in enumerate(self.workshop.section(other)):
                    new = references.rewrite(item, rec, section, old_id, new_id, [], "")
                    if new is not item:
                        self.replace(other, i, new)
                        changed += 1
            for name, value in references.top_level_changes(self.workshop, section, old_id, new_id, []).items():
                self.set_top(name, value)
                changed += 1
        return changed

    def undo(self) -> str | None:
        if not self.undo_stack:
            return None
        edit = self.undo_stack.pop()
        for op in reversed(edit.ops):
            _apply(self.workshop, op.inverse())
        self.redo_stack.append(edit)
        self._changed()
        return edit.label

    def redo(self) -> str | None:
        if not self.redo_stack:
            return None
        edit = self.redo_stack.pop()
        for op in edit.ops:
            _apply(self.workshop, op)
        self.undo_stack.append(edit)
        self._changed()
        return edit.label

    def _changed(self) -> None:
        self._analysis = None
        self._diagnostics = None
        self.save()
        for listener in list(self.listeners):
            listener(self)

    # -- the file ---------------------------------------------------------------------------
    def save(self, *, force: bool = False) -> bool:
        """Write the workshop now; False (and ``conflict`` or ``last_error`` set) when it could not be saved.

        The save is a compare-and-swap (:func:`needsmap.format.saver.save`): when
        the file changed on disk since we last loaded or saved it, their version
        is merged in first (:meth:`sync_with_disk`) and the merge is saved; when
        another program's save lands in the very instant of ours, its bytes come
        back from the swap and are merged in the same way.  A save that fails
        (a lock held elsewhere, a read-only file) keeps the edit in memory and
        is tried again at the next edit or disk check.
        """
        if self.conflict and not force:
            return False
        if self.comments_pending and not force:
            self.conflict = "comments"
            return False
        text = dump(self.workshop, self._cache)
        try:
            result = save(
                self.workshop,
                self.path,
                origin=self.origin,
                force=force,
                text=text,
                drop_comments=True,
                on_changed=self._merge_while_locked,
            )
        except SavedOverOutsideWrite as exc:
            self._saved(exc.result)
            return self._take_in_outside_write(exc)
        except ChangedOnDisk as exc:
            if self._merge_depth < _MAX_MERGE_ROUNDS and self.sync_with_disk().kind in ("merged", "conflicts"):
                return self.conflict is None and self.last_error is None  # merged with theirs, and saved
            self.conflict = str(exc)
            return False
        except (CommentsWouldBeLost, SaveError, OSError) as exc:
            self.last_error = str(exc)
            return False
        self._saved(result)
        return True

    def _saved(self, result: SaveResult) -> None:
        """What is on disk now is our workshop as it is."""
        self._recent_saves.append((time.monotonic(), self._base))
        self.origin = origin_after_save(result)
        self.conflict = None
        self.last_error = None
        self.saved_at = time.time()
        self._base = _snapshot(self.workshop)
        if len(self._cache._lines) > 2 * sum(len(self.workshop.section(s)) for s in m.ITEM_SECTIONS) + 64:
            self._cache.keep_only(self.workshop)

    def _take_in_outside_write(self, exc: SavedOverOutsideWrite) -> bool:
        """Another program saved in the instant of our save: ours is on disk, theirs in hand; merge and save again."""
        theirs = check(load_bytes(exc.theirs, str(self.path)))
        errors = [d for d in theirs.diagnostics if d.severity == "error" and d.code != "merge-conflict"]
        if errors or theirs.workshop is None:
            backup = exc.result.backup or f"{self.path}.bak"
            self.last_error = (
                f"{self.path}: another program saved an unreadable version at the same moment as needsmap; "
                f"it is kept in {backup}"
            )
            return False
        # the outside program started from the version on disk before our save: that is the merge base
        before = self._recent_saves[-1][1]  # the version our save just replaced
        result = self._merge_in(before, theirs.workshop, disk=_snapshot(self.workshop), disk_origin=self.origin)
        return result.kind in ("merged", "conflicts", "unchanged") and self.conflict is None and not self.last_error

    def confirm_drop_comments(self) -> bool:
        """The user agreed that comments outside the header go; save now."""
        self.comments_pending = False
        if self.conflict == "comments":
            self.conflict = None
        return self.save()

    def check_disk(self) -> DiskState:
        """Has someone else changed the file since we last loaded or saved it?  Compared by content (sha256):
        an edit that keeps the size and the modification time is a change too."""
        try:
            data = read_bytes(self.path)  # bounded, and never waits on a pipe put in the file's place
        except FileNotFoundError:
            return DiskState(True, True, f"{self.path} was deleted or moved")
        except (OSError, FileTooLarge) as exc:
            return DiskState(False, False, str(exc))
        if self.origin is not None and digest_bytes(data) == self.origin.digest:
            return DiskState(False)
        self._disk_bytes = data
        return DiskState(True, False, f"{self.path} changed on disk (another editor, or git)")

    def sync_with_disk(self) -> SyncResult:
        """Merge what someone else saved into our workshop (three-way, by item and field); save the result.

        The base is the version we last loaded or saved.  Their changes to
        items and fields we did not touch come in; ours stay.  A field both
        changed keeps our value and is added to :attr:`pending_conflicts`.
        The undo history starts again after a merge that brought anything in
        (its steps are positions in lists that the merge moved).  When nothing
        changed on disk but our last save failed (a lock held elsewhere), the
        save is tried again.
        """
        state = self.check_disk()
        if not state.changed:
            if self.last_error and not self.conflict and not self._merge_depth and self.save():
                for listener in list(self.listeners):
                    listener(self)
                return SyncResult("saved", "saved the edits that were waiting")
            return SyncResult("unchanged")
        if state.deleted:
            return SyncResult("deleted", state.message)
        data, self._disk_bytes = self._disk_bytes, None
        result: LoadResult = check(load_bytes(data, str(self.path))) if data is not None else LoadResult(None)
        errors = [d for d in result.diagnostics if d.severity == "error"]
        if errors or result.workshop is None or result.origin is None:
            first = errors[0].render() if errors else f"{self.path}: cannot be read"
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return SyncResult(
                "unreadable", f"{first}{more}; waiting until the file on disk is valid again before merging it"
            )
        theirs = result.workshop
        self.comments_pending = self.comments_pending or bool(result.origin.dropped_comment_lines)
        return self._merge_in(self._base_of(theirs), theirs, disk=theirs, disk_origin=result.origin)

    def _base_of(self, theirs: m.Workshop) -> m.Workshop:
        """The version ``theirs`` was made from: normally the one we last saved.

        A program that saves without a lock may have read the file just before
        one of our saves and renamed its version over it just after: its
        version then lacks our latest edits without anyone having removed them.
        Of the versions we saved in the last :data:`STALE_READ_SECONDS`, the one
        closest to theirs is taken as the base, so their change comes in and
        our later edits stay.  Older versions are never candidates: a deliberate
        return to an earlier state (``git checkout``) is merged as what it is.
        """
        best, best_distance = self._base, _count_changed(self._base, theirs)
        horizon = time.monotonic() - STALE_READ_SECONDS
        for saved_at, version in reversed(self._recent_saves):
            if saved_at < horizon or best_distance == 0:
                break
            distance = _count_changed(version, theirs)
            if distance < best_distance:
                best, best_distance = version, distance
        return best

    def _merge_in(
        self, base: m.Workshop, theirs: m.Workshop, *, disk: m.Workshop, disk_origin: FileOrigin | None
    ) -> SyncResult:
        """Merge ``theirs`` (changed from ``base``) into our workshop and save; ``disk`` is what the file holds now."""
        result = self._merge_state(base, theirs, disk=disk, disk_origin=disk_origin)
        if self.workshop != disk:
            self._merge_depth += 1
            try:
                self.save()
            finally:
                self._merge_depth -= 1
        for listener in list(self.listeners):
            listener(self)
        return result

    def _merge_while_locked(self, current: bytes) -> str | None:
        """The saver found ``current`` on disk instead of what we last saw: merge it in (under the save's lock)
        and return the text to save; None when it cannot be read (the save is then refused)."""
        theirs = check(load_bytes(current, str(self.path)))
        errors = [d for d in theirs.diagnostics if d.severity == "error"]
        if errors or theirs.workshop is None or theirs.origin is None or theirs.origin.dropped_comment_lines:
            return None  # the usual path says why (sync_with_disk) and asks
        self._merge_state(
            self._base_of(theirs.workshop), theirs.workshop, disk=theirs.workshop, disk_origin=theirs.origin
        )
        return dump(self.workshop, self._cache)

    def _merge_state(
        self, base: m.Workshop, theirs: m.Workshop, *, disk: m.Workshop, disk_origin: FileOrigin | None
    ) -> SyncResult:
        """Our workshop becomes the merge of ours and ``theirs`` (nothing is written)."""
        ours = _snapshot(self.workshop)
        merged = merge_workshops(base, ours, theirs)
        ws = merged.workshop
        fresh = list(merged.conflicts)
        # the conflicts wait in the session for the user's decision; the file keeps our values meanwhile
        ws.conflicts = [c for c in ws.conflicts if not any(c is f for f in fresh)]
        changed = _count_changed(ours, ws)
        self._merge_sides = (base, ours, theirs) if fresh else self._merge_sides
        self.pending_conflicts.extend(fresh)
        self.workshop = ws
        self.origin = disk_origin
        self._base = _snapshot(disk)
        self.conflict = None
        if changed:
            self.undo_stack.clear()
            self.redo_stack.clear()
        self._analysis = None
        self._diagnostics = None
        kind = "conflicts" if fresh else "merged"
        return SyncResult(kind, f"merged {changed} change(s) saved by someone else", tuple(fresh), changed)

    def settle_file_conflicts(self) -> int:
        """Keep the values the file has for the merge conflicts git left in it; how many were settled.

        The file already holds one side's value for each (``kept``); this removes
        the entries from ``conflicts``, as one undoable edit.
        """
        count = len(self.workshop.conflicts)
        if count:
            self.set_top("conflicts", [], label=f"settle {count} merge conflict(s)")
        return count

    def resolve_conflicts(self, take_theirs: bool) -> None:
        """Settle :attr:`pending_conflicts`: keep our values (as the file has them) or take theirs.

        Taking theirs re-merges with their side preferred and carries that onto
        the workshop as it is now, so edits made since the merge stay.
        """
        if take_theirs and self._merge_sides is not None:
            base, ours, theirs = self._merge_sides
            ours_kept = merge_workshops(base, ours, theirs).workshop
            theirs_kept = merge_workshops(base, theirs, ours).workshop
            for ws in (ours_kept, theirs_kept):
                ws.conflicts = [c for c in ws.conflicts if c in self.workshop.conflicts]
            now = _snapshot(self.workshop)
            result = merge_workshops(ours_kept, now, theirs_kept)
            result.workshop.conflicts = [
                c for c in result.workshop.conflicts if not any(c is f for f in result.conflicts)
            ]
            self.workshop = result.workshop
            self.undo_stack.clear()
            self.redo_stack.clear()
        self.pending_conflicts.clear()
        self._merge_sides = None
        self._changed()

    def reload(self) -> None:
        """Take the version on disk; our unsaved edits are dropped (undo history too)."""
        fresh = Session.open(self.path)
        self.workshop, self.origin = fresh.workshop, fresh.origin
        self._base = _snapshot(fresh.workshop)
        self.pending_conflicts.clear()
        self._merge_sides = None
        self.undo_stack.clear()
        self.redo_stack.clear()
        self.conflict = None
        self.comments_pending = fresh.comments_pending
        self._cache = ItemTextCache()
        self._analysis = None
        self._diagnostics = None
        for listener in list(self.listeners):
            listener(self)

    def keep_mine(self) -> bool:
        """Overwrite the file on disk with our version (the other version is kept as FILE.bak)."""
        self.conflict = None
        return self.save(force=True)


def _count_changed(before: m.Workshop, after: m.Workshop) -> int:
    """How many items (and top-level fields) differ between two versions of a workshop."""
    count = 0
    for section in m.ITEM_SECTIONS:
        old = {item.id: item for item in before.section(section)}
        new = {item.id: item for item in after.section(section)}
        count += sum(1 for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    for name in (*TOP_FIELDS, "model"):
        if getattr(before, name) != getattr(after, name):
            count += 1
    return count
