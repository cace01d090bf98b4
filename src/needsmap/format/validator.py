"""Checks between items of a loaded workshop: ids and cross-references.

The loader has already checked each value on its own (types, enums, ranges,
required fields).  This module checks what needs the whole workshop:

* ids match :data:`needsmap.format.spec.ID_PATTERN` and are unique in their section;
* every reference names an existing item (with the closest id suggested);
  note ``about`` may name an id of any section, and is reported as ambiguous
  when that id exists in several sections;
* function and channel names are unique and used consistently;
* a purpose (of a use case, or covered by a consent) is a documented one or one
  of ``settings.purposes``;
* an attribute is held at most once per system, needed at most once per use
  case; ``values`` only with type ``enum``; a system does not feed itself;
* an attribute's ``identifier``/``identifies`` agree, special-category data is
  sensitive, only consents say which ``purposes``/``channels`` they cover, and
  only derived holdings say what they are ``derived_from``.

Which fields are references is read from :mod:`needsmap.format.spec`, so a new
reference field is checked without touching this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.conflicts import report_conflicts
from needsmap.format.diagnostics import Diagnostic, Position, Reporter, suggestion_suffix
from needsmap.format.naming import item_label, section_word

_ID_RE = re.compile(spec.ID_PATTERN.strip("^$"))


def _at(item: object, key: str = "", index: int | None = None) -> Position | None:
    return m.loc_position(getattr(item, "loc", None), key, index)


class Validator:
    """The checks between items, one method per kind of check.

    :func:`validate` runs them all; the terminal UI's forms run single ones
    (:meth:`unique_ids`, :meth:`refs`, :meth:`attribute_rules`...) on the item being edited,
    so a form says exactly what ``needsmap validate`` would.
    """

    def __init__(self, ws: m.Workshop, rep: Reporter) -> None:
        self.ws = ws
        self.rep = rep
        self.ids: dict[str, set[str]] = {}
        self.sections_of: dict[str, list[str]] = {}

    def run(self) -> None:
        ws = self.ws
        self.ids["functions"] = self._names(ws.functions, ws, "functions")
        self.ids["channels"] = self._names(ws.channels, ws, "channels")
        if ws.functions is None:
            self.ids["functions"] = set(m.DEFAULT_FUNCTIONS)
        if ws.channels is None:
            self.ids["channels"] = set(m.DEFAULT_CHANNELS)
        if ws.settings is not None and ws.settings.purposes is not None:
            self._names(ws.settings.purposes, ws.settings, "purposes", "settings.purposes")
        self.ids[spec.PURPOSES] = set(ws.purpose_ids)
        for section in m.ITEM_SECTIONS:
            self.ids[section] = self.unique_ids(section, ws.section(section))
        for section in m.ITEM_SECTIONS:
            for sid in self.ids[section]:
                self.sections_of.setdefault(sid, []).append(section)
        if ws.settings is not None:
            self.refs(ws.settings, spec.SETTINGS, "'settings'")
        for section, rec in spec.ITEM_RECORDS.items():
            for item in ws.section(section):
                self.refs(item, rec, item_label(rec.word, item.id))
        for i, vote in enumerate(ws.votes):
            self.refs(vote, spec.VOTE, f"vote #{i + 1}")
        self.attribute_rules()
        self.system_rules()
        self.use_case_rules()
        report_conflicts(ws, self.rep)
        self._model_rules()
        self._option_rules()

    # -- ids ---------------------------------------------------------------
    def _names(self, names: list[str] | None, owner: object, key: str, shown: str | None = None) -> set[str]:
        """The names of list ``key`` of ``owner`` (``shown``: how messages call the list, default ``key``)."""
        seen: set[str] = set()
        if names is None:
            return seen
        shown = shown or key
        for i, name in enumerate(names):
            pos = _at(owner, key, i)
            if not _ID_RE.fullmatch(name):
                self.rep.error(
                    pos,
                    "invalid-id",
                    f"'{name}' in '{shown}' is not a valid name: use letters, digits, '_', '.', '-', "
                    "starting with a letter or digit",
                )
            if name in seen:
                self.rep.error(pos, "duplicate-id", f"'{name}' appears twice in '{shown}'")
            seen.add(name)
        return seen

    def unique_ids(self, section: str, items: list[Any]) -> set[str]:
        first: dict[str, Position | None] = {}
        word = section_word(section)
        for item in items:
            ident = item.id
            pos = _at(item, "id")
            if not _ID_RE.fullmatch(ident):
                self.rep.error(
                    pos,
                    "invalid-id",
                    f"{word} id '{ident}' is not valid: use letters, digits, '_', '.', '-', "
                    "starting with a letter or digit (for example "
                    f"'{_slug(ident) or 'item-1'}')",
                )
            if ident in first:
                where = first[ident]
                also = f" (first at line {where[0]})" if where else ""
                self.rep.error(
                    pos, "duplicate-id", f"duplicate {word} id '{ident}'{also}; ids must be unique within '{section}'"
                )
            else:
                first[ident] = pos
        return set(first)

    # -- references --------------------------------------------------------
    def refs(self, item: object, rec: spec.Record, label: str) -> None:
        for fld in rec.fields:
            shape = fld.shape
            value = getattr(item, fld.attr)
            if value is None:
                continue
            if isinstance(shape, spec.Scalar):
                if shape.kind == "ref":
                    self._check_ref(value, shape.ref, item, fld.key, None, label)
            elif isinstance(shape, spec.ListOf):
                inner = shape.item
                if isinstance(inner, spec.Record):
                    for i, child in enumerate(value):
                        self.refs(child, inner, item_label(inner.word, index=i, parent=label))
                elif inner.kind == "ref":
                    seen: set[str] = set()
                    for i, target in enumerate(value):
                        self._check_ref(target, inner.ref, item, fld.key, i, label)
                        if target in seen:
                            self.rep.warning(
                                _at(item, fld.key, i),
                                "duplicate-reference",
                                f"'{target}' is listed twice in '{fld.key}' of {label}",
                            )
                        seen.add(target)
            elif isinstance(shape, spec.Record):
                self.refs(value, shape, f"'{fld.key}'")

    def _check_ref(
        self, target: str, section: str | None, item: object, key: str, index: int | None, label: str
    ) -> None:
        assert section is not None
        pos = _at(item, key, index)
        if section == "any":
            found = self.sections_of.get(target)
            if not found:
                everything = self.sections_of.keys()
                self.rep.error(
                    pos,
                    "unknown-reference",
                    f"'{key}' of {label} names '{target}', which is not the id of any item"
                    f"{suggestion_suffix(target, everything)}",
                )
            elif len(found) > 1:
                where = " and ".join(f"'{s}'" for s in found)
                self.rep.warning(
                    pos,
                    "ambiguous-reference",
                    f"'{key}' of {label} names '{target}', which is an id in both {where}; "
                    "rename one of them so the note is about one thing",
                )
            return
        known = self.ids[section]
        if target not in known:
            word = section_word(section)
            if section == spec.PURPOSES:
                self.rep.error(
                    pos,
                    "unknown-reference",
                    f"'{key}' of {label} is '{target}', which is neither a documented purpose nor in "
                    f"'settings.purposes' (add it there to use your own){suggestion_suffix(target, known)} "
                    f"(known: {', '.join(p for p in self.ws.purpose_ids if p in known)})",
                )
            elif section in ("functions", "channels"):
                listed = self.ws.functions if section == "functions" else self.ws.channels
                where = (
                    f"not in '{section}'"
                    if listed is not None
                    else f"not a default {word} (add a '{section}' list to the file to use your own)"
                )
                self.rep.error(
                    pos,
                    "unknown-reference",
                    f"'{key}' of {label} is '{target}', which is {where}"
                    f"{suggestion_suffix(target, known)} (known: {', '.join(sorted(known))})",
                )
            else:
                self.rep.error(
                    pos,
                    "unknown-reference",
                    f"'{key}' of {label} refers to {word} '{target}', which does not exist"
                    f"{suggestion_suffix(target, known)}",
                )

    # -- item rules ----------------------------------------------------------
    def attribute_rules(self) -> None:
        for attr in self.ws.attributes:
            if attr.values and attr.type != "enum":
                self.rep.warning(
                    _at(attr, "values"),
                    "values-without-enum",
                    f"attribute '{attr.id}' lists 'values' but its type is "
                    f"'{attr.effective_type}'; set 'type: enum' or remove 'values'",
                )
            if attr.type == "enum" and not attr.values:
                self.rep.warning(
                    _at(attr, "type"),
                    "enum-without-values",
                    f"attribute '{attr.id}' has type enum but no 'values'; list the allowed values",
                )
            if attr.identifier is False and attr.identifies is not None:
                self.rep.error(
                    _at(attr, "identifies"),
                    "identifier-contradiction",
                    f"attribute '{attr.id}' says 'identifier: false' but 'identifies: {attr.identifies}'; "
                    "remove 'identifier: false' if it identifies something, or 'identifies' if it does not",
                )
            if attr.special_category and attr.sensitivity is not None and attr.sensitivity != "sensitive":
                self.rep.warning(
                    _at(attr, "sensitivity"),
                    "special-category-not-sensitive",
                    f"attribute '{attr.id}' is special-category data (GDPR Art. 9) but says "
                    f"'sensitivity: {attr.sensitivity}'; special-category data is sensitive: set "
                    "'sensitivity: sensitive' or leave it out",
                )
            if not attr.is_consent:
                for key in ("purposes", "channels"):
                    if getattr(attr, key):
                        self.rep.warning(
                            _at(attr, key),
                            f"{key}-without-consent",
                            f"attribute '{attr.id}' lists the '{key}' a consent covers, but its entity is "
                            f"'{attr.effective_entity}'; set 'entity: {m.CONSENT_ENTITY}' or remove '{key}'",
                        )

    def system_rules(self) -> None:
        for system in self.ws.systems:
            owner = item_label("system", system.id)
            self._attribute_once(system.holds, "duplicate-holding", f"{owner} holds", "holdings", "merge them into one")
            for i, holding in enumerate(system.holds):
                if holding.derived_from and holding.role != "derived":
                    self.rep.warning(
                        _at(holding, "derived_from"),
                        "derived-from-without-derived",
                        f"holding #{i + 1} of {owner} lists 'derived_from' but its role is "
                        f"'{holding.effective_role}'; set 'role: derived' (this system computes "
                        f"'{holding.attribute}') or remove 'derived_from'",
                    )
            for feed in system.feeds:
                if feed.to == system.id:
                    self.rep.error(
                        _at(feed, "to"),
                        "self-feed",
                        f"system '{system.id}' has a feed to itself; a feed goes to another system",
                    )
                if not feed.attributes:
                    self.rep.warning(
                        _at(feed),
                        "empty-feed",
                        f"feed from '{system.id}' to '{feed.to}' carries no attributes; list them in 'attributes'",
                    )

    def use_case_rules(self) -> None:
        for uc in self.ws.use_cases:
            self._attribute_once(
                uc.needs, "duplicate-need", f"{item_label('use case', uc.id)} needs", "needs", "keep one"
            )

    def _attribute_once(
        self, records: Sequence[m.Need | m.Holding], code: str, says: str, listed: str, fix: str
    ) -> None:
        """An error for each of ``records`` that names the attribute of an earlier one."""
        first: dict[str, int] = {}
        for i, record in enumerate(records):
            if record.attribute in first:
                self.rep.error(
                    _at(record),
                    code,
                    f"{says} attribute '{record.attribute}' twice "
                    f"({listed} #{first[record.attribute] + 1} and #{i + 1}); {fix}",
                )
            else:
                first[record.attribute] = i

    def _model_rules(self) -> None:
        model = self.ws.model
        if model is None:
            return
        entities = {a.effective_entity for a in self.ws.attributes}
        pairs: dict[frozenset[str], int] = {}
        for i, rel in enumerate(model.relationships):
            label = f"relationship #{i + 1} of 'model'"
            for key in ("parent", "child"):
                name = getattr(rel, key)
                if not _ID_RE.fullmatch(name):
                    self.rep.error(
                        _at(rel, key),
                        "invalid-id",
                        f"'{key}' of {label} is '{name}', which is not a valid entity name: use "
                        "letters, digits, '_', '.', '-'",
                    )
                elif entities and name not in entities:
                    self.rep.warning(
                        _at(rel, key),
                        "unknown-entity",
                        f"'{key}' of {label} is entity '{name}', which no attribute has"
                        f"{suggestion_suffix(name, entities)}; the model draft will still make "
                        "an empty table for it",
                    )
            if rel.parent == rel.child and rel.effective_cardinality != "none":
                self.rep.error(
                    _at(rel),
                    "self-relationship",
                    f"{label} relates '{rel.parent}' to itself; give parent and child different entities",
                )
            pair = frozenset((rel.parent, rel.child))
            if pair in pairs:
                self.rep.error(
                    _at(rel),
                    "duplicate-relationship",
                    f"{label} relates '{rel.parent}' and '{rel.child}' again (first in relationship "
                    f"#{pairs[pair] + 1}); keep one",
                )
            else:
                pairs[pair] = i

    def _option_rules(self) -> None:
        for option in self.ws.options:
            seen: dict[str, int] = {}
            for i, work in enumerate(option.work_items):
                if not _ID_RE.fullmatch(work.id):
                    self.rep.error(
                        _at(work, "id"),
                        "invalid-id",
                        f"work item id '{work.id}' of option '{option.id}' is not valid: use "
                        "letters, digits, '_', '.', '-'",
                    )
                if work.id in seen:
                    self.rep.error(
                        _at(work, "id"),
                        "duplicate-id",
                        f"option '{option.id}' has two work items '{work.id}' (#{seen[work.id] + 1} "
                        f"and #{i + 1}); ids must be unique within an option",
                    )
                else:
                    seen[work.id] = i
            for work in option.work_items:
                for j, dep in enumerate(work.depends_on):
                    if dep not in seen:
                        self.rep.error(
                            _at(work, "depends_on", j),
                            "unknown-reference",
                            f"work item '{work.id}' of option '{option.id}' depends on '{dep}', which "
                            f"is not a work item of that option{suggestion_suffix(dep, seen)}",
                        )
                    elif dep == work.id:
                        self.rep.error(
                            _at(work, "depends_on", j),
                            "self-dependency",
                            f"work item '{work.id}' of option '{option.id}' depends on itself",
                        )
            if any(w.depends_on for w in option.work_items):
                self._dependency_cycle(option)
        voted: dict[tuple[str, str], int] = {}
        for i, vote in enumerate(self.ws.votes):
            key = (vote.stakeholder, vote.option)
            if key in voted:
                self.rep.warning(
                    _at(vote),
                    "duplicate-vote",
                    f"vote #{i + 1}: '{vote.stakeholder}' already voted on option '{vote.option}' "
                    f"(vote #{voted[key] + 1}); only the last vote counts, remove the other",
                )
            voted[key] = i

    def _dependency_cycle(self, option: m.Option) -> None:
        """Work items that wait on each other in a circle can never be planned (needsmap roadmap)."""
        import networkx as nx

        graph = nx.DiGraph()
        ids = {w.id for w in option.work_items}
        for w in option.work_items:
            graph.add_edges_from((d, w.id) for d in w.depends_on if d in ids and d != w.id)
        try:
            cycle = [u for u, _ in nx.find_cycle(graph)]
        except nx.NetworkXNoCycle:
            return
        last = next(w for w in option.work_items if w.id == cycle[-1])
        j = last.depends_on.index(cycle[-2])
        self.rep.error(
            _at(last, "depends_on", j),
            "dependency-cycle",
            f"work items of option '{option.id}' depend on each other in a circle: "
            + " -> ".join([*cycle, cycle[0]])
            + "; remove one of these depends_on",
        )


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-_.")
    return slug.lower()


def validate(ws: m.Workshop, filename: str = "<workshop>") -> list[Diagnostic]:
    """All cross-item problems of ``ws``, in the order they are found."""
    rep = Reporter(filename)
    Validator(ws, rep).run()
    return rep.items


def known_ids(ws: m.Workshop) -> dict[str, set[str]]:
    """Ids per section, with functions and channels (defaults applied)."""
    out = {section: {item.id for item in ws.section(section)} for section in m.ITEM_SECTIONS}
    out["functions"] = set(ws.function_ids)
    out["channels"] = set(ws.channel_ids)
    out[spec.PURPOSES] = set(ws.purpose_ids)
    return out


def iter_errors(items: Iterable[Diagnostic]) -> Iterable[Diagnostic]:
    return (d for d in items if d.severity == "error")
