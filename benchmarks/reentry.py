"""The whole energy-supplier workshop re-entered through the terminal UI at machine speed:
``python -m benchmarks.reentry [--size 120x40]``, from the repository root (needs tmux).

Starts ``needsmap open`` in tmux on a file made as ``needsmap new`` makes it, types every item of
tests/data/energy-supplier.yaml (8 stakeholders, 34 attributes, 6 systems with 62 holdings and 7
feeds, 8 use cases with 66 needs, 2 processes with 7 steps, 3 quick notes: some 9,400 keys), each form,
picker and note as one burst with no pause between its keys, quits, and compares the saved file with
the intended one item for item (tests/tui/reentry.py).  Prints the time of each burst, the total, the
keys per second and every difference; exits 1 when there is one.

tests/tui/test_tmux_reentry.py types a part of the same workshop in the suite.  The figures are recorded in
docs/performance.md ("A whole workshop re-entered at machine speed"); tests/benchmarks/test_reentry.py checks it still runs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchmarks import ROOT
from benchmarks.timing import machine

#: What a burst is, by the start of what it waits for (see tests.tui.reentry.plan).
KINDS = (
    ("the holdings of", "holdings"),
    ("the needs of", "needs"),
    ("the feed", "feeds"),
    ("what step", "step links"),
    ("step ", "steps"),
    ("stakeholder ", "stakeholders"),
    ("attribute ", "attributes"),
    ("system ", "systems"),
    ("use case ", "use cases"),
    ("process ", "processes"),
    ("note ", "notes"),
)


def kind_of(what: str) -> str:
    """``the holdings of crm`` -> ``holdings``; screens, filters and selections are ``moving about``."""
    return next((kind for start, kind in KINDS if what.startswith(start)), "moving about")


def reenter(size: tuple[int, int] = (120, 40), log=print) -> dict[str, object]:
    """Type the whole workshop; the figures and the differences found (an empty list: equal)."""
    from needsmap.format.saver import save
    from needsmap.format.starter import new_workshop
    from tests.tui import reentry
    from tests.tui.tmux_driver import Terminal

    intended = reentry.load(reentry.INTENDED)
    plan = reentry.plan(intended)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "energy.yaml"
        save(new_workshop(intended.workshop.name, target=path), path)
        term = Terminal(*size)
        command = shutil.which("needsmap", path=str(Path(sys.executable).parent)) or "needsmap"
        term.start([command, "open", str(path)], folder, env={"PYTHONPATH": str(ROOT)})
        t0 = time.monotonic()
        try:
            term.wait_for(lambda s: "Overview" in s or "Home" in s, "the overview", timeout=60)
            reentry.run_plan(term, plan, timeout=30, log=log)
            term.send("q")
            term.wait_exit()
        finally:
            term.close()
        total = time.monotonic() - t0
        saved = reentry.load(path)
    by_kind: dict[str, float] = defaultdict(float)
    for burst in plan.bursts:
        by_kind[kind_of(burst.what)] += burst.seconds
    keys = sum(reentry.key_count(b.keys) for b in plan.bursts)
    return {
        "total_s": total,
        "keys": keys,
        "keys_per_s": keys / total,
        "bursts": len(plan.bursts),
        "seconds_by_kind": dict(by_kind),
        "differences": reentry.differences(saved, intended),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reentry", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="120x40", help="terminal size, COLUMNSxLINES (default 120x40)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    figures = reenter((width, height))
    print(f"machine: {machine()}")
    print(f"the energy-supplier workshop re-entered at {width}x{height}:")
    print(f"  {figures['keys']} keys in {figures['bursts']} bursts, {figures['total_s']:.1f} s")
    print(f"  {figures['keys_per_s']:.1f} keys/s")
    for kind, seconds in sorted(figures["seconds_by_kind"].items(), key=lambda kv: -kv[1]):  # type: ignore[attr-defined]
        print(f"    {kind:<14} {seconds:7.1f} s")
    differences = figures["differences"]
    assert isinstance(differences, list)
    if differences:
        print(f"{len(differences)} difference(s) from the intended file:")
        for line in differences:
            print(f"  {line}")
        return 1
    print("the saved file equals the intended one, item for item")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
