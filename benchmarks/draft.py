"""Benchmark of the model draft: ``python -m benchmarks.draft [--scale enterprise] [--seed 1] [--repeat 5]``,
from the repository root.

Generates a synthetic workshop (:mod:`needsmap.synthetic.builder`), analyses it once, then times
(median of ``--repeat`` runs, :mod:`benchmarks.timing`) drafting the model
(:func:`needsmap.draft.engine.draft_model`) and writing it in every format and SQL dialect
(:func:`needsmap.draft.render.render`), and reports the widest row of any table under each
dialect's row limit (:mod:`needsmap.draft.row_size`).  The target is an enterprise draft "well
under a few seconds".  Not a test: the figures are recorded in docs/performance.md ("Model draft");
tests/benchmarks/test_draft.py runs it at the small scale, once, to keep it working.
"""

from __future__ import annotations

from benchmarks.timing import machine, median_ms, scale_parser


def measure(scale: str = "enterprise", seed: int = 1, repeat: int = 5) -> dict:
    """The size of the draft, and the median milliseconds of each step by name."""
    from needsmap.analysis.engine import analyse
    from needsmap.draft.engine import draft_model
    from needsmap.draft.render import DIALECTS, FORMATS, render
    from needsmap.draft.row_size import LIMITS, widths_of
    from needsmap.synthetic import builder as synthetic

    ws = synthetic.generate(scale, seed)
    analysis = analyse(ws)
    model = draft_model(ws, analysis)
    steps = {"draft (draft_model)": median_ms(lambda: draft_model(ws, analysis), repeat)}
    for fmt in FORMATS:
        if fmt == "sql":
            for dialect in DIALECTS:
                steps[f"sql --dialect {dialect}"] = median_ms(lambda d=dialect: render(model, "sql", d), repeat)
        else:
            steps[fmt] = median_ms(lambda f=fmt: render(model, f), repeat)
    return {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "attributes": len(ws.attributes),
        "tables": len(model.tables),
        "columns": sum(len(t.columns) for t in model.tables),
        "attributes_as_rows": sum(len(t.row_attributes) for t in model.tables),
        "widest_row": {
            f"{dialect} {limit}": max(
                widths_of((c.type, c.values) for c in t.columns)[(dialect, limit)] for t in model.tables
            )
            for dialect, limit in LIMITS
        },
        "open_decisions": len(model.open_decisions),
        "ms": steps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = scale_parser("draft", __doc__)
    args = parser.parse_args(argv)
    r = measure(args.scale, args.seed, args.repeat)
    print(f"machine: {machine()}")
    print(
        f"{r['scale']} seed {r['seed']}: {r['attributes']} attributes, {r['tables']} tables, "
        f"{r['columns']} columns (and {r['attributes_as_rows']} attributes stored as rows), "
        f"{r['open_decisions']} open decisions; median of {r['repeat']}"
    )
    for limit, width in r["widest_row"].items():
        print(f"  widest row, {limit:<28} {width:8,} bytes")
    for name, ms in r["ms"].items():
        print(f"  {name:<34} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
