"""Hypothesis strategies for structurally valid workshops (any text, any order)."""

from __future__ import annotations

from hypothesis import strategies as st

from needsmap.format import model as m

# Any text a person could type or paste, except lone surrogates (not encodable).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
SHORT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=15)
IDS = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,12}\Z")
HEADER_LINE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)


def opt(strategy):
    return st.none() | strategy


def enum(values):
    return opt(st.sampled_from(values))


def quality():
    return opt(st.integers(1, 5))


def coverage():
    return opt(st.floats(0, 1, allow_nan=False) | st.integers(0, 1))


def id_list():
    return st.lists(IDS, max_size=4)


holdings = st.builds(
    m.Holding,
    attribute=IDS,
    field=opt(TEXT),
    role=enum(m.ROLES),
    derived_from=id_list(),
    quality=quality(),
    freshness=enum(m.FRESHNESS),
    coverage=coverage(),
    definition=opt(TEXT),
    type=enum(m.ATTR_TYPES),
)
feeds = st.builds(m.Feed, to=IDS, attributes=id_list(), frequency=enum(m.FRESHNESS))
needs = st.builds(
    m.Need, attribute=IDS, criticality=enum(m.CRITICALITIES), freshness=enum(m.FRESHNESS), purpose=opt(TEXT)
)
steps = st.builds(
    m.Step,
    name=TEXT,
    actor=opt(TEXT),
    channel=opt(IDS),
    system=opt(IDS),
    creates=id_list(),
    reads=id_list(),
    updates=id_list(),
    deletes=id_list(),
)

workshops = st.builds(
    m.Workshop,
    workshop=st.builds(
        m.WorkshopInfo,
        name=TEXT,
        organization=opt(TEXT),
        dates=st.lists(st.dates(), max_size=3),
        facilitator=opt(TEXT),
        scope=opt(TEXT),
    ),
    settings=opt(
        st.builds(
            m.Settings,
            min_quality=quality(),
            min_coverage=coverage(),
            marketing_channels=opt(id_list()),
            purposes=opt(id_list()),
        )
    ),
    functions=opt(id_list()),
    channels=opt(id_list()),
    stakeholders=st.lists(
        st.builds(
            m.Stakeholder,
            id=IDS,
            name=TEXT,
            role=opt(TEXT),
            function=opt(IDS),
            influence=enum(m.LEVELS),
            interest=enum(m.LEVELS),
            notes=opt(TEXT),
        ),
        max_size=3,
    ),
    attributes=st.lists(
        st.builds(
            m.Attribute,
            id=IDS,
            name=TEXT,
            entity=opt(SHORT),
            type=enum(m.ATTR_TYPES),
            values=st.lists(TEXT, max_size=3),
            definition=opt(TEXT),
            identifier=opt(st.booleans()),
            identifies=enum(m.IDENTIFIES_KINDS),
            sensitivity=enum(m.SENSITIVITIES),
            special_category=opt(st.booleans()),
            purposes=id_list(),
            channels=id_list(),
            owner=opt(IDS),
            synonyms=st.lists(TEXT, max_size=3),
        ),
        max_size=3,
    ),
    systems=st.lists(
        st.builds(
            m.System,
            id=IDS,
            name=TEXT,
            kind=opt(SHORT),
            supplier=opt(TEXT),
            owner=opt(IDS),
            holds=st.lists(holdings, max_size=3),
            feeds=st.lists(feeds, max_size=2),
        ),
        max_size=3,
    ),
    use_cases=st.lists(
        st.builds(
            m.UseCase,
            id=IDS,
            title=TEXT,
            description=opt(TEXT),
            owner=opt(IDS),
            function=opt(IDS),
            channels=id_list(),
            purpose=opt(IDS),
            lawful_basis=enum(m.LAWFUL_BASES),
            value=quality(),
            effort=quality(),
            horizon=enum(m.HORIZONS),
            status=enum(m.USE_CASE_STATUSES),
            executes_in=id_list(),
            processes=id_list(),
            needs=st.lists(needs, max_size=3),
        ),
        max_size=3,
    ),
    processes=st.lists(
        st.builds(
            m.Process, id=IDS, name=TEXT, owner=opt(IDS), description=opt(TEXT), steps=st.lists(steps, max_size=2)
        ),
        max_size=2,
    ),
    notes=st.lists(
        st.builds(
            m.Note,
            id=IDS,
            kind=enum(m.NOTE_KINDS),
            text=TEXT,
            about=id_list(),
            by=opt(IDS),
            status=enum(m.NOTE_STATUSES),
        ),
        max_size=2,
    ),
    header=st.lists(HEADER_LINE, max_size=3).map(lambda lines: "\n".join(("# " + x).rstrip() for x in lines)),
)
