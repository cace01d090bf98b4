"""Two editors on one workshop file: what each saves is merged into the other, nothing typed is lost.

Sessions (the engine under the terminal UI) and whole terminal UIs edit one
file in interleaved order: different items, different fields of one item,
and the same field.  After every step the file on disk is valid and holds
every edit acknowledged so far; a real conflict keeps one side in the file
and waits for the user's choice.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.collab.session import Session
from needsmap.format.opening import open_workshop
from needsmap.tui.app import create_app
from needsmap.tui.widgets.dialogs import MergeConflictsDialog
from tests.conftest import DEMO


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    shutil.copy(DEMO, path)
    return path


def on_disk(path: Path):
    result = open_workshop(path)
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    return result.workshop


def field_of(ws, section: str, ident: str, name: str):
    return getattr(next(item for item in ws.section(section) if item.id == ident), name)


def edit(session: Session, section: str, ident: str, **changes) -> None:
    session.update(section, session.find(section, ident), **changes)
    assert session.conflict is None, session.conflict


def tick() -> None:
    time.sleep(0.002)  # file times must differ for the other side to see a change (coarse mtime file systems)


def test_interleaved_edits_of_two_sessions_all_land(demo: Path):
    a, b = Session.open(demo), Session.open(demo)
    edit(a, "stakeholders", "sanne", role="Head of CRM")  # A: one item
    tick()
    edit(b, "use_cases", "welcome-journey", value=2)  # B: another item (its save merges A's)
    tick()
    edit(a, "use_cases", "welcome-journey", title="Welcome flow")  # A: another field of B's item
    tick()
    edit(b, "stakeholders", "sanne", function="cx")  # B: another field of A's item
    tick()
    assert a.sync_with_disk().kind == "merged"
    ws = on_disk(demo)
    for view in (ws, a.workshop, b.workshop):
        assert field_of(view, "stakeholders", "sanne", "role") == "Head of CRM"
        assert field_of(view, "stakeholders", "sanne", "function") == "cx"
        assert field_of(view, "use_cases", "welcome-journey", "value") == 2
        assert field_of(view, "use_cases", "welcome-journey", "title") == "Welcome flow"
    assert a.workshop == b.workshop == ws


def test_items_added_and_deleted_on_both_sides_all_land(demo: Path):
    a, b = Session.open(demo), Session.open(demo)
    from needsmap.format import model as m

    a.add("notes", m.Note(id="from-a", text="Asked by A"))
    tick()
    b.add("notes", m.Note(id="from-b", text="Asked by B"))
    tick()
    referenced = {i for n in b.workshop.notes for i in n.about}
    gone = next(n.id for n in b.workshop.notes if n.id not in referenced and not n.id.startswith("from-"))
    b.delete("notes", b.find("notes", gone))
    tick()
    a.sync_with_disk()
    ws = on_disk(demo)
    assert {"from-a", "from-b"} <= {n.id for n in ws.notes}
    assert gone not in {n.id for n in ws.notes}
    assert a.workshop == ws


@pytest.mark.parametrize("take_theirs", [False, True])
def test_the_same_field_changed_on_both_sides_waits_for_a_choice(demo: Path, take_theirs: bool):
    a, b = Session.open(demo), Session.open(demo)
    edit(a, "stakeholders", "tom", role="A's words")
    tick()
    edit(b, "stakeholders", "tom", role="B's words")  # B's save finds A's: a conflict, B's value kept
    edit(b, "stakeholders", "sanne", role="B later")  # B goes on editing meanwhile
    assert [(c.id, c.field, c.ours, c.theirs) for c in b.pending_conflicts] == [
        ("tom", "role", "B's words", "A's words")
    ]
    assert field_of(on_disk(demo), "stakeholders", "tom", "role") == "B's words"  # nothing lost: A's waits
    b.resolve_conflicts(take_theirs=take_theirs)
    ws = on_disk(demo)
    assert field_of(ws, "stakeholders", "tom", "role") == ("A's words" if take_theirs else "B's words")
    assert field_of(ws, "stakeholders", "sanne", "role") == "B later"
    assert not b.pending_conflicts and not ws.conflicts


def test_a_text_editor_between_saves_is_merged_and_a_broken_save_waits(demo: Path):
    s = Session.open(demo)
    text = demo.read_text(encoding="utf-8")
    tick()
    demo.write_text(text.replace("name: Sanne de Vries", "name: [Sanne"), encoding="utf-8")  # half-typed
    assert s.sync_with_disk().kind == "unreadable"
    tick()
    demo.write_text(text.replace("name: Sanne de Vries", "name: Sanne Editor"), encoding="utf-8")  # fixed
    edit(s, "stakeholders", "tom", role="Typed in the UI")
    ws = on_disk(demo)
    assert field_of(ws, "stakeholders", "sanne", "name") == "Sanne Editor"
    assert field_of(ws, "stakeholders", "tom", "role") == "Typed in the UI"


EDITS = st.lists(
    st.tuples(
        st.sampled_from("ab"),
        st.sampled_from(["role", "notes"]),
        st.integers(0, 4),
        st.text(alphabet="abcdefgh xyz", min_size=1, max_size=12).map(str.strip).filter(bool),
        st.booleans(),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=EDITS)
def test_any_interleaving_of_edits_to_different_fields_loses_nothing(tmp_path_factory, steps):
    """A edits roles, B edits notes of the first five stakeholders, in any order, syncing or not."""
    path = tmp_path_factory.mktemp("interleave") / "demo.yaml"
    shutil.copy(DEMO, path)
    sessions = {"a": Session.open(path), "b": Session.open(path)}
    owner = {"role": "a", "notes": "b"}
    expected: dict[tuple[str, str], str] = {}
    for who, field, index, value, sync in steps:
        who = owner[field]  # each side owns one field: no real conflict can arise
        s = sessions[who]
        if sync:
            s.sync_with_disk()
        ident = s.workshop.stakeholders[index].id
        edit(s, "stakeholders", ident, **{field: value})
        expected[(ident, field)] = value
        tick()
        ws = on_disk(path)  # valid after every step, and holding every acknowledged edit
        for (i, f), v in expected.items():
            assert field_of(ws, "stakeholders", i, f) == v, (i, f)
    for s in sessions.values():
        s.sync_with_disk()
        assert not s.pending_conflicts
    assert sessions["a"].workshop == sessions["b"].workshop == on_disk(path)


# -- two terminal UIs ----------------------------------------------------------------------------
async def until(pilot, condition, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


def test_two_terminal_uis_on_one_file(demo: Path):
    """Two apps: edits to different items and fields merge both ways; the same field asks the user."""

    async def body():
        one, two = create_app(demo), create_app(demo)
        async with one.run_test(size=(120, 40)) as p1, two.run_test(size=(120, 40)) as p2:
            s1, s2 = one.session, two.session
            edit(s1, "stakeholders", "sanne", role="From one")
            tick()
            edit(s2, "use_cases", "welcome-journey", value=1)  # two's save merges one's edit
            await until(
                p2,
                lambda: field_of(s2.workshop, "stakeholders", "sanne", "role") == "From one",
                "two to have one's edit",
            )
            one.check_disk()  # what one's 2-second timer does
            await until(
                p1,
                lambda: field_of(s1.workshop, "use_cases", "welcome-journey", "value") == 1,
                "one to have two's edit",
            )
            # the same field on both sides
            edit(s1, "stakeholders", "tom", role="One's words")
            tick()
            edit(s2, "stakeholders", "tom", role="Two's words")
            await until(p2, lambda: isinstance(two.screen, MergeConflictsDialog), "two to be asked")
            await p2.press("t")  # take theirs: one's words
            await until(p2, lambda: not isinstance(two.screen, MergeConflictsDialog), "the dialog to close")
            one.check_disk()
            await until(p1, lambda: s1.conflict is None and not s1.pending_conflicts, "one to settle")
            ws = on_disk(demo)
            assert field_of(ws, "stakeholders", "tom", "role") == "One's words"
            assert field_of(ws, "stakeholders", "sanne", "role") == "From one"
            assert field_of(ws, "use_cases", "welcome-journey", "value") == 1
            assert s1.workshop == s2.workshop == ws

    asyncio.run(body())


# -- conflicts a git merge left in the file ------------------------------------------------------------
def _conflicted(path: Path) -> None:
    """Write ``path`` as the merge driver leaves it: both branches changed tom's role."""
    import dataclasses

    from needsmap.collab.merge import merge_workshops
    from needsmap.format.saver import dump

    base = on_disk(path)

    def branch(role: str):
        ws = open_workshop(path).workshop
        ws.stakeholders = [dataclasses.replace(s, role=role) if s.id == "tom" else s for s in ws.stakeholders]
        return ws

    merged = merge_workshops(base, branch("Ours"), branch("Theirs"))
    assert len(merged.conflicts) == 1
    path.write_text(dump(merged.workshop), encoding="utf-8")


@pytest.mark.parametrize("key, settled", [("k", True), ("l", False)])
def test_a_file_with_conflicts_from_git_opens_and_they_can_be_settled(demo: Path, key: str, settled: bool):
    _conflicted(demo)
    assert [d.code for d in open_workshop(demo).diagnostics if d.severity == "error"] == ["merge-conflict"]

    async def body():
        app = create_app(demo)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, MergeConflictsDialog), "the conflicts to be shown")
            assert 'the file has "Ours", the other branch "Theirs"' in "\n".join(app.screen.lines)
            await pilot.press(key)
            await until(pilot, lambda: not isinstance(app.screen, MergeConflictsDialog), "the dialog to close")
            if settled:
                await until(pilot, lambda: not on_disk_conflicts(demo), "the file to be saved without conflicts")
                app.session.undo()  # one undoable edit
                await until(pilot, lambda: on_disk_conflicts(demo), "undo to bring the conflict back")
            else:
                assert on_disk_conflicts(demo)

    asyncio.run(body())
    result = open_workshop(demo)
    assert field_of(result.workshop, "stakeholders", "tom", "role") == "Ours"


def on_disk_conflicts(path: Path):
    return open_workshop(path).workshop.conflicts
