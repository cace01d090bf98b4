"""Links between items, made through a :class:`~needsmap.collab.session.Session`: the picker's verbs.

Each function is one undo step (a :meth:`Session.batch`), including an item
created on the spot ("create the attribute 'loyalty tier' and let this use
case need it"), and returns a short sentence for the status line.  Nothing
here imports Textual: the functions are tested on their own and the picker
(:mod:`needsmap.tui.widgets.picker`) only calls them.
"""

from __future__ import annotations

import re
import unicodedata

from needsmap.collab.session import Session, edited
from needsmap.format import model as m
from needsmap.format import spec

_ID_RE = re.compile(spec.ID_PATTERN)

#: How ids of each section are usually written (the demo workshop's style).
_SEPARATOR = {"attributes": "_"}

#: The word for one item of a section, as messages say it.
WORD = {
    "stakeholders": "stakeholder",
    "attributes": "attribute",
    "systems": "system",
    "use_cases": "use case",
    "processes": "process",
    "notes": "note",
    "options": "option",
}

#: Subject kind used by the analysis (Gap.subjects) for each section.
KIND = {
    "stakeholders": "stakeholder",
    "attributes": "attribute",
    "systems": "system",
    "use_cases": "use_case",
    "processes": "process",
    "notes": "note",
    "options": "option",
}


