"""A form saves only the fields the person changed in it, onto the item as it is when the form is saved.

While a form is open, the session may merge what someone else saved (another needsmap, an editor,
``git pull``).  Saving the form must keep those changes: fields the form did not change stay as they are
now, a field changed on both sides asks "keep mine / take theirs" (the dialog merge conflicts use), and a
nested record (a system's holding) is found again by its key, not by its position in the list.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import TextArea

from needsmap.collab.session import Session
from needsmap.tui.app import create_app
from needsmap.tui.screens.items import ItemListScreen
from needsmap.tui.widgets.dialogs import MergeConflictsDialog
from needsmap.tui.widgets.forms import ItemForm
from needsmap.tui.widgets.table import ItemTable
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, merged, save_form, show, sync, until


def tick() -> None:
    time.sleep(0.002)  # file times must differ for the other side to see a change (coarse mtime file systems)


def item(ws, section: str, ident: str):
    return next(i for i in ws.section(section) if i.id == ident)


async def edit_form(pilot, key: str, screen_name: str, ident: str) -> tuple[ItemListScreen, ItemForm]:
    """The list screen and the edit form of the item ``ident``, opened with ``e``."""
    screen = await show(pilot, key, screen_name)
    assert screen.select(ident)
    await pilot.pause()
    await pilot.press("e")
    form = await until(pilot, lambda: isinstance(pilot.app.screen, ItemForm) and pilot.app.screen, "the form")
    return screen, form


async def retype(pilot, form: ItemForm, key: str, text: str) -> None:
    """Replace what the field ``key`` holds by typing, as a person would."""
    field = form.query_one(f"#input-{key}")
    field.focus()
    await until(pilot, lambda: field.has_focus, f"the focus on {key}")
    await pilot.press("home", "ctrl+k", *text)
    await until(pilot, lambda: (field.text if isinstance(field, TextArea) else field.value) == text, f"{key} typed")


@sync
async def test_a_form_keeps_what_another_session_saved_meanwhile(demo_copy: Path):
    """Two UIs: two saves sanne's role while one's form on sanne is open; one saves its name: both stay."""
    one, two = create_app(demo_copy), create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        _, form1 = await edit_form(p1, "2", "StakeholdersScreen", "sanne")
        _, form2 = await edit_form(p2, "2", "StakeholdersScreen", "sanne")
        await retype(p2, form2, "role", "Chief customer officer")
        await save_form(p2, form2)
        tick()
        await merged(
            p1, lambda: one.session.item("stakeholders", "sanne").role == "Chief customer officer", "two's role"
        )
        # one's form, open all along, still shows the old role; the person changes the name only
        assert form1.query_one("#input-role").value == "Head of CRM and Haven Club"
        await retype(p1, form1, "name", "Sanne de Vries-Jansen")
        await save_form(p1, form1)
        assert not isinstance(one.screen, MergeConflictsDialog)
    sanne = item(assert_opens_clean(demo_copy), "stakeholders", "sanne")
    assert sanne.name == "Sanne de Vries-Jansen"
    assert sanne.role == "Chief customer officer"  # two's acknowledged edit is still there
    assert sanne.function == "marketing" and sanne.influence == "high"


@pytest.mark.parametrize("answer, role", [("k", "One's role"), ("t", "Two's role")])
@sync
async def test_a_field_changed_in_the_form_and_on_disk_asks_which_to_keep(demo_copy: Path, answer: str, role: str):
    one = create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1:
        _, form = await edit_form(p1, "2", "StakeholdersScreen", "sanne")
        other = Session.open(demo_copy)  # another needsmap (or an editor) changes the role and the notes
        other.update("stakeholders", other.find("stakeholders", "sanne"), role="Two's role", notes="Two's notes")
        other.close()
        tick()
        await merged(p1, lambda: one.session.item("stakeholders", "sanne").notes == "Two's notes", "the merge")
        await retype(p1, form, "role", "One's role")
        await retype(p1, form, "name", "Sanne J.")
        await save_form(p1, form)
        dialog = await until(p1, lambda: isinstance(one.screen, MergeConflictsDialog) and one.screen, "the question")
        assert dialog.lines == ["stakeholder 'sanne', field 'role': yours \"One's role\", theirs \"Two's role\""]
        await p1.press(answer)
        await until(p1, lambda: not isinstance(one.screen, MergeConflictsDialog), "the dialog to close")
        await until(p1, lambda: item(assert_opens_clean(demo_copy), "stakeholders", "sanne").role == role, role)
    sanne = item(assert_opens_clean(demo_copy), "stakeholders", "sanne")
    assert (sanne.role, sanne.name, sanne.notes) == (role, "Sanne J.", "Two's notes")  # the rest of both sides


async def holding_form(pilot, ident: str, attribute: str) -> ItemForm:
    """The form of the holding of ``attribute`` in system ``ident``, opened from the Holds list."""
    screen = await show(pilot, "6", "SystemsScreen")
    assert screen.select(ident)
    await pilot.pause()
    holds = screen.query_one("#sub-holds", ItemTable)
    holds.focus()
    await until(pilot, lambda: holds.has_focus, "the holdings")
    row = [h.attribute for h in pilot.app.session.item("systems", ident).holds].index(attribute)
    holds.move_to(str(row))
    await pilot.pause()
    await pilot.press("e")
    return await until(pilot, lambda: isinstance(pilot.app.screen, ItemForm) and pilot.app.screen, "the form")


@sync
async def test_a_nested_record_is_patched_where_it_is_now_by_its_key(demo_copy: Path):
    """The tills' email holding is edited while someone removes the holding above it and changes its quality."""
    one = create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1:
        form = await holding_form(p1, "pos", "email")
        other = Session.open(demo_copy)
        pos = other.find("systems", "pos")
        holds = other.workshop.systems[pos].holds
        moved = [h for h in holds if h.attribute != "loyalty_number"]  # the first holding goes: email moves up
        moved = [replace(h, quality=3) if h.attribute == "email" else h for h in moved]
        other.update("systems", pos, holds=moved)
        other.close()
        tick()
        await merged(p1, lambda: len(one.session.item("systems", "pos").holds) == 4, "the merge")
        await retype(p1, form, "field", "Receipt.Email")
        await save_form(p1, form)
        assert not isinstance(one.screen, MergeConflictsDialog)
    holds = {h.attribute: h for h in item(assert_opens_clean(demo_copy), "systems", "pos").holds}
    assert list(holds) == ["email", "last_store_visit", "loyalty_tier", "points_balance"]
    assert (holds["email"].field, holds["email"].quality) == ("Receipt.Email", 3)
    assert holds["last_store_visit"].field == "Receipt.Date"  # the holding now where email was is untouched


