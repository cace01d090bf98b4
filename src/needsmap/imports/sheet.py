"""Importing a spreadsheet of use cases, attributes, systems, stakeholders, needs or holdings.

:func:`plan_sheet_import` reads the sheet (:mod:`needsmap.imports.sheet_reader`),
finds the header row and what each column holds from its header (synonyms in
English, Dutch, German and French, ``--map`` overrides), reads the values
(:mod:`needsmap.imports.sheet_values`), and proposes an :class:`~needsmap.imports.plan.ImportPlan`
against the workshop: nothing is written here.

What a row refers to is matched with what the workshop has: owners to
stakeholders by id or name, "data needed" to attributes by id, name or
synonym (near-misses are ambiguous), systems and functions and channels by
their names.  Who or what is not there yet becomes a proposed new item.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key, section_word, slug
from needsmap.imports import sheet_values as v
from needsmap.imports.plan import ImportPlan, Match, PlanBuilder, Source
from needsmap.imports.sheet_reader import SheetError, SheetRow, SheetTable, read_sheet

__all__ = ["IMPORT_KINDS", "SheetError", "plan_sheet_import", "plan_from_table", "parse_mapping", "MappingError"]

#: How many rows from the top are searched for the header row.
HEADER_SEARCH_ROWS = 20
#: A header this close (rapidfuzz ratio) to a synonym counts as that synonym (typos).
HEADER_FUZZY_SCORE = 90


@dataclass(frozen=True, slots=True)
class Column:
    """One field a sheet column can fill: its synonyms and how its cells are read."""

    field: str
    synonyms: tuple[str, ...]
    read: str  # the name of the reader (see _READERS and the resolving readers in _RowReader)


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(f, tuple(s.strip() for s in syn.split("|")), r) for f, syn, r in specs)


_OWNER = (
    "owner|eigenaar|owned by|requested by|requester|aanvrager|contact|contactpersoon|sponsor|business owner|"
    "product owner|verantwoordelijke|verantwoordelijk|besitzer|eigentumer|verantwortlich|ansprechpartner|"
    "proprietaire|responsable|demandeur"
)
_FUNCTION = (
    "function|business function|department|team|afdeling|domein|domain|business unit|abteilung|"
    "bereich|departement|fonction|direction|service department"
)
_ID = "id|key|code|ref|reference|kenmerk|schlussel|cle|identifiant"

#: The columns each kind of sheet can have; the first one after ``id`` names the item.
IMPORT_KINDS: dict[str, tuple[Column, ...]] = {
    "use_cases": _cols(
        ("id", _ID + "|use case id", "text"),
        (
            "title",
            "use case|usecase|use cases|title|name|naam|titel|use case naam|naam use case|idea|idee|"
            "initiative|initiatief|wens|anwendungsfall|anwendungsfalle|cas d usage|cas d utilisation|titre|"
            "nom",
            "text",
        ),
        (
            "description",
            "description|omschrijving|beschrijving|toelichting|details|summary|samenvatting|"
            "beschreibung|erlauterung|explication",
            "text",
        ),
        ("owner", _OWNER, "stakeholder"),
        ("function", _FUNCTION, "function"),
        ("channels", "channel|channels|kanaal|kanalen|kanal|kanale|canal|canaux|touchpoint|touchpoints", "channels"),
        (
            "value",
            "value|business value|prio|priority|prioriteit|waarde|bedrijfswaarde|impact|benefit|baten|"
            "wert|geschaftswert|prioritat|nutzen|valeur|priorite|importance|benefice",
            "score",
        ),
        (
            "effort",
            "effort|inspanning|complexity|complexiteit|moeite|size|t shirt size|omvang|aufwand|"
            "komplexitat|complexite|charge|cout|cost|kosten",
            "effort",
        ),
        ("horizon", "horizon|when|wanneer|timing|planning|phase|fase|wave|zeitpunkt|quand|echeance", "horizon"),
        ("status", "status|state|stand|staat|statut|zustand", "status"),
        (
            "needs",
            "data needed|data|needed data|required data|data required|attributes|attributen|"
            "benodigde data|benodigde gegevens|gegevens|data nodig|welke data|customer data|klantgegevens|"
            "benotigte daten|daten|attribute|donnees|donnees necessaires|donnees requises|needs",
            "needs",
        ),
        (
            "executes_in",
            "system|systems|systeem|systemen|executes in|runs in|application|applicatie|tool|tools|"
            "systeme|anwendung|outil",
            "systems",
        ),
    ),
    "attributes": _cols(
        ("id", _ID, "text"),
        (
            "name",
            "attribute|attribuut|attributes|name|naam|field|veld|gegeven|data element|data item|merkmal|"
            "attribut|nom|champ|donnee|data",
            "text",
        ),
        ("entity", "entity|entiteit|object|entitat|entite|about|over", "text"),
        ("type", "type|data type|datatype|format|formaat|soort|datentyp|typ|type de donnees", "type"),
        ("values", "values|allowed values|waarden|toegestane waarden|mogelijke waarden|werte|valeurs|options", "list"),
        (
            "definition",
            "definition|definitie|description|omschrijving|beschrijving|meaning|betekenis|bedeutung|"
            "beschreibung|signification",
            "text",
        ),
        (
            "identifier",
            "identifier|identificerend|is identifier|identifies customer|unique|uniek|key|sleutel|"
            "identifikator|identifiant",
            "bool",
        ),
        (
            "sensitivity",
            "sensitivity|gevoeligheid|privacy|pii|avg|gdpr|personal data|persoonsgegeven|"
            "sensitive|classificatie|classification|sensibilitat|datenschutz|sensibilite",
            "sensitivity",
        ),
        ("owner", _OWNER, "stakeholder"),
        (
            "synonyms",
            "synonyms|synoniemen|aka|also known as|alias|aliases|other names|andere namen|ook bekend als|"
            "synonyme|synonymes",
            "list",
        ),
    ),
    "systems": _cols(
        ("id", _ID, "text"),
        (
            "name",
            "system|systeem|name|naam|application|applicatie|tool|system name|applicatienaam|anwendung|"
            "systeme|nom|source system|bronsysteem",
            "text",
        ),
        ("kind", "kind|type|soort|category|categorie|art|kategorie|categorie|system type", "slug"),
        ("supplier", "supplier|vendor|leverancier|product|hersteller|anbieter|lieferant|fournisseur|editeur", "text"),
        ("owner", _OWNER, "stakeholder"),
        (
            "holds",
            "data|data held|holds|attributes|attributen|bevat|gegevens|data in system|daten|donnees|"
            "customer data|klantgegevens",
            "holdings",
        ),
    ),
    "stakeholders": _cols(
        ("id", _ID, "text"),
        (
            "name",
            "name|naam|stakeholder|person|persoon|who|wie|full name|volledige naam|naam stakeholder|"
            "personne|person name",
            "text",
        ),
        ("role", "role|rol|job title|functietitel|functie|position|title|rolle|rôle|poste|titre", "text"),
        ("function", _FUNCTION, "function"),
        ("influence", "influence|invloed|power|macht|einfluss|pouvoir", "level"),
        ("interest", "interest|interesse|belang|betrokkenheid|interet", "level"),
        (
            "notes",
            "notes|opmerkingen|remarks|comments|commentaar|notities|bemerkungen|notizen|remarques|"
            "commentaires|toelichting",
            "text",
        ),
    ),
    "needs": _cols(
        ("use_case", "use case|usecase|use case id|title|naam use case|anwendungsfall|cas d usage", "use_case"),
        (
            "attribute",
            "attribute|attribuut|data|data needed|gegeven|field|veld|attribut|donnee|daten|data element",
            "attribute",
        ),
        (
            "criticality",
            "criticality|priority|prio|moscow|importance|kritikaliteit|belang|noodzaak|"
            "must should could|kritikalitat|prioritat|criticite|priorite",
            "criticality",
        ),
        (
            "freshness",
            "freshness|actualiteit|timeliness|latency|how current|frequency|frequentie|aktualitat|fraicheur",
            "freshness",
        ),
        ("purpose", "purpose|doel|why|waarom|reason|reden|zweck|warum|objectif|pourquoi|what for|waarvoor", "text"),
    ),
    "holdings": _cols(
        (
            "system",
            "system|systeem|application|applicatie|source|bron|quelle|source system|bronsysteem|systeme",
            "system",
        ),
        ("attribute", "attribute|attribuut|data|gegeven|attribut|donnee|daten|data element", "attribute"),
        (
            "field",
            "field|veld|column|kolom|table column|physical name|technical name|technische naam|feld|"
            "spalte|champ|colonne|field name|veldnaam",
            "text",
        ),
        ("role", "role|rol|master copy|golden source|rolle|role source", "role"),
        ("quality", "quality|kwaliteit|dq|data quality|datakwaliteit|qualitat|qualite", "quality"),
        (
            "freshness",
            "freshness|actualiteit|latency|update frequency|frequentie|verversing|aktualitat|fraicheur",
            "freshness",
        ),
        (
            "coverage",
            "coverage|dekking|fill rate|vullingsgraad|completeness|volledigheid|abdeckung|fullgrad|"
            "couverture|taux de remplissage",
            "coverage",
        ),
        ("definition", "definition|definitie|local definition|meaning|betekenis", "text"),
        ("type", "type|data type|datatype", "type"),
    ),
}

#: The field naming the item of each kind (a row without it is skipped).
_NAME_FIELD = {"use_cases": "title", "attributes": "name", "systems": "name", "stakeholders": "name"}
_REQUIRED = {"needs": ("use_case", "attribute"), "holdings": ("system", "attribute")}
_ITEM_CLASS = {"use_cases": m.UseCase, "attributes": m.Attribute, "systems": m.System, "stakeholders": m.Stakeholder}

_PLAIN_READERS: dict[str, Callable[[str], object]] = {
    "text": v.read_text,
    "score": v.read_score,
    "effort": v.read_effort,
    "level": v.read_level,
    "horizon": v.read_horizon,
    "status": v.read_status,
    "bool": v.read_bool,
    "type": v.read_type,
    "sensitivity": v.read_sensitivity,
    "criticality": v.read_criticality,
    "freshness": v.read_freshness,
    "role": v.read_role,
    "quality": v.read_quality,
    "coverage": v.read_coverage,
    "list": v.split_list,
}


class MappingError(ValueError):
    """A ``--map`` option that cannot be used; the message says why."""


def parse_mapping(options: tuple[str, ...] | list[str], kind: str) -> dict[str, str | None]:
    """``["Prio=value", "Notes="]`` -> {header key: field or None (ignore the column)}."""
    fields = [c.field for c in IMPORT_KINDS[kind]]
    out: dict[str, str | None] = {}
    for option in options:
        header, sep, target = option.partition("=")
        if not sep or not header.strip():
            raise MappingError(f"--map '{option}': write HEADER=FIELD, e.g. --map \"Prio=value\"")
        target = target.strip()
        if target and target not in fields:
            from needsmap.format.diagnostics import suggestion_suffix

            raise MappingError(
                f"--map '{option}': '{target}' is not a field of {kind}"
                f"{suggestion_suffix(target, fields)} (fields: {', '.join(fields)}; "
                "nothing after = ignores the column)"
            )
        out[name_key(header)] = target or None
    return out


# -- the header row ------------------------------------------------------------------------
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _header_keys(header: str) -> list[str]:
    """'Business value (1-5)' -> ['business value']; 'Eigenaar / Owner' -> ['eigenaar owner', 'eigenaar', 'owner']."""
    base = _PARENTHESES.sub(" ", header)
    keys = [name_key(base), name_key(header)]
    if "/" in base:
        keys.extend(name_key(part) for part in base.split("/"))
    return [k for k in dict.fromkeys(keys) if k]


def _field_for(header: str, columns: tuple[Column, ...], mapping: dict[str, str | None]) -> tuple[str | None, bool]:
    """(field, mapped): the field a header names; mapped when --map said so (None: ignore)."""
    from rapidfuzz import fuzz

    for key in _header_keys(header):
        if key in mapping:
            return mapping[key], True
    keys = _header_keys(header)
    for key in keys:
        for col in columns:
            if key in col.synonyms:
                return col.field, False
    for key in keys:
        if len(key) < 5:
            continue
        best = None
        for col in columns:
            for syn in col.synonyms:
                if len(syn) >= 5:
                    score = fuzz.ratio(key, syn)
                    if score >= HEADER_FUZZY_SCORE and (best is None or score > best[0]):
                        best = (score, col.field)
        if best:
            return best[1], False
    return None, False


@dataclass(slots=True)
class HeaderMap:
    row: SheetRow
    fields: dict[int, str]  # column index -> field
    ignored: list[str]  # notes on columns not imported


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def find_header(table: SheetTable, kind: str, mapping: dict[str, str | None]) -> HeaderMap:
    columns = IMPORT_KINDS[kind]
    best: tuple[int, SheetRow] | None = None
    for row in table.rows[:HEADER_SEARCH_ROWS]:
        found = {f for cell in row.cells if cell for f in [_field_for(cell, columns, mapping)[0]] if f}
        if len(found) > (best[0] if best else 0):
            best = (len(found), row)
    needed = _REQUIRED.get(kind, (_NAME_FIELD.get(kind, ""),))
    if best is None:
        examples = ", ".join(f"'{c.synonyms[0].capitalize()}'" for c in columns[1:5])
        raise SheetError(
            f"{_where(table)}: error: no header row found in the first {HEADER_SEARCH_ROWS} rows "
            f"(looked for columns such as {examples}); name the columns with "
            '--map "HEADER=FIELD"'
        )
    row = best[1]
    fields: dict[int, str] = {}
    ignored: list[str] = []
    for i, cell in enumerate(row.cells):
        if not cell:
            continue
        target, mapped = _field_for(cell, columns, mapping)
        where = f"'{cell}' ({_column_letter(i)})" if table.sheet is not None else f"'{cell}'"
        if target is None:
            ignored.append(
                f"column {where} is not imported" + ("" if mapped else '; use --map "HEADER=FIELD" to import it')
            )
        elif target in fields.values():
            ignored.append(f"column {where} is not imported: an earlier column is read as '{target}'")
        else:
            fields[i] = target
    missing = [
        f
        for f in needed
        if f and f not in fields.values() and not (f in _NAME_FIELD.values() and "id" in fields.values())
    ]
    if missing:
        seen = ", ".join(f"'{c}'" for c in row.cells if c)
        raise SheetError(
            f"{_where(table, row)}: error: no column for {' and '.join(missing)} in the header "
            f'row ({seen}); name it with --map "HEADER={missing[0]}"'
        )
    return HeaderMap(row, fields, ignored)


def _where(table: SheetTable, row: SheetRow | None = None) -> str:
    return str(Source(table.file, table.sheet, row.number if row else None))


# -- rows ----------------------------------------------------------------------------------
@dataclass(slots=True)
class _RowContext:
    """What reading one row found: values by field, and what needs a person's decision."""

    source: Source
    # field -> value, read by the field's column reader into that field's type (Any: one per field)
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (message, candidates)
    notes: list[str] = field(default_factory=list)  # what was read with some freedom (near-miss names)


