"""Benchmark of column matching: ``python -m benchmarks.matching [--columns 10000] [--seed 1] [--repeat 3]
[--workshop SCALE]``, from the repository root.

Builds a realistic set of source columns - half of them variants of real
spellings (catalog spellings and the hand-labelled list's columns in another
case style, with a table prefix, a qualifier such as ``billing_``, an
abbreviation or a typo), half of them columns with no customer meaning
(``batch_sku_weight_3``), which take the slow fuzzy path - and times:

* loading and checking the shipped catalog (cold, in this process);
* building a :class:`~needsmap.imports.column_match.ColumnMatcher` from it (with
  ``--workshop SCALE``: from a synthetic workshop's attributes plus the catalog);
* :meth:`~needsmap.imports.column_match.ColumnMatcher.match_many` over all columns
  with a fresh matcher (empty cache), median of ``--repeat`` runs (:mod:`benchmarks.timing`).

Target (:data:`TARGET_SECONDS`): build + match of 10,000 columns in <= 2 s; it exits 1 when over.

``--labelled tune|held-out-3|all`` measures quality instead: the schema import's proposals for the labelled
columns of real systems (tests/data/columns, sources in tests/data/README.md) against their labels, with a
reliability table (:func:`evaluate`, :func:`quality_report`; ``--misses`` lists the wrong ones;
``--leave-one-out`` calibrates each system on the other systems of its split only, :func:`leave_one_out`);
``--ddl SYSTEM`` prints a labelled system's tables as T-SQL DDL (:func:`ddl_of`); ``--fit-calibration`` fits
the confidence calibration on the tune part and prints it (:func:`fit_calibration`, pasted into
``column_evidence.CALIBRATION``).
Figures are recorded in docs/performance.md ("Column matching"); this is a benchmark, not a test
(tests/benchmarks/test_matching.py runs it on a few hundred columns, once).
"""

from __future__ import annotations

import argparse
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.timing import machine, measure
from needsmap.imports.column_match import Column, ColumnMatcher
from needsmap.imports.schema import SchemaColumn, SchemaTable

TARGET_SECONDS = 2.0
_NOISE_WORDS = (
    "batch",
    "sku",
    "weight",
    "kg",
    "seq",
    "line",
    "item",
    "price",
    "tax",
    "net",
    "gross",
    "token",
    "json",
    "meta",
    "sync",
    "version",
    "level",
    "rank",
    "bucket",
    "flag",
    "hash",
    "run",
    "job",
    "etl",
    "load",
    "row",
    "checksum",
    "partition",
    "shard",
    "lock",
    "queue",
    "retry",
    "cost",
    "margin",
    "stock",
    "warehouse",
    "bin",
    "pallet",
    "lot",
    "vendor",
    "supplier",
    "route",
    "leg",
    "slot",
    "config",
    "param",
    "blob",
    "tmp",
    "audit",
    "trace",
    "span",
)
_TABLES = (
    "customer",
    "tbl_customer",
    "crm_contact",
    "customer_address",
    "ps_address",
    "account",
    "dim_customer",
    "stg_orders",
    "res_partner",
    "sylius_customer",
    "klanten",
    "kunden",
    "events",
    "consents",
    "inventory",
    "shipments",
    "etl_runs",
    "products",
    "sales_order_line",
    "web_sessions",
)
_TYPES = (
    "varchar(255)",
    "integer",
    "bigint",
    "boolean",
    "tinyint(1)",
    "date",
    "timestamp",
    "decimal(12,2)",
    "text",
    "uuid",
    "jsonb",
    None,
)
_QUALIFIERS = ("billing_", "shipping_", "default_", "primary_", "home_", "cust_", "customer_", "contact_", "")


def _style(name: str, rng: random.Random) -> str:
    words = [w for w in name.replace("-", "_").replace(" ", "_").split("_") if w]
    choice = rng.randrange(5)
    if choice == 0:
        return "".join(w.capitalize() for w in words)
    if choice == 1:
        return words[0].lower() + "".join(w.capitalize() for w in words[1:])
    if choice == 2:
        return "_".join(words).upper()
    if choice == 3 and len(name) > 5:
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # swapped letters
    return "_".join(words).lower()


