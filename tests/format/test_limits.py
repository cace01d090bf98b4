"""Aliases cannot make a file bigger than needsmap can open again.

needsmap saves without aliases: every use of ``*name`` is written out as a copy of
its anchor.  A small file whose aliases copy a big value many times would load,
then save to a file over the size limit, which needsmap refuses to open.  The loader
bounds what a save would write (:class:`needsmap.format.loader._Expansion`) and
refuses such a file at the alias that takes it over, located like every finding.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from needsmap.format import loader, spec
from needsmap.format.opening import open_workshop
from needsmap.format.saver import dump, save
from tests.conftest import DEMO

_HEAD = ["needsmap: 1", "workshop:", "  name: Aliases"]


def _synonyms(aliases: int, size: int) -> str:
    """One attribute whose synonyms are one long text and ``aliases`` copies of it."""
    synonyms = ", ".join(["&big " + "x" * size] + ["*big"] * aliases)
    return "\n".join([*_HEAD, "attributes:", "  - id: a", "    name: A", f"    synonyms: [{synonyms}]"]) + "\n"


def _load(text: str) -> loader.LoadResult:
    return loader.load_bytes(text.encode("utf-8"), "w.yaml")


def _refusal(result: loader.LoadResult) -> list[str]:
    return [d.render() for d in result.diagnostics if d.code == "expands-too-much"]


def _aliases_before(text: str, refusal: str) -> int:
    """How many aliases come before the one a refusal points at (which must be one)."""
    line, col = (int(n) for n in refusal.split(":")[1:3])
    lines = text.splitlines()
    assert lines[line - 1][col - 1 :].startswith("*big"), refusal
    return sum(before.count("*big") for before in lines[: line - 1]) + lines[line - 1][: col - 1].count("*big")


def test_a_small_file_copying_a_long_text_is_refused_at_the_alias_that_goes_over():
    """106 KB of file, whose synonyms alias one 100 KB text 1000 times: 100 MB once written out."""
    text = _synonyms(1000, 100_000)
    assert len(text.encode()) < 107_000
    result = _load(text)
    assert result.workshop is None
    refusal = _refusal(result)
    assert len(refusal) == 1 and [d.code for d in result.diagnostics] == ["expands-too-much"]
    assert refusal[0].startswith("w.yaml:7:"), refusal
    assert ": error: the alias '*big' takes the file over 32 MiB once every alias is written out" in refusal[0]
    # a little more than 100 KB a copy: the limit (32 MiB) is passed by the 335th copy
    assert _aliases_before(text, refusal[0]) == 334


def test_one_alias_fewer_loads_saves_within_the_limit_and_opens_again(tmp_path: Path):
    """The real limit, the real saver: the largest file of copies that loads saves under 32 MiB and opens."""
    size = 100_000
    text = _synonyms(1000, size)
    most = _aliases_before(text, _refusal(_load(text))[0])
    path = tmp_path / "w.yaml"
    path.write_text(_synonyms(most, size), encoding="utf-8")
    result = open_workshop(path)
    assert result.ok and result.workshop is not None, [d.render() for d in result.diagnostics[:3]]
    saved = tmp_path / "saved.yaml"
    save(result.workshop, saved)
    assert spec.MAX_FILE_BYTES * 0.95 < saved.stat().st_size <= spec.MAX_FILE_BYTES  # close to the bound, within it
    reopened = open_workshop(saved)
    assert reopened.ok and reopened.workshop == result.workshop
    assert _refusal(_load(_synonyms(most + 1, size)))  # and one more copy is refused


def test_a_46_kb_file_that_would_save_40_mb_is_refused():
    """The tester's second file: an edit and a save would have written a file needsmap refuses to open."""
    text = _synonyms(1000, 40_000)
    assert len(text.encode()) < 47_000
    assert _refusal(_load(text))


def test_nested_aliases_are_measured_without_being_expanded():
    """A "billion laughs": ten levels of ten aliases; refused at once as too big written out."""
    lines = [*_HEAD, "functions: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]", "notes:"]
    for level in range(1, 10):
        prev = f"*l{level - 1}"
        lines.insert(-1, f"l{level}: &l{level} [{', '.join([prev] * 10)}]")
    lines.append("  - {id: n, text: T, about: *l9}")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    result = _load(text)
    elapsed = time.perf_counter() - started
    assert [d.code for d in result.diagnostics] == ["expands-too-much"]
    assert elapsed < 2.0  # measuring a node once per depth, not once per copy (10**10 of them)


ALIAS_FORMS = {
    "block list item": "{key}:\n  - *big",
    "flow list": "{key}: [*big]",
    "flow list after a comma": "{key}: [a,*big]",
    "mapping value": "{key}: *big",
    "flow mapping, JSON style": '{key}: {{"k":*big}}',
    "after a tab": "{key}: [\t*big]",
    "after a comment": "{key}: # the copies\n  - *big",
    "mapping key": "{key}:\n  *big : x",
}


@pytest.mark.parametrize("form", sorted(ALIAS_FORMS))
def test_every_way_of_writing_an_alias_is_counted(form: str):
    """Each form of alias, used 40 times on a 1 MB anchor, is found and refused at the alias that goes over."""
    lines = [*_HEAD, "big: &big " + "y" * 1_000_000]
    lines += [ALIAS_FORMS[form].format(key=f"copy{i}") for i in range(40)]
    text = "\n".join(lines) + "\n"
    result = _load(text)
    refusal = _refusal(result)
    assert len(refusal) == 1, (form, [d.render() for d in result.diagnostics[:3]])
    assert 30 < _aliases_before(text, refusal[0]) < 35, form  # a little more than 1 MB a copy: 32 MiB


