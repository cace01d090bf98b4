"""Re-entering a whole workshop through the terminal UI, at machine speed, and comparing what was saved.

:func:`plan` turns an intended workshop (tests/data/energy-supplier.yaml) into the bursts of keys a
facilitator would type into ``needsmap open`` on an empty file: every form, picker, feed and quick
note.  Each :class:`Burst` is sent in one go (no pause between its keys); between bursts the driver
waits only for what a person waits for: the form or picker they just closed to be gone, the item
they just selected to be shown.  :func:`differences` compares the saved workshop with the intended one
item for item (ids, every field, needs, holdings, feeds, steps) and says each difference in words.

Used by tests/tui/test_tmux_reentry.py (a part of the workshop) and ``python -m benchmarks.reentry``
(all of it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.opening import open_workshop
from needsmap.tui.formcheck import editable_fields
from tests.tui.tmux_driver import Terminal, is_key

INTENDED = Path(__file__).resolve().parents[1] / "data" / "energy-supplier.yaml"

#: What the open form shows, and only it: its Save button.  (Never a border's title: where a line holds a
#: character whose width the terminal and Textual count differently, the end of the line can be cut.)
FORM_OPEN = "Save  ctrl+s"
#: What an open picker shows: its hint line, as it reads before Enter, and after it (armed).
PICKER_OPEN = ("↑↓ move", "now one key")
#: The frequency question of a new feed (its list of frequencies).
FREQUENCY_OPEN = "realtime · hourly"
#: The filter of a list, when it is empty (its placeholder).
FILTER_EMPTY = "type to filter"
#: The quick note.
NOTE_OPEN = "Quick note"

SCREEN_KEYS = {"stakeholders": "2", "use_cases": "3", "processes": "4", "attributes": "5", "systems": "6"}
SCREEN_TITLES = {
    "stakeholders": "Stakeholders",
    "use_cases": "Use cases",
    "processes": "Processes",
    "attributes": "Attributes",
    "systems": "Systems",
}
#: Column headings of each list that are there at any width (the first to go at 80 columns are left out).
SCREEN_HEADERS = {
    "stakeholders": ("name", "role", "gaps"),
    "use_cases": ("title", "readiness", "gaps"),
    "processes": ("name", "steps", "gaps"),
    "attributes": ("name", "needed", "held"),
    "systems": ("name", "holds", "gaps"),
}
ROLE_KEYS = {"master": "m", "copy": "c", "derived": "d"}
CRIT_KEYS = {"must": "m", "should": "s", "could": "c"}
STEP_KEYS = {"creates": "c", "reads": "r", "updates": "u", "deletes": "x"}
NOTE_KEYS = {"question": "q", "decision": "d", "risk": "r", "idea": "i", "parking": "p"}


@dataclass
class Burst:
    """Keys sent in one go, then what to wait for on the screen before the next burst (and why)."""

    keys: list[str]
    what: str
    ready: Callable[[str], object] = lambda screen: True
    seconds: float = 0.0  # how long it took, until ready


@dataclass
class Plan:
    bursts: list[Burst] = field(default_factory=list)

    def add(self, keys: Iterable[str], what: str, ready: Callable[[str], object]) -> None:
        self.bursts.append(Burst(list(keys), what, ready))


Markers = str | tuple[str, ...]


def _on(screen: str, markers: Markers) -> bool:
    return any(m in screen for m in ((markers,) if isinstance(markers, str) else markers))


def _gone_and_shown(markers: Markers, *shown: str | Callable[[str], bool]) -> Callable[[str], bool]:
    """The form, picker or dialog is closed and the screen shows each of ``shown`` (what it added)."""
    checks = [s if callable(s) else (lambda screen, text=s: text in screen) for s in shown]
    return lambda screen: not _on(screen, markers) and all(check(screen) for check in checks)


def detail_pane(screen: str) -> str:
    """The text of a list screen's detail pane (right of its border ▏), its lines joined, spaces collapsed."""
    lines = [line.rsplit("▏", 1)[1] for line in screen.splitlines() if "▏" in line]
    return " ".join(" ".join(lines).split())


def shows(item: object) -> Callable[[str], bool]:
    """The detail pane is about ``item``: its heading, the item's name then its id (however it wraps: a long
    id is cut anywhere, so spaces are left out of the comparison)."""
    name = getattr(item, "name", None) or getattr(item, "title", None) or ""
    heading = "".join(f"{name}{item.id}".split())  # type: ignore[attr-defined]  # every item has an id
    return lambda screen: "".join(detail_pane(screen).split()).startswith(heading)


