"""Overview (key 1): whose workshop it is, how big, what to start with, how ready its use cases are, the top problems.

The first line names the workshop and its organisation (and, on a wide screen, its dates and facilitator).

Everything here follows the workshop live: counts on each edit, readiness,
the recommendation and problems when the analysis (in a thread) has caught
up.  "Start with" names the recommended roadmap option and its first steps
(:mod:`needsmap.roadmap.recommend`: the same sentences as ``needsmap roadmap``
and the report; key 0 shows the options).  The top problems are the findings
grouped by root cause (:mod:`needsmap.analysis.problems`), blocking errors
first, then by impact.  Enter on a use case or a problem jumps to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from needsmap.analysis import problems as problems_of
from needsmap.analysis.engine import Gap
from needsmap.analysis.problems import Problem
from needsmap.roadmap.recommend import Recommendation, short_name
from needsmap.tui import SUBJECT_SCREENS, plain
from needsmap.tui.widgets.table import line_spans

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_MARK = {"error": "●", "warning": "▲", "info": "·"}
READINESS_STYLE = {"ready": "green", "at-risk": "yellow", "blocked": "bold red"}
#: How many problems the overview lists.
TOP_PROBLEMS = 10
#: How many first steps "Start with" lists (all of them on a wide screen, fewer on a narrow one).
NARROW_START_STEPS = 2
STATUS_WIDTH = 8
TITLE_WIDTH = 40
#: Narrower than this, the counts are one line and use case titles are shorter.
NARROW = 110
NARROW_TITLE_WIDTH = 26
SEVERITY_WIDTH = 9
IMPACT_WIDTH = 6

SHORT_WORDS = {"stakeholders": "people", "attributes": "attrs"}
COUNTED = (
    ("stakeholders", "stakeholders"),
    ("use_cases", "use cases"),
    ("attributes", "attributes"),
    ("systems", "systems"),
    ("processes", "processes"),
    ("notes", "notes"),
)


def severity_cell(severity: str, blocks: bool = False) -> Text:
    """``● error``, ``▲ warning``, ``· info``; ``● blocks`` for an error that blocks a use case."""
    if blocks:
        return Text(f"{SEVERITY_MARK[severity]} blocks", style="bold reverse red", end="")
    return Text(f"{SEVERITY_MARK[severity]} {severity}", style=SEVERITY_STYLE[severity], end="")


def subjects_text(gap: Gap, limit: int = 3) -> Text:
    ids = [i for _, i in gap.subjects]
    shown = ", ".join(ids[:limit]) + (f" +{len(ids) - limit}" if len(ids) > limit else "")
    return plain(shown)


def gap_target(gap: Gap) -> tuple[str, str] | None:
    """The first subject of a gap that has a screen: (kind, id)."""
    for kind, ident in gap.subjects:
        if kind in SUBJECT_SCREENS:
            return kind, ident
    return None


def problem_target(problem: Problem) -> tuple[str, str] | None:
    """The first subject with a screen among a problem's symptoms, in their order: (kind, id)."""
    for gap in problem.symptoms:
        target = gap_target(gap)
        if target:
            return target
    return None


def problem_text(problem: Problem) -> Text:
    """The problem's title, and how many findings it stands for when more than one."""
    text = plain(problem.title)
    count = len(problem.symptoms)
    if count > 1:
        text.append(f" · {count} findings", style="dim")
    return text


def last_column_room(table: DataTable, *widths: int) -> int | None:
    """Cells left for the last column of ``table`` after columns of ``widths`` (None before layout)."""
    if not table.size.width:
        return None
    padding = 2 * table.cell_padding
    return max(12, table.size.width - sum(w + padding for w in widths) - padding - 2)


def reset(table: DataTable) -> None:
    """Clear the rows, and let auto-width columns shrink again (``DataTable.clear`` keeps their width)."""
    table.clear()
    for column in table.columns.values():
        if column.auto_width:
            column.content_width = column.label.cell_len


def ensure_columns(table: DataTable, columns: list[tuple[str, str, int | None]]) -> bool:
    """Give ``table`` these (key, label, width) columns, rebuilding them (and clearing rows) if they differ."""
    wanted = [key for key, _, _ in columns]
    if [str(k.value) for k in table.columns] == wanted:
        return False
    table.clear(columns=True)
    for key, label, width in columns:
        table.add_column(Text(label), key=key, width=width)
    return True


def fit(text: Text, width: int | None) -> Text:
    """``text`` cut to ``width`` cells with an ellipsis (unchanged when ``width`` is None)."""
    if width is not None and text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text


