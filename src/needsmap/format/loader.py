"""Reading a workshop file into the domain model, with located diagnostics.

The file is parsed with libyaml (PyYAML's C parser) into a node tree that
keeps line and column of every value; the tree is then walked once, guided by
the declarations in :mod:`needsmap.format.spec`, building dataclasses and reporting
*every* structural problem: YAML syntax, unknown keys (with a suggestion),
wrong types, values out of range or not among the allowed ones, missing
required fields, duplicate keys, tags that are not plain data.

Only plain data is accepted: no ``!!python/...`` or other tags, no merge keys.
Only regular files are read (a pipe, a device or a folder is refused at once, never
waited on).  Files bigger than :data:`needsmap.format.spec.MAX_FILE_BYTES` are refused,
and so are files whose aliases expand beyond :data:`needsmap.format.spec.MAX_NODES`
nodes, or whose aliases, written out as a save writes them, would make a file over
that size (:class:`_Expansion`): whatever loads can be saved and opened again.

Positions are the ones an editor shows: lines end at ``\n``, ``\r\n`` or ``\r``
(libyaml also ends them at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR, as YAML 1.1
does; files holding those are translated, :class:`_Positions`).

Cross-references, ids and other rules between items are checked afterwards by
:mod:`needsmap.format.validator`.

Speed (an enterprise workshop is 2.5 MB, ~350,000 YAML nodes):

* the cyclic garbage collector is paused while the tree is built and walked
  (:func:`needsmap.util.gcpause.gc_paused`): the load allocates millions of objects that reference
  counting frees (only a recursive alias makes a cycle, collected after the
  load), and every allocation burst would otherwise trigger collections that
  traverse the whole growing tree again and again: they cost more than
  parsing and walking together;
* libyaml calls back into Python for every node; :class:`_Composer` makes those
  callbacks nearly free and leaves the implicit tag of scalars (PyYAML's
  regular expressions) unresolved: the walker resolves it, with PyYAML's own
  resolver, only for the scalars where the tag can change the outcome;
* the walker dispatches each field through a table precomputed per record, takes
  a fast path for values that need no message, and names items in messages
  (``holding #2 of system 'crm'``) only when a message is written.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as _dt
import enum
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, Protocol, TypeVar

import yaml
import yaml.constructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from needsmap import __version__
from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.diagnostics import Diagnostic, Position, Reporter, suggestion_suffix
from needsmap.format.naming import item_label
from needsmap.util.gcpause import gc_paused
from needsmap.util.text import shorten

if TYPE_CHECKING:  # both parsers have one interface; the stubs always declare the C one
    _Parser = yaml.CSafeLoader
else:  # libyaml's parser where PyYAML was built with it, else the pure-Python one
    _Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_T = "tag:yaml.org,2002:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS = (
    _T + "str",
    _T + "int",
    _T + "float",
    _T + "bool",
    _T + "null",
    _T + "timestamp",
)
TAG_MAP, TAG_SEQ, TAG_MERGE = _T + "map", _T + "seq", _T + "merge"
_PLAIN_SCALAR_TAGS = {TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS}
#: Tags a text field (str, id, ref) takes as it is: any plain tag but null.
_TEXT_TAGS = frozenset(_PLAIN_SCALAR_TAGS - {TAG_NULL})

_constructor = yaml.constructor.SafeConstructor()


class Missing(enum.Enum):
    """The type of :data:`MISSING` (an enum, so that ``value is MISSING`` narrows types)."""

    MISSING = "MISSING"


#: What :class:`ValueReader` returns for a value it could not read (the error is reported).
MISSING: Final = Missing.MISSING
_INF = float("inf")

_KIND_WORDS = {
    "str": "text",
    "id": "an id",
    "ref": "an id",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "enum": "one of the allowed values",
}


@dataclass(frozen=True, slots=True)
class FileOrigin:
    """What the saver must know about the file a workshop was loaded from."""

    path: str
    digest: str  # sha256 of the bytes read; the saver refuses to overwrite other bytes
    dropped_comment_lines: tuple[int, ...] = ()  # comments (outside the header) a save would drop


@dataclass(slots=True)
class LoadResult:
    workshop: m.Workshop | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    origin: FileOrigin | None = None

    @property
    def ok(self) -> bool:
        return self.workshop is not None and not any(d.severity == "error" for d in self.diagnostics)


class _Abort(Exception):
    """Stops the walk for problems that make further checking pointless."""


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- composing -------------------------------------------------------------
_NO_PATH_RESOLVERS: dict[Node | None, int | None] = {}
_PLAIN = (True, False)
#: A node's tag during the walk: the tag, or a placeholder :class:`_Composer` left (True, False, None).
_Tag = str | bool | None


class _Composer(_Parser):
    """The safe loader's parser, with the callbacks it makes for every node made almost free.

    For each node libyaml's composer calls ``descend_resolver(parent, index)``
    and ``ascend_resolver()`` (path resolvers: the safe loader has none) and
    ``resolve(kind, value, implicit)`` when the node has no explicit tag (or
    the non-specific ``!``).  PyYAML's ``resolve`` tries regular expressions on
    every scalar; here the node's tag is left as a placeholder:

    * ``True``: a scalar PyYAML would resolve from its value (``plain_implicit``);
    * ``False``: a scalar that is a str whatever its value (quoted, block...);
    * ``None``: a list or a mapping with the default tag.

    :func:`_tag_of` and :meth:`ValueReader._tag` turn those into the tag PyYAML
    would have given, with PyYAML's own resolver, when it is needed.  Explicit
    tags (``!!python/...``, ``!!str``) stay the strings libyaml read.
    """

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> bool | None:
        if kind is ScalarNode:
            return implicit[0]  # (plain_implicit, quoted_implicit): only the first counts
        return None

    # C callables in place of the methods, so that libyaml's callbacks run no Python code; they are
    # not methods (not bound to self), which the stubs' method types cannot say.
    descend_resolver = _NO_PATH_RESOLVERS.get  # type: ignore[assignment]  # (parent, index) -> index
    ascend_resolver = tuple  # type: ignore[assignment]  # () -> ()


class _Resolve(Protocol):
    def __call__(self, resolver: Any, kind: type[Node], value: str, implicit: tuple[bool, bool], /) -> str: ...


#: PyYAML's ``BaseResolver.resolve``, typed (the stubs leave it unannotated).  It is called with the
#: parser class itself as ``resolver``: it reads only the class's tables.
_resolve: _Resolve = _Parser.resolve


def _implicit_tag(value: str) -> str:
    """The tag the safe loader gives a plain, untagged scalar: PyYAML's resolver with the parser's tables."""
    return _resolve(_Parser, ScalarNode, value, _PLAIN)


def _tag_of(node: Node) -> str:
    """The tag PyYAML's safe loader would have put on ``node``."""
    tag: _Tag = node.tag
    if tag is True:  # placeholders of _Composer
        return _implicit_tag(node.value)
    if tag is False:
        return TAG_STR
    if tag is None:
        return TAG_MAP if isinstance(node, MappingNode) else TAG_SEQ
    return tag


