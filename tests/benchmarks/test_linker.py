"""``python -m benchmarks.linker`` at the small scale, once: every labelled part measured, keystrokes timed."""

from __future__ import annotations

from benchmarks import linker


def test_small_scale_once(capsys):
    figures = linker.quality()
    assert set(figures) == {"tune", "held-out", "dev", "unseen"}
    for part, row in figures.items():
        assert row["phrases"] == row["right"] + row["wrong_link"] + row["missed_link"] + row["linked_not_new"], part
        assert row["right"] > 0, part
    timing = linker.keystrokes("small", seed=1, repeat=1)
    assert timing["keystrokes"] > 1000 and 0 < timing["median_ms"] <= timing["p95_ms"]
    assert linker.main(["--scale", "small", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "| unseen | 105 |" in out and "keystrokes: median" in out
