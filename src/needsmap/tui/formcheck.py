"""What a form holds, and what ``needsmap validate`` would say about it: without Textual.

A form edits one record of :mod:`needsmap.format.spec` (a stakeholder, a use case, a
holding of a system, a step of a process...).  :class:`FormModel` turns the
texts typed into the form into a candidate record and checks it *with the
loader's and the validator's own code*, so that the messages under a field are
word for word the ones ``needsmap validate`` prints for the same content in a
file (minus the ``FILE:LINE:COL`` prefix):

* each value is read by the loader's scalar reader (``'value' of use case
  'x' is 7, outside the allowed range 1..5``);
* references, ids and the rules between items are checked by the validator's
  checks on the candidate against the rest of the workshop (``'owner' of use
  case 'x' refers to stakeholder 'san', which does not exist; did you mean
  'sanne'?``).

Checking a candidate costs well under a millisecond at enterprise scale, so the
form checks on every keystroke.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

from needsmap.collab.session import edited
from needsmap.format import model as m
from needsmap.format import spec, validator
from needsmap.format.diagnostics import Reporter
from needsmap.format.loader import MISSING, ValueReader  # the loader's own value reader: same messages
from needsmap.format.naming import item_label, item_name

#: Diagnostic codes of the validator's item rules, and the field they are about.
_RULE_FIELD = {
    "values-without-enum": "values",
    "enum-without-values": "type",
    "duplicate-holding": "attribute",
    "duplicate-need": "attribute",
    "self-feed": "to",
    "empty-feed": "attributes",
    "identifier-contradiction": "identifies",
    "special-category-not-sensitive": "sensitivity",
    "purposes-without-consent": "purposes",
    "channels-without-consent": "channels",
    "derived-from-without-derived": "derived_from",
}

_RESOLVER = yaml.resolver.Resolver()
_MARK = yaml.Mark("<form>", 0, 0, 0, None, 0)  # no buffer: the pointer is never read
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_PERCENT = re.compile(r"^\d+(?:[.,]\d+)?\s*%$")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # the key of the field it is about, "" for the whole record
    severity: str  # error | warning
    message: str
    code: str = ""  # the diagnostic code (missing-field, unknown-reference, ...)


def child_record(section: str, child: str) -> spec.Record:
    """The record of a nested list of a section's items (``needs`` of ``use_cases``: the need)."""
    shape = spec.ITEM_RECORDS[section].by_key[child].shape
    if not (isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record)):
        raise KeyError(f"{section} has no nested list '{child}'")
    return shape.item


def editable_fields(record: spec.Record) -> list[spec.Field]:
    """The fields a form shows: scalars and lists of scalars (nested records are edited on their own)."""
    out = []
    for fld in record.fields:
        shape = fld.shape
        if isinstance(shape, spec.Record):
            continue
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            continue
        out.append(fld)
    return out


