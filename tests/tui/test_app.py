"""The terminal app driven as a facilitator would: keys in, the workshop file on disk checked.

Each test runs the app headless (``App.run_test``) on a copy of the demo
workshop (``demo_copy``).  Nothing sleeps for a fixed time: tests wait for the
analysis worker (``settle``) or poll a condition (``until``).
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Footer

from needsmap.collab.session import Session
from needsmap.format.naming import new_note_id
from needsmap.tui.app import NeedsmapApp, NewWorkshopScreen, create_app
from needsmap.tui.registry import SCREENS
from needsmap.tui.screens.gaps import GapsScreen
from needsmap.tui.screens.help import HelpScreen
from needsmap.tui.screens.matrix import MatrixGrid, MatrixScreen
from needsmap.tui.screens.notes import NoteForm, NotesScreen
from needsmap.tui.screens.overview import OverviewScreen
from needsmap.tui.widgets.dialogs import CommentsDialog, ConfirmDialog, ConflictDialog
from needsmap.tui.widgets.quick_note import QuickNoteScreen
from needsmap.tui.widgets.status import NavBar, StatusBar
from tests.conftest import DEMO, assert_opens_clean
from tests.tui.conftest import SIZE, run, settle, until


def screen_text(app: NeedsmapApp) -> str:
    """What is on screen, as plain text (from the SVG export)."""
    import html
    import re

    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", p) for p in parts)).replace("\xa0", " ")


# -- screens ----------------------------------------------------------------------------------
def test_number_keys_reach_every_screen_with_bars_and_footer(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, OverviewScreen)
            for entry in SCREENS:
                mode = entry.mode
                await pilot.press(entry.key)
                await until(pilot, lambda mode=mode: app.current_mode == mode and app.screen.query(StatusBar))
                screen = app.screen
                assert screen.query_one(NavBar) and screen.query_one(StatusBar)
                assert len(screen.query(Footer)) == 1
            expected = {"overview": OverviewScreen, "matrix": MatrixScreen, "gaps": GapsScreen, "notes": NotesScreen}
            for mode, cls in expected.items():
                await app.run_action(f"show('{mode}')")
                assert isinstance(app.screen, cls)
            await pilot.press("1")
            assert app.current_mode == "overview"

    run(body)


def test_keys_2_to_6_show_the_section_screens(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            for n in "23456":
                await pilot.press(n)
                await pilot.pause()
                assert type(app.screen).__module__ == "needsmap.tui.screens.sections"

    run(body)


def test_help_lists_every_key(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            text = screen_text(app)
            for word in ("Undo", "Quick note", "Overview screen", "Matrix", "Gaps", "Notes", "Quit"):
                assert word in text
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, OverviewScreen))

    run(body)


def test_command_palette_goes_to_a_screen(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette")
            await pilot.press(*"go to gaps")
            from textual.command import CommandList

            command_list = app.screen.query_one(CommandList)
            await until(pilot, lambda: command_list.option_count > 0)
            await pilot.press("enter")
            await until(pilot, lambda: app.current_mode == "gaps")

    run(body)


def test_command_palette_offers_every_global_action_and_screen(demo_copy: Path):
    async def body():
        from needsmap.tui.app import NeedsmapCommands

        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            await pilot.pause()
            provider = NeedsmapCommands(app.screen)
            names = [name for name, _, _ in provider._commands()]
            for entry in SCREENS:
                assert f"Go to {entry.title}" in names
            for words in ("Undo", "Redo", "Quick note", "Help", "Export the HTML report", "Quit"):
                assert any(words in name for name in names), words
            assert "Notes: Add" in names and "Notes: Delete" in names  # the current screen's own keys

    run(body)


# -- undo and redo ------------------------------------------------------------------------------
def test_undo_and_redo_keys_change_the_file(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            session = app.session
            session.update("stakeholders", 0, name="Sanne van Renamed")
            assert "Sanne van Renamed" in demo_copy.read_text(encoding="utf-8")
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert assert_opens_clean(demo_copy).stakeholders[0].name == "Sanne de Vries"
            assert "Sanne van Renamed" not in demo_copy.read_text(encoding="utf-8")
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert assert_opens_clean(demo_copy).stakeholders[0].name == "Sanne van Renamed"
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert assert_opens_clean(demo_copy).stakeholders == assert_opens_clean(DEMO).stakeholders

    run(body)


# -- quick note ---------------------------------------------------------------------------------
def test_quick_note_is_linked_to_the_selected_item(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("7")
            await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
            await pilot.press("down")  # second use case
            second = app.session.workshop.use_cases[1].id
            assert app.screen.selected_subject() == ("use_cases", second)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, QuickNoteScreen))
            await pilot.press("r")  # risk
            await pilot.press(*"Carts arrive a day late")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
            note = app.session.workshop.notes[-1]
            assert (note.kind, note.text, note.about) == ("risk", "Carts arrive a day late", [second])
            saved = assert_opens_clean(demo_copy).notes[-1]
            assert (saved.id, saved.kind, saved.about) == (note.id, "risk", [second])
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert all(n.id != note.id for n in assert_opens_clean(demo_copy).notes)

    run(body)


def test_quick_note_without_selection_and_escape_cancels(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            count = len(app.session.workshop.notes)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, QuickNoteScreen))
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
            assert len(app.session.workshop.notes) == count

    run(body)


def test_note_ids_are_readable_and_unique():
    assert new_note_id("question", "Who owns the mobile number?", []) == "q-who-owns-the-mobile"
    assert new_note_id("risk", "Who owns", ["r-who-owns"]) == "r-who-owns-2"
    assert new_note_id("idea", "???", []) == "i-note"
    assert new_note_id("decision", "Überprüfung der Adresse", []) == "d-uberprufung-der-adresse"


# -- gaps ------------------------------------------------------------------------------------
def test_enter_on_a_gap_jumps_to_its_subject(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("8")
            await until(pilot, lambda: isinstance(app.screen, GapsScreen))
            gaps = app.screen
            await pilot.press(*"many-masters")
            await pilot.press("enter")  # from the filter back to the table
            gap = gaps.current_gap()
            assert gap is not None and gap.rule == "many-masters"
            assert gaps.selected_subject() == ("attributes", "email_optin")
            await pilot.press("enter")
            await until(pilot, lambda: app.current_mode == "attributes")
            screen = app.screen
            assert screen.selected_subject() == ("attributes", "email_optin")

    run(body)


def test_gaps_follow_edits_live_and_can_be_regrouped(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("8")
            await until(pilot, lambda: isinstance(app.screen, GapsScreen))
            table = app.screen.query_one("#gap-table", DataTable)
            before = table.row_count
            session = app.session
            index = session.find("use_cases", "welcome-journey")
            needs = [*session.workshop.use_cases[index].needs]
            from needsmap.format import model as m

            session.update("use_cases", index, needs=[*needs, m.Need("no_such_attribute_yet")])
            await settle(pilot)
            assert table.row_count == before + 1
            await pilot.press("g")  # grouped by problem: a heading row per problem
            assert table.row_count > before + 1
            await pilot.press("ctrl+z")
            await settle(pilot)
            assert app.analysis.counts() == session.analysis.counts()

    run(body)


def test_gaps_screen_blocking_errors_first_then_grouped_by_problem(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("8")
            await until(pilot, lambda: isinstance(app.screen, GapsScreen))
            await settle(pilot)
            screen = app.screen
            assert screen.order == "blockers" and screen._rows == app.analysis.gaps
            assert app.analysis.blocks(screen.current_gap())
            await pilot.press("g")  # grouped by problem: a heading row, then its findings
            table = screen.query_one("#gap-table", DataTable)
            table.move_cursor(row=0)
            await pilot.pause()
            assert screen.current_gap() is None and screen.current_problem().blocks
            assert screen.selected_subject() == ("use_cases", "nbo-in-store")
            assert "Problem" in str(screen.query_one("#gap-detail-text").render())
            headings = [i for i, gap in enumerate(screen._rows) if gap is None]
            assert len(headings) == len(screen._headings) < len(app.analysis.gaps)
            await pilot.press("g")  # by impact alone: the old order
            impacts = [g.impact for g in screen._rows]
            assert impacts == sorted(impacts, reverse=True) and not app.analysis.blocks(screen._rows[0])
            await pilot.press("g", "g", "g")  # rule, severity, and round to blocking errors first
            assert screen.order == "blockers"
            await pilot.press(*"/blocks", "enter")  # "blocks" finds the errors that block a use case
            await pilot.pause()
            assert screen._rows and all(app.analysis.blocks(g) for g in screen._rows)
            assert len(screen._rows) == len(app.analysis.blocking)

    run(body)


def test_overview_top_problems_start_with_the_blocking_errors(demo_copy: Path):
    """The overview's top 10 are problems (findings grouped by root cause), the blocking errors first."""
    from needsmap.analysis.problems import group

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#top-gaps", DataTable)
            problems = group(app.analysis, app.session.workshop)
            assert table.row_count == 10 < len(problems) < len(app.analysis.gaps)
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            marks = [str(row[0]) for row in rows]
            blocking = sum(p.blocks for p in problems[:10])
            assert blocking and marks == ["● blocks"] * blocking + marks[blocking:]
            assert all(p.severity == "error" for p in problems[:blocking])
            assert "blocks" not in "".join(marks[blocking:])
            assert [str(row[2]).split(" · ")[0] for row in rows] == [p.title for p in problems[:10]]
            assert str(rows[0][2]) == "Personalisation consent never reaches Store tills"
            moving = next(str(row[2]) for row in rows if "Expected moving date" in str(row[2]))
            assert moving == "Expected moving date is needed but held nowhere: no owner · 2 findings"
            assert f"Top 10 of {len(problems)} problems ({len(app.analysis.gaps)} findings), blocking errors first" in (
                screen_text(app)
            )

    run(body)


