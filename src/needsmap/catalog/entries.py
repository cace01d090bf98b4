"""The reference catalog of customer attributes shipped with needsmap.

``needsmap/data/catalog.yaml`` holds 150+ common attributes of persons,
organisations, households, contact points, addresses, consents, preferences,
identifiers, interactions, orders and product holdings, each with a definition,
business synonyms and the column spellings systems use for it (English, Dutch,
German, French).  Its header names the public vocabularies it is grounded in.

* :func:`load_catalog` reads and checks the file once (cached); a broken file
  raises :class:`CatalogError` with ``FILE:LINE: entry 'id': message`` lines.
* :func:`search` finds entries by id, name, synonym or spelling (rapidfuzz).
* :meth:`CatalogEntry.to_attribute` turns an entry into a workshop
  :class:`needsmap.format.model.Attribute`; :func:`select` picks the entries
  ``needsmap new --with-catalog core|all|ENTITY,...`` adds.

Column matching (imports) lives in :mod:`needsmap.imports.column_match`, which builds
on the entries' spellings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from needsmap.catalog.name_tokens import name_tokens
from needsmap.format import model as m

#: Entity slugs a catalog entry may use (the ones documented for attributes in spec.py).
ENTITIES: tuple[str, ...] = (
    "customer",
    "organization",
    "household",
    "contact_point",
    "address",
    "consent",
    "identifier",
    "interaction",
    "order",
    "preference",
    "product_holding",
)
CATALOG_FILE = "catalog.yaml"
_ID_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_FIELDS = (
    "id",
    "name",
    "entity",
    "type",
    "values",
    "sensitivity",
    "special_category",
    "identifier",
    "identifies",
    "purposes",
    "channels",
    "definition",
    "synonyms",
    "spellings",
    "schema_org",
    "core",
)
_REQUIRED = ("id", "name", "entity", "type", "sensitivity", "definition")


class CatalogError(ValueError):
    """The catalog file cannot be used; the message lists every problem, located."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: str
    name: str
    entity: str
    type: m.AttrType
    definition: str
    sensitivity: m.Sensitivity = "none"
    identifier: bool = False
    identifies: m.IdentifiesKind | None = None
    special_category: bool = False
    purposes: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    spellings: tuple[str, ...] = ()
    schema_org: str | None = None
    core: bool = False
    line: int | None = field(default=None, compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Everything the entry is called: id, name, synonyms and column spellings."""
        return (self.id, self.name, *self.synonyms, *self.spellings)

    @property
    def is_identifier(self) -> bool:
        """True when the entry identifies something (``identifier: true`` or an ``identifies`` kind)."""
        return self.identifier or self.identifies is not None

    def to_attribute(self, attr_id: str | None = None) -> m.Attribute:
        """A workshop attribute with this entry's meaning (the column spellings stay in the catalog).

        ``identifier: true`` is kept beside ``identifies`` where the entry says both: a reader that
        knows only ``identifier`` still finds the identifiers it found before ``identifies`` existed.
        """
        return m.Attribute(
            id=attr_id or self.id,
            name=self.name,
            entity=self.entity,
            type=self.type,
            values=list(self.values),
            definition=self.definition,
            identifier=True if self.identifier else None,
            identifies=self.identifies,
            sensitivity=None if self.sensitivity == "none" else self.sensitivity,
            special_category=True if self.special_category else None,
            purposes=list(self.purposes),
            channels=list(self.channels),
            synonyms=list(self.synonyms),
        )


@dataclass(eq=False)
class Catalog:
    """The checked entries of a catalog file, in file order (compared by identity)."""

    entries: tuple[CatalogEntry, ...]
    header: str = ""
    source: str = CATALOG_FILE

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entries}

    def get(self, entry_id: str) -> CatalogEntry | None:
        return self._by_id.get(entry_id)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers the line of every mapping (for located messages)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    data = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    data["__line__"] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _text_list(raw: object, what: str, problems: list[str]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        problems.append(f"{what} must be a list of non-empty texts")
        return ()
    return tuple(raw)


def _entry(raw: object, problems: list[str]) -> CatalogEntry | None:
    if not isinstance(raw, dict):
        problems.append("an entry must be a mapping")
        return None
    unknown = sorted(set(raw) - set(_FIELDS) - {"__line__"})
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(_FIELDS)})")
    for key in _REQUIRED:
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"'{key}' is required and must be a non-empty text")
    if problems:
        return None
    if not _ID_RE.match(raw["id"]):
        problems.append("'id' must be snake_case (a-z, 0-9, single underscores)")
    if raw["entity"] not in ENTITIES:
        problems.append(f"entity '{raw['entity']}' is not one of {', '.join(ENTITIES)}")
    if raw["type"] not in m.ATTR_TYPES:
        problems.append(f"type '{raw['type']}' is not one of {', '.join(m.ATTR_TYPES)}")
    if raw["sensitivity"] not in m.SENSITIVITIES:
        problems.append(f"sensitivity '{raw['sensitivity']}' is not one of {', '.join(m.SENSITIVITIES)}")
    for flag in ("identifier", "special_category", "core"):
        if not isinstance(raw.get(flag, False), bool):
            problems.append(f"'{flag}' must be true or false")
    identifies = raw.get("identifies")
    if identifies is not None and identifies not in m.IDENTIFIES_KINDS:
        problems.append(f"identifies '{identifies}' is not one of {', '.join(m.IDENTIFIES_KINDS)}")
    if identifies is not None and raw.get("identifier") is False:
        problems.append("'identifier: false' contradicts 'identifies'")
    if raw.get("special_category") is True and raw["sensitivity"] != "sensitive":
        problems.append("special-category data (special_category: true) must have sensitivity sensitive")
    purposes = _text_list(raw.get("purposes"), "'purposes'", problems)
    channels = _text_list(raw.get("channels"), "'channels'", problems)
    for what, named, known in (("purpose", purposes, m.DEFAULT_PURPOSES), ("channel", channels, m.DEFAULT_CHANNELS)):
        for name in named:
            if name not in known:
                problems.append(f"{what} '{name}' is not one of the default {what}s ({', '.join(known)})")
    if (purposes or channels) and raw["entity"] != m.CONSENT_ENTITY:
        problems.append("'purposes' and 'channels' are only for consents (entity consent)")
    values = _text_list(raw.get("values"), "'values'", problems)
    if raw["type"] == "enum" and not values:
        problems.append("an enum needs 'values'")
    if values and raw["type"] != "enum":
        problems.append("'values' only go with type enum")
    schema_org = raw.get("schema_org")
    if schema_org is not None and not (isinstance(schema_org, str) and schema_org.startswith("schema:")):
        problems.append("'schema_org' must look like schema:givenName")
    entry = CatalogEntry(
        id=raw["id"],
        name=raw["name"].strip(),
        entity=raw["entity"],
        type=raw["type"],
        definition=raw["definition"].strip(),
        sensitivity=raw["sensitivity"],
        identifier=bool(raw.get("identifier", False)),
        identifies=identifies,
        special_category=bool(raw.get("special_category", False)),
        purposes=purposes,
        channels=channels,
        values=values,
        synonyms=_text_list(raw.get("synonyms"), "'synonyms'", problems),
        spellings=_text_list(raw.get("spellings"), "'spellings'", problems),
        schema_org=schema_org,
        core=bool(raw.get("core", False)),
        line=raw.get("__line__"),
    )
    return None if problems else entry


def parse_catalog(text: str, source: str = CATALOG_FILE) -> Catalog:
    """Parse and check catalog text; raises :class:`CatalogError` listing every problem."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # safe: _LineLoader is a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise CatalogError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise CatalogError(f"{source}: expected a mapping with a list 'entries'")
    errors: list[str] = []
    entries: list[CatalogEntry] = []
    seen: dict[str, int | None] = {}
    for i, raw in enumerate(data["entries"]):
        problems: list[str] = []
        entry = _entry(raw, problems)
        line = raw.get("__line__") if isinstance(raw, dict) else None
        label = raw.get("id") if isinstance(raw, dict) else None
        where = f"{source}:{line}" if line else source
        what = f"entry '{label}'" if isinstance(label, str) else f"entry {i + 1}"
        errors.extend(f"{where}: {what}: {p}" for p in problems)
        if isinstance(label, str):
            if label in seen:
                errors.append(f"{where}: {what}: duplicate id (first at line {seen[label]})")
                continue
            seen[label] = line
        if entry is not None:
            entries.append(entry)
    if errors:
        raise CatalogError("\n".join(errors))
    header = "\n".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    return Catalog(entries=tuple(entries), header=header, source=source)


@functools.lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The shipped catalog, read and checked once per process."""
    text = resources.files("needsmap.catalog").joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    return parse_catalog(text, source=f"needsmap/data/{CATALOG_FILE}")


def load_catalog_file(path: str | Path) -> Catalog:
    """A catalog from another file (same format), e.g. an organisation's own."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_catalog(text, source=str(path))


def entry_as_dict(entry: CatalogEntry) -> dict:
    """The entry as in the catalog file (fields in file order, absent ones left out)."""
    out: dict = {"id": entry.id, "name": entry.name, "entity": entry.entity, "type": entry.type}
    if entry.values:
        out["values"] = list(entry.values)
    if entry.identifier:
        out["identifier"] = True
    if entry.identifies is not None:
        out["identifies"] = entry.identifies
    if entry.purposes:
        out["purposes"] = list(entry.purposes)
    if entry.channels:
        out["channels"] = list(entry.channels)
    out["sensitivity"] = entry.sensitivity
    if entry.special_category:
        out["special_category"] = True
    out["definition"] = entry.definition
    out["synonyms"] = list(entry.synonyms)
    out["spellings"] = list(entry.spellings)
    if entry.schema_org:
        out["schema_org"] = entry.schema_org
    if entry.core:
        out["core"] = True
    return out


def entries_as_yaml(entries: list[CatalogEntry]) -> str:
    """Entries as catalog-format YAML (``entries:`` list), readable by :func:`parse_catalog`."""
    return yaml.safe_dump(
        {"entries": [entry_as_dict(e) for e in entries]}, sort_keys=False, allow_unicode=True, width=110
    )


# --------------------------------------------------------------------------- search


def search_key(text: str) -> str:
    """Lower-case words of ``text`` (camelCase and separators split, accents dropped)."""
    return " ".join(name_tokens(text))


@functools.lru_cache(maxsize=4)
def _search_index(catalog: Catalog) -> tuple[list[str], list[int]]:
    keys: list[str] = []
    owners: list[int] = []
    for i, entry in enumerate(catalog.entries):
        for text in {search_key(n) for n in (*entry.names, entry.schema_org or "")}:
            if text:
                keys.append(text)
                owners.append(i)
    return keys, owners


def search(
    text: str = "",
    *,
    entity: str | None = None,
    limit: int | None = None,
    catalog: Catalog | None = None,
    min_score: float = 75.0,
) -> list[tuple[CatalogEntry, float]]:
    """Entries matching ``text`` with a score 0..100, best first; all entries (in file order) for empty text.

    Only an exact id, name, synonym or spelling scores 100 (case, separators
    and accents aside: ``Geburtsdatum``, ``first-name``); a name starting with
    the text scores at least 95, one containing it 90, otherwise rapidfuzz's
    WRatio decides (at most 99).
    """
    catalog = catalog or load_catalog()
    wanted = [e for e in catalog.entries if entity is None or e.entity == entity]
    query = search_key(text)
    if not query:
        found = [(e, 100.0) for e in wanted]
        return found[:limit] if limit else found
    keys, owners = _search_index(catalog)
    best: dict[int, float] = {}
    compact = query.replace(" ", "")
    for key, score, pos in process.extract(query, keys, scorer=fuzz.WRatio, limit=None, score_cutoff=min_score):
        if key.replace(" ", "") == compact:
            score = 100.0
        elif key.startswith(query):
            score = max(min(score, 99.0), 95.0)
        elif query in key:
            score = max(min(score, 99.0), 90.0)
        else:
            score = min(score, 99.0)  # 100 is kept for exact names
        best[owners[pos]] = max(best.get(owners[pos], 0.0), score)
    allowed = {id(e) for e in wanted}
    ranked = sorted(
        ((catalog.entries[i], s) for i, s in best.items() if id(catalog.entries[i]) in allowed),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    return ranked[:limit] if limit else ranked


def select(spec_text: str, catalog: Catalog | None = None) -> list[CatalogEntry]:
    """Entries for ``--with-catalog``: ``core``, ``all``, or comma-separated entity slugs.

    Raises ValueError naming the unknown slug.
    """
    catalog = catalog or load_catalog()
    words = [w.strip() for w in spec_text.split(",") if w.strip()]
    if not words:
        raise ValueError("expected core, all, or entity names such as customer,address")
    if words == ["all"]:
        return list(catalog.entries)
    if words == ["core"]:
        return [e for e in catalog.entries if e.core]
    unknown = [w for w in words if w not in ENTITIES]
    if unknown:
        raise ValueError(f"unknown entity '{unknown[0]}' (use core, all, or some of: {', '.join(ENTITIES)})")
    return [e for e in catalog.entries if e.entity in words]


def starter_attributes(spec_text: str, catalog: Catalog | None = None) -> list[m.Attribute]:
    """The workshop attributes of ``--with-catalog SPEC`` (:func:`select`), with the catalog's definitions."""
    return [entry.to_attribute() for entry in select(spec_text, catalog)]
