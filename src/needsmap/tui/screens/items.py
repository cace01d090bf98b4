"""The list screen of one section: a table, type-to-filter, sorting, a detail pane.

:class:`ItemListScreen` is generic; :mod:`needsmap.tui.screens.sections` makes
one per section by declaring its columns, its nested lists (a use case's needs,
a system's holdings and feeds, a process's steps) and what its detail pane adds.

Keys (also in the footer and the command palette):

=============  ======================================================
``/``          filter: type words, every one must appear (Esc clears)
``a``          add an item (a form, checked as you type)
``e`` Enter    edit the selected item
``d``          duplicate it (a form prefilled with a copy)
``x`` Delete   delete it, and every reference to it (asks first; undo restores)
``r``          rename its id; every reference follows
``s`` / ``S``  sort by the next column / reverse; or click a column header
``o``          pick its owner (sections with owners)
``tab``        to the nested list in the detail pane (needs, holdings, ...)
=============  ======================================================

A form saves only the fields the person changed in it, onto the item as it is
when the form is saved (:mod:`needsmap.collab.field_patch`): what the session merged
from someone else meanwhile stays, a field both changed asks "keep mine / take
theirs" (the dialog of merge conflicts), and a nested record is found again by its
key (a holding by its attribute), not by its position.

Typing a letter that is not a key of the screen starts the filter.  Keys typed
ahead of a focus change (``/`` and the words, ``a`` and the name, ``l`` and the
attribute) land where they were meant (:class:`needsmap.tui.app.KeysInTurn`).

The table is :class:`needsmap.tui.widgets.table.ItemTable`: filtering 2,500
rows rebuilds the visible list in a few milliseconds, so it keeps up with typing.
Rows are cached per item (items are never changed in place, an edit replaces
them) and per analysis row, so after an edit only the touched rows are rebuilt.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from needsmap.analysis.engine import Analysis, Gap
from needsmap.collab import field_patch
from needsmap.collab.item_identity import key_of
from needsmap.collab.session import Session, edited
from needsmap.format import spec
from needsmap.format.naming import new_item_id, section_word, subject_kind
from needsmap.tui import is_global_key, linking
from needsmap.tui.formcheck import FormModel, child_record, editable_fields, text_of
from needsmap.tui.widgets.dialogs import ConfirmDialog, ask_keep_or_take
from needsmap.tui.widgets.forms import ItemForm, RenameDialog, claim_draft, draft_session, restorable_drafts
from needsmap.tui.widgets.picker import LinkPicker, owner_picker
from needsmap.tui.widgets.table import Column, ItemTable, Row, cell_plain, cell_width, plain
from needsmap.util.text import one_line, terminal

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp


READINESS_STYLE = {"ready": "bold green", "at-risk": "bold yellow", "blocked": "bold red"}
SEVERITY_STYLE = {"error": "bold $text-error", "warning": "bold $text-warning", "info": "$text-muted"}
SEVERITY_ICON = {"error": "✗", "warning": "!", "info": "·"}


def safe(text: object) -> str:
    return terminal(one_line("" if text is None else str(text)))


# -- what the analysis says, looked up per item ----------------------------------------------------
class Facts:
    """Lookups over one :class:`~needsmap.analysis.engine.Analysis`, shared by all list screens."""

    _last: ClassVar[tuple[Analysis, Facts] | None] = None

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.readiness = analysis.readiness
        self.attributes = {row.id: row for row in analysis.attributes}
        self.systems = {row.id: row for row in analysis.systems}
        self.gaps: dict[tuple[str, str], list[Gap]] = defaultdict(list)
        for gap in analysis.gaps:
            for subject in dict.fromkeys(gap.subjects):
                self.gaps[subject].append(gap)

    @classmethod
    def of(cls, analysis: Analysis) -> Facts:
        last = cls._last
        if last is not None and last[0] is analysis:
            return last[1]
        facts = cls(analysis)
        cls._last = (analysis, facts)
        return facts

    def gaps_about(self, section: str, ident: str) -> list[Gap]:
        return self.gaps.get((subject_kind(section), ident), [])


# -- columns ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ListColumn:
    """One column of a list screen: how to get its value, show it and sort on it."""

    key: str
    label: str
    get: Callable[[Any, Facts], object]
    show: Callable[[object], Text | str] | None = None
    order: Sequence[str] = ()  # sort these values in this order (enums), others after
    max_width: int = 30
    flex: bool = False
    right: bool = False
    drop: int = 0  # hidden first when the screen is narrow (highest first; 0: always shown)
    wrap: bool = False  # a long value goes on over the next lines of its row (names, titles) instead of being cut

    def column(self) -> Column:
        return Column(self.key, self.label, self.max_width, self.flex, self.right, self.drop, self.wrap)

    def cell(self, value: object) -> Text | str:
        if self.show is not None:
            return self.show(value)
        return plain(value)

    def sort_key(self, value: object):
        if value is None or value == "":
            return (1, 0, "")
        if self.order:
            try:
                return (0, self.order.index(str(value)), "")
            except ValueError:
                return (0, len(self.order), str(value).casefold())
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (0, value, "")
        return (0, 0, str(value).casefold())


def attr(name: str) -> Callable[[Any, Facts], object]:
    return lambda item, facts: getattr(item, name)


#: The drop priority of the id column of a list that shows names: above every other column's.
ID_DROP = 100


def field_column(name: str, max_width: int, **options: Any) -> ListColumn:
    """A column of one field of the item, headed by the field's name."""
    return ListColumn(name, name, attr(name), max_width=max_width, **options)