def test_overview_enter_on_a_top_problem_jumps(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one("#top-gaps", DataTable)
            table.focus()
            await pilot.pause()
            # the first problem: profiling consent never reaches the till where next best offer runs
            assert app.screen.selected_subject() == ("use_cases", "nbo-in-store")
            await pilot.press("enter")
            await until(pilot, lambda: app.current_mode == "use_cases")
            await pilot.press("1")
            await until(pilot, lambda: app.current_mode == "overview")
            table = app.screen.query_one("#top-gaps", DataTable)
            table.focus()
            row = next(i for i in range(table.row_count) if "Newsletter consent is" in str(table.get_row_at(i)[2]))
            table.move_cursor(row=row)
            await pilot.pause()
            assert app.screen.selected_subject() == ("attributes", "email_optin")
            await pilot.press("enter")
            await until(pilot, lambda: app.current_mode == "attributes")

    run(body)


# -- matrix -----------------------------------------------------------------------------------
def test_matrix_space_writes_a_need_and_undo_removes_it(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("7")
            await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
            grid = app.screen.query_one(MatrixGrid)
            uc, attr = grid.current()
            assert attr not in [nd.attribute for nd in assert_opens_clean(demo_copy).use_cases[0].needs]
            await pilot.press("space")
            needs = {nd.attribute: nd for nd in assert_opens_clean(demo_copy).use_cases[0].needs}
            assert attr in needs and needs[attr].effective_criticality == "must"
            # the status line says the value first: a narrow terminal cuts its end, never the value
            info = app.screen.query_one("#matrix-info")
            await until(pilot, lambda: str(info.render()).startswith("must"), "the value first in the status line")
            await pilot.press("space")
            assert {nd.attribute: nd.criticality for nd in assert_opens_clean(demo_copy).use_cases[0].needs}[
                attr
            ] == "should"
            await pilot.press("ctrl+z", "ctrl+z")
            await pilot.pause()
            assert attr not in [nd.attribute for nd in assert_opens_clean(demo_copy).use_cases[0].needs]
            assert assert_opens_clean(demo_copy).use_cases[0].id == uc

    run(body)


def test_matrix_cycles_a_holding_role_through_all_values(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("7")
            await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
            await pilot.press("t")
            grid = app.screen.query_one(MatrixGrid)
            system, attr = grid.current()
            sy = next(s for s in app.session.workshop.systems if s.id == system)
            if any(h.attribute == attr for h in sy.holds):  # find an empty cell on this row
                free = next(a.id for a in app.session.workshop.attributes if all(h.attribute != a.id for h in sy.holds))
                grid.move_to(col_id=free)
                attr = free
            roles = []
            for _ in range(4):
                await pilot.press("space")
                held = {
                    h.attribute: h for s in assert_opens_clean(demo_copy).systems if s.id == system for h in s.holds
                }
                roles.append(held[attr].effective_role if attr in held else None)
            assert roles == ["copy", "master", "derived", None]
            await pilot.press("m")
            held = {h.attribute: h for s in assert_opens_clean(demo_copy).systems if s.id == system for h in s.holds}
            assert held[attr].role == "master"

    run(body)


# -- notes ----------------------------------------------------------------------------------------
def test_notes_close_delete_with_confirmation_and_undo(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            notes = app.screen
            first = notes.current_note()
            assert first is not None and first.effective_status == "open"
            await pilot.press("c")
            assert next(n for n in assert_opens_clean(demo_copy).notes if n.id == first.id).status == "closed"
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert next(n for n in assert_opens_clean(demo_copy).notes if n.id == first.id).effective_status == "open"
            notes.select(first.id)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("n")  # no: nothing happens
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            assert any(n.id == first.id for n in assert_opens_clean(demo_copy).notes)
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            assert all(n.id != first.id for n in assert_opens_clean(demo_copy).notes)
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert any(n.id == first.id for n in assert_opens_clean(demo_copy).notes)

    run(body)


def test_notes_add_through_the_form(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, NoteForm))
            form = app.screen
            await pilot.press(*"Ask legal about the retention period")
            form.query_one("#f-about").value = "nonexistent"
            await pilot.pause()
            assert any("not an id" in p for p in form.problems())
            await pilot.press("ctrl+s")  # refused while there are problems
            assert isinstance(app.screen, NoteForm)
            form.query_one("#f-about").value = "email, sanne"
            form.query_one("#f-by").value = "karin"
            await pilot.pause()
            assert form.problems() == []
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            note = assert_opens_clean(demo_copy).notes[-1]
            assert note.text == "Ask legal about the retention period"
            assert (note.about, note.by) == (["email", "sanne"], "karin")
            assert app.screen.current_note().id == note.id

    run(body)


# -- the file on disk ----------------------------------------------------------------------------
def _changed_on_disk(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Sanne de Vries", "name: Sanne de Vries-Jansen"), encoding="utf-8")


def test_a_change_on_disk_is_merged_in(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            _changed_on_disk(demo_copy)
            app.check_disk()  # what the 2-second timer calls
            await until(pilot, lambda: app.session.workshop.stakeholders[0].name == "Sanne de Vries-Jansen")
            assert not isinstance(app.screen, ConflictDialog)
            app.check_disk()
            await pilot.pause()
            assert not isinstance(app.screen, ConflictDialog)

    run(body)


def test_the_timer_notices_a_change_on_disk(demo_copy: Path, monkeypatch):
    import needsmap.tui.app as app_module

    monkeypatch.setattr(app_module, "DISK_POLL_SECONDS", 0.05)

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            _changed_on_disk(demo_copy)
            await until(pilot, lambda: app.session.workshop.stakeholders[0].name == "Sanne de Vries-Jansen")

    run(body)


def test_an_edit_after_a_change_on_disk_keeps_both(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            _changed_on_disk(demo_copy)
            app.session.update("stakeholders", 1, name="Noor Changed")
            await pilot.pause()
            assert not isinstance(app.screen, ConflictDialog)
            saved = assert_opens_clean(demo_copy)
            assert saved.stakeholders[1].name == "Noor Changed"
            assert saved.stakeholders[0].name == "Sanne de Vries-Jansen"
            assert app.save_problem() is None

    run(body)


def test_an_edit_while_the_file_on_disk_is_broken_is_not_saved_until_keep_mine(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            broken = demo_copy.read_text(encoding="utf-8").replace("name: Sanne de Vries", "name: [Sanne")
            demo_copy.write_text(broken, encoding="utf-8")
            app.session.update("stakeholders", 1, name="Noor Changed")
            await until(pilot, lambda: isinstance(app.screen, ConflictDialog))
            assert "NOT SAVED" in str(app.screen_stack[0].query_one(StatusBar).render())
            assert demo_copy.read_text(encoding="utf-8") == broken
            await pilot.press("k")
            await until(pilot, lambda: not isinstance(app.screen, ConflictDialog))
            saved = assert_opens_clean(demo_copy)
            assert saved.stakeholders[1].name == "Noor Changed"
            assert saved.stakeholders[0].name == "Sanne de Vries"
            assert demo_copy.with_name(demo_copy.name + ".bak").read_text(encoding="utf-8") == broken
            assert app.save_problem() is None

    run(body)


def test_a_second_instance_is_warned(demo_copy: Path):
    lock = demo_copy.with_name(f".{demo_copy.name}.needsmap-lock")
    lock.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname(), "since": "earlier"}))

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("has this file open" in msg and str(os.getppid()) in msg for msg in messages)

    run(body)


def test_comments_are_asked_about_once(tmp_path: Path):
    path = tmp_path / "commented.yaml"
    text = DEMO.read_text(encoding="utf-8").replace("stakeholders:\n", "stakeholders:\n  # who is in the room\n", 1)
    path.write_text(text, encoding="utf-8")

    async def body():
        app = create_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, CommentsDialog))
            await pilot.press("c")
            await until(pilot, lambda: not isinstance(app.screen, CommentsDialog))
            assert "# who is in the room" in path.read_text(encoding="utf-8")  # not before the first change
            app.session.update("stakeholders", 0, name="Sanne")
            await pilot.pause()
            assert not isinstance(app.screen, CommentsDialog)
            assert assert_opens_clean(path).stakeholders[0].name == "Sanne"
            assert "# who is in the room" not in path.read_text(encoding="utf-8")

    run(body)


# -- untrusted text -----------------------------------------------------------------------------
def test_hostile_names_render_literally(demo_copy: Path):
    from needsmap.format import model as m

    session = Session.open(demo_copy)
    session.update("use_cases", 0, title="[bold red]Loud[/] \x1b[2J title")
    session.add("notes", m.Note(id="q-hostile", kind="question", text="[link=http://x]click[/link] \x1b]0;pwned\x07"))
    session.close()

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("9")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            app.screen.select("q-hostile")
            await pilot.pause()
            text = screen_text(app)
            assert "[link=http://x]click[/link]" in text
            assert "\x1b" not in text and "\\x1b]0;pwned\\x07" in text
            await pilot.press("7")
            await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
            text = screen_text(app)
            assert "[bold red]Loud[/]" in text
            assert "\x1b" not in text
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, QuickNoteScreen))
            assert "[bold red]Loud[/]" in screen_text(app)

    run(body)


