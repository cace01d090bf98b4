"""Review import proposals: one key per decision on a review file of ``needsmap import ddl|db --review``.

Opened with ``needsmap open FILE --review REVIEW.yaml`` or the command
palette's "Review import proposals" (which asks for the file).  Each row is
one column of the source system and the attribute proposed for it:

* ``a`` accept the proposal, ``r`` reject it, ``m`` map the column to another
  attribute (a fuzzy picker over the workshop's attributes and the reference
  catalog); each decision is written to the review file at once;
* ``u`` shows only the undecided rows (``review``) or all again;
* Enter or ``ctrl+s`` applies the decisions to the open workshop as one undo
  step (the same plan as ``needsmap import apply``) and closes the screen;
  Escape closes it without applying (the decisions stay in the file).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePath

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from needsmap.format import model as m
from needsmap.imports.column_evidence import confidence_text
from needsmap.imports.plan import PlanError, apply_plan
from needsmap.imports.review import Review, ReviewError, plan_review, read_review, save_review
from needsmap.tui import plain
from needsmap.tui.widgets.picker import Candidate, PickIndex
from needsmap.util.text import one_line, terminal

_DECISION_STYLE = {"accept": "green", "reject": "dim", "review": "yellow bold"}


def _safe(text: object) -> str:
    return terminal(one_line("" if text is None else str(text)))


def attribute_choices(ws: m.Workshop) -> list[Candidate]:
    """The workshop's attributes, then the catalog entries it does not have, for the re-map picker."""
    from needsmap.catalog.entries import load_catalog

    out = [Candidate(a.id, a.name or a.id, "attributes", tuple(a.synonyms), "workshop") for a in ws.attributes]
    have = {a.id for a in ws.attributes}
    out += [
        Candidate(e.id, e.name, "attributes", tuple(e.synonyms), f"catalog · {e.entity}")
        for e in load_catalog().entries
        if e.id not in have
    ]
    return out


#: The dialogs' look (a box in the middle of a dimmed screen), then this screen's own rules.
_DIALOG_CSS: list[str | PurePath] = ["../widgets/dialogs.tcss", "import_review.tcss"]  # Screen.CSS_PATH's type