def _seen_then_gone(markers: Markers, *shown: Callable[[str], bool]) -> Callable[[str], bool]:
    """The form or picker was on the screen, and is gone now, and the screen shows each of ``shown``."""
    seen = [False]

    def ready(screen: str) -> bool:
        if _on(screen, markers):
            seen[0] = True
            return False
        return seen[0] and all(check(screen) for check in shown)

    return ready


def _count(title: str, n: int) -> Callable[[str], bool]:
    """A nested list of the detail pane says it has ``n`` records, or is below the end of the pane."""
    return lambda screen: f"{title}  {n}" in screen or f"{title}  " not in screen


def _picked(*shown: Callable[[str], bool]) -> Callable[[str], bool]:
    """A picker was open and is closed now, and the screen shows each of ``shown``."""
    return _seen_then_gone(PICKER_OPEN, *shown)


def _feed_added(title: str, shown: str) -> Callable[[str], bool]:
    """The picker of what a new feed carries (``title``) was open, and now every picker and the frequency
    question are closed, and the feeds list shows ``shown`` (its count) where it is on the screen."""
    seen = [False]

    def ready(screen: str) -> bool:
        seen[0] = seen[0] or title in screen
        # (on a small terminal a long list of holdings pushes the feeds below the end of the detail pane)
        counted = shown in screen or "Feeds  " not in screen
        return seen[0] and not _on(screen, (*PICKER_OPEN, FREQUENCY_OPEN)) and counted

    return ready


def _select(value: str) -> list[str]:
    """A list field that has focus: Enter opens it, the text finds the choice, Enter takes it."""
    return ["Enter", value, "Enter"]


# -- the form of one item ------------------------------------------------------------------------------
def _form_keys(record: spec.Record, values: dict[str, object], skip: Iterable[str] = ()) -> list[str]:
    """The keys filling a new item's form: the name first (where the form starts), then Tab from field to
    field; a field that stays empty is only tabbed past.  Ends with ctrl+s."""
    fields = [f for f in editable_fields(record) if f.key != "id"]
    skipped = set(skip)
    keys: list[str] = []
    last = max(
        (i for i, f in enumerate(fields) if f.key not in skipped and values.get(f.key) not in (None, "", [])), default=0
    )
    for i, fld in enumerate(fields[: last + 1]):
        if i:
            keys.append("Tab")
        value = values.get(fld.key)
        if fld.key in skipped or value in (None, "", []):
            continue
        shape = fld.shape
        if isinstance(shape, spec.ListOf):
            keys.append(", ".join(str(v) for v in value))  # type: ignore[union-attr]  # a list
        elif isinstance(shape, spec.Scalar) and shape.kind in ("enum", "bool"):
            keys += _select("true" if value is True else "false" if value is False else str(value))
        elif (
            isinstance(shape, spec.Scalar)
            and shape.kind == "ref"
            and fld.key in ("owner", "function", "system", "channel", "by")
        ):
            keys += _select(str(value))
        else:
            keys.append(str(value))
    keys.append("C-s")
    return keys


def _values(item: object) -> dict[str, object]:
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}  # type: ignore[arg-type]


def _goto(plan: Plan, section: str) -> None:
    title, header = SCREEN_TITLES[section], SCREEN_HEADERS[section]

    def ready(screen: str) -> bool:
        return "Filter" in screen and any(all(word in line for word in header) for line in screen.splitlines())

    plan.add([SCREEN_KEYS[section]], f"the {title} screen", ready)


def _select_item(plan: Plan, item: object) -> None:
    """Select an item with the filter: /, its id, Enter (the top match is selected; Escape clears the filter
    later); ready when the detail pane shows it."""
    ident = item.id  # type: ignore[attr-defined]  # every item has an id
    plan.add(["/", ident, "Enter"], f"{ident} selected", shows(item))


