"""The workshop domain model (format v1), as plain typed dataclasses.

Why dataclasses and not attrs: the model is a passive record of what a file
says.  Checking it is the validator's job, which must report *every* problem
with its location instead of raising at the first one, so per-field
validators at construction time (attrs' strength) would be the wrong tool.
Standard-library dataclasses with ``slots=True`` are fast to build (the loader
creates tens of thousands of them for an enterprise workshop), small in
memory, need no dependency, and are understood by every type checker.

Presence semantics: optional fields hold ``None`` when the file does not state
them, so that saving writes back exactly what the user wrote and nothing they
did not.  The defaults the analysis applies are in ``effective_*`` properties
and in :data:`DEFAULT_FUNCTIONS` / :data:`DEFAULT_CHANNELS` / :class:`Settings`.

Every item carries ``loc``: where it came from in the file (``None`` for items
created in memory).  ``loc`` never takes part in equality.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Literal, cast

FORMAT_VERSION = 1

Level = Literal["low", "medium", "high"]
AttrType = Literal[
    "string",
    "text",
    "integer",
    "decimal",
    "money",
    "boolean",
    "date",
    "datetime",
    "email",
    "phone",
    "url",
    "enum",
    "country",
    "currency",
    "id",
]
Sensitivity = Literal["none", "personal", "sensitive"]
Role = Literal["master", "copy", "derived"]
Freshness = Literal["realtime", "hourly", "daily", "weekly", "monthly", "unknown"]
Criticality = Literal["must", "should", "could"]
Horizon = Literal["now", "next", "later"]
UseCaseStatus = Literal["proposed", "agreed", "rejected", "done"]
NoteKind = Literal["question", "decision", "risk", "idea", "parking"]
NoteStatus = Literal["open", "closed"]
Cardinality = Literal["1-1", "1-n", "n-m", "none"]
OptionStyle = Literal["registry", "consolidation", "coexistence", "increments", "custom"]
OptionStatus = Literal["proposed", "shortlisted", "chosen", "rejected"]
WorkKind = Literal[
    "feed", "capture", "master", "owner", "identifier", "system_change", "hub", "cleanse", "decision", "other"
]
LawfulBasis = Literal["consent", "contract", "legal-obligation", "vital-interest", "public-task", "legitimate-interest"]
IdentifiesKind = Literal["person", "household", "organization", "contract", "device", "account"]

LEVELS: tuple[Level, ...] = ("low", "medium", "high")
ATTR_TYPES: tuple[AttrType, ...] = (
    "string",
    "text",
    "integer",
    "decimal",
    "money",
    "boolean",
    "date",
    "datetime",
    "email",
    "phone",
    "url",
    "enum",
    "country",
    "currency",
    "id",
)
SENSITIVITIES: tuple[Sensitivity, ...] = ("none", "personal", "sensitive")
ROLES: tuple[Role, ...] = ("master", "copy", "derived")
FRESHNESS: tuple[Freshness, ...] = ("realtime", "hourly", "daily", "weekly", "monthly", "unknown")
#: Rank of each known freshness, fastest first; ``unknown`` has no rank.
FRESHNESS_RANK: dict[str, int] = {f: i for i, f in enumerate(FRESHNESS[:-1])}
CRITICALITIES: tuple[Criticality, ...] = ("must", "should", "could")
HORIZONS: tuple[Horizon, ...] = ("now", "next", "later")
USE_CASE_STATUSES: tuple[UseCaseStatus, ...] = ("proposed", "agreed", "rejected", "done")
NOTE_KINDS: tuple[NoteKind, ...] = ("question", "decision", "risk", "idea", "parking")
NOTE_STATUSES: tuple[NoteStatus, ...] = ("open", "closed")
CARDINALITIES: tuple[Cardinality, ...] = ("1-1", "1-n", "n-m", "none")
OPTION_STYLES: tuple[OptionStyle, ...] = ("registry", "consolidation", "coexistence", "increments", "custom")
OPTION_STATUSES: tuple[OptionStatus, ...] = ("proposed", "shortlisted", "chosen", "rejected")
WORK_KINDS: tuple[WorkKind, ...] = (
    "feed",
    "capture",
    "master",
    "owner",
    "identifier",
    "system_change",
    "hub",
    "cleanse",
    "decision",
    "other",
)

#: The lawful bases of GDPR Art. 6(1), (a) to (f): the one a use case processes personal data on.
LAWFUL_BASES: tuple[LawfulBasis, ...] = (
    "consent",
    "contract",
    "legal-obligation",
    "vital-interest",
    "public-task",
    "legitimate-interest",
)
#: What an identifier can identify (an attribute's ``identifies``).
IDENTIFIES_KINDS: tuple[IdentifiesKind, ...] = ("person", "household", "organization", "contract", "device", "account")
#: The kinds of ``identifies`` that recognise a person: only these link a person's data across systems.
PERSON_LEVEL: tuple[IdentifiesKind, ...] = ("person",)
#: What ``identifier: true`` means when ``identifies`` is absent.
DEFAULT_IDENTIFIES: IdentifiesKind = "person"
#: The documented purposes of processing; ``settings.purposes`` adds to them.
DEFAULT_PURPOSES: tuple[str, ...] = (
    "marketing",
    "personalisation",
    "service",
    "contract",
    "billing",
    "fraud",
    "analytics",
    "legal-obligation",
)
#: The entity of consent attributes: only they say which ``purposes`` and ``channels`` they cover.
CONSENT_ENTITY = "consent"

DEFAULT_FUNCTIONS: tuple[str, ...] = (
    "marketing",
    "sales",
    "service",
    "it",
    "data",
    "finance",
    "legal",
    "operations",
    "cx",
    "product",
)
DEFAULT_CHANNELS: tuple[str, ...] = (
    "web",
    "app",
    "email",
    "sms",
    "store",
    "call_center",
    "field_sales",
    "chat",
    "social",
    "post",
)
#: Outbound channels on which marketing needs consent (settings.marketing_channels).
DEFAULT_MARKETING_CHANNELS: tuple[str, ...] = ("email", "sms", "app", "post", "social", "call_center")
DEFAULT_MIN_QUALITY = 3
DEFAULT_MIN_COVERAGE = 0.5
DEFAULT_ENTITY = "customer"
DEFAULT_TYPE = "string"
#: Effort points of one work item of each kind, when neither it nor settings.roadmap.effort says.
DEFAULT_EFFORT: dict[str, float] = {
    "feed": 3,
    "capture": 2,
    "master": 2,
    "owner": 1,
    "identifier": 3,
    "system_change": 5,
    "hub": 8,
    "cleanse": 2,
    "decision": 1,
    "other": 2,
}
#: Urgency added to a use case's value by its horizon (absent horizon counts as "later").
DEFAULT_URGENCY: dict[str, float] = {"now": 3, "next": 1, "later": 0}
DEFAULT_WAVE_CAPACITY = 10.0
DEFAULT_WAVE_LENGTH = "quarter"


class Loc(dict[str, tuple[int, int] | list[tuple[int, int]]]):
    """Where an item and its fields sit in the file: ``""`` is the item itself, other keys are field
    names; list fields map to one position per element.

    Filled while the file is read and never changed afterwards, so a copy of an item shares it:
    deep-copying an edited system of a thousand holdings then copies the holdings, not a thousand
    position tables.
    """

    __slots__ = ()

    def __copy__(self) -> Loc:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Loc:
        return self


def _loc() -> Loc | None:
    return field(default=None, compare=False, repr=False)


def _empty_list() -> Any:
    """``field(default_factory=list)`` for a class that has a field called ``field`` (it hides the function)."""
    return field(default_factory=list)


def loc_position(loc: Loc | None, key: str = "", index: int | None = None) -> tuple[int, int] | None:
    """Where field ``key`` sits (element ``index`` of a list field), else where the item sits.

    ``key=""`` asks for the item itself.  ``None`` when nothing is known (an item built in
    code or in the terminal UI and never loaded from a file).
    """
    if not loc:
        return None
    whole = loc.get("")
    item_pos = whole if isinstance(whole, tuple) else None
    value = loc.get(key) if key else whole
    if isinstance(value, list):
        if index is not None and index < len(value):
            return value[index]
        return value[0] if value else item_pos
    return value if value is not None else item_pos


@dataclass(slots=True)
class WorkshopInfo:
    name: str = ""
    organization: str | None = None
    dates: list[_dt.date] = field(default_factory=list)
    facilitator: str | None = None
    scope: str | None = None
    loc: Loc | None = _loc()


@dataclass(slots=True)
class EffortWeights:
    """Effort points per kind of roadmap work item; ``None`` means "use the default"."""

    feed: float | None = None
    capture: float | None = None
    master: float | None = None
    owner: float | None = None
    identifier: float | None = None
    system_change: float | None = None
    hub: float | None = None
    cleanse: float | None = None
    decision: float | None = None
    other: float | None = None
    loc: Loc | None = _loc()


@dataclass(slots=True)
class UrgencyWeights:
    """How much a use case's horizon adds to the value of unlocking it; ``None``: the default."""

    now: float | None = None
    next: float | None = None
    later: float | None = None
    loc: Loc | None = _loc()


