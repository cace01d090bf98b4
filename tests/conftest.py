"""What tests in every folder share: the repository's paths, the demo workshop (a fresh copy, or opened and
checked), a CLI runner, headless Chromium, a real PostgreSQL server.

Helpers used by the tests of one package only live in that folder's ``conftest.py`` (``tests/tui/conftest.py``:
driving the terminal UI; ``tests/report/conftest.py``: hostile text, ...).  Plain functions and constants are
imported (``from tests.conftest import DEMO, assert_opens_clean``); fixtures are found by name.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from benchmarks.chromium import CHROMIUM as CHROMIUM  # re-exported: tests and scripts start Chromium alike
from benchmarks.chromium import CHROMIUM_ARGS as CHROMIUM_ARGS
from benchmarks.chromium import chromium_executable
from needsmap.format.model import Workshop
from needsmap.format.opening import open_workshop

# ./dev test (and so CI) runs the property tests on the same inputs every time (derandomized): a
# red CI means a change broke something, never a lucky draw. Run pytest directly to explore new inputs
# (failures are kept in .hypothesis/ and replayed first); a case found that way becomes an @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("NEEDSMAP_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["NEEDSMAP_HYPOTHESIS_PROFILE"])

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "workshops" / "omnichannel-retail.yaml"


# -- the demo workshop ---------------------------------------------------------------------------
def copy_demo(folder: Path, name: str = "workshop.yaml") -> Path:
    """A copy of the demo workshop as ``folder/name`` (tests edit copies, never the demo itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    shutil.copyfile(DEMO, path)
    return path


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A fresh copy of the demo workshop in the test's temporary folder, to edit."""
    return copy_demo(tmp_path)


def assert_opens_clean(path: str | os.PathLike[str]) -> Workshop:
    """The workshop file at ``path``, opened as needsmap opens it (load + validate); fails the test on any error.

    Warnings are allowed: an edit may well leave, say, an attribute nobody needs.
    """
    result = open_workshop(path)
    errors = [d.render() for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    assert result.ok and result.workshop is not None
    return result.workshop


# -- the command line ----------------------------------------------------------------------------
@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- a real browser, started as benchmarks/chromium.py says ----------------------------------------
@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    assert executable, "Chromium is needed for the browser tests (./dev test installs it)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


# -- a real database server ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for this test run, stopped and removed at the end (see tests/pgserver.py)."""
    from tests import pgserver

    try:
        server = pgserver.start()
    except pgserver.Unavailable as exc:
        if os.environ.get("NEEDSMAP_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database on the test server; dropped after the test."""
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.url_for(name)
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
