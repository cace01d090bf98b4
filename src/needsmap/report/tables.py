"""Spreadsheet exports of a report: one XLSX workbook, or a folder of CSV files.

For stakeholders who live in Excel.  Both read a :class:`ReportContext` and
nothing else, through the same table definitions (:func:`tables`), so the
XLSX sheets and the CSV files always agree on columns and rows.

Every string in a workshop is untrusted.  A spreadsheet treats a cell that
starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, or any
of these after leading blanks) as a formula, which can run commands or leak
data (``=HYPERLINK(...)``, DDE).  :func:`safe_cell` neutralises such text by
prefixing a single quote (the OWASP recommendation) in both formats, and the
XLSX writer also forces such cells to the string type, so no formula is ever
written.  Numbers stay numbers.  Characters that XML 1.0 forbids (control
characters, lone surrogates, U+FFFE/U+FFFF) are removed instead of crashing
the writer.

Files appear atomically (:mod:`needsmap.util.atomic_write`): each is written to a
temporary file in the target folder, then swapped in, so a reader (or Excel) never
sees half a workbook.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from needsmap.analysis.engine import SEVERITY_ORDER
from needsmap.analysis.rules import RULES
from needsmap.draft.engine import DraftModel
from needsmap.report.context import GapView, Matrix, ReportContext
from needsmap.roadmap.engine import Roadmap, wave_label
from needsmap.util.atomic_write import write_atomically
from needsmap.util.text import shorten, xml_safe

__all__ = [
    "CSV_FILES",
    "SHEETS",
    "Table",
    "safe_cell",
    "sheet_title",
    "tables",
    "write_csv",
    "write_xlsx",
]

#: Sheet names, in workbook order.  The roadmap and model-draft sheets are in a full report only
#: (:func:`build_workbook` is given the roadmap and the draft); a stakeholder's own workbook leaves them out.
SHEETS: tuple[str, ...] = (
    "Summary",
    "Use cases",
    "Needs",
    "Gaps",
    "Roadmap options",
    "Roadmap",
    "Model draft",
    "Open decisions",
    "Traceability",
    "CRUD",
    "Systems x attributes",
    "Stakeholders",
    "Ownership",
    "Notes",
    "Catalog",
)
#: The sheets that need the roadmap and the model draft.
PLAN_SHEETS: tuple[str, ...] = ("Roadmap options", "Roadmap", "Model draft", "Open decisions")
#: CSV file names, in the order :func:`write_csv` returns them.
CSV_FILES: tuple[str, ...] = (
    "gaps.csv",
    "readiness.csv",
    "needs.csv",
    "traceability.csv",
    "crud.csv",
    "systems-x-attributes.csv",
)

# --------------------------------------------------------------------------------------------------------------
# Making a value safe for a spreadsheet cell
# --------------------------------------------------------------------------------------------------------------

_FORMULA_START = frozenset("=+-@")
_FORMULA_CONTROL = frozenset("\t\r")
#: Excel's limit on the characters in one cell.
XLSX_CELL_LIMIT = 32_767
# Excel's grid limits; a matrix wider or longer is cut (and says so in its legend row).
_MAX_COLUMNS = 16_384
_MAX_ROWS = 1_048_576


def strip_illegal(text: str) -> str:
    """``text`` without the characters an XLSX file (XML 1.0) cannot hold."""
    return xml_safe(ILLEGAL_CHARACTERS_RE.sub("", text), "")


def safe_cell(value):
    """A value that a spreadsheet shows as written and never evaluates.

    Text that a spreadsheet would read as a formula — starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return, also after leading
    whitespace — gets a leading single quote.  Characters illegal in XLSX XML
    are removed first (so ``"\\x00=1"`` is neutralised too).  Numbers, booleans
    and ``None`` are returned unchanged: ``-5`` stays the number ``-5``, while
    the text ``"-5 days"`` becomes ``"'-5 days"``.
    """
    if not isinstance(value, str):
        return value
    text = strip_illegal(value)
    if text and (text[0] in _FORMULA_CONTROL or text.lstrip()[:1] in _FORMULA_START):
        return "'" + text
    return text


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique worksheet name: no ``[]:*?/\\``, no edge apostrophes, at most 31 characters."""
    title = strip_illegal(re.sub(r"[\[\]:*?/\\]", " ", name)).strip().strip("'").strip() or "Sheet"
    title = title[:31]
    lowered = {t.lower() for t in taken}
    base, n = title, 2
    while title.lower() in lowered:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def prose(text: str) -> str:
    """Long workshop text for one cell: hard line wraps undone, paragraphs and list items kept."""
    paragraphs = []
    for para in re.split(r"\n[ \t]*\n", text.strip()):
        lines: list[str] = []
        for line in para.splitlines():
            words = " ".join(line.split())
            if lines and not _BULLET_RE.match(line):
                lines[-1] = f"{lines[-1]} {words}".strip()
            else:
                lines.append(words)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(p for p in paragraphs if p)


