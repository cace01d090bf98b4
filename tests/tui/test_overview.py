"""The overview's "Start with": the recommended roadmap option and its first steps, above the top problems."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from needsmap.roadmap.engine import build_roadmap
from needsmap.tui.app import create_app
from tests.tui.conftest import SIZE, run, settle, until


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def test_start_with_names_the_recommended_option_and_its_first_steps_above_the_problems(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await until(pilot, lambda: "Start with " in _text(app, "#start-with"))
            rm = build_roadmap(app.session.workshop, app.analysis)
            rec = rm.recommended
            assert rec is not None and rec.option == "increments"
            shown = _text(app, "#start-with")
            assert shown.startswith("Start with Use-case-led increments (recommended; 0: compare the options)")
            lines = shown.splitlines()
            for step in rec.start_with:  # every first step, most valuable first, with the value it helps unlock
                assert any(step.title.split(" (")[0] in line for line in lines[1:]), step.title
            first = rec.start_with[0]
            assert f"(value {first.value})" in shown
            # above the top problems, which still start with the blocking errors
            start = app.screen.query_one("#start-with", Static)
            problems = app.screen.query_one("#top-gaps", DataTable)
            assert start.region.y < problems.region.y
            assert str(problems.get_row_at(0)[0]) == "● blocks"

    run(body)


def test_start_with_follows_the_recommendation_at_80_columns(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await until(pilot, lambda: "Start with " in _text(app, "#start-with"))
            shown = _text(app, "#start-with")
            rm = build_roadmap(app.session.workshop, app.analysis)
            assert rm.recommended is not None
            assert rm.recommended.start_with[0].title.split(" (")[0][:30] in " ".join(shown.split())
            assert "more on the roadmap (0)" in shown

    run(body)
