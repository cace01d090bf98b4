"""Problems, not symptoms: the findings that share one root cause, grouped into one problem.

One poorly kept attribute yields several findings (low quality, no master, no
owner, ownership contested); a silo yields an identity island and the
anonymous channel that feeds it.  :func:`group` turns the findings of an
:class:`~needsmap.analysis.engine.Analysis` into :class:`Problem` objects, one
per root cause, each with its findings as symptoms.  The keys are described in
docs/rules.md ("Problems"):

* ``attribute:ID``: what is wrong with one attribute itself (held nowhere,
  quality, coverage, masters, meaning, owner, needed by nobody);
* ``owners:ENTITY:OWNER``: the owner question of attributes whose only findings
  are about their owner, per entity and owner (``owners:address:`` when nobody
  owns them): one decision settles them all;
* ``flow:ID:SYSTEM``: one attribute that does not arrive (or not fresh enough,
  or nobody knows how fresh) in the system where use cases run, with the
  process steps that use it in that system although it does not hold it;
* ``silo:SYSTEMS``: systems whose customers cannot be recognised (identity
  islands and systems without an identifier that share systems), with the
  anonymous channels whose steps write into them and the identifiers of no
  person that are an island's only key;
* ``channel:ID``, ``step:PROCESS:N``, ``use-case:ID``, ``consent:ID``,
  ``function:ID``: one channel, one process step, one use case's definition,
  one use case's consent, one function;
* ``finding:RULE:SUBJECTS``: a finding of a rule this module does not group
  (yet) stays a problem of its own.

Pure: reads the analysis and the workshop it was made from, changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from needsmap.analysis.engine import SEVERITY_ORDER, UNSCORED_VALUE, Analysis, Gap, GapKey
from needsmap.analysis.rules import RULES
from needsmap.format import model as m

#: The rules whose findings are about one attribute itself, and how a problem title names each.
ATTRIBUTE_RULES = {
    "missing-source": "held nowhere",
    "low-quality": "low quality",
    "low-coverage": "filled for too few customers",
    "no-master": "no master",
    "many-masters": "several masters",
    "definition-conflict": "meaning disputed",
    "no-owner": "no owner",
    "contested": "owner contested",
    "unused-attribute": "needed by nobody",
}
#: The attribute rules about who owns it: an attribute with only these joins the owner question of its entity.
OWNER_RULES = frozenset({"no-owner", "contested"})
#: The rules about one attribute on its way to where a use case runs, worst first.
FLOW_RULES = ("unreachable", "stale", "unknown-freshness")
#: The rules about recognising customers in systems.
SILO_RULES = frozenset({"identity-island", "no-identifier"})
USE_CASE_RULES = {"orphan-use-case": "no owner", "use-case-without-needs": "no needs"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One root cause and the findings (symptoms) it shows up as."""

    key: str
    title: str
    severity: str  # the highest of its symptoms
    use_cases: tuple[str, ...]  # every use case any symptom puts at risk, once
    impact: int  # the value of those use cases, each counted once
    blocks: bool  # one of its symptoms is an error that blocks a use case
    symptoms: tuple[Gap, ...]  # in the order of the findings

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    def as_dict(self, shown: dict[GapKey, int] | None = None) -> dict[str, Any]:
        """For JSON; ``shown`` maps the key of each finding in the document's ``gaps`` to its index there."""
        index = shown or {}
        return {
            "key": self.key,
            "title": self.title,
            "severity": self.severity,
            "blocks": self.blocks,
            "use_cases": list(self.use_cases),
            "impact": self.impact,
            "findings": [
                {"code": g.code, "rule": g.rule, "subjects": [{"kind": k, "id": i} for k, i in g.subjects]}
                for g in self.symptoms
            ],
            "gaps": [index[g.key] for g in self.symptoms if g.key in index],
        }


def counts(problems: Iterable[Problem]) -> dict[str, int]:
    """Problems per severity (each counted once, at its highest severity)."""
    out = {"error": 0, "warning": 0, "info": 0}
    for p in problems:
        out[p.severity] += 1
    return out


def at_least(problems: Iterable[Problem], min_severity: str) -> list[Problem]:
    limit = SEVERITY_ORDER[min_severity]
    return [p for p in problems if SEVERITY_ORDER[p.severity] <= limit]