def effective_column(name: str, max_width: int, **options: Any) -> ListColumn:
    """A column of a field's effective value (the default when the file leaves it out), headed by its name."""
    return ListColumn(name, name, attr(f"effective_{name}"), max_width=max_width, **options)


def count_column(name: str, get: Callable[[Any, Facts], object], max_width: int, **options: Any) -> ListColumn:
    """A right-aligned column of counts (a dim dot for none)."""
    return ListColumn(name, name, get, show=count_cell, right=True, max_width=max_width, **options)


def gaps_column(section: str) -> ListColumn:
    """How many gaps of the analysis are about the item."""

    def gaps(item: Any, facts: Facts) -> int:
        return len(facts.gaps_about(section, item.id))

    return ListColumn("gaps", "gaps", gaps, show=gaps_cell, right=True, max_width=5)


@functools.lru_cache(maxsize=4096)
def styled(text: str, style: str = "") -> Text:
    """A shared styled cell (cells are never changed: the table copies them before truncating)."""
    return Text(text, style=style, no_wrap=True, end="")


def readiness_cell(value: object) -> Text | str:
    if not value:
        return styled("—", "dim")
    return styled(str(value), READINESS_STYLE.get(str(value), ""))


def count_cell(value: object) -> Text | str:
    if not value:
        return styled("·", "dim")
    return str(value)


def gaps_cell(value: object) -> Text | str:
    if not value:
        return styled("·", "dim")
    return styled(str(value), "yellow")


@dataclass(frozen=True, slots=True)
class SubList:
    """A nested list shown in the detail pane: a use case's needs, a system's holdings..."""

    child: str  # the field holding the nested records
    title: str
    table: type[SubTable]


class SubTable(ItemTable):
    """A nested list in the detail pane; its keys act on the selected nested record, its columns are ``COLUMNS``."""

    COLUMNS: ClassVar[tuple[Column, ...]] = ()

    BINDINGS = [
        Binding("e", "screen.edit_child", "Edit"),
        Binding("x,delete", "screen.delete_child", "Remove"),
        Binding("escape", "screen.focus_items", "Back to the list", show=False),
    ]

    def on_item_table_selected(self, event: ItemTable.Selected) -> None:
        event.stop()
        if isinstance(self.screen, ItemListScreen):  # always: a sub-table is shown by a list screen
            self.screen.action_edit_child()


