"""What ``needsmap gaps`` shows: filtering, grouping (into problems, or by rule, use case...), JSON and Markdown.

Pure functions over an :class:`~needsmap.analysis.engine.Analysis`; the terminal
table (rich) is drawn by the CLI from the same groups.

The JSON document is a public contract (``"schema": "needsmap.gaps/1"``),
documented in docs/rules.md; fields are only ever added, never renamed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from needsmap.analysis import problems as problems_of
from needsmap.analysis.engine import SEVERITY_ORDER, UNSCORED_VALUE, Analysis, Gap, Readiness
from needsmap.analysis.problems import Problem
from needsmap.analysis.rules import RULES
from needsmap.format import model as m
from needsmap.util import text as textsafe

#: A use case's readiness in words.
STATUS_WORDS = {"ready": "ready", "at-risk": "at risk", "blocked": "blocked"}
#: How ``needsmap gaps`` groups the findings; the first is the default: one group per problem (root cause).
GROUPINGS = ("problem", "rule", "use-case", "system", "stakeholder")
JSON_SCHEMA_ID = "needsmap.gaps/1"


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    title: str
    gaps: tuple[Gap, ...]
    problem: Problem | None = None  # grouped by problem: the problem (its symptoms are ``gaps``)


def at_least(gaps: list[Gap], min_severity: str) -> list[Gap]:
    limit = SEVERITY_ORDER[min_severity]
    return [g for g in gaps if SEVERITY_ORDER[g.severity] <= limit]


def fails(gaps: list[Gap], fail_on: str | None) -> bool:
    """True when ``--fail-on`` is met: a gap at or above that severity exists."""
    return fail_on is not None and bool(at_least(gaps, fail_on))


def group(analysis: Analysis, ws: m.Workshop, gaps: list[Gap], by: str, order: str = "blockers") -> list[Group]:
    """Gaps in groups, each group in the order of ``gaps``; grouped by problem, the problems are in ``order``.

    A problem is shown with those of its symptoms that are in ``gaps`` (after ``--min-severity``), and left
    out when none is.
    """
    if by == "problem":
        shown = {id(g) for g in gaps}
        out = []
        for p in problems_of.group(analysis, ws, order):
            mine = tuple(g for g in p.symptoms if id(g) in shown)
            if mine:
                out.append(Group(p.key, p.title, mine, p))
        return out
    if by == "rule":
        buckets: dict[str, list[Gap]] = defaultdict(list)
        for g in gaps:
            buckets[g.rule].append(g)
        return [
            Group(slug, f"{rule.title} ({rule.code} {slug})", tuple(buckets[slug]))
            for slug, rule in RULES.items()
            if buckets.get(slug)
        ]
    if by == "use-case":
        return _by_use_case(analysis, ws, gaps)
    if by == "system":
        return _by_system(ws, gaps)
    if by == "stakeholder":
        return _by_stakeholder(ws, gaps)
    raise ValueError(f"unknown grouping {by!r}; choose from {', '.join(GROUPINGS)}")


def _by_use_case(analysis: Analysis, ws: m.Workshop, gaps: list[Gap]) -> list[Group]:
    out = []
    ordered = sorted(ws.use_cases, key=lambda u: (-(UNSCORED_VALUE if u.value is None else u.value), u.id))
    for uc in ordered:
        mine = tuple(g for g in gaps if uc.id in g.use_cases)
        r = analysis.readiness.get(uc.id)
        status = f", {STATUS_WORDS[r.status]}, must-haves met {r.must_satisfied} of {r.must_total}" if r else ""
        value = f", value {uc.value}" if uc.value is not None else ""
        if mine:
            out.append(Group(uc.id, f"{uc.title} ({uc.id}){value}{status}", mine))
    rest = tuple(g for g in gaps if not g.use_cases)
    if rest:
        out.append(Group("", "Not tied to a use case", rest))
    return out


def _by_system(ws: m.Workshop, gaps: list[Gap]) -> list[Group]:
    held = {s.id: {h.attribute for h in s.holds} for s in ws.systems}
    out = []
    for sy in ws.systems:
        mine = tuple(
            g
            for g in gaps
            if ("system", sy.id) in g.subjects or any(k == "attribute" and i in held[sy.id] for k, i in g.subjects)
        )
        if mine:
            out.append(Group(sy.id, f"{sy.name or sy.id} ({sy.id})", mine))
    return _and_the_rest(out, gaps, "Not tied to a system")


def _and_the_rest(groups: list[Group], gaps: list[Gap], title: str) -> list[Group]:
    """``groups`` and, titled ``title``, one more of the gaps that are in none of them."""
    covered = {id(g) for grp in groups for g in grp.gaps}
    rest = tuple(g for g in gaps if id(g) not in covered)
    return [*groups, Group("", title, rest)] if rest else groups


def _by_stakeholder(ws: m.Workshop, gaps: list[Gap]) -> list[Group]:
    """What lands on each stakeholder's desk: gaps on what they own or asked for."""
    out = []
    for sh in ws.stakeholders:
        owns = {("use_case", u.id) for u in ws.use_cases if u.owner == sh.id}
        owns |= {("attribute", a.id) for a in ws.attributes if a.owner == sh.id}
        owns |= {("system", s.id) for s in ws.systems if s.owner == sh.id}
        owns |= {("process", p.id) for p in ws.processes if p.owner == sh.id}
        ucs = {i for k, i in owns if k == "use_case"}
        mine = tuple(
            g
            for g in gaps
            if owns.intersection(g.subjects) or ucs.intersection(g.use_cases) or ("stakeholder", sh.id) in g.subjects
        )
        if mine:
            role = f" ({sh.role})" if sh.role else ""
            out.append(Group(sh.id, f"{sh.name}{role}", mine))
    return _and_the_rest(out, gaps, "Nobody's desk yet (no owner)")


