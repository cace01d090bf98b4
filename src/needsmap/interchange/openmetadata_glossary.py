"""OpenMetadata glossary: the CSV OpenMetadata's glossary import reads (``PUT /v1/glossaries/name/{name}/import``,
or *Import* on a glossary's page), with the columns of OpenMetadata 1.5 and 1.6
(``json/data/glossary/glossaryCsvDocumentation.json``)::

    parent,name*,displayName,description,synonyms,relatedTerms,references,tags,reviewers,owner,glossaryStatus,extension

A term per entity, and under it a term per attribute. A term's ``name`` is needsmap's id (made portable
when needed), so importing a later export updates the same terms; its ``displayName`` the attribute's name.
The glossary itself must exist before its terms are imported: it is called :func:`glossary_name` of the
workshop, and ``parent`` names terms by their fully qualified name inside it. The ``extension`` column
carries needsmap's ids as the custom properties ``needsmap_id`` and ``needsmap_kind`` (two *string* custom
properties of *Glossary Term*, created once in OpenMetadata's settings).

The file is RFC 4180 CSV (CRLF line ends, a field quoted when it holds a comma, a quote or a line break);
the lists inside a field are separated by ``;``, an element holding ``;``, ``,`` or a quote is quoted the
same way. A field that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is written after an apostrophe, which :func:`read_terms` takes off again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from needsmap.format.naming import slug
from needsmap.imports.plan import Source
from needsmap.interchange.base import (
    ID_KEY,
    KIND_KEY,
    ExportFiles,
    ExportFormat,
    ExportInput,
    ExportOptions,
    ReadError,
    read_import_text,
)
from needsmap.interchange.facts import AttributeFacts
from needsmap.interchange.glossary_read import ATTRIBUTE_KIND, ENTITY_KIND, GlossaryTerm, portable_id

#: The header, exactly as OpenMetadata writes and checks it (a required column ends with ``*``).
HEADER: tuple[str, ...] = (
    "parent",
    "name*",
    "displayName",
    "description",
    "synonyms",
    "relatedTerms",
    "references",
    "tags",
    "reviewers",
    "owner",
    "glossaryStatus",
    "extension",
)
#: OpenMetadata's PII classification, from the attribute's sensitivity.
PII_TAGS = {"none": "PII.None", "personal": "PII.NonSensitive", "sensitive": "PII.Sensitive"}

# -- the text of a field ------------------------------------------------------------------------------
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def cell(text: str) -> str:
    """A field a spreadsheet shows as text: one that would start a formula gets an apostrophe in front
    (also one that already starts with apostrophes before such a character, so reading back is exact)."""
    return "'" + text if _FORMULA.match(text) else text


def uncell(text: str) -> str:
    """The value :func:`cell` wrote."""
    return text[1:] if _NEUTRALISED.match(text) else text


def field_list(values: Iterable[str]) -> str:
    """Elements separated by ``;``; one holding ``;``, ``,``, a quote or a line break is quoted (``"a;b"``)."""
    out = []
    for value in values:
        if any(c in value for c in ';,"\r\n'):
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return ";".join(out)


def split_list(text: str) -> list[str]:
    """The elements of a ``;``-separated field (:func:`field_list`), quoted ones unquoted."""
    if not text:
        return []
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    return [v for row in rows for v in row if v != ""]


def fqn(*names: str) -> str:
    """OpenMetadata's fully qualified name: names joined by ``.``, a name holding a dot in quotes."""
    return ".".join(f'"{n}"' if "." in n else n for n in names)


def fqn_parts(name: str) -> list[str]:
    """The names of a fully qualified name (:func:`fqn`), quotes taken off."""
    if not name:
        return []
    return next(csv.reader([name], delimiter=".", quotechar='"'))


def glossary_name(workshop_name: str) -> str:
    """The OpenMetadata glossary the terms go into: the workshop's name as a slug (``needsmap`` when it has none)."""
    name = slug(workshop_name)
    if len(name) > 64:
        name = name[:65].rsplit("-", 1)[0] if "-" in name[:65] else name[:64]
    return name.strip("-") or "needsmap"


def term_name(ident: str) -> str:
    """A term's ``name`` (its part of the fully qualified name): needsmap's id, without dots, bounded."""
    return portable_id(ident, dots=False)


# -- export -------------------------------------------------------------------------------------------
def _extension(ident: str, kind: str) -> str:
    return field_list([f"{ID_KEY}:{ident}", f"{KIND_KEY}:{kind}"])


def _row(
    parent: str,
    name: str,
    display: str,
    description: str,
    *,
    synonyms: Iterable[str] = (),
    related: Iterable[str] = (),
    tags: Iterable[str] = (),
    reviewers: Iterable[str] = (),
    owner: str | None = None,
    status: str = "Draft",
    extension: str = "",
) -> list[str]:
    row = [
        parent,
        name,
        display,
        description,
        field_list(synonyms),
        field_list(related),
        "",
        field_list(tags),
        field_list(reviewers),
        field_list([f"user:{owner}"]) if owner else "",
        status,
        extension,
    ]
    return [cell(v) for v in row]


