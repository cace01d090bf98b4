"""The workshop's one vocabulary for people: what each section's items are called, and new ids.

Every message, form and picker that names a kind of item, and every place that makes up an
id for a new item, uses this module, so the CLI, the terminal UI and the imports say and do
the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# -- ids of new items ---------------------------------------------------------------------------------
_SLUG = re.compile(r"[^a-z0-9]+")


def new_note_id(kind: str, text: str, taken: Iterable[str]) -> str:
    """``q-who-owns-the-mobile``: the kind's letter and the first words, unique among ``taken``."""
    taken = set(taken)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in _SLUG.split(ascii_text) if w][:4]
    base = f"{kind[0]}-{'-'.join(words)}" if words else f"{kind[0]}-note"
    base = base[:40].rstrip("-")
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
