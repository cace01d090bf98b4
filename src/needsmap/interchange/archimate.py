"""ArchiMate Open Exchange: the landscape as an ArchiMate 3.1 model any ArchiMate tool imports (Archi, BiZZdesign,
Sparx EA...), in The Open Group's exchange format (namespace ``http://www.opengroup.org/xsd/archimate/3.0/``).

Systems are application components, attributes data objects, use cases business services. A feed is a flow
between two components (one per pair of systems, named by the attributes it carries), a holding an access of
the component to the data object, a need an association of the service with the data object, and a system a
use case runs in serves the service. Every concept's ``identifier`` comes from needsmap's ids (an XML ID: a
prefix, the id made portable), so a second import into the same tool updates instead of adding twins; the
ids themselves travel as the properties ``needsmap_id`` and ``needsmap_kind``.

Only the model is written: no views (diagrams), which an ArchiMate tool draws from the model on request.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from needsmap.format.naming import item_name
from needsmap.interchange.base import ID_KEY, KIND_KEY, ExportFiles, ExportFormat, ExportInput, ExportOptions
from needsmap.interchange.glossary_read import portable_id
from needsmap.util.text import xml_safe

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Model.xsd"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The tree is built with plain names and the namespaces declared on the root (ElementTree writes a default
#: namespace only when every attribute is qualified too, and the exchange format's attributes are not).
_TYPE = "xsi:type"

#: needsmap's kinds of item, the ArchiMate element type each becomes, and its identifier's prefix.
ELEMENT_TYPES = {"system": "ApplicationComponent", "attribute": "DataObject", "use_case": "BusinessService"}
_PREFIX = {"system": "sys", "attribute": "attr", "use_case": "uc"}
#: The property definitions every element and relationship may carry, in this order.
PROPERTIES = (ID_KEY, KIND_KEY, "entity", "sensitivity", "kind", "supplier", "owner", "frequency", "attributes")

#: Characters XML 1.0 does not take (C0 controls but tab, line feed, carriage return): shown as U+FFFD.
_NOT_XML_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    """Workshop text as XML 1.0 holds it: the characters it cannot hold as U+FFFD (the rest is escaped on writing)."""
    return xml_safe(_NOT_XML_C0.sub("\ufffd", text))


def element_id(kind: str, ident: str) -> str:
    """The element's XML ID: ``id-sys-crm``; an id XML does not take as a name is slugged with a hash."""
    return f"id-{_PREFIX[kind]}-{portable_id(ident)}"


