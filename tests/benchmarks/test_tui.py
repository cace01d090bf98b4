"""``python -m benchmarks.tui`` at the small scale: the app opens, filters and edits, and each is timed; and
keystroke-to-screen latency in tmux, with the analysis running and without."""

from __future__ import annotations

import shutil

import pytest

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


LATENCY_FIGURES = (
    "filter_busy_ms_median",
    "filter_busy_ms_p95",
    "form_busy_ms_median",
    "form_busy_ms_p95",
    "keys_busy",
    "peak_rss_busy_mb",
    "gc_full_passes_busy",
    "gc_full_pass_busy_ms_max",
    "analyses_while_typing",
    "filter_idle_ms_median",
    "filter_idle_ms_p95",
    "form_idle_ms_median",
    "form_idle_ms_p95",
    "keys_idle",
    "peak_rss_idle_mb",
    "gc_full_passes_idle",
    "gc_full_pass_idle_ms_max",
)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_keystroke_latency_in_tmux_at_small_scale():
    figures = tui.latency("small", seed=1, words=("ab",))
    assert list(figures) == list(LATENCY_FIGURES)
    assert_positive(figures, [f for f in LATENCY_FIGURES if not f.startswith("gc_")])  # a small heap: maybe none
    assert all(figures[f] >= 0 for f in LATENCY_FIGURES if f.startswith("gc_"))
    assert figures["keys_busy"] == figures["keys_idle"] == 8  # "ab" typed and taken back, in the filter and a form
    assert figures["analyses_while_typing"] >= 1  # the analysis ran while the keys were typed
    for series in ("filter_busy", "form_busy", "filter_idle", "form_idle"):
        assert figures[f"{series}_ms_median"] <= figures[f"{series}_ms_p95"]