def make_columns(n: int, seed: int = 1) -> list[Column]:
    """``n`` distinct columns, half with a customer meaning, half without."""
    from needsmap.catalog.entries import load_catalog

    rng = random.Random(seed)
    spellings = [s for e in load_catalog().entries for s in (*e.spellings, e.id)]
    seen: set[tuple] = set()
    columns: list[Column] = []
    while len(columns) < n:
        if rng.random() < 0.5:
            name = _style(rng.choice(_QUALIFIERS) + rng.choice(spellings), rng)
        else:
            name = "_".join(rng.sample(_NOISE_WORDS, rng.randint(1, 3)))
            if rng.random() < 0.5:
                name += f"_{rng.randint(1, 99)}"
            name = _style(name, rng)
        col = Column(name, rng.choice(_TABLES), rng.choice(_TYPES))
        if (col.name, col.table, col.sql_type) not in seen:
            seen.add((col.name, col.table, col.sql_type))
            columns.append(col)
    return columns


def run(n: int = 10_000, seed: int = 1, repeat: int = 3, workshop_scale: str | None = None) -> dict:
    """The catalog's size and cold load time, the median seconds to build a matcher and to match ``n``
    columns with it, and the share of columns matched at confidence >= 0.6."""
    from needsmap.catalog import entries as catalog

    t0 = time.perf_counter()
    catalog.load_catalog.cache_clear()
    cat = catalog.load_catalog()
    load_s = time.perf_counter() - t0
    columns = make_columns(n, seed)
    workshop = None
    if workshop_scale:
        from needsmap.synthetic.builder import generate

        workshop = generate(workshop_scale, seed)
    builder = (
        (lambda: ColumnMatcher.for_workshop(workshop, cat))
        if workshop is not None
        else (lambda: ColumnMatcher.from_catalog(cat))
    )
    build = measure(builder, repeat)
    fresh = iter([builder() for _ in range(repeat)])  # each run matches with a fresh matcher: an empty cache
    match = measure(lambda: next(fresh).match_many(columns, limit=3), repeat)
    matched = sum(1 for r in match.result if r and r[0].confidence >= 0.6)
    return {
        "columns": n,
        "entries": len(cat),
        "catalog_load_s": load_s,
        "workshop_attributes": len(workshop.attributes) if workshop is not None else 0,
        "build_s": build.median,
        "match_s": match.median,
        "matched_share": matched / n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workshop",
        choices=["small", "medium", "enterprise"],
        help="Also match against the attributes of a synthetic workshop of this scale.",
    )
    parser.add_argument(
        "--labelled",
        metavar="SPLIT",
        help="Instead of timing: the quality figures on the labelled real systems of this split "
        "(a file's `split`, e.g. tune or held-out-3; all: every system).",
    )
    parser.add_argument("--misses", action="store_true", help="With --labelled: list every wrong proposal.")
    parser.add_argument(
        "--leave-one-out",
        action="store_true",
        help="With --labelled: calibrate each system on the others of its split only (does the calibration "
        "carry over to a system it was not fitted on?).",
    )
    parser.add_argument(
        "--fit-calibration",
        action="store_true",
        help="Fit the confidence calibration on the tune part and print it (column_evidence.CALIBRATION).",
    )
    parser.add_argument(
        "--calibration-only",
        action="store_true",
        help="With --leave-one-out: leave each system out of the calibration only, not of the evidence "
        "(its spellings and rules still count as confirmed by it).",
    )
    parser.add_argument(
        "--fit-support",
        action="store_true",
        help="Write the support table of the tune part (imports/column_support.json): which tune systems each "
        "spelling and rule reads right.",
    )
    parser.add_argument("--ddl", metavar="SYSTEM", help="Print the labelled system's tables as T-SQL DDL.")
    args = parser.parse_args(argv)
    if args.ddl:
        print(ddl_of(next(s for s in load_labelled(splits={"tune"}) if s.system == args.ddl)))
        return 0
    if args.fit_support:
        from needsmap.imports.column_support import SUPPORT_FILE

        SUPPORT_FILE.write_text(fit_support(), encoding="utf-8")
        print(f"wrote {SUPPORT_FILE}")
        return 0
    if args.fit_calibration:
        print(fit_calibration())
        return 0
    if args.labelled:
        if args.misses and args.labelled != "tune":  # a held-out part's misses, once read, spend it
            print("--misses lists the tune part's misses only")
            return 2
        print(quality_report(args.labelled, args.leave_one_out, evidence_too=not args.calibration_only))
        if args.misses:
            print("\n".join(evaluate(load_labelled(splits={"tune"}))["misses"]))
        return 0
    r = run(args.columns, args.seed, args.repeat, args.workshop)
    total = r["build_s"] + r["match_s"]
    print(f"machine: {machine()}")
    print(f"catalog: {r['entries']} entries, load+check {r['catalog_load_s'] * 1000:.0f} ms (cold)")
    if r["workshop_attributes"]:
        print(f"workshop: {r['workshop_attributes']:,} attributes ({args.workshop}) plus the catalog")
    print(f"matcher build: {r['build_s'] * 1000:.0f} ms (median of {args.repeat})")
    print(
        f"match_many({r['columns']:,} columns): {r['match_s']:.2f} s (median of {args.repeat}); "
        f"{r['matched_share']:.0%} matched at confidence >= 0.6"
    )
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(f"build + match: {total:.2f} s, {verdict} the {TARGET_SECONDS:.0f} s target")
    return 0 if total <= TARGET_SECONDS else 1


