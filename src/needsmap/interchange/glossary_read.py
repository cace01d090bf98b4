"""What the two business-glossary formats share: stable term ids, and reading a glossary back into a workshop.

A glossary, whether DataHub's YAML or OpenMetadata's CSV, comes back as a list of :class:`GlossaryTerm`
(the term's needsmap id when it carries one, its name, definition, owners and synonyms, and where in the
file it stood); :func:`plan_terms` turns them into an :class:`~needsmap.imports.plan.ImportPlan` like every
other import: a term is matched to an attribute by its needsmap id first, then by name (or synonym); only
empty fields are filled, a value that differs is listed as a conflict, and a term the workshop does not
have is proposed as a new attribute. ``needsmap import glossary`` reads ``.yaml``/``.yml`` as DataHub and
``.csv`` as OpenMetadata (:data:`~needsmap.interchange.datahub_glossary.IMPORT`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key
from needsmap.imports.plan import ImportPlan, PlanBuilder, Source

#: An id every catalog takes as it is: the workshop's own id pattern (without dots, where dots separate names).
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_PLAIN_ID_NO_DOTS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")

#: The kinds of glossary entries needsmap writes (the value of ``base.KIND_KEY``).
ATTRIBUTE_KIND = "attribute"
ENTITY_KIND = "entity"


def portable_id(ident: str, limit: int = 100, *, dots: bool = True) -> str:
    """``ident`` when every catalog takes it as an id (letters, digits, ``_-`` and, with ``dots``, ``.``; at most
    ``limit`` characters), else a slug of it with a short hash of the whole, so two ids never meet and the same
    id always gives the same result."""
    if (_PLAIN_ID if dots else _PLAIN_ID_NO_DOTS).fullmatch(ident) and len(ident) <= limit:
        return ident
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "_-") else "_" for c in ident)
    stem = re.sub(r"_+", "_", stem).strip("_-")[: limit - 11] or "x"
    return f"{stem}-{digest}"


@dataclass(slots=True)
class GlossaryTerm:
    """One term read from a glossary file, in needsmap's words."""

    source: Source  # where it stood (file and line)
    name: str
    needsmap_id: str | None = None  # the attribute's id, when the term carries one (an export of needsmap's)
    kind: str | None = None  # needsmap's kind of item, when carried
    definition: str | None = None
    owners: list[str] = field(default_factory=list)  # people, as the file names them (ids or names)
    synonyms: list[str] = field(default_factory=list)
    entity: str | None = None  # the node (DataHub) or parent term (OpenMetadata) it sits in


def plan_terms(ws: m.Workshop, source: str, terms: Iterable[GlossaryTerm], notes: Iterable[str] = ()) -> ImportPlan:
    """What bringing ``terms`` into ``ws`` would change: matched by needsmap id, then by name; never overwritten."""
    builder = PlanBuilder(ws, source)
    builder.notes.extend(notes)
    for term in terms:
        if term.kind not in (None, ATTRIBUTE_KIND):
            continue  # an entity's own entry (its node or parent term): nothing of it is imported
        _plan_term(builder, term)
    return builder.plan()


def _owner(builder: PlanBuilder, term: GlossaryTerm, existing: m.Attribute | None) -> tuple[str | None, str]:
    """(stakeholder id, '') for the term's owner, or (None, why not) when it names nobody the workshop knows."""
    if not term.owners:
        return None, ""
    if existing is not None and existing.owner in term.owners:
        return existing.owner, ""  # the owner it already has (known to the workshop or not)
    unknown = []
    for text in term.owners:
        match = builder.lookup("stakeholders", text)
        if match.ident is not None:
            return match.ident, ""
        unknown.append(text)
    listed = ", ".join(repr(t) for t in unknown)
    return None, f"owner {listed} is not a stakeholder of the workshop: add them, then import again"


def _plan_term(builder: PlanBuilder, term: GlossaryTerm) -> None:
    existing: m.Attribute | None = None
    if term.needsmap_id:
        found = builder.find("attributes", ident=term.needsmap_id)
        if found.ident is not None:
            existing = builder.existing("attributes", found.ident)
    if existing is None:
        found = builder.lookup("attributes", term.name)
        if found.ident is None and found.candidates:
            builder.ambiguous(
                "attributes",
                term.needsmap_id or "",
                term.name,
                term.source,
                "the term's name fits more than one attribute: rename it or add its needsmap id",
                found.candidates,
            )
            return
        if found.ident is not None:
            existing = builder.existing("attributes", found.ident)
    owner, owner_problem = _owner(builder, term, existing)
    synonyms = _unique(s for s in term.synonyms if name_key(s) != name_key(term.name))
    if existing is None:
        ident = builder.new_id("attributes", term.name, preferred=term.needsmap_id)
        item = m.Attribute(
            ident,
            term.name,
            entity=term.entity or None,
            definition=term.definition or None,
            owner=owner,
            synonyms=synonyms,
        )
        builder.add("attributes", item, term.source, message="a term the workshop does not have")
    else:
        incoming = m.Attribute(
            existing.id,
            "" if name_key(term.name) == name_key(item_name(existing)) else term.name,
            definition=term.definition or None,
            owner=owner,
            synonyms=[s for s in synonyms if name_key(s) != name_key(item_name(existing))],
        )
        builder.merge("attributes", existing, incoming, term.source)
    if owner_problem:
        builder.ambiguous(
            "attributes", existing.id if existing else "", term.name, term.source, owner_problem, term.owners
        )


def _unique(texts: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for text in texts:
        key = name_key(text) or text
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out
