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
