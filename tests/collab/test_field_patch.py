"""A form's edit as a field-level patch: only the fields the form changed, onto the record as it is now."""

from __future__ import annotations

import copy
import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from needsmap.collab import field_patch as fp
from needsmap.format import model as m
from needsmap.format import spec
from tests.strategies import holdings

FIELDS = fp.record_fields(m.Holding(attribute="x"))
HOLDING = spec.ITEM_RECORDS["systems"].by_key["holds"].shape.item


def mixed(base: m.Holding, other: m.Holding, names) -> m.Holding:
    """``base`` with the fields ``names`` taken from ``other``."""
    return dataclasses.replace(base, **{n: getattr(other, n) for n in names})


@st.composite
def three_versions(draw):
    """The record the form opened on, the form's result, and the record as it is now (each changed some fields)."""
    original, mine, theirs = draw(holdings), draw(holdings), draw(holdings)
    form_fields = draw(st.sets(st.sampled_from(FIELDS)))
    their_fields = draw(st.sets(st.sampled_from(FIELDS)))
    return original, mixed(original, mine, form_fields), mixed(original, theirs, their_fields)


def values(record) -> dict:
    return {n: getattr(record, n) for n in FIELDS}


@given(holdings, holdings)
def test_a_patch_of_no_changes_is_the_identity(record, current):
    patch = fp.diff(record, copy.deepcopy(record))
    assert not patch and patch.fields == ()
    assert fp.apply(patch, current) is current
    assert fp.conflicts(patch, current) == ()


@given(three_versions())
def test_a_patch_never_touches_a_field_the_form_did_not_change(versions):
    original, result, current = versions
    patch = fp.diff(original, result)
    patched = fp.apply(patch, current)
    for name in FIELDS:
        if getattr(result, name) == getattr(original, name):
            assert getattr(patched, name) == getattr(current, name), name
        else:
            assert getattr(patched, name) == getattr(result, name), name  # mine, unless told to keep theirs


@given(three_versions())
def test_the_fields_in_conflict_are_those_both_sides_changed_differently(versions):
    original, result, current = versions
    patch = fp.diff(original, result)
    expected = {
        n
        for n in FIELDS
        if getattr(result, n) != getattr(original, n)
        and getattr(current, n) != getattr(original, n)
        and getattr(current, n) != getattr(result, n)
    }
    assert set(fp.conflicts(patch, current)) == expected


@given(three_versions())
def test_keeping_the_current_values_of_the_conflicts_keeps_every_change_of_both_sides(versions):
    original, result, current = versions
    patch = fp.diff(original, result)
    clash = fp.conflicts(patch, current)
    kept = fp.apply(patch, current, keep_current=clash)
    for name in FIELDS:
        if name in clash or getattr(result, name) == getattr(original, name):
            assert getattr(kept, name) == getattr(current, name), name
        else:
            assert getattr(kept, name) == getattr(result, name), name


@given(three_versions())
def test_taking_theirs_after_saving_mine_is_keeping_theirs(versions):
    original, result, current = versions
    patch = fp.diff(original, result)
    clash = fp.conflicts(patch, current)
    mine = fp.apply(patch, current)
    back = fp.theirs_instead(patch, clash, current)
    assert values(fp.apply(back, mine)) == values(fp.apply(patch, current, keep_current=clash))


@given(holdings, holdings)
def test_a_patch_onto_the_record_it_came_from_is_the_forms_record(original, other):
    result = mixed(original, other, FIELDS[1:])
    assert values(fp.apply(fp.diff(original, result), original)) == values(result)


@given(three_versions())
def test_apply_changes_nothing_in_place(versions):
    original, result, current = versions
    before = copy.deepcopy((original, result, current))
    patch = fp.diff(original, result)
    fp.apply(patch, current)
    assert (original, result, current) == before


def test_the_fields_a_form_shows_limit_the_patch():
    original = m.Holding(attribute="email", quality=2, role="copy")
    result = m.Holding(attribute="email", quality=4, role="master")
    patch = fp.diff(original, result, fields=["quality"])
    assert patch.fields == ("quality",)
    assert patch.before == {"quality": 2} and patch.after == {"quality": 4}
    assert fp.apply(patch, m.Holding(attribute="email", quality=2, role="derived")).role == "derived"
    assert patch.without(["quality"]).fields == ()


def test_a_list_value_in_the_patch_is_not_shared_with_the_form():
    original = m.Feed(to="crm", attributes=["email"])
    result = m.Feed(to="crm", attributes=["email", "phone"])
    patched = fp.apply(fp.diff(original, result), m.Feed(to="crm", attributes=["email"], frequency="daily"))
    assert patched.attributes == ["email", "phone"] and patched.frequency == "daily"
    result.attributes.append("oops")
    assert patched.attributes == ["email", "phone"]


# -- nested records: found by their key --------------------------------------------------------------
def test_a_nested_record_is_found_by_its_key_not_its_position():
    email = m.Holding(attribute="email", quality=2)
    now = [m.Holding(attribute="phone"), m.Holding(attribute="email", quality=3)]
    assert fp.find_same(now, email, HOLDING, hint=0) == 1
    assert fp.find_same(now[:1], email, HOLDING, hint=0) is None  # removed meanwhile


def test_a_repeated_key_prefers_the_old_position():
    email = m.Holding(attribute="email")
    now = [m.Holding(attribute="email", quality=1), m.Holding(attribute="email", quality=2)]
    assert fp.find_same(now, email, HOLDING, hint=1) == 1
    assert fp.find_same(now, email, HOLDING, hint=5) == 0


def test_a_record_without_a_key_is_found_by_being_equal():
    step = spec.ITEM_RECORDS["processes"].by_key["steps"].shape.item
    nameless = m.Step(name=None)  # a key field left out: no key
    assert fp.find_same([m.Step(name="a"), m.Step(name=None)], nameless, step) == 1


def test_conflicts_are_described_as_the_merge_describes_them():
    original = m.Holding(attribute="email", field="Receipt.Mail", quality=2)
    result = m.Holding(attribute="email", field="Receipt.Email", quality=2)
    theirs = m.Holding(attribute="email", field="Receipt.EMail", quality=3)
    patch = fp.diff(original, result)
    names = fp.conflicts(patch, theirs)
    assert names == ("field",)
    [entry] = fp.conflict_entries(patch, names, theirs, HOLDING, "systems", "pos", path="holds[email]")
    assert entry == m.Conflict(
        section="systems",
        id="pos",
        field="holds[email].field",
        kept="ours",
        base="Receipt.Mail",
        ours="Receipt.Email",
        theirs="Receipt.EMail",
    )
    top = spec.ITEM_RECORDS["stakeholders"]
    sanne = m.Stakeholder(id="sanne", role="A")
    patch = fp.diff(sanne, m.Stakeholder(id="sanne", role="B"))
    [entry] = fp.conflict_entries(patch, ["role"], m.Stakeholder(id="sanne"), top, "stakeholders", "sanne")
    assert (entry.field, entry.base, entry.ours, entry.theirs) == ("role", "A", "B", None)
