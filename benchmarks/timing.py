"""How the benchmarks time things: the median of N runs of a function, with ``time.perf_counter``.

Garbage collection: before each run the collector is run to the end (``gc.collect()``), so garbage
left by earlier work is never collected, and charged, inside the run being timed.  During the run
the collector is left as the code measured sets it: needsmap pauses it itself where that pays
(the loader and the analysis, with :func:`needsmap.util.gcpause.gc_paused`), so the figures are
what a user gets.  ``pause_gc=True`` pauses it for the whole run instead, with the same
``gc_paused``, to time work without any collection.

:func:`machine` describes the machine, for the header of every benchmark's output: figures are
only comparable on the same machine (docs/performance.md records it with each set of figures).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Generic, TypeVar

from needsmap.util.gcpause import gc_paused

T = TypeVar("T")


@dataclass(frozen=True)
class Timing(Generic[T]):
    """The seconds of every run, in order, and what the last run returned."""

    seconds: tuple[float, ...]
    result: T

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def fastest(self) -> float:
        return min(self.seconds)

    @property
    def median_ms(self) -> float:
        return self.median * 1000

    @property
    def fastest_ms(self) -> float:
        return self.fastest * 1000


def measure(fn: Callable[[], T], repeat: int = 5, *, pause_gc: bool = False) -> Timing[T]:
    """Run ``fn()`` ``repeat`` times, timing each run (see the module's note on garbage collection)."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, not {repeat}")
    seconds: list[float] = []
    result: T
    for _ in range(repeat):
        gc.collect()
        with gc_paused() if pause_gc else nullcontext():
            start = time.perf_counter()
            result = fn()
            seconds.append(time.perf_counter() - start)
    return Timing(tuple(seconds), result)


def measure_phases(fn: Callable[[Callable[[str], None]], object], repeat: int = 5) -> dict[str, Timing[None]]:
    """Run ``fn(lap)`` ``repeat`` times and time its phases: ``lap(NAME)`` ends the phase NAME (which began
    where the run, or the previous phase, did).  For runs whose steps share their data (read a file, then
    match what was read, then plan)."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, not {repeat}")
    laps: dict[str, list[float]] = {}
    last = 0.0

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        laps.setdefault(name, []).append(now - last)
        last = now

    for _ in range(repeat):
        gc.collect()
        last = time.perf_counter()
        fn(lap)
    return {name: Timing(tuple(seconds), None) for name, seconds in laps.items()}


def median_ms(fn: Callable[[], object], repeat: int = 5, *, pause_gc: bool = False) -> float:
    """The median of ``repeat`` runs of ``fn()``, in milliseconds."""
    return measure(fn, repeat, pause_gc=pause_gc).median_ms


def machine_info() -> dict[str, object]:
    """The processor, the number of CPUs, Python and the operating system."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "processor": cpu,
        "cpus": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
    }


def machine() -> str:
    """One line: the processor, the number of cores, Python and the operating system."""
    info = machine_info()
    return f"{info['processor']}, {info['cpus']} cores, {info['python']}, {platform.system()}"


def scale_parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """The command line of a benchmark that times work on a synthetic workshop: ``--scale`` (enterprise by
    default), ``--seed`` and ``--repeat`` (the median of how many runs); ``python -m benchmarks.MODULE``."""
    from needsmap.synthetic import builder as synthetic

    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{module}", description=(doc or "").split("\n\n")[0])
    parser.add_argument("--scale", default="enterprise", choices=sorted(synthetic.SCALES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    return parser
