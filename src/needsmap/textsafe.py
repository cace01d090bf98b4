"""Making untrusted workshop text safe for the place it goes.

Every string in a workshop file is untrusted: it may carry terminal escape
sequences, Markdown or HTML, spreadsheet formulas.  Each output format calls
the function for its medium, at the moment of writing.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def terminal(text: str) -> str:
    """Text for a terminal: control characters (escape sequences, bidi overrides) made visible."""
    def show(mt: re.Match[str]) -> str:
        ch = mt.group(0)
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"

    return _CONTROL.sub(show, text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def markdown(text: str) -> str:
    """Inline Markdown: no markup, no HTML, no line breaks from the text itself."""
    text = terminal(one_line(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


def is_printable(text: str) -> bool:
    return all(unicodedata.category(ch)[0] != "C" for ch in text)
