"""The command line's shape: fast to list, choices from the library, one set of exit codes, files written alike."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from needsmap.cli.common import LibraryChoice
from needsmap.cli.main import main
from tests.conftest import DEMO, ROOT

CLI = ROOT / "src" / "needsmap" / "cli"


def test_listing_the_commands_imports_no_engine():
    """``needsmap --help`` loads the command modules only: no engine, no rich, no templates, no UI."""
    code = (
        "import sys\n"
        "from needsmap.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "validate" in out.stdout and "report" in out.stdout
    loaded = set(out.stderr.split())
    ours = {m for m in loaded if m.startswith("needsmap.")}
    assert ours and all(m.startswith("needsmap.cli") for m in ours), sorted(ours)
    heavy = {"rich", "jinja2", "networkx", "openpyxl", "textual", "yaml", "ruamel", "sqlglot", "sqlalchemy"}
    assert heavy & {m.split(".")[0] for m in loaded} == set()


def _option(path: list[str], name: str):
    command = main
    for word in path:
        command = command.commands[word]
    return next(p for p in command.params if p.name == name)


def _constant(module: str, name: str) -> tuple[str, ...]:
    import importlib

    return tuple(getattr(importlib.import_module(module), name))


@pytest.mark.parametrize(
    "path,option,module,constant",
    [
        (["gaps"], "by", "needsmap.analysis.output", "GROUPINGS"),
        (["gaps"], "min_severity", "needsmap.format.diagnostics", "SEVERITIES"),
        (["model"], "fmt", "needsmap.draft.render", "FORMATS"),
        (["model"], "dialect", "needsmap.draft.render", "DIALECTS"),
        (["model"], "scope", "needsmap.draft.engine", "SCOPES"),
        (["report"], "fmt", "needsmap.report.output", "FORMATS"),
        (["generate"], "scale", "needsmap.synthetic.builder", "SCALES"),
        (["import", "sheet"], "kind", "needsmap.imports.sheet", "IMPORT_KINDS"),
    ],
)
def test_choices_are_the_library_constants(path, option, module, constant):
    """A format, dialect, scale or grouping the library adds is a choice of its command at once."""
    param = _option(path, option)
    assert isinstance(param.type, LibraryChoice)
    assert tuple(param.type.choices) == _constant(module, constant)


def test_fail_on_offers_every_severity_but_info():
    assert _option(["gaps"], "fail_on").type.choices == _constant("needsmap.format.diagnostics", "SEVERITIES")[:-1]


def test_exit_codes_are_defined_once():
    """Only cli/common.py assigns EXIT_OK, EXIT_FINDINGS and EXIT_USAGE; every command imports them."""
    defining = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if any(n.startswith("EXIT_") for n in names):
                defining.append(path.name)
    assert defining == ["common.py"]


def test_report_to_a_csv_name_writes_a_folder_of_csv_files(runner, tmp_path: Path):
    from needsmap.report.tables import CSV_FILES

    out = tmp_path / "out" / "tables.csv"
    result = runner.invoke(main, ["report", str(DEMO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "tables"
    assert sorted(p.name for p in folder.iterdir()) == sorted(CSV_FILES)
    assert result.stdout.splitlines() == [
        f"Wrote {len(CSV_FILES)} CSV files into {folder}:",
        *(f"  {folder / name}" for name in CSV_FILES),
    ]


def test_report_format_unknown_from_the_suffix_names_every_format(runner, tmp_path: Path):
    result = runner.invoke(main, ["report", str(DEMO), "-o", str(tmp_path / "report.pdf")])
    assert result.exit_code == 2
    assert "cannot tell the format from '.pdf'; use --format html|md|xlsx|csv" in result.stderr
    assert not (tmp_path / "report.pdf").exists()


@pytest.mark.parametrize("args", [["roadmap", str(DEMO)], ["diff", str(DEMO), str(DEMO)], ["gaps", str(DEMO)]])
def test_a_table_written_to_a_file_is_plain_text_at_a_fixed_width(runner, tmp_path: Path, args):
    out = tmp_path / "table.txt"
    result = runner.invoke(main, [*args, "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"Wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.strip() and "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 120


def test_a_file_that_cannot_be_written_is_a_usage_error(runner, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(main, ["model", str(DEMO), "-o", str(blocker / "draft.sql")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{blocker / 'draft.sql'}: error: cannot write: ")
