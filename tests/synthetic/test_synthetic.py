"""The synthetic workshop generator: deterministic, valid, realistic in size, with every gap planted.

The gap rules are re-implemented here in their simplest literal form (small
helper functions below), independently of needsmap.analysis, and applied to the
generated workshops: every rule must fire, and none
may fire on more than a few percent of what it looks at (most data is healthy).
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

from needsmap.format import model as m
from needsmap.format.opening import parse_workshop
from needsmap.format.saver import dump
from needsmap.synthetic.builder import GAP_RULES, SCALES, count_links, generate, generate_detailed

FRESH = ("realtime", "hourly", "daily", "weekly", "monthly")
UNKNOWN = 5


def rank(f: str | None) -> int:
    return FRESH.index(f) if f in FRESH else UNKNOWN


# --------------------------------------------------------------------------- reference rules
class Facts:
    """The workshop as lookups the rule helpers share."""

    def __init__(self, ws: m.Workshop) -> None:
        self.ws = ws
        self.attrs = {a.id: a for a in ws.attributes}
        self.systems = {s.id: s for s in ws.systems}
        self.people = {p.id: p for p in ws.stakeholders}
        self.holders: dict[str, dict[str, m.Holding]] = defaultdict(dict)
        for s in ws.systems:
            for h in s.holds:
                self.holders[h.attribute][s.id] = h
        self.edges: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for s in ws.systems:
            for f in s.feeds:
                for a in f.attributes:
                    self.edges[a].append((s.id, f.to, rank(f.frequency)))
        self.needs = [(uc, n) for uc in ws.use_cases for n in uc.needs]
        self.needed = {n.attribute for _, n in self.needs}
        self._best: dict[str, dict[str, int]] = {}

    def best(self, attr: str) -> dict[str, int]:
        """Best (fastest) path rank per system; a path is as slow as its slowest part."""
        if attr not in self._best:
            dist = {sid: rank(h.freshness) for sid, h in self.holders[attr].items()}
            changed = True
            while changed:
                changed = False
                for src, dst, r in self.edges[attr]:
                    if src in dist and max(dist[src], r) < dist.get(dst, 99):
                        dist[dst] = max(dist[src], r)
                        changed = True
            self._best[attr] = dist
        return self._best[attr]

    def need_rank(self, uc: m.UseCase, need: m.Need) -> int | None:
        dist = self.best(need.attribute)
        ranks = [dist[s] for s in uc.executes_in if s in dist]
        return min(ranks) if ranks else None

    def fn(self, person: str | None) -> str | None:
        return self.people[person].function if person in self.people else None


def missing_source(f: Facts) -> list:
    return [(uc.id, n.attribute) for uc, n in f.needs if not f.holders[n.attribute]]


def unreachable(f: Facts) -> list:
    return [(uc.id, n.attribute) for uc, n in f.needs if f.holders[n.attribute] and f.need_rank(uc, n) is None]


def stale(f: Facts) -> list:
    out = []
    for uc, n in f.needs:
        r = f.need_rank(uc, n) if f.holders[n.attribute] else None
        if r is not None and r != UNKNOWN and n.freshness in FRESH and r > rank(n.freshness):
            out.append((uc.id, n.attribute))
    return out


def unknown_freshness(f: Facts) -> list:
    return [
        (uc.id, n.attribute)
        for uc, n in f.needs
        if n.freshness in FRESH and f.holders[n.attribute] and f.need_rank(uc, n) == UNKNOWN
    ]


def low_quality(f: Facts, minimum: int = 3) -> list:
    return sorted(
        a
        for a in f.needed
        if f.holders[a] and all(h.quality is not None and h.quality < minimum for h in f.holders[a].values())
    )


def low_coverage(f: Facts, minimum: float = 0.5) -> list:
    return sorted(
        a
        for a in f.needed
        if f.holders[a] and all(h.coverage is not None and h.coverage < minimum for h in f.holders[a].values())
    )


def no_master(f: Facts) -> list:
    return sorted(a for a, hs in f.holders.items() if len(hs) >= 2 and not any(h.role == "master" for h in hs.values()))


def many_masters(f: Facts) -> list:
    return sorted(a for a, hs in f.holders.items() if sum(h.role == "master" for h in hs.values()) >= 2)


def definition_conflict(f: Facts) -> list:
    out = []
    for a, hs in f.holders.items():
        attr = f.attrs[a]
        types = {h.type or attr.effective_type for h in hs.values()}
        defs = {h.definition or attr.definition for h in hs.values()}
        if len(hs) >= 2 and (len(types) > 1 or len(defs) > 1):
            out.append(a)
    return sorted(out)


def no_owner(f: Facts) -> list:
    return sorted(a for a in f.needed if f.attrs[a].owner is None)


def writers(f: Facts) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for p in f.ws.processes:
        for s in p.steps:
            for a in s.creates + s.updates:
                out[a].add(f.fn(p.owner))
    return out


def contested(f: Facts, literal_or: bool = False) -> list:
    """2+ writing functions and (no owner, or owner's function not writing).

    ``literal_or``: the other reading, "(2+ writers and no owner) or the owner's
    function never writes it" (only for attributes that someone writes).
    """
    w = writers(f)
    out = []
    for a, fns in w.items():
        owner_fn = f.fn(f.attrs[a].owner)
        if literal_or:
            hit = (len(fns) >= 2 and owner_fn is None) or (owner_fn is not None and owner_fn not in fns)
        else:
            hit = len(fns) >= 2 and (owner_fn is None or owner_fn not in fns)
        if hit:
            out.append(a)
    return sorted(out)


def identity_components(f: Facts) -> list[set[str]]:
    """Connected components of the system-identifier graph (systems holding anything)."""
    parent = {s.id: s.id for s in f.ws.systems if s.holds}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, hs in f.holders.items():
        if f.attrs[a].is_identifier:
            ids = list(hs)
            for other in ids[1:]:
                parent[root(other)] = root(ids[0])
    comps: dict[str, set[str]] = defaultdict(set)
    for sid in parent:
        comps[root(sid)].add(sid)
    return sorted(comps.values(), key=lambda c: (-len(c), sorted(c)))


def identity_islands(f: Facts) -> list[str]:
    comps = identity_components(f)
    return sorted(s for c in comps[1:] for s in c)


def no_identifier(f: Facts) -> list[str]:
    return sorted(
        s.id for s in f.ws.systems if s.holds and not any(f.attrs[h.attribute].is_identifier for h in s.holds)
    )


def anonymous_channels(f: Facts) -> list[str]:
    used = {c for uc in f.ws.use_cases for c in uc.channels}
    used |= {s.channel for p in f.ws.processes for s in p.steps if s.channel}
    capturing = {
        s.channel
        for p in f.ws.processes
        for s in p.steps
        if s.channel and any(f.attrs[a].is_identifier for a in s.creates)
    }
    return sorted(used - capturing)


def step_not_held(f: Facts) -> list:
    out = []
    for p in f.ws.processes:
        for i, s in enumerate(p.steps, 1):
            held = {h.attribute for h in f.systems[s.system].holds} if s.system else set()
            for action in ("creates", "reads", "updates"):
                for a in getattr(s, action):
                    if s.system and a not in held:
                        out.append((p.id, i, action, a))
    return out


def unrepresented_functions(f: Facts) -> list[str]:
    with_people = {p.function for p in f.ws.stakeholders}
    owning = {uc.function for uc in f.ws.use_cases if uc.function}
    owning |= {f.fn(p.owner) for p in f.ws.processes} | {f.fn(s.owner) for s in f.ws.systems}
    return sorted(x for x in owning - with_people if x)


def functions_without_people(f: Facts) -> list[str]:
    with_people = {p.function for p in f.ws.stakeholders}
    return sorted(x for x in f.ws.function_ids if x not in with_people)


def orphan_use_cases(f: Facts) -> list[str]:
    return [uc.id for uc in f.ws.use_cases if uc.owner is None]


def use_cases_without_needs(f: Facts) -> list[str]:
    return [uc.id for uc in f.ws.use_cases if not uc.needs]


def unused_attributes(f: Facts) -> list[str]:
    return [a for a in f.attrs if a not in f.needed]


def personal_without_consent(f: Facts) -> list[str]:
    marketing = set(f.ws.effective_settings.effective_marketing_channels)
    out = []
    for uc in f.ws.use_cases:
        if not marketing & set(uc.channels):
            continue
        ents = [f.attrs[n.attribute] for n in uc.needs]
        personal = any(a.effective_sensitivity != "none" for a in ents)
        if personal and not any(a.effective_entity == "consent" for a in ents):
            out.append(uc.id)
    return out


def findings(ws: m.Workshop) -> dict[str, list]:
    f = Facts(ws)
    return {
        "missing-source": missing_source(f),
        "stale": stale(f),
        "unknown-freshness": unknown_freshness(f),
        "low-quality": low_quality(f),
        "low-coverage": low_coverage(f),
        "unreachable": unreachable(f),
        "no-master": no_master(f),
        "many-masters": many_masters(f),
        "definition-conflict": definition_conflict(f),
        "no-owner": no_owner(f),
        "contested": contested(f),
        "identity-island": identity_islands(f),
        "no-identifier": no_identifier(f),
        "anonymous-channel": anonymous_channels(f),
        "step-not-held": step_not_held(f),
        "unrepresented-function": unrepresented_functions(f),
        "orphan-use-case": orphan_use_cases(f),
        "use-case-without-needs": use_cases_without_needs(f),
        "unused-attribute": unused_attributes(f),
        "personal-without-consent": personal_without_consent(f),
    }


def test_reference_rules_agree_with_the_demo_expectations():
    """The helpers above find exactly what was worked out by hand for the demo workshop."""
    import yaml

    from needsmap.format.opening import open_workshop
    from tests.conftest import DATA, DEMO

    expected = yaml.safe_load((DATA / "demo_expectations.yaml").read_text(encoding="utf-8"))["planted"]
    found = findings(open_workshop(DEMO).workshop)
    for rule, want in expected.items():
        subjects = want.get("attributes", want["subjects"])
        if rule == "step-not-held":
            got = {(p, i, a) for p, i, _action, a in found[rule]}
            assert got == {(s["process"], s["step"], s["attribute"]) for s in subjects}, rule
        elif subjects and isinstance(subjects[0], dict):
            assert {tuple(x) for x in found[rule]} == {(s["use_case"], s["attribute"]) for s in subjects}, rule
        else:
            assert sorted(found[rule]) == sorted(subjects), rule


# Upper bound for each rule, as a share of the population it looks at; small
# workshops may exceed the share by a fixed number of instances.
POPULATION = {
    "missing-source": "needs",
    "stale": "needs",
    "unknown-freshness": "needs",
    "unreachable": "needs",
    "low-quality": "attributes",
    "low-coverage": "attributes",
    "no-master": "attributes",
    "many-masters": "attributes",
    "definition-conflict": "attributes",
    "no-owner": "attributes",
    "contested": "attributes",
    "unused-attribute": "attributes",
    "identity-island": "systems",
    "no-identifier": "systems",
    "step-not-held": "steps",
    "orphan-use-case": "use_cases",
    "use-case-without-needs": "use_cases",
    "personal-without-consent": "use_cases",
}
MAX_SHARE = {"unused-attribute": 0.05, "identity-island": 0.05, "no-identifier": 0.05}
SMALL_ALLOWANCE = 3


def population(ws: m.Workshop, what: str) -> int:
    if what == "needs":
        return sum(len(uc.needs) for uc in ws.use_cases)
    if what == "steps":
        return sum(len(p.steps) for p in ws.processes)
    return len(getattr(ws, what))


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def small():
    return generate("small", 7)


@pytest.fixture(scope="module")
def medium():
    return generate("medium", 7)


# --------------------------------------------------------------------------- determinism
def test_same_seed_same_text():
    for scale in ("small", "medium"):
        assert dump(generate(scale, 42)) == dump(generate(scale, 42))


def test_different_seed_different_text():
    assert dump(generate("small", 1)) != dump(generate("small", 2))
    assert dump(generate("medium", 1)) != dump(generate("medium", 2))


def test_same_text_whatever_the_hash_seed():
    """No output depends on the iteration order of sets (which PYTHONHASHSEED changes)."""
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib; from needsmap.synthetic.builder import generate; from needsmap.format.saver import dump; "
        "print(hashlib.sha256(dump(generate('medium', 11)).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert digests == {hashlib.sha256(dump(generate("medium", 11)).encode()).hexdigest()}


def test_does_not_touch_global_random():
    import random

    random.seed(123)
    expected = random.random()
    random.seed(123)
    generate("small", 5)
    assert random.random() == expected


def test_unknown_scale_and_bad_seed_are_refused():
    with pytest.raises(ValueError, match="small, medium, enterprise"):
        generate("huge", 1)
    with pytest.raises(TypeError):
        generate("small", "1")  # type: ignore[arg-type]  # the wrong type on purpose


# --------------------------------------------------------------------------- validity
@pytest.mark.parametrize(
    "scale,seed",
    [("small", 0), ("small", 1), ("small", 99), ("small", 2024), ("medium", 0), ("medium", 3), ("medium", 77)],
)
def test_valid_and_round_trips(scale, seed):
    ws = generate(scale, seed)
    text = dump(ws)
    result = parse_workshop(text, f"{scale}-{seed}.yaml")
    assert [d.render() for d in result.diagnostics] == []  # not even warnings
    assert dump(result.workshop) == text


def test_exact_counts_for_small_and_medium(small, medium):
    for ws, scale in ((small, "small"), (medium, "medium")):
        want = SCALES[scale]
        for section in ("stakeholders", "use_cases", "processes", "attributes", "systems", "notes"):
            assert len(getattr(ws, section)) == want[section], (scale, section)
        assert abs(count_links(ws)["total"] - want["links"]) <= 0.15 * want["links"]


# --------------------------------------------------------------------------- realistic shape
def test_shape_is_realistic(medium):
    ws = medium
    f = Facts(ws)
    kinds = {s.kind for s in ws.systems}
    assert {
        "crm",
        "marketing_automation",
        "ecommerce",
        "pos",
        "service_desk",
        "loyalty",
        "erp",
        "web_analytics",
        "data_warehouse",
        "cdp",
    } <= kinds
    assert all(s.supplier for s in ws.systems)
    entities = {a.entity for a in ws.attributes}
    assert {
        "customer",
        "organization",
        "household",
        "contact_point",
        "address",
        "consent",
        "identifier",
        "interaction",
        "order",
        "preference",
    } <= entities
    assert all(a.definition and a.type for a in ws.attributes)
    for ent in entities:
        idents = [a for a in ws.attributes if a.entity == ent and a.is_identifier]
        assert len(idents) <= 10, ent
    for uc in ws.use_cases:
        assert 1 <= len(uc.executes_in) <= 2
        assert uc.value in range(1, 6) and uc.horizon in m.HORIZONS
        assert uc.id in use_cases_without_needs(f) or 5 <= len(uc.needs) <= 15
    for p in ws.processes:
        assert 3 <= len(p.steps) <= 8
    # mixes, not one value
    crits = {n.criticality for _, n in f.needs}
    fresh = {n.freshness for _, n in f.needs}
    assert crits == {"must", "should", "could"} and len(fresh) >= 4
    assert {fd.frequency for s in ws.systems for fd in s.feeds} >= {"realtime", "hourly", "daily"}
    assert {n.kind for n in ws.notes} >= {"question", "risk", "idea"}


def test_demand_is_skewed(medium):
    f = Facts(medium)
    per_attr: dict[str, int] = defaultdict(int)
    for _, n in f.needs:
        per_attr[n.attribute] += 1
    counts = sorted(per_attr.values(), reverse=True)
    assert counts[0] >= 0.4 * len(medium.use_cases)  # e-mail and the like: needed by many
    assert sorted(counts)[len(counts) // 2] <= 2  # the median attribute: by one or two
    holdings = sorted((len(h) for h in f.holders.values()), reverse=True)
    assert holdings[0] >= 10 and sorted(holdings)[len(holdings) // 2] <= 3


def test_feeds_form_chains_through_hubs(medium):
    f = Facts(medium)
    kind = {s.id: s.kind for s in medium.systems}
    into_hub = {
        (s.id, fd.to)
        for s in medium.systems
        for fd in s.feeds
        if kind[fd.to] in ("data_warehouse", "cdp") and kind[s.id] not in ("data_warehouse", "cdp")
    }
    out_of_hub = {
        (s.id, fd.to)
        for s in medium.systems
        for fd in s.feeds
        if kind[s.id] in ("data_warehouse", "cdp") and kind[fd.to] not in ("data_warehouse", "cdp")
    }
    assert len(into_hub) >= 10 and len(out_of_hub) >= 10
    assert all(s.id != fd.to for s in medium.systems for fd in s.feeds)
    # some attribute travels source -> hub -> activation
    chained = [
        a
        for a, edges in f.edges.items()
        if any(kind[d] in ("data_warehouse", "cdp") and any(s2 == d for s2, _, _ in edges) for _, d, _ in edges)
    ]
    assert chained


def test_most_needs_are_healthy(medium):
    f = Facts(medium)
    bad = set()
    for rule in ("missing-source", "stale", "unknown-freshness", "unreachable"):
        bad |= set(findings(medium)[rule])
    bad_attrs = set(low_quality(f)) | set(low_coverage(f))
    bad |= {(uc.id, n.attribute) for uc, n in f.needs if n.attribute in bad_attrs}
    assert len(bad) <= 0.15 * len(f.needs)


# --------------------------------------------------------------------------- planted gaps
def check_planted(ws: m.Workshop) -> dict[str, list]:
    found = findings(ws)
    for rule in GAP_RULES:
        assert found[rule], f"no instance of {rule}"
    for rule, what in POPULATION.items():
        limit = MAX_SHARE.get(rule, 0.04) * population(ws, what) + SMALL_ALLOWANCE
        assert len(found[rule]) <= limit, (rule, len(found[rule]), population(ws, what))
    assert found["anonymous-channel"] == ["chat", "social"]
    assert found["unrepresented-function"] == ["cx"]
    f = Facts(ws)
    assert functions_without_people(f) == ["cx", "product"]
    # contested holds under both readings of the rule, and the two agree
    assert contested(f) == contested(f, literal_or=True)
    return found


@pytest.mark.parametrize("seed", [0, 1, 13])
def test_every_gap_is_planted_small(seed):
    ws = generate("small", seed)
    found = check_planted(ws)
    f = Facts(ws)
    assert set(found["missing-source"]) >= {
        (uc.id, a) for uc, n in f.needs for a in [n.attribute] if a in ("consent_timestamp", "moving_date")
    }
    assert "erasure-requests" in found["use-case-without-needs"]
    assert "click-collect-notify" in found["personal-without-consent"]


@pytest.mark.parametrize("seed", [0, 5])
def test_every_gap_is_planted_medium(seed):
    check_planted(generate("medium", seed))


def test_structural_gap_examples(small):
    f = Facts(small)
    # some needed attribute is held by no system
    assert any(not f.holders[a] for a in f.needed)
    # some system shares no identifier with any other system
    ident_holders = {a: set(hs) for a, hs in f.holders.items() if f.attrs[a].is_identifier}
    lonely = [s.id for s in small.systems if not any(s.id in hs and len(hs) > 1 for hs in ident_holders.values())]
    assert lonely
    # a system holds customer data but no identifier at all
    assert any(s.holds and not any(f.attrs[h.attribute].is_identifier for h in s.holds) for s in small.systems)
    # a use case has no needs; a function owns use cases but has no stakeholder
    assert any(not uc.needs for uc in small.use_cases)
    assert {uc.function for uc in small.use_cases} - {p.function for p in small.stakeholders}
    # a step updates an attribute in a system that does not hold it
    assert step_not_held(f)


def test_planted_manifest_matches_the_workshop(medium):
    result = generate_detailed("medium", 7)
    assert dump(result.workshop) == dump(medium)
    found = findings(medium)
    planted = result.planted
    assert set(planted) == set(GAP_RULES)
    for rule in ("missing-source", "unreachable", "stale", "unknown-freshness"):
        assert {(p["use_case"], p["attribute"]) for p in planted[rule]} == set(found[rule]), rule
    for rule in (
        "low-quality",
        "low-coverage",
        "no-master",
        "no-owner",
        "contested",
        "unused-attribute",
        "identity-island",
        "no-identifier",
        "orphan-use-case",
        "use-case-without-needs",
        "personal-without-consent",
        "anonymous-channel",
    ):
        assert set(planted[rule]) <= set(found[rule]), rule
    assert {p["attribute"] for p in planted["many-masters"]} <= set(found["many-masters"])
    assert {p["attribute"] for p in planted["definition-conflict"]} <= set(found["definition-conflict"])
    assert {(p["process"], p["step"], p["action"], p["attribute"]) for p in planted["step-not-held"]} <= set(
        found["step-not-held"]
    )


# --------------------------------------------------------------------------- enterprise
def test_enterprise_counts_validity_and_speed():
    start = time.perf_counter()
    ws = generate("enterprise", 1)
    elapsed = time.perf_counter() - start
    assert elapsed < 5
    want = SCALES["enterprise"]
    for section in ("stakeholders", "use_cases", "processes", "attributes", "systems"):
        assert abs(len(getattr(ws, section)) - want[section]) <= 0.1 * want[section], section
    links = count_links(ws)["total"]
    assert 22_000 <= links <= 28_000
    text = dump(ws)
    result = parse_workshop(text, "enterprise.yaml")
    assert [d.render() for d in result.diagnostics] == []
    check_planted(ws)
