"""Synthetic workshops: realistic-shaped, valid, deterministic, with planted gaps.

``generate(scale, seed)`` builds a :class:`needsmap.format.model.Workshop` for a
fictional omnichannel home & living retailer.  The same ``(scale, seed)``
always gives the same workshop (and so the same :func:`needsmap.format.saver.dump`
text): all randomness comes from one ``random.Random(seed)``; nothing reads the
clock, uuids, the global random state or the iteration order of sets.

Scales (:data:`SCALES`; the counts are exact except ``links``, which is what
the shape produces, within a few percent):

===========  ============  =========  =========  ==========  =======  =====  =======  ========
scale        stakeholders  use cases  processes  attributes  systems  notes  markets  links
===========  ============  =========  =========  ==========  =======  =====  =======  ========
small                  10         15          5          50        8      8        1     ~700
medium                 12         80         60         500       24     30        3   ~5,200
enterprise             60        400        300       2,500      120    120        8  ~25,000
===========  ============  =========  =========  ==========  =======  =====  =======  ========

*Links* are all references from one item to another (:func:`count_links`):
needs, holdings, attributes carried by feeds, attributes that steps create,
read, update or delete, and every other reference (owners, functions,
channels, ``executes_in``, ``processes``, a step's system and channel, a feed's
target, a note's ``about`` and ``by``).

Shape
-----
* **Markets.** The organisation sells in 1 (small), 3 (medium) or 8
  (enterprise) countries.  Operational systems exist per market (web shop, tills,
  marketing automation, service desk, loyalty, web analytics, ... ids such as
  ``webshop-de``); hubs and B2B systems exist once for the group (``dwh``,
  ``cdp``, ``crm-b2b``, ``erp``), plus regional warehouses at enterprise scale.
  Systems come from fictional suppliers of the kinds crm, marketing_automation,
  ecommerce, pos, service_desk, loyalty, erp, web_analytics, data_warehouse,
  cdp and other.
* **Attributes** start from 88 hand-written customer attributes
  (identifiers, names, contact points, addresses, household, consent,
  preferences, orders, interactions, organisation), each with type,
  sensitivity, definition and synonyms; a handful per entity family are
  identifiers.  Bigger scales add templated warehouse features (order metrics
  per window, channel and product category; engagement per channel, topic and
  category; interests; propensities...); order metrics are about two thirds of
  an enterprise catalogue.  Distribution is skewed: e-mail, first name, customer
  number and consent are needed by a large share of use cases and held in dozens
  of systems; most attributes are needed by one or two use cases and held in
  their source system and the warehouse.
* **Holdings**: every attribute has one master (its source system); the
  warehouse holds a copy of almost everything, the CDP of the core and a
  quarter of the rest; popular attributes are copied into every system of the
  kinds that use them.  Process steps may capture attributes in further
  systems (the tills capture e-mail addresses, for instance).
* **Feeds** form chains: sources -> (regional warehouse ->) warehouse and
  sources -> CDP, warehouse -> CDP for derived scores, CDP or warehouse ->
  activation systems (marketing automation, service desk, tills, CRM...), and
  systems that capture data sync it back to its master.  Copies carry the
  freshness of their slowest upstream hop.
* **Use cases** come from 39 templates across the functions (marketing,
  sales, service, cx, data, finance, legal, operations), per market and, at
  enterprise scale, per product category; each has an owner, channels, value,
  horizon, status, 1-2 ``executes_in`` systems and 5-15 needs with a mix of
  criticality and freshness.  Every need that is not planted as a gap can be
  met: the attribute is held in, or fed to, a system the use case executes in,
  fast enough, with acceptable quality and coverage.
* **Processes** come from 22 templates (sign-up, checkout, store
  purchase, service contact, preference centre, returns, B2B onboarding,
  erasure...), with 3-8 steps each that create, read, update or delete
  attributes in systems that hold them.  Attribute owners sit in the function
  whose processes write the attribute.
* **Notes** are questions, risks, decisions, ideas and parking-lot items, most
  of them about the planted gaps.

Planted gaps (the rules of :mod:`needsmap.analysis.rules`; :func:`generate_detailed` returns what was
planted, per rule).  ``tests/synthetic/test_synthetic.py`` re-implements each rule
literally and checks that every rule fires, on a few percent at most.  Proportions are a few percent of the population each rule
looks at, with at least one instance at every scale:

* ``missing-source``: about 1.5 % of needed attributes (always
  ``consent_timestamp`` and ``moving_date``) are held by no system.
* ``stale``: about 2 % of needs ask for fresher data than the best path
  delivers (typically nightly warehouse scores needed hourly or in real time).
* ``unknown-freshness``: about 1 % of needs state a freshness while the only
  paths start at a holding whose freshness nobody knows (an attribute mastered
  in the system the use case runs in, freshness left out).
* ``low-quality`` / ``low-coverage``: about 1.5 % / 1 % of needed attributes
  have every holding below ``settings.min_quality`` (3) / ``min_coverage`` (0.5).
* ``unreachable``: about 2.5 % of (attribute, system) pairs that need a feed
  get none; the web-analytics island's attributes are needed but never leave it.
* ``no-master`` / ``many-masters``: about 1.5 % / 1 % of needed attributes
  held in 2+ systems have no master / two masters.
* ``definition-conflict``: about 1.5 % of needed attributes held in 2+ systems
  get two holdings with different local definitions or local types.
* ``no-owner``: about 1.5 % of needed attributes have no owner.
* ``contested``: a tenth of the attributes written by processes of 2+
  functions (few: most attributes are computed, not written by a process) are
  owned by someone from a function that does not write them.
* ``identity-island``: one web analytics system (small) / an A/B testing tool
  (medium) / an A/B testing tool and a heat-map tool sharing only the cookie id,
  plus an old loyalty database with its own member number (enterprise) share
  no identifier with the rest.  The ``no-identifier`` systems below are islands
  too when systems without identifiers take part in the component computation
  (the literal reading, as in the demo workshop).
* ``no-identifier``: a survey tool (and, at enterprise scale, a reviews
  platform) holds customer data but no identifier.
* ``anonymous-channel``: ``chat`` and ``social`` are used by use cases and
  steps, but no step on them captures an identifier.
* ``step-not-held``: about 1 % of steps (at least one) update an attribute in
  a system that does not hold it (agents correcting data in the service desk).
* ``unrepresented-function``: ``cx`` owns use cases but has no stakeholder;
  ``product`` has no stakeholder at all (the info variant).
* ``orphan-use-case`` / ``use-case-without-needs``: about 2 % / 1.5 % of use
  cases (``erasure-requests`` is the first use case left without needs).
* ``unused-attribute``: about 3 % of attributes (at least two) are held but
  needed by no use case.
* ``personal-without-consent``: about 3 % of the use cases on marketing
  channels that need personal data need no consent attribute (always the
  transactional click & collect message when present).

Everything else is healthy: one master per attribute held twice or more,
quality 3-5 and coverage 0.5-1 on the master, no local definitions, every
system but the planted ones shares an identifier with the warehouse, every
other channel has a step that captures an identifier, every function that owns
something has a stakeholder.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.synthetic.vocabulary import (
    ANONYMOUS,
    B2B,
    CAPTURE_FN,
    CAPTURE_STEPS,
    CATEGORIES,
    CHANNEL_IDS,
    ENTITY_ORDER,
    ENTITY_OWNER,
    EXTRA_TYPES,
    FALLBACK,
    FIRST,
    FRESH,
    GAP_RULES,
    GROUP_TYPES,
    HUBS,
    LAST,
    MARKET_TYPES,
    MARKETS,
    NEEDS_MODE,
    OBJECTS,
    OPTIN_FOR,
    ORGS,
    PEOPLE_FUNCTIONS,
    PEOPLE_NOTES,
    PLANTED_SYSTEMS,
    PROC_TEMPLATES,
    PROC_VARIANTS,
    PURPOSES,
    REGIONS,
    ROLES,
    SCALES,
    SMALL_PROCS,
    SYS,
    TABLES,
    UC_TEMPLATES,
    UNKNOWN_RANK,
    AttributeSpec,
    StepTemplate,
    UseCaseTemplate,
    core_attributes,
    long_tail,
)

__all__ = ["SCALES", "GAP_RULES", "Synthetic", "generate", "generate_detailed", "count_links"]


# --------------------------------------------------------------------------- result
@dataclass(slots=True)
class Synthetic:
    """A generated workshop and what was planted in it, per gap rule."""

    workshop: m.Workshop
    planted: dict[str, list] = field(default_factory=dict)


def generate(scale: str, seed: int) -> m.Workshop:
    """A valid synthetic workshop of ``scale`` (a key of :data:`SCALES`), the same for the same seed."""
    return generate_detailed(scale, seed).workshop


def generate_detailed(scale: str, seed: int) -> Synthetic:
    """Like :func:`generate`, with the planted gaps: ``{rule slug: [subjects...]}``.

    Subjects per rule: per-need rules (missing-source, stale, unknown-freshness,
    unreachable) give ``{use_case, attribute, criticality}`` for every need the
    planting affects (stale adds ``path`` and ``needed``); ``many-masters``
    ``{attribute, masters}``; ``definition-conflict`` ``{attribute, detail,
    systems}``; ``step-not-held`` ``{process, step (1-based), action,
    attribute, system}``; the others a list of ids (attributes, systems, use
    cases, channels or functions).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("seed must be an integer")
    return _Builder(scale, seed).build()


