"""The kill test, short: children editing a workshop are SIGKILLed at random moments; no edit is lost.

The full campaign (1,000 kills on the enterprise workshop) is ``python -m
benchmarks.killtest``; its figures are in docs/reliability.md.
"""

from __future__ import annotations

import shutil

from benchmarks import killtest


def test_thirty_random_kills_lose_no_acknowledged_edit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the children must find the benchmarks package from anywhere
    figures = killtest.campaign("small", 30, seed=7, folder=tmp_path)
    assert figures.problems == []
    assert figures.kills == figures.kills_survived == 30
    assert 0 < figures.kills_starting < 30  # kills land both while starting and while editing
    assert figures.acknowledged_edits > 30
    assert figures.edits_lost == figures.phantom_edits == figures.invalid_files == figures.children_failed == 0


def test_the_checker_notices_a_lost_edit(tmp_path):
    """If a save were lost (here: the previous version put back), the campaign would say so."""
    path = tmp_path / "w.yaml"
    from needsmap.format.saver import save
    from needsmap.synthetic.builder import generate

    save(generate("small", 3), path)
    checker = killtest.Checker(path)
    acks, code, err, _ = killtest._run_child(path, 0, None, edits=3)
    assert code == 0 and acks == [0, 1, 2], err
    shutil.copyfile(path.with_name(path.name + ".bak"), path)  # the version before the last edit
    valid, lost, phantom, landed, _ = checker.check(acks, in_flight=3)
    assert valid and lost == 1 and phantom == 0 and not landed


def test_the_checker_notices_a_broken_file(tmp_path):
    path = tmp_path / "w.yaml"
    from needsmap.format.saver import save
    from needsmap.synthetic.builder import generate

    save(generate("small", 3), path)
    checker = killtest.Checker(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # half a file
    valid, lost, _, _, message = checker.check([], in_flight=0)
    assert not valid and message
