"""A fast, virtual table of items: a header line and one line per row, drawn only where visible.

Textual's DataTable measures every cell of every row it is given, which takes
about 0.4 s for 2,500 rows: too slow to refilter on every keystroke.  This table
takes rows as lists of ready-made :class:`rich.text.Text` cells with known
widths, keeps them in a Python list and renders only the lines on screen, so
replacing all rows costs what building the list costs.

A column may wrap (``Column.wrap``: the names and titles of the list screens): a cell too long for
its width goes on over the next lines of its row, up to :data:`MAX_WRAP_LINES`, instead of being cut,
so a title reads whole at 80 columns too.  The table keeps the first line of every row (recomputed
when the rows or the column widths change; a row's height is cached per row object and width, so
refiltering stays cheap).

It has what the list screens need: a row cursor (keys and mouse), a header
whose columns can be clicked to sort, an indicator of the sort column, and
messages when the cursor moves (:class:`ItemTable.Highlighted`), a row is
chosen (:class:`ItemTable.Selected`: Enter or double click) and a header is
clicked (:class:`ItemTable.HeaderClicked`).  Styles: the component classes
below, set in the .tcss of the screens that use it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from needsmap.util.text import one_line, terminal

SEPARATOR = 2  # spaces between columns
MIN_FLEX = 12
COMFORT_FLEX = 20  # flexible columns give up width down to this before columns are hidden
#: The most lines a wrapping cell takes; what does not fit ends in an ellipsis.
MAX_WRAP_LINES = 3


#: Where a word too long for a line may break, after the character: ids and lists read in pieces
#: ("loyalty_" / "number,") rather than cut mid-word ("loyalty_num" / "ber").
WORD_BREAKS = "_-,./"


def line_spans(source: str, width: int, most: int) -> list[tuple[int, int]]:
    """``source`` over at most ``most`` lines of ``width`` cells: each line's (start, end) in ``source``.

    Lines break at a space; a word longer than what is left of a line breaks after one of WORD_BREAKS
    in it, else where the line is full.  The last line runs to the end of ``source`` (cut it to the
    width, with an ellipsis, when it is longer).
    """
    spans: list[tuple[int, int]] = []
    start, n = 0, len(source)
    while start < n and len(spans) < most - 1:
        while start < n and source[start] == " ":
            start += 1
        if cell_len(source[start:]) <= width:
            break
        end, cells = start, 0
        while end < n and cells + cell_len(source[end]) <= width:
            cells += cell_len(source[end])
            end += 1
        end = max(end, start + 1)  # a character wider than the line still moves on
        if end < n and source[end] == " ":
            cut, following = end, end + 1
        elif (space := source.rfind(" ", start, end)) > start:
            cut, following = space, space + 1
        elif (mark := max(source.rfind(c, start, end) for c in WORD_BREAKS)) > start:
            cut = following = mark + 1
        else:
            cut = following = end
        spans.append((start, cut))
        start = following
    while start < n and source[start] == " ":
        start += 1
    spans.append((start, n))
    return spans


def plain(value: object) -> str:
    """Untrusted text for one table cell: one line, control characters made visible."""
    return terminal(one_line("" if value is None else str(value)))


def cell(value: object, style: str | Style = "") -> Text:
    """A table cell from untrusted text (never parsed as markup)."""
    return Text(plain(value), style=style, no_wrap=True, end="")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    max_width: int = 30  # natural width is the widest cell, up to this
    flex: bool = False  # takes spare width / gives width back when the table is narrow
    right: bool = False  # right-aligned (numbers)
    drop: int = 0  # when the table is narrow, columns with the highest drop are hidden first (0: never)
    wrap: bool = False  # a cell too long for the column goes on over the next lines of its row


@dataclass(slots=True)
class Row:
    """One row: its key and its cells, each a safe plain ``str`` (see :func:`plain`) or a styled ``Text``.

    Plain strings are turned into ``Text`` only when the row is drawn, so building
    thousands of rows costs little more than the strings themselves.
    """

    key: str
    cells: Sequence[Text | str]
    dim: bool = False


def cell_width(value: Text | str) -> int:
    return cell_len(value) if isinstance(value, str) else value.cell_len


def cell_plain(value: Text | str) -> str:
    return value if isinstance(value, str) else value.plain


class ItemTable(ScrollView, can_focus=True):
    """Rows of items with a cursor; see the module docstring."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES = {
        "item-table--header",
        "item-table--sorted",
        "item-table--cursor",
        "item-table--cursor-blurred",
        "item-table--empty",
        "item-table--dim",
    }

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class _Message(Message):
        """A message about this table (``control`` lets ``@on(..., "#id")`` match it)."""

        def __init__(self, table: ItemTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> ItemTable:
            return self.table

    class Highlighted(_Message):
        def __init__(self, table: ItemTable, key: str | None) -> None:
            super().__init__(table)
            self.key = key

    class Selected(_Message):
        def __init__(self, table: ItemTable, key: str) -> None:
            super().__init__(table)
            self.key = key

    class HeaderClicked(_Message):
        def __init__(self, table: ItemTable, column: str) -> None:
            super().__init__(table)
            self.column = column

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        empty_text: str = "nothing here",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: list[Column] = list(columns)
        self.rows: list[Row] = []
        self.empty_text = empty_text
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._natural: list[int] = [cell_len(c.label) for c in self.columns]
        self._widths: list[int] = []
        self._fitted_for = -1
        self._index: dict[str, int] = {}
        self._lines: LRUCache[tuple, tuple[Row, Strip]] = LRUCache(512)
        self._header_cache: tuple[tuple, Strip] | None = None
        self._generation = 0
        self._last_key: str | None = None
        #: the first line of each row below the header, and the number of lines after the last one
        self._offsets: list[int] = [0]
        self._offsets_for: tuple | None = None
        self._heights: dict[int, tuple[Row, tuple, int]] = {}  # id(row) -> (row, widths, lines)
        self._wrapped: LRUCache[tuple, tuple[Row, list[Text]]] = LRUCache(1024)
        #: when set, the table is as high as its lines (and the header), up to this many lines
        self.fit_height: int | None = None
        self._height: int | None = None

    # -- data ------------------------------------------------------------------------
    def set_columns(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        self._natural = [cell_len(c.label) for c in self.columns]
        self._changed()

    def set_rows(
        self,
        rows: Sequence[Row],
        *,
        keep: str | None = None,
        widths_from: Sequence[Row] | None = None,
        widths: Sequence[int] | None = None,
    ) -> None:
        """Replace all rows; the cursor stays on ``keep`` (or the current row's key) when it is still there.

        Column widths are the widest cell (up to the column's ``max_width``) of ``widths_from``
        (default: ``rows``), or ``widths`` when given: size on all items, not only the
        filtered ones, so that the columns do not jump while filtering.
        """
        key = keep if keep is not None else self.cursor_key
        self.rows = list(rows)
        self._index = {row.key: i for i, row in enumerate(self.rows)}
        if widths is not None:
            natural = list(widths)
        else:
            natural = [cell_len(c.label) for c in self.columns]
            for row in widths_from if widths_from is not None else self.rows:
                for i, value in enumerate(row.cells[: len(natural)]):
                    n = cell_width(value)
                    if n > natural[i]:
                        natural[i] = n
        self._natural = [min(n, c.max_width) for n, c in zip(natural, self.columns)]
        self._changed()
        target = self._index.get(key, None) if key is not None else None
        if target is None:
            target = min(self.cursor, len(self.rows) - 1) if self.rows else 0
        self._move(max(target, 0), force=True)

    def set_sort(self, column: str | None, reverse: bool) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        self._changed()

    def _changed(self) -> None:
        self._generation += 1
        self._fitted_for = -1
        self._header_cache = None
        # columns are fitted to the width (see _fit): no horizontal scrolling
        self._update_virtual_size()
        self.refresh()

    # -- rows of several lines --------------------------------------------------------
    def _wrap_columns(self, widths: Sequence[int]) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.wrap and i < len(widths) and widths[i]]

    def _row_offsets(self) -> list[int]:
        """The first line of each row (below the header), and after them the number of lines of all rows."""
        if not self.is_mounted or self.scrollable_content_region.width <= 0:
            return list(range(len(self.rows) + 1))
        widths = tuple(self._fit())
        key = (self._generation, widths)
        if key == self._offsets_for:
            return self._offsets
        wrap = self._wrap_columns(widths)
        if not wrap:
            offsets = list(range(len(self.rows) + 1))
        else:
            heights = self._heights
            fresh: dict[int, tuple[Row, tuple, int]] = {}
            offsets = []
            y = 0
            for row in self.rows:
                offsets.append(y)
                hit = heights.get(id(row))
                if hit is not None and hit[0] is row and hit[1] == widths:
                    lines = hit[2]
                else:
                    lines = 1
                    for i in wrap:
                        if i < len(row.cells) and cell_width(row.cells[i]) > widths[i]:
                            lines = max(lines, len(self._wrap(row, i, widths[i])))
                fresh[id(row)] = (row, widths, lines)
                y += lines
            offsets.append(y)
            self._heights = fresh
        self._offsets, self._offsets_for = offsets, key
        return offsets

    def _wrap(self, row: Row, i: int, width: int) -> list[Text]:
        """The lines of cell ``i`` of ``row`` wrapped to ``width`` (at most MAX_WRAP_LINES, the last cut with …)."""
        key = (id(row), i, width)
        hit = self._wrapped.get(key)
        if hit is not None and hit[0] is row:
            return hit[1]
        value = row.cells[i]
        text = Text(value, end="") if isinstance(value, str) else value
        lines = [text[start:end] for start, end in line_spans(text.plain, width, MAX_WRAP_LINES)]
        for line in lines:
            line.rstrip()
        lines[-1].truncate(width, overflow="ellipsis")
        self._wrapped[key] = (row, lines)
        return lines

    @property
    def column_widths(self) -> list[int]:
        """The width of each column as drawn now (0: hidden, the table is too narrow for it)."""
        return list(self._fit())

    def row_span(self, index: int) -> tuple[int, int]:
        """(first content line below the header, number of lines) of row ``index``."""
        offsets = self._row_offsets()
        return offsets[index], offsets[index + 1] - offsets[index]

    def _update_virtual_size(self) -> None:
        lines = self._row_offsets()[-1]
        size = Size(0, lines + 1)
        if self.virtual_size != size:
            self.virtual_size = size
        if self.fit_height is not None:
            height = min(max(lines, 1) + 1, self.fit_height)
            if height != self._height:
                self._height = height
                self.styles.height = height

    def _row_at_line(self, line: int) -> tuple[int, int] | None:
        """(row, line within the row) shown on content line ``line`` (0: the first line below the header)."""
        offsets = self._row_offsets()
        if line < 0 or line >= offsets[-1]:
            return None
        row = bisect_right(offsets, line, hi=len(self.rows)) - 1
        return row, line - offsets[row]

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].key
        return None

    @property
    def keys(self) -> list[str]:
        return [row.key for row in self.rows]

    def move_to(self, key: str) -> bool:
        """Put the cursor on the row with ``key``; False when it is not shown."""
        i = self._index.get(key)
        if i is None:
            return False
        self._move(i)
        return True

    # -- cursor ----------------------------------------------------------------------
    def _move(self, row: int, force: bool = False) -> None:
        row = max(0, min(row, len(self.rows) - 1)) if self.rows else 0
        if row != self.cursor or force:
            self.cursor = row
        else:
            self._scroll_to_cursor()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self._scroll_to_cursor()
        key = self.cursor_key
        if key != self._last_key or old != new:
            self._last_key = key
            self.post_message(self.Highlighted(self, key))

    def _scroll_to_cursor(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = round(self.scroll_y)
        offsets = self._row_offsets()
        if not self.rows or self.cursor >= len(offsets) - 1:
            return
        first, end = offsets[self.cursor], offsets[self.cursor + 1]
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif end > top + visible:
            self.scroll_to(y=max(end - visible, 0), animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        self._move(self.cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 2, 1)
        self._move(self.cursor + direction * page)

    def action_edge(self, end: int) -> None:
        self._move(len(self.rows) - 1 if end else 0)

    def action_choose(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    # -- mouse -------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self._column_at(offset.x + round(self.scroll_x))
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        found = self._row_at_line(round(self.scroll_y) + offset.y - 1)
        if found is not None:
            row = found[0]
            self.focus()
            self._move(row)
            if event.chain >= 2:
                self.action_choose()

    def _column_at(self, x: int) -> str | None:
        position = 1
        for column, width in zip(self.columns, self._fit()):
            if not width:
                continue
            if position <= x < position + width + SEPARATOR:
                return column.key
            position += width + SEPARATOR
        return None

    # -- drawing -------------------------------------------------------------------------
    def _fit(self) -> list[int]:
        """Column widths for the current width: flexible columns shrink first, then the widest text
        columns (never below their label), then flexible columns again; spare room goes to the first
        flexible column.  What still does not fit scrolls horizontally."""
        width = self.scrollable_content_region.width
        if width == self._fitted_for and self._widths:
            return self._widths
        widths = list(self._natural)
        room = width - 2 - SEPARATOR * max(len(widths) - 1, 0)
        columns = self.columns
        flex = [i for i, c in enumerate(columns) if c.flex]
        over = sum(widths) - room

        def shrink(indices: list[int], floor) -> None:
            nonlocal over
            while over > 0:
                candidates = [i for i in indices if widths[i] > floor(i)]
                if not candidates:
                    return
                widest = max(candidates, key=lambda i: widths[i])
                widths[widest] -= 1
                over -= 1

        if over > 0:
            shrink(flex, lambda i: COMFORT_FLEX)
            droppable = sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: -columns[i].drop)
            for i in droppable:
                if over <= 0:
                    break
                over -= widths[i] + SEPARATOR
                widths[i] = 0
            shrink(flex, lambda i: MIN_FLEX)
            shrink(
                [i for i, c in enumerate(columns) if i and not c.flex and not c.right and widths[i]],
                lambda i: cell_len(columns[i].label),
            )
            shrink([0] if columns and not columns[0].flex else [], lambda i: 8)
            shrink(flex, lambda i: 4)
        if over < 0 and flex:
            widths[flex[0]] += -over
        self._widths = widths
        self._fitted_for = width
        return widths

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            strip = self._header(width)
        elif not self.rows:
            strip = self._empty(width) if y == 1 else Strip.blank(width, self.rich_style)
        else:
            found = self._row_at_line(scroll_y + y - 1)
            strip = Strip.blank(width, self.rich_style) if found is None else self._row(*found, width)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _build_line(
        self,
        cells: Sequence[Text | str],
        widths: list[int],
        style: Style,
        width: int,
        row: Row | None = None,
        n: int = 0,
    ) -> Strip:
        """One line of a row: its ``n``-th (wrapping cells go on, the others are blank after the first line)."""
        line = Text(" ", no_wrap=True, end="")
        last = max((i for i, w in enumerate(widths) if w), default=-1)
        for i, (column, w) in enumerate(zip(self.columns, widths)):
            if not w:
                continue  # hidden: the table is too narrow for it
            value: Text | str = cells[i] if i < len(cells) else ""
            if row is not None and column.wrap and cell_width(value) > w:
                lines = self._wrap(row, i, w)
                value = lines[n] if n < len(lines) else ""
            elif n:
                value = ""
            text = Text(value, no_wrap=True, end="") if isinstance(value, str) else value.copy()
            if text.cell_len > w:
                text.truncate(w, overflow="ellipsis")
            pad = w - text.cell_len
            if column.right:
                line.append(" " * pad)
                line.append_text(text)
            else:
                line.append_text(text)
                line.append(" " * pad)
            if i < last:
                line.append(" " * SEPARATOR)
        line.stylize_before(style)
        segments = list(line.render(self.app.console))
        strip = Strip(segments, line.cell_len)
        return strip.adjust_cell_length(max(width, strip.cell_length), style)

    def _header(self, width: int) -> Strip:
        key = (width, tuple(self._fit()), self.sort_column, self.sort_reverse)
        if self._header_cache is not None and self._header_cache[0] == key:
            return self._header_cache[1]
        header_style = self.get_component_rich_style("item-table--header")
        sorted_style = self.get_component_rich_style("item-table--sorted")
        cells = []
        for column in self.columns:
            if column.key == self.sort_column:
                arrow = " ▼" if self.sort_reverse else " ▲"
                cells.append(Text(column.label + arrow, style=sorted_style))
            else:
                cells.append(Text(column.label))
        strip = self._build_line(cells, self._fit(), header_style, width)
        self._header_cache = (key, strip)
        return strip

    def _row(self, index: int, n: int, width: int) -> Strip:
        """Line ``n`` of row ``index``."""
        # cached per row object: rows that stay on screen while filtering are not drawn again
        row = self.rows[index]
        is_cursor = index == self.cursor
        key = (id(row), n, is_cursor, self.has_focus, width, tuple(self._fit()))
        cached = self._lines.get(key)
        if cached is not None and cached[0] is row:
            return cached[1]
        style = self.rich_style
        if row.dim:
            style = style + self.get_component_rich_style("item-table--dim")
        if is_cursor:
            name = "item-table--cursor" if self.has_focus else "item-table--cursor-blurred"
            style = style + self.get_component_rich_style(name)
        strip = self._build_line(row.cells, self._fit(), style, width, row, n)
        if is_cursor:
            # the cursor's colours win over the cells' own foreground colours
            strip = Strip([Segment(t, (s or Style()) + Style(bgcolor=style.bgcolor), c) for t, s, c in strip])
        self._lines[key] = (row, strip)
        return strip

    def _empty(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("item-table--empty")
        text = Text(" " + self.empty_text, style=style, no_wrap=True, end="")
        return Strip(list(text.render(self.app.console)), text.cell_len).adjust_cell_length(width, style)

    def on_focus(self, event: events.Focus) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._lines.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fitted_for = -1
        self._lines.clear()
        self._update_virtual_size()
        self._scroll_to_cursor()
