"""The report's "Roadmap options" section: the comparison table, the value chart and each option's waves.

Rows and sentences come from :mod:`needsmap.roadmap.output`, so the report says what the
terminal says.  Workshop text is untrusted: HTML goes through markupsafe's escaping and the
SVG chart through XML escaping.
"""

from __future__ import annotations

import hashlib
import math

from markupsafe import Markup, escape

from needsmap.analysis.engine import Analysis
from needsmap.format import model as m
from needsmap.report.charts import svg_text
from needsmap.report.lazy import LAZY_ROWS, lazy_html
from needsmap.roadmap.engine import Roadmap, RoadmapError, build_roadmap
from needsmap.roadmap.output import (
    closes_text,
    comparison_rows,
    leaves_text,
    markdown,
    points,
    summary,
    tally_rows,
    wave_word,
)
from needsmap.util import text as textsafe
from needsmap.util.text import MarkdownText

# ----------------------------------------------------------------------------- SVG chart


def value_chart(rm: Roadmap, title: str = "Value unlocked over time, per option") -> str:
    """A line chart: cumulative value of the use cases each option unlocks, wave by wave (inline SVG)."""
    plans = [p for p in rm.plans]
    width, height, left, right, top, bottom = 640, 300, 48, 180, 36, 44
    horizon = max(rm.horizon, 1)
    top_value = max([1] + [max(p.value_by_wave or [0]) for p in plans])
    plot_w, plot_h = width - left - right, height - top - bottom
    uid = "rm-" + hashlib.sha1(repr([(p.id, p.value_by_wave) for p in plans]).encode()).hexdigest()[:8]
    palette = ("#1b6ca8", "#c75000", "#2e7d32", "#7b3fa0", "#8a6d00", "#00838f", "#ad1457", "#455a64")
    dashes = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6")

    def x(w: float) -> float:
        return left + plot_w * (w / horizon)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    desc = "; ".join(
        f"{p.id}: value {p.value_unlocked} by {wave_word(rm, p.waves) if p.waves else 'never'}, "
        f"first value {wave_word(rm, p.first_value_wave)}"
        for p in plans
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{uid}-t {uid}-d" class="needsmap-chart">',
        f'<title id="{uid}-t">{svg_text(title)}</title><desc id="{uid}-d">{svg_text(desc)}</desc>',
        f'<text x="{left}" y="20" font-size="13" font-weight="bold" font-family="Helvetica, Arial, sans-serif">'
        f"{svg_text(title)}</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>',
    ]
    step = max(1, math.ceil(horizon / 12))
    for w in range(0, horizon + 1, step):
        label = str(w)
        parts.append(
            f'<text x="{x(w):.1f}" y="{top + plot_h + 16}" font-size="10" text-anchor="middle" '
            f'font-family="Helvetica, Arial, sans-serif">{svg_text(label)}</text>'
        )
    for v in sorted({0, top_value // 2, top_value}):
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" '
            f'font-family="Helvetica, Arial, sans-serif">{v}</text>'
        )
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="#ddd"/>')
    axis = f"{rm.settings.effective_wave_length}s (wave 1 = {wave_word(rm, 1)})"
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" font-size="10" text-anchor="middle" '
        f'font-family="Helvetica, Arial, sans-serif">{svg_text(axis)}</text>'
    )
    for n, p in enumerate(plans):
        colour, dash = palette[n % len(palette)], dashes[n % len(dashes)]
        points = [(x(0), y(0))]
        previous = 0
        for w, v in enumerate(p.value_by_wave, 1):
            points.append((x(w), y(previous)))
            points.append((x(w), y(v)))
            previous = v
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} points="{path}">'
            f"<title>{svg_text(p.id)}: value {p.value_unlocked}</title></polyline>"
        )
        ly = top + 14 + n * 18
        parts.append(
            f'<line x1="{left + plot_w + 12}" y1="{ly - 4}" x2="{left + plot_w + 36}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 40}" y="{ly}" font-size="11" '
            f'font-family="Helvetica, Arial, sans-serif">{svg_text(p.id, 18)} ({p.value_unlocked})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ----------------------------------------------------------------------------- the report section


#: An option's list of what it leaves open folds to its count when it is longer than this.
FOLD_LEAVES = 4


def option_anchor(option_id: str) -> str:
    """The id of an option's heading in the report (links from the summary's recommendation)."""
    return "roadmap-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in option_id)


def report_section(ws: m.Workshop, analysis: Analysis, rm: Roadmap | RoadmapError | None = None) -> dict:
    """The "Roadmap options" section of the report (``ctx.extra_sections``): HTML and Markdown.

    ``rm`` is the roadmap when the caller built it already (or the error building it raised)."""
    try:
        if isinstance(rm, RoadmapError):
            raise rm
        if rm is None:
            rm = build_roadmap(ws, analysis)
    except RoadmapError as exc:
        return {
            "id": "roadmap",
            "title": "Roadmap options",
            "html": Markup("<p>{}</p>").format(str(exc)),
            "markdown": MarkdownText(textsafe.markdown(str(exc))),
        }

    md = markdown(rm, ws, heading=2).split("\n", 2)[2]  # the report gives the section its own title
    return {"id": "roadmap", "title": "Roadmap options", "html": report_html(ws, rm), "markdown": MarkdownText(md)}


def report_html(ws: m.Workshop, rm: Roadmap) -> Markup:
    """The section's HTML: everything escaped, the chart drawn by :func:`value_chart`."""
    e = escape
    if not rm.plans:
        return Markup("<p>No options: the analysis found no gap that work could close.</p>")
    # workshop text: control and bidi characters made visible (Markup.format escapes the rest)
    titles = {u.id: textsafe.terminal(u.title or u.id) for u in ws.use_cases}
    option_titles = {p.id: textsafe.terminal(p.option.title or p.id) for p in rm.plans}
    rec = rm.recommended
    html = []
    if rec is not None:
        html.append(
            Markup(
                '<div class="callout info recommended"><strong>Recommended: <a href="#{}">{}</a></strong> {}</div>'
            ).format(option_anchor(rec.option), textsafe.terminal(rec.name), textsafe.terminal(rec.reason))
        )
    html += [
        Markup(
            "<p>Options generated from the gaps after the master-data implementation styles, and the "
            "options the workshop wrote itself, each phased into waves (dependencies first, then the most "
            "value per point of effort) and scored. See docs/roadmap.md of needsmap for the method.</p>"
        )
    ]
    html.append(
        Markup(
            '<div class="scroll"><table><thead><tr><th>Option</th><th>Gaps closed</th>'
            "<th>Use cases unlocked (value)</th><th>First value</th><th>Effort</th><th>Waves</th>"
            "<th>Risk</th><th>Votes</th></tr></thead><tbody>"
        )
    )
    for r in comparison_rows(rm):
        votes = f"{r['votes']} (mean {r['mean_score']:g})" if r["votes"] else ""
        html.append(
            Markup(
                "<tr><td>{} <code>{}</code></td><td>{} of {}</td><td>{} ({})</td><td>{}</td><td>{}</td>"
                "<td>{}</td><td>{}</td><td>{}</td></tr>"
            ).format(
                r["title"],
                r["option"],
                r["gaps_closed"],
                rm.total_gaps,
                r["use_cases_unlocked"],
                r["value_unlocked"],
                r["first_value"],
                points(r["effort"]),
                r["waves"],
                r["risk"],
                votes,
            )
        )
    html.append(Markup("</tbody></table></div>"))
    html.append(Markup('<figure class="chart">{}</figure>').format(Markup(value_chart(rm))))
    for p in rm.plans:
        html.append(
            Markup('<h3 id="{}">{} <code>{}</code>{}</h3>').format(
                option_anchor(p.id),
                p.option.title,
                p.id,
                Markup(' <span class="badge b-ready">Recommended</span>') if rec and rec.option == p.id else "",
            )
        )
        if p.option.description:
            html.append(Markup("<p>{}</p>").format(p.option.description))
        html.append(Markup("<p><strong>{}</strong></p>").format(summary(rm, p)))
        html.append(Markup("<ul><li><strong>Closes:</strong> {}</li>").format(closes_text(p)))
        left = leaves_text(p)
        if left:
            items = Markup("").join(Markup("<li>{}</li>").format(x) for x in left)
            if len(left) > FOLD_LEAVES:  # a long list folds to its count
                html.append(
                    Markup(
                        "<li><details><summary><strong>Leaves:</strong> {} kinds of gap</summary><ul>{}</ul></details></li>"
                    ).format(len(left), items)
                )
            else:
                html.append(Markup("<li><strong>Leaves:</strong><ul>{}</ul></li>").format(items))
        if p.unlocks:
            html.append(
                Markup("<li><strong>Unlocks:</strong> {}</li>").format(
                    "; ".join(
                        f"{titles.get(u, u)} ({wave_word(rm, w)})"
                        for u, w in sorted(p.unlocks.items(), key=lambda kv: (kv[1], kv[0]))
                    )
                )
            )
        html.append(Markup("</ul>"))
        wave_rows = Markup("").join(
            Markup(
                '<tr><td class="nw" data-label="Wave">{}</td><td>{} <code>{}</code></td><td data-label="Kind">{}</td>'
                '<td class="num" data-label="Effort">{}</td><td class="num" data-label="WSJF">{:.2f}</td>'
                '<td data-label="Helps unlock">{}</td></tr>'
            ).format(
                wave_word(rm, it.wave),
                it.item.title,
                it.item.id,
                it.kind,
                points(it.effort),
                it.wsjf,
                "; ".join(titles.get(u, u) for u in it.item.use_cases),
            )
            for it in p.items
        )
        table = Markup(
            '<div class="scroll"><table class="data"><thead><tr><th>Wave</th><th>Work item</th><th>Kind</th>'
            '<th class="num">Effort</th><th class="num">WSJF</th><th>Helps unlock</th></tr></thead>'
            "<tbody>{}</tbody></table></div>"
        ).format(wave_rows)
        head = Markup("Waves: {} work items").format(len(p.items))
        if len(p.items) > LAZY_ROWS:
            html.append(lazy_html(head, table, len(p.items)))
        else:
            html.append(Markup("<details><summary>{}</summary>{}</details>").format(head, table))
    options, by_person, by_function = tally_rows(rm, ws)
    html.append(Markup("<h3>Votes</h3>"))
    if not options:
        html.append(Markup("<p>No votes yet.</p>"))
    else:
        for label, rows in (("Stakeholder", by_person), ("Function", by_function)):
            html.append(
                Markup('<div class="scroll"><table><thead><tr><th>{}</th>{}</tr></thead><tbody>').format(
                    label,
                    Markup("").join(Markup("<th>{}</th>").format(option_titles.get(o, o)) for o in options),
                )
            )
            for name, cells in rows:
                html.append(
                    Markup("<tr><td>{}</td>{}</tr>").format(
                        name, Markup("").join(Markup("<td>{}</td>").format(c) for c in cells)
                    )
                )
            html.append(Markup("</tbody></table></div>"))
    return Markup("").join(e(x) if not isinstance(x, Markup) else x for x in html)
