"""Workshop versions from git: a file as it was at a revision, and what ``needsmap diff`` compares.

Git is run as the ``git`` program (``git show REV:./FILE`` in the file's
folder), so whatever git understands as a revision works: ``HEAD~3``, a
branch, a tag, a commit id.  Failures become :class:`RevisionError` with a
message ready to show: not a git repository, no such revision, the file did
not exist in that revision, git not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from needsmap.format import loader, spec
from needsmap.format import model as m
from needsmap.format.diagnostics import Diagnostic
from needsmap.format.opening import check, open_workshop


class RevisionError(Exception):
    """A revision or file that git could not give us; the message is ready to show."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("git")
    if exe is None:
        raise RevisionError("error: git is not installed (needed to read earlier versions of a file)")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, env=env, check=False)


def read_at_revision(path: str | os.PathLike[str], rev: str) -> bytes:
    """The bytes of ``path`` as committed in ``rev`` (``path`` as in the working tree)."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise RevisionError(f"{path}: error: the folder {folder} does not exist")
    if rev.startswith("-"):
        raise RevisionError(f"{path}: error: '{rev}' is not a revision")
    inside = _git(["rev-parse", "--is-inside-work-tree"], folder)
    if inside.returncode != 0:
        raise RevisionError(f"{path}: error: not in a git repository, so there is no revision '{rev}' to read")
    known = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder)
    if known.returncode != 0:
        raise RevisionError(f"{path}: error: unknown revision '{rev}' (try a commit, branch or tag, e.g. HEAD~1)")
    shown = _git(["show", f"{rev}:./{p.name}"], folder)
    if shown.returncode != 0:
        raise RevisionError(f"{path}: error: the file does not exist in revision '{rev}'")
    return shown.stdout


def load_at_revision(path: str | os.PathLike[str], rev: str) -> loader.LoadResult:
    """Load and validate ``path`` as it was in ``rev`` (diagnostics name it ``REV:PATH``)."""
    data = read_at_revision(path, rev)
    if len(data) > spec.MAX_FILE_BYTES:
        raise RevisionError(
            f"{rev}:{path}: error: the file is larger than the {spec.MAX_FILE_BYTES // 1048576} MiB limit"
        )
    return check(loader.load_bytes(data, f"{rev}:{path}"))


@dataclass(frozen=True, slots=True)
class Version:
    """One side of a comparison: a file on disk (``rev`` None) or a file at a revision."""

    path: str
    rev: str | None = None

    @property
    def label(self) -> str:
        return self.path if self.rev is None else f"{self.rev}:{self.path}"

    def load(self) -> loader.LoadResult:
        """Raises :class:`RevisionError` or :class:`needsmap.format.opening.OpenError` when unreadable."""
        if self.rev is None:
            return open_workshop(self.path)
        return load_at_revision(self.path, self.rev)


#: An OLD argument with one of these suffixes is a file, even a missing one (then: "no such file").
_WORKSHOP_SUFFIXES = (".yaml", ".yml")


def _split_rev_path(arg: str) -> Version | None:
    """``REV:PATH`` (git's own notation), when ``arg`` is not an existing file."""
    rev, sep, path = arg.partition(":")
    if sep and rev and path and not Path(arg).exists():
        return Version(path, rev)
    return None


def versions_to_compare(old: str | None, new: str) -> tuple[Version, Version]:
    """What ``needsmap diff [OLD] NEW`` compares.

    * ``diff FILE``: the last commit (HEAD) against the working file;
    * ``diff OLD_FILE NEW_FILE``: two files;
    * ``diff REV FILE``: FILE at REV against the working file;
    * ``diff REV1..REV2 FILE``: FILE at REV1 against FILE at REV2;
    * either side may also be written ``REV:PATH``.
    """
    if old is None:
        return Version(new, "HEAD"), Version(new)
    newer = _split_rev_path(new) or Version(new)
    if Path(old).is_file() or Path(old).suffix.lower() in _WORKSHOP_SUFFIXES:
        return Version(old), newer
    older = _split_rev_path(old)
    if older is not None:
        return older, newer
    if ".." in old and newer.rev is None:
        first, _, second = old.partition("...") if "..." in old else old.partition("..")
        return Version(newer.path, first or "HEAD"), Version(newer.path, second or "HEAD")
    return Version(newer.path, old), newer


class NotComparable(Exception):
    """A version that was read but has errors other than merge conflicts, so it cannot be compared.

    ``errors`` are its error diagnostics, to show first; the message is ready to show after them.
    """

    def __init__(self, label: str, errors: list[Diagnostic]) -> None:
        super().__init__(f"{label}: fix the errors above first")
        self.label = label
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Comparable:
    """One side of a comparison, loaded: its workshop and how many merge conflicts it still records."""

    label: str
    workshop: m.Workshop
    conflicts: int


def load_to_compare(version: Version) -> Comparable:
    """``version`` loaded for a comparison (``needsmap diff``, a report's "Changes since").

    A file in the middle of a merge still compares: its merge conflicts are counted, and what
    the merge brought in is worth seeing before they are resolved.  Raises :class:`RevisionError`
    or :class:`needsmap.format.opening.OpenError` when the version cannot be read, and
    :class:`NotComparable` when it has any other error.
    """
    result = version.load()
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if result.workshop is None or any(d.code != "merge-conflict" for d in errors):
        raise NotComparable(version.label, errors)
    return Comparable(version.label, result.workshop, len(errors))