@dataclass(slots=True)
class RoadmapSettings:
    """How roadmap options are phased and ranked; ``None`` means "use the default"."""

    wave_capacity: float | None = None
    wave_length: str | None = None
    first_wave: str | None = None
    effort: EffortWeights | None = None
    urgency: UrgencyWeights | None = None
    loc: Loc | None = _loc()

    @property
    def effective_wave_capacity(self) -> float:
        return DEFAULT_WAVE_CAPACITY if self.wave_capacity is None else float(self.wave_capacity)

    @property
    def effective_wave_length(self) -> str:
        return self.wave_length or DEFAULT_WAVE_LENGTH

    def effort_of(self, kind: str) -> float:
        """Effort points of a work item of ``kind`` that states none."""
        stated = getattr(self.effort, kind, None) if self.effort is not None else None
        return float(DEFAULT_EFFORT.get(kind, DEFAULT_EFFORT["other"]) if stated is None else stated)

    def urgency_of(self, horizon: str | None) -> float:
        """Urgency of a use case with ``horizon`` (``None`` counts as "later")."""
        key = horizon or "later"
        stated = getattr(self.urgency, key, None) if self.urgency is not None else None
        return float(DEFAULT_URGENCY[key] if stated is None else stated)


@dataclass(slots=True)
class Settings:
    """Thresholds for the analysis; ``None`` means "use the default"."""

    min_quality: int | None = None
    min_coverage: float | None = None
    marketing_channels: list[str] | None = None
    purposes: list[str] | None = None
    roadmap: RoadmapSettings | None = None
    loc: Loc | None = _loc()

    @property
    def effective_roadmap(self) -> RoadmapSettings:
        return self.roadmap if self.roadmap is not None else RoadmapSettings()

    @property
    def effective_min_quality(self) -> int:
        return DEFAULT_MIN_QUALITY if self.min_quality is None else self.min_quality

    @property
    def effective_min_coverage(self) -> float:
        return DEFAULT_MIN_COVERAGE if self.min_coverage is None else self.min_coverage

    @property
    def effective_marketing_channels(self) -> tuple[str, ...]:
        if self.marketing_channels is None:
            return DEFAULT_MARKETING_CHANNELS
        return tuple(self.marketing_channels)

    @property
    def effective_purposes(self) -> tuple[str, ...]:
        """The documented purposes, then those ``purposes`` adds (each once, in that order)."""
        if not self.purposes:
            return DEFAULT_PURPOSES
        return tuple(dict.fromkeys((*DEFAULT_PURPOSES, *self.purposes)))


