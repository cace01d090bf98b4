"""A real git repository: two branches edit one workshop, git merges them through the needsmap driver."""

from __future__ import annotations

import copy
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.collab.git_setup import setup
from needsmap.collab.session import Session
from needsmap.format.model import Need
from needsmap.format.opening import open_workshop
from needsmap.format.references import rewrite
from needsmap.format.saver import dump
from needsmap.format.spec import ITEM_RECORDS
from tests.conftest import DEMO, assert_opens_clean

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="needs git")
BASE = open_workshop(DEMO).workshop
# the driver runs as "needsmap ..." or "python -m needsmap ...": both must be found from git's shell
_PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


# what a shell started by git may have: no virtual environment, no ~/.local/bin
_MINIMAL_PATH = "/usr/bin:/bin"


def git(repo: Path, *args: str, check: bool = True, path: str = _PATH) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": path,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run([GIT, *args], cwd=repo, capture_output=True, text=True, env=env)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def repo(tmp_path: Path, runner, monkeypatch) -> Path:
    """A repository with the demo workshop committed on main and the driver installed by git-setup."""
    root = tmp_path / "repo"
    (root / "workshops").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "workshops" / "w.yaml").write_text(dump(BASE), encoding="utf-8")
    monkeypatch.chdir(root / "workshops")  # git-setup works from anywhere inside the repository
    monkeypatch.setenv("PATH", _PATH)  # run from an activated virtual environment: needsmap is on PATH
    result = runner.invoke(main, ["git-setup"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["git-setup"])
    assert again.exit_code == 0 and "already" in again.stdout
    assert (root / ".gitattributes").read_text() == "*.yaml merge=needsmap\n"
    assert "merge-driver %O %A %B %P" in git(root, "config", "merge.needsmap.driver").stdout
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "demo workshop and merge driver")
    return root


def _commit_on(repo: Path, branch: str, edit, start: str = "main") -> None:
    git(repo, "checkout", "-q", "-b", branch, start)
    path = repo / "workshops" / "w.yaml"
    ws = open_workshop(path).workshop
    edit(ws)
    path.write_text(dump(ws), encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"edit on {branch}")


