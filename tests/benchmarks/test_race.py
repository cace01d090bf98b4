"""The outside-writer race, short: needsmap and another program save the same file at once; nobody's edit is lost.

The full campaign (10 minutes) is ``python -m benchmarks.race``; its figures are in docs/reliability.md.
"""

from __future__ import annotations

import pytest

from benchmarks import race


@pytest.mark.parametrize("writer", ["locking", "blind"])
def test_a_short_race_loses_no_outside_edit_and_no_acknowledged_one(tmp_path, monkeypatch, writer):
    monkeypatch.chdir(tmp_path)  # the editor child must find the benchmarks package from anywhere
    figures = race.campaign("small", 8, writer, tmp_path, seed=3, pause=0.05)
    assert not figures.editor_failed and not figures.invalid_file, figures.problems
    assert figures.our_edits_acknowledged > 20 and figures.outside_edits > 5
    assert figures.outside_edits_lost == 0
    assert figures.our_edits_lost == 0


def test_the_outside_edit_changes_one_role_line():
    text = "stakeholders:\n  - id: ann\n    name: Ann\n    role: CEO\n  - id: bo\n    name: Bo\n    role: CFO\n"
    assert race.outside_edit(text, "bo", "outside edit 3") == text.replace("role: CFO", "role: outside edit 3")
    assert race.outside_edit(text, "ann", "x") == text.replace("role: CEO", "role: x")
