"""Benchmark of ``needsmap import ddl``: ``python -m benchmarks.ddl [--columns 10000] [--seed 1] [--repeat 3]
[--dialect mysql]``, from the repository root.

The column-matching target (:data:`TARGET_SECONDS`: 10,000 columns matched in <= 2 s), measured
through the DDL path: the columns of :func:`benchmarks.matching.make_columns`
(half real spellings in other styles, half columns without customer meaning)
are written as ``CREATE TABLE`` statements of the chosen dialect, one table
per 50 columns, and timed in three steps, median of ``--repeat`` runs:

* ``read``: :func:`needsmap.imports.ddl.read_ddl` (sqlglot parses the file);
* ``match``: choosing the customer-related tables and matching every column
  (:func:`needsmap.imports.schema.select_tables` and
  :func:`~needsmap.imports.schema.propose`, with a fresh matcher each run);
* ``plan``: the import plan against an empty workshop.

The three steps of one run share their data: they are timed as the phases of one run
(:func:`benchmarks.timing.measure_phases`).  Figures
are recorded in docs/performance.md ("Schema import through DDL"); this is a benchmark, not a test
(tests/benchmarks/test_ddl.py runs it on a few hundred columns, once).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.matching import make_columns
from benchmarks.timing import machine, measure_phases
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
    """The median seconds of ``read``, ``match`` and ``plan``, the number of columns proposed and the
    size of the DDL in bytes."""
    from needsmap.format import model as m

    text = make_ddl(n, seed, dialect)
    counted = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sql"
        path.write_text(text, encoding="utf-8")

        def one_run(lap) -> None:
            nonlocal counted
            schema = read_ddl(path, dialect)
            lap("read")
            matcher = ColumnMatcher.from_catalog()
            kept, _left = select_tables(schema.tables, matcher, ["*"])
            proposals = propose(kept, matcher)
            lap("match")
            plan_holdings(m.Workshop(), proposals, system="bench", source=str(path))
            lap("plan")
            counted = len(proposals)

        phases = measure_phases(one_run, repeat)
    result = {name: timing.median for name, timing in phases.items()}
    result["columns"] = counted
    result["bytes"] = len(text.encode("utf-8"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ddl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dialect", default="mysql")
    args = parser.parse_args(argv)
    r = run(args.columns, args.seed, args.repeat, args.dialect)
    total = r["read"] + r["match"] + r["plan"]
    print(f"needsmap import ddl benchmark; machine: {machine()}")
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
