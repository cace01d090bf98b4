"""The burst-key tests many times in a row: ``python -m benchmarks.burst_keys [--runs 100] [--load 2]``, from the
repository root.

Runs ``tests/tui/test_burst_keys.py`` (keys sent at machine speed through the pilot and through tmux
``send-keys``: forms, the linker, dropdowns, the quick note, filter and Enter, dialogs, the analysis) ``--runs``
times, each run a fresh pytest in this process, and prints ``N of N passed``.  ``--load K`` keeps K
processes spinning on the processor meanwhile (``while True: pass``), the loaded machine on which keys
were lost before.  A run that fails is reported with the names of its failed tests; the exit status
is 1 unless every run passed.  A check, not a figure of speed: the time per run is printed for the record.
The counts are recorded in docs/performance.md ("Bursts of keys, many times in a row");
tests/benchmarks/test_burst_keys.py runs it once, one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "tui" / "test_burst_keys.py"


class _Failures:
    """A pytest plugin that notes the tests that failed."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed:
            self.failed.append(f"{report.nodeid.split('::')[-1]} ({report.when})")


def run_once(selection: str = "") -> list[str]:
    """One pytest run of the burst tests (``selection``: a ``-k`` expression); the failed tests."""
    import pytest

    failures = _Failures()
    args = [str(TESTS), "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", "--tb=line"]
    if selection:
        args += ["-k", selection]
    code = pytest.main(args, plugins=[failures])
    if code not in (0, pytest.ExitCode.OK) and not failures.failed:
        failures.failed.append(f"pytest exit status {int(code)}")
    return failures.failed


def spin(count: int) -> list[subprocess.Popen]:
    """``count`` processes that keep a processor busy until they are stopped."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def loop(runs: int, *, load: int = 0, selection: str = "") -> tuple[int, list[tuple[int, list[str]]], float]:
    """Run the burst tests ``runs`` times: (runs passed, [(run, failed tests)], seconds per run)."""
    spinners = spin(load)
    failed: list[tuple[int, list[str]]] = []
    start = time.perf_counter()
    try:
        for n in range(1, runs + 1):
            bad = run_once(selection)
            if bad:
                failed.append((n, bad))
            print(f"run {n}: {'FAILED ' + ', '.join(bad) if bad else 'passed'}", file=sys.stderr, flush=True)
    finally:
        for process in spinners:
            process.kill()
            process.wait()
    return runs - len(failed), failed, (time.perf_counter() - start) / max(runs, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.burst_keys", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--load", type=int, default=0, help="processes spinning on the processor meanwhile")
    parser.add_argument("-k", dest="selection", default="", help="only the tests this pytest -k expression selects")
    args = parser.parse_args(argv)
    passed, failed, per_run = loop(args.runs, load=args.load, selection=args.selection)
    for n, bad in failed:
        print(f"run {n} failed: {', '.join(bad)}")
    load = f", {args.load} processes spinning" if args.load else ""
    print(f"{passed} of {args.runs} passed ({per_run:.1f} s a run{load})")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
