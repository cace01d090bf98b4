"""The core library never imports the terminal UI: it must stay a layer on top."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

CORE = ["needsmap.model", "needsmap.spec", "needsmap.loader", "needsmap.validator", "needsmap.saver",
        "needsmap.workshop_io", "needsmap.starter", "needsmap.schema_export", "needsmap.diagnostics",
        "needsmap.textsafe", "needsmap.graph", "needsmap.rules", "needsmap.analysis", "needsmap.gaps_output",
        "needsmap.session", "needsmap.report_context", "needsmap.export_tables", "needsmap.synthetic",
        "needsmap.diagrams", "needsmap.svgcharts", "needsmap.killtest",
        "needsmap.catalog", "needsmap.column_match", "needsmap.column_match_bench",
        "needsmap.import_plan", "needsmap.import_sheet",
        "needsmap.import_schema", "needsmap.import_ddl", "needsmap.import_ddl_bench", "needsmap.import_db",
        "needsmap.import_review", "needsmap.sheet_reader", "needsmap.sheet_values",
        "needsmap.item_identity", "needsmap.workshop_diff", "needsmap.diff_output", "needsmap.git_revisions",
        "needsmap.git_setup", "needsmap.merge", "needsmap.merge_conflicts",
        "needsmap.roadmap", "needsmap.roadmap_output", "needsmap.roadmap_accept", "needsmap.roadmap_bench",
        "needsmap.model_draft", "needsmap.model_render", "needsmap.model_report",
        "needsmap.model_bench"]


def test_importing_the_core_does_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {name}\n" for name in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'click', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter must be installed (dev dependencies)"
    out = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 1 kept, 0 broken" in out.stdout