@dataclass(slots=True)
class Stakeholder:
    id: str
    name: str = ""
    role: str | None = None
    function: str | None = None
    influence: Level | None = None
    interest: Level | None = None
    notes: str | None = None
    loc: Loc | None = _loc()


@dataclass(slots=True)
class Attribute:
    id: str
    name: str = ""
    entity: str | None = None
    type: AttrType | None = None
    values: list[str] = field(default_factory=list)
    definition: str | None = None
    identifier: bool | None = None
    identifies: IdentifiesKind | None = None
    purposes: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    sensitivity: Sensitivity | None = None
    special_category: bool | None = None
    owner: str | None = None
    synonyms: list[str] = field(default_factory=list)
    loc: Loc | None = _loc()

    @property
    def effective_entity(self) -> str:
        return self.entity or DEFAULT_ENTITY

    @property
    def effective_type(self) -> str:
        return self.type or DEFAULT_TYPE

    @property
    def effective_identifies(self) -> IdentifiesKind | None:
        """What the attribute identifies, or None when it is no identifier.

        ``identifies`` when stated; otherwise ``identifier: true`` means a person
        (:data:`DEFAULT_IDENTIFIES`), as files written before ``identifies`` existed say it.
        ``identifier: false`` with ``identifies`` is a contradiction the validator reports;
        ``identifies`` is taken then, as the more precise of the two.
        """
        if self.identifies is not None:
            return self.identifies
        return DEFAULT_IDENTIFIES if self.identifier else None

    @property
    def is_identifier(self) -> bool:
        """True when the attribute identifies something (``identifier: true`` or any ``identifies``)."""
        return self.effective_identifies is not None

    @property
    def identifies_person(self) -> bool:
        """True when it identifies a person (:data:`PERSON_LEVEL`): a key that links a person's data."""
        return self.effective_identifies in PERSON_LEVEL

    @property
    def is_special_category(self) -> bool:
        """Special-category data of GDPR Art. 9 (health, religion, ethnicity, biometrics...)."""
        return bool(self.special_category)

    @property
    def is_consent(self) -> bool:
        return self.effective_entity == CONSENT_ENTITY

    @property
    def effective_sensitivity(self) -> str:
        """``sensitivity``, default ``none``; special-category data is always ``sensitive``."""
        if self.special_category:
            return "sensitive"
        return self.sensitivity or "none"


