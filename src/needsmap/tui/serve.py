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
  (:class:`ServeError` otherwise), and any token given must be a real secret
  (:func:`token_problem` says why one is not).  The participant opens
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

Each participant's process is bounded and ends with its connection
(:class:`ParticipantApp`):

* it runs without a shell, in its own process group, with its memory capped
  (:data:`MAX_APP_MEMORY`, Linux);
* when the connection ends (the browser leaves, the network drops, the server
  stops) it is asked to quit, SIGTERMed after :data:`QUIT_GRACE` seconds and
  SIGKILLed after :data:`TERM_GRACE` more, so one that ignores SIGTERM ends
  too; when the app ends on its own, its browser is disconnected;
* the participant limit counts live processes: one being ended still counts
  until it has exited, a dead one no longer does;
* a websocket message above :data:`MAX_MESSAGE_BYTES` closes the connection
  (1009), and so does input beyond what a person types or pastes
  (:class:`InputBudget`, 1008): one message of key presses costs the app
  memory and CPU in proportion (64 KiB of them: about 150 MB and ten seconds);
* terminal sizes are clamped (:data:`MAX_COLUMNS` x :data:`MAX_ROWS`), and
  messages that are not the browser's protocol are ignored.

This module imports textual-serve and aiohttp, never Textual; textual-serve
itself prints with rich, so it is not part of the headless core.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.app_service import AppService
from textual_serve.server import Server

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: At most this many browsers at once by default (each runs a needsmap process): a leaked URL cannot
#: exhaust the machine.
MAX_PARTICIPANTS = 24
MIN_TOKEN_LENGTH = 16
#: A token must hold at least this many different characters ("aaaa...", "abab..." are not secrets).
MIN_TOKEN_VARIETY = 6
#: The largest websocket message a browser may send; a larger one closes the connection (1009, message too
#: big). Typing sends a few bytes per key and a paste one message: 64 KiB is some thirty pages.
MAX_MESSAGE_BYTES = 64 * 1024
#: What a participant may send at once, and per second after that; more closes the connection (1008). A person
#: typing, pasting and moving the mouse (some 5 KiB/s on a 144 Hz screen) stays below; a script flooding the app
#: with key presses does not.
INPUT_BURST_BYTES = MAX_MESSAGE_BYTES
INPUT_BYTES_PER_SECOND = 8 * 1024
#: Terminal sizes beyond these are clamped (a 20,000 x 20,000 screen takes the app past a gigabyte).
MAX_COLUMNS = 1000
MAX_ROWS = 500
#: Memory (data segment, RLIMIT_DATA) each participant's app may take, on Linux: past it, the app fails
#: instead of the machine.
MAX_APP_MEMORY = 1024 * 1024 * 1024
#: Ending a participant's app: asked to quit, SIGTERMed after QUIT_GRACE seconds, SIGKILLed after TERM_GRACE more.
QUIT_GRACE = 2.0
TERM_GRACE = 3.0
#: Forwarding one message to an app that takes no input for this long ends the session.
INPUT_TIMEOUT = 10.0
TEMPLATES = Path(__file__).parent / "serve_templates"
#: How to make a good token (shown when a token is missing or weak).
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


_CHARACTER_NAMES = {" ": "a space", "\t": "a tab", "\n": "a line break", "\r": "a carriage return"}


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot guard a workshop, or None when it can.

    A token must be at least MIN_TOKEN_LENGTH printable ASCII characters without spaces (it travels in a
    URL and a command line), of at least MIN_TOKEN_VARIETY different ones, not a shorter block repeated
    and not mostly a run (``abcd``, ``9876``).  These refuse what a person makes up carelessly; a token
    made as TOKEN_HINT says (32 random characters) passes.
    """
    try:
        token.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, kept as surrogates by the command line
        return "the token is not valid text (it holds bytes that are not UTF-8)"
    for position, char in enumerate(token, 1):
        if not "!" <= char <= "~":
            name = _CHARACTER_NAMES.get(char, "a character")
            return (
                f"the token may hold only printable ASCII characters, without spaces: it holds {name} "
                f"(U+{ord(char):04X}) at position {position}"
            )
    if len(token) < MIN_TOKEN_LENGTH:
        return f"the token is too short ({len(token)} characters); use at least {MIN_TOKEN_LENGTH}"
    variety = len(set(token))
    if variety < MIN_TOKEN_VARIETY:
        return f"the token has too few different characters ({variety}); use at least {MIN_TOKEN_VARIETY}"
    # the shortest block the token repeats (itself when none): a block seen at least one and a half times is all
    # the token holds
    period = next(p for p in range(1, len(token) + 1) if token[p:] == token[: len(token) - p])
    if period < MIN_TOKEN_LENGTH and 3 * period <= 2 * len(token):
        return (
            f"the token repeats a block of {period} characters: only those count, and they are fewer "
            f"than {MIN_TOKEN_LENGTH}"
        )
    steps = [ord(b) - ord(a) for a, b in zip(token, token[1:], strict=False)]
    in_runs = sum(1 for a, b in zip(steps, steps[1:], strict=False) if a == b)
    if in_runs * 2 > len(token):
        return "the token is mostly a run of characters (like abcd or 9876)"
    return None


def check_access(host: str, token: str | None, public_url: str | None = None) -> None:
    """Refuse a weak token, or a binding (or a proxy's public address) that would let the network in without one."""
    if token is not None and (problem := token_problem(token)):
        raise ServeError(f"{problem}; make one with: {TOKEN_HINT}")
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
    """The command each connection runs, shell-quoted: this Python's ``needsmap open FILE`` (split again with
    :func:`shlex.split` and run without a shell)."""
    return shlex.join([python or sys.executable, "-m", "needsmap", "open", str(file)])


def terminal_size(value: object, default: int, largest: int) -> int:
    """A terminal dimension from the browser: a whole number from 1 to ``largest``; anything else gives ``default``."""
    try:
        number = int(value)  # type: ignore[call-overload]  # checked: anything int() refuses gives the default
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(number, 1), largest)


