"""Benchmark: ``python -m benchmarks.ddl [--columns 10000] [--seed 1] [--repeat 3] [--dialect mysql]``.

The column-matching target of issue 8 (10,000 columns in <= 2 s), measured
through the DDL path: the columns of :func:`benchmarks.matching.make_columns`
(half real spellings in other styles, half columns without customer meaning)
are written as ``CREATE TABLE`` statements of the chosen dialect, one table
per 50 columns, and timed in three steps, median of ``--repeat`` runs:

* ``read``: :func:`needsmap.imports.ddl.read_ddl` (sqlglot parses the file);
* ``match``: choosing the customer-related tables and matching every column
  (:func:`needsmap.imports.schema.select_tables` and
  :func:`~needsmap.imports.schema.propose`, with a fresh matcher each run);
* ``plan``: the import plan against an empty workshop.

Figures are recorded in docs/performance.md; this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.matching import make_columns
from needsmap.imports.column_match import ColumnMatcher
from needsmap.imports.ddl import read_ddl
from needsmap.imports.schema import plan_holdings, propose, select_tables

TARGET_SECONDS = 2.0
_QUOTE = {"mysql": "`{}`", "postgres": '"{}"', "tsql": "[{}]", "oracle": '"{}"', "sqlite": '"{}"'}


def make_ddl(n: int, seed: int = 1, dialect: str = "mysql", per_table: int = 50) -> str:
    """DDL with ``n`` columns in tables of ``per_table`` columns, in ``dialect``'s quoting."""
    quote = _QUOTE.get(dialect, '"{}"').format
    columns = make_columns(n, seed)
    out = []
    for start in range(0, len(columns), per_table):
        chunk = columns[start : start + per_table]
        table = f"{chunk[0].table or 'customer'}_{start // per_table}"
        defs = []
        seen = set()
        for col in chunk:
            name = col.name
            while name.lower() in seen:
                name += "_x"
            seen.add(name.lower())
            sql_type = (col.sql_type or "varchar(255)").replace("jsonb", "text").replace("uuid", "char(36)")
            defs.append(f"  {quote(name)} {sql_type}")
        out.append(f"CREATE TABLE {quote(table)} (\n" + ",\n".join(defs) + "\n);\n")
    return "\n".join(out)


def run(n: int = 10_000, seed: int = 1, repeat: int = 3, dialect: str = "mysql") -> dict[str, float]:
    from needsmap.format import model as m

    text = make_ddl(n, seed, dialect)
    times: dict[str, list[float]] = {"read": [], "match": [], "plan": []}
    counted = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sql"
        path.write_text(text, encoding="utf-8")
        for _ in range(repeat):
            t0 = time.perf_counter()
            schema = read_ddl(path, dialect)
            t1 = time.perf_counter()
            matcher = ColumnMatcher.from_catalog()
            kept, _left = select_tables(schema.tables, matcher, ["*"])
            proposals = propose(kept, matcher)
            t2 = time.perf_counter()
            plan_holdings(m.Workshop(), proposals, system="bench", source=str(path))
            t3 = time.perf_counter()
            times["read"].append(t1 - t0)
            times["match"].append(t2 - t1)
            times["plan"].append(t3 - t2)
            counted = len(proposals)
    result = {k: statistics.median(v) for k, v in times.items()}
    result["columns"] = counted
    result["bytes"] = len(text.encode("utf-8"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dialect", default="mysql")
    args = parser.parse_args(argv)
    r = run(args.columns, args.seed, args.repeat, args.dialect)
    total = r["read"] + r["match"] + r["plan"]
    print(
        f"needsmap import ddl benchmark on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}"
    )
    print(f"{int(r['columns']):,} columns, {r['bytes'] / 1024:.0f} KiB of {args.dialect} DDL, median of {args.repeat}")
    print(f"  read (sqlglot)       {r['read']:.2f} s")
    print(
        f"  tables + matching    {r['match']:.2f} s   (target <= {TARGET_SECONDS:.0f} s: "
        f"{'met' if r['match'] <= TARGET_SECONDS else 'NOT met'})"
    )
    print(f"  plan                 {r['plan']:.2f} s")
    print(f"  total                {total:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
