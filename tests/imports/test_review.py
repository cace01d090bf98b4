"""The review file of a schema import: written by import ddl --review, edited, applied by import apply."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from needsmap.cli.main import main
from needsmap.imports.review import ReviewError, read_review, with_decision
from tests.conftest import DATA
from tests.imports.conftest import SMALL, holdings_of

SYLIUS = DATA / "import" / "sylius.sql"


def _write_review(runner, small: Path, *extra: str) -> Path:
    review = small.parent / "review.yaml"
    result = runner.invoke(
        main, ["import", "ddl", str(SYLIUS), str(small), "--system", "shop", "--review", str(review), *extra]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {review}" in result.output
    return review


def _set(review: Path, decisions: dict[str, str]) -> None:
    """Edit decisions the way a person does: in the text, keeping the rest of the file."""
    lines = review.read_text(encoding="utf-8").splitlines()
    current = None
    for i, line in enumerate(lines):
        if line.startswith("- column: "):
            current = line[len("- column: ") :].strip()
        elif line.strip().startswith("decision:") and current in decisions:
            lines[i] = line[: line.index("decision:")] + f"decision: {decisions[current]}"
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_review_file_lists_every_column_with_a_decision(runner, small):
    before = small.read_bytes()
    review = _write_review(runner, small)
    assert small.read_bytes() == before  # --review writes the review file, not the workshop
    text = review.read_text(encoding="utf-8")
    assert text.startswith("# needsmap import review file")
    doc = yaml.safe_load(text)
    assert doc["review"] == 1 and doc["system"] == "shop" and doc["into"] == str(small)
    entries = {p["column"]: p for p in doc["proposals"]}
    assert len(entries) == 57  # every column of sylius.sql
    first = entries["sylius_customer.first_name"]
    assert first["proposed"] == "first_name" and first["decision"] == "accept" and first["confidence"] >= 0.9
    line = next(
        n
        for n, text in enumerate(SYLIUS.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("CREATE TABLE sylius_customer (")
    )
    assert first["at"] == f"{SYLIUS}:{line}"
    assert entries["sylius_shop_user.salt"]["proposed"] is None
    assert entries["sylius_shop_user.salt"]["decision"] == "reject"
    decisions = {p["decision"] for p in doc["proposals"]}
    assert decisions == {"accept", "review", "reject"}
    for p in doc["proposals"]:
        assert (p["decision"] == "accept") == (p["proposed"] is not None and p["confidence"] >= 0.9)


def test_apply_takes_accepts_maps_and_leaves_out_rejects(runner, small):
    review = _write_review(runner, small)
    doc = yaml.safe_load(review.read_text(encoding="utf-8"))
    to_review = [p["column"] for p in doc["proposals"] if p["decision"] == "review"]
    assert to_review
    _set(
        review,
        {
            "sylius_customer.first_name": "reject",  # a person disagrees with an automatic accept
            "sylius_customer.gender": "map:salutation",  # re-mapped to another catalog attribute
            "sylius_shop_user.salt": "map:password_hash",  # an unmatched column mapped by hand
            to_review[0]: "accept",
        },
    )
    result = runner.invoke(main, ["import", "apply", str(review)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {small}" in result.output
    held = holdings_of(small, "shop")
    assert "first_name" not in held or held["first_name"].field != "sylius_customer.first_name"
    assert held["salutation"].field == "sylius_customer.gender"
    assert held["password_hash"].field in ("sylius_shop_user.password", "sylius_shop_user.salt")
    accepted = next(p for p in doc["proposals"] if p["column"] == to_review[0])
    assert any(h.field == accepted["column"] for h in held.values()) or accepted["proposed"] in held
    left = [p for p in doc["proposals"] if p["decision"] == "review" and p["column"] != to_review[0]]
    assert f"{len(left)} proposal(s) still marked 'review' are left out" in result.output
    # applying again changes nothing
    again = runner.invoke(main, ["import", "apply", str(review)])
    assert again.exit_code == 0 and "nothing to change; not written" in again.output


def test_apply_dry_run_and_into(runner, small, tmp_path):
    review = _write_review(runner, small)
    before = small.read_bytes()
    result = runner.invoke(main, ["import", "apply", str(review), "--dry-run"])
    assert result.exit_code == 0 and "Dry run: nothing written" in result.output
    assert small.read_bytes() == before
    # a new workshop lacks the small workshop's own attributes the review maps to (email_optin, accepted by a
    # person: one labelled system confirms the spelling, so it is proposed for review): refused, located
    _set(review, {"sylius_customer.subscribed_to_newsletter": "map:email_optin"})
    new = tmp_path / "new.yaml"
    result = runner.invoke(main, ["import", "apply", str(review), "--into", str(new)])
    assert result.exit_code == 2 and "'email_optin' is neither an attribute of the workshop" in result.output
    assert not new.exists()
    other = tmp_path / "other.yaml"
    shutil.copyfile(SMALL, other)
    result = runner.invoke(main, ["import", "apply", str(review), "--into", str(other)])
    assert result.exit_code == 0, result.output
    assert holdings_of(other, "shop")["email"].field == "sylius_customer.email"


def _refused(runner, review: Path, small: Path) -> str:
    before = small.read_bytes()
    result = runner.invoke(main, ["import", "apply", str(review)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "nothing written" in result.output
    assert small.read_bytes() == before
    return result.output


def test_bad_decisions_are_located(runner, small):
    review = _write_review(runner, small)
    _set(review, {"sylius_customer.email": "maybe", "sylius_customer.birthday": "map:no such thing"})
    out = _refused(runner, review, small)
    lines = review.read_text(encoding="utf-8").splitlines()
    email_line = lines.index("- column: sylius_customer.email") + 1
    assert f"{review}:{email_line}: error: sylius_customer.email: decision 'maybe' is not one of" in out
    assert "sylius_customer.birthday: decision 'map:no such thing'" in out


def test_unknown_attribute_is_located(runner, small):
    review = _write_review(runner, small)
    _set(review, {"sylius_customer.gender": "map:shoe_colour"})
    out = _refused(runner, review, small)
    line = review.read_text(encoding="utf-8").splitlines().index("- column: sylius_customer.gender") + 1
    assert f"{review}:{line}: error: sylius_customer.gender: 'shoe_colour' is neither an attribute" in out


def test_broken_review_files(runner, small, tmp_path):
    cases = {
        "binary.yaml": (b"\x00\x01\x02review", "this is a binary file"),
        "broken.yaml": (b"review: 1\nproposals: [\n", "error: not valid YAML"),
        "other.yaml": (b"needsmap: 1\nworkshop: {name: x}\n", "not a needsmap review file"),
        "version.yaml": (b"review: 7\nsystem: crm\nproposals: []\n", "'review: 1' expected"),
        "accept-nothing.yaml": (
            b"review: 1\nsystem: crm\ninto: ws.yaml\nproposals:\n- column: t.c\n  proposed: null\n  decision: accept\n",
            "nothing was proposed to accept",
        ),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert message in _refused(runner, path, small), name
    assert "no such file" in _refused(runner, tmp_path / "missing.yaml", small)


def test_review_roundtrip_in_the_library(runner, small):
    review_path = _write_review(runner, small)
    review = read_review(review_path)
    assert review.system == "shop" and review.undecided() > 0
    changed = with_decision(review, "sylius_customer.email", "reject")
    assert next(p for p in changed.proposals if p.key == "sylius_customer.email").decision == "reject"
    with pytest.raises(ValueError):
        with_decision(review, "sylius_customer.email", "perhaps")
    with pytest.raises(ReviewError):
        read_review(small)  # a workshop is not a review file


def test_review_file_must_not_be_the_workshop(runner, small):
    result = runner.invoke(main, ["import", "ddl", str(SYLIUS), str(small), "--system", "shop", "--review", str(small)])
    assert result.exit_code == 2
    assert "the review file must not be the workshop file" in result.output


def test_interactive_prompt_decides_and_the_review_file_keeps_the_answers(runner, small):
    plain = _write_review(runner, small, "--accept-above", "0.99")
    pending = [
        p["column"] for p in yaml.safe_load(plain.read_text(encoding="utf-8"))["proposals"] if p["decision"] == "review"
    ]
    assert len(pending) >= 4
    review = small.parent / "asked.yaml"
    answers = "a\nr\nm\nno_such_attribute\nsalutation\nq\n"
    result = runner.invoke(
        main,
        [
            "import",
            "ddl",
            str(SYLIUS),
            str(small),
            "--system",
            "shop",
            "--interactive",
            "--accept-above",
            "0.99",
            "--review",
            str(review),
            "--apply",
        ],
        input=answers,
    )
    assert result.exit_code == 0, result.output
    assert f"[1/{len(pending)}] {pending[0]}" in result.output
    assert "'no_such_attribute' is neither an attribute of the workshop nor a catalog id" in result.output
    decided = {p["column"]: p["decision"] for p in yaml.safe_load(review.read_text(encoding="utf-8"))["proposals"]}
    assert [decided[c] for c in pending[:4]] == ["accept", "reject", "map:salutation", "review"]
    held = holdings_of(small, "shop")
    assert held["salutation"].field == pending[2]


def test_applying_a_long_review_file_shows_a_bounded_preview(runner, small):
    """Thousands of proposals: the preview draws the first rows (additions first) and counts the rest."""
    from needsmap.cli.imports import PREVIEW_ROWS

    n = PREVIEW_ROWS + 300
    sql = small.parent / "many.sql"
    sql.write_text("".join(f"CREATE TABLE customer_{i} (email varchar(200));\n" for i in range(n)), encoding="utf-8")
    review = small.parent / "review.yaml"
    args = [
        "import",
        "ddl",
        str(sql),
        str(small),
        "--system",
        "shop",
        "--tables",
        "customer_*",
        "--review",
        str(review),
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import", "apply", str(review), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    # the small workshop has email: the system and one holding to add, every other column is skipped
    assert (
        f"... and {n + 1 - PREVIEW_ROWS:,} more rows not shown: 0 to add, 0 to merge, 0 unchanged, 0 ambiguous" in out
    )
    assert f"2 to add, 0 to merge, 0 unchanged, 0 ambiguous, {n - 1} skipped" in out  # the whole plan
    assert "shop holds email (customer_0.email)" in out
    assert f"customer_{n - 1}.email" not in out
    assert len(out.splitlines()) < PREVIEW_ROWS + 50
