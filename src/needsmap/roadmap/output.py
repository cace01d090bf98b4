"""The roadmap for people and machines: comparison rows, plain-words summaries, Markdown and JSON.

Everything here reads a :class:`needsmap.roadmap.engine.Roadmap`; the terminal table
(:mod:`needsmap.cli.roadmap_table`), the terminal UI and the report's roadmap section
(:mod:`needsmap.report.sections.roadmap`) lay out the same rows and sentences,
so the three always say the same thing.  Workshop text is untrusted: Markdown
goes through :mod:`needsmap.util.text`, HTML through markupsafe's escaping, and
the SVG chart through XML escaping.
"""

from __future__ import annotations

from needsmap.analysis.output import document_head
from needsmap.format import model as m
from needsmap.roadmap.engine import Plan, Recommendation, Roadmap, wave_label
from needsmap.roadmap.facts import join_names
from needsmap.util import text as textsafe

JSON_SCHEMA_ID = "needsmap.roadmap/1"


def points(x: float) -> str:
    """Effort points as people write them: 3, 2.5 (no trailing zeros)."""
    return f"{x:g}"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def wave_word(rm: Roadmap, n: int | None) -> str:
    if n is None:
        return "never"
    return wave_label(rm.settings, n)


def summary(rm: Roadmap, p: Plan) -> str:
    """One paragraph a stakeholder can read out: what the option closes, unlocks, costs and changes."""
    errors = sum(1 for g in p.closed if g.severity == "error")
    all_errors = errors + sum(1 for g in p.left if g.severity == "error")
    length = rm.settings.effective_wave_length
    unlocked = len(p.unlocks)
    first = f", the first in {wave_word(rm, p.first_value_wave)}" if p.first_value_wave else ""
    changes = _plural(len(p.systems_changed), "system")
    if p.new_components:
        changes += f" and adds {_plural(p.new_components, 'new central component')}"
    return (
        f"Closes {p.closed.__len__()} of {rm.total_gaps} gaps ({errors} of the {all_errors} errors). "
        f"Unlocks {_plural(unlocked, 'use case')} (value {p.value_unlocked}){first}. "
        f"{points(p.effort)} points of work over {_plural(p.waves, length)}; changes {changes}."
    )


def recommendation_lines(rm: Roadmap, ws: m.Workshop) -> list[str]:
    """The recommendation in plain sentences: which option, why, and what to start with (empty when none)."""
    rec = rm.recommended
    if rec is None:
        return []
    out = [f"Recommended: {rec.name}.", rec.reason]
    if rec.start_with:
        out.append("Start with:")
    out += [f"- {line}" for line in start_lines(rec, ws)]
    return out


def start_lines(rec: Recommendation, ws: m.Workshop) -> list[str]:
    """Each first step in one sentence: what to do, and what it unblocks (use case titles) for how much value."""
    names = {u.id: u.title or u.id for u in ws.use_cases}
    out = []
    for step in rec.start_with:
        unlocks = join_names(names.get(u, u) for u in step.use_cases)
        verb = "unblocks" if step.kind == "decision" else "helps unlock"
        out.append(step.title + (f" ({verb} {unlocks}; value {step.value})" if unlocks else ""))
    return out


def recommendation_json(rm: Roadmap) -> dict | None:
    """The recommendation for machines (None when there is no option)."""
    rec = rm.recommended
    if rec is None:
        return None
    return {
        "option": rec.option,
        "name": rec.name,
        "reason": rec.reason,
        "start_with": [
            {"kind": s.kind, "title": s.title, "item": s.item, "use_cases": list(s.use_cases), "value": s.value}
            for s in rec.start_with
        ],
    }


def closes_text(p: Plan) -> str:
    parts = [f"{theme} ({n})" for theme, n in p.closed_by_theme().items()]
    return "; ".join(parts) if parts else "nothing"


def leaves_text(p: Plan) -> list[str]:
    """One line per theme left open, with why this option leaves it."""
    return [f"{theme} ({n}): {p.left_why.get(theme, '')}" for theme, n in p.left_by_theme().items()]


def comparison_rows(rm: Roadmap) -> list[dict]:
    """One row per option, the columns of the side-by-side table."""
    rows = []
    for p in rm.plans:
        t = rm.tallies.get(p.id)
        rows.append(
            {
                "option": p.id,
                "recommended": rm.recommended is not None and rm.recommended.option == p.id,
                "title": p.option.title,
                "style": p.option.effective_style,
                "status": p.option.effective_status if not p.generated else "generated",
                "gaps_closed": len(p.closed),
                "gaps_left": len(p.left),
                "use_cases_unlocked": len(p.unlocks),
                "value_unlocked": p.value_unlocked,
                "value_waves": p.value_waves,
                "first_value": wave_word(rm, p.first_value_wave),
                "first_value_wave": p.first_value_wave,
                "effort": p.effort,
                "waves": p.waves,
                "risk": p.risk,
                "systems_changed": len(p.systems_changed),
                "contested_left": p.contested_left,
                "votes": t.votes if t else 0,
                "mean_score": round(t.mean, 2) if t and t.mean is not None else None,
            }
        )
    return rows


