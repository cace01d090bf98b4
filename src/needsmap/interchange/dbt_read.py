"""Reading dbt sources back into a workshop: ``needsmap import dbt FILE|PROJECT_FOLDER WORKSHOP``.

A file is read when it has ``sources:``; a folder is searched for such files (``target/``,
``dbt_packages/``, ``logs/`` and hidden folders are left out). What comes back, as a plan
(:mod:`needsmap.imports.plan`) that only fills what the workshop leaves empty:

* a source is a system: by ``meta.needsmap_id`` first, then by its name; one that matches none is
  a new system. ``meta.owner`` (a person's name) is its owner; a name no stakeholder has is a new
  stakeholder. ``meta.name``, ``kind`` and ``supplier`` are compared too.
* a column is a holding of that system: the attribute by ``meta.needsmap_id`` first, then by the
  column matcher on the column's and table's names (a confident match is proposed with its
  confidence, a near one is left for a person). The field is ``meta.field`` while the table and
  column keep the names the export gave it, else ``table.column`` as the file has them now.
  ``role``, ``quality``, ``freshness`` and ``coverage`` in ``meta`` are the holding's.
* a column's ``description`` is the system's own definition when the holding has one, else the
  attribute's definition; ``meta.owner`` is the attribute's owner.
* a table's ``freshness`` is compared with what the use cases need of what it holds (the export's
  rule); a difference is left for a person: needs are never changed by an import.

Bad input gets a located message (``FILE:LINE:COL: ...``), never a traceback.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from needsmap.format import model as m
from needsmap.format.naming import item_name, name_key
from needsmap.imports.column_evidence import confidence_text
from needsmap.imports.plan import ImportPlan, PlanBuilder, Source
from needsmap.interchange.base import (
    ID_KEY,
    KIND_KEY,
    MAX_IMPORT_BYTES,
    SAFE_LOADER,
    LocatedValues,
    ReadError,
    read_import_text,
)
from needsmap.interchange.dbt_names import (
    SEED,
    freshness_thresholds,
    plain_text,
    same_name,
    split_field,
    threshold_hours,
    uncell,
)

if TYPE_CHECKING:
    from needsmap.imports.column_match import ColumnMatcher

#: Folders of a dbt project that hold no sources of the project's own.
SKIPPED_FOLDERS = frozenset({"target", "dbt_packages", "dbt_modules", "logs", "node_modules", "__pycache__"})
#: Most YAML files a folder import reads.
MAX_FILES = 10_000
#: Most columns an import reads (YAML aliases can repeat a list without repeating its bytes).
MAX_COLUMNS = 1_000_000
#: A column matched by name at or above this confidence is proposed; below, down to
#: :data:`NEAR_CONFIDENCE`, a person decides (the schema import's thresholds).
ACCEPT_CONFIDENCE = 0.9
NEAR_CONFIDENCE = 0.75


# ----------------------------------------------------------------------------- YAML with positions
class _Map(dict[Any, Any]):
    """A mapping read from YAML, with where it starts and where each key's value starts (line, column)."""

    at: tuple[int, int]
    value_at: dict[Any, tuple[int, int]]


class _List(list[Any]):
    at: tuple[int, int]


#: Keys whose values' positions are kept even when they are plain values (an error names where they are).
_LOCATED_KEYS = frozenset({"sources", "tables", "columns", "config", "meta", "freshness"})