_SEVERAL_PEOPLE = re.compile(r"\s*[/&,;+]\s*|\s+(?:and|en|und|et)\s+", re.IGNORECASE)


class _RowReader:
    """Turns the text cells of rows into field values, resolving names against the workshop and the plan."""

    def __init__(self, builder: PlanBuilder, headers: dict[int, str], kind: str) -> None:
        self.builder = builder
        self.headers = headers
        self.columns = {c.field: c for c in IMPORT_KINDS[kind]}

    # plain cells ---------------------------------------------------------------------------
    def raw(self, row: SheetRow) -> dict[str, str]:
        out = {}
        for i, name in self.headers.items():
            if i < len(row.cells) and row.cells[i]:
                out[name] = row.cells[i]
        return out

    def read(self, raw: dict[str, str], ctx: _RowContext) -> None:
        for name, text in raw.items():
            column = self.columns[name]
            plain = _PLAIN_READERS.get(column.read)
            try:
                if plain is not None:
                    ctx.values[name] = plain(text)
                else:
                    ctx.values[name] = getattr(self, column.read)(text, ctx, name)
            except v.ValueNotUnderstood as exc:
                ctx.problems.append((f"{name}: {exc}; left empty", ()))

    # resolving readers: (cell text, row context, field) -> value; named by Column.read -----------
    def slug(self, text: str, ctx: _RowContext, name: str) -> str:
        return slug(text, "_") or text

    def stakeholder(self, text: str, ctx: _RowContext, name: str) -> str | None:
        """One person; of a cell naming several ('Sanne / Tom'), the first, and the row says so."""
        people = [p for p in _SEVERAL_PEOPLE.split(text) if p.strip()]
        if len(people) > 1 and self.builder.lookup("stakeholders", text) == Match():
            ctx.notes.append(f"{name}: '{text}' names {len(people)} people; the first is taken")
            text = people[0].strip()
        return self._reference("stakeholders", text, ctx, name, lambda ident: m.Stakeholder(ident, name=text))

    def system(self, text: str, ctx: _RowContext, name: str) -> str | None:
        return self._reference("systems", text, ctx, name, lambda ident: m.System(ident, name=text))

    def use_case(self, text: str, ctx: _RowContext, name: str) -> str | None:
        return self._reference("use_cases", text, ctx, name, lambda ident: m.UseCase(ident, title=text))

    def attribute(self, text: str, ctx: _RowContext, name: str) -> str | None:
        """An attribute of the workshop (or of this plan); else, through the reference catalog, the workshop's
        attribute for the same catalog entry ('Geburtsdatum' is date_of_birth), or a new one with the entry's
        meaning; else a new attribute with just this name."""
        if self.builder.lookup("attributes", text) == Match():
            entry = catalog_entry(text)
            if entry is not None:
                same = attribute_for_entry(self.builder, entry)
                if same is not None:
                    ctx.notes.append(
                        f"{name}: '{text}' read as '{same}' ({_label(self.builder, 'attributes', same)})"
                        " through the reference catalog"
                    )
                    return same
                attr = attribute_from_entry(self.builder, entry, text)
                self.builder.add(
                    "attributes",
                    attr,
                    ctx.source,
                    message=f"named in {name} of {ctx.source.short}; from the reference catalog",
                )
                return attr.id
        return self._reference("attributes", text, ctx, name, lambda ident: self._new_attribute(ident, text))

    def systems(self, text: str, ctx: _RowContext, name: str) -> list[str]:
        return [i for part in v.split_list(text) if (i := self.system(part, ctx, name))]

    def _attribute_list(self, text: str) -> list[str]:
        """The parts of a 'data needed' cell: an attribute whose name has commas stays one part."""
        return v.split_list(text, keep=lambda part: self.builder.find("attributes", name=part).ident is not None)

    def needs(self, text: str, ctx: _RowContext, name: str) -> list[m.Need]:
        return [m.Need(ident) for ident in self._attribute_ids(text, ctx, name)]

    def holdings(self, text: str, ctx: _RowContext, name: str) -> list[m.Holding]:
        return [m.Holding(ident) for ident in self._attribute_ids(text, ctx, name)]

    def _attribute_ids(self, text: str, ctx: _RowContext, name: str) -> list[str]:
        """The attributes a cell names, each once, in order (one not found is a problem of the row)."""
        found = (self.attribute(part, ctx, name) for part in self._attribute_list(text))
        return list(dict.fromkeys(ident for ident in found if ident))

    def function(self, text: str, ctx: _RowContext, name: str) -> str | None:
        functions = self.builder.workshop.function_ids
        return self._from_list(text, functions, v.FUNCTION_WORDS, ctx, "function", "functions")

    def channels(self, text: str, ctx: _RowContext, name: str) -> list[str]:
        channels = self.builder.workshop.channel_ids
        out = []
        for part in v.split_list(text.replace("/", ",").replace("+", ",")):
            got = self._from_list(part, channels, v.CHANNEL_WORDS, ctx, "channel", "channels")
            if got and got not in out:
                out.append(got)
        return out

    def _from_list(
        self, text: str, names: tuple[str, ...], words: dict[str, str], ctx: _RowContext, word: str, section: str
    ) -> str | None:
        key = name_key(text)
        for n in names:
            if name_key(n) == key:
                return n
        known = words.get(key)
        if known in names:
            return known
        ctx.problems.append(
            (
                f"{word} '{text}' is not in the workshop's {section}; left out "
                f"(add it to {section}, or use one of: {', '.join(names)})",
                (),
            )
        )
        return None

    def _reference(self, section: str, text: str, ctx: _RowContext, name: str, make) -> str | None:
        """The id ``text`` names in ``section``; a new item when nothing is close, None when ambiguous."""
        found: Match = self.builder.lookup(section, text)
        if found.ident is not None:
            if found.score < 100:
                ctx.notes.append(
                    f"{name}: '{text}' read as '{found.ident}' ({_label(self.builder, section, found.ident)})"
                )
            return found.ident
        if found.candidates:
            ctx.problems.append(
                (f"{name}: '{text}' is not clearly one {section_word(section)}; left out", found.candidates)
            )
            return None
        item = make(self.builder.new_id(section, text))
        self.builder.add(section, item, ctx.source, message=f"named in {name} of {ctx.source.short}")
        return item.id

    def _new_attribute(self, ident: str, text: str) -> m.Attribute:
        name = text[0].upper() + text[1:] if text[:1].islower() else text
        return m.Attribute(ident, name=name)