def _join(items: Iterable[str], sep: str = ", ") -> str:
    return sep.join(items)


def _names(ctx: ReportContext, ids: Iterable[str]) -> str:
    """Items by name, one a line: a name may hold a comma, so names are never joined with ", "."""
    return "\n".join(ctx.names.get(i, i) for i in ids)


def _rule_title(slug: str) -> str:
    rule = RULES.get(slug)
    return rule.title if rule else slug


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _must_met(text: str) -> str:
    # "2/3" would become the date 2 March when Excel opens the CSV; "2 of 3" stays text.
    return text.replace("/", " of ") if text else ""


# --------------------------------------------------------------------------------------------------------------
# Tables: what both formats write
# --------------------------------------------------------------------------------------------------------------

#: A cell's colour class: readiness (ready, at-risk, blocked, rejected), severity (error, warning, info),
#: or a Matrix style (ok, bad, write, read, q-low, q1..q5, q-unknown).
Style = str


@dataclass(slots=True)
class Table:
    """One list or matrix: a header row, data rows and a colour class per cell ("" for none)."""

    name: str  # sheet name
    header: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)
    styles: list[tuple[Style, ...]] = field(default_factory=list)
    wrap: frozenset[int] = frozenset()  # columns of long text
    matrix: Matrix | None = None
    note: str = ""  # matrices: the title and legend, shown above the header

    def add(self, row: Sequence, styles: Sequence[Style] = ()) -> None:
        self.rows.append(tuple(row))
        self.styles.append(tuple(styles) + ("",) * (len(row) - len(styles)))


def _gaps_in_order(ctx: ReportContext) -> list[tuple[GapView, str]]:
    """All gaps with their rule's "why", in the analysis' order (blocking errors first, impact, severity, rule)."""
    flat = [(g, grp.why, i) for i, grp in enumerate(ctx.rule_groups) for g in grp.gaps]
    flat.sort(key=lambda t: (not t[0].blocks, -t[0].impact, SEVERITY_ORDER.get(t[0].severity, 9), t[2]))
    return [(g, why) for g, why, _ in flat]


def use_case_table(ctx: ReportContext, *, description: bool = True) -> Table:
    header = (
        "Use case",
        "Title",
        "Owner",
        "Function",
        "Channels",
        "Value",
        "Effort",
        "Horizon",
        "Status",
        "Readiness",
        "Must met",
        "Must share",
        "Gaps",
        "Held back by",
        "Reasons",
    )
    t = Table("Use cases", header + (("Description",) if description else ()), wrap=frozenset({14, 15}))
    for u in ctx.use_cases:
        row = (
            u.id,
            u.title,
            u.owner,
            u.function,
            _join(u.channels),
            u.value,
            u.effort,
            u.horizon,
            u.status,
            u.readiness,
            _must_met(u.must_met),
            u.must_share if u.must_met else None,
            u.gaps,
            " and ".join(u.because),
            _join(u.reasons, "\n"),
        )
        t.add(row + ((prose(u.description),) if description else ()), ("",) * 9 + (u.readiness,))
    return t


def need_table(ctx: ReportContext) -> Table:
    """One row per need of every use case: the use case and attribute by id and name, its status, the path."""
    t = Table(
        "Needs",
        (
            "Use case",
            "Title",
            "Attribute",
            "Name",
            "Criticality",
            "Freshness",
            "Status",
            "Met",
            "Path",
            "Path freshness",
        ),
    )
    for u in ctx.use_cases:
        for n in u.needs:
            style = "ok" if n.satisfied else "bad" if n.criticality == "must" else "at-risk"
            path = " → ".join(ctx.names.get(s, s) for s in n.path.split(" -> ")) if n.path else ""
            t.add(
                (
                    u.id,
                    u.title,
                    n.attribute,
                    n.name,
                    n.criticality,
                    n.freshness,
                    n.status,
                    _yes(n.satisfied),
                    path,
                    n.path_freshness,
                ),
                ("",) * 6 + (style, style),
            )
    return t