# -- whatever loads saves within the limit -----------------------------------------------------------
# With the limit made small, so that the largest loadable file of each shape is found quickly: the
# shapes a save writes bigger than the file (flow lists written one item a line, deeply indented
# blocks of text, escapes), copied by aliases until the file no longer loads.
def _systems(copies: int, anchor: str, use: str) -> str:
    lines = [*_HEAD, "attributes: [{id: a, name: A}, {id: b, name: B}]", "systems:"]
    for i in range(copies):
        lines += [f"  - id: s{i}", f"    name: S{i}", "    holds:", "      - attribute: a"]
        lines += [f"        {(anchor if i == 0 else use)}"]
        lines += ["    feeds:", "      - to: s0", "        attributes: [a]"]
    return "\n".join(lines) + "\n"


def _feeds(copies: int) -> str:
    ids = ", ".join(["a"] * 60)
    lines = [*_HEAD, "attributes: [{id: a, name: A}]", "systems:"]
    for i in range(copies):
        value = f"&ids [{ids}]" if i == 0 else "*ids"
        lines += [f"  - id: s{i}", f"    name: S{i}", "    feeds:", "      - to: s0", f"        attributes: {value}"]
    return "\n".join(lines) + "\n"


def _records(copies: int) -> str:
    lines = [*_HEAD, "attributes: [{id: a, name: A}]", "systems:"]
    lines += ["  - &sys {id: s, name: S, holds: [{attribute: a, definition: 'x y z', quality: 0x3, coverage: 0.10}]}"]
    lines += ["  - *sys"] * (copies - 1)
    return "\n".join(lines) + "\n"


SHAPES = {
    "flow list to one item a line": _feeds,
    "lines of text, deep": lambda n: _systems(n, 'definition: &t "' + "a\\n" * 200 + '"', "definition: *t"),
    "control characters": lambda n: _systems(n, 'definition: &t "' + "\\x01" * 200 + '"', "definition: *t"),
    "non-characters": lambda n: _systems(n, 'definition: &t "' + "\\uFFFE" * 200 + '"', "definition: *t"),
    "quotes and backslashes": lambda n: _systems(n, 'definition: &t "' + '\\"\\\\' * 200 + '"', "definition: *t"),
    "numbers written their own way": lambda n: _systems(n, "quality: &q 0x3", "quality: *q"),
    "whole records": _records,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_largest_file_that_loads_saves_within_the_limit(shape: str, tmp_path: Path, monkeypatch):
    limit = 64 * 1024
    monkeypatch.setattr(spec, "MAX_FILE_BYTES", limit)
    make = SHAPES[shape]

    def loads(copies: int) -> bool:
        result = _load(make(copies))
        assert result.workshop is not None or _refusal(result), [d.render() for d in result.diagnostics[:3]]
        return result.workshop is not None

    low, high = 1, 2
    while loads(high):
        low, high = high, high * 2
    while high - low > 1:  # loads(low), not loads(high)
        middle = (low + high) // 2
        low, high = (middle, high) if loads(middle) else (low, middle)
    ws = _load(make(low)).workshop
    assert ws is not None
    written = dump(ws).encode("utf-8")
    assert len(written) <= limit, (shape, low, len(written))
    assert len(written) > limit / 4, (shape, low, len(written))  # generous, not absurd
    path = tmp_path / "saved.yaml"
    path.write_bytes(written)
    assert loader.load_file(path).workshop == ws  # within the (small) size limit: it opens again


def test_a_real_workshop_with_an_alias_loads_as_if_written_out():
    """The bound is generous, but nowhere near the limit for a real workshop that uses an alias."""
    text = DEMO.read_text(encoding="utf-8")
    channels = "[web, app, email, sms, store, call_center, field_sales, chat, social, post]"
    assert f"\nchannels: {channels}\n" in text and "\nsettings:\n" in text
    written_out = text.replace("\nsettings:\n", f"\nsettings:\n  marketing_channels: {channels}\n", 1)
    aliased = text.replace("\nsettings:\n", f"\nsettings:\n  marketing_channels: &ch {channels}\n", 1)
    aliased = aliased.replace(f"\nchannels: {channels}\n", "\nchannels: *ch\n", 1)
    expected, result = _load(written_out), _load(aliased)
    assert expected.ok and result.ok, [d.render() for d in result.diagnostics[:3]]
    assert result.workshop == expected.workshop


def test_text_that_only_looks_like_an_alias_is_not_refused():
    """'**bold**' in a value makes the loader measure the file; with no alias in it, nothing is refused."""
    text = "\n".join([*_HEAD, "  scope: some **bold** text *here*", "notes:", "  - {id: n, text: '* x'}"]) + "\n"
    result = _load(text)
    assert result.ok, [d.render() for d in result.diagnostics]


def test_the_node_limit_still_holds_for_files_without_aliases(monkeypatch):
    """Aliases are bounded by what they write out; a file without any is still bounded by its nodes."""
    monkeypatch.setattr(spec, "MAX_NODES", 1000)
    text = "\n".join([*_HEAD, "functions: [" + ", ".join(f"f{i}" for i in range(2000)) + "]"]) + "\n"
    result = _load(text)
    assert result.workshop is None
    assert [d.code for d in result.diagnostics] == ["too-many-nodes"]
    assert result.diagnostics[0].render().startswith("w.yaml:4:")