class InputBudget:
    """How much a participant may still send: ``burst`` bytes at once, refilled at ``rate`` bytes a second."""

    def __init__(self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate, self.clock = burst, rate, clock
        self.level = float(burst)
        self.when = clock()

    def take(self, size: int) -> bool:
        """Spend ``size`` bytes; False (nothing spent) when the budget does not hold them."""
        now = self.clock()
        self.level = min(float(self.burst), self.level + (now - self.when) * self.rate)
        self.when = now
        if size > self.level:
            return False
        self.level -= size
        return True


def _limit_memory(pid: int, limit: int) -> None:
    """Cap a process's data segment (Linux; elsewhere the process runs uncapped)."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_DATA, (limit, limit))
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        log.debug("cannot cap the memory of process %s: %s", pid, exc)


class ParticipantApp(AppService):
    """One participant's app process (textual-serve's service, with the process management described above)."""

    def __init__(self, command: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.argv = shlex.split(command)
        self.process: asyncio.subprocess.Process | None = None
        self._ending: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Counts against the participant limit: starting, or its process not yet exited (a dying one included)."""
        if self._ending is not None and self._ending.done():
            return False
        return self.process is None or self.process.returncode is None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self.process = self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,  # its own process group: ended as a whole, never by the terminal's Ctrl+C
        )
        _limit_memory(process.pid, MAX_APP_MEMORY)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def start(self, width: int, height: int) -> None:
        """Start the process; when its output ends (it exited, or crashed), the participant is disconnected."""
        await super().start(width, height)
        if self._task is not None:
            self._task.add_done_callback(lambda _: asyncio.ensure_future(self.remote_close()))

    async def stop(self) -> None:
        await self.end()

    def end(self) -> asyncio.Task[None]:
        """End the app (once; every caller waits for the same ending): see :meth:`_end`."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        return self._ending

    async def _end(self) -> None:
        """Ask the app to quit; SIGTERM its process group after QUIT_GRACE, SIGKILL it after TERM_GRACE more;
        return once the process is reaped and its last output forwarded."""
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        process = self.process
        if process is not None:
            self._ask_to_quit()
            for sig, grace in ((None, QUIT_GRACE), (signal.SIGTERM, TERM_GRACE), (signal.SIGKILL, None)):
                if sig == signal.SIGTERM:
                    log.info("participant's app %s did not quit within %.0f s: SIGTERM", process.pid, QUIT_GRACE)
                elif sig == signal.SIGKILL:
                    log.warning("participant's app %s ignored SIGTERM for %.0f s: killed", process.pid, TERM_GRACE)
                if sig is not None:
                    self._signal(sig)
                try:
                    await asyncio.wait_for(process.wait(), grace)
                    break
                except TimeoutError:
                    continue
            if self._stdin is not None:
                self._stdin.close()
        if self._task is not None:
            try:  # its last output; a process it started that keeps the pipe open must not hold us here
                await asyncio.wait_for(self._task, QUIT_GRACE)
            except TimeoutError:
                pass
            self._task = None

    def _ask_to_quit(self) -> None:
        """The quit message, written without waiting: the pipe may be full of input the app has not read."""
        try:
            if self._stdin is not None and not self._stdin.is_closing():
                self._stdin.write(self.encode_packet(b"M", json.dumps({"type": "quit"}).encode()))
        except (RuntimeError, OSError):
            pass

    def _signal(self, sig: signal.Signals) -> None:
        """Signal the app's process group (the app and anything it started), while the app is not yet reaped."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        try:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, sig)
            else:  # pragma: no cover - Windows
                process.send_signal(sig)
        except (ProcessLookupError, PermissionError):
            pass


