"""Links between items, made through a :class:`~needsmap.collab.session.Session`: the picker's verbs.

Each function is one undo step (a :meth:`Session.batch`), including an item
created on the spot ("create the attribute 'loyalty tier' and let this use
case need it"), and returns a short sentence for the status line.  Nothing
here imports Textual: the functions are tested on their own and the picker
(:mod:`needsmap.tui.widgets.picker`) only calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

from needsmap.collab.session import Session, edited
from needsmap.format import model as m
from needsmap.format import references as refs
from needsmap.format import spec
from needsmap.format.naming import item_label, new_item_id, section_word, unique_id


def ids(session: Session, section: str) -> set[str]:
    return {item.id for item in session.workshop.section(section)}


def catalog_entry_for(name: str):
    """The reference catalog's entry whose id, name, synonym or column spelling is exactly ``name``
    (case, separators and accents aside: "geboortedatum", "E-mail address"), or None."""
    from needsmap.catalog import entries as catalog

    found = catalog.search(name, limit=1)
    return found[0][0] if found and found[0][1] >= 100 else None


def planned(session: Session, section: str, name: str):
    """What :func:`create` would make of ``name``: ``(id, name, catalog entry or None)``, creating nothing.

    The "+ create" line of a picker says this before Enter: ``street_address``, not the 'address' typed.
    """
    name = " ".join(name.split())
    if name[:1].islower():
        name = name[0].upper() + name[1:]  # "favourite colour" -> "Favourite colour", like the other names
    taken = ids(session, section)
    entry = catalog_entry_for(name) if section == "attributes" else None
    if entry is not None:
        return unique_id(entry.id, taken, "_"), name, entry
    return new_item_id(section, name, taken), name, None


def create(session: Session, section: str, name: str) -> str:
    """Add a minimal item called ``name`` to ``section``; returns its new id (call inside a batch).

    An attribute whose name the reference catalog knows exactly gets the catalog's
    definition, type, entity, sensitivity and synonyms (and its id, when free); the
    name stays as typed, in the workshop's own words.
    """
    new_id, name, entry = planned(session, section, name)
    if entry is not None:
        item = entry.to_attribute(new_id)
        item.name = name
        session.add(section, item, label=f"add {section_word(section)} {new_id} (reference catalog)")
        return new_id
    if section == "use_cases":
        item = m.UseCase(id=new_id, title=name)
    elif section == "notes":
        item = m.Note(id=new_id, text=name)
    else:
        item = spec.ITEM_RECORDS[section].cls(id=new_id, name=name)
    session.add(section, item, label=f"add {section_word(section)} {new_id}")
    return new_id


def existing_attribute_for(session: Session, name: str) -> str | None:
    """The workshop's attribute that ``name`` spells in the reference catalog (any of its languages), or None.

    "geboortedatum" when the workshop has ``date_of_birth``: creating it again would make a duplicate.
    """
    from needsmap.catalog.linking_rank import attribute_index

    return attribute_index(session.workshop).decide(name).catalog_in_workshop


def _resolve(session: Session, section: str, target: str | None, create_name: str | None) -> tuple[str, str]:
    """The id to link to, creating the item first when asked; and a note about the creation."""
    if target is not None:
        return target, ""
    if not create_name or not create_name.strip():
        raise ValueError("nothing to link")
    if section == "attributes" and (same := existing_attribute_for(session, create_name)) is not None:
        return same, f"'{' '.join(create_name.split())}' is {same} (reference catalog); "
    new_id = create(session, section, create_name)
    return new_id, f"created {section_word(section)} {new_id}; "


@dataclass(frozen=True, slots=True)
class AttributeLink:
    """A list of records that link an item to attributes with one choice each: needs (criticality), holdings (role).

    The sentences are ``str.format`` templates of ``parent``, ``attr`` and ``value``.
    """

    section: str  # of the parent item
    field: str  # the list on the parent
    choice: str  # the record's field the choice sets
    default: str  # the choice when none is made
    record: type
    verb: str  # "need": the undo step of a pick
    linked: str  # said after the parent: "needs {attr} ({value})"
    unlinked: str  # said after the parent: "no longer needs {attr}"
    changed: str  # "{attr} is now {value} for {parent}"


NEED = AttributeLink(
    "use_cases",
    "needs",
    "criticality",
    "must",
    m.Need,
    "need",
    "needs {attr} ({value})",
    "no longer needs {attr}",
    "{attr} is now {value} for {parent}",
)
HOLDING = AttributeLink(
    "systems",
    "holds",
    "role",
    "copy",
    m.Holding,
    "hold",
    "holds {attr} ({value})",
    "no longer holds {attr}",
    "{parent} now holds {attr} as {value}",
)


def set_attribute_link(
    session: Session, link: AttributeLink, parent: str, attr: str, value: str | None, *, short: bool = False
) -> str:
    """Link ``parent`` to ``attr`` with ``value``, or unlink it (``None``), as one edit.

    ``short``: a new link with the default value is written in the short form (just the
    attribute id).  Returns what happened, as a sentence; "" when nothing changed.
    """
    i = session.find(link.section, parent)
    records = list(getattr(session.workshop.section(link.section)[i], link.field))
    at = next((j for j, r in enumerate(records) if r.attribute == attr), None)
    words = {"parent": parent, "attr": attr, "value": value}
    if at is None and value is None:
        return ""
    if at is None:
        records.append(link.record(attr, **({} if short and value == link.default else {link.choice: value})))
        said = f"{parent} " + link.linked.format(**words)
    elif value is None:
        del records[at]
        said = f"{parent} " + link.unlinked.format(**words)
    elif getattr(records[at], f"effective_{link.choice}") == value:
        return ""
    else:
        records[at] = edited(records[at], **{link.choice: value})
        said = link.changed.format(**words)
    session.update(link.section, i, label=said, **{link.field: records})
    return said


def current_link(session: Session, link: AttributeLink, parent: str, attr: str) -> str | None:
    """The choice ``parent`` links ``attr`` with now (a need's criticality, a holding's role), or None."""
    records = getattr(session.item(link.section, parent), link.field)
    return next((getattr(r, f"effective_{link.choice}") for r in records if r.attribute == attr), None)


def link_attribute(
    session: Session,
    link: AttributeLink,
    parent: str,
    attribute: str | None,
    value: str,
    create_name: str | None = None,
    *,
    change: bool = False,
) -> str:
    """Let ``parent`` link to ``attribute`` (or one created as ``create_name``) with ``value``; a sentence.

    A link that exists with another choice is kept as it is (and the sentence says so) unless
    ``change``: an existing need's criticality never changes without the person choosing it.
    """
    with session.batch(f"{link.verb} {attribute or create_name} in {parent}"):
        attr, created = _resolve(session, "attributes", attribute, create_name)
        now = current_link(session, link, parent, attr)
        if now is not None and now != value and not change:
            return created + f"{parent} already " + link.linked.format(parent=parent, attr=attr, value=now) + " (kept)"
        said = set_attribute_link(session, link, parent, attr, value)
    return created + (said or f"{parent} already " + link.linked.format(parent=parent, attr=attr, value=value))


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
                feeds[j] = edited(feed, attributes=[*feed.attributes, attr])
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
        steps[step] = edited(steps[step], **{action: [*current, attr]})
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


# -- references, for deleting -------------------------------------------------------------------
def references(session: Session, section: str, ident: str) -> list[str]:
    """Where the item ``ident`` of ``section`` is referred to ("need #2 of use case 'x'"...)."""
    found: list[str] = []
    for _other, _i, item, rec in refs.referring_items(session.workshop, section, ident):
        refs.rewrite(item, rec, section, ident, None, found, item_label(rec.word, item.id))
    refs.top_level_changes(session.workshop, section, ident, None, found)
    return found


def delete(session: Session, section: str, ident: str) -> int:
    """Delete an item and every reference to it, as one undo step; returns how many references went.

    Deleting never leaves a dangling reference, so the file stays valid.
    """
    with session.batch(f"delete {section_word(section)} {ident}"):
        session.delete(section, session.find(section, ident))
        count = 0
        for other, i, item, rec in list(refs.referring_items(session.workshop, section, ident)):
            found: list[str] = []
            new = refs.rewrite(item, rec, section, ident, None, found, "")
            if new is not item:
                session.replace(other, i, new, label=f"drop references to {ident}")
                count += len(found)
        found = []
        for name, value in refs.top_level_changes(session.workshop, section, ident, None, found).items():
            session.set_top(name, value, label=f"drop references to {ident}")
        count += len(found)
    return count
