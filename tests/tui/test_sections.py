"""The list screens, forms and pickers of the terminal UI, driven as a facilitator would (App.run_test).

Every test works on a copy of the demo workshop (``demo_copy``), presses keys, and then reads
the file back from disk with ``assert_opens_clean``: it must be valid and hold the change.
Tests wait on conditions, never on the clock.
"""

from __future__ import annotations

from pathlib import Path

from needsmap.format.opening import open_workshop, parse_workshop
from needsmap.tui.app import create_app
from needsmap.tui.formcheck import FormModel
from needsmap.tui.screens.items import ItemListScreen
from needsmap.tui.widgets.forms import ItemForm, RenameDialog
from needsmap.tui.widgets.picker import LinkPicker, PickIndex, attribute_candidates
from needsmap.tui.widgets.table import ItemTable
from tests.conftest import DEMO, assert_opens_clean
from tests.tui.conftest import SIZE, show, sync, until


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def select(pilot, screen: ItemListScreen, item_id: str) -> None:
    assert screen.select(item_id)
    await pilot.pause()
    assert screen.selected_subject() == (screen.SECTION, item_id)


# -- forms ---------------------------------------------------------------------------------------
@sync
async def test_add_a_stakeholder_through_the_form(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        await pilot.press("a")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        await type_text(pilot, "Émile van Dijk")
        # the id follows the name while it is not typed by hand
        assert form.query_one("#input-id").value == "emile"
        await pilot.press("tab")
        await type_text(pilot, "Head of stores")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "the form to close")
        assert screen.selected_subject() == ("stakeholders", "emile")
    ws = assert_opens_clean(demo_copy)
    emile = next(s for s in ws.stakeholders if s.id == "emile")
    assert (emile.name, emile.role) == ("Émile van Dijk", "Head of stores")


@sync
async def test_a_form_checks_as_you_type_with_the_messages_of_validate(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "3", "UseCasesScreen")
        await select(pilot, screen, "welcome-journey")
        await pilot.press("e")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        value = form.query_one("#input-value")
        value.focus()
        await pilot.pause()
        value.value = ""
        await type_text(pilot, "7")
        problems = form.query_one("#problems-value")
        await until(pilot, lambda: "outside" in str(problems.render()), "the range message")
        assert form.query_one("#form-save").disabled
        # the same content in a file gives the same message
        text = demo_copy.read_text(encoding="utf-8").replace("    value: 4\n", "    value: 7\n", 1)
        expected = [d.message for d in parse_workshop(text).diagnostics if d.code == "out-of-range"]
        assert expected and [p.message for p in form.problems] == expected
        # Enter does not save while there are errors, and nothing is lost
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        value.value = "5"
        await until(pilot, lambda: not form.query_one("#form-save").disabled, "the error to go")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
    assert next(u for u in assert_opens_clean(demo_copy).use_cases if u.id == "welcome-journey").value == 5


def test_form_messages_are_those_of_validate_for_references():
    ws = open_workshop(DEMO).workshop
    model = FormModel(ws, "use_cases", 0)
    values = model.initial()
    values.update(owner="sane", channels="email, smss")
    _, problems = model.build(values)
    text = DEMO.read_text(encoding="utf-8").replace(
        "    owner: sanne\n    function: marketing\n    channels: [email, app]",
        "    owner: sane\n    function: marketing\n    channels: [email, smss]",
        1,
    )
    expected = {d.message for d in parse_workshop(text).diagnostics if d.code == "unknown-reference"}
    assert {p.message for p in problems} == expected
    assert any("did you mean 'sanne'?" in p.message for p in problems)


# -- the picker ----------------------------------------------------------------------------------------
@sync
async def test_a_need_by_part_of_a_synonym_and_s_for_should(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "3", "UseCasesScreen")
        await select(pilot, screen, "welcome-journey")
        await pilot.press("l")
        picker = await until(pilot, lambda: isinstance(app.screen, LinkPicker) and app.screen, "the picker")
        await type_text(pilot, "member num")  # a synonym of the Haven Club card number
        await pilot.press("enter", "s")
        await until(pilot, lambda: "loyalty_number" in str(picker.query_one("#picker-log").render()), "the link")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
    uc = next(u for u in assert_opens_clean(demo_copy).use_cases if u.id == "welcome-journey")
    assert [(n.attribute, n.criticality) for n in uc.needs if n.attribute == "loyalty_number"] == [
        ("loyalty_number", "should")
    ]


