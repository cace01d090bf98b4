"""Typed words of Dutch, German and French read as the English words of customer data.

A facilitator in Utrecht types "leveringsadres" or "meterstand" for the workshop's "Supply address" and
"Meter reading".  The reference catalog answers for its own entries in four languages, but a workshop's
own attributes are named in one.  So the linker also reads the typed words in English: each word (or
two or three words together: "date de naissance") that ``foreign_words.yaml`` knows becomes the English
words it means, and a compound it does not know whole is split into words it knows, with the joining
letters of Dutch and German ("levering-s-adres") left out.  A word with several meanings gives several
readings ("stand": balance or reading), at most :data:`MAX_READINGS` in all.

Nothing here ranks: :class:`needsmap.catalog.linking_rank.LinkIndex` ranks each reading and keeps, per
attribute, the best.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping
from importlib import resources

import yaml

from needsmap.catalog.name_tokens import name_tokens

#: At most this many English readings of one typed text.
MAX_READINGS = 8
#: A word this long or longer that is not known whole is tried as a compound.
COMPOUND_MIN = 6
#: A part of a compound has at least this many letters.
PART_MIN = 3
#: The letters Dutch and German put between the parts of a compound (geboorte-n, levering-s, Geburt-s).
JOINING = ("", "s", "e", "n", "en", "er", "es")
#: The longest run of typed words looked up together ("nom de famille").
LONGEST_PHRASE = 3


@functools.cache
def vocabulary() -> Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Foreign words (as a tuple of one to three words) -> the English readings they have, each a tuple of words."""
    text = resources.files("needsmap.catalog").joinpath("foreign_words.yaml").read_text(encoding="utf-8")
    out: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for english, forms in yaml.safe_load(text).items():
        meaning = name_tokens(str(english))
        for form in forms:
            key = name_tokens(str(form))
            if key and key != meaning and meaning not in out.setdefault(key, []):
                out[key].append(meaning)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _single_words() -> frozenset[str]:
    return frozenset(k[0] for k in vocabulary() if len(k) == 1 and len(k[0]) >= PART_MIN)


def _split(word: str, known: frozenset[str] | set[str]) -> tuple[str, ...] | None:
    """``word`` as the fewest known parts (each at least :data:`PART_MIN` letters, joining letters between), or
    None.  ``known``: English words the caller knows, besides the foreign words of the vocabulary."""
    parts_known = _single_words()

    @functools.cache
    def best(start: int) -> tuple[str, ...] | None:
        if start == len(word):
            return ()
        found: tuple[str, ...] | None = None
        for end in range(len(word), start + PART_MIN - 1, -1):
            part = word[start:end]
            if part not in parts_known and part not in known:
                continue
            for joint in JOINING:
                after = end + len(joint)
                if word[end:after] != joint or (joint and after == len(word)):
                    continue
                rest = best(after)
                if rest is not None and (found is None or len(rest) + 1 < len(found)):
                    found = (part, *rest)
        return found

    parts = best(0)
    return parts if parts is not None and len(parts) >= 2 else None


def _meanings(words: tuple[str, ...], known: frozenset[str] | set[str]) -> list[list[tuple[str, ...]]]:
    """Per position of ``words``, the readings of the words there: each typed word (or run of words) once."""
    vocab = vocabulary()
    out: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for size in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
            run = words[i : i + size]
            if run in vocab:
                out.append(list(vocab[run]))
                i += size
                break
        else:
            word = words[i]
            parts = _split(word, known) if len(word) >= COMPOUND_MIN and word not in known else None
            if parts is None:
                out.append([(word,)])
            else:
                out.append([tuple(itertools.chain.from_iterable(p)) for p in _part_readings(parts)])
            i += 1
    return out


def _part_readings(parts: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], ...]]:
    vocab = vocabulary()
    choices = [vocab.get((p,), ((p,),)) for p in parts]
    return itertools.islice(itertools.product(*choices), MAX_READINGS)


def english_readings(words: tuple[str, ...], known: Iterable[str] = ()) -> list[tuple[str, ...]]:
    """The English readings of typed ``words`` (as :func:`needsmap.catalog.linking_rank.words` gives them) that
    differ from the words themselves; empty when nothing is foreign.  ``known``: words to keep as they are
    (the words of the attributes linked to, so "meter" or "code" are never split or translated)."""
    known_words = known if isinstance(known, (set, frozenset)) else set(known)
    per_position = _meanings(words, known_words)
    out: list[tuple[str, ...]] = []
    for combination in itertools.islice(itertools.product(*per_position), MAX_READINGS):
        reading = tuple(itertools.chain.from_iterable(combination))
        if reading != words and reading not in out:
            out.append(reading)
    return out
