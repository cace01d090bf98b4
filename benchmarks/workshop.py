"""Benchmark of the workshop file and its analysis: ``python -m benchmarks.workshop [--scales small,medium,enterprise]
[--seed 1] [--repeat 5] [--json FILE]``, from the repository root.

For each scale of synthetic workshop (:mod:`needsmap.synthetic.builder`) it writes the
file, then measures in a fresh process (so memory figures are the process's
own): PyYAML's bare C-loader parse of the file (the yardstick), needsmap's
load, validate, graph build, full analysis, and re-analysis after one edit
(the terminal UI's case), each the median of ``--repeat`` runs
(:mod:`benchmarks.timing`), plus the peak resident memory of the process and
the full HTML report with its diagrams.  Results print as a table with the
ratio of each step to the bare parse, and optionally as JSON (``--json FILE``).

This is a benchmark, not a test: the targets (:data:`TARGETS`) are checked by
reading its output; the figures measured are recorded in docs/performance.md
("Results" and "Against the targets").  tests/benchmarks/test_workshop.py runs
it at the small scale, once, to keep it working.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import ROOT, child_env
from benchmarks.timing import machine, measure

TARGETS = {
    "load+validate / C parse": 3.0,
    "graph+analyse ms": 300.0,
    "re-analyse ms": 50.0,
    "peak MB": 300.0,
}


def measure_file(path: str, repeat: int) -> dict:
    """Run in the measuring process: every step on one file."""
    import yaml

    from needsmap.analysis import engine as analysis
    from needsmap.analysis import graph
    from needsmap.format import loader, validator

    data = Path(path).read_bytes()
    text = data.decode("utf-8")
    parse_ms = measure(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat).median_ms
    loading = measure(lambda: loader.load_bytes(data, path), repeat)
    result = loading.result
    ws = result.workshop
    assert ws is not None and not result.diagnostics, [d.render() for d in result.diagnostics[:5]]
    validating = measure(lambda: validator.validate(ws, path), repeat)
    diags = validating.result
    assert not [d for d in diags if d.severity == "error"], [d.render() for d in diags[:5]]
    graphing = measure(lambda: graph.build_graph(ws), repeat)
    g = graphing.result
    analysing = measure(lambda: analysis.analyse(ws), repeat)
    res = analysing.result

    # the terminal UI's case: one edit, then the analysis again, with the Analyser the UI keeps. The editing
    # session never changes an item in place: an edit puts a new object in its place (collab.session.edited),
    # and the UI's Analyser is told so (items_replaced=True). Each call swaps the use case (or system) for
    # the other of two versions made beforehand, so the timing is the analysis', not the copying's.
    from needsmap.collab.session import edited

    session_analyser = analysis.Analyser(items_replaced=True)
    session_analyser.analyse(ws)
    ui = max(range(len(ws.use_cases)), key=lambda i: len(ws.use_cases[i].needs))
    si = max(range(len(ws.systems)), key=lambda i: len(ws.systems[i].holds))

    def two_versions(section: str, index: int, change) -> list:
        first = getattr(ws, section)[index]
        second = edited(first)
        change(second)
        return [first, second]

    def flip_need(uc) -> None:
        uc.needs[0].criticality = "should" if uc.needs[0].criticality != "should" else "must"

    def flip_quality(sy) -> None:
        sy.holds[0].quality = 2 if sy.holds[0].quality != 2 else 4

    use_case_versions = two_versions("use_cases", ui, flip_need)
    system_versions = two_versions("systems", si, flip_quality)
    turn = [0]

    def swap_and_analyse(section: str, index: int, versions: list):
        turn[0] += 1
        getattr(ws, section)[index] = versions[turn[0] % 2]
        return session_analyser.analyse(ws)

    reanalysing = measure(lambda: swap_and_analyse("use_cases", ui, use_case_versions), max(repeat, 15))
    reanalysing_holding = measure(lambda: swap_and_analyse("systems", si, system_versions), max(repeat, 9))
    ws.use_cases[ui], ws.systems[si] = use_case_versions[0], system_versions[0]

    # a Python caller that changes items in place: the Analyser cannot trust identity and re-reads everything
    analyser = analysis.Analyser()
    analyser.analyse(ws)
    need = ws.use_cases[ui].needs[0]

    def edit_in_place_and_analyse():
        need.criticality = "should" if need.criticality != "should" else "must"
        return analyser.analyse(ws)

    reanalysing_in_place = measure(edit_in_place_and_analyse, max(repeat, 15))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = _report_figures(path)
    links = _count_links(ws)
    return {
        "file_mb": len(data) / 1048576,
        "counts": {
            "stakeholders": len(ws.stakeholders),
            "use_cases": len(ws.use_cases),
            "processes": len(ws.processes),
            "attributes": len(ws.attributes),
            "systems": len(ws.systems),
            "links": links,
            "gaps": len(res.gaps),
            "graph_nodes": g.number_of_nodes(),
            "graph_edges": g.number_of_edges(),
        },
        "c_parse_ms": parse_ms,
        "load_ms": loading.median_ms,
        "validate_ms": validating.median_ms,
        "graph_ms": graphing.median_ms,
        "analyse_ms": analysing.median_ms,
        "reanalyse_ms": reanalysing.median_ms,
        "reanalyse_min_ms": reanalysing.fastest_ms,
        "reanalyse_holding_ms": reanalysing_holding.median_ms,
        "reanalyse_in_place_ms": reanalysing_in_place.median_ms,
        "peak_mb": peak_mb,
        "report": report,
    }


def _report_figures(path: str) -> dict:
    """``needsmap report FILE -o x.html`` from start to finish (load, analyse, diagrams, HTML), and its parts."""
    from needsmap.analysis import engine as analysis
    from needsmap.format.opening import open_workshop
    from needsmap.report import render as report
    from needsmap.util.atomic_write import write_text_atomically

    starts: list[tuple[str, float]] = []

    def progress(message: str) -> None:  # each message starts a step
        starts.append((message, time.perf_counter()))

    t0 = time.perf_counter()
    progress("Loading and validating")
    ws = open_workshop(path).workshop
    progress("Analysing")
    result = analysis.analyse(ws)
    html = report.build_report(ws, result, fmt="html", source_file=path, progress=progress)
    out = Path(path).with_suffix(".html")
    progress("Writing the file")
    write_text_atomically(out, html)
    end = time.perf_counter()
    total = end - t0
    stamps = [t for _, t in starts[1:]] + [end]
    parts = {name: round((stop - start) * 1000) for (name, start), stop in zip(starts, stamps)}
    return {"total_s": total, "html_mb": len(html.encode("utf-8")) / 1048576, "parts_ms": parts}


def _count_links(ws) -> int:
    n = 0
    for s in ws.systems:
        n += len(s.holds) + sum(len(f.attributes) + 1 for f in s.feeds)
    for u in ws.use_cases:
        n += len(u.needs) + len(u.channels) + len(u.executes_in) + len(u.processes)
    for p in ws.processes:
        for st in p.steps:
            n += len(st.creates) + len(st.reads) + len(st.updates) + len(st.deletes)
    for nt in ws.notes:
        n += len(nt.about)
    return n


def run_scale(scale: str, seed: int, repeat: int, folder: Path) -> dict:
    from needsmap.format.saver import dump
    from needsmap.synthetic.builder import generate

    t0 = time.perf_counter()
    ws = generate(scale, seed)
    path = folder / f"{scale}-{seed}.yaml"
    path.write_text(dump(ws), encoding="utf-8")
    generate_s = time.perf_counter() - t0
    code = (
        "import json, sys; from benchmarks.workshop import measure_file; "
        "print(json.dumps(measure_file(sys.argv[1], int(sys.argv[2]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(repeat)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(),
    )
    if out.returncode != 0:
        raise RuntimeError(f"measuring {path.name} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout)
    result["scale"] = scale
    result["generate_s"] = generate_s
    return result


def render(results: list[dict]) -> str:
    rows = [f"machine: {machine()}", ""]
    header = (
        f"{'scale':<11}{'file':>8}{'links':>8}{'C parse':>9}{'load':>8}{'valid.':>8}{'l+v/C':>7}"
        f"{'graph':>8}{'analyse':>9}{'g+a':>8}{'re-an.':>8}{'peak MB':>9}"
    )
    rows.append(header)
    rows.append("-" * len(header))
    for r in results:
        lv = (r["load_ms"] + r["validate_ms"]) / r["c_parse_ms"]
        rows.append(
            f"{r['scale']:<11}{r['file_mb']:>6.1f}MB{r['counts']['links']:>8}{r['c_parse_ms']:>7.0f}ms"
            f"{r['load_ms']:>6.0f}ms{r['validate_ms']:>6.0f}ms{lv:>6.2f}x{r['graph_ms']:>6.0f}ms"
            f"{r['analyse_ms']:>7.0f}ms{r['graph_ms'] + r['analyse_ms']:>6.0f}ms"
            f"{r['reanalyse_ms']:>6.0f}ms{r['peak_mb']:>9.0f}"
        )
    rows.append("")
    rows.append("ratios to the bare C-loader parse (load, validate, graph, analyse):")
    for r in results:
        c = r["c_parse_ms"]
        rows.append(
            f"  {r['scale']:<11}"
            + "  ".join(f"{k} {r[k + '_ms'] / c:.2f}x" for k in ("load", "validate", "graph", "analyse"))
        )
    rows.append("")
    rows.append(
        "re-analysis after one edit, as the editing session makes it (median / fastest of 15 for a need edit; "
        "median of 9 for a holding edit), and after an edit in place (items not replaced, median of 15):"
    )
    for r in results:
        rows.append(
            f"  {r['scale']:<11}{r['reanalyse_ms']:6.0f} ms / {r['reanalyse_min_ms']:.0f} ms; "
            f"holding edit {r['reanalyse_holding_ms']:.0f} ms; in place {r['reanalyse_in_place_ms']:.0f} ms"
        )
    rows.append("")
    rows.append("full HTML report with diagrams (needsmap report FILE -o x.html):")
    for r in results:
        rep = r["report"]
        rows.append(f"  {r['scale']:<11}{rep['total_s']:6.2f} s  ({rep['html_mb']:.1f} MB HTML)")
    rows.append("")
    rows.append(
        "targets at enterprise scale: load+validate <= 3x C parse; graph+analyse <= 300 ms; "
        "re-analysis after one edit <= 50 ms; peak memory <= 300 MB; "
        "full HTML report <= 5 s"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workshop", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="small,medium,enterprise")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales.split(","):
            print(f"measuring {scale}...", file=sys.stderr, flush=True)
            results.append(run_scale(scale.strip(), args.seed, args.repeat, Path(tmp)))
    print(render(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
