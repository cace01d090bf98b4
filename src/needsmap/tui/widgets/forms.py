"""The form for one item (or one nested record), generated from :mod:`needsmap.format.spec`.

* one input per field: text inputs for text and numbers, a list for enums, booleans
  and references (typing a reference with completion when the list would be long),
  comma-separated input with completion for lists of ids, a small text area for
  long text; a reference may be typed as the item's name (or an attribute's synonym):
  → completes ids and names alike, the name is read as the id (and shown as the id on
  leaving the field), and a name that is no item's is refused with validate's message;
* checked **as you type**, with the messages ``needsmap validate`` gives
  (:class:`needsmap.tui.formcheck.FormModel`), shown under the field;
* a new item's id is suggested from its name until the id is typed by hand;
* Enter (in a one-line field) or ctrl+s saves, Escape cancels (and asks first when
  something was typed: no word is lost by a stray Escape);
* what is typed is kept in a draft beside the workshop, one per running needsmap
  (``.FILE.<pid>-<random>.needsmap-draft``, written 0.3 s after the last keystroke
  and on leaving a field): if needsmap stops before the form is saved, the same
  form opens with it next time.  A session restores its own draft or one of a
  session that is no longer running (its pid is gone from this host), claiming it
  first (a rename: of two sessions, one gets it); a running session's draft is
  never shown to another.  The single draft of older versions
  (``.FILE.needsmap-draft``) is read as a stopped session's.

The form returns the new record (``dismiss(record)``) or ``None``, and knows which
fields the person changed (:meth:`ItemForm.changed_fields`): the screen that opened
it saves only those, onto the item as it is then
(:mod:`needsmap.collab.field_patch`).  :class:`RenameDialog` (a new id for an item)
lives here too.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestFromList
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.naming import item_name, new_item_id, section_word
from needsmap.tui.formcheck import FormModel, Problem, named_items
from needsmap.tui.widgets.dialogs import FORM_KEYS, ConfirmDialog
from needsmap.util.atomic_write import write_text_atomically
from needsmap.util.text import one_line, terminal

#: Above this many choices a reference is typed (with completion) instead of picked from a list.
MAX_SELECT = 200

#: Seconds after the last keystroke before the form's draft is written (and at once on leaving a field).
DRAFT_DELAY = 0.3

#: The problems each message line of a form shows now (see ItemForm._show).
_SHOWN: weakref.WeakKeyDictionary[Static, tuple[tuple[str, str], ...]] = weakref.WeakKeyDictionary()

#: The field whose text a new item's id is made from.
NAME_FIELDS = ("name", "title", "text")


def safe(text: object) -> str:
    return terminal(one_line("" if text is None else str(text)))


class ListSuggester(Suggester):
    """Completes the last entry of a comma-separated list from known ids, or from the names of the items.

    An id that starts with what is typed comes first; else a name that does (case aside): → accepts it, and the
    form reads the name as the item's id (:meth:`needsmap.tui.formcheck.FormModel.by_name`).
    """

    def __init__(self, choices: Iterable[str], names: Iterable[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.choices = sorted(choices)
        self.folded = [c.casefold() for c in self.choices]
        self.names = sorted({n for n in names if n and "," not in n and n not in self.choices}, key=str.casefold)
        self.folded_names = [n.casefold() for n in self.names]

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        token = last.lstrip()
        if not token:
            return None
        lead = last[: len(last) - len(token)]
        have = {p.strip() for p in head.split(",")} if sep else set()
        folded = token.casefold()
        for choices, low_choices in ((self.choices, self.folded), (self.names, self.folded_names)):
            for choice, low in zip(choices, low_choices):
                if low.startswith(folded) and choice != token and choice not in have:
                    return f"{head}{sep}{lead}{choice}"
        return None


def ref_names(ws: m.Workshop, section: str) -> list[str]:
    """The names of the items a reference to ``section`` may name (an attribute's synonyms too), on one line."""
    return [one_line(name) for name, _ in named_items(ws, section)]


def ref_choices(ws: m.Workshop, section: str) -> list[tuple[str, str]]:
    """(id, label) of everything a reference to ``section`` may name."""
    if section == "functions":
        return [(f, f) for f in ws.function_ids]
    if section == "channels":
        return [(c, c) for c in ws.channel_ids]
    if section == spec.PURPOSES:
        return [(p, p) for p in ws.purpose_ids]
    if section == "any":
        return [(item.id, f"{item.id}  ({section_word(s)})") for s in m.ITEM_SECTIONS for item in ws.section(s)]
    out = []
    for item in ws.section(section):
        name = item_name(item)
        out.append((item.id, f"{item.id}  {name}" if name != item.id else item.id))
    return out


# -- drafts: what is being typed in a form survives a crash ----------------------------------
@dataclass(frozen=True, slots=True)
class DraftKey:
    """Which form a draft belongs to: a new or existing item (or nested record) of a section."""

    section: str
    ident: str | None = None  # the item's id; None for a new item
    child: str | None = None
    child_index: int | None = None


#: What ends every draft's file name; before drafts were per session there was one, ``.FILE.needsmap-draft``.
DRAFT_SUFFIX = ".needsmap-draft"
_SESSION_NAME = re.compile(r"(\d+)-([0-9a-f]+)")


@dataclass(frozen=True, slots=True)
class DraftSession:
    """One running needsmap, as its drafts name it: ``<pid>-<random>`` (the random part outlives a reused pid)."""

    pid: int
    token: str
    host: str = ""
    started: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.pid}-{self.token}"

    @classmethod
    def new(cls) -> DraftSession:
        return cls(os.getpid(), secrets.token_hex(4), socket.gethostname(), time.time())


