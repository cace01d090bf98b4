"""The ``needsmap`` command line: a thin layer over the library.

Each command parses its options, calls one library function, and renders the
result.  Exit codes are shared by all commands:

* 0: done, nothing to report (warnings may have been printed);
* 1: the command ran and found problems (errors, or what ``--fail-on`` asks for);
* 2: usage error, or a file that could not be read or written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from needsmap import __version__
from needsmap.format.diagnostics import Diagnostic, count_by_severity

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _render(d: Diagnostic, colour: bool) -> str:
    text = d.render()
    if not colour:
        return text
    marker = f": {d.severity}: "
    head, _, tail = text.partition(marker)
    return f"{head}: {click.style(d.severity, fg=_SEVERITY_COLOURS[d.severity], bold=True)}: {tail}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _Group(click.Group):
    """``needsmap FILE`` is ``needsmap open FILE``; ``needsmap`` alone opens the demo in a terminal."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["open", *args]
        elif not args and sys.stdin.isatty() and sys.stdout.isatty():
            args = ["open"]
        return super().parse_args(ctx, args)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="needsmap")
def main() -> None:
    """needsmap: from what stakeholders need to customer data that serves them.

    Capture stakeholders, use cases, processes, customer attributes and source
    systems in a workshop file (YAML, kept in git), then get gap reports, model
    drafts and roadmap options from it.

    needsmap FILE opens FILE in the workshop terminal UI; needsmap alone opens
    the demo workshop (or offers to start a new one).
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COL: severity: message lines; json: for machines.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
def validate(files: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check workshop FILES: YAML syntax, structure, ids and references.

    Every problem is reported, located as FILE:LINE:COL. Exit 0 when clean
    (warnings allowed unless --strict), 1 when problems were found, 2 when a
    file could not be read.
    """
    from needsmap.format.opening import OpenError, open_workshop

    colour = fmt == "text" and sys.stdout.isatty()
    exit_code = EXIT_OK
    report = []
    for path in files:
        try:
            result = open_workshop(path)
        except OpenError as exc:
            exit_code = EXIT_USAGE
            report.append({"path": str(path), "readable": False, "message": str(exc), "diagnostics": []})
            if fmt == "text":
                click.echo(str(exc), err=True)
            continue
        counts = count_by_severity(result.diagnostics)
        failed = counts["error"] > 0 or (strict and counts["warning"] > 0)
        if failed and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        report.append(
            {
                "path": str(path),
                "readable": True,
                "ok": not failed,
                "counts": counts,
                "diagnostics": [d.as_dict() for d in result.diagnostics],
            }
        )
        if fmt == "text":
            for d in result.diagnostics:
                click.echo(_render(d, colour))
            summary = (
                f"{path}: {_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
                if result.diagnostics
                else f"{path}: ok"
            )
            click.echo(summary, err=True)
    if fmt == "json":
        click.echo(json.dumps({"needsmap_version": __version__, "files": report}, indent=2, ensure_ascii=False))
    sys.exit(exit_code)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help='Name of the workshop, e.g. "Omnichannel customer data discovery".')
