"""Every file of the bad corpus gives its exact, located message (and no traceback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from needsmap.cli.main import main
from tests.conftest import DATA

BAD = DATA / "bad"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


def test_corpus_is_complete():
    assert len(CASES) >= 25
    for name in CASES:
        assert (BAD / f"{name}.expected").is_file(), f"{name}.yaml has no .expected file"


@pytest.mark.parametrize("name", CASES)
def test_bad_file_message(name: str, runner, monkeypatch):
    monkeypatch.chdir(BAD)
    expected = (BAD / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    exit_line, lines = expected[0], expected[1:]
    result = runner.invoke(main, ["validate", f"{name}.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout.splitlines() == lines
    assert f"exit: {result.exit_code}" == exit_line
    for line in lines:  # every finding is located FILE:LINE:COL
        assert line.startswith(f"{name}.yaml:"), line
        assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit(), line


def test_file_over_size_limit_is_refused(tmp_path: Path, runner, monkeypatch):
    from needsmap.format import spec

    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.write(b"needsmap: 1\nworkshop:\n  name: big\n")
        fh.truncate(spec.MAX_FILE_BYTES + 10)  # sparse, fast
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "big.yaml"])
    assert result.exit_code == 2
    assert "big.yaml: error: the file is 32.0 MiB; workshop files are limited to 32 MiB" in result.stderr


def test_missing_file_and_folder(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir("folder.yaml")
    result = runner.invoke(main, ["validate", "nope.yaml", "folder.yaml"])
    assert result.exit_code == 2
    assert "nope.yaml: error: no such file" in result.stderr
    assert "folder.yaml: error: this is a folder, not a workshop file" in result.stderr
