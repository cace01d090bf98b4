"""``python -m benchmarks.interchange`` at the small scale, once: a figure for every export format."""

from __future__ import annotations

from benchmarks import interchange
from needsmap.interchange.registry import EXPORT_NAMES
from tests.benchmarks.conftest import assert_positive


def test_small_scale_once(capsys):
    figures = interchange.measure("small", seed=1, repeat=1)
    assert_positive(figures, ("attributes", "systems"))
    assert set(figures["files"]) == set(EXPORT_NAMES)
    assert_positive(figures["files"], EXPORT_NAMES)
    assert set(figures["ms"]) == {"all formats, shared input", *(f"{n} alone" for n in EXPORT_NAMES)}
    assert_positive(figures["ms"], figures["ms"])
    assert interchange.main(["--scale", "small", "--repeat", "1"]) == 0
    assert "all formats, shared input" in capsys.readouterr().out
