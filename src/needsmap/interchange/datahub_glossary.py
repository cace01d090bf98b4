"""DataHub business glossary: the YAML file DataHub's ``datahub-business-glossary`` ingestion source reads.

A node per entity, a term per attribute (every attribute of the workshop, in its order): the term's
``description`` is the attribute's definition, its ``owners`` the attribute's owner (a DataHub user
named by the stakeholder's id), ``related_terms`` the attributes its values are derived from, and
``custom_properties`` what DataHub has no field for: needsmap's ids (so a second ingestion updates the
same terms), the use cases that need it, its sensitivity, the systems that hold it, its synonyms (the
glossary source has no synonyms of its own). Node and term ``id``s are fixed by needsmap's ids, never by
names, so renaming an attribute renames its term instead of adding a twin.

DataHub resolves environment variables in every string of the file (``${VAR}``, and ``$VAR`` at the
start of a string) before reading it; :func:`datahub_literal` escapes workshop text so that it arrives
as written, and :func:`read_terms` undoes the escape the same way when the file is imported back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from needsmap.format import model as m
from needsmap.imports.plan import ImportPlan, Source
from needsmap.interchange import openmetadata_glossary
from needsmap.interchange.base import (
    ID_KEY,
    KIND_KEY,
    ExportFiles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ImportFormat,
    ReadError,
    read_import_text,
)
from needsmap.interchange.facts import AttributeFacts
from needsmap.interchange.glossary_read import ATTRIBUTE_KIND, ENTITY_KIND, GlossaryTerm, plan_terms, portable_id

#: Term and node ids: ``needsmap.attribute.<id>`` and ``needsmap.entity.<entity>`` (made portable when needed).
TERM_ID_PREFIX = "needsmap.attribute."
NODE_ID_PREFIX = "needsmap.entity."
#: The ownership type of an attribute's owner.
OWNER_TYPE = "BUSINESS_OWNER"

# -- DataHub's environment variables ------------------------------------------------------------------
#: What DataHub's config loader expands: a string holding ``${...}`` (on one line), or starting with ``$``.
_EXPANDED = re.compile(r"(\$\{).+(\})")
#: Expands to nothing whatever the environment holds; put in front of an escaped string that would
#: otherwise no longer be expanded (one that started with ``$``), so that its escapes are read.
_NOTHING = "${NEEDSMAP_LITERAL:+}"


def datahub_literal(text: str) -> str:
    """``text`` as DataHub's loader reads it back unchanged: ``$`` and ``\\`` escaped where it would expand."""
    if not (_EXPANDED.search(text) or text.startswith("$")):
        return text
    escaped = text.replace("\\", "\\\\").replace("$", "\\$")
    if not _EXPANDED.search(escaped):
        escaped = _NOTHING + escaped
    return escaped


def from_datahub_literal(text: str) -> str:
    """The text DataHub reads from a string written by :func:`datahub_literal` (other ``$`` are left as they are)."""
    if not (_EXPANDED.search(text) or text.startswith("$")):
        return text
    text = text.removeprefix(_NOTHING)
    return re.sub(r"\\([\\$])", r"\1", text)


class Quoted(str):
    """Text written in double quotes: a definition stays valid YAML however it is edited by hand (``: ``, ``#``)."""

    __slots__ = ()


def _literals(value: Any) -> Any:
    if isinstance(value, Quoted):
        return Quoted(datahub_literal(value))
    if isinstance(value, str):
        return datahub_literal(value)
    if isinstance(value, list):
        return [_literals(v) for v in value]
    if isinstance(value, dict):
        return {k: _literals(v) for k, v in value.items()}
    return value


# -- export -------------------------------------------------------------------------------------------
def term_id(attribute_id: str) -> str:
    return TERM_ID_PREFIX + portable_id(attribute_id)


def node_id(entity: str) -> str:
    return NODE_ID_PREFIX + portable_id(entity)


