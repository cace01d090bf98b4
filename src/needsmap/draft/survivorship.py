"""Which source's value survives when systems disagree: one proposal per attribute, from the workshop's facts.

The rules, in the order they are tried (docs/model.md, "Survivorship"):

1. ``no source``: no system holds it; decide where it is captured first.
2. ``only source``: one system holds it.
3. ``most recent wins``: consent and preferences are the customer's latest word, whichever
   system recorded it (a withdrawal in the call centre beats an older opt-in on the web).
4. ``source of computation``: a derived value (a holding with ``role: derived``) is computed in
   one system; copies of it elsewhere never win over the system that computes it.
5. ``master wins``: exactly one system masters it.
6. ``best quality``: among the masters (when several claim it), else among the copies, the
   highest quality the workshop rated.
7. ``freshest``: still tied, the system that holds it freshest.
8. ``tie``: still tied; the workshop must choose.

Every proposal says why, from the holdings; it stays a proposal (``status: proposal``) until
the workshop agrees, and ``no-master``/``many-masters`` findings stay open decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from needsmap.format import model as m
from needsmap.format.model import FRESHNESS_RANK

RULES: tuple[str, ...] = (
    "no source",
    "only source",
    "most recent wins",
    "source of computation",
    "master wins",
    "best quality",
    "freshest",
    "tie",
)
#: Entities whose values are the customer's latest word: consent and preferences.
MOST_RECENT_ENTITIES: tuple[str, ...] = ("consent", "preference")


@dataclass(frozen=True, slots=True)
class Source:
    """Where an attribute comes from today: one holding of one system."""

    system: str
    field: str | None
    role: str
    quality: int | None
    freshness: str
    coverage: float | None
    derived_from: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Survivorship:
    """A *proposed* rule for which source's value wins; the workshop decides."""

    rule: str  # one of RULES
    system: str | None
    why: str
    status: str = "proposal"


def _systems(sources) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.system for s in sources))


def _names(systems: tuple[str, ...]) -> str:
    return ", ".join(systems[:-1]) + " and " + systems[-1] if len(systems) > 1 else systems[0]


def propose_survivorship(sources: tuple[Source, ...], entity: str = m.DEFAULT_ENTITY) -> Survivorship:
    """The proposal for one attribute of ``entity`` held by ``sources`` (see the module doc)."""
    if not sources:
        return Survivorship("no source", None, "No system holds it yet: decide where it is captured first.")
    systems = _systems(sources)
    if len(systems) == 1:
        return Survivorship("only source", systems[0], f"{systems[0]} is the only system that holds it.")
    if entity in MOST_RECENT_ENTITIES:
        what = "a consent" if entity == "consent" else "a preference"
        return Survivorship(
            "most recent wins",
            None,
            f"It is {what}: the customer's latest word wins, whichever of {_names(systems)} recorded it "
            "(each change is kept with its time and source).",
        )
    computing = _systems([s for s in sources if s.role == "derived"])
    if len(computing) == 1:
        inputs = next((s.derived_from for s in sources if s.system == computing[0] and s.derived_from), ())
        copies = tuple(s for s in systems if s != computing[0])
        basis = f" from {', '.join(inputs)}" if inputs else ""
        return Survivorship(
            "source of computation",
            computing[0],
            f"{computing[0]} computes it{basis}; {_names(copies)} hold{'s' if len(copies) == 1 else ''} "
            "copies, which never win over the source.",
        )
    masters = _systems([s for s in sources if s.role == "master"])
    if len(masters) == 1:
        return Survivorship("master wins", masters[0], f"{masters[0]} is its master.")
    if masters:
        pool = [s for s in sources if s.system in masters]
        lead = f"{_names(masters)} all claim to master it"
    elif computing:
        pool = [s for s in sources if s.system in computing]
        lead = f"{_names(computing)} each compute it"
    else:
        pool = list(sources)
        lead = "No system is its master"
    rated = [s for s in pool if s.quality is not None]
    if rated:
        best_q = max(s.quality for s in rated if s.quality is not None)
        good = _systems([s for s in rated if s.quality == best_q])
        if len(good) == 1:
            return Survivorship("best quality", good[0], f"{lead}; {good[0]} rates its quality highest ({best_q}/5).")
        pool = [s for s in rated if s.system in good]
    ranked = [s for s in pool if s.freshness in FRESHNESS_RANK]
    if ranked:
        best = min(FRESHNESS_RANK[s.freshness] for s in ranked)
        fresh = _systems([s for s in ranked if FRESHNESS_RANK[s.freshness] == best])
        if len(fresh) == 1:
            return Survivorship(
                "freshest",
                fresh[0],
                f"{lead} and none is rated better; {fresh[0]} holds it freshest ({m.FRESHNESS[best]}).",
            )
        pool = [s for s in ranked if s.system in fresh]
    tied = _systems(pool)
    return Survivorship(
        "tie", None, f"{lead}; {_names(tied)} are rated equally good and fresh: the workshop must choose."
    )