class AttributePicker(ModalScreen[str | None]):
    """Type to filter, Up/Down to move, Enter picks, Escape cancels."""

    CSS_PATH = _DIALOG_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, column: str, candidates: list[Candidate], query: str = "") -> None:
        super().__init__(classes="nm-dialog")
        self.column = column
        self.index = PickIndex(candidates)
        self.query_text = query
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="review-picker-box"):
            yield Static(
                Text.assemble("Map ", (_safe(self.column), "bold"), " to which attribute?"), classes="dialog-title"
            )
            yield Input(value=self.query_text, placeholder="type a name, id or synonym", id="review-picker-input")
            yield OptionList(id="review-picker-options")
            yield Static("Enter picks, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self._refilter(self.query_text)
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def _refilter(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        self.shown = []
        for match in self.index.rank(text, limit=30):
            c = match.candidate
            label = Text.assemble((_safe(c.name), "bold"), f"  {_safe(c.id)}", (f"  {_safe(c.note)}", "dim"))
            options.add_option(Option(label))
            self.shown.append(c.id)
        if self.shown:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            options.highlighted = max(0, min(len(self.shown) - 1, (options.highlighted or 0) + step))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(OptionList).highlighted
        if self.shown and highlighted is not None:
            self.dismiss(self.shown[highlighted])

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportReviewScreen(Screen[None]):
    """The proposals of one review file, a decision each."""

    CSS_PATH = "import_review.tcss"
    AUTO_FOCUS = "#review-table"
    BINDINGS = [
        Binding("a", "decide('accept')", "Accept"),
        Binding("r", "decide('reject')", "Reject"),
        Binding("m", "remap", "Re-map"),
        Binding("u", "toggle_undecided", "Undecided only"),
        Binding("ctrl+s", "apply", "Apply", priority=True),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.review: Review | None = None
        self.error: str | None = None
        self.only_undecided = False
        self.rows: list[str] = []  # table.column of each table row

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", classes="heading")
        table: DataTable[Text] = DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        # the decision first: on a narrow terminal the end of the row is cut (or scrolled), never the decision
        for key, label in (
            ("decision", "decision"),
            ("confidence", "conf."),
            ("attribute", "attribute"),
            ("column", "column"),
            ("reason", "reason"),
        ):
            table.add_column(label, key=key)
        yield table
        yield Static(id="review-detail")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.review = read_review(self.path)
        except ReviewError as exc:
            self.error = str(exc)
        first = next((p.key for p in self.review.proposals if p.decision == "review"), None) if self.review else None
        self._fill(keep=first)

    # -- showing -------------------------------------------------------------------------------
    def _title(self) -> Text:
        if self.review is None:
            return Text.assemble(("Cannot review: ", "bold red"), plain(self.error or "", one_line=False))
        r = self.review
        counts: dict[str, int] = {}
        for p in r.proposals:
            key = "map" if p.decision.startswith("map:") else p.decision
            counts[key] = counts.get(key, 0) + 1
        return Text.assemble(
            ("Review import proposals", "bold"),
            "  ",
            (_safe(r.system), "bold"),
            " from ",
            _safe(r.source),
            f"  —  {counts.get('accept', 0)} accept, {counts.get('map', 0)} map, {counts.get('reject', 0)} reject, ",
            (f"{counts.get('review', 0)} to review", "yellow"),
            ("  (only undecided)" if self.only_undecided else "", "dim"),
        )

    def _fill(self, keep: str | None = None) -> None:
        self.query_one("#review-title", Static).update(self._title())
        table = self.query_one(DataTable)
        table.clear()
        self.rows = []
        if self.review is None:
            return
        for p in self.review.proposals:
            if self.only_undecided and p.decision != "review":
                continue
            target = p.target if p.decision.startswith("map:") else p.attribute
            style = _DECISION_STYLE.get(p.decision, "cyan")
            table.add_row(
                Text(_safe(p.decision), style=style),
                Text(confidence_text(p.confidence) if p.attribute else "", justify="right"),
                Text(_safe(target or "—")),
                Text(_safe(p.key)),
                Text(_safe(p.reason)[:80], style="dim"),
                key=p.key,
            )
            self.rows.append(p.key)
        if keep in self.rows:
            table.move_cursor(row=self.rows.index(keep))
        self._show_detail()

    def _current(self):
        if self.review is None or not self.rows:
            return None
        row = self.query_one(DataTable).cursor_row
        if row is None or not 0 <= row < len(self.rows):
            return None
        key = self.rows[row]
        return next(p for p in self.review.proposals if p.key == key)

    @on(DataTable.RowHighlighted)
    def _show_detail(self, _event=None) -> None:
        p = self._current()
        detail = self.query_one("#review-detail", Static)
        if p is None:
            detail.update("")
            return
        alts = ", ".join(f"{a} {confidence_text(c)}" for a, c in p.alternatives) or "none"
        detail.update(
            Text.assemble(
                (_safe(p.key), "bold"),
                f"  {_safe(p.sql_type or '')}  {_safe(p.at)}\n",
                f"proposed: {_safe(p.attribute or 'nothing close')}  ({_safe(p.reason)})\n",
                f"alternatives: {_safe(alts)}",
                f"  coverage: {p.coverage:.0%}" if p.coverage is not None else "",
            )
        )

    # -- deciding ------------------------------------------------------------------------------
    def _decide(self, key: str, decision: str) -> None:
        assert self.review is not None
        self.review = replace(
            self.review,
            proposals=tuple(replace(p, decision=decision) if p.key == key else p for p in self.review.proposals),
        )
        try:
            save_review(self.path, self.review)
        except OSError as exc:
            self.notify(f"{self.path}: cannot write: {exc.strerror or exc}", severity="error", markup=False)
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._fill(keep=key)
        if self.only_undecided and self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        elif key in self.rows and self.rows.index(key) + 1 < len(self.rows):
            table.move_cursor(row=self.rows.index(key) + 1)  # on to the next proposal

    def action_decide(self, decision: str) -> None:
        p = self._current()
        if p is None:
            return
        if decision == "accept" and p.attribute is None:
            self.notify("Nothing was proposed for this column: m maps it to an attribute", markup=False)
            return
        self._decide(p.key, decision)

    def action_remap(self) -> None:
        p = self._current()
        session = getattr(self.app, "session", None)
        if p is None or session is None:
            return
        query = p.column

        def picked(attribute: str | None) -> None:
            if attribute:
                self._decide(p.key, f"map:{attribute}")

        self.app.push_screen(AttributePicker(p.key, attribute_choices(session.workshop), query), picked)

    def action_toggle_undecided(self) -> None:
        self.only_undecided = not self.only_undecided
        self._fill()

    @on(DataTable.RowSelected)
    def _enter(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_apply()

    def action_apply(self) -> None:
        session = getattr(self.app, "session", None)
        if self.review is None or session is None:
            return
        try:
            plan = plan_review(session.workshop, self.review, self.path)
            new_ws = apply_plan(session.workshop, plan)
        except (ReviewError, PlanError) as exc:  # a plan that does not fit this workshop: say so, change nothing
            self.notify(str(exc), title="Not applied", severity="error", markup=False, timeout=12)
            return
        changed = 0
        with session.batch(f"import review {self.path.name}"):
            for section in ("attributes", "systems"):
                old = {item.id: (i, item) for i, item in enumerate(session.workshop.section(section))}
                for item in getattr(new_ws, section):
                    if item.id not in old:
                        session.add(section, item)
                        changed += 1
                    elif old[item.id][1] is not item:
                        session.replace(section, old[item.id][0], item)
                        changed += 1
        held = plan.count("add") + plan.count("merge")
        left = self.review.undecided()
        self.notify(
            f"Applied {held} change(s) from {self.path.name}"
            + (f"; {left} still to review" if left else "")
            + (" (nothing new)" if not changed else ""),
            markup=False,
        )
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class AskReviewFile(ModalScreen[str | None]):
    """Which review file? Enter opens it, Escape cancels."""

    CSS_PATH = _DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, start: str = "") -> None:
        super().__init__(classes="nm-dialog")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Review import proposals", classes="dialog-title")
            yield Static("The review file written by: needsmap import ddl|db ... --review FILE", classes="dialog-body")
            yield Input(value=self.start, placeholder="review.yaml", id="review-file-input")
            yield Static(id="review-file-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value or not Path(value).expanduser().is_file():
            self.query_one("#review-file-error", Static).update(Text(f"No such file: {_safe(value)}", style="red"))
            return
        self.dismiss(str(Path(value).expanduser()))

    def action_cancel(self) -> None:
        self.dismiss(None)
