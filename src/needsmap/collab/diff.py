"""What changed between two versions of a workshop: items by section and id, field by field.

:func:`diff_workshops` walks both versions guided by :mod:`needsmap.format.spec`, so
every top-level section is covered, including sections added later:

* sections of items (stakeholders, use cases...): items added, removed and
  changed, matched by id (see :mod:`needsmap.collab.item_identity`); a changed item
  lists its changed fields, and inside lists of records (holdings, needs,
  feeds, steps) the element added, removed or changed (``holds[email].quality``);
* sections that are one record (``workshop``, ``settings``): changed fields;
* sections that are lists of names (``functions``, ``channels``): names added
  and removed (an absent list counts as its documented default);
* the format version.

Moving items around changes nothing here: order is not meaning.

:func:`compare` adds what the change did to the analysis
(:mod:`needsmap.analysis.engine`): gaps opened and closed (matched by
:attr:`needsmap.analysis.engine.Gap.key`), gaps whose severity changed, and use
cases whose readiness changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from needsmap.analysis.engine import SEVERITY_ORDER, Analysis, Gap, analyse
from needsmap.collab.item_identity import blank_value, keyed, section_default
from needsmap.format import model as m
from needsmap.format import spec

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an item: ``old``/``new`` are model values, None when not stated (or not there).

    ``path`` is the field (``value``), a field of an element of a list of
    records (``holds[email].quality``), or such an element as a whole
    (``holds[email]``, added or removed).
    """

    path: str
    old: object
    new: object

    @property
    def change(self) -> str:
        return ADDED if self.old is None else REMOVED if self.new is None else CHANGED


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An item (or a name, or a one-record section) that was added, removed or changed.

    ``id`` is None for a section that is one record or one value; ``old`` and
    ``new`` are the item itself (None on the side where it is absent).
    """

    section: str
    id: str | None
    change: str  # added | removed | changed
    fields: tuple[FieldChange, ...] = ()
    old: object = None
    new: object = None


@dataclass(slots=True)
class WorkshopDiff:
    changes: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def by_section(self) -> dict[str, list[ItemChange]]:
        out: dict[str, list[ItemChange]] = {}
        for c in self.changes:
            out.setdefault(c.section, []).append(c)
        return out

    def counts(self) -> dict[str, int]:
        counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for c in self.changes:
            counts[c.change] += 1
        return counts


def record_changes(old, new, rec: spec.Record, prefix: str = "") -> list[FieldChange]:
    """The fields of one record that differ between ``old`` and ``new`` (either may be None)."""
    out: list[FieldChange] = []
    for fld in rec.fields:
        o = getattr(old, fld.attr) if old is not None else None
        n = getattr(new, fld.attr) if new is not None else None
        if o == n or (_empty(o) and _empty(n) and isinstance(fld.shape, spec.ListOf) and _empty_means_absent(rec, fld)):
            continue
        shape = fld.shape
        path = prefix + fld.key
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            olds, news = keyed(o or [], shape.item), keyed(n or [], shape.item)
            if olds is None or news is None:
                out.append(FieldChange(path, o or None, n or None))
                continue
            for key, item in olds.items():
                if key not in news:
                    out.append(FieldChange(f"{path}[{key}]", item, None))
            for key, item in news.items():
                if key not in olds:
                    out.append(FieldChange(f"{path}[{key}]", None, item))
                elif olds[key] != item:
                    out.extend(record_changes(olds[key], item, shape.item, f"{path}[{key}]."))
        elif isinstance(shape, spec.Record):
            out.extend(record_changes(o, n, shape, path + "."))
        elif isinstance(shape, spec.ListOf):
            out.append(
                FieldChange(path, o if o else None, n if n else None)
                if _empty_means_absent(rec, fld)
                else FieldChange(path, o, n)
            )
        else:
            out.append(FieldChange(path, o, n))
    return out


def _empty(value) -> bool:
    return value is None or value == []


def _empty_means_absent(rec: spec.Record, fld: spec.Field) -> bool:
    """An empty list and no list mean the same, except where absence means "the default"."""
    return blank_value(rec, fld.attr) is not None


def diff_workshops(old: m.Workshop, new: m.Workshop) -> WorkshopDiff:
    """Every item-level change from ``old`` to ``new``, in file order of sections."""
    out: list[ItemChange] = []
    for fld in spec.WORKSHOP.fields:
        o, n = getattr(old, fld.attr), getattr(new, fld.attr)
        shape = fld.shape
        if isinstance(shape, spec.ListOf) and isinstance(shape.item, spec.Record):
            out.extend(_item_section(fld.key, o or [], n or [], shape.item))
        elif isinstance(shape, spec.ListOf):
            default = section_default(fld)
            o = default if o is None and default is not None else o or []
            n = default if n is None and default is not None else n or []
            names_old, names_new = set(map(str, o)), set(map(str, n))
            out.extend(ItemChange(fld.key, str(v), REMOVED, old=v) for v in o if str(v) not in names_new)
            out.extend(ItemChange(fld.key, str(v), ADDED, new=v) for v in n if str(v) not in names_old)
        elif isinstance(shape, spec.Record):
            if o == n:
                continue
            changes = record_changes(o, n, shape)
            if changes:
                kind = ADDED if o is None else REMOVED if n is None else CHANGED
                out.append(ItemChange(fld.key, None, kind, tuple(changes), o, n))
        elif o != n:
            out.append(ItemChange(fld.key, None, CHANGED, (FieldChange(fld.key, o, n),), o, n))
    return WorkshopDiff(out)


def _item_section(section: str, old: list, new: list, rec: spec.Record) -> list[ItemChange]:
    olds, news = keyed(old, rec), keyed(new, rec)
    if olds is None or news is None:  # no usable ids (only in invalid files): compare elements as wholes
        olds = {f"#{i + 1}": item for i, item in enumerate(old) if item not in new}
        news = {f"#{i + 1}": item for i, item in enumerate(new) if item not in old}
        return [ItemChange(section, k, REMOVED, old=v) for k, v in olds.items()] + [
            ItemChange(section, k, ADDED, new=v) for k, v in news.items()
        ]
    out = [ItemChange(section, key, REMOVED, old=item) for key, item in olds.items() if key not in news]
    for key, item in news.items():
        before = olds.get(key)
        if before is None:
            out.append(ItemChange(section, key, ADDED, new=item))
        elif before != item:
            changes = record_changes(before, item, rec)
            if changes:
                out.append(ItemChange(section, key, CHANGED, tuple(changes), before, item))
    return out


# -- what it did to the analysis ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReadinessChange:
    """``old``/``new``: ready | at-risk | blocked | rejected, or None where the use case does not exist."""

    use_case: str
    title: str
    old: str | None
    new: str | None


@dataclass(slots=True)
class AnalysisDiff:
    opened: list[Gap]
    closed: list[Gap]
    severity_changed: list[tuple[Gap, Gap]]  # (old, new)
    readiness: list[ReadinessChange]
    counts_old: dict[str, int]
    counts_new: dict[str, int]
    readiness_old: dict[str, int]
    readiness_new: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.opened or self.closed or self.severity_changed or self.readiness)


def _impact_order(g: Gap) -> tuple:
    return (SEVERITY_ORDER[g.severity], -g.impact, g.rule, g.subjects)


def _status(ws: m.Workshop, analysis: Analysis, uc_id: str) -> str | None:
    r = analysis.readiness.get(uc_id)
    if r is not None:
        return r.status
    return "rejected" if any(u.id == uc_id for u in ws.use_cases) else None


def diff_analyses(old_ws: m.Workshop, old: Analysis, new_ws: m.Workshop, new: Analysis) -> AnalysisDiff:
    before = {g.key: g for g in old.gaps}
    after = {g.key: g for g in new.gaps}
    opened = sorted((g for k, g in after.items() if k not in before), key=_impact_order)
    closed = sorted((g for k, g in before.items() if k not in after), key=_impact_order)
    severity = sorted(
        ((before[k], g) for k, g in after.items() if k in before and before[k].severity != g.severity),
        key=lambda pair: _impact_order(pair[1]),
    )
    titles = {u.id: u.title for u in old_ws.use_cases} | {u.id: u.title for u in new_ws.use_cases}
    ids = list(dict.fromkeys([*(u.id for u in new_ws.use_cases), *(u.id for u in old_ws.use_cases)]))
    readiness = []
    for uc in ids:
        was, now = _status(old_ws, old, uc), _status(new_ws, new, uc)
        if was != now:
            readiness.append(ReadinessChange(uc, titles.get(uc, ""), was, now))
    return AnalysisDiff(
        opened, closed, severity, readiness, old.counts(), new.counts(), old.readiness_counts(), new.readiness_counts()
    )


@dataclass(slots=True)
class Changes:
    """Everything ``needsmap diff`` shows: the edits and what they did to the analysis."""

    old_label: str
    new_label: str
    items: WorkshopDiff
    analysis: AnalysisDiff

    def __bool__(self) -> bool:
        return bool(self.items) or bool(self.analysis)


def compare(old: m.Workshop, new: m.Workshop, old_label: str = "old", new_label: str = "new") -> Changes:
    return Changes(old_label, new_label, diff_workshops(old, new), diff_analyses(old, analyse(old), new, analyse(new)))
