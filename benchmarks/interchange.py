"""Benchmark of the exports: ``python -m benchmarks.interchange [--scale enterprise] [--seed 1] [--repeat 5]``,
from the repository root.

Generates a synthetic workshop (:mod:`needsmap.synthetic.builder`) and times (median of ``--repeat``
runs, :mod:`benchmarks.timing`) what ``needsmap export`` does for every format in one go, as a user
exporting to all the tools would: the analysis, the model draft and the facts worked out once
(:class:`needsmap.interchange.base.ExportInput`), then each format's files. It also times each format
alone from a fresh input (its share of the shared work included). The target is all formats of the
enterprise workshop in at most 3 s. Not a test: the figures are recorded in docs/performance.md
("Interchange"); tests/benchmarks/test_interchange.py runs it at the small scale, once.
"""

from __future__ import annotations

from benchmarks.timing import machine, median_ms, scale_parser


def measure(scale: str = "enterprise", seed: int = 1, repeat: int = 5) -> dict:
    """The size of the exports, and the median milliseconds of each step by name."""
    from needsmap.interchange.base import ExportInput, ExportOptions
    from needsmap.interchange.registry import EXPORTERS
    from needsmap.synthetic import builder as synthetic

    ws = synthetic.generate(scale, seed)
    options = ExportOptions()

    def all_formats() -> dict[str, dict[str, str]]:
        inp = ExportInput(ws)
        return {name: fmt.export(inp, options) for name, fmt in EXPORTERS.items()}

    exported = all_formats()
    steps = {"all formats, shared input": median_ms(all_formats, repeat)}
    for name, fmt in EXPORTERS.items():
        steps[f"{name} alone"] = median_ms(lambda f=fmt: f.export(ExportInput(ws), options), repeat)
    return {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "attributes": len(ws.attributes),
        "systems": len(ws.systems),
        "files": {name: len(files) for name, files in exported.items()},
        "kib": {name: sum(len(t.encode()) for t in files.values()) / 1024 for name, files in exported.items()},
        "ms": steps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = scale_parser("interchange", __doc__)
    args = parser.parse_args(argv)
    r = measure(args.scale, args.seed, args.repeat)
    print(f"machine: {machine()}")
    print(
        f"{r['scale']} seed {r['seed']}: {r['attributes']} attributes, {r['systems']} systems; median of {r['repeat']}"
    )
    for name, count in r["files"].items():
        print(f"  {name:<24} {count:5} files {r['kib'][name]:9.1f} KiB")
    for name, ms in r["ms"].items():
        print(f"  {name:<34} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
