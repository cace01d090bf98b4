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


class MarkdownText(str):
    """Markdown our own code produced (workshop text already escaped): Markdown templates output it unchanged."""

    __slots__ = ()


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


# -------------------------------------------------------------------------------- XML

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str, replacement: str = "\ufffd") -> str:
    """``text`` with the characters XML 1.0 cannot hold (lone surrogates, U+FFFE, U+FFFF) as U+FFFD.

    ``replacement=""`` drops them instead.  C0 control characters are not touched here: the
    callers make them visible first (:func:`terminal`) or drop them where the medium needs that.
    """
    return _NOT_XML.sub(replacement, text)


# -------------------------------------------------------------------------------- shortening

_ZWJ = "\u200d"
_MARKS = frozenset({"Mn", "Me", "Mc"})  # marks belong to the character before them (accents, vowel signs)


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _inside_grapheme(text: str, cut: int) -> bool:
    """Whether cutting ``text`` before index ``cut`` would split a user-perceived character."""
    ch, before = text[cut], text[cut - 1]
    if before == _ZWJ or ch == _ZWJ or ch in "\ufe0e\ufe0f":  # joined emoji; text or emoji presentation
        return True
    if unicodedata.category(ch) in _MARKS:  # by category: many marks have combining class 0 (Thai, enclosing)
        return True
    if 0x1F3FB <= ord(ch) <= 0x1F3FF or 0xE0020 <= ord(ch) <= 0xE007F:  # skin tone; tag (subdivision flags)
        return True
    if before == "\r" and ch == "\n":
        return True
    if _regional(ch) and _regional(before):  # a flag is a pair of regional indicators
        pairs = 0
        i = cut - 1
        while i >= 0 and _regional(text[i]):
            pairs += 1
            i -= 1
        return pairs % 2 == 1
    return False


def shorten(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    """``text`` cut to at most ``limit`` characters, ending in ``ellipsis`` when it was cut.

    Never cuts inside a user-perceived character (a letter and its accents or vowel signs,
    an emoji with its modifiers or joiners, a flag): when not even the first one fits, only
    the ellipsis is left.  White space left before the ellipsis is dropped.
    """
    if len(text) <= limit:
        return text
    cut = max(0, limit - len(ellipsis))
    while cut > 0 and _inside_grapheme(text, cut):
        cut -= 1
    return text[:cut].rstrip() + ellipsis
