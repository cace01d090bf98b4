"""The three-way merge recognises renames and never leaves a reference dangling.

A rename is one item with a new id: its references follow it on both sides. What the merge
cannot reconcile (an item deleted on one side and newly referred to on the other, two
changes that clash between items) becomes an entry of ``conflicts``, and the merged
workshop always opens (its only errors are those entries).
"""

from __future__ import annotations

import copy
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.collab.merge import merge_workshops
from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.conflicts import describe
from needsmap.format.opening import open_workshop, parse_workshop
from needsmap.format.references import rewrite
from needsmap.format.saver import dump
from tests.conftest import DEMO

BASE = open_workshop(DEMO).workshop


def _rename(ws: m.Workshop, section: str, old: str, new: str) -> None:
    """What renaming an item in needsmap does: the new id, and every reference to it follows."""
    for other, rec in spec.ITEM_RECORDS.items():
        items = ws.section(other)
        for i, item in enumerate(items):
            items[i] = rewrite(item, rec, section, old, new, [], "")
    (item,) = [i for i in ws.section(section) if i.id == old]
    item.id = new


def _delete(ws: m.Workshop, section: str, ident: str) -> None:
    """What deleting an item in needsmap does: the item goes, and every reference to it too."""
    items = ws.section(section)
    items.remove(next(i for i in items if i.id == ident))
    for other, rec in spec.ITEM_RECORDS.items():
        others = ws.section(other)
        for i, item in enumerate(others):
            others[i] = rewrite(item, rec, section, ident, None, [], "")


def _use_case(ws: m.Workshop, ident: str) -> m.UseCase:
    return next(u for u in ws.use_cases if u.id == ident)


def _errors(ws: m.Workshop) -> list[str]:
    """The codes of the errors needsmap reports on the merged workshop written to a file."""
    result = parse_workshop(dump(ws), "merged.yaml")
    assert result.workshop is not None
    return [d.code for d in result.diagnostics if d.severity == "error"]


def _refs(ws: m.Workshop, ident: str) -> int:
    """How many times ``ident`` is referred to by the needs and notes of the workshop."""
    needs = sum(n.attribute == ident for u in ws.use_cases for n in u.needs)
    return needs + sum(ident in n.about for n in ws.notes)


# the attribute both sides work on, and a use case that does not need it yet
ATTRIBUTE = "first_name"
UNUSED_BY = next(u.id for u in BASE.use_cases if all(n.attribute != ATTRIBUTE for n in u.needs))


def test_a_rename_on_one_side_takes_the_other_sides_new_reference_along():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _rename(ours, "attributes", ATTRIBUTE, "given_name")
    _use_case(theirs, UNUSED_BY).needs.append(m.Need(ATTRIBUTE))
    theirs.notes[0].about.append(ATTRIBUTE)
    for merged in (merge_workshops(BASE, ours, theirs), merge_workshops(BASE, theirs, ours)):
        assert merged.clean
        ws = merged.workshop
        assert _errors(ws) == []
        assert [a.id for a in ws.attributes] == [a.id for a in ours.attributes]  # one item, its new id
        assert _refs(ws, ATTRIBUTE) == 0
        assert _refs(ws, "given_name") == _refs(BASE, ATTRIBUTE) + 2
        assert any(n.attribute == "given_name" for n in _use_case(ws, UNUSED_BY).needs)


def test_the_same_item_renamed_differently_on_both_sides_stays_one_item_with_one_conflict():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _rename(ours, "attributes", ATTRIBUTE, "given_name")
    _rename(theirs, "attributes", ATTRIBUTE, "forename")
    _use_case(theirs, UNUSED_BY).needs.append(m.Need("forename"))  # a new reference under their id
    result = merge_workshops(BASE, ours, theirs)
    ws = result.workshop
    assert [a.id for a in ws.attributes] == [a.id for a in ours.attributes]  # ours' id, no copy
    assert _refs(ws, "forename") == _refs(ws, ATTRIBUTE) == 0
    assert _refs(ws, "given_name") == _refs(BASE, ATTRIBUTE) + 1  # every reference once, none doubled
    for uc in ws.use_cases:
        assert len({n.attribute for n in uc.needs}) == len(uc.needs)
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id, conflict.field, conflict.kept) == ("attributes", "given_name", "id", "ours")
    assert (conflict.base, conflict.ours, conflict.theirs) == (ATTRIBUTE, "given_name", "forename")
    assert "given_name" in describe(conflict) and "forename" in describe(conflict)
    assert _errors(ws) == ["merge-conflict"]