def wrapped(text: Text, width: int, lines: int = 2) -> Text:
    """``text`` wrapped to ``width`` cells, at most ``lines`` lines (the last cut with …), its styles kept.

    Lines break at spaces, a word too long for a line after ``_ - , . /`` in it (else where the line is full:
    :func:`needsmap.tui.widgets.table.line_spans`).  Unchanged when it fits on one line; the number of lines
    of the result is ``len(result.split())`` (a DataTable row's height).
    """
    if text.cell_len <= width or width < 1:
        return text
    parts = [text[start:end] for start, end in line_spans(text.plain, width, lines)]
    for part in parts:
        part.rstrip()
    parts[-1].truncate(width, overflow="ellipsis")
    result = Text("\n", end="", no_wrap=True).join(parts)
    result.no_wrap = True
    return result


class ReadinessBar(Widget):
    """``█████▒▒▒▒░░ 5 ready · 7 at risk · 5 blocked`` for the active use cases, as wide as it is."""

    app: OpenApp

    COMPONENT_CLASSES = {"bar--ready", "bar--at-risk", "bar--blocked", "bar--legend"}

    def render(self) -> Text:
        analysis = self.app.analysis
        text = Text(no_wrap=True, end="")
        if analysis is None:
            return text
        counts = analysis.readiness_counts()
        total = sum(counts.values())
        legend = Text(no_wrap=True, end="")
        for i, (status, word) in enumerate((("ready", "ready"), ("at-risk", "at risk"), ("blocked", "blocked"))):
            if i:
                legend.append(" · ", style=self.get_component_rich_style("bar--legend"))
            legend.append(f"{counts[status]} {word}", style=self.get_component_rich_style(f"bar--{status}"))
        if not total:
            return Text("no active use cases yet", style="dim")
        width = max(10, self.size.width - legend.cell_len - 2)
        used = 0
        for status in ("ready", "at-risk", "blocked"):
            n = width - used if status == "blocked" else round(width * counts[status] / total)
            text.append("█" * max(0, n), style=self.get_component_rich_style(f"bar--{status}"))
            used += max(0, n)
        text.append("  ")
        text.append_text(legend)
        return text


