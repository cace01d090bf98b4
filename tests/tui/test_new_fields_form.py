"""The forms edit purpose, lawful basis, what an identifier identifies, consent coverage and derived inputs.

The forms are built from the format's spec, so the new fields appear by themselves: enums and the
purposes as lists to pick from, consent coverage and ``derived_from`` as comma-separated references
with completion, and the validator's new checks shown under the field they are about.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from needsmap.catalog import entries as catalog
from needsmap.format import model as m
from needsmap.format import saver
from needsmap.format.loader import load_file
from needsmap.format.saver import dump
from needsmap.format.starter import new_workshop
from needsmap.tui.app import create_app
from needsmap.tui.formcheck import FormModel
from needsmap.tui.widgets.catalog_suggest import AttributeForm
from needsmap.tui.widgets.forms import ItemForm, ListSuggester, ref_choices
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, show, sync, until


def item(ws: m.Workshop, section: str, ident: str):
    return next(i for i in ws.section(section) if i.id == ident)


def index(ws: m.Workshop, section: str, ident: str) -> int:
    return next(n for n, i in enumerate(ws.section(section)) if i.id == ident)


async def edit_form(pilot, key: str, screen_name: str, ident: str) -> ItemForm:
    """The edit form of item ``ident`` of the list screen on number key ``key`` (opened with ``e``)."""
    screen = await show(pilot, key, screen_name)
    assert screen.select(ident)
    await pilot.pause()
    await pilot.press("e")
    form = await until(pilot, lambda: isinstance(pilot.app.screen, ItemForm) and pilot.app.screen, "the form")
    await until(pilot, lambda: form.focused is not None, "the form's first field to have focus")
    return form


async def choose(pilot, form: ItemForm, field: str, search: str, value: object) -> None:
    """Pick ``value`` from the list field ``field`` as a person does: Enter opens it, typing finds it, Enter."""
    select = form.query_one(f"#input-{field}", Select)
    select.focus()
    await until(pilot, lambda: select.has_focus, f"the focus on {field}")
    await pilot.press("enter")
    # its list has the focus before anything is typed (keys typed while it opens would be lost)
    await until(
        pilot,
        lambda: select.expanded and select.has_focus_within and not select.has_focus,
        f"the list of {field} to open",
    )
    await pilot.press(*search)
    await pilot.press("enter")
    await until(pilot, lambda: not select.expanded and select.value == value, f"{field} = {value!r}")


async def save(pilot, form: ItemForm) -> None:
    assert not [p.message for p in form.problems if p.severity == "error"], form.problems
    await pilot.press("ctrl+s")
    await until(pilot, lambda: pilot.app.screen is not form, "the form to close")


@sync
async def test_a_use_cases_purpose_and_lawful_basis_are_picked_in_its_form(demo_copy: Path):
    before = assert_opens_clean(demo_copy)
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_form(pilot, "3", "UseCasesScreen", "welcome-journey")
        purpose = form.query_one("#input-purpose", Select)
        assert purpose.value is Select.NULL  # not stated in the demo
        assert [v for _, v in purpose._options if v is not Select.NULL] == list(m.DEFAULT_PURPOSES)
        basis = form.query_one("#input-lawful_basis", Select)
        assert [v for _, v in basis._options if v is not Select.NULL] == list(m.LAWFUL_BASES)
        await choose(pilot, form, "purpose", "mark", "marketing")
        await choose(pilot, form, "lawful_basis", "cons", "consent")
        await save(pilot, form)
    after = assert_opens_clean(demo_copy)
    saved = item(after, "use_cases", "welcome-journey")
    assert (saved.purpose, saved.lawful_basis) == ("marketing", "consent")
    # nothing else changed: the old item with the two fields set saves to the same text
    old = item(before, "use_cases", "welcome-journey")
    old.purpose, old.lawful_basis = "marketing", "consent"
    assert dump(after) == dump(before)
    text = demo_copy.read_text(encoding="utf-8")
    assert "    channels: [email, app]\n    purpose: marketing\n    lawful_basis: consent\n    value: 4\n" in text


@sync
async def test_an_attributes_identifies_is_picked_in_its_form_and_a_contradiction_is_shown(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_form(pilot, "5", "AttributesScreen", "web_visitor_id")
        identifies = form.query_one("#input-identifies", Select)
        assert [v for _, v in identifies._options if v is not Select.NULL] == list(m.IDENTIFIES_KINDS)
        await choose(pilot, form, "identifies", "dev", "device")
        # saying it is no identifier at all contradicts that: shown under 'identifies', save refused
        form.query_one("#input-identifier", Select).value = False
        problems = form.query_one("#problems-identifies")
        await until(pilot, lambda: problems.display, "the contradiction under 'identifies'")
        assert "says 'identifier: false' but 'identifies: device'" in str(problems.render())
        await until(pilot, lambda: form.query_one("#form-save").disabled, "save to be refused")
        form.query_one("#input-identifier", Select).value = True
        await until(pilot, lambda: not problems.display, "the contradiction to go")
        await save(pilot, form)
    saved = item(assert_opens_clean(demo_copy), "attributes", "web_visitor_id")
    assert (saved.identifier, saved.identifies) == (True, "device")
    assert saved.effective_identifies == "device" and not saved.identifies_person
    assert "    identifier: true\n    identifies: device\n    sensitivity: personal\n" in demo_copy.read_text("utf-8")


@sync
async def test_a_consents_coverage_is_typed_with_completion(demo_copy: Path):
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        form = await edit_form(pilot, "5", "AttributesScreen", "email_optin")
        purposes = form.query_one("#input-purposes", Input)
        assert isinstance(purposes.suggester, ListSuggester)
        assert purposes.suggester.choices == sorted(m.DEFAULT_PURPOSES)
        purposes.focus()
        await until(pilot, lambda: purposes.has_focus, "the focus on purposes")
        await pilot.press(*"marketing, analytcs")
        problems = form.query_one("#problems-purposes")
        await until(pilot, lambda: problems.display, "the unknown purpose under 'purposes'")
        assert "did you mean 'analytics'?" in str(problems.render())
        await pilot.press("backspace", "backspace", *"ics")
        await until(pilot, lambda: not problems.display, "the purposes to be fine")
        channels = form.query_one("#input-channels", Input)
        channels.focus()
        await until(pilot, lambda: channels.has_focus, "the focus on channels")
        await pilot.press(*"em", "right")  # the completion of 'em' is 'email'
        await until(pilot, lambda: channels.value == "email", "the completed channel")
        await save(pilot, form)
    saved = item(assert_opens_clean(demo_copy), "attributes", "email_optin")
    assert (saved.purposes, saved.channels) == (["marketing", "analytics"], ["email"])


def test_the_forms_check_the_new_rules_under_their_fields(demo_copy: Path):
    ws = load_file(demo_copy).workshop
    assert ws is not None
    # an attribute that is no consent says what a consent covers: a warning under 'channels'
    model = FormModel(ws, "attributes", index(ws, "attributes", "first_name"))
    values = model.initial()
    values["channels"] = "email"
    candidate, problems = model.build(values)
    assert candidate is not None
    assert [(p.field, p.severity, p.code) for p in problems] == [("channels", "warning", "channels-without-consent")]
    # special-category data said to be merely personal: a warning under 'sensitivity'
    values = model.initial()
    values["special_category"] = True
    values["sensitivity"] = "personal"
    _, problems = model.build(values)
    assert [(p.field, p.code) for p in problems] == [("sensitivity", "special-category-not-sensitive")]
    values["sensitivity"] = "sensitive"
    assert model.build(values)[1] == []
    # a use case's purpose outside the documented list (and settings): an error under 'purpose'
    model = FormModel(ws, "use_cases", index(ws, "use_cases", "welcome-journey"))
    values = model.initial()
    values["purpose"] = "loyalty"
    candidate, problems = model.build(values)
    assert candidate is None
    assert [(p.field, p.severity, p.code) for p in problems] == [("purpose", "error", "unknown-reference")]
    # a holding that lists its inputs but is no derived value: a warning under 'derived_from'
    crm = index(ws, "systems", ws.systems[0].id)
    model = FormModel(ws, "systems", crm, child="holds", child_index=0)
    values = model.initial()
    values["role"] = "copy"
    values["derived_from"] = "email"
    _, problems = model.build(values)
    assert [(p.field, p.code) for p in problems] == [("derived_from", "derived-from-without-derived")]
    values["role"] = "derived"
    assert model.build(values)[1] == []


def test_purposes_to_pick_include_those_of_settings():
    ws = m.Workshop(settings=m.Settings(purposes=["claims"]))
    assert [p for p, _ in ref_choices(ws, "purposes")] == [*m.DEFAULT_PURPOSES, "claims"]


@sync
async def test_an_entry_chosen_from_the_catalog_brings_coverage_identity_and_special_category(tmp_path: Path):
    path = tmp_path / "w.yaml"
    saver.save(new_workshop("Catalog in the UI", target=path), path)
    app = create_app(path)
    wanted = ("email_marketing_consent", "household_id", "health_condition")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: type(app.screen).__name__ == "AttributesScreen", "the attributes screen")
        for entry_id in wanted:
            await pilot.press("a")
            form = await until(pilot, lambda: isinstance(app.screen, AttributeForm) and app.screen, "the form")
            form.use_entry(catalog.load_catalog().get(entry_id))
            await pilot.pause()
            await save(pilot, form)
    saved = {a.id: a for a in assert_opens_clean(path).attributes}
    assert [saved[i] for i in wanted] == [catalog.load_catalog().get(i).to_attribute() for i in wanted]
    assert (saved["email_marketing_consent"].purposes, saved["email_marketing_consent"].channels) == (
        ["marketing"],
        ["email"],
    )
    assert saved["household_id"].identifies == "household"
    assert saved["health_condition"].special_category is True


def test_a_share_is_accepted_as_a_percentage(demo_copy: Path):
    ws = load_file(demo_copy).workshop
    assert ws is not None
    crm = index(ws, "systems", ws.systems[0].id)
    model = FormModel(ws, "systems", crm, child="holds", child_index=0)
    for typed, share in (("74%", 0.74), ("12,5 %", 0.125), ("100%", 1.0), ("0.6", 0.6)):
        values = model.initial()
        values["coverage"] = typed
        candidate, problems = model.build(values)
        assert not [p for p in problems if p.severity == "error"], (typed, problems)
        assert isinstance(candidate, m.Holding) and candidate.coverage == share, typed
    values = model.initial()
    values["coverage"] = "140%"
    candidate, problems = model.build(values)
    assert candidate is None and [p.field for p in problems if p.severity == "error"] == ["coverage"]
