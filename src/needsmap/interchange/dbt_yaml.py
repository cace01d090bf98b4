"""The dbt export's YAML, written fast enough for an estate of thousands of columns.

PyYAML's representer spends about 8 microseconds on each value: the enterprise workshop's sources
(5,000 columns, 400,000 values) took four seconds that way, against a budget of under one. This
writer emits the same block YAML in one pass. It never lets text shape the file: every string
is a double-quoted scalar encoded by :func:`quoted` (JSON's string escapes, which YAML's
double-quoted style shares, plus ``\\u`` escapes for what YAML reads as a line break or refuses),
every key is a plain scalar only when YAML reads it back as that same string, and the structure
(indentation, ``-``, ``:``) comes from the data's shape alone. The tests load every file it
writes with PyYAML and compare it with the data, hostile text included.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from json.encoder import encode_basestring  # JSON's string quoting, in C
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

#: What JSON leaves as it is but YAML does not: C1 controls, the line and paragraph separators
#: (line breaks to YAML, folded inside a quoted scalar), the byte-order mark, non-characters and
#: lone surrogates (which YAML refuses).
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"[A-Za-z_+][A-Za-z0-9_+-]*")
_STR = "tag:yaml.org,2002:str"
_RESOLVER = Resolver()
_KEYS: dict[str, str] = {}  # key -> as written (the same few keys, thousands of times)


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that loads back as exactly ``text``."""
    out = encode_basestring(text)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out) if _YAML_UNSAFE.search(out) else out


def _key(key: object) -> str:
    done = _KEYS.get(key) if isinstance(key, str) else None
    if done is not None:
        return done
    if not isinstance(key, str):
        raise TypeError(f"a YAML key of the dbt export must be text, not {type(key).__name__}")
    plain = _PLAIN_KEY.fullmatch(key) and _RESOLVER.resolve(ScalarNode, key, (True, False)) == _STR
    done = key if plain else quoted(key)
    if len(_KEYS) < 10_000:
        _KEYS[key] = done
    return done


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text and "e" in text:  # YAML 1.1 reads 1e-05 as text: write 1.0e-05
        text = text.replace("e", ".0e", 1)
    return text


class _Writer:
    def __init__(self, text: Callable[[str], str]) -> None:
        self.text = text  # what each string becomes before it is quoted (the Jinja escape)
        self.out: list[str] = []
        self.memo: dict[str, str] = {}

    def scalar(self, value: Any) -> str:
        if type(value) is str:
            done = self.memo.get(value)
            if done is None:
                done = self.memo[value] = quoted(self.text(value))
            return done
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, dict) and not value:
            return "{}"
        if isinstance(value, list) and not value:
            return "[]"
        raise TypeError(f"the dbt export cannot write a {type(value).__name__}")

    def mapping(self, data: dict[Any, Any], indent: int, first: str | None = None) -> None:
        """``data`` as block mapping lines at ``indent``; the first line starts with ``first`` (a list's ``- ``)."""
        pad = " " * indent
        for i, (key, value) in enumerate(data.items()):
            lead = first if i == 0 and first is not None else pad
            kind = type(value)
            if kind is str:
                self.out.append(f"{lead}{_key(key)}: {self.scalar(value)}\n")
            elif kind is dict and value:
                self.out.append(f"{lead}{_key(key)}:\n")
                self.mapping(value, indent + 2)
            elif kind is list and value:
                self.out.append(f"{lead}{_key(key)}:\n")
                self.sequence(value, indent + 2)
            else:
                self.out.append(f"{lead}{_key(key)}: {self.scalar(value)}\n")

    def sequence(self, items: list[Any], indent: int) -> None:
        pad = " " * indent
        for value in items:
            if isinstance(value, dict) and value:
                self.mapping(value, indent + 2, first=f"{pad}- ")
            elif isinstance(value, list) and value:
                self.out.append(f"{pad}-\n")
                self.sequence(value, indent + 2)
            else:
                self.out.append(f"{pad}- {self.scalar(value)}\n")


def dump(data: dict[str, Any], text: Callable[[str], str] = str) -> str:
    """``data`` (dicts, lists, text, numbers, booleans, None) as block YAML; each string through ``text`` first."""
    writer = _Writer(text)
    writer.mapping(data, 0)
    return "".join(writer.out)