def count_links(ws: m.Workshop) -> dict[str, int]:
    """References from one item to another, by kind, and their ``total``.

    Kinds: ``needs``, ``holdings``, ``feed_attributes`` (attributes carried by
    feeds), ``step_attributes`` (creates/reads/updates/deletes) and ``other``
    (every other reference field declared in :mod:`needsmap.format.spec`: owners,
    functions, channels, executes_in, processes, a step's system, a feed's
    target, a note's about and by, settings.marketing_channels).
    """
    out = {"needs": 0, "holdings": 0, "feed_attributes": 0, "step_attributes": 0, "other": 0}
    special = {
        ("need", "attribute"): "needs",
        ("holding", "attribute"): "holdings",
        ("feed", "attributes"): "feed_attributes",
        ("step", "creates"): "step_attributes",
        ("step", "reads"): "step_attributes",
        ("step", "updates"): "step_attributes",
        ("step", "deletes"): "step_attributes",
    }

    def walk(obj, rec: spec.Record) -> None:
        for fld in rec.fields:
            value = getattr(obj, fld.attr)
            if value is None:
                continue
            shape = fld.shape
            n = 0
            if isinstance(shape, spec.Scalar):
                n = 1 if shape.kind == "ref" else 0
            elif isinstance(shape, spec.ListOf):
                if isinstance(shape.item, spec.Record):
                    for child in value:
                        walk(child, shape.item)
                elif shape.item.kind == "ref":
                    n = len(value)
            elif isinstance(shape, spec.Record):
                walk(value, shape)
            if n:
                out[special.get((rec.name, fld.key), "other")] += n

    walk(ws, spec.WORKSHOP)
    out["total"] = sum(out.values())
    return out


# --------------------------------------------------------------------------- builder
def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and (c.isalnum()))


@dataclass(frozen=True, slots=True)
class _Named:
    name: str
    sens: str


def _lower_first(name: str) -> str:
    """'E-mail address' -> 'e-mail address', but 'RFM score' and 'D-U-N-S number' stay."""
    first = name.split(" ")[0]
    return name if any(c.isupper() for c in first[1:]) else name[:1].lower() + name[1:]


def _camel(aid: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in aid.split("_"))


def _r(f: str | None) -> int:
    return UNKNOWN_RANK if f is None or f == "unknown" else FRESH.index(f)


@dataclass(slots=True)
class _Sys:
    id: str
    type: str
    market: str | None
    obj: m.System
    holds: dict[str, m.Holding] = field(default_factory=dict)
    planted: str = ""
    markets: tuple[str, ...] = ()  # markets a regional warehouse serves


