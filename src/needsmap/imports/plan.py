"""What an import proposes to change in a workshop, shown before anything is written.

Every importer (spreadsheets, DDL, live databases) turns its input into an
:class:`ImportPlan`: a list of :class:`Change` rows, each tied to where it came
from (:class:`Source`, ``BOOK.xlsx:Sheet1:R12`` or ``schema.sql:12``).  The
plan is shown as a preview (:func:`preview_rows`, :func:`summary`); only an
explicit apply (:func:`apply_plan`) turns it into a new workshop, which the
caller saves through :func:`needsmap.format.saver.save`.

Kinds of change:

* ``add``: a new item (or need, or holding) that is not in the workshop;
* ``merge``: an item that is already there (same id, or same name ignoring
  case, accents and spacing): only fields it does not have yet are filled
  (``fills``); values that differ are kept and listed (``conflicts``), never
  overwritten;
* ``unchanged``: already there, nothing new;
* ``ambiguous``: needs a person's decision (a near-miss name, two candidates,
  a value that could not be read); nothing is applied;
* ``skip``: input that is not imported (empty, duplicate), with the reason.

Items are never mutated: applying a plan builds new items with
:func:`dataclasses.replace` and returns a new :class:`~needsmap.format.model.Workshop`.

:class:`PlanBuilder` holds what importers share: finding the item an incoming
one merges with, matching names of people and attributes (exactly, then with
rapidfuzz for near-misses), and free ids for new items.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key, new_item_id
from needsmap.imports.column_evidence import confidence_text
from needsmap.util.text import shorten

Kind = Literal["add", "merge", "unchanged", "ambiguous", "skip"]
KINDS: tuple[str, ...] = ("add", "merge", "unchanged", "ambiguous", "skip")

#: Sections a change can target besides the item sections: one need of a use
#: case (``item`` is a :class:`NeedProposal`), one holding of a system
#: (``item`` is a :class:`HoldingProposal`).
CHILD_SECTIONS: tuple[str, ...] = ("needs", "holdings")

#: A fuzzy score (rapidfuzz WRatio, 0-100) at or above this is taken as the same name.
SAME_NAME_SCORE = 92
#: From here up to SAME_NAME_SCORE a name is a near-miss: ambiguous, a person decides.
NEAR_MISS_SCORE = 78
#: People's names are compared letter by letter (rapidfuzz ratio), and closer:
#: 'Jan de Vries' is not 'Sanne de Vries', but 'Sanne de Vris' is.
PERSON_SAME_SCORE = 92
PERSON_NEAR_MISS_SCORE = 85

_BARE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class Source:
    """Where an imported value came from: a sheet row, a CSV or SQL line, a table."""

    file: str
    sheet: str | None = None
    row: int | None = None  # the sheet's row number (R12) or the file's line number

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}" + (f":R{self.row}" if self.row is not None else "")
        return self.file + (f":{self.row}" if self.row is not None else "")

    @property
    def short(self) -> str:
        """``R12`` (or ``12``) for messages inside one file's preview."""
        if self.row is None:
            return str(self)
        return f"R{self.row}" if self.sheet is not None else f"line {self.row}"


@dataclass(frozen=True, slots=True)
class FieldUpdate:
    """One field of a merge.  For list fields ``new`` holds the elements to add."""

    field: str
    old: object
    new: object

    @property
    def is_list(self) -> bool:
        return isinstance(self.new, (list, tuple))


@dataclass(frozen=True, slots=True)
class NeedProposal:
    use_case: str
    need: m.Need


@dataclass(frozen=True, slots=True)
class HoldingProposal:
    """A system holds an attribute: with how sure the importer is and why."""

    system: str
    holding: m.Holding
    confidence: float = 1.0  # 0..1
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    kind: Kind
    section: str  # an item section, "needs", "holdings", or "" (a skipped row)
    ident: str  # the item's id ("use-case/attribute" for needs, "system/attribute" for holdings)
    label: str  # the name or title, as people read it
    source: Source
    item: object | None = None  # add: the new item, NeedProposal or HoldingProposal
    fills: tuple[FieldUpdate, ...] = ()  # merge: applied
    conflicts: tuple[FieldUpdate, ...] = ()  # merge: differing values, kept and reported
    message: str = ""  # why (ambiguous, skip), or what else to know
    candidates: tuple[str, ...] = ()  # ambiguous: what it could be


