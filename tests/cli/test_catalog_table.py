"""needsmap catalog in an 80-column terminal or a pipe: every entry's name and id in full."""

from __future__ import annotations

from needsmap.catalog.entries import load_catalog
from needsmap.cli.main import main


def test_at_80_columns_every_entry_is_named_in_full(runner):
    result = runner.invoke(main, ["catalog"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.replace("│", " ").split())
    entries = load_catalog().entries
    assert entries
    missing = [e.id for e in entries if " ".join(e.name.split()) not in flat or e.id not in flat]
    assert not missing


def test_wide_terminals_keep_the_id_and_name_columns_and_the_definition(runner):
    result = runner.invoke(main, ["catalog", "phone"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    head = result.stdout.splitlines()[1]
    assert "id" in head and "name" in head and "definition" in head