def test_a_rename_on_one_side_and_a_field_edit_on_the_other_make_one_item_with_both():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _rename(ours, "attributes", ATTRIBUTE, "given_name")
    (edited,) = [a for a in theirs.attributes if a.id == ATTRIBUTE]
    edited.definition = "The first name the customer gave us"
    for merged in (merge_workshops(BASE, ours, theirs), merge_workshops(BASE, theirs, ours)):
        assert merged.clean
        ws = merged.workshop
        assert [a.id for a in ws.attributes] == [a.id for a in ours.attributes]
        (item,) = [a for a in ws.attributes if a.id == "given_name"]
        assert item.definition == "The first name the customer gave us"
        assert _errors(ws) == []


def test_a_rename_with_an_edit_on_the_same_side_is_still_a_rename():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _rename(ours, "use_cases", UNUSED_BY, "renamed-case")
    _use_case(ours, "renamed-case").title += " (renamed)"
    _use_case(theirs, UNUSED_BY).value = 1 if _use_case(BASE, UNUSED_BY).value != 1 else 2
    result = merge_workshops(BASE, ours, theirs)
    assert result.clean
    assert [u.id for u in result.workshop.use_cases] == [u.id for u in ours.use_cases]
    merged = _use_case(result.workshop, "renamed-case")
    assert merged.value == _use_case(theirs, UNUSED_BY).value and merged.title.endswith("(renamed)")


def test_a_rename_to_an_id_the_other_side_gave_a_new_item_keeps_both_items_apart():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _rename(ours, "attributes", ATTRIBUTE, "given_name")
    theirs.attributes.append(m.Attribute("given_name", "Given name", definition="Not the first name"))
    _use_case(theirs, UNUSED_BY).needs.append(m.Need("given_name"))
    result = merge_workshops(BASE, ours, theirs)
    ws = result.workshop
    (theirs_item,) = [a for a in ws.attributes if a.id == "given_name"]
    assert theirs_item.definition == "Not the first name"
    assert ATTRIBUTE in {a.id for a in ws.attributes}  # ours' item keeps its id, and its references theirs
    assert _refs(ws, ATTRIBUTE) == _refs(BASE, ATTRIBUTE) and _refs(ws, "given_name") == 1
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id, conflict.field) == ("attributes", ATTRIBUTE, "id")
    assert (conflict.ours, conflict.theirs, conflict.kept) == ("given_name", ATTRIBUTE, "theirs")
    assert _errors(ws) == ["merge-conflict"]


def test_an_item_deleted_on_one_side_and_referred_to_anew_on_the_other_is_kept_as_a_conflict():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _delete(ours, "attributes", ATTRIBUTE)
    _use_case(theirs, UNUSED_BY).needs.append(m.Need(ATTRIBUTE))
    for result, kept in (
        (merge_workshops(BASE, ours, theirs), "theirs"),
        (merge_workshops(BASE, theirs, ours), "ours"),
    ):
        ws = result.workshop
        assert [a.id for a in ws.attributes] == [a.id for a in BASE.attributes]  # kept, in its place
        assert any(n.attribute == ATTRIBUTE for n in _use_case(ws, UNUSED_BY).needs)
        (conflict,) = result.conflicts
        assert (conflict.section, conflict.id, conflict.field, conflict.kept) == ("attributes", ATTRIBUTE, None, kept)
        deleted = "ours" if kept == "theirs" else "theirs"
        assert getattr(conflict, deleted) is None and f"use case '{UNUSED_BY}'" in getattr(conflict, kept)
        assert _errors(ws) == ["merge-conflict"]


def test_a_stakeholder_deleted_on_one_side_and_named_owner_on_the_other_is_kept():
    person = BASE.stakeholders[-1].id
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _delete(ours, "stakeholders", person)
    _use_case(theirs, UNUSED_BY).owner = person
    result = merge_workshops(BASE, ours, theirs)
    assert not result.clean and [c.id for c in result.conflicts] == [person]
    assert _use_case(result.workshop, UNUSED_BY).owner == person
    assert _errors(result.workshop) == ["merge-conflict"]


