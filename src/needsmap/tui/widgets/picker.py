"""Linking at the speed of talk: a fuzzy picker that links items with one key.

"The welcome journey needs the club card number, should have": type ``club``,
press Enter, press ``s``.  The picker stays open for the next link, so a use
case's needs are listed while people say them; Escape closes it.  When nothing
matches, an entry creates the item on the spot: the new item and the link are
one undo step.  The entry says before Enter exactly what it will create: the id
(``+ create attribute street_address 'Address'``, not just the words typed) and,
when the reference catalog knows the words, the entry it takes its definition from.

Focus stays in the one input: Up/Down move the highlight, Enter "arms" the
choice keys, and then one key links (``m``/``s``/``c``) while any other key goes
back to typing.

Candidates are ranked by :class:`PickIndex` (rapidfuzz) over names, ids and
synonyms: exact and prefix matches first, then words starting with what was
typed, then substrings, then fuzzy matches (typos).  Where the picker can create
an item, "+ create" comes first unless the text *strongly* matches an existing one
(:mod:`needsmap.catalog.linking_rank`: every typed word found in its names, or its
spelling typed, in the workshop's words or, for attributes, the reference catalog's
in any of its languages); then that one comes first, marked "already in this
workshop".  Picking an attribute that is linked already with another choice (a
need that is a must, picked with ``s``) keeps the link as it is and says so; the
same key again changes it.

The same picker, with other candidates and keys, adds a system's holdings
(role ``m``/``c``/``d``), a system's feeds (target system, then the attributes
it carries), what a process step creates/reads/updates/deletes (``c``/``r``/
``u``/``x``), an owner, and what a note is about: see the ``*_picker``
functions at the end.  The session edits are in :mod:`needsmap.tui.linking`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from needsmap.catalog.linking_rank import AttributeLinkIndex, Decision, LinkIndex, Named
from needsmap.collab.session import Session
from needsmap.format import model as m
from needsmap.format.naming import item_name, section_word
from needsmap.tui import linking
from needsmap.util.text import one_line, shorten, terminal

CREATE = "__create__"
_SEPARATORS = re.compile(r"[_\-./,]+")


def _safe(text: object) -> str:
    return terminal(one_line("" if text is None else str(text)))


# -- ranking ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Candidate:
    """Something the picker can link to."""

    id: str
    name: str
    section: str
    terms: tuple[str, ...] = ()  # other words it is known by: synonyms, role, kind...
    note: str = ""  # shown after the name: "needed: must"


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    score: float
    via: str = ""  # the synonym or other term that matched, when not the name or id
    strong: bool = False  # the text strongly matches it: listed before "+ create"


class PickIndex:
    """Candidates prepared for ranking (folded terms in one flat list)."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        self.terms: list[str] = []
        self.owner: list[int] = []
        self.kind: list[int] = []  # 0: id or name, 1: other term
        self.original: list[str] = []
        for i, c in enumerate(self.candidates):
            for j, term in enumerate((c.name, c.id, *c.terms)):
                if not term:
                    continue
                self.terms.append(_norm(term))
                self.owner.append(i)
                self.kind.append(0 if j < 2 else 1)
                self.original.append(term)

    def rank(self, query: str, limit: int = 40) -> list[Match]:
        q = _norm(query)
        if not q:
            return [Match(c, 0.0) for c in self.candidates[:limit]]
        words = q.split()
        best: dict[int, tuple[float, int]] = {}  # candidate -> (score, term index)

        def offer(t: int, score: float) -> None:
            i = self.owner[t]
            score += 1.0 if self.kind[t] == 0 else 0.0
            old = best.get(i)
            if old is None or score > old[0]:
                best[i] = (score, t)

        several = len(words) > 1
        for t, term in enumerate(self.terms):
            if q not in term:
                if several and all(w in term for w in words):
                    offer(t, 105 - min(len(term) - len(q), 40) / 10)  # every word, in another order
                continue
            if term == q:
                offer(t, 200)
            elif term.startswith(q):
                offer(t, 150 - min(len(term) - len(q), 40) / 10)
            elif f" {q}" in f" {term}":
                offer(t, 130 - min(len(term) - len(q), 40) / 10)
            else:
                offer(t, 110)
        for _, score, t in process.extract(
            q, self.terms, scorer=fuzz.WRatio, processor=None, limit=limit * 3, score_cutoff=60
        ):
            offer(t, float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.candidates[kv[0]].name.casefold()))
        out = []
        for i, (score, t) in ranked[:limit]:
            via = self.original[t] if self.kind[t] == 1 else ""
            out.append(Match(self.candidates[i], score, via))
        return out


