"""``python -m benchmarks.draft`` at the small scale, once: a figure for the draft and every format."""

from __future__ import annotations

from benchmarks import draft
from needsmap.draft.render import DIALECTS, FORMATS
from tests.benchmarks.conftest import assert_positive


def test_small_scale_once(capsys):
    figures = draft.measure("small", seed=1, repeat=1)
    assert_positive(figures, ("attributes", "tables", "columns", "open_decisions"))
    steps = [f"sql --dialect {d}" for d in DIALECTS] + [f for f in FORMATS if f != "sql"]
    assert set(figures["ms"]) == {"draft (draft_model)", *steps}
    assert_positive(figures["ms"], figures["ms"])
    assert draft.main(["--scale", "small", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "small seed 1: 50 attributes" in printed and "sql --dialect postgres" in printed
