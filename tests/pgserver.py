"""A throwaway PostgreSQL server for the tests: its own data directory, a free local port.

The tests need a real PostgreSQL (the model draft's DDL must execute on it, and
``needsmap import db`` must read its schema).  :func:`start` runs Debian's
``initdb`` and ``pg_ctl`` from ``/usr/lib/postgresql/*/bin`` (or PATH) into a
temporary directory, trusts local connections only, listens on 127.0.0.1 and a
Unix socket in that directory, and :meth:`Server.stop` stops it and removes
everything.  PostgreSQL refuses to run as root: as root, the server runs as the
``postgres`` user that Debian's package creates.

``./dev test`` installs the package (``apt-get install postgresql``) when it is
missing and sets ``NEEDSMAP_REQUIRE_POSTGRES=1``, so that in CI a server that
cannot start is a failure, not a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the message says why)."""


def _bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(os.path.realpath(on_path)).parent
    raise Unavailable(
        "PostgreSQL is not installed (no pg_ctl): run ./dev test, which installs it, or apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    root: Path
    port: int
    run_as: list[str]
    bin_dir: Path

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the server's ``postgres`` database (user ``needsmap``, no password)."""
        return f"postgresql+psycopg://needsmap@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://needsmap@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.run_as,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Server:
    """Start a fresh server; raise :class:`Unavailable` with the reason when it cannot."""
    bin_dir = _bin_dir()
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="needsmap-pg-"))
    if os.geteuid() == 0:
        try:
            pg_user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            raise Unavailable("running as root and there is no 'postgres' user to run PostgreSQL as") from None
        os.chown(root, pg_user.pw_uid, pg_user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    server = Server(root, port, run_as, bin_dir)
    data = root / "data"
    try:
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "needsmap",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        log = root / "server.log"
        if log.exists():
            detail += log.read_text(errors="replace")[-2000:]
        server.stop()
        raise Unavailable(f"PostgreSQL did not start: {exc}\n{detail}") from exc
    return server