def test_a_channel_removed_on_one_side_and_used_on_the_other_comes_back_as_a_conflict():
    assert BASE.channels is not None
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    for unused in BASE.channel_ids:  # a channel nothing uses yet: ours can drop it and stay valid
        ours.channels = [c for c in BASE.channels if c != unused]
        if _errors(ours) == [] and unused not in _use_case(BASE, UNUSED_BY).channels:
            break
    assert _errors(ours) == []
    _use_case(theirs, UNUSED_BY).channels.append(unused)
    result = merge_workshops(BASE, ours, theirs)
    assert result.workshop.channels is not None and unused in result.workshop.channels
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id) == ("channels", unused)
    assert _errors(result.workshop) == ["merge-conflict"]


def test_errors_between_items_that_the_merge_would_make_become_conflicts():
    """Each side adds one dependency between two work items: together they go round in a circle."""
    base = copy.deepcopy(BASE)
    base.options = [m.Option("registry", "Registry", work_items=[m.WorkItem("w1", title="one"), m.WorkItem("w2")])]
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.options[0].work_items[0].depends_on = ["w2"]
    theirs.options[0].work_items[1].depends_on = ["w1"]
    theirs.options[0].work_items[0].title = "the first one"
    result = merge_workshops(base, ours, theirs)
    assert _errors(result.workshop) == ["merge-conflict"]
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id, conflict.kept) == ("options", "registry", "ours")
    assert "depends_on" in (conflict.theirs or "") and result.workshop.options == ours.options


def test_an_unrelated_item_added_where_one_was_deleted_is_not_a_rename():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    gone = ours.notes.pop(0)
    ours.notes.append(m.Note("q-new", text="Which store systems hold opening hours?", kind="question"))
    theirs.notes[0].status = "closed" if gone.status != "closed" else "open"
    result = merge_workshops(BASE, ours, theirs)
    ids = [n.id for n in result.workshop.notes]
    assert "q-new" in ids and gone.id in ids  # their edit keeps the deleted note: deleted-and-changed
    (conflict,) = result.conflicts
    assert (conflict.id, conflict.ours) == (gone.id, None)


# -- whatever both sides do, the merge opens ---------------------------------------------------------
_SECTIONS = ("attributes", "stakeholders", "systems", "use_cases", "processes", "notes")


def _edit(ws: m.Workshop, rnd: random.Random, side: str) -> None:
    """A few edits as needsmap makes them: renames and deletes that references follow, new references."""
    for _ in range(rnd.randint(1, 4)):
        kind, section = rnd.choice(["rename", "delete", "need", "about", "owner"]), rnd.choice(_SECTIONS)
        item = rnd.choice(ws.section(section))
        if kind == "rename" and f"{item.id}-{side}" not in {i.id for i in ws.section(section)}:
            _rename(ws, section, item.id, f"{item.id}-{side}")
        elif kind == "delete":
            _delete(ws, section, item.id)
        elif kind == "need" and ws.attributes:
            attribute, uc = rnd.choice(ws.attributes).id, rnd.choice(ws.use_cases)
            if all(n.attribute != attribute for n in uc.needs):
                uc.needs.append(m.Need(attribute))
        elif kind == "about":
            note = rnd.choice(ws.notes)
            if item.id not in note.about:
                note.about.append(item.id)
        elif kind == "owner" and ws.stakeholders:
            rnd.choice(ws.use_cases).owner = rnd.choice(ws.stakeholders).id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_whatever_both_sides_rename_delete_and_refer_to_the_merge_opens(rnd):
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    _edit(ours, rnd, "ours")
    _edit(theirs, rnd, "theirs")
    assert _errors(ours) == _errors(theirs) == []
    for result in (merge_workshops(BASE, ours, theirs), merge_workshops(BASE, theirs, ours)):
        errors = _errors(result.workshop)
        assert errors == ["merge-conflict"] * len(result.workshop.conflicts)
        assert len(result.conflicts) == len(errors)
