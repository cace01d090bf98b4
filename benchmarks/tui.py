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
edit, their median and maximum reported); the filtering itself is also timed without the pilot.  A
benchmark, not a test: figures go to docs/performance.md (the terminal UI, under "Results");
tests/benchmarks/test_tui.py runs it at the small scale to keep it working.
"""

from __future__ import annotations

import argparse
import asyncio
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="enterprise", choices=["small", "medium", "enterprise"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = measure(args.scale, args.seed)
    print(f"machine: {machine()}")
    print(f"terminal UI on the {args.scale} synthetic workshop (seed {args.seed}):")
    for key, value in figures.items():
        unit = "s" if key.endswith("_s") else "" if key == "attribute_rows" else "ms"
        print(f"  {key:<28} {value:8.2f} {unit}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