# -- the screen -----------------------------------------------------------------------------------
class ItemListScreen(Screen):
    """A list of the items of one section; subclasses set the class attributes below."""

    app: OpenApp

    CSS_PATH = ["items.tcss"]

    SECTION: ClassVar[str] = ""
    #: the width of the id column: every list shows the id first and the number of gaps last
    ID_WIDTH: ClassVar[int] = 20
    #: the columns between the id and the gaps
    FIELDS: ClassVar[tuple[ListColumn, ...]] = ()
    #: all the columns, made from the three above when the subclass is defined
    COLUMNS: ClassVar[tuple[ListColumn, ...]] = ()
    SUBLISTS: ClassVar[tuple[SubList, ...]] = ()
    #: fields shown at the top of the detail pane as the heading ("name" / "title" / "text")
    NAME_FIELD: ClassVar[str] = "name"
    #: the form for adding and editing an item (attributes: one that offers the reference catalog)
    FORM: ClassVar[type[ItemForm]] = ItemForm

    BINDINGS = [
        Binding("slash,ctrl+f", "focus_filter", "Filter", key_display="/"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "duplicate", "Duplicate", show=False),
        Binding("x,delete", "delete", "Delete", key_display="x"),
        Binding("r", "rename", "Rename id", show=False),
        Binding("s", "sort", "Sort", show=False),
        Binding("S", "sort_reverse", "Reverse sort", show=False),
    ]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # where the list shows a name or title, the id is the first column to go when the list is narrow
        # (the detail pane beside it shows the id of the selected item)
        named = any(c.key == cls.NAME_FIELD for c in cls.FIELDS)
        id_column = field_column("id", cls.ID_WIDTH, drop=ID_DROP if named else 0)
        cls.COLUMNS = (id_column, *cls.FIELDS, gaps_column(cls.SECTION))

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.add_class("item-list-screen")
        self._rows: list[Row] = []
        self._search: list[str] = []
        self._ids: list[str] = []
        self._cache: dict[int, tuple[object, tuple, Row, str, tuple[int, ...]]] = {}
        self._widths: list[int] = []
        self._sort: str | None = None
        self._reverse = False
        self._order: list[int] = []
        self._filter = ""
        self._stale = True
        self._selected: str | None = None
        self._shown_detail: tuple | None = None

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self.app.session

    @property
    def items(self) -> list:
        return self.session.workshop.section(self.SECTION)

    @property
    def facts(self) -> Facts:
        """The app's latest analysis (computed off the UI thread; may trail the last edit briefly)."""
        analysis = getattr(self.app, "analysis", None)
        return Facts.of(analysis if analysis is not None else self.session.analysis)

    @property
    def table(self) -> ItemTable:
        return self.query_one("#items", ItemTable)

    def compose(self) -> ComposeResult:
        with Horizontal(id="item-screen"):
            with Vertical(id="list-pane"):
                with Horizontal(classes="filter-line"):
                    yield Static("Filter", classes="filter-label")
                    yield Input(placeholder="type to filter: part of a name, id, owner...", id="filter")
                    yield Static("", id="list-status", classes="filter-label")
                yield ItemTable(
                    [c.column() for c in self.COLUMNS],
                    id="items",
                    empty_text=f"no {self.SECTION.replace('_', ' ')} yet: press a to add one",
                )
            with VerticalScroll(id="detail-pane") as detail:
                detail.can_focus = False  # tab goes from the list to the nested lists
                yield Static("", id="detail-heading")
                yield Static("", id="detail-fields")
                for sub in self.SUBLISTS:
                    yield Label(sub.title, classes="sub-title", id=f"title-{sub.child}")
                    yield sub.table(
                        sub.table.COLUMNS, id=f"sub-{sub.child}", classes="sub-table", empty_text="none yet"
                    )
                    yield Static("", id=f"subdetail-{sub.child}", classes="sub-detail")
                yield Static("", id="detail-extra")
                yield Static("", id="detail-gaps")

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()
        drafts = restorable_drafts(self.session.path, draft_session(self.app))
        found = next((d for d in drafts if d.key.section == self.SECTION), None)
        if found is not None:
            key = found.key
            verb = "e on " + key.ident if key.ident else "a"
            self.notify(
                f"needsmap stopped while '{found.title}' was being typed: press {verb} to go on with it",
                timeout=10,
                markup=False,
            )

    # the app calls these after every edit, undo, redo or reload, and when the analysis is ready
    def workshop_changed(self) -> None:
        self._stale = True
        if self.is_mounted:
            self.reload()

    def analysis_changed(self) -> None:
        self.workshop_changed()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self._stale and self.is_mounted:
            self.reload()

    # -- rows ------------------------------------------------------------------------------------
    def row_facts(self, item, facts: Facts) -> tuple:
        """What a row shows from the analysis (rows are rebuilt when this changes)."""
        return (len(facts.gaps_about(self.SECTION, item.id)),)

    def search_text(self, item) -> str:
        """Extra text the filter looks in, beyond the columns (synonyms, role...)."""
        return ""

    def row_dim(self, item) -> bool:
        return False

    def reload(self) -> None:
        """Rebuild the rows from the session (cached per item), then filter and sort."""
        self._stale = False
        facts = self.facts
        items = self.items
        cache = self._cache
        fresh: dict[int, tuple[object, tuple, Row, str, tuple[int, ...]]] = {}
        rows: list[Row] = []
        search: list[str] = []
        all_widths: list[tuple[int, ...]] = [tuple(len(c.label) for c in self.COLUMNS)]
        seen: dict[str, int] = {}
        for item in items:
            key = id(item)
            wanted = self.row_facts(item, facts)
            hit = cache.get(key)
            if hit is not None and hit[0] is item and hit[1] == wanted:
                _, _, row, text, widths = hit
            else:
                values = [c.get(item, facts) for c in self.COLUMNS]
                cells = [c.cell(v) for c, v in zip(self.COLUMNS, values)]
                row = Row(item.id, cells, self.row_dim(item))
                text = " ".join([*(cell_plain(t) for t in cells), safe(self.search_text(item))]).casefold()
                widths = tuple(cell_width(t) for t in cells)
            if item.id in seen:  # never in a valid file; keep keys unique anyway
                seen[item.id] += 1
                row = Row(f"{item.id}#{seen[item.id]}", row.cells, row.dim)
            else:
                seen[item.id] = 1
            fresh[key] = (item, wanted, row, text, widths)
            rows.append(row)
            search.append(text)
            all_widths.append(widths)
        self._cache = fresh
        self._rows, self._search = rows, search
        self._shown_detail = None  # the item or what the analysis says about it may have changed
        self._ids = [item.id for item in items]
        self._widths = [max(column) for column in zip(*all_widths)]
        self._sort_rows()
        self._apply_filter()

    def _sort_rows(self) -> None:
        order = list(range(len(self._rows)))
        if self._sort is not None:
            column = next(c for c in self.COLUMNS if c.key == self._sort)
            facts = self.facts
            items = self.items
            keys = [column.sort_key(column.get(item, facts)) for item in items]
            order.sort(key=keys.__getitem__, reverse=self._reverse)
            if self._reverse:  # empty values stay at the bottom
                order.sort(key=lambda i: keys[i][0])
        self._order = order

    def _apply_filter(self) -> None:
        terms = self._filter.casefold().split()
        search = self._search
        if terms:
            shown = [self._rows[i] for i in self._order if all(t in search[i] for t in terms)]
        else:
            shown = [self._rows[i] for i in self._order]
        table = self.table
        table.set_sort(self._sort, self._reverse)
        table.set_rows(shown, keep=self._selected, widths_from=None, widths=self._widths)
        self._status(len(shown))
        self._show_detail()

    def _status(self, shown: int) -> None:
        total = len(self._rows)
        parts: list[str | tuple[str, str]] = []
        if shown != total:
            parts += [(f"{shown:,}", "bold"), f" of {total:,}"]
        else:
            parts.append((f"{total:,}", "bold"))
        if self._sort:
            label = next(c.label for c in self.COLUMNS if c.key == self._sort)
            parts.append((f"  by {label}{' ▼' if self._reverse else ''}", "dim"))
        self.query_one("#list-status", Static).update(Content.assemble(*parts))

    # -- filter ------------------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter: the top match is selected and the list has the focus (Enter again edits it)."""
        event.stop()
        table = self.table
        if self._filter.strip() and table.rows:
            table.move_to(table.rows[0].key)
        table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Type-to-filter (keys typed in a burst wait for the focus to move: see needsmap.tui.app.KeysInTurn)."""
        filt = self.query_one("#filter", Input)
        if self.focused is self.table and event.key in ("slash", "ctrl+f"):
            event.stop()
            event.prevent_default()
            filt.focus()
            return
        if self.focused is filt:
            # Escape or Down in the filter goes back to the table (Escape clears the filter first)
            if event.key in ("escape", "down"):
                event.stop()
                event.prevent_default()
                if event.key == "escape" and filt.value:
                    filt.value = ""
                self.table.focus()
            return
        if self.focused is self.table and event.key == "escape" and filt.value:
            event.stop()
            event.prevent_default()
            filt.value = ""  # Escape on the list clears the filter too
            return
        # typing on the table goes to the filter (keys bound to something keep their meaning)
        if self.focused is not self.table or not event.is_printable or not event.character:
            return
        if is_global_key(event.key) or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        filt.focus()
        self.app.keys.again(event)  # typed into the filter once it has the focus

    def action_focus_items(self) -> None:
        self.table.focus()

    # -- sort ---------------------------------------------------------------------------------------
    def sort_by(self, key: str | None, reverse: bool = False) -> None:
        self._sort, self._reverse = key, reverse
        self._sort_rows()
        self._apply_filter()

    def action_sort(self) -> None:
        keys = [c.key for c in self.COLUMNS]
        nxt = keys[0] if self._sort is None else (keys[(keys.index(self._sort) + 1) % len(keys)])
        self.sort_by(nxt, False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self._sort or self.COLUMNS[0].key, not self._reverse)

    @on(ItemTable.HeaderClicked, "#items")
    def _header_clicked(self, event: ItemTable.HeaderClicked) -> None:
        event.stop()
        self.sort_by(event.column, not self._reverse if event.column == self._sort else False)

    # -- selection and the two contracts of the app --------------------------------------------------
    def current(self):
        """The selected item, or None."""
        key = self.table.cursor_key
        if key is None:
            return None
        ident = key.split("#", 1)[0] if key not in self._ids else key
        try:
            return self.session.item(self.SECTION, ident)
        except KeyError:
            return None

    def selected_subject(self) -> tuple[str, str] | None:
        """(section, id) of the selected item, for quick notes."""
        item = self.current()
        return (self.SECTION, item.id) if item is not None else None

    def select(self, item_id: str) -> bool:
        """Show and select the item ``item_id`` (clearing the filter when it hides it); False if there is none."""
        if self._stale:
            self.reload()
        table = self.table
        found = table.move_to(item_id)
        if not found and item_id in self._ids:
            filt = self.query_one("#filter", Input)
            self._filter = ""
            with filt.prevent(Input.Changed):
                filt.value = ""
            self._apply_filter()
            found = table.move_to(item_id)
        if found:
            self._selected = item_id
            self._show_detail()
        table.focus()
        return found

    @on(ItemTable.Highlighted, "#items")
    def _highlighted(self, event: ItemTable.Highlighted) -> None:
        event.stop()
        self._selected = event.key
        self._show_detail()

    @on(ItemTable.Selected, "#items")
    def _chosen(self, event: ItemTable.Selected) -> None:
        event.stop()
        self.action_edit()

    # -- the detail pane ----------------------------------------------------------------------------
    def _show_detail(self, force: bool = False) -> None:
        item = self.current()
        facts = self.facts
        key = (id(item), item, id(facts))
        if (
            not force
            and self._shown_detail is not None
            and self._shown_detail[0] == key[0]
            and self._shown_detail[1] is item
            and self._shown_detail[2] == key[2]
        ):
            return
        self._shown_detail = (key[0], item, key[2])
        heading = self.query_one("#detail-heading", Static)
        fields = self.query_one("#detail-fields", Static)
        extra = self.query_one("#detail-extra", Static)
        gaps = self.query_one("#detail-gaps", Static)
        if item is None:
            heading.update(Content.styled("nothing selected", "dim"))
            fields.update("")
            extra.update("")
            gaps.update("")
            for sub in self.SUBLISTS:
                self.query_one(f"#sub-{sub.child}", ItemTable).set_rows([])
                self.query_one(f"#title-{sub.child}", Label).update(Content.styled(sub.title, "bold"))
            return
        name = getattr(item, self.NAME_FIELD, "") or ""
        heading.update(Content.assemble((safe(name) or safe(item.id), "bold"), "  ", (safe(item.id), "dim")))
        fields.update(self.describe(item))
        for sub in self.SUBLISTS:
            table = self.query_one(f"#sub-{sub.child}", ItemTable)
            rows = self.sub_rows(sub.child, item, facts)
            table.fit_height = 14  # as high as its rows (which may wrap over several lines), up to 14 lines
            table.set_rows(rows, keep=table.cursor_key)
            self._show_sub_detail(table)
            self.query_one(f"#title-{sub.child}", Label).update(
                Content.assemble((sub.title, "bold"), (f"  {len(rows)}", "dim"), ("  " + self.sub_hint(sub), "dim"))
            )
        extra.update(self.detail_extra(item, facts))
        gaps.update(self.gaps_text(item, facts))

    def describe(self, item) -> Content:
        """The item's fields, one per line (nested lists are shown below as tables)."""
        lines: list[Content] = []
        for fld in editable_fields(spec.ITEM_RECORDS[self.SECTION]):
            if fld.key in ("id", self.NAME_FIELD):
                continue
            value = getattr(item, fld.attr)
            if value is None or value == [] or value == "":
                continue
            text = text_of(value, fld.shape)
            if isinstance(fld.shape, spec.Scalar) and fld.shape.multiline:
                text = " ".join(text.split())
            lines.append(Content.assemble((f"{fld.key}: ", "dim"), safe(text)))
        return Content("\n").join(lines) if lines else Content.styled("no details yet: press e", "dim")

    def detail_extra(self, item, facts: Facts) -> Content:
        """What the analysis says about the item (subclasses)."""
        return Content("")

    def gaps_text(self, item, facts: Facts) -> Content:
        gaps = facts.gaps_about(self.SECTION, item.id)
        if not gaps:
            return Content.assemble(("Gaps  ", "bold"), ("none", "dim"))
        lines = [Content.assemble(("Gaps  ", "bold"), (f"{len(gaps)}", "dim"))]
        for gap in gaps[:30]:
            lines.append(
                Content.assemble((f"{SEVERITY_ICON[gap.severity]} ", SEVERITY_STYLE[gap.severity]), safe(gap.message))
            )
        if len(gaps) > 30:
            lines.append(Content.styled(f"... and {len(gaps) - 30} more (Gaps screen)", "dim"))
        return Content("\n").join(lines)

    def sub_rows(self, child: str, item, facts: Facts) -> list[Row]:
        return []

    def sub_detail(self, child: str, item, index: int, facts: Facts) -> Content:
        """All of one nested record (shown under its list while the list has focus)."""
        rec = child_record(self.SECTION, child)
        record = getattr(item, child)[index]
        lines = []
        for fld in editable_fields(rec):
            value = getattr(record, fld.attr)
            if value is None or value == [] or value == "":
                continue
            lines.append(Content.assemble((f"{fld.key}: ", "dim"), safe(text_of(value, fld.shape))))
        return Content("\n").join(lines)

    def _show_sub_detail(self, table: ItemTable) -> None:
        child = (table.id or "").removeprefix("sub-")
        box = self.query_one(f"#subdetail-{child}", Static)
        item = self.current()
        if self.focused is not table or item is None or table.cursor_key is None:
            box.display = False
            return
        index = int(table.cursor_key)
        if index >= len(getattr(item, child)):
            box.display = False
            return
        box.update(self.sub_detail(child, item, index, self.facts))
        box.display = True

    @on(ItemTable.Highlighted, ".sub-table")
    def _sub_highlighted(self, event: ItemTable.Highlighted) -> None:
        event.stop()
        self._show_sub_detail(event.table)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for sub in self.SUBLISTS:
            self._show_sub_detail(self.query_one(f"#sub-{sub.child}", ItemTable))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, ItemTable) and event.widget.has_class("sub-table"):
            self.call_after_refresh(self._show_sub_detail, event.widget)

    def sub_hint(self, sub: SubList) -> str:
        return ""

    # -- editing the items -------------------------------------------------------------------------
    def _model(self, index: int | None = None, **kwargs) -> FormModel:
        return FormModel(self.session.workshop, self.SECTION, index, filename=str(self.session.path), **kwargs)

    def action_add(self) -> None:
        word = section_word(self.SECTION)
        self._open_form(self._model(), f"New {word}")

    def action_edit(self) -> None:
        item = self.current()
        if item is None:
            self.action_add()
            return
        self._open_form(
            self._model(self.session.find(self.SECTION, item.id)), f"{section_word(self.SECTION)} {item.id}"
        )

    def action_duplicate(self) -> None:
        item = self.current()
        if item is None:
            return
        model = self._model(template=item)
        values = model.initial(item)
        values["id"] = new_item_id(self.SECTION, item.id, {i.id for i in self.items}, words=99)
        self._open_form(model, f"Copy of {section_word(self.SECTION)} {item.id}", values=values)

    def _form(self, model: FormModel, title: str, values: dict | None = None) -> ItemForm:
        """The form, filled with the draft left for it when needsmap stopped before it was saved.

        Only this session's draft or a stopped session's (claimed first, so no other session restores it too).
        """
        path = self.session.path
        form = self.FORM(model, title=title, values=values, draft=path)
        me = draft_session(self.app)
        for draft in restorable_drafts(path, me):
            if draft.key != form.draft_key():
                continue
            found = claim_draft(path, draft, me)
            if found is None:
                continue  # another session claimed it a moment ago
            form = self.FORM(
                model,
                title=title,
                values={**model.initial(), **found.values},
                draft=path,
                suggest_ids=False,
                baseline={**model.initial(), **found.start} if found.start is not None else None,
            )
            self.notify("Restored what was being typed in this form when needsmap stopped", timeout=6)
            break
        return form

    def push(self, screen: Screen, callback: Callable | None = None) -> None:
        """Open a form, picker or dialog (the keys typed after the key that opened it go into it)."""
        self.app.push_screen(screen, callback)

    def _open_form(self, model: FormModel, title: str, values: dict | None = None) -> None:
        form = self._form(model, title, values)

        def done(result) -> None:
            if result is None:
                return
            self._save(model, result, form.edited)

        self.push(form, done)

    def _save(self, model: FormModel, new, edited_attrs: list[str]) -> None:
        """Save a form: a new item is added; an edit changes only the fields the person changed
        (``edited_attrs``), on the item as it is now (someone else's changes merged meanwhile stay)."""
        session = self.session
        word = section_word(self.SECTION)
        if model.original is None:
            session.add(self.SECTION, new, label=f"add {word} {new.id}")
            self._tell(Content.assemble("added ", (safe(new.id), "bold")), timeout=2)
            self._after_edit(new.id)
            return
        old = model.original
        saved = field_patch.save_edit(session, self.SECTION, old, new, edited_attrs, f"edit {word} {old.id}")
        if saved is None:  # deleted while the form was open (undo, or someone else): keep what was typed
            session.add(self.SECTION, new, label=f"add {word} {new.id}")
            self.notify("the item had gone meanwhile; your version was added back", severity="warning")
            self._after_edit(new.id)
            return
        if saved.id_taken:
            self.notify(f"{new.id} was taken meanwhile; {old.id} keeps its id", severity="error", markup=False)
        self._after_edit(saved.ident)
        if saved.conflicts:
            ask_keep_or_take(self.app, saved.conflicts, lambda: field_patch.take_theirs(session, self.SECTION, saved))

    def _take_theirs_nested(
        self, ident: str, child: str, saved: Any, patch: field_patch.FieldPatch, clash: tuple[str, ...], theirs
    ) -> None:
        """Put their values back for the fields in conflict of a nested record (``saved``, as the form saved it,
        in the list ``child`` of item ``ident``), where nothing changed them since the form was saved."""
        session = self.session
        try:
            index = session.find(self.SECTION, ident)
        except KeyError:
            return  # gone since
        item = self.items[index]
        back = field_patch.theirs_instead(patch, clash, theirs)
        records = list(getattr(item, child))
        at = field_patch.find_same(records, saved, child_record(self.SECTION, child))
        if at is None:
            return
        result = field_patch.apply(back, records[at], keep_current=field_patch.conflicts(back, records[at]))
        if result is not records[at]:
            records[at] = result
            session.update(self.SECTION, index, label=f"take their values for {child} of {ident}", **{child: records})

    def _after_edit(self, ident: str) -> None:
        self._selected = ident
        if self._stale:
            self.reload()
        self.select(ident)

    def action_delete(self) -> None:
        item = self.current()
        if item is None:
            return
        session = self.session
        refs = linking.references(session, self.SECTION, item.id)
        name = getattr(item, self.NAME_FIELD, "") or ""
        question = Text.assemble(f"Delete {section_word(self.SECTION)} ", (safe(item.id), "bold"))
        if name and name != item.id:
            question.append(f" ({safe(name)[:60]})")
        question.append("?")
        if refs:
            shown = ", ".join(refs[:4]) + (f" and {len(refs) - 4} more" if len(refs) > 4 else "")
            question.append(f"\n\n{len(refs)} reference(s) to it go too: {safe(shown)}.")
        question.append("\n\nctrl+z brings it all back.", style="dim")
        ident = item.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            position = self.table.cursor
            count = linking.delete(self.session, self.SECTION, ident)
            self._tell(
                Content.assemble(
                    "deleted ",
                    (safe(ident), "bold"),
                    f" and {count} reference(s)" if count else "",
                    " · ctrl+z to undo",
                ),
                timeout=4,
            )
            self._selected = None
            self.reload()
            table = self.table
            if table.row_count:
                table.move_to(table.keys[min(position, table.row_count - 1)])

        self.push(ConfirmDialog(question, confirm="Delete", cancel="Keep", title="Delete"), answered)

    def action_rename(self) -> None:
        item = self.current()
        if item is None:
            return
        model = self._model(self.session.find(self.SECTION, item.id))
        refs = len(linking.references(self.session, self.SECTION, item.id))
        old = item.id

        def done(new: str | None) -> None:
            if not new or new == old:
                return
            changed = self.session.rename(self.SECTION, old, new)
            self._tell(
                Content.assemble(
                    "renamed ",
                    (safe(old), "bold"),
                    " to ",
                    (safe(new), "bold"),
                    f"; {changed - 1} item(s) that refer to it follow",
                ),
                timeout=3,
            )
            self._after_edit(new)

        self.push(RenameDialog(model, references=refs), done)

    def action_owner(self) -> None:
        item = self.current()
        if item is None or "owner" not in spec.ITEM_RECORDS[self.SECTION].by_key:
            return
        self.open_picker(owner_picker(self.session, self.SECTION, item.id))

    def open_picker(self, picker: LinkPicker, then: Callable[[str | None], None] | None = None) -> None:
        selected = self._selected

        def done(result: str | None) -> None:
            self._selected = selected
            if self._stale:
                self.reload()
            if then is not None:
                then(result)

        self.push(picker, done)

    # -- editing nested records ----------------------------------------------------------------------
    def focused_sub(self) -> tuple[SubList, ItemTable] | None:
        for sub in self.SUBLISTS:
            table = self.query_one(f"#sub-{sub.child}", ItemTable)
            if self.focused is table:
                return sub, table
        return None

    def _child_target(self) -> tuple[SubList, int, int] | None:
        """(sub-list, item index, child index) of the nested record selected in a focused sub-table."""
        found = self.focused_sub()
        item = self.current()
        if found is None or item is None:
            return None
        sub, table = found
        key = table.cursor_key
        if key is None:
            return None
        return sub, self.session.find(self.SECTION, item.id), int(key)

    def _child_records(self) -> tuple[SubList, Any, int, list[Any], int] | None:
        """The selected nested record: (sub-list, item, item index, a copy of the item's list, index in it)."""
        target = self._child_target()
        if target is None:
            return None
        sub, index, child = target
        item = self.items[index]
        return sub, item, index, list(getattr(item, sub.child)), child

    def action_edit_child(self) -> None:
        target = self._child_target()
        if target is None:
            return
        sub, index, child = target
        model = self._model(index, child=sub.child, child_index=child)
        self._open_child_form(model, f"{model.record.word} #{child + 1} of {self.items[index].id}")

    def add_child(self, child: str) -> None:
        item = self.current()
        if item is None:
            return
        model = self._model(self.session.find(self.SECTION, item.id), child=child)
        self._open_child_form(model, f"New {model.record.word} of {item.id}")

    def _open_child_form(self, model: FormModel, title: str) -> None:
        parent_id = model.parent.id
        assert model.child is not None  # the form of a nested record (add_child, edit_child)
        form = self._form(model, title)

        def done(result) -> None:
            if result is None:
                return
            self._save_child(model, parent_id, result, form.edited)

        self.push(form, done)

    def _save_child(self, model: FormModel, parent_id: str, new, edited_attrs: list[str]) -> None:
        """Save a nested record's form: added, or only the fields the person changed patched onto the
        record as it is now, found in the item by its key (it may have moved since the form opened)."""
        session = self.session
        child = model.child
        assert child is not None  # the form of a nested record
        try:
            index = session.find(self.SECTION, parent_id)
        except KeyError:
            self.notify(f"{parent_id} is gone; nothing saved", severity="error", markup=False)
            return
        records = list(getattr(self.items[index], child))
        old = model.original
        at = None if old is None else field_patch.find_same(records, old, model.record, model.child_index)
        if old is None or at is None:
            if old is not None:
                self.notify(
                    f"the {model.record.word} had gone meanwhile; your version was added back", severity="warning"
                )
            records.append(new)
            session.update(self.SECTION, index, label=f"add {child} of {parent_id}", **{child: records})
            self._after_child(child, len(records) - 1)
            return
        patch = field_patch.diff(old, new, edited_attrs)
        current = records[at]
        clash = field_patch.conflicts(patch, current)
        result = field_patch.apply(patch, current)
        if result is not current:
            records[at] = result
            session.update(self.SECTION, index, label=f"edit {child} of {parent_id}", **{child: records})
        self._after_child(child, at)
        if clash:
            where = f"{child}[{key_of(current, model.record) or at}]"
            entries = field_patch.conflict_entries(patch, clash, current, model.record, self.SECTION, parent_id, where)
            ask_keep_or_take(
                self.app, entries, lambda: self._take_theirs_nested(parent_id, child, result, patch, clash, current)
            )

    def _tell(self, message: Content, timeout: float) -> None:
        """A toast of styled text that is never read as markup (ids and names stay text)."""
        # notify is typed str, but Textual's toast shows a Content as it is (Content.from_markup passes it on)
        self.notify(message, timeout=timeout)  # type: ignore[arg-type]  # a Content: see the line above

    def _after_child(self, child: str, child_index: int | None) -> None:
        if self._stale:
            self.reload()
        table = self.query_one(f"#sub-{child}", ItemTable)
        if table.row_count:
            table.move_to(str(child_index if child_index is not None else table.row_count - 1))
        table.focus()

    def action_delete_child(self) -> None:
        found = self._child_records()
        if found is None:
            return
        sub, item, index, records, child = found
        gone = records.pop(child)
        word = child_record(self.SECTION, sub.child).name
        what = getattr(gone, "attribute", None) or getattr(gone, "to", None) or getattr(gone, "name", "")
        self.session.update(self.SECTION, index, label=f"remove {word} {what} of {item.id}", **{sub.child: records})
        self._tell(Content.assemble(f"removed {word} ", (safe(what), "bold"), " · ctrl+z to undo"), timeout=3)
        self._after_child(sub.child, min(child, len(records) - 1) if records else None)

    def action_set_child(self, field: str, value: str) -> None:
        self.set_child_field(field, value)

    def set_child_field(self, field: str, value: str) -> None:
        """One key changes a field of the selected nested record (a need's criticality, a holding's role)."""
        found = self._child_records()
        if found is None:
            return
        sub, item, index, records, child = found
        if getattr(records[child], field) == value:
            return
        records[child] = edited(records[child], **{field: value})
        what = getattr(records[child], "attribute", "")
        self.session.update(self.SECTION, index, label=f"{what} {field} {value} in {item.id}", **{sub.child: records})
        self._after_child(sub.child, child)
