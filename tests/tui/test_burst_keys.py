"""Keys typed in a burst go where they were typed, in the order they were typed.

A facilitator types while people talk, faster than the screen follows: ``a``, a name, Tab, a role, Enter,
the next ``a``... Every test here sends its keys at machine speed (:func:`tests.tui.conftest.burst`: all
the key events are queued before the app has handled the first; nothing waits between them) and then
checks what the workshop holds.  Each key must reach the widget that has focus once the keys before it
are handled: the field after a Tab, the list of a dropdown after Enter, a form or picker after the key
that opens it, the screen under a dialog after the dialog closes, while the analysis runs in its thread.

``python -m benchmarks.burst_keys`` runs this module many times in a row (the figure in the report).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import Input

from needsmap.format.opening import open_workshop
from needsmap.format.saver import dump, save
from needsmap.format.starter import new_workshop
from needsmap.tui.app import NeedsmapApp, create_app
from needsmap.tui.screens.items import ItemListScreen
from needsmap.tui.widgets.forms import ItemForm
from needsmap.tui.widgets.table import ItemTable
from tests.conftest import ROOT, assert_opens_clean
from tests.tui.conftest import SIZE, burst, settle, sync, typed, until
from tests.tui.tmux_driver import require_tmux

DEMO = ROOT / "workshops" / "omnichannel-retail.yaml"


def empty_workshop(folder: Path) -> Path:
    path = folder / "workshop.yaml"
    save(new_workshop("Customer data workshop", target=path), path)  # as `needsmap new` does
    return path


def people(app: NeedsmapApp) -> dict[str, tuple[str, str | None, str | None]]:
    assert app.session is not None
    return {s.id: (s.name, s.role, s.function) for s in app.session.workshop.stakeholders}


def notes(app: NeedsmapApp) -> list[tuple[str, str, list[str]]]:
    assert app.session is not None
    return [(n.kind, n.text, list(n.about)) for n in app.session.workshop.notes]


async def on_list(pilot, cls: str) -> ItemListScreen:
    """Wait until the list screen ``cls`` is shown with its list focused: the burst is over."""
    app = pilot.app
    screen = await until(pilot, lambda: type(app.screen).__name__ == cls and app.screen, cls)
    await until(pilot, lambda: app.focused is screen.query_one("#items", ItemTable), f"the list of {cls}")
    return screen


@sync
async def test_text_after_tab_goes_into_the_next_field_and_enter_saves_the_form(tmp_path: Path):
    """``a``, a name, Tab, a role, Enter, and the next person at once: each word in its own field."""
    app = create_app(empty_workshop(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "2", "a", "Sanne Jansen", "tab", "Head of CRM", "enter")
        await burst(pilot, "a", "Pieter Bakker", "tab", "IT architect", "enter", "a", "Olga", "tab", "Service")
        await burst(pilot, "enter")
        await typed(pilot)
        await on_list(pilot, "StakeholdersScreen")
        assert people(app) == {
            "sanne": ("Sanne Jansen", "Head of CRM", None),
            "pieter": ("Pieter Bakker", "IT architect", None),
            "olga": ("Olga", "Service", None),
        }
        assert notes(app) == []  # no key reached the list behind the form (n: a quick note)


@sync
async def test_enter_then_letters_in_a_dropdown_choose_the_value(tmp_path: Path):
    """Tab to a dropdown, Enter opens it, letters find the value, Enter takes it, ctrl+s saves: no pause."""
    app = create_app(empty_workshop(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "2", "a", "Sanne Jansen", "tab", "Head of CRM", "tab", "enter", "mark", "enter", "ctrl+s")
        await burst(pilot, "a", "Pieter Bakker", "tab", "tab", "enter", "it", "enter", "ctrl+s")
        await typed(pilot)
        await on_list(pilot, "StakeholdersScreen")
        assert people(app) == {
            "sanne": ("Sanne Jansen", "Head of CRM", "marketing"),
            "pieter": ("Pieter Bakker", None, "it"),
        }


@sync
async def test_the_linker_opened_and_typed_into_at_once(tmp_path: Path):
    """``l``, the words, Enter, ``m``, Escape as one burst: the need is created and linked as a must."""
    app = create_app(empty_workshop(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "3", "a", "Churn prevention", "enter", "l", "Churn score", "enter", "m")
        await burst(pilot, "Email address", "enter", "s", "escape", "l", "churn", "enter", "c", "c", "escape")
        await typed(pilot)
        await on_list(pilot, "UseCasesScreen")

        def needs() -> dict[str, str]:
            uc = app.session.item("use_cases", "churn-prevention")
            return {n.attribute: n.effective_criticality for n in uc.needs} if uc else {}

        await settle(pilot)
        created = {a.name: a.id for a in app.session.workshop.attributes}
        assert list(created) == ["Churn score", "Email address"]
        # the second "churn" found the score created a moment before: c said it is a must, c again changed it
        assert needs() == {created["Churn score"]: "could", created["Email address"]: "should"}


@sync
async def test_the_quick_note_typed_in_one_go(tmp_path: Path):
    """``n``, the kind, the text, Enter; and again: two notes, each with its own kind and words."""
    app = create_app(empty_workshop(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "n", "q", "Who owns the tier?", "enter", "n", "d", "Marketing owns it", "enter")
        await burst(pilot, "n", "enter", "Kept as a question", "enter")
        await typed(pilot)
        assert app.screen.id != "quick-note" and app.current_mode == "overview"
        assert notes(app) == [
            ("question", "Who owns the tier?", []),
            ("decision", "Marketing owns it", []),
            ("question", "Kept as a question", []),
        ]


@sync
async def test_filter_then_enter_then_edit(tmp_path: Path):
    """``/``, words, Enter, ``e`` at once: the form opens on the top match of the filter."""
    path = tmp_path / "demo.yaml"
    shutil.copyfile(DEMO, path)
    app = create_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "5", "end", "/", "email", "enter", "e")
        await typed(pilot)
        form = app.screen
        assert isinstance(form, ItemForm) and form.focused is not None
        table = app.screen_stack[-2].query_one("#items", ItemTable)
        top = table.rows[0].key
        assert "email" in top
        assert form.query_one("#input-id", Input).value == top
        # typing on the list (no /) filters too, and Escape then clears it
        await burst(pilot, "escape", "postal", "enter")
        await typed(pilot)
        screen = await on_list(pilot, "AttributesScreen")
        assert screen.query_one("#filter", Input).value == "postal"
        assert table.keys == ["postal_code"] and screen.selected_subject() == ("attributes", "postal_code")


@sync
async def test_keys_while_a_dialog_opens_and_closes(tmp_path: Path):
    """Escape on a form with text asks first: Enter discards, and the keys after it are the next form's."""
    app = create_app(empty_workshop(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "2", "a", "Xyz", "escape", "enter", "a", "Sanne Jansen", "enter")
        await typed(pilot)
        await on_list(pilot, "StakeholdersScreen")
        assert people(app) == {"sanne": ("Sanne Jansen", None, None)}
        # x asks before deleting; Enter confirms; the keys after the dialog go to the list again
        await burst(pilot, "x", "enter", "a", "Olga Smit", "tab", "Service manager", "enter")
        await typed(pilot)
        await on_list(pilot, "StakeholdersScreen")
        assert people(app) == {"olga": ("Olga Smit", "Service manager", None)}
        assert notes(app) == []


@sync
async def test_keys_while_the_analysis_runs(tmp_path: Path):
    """Three people added in one burst on a larger workshop: every edit starts the analysis in its thread,
    whose results come back to the screen while the next keys arrive."""
    from needsmap.synthetic.builder import generate

    path = tmp_path / "medium.yaml"
    path.write_text(dump(generate("medium", 1)), encoding="utf-8")
    app = create_app(path)
    async with app.run_test(size=SIZE) as pilot:
        before = set(people(app))
        await burst(pilot, "2")
        for n in range(1, 4):
            await burst(pilot, "a", f"Burst person {n}", "tab", f"Role {n}", "enter")
        await typed(pilot)
        await on_list(pilot, "StakeholdersScreen")
        await settle(pilot)
        added = sorted(v for k, v in people(app).items() if k not in before)
        assert added == [(f"Burst person {n}", f"Role {n}", None) for n in range(1, 4)]
        assert app.analysis is not None and not app.analysis_pending


# -- a real terminal: tmux send-keys --------------------------------------------------------------------
def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=20)
    return done.stdout


