"""Drawing the roadmap comparison on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich import box
from rich.console import Console, JustifyMethod
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from needsmap.format import model as m
from needsmap.roadmap.engine import Roadmap
from needsmap.roadmap.output import (
    closes_text,
    comparison_rows,
    leaves_text,
    recommendation_lines,
    summary,
    tally_rows,
    wave_word,
)
from needsmap.util.text import terminal as safe

#: Below this width the comparison and the waves are printed as blocks, not as tables (whose name
#: column would otherwise shrink to "…").
NARROW = 110


def _t(text: object, style: str = "") -> Text:
    return Text(safe(str(text)), style=style)


def print_recommendation(console: Console, rm: Roadmap, ws: m.Workshop) -> None:
    """The recommended option, why, and what to start with (the same sentences as the report and the UI)."""
    lines = recommendation_lines(rm, ws)
    if not lines:
        return
    console.print(_t(lines[0], "bold green"))
    console.print(_t(lines[1]))
    if len(lines) > 2:
        console.print(_t(lines[2], "bold"))
        steps = Table.grid(padding=(0, 1))
        steps.add_column(width=2, justify="right")
        steps.add_column(ratio=1, overflow="fold")
        for line in lines[3:]:
            steps.add_row("•", _t(line[2:]))
        console.print(steps)


def _comparison_blocks(console: Console, rm: Roadmap) -> None:
    """The comparison for a narrow terminal or a pipe: each option's name in full, its figures below it."""
    console.print(Text("Side by side", style="italic"))
    for r in comparison_rows(rm):
        votes = f" · votes {r['votes']} (mean {r['mean_score']:g})" if r["votes"] else ""
        mark = " · recommended" if r["recommended"] else ""
        console.print(Text.assemble(_t(r["title"], "bold"), "  ", _t(f"{r['option']} · {r['status']}{mark}", "dim")))
        console.print(
            _indented(
                _t(
                    f"gaps closed {r['gaps_closed']} of {rm.total_gaps} · unlocks {r['use_cases_unlocked']} "
                    f"(value {r['value_unlocked']}) · first value {r['first_value']} · effort {r['effort']:g} · "
                    f"{r['waves']} waves · risk {r['risk']}{votes}"
                )
            )
        )


def _indented(text: Text) -> Padding:
    return Padding(text, (0, 0, 0, 3))


def _wave_blocks(console: Console, rm: Roadmap, p) -> None:
    console.print(Text(f"Waves of {safe(p.id)}", style="italic"))
    for it in p.items:
        console.print(Text.assemble(_t(f"{wave_word(rm, it.wave)}: ", "bold"), _t(it.item.title)))
        unlock = f" · helps unlock {', '.join(it.item.use_cases)}" if it.item.use_cases else ""
        console.print(
            _indented(_t(f"{it.item.id} · {it.kind} · effort {it.effort:g} · WSJF {it.wsjf:.2f}{unlock}", "dim"))
        )


def print_roadmap(console: Console, rm: Roadmap, ws: m.Workshop, option: str | None = None) -> None:
    console.print(Text.assemble(("Roadmap options for ", "bold"), _t(ws.workshop.name, "bold")))
    if not rm.plans:
        console.print("No options: the analysis found no gap that work could close.", style="green")
        return
    print_recommendation(console, rm, ws)
    console.print()
    narrow = console.width < NARROW
    if narrow:
        _comparison_blocks(console, rm)
    else:
        _comparison_table(console, rm)
    console.print(
        Text(
            "Effort: counts of work items x settings.roadmap.effort weights. Risk: systems changed + new "
            "central components + contested attributes left.",
            style="dim",
        )
    )
    _options(console, rm, option, narrow)
    _votes(console, rm, ws, option)


def _comparison_table(console: Console, rm: Roadmap) -> None:
    table = Table(box=box.SIMPLE_HEAD, expand=True, title="Side by side", title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Option", "left"),
        ("Gaps closed", "right"),
        ("Unlocks (value)", "right"),
        ("First value", "left"),
        ("Effort", "right"),
        ("Waves", "right"),
        ("Risk", "right"),
        ("Votes", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, ratio=3 if name == "Option" else None)
    for r in comparison_rows(rm):
        votes = f"{r['votes']} (mean {r['mean_score']:g})" if r["votes"] else ""
        mark = " · recommended" if r["recommended"] else ""
        table.add_row(
            Text.assemble(_t(r["title"]), "\n", _t(f"{r['option']} · {r['status']}{mark}", "dim")),
            f"{r['gaps_closed']} of {rm.total_gaps}",
            f"{r['use_cases_unlocked']} ({r['value_unlocked']})",
            _t(r["first_value"]),
            f"{r['effort']:g}",
            str(r["waves"]),
            str(r["risk"]),
            votes,
        )
    console.print(table)


def _options(console: Console, rm: Roadmap, option: str | None, narrow: bool) -> None:
    for p in rm.plans:
        if option is not None and p.id != option:
            continue
        console.print()
        console.print(Text.assemble(_t(p.option.title, "bold"), "  ", _t(p.id, "dim")))
        console.print(_t(summary(rm, p)))
        console.print(Text.assemble(("Closes: ", "green"), _t(closes_text(p))))
        for line in leaves_text(p):
            console.print(Text.assemble(("Leaves: ", "yellow"), _t(line)))
        if option is not None and narrow:
            _wave_blocks(console, rm, p)
        elif option is not None:
            waves = Table(box=box.SIMPLE_HEAD, expand=True, title=f"Waves of {safe(p.id)}", title_justify="left")
            for name in ("Wave", "Work item", "Kind", "Effort", "WSJF", "Helps unlock"):
                waves.add_column(
                    name,
                    ratio=4 if name == "Work item" else None,
                    justify="right" if name in ("Effort", "WSJF") else "left",
                )
            for it in p.items:
                waves.add_row(
                    _t(wave_word(rm, it.wave)),
                    Text.assemble(_t(it.item.title), "\n", _t(it.item.id, "dim")),
                    it.kind,
                    f"{it.effort:g}",
                    f"{it.wsjf:.2f}",
                    _t(", ".join(it.item.use_cases), "dim"),
                )
            console.print(waves)
        if option is not None:
            for note in p.notes:
                console.print(Text.assemble(("Note: ", "yellow"), _t(note)))


def _votes(console: Console, rm: Roadmap, ws: m.Workshop, option: str | None) -> None:
    options, by_person, by_function = tally_rows(rm, ws)
    if options:
        for label, rows in (("Votes by stakeholder", by_person), ("Mean score by function", by_function)):
            t = Table(box=box.SIMPLE_HEAD, title=label, title_justify="left")
            t.add_column("")
            for o in options:
                t.add_column(safe(o), justify="right")
            for name, cells in rows:
                t.add_row(_t(name), *cells)
            console.print(t)
    elif option is None:
        console.print()
        console.print(
            Text(
                "No votes yet: accept an option (--accept ID), then record votes in votes: or on the "
                "Roadmap screen of the terminal UI.",
                style="dim",
            )
        )