def json_document(rm: Roadmap, ws: m.Workshop, file: str) -> dict:
    """The machine-readable roadmap (``needsmap.roadmap/1``; fields are only ever added)."""
    st = rm.settings
    return {
        **document_head(JSON_SCHEMA_ID, ws, file),
        "settings": {
            "wave_capacity": st.effective_wave_capacity,
            "wave_length": st.effective_wave_length,
            "first_wave": st.first_wave,
            "effort": {k: st.effort_of(k) for k in m.WORK_KINDS},
            "urgency": {h: st.urgency_of(h) for h in m.HORIZONS},
        },
        "waves": rm.labels,
        "recommended": recommendation_json(rm),
        "comparison": comparison_rows(rm),
        "options": [_plan_json(rm, p) for p in rm.plans],
        "votes": {
            o: {
                "votes": t.votes,
                "total": t.total,
                "mean": t.mean,
                "by_stakeholder": t.by_stakeholder,
                "by_function": t.by_function,
            }
            for o, t in rm.tallies.items()
        },
    }


def _plan_json(rm: Roadmap, p: Plan) -> dict:
    return {
        "id": p.id,
        "title": p.option.title,
        "style": p.option.effective_style,
        "generated": p.generated,
        "status": p.option.effective_status,
        "description": p.option.description or "",
        "summary": summary(rm, p),
        "closes": [
            {"code": g.code, "rule": g.rule, "subjects": [{"kind": k, "id": i} for k, i in g.subjects]}
            for g in p.closed
        ],
        "leaves": [
            {"code": g.code, "rule": g.rule, "subjects": [{"kind": k, "id": i} for k, i in g.subjects]} for g in p.left
        ],
        "leaves_why": p.left_why,
        "unlocks": [{"use_case": u, "wave": w} for u, w in sorted(p.unlocks.items(), key=lambda kv: (kv[1], kv[0]))],
        "not_unlocked": p.not_unlocked,
        "effort": p.effort,
        "effort_by_kind": {k: {"count": n, "points": pts} for k, (n, pts) in sorted(p.effort_by_kind.items())},
        "waves": p.waves,
        "value_by_wave": p.value_by_wave,
        "systems_changed": list(p.systems_changed),
        "risk": p.risk,
        "notes": p.notes,
        "work_items": [
            {
                "id": it.item.id,
                "kind": it.kind,
                "title": it.item.title,
                "attribute": it.item.attribute,
                "system": it.item.system,
                "to": it.item.to,
                "use_cases": list(it.item.use_cases),
                "depends_on": list(it.item.depends_on),
                "effort": it.effort,
                "value": it.value,
                "wsjf": round(it.wsjf, 4),
                "priority": round(it.priority, 4),
                "wave": it.wave,
                "end_wave": it.end_wave,
            }
            for it in p.items
        ],
    }


# ----------------------------------------------------------------------------- Markdown


def _md(text: object) -> str:
    return textsafe.markdown(str(text))


def _cell(text: object) -> str:
    return textsafe.markdown(textsafe.one_line(str(text))).replace("|", "\\|")


def _code(value: object) -> str:
    """Workshop text as inline code: a fence longer than any run of backticks in it, pipes escaped."""
    import re

    text = textsafe.terminal(textsafe.one_line(str(value))).replace("|", "\\|")
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown(rm: Roadmap, ws: m.Workshop, option: str | None = None, *, heading: int = 1) -> str:
    """The comparison, each option in plain words, the waves (of one option, or of every one), the votes."""
    h = "#" * heading
    out = [f"{h} Roadmap options: {_md(ws.workshop.name)}", ""]
    if not rm.plans:
        out += ["No options: the analysis found no gap that work could close.", ""]
        return "\n".join(out) + "\n"
    rec = recommendation_lines(rm, ws)
    if rec:
        out += [f"**{_md(rec[0])}** {_md(rec[1])}", ""]
        if len(rec) > 2:
            out += [f"**{_md(rec[2])}**", ""] + [f"- {_md(line[2:])}" for line in rec[3:]] + [""]
    out += _comparison_md(rm)
    for p in rm.plans:
        if option is not None and p.id != option:
            continue
        out += _option_md(rm, p, h + "#", waves=option is not None or heading > 1)
    out += tally_markdown(rm, ws, h + "#")
    return "\n".join(out).rstrip("\n") + "\n"


