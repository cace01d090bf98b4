"""Open Data Contract Standard (ODCS) v3: a data contract per entity of the model draft, or per system.

Per entity (the default), ``<entity>.odcs.yaml`` holds the model draft's tables of that entity as
schema objects, each column a property: its business name, logical and physical type, keys,
classification from the attribute's sensitivity, ``criticalDataElement`` when a use case cannot do
without it, quality rules from the workshop's thresholds, and in ``customProperties`` needsmap's
ids and the trace: who needs it and for which use case, where it lives today, which source should
win, the decisions still open. Attributes of the entity that no use case needs yet are listed in
one more object (``recorded_not_needed``), so the contract says everything the workshop knows of
the entity. With ``--per-system``, ``<system>.odcs.yaml`` holds what one system holds, an object
per entity, each field a property.

Every contract carries ``team`` (the owners and the use cases' owners), ``slaProperties`` (the
freshness the strictest use case needs, as ``latency``) and ``description`` (purpose from the use
cases, usage, and the open decisions as limitations). Ids are stable (derived from needsmap's ids),
so a second export writes the same files with the same ids. :mod:`needsmap.interchange.odcs_read`
reads contracts back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from needsmap.catalog.entries import load_catalog
from needsmap.draft.engine import Column, Table
from needsmap.draft.sql_types import sql_type
from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key, slug
from needsmap.interchange.base import (
    ID_KEY,
    KIND_KEY,
    ExportError,
    ExportFiles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ImportFormat,
)
from needsmap.interchange.facts import FRESHNESS_HOURS, AttributeFacts, Facts
from needsmap.interchange.odcs_read import (
    API_VERSION,
    CLASSIFICATION,
    HOLDING_KEY,
    LOGICAL_TYPES,
    NOT_NEEDED_OBJECT,
    OWNER_ID_KEY,
    OWNER_KEY,
    SUFFIX,
    TYPE_KEY,
    read,
)
from needsmap.interchange.yaml_writer import dump

#: ``logicalTypeOptions`` of the types that say more than their logical type.
TYPE_OPTIONS: dict[str, dict[str, object]] = {
    "email": {"format": "email", "maxLength": 320},
    "url": {"format": "uri", "maxLength": 2048},
    "phone": {"maxLength": 32},
    "country": {"pattern": "^[A-Z]{2}$", "minLength": 2, "maxLength": 2},
    "currency": {"pattern": "^[A-Z]{3}$", "minLength": 3, "maxLength": 3},
    "id": {"maxLength": 255},
    "datetime": {"timezone": True},
}
#: The dialect of ``physicalType`` (the model draft's default).
DIALECT = "postgres"
VERSION = "0.1.0"
STATUS = "draft"
_SAFE_ID = re.compile(r"[a-z0-9_-]{1,60}")


def stable_slug(ident: str) -> str:
    """An id from needsmap's id: itself when it is already ``[a-z0-9_-]``, else a slug and a hash of the whole."""
    if _SAFE_ID.fullmatch(ident):
        return ident
    digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:8]
    base = slug(ident)[:50].strip("-")
    return f"{base}-{digest}" if base else f"x-{digest}"


def _custom(pairs: Iterable[tuple[str, object]]) -> list[dict]:
    return [{"property": k, "value": v} for k, v in pairs if v is not None and v != [] and v != {}]


def _ids(ident: str, kind: str) -> list[tuple[str, object]]:
    return [(ID_KEY, ident), (KIND_KEY, kind)]


