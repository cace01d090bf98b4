"""needsmap roadmap: the comparison (table, md, json), one option's waves, --accept, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from needsmap.analysis.engine import analyse
from needsmap.cli.main import main
from needsmap.format.opening import open_workshop
from needsmap.roadmap.engine import build_roadmap
from tests.conftest import DEMO


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "demo.yaml"
    shutil.copy(DEMO, target)
    return target


def test_table_compares_the_options(runner):
    result = runner.invoke(main, ["roadmap", str(DEMO)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    for option in ("increments", "registry", "consolidation", "coexistence"):
        assert option in out
    assert "Leaves: data held nowhere (3): a registry links existing data, it captures nothing new" in out
    assert "No votes yet" in out


def test_option_shows_its_waves(runner):
    result = runner.invoke(main, ["roadmap", str(DEMO), "--option", "increments", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "| Wave | Work item | Kind | Effort | WSJF | Helps unlock |" in result.stdout
    assert (
        "| quarter 1 | Appoint an owner of Mobile phone number (`owner-mobile_phone`) | owner | 1 | 8.00 |"
        in result.stdout
    )
    assert "Registry: link" not in result.stdout.split("## Votes")[0].split("|---|")[-1]


def test_unknown_option_is_a_usage_error_with_a_suggestion(runner):
    result = runner.invoke(main, ["roadmap", str(DEMO), "--option", "increment"])
    assert result.exit_code == 2
    assert "no option 'increment'" in result.stderr and "increments" in result.stderr


def test_json_document(runner, tmp_path):
    out = tmp_path / "rm.json"
    result = runner.invoke(main, ["roadmap", str(DEMO), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "needsmap.roadmap/1"
    assert [o["id"] for o in doc["options"]] == [r["option"] for r in doc["comparison"]]
    inc = next(o for o in doc["options"] if o["id"] == "increments")
    waves = {w["id"]: w for w in inc["work_items"]}
    for w in inc["work_items"]:
        for d in w["depends_on"]:
            assert waves[d]["end_wave"] <= w["wave"]
    assert doc["settings"]["effort"]["hub"] == 8 and doc["settings"]["urgency"]["now"] == 3


def test_accept_writes_the_option_once_and_replace_overwrites(runner, tmp_path):
    path = _copy(tmp_path)
    result = runner.invoke(main, ["roadmap", str(path), "--accept", "increments"])
    assert result.exit_code == 0, result.output
    assert "Added option 'increments'" in result.stdout
    loaded = open_workshop(path)
    assert loaded.ok, [d.render() for d in loaded.diagnostics]
    option = loaded.workshop.options[0]
    assert option.id == "increments" and option.status == "shortlisted" and option.style == "increments"
    assert [w.id for w in option.work_items][:1] == ["owner-mobile_phone"] or option.work_items
    before = path.read_bytes()
    again = runner.invoke(main, ["roadmap", str(path), "--accept", "increments"])
    assert again.exit_code == 2 and "already has an option 'increments'" in again.stderr
    assert path.read_bytes() == before
    # edited in the file, then compared as written (status shown instead of "generated")
    table = runner.invoke(main, ["roadmap", str(path), "--format", "json"])
    row = next(r for r in json.loads(table.stdout)["comparison"] if r["option"] == "increments")
    assert row["status"] == "shortlisted"
    replaced = runner.invoke(main, ["roadmap", str(path), "--accept", "increments", "--replace"])
    assert replaced.exit_code == 0 and "Replaced option 'increments'" in replaced.stdout
    unknown = runner.invoke(main, ["roadmap", str(path), "--accept", "nope"])
    assert unknown.exit_code == 2 and "no generated option 'nope'" in unknown.stderr


def test_votes_appear_by_stakeholder_and_function(runner, tmp_path):
    path = _copy(tmp_path)
    assert runner.invoke(main, ["roadmap", str(path), "--accept", "registry"]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    text += (
        "votes:\n  - {stakeholder: sanne, option: registry, score: 2}\n"
        "  - {stakeholder: tom, option: registry, score: 4, comment: cheap}\n"
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["roadmap", str(path), "--format", "md"])
    assert result.exit_code == 0, result.output
    votes = result.stdout.split("## Votes", 1)[1]
    assert "| Sanne" in votes and "| marketing | 2.0 |" in votes and "| sales | 4.0 |" in votes
    assert "**3.0**" in votes


def test_a_dependency_cycle_stops_the_command_with_a_located_error(runner, tmp_path):
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8") + (
        "options:\n  - id: own\n    title: Own\n    work_items:\n"
        "      - {id: a, title: A, depends_on: [b]}\n      - {id: b, title: B, depends_on: [a]}\n"
    )
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["roadmap", str(path)])
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr and "dependency-cycle" not in result.stdout
    assert "depend on each other in a circle" in result.stderr


def test_accept_refuses_to_drop_comments_and_leaves_the_file_alone(runner, tmp_path):
    path = _copy(tmp_path)
    text = path.read_text(encoding="utf-8").replace("\nstakeholders:", "\n# who is in the room\nstakeholders:", 1)
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["roadmap", str(path), "--accept", "registry"])
    assert result.exit_code == 2
    assert "comments" in result.stderr and result.stderr.startswith(f"{path}: error: ")
    assert path.read_text(encoding="utf-8") == text


def _names_shown(out: str, names: list[str]) -> list[str]:
    """The names that ``out`` does not show in full (line breaks and padding taken as spaces)."""
    flat = " ".join(out.split())
    return [n for n in names if " ".join(n.split()) not in flat]


def test_at_80_columns_in_a_pipe_every_option_is_named_in_full_and_the_recommendation_comes_first(runner):
    for name in ("omnichannel-retail", "water-utility", "health-insurer"):
        path = DEMO.parent / f"{name}.yaml"
        result = runner.invoke(main, ["roadmap", str(path)], env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.output
        out = result.stdout
        assert max(len(line) for line in out.splitlines()) <= 80
        ws = open_workshop(path).workshop
        rm = build_roadmap(ws, analyse(ws))
        assert not _names_shown(out, [p.option.title for p in rm.plans])
        assert "…" not in out
        assert out.index("Recommended: ") < out.index("Side by side")
        assert rm.recommended is not None
        assert not _names_shown(out, [s.title for s in rm.recommended.start_with])
        waves = runner.invoke(main, ["roadmap", str(path), "--option", "increments"], env={"COLUMNS": "80"})
        assert "…" not in waves.stdout
        assert not _names_shown(waves.stdout, [it.item.title for it in rm.plan_of("increments").items])
