"""``python -m benchmarks.workshop`` at the small scale, once: every figure is there and sane."""

from __future__ import annotations

import json

from benchmarks import workshop
from tests.benchmarks.conftest import assert_positive

STEPS = ("c_parse_ms", "load_ms", "validate_ms", "graph_ms", "analyse_ms", "reanalyse_ms", "reanalyse_min_ms")


def test_small_scale_once(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the measuring child process must find the benchmarks package from anywhere
    out = tmp_path / "figures.json"
    assert workshop.main(["--scales", "small", "--repeat", "1", "--json", str(out)]) == 0
    [figures] = json.loads(out.read_text(encoding="utf-8"))
    assert figures["scale"] == "small"
    assert_positive(
        figures, (*STEPS, "reanalyse_holding_ms", "reanalyse_in_place_ms", "peak_mb", "file_mb", "generate_s")
    )
    assert figures["reanalyse_min_ms"] <= figures["reanalyse_ms"]
    counts = figures["counts"]
    assert_positive(counts, ("stakeholders", "use_cases", "attributes", "systems", "links", "gaps", "graph_nodes"))
    assert counts["attributes"] == 50  # the small synthetic workshop
    assert_positive(figures["report"], ("total_s", "html_mb"))
    assert figures["report"]["parts_ms"]
    printed = capsys.readouterr().out
    assert printed.startswith("machine: ")
    assert any(line.startswith("small ") and "MB" in line for line in printed.splitlines())
