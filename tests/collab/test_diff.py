"""needsmap diff: item-level changes between versions, what they did to the analysis, files and git revisions."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import Markup

from needsmap.analysis.engine import analyse
from needsmap.cli.main import main
from needsmap.collab.diff import ADDED, CHANGED, REMOVED, compare, diff_workshops
from needsmap.collab.diff_output import json_document, markdown, rows
from needsmap.collab.git_revisions import RevisionError, Version, read_at_revision, versions_to_compare
from needsmap.format import spec
from needsmap.format.opening import open_workshop
from needsmap.format.saver import dump
from needsmap.report.sections.changes import html
from needsmap.synthetic.builder import generate
from needsmap.util import text as textsafe
from tests.conftest import DEMO

GIT = shutil.which("git")


@pytest.fixture(scope="module")
def demo():
    return open_workshop(DEMO).workshop


def _by_key(diff):
    return {(c.section, c.id): c for c in diff.changes}


def test_a_workshop_has_no_changes_against_itself_or_a_reordered_copy(demo):
    assert not diff_workshops(demo, copy.deepcopy(demo))
    shuffled = copy.deepcopy(demo)
    shuffled.use_cases.reverse()
    shuffled.systems[0].holds.reverse()
    assert not compare(demo, shuffled)


def test_items_added_removed_and_changed_field_by_field(demo):
    new = copy.deepcopy(demo)
    uc = new.use_cases[0]
    uc.value = 1 if uc.value != 1 else 2
    uc.channels = [*uc.channels, "post"] if "post" not in uc.channels else uc.channels[:-1]
    system = new.systems[0]
    held = system.holds[0]
    held.quality = 1 if held.quality != 1 else 2
    dropped_holding = system.holds.pop(1)
    removed_note = new.notes.pop()
    added = copy.deepcopy(new.stakeholders[0])
    added.id, added.name = "new-person", "New Person"
    new.stakeholders.append(added)
    new.channels = [*new.channel_ids, "kiosk"]

    changes = _by_key(diff_workshops(demo, new))
    uc_change = changes[("use_cases", uc.id)]
    assert uc_change.change == CHANGED
    assert {f.path for f in uc_change.fields} == {"value", "channels"}
    value = next(f for f in uc_change.fields if f.path == "value")
    assert (value.old, value.new) == (demo.use_cases[0].value, uc.value)
    sys_change = changes[("systems", system.id)]
    paths = {f.path: f for f in sys_change.fields}
    assert paths[f"holds[{held.attribute}].quality"].new == held.quality
    assert paths[f"holds[{dropped_holding.attribute}]"].change == REMOVED
    assert paths[f"holds[{dropped_holding.attribute}]"].old == dropped_holding
    assert changes[("notes", removed_note.id)].change == REMOVED
    assert changes[("stakeholders", "new-person")].change == ADDED
    assert changes[("channels", "kiosk")].change == ADDED
    assert len(changes) == 5


def test_absent_functions_count_as_their_default(demo):
    explicit = copy.deepcopy(demo)
    explicit.functions = list(explicit.function_ids)
    absent = copy.deepcopy(explicit)
    absent.functions = None
    assert not diff_workshops(explicit, absent)
    fewer = copy.deepcopy(absent)
    fewer.functions = list(absent.function_ids[1:])
    (change,) = diff_workshops(absent, fewer).changes
    assert (change.section, change.id, change.change) == ("functions", absent.function_ids[0], REMOVED)


def test_every_top_level_section_of_the_spec_is_covered():
    ws = generate("small", 3)
    for fld in spec.WORKSHOP.fields:
        value = getattr(ws, fld.attr)
        if isinstance(fld.shape, spec.ListOf) and isinstance(fld.shape.item, spec.Record) and value:
            new = copy.deepcopy(ws)
            gone = getattr(new, fld.attr).pop(0)
            changes = diff_workshops(ws, new).changes
            assert [(c.section, c.change) for c in changes] == [(fld.key, REMOVED)], fld.key
            assert changes[0].old == gone


def _ready_use_case_and_need(ws):
    analysis = analyse(ws)
    for uc in ws.use_cases:
        r = analysis.readiness.get(uc.id)
        if r is not None and r.status == "ready":
            for need in uc.needs:
                if need.effective_criticality == "must":
                    return uc, need.attribute
    raise AssertionError("the demo has a ready use case with a must need")


def test_dropping_every_holding_of_a_needed_attribute_opens_a_gap_and_blocks_the_use_case(demo):
    uc, attribute = _ready_use_case_and_need(demo)
    new = copy.deepcopy(demo)
    for system in new.systems:
        system.holds = [h for h in system.holds if h.attribute != attribute]
    changes = compare(demo, new, "before", "after")
    opened = {g.key: g for g in changes.analysis.opened}
    assert ("missing-source", (("attribute", attribute),)) in opened
    assert opened[("missing-source", (("attribute", attribute),))].severity == "error"
    readiness = {r.use_case: r for r in changes.analysis.readiness}
    assert (readiness[uc.id].old, readiness[uc.id].new) == ("ready", "blocked")
    expected_opened = {g.key for g in analyse(new).gaps} - {g.key for g in analyse(demo).gaps}
    assert set(opened) == expected_opened
    back = compare(new, demo)
    assert {g.key for g in back.analysis.closed} == expected_opened
    assert {(r.use_case, r.old, r.new) for r in back.analysis.readiness} >= {(uc.id, "blocked", "ready")}


def test_outputs_escape_workshop_text(demo):
    new = copy.deepcopy(demo)
    new.notes[0].text = "<script>alert(1)</script> | `tick` \x1b[31m"
    changes = compare(demo, new, "a", "b")
    md = markdown(changes)
    assert "<script>" not in md and "\\<script\\>" in md and "\\|" in md and "\x1b" not in md
    fragment = html(changes)
    assert isinstance(fragment, Markup)
    assert "<script>" not in fragment and "&lt;script&gt;" in fragment
    doc = json_document(changes)
    (change,) = doc["changes"]
    assert change["fields"][0]["new"] == new.notes[0].text
    assert json.loads(json.dumps(doc)) == doc
    assert rows(changes)[0][0] == "Notes"


# -- the command line, with files and git revisions ------------------------------------------
def _write(path: Path, ws) -> None:
    path.write_text(dump(ws), encoding="utf-8")


def test_cli_diff_of_two_files_in_every_format(tmp_path: Path, runner, demo):
    new = copy.deepcopy(demo)
    new.use_cases[0].title = "Renamed use case"
    target = tmp_path / "new.yaml"
    _write(target, new)
    table = runner.invoke(main, ["diff", str(DEMO), str(target)])
    assert table.exit_code == 0, table.output
    assert "Renamed use case" in table.stdout and new.use_cases[0].id in table.stdout
    md = runner.invoke(main, ["diff", str(DEMO), str(target), "--format", "md"])
    assert f"| changed | {textsafe.markdown(new.use_cases[0].id)} | title |" in md.stdout
    js = runner.invoke(main, ["diff", str(DEMO), str(target), "--format", "json", "--exit-code"])
    assert js.exit_code == 1
    doc = json.loads(js.stdout)
    assert doc["changes"] == [
        {
            "section": "use_cases",
            "id": new.use_cases[0].id,
            "change": "changed",
            "fields": [
                {"path": "title", "change": "changed", "old": demo.use_cases[0].title, "new": "Renamed use case"}
            ],
        }
    ]
    hostile = copy.deepcopy(demo)
    hostile.notes[0].text = "red \x1b[31m alert [bold]markup[/bold]"
    _write(target, hostile)
    shown = runner.invoke(main, ["diff", str(DEMO), str(target)])
    assert "\x1b" not in shown.stdout and "\\x1b[31m" in shown.stdout and "[bold]markup[/bold]" in shown.stdout
    same = runner.invoke(main, ["diff", str(DEMO), str(DEMO), "--exit-code"])
    assert same.exit_code == 0 and "No changes." in same.stdout


def test_cli_diff_refuses_invalid_and_missing_files(tmp_path: Path, runner):
    bad = tmp_path / "bad.yaml"
    bad.write_text("needsmap: 1\nworkshop: {name: x}\nuse_cases:\n  - id: a\n    title: A\n    owner: nobody\n")
    result = runner.invoke(main, ["diff", str(DEMO), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6:12: error:" in result.stderr
    missing = runner.invoke(main, ["diff", str(DEMO), str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    missing_old = runner.invoke(main, ["diff", str(tmp_path / "old.yaml"), str(DEMO)])
    assert missing_old.exit_code == 2 and f"{tmp_path / 'old.yaml'}: error: no such file" in missing_old.stderr


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run([GIT, *args], cwd=repo, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def history(tmp_path: Path, demo):
    """A repository with three commits of workshops/w.yaml: demo, v1 (tag), v2 (tag, HEAD)."""
    repo = tmp_path / "repo"
    (repo / "workshops").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    target = repo / "workshops" / "w.yaml"
    _write(target, demo)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "demo")
    v1 = copy.deepcopy(demo)
    v1.use_cases[0].value = 1 if demo.use_cases[0].value != 1 else 2
    _write(target, v1)
    _git(repo, "commit", "-q", "-am", "v1")
    _git(repo, "tag", "v1")
    v2 = copy.deepcopy(v1)
    v2.notes.pop()
    _write(target, v2)
    _git(repo, "commit", "-q", "-am", "v2")
    _git(repo, "tag", "v2")
    return repo, target, (demo, v1, v2)


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_versions_are_read_from_git_revisions(history, monkeypatch):
    repo, target, (demo, v1, v2) = history
    assert read_at_revision(target, "HEAD~2") == dump(demo).encode()
    monkeypatch.chdir(repo)
    old, new = versions_to_compare("v1..v2", "workshops/w.yaml")
    assert (old, new) == (Version("workshops/w.yaml", "v1"), Version("workshops/w.yaml", "v2"))
    assert versions_to_compare("HEAD~2", "workshops/w.yaml") == (
        Version("workshops/w.yaml", "HEAD~2"),
        Version("workshops/w.yaml"),
    )
    assert versions_to_compare(None, "workshops/w.yaml")[0] == Version("workshops/w.yaml", "HEAD")
    assert old.load().workshop == v1 and new.load().workshop == v2


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_cli_diff_between_revisions(history, runner, monkeypatch):
    repo, target, (demo, v1, v2) = history
    monkeypatch.chdir(repo)
    result = runner.invoke(main, ["diff", "v1..v2", "workshops/w.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["old"] == "v1:workshops/w.yaml" and doc["new"] == "v2:workshops/w.yaml"
    assert [(c["section"], c["id"], c["change"]) for c in doc["changes"]] == [("notes", demo.notes[-1].id, "removed")]
    result = runner.invoke(main, ["diff", "HEAD~2", "workshops/w.yaml", "--format", "json"])
    doc = json.loads(result.stdout)
    assert {(c["section"], c["id"]) for c in doc["changes"]} == {
        ("use_cases", demo.use_cases[0].id),
        ("notes", demo.notes[-1].id),
    }
    target.write_text(dump(v1), encoding="utf-8")  # the working file against HEAD: the note is back
    result = runner.invoke(main, ["diff", "workshops/w.yaml", "--format", "json"])
    assert [c["change"] for c in json.loads(result.stdout)["changes"]] == ["added"]


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_unknown_revisions_and_folders_outside_git_are_explained(history, tmp_path: Path, runner, monkeypatch):
    repo, target, _ = history
    with pytest.raises(RevisionError, match="unknown revision 'nope'"):
        read_at_revision(target, "nope")
    with pytest.raises(RevisionError, match="does not exist in revision 'HEAD'"):
        read_at_revision(repo / "workshops" / "other.yaml", "HEAD")
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(target, outside / "w.yaml")
    with pytest.raises(RevisionError, match="not in a git repository"):
        read_at_revision(outside / "w.yaml", "HEAD")
    monkeypatch.chdir(repo)
    result = runner.invoke(main, ["diff", "nope", "workshops/w.yaml"])
    assert result.exit_code == 2
    assert "workshops/w.yaml: error: unknown revision 'nope'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_report_since_a_revision_has_a_changes_section(history, runner, monkeypatch, tmp_path: Path):
    repo, target, (demo, v1, v2) = history
    monkeypatch.chdir(repo)
    removed = demo.notes[-1].id
    out = tmp_path / "report.html"
    result = runner.invoke(main, ["report", "workshops/w.yaml", "--since", "v1", "-o", str(out), "--no-diagrams"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<section id="changes-since">' in page and 'href="#changes-since"' in page
    section = page.split('<section id="changes-since">', 1)[1].split("</section>", 1)[0]
    assert "Changes since v1" in section and removed in section and "removed" in section
    md_out = tmp_path / "report.md"
    result = runner.invoke(main, ["report", "workshops/w.yaml", "--since", "v1", "-o", str(md_out)])
    assert result.exit_code == 0, result.output
    text = md_out.read_text(encoding="utf-8")
    assert "## Changes since v1" in text and textsafe.markdown(removed) in text.split("## Changes since v1")[1]
    plain = runner.invoke(main, ["report", "workshops/w.yaml", "-o", str(tmp_path / "plain.html"), "--no-diagrams"])
    assert plain.exit_code == 0 and "changes-since" not in (tmp_path / "plain.html").read_text(encoding="utf-8")
    xlsx = runner.invoke(main, ["report", "workshops/w.yaml", "--since", "v1", "-o", str(tmp_path / "r.xlsx")])
    assert xlsx.exit_code == 2 and "--since adds a section to html and md reports" in xlsx.stderr
    bad = runner.invoke(main, ["report", "workshops/w.yaml", "--since", "nope", "-o", str(out)])
    assert bad.exit_code == 2 and "unknown revision 'nope'" in bad.stderr