@sync
async def test_a_nested_field_changed_on_both_sides_asks_too(demo_copy: Path):
    one = create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1:
        form = await holding_form(p1, "pos", "email")
        other = Session.open(demo_copy)
        pos = other.find("systems", "pos")
        holds = list(other.workshop.systems[pos].holds)
        holds[1] = replace(holds[1], field="Receipt.Mail", quality=3)
        other.update("systems", pos, holds=holds)
        other.close()
        tick()
        await merged(p1, lambda: one.session.item("systems", "pos").holds[1].quality == 3, "the merge")
        await retype(p1, form, "field", "Receipt.Email")
        await retype(p1, form, "coverage", "0.3")
        await save_form(p1, form)
        dialog = await until(p1, lambda: isinstance(one.screen, MergeConflictsDialog) and one.screen, "the question")
        assert dialog.lines == [
            "system 'pos', field 'holds[email].field': yours \"Receipt.Email\", theirs \"Receipt.Mail\""
        ]
        await p1.press("t")
        await until(p1, lambda: not isinstance(one.screen, MergeConflictsDialog), "the dialog to close")
        await until(
            p1, lambda: item(assert_opens_clean(demo_copy), "systems", "pos").holds[1].field == "Receipt.Mail", "theirs"
        )
    email = item(assert_opens_clean(demo_copy), "systems", "pos").holds[1]
    assert (email.attribute, email.field, email.quality, email.coverage) == ("email", "Receipt.Mail", 3, 0.3)


@sync
async def test_a_new_id_and_field_edits_rename_then_patch(demo_copy: Path):
    one = create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1:
        _, form = await edit_form(p1, "2", "StakeholdersScreen", "tom")
        other = Session.open(demo_copy)
        other.update("stakeholders", other.find("stakeholders", "tom"), role="Director of e-commerce")
        other.close()
        tick()
        await merged(p1, lambda: one.session.item("stakeholders", "tom").role == "Director of e-commerce", "the merge")
        await retype(p1, form, "id", "tom-peeters")
        await retype(p1, form, "notes", "Now keen on faster checkout.")
        await save_form(p1, form)
        assert not isinstance(one.screen, MergeConflictsDialog)
    ws = assert_opens_clean(demo_copy)
    tom = item(ws, "stakeholders", "tom-peeters")
    assert (tom.role, tom.notes, tom.name) == ("Director of e-commerce", "Now keen on faster checkout.", "Tom Peeters")
    assert "tom" not in {s.id for s in ws.stakeholders}
    assert "tom" not in {getattr(i, "owner", None) for s in ("use_cases", "systems") for i in ws.section(s)}
    assert "tom-peeters" in {getattr(i, "owner", None) for s in ("use_cases", "systems") for i in ws.section(s)}


@sync
async def test_a_form_saved_unchanged_changes_nothing(demo_copy: Path):
    one = create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1:
        _, form = await edit_form(p1, "2", "StakeholdersScreen", "noor")
        other = Session.open(demo_copy)
        other.update("stakeholders", other.find("stakeholders", "noor"), interest="low")
        other.close()
        tick()
        await merged(p1, lambda: one.session.item("stakeholders", "noor").interest == "low", "the merge")
        undo = len(one.session.undo_stack)
        await save_form(p1, form)
        await p1.pause()
        assert len(one.session.undo_stack) == undo  # no edit: nothing was changed
    assert item(assert_opens_clean(demo_copy), "stakeholders", "noor").interest == "low"
