"""Block YAML for the exports, written fast enough for an estate of thousands of columns, and safe for any text.

PyYAML's representer spends microseconds on every value: the enterprise workshop's dbt sources
(400,000 values) took four seconds through ``yaml.safe_dump``, its data contracts five, against a
budget of three for every format together. This writer emits the same block YAML in one pass.
It never lets text shape the file: structure (indentation, ``-``, ``:``) comes from the data's shape
alone, and every string goes through one function that writes it plain only when it is short (a
name, an id) and YAML reads it back as that same string (prose is quoted, so a colon typed into it
later cannot break the file), as a literal block when it is plain multi-line text, and otherwise as
a JSON string (a valid YAML double-quoted scalar) with the characters YAML does not take raw
escaped. The tests load what it writes with PyYAML, hostile and generated text included, and
compare it with the data.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any


def dump(data: dict[str, Any], text: Callable[[str], str] | None = None) -> str:
    """``data`` (dicts, lists, text, numbers, booleans, None) as block YAML; each string value through ``text``
    first when given (dbt's Jinja escape), keys as they are."""
    out: list[str] = []
    _block(_filtered(data, text) if text is not None else data, 0, out)
    out.append("")
    return "\n".join(out)


#: Strings YAML reads back as themselves when written plain (and are no boolean or null).
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9 _.,()/&+'-]*")
#: Characters YAML takes in no scalar raw, or reads as a line break: in quotes they are written as \uXXXX.
_RAW_BAD = "\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff\\ud800-\\udfff"
_BAD = "\\x00-\\x1f" + _RAW_BAD
_NOT_RAW = re.compile(f"[{_RAW_BAD}]")  # json.dumps escapes the C0 controls itself
#: A line of a literal block: none of those characters, no white space at either end (or empty).
_LITERAL_LINE = re.compile(f"(?:[^\\s{_BAD}](?:[^{_BAD}]*[^\\s{_BAD}])?)?")


def _quoted(text: str) -> str:
    return _NOT_RAW.sub(lambda c: f"\\u{ord(c.group()):04x}", json.dumps(text, ensure_ascii=False))


def _scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    return _text_scalar(str(value))


#: Plain words YAML (1.1, as PyYAML and most tools read it) takes for booleans or null.
_NOT_STRINGS = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n", "null"})


@functools.lru_cache(maxsize=1 << 16)
def _text_scalar(text: str) -> str:
    if (
        (len(text) <= 40 or (" " not in text and len(text) <= 200))
        and _PLAIN.fullmatch(text)
        and not text.endswith(" ")
        and "  " not in text
        and text.casefold() not in _NOT_STRINGS
    ):
        return text
    return _quoted(text)


def _literal(text: str, indent: int) -> list[str] | None:
    """``text`` as the lines of a literal block (``|`` or ``|-``), or None when it cannot be one."""
    if "\n" not in text:
        return None
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    if not lines[0] or body.endswith("\n") or not all(_LITERAL_LINE.fullmatch(line) for line in lines):
        return None
    pad = " " * indent
    return ["|" if text.endswith("\n") else "|-", *(pad + line if line else "" for line in lines)]


def _block(value: object, indent: int, out: list[str], first: str = "") -> None:
    """Write a mapping or sequence at ``indent``; ``first`` prefixes its first line (a list item's dash)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            out.append(f"{first or pad}{{}}")
            return
        lead = first or pad
        for key, item in value.items():
            _entry(f"{lead}{_scalar(key)}:", item, indent, out)
            lead = pad
    elif isinstance(value, list):
        if not value:
            out.append(f"{first or pad}[]")
            return
        lead = first or pad
        for item in value:
            if isinstance(item, (dict, list)) and item:
                _block(item, indent + 2, out, f"{lead}- ")
            elif isinstance(item, str) and (lines := _literal(item, indent + 2)):
                out.append(f"{lead}- {lines[0]}")
                out.extend(lines[1:])
            else:
                out.append(
                    f"{lead}- {_scalar(item) if not isinstance(item, (dict, list)) else '[]' if isinstance(item, list) else '{}'}"
                )
            lead = pad
    else:
        out.append(f"{first or pad}{_scalar(value)}")


def _entry(head: str, item: object, indent: int, out: list[str]) -> None:
    if isinstance(item, dict) and item:
        out.append(head)
        _block(item, indent + 2, out)
    elif isinstance(item, list) and item:
        out.append(head)
        _block(item, indent, out)
    elif isinstance(item, str) and (lines := _literal(item, indent + 2)):
        out.append(f"{head} {lines[0]}")
        out.extend(lines[1:])
    elif isinstance(item, (dict, list)):
        out.append(f"{head} {'{}' if isinstance(item, dict) else '[]'}")
    else:
        out.append(f"{head} {_scalar(item)}")


def _filtered(value: Any, text: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {k: _filtered(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_filtered(v, text) for v in value]
    return value
