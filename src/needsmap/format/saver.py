"""Writing a workshop: deterministic text, atomic replacement, no lost work.

Text (:func:`dump`):

* keys in the order of :mod:`needsmap.format.spec`; items in the user's order;
* two-space indentation, list items indented under their key;
* lists of plain values on one line in flow style (``[email, app]``) when
  they fit in :data:`FLOW_WIDTH` characters, one per line otherwise;
* strings plain when YAML reads them back as the same string, double-quoted
  otherwise; multi-line text as literal blocks (``|``);
* no aliases, UTF-8, ``\\n`` line ends, one final newline;
* the comment block at the top of the file (``Workshop.header``) is kept;
* fields the file did not state are not written (see :mod:`needsmap.format.model`).

So editing one item changes only that item's lines, and dump(load(dump(w)))
== dump(w).

Saving (:func:`save`): the text goes to a temporary file in the same folder,
is flushed and fsync'ed, the previous version is kept as ``FILE.bak``, and
``os.replace`` swaps the new file in (then the folder is fsync'ed).  A crash
at any moment leaves either the old or the new file, never a mix.  A file
that changed on disk since it was loaded is not overwritten unless forced.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml.nodes
import yaml.resolver

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.loader import FileOrigin, digest_bytes
from needsmap.util.atomic_write import (
    create_temp,
    discard,
    exchange,
    fsync_folder,
    new_file_mode,
    temp_glob,
    write_atomically,
)
from needsmap.util.file_lock import LockBusy, NotARegularFile, exclusive_lock, read_locked

#: Lists of plain values longer than this (as one line) are written one item per line.
FLOW_WIDTH = 100
INDENT = "  "

# A plain scalar we are sure of: starts with a letter, digit or one of a few
# safe characters, contains no YAML indicators that matter in block or flow
# context, and does not end with a space.
_PLAIN_FIRST = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}:]")


class _TagResolver(Protocol):
    """PyYAML's implicit tag resolution, typed (its stubs leave ``resolve`` unannotated)."""

    def resolve(self, kind: type[yaml.nodes.Node], value: str, implicit: tuple[bool, bool]) -> str: ...


_resolver: _TagResolver = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"

# YAML's printable set (what PyYAML's reader accepts), minus line separators.
_NEEDS_ESCAPE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def _is_plain_safe(text: str, flow: bool) -> bool:
    """True when ``text`` written plain is read back as exactly ``text``."""
    if not text or not _PLAIN_FIRST.match(text[0]):
        return False
    if "\n" in text or "\r" in text or "\t" in text or "\xa0" in text or _NEEDS_ESCAPE.search(text):
        return False
    if ": " in text or " #" in text or text.endswith((":", " ")) or text.startswith(("...", "---")):
        return False
    if flow and _FLOW_INDICATORS.search(text):
        return False
    return _resolver.resolve(yaml.nodes.ScalarNode, text, (True, False)) == _STR_TAG


def _double_quoted(text: str) -> str:
    out = []
    for ch in text:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif _NEEDS_ESCAPE.match(ch):
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _block_ok(text: str) -> bool:
    """Can ``text`` be written as a literal block and read back unchanged?"""
    if "\n" not in text or "\r" in text or _NEEDS_ESCAPE.search(text.replace("\n", "").replace("\t", "")):
        return False
    if text.startswith((" ", "\t", "\n")):
        return False
    lines = text.split("\n")
    body = lines[:-1] if text.endswith("\n") else lines
    # trailing white space and tab-indented lines survive YAML but not editors; keep them quoted
    return all(line == line.rstrip() for line in body) and not text.endswith("\n\n")