def gap_table(ctx: ReportContext) -> Table:
    t = Table(
        "Gaps",
        ("Rule", "Code", "Severity", "Subjects", "Message", "Why it matters", "Action", "Impact", "Use cases"),
        wrap=frozenset({0, 3, 4, 5, 6, 8}),
    )
    for g, why in _gaps_in_order(ctx):
        t.add(
            (
                _rule_title(g.rule),
                f"{g.code} {g.rule}",
                g.severity,
                _names(ctx, g.subjects.split(", ") if g.subjects else ()),
                prose(g.message),
                prose(why),
                prose(g.action),
                g.impact,
                _names(ctx, g.use_cases),
            ),
            ("", "", g.severity),
        )
    return t


def stakeholder_table(ctx: ReportContext) -> Table:
    t = Table(
        "Stakeholders",
        ("Stakeholder", "Name", "Role", "Function", "Influence", "Interest", "Use cases", "Owns attributes"),
        wrap=frozenset({6, 7}),
    )
    for s in ctx.stakeholders:
        t.add(
            (
                s.id,
                s.name,
                s.role,
                s.function,
                s.influence,
                s.interest,
                _names(ctx, s.use_cases),
                _names(ctx, s.owns_attributes),
            )
        )
    return t


def ownership_table(ctx: ReportContext) -> Table:
    """One row per owned attribute, then the orphaned ones (needed, owned by no one)."""
    names = {a.id: a.name for a in ctx.catalog}
    contested = {s for g in ctx.contested for s in g.subjects.split(", ")}
    t = Table(
        "Ownership",
        ("Attribute", "Name", "Owner", "Owner id", "Function", "Ownership", "Needed by"),
        wrap=frozenset({6}),
    )
    for o in ctx.ownership:
        for a in o.attributes:
            state = "contested" if a in contested else "owned"
            t.add(
                (a, names.get(a, a), o.owner, o.owner_id, o.function, state, ""),
                ("",) * 5 + ("at-risk" if state == "contested" else "",),
            )
    for a, name, needed_by in ctx.orphaned:
        t.add((a, name, "", "", "", "orphaned", _names(ctx, needed_by)), ("",) * 5 + ("bad",))
    return t


def note_table(ctx: ReportContext) -> Table:
    t = Table("Notes", ("Kind", "Note", "Text", "About", "By", "Status"), wrap=frozenset({2, 3}))
    for kind, notes in ctx.notes.items():
        for n in notes:
            t.add((kind, n.id, prose(n.text), _names(ctx, n.about), n.by, n.status))
    return t


def catalog_table(ctx: ReportContext) -> Table:
    t = Table(
        "Catalog",
        (
            "Attribute",
            "Name",
            "Entity",
            "Type",
            "Identifier",
            "Sensitivity",
            "Owner",
            "Synonyms",
            "Needed by",
            "Held in",
            "Definition",
        ),
        wrap=frozenset({7, 9, 10}),
    )
    for a in ctx.catalog:
        t.add(
            (
                a.id,
                a.name,
                a.entity,
                a.type,
                _yes(a.identifier),
                a.sensitivity,
                a.owner,
                "\n".join(a.synonyms),
                a.needed_by,
                _names(ctx, a.held_in),
                prose(a.definition),
            )
        )
    return t


def roadmap_tables(ctx: ReportContext, rm: Roadmap) -> tuple[Table, Table]:
    """The options side by side (the recommended one first, marked), and every work item of every option by wave."""
    rec = rm.recommended.option if rm.recommended else None
    plans = sorted(rm.plans, key=lambda p: p.id != rec)  # stable: the rest keep the roadmap's order
    options = Table(
        "Roadmap options",
        (
            "Option",
            "Name",
            "Recommended",
            "Why",
            "Style",
            "Use cases unlocked",
            "Value unlocked",
            "First value",
            "Effort (points)",
            "Waves",
            "Risk",
            "Gaps closed",
            "Gaps left",
            "Votes",
            "Mean vote",
        ),
        wrap=frozenset({1, 3}),
    )
    for p in plans:
        marked = p.id == rec
        tally = rm.tallies.get(p.id)
        options.add(
            (
                p.id,
                p.option.title or p.id,
                "recommended" if marked else "",
                prose(rm.recommended.reason) if marked and rm.recommended else "",
                p.option.effective_style,
                len(p.unlocks),
                p.value_unlocked,
                wave_label(rm.settings, p.first_value_wave) if p.first_value_wave else "never",
                p.effort,
                p.waves,
                p.risk,
                len(p.closed),
                len(p.left),
                tally.votes if tally else 0,
                round(tally.mean, 2) if tally and tally.mean is not None else None,
            ),
            ("", "", "ready" if marked else ""),
        )
    items = Table(
        "Roadmap",
        (
            "Option",
            "Recommended",
            "Wave",
            "Work item",
            "Kind",
            "Effort (points)",
            "Value",
            "Helps unlock",
            "Depends on",
        ),
        wrap=frozenset({3, 7, 8}),
    )
    for p in plans:
        marked = p.id == rec
        titles = {it.item.id: it.item.title or it.item.id for it in p.items}
        for it in p.items:
            items.add(
                (
                    p.option.title or p.id,
                    "recommended" if marked else "",
                    wave_label(rm.settings, it.wave),
                    it.item.title or it.item.id,
                    it.kind,
                    it.effort,
                    it.value,
                    _names(ctx, it.item.use_cases),
                    "\n".join(titles.get(d, d) for d in it.item.depends_on),
                ),
                ("", "ready" if marked else ""),
            )
    return options, items


