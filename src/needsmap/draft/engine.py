"""The model draft: tables and columns that use cases need, traced back to who asked, with open decisions.

:func:`draft_model` is a pure function of a workshop and its analysis.  It
drafts the data model the other way round from "flatten everything into one
model": only the attributes use cases need (``scope="needed"``, or every
attribute with ``scope="all"``), one table per entity, each column traced to
the use cases and stakeholders that asked for it, and every question the
workshop left open (no master, several masters, conflicting definitions, no
owner, contested ownership, no source, identity islands, open notes) written
into the draft as an :class:`OpenDecision` instead of being silently decided.

The draft is dialect-independent: columns carry the attribute's type class
(``string``, ``money``...); :mod:`needsmap.draft.render` types them per SQL
dialect and writes SQL, DBML, Mermaid, JSON Schema, DOT and YAML.

Physical names are derived from ids: ASCII ``[a-z0-9_]``, at most
:data:`MAX_NAME` characters (longer ones end in a stable hash), unique in
their scope.  Renderers still quote every identifier.  See docs/model.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from needsmap.analysis.engine import Analysis
from needsmap.analysis.rules import RULES
from needsmap.format import model as m
from needsmap.format.model import FRESHNESS_RANK

SCOPES: tuple[str, ...] = ("needed", "all")
#: Longest physical name: PostgreSQL's limit (63 bytes), below MySQL's 64 and SQL Server's 128.
MAX_NAME = 63
#: Most columns one table gets; more attributes of an entity go to 1-1 extension tables.
#: Below InnoDB's 1017, SQL Server's 1024, PostgreSQL's 1600 and SQLite's 2000.
MAX_COLUMNS_PER_TABLE = 1000

#: The default relationships: (parent, child, cardinality).  They apply only between entities the workshop uses.
DEFAULT_RELATIONSHIPS: tuple[tuple[str, str, str], ...] = (
    ("customer", "contact_point", "1-n"),
    ("customer", "address", "1-n"),
    ("customer", "consent", "1-n"),
    ("customer", "preference", "1-n"),
    ("customer", "interaction", "1-n"),
    ("customer", "order", "1-n"),
    ("customer", "identifier", "1-n"),
    ("customer", "product_holding", "1-n"),
    ("organization", "customer", "1-n"),
    ("household", "customer", "n-m"),
    ("order", "order_line", "1-n"),
)
#: Names of the integration view's tables (entity tables never take them).
SOURCE_SYSTEM, IDENTITY_XREF, SOURCE_MAPPING, SURVIVORSHIP = (
    "source_system",
    "identity_xref",
    "source_mapping",
    "survivorship_rule",
)
INTEGRATION_TABLES: tuple[str, ...] = (SOURCE_SYSTEM, IDENTITY_XREF, SOURCE_MAPPING, SURVIVORSHIP)

#: The analysis rules whose findings become open decisions, and the question each asks.
DECISION_RULES: dict[str, str] = {
    "missing-source": "Where is {name} captured and mastered? No system holds it today.",
    "no-master": "Which system masters {name}? It is held in several systems and none is the master.",
    "many-masters": "Which one system masters {name}? Several systems claim to.",
    "definition-conflict": "What exactly does {name} hold? Systems define or type it their own way.",
    "no-owner": "Who owns {name}? Nobody decides its definition, quality and priorities.",
    "contested": "Who owns {name}, and who may change it? Several functions write it.",
    "identity-island": "How are the customers of {name} matched to the same customers elsewhere?",
    "no-identifier": "Which identifier will {name} hold, so that its customer data can be tied to a customer?",
}
_IDENTITY_RULES = frozenset({"identity-island", "no-identifier"})
#: Open notes of these kinds about an attribute or system become open decisions too.
NOTE_KINDS_OPEN = ("question", "risk")

Kind = str  # "entity" | "extension" | "link" | "integration"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an attribute comes from today: one holding of one system."""

    system: str
    field: str | None
    role: str
    quality: int | None
    freshness: str
    coverage: float | None


@dataclass(frozen=True, slots=True)
class Survivorship:
    """A *proposed* rule for which source's value wins; the workshop decides."""

    rule: str  # "master wins" | "only source" | "freshest" | "best quality" | "tie" | "no source"
    system: str | None
    why: str
    status: str = "proposal"


