"""``python -m benchmarks.ddl`` on a few hundred columns, once: read, match and plan are timed."""

from __future__ import annotations

from benchmarks import ddl
from tests.benchmarks.conftest import assert_positive


def test_the_ddl_has_a_table_per_fifty_columns():
    text = ddl.make_ddl(120, seed=1, dialect="postgres")
    assert text.count("CREATE TABLE ") == 3 and '"' in text


def test_a_few_hundred_columns_once(capsys):
    figures = ddl.run(300, seed=1, repeat=1, dialect="mysql")
    assert_positive(figures, ("read", "match", "plan", "columns", "bytes"))
    assert figures["columns"] <= 300
    assert ddl.main(["--columns", "300", "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "tables + matching" in printed and "target <= 2 s: met" in printed


def test_the_large_file_run_on_a_small_file(tmp_path, capsys):
    made = ddl.write_big_ddl(tmp_path / "big.sql", 0.02, seed=1, dialect="mysql")
    assert made["bytes"] >= 20_000 and made["columns"] == 4 * made["tables"]
    text = (tmp_path / "big.sql").read_text(encoding="utf-8")
    assert text.count("CREATE TABLE ") == made["tables"]
    (row,) = ddl.run_big([0.02], tmp_path, timeout=120)
    assert row["status"] == "exit 0" and not row["traceback"], row
    assert_positive(row, ("seconds", "peak_mb", "output_bytes", "tables"))
    assert ddl.main(["--big", "0.02", "--folder", str(tmp_path)]) == 0
    assert "peak" in capsys.readouterr().out
