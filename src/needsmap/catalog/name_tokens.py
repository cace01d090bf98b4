"""The words of a name, however it is written: the one reading of names that the catalog search,
the column matcher and the linkers share (``first_name`` == ``FirstName`` == ``Prénom``'s ``prenom``).
"""

from __future__ import annotations

import re
import unicodedata

_CAMEL_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def name_tokens(text: str) -> tuple[str, ...]:
    """The lower-case words of a name: ``"billingAddress_ZIPCode2"`` -> billing, address, zip, code, 2."""
    if not text.isascii():
        text = text.replace("ß", "ss").replace("ẞ", "SS")
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if not text.islower():  # camelCase and acronyms only where there are capitals
        text = _CAMEL_ACRONYM.sub(r"\1 \2", _CAMEL_LOWER_UPPER.sub(r"\1 \2", text))
    text = _LETTER_DIGIT.sub(" ", text)
    return tuple(t for t in _NON_ALNUM.split(text.lower()) if t)


def compact_key(text: str) -> str:
    """One key for all spellings of a name: its words joined (``first_name`` == ``FirstName``)."""
    return "".join(name_tokens(text))
