"""The fast loader reads every file exactly as the straightforward one did.

:mod:`needsmap.format.loader` pauses the garbage collector, leaves PyYAML's implicit
tag resolution to the walker and takes fast paths for values that need no
message.  None of that may change what a file means: this module keeps the
straightforward loader it replaced (``ref_parse_text``: PyYAML's resolver on
every scalar, a labelled walk of every node) and checks that both give the same
model (dataclass equality *and* the same ``loc`` of every item), the same
diagnostics in the same order and the same comment lines, on hand-picked
cases, on every file of the test data, on synthetic workshops, on mutated files
and on random documents with odd scalars in every field kind.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as _dt
import gc
import random
import re
import sys

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from needsmap.format import loader, spec
from needsmap.format import model as m
from needsmap.format.diagnostics import Diagnostic, Position, Reporter, suggestion_suffix
from needsmap.format.loader import (
    _KIND_WORDS,
    _PLAIN_SCALAR_TAGS,
    _T,
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_MAP,
    TAG_MERGE,
    TAG_NULL,
    TAG_SEQ,
    TAG_STR,
    TAG_TS,
    _Abort,
    _constructor,
    _explain_syntax_error,
    _index_to_pos,
    _own_version,
    _placeholder,
    _range,
    split_header,
)
from needsmap.format.saver import dump
from tests.conftest import DATA, DEMO

# ---------------------------------------------------------------------------------------------
# The reference: the loader as it was before it was made fast (verbatim but for the names and
# the parser class, which is _REF_LOADER).
# ---------------------------------------------------------------------------------------------
MISSING = object()
_REF_LOADER = yaml.CSafeLoader
_COMMENT_CANDIDATE = re.compile(r"(?:^|[ \t])#", re.MULTILINE)


def _pos(node) -> Position:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def _describe(node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == TAG_NULL:
        return "nothing (null)"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"'{value}'"


class _RefWalker:
    """One pass over the node tree, building the model."""

    def __init__(self, rep: Reporter) -> None:
        self.rep = rep
        self.budget = spec.MAX_NODES

    def _tick(self, node) -> None:
        self.budget -= 1
        if self.budget < 0:
            self.rep.error(
                _pos(node),
                "too-many-nodes",
                f"the file expands to more than {spec.MAX_NODES:,} YAML nodes "
                "(aliases count every time they are used); refusing to load it",
            )
            raise _Abort

    def _check_tag(self, node) -> bool:
        tag = node.tag
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
    def record(self, node, rec: spec.Record, where: str):
        self._tick(node)
        if isinstance(node, ScalarNode) and rec.short and node.tag != TAG_NULL:
            if not self._check_tag(node):
                return None
            return rec.cls(**{rec.short: node.value}, loc={"": _pos(node), rec.short: _pos(node)})
        if not isinstance(node, MappingNode):
            if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
                self.rep.error(_pos(node), "wrong-type", f"{where} is empty; expected a mapping of {rec.name} fields")
            else:
                hint = f" or a bare {rec.short} id" if rec.short else ""
                self.rep.error(
                    _pos(node),
                    "wrong-type",
                    f"{where} must be a mapping of {rec.name} fields{hint}, not {_describe(node)}",
                )
            return None
        if not self._check_tag(node):
            return None
        loc: m.Loc = {"": _pos(node)}
        kwargs: dict[str, object] = {}
        seen: dict[str, Position] = {}
        by_key = rec.by_key
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                self.rep.error(_pos(knode), "wrong-type", f"keys in {where} must be plain names")
                continue
            key = knode.value
            if knode.tag == TAG_MERGE:
                self.rep.error(
                    _pos(knode),
                    "tag-not-allowed",
                    "YAML merge keys ('<<') are not supported in workshop files; write the fields out",
                )
                continue
            if key in seen:
                line, col = seen[key]
                self.rep.error(
                    _pos(knode),
                    "duplicate-key",
                    f"key '{key}' appears twice in {where} (first at line {line}, column {col}); keep one",
                )
                continue
            seen[key] = _pos(knode)
            fld = by_key.get(key)
            if fld is None:
                self.rep.error(
                    _pos(knode),
                    "unknown-key",
                    f"unknown key '{key}' in {where}{suggestion_suffix(key, by_key)} (allowed: {', '.join(by_key)})",
                )
                continue
            value = self.value(vnode, fld.shape, f"'{key}' of {where}", key, loc, where)
            if value is not MISSING:
                kwargs[fld.attr] = value
            elif fld.required and isinstance(vnode, ScalarNode) and vnode.tag == TAG_NULL:
                self.rep.error(_pos(knode), "missing-field", f"'{key}' of {where} is empty (required)")
        missing = [f for f in rec.fields if f.required and f.attr not in kwargs]
        for fld in missing:
            if fld.key not in seen:  # present but invalid: already reported
                self.rep.error(_pos(node), "missing-field", f"{where} has no '{fld.key}' (required)")
        if missing:
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

    # -- values ----------------------------------------------------------
    def value(self, node, shape, where: str, key: str, loc: m.Loc, owner: str = ""):
        if isinstance(shape, spec.Record):
            if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
                return MISSING
            loc[key] = _pos(node)
            item = self.record(node, shape, f"'{key}'")
            return MISSING if item is None else item
        if isinstance(shape, spec.ListOf):
            return self.sequence(node, shape, where, key, loc, owner)
        self._tick(node)
        if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
            return MISSING
        value = self.scalar(node, shape, where)
        if value is not MISSING:
            loc[key] = _pos(node)
        return value

    def sequence(self, node, shape: spec.ListOf, where: str, key: str, loc: m.Loc, owner: str = ""):
        self._tick(node)
        if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
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
        if not self._check_tag(node):
            return MISSING
        item_shape = shape.item
        out: list = []
        positions: list[Position] = []
        if isinstance(item_shape, spec.Record):
            parent = None if owner == "the workshop file" else owner
            for i, child in enumerate(node.value):
                item = self.record(child, item_shape, _item_label(child, item_shape, i, parent))
                if item is not None:
                    out.append(item)
        else:
            for i, child in enumerate(node.value):
                self._tick(child)
                if isinstance(child, ScalarNode) and child.tag == TAG_NULL:
                    self.rep.error(_pos(child), "wrong-type", f"item #{i + 1} of {where} is empty")
                    continue
                value = self.scalar(child, item_shape, f"item #{i + 1} of {where}")
                if value is not MISSING:
                    out.append(value)
                    positions.append(_pos(child))
            loc[key] = positions
        if isinstance(item_shape, spec.Record):
            loc[key] = _pos(node)
        return out

    def scalar(self, node, shape: spec.Scalar, where: str):
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
        tag = node.tag
        text = node.value
        if kind in ("str", "id", "ref"):
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
        if kind == "int":
            if tag != TAG_INT:
                self.rep.error(
                    _pos(node), "wrong-type", f"{where} must be a whole number{_range(shape)}, not {_describe(node)}"
                )
                return MISSING
            number = _constructor.construct_yaml_int(node)
            return self._in_range(node, number, shape, where)
        if kind == "number":
            if tag == TAG_INT:
                number = _constructor.construct_yaml_int(node)
            elif tag == TAG_FLOAT:
                number = _constructor.construct_yaml_float(node)
                if number != number or number in (float("inf"), float("-inf")):
                    self.rep.error(_pos(node), "invalid-value", f"{where} must be a finite number{_range(shape)}")
                    return MISSING
            else:
                self.rep.error(
                    _pos(node), "wrong-type", f"{where} must be a number{_range(shape)}, not {_describe(node)}"
                )
                return MISSING
            return self._in_range(node, number, shape, where)
        if kind == "bool":
            if tag != TAG_BOOL:
                self.rep.error(_pos(node), "wrong-type", f"{where} must be true or false, not {_describe(node)}")
                return MISSING
            return _constructor.construct_yaml_bool(node)
        if kind == "date":
            if tag == TAG_TS or tag == TAG_STR:
                try:
                    value = (
                        _constructor.construct_yaml_timestamp(node) if tag == TAG_TS else _dt.date.fromisoformat(text)
                    )
                except ValueError:
                    value = None
                if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
                    return value
            self.rep.error(_pos(node), "wrong-type", f"{where} must be a date like 2026-11-02, not {_describe(node)}")
            return MISSING
        raise AssertionError(f"unknown scalar kind {kind}")  # pragma: no cover - spec bug

    def _in_range(self, node, number, shape: spec.Scalar, where: str):
        lo, hi = shape.minimum, shape.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.rep.error(_pos(node), "out-of-range", f"{where} is {number}, outside the allowed range{_range(shape)}")
            return MISSING
        return number


def _item_label(node, rec: spec.Record, index: int, parent: str | None) -> str:
    """'stakeholder 'maria'', 'holding #2 of system 'crm'': how messages name an item."""
    label = rec.name.replace("_", " ")
    ident = None
    if isinstance(node, MappingNode) and "id" in rec.by_key:
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode) and v.value:
                ident = v.value
                break
    label += f" '{ident}'" if ident else f" #{index + 1}"
    return f"{label} of {parent}" if parent else label


def comment_lines(text: str, root, start: int) -> tuple[int, ...]:
    """Lines after the header that carry a YAML comment (which a save would drop)."""
    candidates = [mt.end() - 1 for mt in _COMMENT_CANDIDATE.finditer(text, start)]
    if not candidates or root is None:
        return ()
    spans: list[tuple[int, int]] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style:  # quoted or block scalars can contain '#'
                spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                stack.append(k)
                stack.append(v)
        else:
            stack.extend(node.value)
    spans.sort()
    starts = [s for s, _ in spans]
    lines = []
    for idx in candidates:
        i = bisect.bisect_right(starts, idx) - 1
        if i >= 0 and spans[i][0] <= idx < spans[i][1]:
            continue
        lines.append(text.count("\n", 0, idx) + 1)
    return tuple(sorted(set(lines)))


def ref_parse_text(
    text: str, filename: str = "<string>"
) -> tuple[m.Workshop | None, list[Diagnostic], tuple[int, ...]]:
    """Parse workshop text: the model (or None), structural diagnostics, comment lines a save would drop."""
    rep = Reporter(filename)
    try:
        root = yaml.compose(text, Loader=_REF_LOADER)
    except yaml.MarkedYAMLError as exc:
        where, message = _explain_syntax_error(exc, text)
        rep.error(where, "yaml-syntax", message)
        return None, rep.items, ()
    except yaml.YAMLError as exc:  # ReaderError and friends carry their position differently
        position = getattr(exc, "position", None)
        where = _index_to_pos(text, position) if position is not None else None
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        rep.error(where, "yaml-syntax", f"YAML syntax error: {reason}")
        return None, rep.items, ()
    except RecursionError:
        rep.error(None, "yaml-syntax", "the file is nested too deeply to be a workshop file")
        return None, rep.items, ()
    if root is None:
        rep.error((1, 1), "empty-file", "the file is empty; a workshop file starts with 'needsmap: 1'")
        return None, rep.items, ()
    if not isinstance(root, MappingNode):
        rep.error(
            _pos(root),
            "wrong-type",
            f"a workshop file must be a mapping starting with 'needsmap: 1', not {_describe(root)}",
        )
        return None, rep.items, ()
    header, header_end = split_header(text)
    version = _declared_version(root)
    if version is not None and version != m.FORMAT_VERSION:
        pos, number = version
        if isinstance(number, int) and number > m.FORMAT_VERSION:
            rep.error(
                pos,
                "format-version",
                f"this file is format version {number}; this needsmap ({_own_version()}) reads version "
                f"{m.FORMAT_VERSION}: upgrade needsmap",
            )
            return None, rep.items, ()
    # Added since, before and after the walk, the same for both walkers: the bound on what aliases
    # expand to, and positions as an editor shows them (taken from the loader, not compared).
    positions = loader._Positions(text) if loader._yaml_only_breaks(text) else None
    if "*" in text and loader._ALIAS_TOKEN.search(text):
        try:
            loader._Expansion(text, spec.MAX_FILE_BYTES - loader._SAVE_SLACK).check(root)
        except loader._TooLarge as exc:
            loader._expands_too_much(text, exc.index, rep, positions)
            return None, positions.fix_diagnostics(rep.items) if positions else rep.items, ()
    walker = _RefWalker(rep)
    try:
        ws = walker.record(root, spec.WORKSHOP, "the workshop file")
    except _Abort:
        return None, positions.fix_diagnostics(rep.items) if positions else rep.items, ()
    if ws is not None:
        ws.header = header
    dropped = comment_lines(text, root, header_end)
    if positions is None:
        return ws, rep.items, dropped
    if ws is not None:
        positions.fix_locs(ws)
    return ws, positions.fix_diagnostics(rep.items), dropped


def _declared_version(root: MappingNode):
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == "needsmap" and isinstance(v, ScalarNode) and v.tag == TAG_INT:
            return _pos(v), _constructor.construct_yaml_int(v)
    return None


# ---------------------------------------------------------------------------------------------
# Comparing the two
# ---------------------------------------------------------------------------------------------
def _locs(obj, path: str = "ws"):
    """(path, loc) of every item: ``loc`` takes no part in dataclass equality."""
    if dataclasses.is_dataclass(obj):
        yield path, getattr(obj, "loc", None)
        for f in dataclasses.fields(obj):
            if f.name != "loc":
                yield from _locs(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _locs(item, f"{path}[{i}]")


def _outcome(parse, text: str):
    try:
        ws, diags, dropped = parse(text, "t.yaml")
    except Exception as exc:  # a crash of the old loader must be the same crash
        return ("raised", type(exc).__name__, str(exc))
    # repr tells 1 from 1.0 from True and a date from a datetime, which == does not
    return (repr(ws), ws, [d.render() for d in diags], diags, dropped, list(_locs(ws)))


def assert_same(text: str) -> None:
    was_enabled = gc.isenabled()
    new = _outcome(loader.parse_text, text)
    assert gc.isenabled() == was_enabled, "parse_text left the garbage collector paused"
    old = _outcome(ref_parse_text, text)
    if old[0] == "raised" and new[0] != "raised":
        # the old loader crashed on a value that contradicts its explicit tag (`!!int x`, `!!int` with
        # nothing after it); the new one must report it as a located error instead (or refuse the tag
        # around it, `!!omap {...}`)
        assert any(
            d.severity == "error" and d.code in ("invalid-value", "wrong-type", "tag-not-allowed") and d.line
            for d in new[3]
        ), text
        return
    if new != old:  # show the difference readably
        assert new[:1] == old[:1], text
        if new[0] != "raised":
            assert new[2] == old[2], text
            assert new[5] == old[5], text
        assert new == old, text


# ---------------------------------------------------------------------------------------------
# Hand-picked cases: every tag rule the walker now applies by itself
# ---------------------------------------------------------------------------------------------
_HEAD = ("needsmap: 1", "workshop:", "  name: W")


def _doc(*lines: str) -> str:
    return "\n".join(lines) + "\n"


CASES = {
    "year-as-name": _doc("needsmap: 1", "workshop:", "  name: 2026"),
    "null-owner": _doc(*_HEAD, "attributes:", "  - id: a", "    name: A", "    owner: ~"),
    "yes-identifier": _doc(
        *_HEAD, "attributes:", "  - {id: a, name: A, identifier: yes}", "  - {id: b, name: B, identifier: Off}"
    ),
    "bool-words-as-text": _doc(*_HEAD, "stakeholders:", "  - {id: no, name: yes, role: on, notes: NULL, function: ~}"),
    "null-spellings": _doc(
        *_HEAD,
        "stakeholders:",
        "  - {id: s, name: null}",
        "  - {id: t, name: Null}",
        "  - {id: u, name: NULL}",
        "  - {id: v, name: ~}",
        "  - {id: w, name: }",
        "  - {id: x, name: 'null'}",
        "  - {id: y, name: nil}",
    ),
    "non-specific-tag": _doc(
        *_HEAD,
        "attributes:",
        "  - {id: ! 1, name: ! '2', identifier: ! 'yes'}",
        '  - {id: b, name: ! "null\\n", owner: ! "~"}',
        "  - {id: c, name: !, owner: !}",
    ),
    "value-and-merge-scalars": _doc(
        *_HEAD,
        "stakeholders:",
        "  - {id: '=', name: =, role: <<}",
        "systems:",
        "  - id: s",
        "    name: S",
        "    holds: [=, <<, '<<', email]",
    ),
    "merge-key": _doc(
        *_HEAD,
        "base: &b {id: x, name: X}",
        "stakeholders:",
        "  - <<: *b",
        "    role: R",
        "  - {'<<': a, id: q, name: Q}",
    ),
    "explicit-tags": _doc(
        *_HEAD,
        "settings:",
        "  min_quality: !!str 3",
        "  min_coverage: !!float '0.5'",
        "attributes:",
        "  - {id: !!int 7, name: !!str 2026, identifier: !!bool 'true', owner: !!null ''}",
        "  - {id: b, name: !!python/none x, values: !!set {a, b}}",
        "  - !!map {id: c, name: C}",
        "  - !!omap [{id: d}]",
        "  - {id: e, name: !!merge x, owner: !!value y, type: !!str string}",
    ),
    "tagged-collections": _doc(*_HEAD, "functions: !!seq [a, b]", "channels: !!set {a, b}", "stakeholders: !!omap []"),
    "numbers": _doc(
        *_HEAD,
        "settings: {min_quality: 0x3, min_coverage: .5}",
        "systems:",
        "  - id: s",
        "    name: S",
        "    holds:",
        "      - {attribute: a, quality: 1_0, coverage: 1e0}",
        "      - {attribute: b, quality: 0o3, coverage: .inf}",
        "      - {attribute: c, quality: 03, coverage: .NaN}",
        "      - {attribute: d, quality: 1:30, coverage: -0}",
        "      - {attribute: e, quality: +4, coverage: '0.5'}",
        "      - {attribute: f, quality: 4.0, coverage: 1}",
        "      - {attribute: g, quality: 0b11, coverage: 0,5}",
        "      - {attribute: h, quality: 019, coverage: 1_0:0}",
        "      - {attribute: i, quality: '3', coverage: 0.}",
        "      - {attribute: j, quality: 5, coverage: +.5}",
    ),
    "dates": _doc(
        "needsmap: 1",
        "workshop:",
        "  name: W",
        "  dates: [2026-03-02, 2026-3-2, '2026-03-04', 2026-03-02 10:00:00, 2026-03-02T10:00:00Z,"
        " 20260302, ~, '', 2026-02-30, !!timestamp 2026-03-05, [x]]",
    ),
    "enums": _doc(
        *_HEAD,
        "stakeholders:",
        "  - {id: s, name: S, influence: high, interest: 'low'}",
        "  - {id: t, name: T, influence: High, interest: ~}",
        "  - {id: u, name: U, influence: !!str medium}",
        "notes:",
        "  - {id: n, text: T, kind: 'no', status: on}",
        "  - {id: o, text: T, kind: ! question, status: [open]}",
    ),
    "short-forms": _doc(
        *_HEAD,
        "systems:",
        "  - id: s",
        "    name: S",
        "    holds: [email, '3', 3, yes, ~, '', null, 'null', [x], {}, !!str q, !!python/str z, &h phone, *h]",
        "use_cases:",
        "  - id: u",
        "    title: U",
        "    needs: [email, ~, {attribute: ~}, {criticality: must}, 1.5]",
    ),
    "lists-of-ids": _doc(
        *_HEAD,
        "functions: [a, ~, 3, yes, '', [x], {a: b}, !!int 4, =]",
        "channels: web",
        "settings: {marketing_channels: ~}",
    ),
    "wrong-shapes": _doc(
        *_HEAD,
        "stakeholders: {id: s}",
        "attributes: x",
        "systems: ~",
        "use_cases:",
        "  - ~",
        "  - x",
        "  - [y]",
        "processes:",
        "  - id: p",
        "    name: P",
        "    steps: [~, 'walk', {name: ~}, {actor: x}]",
    ),
    "duplicates-and-unknown": _doc(
        *_HEAD,
        "stakeholders:",
        "  - id: s",
        "    id: t",
        "    name: S",
        "    nmae: x",
        "    [a]: b",
        "    ? {k: v}",
        "    : w",
        "    name: T",
    ),
    "required-empty": _doc(
        "needsmap: 1",
        "workshop:",
        "  name: ~",
        "stakeholders:",
        "  - {id: ~, name: N}",
        "  - {id: s, name: !!null x}",
        "  - {id: t}",
        "notes:",
        "  - {id: n, text: ''}",
    ),
    "version": _doc("needsmap: 2", "workshop: {name: W}"),
    "version-odd": _doc("needsmap: '2'", "workshop: {name: W}"),
    "version-tagged": _doc("needsmap: !!int 3", "workshop: {name: W}"),
    "version-missing": _doc("workshop: {name: W}"),
    "root-scalar": _doc("hello"),
    "root-null": _doc("~"),
    "root-list": _doc("- a"),
    "root-tagged": _doc("!!omap [{needsmap: 1}]"),
    "root-python": _doc("!!python/object:os.system {}"),
    "empty": "",
    "comments": _doc(
        "# header",
        "",
        "needsmap: 1  # version",
        "workshop:",
        "  name: 'a # b'",
        "  scope: |",
        "    x # y",
        "  # alone",
        '  facilitator: "c #d" # e',
    ),
    "anchors": _doc(
        *_HEAD, "stakeholders:", "  - &s {id: s, name: S}", "  - *s", "functions: &f [a, b]", "channels: *f"
    ),
    "recursive-alias": _doc(*_HEAD, "functions: &f [a, *f]"),
    "syntax": _doc("needsmap: 1", "workshop:", "  name: 'unclosed"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_picked_case(name: str):
    assert_same(CASES[name])


def test_every_file_of_the_test_data():
    files = sorted(DATA.rglob("*.yaml")) + [DEMO]
    assert len(files) > 25
    for path in files:
        data = path.read_bytes()
        if b"\x00" in data[:8192]:
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        assert_same(text)


@pytest.mark.parametrize("scale,seed", [("small", 1), ("small", 2), ("medium", 3)])
def test_synthetic_workshops(scale: str, seed: int):
    from needsmap.synthetic.builder import generate

    assert_same(dump(generate(scale, seed)))


# ---------------------------------------------------------------------------------------------
# Odd scalars: YAML 1.1's special words and numbers, in every style, with and without tags
# ---------------------------------------------------------------------------------------------
SPECIAL = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nil",
    "none",
    "yes",
    "Yes",
    "YES",
    "no",
    "No",
    "y",
    "n",
    "on",
    "ON",
    "off",
    "Off",
    "true",
    "True",
    "false",
    "FALSE",
    "0",
    "1",
    "3",
    "5",
    "6",
    "-1",
    "+3",
    "-0",
    "0x1F",
    "0o7",
    "017",
    "019",
    "0b101",
    "0b_",
    "1_000",
    "1:30",
    "3.5",
    "0.5",
    "1.0",
    ".5",
    "0.",
    "1e3",
    "1.0e+3",
    "-1.5e-3",
    "+.5",
    ".inf",
    "-.Inf",
    ".NAN",
    "1,5",
    "2026-03-02",
    "2026-3-2",
    "2026-03-02T10:00:00Z",
    "2026-03-02 10:00:00.5",
    "20260302",
    "2026-02-30",
    "<<",
    "=",
    "!",
    "&",
    "*",
    "high",
    "low",
    "medium",
    "must",
    "could",
    "master",
    "copy",
    "daily",
    "unknown",
    "open",
    "closed",
    "question",
    "now",
    "string",
    "enum",
    "none",
    "email",
    "a b",
    "a:b",
    "é",
]
_TAGS = [
    "",
    "! ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!timestamp ",
    "!!merge ",
    "!!value ",
    "!!python/none ",
    "!foo ",
    "!!binary ",
]


def _printable(c: str) -> bool:
    return c.isprintable() and c not in "\ufeff\u2028\u2029"


def _quote(text: str, style: str) -> str:
    if style == "'" and all(_printable(c) for c in text):
        return "'" + text.replace("'", "''") + "'"
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif _printable(c):
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


@st.composite
def scalars(draw, good=()):
    """A scalar as written in YAML: plain or quoted, maybe tagged or anchored."""
    source = draw(
        st.sampled_from(("special", "special", "good", "text"))
        if good
        else st.sampled_from(("special", "special", "text"))
    )
    if source == "special":
        text = draw(st.sampled_from(SPECIAL))
    elif source == "good":
        text = draw(st.sampled_from(good))
    else:
        text = draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=12))
    plain_ok = text == "" or (
        text == text.strip()
        and all(c.isalnum() or c in " _.-+:~=<!&*é" for c in text)
        and text[0] not in "!&*"
        and ": " not in text
    )
    style = draw(st.sampled_from(("", "", "", "'", '"'))) if plain_ok else draw(st.sampled_from(("'", '"')))
    token = text if style == "" else _quote(text, style)
    tag = draw(st.sampled_from(_TAGS[:1] * 8 + _TAGS))
    return tag + token


def _good(shape) -> tuple[str, ...]:
    kind = shape.kind
    if kind == "enum":
        return shape.choices
    if kind == "int":
        return ("1", "2", "3", "4", "5")
    if kind == "number":
        return ("0", "1", "0.25", "0.5", "0.75")
    if kind == "bool":
        return ("true", "false")
    if kind == "date":
        return ("2026-03-02", "2026-11-30")
    return ("a", "crm", "email", "Maria Jansen")


def _flow(value) -> str:
    kind, body = value
    if kind == "flow":
        return _flow(body)
    if kind == "block":  # no block scalars inside flow collections
        return _quote(body[1], '"')
    if kind == "scalar":
        return body if body else "''"
    if kind == "seq":
        return "[" + ", ".join(_flow(v) for v in body) + "]"
    return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in body) + "}"


def _block(value, indent: int, lines: list[str], lead: str) -> None:
    """Append ``value`` under ``lead`` (``"key:"`` or ``"-"``) at ``indent``."""
    kind, body = value
    pad = " " * indent
    if kind == "block":
        style, text = body
        lines.append(f"{pad}{lead} {style}")
        lines.extend(f"{pad}  {line}" if line else "" for line in text.split("\n"))
        return
    if kind == "scalar" or not body or kind == "flow":
        text = _flow(value)
        lines.append(f"{pad}{lead} {text}".rstrip() if text else f"{pad}{lead}")
        return
    lines.append(f"{pad}{lead}")
    for item in body:
        if kind == "seq":
            _block(item, indent + 2, lines, "-")
        else:
            k, v = item
            _block(v, indent + 2, lines, f"{k}:")


@st.composite
def values(draw, shape, depth: int = 0):
    """A value for a field of ``shape``: mostly the right kind of thing, sometimes not."""
    roll = draw(st.integers(0, 19))
    if roll == 0:
        return ("scalar", draw(st.sampled_from(("", "~", "null", "!!null ''"))))
    if roll == 1:  # anchored in the prelude of documents()
        return ("scalar", draw(st.sampled_from(("*yes", "*null", "*text", "*number", "*list", "*record"))))
    if roll == 2 and depth < 3:
        return ("seq", [("scalar", draw(scalars()))])
    if roll == 3 and depth < 3:
        return ("map", [("k", ("scalar", draw(scalars())))])
    if isinstance(shape, spec.Scalar):
        if draw(st.integers(0, 9)) == 0:  # a block scalar, maybe with '#' in it
            lines = draw(
                st.lists(st.sampled_from(("text", "a # b", "# c", "", "x:y", "'q' #")), min_size=1, max_size=3)
            )
            return (
                "block",
                (draw(st.sampled_from(("|", ">", "|-", "|+", ">-"))), "\n".join(lines).strip("\n") or "text"),
            )
        return ("scalar", draw(scalars(_good(shape))))
    if isinstance(shape, spec.ListOf):
        items = draw(st.lists(values(shape.item, depth + 1), max_size=3))
        tag = draw(st.sampled_from(("",) * 10 + ("!!seq ", "!!set ")))
        if tag:
            return ("scalar", tag + _flow(("seq", items)))
        if draw(st.booleans()):
            return ("flow", ("seq", items))
        return ("seq", items)
    # a record
    if shape.short and draw(st.integers(0, 3)) == 0:
        return ("scalar", draw(scalars(("email", "phone"))))
    fields = draw(st.lists(st.sampled_from(shape.fields), max_size=len(shape.fields) + 1))
    fields = [f for f in shape.fields if f.required and draw(st.integers(0, 5))] + fields
    pairs = []
    for fld in fields:
        key = fld.key
        odd = draw(st.integers(0, 29))
        if odd == 0:
            key = key[:-1] or "x"  # unknown, with a suggestion
        elif odd == 1:
            key = "<<"
        elif odd == 2:
            key = f"'{key}'"
        elif odd == 3:
            key = "[a]"
        pairs.append((key, draw(values(fld.shape, depth + 1))))
    tag = draw(st.sampled_from(("",) * 12 + ("!!map ", "!!omap ")))
    if tag:
        return ("scalar", tag + _flow(("map", pairs)))
    if draw(st.integers(0, 4)) == 0:
        return ("flow", ("map", pairs))
    return ("map", pairs)


@st.composite
def documents(draw) -> str:
    top = draw(values(spec.WORKSHOP))
    if top[0] == "flow":
        top = top[1]
    # the anchors aliases refer to (an unknown key: reported, then skipped)
    prelude = (
        "anchors",
        (
            "scalar",
            "[&yes yes, &null ~, &text hello, &number 0.5, &list [a, b], "
            "&record {id: r, name: R, attribute: email, to: crm, text: T, title: T}]",
        ),
    )
    if top[0] != "map":
        return _flow(top) + "\n"
    pairs = ([prelude] if draw(st.integers(0, 9)) else []) + list(top[1])
    if draw(st.integers(0, 9)) == 0:
        return _flow(("map", pairs)) + "\n"
    lines: list[str] = []
    if draw(st.integers(0, 9)):
        pairs.insert(0, ("needsmap", ("scalar", draw(st.sampled_from(("1", "1", "1", "2", "'1'", "~", "1.0"))))))
    for k, v in pairs:
        _block(v, 0, lines, f"{k}:")
    for _ in range(draw(st.integers(0, 2))):  # comments here and there
        at = draw(st.integers(0, len(lines)))
        if at < len(lines) and draw(st.booleans()):
            lines[at] += draw(st.sampled_from((" # trailing", "  #", "\t# tab", "#not-a-comment")))
        else:
            lines.insert(at, draw(st.sampled_from(("# note", "  # indented note", "#", ""))))
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
@example("!!omap {'needsmap': !!int , worksho: '', needsma: '', needsma: ''}\n")  # found by CI once
@example("needsmap: !!int\nworkshop: {name: x}\n")
def test_random_documents(text: str):
    assert_same(text)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [r for r in (spec.WORKSHOP_INFO, spec.SETTINGS, spec.ATTRIBUTE, spec.HOLDING, spec.USE_CASE, spec.NOTE)]
    ),
    st.data(),
)
def test_random_scalars_in_every_field(rec: spec.Record, data):
    """One item with every field, each a random scalar: every kind meets every odd scalar."""
    section = {
        spec.WORKSHOP_INFO: None,
        spec.SETTINGS: "settings",
        spec.ATTRIBUTE: "attributes",
        spec.HOLDING: "systems",
        spec.USE_CASE: "use_cases",
        spec.NOTE: "notes",
    }[rec]
    pairs = [
        (f.key, data.draw(scalars(_good(f.shape) if isinstance(f.shape, spec.Scalar) else ()))) for f in rec.fields
    ]
    body = "".join(f"\n      {k}: {v}" for k, v in pairs)
    if section is None:
        text = "needsmap: 1\nworkshop:" + body.replace("\n      ", "\n  ") + "\n"
    elif section == "settings":
        text = _doc(*_HEAD) + "settings:" + body.replace("\n      ", "\n  ") + "\n"
    elif section == "systems":
        text = _doc(*_HEAD) + "systems:\n  - id: s\n    name: S\n    holds:\n      -" + body[7:] + "\n"
    else:
        text = _doc(*_HEAD) + f"{section}:\n  -" + body.replace("\n      ", "\n    ")[5:] + "\n"
    assert_same(text)


# ---------------------------------------------------------------------------------------------
# Mutations of a realistic file: one value replaced by an odd scalar, many times over
# ---------------------------------------------------------------------------------------------
def test_mutated_demo_workshop():
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    rng = random.Random(20261126)
    candidates = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    for _ in range(150):
        mutated = list(lines)
        for i in rng.sample(candidates, 3):
            line = mutated[i]
            head, _, _ = line.partition(":")
            special = rng.choice(SPECIAL)
            token = rng.choice(["", "'", '"'])
            value = special if token == "" else _quote(special, token)
            mutated[i] = f"{head}: {rng.choice(_TAGS[:1] * 6 + _TAGS)}{value}"
        assert_same("\n".join(mutated) + "\n")


def test_the_walker_still_reads_resolved_nodes():
    """The terminal UI's forms hand the walker nodes tagged by PyYAML's resolver (strings)."""
    from needsmap.format.loader import MISSING as NEW_MISSING
    from needsmap.format.loader import ValueReader

    resolver = yaml.resolver.Resolver()
    mark = yaml.Mark("<form>", 0, 0, 0, None, None)
    shapes = [spec.Scalar(k) for k in ("str", "id", "ref", "bool", "date")] + [
        spec.Scalar("int", minimum=1, maximum=5),
        spec.Scalar("number", minimum=0, maximum=1),
        spec.enum(("low", "medium", "high")),
    ]
    for text in SPECIAL + ["hello", "high", "4", "0.25", "2026-03-02"]:
        node = ScalarNode(resolver.resolve(ScalarNode, text, (True, False)), text, mark, mark)
        for shape in shapes:
            new_rep, old_rep = Reporter("f"), Reporter("f")
            try:
                new = loader.ValueReader(new_rep).scalar(node, shape, "'x' of y")
            except Exception as exc:  # either loader may crash: the crashes are compared
                new = ("raised", type(exc).__name__)
            try:
                old = _RefWalker(old_rep).scalar(node, shape, "'x' of y")
            except Exception as exc:  # either loader may crash: the crashes are compared
                old = ("raised", type(exc).__name__)
            new = MISSING if new is NEW_MISSING else new
            if isinstance(old, tuple) and old[:1] == ("raised",):
                # where the old walker crashed, the new one reports a located error
                assert new is MISSING and [d.code for d in new_rep.items] == ["invalid-value"], (text, shape)
                continue
            assert (repr(new), new_rep.items) == (repr(old), old_rep.items), (text, shape)
    assert ValueReader is loader.ValueReader


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("# \t\na'\"\r:"), max_size=30), st.data())
def test_comment_candidates_are_the_pattern_matches(text: str, data):
    start = data.draw(st.integers(0, len(text)))
    expected = [mt.end() - 1 for mt in _COMMENT_CANDIDATE.finditer(text, start)]
    assert loader._comment_candidates(text, start) == expected


def test_the_pure_python_parser_works_the_same(monkeypatch):
    """Where libyaml is missing, the loader falls back to PyYAML's Python parser: same callbacks, same results."""

    class PyComposer(yaml.SafeLoader):
        resolve = loader._Composer.resolve
        descend_resolver = loader._Composer.descend_resolver
        ascend_resolver = loader._Composer.ascend_resolver

    monkeypatch.setattr(loader, "_Composer", PyComposer)
    monkeypatch.setattr(sys.modules[__name__], "_REF_LOADER", yaml.SafeLoader)
    assert yaml.compose("a: [b]", Loader=loader._Composer).value[0][1].value[0].tag is True
    for name in sorted(CASES):
        if name != "syntax":
            assert_same(CASES[name])
    assert_same(DEMO.read_text(encoding="utf-8"))


def test_what_plain_scalars_mean():
    """The YAML 1.1 readings the walker must keep (it resolves implicit tags itself now)."""
    ws, diags, _ = loader.parse_text(CASES["year-as-name"])
    assert ws.workshop.name == "2026" and not diags
    ws, diags, _ = loader.parse_text(CASES["null-owner"])
    assert ws.attributes[0].owner is None and "owner" not in ws.attributes[0].loc and not diags
    ws, diags, _ = loader.parse_text(CASES["yes-identifier"])
    assert [a.identifier for a in ws.attributes] == [True, False] and not diags
    ws, diags, _ = loader.parse_text(CASES["merge-key"])
    assert [d.code for d in diags].count("tag-not-allowed") == 1  # the plain '<<', not the quoted one
