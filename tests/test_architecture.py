"""The package's shape holds: the layers contract, no import cycles, no borrowed private names.

The rule itself lives in one place, pyproject.toml's import-linter contracts (docs/architecture.md);
these tests run it and add what import-linter does not check.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "needsmap"


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter must be installed (dev dependencies)"
    out = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 2 kept, 0 broken" in out.stdout


def import_cycles(package: str) -> list[list[str]]:
    """Groups of modules of ``package`` that import each other, directly or round a loop.

    grimp reads every import statement, those inside functions too, so a deferred import
    that closes a loop is a cycle here.  Imports under ``if TYPE_CHECKING:`` never run and
    are left out (a widget may name the app's class in its annotations).
    """
    graph = grimp.build_graph(package, cache_dir=None, exclude_type_checking_imports=True)
    g = nx.DiGraph()
    for module in graph.modules:
        g.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            g.add_edge(module, imported)
    return sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1)


def test_no_import_cycles_counting_function_level_imports():
    cycles = import_cycles("needsmap")
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_check_sees_a_cycle_closed_inside_a_function(tmp_path, monkeypatch):
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("import cyc.b\n")
    (pkg / "b.py").write_text("def f():\n    from cyc import a\n    return a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyc") == [["cyc.a", "cyc.b"]]


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("needsmap"):
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}.{a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_names():
    found = [hit for p in sorted(PACKAGE.rglob("*.py")) for hit in _private_imports(p)]
    assert found == []


def test_core_packages_import_without_ui_libraries():
    core = ["format", "catalog", "analysis", "synthetic", "draft", "roadmap", "imports", "collab", "report", "util"]
    modules = [
        ".".join(p.relative_to(ROOT / "src").with_suffix("").parts).removesuffix(".__init__")
        for name in core
        for p in sorted((PACKAGE / name).rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'textual_serve', 'click', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_import_is_an_import_statement_the_contract_can_see():
    """A module named in a string (importlib.import_module, __import__) would get round the layers rule."""
    found = []
    for p in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            name = getattr(node.func, "attr", getattr(node.func, "id", "")) if isinstance(node, ast.Call) else ""
            if name in ("import_module", "__import__"):
                found.append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert found == []
