"""Small inline SVG charts for the reports, in pure Python (no dependency, no JavaScript).

Every text that reaches a chart is untrusted: it is folded onto one line, its
control characters are made visible, and it is escaped with
:func:`xml.sax.saxutils.escape` / ``quoteattr`` before it goes into the SVG.
The charts are accessible (``role="img"``, a ``<title>`` and a ``<desc>`` that
say in words what the chart shows) and do not rely on colour alone: statuses
carry a pattern and are written out next to the bars.

Each chart gets its own id prefix (derived from its content, or ``chart_id``)
so that several charts can be inlined in one HTML page.
"""

from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape, quoteattr

from needsmap.util.graphviz import clean_text

#: Status -> (fill, text colour on the fill, legend word).  Red / amber / green, each with its own
#: pattern (cross-hatch / stripes / plain) so that colour-blind readers can tell them apart.
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "blocked": ("#c62828", "#ffffff", "Blocked"),
    "at-risk": ("#f0a202", "#1a1a1a", "At risk"),
    "ready": ("#2e7d32", "#ffffff", "Ready"),
}
STATUS_ORDER = ("blocked", "at-risk", "ready")
UNKNOWN_COLOUR = "#d9d9d9"
#: Heat-map tints from worst to best (light enough for dark text; red-to-blue, colour-blind safe).
HEAT_SCALE = ("#f6a38f", "#fdd49e", "#fff7bc", "#d1e5f0", "#92c5de")
#: Quality 1..5 -> tint.
QUALITY_COLOURS: dict[int, str] = {q: HEAT_SCALE[q - 1] for q in range(1, 6)}
#: Freshness -> tint (realtime best, monthly worst, unknown grey).
FRESHNESS_COLOURS: dict[str, str] = {
    "realtime": HEAT_SCALE[4],
    "hourly": HEAT_SCALE[3],
    "daily": HEAT_SCALE[2],
    "weekly": HEAT_SCALE[1],
    "monthly": HEAT_SCALE[0],
    "unknown": UNKNOWN_COLOUR,
}
FONT = "Helvetica, Arial, sans-serif"


def svg_text(text: object, limit: int | None = None) -> str:
    """Untrusted text as SVG (XML) text content: one printable line, shortened to ``limit``, escaped."""
    return escape(clean_text(text, limit))


def _a(text: object) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(clean_text(text, None))


def _uid(kind: str, payload: str, chart_id: str | None) -> str:
    if chart_id:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", chart_id)[:40]
        return f"nmc-{safe}"
    return f"nmc-{kind}-" + hashlib.sha1(payload.encode("utf-8", "replace")).hexdigest()[:10]


def _patterns(uid: str) -> str:
    """Pattern fills per status: blocked cross-hatched, at risk striped, ready plain."""
    b, r = STATUS_STYLE["blocked"][0], STATUS_STYLE["at-risk"][0]
    return (
        "<defs>"
        f'<pattern id="{uid}-blocked" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<rect width="8" height="8" fill="{b}"/>'
        '<path d="M0,0 L8,8 M8,0 L0,8" stroke="#ffffff" stroke-width="1.2" stroke-opacity="0.45"/></pattern>'
        f'<pattern id="{uid}-at-risk" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{r}"/>'
        '<rect width="3" height="8" fill="#ffffff" fill-opacity="0.35"/></pattern>'
        "</defs>"
    )


def _fill(uid: str, status: str) -> str:
    if status in ("blocked", "at-risk"):
        return f"url(#{uid}-{status})"
    return STATUS_STYLE.get(status, (UNKNOWN_COLOUR,))[0]


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="needsmap-chart" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;height:auto" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" font-family="{FONT}">'
        f'<title id="{uid}-title">{svg_text(title)}</title><desc id="{uid}-desc">{svg_text(desc)}</desc>'
    )


def _count(value: object) -> int:
    try:
        return max(0, int(value))  # type: ignore[call-overload]  # templates may pass anything; unreadable counts 0
    except (TypeError, ValueError):
        return 0