def _json_list(values: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _term_properties(a: AttributeFacts, system_names: list[str]) -> dict[str, str]:
    props: dict[str, str] = {ID_KEY: a.id, KIND_KEY: ATTRIBUTE_KIND, "type": a.type, "sensitivity": a.sensitivity}
    if a.special_category:
        props["special_category"] = "true"
    if a.identifier:
        props["identifier"] = "true"
    if a.needs:
        props["critical"] = "true" if a.critical else "false"
        props["needed_by"] = _json_list(a.needed_by)
    if a.needed_freshness != "unknown":
        props["needed_freshness"] = a.needed_freshness
    if system_names:
        props["systems"] = _json_list(system_names)
    if a.master is not None:
        props["master"] = a.master.system_name
    if a.owner_name and a.owner_name != a.owner:
        props["owner_name"] = a.owner_name
    if a.synonyms:
        props["synonyms"] = _json_list(a.synonyms)
    if a.values:
        props["values"] = _json_list(a.values)
    return props


def glossary_document(inp: ExportInput) -> dict[str, Any]:
    """The glossary as DataHub's source reads it (before :func:`datahub_literal`), a node per entity."""
    facts = inp.facts
    by_entity: dict[str, list[AttributeFacts]] = {}
    for a in facts.attributes.values():
        by_entity.setdefault(a.entity, []).append(a)
    derived: dict[str, list[str]] = {}
    for system in inp.workshop.systems:
        for h in system.holds:
            for source in h.derived_from:
                if source in facts.attributes and source != h.attribute:
                    derived.setdefault(h.attribute, [])
                    if source not in derived[h.attribute]:
                        derived[h.attribute].append(source)
    # DataHub finds a related term by its path (node name.term name); a path two terms share names neither
    paths = {a.id: f"{a.entity}.{a.name}" for a in facts.attributes.values()}
    path_count: dict[str, int] = {}
    for path in [*paths.values(), *by_entity]:
        path_count[path] = path_count.get(path, 0) + 1

    nodes = []
    for entity, attrs in by_entity.items():
        terms = []
        for a in attrs:
            term: dict[str, Any] = {
                "id": term_id(a.id),
                "name": a.name,
                "description": Quoted(a.definition or ""),
                "term_source": "INTERNAL",
            }
            if a.owner:
                term["owners"] = {"type": OWNER_TYPE, "users": [a.owner]}
            related = [paths[s] for s in derived.get(a.id, ()) if path_count[paths[s]] == 1]
            if related:
                term["related_terms"] = related
            systems = list(dict.fromkeys(h.system_name for h in a.holdings))
            term["custom_properties"] = _term_properties(a, systems)
            terms.append(term)
        nodes.append(
            {
                "id": node_id(entity),
                "name": entity,
                "description": f"The {entity} attributes of the workshop {facts.workshop!r}",
                "custom_properties": {ID_KEY: entity, KIND_KEY: ENTITY_KIND, "needsmap_workshop": facts.workshop},
                "terms": terms,
            }
        )
    return {"version": "1", "source": "needsmap", "owners": {}, "nodes": nodes}


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when PyYAML has it (four times faster on an enterprise glossary), else PyYAML's own."""


_Dumper.add_representer(
    Quoted, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style='"')
)

_HEADER = (
    "# A DataHub business glossary written by `needsmap export datahub-glossary`.\n"
    "# Ingest it with DataHub's datahub-business-glossary source; export again to update the same terms.\n"
)


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    doc = _literals(glossary_document(inp))
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 30)
    return {"glossary.yaml": _HEADER + text}


EXPORT = ExportFormat(
    name="datahub-glossary",
    title="DataHub business glossary (YAML): a node per entity, a term per attribute",
    folder=False,
    suffix=".yaml",
    options=(),
    fields=(
        ("nodes[].name", "the attribute's entity (a node per entity)"),
        ("nodes[].id", "needsmap.entity.ENTITY, from the entity (stable: a second ingestion updates the node)"),
        (
            "terms[].id",
            "needsmap.attribute.ID, from the attribute's id (stable: renaming an attribute renames its term)",
        ),
        ("terms[].name", "the attribute's name"),
        ("terms[].description", "the attribute's definition"),
        ("terms[].owners", "the attribute's owner: a DataHub user named by the stakeholder's id, BUSINESS_OWNER"),
        ("terms[].related_terms", "the attributes a system derives it from (holdings' derived_from)"),
        ("terms[].term_source", "INTERNAL"),
        ("custom_properties.needsmap_id / needsmap_kind", "the attribute's id, 'attribute' (the entity for nodes)"),
        ("custom_properties.needed_by / critical", "the use cases that need it (JSON list); a must-need: true"),
        ("custom_properties.needed_freshness", "the strictest freshness a use case needs"),
        ("custom_properties.sensitivity", "none, personal or sensitive (special_category, identifier: true)"),
        ("custom_properties.systems / master", "the systems that hold it (JSON list); the master's name"),
        ("custom_properties.synonyms / values", "the attribute's synonyms, an enum's values (JSON lists)"),
        ("custom_properties.owner_name", "the owner's name"),
    ),
    export=export,
)


# -- import -------------------------------------------------------------------------------------------
#: At most this many YAML nodes are read (aliases counted each time they are used).
MAX_NODES = 2_000_000