class _Loader(LocatedValues, SAFE_LOADER):
    """The safe loader, keeping where each mapping and list sits."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # the same keys thousands of times: the implicit tag of a plain value, worked out once
        if kind is yaml.ScalarNode:
            key = (value, implicit)
            tag = _RESOLVED.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(_RESOLVED) < 100_000:  # keys and short values, not descriptions
                    _RESOLVED[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[_Map]:
    out = _Map()
    out.at = _mark(node)
    out.value_at = {}
    yield out
    out.update(loader.construct_mapping(node))  # merges ``<<`` keys into node.value first
    for key_node, value_node in node.value:
        if not isinstance(value_node, yaml.ScalarNode) or key_node.value in _LOCATED_KEYS:
            out.value_at[loader.construct_object(key_node)] = _mark(value_node)


def _construct_list(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Iterator[_List]:
    out = _List()
    out.at = _mark(node)
    yield out
    out.extend(loader.construct_sequence(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


@dataclass
class _File:
    path: Path
    shown: str  # the file as messages name it

    def at(self, where: tuple[int, int] | None) -> str:
        return f"{self.shown}:{where[0]}:{where[1]}" if where else self.shown

    def source(self, where: tuple[int, int] | None) -> Source:
        return Source(self.shown, row=where[0] if where else None)


def _load(file: _File, text: str) -> object:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader/SafeLoader) with marks
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "not YAML"
        raise ReadError(f"{file.at(where)}: {problem}: fix the YAML") from exc
    except yaml.YAMLError as exc:
        raise ReadError(f"{file.shown}: not YAML ({exc})") from exc


def _files(path: Path) -> list[_File]:
    """The YAML files to read: the file given, or those of the folder (sorted, bounded)."""
    if not path.is_dir():
        return [_File(path, str(path))]
    found: list[_File] = []
    total = 0
    for folder, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in sorted(names):
            if name != f"{SEED}.csv" and (
                not name.endswith((".yml", ".yaml")) or name in ("dbt_project.yml", "profiles.yml", "packages.yml")
            ):
                continue
            file = Path(folder) / name
            try:
                total += file.stat().st_size
            except OSError:
                continue
            if len(found) >= MAX_FILES or total > MAX_IMPORT_BYTES:
                raise ReadError(
                    f"{path}: more than {MAX_FILES:,} YAML files or {MAX_IMPORT_BYTES:,} bytes: give the sources "
                    "folder (models/sources) or one file"
                )
            found.append(_File(file, str(file)))
    return found


def _stated_freshness(node: _Map) -> tuple[object, tuple[int, int] | None]:
    """(the freshness a source or table states itself, where), config's first; (None, None) when it states none."""
    config = node.get("config")
    if isinstance(config, _Map) and "freshness" in config:
        return config["freshness"], config.value_at.get("freshness", node.at)
    if "freshness" in node:
        return node["freshness"], node.value_at.get("freshness", node.at)
    return None, None


def _at(item: object, within: object) -> tuple[int, int] | None:
    """Where a list's item is: its own position when it is a mapping or list, else the list's."""
    return getattr(item, "at", None) or getattr(within, "at", None)


def _meta(node: _Map) -> dict[Any, Any]:
    """``meta`` and ``config.meta`` of a source, table or column (config's wins, as in dbt)."""
    out: dict[Any, Any] = {}
    top = node.get("meta")
    if isinstance(top, dict):
        out.update(top)
    config = node.get("config")
    if isinstance(config, dict) and isinstance(config.get("meta"), dict):
        out.update(config["meta"])
    return out


def _text(value: object) -> str | None:
    """A text value of the file, with the export's Jinja escapes undone; None when empty or not text."""
    if not isinstance(value, str) or not value.strip():
        return None
    return plain_text(value)


def _expect(file: _File, node: object, kind: type, what: str, where: tuple[int, int] | None) -> None:
    if not isinstance(node, kind):
        shape = "a list" if kind is list else "a mapping (name: ..., ...)"
        raise ReadError(f"{file.at(where)}: {what} must be {shape}: fix the file as dbt documents it")


