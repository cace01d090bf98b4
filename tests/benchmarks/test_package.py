"""The benchmarks are a package run from the repository root: ``python -m benchmarks.NAME``.

Each module answers ``--help`` that way, says in its docstring what it measures and where its figures
are recorded, and has a smoke test here (tests/benchmarks/test_NAME.py) that runs it at its smallest
scale.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HELPERS = {"__init__", "timing", "chromium"}
BENCHMARKS = sorted(p.stem for p in (ROOT / "benchmarks").glob("*.py") if p.stem not in HELPERS)


def test_the_benchmarks_are_the_ones_the_docs_name():
    assert BENCHMARKS == [
        "burst_keys",
        "ddl",
        "draft",
        "interchange",
        "killtest",
        "linker",
        "matching",
        "race",
        "reentry",
        "report_load",
        "roadmap",
        "tui",
        "workshop",
    ]


@pytest.mark.parametrize("name", BENCHMARKS)
def test_runs_as_a_module_from_the_repository_root(name: str):
    out = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"usage: python -m benchmarks.{name}"), out.stdout


@pytest.mark.parametrize("name", BENCHMARKS)
def test_says_what_it_measures_and_where_the_figures_go(name: str):
    doc = importlib.import_module(f"benchmarks.{name}").__doc__ or ""
    assert f"python -m benchmarks.{name}" in doc
    assert "docs/performance.md" in doc or "docs/reliability.md" in doc
    assert f"tests/benchmarks/test_{name}.py" in doc


@pytest.mark.parametrize("name", BENCHMARKS)
def test_has_a_smoke_test(name: str):
    assert (ROOT / "tests" / "benchmarks" / f"test_{name}.py").is_file()
