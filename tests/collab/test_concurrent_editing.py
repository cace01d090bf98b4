"""Two editors on one workshop file: what each saves is merged into the other, nothing typed is lost.

Sessions (the engine under the terminal UI) and whole terminal UIs edit one
file in interleaved order: different items, different fields of one item,
and the same field.  After every step the file on disk is valid and holds
every edit acknowledged so far; a real conflict keeps one side in the file
and waits for the user's choice.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.collab.session import Session
from needsmap.format.opening import open_workshop
from needsmap.tui.app import create_app
from needsmap.tui.widgets.dialogs import MergeConflictsDialog
from tests.conftest import assert_opens_clean, copy_demo
from tests.tui.conftest import until


def field_of(ws, section: str, ident: str, name: str):
    return getattr(next(item for item in ws.section(section) if item.id == ident), name)


def edit(session: Session, section: str, ident: str, **changes) -> None:
    session.update(section, session.find(section, ident), **changes)
    assert session.conflict is None, session.conflict


def tick() -> None:
    time.sleep(0.002)  # file times must differ for the other side to see a change (coarse mtime file systems)


def test_interleaved_edits_of_two_sessions_all_land(demo_copy: Path):
    a, b = Session.open(demo_copy), Session.open(demo_copy)
    edit(a, "stakeholders", "sanne", role="Head of CRM")  # A: one item
    tick()
    edit(b, "use_cases", "welcome-journey", value=2)  # B: another item (its save merges A's)
    tick()
    edit(a, "use_cases", "welcome-journey", title="Welcome flow")  # A: another field of B's item
    tick()
    edit(b, "stakeholders", "sanne", function="cx")  # B: another field of A's item
    tick()
    assert a.sync_with_disk().kind == "merged"
    ws = assert_opens_clean(demo_copy)
    for view in (ws, a.workshop, b.workshop):
        assert field_of(view, "stakeholders", "sanne", "role") == "Head of CRM"
        assert field_of(view, "stakeholders", "sanne", "function") == "cx"
        assert field_of(view, "use_cases", "welcome-journey", "value") == 2
        assert field_of(view, "use_cases", "welcome-journey", "title") == "Welcome flow"
    assert a.workshop == b.workshop == ws


def test_items_added_and_deleted_on_both_sides_all_land(demo_copy: Path):
    a, b = Session.open(demo_copy), Session.open(demo_copy)
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
    ws = assert_opens_clean(demo_copy)
    assert {"from-a", "from-b"} <= {n.id for n in ws.notes}
    assert gone not in {n.id for n in ws.notes}
    assert a.workshop == ws


@pytest.mark.parametrize("take_theirs", [False, True])
def test_the_same_field_changed_on_both_sides_waits_for_a_choice(demo_copy: Path, take_theirs: bool):
    a, b = Session.open(demo_copy), Session.open(demo_copy)
    edit(a, "stakeholders", "tom", role="A's words")
    tick()
    edit(b, "stakeholders", "tom", role="B's words")  # B's save finds A's: a conflict, B's value kept
    edit(b, "stakeholders", "sanne", role="B later")  # B goes on editing meanwhile
    assert [(c.id, c.field, c.ours, c.theirs) for c in b.pending_conflicts] == [
        ("tom", "role", "B's words", "A's words")
    ]
    assert (
        field_of(assert_opens_clean(demo_copy), "stakeholders", "tom", "role") == "B's words"
    )  # nothing lost: A's waits
    b.resolve_conflicts(take_theirs=take_theirs)
    ws = assert_opens_clean(demo_copy)
    assert field_of(ws, "stakeholders", "tom", "role") == ("A's words" if take_theirs else "B's words")
    assert field_of(ws, "stakeholders", "sanne", "role") == "B later"
    assert not b.pending_conflicts and not ws.conflicts


def test_a_text_editor_between_saves_is_merged_and_a_broken_save_waits(demo_copy: Path):
    s = Session.open(demo_copy)
    text = demo_copy.read_text(encoding="utf-8")
    tick()
    demo_copy.write_text(text.replace("name: Sanne de Vries", "name: [Sanne"), encoding="utf-8")  # half-typed
    assert s.sync_with_disk().kind == "unreadable"
    tick()
    demo_copy.write_text(text.replace("name: Sanne de Vries", "name: Sanne Editor"), encoding="utf-8")  # fixed
    edit(s, "stakeholders", "tom", role="Typed in the UI")
    ws = assert_opens_clean(demo_copy)
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
    path = copy_demo(tmp_path_factory.mktemp("interleave"))
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
        ws = assert_opens_clean(path)  # valid after every step, and holding every acknowledged edit
        for (i, f), v in expected.items():
            assert field_of(ws, "stakeholders", i, f) == v, (i, f)
    for s in sessions.values():
        s.sync_with_disk()
        assert not s.pending_conflicts
    assert sessions["a"].workshop == sessions["b"].workshop == assert_opens_clean(path)


# -- two terminal UIs ----------------------------------------------------------------------------
def test_two_terminal_uis_on_one_file(demo_copy: Path):
    """Two apps: edits to different items and fields merge both ways; the same field asks the user."""

    async def body():
        one, two = create_app(demo_copy), create_app(demo_copy)
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
            ws = assert_opens_clean(demo_copy)
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

    base = assert_opens_clean(path)

    def branch(role: str):
        ws = open_workshop(path).workshop
        ws.stakeholders = [dataclasses.replace(s, role=role) if s.id == "tom" else s for s in ws.stakeholders]
        return ws

    merged = merge_workshops(base, branch("Ours"), branch("Theirs"))
    assert len(merged.conflicts) == 1
    path.write_text(dump(merged.workshop), encoding="utf-8")


@pytest.mark.parametrize("key, settled", [("k", True), ("l", False)])
def test_a_file_with_conflicts_from_git_opens_and_they_can_be_settled(demo_copy: Path, key: str, settled: bool):
    _conflicted(demo_copy)
    assert [d.code for d in open_workshop(demo_copy).diagnostics if d.severity == "error"] == ["merge-conflict"]

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, MergeConflictsDialog), "the conflicts to be shown")
            assert 'the file has "Ours", the other branch "Theirs"' in "\n".join(app.screen.lines)
            await pilot.press(key)
            await until(pilot, lambda: not isinstance(app.screen, MergeConflictsDialog), "the dialog to close")
            if settled:
                await until(pilot, lambda: not on_disk_conflicts(demo_copy), "the file to be saved without conflicts")
                app.session.undo()  # one undoable edit
                await until(pilot, lambda: on_disk_conflicts(demo_copy), "undo to bring the conflict back")
            else:
                assert on_disk_conflicts(demo_copy)

    asyncio.run(body())
    result = open_workshop(demo_copy)
    assert field_of(result.workshop, "stakeholders", "tom", "role") == "Ours"


def on_disk_conflicts(path: Path):
    return open_workshop(path).workshop.conflicts