@sync
async def test_create_an_attribute_on_the_spot_in_one_undo_step(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "3", "UseCasesScreen")
        await select(pilot, screen, "new-home-journey")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, LinkPicker), "the picker")
        # typed ahead, as fast as a person talks: the keys must not get lost or misread
        await type_text(pilot, "Favourite colour")
        await pilot.press("enter", "c")
        await type_text(pilot, "emial")  # a typo of an existing attribute: links it, creates nothing
        await pilot.press("enter", "enter")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
        ws = assert_opens_clean(demo_copy)
        assert next(a for a in ws.attributes if a.id == "favourite_colour").name == "Favourite colour"
        uc = next(u for u in ws.use_cases if u.id == "new-home-journey")
        crit = {n.attribute: n.effective_criticality for n in uc.needs}
        assert crit["favourite_colour"] == "could" and crit["email"] == "must"
        assert "emial" not in {a.id for a in ws.attributes}
        # undo the e-mail need, then the creation and its need together
        app.session.undo()
        app.session.undo()
        ws = assert_opens_clean(demo_copy)
        assert "favourite_colour" not in {a.id for a in ws.attributes}
        assert "favourite_colour" not in {n.attribute for u in ws.use_cases for n in u.needs}


def test_ranking_by_name_id_and_synonym():
    ws = open_workshop(DEMO).workshop
    index = PickIndex(attribute_candidates(ws))
    assert index.rank("club card")[0].candidate.id == "loyalty_number"
    assert index.rank("club card")[0].via == "club card"
    assert index.rank("loyalty_num")[0].candidate.id == "loyalty_number"
    assert index.rank("emial")[0].candidate.id == "email"


# -- nested records ------------------------------------------------------------------------------------
@sync
async def test_edit_a_holdings_role_with_one_key_and_with_the_form(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "6", "SystemsScreen")
        await select(pilot, screen, "pos")
        holds = screen.query_one("#sub-holds", ItemTable)
        holds.focus()
        await pilot.pause()
        assert holds.cursor_key == "0"  # loyalty_number, a copy in the tills
        await pilot.press("m")
        await until(pilot, lambda: app.session.item("systems", "pos").holds[0].role == "master", "the role")
        # the second holding through its form: quality 2 -> 4
        await pilot.press("down", "e")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        quality = form.query_one("#input-quality")
        quality.focus()
        quality.value = "4"
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "the form to close")
    pos = next(s for s in assert_opens_clean(demo_copy).systems if s.id == "pos")
    assert (pos.holds[0].attribute, pos.holds[0].role) == ("loyalty_number", "master")
    assert (pos.holds[1].attribute, pos.holds[1].quality) == ("email", 4)


# -- delete, rename, filter ----------------------------------------------------------------------------------
@sync
async def test_delete_asks_first_takes_the_references_along_and_undo_restores(demo_copy: Path):
    original = demo_copy.read_bytes()
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "5", "AttributesScreen")
        await select(pilot, screen, "email")
        await pilot.press("x")
        from needsmap.tui.widgets.dialogs import ConfirmDialog

        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")  # no: nothing happens
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert demo_copy.read_bytes() == original
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        ws = assert_opens_clean(demo_copy)  # valid: no reference to the deleted attribute is left
        assert "email" not in {a.id for a in ws.attributes}
        assert screen.selected_subject() is not None
        app.session.undo()
        await pilot.pause()
        assert demo_copy.read_bytes() == original
        assert screen.select("email")


