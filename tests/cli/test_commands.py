"""The command line: new, validate (text and JSON), schema, version, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from needsmap import __version__
from needsmap.cli.main import main
from needsmap.format.opening import open_workshop
from tests.conftest import DATA, DEMO


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"needsmap, version {__version__}"


def test_python_dash_m(tmp_path: Path):
    out = subprocess.run([sys.executable, "-m", "needsmap", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    for command in ("new", "validate", "schema"):
        assert command in out.stdout


def test_new_creates_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path, runner):
    target = tmp_path / "kickoff.yaml"
    result = runner.invoke(
        main, ["new", str(target), "--name", "Kick-off: loyalty & service", "--organization", "Huis & Haven"]
    )
    assert result.exit_code == 0, result.output
    assert f"Next: needsmap open {target}" in result.output  # the workshop UI comes next, not a check
    loaded = open_workshop(target)
    assert loaded.ok and loaded.diagnostics == []
    ws = loaded.workshop
    assert ws.workshop.name == "Kick-off: loyalty & service"
    assert ws.functions and "marketing" in ws.functions and ws.channels and "store" in ws.channels
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "1. stakeholders" in text
    before = target.read_bytes()
    again = runner.invoke(main, ["new", str(target), "--name", "Other"])
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert target.read_bytes() == before


def test_validate_demo_is_clean(runner):
    result = runner.invoke(main, ["validate", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"{DEMO}: ok"


def test_validate_json(runner, monkeypatch):
    monkeypatch.chdir(DATA / "bad")
    result = runner.invoke(
        main, ["validate", "--format", "json", "duplicate-id.yaml", "ambiguous-about.yaml", "missing.yaml"]
    )
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    files = {f["path"]: f for f in data["files"]}
    assert files["duplicate-id.yaml"]["ok"] is False
    assert files["duplicate-id.yaml"]["counts"] == {"error": 1, "warning": 0, "info": 0}
    diag = files["duplicate-id.yaml"]["diagnostics"][0]
    assert (diag["line"], diag["column"], diag["severity"], diag["code"]) == (9, 9, "error", "duplicate-id")
    assert files["ambiguous-about.yaml"]["ok"] is True
    assert files["missing.yaml"]["readable"] is False


def test_strict_makes_warnings_fail(runner, monkeypatch):
    monkeypatch.chdir(DATA / "bad")
    assert runner.invoke(main, ["validate", "ambiguous-about.yaml"]).exit_code == 0
    assert runner.invoke(main, ["validate", "--strict", "ambiguous-about.yaml"]).exit_code == 1


def test_schema_command_prints_the_shipped_schema(runner, tmp_path: Path):
    from needsmap.format.schema import shipped_schema_path

    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == shipped_schema_path().read_text(encoding="utf-8")
    out = tmp_path / "s.json"
    assert runner.invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["title"] == "needsmap workshop (format v1)"


def test_usage_error_exit_code(runner):
    assert runner.invoke(main, ["validate"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2