#: The draft session of each app in this process (one per running needsmap; tests run several).
_SESSIONS: weakref.WeakKeyDictionary[object, DraftSession] = weakref.WeakKeyDictionary()


def draft_session(app: object) -> DraftSession:
    """The draft session of a running app (made the first time it is asked for)."""
    found = _SESSIONS.get(app)
    if found is None:
        found = _SESSIONS[app] = DraftSession.new()
    return found


def pid_alive(pid: int) -> bool:
    """Is process ``pid`` running on this host?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return False
    return True


def session_alive(pid: int, token: str, host: str) -> bool:
    """Is the needsmap that wrote a draft still running?  One on another host is taken to be (it cannot be told)."""
    if host and host != socket.gethostname():
        return True
    if pid == os.getpid():  # this process: an app of it that still runs (another with this pid before is gone)
        return any(s.token == token and getattr(app, "is_running", False) for app, s in list(_SESSIONS.items()))
    return pid_alive(pid)


def draft_path(workshop: Path, session: DraftSession) -> Path:
    """``.FILE.<session>.needsmap-draft`` beside the workshop file (like the lock file): one per session."""
    return workshop.with_name(f".{workshop.name}.{session.name}{DRAFT_SUFFIX}")


def old_draft_path(workshop: Path) -> Path:
    """The one draft of a workshop before drafts were per session (still read: a needsmap upgraded after a crash)."""
    return workshop.with_name(f".{workshop.name}{DRAFT_SUFFIX}")


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as found on disk: which form, what it held, the values it opened with, who wrote it."""

    path: Path
    key: DraftKey
    title: str
    values: dict[str, object]
    start: dict[str, object] | None  # the form's values when it opened (None: not recorded)
    pid: int | None  # the session that wrote it (None: the old single draft, written before sessions)
    token: str = ""
    host: str = ""

    def of(self, session: DraftSession) -> bool:
        return self.pid == session.pid and self.token == session.token


def draft_files(workshop: Path) -> list[Path]:
    """Every draft beside the workshop, of any session (and the old single draft)."""
    head = f".{workshop.name}."
    try:
        names = os.listdir(workshop.parent)
    except OSError:
        return []
    found = []
    for name in names:
        if name == old_draft_path(workshop).name:
            found.append(workshop.with_name(name))
        elif name.startswith(head) and name.endswith(DRAFT_SUFFIX):
            if _SESSION_NAME.fullmatch(name[len(head) : -len(DRAFT_SUFFIX)]):
                found.append(workshop.with_name(name))
    return sorted(found)


def _form_values(raw: object) -> dict[str, object]:
    """A form's values as a draft holds them (text, a choice, a bool or None); anything else is left out."""
    if not isinstance(raw, dict):
        raise TypeError("a draft's values are a mapping")
    return {str(k): v for k, v in raw.items() if v is None or isinstance(v, (str, bool))}


