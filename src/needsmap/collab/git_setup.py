"""Installing the needsmap merge driver in a git repository (``needsmap git-setup``).

Two pieces make git merge workshop files with :mod:`needsmap.collab.merge`:

* in the repository's git config (``.git/config``, not versioned)::

      [merge "needsmap"]
          name = needsmap workshop merge (by section, item and field)
          driver = needsmap merge-driver %O %A %B %P

* in ``.gitattributes`` (versioned, so everyone gets it)::

      *.yaml merge=needsmap

Both steps are idempotent.  Files that are not workshops (a CI config in
YAML) are merged line by line by the driver, as git would without it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from needsmap.util.atomic_write import write_text_atomically

DRIVER_NAME = "needsmap"
DRIVER_TITLE = "needsmap workshop merge (by section, item and field)"
DEFAULT_PATTERN = "*.yaml"


class GitSetupError(Exception):
    """Git could not be configured; the message is ready to show."""


@dataclass(frozen=True, slots=True)
class SetupResult:
    repository: Path
    driver: str
    attributes_file: Path
    attributes_added: tuple[str, ...]  # lines added to .gitattributes (empty: they were there)


def driver_command(program: str | None = None) -> str:
    """The driver line: ``needsmap`` when it is on PATH, else this Python running ``-m needsmap``."""
    if program is None:
        found = shutil.which("needsmap")
        program = "needsmap" if found else f"{shlex.quote(sys.executable)} -m needsmap"
    return f"{program} merge-driver %O %A %B %P"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("git")
    if exe is None:
        raise GitSetupError("error: git is not installed")
    env = {**os.environ, "LC_ALL": "C"}
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


def setup(
    where: str | os.PathLike[str] = ".", patterns: tuple[str, ...] = (DEFAULT_PATTERN,), program: str | None = None
) -> SetupResult:
    """Configure the driver in the repository around ``where`` and route ``patterns`` to it."""
    folder = Path(where)
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise GitSetupError(f"{folder}: error: not in a git repository (run git init first)")
    repo = Path(top.stdout.strip())
    driver = driver_command(program)
    for key, value in ((f"merge.{DRIVER_NAME}.name", DRIVER_TITLE), (f"merge.{DRIVER_NAME}.driver", driver)):
        done = _git(["config", "--local", key, value], repo)
        if done.returncode != 0:
            raise GitSetupError(f"{repo}: error: git config {key} failed: {done.stderr.strip()}")
    attributes = repo / ".gitattributes"
    try:
        text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    except OSError as exc:
        raise GitSetupError(f"{attributes}: error: cannot read: {exc.strerror or exc}") from exc
    present = {" ".join(line.split()) for line in text.splitlines()}
    wanted = [f"{p} merge={DRIVER_NAME}" for p in patterns]
    added = tuple(line for line in wanted if line not in present)
    if added:
        new_text = text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(added) + "\n"
        try:
            write_text_atomically(attributes, new_text)
        except OSError as exc:
            raise GitSetupError(f"{attributes}: error: cannot write: {exc.strerror or exc}") from exc
    return SetupResult(repo, driver, attributes, added)