class OverviewScreen(Screen[None]):
    app: OpenApp

    AUTO_FOCUS = "#readiness"
    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("tab", "app.focus_next", "Next table", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="workshop-name")
        yield Horizontal(*(Static(id=f"count-{key}", classes="count") for key, _ in COUNTED), id="counts")
        yield Static(id="counts-line")
        yield Static(id="start-with")
        yield Static("Use case readiness: blocked and at risk (Enter: open the use case)", classes="heading")
        yield ReadinessBar()
        table: DataTable[Text] = DataTable(id="readiness", cursor_type="row", zebra_stripes=True)
        table.add_column(Text("status"), key="status", width=STATUS_WIDTH)
        table.add_column(Text("use case"), key="use_case", width=TITLE_WIDTH)
        table.add_column(Text("why"), key="why")
        yield table
        yield Static(f"Top {TOP_PROBLEMS} problems", classes="heading", id="top-gaps-title")
        table = DataTable(id="top-gaps", cursor_type="row", zebra_stripes=True)
        table.add_column(Text("severity"), key="severity", width=SEVERITY_WIDTH)
        table.add_column(Text("impact"), key="impact", width=IMPACT_WIDTH)
        table.add_column(Text("problem"), key="message")
        yield table

    def on_mount(self) -> None:
        self._fill_counts()
        self._fill_analysis()

    # -- the app's hooks -------------------------------------------------------------------
    def workshop_changed(self) -> None:
        self._fill_counts()

    def analysis_changed(self) -> None:
        self._fill_analysis()

    def selected_subject(self) -> tuple[str, str] | None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "top-gaps":
            problem = self._current_problem()
            target = problem_target(problem) if problem else None
            return (SUBJECT_SCREENS[target[0]], target[1]) if target else None
        uc = self._current_use_case()
        return ("use_cases", uc) if uc else None

    # -- filling ----------------------------------------------------------------------------
    def _fill_name(self) -> None:
        """The workshop's name and organisation (and, where there is room, its dates and facilitator)."""
        info = self.app.session.workshop.workshop
        text = plain(info.name or self.app.session.path.name, style="bold")
        details = [info.organization or ""]
        if not self.has_class("-narrow"):
            details += [", ".join(d.isoformat() for d in info.dates), info.facilitator or ""]
        for detail in filter(None, details):
            text.append(" · ", style="dim")
            text.append_text(plain(detail))
        self.query_one("#workshop-name", Static).update(text)

    def _fill_counts(self) -> None:
        self._fill_name()
        ws = self.app.session.workshop
        line = Text(end="")
        for i, (key, word) in enumerate(COUNTED):
            items = ws.section(key)
            text = Text.assemble((f"{len(items)}", "bold"), f"\n{word}")
            if key == "notes":
                open_notes = sum(1 for n in items if n.effective_status == "open")
                text.append(f" · {open_notes} open", style="dim")
            self.query_one(f"#count-{key}", Static).update(text)
            if i:
                line.append(" · ", style="dim")
            line.append_text(Text.assemble((f"{len(items)}", "bold"), f" {SHORT_WORDS.get(key, word)}"))
        self.query_one("#counts-line", Static).update(line)

    def _fill_analysis(self) -> None:
        analysis = self.app.analysis
        if analysis is None:
            return
        found = problems_of.group(analysis, self.app.session.workshop)
        self._problems = found[:TOP_PROBLEMS]
        self._fill_start_with(analysis)
        self.query_one(ReadinessBar).refresh()
        self._fill_readiness(analysis)
        table = self.query_one("#top-gaps", DataTable)
        room = last_column_room(table, SEVERITY_WIDTH, IMPACT_WIDTH)
        keep = table.cursor_row
        reset(table)
        for i, problem in enumerate(self._problems):
            table.add_row(
                severity_cell(problem.severity, problem.blocks),
                Text(str(problem.impact), justify="right"),
                fit(problem_text(problem), room),
                key=str(i),
            )
        if self._problems:
            table.move_cursor(row=min(keep, len(self._problems) - 1))
        total = len(found)
        findings = len(analysis.gaps)
        keys = "· 8: all gaps" if self.has_class("-narrow") else "(Enter: go to it; 8: all gaps)"
        self.query_one("#top-gaps-title", Static).update(
            f"Top {min(TOP_PROBLEMS, total)} of {total} problems ({findings} findings), blocking errors first {keys}"
        )

    def _fill_start_with(self, analysis) -> None:
        """The recommended option and its first steps (milliseconds for a real workshop)."""
        text = Text(end="")
        rm = self.app.roadmap
        if rm is None:
            text.append("Start with: ", style="bold")
            problem = self.app.roadmap_problem
            if problem:
                text.append_text(plain(f"no recommendation, {problem}"))
            else:
                text.append("working out the roadmap…", style="dim")
            self.query_one("#start-with", Static).update(text)
            return
        rec: Recommendation | None = rm.recommended
        p = rm.plan_of(rec.option) if rec is not None else None
        if rec is None or p is None:
            text.append("Start with: ", style="bold")
            text.append("nothing to do: no gap that work could close", style="dim")
        else:
            text.append("Start with ", style="bold")
            text.append_text(plain(short_name(p), style="bold green"))
            text.append(" (recommended; 0: compare the options)", style="dim")
            narrow = self.has_class("-narrow")  # what to do, a line or two each (the roadmap says what for)
            lines = [s.title if narrow or not s.value else f"{s.title} (value {s.value})" for s in rec.start_with]
            shown = lines[:NARROW_START_STEPS] if narrow else lines
            for line in shown:
                text.append("\n • ")
                text.append_text(plain(line))
            if len(shown) < len(lines):
                text.append(f"\n   and {len(lines) - len(shown)} more on the roadmap (0)", style="dim")
        self.query_one("#start-with", Static).update(text)

    def _fill_readiness(self, analysis) -> None:
        table = self.query_one("#readiness", DataTable)
        title_width = NARROW_TITLE_WIDTH if self.has_class("-narrow") else TITLE_WIDTH
        if table.columns[ColumnKey("use_case")].width != title_width:
            table.columns[ColumnKey("use_case")].width = title_width
        room = last_column_room(table, STATUS_WIDTH, title_width)
        keep = table.cursor_row
        reset(table)
        order = {"blocked": 0, "at-risk": 1, "ready": 2}
        rows = sorted(analysis.readiness.values(), key=lambda r: order[r.status])
        for r in rows:
            if r.status == "ready":
                continue
            why = "; ".join(r.reasons)
            title = wrapped(plain(r.title or r.use_case), title_width)  # a title reads whole, over two lines
            table.add_row(
                Text(r.status, style=READINESS_STYLE[r.status], end=""),
                title,
                fit(plain(why), room),
                key=r.use_case,
                height=len(title.split()),
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")
        self._fill_name()
        self.call_after_refresh(self._fill_analysis)

    # -- navigation ----------------------------------------------------------------------------
    def _current_problem(self) -> Problem | None:
        table = self.query_one("#top-gaps", DataTable)
        if not table.row_count:
            return None
        index = table.cursor_row
        found: list[Problem] = getattr(self, "_problems", [])
        return found[index] if 0 <= index < len(found) else None

    def _current_use_case(self) -> str | None:
        table = self.query_one("#readiness", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    async def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, DataTable) and focused.id == "top-gaps":
            problem = self._current_problem()
            target = problem_target(problem) if problem else None
            if target:
                await self.app.jump_to(*target)
            elif problem:
                await self.app.run_action("show('gaps')")
            return
        uc = self._current_use_case()
        if uc:
            await self.app.jump_to("use_cases", uc)

    @on(DataTable.RowSelected)
    async def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.action_open()
