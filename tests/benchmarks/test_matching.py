"""``python -m benchmarks.matching`` on a few hundred columns, once: the catalog, the matcher, the matches."""

from __future__ import annotations

from benchmarks import matching
from tests.benchmarks.conftest import assert_positive


def test_the_columns_are_distinct_and_half_of_them_mean_something():
    columns = matching.make_columns(300, seed=1)
    assert len(columns) == len({(c.name, c.table, c.sql_type) for c in columns}) == 300


def test_a_few_hundred_columns_once(capsys):
    figures = matching.run(300, seed=1, repeat=1)
    assert figures["columns"] == 300
    assert_positive(figures, ("entries", "catalog_load_s", "build_s", "match_s", "matched_share"))
    assert figures["matched_share"] < 1  # the columns without a customer meaning stay unmatched
    assert figures["workshop_attributes"] == 0
    assert matching.main(["--columns", "300", "--repeat", "1"]) == 0  # exit 0: within the target
    assert "match_many(300 columns)" in capsys.readouterr().out


def test_against_a_workshop_too():
    figures = matching.run(100, seed=1, repeat=1, workshop_scale="small")
    assert figures["workshop_attributes"] == 50
    assert_positive(figures, ("build_s", "match_s", "matched_share"))


def test_the_labelled_figures_and_a_suite_as_ddl(capsys):
    assert matching.main(["--labelled", "tune"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tune: ") and "| 0.90-1.00 |" in out
    assert matching.main(["--labelled", "tune", "--leave-one-out"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tune, each system calibrated on the others: ") and "| 0.90-1.00 |" in out
    assert matching.main(["--ddl", "sap"]) == 0
    ddl = capsys.readouterr().out
    assert "CREATE TABLE [dbo].[KNA1]" in ddl and "[SMTP_ADDR] nvarchar(241)" in ddl