# -- the reference catalog (needsmap.catalog.entries) ------------------------------------------------
def catalog_entry(text: str):
    """The catalog entry ``text`` names exactly (id, name, synonym or column spelling, any language), if one."""
    from needsmap.catalog import entries as catalog

    try:
        hits = catalog.search(text, limit=2)
    except catalog.CatalogError:  # pragma: no cover - the shipped catalog is checked by its own tests
        return None
    if hits and hits[0][1] >= 100 and (len(hits) == 1 or hits[1][1] < 100):
        return hits[0][0]
    return None


def attribute_for_entry(builder: PlanBuilder, entry) -> str | None:
    """The workshop's attribute for a catalog entry: the same id, or exactly one of the entry's names."""
    if builder.existing("attributes", entry.id) is not None:
        return entry.id
    found = {builder.find("attributes", name=n).ident for n in entry.names} - {None}
    return found.pop() if len(found) == 1 else None


def attribute_from_entry(builder: PlanBuilder, entry, text: str) -> m.Attribute:
    """A new attribute with the catalog entry's meaning; the sheet's spelling is kept as a synonym."""
    attr = entry.to_attribute(builder.new_id("attributes", entry.name, preferred=entry.id))
    spelling = " ".join(text.split())
    if name_key(spelling) not in {name_key(n) for n in (attr.name, *attr.synonyms)}:
        attr = dataclasses.replace(attr, synonyms=[*attr.synonyms, spelling])
    return attr


