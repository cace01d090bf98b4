"""dbt sources: one ``models/sources/<system>.yml`` per system, with freshness from what the use cases need.

The export is a dbt project folder (``dbt_project.yml`` and the sources; with ``--models`` a
staging model per source table, ``models/staging/stg_<system>__<table>.sql``, and its schema file).
Each system is a source; its holdings' fields are the tables and columns (``Receipt.CardNumber``
is the column ``CardNumber`` of the table ``Receipt``; holdings without a table sit in one table
named after the system); each column says in ``config.meta`` which attribute it holds, how
sensitive it is, who needs it and how much, how good and fresh it is there, and whether the
system masters it. Each table's ``freshness`` is the strictest freshness the use cases need of
what it holds (:func:`~needsmap.interchange.dbt_names.freshness_thresholds`). Names are dbt
identifiers and every text is safe from dbt's Jinja (:mod:`needsmap.interchange.dbt_names`).

Reading a project (or one sources file) back is :mod:`needsmap.interchange.dbt_read`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from needsmap.draft.engine import Names
from needsmap.format import model as m
from needsmap.format.naming import item_name
from needsmap.interchange.base import (
    ID_KEY,
    KIND_KEY,
    ExportFiles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ImportFormat,
)
from needsmap.interchange.dbt_names import (
    LOADED_AT_FIELD,
    SEED,
    SEED_COLUMNS,
    UniqueNames,
    cell,
    freshness_thresholds,
    jinja_text,
    joined_name,
    project_name,
    split_field,
)
from needsmap.interchange.dbt_read import read
from needsmap.interchange.facts import AttributeFacts, Facts
from needsmap.interchange.yaml_writer import dump

#: The column type dbt documents for each attribute type (``data_type``), written only where the
#: workshop states a type (the holding's own, else the attribute's): the warehouse's spelling may differ.
DATA_TYPES: dict[str, str] = {
    "string": "varchar",
    "text": "varchar",
    "integer": "bigint",
    "decimal": "numeric",
    "money": "numeric",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp",
    "email": "varchar",
    "phone": "varchar",
    "url": "varchar",
    "enum": "varchar",
    "country": "varchar",
    "currency": "varchar",
    "id": "varchar",
}
_CRITICALITY_RANK: dict[str, int] = {c: i for i, c in enumerate(m.CRITICALITIES)}
#: Most use cases named in a ``needed_by`` list (an enterprise attribute can be needed by 200); the
#: ``..._count`` beside it says how many there are.
NEEDED_BY_SHOWN = 10


class _Column:
    __slots__ = ("attr", "holding", "name", "column_part", "stated_type")

    def __init__(self, attr: AttributeFacts | None, holding: m.Holding, column: str, stated_type: str | None) -> None:
        self.attr = attr
        self.holding = holding
        self.column_part = column  # the field's column part (the attribute's id when the holding has no field)
        self.stated_type = stated_type  # the holding's type, else the attribute's, when the workshop states one
        self.name = ""


class _Table:
    __slots__ = ("part", "name", "columns")

    def __init__(self, part: str | None) -> None:
        self.part = part  # the fields' table part; None: the table of holdings without one
        self.name = ""
        self.columns: list[_Column] = []


def system_tables(system: m.System, facts: Facts, source_name: str, attributes: dict[str, m.Attribute]) -> list[_Table]:
    """The tables of a system's source, in the order their first holding comes, each column named."""
    tables: dict[str | None, _Table] = {}
    for h in system.holds:
        table_part, column_part = split_field(h.field)
        table = tables.get(table_part)
        if table is None:
            table = tables[table_part] = _Table(table_part)
        attr = attributes.get(h.attribute)
        stated = h.type or (attr.type if attr is not None else None)
        table.columns.append(_Column(facts.attributes.get(h.attribute), h, column_part or h.attribute, stated))
    names = UniqueNames()
    ordered = sorted(tables.values(), key=lambda t: t.part is None)  # real tables take their names first
    for table in ordered:
        table.name = names.take(table.part if table.part is not None else source_name)
        columns = UniqueNames()
        for col in table.columns:
            col.name = columns.take(col.column_part)
    return list(tables.values())


