"""The model draft: tables and columns that use cases need, traced back to who asked, with open decisions.

:func:`draft_model` is a pure function of a workshop and its analysis.  It drafts the data model
the other way round from "flatten everything into one model": only the attributes use cases need
(``scope="needed"``, or every attribute with ``scope="all"``), each column traced to the use cases
and stakeholders that asked for it, and every question the workshop left open written into the
draft as an :class:`OpenDecision` instead of being silently decided.

The tables follow the method of docs/model.md: the parties (customer, organisation, household);
contact points, consent and preferences as typed rows; identity as one cross-reference; customer
summaries on the customer (or as rows of a narrow metrics table when there are many), never on an
order or interaction; special-category data in a table of its own; every child with a required,
indexed foreign key to its parent; attributes nullable (a use case's "must" is its requirement,
not a column constraint), business keys UNIQUE, scales and enums checked; names that are no
reserved word in any dialect; and no table wider than any dialect's row limit
(:mod:`needsmap.draft.row_size`).

The draft is dialect-independent: columns carry the attribute's type class (``string``,
``money``...); :mod:`needsmap.draft.render` types them per SQL dialect and writes the formats.
Physical names are derived from ids: ASCII ``[a-z0-9_]``, at most :data:`MAX_NAME` characters
(longer ones end in a stable hash), unique in their scope.  Renderers still quote every identifier.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from needsmap.analysis.engine import Analysis, Gap
from needsmap.analysis.rules import RULES
from needsmap.draft import entities as ent
from needsmap.draft.reserved_words import is_reserved
from needsmap.draft.row_size import FILL, LIMITS, column_widths
from needsmap.draft.survivorship import RULES as SURVIVORSHIP_RULES
from needsmap.draft.survivorship import Source, Survivorship, propose_survivorship
from needsmap.format import model as m

__all__ = [
    "SURVIVORSHIP_RULES",
    "Check",
    "Column",
    "DraftModel",
    "OpenDecision",
    "RelationshipDraft",
    "Source",
    "Survivorship",
    "Table",
    "draft_model",
    "parents_first",
    "physical_name",
    "propose_survivorship",
]

SCOPES: tuple[str, ...] = ("needed", "all")
#: Longest physical name: PostgreSQL's limit (63 bytes), below MySQL's 64 and SQL Server's 128.
MAX_NAME = 63
#: Most columns one table gets, whatever their width: below InnoDB's 1017, SQL Server's 1024,
#: PostgreSQL's 1600 and SQLite's 2000.
MAX_COLUMNS_PER_TABLE = 1000
#: Customer-level numeric summaries beyond this many become rows of the narrow metrics table.
MAX_METRIC_COLUMNS = 40

#: The default relationships: (parent, child, cardinality, required).  They apply only between
#: entities the workshop uses.  Children of the customer must have one (their foreign key is NOT
#: NULL); a consumer has no organisation, so the customer's organisation is optional.
DEFAULT_RELATIONSHIPS: tuple[tuple[str, str, str, bool], ...] = (
    ("customer", "contact_point", "1-n", True),
    ("customer", "address", "1-n", True),
    ("customer", "consent", "1-n", True),
    ("customer", "preference", "1-n", True),
    ("customer", "interaction", "1-n", True),
    ("customer", "order", "1-n", True),
    ("customer", "product_holding", "1-n", True),
    ("customer", "claim", "1-n", True),
    ("product_holding", "claim", "1-n", True),
    ("organization", "customer", "1-n", False),
    ("household", "customer", "n-m", False),
    ("order", "order_line", "1-n", True),
)
#: Names of the integration view's tables (entity tables never take them).
SOURCE_SYSTEM, IDENTITY_XREF, SOURCE_MAPPING, SURVIVORSHIP = (
    "source_system",
    "identity_xref",
    "source_mapping",
    "survivorship_rule",
)
INTEGRATION_TABLES: tuple[str, ...] = (SOURCE_SYSTEM, IDENTITY_XREF, SOURCE_MAPPING, SURVIVORSHIP)
#: The narrow metrics table and its catalogue (present only when the customer has many metrics).
CUSTOMER_METRIC, METRIC_DEFINITION = "customer_metric", "metric_definition"
#: The tables the method adds, and the entity the customer's table belongs to.
CUSTOMER = "customer"
#: Suffix of the table that keeps an entity's special-category (GDPR Art. 9) attributes.
SPECIAL_SUFFIX = "_special_category"

#: The analysis rules whose findings become open decisions, and the question each asks; the
#: finding's own message (what the workshop recorded) follows it as the reason.
DECISION_RULES: dict[str, str] = {
    "missing-source": "Where is {name} captured and mastered?",
    "no-master": "Which system masters {name}?",
    "many-masters": "Which one system masters {name}?",
    "definition-conflict": "What exactly does {name} hold?",
    "no-owner": "Who owns {name}?",
    "contested": "Who owns {name}, and who may change it?",
    "identity-island": "How are the customers of {name} matched to the same customers elsewhere?",
    "no-identifier": "Which identifier will {name} hold, so that its customer data can be tied to a customer?",
}
_IDENTITY_RULES = frozenset({"identity-island", "no-identifier"})
#: Open notes of these kinds about an attribute or system become open decisions too.
NOTE_KINDS_OPEN = ("question", "risk")
CONSENT_STATUSES: tuple[str, ...] = ("granted", "withdrawn")
ADDRESS_TYPES: tuple[str, ...] = ("home", "delivery", "billing", "postal", "work", "other")
METRIC_VALUE_TYPES: tuple[str, ...] = ("integer", "decimal", "money", "date", "datetime")

Kind = str  # "entity" | "extension" | "link" | "integration" | "reference"


@dataclass(frozen=True, slots=True)
class Check:
    """A table-level CHECK constraint as data; renderers write it per dialect.

    ``kind``: ``one_of`` (exactly one of ``columns`` is set), ``values_when`` (``columns[1]`` is
    one of ``values`` or NULL when ``columns[0]`` equals ``when``), ``not_after`` (``columns[0]``
    is not later than ``columns[1]`` when both are set).
    """

    name: str
    kind: str
    columns: tuple[str, ...]
    values: tuple[str, ...] = ()
    when: str = ""


@dataclass(slots=True)
class Column:
    name: str  # physical name
    type: str  # an attribute type ("string", "money"...), "key" (a surrogate key or a reference to one) or "json"
    nullable: bool = True
    comment: str = ""
    attribute: str | None = None  # the attribute id; None for keys and the model's own columns
    label: str = ""  # the business name
    values: tuple[str, ...] = ()  # allowed values (type enum)
    primary_key: bool = False
    references: str | None = None  # name of the table whose key this column holds
    ref_column: str | None = None  # the key column of that table
    unique: bool = False
    identifier: bool = False
    sensitivity: str = "none"
    use_cases: tuple[str, ...] = ()
    stakeholders: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    survivorship: Survivorship | None = None
    open_decisions: list[str] = field(default_factory=list)  # ids of OpenDecision
    minimum: float | None = None  # CHECK (col >= minimum)
    maximum: float | None = None  # CHECK (col <= maximum)
    moved_from: str | None = None  # the entity the workshop recorded it on, when the method placed it elsewhere
    discriminator: str | None = None  # for an attribute stored as rows: the column whose value names it
    window: str | None = None  # for a metric: its window (12m, 90d, ytd)
    attribute_type: str | None = None  # the attribute's own type, when the column's type differs (lists: json)


@dataclass(slots=True)
class Table:
    name: str  # physical name
    entity: str  # the entity (for link tables "a+b", for integration tables the table's own name)
    kind: Kind
    comment: str = ""
    columns: list[Column] = field(default_factory=list)
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    open_decisions: list[str] = field(default_factory=list)
    #: Every foreign key column gets an index (unless it leads the primary key or a unique set).
    indexes: list[tuple[str, ...]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    #: Attributes stored as rows of this table (one row per value), each named by its discriminator.
    row_attributes: list[Column] = field(default_factory=list)

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.primary_key)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.primary_key)

    @property
    def use_cases(self) -> tuple[str, ...]:
        return _union(c.use_cases for c in [*self.columns, *self.row_attributes])

    @property
    def stakeholders(self) -> tuple[str, ...]:
        return _union(c.stakeholders for c in [*self.columns, *self.row_attributes])

    def column(self, name: str) -> Column:
        """The column ``name``, or the attribute stored as rows under that name."""
        return next(c for c in [*self.columns, *self.row_attributes] if c.name == name)

    @property
    def attribute_columns(self) -> list[Column]:
        """Every attribute of the table: its columns and the attributes stored as its rows."""
        return [c for c in [*self.columns, *self.row_attributes] if c.attribute is not None]


@dataclass(frozen=True, slots=True)
class RelationshipDraft:
    parent: str  # entity
    child: str  # entity
    cardinality: str  # 1-1 | 1-n | n-m | extension
    required: bool
    name: str
    note: str
    origin: str  # "default" | "workshop" | "split" | "integration" | "method"
    parent_table: str
    child_table: str  # the child entity's table
    column: str  # the foreign key column (in child_table; for n-m in link_table, the one to the parent)
    link_table: str = ""  # for n-m: the table linking the two


@dataclass(slots=True)
class OpenDecision:
    id: str  # D1, D2...
    code: str  # rule code (NM107), "note" or "model" (a choice the draft made and the workshop should confirm)
    rule: str  # rule slug, the note kind, or the model's reason ("row-size", "metrics")
    question: str
    finding: str  # the analysis' message, or the note's text
    action: str
    subjects: tuple[tuple[str, str], ...]
    use_cases: tuple[str, ...]
    targets: list[str] = field(default_factory=list)  # "table" or "table.column"


@dataclass(slots=True)
class DraftModel:
    workshop: str
    scope: str
    tables: list[Table]
    relationships: list[RelationshipDraft]
    open_decisions: list[OpenDecision]
    unmodelled: tuple[str, ...] = ()  # entities left out (scope), for the reader
    systems: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id -> (name, kind)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    @property
    def entity_tables(self) -> list[Table]:
        return [t for t in self.tables if t.kind != "integration"]

    def decision(self, did: str) -> OpenDecision:
        return next(d for d in self.open_decisions if d.id == did)

    def attribute_columns(self) -> list[tuple[Table, Column]]:
        """Every attribute in the draft with its table: columns and attributes stored as rows."""
        return [(t, c) for t in self.tables for c in t.attribute_columns]


# ----------------------------------------------------------------------------- names

_NOT_NAME = re.compile(r"[^a-z0-9]+")


def physical_name(text: str, limit: int = MAX_NAME) -> str:
    """``text`` as a safe physical name: ASCII letters, digits and ``_``, lower case, at most ``limit`` chars.

    Accents are dropped (``Straße`` -> ``strasse``), everything else becomes ``_``; a name that
    is empty or starts with a digit gets a prefix; a name cut to ``limit`` ends in a hash of
    the whole text, so two long names that share a beginning stay apart.
    """
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode("ascii")
    name = _NOT_NAME.sub("_", folded.lower()).strip("_")
    if not name:
        name = "x_" + _digest(text)
    elif name[0].isdigit():
        name = "n_" + name
    if len(name) > limit:
        name = name[: limit - 9].rstrip("_") + "_" + _digest(text)
    return name


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


class Names:
    """Unique physical names within one scope (the schema, or one table), never a reserved word.

    A reserved word gets the scope's ``prefix`` (tables: ``order`` -> ``customer_order``) or, in a
    table, the suffix ``_value`` (``group`` -> ``group_value``).
    """

    def __init__(self, prefix: str = "") -> None:
        self.taken: set[str] = set()
        self.prefix = prefix

    def take(self, wanted: str) -> str:
        base = physical_name(wanted)
        if is_reserved(base):
            base = physical_name(f"{self.prefix}{base}" if self.prefix else f"{base}_value")
        name, n = base, 1
        while name in self.taken:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        self.taken.add(name)
        return name


def _key_of(
    table: Table,
    names: Names,
    comment: str,
    *,
    nullable: bool = False,
    primary_key: bool = False,
    unique: bool = False,
) -> Column:
    """A column holding the key of ``table`` (a foreign key), named after that key within ``names``."""
    return Column(
        names.take(table.key.name),
        "key",
        nullable,
        comment,
        primary_key=primary_key,
        references=table.name,
        ref_column=table.key.name,
        unique=unique,
    )


def _union(groups) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for g in groups:
        out.update(dict.fromkeys(g))
    return tuple(out)


def _label(a: m.Attribute) -> str:
    return f"'{a.name}' ({a.id})" if a.name and a.name != a.id else f"'{a.id}'"


# ----------------------------------------------------------------------------- the draft


def draft_model(ws: m.Workshop, analysis: Analysis, scope: str = "needed") -> DraftModel:
    """The model draft of ``ws`` (see the module doc and docs/model.md)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPES)}")
    return _Drafter(ws, analysis, scope).run()