class _AnyChar:
    def __contains__(self, item: object) -> bool:
        return True


def _first_chars(wanted: Callable[[str], bool]) -> frozenset[str] | _AnyChar:
    """First characters of the plain scalars the resolver may give a tag for which ``wanted(tag)`` holds.

    PyYAML picks the regular expressions to try by the first character of the
    value (``""`` for an empty value), plus the wildcard ones (key ``None``):
    a scalar whose first character is not in this set cannot get such a tag.
    """
    table = _Parser.yaml_implicit_resolvers
    if any(wanted(tag) for tag, _ in table.get(None, ())):
        return _AnyChar()
    return frozenset(
        first for first, resolvers in table.items() if first is not None and any(wanted(tag) for tag, _ in resolvers)
    )


def _pos(node: Node) -> Position:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if _tag_of(node) == TAG_NULL:
        return "nothing (null)"
    return f"'{shorten(node.value, 40, '...')}'"


# -- labels ------------------------------------------------------------------
class _ItemLabel:
    """How messages name an item of a list (``stakeholder 'maria'``), worked out when a message needs it.

    Formatting it (``f"{label}"``) gives the text :func:`_item_label` returns.
    """

    __slots__ = ("node", "rec", "index", "parent", "text")

    def __init__(self, node: Node, rec: spec.Record, index: int, parent: Where | None) -> None:
        self.node = node
        self.rec = rec
        self.index = index
        self.parent = parent
        self.text: str | None = None

    def __str__(self) -> str:
        if self.text is None:
            self.text = _item_label(self.node, self.rec, self.index, self.parent)
        return self.text


class _FieldLabel:
    """``'key' of <where>``, worked out when a message needs it."""

    __slots__ = ("key", "where", "text")

    def __init__(self, key: str, where: Where) -> None:
        self.key = key
        self.where = where
        self.text: str | None = None

    def __str__(self) -> str:
        if self.text is None:
            self.text = f"'{self.key}' of {self.where}"
        return self.text


#: Where a value is, in messages: text, or a label worked out only when a message needs it.
Where = str | _ItemLabel | _FieldLabel

# -- the walk ----------------------------------------------------------------
# how a field is read (see _plan); the walker relies on these numbers
_TEXT, _ENUM, _SCALAR, _RECORD, _RECORDS, _TEXTS, _SCALARS = range(7)
_TEXT_KINDS = frozenset(("str", "id", "ref"))
#: How one field is read: ``(how, attribute, field, shape)``.  The shape's class goes with ``how``
#: (a Scalar for _TEXT/_ENUM/_SCALAR, a Record for _RECORD, a ListOf for the lists), which a tuple
#: type cannot say; the walker reads it without checking it again (``Any``).
_PlanEntry = tuple[int, str, spec.Field, Any]
_PLANS: dict[int, tuple[spec.Record, dict[str, _PlanEntry], tuple[str, ...]]] = {}


def _plan(rec: spec.Record) -> tuple[dict[str, _PlanEntry], tuple[str, ...]]:
    """How to read ``rec``, worked out once per record.

    ``{key: (how, attribute, field, shape)}`` and the attributes of the required fields.
    """
    cached = _PLANS.get(id(rec))
    if cached is not None and cached[0] is rec:
        return cached[1], cached[2]
    table: dict[str, _PlanEntry] = {}
    for fld in rec.fields:
        shape = fld.shape
        if isinstance(shape, spec.Record):
            how = _RECORD
        elif isinstance(shape, spec.ListOf):
            item = shape.item
            if isinstance(item, spec.Record):
                how = _RECORDS
            else:
                how = _TEXTS if item.kind in _TEXT_KINDS else _SCALARS
        else:
            how = _TEXT if shape.kind in _TEXT_KINDS else _ENUM if shape.kind == "enum" else _SCALAR
        table[fld.key] = (how, fld.attr, fld, shape)
    required = tuple(fld.attr for fld in rec.fields if fld.required)
    _PLANS[id(rec)] = (rec, table, required)
    return table, required