def _strongest(attr: AttributeFacts | None) -> str | None:
    if attr is None or not attr.needs:
        return None
    return min((n.criticality for n in attr.needs), key=lambda c: _CRITICALITY_RANK.get(c, 99))


def _column(col: _Column, facts: Facts, key: _Column | None) -> dict[str, Any]:
    h, attr = col.holding, col.attr
    out: dict[str, Any] = {"name": col.name}
    description = h.definition or (attr.definition if attr else None)
    if description:
        out["description"] = description
    if col.stated_type in DATA_TYPES:
        out["data_type"] = DATA_TYPES[col.stated_type]
    meta: dict[str, Any] = {ID_KEY: h.attribute, KIND_KEY: "attribute"}
    if attr is not None:
        meta["attribute"] = attr.name
    if h.field:
        meta["field"] = h.field
    meta["role"] = h.effective_role
    if h.quality is not None:
        meta["quality"] = h.quality
    if h.freshness is not None:
        meta["freshness"] = h.freshness
    if h.coverage is not None:
        meta["coverage"] = h.coverage
    if attr is not None:
        meta["sensitivity"] = attr.sensitivity
        meta["pii"] = attr.sensitivity != "none"
        if attr.special_category:
            meta["special_category"] = True
        if attr.identifier:
            meta["identifier"] = True
        if attr.values:
            meta["values"] = list(attr.values)
        if attr.owner:
            meta["owner"] = facts.person_name(attr.owner)
        if attr.needs:
            needed_by = list(dict.fromkeys(attr.needed_by))
            meta["needed_by"] = needed_by[:NEEDED_BY_SHOWN]
            meta["needed_by_count"] = len(needed_by)
            meta["criticality"] = _strongest(attr)
            if attr.needed_freshness != "unknown":
                meta["needed_freshness"] = attr.needed_freshness
    out["config"] = {"meta": meta}
    tests = column_tests(h) if col is key else []
    if tests:
        out["data_tests"] = tests
    return out


def table_key(table: _Table) -> _Column | None:
    """The column the workshop vouches is the table's key: the one identifier the system masters in a table
    the workshop names. A table of fields recorded without a table, or one mastering two identifiers (a
    customer number beside a contract account number), has no known grain: no column of it is tested."""
    if table.part is None:
        return None
    keys = [
        c for c in table.columns if c.attr is not None and c.attr.identifier and c.holding.effective_role == "master"
    ]
    return keys[0] if len(keys) == 1 else None


def column_tests(h: m.Holding) -> list[str]:
    """The tests of a table's key (:func:`table_key`): ``unique``, and ``not_null`` too when the workshop
    records that every record has it (coverage 1.0)."""
    return ["unique", "not_null"] if h.coverage == 1.0 else ["unique"]


def _table_freshness(table: _Table) -> tuple[str, list[str]]:
    """The strictest freshness use cases need of what the table holds, and the use cases that need it so."""
    strictest, rank = "unknown", len(m.FRESHNESS_RANK)
    for col in table.columns:
        if col.attr is None:
            continue
        for need in col.attr.needs:
            r = m.FRESHNESS_RANK.get(need.freshness)
            if r is not None and r < rank:
                strictest, rank = need.freshness, r
    if strictest == "unknown":
        return strictest, []
    by: dict[str, None] = {}
    for col in table.columns:
        for need in col.attr.needs if col.attr else ():
            if need.freshness == strictest:
                by[need.use_case_name] = None
    return strictest, list(by)


def _table(table: _Table, system_name: str, facts: Facts) -> dict[str, Any]:
    needed, needed_by = _table_freshness(table)
    key = table_key(table)
    if table.part is None:
        description = f"The fields of {system_name} recorded without a table"
    else:
        description = f"{table.part} in {system_name}"
    meta: dict[str, Any] = {ID_KEY: table.part or "", KIND_KEY: "table"}
    config: dict[str, Any] = {"meta": meta}
    thresholds = freshness_thresholds(needed)
    if thresholds is not None:
        meta["needed_freshness"] = needed
        meta["freshness_needed_by"] = needed_by[:NEEDED_BY_SHOWN]
        meta["freshness_needed_by_count"] = len(needed_by)
        config["loaded_at_field"] = LOADED_AT_FIELD
        config["freshness"] = thresholds
    return {
        "name": table.name,
        "description": description,
        "config": config,
        "columns": [_column(c, facts, key) for c in table.columns],
    }


