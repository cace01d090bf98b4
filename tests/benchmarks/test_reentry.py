"""``python -m benchmarks.reentry`` types the whole energy-supplier workshop: its plan covers every item.

(Typing it takes minutes; tests/tui/test_tmux_reentry.py types a part of it in the suite.)
"""

from __future__ import annotations

from benchmarks import reentry as bench
from tests.tui import reentry


def test_the_plan_types_every_item_of_the_workshop():
    ws = reentry.load(reentry.INTENDED)
    plan = reentry.plan(ws)
    whats = [b.what for b in plan.bursts]

    def count(prefix: str) -> int:
        return sum(1 for w in whats if w.startswith(prefix))

    assert count("stakeholder ") == len(ws.stakeholders) == 8
    assert count("attribute ") == len(ws.attributes) == 34
    assert count("system ") == len(ws.systems) == 6
    assert count("use case ") == len(ws.use_cases) == 8
    assert count("process ") == len(ws.processes) == 2
    assert count("note ") == len(ws.notes) == 3
    assert count("the feed ") == sum(len(s.feeds) for s in ws.systems) == 7
    assert count("step ") == sum(len(p.steps) for p in ws.processes) == 7
    holdings = [b for b in plan.bursts if b.what.startswith("the holdings of")]
    assert sum(k in ("m", "c", "d") for b in holdings for k in b.keys) == sum(len(s.holds) for s in ws.systems) == 62
    needs = [b for b in plan.bursts if b.what.startswith("the needs of")]
    assert sum(k in ("m", "s", "c") for b in needs for k in b.keys) == sum(len(u.needs) for u in ws.use_cases) == 66
    assert sum(reentry.key_count(b.keys) for b in plan.bursts) > 9000
    assert callable(bench.main)
