"""Positions are the ones an editor shows, and a bad escape is called what it is.

libyaml (YAML 1.1) ends a line at NEL (U+0085), LINE SEPARATOR (U+2028) and
PARAGRAPH SEPARATOR (U+2029) as well as at ``\\n``, ``\\r\\n`` and ``\\r``; editors
end lines at the last three only.  A file with those characters in a value got
line numbers that ran ahead of the editor's, past the end of the file when there
were many.  And a quoted text with a bad escape (``"\\ud800"``) was said to be
never closed.
"""

from __future__ import annotations

import pytest

from needsmap.format import loader
from needsmap.format.opening import parse_workshop

BREAKS = {"NEL": "\x85", "LINE SEPARATOR": "\u2028", "PARAGRAPH SEPARATOR": "\u2029"}


def _findings(text: str) -> list[str]:
    return [d.render() for d in parse_workshop(text, "w.yaml").diagnostics]


def _editor_lines(text: str) -> list[str]:
    """The lines an editor shows: broken at \\n, \\r\\n and \\r only."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_yaml_only_line_break_in_a_value_does_not_move_later_positions(name: str):
    char = BREAKS[name]
    text = f'needsmap: 1\nworkshop:\n  name: "one{char}two{char}three"\n  nmae: x\n'
    assert _findings(text) == [
        "w.yaml:4:3: error: unknown key 'nmae' in 'workshop'; did you mean 'name'? "
        "(allowed: name, organization, dates, facilitator, scope)"
    ]


def test_many_line_separators_never_point_past_the_end_of_the_file():
    text = 'needsmap: 1\nworkshop:\n  name: "' + "\u2028" * 50 + '"\nstakeholders:\n  - {id: s}\n'
    (finding,) = _findings(text)
    assert finding.startswith("w.yaml:5:5: error: stakeholder 's' has no 'name' (required)"), finding
    assert int(finding.split(":")[1]) <= len(_editor_lines(text))


def test_positions_after_a_separator_in_the_model_are_the_editors():
    """Items keep the editor's positions (the validator and the terminal UI point with them)."""
    text = (
        'needsmap: 1\nworkshop:\n  name: "a\u2028b\x85c"\n'
        "stakeholders:\n  - id: s\n    name: S\n    function: nowhere\n"
    )
    result = parse_workshop(text, "w.yaml")
    assert result.workshop is not None
    assert result.workshop.stakeholders[0].loc == {"": (5, 5), "id": (5, 9), "name": (6, 11), "function": (7, 15)}
    (finding,) = [d.render() for d in result.diagnostics]
    assert finding.startswith("w.yaml:7:15: error: 'function' of stakeholder 's' is 'nowhere'"), finding


def test_a_syntax_error_after_a_separator_is_located_as_an_editor_shows_it():
    text = 'needsmap: 1\nworkshop:\n  name: "a\u2028\u2028\u2028b"\n  scope: [unclosed\n'
    (finding,) = _findings(text)
    assert finding.startswith("w.yaml:5:1: error: YAML syntax error:"), finding


def test_a_separator_that_breaks_a_plain_value_is_named():
    """Unquoted, YAML 1.1 reads the separator as a line break: the message says so, on the editor's line."""
    text = "needsmap: 1\nworkshop:\n  name: a\u2028b\n  scope: x\n"
    (finding,) = _findings(text)
    assert "YAML reads the U+2028 (LINE SEPARATOR) on line 3 as a line break" in finding, finding
    assert int(finding.split(":")[1]) <= len(_editor_lines(text))


def test_a_lone_carriage_return_ends_a_line_as_in_editors():
    """libyaml counts a lone \\r as editors do; the loader's own counting (comments, bytes) does too."""
    text = "needsmap: 1\rworkshop:\r  name: W\r  nmae: x\n# a comment\nstakeholders: []\n"
    result = parse_workshop(text, "w.yaml")
    assert [(d.line, d.column, d.code) for d in result.diagnostics] == [
        (4, 3, "unknown-key"),
        (5, 1, "comments-dropped"),
    ]
    assert "comments on line(s) 5 are not kept" in result.diagnostics[1].message


def test_a_bad_byte_after_lone_carriage_returns_is_located_as_an_editor_shows_it():
    data = b"needsmap: 1\rworkshop:\r  name: \xff\n"
    (finding,) = [d.render() for d in loader.load_bytes(data, "w.yaml").diagnostics]
    assert finding.startswith("w.yaml:3:9: error: byte 0xff is not valid UTF-8"), finding


# -- escapes --------------------------------------------------------------------------------------------
def test_a_lone_surrogate_escape_is_not_a_character():
    text = 'needsmap: 1\nworkshop:\n  name: "W \\ud800 x"\n'
    (finding,) = _findings(text)
    assert finding.startswith(
        "w.yaml:3:12: error: YAML syntax error: '\\ud800' is a lone surrogate escape, not a character"
    ), finding
    assert "never closed" not in finding
    assert text.splitlines()[2][11:].startswith("\\ud800")  # column 12 is its backslash


def test_a_surrogate_pair_is_named_at_its_first_half():
    text = 'needsmap: 1\nworkshop:\n  name: "\\ud83d\\ude00"\n'
    (finding,) = _findings(text)
    assert finding.startswith("w.yaml:3:10: error: YAML syntax error: '\\ud83d' is a lone surrogate escape"), finding
    assert "\\U0001F600" in finding  # how to write it instead


@pytest.mark.parametrize(
    "escape,column,says",
    [
        ("\\q", 12, "'\\q' is not an escape YAML knows"),
        ("\\x4g", 12, "'\\x' must be followed by 2 hexadecimal digits"),
        ("\\u12", 12, "'\\u' must be followed by 4 hexadecimal digits"),
        ("\\U00110000", 12, "'\\U00110000' is not a character: Unicode ends at \\U0010FFFF"),
    ],
)
def test_other_bad_escapes_are_not_unclosed_quotes(escape: str, column: int, says: str):
    text = f'needsmap: 1\nworkshop:\n  name: "W {escape} x"\n'
    (finding,) = _findings(text)
    assert finding.startswith(f"w.yaml:3:{column}: error: YAML syntax error: {says}"), finding
    assert "never closed" not in finding


def test_an_unclosed_quote_is_still_called_so():
    (finding,) = _findings('needsmap: 1\nworkshop:\n  name: "W\n')
    assert finding.startswith("w.yaml:3:9: error: YAML syntax error: this quoted text is never closed"), finding


@pytest.mark.parametrize(
    "text,where",
    [
        ("needsmap: 1\nworkshop:\n  name: é€😀\x01\n", "3:12"),  # libyaml counts bytes of UTF-8 here
        ("needsmap: 1\rworkshop:\r  name: ab\x01\n", "3:11"),
    ],
)
def test_a_control_character_is_located_as_an_editor_shows_it(text: str, where: str):
    (finding,) = _findings(text)
    assert finding.startswith(f"w.yaml:{where}: error: YAML syntax error: control characters are not allowed"), finding
