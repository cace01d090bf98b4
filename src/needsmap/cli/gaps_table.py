"""Drawing results on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich import box
from rich.console import Console, RenderableType
from rich.console import Group as Group_
from rich.table import Table
from rich.text import Text

from needsmap.analysis import problems
from needsmap.analysis.engine import Analysis
from needsmap.analysis.output import Group, order_heading
from needsmap.analysis.rules import RULES
from needsmap.format import model as m
from needsmap.util.text import terminal as safe

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
STATUS_STYLE = {"ready": "green", "at-risk": "yellow", "blocked": "bold red"}
#: How many findings of a problem the table lists under it (the rest are counted).
SHOWN_SYMPTOMS = 3


def _t(text: str, style: str = "") -> Text:
    """User text, never interpreted as markup, control characters made visible."""
    return Text(safe(text), style=style)


def _tally(
    head: str, counts: dict[str, int], labels: dict[str, str], styles: dict[str, str]
) -> list[str | tuple[str, str]]:
    """``head``, then "N label" for every key of ``labels`` in its style, separated by " · "."""
    parts: list[str | tuple[str, str]] = [head]
    for n, (key, label) in enumerate(labels.items()):
        parts += [" · "] if n else []
        parts.append((f"{counts[key]} {label}", styles[key]))
    return parts


def print_summary(console: Console, analysis: Analysis, ws: m.Workshop, file: str) -> None:
    """Three lines: the workshop, its use cases' readiness, its problems and findings per severity."""
    rc = analysis.readiness_counts()
    found = problems.group(analysis, ws)
    pc = problems.counts(found)
    blocking = sum(1 for p in found if p.blocks)
    head = Text.assemble(("Gaps in ", "bold"), _t(ws.workshop.name, "bold"), (f"  ({safe(file)})", "dim"))
    console.print(head)
    console.print(
        Text.assemble(
            *_tally("Use cases: ", rc, {"ready": "ready", "at-risk": "at risk", "blocked": "blocked"}, STATUS_STYLE)
        )
    )
    findings = len(analysis.gaps)
    line = Text.assemble(
        f"Problems: {len(found)} ({findings} finding{'s' if findings != 1 else ''}): ",
        *_tally("", pc, {"error": "errors", "warning": "warnings", "info": "info"}, SEVERITY_STYLE),
    )
    if blocking:
        line.append(f" · {blocking} block{'s' if blocking == 1 else ''} use cases", style="bold red")
    console.print(line)
    console.print()


def print_readiness(console: Console, analysis: Analysis, ws: m.Workshop) -> None:
    table = Table(title="Use-case readiness", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("Use case", ratio=3)
    table.add_column("Value", justify="right")
    table.add_column("Readiness")
    table.add_column("Must met", justify="right")
    table.add_column("Why", ratio=4)
    values = {u.id: u.value for u in ws.use_cases}
    order = {"blocked": 0, "at-risk": 1, "ready": 2}
    for r in sorted(analysis.readiness.values(), key=lambda r: (order[r.status], -(values[r.use_case] or 3))):
        value = values[r.use_case]
        table.add_row(
            Text.assemble(_t(r.title), "\n", _t(r.use_case, "dim")),
            str(value) if value is not None else "",
            Text(r.status, style=STATUS_STYLE[r.status]),
            f"{r.must_satisfied}/{r.must_total}",
            _t("; ".join(r.reasons), "dim"),
        )
    console.print(table)


def print_problems(console: Console, groups: list[Group], order: str) -> None:
    """One table: a row per problem, its title and first findings (each with what to do) indented under it."""
    if not groups:
        console.print("No gaps at this severity.", style="green")
        return
    table = Table(
        title=Text(f"Problems, {order_heading(order)}", style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
        show_lines=True,
    )
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Problem, and its findings", ratio=1)
    table.add_column("Impact", justify="right", no_wrap=True)
    for n, grp in enumerate(groups, 1):
        p = grp.problem
        if p is None:
            continue
        count = len(p.symptoms)
        severity = Text(p.severity, style=SEVERITY_STYLE[p.severity])
        if p.blocks:
            severity.append("\nblocks", style="bold red")
        severity.append(f"\n{count} finding{'s' if count != 1 else ''}", style="dim")
        symptoms = Table.grid(padding=(0, 1, 0, 0), expand=True)
        symptoms.add_column(no_wrap=True)
        symptoms.add_column(ratio=1)
        for g in grp.gaps[:SHOWN_SYMPTOMS]:
            finding = Text.assemble((f"{g.rule}: ", "dim"), _t(g.message), "\n", ("→ ", "dim"), _t(g.action, "dim"))
            symptoms.add_row(Text("·", style=SEVERITY_STYLE[g.severity]), finding)
        hidden = len(grp.gaps) - SHOWN_SYMPTOMS
        if hidden > 0:
            symptoms.add_row("", Text(f"and {hidden} more (--by rule lists every finding)", style="dim"))
        table.add_row(str(n), severity, Group_(_t(p.title, "bold"), symptoms), str(p.impact) if p.use_cases else "")
    console.print(table)


def print_groups(console: Console, groups: list[Group], by: str) -> None:
    if not groups:
        console.print("No gaps at this severity.", style="green")
        return
    for grp in groups:
        title = _t(grp.title, "bold")
        if by == "rule":
            title = Text.assemble(title, "\n", _t(RULES[grp.key].why, "dim italic"))
        console.print()
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True, show_lines=False)
        table.add_column("Severity", no_wrap=True)
        if by != "rule":
            table.add_column("Rule", no_wrap=True)
        table.add_column("Subject", ratio=1)
        table.add_column("Finding, and what to do", ratio=4)
        table.add_column("Impact", justify="right", no_wrap=True)
        for g in grp.gaps:
            finding = Text.assemble(_t(g.message), "\n", ("→ ", "dim"), _t(g.action, "dim"))
            row: list[RenderableType] = [Text(g.severity, style=SEVERITY_STYLE[g.severity])]
            if by != "rule":
                row.append(Text(g.rule))
            row += [_t(", ".join(i for _, i in g.subjects)), finding, str(g.impact) if g.use_cases else ""]
            table.add_row(*row)
        console.print(table)