class ValueReader:
    """One pass over the node tree, building the model; every problem goes to the reporter, located.

    Public so that the terminal UI's forms read a typed value with the loader's own code
    (:meth:`scalar`), and so say exactly what the loader would say about the same text.

    Nodes may carry the tags PyYAML gives (strings) or the unresolved ones of
    :class:`_Composer`; :meth:`_tag` gives the former in both cases.
    """

    def __init__(self, rep: Reporter) -> None:
        self.rep = rep
        self.budget = spec.MAX_NODES
        self._implicit: dict[str, str] = {}  # value -> tag, for plain scalars
        self._ints: dict[str, int] = {}
        self._floats: dict[str, float] = {}
        plain = _PLAIN_SCALAR_TAGS
        # first characters of plain scalars whose tag may be ...
        self._first_any = _first_chars(lambda tag: tag != TAG_STR)  # ... anything but str
        self._first_odd = _first_chars(lambda tag: tag == TAG_NULL or tag not in plain)  # ... bad for text
        self._first_null = _first_chars(lambda tag: tag == TAG_NULL)
        self._first_merge = _first_chars(lambda tag: tag == TAG_MERGE)

    # -- tags ----------------------------------------------------------------
    def _tag(self, node: Node) -> str:
        """The tag PyYAML's safe loader would have put on ``node`` (memoised for plain scalars)."""
        tag: _Tag = node.tag
        if tag is True:  # placeholders of _Composer
            value = node.value
            if value[:1] in self._first_any:
                found = self._implicit.get(value)
                if found is None:
                    found = self._implicit[value] = _implicit_tag(value)
                return found
            return TAG_STR
        if tag is False:
            return TAG_STR
        if tag is None:
            return TAG_MAP if isinstance(node, MappingNode) else TAG_SEQ
        return tag

    def _is_null(self, node: Node) -> bool:
        """``isinstance(node, ScalarNode) and tag == TAG_NULL``, cheaply."""
        if node.__class__ is not ScalarNode and not isinstance(node, ScalarNode):
            return False
        tag: _Tag = node.tag
        if tag is False or (tag is True and node.value[:1] not in self._first_null):
            return False
        return self._tag(node) == TAG_NULL

    def _tick(self, node: Node) -> None:
        self.budget -= 1
        if self.budget < 0:
            self._too_many(node)

    def _too_many(self, node: Node) -> NoReturn:
        self.rep.error(
            _pos(node),
            "too-many-nodes",
            f"the file expands to more than {spec.MAX_NODES:,} YAML nodes "
            "(aliases count every time they are used); refusing to load it",
        )
        raise _Abort

    def _check_tag(self, node: Node) -> bool:
        tag = self._tag(node)
        if isinstance(node, ScalarNode):
            ok = tag in _PLAIN_SCALAR_TAGS
        elif isinstance(node, MappingNode):
            ok = tag == TAG_MAP
        else:
            ok = tag == TAG_SEQ
        if not ok:
            shown = tag.replace(_T, "!!") if tag.startswith(_T) else tag
            self.rep.error(
                _pos(node),
                "tag-not-allowed",
                f"YAML tag '{shown}' is not allowed in a workshop file; write plain values",
            )
        return ok

    # -- records ---------------------------------------------------------
    def record(self, node: Node, rec: spec.Record, where: Where) -> object:
        """The item ``node`` stands for (a ``rec.cls``), or None; ``where`` names it in messages."""
        self.budget -= 1
        if self.budget < 0:
            self._too_many(node)
        if not isinstance(node, MappingNode):
            if node.__class__ is ScalarNode and rec.short:
                tag: _Tag = node.tag
                if tag is False or (tag is True and node.value[:1] not in self._first_odd):
                    pos = _pos(node)  # a bare id with a plain tag, not null
                    return rec.cls(**{rec.short: node.value}, loc=m.Loc({"": pos, rec.short: pos}))
            return self._record_other(node, rec, where)
        tag = node.tag
        if tag.__class__ is str and tag != TAG_MAP and not self._check_tag(node):
            return None
        mark = node.start_mark
        loc = m.Loc({"": (mark.line + 1, mark.column + 1)})
        kwargs: dict[str, object] = {}
        seen: dict[str, Node] = {}  # key -> its node
        table, required = _plan(rec)
        first_odd = self._first_odd
        first_any = self._first_any
        first_merge = self._first_merge
        for knode, vnode in node.value:
            if knode.__class__ is not ScalarNode and not isinstance(knode, ScalarNode):
                self.rep.error(_pos(knode), "wrong-type", f"keys in {where} must be plain names")
                continue
            key = knode.value
            ktag: _Tag = knode.tag
            if (key[:1] in first_merge and self._tag(knode) == TAG_MERGE) if ktag is True else ktag == TAG_MERGE:
                self.rep.error(
                    _pos(knode),
                    "tag-not-allowed",
                    "YAML merge keys ('<<') are not supported in workshop files; write the fields out",
                )
                continue
            if key in seen:
                line, col = _pos(seen[key])
                self.rep.error(
                    _pos(knode),
                    "duplicate-key",
                    f"key '{key}' appears twice in {where} (first at line {line}, column {col}); keep one",
                )
                continue
            seen[key] = knode
            entry = table.get(key)
            if entry is None:
                by_key = rec.by_key
                self.rep.error(
                    _pos(knode),
                    "unknown-key",
                    f"unknown key '{key}' in {where}{suggestion_suffix(key, by_key)} (allowed: {', '.join(by_key)})",
                )
                continue
            how, attr, fld, shape = entry
            if how <= 2:  # _TEXT, _ENUM, _SCALAR: a single value; the fast paths need no message
                self.budget -= 1
                if self.budget < 0:
                    self._too_many(vnode)
                if vnode.__class__ is ScalarNode:
                    vtag: _Tag = vnode.tag
                    text = vnode.value
                    if vtag is True or vtag is False:  # see _Composer
                        if how == 0:  # _TEXT: any tag but null (or a disallowed one) is fine
                            fast = vtag is False or text[:1] not in first_odd
                        elif how == 1:  # _ENUM: only str
                            fast = (vtag is False or text[:1] not in first_any) and text in shape.choices
                        else:
                            fast = False
                        if fast:
                            mark = vnode.start_mark
                            loc[key] = (mark.line + 1, mark.column + 1)
                            kwargs[attr] = text
                            continue
                    if how:
                        value = self._quick(vnode, shape)
                        if value is not MISSING:
                            mark = vnode.start_mark
                            loc[key] = (mark.line + 1, mark.column + 1)
                            kwargs[attr] = value
                            continue
                value = self._scalar_value(vnode, shape, _FieldLabel(key, where), key, loc)
            elif how == _RECORDS or how == _TEXTS:
                value = self._list(vnode, shape, how, _FieldLabel(key, where), key, loc, where)
            else:
                value = self.value(vnode, shape, _FieldLabel(key, where), key, loc, where)
            if value is not MISSING:
                kwargs[attr] = value
            elif fld.required and self._is_null(vnode):
                self.rep.error(_pos(knode), "missing-field", f"'{key}' of {where} is empty (required)")
        for attr in required:
            if attr not in kwargs:
                return self._incomplete(node, rec, where, seen, kwargs, loc)
        kwargs["loc"] = loc
        return rec.cls(**kwargs)

    def _incomplete(
        self, node: Node, rec: spec.Record, where: Where, seen: dict[str, Node], kwargs: dict[str, object], loc: m.Loc
    ) -> object:
        """:meth:`record` when required fields are missing."""
        missing = [f for f in rec.fields if f.required and f.attr not in kwargs]
        for fld in missing:
            if fld.key not in seen:  # present but invalid: already reported
                self.rep.error(_pos(node), "missing-field", f"{where} has no '{fld.key}' (required)")
        key_field = rec.fields[0]
        if (
            missing[0] is key_field
            and isinstance(key_field.shape, spec.Scalar)
            and key_field.shape.kind in ("id", "ref")
        ):
            return None  # without its id the item cannot take part in anything
        for fld in missing:
            kwargs[fld.attr] = _placeholder(fld)
        kwargs["loc"] = loc
        return rec.cls(**kwargs)

    def _record_other(self, node: Node, rec: spec.Record, where: Where) -> object:
        """:meth:`record` for a node that is not a mapping (already counted)."""
        if isinstance(node, ScalarNode) and rec.short and not self._is_null(node):
            if not self._check_tag(node):
                return None
            return rec.cls(**{rec.short: node.value}, loc=m.Loc({"": _pos(node), rec.short: _pos(node)}))
        if self._is_null(node):
            self.rep.error(_pos(node), "wrong-type", f"{where} is empty; expected a mapping of {rec.name} fields")
        else:
            hint = f" or a bare {rec.short} id" if rec.short else ""
            self.rep.error(
                _pos(node), "wrong-type", f"{where} must be a mapping of {rec.name} fields{hint}, not {_describe(node)}"
            )
        return None

    # -- values ----------------------------------------------------------
    def value(
        self,
        node: Node,
        shape: spec.Scalar | spec.ListOf | spec.Record,
        where: Where,
        key: str,
        loc: m.Loc,
        owner: Where = "",
    ) -> object:
        if isinstance(shape, spec.Record):
            if self._is_null(node):
                return MISSING
            loc[key] = _pos(node)
            item = self.record(node, shape, f"'{key}'")
            return MISSING if item is None else item
        if isinstance(shape, spec.ListOf):
            return self.sequence(node, shape, where, key, loc, owner)
        self._tick(node)
        return self._scalar_value(node, shape, where, key, loc)

    def _scalar_value(self, node: Node, shape: spec.Scalar, where: Where, key: str, loc: m.Loc) -> object:
        """:meth:`value` for a single value, already counted."""
        if self._is_null(node):
            return MISSING
        value = self.scalar(node, shape, where)
        if value is not MISSING:
            loc[key] = _pos(node)
        return value

    def sequence(self, node: Node, shape: spec.ListOf, where: Where, key: str, loc: m.Loc, owner: Where = "") -> object:
        item = shape.item
        how = _RECORDS if isinstance(item, spec.Record) else _TEXTS if item.kind in _TEXT_KINDS else _SCALARS
        return self._list(node, shape, how, where, key, loc, owner)

    def _list(
        self, node: Node, shape: spec.ListOf, how: int, where: Where, key: str, loc: m.Loc, owner: Where = ""
    ) -> object:
        self.budget -= 1
        if self.budget < 0:
            self._too_many(node)
        if node.__class__ is not SequenceNode:
            if self._is_null(node):
                return MISSING
            if not isinstance(node, SequenceNode):
                example = f"[{node.value}]" if isinstance(node, ScalarNode) else "a list"
                self.rep.error(
                    _pos(node),
                    "wrong-type",
                    f"{where} must be a list, not {_describe(node)}"
                    + (f"; write {example}" if isinstance(node, ScalarNode) else ""),
                )
                return MISSING
        tag = node.tag
        if tag.__class__ is str and tag != TAG_SEQ and not self._check_tag(node):
            return MISSING
        item_shape = shape.item
        out: list[object] = []
        if isinstance(item_shape, spec.Record):  # how == _RECORDS
            parent = None if owner == "the workshop file" else owner
            record = self.record
            append = out.append
            for i, child in enumerate(node.value):
                item = record(child, item_shape, _ItemLabel(child, item_shape, i, parent))
                if item is not None:
                    append(item)
            loc[key] = _pos(node)
            return out
        positions: list[Position] = []
        first_odd = self._first_odd
        for i, child in enumerate(node.value):
            self.budget -= 1
            if self.budget < 0:
                self._too_many(child)
            if child.__class__ is ScalarNode:
                ctag: _Tag = child.tag
                if how == _TEXTS:
                    if ctag is False or (ctag is True and child.value[:1] not in first_odd):
                        out.append(child.value)
                        mark = child.start_mark
                        positions.append((mark.line + 1, mark.column + 1))
                        continue
                else:
                    value = self._quick(child, item_shape)
                    if value is not MISSING:
                        out.append(value)
                        mark = child.start_mark
                        positions.append((mark.line + 1, mark.column + 1))
                        continue
            if self._is_null(child):
                self.rep.error(_pos(child), "wrong-type", f"item #{i + 1} of {where} is empty")
                continue
            value = self.scalar(child, item_shape, f"item #{i + 1} of {where}")
            if value is not MISSING:
                out.append(value)
                positions.append(_pos(child))
        loc[key] = positions
        return out

    def _quick(self, node: ScalarNode, shape: spec.Scalar) -> object:
        """The value of scalar ``node`` when :meth:`scalar` would return it without a message, else MISSING.

        MISSING (null, wrong, out of range, bool, date...) sends the caller to the full path, which
        reports exactly what the straightforward reading reports.
        """
        kind = shape.kind
        tag = self._tag(node)
        if tag == TAG_NULL:
            return MISSING
        if kind == "enum":
            text = node.value
            return text if tag == TAG_STR and text in shape.choices else MISSING
        if kind in _TEXT_KINDS:
            return node.value if tag in _TEXT_TAGS else MISSING
        if tag == TAG_INT and kind in ("int", "number"):
            number = self._number(self._ints, _constructor.construct_yaml_int, node)
        elif tag == TAG_FLOAT and kind == "number":
            number = self._number(self._floats, _constructor.construct_yaml_float, node)
            if number != number or number == _INF or number == -_INF:
                return MISSING
        else:  # the wrong tag; bool, date: few of them, the full reader
            return MISSING
        if number is MISSING:
            return MISSING
        lo, hi = shape.minimum, shape.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return MISSING
        return number

    @staticmethod
    def _number(cache: dict[str, Any], construct: Callable[[ScalarNode], Any], node: ScalarNode) -> Any:
        """The number ``node`` holds (MISSING when its text is not one), read once per distinct text."""
        number = cache.get(node.value)
        if number is None:
            number = _safely(construct, node)
            if number is not MISSING:
                cache[node.value] = number
        return number

    def scalar(self, node: Node, shape: spec.Scalar, where: Where) -> object:
        if not isinstance(node, ScalarNode):
            if not self._check_tag(node):
                return MISSING
            self.rep.error(
                _pos(node), "wrong-type", f"{where} must be {_KIND_WORDS[shape.kind]}, not {_describe(node)}"
            )
            return MISSING
        if not self._check_tag(node):
            return MISSING
        kind = shape.kind
        tag = self._tag(node)
        text = node.value
        if kind in _TEXT_KINDS:
            return text
        if kind == "enum":
            if text in shape.choices and tag == TAG_STR:
                return text
            self.rep.error(
                _pos(node),
                "invalid-value",
                f"{where} is '{text}', which is not allowed{suggestion_suffix(text, shape.choices)}"
                f" (allowed: {', '.join(shape.choices)})",
            )
            return MISSING
        number: float | Missing
        if kind == "int":
            if tag != TAG_INT:
                self.rep.error(
                    _pos(node), "wrong-type", f"{where} must be a whole number{_range(shape)}, not {_describe(node)}"
                )
                return MISSING
            number = _safely(_constructor.construct_yaml_int, node)
            if number is MISSING:
                return self._not_valid(node, where, f"a whole number{_range(shape)}")
            return self._in_range(node, number, shape, where)
        if kind == "number":
            if tag == TAG_INT:
                number = _safely(_constructor.construct_yaml_int, node)
            elif tag == TAG_FLOAT:
                number = _safely(_constructor.construct_yaml_float, node)
                if number is MISSING:
                    return self._not_valid(node, where, f"a number{_range(shape)}")
                if number != number or number in (_INF, -_INF):
                    self.rep.error(_pos(node), "invalid-value", f"{where} must be a finite number{_range(shape)}")
                    return MISSING
            else:
                self.rep.error(
                    _pos(node), "wrong-type", f"{where} must be a number{_range(shape)}, not {_describe(node)}"
                )
                return MISSING
            if number is MISSING:
                return self._not_valid(node, where, f"a number{_range(shape)}")
            return self._in_range(node, number, shape, where)
        if kind == "bool":
            if tag != TAG_BOOL:
                self.rep.error(_pos(node), "wrong-type", f"{where} must be true or false, not {_describe(node)}")
                return MISSING
            value = _safely(_constructor.construct_yaml_bool, node)
            return self._not_valid(node, where, "true or false") if value is MISSING else value
        if kind == "date":
            if tag == TAG_TS or tag == TAG_STR:
                day: _dt.date | None
                try:
                    day = _constructor.construct_yaml_timestamp(node) if tag == TAG_TS else _dt.date.fromisoformat(text)
                except (ValueError, TypeError, AttributeError, KeyError):
                    day = None
                if isinstance(day, _dt.date) and not isinstance(day, _dt.datetime):
                    return day
            self.rep.error(_pos(node), "wrong-type", f"{where} must be a date like 2026-11-02, not {_describe(node)}")
            return MISSING
        raise AssertionError(f"unknown scalar kind {kind}")  # pragma: no cover - spec bug

    def _not_valid(self, node: ScalarNode, where: Where, what: str) -> Missing:
        self.rep.error(_pos(node), "invalid-value", f"{where} is '{node.value}', which is not {what}")
        return MISSING

    def _in_range(self, node: ScalarNode, number: float, shape: spec.Scalar, where: Where) -> float | Missing:
        lo, hi = shape.minimum, shape.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.rep.error(_pos(node), "out-of-range", f"{where} is {number}, outside the allowed range{_range(shape)}")
            return MISSING
        return number