def plan(ws: m.Workshop, *, only: Callable[[str, str], bool] = lambda section, ident: True) -> Plan:
    """The bursts that type ``ws`` into an empty workshop; ``only(section, id)`` keeps a part of it.

    (A use case's needs, a system's holdings and feeds and a process's steps are typed only where
    their item is kept, and only for attributes that are kept.)
    """
    p = Plan()
    people = [s for s in ws.stakeholders if only("stakeholders", s.id)]
    attributes = [a for a in ws.attributes if only("attributes", a.id)]
    kept_attrs = {a.id for a in attributes}
    systems = [s for s in ws.systems if only("systems", s.id)]
    kept_systems = {s.id for s in systems}
    names = {a.id: a.name for a in ws.attributes}
    system_names = {s.id: s.name for s in ws.systems}

    _goto(p, "stakeholders")
    rec = spec.ITEM_RECORDS["stakeholders"]
    for s in people:
        p.add(["a", *_form_keys(rec, _values(s))], f"stakeholder {s.id}", _gone_and_shown(FORM_OPEN, shows(s)))

    _goto(p, "attributes")
    rec = spec.ITEM_RECORDS["attributes"]
    for a in attributes:
        p.add(["a", *_form_keys(rec, _values(a))], f"attribute {a.id}", _gone_and_shown(FORM_OPEN, shows(a)))

    _goto(p, "systems")
    rec = spec.ITEM_RECORDS["systems"]
    for sy in systems:
        p.add(["a", *_form_keys(rec, _values(sy))], f"system {sy.id}", _gone_and_shown(FORM_OPEN, shows(sy)))
        holds = [h for h in sy.holds if h.attribute in kept_attrs]
        if holds:
            keys = ["h"]
            for h in holds:
                keys += [names[h.attribute], "Enter", ROLE_KEYS[h.role or "copy"]]
            p.add(
                [*keys, "Escape"],
                f"the holdings of {sy.id}",
                _picked(shows(sy), _count("Holds", len(holds))),
            )
    for sy in systems:
        count = 0
        for feed in sy.feeds:
            if feed.to not in kept_systems:
                continue
            count += 1
            _select_item(p, sy)
            keys = ["f", system_names[feed.to], "Enter", feed.frequency or "", "Enter"]
            for attr in feed.attributes:
                if attr in kept_attrs:
                    keys += [names[attr], "Enter"]
            p.add(
                [*keys, "Escape"],
                f"the feed {sy.id} -> {feed.to}",
                _feed_added(f"What the feed {sy.id} ", f"Feeds  {count}"),
            )
            p.add(["Escape"], "the filter cleared", lambda s: FILTER_EMPTY in s)

    _goto(p, "use_cases")
    rec = spec.ITEM_RECORDS["use_cases"]
    for uc in ws.use_cases:
        if not only("use_cases", uc.id):
            continue
        values = _values(uc)
        values["executes_in"] = [x for x in uc.executes_in if x in kept_systems]
        # the function follows the owner: typed only where it is another one
        owner = next((s for s in ws.stakeholders if s.id == uc.owner), None)
        skip = ["function"] if owner is not None and owner.function == uc.function else []
        p.add(["a", *_form_keys(rec, values, skip)], f"use case {uc.id}", _gone_and_shown(FORM_OPEN, shows(uc)))
        needs = [n for n in uc.needs if n.attribute in kept_attrs]
        if needs:
            keys = ["l"]
            for n in needs:
                keys += [names[n.attribute], "Enter", CRIT_KEYS[n.criticality or "must"]]
            p.add(
                [*keys, "Escape"],
                f"the needs of {uc.id}",
                _picked(shows(uc), _count("Needs", len(needs))),
            )

    _goto(p, "processes")
    rec = spec.ITEM_RECORDS["processes"]
    steps_rec = spec.ITEM_RECORDS["processes"].by_key["steps"].shape.item  # type: ignore[union-attr]
    for pr in ws.processes:
        if not only("processes", pr.id):
            continue
        p.add(["a", *_form_keys(rec, _values(pr))], f"process {pr.id}", _gone_and_shown(FORM_OPEN, shows(pr)))
        added = 0
        for n, step in enumerate(pr.steps, 1):
            if step.system is not None and step.system not in kept_systems:
                continue
            added += 1
            p.add(
                ["t", *_form_keys(steps_rec, _values(step), skip=[*STEP_KEYS])],
                f"step {n} of {pr.id}",
                _seen_then_gone(FORM_OPEN, shows(pr), _count("Steps", added)),
            )
            keys = ["l"]
            for action, key in STEP_KEYS.items():
                for attr in getattr(step, action):
                    if attr in kept_attrs:
                        keys += [names[attr], "Enter", key]
            if len(keys) > 1:
                p.add([*keys, "Escape"], f"what step {n} of {pr.id} does", _seen_then_gone(PICKER_OPEN))

    for note in ws.notes:
        [about] = note.about
        section = next(
            s
            for s in ("attributes", "use_cases", "systems", "stakeholders", "processes")
            if any(i.id == about for i in ws.section(s))
        )
        if not only(section, about):
            continue
        item = next(i for i in ws.section(section) if i.id == about)
        _goto(p, section)
        _select_item(p, item)
        p.add(
            ["n", NOTE_KEYS[note.kind], note.text, "Enter"],
            f"note {note.id}",
            _seen_then_gone(NOTE_OPEN),
        )
        p.add(["Escape"], "the filter cleared", lambda s: FILTER_EMPTY in s)
    return p


