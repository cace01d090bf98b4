"""The report engine: a :class:`~needsmap.report.context.ReportContext` laid out by Jinja2 templates.

``build_report`` is the one call the CLI makes: it builds the context, draws
the Graphviz diagrams and the SVG charts, and renders HTML or Markdown.
``render_html`` and ``render_markdown`` lay out a context that is already
built (tests, other front ends).

Templates
---------
The default templates live in the repository's top-level ``templates/``
folder, shipped in the wheel as ``needsmap/templates``.  A user folder passed
as ``templates`` comes first: any file in it replaces the default of the same
name, every other file falls back to the default.  Each template gets exactly
one variable, ``ctx`` (the report context); the helpers are:

* ``inline(name)``: a file of the template folders verbatim (report.css, report.js);
* filters ``paragraphs`` (text split at blank lines), ``dom_id``, ``number``,
  ``pct``, ``filled_cells`` (a matrix as a list of its filled cells),
  ``trusted_svg`` (our diagrams and charts), ``trusted_html`` (an extra
  section's html), ``csp_hash`` (HTML); ``md_code`` (Markdown);
* globals ``first_screen``, ``chart_use_cases(ctx)``, ``option_anchor(id)``,
  ``rule_titles`` (rule slug to its title), ``lazy_noscript``,
  ``quality_css()``, ``matrix_grid_limit``, ``filter_rows``,
  ``max_chart_rows``, ``unfolded_use_cases`` (the thresholds below), and
  ``lazy_rows``, ``lazy_cells``, ``lazy_use_cases``, ``lazy_section_rows``, ``lazy_notes`` (:mod:`needsmap.report.lazy`:
  parts bigger than these are built in the browser when opened).

``ctx.extra_sections`` (added by later features: model draft, roadmap, changes)
is a list of dicts with ``id``, ``title`` and ``html`` (a :class:`markupsafe.Markup`
built by needsmap; a plain string is shown as text) and/or ``markdown`` (a
:class:`MarkdownText`; a plain string is escaped).  They come after the notes,
before the appendix, and are listed in the contents.

Safety
------
Every string in the context is untrusted workshop text.  HTML templates are
rendered with autoescape; the only markup that is marked safe is the inline
SVG our own code drew (diagrams and charts, built from escaped text) and an
extra section's ``html`` when it is a :class:`markupsafe.Markup`.  Markdown
templates escape every ``{{ ... }}`` output with :func:`needsmap.util.text.markdown`
(through Jinja2's ``finalize``), except values of :class:`MarkdownText`, which
mark Markdown our own code produced.  Workshop text is never compiled as a
template, so ``{{ 7*7 }}`` in a name stays literal.  Undefined variables raise
(``StrictUndefined``) as :class:`ReportTemplateError` with the template and line.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from needsmap.analysis.engine import UNSCORED_VALUE, Analysis
from needsmap.analysis.rules import RULES
from needsmap.format import model as m
from needsmap.report import charts as svgcharts
from needsmap.report import diagrams as dg
from needsmap.report import lazy
from needsmap.report.context import FIRST_SCREEN, DiagramView, Matrix, ReportContext, build_context
from needsmap.report.sections.draft import model_section
from needsmap.report.sections.roadmap import option_anchor, report_section
from needsmap.roadmap.engine import RoadmapError, build_roadmap
from needsmap.util import graphviz
from needsmap.util import text as textsafe
from needsmap.util.text import MarkdownText

HTML_TEMPLATE = "report.html.j2"
MARKDOWN_TEMPLATE = "report.md.j2"
FORMATS = ("html", "md")

#: Lineage diagrams: one per use case when there are at most this many in
#: scope, else for the ones with the highest value.
MAX_LINEAGE_DIAGRAMS = 12
#: A matrix with more cells than this is shown as a list of its filled cells.
MATRIX_GRID_LIMIT = 20_000
#: The per-use-case readiness chart shows every blocked use case and, up to this many rows, the most valuable others.
MAX_CHART_ROWS = 30
#: With more use cases than this, the HTML folds each use case's section to its title.
UNFOLDED_USE_CASES = 40
#: Tables with more rows than this get a filter box and sortable columns.
FILTER_ROWS = 30


#: Template names starting with this and a colon are needsmap's defaults, even when a user folder has the same name.
DEFAULT_PREFIX = "default"


class ReportTemplateError(Exception):
    """A template could not be found, parsed or rendered.

    ``template`` is the template's name (or file), ``line`` its line (or None).
    """

    def __init__(self, template: str, line: int | None, message: str) -> None:
        self.template = template
        self.line = line
        self.message = message
        where = f"{template}, line {line}" if line else template
        super().__init__(f"{where}: {message}")


# ----------------------------------------------------------------------------- templates


def default_templates_dir() -> Path:
    """needsmap's own report templates: ``needsmap/templates`` inside the package.

    One way for every install: a wheel ships the top-level ``templates/`` folder there, and in
    a source checkout (an editable install) ``src/needsmap/templates`` is a link to that folder.
    """
    shipped = Path(str(files("needsmap") / "templates"))
    if not shipped.is_dir():
        raise ReportTemplateError(
            str(shipped), None, "needsmap's default report templates are missing: reinstall needsmap"
        )
    return shipped


def _check_user_dir(templates: Path | None) -> Path | None:
    if templates is None:
        return None
    path = Path(templates)
    if not path.is_dir():
        raise ReportTemplateError(str(path), None, "this templates folder does not exist (or is not a folder)")
    return path.resolve()


def _md_finalize(value: object) -> Markup:
    """Every ``{{ ... }}`` of a Markdown template: escaped for Markdown unless our code made it.

    The Markdown environment runs with autoescape on only so that Jinja2 marks what templates
    themselves produce (macro output) as :class:`~markupsafe.Markup`; this function turns every
    other value into Markdown-escaped text, so HTML escaping never happens to it.
    """
    if value is None:
        return Markup("")
    if isinstance(value, (Markup, MarkdownText)):
        return Markup(value)
    return Markup(textsafe.markdown(str(value)))


def _html_finalize(value: object) -> object:
    """Every ``{{ ... }}`` of an HTML template: control characters (bidi overrides...) made visible."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return textsafe.terminal(value)
    return value


