"""Diagrams of a workshop: Graphviz DOT sources and their rendering to inline SVG.

Three diagrams, each a pure function of a workshop and its analysis:

* :func:`landscape_dot`: the systems and the feeds between them;
* :func:`identity_dot`: which systems can recognise the same customer (the
  identifier attributes they share), islands and systems without identifier;
* :func:`lineage_dot`: one use case, from its owner to the attributes it needs
  (coloured by how each need stands), the systems holding them and the feed
  path that brings each one to where the use case runs.

Each returns a :class:`Diagram` holding the DOT source; :func:`render_svg`
turns it into SVG that can be inlined in an HTML page, and never raises.

**Untrusted text.**  Every name in a workshop is untrusted.  Node ids are
generated (``n1``, ``n2``...), never taken from the workshop; every label is a
Graphviz HTML-like label built from text passed through :func:`html_text`,
which makes control characters visible, folds the text onto one line, shortens
it with an ellipsis and escapes ``& < > " '`` and backslashes (Graphviz expands
``\\N``, ``\\G``... even in HTML-like labels).  Attribute values other than
labels are constants of this module and are checked against a strict pattern.

**Scale.**  ``dot`` must never make a report slow or unreadable.  Above the
limits below a diagram aggregates (systems by kind, attributes by entity,
large identity groups by kind) and says so in :attr:`Diagram.note`.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypedDict

from needsmap.analysis.engine import Analysis, NeedStatus
from needsmap.analysis.graph import RANK_NAME, UNKNOWN_RANK, rank
from needsmap.format import model as m
from needsmap.util.graphviz import (
    FONT,
    FONT_SIZE,
    INK,
    MUTED,
    SMALL_SIZE,
    Diagram,
    clean_text,
    html_text,
    html_wrap,
)

# -- limits ------------------------------------------------------------------------------
#: Up to this many systems the landscape draws every system on its own.
LANDSCAPE_PLAIN_MAX = 15
#: Up to this many systems the landscape draws every system, grouped in a box per kind;
#: above it (or above LANDSCAPE_MAX_LINKS system-to-system links) one node stands for each kind.
LANDSCAPE_DETAIL_MAX = 40
LANDSCAPE_MAX_LINKS = 100
#: The aggregated landscape: at most this many kinds (the smallest share a node) and links between them.
LANDSCAPE_MAX_KINDS = 14
LANDSCAPE_MAX_KIND_LINKS = 24
#: Above this many systems with customer data, each identity group of IDENTITY_GROUP_MIN systems or
#: more is drawn as one table (the identifiers its systems share, how many hold each, its kinds).
IDENTITY_DETAIL_MAX = 60
IDENTITY_GROUP_MIN = 12
#: Systems without identifier (and islands) drawn one by one at most; the rest as one node.
IDENTITY_MAX_LOOSE = 30
#: Rows of identifiers in the table that stands for a large identity group.
IDENTITY_TABLE_ROWS = 15
#: A lineage with more needed attributes than this draws one node per entity.
LINEAGE_DETAIL_MAX = 60
#: A lineage with more attribute-to-holder links than this draws at most LINEAGE_HOLDERS_SHOWN
#: holders per attribute (the one the feed path starts from and masters first).
LINEAGE_MAX_HOLDINGS = 60
LINEAGE_HOLDERS_SHOWN = 3
#: A lineage touching more systems than this draws the systems that do not run the use case
#: as one node per kind.
LINEAGE_MAX_SYSTEMS = 40
LINEAGE_MAX_SYSTEMS_BY_ENTITY = 15
# -- style ---------------------------------------------------------------------------------
ALERT = "#c62828"  # identity problems, blocked
#: Fill colours of well-known system kinds (pastels that keep dark text readable; the kind is
#: also written in every node, so colour is never the only cue).
KIND_COLOURS: dict[str, str] = {
    "ecommerce": "#8dd3c7",
    "pos": "#ffffb3",
    "loyalty": "#bebada",
    "marketing_automation": "#80b1d3",
    "crm": "#fdb462",
    "erp": "#b3de69",
    "data_warehouse": "#fccde5",
    "service_desk": "#d9c2e9",
    "web_analytics": "#ccebc5",
    "cdp": "#ffed6f",
    "other": "#e6e6e6",
}
_SPARE_COLOURS = ("#c7e9f1", "#f6d8ae", "#d5e8b5", "#f2c6de", "#dcd0ff", "#fde0c5", "#c9f0e4", "#eadbc8")
NO_KIND = "unspecified"
#: Need status -> (fill, border, legend text).
NEED_STYLE: dict[str, tuple[str, str, str]] = {
    "ok": ("#d9f0d3", "#1b7837", "available"),
    "risk": ("#fee8b0", "#b35806", "available, with problems"),
    "missing": ("#f9d0cb", ALERT, "not available"),
    "unknown": ("#eeeeee", MUTED, "not assessed"),
}
READINESS_STYLE: dict[str, tuple[str, str]] = {
    "ready": ("#d9f0d3", "#1b7837"),
    "at-risk": ("#fee8b0", "#b35806"),
    "blocked": ("#f9d0cb", ALERT),
}
_HARD = frozenset({"missing-source", "unreachable"})
_SOFT = frozenset({"stale", "low-quality", "low-coverage"})


def _small(text: str, colour: str = MUTED, size: int | None = None) -> str:
    """An already escaped fragment in a smaller font."""
    return f'<FONT POINT-SIZE="{size or SMALL_SIZE}" COLOR="{colour}">{text}</FONT>'


def _lines(*parts: str) -> str:
    return "<BR/>".join(p for p in parts if p)


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _kind_name(kind: str | None) -> str:
    return (kind or NO_KIND).replace("_", " ")


# -- DOT building ------------------------------------------------------------------------
_SAFE_VALUE = re.compile(r"[-#\w .,:%]*\Z", re.ASCII)


def _attr_list(attrs: dict[str, object], label: str | None, xlabel: str | None = None) -> str:
    parts = []
    for key, value in attrs.items():
        v = str(value)
        if not _SAFE_VALUE.match(v):  # only constants of this module go here, never workshop text
            raise ValueError(f"unsafe DOT attribute value for {key}: {v!r}")
        parts.append(f'{key}="{v}"')
    if label is not None:
        parts.append(f"label=<{label}>")
    if xlabel is not None:
        parts.append(f"xlabel=<{xlabel}>")
    return ", ".join(parts)


class _Dot:
    """Collects nodes, edges and clusters with generated ids."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tooltips: dict[str, str] = {}
        self._nodes = 0
        self._clusters = 0
        self._depth = 1

    def _emit(self, line: str) -> None:
        self.lines.append("  " * self._depth + line)

    def node(self, label: str, tooltip: str | None = None, **attrs: object) -> str:
        self._nodes += 1
        nid = f"n{self._nodes}"
        self._emit(f"{nid} [{_attr_list(attrs, label)}];")
        if tooltip:
            self.tooltips[nid] = clean_text(tooltip, 600)
        return nid

    def edge(
        self,
        a: str,
        b: str,
        label: str | None = None,
        tooltip: str | None = None,
        xlabel: str | None = None,
        **attrs: object,
    ) -> None:
        self._emit(f"{a} -> {b} [{_attr_list(attrs, label, xlabel)}];")
        if tooltip:
            self.tooltips[f"{a}->{b}"] = clean_text(tooltip, 600)

    def same_rank(self, ids: list[str]) -> None:
        if ids:
            self._emit("{ rank=same; " + "; ".join(ids) + "; }")

    @contextmanager
    def cluster(self, label: str, **attrs: object) -> Iterator[None]:
        self._clusters += 1
        self._emit(f"subgraph cluster_{self._clusters} {{")
        self._depth += 1
        self._emit(f"graph [{_attr_list({'labelloc': 't', 'labeljust': 'l', **attrs}, label)}];")
        try:
            yield
        finally:
            self._depth -= 1
            self._emit("}")

    def source(self, legend: str | None = None, **graph_attrs: object) -> str:
        g = {
            "rankdir": "LR",
            "fontname": FONT,
            "fontsize": 10,
            "fontcolor": INK,
            "nodesep": 0.25,
            "ranksep": 0.3,
            "pad": 0.25,
            "charset": "UTF-8",
            "bgcolor": "white",
            "newrank": "true",
            **graph_attrs,
        }
        if legend:
            g.update(labelloc="b", labeljust="l")
        node = {
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": FONT_SIZE,
            "fontcolor": INK,
            "color": "#555555",
            "fillcolor": "#ffffff",
            "margin": "0.14,0.07",
            "penwidth": 1,
        }
        edge = {"fontname": FONT, "fontsize": SMALL_SIZE, "fontcolor": "#444444", "color": "#777777", "arrowsize": 0.7}
        head = [
            "digraph G {",
            f"  graph [{_attr_list(g, legend)}];",
            f"  node [{_attr_list(node, None)}];",
            f"  edge [{_attr_list(edge, None)}];",
        ]
        return "\n".join(head + self.lines + ["}"]) + "\n"


