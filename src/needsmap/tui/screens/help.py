"""Help (``?``): every key, global and per screen, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from needsmap.tui.registry import SCREENS

KEY_WIDTH = 22

#: Keys of Textual's own widgets that every table screen has.
TABLE_KEYS = (
    ("↑ ↓ ← →, PgUp PgDn", "move in a table or the matrix"),
    ("Enter", "open / edit / go to the selected row"),
    ("Tab, shift+Tab", "next / previous field or table"),
    ("Esc", "close a dialog; clear a filter"),
)


def own_bindings(cls: type) -> list[Binding]:
    """The bindings a screen class adds (its own and its bases' up to Textual's Screen)."""
    found: list[Binding] = []
    seen: set[tuple[str, str]] = set()
    for klass in cls.__mro__:
        if klass in (Screen, ModalScreen) or not issubclass(klass, Screen):
            break
        raw: Iterable[BindingType] = klass.__dict__.get("BINDINGS", ())
        for binding in raw:
            b = binding if isinstance(binding, Binding) else Binding(*binding)
            if (b.key, b.action) not in seen and b.description:
                seen.add((b.key, b.action))
                found.append(b)
    return found


def _key(app, binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    keys = [k.strip() for k in binding.key.split(",")]
    return ", ".join(app.get_key_display(Binding(k, binding.action)) for k in keys)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../widgets/dialogs.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self) -> None:
        super().__init__(classes="nm-dialog", id="help")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box help-box"):
            yield Static("needsmap: every key  (Esc or ? closes)", classes="dialog-title")
            with VerticalScroll(classes="help-scroll"):
                yield Static(self._content())

    def _table(self, title: str, rows: Iterable[tuple[str, str]], key_width: int = KEY_WIDTH) -> Table:
        table = Table(
            title=Text(title, style="bold"), title_justify="left", show_header=False, box=None, padding=(0, 2, 0, 0)
        )
        table.add_column("key", style="bold", no_wrap=True, min_width=key_width, max_width=key_width)
        table.add_column("what")
        for key, what in rows:
            table.add_row(Text(key), Text(what))
        return table

    def _content(self) -> Group:
        app = self.app
        parts: list[Table | Text] = []
        glob = [(entry.key, f"{entry.title} screen") for entry in SCREENS]
        for binding in Binding.make_bindings(app.BINDINGS):
            if binding.action.startswith("show("):
                continue
            glob.append((_key(app, binding), binding.tooltip or binding.description))
        glob.append(("ctrl+p", "command palette: every action, every screen, every item by name"))
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            ("Everywhere", _dedupe(glob)),
            ("In tables", [*TABLE_KEYS]),
        ]
        for entry in SCREENS:
            rows = [(_key(app, b), b.tooltip or b.description) for b in own_bindings(entry.screen)]
            sections.append((entry.title, rows or [("", "(no keys of its own)")]))
        # the keys as wide as the widest (at most KEY_WIDTH): the words beside them get the rest of the line
        width = min(KEY_WIDTH, max(cell_len(key) for _, rows in sections for key, _ in rows))
        for i, (title, rows) in enumerate(sections):
            if i:
                parts.append(Text(""))
            parts.append(self._table(title, rows, width))
        parts.append(Text(""))
        parts.append(
            Text(
                "Quick note (n): q d r i p picks question, decision, risk, idea or parking, then type and "
                "press Enter; the note is linked to the selected item.",
                style="dim",
            )
        )
        parts.append(Text("Every change is saved at once; quitting never asks.", style="dim"))
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)


def _dedupe(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: dict[str, list[str]] = {}
    for key, what in rows:
        out.setdefault(what, []).append(key)
    return [(", ".join(dict.fromkeys(keys)), what) for what, keys in out.items()]
