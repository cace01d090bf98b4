"""The one reference walk: rename follows every reference, delete leaves none dangling."""

from __future__ import annotations

from needsmap.format import model as m
from needsmap.format import references, spec
from needsmap.format.validator import validate
from tests.conftest import DEMO, assert_opens_clean


def _demo() -> m.Workshop:
    return assert_opens_clean(DEMO)


def _rewrite_all(ws: m.Workshop, section: str, ident: str, new_id: str | None) -> tuple[m.Workshop, list[str]]:
    found: list[str] = []
    for other, i, item, rec in list(references.referring_items(ws, section, ident)):
        new = references.rewrite(item, rec, section, ident, new_id, found, f"{other} '{item.id}'")
        if new is not item:
            ws.section(other)[i] = new
    return ws, found


def _count(ws: m.Workshop, section: str, ident: str) -> int:
    found: list[str] = []
    for _other, _i, item, rec in references.referring_items(ws, section, ident):
        references.rewrite(item, rec, section, ident, "x-probe", found, "")
    return len(found)


def test_renaming_an_attribute_renames_every_reference_and_the_file_stays_valid():
    ws = _demo()
    before = _count(ws, "attributes", "email")
    assert before > 3  # needs, holdings, feeds, steps refer to it
    ws.attributes[[a.id for a in ws.attributes].index("email")].id = "email_address"
    ws, found = _rewrite_all(ws, "attributes", "email", "email_address")
    assert len(found) == before
    assert _count(ws, "attributes", "email") == 0 and _count(ws, "attributes", "email_address") == before
    assert [d for d in validate(ws) if d.severity == "error"] == []


def test_removing_references_drops_records_that_require_them_and_leaves_nothing_dangling():
    ws = _demo()
    system = next(s for s in ws.systems if any(f.to for f in s.feeds))
    target = system.feeds[0].to
    ws.systems = [s for s in ws.systems if s.id != target]
    ws, found = _rewrite_all(ws, "systems", target, None)
    assert found and _count(ws, "systems", target) == 0
    assert all(f.to != target for s in ws.systems for f in s.feeds)  # feeds to it went as a whole
    assert [d for d in validate(ws) if d.severity == "error"] == []


def test_an_item_without_references_is_returned_as_it_is_and_a_changed_one_is_a_copy():
    ws = _demo()
    rec = spec.ITEM_RECORDS["use_cases"]
    uc = ws.use_cases[0]
    assert references.rewrite(uc, rec, "systems", "no-such-system", None, [], "") is uc
    owner = uc.owner
    assert owner
    new = references.rewrite(uc, rec, "stakeholders", owner, None, found := [], "use case")
    assert new is not uc and new.owner is None and uc.owner == owner and found == ["owner of use case"]
