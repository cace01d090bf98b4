"""The report's "Changes since REV" section: what a diff of two workshop versions changed, as HTML and Markdown.

The rows and sentences come from :mod:`needsmap.collab.diff_output`, so the report says what
``needsmap diff`` says.  Every value is escaped.
"""

from __future__ import annotations

from markupsafe import Markup

from needsmap.collab.diff import Changes, compare
from needsmap.collab.diff_output import markdown, rows, status_word, summary
from needsmap.collab.git_revisions import Comparable
from needsmap.format import model as m
from needsmap.util import text as textsafe
from needsmap.util.text import MarkdownText


# -- HTML (the report's "Changes since" section) -----------------------------------------------
def _html_table(header: list[str], body: list[list[str]]) -> Markup:
    head = Markup("").join(Markup("<th>{}</th>").format(h) for h in header)
    trs = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(cell) for cell in row))
        for row in body
    )
    return Markup('<table class="data"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>').format(head, trs)


def html(changes: Changes) -> Markup:
    """The changes as an HTML fragment (every value escaped)."""
    parts = [Markup("<p>{}</p>").format(summary(changes))]
    for title, section_rows in rows(changes):
        parts.append(Markup("<h3>{}</h3>").format(title))
        parts.append(
            _html_table(
                ["Change", "Id", "Field", "Before", "After"],
                [[r.change, r.id, r.field, r.before, r.after] for r in section_rows],
            )
        )
    a = changes.analysis
    for title, gaps in (("Gaps opened", a.opened), ("Gaps closed", a.closed)):
        if gaps:
            parts.append(Markup("<h3>{}</h3>").format(title))
            parts.append(
                _html_table(
                    ["Code", "Severity", "Gap", "Use cases"],
                    [[g.code, g.severity, g.message, ", ".join(g.use_cases)] for g in gaps],
                )
            )
    if a.readiness:
        parts.append(Markup("<h3>Readiness of use cases</h3>"))
        parts.append(
            _html_table(
                ["Use case", "Title", "Before", "After"],
                [[r.use_case, r.title, status_word(r.old), status_word(r.new)] for r in a.readiness],
            )
        )
    return Markup("\n").join(parts)


def report_section(changes: Changes, since: str) -> dict:
    """An extra section for :func:`needsmap.report.render.build_report` ("Changes since REV")."""
    return {
        "id": "changes-since",
        "title": f"Changes since {textsafe.one_line(since)}",
        "html": html(changes),
        "markdown": MarkdownText(markdown(changes, heading_level=3).split("\n", 2)[2]),
    }


def changes_since(old: Comparable, ws: m.Workshop, label: str, since: str) -> dict:
    """The "Changes since REV" section: ``old`` (the file at revision ``since``) against ``ws`` (named ``label``)."""
    return report_section(compare(old.workshop, ws, old.label, label), since)
