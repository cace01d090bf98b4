"""What is not a workshop file is refused at once, with a message, never waited on.

The loader opens without blocking and reads only regular files: a named pipe
with no writer, a device that never ends, a socket and a folder each get their
own located message immediately; and ``needsmap validate --format json`` reports
a file it cannot read inside its JSON document, like any other problem.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from needsmap.format import loader
from needsmap.format.opening import OpenError, open_workshop

GOOD = "needsmap: 1\nworkshop:\n  name: W\n"


def _open_within(path: Path, seconds: float = 10.0) -> OpenError | None:
    """open_workshop(path) in a thread; fails (after unblocking it) when it does not return in time."""
    outcome: list[object] = []

    def run() -> None:
        try:
            open_workshop(path)
            outcome.append(None)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():  # a reader waiting on a pipe: give it a writer so that the thread ends
        with open(path, "wb"):
            pass
        thread.join(seconds)
        pytest.fail(f"opening {path.name} did not return within {seconds} s")
    error = outcome[0]
    assert error is None or isinstance(error, OpenError), error
    return error


def test_a_named_pipe_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "workshop.yaml"
    os.mkfifo(fifo)
    error = _open_within(fifo)
    assert error is not None and error.code == "not-a-file"
    assert str(error) == f"{fifo}: error: this is a named pipe (FIFO), not a workshop file"


def test_a_device_is_refused_without_reading_it():
    error = _open_within(Path("/dev/zero"))
    assert error is not None and error.code == "not-a-file"
    assert str(error) == "/dev/zero: error: this is a device, not a workshop file"


def test_a_socket_is_refused(tmp_path: Path):
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        error = _open_within(path)
    assert error is not None and error.code == "not-a-file"
    assert str(error) == f"{path}: error: this is a socket, not a workshop file"


def test_a_folder_and_a_missing_file(tmp_path: Path):
    error = _open_within(tmp_path)
    assert error is not None and error.code == "not-a-file"
    assert str(error) == f"{tmp_path}: error: this is a folder, not a workshop file"
    error = _open_within(tmp_path / "nope.yaml")
    assert error is not None and error.code == "no-such-file"


def test_a_link_to_a_pipe_is_a_pipe(tmp_path: Path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "fifo")
    error = _open_within(tmp_path / "link.yaml")
    assert error is not None and "named pipe" in str(error)


def test_read_bytes_is_bounded_and_reads_regular_files(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert loader.read_bytes(path) == GOOD.encode()
    with pytest.raises(loader.NotAFile):  # an OSError: callers that handle unreadable files handle it
        loader.read_bytes("/dev/zero")
    assert issubclass(loader.NotAFile, OSError)


def test_validate_reports_a_pipe_in_its_json(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    result = _needsmap(tmp_path, "validate", "--format", "json", "pipe.yaml", "good.yaml")
    assert result.returncode == 2
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == ["pipe.yaml", "good.yaml"]
    assert files[0]["diagnostics"][0]["code"] == "not-a-file"
    assert files[1]["ok"] is True


# -- a file that cannot be read, in JSON ---------------------------------------------------------------
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def _without_file_permission_override() -> None:
    """In the child, before it runs: drop root's power to read any file (a plain user has none)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _needsmap(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``needsmap ARGS`` as a process (stopped after a while: it must not wait on a pipe) that cannot read
    files it has no permission for, as a plain user, even when the tests run as root."""
    return subprocess.run(
        [sys.executable, "-m", "needsmap", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_without_file_permission_override if os.geteuid() == 0 else None,  # noqa: PLW1509
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file permissions as Linux has them")
def test_validate_json_reports_an_unreadable_file(tmp_path: Path):
    (tmp_path / "locked.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked.yaml").chmod(0)
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    os.mkdir(tmp_path / "folder.yaml")
    result = _needsmap(
        tmp_path, "validate", "--format", "json", "locked.yaml", "missing.yaml", "folder.yaml", "good.yaml"
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == ""
    files = json.loads(result.stdout)["files"]
    assert [f["path"] for f in files] == ["locked.yaml", "missing.yaml", "folder.yaml", "good.yaml"]
    codes = {"locked.yaml": "cannot-read", "missing.yaml": "no-such-file", "folder.yaml": "not-a-file"}
    for entry in files[:3]:
        # the same shape as a file with errors: ok, counts, located diagnostics (no position: line 0)
        assert entry["readable"] is False and entry["ok"] is False
        assert entry["counts"] == {"error": 1, "warning": 0, "info": 0}
        (problem,) = entry["diagnostics"]
        assert problem["code"] == codes[entry["path"]]
        assert (problem["file"], problem["line"], problem["column"], problem["severity"]) == (
            entry["path"],
            0,
            0,
            "error",
        )
        assert entry["message"] == f"{entry['path']}: error: {problem['message']}"
    assert files[0]["diagnostics"][0]["message"] == "cannot read the file: Permission denied"
    assert files[3]["ok"] is True and files[3]["readable"] is True


def test_validate_text_says_why_a_file_cannot_be_read(tmp_path: Path):
    (tmp_path / "locked.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "locked.yaml").chmod(0)
    result = _needsmap(tmp_path, "validate", "locked.yaml")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "locked.yaml: error: cannot read the file: Permission denied"
