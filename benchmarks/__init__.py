"""Benchmarks of needsmap: the figures of docs/performance.md and docs/reliability.md (not shipped in the wheel).

Run each from the repository root as ``python -m benchmarks.NAME`` (``--help`` lists its options):

* ``workshop``: load, validate, graph, analysis, re-analysis, peak memory, the HTML report, per scale;
* ``draft``: the model draft and every format it is written in;
* ``roadmap``: the roadmap's options, waves and scores;
* ``matching``: matching source columns to attributes;
* ``ddl``: the ``needsmap import ddl`` path (read, match, plan);
* ``tui``: the terminal UI, headless (open, filter, edit); ``--latency``: keystroke to screen in tmux, analysis running;
* ``reentry``: the energy-supplier workshop typed into the terminal UI in tmux at machine speed, compared item for item;
* ``report_load``: the HTML report in headless Chromium (load time, DOM size, height, printed pages);
* ``killtest``: SIGKILL at random moments while editing (docs/reliability.md);
* ``race``: needsmap and an outside program saving the same file at once (docs/reliability.md).

Each times with :mod:`benchmarks.timing`; each has a smoke test at the smallest scale in tests/benchmarks/.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: the folder that holds this package.
ROOT = Path(__file__).resolve().parents[1]


def child_env() -> dict[str, str]:
    """The environment for a child Python that runs ``-m benchmarks...``: this one, with the repository root
    first on ``PYTHONPATH``, so the child finds the package whatever its current folder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env
