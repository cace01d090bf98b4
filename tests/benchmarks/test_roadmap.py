"""``python -m benchmarks.roadmap`` at the small scale, once: the four options and their timings."""

from __future__ import annotations

from benchmarks import roadmap
from tests.benchmarks.conftest import assert_positive


def test_small_scale_once(capsys):
    figures = roadmap.measure("small", seed=1, repeat=1)
    assert_positive(figures, ("use_cases", "attributes", "systems", "gaps"))
    assert_positive(figures, ("roadmap_median_s", "roadmap_min_s", "with_analysis_median_s"))
    assert figures["roadmap_min_s"] <= figures["roadmap_median_s"] < roadmap.TARGET_S
    assert [option for option, *_ in figures["options"]] == ["increments", "registry", "consolidation", "coexistence"]
    assert all(items > 0 and waves > 0 for _, items, waves, _ in figures["options"])
    assert roadmap.main(["--scale", "small", "--repeat", "1"]) == 0  # exit 0: within the target
    assert "roadmap: median" in capsys.readouterr().out