_V = TypeVar("_V")


def _safely(construct: Callable[[ScalarNode], _V], node: ScalarNode) -> _V | Missing:
    """PyYAML's constructor for a scalar, or MISSING when the text is not what its tag says (``!!int x``)."""
    try:
        return construct(node)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):  # IndexError: '!!int' alone
        return MISSING


def _item_label(node: Node, rec: spec.Record, index: int, parent: Where | None) -> str:
    """'stakeholder 'maria'', 'holding #2 of system 'crm'': how messages name an item."""
    ident = None
    if isinstance(node, MappingNode) and "id" in rec.by_key:
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode) and v.value:
                ident = v.value
                break
    return item_label(rec.word, ident, index=index, parent=str(parent) if parent else None)


def _placeholder(fld: spec.Field) -> object:
    """A stand-in for a missing required value, so that checking can go on."""
    shape = fld.shape
    if isinstance(shape, spec.Record):
        return shape.cls()
    if isinstance(shape, spec.Scalar) and shape.kind == "int":
        return int(shape.maximum or 0)
    return ""


def _range(shape: spec.Scalar) -> str:
    if shape.minimum is None and shape.maximum is None:
        return ""
    lo = _fmt_num(shape.minimum)
    hi = _fmt_num(shape.maximum)
    return f" {lo}..{hi}"


