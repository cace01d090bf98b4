"""The recommendation: which option to start with, why, and its first steps ("Start with").

One option is recommended: one the workshop marked ``chosen`` in the file, else the option that
brings the most value over time; among those within a tenth of the best, the one whose first
value comes earliest, then the lower risk, the lower effort and the better votes.  "Start with" is
its first wave's work and the decisions that unblock the most value, most valuable first.
docs/roadmap.md ("The recommendation") says the same for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from needsmap.roadmap.engine import Plan, Roadmap

#: At most this many first steps in a recommendation.
START_STEPS = 5
#: Options whose value over time is within this share of the best count as bringing as much.
VALUE_MARGIN = 0.9


@dataclass(frozen=True, slots=True)
class StartStep:
    """One thing to do first: a work item of the recommended option's first wave, or a decision that unblocks value."""

    kind: str  # "work" (a work item of the first wave) | "decision" (a question to settle that unblocks value)
    title: str  # in people's words: names, never ids
    item: str | None  # the work item id (kind "work", or a decision item), else None
    use_cases: tuple[str, ...]  # ids of the use cases it unblocks or helps unlock
    value: int  # the value (sum of those use cases' value) it helps unlock


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The option to start with, why, and its first steps."""

    option: str  # the recommended option's id
    name: str  # its name
    reason: str  # one or two sentences: value over time, first value, risk, effort, votes
    start_with: tuple[StartStep, ...]  # at most START_STEPS, most valuable first


def _mean_vote(rm: Roadmap, p: Plan) -> float | None:
    t = rm.tallies.get(p.id)
    return t.mean if t is not None else None


def choose(rm: Roadmap) -> Plan | None:
    """The option to recommend (None when there is none)."""
    if not rm.plans:
        return None
    chosen = [p for p in rm.plans if not p.generated and p.option.status == "chosen"]
    if chosen:
        return chosen[0]
    best = max(p.value_waves for p in rm.plans)
    if best <= 0:  # nothing unlocks a use case (yet): the most gaps closed for the effort
        return min(rm.plans, key=lambda p: (-len(p.closed), p.effort, p.risk))
    near = [p for p in rm.plans if p.value_waves >= VALUE_MARGIN * best]
    return min(
        near,
        key=lambda p: (p.first_value_wave or 10**6, p.risk, p.effort, -(_mean_vote(rm, p) or 0.0)),
    )


def _label(rm: Roadmap, wave: int | None) -> str:
    return rm.labels[wave - 1] if wave and 0 < wave <= len(rm.labels) else "never"


def short_name(p: Plan) -> str:
    """An option's name without its explanation: "Registry" for "Registry: link the customer ..."."""
    return p.option.title.split(":", 1)[0].strip() or p.id


def _reason(rm: Roadmap, p: Plan) -> str:
    n = len(p.unlocks)
    unlocks = f"It unlocks {n} use case{'s' if n != 1 else ''} (value {p.value_unlocked})"
    if p.first_value_wave:
        unlocks += f", the first in {_label(rm, p.first_value_wave)}"
    runner = max((q for q in rm.plans if q is not p), key=lambda q: q.value_waves, default=None)
    if p.option.status == "chosen" and not p.generated:
        lead = f"Chosen by the workshop. {unlocks}."
    elif max(q.value_waves for q in rm.plans) <= 0:
        lead = (
            "No option unlocks a use case until the open decisions are taken; this one closes the most gaps "
            f"({len(p.closed)} of {rm.total_gaps}) for its effort."
        )
    elif runner is None:
        lead = f"{unlocks}."
    elif p.value_waves >= runner.value_waves:
        lead = (
            f"{unlocks}, and it brings the most value over time ({p.value_waves:g} value-waves; next "
            f"{short_name(runner)}, {runner.value_waves:g})."
        )
    else:
        why = [
            w
            for w, better in (
                ("sooner", (p.first_value_wave or 10**6) < (runner.first_value_wave or 10**6)),
                ("with less risk", p.risk < runner.risk),
                ("for less effort", p.effort < runner.effort),
            )
            if better
        ]
        lead = (
            f"{unlocks}: nearly as much value over time as {short_name(runner)} ({p.value_waves:g} against "
            f"{runner.value_waves:g} value-waves), {' and '.join(why) or 'with better votes'}."
        )
    votes = ""
    t = rm.tallies.get(p.id)
    if t is not None and t.votes and t.mean is not None:
        votes = f" Votes: mean {t.mean:.1f} from {t.votes} {'person' if t.votes == 1 else 'people'}."
    waves = f"{p.waves} wave{'s' if p.waves != 1 else ''}"
    return f"{lead} {p.effort:g} points of work over {waves}, risk {p.risk}.{votes}"


def recommend(rm: Roadmap, values: dict[str, int]) -> Recommendation | None:
    """The recommendation for ``rm`` (``values``: each active use case's value), or None without options."""
    p = choose(rm)
    if p is None:
        return None
    unlocked = set(p.unlocks)
    steps: list[tuple[int, int, StartStep]] = []
    for n, it in enumerate(p.items):
        item = it.item
        if item.effective_kind == "decision":
            ucs = tuple(u for u in item.use_cases if u in values)
            steps.append((n, 0, StartStep("decision", item.title, item.id, ucs, sum(values[u] for u in ucs))))
        elif it.wave == 1:
            ucs = tuple(u for u in item.use_cases if u in unlocked)
            steps.append((n, 1, StartStep("work", item.title, item.id, ucs, sum(values.get(u, 0) for u in ucs))))
    steps.sort(key=lambda t: (-t[2].value, t[0]))
    chosen = sorted(steps[:START_STEPS], key=lambda t: (-t[2].value, t[1], t[0]))
    return Recommendation(p.id, p.option.title, _reason(rm, p), tuple(s for _, _, s in chosen))
