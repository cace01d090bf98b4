"""What the model-draft tests share: drafting a workshop, and a workshop whose names are built to break every format."""

from __future__ import annotations

from needsmap.analysis.engine import analyse
from needsmap.draft.engine import DraftModel, draft_model
from needsmap.format import model as m


def draft_of(ws: m.Workshop, scope: str = "needed") -> DraftModel:
    """The model draft of ``ws`` (analysed first), for the attributes of ``scope``."""
    return draft_model(ws, analyse(ws), scope)


HOSTILE_ENTITY = 'cust"; DROP TABLE canary; --'


def hostile_workshop() -> m.Workshop:
    """Names built to break SQL, DBML, Mermaid and DOT: quotes, semicolons, comments, reserved words, unicode."""
    evil = "x'); DROP TABLE canary; -- */ /* \\ $$ \" ` ] \n new line \u2028 \x00 end"
    attrs = [
        m.Attribute("select", "Select'; DROP TABLE canary; --", entity=HOSTILE_ENTITY, type="string", definition=evil),
        m.Attribute(
            "Order.Date-1", "Order date */ DROP", entity="order", type="date", definition="*/ DROP TABLE canary;"
        ),
        m.Attribute(
            "table",
            "Table",
            entity="order",
            type="enum",
            values=["it's", 'quo"te', "semi;colon", "back\\slash", "DROP TABLE canary; --", "üñí"],
            definition="Enum with hostile values\n-- DROP TABLE canary",
        ),
        m.Attribute("größe", "Größe 顧客", entity="顧客 ümlaut", type="money", definition="unicode \u202e reversed"),
        m.Attribute("user", "User", entity="user", type="boolean"),
        m.Attribute("x" * 80, "Very long id", entity="e" * 90, type="integer"),
        m.Attribute("x" * 79 + "y", "Very long id 2", entity="e" * 90, type="datetime"),
        m.Attribute("from", "From", entity="customer", type="email", definition="`; DROP TABLE canary; `"),
        m.Attribute("group", "Group", entity="customer", type="country"),
        m.Attribute("customer_key", "Clashes with the key", entity="customer", type="id"),
    ]
    uc = m.UseCase(
        "uc-1",
        "Use case '; DROP",
        owner="st-1",
        needs=[m.Need(a.id, "must" if i % 2 == 0 else "could") for i, a in enumerate(attrs)],
    )
    system = m.System(
        "crm'; DROP TABLE canary; --",
        "CRM \" ' `",
        kind="crm",
        holds=[
            m.Holding(
                a.id,
                field=f"T.{a.id}'; DROP TABLE canary; --",
                role="master",
                quality=3,
                freshness="daily",
                coverage=0.5,
            )
            for a in attrs
        ],
    )
    other = m.System("pos", "POS", holds=[m.Holding("select", field="sel", role="copy", freshness="hourly")])
    rels = [
        m.Relationship("customer", HOSTILE_ENTITY, "1-n", required=True, name='owns "it"; --'),
        m.Relationship(HOSTILE_ENTITY, "user", "n-m"),
        m.Relationship("customer", "order", "1-1", note="*/ note"),
    ]
    return m.Workshop(
        workshop=m.WorkshopInfo(name="Hostile'; DROP TABLE canary; --"),
        stakeholders=[m.Stakeholder("st-1", "Robert'); DROP TABLE Students;--")],
        attributes=attrs,
        systems=[system, other],
        use_cases=[uc],
        notes=[m.Note("n1", "question", "What about\n*/ DROP TABLE canary; --?", about=["select"])],
        model=m.ModelSection(relationships=rels),
    )
