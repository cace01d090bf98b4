"""``python -m benchmarks.report_load`` at the small scale, once: the report's figures in a real browser are there."""

from __future__ import annotations

from benchmarks import report_load
from tests.benchmarks.conftest import assert_positive


def test_small_scale_once(capsys):
    figures = report_load.measure("small", seed=1, repeat=1, pdf=True)
    for name in ("full", "summary"):
        f = figures[name]
        assert_positive(f, ("load_ms", "dom_nodes", "bytes", "pdf_pages"))
        assert_positive(f["height"], list(f["height"]))
        assert set(f["height"]) == set(report_load.WIDTHS)
    assert figures["summary"]["dom_nodes"] < figures["full"]["dom_nodes"]
    assert figures["summary"]["pdf_pages"] < figures["full"]["pdf_pages"]
    assert report_load.main(["--scale", "small", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "small seed 1: HTML report in headless Chromium" in printed and "nodes" in printed