def _fmt_num(n: float | None) -> str:
    if n is None:
        return ""
    return str(int(n)) if float(n).is_integer() else str(n)


# -- comments --------------------------------------------------------------
_COMMENT_CANDIDATE = re.compile(r"(?:^|[ \t])#", re.MULTILINE)


def split_header(text: str) -> tuple[str, int]:
    """The leading comment block (kept by the saver) and where the rest starts.

    The header is the run of ``#`` lines (blank lines allowed between them) at
    the top of the file, without trailing blank lines.
    """
    pos = 0
    end_of_header = 0
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos)
        line_end = length if nl < 0 else nl
        stripped = text[pos:line_end].strip()
        if stripped.startswith("#"):
            end_of_header = line_end
        elif stripped:
            break
        pos = line_end + 1
    header = text[:end_of_header]
    header = "\n".join(line.rstrip() for line in header.splitlines() if line.strip()) if header.strip() else ""
    return header, end_of_header


def _comment_candidates(text: str, start: int) -> list[int]:
    """Where ``_COMMENT_CANDIDATE`` matches from ``start`` on (the index of the ``#``), found with str.find."""
    out: list[int] = []
    find = text.find
    at = find("#", start)
    while at >= 0:
        # '^' matches at the start of the text and after '\n'; '[ \t]' must lie at or after ``start``
        if at == 0 or (text[at - 1] in " \t\n" if at > start else text[at - 1] == "\n"):
            out.append(at)
        at = find("#", at + 1)
    return out


def comment_lines(text: str, root: Node | None, start: int) -> tuple[int, ...]:
    """Lines after the header that carry a YAML comment (which a save would drop).

    A ``#`` after a blank or at the start of a line is a comment unless it lies
    inside a quoted or block scalar.  Scalars do not overlap and every node lies
    within the nodes it is part of, so only the nodes that hold such a ``#``
    are visited, not the whole tree.
    """
    candidates = _comment_candidates(text, start)
    if not candidates or root is None:
        return ()
    spans: list[tuple[int, int]] = []  # quoted and block scalars that hold a candidate
    stack = [root]
    seen: set[int] = set()
    n = len(candidates)
    while stack:
        node = stack.pop()
        begin, end = node.start_mark.index, node.end_mark.index
        i = bisect.bisect_left(candidates, begin)
        if i == n or candidates[i] >= end or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style:  # quoted or block scalars can contain '#'
                spans.append((begin, end))
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        else:
            stack.extend(node.value)
    spans.sort()
    starts = [s for s, _ in spans]
    line_starts = _line_starts(text, _EDITOR_BREAK) if "\r" in text else None  # a lone \r ends a line too
    lines: list[int] = []
    for idx in candidates:
        i = bisect.bisect_right(starts, idx) - 1
        if i >= 0 and spans[i][0] <= idx < spans[i][1]:
            continue
        lines.append(text.count("\n", 0, idx) + 1 if line_starts is None else _position(line_starts, idx)[0])
    return tuple(sorted(set(lines)))


