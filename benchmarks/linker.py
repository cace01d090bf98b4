"""The needs linker's ranking: ``python -m benchmarks.linker [--scale enterprise] [--seed 1] [--repeat 3]``,
from the repository root.

Quality: the first row (what Enter takes) for every labelled phrase of tests/data/linker_phrases.yaml (its
``tune`` and ``held-out`` parts) and tests/data/linker_phrases_later.yaml (phrases written after the ranking
was tuned: ``dev`` and ``unseen`` workshops), with the wrong links (an existing attribute first that was not
meant) counted apart from a missed link ("+ create" first where an attribute was meant).

Speed: each phrase typed letter by letter into :meth:`needsmap.catalog.linking_rank.LinkIndex.decide` over a
synthetic workshop of ``--scale`` (the index built once, as the picker builds it when it opens), ``--repeat``
times: the median and 95th percentile per keystroke.  Not a test: the figures are recorded in
docs/performance.md ("Needs linker"); tests/benchmarks/test_linker.py runs it at the small scale, once.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from benchmarks.timing import machine, scale_parser

ROOT = Path(__file__).resolve().parents[1]
PHRASES = ROOT / "tests" / "data" / "linker_phrases.yaml"
LATER = ROOT / "tests" / "data" / "linker_phrases_later.yaml"
#: The workshops tests/data/linker_phrases.yaml is labelled on.
FIRST_WORKSHOPS = {"demo": "workshops/omnichannel-retail.yaml", "water": "workshops/water-utility.yaml"}


def labelled_parts() -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Part name -> [(workshop file, {phrase: intended})]: tune, held-out, dev and unseen."""
    parts: dict[str, list[tuple[str, dict[str, str]]]] = {}
    first = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))
    for workshop, split in first.items():
        for name, phrases in split.items():
            parts.setdefault(name, []).append((FIRST_WORKSHOPS[workshop], phrases))
    for doc in yaml.safe_load(LATER.read_text(encoding="utf-8")).values():
        parts.setdefault(doc["part"], []).append((doc["workshop"], doc["phrases"]))
    return parts


def quality() -> dict[str, dict[str, int]]:
    """Per part: phrases, right first rows, wrong links, missed links, and wrong "+ create"-less answers."""
    from needsmap.catalog.linking_rank import attribute_index
    from needsmap.format.opening import open_workshop

    out: dict[str, dict[str, int]] = {}
    for part, sets in labelled_parts().items():
        row = {"phrases": 0, "right": 0, "wrong_link": 0, "missed_link": 0, "linked_not_new": 0}
        for workshop, phrases in sets:
            opened = open_workshop(ROOT / workshop).workshop
            assert opened is not None, workshop
            index = attribute_index(opened)
            for typed, intended in phrases.items():
                got = index.decide(typed).top or "create"
                row["phrases"] += 1
                if got == intended:
                    row["right"] += 1
                elif intended == "create":
                    row["linked_not_new"] += 1
                elif got == "create":
                    row["missed_link"] += 1
                else:
                    row["wrong_link"] += 1
        out[part] = row
    return out


def keystrokes(scale: str = "enterprise", seed: int = 1, repeat: int = 3) -> dict[str, float]:
    """Milliseconds per keystroke (median, p95) typing every labelled phrase into a synthetic workshop's index."""
    from needsmap.catalog.linking_rank import attribute_index
    from needsmap.synthetic import builder as synthetic

    ws = synthetic.generate(scale, seed)
    start = time.perf_counter()
    index = attribute_index(ws)
    build_ms = (time.perf_counter() - start) * 1000
    typed = [p for sets in labelled_parts().values() for _, phrases in sets for p in phrases]
    times: list[float] = []
    for _ in range(repeat):
        for phrase in typed:
            for end in range(1, len(phrase) + 1):
                start = time.perf_counter()
                index.decide(phrase[:end])
                times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "attributes": len(ws.attributes),
        "terms": len(index.terms),
        "keystrokes": len(times),
        "build_ms": build_ms,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = scale_parser("linker", __doc__)
    parser.set_defaults(repeat=3)
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print("| part | phrases | first row right | | wrong link | missed link | linked, meant new |")
    print("|---|---|---|---|---|---|---|")
    for part, r in quality().items():
        share = r["right"] / r["phrases"] if r["phrases"] else 0.0
        print(
            f"| {part} | {r['phrases']} | {r['right']} | {share:.1%} | {r['wrong_link']} | {r['missed_link']} "
            f"| {r['linked_not_new']} |"
        )
    k = keystrokes(args.scale, args.seed, args.repeat)
    print(
        f"{args.scale} (seed {args.seed}): {k['attributes']} attributes, {k['terms']} terms; index built in "
        f"{k['build_ms']:.0f} ms; {k['keystrokes']} keystrokes: median {k['median_ms']:.2f} ms, "
        f"p95 {k['p95_ms']:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
