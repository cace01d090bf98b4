"""The model draft as Mermaid ``erDiagram`` text, split per subject area so that Mermaid draws every part.

Two levels of detail (:data:`DETAILS`): ``compact`` (the default) shows each table's columns
with their type, name and ``PK``/``FK``/``UK`` markers; ``full`` adds each column's comment
(its definition, who needs it, its open decisions first).  A comment per column is what
made a diagram of the demo draft 10,182 px wide.

Diagrams are laid out left to right: a customer's many children stack instead of standing side
by side, so the width grows with the depth of the relationships, not with their number.  A whole
draft is one diagram while it stays small: at most :data:`SPLIT_ABOVE_TABLES` tables,
:data:`SPLIT_ABOVE_CHARS` characters and :data:`SPLIT_ABOVE_EDGES` relationships, and (compact)
drawn no wider than :data:`SCREEN_WIDTH` by an estimate from its boxes' text.  Above that,
:func:`diagrams` splits it into **subject areas** found in the draft's own relationships,
never in a list of names:

* the integration view (source systems, identity cross-reference, source mapping, survivorship)
  is apart from the model's own tables, and so are tables linked by no foreign key;
* a group too big for one diagram is cut at its hub (the table with the most relationships,
  ``customer`` in a customer draft): the hub keeps its parents and the tables that link it to
  partners (``organization``, ``household``) and its extension tables, and each branch below it
  (``product_holding`` with its claims) is an area of its own, cut again at its own hub if still
  too big;
* the hub's area and its whole branches are then put back together while the result stays small,
  so that a diagram does not show one table alone when it could show four.

Every table is drawn in exactly one diagram.  A relationship between two diagrams is drawn in
both, the far table as a stub (its name only, dashed, with the number of the diagram it is
drawn in).  A single table too big for Mermaid's own limit (:data:`MERMAID_MAX_TEXT`) shows its
keys, then its columns with open decisions, then as many others as fit, and a last row saying
how many are left out.

Mermaid strings have no escape: names are sanitised (Mermaid keywords get a ``_`` suffix) and
comments and labels lose ``"`` and line breaks.  See docs/model.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from needsmap.draft.comments import column_comment, one_line
from needsmap.draft.engine import Column, DraftModel, Table
from needsmap.util import text as textsafe

DETAILS: tuple[str, ...] = ("compact", "full")
#: Mermaid's default ``maxTextSize``: a longer diagram is replaced by an error message.
MERMAID_MAX_TEXT = 50_000
#: Mermaid's default ``maxEdges``.
MERMAID_MAX_EDGES = 500
#: A diagram is split above this many tables: a dozen tables around a hub are a few screens tall
#: (the demo's 10 model tables: 3,428 px), which is still read by scrolling; more are not.
SPLIT_ABOVE_TABLES = 12
#: ... or above this many characters: half of Mermaid's limit, so a diagram can be extended by
#: hand (styles, notes, a few more columns) and still render.  Drawing time grows with the text:
#: 1.5 to 3 s for 10,000 characters and about 8 s for 40,000 in headless Chromium here.
SPLIT_ABOVE_CHARS = 25_000
#: ... or above this many relationships (well below Mermaid's ``maxEdges``: a diagram with more
#: lines than that is not read, whatever draws it).
SPLIT_ABOVE_EDGES = 60
#: ... or, in compact detail, when it would be drawn wider than this (estimated, see ``_Drawing.width``):
#: a laptop's 1440 px screen, on which Mermaid's text is read at its own size.  In full detail a
#: single table is as wide as its comments (about 1,200 px), so there the width does not split.
SCREEN_WIDTH = 1440
#: What one table may take at most before its columns are cut (room left for stubs and lines).
TABLE_MAX_TEXT = MERMAID_MAX_TEXT - 5_000
#: The look of a stub: the far end of a relationship drawn in another diagram.
STUB_STYLE = "fill:#f4f4f4,stroke:#999999,stroke-dasharray: 4 4"

#: Words the Mermaid erDiagram grammar treats as keywords (its lexer ignores case); names get a ``_`` suffix.
MERMAID_KEYWORDS = frozenset(
    {
        "erdiagram",
        "style",
        "classdef",
        "class",
        "direction",
        "acctitle",
        "accdescr",
        "pk",
        "fk",
        "uk",
        "one",
        "many",
        "only",
        "zero",
        "or",
        "to",
        "optionally",
        "u",
        "end",
        "graph",
        "default",
    }
)
_MERMAID_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def mermaid_name(name: str) -> str:
    """A table or column name as a Mermaid word (the draft's names already are; keywords get a suffix)."""
    word = re.sub(r"[^A-Za-z0-9_-]", "_", name) or "x"
    if not _MERMAID_WORD.match(word):
        word = "x_" + word
    return word + "_" if word.lower() in MERMAID_KEYWORDS else word


def mermaid_string(text: str, limit: int = 120) -> str:
    """Text for a Mermaid double-quoted string, which has no escape: no ``"``, no line break."""
    return '"' + one_line(text, limit).replace('"', "'").replace("%%", "% %") + '"'


class Diagram(NamedTuple):
    """One Mermaid diagram: its title (the tables it draws) and its text."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class Area:
    """A subject area: the tables one diagram draws, in the draft's order."""

    title: str
    tables: tuple[Table, ...]


def _check_detail(detail: str) -> None:
    if detail not in DETAILS:
        raise ValueError(f"unknown detail {detail!r}; choose one of {', '.join(DETAILS)}")


# ----------------------------------------------------------------------------- one table, one line


def _column_line(c: Column, detail: str) -> str:
    keys = [k for k, on in (("PK", c.primary_key), ("FK", c.references is not None), ("UK", c.unique)) if on]
    typ = "key" if c.type == "key" else mermaid_name(c.type)
    line = f"        {typ} {mermaid_name(c.name)}"
    if keys:
        line += " " + ", ".join(keys)
    if detail == "full":
        comment = column_comment(c, decisions=False)
        if c.open_decisions:  # first, so that shortening never hides them
            comment = f"[open: {', '.join(c.open_decisions)}] {comment}"
        line += f" {mermaid_string(comment)}"
    return line


def _shown(t: Table, lines: list[str], budget: int) -> tuple[list[str], int]:
    """The column lines of ``t`` that fit ``budget`` characters: keys, open decisions, then the rest."""
    order = sorted(
        range(len(t.columns)),
        key=lambda i: (not (t.columns[i].primary_key or t.columns[i].references), not t.columns[i].open_decisions),
    )
    kept: set[int] = set()
    used = 0
    for i in order:
        if used + len(lines[i]) + 1 > budget:
            break
        kept.add(i)
        used += len(lines[i]) + 1
    return [lines[i] for i in range(len(lines)) if i in kept], len(lines) - len(kept)


def _entity_block(t: Table, detail: str) -> str:
    lines = [_column_line(c, detail) for c in t.columns]
    if sum(len(line) + 1 for line in lines) > TABLE_MAX_TEXT:
        lines, left_out = _shown(t, lines, TABLE_MAX_TEXT - 100)
        lines.append(f"        more not_shown_{left_out}_columns")
    return "\n".join([f"    {mermaid_name(t.name)} {{", *lines, "    }"])


_PX_PER_CHAR = 7.2  # Mermaid's default font at its default size, on average (measured on the drafts' tables)
_RANK_GAP = 140  # between two ranks of tables: the line, its cardinalities and its label
_WIDTH_MARGIN = 0.95  # the estimate is within 5% of Mermaid's width on the demo, enterprise and insurer drafts
_CELL = re.compile(r'^\s+(\S+) (\S+)((?: (?:PK|FK|UK),?)*)( ".*")?$')


def _box_width(name: str, block: str) -> float:
    """The width of a table's box as Mermaid draws it, estimated from the widest cell of each column."""
    cells = [m.groups() for m in map(_CELL.match, block.splitlines()[1:-1]) if m]
    chars = sum(max((len((cell or "").strip()) for cell in column), default=0) for column in zip(*cells, strict=False))
    return max(_PX_PER_CHAR * chars + 100, _PX_PER_CHAR * len(name) + 60)


def _relationship_label(model: DraftModel, t: Table, c: Column) -> str:
    for r in model.relationships:
        if (r.link_table or r.child_table) == t.name and (r.column == c.name or r.cardinality == "n-m"):
            if r.name:
                return r.name
            return {"extension": "continues", "n-m": "links"}.get(r.cardinality, "has")
    return "has"


def _relationship_line(model: DraftModel, t: Table, c: Column) -> str:
    parent_side = "||" if not c.nullable else "|o"
    child_side = "o|" if c.unique or (c.primary_key and len(t.primary_key) == 1) else "o{"
    label = _relationship_label(model, t, c)
    return (
        f"    {mermaid_name(c.references or '')} {parent_side}--{child_side} {mermaid_name(t.name)} : "
        f"{mermaid_string(label, 60)}"
    )


class _Drawing:
    """The draft's pieces of Mermaid text, each made once, and diagrams put together from them."""

    def __init__(self, model: DraftModel, detail: str) -> None:
        self.model = model
        self.by_name = {t.name: t for t in model.tables}
        self.order = {t.name: i for i, t in enumerate(model.tables)}
        self.detail = detail
        self.blocks = {t.name: _entity_block(t, detail) for t in model.tables}
        self.box = {t.name: _box_width(t.name, self.blocks[t.name]) for t in model.tables}
        #: (child table, parent table, line) of every foreign key, in the draft's order
        self.edges = [
            (t.name, c.references, _relationship_line(model, t, c))
            for t in model.tables
            for c in t.columns
            if c.references and c.references in self.by_name
        ]

    def text(self, names: set[str], title: str = "", stubs: dict[str, int] | None = None) -> str:
        """The diagram of the tables ``names``; ``stubs``: far tables of its relationships -> their diagram."""
        out = []
        if title:
            out += ["---", f'title: "{one_line(title).replace(chr(92), "").replace(chr(34), chr(39))}"', "---"]
        out += ["erDiagram", "    direction LR"]
        out += [self.blocks[t.name] for t in self.model.tables if t.name in names]
        far = self.far(names)
        for n in far:
            where = f" (diagram {stubs[n]})" if stubs and n in stubs else ""
            out.append(f"    {mermaid_name(n)}[{mermaid_string(n + where)}]")
        out += [line for c, p, line in self.edges if c in names or p in names]
        if far:
            out += [f"    classDef stub {STUB_STYLE}", f"    class {','.join(map(mermaid_name, far))} stub"]
        return "\n".join(out) + "\n"

    def far(self, names: set[str]) -> list[str]:
        """The tables at the far end of the relationships that leave ``names``: its stubs."""
        near = {p for c, p, _ in self.edges if c in names} | {c for c, p, _ in self.edges if p in names}
        return sorted(near - names, key=self.order.__getitem__)

    def size(self, names: set[str]) -> tuple[int, int, int]:
        """Tables, characters (with a title's room) and relationship lines of the diagram of ``names``."""
        edges = sum(1 for c, p, _ in self.edges if c in names or p in names)
        return len(names), len(self.text(names)) + 120, edges

    def width(self, names: set[str]) -> float:
        """The width Mermaid will draw the diagram of ``names`` at, left to right, estimated in pixels.

        Dagre puts a table one rank right of its parent: the width is the widest box of each rank
        plus a gap between ranks (room for the line and its label).
        """
        far = self.far(names)
        boxes = {n: self.box[n] for n in names} | {n: _PX_PER_CHAR * len(n + " (diagram 00)") + 60 for n in far}
        lines = [(p, c) for c, p, _ in self.edges if (c in names or p in names) and c != p]
        rank = dict.fromkeys(boxes, 0)
        for _ in range(len(boxes)):  # longest path from the roots; a cycle stops at the number of tables
            moved = False
            for p, c in lines:
                if rank[c] < rank[p] + 1 <= len(boxes):
                    rank[c] = rank[p] + 1
                    moved = True
            if not moved:
                break
        widest: dict[int, float] = {}
        for n, w in boxes.items():
            widest[rank[n]] = max(widest.get(rank[n], 0.0), w)
        return sum(widest.values()) + _RANK_GAP * (len(widest) - 1) + 16

    def fits(self, names: set[str]) -> bool:
        tables, chars, edges = self.size(names)
        if tables > SPLIT_ABOVE_TABLES or chars > SPLIT_ABOVE_CHARS or edges > SPLIT_ABOVE_EDGES:
            return False
        return self.detail == "full" or self.width(names) <= SCREEN_WIDTH * _WIDTH_MARGIN

    # -- subject areas

    def family(self, name: str) -> str:
        """The integration view, or the model itself: a subject area never mixes the two."""
        return "integration" if self.by_name[name].kind == "integration" else "model"

    def neighbours(self, name: str, within: set[str]) -> set[str]:
        """The tables of ``within`` that ``name`` references or is referenced by, in its own family."""
        near = {p for c, p, _ in self.edges if c == name} | {c for c, p, _ in self.edges if p == name}
        return {n for n in near & within if n != name and self.family(n) == self.family(name)}

    def components(self, names: set[str]) -> list[set[str]]:
        """The groups of ``names`` linked by foreign keys, in the draft's order."""
        left, groups = set(names), []
        for start in sorted(names, key=self.order.__getitem__):
            if start not in left:
                continue
            group, queue = {start}, [start]
            while queue:
                for n in self.neighbours(queue.pop(), names):
                    if n not in group:
                        group.add(n)
                        queue.append(n)
            left -= group
            groups.append(group)
        return groups

    def split(self, group: set[str]) -> list[set[str]]:
        """``group`` as areas that each fit one diagram (a single table is never cut in two)."""
        if len(group) == 1 or self.fits(group):
            return [group]
        hub = max(sorted(group, key=self.order.__getitem__), key=lambda n: len(self.neighbours(n, group)))
        head, branches = {hub}, []
        for part in self.components(group - {hub}):
            # the hub's parents, its extension tables and partners reached through a link table stay with it
            into_hub = {c for c, p, _ in self.edges if p == hub and c in part}
            if all(self.by_name[c].kind in ("link", "extension") for c in into_hub):
                head |= part
            else:
                branches.append(part)
        # (area, whether it may be put together with its neighbours: a branch that had to be split may not)
        units: list[tuple[set[str], bool]] = []
        parts = branches
        if self.fits(head):
            units.append((head, True))
        else:
            units.append(({hub}, True))
            parts = [*self.components(head - {hub}), *branches]
        for part in parts:
            areas = self.split(part)
            units += [(area, len(areas) == 1) for area in areas]
        return self.pack(sorted(units, key=lambda unit: not unit[1]))  # the hub and its whole branches first

    def pack(self, units: list[tuple[set[str], bool]]) -> list[set[str]]:
        """Neighbouring areas put together while the result fits one diagram."""
        packed: list[set[str]] = []
        last_packable = False
        for area, packable in units:
            if packed and packable and last_packable and self.fits(packed[-1] | area):
                packed[-1] = packed[-1] | area
            else:
                packed.append(set(area))
                last_packable = packable
        return packed

    def title(self, names: set[str]) -> str:
        """The area's tables, extension and link tables left out (they belong to the tables named)."""
        shown = [t.name for t in self.model.tables if t.name in names and t.kind not in ("extension", "link")]
        shown = shown or [t.name for t in self.model.tables if t.name in names]
        return one_line(", ".join(shown), 120)


def subject_areas(model: DraftModel, detail: str = "compact") -> list[Area]:
    """The draft's tables as subject areas, each small enough for one readable diagram (module docstring)."""
    _check_detail(detail)
    drawing = _Drawing(model, detail)
    everything = {t.name for t in model.tables}
    if not everything:
        return []
    if drawing.fits(everything):
        groups = [everything]
    else:
        groups = [area for part in drawing.components(everything) for area in drawing.split(part)]
    return [
        Area(drawing.title(g), tuple(t for t in model.tables if t.name in g))
        for g in sorted(groups, key=lambda g: min(map(drawing.order.__getitem__, g)))
    ]


def diagrams(model: DraftModel, detail: str = "compact") -> list[Diagram]:
    """The draft as Mermaid diagrams, one per subject area: a list of (title, Mermaid text).

    One diagram when the draft is small; each diagram draws its own tables and, as stubs, the
    far end of every relationship that leaves it.
    """
    areas = subject_areas(model, detail)
    if not areas:
        return [Diagram("no tables", "erDiagram\n")]
    drawing = _Drawing(model, detail)
    where = {t.name: i for i, a in enumerate(areas, start=1) for t in a.tables}
    out = []
    for i, area in enumerate(areas, start=1):
        title = area.title if len(areas) == 1 else f"{i}. {area.title}"
        out.append(Diagram(title, drawing.text({t.name for t in area.tables}, title, where)))
    return out


def mermaid(model: DraftModel, detail: str = "compact") -> str:
    """The whole draft as one Mermaid ``erDiagram`` (a big draft may pass Mermaid's limits: see :func:`diagrams`)."""
    _check_detail(detail)
    return _Drawing(model, detail).text({t.name for t in model.tables})


def markdown(model: DraftModel, detail: str = "compact") -> str:
    """The draft's diagrams as one Markdown document: a heading and a ```` ```mermaid ```` block per area."""
    found = diagrams(model, detail)
    out = [
        f"# Model draft of {textsafe.markdown(model.workshop)}: entity-relationship diagrams",
        "",
        f"Generated by needsmap model (scope: {model.scope}, detail: {detail}); "
        + (
            f"{len(found)} diagrams, one per subject area. A dashed table is drawn in the diagram it names."
            if len(found) > 1
            else "one diagram."
        ),
        "",
    ]
    for d in found:
        out += [f"## {d.title}", "", "```mermaid", d.text.rstrip("\n"), "```", ""]
    return "\n".join(out)


def file_names(found: list[Diagram]) -> list[str]:
    """A file name per diagram, for a folder of ``.mmd`` files: ``01-customer-organization.mmd``..."""
    width = max(2, len(str(len(found))))
    names = []
    for i, d in enumerate(found, start=1):
        words = re.sub(r"^\d+\. ", "", d.title)
        slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
        if len(slug) > 60:  # cut between two words
            slug = slug[:61].rsplit("-", 1)[0]
        slug = slug or "diagram"
        names.append(f"{i:0{width}d}-{slug}.mmd")
    return names
