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
(:func:`benchmarks.timing.measure_phases`).

``--big 10,60`` measures instead what a very large file costs from end to end: for each size (in MB)
it writes a DDL file of small tables (4 columns, about 150 bytes each: 10 MB is 65,000 tables;
``--per-table 50`` for wide ones) in ``--folder`` (default: a temporary folder) and runs
``needsmap import ddl FILE INTO --system big`` in a child process (:func:`run_cli`), measuring its
wall time and peak memory (the child's maximum resident set size), how it ended (exit status or
signal) and the first line of its error output.
The bound is that such a file gets a clear answer in seconds, within bounded memory, or a quick
clear refusal; never a traceback or a crash.

Figures are recorded in docs/performance.md ("Schema import through DDL"); this is a benchmark, not a
test (tests/benchmarks/test_ddl.py runs it on a few hundred columns, once, and on a small file).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
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


def write_big_ddl(path: Path, megabytes: float, seed: int = 1, dialect: str = "mysql", per_table: int = 4) -> dict:
    """Write at least ``megabytes`` MB of DDL to ``path``: tables of ``per_table`` columns drawn from the
    columns of :func:`make_ddl`, each table named uniquely (``customer_123``, ``inventory_124``...).  Returns its ``tables``, ``columns`` and ``bytes``."""
    target = int(megabytes * 1_000_000)
    pool = make_ddl(max(20_000, 200 * per_table), seed, dialect, per_table).split("\n\n")  # statements to cycle
    quote = _QUOTE.get(dialect, '"{}"').format
    written = tables = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < target:
            stmt = pool[tables % len(pool)]
            head, _, rest = stmt.partition("(")
            name = head.split()[-1].strip('`"[]').rsplit("_", 1)[0]  # customer_12 -> customer_<table number>
            text = f"CREATE TABLE {quote(f'{name}_{tables}')} ({rest.rstrip()}\n"
            fh.write(text)
            written += len(text.encode("utf-8"))
            tables += 1
    return {"tables": tables, "columns": tables * per_table, "bytes": written}


def run_cli(path: Path, into: Path, timeout: float = 600.0, *extra: str) -> dict:
    """Run ``needsmap import ddl PATH INTO --system big`` in a child process: its ``seconds`` (wall time),
    ``peak_mb`` (maximum resident set size), ``status`` (``exit N``, ``killed by signal N`` or ``timed out``),
    the bytes it printed (``output_bytes``) and the first line of its error output (``message``)."""
    command = [sys.executable, "-m", "needsmap", "import", "ddl", str(path), str(into), "--system", "big", *extra]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, wait_status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, wait_status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(wait_status)  # reaped here: Popen must not wait again
        code = child.returncode
        if time.perf_counter() > deadline:
            status = f"timed out after {timeout:.0f} s"
        elif code < 0:
            status = f"killed by signal {-code} ({signal.Signals(-code).name})"
        else:
            status = f"exit {code}"
        out_bytes = out.tell()
        err.seek(0)
        errors = err.read(200_000).decode("utf-8", "replace")
    lines = [line for line in errors.splitlines() if line.strip()]
    message = next((line for line in lines if "error:" in line), lines[-1] if lines else "")
    return {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,  # Linux: kibibytes
        "status": status,
        "output_bytes": out_bytes,
        "message": message,
        "traceback": "Traceback" in errors,
    }


def run_big(
    sizes: list[float],
    folder: Path,
    seed: int = 1,
    dialect: str = "mysql",
    timeout: float = 600.0,
    per_table: int = 4,
) -> list:
    """For each size in MB: write the file (:func:`write_big_ddl`) and run the command on it (:func:`run_cli`)."""
    rows = []
    for megabytes in sizes:
        path = folder / f"big-{megabytes:g}mb-{per_table}.sql"
        made = write_big_ddl(path, megabytes, seed, dialect, per_table)
        into = folder / f"big-{megabytes:g}mb.yaml"
        into.unlink(missing_ok=True)
        rows.append({"megabytes": megabytes, **made, **run_cli(path, into, timeout)})
    return rows


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
    parser.add_argument("--big", metavar="MB,MB", help="time the command on files of these sizes, e.g. 10,60")
    parser.add_argument("--folder", type=Path, help="where --big writes its files (default: a temporary folder)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before --big stops the command")
    parser.add_argument("--per-table", type=int, default=4, help="columns per table of the --big files")
    args = parser.parse_args(argv)
    if args.big:
        return main_big(args)
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


def main_big(args) -> int:
    sizes = [float(x) for x in args.big.split(",") if x.strip()]
    print(f"needsmap import ddl on large files; machine: {machine()}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for r in run_big(sizes, folder, args.seed, args.dialect, args.timeout, args.per_table):
            print(
                f"{r['bytes'] / 1e6:.1f} MB, {r['tables']:,} tables, {r['columns']:,} columns: "
                f"{r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB, {r['status']}, "
                f"{r['output_bytes'] / 1024:.0f} KiB printed" + (", TRACEBACK" if r["traceback"] else "")
            )
            if r["message"]:
                print(f"  {r['message'][:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
