"""The review screen of import proposals: one key to accept, reject or re-map; Enter applies as one undo step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from textual.widgets import DataTable, Input

from needsmap.cli.main import main
from needsmap.tui.app import create_app
from needsmap.tui.screens.import_review import AskReviewFile, AttributePicker, ImportReviewScreen
from tests.conftest import DATA, assert_opens_clean
from tests.tui.conftest import run, settle, until

SIZE = (140, 40)
SYLIUS = DATA / "import" / "sylius.sql"


@pytest.fixture
def files(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A workshop and the review file of importing sylius.sql into it (nothing applied yet)."""
    monkeypatch.chdir(tmp_path)
    ws = tmp_path / "ws.yaml"
    shutil.copyfile(DATA / "import" / "small-workshop.yaml", ws)
    review = tmp_path / "review.yaml"
    result = CliRunner().invoke(
        main, ["import", "ddl", str(SYLIUS), str(ws), "--system", "shop", "--review", str(review)]
    )
    assert result.exit_code == 0, result.output
    return ws, review


def _decisions(review: Path) -> dict[str, str]:
    return {p["column"]: p["decision"] for p in yaml.safe_load(review.read_text(encoding="utf-8"))["proposals"]}


async def _go_to(pilot, table: DataTable, screen: ImportReviewScreen, key: str) -> None:
    table.move_cursor(row=screen.rows.index(key))
    await pilot.pause()


def test_accept_reject_remap_with_one_key_then_apply_as_one_undo_step(files):
    ws_path, review = files
    before = _decisions(review)
    undecided = [k for k, d in before.items() if d == "review"]
    assert len(undecided) >= 2

    async def body():
        app = create_app(ws_path)
        app.review_on_start = review  # as `needsmap open ws.yaml --review review.yaml` does
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
            screen = app.screen
            table = screen.query_one(DataTable)
            await until(pilot, lambda: table.row_count == len(before))
            # a: accept an undecided proposal; the file says so at once, the cursor moves on
            await _go_to(pilot, table, screen, undecided[0])
            await pilot.press("a")
            assert _decisions(review)[undecided[0]] == "accept"
            assert screen.rows[table.cursor_row] != undecided[0]
            # r: reject an automatic accept
            await _go_to(pilot, table, screen, "sylius_customer.first_name")
            await pilot.press("r")
            assert _decisions(review)["sylius_customer.first_name"] == "reject"
            # m: re-map an unmatched column with the fuzzy picker
            await _go_to(pilot, table, screen, "sylius_shop_user.salt")
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, AttributePicker) and bool(app.screen.query(Input)))
            picker_input = app.screen.query_one(Input)
            picker_input.value = ""
            await pilot.press(*"password hash")
            await until(pilot, lambda: app.screen.shown[:1] == ["password_hash"])
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))
            assert _decisions(review)["sylius_shop_user.salt"] == "map:password_hash"
            # u: only the undecided ones
            await pilot.press("u")
            await until(pilot, lambda: table.row_count == len(undecided) - 1)
            # enter applies to the open workshop, saved, one undo step
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, ImportReviewScreen))
            await settle(pilot)
            await until(pilot, lambda: any(s.id == "shop" for s in assert_opens_clean(ws_path).systems))
            shop = next(s for s in assert_opens_clean(ws_path).systems if s.id == "shop")
            fields = {h.attribute: h.field for h in shop.holds}
            assert fields["password_hash"] in ("sylius_shop_user.salt", "sylius_shop_user.password")
            assert fields["email"] == "sylius_customer.email"
            assert fields.get("first_name") != "sylius_customer.first_name"
            assert "postal_code" in {a.id for a in app.session.workshop.attributes}
            await pilot.press("ctrl+z")
            await until(pilot, lambda: not any(s.id == "shop" for s in app.session.workshop.systems))
            assert "postal_code" not in {a.id for a in app.session.workshop.attributes}

    run(body)


def test_escape_closes_without_applying_and_accept_needs_a_proposal(files):
    ws_path, review = files
    original = ws_path.read_bytes()

    async def body():
        app = create_app(ws_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_review_import(str(review))
            await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen) and bool(app.screen.rows))
            screen = app.screen
            table = screen.query_one(DataTable)
            await until(pilot, lambda: table.row_count > 0)
            await _go_to(pilot, table, screen, "sylius_shop_user.salt")
            await pilot.press("a")  # nothing proposed: not accepted
            assert _decisions(review)["sylius_shop_user.salt"] == "reject"
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, ImportReviewScreen))
            assert not any(s.id == "shop" for s in app.session.workshop.systems)

    run(body)
    assert ws_path.read_bytes() == original


def test_palette_entry_asks_for_the_file(files):
    ws_path, review = files

    async def body():
        app = create_app(ws_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert any(name == "Review import proposals" for name, _a, _h in app.global_commands())
            app.action_review_import()
            await until(pilot, lambda: isinstance(app.screen, AskReviewFile) and bool(app.screen.query(Input)))
            app.screen.query_one(Input).value = "no-such.yaml"
            await pilot.press("enter")
            assert isinstance(app.screen, AskReviewFile)  # refused, still asking
            app.screen.query_one(Input).value = str(review)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen))

    run(body)


def test_a_broken_review_file_is_shown_not_raised(files, tmp_path):
    ws_path, _review = files
    broken = tmp_path / "broken.yaml"
    broken.write_text("review: 1\nsystem: shop\nproposals:\n- column: t.c\n  decision: perhaps\n", encoding="utf-8")

    async def body():
        app = create_app(ws_path)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.action_review_import(str(broken))
            await until(pilot, lambda: isinstance(app.screen, ImportReviewScreen) and app.screen.error is not None)
            screen = app.screen
            assert "decision 'perhaps'" in screen.error
            assert screen.query_one(DataTable).row_count == 0
            await pilot.press("enter")  # nothing to apply
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, ImportReviewScreen))

    run(body)
