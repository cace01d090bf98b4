"""Roadmap (key 0): compare the strategic options, see the waves of one, record the stakeholders' votes.

The line at the top names the recommended option (★) and its first step; the
table under it compares the options side by side (the same rows as ``needsmap
roadmap``), the recommended one highlighted at first; the text under it says in
plain words why the highlighted option is recommended and what to start with
(the same sentences as ``needsmap roadmap`` and the report), what it closes and
leaves; the bottom table shows its waves.  Narrower than :data:`NARROW`, the
table keeps the columns that fit, so every option's name shows in full.

Voting: ``s`` picks who votes (cycles through the stakeholders), ``v`` opens
the score keys for the highlighted option: one key per score, 1 (against) to
5 (strongly for), 0 removes the vote.  A vote on a generated option writes the
option into the file first (as ``needsmap roadmap --accept`` does), in the same
undo step.  ``a`` accepts the highlighted generated option without voting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from needsmap.format import model as m
from needsmap.roadmap.accept import accepted_option
from needsmap.roadmap.engine import Roadmap, RoadmapError, build_roadmap
from needsmap.roadmap.output import closes_text, comparison_rows, leaves_text, start_lines, summary, wave_word
from needsmap.roadmap.recommend import short_name
from needsmap.tui import plain
from needsmap.tui.screens.overview import ensure_columns, last_column_room, wrapped

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp

SCORE_WORDS = {1: "against", 2: "rather not", 3: "neutral", 4: "in favour", 5: "strongly for"}
#: Narrower than this, the options table drops the waves and risk columns and the names get the room.
NARROW = 110
WIDE_COLUMNS: list[tuple[str, str, int | None]] = [
    ("option", "option", 28),
    ("closes", "gaps closed", 11),
    ("unlocks", "unlocks (value)", 15),
    ("first", "first value", 12),
    ("effort", "effort", 7),
    ("waves", "waves", 6),
    ("risk", "risk", 5),
    ("votes", "votes", 14),
]
NARROW_COLUMNS: list[tuple[str, str, int | None]] = [
    ("option", "option", 26),
    ("closes", "closed", 8),
    ("unlocks", "unlocks", 8),
    ("first", "first value", 11),
    ("effort", "effort", 6),
    ("votes", "votes", None),
]
#: The waves of the highlighted option: wide, and narrower than NARROW (no WSJF: the work item gets the room).
WAVE_COLUMNS: list[tuple[str, str, int | None]] = [
    ("wave", "wave", 11),
    ("kind", "kind", 13),
    ("effort", "effort", 6),
    ("wsjf", "WSJF", 6),
    ("item", "work item", None),
]
NARROW_WAVE_COLUMNS: list[tuple[str, str, int | None]] = [
    ("wave", "wave", 10),
    ("kind", "kind", 9),
    ("effort", "effort", 6),
    ("item", "work item", None),
]
#: The most lines a work item's title takes (it wraps instead of being cut).
ITEM_LINES = 3
STAR = "★"


class VoteDialog(ModalScreen[int | None]):
    """One key per score: 1..5, 0 removes the vote, Escape cancels."""

    CSS_PATH = "roadmap.tcss"
    BINDINGS = [
        *(Binding(str(n), f"score({n})", f"{n}: {SCORE_WORDS[n]}") for n in range(1, 6)),
        Binding("0", "score(0)", "Remove the vote"),
        Binding("escape", "score(-1)", "Cancel"),
    ]

    def __init__(self, question: Text, current: int | None) -> None:
        super().__init__(classes="nm-dialog")
        self.question = question
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="vote-box"):
            yield Static(self.question, classes="dialog-body")
            keys = Text("  ".join(f"{n} {word}" for n, word in SCORE_WORDS.items()), style="bold")
            yield Static(keys, id="vote-keys")
            now = f"Current vote: {self.current}" if self.current else "No vote yet"
            yield Static(Text(f"{now}.  0 removes the vote, Esc cancels.", style="dim"))

    def action_score(self, score: int) -> None:
        self.dismiss(None if score < 0 else score)


class RoadmapScreen(Screen[None]):
    app: OpenApp

    AUTO_FOCUS = "#roadmap-options"
    CSS_PATH = "roadmap.tcss"
    BINDINGS = [
        Binding("v", "vote", "Vote"),
        Binding("s", "next_voter", "Who votes"),
        Binding("a", "accept", "Accept option"),
        Binding("tab", "app.focus_next", "Next table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.roadmap: Roadmap | None = None
        self.error: str | None = None
        self.voter: str | None = None
        self._shown: list[str] = []  # option ids, one per row of the options table

    def compose(self) -> ComposeResult:
        yield Static(id="roadmap-voter", classes="heading")
        yield Static(id="roadmap-recommended")
        table: DataTable[Text] = DataTable(id="roadmap-options", cursor_type="row", zebra_stripes=True)
        for key, label, width in WIDE_COLUMNS:
            table.add_column(Text(label), key=key, width=width)
        yield table
        with VerticalScroll(id="roadmap-detail", classes="detail"):
            yield Static(id="roadmap-summary")
        yield DataTable(id="roadmap-waves", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        ensure_columns(self.query_one("#roadmap-waves", DataTable), WAVE_COLUMNS)
        ws = self.app.session.workshop
        self.voter = ws.stakeholders[0].id if ws.stakeholders else None
        self._refresh()

    # -- the app's hooks -------------------------------------------------------------------
    def workshop_changed(self) -> None:
        self._refresh()

    analysis_changed = workshop_changed  # the options, their waves and what they close come from both

    def selected_subject(self) -> tuple[str, str] | None:
        option = self.current_option()
        if option is None or not any(o.id == option for o in self.app.session.workshop.options):
            return None
        return ("options", option)

    def select(self, item_id: str) -> bool:
        if self.roadmap is None:
            return False
        for row, p in enumerate(self.roadmap.plans):
            if p.id == item_id:
                self.query_one("#roadmap-options", DataTable).move_cursor(row=row)
                return True
        return False

    # -- filling ------------------------------------------------------------------------------
    def current_option(self) -> str | None:
        if self.roadmap is None or not self.roadmap.plans:
            return None
        row = self.query_one("#roadmap-options", DataTable).cursor_row
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _refresh(self) -> None:
        analysis = self.app.analysis
        ws = self.app.session.workshop
        if analysis is None:
            return
        # the app works the roadmap out in a thread after each analysis (a quarter of a second at enterprise
        # scale); until the first one is there, this screen works it out itself
        if self.app.roadmap is not None or self.app.roadmap_problem is not None:
            self.roadmap, self.error = self.app.roadmap, self.app.roadmap_problem
        else:
            try:
                self.roadmap = build_roadmap(ws, analysis)
                self.error = None
            except RoadmapError as exc:
                self.roadmap, self.error = None, str(exc)
        first = not self._shown
        self._fill_options()
        if first and self.roadmap is not None and self.roadmap.recommended is not None:
            self.select(self.roadmap.recommended.option)  # the recommended option is highlighted at first
        self._fill_recommended()
        self._fill_voter()
        self._fill_detail()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        self.set_class(narrow, "-narrow")
        table = self.query_one("#roadmap-options", DataTable)
        if ensure_columns(table, NARROW_COLUMNS if narrow else WIDE_COLUMNS):
            self._shown = []
            self._fill_options()
        ensure_columns(self.query_one("#roadmap-waves", DataTable), NARROW_WAVE_COLUMNS if narrow else WAVE_COLUMNS)
        self.call_after_refresh(self._fill_detail)  # the work items wrap to the width the table has now
        self._fill_voter()
        self._fill_recommended()  # two lines at most, the second ending in … when cut

    def _fill_recommended(self) -> None:
        line = Text(end="")
        rec = self.roadmap.recommended if self.roadmap is not None else None
        p = self.roadmap.plan_of(rec.option) if self.roadmap is not None and rec is not None else None
        if rec is not None and p is not None:
            line.append(f"{STAR} Recommended: ", style="bold green")
            line.append_text(plain(short_name(p), style="bold"))
            if rec.start_with:
                line.append(" · start with: ", style="dim")
                line.append_text(plain(rec.start_with[0].title))
                more = len(rec.start_with) - 1
                if more:
                    line.append(f" (+{more} more, below)", style="dim")
        room = self.size.width - 2  # the line's padding
        self.query_one("#roadmap-recommended", Static).update(wrapped(line, room, 2) if room > 0 else line)

    def _fill_voter(self) -> None:
        ws = self.app.session.workshop
        person = next((s for s in ws.stakeholders if s.id == self.voter), None)
        text = Text("Voting as ", style="dim", end="")
        if person is None:
            text.append("nobody (add stakeholders first)")
        else:
            text.append_text(plain(person.name or person.id, style="bold"))
            if person.function:
                text.append(" (")
                text.append_text(plain(person.function))
                text.append(")")
        keys = (
            "s: who · v: vote · a: accept"
            if self.has_class("-narrow")
            else ("s: who votes · v: vote 1-5 · a: accept a generated option into the file")
        )
        text.append(f"   {keys}", style="dim")
        self.query_one("#roadmap-voter", Static).update(text)

    def _fill_options(self) -> None:
        table = self.query_one("#roadmap-options", DataTable)
        keep = table.cursor_row
        keep_id = self._shown[keep] if 0 <= keep < len(self._shown) else None
        table.clear()
        self._shown = []
        if self.roadmap is None:
            return
        narrow = [str(k.value) for k in table.columns] == [k for k, _, _ in NARROW_COLUMNS]
        for r in comparison_rows(self.roadmap):
            votes = f"{r['votes']} · mean {r['mean_score']:g}" if r["votes"] else ""
            mine = self._my_vote(r["option"])
            if mine:
                votes += f" · you {mine}"
            p = self.roadmap.plan_of(r["option"])
            label = Text(f"{STAR} " if r["recommended"] else "  ", style="bold green", end="")
            label.append_text(plain(short_name(p) if p is not None else r["option"], style="bold"))
            cells = [
                label,
                Text(f"{r['gaps_closed']} of {self.roadmap.total_gaps}"),
                Text(f"{r['use_cases_unlocked']} ({r['value_unlocked']})"),
                plain(r["first_value"]),
                Text(f"{r['effort']:g}"),
            ]
            if not narrow:
                cells += [Text(str(r["waves"])), Text(str(r["risk"]))]
            table.add_row(*cells, Text(votes), key=r["option"])
            self._shown.append(r["option"])
        if self.roadmap.plans:  # the same option stays highlighted when an accepted one moves up
            row = self._shown.index(keep_id) if keep_id in self._shown else min(max(keep, 0), len(self._shown) - 1)
            table.move_cursor(row=row)

    def _my_vote(self, option: str) -> int | None:
        score = None
        for v in self.app.session.workshop.votes:
            if v.stakeholder == self.voter and v.option == option:
                score = v.score
        return score

    def _fill_detail(self) -> None:
        detail = self.query_one("#roadmap-summary", Static)
        waves = self.query_one("#roadmap-waves", DataTable)
        waves.clear()
        if self.error:
            detail.update(plain(self.error, style="bold red", one_line=False))
            return
        rm = self.roadmap
        if rm is None or not rm.plans:
            detail.update(Text("No options: the analysis found no gap that work could close."))
            return
        option = self.current_option()
        p = rm.plan_of(option) if option else None
        if p is None:
            return
        text = Text(end="")
        text.append_text(plain(p.option.title, style="bold"))
        text.append(f"  {p.id} · {p.option.effective_status if not p.generated else 'generated'}", style="dim")
        rec = rm.recommended
        if rec is not None and rec.option == p.id:
            text.append(f"\n{STAR} Recommended. ", style="bold green")
            text.append_text(plain(rec.reason))
            if rec.start_with:
                text.append("\nStart with:", style="bold")
                for line in start_lines(rec, self.app.session.workshop):
                    text.append("\n • ")
                    text.append_text(plain(line))
        text.append("\n")
        text.append_text(plain(summary(rm, p)))
        text.append("\nCloses: ", style="green")
        text.append_text(plain(closes_text(p)))
        for line in leaves_text(p):
            text.append("\nLeaves: ", style="yellow")
            text.append_text(plain(line))
        for note in p.notes:
            text.append("\nNote: ", style="yellow")
            text.append_text(plain(note))
        detail.update(text)
        columns = [str(k.value) for k in waves.columns]
        shown = NARROW_WAVE_COLUMNS if columns == [k for k, _, _ in NARROW_WAVE_COLUMNS] else WAVE_COLUMNS
        room = last_column_room(waves, *(w for _, _, w in shown if w))
        for n, it in enumerate(p.items):
            cells = {
                "wave": plain(wave_word(rm, it.wave)),
                "kind": Text(it.kind),
                "effort": Text(f"{it.effort:g}"),
                "wsjf": Text(f"{it.wsjf:.2f}"),
                "item": wrapped(plain(it.item.title), room, ITEM_LINES) if room else plain(it.item.title),
            }
            waves.add_row(*(cells[c] for c in columns), key=f"{n}", height=len(cells["item"].split()))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "roadmap-options":
            self._fill_detail()

    # -- actions --------------------------------------------------------------------------------
    def action_next_voter(self) -> None:
        people = [s.id for s in self.app.session.workshop.stakeholders]
        if not people:
            self.notify("Add stakeholders first: votes are theirs.", severity="warning")
            return
        i = people.index(self.voter) + 1 if self.voter in people else 0
        self.voter = people[i % len(people)]
        self._fill_voter()
        self._fill_options()

    def _ensure_in_file(self, option: str) -> bool:
        """Write a generated option into the file's options (the caller batches); False when it cannot."""
        session = self.app.session
        if any(o.id == option for o in session.workshop.options):
            return True
        p = self.roadmap.plan_of(option) if self.roadmap else None
        if p is None:
            return False
        session.add("options", accepted_option(p.option), label=f"accept option {option}")
        return True

    def action_accept(self) -> None:
        option = self.current_option()
        if option is None:
            return
        if any(o.id == option for o in self.app.session.workshop.options):
            self.notify(f"'{option}' is already in the file; edit it there.", markup=False)
            return
        self._ensure_in_file(option)
        self.notify(f"Accepted '{option}' into the file's options (ctrl+z undoes).", markup=False)

    def action_vote(self) -> None:
        option = self.current_option()
        ws = self.app.session.workshop
        person = next((s for s in ws.stakeholders if s.id == self.voter), None)
        if option is None or person is None:
            self.notify("Nothing to vote on yet, or nobody to vote (add stakeholders).", severity="warning")
            return
        question = Text("Vote of ", end="")
        question.append_text(plain(person.name or person.id, style="bold"))
        question.append(" on ")
        question.append_text(plain(option, style="bold"))

        def answer(score: int | None) -> None:
            if score is not None:
                self.record_vote(person.id, option, score)

        self.app.push_screen(VoteDialog(question, self._my_vote(option)), answer)

    def record_vote(self, stakeholder: str, option: str, score: int) -> None:
        """Set (1..5) or remove (0) ``stakeholder``'s vote on ``option``: one undo step, saved at once."""
        session = self.app.session
        label = f"vote {score} by {stakeholder} on {option}" if score else f"remove {stakeholder}'s vote on {option}"
        with session.batch(label):
            if score and not self._ensure_in_file(option):
                return
            kept = [v for v in session.workshop.votes if not (v.stakeholder == stakeholder and v.option == option)]
            old = next((v for v in session.workshop.votes if v.stakeholder == stakeholder and v.option == option), None)
            if score:
                kept.append(m.Vote(stakeholder, option, score, comment=old.comment if old else None))
            session.set_top("votes", kept, label=label)
