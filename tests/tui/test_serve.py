"""``needsmap serve``: the terminal UI in a real headless Chromium, and who gets in.

The server runs as ``python -m needsmap serve`` in a subprocess on a free
port, exactly as a facilitator starts it; each browser connection runs its
own ``needsmap open FILE``.  The browser tests type a quick note and find it
in the YAML file; the access tests check that the page, the websocket and the
static files answer 403 without the token, and that the token never shows in
the server's output except in the URL printed at start.  The process tests
check that each participant's app ends with its connection (also one that
ignores SIGTERM: a real child process that does), that oversized or endless
input closes the connection instead of swelling the app, and read the apps'
memory from ``/proc``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import yaml

from needsmap.cli.main import main
from needsmap.tui.serve import (
    MAX_APP_MEMORY,
    MAX_COLUMNS,
    MAX_MESSAGE_BYTES,
    MAX_ROWS,
    MIN_TOKEN_LENGTH,
    QUIT_GRACE,
    TERM_GRACE,
    InputBudget,
    ServeError,
    app_command,
    check_access,
    is_loopback,
    terminal_size,
)
from tests.conftest import copy_demo

TOKEN = "t0k3n-for-the-serve-tests-7f3a9c"
START_TIMEOUT = 30.0
#: A participant's app is asked to quit, SIGTERMed after QUIT_GRACE and SIGKILLed after TERM_GRACE more: it is gone
#: well within this (the margin is for a loaded machine).
REAP_DEADLINE = QUIT_GRACE + TERM_GRACE + 10.0
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Za-z0-9]|[=>78])")


def wait_until(
    condition: Callable[[], object],
    timeout: float,
    what: str,
    step: Callable[[], None],
    context: Callable[[], str] | None = None,
) -> object:
    """Poll ``condition`` (calling ``step`` between tries) until it is truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}" + (f"\n{context()}" if context else ""))
        step()


@dataclass
class Served:
    proc: subprocess.Popen
    file: Path
    token: str | None
    lines: list[str]  # what the server printed on stderr, as it comes
    reader: threading.Thread
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """Everything the server printed (after it stopped)."""
        out, _ = self.proc.communicate(timeout=30)
        self.reader.join(timeout=30)
        return out + "".join(self.lines)


def _listening_port(served: Served) -> int | None:
    """The port from the server's "Serving FILE to browsers at URL" line (printed once it listens)."""
    for line in list(served.lines):
        if found := re.search(r" at http://[^/]+:(\d+)/", line):
            return int(found.group(1))
    if served.proc.poll() is not None:
        served.reader.join(timeout=30)
        pytest.fail(f"the server exited with {served.proc.returncode}: {''.join(served.lines)}")
    return None


def start_server(tmp_path: Path, *args: str, token: str | None = None) -> Served:
    """``needsmap serve`` on a copy of the demo, on a port the system picks (--port 0)."""
    file = copy_demo(tmp_path)
    return _start(tmp_path, file, [sys.executable, "-m", "needsmap", "serve", str(file), "--port", "0", *args], token)