class _Drafter:
    def __init__(self, ws: m.Workshop, analysis: Analysis, scope: str) -> None:
        self.ws = ws
        self.analysis = analysis
        self.scope = scope
        self.active = [u for u in ws.use_cases if u.status != "rejected"]
        self.needs: dict[str, list[tuple[m.UseCase, m.Need]]] = defaultdict(list)
        for uc in self.active:
            for need in uc.needs:
                self.needs[need.attribute].append((uc, need))
        self.holdings: dict[str, list[tuple[str, m.Holding]]] = defaultdict(list)
        for sy in ws.systems:
            for h in sy.holds:
                self.holdings[h.attribute].append((sy.id, h))
        self.tables: list[Table] = []
        self.relationships: list[RelationshipDraft] = []
        self.schema_names = Names(prefix=f"{CUSTOMER}_")
        self.schema_names.taken.update(INTEGRATION_TABLES)
        self.schema_names.taken.update((CUSTOMER_METRIC, METRIC_DEFINITION))
        self.entity_table: dict[str, Table] = {}  # entity -> its (first) table
        self.attribute_at: dict[str, tuple[Table, Column]] = {}
        self.model_decisions: list[OpenDecision] = []
        self.source_system = Table(
            SOURCE_SYSTEM, SOURCE_SYSTEM, "integration", "The source systems of the workshop, one row each."
        )
        self.source_system.columns = [
            Column(
                f"{SOURCE_SYSTEM}_key", "key", False, f"Surrogate key of {SOURCE_SYSTEM}, generated.", primary_key=True
            ),
            Column("code", "id", False, "The system's id in the workshop.", unique=True),
            Column("name", "string", True, "The name people use for it."),
            Column("kind", "string", True, "crm, pos, ecommerce..."),
        ]

    def run(self) -> DraftModel:
        ws = self.ws
        in_scope = [a for a in ws.attributes if self.scope == "all" or a.id in self.needs]
        by_entity: dict[str, list[m.Attribute]] = defaultdict(list)
        for a in in_scope:
            by_entity[a.effective_entity].append(a)
        identifiers = by_entity.pop(ent.IDENTIFIER_ENTITY, [])
        # customer-level summaries recorded on events belong on the customer
        summaries = [a for e in ent.EVENT_ENTITIES for a in by_entity.get(e, []) if ent.is_customer_level(a)]
        moved = {a.id for a in summaries}
        for e in ent.EVENT_ENTITIES:
            if e in by_entity:
                by_entity[e] = [a for a in by_entity[e] if a.id not in moved]
        used_entities = {a.effective_entity for a in ws.attributes} - {ent.IDENTIFIER_ENTITY}
        intermediary = ent.is_intermediary(by_entity.get("organization", []))
        rels = self._relationships(used_entities | {CUSTOMER}, intermediary)
        entities = [e for e in by_entity if by_entity[e]]
        if CUSTOMER not in entities:
            entities.insert(0, CUSTOMER)  # the customer is what every identity and child hangs on
        # parents of modelled entities are kept (with their key only), so that children have a parent
        changed = True
        while changed:
            changed = False
            for parent, child, card, *_ in rels:
                for upper, lower in ((parent, child), (child, parent)) if card == "n-m" else ((parent, child),):
                    if lower in entities and upper not in entities:
                        entities.append(upper)
                        changed = True
        entities.sort(key=lambda e: (e != CUSTOMER,))
        for entity in entities:
            attrs = by_entity.get(entity, [])
            if entity == CUSTOMER:
                self._customer(attrs, summaries)
            elif entity == "contact_point":
                self._contact_points(attrs)
            elif entity == "consent":
                self._consents(attrs)
            elif entity == "preference":
                self._preferences(attrs)
            else:
                self._entity_tables(entity, attrs)
        rels = self._with_parent_for_orphans(rels, entities)
        for rel in rels:
            self._relate(*rel)
        self._integration(identifiers)
        for t in self.tables:
            _index_foreign_keys(t)
        decisions = self._decisions()
        unmodelled = tuple(sorted(used_entities - set(entities)))
        tables = parents_first(self.tables)
        systems = {sy.id: (sy.name or sy.id, sy.kind) for sy in ws.systems}
        return DraftModel(ws.workshop.name, self.scope, tables, self.relationships, decisions, unmodelled, systems)

    # -- relationships ---------------------------------------------------------------------
    def _relationships(self, used: set[str], intermediary: bool) -> list[tuple[str, str, str, bool, str, str, str]]:
        """(parent, child, cardinality, required, name, note, origin) of every relationship that applies."""
        section = self.ws.model
        stated: dict[frozenset[str], m.Relationship] = {}
        for rel in section.relationships if section else []:
            if rel.parent != rel.child:
                stated.setdefault(frozenset((rel.parent, rel.child)), rel)
        defaults = {(p, c): req for p, c, _, req in DEFAULT_RELATIONSHIPS}
        out = []
        if section is None or section.uses_default_relationships:
            for parent, child, card, required in DEFAULT_RELATIONSHIPS:
                if parent in used and child in used and frozenset((parent, child)) not in stated:
                    if intermediary and (parent, child) == ("organization", "customer"):
                        continue  # a broker is not the customer's organisation: see below
                    out.append((parent, child, card, required, "", "", "default"))
            if intermediary and "organization" in used and frozenset(("organization", CUSTOMER)) not in stated:
                holder = "product_holding" if "product_holding" in used else CUSTOMER
                out.append(
                    (
                        "organization",
                        holder,
                        "1-n",
                        False,
                        "placed by",
                        "The workshop describes the organisation as a broker or intermediary: it places and "
                        f"looks after the {holder.replace('_', ' ')}, it is not the customer's own organisation.",
                        "method",
                    )
                )
        for rel in stated.values():
            if rel.effective_cardinality != "none":
                required = rel.required if rel.required is not None else defaults.get((rel.parent, rel.child), False)
                out.append(
                    (
                        rel.parent,
                        rel.child,
                        rel.effective_cardinality,
                        bool(required),
                        rel.name or "",
                        rel.note or "",
                        "workshop",
                    )
                )
        return out

    def _with_parent_for_orphans(self, rels, entities: list[str]):
        """Every entity table that is nobody's child and no party gets a required foreign key to the customer."""
        children = {child for _, child, card, *_ in rels if card != "n-m"} | {
            e for p, c, card, *_ in rels if card == "n-m" for e in (p, c)
        }
        out = list(rels)
        for entity in entities:
            if entity in children or entity in ent.PARTY_ENTITIES or entity not in self.entity_table:
                continue
            if self.entity_table[entity].kind != "entity":
                continue
            out.append(
                (
                    CUSTOMER,
                    entity,
                    "1-n",
                    True,
                    "",
                    f"No relationship of {entity} is recorded: every {entity} belongs to a customer.",
                    "method",
                )
            )
        return out

    def _relate(self, parent: str, child: str, card: str, required: bool, name: str, note: str, origin: str) -> None:
        pt, ct = self.entity_table.get(parent), self.entity_table.get(child)
        if pt is None or ct is None:
            return
        if card == "n-m":
            link = Table(
                self.schema_names.take(f"{pt.name}_{ct.name}"),
                f"{parent}+{child}",
                "link",
                f"Links {parent} and {child} (n-m).",
            )
            names = Names()
            a = _key_of(pt, names, f"The {parent}.", primary_key=True)
            b = _key_of(ct, names, f"The {child}.", primary_key=True)
            link.columns = [a, b]
            self.tables.append(link)
            self.relationships.append(
                RelationshipDraft(
                    parent, child, card, required, name, note, origin, pt.name, ct.name, a.name, link.name
                )
            )
            return
        names = Names()
        names.taken.update(c.name for c in [*ct.columns, *ct.row_attributes])
        belongs = f"The {parent} this {child} belongs to" + (f" ({name})." if name else ".")
        if not required:
            belongs += " Optional."
        fk = _key_of(pt, names, belongs, nullable=not required, unique=card == "1-1")
        at = 1
        while at < len(ct.columns) and ct.columns[at].references and ct.columns[at].type == "key":
            at += 1
        ct.columns.insert(at, fk)
        self.relationships.append(
            RelationshipDraft(parent, child, card, required, name, note, origin, pt.name, ct.name, fk.name)
        )

    def _source_fk(self, table: Table, names: Names, comment: str) -> Column:
        """The (optional) reference from a row to the system that recorded it."""
        col = Column(
            names.take(f"{SOURCE_SYSTEM}_key"),
            "key",
            True,
            comment,
            references=SOURCE_SYSTEM,
            ref_column=f"{SOURCE_SYSTEM}_key",
        )
        self.relationships.append(
            RelationshipDraft(
                SOURCE_SYSTEM, table.entity, "1-n", False, "", "", "integration", SOURCE_SYSTEM, table.name, col.name
            )
        )
        return col

    # -- columns ---------------------------------------------------------------------------
    def _column(self, a: m.Attribute, names: Names, *, name: str | None = None) -> Column:
        needs = self.needs.get(a.id, [])
        use_cases = _union([(uc.id,) for uc, _ in needs])
        stakeholders = _union([(uc.owner,) for uc, _ in needs if uc.owner])
        sources = tuple(
            Source(
                sid,
                h.field,
                h.effective_role,
                h.quality,
                h.effective_freshness,
                h.coverage,
                tuple(h.derived_from),
            )
            for sid, h in self.holdings.get(a.id, [])
        )
        comment = (a.definition or "").strip() or "No definition agreed yet."
        typ = a.effective_type
        if ent.is_list(a):
            col_type = "json"
        elif ent.is_free_text(a):
            col_type = "text"
        else:
            col_type = typ
        low, high = ent.value_range(a)
        return Column(
            names.take(name or a.id),
            col_type,
            True,
            comment,
            a.id,
            a.name or a.id,
            tuple(a.values) if typ == "enum" else (),
            unique=ent.is_business_key(a) and col_type not in ("text", "json"),
            identifier=a.is_identifier,
            sensitivity=a.effective_sensitivity,
            use_cases=use_cases,
            stakeholders=stakeholders,
            sources=sources,
            survivorship=propose_survivorship(sources, a.effective_entity),
            minimum=low,
            maximum=high,
            attribute_type=typ if col_type != typ else None,
        )

    def _new_table(self, entity: str, kind: Kind, comment: str, fixed: str | None = None) -> tuple[Table, Names]:
        table = Table(fixed or self.schema_names.take(entity), entity, kind, comment)
        names = Names()
        table.columns.append(
            Column(
                names.take(f"{table.name}_key"),
                "key",
                False,
                f"Surrogate key of {entity}, generated.",
                primary_key=True,
            )
        )
        self.tables.append(table)
        if kind == "entity" and entity not in self.entity_table:
            self.entity_table[entity] = table
        return table, names

    @staticmethod
    def _names_of(table: Table) -> Names:
        """The names a table has taken, to add one more."""
        names = Names()
        names.taken.update(c.name for c in [*table.columns, *table.row_attributes])
        return names

    def _place(self, table: Table, col: Column) -> None:
        if col.attribute is not None:
            self.attribute_at[col.attribute] = (table, col)

    # -- the customer ----------------------------------------------------------------------------
    def _customer(self, attrs: list[m.Attribute], summaries: list[m.Attribute]) -> None:
        numeric = [a for a in summaries if a.effective_type in METRIC_VALUE_TYPES]
        as_rows = numeric if len(numeric) > MAX_METRIC_COLUMNS else []
        in_rows = {a.id for a in as_rows}
        on_customer = [a for a in summaries if a.id not in in_rows]
        columns = [*attrs, *on_customer]
        self._entity_tables(CUSTOMER, columns, moved={a.id for a in on_customer})
        if on_customer:  # summaries are computed: when, so that a stale value can be told from a fresh one
            customer = self.entity_table[CUSTOMER]
            customer.columns.append(
                Column(
                    self._names_of(customer).take("summaries_as_of"),
                    "datetime",
                    True,
                    "When the customer-level summaries on this row were last computed.",
                )
            )
        if as_rows:
            self._metrics(as_rows)

    def _metrics(self, attrs: list[m.Attribute]) -> None:
        catalog = Table(
            METRIC_DEFINITION,
            METRIC_DEFINITION,
            "reference",
            "The customer-level metrics the use cases need, one row each (filled from the workshop): "
            "what each measures, its type, window and range.",
        )
        catalog.columns = [
            Column(f"{METRIC_DEFINITION}_key", "key", False, "Surrogate key, generated.", primary_key=True),
            Column("code", "id", False, "The metric's code: the workshop's attribute id.", unique=True),
            Column("name", "string", True, "The business name."),
            Column("value_type", "enum", False, "The type of its value.", values=METRIC_VALUE_TYPES),
            Column("metric_window", "string", True, "The period it covers (12m, 90d, ytd), if any."),
            Column("recorded_on", "string", True, "The entity the workshop recorded it on (order, interaction...)."),
            Column("minimum", "decimal", True, "The lowest valid value, if the definition states one."),
            Column("maximum", "decimal", True, "The highest valid value, if the definition states one."),
            Column("definition", "text", True, "What it measures, as the workshop defined it."),
        ]
        table, names = self._new_table(
            CUSTOMER_METRIC,
            "entity",
            "Customer-level metrics as rows: one row per customer, metric and as-of time. Narrow, so that "
            "hundreds of metrics never widen a table past a row limit.",
            fixed=CUSTOMER_METRIC,
        )
        table.columns += [
            Column(
                names.take("metric"),
                "id",
                False,
                "The metric (its code in metric_definition).",
                references=METRIC_DEFINITION,
                ref_column="code",
            ),
            Column(names.take("value_number"), "decimal", True, "The value of a numeric metric."),
            Column(names.take("value_at"), "datetime", True, "The value of a date metric (a last purchase...)."),
            Column(names.take("as_of"), "datetime", False, "When the value was computed."),
        ]
        table.checks.append(Check(f"ck_{table.name}_one_value", "one_of", ("value_number", "value_at")))
        table.unique_together.append((f"{CUSTOMER}_key", "metric", "as_of"))
        self.tables.append(catalog)
        self.relationships.append(
            RelationshipDraft(
                METRIC_DEFINITION,
                CUSTOMER_METRIC,
                "1-n",
                True,
                "",
                "",
                "reference",
                METRIC_DEFINITION,
                table.name,
                "metric",
            )
        )
        row_names = Names()
        entities = sorted({a.effective_entity for a in attrs})
        for a in attrs:
            col = self._column(a, row_names)
            col.discriminator = "metric"
            col.moved_from = a.effective_entity
            col.window = ent.metric_window(a)
            table.row_attributes.append(col)
            self._place(table, col)
        self._relate(CUSTOMER, CUSTOMER_METRIC, "1-n", True, "", "", "method")
        self.model_decisions.append(
            OpenDecision(
                "",
                "model",
                "metrics",
                f"Are {len(attrs)} customer-level metrics best kept as rows of {table.name} (customer, metric, "
                "value, as-of), or should the most used move onto the customer?",
                f"The workshop recorded {len(attrs)} customer-level summaries on {', '.join(entities)}: more than "
                f"{MAX_METRIC_COLUMNS} as columns would make the customer row too wide for some dialects, and "
                "they describe the customer, not one order or interaction.",
                "Confirm the narrow table, or name the metrics that should be columns of the customer.",
                tuple(("attribute", a.id) for a in attrs[:20]),
                _union(c.use_cases for c in table.row_attributes),
                [table.name],
            )
        )

    # -- plain entity tables, split by row width -------------------------------------------------------
    def _entity_tables(
        self, entity: str, attrs: list[m.Attribute], moved: set[str] | frozenset[str] = frozenset()
    ) -> None:
        special = [a for a in attrs if a.is_special_category]
        ordinary = [a for a in attrs if not a.is_special_category]
        comment = f"One row per {entity}."
        if entity in ent.EVENT_ENTITIES:
            comment += " Customer-level summaries are on the customer, never here."
        if not attrs:
            comment += " Kept as the parent of related entities; no attribute of it is in scope."
        first, names = self._new_table(entity, "entity", comment)
        if entity == "address":
            first.columns.append(
                Column(names.take("address_type"), "enum", False, "What the address is for.", values=ADDRESS_TYPES)
            )
        if entity == "organization" and ent.is_intermediary(attrs):
            first.comment += " An intermediary (broker, agent) that places policies or contracts, not the customer's own organisation."
        self._fill(first, names, ordinary, moved)
        if entity == "address":
            self._validity(first, names)
        if special:
            self._special(first, special)

    def _fill(self, first: Table, names: Names, attrs: list[m.Attribute], moved: set[str] | frozenset[str]) -> None:
        """Add ``attrs`` as columns of ``first``, continuing in extension tables when a row would be too wide."""
        table = first
        widths = {limit: 0 for limit in LIMITS}
        count = len(table.columns) + 4  # room for foreign keys added later
        for c in table.columns:
            for limit, w in column_widths(c.type, c.values).items():
                widths[limit] += w
        widths = {limit: w + 4 * column_widths("key")[limit] for limit, w in widths.items()}
        parts = 1
        for a in attrs:
            col = self._column(a, names)
            if a.id in moved:
                col.moved_from = a.effective_entity
                col.comment = f"{col.comment} (Customer-level summary, recorded on {a.effective_entity}.)"
            add = column_widths(col.type, col.values)
            over = [lim for lim in LIMITS if widths[lim] + add[lim] > LIMITS[lim] * FILL]
            if over or count + 1 > MAX_COLUMNS_PER_TABLE:
                parts += 1
                table, names = self._extension(first, parts, over)
                count = len(table.columns)
                widths = {lim: 0 for lim in LIMITS}
                for c in table.columns:
                    for lim, w in column_widths(c.type, c.values).items():
                        widths[lim] += w
            table.columns.append(col)
            count += 1
            for lim in LIMITS:
                widths[lim] += add[lim]
            self._place(table, col)

    def _extension(self, first: Table, part: int, over: list[tuple[str, str]]) -> tuple[Table, Names]:
        entity = first.entity
        reason = (
            "one row of it would pass "
            + ", ".join(f"{d} ({what}, {LIMITS[(d, what)]:,} bytes)" for d, what in over)
            + f" at {int(FILL * 100)}% fill"
            if over
            else f"it has more than {MAX_COLUMNS_PER_TABLE} columns"
        )
        table = Table(
            self.schema_names.take(f"{first.name}_part{part}"),
            entity,
            "extension",
            f"More attributes of {entity} (part {part}): one row per {entity}, same key; split off because {reason}.",
        )
        names = Names()
        table.columns.append(_key_of(first, names, f"The {entity} these attributes belong to.", primary_key=True))
        self.tables.append(table)
        self.relationships.append(
            RelationshipDraft(
                entity, entity, "extension", True, "", "", "split", first.name, table.name, table.key.name
            )
        )
        self.model_decisions.append(
            OpenDecision(
                "",
                "model",
                "row-size",
                f"Which attributes of {entity} belong together in {table.name}? The draft split {first.name} "
                "where the row grew too wide, in the workshop's order.",
                f"{first.name} continues in {table.name} because {reason}.",
                "Group the attributes by subject (or move summaries to a metrics table) and confirm the split.",
                (),
                (),
                [table.name],
            )
        )
        return table, names

    def _special(self, parent: Table, attrs: list[m.Attribute]) -> None:
        """Special-category (GDPR Art. 9) attributes in their own 1-1 table, so access can be granted apart."""
        table = Table(
            self.schema_names.take(parent.name + SPECIAL_SUFFIX),
            parent.entity + SPECIAL_SUFFIX,
            "extension",
            f"Special-category data (GDPR Art. 9: health, beliefs, biometrics...) of {parent.entity}, one row per "
            f"{parent.entity}, kept apart from {parent.name} so that access, retention and logging can be "
            "stricter than for the rest.",
        )
        names = Names()
        table.columns.append(_key_of(parent, names, f"The {parent.entity} this data is about.", primary_key=True))
        self.tables.append(table)
        self.relationships.append(
            RelationshipDraft(
                parent.entity,
                table.entity,
                "1-1",
                True,
                "special category",
                "GDPR Art. 9 data in its own table.",
                "method",
                parent.name,
                table.name,
                table.key.name,
            )
        )
        self._fill(table, names, attrs, frozenset())

    def _validity(self, table: Table, names: Names) -> None:
        table.columns += [
            Column(names.take("valid_from"), "datetime", True, "From when it applies."),
            Column(names.take("valid_to"), "datetime", True, "Until when it applies (NULL: still does)."),
        ]
        table.checks.append(Check(f"ck_{table.name}_validity", "not_after", ("valid_from", "valid_to")))

    # -- typed rows: contact points, consent, preferences -------------------------------------------------
    def _contact_points(self, attrs: list[m.Attribute]) -> None:
        kinds = [a for a in attrs if ent.is_contact_value(a)]
        others = [a for a in attrs if a not in kinds]
        verification = [a for a in others if ent.is_verification(a)]
        others = [a for a in others if a not in verification]
        table, names, _, type_col = self._typed_rows(
            "contact_point",
            "One row per contact point of a customer (an e-mail address, a phone number, a push token): typed, "
            "with its own verification, primary flag and validity.",
            kinds,
            "contact_type",
            "What kind of contact point the row holds (the workshop's attribute).",
            ("email", "phone"),
        )
        value = Column(names.take("value"), "id", False, "The address, number or token itself.")
        verified = Column(names.take("verified"), "boolean", True, "True when the customer confirmed it.")
        if verification:
            self._trace_into(table, verified, verification[0])
            others += verification[1:]
        table.columns += [
            type_col,
            value,
            verified,
            Column(names.take("is_primary"), "boolean", True, "True for the customer's preferred one of its type."),
        ]
        for a in others:
            col = self._column(a, names)
            table.columns.append(col)
            self._place(table, col)
        self._validity(table, names)
        table.columns.append(self._source_fk(table, names, "The system the contact point was recorded in."))
        table.unique_together.append((f"{CUSTOMER}_key", type_col.name, value.name))

    def _typed_rows(
        self,
        name: str,
        comment: str,
        attrs: list[m.Attribute],
        discriminator: str,
        type_comment: str,
        fallback: tuple[str, ...],
    ) -> tuple[Table, Names, list[Column], Column]:
        """A table of typed rows: each of ``attrs`` is a row type, named by the enum column ``discriminator``
        (``fallback`` its values when there are none). Returns the table, its names, the row types and that column."""
        table, names = self._new_table(name, "entity", comment)
        rows = self._rows(table, attrs, discriminator)
        values = tuple(c.name for c in rows) or fallback
        return table, names, rows, Column(names.take(discriminator), "enum", False, type_comment, values=values)

    def _rows(self, table: Table, attrs: list[m.Attribute], discriminator: str) -> list[Column]:
        """``attrs`` stored as rows of ``table``: each names the value of ``discriminator`` its rows carry."""
        names = Names()
        out = []
        for a in attrs:
            col = self._column(a, names)
            col.discriminator = discriminator
            table.row_attributes.append(col)
            self._place(table, col)
            out.append(col)
        return out

    def _consents(self, attrs: list[m.Attribute]) -> None:
        kinds = [a for a in attrs if a.effective_type == "boolean"]
        times = [a for a in attrs if a.effective_type in ("datetime", "date")]
        sources = [a for a in attrs if a not in kinds and a not in times and "source" in a.id.lower()]
        evidence = [a for a in attrs if a not in kinds and a not in times and "evidence" in a.id.lower()]
        others = [a for a in attrs if a not in kinds and a not in times and a not in sources and a not in evidence]
        purposes = _union([self.ws.purpose_ids, *(a.purposes for a in kinds)])
        channels = _union([self.ws.channel_ids, *(a.channels for a in kinds)])
        table, names, rows, type_col = self._typed_rows(
            "consent",
            "One row per consent event: a customer granted or withdrew one consent, for one purpose and channel, "
            "at a time, through a source, with its evidence. The latest event per consent type is the current "
            "state; the history proves it (GDPR Art. 7(1)).",
            kinds,
            "consent_type",
            "Which consent (the workshop's attribute).",
            ("marketing",),
        )
        decided = Column(names.take("decided_at"), "datetime", False, "When the customer granted or withdrew it.")
        source = Column(names.take("source"), "string", True, "The channel or system through which it was given.")
        table.columns += [
            type_col,
            Column(names.take("purpose"), "enum", False, "The purpose it covers.", values=purposes),
            Column(
                names.take("channel"), "enum", True, "The channel it covers (NULL: every channel).", values=channels
            ),
            Column(names.take("status"), "enum", False, "granted or withdrawn.", values=CONSENT_STATUSES),
            decided,
            source,
            Column(names.take("evidence"), "text", True, "What proves it: the form, recording or text shown."),
        ]
        for slot, found in ((decided, times), (source, sources), (table.column("evidence"), evidence)):
            if found:
                self._trace_into(table, slot, found[0])
                others += found[1:]
        for a in others:
            col = self._column(a, names)
            table.columns.append(col)
            self._place(table, col)
        table.columns.append(self._source_fk(table, names, "The system the event was recorded in."))
        for a, col in zip(kinds, rows, strict=True):
            if a.purposes:
                table.checks.append(
                    Check(
                        f"ck_{table.name}_{col.name}_purpose",
                        "values_when",
                        (type_col.name, "purpose"),
                        tuple(a.purposes),
                        col.name,
                    )
                )
            if a.channels:
                table.checks.append(
                    Check(
                        f"ck_{table.name}_{col.name}_channel",
                        "values_when",
                        (type_col.name, "channel"),
                        tuple(a.channels),
                        col.name,
                    )
                )

    def _trace_into(self, table: Table, slot: Column, a: m.Attribute) -> None:
        """Let the model's column ``slot`` carry attribute ``a`` (its values, trace and survivorship)."""
        col = self._column(a, Names())
        slot.attribute, slot.label = col.attribute, col.label
        slot.comment = f"{slot.comment} Holds {col.label}: {col.comment}"
        for f in ("use_cases", "stakeholders", "sources", "survivorship", "sensitivity", "identifier"):
            setattr(slot, f, getattr(col, f))
        if col.values:
            slot.type, slot.values = "enum", col.values
        self._place(table, slot)

    def _preferences(self, attrs: list[m.Attribute]) -> None:
        table, names, rows, type_col = self._typed_rows(
            "preference",
            "One row per preference a customer stated (language, home store, style...): typed, so that a new "
            "preference is a new row type, not a new column; the latest row per type is the current one.",
            attrs,
            "preference_type",
            "Which preference (the workshop's attribute).",
            ("language",),
        )
        table.columns += [
            type_col,
            Column(names.take("value"), "text", False, "The preference's value (a list as JSON)."),
            Column(names.take("stated_at"), "datetime", True, "When the customer stated it."),
        ]
        table.columns.append(self._source_fk(table, names, "The system the preference was recorded in."))
        for a, col in zip(attrs, rows, strict=True):
            allowed = col.values or (("true", "false") if a.effective_type == "boolean" else ())
            if allowed:
                table.checks.append(
                    Check(
                        f"ck_{table.name}_{col.name}_value", "values_when", (type_col.name, "value"), allowed, col.name
                    )
                )

    # -- integration view --------------------------------------------------------------------
    def _integration(self, identifiers: list[m.Attribute]) -> None:
        def key(t: str) -> Column:
            return Column(f"{t}_key", "key", False, f"Surrogate key of {t}, generated.", primary_key=True)

        def ref(t: str, nullable: bool, comment: str) -> Column:
            return Column(f"{t}_key", "key", nullable, comment, references=t, ref_column=f"{t}_key")

        def model_column() -> list[Column]:
            """The columns naming the model column (and its attribute) a row is about."""
            return [
                Column("table_name", "string", False, "The model table."),
                Column(
                    "column_name", "string", False, "The model column (for an attribute stored as rows: its row type)."
                ),
                Column("attribute", "id", False, "The workshop attribute."),
            ]

        systems = self.source_system
        xref = Table(
            IDENTITY_XREF,
            IDENTITY_XREF,
            "integration",
            "Identity cross-reference, the one place identity lives: each identifier a system uses for a customer "
            "(or an organisation or household), its type, and how sure the match is.",
        )
        parties: dict[str, list[m.Attribute]] = defaultdict(list)
        for a in identifiers:
            kind = a.effective_identifies or m.DEFAULT_IDENTIFIES
            party = {"organization": "organization", "household": "household"}.get(kind, CUSTOMER)
            parties[party if party in self.entity_table else CUSTOMER].append(a)
        party_cols = [
            Column(
                f"{p}_key",
                "key",
                len(parties) > 1,
                f"The {p} the identifier belongs to.",
                references=self.entity_table[p].name,
                ref_column=self.entity_table[p].key.name,
            )
            for p in (parties or {CUSTOMER: []})
        ]
        id_rows = self._rows(xref, identifiers, "id_type")
        id_types = tuple(c.name for c in id_rows)
        xref.columns = [
            key(IDENTITY_XREF),
            *party_cols,
            Column(
                "id_type",
                "enum" if id_types else "id",
                False,
                "Which identifier (the workshop's attribute).",
                values=id_types,
            ),
            Column(
                "identifies",
                "enum",
                False,
                "What the identifier identifies: a person, a device, an account...",
                values=m.IDENTIFIES_KINDS,
            ),
            ref(SOURCE_SYSTEM, True, "The system that issues the identifier (its master), if one does."),
            Column("local_id", "id", False, "The identifier's value in that system."),
            Column(
                "match_confidence",
                "decimal",
                True,
                "How sure the match to the party is, 0..1 (1: certain).",
                minimum=0,
                maximum=1,
            ),
            Column("matched_by", "string", True, "The rule or identifier that matched it."),
            Column("matched_at", "datetime", True, "When it was matched."),
            Column("valid_from", "datetime", True, "From when the identifier is the party's."),
            Column("valid_to", "datetime", True, "Until when (NULL: still is)."),
        ]
        xref.unique_together = [("id_type", "local_id")]
        for a, col in zip(identifiers, id_rows, strict=True):  # each identifier identifies what the workshop says
            xref.checks.append(
                Check(
                    f"ck_{IDENTITY_XREF}_{col.name}_identifies",
                    "values_when",
                    ("id_type", "identifies"),
                    (a.effective_identifies or m.DEFAULT_IDENTIFIES,),
                    col.name,
                )
            )
        xref.checks.append(Check(f"ck_{IDENTITY_XREF}_validity", "not_after", ("valid_from", "valid_to")))
        if len(party_cols) > 1:
            xref.checks.append(Check(f"ck_{IDENTITY_XREF}_one_party", "one_of", tuple(c.name for c in party_cols)))
        mapping = Table(
            SOURCE_MAPPING,
            SOURCE_MAPPING,
            "integration",
            "Source mapping: each column <- system.field, with the holding's role, quality and "
            "freshness, as the workshop recorded them.",
        )
        mapping.columns = [
            key(SOURCE_MAPPING),
            *model_column(),
            ref(SOURCE_SYSTEM, False, "The system that holds it."),
            Column("source_field", "string", True, "The field in that system, as recorded."),
            Column("role", "enum", False, "master, copy or derived.", values=m.ROLES),
            Column("quality", "integer", True, "Quality 1..5, as rated in the workshop.", minimum=1, maximum=5),
            Column("freshness", "enum", False, "How fresh the system's value is.", values=m.FRESHNESS),
            Column("coverage", "decimal", True, "Share of customers it is filled for, 0..1.", minimum=0, maximum=1),
        ]
        mapping.unique_together = [("table_name", "column_name", f"{SOURCE_SYSTEM}_key")]
        surv = Table(
            SURVIVORSHIP,
            SURVIVORSHIP,
            "integration",
            "Proposed survivorship rule per column: which source's value wins. Proposals until the workshop decides.",
        )
        surv.columns = [
            key(SURVIVORSHIP),
            *model_column(),
            Column("rule", "enum", False, "How the winning value is chosen.", values=SURVIVORSHIP_RULES),
            ref(SOURCE_SYSTEM, True, "The system whose value wins under the rule, if one does."),
            Column("rationale", "text", True, "Why this rule is proposed."),
            Column("status", "enum", False, "proposal until the workshop decides.", values=("proposal", "agreed")),
        ]
        surv.unique_together = [("table_name", "column_name")]
        self.tables.extend([systems, xref, mapping, surv])
        for c in party_cols:
            party = next(p for p, t in self.entity_table.items() if t.name == c.references)
            self.relationships.append(
                RelationshipDraft(
                    party,
                    IDENTITY_XREF,
                    "1-n",
                    not c.nullable,
                    "identified by",
                    "",
                    "integration",
                    c.references or "",
                    IDENTITY_XREF,
                    c.name,
                )
            )
        for t in (xref, mapping, surv):
            for c in t.columns:
                if c.references == SOURCE_SYSTEM:
                    self.relationships.append(
                        RelationshipDraft(
                            SOURCE_SYSTEM,
                            t.name,
                            "1-n",
                            not c.nullable,
                            "",
                            "",
                            "integration",
                            SOURCE_SYSTEM,
                            t.name,
                            c.name,
                        )
                    )

    # -- open decisions ----------------------------------------------------------------------
    def _decisions(self) -> list[OpenDecision]:
        attrs = {a.id: a for a in self.ws.attributes}
        out: list[OpenDecision] = []
        for gap in self.analysis.gaps:
            if gap.rule not in DECISION_RULES:
                continue
            targets = self._targets(gap.subjects, gap.rule in _IDENTITY_RULES)
            if not targets:
                continue
            out.append(
                OpenDecision(
                    "",
                    RULES[gap.rule].code,
                    gap.rule,
                    decision_question(gap, attrs),
                    gap.message,
                    gap.action,
                    gap.subjects,
                    gap.use_cases,
                    targets,
                )
            )
        for note in self.ws.notes:
            if note.effective_status != "open" or note.effective_kind not in NOTE_KINDS_OPEN:
                continue
            subjects = tuple(("attribute", i) if i in attrs else ("system", i) for i in note.about)
            targets = self._targets(subjects, identity=False)
            if targets:
                out.append(
                    OpenDecision(
                        "",
                        "note",
                        note.effective_kind,
                        note.text.strip(),
                        f"Open {note.effective_kind} {note.id} of the workshop.",
                        "Answer it in the workshop and close the note.",
                        subjects,
                        (),
                        targets,
                    )
                )
        out += self.model_decisions
        for n, d in enumerate(out, start=1):
            d.id = f"D{n}"
            for target in d.targets:
                tname, _, cname = target.partition(".")
                table = self._table_named(tname)
                holder = table.column(cname) if cname else table
                holder.open_decisions.append(d.id)
        return out

    def _targets(self, subjects, identity: bool) -> list[str]:
        if identity:
            return [IDENTITY_XREF]
        out = []
        for kind, ident in subjects:
            if kind == "attribute" and ident in self.attribute_at:
                table, col = self.attribute_at[ident]
                out.append(f"{table.name}.{col.name}")
        return out

    def _table_named(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def decision_question(gap: Gap, attrs: dict[str, m.Attribute]) -> str:
    """The question a finding asks, followed by the finding itself: the reason is what the workshop recorded."""
    subject = next((i for k, i in gap.subjects if k == "attribute"), None)
    if subject in attrs:
        label = _label(attrs[subject])
    else:
        label = ", ".join(i for _, i in gap.subjects)
    message = gap.message
    if subject in attrs and message.startswith(label):  # the question names it already
        message = "It" + message[len(label) :]
    message = message[:1].upper() + message[1:]
    return f"{DECISION_RULES[gap.rule].format(name=label)} {message}."


def _index_foreign_keys(t: Table) -> None:
    """An index on every foreign key column that does not already lead the primary key or a unique set."""
    leading = {t.primary_key[0]} if t.primary_key else set()
    leading |= {cols[0] for cols in t.unique_together if cols}
    leading |= {c.name for c in t.columns if c.unique}
    for c in t.columns:
        if c.references and c.name not in leading and (c.name,) not in t.indexes:
            t.indexes.append((c.name,))


def parents_first(tables: list[Table]) -> list[Table]:
    """``tables`` reordered so that a table comes after the tables it references (stable; cycles keep order)."""
    left = list(tables)
    placed: set[str] = set()
    out: list[Table] = []
    while left:
        pick = next(
            (
                t
                for t in left
                if all(c.references in placed or c.references == t.name for c in t.columns if c.references)
            ),
            left[0],
        )
        left.remove(pick)
        placed.add(pick.name)
        out.append(pick)
    return out