# -- starting ------------------------------------------------------------------------------------
def test_without_a_path_the_demo_opens(demo_copy: Path):
    async def body():
        app = create_app(None, demo=demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.session is not None and app.session.path == demo_copy
            assert isinstance(app.screen, OverviewScreen)

    run(body)


def test_without_a_path_or_demo_a_new_workshop_is_offered(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def body():
        app = create_app(None, demo=tmp_path / "missing.yaml")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, NewWorkshopScreen))
            await pilot.press(*"Kick-off")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
            assert app.session is not None
            assert assert_opens_clean(tmp_path / "workshop.yaml").workshop.name == "Kick-off"

    run(body)


def test_quit_never_asks_when_everything_is_saved(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            app.session.update("stakeholders", 0, name="Saved Already")
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running)
        assert assert_opens_clean(demo_copy).stakeholders[0].name == "Saved Already"
        assert not demo_copy.with_name(f".{demo_copy.name}.needsmap-lock").exists()

    run(body)


def test_html_report_is_written_in_the_background(demo_copy: Path):
    pytest.importorskip("needsmap.report.render")

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            report = demo_copy.with_name("workshop-report.html")
            messages = " ".join(str(n.message) for n in app._notifications)
            assert report.exists(), messages
            assert app.last_report == report
            assert "<html" in report.read_text(encoding="utf-8").lower()

    run(body)


