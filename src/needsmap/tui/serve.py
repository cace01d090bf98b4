"""``needsmap serve``: the workshop terminal UI in web browsers, for remote participants.

Built on textual-serve: every browser that connects gets its own
``needsmap open FILE`` process, driven through a websocket.  What this module
adds is the access control a workshop file needs:

* **loopback by default**: bound to 127.0.0.1, only this machine can connect;
  requests must name a loopback host (a web page elsewhere cannot reach the
  server through DNS rebinding) and websockets must come from the server's
  own page (``Origin``), so another site open in the same browser cannot
  drive the app;
* **a token beyond loopback**: binding any other address requires a token
  (:class:`ServeError` otherwise).  The participant opens
  ``http://HOST:PORT/?token=TOKEN`` once; the server answers with an
  ``HttpOnly``, ``SameSite=Strict`` cookie and a redirect to a URL without
  the token (so it does not stay in the address bar, the history or a
  ``Referer``).  The page, the websocket, the static files and downloads all
  answer 403 without the cookie or the token; tokens are compared in constant
  time.  The token is never logged (the access log leaves out query strings).

Plain HTTP carries the token and the keystrokes in clear: beyond a trusted
network, put the server behind an SSH tunnel or a TLS reverse proxy (and pass
``public_url="https://..."`` so the cookie is marked ``Secure``).

Several browsers on one file run several app processes on it (at most
``max_participants`` at once; more get a 503): the file's lock
tells each later one that the file is already open, and an edit made in one
shows in the others as "the file changed on disk" with a reload offer (see
:mod:`needsmap.collab.session`).

This module imports textual-serve and aiohttp, never Textual; textual-serve
itself prints with rich, so it is not part of the headless core.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import logging
import re
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.server import Server, to_int

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: At most this many browsers at once by default (each runs a needsmap process): a leaked URL cannot
#: exhaust the machine.
MAX_PARTICIPANTS = 24
MIN_TOKEN_LENGTH = 16
TEMPLATES = Path(__file__).parent / "serve_templates"
#: How to make a good token (shown when a token is missing or too short).
TOKEN_HINT = 'python -c "import secrets; print(secrets.token_urlsafe(24))"'

log = logging.getLogger("needsmap.tui.serve")


class ServeError(Exception):
    """The server cannot start as asked (message for the user)."""


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_access(host: str, token: str | None, public_url: str | None = None) -> None:
    """Refuse a binding (or a proxy's public address) that would let the network in without a good token."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ServeError(
            f"the token is too short ({len(token)} characters); use at least {MIN_TOKEN_LENGTH}, "
            f"e.g. from: {TOKEN_HINT}"
        )
    if token is None and not is_loopback(host):
        raise ServeError(
            f"binding {host} lets other machines connect: give a --token (or set NEEDSMAP_TOKEN) "
            f"so that only invited participants get in, e.g. from: {TOKEN_HINT}"
        )
    public_host = urlsplit(public_url).hostname if public_url else None
    if token is None and public_url is not None and not (public_host and is_loopback(public_host)):
        raise ServeError(
            f"the public URL {public_url} lets other machines connect through a proxy: give a --token "
            f"(or set NEEDSMAP_TOKEN), e.g. from: {TOKEN_HINT}"
        )


def app_command(file: Path, python: str | None = None) -> str:
    """The shell command each connection runs: this Python's ``needsmap open FILE``."""
    return shlex.join([python or sys.executable, "-m", "needsmap", "open", str(file)])


def _request_hostname(request: web.BaseRequest) -> str:
    return urlsplit(f"//{request.host}").hostname or ""