Legend = list[tuple[str, list[tuple[str, str]]]]


def _legend(sections: Legend, per_row: int = 5) -> str:
    """A legend table: one block per (heading, items); an item is (swatch, text), the swatch a ``#colour``
    or an escaped fragment, the text escaped."""
    rows = []
    for heading, items in sections:
        if not items:
            continue
        inner = []
        for start in range(0, len(items), per_row):
            cells = []
            for swatch, text in items[start : start + per_row]:
                if swatch.startswith("#"):
                    cells.append(
                        f'<TD BGCOLOR="{swatch}" COLOR="#555555" BORDER="1" WIDTH="16" HEIGHT="11" '
                        'FIXEDSIZE="TRUE"></TD>'
                    )
                else:
                    cells.append(f"<TD>{swatch}</TD>")
                cells.append(f'<TD ALIGN="LEFT">{_small(text, INK)}</TD><TD WIDTH="12"></TD>')
            inner.append("<TR>" + "".join(cells) + "</TR>")
        rows.append(
            f'<TR><TD ALIGN="LEFT" VALIGN="TOP">{_small(f"<B>{heading}</B>", INK)}</TD>'
            f'<TD ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
            f"{''.join(inner)}</TABLE></TD></TR>"
        )
    return '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">' + "".join(rows) + "</TABLE>"


def _swatch_text(text: str, colour: str, bold: bool = False) -> str:
    inner = f"<B>{text}</B>" if bold else text
    return f'<FONT POINT-SIZE="{SMALL_SIZE + 1}" COLOR="{colour}">{inner}</FONT>'


class _Kinds:
    """Fill colour per system kind: fixed for well-known kinds, spare colours in order of appearance."""

    def __init__(self, kinds: list[str | None]) -> None:
        self.colour: dict[str, str] = {}
        spare = iter(_SPARE_COLOURS)
        for k in kinds:
            key = k or NO_KIND
            if key not in self.colour:
                self.colour[key] = KIND_COLOURS.get(key) or next(spare, "#eeeeee")

    def fill(self, kind: str | None) -> str:
        return self.colour.get(kind or NO_KIND, "#eeeeee")

    def legend_items(self, limit: int = LANDSCAPE_MAX_KINDS) -> list[tuple[str, str]]:
        items = [(c, html_text(_kind_name(k), 24)) for k, c in self.colour.items()]
        if len(items) > limit:
            items = items[: limit - 1] + [("#eeeeee", f"{len(items) - limit + 1} other kinds")]
        return items


# -- facts shared by the diagrams --------------------------------------------------------
def _identity_flags(analysis: Analysis) -> dict[str, str]:
    """system -> "island" | "no-identifier" for the systems with an identity problem."""
    flags: dict[str, str] = {}
    for row in analysis.systems:
        if row.component < 0:
            continue
        if not row.identifiers:
            flags[row.id] = "no-identifier"
        elif row.component > 0:
            flags[row.id] = "island"
    return flags


_FLAG_TEXT = {"island": "identity island", "no-identifier": "no identifier"}


def _flag_attrs(flag: str | None) -> dict[str, object]:
    if flag == "island":
        return {"color": ALERT, "penwidth": 2.6}
    if flag == "no-identifier":
        return {"color": ALERT, "penwidth": 2.6, "style": "rounded,filled,dashed"}
    return {}


def _flag_line(flag: str | None) -> str:
    return f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{ALERT}"><B>{_FLAG_TEXT[flag]}</B></FONT>' if flag else ""