def scalar_text(value: object, indent: str = "", flow: bool = False) -> str:
    """One scalar as YAML text (for a block scalar, including its lines)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text.split("e")[0]:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent if exponent[0] in '+-' else '+' + exponent}"
        elif "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{exponent if exponent[0] in '+-' else '+' + exponent}"
        return text
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value)
    if _is_plain_safe(text, flow):
        return text
    if not flow and _block_ok(text):
        chomp = "" if text.endswith("\n") else "-"
        lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        inner = indent + INDENT
        return f"|{chomp}\n" + "\n".join(inner + line if line else "" for line in lines)
    return _double_quoted(text)


def _emit_record(
    obj: object,
    rec: spec.Record,
    indent: str,
    out: list[str],
    first_prefix: str | None = None,
    cache: ItemTextCache | None = None,
) -> None:
    """Write the fields of ``obj`` as mapping lines; the first line may carry a '- ' prefix."""
    prefix = first_prefix
    for fld in rec.fields:
        value = getattr(obj, fld.attr)
        if value is None:
            continue
        shape = fld.shape
        lead = prefix if prefix is not None else indent
        if isinstance(shape, spec.ListOf):
            if not value:
                # an empty list is written only where it differs from leaving the key out:
                # the item sections (always shown) and lists whose absence means "the default"
                if (rec is spec.WORKSHOP and fld.key in m.CORE_SECTIONS) or _absent_is_none(rec, fld.attr):
                    out.append(f"{lead}{fld.key}: []")
                    prefix = None
                continue
            if isinstance(shape.item, spec.Record):
                out.append(f"{lead}{fld.key}:")
                child_indent = indent + INDENT + INDENT
                for child in value:
                    if cache is not None:
                        out.extend(cache.lines(child, shape.item, indent + INDENT, child_indent))
                    else:
                        _emit_item(child, shape.item, indent + INDENT, child_indent, out)
            else:
                items = [scalar_text(v, flow=True) for v in value]
                line = f"{lead}{fld.key}: [{', '.join(items)}]"
                if len(line) <= FLOW_WIDTH:
                    out.append(line)
                else:
                    out.append(f"{lead}{fld.key}:")
                    for v in value:
                        out.append(f"{indent}{INDENT}- {scalar_text(v, indent + INDENT + INDENT)}")
        elif isinstance(shape, spec.Record):
            inner: list[str] = []
            _emit_record(value, shape, indent + INDENT, inner)
            if inner:
                out.append(f"{lead}{fld.key}:")
                out.extend(inner)
            else:
                out.append(f"{lead}{fld.key}: {{}}")
        else:
            out.append(f"{lead}{fld.key}: {scalar_text(value, indent)}")
        prefix = None
    if prefix is not None:  # an item with no fields at all (cannot happen for valid items)
        out.append(prefix.rstrip() + " {}")


@functools.cache
def _absent_is_none(rec: spec.Record, attr: str) -> bool:
    """True when the model keeps None for an absent list (so [] means something else)."""
    for f in dataclasses.fields(rec.cls):
        if f.name == attr:
            return f.default is None
    return False


def _emit_item(item: Any, rec: spec.Record, dash_indent: str, field_indent: str, out: list[str]) -> None:
    if rec.short is not None and item.is_short():
        out.append(f"{dash_indent}- {scalar_text(getattr(item, rec.short), field_indent)}")
        return
    _emit_record(item, rec, field_indent, out, first_prefix=f"{dash_indent}- ")


class ItemTextCache:
    """Remembers the lines of each top-level item, so saving after one edit re-renders one item.

    Valid only while items are not changed in place: an editing session
    replaces an item with a new object instead (see :mod:`needsmap.collab.session`).
    """

    def __init__(self) -> None:
        self._lines: dict[int, tuple[object, list[str]]] = {}

    def lines(self, item: object, rec: spec.Record, dash_indent: str, field_indent: str) -> list[str]:
        hit = self._lines.get(id(item))
        if hit is not None and hit[0] is item:
            return hit[1]
        out: list[str] = []
        _emit_item(item, rec, dash_indent, field_indent, out)
        self._lines[id(item)] = (item, out)
        return out

    def keep_only(self, ws: m.Workshop) -> None:
        """Forget items that are no longer in the workshop."""
        live = {id(item) for section in m.ITEM_SECTIONS for item in ws.section(section)}
        self._lines = {k: v for k, v in self._lines.items() if k in live}


def dump(ws: m.Workshop, cache: ItemTextCache | None = None) -> str:
    """The canonical text of a workshop (``cache``: reuse unchanged items' text)."""
    out: list[str] = []
    if ws.header:
        for line in ws.header.splitlines():
            out.append(line if line.startswith("#") else "# " + line)
        out.append("")
    _emit_record(ws, spec.WORKSHOP, "", out, cache=cache)
    return "\n".join(out) + "\n"


# -- atomic save -------------------------------------------------------------
#: How long a save waits for another program's lock on the file before giving up (seconds).
LOCK_WAIT_SECONDS = 5.0

#: Called (with the real path) between the last check of the file and the swap: tests put an outside write there.
race_window_hook: Callable[[Path], object] | None = None


class SaveError(Exception):
    """A save that was refused or failed; the file on disk is unchanged."""


class ChangedOnDisk(SaveError):
    pass


class CommentsWouldBeLost(SaveError):
    pass


class ReadOnlyFile(SaveError):
    """The file is read-only: needsmap does not replace it (chmod is the owner's decision)."""


class FileLocked(SaveError):
    """Another program held a lock on the file for longer than :data:`LOCK_WAIT_SECONDS`."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    path: str
    digest: str
    written: bool  # False when the file already had exactly these bytes
    backup: str | None


class SavedOverOutsideWrite(ChangedOnDisk):
    """Our version is on disk, but another program's save landed in the same instant: here it is.

    ``theirs`` holds the bytes that were at the path when ours was swapped in
    (also kept as ``FILE.bak``); ``result`` describes what is on disk now.  The
    caller merges ``theirs`` in and saves again: nothing was lost.
    """

    def __init__(self, message: str, theirs: bytes, result: SaveResult) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.result = result


def real_path(path: str | os.PathLike[str]) -> Path:
    """The file a path names, through any symbolic links (a save writes the target, never replaces the link)."""
    return Path(os.path.realpath(path))


def save(
    ws: m.Workshop,
    path: str | os.PathLike[str],
    *,
    origin: FileOrigin | None = None,
    force: bool = False,
    drop_comments: bool = False,
    backup: bool = True,
    text: str | None = None,
    lock_wait: float | None = None,
    on_changed: Callable[[bytes], str | None] | None = None,
) -> SaveResult:
    """Write ``ws`` to ``path`` atomically, as a compare-and-swap.

    ``origin`` is what the loader returned for the file being replaced: the
    save is refused (:class:`ChangedOnDisk`) when the bytes on disk are no
    longer the ones loaded (compared by content hash), and
    (:class:`CommentsWouldBeLost`) when the file has comments outside its
    header that this save would drop, unless ``drop_comments``.  Without
    ``origin`` the file must not exist yet.  ``force`` skips both checks.
    ``on_changed``, when given, is called with the bytes on disk when they are
    not the ones loaded, while the lock is held: it returns the text to save
    instead (their version merged with ours), or None to refuse.

    The compare and the swap happen under both kinds of advisory lock on the
    file (:mod:`needsmap.util.file_lock`): a program holding one makes the save
    wait (up to ``lock_wait`` seconds, then :class:`FileLocked`).  A program that
    ignores locks and renames its own file over ours in the instant between
    the check and the swap is not lost: the swap is an exchange, so its bytes
    come back to us (:class:`SavedOverOutsideWrite`).  A symbolic link is
    written through to its target; a read-only file is refused
    (:class:`ReadOnlyFile`).
    """
    shown = Path(path)
    target = real_path(path)
    data = (dump(ws) if text is None else text).encode("utf-8")
    digest = digest_bytes(data)
    wait = LOCK_WAIT_SECONDS if lock_wait is None else lock_wait
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError(f"{shown}: error: cannot read the current file before saving: {exc.strerror}") from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise SaveError(f"{shown}: error: this is not a regular file; needsmap only saves to files")
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise ReadOnlyFile(
            f"{shown}: error: the file is read-only; needsmap does not replace read-only files. Make it writable "
            f"(chmod u+w {shown}) to save, or save under another name; nothing was written"
        )
    try:
        with exclusive_lock(target, timeout=wait) as fd:
            current = None if fd is None else read_locked(fd)
            if current is not None and origin is not None and on_changed is not None and not force:
                if digest_bytes(current) != origin.digest:
                    merged = on_changed(current)  # still under the lock: nobody who respects it can write meanwhile
                    if merged is not None:
                        data = merged.encode("utf-8")
                        digest = digest_bytes(data)
                        origin = FileOrigin(origin.path, digest_bytes(current), ())
            _check_before_save(shown, current, origin, force, drop_comments)
            if current == data:
                return SaveResult(str(shown), digest, False, None)
            result = _swap_in(shown, target, data, digest, current, backup, fd)
    except LockBusy as exc:
        raise FileLocked(
            f"{shown}: error: another program holds a lock on the file (for more than {wait:g} s); needsmap "
            "saves as soon as it lets go"
        ) from exc
    except NotARegularFile as exc:
        raise SaveError(f"{shown}: error: this is not a regular file; needsmap only saves to files") from exc
    except PermissionError as exc:
        raise ReadOnlyFile(
            f"{shown}: error: the file cannot be opened for writing ({exc.strerror}); nothing was written"
        ) from exc
    except OSError as exc:
        raise SaveError(
            f"{shown}: error: could not save ({exc.strerror or exc}); the file on disk is unchanged"
        ) from exc
    return result


def _check_before_save(
    shown: Path, current: bytes | None, origin: FileOrigin | None, force: bool, drop_comments: bool
) -> None:
    if current is None or force:
        return
    if origin is None:
        raise ChangedOnDisk(f"{shown}: error: the file already exists; refusing to overwrite it")
    if digest_bytes(current) != origin.digest:
        raise ChangedOnDisk(
            f"{shown}: error: the file changed on disk since it was loaded; reload it, or save with force "
            "to overwrite the other changes"
        )
    if origin.dropped_comment_lines and not drop_comments:
        lines = ", ".join(str(n) for n in origin.dropped_comment_lines[:10])
        raise CommentsWouldBeLost(
            f"{shown}: warning: saving would drop the YAML comments on line(s) {lines}; only the comment "
            "block at the top of the file is kept. Move them into notes or the header, or confirm the save"
        )


def _swap_in(
    shown: Path, target: Path, data: bytes, digest: str, current: bytes | None, backup: bool, fd: int | None
) -> SaveResult:
    """Put ``data`` at ``target`` in one step; what was there (``current``, or a surprise) goes to ``FILE.bak``."""
    mode = new_file_mode() if current is None else stat.S_IMODE(os.stat(target).st_mode)
    tmp = create_temp(target, data, mode)
    backup_path = target.with_name(target.name + ".bak")
    try:
        if race_window_hook is not None:
            race_window_hook(target)
        if current is None:
            try:
                os.link(tmp, target)  # fails if a file appeared meanwhile: never replaces one
            except FileExistsError as exc:
                raise ChangedOnDisk(f"{shown}: error: the file was created by someone else meanwhile") from exc
            os.unlink(tmp)
            fsync_folder(target.parent)
            return SaveResult(str(shown), digest, True, None)
        if exchange(tmp, target):
            replaced = tmp.read_bytes()  # what was at the path at the instant of the swap
            if replaced != current or backup:
                os.replace(tmp, backup_path)
            else:
                os.unlink(tmp)
            fsync_folder(target.parent)
            result = SaveResult(str(shown), digest, True, str(backup_path) if replaced != current or backup else None)
            if replaced != current:
                raise SavedOverOutsideWrite(
                    f"{shown}: another program saved the file at the same moment; its version is kept in "
                    f"{backup_path.name} and merged in",
                    replaced,
                    result,
                )
            return result
        # no atomic exchange here: back up, check once more, replace (a window of microseconds remains)
        if backup:
            write_atomically(backup_path, current, mode=mode, sync_folder=False)
        assert fd is not None  # the file existed (current is not None), so it was opened and locked
        held, now = os.fstat(fd), os.stat(target)
        if (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino) or read_locked(fd) != current:
            raise ChangedOnDisk(f"{shown}: error: the file changed on disk while saving; nothing was written")
        os.replace(tmp, target)
        fsync_folder(target.parent)
        return SaveResult(str(shown), digest, True, str(backup_path) if backup else None)
    finally:
        discard(tmp)  # gone already when it was swapped in or became the .bak


#: A temporary file of a save older than this (seconds) was left by a process that died mid-save.
STALE_TEMP_SECONDS = 15 * 60


def remove_stale_temp_files(path: str | os.PathLike[str], older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete the temporary files that saves of ``path`` left behind when killed; how many went.

    A save writes ``.NAME.<random>.needsmap-tmp`` beside the file and renames it
    over the file; a process killed in between leaves it.  Only files of that
    name older than ``older_than`` go, so a save in progress elsewhere is never
    touched.
    """
    target = real_path(path)
    removed = 0
    now = time.time()
    try:
        candidates = list(target.parent.glob(temp_glob(target)))
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def origin_after_save(result: SaveResult) -> FileOrigin:
    """The origin to pass to the next save of the same file."""
    return FileOrigin(result.path, result.digest, ())