def save_draft(
    workshop: Path,
    session: DraftSession,
    key: DraftKey,
    title: str,
    values: Mapping[str, object],
    start: Mapping[str, object] | None = None,
) -> None:
    """This session's draft: what the form holds now (written atomically; a failure to write is not reported)."""
    data = {
        "workshop": workshop.name,
        "session": {"pid": session.pid, "token": session.token, "host": session.host, "started": session.started},
        "key": asdict(key),
        "title": title,
        "values": dict(values),
        "start": dict(start) if start is not None else None,
        "at": time.time(),
    }
    try:
        write_text_atomically(draft_path(workshop, session), json.dumps(data, ensure_ascii=False, default=str))
    except OSError:
        pass


def read_draft(workshop: Path, path: Path) -> Draft | None:
    """The draft of ``workshop`` in ``path`` (None when it cannot be read); who wrote it comes from its name."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if str(data.get("workshop", workshop.name)) != workshop.name:
            return None  # another workshop's, whose name happens to look like ours and a session
        key = DraftKey(**data["key"])
        values = _form_values(data["values"])
        start = _form_values(data["start"]) if data.get("start") is not None else None
        title = str(data.get("title", ""))
        host = str(dict(data.get("session") or {}).get("host", ""))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if path.name == old_draft_path(workshop).name:
        return Draft(path, key, title, values, start, None)
    named = _SESSION_NAME.fullmatch(path.name[len(f".{workshop.name}.") : -len(DRAFT_SUFFIX)])
    if named is None:
        return None
    return Draft(path, key, title, values, start, int(named.group(1)), named.group(2), host)


def restorable_drafts(workshop: Path, session: DraftSession) -> list[Draft]:
    """The drafts ``session`` may restore: its own, then those of sessions that stopped (a live one's never)."""
    own, dead = [], []
    for path in draft_files(workshop):
        draft = read_draft(workshop, path)
        if draft is None:
            continue
        if draft.of(session):
            own.append(draft)
        elif draft.pid is None or not session_alive(draft.pid, draft.token, draft.host):
            dead.append(draft)
    return own + dead


def claim_draft(workshop: Path, draft: Draft, session: DraftSession) -> Draft | None:
    """Make a stopped session's draft this session's (renamed, atomically: of two sessions one gets it).

    Returns the draft as this session now has it, or None when another session claimed it first.
    """
    if draft.of(session):
        return draft
    mine = draft_path(workshop, session)
    try:
        os.rename(draft.path, mine)
    except OSError:
        return None
    claimed = read_draft(workshop, mine)
    if claimed is None:
        return None
    return Draft(
        mine, claimed.key, claimed.title, claimed.values, claimed.start, session.pid, session.token, session.host
    )


def clear_draft(workshop: Path, session: DraftSession) -> None:
    try:
        draft_path(workshop, session).unlink()
    except OSError:
        pass


class ItemForm(ModalScreen):
    """A form for one record; dismisses with the new record, or None when cancelled."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [*FORM_KEYS]

    def __init__(
        self,
        model: FormModel,
        *,
        title: str,
        values: Mapping[str, object] | None = None,
        suggest_ids: bool | None = None,
        draft: Path | None = None,
        baseline: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(classes="item-form")
        self.model = model
        #: the workshop file: while the form is open, what it holds is kept in a draft beside it
        self.draft = draft
        self._draft_timer: Timer | None = None
        self._dismissed = False  # nothing may write the draft again (a late blur would)
        self.form_title = title
        self.start = dict(values) if values is not None else model.initial()
        #: what the person's changes are measured from: the record's values as the form opened on it
        #: (a restored draft: as the form that wrote it had opened)
        self.baseline = dict(baseline) if baseline is not None else model.initial()
        self.suggest_ids = (model.original is None or values is not None) if suggest_ids is None else suggest_ids
        self.suggest_ids = self.suggest_ids and model.child is None and "id" in model.record.by_key
        start_id = self.start.get("id")
        self._auto_id = start_id if self.suggest_ids and isinstance(start_id, str) else None
        self.problems: list[Problem] = []
        #: on save: the attributes of the fields the person changed (the screen saves only those)
        self.edited: list[str] = []
        self._touched: set[str] = set()  # fields visited (left) since the form opened
        self._tried = False  # a save was attempted
        self._taken = {item.id for item in model.ws.section(model.section)} if model.child is None else set()
        if model.child is None and model.original is not None:
            self._taken.discard(model.original.id)

    # -- building the form ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="form-body") as body:
            body.border_title = safe(self.form_title)
            body.border_subtitle = "enter or ctrl+s save · esc cancel · tab next field"
            with VerticalScroll(id="form-fields"):
                for fld in self.model.fields:
                    with Vertical(classes="form-field", id=f"field-{fld.key}"):
                        with Horizontal(classes="form-row"):
                            yield Label(self._label(fld), classes="form-label")
                            yield self._widget(fld, self.start.get(fld.key))
                        yield Static("", classes="form-problems", id=f"problems-{fld.key}")
            yield Static("", id="form-summary")
            yield Static("", id="form-help")
            with Horizontal(id="form-buttons"):
                yield Button("Save  ctrl+s", id="form-save", variant="primary", compact=True)
                yield Button("Cancel  esc", id="form-cancel", compact=True)
        yield Footer()

    def _label(self, fld: spec.Field) -> Content:
        parts: list[str | tuple[str, str]] = [(fld.key.replace("_", " "), "bold")]
        parts.append((" *", "bold $text-error") if fld.required else "  ")
        return Content.assemble(*parts)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        key = (event.widget.id or "").removeprefix("input-")
        if key and isinstance(event.widget, Input) and not self._dismissed:
            self._names_to_ids(key, event.widget)
        if key and self.is_current:
            self.write_draft()  # leaving a field: its words are on disk now
            if key not in self._touched:
                self._touched.add(key)
                self.check()

    def _names_to_ids(self, key: str, widget: Input) -> None:
        """Leaving a reference field: the names typed in it are shown as the ids they stand for."""
        fld = self.model.record.by_key.get(key)
        if fld is None:
            return
        shape = fld.shape.item if isinstance(fld.shape, spec.ListOf) else fld.shape
        if not isinstance(shape, spec.Scalar) or shape.kind != "ref":
            return
        parts = [p.strip() for p in widget.value.split(",")] if isinstance(fld.shape, spec.ListOf) else [widget.value]
        resolved = ", ".join(self.model.by_name(shape, p) for p in parts if p.strip())
        if resolved != widget.value.strip():
            widget.value = resolved

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget = event.widget
        key = (widget.id or "").removeprefix("input-")
        fld = self.model.record.by_key.get(key)
        help_line = self.query_one("#form-help", Static)
        if fld is None:
            help_line.update("")
            return
        extra = f"  (default: {fld.default})" if fld.default else ""
        if isinstance(fld.shape, spec.ListOf):
            extra += "  Separate entries with commas; → accepts a completion."
        help_line.update(Content.assemble((fld.key, "bold"), ": ", fld.doc, (extra, "dim")))

    def _widget(self, fld: spec.Field, value) -> Widget:
        wid = f"input-{fld.key}"
        shape = fld.shape
        ws = self.model.ws
        if isinstance(shape, spec.ListOf):
            inner = shape.item
            suggester = None
            if isinstance(inner, spec.Scalar) and inner.kind == "ref" and inner.ref:
                suggester = ListSuggester((i for i, _ in ref_choices(ws, inner.ref)), ref_names(ws, inner.ref))
            return Input(
                str(value or ""),
                id=wid,
                classes="form-input",
                suggester=suggester,
                placeholder="ids or names, comma-separated" if suggester is not None else "comma-separated",
                select_on_focus=False,
                compact=True,
            )
        assert isinstance(shape, spec.Scalar)
        if shape.kind == "enum":
            default = f" ({fld.default})" if fld.default else ""
            # rich Text prompts (not Content): the Select's type-to-search only reads Text and str
            return Select(
                [(Text(c), c) for c in shape.choices],
                id=wid,
                classes="form-input",
                allow_blank=not fld.required,
                prompt=f"not stated{default}",
                value=value if value in shape.choices else Select.NULL,
                compact=True,
            )
        if shape.kind == "bool":
            default = f" ({fld.default})" if fld.default else ""
            return Select(
                [(Text("true"), True), (Text("false"), False)],
                id=wid,
                classes="form-input",
                allow_blank=True,
                prompt=f"not stated{default}",
                value=value if isinstance(value, bool) else Select.NULL,
                compact=True,
            )
        if shape.kind == "ref" and shape.ref:
            choices = ref_choices(ws, shape.ref)
            if len(choices) <= MAX_SELECT and (value in (None, "") or value in {i for i, _ in choices}):
                return Select(
                    [(Text(safe(label)), ident) for ident, label in choices],
                    id=wid,
                    classes="form-input",
                    allow_blank=not fld.required,
                    prompt="none",
                    value=value if value else Select.NULL,
                    compact=True,
                )
            return Input(
                str(value or ""),
                id=wid,
                classes="form-input",
                suggester=SuggestFromList([i for i, _ in choices] + ref_names(ws, shape.ref), case_sensitive=False),
                placeholder=f"{section_word(shape.ref)} id or name (→ completes)",
                select_on_focus=False,
                compact=True,
            )
        if shape.multiline:
            area = TextArea(
                str(value or ""),
                id=wid,
                classes="form-input form-text",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                compact=True,
            )
            return area
        placeholder = ""
        if shape.kind in ("int", "number") and shape.minimum is not None:
            lo = int(shape.minimum) if float(shape.minimum).is_integer() else shape.minimum
            hi = (
                int(shape.maximum) if shape.maximum is not None and float(shape.maximum).is_integer() else shape.maximum
            )
            placeholder = f"{lo}..{hi}"
        elif fld.default:
            placeholder = f"default: {fld.default}"
        return Input(
            str(value or ""), id=wid, classes="form-input", placeholder=placeholder, select_on_focus=False, compact=True
        )

    def first_field(self) -> Widget | None:
        for fld in self.model.fields:
            if self.suggest_ids and fld.key == "id":
                continue  # the id follows the name: start typing the name
            return self.query_one(f"#input-{fld.key}")
        return None

    def on_mount(self) -> None:
        first = self.first_field()
        if first is not None:
            self.set_focus(first)
        self.check()

    # -- reading it -----------------------------------------------------------------------
    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for fld in self.model.fields:
            widget = self.query_one(f"#input-{fld.key}")
            if isinstance(widget, Select):
                out[fld.key] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, TextArea):
                out[fld.key] = widget.text
            else:
                assert isinstance(widget, Input)
                out[fld.key] = widget.value
        return out

    def check(self) -> tuple[object | None, list[Problem]]:
        candidate, problems = self.model.build(self.values())
        self.problems = problems
        by_field: dict[str, list[Problem]] = {}
        for p in problems:
            if p.code == "missing-field" and not self._tried and p.field not in self._touched:
                continue  # "required" is said once the field was visited, or on save: not while starting
            by_field.setdefault(p.field, []).append(p)
        for fld in self.model.fields:
            self._show(self.query_one(f"#problems-{fld.key}", Static), by_field.get(fld.key, []))
            self.query_one(f"#field-{fld.key}").set_class(
                any(p.severity == "error" for p in by_field.get(fld.key, [])), "-invalid"
            )
        self._show(self.query_one("#form-summary", Static), by_field.get("", []))
        shown = sum(1 for ps in by_field.values() for p in ps if p.severity == "error")
        self.query_one("#form-save", Button).disabled = shown > 0
        return candidate, problems

    @staticmethod
    def _show(widget: Static, problems: list[Problem]) -> None:
        # a keystroke usually changes no message: then nothing is updated, so the form is not laid out again
        # (a layout of the form costs tens of milliseconds; the form is checked on every keystroke)
        shown = tuple((p.severity, p.message) for p in problems)
        if _SHOWN.get(widget) == shown:
            return
        _SHOWN[widget] = shown
        if not problems:
            widget.update("")
            widget.display = False
            return
        lines = []
        for p in problems:
            icon = ("✗ ", "bold $text-error") if p.severity == "error" else ("! ", "bold $text-warning")
            lines.append(Content.assemble(icon, safe(p.message)))
        widget.update(Content("\n").join(lines))
        widget.display = True
        widget.set_class(any(p.severity == "error" for p in problems), "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event) -> None:
        widget = event.control if hasattr(event, "control") else None
        key = (widget.id or "").removeprefix("input-") if widget is not None else ""
        if self.suggest_ids and key == "id":
            if isinstance(widget, Input) and widget.value != self._auto_id:
                self._auto_id = None  # typed by hand: stop suggesting
        self._follow_name()
        if key == "owner":
            self._function_from_owner()
        self.check()
        self._keep_draft()

    def _function_from_owner(self) -> None:
        """An empty function takes the owner's (who asks for a use case or owns a process usually serves it)."""
        fields = self.model.record.by_key
        if "function" not in fields or "owner" not in fields:
            return
        values = self.values()
        if values.get("function") or not values.get("owner"):
            return
        owner = next((s for s in self.model.ws.stakeholders if s.id == values["owner"]), None)
        if owner is None or not owner.function:
            return
        widget = self.query_one("#input-function")
        if isinstance(widget, Select):
            if owner.function in (value for value, _ in ref_choices(self.model.ws, "functions")):
                widget.value = owner.function
        elif isinstance(widget, Input):
            widget.value = owner.function

    def _follow_name(self) -> None:
        """While the id is not typed by hand, it is made from the name as it is now."""
        if not self.suggest_ids or self._auto_id is None:
            return
        key = next((f.key for f in self.model.fields if f.key in NAME_FIELDS), None)
        if key is None:
            return
        widget = self.query_one(f"#input-{key}")
        if isinstance(widget, Input):
            value = widget.value
        else:
            assert isinstance(widget, TextArea)  # a name is a line (Input) or a text (TextArea)
            value = widget.text
        if value == (self.start.get(key) or ""):
            # not typed yet, or typed and taken back: the id the form opened with (a copy keeps its "-2" id)
            start_id = self.start.get("id")
            suggestion = start_id if isinstance(start_id, str) else ""
            if suggestion != self._auto_id:
                self._auto_id = suggestion
                self.query_one("#input-id", Input).value = suggestion
            return
        suggestion = new_item_id(self.model.section, value, self._taken) if value.strip() else ""
        if suggestion != self._auto_id:
            self._auto_id = suggestion
            self.query_one("#input-id", Input).value = suggestion

    # -- the draft ---------------------------------------------------------------------------------
    def draft_key(self) -> DraftKey:
        model = self.model
        ident = None
        if model.child is not None:
            ident = model.parent.id
        elif model.original is not None:
            ident = model.original.id
        return DraftKey(model.section, ident, model.child, model.child_index)

    def _keep_draft(self) -> None:
        """Write the draft soon (a burst of keystrokes is one write)."""
        if self.draft is None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.write_draft)

    def write_draft(self) -> None:
        self._draft_timer = None
        if self._dismissed:
            return
        if self.draft is not None and self.is_attached and self.model.changed(self.values()):
            session = draft_session(self.app)
            save_draft(self.draft, session, self.draft_key(), self.form_title, self.values(), self.baseline)

    def dismiss(self, result: object = None) -> AwaitComplete:
        self._dismissed = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.draft is not None:
            clear_draft(self.draft, draft_session(self.app))
        return super().dismiss(result)

    # -- what the person changed ----------------------------------------------------------
    def changed_fields(self) -> list[str]:
        """The keys of the fields whose value differs from the one the form opened with."""

        def norm(value: object) -> object:
            return "" if value is None else value

        now = self.values()
        return [f.key for f in self.model.fields if norm(now.get(f.key)) != norm(self.baseline.get(f.key))]

    def changed_attrs(self) -> list[str]:
        """The same, as the record's attribute names (what :func:`needsmap.collab.field_patch.diff` compares)."""
        keys = set(self.changed_fields())
        return [f.attr for f in self.model.fields if f.key in keys]

    # -- saving -----------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        if self._dismissed:
            return  # a second Enter typed before the form had closed: it was saved once
        self._tried = True
        self._follow_name()  # the name may have changed a moment ago (its Changed message is on its way)
        candidate, problems = self.check()
        errors = [p for p in problems if p.severity == "error"]
        if candidate is None or errors:
            first = next((p.field for p in errors if p.field), None)
            if first:
                self.query_one(f"#input-{first}").focus()
            self.notify(f"{len(errors)} problem(s) to fix first", severity="warning", timeout=3)
            return
        self.edited = self.changed_attrs()
        self.dismiss(candidate)

    def action_cancel(self) -> None:
        if self._dismissed:
            return
        if not self.model.changed(self.values()) and not (self.model.original is None and self._typed()):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Throw away what you typed in this form?",
                confirm="Discard",
                cancel="Keep editing",
                title="Cancel the form?",
            ),
            answered,
        )

    def _typed(self) -> bool:
        return any(v not in (None, "") for k, v in self.values().items() if not (self.suggest_ids and k == "id"))


