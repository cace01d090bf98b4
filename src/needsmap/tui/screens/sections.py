"""The list screens of the five sections: stakeholders, use cases, processes, attributes, systems.

Each is an :class:`~needsmap.tui.screens.items.ItemListScreen` with its columns,
its nested lists and what its detail pane adds from the analysis.  Keys beyond
the common ones (see :mod:`needsmap.tui.screens.items`):

* Use cases: ``l`` link needs (picker: type, then ``m``/``s``/``c``), ``o`` owner;
  in the needs list ``m``/``s``/``c`` change the criticality, ``e`` edits, ``x`` removes.
* Systems: ``h`` add holdings (picker: ``m``/``c``/``d`` role), ``f`` add a feed
  (target system, how often it runs: Enter takes daily, then the attributes it carries), ``o`` owner; in the holdings
  list ``m``/``c``/``d`` change the role; in the feeds list ``a`` adds attributes.
* Processes: ``t`` add a step, ``l`` link the selected step to attributes (picker:
  ``c``/``r``/``u``/``x``), ``o`` owner; in the steps list ``l`` too.
* Attributes: ``o`` owner.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.content import Content

from needsmap.collab.session import edited
from needsmap.tui.screens.items import (
    Facts,
    ItemListScreen,
    ListColumn,
    SubList,
    SubTable,
    count_column,
    effective_column,
    field_column,
    readiness_cell,
    safe,
)
from needsmap.tui.widgets.catalog_suggest import AttributeForm
from needsmap.tui.widgets.forms import AskFrequency
from needsmap.tui.widgets.picker import (
    Candidate,
    LinkPicker,
    feed_attribute_picker,
    feed_target_picker,
    holding_picker,
    need_picker,
    step_picker,
    system_candidates,
)
from needsmap.tui.widgets.table import Column, Row, cell

HORIZONS = ("now", "next", "later")
LEVELS = ("high", "medium", "low")
READINESS_ORDER = ("blocked", "at-risk", "ready")
PROBLEM_WORDS = {
    "missing-source": "held nowhere",
    "unreachable": "does not reach",
    "stale": "too slow",
    "low-quality": "low quality",
    "low-coverage": "low coverage",
    "no-master": "no master",
    "contested": "several masters",
}
CRIT_STYLE = {"must": "bold", "should": "", "could": "dim"}


def _list(items) -> str:
    return ", ".join(safe(i) for i in items)


def _lines(*blocks: list[Content]) -> Content:
    out: list[Content] = []
    for block in blocks:
        if block:
            if out:
                out.append(Content(""))
            out.extend(block)
    return Content("\n").join(out)


# -- stakeholders ------------------------------------------------------------------------------------
class StakeholdersScreen(ItemListScreen):
    SECTION = "stakeholders"
    FIELDS = (
        field_column("name", 28, flex=True, wrap=True),
        field_column("role", 36, flex=True, wrap=True),
        field_column("function", 12, drop=3),
        field_column("influence", 9, order=LEVELS, drop=2),
        field_column("interest", 9, order=LEVELS, drop=4),
    )

    def search_text(self, item) -> str:
        return item.notes or ""

    def detail_extra(self, item, facts: Facts) -> Content:
        ws = self.session.workshop
        owns = []
        for section, word in (
            ("use_cases", "use cases"),
            ("attributes", "attributes"),
            ("systems", "systems"),
            ("processes", "processes"),
        ):
            mine = [i.id for i in ws.section(section) if i.owner == item.id]
            if mine:
                owns.append(
                    Content.assemble(
                        (f"{word}: ", "dim"), _list(mine[:12]), f" and {len(mine) - 12} more" if len(mine) > 12 else ""
                    )
                )
        raised = [n.id for n in ws.notes if n.by == item.id]
        block = [Content.styled("Owns", "bold")] + (owns or [Content.styled("nothing yet", "dim")])
        if raised:
            block.append(Content.assemble(("raised notes: ", "dim"), _list(raised)))
        return _lines(block)


# -- use cases -------------------------------------------------------------------------------------
class NeedsTable(SubTable):
    COLUMNS = (
        Column("attribute", "attribute", 30, flex=True, wrap=True),
        Column("crit", "crit", 6),
        Column("fresh", "fresh", 8, drop=1),
        Column("status", "status", 24),
    )
    BINDINGS = [
        Binding("m", "screen.set_child('criticality', 'must')", "Must"),
        Binding("s", "screen.set_child('criticality', 'should')", "Should"),
        Binding("c", "screen.set_child('criticality', 'could')", "Could"),
    ]


def _readiness(item, facts: Facts):
    r = facts.readiness.get(item.id)
    return r.status if r else None


class UseCasesScreen(ItemListScreen):
    SECTION = "use_cases"
    NAME_FIELD = "title"
    ID_WIDTH = 24
    FIELDS = (
        field_column("title", 44, flex=True, wrap=True),
        field_column("owner", 14, drop=2),
        field_column("value", 5, right=True, drop=1),
        field_column("horizon", 7, order=HORIZONS, drop=3),
        effective_column("status", 8, order=("agreed", "proposed", "done", "rejected"), drop=4),
        ListColumn("readiness", "readiness", _readiness, show=readiness_cell, order=READINESS_ORDER, max_width=9),
        count_column("needs", lambda i, f: len(i.needs), 5, drop=5),
    )
    SUBLISTS = (SubList("needs", "Needs", NeedsTable),)
    BINDINGS = [
        Binding("l", "needs", "Link needs"),
        Binding("o", "owner", "Owner"),
        Binding("i", "runs_in", "Runs in", show=False),  # the footer is full at 120 columns: help and palette
    ]

    def row_facts(self, item, facts: Facts) -> tuple:
        return (facts.readiness.get(item.id), len(facts.gaps_about(self.SECTION, item.id)))

    def action_runs_in(self) -> None:
        """The systems the selected use case runs in (executes_in): one key, a few letters, Enter (again: out)."""
        item = self.current()
        if item is None:
            return
        session, ident = self.session, item.id

        def candidates() -> list[Candidate]:
            runs = session.item(self.SECTION, ident).executes_in
            return system_candidates(session.workshop, notes={s: "runs in it (Enter: not any more)" for s in runs})

        def pick(candidate: Candidate | None, text: str, value: str | None, change: bool = False) -> str:
            if candidate is None:
                raise ValueError("pick a system (add new systems on the Systems screen)")
            i = session.find(self.SECTION, ident)
            runs = list(session.workshop.use_cases[i].executes_in)
            if candidate.id in runs:
                runs.remove(candidate.id)
                session.update(self.SECTION, i, executes_in=runs, label=f"{ident} no longer runs in {candidate.id}")
                return f"{ident} no longer runs in {candidate.id}"
            session.update(self.SECTION, i, executes_in=[*runs, candidate.id], label=f"{ident} runs in {candidate.id}")
            return f"{ident} runs in {candidate.id}"

        self.open_picker(
            LinkPicker(title=f"{ident} runs in", candidates=candidates, on_pick=pick, subject=ident, session=session)
        )

    def row_dim(self, item) -> bool:
        return item.status == "rejected"

    def search_text(self, item) -> str:
        return " ".join([item.description or "", item.function or "", *item.channels, *item.executes_in])

    def sub_hint(self, sub: SubList) -> str:
        return "l adds · tab here: m/s/c, e, x"

    def sub_rows(self, child: str, item, facts: Facts) -> list[Row]:
        readiness = facts.readiness.get(item.id)
        status = {ns.attribute: ns for ns in readiness.needs} if readiness else {}
        names = {a.id: a.name for a in self.session.workshop.attributes}
        rows = []
        for i, need in enumerate(item.needs):
            ns = status.get(need.attribute)
            if item.status == "rejected":
                state = Text("rejected use case", style="dim")
            elif ns is None:
                state = Text("—", style="dim")
            elif ns.problems:
                words = ", ".join(PROBLEM_WORDS.get(p, p) for p in ns.problems)
                state = Text(words, style="red" if not ns.satisfied else "yellow")
            else:
                state = Text("ok", style="green")
            crit = need.effective_criticality
            label = names.get(need.attribute) or need.attribute
            rows.append(
                Row(
                    str(i),
                    [cell(label), Text(crit, style=CRIT_STYLE.get(crit, "")), cell(need.effective_freshness), state],
                )
            )
        return rows

    def sub_detail(self, child: str, item, index: int, facts: Facts) -> Content:
        base = super().sub_detail(child, item, index, facts)
        need = item.needs[index]
        readiness = facts.readiness.get(item.id)
        ns = next((n for n in readiness.needs if n.attribute == need.attribute), None) if readiness else None
        if ns is None:
            return base
        lines = [base]
        if ns.path:
            lines.append(
                Content.assemble(
                    ("path: ", "dim"),
                    " → ".join(safe(p) for p in ns.path),
                    f"  ({safe(ns.path_freshness)})" if ns.path_freshness else "",
                )
            )
        if ns.problems:
            lines.append(
                Content.assemble(
                    ("problems: ", "dim"), (", ".join(PROBLEM_WORDS.get(p, p) for p in ns.problems), "$text-warning")
                )
            )
        return Content("\n").join(lines)

    def detail_extra(self, item, facts: Facts) -> Content:
        r = facts.readiness.get(item.id)
        if r is None:
            return Content.styled("Rejected: left out of readiness and gaps.", "dim")
        head = Content.assemble(
            ("Readiness  ", "bold"),
            (r.status, READINESS_STYLE_CONTENT[r.status]),
            (f"   {r.must_satisfied}/{r.must_total} must-haves satisfied", "dim"),
        )
        reasons = [Content.assemble(("· ", "dim"), safe(reason)) for reason in r.reasons]
        where = []
        if item.executes_in:
            where.append(Content.assemble(("runs in: ", "dim"), _list(item.executes_in), ("  (i: change)", "dim")))
        return _lines([head, *reasons], where)

    def action_needs(self) -> None:
        item = self.current()
        if item is not None:
            self.open_picker(need_picker(self.session, item.id))


READINESS_STYLE_CONTENT = {
    "ready": "bold $text-success",
    "at-risk": "bold $text-warning",
    "blocked": "bold $text-error",
}


# -- processes ---------------------------------------------------------------------------------------
class StepsTable(SubTable):
    COLUMNS = (
        Column("n", "#", 3, right=True),
        Column("name", "step", 36, flex=True, wrap=True),
        Column("system", "system", 12, drop=1),
        Column("data", "attributes", 60, flex=True, wrap=True),
    )
    BINDINGS = [
        Binding("l", "screen.link_step", "Link attributes"),
        Binding("t", "screen.add_step", "Add step"),
    ]


def _step_summary(step) -> str:
    parts = []
    for action in ("creates", "reads", "updates", "deletes"):
        values = getattr(step, action)
        if values:
            parts.append(f"{action} {', '.join(values)}")
    return "; ".join(parts)


class ProcessesScreen(ItemListScreen):
    SECTION = "processes"
    ID_WIDTH = 24
    FIELDS = (
        field_column("name", 44, flex=True, wrap=True),
        field_column("owner", 14, drop=2),
        count_column("steps", lambda i, f: len(i.steps), 5),
    )
    SUBLISTS = (SubList("steps", "Steps", StepsTable),)
    BINDINGS = [
        Binding("t", "add_step", "Add step"),
        Binding("l", "link_step", "Link step"),
        Binding("o", "owner", "Owner"),
    ]

    def search_text(self, item) -> str:
        return " ".join([item.description or "", *(s.name for s in item.steps)])

    def sub_hint(self, sub: SubList) -> str:
        return "t adds · tab here: l links, e, x"

    def sub_rows(self, child: str, item, facts: Facts) -> list[Row]:
        return [
            Row(
                str(i),
                [Text(str(i + 1), style="dim"), cell(step.name), cell(step.system or ""), cell(_step_summary(step))],
            )
            for i, step in enumerate(item.steps)
        ]

    def detail_extra(self, item, facts: Facts) -> Content:
        ucs = [u.id for u in self.session.workshop.use_cases if item.id in u.processes]
        if not ucs:
            return Content.styled("no use case relies on it yet", "dim")
        return Content.assemble(("use cases relying on it: ", "dim"), _list(ucs))

    def action_add_step(self) -> None:
        self.add_child("steps")

    def action_link_step(self) -> None:
        item = self.current()
        if item is None:
            return
        if not item.steps:
            self.notify("add a step first (t)", severity="warning", timeout=3)
            return
        table = self.query_one("#sub-steps", SubTable)
        step = int(table.cursor_key) if table.cursor_key is not None else 0
        self.open_picker(step_picker(self.session, item.id, step))


# -- attributes --------------------------------------------------------------------------------------
def _row_of(item, facts: Facts):
    return facts.attributes.get(item.id)


class AttributesScreen(ItemListScreen):
    SECTION = "attributes"
    FORM = AttributeForm  # a new attribute is offered reference-catalog entries as its name is typed
    ID_WIDTH = 26
    FIELDS = (
        field_column("name", 36, flex=True, wrap=True),
        effective_column("entity", 14, drop=4),
        effective_column("type", 9, drop=5),
        effective_column("sensitivity", 11, order=("sensitive", "personal", "none"), drop=3),
        field_column("owner", 14, drop=2),
        count_column("needed", lambda i, f: len(r.needed_by) if (r := _row_of(i, f)) else 0, 6),
        count_column("held", lambda i, f: len(r.held_by) if (r := _row_of(i, f)) else 0, 5),
    )
    BINDINGS = [Binding("o", "owner", "Owner")]

    def row_facts(self, item, facts: Facts) -> tuple:
        return (facts.attributes.get(item.id), len(facts.gaps_about(self.SECTION, item.id)))

    def search_text(self, item) -> str:
        return " ".join(item.synonyms)

    def detail_extra(self, item, facts: Facts) -> Content:
        row = facts.attributes.get(item.id)
        if row is None:
            return Content("")
        demand = [Content.assemble(("Needed by  ", "bold"), (str(len(row.needed_by)), "dim"))]
        for uc, crit in row.needed_by[:40]:
            demand.append(Content.assemble(("· ", "dim"), safe(uc), (f"  {crit}", CRIT_STYLE.get(crit) or "")))
        if not row.needed_by:
            demand.append(Content.styled("no use case needs it", "dim"))
        supply = [Content.assemble(("Held by  ", "bold"), (str(len(row.held_by)), "dim"))]
        for system, role in row.held_by[:40]:
            supply.append(
                Content.assemble(("· ", "dim"), safe(system), (f"  {role}", "bold" if role == "master" else "dim"))
            )
        if not row.held_by:
            supply.append(Content.styled("no system holds it", "dim"))
        written = []
        if row.written_by:
            written.append(Content.styled("Written by", "bold"))
            for process, action, _fn in row.written_by[:20]:
                written.append(Content.assemble(("· ", "dim"), safe(process), (f"  {action}", "dim")))
        return _lines(demand, supply, written)


# -- systems -------------------------------------------------------------------------------------------
class HoldingsTable(SubTable):
    COLUMNS = (
        Column("attribute", "attribute", 30, flex=True, wrap=True),
        Column("role", "role", 7),
        Column("quality", "qual", 4, right=True, drop=2),
        Column("freshness", "fresh", 8, drop=3),
        Column("coverage", "cover", 5, right=True, drop=1),
    )
    BINDINGS = [
        Binding("m", "screen.set_child('role', 'master')", "Master"),
        Binding("c", "screen.set_child('role', 'copy')", "Copy"),
        Binding("d", "screen.set_child('role', 'derived')", "Derived"),
    ]


class FeedsTable(SubTable):
    COLUMNS = (
        Column("to", "to", 16),
        Column("frequency", "every", 8),
        Column("attributes", "attributes", 60, flex=True, wrap=True),
    )
    BINDINGS = [Binding("a", "screen.feed_attributes", "Add attributes")]


def _sys_row(item, facts: Facts):
    return facts.systems.get(item.id)


class SystemsScreen(ItemListScreen):
    SECTION = "systems"
    FIELDS = (
        field_column("name", 32, flex=True, wrap=True),
        field_column("kind", 20, drop=3),
        field_column("owner", 14, drop=2),
        count_column("holds", lambda i, f: len(i.holds), 5),
        count_column("masters", lambda i, f: r.masters if (r := _sys_row(i, f)) else 0, 7, drop=4),
        count_column("feeds", lambda i, f: len(i.feeds), 5, drop=5),
    )
    SUBLISTS = (SubList("holds", "Holds", HoldingsTable), SubList("feeds", "Feeds", FeedsTable))
    BINDINGS = [
        Binding("h", "holdings", "Add holdings"),
        Binding("f", "feed", "Add feed"),
        Binding("o", "owner", "Owner"),
    ]

    def row_facts(self, item, facts: Facts) -> tuple:
        return (facts.systems.get(item.id), len(facts.gaps_about(self.SECTION, item.id)))

    def search_text(self, item) -> str:
        return item.supplier or ""

    def sub_hint(self, sub: SubList) -> str:
        if sub.child == "holds":
            return "h adds · tab here: m/c/d, e, x"
        return "f adds · tab here: a, e, x"

    def sub_rows(self, child: str, item, facts: Facts) -> list[Row]:
        rows = []
        if child == "holds":
            names = {a.id: a.name for a in self.session.workshop.attributes}
            for i, h in enumerate(item.holds):
                role = h.effective_role
                rows.append(
                    Row(
                        str(i),
                        [
                            cell(names.get(h.attribute) or h.attribute),
                            Text(role, style="bold" if role == "master" else ""),
                            cell("" if h.quality is None else h.quality),
                            cell(h.effective_freshness),
                            cell("" if h.coverage is None else f"{h.coverage:.0%}"),
                        ],
                    )
                )
        else:
            for i, feed in enumerate(item.feeds):
                rows.append(
                    Row(
                        str(i),
                        [
                            cell(feed.to),
                            cell(feed.effective_frequency),
                            cell(", ".join(feed.attributes))
                            if feed.attributes
                            else Text("nothing yet: press a", style="yellow"),
                        ],
                    )
                )
        return rows

    def detail_extra(self, item, facts: Facts) -> Content:
        row = facts.systems.get(item.id)
        if row is None:
            return Content("")
        lines = []
        if row.feeds_in:
            lines.append(Content.assemble(("fed by: ", "dim"), _list(row.feeds_in)))
        if row.executes:
            lines.append(Content.assemble(("use cases run here: ", "dim"), _list(row.executes)))
        if row.identifiers:
            lines.append(Content.assemble(("identifiers: ", "dim"), _list(row.identifiers)))
        if row.holds:
            lines.append(Content.assemble(("needed attributes held: ", "dim"), f"{row.needed_held} of {row.holds}"))
        return Content("\n").join(lines) if lines else Content("")

    def action_holdings(self) -> None:
        item = self.current()
        if item is not None:
            self.open_picker(holding_picker(self.session, item.id))

    def action_feed(self) -> None:
        item = self.current()
        if item is None:
            return
        system = item.id
        fed = {feed.to for feed in item.feeds}

        def then(target: str | None) -> None:
            if not target:
                return
            if target in fed:  # a feed that was there: straight on to what it carries
                self.open_picker(feed_attribute_picker(self.session, system, target))
                return

            def frequency(answer: str | None) -> None:
                if answer:
                    self.set_feed_frequency(system, target, answer)
                self.open_picker(feed_attribute_picker(self.session, system, target))

            self.push(AskFrequency(f"{system} → {target}"), frequency)

        self.open_picker(feed_target_picker(self.session, system), then)

    def set_feed_frequency(self, system: str, target: str, frequency: str) -> None:
        """How often the feed from ``system`` to ``target`` runs (asked when the feed is added)."""
        session = self.session
        try:
            index = session.find(self.SECTION, system)
        except KeyError:
            return  # gone meanwhile (undo, or someone else)
        feeds = list(self.items[index].feeds)
        at = next((i for i, feed in enumerate(feeds) if feed.to == target), None)
        if at is None or feeds[at].frequency == frequency:
            return
        feeds[at] = edited(feeds[at], frequency=frequency)
        session.update(self.SECTION, index, feeds=feeds, label=f"the feed {system} → {target} runs {frequency}")

    def action_feed_attributes(self) -> None:
        item = self.current()
        table = self.query_one("#sub-feeds", SubTable)
        if item is None or table.cursor_key is None:
            return
        feed = item.feeds[int(table.cursor_key)]
        self.open_picker(feed_attribute_picker(self.session, item.id, feed.to))


__all__ = ["StakeholdersScreen", "UseCasesScreen", "ProcessesScreen", "AttributesScreen", "SystemsScreen"]
