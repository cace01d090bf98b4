"""Dialogs: confirm, the file changed on disk (reload / keep mine), comments that a save drops.

Every dialog is a modal screen that answers through ``dismiss``; push it with
a callback: ``app.push_screen(ConfirmDialog("Delete 'email'?"), on_answer)``.
Questions may contain workshop text: pass them as ``rich.text.Text`` (see
:func:`needsmap.tui.plain`) or as plain ``str`` (shown literally, never as markup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from needsmap.format.conflicts import conflict_line
from needsmap.format.model import Conflict
from needsmap.tui import plain

T = TypeVar("T")

#: The keys of every form: ctrl+s saves (``action_save``), Escape cancels (``action_cancel``).
FORM_KEYS = (Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel"))


def _text(value: str | Text) -> Text:
    return value if isinstance(value, Text) else plain(value, one_line=False)


class _Dialog(ModalScreen[T]):
    """A title, a body and buttons; the first button has the focus, a button answers with its id.

    ``YES``: the id of the button that answers True, for a yes-or-no dialog.
    """

    CSS_PATH = "dialogs.tcss"
    YES: str | None = None

    def __init__(self) -> None:
        super().__init__(classes="nm-dialog")

    def box(self, title: str | Text, body: str | Text, *buttons: Button, warning: bool = True) -> ComposeResult:
        with Vertical(classes="dialog-box warning" if warning else "dialog-box"):
            yield Static(title, classes="dialog-title")
            yield Static(body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield from buttons

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer = str(event.button.id) if self.YES is None else event.button.id == self.YES
        self.dismiss(answer)  # type: ignore[arg-type]  # str or bool, as the subclass declares


class ConfirmDialog(_Dialog[bool]):
    """Yes or no.  ``y``/Enter confirms, ``n``/Escape cancels."""

    YES = "yes"
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
        super().__init__()
        self.question = _text(question)
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.dialog_title = title
        self.danger = danger

    def compose(self) -> ComposeResult:
        yield from self.box(
            plain(self.dialog_title),
            self.question,
            Button(f"{self.confirm_label} (y)", id="yes", variant="error" if self.danger else "primary"),
            Button(f"{self.cancel_label} (n)", id="no"),
            warning=False,
        )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConflictDialog(_Dialog[str]):
    """The file changed on disk: ``"reload"`` (take theirs) or ``"keep"`` (overwrite with mine).

    When the file was deleted or moved, only ``"keep"`` (write it back) is offered.
    There is no cancel: leaving the question open would mean edits that are not saved.
    """

    BINDINGS = [
        Binding("r", "answer('reload')", "Reload theirs"),
        Binding("k", "answer('keep')", "Keep mine"),
    ]

    def __init__(self, message: str, *, deleted: bool = False, after_edit: bool = False) -> None:
        super().__init__()
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
        reload = () if self.deleted else (Button("Reload theirs (r)", id="reload", variant="primary"),)
        yield from self.box(title, body, *reload, Button("Keep mine (k)", id="keep", variant="warning"))

    def action_answer(self, answer: str) -> None:
        if answer == "reload" and self.deleted:
            return
        self.dismiss(answer)


class MergeConflictsDialog(_Dialog[str]):
    """Someone else saved changes to the same fields we changed: ``"mine"`` or ``"theirs"``.

    Everything else was merged already; the file keeps our values until this is answered.
    """

    BINDINGS = [
        Binding("k", "answer('mine')", "Keep mine"),
        Binding("t", "answer('theirs')", "Take theirs"),
        Binding("l,escape", "later", "Later"),
    ]
    #: Conflicts listed one per line; more are counted.
    SHOWN = 8

    def __init__(self, lines: list[str], *, from_git: bool = False) -> None:
        super().__init__()
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
        if self.from_git:
            buttons = (
                Button("Keep the file's values (k)", id="mine", variant="primary"),
                Button("Later (l)", id="later"),
            )
        else:
            buttons = (
                Button("Keep mine (k)", id="mine", variant="primary"),
                Button("Take theirs (t)", id="theirs", variant="warning"),
            )
        yield from self.box(title, body, *buttons)

    def action_answer(self, answer: str) -> None:
        if answer == "theirs" and self.from_git:
            return
        self.dismiss(answer)

    def action_later(self) -> None:
        if self.from_git:
            self.dismiss("later")


class CommentsDialog(_Dialog[bool]):
    """The file has YAML comments that needsmap cannot keep: go on (True) or quit (False)."""

    YES = "continue"
    BINDINGS = [
        Binding("c,enter", "answer(True)", "Continue"),
        Binding("q,escape", "answer(False)", "Quit"),
    ]

    def __init__(self, lines: tuple[int, ...]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        shown = ", ".join(str(n) for n in self.lines[:10]) + (", ..." if len(self.lines) > 10 else "")
        body = Text(
            f"This file has YAML comments on line(s) {shown}, outside the comment block at the top.\n"
            "needsmap keeps only that top block: the other comments will be removed when your first change "
            "is saved.\n\nContinue: edit, and let the first save remove them.\n"
            "Quit: leave the file untouched (move the comments into the top block, or into notes, first)."
        )
        yield from self.box(
            "Comments will be lost on save",
            body,
            Button("Continue (c)", id="continue", variant="warning"),
            Button("Quit (q)", id="quit"),
        )

    def action_answer(self, go_on: bool) -> None:
        self.dismiss(go_on)


def ask_keep_or_take(app: App, conflicts: list[Conflict], take_theirs: Callable[[], None]) -> None:
    """A saved form changed fields that someone else changed too: the form's values are in the file; ask which to keep
    (the merge-conflicts dialog, the same words) and call ``take_theirs`` when the answer is "theirs"."""

    def answered(answer: str | None) -> None:
        if answer == "theirs":
            take_theirs()
            app.notify("Took their values", markup=False)
        else:
            app.notify("Kept your values", markup=False)

    app.push_screen(MergeConflictsDialog([conflict_line(c) for c in conflicts]), answered)
