"""``python -m benchmarks.burst_keys`` once, on two of the burst tests: it runs them and says how many runs passed."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_one_run_of_two_burst_tests():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.burst_keys", "--runs", "1", "-k", "quick_note or dialog"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("1 of 1 passed"), done.stdout
    assert "2 passed, 6 deselected" in done.stdout + done.stderr