# -- positions -------------------------------------------------------------
#: Line breaks as editors count them, and as libyaml counts them (YAML 1.1 adds NEL, LS and PS).
_EDITOR_BREAK = re.compile(r"\r\n?|\n")
_YAML_BREAK = re.compile("\r\n?|[\n\x85\u2028\u2029]")
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {
    "\x85": "U+0085 (NEXT LINE)",
    "\u2028": "U+2028 (LINE SEPARATOR)",
    "\u2029": "U+2029 (PARAGRAPH SEPARATOR)",
}
_BREAK_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def _yaml_only_breaks(text: str) -> bool:
    """Does ``text`` hold a character libyaml ends a line at and editors do not?"""
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def _line_starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(found.end() for found in breaks.finditer(text))]


def _position(starts: list[int], index: int) -> Position:
    line = bisect.bisect_right(starts, index) - 1
    return (line + 1, index - starts[line] + 1)


class _Positions:
    """libyaml's positions turned into the ones an editor shows, for a text where they differ.

    libyaml ends a line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR too, so after
    one of them its line numbers run ahead of the editor's (past the end of the file
    when there are many).  Only texts holding one of them need this (:func:`_yaml_only_breaks`).
    """

    def __init__(self, text: str) -> None:
        self.yaml = _line_starts(text, _YAML_BREAK)
        self.editor = _line_starts(text, _EDITOR_BREAK)

    def of_index(self, index: int) -> Position:
        """The position libyaml gives the character at ``index`` (what the walker reports)."""
        return _position(self.yaml, index)

    def fix(self, pos: Position) -> Position:
        line, col = pos
        if not 1 <= line <= len(self.yaml):
            return pos
        return _position(self.editor, self.yaml[line - 1] + col - 1)

    def fix_diagnostics(self, items: list[Diagnostic]) -> list[Diagnostic]:
        out = []
        for d in items:
            if d.line:
                line, col = self.fix((d.line, d.column))
                d = dataclasses.replace(d, line=line, column=col)
            out.append(d)
        return out

    def fix_locs(self, ws: m.Workshop) -> None:
        """Every ``loc`` of the model (items, their records, list elements), in place."""
        stack: list[object] = [ws]
        done: set[int] = set()
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
                continue
            if not dataclasses.is_dataclass(obj) or isinstance(obj, type) or id(obj) in done:
                continue
            done.add(id(obj))
            for fld in dataclasses.fields(obj):
                value = getattr(obj, fld.name)
                if fld.name == "loc" and isinstance(value, dict):
                    for key, where in value.items():
                        value[key] = [self.fix(p) for p in where] if isinstance(where, list) else self.fix(where)
                else:
                    stack.append(value)


# -- aliases -----------------------------------------------------------------
#: An alias (``*name``) as it can start: after a blank, a flow indicator or ``:`` (``{"a":*b}``).
#: Some text that is no alias matches too (``"**bold**"``); then the file is measured, and passes.
_ALIAS_TOKEN = re.compile(r"(?<![^\s\[{,:])\*[^\s\[\]{},]")
_ANCHOR_NAME = re.compile(r"\*[^\s\[\]{},]{1,60}")
_ALIAS_OR_COMMENT = re.compile(r"\*|#[^\r\n]*")
#: What a save may write beside the values counted by :class:`_Expansion`: the item sections a
#: file left out (``stakeholders: []``...) and the final line break.
_SAVE_SLACK = 4096


def _deepest(shape: spec.Scalar | spec.ListOf | spec.Record, depth: int = 0) -> int:
    """How many mappings and lists deep the format's deepest value lies."""
    if isinstance(shape, spec.Record):
        return max([depth, *(_deepest(fld.shape, depth + 1) for fld in shape.fields)])
    if isinstance(shape, spec.ListOf):
        return _deepest(shape.item, depth + 1)
    return depth


#: Nodes deeper than this are never read into a workshop (the depth of the format's deepest value).
_READ_DEPTH = _deepest(spec.WORKSHOP)
#: First characters of the plain scalars that may not be text (numbers, dates, true/false, null).
_FIRST_NOT_STR = _first_chars(lambda tag: tag != TAG_STR)
#: Characters a save writes as an escape sequence (``\\x07``, ``\\uFFFE``: at most six for one).
_ESCAPED = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


class _TooLarge(Exception):
    def __init__(self, index: int) -> None:
        self.index = index


class _Expansion:
    """What a save would write for the file, every alias written out in full, counted generously.

    needsmap saves without aliases: each use of an alias becomes a copy of what its
    anchor holds, and the copy is laid out as the saver lays out everything (two
    spaces of indentation a level, lists of records in block style, escapes in
    double quotes).  A file whose aliases would make the saved file bigger than
    :data:`needsmap.format.spec.MAX_FILE_BYTES` could be loaded and saved, but not
    opened again; such a file is refused when it is read, at the alias that takes
    it over the limit.

    The count is an upper bound of what :mod:`needsmap.format.saver` writes, worked
    out without it (the saver imports the loader): for each value its UTF-8 bytes,
    two quotes or a block's header, up to six bytes for each character a save may
    escape, and for a text of several lines the indentation of every line; for
    each entry of a mapping or a list its key, two spaces of indentation a level
    and its punctuation (docs/format.md, "Safety limits", states the rule; the
    tests find the largest file of each costly shape that loads and save it).
    Each node is measured once for each depth it is used at, so an "alias bomb"
    costs no more to measure than the file is long.  Nodes deeper than any value
    of the format are not counted: the loader never reads them.  Files without an
    alias are not measured (see :func:`_read_tree`): they are bounded by their size.
    """

    def __init__(self, text: str, limit: int) -> None:
        self.text = text
        self.limit = limit
        self.sizes: dict[tuple[int, int], int] = {}
        self.total = 0
        self.last_alias = -1

    def check(self, root: Node) -> None:
        """Raise :class:`_TooLarge` at the alias that takes the written file over the limit."""
        self.total = len(self.text[: root.start_mark.index].encode("utf-8", "surrogatepass"))  # the header
        self._walk(root, 0, root.start_mark.index)
        if self.total > self.limit and self.last_alias >= 0:
            raise _TooLarge(self.last_alias)

    def _walk(self, node: Node, depth: int, after: int) -> int:
        """Count ``node`` in file order and return where its text ends; ``after``: where the text before it ends.

        A node that starts before ``after`` is an alias (the composer shares a node only
        through one, and the anchor comes first): its text is the alias, ``*name``, the
        first one after ``after``.
        """
        if node.start_mark.index < after:
            self.total += self.size(node, depth)
            at = self.last_alias = _alias_index(self.text, after)
            if self.total > self.limit:
                raise _TooLarge(at)
            found = _ANCHOR_NAME.match(self.text, at)
            return found.end() if found else at + 1
        if depth > _READ_DEPTH:
            return node.end_mark.index
        if isinstance(node, ScalarNode):
            self.total += self._scalar(node, depth)
            return node.end_mark.index
        self.total += 4  # '[]', '{}'
        at = node.start_mark.index
        if isinstance(node, MappingNode):
            for knode, vnode in node.value:
                self.total += 2 * depth + 3  # indentation, ': ', line break
                at = self._walk(knode, depth, at)
                at = self._walk(vnode, depth + 1, at)
        else:
            for child in node.value:
                self.total += 2 * depth + 3  # indentation, '- ', line break (or ', ' in a flow list)
                at = self._walk(child, depth + 1, at)
        return node.end_mark.index

    def size(self, node: Node, depth: int) -> int:
        """The count of ``node`` and all it holds, used at ``depth``."""
        if depth > _READ_DEPTH:
            return 0
        key = (id(node), depth)
        found = self.sizes.get(key)
        if found is not None:
            return found
        if isinstance(node, ScalarNode):
            total = self._scalar(node, depth)
        elif isinstance(node, MappingNode):
            total = 4 + sum(2 * depth + 3 + self.size(k, depth) + self.size(v, depth + 1) for k, v in node.value)
        else:
            total = 4 + sum(2 * depth + 3 + self.size(child, depth + 1) for child in node.value)
        self.sizes[key] = total
        return total

    @staticmethod
    def _scalar(node: Node, depth: int) -> int:
        value: str = node.value
        size = len(value.encode("utf-8", "surrogatepass"))
        # two quotes or a block's '|-' and line break; escapes (six bytes at most, '\\"' two); in a block,
        # each line indented (by two spaces more than its key, at most 2 * depth + 2); in quotes, '\\n'
        bound = 3 + size + 5 * len(_ESCAPED.findall(value)) + value.count('"') + value.count("\\")
        breaks = value.count("\n")
        if breaks:
            bound += (2 * depth + 4) * (breaks + 1)
        tag: _Tag = node.tag
        if tag is not False and (tag is not True or value[:1] in _FIRST_NOT_STR) and _tag_of(node) != TAG_STR:
            bound += size + 24  # numbers, dates, true/false are written their own way: 0x10 as 16, 1.5e+3 as 1500.0
        return bound


