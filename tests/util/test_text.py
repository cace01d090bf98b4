"""The one shortening (never half a character) and the one XML filter."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from needsmap.util.text import shorten, xml_safe

#: User-perceived characters made of several code points, each one cluster.
CLUSTERS = (
    "e\u0301",  # e + combining acute
    "o\u0308\u0323",  # o + diaeresis + dot below
    "\u0e01\u0e31",  # Thai ko kai + mai han-akat (a mark with combining class 0)
    "a\u20dd",  # a + combining enclosing circle
    "\u0915\u093f",  # Devanagari ka + vowel sign i (a spacing mark)
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: man, woman, girl (ZWJ sequence)
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f1f3\U0001f1f1",  # flag: NL
    "\U0001f1e7\U0001f1ea",  # flag: BE
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # flag: England (tags)
    "\u2764\ufe0f",  # red heart, emoji presentation
    "1\ufe0f\u20e3",  # keycap 1
    "\r\n",
)
SINGLES = ("a", "Z", "7", " ", "-", "\u00e9", "\u4e2d")


@pytest.mark.parametrize("cluster", CLUSTERS)
@pytest.mark.parametrize("limit", range(1, 8))
def test_a_cluster_is_kept_whole_or_left_out(cluster: str, limit: int):
    text = "ab" + cluster * 3
    out = shorten(text, limit)
    assert len(out) <= limit
    kept = out.removesuffix("\u2026")
    assert kept in {"", "a", *(("ab" + cluster * n).rstrip() for n in range(4))}


def test_text_that_fits_is_unchanged():
    assert shorten("Loyalty tier", 12) == "Loyalty tier"
    assert shorten("", 0) == ""


def test_cut_text_ends_in_the_ellipsis_without_white_space_before_it():
    assert shorten("Reminder for abandoned carts", 10) == "Reminder\u2026"
    assert shorten("abcdefghij", 5) == "abcd\u2026"
    assert shorten("abcdefghij", 6, "...") == "abc..."


def test_flags_are_never_split_whatever_their_count():
    flags = "\U0001f1f3\U0001f1f1\U0001f1e7\U0001f1ea\U0001f1e9\U0001f1ea"  # NL BE DE
    assert shorten(flags, 4) == "\U0001f1f3\U0001f1f1\u2026"  # room for three code points: one flag
    assert shorten(flags, 5) == "\U0001f1f3\U0001f1f1\U0001f1e7\U0001f1ea\u2026"
    assert shorten(flags, 6) == flags
    assert shorten(flags, 2) == "\u2026"  # not even one flag fits with the ellipsis


def test_after_an_emoji_presentation_selector_the_cut_is_allowed():
    assert shorten("\u2764\ufe0fabc", 4) == "\u2764\ufe0fa\u2026"


@given(st.lists(st.sampled_from(CLUSTERS + SINGLES), max_size=12), st.integers(min_value=1, max_value=40))
@example(["\U0001f1f3\U0001f1f1", "\U0001f1e7\U0001f1ea"], 3)
@example(["e\u0301", "e\u0301"], 3)
def test_shortening_keeps_a_whole_number_of_characters(parts: list[str], limit: int):
    text = "".join(parts)
    out = shorten(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
        return
    assert out.endswith("\u2026")
    kept = out[:-1]
    prefixes = {"".join(parts[:n]).rstrip() for n in range(len(parts) + 1)}
    assert kept in prefixes


# -- XML ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["\ud800", "\udfff", "\ufffe", "\uffff"])
def test_xml_safe_replaces_what_xml_cannot_hold(bad: str):
    text = f"before {bad} after"
    assert xml_safe(text) == "before \ufffd after"
    assert xml_safe(text, "") == "before  after"
    assert ET.fromstring(f"<t>{xml_safe(text)}</t>".encode()).text == "before \ufffd after"  # a parser takes it


def test_xml_safe_keeps_everything_else():
    text = "Caf\u00e9 \u4e2d\u6587 \U0001f44d\U0001f3fd <&> \t\n"
    assert xml_safe(text) == text