@click.option("--organization", help="The organisation the workshop is for.")
@click.option("--facilitator", help="Who runs the workshop.")
@click.option(
    "--with-catalog",
    "with_catalog",
    metavar="core|all|ENTITY,...",
    help="Start with attributes of the reference catalog: core (about 30), all, or entities "
    "such as customer,address (see needsmap catalog).",
)
def new(file: Path, name: str, organization: str | None, facilitator: str | None, with_catalog: str | None) -> None:
    """Create FILE: a starter workshop with the default functions, channels and guidance.

    Refuses to overwrite an existing file.
    """
    from needsmap.catalog.entries import starter_attributes
    from needsmap.format.saver import SaveError, save
    from needsmap.format.starter import new_workshop

    if file.exists():
        click.echo(f"{file}: error: the file already exists; choose another name", err=True)
        sys.exit(EXIT_USAGE)
    if not file.parent.is_dir():
        click.echo(f"{file}: error: the folder {file.parent} does not exist", err=True)
        sys.exit(EXIT_USAGE)
    try:
        attributes = starter_attributes(with_catalog) if with_catalog is not None else []
    except ValueError as exc:
        click.echo(f"error: --with-catalog: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    ws = new_workshop(name, organization=organization, facilitator=facilitator, target=file, attributes=attributes)
    try:
        save(ws, file)
    except SaveError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Created {file}. Next: needsmap validate {file}")


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of printing it.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the workshop format (for editors and other tools)."""
    from needsmap.format.schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        from needsmap.format.saver import write_text_atomically

        output.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(output, text)
    except OSError as exc:
        click.echo(f"{output}: error: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Wrote {output}")


def _open_valid(file: Path):
    """Open and validate, or print why not and exit (1 for an invalid workshop, 2 unreadable)."""
    from needsmap.format.opening import OpenError, open_workshop

    try:
        result = open_workshop(file)
    except OpenError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    if not result.ok:
        for d in result.diagnostics:
            if d.severity == "error":
                click.echo(d.render(), err=True)
        click.echo(f"{file}: fix the errors above first (needsmap validate {file})", err=True)
        sys.exit(EXIT_FINDINGS)
    return result


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["rule", "use-case", "system", "stakeholder"]),
    default="rule",
    show_default=True,
    help="How to group the gaps (table and md).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="table: for people at a terminal; md: for wikis and pull requests; json: for machines.",
)
@click.option(
    "--min-severity",
    type=click.Choice(["error", "warning", "info"]),
    default="info",
    show_default=True,
    help="Leave out less severe gaps.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    help="Exit 1 when a gap of this severity or worse exists (for CI pipelines).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
def gaps(file: Path, by: str, fmt: str, min_severity: str, fail_on: str | None, output: Path | None) -> None:
    """Show the gaps of workshop FILE, sorted by impact, and the readiness of every use case."""
    from needsmap.analysis.engine import analyse
    from needsmap.analysis.output import at_least, fails, group, json_document, markdown

    result = _open_valid(file)
    ws = result.workshop
    analysis = analyse(ws)
    shown = at_least(analysis.gaps, min_severity)
    if fmt == "json":
        text = json.dumps(json_document(analysis, ws, shown, str(file)), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = markdown(analysis, ws, group(analysis, ws, shown, by), by)
    else:
        text = None
    if text is not None:
        _emit(text, output)
    else:
        from rich.console import Console

        from needsmap.cli import gaps_table as terminal

        if output is not None:
            import io

            buffer = io.StringIO()
            _draw(Console(file=buffer, width=120, color_system=None), terminal, analysis, ws, shown, by, file)
            _emit(buffer.getvalue(), output)
        else:
            console = Console(highlight=False)
            _draw(console, terminal, analysis, ws, shown, by, file)
    sys.exit(EXIT_FINDINGS if fails(analysis.gaps, fail_on) else EXIT_OK)


def _draw(console, terminal, analysis, ws, shown, by, file) -> None:
    from needsmap.analysis.output import group

    terminal.print_summary(console, analysis, ws, str(file))
    terminal.print_readiness(console, analysis, ws)
    terminal.print_groups(console, group(analysis, ws, shown, by), by)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        from needsmap.format.saver import write_text_atomically

        output.parent.mkdir(parents=True, exist_ok=True)  # like report: -o out/x.sql makes out/
        write_text_atomically(output, text)
    except OSError as exc:
        click.echo(f"{output}: error: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Wrote {output}", err=True)


@main.command()
@click.option(
    "--scale",
    type=click.Choice(["small", "medium", "enterprise"]),
    default="small",
    show_default=True,
    help="small: a real workshop's size; enterprise: 400 use cases, 2,500 attributes, 120 systems.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same workshop.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workshop file to write (must not exist yet).",
)
def generate(scale: str, seed: int, output: Path) -> None:
    """Write a synthetic, realistic-shaped workshop with gaps of every kind (for demos and benchmarks)."""
    from needsmap.format.saver import SaveError, save
    from needsmap.synthetic.builder import generate as make

    ws = make(scale, seed)
    try:
        save(ws, output)
    except SaveError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(
        f"Wrote {output}: {len(ws.use_cases)} use cases, {len(ws.attributes)} attributes, {len(ws.systems)} systems",
        err=True,
    )


_REPORT_SUFFIX = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".xlsx": "xlsx", ".csv": "csv"}


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write: a file (html, md, xlsx) or a folder (csv).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "xlsx", "csv"]),
    help="Default: from the output's suffix (.html, .md, .xlsx; a folder or .csv for csv).",
)
@click.option(
    "--for",
    "for_stakeholder",
    metavar="STAKEHOLDER",
    help="One stakeholder's view: what they asked for, where it stands, what we need from them.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder with your own copies of the report templates (they win over the defaults).",
)
@click.option("--no-diagrams", is_flag=True, help="Leave out the Graphviz diagrams (faster).")
@click.option("--since", metavar="REV", help="Add a 'Changes since REV' section (a git revision of FILE; html, md).")
def report(
    file: Path,
    output: Path,
    fmt: str | None,
    for_stakeholder: str | None,
    templates: Path | None,
    no_diagrams: bool,
    since: str | None,
) -> None:
    """Write the report of workshop FILE for stakeholders: HTML (one self-contained file), Markdown, Excel or CSV."""
    from rich.console import Console

    from needsmap.analysis.engine import analyse

    fmt = fmt or _REPORT_SUFFIX.get(output.suffix.lower()) or ("csv" if output.suffix == "" else None)
    if fmt is None:
        click.echo(
            f"{output}: error: cannot tell the format from '{output.suffix}'; use --format html|md|xlsx|csv", err=True
        )
        sys.exit(EXIT_USAGE)
    result = _open_valid(file)
    ws = result.workshop
    target_folder = output if fmt == "csv" and output.suffix == "" else output.parent
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        click.echo(f"{target_folder}: error: cannot create the folder: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    if for_stakeholder is not None and not any(s.id == for_stakeholder for s in ws.stakeholders):
        from needsmap.format.diagnostics import suggestion_suffix

        ids = [s.id for s in ws.stakeholders]
        click.echo(
            f"{file}: error: no stakeholder '{for_stakeholder}'{suggestion_suffix(for_stakeholder, ids)} "
            f"(stakeholders: {', '.join(ids)})",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    extra = []
    if since is not None and fmt not in ("html", "md"):
        click.echo(f"{output}: error: --since adds a section to html and md reports, not to {fmt}", err=True)
        sys.exit(EXIT_USAGE)
    if since is not None:
        from needsmap.collab.diff import compare
        from needsmap.collab.git_revisions import Version
        from needsmap.report.sections.changes import report_section

        old = Version(str(file), since)
        extra.append(report_section(compare(_load_version(old), ws, old.label, str(file)), since))
    console = Console(stderr=True, highlight=False)
    diagrams = not no_diagrams and fmt in ("html", "md")
    if diagrams and fmt == "html":
        from needsmap.util.graphviz import dot_available

        if not dot_available():
            console.print(
                "[yellow]warning:[/] Graphviz's 'dot' is not installed, so the report has no diagrams "
                "(install it: apt-get install graphviz, or brew install graphviz)"
            )
    try:
        with console.status("Analysing the workshop") as status:

            def progress(message: str) -> None:
                status.update(message)

            analysis = analyse(ws)
            if fmt in ("html", "md"):
                from needsmap.format.saver import write_text_atomically
                from needsmap.report.render import ReportTemplateError, build_report

                try:
                    text = build_report(
                        ws,
                        analysis,
                        fmt=fmt,
                        source_file=str(file),
                        for_stakeholder=for_stakeholder,
                        templates=templates,
                        progress=progress,
                        diagrams=diagrams,
                        extra_sections=extra,
                    )
                except ReportTemplateError as exc:
                    from rich.markup import escape

                    console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
                    sys.exit(EXIT_USAGE)
                progress(f"Writing {output}")
                write_text_atomically(output, text)
            else:
                from needsmap.report.context import build_context
                from needsmap.report.tables import write_csv, write_xlsx

                progress("Collecting the report's content")
                ctx = build_context(ws, analysis, source_file=str(file), for_stakeholder=for_stakeholder)
                progress(f"Writing {output}")
                if fmt == "xlsx":
                    write_xlsx(ctx, output)
                else:
                    folder = output.with_suffix("") if output.suffix.lower() == ".csv" else output
                    written = write_csv(ctx, folder)
                    output = folder
                    console.print(f"Wrote {len(written)} CSV files:", highlight=False)
    except OSError as exc:
        click.echo(f"{output}: error: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"Wrote {output}")


@main.command("open")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--review",
    "review",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REVIEW.yaml",
    help="Open the review screen on a review file of: needsmap import ddl|db --review",
)
def open_(file: Path | None, review: Path | None) -> None:
    """Open workshop FILE in the terminal UI (every edit is saved at once; there is no "save")."""
    from needsmap.collab.session import SessionError

    if file is not None and not file.exists():
        click.echo(f'{file}: error: no such file; start one with: needsmap new {file} --name "..."', err=True)
        sys.exit(EXIT_USAGE)
    if review is not None and not review.is_file():
        click.echo(f"{review}: error: no such review file", err=True)
        sys.exit(EXIT_USAGE)
    try:
        from needsmap.tui.app import create_app

        app = create_app(file)
    except SessionError as exc:
        for d in exc.diagnostics:
            if d.severity == "error":
                click.echo(d.render(), err=True)
        click.echo(str(exc), err=True)
        sys.exit(EXIT_FINDINGS if exc.diagnostics else EXIT_USAGE)
    app.review_on_start = review
    app.run()


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback needs --token."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    envvar="NEEDSMAP_TOKEN",
    metavar="TOKEN",
    help="Secret participants must bring (in the URL printed at start); required beyond loopback. "
    "Prefer the NEEDSMAP_TOKEN variable: other users of this machine can read command lines.",
)
@click.option("--public-url", metavar="URL", help="The address browsers use, when behind a proxy (https://...).")
@click.option(
    "--max-participants",
    type=click.IntRange(1),
    default=24,
    show_default=True,
    help="Browsers connected at once (each runs a needsmap process).",
)
def serve(file: Path, host: str, port: int, token: str | None, public_url: str | None, max_participants: int) -> None:
    """Serve the terminal UI on workshop FILE to web browsers, so remote participants can follow and type.

    Each browser runs its own needsmap on FILE. Bound to 127.0.0.1 (this machine only) unless --host says
    otherwise; then a --token is required. Plain HTTP shows the token and every keystroke to the network:
    beyond a trusted network use an SSH tunnel or a TLS proxy.
    """
    from needsmap.tui.serve import ServeError, WorkshopServer

    _open_valid(file)
    try:
        server = WorkshopServer(
            file.resolve(),
            host=host,
            port=port,
            token=token,
            public_url=public_url,
            announce=lambda line: click.echo(line, err=True),
            max_participants=max_participants,
        )
        server.serve()
    except ServeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _load_version(version):
    """Load one side of a diff, or print why not and exit (1 for an invalid workshop, 2 unreadable)."""
    from needsmap.collab.git_revisions import RevisionError
    from needsmap.format.opening import OpenError

    try:
        result = version.load()
    except (RevisionError, OpenError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if result.workshop is None or any(d.code != "merge-conflict" for d in errors):
        for d in errors:
            click.echo(d.render(), err=True)
        click.echo(f"{version.label}: fix the errors above first", err=True)
        sys.exit(EXIT_FINDINGS)
    if errors:  # a merge in progress: what it brought in is worth seeing before resolving
        click.echo(
            f"{version.label}: warning: {_plural(len(errors), 'unresolved merge conflict')} "
            f"(needsmap validate {version.label})",
            err=True,
        )
    return result.workshop


@main.command()
@click.argument("versions", nargs=-1, required=True, metavar="[OLD] NEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="table: for people at a terminal; md: for pull requests; json: for machines.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (like git diff --exit-code).")
def diff(versions: tuple[str, ...], fmt: str, output: Path | None, exit_code: bool) -> None:
    """What changed between two versions of a workshop, item by item, and what it did to the gaps.

    OLD and NEW are files or git revisions: 'diff FILE' (last commit against
    the working file), 'diff OLD.yaml NEW.yaml', 'diff HEAD~3 FILE',
    'diff v1..v2 FILE', or REV:PATH on either side.
    """
    from needsmap.collab.diff import compare
    from needsmap.collab.diff_output import json_document, markdown
    from needsmap.collab.git_revisions import versions_to_compare

    if len(versions) > 2:
        click.echo("error: give at most two versions: [OLD] NEW", err=True)
        sys.exit(EXIT_USAGE)
    old_v, new_v = versions_to_compare(versions[0] if len(versions) == 2 else None, versions[-1])
    changes = compare(_load_version(old_v), _load_version(new_v), old_v.label, new_v.label)
    if fmt == "json":
        _emit(json.dumps(json_document(changes), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        _emit(markdown(changes), output)
    else:
        import io

        from rich.console import Console

        from needsmap.cli.diff_table import print_changes

        if output is not None:
            buffer = io.StringIO()
            print_changes(Console(file=buffer, width=120, color_system=None), changes)
            _emit(buffer.getvalue(), output)
        else:
            print_changes(Console(highlight=False), changes)
    sys.exit(EXIT_FINDINGS if exit_code and changes else EXIT_OK)


@main.command("merge-driver")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", required=False)
def merge_driver(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """Git merge driver: merge workshop versions BASE, OURS and THEIRS into OURS (git's %O %A %B %P).

    Merges by section, item id and field. Exit 0 when clean; 1 when conflicts
    were recorded under 'conflicts:' in the file (needsmap validate explains
    them); 2 when a file cannot be read or written. Install it with
    'needsmap git-setup'.
    """
    from needsmap.collab.merge import merge_files
    from needsmap.format.loader import FileTooLarge

    try:
        outcome = merge_files(base, ours, theirs, name)
    except FileTooLarge as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        click.echo(f"{name or ours}: error: merge failed: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    for message in outcome.messages:
        click.echo(message, err=True)
    sys.exit(EXIT_OK if outcome.clean else EXIT_FINDINGS)


@main.command("git-setup")
@click.option(
    "--pattern",
    "patterns",
    multiple=True,
    default=("*.yaml",),
    show_default=True,
    help="Files git merges with needsmap (.gitattributes patterns; repeat for several).",
)
def git_setup(patterns: tuple[str, ...]) -> None:
    """Install the needsmap merge driver in this git repository (git config and .gitattributes).

    Safe to run again: nothing is added twice.
    """
    from needsmap.collab.git_setup import GitSetupError, setup

    try:
        done = setup(".", patterns)
    except GitSetupError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"git config merge.needsmap.driver = {done.driver}")
    if done.attributes_added:
        click.echo(
            f"Added to {done.attributes_file}: "
            + "; ".join(done.attributes_added)
            + " (commit it so everyone merges the same way)"
        )
    else:
        click.echo(f"{done.attributes_file} already routes the files to needsmap")


from needsmap.cli.imports import import_group  # noqa: E402  (needsmap import sheet|...: its own module)

main.add_command(import_group)

from needsmap.cli.catalog import catalog_command  # noqa: E402  (needsmap catalog: its own module)

main.add_command(catalog_command)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "json"]),
    default="table",
    show_default=True,
    help="table: for people at a terminal; md: for wikis; json: for machines.",
)
@click.option("--option", "option_id", metavar="ID", help="Show this option's waves (work item by work item).")
@click.option(
    "--accept",
    "accept_id",
    metavar="ID",
    help="Write this generated option into the file's options: (to adjust it, then vote on it).",
)
@click.option("--replace", is_flag=True, help="With --accept: replace an option of the same id already in the file.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
def roadmap(
    file: Path, fmt: str, option_id: str | None, accept_id: str | None, replace: bool, output: Path | None
) -> None:
    """Compare strategic options for workshop FILE: gaps closed and left, waves, value over time, effort, risk, votes."""
    from needsmap.analysis.engine import analyse
    from needsmap.roadmap.engine import RoadmapError, build_roadmap, generate_options
    from needsmap.roadmap.output import json_document, markdown

    result = _open_valid(file)
    ws = result.workshop
    analysis = analyse(ws)
    if accept_id is not None:
        from needsmap.roadmap.accept import AcceptError, accept_option

        try:
            message = accept_option(file, result, generate_options(ws, analysis), accept_id, replace=replace)
        except AcceptError as exc:
            click.echo(f"{file}: error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(message)
        return
    try:
        rm = build_roadmap(ws, analysis)
    except RoadmapError as exc:
        click.echo(f"{file}: error: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if option_id is not None and rm.plan_of(option_id) is None:
        from needsmap.format.diagnostics import suggestion_suffix

        ids = [p.id for p in rm.plans]
        click.echo(
            f"{file}: error: no option '{option_id}'{suggestion_suffix(option_id, ids)} "
            f"(options: {', '.join(ids) or 'none'})",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        _emit(json.dumps(json_document(rm, ws, str(file)), indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "md":
        _emit(markdown(rm, ws, option_id), output)
    else:
        import io

        from rich.console import Console

        from needsmap.cli.roadmap_table import print_roadmap

        if output is not None:
            buffer = io.StringIO()
            print_roadmap(Console(file=buffer, width=120, color_system=None), rm, ws, option_id)
            _emit(buffer.getvalue(), output)
        else:
            print_roadmap(Console(highlight=False), rm, ws, option_id)


@main.command("model")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["sql", "dbml", "mermaid", "jsonschema", "dot", "yaml"]),
    default="sql",
    show_default=True,
    help="sql: DDL; dbml, mermaid, dot: diagrams; jsonschema: a customer record; yaml: with traceability.",
)
@click.option(
    "--dialect",
    type=click.Choice(["postgres", "sqlite", "mysql", "tsql"]),
    default="postgres",
    show_default=True,
    help="SQL dialect (for --format sql).",
)
@click.option(
    "--scope",
    type=click.Choice(["needed", "all"]),
    default="needed",
    show_default=True,
    help="needed: attributes a non-rejected use case needs; all: every attribute.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
def model_(file: Path, fmt: str, dialect: str, scope: str, output: Path | None) -> None:
    """Draft a data model from workshop FILE: what use cases need, traced to who asked, open decisions kept open.

    One table per entity, relationships from needsmap's defaults and the file's model: section, an
    integration view (identity cross-reference, source mapping, proposed survivorship). See docs/model.md.
    """
    from needsmap.analysis.engine import analyse
    from needsmap.draft.engine import draft_model
    from needsmap.draft.render import render

    ws = _open_valid(file).workshop
    _emit(render(draft_model(ws, analyse(ws), scope), fmt, dialect), output)