# ----------------------------------------------------------------------------- the plan
class _Reader:
    def __init__(self, ws: m.Workshop, source: str) -> None:
        self.ws = ws
        self.builder = PlanBuilder(ws, source)
        self._matcher: ColumnMatcher | None = None
        self.columns_read = 0
        self._holdings: dict[str, dict[str, m.Holding]] = {}
        self.source_freshness: tuple[object, tuple[int, int] | None] = (None, None)  # of the source being read
        self.needs: dict[str, list[tuple[str, str]]] = {}  # attribute -> (use case name, freshness)
        for uc in ws.use_cases:
            for need in uc.needs:
                self.needs.setdefault(need.attribute, []).append((item_name(uc), need.effective_freshness))

    def holdings(self, system_id: str) -> dict[str, m.Holding]:
        """attribute id -> the system's holding of it (the workshop's; none for a system the plan adds)."""
        found = self._holdings.get(system_id)
        if found is None:
            system = self.builder.existing("systems", system_id)
            found = self._holdings[system_id] = {h.attribute: h for h in system.holds} if system else {}
        return found

    @property
    def matcher(self) -> ColumnMatcher:
        if self._matcher is None:
            from needsmap.imports.column_match import ColumnMatcher

            self._matcher = ColumnMatcher.for_workshop(self.ws)
        return self._matcher

    # people ---------------------------------------------------------------------------
    def person(self, text: object, current: str | None, file: _File, where: tuple[int, int] | None) -> str | None:
        """The stakeholder id ``text`` names (the current owner when it names them); a new stakeholder when none."""
        name = _text(text)
        if name is None:
            return None
        name = " ".join(name.split())
        if current is not None:
            person = self.builder.existing("stakeholders", current)
            if name == current or (person is not None and name_key(item_name(person)) == name_key(name)):
                return current
        match = self.builder.lookup("stakeholders", name)
        if match.ident is not None:
            return match.ident
        if match.candidates:
            self.builder.ambiguous(
                "stakeholders", name, name, file.source(where), f"owner {name!r}: which stakeholder?", match.candidates
            )
            return None
        ident = self.builder.new_id("stakeholders", name)
        self.builder.add("stakeholders", m.Stakeholder(ident, name), file.source(where), message="an owner in dbt")
        return ident

    # the attribute dictionary -------------------------------------------------------
    def seed(self, file: _File, text: str) -> None:
        """The seed of every attribute: definitions and owners, by needsmap id, else by name."""
        rows = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(rows, None)
            if header is None or "needsmap_id" not in header:
                raise ReadError(f"{file.at((1, 1))}: no needsmap_id column: give the {SEED}.csv needsmap wrote")
            column = {name: i for i, name in enumerate(header)}
            for row in rows:
                self.seed_row(file, rows.line_num, {k: uncell(row[i]) for k, i in column.items() if i < len(row)})
        except csv.Error as exc:
            raise ReadError(f"{file.shown}:{rows.line_num}:1: not CSV ({exc}): fix the file") from exc

    def seed_row(self, file: _File, line: int, row: dict[str, str]) -> None:
        src = file.source((line, 1))
        ident, name = row.get("needsmap_id", "").strip(), row.get("name", "").strip()
        attr = self.builder.existing("attributes", ident) if ident else None
        if attr is None and name:
            match = self.builder.find("attributes", name=name)
            attr = self.builder.existing("attributes", match.ident) if match.ident else None
        if attr is None:
            self.builder.skip(src, f"{ident or name}: no such attribute in the workshop", "attributes", ident or name)
            return
        owner = self.person(row.get("owner"), attr.owner, file, (line, 1))
        incoming = m.Attribute(attr.id, definition=_text(row.get("definition")), owner=owner)
        self.builder.merge("attributes", attr, incoming, src)

    # sources --------------------------------------------------------------------------
    def source(self, file: _File, node: object, where: tuple[int, int] | None) -> None:
        _expect(file, node, dict, "a source", where)
        assert isinstance(node, _Map)
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ReadError(f"{file.at(node.at)}: a source needs a name: add `name:`")
        meta = _meta(node)
        system_id = self.system(file, node, name, meta)
        if system_id is None:
            return
        tables = node.get("tables", [])
        if tables is None:
            return
        _expect(file, tables, list, f"source {name!r}: tables", node.value_at.get("tables", node.at))
        self.source_freshness = _stated_freshness(node)
        for table in tables:
            self.table(file, table, _at(table, tables), system_id)

    def system(self, file: _File, node: _Map, name: str, meta: dict[Any, Any]) -> str | None:
        where = node.at
        ident = meta.get(ID_KEY)
        kind = meta.get(KIND_KEY, "system")
        existing = None
        if isinstance(ident, str) and kind == "system":
            existing = self.builder.existing("systems", ident)
        shown = _text(meta.get("name"))
        if existing is None:
            match = self.builder.lookup("systems", shown or name)
            if match.ident is None and shown:
                match = self.builder.lookup("systems", name)
            if match.ident is not None:
                existing = self.builder.existing("systems", match.ident)
            elif match.candidates:
                self.builder.ambiguous(
                    "systems", name, shown or name, file.source(where), f"source {name!r}: which system?",
                    match.candidates,
                )  # fmt: skip
                return None
        owner = self.person(meta.get("owner"), existing.owner if existing else None, file, node.value_at.get("meta"))
        incoming = m.System(
            id=existing.id if existing else self.builder.new_id("systems", shown or name),
            name=shown or ("" if existing else name),
            kind=_text(meta.get("kind")),
            supplier=_text(meta.get("supplier")),
            owner=owner,
        )
        if existing is None:
            self.builder.add("systems", incoming, file.source(where), message=f"dbt source {name}")
        else:
            # compared without its holdings and feeds (the columns bring holdings one by one; merge_fields
            # cannot index feeds): only the system's own fields are merged here
            bare = dataclasses.replace(existing, holds=[], feeds=[])
            self.builder.merge("systems", bare, incoming, file.source(where))
        return incoming.id

    # tables ---------------------------------------------------------------------------
    def table(self, file: _File, node: object, where: tuple[int, int] | None, system_id: str) -> None:
        _expect(file, node, dict, "a table", where)
        assert isinstance(node, _Map)
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ReadError(f"{file.at(node.at)}: a table needs a name: add `name:`")
        meta = _meta(node)
        identifier = node.get("identifier")
        part: str | None = identifier if isinstance(identifier, str) and identifier.strip() else name
        ours = meta.get(KIND_KEY) == "table" and isinstance(meta.get(ID_KEY), str)
        if ours:
            exported = meta[ID_KEY] or None
            if exported is None:
                part = None  # the export's table of holdings without a table
            elif same_name(name, exported):
                part = exported
        columns = node.get("columns", [])
        attributes: list[str] = []
        if columns:
            _expect(file, columns, list, f"table {name!r}: columns", node.value_at.get("columns", node.at))
            self.columns_read += len(columns)
            if self.columns_read > MAX_COLUMNS:
                raise ReadError(f"{file.at(node.at)}: more than {MAX_COLUMNS:,} columns: import fewer sources")
            for column in columns:
                attr = self.column(file, column, _at(column, columns), system_id, name, part)
                if attr is not None:
                    attributes.append(attr)
        self.freshness(file, node, name, attributes, ours, system_id)

    def freshness(self, file: _File, node: _Map, name: str, attributes: list[str], ours: bool, system_id: str) -> None:
        """A table's freshness against what the use cases need of what it holds: a difference is for a person."""
        stated, where = _stated_freshness(node)
        if where is None:  # none of its own: the source's, as dbt inherits it
            stated, where = self.source_freshness
        where = where or node.at
        needed, by = "unknown", []
        rank = len(m.FRESHNESS_RANK)
        for attr in attributes:
            for _, fresh in self.needs.get(attr, ()):
                r = m.FRESHNESS_RANK.get(fresh)
                if r is not None and r < rank:
                    needed, rank = fresh, r
        if needed != "unknown":
            by = sorted({uc for attr in attributes for uc, fresh in self.needs.get(attr, ()) if fresh == needed})
        expected = freshness_thresholds(needed)
        if not isinstance(stated, dict) and not ours:
            return  # a table needsmap did not write, without a freshness: nothing to compare
        warn = threshold_hours(stated.get("warn_after")) if isinstance(stated, dict) else None
        error = threshold_hours(stated.get("error_after")) if isinstance(stated, dict) else None
        want_warn = threshold_hours(expected["warn_after"]) if expected else None
        want_error = threshold_hours(expected["error_after"]) if expected else None
        if (warn, error) == (want_warn, want_error):
            return
        says = _hours_text(warn, error)
        need = (
            f"the use cases need it {needed} ({', '.join(by)}): warn after {_hours(want_warn)}, "
            f"error after {_hours(want_error)}"
            if expected
            else "no use case needs a freshness of what it holds"
        )
        self.builder.ambiguous(
            "use_cases",
            f"{system_id}/{name}",
            f"freshness of {name}",
            file.source(where),
            f"dbt says {says}; {need}: if a use case's need changed, change it in the workshop (an import never "
            "changes needs)",
            by,
        )

    # columns --------------------------------------------------------------------------
    def column(
        self, file: _File, node: object, where: tuple[int, int] | None, system_id: str, table: str, part: str | None
    ) -> str | None:
        _expect(file, node, dict, "a column", where)
        assert isinstance(node, _Map)
        name = node.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ReadError(f"{file.at(node.at)}: a column needs a name: add `name:`")
        src = file.source(node.at)
        meta = _meta(node)
        attr_id, confidence, reason = self.attribute_of(meta, name, part or table, node.get("data_type"), src)
        if attr_id is None:
            return None
        existing = self.holdings(system_id).get(attr_id)
        holding = m.Holding(
            attribute=attr_id,
            field=self.field_of(meta, name, table, part),
            role=_choice(meta.get("role"), m.ROLES, existing.effective_role if existing else None, existing),
            quality=_quality(meta.get("quality")),
            freshness=_choice(meta.get("freshness"), m.FRESHNESS, "unknown", existing),
            coverage=_coverage(meta.get("coverage")),
        )
        description = _text(node.get("description"))
        attr = self.builder.existing("attributes", attr_id)
        if description is not None and existing is not None and existing.definition:
            holding.definition = description
            description = None
        self.builder.propose_holding(
            system_id,
            holding,
            src,
            confidence=confidence,
            reason=reason,
            label=f"{system_id} holds {attr_id} ({table}.{name})",
        )
        owner = self.person(meta.get("owner"), attr.owner if attr else None, file, node.value_at.get("meta"))
        if attr is not None and (description is not None or owner is not None):
            incoming = m.Attribute(attr_id, definition=description, owner=owner)
            self.builder.merge("attributes", attr, incoming, src)
        return attr_id

    def attribute_of(
        self, meta: dict[Any, Any], column: str, table: str, data_type: object, src: Source
    ) -> tuple[str | None, float, str]:
        """(attribute id, confidence, why): by needsmap id, else by the column matcher; None when neither is sure."""
        ident = meta.get(ID_KEY)
        if isinstance(ident, str) and meta.get(KIND_KEY, "attribute") == "attribute":
            if self.builder.existing("attributes", ident) is not None:
                return ident, 1.0, "needsmap id"
        from needsmap.imports.column_match import why_not_an_attribute

        label = f"{table}.{column}"
        why_not = why_not_an_attribute(column, table)
        if why_not:
            self.builder.skip(src, f"{label}: {why_not}", "holdings", label)
            return None, 0.0, ""
        sql_type = data_type if isinstance(data_type, str) else None
        found = self.matcher.match(column, table=table, sql_type=sql_type, limit=3)
        ours = [c for c in found if c.source == "workshop"]
        if ours and ours[0].confidence >= ACCEPT_CONFIDENCE and (not found or found[0] is ours[0]):
            return ours[0].attribute, ours[0].confidence, ours[0].reason
        if found and found[0].confidence >= NEAR_CONFIDENCE:
            best = found[0]
            where = "the reference catalog (add the attribute first)" if best.source == "catalog" else "the workshop"
            self.builder.ambiguous(
                "holdings",
                label,
                label,
                src,
                f"{label} reads as {best.name} ({confidence_text(best.confidence)}, from {where}): {best.reason}",
                [c.attribute for c in found],
            )
        else:
            self.builder.skip(src, f"{label}: no attribute is close", "holdings", label)
        return None, 0.0, ""

    @staticmethod
    def field_of(meta: dict[Any, Any], column: str, table: str, part: str | None) -> str | None:
        """The holding's field: ``meta.field`` while the names are the export's, else what the file names now."""
        stated, ident = meta.get("field"), meta.get(ID_KEY)
        exported_column = ident if isinstance(ident, str) and meta.get(KIND_KEY) == "attribute" else None
        if isinstance(stated, str):
            stated = plain_text(stated)
            t, c = split_field(stated)
            c = c or exported_column  # a blank field: the export named the column after the attribute
            if c is not None and same_name(column, c) and t == part:
                return stated
        elif stated is None and part is None and exported_column is not None and same_name(column, exported_column):
            return None  # the export's column for a holding without a field
        return f"{part}.{column}" if part else column


