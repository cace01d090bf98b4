"""Parts of the HTML report that are built in the browser only when a reader opens them.

A big part (a long table, a use case's details when there are many) is written inside a
``<template>`` element in a ``<details>`` element: the browser parses it but does not lay it out
or count it in the page, so a report of 400 use cases opens as fast as one of 40.  The report's
script (``report.js``) copies the template into the page the first time its ``<details>`` opens,
when a link points into it, or when the reader searches it with the filter box.

What stays in the page is always the part's title and size, so the contents, the summary and
every link work before anything is opened.  Without JavaScript the template cannot be opened:
a ``<noscript>`` note says so and points to the spreadsheet export.  On paper a part that was not
opened prints as its title and that note (the full print of an enterprise workshop would run to
hundreds of pages; ``--summary-only`` prints the summary alone).
"""

from __future__ import annotations

from markupsafe import Markup

#: A table with more rows than this is loaded on demand (the demo's tables all stay in the page).
LAZY_ROWS = 60
#: A matrix grid with more cells than this is loaded on demand.
LAZY_CELLS = 3_000
#: With more use cases than this, each use case's details are loaded when it is opened.
LAZY_USE_CASES = 40
#: A section listing more rows than this in all (the gap report, the owners) loads each of its tables on demand.
LAZY_SECTION_ROWS = 120
#: A kind of notes (ideas, risks...) with more notes than this is loaded on demand.
LAZY_NOTES = 25

NOSCRIPT = Markup(
    '<noscript><p class="empty">This part is built by the report\'s script, which is off in this browser; '
    "the spreadsheet export (needsmap report FILE -o report.xlsx) has every row.</p></noscript>"
)


def lazy_html(summary: Markup | str, body: Markup, size: int, *, rows: int = LAZY_ROWS) -> Markup:
    """``body`` folded under ``summary``: in a template loaded on opening when ``size`` exceeds ``rows``,
    else in the page (folded only when it is loaded on demand)."""
    if size <= rows:
        return body
    return Markup(
        '<details class="lazy" data-size="{}"><summary>{} <span class="muted small">({:,} rows: open to show)</span>'
        '</summary><template class="lazy">{}</template>{}</details><p class="print-note lazy-note">{}: {:,} rows, '
        "not printed unless opened in the browser before printing; the spreadsheet export has them all.</p>"
    ).format(size, summary, size, body, NOSCRIPT, summary, size)
