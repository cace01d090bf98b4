"""Driving ``needsmap open`` in a real terminal (tmux), the way a person at the keyboard does.

:class:`Terminal` starts a command in a detached tmux session of a given size, sends keys
(``send``: text as literal characters, key names such as ``Enter`` or ``C-s`` as keys, all in one
``tmux send-keys`` call so nothing waits between them) and reads the screen (``screen``,
``wait_for``).  Used by tests/tui/test_tmux_reentry.py and ``python -m benchmarks.reentry``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: tmux key names sent as keys (everything else is text, typed character by character).
KEYS = frozenset(
    {"Enter", "Tab", "BTab", "Escape", "BSpace", "Up", "Down", "Left", "Right", "Home", "End", "PageUp", "PageDown"}
)


def require_tmux() -> None:
    """tmux is there (``./dev test`` installs it), or the test fails saying so: never a silent skip."""
    assert shutil.which("tmux"), "tmux is needed for the terminal tests: ./dev test installs it (apt-get install tmux)"


def is_key(token: str) -> bool:
    """A tmux key name (``Enter``, ``C-s``, ``M-x``), not text."""
    return token in KEYS or (len(token) == 3 and token[:2] in ("C-", "M-"))


@dataclass
class Terminal:
    """One tmux session running one command; see the module docstring."""

    width: int = 120
    height: int = 40
    name: str = ""
    socket: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or f"nm-{uuid.uuid4().hex[:8]}"
        self.socket = self.socket or f"nm-{uuid.uuid4().hex[:8]}"  # a server of its own: never anyone else's
        #: every burst sent: (seconds since start, keys), for the report of a failure
        self.sent: list[tuple[float, list[str]]] = []
        self._t0 = time.monotonic()

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self, command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        full_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        exports = [f"{k}={v}" for k, v in full_env.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV")]
        exports += [f"{k}={v}" for k, v in (env or {}).items()]
        shell_cmd = " ".join(["env", *map(_quote, exports), *map(_quote, command)])
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(self.width), "-y", str(self.height), "-c", str(cwd))
        self._tmux("set-option", "-t", self.name, "escape-time", "0")  # Escape reaches the app at once
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")
        self._tmux("send-keys", "-t", self.name, "-l", f"exec {shell_cmd}")
        self._tmux("send-keys", "-t", self.name, "Enter")

    def send(self, *tokens: str) -> None:
        """Keys and text in one go, with no pause between them: a machine-speed typist.

        Text goes with ``-l`` (literal); runs of text and keys are joined into one ``send-keys`` call
        where tmux allows it (each call is one write to the terminal).
        """
        self.sent.append((round(time.monotonic() - self._t0, 2), list(tokens)))
        args: list[str] = []
        for token in tokens:
            if is_key(token):
                args.append(token)
            else:
                # a literal: tmux sends unknown key names as text; "-l" is per call, so text is spelt as hex
                args.extend(_hex_keys(token))
        for start in range(0, len(args), 400):  # the command line stays short; no pause between calls
            self._tmux("send-keys", "-t", self.name, *args[start : start + 400])

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name, check=False).stdout

    def alive(self) -> bool:
        out = self._tmux("list-panes", "-t", self.name, "-F", "#{pane_dead}", check=False)
        return out.returncode == 0 and out.stdout.strip() == "0"

    def wait_for(self, condition: Callable[[str], object], what: str, timeout: float = 20.0, poll: float = 0.02):
        """Poll the screen until ``condition(screen)`` is truthy; its value.  Fails with the screen shown."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            value = condition(text)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; the screen:\n{text}")
            time.sleep(poll)

    def wait_text(self, needle: str, timeout: float = 20.0) -> None:
        self.wait_for(lambda s: needle in s, repr(needle), timeout)

    def wait_gone(self, needle: str, timeout: float = 20.0) -> None:
        self.wait_for(lambda s: needle not in s, f"{needle!r} to go", timeout)

    def wait_exit(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app did not quit; the screen:\n{self.screen()}")
            time.sleep(0.05)

    def close(self) -> None:
        self._tmux("kill-server", check=False)


def _hex_keys(text: str) -> list[str]:
    """Text as ``send-keys -H`` cannot mix with key names; tmux takes one character per argument instead.

    A single printable character is sent as itself, except those tmux reads as key names or options.
    """
    out = []
    for char in text:
        if char == " ":
            out.append("Space")
        elif char == ";":
            out.append("\\;")
        else:
            out.append(char)
    return out


def _quote(word: str) -> str:
    if word and all(c.isalnum() or c in "-_./=:+,@%" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"