def _choice(value: object, allowed: tuple[str, ...], default: str | None, existing: m.Holding | None) -> Any:
    """A stated value of a closed list; the workshop's default is not stated (so the round trip adds nothing)."""
    if not isinstance(value, str) or value not in allowed:
        return None
    return None if existing is not None and value == default else value


def _quality(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def _coverage(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        return None
    return float(value)


def _hours(hours: float | None) -> str:
    if hours is None:
        return "never"
    if hours >= 24 and hours % 24 == 0:
        days = int(hours // 24)
        return f"{days} day" + ("s" if days != 1 else "")
    return f"{hours:g} hour" + ("s" if hours != 1 else "")


def _hours_text(warn: float | None, error: float | None) -> str:
    if warn is None and error is None:
        return "no freshness"
    return f"warn after {_hours(warn)}, error after {_hours(error)}"


def read(ws: m.Workshop, path: Path) -> ImportPlan:
    """What importing the dbt sources at ``path`` (a file, or a project's folder) would change in ``ws``."""
    files = _files(path)
    reader = _Reader(ws, str(path))
    seen = 0
    for file in files:
        text = read_import_text(file.path)
        if file.path.suffix == ".csv":
            reader.seed(file, text)
            seen += 1
            continue
        if path.is_dir() and "sources" not in text:
            continue
        doc = _load(file, text)
        if not isinstance(doc, dict) or "sources" not in doc:
            if path.is_dir():
                continue
            raise ReadError(f"{file.shown}:1:1: no `sources:` here: give a dbt sources file (models/sources/*.yml)")
        assert isinstance(doc, _Map)
        sources = doc["sources"]
        if sources is None:
            continue
        _expect(file, sources, list, "sources", doc.value_at.get("sources", doc.at))
        seen += 1
        for node in sources:
            reader.source(file, node, _at(node, sources))
    if not seen:
        raise ReadError(f"{path}: no dbt sources (a YAML file with `sources:`): give the export's folder or a file")
    return reader.builder.plan()