@dataclass(slots=True)
class Holding:
    attribute: str
    field: str | None = None
    role: Role | None = None
    derived_from: list[str] = _empty_list()
    quality: int | None = None
    freshness: Freshness | None = None
    coverage: float | None = None
    definition: str | None = None
    type: AttrType | None = None
    loc: Loc | None = _loc()

    @property
    def effective_role(self) -> str:
        return self.role or "copy"

    @property
    def is_computing_source(self) -> bool:
        """True for a derived value (``role: derived``): this holding computes it, so it is the value's
        source (its inputs in ``derived_from``), and the value needs no master elsewhere."""
        return self.role == "derived"

    @property
    def effective_freshness(self) -> str:
        return self.freshness or "unknown"

    def is_short(self) -> bool:
        """True when the holding can be written as a bare attribute id."""
        return (
            self.field is None
            and self.role is None
            and not self.derived_from
            and self.quality is None
            and self.freshness is None
            and self.coverage is None
            and self.definition is None
            and self.type is None
        )


@dataclass(slots=True)
class Feed:
    to: str
    attributes: list[str] = field(default_factory=list)
    frequency: Freshness | None = None
    loc: Loc | None = _loc()

    @property
    def effective_frequency(self) -> str:
        return self.frequency or "unknown"


@dataclass(slots=True)
class System:
    id: str
    name: str = ""
    kind: str | None = None
    supplier: str | None = None
    owner: str | None = None
    holds: list[Holding] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)
    loc: Loc | None = _loc()


@dataclass(slots=True)
class Need:
    attribute: str
    criticality: Criticality | None = None
    freshness: Freshness | None = None
    purpose: str | None = None
    loc: Loc | None = _loc()

    @property
    def effective_criticality(self) -> str:
        return self.criticality or "must"

    @property
    def effective_freshness(self) -> str:
        return self.freshness or "unknown"

    def is_short(self) -> bool:
        """True when the need can be written as a bare attribute id."""
        return self.criticality is None and self.freshness is None and self.purpose is None


@dataclass(slots=True)
class UseCase:
    id: str
    title: str = ""
    description: str | None = None
    owner: str | None = None
    function: str | None = None
    channels: list[str] = field(default_factory=list)
    purpose: str | None = None
    lawful_basis: LawfulBasis | None = None
    value: int | None = None
    effort: int | None = None
    horizon: Horizon | None = None
    status: UseCaseStatus | None = None
    executes_in: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    loc: Loc | None = _loc()

    @property
    def effective_status(self) -> str:
        return self.status or "proposed"


@dataclass(slots=True)
class Step:
    name: str
    actor: str | None = None
    channel: str | None = None
    system: str | None = None
    creates: list[str] = field(default_factory=list)
    reads: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    loc: Loc | None = _loc()


@dataclass(slots=True)
class Process:
    id: str
    name: str = ""
    owner: str | None = None
    description: str | None = None
    steps: list[Step] = field(default_factory=list)
    loc: Loc | None = _loc()


@dataclass(slots=True)
class Note:
    id: str
    kind: NoteKind | None = None
    text: str = ""
    about: list[str] = field(default_factory=list)
    by: str | None = None
    status: NoteStatus | None = None
    loc: Loc | None = _loc()

    @property
    def effective_kind(self) -> str:
        return self.kind or "question"

    @property
    def effective_status(self) -> str:
        return self.status or "open"


