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
    assert out.startswith("tune, each system left out of the calibration and of the evidence: ")
    assert "| 0.90-1.00 |" in out
    assert matching.main(["--labelled", "tune", "--leave-one-out", "--calibration-only"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tune, each system left out of the calibration only: ") and "| 0.90-1.00 |" in out
    assert matching.main(["--labelled", "held-out-3", "--misses"]) == 2  # a held-out part's misses are not listed
    assert matching.main(["--ddl", "sap"]) == 0
    ddl = capsys.readouterr().out
    assert "CREATE TABLE [dbo].[KNA1]" in ddl and "[SMTP_ADDR] nvarchar(241)" in ddl


def test_a_system_left_out_takes_the_evidence_it_contributed_with_it():
    """The honest leave-one-out: a spelling only the left-out system reads right counts as unconfirmed, both
    when it is matched and in the calibration fitted on the others (whose own support is counted without them
    too); readings only their own system confirms are never fitted (they are right there by construction)."""
    from needsmap.imports.column_support import support_of, without

    points = {
        "a": [("exact", 1.0, True, ("spelling:city=ort",))],
        "b": [("exact", 1.0, True, ("spelling:city=ort",)), ("exact", 0.9, True, ("spelling:city=stadt",))],
        "c": [("exact", 1.0, False, ("spelling:city=ort",)), ("exact", 1.0, True, ())],
    }
    support = matching.support_table(points)
    assert support == {
        "spelling:city=ort": frozenset({"a", "b"}),
        "spelling:city=stadt": frozenset({"b"}),
        "!spelling:city=ort": frozenset({"c"}),  # the systems it reads wrong: its record
    }
    fitted = matching.calibration_points(points, support)
    # c's 'ort' is confirmed by a and b, fewer than ACCEPT_SUPPORT: a block of its own, held for review
    assert fitted == {"exact/1": [(1.0, True), (1.0, True)], "exact/few": [(1.0, False)], "exact": [(1.0, True)]}
    without_a = matching.calibration_points(points, support, frozenset({"a"}))
    # without a: c's 'ort' is confirmed by b alone; b's 'ort' and 'stadt' by no one else, so they are not fitted
    assert without_a == {"exact/1": [(1.0, False)], "exact": [(1.0, True)]}
    assert support_of(("spelling:city=ort",), without(support, {"a"})) == 1
    assert support_of(("spelling:city=stadt",), without(support, {"b"})) == 0