def _norm(text: str) -> str:
    """How terms and queries are compared: case-folded, ``_ - . / ,`` as spaces."""
    return " ".join(_SEPARATORS.sub(" ", text.casefold()).split())


def rank(query: str, candidates: Sequence[Candidate], limit: int = 40) -> list[Match]:
    """The candidates that best match ``query``, best first."""
    return PickIndex(candidates).rank(query, limit)


# -- the picker ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Choice:
    """A one-key choice made while picking: ``Choice("s", "should")``."""

    key: str
    value: str
    label: str = ""


#: what a pick does: (candidate or None to create one, the text typed, the choice, whether an existing link's
#: choice may change) -> a sentence
OnPick = Callable[[Candidate | None, str, str | None, bool], str]
#: the choice a candidate is linked with already (a need's criticality), or None
Current = Callable[[str], str | None]


class PickerInput(Input):
    """The picker's one input: typing filters; after Enter, one choice key links.

    Focus never leaves it: Up/Down move the highlight in the list, Enter arms the choice
    keys (or picks, when there is nothing to choose), and while armed a choice key picks,
    Enter picks with the default, any other key goes back to typing.
    """

    async def _on_key(self, event: Key) -> None:
        screen = self.screen
        if isinstance(screen, LinkPicker) and event.key == "enter":
            # handled here, with the key: a Submitted message would be handled after the keys typed next
            event.stop()
            event.prevent_default()
            screen.submit()
            return
        if isinstance(screen, LinkPicker) and screen.armed:
            if event.character and event.character in screen.choice_keys:
                event.stop()
                event.prevent_default()
                screen.pick_choice(event.character)
                return
            if event.key == "escape":
                event.stop()
                event.prevent_default()
                screen.disarm()
                return
        await super()._on_key(event)


