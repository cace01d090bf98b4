"""Reading a workshop file into the domain model, with located diagnostics.

The file is parsed with libyaml (PyYAML's C parser) into a node tree that
keeps line and column of every value; the tree is then walked once, guided by
the declarations in :mod:`needsmap.spec`, building dataclasses and reporting
*every* structural problem: YAML syntax, unknown keys (with a suggestion),
wrong types, values out of range or not among the allowed ones, missing
required fields, duplicate keys, tags that are not plain data.

Only plain data is accepted: no ``!!python/...`` or other tags, no merge keys.
Files bigger than :data:`needsmap.spec.MAX_FILE_BYTES` are refused, and so are
files whose aliases expand beyond :data:`needsmap.spec.MAX_NODES` nodes.

Cross-references, ids and other rules between items are checked afterwards by
:mod:`needsmap.validator`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
import yaml.constructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from needsmap import model as m
from needsmap import spec
from needsmap.diagnostics import Diagnostic, Position, Reporter, suggestion_suffix

try:  # pragma: no cover - which branch runs depends on the platform
    _Parser = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Parser = yaml.SafeLoader

_T = "tag:yaml.org,2002:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS = (
    _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp")
TAG_MAP, TAG_SEQ, TAG_MERGE = _T + "map", _T + "seq", _T + "merge"
_PLAIN_SCALAR_TAGS = {TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS}

_constructor = yaml.constructor.SafeConstructor()
_MISSING = object()

_KIND_WORDS = {
    "str": "text", "id": "an id", "ref": "an id", "int": "a whole number", "number": "a number",
    "bool": "true or false", "date": "a date (YYYY-MM-DD)", "enum": "one of the allowed values",
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


class _Walker:
    """One pass over the node tree, building the model."""

    def __init__(self, rep: Reporter) -> None:
        self.rep = rep
        self.budget = spec.MAX_NODES

    def _tick(self, node) -> None:
        self.budget -= 1
        if self.budget < 0:
            self.rep.error(_pos(node), "too-many-nodes",
                           f"the file expands to more than {spec.MAX_NODES:,} YAML nodes "
                           "(aliases count every time they are used); refusing to load it")
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
            self.rep.error(_pos(node), "tag-not-allowed",
                           f"YAML tag '{shown}' is not allowed in a workshop file; write plain values")
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
                self.rep.error(_pos(node), "wrong-type",
                               f"{where} must be a mapping of {rec.name} fields{hint}, not {_describe(node)}")
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
                self.rep.error(_pos(knode), "tag-not-allowed",
                               "YAML merge keys ('<<') are not supported in workshop files; write the fields out")
                continue
            if key in seen:
                line, col = seen[key]
                self.rep.error(_pos(knode), "duplicate-key",
                               f"key '{key}' appears twice in {where} (first at line {line}, column {col}); "
                               "keep one")
                continue
            seen[key] = _pos(knode)
            fld = by_key.get(key)
            if fld is None:
                self.rep.error(_pos(knode), "unknown-key",
                               f"unknown key '{key}' in {where}"
                               f"{suggestion_suffix(key, by_key)}"
                               f" (allowed: {', '.join(by_key)})")
                continue
            value = self.value(vnode, fld.shape, f"'{key}' of {where}", key, loc, where)
            if value is not _MISSING:
                kwargs[fld.attr] = value
            elif fld.required and isinstance(vnode, ScalarNode) and vnode.tag == TAG_NULL:
                self.rep.error(_pos(knode), "missing-field", f"'{key}' of {where} is empty (required)")
        missing = [f for f in rec.fields if f.required and f.attr not in kwargs]
        for fld in missing:
            if fld.key not in seen:  # present but invalid: already reported
                self.rep.error(_pos(node), "missing-field", f"{where} has no '{fld.key}' (required)")
        if missing:
            key_field = rec.fields[0]
            if missing[0] is key_field and isinstance(key_field.shape, spec.Scalar) \
                    and key_field.shape.kind in ("id", "ref"):
                return None  # without its id the item cannot take part in anything
            for fld in missing:
                kwargs[fld.attr] = _placeholder(fld)
        kwargs["loc"] = loc
        return rec.cls(**kwargs)

    # -- values ----------------------------------------------------------
    def value(self, node, shape, where: str, key: str, loc: m.Loc, owner: str = ""):
        if isinstance(shape, spec.Record):
            if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
                return _MISSING
            loc[key] = _pos(node)
            item = self.record(node, shape, f"'{key}'")
            return _MISSING if item is None else item
        if isinstance(shape, spec.ListOf):
            return self.sequence(node, shape, where, key, loc, owner)
        self._tick(node)
        if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
            return _MISSING
        value = self.scalar(node, shape, where)
        if value is not _MISSING:
            loc[key] = _pos(node)
        return value

    def sequence(self, node, shape: spec.ListOf, where: str, key: str, loc: m.Loc, owner: str = ""):
        self._tick(node)
        if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
            return _MISSING
        if not isinstance(node, SequenceNode):
            example = f"[{node.value}]" if isinstance(node, ScalarNode) else "a list"
            self.rep.error(_pos(node), "wrong-type",
                           f"{where} must be a list, not {_describe(node)}"
                           + (f"; write {example}" if isinstance(node, ScalarNode) else ""))
            return _MISSING
        if not self._check_tag(node):
            return _MISSING
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
                if value is not _MISSING:
                    out.append(value)
                    positions.append(_pos(child))
            loc[key] = positions
        if isinstance(item_shape, spec.Record):
            loc[key] = _pos(node)
        return out

    def scalar(self, node, shape: spec.Scalar, where: str):
        if not isinstance(node, ScalarNode):
            if not self._check_tag(node):
                return _MISSING
            self.rep.error(_pos(node), "wrong-type",
                           f"{where} must be {_KIND_WORDS[shape.kind]}, not {_describe(node)}")
            return _MISSING
        if not self._check_tag(node):
            return _MISSING
        kind = shape.kind
        tag = node.tag
        text = node.value
        if kind in ("str", "id", "ref"):
            return text
        if kind == "enum":
            if text in shape.choices and tag == TAG_STR:
                return text
            self.rep.error(_pos(node), "invalid-value",
                           f"{where} is '{text}', which is not allowed{suggestion_suffix(text, shape.choices)}"
                           f" (allowed: {', '.join(shape.choices)})")
            return _MISSING
        if kind == "int":
            if tag != TAG_INT:
                self.rep.error(_pos(node), "wrong-type",
                               f"{where} must be a whole number{_range(shape)}, not {_describe(node)}")
                return _MISSING
            number = _constructor.construct_yaml_int(node)
            return self._in_range(node, number, shape, where)
        if kind == "number":
            if tag == TAG_INT:
                number = _constructor.construct_yaml_int(node)
            elif tag == TAG_FLOAT:
                number = _constructor.construct_yaml_float(node)
                if number != number or number in (float("inf"), float("-inf")):
                    self.rep.error(_pos(node), "invalid-value", f"{where} must be a finite number{_range(shape)}")
                    return _MISSING
            else:
                self.rep.error(_pos(node), "wrong-type",
                               f"{where} must be a number{_range(shape)}, not {_describe(node)}")
                return _MISSING
            return self._in_range(node, number, shape, where)
        if kind == "bool":
            if tag != TAG_BOOL:
                self.rep.error(_pos(node), "wrong-type", f"{where} must be true or false, not {_describe(node)}")
                return _MISSING
            return _constructor.construct_yaml_bool(node)
        if kind == "date":
            if tag == TAG_TS or tag == TAG_STR:
                try:
                    value = (_constructor.construct_yaml_timestamp(node) if tag == TAG_TS
                             else _dt.date.fromisoformat(text))
                except ValueError:
                    value = None
                if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
                    return value
            self.rep.error(_pos(node), "wrong-type", f"{where} must be a date like 2026-11-02, not {_describe(node)}")
            return _MISSING
        raise AssertionError(f"unknown scalar kind {kind}")  # pragma: no cover - spec bug

    def _in_range(self, node, number, shape: spec.Scalar, where: str):
        lo, hi = shape.minimum, shape.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            self.rep.error(_pos(node), "out-of-range", f"{where} is {number}, outside the allowed range{_range(shape)}")
            return _MISSING
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


def _placeholder(fld: spec.Field):
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
    import bisect

    lines = []
    for idx in candidates:
        i = bisect.bisect_right(starts, idx) - 1
        if i >= 0 and spans[i][0] <= idx < spans[i][1]:
            continue
        lines.append(text.count("\n", 0, idx) + 1)
    return tuple(sorted(set(lines)))


# -- entry points ----------------------------------------------------------
def parse_text(text: str, filename: str = "<string>") -> tuple[m.Workshop | None, list[Diagnostic], tuple[int, ...]]:
    """Parse workshop text: the model (or None), structural diagnostics, comment lines a save would drop."""
    rep = Reporter(filename)
    try:
        root = yaml.compose(text, Loader=_Parser)
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
        rep.error(_pos(root), "wrong-type",
                  f"a workshop file must be a mapping starting with 'needsmap: 1', not {_describe(root)}")
        return None, rep.items, ()
    header, header_end = split_header(text)
    version = _declared_version(root)
    if version is not None and version != m.FORMAT_VERSION:
        pos, number = version
        if isinstance(number, int) and number > m.FORMAT_VERSION:
            rep.error(pos, "format-version",
                      f"this file is format version {number}; this needsmap ({_own_version()}) reads version "
                      f"{m.FORMAT_VERSION}: upgrade needsmap")
            return None, rep.items, ()
    walker = _Walker(rep)
    try:
        ws = walker.record(root, spec.WORKSHOP, "the workshop file")
    except _Abort:
        return None, rep.items, ()
    if ws is not None:
        ws.header = header
    dropped = comment_lines(text, root, header_end)
    return ws, rep.items, dropped


def _explain_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Position | None, str]:
    """libyaml's message, located, with a hint a person can act on."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    where = (mark.line + 1, mark.column + 1) if mark else None
    opened = exc.context_mark
    hint = ""
    if "cannot start any token" in problem and mark is not None and 0 <= mark.index < len(text) \
            and text[mark.index] == "\t":
        hint = "tabs cannot indent YAML; indent with spaces"
    elif "quoted scalar" in context and opened is not None:
        where = (opened.line + 1, opened.column + 1)
        hint = "this quoted text is never closed; add the closing quote"
    elif "expected key" in problem or "expected <block end>" in problem:
        hint = "check the indentation of this line: keys of one item must line up exactly"
    elif "mapping values are not allowed" in problem:
        hint = "a value contains ': '; put the whole value in double quotes"
    elif "single document" in context or "another document" in problem:
        hint = "the file holds more than one YAML document ('---'); a workshop file is one document"
    elif "found undefined alias" in problem:
        hint = "an alias (*name) refers to an anchor (&name) that is not defined before it"
    detail = f"{problem} ({context})" if context else problem
    message = f"YAML syntax error: {hint} [{detail}]" if hint else f"YAML syntax error: {detail}"
    return where, message