def _alias_index(text: str, after: int) -> int:
    """Where the alias that follows ``after`` starts: past blanks, indicators and comments."""
    at = after
    while (found := _ALIAS_OR_COMMENT.search(text, at)) is not None:
        if found.group() == "*":
            return found.start()
        at = found.end()  # the comment, to the end of its line
    return after


# -- entry points ----------------------------------------------------------
def parse_text(text: str, filename: str = "<string>") -> tuple[m.Workshop | None, list[Diagnostic], tuple[int, ...]]:
    """Parse workshop text: the model (or None), structural diagnostics, comment lines a save would drop."""
    with gc_paused():
        return _parse_text(text, filename)


def _parse_text(text: str, filename: str) -> tuple[m.Workshop | None, list[Diagnostic], tuple[int, ...]]:
    rep = Reporter(filename)
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        where, message = _explain_syntax_error(exc, text)
        rep.error(where, "yaml-syntax", message)
        return None, rep.items, ()
    except yaml.YAMLError as exc:  # ReaderError and friends carry their position differently
        position = getattr(exc, "position", None)
        if position is not None and getattr(exc, "encoding", None) != "unicode":  # libyaml: a byte of UTF-8
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        where = _index_to_pos(text, position) if position is not None else None
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        rep.error(where, "yaml-syntax", f"YAML syntax error: {reason}")
        return None, rep.items, ()
    except RecursionError:
        rep.error(None, "yaml-syntax", "the file is nested too deeply to be a workshop file")
        return None, rep.items, ()
    if not _yaml_only_breaks(text):
        ws, dropped = _read_tree(text, root, rep, None)
        return ws, rep.items, dropped
    positions = _Positions(text)  # the walk reports libyaml's positions: make them the editor's
    ws, dropped = _read_tree(text, root, rep, positions)
    if ws is not None:
        positions.fix_locs(ws)
    return ws, positions.fix_diagnostics(rep.items), dropped


def _read_tree(
    text: str, root: Node | None, rep: Reporter, positions: _Positions | None
) -> tuple[m.Workshop | None, tuple[int, ...]]:
    """The workshop a composed file holds, and the comment lines a save would drop."""
    if root is None:
        rep.error((1, 1), "empty-file", "the file is empty; a workshop file starts with 'needsmap: 1'")
        return None, ()
    if not isinstance(root, MappingNode):
        rep.error(
            _pos(root),
            "wrong-type",
            f"a workshop file must be a mapping starting with 'needsmap: 1', not {_describe(root)}",
        )
        return None, ()
    header, header_end = split_header(text)
    version = _declared_version(root)
    if version is not None:
        pos, number = version
        if number > m.FORMAT_VERSION:
            rep.error(
                pos,
                "format-version",
                f"this file is format version {number}; this needsmap ({_own_version()}) reads version "
                f"{m.FORMAT_VERSION}: upgrade needsmap",
            )
            return None, ()
    if "*" in text and _ALIAS_TOKEN.search(text):
        try:
            _Expansion(text, spec.MAX_FILE_BYTES - _SAVE_SLACK).check(root)
        except _TooLarge as too_large:
            _expands_too_much(text, too_large.index, rep, positions)
            return None, ()
    walker = ValueReader(rep)
    try:
        item = walker.record(root, spec.WORKSHOP, "the workshop file")
    except _Abort:
        return None, ()
    ws = item if isinstance(item, m.Workshop) else None  # spec.WORKSHOP builds a Workshop, or None
    if ws is not None:
        ws.header = header
    return ws, comment_lines(text, root, header_end)


def _expands_too_much(text: str, index: int, rep: Reporter, positions: _Positions | None) -> None:
    found = _ANCHOR_NAME.match(text, index)
    alias = f"the alias '{found.group()}'" if found else "this alias"
    limit = spec.MAX_FILE_BYTES // 1048576
    rep.error(
        positions.of_index(index) if positions else _index_to_pos(text, index),
        "expands-too-much",
        f"{alias} takes the file over {limit} MiB once every alias is written out in full, as needsmap saves "
        f"it (a file over the {limit} MiB limit could not be opened again); refusing to load it",
    )


