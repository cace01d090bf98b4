"""What the workshop knows of each attribute and each system, gathered once for every format.

Every export format says some of the same things: who needs an attribute and for which use case,
how fresh the strictest use case needs it, whether any use case cannot do without it, where it
lives and how good and fresh it is there, who owns it, how sensitive it is. They are worked out
here once, in people's words (names beside ids), so the formats only choose where to write them.
"""

from __future__ import annotations

from dataclasses import dataclass

from needsmap.format import model as m
from needsmap.format.naming import item_name

#: How old a value may be, in hours, for each freshness a use case can ask for. ``realtime`` is
#: read as "within the hour" wherever a tool needs a number (dbt's freshness, an ODCS SLA).
FRESHNESS_HOURS: dict[str, int] = {"realtime": 1, "hourly": 1, "daily": 24, "weekly": 24 * 7, "monthly": 24 * 31}


@dataclass(frozen=True, slots=True)
class NeedFact:
    """One use case's need of the attribute."""

    use_case: str
    use_case_name: str
    criticality: str  # must | should | could
    freshness: str  # realtime ... monthly | unknown
    purpose: str | None
    owner: str | None  # the use case's owner (a stakeholder id)
    owner_name: str | None


@dataclass(frozen=True, slots=True)
class HoldingFact:
    """Where the attribute lives in one system, and how well."""

    system: str
    system_name: str
    field: str | None  # the system's own field or column name
    role: str  # master | copy | derived
    quality: int | None  # 1..5
    freshness: str
    coverage: float | None  # 0..1
    definition: str | None  # the system's own definition, when it differs
    type: str | None


@dataclass(frozen=True, slots=True)
class AttributeFacts:
    id: str
    name: str
    entity: str
    type: str
    definition: str | None
    values: tuple[str, ...]
    sensitivity: str  # none | personal | sensitive
    special_category: bool
    identifier: bool
    owner: str | None  # a stakeholder id
    owner_name: str | None
    synonyms: tuple[str, ...]
    needs: tuple[NeedFact, ...]
    holdings: tuple[HoldingFact, ...]

    @property
    def critical(self) -> bool:
        """A use case cannot do without it (a must-need)."""
        return any(n.criticality == "must" for n in self.needs)

    @property
    def needed_freshness(self) -> str:
        """The strictest freshness any use case needs, or ``unknown``."""
        known = [n.freshness for n in self.needs if n.freshness in m.FRESHNESS_RANK]
        return min(known, key=m.FRESHNESS_RANK.__getitem__) if known else "unknown"

    @property
    def needed_by(self) -> tuple[str, ...]:
        """The use cases that need it, by name, in the workshop's order."""
        return tuple(n.use_case_name for n in self.needs)

    @property
    def master(self) -> HoldingFact | None:
        """The holding that is its master, if one says so."""
        return next((h for h in self.holdings if h.role == "master"), None)


@dataclass(frozen=True, slots=True)
class SystemFacts:
    id: str
    name: str
    kind: str | None
    supplier: str | None
    owner: str | None
    owner_name: str | None
    holdings: tuple[HoldingFact, ...]
    feeds_to: tuple[tuple[str, str, tuple[str, ...]], ...]  # (system id, its frequency, attribute ids)


@dataclass(frozen=True, slots=True)
class Facts:
    workshop: str  # the workshop's name
    organization: str | None
    attributes: dict[str, AttributeFacts]
    systems: dict[str, SystemFacts]
    people: dict[str, m.Stakeholder]
    use_cases: dict[str, m.UseCase]

    def person_name(self, ident: str | None) -> str | None:
        if ident is None:
            return None
        person = self.people.get(ident)
        return item_name(person) if person is not None else ident


def workshop_facts(ws: m.Workshop) -> Facts:
    """Gather the facts of every attribute and system of a workshop (valid or not: unknown ids are kept as ids)."""
    people = {p.id: p for p in ws.stakeholders}

    def person(ident: str | None) -> str | None:
        if ident is None:
            return None
        return item_name(people[ident]) if ident in people else ident

    needs: dict[str, list[NeedFact]] = {}
    use_cases = {uc.id: uc for uc in ws.use_cases}
    for uc in ws.use_cases:
        for need in uc.needs:
            needs.setdefault(need.attribute, []).append(
                NeedFact(
                    use_case=uc.id,
                    use_case_name=item_name(uc),
                    criticality=need.effective_criticality,
                    freshness=need.effective_freshness,
                    purpose=need.purpose or uc.purpose,
                    owner=uc.owner,
                    owner_name=person(uc.owner),
                )
            )
    holdings: dict[str, list[HoldingFact]] = {}
    systems: dict[str, SystemFacts] = {}
    for system in ws.systems:
        held = []
        for h in system.holds:
            fact = HoldingFact(
                system=system.id,
                system_name=item_name(system),
                field=h.field,
                role=h.effective_role,
                quality=h.quality,
                freshness=h.effective_freshness,
                coverage=h.coverage,
                definition=h.definition,
                type=h.type,
            )
            held.append(fact)
            holdings.setdefault(h.attribute, []).append(fact)
        systems[system.id] = SystemFacts(
            id=system.id,
            name=item_name(system),
            kind=system.kind,
            supplier=system.supplier,
            owner=system.owner,
            owner_name=person(system.owner),
            holdings=tuple(held),
            feeds_to=tuple((f.to, f.effective_frequency, tuple(f.attributes)) for f in system.feeds),
        )
    attributes = {
        a.id: AttributeFacts(
            id=a.id,
            name=item_name(a),
            entity=a.effective_entity,
            type=a.effective_type,
            definition=a.definition,
            values=tuple(a.values),
            sensitivity=a.effective_sensitivity,
            special_category=a.is_special_category,
            identifier=a.is_identifier,
            owner=a.owner,
            owner_name=person(a.owner),
            synonyms=tuple(a.synonyms),
            needs=tuple(needs.get(a.id, ())),
            holdings=tuple(holdings.get(a.id, ())),
        )
        for a in ws.attributes
    }
    return Facts(
        workshop=ws.workshop.name,
        organization=ws.workshop.organization,
        attributes=attributes,
        systems=systems,
        people=people,
        use_cases=use_cases,
    )