def relationship_id(kind: str, source: str, target: str) -> str:
    """A relationship's XML ID, fixed by what it joins: the same in every export of the workshop."""
    digest = hashlib.sha256(f"{kind}\0{source}\0{target}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"id-{kind.lower()}-{digest}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, lang: bool = True, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = xml_text(text)
        if lang:
            node.set(_LANG, "en")
    return node


class _Model:
    def __init__(self, name: str, documentation: str | None) -> None:
        self.root = ET.Element(
            "model",
            {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION, "identifier": "id-model"},
        )
        _sub(self.root, "name", name or "needsmap workshop")
        if documentation:
            _sub(self.root, "documentation", documentation)
        self.elements = ET.Element("elements")
        self.relationships = ET.Element("relationships")
        self.ids: set[str] = set()

    def _properties(self, parent: ET.Element, props: dict[str, str | None]) -> None:
        present = [(k, v) for k, v in props.items() if v]
        if present:
            holder = _sub(parent, "properties")
            for key, value in present:
                prop = _sub(holder, "property", propertyDefinitionRef=f"pd-{key}")
                _sub(prop, "value", value, lang=False)  # a value, not prose: no language

    def element(self, kind: str, ident: str, name: str, documentation: str | None, props: dict[str, str | None]) -> str:
        identifier = element_id(kind, ident)
        node = _sub(self.elements, "element", identifier=identifier)
        node.set(_TYPE, ELEMENT_TYPES[kind])
        _sub(node, "name", name)
        if documentation:
            _sub(node, "documentation", documentation)
        self._properties(node, {ID_KEY: ident, KIND_KEY: kind, **props})
        self.ids.add(identifier)
        return identifier

    def relationship(self, kind: str, source: str, target: str, name: str | None = None, **props: str | None) -> None:
        if source not in self.ids or target not in self.ids:
            return  # a reference to an item the workshop does not have (the validator reports it)
        identifier = relationship_id(kind, source, target)
        if identifier in self.ids:
            return
        self.ids.add(identifier)
        node = _sub(self.relationships, "relationship", identifier=identifier, source=source, target=target)
        node.set(_TYPE, kind)
        if name:
            _sub(node, "name", name)
        self._properties(node, props)

    def text(self) -> str:
        if len(self.elements):
            self.root.append(self.elements)
        if len(self.relationships):
            self.root.append(self.relationships)
        definitions = _sub(self.root, "propertyDefinitions")
        for key in PROPERTIES:
            definition = _sub(definitions, "propertyDefinition", identifier=f"pd-{key}", type="string")
            _sub(definition, "name", key)
        ET.indent(self.root)
        body = ET.tostring(self.root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _names(items: Iterable[str], limit: int = 12) -> str:
    names = list(items)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    ws = inp.workshop
    facts = inp.facts
    model = _Model(facts.workshop, ws.workshop.scope)
    for s in facts.systems.values():
        model.element("system", s.id, s.name, None, {"kind": s.kind, "supplier": s.supplier, "owner": s.owner_name})
    for a in facts.attributes.values():
        model.element(
            "attribute",
            a.id,
            a.name,
            a.definition,
            {"entity": a.entity, "sensitivity": a.sensitivity, "owner": a.owner_name},
        )
    for uc in ws.use_cases:
        owner = facts.person_name(uc.owner)
        model.element("use_case", uc.id, item_name(uc), uc.description or uc.purpose, {"owner": owner})

    attribute_names = {a.id: a.name for a in facts.attributes.values()}
    for s in facts.systems.values():
        source = element_id("system", s.id)
        carried: dict[str, tuple[list[str], list[str]]] = {}  # target -> (frequencies, attribute ids)
        for to, frequency, attributes in s.feeds_to:
            frequencies, ids = carried.setdefault(to, ([], []))
            frequencies.append(frequency)
            ids.extend(a for a in attributes if a not in ids)
        for to, (frequencies, ids) in carried.items():
            names = [attribute_names.get(a, a) for a in ids]
            model.relationship(
                "Flow",
                source,
                element_id("system", to),
                _names(names) or None,
                frequency=", ".join(dict.fromkeys(frequencies)),
                attributes=", ".join(ids),
            )
    for system in ws.systems:
        for h in system.holds:
            model.relationship("Access", element_id("system", system.id), element_id("attribute", h.attribute), h.field)
    for uc in ws.use_cases:
        service = element_id("use_case", uc.id)
        for need in uc.needs:
            label = f"needs ({need.effective_criticality}, {need.effective_freshness})"
            model.relationship("Association", service, element_id("attribute", need.attribute), label)
        for runs_in in uc.executes_in:
            model.relationship("Serving", element_id("system", runs_in), service)
    return {"landscape.xml": model.text()}


EXPORT = ExportFormat(
    name="archimate",
    title="ArchiMate Open Exchange (XML): systems, attributes, feeds and use cases as a landscape",
    folder=False,
    suffix=".xml",
    options=(),
    fields=(
        ("ApplicationComponent", "a system (name; properties: kind, supplier, owner)"),
        ("DataObject", "an attribute (name, definition as documentation; properties: entity, sensitivity, owner)"),
        ("BusinessService", "a use case (title, description or purpose as documentation; property: owner)"),
        ("Flow", "the feeds from one system to another (named by the attributes; properties: frequency, attributes)"),
        ("Access", "a system holds an attribute (named by the system's field)"),
        ("Association", "a use case needs an attribute (named by criticality and freshness)"),
        ("Serving", "a system a use case executes in serves it"),
        ("identifier", "id-sys-, id-attr-, id-uc- and the needsmap id (slugged with a hash when XML takes it not)"),
        ("properties needsmap_id / needsmap_kind", "needsmap's id and kind of item"),
    ),
    export=export,
)