def _declared_version(root: MappingNode):
    for k, v in root.value:
        if isinstance(k, ScalarNode) and k.value == "needsmap" and isinstance(v, ScalarNode) and v.tag == TAG_INT:
            return _pos(v), _constructor.construct_yaml_int(v)
    return None


def _own_version() -> str:
    from needsmap import __version__

    return __version__


def _index_to_pos(text: str, index: int) -> Position:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return (line, col)


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
        rep.error(_index_to_pos(good, len(good)), "encoding",
                  f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
        return None, rep.items


class FileTooLarge(Exception):
    pass


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a workshop file, refusing files over the size limit.

    Raises OSError for files that cannot be read and :class:`FileTooLarge`.
    """
    p = Path(path)
    size = p.stat().st_size
    if size > spec.MAX_FILE_BYTES:
        raise FileTooLarge(
            f"{p}: error: the file is {size / 1048576:.1f} MiB; workshop files are limited to "
            f"{spec.MAX_FILE_BYTES // 1048576} MiB")
    with open(p, "rb") as fh:
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
    """Load one file (structure only; see :func:`needsmap.workshop_io.open_workshop`).

    Raises OSError / :class:`FileTooLarge` when the file cannot be read at all.
    """
    data = read_bytes(path)
    return load_bytes(data, str(path))