def _label(builder: PlanBuilder, section: str, ident: str) -> str:
    item = builder.existing(section, ident)
    return item_name(item) if item is not None else ident


# -- the plan ------------------------------------------------------------------------------
def plan_sheet_import(
    ws: m.Workshop,
    path: str | os.PathLike[str],
    kind: str,
    *,
    mapping: dict[str, str | None] | None = None,
    sheet: str | None = None,
) -> ImportPlan:
    """What importing ``path`` as ``kind`` would change in ``ws``.  Raises :class:`SheetError` for bad input."""
    if kind not in IMPORT_KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    return plan_from_table(ws, read_sheet(path, sheet), kind, mapping=mapping)


def plan_from_table(
    ws: m.Workshop, table: SheetTable, kind: str, *, mapping: dict[str, str | None] | None = None
) -> ImportPlan:
    mapping = mapping or {}
    if not table.rows:
        raise SheetError(f"{_where(table)}: error: the sheet is empty")
    header = find_header(table, kind, mapping)
    builder = PlanBuilder(ws, _where(table))
    if table.sheet is not None and len(table.sheet_names) > 1:
        others = ", ".join(f"'{n}'" for n in table.sheet_names if n != table.sheet)
        builder.notes.append(f"read sheet '{table.sheet}'; the workbook also has {others} (choose with --sheet)")
    read_as = ", ".join(f"'{header.row.cells[i]}' as {f}" for i, f in header.fields.items())
    builder.notes.append(f"header in {Source(table.file, table.sheet, header.row.number).short}: {read_as}")
    builder.notes.extend(header.ignored)
    reader = _RowReader(builder, header.fields, kind)
    seen: dict[tuple, int] = {}  # the row's values -> its row number
    seen_keys: dict[str, int] = {}  # the item's id or name -> its row number
    header_keys = tuple(name_key(c) for c in header.row.cells)
    for row in table.rows:
        if row.number <= header.row.number:
            continue
        source = Source(table.file, table.sheet, row.number)
        if tuple(name_key(c) for c in row.cells[: len(header_keys)]) == header_keys:
            builder.skip(source, "repeats the header row")
            continue
        raw = reader.raw(row)
        if not raw:
            builder.skip(source, "nothing in the imported columns")
            continue
        signature = tuple(sorted((k, name_key(t)) for k, t in raw.items()))
        if signature in seen:
            builder.skip(source, f"duplicate of {Source(table.file, table.sheet, seen[signature]).short}")
            continue
        seen[signature] = row.number
        if kind in _ITEM_CLASS:
            _item_row(builder, reader, kind, raw, source, seen_keys)
        else:
            _child_row(builder, reader, kind, raw, source, seen_keys)
    return builder.plan()


