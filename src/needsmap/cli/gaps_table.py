"""Drawing results on the terminal with rich (CLI layer; the core never imports this)."""

from __future__ import annotations

from rich import box
from rich.console import Console, RenderableType
from rich.console import Group as Group_
from rich.table import Table
from rich.text import Text

from needsmap.analysis import problems
from needsmap.analysis.engine import Analysis, Gap, Readiness
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
    """The workshop, then its use cases, problems and findings, each a total and the parts that add up to it."""
    rc = analysis.readiness_counts()
    found = problems.group(analysis, ws)
    pc = problems.counts(found)
    blocking = sum(1 for p in found if p.blocks)
    head = Text.assemble(("Gaps in ", "bold"), _t(ws.workshop.name, "bold"), (f"  ({safe(file)})", "dim"))
    console.print(head)
    console.print(
        Text.assemble(
            *_tally(
                f"Use cases: {sum(rc.values())}: ",
                rc,
                {"ready": "ready", "at-risk": "at risk", "blocked": "blocked"},
                STATUS_STYLE,
            )
        )
    )
    line = Text.assemble(
        *_tally(
            f"Problems: {len(found)}: ", pc, {"error": "errors", "warning": "warnings", "info": "info"}, SEVERITY_STYLE
        )
    )
    if blocking:
        line.append(f" ({blocking} block{'s' if blocking == 1 else ''} use cases)", style="bold red")
    console.print(line)
    gc = analysis.counts()
    console.print(
        Text.assemble(
            *_tally(
                f"Findings: {len(analysis.gaps)}: ",
                gc,
                {"error": "errors", "warning": "warnings", "info": "info"},
                SEVERITY_STYLE,
            )
        )
    )
    console.print()


#: How the readiness table names each part of a use case's readiness.
PART_WORDS = {"data": "data", "identity": "identity", "consent": "consent", "process": "process"}


def readiness_why(r: Readiness) -> Text:
    """Which parts (data, identity, consent, process) hold a use case back, then the reasons, one a line."""
    if r.status == "ready":
        return Text("all four parts ready", style="dim")
    head = "blocked by" if r.status == "blocked" else "at risk from"
    parts = [PART_WORDS.get(p, p) for p in r.because] or [p for p, state in r.parts.items() if state != "ok"]
    why = Text.assemble((f"{head}: ", STATUS_STYLE[r.status]), _t(" and ".join(parts), STATUS_STYLE[r.status]))
    for reason in r.reasons:
        why.append("\n")
        why.append_text(_t(f"· {reason}", "dim"))
    return why


def print_readiness(console: Console, analysis: Analysis, ws: m.Workshop) -> None:
    """Every use case, blocked first: its title (id under it), value, readiness, must-haves met and why."""
    table = Table(title="Use-case readiness", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    longest_id = max((len(r) for r in analysis.readiness), default=8)
    # as wide as the longest id (up to 24), so ids stay whole; rich ignores min_width on a ratio column
    table.add_column("Use case", overflow="fold", width=max(min(longest_id, 24), 12))
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Readiness", no_wrap=True)
    table.add_column("Must met", justify="right", no_wrap=True)
    table.add_column("Why", ratio=1, overflow="fold")
    values = {u.id: u.value for u in ws.use_cases}
    order = {"blocked": 0, "at-risk": 1, "ready": 2}
    for r in sorted(analysis.readiness.values(), key=lambda r: (order[r.status], -(values[r.use_case] or 3))):
        value = values[r.use_case]
        table.add_row(
            Text.assemble(_t(r.title), "\n", _t(r.use_case, "dim")),
            str(value) if value is not None else "",
            Text(r.status, style=STATUS_STYLE[r.status]),
            f"{r.must_satisfied}/{r.must_total}",
            readiness_why(r),
        )
    console.print(table)


def rule_label(g: Gap) -> Text:
    """A finding's rule in words, its code after it: "Several masters (NM108)"."""
    rule = RULES.get(g.rule)
    return Text.assemble((rule.title if rule else g.rule, "italic"), (f" ({g.code})", "dim"))


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
    table.add_column("Problem, and its findings", ratio=1, overflow="fold")
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
        symptoms.add_column(ratio=1, overflow="fold")
        for g in grp.gaps[:SHOWN_SYMPTOMS]:
            finding = Text.assemble(rule_label(g), "\n", _t(g.message), "\n", ("→ ", "dim"), _t(g.action, "dim"))
            symptoms.add_row(Text("·", style=SEVERITY_STYLE[g.severity]), finding)
        hidden = len(grp.gaps) - SHOWN_SYMPTOMS
        if hidden > 0:
            symptoms.add_row("", Text(f"and {hidden} more (--by rule lists every finding)", style="dim"))
        table.add_row(str(n), severity, Group_(_t(p.title, "bold"), symptoms), str(p.impact) if p.use_cases else "")
    console.print(table)


def print_groups(console: Console, groups: list[Group], by: str) -> None:
    """A table per group: each finding with its rule in words (grouped by rule: the group's title says it)."""
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
        table.add_column("Finding, and what to do", ratio=1, overflow="fold")
        table.add_column("Impact", justify="right", no_wrap=True)
        for g in grp.gaps:
            finding = Text.assemble(_t(g.message), "\n", ("→ ", "dim"), _t(g.action, "dim"))
            if by != "rule":
                finding = Text.assemble(rule_label(g), "\n", finding)
            row: list[RenderableType] = [Text(g.severity, style=SEVERITY_STYLE[g.severity]), finding]
            row.append(str(g.impact) if g.use_cases else "")
            table.add_row(*row)
        console.print(table)
