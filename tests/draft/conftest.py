"""What the model-draft tests share: drafting a workshop, a workshop whose names are built to break every format,
and sample data for a draft (rows for every table, valid under every constraint of its DDL)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from needsmap.analysis.engine import analyse
from needsmap.draft import engine as md
from needsmap.draft.engine import Column, DraftModel, Table, draft_model
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.synthetic import builder as synthetic
from tests.conftest import DEMO


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


# ----------------------------------------------------------------------------- sample data

#: Tables whose rows the DDL script itself inserts from the workshop (they are not generated).
SEEDED_TABLES = frozenset({"source_system", "source_mapping", "survivorship_rule", "metric_definition"})
_FIRST_NAMES = ("Anna", "Bram", "Chloé", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ilias", "Joost")
_LAST_NAMES = ("de Vries", "Jansen", "El Amrani", "Peeters", "Müller", "O'Neill", "Smit", "Dubois")


@dataclass
class SampleData:
    """Rows for every table of a draft, as dicts of column -> Python value, parents before children."""

    rows: dict[str, list[dict]]

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def coverage(col: Column) -> float:
    """How often a column is filled: the best recorded coverage of its holdings; never when no system holds it."""
    if col.attribute is None:
        return 0.7
    if not col.sources:
        return 0.0
    known = [s.coverage for s in col.sources if s.coverage is not None]
    return max(known) if known else 0.8


def _value(col: Column, rng: random.Random, n: int, full: bool, allowed: tuple[str, ...] | None = None):
    """A valid value for ``col`` (its type, enum values and range); ``full``: as long as the type allows."""
    if allowed:
        return rng.choice(allowed)
    if col.values:
        return rng.choice(col.values)
    t = col.type
    low = col.minimum if col.minimum is not None else 0
    high = col.maximum if col.maximum is not None else 5000
    if t == "integer":
        return rng.randint(math.ceil(low), math.floor(high))
    if t in ("decimal", "money"):
        return Decimal(str(round(rng.uniform(low, high), 4 if t == "money" else 6)))
    if t == "boolean":
        return rng.random() < 0.5
    if t == "date":
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
    if t == "datetime":
        return dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randint(0, 3_000_000))
    if t == "email":
        return f"customer{n}.{rng.randint(0, 99)}@example.org"
    if t == "phone":
        return f"+316{n:08d}"
    if t == "url":
        return f"https://example.org/c/{n}"
    if t == "country":
        return rng.choice(("NL", "BE", "DE", "FR"))
    if t == "currency":
        return rng.choice(("EUR", "GBP"))
    if t == "json":
        return json.dumps([f"item {i}" for i in range(rng.randint(1, 4))])
    if t == "id":
        return f"{col.name[:20]}-{n}"
    if col.name == "first_name":
        return rng.choice(_FIRST_NAMES)
    if col.name == "last_name":
        return rng.choice(_LAST_NAMES)
    text = f"{col.name} of {n} ü"
    if full:  # the widest value the type takes: free text long enough to be moved out of the row
        return (text + " " + "lorem ipsum " * 400)[: 4000 if t == "text" or col.type == "string" else 200]
    return text


def _typed_value(row: Column, rng: random.Random, n: int, allowed: tuple[str, ...] | None) -> object:
    """The ``value`` of a typed row (a contact point, a preference): shaped like the attribute it holds."""
    if allowed:
        return rng.choice(allowed)
    probe = Column(row.name, row.type, values=row.values, minimum=row.minimum, maximum=row.maximum)
    if row.type in ("boolean",):
        return rng.choice(("true", "false"))
    value = _value(probe, rng, n, full=False)
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)


def sample_data(
    model: DraftModel, customers: int = 1000, seed: int = 7, system_keys: tuple[int, ...] = ()
) -> SampleData:
    """Rows for every table of ``model`` for ``customers`` customers, valid under every constraint of the DDL.

    Attributes are filled as often as the workshop's holdings cover them (never when no system
    holds them), with values of their type, enum and range; typed rows (contact points, consents,
    preferences, identifiers, metrics) exist per customer as often as their attribute is covered.
    The first customer is complete: every table gets a row and every column of it is filled, free
    text as long as a row can take.  Deterministic for a ``seed``.
    """
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {t.name: [] for t in model.tables}
    keys: dict[str, list[int]] = {md.SOURCE_SYSTEM: list(system_keys)}
    counters: dict[str, Iterator[int]] = {}
    by_name = {t.name: t for t in model.tables}

    def checks_for(t: Table, discriminator: str, value: str) -> dict[str, tuple[str, ...]]:
        return {
            k.columns[1]: k.values
            for k in t.checks
            if k.kind == "values_when" and k.columns[0] == discriminator and k.when == value
        }

    def fill(t: Table, parents: dict[str, int], first: bool, row_attr: Column | None = None) -> dict:
        n = next(counters.setdefault(t.name, itertools.count(1)))  # each table's keys are 1, 2, 3...
        row: dict = {}
        allowed: dict[str, tuple[str, ...]] = {}
        if row_attr is not None and row_attr.discriminator:
            row[row_attr.discriminator] = row_attr.name
            allowed = checks_for(t, row_attr.discriminator, row_attr.name)
        for c in t.columns:
            if c.name in row:
                continue
            if c.primary_key and c.references is None:
                row[c.name] = n
            elif c.references:
                if c.name in parents:
                    row[c.name] = parents[c.name]
                elif c.references == md.METRIC_DEFINITION:
                    row[c.name] = row_attr.name if row_attr else None
                else:
                    pool = keys.get(c.references, [])
                    take = pool and (not c.nullable or first or rng.random() < 0.5)
                    row[c.name] = rng.choice(pool) if take else None
            elif c.name == "value" and row_attr is not None:
                row[c.name] = _typed_value(row_attr, rng, n, allowed.get("value"))
            elif c.name == "local_id" and row_attr is not None:
                row[c.name] = f"{row_attr.name[:20]}-{n}"
            elif not c.nullable or first or rng.random() < coverage(c):
                row[c.name] = _value(c, rng, n, first, allowed.get(c.name))
            else:
                row[c.name] = None
        if "valid_from" in row and "valid_to" in row and row["valid_from"] and row["valid_to"]:
            row["valid_from"], row["valid_to"] = sorted((row["valid_from"], row["valid_to"]))
        for k in t.checks:
            if k.kind == "one_of":  # exactly one: a metric's value where its type goes, an identifier's party
                keep = k.columns[0]
                if row_attr and (row_attr.attribute_type or row_attr.type) in ("date", "datetime"):
                    keep = k.columns[1]
                party = {"organization": "organization", "household": "household"}.get(row.get("identifies") or "")
                if party and f"{party}_key" in k.columns:
                    keep = f"{party}_key"
                for col in k.columns:
                    if col == keep:
                        probe = by_name[t.name].column(col)
                        if row.get(col) is None:
                            row[col] = (
                                rng.choice(keys[probe.references]) if probe.references else _value(probe, rng, n, False)
                            )
                    else:
                        row[col] = None
        return row

    def parent_fks(t: Table) -> list[Column]:
        return [c for c in t.columns if c.references and c.references in keys and c.ref_column == f"{c.references}_key"]

    for t in model.tables:
        if t.name in SEEDED_TABLES:
            continue
        out = rows[t.name]
        required = [c for c in parent_fks(t) if not c.nullable and c.references != md.SOURCE_SYSTEM]
        if t.kind == "link":
            a, b = (c for c in t.columns if c.references)
            pairs = {(rng.choice(keys[a.references]), rng.choice(keys[b.references])) for _ in range(customers // 2)}
            pairs.add((keys[a.references][0], keys[b.references][0]))
            out += [{a.name: x, b.name: y} for x, y in sorted(pairs)]
            continue
        if t.key.references:  # an extension: at most one row per parent row, sharing its key
            parent = keys.get(t.key.references, [])
            for i, k in enumerate(parent):
                if i == 0 or rng.random() < 0.6:
                    out.append(fill(t, {t.key.name: k}, i == 0))
            keys[t.name] = [r[t.key.name] for r in out]
            continue
        owner = next((c for c in required if c.references == by_name.get(md.CUSTOMER, t).name), None)
        others = [c for c in required if c is not owner]
        if owner is None and not others:
            count = customers if t.entity == md.CUSTOMER else max(1, customers // 10)
            for i in range(count):
                kind = t.row_attributes[i % len(t.row_attributes)] if t.row_attributes else None
                out.append(fill(t, {}, i == 0, kind))
        else:
            for ci, customer in enumerate(keys.get(owner.references, [0]) if owner else [0]):
                first = ci == 0
                base = {owner.name: customer} if owner else {}
                if t.row_attributes:
                    kinds = t.row_attributes if first else [r for r in t.row_attributes if rng.random() < coverage(r)]
                    if not first:  # a customer has a handful of each kind of typed row, not hundreds
                        kinds = kinds[: 5 if t.name == md.CUSTOMER_METRIC else 12]
                    for r in kinds:
                        for _ in range(1 if t.name != "consent" else rng.randint(1, 2)):
                            parents = {**base, **{c.name: rng.choice(keys[c.references]) for c in others}}
                            out.append(fill(t, parents, first, r))
                else:
                    one = owner is not None and owner.unique  # 1-1: at most one per customer
                    for _ in range(1 if first else rng.choice((0, 1) if one else (0, 0, 1, 2, 3))):
                        parents = {**base, **{c.name: rng.choice(keys[c.references]) for c in others}}
                        out.append(fill(t, parents, first))
        keys[t.name] = [r[t.key.name] for r in out]
    return SampleData({name: r for name, r in rows.items() if name not in SEEDED_TABLES})


def sqlite_value(value):
    """A Python value as SQLite stores it (dates and decimals as text, as the draft's SQLite types expect)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def insert_sample(data: SampleData, dialect: str, executemany) -> None:
    """Insert every row (parents first) through ``executemany(statement, rows)``."""
    ph = "?" if dialect == "sqlite" else "%s"
    for table, rows in data.rows.items():
        if not rows:
            continue
        cols = list(rows[0])
        statement = (
            f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
            f"VALUES ({', '.join([ph] * len(cols))})"
        )
        values = [[(sqlite_value(r[c]) if dialect == "sqlite" else r[c]) for c in cols] for r in rows]
        executemany(statement, values)


def copy_sample(data: SampleData, conn) -> None:
    """Load every row (parents first) into PostgreSQL with COPY, which checks every constraint as INSERT does."""
    for table, rows in data.rows.items():
        if not rows:
            continue
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        with conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for r in rows:
                copy.write_row([r[c] for c in cols])


# -- the drafts most tests read (one per test module: a test may change its copy) -----------------------
@pytest.fixture(scope="module")
def demo_model() -> DraftModel:
    return draft_of(open_workshop(DEMO).workshop)


@pytest.fixture(scope="module")
def enterprise_model() -> DraftModel:
    return draft_of(synthetic.generate("enterprise", 11))


@pytest.fixture(scope="module")
def hostile_model() -> DraftModel:
    return draft_of(hostile_workshop())
