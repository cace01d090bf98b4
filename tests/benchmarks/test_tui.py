"""``python -m benchmarks.tui`` at the small scale: the app opens, filters and edits, and each is timed."""

from __future__ import annotations

from benchmarks import tui
from tests.benchmarks.conftest import assert_positive

FIGURES = (
    "create_app_s",
    "first_screen_s",
    "first_analysis_s",
    "attribute_rows",
    "filter_keystroke_ms_median",
    "filter_keystroke_ms_max",
    "filter_work_ms_median",
    "filter_work_ms_max",
    "edit_saved_ms_median",
    "edit_to_gaps_ms_median",
    "edit_to_gaps_ms_max",
)


def test_small_scale():
    figures = tui.measure("small", seed=1)
    assert list(figures) == list(FIGURES)
    assert_positive(figures, FIGURES)
    assert figures["attribute_rows"] == 50
    assert figures["create_app_s"] <= figures["first_screen_s"] <= figures["first_analysis_s"]
    assert figures["filter_keystroke_ms_median"] <= figures["filter_keystroke_ms_max"]
    assert figures["edit_saved_ms_median"] <= figures["edit_to_gaps_ms_median"] <= figures["edit_to_gaps_ms_max"]
