"""A whole workshop typed into the terminal UI, from an empty file to the gaps it shows.

This is what a facilitator does on the projector, and only that: the test starts
from a file made as ``needsmap new`` makes it, then every edit is a key press or
a click through the pilot (forms, pickers, the quick note, undo/redo); words are
typed as bursts of the same key events (see :func:`type_text`).  The session is
only *read* (to wait until an edit has landed), never edited.  Nothing sleeps
for a fixed time: the test waits on conditions.

The workshop is built so that a known set of gaps appears and a known set does
not:

* stakeholders ``sanne`` (marketing), ``pieter`` (it), ``olga`` (service);
* attributes ``customer_number`` (an identifier, owner pieter), ``email_address``
  (personal, owner sanne), ``first_name`` (owner olga), ``loyalty_tier`` (no
  owner), ``churn_score`` (created on the spot in the needs picker of a use
  case; owner sanne, set with the owner picker ``o``);
* systems ``crm`` (masters customer_number and email_address, copies of
  first_name and loyalty_tier) and ``webshop`` (copies of customer_number,
  email_address, first_name);
* use case ``churn-prevention`` (marketing, owner sanne) needs churn_score
  *must* (held nowhere), email_address *must*, first_name *should*;
* use case ``order-status`` (service, owner olga) runs in the webshop and needs
  customer_number *must*, loyalty_tier *should* (held in the crm only, no feed),
  email_address *could*;
* process ``online-registration`` (owner pieter): step 1 in the webshop creates
  customer_number and reads email_address; step 2 in the webshop reads
  loyalty_tier, which the webshop does not hold;
* a quick note (question) about loyalty_tier.

Expected: missing-source (churn_score, error), no-owner (loyalty_tier only),
no-master (first_name only), unreachable (order-status / loyalty_tier, a
warning), step-not-held (step 2), churn-prevention blocked and order-status
at-risk; and none of the gaps that were avoided on purpose (orphan use case,
use case without needs, identity island, no identifier, contested, unused
attribute, many masters, consent, anonymous channel, a function that is in the
room reported as unrepresented).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual import events
from textual.keys import _character_to_key
from textual.widgets import OptionList, Select

from needsmap.cli.main import main
from needsmap.format.saver import save
from needsmap.format.starter import new_workshop
from needsmap.tui.app import NeedsmapApp, create_app
from needsmap.tui.screens.items import ItemListScreen
from needsmap.tui.widgets.forms import ItemForm
from needsmap.tui.widgets.picker import CREATE, LinkPicker
from needsmap.tui.widgets.quick_note import QuickNoteScreen
from needsmap.tui.widgets.table import ItemTable
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, run, settle, until

#: Type every character with pilot.press (slow) instead of in bursts (see type_text).
PILOT_TYPING = os.environ.get("NEEDSMAP_PILOT_TYPING") == "1"


# -- waiting and typing -------------------------------------------------------------------------
async def type_text(pilot, text: str) -> None:
    """Type ``text`` into the focused field: as one burst of key events, like a fast typist (or a paste).

    The keys are the events ``pilot.press`` sends, through the same driver, but without waiting for the
    app to go idle after each one (``pilot.press`` costs ~0.1 s a key; this test types some 500 characters).
    Every burst goes into a field that already has focus; the keys after it queue behind it, and the
    callers wait for what they typed to arrive.
    With NEEDSMAP_PILOT_TYPING=1 every character goes through ``pilot.press`` instead (slow, same result).
    """
    if PILOT_TYPING:
        await pilot.press(*text)
        return
    app = pilot.app
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def goto(pilot, key: str, cls: str) -> ItemListScreen:
    """A number key; the list screen of that name, once it is shown."""
    app = pilot.app
    await pilot.press(key)
    screen = await until(pilot, lambda: type(app.screen).__name__ == cls and app.screen, cls)
    await until(
        pilot,
        lambda: screen.is_mounted and app.focused is screen.query_one("#items", ItemTable),
        f"the list of {cls} to have focus",
    )
    return screen


async def open_form(pilot, key: str) -> ItemForm:
    """A key that opens a form for a new item (a, t); the form, once its first field has focus."""
    app = pilot.app
    await pilot.press(key)
    form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, f"the form ({key})")
    await until(pilot, lambda: form.focused is not None, "the form's first field to have focus")
    first = form.first_field()
    assert first is not None and not first.value, (
        f"the new form opened filled with {first.value!r}: a draft of an earlier form was left behind"
    )
    return form


async def tab_to(pilot, form: ItemForm, field: str) -> None:
    """Tab through the form until the field ``field`` has focus."""
    for _ in range(20):
        if form.focused is not None and form.focused.id == f"input-{field}":
            return
        await pilot.press("tab")  # waits until the app is idle: the focus has moved before anything is typed
    raise AssertionError(f"tab never reached the field {field} (focus: {form.focused})")


async def to_field(pilot, form: ItemForm, field: str, click: bool) -> None:
    """Move to a field with Tab, or (far down the form) with a click on it, scrolled into view first."""
    if click:
        widget = form.query_one(f"#input-{field}")
        widget.scroll_visible(animate=False)  # as a person scrolls the form to a field below its end
        await pilot.pause()
        await pilot.click(f"#input-{field}")
        await until(pilot, lambda: widget.has_focus_within, f"a click to focus the field {field}")
    else:
        await tab_to(pilot, form, field)


async def fill(pilot, form: ItemForm, field: str, text: str, *, click: bool = False) -> None:
    """Go to a text field (Tab or a click) and type into it."""
    await to_field(pilot, form, field, click)
    await type_text(pilot, text)
    widget = form.query_one(f"#input-{field}")
    await until(
        pilot, lambda: text in getattr(widget, "value", getattr(widget, "text", "")), f"'{text}' in the field {field}"
    )


async def choose(pilot, form: ItemForm, field: str, search: str, value: object, *, click: bool = False) -> None:
    """A list field (a Select): open it (Tab then Enter, or a click), type to find the choice, Enter."""
    select = form.query_one(f"#input-{field}", Select)
    await to_field(pilot, form, field, click)
    if not select.expanded:  # a click opens it; after Tab, Enter does
        await pilot.press("enter")
    # its list has the focus before anything is typed (keys typed while it opens would be lost)
    await until(
        pilot,
        lambda: select.expanded and select.has_focus_within and not select.has_focus,
        f"the list of {field} to open",
    )
    await type_text(pilot, search)
    await pilot.press("enter")
    await until(
        pilot, lambda: not select.expanded and select.value == value, f"{field} = {value!r} (it is {select.value!r})"
    )


async def save_form(pilot, screen: ItemListScreen, form: ItemForm, key: str = "ctrl+s") -> None:
    """ctrl+s (or Enter in a one-line field) and wait for the form to close on a clean save.

    (Saving by a click on Save is tested in test_tui_form_draft.py.)
    """
    # the form checks itself on each Changed message, which comes after the value: wait for the last one
    try:
        await until(pilot, lambda: not [p for p in form.problems if p.severity == "error"], "the form to check clean")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {form.problems}") from None
    await pilot.press(key)
    await until(pilot, lambda: pilot.app.screen is screen, "the form to close")


async def open_picker(pilot, key: str) -> LinkPicker:
    app = pilot.app
    await pilot.press(key)
    picker = await until(pilot, lambda: isinstance(app.screen, LinkPicker) and app.screen, f"the picker ({key})")
    await until(pilot, lambda: picker.focused is not None and picker.focused.id == "picker-input", "the picker")
    return picker


async def pick(pilot, text: str, *keys: str, landed: Callable[[], object], what: str) -> None:
    """Type part of a name in the open picker, then the keys (enter and a choice key), and wait for the link."""
    await type_text(pilot, text)
    await pilot.press(*keys)
    await until(pilot, landed, what)


async def close_picker(pilot, screen: ItemListScreen) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: pilot.app.screen is screen, "the picker to close")


# -- reading the result -------------------------------------------------------------------------------
def ws_of(app: NeedsmapApp):
    return app.session.workshop


def item(app: NeedsmapApp, section: str, ident: str):
    return next((i for i in ws_of(app).section(section) if i.id == ident), None)


def needs(app: NeedsmapApp, uc: str) -> dict[str, str]:
    found = item(app, "use_cases", uc)
    return {n.attribute: n.effective_criticality for n in found.needs} if found else {}


def holds(app: NeedsmapApp, system: str) -> dict[str, str]:
    found = item(app, "systems", system)
    return {h.attribute: h.effective_role for h in found.holds} if found else {}


# -- the workshop --------------------------------------------------------------------------------------
async def add_stakeholders(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "2", "StakeholdersScreen")
    people = [
        ("Sanne Jansen", "Head of CRM marketing", "marketing", "sanne"),
        ("Pieter Bakker", "IT architect", "it", "pieter"),
        ("Olga Smit", "Service manager", "service", "olga"),
    ]
    for name, role, function, ident in people:
        form = await open_form(pilot, "a")
        await type_text(pilot, name)  # the first field; the id follows the name
        await until(pilot, lambda ident=ident: form.query_one("#input-id").value == ident, f"the id {ident}")
        await fill(pilot, form, "role", role)
        await choose(pilot, form, "function", function, function)
        if ident == "sanne":
            await choose(pilot, form, "influence", "high", "high")
        await save_form(pilot, screen, form)
        await until(pilot, lambda ident=ident: item(app, "stakeholders", ident), f"stakeholder {ident}")
        assert screen.selected_subject() == ("stakeholders", ident)
    # undo the last one and redo it: ctrl+z / ctrl+y
    await pilot.press("ctrl+z")
    await until(pilot, lambda: item(app, "stakeholders", "olga") is None, "the undo")
    await pilot.press("ctrl+y")
    await until(pilot, lambda: item(app, "stakeholders", "olga") is not None, "the redo")


async def add_attributes(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "5", "AttributesScreen")
    # (name, id, type (what to type, the value), identifier, sensitivity, owner); fields far down the form
    # are reached with a click on them (Tab works too, see the other forms, but costs a focus change a field)
    attributes = [
        ("Customer number", "customer_number", ("id", "id"), True, None, "pieter"),
        ("Email address", "email_address", ("mail", "email"), None, "personal", "sanne"),
        ("First name", "first_name", None, None, None, "olga"),
        ("Loyalty tier", "loyalty_tier", ("enum", "enum"), None, None, None),
    ]
    for n, (name, ident, type_, identifier, sensitivity, owner) in enumerate(attributes):
        form = await open_form(pilot, "a")
        await type_text(pilot, name)
        await until(pilot, lambda ident=ident: form.query_one("#input-id").value == ident, f"the id {ident}")
        if n == 0:
            await fill(pilot, form, "entity", "customer")  # the next field: Tab
        if type_ is not None:
            await choose(pilot, form, "type", *type_, click=True)
        if ident == "loyalty_tier":  # an enum needs its values
            await fill(pilot, form, "values", "silver, gold, platinum", click=True)
        if identifier is not None:
            await choose(pilot, form, "identifier", "true", True, click=True)
        if sensitivity is not None:
            await choose(pilot, form, "sensitivity", sensitivity, sensitivity, click=True)
        if owner is not None:
            await choose(pilot, form, "owner", owner, owner, click=True)
        if ident == "first_name":
            await fill(pilot, form, "synonyms", "given name, forename", click=True)
        await save_form(pilot, screen, form)
        await until(pilot, lambda ident=ident: item(app, "attributes", ident), f"attribute {ident}")
        assert screen.selected_subject() == ("attributes", ident)


async def add_systems(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "6", "SystemsScreen")
    for name, ident, kind in (("CRM", "crm", "crm"), ("Webshop", "webshop", "e-commerce")):
        form = await open_form(pilot, "a")
        await type_text(pilot, name)
        await until(pilot, lambda ident=ident: form.query_one("#input-id").value == ident, f"the id {ident}")
        await fill(pilot, form, "kind", kind)
        await choose(pilot, form, "owner", "pieter", "pieter")
        await save_form(pilot, screen, form)
        await until(pilot, lambda ident=ident: item(app, "systems", ident), f"system {ident}")
    # holdings of the crm: select its row with a click, then h and the picker
    table = screen.query_one("#items", ItemTable)
    assert table.keys == ["crm", "webshop"]
    await pilot.click("#items", offset=(3, 1))
    await until(pilot, lambda: screen.selected_subject() == ("systems", "crm"), "the crm row to be selected")
    await open_picker(pilot, "h")
    for text, key, attr, role in (
        ("customer num", "m", "customer_number", "master"),
        ("email", "m", "email_address", "master"),
        ("first", "c", "first_name", "copy"),
        ("loyalty", "c", "loyalty_tier", "copy"),
    ):
        await pick(
            pilot,
            text,
            "enter",
            key,
            landed=lambda attr=attr, role=role: holds(app, "crm").get(attr) == role,
            what=f"crm holds {attr} as {role}",
        )
    await close_picker(pilot, screen)
    # holdings of the webshop: the next row, with the arrow key
    await pilot.press("down")
    await until(pilot, lambda: screen.selected_subject() == ("systems", "webshop"), "the webshop row")
    await open_picker(pilot, "h")
    for text, key, attr in (
        ("customer", "c", "customer_number"),
        ("e-mail", "c", "email_address"),
        ("given name", "c", "first_name"),
    ):  # "given name": a synonym
        await pick(
            pilot,
            text,
            "enter",
            key,
            landed=lambda attr=attr: holds(app, "webshop").get(attr) == "copy",
            what=f"webshop holds {attr}",
        )
    await close_picker(pilot, screen)


async def add_use_cases(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "3", "UseCasesScreen")
    # churn prevention: marketing, owned by sanne; needs a score that no system holds
    form = await open_form(pilot, "a")
    await type_text(pilot, "Churn prevention")
    await until(pilot, lambda: form.query_one("#input-id").value == "churn-prevention", "the id")
    await fill(pilot, form, "description", "Win back customers before they leave")
    await choose(pilot, form, "owner", "sanne", "sanne")
    await choose(pilot, form, "function", "marketing", "marketing")
    await fill(pilot, form, "value", "5")
    await choose(pilot, form, "horizon", "now", "now")
    await save_form(pilot, screen, form)
    await until(pilot, lambda: item(app, "use_cases", "churn-prevention"), "use case churn-prevention")
    picker = await open_picker(pilot, "l")
    # the churn score is not an attribute yet: created on the spot ("+ create attribute ..." comes first)
    await type_text(pilot, "Churn score")
    results = picker.query_one("#picker-list", OptionList)
    await until(
        pilot,
        lambda: results.highlighted is not None and results.get_option_at_index(results.highlighted).id == CREATE,
        "'+ create' highlighted",
    )
    await pick(
        pilot,
        "",
        "enter",
        "m",
        landed=lambda: needs(app, "churn-prevention").get("churn_score") == "must",
        what="churn_score created and needed (must)",
    )
    assert item(app, "attributes", "churn_score").name == "Churn score"
    for text, key, attr, crit in (("email", "m", "email_address", "must"), ("first", "s", "first_name", "should")):
        await pick(
            pilot,
            text,
            "enter",
            key,
            landed=lambda attr=attr, crit=crit: needs(app, "churn-prevention").get(attr) == crit,
            what=f"churn-prevention needs {attr} ({crit})",
        )
    await close_picker(pilot, screen)
    # order status: service, owned by olga, runs in the webshop (executes_in, typed in the form)
    form = await open_form(pilot, "a")
    await type_text(pilot, "Order status")
    await until(pilot, lambda: form.query_one("#input-id").value == "order-status", "the id")
    await choose(pilot, form, "owner", "olga", "olga", click=True)
    await choose(pilot, form, "function", "service", "service")  # the next field: Tab, Enter
    await fill(pilot, form, "value", "3", click=True)
    await fill(pilot, form, "executes_in", "webshop", click=True)
    await save_form(pilot, screen, form, "enter")  # Enter in a one-line field saves too
    await until(pilot, lambda: item(app, "use_cases", "order-status"), "use case order-status")
    assert screen.selected_subject() == ("use_cases", "order-status")
    await open_picker(pilot, "l")
    for text, key, attr, crit in (
        ("customer", "m", "customer_number", "must"),
        ("loyalty", "s", "loyalty_tier", "should"),
        ("email", "c", "email_address", "could"),
    ):
        await pick(
            pilot,
            text,
            "enter",
            key,
            landed=lambda attr=attr, crit=crit: needs(app, "order-status").get(attr) == crit,
            what=f"order-status needs {attr} ({crit})",
        )
    await close_picker(pilot, screen)


async def add_process(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "4", "ProcessesScreen")
    form = await open_form(pilot, "a")
    await type_text(pilot, "Online registration")
    await until(pilot, lambda: form.query_one("#input-id").value == "online-registration", "the id")
    await choose(pilot, form, "owner", "pieter", "pieter")
    await save_form(pilot, screen, form)
    await until(pilot, lambda: item(app, "processes", "online-registration"), "process online-registration")

    def steps():
        return item(app, "processes", "online-registration").steps

    for n, (name, links) in enumerate(
        (
            (
                "Create account",
                (("customer", "c", "customer_number", "creates"), ("email", "r", "email_address", "reads")),
            ),
            ("Show loyalty status", (("loyalty", "r", "loyalty_tier", "reads"),)),
        )
    ):
        form = await open_form(pilot, "t")  # t: add a step (from the list, then from the steps list)
        await type_text(pilot, name)
        await choose(pilot, form, "system", "web", "webshop")
        await save_form(pilot, screen, form)
        await until(pilot, lambda n=n: len(steps()) == n + 1, f"step {n + 1}")
        sub = screen.query_one("#sub-steps", ItemTable)
        await until(
            pilot,
            lambda n=n: app.focused is sub and sub.cursor_key == str(n),
            f"step {n + 1} selected in the steps list",
        )
        await open_picker(pilot, "l")  # l: link the selected step
        for text, key, attr, action in links:
            await pick(
                pilot,
                text,
                "enter",
                key,
                landed=lambda n=n, attr=attr, action=action: attr in getattr(steps()[n], action),
                what=f"step {n + 1} {action} {attr}",
            )
        await close_picker(pilot, screen)


async def owner_and_note(pilot) -> None:
    app = pilot.app
    screen = await goto(pilot, "5", "AttributesScreen")
    table = screen.query_one("#items", ItemTable)
    # the churn score (created from the use case) gets its owner with the owner picker (o); typing on
    # the list filters it, and a word of Sanne's role finds her
    await type_text(pilot, "churn")
    await until(pilot, lambda: table.keys == ["churn_score"], "the filter 'churn'")
    await pilot.press("enter")  # Enter in the filter: back to the list
    await until(
        pilot,
        lambda: app.focused is table and screen.selected_subject() == ("attributes", "churn_score"),
        "churn_score selected",
    )
    await open_picker(pilot, "o")
    await type_text(pilot, "crm marketing")
    await pilot.press("enter")
    await until(pilot, lambda: app.screen is screen, "the owner picker to close")
    await until(pilot, lambda: item(app, "attributes", "churn_score").owner == "sanne", "the owner of churn_score")
    await until(pilot, lambda: app.focused is table, "the list to have focus again")
    await pilot.press("escape")  # clears the filter
    await until(pilot, lambda: len(table.keys) == 5, "the whole list")
    # a quick note about the loyalty tier: select it with the filter (/, words, Enter back to the list)
    await pilot.press("slash")
    await type_text(pilot, "loyalty")
    await pilot.press("enter")
    await until(pilot, lambda: screen.query_one("#items", ItemTable).keys == ["loyalty_tier"], "the filter")
    await until(pilot, lambda: screen.selected_subject() == ("attributes", "loyalty_tier"), "loyalty_tier selected")
    await pilot.press("n")
    note = await until(pilot, lambda: isinstance(app.screen, QuickNoteScreen) and app.screen, "the quick note")
    await pilot.press("q")  # a question
    await until(pilot, lambda: note.focused is note.query_one("#note-text"), "the note text field")
    await type_text(pilot, "Who owns the loyalty tier")
    await pilot.press("enter")
    await until(pilot, lambda: app.screen is screen, "the quick note to close")
    await until(pilot, lambda: ws_of(app).notes, "the note")


# -- the test -------------------------------------------------------------------------------------------
@pytest.mark.slow  # ~45 s: some 400 key presses and clicks, each waited for until the app is idle
def test_a_full_workshop_typed_from_an_empty_file(tmp_path: Path):
    path = tmp_path / "workshop.yaml"
    save(new_workshop("Customer data workshop", target=path), path)  # as `needsmap new` does

    async def body():
        app = create_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.current_mode == "overview", "the overview")
            await add_stakeholders(pilot)
            await add_attributes(pilot)
            await add_systems(pilot)
            await add_use_cases(pilot)
            await add_process(pilot)
            await owner_and_note(pilot)
            await settle(pilot)
            assert app.save_problem() is None
            # the live analysis saw the same as the CLI will
            assert app.analysis.readiness["churn-prevention"].status == "blocked"
            await pilot.press("q")  # quit: everything is already saved
            await until(pilot, lambda: not app.is_running, "the app to quit")

    run(body)

    # -- the file on disk: valid, and holding exactly what was typed ---------------------------------
    ws = assert_opens_clean(path)
    counts = {
        s: len(ws.section(s)) for s in ("stakeholders", "systems", "attributes", "use_cases", "processes", "notes")
    }
    assert counts == {"stakeholders": 3, "systems": 2, "attributes": 5, "use_cases": 2, "processes": 1, "notes": 1}
    assert {s.id: s.function for s in ws.stakeholders} == {"sanne": "marketing", "pieter": "it", "olga": "service"}
    assert next(s for s in ws.stakeholders if s.id == "sanne").influence == "high"
    attrs = {a.id: a for a in ws.attributes}
    assert set(attrs) == {"customer_number", "email_address", "first_name", "loyalty_tier", "churn_score"}
    assert attrs["customer_number"].identifier is True and attrs["customer_number"].type == "id"
    assert [a for a in attrs.values() if a.identifier] == [attrs["customer_number"]]
    assert attrs["loyalty_tier"].values == ["silver", "gold", "platinum"]
    assert attrs["first_name"].synonyms == ["given name", "forename"]
    assert {a.id: a.owner for a in ws.attributes} == {
        "customer_number": "pieter",
        "email_address": "sanne",
        "first_name": "olga",
        "loyalty_tier": None,
        "churn_score": "sanne",
    }
    systems = {s.id: s for s in ws.systems}
    assert {h.attribute: h.role for h in systems["crm"].holds} == {
        "customer_number": "master",
        "email_address": "master",
        "first_name": "copy",
        "loyalty_tier": "copy",
    }
    assert {h.attribute: h.role for h in systems["webshop"].holds} == {
        "customer_number": "copy",
        "email_address": "copy",
        "first_name": "copy",
    }
    ucs = {u.id: u for u in ws.use_cases}
    assert {n.attribute: n.criticality for n in ucs["churn-prevention"].needs} == {
        "churn_score": "must",
        "email_address": "must",
        "first_name": "should",
    }
    assert {n.attribute: n.criticality for n in ucs["order-status"].needs} == {
        "customer_number": "must",
        "loyalty_tier": "should",
        "email_address": "could",
    }
    assert ucs["order-status"].executes_in == ["webshop"] and ucs["churn-prevention"].executes_in == []
    assert (ucs["churn-prevention"].owner, ucs["churn-prevention"].value) == ("sanne", 5)
    process = ws.processes[0]
    assert (process.id, process.owner) == ("online-registration", "pieter")
    assert [(st.name, st.system, st.creates, st.reads) for st in process.steps] == [
        ("Create account", "webshop", ["customer_number"], ["email_address"]),
        ("Show loyalty status", "webshop", [], ["loyalty_tier"]),
    ]
    note = ws.notes[0]
    assert (note.kind, note.text, note.about) == ("question", "Who owns the loyalty tier", ["loyalty_tier"])

    # -- needsmap gaps FILE --format json ----------------------------------------------------------------
    cli = CliRunner().invoke(main, ["gaps", str(path), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    report = json.loads(cli.output)
    gaps = report["gaps"]

    def found(rule: str) -> list[dict]:
        return [g for g in gaps if g["rule"] == rule]

    def ids(gap: dict, kind: str) -> list[str]:
        return [s["id"] for s in gap["subjects"] if s["kind"] == kind]

    # what was planned
    [missing] = found("missing-source")
    assert ids(missing, "attribute") == ["churn_score"] and missing["severity"] == "error"
    assert missing["use_cases"] == ["churn-prevention"]
    assert [ids(g, "attribute") for g in found("no-owner")] == [["loyalty_tier"]]
    assert [ids(g, "attribute") for g in found("no-master")] == [["first_name"]]
    [unreachable] = found("unreachable")
    assert (ids(unreachable, "use_case"), ids(unreachable, "attribute")) == (["order-status"], ["loyalty_tier"])
    assert unreachable["severity"] == "warning"  # a should-need
    [not_held] = found("step-not-held")
    assert ids(not_held, "process") == ["online-registration"] and ids(not_held, "system") == ["webshop"]
    assert ids(not_held, "attribute") == ["loyalty_tier"] and not_held["details"]["step"] == 2
    readiness = {r["use_case"]: r for r in report["readiness"]}
    assert readiness["churn-prevention"]["status"] == "blocked"
    assert (readiness["churn-prevention"]["must_total"], readiness["churn-prevention"]["must_satisfied"]) == (2, 1)
    assert readiness["order-status"]["status"] == "at-risk"
    assert (readiness["order-status"]["must_total"], readiness["order-status"]["must_satisfied"]) == (1, 1)
    # what was avoided
    for rule in (
        "orphan-use-case",
        "use-case-without-needs",
        "identity-island",
        "no-identifier",
        "contested",
        "unused-attribute",
        "many-masters",
        "personal-without-consent",
        "anonymous-channel",
        "low-quality",
        "low-coverage",
        "stale",
        "definition-conflict",
    ):
        assert not found(rule), (rule, found(rule))
    unrepresented = {f for g in found("unrepresented-function") for f in ids(g, "function")}
    assert not unrepresented & {"marketing", "it", "service"}
    assert all(g["severity"] == "info" for g in found("unrepresented-function"))  # nobody else owns anything
    # exactly these errors
    assert [g["rule"] for g in gaps if g["severity"] == "error"] == ["missing-source"]
