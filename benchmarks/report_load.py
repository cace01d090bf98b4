"""Benchmark of the HTML report in a browser: ``python -m benchmarks.report_load [--scale enterprise] [--repeat 5]``,
from the repository root.

Generates a synthetic workshop (:mod:`needsmap.synthetic.builder`), writes its HTML report (with diagrams,
as ``needsmap report FILE -o x.html`` does) and opens it in headless Chromium (Playwright, Debian's
Chromium as the tests use it) ``--repeat`` times, each in a fresh page, and records:

* the time to the ``load`` event and to the first paint (``performance`` entries, median of the runs);
* the DOM size as the page opens: ``document.getElementsByTagName('*').length`` (the target: at most 30,000);
* where the summary's first screen (start with, what blocks, open questions) ends at 1440 x 900 (target: <= 900 px);
* the time to build the biggest part loaded on demand (a ``<details class="lazy">``, opened as a click opens it)
  and the DOM size after it;
* the file size, and the page height at 1440 and at 390 px wide;
* with ``--pdf``, the pages of the summary-only print (``--summary-only``) and of the full print (A4).

Not a test: the figures are recorded in docs/performance.md ("The HTML report in a browser");
tests/benchmarks/test_report_load.py runs it at the small scale, once, to keep it working.
"""

from __future__ import annotations

import re
import statistics
import tempfile
from pathlib import Path

from benchmarks.chromium import CHROMIUM_ARGS, chromium_executable
from benchmarks.timing import machine, scale_parser

#: The two widths the report is laid out for: a laptop and a phone.
WIDTHS = (1440, 390)

_TIMING = """async () => {
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));  // the first frame is painted
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint')
             || performance.getEntriesByType('paint').find(p => p.name === 'first-paint');
  const first = document.querySelector('.first-screen');
  return {load: nav ? nav.loadEventEnd : 0, paint: paint ? paint.startTime : 0,
          nodes: document.getElementsByTagName('*').length,
          first_screen: first ? first.getBoundingClientRect().bottom : 0};
}"""


def write_reports(scale: str, seed: int, folder: Path) -> dict[str, Path]:
    """The full and the summary-only HTML report of the synthetic workshop, written into ``folder``."""
    from needsmap.analysis.engine import analyse
    from needsmap.report import render as report
    from needsmap.synthetic import builder as synthetic

    ws = synthetic.generate(scale, seed)
    analysis = analyse(ws)
    out = {}
    for name, summary_only in (("full", False), ("summary", True)):
        path = folder / f"{scale}-{name}.html"
        html = report.build_report(ws, analysis, fmt="html", source_file=f"{scale}.yaml", summary_only=summary_only)
        path.write_text(html, encoding="utf-8")
        out[name] = path
    return out


_OPEN_BIGGEST = """async () => {
  const parts = Array.from(document.querySelectorAll('details.lazy'));
  if (!parts.length) { return {open: 0, rows: 0, nodes: document.getElementsByTagName('*').length}; }
  const biggest = parts.reduce((a, b) => (+b.dataset.size > +a.dataset.size ? b : a));
  const start = performance.now();
  biggest.open = true;
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));  // built and laid out
  return {open: performance.now() - start, rows: +biggest.dataset.size,
          nodes: document.getElementsByTagName('*').length};
}"""


def _chromium() -> str:
    found = chromium_executable()
    if not found:
        raise SystemExit("Chromium is needed: /usr/bin/chromium or chromium on PATH")
    return found


def measure_page(browser, path: Path, repeat: int) -> dict:
    """Open ``path`` ``repeat`` times: load and first paint (median ms), DOM nodes, heights at each width."""
    loads, paints, nodes, opens = [], [], [], []
    first_screen = 0.0
    biggest: dict = {}
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        t = page.evaluate(_TIMING)
        loads.append(t["load"])
        paints.append(t["paint"])
        nodes.append(t["nodes"])
        first_screen = t["first_screen"]
        biggest = page.evaluate(_OPEN_BIGGEST)
        opens.append(biggest["open"])
        context.close()
    heights = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        heights[width] = page.evaluate("document.documentElement.scrollHeight")
        context.close()
    return {
        "load_ms": statistics.median(loads),
        "paint_ms": statistics.median(paints),
        "dom_nodes": max(nodes),
        "first_screen_px": first_screen,
        "open_biggest_ms": statistics.median(opens),
        "biggest_rows": biggest.get("rows", 0),
        "dom_nodes_opened": biggest.get("nodes", 0),
        "bytes": path.stat().st_size,
        "height": heights,
    }


def pdf_pages(browser, path: Path) -> int:
    """The pages of ``path`` printed on A4 (as the browser's print does, backgrounds on)."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    pdf = page.pdf(format="A4", print_background=True)
    context.close()
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def measure(scale: str = "enterprise", seed: int = 1, repeat: int = 5, pdf: bool = False) -> dict:
    """The figures of the full and the summary-only report of ``scale`` (see the module's doc)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="needsmap-report-load-") as tmp:
        paths = write_reports(scale, seed, Path(tmp))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
            try:
                figures: dict = {"scale": scale, "seed": seed, "repeat": repeat}
                for name, path in paths.items():
                    figures[name] = measure_page(browser, path, repeat)
                    if pdf:
                        figures[name]["pdf_pages"] = pdf_pages(browser, path)
            finally:
                browser.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = scale_parser("report_load", __doc__)
    parser.add_argument("--pdf", action="store_true", help="also print each report to PDF and count its pages")
    args = parser.parse_args(argv)
    r = measure(args.scale, args.seed, args.repeat, args.pdf)
    print(f"machine: {machine()}")
    print(f"{r['scale']} seed {r['seed']}: HTML report in headless Chromium, median of {r['repeat']} opens")
    for name in ("full", "summary"):
        f = r[name]
        pages = f" {f['pdf_pages']:>5} pages" if "pdf_pages" in f else ""
        paint = f"{f['paint_ms']:6.0f} ms" if f["paint_ms"] else "   n/a   "  # no paint entry before the load
        print(
            f"  {name:<8} load {f['load_ms']:7.0f} ms  first paint {paint}  "
            f"{f['dom_nodes']:>7,} nodes  {f['bytes'] / 1e6:5.2f} MB  "
            f"height {f['height'][1440]:>8,} px at 1440, {f['height'][390]:>9,} px at 390{pages}"
        )
        print(f"  {'':<8} the summary's first screen ends at {f['first_screen_px']:.0f} px of 900 (1440 wide)")
        if f["biggest_rows"]:
            print(
                f"  {'':<8} biggest part on demand: {f['biggest_rows']:,} rows built in {f['open_biggest_ms']:.0f} ms, "
                f"then {f['dom_nodes_opened']:,} nodes"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