# ------------------------------------------------------------------ quality on labelled real schemas

#: The labelled column lists of real systems (tests/data/columns/<system>.yaml, see tests/data/README.md).
LABELLED = Path(__file__).resolve().parent.parent / "tests" / "data" / "columns"
#: A calibration class of readings one other system confirms (``exact/1``) is fitted apart only with this many
#: proposals; with fewer they are fitted with the rest of their kind.
MIN_BLOCK_POINTS = 20
#: Confidence buckets of the reliability table: (low, high, label).
BUCKETS = ((0.9, 1.01, "0.90-1.00"), (0.8, 0.9, "0.80-0.89"), (0.75, 0.8, "0.75-0.79"))


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled system: its tables (as a schema import reads them) and, per ``table.column``, the
    acceptable attribute ids (empty: not a customer attribute) and whether the column holds the opposite."""

    system: str
    split: str
    tables: tuple[SchemaTable, ...]
    expect: dict[str, frozenset[str]]
    inverted: frozenset[str]


_SPLIT_LINE = re.compile(r"^split:\s*['\"]?([A-Za-z0-9_-]+)", re.M)


def split_of(path: Path) -> str | None:
    """The ``split`` a labelled file says it belongs to, read from its ``split:`` line alone (a part being
    labelled is not parsed, let alone measured, until it is asked for)."""
    found = _SPLIT_LINE.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def splits_present(folder: Path = LABELLED) -> dict[str, str | None]:
    """Each labelled system's split, by file name (without reading the files' columns)."""
    return {path.stem: split_of(path) for path in sorted(folder.glob("*.yaml"))}


def load_labelled(folder: Path = LABELLED, splits: frozenset[str] | set[str] | None = None) -> list[Labelled]:
    """The labelled systems of ``folder`` whose split is one of ``splits`` (None: every one), by file name."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        if splits is not None and split_of(path) not in splits:
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables = []
        expect: dict[str, frozenset[str]] = {}
        inverted = set()
        for table, columns in doc["tables"].items():
            cols = []
            for column, row in columns.items():
                sql_type, want, *flags = row
                cols.append(SchemaColumn(str(column), sql_type))
                key = f"{table}.{column}"
                wanted = want if isinstance(want, list) else [want] if want else []
                expect[key] = frozenset(wanted)
                if "inverted" in flags:
                    inverted.add(key)
            tables.append(SchemaTable(str(table), tuple(cols)))
        out.append(Labelled(doc["system"], doc["split"], tuple(tables), expect, frozenset(inverted)))
    return out


def ddl_of(system: Labelled) -> str:
    """``CREATE TABLE`` statements (T-SQL) of a labelled system's tables: the shape ``needsmap import ddl``
    reads when an architect exports the suite's schema."""
    out = []
    for table in system.tables:
        cols = ",\n".join(f"    [{c.name}] {c.sql_type}" for c in table.columns)
        out.append(f"CREATE TABLE [dbo].[{table.name}] (\n{cols}\n);\nGO\n")
    return "\n".join(out)


