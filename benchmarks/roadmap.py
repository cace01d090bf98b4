"""Benchmark of the roadmap: ``python -m benchmarks.roadmap [--scale enterprise] [--seed 1] [--repeat 5]``,
from the repository root.

Generates the synthetic workshop of ``--scale`` (:mod:`needsmap.synthetic.builder`),
analyses it once, then times :func:`needsmap.roadmap.engine.build_roadmap` (ideate the
options, plan every option into waves, score them, tally the votes) and, for
the whole command, analysis plus roadmap (:mod:`benchmarks.timing`).  Prints the median and the fastest
of ``--repeat`` runs, and the size of each option; exits 1 when the median is over the target
(:data:`TARGET_S`: the enterprise roadmap in at most 1 s).  The figures measured are recorded in
docs/performance.md ("Roadmap"); tests/benchmarks/test_roadmap.py runs it at the small scale, once.
"""

from __future__ import annotations

from benchmarks import timing

TARGET_S = 1.0


def measure(scale: str = "enterprise", seed: int = 1, repeat: int = 5) -> dict:
    """The size of the workshop and its options, and the seconds of the roadmap (median, fastest) and of
    analysis plus roadmap (median)."""
    from needsmap.analysis.engine import analyse
    from needsmap.roadmap.engine import build_roadmap
    from needsmap.synthetic.builder import generate

    ws = generate(scale, seed)
    analysis = analyse(ws)
    roadmap = timing.measure(lambda: build_roadmap(ws, analysis), repeat)
    with_analysis = timing.measure(lambda: build_roadmap(ws, analyse(ws)), repeat)
    rm = roadmap.result
    return {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "use_cases": len(ws.use_cases),
        "attributes": len(ws.attributes),
        "systems": len(ws.systems),
        "gaps": len(analysis.gaps),
        "roadmap_median_s": roadmap.median,
        "roadmap_min_s": roadmap.fastest,
        "with_analysis_median_s": with_analysis.median,
        "options": [(p.id, len(p.items), p.waves, len(p.closed)) for p in rm.plans],
        "recommended": rm.recommended.option if rm.recommended else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = timing.scale_parser("roadmap", __doc__)
    args = parser.parse_args(argv)
    r = measure(args.scale, args.seed, args.repeat)
    print(f"machine: {timing.machine()}")
    print(
        f"{r['scale']} (seed {r['seed']}): {r['use_cases']} use cases, {r['attributes']} attributes, "
        f"{r['systems']} systems, {r['gaps']} gaps; median of {r['repeat']}"
    )
    print(
        f"roadmap: median {r['roadmap_median_s']:.3f} s, fastest {r['roadmap_min_s']:.3f} s "
        f"(target <= {TARGET_S:g} s); analysis + roadmap: median {r['with_analysis_median_s']:.3f} s"
    )
    for option, items, waves, closed in r["options"]:
        mark = " (recommended)" if option == r["recommended"] else ""
        print(f"  {option}{mark}: {items} work items, {waves} waves, {closed} gaps closed")
    return 0 if r["roadmap_median_s"] <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
