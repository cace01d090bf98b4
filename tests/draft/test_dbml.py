"""The model draft as DBML, checked by pydbml: tables, enums, notes, indexes and references at every scale."""

from __future__ import annotations

import pytest
from pydbml import PyDBML

from needsmap.draft.comments import column_comment, one_line
from needsmap.draft.dbml import column_note, dbml, enum_names, table_note
from needsmap.draft.engine import Column, DraftModel, Table


def _parsed_column(parsed, table: str, column: str):
    return next(c for t in parsed.tables if t.name == table for c in t.columns if c.name == column)


@pytest.mark.parametrize("which", ["demo_model", "hostile_model", "enterprise_model"])
def test_dbml_parses_with_pydbml_into_the_same_tables_and_references(which, request):
    model: DraftModel = request.getfixturevalue(which)
    parsed = PyDBML(dbml(model))
    assert [t.name for t in parsed.tables] == [t.name for t in model.tables]
    for pt, t in zip(parsed.tables, model.tables, strict=True):
        assert [c.name for c in pt.columns] == [c.name for c in t.columns]
        assert [c.not_null or c.pk for c in pt.columns] == [not c.nullable for c in t.columns]
        assert pt.note.text == one_line(table_note(t))
        assert [c.note.text for c in pt.columns] == [one_line(column_note(c)) for c in t.columns]
    foreign_keys = {(t.name, c.name, c.references) for t in model.tables for c in t.columns if c.references}
    refs = set()
    for r in parsed.refs:
        child, parent = (r.col1[0], r.col2[0]) if r.type in (">", "-") else (r.col2[0], r.col1[0])
        refs.add((child.table.name, child.name, parent.table.name))
    assert refs == foreign_keys
    assert parsed.project.items["database_type"] == "PostgreSQL"


def test_dbml_notes_keep_hostile_text_as_text(hostile_model):
    parsed = PyDBML(dbml(hostile_model))
    table = next(t for t in hostile_model.tables if any(c.attribute == "select" for c in t.columns))
    col = next(c for c in table.columns if c.attribute == "select")
    parsed_col = _parsed_column(parsed, table.name, col.name)
    assert parsed_col.note.text == one_line(column_comment(col))
    assert "DROP TABLE canary" in parsed_col.note.text and "'" in parsed_col.note.text


@pytest.mark.parametrize("which", ["demo_model", "enterprise_model"])
def test_enum_columns_are_typed_with_enum_blocks_of_their_values(which, request):
    model: DraftModel = request.getfixturevalue(which)
    parsed = PyDBML(dbml(model))
    enums = {e.name: [i.name for i in e.items] for e in parsed.enums}
    enum_columns = [(t, c) for t in model.tables for c in t.columns if c.values]
    assert enum_columns, "the draft has enum columns"
    for t, c in enum_columns:
        typ = _parsed_column(parsed, t.name, c.name).type
        assert not isinstance(typ, str), f"{t.name}.{c.name} is typed {typ!r}, not with an enum"
        assert enums[typ.name] == list(c.values)
    # one block per set of values, every block used
    assert len(enums) == len({c.values for _, c in enum_columns})
    assert set(enums) == set(enum_names(model).values())


def test_enum_names_avoid_tables_and_types_and_are_shared_by_equal_values():
    t = Table("status", "status", "entity")
    t.columns = [
        Column("status_key", "key", nullable=False, primary_key=True),
        Column("text", "enum", values=("a", "b")),  # a type's name
        Column("status", "enum", values=("x", "y")),  # the table's name
        Column("kind", "enum", values=("a", "b")),  # the same values as "text"
    ]
    other = Table("other", "other", "entity", columns=[Column("other_key", "key", nullable=False, primary_key=True)])
    other.columns.append(Column("status", "enum", values=("p", "q")))
    model = DraftModel("w", "needed", [t, other], [], [])
    names = enum_names(model)
    assert names[("status", "text")] == "status_text"
    assert names[("status", "status")] == "status_status"
    assert names[("status", "kind")] == "status_text"
    assert names[("other", "status")] == "other_status"
    parsed = PyDBML(dbml(model))
    assert {e.name for e in parsed.enums} == {"status_text", "status_status", "other_status"}


def test_enum_values_dbml_cannot_write_keep_the_column_as_text_with_the_values_in_its_note(hostile_model):
    parsed = PyDBML(dbml(hostile_model))
    table = next(t for t in hostile_model.tables if any(c.attribute == "table" for c in t.columns))
    col = next(c for c in table.columns if c.attribute == "table")
    assert 'quo"te' in col.values  # DBML has no way to write this value in an enum
    typ = _parsed_column(parsed, table.name, col.name).type
    assert isinstance(typ, str) and typ.startswith("varchar")
    assert "Values: it's, quo\"te" in _parsed_column(parsed, table.name, col.name).note.text


@pytest.mark.parametrize("which", ["demo_model", "enterprise_model"])
def test_keys_unique_sets_and_indexes_are_dbml_indexes(which, request):
    model: DraftModel = request.getfixturevalue(which)
    parsed = {t.name: t for t in PyDBML(dbml(model)).tables}
    indexed = 0
    for t in model.tables:
        found = {(tuple(c.name for c in i.subjects), i.pk, i.unique) for i in parsed[t.name].indexes}
        if len(t.primary_key) > 1:
            assert (t.primary_key, True, False) in found
        for cols in t.unique_together:
            assert (tuple(cols), False, True) in found
        for cols in t.indexes:
            if tuple(cols) == t.primary_key or tuple(cols) in t.unique_together or t.column(cols[0]).unique:
                continue
            assert (tuple(cols), False, False) in found, (t.name, cols)
            indexed += 1
    assert indexed, "the draft indexes its foreign keys"


def test_ranges_and_table_checks_are_said_in_the_notes(demo_model):
    parsed = PyDBML(dbml(demo_model))
    ranged = next(
        (t, c) for t in demo_model.tables for c in t.columns if c.minimum is not None and c.maximum is not None
    )
    note = _parsed_column(parsed, ranged[0].name, ranged[1].name).note.text
    assert f"Check: from {ranged[1].minimum:g} to {ranged[1].maximum:g}." in note
    checked = next(t for t in demo_model.tables if t.checks)
    table_text = next(t for t in parsed.tables if t.name == checked.name).note.text
    assert all(c.name in table_text for c in checked.checks)
