"""The note form saves only the fields the person changed in it, onto the note as it is when the form is saved.

While the form is open, the session may merge what someone else saved (another needsmap, an editor,
``git pull``).  Saving the form must keep those changes: fields the form did not change stay as they are
now, and a field changed on both sides asks "keep mine / take theirs" (the dialog merge conflicts use).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Input, Select, TextArea

from needsmap.collab.session import Session
from needsmap.format import model as m
from needsmap.tui.app import create_app
from needsmap.tui.screens.notes import NoteForm, NotesScreen
from needsmap.tui.widgets.dialogs import MergeConflictsDialog
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, merged, save_form, sync, until

#: The demo's note edited here: a question about customer_since and churn-prevention, by priya, open.
NOTE = "q-customer-since"


def tick() -> None:
    time.sleep(0.002)  # file times must differ for the other side to see a change (coarse mtime file systems)


def note_in(ws: m.Workshop, ident: str) -> m.Note:
    return next(n for n in ws.notes if n.id == ident)


def on_disk(path: Path, ident: str = NOTE) -> m.Note:
    return note_in(assert_opens_clean(path), ident)


async def note_form(pilot, ident: str = NOTE) -> NoteForm:
    """The edit form of the note ``ident``, opened with ``e`` on the Notes screen."""
    app = pilot.app
    await pilot.press("9")
    screen = await until(pilot, lambda: isinstance(app.screen, NotesScreen) and app.screen, "the notes")
    assert screen.select(ident)
    await pilot.pause()
    await pilot.press("e")
    form = await until(pilot, lambda: isinstance(app.screen, NoteForm) and app.screen, "the form")
    await until(pilot, lambda: form.query_one("#f-text", TextArea).has_focus, "the form to be ready")
    return form


async def retype(pilot, form: NoteForm, key: str, text: str) -> None:
    """Replace what the field ``key`` holds by typing, as a person would."""
    field = form.query_one(f"#f-{key}")
    field.focus()
    await until(pilot, lambda: field.has_focus, f"the focus on {key}")
    if isinstance(field, TextArea):
        field.select_all()
        await pilot.press(*text)
        await until(pilot, lambda: field.text == text, f"{key} typed")
    else:
        assert isinstance(field, Input)
        await pilot.press("home", "ctrl+k", *text)
        await until(pilot, lambda: field.value == text, f"{key} typed")


async def choose(pilot, form: NoteForm, key: str, value: str) -> None:
    """Pick ``value`` in the drop-down ``key`` (kind, status)."""
    select = form.query_one(f"#f-{key}", Select)
    select.value = value
    await until(pilot, lambda: select.value == value, f"{key} {value}")


def other_session_edits(path: Path, ident: str = NOTE, **changes) -> None:
    """Another needsmap (or an editor) changes the note and saves."""
    other = Session.open(path)
    other.update("notes", other.find("notes", ident), **changes)
    other.close()
    tick()


@sync
async def test_the_note_form_keeps_what_another_session_saved_meanwhile(demo_copy: Path):
    """B changes the note's text, kind and about while A's form on it is open; A changes who raised it: all stay."""
    a = create_app(demo_copy)
    async with a.run_test(size=SIZE) as pilot:
        form = await note_form(pilot)
        other_session_edits(demo_copy, text="B's text.", kind="decision", about=["customer_since"])
        await merged(pilot, lambda: a.session.item("notes", NOTE).text == "B's text.", "B's edit")
        # A's form, open all along, still shows the old values; the person changes 'by' only
        assert form.query_one("#f-text", TextArea).text.startswith('What does "customer since" mean?')
        await retype(pilot, form, "by", "karin")
        await save_form(pilot, form)
        assert not isinstance(a.screen, MergeConflictsDialog)
    note = on_disk(demo_copy)
    assert note.by == "karin"
    assert (note.text, note.kind, note.about) == ("B's text.", "decision", ["customer_since"])  # B's edit stays
    assert note.status == "open"


@sync
async def test_two_note_forms_each_save_their_own_field(demo_copy: Path):
    """Two UIs: B saves a new status while A's form is open; A saves a new text: both stay."""
    a, b = create_app(demo_copy), create_app(demo_copy)
    async with a.run_test(size=SIZE) as pa, b.run_test(size=SIZE) as pb:
        form_a = await note_form(pa)
        form_b = await note_form(pb)
        await choose(pb, form_b, "status", "closed")
        await save_form(pb, form_b)
        tick()
        await merged(pa, lambda: a.session.item("notes", NOTE).status == "closed", "B's status")
        assert form_a.query_one("#f-status", Select).value == "open"  # A's form still shows what it opened with
        await retype(pa, form_a, "text", "One definition: the club date.")
        await save_form(pa, form_a)
        assert not isinstance(a.screen, MergeConflictsDialog)
    note = on_disk(demo_copy)
    assert (note.text, note.status) == ("One definition: the club date.", "closed")
    assert (note.kind, note.about, note.by) == ("question", ["customer_since", "churn-prevention"], "priya")


