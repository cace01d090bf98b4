"""``needsmap serve``: the terminal UI in a real headless Chromium, and who gets in.

The server runs as ``python -m needsmap serve`` in a subprocess on a free
port, exactly as a facilitator starts it; each browser connection runs its
own ``needsmap open FILE``.  The browser tests type a quick note and find it
in the YAML file; the access tests check that the page, the websocket and the
static files answer 403 without the token, and that the token never shows in
the server's output except in the URL printed at start.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
import yaml

from needsmap.cli.main import main
from needsmap.tui.serve import MIN_TOKEN_LENGTH, ServeError, app_command, check_access, is_loopback
from tests.conftest import copy_demo

TOKEN = "t0k3n-for-the-serve-tests-7f3a9c"
START_TIMEOUT = 30.0
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
    env = {k: v for k, v in os.environ.items() if k != "NEEDSMAP_TOKEN"}
    if token is not None:
        env["NEEDSMAP_TOKEN"] = token
    proc = subprocess.Popen(
        [sys.executable, "-m", "needsmap", "serve", str(file), "--port", "0", *args],
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
    check_access("0.0.0.0", "x" * MIN_TOKEN_LENGTH)  # long enough: accepted
    with pytest.raises(ServeError):
        check_access("0.0.0.0", None)


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


def _add_note(term: Terminal, text: str) -> None:
    term.page.click("#terminal")
    mark = len(term.chunks)
    term.page.keyboard.press("n")  # the quick note
    term.wait_for_text("parking", since=mark)
    mark = len(term.chunks)
    term.page.keyboard.press("i")  # an idea; the text box gets the focus
    wait_until(
        lambda: len(term.chunks) > mark,
        START_TIMEOUT,
        "the app to redraw after 'i'",
        lambda: term.page.wait_for_timeout(50),
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