def _spread(values: list, recorded: list, fmt: str) -> str:
    """``80% in CRM`` for one system, ``70% to 97% in 4 systems`` for several."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if len(recorded) == 1:
        return f"{fmt.format(low)} in {recorded[0][0]}"
    shown = fmt.format(low) if low == high else f"{fmt.format(low)} to {fmt.format(high)}"
    return f"{shown} in {len(values)} of {len(recorded)} systems"


def _freshness_sla(hours: int) -> tuple[int, str]:
    return (hours, "h") if hours < 24 else (hours // 24, "d")


class _Contracts:
    """What every contract of one export shares: the facts, the thresholds, the catalog's references."""

    def __init__(self, inp: ExportInput) -> None:
        self.inp = inp
        self.ws = inp.workshop
        self.facts: Facts = inp.facts
        settings = self.ws.settings
        self.min_quality = settings.effective_min_quality if settings else m.DEFAULT_MIN_QUALITY
        self.min_coverage = settings.effective_min_coverage if settings else m.DEFAULT_MIN_COVERAGE
        self.prefix = "needsmap." + (
            stable_slug(slug(self.facts.organization or self.facts.workshop)[:40] or "workshop")
        )
        self.ontology = {e.id: e.schema_org for e in load_catalog().entries if e.schema_org}
        self.raw_holdings = {(s.id, h.attribute): h for s in self.ws.systems for h in s.holds}

    # -- people -----------------------------------------------------------------------------
    def team(self, name: str, roles: dict[str, list[str]]) -> dict:
        """``roles``: stakeholder id -> what they are to this contract, in the order first met."""
        members = []
        for ident, what in roles.items():
            person = self.facts.people.get(ident)
            member: dict = {"username": ident}
            if person is not None:
                member["name"] = item_name(person)
            member["role"] = ", ".join(dict.fromkeys(what))
            if person is not None and (person.role or person.function):
                member["description"] = " - ".join(p for p in (person.role, person.function) if p)
            member["customProperties"] = _custom(_ids(ident, "stakeholder"))
            members.append(member)
        team: dict = {"name": name}
        if members:
            team["members"] = members
        return team

    # -- one attribute ----------------------------------------------------------------------
    def attribute_fields(self, a: AttributeFacts, column_type: str | None = None) -> dict:
        """The property fields that come from the attribute (not from where it is stored)."""
        out: dict = {}
        typ = column_type or a.type
        logical = LOGICAL_TYPES.get(typ, "string")
        out["logicalType"] = logical
        options = dict(TYPE_OPTIONS.get(typ, {}))
        if options and logical in ("string", "timestamp"):
            out["logicalTypeOptions"] = options
        if typ == "json":
            out["items"] = {"logicalType": LOGICAL_TYPES.get(a.type, "string")}
        return out

    def trace(self, a: AttributeFacts, full: bool = True) -> list[tuple[str, object]]:
        """The attribute's own customProperties: ids, its type, owner, and who needs it for what.

        ``full``: with the use cases' names, their owners, their purposes and every source; a
        contract per system says only the use cases' ids (the entity's contract says the rest).
        """
        pairs: list[tuple[str, object]] = [*_ids(a.id, "attribute"), (TYPE_KEY, a.type)]
        if a.owner:
            pairs += [(OWNER_KEY, a.owner_name), (OWNER_ID_KEY, a.owner)]
        if a.needs:
            strictest = min((n.criticality for n in a.needs), key=m.CRITICALITIES.index)
            if full:
                pairs.append(("neededBy", [n.use_case_name for n in a.needs]))
            pairs.append(("useCases", [n.use_case for n in a.needs]))
            if full:
                pairs.append(("stakeholders", list(dict.fromkeys(n.owner_name for n in a.needs if n.owner_name))))
            pairs += [("criticality", strictest), ("neededFreshness", a.needed_freshness)]
            if full:
                pairs.append(("purposes", list(dict.fromkeys(n.purpose for n in a.needs if n.purpose))))
        if full:
            pairs.append(("sources", [self.source(a.id, h.system) for h in a.holdings]))
        return pairs

    def source(self, attribute: str, system: str) -> dict:
        """One holding as written in the workshop (only what it states), with the system's id."""
        h = self.raw_holdings[(system, attribute)]
        out: dict = {"system": system}
        for key, value in (
            ("field", h.field),
            ("role", h.role),
            ("quality", h.quality),
            ("freshness", h.freshness),
            ("coverage", h.coverage),
            ("derivedFrom", list(h.derived_from)),
            ("definition", h.definition),
            ("type", h.type),
        ):
            if value is not None and value != []:
                out[key] = value
        return out

    def quality(self, a: AttributeFacts, holdings: Iterable[tuple[str, int | None, float | None]]) -> list[dict]:
        """The workshop's thresholds as rules: completeness from min_coverage, accuracy from min_quality."""
        if not a.needs:
            return []
        severity = "error" if a.critical else "warning"
        recorded = list(holdings)
        coverage_today = _spread([c for _, _, c in recorded if c is not None], recorded, "{:.0%}") or "not recorded"
        quality_today = _spread([q for _, q, _ in recorded if q is not None], recorded, "{} of 5") or "not rated"
        return [
            {
                "id": "coverage",
                "type": "library",
                "metric": "nullValues",
                "mustBeLessOrEqualTo": round((1 - self.min_coverage) * 100, 2),
                "unit": "percent",
                "dimension": "completeness",
                "severity": severity,
                "description": f"At least {self.min_coverage:.0%} filled (min_coverage); today {coverage_today}.",
            },
            {
                "id": "quality",
                "type": "text",
                "dimension": "accuracy",
                "severity": severity,
                "description": f"Rated at least {self.min_quality} of 5 where taken from (min_quality); today {quality_today}.",
            },
        ]

    def common(self, a: AttributeFacts) -> dict:
        """Fields every property of an attribute states, whatever the mode."""
        out: dict = {}
        if a.sensitivity in CLASSIFICATION:
            out["classification"] = CLASSIFICATION[a.sensitivity]
        if a.critical:
            out["criticalDataElement"] = True
        if a.definition:
            out["description"] = a.definition
        if a.values:
            out["enum"] = [{"value": v} for v in dict.fromkeys(a.values)]
        if a.synonyms:
            out["synonyms"] = [{"synonym": s} for s in dict.fromkeys(a.synonyms)]
        schema_org = self.ontology.get(a.id)
        if schema_org:
            term = schema_org.split(":", 1)[1]
            out["authoritativeDefinitions"] = [
                {
                    "type": "ontology",
                    "url": f"https://schema.org/{term}",
                    "description": f"needsmap's reference catalog: {schema_org}",
                }
            ]
        tags = [
            tag
            for tag, on in (
                ("personal-data", a.sensitivity in ("personal", "sensitive")),
                ("special-category", a.special_category),
                ("identifier", a.identifier),
            )
            if on
        ]
        if tags:
            out["tags"] = tags
        return out

    # -- the contract around the objects ----------------------------------------------------
    def contract(
        self,
        ident: str,
        name: str,
        kind: str,
        needsmap_id: str,
        schema: list[dict],
        attributes: list[AttributeFacts],
        usage: str,
        limitations: list[str],
        roles: dict[str, list[str]],
    ) -> dict:
        description: dict = {}
        purpose = self.purpose(attributes)
        if purpose:
            description["purpose"] = purpose
        description["usage"] = usage
        if limitations:
            description["limitations"] = "\n".join(limitations)
        for a in attributes:
            if a.owner:
                roles.setdefault(a.owner, []).append("data owner")
        for a in attributes:
            for n in a.needs:
                if n.owner:
                    roles.setdefault(n.owner, []).append("use case owner")
        contract: dict = {
            "apiVersion": API_VERSION,
            "kind": "DataContract",
            "id": ident,
            "name": name,
            "version": VERSION,
            "status": STATUS,
            "tags": ["needsmap", kind],
            "description": description,
            "schema": schema,
            "team": self.team(f"{name} data", roles),
        }
        sla = self.sla(attributes, schema)
        if sla:
            contract["slaProperties"] = sla
        contract["customProperties"] = _custom(
            [
                *_ids(needsmap_id, kind),
                ("needsmapWorkshop", self.facts.workshop or None),
                ("organization", self.facts.organization),
                ("needsmapSource", self.inp.source_name),
                ("needsmapScope", self.inp.scope),
            ]
        )
        return contract

    def purpose(self, attributes: list[AttributeFacts]) -> str:
        needing: dict[str, None] = {}
        for a in attributes:
            for n in a.needs:
                needing.setdefault(n.use_case)
        lines = []
        for uc_id in needing:
            uc = self.facts.use_cases.get(uc_id)
            if uc is None:
                continue
            owner = self.facts.person_name(uc.owner)
            head = item_name(uc) + (f" ({owner})" if owner else "")
            what = " ".join((uc.description or "").split())
            lines.append(f"- {head}: {what}" if what else f"- {head}")
        if not lines:
            return ""
        return "The use cases that need this data:\n" + "\n".join(lines)

    def sla(self, attributes: list[AttributeFacts], schema: list[dict]) -> list[dict]:
        """``latency``: how old a value may be, per freshness a use case needs (strictest first)."""
        where: dict[str, str] = {}
        for obj in schema:
            for prop in obj.get("properties", ()):
                for cp in prop.get("customProperties", ()):
                    if cp["property"] == ID_KEY and cp["value"] not in where:
                        where[cp["value"]] = f"{obj['name']}.{prop['name']}"
        by_age: dict[int, dict[str, list[str]]] = {}  # hours -> freshness -> properties
        for a in attributes:
            fresh = a.needed_freshness
            if fresh in FRESHNESS_HOURS and a.id in where:
                by_age.setdefault(FRESHNESS_HOURS[fresh], {}).setdefault(fresh, []).append(where[a.id])
        out = []
        for hours in sorted(by_age):
            value, unit = _freshness_sla(hours)
            elements = [e for group in by_age[hours].values() for e in group]
            out.append(
                {
                    "id": f"latency-{value}{unit}",
                    "property": "latency",
                    "value": value,
                    "unit": unit,
                    "element": ", ".join(elements),
                    "driver": "operational",
                    "description": (
                        f"At most {value}{unit} old ({' or '.join(by_age[hours])}): the freshness the strictest "
                        f"use case needs of {len(elements)} propert{'y' if len(elements) == 1 else 'ies'}."
                    ),
                }
            )
        return out