def group(analysis: Analysis, ws: m.Workshop, order: str = "blockers") -> list[Problem]:
    """The problems behind the findings of ``analysis`` (made from ``ws``), in ``order`` (engine.ORDERS).

    "blockers": problems that block a use case first, then by impact; "impact": by impact alone; then by
    severity, then by where their first symptom stands in the findings.
    """
    gaps = analysis.ordered(order)
    names = {row.id: row.name or row.id for row in analysis.attributes}
    entity = {row.id: row.entity for row in analysis.attributes}
    keys = _keys(gaps, ws, entity)
    members: dict[str, list[Gap]] = defaultdict(list)
    for g, key in zip(gaps, keys, strict=True):
        members[key].append(g)
    values = {u.id: u.value if u.value is not None else UNSCORED_VALUE for u in ws.use_cases}
    titles = {u.id: u.title or u.id for u in ws.use_cases}
    people = _Names(ws, names, titles)
    problems = []
    for position, (key, symptoms) in enumerate(members.items()):  # in the order of each one's first symptom
        use_cases = tuple(dict.fromkeys(u for g in symptoms for u in g.use_cases))
        problem = Problem(
            key,
            _title(key, symptoms, people),
            min((g.severity for g in symptoms), key=SEVERITY_ORDER.__getitem__),
            use_cases,
            sum(values.get(u, UNSCORED_VALUE) for u in use_cases),
            any(g.key in analysis.blocking for g in symptoms),
            tuple(symptoms),
        )
        problems.append((position, problem))
    first = order == "blockers"
    problems.sort(key=lambda pp: (first and not pp[1].blocks, -pp[1].impact, SEVERITY_ORDER[pp[1].severity], pp[0]))
    return [p for _, p in problems]


# -- keys --------------------------------------------------------------------------------------
def _keys(gaps: list[Gap], ws: m.Workshop, entity: dict[str, str]) -> list[str]:
    """The problem key of each finding, in the same order."""
    # an attribute whose findings are all about its owner joins the owner question of its entity
    attribute_rules: dict[str, set[str]] = defaultdict(set)
    for g in gaps:
        if g.rule in ATTRIBUTE_RULES:
            attribute_rules[_attribute(g)].add(g.rule)
    silo = _silos(gaps, ws)
    flows = {f"flow:{_attribute(g)}:{_destination(g)}" for g in gaps if g.rule in FLOW_RULES}
    out = []
    for g in gaps:
        rule = g.rule
        if rule in ATTRIBUTE_RULES:
            attr = _attribute(g)
            if attribute_rules[attr] <= OWNER_RULES:
                owner = next((i for k, i in g.subjects if k == "stakeholder"), "")
                out.append(f"owners:{entity.get(attr, '')}:{owner}")
            else:
                out.append(f"attribute:{attr}")
        elif rule in FLOW_RULES:
            out.append(f"flow:{_attribute(g)}:{_destination(g)}")
        elif rule in SILO_RULES or rule == "anonymous-channel" or g.key in silo:
            out.append(silo[g.key])
        elif rule == "step-not-held":
            # a step using an attribute in a system it never reaches: the flow's problem, seen from the process
            system = _first(g, "system")
            flow = next((f for k, a in g.subjects if k == "attribute" and (f := f"flow:{a}:{system}") in flows), None)
            out.append(flow or f"step:{_first(g, 'process')}:{g.details.get('step', '')}")
        elif rule in USE_CASE_RULES:
            out.append(f"use-case:{_first(g, 'use_case')}")
        elif rule == "personal-without-consent":
            out.append(f"consent:{_first(g, 'use_case')}")
        elif rule == "unrepresented-function":
            out.append(f"function:{_first(g, 'function')}")
        else:
            out.append(f"finding:{rule}:" + ",".join(f"{k}={i}" for k, i in g.subjects))
    return out


def _first(g: Gap, kind: str) -> str:
    return next((i for k, i in g.subjects if k == kind), "")


def _attribute(g: Gap) -> str:
    return _first(g, "attribute")


def _destination(g: Gap) -> str:
    """Where a flow finding's attribute should arrive: the use case's systems, or the end of its path."""
    if g.rule == "unreachable":
        return "+".join(g.details.get("executes_in") or ()) or _first(g, "use_case")
    path = g.details.get("path") or ()
    return str(path[-1]) if path else _first(g, "use_case")


def _silos(gaps: list[Gap], ws: m.Workshop) -> dict[GapKey, str]:
    """The key of each silo and anonymous-channel finding.

    Identity islands and systems without an identifier that share a system are one silo; an anonymous
    channel joins the first silo (in the order of the findings) that a step on the channel writes into,
    else it is a problem of its own.
    """
    parent: dict[str, str] = {}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    seeds = [g for g in gaps if g.rule in SILO_RULES]
    for g in seeds:
        systems = [i for k, i in g.subjects if k == "system"]
        for s in systems:
            parent.setdefault(s, s)
        for s in systems[1:]:
            parent[root(s)] = root(systems[0])
    members: dict[str, list[str]] = defaultdict(list)
    for s in parent:
        members[root(s)].append(s)
    key_of = {r: "silo:" + "+".join(sorted(ss)) for r, ss in members.items()}
    out: dict[GapKey, str] = {}
    for g in seeds:
        first = next(i for k, i in g.subjects if k == "system")
        out[g.key] = key_of[root(first)]
    channels = [g for g in gaps if g.rule == "anonymous-channel"]
    if channels:
        writes_into: dict[str, set[str]] = defaultdict(set)
        for p in ws.processes:
            for st in p.steps:
                if st.channel and st.system:
                    writes_into[st.channel].add(st.system)
        order: dict[str, int] = {}
        for g in seeds:
            order.setdefault(out[g.key], len(order))
        for g in channels:
            channel = _first(g, "channel")
            joined = sorted(
                {key_of[root(s)] for s in writes_into.get(channel, ()) if s in parent}, key=order.__getitem__
            )
            out[g.key] = joined[0] if joined else f"channel:{channel}"
    # an identifier of no person that is the only key of an island is that island's problem, not one of its own
    for g in gaps:
        if g.rule == "non-person-identifier":
            islands = [key_of[root(s)] for s in g.details.get("coverage_on_island") or () if s in parent]
            if islands:
                out[g.key] = islands[0]
    return out


