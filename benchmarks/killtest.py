"""Kill test: ``python -m benchmarks.killtest [--scale enterprise] [--iterations 1000] [--json FILE]``, from the
repository root.

Checks the promise of :mod:`needsmap.collab.session` that every acknowledged edit is
on disk and the file is always valid, whatever moment the process dies at.

Each iteration starts a child process (``python -m benchmarks.killtest child
FILE SEQ``, with the repository root on its ``PYTHONPATH``) that opens the workshop with :class:`needsmap.collab.session.Session` and
edits it in a loop, printing ``ack SEQ`` after each edit is saved.  The parent
sends it SIGKILL at a random moment (while it starts, loads, renders, writes,
renames...), then loads the file and checks that

* it opens with no error (:func:`needsmap.format.opening.open_workshop`);
* every acknowledged edit is in it: an edit sets an attribute's definition to
  ``kill test edit SEQ``, or (every fifth) adds a note ``kt-SEQ``; the edit that
  was in flight when the child died may or may not be there, nothing else may.

A calibration run (no kill) measures how long a child takes to start (until
it prints ``ready``, the file loaded) and to make one edit.  A fifth of the
kills then land at a random moment of the start-up, the others at a random
moment of the first ``--edits-span`` edits after ``ready``: while an edit is
applied, rendered, written to the temporary file, fsynced, renamed over the
workshop, or acknowledged.  SIGKILL stops the process, not the machine: the operating system still
writes what the process handed to it, so this checks the program's ordering
(temporary file, fsync, rename), not the disk's.

This is a campaign, not a test (tests/benchmarks/test_killtest.py runs a short one); the
figures measured are recorded in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks import child_env
from benchmarks.timing import machine_info

NOTE_EVERY = 5
NOTE_PREFIX = "kt-"
#: The share of kills that land while the child starts (the others land while it edits).
START_SHARE = 0.2


def marker(seq: int) -> str:
    return f"kill test edit {seq}"


def is_note_edit(seq: int) -> bool:
    return seq % NOTE_EVERY == NOTE_EVERY - 1


def attribute_for(seq: int, ids: list[str]) -> str:
    return ids[(seq * 7919) % len(ids)]


# -- the child -------------------------------------------------------------------------------
def child(path: Path, seq: int, edits: int | None) -> int:
    """Open ``path`` and edit it until killed (or ``edits`` times), acknowledging each saved edit."""
    from needsmap.collab.session import Session
    from needsmap.format import model as m

    session = Session.open(path)
    ids = [a.id for a in session.workshop.attributes]
    print("ready", flush=True)
    done = 0
    while edits is None or done < edits:
        if is_note_edit(seq):
            session.add("notes", m.Note(id=f"{NOTE_PREFIX}{seq}", kind="idea", text=marker(seq)))
        else:
            session.update("attributes", session.find("attributes", attribute_for(seq, ids)), definition=marker(seq))
        if session.conflict or session.last_error:
            print(f"fail {seq} {session.conflict or session.last_error}", flush=True)
            return 1
        print(f"ack {seq}", flush=True)
        seq += 1
        done += 1
    session.close()
    return 0


# -- the parent ------------------------------------------------------------------------------
@dataclass
class Figures:
    scale: str
    file_bytes: int
    iterations: int = 0
    kills: int = 0  # children killed by us
    kills_starting: int = 0  # ... of which while starting (the others while editing)
    kills_survived: int = 0  # ... after which the file was valid and held every acknowledged edit
    acknowledged_edits: int = 0
    edits_lost: int = 0
    invalid_files: int = 0
    phantom_edits: int = 0  # edits in the file that were never made
    in_flight_landed: int = 0  # edits saved but killed before the acknowledgement
    children_failed: int = 0  # exited on their own (crash, conflict)
    stray_temp_files: int = 0
    start_s: float = 0.0  # a child's start-up, to "ready" (calibration)
    edit_s: float = 0.0  # one edit, saved and acknowledged (calibration)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _command(path: Path, seq: int, edits: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "benchmarks.killtest", "child", str(path), str(seq)]
    if edits is not None:
        cmd += ["--edits", str(edits)]
    return cmd


def _run_child(
    path: Path, seq: int, kill: tuple[str, float] | None, edits: int | None = None
) -> tuple[list[int], int, str, dict[str, float]]:
    """Run a child; ``kill`` is (``"start"`` or ``"ready"``, seconds): SIGKILL that long after it was
    started, or after it said ``ready``.  Returns (acknowledged seqs, return code, errors, timings)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        _command(path, seq, edits), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    timer: threading.Timer | None = None

    def arm(delay: float) -> None:
        nonlocal timer
        timer = threading.Timer(delay, proc.send_signal, (signal.SIGKILL,))
        timer.start()

    if kill is not None and kill[0] == "start":
        arm(kill[1])
    acks: list[int] = []
    failures: list[str] = []
    timings: dict[str, float] = {}
    assert proc.stdout is not None and proc.stderr is not None
    for line in proc.stdout:
        word, _, rest = line.strip().partition(" ")
        if word == "ready":
            timings["ready"] = time.perf_counter() - started
            if kill is not None and kill[0] == "ready":
                arm(kill[1])
        elif word == "ack":
            acks.append(int(rest))
        elif word == "fail":
            failures.append(rest)
    err = proc.stderr.read()
    code = proc.wait()
    timings["end"] = time.perf_counter() - started
    if timer is not None:
        timer.cancel()
    return acks, code, "\n".join(failures) + err, timings


