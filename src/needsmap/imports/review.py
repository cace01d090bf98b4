"""The review file of a schema import: one entry per column, a decision each, applied later.

``needsmap import ddl|db ... --review REVIEW.yaml`` writes it
(:func:`write_review`); a person edits the decisions (or uses the terminal
UI's review screen) and ``needsmap import apply REVIEW.yaml`` applies it
(:func:`read_review`, then :func:`plan_review`, which goes through
:func:`needsmap.imports.schema.plan_holdings` like the import itself).

.. code-block:: yaml

    review: 1
    source: schema.sql              # what was read (a database URL never has its password)
    system: crm                     # the system that holds the columns
    into: workshop.yaml             # the workshop the decisions are applied to
    accept_above: 0.9
    proposals:
    - column: customer.first_name
      type: varchar(100)
      at: schema.sql:12
      proposed: first_name          # the attribute id (workshop or catalog); null: nothing close
      confidence: 0.99
      reason: spelling 'first_name'
      alternatives: [full_name 0.70]
      decision: accept              # accept | reject | review | map:<attribute id>

``review`` means "not decided yet": such entries are left out (and counted)
when the file is applied.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from needsmap.format import model as m
from needsmap.format.spec import ID_PATTERN
from needsmap.imports.column_evidence import confidence_text
from needsmap.imports.plan import ImportPlan
from needsmap.imports.schema import DecisionError, Proposal, SchemaError, plan_holdings

REVIEW_VERSION = 1
_ID_RE = re.compile(ID_PATTERN)
_ALT_RE = re.compile(r"^\s*(\S+)\s+([0-9.]+)\s*$")
MAX_BYTES = 32 * 1024 * 1024
#: libyaml's safe loader and dumper when PyYAML has them (the same YAML, three times faster on the tens of
#: thousands of entries of a large schema), else PyYAML's own.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_HEADER = """\
# needsmap import review file: one entry per column, with the attribute proposed for it.
# Set each 'decision' and apply with: needsmap import apply {name}
#   accept            the column holds the proposed attribute
#   reject            it holds no attribute of the workshop (it is left out)
#   map:<attribute>   it holds another attribute (an id of the workshop or of the catalog)
#   review            not decided yet (left out when applied)
# Proposals at or above accept_above were accepted automatically; change them if they are wrong.
"""


class ReviewError(SchemaError):
    """The review file cannot be used; the message is located (``FILE:LINE: error: ...``)."""


@dataclass(frozen=True, slots=True)
class Review:
    source: str
    system: str
    into: str | None
    accept_above: float
    proposals: tuple[Proposal, ...]
    lines: dict[str, int]  # table.column -> line of its entry

    def undecided(self) -> int:
        return sum(1 for p in self.proposals if p.decision == "review")


# ------------------------------------------------------------------ writing


def _entry(p: Proposal) -> dict:
    out: dict = {
        "column": p.key,
        "type": p.sql_type,
        "at": p.at,
        "proposed": p.attribute,
        "confidence": round(float(p.confidence), 3),
        "reason": p.reason,
    }
    if p.inverted:
        out["inverted"] = True  # the column holds the opposite of the attribute (do_not_call)
    if p.alternatives:
        out["alternatives"] = [f"{a} {confidence_text(c)}" for a, c in p.alternatives]
    if p.coverage is not None:
        out["coverage"] = round(float(p.coverage), 4)
    out["decision"] = p.decision
    return out


def review_text(
    proposals: list[Proposal] | tuple[Proposal, ...],
    *,
    source: str,
    system: str,
    into: str | None,
    accept_above: float,
    name: str = "REVIEW.yaml",
) -> str:
    doc = {
        "review": REVIEW_VERSION,
        "source": source,
        "system": system,
        "into": into,
        "accept_above": accept_above,
        "proposals": [_entry(p) for p in proposals],
    }
    body = yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return _HEADER.format(name=name) + body


def write_review(path: Path, proposals, *, source: str, system: str, into: str | None, accept_above: float) -> None:
    """Write the review file atomically (``source`` must already be safe to show: no password)."""
    from needsmap.util.atomic_write import write_text_atomically

    write_text_atomically(
        path,
        review_text(
            list(proposals), source=source, system=system, into=into, accept_above=accept_above, name=path.name
        ),
    )


def with_decision(review: Review, key: str, decision: str) -> Review:
    """The review with the entry ``key`` (table.column) decided as ``decision``."""
    from dataclasses import replace

    check_decision(decision)
    return replace(
        review, proposals=tuple(replace(p, decision=decision) if p.key == key else p for p in review.proposals)
    )


def save_review(path: Path, review: Review) -> None:
    write_review(
        path,
        review.proposals,
        source=review.source,
        system=review.system,
        into=review.into,
        accept_above=review.accept_above,
    )


# ------------------------------------------------------------------ reading


class _LineLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """Safe YAML whose mappings remember the line they start on (under the key ``__line__``)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def check_decision(decision: str) -> None:
    if decision in ("accept", "reject", "review"):
        return
    if decision.startswith("map:") and _ID_RE.match(decision[4:].strip()):
        return
    raise ValueError(f"decision '{decision}' is not one of accept, reject, review, map:<attribute id>")