# -- per entity of the model draft ----------------------------------------------------------------
def _column_property(c: Column, t: Table, ctx: _Contracts, position: int) -> dict:
    a = ctx.facts.attributes.get(c.attribute) if c.attribute else None
    prop: dict = {"id": c.name, "name": c.name}
    if a is not None and a.name != a.id:
        prop["businessName"] = a.name
    if c.discriminator is None:
        prop["physicalName"] = c.name
    if a is not None:
        prop.update(ctx.attribute_fields(a, c.type))
    else:
        prop["logicalType"] = LOGICAL_TYPES.get(c.type, "string")
    prop["physicalType"] = sql_type(DIALECT, c.type, c.values)
    if c.discriminator is None:
        prop["required"] = not c.nullable
    if c.primary_key:
        prop["primaryKey"] = True
        prop["primaryKeyPosition"] = position
    if c.unique and c.discriminator is None:
        prop["unique"] = True
    if a is not None:
        prop.update(ctx.common(a))
        if c.minimum is not None or c.maximum is not None:
            if prop["logicalType"] in ("integer", "number"):
                bounds = {"minimum": c.minimum, "maximum": c.maximum}
                prop["logicalTypeOptions"] = {k: v for k, v in bounds.items() if v is not None}
        rules = ctx.quality(a, [(h.system_name, h.quality, h.coverage) for h in a.holdings])
        if rules:
            prop["quality"] = rules
    else:
        prop["description"] = c.comment
        if c.values:
            prop["enum"] = [{"value": v} for v in dict.fromkeys(c.values)]
    if c.references and c.ref_column and _REFERENCE.fullmatch(f"{c.references}.{c.ref_column}"):
        prop["relationships"] = [{"type": "foreignKey", "to": f"{c.references}.{c.ref_column}"}]
    pairs: list[tuple[str, object]]
    if a is not None:
        pairs = ctx.trace(a)
        if c.discriminator:
            pairs.append(("storedAs", {"table": t.name, "column": c.discriminator, "value": c.name}))
        if c.moved_from:
            pairs.append(("recordedOn", c.moved_from))
        if c.window:
            pairs.append(("window", c.window))
        if c.survivorship is not None:
            sv = c.survivorship
            pairs.append(("survivorship", {"rule": sv.rule, "system": sv.system, "status": sv.status, "why": sv.why}))
        draft = ctx.inp.draft
        pairs.append(("openDecisions", [{"id": d, "question": draft.decision(d).question} for d in c.open_decisions]))
    else:
        pairs = _ids(f"{t.name}.{c.name}", "column")
    prop["customProperties"] = _custom(pairs)
    return prop


