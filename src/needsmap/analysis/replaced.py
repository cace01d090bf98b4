"""What changed between two versions of a workshop whose items are replaced, never changed in place.

The editing session replaces an item when it is edited (``collab.session.edited``), so between two
analyses an untouched item is the very same object.  :class:`ReplacedItems` compares the item
sections by identity: which sections are untouched, and which attributes the replaced, added or
removed items mention (the attributes whose per-attribute rules may come out differently).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from needsmap.format import model as m

#: The item sections compared: those the analysis' index reads.
SECTIONS = ("attributes", "stakeholders", "systems", "use_cases", "processes")


@dataclass(frozen=True, slots=True)
class Changes:
    #: sections whose items are all the same objects, in the same order, as in the previous version
    same: frozenset[str]
    #: attributes that a replaced, added or removed item mentions; None: treat every attribute as touched
    touched: frozenset[str] | None
    #: ids of the systems replaced, added or removed (meaningful only when ``touched`` is not None)
    systems: frozenset[str] = frozenset()


def attributes_of(section: str, item: object) -> Iterable[str]:
    """The attributes an item of ``section`` mentions in what the per-attribute rules read."""
    if section == "attributes":
        assert isinstance(item, m.Attribute)
        yield item.id
    elif section == "systems":
        assert isinstance(item, m.System)
        for h in item.holds:
            yield h.attribute
        for fd in item.feeds:
            yield from fd.attributes
    elif section == "use_cases":
        assert isinstance(item, m.UseCase)
        for nd in item.needs:
            yield nd.attribute
    elif section == "processes":
        assert isinstance(item, m.Process)
        for st in item.steps:
            yield from st.creates
            yield from st.updates


class ReplacedItems:
    """Remembers the item lists of the last version seen and tells what the next one replaced."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[object, ...]] | None = None

    def compare(self, ws: m.Workshop) -> Changes:
        now = {name: tuple(ws.section(name)) for name in SECTIONS}
        before, self._seen = self._seen, now  # keeps the old items alive: their ids stay theirs
        if before is None:
            return Changes(frozenset(), None)
        same: set[str] = set()
        touched: set[str] = set()
        systems: set[str] = set()
        everything = False
        for name in SECTIONS:
            old, new = before[name], now[name]
            if len(old) == len(new) and all(map(_is, old, new)):
                same.add(name)
                continue
            if name == "stakeholders":  # an owner's function is part of many attributes' keys
                everything = True
                continue
            changed = _replaced(old, new)
            if changed is None:
                everything = True
                continue
            gone, came = changed
            if name == "systems":
                systems.update(x.id for x in (*gone, *came))  # type: ignore[attr-defined]
            came_by_id = {getattr(x, "id", None): x for x in came}
            paired: set[int] = set()
            for item in gone:
                twin = came_by_id.get(getattr(item, "id", None))
                if twin is not None and id(twin) not in paired:  # the same item, edited: what differs
                    paired.add(id(twin))
                    touched.update(changed_attributes(name, item, twin))
                else:
                    touched.update(attributes_of(name, item))
            for item in came:
                if id(item) not in paired:
                    touched.update(attributes_of(name, item))
        if everything:
            return Changes(frozenset(same), None)
        return Changes(frozenset(same), frozenset(touched), frozenset(systems))


def _is(a: object, b: object) -> bool:
    return a is b


def _replaced(old: Sequence[object], new: Sequence[object]) -> tuple[list[object], list[object]] | None:
    """(the items only in ``old``, those only in ``new``); None when the items both keep changed order."""
    old_ids = {id(x) for x in old}
    new_ids = {id(x) for x in new}
    kept_old = [x for x in old if id(x) in new_ids]
    kept_new = [x for x in new if id(x) in old_ids]
    if not all(map(_is, kept_old, kept_new)):
        return None
    return [x for x in old if id(x) not in new_ids], [x for x in new if id(x) not in old_ids]


def changed_attributes(section: str, old: object, new: object) -> set[str]:
    """The attributes whose part of an item an edit changed (``old`` and ``new`` share an id).

    A system whose holdings of one attribute changed touches that attribute only; a change of the
    item itself (its id, a use case's value, status or where it runs) touches everything it mentions.
    """
    if section == "systems":
        assert isinstance(old, m.System) and isinstance(new, m.System)
        if old.id != new.id:
            return {*attributes_of(section, old), *attributes_of(section, new)}
        out = _differing(_by_attribute(old.holds), _by_attribute(new.holds))
        if old.feeds != new.feeds:
            out.update(a for fd in (*old.feeds, *new.feeds) for a in fd.attributes)
        return out
    if section == "use_cases":
        assert isinstance(old, m.UseCase) and isinstance(new, m.UseCase)
        same_use_case = (old.id, old.value, old.status, old.executes_in) == (
            new.id,
            new.value,
            new.status,
            new.executes_in,
        )
        if not same_use_case:
            return {*attributes_of(section, old), *attributes_of(section, new)}
        return _differing(_by_attribute(old.needs), _by_attribute(new.needs))
    return {*attributes_of(section, old), *attributes_of(section, new)}


def _by_attribute(rows: Iterable[m.Holding] | Iterable[m.Need]) -> dict[str, list[object]]:
    out: dict[str, list[object]] = {}
    for row in rows:
        out.setdefault(row.attribute, []).append(row)
    return out


def _differing(old: dict[str, list[object]], new: dict[str, list[object]]) -> set[str]:
    return {a for a in old.keys() | new.keys() if old.get(a) != new.get(a)}