# -- titles --------------------------------------------------------------------------------------
def _listed(items: list[str], limit: int = 3) -> str:
    """Like "a, b, c and 2 more" ("a; b" when a name has a comma in it)."""
    shown = ("; " if any("," in i for i in items[:limit]) else ", ").join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


class _Names:
    """What people call the items a title names: names and titles, the id only when there is none."""

    def __init__(self, ws: m.Workshop, attributes: dict[str, str], titles: dict[str, str]) -> None:
        self.of: dict[str, dict[str, str]] = {
            "attribute": attributes,
            "use_case": titles,
            "system": {s.id: s.name or s.id for s in ws.systems},
            "stakeholder": {s.id: s.name or s.id for s in ws.stakeholders},
            "process": {p.id: p.name or p.id for p in ws.processes},
        }

    def __call__(self, kind: str, ident: str) -> str:
        return self.of.get(kind, {}).get(ident, ident)


def _title(key: str, symptoms: list[Gap], said_as: _Names) -> str:
    """The root cause in plain words, e.g. "Mobile phone number is poorly kept: low quality, no master"."""
    names, titles = said_as.of["attribute"], said_as.of["use_case"]
    kind, _, rest = key.partition(":")
    rules = {g.rule for g in symptoms}
    if kind == "attribute":
        name = names.get(rest, rest)
        said = [phrase for rule, phrase in ATTRIBUTE_RULES.items() if rule in rules]
        if "missing-source" in rules:
            head, said = "is needed but held nowhere", [p for p in said if p != "held nowhere"]
        elif "unused-attribute" in rules:
            head, said = "is needed by nobody", [p for p in said if p != "needed by nobody"]
        else:
            head = "is poorly kept"
        return f"{name} {head}" + (f": {', '.join(said)}" if said else "")
    if kind == "owners":
        attrs = list(dict.fromkeys(_attribute(g) for g in symptoms))
        entity, _, owner = rest.partition(":")
        what = (
            names.get(attrs[0], attrs[0])
            if len(attrs) == 1
            else f"{entity.replace('_', ' ') or 'the'} data ({_listed([names.get(a, a) for a in attrs])})"
        )
        writers = sorted({f for g in symptoms for f in g.details.get("writing_functions", ())})
        written = f", written by {_listed(writers, 4)}" if writers else ""
        if owner:
            function = next((g.details["owner_function"] for g in symptoms if "owner_function" in g.details), "")
            by = f"{said_as('stakeholder', owner)} ({function})" if function else said_as("stakeholder", owner)
            return f"Ownership of {what} is contested: owned by {by}{written}"
        return f"Nobody owns {what}{written}"
    if kind == "flow":
        attr, _, where = rest.partition(":")
        name, systems = names.get(attr, attr), _listed([said_as("system", s) for s in where.split("+")], 4)
        used = ", where a process step uses it" if "step-not-held" in rules else ""
        if "unreachable" in rules:
            return f"{name} never reaches {systems}{used}"
        if "stale" in rules:
            return f"{name} arrives too late in {systems}{used}"
        return f"Nobody knows how fresh {name} is in {systems}{used}"
    if kind == "silo":
        said = []
        if "identity-island" in rules:
            said.append("no identifier shared with the other systems")
        if "no-identifier" in rules:
            said.append("customer data without any identifier")
        channels = [_first(g, "channel") for g in symptoms if g.rule == "anonymous-channel"]
        if channels:
            said.append(f"customers anonymous on {_listed(channels)}")
        return (
            f"Customers cannot be recognised in {_listed([said_as('system', s) for s in rest.split('+')])}: "
            + "; ".join(said)
        )
    if kind == "channel":
        return f"Customers stay anonymous on {rest}: no step there captures an identifier"
    if kind == "step":
        process, _, number = rest.partition(":")
        system = next((i for g in symptoms for k, i in g.subjects if k == "system"), "")
        return (
            f"Step {number} of '{said_as('process', process)}' uses data that {said_as('system', system)} does not hold"
        )
    if kind == "use-case":
        said = [phrase for rule, phrase in USE_CASE_RULES.items() if rule in rules]
        return f"Use case '{titles.get(rest, rest)}' is not fully described: {', '.join(said)}"
    if kind == "consent":
        channels = sorted({c for g in symptoms for c in g.details.get("channels", ())})
        return f"'{titles.get(rest, rest)}' uses personal data on {_listed(channels)} with no consent recorded"
    if kind == "function":
        return f"Function {rest} is not in the room"
    first = symptoms[0]
    named = [said_as(k, i) for k, i in first.subjects]
    return f"{RULES[first.rule].title}: {_listed(named, 4)}" if named else RULES[first.rule].title