class _Builder:
    def __init__(self, scale: str, seed: int) -> None:
        self.scale = scale
        self.seed = seed
        self.cfg = SCALES[scale]
        self.rng = random.Random(seed)
        self.markets = MARKETS[: self.cfg["markets"]]
        self.multi = len(self.markets) > 1
        self.used_ids: set[str] = set()
        self.planted: dict[str, list] = {slug: [] for slug in GAP_RULES}
        # holding bookkeeping: (system, attribute) -> upstream system ("" = captured/origin)
        self.upstream: dict[tuple[str, str], str] = {}
        self.feeds: dict[tuple[str, str], dict[str, None]] = {}
        self.feed_freq: dict[tuple[str, str], m.Freshness] = {}
        self.feed_in: dict[str, list[tuple[str, str]]] = {}  # attribute -> [(src, dst)]

    # -- helpers -------------------------------------------------------------
    def claim(self, base: str) -> str:
        ident, n = base, 2
        while ident in self.used_ids:
            ident, n = f"{base}-{n}", n + 1
        self.used_ids.add(ident)
        return ident

    def k(self, rate: float, population: int, minimum: int = 1) -> int:
        return max(minimum, round(rate * population))

    def pick(self, seq, k: int) -> list:
        seq = list(seq)
        return self.rng.sample(seq, min(k, len(seq)))

    def market_name(self, code: str | None) -> str:
        return dict(MARKETS).get(code or "", "")

    # -- stakeholders --------------------------------------------------------
    def build_stakeholders(self) -> None:
        n = self.cfg["stakeholders"]
        fns = [f for f, _ in PEOPLE_FUNCTIONS]
        counts = {f: max(1, int(w * n)) for f, w in PEOPLE_FUNCTIONS}
        while sum(counts.values()) > n:
            counts[max(fns, key=lambda f: counts[f])] -= 1
        while sum(counts.values()) < n:
            counts[max(fns, key=lambda f: dict(PEOPLE_FUNCTIONS)[f] * n - counts[f])] += 1
        firsts = self.pick(FIRST, len(FIRST))
        lasts = list(LAST)
        self.people: list[m.Stakeholder] = []
        self.people_by_fn: dict[str, list[str]] = {f: [] for f in fns}
        idx = 0
        for f in fns:
            for j in range(counts[f]):
                first = firsts[idx % len(firsts)]
                last = self.rng.choice(lasts)
                idx += 1
                base = _fold(first).lower()
                if base in self.used_ids:
                    base = f"{base}.{''.join(_fold(p)[:1].lower() for p in last.split())}"
                sid = self.claim(base)
                titles = ROLES[f]
                # the head of the function first; then the other roles, per market when there are several
                role = titles[0] if j == 0 else titles[1 + (j - 1) % (len(titles) - 1)]
                if self.multi and j >= 1:
                    role = f"{role}, {self.market_name(self.markets[(j - 1) % len(self.markets)][0])}"
                first_of_fn = j == 0
                st = m.Stakeholder(
                    id=sid,
                    name=f"{first} {last}",
                    role=role,
                    function=f,
                    influence=self.rng.choice(("high", "high", "medium")) if first_of_fn else self.rng.choice(m.LEVELS),
                    interest=self.rng.choice(("medium", "high", "low", "high")),
                    notes=self.rng.choice(PEOPLE_NOTES[f]) if self.rng.random() < 0.3 else None,
                )
                self.people.append(st)
                self.people_by_fn[f].append(sid)
        self.fn_of = {p.id: p.function for p in self.people}
        self.facilitator = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def person(self, fn: str, fallback: tuple[str, ...] = ("it",)) -> str:
        for f in (fn,) + fallback:
            people = self.people_by_fn.get(f)
            if people:
                # the head of the function is picked more often
                return people[0] if self.rng.random() < 0.35 else self.rng.choice(people)
        return self.people[0].id

    # -- systems -------------------------------------------------------------
    def build_systems(self) -> None:
        n = self.cfg["systems"]
        plan: list[tuple[str, str | None, tuple[str, ...]]] = []
        for t in GROUP_TYPES[self.scale]:
            plan.append((t, None, ()))
        for code, _ in self.markets:
            for t in MARKET_TYPES[self.scale]:
                plan.append((t, code, ()))
        planted = list(PLANTED_SYSTEMS[self.scale])
        room = n - len(planted)
        if len(plan) > room:
            plan = plan[:room]
        regions = iter(REGIONS)
        extras = iter(EXTRA_TYPES)
        while len(plan) < room:
            t = next(extras, "outlet")
            if t == "rdwh":
                region = next(regions, None)
                if region is None:
                    continue
                plan.append(("rdwh", region[0], region[2]))
            else:
                plan.append((t, None, ()))
        self.sys: dict[str, _Sys] = {}
        self.by_type: dict[str, list[str]] = {}
        self.by_tm: dict[tuple[str, str | None], str] = {}
        main_supplier = {t: self.rng.choice(v[3]) for t, v in SYS.items()}
        for t, market, served in plan + [(t, None, ()) for t, _ in planted]:
            kind, stem, name, suppliers, owner_fns, _op = SYS[t]
            if t == "rdwh":
                region = next(r for r in REGIONS if r[0] == market)
                sid = self.claim(f"{stem}-{region[0]}")
                sname = f"{name} {region[1]}"
                market = None
            else:
                sid = self.claim(f"{stem}-{market}" if market and self.multi else stem)
                sname = f"{name} {self.market_name(market)}" if market and self.multi else name
            supplier = main_supplier[t] if self.rng.random() < 0.75 else self.rng.choice(suppliers)
            obj = m.System(id=sid, name=sname, kind=kind, supplier=supplier, owner=self.person(owner_fns[0]))
            rec = _Sys(sid, t, market, obj, markets=served)
            self.sys[sid] = rec
            self.by_type.setdefault(t, []).append(sid)
            self.by_tm.setdefault((t, market), sid)
        for t, slug in planted:
            sid = self.by_type[t][0]
            self.sys[sid].planted = slug
            self.planted[slug].append(sid)
        self.island_ids = [s for s in self.sys.values() if s.type in ("island", "abtest", "heatmaps")]
        self.dwh = self.by_type["dwh"][0]
        self.cdp = self.by_type.get("cdp", [None])[0]
        self.lead = self.markets[0][0]

    def resolve(self, t: str, market: str | None) -> str | None:
        for cand in FALLBACK.get(t, (t,)):
            for key in ((cand, market), (cand, None), (cand, self.lead)):
                sid = self.by_tm.get(key)
                if sid is not None:
                    return sid
            if cand in self.by_type and cand not in _PLANTED_TYPES:
                return self.by_type[cand][0]
        return None

    def is_op(self, sid: str) -> bool:
        return SYS[self.sys[sid].type][5]

    # -- attributes ----------------------------------------------------------
    def build_attributes(self) -> None:
        n = self.cfg["attributes"]
        present = set(self.by_type)
        core = [
            a
            for a in core_attributes()
            if a.special != "legacy" or "legacy" in present
            if a.special != "reviews" or "reviews" in present
        ]
        if self.scale == "small":
            chosen = [a for a in core if a.small][:n]
            chosen += [a for a in core if not a.small and not a.special][: n - len(chosen)]
        else:
            chosen = core[:n]
            other, orders = long_tail(self.rng)
            taken = {a.id for a in chosen}
            other = [a for a in other if a.id not in taken]
            orders = [a for a in orders if a.id not in taken]
            left = n - len(chosen)
            n_other = min(len(other), int(left * 0.45))
            chosen += self.rng.sample(other, n_other)
            chosen += self.rng.sample(orders, left - n_other)
        rank = {e: i for i, e in enumerate(ENTITY_ORDER)}
        chosen.sort(key=lambda a: (rank[a.entity], not a.core))
        self.specs: dict[str, AttributeSpec] = {}
        self.attrs: dict[str, m.Attribute] = {}
        for a in chosen:
            aid = self.claim(a.id)
            a.id = aid
            self.specs[aid] = a
            self.attrs[aid] = m.Attribute(
                id=aid,
                name=a.name,
                entity=a.entity,
                type=a.type,
                values=list(a.values),
                definition=a.definition,
                identifier=True if a.ident else None,
                sensitivity=a.sens if a.sens != "none" else None,
                synonyms=list(a.syn),
            )
        # planted: missing-source and unused-attribute
        eligible = [a for a in self.specs.values() if not a.special and not a.ident and a.entity != "consent"]
        missing = [a.id for a in self.specs.values() if a.special == "missing"]
        more = self.k(0.015, n) - len(missing)
        if more > 0:
            missing += [a.id for a in self.pick([a for a in eligible if not a.copies and a.pop < 3], more)]
        self.missing = set(missing)
        pool = [a.id for a in eligible if a.id not in self.missing and a.pop < 5]
        unused = self.pick(pool, self.k(0.03, n, 2))
        self.unused = set(unused)
        self.planted["unused-attribute"] = [a for a in self.attrs if a in self.unused]

    # -- holdings -------------------------------------------------------------
    def hold(
        self,
        sid: str,
        aid: str,
        upstream: str,
        role: m.Role | None = None,
        quality: int | None = None,
        coverage: float | None = None,
        freshness: m.Freshness | None = None,
    ) -> m.Holding | None:
        rec = self.sys[sid]
        if aid in rec.holds:
            return None
        spec_ = self.specs[aid]
        field_name = None
        if self.rng.random() < 0.85:
            if rec.type in ("dwh", "rdwh", "lake"):
                field_name = f"{TABLES[spec_.entity]}.{aid}"
            elif rec.type == "cdp":
                field_name = f"traits.{aid}"
            else:
                field_name = f"{OBJECTS[spec_.entity]}.{_camel(aid)}"
        h = m.Holding(
            attribute=aid, field=field_name, role=role, quality=quality, freshness=freshness, coverage=coverage
        )
        rec.holds[aid] = h
        self.upstream[(sid, aid)] = upstream
        return h

    def copy_quality(self) -> tuple[int | None, float | None]:
        q = self.rng.choice((2, 3, 3, 4, 4, 4, 5)) if self.rng.random() < 0.9 else None
        c = round(self.rng.uniform(0.3, 1.0), 2) if self.rng.random() < 0.8 else None
        return q, c

    def build_holdings(self) -> None:
        rng = self.rng
        self.origin: dict[str, str] = {}
        weights = [3] + [1] * (len(self.markets) - 1)
        codes = [c for c, _ in self.markets]
        specials = {
            "island": [s.id for s in self.island_ids],
            "legacy": self.by_type.get("legacy", []),
            "survey": self.by_type.get("survey", []),
            "reviews": self.by_type.get("reviews", []),
        }
        for aid, a in self.specs.items():
            if aid in self.missing:
                continue
            if a.special:
                holders = specials[a.special]
                for i, sid in enumerate(holders):
                    self.hold(
                        sid,
                        aid,
                        "",
                        role="master" if i == 0 else "copy",
                        quality=rng.choice((3, 4, 4, 5)),
                        coverage=round(rng.uniform(0.55, 1.0), 2),
                        freshness="monthly" if a.special == "legacy" else "daily",
                    )
                self.origin[aid] = holders[0]
                if a.special in ("survey", "reviews") and a.sens != "sensitive":
                    self.hold(
                        self.dwh,
                        aid,
                        holders[0],
                        role="copy",
                        quality=rng.choice((3, 4)),
                        coverage=round(rng.uniform(0.5, 0.9), 2),
                    )
                continue
            market = rng.choices(codes, weights)[0]
            osid = None
            for t in a.origin:
                osid = self.resolve(t, market)
                if osid:
                    break
            osid = osid or self.dwh
            self.origin[aid] = osid
            otype = self.sys[osid].type
            fresh: m.Freshness
            if self.is_op(osid):
                fresh = "realtime" if rng.random() < 0.7 else "hourly"
            elif otype == "erp":
                fresh = rng.choice(("hourly", "daily"))
            elif otype in ("dwh", "rdwh", "lake"):
                fresh = rng.choices(("daily", "weekly", "monthly"), (80, 15, 5))[0]
            elif otype == "cdp":
                fresh = "realtime"
            else:
                fresh = "daily"
            cov = None if a.entity == "order" and a.core and rng.random() < 0.3 else round(rng.uniform(0.6, 1.0), 2)
            self.hold(osid, aid, "", role="master", quality=rng.choice((3, 4, 4, 5, 5)), coverage=cov, freshness=fresh)
            # hubs
            if osid != self.dwh:
                region = self.region_of(osid)
                if region:
                    self.hold(region, aid, osid, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov)
                    self.hold(
                        self.dwh, aid, region, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov
                    )
                else:
                    self.hold(self.dwh, aid, osid, role="copy", quality=self.sys[osid].holds[aid].quality, coverage=cov)
            if self.cdp and osid != self.cdp and (a.core or rng.random() < 0.25):
                self.hold(
                    self.cdp,
                    aid,
                    osid if self.is_op(osid) else self.dwh,
                    role="derived" if not a.core and rng.random() < 0.3 else "copy",
                    quality=rng.choice((3, 4, 4)),
                    coverage=cov,
                )
            for lake in self.by_type.get("lake", []):
                if rng.random() < 0.1:
                    self.hold(lake, aid, self.dwh, role="copy", quality=rng.choice((3, 4)), coverage=cov)
            for t in a.copies:
                for sid in self.by_type.get(t, []):
                    if sid != osid:
                        q, c = self.copy_quality()
                        self.hold(sid, aid, "?", role="copy", quality=q, coverage=c)

    def region_of(self, sid: str) -> str | None:
        market = self.sys[sid].market
        if market is None:
            return None
        for rid in self.by_type.get("rdwh", []):
            if market in self.sys[rid].markets:
                return rid
        return None

    # -- processes ------------------------------------------------------------
    def eligible_in(self, aid: str, sid: str) -> bool:
        """May a step in ``sid`` use ``aid`` (adding a holding if needed)?"""
        rec = self.sys[sid]
        if aid not in self.attrs or aid in self.missing:
            return False
        if rec.planted:
            return aid in rec.holds
        return not self.specs[aid].special

    def build_processes(self) -> None:
        rng = self.rng
        n = self.cfg["processes"]
        templates = {t[0]: t for t in PROC_TEMPLATES}
        cands: list[tuple[str, str | None, tuple[str, str] | None]] = []
        if self.scale == "small":
            cands = [(key, self.lead, None) for key in SMALL_PROCS]
        else:
            rounds: list[list] = [[], [], []]
            for key, _fn, scope, *_ in PROC_TEMPLATES:
                if scope == "group":
                    rounds[0].append((key, None, None))
                    for v in PROC_VARIANTS:
                        rounds[2].append((key, None, v))
                else:
                    for i, (code, _) in enumerate(self.markets):
                        rounds[0 if i == 0 else 1].append((key, code, None))
                        for v in PROC_VARIANTS:
                            rounds[2].append((key, code, v))
            for r in rounds:
                if len(cands) >= n:
                    break
                need = n - len(cands)
                cands += r if len(r) <= need else [r[i] for i in sorted(rng.sample(range(len(r)), need))]
        self.processes: list[m.Process] = []
        self.proc_fn: dict[str, str] = {}
        self.proc_index: dict[str, list[tuple[str, str | None]]] = {}
        self.steps: list[tuple[m.Process, m.Step]] = []
        for key, market, variant in cands[:n]:
            _, fn, scope, name, desc, steps = templates[key]
            suffix = "" if scope == "group" or not self.multi else f"-{market}"
            pid = self.claim(f"{key}{suffix}{'-' + variant[0] if variant else ''}")
            quals = [
                q
                for q in (
                    (self.market_name(market) if scope != "group" and self.multi else ""),
                    variant[1] if variant else "",
                )
                if q
            ]
            pname = f"{name} ({', '.join(quals)})" if quals else name
            owner = self.person(fn)
            proc = m.Process(id=pid, name=pname, owner=owner, description=desc)
            k = len(steps)
            count = rng.randint(min(3, k), min(8, k))
            keep = [0] + sorted(rng.sample(range(1, k), count - 1))
            for i in keep:
                step = self.make_step(steps[i], market or self.lead, owner, fn)
                if step is not None:
                    proc.steps.append(step)
                    self.steps.append((proc, step))
            self.processes.append(proc)
            self.proc_fn[pid] = fn
            self.proc_index.setdefault(key, []).append((pid, market))

    def system_of(self, step: m.Step) -> _Sys:
        """The system a step runs in (:meth:`make_step` gives every step one)."""
        assert step.system is not None
        return self.sys[step.system]

    def make_step(self, tpl: StepTemplate, market: str, owner: str, fn: str) -> m.Step | None:
        name, actor, channel, stype, creates, reads, updates, deletes = tpl
        sid = self.resolve(stype, market)
        if sid is None:
            return None
        rec = self.sys[sid]
        if actor.startswith("@"):
            word = actor[1:]
            if word == "owner":
                actor = owner
            elif word in self.people_by_fn:
                actor = self.person(word)
            else:
                actor = rec.obj.name
        lists: dict[str, list[str]] = {}
        for key, items in (("creates", creates), ("reads", reads), ("updates", updates), ("deletes", deletes)):
            out: list[str] = []
            for item in items:
                if item.startswith("@"):
                    ent = item[1:]
                    pool = [a for a in rec.holds if self.specs[a].entity == ent and self.eligible_in(a, sid)]
                    out += self.pick(pool, self.rng.randint(1, 2))
                elif self.eligible_in(item, sid):
                    out.append(item)
            if channel in ANONYMOUS and key == "creates":
                out = [a for a in out if not self.specs[a].ident]
            seen: list[str] = []
            for a in out:
                if a not in seen and all(a not in v for v in lists.values()):
                    seen.append(a)
            lists[key] = seen
        if not any(lists.values()):
            pool = [a for a in rec.holds if self.eligible_in(a, sid)]
            lists["reads"] = self.pick(pool, 2)
        for key, picked in lists.items():
            for a in picked:
                if a not in rec.holds and key != "deletes":
                    q, c = self.copy_quality()
                    captured = key in ("creates", "updates")
                    self.hold(
                        sid,
                        a,
                        "" if captured else "?",
                        role="copy",
                        quality=max(q or 3, 3),
                        coverage=c,
                        freshness="realtime" if captured else None,
                    )
            lists[key] = [a for a in picked if a in rec.holds]
        return m.Step(
            name=name,
            actor=actor,
            channel=channel or None,
            system=sid,
            creates=lists["creates"],
            reads=lists["reads"],
            updates=lists["updates"],
            deletes=lists["deletes"],
        )

    def captured_channels(self) -> set[str]:
        return {s.channel for _, s in self.steps if s.channel and any(self.specs[a].ident for a in s.creates)}

    def ensure_capture(self) -> None:
        """Every channel but the planted anonymous ones gets a step that captures an identifier."""
        captured = self.captured_channels()
        for ch, tpl in CAPTURE_STEPS.items():
            if ch in captured:
                continue
            for _proc, step in self.steps:  # an existing step on the channel that can capture naturally
                rec = self.system_of(step)
                ids = [
                    a
                    for a in CHANNEL_IDS[ch]
                    if a in rec.holds
                    and not rec.planted
                    and a not in step.reads + step.updates + step.deletes + step.creates
                ]
                if step.channel == ch and ids:
                    step.creates.append(ids[0])
                    break
            else:
                procs = [p for p in self.processes if len(p.steps) < 8]
                fitting = [p for p in procs if self.proc_fn[p.id] == CAPTURE_FN[ch]]
                with_ch = [p for p in fitting or procs if any(st.channel == ch for st in p.steps)]
                proc = (with_ch or fitting or procs or self.processes)[0]
                made = self.make_step(tpl, self.lead, proc.owner or self.people[0].id, self.proc_fn[proc.id])
                if made is not None and any(self.specs[a].ident for a in made.creates):
                    proc.steps.append(made)
                    self.steps.append((proc, made))

    def plant_step_not_held(self) -> None:
        k = self.k(0.01, len(self.steps))
        cands = [(p, s) for p, s in self.steps if not self.system_of(s).planted and s.channel not in ANONYMOUS]
        self.rng.shuffle(cands)
        done = 0
        for proc, step in cands:
            if done >= k:
                break
            rec = self.system_of(step)
            ent_pref = ("address", "contact_point", "preference", "customer")
            pool = [
                a
                for a in self.origin
                if a not in rec.holds
                and not self.specs[a].special
                and self.specs[a].entity in ent_pref
                and self.specs[a].core
            ]
            if not pool:
                continue
            aid = self.rng.choice(pool)
            if aid in step.creates or aid in step.reads or aid in step.updates:
                continue
            step.updates.append(aid)
            idx = proc.steps.index(step) + 1
            self.planted["step-not-held"].append(
                {"process": proc.id, "step": idx, "action": "updates", "attribute": aid, "system": step.system}
            )
            done += 1

    # -- identifiers ------------------------------------------------------------
    def ensure_identifiers(self) -> None:
        main = [a for a, s in self.specs.items() if s.ident and not s.special and a in self.origin]
        for sid, rec in self.sys.items():
            if rec.planted:
                continue
            if any(self.specs[a].ident for a in rec.holds):
                continue
            prefer = {"erp": "erp_customer_number", "crmb2b": "crm_account_id", "b2bportal": "crm_account_id"}
            aid = prefer.get(rec.type, "customer_id")
            if aid not in self.origin:
                aid = main[0]
            q, c = self.copy_quality()
            self.hold(sid, aid, "?", role="copy", quality=max(q or 3, 3), coverage=c)

    # -- feeds --------------------------------------------------------------------
    def freq(self, src: str, dst: str) -> m.Freshness:
        key = (src, dst)
        known = self.feed_freq.get(key)
        if known is not None:
            return known
        rng = self.rng
        st, dt = self.sys[src].type, self.sys[dst].type
        f: m.Freshness
        if st in ("survey", "reviews"):
            f = "weekly"
        elif dt in ("dwh", "rdwh", "lake"):
            f = "daily" if rng.random() < 0.8 else "hourly"
        elif st in ("dwh", "rdwh", "lake"):
            f = "daily"
        elif dt == "cdp" or st == "cdp":
            f = "hourly" if rng.random() < 0.6 else "realtime"
        elif st == "erp" or dt == "erp":
            f = rng.choice(("hourly", "daily"))
        else:
            f = "realtime" if rng.random() < 0.6 else "hourly"
        self.feed_freq[key] = f
        return f

    def add_feed(self, src: str, dst: str, aid: str) -> None:
        assert src != dst
        attrs = self.feeds.setdefault((src, dst), {})
        if aid not in attrs:
            attrs[aid] = None
            self.feed_in.setdefault(aid, []).append((src, dst))
        self.freq(src, dst)

    def build_sync_feeds(self) -> None:
        tier = {"rdwh": 1, "dwh": 2, "cdp": 3, "lake": 4}
        items = sorted(self.upstream.items(), key=lambda kv: tier.get(self.sys[kv[0][0]].type, 5))
        for (sid, aid), up in items:
            h = self.sys[sid].holds[aid]
            origin = self.origin.get(aid)
            if up == "":
                if origin and origin != sid and not self.sys[sid].planted:
                    # captured here: synchronised back to the master
                    self.add_feed(sid, origin, aid)
                if h.freshness is None:
                    h.freshness = "realtime"
                continue
            if up == "?":
                up = self.pick_upstream(sid, aid)
            self.upstream[(sid, aid)] = up
            self.add_feed(up, sid, aid)
            src_f = self.sys[up].holds[aid].freshness or "daily"
            h.freshness = FRESH[max(_r(src_f), _r(self.freq(up, sid)))]

    def pick_upstream(self, sid: str, aid: str) -> str:
        origin = self.origin[aid]
        stype = self.sys[sid].type
        if stype in ("dwh", "rdwh", "lake"):
            if stype == "lake" and aid in self.sys[self.dwh].holds:
                return self.dwh
            region = self.region_of(origin) if sid == self.dwh else None
            return region if region and aid in self.sys[region].holds else origin
        if self.cdp and sid != self.cdp and aid in self.sys[self.cdp].holds and self.rng.random() < 0.85:
            return self.cdp
        if self.is_op(origin) and (self.sys[origin].market in (None, self.sys[sid].market)):
            return origin
        if sid != self.dwh and aid in self.sys[self.dwh].holds:
            return self.dwh
        return origin

    # -- use cases ------------------------------------------------------------------
    def build_use_cases(self) -> None:
        rng = self.rng
        n = self.cfg["use_cases"]
        cands: list[tuple[UseCaseTemplate, str | None, str]] = []
        if self.scale == "small":
            cands = [(t, self.lead, "") for t in UC_TEMPLATES[:n]]
        else:
            rounds: list[list[tuple[UseCaseTemplate, str | None, str]]] = [[], [], []]
            for t in UC_TEMPLATES:
                if t.scope == "group":
                    rounds[0].append((t, None, ""))
                else:
                    for i, (code, _) in enumerate(self.markets):
                        rounds[0 if i == 0 else 1].append((t, code, ""))
                if t.cats:
                    markets: list[str | None] = [None] if t.scope == "group" else [c for c, _ in self.markets]
                    for market in markets:
                        for cslug, _ in CATEGORIES:
                            rounds[2].append((t, market, cslug))
            for r in rounds:
                if len(cands) >= n:
                    break
                need = n - len(cands)
                cands += r if len(r) <= need else [r[i] for i in sorted(rng.sample(range(len(r)), need))]
        cat_names = dict(CATEGORIES)
        self.use_cases: list[m.UseCase] = []
        self.uc_meta: dict[str, dict] = {}
        for t, market, cat in cands[:n]:
            suffix = "-".join(p for p in (cat, market if t.scope != "group" and self.multi else "") if p)
            uid = self.claim(f"{t.key}-{suffix}" if suffix else t.key)
            quals = [q for q in (cat_names.get(cat, ""),) if q]
            title = t.title + (f": {quals[0]}" if quals else "")
            if t.scope != "group" and self.multi:
                title += f" ({self.market_name(market)})"
            mk = market or self.lead
            execs: list[str] = []
            for i, et in enumerate(t.exec):
                if i > 0 and rng.random() < 0.45:
                    continue
                sid = self.resolve(et, mk)
                if sid and sid not in execs:
                    execs.append(sid)
            procs = []
            for pk in t.procs:
                inst = self.proc_index.get(pk, [])
                same = [p for p, pm in inst if pm in (market, None)]
                if same:
                    procs.append(same[0])
                elif inst and rng.random() < 0.5:
                    procs.append(inst[0][0])
            uc = m.UseCase(
                id=uid,
                title=title,
                description=t.desc,
                owner=None,
                function=t.fn,
                channels=list(t.channels),
                value=rng.randint(*t.value),
                effort=rng.randint(1, 5) if rng.random() < 0.8 else None,
                horizon=rng.choices(m.HORIZONS, (40, 35, 25))[0],
                status=rng.choices(m.USE_CASE_STATUSES, (45, 40, 5, 10))[0],
                executes_in=execs,
                processes=procs,
            )
            owner_fn = t.fn if self.people_by_fn.get(t.fn) else ("service" if t.fn == "cx" else t.fn)
            uc.owner = self.person(owner_fn, ("marketing",))
            self.use_cases.append(uc)
            self.uc_meta[uid] = {
                "t": t,
                "cat": cat,
                "target": max(5, min(15, round(rng.triangular(5, 15.99, NEEDS_MODE[self.scale])))),
            }
        self.fix_channels()
        # planted: orphan, without needs, personal without consent
        ucs = self.use_cases
        k = self.k(0.015, n)
        pref = [u for u in ucs if self.uc_meta[u.id]["t"].key in ("erasure-requests", "access-requests")]
        rest = [u for u in ucs if u not in pref]
        no_needs = (pref[:1] + self.pick(rest, k))[:k]
        self.no_needs = {u.id for u in no_needs}
        self.planted["use-case-without-needs"] = [u.id for u in ucs if u.id in self.no_needs]
        orphans = self.pick([u for u in ucs if u.id not in self.no_needs], self.k(0.02, n))
        for u in orphans:
            u.owner = None
        self.planted["orphan-use-case"] = [u.id for u in ucs if u.owner is None]
        mchan = set(m.DEFAULT_MARKETING_CHANNELS)
        mk_ucs = [u for u in ucs if mchan & set(u.channels) and u.id not in self.no_needs and u.function != "legal"]
        pwc = [u for u in mk_ucs if self.uc_meta[u.id]["t"].key == "click-collect-notify"][:1]
        k = self.k(0.03, len(mk_ucs))
        pwc += self.pick([u for u in mk_ucs if u not in pwc], k - len(pwc))
        self.pwc = {u.id for u in pwc}
        self.build_needs()

    def build_needs(self) -> None:
        rng = self.rng
        ucs = [u for u in self.use_cases if u.id not in self.no_needs]
        chosen: dict[str, dict[str, m.Criticality]] = {u.id: {} for u in ucs}  # uc -> attr -> criticality
        by_id = {u.id: u for u in ucs}
        target = {u.id: self.uc_meta[u.id]["target"] for u in ucs}
        mchan = set(m.DEFAULT_MARKETING_CHANNELS)
        cap = {u.id: 14 if mchan & set(u.channels) else 15 for u in ucs}  # room for a consent need
        for u in ucs:
            target[u.id] = min(target[u.id], cap[u.id])
        needed_count: dict[str, int] = {a: 0 for a in self.attrs}

        def add(uid: str, aid: str, crit: m.Criticality) -> bool:
            if aid in chosen[uid] or aid in self.unused or aid not in self.attrs:
                return False
            if uid in self.pwc and self.specs[aid].entity == "consent":
                return False  # planted: personal data on a marketing channel without consent
            chosen[uid][aid] = crit
            needed_count[aid] += 1
            return True

        for u in ucs:
            for aid, crit in self.uc_meta[u.id]["t"].base:
                if len(chosen[u.id]) < target[u.id]:
                    add(u.id, aid, crit)
        slot_index: dict[str, list[str]] = {}
        cat_index: dict[tuple[str, str], list[str]] = {}
        for u in ucs:
            meta = self.uc_meta[u.id]
            for ent in meta["t"].slots:
                slot_index.setdefault(ent, []).append(u.id)
                if meta["cat"]:
                    cat_index.setdefault((ent, meta["cat"]), []).append(u.id)

        def crit_pick() -> m.Criticality:
            return rng.choices(m.CRITICALITIES, (25, 40, 35))[0]

        def b2b(aid: str) -> bool:
            return aid in B2B or self.specs[aid].entity == "organization"

        def fits(uid: str, aid: str) -> bool:
            slots = self.uc_meta[uid]["t"].slots
            if b2b(aid):
                return "organization" in slots
            return self.specs[aid].entity in slots + ("contact_point", "consent", "identifier")

        # coverage: every attribute but the unused ones is needed at least once
        order = [a for a in self.attrs if needed_count[a] == 0 and a not in self.unused]
        rng.shuffle(order)
        all_ids = [u.id for u in ucs]
        for aid in order:
            s = self.specs[aid]
            placed = False
            pools = [
                cat_index.get((s.entity, s.cat), []) if s.cat else [],
                [u for u in slot_index.get(s.entity, []) if fits(u, aid)],
            ]
            for pool in pools:
                for _ in range(12):
                    if not pool:
                        break
                    uid = rng.choice(pool)
                    if len(chosen[uid]) < target[uid] and add(uid, aid, crit_pick()):
                        placed = True
                        break
                if placed:
                    break
            if not placed:
                fitting = [u for u in all_ids if fits(u, aid)] or all_ids
                for limit in (target, None):
                    for uid in sorted(fitting, key=lambda x: len(chosen[x]) - (limit or target)[x]):
                        if len(chosen[uid]) < (limit or cap)[uid] and add(uid, aid, crit_pick()):
                            placed = True
                            break
                    if placed:
                        break
        # popular fill up to each use case's target
        groups: dict[tuple[str, bool], tuple[list[str], list[float]]] = {}
        for ent in ENTITY_ORDER:
            for business in (False, True):
                ids = [
                    a
                    for a, s in self.specs.items()
                    if s.entity == ent
                    and a not in self.unused
                    and a not in self.missing
                    and not s.special
                    and (business or not b2b(a))
                ]
                groups[(ent, business)] = (ids, list(accumulate(self.specs[a].pop for a in ids)))
        for u in ucs:
            slots = self.uc_meta[u.id]["t"].slots
            business = "organization" in slots
            generic = ("contact_point", "consent") if mchan & set(u.channels) else ("contact_point",)
            ents = [e for e in slots + generic if groups[(e, business)][0]]
            tries = 0
            while len(chosen[u.id]) < target[u.id] and tries < 60:
                tries += 1
                ids, cum = groups[(rng.choice(ents), business)]
                aid = rng.choices(ids, cum_weights=cum)[0]
                if aid not in chosen[u.id]:
                    add(u.id, aid, crit_pick())
        # consent for personal data on marketing channels
        for u in ucs:
            chans = [c for c in u.channels if c in mchan]
            if not chans:
                continue
            needs = chosen[u.id]
            personal = any(self.specs[a].sens != "none" for a in needs)
            consent = [a for a in needs if self.specs[a].entity == "consent"]
            if u.id in self.pwc:
                if not personal:
                    add(u.id, "email", "must")
                continue
            if personal and not consent:
                for c in chans:
                    for aid in OPTIN_FOR.get(c, ("email_optin",)):
                        if aid in self.attrs and aid not in self.missing:
                            add(u.id, aid, "must")
                            break
                    if any(self.specs[a].entity == "consent" for a in needs):
                        break
        self.planted["personal-without-consent"] = [u.id for u in self.use_cases if u.id in self.pwc]
        purposes = PURPOSES
        for uid, needs in chosen.items():
            u = by_id[uid]
            for aid, crit in needs.items():
                ent = self.specs[aid].entity
                purpose = purposes[ent] if rng.random() < 0.2 else None
                u.needs.append(m.Need(attribute=aid, criticality=crit, purpose=purpose))

    # -- routing ------------------------------------------------------------------------
    def route_needs(self) -> None:
        pairs: dict[tuple[str, str], None] = {}
        for u in self.use_cases:
            for need in u.needs:
                aid = need.attribute
                if aid not in self.origin or not u.executes_in:
                    continue
                if any(aid in self.sys[s].holds for s in u.executes_in):
                    continue
                pairs[(aid, u.executes_in[0])] = None
        plist = [p for p in pairs if not self.specs[p[0]].special]
        k = self.k(0.025, len(plist))
        skip = set(self.pick(plist, k))
        self.unreachable_pairs = [p for p in plist if p in skip] + [p for p in pairs if self.specs[p[0]].special]
        for aid, sid in pairs:
            if (aid, sid) in skip or self.specs[aid].special in ("island", "legacy"):
                continue
            src = self.route_source(aid, sid)
            if src and src != sid:
                self.add_feed(src, sid, aid)

    def route_source(self, aid: str, sid: str) -> str | None:
        stype = self.sys[sid].type
        if self.cdp and aid in self.sys[self.cdp].holds and sid != self.cdp and stype not in ("dwh", "erp", "lake"):
            return self.cdp
        if aid in self.sys[self.dwh].holds and sid != self.dwh:
            return self.dwh
        return self.origin.get(aid)

    # -- freshness --------------------------------------------------------------------------
    def best(self, aid: str) -> dict[str, int]:
        """Best path rank per system for ``aid`` (UNKNOWN when only unknown paths)."""
        dist: dict[str, int] = {}
        heap: list[tuple[int, str]] = []
        for sid, rec in self.sys.items():
            h = rec.holds.get(aid)
            if h is not None:
                r = _r(h.freshness)
                if r < dist.get(sid, 99):
                    dist[sid] = r
                    heapq.heappush(heap, (r, sid))
        out_edges: dict[str, list[str]] = {}
        for src, dst in self.feed_in.get(aid, ()):
            out_edges.setdefault(src, []).append(dst)
        while heap:
            r, sid = heapq.heappop(heap)
            if r > dist.get(sid, 99):
                continue
            for dst in out_edges.get(sid, ()):
                nr = max(r, _r(self.feed_freq[(sid, dst)]))
                if nr < dist.get(dst, 99):
                    dist[dst] = nr
                    heapq.heappush(heap, (nr, dst))
        return dist

    def need_rank(self, u: m.UseCase, aid: str, cache: dict) -> int | None:
        dist = cache.get(aid)
        if dist is None:
            dist = cache[aid] = self.best(aid)
        ranks = [dist[s] for s in u.executes_in if s in dist]
        return min(ranks) if ranks else None

    def set_freshness(self) -> None:
        rng = self.rng
        # planted unknown freshness: an attribute mastered in the system a use case runs in, freshness unknown
        fed_into = {(a, d) for a, edges in self.feed_in.items() for _, d in edges}
        cands: dict[tuple[str, str], list] = {}
        for u in self.use_cases:
            for need in u.needs:
                aid = need.attribute
                o = self.origin.get(aid)
                if (
                    o in u.executes_in
                    and not self.specs[aid].special
                    and not any((aid, s) in fed_into for s in u.executes_in)
                ):
                    cands.setdefault((aid, o), []).append((u, need))
        total_needs = sum(len(u.needs) for u in self.use_cases)
        k = self.k(0.01, total_needs)
        unknown_keys: list[tuple[str, str]] = []
        for key in self.pick(sorted(cands), len(cands)):
            if sum(len(cands[x]) for x in unknown_keys) >= k:
                break
            unknown_keys.append(key)
        for aid, o in unknown_keys:
            self.sys[o].holds[aid].freshness = None
        self.unknown_attrs = {aid for aid, _ in unknown_keys}
        cache: dict[str, dict[str, int]] = {}
        rank: dict[int, int | None] = {}
        for u in self.use_cases:
            for need in u.needs:
                rank[id(need)] = self.need_rank(u, need.attribute, cache)
        # planted stale
        stale_c = [
            (u, n, r)
            for u in self.use_cases
            for n in u.needs
            if (r := rank[id(n)]) is not None and 1 <= r <= 4 and n.attribute not in self.unknown_attrs
        ]
        stale = self.pick(stale_c, self.k(0.02, total_needs))
        stale_ids = {id(n) for _, n, _ in stale}
        for u, need, r in stale:
            need.freshness = FRESH[rng.randrange(0, r)]
            self.planted["stale"].append(
                {
                    "use_case": u.id,
                    "attribute": need.attribute,
                    "criticality": need.criticality,
                    "path": FRESH[r],
                    "needed": need.freshness,
                }
            )
        for u in self.use_cases:
            for need in u.needs:
                if id(need) in stale_ids:
                    continue
                r = rank[id(need)]
                if r == UNKNOWN_RANK:
                    need.freshness = rng.choice(("hourly", "daily"))
                    self.planted["unknown-freshness"].append(
                        {"use_case": u.id, "attribute": need.attribute, "criticality": need.criticality}
                    )
                elif r is None:
                    need.freshness = rng.choice(("daily", "weekly")) if rng.random() < 0.5 else None
                elif rng.random() < 0.3:
                    need.freshness = None
                else:
                    need.freshness = FRESH[min(4, r + rng.choice((0, 0, 0, 1, 1, 2)))]
        for u in self.use_cases:
            for need in u.needs:
                if rank[id(need)] is None:
                    rule = "unreachable" if need.attribute in self.origin else "missing-source"
                    self.planted[rule].append(
                        {"use_case": u.id, "attribute": need.attribute, "criticality": need.criticality}
                    )

    # -- owners ----------------------------------------------------------------------------------
    def assign_owners(self) -> None:
        writers: dict[str, dict[str, int]] = {}
        for proc, step in self.steps:
            fn = self.proc_fn[proc.id]
            for aid in step.creates + step.updates:
                w = writers.setdefault(aid, {})
                w[fn] = w.get(fn, 0) + 1
        self.writers = writers
        for aid, attr in self.attrs.items():
            by_fn = writers.get(aid)
            if by_fn:
                top = max(sorted(by_fn), key=lambda f: by_fn[f])
                attr.owner = self.person(top, ())
            else:
                attr.owner = self.person(ENTITY_OWNER[self.specs[aid].entity], ("marketing",))
        needed = [a for a in self.attrs if a not in self.unused]
        # contested: written by 2+ functions, owned outside them
        multi = [a for a in needed if len(writers.get(a, {})) >= 2]
        contested = self.pick(multi, self.k(0.1, len(multi)))
        for aid in contested:
            outside = [
                f
                for f in ("finance", "legal", "data", "it", "marketing", "sales", "service", "operations")
                if f not in writers[aid] and self.people_by_fn.get(f)
            ]
            self.attrs[aid].owner = self.person(outside[0], ())
        self.planted["contested"] = [a for a in self.attrs if a in set(contested)]
        self.reserved = set(contested)
        single = [a for a in needed if len(writers.get(a, {})) <= 1 and a not in self.reserved]
        no_owner = self.pick(single, self.k(0.015, len(needed)))
        for aid in no_owner:
            self.attrs[aid].owner = None
        self.reserved |= set(no_owner)
        self.planted["no-owner"] = [a for a in self.attrs if a in set(no_owner)]

    # -- attribute-level plants -----------------------------------------------------------------
    def holders(self, aid: str) -> list[_Sys]:
        return [rec for rec in self.sys.values() if aid in rec.holds]

    def plant_attribute_gaps(self) -> None:
        rng = self.rng
        needed = [
            a
            for a in self.attrs
            if a not in self.unused and a in self.origin and not self.specs[a].special and a not in self.unknown_attrs
        ]
        n = len(needed)
        taken = set(self.reserved)
        holders = {a: self.holders(a) for a in needed}

        def take(pool: list[str], k: int) -> list[str]:
            pool = [a for a in pool if a not in taken]
            got = self.pick(pool, k)
            taken.update(got)
            return [a for a in needed if a in set(got)]

        multi = [a for a in needed if len(holders[a]) >= 2]
        for aid in take(multi, self.k(0.015, n)):
            for rec in holders[aid]:
                if rec.holds[aid].role == "master":
                    rec.holds[aid].role = "copy"
            self.planted["no-master"].append(aid)
        for aid in take([a for a in multi if len(holders[a]) >= 3], self.k(0.01, n)):
            second = [r for r in holders[aid] if r.holds[aid].role != "master" and r.type not in HUBS]
            second = second or [r for r in holders[aid] if r.holds[aid].role != "master"]
            second[0].holds[aid].role = "master"
            self.planted["many-masters"].append(
                {"attribute": aid, "masters": [r.id for r in holders[aid] if r.holds[aid].role == "master"]}
            )
        alt_type = {
            "date": "string",
            "datetime": "date",
            "decimal": "string",
            "integer": "string",
            "money": "decimal",
            "boolean": "string",
            "enum": "string",
            "id": "string",
        }
        for aid in take(multi, self.k(0.015, n)):
            a = self.attrs[aid]
            recs = holders[aid][:2] if len(holders[aid]) < 3 else self.pick(holders[aid], 2)
            if a.type in alt_type and rng.random() < 0.4:
                recs[0].holds[aid].type = alt_type[a.type]
                recs[1].holds[aid].type = a.type
                detail = "type"
            else:
                recs[0].holds[
                    aid
                ].definition = (
                    f"{a.name} as {recs[0].obj.name} records it: the value the customer last gave in this system."
                )
                recs[1].holds[
                    aid
                ].definition = f"{a.name} as {recs[1].obj.name} derives it, from the most recent source it receives."
                detail = "definition"
            self.planted["definition-conflict"].append(
                {"attribute": aid, "detail": detail, "systems": [r.id for r in recs]}
            )
        for aid in take(needed, self.k(0.015, n)):
            for rec in holders[aid]:
                rec.holds[aid].quality = rng.choice((1, 2))
            self.planted["low-quality"].append(aid)
        for aid in take(needed, self.k(0.01, n)):
            for rec in holders[aid]:
                rec.holds[aid].coverage = round(rng.uniform(0.05, 0.45), 2)
            self.planted["low-coverage"].append(aid)

    # -- channels -------------------------------------------------------------------------------
    def fix_channels(self) -> None:
        used_by_steps = {s.channel for _, s in self.steps if s.channel}
        captured = self.captured_channels()
        for u in self.use_cases:
            kept = [c for c in u.channels if c in captured or c in ANONYMOUS]
            if u.channels and not kept:
                kept = ["web"] if "web" in captured else sorted(captured)[:1]
            u.channels = kept
        used = {c for u in self.use_cases for c in u.channels} | used_by_steps
        self.planted["anonymous-channel"] = [c for c in m.DEFAULT_CHANNELS if c in used and c in ANONYMOUS]
        self.planted["unrepresented-function"] = ["cx"]

    # -- notes ------------------------------------------------------------------------------------
    def build_notes(self) -> None:
        rng = self.rng
        n = self.cfg["notes"]
        p = self.planted
        A = {aid: _Named(_lower_first(a.name), a.effective_sensitivity) for aid, a in self.attrs.items()}
        ucs = {u.id: u for u in self.use_cases}
        by = self.person
        notes: list[m.Note] = []

        def note(kind: m.NoteKind, text: str, about: list[str], fn: str, status: m.NoteStatus = "open") -> None:
            prefix = {"question": "q", "risk": "r", "decision": "d", "idea": "i", "parking": "p"}[kind]
            nid = self.claim(f"{prefix}-{len(notes) + 1:03d}")
            notes.append(m.Note(id=nid, kind=kind, text=text, about=about, by=by(fn), status=status))

        # per planted gap: its subjects, and the note (kind, text, about, function[, status]) one of them gets
        says: list[tuple[list[Any], Callable[[Any], tuple[Any, ...]]]] = [
            (
                list(dict.fromkeys(item["attribute"] for item in p["missing-source"])),
                lambda aid: (
                    "risk",
                    f"None of our systems keeps {A[aid].name}. Use cases that need it cannot start "
                    "until a process captures it.",
                    [aid],
                    "legal" if self.specs[aid].entity == "consent" else "data",
                ),
            ),
            (
                p["no-owner"],
                lambda aid: (
                    "question",
                    f"Who owns {A[aid].name}? Several teams use it and nobody feels responsible for its quality.",
                    [aid],
                    "data",
                ),
            ),
            (
                p["many-masters"],
                lambda item: (
                    "risk",
                    f"{' and '.join(self.sys[s].obj.name for s in item['masters'])} both consider themselves "
                    f"master of {A[item['attribute']].name}.",
                    [item["attribute"]] + item["masters"],
                    "it",
                ),
            ),
            (
                p["definition-conflict"],
                lambda item: (
                    "question",
                    f"What does {A[item['attribute']].name} mean? The systems disagree on its {item['detail']}.",
                    [item["attribute"]] + item["systems"],
                    "data",
                ),
            ),
            (
                p["identity-island"],
                lambda sid: (
                    "risk",
                    f"{self.sys[sid].obj.name} cannot be linked to the other systems: it shares no customer "
                    "identifier with them.",
                    [sid],
                    "data",
                ),
            ),
            (
                p["orphan-use-case"],
                lambda uid: (
                    "question",
                    f"Who sponsors '{ucs[uid].title}'? Nobody claimed it on the workshop day.",
                    [uid],
                    "marketing",
                ),
            ),
            (
                p["unused-attribute"],
                lambda aid: (
                    "idea",
                    f"Stop copying {A[aid].name} around: no use case needs it"
                    + (", and we must minimise personal data." if A[aid].sens != "none" else "."),
                    [aid],
                    "legal" if A[aid].sens != "none" else "data",
                ),
            ),
            (
                p["personal-without-consent"][:1],
                lambda uid: (
                    "decision",
                    f"'{ucs[uid].title}' sends service messages; they need no marketing consent as long "
                    "as they contain no offers.",
                    [uid],
                    "legal",
                    "closed",
                ),
            ),
            (
                p["stale"][:3],
                lambda item: (
                    "idea",
                    f"Move {A[item['attribute']].name} to a faster feed: it arrives {item['path']} "
                    f"but is needed {item['needed']}.",
                    [item["attribute"], item["use_case"]],
                    "it",
                ),
            ),
        ]
        makers = [(say, subject) for subjects, say in says for subject in subjects]
        rng.shuffle(makers)
        for say, subject in makers[:n]:
            note(*say(subject))
        generic: list[tuple[m.NoteKind, str, str]] = [
            ("parking", "Revisit after the platform decision in the spring.", "it"),
            ("question", "Can the business case be quantified per market?", "finance"),
            ("idea", "Pilot in one market first and measure the uplift.", "marketing"),
            ("decision", "Agreed as a priority for the next quarter.", "marketing"),
            ("risk", "Depends on the integration team, which is fully booked until summer.", "it"),
        ]
        while len(notes) < n:
            kind, text, fn = rng.choice(generic)
            u = rng.choice(self.use_cases)
            note(kind, text, [u.id], fn, "closed" if kind == "decision" else "open")
        self.notes = notes[:n]

    # -- assembly ------------------------------------------------------------------------------------
    def build(self) -> Synthetic:
        self.build_stakeholders()
        self.build_systems()
        self.build_attributes()
        self.build_holdings()
        self.build_processes()
        self.ensure_capture()
        self.plant_step_not_held()
        self.ensure_identifiers()
        self.build_sync_feeds()
        self.build_use_cases()
        self.route_needs()
        self.set_freshness()
        self.assign_owners()
        self.plant_attribute_gaps()
        self.build_notes()
        return Synthetic(self.assemble(), self.planted)

    def system_order(self, rec: _Sys) -> int:
        return 2 if rec.planted else 1 if rec.type in HUBS else 0

    def assemble(self) -> m.Workshop:
        rng = self.rng
        org = rng.choice(ORGS)
        start = _dt.date(2026, 1, 5) + _dt.timedelta(days=7 * rng.randrange(0, 44))
        days = {"small": 2, "medium": 3, "enterprise": 4}[self.scale]
        dates = [start + _dt.timedelta(days=7 * i) for i in range(days)]
        countries = ", ".join(name for _, name in self.markets)
        for rec in self.sys.values():
            rec.obj.holds = list(rec.holds.values())
        for (src, dst), attrs in self.feeds.items():
            self.sys[src].obj.feeds.append(m.Feed(to=dst, attributes=list(attrs), frequency=self.feed_freq[(src, dst)]))
        header = (
            f"Synthetic needsmap workshop: needsmap generate --scale {self.scale} --seed {self.seed}\n"
            "The organisation, its people and its suppliers are fictional. Gaps of every kind are planted\n"
            "on purpose; see the needsmap.synthetic.builder module for what and how many."
        )
        return m.Workshop(
            workshop=m.WorkshopInfo(
                name=f"Customer data discovery - {org}",
                organization=org,
                dates=dates,
                facilitator=self.facilitator,
                scope=f"{org} sells furniture, textiles and home accessories in stores, a web shop and an app"
                f" ({countries}). These sessions mapped what each department needs from customer data, "
                "where that data lives today and who owns it.",
            ),
            settings=m.Settings(min_quality=m.DEFAULT_MIN_QUALITY, min_coverage=m.DEFAULT_MIN_COVERAGE),
            functions=list(m.DEFAULT_FUNCTIONS),
            channels=list(m.DEFAULT_CHANNELS),
            stakeholders=self.people,
            attributes=list(self.attrs.values()),
            systems=[rec.obj for rec in sorted(self.sys.values(), key=self.system_order)],
            use_cases=self.use_cases,
            processes=self.processes,
            notes=self.notes,
            header=header,
        )


_PLANTED_TYPES = frozenset(t for group in PLANTED_SYSTEMS.values() for t, _ in group)
