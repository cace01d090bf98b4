"""Benchmark of the terminal UI: ``python -m benchmarks.tui [--scale enterprise] [--seed 1]``, from the
repository root.

Runs the real app headless (Textual's ``run_test``) on a synthetic workshop
and measures what a facilitator feels:

* **open**: from ``create_app`` (load, validate, lock) to the first screen on
  display, and to the first analysis shown in the status bar;
* **filter**: typing five characters into the filter of the attributes list
  (2,500 rows at enterprise scale), per keystroke, until the table is redrawn;
* **edit**: one edit in the matrix, until it is saved, and until the gap
  counter shows the new analysis.

Latencies are taken with ``time.perf_counter`` around the pilot's key presses (one sample per key or
edit, their median and maximum reported); the filtering itself is also timed without the pilot.

``--latency`` measures instead what a person sees: keystroke to screen, in a real terminal.  The app
runs in tmux (``needsmap open`` as a person starts it, 120x40), with the analysis running the whole
time: a thread in the app's process analyses the workshop from scratch over and over (the work the
app's own analysis worker does after opening a file or merging someone else's save, competing with
the UI for the interpreter).  Each key is sent with ``tmux send-keys`` and the screen is read
(``capture-pane``) until it shows the key's effect: the typed text in the filter of the attributes
list (every key refilters 2,500 rows at enterprise scale), and in the name of a new attribute (every
key searches the reference catalog and checks the form); half the keys are letters, half backspaces.
The same again with no analysis running, for comparison.  Median and 95th percentile per series.

A benchmark, not a test: figures go to docs/performance.md (the terminal UI, under "Results");
tests/benchmarks/test_tui.py runs it at the small scale to keep it working.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.timing import machine


async def _measure(path: Path) -> dict:
    from needsmap.tui.app import create_app

    t0 = time.perf_counter()
    app = create_app(path)
    created = time.perf_counter()
    figures: dict[str, float] = {"create_app_s": created - t0}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        figures["first_screen_s"] = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        figures["first_analysis_s"] = time.perf_counter() - t0

        await pilot.press("5")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("slash")  # into the filter (some letters are keys of the list)
        await pilot.pause()
        figures["attribute_rows"] = len(app.session.workshop.attributes)
        keystrokes = []
        for ch in "phone":
            k0 = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            keystrokes.append((time.perf_counter() - k0) * 1000)
        figures["filter_keystroke_ms_median"] = statistics.median(keystrokes)
        figures["filter_keystroke_ms_max"] = max(keystrokes)
        # the filtering itself, without the headless pilot's own delays per key press
        screen = app.screen
        direct = []
        for query in ("p", "ph", "pho", "phon", "phone", "", "e", "em", "ema", "emai"):
            f0 = time.perf_counter()
            screen._filter = query
            screen._apply_filter()
            direct.append((time.perf_counter() - f0) * 1000)
        figures["filter_work_ms_median"] = statistics.median(direct)
        figures["filter_work_ms_max"] = max(direct)

        await pilot.press("7")
        await pilot.pause()
        await app.workers.wait_for_complete()
        edits, refreshes = [], []
        for _ in range(7):
            e0 = time.perf_counter()
            await pilot.press("space")
            edits.append((time.perf_counter() - e0) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
            refreshes.append((time.perf_counter() - e0) * 1000)
            await pilot.press("right")
        figures["edit_saved_ms_median"] = statistics.median(edits)
        figures["edit_to_gaps_ms_median"] = statistics.median(refreshes)
        figures["edit_to_gaps_ms_max"] = max(refreshes)
    return figures


def measure(scale: str = "enterprise", seed: int = 1) -> dict[str, float]:
    """The figures of the terminal UI on the synthetic workshop of ``scale``: seconds (``_s``), milliseconds
    (``_ms``) and the number of attribute rows."""
    from needsmap.format.saver import dump
    from needsmap.synthetic.builder import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{scale}.yaml"
        path.write_text(dump(generate(scale, seed)), encoding="utf-8")
        return asyncio.run(_measure(path))


# -- keystroke to screen, in a real terminal, with the analysis running ----------------------------------
#: What the latency series type: words typed a letter at a time, then taken back a backspace at a time.
LATENCY_WORDS = ("phone", "email", "address", "birth")


def _snapshot(ws):
    """A workshop sharing the (never changed) items, with lists of its own: safe to read in a thread."""
    import dataclasses

    from needsmap.format import model as m

    return dataclasses.replace(ws, **{s: list(getattr(ws, s)) for s in m.ITEM_SECTIONS})


def run_app(path: Path, busy: bool, runs_file: Path | None, freeze: bool = True, gen2: int | None = None) -> None:
    """``needsmap open PATH``; with ``busy``, a thread analyses the workshop from scratch over and over.

    ``freeze=False`` runs the app without :data:`needsmap.tui.app.FREEZE_HEAP` (for comparison).  At the end
    the process's peak memory (kB) and the garbage collector's full (generation 2) passes, each as
    ``[wall-clock time, milliseconds]``, are written beside ``runs_file`` (``.rss``, JSON).
    """
    import gc
    import json
    import resource
    import threading

    from needsmap.analysis.engine import Analyser
    from needsmap.tui import app as app_module
    from needsmap.tui.app import create_app

    app_module.FREEZE_HEAP = freeze
    if gen2 is not None:  # a full pass after this many passes over the middle generation, once frozen
        app_module.FULL_PASS_AFTER = gen2

    app = create_app(path)
    stop = threading.Event()
    runs = [0]

    def analyse() -> None:
        while not stop.is_set():
            Analyser().analyse(_snapshot(app.session.workshop))
            runs[0] += 1
            if runs_file is not None:  # replaced whole, never truncated: the reader never sees it empty
                part = runs_file.with_name(runs_file.name + ".part")
                part.write_text(str(runs[0]), encoding="utf-8")
                os.replace(part, runs_file)

    full_passes: list[list[float]] = []
    started = [0.0]

    def collector(phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            full_passes.append([time.time(), (time.perf_counter() - started[0]) * 1000])

    gc.callbacks.append(collector)
    thread = threading.Thread(target=analyse, daemon=True) if busy else None
    if thread is not None:
        thread.start()
    try:
        app.run()
    finally:
        stop.set()
        if runs_file is not None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            stats = json.dumps({"peak_kb": peak, "full_passes": full_passes})
            runs_file.with_name(runs_file.name + ".rss").write_text(stats, encoding="utf-8")


def _typed_shown(line_marker: str, typed: str):
    """The screen shows exactly ``typed`` after ``line_marker`` (the field's label) on one line."""
    import re

    pattern = re.compile(re.escape(line_marker) + r"\s+" + re.escape(typed) + r"(\s|$)") if typed else None

    def shown(screen: str) -> bool:
        for line in screen.splitlines():
            if line_marker in line:
                if pattern is None:
                    return True
                if pattern.search(line):
                    return True
        return False

    return shown


def _series(term, marker: str, words: tuple[str, ...]) -> list[float]:
    """Milliseconds from each key sent to the screen showing it: each word typed, then backspaced away."""
    samples = []
    for word in words:
        steps = [(ch, word[: i + 1]) for i, ch in enumerate(word)]
        steps += [("BSpace", word[: len(word) - i - 1]) for i in range(len(word))]
        for key, expect in steps:
            ready = _typed_shown(marker, expect)
            t0 = time.perf_counter()
            term.send(key)
            term.wait_for(ready, f"{expect!r} after {marker!r}", timeout=30, poll=0.005)
            samples.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.05)  # a person's next key comes later than this
    return samples