def draft_tables(ctx: ReportContext, model: DraftModel) -> tuple[Table, Table]:
    """The model draft: one row per column (type, nullable, key, trace), and its open decisions."""
    columns = Table(
        "Model draft",
        (
            "Table",
            "Kind",
            "Column",
            "Business name",
            "Type",
            "Nullable",
            "Key",
            "References",
            "Needed by (use cases)",
            "Asked for by (stakeholders)",
            "Open decisions",
        ),
        wrap=frozenset({8, 9, 10}),
    )
    for t in model.tables:
        for c in t.columns:
            keys = [k for k, on in (("PK", c.primary_key), ("FK", c.references is not None), ("UK", c.unique)) if on]
            columns.add(
                (
                    t.name,
                    t.kind,
                    c.name,
                    c.label,
                    c.type,
                    _yes(c.nullable),
                    ", ".join(keys),
                    f"{c.references}.{c.ref_column}" if c.references and c.ref_column else c.references or "",
                    _names(ctx, c.use_cases),
                    _names(ctx, c.stakeholders),
                    "\n".join(c.open_decisions),
                ),
                ("",) * 10 + ("at-risk" if c.open_decisions else "",),
            )
    decisions = Table(
        "Open decisions",
        ("Decision", "Rule", "Code", "Question", "Why: the finding", "What to do", "On", "Use cases"),
        wrap=frozenset({3, 4, 5, 6, 7}),
    )
    for d in model.open_decisions:
        decisions.add(
            (
                d.id,
                _rule_title(d.rule),
                d.code,
                prose(d.question),
                prose(d.finding),
                prose(d.action),
                "\n".join(d.targets),
                _names(ctx, d.use_cases),
            )
        )
    return columns, decisions


def _unique_labels(columns: Sequence[tuple[str, str]]) -> list[str]:
    """Column labels, with the id added where a label is repeated, or the id alone where it is empty."""
    count: dict[str, int] = {}
    for _, label in columns:
        count[label] = count.get(label, 0) + 1
    out = []
    for cid, label in columns:
        if not label or label == cid:
            out.append(cid)
        elif count[label] > 1:
            out.append(f"{label} ({cid})")
        else:
            out.append(label)
    return out


def matrix_table(mx: Matrix, name: str, *, excel_limits: bool = True) -> Table:
    """A Matrix as a table: row id, row label, then one column per matrix column.

    With ``excel_limits`` a matrix larger than Excel's grid is cut, and its
    note says so (CSV has no such limit).
    """
    columns, rows = mx.columns, mx.rows
    note = f"{mx.title}. {mx.legend}"
    if excel_limits:
        columns, rows = columns[: _MAX_COLUMNS - 2], rows[: _MAX_ROWS - 2]
        if len(columns) < len(mx.columns) or len(rows) < len(mx.rows):
            note += (
                f". Cut to {len(rows)} of {len(mx.rows)} rows and {len(columns)} of {len(mx.columns)} "
                "columns (Excel's limit); the CSV export has them all"
            )
    t = Table(name, ("Id", mx.corner, *_unique_labels(columns)), matrix=mx, note=note)
    n = len(columns)
    for (rid, label), cells, styles in zip(rows, mx.cells, mx.styles):
        t.add((rid, label, *cells[:n]), ("", "", *styles[:n]))
    return t