def read_review(path: Path) -> Review:
    """The review file ``path``; raises :class:`ReviewError` with every problem located."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReviewError(f"{path}: error: too large for a review file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(f"{path}: error: no such file") from None
    except IsADirectoryError:
        raise ReviewError(f"{path}: error: is a folder, not a review file") from None
    except OSError as exc:
        raise ReviewError(f"{path}: error: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192]:
        raise ReviewError(f"{path}: error: this is a binary file, not a review file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReviewError(f"{path}: error: not UTF-8 text") from None
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ReviewError(f"{where}: error: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise ReviewError(f"{path}: error: nested too deeply") from None
    if not isinstance(doc, dict) or "proposals" not in doc:
        raise ReviewError(
            f"{path}: error: not a needsmap review file (no 'proposals'; "
            f"write one with: needsmap import ddl ... --review {path.name})"
        )
    problems: list[str] = []

    def bad(line: int | None, message: str) -> None:
        problems.append(f"{path}:{line or 1}: error: {message}")

    top = doc.get("__line__", 1)
    if doc.get("review") != REVIEW_VERSION:
        bad(top, f"'review: {REVIEW_VERSION}' expected (this needsmap reads review files of version 1)")
    system = doc.get("system")
    if not isinstance(system, str) or not _ID_RE.match(system):
        bad(top, "'system' must be the id of the system that holds the columns")
        system = ""  # never used: the problem is raised below
    into = doc.get("into")
    if into is not None and not isinstance(into, str):
        bad(top, "'into' must be the workshop file")
    source = doc.get("source")
    accept_above = doc.get("accept_above", 0.9)
    if not _number(accept_above):
        bad(top, "'accept_above' must be a number from 0 to 1")
        accept_above = 0.9
    entries = doc.get("proposals")
    if not isinstance(entries, list):
        bad(top, "'proposals' must be a list")
        entries = []
    proposals: list[Proposal] = []
    lines: dict[str, int] = {}
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            bad(top, f"proposal {n} must be a mapping (column, proposed, decision)")
            continue
        line: int = entry["__line__"]  # _LineLoader puts it in every mapping
        column = entry.get("column")
        if not isinstance(column, str) or "." not in column.strip("."):
            bad(line, "'column' must be TABLE.COLUMN")
            continue
        table, _, name = column.rpartition(".")
        decision = entry.get("decision")
        if not isinstance(decision, str):
            bad(line, f"{column}: 'decision' is missing (accept, reject, review or map:<attribute id>)")
            continue
        decision = decision.strip()
        try:
            check_decision(decision)
        except ValueError as exc:
            bad(line, f"{column}: {exc}")
            continue
        proposed = entry.get("proposed")
        if proposed is not None and (not isinstance(proposed, str) or not _ID_RE.match(proposed)):
            bad(line, f"{column}: 'proposed' must be an attribute id or null")
            continue
        if decision == "accept" and proposed is None:
            bad(line, f"{column}: nothing was proposed to accept; use map:<attribute id> or reject")
            continue
        confidence = entry.get("confidence", 0.0)
        coverage = entry.get("coverage")
        if not _number(confidence):
            bad(line, f"{column}: 'confidence' must be a number from 0 to 1")
            continue
        if coverage is not None and not _number(coverage):
            bad(line, f"{column}: 'coverage' must be a number from 0 to 1")
            continue
        if column in lines:
            bad(line, f"{column}: listed twice (first on line {lines[column]})")
            continue
        lines[column] = line
        proposals.append(
            Proposal(
                table,
                name,
                _str(entry.get("type")),
                proposed,
                float(confidence),
                _str(entry.get("reason")) or "",
                decision,
                _alternatives(entry.get("alternatives")),
                _str(entry.get("at")) or "",
                None if coverage is None else float(coverage),
                inverted=entry.get("inverted") is True,
            )
        )
    if problems:
        raise ReviewError("\n".join(problems))
    return Review(_str(source) or str(path), system, into, float(accept_above), tuple(proposals), lines)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1


def _str(value) -> str | None:
    return None if value is None else str(value)


def _alternatives(value) -> tuple[tuple[str, float], ...]:
    out = []
    for item in value if isinstance(value, list) else ():
        match = _ALT_RE.match(str(item))
        if match:
            try:
                out.append((match.group(1), float(match.group(2))))
            except ValueError:
                continue
    return tuple(out)


def plan_review(ws: m.Workshop, review: Review, path: Path) -> ImportPlan:
    """The plan of the review's decisions against ``ws``; raises :class:`ReviewError` for unknown attributes."""
    notes = [f"review of {review.source}: " + ", ".join(f"{n} {what}" for what, n in _decided(review).items() if n)]
    if review.undecided():
        notes.append(f"{review.undecided()} proposal(s) still marked 'review' are left out")
    try:
        return plan_holdings(ws, review.proposals, system=review.system, source=str(path), notes=notes)
    except DecisionError as exc:
        key = str(exc).split(":", 1)[0]
        raise ReviewError(f"{path}:{review.lines.get(key, 1)}: error: {exc}") from None


def _decided(review: Review) -> dict[str, int]:
    out = {"accepted": 0, "mapped": 0, "rejected": 0, "to review": 0}
    for p in review.proposals:
        if p.decision == "accept":
            out["accepted"] += 1
        elif p.decision.startswith("map:"):
            out["mapped"] += 1
        elif p.decision == "reject":
            out["rejected"] += 1
        else:
            out["to review"] += 1
    return out
