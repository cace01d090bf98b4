"""Dialogs: confirm, the file changed on disk (reload / keep mine), comments that a save drops.

Every dialog is a modal screen that answers through ``dismiss``; push it with
a callback: ``app.push_screen(ConfirmDialog("Delete 'email'?"), on_answer)``.
Questions may contain workshop text: pass them as ``rich.text.Text`` (see
:func:`needsmap.tui.plain`) or as plain ``str`` (shown literally, never as markup).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from needsmap.tui import plain


def _text(value: str | Text) -> Text:
    return value if isinstance(value, Text) else plain(value, one_line=False)


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no.  ``y``/Enter confirms, ``n``/Escape cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(
        self,
        question: str | Text,
        *,
        confirm: str = "Yes",
        cancel: str = "Cancel",
        title: str = "Please confirm",
        danger: bool = True,
    ) -> None:
        super().__init__(classes="nm-dialog")
        self.question = _text(question)
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.dialog_title = title
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(plain(self.dialog_title), classes="dialog-title")
            yield Static(self.question, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", id="yes", variant="error" if self.danger else "primary")
                yield Button(f"{self.cancel_label} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConflictDialog(ModalScreen[str]):
    """The file changed on disk: ``"reload"`` (take theirs) or ``"keep"`` (overwrite with mine).

    When the file was deleted or moved, only ``"keep"`` (write it back) is offered.
    There is no cancel: leaving the question open would mean edits that are not saved.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("r", "answer('reload')", "Reload theirs"),
        Binding("k", "answer('keep')", "Keep mine"),
    ]

    def __init__(self, message: str, *, deleted: bool = False, after_edit: bool = False) -> None:
        super().__init__(classes="nm-dialog")
        self.message = message
        self.deleted = deleted
        self.after_edit = after_edit

    def compose(self) -> ComposeResult:
        if self.deleted:
            title = "The workshop file was deleted or moved"
            body = Text.assemble(
                plain(self.message, one_line=False),
                "\n\n",
                "Keep mine writes the workshop as you have it back to the same place.",
            )
        else:
            title = "The file changed on disk (another editor or git pull)"
            lost = "Your last change is NOT saved yet. " if self.after_edit else ""
            body = Text.assemble(
                plain(self.message, one_line=False),
                "\n\n",
                lost,
                "Reload theirs: take the version on disk (your undo history is cleared).\n"
                "Keep mine: overwrite it with your version (theirs is kept as a .bak file beside it).",
            )
        with Vertical(classes="dialog-box warning"):
            yield Static(title, classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                if not self.deleted:
                    yield Button("Reload theirs (r)", id="reload", variant="primary")
                yield Button("Keep mine (k)", id="keep", variant="warning")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(str(event.button.id))

    def action_answer(self, answer: str) -> None:
        if answer == "reload" and self.deleted:
            return
        self.dismiss(answer)


class MergeConflictsDialog(ModalScreen[str]):
    """Someone else saved changes to the same fields we changed: ``"mine"`` or ``"theirs"``.

    Everything else was merged already; the file keeps our values until this is answered.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("k", "answer('mine')", "Keep mine"),
        Binding("t", "answer('theirs')", "Take theirs"),
        Binding("l,escape", "later", "Later"),
    ]
    #: Conflicts listed one per line; more are counted.
    SHOWN = 8

    def __init__(self, lines: list[str], *, from_git: bool = False) -> None:
        super().__init__(classes="nm-dialog")
        self.lines = lines
        #: conflicts a git merge left in the file (not met while editing): keep the file's values, or later
        self.from_git = from_git

    def compose(self) -> ComposeResult:
        shown = [plain(line) for line in self.lines[: self.SHOWN]]
        more = len(self.lines) - len(shown)
        if self.from_git:
            title = "A git merge left conflicts in this file"
            intro = "Both branches changed these fields; the file holds one side's value for each:\n\n"
            outro = (
                "\nKeep the file's values: the conflicts are settled as they are (undo brings them back).\n"
                "Later: edit the fields first; until settled, needsmap validate reports them as errors."
            )
        else:
            title = "Someone else changed the same thing"
            intro = "Their other changes are merged in. These fields were changed by both of you:\n\n"
            outro = (
                "\nKeep mine: the file keeps your values (as it does now).\n"
                "Take theirs: their values replace yours for these fields only."
            )
        body = Text.assemble(
            intro,
            *(Text.assemble("• ", line, "\n") for line in shown),
            f"… and {more} more\n" if more > 0 else "",
            outro,
        )
        with Vertical(classes="dialog-box warning"):
            yield Static(title, classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                if self.from_git:
                    yield Button("Keep the file's values (k)", id="mine", variant="primary")
                    yield Button("Later (l)", id="later")
                else:
                    yield Button("Keep mine (k)", id="mine", variant="primary")
                    yield Button("Take theirs (t)", id="theirs", variant="warning")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(str(event.button.id))

    def action_answer(self, answer: str) -> None:
        if answer == "theirs" and self.from_git:
            return
        self.dismiss(answer)

    def action_later(self) -> None:
        if self.from_git:
            self.dismiss("later")


class CommentsDialog(ModalScreen[bool]):
    """The file has YAML comments that needsmap cannot keep: go on (True) or quit (False)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("c,enter", "answer(True)", "Continue"),
        Binding("q,escape", "answer(False)", "Quit"),
    ]

    def __init__(self, lines: tuple[int, ...]) -> None:
        super().__init__(classes="nm-dialog")
        self.lines = lines

    def compose(self) -> ComposeResult:
        shown = ", ".join(str(n) for n in self.lines[:10]) + (", ..." if len(self.lines) > 10 else "")
        body = Text(
            f"This file has YAML comments on line(s) {shown}, outside the comment block at the top.\n"
            "needsmap keeps only that top block: the other comments will be removed when your first change "
            "is saved.\n\nContinue: edit, and let the first save remove them.\n"
            "Quit: leave the file untouched (move the comments into the top block, or into notes, first)."
        )
        with Vertical(classes="dialog-box warning"):
            yield Static("Comments will be lost on save", classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Continue (c)", id="continue", variant="warning")
                yield Button("Quit (q)", id="quit")

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "continue")

    def action_answer(self, go_on: bool) -> None:
        self.dismiss(go_on)