@dataclass(frozen=True, slots=True)
class ImportPlan:
    source: str  # the input, as named on the command line
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()  # about the input as a whole (columns read and ignored...)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def applicable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind in ("add", "merge"))


# -- merging one incoming item into an existing one --------------------------------------
_NEVER_COMPARED = frozenset({"id", "loc"})


def _field_names(item) -> list[str]:
    return [f.name for f in dataclasses.fields(item) if f.name not in _NEVER_COMPARED]


def _child_key(value) -> object:
    """Elements of a list field are the same when they are about the same attribute (needs, holdings),
    go to the same system (feeds), are steps of the same name, or are the same text ignoring case and
    spacing (synonyms, channels)."""
    if isinstance(value, str):
        return name_key(value) or value
    if isinstance(value, (m.Need, m.Holding)):
        return ("attribute", value.attribute)
    if isinstance(value, m.Feed):
        return ("feed", value.to)
    if isinstance(value, m.Step):
        return ("step", name_key(value.name))
    return value


def merge_fields(existing, incoming) -> tuple[tuple[FieldUpdate, ...], tuple[FieldUpdate, ...]]:
    """(fills, conflicts) of merging ``incoming`` into ``existing``: absent fields filled, lists extended.

    Only fields ``incoming`` states count (``None`` and empty lists state nothing).
    """
    fills: list[FieldUpdate] = []
    conflicts: list[FieldUpdate] = []
    for name in _field_names(existing):
        old, new = getattr(existing, name), getattr(incoming, name)
        if isinstance(new, list):
            have = {_child_key(v) for v in old}
            added = [v for v in new if _child_key(v) not in have]
            if added:
                fills.append(FieldUpdate(name, list(old), added))
            continue
        if new is None or new == "":
            continue
        if old is None or old == "":
            fills.append(FieldUpdate(name, old, new))
        elif old != new and not (isinstance(old, str) and isinstance(new, str) and name_key(old) == name_key(new)):
            conflicts.append(FieldUpdate(name, old, new))
    return tuple(fills), tuple(conflicts)


def _with_fills(item, fills: Iterable[FieldUpdate]):
    changes: dict[str, Any] = {}  # field -> new value, of that field's type
    for f in fills:
        if isinstance(f.new, (list, tuple)):  # a list field: add the elements it lacks
            current = changes.get(f.field, getattr(item, f.field))
            have = {_child_key(v) for v in current}
            changes[f.field] = [*current, *(v for v in f.new if _child_key(v) not in have)]
        else:
            changes[f.field] = f.new
    return dataclasses.replace(item, **changes) if changes else item


# -- applying ----------------------------------------------------------------------------
class PlanError(Exception):
    """A plan does not fit the workshop it is applied to (it was built for another one)."""


def apply_plan(ws: m.Workshop, plan: ImportPlan) -> m.Workshop:
    """A new workshop with the plan's ``add`` and ``merge`` changes; ``ws`` and its items are untouched."""
    # section -> its item list, each of its own item type (Any: a dict holds one value type, Workshop has many)
    sections: dict[str, Any] = {name: list(getattr(ws, name)) for name in m.ITEM_SECTIONS}
    positions = {name: {item.id: i for i, item in enumerate(items)} for name, items in sections.items()}

    def where(section: str, ident: str) -> int:
        try:
            return positions[section][ident]
        except KeyError:
            raise PlanError(f"{section} has no item '{ident}' to change") from None

    def replace_child(section: str, parent_id: str, list_field: str, child, fills) -> None:
        i = where(section, parent_id)
        parent = sections[section][i]
        children = list(getattr(parent, list_field))
        for k, existing in enumerate(children):
            if existing.attribute == child.attribute:
                children[k] = _with_fills(existing, fills) if fills else existing
                break
        else:
            children.append(child)
        sections[section][i] = dataclasses.replace(parent, **{list_field: children})

    for change in plan.applicable:
        if change.section in m.ITEM_SECTIONS:
            if change.kind == "add":
                if change.ident in positions[change.section]:
                    raise PlanError(f"{change.section} already has an item '{change.ident}'")
                positions[change.section][change.ident] = len(sections[change.section])
                sections[change.section].append(change.item)
            else:
                i = where(change.section, change.ident)
                sections[change.section][i] = _with_fills(sections[change.section][i], change.fills)
        elif change.section == "needs":
            proposal = change.item
            assert isinstance(proposal, NeedProposal)
            replace_child(
                "use_cases", proposal.use_case, "needs", proposal.need, change.fills if change.kind == "merge" else ()
            )
        elif change.section == "holdings":
            proposal = change.item
            assert isinstance(proposal, HoldingProposal)
            replace_child(
                "systems", proposal.system, "holds", proposal.holding, change.fills if change.kind == "merge" else ()
            )
        else:
            raise PlanError(f"cannot apply a change to '{change.section}'")
    return dataclasses.replace(ws, **sections)


