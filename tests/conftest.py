"""Shared fixtures: paths to the repository's data, a CLI runner, a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# ./dev test (and so CI) runs the property tests on the same inputs every time (derandomized): a
# red CI means a change broke something, never a lucky draw. Run pytest directly to explore new inputs
# (failures are kept in .hypothesis/ and replayed first); a case found that way becomes an @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("NEEDSMAP_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["NEEDSMAP_HYPOTHESIS_PROFILE"])

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "workshops" / "omnichannel-retail.yaml"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


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