#: What both template environments share: a missing variable is an error; block tags take no lines of their own.
_JINJA_OPTIONS: dict[str, Any] = {"undefined": jinja2.StrictUndefined, "trim_blocks": True, "lstrip_blocks": True}


@lru_cache(maxsize=16)
def _environment(user_dir: str | None, kind: str) -> jinja2.Environment:
    default = jinja2.FileSystemLoader(str(default_templates_dir()))
    # "default:NAME" is always needsmap's own NAME, so a user's template can extend the default
    # of the same name ({% extends "default:report.html.j2" %}) and change only some blocks.
    loaders: list[jinja2.BaseLoader] = [jinja2.PrefixLoader({DEFAULT_PREFIX: default}, delimiter=":")]
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(default)
    loader = jinja2.ChoiceLoader(loaders)
    if kind == "html":
        autoescape = jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "htm.j2", "svg.j2"),
            default_for_string=True,
            default=True,
        )
        env = jinja2.Environment(loader=loader, autoescape=autoescape, finalize=_html_finalize, **_JINJA_OPTIONS)
    else:
        env = jinja2.Environment(
            loader=loader, autoescape=True, finalize=_md_finalize, keep_trailing_newline=True, **_JINJA_OPTIONS
        )
        env.filters["md_code"] = _md_code
    env.filters["filled_cells"] = filled_cells
    env.filters["paragraphs"] = paragraphs
    env.filters["pct"] = lambda share: f"{round(100 * float(share))}%"
    env.filters["number"] = lambda n: f"{int(n):,}"
    env.filters["dom_id"] = dom_id
    env.filters["trusted_svg"] = _trusted_svg
    env.filters["trusted_html"] = _trusted_html
    env.filters["csp_hash"] = _csp_hash
    env.globals["inline"] = _inline_asset(env, loader)
    env.globals["quality_css"] = quality_css
    env.globals["matrix_grid_limit"] = MATRIX_GRID_LIMIT
    env.globals["filter_rows"] = FILTER_ROWS
    env.globals["max_chart_rows"] = MAX_CHART_ROWS
    env.globals["unfolded_use_cases"] = UNFOLDED_USE_CASES
    env.globals["lazy_rows"] = lazy.LAZY_ROWS
    env.globals["lazy_cells"] = lazy.LAZY_CELLS
    env.globals["lazy_use_cases"] = lazy.LAZY_USE_CASES
    env.globals["lazy_noscript"] = lazy.NOSCRIPT
    env.globals["lazy_section_rows"] = lazy.LAZY_SECTION_ROWS
    env.globals["lazy_notes"] = lazy.LAZY_NOTES
    env.globals["first_screen"] = FIRST_SCREEN
    env.globals["chart_use_cases"] = chart_use_cases
    env.globals["option_anchor"] = option_anchor
    env.globals["rule_titles"] = {slug: rule.title for slug, rule in RULES.items()}
    return env