def _source(system: m.System, source_name: str, tables: list[_Table], facts: Facts) -> dict[str, Any]:
    sf = facts.systems[system.id]
    about = ", ".join(x for x in (sf.kind, f"supplied by {sf.supplier}" if sf.supplier else None) if x)
    meta: dict[str, Any] = {ID_KEY: system.id, KIND_KEY: "system"}
    if system.name:
        meta["name"] = system.name
    if sf.owner:
        meta["owner"] = facts.person_name(sf.owner)
    if sf.kind:
        meta["kind"] = sf.kind
    if sf.supplier:
        meta["supplier"] = sf.supplier
    return {
        "name": source_name,
        "description": sf.name + (f" ({about})" if about else "") + f": what workshop {facts.workshop!r} knows of it",
        "config": {"meta": meta},
        "tables": [_table(t, sf.name, facts) for t in tables],
    }


def _staging(
    system: m.System, source_name: str, tables: list[_Table], column_of: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any]]:
    """The staging models of one source (file -> SQL) and their schema file's data."""
    files: dict[str, str] = {}
    models = []
    for table in tables:
        model = joined_name("stg_", source_name, "__", table.name.lower())
        aliases = Names()
        selected = []
        columns = []
        for col in table.columns:
            alias = aliases.take(column_of.get(col.holding.attribute) or col.holding.attribute)
            selected.append(f'        "{col.name}" as {alias}')
            entry: dict[str, Any] = {"name": alias}
            description = col.holding.definition or (col.attr.definition if col.attr else None)
            if description:
                entry["description"] = description
            entry["config"] = {"meta": {ID_KEY: col.holding.attribute, KIND_KEY: "attribute"}}
            columns.append(entry)
        # only identifiers ([A-Za-z0-9_]) reach the SQL: no workshop text can end a string or open Jinja
        files[f"models/staging/{model}.sql"] = (
            f"-- Staging model of {source_name}.{table.name}, written by needsmap: rename, cast and clean here.\n"
            f"with source as (\n    select * from {{{{ source('{source_name}', '{table.name}') }}}}\n),\n\n"
            f"renamed as (\n    select\n" + ",\n".join(selected) + "\n    from source\n)\n\nselect * from renamed\n"
        )
        models.append(
            {
                "name": model,
                "description": f"{table.part or 'Fields without a table'} of {item_name(system)}, one row per source row",
                "config": {"meta": {ID_KEY: system.id, KIND_KEY: "system"}},
                "columns": columns,
            }
        )
    return files, {"version": 2, "models": models}


def _draft_columns(inp: ExportInput) -> dict[str, str]:
    """attribute id -> the model draft's column name for it (the staging models' names)."""
    out: dict[str, str] = {}
    for table in inp.draft.tables:
        for col in table.columns:
            if col.attribute and col.attribute not in out:
                out[col.attribute] = col.name
    return out


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    ws, facts = inp.workshop, inp.facts
    project = project_name(ws.workshop.name)
    project_yml: dict[str, Any] = {
        "name": project,
        "version": "1.0.0",
        "config-version": 2,
        "profile": project,
        "model-paths": ["models"],
    }
    if options.models:
        project_yml["models"] = {project: {"staging": {"+materialized": "view"}}}
    files: ExportFiles = {"dbt_project.yml": dump(project_yml)}
    column_of = _draft_columns(inp) if options.models else {}
    attributes = {a.id: a for a in ws.attributes}
    sources = UniqueNames()
    for system in ws.systems:
        source_name = sources.take(system.id.lower())
        tables = system_tables(system, facts, source_name, attributes)
        doc = {"version": 2, "sources": [_source(system, source_name, tables, facts)]}
        files[f"models/sources/{source_name}.yml"] = dump(doc, jinja_text)
        if options.models and tables:
            sql, schema = _staging(system, source_name, tables, column_of)
            files.update(sql)
            files[f"models/staging/_{source_name}__models.yml"] = dump(schema, jinja_text)
    files[f"seeds/{SEED}.csv"] = _seed_csv(ws, facts)
    files[f"seeds/_{SEED}.yml"] = dump(_seed_properties(facts), jinja_text)
    return files