class LinkPicker(ModalScreen):
    """Type to find, one key to link; dismisses with the id picked last (or None)."""

    CSS_PATH = "picker.tcss"
    BINDINGS = [
        Binding("escape", "close", "Done"),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("pageup", "move(-8)", "Previous page", show=False),
        Binding("pagedown", "move(8)", "Next page", show=False),
    ]

    def __init__(
        self,
        *,
        title: str,
        candidates: Callable[[], list[Candidate]],
        on_pick: OnPick,
        choices: Sequence[Choice] = (),
        default: str | None = None,
        create: str | None = None,
        multi: bool = True,
        subject: str = "",
        session: Session | None = None,
        current: Current | None = None,
    ) -> None:
        super().__init__(classes="link-picker")
        self.session = session
        self.current = current
        #: (candidate id, choice) picked once for a link that has another choice: the same key again changes it
        self.confirming: tuple[str, str] | None = None
        self.picker_title = title
        self.get_candidates = candidates
        self.on_pick = on_pick
        self.choices = list(choices)
        self.choice_keys = {c.key: c.value for c in self.choices}
        self.default = default if default is not None else (self.choices[0].value if self.choices else None)
        self.create_section = create
        self.multi = multi
        self.subject = subject
        self.index = PickIndex(candidates())
        self.linker = self._linker()
        self.decision: Decision | None = None
        self.matches: list[Match] = []
        self.last: str | None = None
        self.picked: list[str] = []
        #: after Enter, the choice keys pick (see PickerInput)
        self.armed = False
        self._query: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-body") as body:
            body.border_title = _safe(self.picker_title)
            body.border_subtitle = "esc when done" if self.multi else "esc cancel"
            yield PickerInput(
                placeholder="type part of a name, id or synonym", id="picker-input", select_on_focus=False
            )
            results = OptionList(id="picker-list")
            results.can_focus = False
            yield results
            yield Static(self._hint(), id="picker-hint")
            yield Static("", id="picker-log")
        yield Footer()

    def on_mount(self) -> None:
        self._refilter("")
        self.set_focus(self.query_one("#picker-input", Input))

    def _hint(self) -> Content:
        if not self.choices:
            return Content.assemble(("enter", "bold"), " picks the highlighted one · ", ("↑↓", "bold"), " move")
        keys = " · ".join(f"{c.key} {c.label or c.value}" for c in self.choices)
        if self.armed:
            return Content.assemble(
                ("now one key: ", "bold $text-accent"), (keys, "bold"), f" · enter {self.default} · esc back to typing"
            )
        return Content.assemble(
            ("type", "bold"), " to find, ", ("↑↓", "bold"), " move, ", ("enter", "bold"), " then ", (keys, "bold")
        )

    def _show_armed(self) -> None:
        self.query_one("#picker-hint", Static).update(self._hint())
        self.query_one("#picker-list", OptionList).set_class(self.armed, "-armed")
        self.query_one("#picker-input", Input).set_class(self.armed, "-armed")

    def disarm(self) -> None:
        self.confirming = None
        if self.armed:
            self.armed = False
            self._show_armed()

    def _linker(self) -> LinkIndex:
        """What decides whether the text strongly matches an existing item (see the module docstring)."""
        if self.create_section == "attributes" and self.session is not None:
            shown = {c.id for c in self.index.candidates}
            return AttributeLinkIndex([a for a in self.session.workshop.attributes if a.id in shown])
        return LinkIndex(Named(c.id, c.name, c.terms) for c in self.index.candidates)

    # -- filtering ------------------------------------------------------------------------------
    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        value = self.query_one("#picker-input", Input).value  # now, not when the message was sent
        if value != self._query:
            self.disarm()
            self._refilter(value)

    def _refilter(self, text: str) -> None:
        self._query = text
        query = " ".join(text.split())
        self.matches = self.index.rank(text)
        self.decision = None
        if self.create_section and query:
            # strong matches first (in the linker's order), then "+ create", then the rest
            self.decision = self.linker.decide(query)
            by_id = {c.id: c for c in self.index.candidates}
            strong = [Match(by_id[s.id], s.score, s.via, strong=True) for s in self.decision.strong if s.id in by_id]
            first = {mt.candidate.id for mt in strong}
            self.matches = strong + [mt for mt in self.matches if mt.candidate.id not in first]
        options = [Option(self._prompt(match), id=f"c{i}") for i, match in enumerate(self.matches)]
        if self.create_section and query and self.decision is not None:
            exact = any(_norm(query) in (_norm(mt.candidate.name), _norm(mt.candidate.id)) for mt in self.matches)
            if not exact and self.decision.offer_create:
                create = Option(self._create_prompt(query), id=CREATE)
                strong_count = sum(1 for mt in self.matches if mt.strong)
                options = options[:strong_count] + [create] + options[strong_count:]
        results = self.query_one("#picker-list", OptionList)
        results.set_options(options)
        if options:
            results.highlighted = 0

    def _create_prompt(self, query: str) -> Content:
        """``+ create attribute street_address 'Address'  the catalog's Street address``: the id it will have and,
        when the reference catalog knows the words, the entry whose definition it takes."""
        section = self.create_section
        assert section is not None
        known = None
        if self.session is not None:
            ident, name, known = linking.planned(self.session, section, query)
        else:
            ident, name = "", query
        parts: list[str | tuple[str, str]] = [("+ create ", "bold $text-success"), f"{section_word(section)} "]
        if ident:
            parts.append((_safe(ident), "bold"))
            parts.append(" ")
        parts.append(f"'{_safe(name)}'")
        if known is not None and " ".join(known.name.split()).casefold() == " ".join(name.split()).casefold():
            parts.append(("  from the catalog: its definition, type and sensitivity", "dim"))
        elif known is not None:
            parts.append(("  the catalog's ", "dim"))
            parts.append((_safe(known.name), "italic"))
            parts.append((" (its definition, type and sensitivity)", "dim"))
        return Content.assemble(*parts)

    def _prompt(self, match: Match) -> Content:
        c = match.candidate
        parts: list[str | tuple[str, str]] = [(_safe(c.name or c.id), "bold")]
        if c.name and c.name != c.id:
            parts.append(("  " + _safe(c.id), "dim"))
        if match.via:
            parts.append(("  ≈ " + _safe(match.via), "italic $text-accent"))
        if match.strong and self.create_section:
            parts.append(("  already in this workshop", "$text-success"))
        if c.note:
            parts.append(("  " + _safe(c.note), "$text-warning"))
        return Content.assemble(*parts)

    # -- picking ---------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        results = self.query_one("#picker-list", OptionList)
        if not results.option_count:
            return
        current = results.highlighted or 0
        results.highlighted = max(0, min(current + step, results.option_count - 1))

    def _current(self) -> None:
        """Keys typed ahead may not have reached the list yet (Input.Changed is a message): catch up."""
        value = self.query_one("#picker-input", Input).value
        if value != self._query:
            self._refilter(value)

    def submit(self) -> None:
        """Enter: arm the choice keys, or pick (with the default when armed, or without choices)."""
        self._current()
        results = self.query_one("#picker-list", OptionList)
        if not results.option_count or results.highlighted is None:
            return
        if self.choices and not self.armed:
            self.armed = True
            self._show_armed()
            return
        self._pick(results.highlighted, self.default)

    @on(OptionList.OptionSelected, "#picker-list")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#picker-input", Input).focus()
        if self.choices:  # a click chooses the row; the key says how
            self.armed = True
            self._show_armed()
            return
        self._pick(event.option_index, self.default)

    def pick_choice(self, key: str) -> None:
        self._current()
        results = self.query_one("#picker-list", OptionList)
        if results.highlighted is not None:
            self._pick(results.highlighted, self.choice_keys[key])

    def _pick(self, index: int, value: str | None) -> None:
        results = self.query_one("#picker-list", OptionList)
        option = results.get_option_at_index(index)
        field = self.query_one("#picker-input", Input)
        text = " ".join(field.value.split())
        candidate = self.matches[int(option.id[1:])] if option.id and option.id != CREATE else None
        change = False
        if candidate is not None and value is not None and self.current is not None:
            now = self.current(candidate.candidate.id)
            if now is not None and now != value:
                if self.confirming != (candidate.candidate.id, value):
                    self._ask_change(candidate.candidate, now, value)
                    return
                change = True
        self.confirming = None
        before = self._ids()
        try:
            message = self.on_pick(candidate.candidate if candidate else None, text, value, change)
        except (ValueError, KeyError) as exc:
            self._log(str(exc), error=True)
            self.disarm()
            return
        picked = candidate.candidate.id if candidate else next(iter(self._ids() - before), None)
        self.last = picked
        if picked:
            self.picked.append(picked)
        if not self.multi:
            self.dismiss(picked)
            return
        self.armed = False
        self._show_armed()
        self._log(message)
        self.index = PickIndex(self.get_candidates())
        self.linker = self._linker()  # an item created just now is one to match from now on
        with field.prevent(Input.Changed):
            field.value = ""
        self._refilter("")

    def _ask_change(self, candidate: Candidate, now: str, value: str) -> None:
        """The picked item is linked already with another choice: keep it, say so, and arm the change."""
        self.confirming = (candidate.id, value)
        key = next((c.key for c in self.choices if c.value == value), "enter")
        self.query_one("#picker-log", Static).update(
            Content.assemble(
                ("! ", "bold $text-warning"),
                f"{_safe(candidate.name or candidate.id)} is {now} already: kept. ",
                (key, "bold"),
                f" again makes it {value}; any other key keeps it",
            )
        )
        self.armed = True
        self._show_armed()

    def _ids(self) -> set[str]:
        if not self.create_section or self.session is None:
            return set()
        return {item.id for item in self.session.workshop.section(self.create_section)}

    def _log(self, message: str, error: bool = False) -> None:
        style = "bold $text-error" if error else "$text-success"
        self.query_one("#picker-log", Static).update(Content.assemble(("✗ " if error else "✓ ", style), _safe(message)))

    def action_close(self) -> None:
        self.dismiss(self.last)