def _start(tmp_path: Path, file: Path, argv: list[str], token: str | None = None) -> Served:
    env = {k: v for k, v in os.environ.items() if k != "NEEDSMAP_TOKEN"}
    if token is not None:
        env["NEEDSMAP_TOKEN"] = token
    proc = subprocess.Popen(
        argv,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    assert proc.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    served = Served(proc, file, token, lines, reader)
    served.port = wait_until(
        lambda: _listening_port(served), START_TIMEOUT, "the server to listen", lambda: time.sleep(0.05)
    )
    return served


def _apps_on(file: Path) -> list[int]:
    """Running ``needsmap open FILE`` processes, whoever started them (Linux)."""
    wanted = b"\x00".join([b"needsmap", b"open", str(file).encode()])
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if wanted in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def stop(served: Served) -> str:
    """SIGTERM the server, as Ctrl+C would; it exits cleanly and every participant's app ends with it."""
    if served.proc.poll() is None:
        served.proc.send_signal(signal.SIGTERM)
    output = served.output()
    assert served.proc.returncode == 0, output
    wait_until(
        lambda: not _apps_on(served.file), START_TIMEOUT, "the apps to end with the server", lambda: time.sleep(0.05)
    )
    return output


@pytest.fixture
def loopback_server(tmp_path: Path) -> Iterator[Served]:
    served = start_server(tmp_path)
    yield served
    stop(served)


@pytest.fixture
def token_server(tmp_path: Path) -> Iterator[Served]:
    served = start_server(tmp_path, "--host", "0.0.0.0", token=TOKEN)
    yield served
    output = stop(served)
    # the token is printed once, in the URL to hand out, and never logged otherwise
    assert output.count(TOKEN) == 1, output


def run_async(make: Callable[[], Awaitable[None]]) -> None:
    """Run a coroutine on its own event loop in its own thread (Playwright's sync API owns this thread's loop)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:  # any failure is handed back to the test
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


# -- refusing to start ---------------------------------------------------------------------------
def test_loopback_is_told_apart_from_the_network():
    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "app.localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.com", "localhost.example.com", ""):
        assert not is_loopback(host), host


def test_binding_beyond_loopback_without_a_token_is_refused(runner, tmp_path):
    file = copy_demo(tmp_path, "w.yaml")
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        result = runner.invoke(main, ["serve", str(file), "--host", host, "--port", "0"], env={"NEEDSMAP_TOKEN": None})
        assert result.exit_code == 2, result.output
        assert "--token" in result.output and "Traceback" not in result.output
        assert "lets other machines connect" in result.output


def test_a_short_token_is_refused(runner, tmp_path):
    file = copy_demo(tmp_path, "w.yaml")
    short = "x" * (MIN_TOKEN_LENGTH - 1)
    result = runner.invoke(main, ["serve", str(file), "--host", "0.0.0.0", "--token", short])
    assert result.exit_code == 2
    assert "too short" in result.output
    check_access("0.0.0.0", "k3Q-9xZ_p7Lm2vRt"[:MIN_TOKEN_LENGTH])  # long and varied enough: accepted
    with pytest.raises(ServeError):
        check_access("0.0.0.0", None)


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (" " * 16, "space"),
        (" " * 40, "space"),
        ("\t\n" * 10, "tab"),
        ("correct horse battery staple", "space"),
        ("k3Q-9xZ_p7Lm2vRt\x00", "U+0000"),
        ("k3Q-9xZ_p7Lm2vRt\x1b[2J", "U+001B"),
        ("mot-de-passe-très-long-1234", "ASCII"),
        ("k3Q-9xZ_p7Lm2vRt\u200b", "ASCII"),
        ("x" * 16, "different characters"),
        ("ab" * 20, "different characters"),
        ("aaaabbbbccccdddd", "different characters"),
        ("password-password", "repeats"),
        ("Tr0ub4dor&3Tr0ub4dor&3", "repeats"),
        ("abcdefghijklmnopqrstuvwxyz", "run"),
        ("0123456789abcdef", "run"),
        ("zyxwvutsrqponmlk", "run"),
    ],
)
def test_a_token_without_real_entropy_is_refused_saying_why(runner, tmp_path, token, why):
    with pytest.raises(ServeError, match=re.escape(why)):
        check_access("0.0.0.0", token)
    with pytest.raises(ServeError, match=re.escape(why)):
        check_access("127.0.0.1", token)  # a token given on loopback must be a real one too
    file = copy_demo(tmp_path, "w.yaml")
    result = runner.invoke(main, ["serve", str(file), "--host", "0.0.0.0", "--port", "0", "--token", token])
    assert result.exit_code == 2, result.output
    assert why in result.output and "Traceback" not in result.output
    assert "token_urlsafe" in result.output  # how to make a good one


def test_generated_tokens_are_accepted():
    """The rules refuse what a person makes up carelessly, not what ``secrets`` makes (2,000 draws of each kind)."""
    for _ in range(2000):
        for token in (secrets.token_urlsafe(24), secrets.token_hex(16), secrets.token_urlsafe(12)):
            check_access("0.0.0.0", token)


def test_a_token_with_undecodable_bytes_is_refused_without_a_traceback(tmp_path):
    """Bytes that are not UTF-8, on the command line or in NEEDSMAP_TOKEN: a message, exit 2, no traceback."""
    file = copy_demo(tmp_path, "w.yaml")
    bad = b"k3Q-9xZ_p7Lm2vRt\xff\xfe-tail"
    env = {k.encode(): v.encode() for k, v in os.environ.items() if k not in ("NEEDSMAP_TOKEN", "LC_ALL", "LANG")}
    env[b"LC_ALL"] = b"C.UTF-8"
    serve = [sys.executable.encode(), b"-m", b"needsmap", b"serve", str(file).encode(), b"--host", b"0.0.0.0"]
    for argv, extra in ((serve + [b"--token", bad], {}), (serve, {b"NEEDSMAP_TOKEN": bad})):
        out = subprocess.run(argv, env={**env, **extra}, capture_output=True, timeout=60, check=False)
        stderr = out.stderr.decode("utf-8", "replace")
        assert out.returncode == 2, stderr
        assert "not valid text" in stderr and "Traceback" not in stderr, stderr


def test_a_public_proxy_address_needs_a_token_too(runner, tmp_path):
    """Bound to loopback behind a reverse proxy, the network still gets in: the token is required."""
    file = copy_demo(tmp_path, "w.yaml")
    result = runner.invoke(
        main, ["serve", str(file), "--public-url", "https://workshop.example.com"], env={"NEEDSMAP_TOKEN": None}
    )
    assert result.exit_code == 2 and "through a proxy" in result.output and "--token" in result.output
    check_access("127.0.0.1", None, "http://localhost:8000")  # an SSH tunnel's address: fine
    check_access("127.0.0.1", TOKEN, "https://workshop.example.com")


def test_an_invalid_or_missing_file_is_reported_before_serving(runner, tmp_path):
    result = runner.invoke(main, ["serve", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "missing.yaml" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("workshop: {name: x}\nstakeholders: [{id: a}, {id: a}]\n", encoding="utf-8")
    result = runner.invoke(main, ["serve", str(bad)])
    assert result.exit_code == 1
    assert re.search(r"bad\.yaml:\d+:\d+: error", result.output), result.output


def test_the_app_command_is_quoted_for_the_shell(tmp_path):
    odd = tmp_path / "it's a $(touch pwned) file.yaml"
    command = app_command(odd, python="/usr/bin/python3")
    out = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {command.split(' ', 1)[1]}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert out.stdout.splitlines() == ["-m", "needsmap", "open", str(odd)]
    assert not (tmp_path / "pwned").exists()
    assert shlex.split(command) == ["/usr/bin/python3", "-m", "needsmap", "open", str(odd)]  # as the server runs it


# -- who gets in -----------------------------------------------------------------------------------
async def _status(session: aiohttp.ClientSession, url: str, **kwargs) -> int:
    async with session.get(url, allow_redirects=False, **kwargs) as response:
        return response.status


async def _ws_status(session: aiohttp.ClientSession, url: str, **kwargs) -> int:
    try:
        async with session.ws_connect(url, **kwargs) as ws:
            await ws.close()
            return 101
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status


def test_without_the_token_page_websocket_and_files_are_forbidden(token_server):
    base = token_server.base

    async def scenario() -> None:
        async with aiohttp.ClientSession() as anonymous:
            for path in (
                "/",
                "/?token=wrong-token-of-the-right-length",
                f"/?token={TOKEN}x",
                "/static/js/textual.js",
                "/download/anything",
            ):
                assert await _status(anonymous, base + path) == 403, path
            assert await _ws_status(anonymous, f"{base}/ws") == 403
            assert await _ws_status(anonymous, f"{base}/ws?token=wrong") == 403
            forged = {token_server_cookie(token_server): TOKEN}  # the token itself is not the cookie
            assert await _status(anonymous, base + "/", cookies=forged) == 403
            bad_cookie = {"Cookie": f"{token_server_cookie(token_server)}=x"}
            assert await _ws_status(anonymous, f"{base}/ws", headers=bad_cookie) == 403

        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as invited:
            async with invited.get(f"{base}/?token={TOKEN}&fontsize=20", allow_redirects=False) as response:
                assert response.status == 303
                assert response.headers["Location"] == "/?fontsize=20"  # the token leaves the address bar
                cookie = response.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and TOKEN not in cookie
            async with invited.get(f"{base}/?fontsize=20") as response:
                assert response.status == 200
                page = await response.text()
                assert TOKEN not in page and 'data-session-websocket-url="ws://127.0.0.1' in page
                assert "googleapis" not in page  # participants' browsers reach only this server
            assert await _status(invited, base + "/static/js/textual.js") == 200
            # a websocket from another site's page is refused even with the cookie
            assert await _ws_status(invited, f"{base}/ws", origin="http://evil.example") == 403

    run_async(scenario)


def token_server_cookie(served: Served) -> str:
    return f"needsmap_{served.port}"


def test_loopback_refuses_other_host_names_and_foreign_pages(loopback_server):
    base = loopback_server.base

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            assert await _status(client, base + "/") == 200
            # DNS rebinding: a page on evil.example whose name now points at 127.0.0.1
            assert await _status(client, base + "/", headers={"Host": f"evil.example:{loopback_server.port}"}) == 403
            assert await _ws_status(client, f"{base}/ws", origin="http://evil.example") == 403

    run_async(scenario)


# -- in the browser -------------------------------------------------------------------------------
class Terminal:
    """A browser page on the server, with the text the app sent it (escape sequences removed)."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.chunks: list[str] = []
        self.requests: list[str] = []
        self.page.on("websocket", self._socket)
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.goto(url, wait_until="load")

    def _socket(self, ws) -> None:
        ws.on(
            "framereceived",
            lambda payload: self.chunks.append(
                payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
            ),
        )

    def text(self) -> str:
        return ANSI.sub("", "".join(self.chunks))

    def wait_for_text(self, needle: str, timeout: float = START_TIMEOUT, since: int = 0) -> None:
        wait_until(
            lambda: needle in ANSI.sub("", "".join(self.chunks[since:])),
            timeout,
            f"{needle!r} on the terminal",
            lambda: self.page.wait_for_timeout(50),
            lambda: self.text()[-1500:],
        )

    def close(self) -> None:
        self.context.close()


def _notes(file: Path) -> list[dict]:
    return yaml.safe_load(file.read_text(encoding="utf-8")).get("notes") or []


def test_a_participant_types_a_note_in_the_browser_and_it_lands_in_the_file(browser, token_server):
    uninvited = browser.new_context()
    try:
        page = uninvited.new_page()
        for url in (f"{token_server.base}/", f"{token_server.base}/?token=not-the-token-at-all-no"):
            response = page.goto(url)
            assert response is not None and response.status == 403
            assert "not invited" in page.content()
    finally:
        uninvited.close()
    term = Terminal(browser, f"{token_server.base}/?token={TOKEN}")
    try:
        assert term.page.url == f"{token_server.base}/"  # redirected: the token left the address bar
        term.page.wait_for_selector("body.-first-byte", timeout=START_TIMEOUT * 1000)
        term.wait_for_text("Overview")
        text = "Typed in Chromium via needsmap serve"
        _add_note(term, text)
        note = wait_until(
            lambda: next((n for n in _notes(token_server.file) if n.get("text") == text), None),
            START_TIMEOUT,
            "the note in the YAML file",
            lambda: term.page.wait_for_timeout(50),
            lambda: term.text()[-1500:],
        )
        assert note["kind"] == "idea"
        outside = [u for u in term.requests if not u.startswith((token_server.base, "ws://127.0.0.1"))]
        assert outside == []
    finally:
        term.close()


#: The empty note field with its cursor: the placeholder's first letter drawn apart (reversed), which the field
#: shows only when it has the focus.
NOTE_FIELD_FOCUSED = re.compile(r"T\x1b\[0m\x1b\[[0-9;]*mype the note")


def _add_note(term: Terminal, text: str) -> None:
    term.page.click("#terminal")
    mark = len(term.chunks)
    term.page.keyboard.press("n")  # the quick note
    term.wait_for_text("parking", since=mark)
    mark = len(term.chunks)
    term.page.keyboard.press("i")  # an idea; the text box gets the focus (a moment later: focus moves in turn)
    wait_until(  # keys typed before the focus arrives would go to the kind chooser and be lost
        lambda: NOTE_FIELD_FOCUSED.search("".join(term.chunks[mark:])),
        START_TIMEOUT,
        "the note's text field to take the focus (its cursor drawn)",
        lambda: term.page.wait_for_timeout(50),
        lambda: term.text()[-1500:],
    )
    term.page.keyboard.type(text)
    term.wait_for_text(text, since=mark)
    term.page.keyboard.press("Enter")


def test_a_second_participant_is_told_the_file_is_open_twice_and_sees_the_others_edits(browser, loopback_server):
    """Each browser runs its own app on the file: the later one is warned, and an edit made in one browser
    reaches the other (merged in, with a "The file changed on disk" notice)."""
    first = Terminal(browser, loopback_server.base + "/")
    try:
        first.wait_for_text("Overview")
        second = Terminal(browser, loopback_server.base + "/")
        try:
            second.wait_for_text("Overview")
            second.wait_for_text("open twice")
            mark = len(second.chunks)
            _add_note(first, "Seen by the other participant")
            wait_until(
                lambda: next(
                    (n for n in _notes(loopback_server.file) if n.get("text") == "Seen by the other participant"), None
                ),
                START_TIMEOUT,
                "the note in the YAML file",
                lambda: first.page.wait_for_timeout(50),
            )
            wait_until(
                lambda: any(
                    s in ANSI.sub("", "".join(second.chunks[mark:])) for s in ("changed on disk", "i-seen-by-the-other")
                ),
                START_TIMEOUT,
                "the second browser to hear of the edit",
                lambda: second.page.wait_for_timeout(50),
                lambda: second.text()[-1500:],
            )
        finally:
            second.close()
    finally:
        first.close()


def test_participants_are_limited(tmp_path):
    """Each browser costs a process: beyond --max-participants the websocket answers 503 (here with 1)."""
    served = start_server(tmp_path, "--max-participants", "1")
    url = f"{served.base}/ws?width=160&height=50"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(url) as first:
                await first.send_json(["resize", {"width": 160, "height": 50}])
                text = ""
                while "Overview" not in ANSI.sub("", text):  # the first participant's app is running
                    message = await asyncio.wait_for(first.receive(), START_TIMEOUT)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        text += message.data.decode("utf-8", "replace")
                assert await _ws_status(client, url) == 503
            # the first left: once its app has stopped there is room again
            deadline = time.monotonic() + START_TIMEOUT
            while (status := await _ws_status(client, url)) == 503 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert status == 101

    try:
        run_async(scenario)
    finally:
        stop(served)


def test_stopping_the_server_ends_the_participants_apps(tmp_path):
    served = start_server(tmp_path)
    url = f"{served.base}/ws?width=160&height=50"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            participant = await client.ws_connect(url, autoping=False)  # answers the close, like a browser
            await participant.send_json(["resize", {"width": 160, "height": 50}])
            text = ""
            while "Overview" not in ANSI.sub("", text):
                message = await asyncio.wait_for(participant.receive(), START_TIMEOUT)
                if message.type == aiohttp.WSMsgType.BINARY:
                    text += message.data.decode("utf-8", "replace")
            assert _apps_on(served.file)
            stopping = asyncio.create_task(asyncio.to_thread(stop, served))  # SIGTERM while connected
            message = await asyncio.wait_for(participant.receive(), START_TIMEOUT)
            while message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.PING):  # last frames, then the close
                message = await asyncio.wait_for(participant.receive(), START_TIMEOUT)
            assert message.type == aiohttp.WSMsgType.CLOSE  # the server closed the participant's websocket
            await stopping
        assert _apps_on(served.file) == []
        assert not (served.file.parent / f".{served.file.name}.needsmap-lock").exists()  # the app closed its session

    run_async(scenario)