@sync
async def test_rename_an_id_and_every_reference_follows(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        await select(pilot, screen, "sanne")
        await pilot.press("r")
        dialog = await until(pilot, lambda: isinstance(app.screen, RenameDialog) and app.screen, "the dialog")
        field = dialog.query_one("#rename-input")
        field.value = "noor"  # taken: refused, with the message of validate
        await until(
            pilot,
            lambda: "duplicate stakeholder id 'noor'" in str(dialog.query_one("#rename-problems").render()),
            "the duplicate message",
        )
        await pilot.press("enter")
        assert app.screen is dialog
        field.value = "sanne.devries"
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert screen.selected_subject() == ("stakeholders", "sanne.devries")
    text = demo_copy.read_text(encoding="utf-8")
    ws = assert_opens_clean(demo_copy)
    assert "sanne" not in {s.id for s in ws.stakeholders}
    assert next(u for u in ws.use_cases if u.id == "welcome-journey").owner == "sanne.devries"
    assert "owner: sanne\n" not in text and "by: sanne\n" not in text


@sync
async def test_filter_a_list_by_typing(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "5", "AttributesScreen")
        table = screen.query_one("#items", ItemTable)
        total = table.row_count
        await pilot.press("slash")
        await type_text(pilot, "club card")  # words of a synonym
        await until(pilot, lambda: table.row_count < total, "the filter")
        assert table.keys == ["loyalty_number"]
        await pilot.press("escape")  # clears the filter, back on the table
        await until(pilot, lambda: table.row_count == total, "the full list")
        assert app.focused is table
        # typing a letter that is not a key of the screen goes to the filter
        await pilot.press("g", "e", "n")
        await until(pilot, lambda: table.row_count < total, "the filter")
        assert "gender" in table.keys
    assert_opens_clean(demo_copy)


@sync
async def test_sort_by_a_column(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "3", "UseCasesScreen")
        table = screen.query_one("#items", ItemTable)
        screen.sort_by("readiness")
        await pilot.pause()
        order = [app.analysis.readiness[k].status for k in table.keys if k in app.analysis.readiness]
        assert order == sorted(order, key=("blocked", "at-risk", "ready").index)
        await pilot.press("S")  # reverse
        await pilot.pause()
        order = [app.analysis.readiness[k].status for k in table.keys if k in app.analysis.readiness]
        assert order == sorted(order, key=("blocked", "at-risk", "ready").index, reverse=True)


@sync
async def test_what_is_typed_in_a_form_survives_needsmap_stopping(demo_copy: Path):
    from needsmap.tui.widgets.forms import draft_files

    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        await show(pilot, "2", "StakeholdersScreen")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ItemForm), "the form")
        await type_text(pilot, "Femke Dijkstra")
        await until(
            pilot,
            lambda: any("Femke Dijkstra" in p.read_text(encoding="utf-8") for p in draft_files(demo_copy)),
            "the draft",
        )
        app.session.close()
    # needsmap stopped with the form open; the next one offers the words back
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        await pilot.press("a")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        assert form.query_one("#input-name").value == "Femke Dijkstra"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
        assert not draft_files(demo_copy)
    assert "Femke Dijkstra" in {s.name for s in assert_opens_clean(demo_copy).stakeholders}


@sync
async def test_the_same_picker_for_holdings_feeds_steps_owners_and_notes(demo_copy: Path):
    from textual.widgets import Input

    from needsmap.tui.widgets.forms import AskFrequency
    from needsmap.tui.widgets.picker import about_picker

    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:

        async def pick(*keys: str, text: str = "") -> LinkPicker:
            picker = await until(pilot, lambda: isinstance(app.screen, LinkPicker) and app.screen, "the picker")
            await type_text(pilot, text)
            await pilot.press(*keys)
            return picker

        # a holding, its role with one key (d: derived)
        screen = await show(pilot, "6", "SystemsScreen")
        await select(pilot, screen, "survey")
        await pilot.press("h")
        await pick("enter", "d", "escape", text="churn risk")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
        # a feed: the target system, then what it carries
        await pilot.press("f")
        await pick("enter", text="warehouse")
        # how often it runs: asked as the feed is added, Enter takes the default shown (daily)
        await until(pilot, lambda: isinstance(app.screen, AskFrequency), "the frequency question")
        assert app.screen.query_one("#frequency-input", Input).placeholder == "daily"
        await pilot.press("enter")
        await pick("enter", "escape", text="churn risk")
        await until(pilot, lambda: app.screen is screen, "the pickers to close")
        # the owner, picked by a word of the role
        await pilot.press("o")
        await pick("enter", text="privacy")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
        # what a process step reads and updates (c/r/u/x)
        screen = await show(pilot, "4", "ProcessesScreen")
        await select(pilot, screen, "store-purchase")
        await pilot.press("l")
        await pick("enter", "u", text="points bal")
        await pick("enter", "r", "escape", text="tier")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
        # what a note is about (the notes screen uses the same picker)
        app.push_screen(about_picker(app.session, "q-phone-owner"))
        await pick("enter", "escape", text="tills")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
    ws = assert_opens_clean(demo_copy)
    survey = next(s for s in ws.systems if s.id == "survey")
    assert ("churn_score", "derived") in {(h.attribute, h.role) for h in survey.holds}
    assert [(f.to, f.attributes, f.frequency) for f in survey.feeds if f.to == "dwh"] == [
        ("dwh", ["churn_score"], "daily")
    ]
    assert survey.owner == "karin"
    step = next(p for p in ws.processes if p.id == "store-purchase").steps[0]
    assert "points_balance" in step.updates and "loyalty_tier" in step.reads
    assert "pos" in next(n for n in ws.notes if n.id == "q-phone-owner").about