def _system_label(sy: m.System, flag: str | None = None, extra: str = "") -> str:
    kind = clean_text(_kind_name(sy.kind), 26)
    supplier = clean_text(sy.supplier, 26) if sy.supplier else ""
    if not supplier:
        sub = html_text(kind, None)
    elif len(kind) + len(supplier) + 3 <= 28:
        sub = html_text(f"{kind} \u00b7 {supplier}", None)
    else:
        sub = f"{html_text(kind, None)}<BR/>{html_text(supplier, None)}"
    return _lines(f"<B>{html_wrap(sy.name or sy.id)}</B>", _small(sub), extra, _flag_line(flag))


def _system_tooltip(sy: m.System, flag: str | None = None) -> str:
    parts = [sy.name or sy.id, f"id {sy.id}", f"kind {_kind_name(sy.kind)}"]
    if sy.supplier:
        parts.append(f"supplier {sy.supplier}")
    if flag:
        parts.append(_FLAG_TEXT[flag])
    return " \u00b7 ".join(clean_text(p, 120) for p in parts)


class _LineStyle(TypedDict):
    """How an edge is drawn: spread into :meth:`_Dot.edge` as DOT attributes."""

    penwidth: float
    style: str


def _freq_style(best: int) -> _LineStyle:
    if best <= m.FRESHNESS_RANK["hourly"]:
        return {"penwidth": 2.2, "style": "solid"}
    if best == m.FRESHNESS_RANK["daily"]:
        return {"penwidth": 1.3, "style": "solid"}
    if best == UNKNOWN_RANK:
        return {"penwidth": 1.2, "style": "dotted"}
    return {"penwidth": 1.2, "style": "dashed"}


_FREQ_LEGEND = [
    (_swatch_text("\u2501\u2501", "#777777"), "realtime or hourly"),
    (_swatch_text("\u2500\u2500", "#777777"), "daily"),
    (_swatch_text("\u254c\u254c", "#777777"), "weekly or monthly"),
    (_swatch_text("\u2508\u2508", "#777777"), "unknown"),
    (_swatch_text("daily \u00b7 3", "#444444"), "label: frequency \u00b7 attributes carried"),
]
_FLAG_LEGEND = [
    (_swatch_text("\u25ad", ALERT, bold=True), "red border: identity island (shares no identifier with the rest)"),
    (_swatch_text("\u254c", ALERT, bold=True), "red dashed: holds customer data but no identifier"),
]


def _sort_key_for_freq(f: str) -> int:
    return rank(f)