class _AccessLogger(AbstractAccessLogger):
    """Method, path (never the query string: it may hold the token) and status."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %s", request.remote, request.method, request.path, response.status)


class WorkshopServer(Server):
    """textual-serve's server for one workshop file, with the access control described above."""

    def __init__(
        self,
        file: Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        token: str | None = None,
        public_url: str | None = None,
        announce: Callable[[str], None] | None = None,
        command: str | None = None,
        max_participants: int = MAX_PARTICIPANTS,
    ) -> None:
        check_access(host, token, public_url)
        super().__init__(
            command or app_command(file),
            host=host,
            port=port,
            title=f"needsmap: {file.name}",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.file = file
        self.token = token
        self.explicit_public_url = public_url is not None
        if public_url is None and host in ("0.0.0.0", "::", ""):  # every interface: name this machine
            import socket

            self.public_url = f"http://{socket.gethostname()}:{port}"
        self.announce = announce or (lambda line: print(line, flush=True))
        self.cookie_name = f"needsmap_{port}"
        self.participants = 0
        self._sessions: set[asyncio.Task[Any]] = set()
        self.max_participants = max_participants
        self._cookie_value = (
            hmac.new(token.encode(), b"needsmap serve cookie", hashlib.sha256).hexdigest()
            if token is not None
            else None
        )

    # -- the address participants use ----------------------------------------------------------------
    def url(self, *, with_token: bool = True) -> str:
        base = self.public_url.rstrip("/") + "/"
        if with_token and self.token is not None:
            from urllib.parse import quote

            return f"{base}?token={quote(self.token, safe='')}"
        return base

    # -- access control -------------------------------------------------------------------------------
    def _token_ok(self, supplied: str) -> bool:
        assert self.token is not None
        return hmac.compare_digest(supplied.encode("utf-8", "surrogateescape"), self.token.encode())

    def _cookie_ok(self, request: web.Request) -> bool:
        assert self._cookie_value is not None
        value = request.cookies.get(self.cookie_name, "")
        return hmac.compare_digest(value.encode("utf-8", "surrogateescape"), self._cookie_value.encode())

    def _origin_ok(self, request: web.Request) -> bool:
        """A websocket must be opened by our own page (browsers always send Origin on websockets)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser; the token or loopback check still applies
        if self.explicit_public_url:
            return urlsplit(origin)[:2] == urlsplit(self.public_url)[:2]
        return urlsplit(origin).netloc == request.host

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        forbidden = web.Response(status=403, text="403: not invited (open the URL with the token you were given)\n")
        if request.path == "/ws" and not self._origin_ok(request):
            return forbidden
        if self.token is None:
            # loopback only: a name that resolves elsewhere (DNS rebinding) gets nothing
            return await handler(request) if is_loopback(_request_hostname(request)) else forbidden
        supplied = request.query.get("token")
        if supplied is not None:
            if not self._token_ok(supplied):
                return forbidden
            if request.method == "GET" and request.path == "/":
                query = {k: v for k, v in request.query.items() if k != "token"}
                location = request.rel_url.with_query(query)
                response = web.HTTPSeeOther(location=str(location))
                response.set_cookie(
                    self.cookie_name,
                    self._cookie_value or "",
                    httponly=True,
                    samesite="Strict",
                    secure=self.public_url.startswith("https:"),
                    path="/",
                )
                return response
            return await handler(request)
        if self._cookie_ok(request):
            return await handler(request)
        return forbidden

    # -- the web application --------------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        app.on_response_prepare.append(self._headers)
        return app

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        if request.path == "/":
            response.headers["Cache-Control"] = "no-store"

    # the base returns only a WebSocketResponse; this one also answers 503 when the room is full
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]  # 503
        if self.participants >= self.max_participants:
            return web.Response(status=503, text=f"503: {self.participants} participants already; try again later\n")
        self.participants += 1
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self.participants -= 1
            self._sessions.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping: end every participant's session now (textual-serve then tells each app to quit and waits
        for it), rather than waiting for aiohttp's shutdown timeout."""
        sessions = list(self._sessions)
        for task in sessions:
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page: textual-serve's, with URLs for the address the browser used (unless public_url is set)."""
        base = self.public_url.rstrip("/") if self.explicit_public_url else f"{request.scheme}://{request.host}"
        ws_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_base}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _announce_listening(self) -> None:
        self.announce(f"Serving {self.file} to browsers at {self.url()}")
        if self.token is None:
            self.announce("Only this machine can connect (loopback). Press Ctrl+C to stop.")
        else:
            self.announce(
                "Anyone with this URL (it holds the token) can edit the workshop; plain HTTP shows it "
                "to the network, so prefer an SSH tunnel or a TLS proxy. Press Ctrl+C to stop."
            )

    def initialize_logging(self) -> None:
        """Plain log lines (textual-serve's handler prints tracebacks with local variables)."""
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO, format="%(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING if not self.debug else logging.INFO)

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C or SIGTERM; raises :class:`ServeError` when the address cannot be used."""
        self.debug = debug
        self.initialize_logging()
        try:
            asyncio.run(self._serve_until_stopped())
        except OSError as exc:
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from exc

    async def _serve_until_stopped(self) -> None:
        import signal

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except NotImplementedError:  # pragma: no cover - Windows
                pass
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log_class=_AccessLogger)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            if self.port == 0:  # the system chose: say which
                self.port = int(runner.addresses[0][1])
                self.cookie_name = f"needsmap_{self.port}"
                if not self.explicit_public_url:
                    self.public_url = re.sub(r":0$", f":{self.port}", self.public_url)
            self._announce_listening()  # only once listening: a busy port is an error, not a "Serving" line
            await stop.wait()
        finally:
            await runner.cleanup()  # closes the websockets: every participant's app is told to quit