def tables(ctx: ReportContext, roadmap: Roadmap | None = None, model: DraftModel | None = None) -> dict[str, Table]:
    """Every list and matrix of the report, by sheet name (Summary excepted: it is not a table).

    The roadmap's and the model draft's sheets (:data:`PLAN_SHEETS`) are there when ``roadmap`` and ``model``
    are given, in the order of :data:`SHEETS`.
    """
    plan: dict[str, Table] = {}
    if roadmap is not None:
        plan["Roadmap options"], plan["Roadmap"] = roadmap_tables(ctx, roadmap)
    if model is not None:
        plan["Model draft"], plan["Open decisions"] = draft_tables(ctx, model)
    return {
        "Use cases": use_case_table(ctx),
        "Needs": need_table(ctx),
        "Gaps": gap_table(ctx),
        **plan,
        "Traceability": matrix_table(ctx.traceability, "Traceability"),
        "CRUD": matrix_table(ctx.crud, "CRUD"),
        "Systems x attributes": matrix_table(ctx.system_matrix, "Systems x attributes"),
        "Stakeholders": stakeholder_table(ctx),
        "Ownership": ownership_table(ctx),
        "Notes": note_table(ctx),
        "Catalog": catalog_table(ctx),
    }


# --------------------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------------------


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(safe_cell(value))


def _write_csv_file(path: Path, table: Table) -> None:
    def write(fh) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)  # the "excel" dialect: RFC 4180 quoting, CRLF line ends
        writer.writerow([_csv_value(h) for h in table.header])
        writer.writerows([_csv_value(v) for v in row] for row in table.rows)
        text.flush()
        text.detach()

    write_atomically(path, write)


def write_csv(ctx: ReportContext, folder: str | os.PathLike[str]) -> list[Path]:
    """Write the findings, readiness, needs and the three matrices as CSV files into ``folder``.

    UTF-8 with a byte order mark (Excel then reads accents right), RFC 4180
    quoting, every workshop text passed through :func:`safe_cell`.  The folder
    is created if missing; each file is replaced atomically.  Returns the paths
    written, in the order of :data:`CSV_FILES`.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    contents = (
        gap_table(ctx),
        use_case_table(ctx, description=False),
        need_table(ctx),
        matrix_table(ctx.traceability, "Traceability", excel_limits=False),
        matrix_table(ctx.crud, "CRUD", excel_limits=False),
        matrix_table(ctx.system_matrix, "Systems x attributes", excel_limits=False),
    )
    written = []
    for name, table in zip(CSV_FILES, contents):
        path = out / name
        _write_csv_file(path, table)
        written.append(path)
    return written


# --------------------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------------------


def _font(**kw) -> Font:
    # The workbook's default font; a Font without a name falls back to a serif face in some spreadsheets.
    return Font(name="Calibri", **{"size": 11, **kw})


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


# Excel's own "good / neutral / bad" pairs, a blue for information, and a five-step heat map for quality.
_COLOURS: dict[str, tuple[str, str]] = {  # style -> (fill, font colour)
    "ready": ("C6EFCE", "006100"),
    "ok": ("C6EFCE", "006100"),
    "at-risk": ("FFEB9C", "9C5700"),
    "warning": ("FFEB9C", "9C5700"),
    "blocked": ("FFC7CE", "9C0006"),
    "bad": ("FFC7CE", "9C0006"),
    "error": ("FFC7CE", "9C0006"),
    "rejected": ("E7E6E6", "595959"),
    "info": ("DDEBF7", "1F4E78"),
    "write": ("F8CBAD", "833C0B"),
    "read": ("DDEBF7", "1F4E78"),
    "q-low": ("FFC7CE", "9C0006"),
    "q-unknown": ("EDEDED", "595959"),
    "q1": ("F8CBAD", "833C0B"),
    "q2": ("FCE4D6", "833C0B"),
    "q3": ("FFF2CC", "7F6000"),
    "q4": ("E2EFDA", "375623"),
    "q5": ("C6EFCE", "006100"),
}


class _Styles:
    """Style objects made once per workbook (openpyxl shares them between cells)."""

    def __init__(self) -> None:
        self.fills = {k: _fill(f) for k, (f, _) in _COLOURS.items()}
        self.fonts = {k: _font(color=c) for k, (_, c) in _COLOURS.items()}
        self.header_font = _font(bold=True, color="FFFFFF")
        self.header_fill = _fill("305496")
        self.bold = _font(bold=True)
        self.title = _font(bold=True, size=14)
        self.note_font = _font(italic=True, color="404040")
        self.top = Alignment(vertical="top")
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.header_align = Alignment(vertical="bottom", wrap_text=True)
        self.rotated = Alignment(text_rotation=90, vertical="bottom", horizontal="center", wrap_text=True)
        self.centre = Alignment(horizontal="center", vertical="center")
        self.number = Alignment(horizontal="center", vertical="top")
        self.percent = "0%"
        self._cache: dict[tuple, object] = {}

    def apply(self, cell, alignment: str, colour: str = "", percent: bool = False) -> None:
        """Style a data cell; the style is built once, then copied (assigning style objects per cell is slow)."""
        key = (alignment, colour if colour in self.fills else "", percent)
        cached = self._cache.get(key)
        if cached is not None:
            cell._style = copy(cached)
            return
        cell.alignment = getattr(self, alignment)
        if key[1]:
            cell.fill, cell.font = self.fills[colour], self.fonts[colour]
        if percent:
            cell.number_format = self.percent
        self._cache[key] = copy(cell._style)


def _xlsx_value(value):
    value = safe_cell(value)
    if isinstance(value, str):
        # A line break in a cell is a line feed; a bare CR would not survive XML end-of-line handling anyway.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        value = shorten(value, XLSX_CELL_LIMIT)
    return value


def _put(ws: Worksheet, row: int, col: int, value):
    """Write one cell; text is always a string cell (never a formula, never an error code)."""
    cell = ws.cell(row=row, column=col, value=_xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


_LINE_HEIGHT = 15  # points per line of 11 pt text
_MAX_LINES = 20  # a taller cell is cut on screen (the whole text stays in the cell)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell of ``width`` (an estimate, erring on the tall side)."""
    per_line = max(int(width * 1.1) - 2, 1)
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def _fit_rows(ws: Worksheet, cells) -> None:
    """Give rows with wrapped text the height they need: not every spreadsheet autofits rows on opening."""
    need: dict[int, int] = {}
    widths: dict[int, float] = {}
    for cell in cells:
        if not isinstance(cell.value, str):
            continue
        col = cell.column
        if col not in widths:
            widths[col] = ws.column_dimensions[get_column_letter(col)].width or 8.43
        n = _lines(cell.value, widths[col])
        if n > need.get(cell.row, 1):
            need[cell.row] = n
    for row, n in need.items():
        ws.row_dimensions[row].height = _LINE_HEIGHT * min(n, _MAX_LINES) + 2