def evaluate(systems: list[Labelled], accept_above: float = 0.9, matchers: dict | None = None) -> dict:
    """Top-1 accuracy over customer columns, precision among auto-accepted proposals, the share of
    non-customer columns proposed at all, a reliability table and the misses, for ``systems`` (each matched
    with ``matchers[system]`` when given, else with the shipped catalog and calibration)."""
    from needsmap.imports.schema import propose

    shipped = ColumnMatcher.from_catalog()
    customer = right = non_customer = proposed_non = accepted = accepted_right = 0
    inverted_right = inverted_total = 0
    buckets = {label: [0, 0] for _, _, label in BUCKETS}
    misses: list[str] = []
    for system in systems:
        matcher = (matchers or {}).get(system.system, shipped)
        for p in propose(system.tables, matcher, accept_above=accept_above):
            want = system.expect[p.key]
            ok = p.attribute is not None and p.attribute in want
            if want:
                customer += 1
                right += ok
                if p.key in system.inverted and ok:
                    inverted_total += 1
                    inverted_right += bool(getattr(p, "inverted", False))
            else:
                non_customer += 1
                proposed_non += p.attribute is not None
            if p.attribute is not None:
                if p.confidence >= accept_above:
                    accepted += 1
                    accepted_right += ok
                for low, high, label in BUCKETS:
                    if low <= p.confidence < high:
                        buckets[label][0] += 1
                        buckets[label][1] += ok
            if (want and not ok) or (not want and p.attribute is not None):
                misses.append(
                    f"{system.system}: {p.key} -> {p.attribute} {p.confidence:.2f} (want {'/'.join(sorted(want)) or '-'})"
                )
    return {
        "systems": len(systems),
        "customer_columns": customer,
        "top1": right / customer if customer else 1.0,
        "accepted": accepted,
        "accepted_precision": accepted_right / accepted if accepted else 1.0,
        "non_customer_columns": non_customer,
        "non_customer_proposed": proposed_non / non_customer if non_customer else 0.0,
        "inverted_marked": (inverted_right, inverted_total),
        "reliability": [(label, n, ok / n if n else None) for label, (n, ok) in buckets.items()],
        "misses": misses,
    }


#: One proposal read for the calibration: (evidence class, raw score, right, what the reading rests on).
Point = tuple[str, float, bool, tuple[str, ...]]


def system_points(system: Labelled) -> list[Point]:
    """The schema import's proposals for one system, matched without calibration: per proposal its evidence
    class, raw score, whether it is right and its support keys (what :func:`fit_calibration` and
    :func:`fit_support` read)."""
    from needsmap.imports.schema import propose

    matcher = ColumnMatcher.from_catalog(calibration=None, support={})
    columns = [Column(c.name, t.name, c.sql_type) for t in system.tables for c in t.columns]
    tops = [found[0] if found else None for found in matcher.match_many(columns, limit=1)]
    out = []
    for p, top in zip(propose(system.tables, matcher), tops):
        if p.attribute is None or top is None or top.attribute != p.attribute:
            continue  # not proposed, or proposed by what the rest of the table says (a title as salutation)
        out.append((top.evidence, p.confidence, p.attribute in system.expect[p.key], top.support_keys))
    return out


def _tune(split: str = "tune") -> list[Labelled]:
    return load_labelled(splits={split})


def support_table(points: dict[str, list[Point]]) -> dict[str, frozenset[str]]:
    """Per support key, the systems on which a reading resting on it is right, and (the key prefixed with
    ``column_support.AGAINST``) those on which one was proposed and wrong: every key of a wrong reading is
    blamed, since which of them misled it cannot be told, but a qualifier read away (``billing_``), which says
    only which one of the customer's values it is and is calibrated with its kind (``qualified place``)."""
    from needsmap.imports.column_support import AGAINST, has_record

    found: dict[str, set[str]] = {}
    for system, pairs in points.items():
        for _evidence, _score, ok, keys in pairs:
            for key in keys:
                if ok or has_record(key):
                    found.setdefault(key if ok else AGAINST + key, set()).add(system)
    return {key: frozenset(systems) for key, systems in found.items()}


def fit_support(split: str = "tune") -> str:
    """The support table of ``split`` (never a held-out part), as the text of
    ``column_support.SUPPORT_FILE``."""
    from needsmap.imports.column_support import dump_support

    return dump_support(support_table({s.system: system_points(s) for s in _tune(split)}))


