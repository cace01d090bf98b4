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
Figures are recorded in docs/performance.md ("Column matching"); this is a benchmark, not a test
(tests/benchmarks/test_matching.py runs it on a few hundred columns, once).
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks.timing import machine, measure
from needsmap.imports.column_match import Column, ColumnMatcher

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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    raise SystemExit(main())
