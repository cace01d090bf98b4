"""Shared fixtures: paths to the repository's data and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "workshops" / "omnichannel-retail.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