def calibration_points(
    points: dict[str, list[Point]], support: dict[str, frozenset[str]], left_out: frozenset[str] = frozenset()
) -> dict[str, list[tuple[float, bool]]]:
    """Per calibration class (the evidence class; ``/1`` when one other system confirms what the reading rests
    on, ``/few`` when fewer than ``column_support.ACCEPT_SUPPORT`` do or its record is unsure), (raw score,
    right) of every system's proposals but ``left_out``'s, each as a system nobody labelled would see it: its
    support and record counted without itself and ``left_out``.  Readings that no other system confirms
    are held for review whatever the fit says (``column_support.UNSUPPORTED_CAP``), so they are left out of it:
    on their own system they are right by construction."""
    from needsmap.imports.column_support import record_of, support_block, support_of, without

    out: dict[str, list[tuple[float, bool]]] = {}
    for system, pairs in points.items():
        if system in left_out:
            continue
        seen = without(support, left_out | {system})
        for evidence, score, ok, keys in pairs:
            block = support_block(support_of(keys, seen), record_of(keys, seen))
            if block == "0":
                continue
            out.setdefault(f"{evidence}/{block}" if block else evidence, []).append((score, ok))
    return out


def _fit(points: dict[str, list[tuple[float, bool]]]) -> dict[str, tuple[tuple[float, float], ...]]:
    from needsmap.imports.column_evidence import EVIDENCE_CLASSES, fit_isotonic

    points = {c: list(pairs) for c, pairs in points.items()}
    for evidence in EVIDENCE_CLASSES:  # a block of a few proposals says nothing of its own: pooled with its kind
        for block in ("1", "few"):
            if 0 < len(points.get(f"{evidence}/{block}", [])) < MIN_BLOCK_POINTS:
                points.setdefault(evidence, []).extend(points.pop(f"{evidence}/{block}"))
        kinds = [points.get(f"{evidence}/{block}", []) for block in ("1", "few")]
        if len(points.get(evidence, [])) < MIN_BLOCK_POINTS and any(kinds):  # what the rest of its kind says
            points[evidence] = points.get(evidence, []) + [p for kind in kinds for p in kind]
    classes = [c for e in EVIDENCE_CLASSES for c in (e, f"{e}/1", f"{e}/few")]
    return {c: fit_isotonic(points[c]) for c in classes if points.get(c)}


def accepted_record(
    systems: list[Labelled], calibration: dict, support: dict[str, frozenset[str]] | None = None
) -> dict[str, dict[str, tuple[int, int]]]:
    """Per system, per catalog attribute: (right, accepted) of its proposals accepted automatically (>= 0.9)
    with ``calibration`` and no attribute held back (what :func:`unsure_attributes` reads)."""
    from needsmap.imports.schema import propose

    matcher = ColumnMatcher.from_catalog(calibration=calibration, support=support, unsure={})
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for system in systems:
        record: dict[str, tuple[int, int]] = {}
        for p in propose(system.tables, matcher):
            if p.attribute is not None and p.confidence >= 0.9:
                right, accepted = record.get(p.attribute, (0, 0))
                record[p.attribute] = (right + (p.attribute in system.expect[p.key]), accepted + 1)
        out[system.system] = record
    return out


def unsure_attributes(records: list[dict[str, tuple[int, int]]]) -> dict[str, tuple[int, int]]:
    """The attributes whose accepted proposals, pooled over ``records``, were right less often than
    ``column_evidence.UNSURE_LEVEL`` (smoothed towards one half, as the calibration's blocks are), sorted."""
    from needsmap.imports.column_evidence import UNSURE_LEVEL

    pooled: dict[str, tuple[int, int]] = {}
    for record in records:
        for attribute, (right, accepted) in record.items():
            r, n = pooled.get(attribute, (0, 0))
            pooled[attribute] = (r + right, n + accepted)
    return {a: rn for a, rn in sorted(pooled.items()) if (rn[0] + 0.25) / (rn[1] + 0.5) < UNSURE_LEVEL}