def slug(text: str, sep: str = "-") -> str:
    """``'Haven Club card number'`` -> ``'haven-club-card-number'`` (accents folded, valid id)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    out = re.sub(r"[^A-Za-z0-9]+", sep, folded).strip(sep + "_.-").lower()
    return out


def suggest_id(section: str, name: str, taken: set[str] | frozenset[str], words: int = 6) -> str:
    """A free, valid id for a new item of ``section`` called ``name``.

    Stakeholders get their first name when it is free ("sanne"); other sections a
    slug of the first words of the name, in the section's usual style.
    """
    sep = _SEPARATOR.get(section, "-")
    base = slug(name, sep)
    if base:
        parts = base.split(sep)
        if section == "stakeholders" and parts[0] and parts[0] not in taken:
            base = parts[0]
        else:
            base = sep.join(parts[:words])
    if not base or not _ID_RE.match(base):
        base = WORD.get(section, "item").replace(" ", sep)
    candidate = base
    n = 2
    while candidate in taken:
        candidate = f"{base}{sep}{n}"
        n += 1
    return candidate


def ids(session: Session, section: str) -> set[str]:
    return {item.id for item in session.workshop.section(section)}


def catalog_entry_for(name: str):
    """The reference catalog's entry whose id, name, synonym or column spelling is exactly ``name``
    (case, separators and accents aside: "geboortedatum", "E-mail address"), or None."""
    from needsmap.catalog import entries as catalog

    found = catalog.search(name, limit=1)
    return found[0][0] if found and found[0][1] >= 100 else None


def create(session: Session, section: str, name: str) -> str:
    """Add a minimal item called ``name`` to ``section``; returns its new id (call inside a batch).

    An attribute whose name the reference catalog knows exactly gets the catalog's
    definition, type, entity, sensitivity and synonyms (and its id, when free); the
    name stays as typed, in the workshop's own words.
    """
    name = " ".join(name.split())
    if name[:1].islower():
        name = name[0].upper() + name[1:]  # "favourite colour" -> "Favourite colour", like the other names
    taken = ids(session, section)
    entry = catalog_entry_for(name) if section == "attributes" else None
    if entry is not None:
        new_id, n = entry.id, 2
        while new_id in taken:
            new_id, n = f"{entry.id}_{n}", n + 1
        item = entry.to_attribute(new_id)
        item.name = name
        session.add(section, item, label=f"add {WORD[section]} {new_id} (reference catalog)")
        return new_id
    new_id = suggest_id(section, name, taken)
    if section == "use_cases":
        item = m.UseCase(id=new_id, title=name)
    elif section == "notes":
        item = m.Note(id=new_id, text=name)
    else:
        item = spec.ITEM_RECORDS[section].cls(id=new_id, name=name)
    session.add(section, item, label=f"add {WORD[section]} {new_id}")
    return new_id


def _resolve(session: Session, section: str, target: str | None, create_name: str | None) -> tuple[str, str]:
    """The id to link to, creating the item first when asked; and a note about the creation."""
    if target is not None:
        return target, ""
    if not create_name or not create_name.strip():
        raise ValueError("nothing to link")
    new_id = create(session, section, create_name)
    return new_id, f"created {WORD[section]} {new_id}; "


def add_need(
    session: Session, use_case: str, attribute: str | None, criticality: str, create_name: str | None = None
) -> str:
    """Let ``use_case`` need ``attribute`` (or change how critical an existing need is)."""
    with session.batch(f"need {attribute or create_name} in {use_case}"):
        attr, created = _resolve(session, "attributes", attribute, create_name)
        i = session.find("use_cases", use_case)
        uc = session.workshop.use_cases[i]
        needs = list(uc.needs)
        for j, need in enumerate(needs):
            if need.attribute == attr:
                if need.effective_criticality == criticality:
                    return f"{created}{use_case} already needs {attr} ({criticality})"
                needs[j] = _copy(need, criticality=criticality)
                session.update("use_cases", i, needs=needs, label=f"{attr} becomes {criticality} in {use_case}")
                return f"{created}{attr} is now {criticality} for {use_case}"
        needs.append(m.Need(attribute=attr, criticality=criticality))
        session.update("use_cases", i, needs=needs, label=f"add need {attr} to {use_case}")
    return f"{created}{use_case} needs {attr} ({criticality})"


def set_holding(session: Session, system: str, attribute: str | None, role: str, create_name: str | None = None) -> str:
    """Let ``system`` hold ``attribute`` with ``role`` (or change the role of an existing holding)."""
    with session.batch(f"hold {attribute or create_name} in {system}"):
        attr, created = _resolve(session, "attributes", attribute, create_name)
        i = session.find("systems", system)
        holds = list(session.workshop.systems[i].holds)
        for j, holding in enumerate(holds):
            if holding.attribute == attr:
                if holding.effective_role == role:
                    return f"{created}{system} already holds {attr} ({role})"
                holds[j] = _copy(holding, role=role)
                session.update("systems", i, holds=holds, label=f"{attr} becomes {role} in {system}")
                return f"{created}{system} now holds {attr} as {role}"
        holds.append(m.Holding(attribute=attr, role=role))
        session.update("systems", i, holds=holds, label=f"{system} holds {attr}")
    return f"{created}{system} holds {attr} ({role})"


def add_feed(session: Session, system: str, to: str | None, create_name: str | None = None) -> tuple[str, str]:
    """Make sure ``system`` feeds ``to`` (creating the target system if asked); returns (target, message)."""
    with session.batch(f"feed {system} to {to or create_name}"):
        target, created = _resolve(session, "systems", to, create_name)
        if target == system:
            raise ValueError(f"{system} cannot feed itself")
        i = session.find("systems", system)
        feeds = list(session.workshop.systems[i].feeds)
        if any(feed.to == target for feed in feeds):
            return target, f"{created}{system} already feeds {target}"
        feeds.append(m.Feed(to=target))
        session.update("systems", i, feeds=feeds, label=f"{system} feeds {target}")
    return target, f"{created}{system} feeds {target}"


def add_feed_attribute(
    session: Session, system: str, to: str, attribute: str | None, create_name: str | None = None
) -> str:
    """Let the feed from ``system`` to ``to`` carry ``attribute`` (the feed is added if missing)."""
    with session.batch(f"{system} feeds {attribute or create_name} to {to}"):
        attr, created = _resolve(session, "attributes", attribute, create_name)
        i = session.find("systems", system)
        feeds = list(session.workshop.systems[i].feeds)
        for j, feed in enumerate(feeds):
            if feed.to == to:
                if attr in feed.attributes:
                    return f"{created}the feed {system} -> {to} already carries {attr}"
                feeds[j] = _copy(feed, attributes=[*feed.attributes, attr])
                break
        else:
            feeds.append(m.Feed(to=to, attributes=[attr]))
        session.update("systems", i, feeds=feeds, label=f"{system} feeds {attr} to {to}")
    return f"{created}{system} feeds {attr} to {to}"


STEP_ACTIONS = ("creates", "reads", "updates", "deletes")


def add_step_link(
    session: Session, process: str, step: int, action: str, attribute: str | None, create_name: str | None = None
) -> str:
    """Let step ``step`` (0-based) of ``process`` create/read/update/delete ``attribute``."""
    if action not in STEP_ACTIONS:
        raise ValueError(action)
    with session.batch(f"step {step + 1} of {process} {action} {attribute or create_name}"):
        attr, created = _resolve(session, "attributes", attribute, create_name)
        i = session.find("processes", process)
        steps = list(session.workshop.processes[i].steps)
        current = getattr(steps[step], action)
        if attr in current:
            return f"{created}step {step + 1} of {process} already {action} {attr}"
        steps[step] = _copy(steps[step], **{action: [*current, attr]})
        session.update("processes", i, steps=steps, label=f"step {step + 1} of {process} {action} {attr}")
    return f"{created}step {step + 1} of {process} {action} {attr}"


def set_owner(
    session: Session, section: str, item: str, stakeholder: str | None, create_name: str | None = None
) -> str:
    """Make ``stakeholder`` the owner of ``item`` (attributes, systems, use cases, processes)."""
    with session.batch(f"owner of {item}"):
        who, created = _resolve(session, "stakeholders", stakeholder, create_name)
        i = session.find(section, item)
        if session.workshop.section(section)[i].owner == who:
            return f"{created}{who} already owns {item}"
        session.update(section, i, owner=who, label=f"{who} owns {item}")
    return f"{created}{who} owns {item}"


def add_about(session: Session, note: str, target: str) -> str:
    """Let note ``note`` be about item ``target`` (any section)."""
    i = session.find("notes", note)
    about = session.workshop.notes[i].about
    if target in about:
        return f"{note} is already about {target}"
    session.update("notes", i, about=[*about, target], label=f"{note} about {target}")
    return f"{note} is about {target}"


def _copy(obj, **changes):
    return edited(obj, **changes)


# -- references, for deleting -------------------------------------------------------------------
def _points_to(shape, section: str) -> bool:
    return isinstance(shape, spec.Scalar) and shape.kind == "ref" and shape.ref in (section, "any")


def _without(obj, rec: spec.Record, section: str, ident: str, found: list[str], where: str):
    """``obj`` without references to ``ident``: a copy, or ``obj`` itself when it has none.

    A nested record whose required reference names ``ident`` (a need of a deleted
    attribute, a feed to a deleted system) goes as a whole; an optional reference is
    cleared; ``ident`` is taken out of lists.  ``found`` collects what went.
    """
    changes: dict[str, object] = {}
    for fld in rec.fields:
        value = getattr(obj, fld.attr)
        if value is None:
            continue
        shape = fld.shape
        if _points_to(shape, section):
            if value == ident:
                changes[fld.attr] = None
                found.append(f"{fld.key} of {where}")
        elif isinstance(shape, spec.ListOf):
            inner = shape.item
            if isinstance(inner, spec.Record):
                kept, changed = [], False
                for i, child in enumerate(value):
                    label = f"{inner.name.replace('_', ' ')} #{i + 1} of {where}"
                    key = next((f for f in inner.fields if f.required and _points_to(f.shape, section)), None)
                    if key is not None and getattr(child, key.attr) == ident:
                        found.append(label)
                        changed = True
                        continue
                    new = _without(child, inner, section, ident, found, label)
                    changed = changed or new is not child
                    kept.append(new)
                if changed:
                    changes[fld.attr] = kept
            elif _points_to(inner, section) and ident in value:
                changes[fld.attr] = [v for v in value if v != ident]
                found.append(f"{fld.key} of {where}")
    if not changes:
        return obj
    return _copy(obj, **changes)


def references(session: Session, section: str, ident: str) -> list[str]:
    """Where the item ``ident`` of ``section`` is referred to ("need #2 of use case 'x'"...)."""
    found: list[str] = []
    for other, rec in spec.ITEM_RECORDS.items():
        word = WORD[other]
        for item in session.workshop.section(other):
            if other == section and item.id == ident:
                continue
            _without(item, rec, section, ident, found, f"{word} '{item.id}'")
    return found


def delete(session: Session, section: str, ident: str) -> int:
    """Delete an item and every reference to it, as one undo step; returns how many references went.

    Deleting never leaves a dangling reference, so the file stays valid.
    """
    with session.batch(f"delete {WORD[section]} {ident}"):
        session.delete(section, session.find(section, ident))
        count = 0
        for other, rec in spec.ITEM_RECORDS.items():
            items = session.workshop.section(other)
            for i, item in enumerate(items):
                found: list[str] = []
                new = _without(item, rec, section, ident, found, "")
                if new is not item:
                    session.replace(other, i, new, label=f"drop references to {ident}")
                    count += len(found)
    return count
