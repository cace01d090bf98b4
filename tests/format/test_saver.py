"""Safe saving: atomic, with a backup, never over someone else's changes, never half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from needsmap.format import model as m
from needsmap.format.loader import load_file
from needsmap.format.opening import open_workshop
from needsmap.format.saver import ChangedOnDisk, CommentsWouldBeLost, dump, save
from tests.conftest import DEMO, assert_opens_clean


def _small() -> m.Workshop:
    return m.Workshop(
        workshop=m.WorkshopInfo(name="Small"), stakeholders=[m.Stakeholder(id="maria", name="Maria Jansen")]
    )


def test_new_file_then_edit_keeps_a_backup(tmp_path: Path):
    path = tmp_path / "w.yaml"
    first = save(_small(), path)
    assert first.written and first.backup is None
    loaded = load_file(path)
    loaded.workshop.stakeholders[0].role = "Head of CRM"
    second = save(loaded.workshop, path, origin=loaded.origin)
    assert second.written
    assert Path(second.backup).read_bytes() == dump(_small()).encode()
    assert "role: Head of CRM" in path.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".needsmap-tmp")]


def test_unchanged_save_does_not_touch_the_file(tmp_path: Path):
    path = tmp_path / "w.yaml"
    save(_small(), path)
    before = path.stat().st_mtime_ns
    loaded = load_file(path)
    result = save(loaded.workshop, path, origin=loaded.origin)
    assert not result.written
    assert path.stat().st_mtime_ns == before
    assert not (tmp_path / "w.yaml.bak").exists()


def test_refuses_to_overwrite_a_file_changed_on_disk(tmp_path: Path):
    path = tmp_path / "w.yaml"
    save(_small(), path)
    loaded = load_file(path)
    path.write_text(path.read_text() + "notes: []\n")  # a colleague's edit
    theirs = path.read_bytes()
    loaded.workshop.stakeholders[0].name = "Mine"
    with pytest.raises(ChangedOnDisk, match="changed on disk since it was loaded"):
        save(loaded.workshop, path, origin=loaded.origin)
    assert path.read_bytes() == theirs
    save(loaded.workshop, path, origin=loaded.origin, force=True)
    assert "name: Mine" in path.read_text()


def test_refuses_to_overwrite_an_existing_file_without_origin(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text("precious")
    with pytest.raises(ChangedOnDisk, match="already exists"):
        save(_small(), path)
    assert path.read_text() == "precious"


def test_comments_are_not_dropped_silently(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text("# kept header\nneedsmap: 1\nworkshop:\n  name: W  # lost comment\n")
    result = open_workshop(path)
    assert [d.code for d in result.diagnostics] == ["comments-dropped"]
    assert result.diagnostics[0].render().startswith(f"{path}:4:1: warning: comments on line(s) 4 ")
    with pytest.raises(CommentsWouldBeLost, match="line\\(s\\) 4"):
        save(result.workshop, path, origin=result.origin)
    save(result.workshop, path, origin=result.origin, drop_comments=True)
    assert path.read_text() == "# kept header\n\nneedsmap: 1\nworkshop:\n  name: W\n" + "".join(
        f"{s}: []\n" for s in m.CORE_SECTIONS
    )


def test_hash_inside_quoted_text_is_not_a_comment(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text('needsmap: 1\nworkshop:\n  name: "Team #1 # and more"\n  scope: |\n    see # notes\n')
    result = open_workshop(path)
    assert result.diagnostics == []
    assert result.workshop.workshop.name == "Team #1 # and more"


def test_saving_keeps_file_permissions(tmp_path: Path):
    path = tmp_path / "w.yaml"
    save(_small(), path)
    os.chmod(path, 0o640)
    loaded = load_file(path)
    loaded.workshop.workshop.name = "Changed"
    save(loaded.workshop, path, origin=loaded.origin)
    assert path.stat().st_mode & 0o777 == 0o640


def test_demo_workshop_is_in_canonical_form():
    loaded = load_file(DEMO)
    assert dump(loaded.workshop).encode("utf-8") == DEMO.read_bytes()


_KILL_BEFORE_RENAME = textwrap.dedent("""
    import os, signal, sys
    from needsmap.format.loader import load_file
    from needsmap.format import saver
    path = sys.argv[1]
    loaded = load_file(path)
    loaded.workshop.workshop.name = "Half-saved change"
    def crash(target):
        os.kill(os.getpid(), signal.SIGKILL)   # crash between write+fsync and the swap
    saver.race_window_hook = crash
    saver.save(loaded.workshop, path, origin=loaded.origin)
""")


def test_crash_between_write_and_rename_leaves_the_original_intact(tmp_path: Path):
    path = tmp_path / "w.yaml"
    save(_small(), path)
    original = path.read_bytes()
    proc = subprocess.run([sys.executable, "-c", _KILL_BEFORE_RENAME, str(path)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == original
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".needsmap-tmp")]
    assert len(leftovers) == 1  # the new version was written, never renamed into place
    assert b"Half-saved change" in leftovers[0].read_bytes()
    assert_opens_clean(path)


_SAVE_FOREVER = textwrap.dedent("""
    import sys
    from needsmap.format.loader import load_file
    from needsmap.format.saver import save, origin_after_save
    path = sys.argv[1]
    loaded = load_file(path)
    ws, origin = loaded.workshop, loaded.origin
    i = 0
    while True:
        i += 1
        ws.workshop.name = f"Save number {i}"
        ws.stakeholders[i % len(ws.stakeholders)].role = f"Role {i}"
        origin = origin_after_save(save(ws, path, origin=origin))
        print(i, flush=True)
""")


def test_random_kills_during_saves_always_leave_a_valid_file(demo_copy: Path):
    path = demo_copy
    rng = random.Random(7)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", _SAVE_FOREVER, str(path)], stdout=subprocess.PIPE)
        assert proc.stdout.readline()  # at least one save happened
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert assert_opens_clean(path).workshop.name.startswith("Save number ")
