"""A real git repository: two branches edit one workshop, git merges them through the needsmap driver."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.format.opening import open_workshop
from needsmap.format.saver import dump
from tests.conftest import DEMO, assert_opens_clean

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="needs git")
BASE = open_workshop(DEMO).workshop
# the driver runs as "needsmap ..." or "python -m needsmap ...": both must be found from git's shell
_PATH = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": _PATH,
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