def _inline_asset(env: jinja2.Environment, loader: jinja2.BaseLoader) -> Callable[[str], Markup]:
    """``inline("report.css")``: a template folder's file, verbatim (user folder first), for <style>/<script>."""

    def inline(name: str) -> Markup:
        try:
            source, _, _ = loader.get_source(env, name)
        except jinja2.TemplateNotFound as exc:
            raise ReportTemplateError(name, None, "no such file in the templates folders") from exc
        # Our own or the user's file, not workshop text; only guard against closing its element early.
        source = re.sub(r"</(style|script)", r"<\\/\1", source, flags=re.IGNORECASE)
        return Markup(source)

    return inline


def _csp_hash(text: str) -> str:
    """A Content-Security-Policy source for one inline script: only our own script may run."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _md_code(value: object) -> MarkdownText:
    """Workshop text as inline code (ids, file names): a fence longer than any run of backticks in it."""
    text = textsafe.terminal(textsafe.one_line(str(value))).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return MarkdownText(f"{fence}{pad}{text}{pad}{fence}")


_SVG_START = re.compile(r"<svg[\s>]", re.IGNORECASE)


def _trusted_svg(svg: str | None) -> Markup:
    """Inline SVG drawn by needsmap (diagrams, charts) from escaped text; XML prolog and DOCTYPE dropped."""
    if not svg:
        return Markup("")
    found = _SVG_START.search(svg)
    return Markup(svg[found.start() :] if found else "")


def _trusted_html(value: object) -> Markup:
    """An extra section's html: kept only when our code marked it safe (Markup); plain text is escaped."""
    if isinstance(value, Markup):
        return value
    return Markup.escape("" if value is None else str(value))


def paragraphs(text: str | None) -> list[str]:
    """Text in paragraphs: blank lines separate them, single line breaks (YAML folding) become spaces."""
    if not text:
        return []
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", str(text)) if block.strip()]