@dataclass(slots=True)
class Relationship:
    """A relationship between two entities of the model draft (overrides or adds to the defaults)."""

    parent: str
    child: str
    cardinality: Cardinality | None = None
    required: bool | None = None
    name: str | None = None
    note: str | None = None
    loc: Loc | None = _loc()

    @property
    def effective_cardinality(self) -> str:
        return self.cardinality or "1-n"


@dataclass(slots=True)
class ModelSection:
    """The optional ``model:`` section: how the model draft relates entities."""

    default_relationships: bool | None = None
    relationships: list[Relationship] = field(default_factory=list)
    loc: Loc | None = _loc()

    @property
    def uses_default_relationships(self) -> bool:
        return self.default_relationships is None or self.default_relationships


@dataclass(slots=True)
class WorkItem:
    """One piece of work of a roadmap option."""

    id: str
    kind: WorkKind | None = None
    title: str = ""
    attribute: str | None = None
    system: str | None = None
    to: str | None = None
    use_cases: list[str] = field(default_factory=list)
    effort: float | None = None
    depends_on: list[str] = field(default_factory=list)
    wave: int | None = None
    loc: Loc | None = _loc()

    @property
    def effective_kind(self) -> str:
        return self.kind or "other"


@dataclass(slots=True)
class Option:
    """A strategic option: generated by ``needsmap roadmap --accept`` or written by the workshop."""

    id: str
    title: str = ""
    style: OptionStyle | None = None
    status: OptionStatus | None = None
    description: str | None = None
    work_items: list[WorkItem] = field(default_factory=list)
    loc: Loc | None = _loc()

    @property
    def effective_style(self) -> str:
        return self.style or "custom"

    @property
    def effective_status(self) -> str:
        return self.status or "proposed"


@dataclass(slots=True)
class Vote:
    """A stakeholder's score (1..5) for an option."""

    stakeholder: str
    option: str
    score: int = 0
    comment: str | None = None
    loc: Loc | None = _loc()


@dataclass(slots=True)
class Conflict:
    """A merge conflict recorded by ``needsmap merge-driver`` (see docs/collaboration.md).

    ``base``/``ours``/``theirs`` are the values as YAML text (None: not set, or no such item).
    """

    section: str
    id: str | None = None
    field: str | None = None
    kept: Literal["ours", "theirs"] | None = None
    base: str | None = None
    ours: str | None = None
    theirs: str | None = None
    loc: Loc | None = _loc()


#: The sections holding items with ids, in file order.
ITEM_SECTIONS: tuple[str, ...] = (
    "stakeholders",
    "attributes",
    "systems",
    "use_cases",
    "processes",
    "notes",
    "options",
)
#: The item sections every saved file shows, even when empty (``options`` appear once there are some).
CORE_SECTIONS: tuple[str, ...] = ITEM_SECTIONS[:6]


@dataclass(slots=True)
class Workshop:
    """One workshop file.

    ``functions``/``channels``/``settings`` are ``None`` when the file does not
    state them; use :attr:`function_ids`, :attr:`channel_ids` and
    :attr:`effective_settings` to read them with defaults applied.
    ``header`` is the comment block at the top of the file, kept on save.
    """

    needsmap: int = FORMAT_VERSION
    workshop: WorkshopInfo = field(default_factory=WorkshopInfo)
    settings: Settings | None = None
    functions: list[str] | None = None
    channels: list[str] | None = None
    stakeholders: list[Stakeholder] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    use_cases: list[UseCase] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    model: ModelSection | None = None
    options: list[Option] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    header: str = ""
    loc: Loc | None = _loc()

    @property
    def function_ids(self) -> tuple[str, ...]:
        return DEFAULT_FUNCTIONS if self.functions is None else tuple(self.functions)

    @property
    def channel_ids(self) -> tuple[str, ...]:
        return DEFAULT_CHANNELS if self.channels is None else tuple(self.channels)

    @property
    def effective_settings(self) -> Settings:
        return self.settings if self.settings is not None else Settings()

    @property
    def purpose_ids(self) -> tuple[str, ...]:
        """The purposes a use case or a consent may name: the documented ones and ``settings.purposes``."""
        return self.effective_settings.effective_purposes

    def section(self, name: str) -> list[Any]:
        """The item list of a section by its key (``"use_cases"``...).

        Typed ``list[Any]``: each section holds its own item class and the callers (the
        session, the forms) handle items generically by section name.
        """
        if name not in ITEM_SECTIONS:
            raise KeyError(name)
        # getattr with a name known only at run time: mypy cannot see it is one of the lists.
        return cast("list[Any]", getattr(self, name))