@pytest.mark.parametrize("answer, text", [("k", "A's text."), ("t", "B's text.")])
@sync
async def test_a_note_field_changed_in_the_form_and_on_disk_asks_which_to_keep(demo_copy: Path, answer: str, text: str):
    a = create_app(demo_copy)
    async with a.run_test(size=SIZE) as pilot:
        form = await note_form(pilot)
        other_session_edits(demo_copy, text="B's text.", about=["customer_since"])
        await merged(pilot, lambda: a.session.item("notes", NOTE).about == ["customer_since"], "the merge")
        await retype(pilot, form, "text", "A's text.")
        await choose(pilot, form, "kind", "risk")
        await save_form(pilot, form)
        dialog = await until(pilot, lambda: isinstance(a.screen, MergeConflictsDialog) and a.screen, "the question")
        assert dialog.lines == [f"note '{NOTE}', field 'text': yours \"A's text.\", theirs \"B's text.\""]
        await pilot.press(answer)
        await until(pilot, lambda: not isinstance(a.screen, MergeConflictsDialog), "the dialog to close")
        await until(pilot, lambda: on_disk(demo_copy).text == text, text)
    note = on_disk(demo_copy)
    assert (note.text, note.kind, note.about) == (text, "risk", ["customer_since"])  # the rest of both sides
    assert (note.by, note.status) == ("priya", "open")


@sync
async def test_a_new_note_id_renames_then_patches(demo_copy: Path):
    """A renames the note and changes its status while B changed its text: the renamed note has B's text."""
    a = create_app(demo_copy)
    async with a.run_test(size=SIZE) as pilot:
        form = await note_form(pilot)
        other_session_edits(demo_copy, text="B's text.")
        await merged(pilot, lambda: a.session.item("notes", NOTE).text == "B's text.", "the merge")
        await retype(pilot, form, "id", "q-customer-since-date")
        await choose(pilot, form, "status", "closed")
        await save_form(pilot, form)
        assert not isinstance(a.screen, MergeConflictsDialog)
    ws = assert_opens_clean(demo_copy)
    assert NOTE not in {n.id for n in ws.notes}
    note = note_in(ws, "q-customer-since-date")
    assert (note.text, note.status, note.by) == ("B's text.", "closed", "priya")


@sync
async def test_a_note_form_saved_unchanged_changes_nothing(demo_copy: Path):
    a = create_app(demo_copy)
    async with a.run_test(size=SIZE) as pilot:
        form = await note_form(pilot)
        other_session_edits(demo_copy, by="karin")
        await merged(pilot, lambda: a.session.item("notes", NOTE).by == "karin", "the merge")
        undo = len(a.session.undo_stack)
        await save_form(pilot, form)
        await pilot.pause()
        assert len(a.session.undo_stack) == undo  # no edit: nothing was changed
    note = on_disk(demo_copy)
    assert note.by == "karin"
    assert note.text.endswith("goes live.\n")  # the text as the file had it, not as the form trimmed it
