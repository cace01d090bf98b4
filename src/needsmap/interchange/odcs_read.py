"""Reading ODCS v3 data contracts back into a workshop: definitions, owners, and what the properties say.

``needsmap import odcs FILE|FOLDER WORKSHOP`` reads one contract, or every ``.yaml``/``.yml`` file of a
folder that is a data contract (``kind: DataContract``), and proposes, like every import
(:mod:`needsmap.imports.plan`):

* for each property that is an attribute (needsmap's id in its ``customProperties``; else its
  business name or name, matched like every import's names): its name (``businessName``),
  definition (``description``), type (``logicalType``, refined by the needsmap type it carries),
  values (``enum``), sensitivity (``classification``), owner (the ``dataOwner`` custom property:
  a stakeholder's name or id) and synonyms. A property the workshop lacks is added as an attribute;
  the draft's own columns (keys, bookkeeping) are left alone;
* for each team member: the stakeholder (matched by id, then by name), added when unknown;
* in a contract per system (``--per-system``): each field as a holding of that system (field,
  role, quality, freshness, coverage from the ``holding`` custom property).

Only fields the workshop lacks are filled; a value that differs is listed as a conflict and the
workshop keeps its own. Exporting and importing into the same workshop proposes nothing.

The vocabulary both directions share (custom property names, classifications, logical types) is
defined here; :mod:`needsmap.interchange.odcs` writes with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key
from needsmap.imports.plan import ImportPlan, PlanBuilder, Source
from needsmap.interchange.base import ID_KEY, KIND_KEY, SAFE_LOADER, LocatedValues, ReadError, read_import_text

#: The latest ODCS version the standard's own schema (open-data-contract-standard 3.2) accepts.
API_VERSION = "v3.2.0"
SUFFIX = ".odcs.yaml"
#: The object of an entity's contract that lists the attributes no use case needs yet.
NOT_NEEDED_OBJECT = "recorded_not_needed"
#: Custom properties of a property: the attribute's own type, its owner by name and by id.
TYPE_KEY = "needsmapType"
OWNER_KEY = "dataOwner"
OWNER_ID_KEY = "dataOwnerId"
HOLDING_KEY = "holding"
#: ODCS ``classification`` of each sensitivity (and back).
CLASSIFICATION: dict[str, str] = {"none": "internal", "personal": "confidential", "sensitive": "restricted"}
SENSITIVITY: dict[str, str] = {
    "public": "none",
    "internal": "none",
    "confidential": "personal",
    "restricted": "sensitive",
    "sensitive": "sensitive",
    "personal": "personal",
}
#: The ODCS ``logicalType`` of each needsmap type (the draft's column types ``key`` and ``json`` too).
LOGICAL_TYPES: dict[str, str] = {
    "string": "string",
    "text": "string",
    "email": "string",
    "phone": "string",
    "url": "string",
    "enum": "string",
    "country": "string",
    "currency": "string",
    "id": "string",
    "integer": "integer",
    "decimal": "number",
    "money": "number",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp",
    "key": "integer",
    "json": "array",
}
#: The needsmap type a logical type is read as, when the contract does not say more.
_FROM_LOGICAL = {
    "integer": "integer",
    "number": "decimal",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "datetime",
}
_FROM_FORMAT = {"email": "email", "uri": "url"}
#: The most files a folder import reads.
MAX_FILES = 10_000


# -- YAML with places -------------------------------------------------------------------------------
class _Map(dict):
    """A mapping that knows where it starts in its file (1-based line and column)."""

    line = 0
    col = 0


class _Loader(LocatedValues, SAFE_LOADER):
    pass


def _construct_map(loader: Any, node: yaml.MappingNode):
    data = _Map()
    data.line, data.col = node.start_mark.line + 1, node.start_mark.column + 1
    yield data
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _load(path: Path, shown: str) -> object:
    text = read_import_text(path)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a safe loader with one more constructor)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise ReadError(f"{where}: not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ReadError(f"{shown}: not valid YAML: {exc}") from None


def _at(shown: str, node: object) -> str:
    if isinstance(node, _Map):
        return f"{shown}:{node.line}:{node.col}"
    return shown


def _custom(node: dict) -> dict[str, object]:
    """``customProperties`` as property -> value (entries that are not ``{property, value}`` are left out)."""
    out: dict[str, object] = {}
    items = node.get("customProperties")
    for entry in items if isinstance(items, list) else ():
        if isinstance(entry, dict) and isinstance(entry.get("property"), str) and "value" in entry:
            out.setdefault(entry["property"], entry["value"])
    return out


def _text(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    return None


def _texts(value: object, key: str | None = None) -> list[str]:
    out = []
    for v in value if isinstance(value, list) else ():
        if key is not None and isinstance(v, dict):
            v = v.get(key)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            out.append(str(v))
    return list(dict.fromkeys(out))


# -- reading ---------------------------------------------------------------------------------------
def _files(path: Path) -> list[tuple[Path, str]]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        if len(found) > MAX_FILES:
            raise ReadError(f"{path}: {len(found):,} YAML files is more than the {MAX_FILES:,} an import reads")
        if not found:
            raise ReadError(f"{path}: no .yaml or .yml files in this folder: give an exported contract or its folder")
        return [(p, p.relative_to(path).as_posix()) for p in found]
    return [(path, path.name)]


def read(ws: m.Workshop, path: Path) -> ImportPlan:
    """What importing the contract(s) at ``path`` would change in ``ws``; nothing is written."""
    reader = _Reader(ws, PlanBuilder(ws, str(path)))
    files = _files(path)
    contracts = 0
    for file, shown in files:
        data = _load(file, shown)
        if not isinstance(data, dict) or data.get("kind") != "DataContract":
            if len(files) == 1:
                raise ReadError(f"{_at(shown, data)}: not an ODCS data contract (no 'kind: DataContract')")
            reader.builder.notes.append(f"{shown}: not a data contract, left out")
            continue
        contracts += 1
        reader.contract(data, shown)
    reader.builder.notes.insert(0, f"read {contracts} data contract{'s' if contracts != 1 else ''}")
    return reader.builder.plan()


class _Reader:
    def __init__(self, ws: m.Workshop, builder: PlanBuilder) -> None:
        self.ws = ws
        self.builder = builder
        self.people: dict[str, str | None] = {}  # a member's id or name key -> the stakeholder id it is
        self.seen: dict[str, m.Attribute] = {}  # attribute id -> what an earlier property said of it

    # -- people ------------------------------------------------------------------------------
    def person(self, text: str | None, ident: str | None, shown: str, node: object) -> str | None:
        """The stakeholder id a name (or id) stands for; an unknown person is proposed as a new stakeholder."""
        if ident and self.builder.existing("stakeholders", ident) is not None:
            known = self.builder.existing("stakeholders", ident)
            if text is None or name_key(text) in (name_key(item_name(known)), name_key(ident)):
                return ident
        if not text:
            return None
        key = name_key(text)
        if key in self.people:
            return self.people[key]
        match = self.builder.lookup("stakeholders", text)
        if match.ident is not None:
            found: str | None = match.ident
        elif match.candidates:
            self.builder.ambiguous(
                "stakeholders",
                "",
                text,
                Source(shown, row=getattr(node, "line", None)),
                "which person is this?",
                match.candidates,
            )
            found = None
        else:
            new = m.Stakeholder(self.builder.new_id("stakeholders", text), " ".join(text.split()))
            self.builder.add("stakeholders", new, Source(shown, row=getattr(node, "line", None)), "named in a contract")
            found = new.id
        self.people[key] = found
        return found

    def members(self, team: object, shown: str) -> None:
        members = team.get("members") if isinstance(team, dict) else team
        for member in members if isinstance(members, list) else ():
            if not isinstance(member, dict):
                continue
            ident = _text(_custom(member).get(ID_KEY)) or _text(member.get("username"))
            name = _text(member.get("name"))
            key = ident or name
            if key is None or ("id:" + key) in self.people:
                continue
            self.people["id:" + key] = None
            source = Source(shown, row=getattr(member, "line", None))
            existing = self.builder.existing("stakeholders", ident) if ident else None
            if existing is not None:
                incoming = m.Stakeholder(existing.id, name or "")
                self.builder.merge("stakeholders", existing, incoming, source)
                continue
            self.person(name or ident, None, shown, member)

    # -- one contract ------------------------------------------------------------------------
    def contract(self, data: dict, shown: str) -> None:
        cp = _custom(data)
        self.members(data.get("team"), shown)
        system: str | None = None
        if cp.get(KIND_KEY) == "system":
            ident = _text(cp.get(ID_KEY))
            match = self.builder.find("systems", ident=ident, name=_text(data.get("name")))
            system = match.ident
            if system is None:
                self.builder.skip(
                    Source(shown, row=getattr(data, "line", None)),
                    f"system {ident or data.get('name')!r} is not in the workshop: its fields are not read as holdings",
                    "systems",
                )
        schema = data.get("schema")
        for obj in schema if isinstance(schema, list) else ():
            if not isinstance(obj, dict):
                continue
            entity = _text(_custom(obj).get("entity")) or _text(obj.get("name"))
            props = obj.get("properties")
            for prop in props if isinstance(props, list) else ():
                if isinstance(prop, dict):
                    self.property(prop, entity, system, shown)

    def property(self, prop: dict, entity: str | None, system: str | None, shown: str) -> None:
        cp = _custom(prop)
        kind = cp.get(KIND_KEY)
        if kind not in (None, "attribute"):
            return  # the draft's own columns: keys, discriminators, bookkeeping
        if kind is None and (prop.get("primaryKey") or prop.get("relationships")):
            return
        source = Source(shown, row=getattr(prop, "line", None))
        ident = _text(cp.get(ID_KEY))
        label = _text(prop.get("businessName")) or _text(prop.get("name")) or ident or "?"
        existing = self.builder.existing("attributes", ident) if ident else None
        if existing is None:
            # the names it goes by exactly first (its column name, the id it came with), then its label, fuzzily
            for text in (_text(prop.get("name")), ident):
                match = self.builder.find("attributes", name=text) if text else None
                if match is not None and match.ident is not None:
                    existing = self.builder.existing("attributes", match.ident)
                    break
            if existing is None:
                match = self.builder.lookup("attributes", label)
                if match.ident is not None:
                    existing = self.builder.existing("attributes", match.ident)
                elif match.candidates:
                    self.builder.ambiguous(
                        "attributes", "", label, source, "which attribute is this property?", match.candidates
                    )
                    return
        incoming = self.attribute(prop, cp, existing, entity, shown)
        if existing is None:
            if incoming.type is None and incoming.definition is None and not incoming.name:
                self.builder.skip(source, "a property without a name, type or definition", "attributes", label)
                return
            self.builder.add("attributes", incoming, source, "a property of a data contract")
            existing = incoming
        else:
            earlier = self.seen.get(existing.id)
            if earlier is None or earlier != incoming:
                self.builder.merge("attributes", existing, incoming, source)
        self.seen[existing.id] = incoming
        if system is not None:
            self.holding(prop, cp, existing.id, system, source)

    def attribute(
        self, prop: dict, cp: dict[str, object], existing: m.Attribute | None, entity: str | None, shown: str
    ) -> m.Attribute:
        """The attribute the property describes, stating only what differs from the workshop's defaults."""
        typ = self.type_of(prop, cp)
        sensitivity = SENSITIVITY.get(str(prop.get("classification", "")).strip().casefold())
        owner = self.person(_text(cp.get(OWNER_KEY)), _text(cp.get(OWNER_ID_KEY)), shown, prop)
        values = _texts(prop.get("enum"), "value")
        if existing is not None:
            typ = None if typ == existing.effective_type else typ
            sensitivity = None if sensitivity == existing.effective_sensitivity else sensitivity
            ident = existing.id
        else:
            name = _text(prop.get("businessName")) or _text(prop.get("name")) or "attribute"
            ident = self.builder.new_id("attributes", name, preferred=_text(cp.get(ID_KEY)))
        return m.Attribute(
            ident,
            name=_text(prop.get("businessName")) or (_text(prop.get("name")) or "" if existing is None else ""),
            entity=(entity if existing is None else None),
            type=typ,  # type: ignore[arg-type]
            values=values,
            definition=_text(prop.get("description")),
            sensitivity=sensitivity,  # type: ignore[arg-type]
            owner=owner,
            synonyms=_texts(prop.get("synonyms"), "synonym"),
            loc=None,
        )

    @staticmethod
    def type_of(prop: dict, cp: dict[str, object]) -> str | None:
        """The needsmap type: the one the contract carries while its logical type still fits it, else read."""
        logical = prop.get("logicalType")
        items = prop.get("items")
        item_logical = items.get("logicalType") if isinstance(items, dict) else None
        stated = cp.get(TYPE_KEY)
        if isinstance(stated, str) and stated in m.ATTR_TYPES:
            if logical is None or LOGICAL_TYPES[stated] in (logical, item_logical):
                return stated
        if not isinstance(logical, str):
            return None
        if logical == "array" and isinstance(item_logical, str):
            logical = item_logical
        options = prop.get("logicalTypeOptions")
        fmt = options.get("format") if isinstance(options, dict) else None
        if logical == "string":
            return _FROM_FORMAT.get(str(fmt), "enum" if prop.get("enum") else "string")
        return _FROM_LOGICAL.get(logical)

    def holding(self, prop: dict, cp: dict[str, object], attribute: str, system: str, source: Source) -> None:
        raw = cp.get(HOLDING_KEY)
        said = raw if isinstance(raw, dict) else {}
        field = _text(prop.get("physicalName")) or _text(said.get("field"))
        role = said.get("role") if said.get("role") in m.ROLES else None
        freshness = said.get("freshness") if said.get("freshness") in m.FRESHNESS else None
        quality = said.get("quality")
        quality = quality if isinstance(quality, int) and not isinstance(quality, bool) and 1 <= quality <= 5 else None
        coverage = said.get("coverage")
        ok = isinstance(coverage, (int, float)) and not isinstance(coverage, bool) and 0 <= coverage <= 1
        htype = said.get("type") if said.get("type") in m.ATTR_TYPES else None
        holding = m.Holding(
            attribute,
            field=field,
            role=role,
            derived_from=_texts(said.get("derivedFrom")),
            quality=quality,
            freshness=freshness,
            coverage=float(coverage) if ok else None,  # type: ignore[arg-type]
            definition=_text(said.get("definition")),
            type=htype,
            loc=None,
        )
        self.builder.propose_holding(system, holding, source)
