"""The shape of format v1, declared once.

The loader walks a file with these declarations, the JSON Schema is generated
from them (:mod:`needsmap.format.schema`), and the saver writes keys in their
order.  Adding a field means adding it here and to the dataclass in
:mod:`needsmap.format.model`; nothing else has to learn about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from needsmap.format import model as m

#: Pattern every id must match.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

#: Files bigger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Upper bound on YAML nodes the loader visits; YAML aliases count each time
#: they are expanded, so an "alias bomb" is refused instead of eating memory.
MAX_NODES = 5_000_000


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single value.

    kind: ``str`` (any text), ``id`` (an item id), ``ref`` (an id of another
    item, in section ``ref``), ``int``, ``number``, ``bool``, ``date``, ``enum``.
    """

    kind: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    ref: str | None = None
    multiline: bool = False


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Scalar | Record


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    shape: Scalar | ListOf | Record
    doc: str
    required: bool = False
    default: str | None = None  # the default, as documented (None: no default)

    @property
    def attr(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class Record:
    """A mapping that becomes one dataclass instance.

    ``short``: the field a bare scalar stands for (``- email`` in ``holds``).
    """

    name: str
    cls: type
    fields: tuple[Field, ...]
    doc: str
    short: str | None = None
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    @property
    def word(self) -> str:
        """What one of these is called in messages: ``"use case"``, ``"holding"``."""
        return self.name.replace("_", " ")


TEXT = Scalar("str")
LONG_TEXT = Scalar("str", multiline=True)
ID = Scalar("id")


def ref(section: str) -> Scalar:
    return Scalar("ref", ref=section)


def enum(choices: tuple[str, ...]) -> Scalar:
    return Scalar("enum", choices=choices)


FRESHNESS_DOC = "realtime | hourly | daily | weekly | monthly | unknown"
PURPOSES_DOC = ", ".join(m.DEFAULT_PURPOSES) + ", or one of settings.purposes"

#: The pseudo-section purposes refer to: the documented purposes and ``settings.purposes``
#: (:attr:`needsmap.format.model.Workshop.purpose_ids`), as ``channels`` names the channels.
PURPOSES = "purposes"

WORKSHOP_INFO = Record(
    "workshop",
    m.WorkshopInfo,
    (
        Field("name", TEXT, "Name of the workshop.", required=True),
        Field("organization", TEXT, "The organisation the workshop is for."),
        Field("dates", ListOf(Scalar("date")), "Workshop days, as YYYY-MM-DD."),
        Field("facilitator", TEXT, "Who runs the workshop."),
        Field("scope", LONG_TEXT, "What is in and out of scope."),
    ),
    "What the workshop is.",
)

EFFORT_WEIGHTS = Record(
    "effort",
    m.EffortWeights,
    tuple(
        Field(
            kind,
            Scalar("number", minimum=0),
            f"Effort points of one '{kind}' work item.",
            default=str(m.DEFAULT_EFFORT[kind]),
        )
        for kind in m.WORK_KINDS
    ),
    "Effort points per kind of work item (used when a work item states no effort).",
)

URGENCY_WEIGHTS = Record(
    "urgency",
    m.UrgencyWeights,
    tuple(
        Field(
            h,
            Scalar("number", minimum=0),
            f"Urgency added to the value of use cases with horizon '{h}'.",
            default=str(m.DEFAULT_URGENCY[h]),
        )
        for h in m.HORIZONS
    ),
    "Urgency by horizon, added to a use case's value when ranking work (weighted shortest job first).",
)

ROADMAP_SETTINGS = Record(
    "roadmap",
    m.RoadmapSettings,
    (
        Field(
            "wave_capacity",
            Scalar("number", minimum=0.1),
            "Effort points one wave can take.",
            default=str(m.DEFAULT_WAVE_CAPACITY),
        ),
        Field(
            "wave_length",
            TEXT,
            "What one wave is, as people say it (quarter, month, sprint...).",
            default=m.DEFAULT_WAVE_LENGTH,
        ),
        Field("first_wave", TEXT, "Label of the first wave, e.g. 2027-Q1 (absent: waves are numbered)."),
        Field("effort", EFFORT_WEIGHTS, "Effort points per kind of work item."),
        Field("urgency", URGENCY_WEIGHTS, "Urgency by horizon."),
    ),
    "How roadmap options are phased into waves and ranked.",
)

SETTINGS = Record(
    "settings",
    m.Settings,
    (
        Field(
            "min_quality",
            Scalar("int", minimum=1, maximum=5),
            "Holdings with a quality below this are low quality (1..5).",
            default=str(m.DEFAULT_MIN_QUALITY),
        ),
        Field(
            "min_coverage",
            Scalar("number", minimum=0, maximum=1),
            "Holdings filled for a smaller share of customers are low coverage (0..1).",
            default=str(m.DEFAULT_MIN_COVERAGE),
        ),
        Field(
            "marketing_channels",
            ListOf(ref("channels")),
            "Outbound channels on which personal data needs consent.",
            default="[" + ", ".join(m.DEFAULT_MARKETING_CHANNELS) + "]",
        ),
        Field(
            "purposes",
            ListOf(ID),
            "Purposes of processing beyond the documented ones (" + ", ".join(m.DEFAULT_PURPOSES) + "); "
            "use cases and consents may name them too.",
        ),
        Field("roadmap", ROADMAP_SETTINGS, "How roadmap options are phased and ranked."),
    ),
    "Thresholds used by the analysis and the roadmap.",
)

STAKEHOLDER = Record(
    "stakeholder",
    m.Stakeholder,
    (
        Field("id", ID, "Unique id of the stakeholder.", required=True),
        Field("name", TEXT, "Full name.", required=True),
        Field("role", TEXT, "Job title or role in the programme."),
        Field("function", ref("functions"), "Business function, one of `functions`."),
        Field("influence", enum(m.LEVELS), "Influence on the programme: low | medium | high."),
        Field("interest", enum(m.LEVELS), "Interest in the programme: low | medium | high."),
        Field("notes", LONG_TEXT, "Free text."),
    ),
    "A person taking part in or affected by the programme.",
)

ATTRIBUTE = Record(
    "attribute",
    m.Attribute,
    (
        Field("id", ID, "Unique id of the attribute.", required=True),
        Field("name", TEXT, "Business name.", required=True),
        Field(
            "entity",
            TEXT,
            "What it describes: customer, organization, household, contact_point, address, "
            "consent, identifier, interaction, order, preference, or another slug.",
            default=m.DEFAULT_ENTITY,
        ),
        Field("type", enum(m.ATTR_TYPES), "Data type.", default=m.DEFAULT_TYPE),
        Field("values", ListOf(TEXT), "Allowed values, only for type enum."),
        Field("definition", LONG_TEXT, "What the business means by it."),
        Field(
            "identifier",
            Scalar("bool"),
            "Can identify a customer across systems; without 'identifies', true means it identifies a person.",
            default="false",
        ),
        Field(
            "identifies",
            enum(m.IDENTIFIES_KINDS),
            "What kind of thing it identifies: " + " | ".join(m.IDENTIFIES_KINDS) + " (makes it an identifier).",
        ),
        Field(
            "purposes",
            ListOf(ref(PURPOSES)),
            "For a consent (entity consent): the purposes it covers (" + PURPOSES_DOC + ").",
        ),
        Field("channels", ListOf(ref("channels")), "For a consent (entity consent): the channels it covers."),
        Field("sensitivity", enum(m.SENSITIVITIES), "none | personal | sensitive.", default="none"),
        Field(
            "special_category",
            Scalar("bool"),
            "Special-category data of GDPR Art. 9 (health, religion, ethnicity, biometrics...); always sensitive.",
            default="false",
        ),
        Field("owner", ref("stakeholders"), "Stakeholder accountable for its definition and quality."),
        Field("synonyms", ListOf(TEXT), "Other names people and systems use for it."),
    ),
    "A piece of customer data the business talks about.",
)

HOLDING = Record(
    "holding",
    m.Holding,
    (
        Field("attribute", ref("attributes"), "The attribute held.", required=True),
        Field("field", TEXT, "Physical name in the system (table.column, object.field)."),
        Field("role", enum(m.ROLES), "master | copy | derived.", default="copy"),
        Field(
            "derived_from",
            ListOf(ref("attributes")),
            "With role derived: the attributes this system computes the value from.",
        ),
        Field("quality", Scalar("int", minimum=1, maximum=5), "Data quality 1..5 (absent: unknown)."),
        Field("freshness", enum(m.FRESHNESS), "How current it is: " + FRESHNESS_DOC + ".", default="unknown"),
        Field(
            "coverage",
            Scalar("number", minimum=0, maximum=1),
            "Share of customers for whom it is filled, 0..1 (absent: unknown).",
        ),
        Field("definition", LONG_TEXT, "Local meaning, when it differs from the attribute's definition."),
        Field("type", enum(m.ATTR_TYPES), "Local type, when it differs from the attribute's type."),
    ),
    "Where an attribute lives in a system. A bare attribute id is short for `attribute: ID`.",
    short="attribute",
)

FEED = Record(
    "feed",
    m.Feed,
    (
        Field("to", ref("systems"), "The receiving system.", required=True),
        Field("attributes", ListOf(ref("attributes")), "Attributes carried by this integration."),
        Field("frequency", enum(m.FRESHNESS), "How often it runs: " + FRESHNESS_DOC + ".", default="unknown"),
    ),
    "An integration out of this system.",
)

SYSTEM = Record(
    "system",
    m.System,
    (
        Field("id", ID, "Unique id of the system.", required=True),
        Field("name", TEXT, "Name people use for it.", required=True),
        Field(
            "kind",
            TEXT,
            "crm, marketing_automation, ecommerce, pos, service_desk, loyalty, erp, "
            "web_analytics, data_warehouse, cdp, other, or another slug.",
        ),
        Field("supplier", TEXT, "Vendor or supplier."),
        Field("owner", ref("stakeholders"), "Stakeholder responsible for the system."),
        Field("holds", ListOf(HOLDING), "Attributes that live in this system."),
        Field("feeds", ListOf(FEED), "Integrations out of this system."),
    ),
    "A source or activation system.",
)

NEED = Record(
    "need",
    m.Need,
    (
        Field("attribute", ref("attributes"), "The attribute needed.", required=True),
        Field("criticality", enum(m.CRITICALITIES), "must | should | could.", default="must"),
        Field("freshness", enum(m.FRESHNESS), "How current it must be: " + FRESHNESS_DOC + ".", default="unknown"),
        Field("purpose", LONG_TEXT, "What it is needed for."),
    ),
    "An attribute a use case needs. A bare attribute id is short for `attribute: ID` (must).",
    short="attribute",
)

USE_CASE = Record(
    "use_case",
    m.UseCase,
    (
        Field("id", ID, "Unique id of the use case.", required=True),
        Field("title", TEXT, "Short title.", required=True),
        Field("description", LONG_TEXT, "Free text."),
        Field("owner", ref("stakeholders"), "Stakeholder who asks for it and owns its outcome."),
        Field("function", ref("functions"), "Business function it serves."),
        Field("channels", ListOf(ref("channels")), "Channels it uses."),
        Field("purpose", ref(PURPOSES), "Why it processes personal data: " + PURPOSES_DOC + "."),
        Field(
            "lawful_basis",
            enum(m.LAWFUL_BASES),
            "GDPR Art. 6 basis it processes personal data on: " + " | ".join(m.LAWFUL_BASES) + ".",
        ),
        Field("value", Scalar("int", minimum=1, maximum=5), "Business value 1..5."),
        Field("effort", Scalar("int", minimum=1, maximum=5), "Gut estimate of effort 1..5."),
        Field("horizon", enum(m.HORIZONS), "now | next | later."),
        Field("status", enum(m.USE_CASE_STATUSES), "proposed | agreed | rejected | done.", default="proposed"),
        Field("executes_in", ListOf(ref("systems")), "Systems where the use case is carried out."),
        Field("processes", ListOf(ref("processes")), "Processes it relies on."),
        Field("needs", ListOf(NEED), "Attributes it needs."),
    ),
    "Something the business wants to do with customer data.",
)

STEP = Record(
    "step",
    m.Step,
    (
        Field("name", TEXT, "What happens.", required=True),
        Field("actor", TEXT, "Who does it: free text or a stakeholder id."),
        Field("channel", ref("channels"), "Channel the step happens on."),
        Field("system", ref("systems"), "System the step uses."),
        Field("creates", ListOf(ref("attributes")), "Attributes this step captures."),
        Field("reads", ListOf(ref("attributes")), "Attributes this step reads."),
        Field("updates", ListOf(ref("attributes")), "Attributes this step changes."),
        Field("deletes", ListOf(ref("attributes")), "Attributes this step erases."),
    ),
    "One step of a process.",
)

PROCESS = Record(
    "process",
    m.Process,
    (
        Field("id", ID, "Unique id of the process.", required=True),
        Field("name", TEXT, "Name of the process.", required=True),
        Field("owner", ref("stakeholders"), "Stakeholder who owns the process."),
        Field("description", LONG_TEXT, "Free text."),
        Field("steps", ListOf(STEP), "Steps in order."),
    ),
    "A business process that touches customers.",
)

NOTE = Record(
    "note",
    m.Note,
    (
        Field("id", ID, "Unique id of the note.", required=True),
        Field("kind", enum(m.NOTE_KINDS), "question | decision | risk | idea | parking.", default="question"),
        Field("text", LONG_TEXT, "The note itself.", required=True),
        Field("about", ListOf(ref("any")), "Ids of any items the note is about."),
        Field("by", ref("stakeholders"), "Stakeholder who raised it."),
        Field("status", enum(m.NOTE_STATUSES), "open | closed.", default="open"),
    ),
    "A question, decision, risk, idea or parking-lot item.",
)

RELATIONSHIP = Record(
    "relationship",
    m.Relationship,
    (
        Field("parent", TEXT, "Entity on the 'one' side (for n-m: either side).", required=True),
        Field("child", TEXT, "Entity on the 'many' side.", required=True),
        Field(
            "cardinality",
            enum(m.CARDINALITIES),
            "1-1 | 1-n | n-m | none (none removes a default relationship).",
            default="1-n",
        ),
        Field("required", Scalar("bool"), "Every child must have a parent (NOT NULL foreign key).", default="false"),
        Field("name", TEXT, "What the relationship means, e.g. 'lives at'."),
        Field("note", LONG_TEXT, "Why, or what is still open."),
    ),
    "A relationship of the model draft; it replaces any default between the same two entities.",
)

MODEL_SECTION = Record(
    "model",
    m.ModelSection,
    (
        Field(
            "default_relationships",
            Scalar("bool"),
            "Start from needsmap's default relationships (docs/format.md).",
            default="true",
        ),
        Field("relationships", ListOf(RELATIONSHIP), "Relationships that add to or override the defaults."),
    ),
    "How the model draft relates entities.",
)

WORK_ITEM = Record(
    "work_item",
    m.WorkItem,
    (
        Field("id", ID, "Id of the work item, unique within its option.", required=True),
        Field("kind", enum(m.WORK_KINDS), " | ".join(m.WORK_KINDS) + ".", default="other"),
        Field("title", TEXT, "What is done.", required=True),
        Field("attribute", ref("attributes"), "The attribute the work is about."),
        Field("system", ref("systems"), "The system changed (for a feed: where it starts)."),
        Field("to", ref("systems"), "For a feed: the receiving system."),
        Field("use_cases", ListOf(ref("use_cases")), "Use cases this work helps unlock."),
        Field("effort", Scalar("number", minimum=0), "Effort points (absent: from settings.roadmap.effort)."),
        Field("depends_on", ListOf(TEXT), "Ids of work items of the same option that must come first."),
        Field("wave", Scalar("int", minimum=1), "Pins the work item to this wave (1 is the first)."),
    ),
    "One piece of work of an option.",
)

OPTION = Record(
    "option",
    m.Option,
    (
        Field("id", ID, "Unique id of the option.", required=True),
        Field("title", TEXT, "Short title.", required=True),
        Field("style", enum(m.OPTION_STYLES), " | ".join(m.OPTION_STYLES) + ".", default="custom"),
        Field("status", enum(m.OPTION_STATUSES), " | ".join(m.OPTION_STATUSES) + ".", default="proposed"),
        Field("description", LONG_TEXT, "What the option is and why."),
        Field("work_items", ListOf(WORK_ITEM), "The work it implies."),
    ),
    "A strategic option for the roadmap.",
)

VOTE = Record(
    "vote",
    m.Vote,
    (
        Field("stakeholder", ref("stakeholders"), "Who votes.", required=True),
        Field("option", ref("options"), "The option voted on.", required=True),
        Field("score", Scalar("int", minimum=1, maximum=5), "1 (against) .. 5 (strongly for).", required=True),
        Field("comment", LONG_TEXT, "Why."),
    ),
    "A stakeholder's score for an option.",
)

CONFLICT = Record(
    "conflict",
    m.Conflict,
    (
        Field("section", TEXT, "Top-level section of the conflicting value (use_cases, settings...).", required=True),
        Field("id", TEXT, "Id of the item in that section."),
        Field("field", TEXT, "Field inside the item (value, holds[email].quality); absent: the whole item."),
        Field("kept", enum(("ours", "theirs")), "Which side's value the file keeps now.", default="ours"),
        Field("base", LONG_TEXT, "The value before both edits, as YAML (absent: not set, or no such item)."),
        Field("ours", LONG_TEXT, "Our value, as YAML (absent: not set, or deleted)."),
        Field("theirs", LONG_TEXT, "Their value, as YAML (absent: not set, or deleted)."),
    ),
    "A merge conflict left by needsmap merge-driver: resolve it, then delete the entry.",
)

WORKSHOP = Record(
    "workshop file",
    m.Workshop,
    (
        Field(
            "needsmap", Scalar("int", minimum=1, maximum=m.FORMAT_VERSION), "Format version; this is 1.", required=True
        ),
        Field("workshop", WORKSHOP_INFO, "What the workshop is.", required=True),
        Field("settings", SETTINGS, "Thresholds used by the analysis."),
        Field("functions", ListOf(ID), "Business functions.", default="[" + ", ".join(m.DEFAULT_FUNCTIONS) + "]"),
        Field("channels", ListOf(ID), "Channels to customers.", default="[" + ", ".join(m.DEFAULT_CHANNELS) + "]"),
        Field("stakeholders", ListOf(STAKEHOLDER), "People in the programme."),
        Field("attributes", ListOf(ATTRIBUTE), "Customer attributes."),
        Field("systems", ListOf(SYSTEM), "Systems and what they hold."),
        Field("use_cases", ListOf(USE_CASE), "What the business wants to do."),
        Field("processes", ListOf(PROCESS), "Processes that touch customers."),
        Field("notes", ListOf(NOTE), "Questions, decisions, risks, ideas, parking lot."),
        Field("model", MODEL_SECTION, "How the model draft relates entities."),
        Field("options", ListOf(OPTION), "Strategic options for the roadmap."),
        Field("votes", ListOf(VOTE), "Stakeholders' votes on the options."),
        Field("conflicts", ListOf(CONFLICT), "Merge conflicts to resolve (written by needsmap merge-driver)."),
    ),
    "A needsmap workshop, format v1.",
)

#: Section key -> record of its items, for the sections holding items with ids.
ITEM_RECORDS: dict[str, Record] = {
    "stakeholders": STAKEHOLDER,
    "attributes": ATTRIBUTE,
    "systems": SYSTEM,
    "use_cases": USE_CASE,
    "processes": PROCESS,
    "notes": NOTE,
    "options": OPTION,
}
