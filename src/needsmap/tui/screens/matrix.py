"""Matrix (key 7): use case × attribute (needs) and system × attribute (holdings), one key per cell.

Arrows move; space cycles the cell (a need: none → must → should → could →
none; a holding: none → copy → master → derived → none); ``m``/``s``/``c``
(``m``/``c``/``d`` for systems) set it directly and ``x`` removes it.  Every
change is a session edit, so ctrl+z undoes it.  ``t`` switches between the
two grids, ``a`` between all attributes and those that are needed or held.

The grid is a line-API widget (:class:`MatrixGrid`): it renders only what is
on screen, so an enterprise workshop (400 × 2,500) scrolls as fast as the demo.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from needsmap.format import model as m
from needsmap.format.naming import section_word
from needsmap.tui import linking, plain
from needsmap.util.text import shorten

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp

#: Attributes shown as columns: all of them up to this many, else only those needed or held.
ALL_COLUMNS_UP_TO = 60
CELL_WIDTH = 3
MAX_HEADER = 12
MAX_ROW_LABEL = 30
MIN_ROW_LABEL = 18
#: The most lines a row's title takes: a long one goes on over a second line of its row instead of being cut.
ROW_LINES = 2

NEED_CYCLE: tuple[m.Criticality | None, ...] = (None, "must", "should", "could")
ROLE_CYCLE: tuple[m.Role | None, ...] = (None, "copy", "master", "derived")
NEED_KEYS: dict[str, m.Criticality] = {"m": "must", "s": "should", "c": "could"}
ROLE_KEYS: dict[str, m.Role] = {"m": "master", "c": "copy", "d": "derived"}
NEED_LETTER = {"must": "M", "should": "S", "could": "C"}
ROLE_LETTER = {"master": "M", "copy": "C", "derived": "D"}
#: The keys that set a cell, each described by what it sets in either grid ("Must/master").
SET_KEYS = {
    key: "/".join(value for value in (NEED_KEYS.get(key), ROLE_KEYS.get(key)) if value).capitalize()
    for key in {**NEED_KEYS, **ROLE_KEYS}
}


@dataclass(frozen=True, slots=True)
class Grid:
    """What one matrix shows: rows, columns and the filled cells."""

    kind: str  # "use_cases" | "systems"
    rows: tuple[tuple[str, str], ...]  # (id, label)
    cols: tuple[tuple[str, str], ...]  # (attribute id, name)
    cells: dict[str, dict[str, str]]  # row id -> attribute -> value (criticality or role)
    trouble: dict[tuple[str, str], str]  # (row id, attribute) -> "hard" | "soft"
    dim_rows: frozenset[str]  # rejected use cases


def build_grid(ws: m.Workshop, kind: str, all_columns: bool, readiness=None) -> Grid:
    cells: dict[str, dict[str, str]] = {}
    dim: set[str] = set()
    if kind == "use_cases":
        rows = tuple((uc.id, uc.title or uc.id) for uc in ws.use_cases)
        for uc in ws.use_cases:
            if uc.status == "rejected":
                dim.add(uc.id)
            mine: dict[str, str] = {}
            for nd in uc.needs:
                mine.setdefault(nd.attribute, nd.effective_criticality)
            cells[uc.id] = mine
    else:
        rows = tuple((s.id, s.name or s.id) for s in ws.systems)
        for s in ws.systems:
            mine = {}
            for h in s.holds:
                mine.setdefault(h.attribute, h.effective_role)
            cells[s.id] = mine
    used: set[str] = set()
    if not all_columns:
        for uc in ws.use_cases:
            used.update(nd.attribute for nd in uc.needs)
        for s in ws.systems:
            used.update(h.attribute for h in s.holds)
    cols = tuple((a.id, a.name or a.id) for a in ws.attributes if all_columns or a.id in used)
    trouble: dict[tuple[str, str], str] = {}
    if kind == "use_cases" and readiness:
        for r in readiness.values():
            for ns in r.needs:
                if {"missing-source", "unreachable"} & set(ns.problems):
                    trouble[(ns.use_case, ns.attribute)] = "hard"
                elif {"stale", "low-quality", "low-coverage"} & set(ns.problems):
                    trouble[(ns.use_case, ns.attribute)] = "soft"
    return Grid(kind, rows, cols, cells, trouble, frozenset(dim))


class MatrixGrid(ScrollView, can_focus=True):
    """A scrolling grid with fixed column headers (vertical labels) and fixed row labels."""

    COMPONENT_CLASSES = {
        "matrix--header",
        "matrix--header-cursor",
        "matrix--row",
        "matrix--row-cursor",
        "matrix--row-dim",
        "matrix--empty",
        "matrix--cross",
        "matrix--cursor",
        "matrix--corner",
        "matrix--must",
        "matrix--should",
        "matrix--could",
        "matrix--master",
        "matrix--copy",
        "matrix--derived",
        "matrix--hard",
        "matrix--soft",
    }
    BINDINGS = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("pageup", "move(0, -10)", "Page up", show=False),
        Binding("pagedown", "move(0, 10)", "Page down", show=False),
        Binding("home", "home", "First column", show=False),
        Binding("end", "end", "Last column", show=False),
    ]

    class Moved(Message):
        """The cursor moved (or the grid changed)."""

    def __init__(self) -> None:
        super().__init__(id="matrix-grid")
        self.grid: Grid | None = None
        self.cursor_row = 0
        self.cursor_col = 0
        self.header_height = 1
        self.row_label_width = 10
        self.row_labels: list[list[str]] = []  # per row: the lines of its title
        self.row_offsets: list[int] = [0]  # per row: its first line below the header; then all the rows' lines

    # -- data ---------------------------------------------------------------------------------
    def set_grid(self, grid: Grid) -> None:
        old = self.grid
        keep_row = keep_col = None
        if old is not None and old.kind == grid.kind and old.rows and old.cols:
            keep_row = old.rows[min(self.cursor_row, len(old.rows) - 1)][0]
            keep_col = old.cols[min(self.cursor_col, len(old.cols) - 1)][0]
        self.grid = grid
        longest = max((len(ident) for ident, _ in grid.cols), default=1)
        room = max(5, (self.size.height or 3 * MAX_HEADER) // 3)  # the header takes a third at most
        self.header_height = min(max(longest, 5), MAX_HEADER, room) + 1
        self.row_label_width = min(max((len(label) for _, label in grid.rows), default=8), MAX_ROW_LABEL) + 2
        self.row_label_width = max(self.row_label_width, MIN_ROW_LABEL)
        self.row_labels = [label_lines(label, self.row_label_width - 1, ROW_LINES) for _, label in grid.rows]
        offsets = [0]
        for lines in self.row_labels:
            offsets.append(offsets[-1] + len(lines))
        self.row_offsets = offsets
        row_ids = [r for r, _ in grid.rows]
        col_ids = [c for c, _ in grid.cols]
        if keep_row in row_ids:
            self.cursor_row = row_ids.index(keep_row)
        if keep_col in col_ids:
            self.cursor_col = col_ids.index(keep_col)
        self.cursor_row = max(0, min(self.cursor_row, len(grid.rows) - 1))
        self.cursor_col = max(0, min(self.cursor_col, len(grid.cols) - 1))
        self.virtual_size = Size(self.row_label_width + len(grid.cols) * CELL_WIDTH, self.header_height + offsets[-1])
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)
        self.post_message(self.Moved())

    def current(self) -> tuple[str, str] | None:
        """(row id, attribute id) under the cursor."""
        g = self.grid
        if g is None or not g.rows or not g.cols:
            return None
        return g.rows[self.cursor_row][0], g.cols[self.cursor_col][0]

    def move_to(self, row_id: str | None = None, col_id: str | None = None) -> bool:
        g = self.grid
        if g is None:
            return False
        found = False
        if row_id is not None:
            for i, (rid, _) in enumerate(g.rows):
                if rid == row_id:
                    self.cursor_row, found = i, True
        if col_id is not None:
            for i, (cid, _) in enumerate(g.cols):
                if cid == col_id:
                    self.cursor_col, found = i, True
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())
        return found

    # -- moving ---------------------------------------------------------------------------------
    def action_move(self, dx: int, dy: int) -> None:
        g = self.grid
        if g is None or not g.rows or not g.cols:
            return
        self.cursor_col = max(0, min(self.cursor_col + dx, len(g.cols) - 1))
        self.cursor_row = max(0, min(self.cursor_row + dy, len(g.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Moved())

    def action_home(self) -> None:
        self.action_move(-self.cursor_col, 0)

    def action_end(self) -> None:
        if self.grid:
            self.action_move(len(self.grid.cols), 0)

    def _view(self) -> tuple[int, int]:
        region = self.scrollable_content_region
        return max(1, region.width - self.row_label_width), max(1, region.height - self.header_height)

    def _scroll_to_cursor(self) -> None:
        width, height = self._view()
        x, y = self.scroll_offset
        left = self.cursor_col * CELL_WIDTH
        if left < x:
            x = left
        elif left + CELL_WIDTH > x + width:
            x = left + CELL_WIDTH - width
        top, bottom = self._row_lines(self.cursor_row)
        if top < y:
            y = top
        elif bottom > y + height:
            y = bottom - height
        self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def _row_lines(self, row: int) -> tuple[int, int]:
        """The first line of ``row`` below the header and the line after its last."""
        offsets = self.row_offsets
        if 0 <= row < len(offsets) - 1:
            return offsets[row], offsets[row + 1]
        return row, row + 1

    def row_at(self, line: int) -> tuple[int, int] | None:
        """(row, its n-th line) at ``line`` below the header (counted from the top of the grid), or None."""
        offsets = self.row_offsets
        if line < 0 or line >= offsets[-1]:
            return None
        row = bisect_right(offsets, line) - 1
        return row, line - offsets[row]

    def on_resize(self, _event: events.Resize) -> None:
        if self.grid is not None:
            self.set_grid(self.grid)

    def on_click(self, event: events.Click) -> None:
        g = self.grid
        if g is None:
            return
        x, y = event.x, event.y
        col = (x - self.row_label_width + int(self.scroll_x)) // CELL_WIDTH if x >= self.row_label_width else None
        found = self.row_at(y - self.header_height + int(self.scroll_y)) if y >= self.header_height else None
        if found is not None:
            self.cursor_row = found[0]
        if col is not None and 0 <= col < len(g.cols):
            self.cursor_col = col
        self.refresh()
        self.post_message(self.Moved())

    # -- drawing ---------------------------------------------------------------------------------
    def _cell(self, value: str | None) -> tuple[str, str]:
        if value is None:
            return "·", "matrix--empty"
        if self.grid is not None and self.grid.kind == "use_cases":
            return NEED_LETTER[value], f"matrix--{value}"
        return ROLE_LETTER[value], f"matrix--{value}"

    def render_line(self, y: int) -> Strip:
        g = self.grid
        width = self.scrollable_content_region.width
        if g is None:
            return Strip.blank(width)
        scroll_x, scroll_y = int(self.scroll_x), int(self.scroll_y)
        cells_width = max(0, width - self.row_label_width)
        first = scroll_x // CELL_WIDTH
        last = min(len(g.cols), (scroll_x + cells_width) // CELL_WIDTH + 1)
        crop = scroll_x - first * CELL_WIDTH
        style = self.get_component_rich_style
        if y < self.header_height:
            label_segment = self._corner(y)
            segs = []
            for c in range(first, last):
                name = g.cols[c][0]
                h = self.header_height - 1
                if y < h:
                    ch = name[y] if y < len(name) else " "
                    if y == h - 1 and len(name) > h:
                        ch = "…"
                else:
                    ch = "─"
                comp = "matrix--header-cursor" if c == self.cursor_col else "matrix--header"
                segs.append(Segment(f" {_safe_char(ch)} ", style(comp)))
            cells = Strip(segs).crop(crop, crop + cells_width)
            return Strip.join([Strip([label_segment]), cells]).extend_cell_length(width).crop(0, width)
        found = self.row_at(y - self.header_height + scroll_y)
        if found is None or found[0] >= len(g.rows):
            return Strip.blank(width)
        row, n = found
        rid, _ = g.rows[row]
        on_row = row == self.cursor_row
        row_style = style("matrix--row-cursor" if on_row else "matrix--row-dim" if rid in g.dim_rows else "matrix--row")
        text = self.row_labels[row][n].ljust(self.row_label_width - 1) + " "
        segs = []
        values = g.cells.get(rid, {})
        for c in range(first, last):
            attr = g.cols[c][0]
            letter, comp = self._cell(values.get(attr))
            cell_style = style(comp)
            problem = g.trouble.get((rid, attr))
            if problem and values.get(attr):
                cell_style = cell_style + style(f"matrix--{problem}")
            if on_row and c == self.cursor_col:
                cell_style = cell_style + style("matrix--cursor")
            elif on_row or c == self.cursor_col:
                cell_style = style("matrix--cross") + cell_style
            segs.append(Segment(f" {letter if not n else ' '} ", cell_style))  # the letter on the first line
        cells = Strip(segs).crop(crop, crop + cells_width)
        return Strip.join([Strip([Segment(text, row_style)]), cells]).extend_cell_length(width).crop(0, width)

    def _corner(self, y: int) -> Segment:
        g = self.grid
        assert g is not None
        w = self.row_label_width
        if g.kind == "use_cases":
            lines = ["use case \\ attribute", "M must   S should", "C could  · none", "red: blocked", "yellow: at risk"]
        else:
            lines = ["system \\ attribute", "M master  C copy", "D derived · none"]
        line = lines[y] if y < len(lines) else ""
        if y == self.header_height - 1:
            line = "─" * (w - 1)
        return Segment(_fit(line, w - 1) + " ", self.get_component_rich_style("matrix--corner"))


def _safe_char(ch: str) -> str:
    return ch if ch.isprintable() else "?"


def label_lines(label: str, width: int, most: int) -> list[str]:
    """A row's title over at most ``most`` lines of ``width`` cells, broken at spaces (the last cut with …)."""
    words = "".join(_safe_char(ch) for ch in " ".join(label.split())).split(" ")
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        elif len(lines) < most - 1:
            lines.append(line)
            line = word
        else:
            line = " ".join([line, *words[i:]])
            break
    lines.append(line)
    return [shorten(part, width) for part in lines]


