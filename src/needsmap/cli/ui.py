"""``needsmap open`` and ``needsmap serve``: the workshop terminal UI, here or in web browsers."""

from __future__ import annotations

from pathlib import Path

import click

from needsmap.cli.common import EXIT_FINDINGS, EXIT_USAGE, fail, open_valid, print_errors


@click.command("open")
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
        fail(f'{file}: error: no such file; start one with: needsmap new {file} --name "..."')
    if review is not None and not review.is_file():
        fail(f"{review}: error: no such review file")
    try:
        from needsmap.tui.app import create_app

        app = create_app(file)
    except SessionError as exc:
        print_errors(exc.diagnostics)
        fail(str(exc), EXIT_FINDINGS if exc.diagnostics else EXIT_USAGE)
    app.review_on_start = review
    app.run()


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; anything but loopback needs --token."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--token",
    envvar="NEEDSMAP_TOKEN",
    metavar="TOKEN",
    help="Secret participants must bring (in the URL printed at start); required beyond loopback. At least 16 "
    "varied printable ASCII characters, e.g. from secrets.token_urlsafe(24). "
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

    Each browser runs its own needsmap on FILE, ended (SIGTERM, then SIGKILL) when its connection ends. Bound to
    127.0.0.1 (this machine only) unless --host says otherwise; then a --token is required. Plain HTTP shows the
    token and every keystroke to the network: beyond a trusted network use an SSH tunnel or a TLS proxy.
    """
    from needsmap.tui.serve import ServeError, WorkshopServer

    open_valid(file)
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
        fail(f"error: {exc}")
