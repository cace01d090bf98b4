"""Drafts of forms: what is typed survives a crash, is never shown to another running session, and never lingers.

Each running needsmap keeps its own draft beside the workshop (``.FILE.<session>.needsmap-draft``).  A
session restores its own draft, or the draft of a session that is dead (the crash the draft is for), and
then claims it so no other session restores it too.  A session that is still running keeps its draft
to itself.

A form saved by a click on Save leaves no draft behind (the next "add" form opens empty): a click moves
the focus out of the field being typed in, and that blur used to be handled after the save had cleared
the draft, writing it again.  Repeated, because it happened about once in fourteen saves.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from needsmap.tui.app import create_app
from needsmap.tui.widgets.forms import ItemForm
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, show, sync, until

ROUNDS = 20

#: A real needsmap in its own process: opens the add form of a stakeholder, types a name, then waits.
_TYPE_AND_WAIT = textwrap.dedent("""
    import asyncio, sys
    from pathlib import Path
    from needsmap.tui.app import create_app
    from needsmap.tui.widgets.forms import ItemForm

    async def main():
        app = create_app(Path(sys.argv[1]))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")
            while type(app.screen).__name__ != "StakeholdersScreen":
                await pilot.pause(0.01)
            await pilot.app.workers.wait_for_complete()
            await pilot.press("a")
            while not isinstance(app.screen, ItemForm):
                await pilot.pause(0.01)
            await pilot.press(*sys.argv[2])
            print("typed", flush=True)
            while True:
                await pilot.pause(0.05)

    asyncio.run(main())
""")


def drafts(workshop: Path) -> list[Path]:
    """Every draft file beside the workshop, whoever wrote it."""
    return sorted(workshop.parent.glob(f".{workshop.name}*needsmap-draft"))


def drafts_holding(workshop: Path, text: str) -> list[Path]:
    return [p for p in drafts(workshop) if text in p.read_text(encoding="utf-8")]


def typed_name(form: ItemForm) -> str:
    return form.query_one("#input-name").value


def restored(app) -> bool:
    return any("Restored what was being typed" in str(n.message) for n in app._notifications)


async def add_form(pilot) -> ItemForm:
    app = pilot.app
    await pilot.press("a")
    form = await until(pilot, lambda: isinstance(app.screen, ItemForm) and app.screen, "the form")
    await until(pilot, lambda: form.focused is not None, "the first field to have focus")
    return form


@sync
async def test_saving_by_click_leaves_no_draft(demo_copy: Path):
    app = create_app(demo_copy)
    names = [f"Click Saver {i}" for i in range(ROUNDS)]
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        for name in names:
            form = await add_form(pilot)
            first = form.first_field()
            assert first is not None and not first.value, f"the form opened filled with {first.value!r}"
            await pilot.press(*name)
            await until(pilot, lambda: first.value == name, "the name typed")
            await pilot.click("#form-save")
            await until(pilot, lambda: app.screen is screen, "the form to close")
            # the next form opens only after the events of this one were handled: a late blur would
            # have written the draft by then, and the next form would open filled with it

        await until(pilot, lambda: screen.query_one("#items").has_focus, "the list to have focus again")
    assert not drafts(demo_copy), "a draft was left behind after the last save"
    assert set(names) <= {s.name for s in assert_opens_clean(demo_copy).stakeholders}


@sync
async def test_a_second_session_never_sees_what_the_first_is_typing(demo_copy: Path):
    one, two = create_app(demo_copy), create_app(demo_copy)
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await show(p1, "2", "StakeholdersScreen")
        form1 = await add_form(p1)
        await p1.press(*"Femke Dijkstra")
        await until(p1, lambda: drafts_holding(demo_copy, "Femke Dijkstra"), "one's draft")
        screen2 = await show(p2, "2", "StakeholdersScreen")
        form2 = await add_form(p2)
        assert typed_name(form2) == "", "two's form opened with one's typing"
        assert not restored(two)
        await p2.press(*"Joris Bakker", "ctrl+s")
        await until(p2, lambda: two.screen is screen2, "two's form to close")
        assert drafts_holding(demo_copy, "Femke Dijkstra"), "two's save removed one's draft"
        assert typed_name(form1) == "Femke Dijkstra"
        await p1.press("ctrl+s")
        await until(p1, lambda: not isinstance(one.screen, ItemForm), "one's form to close")
    assert not drafts(demo_copy)
    names = {s.name for s in assert_opens_clean(demo_copy).stakeholders}
    assert {"Femke Dijkstra", "Joris Bakker"} <= names


@sync
async def test_a_crashed_sessions_draft_is_restored_by_one_session_only(demo_copy: Path):
    other = subprocess.Popen(
        [sys.executable, "-c", _TYPE_AND_WAIT, str(demo_copy), "Femke Dijkstra"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stderr is not None
        assert other.stdout.readline().strip() == "typed", other.stderr.read()  # (it ended: what it said)
        deadline = time.monotonic() + 20
        while not drafts_holding(demo_copy, "Femke Dijkstra"):
            assert time.monotonic() < deadline, "the other needsmap wrote no draft"
            time.sleep(0.05)
        one = create_app(demo_copy)
        async with one.run_test(size=SIZE) as p1:
            screen1 = await show(p1, "2", "StakeholdersScreen")
            form = await add_form(p1)
            # the other needsmap is running: what it is typing is its own
            assert typed_name(form) == "" and not restored(one)
            await p1.press("escape")
            await until(p1, lambda: one.screen is screen1, "the empty form to close")
            other.send_signal(signal.SIGKILL)  # now it crashed: its typing is offered, once
            other.wait()
            two = create_app(demo_copy)
            async with two.run_test(size=SIZE) as p2:
                form = await add_form(p1)
                assert typed_name(form) == "Femke Dijkstra" and restored(one)
                await show(p2, "2", "StakeholdersScreen")
                form2 = await add_form(p2)
                assert typed_name(form2) == "" and not restored(two), "restored by two sessions"
                await p2.press("escape")
                await p1.press("ctrl+s")
                await until(p1, lambda: one.screen is screen1, "one's form to close")
    finally:
        if other.poll() is None:
            other.kill()
        other.communicate()
    assert not drafts(demo_copy)
    assert "Femke Dijkstra" in {s.name for s in assert_opens_clean(demo_copy).stakeholders}


@sync
async def test_a_draft_under_the_old_single_name_is_still_restored(demo_copy: Path):
    """Written by a needsmap from before drafts were per session (no session in it): a crashed session's."""
    old = demo_copy.with_name(f".{demo_copy.name}.needsmap-draft")
    key = {"section": "stakeholders", "ident": None, "child": None, "child_index": None}
    values = {"id": "femke-dijkstra", "name": "Femke Dijkstra", "role": "", "function": None}
    old.write_text(json.dumps({"key": key, "title": "New stakeholder", "values": values, "at": 0}), encoding="utf-8")
    app = create_app(demo_copy)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show(pilot, "2", "StakeholdersScreen")
        form = await add_form(pilot)
        assert typed_name(form) == "Femke Dijkstra" and restored(app)
        assert not old.exists()  # claimed: no other session restores it too
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form to close")
    assert not drafts(demo_copy)
    assert "Femke Dijkstra" in {s.name for s in assert_opens_clean(demo_copy).stakeholders}
