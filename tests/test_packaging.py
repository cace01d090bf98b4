"""Packaging checks: the wheel ships what an installed needsmap needs, and the
console script works.

The wheel is built offline (``pip wheel --no-deps --no-build-isolation
--no-index``), using the hatchling that requirements/dev.lock installs into
the dev venv, so these tests need no network and take a few seconds.
"""

from __future__ import annotations

import email.parser
import importlib.util
import json
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import needsmap

REPO = Path(__file__).resolve().parents[1]
SRC_PACKAGE = REPO / "src" / "needsmap"
TEMPLATES = REPO / "templates"
SCHEMA = SRC_PACKAGE / "format" / "workshop.schema.json"
REQUIREMENTS = REPO / "requirements"


def _package_files(root: Path) -> list[Path]:
    """Files under root as a wheel would ship them (no bytecode caches)."""
    return sorted(
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if importlib.util.find_spec("hatchling") is None:
        pytest.fail(
            "hatchling is not installed in this environment; it comes from "
            "requirements/dev.lock (run the tests with ./dev test)"
        )
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-q",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"building the wheel failed:\n{proc.stdout}\n{proc.stderr}"
    wheels = list(out.glob("needsmap-*.whl"))
    assert len(wheels) == 1, f"expected one needsmap wheel, got {wheels}"
    with zipfile.ZipFile(wheels[0]) as zf:
        yield zf


def _dist_info_file(wheel: zipfile.ZipFile, name: str) -> str:
    matches = [n for n in wheel.namelist() if n.endswith(f".dist-info/{name}")]
    assert len(matches) == 1, f"{name} not found in the wheel"
    return wheel.read(matches[0]).decode("utf-8")


def test_wheel_ships_the_report_templates(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {n for n in names if n.startswith("needsmap/templates/")}
    assert "needsmap/templates/README.md" in shipped
    missing = [
        f"needsmap/templates/{p.as_posix()}"
        for p in _package_files(TEMPLATES)
        if f"needsmap/templates/{p.as_posix()}" not in names
    ]
    assert not missing, f"templates/ files missing from the wheel: {missing}"


def test_wheel_ships_every_package_file(wheel: zipfile.ZipFile) -> None:
    """Code and data files in src/needsmap (schema, starter files...) are all shipped."""
    names = set(wheel.namelist())
    missing = [
        f"needsmap/{p.as_posix()}" for p in _package_files(SRC_PACKAGE) if f"needsmap/{p.as_posix()}" not in names
    ]
    assert not missing, f"files in src/needsmap missing from the wheel: {missing}"
    assert "needsmap/__init__.py" in names
    assert not [n for n in names if n.startswith(("tests/", "src/", "workshops/"))]


@pytest.mark.skipif(not SCHEMA.exists(), reason="src/needsmap/format/workshop.schema.json not written yet")
def test_wheel_ships_the_json_schema(wheel: zipfile.ZipFile) -> None:
    data = wheel.read("needsmap/format/workshop.schema.json")
    schema = json.loads(data)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    meta = email.parser.Parser().parsestr(_dist_info_file(wheel, "METADATA"))
    assert meta["Name"] == "needsmap"
    assert meta["Version"] == needsmap.__version__
    assert meta["Requires-Python"] == ">=3.11"
    entry_points = _dist_info_file(wheel, "entry_points.txt")
    assert "needsmap = needsmap.cli.main:main" in entry_points


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, cwd=REPO / "tests")


def test_console_script_version() -> None:
    script = Path(sysconfig.get_path("scripts")) / "needsmap"
    assert script.exists(), f"console script {script} not installed (run ./dev setup)"
    proc = _run(str(script), "--version")
    assert proc.returncode == 0, proc.stderr
    assert needsmap.__version__ in proc.stdout
    assert "Traceback" not in proc.stderr


def test_python_dash_m_version() -> None:
    proc = _run(sys.executable, "-m", "needsmap", "--version")
    assert proc.returncode == 0, proc.stderr
    assert needsmap.__version__ in proc.stdout


# ---------------------------------------------------------------- lock files


def _pins(lock: Path) -> dict[str, str]:
    """name -> pinned version; also checks that every pin carries a hash."""
    text = lock.read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        m = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", block)
        if m:
            assert "--hash=sha256:" in block, f"{lock.name}: {m.group(1)} has no hash"
            pins[_normalize(m.group(1))] = m.group(2)
    return pins


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize(
    ("lock_name", "groups"),
    [("runtime.lock", ("runtime",)), ("dev.lock", ("runtime", "dev", "build"))],
)
def test_lock_files_match_pyproject(lock_name: str, groups: tuple[str, ...]) -> None:
    """Every requirement in pyproject.toml is pinned in the lock at an allowed version.

    Fails when a dependency was added or narrowed without running ./dev lock.
    """
    from packaging.requirements import Requirement

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {
        "runtime": pyproject["project"].get("dependencies", []),
        "dev": pyproject["project"].get("optional-dependencies", {}).get("dev", []),
        "build": pyproject["build-system"]["requires"],
    }
    pins = _pins(REQUIREMENTS / lock_name)
    problems = []
    for group in groups:
        for spec in wanted[group]:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate():
                continue
            pinned = pins.get(_normalize(req.name))
            if pinned is None:
                problems.append(f"{req} ({group}) is not in {lock_name}")
            elif not req.specifier.contains(pinned, prereleases=True):
                problems.append(f"{req} ({group}) but {lock_name} pins {pinned}")
    assert not problems, "run ./dev lock:\n" + "\n".join(problems)


def test_runtime_lock_agrees_with_dev_lock() -> None:
    runtime, dev = _pins(REQUIREMENTS / "runtime.lock"), _pins(REQUIREMENTS / "dev.lock")
    differ = {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v}
    assert not differ, f"runtime.lock and dev.lock disagree (run ./dev lock): {differ}"