# -- each participant's process: bounded, and ended with its connection -----------------------------
def _memory_mb(pid: int) -> int | None:
    """Resident memory of a process in MB, or None once it is gone (or a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields.get("State", "").strip().startswith("Z"):
        return None
    return int(fields.get("VmRSS", "0 kB").split()[0]) // 1024


def _watch_until_gone(pids: list[int], timeout: float, what: str) -> tuple[float, int]:
    """Wait for every process in ``pids`` to end; returns how long it took and the largest memory (MB) seen."""
    start, peak = time.monotonic(), 0
    while True:
        sizes = [size for size in map(_memory_mb, pids) if size is not None]
        if not sizes:
            return time.monotonic() - start, peak
        peak = max(peak, *sizes)
        if time.monotonic() - start > timeout:
            pytest.fail(f"{what}: still running after {timeout:.0f} s ({sizes} MB)")
        time.sleep(0.1)


async def _join(client: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    """A participant whose app is on screen (its Overview drawn)."""
    ws = await client.ws_connect(url, max_msg_size=0)
    await ws.send_json(["resize", {"width": 120, "height": 40}])
    text = ""
    while "Overview" not in ANSI.sub("", text):
        message = await asyncio.wait_for(ws.receive(), START_TIMEOUT)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        text += message.data.decode("utf-8", "replace")
    return ws


async def _closed_by_server(ws: aiohttp.ClientWebSocketResponse) -> aiohttp.WSMessage:
    """Read past the app's output to the server's close frame (fails if the server never closes)."""
    while True:
        message = await asyncio.wait_for(ws.receive(), START_TIMEOUT)
        if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            return message


def test_the_input_budget_allows_a_burst_then_a_steady_rate():
    now = [0.0]
    budget = InputBudget(1000, 100, clock=lambda: now[0])
    assert budget.take(600) and budget.take(400)  # the burst
    assert not budget.take(1)  # spent
    now[0] = 2.0
    assert not budget.take(201) and budget.take(200)  # refilled at 100 a second
    now[0] = 1000.0
    assert budget.take(1000) and not budget.take(1)  # never more than the burst, however long it rested


def test_terminal_sizes_from_the_browser_are_bounded():
    assert terminal_size("120", 80, MAX_COLUMNS) == 120
    assert terminal_size(20000, 80, MAX_COLUMNS) == MAX_COLUMNS
    assert terminal_size(10**400, 24, MAX_ROWS) == MAX_ROWS
    assert terminal_size(-5, 24, MAX_ROWS) == 1
    for nonsense in (None, "wide", [], {}, float("nan"), float("inf"), "1e9"):
        assert terminal_size(nonsense, 24, MAX_ROWS) == 24


def test_a_dropped_connection_ends_the_app(tmp_path):
    """The browser vanishes without closing the websocket (the socket just closes): its app quits, cleanly (its
    lock on the file released)."""
    served = start_server(tmp_path)

    async def scenario() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        writer.write(
            (
                "GET /ws?width=160&height=50 HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{served.port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), START_TIMEOUT)
        assert head.startswith(b"HTTP/1.1 101"), head
        received = b""
        while b"Overview" not in received:  # the app is on screen
            chunk = await asyncio.wait_for(reader.read(65536), START_TIMEOUT)
            assert chunk, f"the server closed the connection: {received[-500:]!r}"
            received += chunk
        assert _apps_on(served.file)
        writer.close()  # no close frame: the connection is simply gone

    try:
        run_async(scenario)
        took, _ = _watch_until_gone(_apps_on(served.file), REAP_DEADLINE, "the app after its connection dropped")
        print(f"app gone {took:.1f} s after the connection dropped")
        assert not (served.file.parent / f".{served.file.name}.needsmap-lock").exists()  # it quit, not killed
    finally:
        stop(served)


def test_an_oversized_message_closes_the_connection_and_the_app_ends(tmp_path):
    """3 MB typed in one message: refused (1009, message too big) instead of swelling the app to gigabytes, and
    the app ends with the connection."""
    served = start_server(tmp_path)
    url = f"{served.base}/ws?width=120&height=40"
    seen: dict[str, float] = {}

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            ws = await _join(client, url)
            [seen["pid"]] = _apps_on(served.file)
            seen["before"] = _memory_mb(int(seen["pid"])) or 0
            await ws.send_str(json.dumps(["stdin", "x" * 3_000_000]))
            message = await _closed_by_server(ws)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
            await ws.close()
            # compressed (permessage-deflate) to a few kilobytes on the wire: the limit is on the message itself
            squeezed = await client.ws_connect(url, compress=15)
            assert squeezed.compress  # the server agreed to compress
            await squeezed.send_str(json.dumps(["stdin", "x" * 3_000_000]), compress=15)
            message = await _closed_by_server(squeezed)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
            await squeezed.close()

    try:
        run_async(scenario)
        took, peak = _watch_until_gone([int(seen["pid"])], REAP_DEADLINE, "the app after an oversized message")
        print(f"app: {seen['before']:.0f} MB before, at most {peak} MB after; gone {took:.1f} s after the close")
        assert peak < seen["before"] + 100
    finally:
        stop(served)


def test_a_flood_of_input_closes_the_connection_and_the_app_ends(tmp_path):
    """Messages each under the size limit, but far more of them than a person types or pastes: the connection is
    closed (1008, policy) once the input budget is spent, and the app, fed one burst at most, ends with it."""
    served = start_server(tmp_path)
    url = f"{served.base}/ws?width=120&height=40"
    seen: dict[str, float] = {}
    chunk = json.dumps(["stdin", "x" * (MAX_MESSAGE_BYTES // 2)])

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            ws = await _join(client, url)
            [seen["pid"]] = _apps_on(served.file)
            seen["before"] = _memory_mb(int(seen["pid"])) or 0
            sent = 0
            try:
                for _ in range(64):  # 2 MB in all, if the server let it
                    await ws.send_str(chunk)
                    sent += len(chunk)
            except ConnectionError:
                pass  # closed while sending: fine
            message = await _closed_by_server(ws)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == aiohttp.WSCloseCode.POLICY_VIOLATION
            assert "too much input" in message.extra
            await ws.close()

    try:
        run_async(scenario)
        took, peak = _watch_until_gone([int(seen["pid"])], REAP_DEADLINE, "the app after a flood of input")
        print(f"app: {seen['before']:.0f} MB before, at most {peak} MB after; gone {took:.1f} s after the close")
        assert peak < seen["before"] + 300  # one burst of key presses (INPUT_BURST_BYTES) at most: some 150 MB
    finally:
        stop(served)


def test_an_absurd_terminal_size_is_bounded(tmp_path):
    """A resize to 20,000 x 20,000 cells would take the app past a gigabyte: sizes are clamped to what a screen
    shows, and the app stays small and answers."""
    served = start_server(tmp_path)
    url = f"{served.base}/ws?width=20000&height=20000"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            ws = await _join(client, url)
            [pid] = _apps_on(served.file)
            await ws.send_json(["resize", {"width": 20000, "height": 20000}])
            await ws.send_json(["resize", {"width": "wide", "height": None}])  # nonsense is ignored
            await ws.send_str("not json")
            await ws.send_json({"not": "a list"})
            await ws.send_json(["ping", "still there?"])
            ponged, drawn = False, ""
            while not (ponged and f"\x1b[{MAX_ROWS};1H" in drawn):  # answered, and the largest screen drawn
                message = await asyncio.wait_for(ws.receive(), START_TIMEOUT)
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
                if message.type == aiohttp.WSMsgType.TEXT:
                    ponged = ponged or json.loads(message.data) == ["pong", "still there?"]
                else:
                    drawn += message.data.decode("utf-8", "replace")
            rows = {int(row) for row in re.findall(r"\x1b\[(\d+);\d+H", drawn)}
            columns = {int(column) for column in re.findall(r"\x1b\[\d+;(\d+)H", drawn)}
            assert max(rows) == MAX_ROWS and max(columns) <= MAX_COLUMNS
            size = _memory_mb(pid)
            print(f"app after the resize: {size} MB")
            assert size is not None and size < 400
            await ws.close()

    try:
        run_async(scenario)
    finally:
        output = stop(served)
    assert "Traceback" not in output, output


#: A participant app that ignores SIGTERM and the quit message, or ("exit") dies as soon as it started; it writes
#: its pid to the file named in its second argument.
STUBBORN_APP = textwrap.dedent(
    """
    import os, signal, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    with open(sys.argv[2], "a") as pids:
        pids.write(f"{os.getpid()}\\n")
    sys.stdout.write("__GANGLION__\\n")
    sys.stdout.flush()
    if sys.argv[1] == "exit":
        sys.exit(3)
    while sys.stdin.buffer.read(4096):
        pass  # every message ignored, "quit" included
    time.sleep(3600)  # and still here when the input ends
    """
)


def start_server_with_app(tmp_path: Path, mode: str, *, max_participants: int = 24) -> tuple[Served, Path]:
    """The server (in its own process) with STUBBORN_APP as each participant's app; returns it and the pid file."""
    file = copy_demo(tmp_path)
    app, pids = tmp_path / "stubborn.py", tmp_path / "pids"
    app.write_text(STUBBORN_APP, encoding="utf-8")
    command = shlex.join([sys.executable, str(app), mode, str(pids)])
    script = (
        "import sys; from pathlib import Path; from needsmap.tui.serve import WorkshopServer; "
        f"WorkshopServer(Path({str(file)!r}), port=0, command={command!r}, max_participants={max_participants}, "
        "announce=lambda line: print(line, file=sys.stderr, flush=True)).serve()"
    )
    return _start(tmp_path, file, [sys.executable, "-c", script]), pids


