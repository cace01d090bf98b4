"""Saving under faults: outside writers in the instant of a save, locks, symbolic links, read-only files.

Each test stands for a way someone's saved work was lost or a file was
written where it should not be; the outside writer is a real second process
(or, for the race window, a write placed exactly in it by the saver's hook).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from needsmap.collab.session import Session
from needsmap.format import saver
from tests.conftest import assert_opens_clean


def _outside_save(path: Path, old: str, new: str) -> None:
    """What an editor or a script does: read, change, write a new file, rename it over the old one."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    tmp = path.with_name(path.name + ".editor-tmp")
    tmp.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(tmp, path)


def test_an_outside_save_in_the_instant_of_ours_is_merged_not_lost(demo_copy: Path, monkeypatch):
    s = Session.open(demo_copy)
    landed = []

    def outside_writer(target: Path) -> None:  # lands after our check, before our swap
        if not landed:
            _outside_save(target, "name: Sanne de Vries", "name: Sanne de Vries-Bakker")
            landed.append(True)

    monkeypatch.setattr(saver, "race_window_hook", outside_writer)
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    monkeypatch.setattr(saver, "race_window_hook", None)
    assert landed
    ws = assert_opens_clean(demo_copy)
    by_id = {x.id: x for x in ws.stakeholders}
    assert by_id["bas"].role == "Head of loyalty"  # ours
    assert by_id["sanne"].name == "Sanne de Vries-Bakker"  # theirs, though it landed inside our save
    assert s.item("stakeholders", "sanne").name == "Sanne de Vries-Bakker"
    assert s.last_error is None and s.conflict is None
    s.close()