def latency(
    scale: str = "enterprise",
    seed: int = 1,
    words: tuple[str, ...] = LATENCY_WORDS,
    freeze: bool = True,
    gen2: int | None = None,
) -> dict[str, float]:
    """Keystroke-to-screen milliseconds in tmux (median and p95), with the analysis running and without; and
    the app's peak memory (MB).  ``freeze=False``: the app without its ``gc.freeze()`` (for comparison)."""
    import json
    import sys

    from benchmarks import child_env
    from needsmap.format.saver import dump
    from needsmap.synthetic.builder import generate
    from tests.tui.tmux_driver import Terminal

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = dump(generate(scale, seed))
        for busy in (True, False):
            path = folder / f"{scale}-{'busy' if busy else 'idle'}.yaml"  # a file each: no draft left from the other
            path.write_text(text, encoding="utf-8")
            runs_file = folder / "analyses.txt"
            runs_file.unlink(missing_ok=True)
            runs_file.with_name(runs_file.name + ".rss").unlink(missing_ok=True)
            term = Terminal(120, 40)
            command = [sys.executable, "-m", "benchmarks.tui", "--app", str(path), "--runs-file", str(runs_file)]
            command += [] if freeze else ["--no-freeze"]
            command += [] if gen2 is None else ["--gen2", str(gen2)]
            env = {"PYTHONPATH": child_env()["PYTHONPATH"]}
            term.start([*command, "--busy"] if busy else command, folder, env=env)
            try:
                term.wait_for(lambda s: "Overview" in s, "the overview", timeout=120)
                term.wait_for(lambda s: "gaps" in s and "errors" in s, "the first analysis", timeout=120)
                term.send("5")
                term.wait_for(lambda s: "sensitivity" in s and "Filter" in s, "the attributes list", timeout=60)
                term.send("/")
                time.sleep(0.5)
                typing_from = time.time()
                filter_ms = _series(term, "Filter", words)
                term.send("Escape")
                time.sleep(0.5)
                term.send("a")
                term.wait_for(lambda s: "tab next field" in s, "the new attribute form", timeout=60)
                form_ms = _series(term, "name *", words)
                analyses = int(runs_file.read_text()) if runs_file.exists() else 0
                typing_to = time.time()
                term.send("Escape")
                time.sleep(0.3)
                term.send("C-q")  # quit: the app writes its peak memory as it ends
                rss = runs_file.with_name(runs_file.name + ".rss")
                deadline = time.monotonic() + 30
                while not rss.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                stats = json.loads(rss.read_text() or "{}") if rss.exists() else {}
                peak_kb = stats.get("peak_kb", 0)
                full = [ms for at, ms in stats.get("full_passes", []) if typing_from <= at <= typing_to]
            finally:
                term.close()
            tag = "busy" if busy else "idle"
            for name, samples in (("filter", filter_ms), ("form", form_ms)):
                figures[f"{name}_{tag}_ms_median"] = statistics.median(samples)
                figures[f"{name}_{tag}_ms_p95"] = statistics.quantiles(samples, n=20, method="inclusive")[-1]
            figures[f"keys_{tag}"] = len(filter_ms) + len(form_ms)
            figures[f"peak_rss_{tag}_mb"] = peak_kb / 1024
            figures[f"gc_full_passes_{tag}"] = len(full)  # while the keys were typed
            figures[f"gc_full_pass_{tag}_ms_max"] = max(full, default=0.0)
            if busy:
                figures["analyses_while_typing"] = analyses
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="enterprise", choices=["small", "medium", "enterprise"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency", action="store_true", help="keystroke to screen in tmux, analysis running")
    parser.add_argument("--app", type=Path, help=argparse.SUPPRESS)  # the app the latency series types into
    parser.add_argument("--busy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-freeze", action="store_true", help="with --latency: the app without gc.freeze() (for comparison)"
    )
    parser.add_argument(
        "--gen2", type=int, help="with --latency: FULL_PASS_AFTER of tui/app.py (for comparison; CPython's own: 10)"
    )
    parser.add_argument("--runs-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.app is not None:
        run_app(args.app, args.busy, args.runs_file, freeze=not args.no_freeze, gen2=args.gen2)
        return 0
    if args.latency:
        figures = latency(args.scale, args.seed, freeze=not args.no_freeze, gen2=args.gen2)
        print(f"machine: {machine()}")
        gc_note = "without gc.freeze()" if args.no_freeze else "with gc.freeze() once open"
        gc_note += "" if args.no_freeze or args.gen2 is None else f", a full pass every {args.gen2} middle ones"
        print(f"keystroke to screen in tmux (120x40), {args.scale} synthetic workshop (seed {args.seed}), {gc_note}:")
        for key, value in figures.items():
            unit = "ms" if key.endswith(("_ms_median", "_ms_p95", "_ms_max")) else "MB" if key.endswith("_mb") else ""
            print(f"  {key:<28} {value:8.1f} {unit}")
        return 0
    figures = measure(args.scale, args.seed)
    print(f"machine: {machine()}")
    print(f"terminal UI on the {args.scale} synthetic workshop (seed {args.seed}):")
    for key, value in figures.items():
        unit = "s" if key.endswith("_s") else "" if key == "attribute_rows" else "ms"
        print(f"  {key:<28} {value:8.2f} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
