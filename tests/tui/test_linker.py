"""The needs linker in the terminal UI: "+ create" first unless the text strongly matches, never a silent change.

Driven through the pilot as a facilitator would: the picker of a use case's needs, the text typed,
Enter and one key; the file on disk is read back.  The labelled set (tests/data/linker_phrases.yaml)
is run through the picker too: its first row is what Enter takes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from textual.widgets import Input, OptionList

from needsmap.format.opening import open_workshop
from needsmap.tui.app import create_app
from needsmap.tui.widgets.picker import CREATE, LinkPicker, need_picker
from tests.conftest import DATA, ROOT, assert_opens_clean
from tests.tui.conftest import SIZE, sync, until

WATER = ROOT / "workshops" / "water-utility.yaml"
DEMO = ROOT / "workshops" / "omnichannel-retail.yaml"


def first_row(picker: LinkPicker) -> str:
    """What Enter takes now: an attribute's id, or "create"."""
    results = picker.query_one("#picker-list", OptionList)
    option = results.get_option_at_index(results.highlighted or 0)
    return "create" if option.id == CREATE else picker.matches[int((option.id or "c0")[1:])].candidate.id


def log(picker: LinkPicker) -> str:
    return str(picker.query_one("#picker-log").render())


async def open_needs(pilot, use_case: str) -> LinkPicker:
    app = pilot.app
    app.push_screen(need_picker(app.session, use_case))
    picker = await until(pilot, lambda: isinstance(app.screen, LinkPicker) and app.screen, "the picker")
    await until(pilot, lambda: picker.focused is not None and picker.focused.id == "picker-input", "the picker")
    return picker


async def typed(pilot, picker: LinkPicker, text: str) -> str:
    """Type ``text`` key by key into the empty picker; the first row once the list has caught up."""
    await pilot.press(*text)
    await until(pilot, lambda: picker._query == text, f"the list for {text!r}")
    return first_row(picker)


def needs(path: Path, use_case: str) -> dict[str, str]:
    uc = next(u for u in assert_opens_clean(path).use_cases if u.id == use_case)
    return {n.attribute: n.effective_criticality for n in uc.needs}


@sync
async def test_a_shared_word_creates_and_an_existing_need_is_never_changed_silently(tmp_path: Path):
    path = tmp_path / "water.yaml"
    shutil.copyfile(WATER, path)
    app = create_app(path)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_needs(pilot, "debt-recovery-calls")
        assert await typed(pilot, picker, "payment method") == "payment_method"
        await pilot.press("enter", "m")
        await until(pilot, lambda: needs(path, "debt-recovery-calls").get("payment_method") == "must", "the need")
        # one word in common: "+ create" is first, Enter then s creates and keeps Payment method a must
        assert await typed(pilot, picker, "advance payment amount") == "create"
        await pilot.press("enter", "s")
        await until(pilot, lambda: "advance_payment_amount" in needs(path, "debt-recovery-calls"), "the new need")
        assert needs(path, "debt-recovery-calls")["payment_method"] == "must"
        # created just now: the same words find it from now on
        assert await typed(pilot, picker, "advance payment amount") == "advance_payment_amount"
        picker.query_one("#picker-input", Input).value = ""
        await until(pilot, lambda: picker._query == "", "the empty list")
        # picked with another criticality: kept and said; the same key again changes it
        assert await typed(pilot, picker, "payment method") == "payment_method"
        await pilot.press("enter", "s")
        await until(pilot, lambda: "kept" in log(picker), "the warning")
        assert "must already" in log(picker) and needs(path, "debt-recovery-calls")["payment_method"] == "must"
        await pilot.press("s")
        await until(pilot, lambda: needs(path, "debt-recovery-calls")["payment_method"] == "should", "the change")
        # the water utility calls its PSR flag "vulnerable customer flag": that one, marked, kept as it was
        assert await typed(pilot, picker, "vulnerable customer flag") == "psr_flag"
        results = picker.query_one("#picker-list", OptionList)
        assert "already in this workshop" in str(results.get_option_at_index(0).prompt)
        await pilot.press("enter", "c")
        await until(pilot, lambda: "kept" in log(picker), "the warning")
        await pilot.press(*"x")  # any other key: back to typing, nothing changed
        await until(pilot, lambda: picker.query_one("#picker-input", Input).value == "vulnerable customer flagx")
        assert picker.confirming is None and needs(path, "debt-recovery-calls")["psr_flag"] == "must"
        picker.query_one("#picker-input", Input).value = ""
        # another language: the existing date of birth, no "+ create" with the catalog's definition of it
        assert await typed(pilot, picker, "geboortedatum") == "date_of_birth"
        assert all(results.get_option_at_index(i).id != CREATE for i in range(results.option_count))
        await pilot.press("enter", "m")
        await until(pilot, lambda: needs(path, "debt-recovery-calls").get("date_of_birth") == "must", "the need")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, LinkPicker), "the picker to close")
    saved = assert_opens_clean(path)
    assert [a.id for a in saved.attributes if a.id.startswith("date_of_birth")] == ["date_of_birth"]
    assert {"advance_payment_amount"} <= {a.id for a in saved.attributes}


@sync
async def test_the_labelled_set_through_the_picker(tmp_path: Path):
    """The held-out phrases, typed into the real picker: its first row is the intended action (>= 95%)."""
    phrases = yaml.safe_load((DATA / "linker_phrases.yaml").read_text(encoding="utf-8"))
    right = asked = 0
    misses: list[str] = []
    for name, source, use_case in (("demo", DEMO, "erasure-requests"), ("water", WATER, "leak-alerts")):
        path = tmp_path / f"{name}.yaml"
        shutil.copyfile(source, path)
        app = create_app(path)
        async with app.run_test(size=SIZE) as pilot:
            picker = await open_needs(pilot, use_case)
            field = picker.query_one("#picker-input", Input)
            for text, intended in phrases[name]["held-out"].items():
                field.value = text
                await until(pilot, lambda text=text: picker._query == text, f"the list for {text!r}")
                got = first_row(picker)
                asked += 1
                right += got == intended
                if got != intended:
                    misses.append(f"{name}: {text!r} -> {got} (intended {intended})")
            field.value = ""
            await pilot.press("escape")
        assert open_workshop(path).workshop == open_workshop(source).workshop  # only looked, nothing changed
    assert asked >= 150 and right / asked >= 0.95, f"{right}/{asked}:\n" + "\n".join(misses)
