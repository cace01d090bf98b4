"""``needsmap diff`` output: rows for people (terminal, Markdown, the report's HTML) and JSON for machines.

Every string shown comes from a workshop and is untrusted: Markdown goes
through :func:`needsmap.util.text.markdown`, HTML through markupsafe escaping,
the terminal through :func:`needsmap.util.text.terminal` (by the caller).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from needsmap import __version__
from needsmap.analysis.engine import Gap
from needsmap.collab.diff import ADDED, CHANGED, REMOVED, Changes, FieldChange, ItemChange
from needsmap.collab.item_identity import plain
from needsmap.util import text as textsafe

#: Longest value shown in a table cell (the JSON output has everything).
MAX_CELL = 80
NOT_SET = "(not set)"
_STATUS_WORD = {None: "(none)", "ready": "ready", "at-risk": "at risk", "blocked": "blocked", "rejected": "rejected"}


@dataclass(frozen=True, slots=True)
class Row:
    change: str  # added | removed | changed
    id: str
    field: str
    before: str
    after: str


def section_title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def value_text(value) -> str:
    """A value on one line, shortened for a table cell."""
    if value is None:
        return NOT_SET
    text = _flat(plain(value))
    return textsafe.shorten(textsafe.one_line(text), MAX_CELL)


def _flat(data) -> str:
    if isinstance(data, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in data.items())
    if isinstance(data, list):
        return "[" + ", ".join(_flat(v) if not isinstance(v, dict) else "{" + _flat(v) + "}" for v in data) + "]"
    if isinstance(data, bool):
        return "true" if data else "false"
    return str(data)


def _field_rows(c: ItemChange, f: FieldChange) -> Row:
    ident = c.id or ""
    if (
        isinstance(f.old, list)
        and isinstance(f.new, list)
        and not any(dataclasses.is_dataclass(v) for v in [*f.old, *f.new])
    ):
        added = [v for v in f.new if v not in f.old]
        removed = [v for v in f.old if v not in f.new]
        if added or removed:
            parts = ([f"added {_flat(plain(added))[1:-1]}"] if added else []) + (
                [f"removed {_flat(plain(removed))[1:-1]}"] if removed else []
            )
            return Row(CHANGED, ident, f.path, value_text(f.old), "; ".join(parts))
    if f.path.endswith("]") and f.change != CHANGED:  # an element of a list of records, added or removed
        return Row(
            f.change,
            ident,
            f.path,
            "" if f.old is None else value_text(f.old),
            "" if f.new is None else value_text(f.new),
        )
    return Row(CHANGED, ident, f.path, value_text(f.old), value_text(f.new))


def rows(changes: Changes) -> list[tuple[str, list[Row]]]:
    """The item changes as table rows, by section: (section title, rows)."""
    out = []
    for section, items in changes.items.by_section().items():
        section_rows: list[Row] = []
        for c in items:
            if c.change == CHANGED or (c.id is None and c.fields):
                section_rows.extend(_field_rows(c, f) for f in c.fields)
            elif c.change == ADDED:
                section_rows.append(Row(ADDED, c.id or "", "", "", value_text(c.new)))
            else:
                section_rows.append(Row(REMOVED, c.id or "", "", value_text(c.old), ""))
        out.append((section_title(section), section_rows))
    return out


def gap_text(g: Gap) -> str:
    return f"{g.code} {g.severity}: {g.message}"


def summary(changes: Changes) -> str:
    n = changes.items.counts()
    a = changes.analysis
    if not changes:
        return "No changes."
    parts = [f"{n[ADDED]} added, {n[REMOVED]} removed, {n[CHANGED]} changed"]
    parts.append(
        f"gaps: {len(a.opened)} opened, {len(a.closed)} closed"
        + (f", {len(a.severity_changed)} changed severity" if a.severity_changed else "")
    )
    parts.append(f"readiness changed for {len(a.readiness)} use case{'' if len(a.readiness) == 1 else 's'}")
    return "; ".join(parts) + "."


def status_word(status: str | None) -> str:
    return _STATUS_WORD.get(status, status or "")


# -- Markdown ------------------------------------------------------------------------------------
def _md_table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(textsafe.markdown(cell) for cell in row) + " |" for row in body]
    return lines


def markdown(changes: Changes, heading_level: int = 2) -> str:
    """The changes as Markdown, for a pull request description or a wiki."""
    h = "#" * heading_level
    lines = [
        f"{h} Changes from {_md_code(changes.old_label)} to {_md_code(changes.new_label)}",
        "",
        summary(changes),
        "",
    ]
    for title, section_rows in rows(changes):
        lines += [f"{h}# {title}", ""]
        lines += _md_table(
            ["Change", "Id", "Field", "Before", "After"],
            [[r.change, r.id, r.field, r.before, r.after] for r in section_rows],
        )
        lines.append("")
    a = changes.analysis
    for title, gaps in (("Gaps opened", a.opened), ("Gaps closed", a.closed)):
        if gaps:
            lines += [f"{h}# {title}", ""]
            lines += _md_table(
                ["Code", "Severity", "Gap", "Use cases"],
                [[g.code, g.severity, g.message, ", ".join(g.use_cases)] for g in gaps],
            )
            lines.append("")
    if a.severity_changed:
        lines += [f"{h}# Gaps that changed severity", ""]
        lines += _md_table(
            ["Code", "Gap", "Before", "After"],
            [[new.code, new.message, old.severity, new.severity] for old, new in a.severity_changed],
        )
        lines.append("")
    if a.readiness:
        lines += [f"{h}# Readiness of use cases", ""]
        lines += _md_table(
            ["Use case", "Title", "Before", "After"],
            [[r.use_case, r.title, status_word(r.old), status_word(r.new)] for r in a.readiness],
        )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_code(label: str) -> str:
    return "`" + textsafe.one_line(label).replace("`", "'") + "`"


# -- JSON ----------------------------------------------------------------------------------------
def _change_dict(c: ItemChange) -> dict:
    out: dict = {"section": c.section, "id": c.id, "change": c.change}
    if c.fields:
        out["fields"] = [
            {
                "path": f.path,
                "change": f.change if f.path.endswith("]") else CHANGED,
                "old": plain(f.old),
                "new": plain(f.new),
            }
            for f in c.fields
        ]
    if c.change == ADDED:
        out["new"] = plain(c.new)
    elif c.change == REMOVED:
        out["old"] = plain(c.old)
    return out


def json_document(changes: Changes) -> dict:
    a = changes.analysis
    return {
        "needsmap_version": __version__,
        "old": changes.old_label,
        "new": changes.new_label,
        "summary": {
            **changes.items.counts(),
            "gaps_opened": len(a.opened),
            "gaps_closed": len(a.closed),
            "readiness_changed": len(a.readiness),
        },
        "changes": [_change_dict(c) for c in changes.items.changes],
        "analysis": {
            "gaps_opened": [g.as_dict() for g in a.opened],
            "gaps_closed": [g.as_dict() for g in a.closed],
            "severity_changed": [
                {
                    "code": new.code,
                    "rule": new.rule,
                    "message": new.message,
                    "subjects": [{"kind": k, "id": i} for k, i in new.subjects],
                    "old": old.severity,
                    "new": new.severity,
                }
                for old, new in a.severity_changed
            ],
            "readiness": [{"use_case": r.use_case, "title": r.title, "old": r.old, "new": r.new} for r in a.readiness],
            "gap_counts": {"old": a.counts_old, "new": a.counts_new},
            "readiness_counts": {"old": a.readiness_old, "new": a.readiness_new},
        },
    }