def dom_id(value: str) -> str:
    """A workshop id as part of an HTML id attribute (ids are slugs already; this keeps it so)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", value)


def filled_cells(matrix: Matrix) -> Iterator[tuple[str, str, str, str, str]]:
    """A matrix as a list: (row label, column id, column label, cell, style) of every non-empty cell."""
    for (_, row_label), cells, styles in zip(matrix.rows, matrix.cells, matrix.styles, strict=True):
        for (col_id, col_label), cell, style in zip(matrix.columns, cells, styles, strict=True):
            if cell:
                yield row_label, col_id, col_label, cell, style


def _render(ctx: ReportContext, templates: Path | None, kind: str, name: str) -> str:
    user_dir = _check_user_dir(templates)
    env = _environment(str(user_dir) if user_dir else None, kind)
    try:
        template = env.get_template(name)
        return template.render(ctx=ctx)
    except ReportTemplateError:
        raise
    except jinja2.TemplateNotFound as exc:
        # an include of an undefined variable is named by the Undefined itself, which raises when asked its truth
        missing = exc.name if isinstance(exc.name, str) and exc.name else name
        raise ReportTemplateError(missing, None, "template not found in the templates folders") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ReportTemplateError(exc.filename or exc.name or name, exc.lineno, exc.message or str(exc)) from exc
    except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
        template_file, line = _template_frame(exc)
        if template_file is None:
            raise
        return _raise_located(exc, template_file, line)


def _raise_located(exc: BaseException, template_file: str, line: int | None) -> str:
    message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, jinja2.UndefinedError):
        message += " (a template sees only `ctx`; its fields are those of needsmap.report.context.ReportContext)"
    raise ReportTemplateError(template_file, line, message) from exc


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template frame of a rendering error (Jinja2 rewrites tracebacks to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if tb.tb_frame.f_globals.get("__jinja_exception__") is not None or filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_html(ctx: ReportContext, templates: Path | None = None) -> str:
    """The HTML report of ``ctx``: one self-contained file.

    Raises :class:`ReportTemplateError` when a template is missing, has a syntax
    error, or uses a variable or attribute that does not exist.
    """
    return _render(ctx, templates, "html", HTML_TEMPLATE)


def render_markdown(ctx: ReportContext, templates: Path | None = None) -> str:
    """The Markdown report of ``ctx`` (GitHub-flavoured tables); errors as for :func:`render_html`."""
    return _tidy_markdown(_render(ctx, templates, "md", MARKDOWN_TEMPLATE))


def _tidy_markdown(text: str) -> str:
    """At most one blank line in a row (outside fenced code), one newline at the end."""
    out: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip() if not fenced else line)
    return "\n".join(out).strip("\n") + "\n"


# ----------------------------------------------------------------------------- diagrams and charts


def lineage_scope(ws: m.Workshop, use_case_ids: list[str] | None = None) -> tuple[list[str], str]:
    """The use cases that get a lineage diagram, and a sentence saying which."""
    ucs = [
        u for u in ws.use_cases if u.status != "rejected" and u.needs and (use_case_ids is None or u.id in use_case_ids)
    ]
    if len(ucs) <= MAX_LINEAGE_DIAGRAMS:
        return [u.id for u in ucs], ""
    ranked = sorted(ucs, key=lambda u: (-(u.value if u.value is not None else UNSCORED_VALUE), u.id))
    chosen = [u.id for u in ranked[:MAX_LINEAGE_DIAGRAMS]]
    return chosen, (
        f"Lineage diagrams are drawn for the {MAX_LINEAGE_DIAGRAMS} most valuable of the {len(ucs)} "
        "use cases with needs; every use case's section lists its needs and where they come from."
    )


def add_visuals(
    ctx: ReportContext,
    ws: m.Workshop,
    analysis: Analysis,
    *,
    diagrams: bool = True,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Fill ``ctx.charts``, ``ctx.diagrams`` and ``ctx.diagrams_note`` (Graphviz runs in parallel)."""
    say = progress or (lambda _msg: None)
    say("Drawing the charts")
    _add_charts(ctx)
    if not diagrams:
        ctx.diagrams_note = "Diagrams were left out of this report (--no-diagrams)."
        return
    sources = []
    if ctx.for_stakeholder is None:
        say("Drawing the system landscape")
        sources.append(dg.landscape_dot(ws, analysis))
        say("Drawing the identity graph")
        sources.append(dg.identity_dot(ws, analysis))
        scope, note = lineage_scope(ws)
    else:
        scope, note = lineage_scope(ws, [u.id for u in ctx.use_cases])
    if scope:
        say(f"Drawing the lineage of {len(scope)} use case{'s' if len(scope) != 1 else ''}")
    lineage_of = {}
    for uid in scope:
        d = dg.lineage_dot(ws, analysis, uid)
        lineage_of[d.name] = uid
        sources.append(d)
    ctx.diagrams_note = note
    if not sources:
        return
    if not graphviz.dot_available():
        missing = graphviz.INSTALL_HELP
        views = [DiagramView(d.name, d.title, None, missing) for d in sources]
    else:
        say(f"Running Graphviz on {len(sources)} diagram{'s' if len(sources) != 1 else ''}")
        workers = max(1, min(len(sources), os.cpu_count() or 2, 8))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(graphviz.render_svg, sources))
        views = []
        for d, r in zip(sources, results, strict=True):
            if r.svg:
                views.append(DiagramView(d.name, d.title, r.svg, d.note or ""))
            else:
                reason = r.error or "Graphviz could not draw it."
                views.append(DiagramView(d.name, d.title, None, reason))
    ctx.diagrams = views
    ctx.lineage = {lineage_of[v.name]: v for v in views if v.name in lineage_of}


def chart_use_cases(ctx: ReportContext) -> list:
    """The use cases the per-use-case chart shows, in the context's order (blocked first): every blocked one,
    and the most valuable others up to :data:`MAX_CHART_ROWS` rows in all."""
    views = [u for u in ctx.use_cases if u.readiness != "rejected"]
    if len(views) <= MAX_CHART_ROWS:
        return views
    others = sorted(
        (u for u in views if u.readiness != "blocked"),
        key=lambda u: (-(u.value if u.value is not None else UNSCORED_VALUE), u.id),
    )
    blocked = sum(1 for u in views if u.readiness == "blocked")
    keep = {u.id for u in others[: max(0, MAX_CHART_ROWS - blocked)]}
    return [u for u in views if u.readiness == "blocked" or u.id in keep]