def _pct(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


#: The width (SVG units) of the phone layout of a chart: drawn about this wide on a phone, so its text keeps the
#: size it is written in (13 units: at least 10 px at 390 px wide).
NARROW = 340


def readiness_bar(counts: dict[str, int], title: str, chart_id: str | None = None, *, narrow: bool = False) -> str:
    """One horizontal bar stacked blocked / at risk / ready, with numbers and a legend.

    ``counts`` as :meth:`needsmap.analysis.engine.Analysis.readiness_counts` gives it; other keys are ignored,
    missing ones count 0.  ``narrow``: the phone layout (:data:`NARROW` wide, the legend one status a line).
    """
    values = {s: _count(counts.get(s)) for s in STATUS_ORDER}
    total = sum(values.values())
    uid = _uid("bar", f"{title}|{sorted(values.items())}|{narrow}", chart_id)
    if narrow:
        uid += "-narrow"
    width, bar_x, bar_y, bar_w, bar_h = (NARROW, 4, 34, NARROW - 8, 30) if narrow else (640, 10, 34, 620, 30)
    height = 104 + (44 if narrow else 0)
    words = ", ".join(f"{values[s]} {STATUS_STYLE[s][2].lower()}" for s in STATUS_ORDER)
    desc = f"{total} use cases: {words}." if total else "No use cases to assess."
    out = [
        _open(uid, width, height, title, desc),
        _patterns(uid),
        f'<text x="{bar_x}" y="20" font-size="14" font-weight="bold" fill="#1a1a1a">'
        f"{svg_text(title, 40 if narrow else 80)}</text>",
    ]
    if not total:
        out.append(
            f'<rect x="{bar_x}" y="{bar_y}" width="{bar_w}" height="{bar_h}" rx="4" fill="{UNKNOWN_COLOUR}"/>'
            f'<text x="{bar_x + bar_w / 2:.1f}" y="{bar_y + 20}" font-size="13" text-anchor="middle" '
            'fill="#1a1a1a">No use cases yet</text>'
        )
    else:
        x = float(bar_x)
        out.append(f'<rect x="{bar_x}" y="{bar_y}" width="{bar_w}" height="{bar_h}" rx="4" fill="#eeeeee"/>')
        for s in STATUS_ORDER:
            n = values[s]
            if not n:
                continue
            w = bar_w * n / total
            fill, ink, word = STATUS_STYLE[s]
            out.append(
                f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="{_fill(uid, s)}">'
                f"<title>{escape(word)}: {n} ({_pct(n, total)})</title></rect>"
            )
            if w >= 26:
                # a solid badge behind the number keeps it readable over the pattern
                badge_w = 8 + 8 * len(str(n))
                cx = x + w / 2
                out.append(
                    f'<rect x="{cx - badge_w / 2:.1f}" y="{bar_y + 6}" width="{badge_w}" height="18" rx="3" '
                    f'fill="{fill}"/><text x="{cx:.1f}" y="{bar_y + 20}" font-size="13" font-weight="bold" '
                    f'text-anchor="middle" fill="{ink}">{n}</text>'
                )
            x += w
    # legend
    lx = bar_x
    for s in STATUS_ORDER:
        fill, _ink, word = STATUS_STYLE[s]
        label = f"{word}: {values[s]}" + (f" ({_pct(values[s], total)})" if total else "")
        ly = bar_y + bar_h + 14
        if narrow:
            ly += 22 * STATUS_ORDER.index(s)
        out.append(
            f'<rect x="{lx}" y="{ly}" width="16" height="16" rx="2" fill="{_fill(uid, s)}" '
            f'stroke="#555555" stroke-width="0.5"/>'
            f'<text x="{lx + 22}" y="{ly + 13}" font-size="13" fill="#1a1a1a">{escape(label)}</text>'
        )
        if not narrow:
            lx += 34 + 8 * len(label)
    out.append("</svg>")
    return "".join(out)


def readiness_per_use_case(
    rows: list[tuple[str, int | None, str, float | None]],
    title: str = "Use-case readiness",
    chart_id: str | None = None,
    *,
    narrow: bool = False,
) -> str:
    """One row per use case (in the order given): label, a bar of the share of must-needs met (coloured
    and patterned by status), the share, the status in words and the value.

    ``rows``: (label, value or None, status "ready" | "at-risk" | "blocked", must_share 0..1, or None when the
    use case has no must-needs: its bar is drawn empty and says so, never as 100%).  ``narrow``: the phone
    layout (:data:`NARROW` wide, the label on a line of its own above the bar).
    """
    rows = list(rows)
    uid = _uid("rows", title + "|" + "|".join(f"{r[0]}:{r[1]}:{r[2]}:{r[3]}" for r in rows), chart_id)
    if narrow:
        return _per_use_case_narrow(rows, title, uid + "-narrow")
    bar_x, bar_w, row_h, top = 310, 200, 24, 34
    width = 720
    height = top + row_h * max(1, len(rows)) + 10
    counts = {s: sum(1 for r in rows if r[2] == s) for s in STATUS_ORDER}
    desc = (
        f"{len(rows)} use cases, "
        + ", ".join(f"{counts[s]} {STATUS_STYLE[s][2].lower()}" for s in STATUS_ORDER)
        + ". Each row shows the share of the use case's must-needs that are met."
    )
    head_y = 22
    out = [
        _open(uid, width, height, title, desc),
        _patterns(uid),
        f'<g font-size="11" fill="#555555" font-weight="bold">'
        f'<text x="10" y="{head_y}">Use case</text>'
        f'<text x="{bar_x}" y="{head_y}">Must-needs met</text>'
        f'<text x="{bar_x + bar_w + 50}" y="{head_y}">Status</text>'
        f'<text x="{width - 10}" y="{head_y}" text-anchor="end">Value</text></g>',
    ]
    if not rows:
        out.append(f'<text x="10" y="{top + 16}" font-size="13" fill="#1a1a1a">No use cases yet</text>')
    for i, (label, value, status, share) in enumerate(rows):
        y = top + i * row_h
        share_f, shown_share = _share(share)
        fill, _ink, word = STATUS_STYLE.get(status, (UNKNOWN_COLOUR, "#1a1a1a", clean_text(status, 20) or "unknown"))
        if i % 2:
            out.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#f6f6f6"/>')
        full = clean_text(label, None)
        out.append(
            f'<text x="10" y="{y + 16}" font-size="12" fill="#1a1a1a"><title>{escape(full)}</title>'
            f"{svg_text(label, 44)}</text>"
        )
        out.append(f'<rect x="{bar_x}" y="{y + 6}" width="{bar_w}" height="12" rx="2" fill="#e6e6e6"/>')
        if share_f > 0:
            out.append(
                f'<rect x="{bar_x}" y="{y + 6}" width="{bar_w * share_f:.1f}" height="12" rx="2" '
                f'fill="{_fill(uid, status)}"/>'
            )
        shown_value = "\u2013" if value is None else svg_text(value, 8)
        out.append(
            f'<text x="{bar_x + bar_w + 6}" y="{y + 16}" font-size="11" fill="#1a1a1a">{shown_share}'
            f'</text><text x="{bar_x + bar_w + 50}" y="{y + 16}" font-size="12" fill="#1a1a1a">'
            f'<tspan fill="{fill if status in STATUS_STYLE else "#555555"}">\u25a0</tspan> {escape(word)}</text>'
            f'<text x="{width - 10}" y="{y + 16}" font-size="12" text-anchor="end" fill="#1a1a1a">'
            f"{shown_value}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _share(share: object) -> tuple[float, str]:
    """A share of must-needs met, clamped to 0..1, and how it is written ("no must-haves" when None)."""
    if share is None:
        return 0.0, "none"
    try:
        value = min(1.0, max(0.0, float(share)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = 0.0
    return value, f"{round(value * 100)}%"


def _per_use_case_narrow(rows: list[tuple[str, int | None, str, float | None]], title: str, uid: str) -> str:
    """The phone layout of :func:`readiness_per_use_case`: per use case its label, then the bar, share and status."""
    width, row_h, top, bar_w = NARROW, 42, 8, 150
    height = top + row_h * max(1, len(rows)) + 6
    desc = f"{len(rows)} use cases. Each shows the share of its must-needs that are met, and its status."
    out = [_open(uid, width, height, title, desc), _patterns(uid)]
    if not rows:
        out.append(f'<text x="4" y="{top + 16}" font-size="13" fill="#1a1a1a">No use cases yet</text>')
    for i, (label, value, status, share) in enumerate(rows):
        y = top + i * row_h
        share_f, shown_share = _share(share)
        fill, _ink, word = STATUS_STYLE.get(status, (UNKNOWN_COLOUR, "#1a1a1a", clean_text(status, 20) or "unknown"))
        if i % 2:
            out.append(f'<rect x="0" y="{y - 2}" width="{width}" height="{row_h}" fill="#f6f6f6"/>')
        shown_value = "" if value is None else f" · value {svg_text(value, 8)}"
        out.append(
            f'<text x="4" y="{y + 13}" font-size="13" fill="#1a1a1a"><title>{escape(clean_text(label, None))}</title>'
            f"{svg_text(label, 42)}</text>"
            f'<rect x="4" y="{y + 20}" width="{bar_w}" height="12" rx="2" fill="#e6e6e6"/>'
        )
        if share_f > 0:
            out.append(
                f'<rect x="4" y="{y + 20}" width="{bar_w * share_f:.1f}" height="12" rx="2" '
                f'fill="{_fill(uid, status)}"/>'
            )
        out.append(
            f'<text x="{bar_w + 10}" y="{y + 31}" font-size="13" fill="#1a1a1a">{shown_share} · '
            f'<tspan fill="{fill if status in STATUS_STYLE else "#555555"}">\u25a0</tspan> {escape(word)}'
            f"{shown_value}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def heat_colour(quality: int | None) -> str:
    """CSS colour of a quality 1..5 cell (1 worst); unknown (None) is grey; out-of-range values are clamped."""
    if quality is None or isinstance(quality, bool):
        return UNKNOWN_COLOUR
    try:
        q = int(quality)
    except (TypeError, ValueError):
        return UNKNOWN_COLOUR
    return QUALITY_COLOURS[min(5, max(1, q))]


def freshness_colour(freshness: str | None) -> str:
    """CSS colour of a freshness cell: realtime best, monthly worst, unknown or missing grey."""
    return FRESHNESS_COLOURS.get(str(freshness) if freshness is not None else "unknown", UNKNOWN_COLOUR)