class Checker:
    """What the file must hold: the expected definitions of the edited attributes, the notes added."""

    def __init__(self, path: Path) -> None:
        from needsmap.format.model import ITEM_SECTIONS
        from needsmap.format.opening import open_workshop

        ws = open_workshop(path).workshop
        assert ws is not None
        self.path = path
        self.ids = [a.id for a in ws.attributes]
        self.definitions = {a.id: a.definition for a in ws.attributes}
        self.notes = {n.id for n in ws.notes if n.id.startswith(NOTE_PREFIX)}
        #: the items of every section: edits change definitions and add notes, never remove an item
        self.items = {section: {i.id for i in ws.section(section)} for section in ITEM_SECTIONS}

    def check(self, acks: list[int], in_flight: int) -> tuple[bool, int, int, bool, str]:
        """(valid, lost, phantom, in-flight landed, message) after a child acknowledged ``acks``."""
        from needsmap.format.opening import OpenError, open_workshop

        try:
            result = open_workshop(self.path)
        except OpenError as exc:
            return False, len(acks), 0, False, str(exc)
        errors = [d.render() for d in result.diagnostics if d.severity == "error"]
        if errors or result.workshop is None:
            return False, len(acks), 0, False, "; ".join(errors[:3])
        ws = result.workshop
        expected_defs = dict(self.definitions)
        expected_notes = set(self.notes)
        for seq in acks:
            if is_note_edit(seq):
                expected_notes.add(f"{NOTE_PREFIX}{seq}")
            else:
                expected_defs[attribute_for(seq, self.ids)] = marker(seq)
        actual_defs = {a.id: a.definition for a in ws.attributes}
        gone = {section: len(ids - {i.id for i in ws.section(section)}) for section, ids in self.items.items()}
        if any(gone.values()):  # a cut that happens to parse (it ends at a line end) is still a broken file
            lost_items = ", ".join(f"{n} {section}" for section, n in gone.items() if n)
            return False, len(acks), 0, False, f"items are gone ({lost_items}): the file was cut"
        actual_notes = {n.id for n in ws.notes if n.id.startswith(NOTE_PREFIX)}
        landed = False
        if is_note_edit(in_flight):
            flight_note = f"{NOTE_PREFIX}{in_flight}"
            if flight_note in actual_notes and flight_note not in expected_notes:
                landed = True
                expected_notes.add(flight_note)
        else:
            attr = attribute_for(in_flight, self.ids)
            if actual_defs.get(attr) == marker(in_flight) and expected_defs.get(attr) != marker(in_flight):
                landed = True
                expected_defs[attr] = marker(in_flight)
        lost = sum(
            1
            for seq in acks
            if (
                f"{NOTE_PREFIX}{seq}" not in actual_notes
                if is_note_edit(seq)
                else actual_defs.get(attribute_for(seq, self.ids))
                not in (marker(s) for s in _later_same_target(seq, acks, in_flight, self.ids))
            )
        )
        # changed, but neither to what was acknowledged nor left as it was (a lost edit leaves it as it was)
        phantom = len(actual_notes - expected_notes) + sum(
            1 for k, v in actual_defs.items() if v != expected_defs.get(k) and v != self.definitions.get(k)
        )
        # the file as it is now is the baseline for the next iteration
        self.definitions = actual_defs
        self.notes = actual_notes
        return True, lost, phantom, landed, ""