def key_count(keys: Iterable[str]) -> int:
    """How many keys a burst is (a key name is one, text one a character)."""
    return sum(1 if is_key(k) else len(k) for k in keys)


def run_plan(
    term: Terminal, p: Plan, *, timeout: float = 20.0, per_key: float = 0.25, log: Callable[[str], None] | None = None
) -> None:
    """Send every burst, waiting after each for what it says (up to ``timeout`` and ``per_key`` seconds for
    each of its keys: a loaded machine is slow, never wrong); records each burst's seconds."""
    for burst in p.bursts:
        t0 = time.monotonic()
        term.send(*[k for k in burst.keys if k != ""])
        term.wait_for(burst.ready, burst.what, timeout + per_key * key_count(burst.keys))
        burst.seconds = time.monotonic() - t0
        if log is not None:
            log(f"{burst.seconds:6.2f} s  {burst.what}")


# -- comparing -----------------------------------------------------------------------------------------
SECTIONS = ("stakeholders", "attributes", "systems", "use_cases", "processes", "notes")


def _kept(ws: m.Workshop, only: Callable[[str, str], bool]) -> dict[str, dict[str, object]]:
    kept = {s: {i.id: i for i in ws.section(s) if only(s, i.id)} for s in SECTIONS if s != "notes"}
    ids = {i for items in kept.values() for i in items}
    kept["notes"] = {n.id: n for n in ws.notes if set(n.about) <= ids}
    return kept


def differences(
    saved: m.Workshop, intended: m.Workshop, *, only: Callable[[str, str], bool] = lambda s, i: True
) -> list[str]:
    """Every way ``saved`` differs from ``intended`` (the items ``only`` keeps), in words; [] when equal.

    Items are matched by id; every field is compared, nested records (needs, holdings, feeds, steps)
    in order, and each with the fields of the record.
    """
    out: list[str] = []
    want, got = _kept(intended, only), _kept(saved, only)
    kept_attrs = set(want["attributes"])
    kept_systems = set(want["systems"])
    for section in SECTIONS:
        for ident in want[section].keys() - got[section].keys():
            out.append(f"{section}: {ident} is missing")
        for ident in got[section].keys() - want[section].keys():
            out.append(f"{section}: {ident} was not intended")
        for ident in want[section].keys() & got[section].keys():
            a, b = want[section][ident], got[section][ident]
            for f in dataclasses.fields(a):  # type: ignore[arg-type]
                if not f.compare:
                    continue  # where the item sits in its file
                x, y = getattr(a, f.name), getattr(b, f.name)
                x = _only_kept(f.name, x, kept_attrs, kept_systems)
                if x != y:
                    out += _explain(f"{section}: {ident}.{f.name}", x, y)
    return out


def _only_kept(name: str, value: object, attrs: set[str], systems: set[str]) -> object:
    """An intended nested list without the records of items left out of a partial re-entry."""
    if name in ("needs", "holds") and isinstance(value, list):
        return [v for v in value if v.attribute in attrs]
    if name == "feeds" and isinstance(value, list):
        return [
            dataclasses.replace(v, attributes=[a for a in v.attributes if a in attrs]) for v in value if v.to in systems
        ]
    if name == "executes_in" and isinstance(value, list):
        return [v for v in value if v in systems]
    if name == "steps" and isinstance(value, list):
        return [
            dataclasses.replace(st, **{k: [a for a in getattr(st, k) if a in attrs] for k in STEP_KEYS})
            for st in value
            if st.system is None or st.system in systems
        ]
    return value


def _explain(where: str, want: object, got: object) -> list[str]:
    if isinstance(want, list) and isinstance(got, list) and want and dataclasses.is_dataclass(want[0]):
        out = []
        if len(want) != len(got):
            out.append(f"{where}: {len(got)} records, {len(want)} intended")
        for n, (x, y) in enumerate(zip(want, got)):
            for f in dataclasses.fields(x):
                if f.compare and getattr(x, f.name) != getattr(y, f.name):
                    out.append(f"{where}[{n}].{f.name}: {getattr(y, f.name)!r}, intended {getattr(x, f.name)!r}")
        return out or [f"{where}: {got!r}, intended {want!r}"]
    return [f"{where}: {got!r}, intended {want!r}"]


def load(path: Path) -> m.Workshop:
    result = open_workshop(path)
    return result.workshop
