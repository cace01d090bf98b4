"""Benchmark of the model draft: ``python -m benchmarks.draft [--scale enterprise] [--seed 1] [--repeat 5]``.

Generates a synthetic workshop, analyses it once, then times (median of
``--repeat`` runs) drafting the model and writing it in every format and SQL
dialect.  Not a test: the figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    from needsmap.analysis.engine import analyse
    from needsmap.draft.engine import draft_model
    from needsmap.draft.render import DIALECTS, FORMATS, render
    from needsmap.synthetic import builder as synthetic

    parser = argparse.ArgumentParser(prog="python -m benchmarks.draft")
    parser.add_argument("--scale", default="enterprise", choices=sorted(synthetic.SCALES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    ws = synthetic.generate(args.scale, args.seed)
    analysis = analyse(ws)
    model = draft_model(ws, analysis)
    columns = sum(len(t.columns) for t in model.tables)
    print(
        f"{args.scale} seed {args.seed}: {len(ws.attributes)} attributes, {len(model.tables)} tables, "
        f"{columns} columns, {len(model.open_decisions)} open decisions; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    rows = [("draft (model_draft.draft_model)", _median_ms(lambda: draft_model(ws, analysis), args.repeat))]
    for fmt in FORMATS:
        if fmt == "sql":
            for dialect in DIALECTS:
                rows.append(
                    (f"sql --dialect {dialect}", _median_ms(lambda d=dialect: render(model, "sql", d), args.repeat))
                )
        else:
            rows.append((fmt, _median_ms(lambda f=fmt: render(model, f), args.repeat)))
    for name, ms in rows:
        print(f"  {name:<34} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