def fit_calibration(split: str = "tune") -> str:
    """The isotonic calibration fitted on ``split`` (never the held-out part), and the attributes too often
    wrong when it accepts them, as the Python literals ``column_evidence.CALIBRATION`` and
    ``column_evidence.UNSURE_ATTRIBUTES`` hold."""
    systems = _tune(split)
    points = {s.system: system_points(s) for s in systems}
    fitted = _fit(calibration_points(points, support_table(points)))
    unsure = unsure_attributes(list(accepted_record(systems, fitted).values()))
    lines = ["CALIBRATION: Calibration = {"]
    lines += [f'    "{evidence}": {steps!r},' for evidence, steps in fitted.items()]
    lines.append("}")
    lines.append(_UNSURE_HEAD)
    lines += [f'    "{attribute}": {record!r},' for attribute, record in unsure.items()]
    lines.append("}")
    return "\n".join(lines)


_UNSURE_HEAD = (
    "#: The catalog attributes whose readings accepted automatically (0.9 or more with :data:`CALIBRATION`) on the\n"
    "#: tune part were right less often than :data:`UNSURE_LEVEL`, each with (right, accepted): held for review.\n"
    "UNSURE_ATTRIBUTES: dict[str, tuple[int, int]] = {"
)


def leave_one_out(split: str = "tune", evidence_too: bool = True) -> dict:
    """Whether 0.9 carries over to a system nobody tuned on: each system of ``split`` is matched with the
    calibration fitted on the other systems of ``split`` only, and the figures of :func:`evaluate` are pooled
    over all of them.  With ``evidence_too`` (the honest figure) the evidence the system contributed is left
    out as well: a spelling or rule that only that system's labelled columns confirm counts as unconfirmed
    (it would not be there had the system not been labelled), both when it is matched and in the fit.
    Without it, only the calibration is left out (the words of the matcher were read from all systems).  Either
    way the attributes held for review (:func:`unsure_attributes`) are those of the other systems' records."""
    systems = _tune(split)
    points = {s.system: system_points(s) for s in systems}
    support = support_table(points)
    records = accepted_record(systems, _fit(calibration_points(points, support)), support)
    matchers = {}
    for system in systems:
        alone = frozenset({system.system})
        if evidence_too:
            seen = {k: v - alone for k, v in support.items()}
            fitted = _fit(calibration_points(points, support, alone))
        else:  # the calibration of the others, everyone's evidence as it is
            seen = support
            fitted = _fit(calibration_points({k: v for k, v in points.items() if k != system.system}, support))
        unsure = unsure_attributes([r for name, r in records.items() if name != system.system])
        matchers[system.system] = ColumnMatcher.from_catalog(calibration=fitted, support=seen, unsure=unsure)
    return evaluate(systems, matchers=matchers)


def per_system_line(systems: list[Labelled]) -> str:
    """Top-1 per system, so that a system with many columns of one kind (SAP Business One's 64 property flags)
    does not stand for the part: the mean and the range over the systems."""
    tops = sorted(evaluate([s])["top1"] for s in systems if any(s.expect.values()))
    if not tops:
        return "per system: -"
    return f"per system: top-1 mean {sum(tops) / len(tops):.1%}, from {tops[0]:.1%} to {tops[-1]:.1%}"


def quality_report(split: str, cross_validated: bool = False, evidence_too: bool = True) -> str:
    """The figures of :func:`evaluate` on one split (``tune``, ``held-out-3`` or ``all``), as Markdown; with
    ``cross_validated``, those of :func:`leave_one_out` (each system calibrated on the others; with
    ``evidence_too``, without the evidence it contributed either)."""
    systems = load_labelled(splits=None if split == "all" else {split})
    r = leave_one_out(split, evidence_too) if cross_validated else evaluate(systems)
    title = split
    if cross_validated:
        title += (
            ", each system left out of the calibration and of the evidence"
            if evidence_too
            else ", each system left out of the calibration only"
        )
    lines = [
        f"{title}: {r['systems']} systems ({', '.join(s.system for s in systems)})",
        f"top-1 {r['top1']:.1%} of {r['customer_columns']} customer columns; "
        f"precision {r['accepted_precision']:.1%} of {r['accepted']} auto-accepted (>= 0.9); "
        f"{r['non_customer_proposed']:.1%} of {r['non_customer_columns']} non-customer columns proposed; "
        f"inverted marked {r['inverted_marked'][0]}/{r['inverted_marked'][1]}",
        *([] if cross_validated else [per_system_line(systems)]),
        "",
        "| confidence | proposals | observed precision |",
        "|---|---|---|",
        *(f"| {label} | {n} | {'-' if p is None else f'{p:.1%}'} |" for label, n, p in r["reliability"]),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
