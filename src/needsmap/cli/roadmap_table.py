"""Drawing the roadmap comparison on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from needsmap.format import model as m
from needsmap.roadmap.engine import Roadmap
from needsmap.roadmap.output import closes_text, comparison_rows, leaves_text, summary, tally_rows, wave_word
from needsmap.util.text import terminal as safe


def _t(text: object, style: str = "") -> Text:
    return Text(safe(str(text)), style=style)


def print_roadmap(console: Console, rm: Roadmap, ws: m.Workshop, option: str | None = None) -> None:
    console.print(Text.assemble(("Roadmap options for ", "bold"), _t(ws.workshop.name, "bold")))
    if not rm.plans:
        console.print("No options: the analysis found no gap that work could close.", style="green")
        return
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
        table.add_row(
            Text.assemble(_t(r["title"]), "\n", _t(f"{r['option']} · {r['status']}", "dim")),
            f"{r['gaps_closed']} of {rm.total_gaps}",
            f"{r['use_cases_unlocked']} ({r['value_unlocked']})",
            _t(r["first_value"]),
            f"{r['effort']:g}",
            str(r["waves"]),
            str(r["risk"]),
            votes,
        )
    console.print(table)
    console.print(
        Text(
            "Effort: counts of work items x settings.roadmap.effort weights. Risk: systems changed + new "
            "central components + contested attributes left.",
            style="dim",
        )
    )
    for p in rm.plans:
        if option is not None and p.id != option:
            continue
        console.print()
        console.print(Text.assemble(_t(p.option.title, "bold"), "  ", _t(p.id, "dim")))
        console.print(_t(summary(rm, p)))
        console.print(Text.assemble(("Closes: ", "green"), _t(closes_text(p))))
        for line in leaves_text(p):
            console.print(Text.assemble(("Leaves: ", "yellow"), _t(line)))
        if option is not None:
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
            for note in p.notes:
                console.print(Text.assemble(("Note: ", "yellow"), _t(note)))
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