_REFERENCE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*")


def _table_object(t: Table, ctx: _Contracts) -> dict:
    positions = {name: i for i, name in enumerate(t.primary_key, 1)}
    obj: dict = {
        "id": t.name,
        "name": t.name,
        "physicalName": t.name,
        "physicalType": "table",
        "logicalType": "object",
        "description": t.comment,
        "properties": [_column_property(c, t, ctx, positions.get(c.name, -1)) for c in [*t.columns, *t.row_attributes]],
    }
    obj["customProperties"] = _custom(
        [
            *_ids(t.name, "table"),
            ("entity", t.entity),
            ("tableKind", t.kind),
            ("useCases", list(t.use_cases)),
            ("openDecisions", [{"id": d, "question": ctx.inp.draft.decision(d).question} for d in t.open_decisions]),
        ]
    )
    return obj


def _not_needed_object(entity: str, attrs: list[AttributeFacts], ctx: _Contracts) -> dict:
    props = []
    for a in attrs:
        prop: dict = {"id": stable_slug(a.id), "name": a.id}
        if a.name != a.id:
            prop["businessName"] = a.name
        prop.update(ctx.attribute_fields(a))
        prop.update(ctx.common(a))
        prop["customProperties"] = _custom(ctx.trace(a))
        props.append(prop)
    return {
        "id": NOT_NEEDED_OBJECT,
        "name": NOT_NEEDED_OBJECT,
        "businessName": f"{entity}: recorded, not needed by any use case",
        "logicalType": "object",
        "description": (
            f"Attributes the workshop records for {entity} that no use case needs yet, so the model draft "
            "(scope 'needed') has no column for them. Export with --scope all to draft them."
        ),
        "properties": props,
        "customProperties": _custom([*_ids(entity, "entity"), ("entity", entity)]),
    }