def _fit(text: str, width: int) -> str:
    text = "".join(_safe_char(ch) for ch in " ".join(text.split()))
    return shorten(text, width).ljust(width)


class MatrixScreen(Screen[None]):
    app: OpenApp

    AUTO_FOCUS = "MatrixGrid"
    CSS_PATH = "matrix.tcss"
    BINDINGS = [
        Binding("space", "cycle", "Cycle cell"),
        *(Binding(key, f"set('{key}')", words, show=False) for key, words in SET_KEYS.items()),
        Binding("x,delete,backspace", "set('x')", "Clear cell", show=False),
        Binding("t", "toggle_kind", "Use cases/systems"),
        Binding("a", "toggle_columns", "All attributes"),
        Binding("enter", "open_row", "Open row item", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "use_cases"
        self.all_columns: bool | None = None  # None: decided by the size of the workshop

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title", classes="heading")
        yield MatrixGrid()
        yield Static(id="matrix-info")

    def on_mount(self) -> None:
        self._rebuild()
        self.query_one(MatrixGrid).focus()

    # -- the app's hooks ---------------------------------------------------------------------
    def workshop_changed(self) -> None:
        self._rebuild()

    analysis_changed = workshop_changed  # the cells come from the workshop, their trouble from the analysis

    def selected_subject(self) -> tuple[str, str] | None:
        cur = self.query_one(MatrixGrid).current()
        return (self.kind, cur[0]) if cur else None

    def select(self, item_id: str) -> bool:
        """Move to the row of a use case or system, or to the column of an attribute."""
        grid = self.query_one(MatrixGrid)
        ws = self.app.session.workshop
        if (
            any(s.id == item_id for s in ws.systems)
            and self.kind != "systems"
            and not any(u.id == item_id for u in ws.use_cases)
        ):
            self.kind = "systems"
            self._rebuild()
        return grid.move_to(row_id=item_id) or grid.move_to(col_id=item_id)

    # -- building ----------------------------------------------------------------------------------
    def _show_all(self) -> bool:
        if self.all_columns is not None:
            return self.all_columns
        return len(self.app.session.workshop.attributes) <= ALL_COLUMNS_UP_TO

    def _rebuild(self) -> None:
        ws = self.app.session.workshop
        analysis = self.app.analysis
        readiness = analysis.readiness if analysis is not None else None
        grid = build_grid(ws, self.kind, self._show_all(), readiness)
        self.query_one(MatrixGrid).set_grid(grid)
        rows = "use cases" if self.kind == "use_cases" else "systems"
        what = "needs" if self.kind == "use_cases" else "holdings"
        cols = "all" if self._show_all() else "those needed or held"
        other = "systems" if self.kind == "use_cases" else "use cases"
        self.query_one("#matrix-title", Static).update(
            Text(
                f"{what.capitalize()}: {len(grid.rows)} {rows} × {len(grid.cols)} attributes ({cols})   "
                f"t: show {other}   a: {'only needed or held' if self._show_all() else 'all attributes'}",
                no_wrap=True,
                overflow="ellipsis",
            )
        )

    def on_matrix_grid_moved(self, _message: MatrixGrid.Moved) -> None:
        self._show_info()

    def _show_info(self) -> None:
        grid = self.query_one(MatrixGrid)
        info = self.query_one("#matrix-info", Static)
        cur = grid.current()
        if cur is None:
            what = "use cases" if self.kind == "use_cases" else "systems"
            info.update(Text(f"No {what} or no attributes yet: add them on their screens first.", style="dim"))
            return
        row_id, attr = cur
        g = grid.grid
        assert g is not None
        row_label = dict(g.rows).get(row_id, row_id)
        col_label = dict(g.cols).get(attr, attr)
        value = g.cells.get(row_id, {}).get(attr)
        # the value first: a narrow terminal cuts the end of the line, never the value; then the attribute (the
        # column), and on the next line the row.  What does not fit in the width is left out (the why of a
        # problem is shortened, the keys are in the footer and in help) so that each name reads whole at 80
        room = max(self.size.width - 2, 20)  # the padding
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        problem = None
        if self.kind == "use_cases":
            text.append(value or "not needed", style="bold")
            problem = g.trouble.get((row_id, attr)) if value else None
            keys = "space: cycle  m s c: must should could  x: clear"
        else:
            text.append(value or "not held", style="bold")
            keys = "space: cycle  m c d: master copy derived  x: clear"
        column = Text(end="")
        column.append("  ·  attribute ", style="dim")
        column.append_text(plain(col_label, style="bold"))
        column.append(" (")
        column.append_text(plain(attr))
        column.append(")")
        if problem:
            why, short = (
                ("  ⚠ blocked: held nowhere or does not reach it", "  ⚠ blocked")
                if problem == "hard"
                else ("  ⚠ at risk: stale, low quality or coverage", "  ⚠ at risk")
            )
            fits = text.cell_len + len(why) + column.cell_len <= room
            text.append(why if fits else short, style="red" if problem == "hard" else "yellow")
        text.append_text(column)
        row = Text(end="")
        row.append(f"{section_word(self.kind)} ", style="dim")
        row.append_text(plain(row_label, style="bold"))
        row.append(" (")
        row.append_text(plain(row_id))
        row.append(")")
        more = f"   {keys}   ctrl+z: undo"
        if row.cell_len + len(more) <= room:
            row.append(more, style="dim")
        text.append("\n")
        text.append_text(row)
        info.update(text)

    # -- editing ---------------------------------------------------------------------------------
    def action_cycle(self) -> None:
        matrix = self.query_one(MatrixGrid)
        cur = matrix.current()
        if cur is None or matrix.grid is None:
            return
        value = matrix.grid.cells.get(cur[0], {}).get(cur[1])
        if self.kind == "use_cases":
            self._set_need(cur, NEED_CYCLE[(NEED_CYCLE.index(value) + 1) % len(NEED_CYCLE)])
        else:
            self._set_holding(cur, ROLE_CYCLE[(ROLE_CYCLE.index(value) + 1) % len(ROLE_CYCLE)])

    def action_set(self, key: str) -> None:
        cur = self.query_one(MatrixGrid).current()
        if cur is None:
            return
        if self.kind == "use_cases":
            if key == "x" or key in NEED_KEYS:
                self._set_need(cur, NEED_KEYS.get(key))  # x: clear
        elif key == "x" or key in ROLE_KEYS:
            self._set_holding(cur, ROLE_KEYS.get(key))

    def _set_need(self, cur: tuple[str, str], value: m.Criticality | None) -> None:
        linking.set_attribute_link(self.app.session, linking.NEED, *cur, value, short=True)

    def _set_holding(self, cur: tuple[str, str], value: m.Role | None) -> None:
        linking.set_attribute_link(self.app.session, linking.HOLDING, *cur, value, short=True)

    def action_toggle_kind(self) -> None:
        self.kind = "systems" if self.kind == "use_cases" else "use_cases"
        self._rebuild()

    def action_toggle_columns(self) -> None:
        self.all_columns = not self._show_all()
        self._rebuild()

    async def action_open_row(self) -> None:
        cur = self.query_one(MatrixGrid).current()
        if cur:
            await self.app.jump_to(self.kind, cur[0])