# -- candidates -------------------------------------------------------------------------------
def attribute_candidates(ws: m.Workshop, notes: dict[str, str] | None = None) -> list[Candidate]:
    notes = notes or {}
    return [
        Candidate(a.id, a.name, "attributes", tuple(a.synonyms), notes.get(a.id, ""))
        for a in sorted(ws.attributes, key=lambda a: (a.name or a.id).casefold())
    ]


def stakeholder_candidates(ws: m.Workshop, current: str | None = None) -> list[Candidate]:
    return [
        Candidate(
            s.id,
            s.name,
            "stakeholders",
            tuple(t for t in (s.role, s.function) if t),
            "owner now" if s.id == current else "",
        )
        for s in sorted(ws.stakeholders, key=lambda s: (s.name or s.id).casefold())
    ]


def system_candidates(
    ws: m.Workshop, exclude: str | None = None, notes: dict[str, str] | None = None
) -> list[Candidate]:
    notes = notes or {}
    return [
        Candidate(s.id, s.name, "systems", tuple(t for t in (s.kind, s.supplier) if t), notes.get(s.id, ""))
        for s in sorted(ws.systems, key=lambda s: (s.name or s.id).casefold())
        if s.id != exclude
    ]


def any_candidates(ws: m.Workshop, notes: dict[str, str] | None = None) -> list[Candidate]:
    notes = notes or {}
    out = []
    for section in m.ITEM_SECTIONS:
        for item in ws.section(section):
            out.append(
                Candidate(
                    item.id,
                    shorten(_safe(item_name(item)), 80),
                    section,
                    (section_word(section),),
                    notes.get(item.id, section_word(section)),
                )
            )
    return out