def _problems(builder: PlanBuilder, ctx: _RowContext, section: str, ident: str, label: str) -> None:
    for message, candidates in ctx.problems:
        builder.ambiguous(section, ident, label, ctx.source, message, candidates)


def _item_row(
    builder: PlanBuilder, reader: _RowReader, kind: str, raw: dict[str, str], source: Source, seen_keys: dict[str, int]
) -> None:
    section = kind
    name_field = _NAME_FIELD[kind]
    name = " ".join(raw.get(name_field, "").split())
    row_id = raw.get("id", "").strip() or None
    if not name and not row_id:
        builder.skip(source, f"no {section_word(kind)} {name_field} in this row", section)
        return
    key = name_key(row_id or "") or name_key(name)
    for k in {name_key(row_id or ""), name_key(name)} - {""}:
        if k in seen_keys:
            first = Source(source.file, source.sheet, seen_keys[k]).short
            builder.ambiguous(
                section,
                "",
                name or row_id or "",
                source,
                f"the same {section_word(kind)} as {first} with other values; only {first} is imported",
            )
            return
    seen_keys[key] = source.row or 0
    if name:
        seen_keys[name_key(name)] = source.row or 0
    found = builder.find(section, ident=row_id, name=name or None)
    entry = catalog_entry(name) if kind == "attributes" and name and found == Match() else None
    if entry is not None:  # the same attribute in another language or spelling, or a known one to start from
        same = attribute_for_entry(builder, entry)
        if same is not None:
            found = Match(same, (same,), 100)
    if found.ident is None and found.candidates:
        builder.ambiguous(
            section, "", name, source, f"more than one {section_word(kind)} is called '{name}'", found.candidates
        )
        return
    if found.ident is None and not name:
        builder.skip(
            source, f"no {section_word(kind)} {name_field} in this row (id '{row_id}' is not in the workshop)", section
        )
        return
    ctx = _RowContext(source)
    preferred = row_id if row_id and not row_id.isdigit() else None  # a row number is no id
    if preferred is None and entry is not None:
        preferred = entry.id  # the catalog's id: the same attribute has the same id in every workshop
    target_id = found.ident or builder.new_id(section, name or row_id or "", preferred=preferred)
    raw = {k: t for k, t in raw.items() if k != "id"}
    reader.read(raw, ctx)
    values = {k: val for k, val in ctx.values.items() if val is not None and val != []}
    matched_by_name = found.ident is not None and found.ident != row_id
    if name and not matched_by_name:
        values[name_field] = name  # one line, single spaces
    else:
        values.pop(name_field, None)  # found by this name or a synonym of it: the workshop's name stays
    incoming = _ITEM_CLASS[kind](target_id, **values)
    if entry is not None and found.ident is None:
        from needsmap.imports.plan import merge_fields

        base = attribute_from_entry(builder, entry, name)
        synonyms = [n for n in (base.name, *base.synonyms) if name_key(n) != name_key(name)]
        fills, _ = merge_fields(incoming, dataclasses.replace(base, name=name, id=target_id, synonyms=synonyms))
        incoming = dataclasses.replace(
            incoming, **{f.field: (getattr(incoming, f.field) + f.new) if f.is_list else f.new for f in fills}
        )
        ctx.notes.insert(0, f"completed from the reference catalog ({entry.id})")
    elif entry is not None:
        ctx.notes.insert(0, f"'{name}' is '{found.ident}' through the reference catalog")
    message = "; ".join(ctx.notes)
    if found.ident is not None:
        existing = builder.existing(section, found.ident)
        change = builder.merge(section, existing, incoming, source, message)
    else:
        change = builder.add(section, incoming, source, message)
    _problems(builder, ctx, section, change.ident, change.label)


