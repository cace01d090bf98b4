"""An advisory lock on a file, respected both ways: other programs' locks are waited for, ours are visible to them.

Linux has two independent kinds of advisory lock, and programs use either:
``flock(2)`` (the ``flock`` command, many editors, Python's ``fcntl.flock``) and
POSIX record locks (``fcntl(F_SETLK)``, ``lockf(3)``, most databases and C
programs).  :func:`exclusive_lock` takes both, so a program holding either
kind makes needsmap wait, and a program asking for either kind waits while
needsmap saves.

A lock is held on an open file, that is on one inode.  A program that saves by
renaming a new file over the old one replaces the inode: a lock taken on the
old one protects nothing any more.  So after getting the lock we check that the
path still names the locked inode, and start again if not.

POSIX record locks belong to the process and are dropped when the process
closes *any* descriptor of the file: while the lock is held, read the file
through the descriptor this module yields, never by opening the path again.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_OPEN_FLAGS = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_RETRY_SECONDS = 0.01


class LockBusy(OSError):
    """Another program kept its lock on the file for longer than we were prepared to wait."""


class NotARegularFile(OSError):
    """The path names a folder, a pipe, a device or a socket: nothing needsmap writes over."""


def _try_lock(fd: int) -> bool:
    """Both kinds of exclusive lock on ``fd`` without waiting; False when someone else holds one."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        fcntl.flock(fd, fcntl.LOCK_UN)
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


@contextmanager
def exclusive_lock(path: str | os.PathLike[str], *, timeout: float) -> Iterator[int | None]:
    """Hold both advisory locks on ``path`` (a real file, not a symbolic link); yields its descriptor.

    Yields None when the file does not exist (there is nothing to lock yet).
    Waits up to ``timeout`` seconds for another holder to let go, then raises
    :class:`LockBusy`.  Raises :class:`NotARegularFile` for anything but a file,
    and ``PermissionError`` when the file cannot be opened for writing.
    """
    target = Path(path)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(target, _OPEN_FLAGS)
        except FileNotFoundError:
            yield None
            return
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):
                raise NotARegularFile(exc.errno, f"{target} is not a regular file") from exc
            raise
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotARegularFile(errno.EINVAL, f"{target} is not a regular file")
            if _try_lock(fd):
                held = os.fstat(fd)
                try:
                    now = os.stat(target, follow_symlinks=False)
                except FileNotFoundError:
                    now = None
                if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                    os.set_blocking(fd, True)
                    yield fd
                    return
                # replaced (by a rename) while we waited: lock the file that is there now
            elif time.monotonic() >= deadline:
                raise LockBusy(errno.EAGAIN, f"{target} is locked by another program")
            else:
                time.sleep(_RETRY_SECONDS)
        finally:
            os.close(fd)  # releases both locks


def read_locked(fd: int) -> bytes:
    """The whole content of the locked file (read through its descriptor, keeping the lock)."""
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)
