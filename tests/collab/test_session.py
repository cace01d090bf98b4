"""Editing sessions: every edit saved, undo/redo, renames, conflicts with the file on disk, locks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from needsmap.analysis.engine import analyse
from needsmap.collab.session import Session, SessionError, edited
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from tests.conftest import DATA, assert_opens_clean


def test_every_edit_is_on_disk_at_once(demo_copy: Path):
    s = Session.open(demo_copy)
    i = s.find("stakeholders", "sanne")
    s.update("stakeholders", i, role="Chief customer officer")
    assert "role: Chief customer officer" in demo_copy.read_text(encoding="utf-8")
    s.add("notes", m.Note(id="q-new", kind="question", text="Who signs off the consent texts?", about=["sanne"]))
    assert assert_opens_clean(demo_copy).notes[-1].text == "Who signs off the consent texts?"
    s.close()


def test_undo_redo_across_saves(demo_copy: Path):
    original = demo_copy.read_bytes()
    s = Session.open(demo_copy)
    s.update("use_cases", s.find("use_cases", "welcome-journey"), value=1)
    s.delete("attributes", s.find("attributes", "gender"))
    assert s.undo() == "delete gender"
    assert s.undo() == "change value"
    assert demo_copy.read_bytes() == original
    assert s.redo() == "change value"
    assert s.item("use_cases", "welcome-journey").value == 1
    assert "gender" in {a.id for a in s.workshop.attributes}
    s.close()


def test_rename_updates_every_reference_as_one_edit(demo_copy: Path):
    s = Session.open(demo_copy)
    n = s.rename("stakeholders", "sanne", "sanne.devries")
    assert n > 3
    text = demo_copy.read_text(encoding="utf-8")
    assert "owner: sanne\n" not in text and "by: sanne\n" not in text
    assert_opens_clean(demo_copy)
    s.undo()
    assert "owner: sanne\n" in demo_copy.read_text(encoding="utf-8")
    s.close()


def test_edits_never_change_items_in_place(demo_copy: Path):
    s = Session.open(demo_copy)
    before = s.workshop.use_cases[0]
    s.update("use_cases", 0, title="New title")
    assert before.title != "New title" and s.workshop.use_cases[0] is not before
    with pytest.raises(ValueError):
        s.replace("use_cases", 0, s.workshop.use_cases[0])
    s.close()


def test_analysis_follows_edits(demo_copy: Path):
    s = Session.open(demo_copy)
    assert s.analysis.readiness["consent-management"].status == "blocked"
    crm = s.find("systems", "crm")
    s.update("systems", crm, holds=[*s.workshop.systems[crm].holds, m.Holding("consent_timestamp", role="master")])
    assert (
        s.analysis.readiness["consent-management"].status != "blocked"
        or "consent_timestamp is held nowhere" not in s.analysis.readiness["consent-management"].reasons
    )
    assert [g.key for g in s.analysis.gaps] == [g.key for g in analyse(s.workshop).gaps]
    s.close()


def test_a_change_on_disk_is_merged_with_ours_not_overwritten(demo_copy: Path):
    s = Session.open(demo_copy)
    text = demo_copy.read_text(encoding="utf-8").replace("name: Sanne de Vries", "name: Sanne de Vries-Bakker")
    time.sleep(0.01)
    demo_copy.write_text(text, encoding="utf-8")  # a colleague saves, or git pull
    assert s.check_disk().changed
    s.update("use_cases", 0, title="Mine")
    assert s.conflict is None
    saved = open_workshop(demo_copy).workshop
    assert saved.use_cases[0].title == "Mine"  # ours
    assert saved.stakeholders[0].name == "Sanne de Vries-Bakker"  # and theirs
    assert s.item("stakeholders", "sanne").name == "Sanne de Vries-Bakker"
    s.close()


def test_an_unreadable_file_on_disk_is_never_overwritten(demo_copy: Path):
    s = Session.open(demo_copy)
    text = demo_copy.read_text(encoding="utf-8").replace("name: Sanne de Vries", "name: [Sanne de Vries")
    time.sleep(0.01)
    demo_copy.write_text(text, encoding="utf-8")  # an editor's half-finished save: not valid YAML
    assert s.sync_with_disk().kind == "unreadable"
    s.update("use_cases", 0, title="Mine")
    assert s.conflict and "changed on disk" in s.conflict
    assert demo_copy.read_text(encoding="utf-8") == text  # theirs is untouched
    s.keep_mine()
    assert "title: Mine" in demo_copy.read_text(encoding="utf-8")
    assert "[Sanne de Vries" in demo_copy.with_name(demo_copy.name + ".bak").read_text(encoding="utf-8")
    s.close()


def test_reload_takes_theirs(demo_copy: Path):
    s = Session.open(demo_copy)
    s.update("use_cases", 0, title="Mine")
    demo_copy.write_text(
        demo_copy.read_text(encoding="utf-8").replace("Sanne de Vries", "Sanne Theirs"), encoding="utf-8"
    )
    s.reload()
    assert s.item("stakeholders", "sanne").name == "Sanne Theirs"
    assert not s.undo_stack and s.conflict is None
    s.close()


def test_second_instance_is_noticed(demo_copy: Path):
    code = textwrap.dedent(f"""
        import sys, time
        from needsmap.collab.session import Session
        s = Session.open({str(demo_copy)!r})
        print("open", flush=True)
        time.sleep(30)
    """)
    other = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "open"
        s = Session.open(demo_copy)
        assert s.other_instance is not None and s.other_instance.pid == other.pid
        s.close()
    finally:
        other.send_signal(signal.SIGKILL)
        other.wait()
    s2 = Session.open(demo_copy)  # the other one died: its lock is stale
    assert s2.other_instance is None
    s2.close()


def test_comments_are_not_dropped_without_consent(tmp_path: Path):
    path = tmp_path / "w.yaml"
    path.write_text("needsmap: 1\nworkshop:\n  name: W  # keep me?\n", encoding="utf-8")
    s = Session.open(path)
    s.set_top("workshop", edited(s.workshop.workshop, name="W2"))
    assert s.conflict == "comments"
    assert "# keep me?" in path.read_text(encoding="utf-8")
    assert s.confirm_drop_comments()
    assert "name: W2" in path.read_text(encoding="utf-8")
    s.close()


def test_invalid_file_cannot_be_edited():
    with pytest.raises(SessionError) as err:
        Session.open(DATA / "bad" / "unknown-reference.yaml")
    assert err.value.diagnostics and err.value.diagnostics[0].line == 10


def test_saving_after_an_edit_is_fast_at_enterprise_scale(tmp_path: Path):
    """Not a timing assertion: proves the item cache is used (only the edited item is re-rendered)."""
    from needsmap.synthetic.builder import generate

    s = Session.create(tmp_path / "big.yaml", generate("medium", 2))
    s.update("use_cases", 3, title="Renamed")
    cached = dict(s._cache._lines)
    s.update("use_cases", 4, title="Renamed too")
    changed = [k for k, v in s._cache._lines.items() if cached.get(k) is not v]
    assert len(changed) == 1
    assert_opens_clean(tmp_path / "big.yaml")
    s.close()


def test_opening_removes_temporary_files_that_a_killed_save_left_behind(demo_copy: Path):
    old_tmp = demo_copy.with_name(f".{demo_copy.name}.abc123.needsmap-tmp")
    fresh_tmp = demo_copy.with_name(f".{demo_copy.name}.def456.needsmap-tmp")
    other = demo_copy.with_name(".other.yaml.abc123.needsmap-tmp")
    for path in (old_tmp, fresh_tmp, other):
        path.write_text("half a workshop", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    for path in (old_tmp, other):
        os.utime(path, (an_hour_ago, an_hour_ago))
    s = Session.open(demo_copy)
    assert not old_tmp.exists()  # left by a needsmap that was killed mid-save
    assert fresh_tmp.exists()  # may be a save in progress right now
    assert other.exists()  # another file's
    s.close()


def test_renaming_or_deleting_a_voter_or_an_option_carries_the_votes_along(demo_copy: Path):
    """Votes refer to a stakeholder and an option: a rename follows into them, a delete takes them along,
    so the file always opens (a dangling vote is an error that needsmap refuses to open)."""
    from needsmap.tui import linking

    s = Session.open(demo_copy)
    s.add("options", m.Option("registry", "Registry"))
    s.add("options", m.Option("hub", "Hub"))
    s.set_top("votes", [m.Vote("sanne", "registry", 4), m.Vote("bas", "hub", 2), m.Vote("sanne", "hub", 5)])
    s.rename("stakeholders", "sanne", "sanne.devries")
    assert [(v.stakeholder, v.option) for v in s.workshop.votes] == [
        ("sanne.devries", "registry"),
        ("bas", "hub"),
        ("sanne.devries", "hub"),
    ]
    assert_opens_clean(demo_copy)
    s.rename("options", "hub", "data-hub")
    assert [v.option for v in s.workshop.votes] == ["registry", "data-hub", "data-hub"]
    assert "vote #2" in linking.references(s, "options", "data-hub")
    linking.delete(s, "options", "data-hub")
    assert [(v.stakeholder, v.option) for v in s.workshop.votes] == [("sanne.devries", "registry")]
    assert_opens_clean(demo_copy)
    linking.delete(s, "stakeholders", "sanne.devries")
    assert s.workshop.votes == []
    assert_opens_clean(demo_copy)
    s.close()