# -- the pickers --------------------------------------------------------------------------------
CRITICALITY = (Choice("m", "must"), Choice("s", "should"), Choice("c", "could"))
ROLE = (Choice("m", "master"), Choice("c", "copy"), Choice("d", "derived"))
STEP_ACTION = (Choice("c", "creates"), Choice("r", "reads"), Choice("u", "updates"), Choice("x", "deletes"))

#: what a pick links: (the id picked, or None to create an item from the text typed, the text, the choice,
#: whether an existing link's choice may change) -> a sentence
Link = Callable[[str | None, str, str | None, bool], str]


def _picker(
    session: Session, subject: str, title: str, candidates: Callable[[], list[Candidate]], link: Link, **options: Any
) -> LinkPicker:
    """A picker about ``subject`` whose every pick is ``link(id or None, text typed, choice)``."""

    def pick(c: Candidate | None, text: str, value: str | None, change: bool = False) -> str:
        return link(c.id if c else None, text, value, change)

    return LinkPicker(title=title, candidates=candidates, on_pick=pick, subject=subject, session=session, **options)


def _attribute_link_picker(
    session: Session, link: linking.AttributeLink, parent: str, title: str, linked: str, choices: Sequence[Choice]
) -> LinkPicker:
    """Link attributes to ``parent`` with one choice each; the ones linked already say so (``linked: value``)."""

    def candidates() -> list[Candidate]:
        records = getattr(session.item(link.section, parent), link.field)
        notes = {r.attribute: f"{linked}: {getattr(r, 'effective_' + link.choice)}" for r in records}
        return attribute_candidates(session.workshop, notes)

    def pick(attribute: str | None, text: str, value: str | None, change: bool) -> str:
        return linking.link_attribute(session, link, parent, attribute, value or link.default, text, change=change)

    def current(attribute: str) -> str | None:
        return linking.current_link(session, link, parent, attribute)

    return _picker(
        session,
        parent,
        title,
        candidates,
        pick,
        choices=choices,
        default=link.default,
        create="attributes",
        current=current,
    )