def _setup_print(ws: Worksheet, title_rows: str, title_cols: str | None = None) -> None:
    ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&A - page &P of &N"


def _list_sheet(ws: Worksheet, table: Table, st: _Styles) -> None:
    """A list: bold header row, frozen and filtered; colours per cell; widths from the content."""
    ncols = len(table.header)
    for c, h in enumerate(table.header, 1):
        cell = _put(ws, 1, c, h)
        cell.font, cell.fill, cell.alignment = st.header_font, st.header_fill, st.header_align
    widths = [_text_width(h) + 3 for h in table.header]  # room for the filter button
    wrapped = []
    for r, (row, styles) in enumerate(zip(table.rows, table.styles), 2):
        for c, (value, style) in enumerate(zip(row, styles), 1):
            if value is None or value == "":
                continue
            cell = _put(ws, r, c, value)
            long = c - 1 in table.wrap or (isinstance(cell.value, str) and ("\n" in cell.value or len(cell.value) > 60))
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            st.apply(cell, "wrap" if long else "number" if numeric else "top", style, isinstance(value, float))
            if long:
                wrapped.append(cell)
            widths[c - 1] = max(widths[c - 1], _text_width(cell.value))
    for c in range(ncols):
        limit = 50 if c in table.wrap else 60
        ws.column_dimensions[get_column_letter(c + 1)].width = min(max(widths[c] + 2, 8), limit)
    _fit_rows(ws, wrapped)
    last = get_column_letter(max(ncols, 1))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    _setup_print(ws, "1:1")


_PT_PER_CHAR = 7  # a character of rotated 11 pt bold text, in points of row height
_HEADER_HEIGHT = 180  # the tallest matrix header row, in points


