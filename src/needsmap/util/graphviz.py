"""Graphviz for needsmap: the house style, labels made of untrusted text, and running ``dot``.

Every diagram (the report's landscape, identity and lineage diagrams, the model draft's
ER diagram) is a :class:`Diagram` holding DOT source.  :func:`render_svg` runs Graphviz's
``dot`` on it and returns SVG to inline in an HTML page, or a message for the reader saying
why there is none; it never raises, and a slow ``dot`` is stopped after a timeout.

**Untrusted text.**  Labels are Graphviz HTML-like labels built from text passed through
:func:`html_text`, which makes control characters visible, folds the text onto one line,
shortens it with an ellipsis and escapes ``& < > " '`` and backslashes (Graphviz expands
``\\N``, ``\\G``... even in HTML-like labels).
"""

from __future__ import annotations

import functools
import html as _html
import os
import re
import shutil
import subprocess
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_quoteattr

from needsmap.util.text import one_line, shorten, terminal, xml_safe

#: Longest label line, in characters; longer text ends in an ellipsis (full text in the tooltip).
LABEL_MAX = 38
DEFAULT_TIMEOUT = 10.0

INSTALL_HELP = (
    "Graphviz is not installed (the 'dot' program was not found), so this diagram could not be drawn. "
    "Install Graphviz and create the report again: 'sudo apt-get install graphviz' on Debian or Ubuntu, "
    "'brew install graphviz' on macOS, or see https://graphviz.org/download/ for Windows and other systems."
)

# -- house style ------------------------------------------------------------------------
FONT = "Helvetica,Arial,sans-serif"
#: Font sizes in points: names, and the smaller lines (kind, supplier, edge labels, legend).  Diagrams are
#: shown scaled to the page width, so these are a little larger than print sizes.
FONT_SIZE = 12
SMALL_SIZE = 10
INK = "#333333"
MUTED = "#666666"


# -- results -----------------------------------------------------------------------------
@dataclass(slots=True)
class Diagram:
    """A diagram ready to render.

    ``title`` is plain text (it may quote workshop text: escape it where it goes);
    ``note`` says in plain words what was aggregated or left out ("" when nothing was).
    ``tooltips`` maps generated node ids (and ``"n1->n2"`` edges) to the full text shown
    on hover in the SVG; :func:`render_svg` escapes it.
    """

    name: str
    title: str
    dot: str
    note: str = ""
    aggregated: bool = False
    tooltips: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class RenderResult:
    """SVG ready to inline in HTML, or why there is none (a message for the reader)."""

    svg: str | None
    error: str | None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.svg is not None


# -- text ----------------------------------------------------------------------------------


def clean_text(text: object, limit: int | None = LABEL_MAX) -> str:
    """One line of printable text: whitespace folded, control characters shown as ``\\x1b``, shortened."""
    out = xml_safe(terminal(one_line(str(text))))
    return shorten(out, limit) if limit else out


def html_text(text: object, limit: int | None = LABEL_MAX) -> str:
    """Untrusted text made safe inside a Graphviz HTML-like label."""
    t = clean_text(text, limit)
    return (
        t.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\\", "\\\\")
    )


def html_wrap(text: object, width: int = 20, max_lines: int = 2) -> str:
    """Untrusted text on up to ``max_lines`` balanced lines of at most about ``width`` characters, escaped."""
    t = clean_text(text, None)
    if len(t) <= width:
        return html_text(t, None)
    lines: list[str] = []
    for w in range(max(8, -(-len(t) // max_lines)), width + 1):  # the narrowest width that fits
        lines = textwrap.wrap(t, w, break_long_words=True, break_on_hyphens=True)
        if len(lines) <= max_lines:
            break
    else:
        lines = textwrap.wrap(t, width, break_long_words=True, break_on_hyphens=True)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = shorten(last + " ", width) if len(last) >= width else last.rstrip() + "\u2026"
    return "<BR/>".join(html_text(line, None) for line in lines)


# -- rendering ---------------------------------------------------------------------------------
def find_dot() -> str | None:
    """Path of Graphviz's ``dot`` on the current PATH, or None."""
    return shutil.which("dot")


@functools.lru_cache(maxsize=1)
def dot_available() -> bool:
    """Whether ``dot`` can be found (cached: call ``dot_available.cache_clear()`` to look again)."""
    return find_dot() is not None


def render_svg(diagram: Diagram, timeout: float = DEFAULT_TIMEOUT) -> RenderResult:
    """Render with ``dot -Tsvg``: SVG to inline in HTML, or an error message. Never raises."""
    exe = find_dot()
    if exe is None:
        return RenderResult(None, INSTALL_HELP)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [exe, "-Tsvg"], input=diagram.dot.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return RenderResult(
            None,
            f"Graphviz took longer than {timeout:g} s to draw this diagram, so it was left "
            "out; the tables of the report hold the same facts.",
            time.perf_counter() - start,
        )
    except OSError as exc:
        return RenderResult(
            None,
            f"Graphviz's 'dot' could not be started ({clean_text(exc, 200)}); reinstall "
            "Graphviz (https://graphviz.org/download/) and create the report again.",
            time.perf_counter() - start,
        )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        detail = clean_text(proc.stderr.decode("utf-8", "replace"), 300) or f"exit status {proc.returncode}"
        return RenderResult(None, f"Graphviz could not draw this diagram: {detail}", seconds)
    try:
        svg = inline_svg(proc.stdout.decode("utf-8", "replace"), diagram)
    except Exception as exc:  # any failure: a report must never fail on a diagram
        return RenderResult(None, f"Graphviz's output could not be read: {clean_text(exc, 200)}", seconds)
    return RenderResult(svg, None, seconds)


def render_all(
    diagrams: list[Diagram], timeout: float = DEFAULT_TIMEOUT, workers: int | None = None
) -> list[RenderResult]:
    """:func:`render_svg` for each diagram, several ``dot`` processes at a time (one per CPU by default)."""
    if not diagrams:
        return []
    workers = workers or min(len(diagrams), os.cpu_count() or 1)
    if workers <= 1:
        return [render_svg(d, timeout) for d in diagrams]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda d: render_svg(d, timeout), diagrams))


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
_ROOT = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_ID = re.compile(r'(<[^<>]*?\s)(id|href|xlink:href)="(#?)')


def inline_svg(raw: str, diagram: Diagram) -> str:
    """Graphviz's SVG made fit for inlining: no prolog, responsive, ids prefixed, tooltips with full text."""
    svg = _PROLOG.sub("", raw).strip()
    prefix = "nm-" + re.sub(r"[^A-Za-z0-9_-]+", "-", diagram.name)[:60] + "-"
    svg = _ID.sub(lambda mt: f'{mt.group(1)}{mt.group(2)}="{mt.group(3)}{prefix}', svg)
    first = True

    def title(mt: re.Match[str]) -> str:
        nonlocal first
        if first:
            first = False
            return f"<title>{_xml_escape(clean_text(diagram.title, 200))}</title>"
        key = _html.unescape(mt.group(1))
        tip = diagram.tooltips.get(key)
        return f"<title>{_xml_escape(tip)}</title>" if tip else ""

    svg = _TITLE.sub(title, svg)
    label = _xml_quoteattr(clean_text(diagram.title, 200))
    svg = _ROOT.sub(
        lambda mt: (
            f'<svg width="100%" style="max-width:{mt.group(1)}pt;height:auto" '
            f'class="needsmap-diagram" role="img" aria-label={label}'
        ),
        svg,
        count=1,
    )
    return svg