def need_picker(session: Session, use_case: str) -> LinkPicker:
    """Add needs to a use case: m/s/c picks how critical."""
    return _attribute_link_picker(session, linking.NEED, use_case, f"Needs of {use_case}", "needed", CRITICALITY)


def holding_picker(session: Session, system: str) -> LinkPicker:
    """Add holdings to a system: m/c/d picks the role."""
    return _attribute_link_picker(session, linking.HOLDING, system, f"What {system} holds", "held", ROLE)


def feed_target_picker(session: Session, system: str) -> LinkPicker:
    """The first half of adding a feed: which system it goes to (dismisses with its id)."""

    def candidates() -> list[Candidate]:
        sy = session.item("systems", system)
        return system_candidates(
            session.workshop,
            exclude=system,
            notes={f.to: f"fed already ({len(f.attributes)} attributes)" for f in sy.feeds},
        )

    def pick(target: str | None, text: str, value: str | None, change: bool) -> str:
        _, message = linking.add_feed(session, system, target, create_name=text)
        return message

    return _picker(session, system, f"{system} feeds which system?", candidates, pick, create="systems", multi=False)


def feed_attribute_picker(session: Session, system: str, target: str) -> LinkPicker:
    """The second half of adding a feed: the attributes it carries (enter adds one)."""

    def candidates() -> list[Candidate]:
        sy = session.item("systems", system)
        carried: list[str] = next((f.attributes for f in sy.feeds if f.to == target), [])
        held = {h.attribute for h in sy.holds}
        notes = {a: "held here" for a in held}
        notes.update({a: "carried" for a in carried})
        return attribute_candidates(session.workshop, notes)

    def pick(attribute: str | None, text: str, value: str | None, change: bool) -> str:
        return linking.add_feed_attribute(session, system, target, attribute, create_name=text)

    return _picker(session, system, f"What the feed {system} → {target} carries", candidates, pick, create="attributes")


def step_picker(session: Session, process: str, step: int) -> LinkPicker:
    """What a process step does with attributes: c/r/u/x."""

    def candidates() -> list[Candidate]:
        st = session.item("processes", process).steps[step]
        notes: dict[str, str] = {}
        for action in linking.STEP_ACTIONS:
            for a in getattr(st, action):
                notes[a] = f"{notes[a]}, {action}" if a in notes else action
        return attribute_candidates(session.workshop, notes)

    def pick(attribute: str | None, text: str, value: str | None, change: bool) -> str:
        return linking.add_step_link(session, process, step, value or "reads", attribute, create_name=text)

    title = f"Step {step + 1} of {process}"
    return _picker(session, process, title, candidates, pick, choices=STEP_ACTION, default="reads", create="attributes")


def owner_picker(session: Session, section: str, item: str) -> LinkPicker:
    """Who owns an item (enter picks; a new stakeholder can be created on the spot)."""

    def candidates() -> list[Candidate]:
        return stakeholder_candidates(session.workshop, session.item(section, item).owner)

    def pick(owner: str | None, text: str, value: str | None, change: bool) -> str:
        return linking.set_owner(session, section, item, owner, create_name=text)

    return _picker(session, item, f"Owner of {item}", candidates, pick, create="stakeholders", multi=False)


def about_picker(session: Session, note: str) -> LinkPicker:
    """What a note is about: any item (enter adds one; stays open for more)."""

    def candidates() -> list[Candidate]:
        about = set(session.item("notes", note).about)
        return [
            c
            for c in any_candidates(session.workshop, {a: "about it already" for a in about})
            if not (c.section == "notes" and c.id == note)
        ]

    def pick(item: str | None, text: str, value: str | None, change: bool) -> str:
        if item is None:
            raise ValueError("pick an existing item")
        return linking.add_about(session, note, item)

    return _picker(session, note, f"What {note} is about", candidates, pick)
