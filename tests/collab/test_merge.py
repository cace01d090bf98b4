"""Three-way merge of workshops by section, item id and field; conflicts recorded as valid, explained YAML."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needsmap.collab.diff import diff_workshops
from needsmap.collab.merge import merge_files, merge_workshops
from needsmap.format.opening import open_workshop, parse_workshop
from needsmap.format.saver import dump
from tests.conftest import DEMO, assert_opens_clean
from tests.strategies import workshops

BASE = open_workshop(DEMO).workshop


def _reloaded(ws):
    """The merged workshop as a file would hold it: dumped and loaded again, with its diagnostics."""
    result = parse_workshop(dump(ws), "merged.yaml")
    assert result.workshop is not None
    return result


# -- properties ------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workshops, workshops)
def test_a_side_left_unchanged_takes_the_other_side(ws, other):
    assert merge_workshops(ws, ws, ws).workshop == ws
    ours = merge_workshops(ws, other, ws)
    theirs = merge_workshops(ws, ws, other)
    assert ours.clean and theirs.clean
    assert ours.workshop == other and theirs.workshop == other


# A small language of independent edits to the demo workshop: (target, apply).
# The target says what an edit touches, so two sides' edits can be kept apart.
_FIELDS = {
    "use_cases": {
        "value": st.integers(1, 5),
        "effort": st.integers(1, 5),
        "horizon": st.sampled_from(["now", "later"]),
        "title": st.text("abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool),
    },
    "stakeholders": {
        "role": st.text("abcdefgh ", min_size=1, max_size=12).map(str.strip).filter(bool),
        "influence": st.sampled_from(["low", "high"]),
    },
    "attributes": {
        "definition": st.text("abcdefgh \n", min_size=1, max_size=30).map(str.strip).filter(bool),
        "sensitivity": st.sampled_from(["none", "sensitive"]),
    },
    "notes": {"status": st.sampled_from(["open", "closed"])},
}


@st.composite
def edits(draw, side: str):
    ops = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["set", "set", "set", "add", "delete", "holding"]))
        if kind == "set":
            section = draw(st.sampled_from(sorted(_FIELDS)))
            item = draw(st.sampled_from(getattr(BASE, section)))
            fld = draw(st.sampled_from(sorted(_FIELDS[section])))
            ops.append(("set", (section, item.id, fld), draw(_FIELDS[section][fld])))
        elif kind == "add":
            n = draw(st.integers(0, 9))
            ops.append(("add", ("stakeholders", f"{side}-{n}", None), f"{side.title()} Person {n}"))
        elif kind == "delete":
            item = draw(st.sampled_from(BASE.notes))
            ops.append(("delete", ("notes", item.id, None), None))
        else:
            system = draw(st.sampled_from([s for s in BASE.systems if s.holds]))
            holding = draw(st.sampled_from(system.holds))
            ops.append(
                ("holding", ("systems", system.id, f"holds[{holding.attribute}].quality"), draw(st.integers(1, 5)))
            )
    return ops


def _apply(ws, ops) -> None:
    for kind, (section, item_id, fld), value in ops:
        items = getattr(ws, section)
        found = next((i for i in items if i.id == item_id), None)
        if kind == "set" and found is not None:
            setattr(found, fld, value)
        elif kind == "add" and found is None:
            stakeholder = copy.deepcopy(BASE.stakeholders[0])
            stakeholder.id, stakeholder.name = item_id, value
            items.append(stakeholder)
        elif kind == "delete" and found is not None:
            items.remove(found)
        elif kind == "holding":
            attribute = fld[len("holds[") : fld.index("]")]
            next(h for h in found.holds if h.attribute == attribute).quality = value


def _touches(ops) -> tuple[set, set]:
    fields = {target for _, target, _ in ops}
    items = {(s, i) for _, (s, i, _), _ in ops}
    return fields, items


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits("ours"), edits("theirs"))
def test_independent_edits_from_both_sides_all_land(ours_ops, theirs_ops):
    ours_fields, ours_items = _touches(ours_ops)
    theirs_fields, theirs_items = _touches(theirs_ops)
    deleted = {(s, i) for kind, (s, i, _), _ in ours_ops + theirs_ops if kind == "delete"}
    # independent: no field edited on both sides, no item deleted on one side and touched on the other
    theirs_ops = [
        op
        for op in theirs_ops
        if op[1] not in ours_fields
        and (op[1][0], op[1][1]) not in (deleted & ours_items)
        and not (op[0] != "delete" and (op[1][0], op[1][1]) in deleted)
    ]
    ours_ops = [
        op
        for op in ours_ops
        if not (
            op[0] != "delete" and (op[1][0], op[1][1]) in {(s, i) for k, (s, i, _), _ in theirs_ops if k == "delete"}
        )
    ]
    ours, theirs, expected = copy.deepcopy(BASE), copy.deepcopy(BASE), copy.deepcopy(BASE)
    _apply(ours, ours_ops)
    _apply(theirs, theirs_ops)
    _apply(expected, ours_ops + theirs_ops)
    result = merge_workshops(BASE, ours, theirs)
    assert result.conflicts == []
    assert not diff_workshops(expected, result.workshop)  # every edit of both sides, nothing else
    assert _reloaded(result.workshop).ok
    swapped = merge_workshops(BASE, theirs, ours)
    assert not diff_workshops(result.workshop, swapped.workshop)


# -- cases -------------------------------------------------------------------------------------
def test_new_items_of_the_other_side_follow_their_predecessor():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    mine = copy.deepcopy(BASE.stakeholders[0])
    mine.id = "mine"
    ours.stakeholders.append(mine)
    other = copy.deepcopy(BASE.stakeholders[0])
    other.id = "other"
    theirs.stakeholders.insert(2, other)
    merged = merge_workshops(BASE, ours, theirs).workshop
    ids = [s.id for s in merged.stakeholders]
    assert ids == [*[s.id for s in BASE.stakeholders[:2]], "other", *[s.id for s in BASE.stakeholders[2:]], "mine"]


def test_lists_of_names_merge_as_sets_and_the_header_merges_too():
    uc = next(u for u in BASE.use_cases if len(u.channels) >= 1)
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    first = uc.channels[0]
    extra_ours = next(c for c in BASE.channel_ids if c not in uc.channels)
    extra_theirs = next(c for c in BASE.channel_ids if c not in uc.channels and c != extra_ours)
    next(u for u in ours.use_cases if u.id == uc.id).channels.append(extra_ours)
    t = next(u for u in theirs.use_cases if u.id == uc.id)
    t.channels = [c for c in t.channels if c != first] + [extra_theirs]
    theirs.header = BASE.header + "\n# edited on their branch"
    result = merge_workshops(BASE, ours, theirs)
    assert result.clean
    merged = next(u for u in result.workshop.use_cases if u.id == uc.id)
    assert sorted(merged.channels) == sorted([c for c in uc.channels if c != first] + [extra_ours, extra_theirs])
    assert result.workshop.header == theirs.header


def test_a_real_conflict_keeps_ours_and_leaves_a_valid_file_that_validate_explains():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    uc_id = BASE.use_cases[0].id
    old_value = BASE.use_cases[0].value
    ours_value, theirs_value = [v for v in range(1, 6) if v != old_value][:2]
    ours.use_cases[0].value = ours_value
    theirs.use_cases[0].value = theirs_value
    theirs.use_cases[0].title = "Their new title"  # a different field of the same item merges cleanly
    result = merge_workshops(BASE, ours, theirs)
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id, conflict.field, conflict.kept) == ("use_cases", uc_id, "value", "ours")
    assert (conflict.base, conflict.ours, conflict.theirs) == (str(old_value), str(ours_value), str(theirs_value))
    text = dump(result.workshop)
    assert isinstance(yaml.safe_load(text), dict) and "<<<<<<<" not in text
    loaded = _reloaded(result.workshop)
    assert loaded.workshop.use_cases[0].value == ours_value
    assert loaded.workshop.use_cases[0].title == "Their new title"
    errors = [d for d in loaded.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["merge-conflict"]
    (error,) = errors
    entry_line = text.splitlines().index("conflicts:") + 2
    assert (error.line, error.column) == (entry_line, 5)
    item_line = text.splitlines().index(f"  - id: {uc_id}") + 1
    assert f"use case '{uc_id}' (line {item_line}), field 'value'" in error.message
    assert f'ours "{ours_value}", theirs "{theirs_value}"' in error.message
    assert "delete this entry from 'conflicts'" in error.message
    # resolving: pick a value, drop the entry; the file is clean again
    resolved = copy.deepcopy(loaded.workshop)
    resolved.use_cases[0].value = theirs_value
    resolved.conflicts = []
    again = _reloaded(resolved)
    assert again.ok and "conflicts" not in dump(resolved)


def test_an_item_deleted_on_one_side_and_changed_on_the_other_is_kept_and_flagged():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    note = BASE.notes[0]
    ours.notes.pop(0)
    theirs.notes[0].text = "They changed this note"
    result = merge_workshops(BASE, ours, theirs)
    (conflict,) = result.conflicts
    assert (conflict.section, conflict.id, conflict.field, conflict.kept) == ("notes", note.id, None, "theirs")
    assert yaml.safe_load(conflict.theirs) == {"text": "They changed this note"}
    assert yaml.safe_load(conflict.base) == {"text": note.text}
    assert conflict.ours is None
    kept = next(n for n in result.workshop.notes if n.id == note.id)
    assert kept.text == "They changed this note"
    (error,) = [d for d in _reloaded(result.workshop).diagnostics if d.severity == "error"]
    assert f"note '{note.id}'" in error.message and "was deleted in ours and changed in theirs" in error.message


def test_unresolved_conflicts_survive_a_later_merge():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    ours.use_cases[0].effort, theirs.use_cases[0].effort = 1, 5
    first = merge_workshops(BASE, ours, theirs).workshop
    other = copy.deepcopy(first)
    other.stakeholders[0].role = "Somebody else"
    merged = merge_workshops(first, first, other)
    assert merged.clean and len(merged.workshop.conflicts) == 1


# -- the file-level driver ---------------------------------------------------------------------
def _files(tmp_path: Path, base, ours, theirs) -> tuple[Path, Path, Path]:
    paths = []
    for name, ws in (("base", base), ("ours", ours), ("theirs", theirs)):
        p = tmp_path / f"{name}.yaml"
        p.write_text(ws if isinstance(ws, str) else dump(ws), encoding="utf-8")
        paths.append(p)
    return tuple(paths)  # type: ignore[return-value]  # as many paths as workshops given


def test_merge_files_writes_the_canonical_merge_into_ours(tmp_path: Path):
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    ours.stakeholders[0].role = "Ours role"
    theirs.attributes[0].definition = "Theirs definition"
    base_p, ours_p, theirs_p = _files(tmp_path, BASE, ours, theirs)
    outcome = merge_files(base_p, ours_p, theirs_p, "workshops/w.yaml")
    assert outcome.clean and outcome.messages == []
    text = ours_p.read_text(encoding="utf-8")
    merged = assert_opens_clean(ours_p)
    assert merged.stakeholders[0].role == "Ours role"
    assert merged.attributes[0].definition == "Theirs definition"
    assert dump(merged) == text and text.startswith(BASE.header.splitlines()[0])


def test_merge_files_without_a_common_ancestor(tmp_path: Path):
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    ours.stakeholders[0].role = "Ours role"
    theirs.stakeholders[0].role = "Theirs role"
    base_p, ours_p, theirs_p = _files(tmp_path, "", ours, theirs)
    outcome = merge_files(base_p, ours_p, theirs_p)
    assert not outcome.clean
    assert any("was changed on both sides" in m for m in outcome.messages)
    assert open_workshop(ours_p).workshop.stakeholders[0].role == "Ours role"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_files_that_are_not_workshops_merge_line_by_line(tmp_path: Path):
    base_p, ours_p, theirs_p = _files(tmp_path, "a: 1\nb: 2\nc: 3\n", "a: 10\nb: 2\nc: 3\n", "a: 1\nb: 2\nc: 30\n")
    outcome = merge_files(base_p, ours_p, theirs_p, "ci.yaml")
    assert outcome.clean
    assert ours_p.read_text() == "a: 10\nb: 2\nc: 30\n"
    assert "merged line by line" in outcome.messages[0]


def test_sections_without_ids_merge_by_their_key_fields():
    """Votes have no id: they are matched by stakeholder and option (any section the spec declares merges)."""
    from needsmap.format import model as m

    base = copy.deepcopy(BASE)
    base.options = [m.Option("registry", "Registry"), m.Option("hub", "Hub")]
    alice, bob = BASE.stakeholders[0].id, BASE.stakeholders[1].id
    base.votes = [m.Vote(alice, "registry", 3)]
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.votes.append(m.Vote(alice, "hub", 4))
    theirs.votes.append(m.Vote(bob, "registry", 2))
    theirs.votes[0].comment = "cheapest first step"
    result = merge_workshops(base, ours, theirs)
    assert result.clean
    assert {(v.stakeholder, v.option, v.score, v.comment) for v in result.workshop.votes} == {
        (alice, "registry", 3, "cheapest first step"),
        (alice, "hub", 4, None),
        (bob, "registry", 2, None),
    }
    assert _reloaded(result.workshop).ok

    ours.votes[0].score, theirs.votes[0].score = 1, 5
    (conflict,) = merge_workshops(base, ours, theirs).conflicts
    assert (conflict.section, conflict.id, conflict.field) == ("votes", f"{alice}/registry", "score")
    changes = diff_workshops(base, ours).changes
    assert {(c.section, c.id, c.change) for c in changes} == {
        ("votes", f"{alice}/hub", "added"),
        ("votes", f"{alice}/registry", "changed"),
    }


def test_a_reordering_on_one_side_is_kept_while_the_other_side_edits():
    process = next(p for p in BASE.processes if len(p.steps) >= 3 and len({s.name for s in p.steps}) == len(p.steps))
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    mine = next(p for p in ours.processes if p.id == process.id)
    mine.steps[0].actor = "Someone else"
    other = next(p for p in theirs.processes if p.id == process.id)
    other.steps.reverse()
    result = merge_workshops(BASE, ours, theirs)
    assert result.clean
    merged = next(p for p in result.workshop.processes if p.id == process.id)
    assert [s.name for s in merged.steps] == [s.name for s in reversed(process.steps)]
    assert merged.steps[-1].actor == "Someone else"
    both = merge_workshops(BASE, theirs, ours)  # the same when the sides swap
    assert next(p for p in both.workshop.processes if p.id == process.id) == merged


def test_one_record_sections_merge_field_by_field():
    """The `model:` section (one record holding a list keyed by parent and child) merges like any other."""
    from needsmap.format import model as m

    base = copy.deepcopy(BASE)
    base.model = m.ModelSection(relationships=[m.Relationship("customer", "address", "n-m")])
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.model.default_relationships = False
    ours.model.relationships.append(m.Relationship("household", "customer", "none"))
    theirs.model.relationships[0].name = "delivers to"
    result = merge_workshops(base, ours, theirs)
    assert result.clean
    assert result.workshop.model == m.ModelSection(
        False,
        [
            m.Relationship("customer", "address", "n-m", name="delivers to"),
            m.Relationship("household", "customer", "none"),
        ],
    )
    theirs.model.relationships[0].cardinality = "1-n"
    ours.model.relationships[0].cardinality = "1-1"
    (conflict,) = merge_workshops(base, ours, theirs).conflicts
    assert (conflict.section, conflict.id, conflict.field) == (
        "model",
        None,
        "relationships[customer/address].cardinality",
    )
    (change,) = diff_workshops(base, ours).changes
    assert change.section == "model" and {f.path for f in change.fields} == {
        "default_relationships",
        "relationships[household/customer]",
        "relationships[customer/address].cardinality",
    }