def _explain_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Position | None, str]:
    """libyaml's message, located as an editor shows it, with a hint a person can act on."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    where = _index_to_pos(text, mark.index) if mark else None
    opened = exc.context_mark
    hint = ""
    escape = _bad_escape(problem, mark, text) if "quoted scalar" in context else None
    if (
        "cannot start any token" in problem
        and mark is not None
        and 0 <= mark.index < len(text)
        and text[mark.index] == "\t"
    ):
        hint = "tabs cannot indent YAML; indent with spaces"
    elif escape is not None:
        where, hint = escape
    elif "quoted scalar" in context and opened is not None:
        where = _index_to_pos(text, opened.index)
        hint = "this quoted text is never closed; add the closing quote"
    elif "expected key" in problem or "expected <block end>" in problem:
        hint = "check the indentation of this line: keys of one item must line up exactly"
    elif "mapping values are not allowed" in problem:
        hint = "a value contains ': '; put the whole value in double quotes"
    elif "single document" in context or "another document" in problem:
        hint = "the file holds more than one YAML document ('---'); a workshop file is one document"
    elif "found undefined alias" in problem:
        hint = "an alias (*name) refers to an anchor (&name) that is not defined before it"
    elif mark is not None and _yaml_only_breaks(text[: mark.index]):
        found = _YAML_ONLY_BREAK.search(text[: mark.index])
        if found is not None:
            char = found.group()
            hint = (
                f"YAML reads the {_BREAK_NAMES[char]} on line {_index_to_pos(text, found.start())[0]} as a "
                f"line break; in double quotes write it as {_BREAK_ESCAPES[char]}"
            )
    detail = f"{problem} ({context})" if context else problem
    message = f"YAML syntax error: {hint} [{detail}]" if hint else f"YAML syntax error: {detail}"
    return where, message


#: Digits each escape of a code point takes in a double-quoted YAML string.
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_HEX_DIGITS = re.compile("[0-9A-Fa-f]*")


def _bad_escape(problem: str, mark: yaml.Mark | None, text: str) -> tuple[Position, str] | None:
    """Where a bad escape in double-quoted text starts (its backslash) and what is wrong with it.

    libyaml reports these in the words of a quoted text that is never closed;
    they are not: the text is closed, one escape in it is wrong.
    """
    if mark is None or not 0 <= mark.index <= len(text):
        return None
    if "escape" not in problem and "hexdecimal" not in problem and "hexadecimal" not in problem:
        return None
    at = mark.index if text.startswith("\\", mark.index) else text.rfind("\\", 0, mark.index)
    if at < 0:
        return None
    letter = text[at + 1 : at + 2]
    digits = _ESCAPE_DIGITS.get(letter)
    if digits is None:
        shown = text[at : at + 2]
        return _index_to_pos(text, at), (
            f"'{shown}' is not an escape YAML knows; write \\\\ for a backslash, or put the text in single quotes"
        )
    shown = text[at : at + 2 + digits]
    if len(shown) != 2 + digits or not _HEX_DIGITS.fullmatch(shown, 2):
        return _index_to_pos(text, at), f"'\\{letter}' must be followed by {digits} hexadecimal digits"
    code = int(shown[2:], 16)
    if 0xD800 <= code <= 0xDFFF:
        return _index_to_pos(text, at), (
            f"'{shown}' is a lone surrogate escape, not a character (half of a UTF-16 pair); "
            "write the character itself, or escape it whole with \\U and 8 digits "
            "(\\U0001F600, not \\ud83d\\ude00)"
        )
    return _index_to_pos(text, at), f"'{shown}' is not a character: Unicode ends at \\U0010FFFF"


def _declared_version(root: MappingNode) -> tuple[Position, int] | None:
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == "needsmap" and isinstance(v, ScalarNode) and _tag_of(v) == TAG_INT:
            number = _safely(_constructor.construct_yaml_int, v)
            return None if number is MISSING else (_pos(v), number)
    return None


def _own_version() -> str:
    return __version__


def _index_to_pos(text: str, index: int) -> Position:
    """The position of the character at ``index`` as an editor shows it (lines end at \\n, \\r\\n, \\r)."""
    if "\r" not in text:
        line = text.count("\n", 0, index) + 1
        return (line, index - (text.rfind("\n", 0, index) + 1) + 1)
    return _position(_line_starts(text[:index], _EDITOR_BREAK), index)


def decode(data: bytes, filename: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 (a BOM is allowed), with a located error otherwise."""
    rep = Reporter(filename)
    if b"\x00" in data[:8192]:
        rep.error((1, 1), "not-text", "this is not a text file (it contains NUL bytes); expected a YAML workshop file")
        return None, rep.items
    try:
        return data.decode("utf-8-sig"), rep.items
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8-sig", errors="replace")
        rep.error(
            _index_to_pos(good, len(good)),
            "encoding",
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
        return None, rep.items


class FileTooLarge(Exception):
    pass


class NotAFile(OSError):
    """A path that is not a regular file: a named pipe, a device, a socket (a folder raises IsADirectoryError).

    An OSError, so that whoever handles files that cannot be read handles these too;
    ``str()`` is the message, ready to show.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(path: object, mode: int) -> NotAFile:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return NotAFile(f"{path}: error: this is {kind}, not a workshop file")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a workshop file, refusing files over the size limit and anything but a regular file.

    The file is opened without waiting (``O_NONBLOCK``: a named pipe with no writer
    would block an ordinary open for ever) and checked to be a regular file before a
    byte is read; at most the size limit and one byte more are read, whatever the file
    claims.  Raises :class:`FileTooLarge`, :class:`NotAFile` (a pipe, a device, a
    socket), IsADirectoryError (a folder) and OSError (missing, not allowed...).
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket (or a device with nothing behind it) cannot be opened
            try:
                mode = os.stat(p).st_mode
            except OSError:
                raise exc from None
            if not stat.S_ISREG(mode):
                raise _not_a_file(p, mode) from exc
        raise
    with open(fd, "rb", closefd=True) as fh:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(p))
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(p, info.st_mode)
        if info.st_size > spec.MAX_FILE_BYTES:
            raise FileTooLarge(
                f"{p}: error: the file is {info.st_size / 1048576:.1f} MiB; workshop files are limited to "
                f"{spec.MAX_FILE_BYTES // 1048576} MiB"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        data = fh.read(spec.MAX_FILE_BYTES + 1)
    if len(data) > spec.MAX_FILE_BYTES:
        raise FileTooLarge(f"{p}: error: the file grew beyond the {spec.MAX_FILE_BYTES // 1048576} MiB limit")
    return data


def load_bytes(data: bytes, filename: str) -> LoadResult:
    text, diags = decode(data, filename)
    if text is None:
        return LoadResult(None, diags, None)
    ws, diags, dropped = parse_text(text, filename)
    return LoadResult(ws, diags, FileOrigin(filename, digest_bytes(data), dropped))


def load_file(path: str | os.PathLike[str]) -> LoadResult:
    """Load one file (structure only; see :func:`needsmap.format.opening.open_workshop`).

    Raises OSError / :class:`FileTooLarge` when the file cannot be read at all.
    """
    data = read_bytes(path)
    return load_bytes(data, str(path))
