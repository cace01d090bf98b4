"""Outside-writer race: ``python -m benchmarks.race [--minutes 10] [--scale medium] [--writer locking|blind]``,
from the repository root.

Checks that nobody's saved work is lost while needsmap and another program
save the same workshop at the same time.  Two processes write the file:

* **needsmap**: a child process (``python -m benchmarks.race editor FILE``)
  edits it through :class:`needsmap.collab.session.Session`, as the terminal UI
  does: it adds a note ``race-N`` (a few per second), prints ``ack N`` after
  each one is saved, and merges the file from disk every two seconds
  (:meth:`Session.sync_with_disk`, the UI's poll);
* **an outside program** (a thread of the parent, not using needsmap): about
  twice a second it reads the file, sets one stakeholder's ``role`` to
  ``outside edit K`` by editing the text, writes a new file beside it and
  renames it over the workshop, as editors and scripts save.  With
  ``--writer locking`` it holds ``flock`` on the workshop from its read to
  its rename (the protocol docs/collaboration.md asks of programs that
  write a workshop someone has open); with ``--writer blind`` it takes no lock
  and checks nothing, like the writer that found lost saves in the first
  place.

At the end the editor merges a last time and stops; the parent loads the file
and checks that it opens without error, that every acknowledged note is in
it, and that each stakeholder's role is the last value the outside program
wrote to it (an outside edit is acknowledged when its rename returned).  A
blind writer can itself put back an older version over one of needsmap's
saves (it read the file before that save); those are counted apart
(``ours_overwritten_by_blind_writer``): the edit was lost by the other
program, not by needsmap, and needsmap never reverts theirs.

This is a campaign, not a test (tests/benchmarks/test_race.py runs a short
one); the figures measured are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import child_env
from benchmarks.timing import machine_info

NOTE_PREFIX = "race-"
SYNC_SECONDS = 2.0


# -- the needsmap side ----------------------------------------------------------------------------
def editor(path: Path, pause: float) -> int:
    """Add acknowledged notes until told to stop on stdin, merging the file from disk every two seconds."""
    from needsmap.collab.session import Session
    from needsmap.format import model as m

    session = Session.open(path)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    print("ready", flush=True)
    seq = 0
    last_sync = time.monotonic()
    rng = random.Random(os.getpid())
    while not stop.is_set():
        session.add("notes", m.Note(id=f"{NOTE_PREFIX}{seq}", kind="idea", text=f"race edit {seq}"))
        if session.conflict or session.last_error or session.pending_conflicts:
            print(f"fail {seq} {session.conflict or session.last_error or session.pending_conflicts}", flush=True)
            return 1
        print(f"ack {seq}", flush=True)
        seq += 1
        if time.monotonic() - last_sync > SYNC_SECONDS:
            session.sync_with_disk()
            last_sync = time.monotonic()
        time.sleep(rng.uniform(0, pause))
    result = session.sync_with_disk()
    print(f"done {result.kind}", flush=True)
    session.close()
    return 0


# -- the outside program -----------------------------------------------------------------------------
_ROLE = re.compile(r"^(  - id: (?P<id>[^\n]+)\n(?:    (?!role:)[^\n]*\n)*?)    role: [^\n]*\n", re.M)


def outside_edit(text: str, stakeholder: str, value: str) -> str:
    """``text`` with the role of ``stakeholder`` set to ``value`` (the line replaced, as an editor would)."""
    for match in _ROLE.finditer(text):
        if match.group("id") == stakeholder:
            return text[: match.start()] + match.group(1) + f"    role: {value}\n" + text[match.end() :]
    raise ValueError(f"no role line for stakeholder {stakeholder}")


def _save_by_rename(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.outside-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def outside_save(path: Path, stakeholder: str, value: str, locking: bool) -> None:
    if not locking:
        _save_by_rename(path, outside_edit(path.read_text(encoding="utf-8"), stakeholder, value))
        return
    while True:
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:
                continue  # replaced while we waited: lock the new file
            data = b""
            while chunk := os.pread(fd, 1 << 20, len(data)):
                data += chunk
            _save_by_rename(path, outside_edit(data.decode("utf-8"), stakeholder, value))
            return
        finally:
            os.close(fd)


# -- the parent --------------------------------------------------------------------------------------
@dataclass
class Figures:
    scale: str
    writer: str
    file_bytes: int
    seconds: float = 0.0
    our_edits_acknowledged: int = 0
    our_edits_lost: int = 0
    ours_overwritten_by_blind_writer: int = 0
    outside_edits: int = 0
    outside_edits_lost: int = 0
    invalid_file: bool = False
    editor_failed: bool = False
    final_merge: str = ""
    problems: list[str] = field(default_factory=list)


def campaign(scale: str, seconds: float, writer: str, folder: Path, seed: int = 1, pause: float = 0.2) -> Figures:
    from needsmap.format.opening import open_workshop
    from needsmap.format.saver import save
    from needsmap.synthetic.builder import generate

    path = folder / f"race-{scale}.yaml"
    ws = generate(scale, seed)
    stakeholders = [s.id for s in ws.stakeholders if s.role]
    save(ws, path)
    figures = Figures(scale=scale, writer=writer, file_bytes=path.stat().st_size)
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.race", "editor", str(path), "--pause", str(pause)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    assert proc.stdout is not None and proc.stdin is not None
    if proc.stdout.readline().strip() != "ready":
        figures.editor_failed = True
        figures.problems.append(proc.stderr.read() if proc.stderr else "the editor did not start")
        return figures
    acks: list[int] = []
    lines: list[str] = []

    def read_acks() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("ack "):
                acks.append(int(line.split()[1]))

    reader = threading.Thread(target=read_acks, daemon=True)
    reader.start()
    rng = random.Random(seed)
    last_value: dict[str, str] = {}
    start = time.monotonic()
    k = 0
    while time.monotonic() - start < seconds and proc.poll() is None:
        time.sleep(rng.uniform(0.2, 0.8))
        who = stakeholders[k % len(stakeholders)]
        value = f"outside edit {k}"
        outside_save(path, who, value, locking=writer == "locking")
        last_value[who] = value
        k += 1
    figures.outside_edits = k
    proc.stdin.close()
    code = proc.wait(120)
    reader.join(10)
    figures.seconds = round(time.monotonic() - start, 1)
    figures.editor_failed = code != 0
    if code != 0:
        figures.problems.extend(line for line in lines if line.startswith("fail"))
        figures.problems.append((proc.stderr.read() if proc.stderr else "")[-2000:])
    figures.final_merge = next((line.split()[1] for line in lines if line.startswith("done ")), "")
    figures.our_edits_acknowledged = len(acks)
    result = open_workshop(path)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors or result.workshop is None:
        figures.invalid_file = True
        figures.problems.append(errors[0].render() if errors else "cannot be read")
        return figures
    notes = {n.id for n in result.workshop.notes}
    missing = [seq for seq in acks if f"{NOTE_PREFIX}{seq}" not in notes]
    roles = {s.id: s.role for s in result.workshop.stakeholders}
    figures.outside_edits_lost = sum(1 for who, value in last_value.items() if roles.get(who) != value)
    if writer == "blind":
        figures.ours_overwritten_by_blind_writer = len(missing)
    else:
        figures.our_edits_lost = len(missing)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.race", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    e = sub.add_parser("editor", help="(internal) the needsmap side")
    e.add_argument("file", type=Path)
    e.add_argument("--pause", type=float, default=0.2)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--writer", choices=("locking", "blind"), default="locking")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.command == "editor":
        return editor(args.file, args.pause)
    with tempfile.TemporaryDirectory(prefix="needsmap-race-") as folder:
        figures = campaign(args.scale, args.minutes * 60, args.writer, Path(folder), args.seed)
    out = {"machine": machine_info(), **asdict(figures)}
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    bad = figures.our_edits_lost or figures.outside_edits_lost or figures.invalid_file or figures.editor_failed
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