def rows(inp: ExportInput) -> list[list[str]]:
    """The CSV's rows after the header: each entity's term, then its attributes' terms."""
    facts = inp.facts
    glossary = glossary_name(facts.workshop)
    by_entity: dict[str, list[AttributeFacts]] = {}
    for a in facts.attributes.values():
        by_entity.setdefault(a.entity, []).append(a)
    entity_fqn = {e: fqn(glossary, term_name(e)) for e in by_entity}
    attr_fqn = {a.id: fqn(glossary, term_name(a.entity), term_name(a.id)) for a in facts.attributes.values()}
    derived: dict[str, list[str]] = {}
    for system in inp.workshop.systems:
        for h in system.holds:
            for source in h.derived_from:
                if source in attr_fqn and source != h.attribute and source not in derived.get(h.attribute, []):
                    derived.setdefault(h.attribute, []).append(source)
    out = []
    for entity, attrs in by_entity.items():
        out.append(
            _row(
                "",
                term_name(entity),
                entity,
                f"The {entity} attributes of the workshop {facts.workshop!r}",
                extension=_extension(entity, ENTITY_KIND),
            )
        )
        for a in attrs:
            reviewers = [n.owner for n in a.needs if n.owner and n.owner != a.owner]
            out.append(
                _row(
                    entity_fqn[entity],
                    term_name(a.id),
                    a.name,
                    a.definition or "",
                    synonyms=a.synonyms,
                    related=[attr_fqn[s] for s in derived.get(a.id, ())],
                    tags=[PII_TAGS.get(a.sensitivity, "PII.None")],
                    reviewers=list(dict.fromkeys(reviewers)),
                    owner=a.owner,
                    status="Approved" if a.definition and a.owner else "Draft",
                    extension=_extension(a.id, ATTRIBUTE_KIND),
                )
            )
    return out


def export(inp: ExportInput, options: ExportOptions) -> ExportFiles:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    writer.writerows(rows(inp))
    return {"glossary.csv": buffer.getvalue()}


EXPORT = ExportFormat(
    name="openmetadata-glossary",
    title="OpenMetadata glossary (CSV, its import columns): a term per entity, a term per attribute under it",
    folder=False,
    suffix=".csv",
    options=(),
    fields=(
        ("parent", "the entity's term (its fully qualified name in the glossary named after the workshop)"),
        ("name*", "the attribute's id (the entity's, for an entity's term), without dots: stable across exports"),
        ("displayName", "the attribute's name"),
        ("description", "the attribute's definition"),
        ("synonyms", "the attribute's synonyms"),
        ("relatedTerms", "the attributes a system derives it from (holdings' derived_from)"),
        ("tags", "PII.Sensitive, PII.NonSensitive or PII.None from the attribute's sensitivity"),
        ("reviewers", "the owners of the use cases that need it"),
        ("owner", "user:ID, the attribute owner's stakeholder id"),
        ("glossaryStatus", "Approved when it has a definition and an owner, else Draft"),
        (
            "extension",
            "needsmap_id:ID;needsmap_kind:attribute, the attribute's id (custom properties of Glossary Term)",
        ),
    ),
    export=export,
)


# -- import -------------------------------------------------------------------------------------------
def _owners(text: str) -> list[str]:
    """``user:sanne;team:crm`` (or OpenMetadata's older ``user;sanne``) -> ``['sanne', 'crm']``."""
    parts = split_list(text)
    if len(parts) == 2 and parts[0] in ("user", "team"):
        return [parts[1]]
    people = []
    for part in parts:
        kind, sep, name = part.partition(":")
        people.append(name if sep and kind in ("user", "team") else part)
    return [p for p in people if p]


def _extension_values(text: str) -> dict[str, str]:
    out = {}
    for part in split_list(text):
        key, sep, value = part.partition(":")
        if sep:
            out[key.strip()] = value
    return out


def read_terms(path: Path) -> list[GlossaryTerm]:
    """The terms of an OpenMetadata glossary CSV (columns found by their header); a term that is the parent
    of others is read as a group (an entity), not as an attribute. Bad input raises a located error."""
    text = read_import_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, [uncell(v) for v in record]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"{path}:{reader.line_num}:1: not valid CSV: {exc}") from exc
    if not records:
        raise ReadError(f"{path}:1:1: the file is empty: give an OpenMetadata glossary CSV")
    header = [h.strip().removesuffix("*") for h in records[0][1]]
    if "name" not in header:
        expected = ",".join(HEADER)
        raise ReadError(f"{path}:1:1: no 'name' column: not an OpenMetadata glossary CSV (its header is {expected})")
    column = {h: i for i, h in enumerate(header)}

    def get(row: list[str], name: str) -> str:
        i = column.get(name)
        return row[i] if i is not None and i < len(row) else ""

    glossary_rows = [(n, row) for n, row in records[1:] if any(v.strip() for v in row)]
    # a term's path inside the glossary: its parent's fully qualified name without the glossary, then its name
    paths: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {}
    parents: set[tuple[str, ...]] = set()
    for _, row in glossary_rows:
        parent = tuple(fqn_parts(get(row, "parent"))[1:])
        parents.add(parent)
        own = (*parent, get(row, "name").strip())
        paths[own] = (get(row, "displayName").strip() or own[-1], _extension_values(get(row, "extension")))
    terms = []
    for number, row in glossary_rows:
        name = get(row, "name").strip()
        if not name:
            raise ReadError(f"{path}:{number}:1: a term without a name (the name* column is empty)")
        ext = _extension_values(get(row, "extension"))
        parent = tuple(fqn_parts(get(row, "parent"))[1:])
        if ext.get(KIND_KEY) == ENTITY_KIND or (KIND_KEY not in ext and (*parent, name) in parents):
            continue  # a group of terms: the entity
        entity = None
        if parent:
            display, parent_ext = paths.get(parent, (parent[-1], {}))
            entity = parent_ext.get(ID_KEY) if parent_ext.get(KIND_KEY) == ENTITY_KIND else display
        terms.append(
            GlossaryTerm(
                source=Source(path.name, row=number),
                name=get(row, "displayName").strip() or name,
                needsmap_id=ext.get(ID_KEY) or None,
                kind=ext.get(KIND_KEY) or None,
                definition=get(row, "description") or None,
                owners=_owners(get(row, "owner")),
                synonyms=split_list(get(row, "synonyms")),
                entity=entity,
            )
        )
    return terms
