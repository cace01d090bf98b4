"""The formats' own tools (dbt, datacontract-cli, DataHub's CLI, the ODCS schema), run as their users run them.

``./dev test`` installs them into ``.venv-tools`` (requirements/interchange-tools.lock) and sets
``NEEDSMAP_TOOLS_BIN`` and ``NEEDSMAP_REQUIRE_TOOLS=1``, so there a missing tool fails the tests;
run alone without them, the tests that need a tool are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tools_bin() -> Path:
    return Path(os.environ.get("NEEDSMAP_TOOLS_BIN") or ROOT / ".venv-tools" / "bin")


def _missing(reason: str) -> None:
    if os.environ.get("NEEDSMAP_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


#: The tools run offline and quiet: no version check, no usage statistics, no colour.
TOOL_ENV = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "DBT_VERSION_CHECK": "False",
    "DATAHUB_TELEMETRY_ENABLED": "false",
    "NO_COLOR": "1",
    "TERM": "dumb",
}


@pytest.fixture(scope="session")
def run_tool() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_tool("dbt", "parse", cwd=...)``: run a tool from the tools' venv, output captured, 10 minutes at most.

    With ``expect_ok`` (the default) a non-zero exit fails the test with the tool's own output.
    """

    def run(
        name: str,
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 600,
        expect_ok: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        exe = tools_bin() / name
        if not exe.exists():
            _missing(f"{exe} is missing: ./dev test installs the formats' tools into .venv-tools")
        result = subprocess.run(
            [str(exe), *args],
            cwd=cwd,
            env={**os.environ, **TOOL_ENV, "HOME": str(cwd or Path.cwd()), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if expect_ok and result.returncode != 0:
            pytest.fail(
                f"{name} {' '.join(args)} exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    return run


@pytest.fixture(scope="session")
def tools_python() -> Path:
    """The tools' venv's Python (for a package's own schema or models, e.g. ``open_data_contract_standard``)."""
    exe = tools_bin() / "python"
    if not exe.exists():
        _missing(f"{exe} is missing: ./dev test installs the formats' tools into .venv-tools")
    return exe
