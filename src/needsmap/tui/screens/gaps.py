"""Gaps (key 8): every gap of the analysis, live, with why and what to do.

Type to filter (every word must appear in the severity, rule, subjects,
message or use cases; "blocks" finds the errors that block a use case), ``g``
changes the order (blocking errors first, then by impact / grouped by problem
/ by impact alone / grouped by rule / by severity), Enter jumps to the gap's
subject on its own screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from needsmap.analysis import problems as problems_of
from needsmap.analysis.engine import SEVERITY_ORDER, Gap
from needsmap.analysis.rules import RULE_ORDER, RULES
from needsmap.tui import SUBJECT_SCREENS, plain
from needsmap.tui.screens.overview import (
    ensure_columns,
    fit,
    gap_target,
    last_column_room,
    problem_target,
    problem_text,
    reset,
    severity_cell,
    subjects_text,
    wrapped,
)
from needsmap.tui.widgets.type_to_filter import TypeToFilter, filter_keys

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp

ORDERS = ("blockers", "problem", "impact", "rule", "severity")
#: Narrower than these, the subjects and then the rule columns go (the detail pane shows them).
WIDE = 110
SUBJECTS_WIDTH = 22
WIDEST = 160
WIDEST_COLUMNS = [
    ("severity", "severity", 9),
    ("impact", "impact", 6),
    ("rule", "rule", 24),
    ("subjects", "subjects", SUBJECTS_WIDTH),
    ("message", "message", None),
]
WIDE_COLUMNS = [
    ("severity", "severity", 9),
    ("impact", "impact", 6),
    ("rule", "rule", 24),
    ("message", "message", None),
]
NARROW_COLUMNS = [("severity", "severity", 9), ("impact", "impact", 6), ("message", "message", None)]
#: The most lines a message takes in the list (it wraps instead of being cut; the detail pane has all of it).
MESSAGE_LINES = 2
ORDER_LABELS = {
    "blockers": "blocking errors first",
    "problem": "grouped by problem",
    "impact": "by impact",
    "rule": "grouped by rule",
    "severity": "by severity",
}


def gap_haystack(gap: Gap, blocks: bool = False) -> str:
    rule = RULES[gap.rule]
    parts = [gap.severity, gap.rule, rule.code, rule.title, gap.message, *gap.use_cases]
    if blocks:
        parts.append("blocks")
    parts += [f"{kind} {ident}" for kind, ident in gap.subjects]
    return " ".join(parts).lower()


class GapsScreen(TypeToFilter, Screen[None]):
    app: OpenApp

    FILTER_INPUT = "gap-filter"
    FILTER_TABLE = "gap-table"
    ROW_ACTION = "jump"
    FILTER_PLACEHOLDER = "type to filter: rule, attribute, system, use case, words of the message"
    CSS_PATH = "gaps.tcss"
    BINDINGS = [
        Binding("enter", "jump", "Go to subject"),
        Binding("g", "cycle_order", "Order"),
        *filter_keys(),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.order = "blockers"
        self._rows: list[Gap | None] = []  # per table row: the gap, or None for a group heading
        self._problem_of: dict[int, problems_of.Problem] = {}  # grouped by problem: id(gap) -> its problem
        self._headings: dict[int, problems_of.Problem] = {}  # grouped by problem: heading row -> its problem
        self._haystacks: dict[int, str] = {}

    # -- the app's hooks ---------------------------------------------------------------------
    def analysis_changed(self) -> None:
        self._fill()

    def selected_subject(self) -> tuple[str, str] | None:
        gap = self.current_gap()
        problem = self.current_problem() if gap is None else None
        target = gap_target(gap) if gap else problem_target(problem) if problem else None
        return (SUBJECT_SCREENS[target[0]], target[1]) if target else None

    def select(self, item_id: str) -> bool:
        """Highlight the first gap about ``item_id``."""
        for row, gap in enumerate(self._rows):
            if gap is not None and any(i == item_id for _, i in gap.subjects):
                self.query_one("#gap-table", DataTable).move_cursor(row=row)
                return True
        return False

    # -- filling --------------------------------------------------------------------------------
    def _visible(self) -> list[Gap]:
        analysis = self.app.analysis
        if analysis is None:
            return []
        words = self.query_one("#gap-filter", Input).value.lower().split()
        gaps = analysis.gaps
        if words:
            out = []
            for gap in gaps:
                key = id(gap)
                hay = self._haystacks.get(key)
                if hay is None:
                    hay = self._haystacks[key] = gap_haystack(gap, analysis.blocks(gap))
                if all(w in hay for w in words):
                    out.append(gap)
            gaps = out
        if self.order == "rule":
            gaps = sorted(gaps, key=lambda g: (RULE_ORDER[g.rule], -g.impact, SEVERITY_ORDER[g.severity]))
        elif self.order == "severity":
            gaps = sorted(gaps, key=lambda g: (SEVERITY_ORDER[g.severity], -g.impact))
        elif self.order == "impact":
            kept = {id(g) for g in gaps}
            gaps = [g for g in analysis.ordered("impact") if id(g) in kept]
        elif self.order == "problem":
            shown = {id(g) for g in gaps}
            self._problem_of = {}
            grouped = []
            for problem in problems_of.group(analysis, self.app.session.workshop):
                for gap in problem.symptoms:
                    if id(gap) in shown:
                        grouped.append(gap)
                        self._problem_of[id(gap)] = problem
            gaps = grouped
        return gaps

    def _fill(self) -> None:
        analysis = self.app.analysis
        if analysis is not None and getattr(self, "_haystack_of", None) is not analysis:
            self._haystacks = {}
            self._haystack_of = analysis
        table = self.query_one("#gap-table", DataTable)
        current = self.current_gap()
        keep = current.key if current else None
        gaps = self._visible()
        width = table.size.width or WIDEST
        columns = WIDEST_COLUMNS if width >= WIDEST else WIDE_COLUMNS if width >= WIDE else NARROW_COLUMNS
        ensure_columns(table, columns)
        room = last_column_room(table, *(w for _, _, w in columns if w))

        def message(text: Text) -> Text:
            return wrapped(text, room, MESSAGE_LINES) if room is not None else text

        reset(table)
        self._rows = []
        self._headings = {}
        rule = None
        heading_of = None
        blocking = analysis.blocking if analysis is not None else frozenset()
        for gap in gaps:
            problem = self._problem_of.get(id(gap)) if self.order == "problem" else None
            if problem is not None and problem is not heading_of:
                heading_of = problem
                n = sum(1 for g in gaps if self._problem_of.get(id(g)) is problem)
                count = f" ({n} of {len(problem.symptoms)} findings)" if n != len(problem.symptoms) else ""
                heading = problem_text(problem) if not count else plain(problem.title).append(count, style="dim")
                heading.stylize("bold")
                cells = {
                    "severity": severity_cell(problem.severity, problem.blocks),
                    "impact": Text(str(problem.impact), justify="right", style="bold"),
                    "rule": Text("problem", style="bold"),
                    "subjects": Text(""),
                    "message": message(heading),
                }
                table.add_row(
                    *(cells[key] for key, _, _ in columns),
                    key=f"problem:{problem.key}",
                    height=len(cells["message"].split()),
                )
                self._headings[len(self._rows)] = problem
                self._rows.append(None)
            if self.order == "rule" and gap.rule != rule:
                rule = gap.rule
                info = RULES[rule]
                n = sum(1 for g in gaps if g.rule == rule)
                heading = Text(f"{info.code} {info.slug}: {info.title} ({n})", style="bold", end="")
                cells = {
                    "severity": Text(""),
                    "impact": Text(""),
                    "rule": Text(info.slug, style="bold"),
                    "subjects": Text(""),
                    "message": fit(heading, room),
                }
                table.add_row(*(cells[key] for key, _, _ in columns), key=f"group:{rule}")
                self._rows.append(None)
            indent = "  " if problem is not None else ""
            cells = {
                "severity": severity_cell(gap.severity, gap.key in blocking),
                "impact": Text(str(gap.impact), justify="right"),
                "rule": Text(indent + gap.rule),
                "subjects": fit(subjects_text(gap), SUBJECTS_WIDTH),
                "message": message(Text(indent).append_text(plain(gap.message))),
            }
            table.add_row(
                *(cells[key] for key, _, _ in columns),
                key=f"gap:{len(self._rows)}",
                height=len(cells["message"].split()),
            )
            self._rows.append(gap)
        target = 0
        if keep is not None:
            for row, row_gap in enumerate(self._rows):
                if row_gap is not None and row_gap.key == keep:
                    target = row
                    break
        if self._rows:
            table.move_cursor(row=target)
        total = len(analysis.gaps) if analysis else 0
        shown = len(gaps)
        count = (
            f"{shown} of {total} gaps, {ORDER_LABELS[self.order]}"
            if shown != total
            else f"{total} gaps, {ORDER_LABELS[self.order]}"
        )
        self.query_one("#gap-count", Static).update(Text(count))
        self._show_detail()

    def current_gap(self) -> Gap | None:
        try:
            table = self.query_one("#gap-table", DataTable)
        except Exception:  # not composed yet
            return None
        if not table.row_count:
            return None
        row = table.cursor_row
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def current_problem(self) -> problems_of.Problem | None:
        """Grouped by problem, with the cursor on a problem's heading: that problem."""
        try:
            row = self.query_one("#gap-table", DataTable).cursor_row
        except Exception:  # not composed yet
            return None
        return self._headings.get(row)

    def _show_detail(self) -> None:
        gap = self.current_gap()
        detail = self.query_one("#gap-detail-text", Static)
        problem = self.current_problem() if gap is None else None
        if problem is not None:
            detail.update(self._problem_detail(problem))
            return
        if gap is None:
            detail.update(
                Text("No gap selected." if not self._rows else "A group of gaps: move down to one.", style="dim")
            )
            return
        rule = RULES[gap.rule]
        text = Text(end="")
        text.append(f"{rule.code} {rule.slug}", style="bold")
        text.append(f"  {rule.title}  ", style="italic")
        text.append_text(severity_cell(gap.severity))
        analysis = self.app.analysis
        if analysis is not None and analysis.blocks(gap):
            text.append(" that blocks a use case", style="bold red")
        text.append(f"  impact {gap.impact}\n", style="dim")
        text.append_text(plain(gap.message, one_line=False))
        text.append("\n")
        text.append("Why: ", style="bold")
        text.append_text(plain(gap.why, one_line=False))
        text.append("\n")
        text.append("Do: ", style="bold")
        text.append_text(plain(gap.action, one_line=False))
        if gap.use_cases:
            text.append("\n")
            text.append("Use cases: ", style="bold")
            text.append_text(plain(", ".join(gap.use_cases)))
        subjects = ", ".join(f"{kind.replace('_', ' ')} {ident}" for kind, ident in gap.subjects)
        text.append("\n")
        text.append("Subjects: ", style="bold")
        text.append_text(plain(subjects))
        target = gap_target(gap)
        if target:
            text.append(f"   (Enter: go to {target[0].replace('_', ' ')} ", style="dim")
            text.append_text(plain(target[1], style="dim"))
            text.append(")", style="dim")
        detail.update(text)

    def _problem_detail(self, problem: problems_of.Problem) -> Text:
        text = Text(end="")
        text.append("Problem  ", style="bold")
        text.append_text(severity_cell(problem.severity, problem.blocks))
        count = len(problem.symptoms)
        text.append(f"  impact {problem.impact}  {count} finding{'s' if count != 1 else ''}\n", style="dim")
        text.append_text(plain(problem.title, one_line=False, style="bold"))
        for gap in problem.symptoms[:4]:
            text.append("\n· ", style="dim")
            text.append(f"{gap.rule}: ", style="dim")
            text.append_text(plain(gap.message))
        if count > 4:
            text.append(f"\n  and {count - 4} more below", style="dim")
        if problem.use_cases:
            text.append("\n")
            text.append("Use cases: ", style="bold")
            text.append_text(plain(", ".join(problem.use_cases)))
        target = problem_target(problem)
        if target:
            text.append(f"   (Enter: go to {target[0].replace('_', ' ')} ", style="dim")
            text.append_text(plain(target[1], style="dim"))
            text.append(")", style="dim")
        return text

    # -- actions --------------------------------------------------------------------------------
    async def action_jump(self) -> None:
        gap = self.current_gap()
        problem = self.current_problem() if gap is None else None
        if problem is not None:
            target = problem_target(problem)
            if target:
                await self.app.jump_to(*target)
            return
        if gap is None:
            return
        target = gap_target(gap)
        if target is None:
            kinds = ", ".join(sorted({k.replace("_", " ") for k, _ in gap.subjects}))
            self.notify(f"This gap is about a {kinds}: nothing to open; see the detail below", markup=False)
            return
        await self.app.jump_to(*target)

    def action_cycle_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._fill()