def _wait(what: str, condition, timeout: float, shown=lambda: ""):
    """Poll ``condition`` until it is truthy; fail after ``timeout`` seconds with ``shown()`` (the terminal)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; the terminal:\n{shown()}")
        time.sleep(0.05)


def test_tmux_send_keys_at_machine_speed(tmp_path: Path):
    """The real app in a real terminal (tmux), keys sent by ``tmux send-keys`` with no pauses."""
    require_tmux()
    path = empty_workshop(tmp_path)
    socket = f"needsmap-burst-{os.getpid()}"
    command = f"cd {ROOT} && {sys.executable} -m needsmap open {path}"
    _tmux(socket, "new-session", "-d", "-s", "burst", "-x", "120", "-y", "40", command)

    def terminal() -> str:
        return _tmux(socket, "capture-pane", "-p", "-t", "burst")

    try:
        _wait("the overview", lambda: "Start with" in terminal(), 60, terminal)

        def send(*keys: str) -> None:
            _tmux(socket, "send-keys", "-t", "burst", *keys)

        # each send-keys writes its keys to the terminal at once; three of them follow each other directly
        send("2", "a", "Sanne Jansen")
        send("Tab", "Head of CRM")
        send("Tab", "Enter", "mark")
        send("Enter", "C-s", "a", "Pieter Bakker")
        send("Tab", "IT architect")
        send("Enter", "n", "q", "Who owns the tier?")
        send("Enter", "3", "a", "Churn prevention")
        send("Enter", "l", "Churn score")
        send("Enter", "m", "Escape")

        def saved():
            try:
                ws = open_workshop(path).workshop
            except Exception:  # the file is being replaced at this moment
                return None
            done = ws.use_cases and ws.use_cases[0].needs and len(ws.notes) == 1 and len(ws.stakeholders) == 2
            return ws if done else None

        _wait("everything typed to be saved", saved, 120, terminal)
        send("q")
        _wait("needsmap to quit", lambda: "burst" not in _tmux(socket, "list-sessions"), 60, terminal)
    finally:
        _tmux(socket, "kill-server")
    ws = assert_opens_clean(path)
    assert {s.id: (s.name, s.role, s.function) for s in ws.stakeholders} == {
        "sanne": ("Sanne Jansen", "Head of CRM", "marketing"),
        "pieter": ("Pieter Bakker", "IT architect", None),
    }
    assert [(n.kind, n.text) for n in ws.notes] == [("question", "Who owns the tier?")]
    assert [(u.id, [(n.attribute, n.criticality) for n in u.needs]) for u in ws.use_cases] == [
        ("churn-prevention", [("churn_score", "must")])
    ]