def _seed_csv(ws: m.Workshop, facts: Facts) -> str:
    """Every attribute of the workshop, one row each (those no system holds too): the attribute dictionary."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SEED_COLUMNS)
    for a in ws.attributes:
        f = facts.attributes[a.id]
        owner = facts.person_name(a.owner) or ""
        row = (a.id, a.name, f.entity, f.type, f.sensitivity, owner, a.definition or "")
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def _seed_properties(facts: Facts) -> dict[str, Any]:
    about = {
        "needsmap_id": "The attribute's id in the workshop (the columns' meta.needsmap_id)",
        "name": "The attribute's name",
        "entity": "What it describes (customer, address, consent...)",
        "type": "Its type in the workshop (string, email, date, money...)",
        "sensitivity": "none, personal or sensitive",
        "owner": "Who owns its definition and quality",
        "definition": "What it means, in the business's words",
    }
    return {
        "version": 2,
        "seeds": [
            {
                "name": SEED,
                "description": f"The attributes of workshop {facts.workshop!r}, one row each. Text that a spreadsheet "
                "would read as a formula starts with an apostrophe.",
                "config": {
                    "column_types": {c: "varchar" for c in SEED_COLUMNS},
                    "meta": {KIND_KEY: "attribute"},
                },
                "columns": [{"name": c, "description": about[c]} for c in SEED_COLUMNS],
            }
        ],
    }


def _fields() -> tuple[tuple[str, str], ...]:
    return (
        ("dbt_project.yml name", "the workshop's name as a dbt identifier"),
        ("sources[].name (file models/sources/SYSTEM.yml)", "the system's id as a dbt identifier"),
        ("sources[].description", "the system's name, kind and supplier"),
        ("sources[].config.meta", "needsmap_id (the system's id), name, owner (the system owner's name), kind, supplier"),
        ("tables[].name", "the table part of the holdings' fields (Receipt.CardNumber: Receipt); the source's name "
         "for holdings without one"),
        ("tables[].config.freshness", "the strictest freshness use cases need of what the table holds: warn after "
         "it (daily: 24 h), error after twice it (48 h); realtime counts as hourly"),
        ("tables[].config.loaded_at_field", f"{LOADED_AT_FIELD} (set it to your loader's column)"),
        ("tables[].config.meta", f"needed_freshness, freshness_needed_by (the use cases that set it, at most "
         f"{NEEDED_BY_SHOWN}) and freshness_needed_by_count"),
        ("columns[].name", "the column part of the holding's field; the attribute's id for holdings without one"),
        ("columns[].description", "the system's own definition of the attribute, else the attribute's definition"),
        ("columns[].data_type", "the holding's or attribute's stated type (varchar, bigint, numeric, date...)"),
        ("columns[].config.meta", "needsmap_id (the attribute's id), attribute, field, role (master/copy/derived), "
         f"quality, freshness, coverage, sensitivity, pii, special_category, identifier, owner, needed_by (at most "
         f"{NEEDED_BY_SHOWN} use cases), needed_by_count, "
         "criticality (the strongest need), needed_freshness"),
        ("columns[].data_tests", "unique on an identifier the system masters, and not_null when its coverage is 1.0"),
        (f"seeds/{SEED}.csv", "every attribute (those no system holds too): id, name, entity, type, sensitivity, "
         "owner, definition; a cell a spreadsheet would run as a formula starts with an apostrophe"),
        ("models/staging/stg_SYSTEM__TABLE.sql (--models)", "selects the source table's columns, named as the "
         "model draft names them"),
    )  # fmt: skip


EXPORT = ExportFormat(
    name="dbt",
    title="dbt sources (YAML) per system, freshness from what the use cases need; staging model stubs with --models",
    folder=True,
    suffix="",
    options=("models", "scope"),
    fields=_fields(),
    export=export,
)

IMPORT = ImportFormat(
    name="dbt",
    title="dbt sources YAML (a sources file, or a dbt project's folder)",
    suffixes=(".yml", ".yaml", ".csv", "/"),
    read=read,
)
