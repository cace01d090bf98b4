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