class _Reader:
    """Walks the composed YAML (so every value keeps its line) into :class:`GlossaryTerm` rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = 0

    def fail(self, node: yaml.Node | None, message: str) -> ReadError:
        if node is None:
            return ReadError(f"{self.path}: {message}")
        mark = node.start_mark
        return ReadError(f"{self.path}:{mark.line + 1}:{mark.column + 1}: {message}")

    def count(self, node: yaml.Node) -> None:
        self.seen += 1
        if self.seen > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES:,} values (aliases counted): not a glossary to import")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        self.count(node)
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} should be a mapping (key: value)")
        out: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[key.value] = value
        return out

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or _is_null(node):
            return []
        self.count(node)
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"{what} should be a list")
        return list(node.value)

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        if node is None or _is_null(node):
            return None
        self.count(node)
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} should be text")
        return from_datahub_literal(str(node.value))

    def terms(self, root: yaml.Node) -> Iterator[GlossaryTerm]:
        doc = self.mapping(root, "the glossary")
        if "nodes" not in doc and "terms" not in doc:
            raise self.fail(root, "no 'nodes' or 'terms': not a DataHub business glossary")
        yield from self._container(doc, None)

    def _container(self, doc: dict[str, yaml.Node], entity: str | None) -> Iterator[GlossaryTerm]:
        for node in self.sequence(doc.get("nodes"), "nodes"):
            fields = self.mapping(node, "a node")
            props = self._properties(fields.get("custom_properties"))
            name = self.text(fields.get("name"), "a node's name")
            if name is None:
                raise self.fail(node, "a node without a name")
            inner = props.get(ID_KEY) if props.get(KIND_KEY) == ENTITY_KIND else None
            yield from self._container(fields, inner or name)
        for node in self.sequence(doc.get("terms"), "terms"):
            yield self._term(node, entity)

    def _properties(self, node: yaml.Node | None) -> dict[str, str]:
        if node is None or _is_null(node):
            return {}
        return {
            k: self.text(v, f"custom property {k!r}") or "" for k, v in self.mapping(node, "custom_properties").items()
        }

    def _owners(self, node: yaml.Node | None) -> list[str]:
        if node is None or _is_null(node):
            return []
        blocks = self.sequence(node, "owners") if isinstance(node, yaml.SequenceNode) else [node]
        people = []
        for block in blocks:
            fields = self.mapping(block, "owners")
            for key in ("users", "groups"):
                for person in self.sequence(fields.get(key), f"owners' {key}"):
                    text = self.text(person, "an owner")
                    if text:
                        people.append(_unurn(text))
        return people

    def _term(self, node: yaml.Node, entity: str | None) -> GlossaryTerm:
        fields = self.mapping(node, "a term")
        name = self.text(fields.get("name"), "a term's name")
        if not name:
            raise self.fail(node, "a term without a name")
        props = self._properties(fields.get("custom_properties"))
        return GlossaryTerm(
            source=Source(self.path.name, row=node.start_mark.line + 1),
            name=name,
            needsmap_id=props.get(ID_KEY) or None,
            kind=props.get(KIND_KEY) or None,
            definition=self.text(fields.get("description"), "a term's description") or None,
            owners=self._owners(fields.get("owners")),
            synonyms=_list_property(props.get("synonyms")),
            entity=entity,
        )


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _unurn(text: str) -> str:
    """``urn:li:corpuser:sanne`` -> ``sanne`` (DataHub's reserved characters decoded)."""
    for prefix in ("urn:li:corpuser:", "urn:li:corpGroup:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            for code, ch in (("%2C", ","), ("%28", "("), ("%29", ")"), ("%E2%90%9F", "\u241f"), ("%25", "%")):
                text = text.replace(code, ch)
            break
    return text


def _list_property(text: str | None) -> list[str]:
    """A list custom property: the JSON list needsmap writes, or items separated by ``;`` as people type them."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [part.strip() for part in text.split(";") if part.strip()]


def read_terms(path: Path) -> list[GlossaryTerm]:
    """The terms of a DataHub business-glossary YAML file; bad input raises a located :class:`ReadError`."""
    text = read_import_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ReadError(f"{where}: not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise ReadError(f"{path}: not valid YAML: {exc}") from exc
    if root is None:
        raise ReadError(f"{path}:1:1: the file is empty: give a DataHub business glossary")
    return list(_Reader(path).terms(root))


def read(ws: m.Workshop, path: Path) -> ImportPlan:
    """``needsmap import glossary``: a DataHub YAML glossary (``.yaml``, ``.yml``) or OpenMetadata CSV (``.csv``)."""
    if path.suffix.lower() == ".csv":
        terms = openmetadata_glossary.read_terms(path)
    elif path.suffix.lower() in (".yaml", ".yml"):
        terms = read_terms(path)
    else:
        raise ReadError(f"{path}: give a DataHub glossary (.yaml, .yml) or an OpenMetadata glossary (.csv)")
    return plan_terms(ws, str(path), terms)


#: ``needsmap import glossary``: both glossary formats, told apart by the file's suffix.
IMPORT = ImportFormat(
    name="glossary",
    title="a business glossary: DataHub YAML (.yaml, .yml) or OpenMetadata CSV (.csv)",
    suffixes=(".yaml", ".yml", ".csv"),
    read=read,
)