def test_clicking_the_navigation_bar_switches_screens(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            nav = app.screen.query_one(NavBar)
            start, _end, mode = next(span for span in nav._spans if span[2] == "gaps")
            await pilot.click(NavBar, offset=(start + 2, 0))
            await until(pilot, lambda: app.current_mode == "gaps")

    run(body)


def test_keys_typed_ahead_of_a_screen_switch_reach_the_new_screen(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("7", "9")
            await until(pilot, lambda: isinstance(app.screen, NotesScreen))
            notes = app.screen
            for key, char in (("7", "7"), ("right", None), ("space", " ")):  # as fast as a terminal sends them
                app.post_message(events.Key(key, char))
            await until(pilot, lambda: app.session.saved_at is not None)
            assert isinstance(app.screen, MatrixScreen)
            assert notes.query_one("#note-filter").value == ""

    run(body)


def test_toasts_sit_above_the_status_bar(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.press("2")
            await settle(pilot)
            app.notify("A toast to read", timeout=30)
            toast = await until(pilot, lambda: next(iter(app.screen.query("Toast")), None), "the toast")
            await until(pilot, lambda: toast.region.height > 0, "the toast shown")
            status = app.screen.query_one(StatusBar)
            assert toast.region.bottom <= status.region.y, (toast.region, status.region)

    run(body)


def test_every_export_for_other_tools_is_in_the_palette_and_written_beside_the_file(demo_copy: Path):
    from needsmap.interchange.registry import EXPORTERS

    def said() -> str:
        return " ".join(str(n.message) for n in app._notifications)

    app = create_app(demo_copy)

    async def body():
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            actions = {action for _, action, _ in app.global_commands()}
            assert {f"export_to('{name}')" for name in EXPORTERS} <= actions
            await app.run_action("export_to('dbt')")
            await app.run_action("export_to('openmetadata-glossary')")
            await until(pilot, lambda: said().count("Written:") == 2, "both exports written", timeout=60)
            assert (demo_copy.with_name("workshop-dbt") / "dbt_project.yml").is_file()
            glossary = demo_copy.with_name("workshop-openmetadata-glossary.csv")
            assert glossary.read_text(encoding="utf-8").startswith("parent,name*")
            demo_copy.with_name("workshop-odcs").write_text("in the way")
            await app.run_action("export_to('odcs')")
            await until(pilot, lambda: "The export failed" in said(), "the failure said", timeout=60)
            assert "is a file" in said() and app.is_running

    run(body)


def test_the_heap_is_frozen_once_the_workshop_is_open_and_given_back_when_the_app_ends(demo_copy: Path):
    """Once open, what is alive is out of the collector's reach and full passes come rarer (the pauses keys
    met at enterprise scale, docs/performance.md); when the app ends, the collector is as it was."""
    import gc

    from needsmap.tui import app as app_module

    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await until(pilot, lambda: gc.get_freeze_count() > 0, "the heap frozen")
            assert gc.get_threshold() == (before[0], before[1], app_module.FULL_PASS_AFTER) != before
            assert app.session is not None
            assert gc.get_freeze_count() > len(app.session.workshop.attributes)  # the workshop among the rest

    run(body)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
