"""The Roadmap screen (key 0): compare options, see the waves, vote with one key per score; saved and undoable."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from needsmap.tui.app import create_app
from needsmap.tui.screens.roadmap import RoadmapScreen, VoteDialog
from tests.conftest import assert_opens_clean
from tests.tui.conftest import SIZE, run, settle, until


def _static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def test_compare_options_and_see_the_waves_of_the_highlighted_one(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("0")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            screen = app.screen
            options = screen.query_one("#roadmap-options", DataTable)
            await until(pilot, lambda: options.row_count == 4)
            assert [str(k.value) for k in options.rows] == ["increments", "registry", "consolidation", "coexistence"]
            waves = screen.query_one("#roadmap-waves", DataTable)
            first = waves.get_row_at(0)
            assert str(first[-1]) == "Appoint an owner of Mobile phone number" and str(first[0]) == "quarter 1"
            rm = screen.roadmap
            increments = rm.plan_of("increments")
            assert f"Closes {len(increments.closed)} of {rm.total_gaps} gaps" in _static_text(
                screen, "#roadmap-summary"
            )
            await pilot.press("down")
            await until(pilot, lambda: "Registry" in _static_text(screen, "#roadmap-summary"))
            assert "a registry links existing data" in _static_text(screen, "#roadmap-summary")
            first_wave = [
                str(row[-1])
                for row in (waves.get_row_at(i) for i in range(waves.row_count))
                if str(row[0]) == "quarter 1"
            ]
            assert any(title.startswith("Identity registry") for title in first_wave)

    run(body)


def test_vote_with_one_key_accepts_the_option_saves_and_undoes_in_one_step(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("0")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            screen = app.screen
            await pilot.press("down")  # registry
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, VoteDialog))
            await pilot.press("4")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            ws = assert_opens_clean(demo_copy)
            assert [(o.id, o.status) for o in ws.options] == [("registry", "shortlisted")]
            assert [(v.stakeholder, v.option, v.score) for v in ws.votes] == [("sanne", "registry", 4)]
            await settle(pilot)
            options = screen.query_one("#roadmap-options", DataTable)
            await until(pilot, lambda: "mean 4" in str(options.get_row("registry")[-1]))
            await until(pilot, lambda: "registry · shortlisted" in _static_text(screen, "#roadmap-summary"))
            # another stakeholder (s: who votes), another score: the tally by function follows
            await pilot.press("s")
            assert "Noor" in _static_text(screen, "#roadmap-voter")
            await pilot.press("v", "2")
            await until(pilot, lambda: len(assert_opens_clean(demo_copy).votes) == 2)
            await until(pilot, lambda: "mean 3" in str(options.get_row("registry")[-1]))
            # 0 removes a vote; ctrl+z brings it back
            await pilot.press("v", "0")
            await until(pilot, lambda: len(assert_opens_clean(demo_copy).votes) == 1)
            await pilot.press("ctrl+z")
            await until(pilot, lambda: len(assert_opens_clean(demo_copy).votes) == 2)
            await pilot.press("ctrl+z", "ctrl+z")  # noor's vote, then sanne's vote and the acceptance together
            await until(
                pilot, lambda: assert_opens_clean(demo_copy).options == [] and assert_opens_clean(demo_copy).votes == []
            )

    run(body)


def test_escape_cancels_a_vote_and_a_accepts_without_voting(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("0")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            await pilot.press("v", "escape")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            assert assert_opens_clean(demo_copy).votes == [] and assert_opens_clean(demo_copy).options == []
            await pilot.press("a")
            await until(pilot, lambda: [o.id for o in assert_opens_clean(demo_copy).options] == ["increments"])
            assert assert_opens_clean(demo_copy).votes == []

    run(body)


def test_command_palette_reaches_the_roadmap(demo_copy: Path):
    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await until(pilot, lambda: app.screen.__class__.__name__ == "CommandPalette")
            await pilot.press(*"go to roadmap")
            from textual.command import CommandList

            command_list = app.screen.query_one(CommandList)
            await until(pilot, lambda: command_list.option_count > 0)
            await pilot.press("enter")
            await until(pilot, lambda: app.current_mode == "roadmap")

    run(body)


def test_the_recommended_option_is_named_first_and_highlighted_and_every_name_fits_80_columns(demo_copy: Path):
    """At 80x24 the options table keeps the columns that fit: every option's name shows in full, the recommended
    one starred and highlighted, and the text under it says why and what to start with."""

    async def body():
        app = create_app(demo_copy)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("0")
            await until(pilot, lambda: isinstance(app.screen, RoadmapScreen))
            screen = app.screen
            options = screen.query_one("#roadmap-options", DataTable)
            await until(pilot, lambda: options.row_count == 4 and screen.roadmap is not None)
            rec = screen.roadmap.recommended
            assert rec is not None and rec.option == "increments"
            assert "★ Recommended: Use-case-led increments" in _static_text(screen, "#roadmap-recommended")
            names = [str(options.get_row_at(i)[0]) for i in range(options.row_count)]
            assert names == ["★ Use-case-led increments", "  Registry", "  Consolidation", "  Coexistence"]
            widths = [c.get_render_width(options) for c in options.columns.values()]
            assert sum(widths) <= 80
            assert [str(k.value) for k in options.columns][0] == "option"
            assert options.columns[next(iter(options.columns))].width >= max(len(n) for n in names)
            summary = _static_text(screen, "#roadmap-summary")
            assert "★ Recommended." in summary and "Start with:" in summary
            assert rec.start_with[0].title.split(":")[0] in summary

    run(body)
