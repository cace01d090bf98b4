"""Installing the needsmap merge driver in a git repository (``needsmap git-setup``).

Three pieces make git merge workshop files with :mod:`needsmap.collab.merge`:

* in the repository's git config (``.git/config``, not versioned), the driver: the
  Python that runs ``git-setup``, by its absolute path, running ``-m needsmap merge-driver
  %O %A %B %P`` (see :func:`driver_command`), so it works from any shell git starts,
  whatever its ``PATH``::

      [merge "needsmap"]
          name = needsmap workshop merge (by section, item and field)
          driver = if /path/to/python -c 'import needsmap' ...; then exec /path/to/python -m needsmap ...

* in ``.gitattributes`` (versioned, so everyone gets it)::

      *.yaml merge=needsmap

* in ``.gitignore`` (versioned; can be skipped), the files needsmap writes beside a
  workshop, which are never to be committed (:data:`IGNORED`): the lock, the forms' drafts,
  a save's temporary file and the backup.

Every step is idempotent and adds only the lines that are missing, leaving the others as
they are.  Files that are not workshops (a CI config in YAML) are merged line by line by
the driver, as git would without it.
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

#: The files needsmap keeps beside a workshop FILE, as ``.gitignore`` patterns.  Each pattern also matches
#: the older or newer name of the same file (``.FILE.needsmap-draft`` and ``.FILE.SESSION.needsmap-draft``).
IGNORED: tuple[tuple[str, str], ...] = (
    (".*.needsmap-lock", "the lock of a workshop open in needsmap (.FILE.needsmap-lock)"),
    (".*.needsmap-draft", "what a form holds before it is saved (.FILE.SESSION.needsmap-draft)"),
    (".*.needsmap-tmp", "a save cut short (.FILE.RANDOM.needsmap-tmp)"),
)
#: The comment above the lines git-setup adds to ``.gitignore``.
IGNORE_HEADING = "# needsmap: lock, drafts, temporary files and backups beside workshops"


class GitSetupError(Exception):
    """Git could not be configured; the message is ready to show."""


@dataclass(frozen=True, slots=True)
class SetupResult:
    repository: Path
    driver: str
    attributes_file: Path
    attributes_added: tuple[str, ...]  # lines added to .gitattributes (empty: they were there)
    ignore_file: Path | None = None  # None: .gitignore was left alone
    ignore_added: tuple[str, ...] = ()  # patterns added to .gitignore (empty: they were there)


def driver_command(python: str | None = None) -> str:
    """The driver line git runs (through ``sh``) to merge a file: ``PYTHON -m needsmap merge-driver``.

    ``python`` (by default the interpreter running now, which has needsmap) is named by its
    absolute path, so the driver runs whatever the ``PATH`` of the shell git starts.  Should it
    ever fail to start (the virtual environment deleted, needsmap uninstalled), git would count
    the failure as a conflict and keep our version as it is, no markers, nothing to show
    their changes; so the line checks first that the driver can run, and otherwise merges line
    by line with ``git merge-file``, as git does without a driver: conflict markers, never a
    silent loss of their side.
    """
    py = shlex.quote(python or sys.executable)
    return (
        f"if {py} -c 'import needsmap' 2>/dev/null; then exec {py} -m needsmap merge-driver %O %A %B %P; fi; "
        "echo needsmap: the merge driver cannot run, so git merges %P line by line >&2; "
        "exec git merge-file -L ours -L base -L theirs %A %O %B"
    )


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("git")
    if exe is None:
        raise GitSetupError("error: git is not installed")
    env = {**os.environ, "LC_ALL": "C"}
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


def ignore_patterns(patterns: tuple[str, ...] = (DEFAULT_PATTERN,)) -> list[str]:
    """The ``.gitignore`` lines for needsmap's side files; backups are ``FILE.bak`` beside files of ``patterns``."""
    return [p for p, _ in IGNORED] + [f"{p}.bak" for p in patterns]


def _add_lines(path: Path, wanted: list[str], heading: str | None = None) -> tuple[str, ...]:
    """Append the lines of ``wanted`` that ``path`` lacks (compared without spacing); the others stay as they are."""
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError as exc:
        raise GitSetupError(f"{path}: error: cannot read: {exc.strerror or exc}") from exc
    present = {" ".join(line.split()) for line in text.splitlines()}
    added = tuple(line for line in wanted if line not in present)
    if added:
        lines = [heading, *added] if heading and heading not in present else list(added)
        new_text = text + ("" if not text or text.endswith("\n") else "\n") + "\n".join(lines) + "\n"
        try:
            write_text_atomically(path, new_text)
        except OSError as exc:
            raise GitSetupError(f"{path}: error: cannot write: {exc.strerror or exc}") from exc
    return added


def setup(
    where: str | os.PathLike[str] = ".",
    patterns: tuple[str, ...] = (DEFAULT_PATTERN,),
    python: str | None = None,
    gitignore: bool = True,
) -> SetupResult:
    """Configure the driver in the repository around ``where``, route ``patterns`` to it, ignore side files."""
    folder = Path(where)
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise GitSetupError(f"{folder}: error: not in a git repository (run git init first)")
    repo = Path(top.stdout.strip())
    driver = driver_command(python)
    for key, value in ((f"merge.{DRIVER_NAME}.name", DRIVER_TITLE), (f"merge.{DRIVER_NAME}.driver", driver)):
        done = _git(["config", "--local", key, value], repo)
        if done.returncode != 0:
            raise GitSetupError(f"{repo}: error: git config {key} failed: {done.stderr.strip()}")
    attributes = repo / ".gitattributes"
    added = _add_lines(attributes, [f"{p} merge={DRIVER_NAME}" for p in patterns])
    if not gitignore:
        return SetupResult(repo, driver, attributes, added)
    ignore = repo / ".gitignore"
    ignored = _add_lines(ignore, ignore_patterns(patterns), IGNORE_HEADING)
    return SetupResult(repo, driver, attributes, added, ignore, ignored)
