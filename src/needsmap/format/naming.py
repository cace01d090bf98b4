"""The workshop's one vocabulary for people: what each section's items are called, and new ids.

Every message, form and picker that names a kind of item, and every place that makes up an
id for a new item, uses this module, so the CLI, the terminal UI and the imports say and do
the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

from needsmap.format import spec

# -- words ---------------------------------------------------------------------------------------------
#: The word for one item of each section, as messages say it ("use_cases" -> "use case").
SECTION_WORD: dict[str, str] = {
    **{section: rec.word for section, rec in spec.ITEM_RECORDS.items()},
    "functions": "function",
    "channels": "channel",
}


def section_word(section: str) -> str:
    """``"use_cases"`` -> ``"use case"``: one item of ``section``, as messages say it."""
    return SECTION_WORD.get(section) or section.removesuffix("s").replace("_", " ")


def section_words(section: str) -> str:
    """``"use_cases"`` -> ``"use cases"``: the items of ``section``, as messages say it."""
    return section.replace("_", " ")


def subject_kind(section: str) -> str:
    """``"use_cases"`` -> ``"use_case"``: the kind of node the analysis (graph, gaps) gives an item of ``section``."""
    return section_word(section).replace(" ", "_")


def item_label(word: str, ident: str | None = None, *, index: int | None = None, parent: str | None = None) -> str:
    """How a message names an item: ``use case 'churn'``, ``holding #2 of system 'crm'``.

    ``word`` is what the item is (:func:`section_word`, or a nested record's :attr:`~spec.Record.word`);
    an item without an id is named by its position ``index`` (from 0) in its list, inside ``parent``.
    """
    if ident:
        label = f"{word} '{ident}'"
    elif index is not None:
        label = f"{word} #{index + 1}"
    else:
        label = word
    return f"{label} of {parent}" if parent else label


def item_name(item: Any) -> str:
    """The name people know an item by: its name, title (use cases) or text (notes); its id when it has none."""
    name: str = getattr(item, "name", "") or getattr(item, "title", "") or getattr(item, "text", "") or item.id
    return name


# -- ids of new items ---------------------------------------------------------------------------------
#: How ids of each section are usually written (the demo workshop's style): ``email_address``, ``crm-suite``.
ID_SEPARATOR = {"attributes": "_"}
_ID_RE = re.compile(spec.ID_PATTERN)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """``'  E-mail  Adres '`` -> ``'e mail adres'``: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return _NOT_ALNUM.sub(" ", folded).strip()


def slug(text: str, sep: str = "-") -> str:
    """``'Haven Club card number'`` -> ``'haven-club-card-number'``: the words of ``text``, accents folded."""
    return name_key(text).replace(" ", sep)


def unique_id(base: str, taken: Collection[str], sep: str = "-") -> str:
    """``base``, or ``base-2``, ``base-3``... : the first that is not in ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{sep}{n}", n + 1
    return candidate


def new_item_id(
    section: str, name: str, taken: Collection[str], *, preferred: str | None = None, words: int = 6
) -> str:
    """A free, valid id for a new item of ``section`` called ``name``.

    ``preferred`` when it is valid and free (an id from the reference catalog, say).
    Stakeholders get their first name when it is free ("sanne"); other sections a slug of
    the first ``words`` words of the name, in the section's usual style (``loyalty_tier``).
    """
    if preferred and _ID_RE.match(preferred) and preferred not in taken:
        return preferred
    sep = ID_SEPARATOR.get(section, "-")
    parts = slug(name, sep).split(sep)
    if section == "stakeholders" and parts[0] and parts[0] not in taken:
        base = parts[0]
    else:
        base = sep.join(parts[:words])
    if not base or not _ID_RE.match(base):
        base = section_word(section).replace(" ", sep)
    return unique_id(base, taken, sep)


def new_note_id(kind: str, text: str, taken: Iterable[str]) -> str:
    """``q-who-owns-the-mobile``: the kind's letter and the first words, unique among ``taken``."""
    words = name_key(text).split()[:4]
    base = f"{kind[0]}-{'-'.join(words)}" if words else f"{kind[0]}-note"
    return unique_id(base[:40].rstrip("-"), set(taken))