# -- preview -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PreviewRow:
    kind: str
    section: str
    ident: str
    label: str
    source: str
    detail: str


PREVIEW_COLUMNS: tuple[str, ...] = ("change", "section", "id", "name", "from", "detail")
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def show_value(value: object) -> str:
    """A field value as the preview writes it: ids bare, text quoted, lists comma-separated."""
    if isinstance(value, (list, tuple)):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, m.Need):
        return value.attribute + (f" ({value.criticality})" if value.criticality else "")
    if isinstance(value, m.Holding):
        return value.attribute + (f" ({value.field})" if value.field else "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        text = " ".join(value.split())
        if _BARE_WORD.fullmatch(text):
            return text
        return repr(shorten(text, 40))
    return str(value)


def describe_fills(fills: Iterable[FieldUpdate]) -> list[str]:
    out = []
    for f in fills:
        out.append(f"{f.field} +{show_value(f.new)}" if f.is_list else f"{f.field} {show_value(f.new)}")
    return out


def describe_conflicts(conflicts: Iterable[FieldUpdate]) -> list[str]:
    return [f"keeps {c.field} {show_value(c.old)} (input: {show_value(c.new)})" for c in conflicts]


def describe_item(item: object) -> list[str]:
    """The fields a new item states, besides its id and name (``owner 'sanne'``, ``needs email, phone``)."""
    if isinstance(item, NeedProposal):
        item = item.need
    elif isinstance(item, HoldingProposal):
        parts = describe_item(item.holding)
        if item.confidence < 1:
            parts.append(f"confidence {confidence_text(item.confidence)}: {item.reason}")
        return parts
    parts = []
    for name in _field_names(item):
        if name in ("name", "title", "attribute"):
            continue
        value = getattr(item, name)
        if value is None or value == "" or value == []:
            continue
        parts.append(f"{name} {show_value(value)}")
    return parts


def _detail(change: Change) -> str:
    parts: list[str] = []
    if change.kind == "add" and change.item is not None:
        parts.extend(describe_item(change.item))
    if change.kind == "merge":
        parts.extend(describe_fills(change.fills))
        parts.extend(describe_conflicts(change.conflicts))
    elif change.kind == "unchanged":
        parts.extend(describe_conflicts(change.conflicts))
    if change.message:
        parts.append(change.message)
    if change.candidates:
        parts.append("candidates: " + ", ".join(change.candidates))
    return "; ".join(parts)


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    """The plan as rows to show: additions first, then merges, unchanged, ambiguous, skipped (input order within)."""
    ordered = sorted(plan.changes, key=lambda c: _KIND_ORDER[c.kind])
    return [PreviewRow(c.kind, c.section, c.ident, c.label, str(c.source), _detail(c)) for c in ordered]


def summary(plan: ImportPlan) -> str:
    """``2 to add, 1 to merge, 0 unchanged, 1 ambiguous, 1 skipped``."""
    return (
        f"{plan.count('add')} to add, {plan.count('merge')} to merge, {plan.count('unchanged')} unchanged, "
        f"{plan.count('ambiguous')} ambiguous, {plan.count('skip')} skipped"
    )


# -- building plans ----------------------------------------------------------------------
@dataclass(slots=True)
class Match:
    """The result of looking a name up: one id, several candidates, or nothing."""

    ident: str | None = None
    candidates: tuple[str, ...] = ()
    score: float = 0.0  # 100 for exact


@dataclass(slots=True)
class PlanBuilder:
    """Collects changes for one input against one workshop, and knows what the plan adds as it goes."""

    workshop: m.Workshop
    source: str
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _added: dict[str, dict[str, object]] = field(default_factory=dict)  # section -> id -> new item
    _items: dict[str, dict[str, object]] = field(default_factory=dict)  # section -> id -> item (both)
    _names: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # section -> name_key -> ids
    _choices: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # names and ids, for fuzzy lookups
    _fuzzy: dict[str, dict[str, Match]] = field(default_factory=dict)  # section -> name_key -> result

    def __post_init__(self) -> None:
        for section in m.ITEM_SECTIONS:
            self._added[section] = {}
            self._items[section] = {}
            self._names[section] = {}
            self._choices[section] = {}
            self._fuzzy[section] = {}
            for item in self.workshop.section(section):
                self._index(section, item)

    def _index(self, section: str, item) -> None:
        self._items[section].setdefault(item.id, item)
        for text in self._names_of(item):
            ids = self._names[section].setdefault(name_key(text), [])
            if item.id not in ids:
                ids.append(item.id)
        for key in {name_key(t) for t in self._names_of(item)} | {name_key(item.id)}:
            if key:
                ids = self._choices[section].setdefault(key, [])
                if item.id not in ids:
                    ids.append(item.id)
        self._fuzzy[section].clear()

    @staticmethod
    def _names_of(item) -> list[str]:
        names = [item_name(item)]
        names.extend(getattr(item, "synonyms", ()) or ())
        return [n for n in names if n]

    # what exists (in the workshop, or added by this plan) -----------------------------
    def existing(self, section: str, ident: str):
        """The item ``ident`` of ``section``: the workshop's, or the one this plan adds (as merged so far)."""
        added = self._added[section].get(ident)
        return added if added is not None else self._items[section].get(ident)

    def taken_ids(self, section: str) -> set[str]:
        return set(self._items[section])

    def find(self, section: str, *, ident: str | None = None, name: str | None = None) -> Match:
        """The item an incoming one is the same as: same id, or same name/synonym (ignoring case and spacing)."""
        if ident and ident in self._items[section]:
            return Match(ident, (ident,), 100)
        if name:
            ids = self._names[section].get(name_key(name), ())
            if len(ids) == 1:
                return Match(ids[0], (ids[0],), 100)
            if ids:
                return Match(None, tuple(ids), 100)
        return Match()

    def lookup(self, section: str, text: str) -> Match:
        """``text`` as an id, a name or a synonym; a near-miss gives candidates; nothing found gives an empty Match."""
        text = " ".join(text.split())
        if not text:
            return Match()
        if text in self._items[section]:
            return Match(text, (text,), 100)
        exact = self.find(section, name=text)
        if exact.ident is not None or exact.candidates:
            return exact
        key = name_key(text)
        if not key:
            return Match()
        cached = self._fuzzy[section].get(key)
        if cached is None:
            cached = self._fuzzy[section][key] = self._fuzzy_lookup(section, key)
        return Match(cached.ident, cached.candidates, cached.score)

    def _fuzzy_lookup(self, section: str, key: str) -> Match:
        from rapidfuzz import fuzz, process

        choices = self._choices[section]
        if key in choices and len(choices[key]) == 1:  # the id itself, spelled differently ("Tom" for tom)
            return Match(choices[key][0], (choices[key][0],), 100)
        if not choices:
            return Match()
        if section == "stakeholders":
            scorer, same, near = fuzz.ratio, PERSON_SAME_SCORE, PERSON_NEAR_MISS_SCORE
        else:
            scorer, same, near = fuzz.WRatio, SAME_NAME_SCORE, NEAR_MISS_SCORE
        hits = process.extract(key, list(choices), scorer=scorer, limit=5, score_cutoff=near)
        scored: dict[str, float] = {}
        for choice, score, _ in hits:
            for ident in choices[choice]:
                scored[ident] = max(scored.get(ident, 0), score)
        if not scored:
            return Match()
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        best_id, best = ranked[0]
        if best >= same and (len(ranked) == 1 or ranked[1][1] < same):
            return Match(best_id, (best_id,), best)
        return Match(None, tuple(i for i, _ in ranked), best)

    def new_id(self, section: str, name: str, preferred: str | None = None) -> str:
        """A free, valid id for a new item called ``name`` (``preferred`` when it is valid and free)."""
        return new_item_id(section, name, self.taken_ids(section), preferred=preferred)

    # recording changes ----------------------------------------------------------------
    def add(self, section: str, item, source: Source, message: str = "") -> Change:
        change = Change("add", section, item.id, item_name(item), source, item=item, message=message)
        self.changes.append(change)
        if section in m.ITEM_SECTIONS:
            self._added[section][item.id] = item
            self._index(section, item)
        return change

    def merge(self, section: str, existing, incoming, source: Source, message: str = "") -> Change:
        """Merge ``incoming`` into ``existing`` (an item in the workshop, or one this plan adds)."""
        fills, conflicts = merge_fields(existing, incoming)
        if section in m.ITEM_SECTIONS and existing.id in self._added[section]:
            # an item this plan adds: fold the new values into the addition itself
            merged = _with_fills(existing, fills)
            self._added[section][existing.id] = merged
            for i, c in enumerate(self.changes):
                if c.kind == "add" and c.section == section and c.ident == existing.id:
                    self.changes[i] = dataclasses.replace(c, item=merged)
        kind: Kind = "merge" if fills else "unchanged"
        change = Change(
            kind, section, existing.id, item_name(existing), source, fills=fills, conflicts=conflicts, message=message
        )
        self.changes.append(change)
        return change

    def merge_child(
        self, parent_section: str, parent_id: str, proposal, source: Source, label: str = "", message: str = ""
    ) -> Change:
        """A need or holding of ``parent_id`` (in the workshop or added by this plan): added when the parent
        lacks it, merged (fill absent fields) when it has it."""
        is_need = isinstance(proposal, NeedProposal)
        child = proposal.need if is_need else proposal.holding
        section, verb = ("needs", "needs") if is_need else ("holdings", "holds")
        parent = self.existing(parent_section, parent_id)
        children = (parent.needs if is_need else parent.holds) if parent else []
        existing_child = next((c for c in children if c.attribute == child.attribute), None)
        ident = f"{parent_id}/{child.attribute}"
        label = label or f"{parent_id} {verb} {child.attribute}"
        if existing_child is None:
            change = Change("add", section, ident, label, source, item=proposal, message=message)
        else:
            fills, conflicts = merge_fields(existing_child, child)
            change = Change(
                "merge" if fills else "unchanged",
                section,
                ident,
                label,
                source,
                item=proposal,
                fills=fills,
                conflicts=conflicts,
                message=message,
            )
        self.changes.append(change)
        return change

    def propose_need(self, use_case: str, need: m.Need, source: Source, label: str = "", message: str = "") -> Change:
        """``use_case`` (in the workshop or added by this plan) needs ``need.attribute``: added, or merged."""
        return self.merge_child("use_cases", use_case, NeedProposal(use_case, need), source, label, message)

    def propose_holding(
        self,
        system: str,
        holding: m.Holding,
        source: Source,
        *,
        confidence: float = 1.0,
        reason: str = "",
        label: str = "",
        message: str = "",
    ) -> Change:
        """``system`` holds ``holding.attribute``, with how sure the importer is and why: added, or merged."""
        return self.merge_child(
            "systems", system, HoldingProposal(system, holding, confidence, reason), source, label, message
        )

    def ambiguous(
        self, section: str, ident: str, label: str, source: Source, message: str, candidates: Iterable[str] = ()
    ) -> Change:
        change = Change("ambiguous", section, ident, label, source, message=message, candidates=tuple(candidates))
        self.changes.append(change)
        return change

    def skip(self, source: Source, message: str, section: str = "", label: str = "") -> Change:
        change = Change("skip", section, "", label, source, message=message)
        self.changes.append(change)
        return change

    def plan(self) -> ImportPlan:
        return ImportPlan(self.source, tuple(self.changes), tuple(self.notes))