@dataclass(frozen=True, slots=True)
class _ChildKind:
    """A sheet of needs (use case + attribute) or holdings (system + attribute)."""

    section: str  # "needs" | "holdings"
    parent_field: str  # the column naming the parent: "use_case" | "system"
    verb: str  # "needs" | "holds", for labels


_CHILD_KINDS = {
    "needs": _ChildKind("needs", "use_case", "needs"),
    "holdings": _ChildKind("holdings", "system", "holds"),
}


def _child_row(
    builder: PlanBuilder, reader: _RowReader, kind: str, raw: dict[str, str], source: Source, seen_keys: dict[str, int]
) -> None:
    spec = _CHILD_KINDS[kind]
    ctx = _RowContext(source)
    if spec.parent_field not in raw or "attribute" not in raw:
        builder.skip(source, f"no {spec.parent_field.replace('_', ' ')} or no attribute in this row", spec.section)
        return
    label = f"{raw[spec.parent_field]} {spec.verb} {raw['attribute']}"
    parent = getattr(reader, spec.parent_field)(raw[spec.parent_field], ctx, spec.parent_field)
    before = len(ctx.notes)
    attribute = reader.attribute(raw["attribute"], ctx, "attribute")
    near_miss = attribute is not None and len(ctx.notes) > before
    reader.read({k: t for k, t in raw.items() if k not in (spec.parent_field, "attribute")}, ctx)
    if parent is None or attribute is None:
        _problems(builder, ctx, spec.section, "", label)
        return
    ident = f"{parent}/{attribute}"
    if ident in seen_keys:
        first = Source(source.file, source.sheet, seen_keys[ident]).short
        builder.ambiguous(
            spec.section,
            ident,
            label,
            source,
            f"the same {section_word(spec.section)} as {first} with other values; only {first} is imported",
        )
        return
    seen_keys[ident] = source.row or 0
    values = {k: val for k, val in ctx.values.items() if val is not None}
    message = "; ".join(ctx.notes)
    if kind == "needs":
        if values.get("criticality") == "wont":
            builder.skip(source, "criticality is won't-have: not a need", spec.section, label)
            return
        builder.propose_need(parent, m.Need(attribute, **values), source, label, message)
    elif near_miss:
        score = builder.lookup("attributes", raw["attribute"]).score
        builder.propose_holding(
            parent,
            m.Holding(attribute, **values),
            source,
            confidence=round(score / 100, 2),
            reason=f"'{raw['attribute']}' is close to '{_label(builder, 'attributes', attribute)}'",
            label=label,
            message=message,
        )
    else:
        builder.propose_holding(
            parent, m.Holding(attribute, **values), source, reason="named in the sheet", label=label, message=message
        )
    _problems(builder, ctx, spec.section, ident, label)
