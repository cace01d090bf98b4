"""The quick note: one key for the kind, one line of text, Enter.

Press ``n`` anywhere; then ``q``/``d``/``r``/``i``/``p`` (question, decision,
risk, idea, parking; Enter keeps "question"), type, Enter.  While typing,
up/down change the kind.  The note is linked (``about``) to what was selected
on the screen underneath; the app creates it (see ``NeedsmapApp.add_quick_note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from needsmap.format import model as m
from needsmap.tui import plain

KIND_KEYS: dict[str, m.NoteKind] = {"q": "question", "d": "decision", "r": "risk", "i": "idea", "p": "parking"}


@dataclass(frozen=True, slots=True)
class QuickNoteResult:
    kind: m.NoteKind
    text: str
    about: tuple[str, ...]


class KindChooser(Widget, can_focus=True):
    """``question  decision  risk  idea  parking``, the chosen one highlighted; one key picks."""

    COMPONENT_CLASSES = {"kind-chosen", "kind-other", "kind-key"}
    BINDINGS = [
        *(Binding(kind[0], f"pick({kind!r})", kind.capitalize(), show=False) for kind in m.NOTE_KINDS),
        Binding("enter", "pick('')", "Keep the kind", show=False),
        Binding("left", "step(-1)", "Previous kind", show=False),
        Binding("right", "step(1)", "Next kind", show=False),
    ]

    def __init__(self, kind: m.NoteKind) -> None:
        super().__init__(id="kind")
        self.kind = kind

    def render(self) -> Text:
        text = Text(end="")
        for key, kind in KIND_KEYS.items():
            chosen = kind == self.kind
            style = self.get_component_rich_style("kind-chosen" if chosen else "kind-other")
            text.append(" ")
            text.append(f" {key} ", style=self.get_component_rich_style("kind-key"))
            text.append(f" {kind} ", style=style)
        return text

    def action_pick(self, kind: m.NoteKind | Literal[""]) -> None:  # "": keep the kind
        if kind:
            self.kind = kind
            self.refresh()
        self.screen.query_one("#note-text", Input).focus()

    def action_step(self, delta: int) -> None:
        self.step(delta)

    def step(self, delta: int) -> None:
        kinds: list[m.NoteKind] = list(m.NOTE_KINDS)
        self.kind = kinds[(kinds.index(self.kind) + delta) % len(kinds)]
        self.refresh()


class QuickNoteScreen(ModalScreen[QuickNoteResult | None]):
    CSS_PATH = ["dialogs.tcss", "quick_note.tcss"]
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("up", "kind(-1)", "Previous kind", show=False),
        Binding("down", "kind(1)", "Next kind", show=False),
    ]

    def __init__(
        self, subject: tuple[str, str] | None, subject_label: Text | None = None, kind: m.NoteKind | None = None
    ) -> None:
        super().__init__(classes="nm-dialog", id="quick-note")
        self.subject = subject
        self.subject_label = subject_label
        self.preset = kind

    def compose(self) -> ComposeResult:
        about = Text("about: ", style="bold", end="")
        if self.subject is None:
            about.append("nothing selected (the note is not linked)", style="dim")
        else:
            about.append_text(self.subject_label or plain(self.subject[1]))
        with Vertical(classes="dialog-box"):
            yield Static("Quick note", classes="dialog-title")
            yield Static(about, id="note-about")
            yield KindChooser(self.preset or "question")
            yield Input(placeholder="Type the note; Enter saves, Esc cancels", id="note-text")
            yield Static(
                "q d r i p: kind   ↑ ↓: change the kind while typing   Enter: save   Esc: cancel", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        if self.preset:
            self.query_one("#note-text", Input).focus()
        else:
            self.query_one(KindChooser).focus()

    def action_kind(self, delta: int) -> None:
        self.query_one(KindChooser).step(delta)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#note-text")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.notify("Type the note first (Esc cancels)", severity="warning")
            return
        about = (self.subject[1],) if self.subject else ()
        self.dismiss(QuickNoteResult(self.query_one(KindChooser).kind, text, about))