def test_an_outside_edit_that_keeps_size_and_mtime_is_seen(demo_copy: Path):
    s = Session.open(demo_copy)
    before = demo_copy.stat()
    text = demo_copy.read_text(encoding="utf-8")
    assert "name: Sanne de Vries" in text
    demo_copy.write_text(text.replace("name: Sanne de Vries", "name: Sanne de Vriez", 1), encoding="utf-8")
    os.utime(demo_copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = demo_copy.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert s.check_disk().changed
    # and our next edit merges it instead of refusing to save
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    assert s.conflict is None
    ws = assert_opens_clean(demo_copy)
    assert {x.id: x.name for x in ws.stakeholders}["sanne"] == "Sanne de Vriez"
    assert {x.id: x.role for x in ws.stakeholders}["bas"] == "Head of loyalty"
    s.close()


def test_a_symlinked_workshop_is_written_through_to_its_target(demo_copy: Path, tmp_path: Path):
    elsewhere = tmp_path / "repo"
    elsewhere.mkdir()
    target = elsewhere / "real.yaml"
    os.replace(demo_copy, target)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    s = Session.open(link)
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "role: Head of loyalty" in target.read_text(encoding="utf-8")
    assert (elsewhere / "real.yaml.bak").exists()
    assert not (tmp_path / "link.yaml.bak").exists()
    s.close()


def test_a_read_only_workshop_is_refused_not_replaced(demo_copy: Path):
    s = Session.open(demo_copy)
    original = demo_copy.read_bytes()
    demo_copy.chmod(0o444)
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    assert s.last_error is not None and "read-only" in s.last_error
    assert demo_copy.read_bytes() == original
    assert stat.S_IMODE(demo_copy.stat().st_mode) == 0o444
    assert s.item("stakeholders", "bas").role == "Head of loyalty"  # the edit waits in memory
    demo_copy.chmod(0o644)  # the owner makes it writable: the next check saves it
    assert s.sync_with_disk().kind == "saved"
    assert s.last_error is None
    assert "role: Head of loyalty" in demo_copy.read_text(encoding="utf-8")
    s.close()


def test_planted_symlinks_at_side_file_names_never_redirect_a_write(demo_copy: Path, tmp_path: Path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    folder = demo_copy.parent
    # every fixed name a session ever wrote beside the workshop (the lock, its old temporary name)
    for name in (f".{demo_copy.name}.needsmap-lock", f".{demo_copy.stem}.tmp", f".{demo_copy.name}.tmp"):
        (folder / name).symlink_to(victim)
    s = Session.open(demo_copy)
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    s.close()
    assert victim.read_text() == "precious\n"


_HOLD_LOCK = textwrap.dedent(
    """
    import fcntl, os, sys, time
    path, kind = sys.argv[1], sys.argv[2]
    fd = os.open(path, os.O_RDWR)
    if kind == "flock":
        fcntl.flock(fd, fcntl.LOCK_EX)
    else:
        fcntl.lockf(fd, fcntl.LOCK_EX)
    print("locked", flush=True)
    time.sleep(0.8)
    data = os.pread(fd, 10_000_000, 0)
    data = data.replace(b"name: Sanne de Vries", b"name: Sanne de Vries-Bakker", 1)
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)     # an in-place write, under the lock
    os.fsync(fd)
    os.close(fd)               # lets go
    """
)


@pytest.mark.parametrize("kind", ["flock", "lockf"])
def test_a_program_holding_a_lock_is_waited_for(demo_copy: Path, kind: str):
    s = Session.open(demo_copy)
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(demo_copy), kind], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
    start = time.monotonic()
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    waited = time.monotonic() - start
    assert holder.wait(10) == 0
    assert waited > 0.3  # it waited for the holder instead of writing beside it
    ws = assert_opens_clean(demo_copy)
    by_id = {x.id: x for x in ws.stakeholders}
    assert by_id["sanne"].name == "Sanne de Vries-Bakker"  # their in-place write
    assert by_id["bas"].role == "Head of loyalty"  # our edit, merged on top
    s.close()


def test_a_lock_held_too_long_leaves_the_edit_waiting_then_saves_it(demo_copy: Path, monkeypatch):
    monkeypatch.setattr(saver, "LOCK_WAIT_SECONDS", 0.2)
    s = Session.open(demo_copy)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            str(demo_copy),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"locked"
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    assert s.last_error is not None and "lock" in s.last_error
    assert "role: Head of loyalty" not in demo_copy.read_text(encoding="utf-8")
    proc.communicate(b"", timeout=10)  # the holder lets go
    assert s.sync_with_disk().kind == "saved"  # the UI calls this every two seconds
    assert s.last_error is None
    assert "role: Head of loyalty" in demo_copy.read_text(encoding="utf-8")
    s.close()


def test_an_outside_save_made_from_a_version_read_just_before_ours_keeps_our_edit(demo_copy: Path):
    """A program without a lock read the file, we saved, it renamed its version over ours: both edits stay."""
    s = Session.open(demo_copy)
    stale = demo_copy.read_text(encoding="utf-8")  # what the outside program read
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")  # our save, acknowledged
    tmp = demo_copy.with_name("editor.tmp")
    tmp.write_text(stale.replace("name: Sanne de Vries", "name: Sanne de Vries-Bakker", 1), encoding="utf-8")
    os.replace(tmp, demo_copy)  # their save, made from the version before ours
    result = s.sync_with_disk()
    assert result.kind == "merged"
    ws = assert_opens_clean(demo_copy)
    by_id = {x.id: x for x in ws.stakeholders}
    assert by_id["bas"].role == "Head of loyalty"
    assert by_id["sanne"].name == "Sanne de Vries-Bakker"
    s.close()


def test_a_deliberate_return_to_an_old_version_is_merged_as_a_revert(demo_copy: Path, monkeypatch):
    """``git checkout FILE`` some time after our edit: the file goes back, and so does the session."""
    from needsmap.collab import session as session_module

    s = Session.open(demo_copy)
    committed = demo_copy.read_bytes()
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    monkeypatch.setattr(session_module, "STALE_READ_SECONDS", 0.0)  # our save is older than a stale read can be
    demo_copy.write_bytes(committed)
    s.sync_with_disk()
    assert s.item("stakeholders", "bas").role != "Head of loyalty"
    assert demo_copy.read_bytes() == committed
    s.close()


def test_a_change_found_while_saving_is_merged_under_the_lock(demo_copy: Path, monkeypatch):
    """A save that finds the file changed merges while still holding the lock: a program asking for the lock
    during the merge must wait, so the merged save cannot be overtaken again (no endless merge-then-retry)."""
    from needsmap.collab import session as session_module

    s = Session.open(demo_copy)
    _outside_save(demo_copy, "name: Sanne de Vries", "name: Sanne de Vries-Bakker")
    probes: list[str] = []
    real_merge = session_module.merge_workshops

    def merge_and_probe(base, ours, theirs):
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import fcntl,os,sys\nfd=os.open(sys.argv[1], os.O_RDONLY)\n"
                "try:\n fcntl.flock(fd, fcntl.LOCK_EX|fcntl.LOCK_NB); print('free')\n"
                "except BlockingIOError:\n print('held')",
                str(demo_copy),
            ],
            capture_output=True,
            text=True,
        )
        probes.append(probe.stdout.strip())
        return real_merge(base, ours, theirs)

    monkeypatch.setattr(session_module, "merge_workshops", merge_and_probe)
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")
    assert probes and probes[0] == "held"
    assert s.conflict is None and s.last_error is None
    ws = assert_opens_clean(demo_copy)
    assert {x.id: x.name for x in ws.stakeholders}["sanne"] == "Sanne de Vries-Bakker"
    assert {x.id: x.role for x in ws.stakeholders}["bas"] == "Head of loyalty"
    s.close()


def test_a_pipe_put_in_the_files_place_never_hangs_the_session(demo_copy: Path):
    s = Session.open(demo_copy)
    demo_copy.unlink()
    os.mkfifo(demo_copy)
    start = time.monotonic()
    state = s.check_disk()
    assert time.monotonic() - start < 2
    assert not state.changed and "pipe" in state.message
    s.update("stakeholders", s.find("stakeholders", "bas"), role="Head of loyalty")  # refused, not hung
    assert s.last_error is not None and "not a regular file" in s.last_error
    s.close()
