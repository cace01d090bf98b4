"""From a database schema (read from DDL or from a live database) to proposed holdings.

The two schema importers (:mod:`needsmap.imports.ddl`, :mod:`needsmap.imports.db`)
read tables and columns into :class:`SchemaTable` / :class:`SchemaColumn`;
everything after that is shared and lives here:

* :func:`select_tables` keeps the customer-related tables: those whose name
  says what they are about (``ps_customer``, ``account_address``,
  ``res_partner``, ``email_address``...; see
  :func:`needsmap.imports.column_match.table_context`), and those where at least three
  columns, and a third of them, are customer attributes.  ``--tables`` globs
  choose instead (``ps_customer*``), and ``!glob`` leaves tables out.
* :func:`propose` matches every column of the kept tables to an attribute of
  the workshop or of the reference catalog (:class:`needsmap.imports.column_match.ColumnMatcher`,
  with table context and SQL types; a column comment is a second reading; what the rest of the table
  says: a ``title`` beside a job title is the salutation, an ``address`` without a city beside it the
  whole address in one text),
  giving one :class:`Proposal` per column with a confidence, a reason and a
  decision: ``accept`` when the confidence reaches ``accept_above``,
  ``review`` below it, ``reject`` (no attribute) when nothing is close.
  No column is dropped: unmatched columns are proposals without attribute.
* :func:`plan_holdings` turns proposals and their decisions into an
  :class:`~needsmap.imports.plan.ImportPlan`: the system (added when new),
  catalog attributes the workshop lacks, and one holding per attribute (the
  most confident column; the other columns that hold the same attribute are
  named in its message).  ``review`` proposals are ``ambiguous`` (not
  applied), rejected ones are listed as skipped.  The review file
  (:mod:`needsmap.imports.review`) goes through the same function.
* :meth:`SchemaImport.preview` is the part of the plan a person reads: the
  changes of the first :data:`PREVIEW_TABLES` tables (at most about
  :data:`PREVIEW_ROWS` rows) and one line saying what is not shown.

Both importers read at most :data:`MAX_TABLES` tables and about
:data:`MAX_COLUMNS` columns, and say so when a schema has more: work and memory
stay bounded whatever the schema, and ``--tables`` chooses which tables are read.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from needsmap.catalog.name_tokens import compact_key, name_tokens
from needsmap.format import model as m
from needsmap.imports.column_evidence import confidence_text
from needsmap.imports.column_match import (
    OWN_KEY_NOTE,
    Candidate,
    Column,
    ColumnMatcher,
    table_context,
    why_not_an_attribute,
)
from needsmap.imports.column_readings import QUALIFIERS
from needsmap.imports.plan import Change, ImportPlan, PlanBuilder, Source, summary

#: Proposals at or above this confidence are accepted without review (``--accept-above``).
DEFAULT_ACCEPT_ABOVE = 0.9
#: At most this many tables are read from one schema (``--tables`` chooses which).
MAX_TABLES = 10_000
#: Tables are read until they hold this many columns (five times the 10,000 columns matched in about a second).
MAX_COLUMNS = 50_000
#: The preview shows the changes of this many tables, and of fewer when they are more than PREVIEW_ROWS rows.
PREVIEW_TABLES = 50
PREVIEW_ROWS = 1_000
#: The other columns named in a holding's message (``also in a.x, b.y``); the rest are counted.
_ALSO_SHOWN = 10
#: Below this confidence a column is not proposed for any attribute (listed as unmatched).
MIN_CONFIDENCE = 0.75
#: A table is customer-related when at least this many of its columns, and this share, match well.
_MIN_GOOD_COLUMNS, _MIN_GOOD_SHARE, _GOOD_CONFIDENCE = 3, 1 / 3, 0.8
#: Entities whose tables are kept for their name alone.
CUSTOMER_ENTITIES = frozenset(
    {
        "customer",
        "address",
        "organization",
        "household",
        "contact_point",
        "consent",
        "preference",
        "identifier",
        "interaction",
    }
)
DECISIONS = ("accept", "reject", "review")
#: Attributes a customer table is the natural home of (its id, consents, preferences, contact points).
_PERSON_ENTITIES = frozenset({"customer", "identifier", "consent", "preference", "contact_point"})


@dataclass(frozen=True, slots=True)
class SchemaColumn:
    name: str
    sql_type: str | None = None
    line: int | None = None  # line in the DDL file
    comment: str | None = None
    nullable: bool | None = None


@dataclass(frozen=True, slots=True)
class SchemaTable:
    name: str
    columns: tuple[SchemaColumn, ...]
    line: int | None = None
    schema: str | None = None  # the database schema (public, dbo), when named


@dataclass(frozen=True, slots=True)
class Proposal:
    """One column and the attribute it is proposed to hold (``attribute`` None: nothing close)."""

    table: str
    column: str
    sql_type: str | None
    attribute: str | None
    confidence: float
    reason: str
    decision: str  # accept | reject | review | map:<attribute id>
    alternatives: tuple[tuple[str, float], ...] = ()
    at: str = ""  # where it was read: schema.sql:12, or the table of a database
    coverage: float | None = None  # share of non-empty values in a sample (import db --profile)
    #: the column holds the opposite of the attribute (``do_not_call`` for phone marketing consent)
    inverted: bool = False

    @property
    def key(self) -> str:
        return f"{self.table}.{self.column}"

    @property
    def target(self) -> str | None:
        """The attribute the column holds when the decision stands: proposed (accept) or chosen (map:)."""
        if self.decision == "accept":
            return self.attribute
        if self.decision.startswith("map:"):
            return self.decision[4:].strip() or None
        return None


class SchemaError(Exception):
    """The schema cannot be read; the message is complete (``FILE:LINE:COL: error: ...``)."""


# ------------------------------------------------------------------ choosing tables


def _glob_match(table: SchemaTable, pattern: str) -> bool:
    pattern = pattern.casefold()
    names = [table.name.casefold()]
    if table.schema:
        names.append(f"{table.schema}.{table.name}".casefold())
    return any(fnmatch.fnmatchcase(n, pattern) for n in names)


def chosen_by_globs(name: str, schema: str | None, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """False when the ``--tables`` globs leave the table out, as :func:`select_tables` would: an importer
    asks this from a table's name alone, before it reads the table's columns."""
    table = SchemaTable(name, (), schema=schema)
    if any(_glob_match(table, p) for p in exclude):
        return False
    return not include or any(_glob_match(table, p) for p in include)


def parse_table_globs(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """``--tables`` values (repeatable, comma-separated) -> (include globs, exclude globs); ``!glob`` excludes."""
    include, exclude = [], []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if part.startswith("!"):
                if part[1:].strip():
                    exclude.append(part[1:].strip())
            else:
                include.append(part)
    return include, exclude


def select_tables(
    tables: Sequence[SchemaTable], matcher: ColumnMatcher, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> tuple[list[SchemaTable], list[tuple[str, str]]]:
    """(kept tables, [(left-out table, why)]): by globs when ``include`` is given, else by the heuristics."""
    kept: list[SchemaTable] = []
    left: list[tuple[str, str]] = []
    undecided: list[SchemaTable] = []
    for table in tables:
        if any(_glob_match(table, p) for p in exclude):
            left.append((table.name, "excluded by --tables"))
        elif include:
            if any(_glob_match(table, p) for p in include):
                kept.append(table)
            else:
                left.append((table.name, "not chosen by --tables"))
        elif table_context(table.name)[1] in CUSTOMER_ENTITIES:
            kept.append(table)
        else:
            undecided.append(table)
    if undecided:
        columns = [Column(c.name, t.name, c.sql_type) for t in undecided for c in t.columns]
        found = iter(matcher.match_many(columns, limit=1))
        for table in undecided:
            good = 0
            for _ in table.columns:
                cands = next(found)
                if cands and cands[0].confidence >= _GOOD_CONFIDENCE and cands[0].entity in CUSTOMER_ENTITIES:
                    good += 1
            if good >= _MIN_GOOD_COLUMNS and good >= _MIN_GOOD_SHARE * len(table.columns):
                kept.append(table)
            else:
                left.append((table.name, f"not customer-related ({good} of {len(table.columns)} columns match)"))
    order = {t.name: i for i, t in enumerate(tables)}
    kept.sort(key=lambda t: order[t.name])
    return kept, left


# ------------------------------------------------------------------ matching columns


def propose(
    tables: Sequence[SchemaTable],
    matcher: ColumnMatcher,
    *,
    accept_above: float = DEFAULT_ACCEPT_ABOVE,
    where: str = "",
) -> list[Proposal]:
    """One proposal per column of ``tables``, in schema order."""
    columns = [(t, c) for t in tables for c in t.columns]
    by_name = matcher.match_many([Column(c.name, t.name, c.sql_type) for t, c in columns], limit=4)
    comments = {i: c.comment.strip() for i, (_, c) in enumerate(columns) if c.comment and c.comment.strip()}
    by_comment: dict[int, list[Candidate]] = {}
    if comments:
        found = matcher.match_many(
            [Column(text[:120], columns[i][0].name, columns[i][1].sql_type) for i, text in comments.items()],
            limit=4,
        )
        by_comment = dict(zip(comments, found))
    by_name = _with_table_evidence(tables, columns, by_name, matcher)
    scope_keys = _scope_keys_everywhere(tables)
    out = []
    for i, (table, col) in enumerate(columns):
        cands = by_name[i]
        note = ""
        best = cands[0] if cands else None
        alt = by_comment.get(i)
        if (
            alt
            and alt[0].confidence >= MIN_CONFIDENCE
            and (best is None or (best.confidence < accept_above and alt[0].confidence > best.confidence))
        ):  # the column's comment names an attribute better than its name does
            cands, note = alt, f"comment '{comments[i][:60]}': "
        at = f"{where}:{col.line}" if where and col.line else (where or table.name)
        if cands and cands[0].confidence >= MIN_CONFIDENCE:
            top = cands[0]
            decision = "accept" if top.confidence >= accept_above else "review"
            out.append(
                Proposal(
                    table.name,
                    col.name,
                    col.sql_type,
                    top.attribute,
                    top.confidence,
                    note + top.reason,
                    decision,
                    tuple((c.attribute, c.confidence) for c in cands[1:]),
                    at,
                    inverted=top.inverted,
                )
            )
        else:
            why = why_not_an_attribute(col.name, table.name) or "no attribute is close"
            if not cands and compact_key(col.name) in scope_keys:
                why = "in every table: the software's tenant or user, not the customer's"
            if cands:
                why += f" (best: {cands[0].attribute} {confidence_text(cands[0].confidence)})"
            out.append(
                Proposal(
                    table.name,
                    col.name,
                    col.sql_type,
                    None,
                    cands[0].confidence if cands else 0.0,
                    why,
                    "reject",
                    tuple((c.attribute, c.confidence) for c in cands),
                    at,
                )
            )
    return out


#: Column names that say a person's job when the table has room for it, and their salutation otherwise.
_TITLE_NAMES = frozenset({"title"})
#: Keys that, found in every table, are the software's tenant or user rather than the customer's company.
_SCOPE_KEYS = frozenset({"companyid", "userid", "accountid", "tenantid", "organizationid", "orgid", "teamid"})
_JOB_TITLE_NAMES = frozenset({"jobtitle", "position", "function", "designation", "poste", "occupation", "job"})
#: ... of which these only say the job as such: beside ``occupation`` or ``function`` (Outreach's prospects hold
#: both a title and an occupation), a ``title`` may still be the job title, so a person checks it.
_SURE_JOB_TITLE_NAMES = frozenset({"jobtitle", "job", "designation", "poste", "position"})
_TITLE_BESIDE_ANOTHER_JOB_WORD = 0.86
_SHORT_TEXT = re.compile(r"^\s*n?(?:var)?char2?\s*\(\s*(\d+)\s*\)", re.I)


def _scope_keys_everywhere(tables: Sequence[SchemaTable]) -> set[str]:
    """The scope keys (``company_id``, ``user_id``...) that every one of two or more tables has."""
    if len(tables) < 2:
        return set()
    return set.intersection(*({compact_key(c.name) for c in t.columns} for t in tables)) & _SCOPE_KEYS


def _with_table_evidence(
    tables: Sequence[SchemaTable],
    columns: list[tuple[SchemaTable, SchemaColumn]],
    by_name: list[list[Candidate]],
    matcher: ColumnMatcher,
) -> list[list[Candidate]]:
    """The candidates, with what the rest of the table says: a ``title`` beside a job-title column (or too
    short for a job title: SAP's 4-letter key) is the salutation (held for review beside a word that may not be
    the job's title, :data:`_SURE_JOB_TITLE_NAMES`)."""
    job_tables = {t.name for t in tables if any(compact_key(c.name) in _JOB_TITLE_NAMES for c in t.columns)}
    sure_job_tables = {t.name for t in tables if any(compact_key(c.name) in _SURE_JOB_TITLE_NAMES for c in t.columns)}
    out = list(by_name)
    everywhere = _scope_keys_everywhere(tables)
    _whole_addresses(columns, out, matcher)
    for i, (table, col) in enumerate(columns):
        if compact_key(col.name) in everywhere:
            out[i] = []  # company_id in every table of a multi-tenant product: the tenant, not the customer's company
            continue
        if compact_key(col.name) not in _TITLE_NAMES:
            continue
        short = _SHORT_TEXT.match(col.sql_type or "")
        too_short = bool(short and int(short.group(1)) <= 10)
        if table.name in job_tables or too_short:
            why = "beside a job-title column" if table.name in job_tables else f"{col.sql_type}: too short for a job"
            found = matcher.match("salutation", table.name, col.sql_type, limit=1)
            if found:
                sure = too_short or table.name in sure_job_tables
                if not sure:
                    why = "beside another job word: a job title too, check"
                level = 0.9 if sure else _TITLE_BESIDE_ANOTHER_JOB_WORD
                top = replace(found[0], confidence=level, reason=f"'{col.name}' read as the salutation ({why})")
                out[i] = [top, *(c for c in by_name[i] if c.attribute != top.attribute)]
    return out


#: Attributes of an address's parts: a table with none of them keeps its address in one text.
_ADDRESS_PARTS = frozenset({"city", "postal_code", "street_name", "house_number"})
_ADDRESS_PARTS_TOO = _ADDRESS_PARTS | {"region", "country", "street_address", "address_line_2", "district"}


def _whole_addresses(
    columns: list[tuple[SchemaTable, SchemaColumn]], out: list[list[Candidate]], matcher: ColumnMatcher
) -> None:
    """An ``address`` (``postal_address``, ``primary_address``) read as the street is the whole address in one
    text when its table has no city, postal code or street of its own, or has the street in another column."""
    by_table: dict[str, list[int]] = {}
    for i, (table, _col) in enumerate(columns):
        by_table.setdefault(table.name, []).append(i)
    for indices in by_table.values():
        tops = {i: out[i][0] for i in indices if out[i] and out[i][0].confidence >= MIN_CONFIDENCE}
        plain = [i for i, c in tops.items() if c.attribute == "street_address" and _plain_address(columns[i][1].name)]
        if not plain:
            continue
        parts = {c.attribute for i, c in tops.items() if i not in plain}
        names = [name_tokens(columns[i][1].name) for i, c in tops.items() if c.attribute in _ADDRESS_PARTS_TOO]
        whole = matcher.match("full_address", columns[plain[0]][0].name, None, limit=1)
        if not whole or whole[0].attribute != "full_address":
            continue
        for i in plain:
            own = name_tokens(columns[i][1].name)
            if any(len(n) > len(own) and n[: len(own)] == own for n in names):
                why = "its parts are columns of their own"  # address beside address_locality, address_route
            elif "street_address" in parts:
                why = "beside the street in another column"
            elif not parts & _ADDRESS_PARTS:
                why = "no city or postal code"
            else:
                continue  # address beside city and postal code: the street
            top = out[i][0]
            found = replace(
                whole[0], confidence=top.confidence, reason=f"{top.reason}, the whole address in one text ({why})"
            )
            out[i] = [found, *(c for c in out[i] if c.attribute != "full_address")]


def _plain_address(name: str) -> bool:
    """``address``, ``postal_address``, ``primary_address``: an address that says no part of itself."""
    words = name_tokens(name)
    return bool(words) and words[-1] == "address" and all(w in QUALIFIERS for w in words[:-1])


def with_coverage(proposals: Sequence[Proposal], coverage: dict[tuple[str, str], float | None]) -> list[Proposal]:
    """The proposals with the measured coverage of their columns (``import db --profile``)."""
    return [replace(p, coverage=coverage.get((p.table, p.column), p.coverage)) for p in proposals]


# ------------------------------------------------------------------ the plan


class DecisionError(ValueError):
    """A decision names an attribute that neither the workshop nor the catalog has."""


def _catalog_entries() -> dict:
    from needsmap.catalog.entries import load_catalog

    return {e.id: e for e in load_catalog().entries}


def plan_holdings(
    ws: m.Workshop,
    proposals: Sequence[Proposal],
    *,
    system: str,
    source: str,
    system_name: str | None = None,
    notes: Iterable[str] = (),
) -> ImportPlan:
    """The plan of ``proposals`` for ``system``: accepted and mapped ones become holdings, the rest are listed.

    Raises :class:`DecisionError` when a decision names an attribute neither the workshop nor the catalog has.
    """
    return plan_holdings_by_table(ws, proposals, system=system, source=source, system_name=system_name, notes=notes)[0]


def plan_holdings_by_table(
    ws: m.Workshop,
    proposals: Sequence[Proposal],
    *,
    system: str,
    source: str,
    system_name: str | None = None,
    notes: Iterable[str] = (),
) -> tuple[ImportPlan, tuple[str | None, ...]]:
    """:func:`plan_holdings`, and the table each change of the plan is about (None: the system itself)."""
    builder = PlanBuilder(ws, source)
    tables_of: list[str | None] = []

    def mark(table: str | None) -> None:
        tables_of.extend([table] * (len(builder.changes) - len(tables_of)))

    builder.notes.extend(notes)
    attributes = {a.id for a in ws.attributes}
    catalog = _catalog_entries()
    for p in proposals:
        target = p.target
        if target is not None and target not in attributes and target not in catalog:
            raise DecisionError(f"{p.key}: '{target}' is neither an attribute of the workshop nor a catalog id")
    if builder.existing("systems", system) is None:
        builder.add("systems", m.System(id=system, name=system_name or system), Source(source), message="new system")
    mark(None)
    # one holding per attribute: the most confident column holds it, the others are named
    entities = {a.id: a.effective_entity for a in ws.attributes}
    chosen: dict[str, Proposal] = {}
    others: dict[str, list[Proposal]] = {}

    def rank(p: Proposal, target: str) -> tuple[int, int, float, int]:
        entity = entities.get(target) or (catalog[target].entity if target in catalog else None)
        table_entity = table_context(p.table)[1]
        about = table_entity == entity or (table_entity == "customer" and entity in _PERSON_ENTITIES)
        own_key = OWN_KEY_NOTE in p.reason  # the customer's key in its own table, not a reference to it elsewhere
        return (1 if p.decision.startswith("map:") else 0, own_key, round(p.confidence, 3), 1 if about else 0)

    for p in proposals:
        target = p.target
        if target is None:
            continue
        current = chosen.get(target)
        if current is None or rank(p, target) > rank(current, target):
            if current is not None:
                others.setdefault(target, []).append(current)
            chosen[target] = p
        else:
            others.setdefault(target, []).append(p)
    added_attrs: set[str] = set()
    previous: str | None = None
    for p in proposals:
        mark(previous)  # the changes the previous proposal made are about its table
        previous = p.table
        src = _source(p, source)
        target = p.target
        if target is None:
            if p.decision == "review":
                alts = [p.attribute or "", *(a for a, _ in p.alternatives)]
                builder.ambiguous(
                    "holdings",
                    f"{system}/{p.attribute}",
                    f"{p.key} -> {p.attribute}?",
                    src,
                    f"review: {p.attribute} ({confidence_text(p.confidence)}): {p.reason}",
                    [a for a in alts if a],
                )
            else:
                builder.skip(src, f"{p.key}: " + ("rejected" if p.attribute else p.reason), "holdings", p.key)
            continue
        if chosen[target] is not p:
            builder.skip(
                src, f"{p.key}: also holds {target}; the holding records {chosen[target].key}", "holdings", p.key
            )
            continue
        if target not in attributes and target not in added_attrs:
            builder.add("attributes", catalog[target].to_attribute(), src, message="from the reference catalog")
            added_attrs.add(target)
        also = [o.key for o in others.get(target, ())]
        confidence = 1.0 if p.decision.startswith("map:") else p.confidence
        # below 1 the preview already shows "confidence 0.99: reason" (import_plan.describe_item)
        how = (
            "mapped by a person"
            if p.decision.startswith("map:")
            else f"{confidence_text(p.confidence)}: {p.reason}"
            if confidence >= 1
            else ""
        )
        also_in = ", ".join(also[:_ALSO_SHOWN]) + (
            f" and {len(also) - _ALSO_SHOWN:,} more" if len(also) > _ALSO_SHOWN else ""
        )
        inverted = "inverted: the column holds the opposite" if p.inverted else ""
        message = "; ".join(part for part in (how, inverted, f"also in {also_in}" if also else "") if part)
        holding = m.Holding(attribute=target, field=p.key, coverage=p.coverage)
        builder.propose_holding(
            system,
            holding,
            src,
            confidence=confidence,
            reason=p.reason,
            label=f"{system} holds {target} ({p.key})",
            message=message,
        )
    mark(previous)
    return builder.plan(), tuple(tables_of)


def _source(p: Proposal, source: str) -> Source:
    at = p.at or source
    file, _, line = at.rpartition(":")
    if file and line.isdigit():
        return Source(file, row=int(line))
    return Source(f"{source} {p.table}" if p.at == p.table else at)


def counts(proposals: Sequence[Proposal]) -> dict[str, int]:
    """How many proposals are accepted, to review, rejected/unmatched."""
    out = {"accept": 0, "review": 0, "reject": 0, "map": 0}
    for p in proposals:
        out["map" if p.decision.startswith("map:") else p.decision] += 1
    return out


@dataclass(slots=True)
class SchemaImport:
    """What a schema import found: the proposals, the plan, and which tables were left out."""

    proposals: list[Proposal]
    plan: ImportPlan
    kept: list[SchemaTable]
    left_out: list[tuple[str, str]]
    notes: list[str]
    #: located warnings about the input (``FILE:LINE:COL: warning: ...``): statements skipped, limits reached
    warnings: list[str] = field(default_factory=list)
    #: the table each change of :attr:`plan` is about (None: the system), in the order of ``plan.changes``
    change_tables: tuple[str | None, ...] = ()

    def replan(self, ws: m.Workshop, proposals: list[Proposal], *, system: str) -> None:
        """Plan again with these proposals (decisions changed), with the same source and notes."""
        self.proposals = proposals
        self.plan, self.change_tables = plan_holdings_by_table(
            ws, proposals, system=system, source=self.plan.source, notes=self.plan.notes
        )

    def preview(self, max_tables: int = PREVIEW_TABLES, max_rows: int = PREVIEW_ROWS) -> tuple[ImportPlan, str]:
        """(the plan with the changes of the first ``max_tables`` kept tables only, a line saying what is not
        shown); the whole plan and "" when it is small.  Tables are shown while they add up to at most
        ``max_rows`` changes (the first table always)."""
        plan = self.plan
        if (len(plan.changes) <= max_rows and len(self.kept) <= max_tables) or len(self.change_tables) != len(
            plan.changes
        ):
            return plan, ""
        per_table = Counter(self.change_tables)
        rows = per_table[None]
        shown: set[str] = set()
        for table in self.kept:
            if len(shown) >= max_tables or (shown and rows + per_table[table.name] > max_rows):
                break
            shown.add(table.name)
            rows += per_table[table.name]
        hidden = [t for t in self.kept if t.name not in shown]
        if not hidden:
            return plan, ""
        kept_changes: list[Change] = []
        hidden_changes: list[Change] = []
        for change, about in zip(plan.changes, self.change_tables):
            (kept_changes if about is None or about in shown else hidden_changes).append(change)
        columns = sum(len(t.columns) for t in hidden)
        more = (
            f"... and {len(hidden):,} more tables ({columns:,} columns) not shown: "
            f"{summary(replace(plan, changes=tuple(hidden_changes)))}; "
            "--review FILE writes every proposal, --tables GLOB chooses the tables"
        )
        return replace(plan, changes=tuple(kept_changes)), more


def table_notes(kept: list[SchemaTable], left_out: list[tuple[str, str]], total: int) -> list[str]:
    notes = [
        f"{len(kept):,} of {total:,} tables kept: "
        + ", ".join(t.name for t in kept[:12])
        + (f" and {len(kept) - 12:,} more" if len(kept) > 12 else "")
    ]
    if left_out:
        shown = ", ".join(f"{name} ({why})" for name, why in left_out[:8])
        notes.append(
            f"left out: {shown}"
            + (f" and {len(left_out) - 8:,} more" if len(left_out) > 8 else "")
            + "; --tables GLOB chooses"
        )
    return notes


def plan_schema(
    ws: m.Workshop,
    tables: list[SchemaTable],
    *,
    system: str,
    source: str,
    where: str = "",
    include=(),
    exclude=(),
    accept_above: float = DEFAULT_ACCEPT_ABOVE,
    notes=(),
    matcher: ColumnMatcher | None = None,
    coverage=None,
) -> SchemaImport:
    """Choose tables, match their columns, and build the plan (shared by DDL and database imports)."""
    matcher = matcher or ColumnMatcher.for_workshop(ws)
    kept, left = select_tables(tables, matcher, include, exclude)
    proposals = propose(kept, matcher, accept_above=accept_above, where=where)
    if coverage is not None:
        proposals = with_coverage(proposals, coverage(kept, proposals))
    all_notes = [*notes, *table_notes(kept, left, len(tables))]
    plan, change_tables = plan_holdings_by_table(ws, proposals, system=system, source=source, notes=all_notes)
    return SchemaImport(proposals, plan, kept, left, all_notes, change_tables=change_tables)