def _comparison_md(rm: Roadmap) -> list[str]:
    out = [
        "| Option | Gaps closed | Use cases unlocked (value) | First value | Effort | Waves | Risk | Votes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in comparison_rows(rm):
        votes = f"{r['votes']} (mean {r['mean_score']:g})" if r["votes"] else ""
        mark = " **recommended**" if r["recommended"] else ""
        out.append(
            f"| {_cell(r['title'])} ({_code(r['option'])}){mark} | {r['gaps_closed']} of {rm.total_gaps} | "
            f"{r['use_cases_unlocked']} ({r['value_unlocked']}) | {_cell(r['first_value'])} | "
            f"{points(r['effort'])} | {r['waves']} | {r['risk']} | {votes} |"
        )
    out += [
        "",
        "Effort in points (counts of work items times the weights in `settings.roadmap.effort`); risk is "
        "the systems changed, plus new central components, plus contested attributes left open.",
        "",
    ]
    return out


def _option_md(rm: Roadmap, p: Plan, h: str, *, waves: bool) -> list[str]:
    out = [f"{h} {_md(p.option.title)} ({_code(p.id)})", ""]
    if p.option.description:
        out += [_md(textsafe.one_line(p.option.description)), ""]
    out += [summary(rm, p), "", f"- **Closes:** {_md(closes_text(p))}"]
    left = leaves_text(p)
    if left:
        out.append("- **Leaves:**")
        out += [f"  - {_md(line)}" for line in left]
    if p.unlocks:
        by_wave: dict[int, list[str]] = {}
        for u, w in sorted(p.unlocks.items(), key=lambda kv: (kv[1], kv[0])):
            by_wave.setdefault(w, []).append(u)
        out.append(
            "- **Unlocks:** " + "; ".join(f"{_md(wave_word(rm, w))}: {_md(', '.join(us))}" for w, us in by_wave.items())
        )
    kinds = ", ".join(f"{n} {k} ({points(pts)})" for k, (n, pts) in sorted(p.effort_by_kind.items()))
    out.append(f"- **Work:** {_md(kinds)}")
    for note in p.notes:
        out.append(f"- *Note:* {_md(note)}")
    out.append("")
    if waves:
        out += ["| Wave | Work item | Kind | Effort | WSJF | Helps unlock |", "|---|---|---|---|---|---|"]
        for it in p.items:
            out.append(
                f"| {_cell(wave_word(rm, it.wave))} | {_cell(it.item.title)} ({_code(it.item.id)}) | "
                f"{it.kind} | {points(it.effort)} | {it.wsjf:.2f} | {_cell(', '.join(it.item.use_cases))} |"
            )
        out.append("")
    return out


def tally_rows(
    rm: Roadmap, ws: m.Workshop
) -> tuple[list[str], list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """(options voted on, rows by stakeholder (name, scores), rows by function (function, mean scores))."""
    options = [o for o, t in rm.tallies.items() if t.votes]
    names = {s.id: s.name or s.id for s in ws.stakeholders}
    by_person = []
    for s in rm.voters:
        by_person.append((names.get(s, s), [str(rm.tallies[o].by_stakeholder.get(s, "")) for o in options]))
    functions = sorted({fn for o in options for fn in rm.tallies[o].by_function})
    by_function = []
    for fn in functions:
        cells = []
        for o in options:
            mean = rm.tallies[o].by_function.get(fn)
            cells.append("" if mean is None else f"{mean:.1f}")
        by_function.append((fn or "(no function)", cells))
    return options, by_person, by_function


def tally_markdown(rm: Roadmap, ws: m.Workshop, h: str) -> list[str]:
    options, by_person, by_function = tally_rows(rm, ws)
    out = [f"{h} Votes", ""]
    if not options:
        return out + [
            "No votes yet. Accept an option (`needsmap roadmap FILE --accept ID`), then record votes in "
            "`votes:` or on the Roadmap screen of the terminal UI.",
            "",
        ]
    head = "| Stakeholder | " + " | ".join(_code(o) for o in options) + " |"
    out += [head, "|---|" + "---|" * len(options)]
    out += [f"| {_cell(n)} | " + " | ".join(cells) + " |" for n, cells in by_person]
    means = [f"**{rm.tallies[o].mean:.1f}**" for o in options]
    out += ["| **Mean** | " + " | ".join(means) + " |", ""]
    out += ["| Function | " + " | ".join(_code(o) for o in options) + " |", "|---|" + "---|" * len(options)]
    out += [f"| {_cell(fn)} | " + " | ".join(cells) + " |" for fn, cells in by_function]
    out.append("")
    comments = [(v.stakeholder, v.option, v.score, v.comment) for v in ws.votes if v.comment]
    if comments:
        out += [
            f"- {_md(names_of(ws).get(s, s))} on {_code(o)} ({sc}): {_md(textsafe.one_line(c))}"
            for s, o, sc, c in comments
        ]
        out.append("")
    return out


def names_of(ws: m.Workshop) -> dict[str, str]:
    return {s.id: s.name or s.id for s in ws.stakeholders}