@sync
async def test_click_a_column_header_to_sort(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        table = screen.query_one("#items", ItemTable)
        await pilot.click("#items", offset=(3, 0))  # the "id" header
        await pilot.pause()
        assert table.keys == sorted(table.keys)
        await pilot.click("#items", offset=(3, 0))  # again: reversed
        await pilot.pause()
        assert table.keys == sorted(table.keys, reverse=True)
        first, _ = table.row_span(1)  # rows may wrap over several lines
        await pilot.click("#items", offset=(3, first + 1))  # the second row (below the header): selects it
        await pilot.pause()
        assert screen.selected_subject() == ("stakeholders", table.keys[1])


@sync
async def test_workshop_text_is_never_markup_or_terminal_codes(demo_copy: Path):
    import html
    import re

    from needsmap.format import model as m

    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        app.session.add(
            "stakeholders",
            m.Stakeholder(id="mallory", name="[bold]Mal[/bold] \x1b[2J", role="[link=http://x]click[/link]"),
        )
        screen = await show(pilot, "2", "StakeholdersScreen")
        await select(pilot, screen, "mallory")
        svg = app.export_screenshot()
        text = html.unescape(
            " ".join(re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S))
        )
        text = text.replace("\xa0", " ")
        assert "[bold]Mal[/bold]" in text and "\\x1b[2J" in text
        assert "[link=http://x]click[/link]" in text


@sync
async def test_duplicate_and_change_an_id_in_the_form(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "3", "UseCasesScreen")
        await select(pilot, screen, "birthday-offer")
        await pilot.press("d")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        assert form.query_one("#input-id").value == "birthday-offer-2"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
        assert screen.selected_subject() == ("use_cases", "birthday-offer-2")
        copy = app.session.item("use_cases", "birthday-offer-2")
        assert copy.needs == app.session.item("use_cases", "birthday-offer").needs  # nested lists come along
        # an id changed in the form: every reference follows, in one undo step
        screen = await show(pilot, "5", "AttributesScreen")
        await select(pilot, screen, "first_name")
        await pilot.press("e")
        form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
        form.query_one("#input-id").value = "given_name"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
        ws = assert_opens_clean(demo_copy)
        assert "first_name" not in {n.attribute for u in ws.use_cases for n in u.needs}
        assert "given_name" in {n.attribute for u in ws.use_cases for n in u.needs}
        app.session.undo()
        ws = assert_opens_clean(demo_copy)
        assert "first_name" in {a.id for a in ws.attributes} and "given_name" not in {a.id for a in ws.attributes}


async def burst(pilot, *keys: str) -> None:
    """Keys arriving all at once, faster than the screen can move its focus (no waiting in between)."""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    for key in keys:
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()


@sync
async def test_keys_typed_ahead_of_the_focus_land_where_they_were_meant(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "5", "AttributesScreen")
        table = screen.query_one("#items", ItemTable)
        # "/" and the words at once: none of the letters acts as a key of the list (o: owner, e: edit...)
        await burst(pilot, "/", *"home store")
        await until(pilot, lambda: screen.query_one("#filter").value == "home store", "the filter")
        assert app.screen is screen and table.keys == ["preferred_store"]
        await pilot.press("escape")
        # a picker opened with a key, the attribute and its criticality typed right after
        screen = await show(pilot, "3", "UseCasesScreen")
        await select(pilot, screen, "birthday-offer")
        await burst(pilot, "l", *"club card", "enter", "s", *"home store", "enter", "c", "escape")
        await until(pilot, lambda: app.screen is screen, "the picker to close")
        await until(
            pilot,
            lambda: (
                {"loyalty_number", "preferred_store"}
                <= {n.attribute for n in app.session.item("use_cases", "birthday-offer").needs}
            ),
            "the needs",
        )
        # a form opened with a key, the name typed right after
        screen = await show(pilot, "2", "StakeholdersScreen")
        await burst(pilot, "a", *"Anna de Wit", "enter")
        await until(pilot, lambda: "anna" in {s.id for s in app.session.workshop.stakeholders}, "the stakeholder")
    uc = next(u for u in assert_opens_clean(demo_copy).use_cases if u.id == "birthday-offer")
    crit = {n.attribute: n.effective_criticality for n in uc.needs}
    assert crit["loyalty_number"] == "should" and crit["preferred_store"] == "could"
    assert next(s for s in assert_opens_clean(demo_copy).stakeholders if s.id == "anna").name == "Anna de Wit"


def test_deleting_any_item_leaves_a_valid_file_and_undo_brings_it_back(demo_copy: Path):
    from needsmap.collab.session import Session
    from needsmap.format import model as m
    from needsmap.format.validator import validate
    from needsmap.tui import linking

    original = demo_copy.read_bytes()
    session = Session.open(demo_copy)
    try:
        for section in m.ITEM_SECTIONS:
            for ident in [item.id for item in session.workshop.section(section)]:
                linking.delete(session, section, ident)
                errors = [d.message for d in validate(session.workshop) if d.severity == "error"]
                assert not errors, (section, ident, errors)
                session.undo()
        assert demo_copy.read_bytes() == original
    finally:
        session.close()
    assert_opens_clean(demo_copy)