def _decision_lines(ctx: _Contracts, ids: Iterable[str]) -> list[str]:
    draft = ctx.inp.draft
    lines = []
    for did in dict.fromkeys(ids):
        d = draft.decision(did)
        question, finding = " ".join(d.question.split()), " ".join(d.finding.split())
        said = name_key(finding) in name_key(question)
        lines.append(f"- {d.id}: {question}" + ("" if said else f" ({finding})"))
    return ["Open decisions (the workshop has not settled them yet):", *lines] if lines else []


def per_entity(inp: ExportInput) -> ExportFiles:
    ctx = _Contracts(inp)
    draft = inp.draft
    groups: dict[str, list[Table]] = {}
    entity_of_attribute: dict[str, str] = {}
    for t in draft.tables:
        if t.kind == "integration" and not t.attribute_columns:
            continue  # the model's own bookkeeping (systems, mappings, survivorship rules)
        key = t.entity.split("+", 1)[0] if t.kind == "link" else t.entity
        groups.setdefault(key, []).append(t)
        for c in t.attribute_columns:
            if c.attribute in ctx.facts.attributes:
                entity_of_attribute.setdefault(ctx.facts.attributes[c.attribute].entity, key)
    drafted = {c.attribute for _, c in draft.attribute_columns()}
    not_needed: dict[str, list[AttributeFacts]] = {}
    for a in ctx.facts.attributes.values():
        if a.id not in drafted:
            key = a.entity if a.entity in groups else entity_of_attribute.get(a.entity, a.entity)
            not_needed.setdefault(key, []).append(a)
    files: ExportFiles = {}
    taken: set[str] = set()
    for key in [*groups, *(e for e in not_needed if e not in groups)]:
        tables = groups.get(key, [])
        schema = [_table_object(t, ctx) for t in tables]
        attrs = [ctx.facts.attributes[c.attribute] for t in tables for c in t.attribute_columns if c.attribute]
        attrs = list({a.id: a for a in attrs}.values())
        if key in not_needed:
            schema.append(_not_needed_object(key, not_needed[key], ctx))
            attrs += not_needed[key]
        decisions = [d for t in tables for d in (*t.open_decisions, *(x for c in t.columns for x in c.open_decisions))]
        decisions += [d for t in tables for c in t.row_attributes for d in c.open_decisions]
        usage = (
            f"A draft data contract from the needsmap workshop {ctx.facts.workshop!r} ({inp.source_name}): "
            f"the model draft's tables for {key}, each property traced to the use cases that need it "
            "(customProperties). Properties are nullable unless keys: a use case's 'must' is its requirement "
            "(criticalDataElement), not a NOT NULL constraint. physicalType is PostgreSQL's."
        )
        limitations = _decision_lines(ctx, decisions)
        if any(a.special_category for a in attrs):
            limitations.append("Holds special-category data (GDPR Art. 9): processing needs an explicit legal ground.")
        stem = stable_slug(key)
        name = f"{stem}{SUFFIX}"
        if name in taken:
            raise ExportError(f"internal error: two entities share the contract file name {name}")
        taken.add(name)
        title = key.replace("_", " ").capitalize() if _SAFE_ID.fullmatch(key) else key
        contract = ctx.contract(f"{ctx.prefix}.{stem}", title, "entity", key, schema, attrs, usage, limitations, {})
        files[name] = dump(contract)
    return files


