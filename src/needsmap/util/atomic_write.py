"""Writing a file so that readers see the old content or the new, never half of it.

The new content goes to a temporary file in the target's folder, created with
``O_CREAT | O_EXCL | O_NOFOLLOW`` under an unpredictable name
(``.NAME.<random>.needsmap-tmp``), so nobody can plant a file or a symbolic link
there in advance to redirect the write.  The file is flushed and fsync'ed, renamed
over the target with :func:`os.replace`, and the folder is fsync'ed so the rename
survives a power cut.  On any error the temporary file is removed and the target
is untouched.

The new file gets the target's current permissions, or, for a new target, the
usual ``0o666`` minus the process umask.  The umask is read without changing it
(from ``/proc/self/status`` on Linux): setting it to read it back would race with
other threads creating files at that moment.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import glob
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: The ending of every temporary file a write leaves while it runs (or after a crash).
TEMP_SUFFIX = ".needsmap-tmp"

_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_NAME_ATTEMPTS = 100


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no other way to read it here; restored at once
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permissions a newly created file gets: ``0o666`` minus the umask."""
    return 0o666 & ~current_umask()


def temp_glob(target: str | os.PathLike[str]) -> str:
    """The glob pattern (relative to the target's folder) of the temporary files of writes to ``target``."""
    return f".{glob.escape(Path(target).name)}.*{TEMP_SUFFIX}"


def discard(tmp: str | os.PathLike[str]) -> None:
    """Remove a temporary file that will not be used (gone already is fine)."""
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _random_part() -> str:
    return secrets.token_hex(8)


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside ``target`` (mode 0o600 until the content is in)."""
    for _ in range(_NAME_ATTEMPTS):
        tmp = target.with_name(f".{target.name}.{_random_part()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, _CREATE_FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: no free temporary name beside it after {_NAME_ATTEMPTS} attempts")


def create_temp(
    target: str | os.PathLike[str], content: bytes | Callable[[BinaryIO], object], mode: int, *, fsync: bool = True
) -> Path:
    """A new temporary file beside ``target`` with ``content`` (bytes, or a function writing to a binary file),
    flushed and (unless ``fsync=False``: the caller syncs) fsync'ed, with permissions ``mode``; removed again on
    any error."""
    fd, tmp = _create_temp(Path(target))
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(content):
                content(fh)
            else:
                fh.write(content)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
        if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
            os.chmod(tmp, mode)
    except BaseException:
        discard(tmp)
        raise
    return tmp


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def exchange(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns False, having changed nothing, where the system or the file system
    cannot do it; raises OSError for other failures.  After the swap ``first``
    names what ``second`` named at that very instant, so a caller can see
    what it replaced: nothing that was there is ever lost unseen.
    """
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), os.fspath(second))


def fsync_folder(folder: str | os.PathLike[str]) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_atomically(
    path: str | os.PathLike[str],
    content: bytes | Callable[[BinaryIO], object],
    *,
    mode: int | None = None,
    sync_folder: bool = True,
) -> None:
    """Replace ``path`` with ``content`` (bytes, or a function writing to a binary file) in one step.

    ``mode``: the new file's permissions; by default the current file's, or
    :func:`new_file_mode` for a new file.  ``sync_folder=False`` leaves the folder's
    fsync to the caller (who writes several files and syncs once).
    """
    target = Path(path)
    if mode is None:
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = new_file_mode()
    tmp = create_temp(target, content, mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        discard(tmp)
        raise
    if sync_folder:
        fsync_folder(target.parent)


def _syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        func = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).syncfs
    except (OSError, AttributeError):  # pragma: no cover - an old libc
        return None
    func.argtypes = [ctypes.c_int]
    func.restype = ctypes.c_int
    return func


_SYNCFS = _syncfs()


def _sync_file_system_of(folder: Path) -> bool:
    """Flush every file written to the file system holding ``folder`` in one call (Linux ``syncfs``)."""
    if _SYNCFS is None:
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return _SYNCFS(fd) == 0
    finally:
        os.close(fd)


def write_many_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write several new files, each atomically, with one flush to disk for all of them.

    Every temporary file is written first; then the file system is synced once (``syncfs``;
    elsewhere each file is fsync'ed), and only then is each renamed over its target and each
    folder fsync'ed. A reader sees each file old or new, never half; a crash before the renames
    leaves the targets as they were. Hundreds of files (a dbt project) take a fraction of a
    second instead of one fsync each.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for path, content in files:
            try:
                mode = path.stat().st_mode & 0o7777
            except FileNotFoundError:
                mode = new_file_mode()
            temps.append((create_temp(path, content, mode, fsync=False), path))
        if not temps or not _sync_file_system_of(temps[0][1].parent):
            for tmp, _ in temps:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        while temps:
            tmp, path = temps[0]
            os.replace(tmp, path)
            temps.pop(0)
    finally:
        for tmp, _ in temps:
            discard(tmp)
    for folder in dict.fromkeys(path.parent for path, _ in files):
        fsync_folder(folder)


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write an output file (report, export) as UTF-8, atomically: readers never see half of it."""
    write_atomically(path, text.encode("utf-8"))