def test_independent_edits_on_two_branches_merge_cleanly(repo: Path):
    uc_id = BASE.use_cases[0].id
    new_value = 1 if BASE.use_cases[0].value != 1 else 2

    def ours(ws):  # the value of a use case, and a new stakeholder at the end
        ws.use_cases[0].value = new_value
        person = copy.deepcopy(ws.stakeholders[0])
        person.id, person.name = "amir", "Amir Haddad"
        ws.stakeholders.append(person)

    def theirs(ws):  # the title of the same use case (another field), a holding's quality, a note gone
        ws.use_cases[0].title = "Welcome journey, rebuilt"
        ws.systems[0].holds[0].quality = 1
        ws.notes.pop()

    _commit_on(repo, "facilitator", ours)
    _commit_on(repo, "architect", theirs)
    git(repo, "checkout", "-q", "facilitator")
    merged = git(repo, "merge", "--no-edit", "architect", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert git(repo, "status", "--porcelain").stdout == ""
    path = repo / "workshops" / "w.yaml"
    ws = assert_opens_clean(path)
    uc = next(u for u in ws.use_cases if u.id == uc_id)
    assert (uc.value, uc.title) == (new_value, "Welcome journey, rebuilt")
    assert ws.stakeholders[-1].id == "amir"
    assert ws.systems[0].holds[0].quality == 1
    assert [n.id for n in ws.notes] == [n.id for n in BASE.notes[:-1]]
    assert path.read_text(encoding="utf-8") == dump(ws)  # canonical, header kept
    assert ws.header == BASE.header


def test_conflicting_edits_leave_a_valid_file_that_git_marks_conflicted(repo: Path, runner):
    uc_id = BASE.use_cases[0].id
    ours_value, theirs_value = [v for v in range(1, 6) if v != BASE.use_cases[0].value][:2]

    def ours(ws):
        ws.use_cases[0].value = ours_value

    def theirs(ws):
        ws.use_cases[0].value = theirs_value
        ws.use_cases[0].effort = 5

    _commit_on(repo, "facilitator", ours)
    _commit_on(repo, "architect", theirs)
    git(repo, "checkout", "-q", "facilitator")
    merged = git(repo, "merge", "--no-edit", "architect", check=False)
    assert merged.returncode != 0
    assert "CONFLICT" in merged.stdout
    assert f"use case '{uc_id}', field 'value' was changed on both sides" in merged.stderr + merged.stdout
    assert git(repo, "status", "--porcelain").stdout.startswith("UU workshops/w.yaml")
    path = repo / "workshops" / "w.yaml"
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and isinstance(yaml.safe_load(text), dict)

    check = runner.invoke(main, ["validate", str(path)])
    assert check.exit_code == 1
    (line,) = [ln for ln in check.stdout.splitlines() if "merge conflict" in ln]
    assert line.startswith(f"{path}:") and f"use case '{uc_id}' (line " in line and "field 'value'" in line
    assert f'ours "{ours_value}", theirs "{theirs_value}"' in line

    # what the merge brought in, before resolving: their effort, and the conflict entry
    brought = runner.invoke(main, ["diff", "HEAD", str(path), "--format", "json"])
    assert brought.exit_code == 0, brought.output
    assert "1 unresolved merge conflict" in brought.stderr
    changes = {(c["section"], c["id"]): c for c in json.loads(brought.stdout)["changes"]}
    assert [f["path"] for f in changes[("use_cases", uc_id)]["fields"]] == ["effort"]
    (entry,) = [c for (section, _), c in changes.items() if section == "conflicts"]
    assert entry["change"] == "added" and entry["new"]["field"] == "value"

    # a person resolves it: picks their value and deletes the entry, then commits the merge
    ws = open_workshop(path).workshop
    uc = next(u for u in ws.use_cases if u.id == uc_id)
    assert (uc.value, uc.effort) == (ours_value, 5)  # ours kept for the conflict, their other edit merged
    uc.value = theirs_value
    ws.conflicts = []
    path.write_text(dump(ws), encoding="utf-8")
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    git(repo, "add", "workshops/w.yaml")
    git(repo, "commit", "-q", "--no-edit")
    assert git(repo, "status", "--porcelain").stdout == ""


def test_git_setup_outside_a_repository_is_explained(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = runner.invoke(main, ["git-setup"])
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


# -- renames and references across branches ---------------------------------------------------------
ATTRIBUTE = "first_name"
UNUSED_BY = next(u.id for u in BASE.use_cases if all(n.attribute != ATTRIBUTE for n in u.needs))


def _needs_attribute(ws) -> None:
    """Their branch: a use case that did not need the attribute now does (a new reference to its id)."""
    next(u for u in ws.use_cases if u.id == UNUSED_BY).needs.append(Need(ATTRIBUTE))


def _rename_in_a_session(repo: Path, branch: str) -> None:
    """Our branch: the attribute renamed the way the terminal UI renames it."""
    git(repo, "checkout", "-q", "-b", branch, "main")
    session = Session.open(repo / "workshops" / "w.yaml")
    try:
        assert session.rename("attributes", ATTRIBUTE, "given_name") > 1
    finally:
        session.close()
    git(repo, "commit", "-q", "-am", f"rename on {branch}")


def test_a_rename_and_a_new_reference_to_the_old_id_merge_into_one_valid_workshop(repo: Path):
    _rename_in_a_session(repo, "facilitator")
    _commit_on(repo, "architect", _needs_attribute)
    git(repo, "checkout", "-q", "facilitator")
    merged = git(repo, "merge", "--no-edit", "architect", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    ws = assert_opens_clean(repo / "workshops" / "w.yaml")
    assert ATTRIBUTE not in {a.id for a in ws.attributes} and "given_name" in {a.id for a in ws.attributes}
    uc = next(u for u in ws.use_cases if u.id == UNUSED_BY)
    assert "given_name" in [n.attribute for n in uc.needs]


def test_a_delete_and_a_new_reference_are_a_conflict_and_the_file_still_opens(repo: Path, runner):
    def delete(ws):  # the attribute and every reference to it, as deleting it in needsmap does
        ws.attributes = [a for a in ws.attributes if a.id != ATTRIBUTE]
        for section, rec in ITEM_RECORDS.items():
            setattr(ws, section, [rewrite(i, rec, "attributes", ATTRIBUTE, None, [], "") for i in ws.section(section)])

    _commit_on(repo, "facilitator", delete)
    _commit_on(repo, "architect", _needs_attribute)
    git(repo, "checkout", "-q", "facilitator")
    merged = git(repo, "merge", "--no-edit", "architect", check=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    assert f"attribute '{ATTRIBUTE}'" in merged.stderr and f"use case '{UNUSED_BY}'" in merged.stderr
    assert git(repo, "status", "--porcelain").stdout.startswith("UU workshops/w.yaml")
    path = repo / "workshops" / "w.yaml"
    session = Session.open(path)  # the terminal UI opens it, to settle the conflict
    try:
        assert ATTRIBUTE in {a.id for a in session.workshop.attributes}
        (conflict,) = session.workshop.conflicts
        assert (conflict.section, conflict.id) == ("attributes", ATTRIBUTE)
    finally:
        session.close()
    check = runner.invoke(main, ["validate", str(path)])
    errors = [ln for ln in check.stdout.splitlines() if ": error: " in ln]
    assert check.exit_code == 1 and len(errors) == 1 and "merge conflict" in errors[0]


# -- the driver command git runs --------------------------------------------------------------------
def _value_edits(repo: Path) -> tuple[int, int]:
    """Both branches change the value of the same use case: a conflict for any merge."""
    ours_value, theirs_value = [v for v in range(1, 6) if v != BASE.use_cases[0].value][:2]
    _commit_on(repo, "facilitator", lambda ws: setattr(ws.use_cases[0], "value", ours_value))
    _commit_on(repo, "architect", lambda ws: setattr(ws.use_cases[0], "value", theirs_value))
    git(repo, "checkout", "-q", "facilitator")
    return ours_value, theirs_value


def test_the_recorded_driver_runs_from_a_shell_with_a_minimal_path(repo: Path):
    assert shutil.which("needsmap", path=_MINIMAL_PATH) is None  # the virtual environment is not on it
    driver = git(repo, "config", "merge.needsmap.driver").stdout
    assert shlex.quote(sys.executable) + " -m needsmap merge-driver %O %A %B %P" in driver
    _commit_on(repo, "facilitator", lambda ws: setattr(ws.use_cases[0], "title", "Ours"))
    _commit_on(repo, "architect", lambda ws: setattr(ws.use_cases[0], "effort", 5))
    git(repo, "checkout", "-q", "facilitator", path=_MINIMAL_PATH)
    merged = git(repo, "merge", "--no-edit", "architect", check=False, path=_MINIMAL_PATH)
    assert merged.returncode == 0, merged.stdout + merged.stderr  # merged by field: a line merge would conflict
    ws = assert_opens_clean(repo / "workshops" / "w.yaml")
    assert (ws.use_cases[0].title, ws.use_cases[0].effort) == ("Ours", 5)


def test_git_keeps_ours_without_markers_when_a_driver_command_is_not_found(repo: Path):
    """Why the recorded command must always run: git counts exit 127 as a conflict and keeps ours as it is."""
    git(repo, "config", "merge.needsmap.driver", "needsmap-not-installed merge-driver %O %A %B %P")
    _value_edits(repo)
    path = repo / "workshops" / "w.yaml"
    ours_text = path.read_text(encoding="utf-8")
    merged = git(repo, "merge", "--no-edit", "architect", check=False)
    assert merged.returncode != 0 and "not found" in merged.stderr
    assert path.read_text(encoding="utf-8") == ours_text  # no markers, no conflicts entry: theirs is gone


@pytest.mark.parametrize("python", ["missing", "without-needsmap"])
def test_a_driver_that_cannot_run_merges_line_by_line_instead_of_keeping_ours(repo: Path, python: str):
    if python == "missing":
        interpreter = str(repo / "no-such-venv" / "bin" / "python")
    else:
        interpreter = shutil.which("python3", path=_MINIMAL_PATH) or ""
        found = interpreter and subprocess.run([interpreter, "-c", "import needsmap"], capture_output=True)
        if not found or found.returncode == 0:
            pytest.skip("needs a system python3 without needsmap")
    setup(repo, python=interpreter)
    ours_value, theirs_value = _value_edits(repo)
    merged = git(repo, "merge", "--no-edit", "architect", check=False, path=_MINIMAL_PATH)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    assert "merge driver cannot run" in merged.stderr
    text = (repo / "workshops" / "w.yaml").read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and f"value: {theirs_value}" in text and f"value: {ours_value}" in text


# -- the side files needsmap writes beside a workshop -----------------------------------------------
SIDE_FILES = (
    ".w.yaml.needsmap-lock",
    ".w.yaml.needsmap-draft",  # a form's draft, one per workshop
    ".w.yaml.3f9a1c.needsmap-draft",  # a form's draft, one per session
    ".w.yaml.k2j4h5l6.needsmap-tmp",  # a save that was killed half way
    "w.yaml.bak",
)


def test_git_setup_keeps_needsmap_side_files_out_of_git_status(tmp_path: Path, runner, monkeypatch):
    root = tmp_path / "repo"
    (root / "workshops").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text("build/\n*.log", encoding="utf-8")  # theirs, no newline at the end
    (root / "workshops" / "w.yaml").write_text(dump(BASE), encoding="utf-8")
    monkeypatch.chdir(root / "workshops")
    result = runner.invoke(main, ["git-setup"])
    assert result.exit_code == 0, result.output
    assert ".gitignore" in result.stdout and ".*.needsmap-lock" in result.stdout
    text = (root / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith("build/\n*.log\n") and text.endswith("\n")
    for name in SIDE_FILES:
        (root / "workshops" / name).write_text("x", encoding="utf-8")
    session = Session.open(root / "workshops" / "w.yaml")  # the real lock file
    try:
        status = git(root, "status", "--porcelain", "--untracked-files=all").stdout.split("\n")
    finally:
        session.close()
    assert sorted(line[3:] for line in status if line) == [".gitattributes", ".gitignore", "workshops/w.yaml"]
    again = runner.invoke(main, ["git-setup"])
    assert again.exit_code == 0 and (root / ".gitignore").read_text(encoding="utf-8") == text
    assert ".gitignore already" in again.stdout


def test_git_setup_can_leave_gitignore_alone(tmp_path: Path, runner, monkeypatch):
    git(tmp_path, "init", "-q", "-b", "main")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["git-setup", "--no-gitignore"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".gitignore").exists() and (tmp_path / ".gitattributes").exists()
