"""Notes (key 9): questions, decisions, risks, ideas and the parking lot.

A table of notes grouped by kind (open ones first), with the full text of
the selected note below.  ``a`` adds, ``e``/Enter edits, ``c`` closes or
reopens, ``d`` deletes (after asking), ``k`` shows one kind at a time; typing
filters.  Every change goes through the session, so ctrl+z undoes it.

In the form, a new note's id follows its kind and first words (``q-who-owns-the``) until the id is typed
by hand; ``about`` and ``by`` take ids or names (→ completes either; a name is read as its item's id, shown
as the id on leaving the field), and a name that is no item's is refused, saying so.

The form saves only the fields the person changed in it, onto the note as it is
when the form is saved (:mod:`needsmap.collab.field_patch`, as the item forms do):
what the session merged from someone else meanwhile stays, and a field both changed
asks "keep mine / take theirs" (the dialog of merge conflicts, the same words).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Select, Static, TextArea

from needsmap.collab import field_patch
from needsmap.format import model as m
from needsmap.format.naming import new_note_id
from needsmap.format.spec import ID_PATTERN
from needsmap.tui import paragraphs, plain
from needsmap.tui.formcheck import reference_names, resolve_reference
from needsmap.tui.screens.overview import ensure_columns, fit, last_column_room, reset, wrapped
from needsmap.tui.widgets.dialogs import FORM_KEYS, ConfirmDialog, ask_keep_or_take
from needsmap.tui.widgets.forms import ListSuggester, ref_names
from needsmap.tui.widgets.type_to_filter import TypeToFilter, filter_keys

if TYPE_CHECKING:
    from needsmap.tui.app import OpenApp

KIND_STYLE = {"question": "cyan", "decision": "green", "risk": "bold red", "idea": "magenta", "parking": "dim"}
KIND_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(m.NOTE_KINDS)}
_ID = re.compile(ID_PATTERN)
#: Below this width the id and by columns go (the detail pane shows them).
WIDE = 110
ID_WIDTH, ABOUT_WIDTH, BY_WIDTH = 18, 18, 8
WIDE_COLUMNS = [
    ("kind", "kind", 8),
    ("status", "status", 6),
    ("id", "id", ID_WIDTH),
    ("about", "about", ABOUT_WIDTH),
    ("by", "by", BY_WIDTH),
    ("text", "note", None),
]
NARROW_COLUMNS = [("kind", "kind", 8), ("status", "status", 6), ("about", "about", ABOUT_WIDTH), ("text", "note", None)]
#: The most lines a note's text (and what it is about) takes in the list; the detail pane below has all of it.
TEXT_LINES, ABOUT_LINES = 3, 2
#: The fields of the note form, by the note's attribute names.
FORM_FIELDS = ("id", "kind", "status", "text", "about", "by")


def note_haystack(note: m.Note) -> str:
    return " ".join(
        [note.id, note.effective_kind, note.effective_status, note.text, *note.about, note.by or ""]
    ).lower()


def all_ids(ws: m.Workshop) -> dict[str, list[str]]:
    """id -> the sections it is an id in."""
    out: dict[str, list[str]] = {}
    for section in m.ITEM_SECTIONS:
        for item in ws.section(section):
            out.setdefault(item.id, []).append(section)
    return out


# -- the form ---------------------------------------------------------------------------------
class NoteForm(ModalScreen[m.Note | None]):
    """Add or edit one note; checks as you type; ctrl+s or the button saves, Esc cancels.

    ``workshop`` gives the workshop as it is now: the session may merge someone else's save while the
    form is open, and the form checks ids against what is there when it checks.  When saved,
    :attr:`edited` names the fields the person changed (attribute names of the note).
    """

    CSS_PATH = ["../widgets/dialogs.tcss", "notes.tcss"]
    BINDINGS = [*FORM_KEYS]

    def __init__(self, workshop: Callable[[], m.Workshop], note: m.Note | None, default_id: str) -> None:
        super().__init__(classes="nm-dialog", id="note-form")
        self.workshop = workshop
        self.note = note
        self.default_id = default_id
        #: a new note's id follows its kind and text (``q-who-owns-the-mobile``) until the id is typed by hand
        self._auto_id: str | None = default_id if note is None else None
        #: The form's values when it opened (what the person then changed, or not).
        self.start: dict[str, Any] = {}
        #: The fields whose value the person changed, set when the form is saved.
        self.edited: list[str] = []

    def compose(self) -> ComposeResult:
        note = self.note
        with Vertical(classes="dialog-box"):
            title = ("Edit note" if note else "New note") + "   (ctrl+s: save, Esc: cancel)"
            yield Static(title, classes="dialog-title")
            with Horizontal(classes="form-row"):
                for key, choices in (("kind", m.NOTE_KINDS), ("status", m.NOTE_STATUSES)):
                    yield Static(key, classes="form-label")
                    value = getattr(note, f"effective_{key}") if note else choices[0]
                    yield Select([(c, c) for c in choices], value=value, allow_blank=False, id=f"f-{key}", compact=True)
            yield Static("text", classes="form-label")
            yield TextArea(
                note.text if note else "", id="f-text", soft_wrap=True, show_line_numbers=False, compact=True
            )
            with Horizontal(classes="form-row"):
                yield Static("about", classes="form-label")
                ws = self.workshop()
                yield Input(
                    ", ".join(note.about) if note else "",
                    placeholder="ids or names, comma separated (→ completes)",
                    id="f-about",
                    suggester=ListSuggester(all_ids(ws), ref_names(ws, "any")),
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Static("by", classes="form-label")
                yield Input(
                    (note.by or "") if note else "",
                    placeholder="stakeholder id or name",
                    id="f-by",
                    suggester=ListSuggester((s.id for s in ws.stakeholders), ref_names(ws, "stakeholders")),
                    compact=True,
                )
                yield Static("id", classes="form-label")
                yield Input(note.id if note else self.default_id, id="f-id", compact=True)
            yield Static(id="f-problems")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.start = self._values()
        self.query_one("#f-text", TextArea).focus()
        self._check()

    def changed_attrs(self) -> list[str]:
        """The fields whose value differs from the one the form opened with."""
        now = self._values()
        return [key for key in FORM_FIELDS if now[key] != self.start.get(key)]

    def _values(self) -> dict:
        ws = self.workshop()
        ids = set(all_ids(ws))
        names = reference_names(ws, "any")
        about: list[str] = []
        for part in self.query_one("#f-about", Input).value.split(","):
            part = part.strip()
            if not part:
                continue
            found = resolve_reference(ids, names, part)  # an id, or the name of an item
            words = part.split()
            if found is None and len(words) > 1 and all(w in ids for w in words):
                about += words  # ids separated by spaces
            else:
                about.append(found or part)  # what names nothing stays, and is refused (see problems)
        by = self.query_one("#f-by", Input).value.strip()
        people = {s.id for s in ws.stakeholders}
        return {
            "id": self.query_one("#f-id", Input).value.strip(),
            "kind": self.query_one("#f-kind", Select).value,
            "status": self.query_one("#f-status", Select).value,
            "text": self.query_one("#f-text", TextArea).text.strip(),
            "about": list(dict.fromkeys(about)),
            "by": (resolve_reference(people, reference_names(ws, "stakeholders"), by) or by) if by else None,
        }

    def problems(self) -> list[str]:
        v = self._values()
        ws = self.workshop()
        out = []
        if not v["text"]:
            out.append("the note has no text")
        if not v["id"]:
            out.append("the note needs an id")
        elif not _ID.fullmatch(v["id"]):
            out.append(
                f"id '{v['id']}' may only contain letters, digits, '_', '.' and '-' (and start with a letter or digit)"
            )
        elif v["id"] != (self.note.id if self.note else None) and any(n.id == v["id"] for n in ws.notes):
            out.append(f"duplicate note id '{v['id']}'")
        ids = all_ids(ws)
        for ident in v["about"]:
            if ident not in ids:
                out.append(f"'about' names '{ident}', which is not an id or a name of any item")
            elif len(ids[ident]) > 1:
                out.append(f"'about' names '{ident}', which is an id in both '{ids[ident][0]}' and '{ids[ident][1]}'")
        if v["by"] and not any(s.id == v["by"] for s in ws.stakeholders):
            out.append(f"'by' names '{v['by']}', which is not the id or the name of a stakeholder")
        return out

    def _check(self) -> list[str]:
        problems = self.problems()
        box = self.query_one("#f-problems", Static)
        if problems:
            box.update(plain("\n".join(f"• {p}" for p in problems), style="red", one_line=False))
        else:
            box.update(Text("ok", style="green"))
        return problems

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _changed(self, event) -> None:
        field = self.query_one("#f-id", Input)
        if event.control is field:
            if field.value != self._auto_id:
                self._auto_id = None  # typed by hand: it no longer follows the text
        elif self._auto_id is not None:
            self._follow_text(field)
        self._check()

    def _follow_text(self, field: Input) -> None:
        """A new note's id from its kind and the first words of its text, while the id is not typed by hand."""
        kind = self.query_one("#f-kind", Select).value
        text = self.query_one("#f-text", TextArea).text
        taken = (n.id for n in self.workshop().notes)
        suggestion = new_note_id(kind if isinstance(kind, str) else "question", text, taken) if text.strip() else ""
        suggestion = suggestion or self.default_id
        if suggestion != self._auto_id:
            self._auto_id = suggestion
            field.value = suggestion

    def on_descendant_blur(self, event) -> None:
        """Leaving 'about' or 'by': the names typed there are shown as the ids they stand for."""
        widget = event.widget
        if widget.id not in ("f-about", "f-by") or not isinstance(widget, Input) or not self.is_attached:
            return
        v = self._values()
        shown = ", ".join(v["about"]) if widget.id == "f-about" else (v["by"] or "")
        if shown != widget.value.strip():
            widget.value = shown

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        problems = self._check()
        # unknown about/by ids are warnings in `needsmap validate`... but errors for a reference; refuse
        if problems:
            self.notify("Fix the problems shown first", severity="warning")
            return
        v = self._values()
        status = v["status"]
        old = self.note
        if old is not None and old.status is None and status == "open":
            status = None  # keep the file as it was: open is the default
        kind = v["kind"]
        if old is not None and old.kind is None and kind == "question":
            kind = None
        self.edited = self.changed_attrs()
        self.dismiss(m.Note(id=v["id"], kind=kind, text=v["text"], about=v["about"], by=v["by"], status=status))

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- the screen --------------------------------------------------------------------------------
class NotesScreen(TypeToFilter, Screen[None]):
    app: OpenApp

    FILTER_INPUT = "note-filter"
    FILTER_TABLE = "note-table"
    ROW_ACTION = "edit"
    FILTER_PLACEHOLDER = "type to filter notes"
    CSS_PATH = "notes.tcss"
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("c", "toggle_status", "Close/reopen"),
        Binding("d,delete", "delete", "Delete"),
        Binding("k", "cycle_kind", "Kind"),
        Binding("o", "toggle_open", "Open only"),
        *filter_keys(show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind_filter: str | None = None
        self.open_only = False
        self._ids: list[str] = []

    # -- the app's hooks -------------------------------------------------------------------
    def workshop_changed(self) -> None:
        self._fill()

    def selected_subject(self) -> tuple[str, str] | None:
        note = self.current_note()
        return ("notes", note.id) if note else None

    def select(self, item_id: str) -> bool:
        if item_id not in self._ids:
            if not any(n.id == item_id for n in self.app.session.workshop.notes):
                return False
            self.kind_filter = None
            self.open_only = False
            self.query_one("#note-filter", Input).value = ""
            self._fill()
        if item_id in self._ids:
            self.query_one("#note-table", DataTable).move_cursor(row=self._ids.index(item_id))
            return True
        return False

    # -- filling --------------------------------------------------------------------------------
    def _visible(self) -> list[m.Note]:
        notes = list(self.app.session.workshop.notes)
        words = self.query_one("#note-filter", Input).value.lower().split()
        out = []
        for note in notes:
            if self.kind_filter and note.effective_kind != self.kind_filter:
                continue
            if self.open_only and note.effective_status != "open":
                continue
            if words:
                hay = note_haystack(note)
                if not all(w in hay for w in words):
                    continue
            out.append(note)
        position = {id(n): i for i, n in enumerate(notes)}
        out.sort(key=lambda n: (KIND_ORDER.get(n.effective_kind, 99), n.effective_status != "open", position[id(n)]))
        return out

    def _fill(self) -> None:
        table = self.query_one("#note-table", DataTable)
        current = self.current_note()
        keep = current.id if current else None
        keep_row = table.cursor_row
        notes = self._visible()
        wide = not table.size.width or table.size.width >= WIDE
        columns = WIDE_COLUMNS if wide else NARROW_COLUMNS
        ensure_columns(table, columns)
        room = last_column_room(table, *(w for _, _, w in columns if w))
        reset(table)
        self._ids = [n.id for n in notes]
        for note in notes:
            kind = note.effective_kind
            status = note.effective_status
            dim = "dim" if status == "closed" else ""
            cells = {
                "kind": Text(kind, style=KIND_STYLE.get(kind, ""), end=""),
                "status": Text(status, style=dim or "bold"),
                "id": fit(plain(note.id, style=dim), ID_WIDTH),
                "text": wrapped(plain(paragraphs(note.text), style=dim), room, TEXT_LINES)
                if room
                else plain(note.text),
                "about": wrapped(plain(", ".join(note.about)), ABOUT_WIDTH, ABOUT_LINES),
                "by": fit(plain(note.by or ""), BY_WIDTH),
            }
            height = max(len(cells["text"].split()), len(cells["about"].split()))
            table.add_row(*(cells[key] for key, _, _ in columns), key=note.id, height=height)
        if notes:
            row = self._ids.index(keep) if keep in self._ids else min(keep_row, len(notes) - 1)
            table.move_cursor(row=max(0, row))
        total = len(self.app.session.workshop.notes)
        parts = [f"{len(notes)} of {total} notes" if len(notes) != total else f"{total} notes"]
        if self.kind_filter:
            parts.append(f"kind {self.kind_filter}")
        if self.open_only:
            parts.append("open only")
        self.query_one("#note-count", Static).update(Text(", ".join(parts)))
        self._show_detail()

    def current_note(self) -> m.Note | None:
        try:
            table = self.query_one("#note-table", DataTable)
        except Exception:  # not composed yet
            return None
        if not table.row_count or not (0 <= table.cursor_row < len(self._ids)):
            return None
        note_id = self._ids[table.cursor_row]
        for note in self.app.session.workshop.notes:
            if note.id == note_id:
                return note
        return None

    def _show_detail(self) -> None:
        note = self.current_note()
        box = self.query_one("#note-detail-text", Static)
        if note is None:
            box.update(
                Text(
                    "No notes yet: press a to add one, or n on any screen for a quick note." if not self._ids else "",
                    style="dim",
                )
            )
            return
        kind = note.effective_kind
        text = Text(end="")
        text.append(f"{kind} ", style=KIND_STYLE.get(kind, ""))
        text.append_text(plain(note.id, style="bold"))
        text.append(f"  ({note.effective_status})", style="dim")
        text.append("\n")
        text.append_text(plain(paragraphs(note.text), one_line=False))
        if note.about:
            text.append("\nabout: ", style="bold")
            text.append_text(plain(", ".join(note.about)))
        if note.by:
            text.append("\nby: ", style="bold")
            text.append_text(plain(note.by))
        box.update(text)

    # -- actions --------------------------------------------------------------------------------
    def _index(self, note_id: str) -> int:
        return self.app.session.find("notes", note_id)

    def action_add(self) -> None:
        ws = self.app.session.workshop
        default = new_note_id(self.kind_filter or "question", "", (n.id for n in ws.notes))

        def done(note: m.Note | None) -> None:
            if note is None:
                return
            self.app.session.add("notes", note, label=f"add note {note.id}")
            self.select(note.id)
            self.notify(f"Added note {note.id}", markup=False, timeout=3)

        self.app.push_screen(NoteForm(self._workshop, None, default), done)

    def _workshop(self) -> m.Workshop:
        return self.app.session.workshop

    def action_edit(self) -> None:
        note = self.current_note()
        if note is None:
            return
        form = NoteForm(self._workshop, note, note.id)

        def done(new: m.Note | None) -> None:
            if new is not None:
                self._save_edit(note, new, form.edited)

        self.app.push_screen(form, done)

    def _save_edit(self, old: m.Note, new: m.Note, edited_attrs: list[str]) -> None:
        """Save the form of ``old``: only the fields the person changed (``edited_attrs``), on the note as
        it is now (someone else's changes merged while the form was open stay)."""
        session = self.app.session
        saved = field_patch.save_edit(session, "notes", old, new, edited_attrs, f"edit note {old.id}")
        if saved is None:  # deleted while the form was open (undo, or someone else): keep what was typed
            session.add("notes", new, label=f"add note {new.id}")
            self.notify("the note had gone meanwhile; your version was added back", severity="warning")
            self.select(new.id)
            return
        if saved.id_taken:
            self.notify(f"{new.id} was taken meanwhile; {old.id} keeps its id", severity="error", markup=False)
        self.select(saved.ident)
        if saved.conflicts:
            ask_keep_or_take(self.app, saved.conflicts, lambda: field_patch.take_theirs(session, "notes", saved))

    def action_toggle_status(self) -> None:
        note = self.current_note()
        if note is None:
            return
        new = "open" if note.effective_status == "closed" else "closed"
        self.app.session.update(
            "notes", self._index(note.id), label=f"{'reopen' if new == 'open' else 'close'} note {note.id}", status=new
        )
        self.notify(
            f"Note {note.id} {'reopened' if new == 'open' else 'closed'} (ctrl+z: undo)", markup=False, timeout=3
        )

    def action_delete(self) -> None:
        note = self.current_note()
        if note is None:
            return
        question = Text("Delete the note ", end="")
        question.append_text(plain(note.id, style="bold"))
        question.append("?\n\n")
        question.append_text(plain(note.text.strip(), one_line=False))

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.session.delete("notes", self._index(note.id), label=f"delete note {note.id}")
                self.notify(f"Deleted note {note.id} (ctrl+z: undo)", markup=False, timeout=4)

        self.app.push_screen(ConfirmDialog(question, confirm="Delete"), answer)

    def action_cycle_kind(self) -> None:
        kinds: list[str | None] = [None, *m.NOTE_KINDS]
        self.kind_filter = kinds[(kinds.index(self.kind_filter) + 1) % len(kinds)]
        self._fill()

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self._fill()