def text_of(value, shape) -> str:
    """How a value is shown in a text input."""
    if value is None:
        return ""
    if isinstance(shape, spec.ListOf):
        return ", ".join(text_of(v, shape.item) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


# -- references typed by name ------------------------------------------------------------------------
def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def named_items(ws: m.Workshop, section: str) -> Iterator[tuple[str, str]]:
    """(name, id) of every item a reference to ``section`` may name: each item's name (title, text) and an
    attribute's synonyms too.  ``section`` is an item section or ``"any"``; another section names no item."""
    for sec in m.ITEM_SECTIONS if section == "any" else (section,) if section in m.ITEM_SECTIONS else ():
        for item in ws.section(sec):
            for name in (item_name(item), *(getattr(item, "synonyms", None) or ())):
                yield name, item.id


def reference_names(ws: m.Workshop, section: str) -> dict[str, list[str]]:
    """What the items a reference to ``section`` may name are called (casefolded, spacing aside) -> their ids."""
    out: dict[str, list[str]] = {}
    for name, ident in named_items(ws, section):
        ids = out.setdefault(_folded(name), [])
        if ident not in ids:
            ids.append(ident)
    return out


def resolve_reference(ids: set[str], names: Mapping[str, list[str]], text: str) -> str | None:
    """The id ``text`` stands for: itself when it is an id, else the one item whose name (or synonym) it is,
    case and spacing aside; None when it names nothing, or more than one item."""
    text = text.strip()
    if text in ids:
        return text
    found = names.get(_folded(text), [])
    return found[0] if len(found) == 1 else None


def _node(text: str) -> yaml.ScalarNode:
    """The YAML scalar the text would be if it were typed into the file unquoted."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return yaml.ScalarNode(tag, text, _MARK, _MARK)


class FormModel:
    """The contents of one form: a new or existing record, top-level or nested.

    * top-level item: ``FormModel(ws, "stakeholders", index=3)`` (``index=None``: a new item);
    * nested record: ``FormModel(ws, "systems", index=2, child="holds", child_index=0)``
      (``child_index=None``: a new holding of system #3).
    """

    def __init__(
        self,
        ws: m.Workshop,
        section: str,
        index: int | None = None,
        *,
        child: str | None = None,
        child_index: int | None = None,
        filename: str = "<workshop>",
        template: object | None = None,
    ) -> None:
        self.ws = ws
        self.template = template  # a new item starts as a copy of this one (duplicating)
        self.section = section
        self.index = index
        self.child = child
        self.child_index = child_index
        self.filename = filename
        top = spec.ITEM_RECORDS[section]
        self.top_record = top
        if child is None:
            self.record = top
        else:
            if index is None:
                raise ValueError("a nested record needs the index of its parent item")
            self.record = child_record(section, child)
        self.fields = editable_fields(self.record)
        self.original = self._original()
        self._names: dict[str, tuple[set[str], dict[str, list[str]]]] = {}  # section -> its ids, names -> ids
        # ids of the workshop as the validator sees them, without the item being edited
        self._ids = validator.known_ids(ws)
        if child is None and index is not None:
            own = ws.section(section)[index].id
            if sum(1 for item in ws.section(section) if item.id == own) == 1:
                self._ids[section] = self._ids[section] - {own}

    # -- the record ----------------------------------------------------------------
    @property
    def parent(self):
        return None if self.index is None else self.ws.section(self.section)[self.index]

    def _original(self):
        if self.child is None:
            return None if self.index is None else self.ws.section(self.section)[self.index]
        if self.child_index is None:
            return None
        return getattr(self.parent, self.child)[self.child_index]

    def blank(self):
        """A new record with nothing stated (required text fields empty), or a copy of the template."""
        if self.template is not None:
            return edited(self.template)
        kwargs = {}
        for fld in self.record.fields:
            if fld.required:
                kwargs[fld.attr] = ""
        return self.record.cls(**kwargs)

    def initial(self, obj=None) -> dict[str, object]:
        """Form values for ``obj`` (default: the record being edited, or a blank one)."""
        if obj is None:
            obj = self.original if self.original is not None else self.blank()
        out: dict[str, object] = {}
        for fld in self.fields:
            value = getattr(obj, fld.attr)
            shape = fld.shape
            if isinstance(shape, spec.Scalar) and shape.kind in ("enum", "bool"):
                out[fld.key] = value
            elif isinstance(shape, spec.Scalar) and shape.kind == "ref" and value is not None:
                out[fld.key] = value
            else:
                out[fld.key] = text_of(value, shape)
        return out

    def label(self, values: Mapping[str, object]) -> str:
        """How ``needsmap validate`` names the record: ``stakeholder 'sanne'``, ``holding #2 of system 'crm'``."""
        if self.child is None:
            ident = str(values.get("id") or "").strip()
            n = self.index if self.index is not None else len(self.ws.section(self.section))
            return item_label(self.record.word, ident, index=n)
        parent = self.parent
        n = self.child_index if self.child_index is not None else len(getattr(parent, self.child))
        return item_label(self.record.word, index=n, parent=item_label(self.top_record.word, parent.id))

    # -- reading the form --------------------------------------------------------------
    def build(self, values: Mapping[str, object]) -> tuple[object | None, list[Problem]]:
        """The candidate record from the form's values, and every problem with it.

        ``values`` maps field keys to the text typed (str), or for enums/refs
        chosen from a list the value itself (None: not stated), for bools a bool
        or None.  Returns ``(None, problems)`` when a value cannot be read.
        """
        label = self.label(values)
        rep = Reporter(self.filename)
        walker = ValueReader(rep)
        problems: list[Problem] = []
        kwargs: dict[str, object] = {}
        for fld in self.fields:
            start = len(rep.items)
            raw = values.get(fld.key)
            value = self._read(walker, fld, raw, f"'{fld.key}' of {label}", rep)
            problems.extend(Problem(fld.key, d.severity, d.message, d.code) for d in rep.items[start:])
            if value is not MISSING:
                kwargs[fld.attr] = value
        base = self.original if self.original is not None else self.blank()
        # unreadable values keep their old value for the checks between items; nested
        # lists are kept as they are, in a new object that shares no mutable state
        candidate = edited(dataclasses.replace(base, **kwargs) if kwargs else base)
        unreadable = {p.field for p in problems if p.severity == "error"}
        problems.extend(p for p in self._cross(candidate, label) if p.field not in unreadable)
        if any(p.severity == "error" for p in problems):
            return None, problems
        return candidate, problems

    def _read(self, walker: ValueReader, fld: spec.Field, raw, where: str, rep: Reporter):
        shape = fld.shape
        if isinstance(shape, spec.ListOf):
            assert isinstance(shape.item, spec.Scalar)  # editable_fields leaves out lists of records
            text = "" if raw is None else str(raw)
            parts = [p.strip() for p in text.split(",")]
            out = []
            for i, part in enumerate(p for p in parts if p):
                value = self._scalar(walker, shape.item, self.by_name(shape.item, part), f"item #{i + 1} of {where}")
                if value is not MISSING:
                    out.append(value)
            return out
        assert isinstance(shape, spec.Scalar)
        if shape.kind in ("enum", "bool") and not isinstance(raw, str):
            if raw is None and fld.required:
                rep.error(None, "missing-field", f"{where} is empty (required)")
            return raw
        text = "" if raw is None else str(raw)
        text = text.rstrip() if shape.multiline else text.strip()
        if not text:
            if fld.required:
                rep.error(None, "missing-field", f"{where} is empty (required)")
                return ""
            return None
        return self._scalar(walker, shape, self.by_name(shape, text), where)

    def by_name(self, shape: spec.Scalar, text: str) -> str:
        """A reference typed as the name of an item (or a synonym of an attribute): that item's id.

        Anything else stays as typed (an id, or a name that matches nothing: the validator says so).
        """
        if shape.kind != "ref" or not shape.ref or shape.ref not in (*m.ITEM_SECTIONS, "any"):
            return text
        known = self._names.get(shape.ref)
        if known is None:
            sections = m.ITEM_SECTIONS if shape.ref == "any" else (shape.ref,)
            ids = {item.id for sec in sections for item in self.ws.section(sec)}
            known = self._names[shape.ref] = (ids, reference_names(self.ws, shape.ref))
        return resolve_reference(*known, text) or text

    @staticmethod
    def _scalar(walker: ValueReader, shape: spec.Scalar, text: str, where: str):
        if shape.kind in ("str", "id", "ref"):
            return text
        if shape.kind == "number" and _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")  # forgiving: 0,64 is 0.64
        if shape.kind == "number" and shape.maximum == 1 and _PERCENT.match(text):
            text = repr(float(text.rstrip("% ").replace(",", ".")) / 100)  # a share as it is shown: 74% is 0.74
        return walker.scalar(_node(text), shape, where)

    # -- checks between items ------------------------------------------------------------
    def _cross(self, candidate, label: str) -> list[Problem]:
        rep = Reporter(self.filename)
        v = validator.Validator(self.ws, rep)
        ids = dict(self._ids)
        section = self.section
        top_candidate = candidate if self.child is None else None
        if top_candidate is not None:
            ids[section] = ids[section] | {top_candidate.id}
        v.ids = ids
        sections_of: dict[str, list[str]] = {}
        for sec in m.ITEM_SECTIONS:
            for ident in ids[sec]:
                sections_of.setdefault(ident, []).append(sec)
        v.sections_of = sections_of
        problems: list[Problem] = []
        if top_candidate is not None:
            same = [
                item
                for j, item in enumerate(self.ws.section(section))
                if j != self.index and item.id == top_candidate.id
            ][:1]
            start = len(rep.items)
            v.unique_ids(section, same + [top_candidate])
            problems.extend(Problem("id", d.severity, d.message, d.code) for d in rep.items[start:])
        for fld in self.fields:
            one = spec.Record(self.record.name, self.record.cls, (fld,), self.record.doc)
            start = len(rep.items)
            v.refs(candidate, one, label)
            problems.extend(Problem(fld.key, d.severity, d.message, d.code) for d in rep.items[start:])
        problems.extend(self._rules(candidate))
        return problems

    def _rules(self, candidate) -> list[Problem]:
        rep = Reporter(self.filename)
        if self.child is None:
            if self.section != "attributes":
                return []
            validator.Validator(m.Workshop(attributes=[candidate]), rep).attribute_rules()
        else:
            parent = self.parent
            if self.child == "feeds":
                mini = m.System(id=parent.id, name=parent.name, feeds=[candidate])
                validator.Validator(m.Workshop(systems=[mini]), rep).system_rules()
            elif self.child in ("holds", "needs"):
                parent_candidate = self.parent_with(candidate)
                ws = (
                    m.Workshop(systems=[parent_candidate])
                    if self.child == "holds"
                    else m.Workshop(use_cases=[parent_candidate])
                )
                v = validator.Validator(ws, rep)
                v.system_rules() if self.child == "holds" else v.use_case_rules()
        return [Problem(_RULE_FIELD.get(d.code, ""), d.severity, d.message, d.code) for d in rep.items]

    # -- saving ----------------------------------------------------------------------------
    def parent_with(self, candidate):
        """The parent item with ``candidate`` in place of (or after) its nested records."""
        parent = self.parent
        items = list(getattr(parent, self.child))
        if self.child_index is None:
            items.append(candidate)
        else:
            items[self.child_index] = candidate
        return edited(parent, **{self.child: items})

    def changed(self, values: Mapping[str, object]) -> bool:
        """Has anything been typed since the form opened?"""

        def norm(value):
            return "" if value is None else value

        start = self.initial()
        return any(norm(values.get(k)) != norm(start.get(k)) for k in start)
