"""Keys that save typing in a live workshop: filter then Enter goes to the top match, a use case takes its
owner's function, one key says where a use case runs."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from needsmap.format.saver import save
from needsmap.format.starter import new_workshop
from needsmap.tui.app import NeedsmapApp, create_app
from needsmap.tui.screens.items import ItemListScreen
from needsmap.tui.widgets.forms import ItemForm
from needsmap.tui.widgets.picker import LinkPicker
from needsmap.tui.widgets.table import ItemTable
from tests.tui.conftest import SIZE, press_keys, run, until


def empty_workshop(folder: Path) -> Path:
    path = folder / "workshop.yaml"
    save(new_workshop("Customer data workshop", target=path), path)  # as `needsmap new` does
    return path


def stakeholders(app: NeedsmapApp) -> dict[str, tuple[str, str | None, str | None]]:
    assert app.session is not None
    return {s.id: (s.name, s.role, s.function) for s in app.session.workshop.stakeholders}


async def list_screen(pilot, key: str) -> ItemListScreen:
    app = pilot.app
    await pilot.press(key)
    screen = await until(pilot, lambda: isinstance(app.screen, ItemListScreen) and app.screen, f"screen {key}")
    await until(pilot, lambda: app.focused is screen.query_one("#items", ItemTable), "the list to have focus")
    return screen


def test_filter_then_enter_selects_the_top_match_and_enter_edits_it(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            screen = await list_screen(pilot, "5")
            table = screen.query_one("#items", ItemTable)
            await pilot.press("end")  # a row far from the top match is selected before the filter
            await until(pilot, lambda: table.cursor == table.row_count - 1, "the last row")
            await press_keys(pilot, "/", "email", "enter", "e")  # /: the filter (e on the list edits)
            form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
            await until(pilot, lambda: form.focused is not None, "the form's focus")
            top = table.rows[0].key
            assert "email" in top
            assert form.query_one("#input-id", Input).value == top

    run(body)


def test_a_use_case_takes_its_function_from_its_owner(tmp_path: Path):
    async def body():
        app = create_app(empty_workshop(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            await list_screen(pilot, "2")
            await press_keys(
                pilot, "a", "Sanne Jansen", "tab", "Head of CRM", "tab", "enter", "mark", "enter", "ctrl+s"
            )
            await until(pilot, lambda: stakeholders(app).get("sanne", (None, None, None))[2] == "marketing", "sanne")
            await list_screen(pilot, "3")
            await press_keys(pilot, "a", "Churn prevention")
            form = app.screen
            assert isinstance(form, ItemForm)
            function = form.query_one("#input-function", Select)
            assert function.value is Select.NULL
            form.query_one("#input-owner", Select).value = "sanne"  # as choosing her in the list does
            await until(pilot, lambda: function.value == "marketing", "the owner's function")
            # a function chosen by hand stays when the owner changes
            function.value = "service"
            form.query_one("#input-owner", Select).value = Select.NULL
            form.query_one("#input-owner", Select).value = "sanne"
            await pilot.pause()
            assert function.value == "service"

    run(body)


def test_one_key_says_where_a_use_case_runs(demo_copy: Path):
    """``i``, a few letters of the system, Enter: the use case runs in it; the same again takes it out."""

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            screen = await list_screen(pilot, "3")
            subject = screen.selected_subject()
            assert subject is not None
            ident = subject[1]

            def runs_in() -> list[str]:
                return list(app.session.item("use_cases", ident).executes_in)

            before = runs_in()
            assert "dwh" not in before
            await press_keys(pilot, "i", "warehouse", "enter")
            await until(pilot, lambda: runs_in() == [*before, "dwh"], "the use case to run in the warehouse")
            assert isinstance(app.screen, LinkPicker)
            await press_keys(pilot, "warehouse", "enter", "escape")
            await until(pilot, lambda: runs_in() == before, "the warehouse taken out again")
            await until(pilot, lambda: app.screen is screen, "the picker to close")

    run(body)


# -- references typed by name ---------------------------------------------------------------------------
async def focus_field(pilot, form, selector: str) -> Input:
    field = form.query_one(selector, Input)
    field.focus()
    await until(pilot, lambda: field.has_focus, f"the focus on {selector}")
    return field


def test_a_steps_attributes_are_typed_by_name_with_completion_and_a_name_of_nothing_is_refused(demo_copy: Path):
    """In a step's creates/reads: a few letters of a name and → complete it, the name is read as the attribute's id
    (shown as the id on leaving the field); a name that matches no attribute is refused, saying so."""

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            screen = await list_screen(pilot, "4")
            assert screen.select("loyalty-signup")
            steps_before = len(app.session.item("processes", "loyalty-signup").steps)
            await pilot.press("t")
            form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the step form")
            await until(pilot, lambda: form.focused is not None, "the form's focus")
            await press_keys(pilot, "Cashier checks the card")
            creates = await focus_field(pilot, form, "#input-creates")
            await press_keys(pilot, "haven club c")
            await until(pilot, lambda: creates._suggestion == "Haven Club card number", "the name completed")
            await pilot.press("right")  # accepts the completion
            await until(pilot, lambda: creates.value == "Haven Club card number", "the completed name")
            await pilot.press("tab")  # leaving the field: the name is shown as the id it stands for
            await until(pilot, lambda: creates.value == "loyalty_number", "the id of the name")
            reads = await focus_field(pilot, form, "#input-reads")
            await press_keys(pilot, "Shoe size of the moon")
            problems = form.query_one("#problems-reads")
            await until(pilot, lambda: problems.display, "the unknown name under 'reads'")
            assert "'Shoe size of the moon'" in str(problems.render())
            assert "does not exist" in str(problems.render())
            await pilot.press("ctrl+s")  # refused
            await pilot.pause()
            assert app.screen is form
            reads.value = ""
            await press_keys(pilot, "e-mail ADDRESS")  # a name, case aside: saved at once, without leaving
            await until(pilot, lambda: not problems.display, "the name to be read")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is not form, "the form to close")
            steps = app.session.item("processes", "loyalty-signup").steps
            assert len(steps) == steps_before + 1
            assert (steps[-1].name, steps[-1].creates, steps[-1].reads) == (
                "Cashier checks the card",
                ["loyalty_number"],
                ["email"],
            )

    run(body)


def test_a_notes_about_and_by_are_typed_by_name_and_a_name_of_nothing_is_refused(demo_copy: Path):
    from needsmap.tui.screens.notes import NoteForm

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            form = await open_note_form(pilot)
            await press_keys(pilot, "Who cleans the phone numbers?")
            about = await focus_field(pilot, form, "#f-about")
            await press_keys(pilot, "mobile ph")
            await until(pilot, lambda: about._suggestion == "Mobile phone number", "the name completed")
            await pilot.press("right")
            await press_keys(pilot, ", Customer view for service agents, the moon")
            await pilot.pause()
            assert any("'the moon'" in p and "not an id or a name" in p for p in form.problems())
            await pilot.press("ctrl+s")  # refused
            await pilot.pause()
            assert isinstance(app.screen, NoteForm)
            for _ in ", the moon":
                await pilot.press("backspace")
            by = await focus_field(pilot, form, "#f-by")  # leaving 'about': its names are shown as ids
            await until(pilot, lambda: about.value == "mobile_phone, service-360", "the ids of the names")
            await press_keys(pilot, "Ahmed El Amrani")
            await until(pilot, lambda: form.problems() == [], "no problems")
            assert by.value == "Ahmed El Amrani"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, NoteForm), "the form to close")
            note = app.session.workshop.notes[-1]
            assert (note.text, note.about, note.by) == (
                "Who cleans the phone numbers?",
                ["mobile_phone", "service-360"],
                "ahmed",
            )

    run(body)


async def open_note_form(pilot):
    from needsmap.tui.screens.notes import NoteForm, NotesScreen

    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, NotesScreen), "the notes screen")
    await pilot.press("a")
    form = await until(pilot, lambda: isinstance(app.screen, NoteForm) and app.screen, "the note form")
    await until(pilot, lambda: form.focused is not None, "the note form's focus")
    return form


def test_a_notes_id_comes_from_its_kind_and_text_until_typed_by_hand(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            form = await open_note_form(pilot)
            ident = form.query_one("#f-id", Input)
            assert ident.value == "q-note"  # nothing typed yet
            await press_keys(pilot, "Who signs off the retention period?")
            await until(pilot, lambda: ident.value == "q-who-signs-off-the", "the id from the text")
            form.query_one("#f-kind", Select).value = "risk"
            await until(pilot, lambda: ident.value == "r-who-signs-off-the", "the id of a risk")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is not form, "the form to close")
            assert app.session.workshop.notes[-1].id == "r-who-signs-off-the"
            # typed by hand, the id stays as typed whatever the text becomes
            form = await open_note_form(pilot)
            ident = form.query_one("#f-id", Input)
            await press_keys(pilot, "Parking")
            await focus_field(pilot, form, "#f-id")
            ident.value = ""
            await press_keys(pilot, "p-later")
            form.query_one("#f-text").focus()
            await press_keys(pilot, " the rest")
            await pilot.pause()
            assert ident.value == "p-later"

    run(body)


# -- creating, and the reference catalog ----------------------------------------------------------------
def test_the_create_line_says_the_id_it_will_create_and_the_catalogs_name(tmp_path: Path):
    """'address' typed in the needs linker: "+ create" says ``street_address`` and the catalog's Street address
    before Enter, and Enter creates exactly that id."""
    from needsmap.format import model as m
    from needsmap.tui.widgets.picker import CREATE, need_picker

    async def body():
        app = create_app(empty_workshop(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            app.session.add("use_cases", m.UseCase(id="delivery", title="Home delivery"))
            app.push_screen(need_picker(app.session, "delivery"))
            picker = await until(pilot, lambda: isinstance(app.screen, LinkPicker) and app.screen, "the picker")
            await until(pilot, lambda: picker.focused is not None, "the picker's focus")
            await press_keys(pilot, "address")
            await until(pilot, lambda: picker._query == "address", "the list for 'address'")
            results = picker.query_one("#picker-list")
            create = results.get_option_at_index(results.highlighted or 0)
            assert create.id == CREATE
            shown = str(create.prompt)
            assert "street_address" in shown and "Street address" in shown, shown
            await pilot.press("enter", "m")
            await until(pilot, lambda: app.session.workshop.use_cases[0].needs, "the need")
            assert [n.attribute for n in app.session.workshop.use_cases[0].needs] == ["street_address"]

    run(body)


def test_the_catalog_list_shows_from_the_first_keystroke_in_the_name(tmp_path: Path):
    """One letter in the name of a new attribute lists catalog entries (names starting with it), at 80x24 too,
    while the name still has the focus; two letters and more, the closest entries."""
    from textual.widgets import OptionList

    from needsmap.tui.widgets.catalog_suggest import AttributeForm

    async def body():
        app = create_app(empty_workshop(tmp_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await list_screen(pilot, "5")
            await pilot.press("a")
            form = await until(pilot, lambda: isinstance(app.screen, AttributeForm) and app.screen, "the form")
            name = form.query_one("#input-name", Input)
            await until(pilot, lambda: name.has_focus, "the focus on the name")
            offered = form.query_one("#catalog-suggestions", OptionList)
            await pilot.press("g")
            await until(pilot, lambda: offered.has_class("-shown"), "entries after one letter")
            assert name.has_focus
            assert offered.get_option_at_index(0).id == "gender"
            region = offered.region
            assert region.height >= 1 and 0 <= region.y < 24 and region.bottom <= 24  # on screen
            await press_keys(pilot, "eboortedatum")
            await until(pilot, lambda: offered.get_option_at_index(0).id == "date_of_birth", "the closest entry")

    run(body)


def test_a_coverage_typed_as_a_percentage_is_saved_as_a_share(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            screen = await list_screen(pilot, "6")
            assert screen.select("pos")
            await pilot.press("tab")  # to the holdings of the till system
            await until(pilot, lambda: app.focused is not None and app.focused.id == "sub-holds", "the holdings")
            await pilot.press("e")
            form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the holding's form")
            coverage = await focus_field(pilot, form, "#input-coverage")
            coverage.value = ""
            await press_keys(pilot, "60%")
            await until(pilot, lambda: not form.query_one("#problems-coverage").display, "60% accepted")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is not form, "the form to close")
            holding = app.session.item("systems", "pos").holds[0]
            assert holding.coverage == 0.6

    run(body)


# -- the overview -----------------------------------------------------------------------------------------
def test_the_overview_names_the_workshop_and_its_organisation(demo_copy: Path):
    from needsmap.tui.screens.overview import OverviewScreen

    async def body():
        for size in ((80, 24), (120, 40)):
            app = create_app(demo_copy)
            async with app.run_test(size=size) as pilot:
                await until(pilot, lambda: isinstance(app.screen, OverviewScreen), "the overview")
                info = app.session.workshop.workshop
                shown = app.screen.query_one("#workshop-name")
                await until(pilot, lambda: info.organization in str(shown.render()), "the organisation")
                words = " ".join(str(shown.render()).split())
                assert info.name in words and info.organization in words, words
                assert shown.region.height >= 1 and shown.region.y < 5  # at the top of the first screen

    run(body)