def _add_charts(ctx: ReportContext) -> None:
    title = "Readiness of your use cases" if ctx.for_stakeholder else "Readiness of the use cases"
    counts = dict(ctx.readiness_counts)
    ctx.charts["readiness"] = svgcharts.readiness_bar(counts, title, chart_id="readiness")
    ctx.charts["readiness_narrow"] = svgcharts.readiness_bar(counts, title, chart_id="readiness", narrow=True)
    views = chart_use_cases(ctx)
    if not views:
        return
    in_play = sum(1 for u in ctx.use_cases if u.readiness != "rejected")
    title = "Share of must-needs met, per use case"
    if len(views) < in_play:  # the HTML says so above the chart
        title = f"Share of must-needs met: {len(views)} of {in_play} use cases (every blocked one)"
    rows = [(u.title, u.value, u.readiness, u.must_share if u.must_total else None) for u in views]
    ctx.charts["readiness_per_use_case"] = svgcharts.readiness_per_use_case(rows, title, chart_id="per-use-case")
    ctx.charts["readiness_per_use_case_narrow"] = svgcharts.readiness_per_use_case(
        rows, title, chart_id="per-use-case", narrow=True
    )


def quality_css() -> Markup:
    """CSS for the quality classes of the system matrix, in the heat colours of :mod:`needsmap.report.charts`."""
    rules = [
        f"td.q{q}, .sw.q{q}, .cell-tag.q{q} {{ background: {svgcharts.heat_colour(q)}; color: #1a1a1a; }}"
        for q in range(1, 6)
    ]
    rules.append(
        f"td.q-unknown, .sw.q-unknown, .cell-tag.q-unknown {{ background: {svgcharts.heat_colour(None)}; "
        "color: #1a1a1a; }"
    )
    return Markup("\n".join(rules))


# ----------------------------------------------------------------------------- the one call


def build_report(
    ws: m.Workshop,
    analysis: Analysis,
    *,
    fmt: str,
    source_file: str,
    for_stakeholder: str | None = None,
    templates: Path | None = None,
    today: _dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    diagrams: bool = True,
    extra_sections: list[dict] | None = None,
    summary_only: bool = False,
) -> str:
    """The report of a workshop as text, HTML (``fmt="html"``) or Markdown (``"md"``).

    ``extra_sections`` are added to ``ctx.extra_sections`` (see the module doc).  ``summary_only``: the
    cover and the executive summary alone (what to do first, what blocks, the open questions), a few
    pages on paper at any scale.

    Raises :class:`ValueError` for an unknown format or stakeholder and
    :class:`ReportTemplateError` for template problems.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if for_stakeholder is not None and not any(s.id == for_stakeholder for s in ws.stakeholders):
        known = ", ".join(s.id for s in ws.stakeholders) or "none"
        raise ValueError(f"no stakeholder {for_stakeholder!r} in this workshop; stakeholders: {known}")
    _check_user_dir(templates)
    say = progress or (lambda _msg: None)
    say("Collecting the report's content")
    ctx = build_context(ws, analysis, source_file=source_file, today=today, for_stakeholder=for_stakeholder)
    ctx.summary_only = summary_only
    if for_stakeholder is None:
        say("Comparing the roadmap options")
        rm: Any
        try:
            rm = build_roadmap(ws, analysis)
            ctx.recommended = rm.recommended
        except RoadmapError as exc:
            rm = exc
        if not summary_only:
            say("Drafting the data model")
            ctx.extra_sections.append(model_section(ws, analysis, diagram=fmt == "html" and diagrams))
            ctx.extra_sections.append(report_section(ws, analysis, rm))
    if not summary_only:
        ctx.extra_sections.extend(extra_sections or ())
    if fmt == "html":
        add_visuals(ctx, ws, analysis, diagrams=diagrams and not summary_only, progress=say)
        say("Writing the HTML report")
        return render_html(ctx, templates)
    if diagrams:
        scope, note = lineage_scope(ws, None if for_stakeholder is None else [u.id for u in ctx.use_cases])
        ctx.diagrams_note = note
        if for_stakeholder is None:
            from needsmap.report.mermaid import markdown_diagrams

            ctx.mermaid = markdown_diagrams(ws, analysis, source_file)
    say("Writing the Markdown report")
    return render_markdown(ctx, templates)