@dataclass(slots=True)
class Column:
    name: str  # physical name
    type: str  # an attribute type ("string", "money"...) or "key" (a surrogate key or a reference to one)
    nullable: bool = True
    comment: str = ""
    attribute: str | None = None  # the attribute id; None for keys and integration columns
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


@dataclass(slots=True)
class Table:
    name: str  # physical name
    entity: str  # the entity (for link tables "a+b", for integration tables the table's own name)
    kind: Kind
    comment: str = ""
    columns: list[Column] = field(default_factory=list)
    unique_together: list[tuple[str, ...]] = field(default_factory=list)
    open_decisions: list[str] = field(default_factory=list)

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.primary_key)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.primary_key)

    @property
    def use_cases(self) -> tuple[str, ...]:
        return _union(c.use_cases for c in self.columns)

    @property
    def stakeholders(self) -> tuple[str, ...]:
        return _union(c.stakeholders for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True, slots=True)
class RelationshipDraft:
    parent: str  # entity
    child: str  # entity
    cardinality: str  # 1-1 | 1-n | n-m | extension
    required: bool
    name: str
    note: str
    origin: str  # "default" | "workshop" | "split"
    parent_table: str
    child_table: str  # the child entity's table
    column: str  # the foreign key column (in child_table; for n-m in link_table, the one to the parent)
    link_table: str = ""  # for n-m: the table linking the two


@dataclass(slots=True)
class OpenDecision:
    id: str  # D1, D2...
    code: str  # rule code (NM107) or "note"
    rule: str  # rule slug or the note kind
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