def _matrix_sheet(ws: Worksheet, table: Table, st: _Styles) -> None:
    """A matrix: the legend in row 1, rotated column labels in row 2, ids and labels frozen on the left."""
    mx = table.matrix
    assert mx is not None
    ncols = len(table.header)
    note = _put(ws, 1, 1, table.note)
    note.font, note.alignment = st.note_font, st.wrap
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    id_width = min(max([_text_width(h) for h in table.header[:1]] + [_text_width(r[0]) for r in table.rows]) + 2, 30)
    label_width = min(max([_text_width(table.header[1])] + [_text_width(r[1]) for r in table.rows]) + 2, 45)
    id_width, label_width = max(id_width, 10), max(label_width, 24)
    ws.column_dimensions["A"].width = id_width
    ws.column_dimensions["B"].width = label_width
    # Merged cells do not grow to fit: give the legend the lines it needs.
    per_line = max(int((id_width + label_width) * 1.1), 20)
    ws.row_dimensions[1].height = 15 * min(-(-len(table.note) // per_line) + 1, 8)

    cid = dict(zip(table.header[2:], (c for c, _ in mx.columns)))
    for c, h in enumerate(table.header, 1):
        cell = _put(ws, 2, c, h)
        cell.font, cell.fill = st.header_font, st.header_fill
        if c > 2:
            cell.alignment = st.rotated
            ident = cid.get(h, "")
            if ident and ident != h and ident not in h:
                cell.comment = Comment(safe_cell(f"id: {ident}"), "needsmap")
        else:
            cell.alignment = st.header_align
    # Rotated labels: up to _HEADER_HEIGHT points tall, wrapping onto a second or third line beyond that.
    longest = max((_text_width(h) for h in table.header[2:]), default=0)
    ws.row_dimensions[2].height = min(max(60, _PT_PER_CHAR * longest), _HEADER_HEIGHT)

    widest = [0] * ncols
    for r, (row, styles) in enumerate(zip(table.rows, table.styles), 3):
        st.apply(_put(ws, r, 1, row[0]), "top")
        st.apply(_put(ws, r, 2, row[1]), "top")
        for c in range(2, len(row)):
            value, style = row[c], styles[c]
            if not value and style not in st.fills:
                continue
            cell = _put(ws, r, c + 1, value or None)
            st.apply(cell, "centre", style)
            widest[c] = max(widest[c], _text_width(value))
    for c in range(2, ncols):
        lines = min(-(-_PT_PER_CHAR * _text_width(table.header[c]) // _HEADER_HEIGHT), 3)
        ws.column_dimensions[get_column_letter(c + 1)].width = min(max(widest[c] + 2, 2 + 2.4 * lines), 20)
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{get_column_letter(max(ncols, 2))}{len(table.rows) + 2}"
    _setup_print(ws, "1:2", "A:B")


#: How many problems the summary sheet lists at least (every problem that blocks a use case is listed, however many).
SUMMARY_PROBLEMS = 10


def summary_problems(ctx: ReportContext) -> list:
    """The problems the summary lists: every one that blocks a use case, then the most important others."""
    blockers = list(ctx.blockers) or [p for p in ctx.top_problems if p.blocks]
    rest = [p for p in ctx.top_problems if not p.blocks]
    return blockers + rest[: max(0, SUMMARY_PROBLEMS - len(blockers))]


def _heading(ws: Worksheet, r: int, text: str, st: _Styles) -> int:
    _put(ws, r, 1, text).font = st.bold
    return r + 1


def _summary_sheet(ws: Worksheet, ctx: ReportContext, st: _Styles) -> None:
    """What to do first (the recommendation), where the use cases stand, the problems, blockers first."""
    r = 1
    _put(ws, r, 1, ctx.title or "Workshop").font = st.title
    r += 2
    facts = [
        ("Workshop", ctx.title),
        ("Organisation", ctx.organization),
        ("Dates", _join(ctx.dates)),
        ("Facilitator", ctx.facilitator),
        ("Scope", prose(ctx.scope)),
        ("Source file", ctx.source_file),
        ("Generated on", ctx.generated_on),
        ("needsmap", ctx.version),
    ]
    if ctx.for_stakeholder is not None:
        facts.insert(0, ("Prepared for", f"{ctx.for_stakeholder.name} ({ctx.for_stakeholder.id})"))
    for label, value in facts:
        cell = _put(ws, r, 1, label)
        cell.font, cell.alignment = st.bold, st.top
        _put(ws, r, 2, value).alignment = st.wrap
        r += 1

    rec = ctx.recommended
    if rec is not None:
        r += 1
        cell = _put(ws, r, 1, "Recommended option")
        cell.font, cell.alignment = st.bold, st.top
        cell = _put(ws, r, 2, rec.name)
        cell.font, cell.fill, cell.alignment = _font(bold=True, color=_COLOURS["ready"][1]), st.fills["ready"], st.wrap
        r += 1
        _put(ws, r, 1, "Why").alignment = st.top
        _put(ws, r, 2, prose(rec.reason)).alignment = st.wrap
        r += 1
        for n, step in enumerate(rec.start_with, 1):
            _put(ws, r, 1, "Start with" if n == 1 else None).alignment = st.top
            decide = step.kind == "decision" and not step.title.lower().startswith("decision")
            what = ("Decide: " if decide else "") + step.title
            if step.use_cases:
                unlocks = "; ".join(ctx.names.get(u, u) for u in step.use_cases)
                what += f" (helps unlock {unlocks}: value {step.value})"
            _put(ws, r, 2, f"{n}. {what}").alignment = st.wrap
            r += 1

    problems = sum(ctx.problem_counts.values())
    counted = (
        ("Readiness of use cases", ctx.readiness_counts, ("blocked", "at-risk", "ready"), "use cases"),
        ("Problems (one per root cause) by severity", ctx.problem_counts, ("error", "warning", "info"), "problems"),
        ("Findings by severity", ctx.gap_counts, ("error", "warning", "info"), "findings"),
    )
    for title, counts, keys, what in counted:
        r = _heading(ws, r + 1, title, st)
        for key in keys:
            _put(ws, r, 1, key)
            cell = _put(ws, r, 2, counts.get(key, 0))
            cell.fill, cell.font = st.fills[key], st.fonts[key]
            r += 1
        _put(ws, r, 1, f"total {what}").font = st.bold
        _put(ws, r, 2, sum(counts.get(k, 0) for k in keys)).font = st.bold
        r += 1
        if what == "problems" and ctx.blocking_problems:
            _put(ws, r, 1, "of which block a use case")
            _put(ws, r, 2, ctx.blocking_problems)
            r += 1
    r += 1

    if ctx.asks:
        r = _heading(ws, r, "What we need from you", st)
        for ask in ctx.asks:
            _put(ws, r, 2, prose(ask)).alignment = st.wrap
            r += 1
        r += 1

    shown = summary_problems(ctx)
    heading = (
        f"The {len(shown)} problems that matter most, those that block a use case first (of {problems})"
        if shown
        else "No problems found"
    )
    r = _heading(ws, r, heading, st)
    header = ("#", "Problem", "Severity", "Impact", "Use cases", "What to do")
    if shown:
        for c, h in enumerate(header, 1):
            cell = _put(ws, r, c, h)
            cell.font, cell.fill, cell.alignment = st.header_font, st.header_fill, st.header_align
        r += 1
    for i, p in enumerate(shown, 1):
        _put(ws, r, 1, i).alignment = st.top
        _put(ws, r, 2, prose(p.title)).alignment = st.wrap
        severity = p.severity + (", blocks a use case" if p.blocks else "")
        cell = _put(ws, r, 3, severity)
        cell.fill, cell.font, cell.alignment = st.fills.get(p.severity), st.fonts.get(p.severity), st.wrap
        _put(ws, r, 4, p.impact).alignment = st.top
        _put(ws, r, 5, _names(ctx, p.use_cases)).alignment = st.wrap
        actions = dict.fromkeys(prose(g.action) for g in p.findings)
        _put(ws, r, 6, "\n".join(actions)).alignment = st.wrap
        r += 1
    for col, width in zip("ABCDEF", (26, 70, 14, 9, 34, 60)):
        ws.column_dimensions[col].width = width
    _fit_rows(ws, [c for row in ws.iter_rows(min_row=2) for c in row if c.alignment.wrap_text])
    _setup_print(ws, "1:1")
    ws.page_setup.orientation = "portrait"


def build_workbook(ctx: ReportContext, roadmap: Roadmap | None = None, model: DraftModel | None = None) -> Workbook:
    """The report as an openpyxl workbook (not yet saved): :data:`SHEETS`, in that order.

    Without ``roadmap`` and ``model`` the sheets of :data:`PLAN_SHEETS` are left out.
    """
    st = _Styles()
    wb = Workbook()
    wb.properties.creator = f"needsmap {ctx.version}"
    wb.properties.title = strip_illegal(ctx.title)[:255] or None
    summary = wb.active
    summary.title = "Summary"
    _summary_sheet(summary, ctx, st)
    taken = ["Summary"]
    for name, table in tables(ctx, roadmap, model).items():
        ws = wb.create_sheet(sheet_title(name, taken))
        taken.append(ws.title)
        if table.matrix is not None:
            _matrix_sheet(ws, table, st)
        else:
            _list_sheet(ws, table, st)
    return wb


def write_xlsx(
    ctx: ReportContext,
    path: str | os.PathLike[str],
    *,
    roadmap: Roadmap | None = None,
    model: DraftModel | None = None,
) -> None:
    """Write the report as one XLSX workbook at ``path``, atomically.

    Sheets (:data:`SHEETS`): a summary (the recommended option and what to start
    with, readiness, problems and findings that add up, the problems that block
    a use case first), one per list (use cases, needs, gaps, the roadmap's
    options and work items, the model draft's columns and open decisions,
    stakeholders, ownership, notes, catalog) with a frozen, filtered header
    row, and one per matrix (traceability, CRUD, systems × attributes) with
    the legend in row 1, the header in row 2, ids and labels frozen on the
    left and cells coloured by :attr:`Matrix.styles`.  The roadmap and draft
    sheets need ``roadmap`` and ``model``.
    """
    target = Path(path)
    wb = build_workbook(ctx, roadmap, model)
    write_atomically(target, wb.save)
