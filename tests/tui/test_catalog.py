"""The terminal UI offers the reference catalog when an attribute is created (keys in, file on disk checked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Select

from needsmap.catalog import entries as catalog
from needsmap.format.saver import save
from needsmap.format.starter import new_workshop
from needsmap.tui.app import create_app
from needsmap.tui.widgets.catalog_suggest import AttributeForm
from needsmap.tui.widgets.dialogs import ConfirmDialog
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, run, until


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "w.yaml"
    save(new_workshop("Catalog in the UI", target=path), path)
    return path


async def open_form(pilot) -> AttributeForm:
    app = pilot.app
    await pilot.press("5")
    await until(pilot, lambda: type(app.screen).__name__ == "AttributesScreen", "the attributes screen")
    await pilot.press("a")
    return await until(pilot, lambda: isinstance(app.screen, AttributeForm) and app.screen, "the form")


def test_typing_a_name_offers_catalog_entries_and_choosing_one_fills_the_form(empty: Path):
    async def body():
        app = create_app(empty)
        async with app.run_test(size=SIZE) as pilot:
            form = await open_form(pilot)
            await pilot.press(*"geboortedatum")
            offered = form.query_one("#catalog-suggestions", OptionList)
            await until(pilot, lambda: offered.has_class("-shown"), "suggestions")
            assert offered.get_option_at_index(0).id == "date_of_birth"
            await pilot.press("down", "enter")
            await until(pilot, lambda: form.query_one("#input-id").value == "date_of_birth", "the id")
            entry = catalog.load_catalog().get("date_of_birth")
            assert form.query_one("#input-name").value == entry.name
            assert form.query_one("#input-type", Select).value == "date"
            assert form.query_one("#input-sensitivity", Select).value == "personal"
            assert not offered.has_class("-shown")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AttributeForm), "the form to close")
            assert assert_opens_clean(empty).attributes == [entry.to_attribute()]
            # the same entry again: a free id, and everything still editable before saving
            form = await open_form(pilot)
            await pilot.press(*"customer number")
            offered = form.query_one("#catalog-suggestions", OptionList)
            await until(pilot, lambda: offered.has_class("-shown"), "suggestions")
            ident = catalog.load_catalog().get("customer_id")
            form.use_entry(ident)
            form.use_entry(ident)  # twice: still one attribute, the id not taken by itself
            await pilot.pause()
            form.query_one("#input-name").value = "Klantnummer"
            await pilot.pause()
            assert form.query_one("#input-id").value == "customer_id"  # chosen: no longer follows the name
            assert form.query_one("#input-identifier", Select).value is True
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AttributeForm), "the form to close")
            saved = {a.id: a for a in assert_opens_clean(empty).attributes}
            assert saved["customer_id"].name == "Klantnummer"
            assert saved["customer_id"].definition == ident.definition and saved["customer_id"].identifier is True

    run(body)


def test_a_taken_catalog_id_gets_a_suffix_and_own_names_stay_plain(empty: Path):
    async def body():
        app = create_app(empty)
        async with app.run_test(size=SIZE) as pilot:
            form = await open_form(pilot)
            form.use_entry(catalog.load_catalog().get("email"))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AttributeForm), "the form to close")
            form = await open_form(pilot)
            form.use_entry(catalog.load_catalog().get("email"))
            await pilot.pause()
            assert form.query_one("#input-id").value == "email_2"
            await pilot.press("escape")  # filled in: asks before throwing it away
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
            await pilot.press("y")
            await until(pilot, lambda: type(app.screen).__name__ == "AttributesScreen", "the list")
            assert [a.id for a in assert_opens_clean(empty).attributes] == ["email"]
            # a name of one's own: suggestions come and go, nothing is filled in
            form = await open_form(pilot)
            await pilot.press(*"Favourite colour")
            await pilot.pause()
            assert not form.query_one("#catalog-suggestions", OptionList).has_class("-shown")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AttributeForm), "the form to close")
            colour = next(a for a in assert_opens_clean(empty).attributes if a.id == "favourite_colour")
            assert colour.definition is None and colour.entity is None
            # editing an existing attribute offers nothing
            await pilot.press("e")
            form = await until(pilot, lambda: isinstance(app.screen, AttributeForm) and app.screen, "the form")
            assert not form.offers_catalog and not form.query("#catalog-suggestions")
            await pilot.press("escape")

    run(body)


def test_tab_goes_to_the_next_field_and_escape_from_the_list_back_to_the_name(empty: Path):
    async def body():
        app = create_app(empty)
        async with app.run_test(size=SIZE) as pilot:
            form = await open_form(pilot)
            await pilot.press(*"email")
            offered = form.query_one("#catalog-suggestions", OptionList)
            await until(pilot, lambda: offered.has_class("-shown"), "suggestions")
            await pilot.press("down")
            await until(pilot, lambda: app.focused is offered, "the list to have focus")
            await pilot.press("escape")  # back to the name, the form stays open
            await until(pilot, lambda: app.focused is form.query_one("#input-name"), "the name")
            assert app.screen is form
            await pilot.press("tab")  # not into the list: the next field
            await until(pilot, lambda: app.focused is form.query_one("#input-entity"), "the entity field")
            await until(pilot, lambda: not offered.has_class("-shown"), "the suggestions to go")
            assert form.query_one("#input-id").value == "email"  # followed the name; nothing was filled in
            assert form.query_one("#input-definition").text == ""

    run(body)


def test_an_entry_the_workshop_already_has_is_shown_but_not_offered(empty: Path):
    async def body():
        app = create_app(empty)
        async with app.run_test(size=SIZE) as pilot:
            form = await open_form(pilot)
            form.use_entry(catalog.load_catalog().get("date_of_birth"))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AttributeForm), "the form to close")
            form = await open_form(pilot)
            await pilot.press(*"geboortedatum")
            offered = form.query_one("#catalog-suggestions", OptionList)
            await until(pilot, lambda: offered.has_class("-shown"), "suggestions")
            first = offered.get_option_at_index(0)
            assert first.id == "date_of_birth" and first.disabled
            assert "in this workshop already" in str(first.prompt)
            await pilot.press("down", "enter")
            await pilot.pause()
            assert form.query_one("#input-id").value != "date_of_birth_2"  # nothing filled from it

    run(body)


def test_creating_an_attribute_from_a_link_picker_takes_the_catalog_definition(empty: Path):
    """ "+ create attribute 'geboortedatum'" (a need, a holding, a feed): the catalog knows it exactly."""
    from needsmap.collab.session import Session
    from needsmap.format import model as m
    from needsmap.tui import linking

    s = Session.open(empty)
    s.add("use_cases", m.UseCase(id="birthday", title="Birthday offer"))
    linking.link_attribute(s, linking.NEED, "birthday", None, "must", "geboortedatum")
    linking.link_attribute(s, linking.NEED, "birthday", None, "should", "favourite colour")
    entry = catalog.load_catalog().get("date_of_birth")
    saved = {a.id: a for a in assert_opens_clean(empty).attributes}
    born = saved["date_of_birth"]
    assert born.name == "Geboortedatum"  # the workshop's own words
    assert (born.definition, born.type, born.sensitivity) == (entry.definition, "date", "personal")
    assert saved["favourite_colour"].definition is None  # unknown to the catalog: a plain attribute
    assert [n.attribute for n in assert_opens_clean(empty).use_cases[0].needs] == ["date_of_birth", "favourite_colour"]
    assert linking.catalog_entry_for("Geburtsdatum") is entry
    assert linking.catalog_entry_for("colour of the moon") is None
    s.close()