class _Names:
    """Unique physical names within one scope (the schema, or one table)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, wanted: str) -> str:
        base = physical_name(wanted)
        name, n = base, 1
        while name in self.taken:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_NAME - len(suffix)] + suffix
        self.taken.add(name)
        return name


def _key_of(
    table: Table,
    names: _Names,
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
        self.schema_names = _Names()
        self.schema_names.taken.update(INTEGRATION_TABLES)
        self.entity_table: dict[str, Table] = {}  # entity -> its (first) table
        self.attribute_at: dict[str, tuple[Table, Column]] = {}

    def run(self) -> DraftModel:
        ws = self.ws
        in_scope = [a for a in ws.attributes if self.scope == "all" or a.id in self.needs]
        by_entity: dict[str, list[m.Attribute]] = defaultdict(list)
        for a in in_scope:
            by_entity[a.effective_entity].append(a)
        used_entities = {a.effective_entity for a in ws.attributes}
        rels = self._relationships(used_entities)
        # parents of modelled entities are kept (with their key only), so that children have a parent
        entities = list(by_entity)
        changed = True
        while changed:
            changed = False
            for parent, child, card, *_ in rels:
                for upper, lower in ((parent, child), (child, parent)) if card == "n-m" else ((parent, child),):
                    if lower in entities and upper not in entities:
                        entities.append(upper)
                        changed = True
        for entity in entities:
            self._entity_tables(entity, by_entity.get(entity, []))
        for rel in rels:
            self._relate(*rel)
        self._integration()
        decisions = self._decisions()
        unmodelled = tuple(sorted(used_entities - set(entities)))
        tables = parents_first(self.tables)
        systems = {sy.id: (sy.name or sy.id, sy.kind) for sy in ws.systems}
        return DraftModel(ws.workshop.name, self.scope, tables, self.relationships, decisions, unmodelled, systems)

    # -- relationships ---------------------------------------------------------------------
    def _relationships(self, used: set[str]) -> list[tuple[str, str, str, bool, str, str, str]]:
        """(parent, child, cardinality, required, name, note, origin) of every relationship that applies."""
        section = self.ws.model
        stated: dict[frozenset[str], m.Relationship] = {}
        for rel in section.relationships if section else []:
            if rel.parent != rel.child:
                stated.setdefault(frozenset((rel.parent, rel.child)), rel)
        out = []
        if section is None or section.uses_default_relationships:
            for parent, child, card in DEFAULT_RELATIONSHIPS:
                if parent in used and child in used and frozenset((parent, child)) not in stated:
                    out.append((parent, child, card, False, "", "", "default"))
        for rel in stated.values():
            if rel.effective_cardinality != "none":
                out.append(
                    (
                        rel.parent,
                        rel.child,
                        rel.effective_cardinality,
                        bool(rel.required),
                        rel.name or "",
                        rel.note or "",
                        "workshop",
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
            names = _Names()
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
        names = _Names()
        names.taken.update(c.name for c in ct.columns)
        belongs = f"The {parent} this {child} belongs to" + (f" ({name})." if name else ".")
        fk = _key_of(pt, names, belongs, nullable=not required, unique=card == "1-1")
        ct.columns.insert(1 + sum(1 for c in ct.columns[1:] if c.references), fk)
        self.relationships.append(
            RelationshipDraft(parent, child, card, required, name, note, origin, pt.name, ct.name, fk.name)
        )

    # -- entity tables -----------------------------------------------------------------------
    def _entity_tables(self, entity: str, attrs: list[m.Attribute]) -> None:
        chunk = MAX_COLUMNS_PER_TABLE - 1 - 8  # room for the key and a few foreign keys
        parts = [attrs[i : i + chunk] for i in range(0, len(attrs), chunk)] or [[]]
        first: Table | None = None
        for n, part in enumerate(parts, start=1):
            tname = self.schema_names.take(entity if n == 1 else f"{entity}_part{n}")
            comment = (
                f"One row per {entity}."
                if n == 1
                else f"More attributes of {entity} (part {n}): one row per {entity}, same key."
            )
            if not attrs:
                comment += " Kept as the parent of related entities; no attribute of it is in scope."
            table = Table(tname, entity, "entity" if n == 1 else "extension", comment)
            names = _Names()
            if first is None:
                table.columns.append(
                    Column(
                        names.take(f"{tname}_key"),
                        "key",
                        False,
                        f"Surrogate key of {entity}, generated.",
                        primary_key=True,
                    )
                )
                first = table
                self.entity_table[entity] = table
            else:
                table.columns.append(
                    _key_of(first, names, f"The {entity} these attributes belong to.", primary_key=True)
                )
                self.relationships.append(
                    RelationshipDraft(
                        entity, entity, "extension", True, "", "", "split", first.name, tname, table.key.name
                    )
                )
            for a in part:
                col = self._column(a, names)
                table.columns.append(col)
                self.attribute_at[a.id] = (table, col)
            self.tables.append(table)

    def _column(self, a: m.Attribute, names: _Names) -> Column:
        needs = self.needs.get(a.id, [])
        use_cases = _union([(uc.id,) for uc, _ in needs])
        stakeholders = _union([(uc.owner,) for uc, _ in needs if uc.owner])
        must = bool(needs) and all(n.effective_criticality == "must" for _, n in needs)
        sources = tuple(
            Source(sid, h.field, h.effective_role, h.quality, h.effective_freshness, h.coverage)
            for sid, h in self.holdings.get(a.id, [])
        )
        comment = (a.definition or "").strip() or "No definition agreed yet."
        return Column(
            names.take(a.id),
            a.effective_type,
            not must,
            comment,
            a.id,
            a.name or a.id,
            tuple(a.values) if a.effective_type == "enum" else (),
            identifier=a.is_identifier,
            sensitivity=a.effective_sensitivity,
            use_cases=use_cases,
            stakeholders=stakeholders,
            sources=sources,
            survivorship=propose_survivorship(sources),
        )

    # -- integration view --------------------------------------------------------------------
    def _integration(self) -> None:
        def key(t: str) -> Column:
            return Column(f"{t}_key", "key", False, f"Surrogate key of {t}, generated.", primary_key=True)

        def ref(t: str, nullable: bool, comment: str) -> Column:
            return Column(f"{t}_key", "key", nullable, comment, references=t, ref_column=f"{t}_key")

        def model_column() -> list[Column]:
            """The columns naming the model column (and its attribute) a row is about."""
            return [
                Column("table_name", "string", False, "The model table."),
                Column("column_name", "string", False, "The model column."),
                Column("attribute", "id", False, "The workshop attribute."),
            ]

        systems = Table(
            SOURCE_SYSTEM, SOURCE_SYSTEM, "integration", "The source systems of the workshop, one row each."
        )
        systems.columns = [
            key(SOURCE_SYSTEM),
            Column("code", "id", False, "The system's id in the workshop.", unique=True),
            Column("name", "string", True, "The name people use for it."),
            Column("kind", "string", True, "crm, pos, ecommerce..."),
        ]
        xref = Table(
            IDENTITY_XREF,
            IDENTITY_XREF,
            "integration",
            "Identity cross-reference: which local id each source system uses for a record of an entity.",
        )
        xref.columns = [
            key(IDENTITY_XREF),
            Column("entity", "string", False, "The entity (table) of the record: customer..."),
            Column("entity_key", "integer", False, "The record's surrogate key in that table."),
            ref(SOURCE_SYSTEM, False, "The system that knows the record."),
            Column("local_id", "id", False, "The record's id in that system."),
            Column("matched_by", "string", True, "The identifier or rule that matched it."),
            Column("matched_at", "datetime", True, "When it was matched."),
        ]
        xref.unique_together = [("entity", f"{SOURCE_SYSTEM}_key", "local_id")]
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
            Column("quality", "integer", True, "Quality 1..5, as rated in the workshop."),
            Column("freshness", "enum", False, "How fresh the system's value is.", values=m.FRESHNESS),
            Column("coverage", "decimal", True, "Share of customers it is filled for, 0..1."),
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
        for t in (xref, mapping, surv):
            for c in t.columns:
                if c.references:
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
        names = {a.id: a.name or a.id for a in self.ws.attributes}
        out: list[OpenDecision] = []
        for gap in self.analysis.gaps:
            if gap.rule not in DECISION_RULES:
                continue
            targets = self._targets(gap.subjects, gap.rule in _IDENTITY_RULES)
            if not targets:
                continue
            subject = next((i for k, i in gap.subjects if k == "attribute"), None)
            label = f"'{names[subject]}' ({subject})" if subject in names else ", ".join(i for _, i in gap.subjects)
            out.append(
                OpenDecision(
                    "",
                    RULES[gap.rule].code,
                    gap.rule,
                    DECISION_RULES[gap.rule].format(name=label),
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
            subjects = tuple(("attribute", i) if i in names else ("system", i) for i in note.about)
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


SURVIVORSHIP_RULES: tuple[str, ...] = ("master wins", "only source", "freshest", "best quality", "tie", "no source")


def propose_survivorship(sources: tuple[Source, ...]) -> Survivorship:
    """Which source should win for one attribute: master wins; else the freshest; else the best quality.

    A proposal only: ``no-master``/``many-masters`` findings stay open decisions.
    """
    if not sources:
        return Survivorship("no source", None, "No system holds it yet: decide where it is captured first.")
    systems = _union([(s.system,) for s in sources])
    if len(systems) == 1:
        return Survivorship("only source", systems[0], f"{systems[0]} is the only system that holds it.")
    masters = _union([(s.system,) for s in sources if s.role == "master"])
    if len(masters) == 1:
        return Survivorship("master wins", masters[0], f"{masters[0]} is its master.")
    pool = [s for s in sources if s.system in masters] if masters else [s for s in sources if s.role != "derived"]
    pool = pool or list(sources)
    lead = "Several masters claim it" if masters else "No system is its master"
    ranked = [s for s in pool if s.freshness in FRESHNESS_RANK]
    if ranked:
        best = min(FRESHNESS_RANK[s.freshness] for s in ranked)
        fresh = _union([(s.system,) for s in ranked if FRESHNESS_RANK[s.freshness] == best])
        if len(fresh) == 1:
            return Survivorship("freshest", fresh[0], f"{lead}; {fresh[0]} holds it freshest ({m.FRESHNESS[best]}).")
        pool = [s for s in ranked if s.system in fresh]
    rated = [s for s in pool if s.quality is not None]
    if rated:
        best_q = max(s.quality for s in rated if s.quality is not None)
        good = _union([(s.system,) for s in rated if s.quality == best_q])
        if len(good) == 1:
            return Survivorship(
                "best quality",
                good[0],
                f"{lead} and none is fresher; {good[0]} rates its quality highest ({best_q}/5).",
            )
    tied = _union([(s.system,) for s in pool])
    return Survivorship("tie", None, f"{lead}; {', '.join(tied)} are equally fresh and good: the workshop must choose.")


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