class RenameDialog(ModalScreen):
    """A new id for an item; checked as you type, every reference follows on save."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, model: FormModel, *, references: int = 0) -> None:
        super().__init__(classes="rename-dialog")
        self.model = model
        self.old = model.original.id
        self.references = references

    def compose(self) -> ComposeResult:
        with Vertical(id="rename-body") as body:
            body.border_title = f"Rename {section_word(self.model.section)} {safe(self.old)}"
            body.border_subtitle = "enter rename · esc cancel"
            yield Label(Content.assemble("new id", ("  every reference to it is updated too", "dim")))
            yield Input(self.old, id="rename-input")
            yield Static("", id="rename-problems", classes="form-problems")
        yield Footer()

    def on_mount(self) -> None:
        field = self.query_one("#rename-input", Input)
        self.set_focus(field)
        self._check(self.old)

    def _check(self, value: str) -> list[Problem]:
        values = self.model.initial()
        values["id"] = value
        _, problems = self.model.build(values)
        mine = [p for p in problems if p.field == "id"]
        ItemForm._show(self.query_one("#rename-problems", Static), mine)
        return mine

    @on(Input.Changed, "#rename-input")
    def _changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    @on(Input.Submitted, "#rename-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        value = value.strip()
        if value == self.old:
            self.dismiss(None)
            return
        if any(p.severity == "error" for p in self._check(value)):
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


#: The frequency a new feed is offered (most feeds between customer systems are nightly batches).
DEFAULT_FREQUENCY = "daily"


def frequency_of(text: str, default: str = DEFAULT_FREQUENCY) -> str | None:
    """A feed frequency from what was typed: nothing is the default, else the first one it begins (``w``: weekly)."""
    typed = text.strip().casefold()
    if not typed:
        return default
    return next((f for f in m.FRESHNESS if f.startswith(typed)), None)


class AskFrequency(ModalScreen):
    """How often a new feed runs: one field showing the default, Enter accepts it (or the one typed).

    Dismisses with a frequency of :data:`needsmap.format.model.FRESHNESS`, or None (Esc: left unknown).
    """

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", "Leave it unknown")]

    def __init__(self, feed: str, default: str = DEFAULT_FREQUENCY) -> None:
        super().__init__(classes="ask-frequency")
        self.feed = feed
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="frequency-body") as body:
            body.border_title = f"How often does the feed {safe(self.feed)} run?"
            body.border_subtitle = f"enter {self.default} · esc unknown"
            yield Label(
                Content.assemble(
                    ("every ", "bold"), ("  " + " · ".join(f for f in m.FRESHNESS if f != "unknown"), "dim")
                )
            )
            yield Input(placeholder=self.default, id="frequency-input", select_on_focus=False)
            yield Static("", id="frequency-problems", classes="form-problems")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#frequency-input", Input))

    @on(Input.Changed, "#frequency-input")
    def _changed(self, event: Input.Changed) -> None:
        found = frequency_of(event.value, self.default)
        problems = self.query_one("#frequency-problems", Static)
        if found is None:
            problems.update(f"not a frequency: {safe(event.value)} (one of {', '.join(m.FRESHNESS)})")
        else:
            problems.update(Content.assemble(("enter: ", "dim"), (found, "bold")))
        problems.display = True
        problems.set_class(found is None, "-error")

    @on(Input.Submitted, "#frequency-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit(event.value)

    def _submit(self, value: str) -> None:
        found = frequency_of(value, self.default)
        if found is not None and self.is_current:
            self.dismiss(found)

    def action_cancel(self) -> None:
        if self.is_current:
            self.dismiss(None)