# -- per system -----------------------------------------------------------------------------------
def per_system(inp: ExportInput) -> ExportFiles:
    ctx = _Contracts(inp)
    files: ExportFiles = {}
    for system in inp.workshop.systems:
        sf = ctx.facts.systems[system.id]
        objects: dict[str, list[dict]] = {}
        attrs: list[AttributeFacts] = []
        for h in system.holds:
            a = ctx.facts.attributes.get(h.attribute)
            if a is None:
                continue
            attrs.append(a)
            prop: dict = {"id": stable_slug(a.id), "name": h.field or a.id}
            if h.field:
                prop["physicalName"] = h.field
            if a.name != a.id:
                prop["businessName"] = a.name
            prop.update(ctx.attribute_fields(a))
            prop.update(ctx.common(a))
            rules = ctx.quality(a, [(sf.name, h.quality, h.coverage)])
            if rules:
                prop["quality"] = rules
            pairs = ctx.trace(a, full=False)
            pairs.append(
                (HOLDING_KEY, {k: v for k, v in ctx.source(a.id, system.id).items() if k not in ("system", ID_KEY)})
            )
            prop["customProperties"] = _custom(pairs)
            objects.setdefault(a.entity, []).append(prop)
        schema = [
            {
                "id": stable_slug(entity),
                "name": entity,
                "logicalType": "object",
                "description": f"What {sf.name} holds of {entity}, as the workshop recorded it.",
                "properties": props,
                "customProperties": _custom([*_ids(entity, "entity"), ("entity", entity)]),
            }
            for entity, props in objects.items()
        ]
        kind = ", ".join(x for x in (sf.kind, sf.supplier) if x)
        feeds = [
            f"- feeds {ctx.facts.systems[to].name if to in ctx.facts.systems else to} ({freq})"
            for to, freq, _ in sf.feeds_to
        ]
        usage = (
            f"What {sf.name}{f' ({kind})' if kind else ''} holds, as recorded in the needsmap workshop "
            f"{ctx.facts.workshop!r} ({inp.source_name}): each field with the attribute it holds, its quality, "
            "coverage and freshness here (customProperties: holding), and who needs it."
        )
        if feeds:
            usage += "\n" + "\n".join(feeds)
        roles: dict[str, list[str]] = {}
        if system.owner:
            roles[system.owner] = ["system owner"]
        stem = stable_slug(system.id)
        files[f"{stem}{SUFFIX}"] = dump(
            ctx.contract(f"{ctx.prefix}.system.{stem}", sf.name, "system", system.id, schema, attrs, usage, [], roles)
        )
    return files


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    return per_system(inp) if options.per_system else per_entity(inp)


EXPORT = ExportFormat(
    name="odcs",
    title="Open Data Contract Standard v3 (YAML): a data contract per entity of the model draft, or per system with --per-system",
    folder=True,
    suffix="",
    options=("per_system", "scope"),
    fields=(
        ("apiVersion, kind, version, status", f"{API_VERSION}, DataContract, {VERSION}, {STATUS} (the draft's)"),
        ("id", "needsmap.<organization>.<entity> (or .system.<system>): from needsmap's ids, stable"),
        ("name, description.purpose", "the entity (or system); the use cases that need its attributes"),
        ("description.usage, limitations", "where the contract comes from; the draft's open decisions"),
        ("schema[] (objects)", "the model draft's tables of the entity (or the system's entities)"),
        ("schema[].properties[]", "the tables' columns (or the system's fields), attributes stored as rows too"),
        ("businessName, description", "attribute name and definition"),
        ("logicalType, physicalType", "attribute type; the draft's PostgreSQL column type"),
        ("required, primaryKey, unique", "the draft's keys and business keys"),
        ("classification", "sensitivity: none internal, personal confidential, sensitive restricted"),
        ("criticalDataElement", "a use case must have it (a must-need)"),
        ("authoritativeDefinitions", "the reference catalog's schema.org term"),
        ("quality[]", "settings min_coverage (nullValues) and min_quality, with what the holdings record"),
        (
            "customProperties",
            "needsmap ids, owner, needed by, use cases, stakeholders, sources, survivorship, decisions",
        ),
        ("team.members[]", "attribute owners, use case owners, the system owner: stakeholders"),
        ("slaProperties latency", "the freshness the strictest use case needs, per property"),
    ),
    export=export,
)

IMPORT = ImportFormat(
    name="odcs",
    title="ODCS v3 data contracts (a contract file, or a folder of them)",
    suffixes=(".yaml", ".yml", "/"),
    read=read,
)
