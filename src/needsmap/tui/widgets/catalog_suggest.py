"""The new-attribute form, offering the reference catalog as the name is typed.

Typing "geboortedatum" or "email" into the name of a new attribute lists the
closest entries of the reference catalog (:func:`needsmap.catalog.entries.search`; from the first
letter typed: the names that start with it) in
a list below the fields that is always there (three lines; one on a small
terminal), so no field ever moves.  ``down`` moves into the list (Tab still
goes to the next field, ``escape`` back to the name); ``enter`` (or a click)
takes an entry: id, name, entity, type, values, definition, sensitivity,
identifier and synonyms are filled from it, so a workshop starts from agreed
definitions.  Everything stays editable before saving.  Editing an existing
attribute shows no suggestions.
"""

from __future__ import annotations

from textual import events, on
from textual.binding import Binding
from textual.widgets import Input, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from needsmap.catalog import entries as catalog
from needsmap.tui.widgets.forms import ItemForm, safe

MAX_SUGGESTIONS = 5
#: Entries scoring below this (0..100, see catalog.search) are not offered.
MIN_SCORE = 80.0
#: The form fields a chosen entry fills (the owner is the workshop's business).
#: Terminal height from which three entries are shown at once (one below it).
ROOMY_HEIGHT = 32
HINT = "reference catalog: type a name for matching entries (down: choose, enter: use)"
FILLED = (
    "id",
    "name",
    "entity",
    "type",
    "values",
    "definition",
    "identifier",
    "identifies",
    "sensitivity",
    "special_category",
    "purposes",
    "channels",
    "synonyms",
)


def offers(text: str) -> list[catalog.CatalogEntry]:
    """The catalog entries offered for a name typed so far, from the first letter on: the entries whose name
    starts with it (A to Z), then the closest matches of :func:`needsmap.catalog.entries.search` (two letters on)."""
    text = " ".join(text.split())
    if not text:
        return []
    folded = text.casefold()
    starting = sorted(
        (e for e in catalog.load_catalog().entries if e.name.casefold().startswith(folded)),
        key=lambda e: e.name.casefold(),
    )
    found = [entry for entry, score in catalog.search(text, limit=MAX_SUGGESTIONS) if score >= MIN_SCORE]
    if len(text) > 1 and found and found[0].name.casefold() == folded:
        starting = []  # the exact name is the search's first: its order stands
    out = list({e.id: e for e in (*starting, *(found if len(text) > 1 else ()))}.values())
    return out[:MAX_SUGGESTIONS]


class CatalogSuggestions(OptionList):
    """The offered entries; reachable with ``down`` from the name, not with Tab (Tab goes to the next field)."""

    BINDINGS = [Binding("escape", "back", "Back to the name", show=False)]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.can_focus = False

    def on_blur(self) -> None:
        self.can_focus = False

    def action_back(self) -> None:
        self.screen.query_one("#input-name", Input).focus()


class AttributeForm(ItemForm):
    """:class:`ItemForm` for attributes; a new attribute gets catalog suggestions under its name."""

    DEFAULT_CSS = """
    AttributeForm #catalog-suggestions { height: 3; border: none; padding: 0; margin: 0; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offers_catalog = self.model.original is None and self.model.child is None
        self._offered: list[catalog.CatalogEntry] = []
        self._chosen_name: str | None = None  # the name a chosen entry wrote (not a search to run again)

    def on_mount(self) -> None:
        if self.offers_catalog:
            # below the fields and always the same height: offering entries never moves a field
            offered = CatalogSuggestions(id="catalog-suggestions")
            self.query_one("#form-body").mount(offered, after=self.query_one("#form-fields"))
            offered.styles.height = 3 if self.app.size.height >= ROOMY_HEIGHT else 1
            self._show_offers([])
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        if self.offers_catalog and self.query("#catalog-suggestions"):
            # three entries on a roomy terminal; one (down walks through them) where the form is tight
            self.suggestions.styles.height = 3 if event.size.height >= ROOMY_HEIGHT else 1

    @property
    def suggestions(self) -> CatalogSuggestions:
        return self.query_one("#catalog-suggestions", CatalogSuggestions)

    @on(Input.Changed, "#input-name")
    def _name_typed(self, event: Input.Changed) -> None:
        if not self.offers_catalog:
            return
        text = event.value.strip()
        if self._chosen_name is not None and text == self._chosen_name:
            return
        self._chosen_name = None
        self._show_offers(offers(text))

    def _show_offers(self, found: list[catalog.CatalogEntry]) -> None:
        """List ``found`` (class ``-shown``), or a hint when there is nothing to offer."""
        self._offered = found
        suggestions = self.suggestions
        suggestions.clear_options()
        if found:
            # an entry the workshop already has (same id or name) is shown, but not offered: no duplicates
            here = {a.name.casefold(): a.id for a in self.model.ws.attributes}
            here.update({a.id: a.id for a in self.model.ws.attributes})
            suggestions.add_options(
                Option(f"in this workshop already: {safe(e.name)}  ·  {safe(held)}", id=e.id, disabled=True)
                if (held := here.get(e.id) or here.get(e.name.casefold())) is not None
                else Option(f"catalog: {safe(e.name)}  ·  {e.entity}, {e.type}  ·  {e.id}", id=e.id)
                for e in found
            )
        else:
            suggestions.add_option(Option(HINT, disabled=True))
        suggestions.set_class(bool(found), "-shown")

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self._offered and self.focused is not None and self.focused.id == "input-name":
            event.stop()
            self.suggestions.can_focus = True
            self.suggestions.highlighted = 0
            self.suggestions.focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        super().on_descendant_blur(event)
        if event.widget.id in ("input-name", "catalog-suggestions") and self.offers_catalog:
            self.call_after_refresh(self._hide_unless_in_use)

    def _hide_unless_in_use(self) -> None:
        """Leaving the name (not for the list): the suggestions go, the fields below move back up."""
        focused = self.focused.id if self.focused is not None else None
        if focused not in ("input-name", "catalog-suggestions"):
            self._show_offers([])

    @on(OptionList.OptionSelected, "#catalog-suggestions")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = catalog.load_catalog().get(event.option.id or "")
        if entry is not None:
            self.use_entry(entry)

    def use_entry(self, entry: catalog.CatalogEntry) -> None:
        """Fill the form from a catalog entry (a free id: the entry's, or with _2, _3...)."""
        ident, n = entry.id, 2
        while ident in self._taken:
            ident, n = f"{entry.id}_{n}", n + 1
        self._auto_id = None  # the id is chosen now: it no longer follows the name
        self._chosen_name = entry.name
        values = self.model.initial(entry.to_attribute(ident))
        for key in FILLED:
            value = values[key]
            widget = self.query_one(f"#input-{key}")
            if isinstance(widget, Select):
                widget.value = Select.NULL if value in (None, "") else value
            elif isinstance(widget, TextArea):
                widget.load_text(str(value or ""))
            elif isinstance(widget, Input):
                widget.value = str(value or "")
        self._show_offers([])
        self.query_one("#input-name", Input).focus()
        self.notify(f"filled from the reference catalog: {safe(entry.id)}", timeout=3)