def _names_text(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(clean_text(n, 24) for n in names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def _empty(name: str, title: str, text: str) -> Diagram:
    d = _Dot()
    d.node(html_text(text, 80), shape="plaintext", style="solid")
    return Diagram(name, title, d.source(), "")


# -- landscape -----------------------------------------------------------------------------
def landscape_dot(ws: m.Workshop, analysis: Analysis) -> Diagram:
    """The systems (colour by kind) and the feeds between them; identity problems in red."""
    name, title = "landscape", "System landscape: systems and the feeds between them"
    if not ws.systems:
        return _empty(name, title, "No systems recorded in this workshop yet.")
    systems = {s.id: s for s in ws.systems}
    flags = _identity_flags(analysis)
    kinds = _Kinds([s.kind for s in ws.systems])
    # feeds merged per (from, to): frequency -> attributes
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for sy in ws.systems:
        for fd in sy.feeds:
            if fd.to not in systems:
                continue
            pairs.setdefault((sy.id, fd.to), defaultdict(set))[fd.effective_frequency].update(fd.attributes)
    if len(ws.systems) > LANDSCAPE_DETAIL_MAX or len(pairs) > LANDSCAPE_MAX_LINKS:
        return _landscape_by_kind(ws, flags, kinds, pairs, name, title)
    d = _Dot()
    node_of: dict[str, str] = {}

    def add(sy: m.System) -> None:
        flag = flags.get(sy.id)
        node_of[sy.id] = d.node(
            _system_label(sy, flag), _system_tooltip(sy, flag), fillcolor=kinds.fill(sy.kind), **_flag_attrs(flag)
        )

    grouped = len(ws.systems) > LANDSCAPE_PLAIN_MAX
    note = ""
    if grouped:
        by_kind: dict[str, list[m.System]] = defaultdict(list)
        for sy in ws.systems:
            by_kind[sy.kind or NO_KIND].append(sy)
        for kind, members in by_kind.items():
            if len(members) < 2:
                add(members[0])
                continue
            with d.cluster(
                f"<B>{html_text(_kind_name(kind))}</B>", style="rounded,dashed", color="#999999", fontsize=FONT_SIZE
            ):
                for sy in members:
                    add(sy)
        note = f"{len(ws.systems)} systems, grouped in a box per kind."
    else:
        for sy in ws.systems:
            add(sy)
    for (a, b), by_freq in pairs.items():
        freqs = sorted(by_freq, key=_sort_key_for_freq)
        all_attrs = set().union(*by_freq.values())
        label = "<BR/>".join(f"{html_text(f, 12)} \u00b7 {len(by_freq[f])}" for f in freqs)
        tip = "; ".join(f"{f}: {', '.join(sorted(by_freq[f]))}" for f in freqs)
        d.edge(
            node_of[a],
            node_of[b],
            label,
            f"{systems[a].name or a} \u2192 {systems[b].name or b}: {tip}",
            **_freq_style(rank(freqs[0])),
            weight=max(1, min(5, len(all_attrs) // 3)),
        )
    legend = _legend(
        [
            ("Systems by kind", kinds.legend_items()),
            ("Feeds", _FREQ_LEGEND),
            ("Identity", _landscape_flag_legend(flags)),
        ]
    )
    return Diagram(name, title, d.source(legend), note, False, d.tooltips)


def _landscape_flag_legend(flags: dict[str, str]) -> list[tuple[str, str]]:
    present = set(flags.values())
    return [item for item, f in zip(_FLAG_LEGEND, ("island", "no-identifier")) if f in present]


def _group_by_kind(systems: list[m.System], limit: int) -> tuple[dict[str, list[m.System]], dict[str, str]]:
    """Systems per kind (biggest first); beyond ``limit`` groups the smallest share one group."""
    members: dict[str, list[m.System]] = defaultdict(list)
    for sy in systems:
        members[sy.kind or NO_KIND].append(sy)
    ordered = sorted(members.items(), key=lambda kv: -len(kv[1]))
    if len(ordered) > limit:
        keep = ordered[: limit - 1]
        rest = [sy for _, group in ordered[limit - 1 :] for sy in group]
        ordered = keep + [(f"{len(ordered) - limit + 1} other kinds", rest)]
    groups = dict(ordered)
    group_of = {sy.id: key for key, group in groups.items() for sy in group}
    return groups, group_of


def _kind_group_label(kind: str, group: list[m.System], flags: dict[str, str], extra: str = "") -> str:
    islands = sum(1 for s in group if flags.get(s.id) == "island")
    unlinked = sum(1 for s in group if flags.get(s.id) == "no-identifier")
    problems = []
    if islands:
        problems.append(f"{islands} in identity islands" if islands > 1 else "1 in an identity island")
    if unlinked:
        problems.append(f"{unlinked} without identifier")
    examples = "<BR/>".join(html_text(s.name or s.id, 28) for s in group[:2])
    if len(group) > 2:
        examples += f"<BR/>and {len(group) - 2} more"
    return _lines(
        f"<B>{html_wrap(_kind_name(kind), 22)}</B>",
        _plural(len(group), "system"),
        extra,
        _small(examples),
        f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{ALERT}"><B>{html_wrap("; ".join(problems), 30)}</B></FONT>'
        if problems
        else "",
    )


def _kind_group_tooltip(kind: str, group: list[m.System]) -> str:
    names = ", ".join(clean_text(s.name or s.id, 40) for s in group[:60])
    return f"{_kind_name(kind)} ({len(group)}): {names}" + (f" and {len(group) - 60} more" if len(group) > 60 else "")


def _landscape_by_kind(
    ws: m.Workshop,
    flags: dict[str, str],
    kinds: _Kinds,
    pairs: dict[tuple[str, str], dict[str, set[str]]],
    name: str,
    title: str,
) -> Diagram:
    d = _Dot()
    groups, group_of = _group_by_kind(ws.systems, LANDSCAPE_MAX_KINDS)
    within: dict[str, int] = defaultdict(int)
    links: dict[tuple[str, str], tuple[int, set[str], int]] = {}
    for (a, b), by_freq in pairs.items():
        ka, kb = group_of[a], group_of[b]
        if ka == kb:
            within[ka] += 1
            continue
        n, seen, best = links.get((ka, kb), (0, set(), UNKNOWN_RANK))
        links[(ka, kb)] = (n + 1, seen | set().union(*by_freq.values()), min([best] + [rank(f) for f in by_freq]))
    node_of: dict[str, str] = {}
    for kind, group in groups.items():
        extra = _small(f"{_plural(within[kind], 'feed')} between them", INK) if within.get(kind) else ""
        attrs: dict[str, object] = {
            "fillcolor": kinds.fill(kind) if kind in kinds.colour else "#eeeeee",
            "peripheries": 2,
        }
        if any(flags.get(s.id) for s in group):
            attrs.update(color=ALERT, penwidth=2.6)
        node_of[kind] = d.node(_kind_group_label(kind, group, flags, extra), _kind_group_tooltip(kind, group), **attrs)
    ranked = sorted(links.items(), key=lambda kv: (-kv[1][0], -len(kv[1][1])))
    shown = ranked[:LANDSCAPE_MAX_KIND_LINKS]
    most = max((n for _, (n, _s, _b) in shown), default=1)
    for (ka, kb), (n, seen, best) in shown:
        d.edge(
            node_of[ka],
            node_of[kb],
            _small(_plural(n, "feed"), "#444444"),
            f"{_kind_name(ka)} \u2192 {_kind_name(kb)}: {_plural(n, 'feed')} carrying "
            f"{_plural(len(seen), 'attribute')}, fastest {RANK_NAME[best]}",
            penwidth=round(0.8 + 4 * n / most, 1),
            style="solid" if best < UNKNOWN_RANK else "dotted",
        )
    note = (
        f"Aggregated: {len(ws.systems)} systems are shown as {_plural(len(groups), 'kind')}"
        f" and their {len(pairs)} feed links as links between kinds"
    )
    if len(shown) < len(ranked):
        note += f" (the {len(shown)} busiest of {len(ranked)} links between kinds)"
    note += "; the system tables list every system."
    legend = _legend(
        [
            (
                "Systems by kind",
                [(kinds.fill(k) if k in kinds.colour else "#eeeeee", html_text(_kind_name(k), 24)) for k in groups],
            ),
            (
                "Feeds",
                [
                    (
                        _swatch_text("\u2501\u2501", "#777777"),
                        "feeds from systems of one kind to another (thicker: more feeds)",
                    )
                ],
            ),
            (
                "Identity",
                [
                    (
                        _swatch_text("\u25ad", ALERT, bold=True),
                        "red border: some of its systems cannot be linked to the rest",
                    )
                ],
            ),
        ]
    )
    return Diagram(name, title, d.source(legend), note, True, d.tooltips)


# -- identity --------------------------------------------------------------------------------
def identity_dot(ws: m.Workshop, analysis: Analysis) -> Diagram:
    """Systems joined by the identifier attributes they share; each linked group in its own box."""
    name, title = "identity", "Identity: which systems can recognise the same customer"
    rows = {r.id: r for r in analysis.systems}
    systems = {s.id: s for s in ws.systems}
    attrs = {a.id: a for a in ws.attributes}
    kinds = _Kinds([s.kind for s in ws.systems])
    comps = [[s for s in comp if s in rows and s in systems] for comp in analysis.identity_components]
    linked = [c for c in comps if c and rows[c[0]].identifiers]
    loose = [s for c in comps if c and not rows[c[0]].identifiers for s in c]
    without_data = [r.id for r in analysis.systems if r.component < 0]
    if not linked and not loose:
        return _empty(name, title, "No system holds customer data yet.")
    holders: dict[str, int] = defaultdict(int)
    for r in analysis.systems:
        for ident in r.identifiers:
            holders[ident] += 1
    aggregate_groups = sum(len(c) for c in linked) + len(loose) > IDENTITY_DETAIL_MAX
    d = _Dot()
    notes: list[str] = []
    aggregated = False

    def ident_node(ident: str) -> str:
        a = attrs.get(ident)
        n = holders[ident]
        where = f"held in {n} systems" if n > 1 else "held here only"
        label = _lines(
            f"<B>{html_wrap(a.name if a and a.name else ident, 24)}</B>", _small(html_text(ident, 30)), _small(where)
        )
        return d.node(
            label,
            f"identifier {a.name if a and a.name else ident} ({ident}), {where}",
            shape="ellipse",
            style="filled",
            fillcolor="#fff4cc",
            color="#b8860b",
            fontsize=FONT_SIZE - 1,
            margin="0.04,0.02",
        )

    # With rankdir=LR Graphviz stacks what comes last on top: emit the systems without identifier
    # first and the linked group last, so the diagram reads from the linked group down to the problems.
    if loose:
        head = "<B>No identifier</B>: customer data that cannot be tied to a known customer"
        with d.cluster(head, fontsize=FONT_SIZE, color=ALERT, style="rounded,dashed", penwidth=2, fontcolor=ALERT):
            shown = loose if len(loose) <= IDENTITY_MAX_LOOSE else loose[: IDENTITY_MAX_LOOSE - 1]
            rest = loose[len(shown) :]
            if rest:
                aggregated = True
                d.node(
                    _lines(
                        f"<B>{len(rest)} more systems without identifier</B>",
                        _small(html_wrap("e.g. " + _names_text([systems[s].name or s for s in rest]), 40)),
                    ),
                    ", ".join(clean_text(systems[s].name or s, 40) for s in rest[:80]),
                    fillcolor="#eeeeee",
                    peripheries=2,
                    **_flag_attrs("no-identifier"),
                )
                notes.append(f"{len(rest)} of the {len(loose)} systems without identifier are shown as one node")
            for s in reversed(shown):
                d.node(
                    _system_label(systems[s], "no-identifier"),
                    _system_tooltip(systems[s], "no-identifier"),
                    fillcolor=kinds.fill(systems[s].kind),
                    **_flag_attrs("no-identifier"),
                )
    for i in range(len(linked) - 1, -1, -1):
        comp = linked[i]
        island = i > 0
        if aggregate_groups and len(comp) >= IDENTITY_GROUP_MIN:
            aggregated = True
            d.node(
                _group_table(comp, island, systems, rows, attrs),
                _kind_group_tooltip("island" if island else "linked group", [systems[s] for s in comp]),
                shape="plain",
                style="solid",
            )
            notes.insert(
                0,
                f"the {len(comp)} systems of {'an island' if island else 'the linked group'} are "
                "summarised in one table (the identifiers they share, their kinds)",
            )
            continue
        if island:
            head = (
                f"<B>Island {i}</B>: cannot be linked to the main group"
                if len(linked) > 2
                else "<B>Island</B>: cannot be linked to the main group"
            )
            cl: dict[str, object] = {"color": ALERT, "penwidth": 2, "style": "rounded", "fontcolor": ALERT}
        else:
            head = (
                f"<B>Linked group</B>: {_plural(len(comp), 'system')} share identifiers"
                if len(comp) > 1
                else "<B>Linked group</B>: 1 system"
            )
            cl = {"color": "#1b7837", "penwidth": 1.5, "style": "rounded"}
        idents = list(dict.fromkeys(x for s in comp for x in rows[s].identifiers))
        with d.cluster(head, fontsize=FONT_SIZE, **cl):
            ident_of = {x: ident_node(x) for x in reversed(idents)}
            for s in reversed(comp):
                flag = "island" if island else None
                sn = d.node(
                    _system_label(systems[s], flag),
                    _system_tooltip(systems[s], flag),
                    fillcolor=kinds.fill(systems[s].kind),
                    **_flag_attrs(flag),
                )
                for x in rows[s].identifiers:
                    d.edge(
                        sn,
                        ident_of[x],
                        None,
                        f"{systems[s].name or s} holds {x}",
                        dir="none",
                        color="#8c6d1f",
                        penwidth=1.4,
                    )
    if without_data:
        verb = "is" if len(without_data) == 1 else "are"
        notes.append(f"{_plural(len(without_data), 'system')} holding no data {verb} left out")
    legend = _legend(
        [
            ("Identifiers", [("#fff4cc", "identifier attribute; a line means the system holds it")]),
            ("Systems by kind", kinds.legend_items()),
            (
                "Identity",
                (
                    [(_swatch_text("\u25ad", ALERT, bold=True), "red border: island, cannot be linked to the rest")]
                    if len(linked) > 1
                    else []
                )
                + (
                    [(_swatch_text("\u254c", ALERT, bold=True), "red dashed: customer data without identifier")]
                    if loose
                    else []
                ),
            ),
        ]
    )
    return Diagram(name, title, d.source(legend), _note(notes, aggregated), aggregated, d.tooltips)


def _note(notes: list[str], aggregated: bool) -> str:
    if not notes:
        return ""
    text = "; ".join(notes) + "."
    return "Aggregated: " + text if aggregated else text[0].upper() + text[1:]


def _group_table(
    comp: list[str], island: bool, systems: dict[str, m.System], rows: dict, attrs: dict[str, m.Attribute]
) -> str:
    """A large identity group as one table: the identifiers its systems share, and its kinds."""
    count: dict[str, int] = defaultdict(int)
    per_kind: dict[str, int] = defaultdict(int)
    for s in comp:
        per_kind[systems[s].kind or NO_KIND] += 1
        for x in rows[s].identifiers:
            count[x] += 1
    border = ALERT if island else "#1b7837"
    head = (
        f"Island: {len(comp)} systems that cannot be linked to the main group"
        if island
        else f"Linked group: {len(comp)} systems can recognise the same customer"
    )
    out = [
        f'<TABLE BORDER="2" COLOR="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="white">',
        f'<TR><TD COLSPAN="4" ALIGN="LEFT"><FONT POINT-SIZE="12"><B>{html_text(head, 80)}</B></FONT></TD></TR>',
        f'<TR><TD ALIGN="LEFT">{_small("<B>identifier they share</B>", INK)}</TD>'
        f'<TD ALIGN="RIGHT">{_small("<B>held in</B>", INK)}</TD><TD COLSPAN="2"></TD></TR>',
    ]
    top = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    for ident, n in top[:IDENTITY_TABLE_ROWS]:
        a = attrs.get(ident)
        width = max(1, min(119, round(120 * n / len(comp))))
        bar = (
            f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR><TD BGCOLOR="#8c6d1f" WIDTH="{width}" '
            f'HEIGHT="8" FIXEDSIZE="TRUE"></TD><TD BGCOLOR="#eeeeee" WIDTH="{120 - width}" HEIGHT="8" '
            'FIXEDSIZE="TRUE"></TD></TR></TABLE>'
        )
        out.append(
            f'<TR><TD ALIGN="LEFT" BGCOLOR="#fff4cc">{html_text(a.name if a and a.name else ident, 30)}</TD>'
            f'<TD ALIGN="RIGHT">{n}</TD><TD ALIGN="LEFT">{bar}</TD>'
            f'<TD ALIGN="LEFT">{_small(f"{round(100 * n / len(comp))}%", MUTED)}</TD></TR>'
        )
    if len(top) > IDENTITY_TABLE_ROWS:
        more = _small(f"and {len(top) - IDENTITY_TABLE_ROWS} more identifiers")
        out.append(f'<TR><TD COLSPAN="4" ALIGN="LEFT">{more}</TD></TR>')
    kinds_line = ", ".join(
        f"{clean_text(_kind_name(k), 24)} {n}" for k, n in sorted(per_kind.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    out.append(
        f'<TR><TD COLSPAN="4" ALIGN="LEFT" BALIGN="LEFT">'
        f"{_small('<B>systems by kind:</B> ' + html_wrap(kinds_line, 70, 4), INK)}</TD></TR></TABLE>"
    )
    return "".join(out)


# -- lineage -----------------------------------------------------------------------------------
def _safe_name(ident: str) -> str:
    """An id usable in SVG ids and file names; different ids always give different names."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", ident)[:48] or "x"
    if safe != ident:
        safe += "-" + hashlib.sha1(ident.encode("utf-8", "replace")).hexdigest()[:8]
    return safe


def _need_state(ns: NeedStatus | None) -> str:
    if ns is None:
        return "unknown"
    if _HARD.intersection(ns.problems):
        return "missing"
    if _SOFT.intersection(ns.problems):
        return "risk"
    return "ok"


def _need_problem_text(ns: NeedStatus, uc: m.UseCase) -> str:
    words = []
    for p in ns.problems:
        if p == "missing-source":
            words.append("held nowhere")
        elif p == "unreachable":
            words.append("does not reach " + ", ".join(uc.executes_in))
        elif p == "stale":
            words.append(
                f"arrives {ns.path_freshness}, needed {ns.freshness}"
                if ns.path_freshness and ns.path_freshness != "unknown"
                else f"slower than {ns.freshness}"
            )
        elif p == "low-quality":
            words.append("low quality")
        elif p == "low-coverage":
            words.append("too few customers filled")
        elif p == "unknown-freshness":
            words.append("freshness unknown")
    return "; ".join(words)


_CRIT_EDGE: dict[str, _LineStyle] = {
    "must": {"penwidth": 2.2, "style": "solid"},
    "should": {"penwidth": 1.2, "style": "solid"},
    "could": {"penwidth": 1.0, "style": "dashed"},
}


def lineage_dot(ws: m.Workshop, analysis: Analysis, use_case_id: str) -> Diagram:
    """Owner -> use case -> needed attributes (by need status) -> holding systems -> feeds -> executing systems.

    Raises KeyError when the workshop has no use case ``use_case_id``.
    """
    uc = next((u for u in ws.use_cases if u.id == use_case_id), None)
    if uc is None:
        raise KeyError(f"no use case {use_case_id!r} in this workshop")
    name = "lineage-" + _safe_name(uc.id)
    title = f"Lineage of '{clean_text(uc.title or uc.id, 80)}': where its data comes from"
    readiness = analysis.readiness.get(uc.id)
    status_of: dict[str, NeedStatus] = {ns.attribute: ns for ns in readiness.needs} if readiness else {}
    systems = {s.id: s for s in ws.systems}
    attrs = {a.id: a for a in ws.attributes}
    stakeholders = {s.id: s for s in ws.stakeholders}
    flags = _identity_flags(analysis)
    kinds = _Kinds([s.kind for s in ws.systems])
    holdings: dict[str, list[tuple[str, m.Holding]]] = defaultdict(list)
    for sy in ws.systems:
        for h in sy.holds:
            holdings[h.attribute].append((sy.id, h))
    feeds: dict[tuple[str, str], list[m.Feed]] = defaultdict(list)
    for sy in ws.systems:
        for fd in sy.feeds:
            feeds[(sy.id, fd.to)].append(fd)
    needs = list({nd.attribute: nd for nd in uc.needs}.values())
    executing = [s for s in dict.fromkeys(uc.executes_in) if s in systems]
    notes: list[str] = []
    aggregated = False

    # which holders to draw per attribute
    total_links = sum(len(holdings.get(nd.attribute, ())) for nd in needs)
    cap = LINEAGE_HOLDERS_SHOWN if total_links > LINEAGE_MAX_HOLDINGS else None
    shown_holders: dict[str, list[tuple[str, m.Holding]]] = {}
    hidden = 0
    for nd in needs:
        ns = status_of.get(nd.attribute)
        start = ns.path[0] if ns and ns.path else None
        hs = sorted(
            holdings.get(nd.attribute, ()),
            key=lambda sh: (
                sh[0] != start,
                sh[0] not in executing,
                sh[1].effective_role != "master",
                -(sh[1].quality or 0),
            ),
        )
        if cap is not None and len(hs) > cap:
            hidden += len(hs) - cap
            hs = hs[:cap]
        shown_holders[nd.attribute] = hs
    if hidden:
        notes.append(
            f"at most {LINEAGE_HOLDERS_SHOWN} systems are drawn per attribute (the start of its feed "
            f"path and masters first); {_plural(hidden, 'other holding')} left out"
        )
    hops: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # (a, b) -> attribute -> frequency
    for nd in needs:
        ns = status_of.get(nd.attribute)
        if not ns or len(ns.path) < 2:
            continue
        for a, b in zip(ns.path, ns.path[1:]):
            carrying = [fd for fd in feeds.get((a, b), ()) if nd.attribute in fd.attributes]
            best = min((rank(fd.frequency) for fd in carrying), default=UNKNOWN_RANK)
            hops[(a, b)][nd.attribute] = RANK_NAME[best]
    involved = list(
        dict.fromkeys([s for hs in shown_holders.values() for s, _ in hs] + [s for ab in hops for s in ab] + executing)
    )
    by_entity = len(needs) > LINEAGE_DETAIL_MAX
    group_systems = len(involved) > (LINEAGE_MAX_SYSTEMS_BY_ENTITY if by_entity else LINEAGE_MAX_SYSTEMS)

    d = _Dot()
    # owner and use case
    owner = stakeholders.get(uc.owner) if uc.owner else None
    if owner is not None:
        sub = " \u00b7 ".join(html_text(x, 30) for x in (owner.role, owner.function) if x)
        on = d.node(
            _lines(f"<B>{html_text(owner.name or owner.id)}</B>", _small(sub)),
            f"{owner.name or owner.id} ({owner.id}), owner of the use case",
            fillcolor="#f2f2f2",
            shape="box",
            style="rounded,filled",
        )
    elif uc.owner:
        on = d.node(
            _lines(f"<B>{html_text(uc.owner)}</B>", _small("not a stakeholder of this workshop", ALERT)),
            f"owner {uc.owner} is not listed among the stakeholders",
            fillcolor="#ffffff",
            color=ALERT,
            style="rounded,dashed",
            penwidth=2,
        )
    else:
        on = d.node(
            _lines("<B>No owner</B>", _small("nobody owns this use case", ALERT)),
            None,
            fillcolor="#ffffff",
            color=ALERT,
            style="rounded,dashed",
            penwidth=2,
        )
    status = readiness.status if readiness else "not assessed"
    fill, border = READINESS_STYLE.get(status, ("#eeeeee", MUTED))
    met = (
        f"{readiness.must_satisfied} of {readiness.must_total} must-needs met"
        if readiness
        else f"status {html_text(uc.effective_status, 20)}: not assessed"
    )
    facts = " \u00b7 ".join(
        x
        for x in (
            f"value {html_text(uc.value, 10)}" if uc.value is not None else "",
            f"horizon {html_text(uc.horizon, 10)}" if uc.horizon else "",
        )
        if x
    )
    un = d.node(
        _lines(
            f"<B>{html_text(uc.title or uc.id, 44)}</B>",
            f'<FONT COLOR="{border}"><B>{html_text(status.replace("-", " "))}</B></FONT> \u00b7 {met}',
            _small(facts),
        ),
        f"use case {uc.title or uc.id} ({uc.id}): {status}",
        fillcolor=fill,
        color=border,
        penwidth=2,
        fontsize=FONT_SIZE + 1,
    )
    d.edge(on, un, None, f"{owner.name if owner else 'nobody'} owns the use case", color="#999999")

    # systems (one by one, or by kind for those that do not run the use case)
    sys_node: dict[str, str] = {}
    kind_members: dict[str, list[str]] = defaultdict(list)
    if group_systems:
        aggregated = True
        for s in involved:
            if s not in executing:
                kind_members[systems[s].kind or NO_KIND].append(s)
        notes.append(
            f"{len(involved)} systems are involved: those that do not run the use case are shown as "
            f"{_plural(len(kind_members), 'kind')}"
        )

    def system_node(s: str) -> str:
        key = s if (not group_systems or s in executing) else "kind:" + (systems[s].kind or NO_KIND)
        if key in sys_node:
            return sys_node[key]
        if key.startswith("kind:"):
            kind = key[5:]
            group = [systems[x] for x in kind_members[kind]]
            attrs_k: dict[str, object] = {"fillcolor": kinds.fill(kind), "peripheries": 2}
            if any(flags.get(x.id) for x in group):
                attrs_k.update(color=ALERT, penwidth=2.6)
            sys_node[key] = d.node(_kind_group_label(kind, group, flags), _kind_group_tooltip(kind, group), **attrs_k)
            return sys_node[key]
        sy = systems[s]
        flag = flags.get(s)
        runs = s in executing
        extra = f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="#1f4e79"><B>runs the use case</B></FONT>' if runs else ""
        attrs_: dict[str, object] = {"fillcolor": kinds.fill(sy.kind), **_flag_attrs(flag)}
        if runs:
            attrs_.update(peripheries=2, color=attrs_.get("color", "#1f4e79"), penwidth=attrs_.get("penwidth", 1.8))
        sys_node[key] = d.node(_system_label(sy, flag, extra), _system_tooltip(sy, flag), **attrs_)
        return sys_node[key]

    # attributes (one by one, or by entity)
    if by_entity:
        aggregated = True
        groups: dict[str, list[m.Need]] = defaultdict(list)
        for nd in needs:
            attr = attrs.get(nd.attribute)
            groups[attr.effective_entity if attr else "unknown"].append(nd)
        notes.insert(0, f"{len(needs)} needed attributes are shown as {_plural(len(groups), 'entity', 'entities')}")
        for entity, group in groups.items():
            states = [_need_state(status_of.get(nd.attribute)) for nd in group]
            worst = next(s for s in ("missing", "risk", "unknown", "ok") if s in states or s == "ok")
            counts = [
                f"{states.count(s)} {NEED_STYLE[s][2]}" for s in ("ok", "risk", "missing", "unknown") if states.count(s)
            ]
            must = sum(1 for nd in group if nd.effective_criticality == "must")
            fill_, border_, _ = NEED_STYLE[worst]
            en = d.node(
                _lines(
                    f"<B>{html_text(entity)}</B>",
                    f"{_plural(len(group), 'need')} ({must} must)",
                    _small(html_text(", ".join(counts), 60), INK),
                ),
                f"{entity}: " + ", ".join(clean_text(nd.attribute, 40) for nd in group[:80]),
                fillcolor=fill_,
                color=border_,
                peripheries=2,
            )
            d.edge(un, en, None, None, **_CRIT_EDGE["must" if must else "should"])
            linked_to: dict[str, int] = defaultdict(int)
            for nd in group:
                for s, _h in shown_holders[nd.attribute]:
                    linked_to[system_node(s)] += 1
            for sn, n in linked_to.items():
                d.edge(en, sn, _small(_plural(n, "attribute")), None, color="#999999")
    else:
        attr_nodes: list[str] = []
        for nd in needs:
            ns = status_of.get(nd.attribute)
            state = _need_state(ns)
            fill_, border_, _ = NEED_STYLE[state]
            attr = attrs.get(nd.attribute)
            crit = nd.effective_criticality
            wanted = f"{crit}" + (f" \u00b7 needed {nd.freshness}" if nd.freshness else "")
            problem = _need_problem_text(ns, uc) if ns else ""
            holders_here = shown_holders[nd.attribute]
            more = len(holdings.get(nd.attribute, ())) - len(holders_here)
            an = d.node(
                _lines(
                    f"<B>{html_text(attr.name if attr and attr.name else nd.attribute)}</B>",
                    _small(html_text(wanted, 40)),
                    f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{border_}"><B>{html_text(problem, 44)}</B></FONT>'
                    if problem
                    else "",
                    _small(f"+{_plural(more, 'more holder')}") if more > 0 else "",
                ),
                f"{attr.name if attr and attr.name else nd.attribute} ({nd.attribute}): {crit}"
                + (f", needed {nd.freshness}" if nd.freshness else "")
                + (f"; {problem}" if problem else "; available")
                + (f"; purpose: {nd.purpose}" if nd.purpose else ""),
                fillcolor=fill_,
                color=border_,
                penwidth=1.6 if state != "ok" else 1,
            )
            attr_nodes.append(an)
            d.edge(un, an, None, None, **_CRIT_EDGE.get(crit, _CRIT_EDGE["must"]))
            start = ns.path[0] if ns and ns.path else None
            for s, h in holders_here:
                sn = system_node(s)
                on_path = s == start
                facts = ", ".join(
                    x
                    for x in (
                        h.effective_role,
                        f"quality {h.quality}/5" if h.quality else "",
                        f"coverage {h.coverage:.0%}" if h.coverage is not None else "",
                        h.freshness or "",
                    )
                    if x
                )
                d.edge(
                    an,
                    sn,
                    None,
                    f"{nd.attribute} held in {systems[s].name or s} ({facts})"
                    + ("; the path to where the use case runs starts here" if on_path else ""),
                    color="#1f4e79" if on_path else "#aaaaaa",
                    penwidth=1.8 if on_path else 1,
                    arrowhead="dot" if h.effective_role == "master" else "normal",
                )
        d.same_rank(attr_nodes)
    # feed hops along the paths
    drawn: set[tuple[str, str]] = set()
    for (a, b), carried in hops.items():
        na, nb = system_node(a), system_node(b)
        if na == nb or (na, nb) in drawn:
            continue
        drawn.add((na, nb))
        freqs = sorted(set(carried.values()), key=_sort_key_for_freq)
        label = f"feed \u00b7 {html_text(' / '.join(freqs), 30)}" + (
            f" \u00b7 {_plural(len(carried), 'attribute')}" if len(carried) > 1 else ""
        )
        d.edge(
            na,
            nb,
            None,
            f"feed {a} \u2192 {b} brings " + ", ".join(f"{x} ({f})" for x, f in carried.items()),
            xlabel=_small(label, "#1f4e79"),
            color="#1f4e79",
            penwidth=1.8,
            style="dotted" if freqs[-1] == "unknown" else "solid",
        )
    reached = {nb for _, nb in drawn} | {
        sys_node.get(s) for s in (ns.path[0] for ns in status_of.values() if len(ns.path) == 1)
    }
    for s in executing:
        if system_node(s) not in reached:  # nothing arrives there: say where the use case runs
            d.edge(
                un,
                system_node(s),
                None,
                f"{uc.title or uc.id} runs in {systems[s].name or s}",
                xlabel=_small("runs in", "#1f4e79"),
                color="#1f4e79",
                style="dashed",
                constraint="false",
            )
    if not uc.executes_in:
        notes.append("the use case does not say which system it runs in")
    need_items = [(NEED_STYLE[s][0], NEED_STYLE[s][2]) for s in ("ok", "risk", "missing")]
    if not readiness:
        need_items.append((NEED_STYLE["unknown"][0], NEED_STYLE["unknown"][2]))
    need_items += [
        (_swatch_text("\u2501\u2501", "#777777"), "must"),
        (_swatch_text("\u2500\u2500", "#777777"), "should"),
        (_swatch_text("\u254c\u254c", "#777777"), "could"),
    ]
    system_items = [
        (_swatch_text("\u2501\u2501", "#1f4e79"), "holding and feeds that bring it to where the use case runs"),
        (_swatch_text("\u2500\u25cf", "#777777"), "held there as master"),
        (_swatch_text("\u25ad", "#1f4e79", bold=True), "double border: runs the use case"),
    ]
    if any(flags.get(s) for s in involved):
        system_items.append((_swatch_text("\u25ad", ALERT, bold=True), "red: identity island or no identifier"))
    legend_sections: Legend = [("Needs", need_items), ("Systems", system_items)]
    return Diagram(name, title, d.source(_legend(legend_sections)), _note(notes, aggregated), aggregated, d.tooltips)


def pick_lineages(ws: m.Workshop, analysis: Analysis, limit: int = 6) -> list[str]:
    """Use cases whose lineage is most worth drawing: blocked, then at risk, then ready; by value, then file order.

    A report should draw a handful of lineages, not one per use case (each takes ~25 ms with ``dot``).
    """
    order = {"blocked": 0, "at-risk": 1, "ready": 2}
    ranked = [
        (order.get(r.status, 3), -(uc.value if uc.value is not None else 3), i, uc.id)
        for i, uc in enumerate(ws.use_cases)
        if (r := analysis.readiness.get(uc.id)) is not None
    ]
    return [uc_id for *_, uc_id in sorted(ranked)[: max(0, limit)]]


def all_diagrams(ws: m.Workshop, analysis: Analysis, use_cases: list[str] | None = None) -> list[Diagram]:
    """The landscape, the identity graph and the lineage of each of ``use_cases`` (ids)."""
    out = [landscape_dot(ws, analysis), identity_dot(ws, analysis)]
    out.extend(lineage_dot(ws, analysis, u) for u in (use_cases or []))
    return out