def _data_limit(pid: int) -> int | None:
    """The process's cap on its data segment (RLIMIT_DATA) in bytes, None when unlimited."""
    for line in Path(f"/proc/{pid}/limits").read_text(encoding="utf-8").splitlines():
        if line.startswith("Max data size"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    raise AssertionError("no data size in /proc/PID/limits")


def _pids(pids: Path, count: int) -> list[int]:
    found = wait_until(
        lambda: len(pids.read_text().split()) >= count if pids.exists() else False,
        START_TIMEOUT,
        f"{count} app(s) to start",
        lambda: time.sleep(0.05),
    )
    assert found
    return [int(pid) for pid in pids.read_text().split()]


def test_an_app_that_ignores_sigterm_is_killed_and_only_live_apps_count(tmp_path):
    """One participant allowed. The first one's app ignores "quit" and SIGTERM: after the first leaves, that app
    still runs, so it still counts (503); it is SIGKILLed within the deadline, and then the place is free."""
    served, pids = start_server_with_app(tmp_path, "stubborn", max_participants=1)
    url = f"{served.base}/ws"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            first = await client.ws_connect(url)
            [pid] = _pids(pids, 1)
            assert _data_limit(pid) == MAX_APP_MEMORY
            assert await _ws_status(client, url) == 503
            await first.close()
            left = time.monotonic()
            assert _memory_mb(pid) is not None
            assert await _ws_status(client, url) == 503  # still running: it counts
            while (status := await _ws_status(client, url)) == 503 and time.monotonic() - left < REAP_DEADLINE:
                await asyncio.sleep(0.1)
            took = time.monotonic() - left
            print(f"place free again {took:.1f} s after the participant left")
            assert status == 101
            assert took >= QUIT_GRACE + TERM_GRACE - 0.5  # it was given its chance to quit
            assert _memory_mb(pid) is None  # killed, and reaped: no zombie

    try:
        run_async(scenario)
    finally:
        output = stop(served)
    assert "killed" in output, output


def test_an_app_that_dies_closes_its_connection_and_no_longer_counts(tmp_path):
    """A participant's app that exits on its own: the server closes that browser's connection and frees its place."""
    served, pids = start_server_with_app(tmp_path, "exit", max_participants=1)
    url = f"{served.base}/ws"

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            first = await client.ws_connect(url)
            [pid] = _pids(pids, 1)
            message = await _closed_by_server(first)
            assert message.type == aiohttp.WSMsgType.CLOSE
            assert _memory_mb(pid) is None
            assert await _ws_status(client, url) == 101

    try:
        run_async(scenario)
    finally:
        stop(served)


def test_stopping_the_server_kills_apps_that_ignore_sigterm(tmp_path):
    """SIGTERM to the server with two participants whose apps ignore it: the server still exits, and both apps
    end (SIGKILLed after their grace) before it does."""
    served, pids = start_server_with_app(tmp_path, "stubborn")
    url = f"{served.base}/ws"
    apps: list[int] = []

    async def scenario() -> None:
        async with aiohttp.ClientSession() as client:
            participants = [await client.ws_connect(url) for _ in range(2)]
            apps.extend(_pids(pids, 2))
            started = time.monotonic()
            served.proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(served.proc.wait, REAP_DEADLINE)
            print(f"server stopped {time.monotonic() - started:.1f} s after SIGTERM")
            for ws in participants:
                await ws.close()

    try:
        run_async(scenario)
        assert served.proc.returncode == 0
        assert [pid for pid in apps if _memory_mb(pid) is not None] == []
        output = served.output()
        assert output.count("killed") == 2, output
    finally:
        for pid in apps:  # in case the server failed to: never leave them behind
            if _memory_mb(pid) is not None:
                os.kill(pid, signal.SIGKILL)
        if served.proc.poll() is None:
            served.proc.kill()