def subject_text(g: Gap) -> str:
    return ", ".join(i for _, i in g.subjects)


# -- JSON ----------------------------------------------------------------------------
def readiness_dict(r: Readiness) -> dict[str, Any]:
    return {
        "use_case": r.use_case,
        "title": r.title,
        "status": r.status,
        "must_total": r.must_total,
        "must_satisfied": r.must_satisfied,
        "reasons": list(r.reasons),
        "parts": dict(r.parts),
        "because": list(r.because),
        "why": [{"part": part, "reason": reason} for part, reason in r.why],
        "needs": [
            {
                "attribute": n.attribute,
                "criticality": n.criticality,
                "freshness": n.freshness,
                "satisfied": n.satisfied,
                "problems": list(n.problems),
                "path": list(n.path),
                "path_freshness": n.path_freshness,
            }
            for n in r.needs
        ],
    }


def document_head(schema: str, ws: m.Workshop, file: str) -> dict[str, Any]:
    """How every JSON document of needsmap starts: which document it is, and of which workshop."""
    return {"schema": schema, "workshop": {"file": file, "name": ws.workshop.name}}


def json_document(
    analysis: Analysis, ws: m.Workshop, gaps: list[Gap], file: str, order: str = "blockers"
) -> dict[str, Any]:
    """The ``needsmap.gaps/1`` document: ``gaps`` (already filtered and in ``order``) and the problems behind them."""
    st = ws.effective_settings
    problems = problems_of.group(analysis, ws, order)
    index = {g.key: i for i, g in enumerate(gaps)}
    return {
        **document_head(JSON_SCHEMA_ID, ws, file),
        "settings": {
            "min_quality": st.effective_min_quality,
            "min_coverage": st.effective_min_coverage,
            "marketing_channels": list(st.effective_marketing_channels),
        },
        "order": order,
        "summary": {
            "gaps": analysis.counts(),
            "shown": len(gaps),
            "readiness": analysis.readiness_counts(),
            "problems": problems_of.counts(problems),
            "blocking": sum(1 for p in problems if p.blocks),
        },
        "gaps": [g.as_dict() for g in gaps],
        "problems": [p.as_dict(index) for p in problems if any(g.key in index for g in p.symptoms)],
        "readiness": [readiness_dict(r) for r in analysis.readiness.values()],
    }