def _later_same_target(seq: int, acks: list[int], in_flight: int, ids: list[str]) -> list[int]:
    """``seq`` and the later edits (acknowledged or in flight) of the same attribute: any may be on disk."""
    target = attribute_for(seq, ids)
    return [s for s in [*acks, in_flight] if s >= seq and not is_note_edit(s) and attribute_for(s, ids) == target]


def calibrate(path: Path, edits: int) -> tuple[float, float]:
    """(seconds to start, seconds per edit) of a child making ``edits`` edits (no kill)."""
    acks, code, err, timings = _run_child(path, 10**9, None, edits=edits)
    if code != 0 or len(acks) != edits or "ready" not in timings:
        raise RuntimeError(f"calibration run failed (exit {code}): {err.strip()[-2000:]}")
    return timings["ready"], (timings["end"] - timings["ready"]) / edits


def campaign(scale: str, iterations: int, seed: int, folder: Path, edits_span: int = 10, progress=None) -> Figures:
    """Write a synthetic workshop of ``scale`` in ``folder`` and kill ``iterations`` children editing it."""
    from needsmap.format.saver import save
    from needsmap.synthetic.builder import generate

    path = folder / f"killtest-{scale}.yaml"
    save(generate(scale, seed), path)
    start_s, edit_s = calibrate(path, 10)
    # the calibration's edits use their own sequence numbers; re-baseline after it
    checker = Checker(path)
    figures = Figures(scale=scale, file_bytes=path.stat().st_size, start_s=round(start_s, 3), edit_s=round(edit_s, 4))
    rng = random.Random(seed)
    seq = 0
    started = time.perf_counter()
    for i in range(iterations):
        if rng.random() < START_SHARE:
            kill = ("start", rng.uniform(0, start_s))
        else:
            kill = ("ready", rng.uniform(0, edits_span * edit_s))
        acks, code, err, _ = _run_child(path, seq, kill)
        in_flight = (acks[-1] + 1) if acks else seq
        figures.iterations += 1
        figures.acknowledged_edits += len(acks)
        killed = code == -signal.SIGKILL
        if killed:
            figures.kills += 1
            if kill[0] == "start":
                figures.kills_starting += 1
        else:
            figures.children_failed += 1
            figures.problems.append(f"iteration {i}: child exited {code}: {err.strip()[-500:]}")
        valid, lost, phantom, landed, message = checker.check(acks, in_flight)
        figures.edits_lost += lost
        figures.phantom_edits += phantom
        figures.in_flight_landed += landed
        if not valid:
            figures.invalid_files += 1
            figures.problems.append(f"iteration {i}: invalid file: {message}")
            break  # nothing sensible to compare against any more
        if lost or phantom:
            figures.problems.append(f"iteration {i}: {lost} edit(s) lost, {phantom} phantom(s)")
        if killed and valid and not lost and not phantom:
            figures.kills_survived += 1
        seq = in_flight + 1
        if progress is not None:
            progress(i + 1, figures)
    figures.seconds = round(time.perf_counter() - started, 1)
    figures.stray_temp_files = len(list(folder.glob(f".{path.name}.*.needsmap-tmp")))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.killtest", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode")
    c = sub.add_parser("child", help="(internal) edit FILE until killed")
    c.add_argument("file", type=Path)
    c.add_argument("seq", type=int)
    c.add_argument("--edits", type=int)
    parser.add_argument("--scale", default="enterprise")
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--edits-span",
        type=int,
        default=10,
        help="kill within the time a child takes to make this many edits (after it started)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.mode == "child":
        return child(args.file, args.seq, args.edits)

    def progress(n: int, f: Figures) -> None:
        if n % 50 == 0 or n == args.iterations:
            print(
                f"{n}/{args.iterations}: {f.kills_survived} kills survived, {f.acknowledged_edits} edits "
                f"acknowledged, {f.edits_lost} lost",
                file=sys.stderr,
                flush=True,
            )

    with tempfile.TemporaryDirectory(prefix="needsmap-killtest-") as tmp:
        figures = campaign(args.scale, args.iterations, args.seed, Path(tmp), args.edits_span, progress)
    report = {**asdict(figures), "machine": machine_info()}
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    ok = figures.edits_lost == 0 and figures.invalid_files == 0 and figures.phantom_edits == 0
    return 0 if ok and not figures.children_failed else 1


if __name__ == "__main__":
    sys.exit(main())
