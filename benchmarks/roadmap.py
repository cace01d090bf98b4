"""Benchmark of the roadmap: ``python -m benchmarks.roadmap [--scale enterprise] [--seed 1] [--repeat 5]``.

Generates the synthetic workshop of ``--scale`` (:mod:`needsmap.synthetic.builder`),
analyses it once, then times :func:`needsmap.roadmap.engine.build_roadmap` (ideate the
options, plan every option into waves, score them, tally the votes) and, for
the whole command, analysis plus roadmap.  Prints the median and the fastest
of ``--repeat`` runs, and the size of each option.  The target (issue 7) is a
roadmap in at most 1 s for the enterprise workshop; the figures measured are
recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

TARGET_S = 1.0


def measure(scale: str, seed: int, repeat: int) -> dict:
    from needsmap.analysis.engine import analyse
    from needsmap.roadmap.engine import build_roadmap
    from needsmap.synthetic.builder import generate

    ws = generate(scale, seed)
    analysis = analyse(ws)
    roadmap_times, total_times = [], []
    rm = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        rm = build_roadmap(ws, analysis)
        roadmap_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        build_roadmap(ws, analyse(ws))
        total_times.append(time.perf_counter() - t0)
    assert rm is not None
    return {
        "scale": scale,
        "seed": seed,
        "repeat": repeat,
        "use_cases": len(ws.use_cases),
        "attributes": len(ws.attributes),
        "systems": len(ws.systems),
        "gaps": len(analysis.gaps),
        "roadmap_median_s": statistics.median(roadmap_times),
        "roadmap_min_s": min(roadmap_times),
        "with_analysis_median_s": statistics.median(total_times),
        "options": [(p.id, len(p.items), p.waves, len(p.closed)) for p in rm.plans],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="enterprise")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    r = measure(args.scale, args.seed, args.repeat)
    print(
        f"{r['scale']} (seed {r['seed']}): {r['use_cases']} use cases, {r['attributes']} attributes, "
        f"{r['systems']} systems, {r['gaps']} gaps; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"roadmap: median {r['roadmap_median_s']:.3f} s, fastest {r['roadmap_min_s']:.3f} s "
        f"(target <= {TARGET_S:g} s); analysis + roadmap: median {r['with_analysis_median_s']:.3f} s"
    )
    for option, items, waves, closed in r["options"]:
        print(f"  {option}: {items} work items, {waves} waves, {closed} gaps closed")
    return 0 if r["roadmap_median_s"] <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