def _count(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def severity_tally(counts: dict[str, int]) -> str:
    """Like "7 errors, 45 warnings, 13 info": every severity, so the parts add up to the total."""
    return f"{_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')}, {counts['info']} info"


def problem_tally(problems: list[Problem]) -> str:
    """Like "42 problems: 7 errors (6 block use cases), 26 warnings, 9 info"; the parts add up to the total."""
    n = problems_of.counts(problems)
    blocking = sum(1 for p in problems if p.blocks)
    errors = _count(n["error"], "error")
    if blocking:
        errors += f" ({blocking} block{'s' if blocking == 1 else ''} use cases)"
    return f"{_count(len(problems), 'problem')}: {errors}, {_count(n['warning'], 'warning')}, {n['info']} info"


def finding_tally(gaps: list[Gap]) -> str:
    """Like "65 findings: 7 errors, 45 warnings, 13 info"."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for g in gaps:
        counts[g.severity] += 1
    return f"{_count(len(gaps), 'finding')}: {severity_tally(counts)}"


def readiness_tally(analysis: Analysis) -> str:
    """Like "17 use cases: 1 ready, 11 at risk, 5 blocked" (rejected use cases are not analysed)."""
    rc = analysis.readiness_counts()
    return (
        f"{_count(sum(rc.values()), 'use case')}: {rc['ready']} ready, {rc['at-risk']} at risk, {rc['blocked']} blocked"
    )


def held_back_by(r: Readiness) -> str:
    """Which of the four parts (data, identity, consent, process) hold a use case back, in words."""
    if r.status == "ready":
        return "nothing: all four parts are ready"
    parts = list(r.because) or [p for p, state in r.parts.items() if state != "ok"]
    head = "blocked by" if r.status == "blocked" else "at risk from"
    return f"{head} {' and '.join(parts)}" if parts else head


def rule_words(g: Gap) -> str:
    """A finding's rule as a reader says it: its title (the code may follow)."""
    rule = RULES.get(g.rule)
    return rule.title if rule else g.rule


def names_list(names: list[str] | tuple[str, ...]) -> str:
    """Names in one line, separated so that a comma inside a name stays unambiguous: "A, Inc.; B"."""
    return "; ".join(names)


def order_heading(order: str) -> str:
    """How a list in ``order`` is introduced: "blocking errors first, then by impact"."""
    return "blocking errors first, then by impact" if order == "blockers" else "by impact"


# -- Markdown --------------------------------------------------------------------------
_SEV_MD = {"error": "**error**", "warning": "warning", "info": "info"}


def markdown(analysis: Analysis, ws: m.Workshop, groups: list[Group], by: str, order: str = "blockers") -> str:
    """The gaps in Markdown: the summary, the findings in ``groups`` (grouped ``by``), the readiness."""
    md = textsafe.markdown
    titles = {u.id: u.title for u in ws.use_cases}
    lines = [f"# Gaps: {md(ws.workshop.name)}", ""]
    lines += [
        f"- **Use cases:** {readiness_tally(analysis)}.",
        f"- **Problems:** {problem_tally(problems_of.group(analysis, ws, order))}.",
        f"- **Findings:** {finding_tally(analysis.gaps)}. A problem is one root cause; its findings are what "
        "the rules saw.",
        "",
    ]
    if by == "problem":
        lines += [f"## Problems, {order_heading(order)}", ""]
        lines += _problems_markdown(groups, titles) if groups else ["No gaps at this severity.", ""]
    else:
        lines += [f"## Gaps by {by.replace('-', ' ')}", ""]
        if not groups:
            lines += ["No gaps at this severity.", ""]
        for grp in groups:
            lines += [f"### {md(grp.title)}", ""]
            if by == "rule":
                lines += [f"*Why it matters:* {md(RULES[grp.key].why)}", ""]
            for g in grp.gaps:
                rule = f"*{md(rule_words(g))}* (`{g.code}`): " if by != "rule" else ""
                lines.append(
                    f"- {_SEV_MD[g.severity]}: {rule}{md(g.message)}.{_impact_md(g.impact, g.use_cases, titles)} "
                    f"*Fix:* {md(g.action)}"
                )
            lines.append("")
    lines += [
        "## Use-case readiness",
        "",
        "| Use case | Value | Readiness | Held back by | Must-haves met | Reasons |",
        "|---|---|---|---|---|---|",
    ]
    values = {u.id: u.value for u in ws.use_cases}
    for r in sorted(
        analysis.readiness.values(), key=lambda r: (_STATUS_ORDER[r.status], -(values[r.use_case] or UNSCORED_VALUE))
    ):
        value = values[r.use_case]
        lines.append(
            f"| {md(r.title)} (`{md(r.use_case)}`) | {value if value is not None else ''} | "
            f"{STATUS_WORDS[r.status]} | {held_back_by(r)} | {r.must_satisfied} of {r.must_total} | "
            f"{md('; '.join(r.reasons))} |"
        )
    return "\n".join(lines).rstrip() + "\n"


def _impact_md(impact: int, use_cases: tuple[str, ...], titles: dict[str, str]) -> str:
    """ " Impact 9: *A*; *B*." with the use cases' titles (each in italics, so commas in a title stay inside it)."""
    if not use_cases:
        return ""
    names = "; ".join(f"*{textsafe.markdown(titles.get(u, u))}*" for u in use_cases)
    return f" Impact {impact}: {names}."


def _problems_markdown(groups: list[Group], titles: dict[str, str]) -> list[str]:
    """A numbered list of problems, each with its findings (and what to do) as a list under it."""
    md = textsafe.markdown
    lines = []
    for n, grp in enumerate(groups, 1):
        p = grp.problem
        assert p is not None
        blocks = " (blocks a use case)" if p.blocks else ""
        count = len(p.symptoms)
        findings = f" {count} finding{'s' if count != 1 else ''}."
        item = f"{n}. "
        lines.append(
            f"{item}{_SEV_MD[p.severity]}{blocks}: **{md(p.title)}**."
            f"{_impact_md(p.impact, p.use_cases, titles)}{findings}"
        )
        indent = " " * len(item)  # the findings nest under the problem: indented as far as its text
        for g in grp.gaps:
            lines.append(
                f"{indent}- {_SEV_MD[g.severity]}: *{md(rule_words(g))}* (`{g.code}`): {md(g.message)}. "
                f"*Fix:* {md(g.action)}"
            )
    return [*lines, ""]


_STATUS_ORDER = {"blocked": 0, "at-risk": 1, "ready": 2}