def _envelope(data: str) -> tuple[str, Any] | None:
    """A browser message ``[type, payload]``; None for anything else."""
    try:
        envelope = json.loads(data)
    except ValueError:
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


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
        self._apps: set[ParticipantApp] = set()
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

    # -- participants -------------------------------------------------------------------------------
    @property
    def participants(self) -> int:
        """Participants' apps alive now (starting, running or being ended); one that has exited no longer counts."""
        return sum(app.running for app in self._apps)

    # the base returns only a WebSocketResponse; this one also answers 503 when the room is full
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]  # 503
        """One participant: their app runs while their websocket is open, and is ended when it closes."""
        if self.participants >= self.max_participants:
            return web.Response(status=503, text=f"503: {self.participants} participants already; try again later\n")
        # timeout: how long closing waits for the browser's answer (a browser answers at once)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES, timeout=QUIT_GRACE)
        app = ParticipantApp(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self._apps.add(app)  # counted from now on, so that two arriving at once cannot both take the last place
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        try:
            await websocket.prepare(request)
            width = terminal_size(request.query.get("width"), 80, MAX_COLUMNS)
            height = terminal_size(request.query.get("height"), 24, MAX_ROWS)
            await app.start(width, height)
            await self._relay(request, websocket, app)
        except asyncio.CancelledError:
            pass  # the server is stopping
        except Exception:
            log.exception("participant %s: the session failed", request.remote)
        finally:
            self._sessions.discard(task)
            ending = app.end()
            ending.add_done_callback(lambda _: self._apps.discard(app))
            if websocket.prepared and not websocket.closed:
                await websocket.close()
            await asyncio.shield(ending)
        return websocket

    async def _relay(self, request: web.Request, websocket: web.WebSocketResponse, app: ParticipantApp) -> None:
        """Forward the browser's messages to the app until the connection ends (closed by either side, lost, or a
        message over MAX_MESSAGE_BYTES: aiohttp closes with 1009) or the participant exceeds the input budget."""
        budget = InputBudget(INPUT_BURST_BYTES, INPUT_BYTES_PER_SECOND)
        async for message in websocket:
            data = message.data  # text, bytes, or (an ERROR message) the exception
            raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
            size = len(raw) if isinstance(raw, bytes) else 0
            if not budget.take(size):
                log.warning("participant %s sent more input than a person types: disconnected", request.remote)
                await websocket.close(code=WSCloseCode.POLICY_VIOLATION, message=b"too much input")
                return
            envelope = _envelope(message.data) if message.type == WSMsgType.TEXT else None
            if envelope is None:
                continue
            kind, payload = envelope
            try:
                if kind == "stdin" and isinstance(payload, str):
                    await asyncio.wait_for(app.send_bytes(payload.encode("utf-8", "replace")), INPUT_TIMEOUT)
                elif kind == "resize" and isinstance(payload, dict):
                    width = terminal_size(payload.get("width"), 80, MAX_COLUMNS)
                    height = terminal_size(payload.get("height"), 24, MAX_ROWS)
                    await asyncio.wait_for(app.set_terminal_size(width, height), INPUT_TIMEOUT)
                elif kind == "ping":
                    await websocket.send_json(["pong", payload])
                elif kind == "blur":
                    await asyncio.wait_for(app.blur(), INPUT_TIMEOUT)
                elif kind == "focus":
                    await asyncio.wait_for(app.focus(), INPUT_TIMEOUT)
            except TimeoutError:
                log.warning(
                    "participant %s: the app took no input for %.0f s: disconnected", request.remote, INPUT_TIMEOUT
                )
                await websocket.close(code=WSCloseCode.INTERNAL_ERROR, message=b"the app stopped responding")
                return
            except ConnectionError:  # the browser went away while we answered
                return

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping: end every participant's session and app now (each app within QUIT_GRACE + TERM_GRACE),
        rather than waiting for aiohttp's shutdown timeout."""
        sessions = list(self._sessions)
        for task in sessions:
            task.cancel()
        await asyncio.gather(*sessions, return_exceptions=True)
        await asyncio.gather(*(participant.end() for participant in list(self._apps)), return_exceptions=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page: textual-serve's, with URLs for the address the browser used (unless public_url is set)."""
        base = self.public_url.rstrip("/") if self.explicit_public_url else f"{request.scheme}://{request.host}"
        ws_base = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1]
        context: dict[str, Any] = {
            "font_size": terminal_size(request.query.get("fontsize"), 16, 64),
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
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        # SIGHUP too: the participants' apps run in their own process groups, so a closed terminal reaches only
        # the server, which ends them
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            try:
                loop.add_signal_handler(getattr(signal, name), stop.set)
            except (AttributeError, NotImplementedError):  # pragma: no cover - Windows
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
