"""Which labelled systems a reading of a column rests on: its *support*.

A reading of a column's name rests on things someone wrote down: a catalog spelling or synonym
(``ort01``), a qualifier read away (``hs_``), an abbreviation (``fname``), or a named rule of the table's
shape (``do-not-`` flags, the key of a contacts table).  Each of those was written because some system
used it, so it is right on that system by construction; on a system nobody labelled it is as good as the
number of other systems it also reads right.  Its support is the set of labelled tune systems (the files
of tests/data/columns whose ``split`` is ``tune``) whose columns it reads right; the catalog id and name
of an attribute, and readings that rest on nothing written for a system, need none.  Its *record* adds the
systems on which a reading resting on it was proposed and wrong (``contactid`` is a contact's key on some
systems and a link to a contact on others): a reading whose record is not sure enough is held for review
however many systems confirm it (:func:`record_of`, :data:`SURE_LEVEL`).

The support table is generated, never computed when the package is imported: ``python -m
benchmarks.matching --fit-support`` matches the tune part with the raw scores and writes
:data:`SUPPORT_FILE` (``column_support.json`` beside this module: a JSON object from each key of
:func:`support_keys` to the sorted names of the systems it reads right, and from the key prefixed with
:data:`AGAINST` to those it reads wrong, keys sorted, so the file is the same for the same labels and
matcher); tests/imports/test_column_labels.py fails when the stored table is not what the labels give.  A
spelling added later, by hand, has no support until the table is regenerated: it counts as support 0, and a
reading that rests on it is proposed for review, not accepted automatically (:func:`support_block`, :data:`UNSUPPORTED_CAP`).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from needsmap.catalog.name_tokens import compact_key
from needsmap.imports.column_evidence import STRUCTURAL_NOTES
from needsmap.imports.column_readings import ABBREVIATIONS, QUALIFIERS, READING_NOTES

#: The generated support table (``python -m benchmarks.matching --fit-support``).
SUPPORT_FILE = Path(__file__).with_name("column_support.json")
#: Key -> the tune systems whose labelled columns a reading resting on it reads right; ``AGAINST`` + key -> those
#: on which such a reading was proposed and wrong.
Support = dict[str, frozenset[str]]
#: The prefix of a key's entry that lists the systems a reading resting on it reads wrong.
AGAINST = "!"
#: A reading that rests on something no labelled system confirmed (support 0) is held here, for review.
UNSUPPORTED_CAP = 0.86
#: A reading that rests on something one labelled system confirmed (support 1) is held here, for review: on the
#: tune part, each system matched as if it had not been labelled, such readings accepted by their calibration
#: alone were right 19 times in 22 (those confirmed by two systems or more, 309 in 314).
ONCE_SUPPORTED_CAP = 0.895
#: A reading is accepted automatically only when at least this many labelled systems confirm what it rests on (or
#: it rests on nothing written for a system: the attribute's id or name); one that two to four confirm is held at
#: :data:`ONCE_SUPPORTED_CAP` for review. On the parts measured unseen (held-out-7, -8, -9, each with the matcher
#: of its round), accepted readings confirmed by two to four systems were right 54 times in 63, by five to nine
#: 94 in 104, by ten or more 159 in 161: the calibration, fitted on the systems the spellings were written for,
#: cannot see it. With the unsure attributes held too (``column_evidence.UNSURE_ATTRIBUTES``), asking for two
#: systems left those parts' accepts right 95.5%, 97.9% and 97.4% of the time, three 97.0-98.2%, five
#: 97.9-98.2% (a sixth fewer accepts than two), ten 98.4-98.9% (a quarter fewer).
ACCEPT_SUPPORT = 5
#: Readings of a catalog attribute that no labelled system confirms and that rest on a reread of the words or a
#: near spelling are not proposed at all (a workshop's own attribute, which no labelled system can confirm, still
#: is): on the parts measured unseen (held-out-7, -8, -9, each with the matcher of its round) they were right 9 of
#: 17, 4 of 17 and 2 of 8 times, and 16 of the 27 others were columns of the software itself.
UNCONFIRMED_GUESSES = frozenset({"reread", "fuzzy"})
#: A reading is accepted automatically only when what it rests on was right on at least this share of the
#: labelled systems it was proposed on (right + 1/4) / (right + wrong + 1/2), smoothed towards one half as the
#: calibration's blocks are; below it, the reading is held at :data:`ONCE_SUPPORTED_CAP` with its record in the
#: note. Round 14, fitted on the 172 systems tuned on in round 13 and measured on the 31 of held-out-12 and -13
#: (calibration and unsure attributes aside): accepted readings right 255 of 274 without the record, 277 of 290
#: with it at 0.9 (0.8: 268 of 283; 0.93: 267 of 279); ``contactid`` (a contact's key on 14 systems, a link to
#: one on 12) and ``company`` no longer accepted, the names read as written no longer pooled with them.
SURE_LEVEL = 0.9

#: The name a reading matched, as :mod:`needsmap.imports.column_match` writes it: ``spelling 'ort01'``,
#: ``synonym (catalog email) 'E-mail'``; an id or a name of the attribute needs no support.
_NAME = re.compile(r"^(?:close to )?(spelling|synonym|id|name|catalog id)(?: \(catalog ([a-z0-9_]+)\))? '([^']*)'")
_QUOTED = re.compile(r"'[^']*'")
#: Leading words read away (``without 'hs_additional_'``).
_READ_AWAY = re.compile(r"without '([a-z0-9_]+?)_'")


def support_keys(tokens: tuple[str, ...], why: str, catalog_id: str | None) -> tuple[str, ...]:
    """The things a reading of a column (its words ``tokens``, its reason ``why``, the catalog entry it reads;
    None for a workshop attribute, whose own names need no support) rests on: the catalog spelling or synonym
    it matched (``spelling:city=ort``), the rule of the
    table's shape when it matched no name (``rule:do-not- flag``), each qualifier read away
    (``qualifier:hs``), each abbreviation expanded (``abbreviation:fname``) and each reading of the words that
    needs confirming like a spelling (``reading:a key in another system``: ``column_readings.READING_NOTES``)."""
    keys = []
    first = why.split(", ", 1)[0]
    named = _NAME.match(first)
    if named is None:  # a rule of the table's shape, by the note it writes (the channel or table it names aside)
        rule = next((note for note in STRUCTURAL_NOTES if note in first), None)
        rule = rule or " ".join(_QUOTED.sub("", first).split())
        if rule:
            keys.append(f"rule:{rule.strip()}")
    elif named.group(1) in ("spelling", "synonym") and (owner := named.group(2) or catalog_id):
        keys.append(f"{named.group(1)}:{owner}={compact_key(named.group(3))}")
    for dropped in _READ_AWAY.findall(why):
        keys += [f"qualifier:{w}" for w in dropped.split("_") if w in QUALIFIERS]
    if "abbreviations expanded" in why:
        keys += [f"abbreviation:{w}" for w in tokens if w in ABBREVIATIONS]
    keys += [f"reading:{note}" for note in READING_NOTES if note in why]  # external_customer_ref, twitter_url
    return tuple(dict.fromkeys(keys))


def support_of(keys: tuple[str, ...], support: Support | None) -> int | None:
    """How many systems confirm the weakest thing a reading rests on; None when it rests on nothing written for
    a system (an attribute's id or name as written) or when no table is given."""
    if support is None or not keys:
        return None
    return min(len(support.get(key, ())) for key in keys)


def record_of(keys: tuple[str, ...], support: Support | None) -> tuple[str, int, int] | None:
    """The least sure thing a reading rests on, with the systems it reads right and those it reads wrong:
    ``(key, right, wrong)``, least sure by the smoothed share of :data:`SURE_LEVEL`; None when it rests on
    nothing that keeps a record (:func:`has_record`) or no table is given."""
    if support is None or not keys:
        return None
    records = [(key, len(support.get(key, ())), len(support.get(AGAINST + key, ()))) for key in keys if has_record(key)]
    return min(records, key=sure_share) if records else None


def sure_share(record: tuple[str, int, int]) -> float:
    """The share of its systems a ground reads right, smoothed towards one half as the calibration's blocks are:
    (right + 1/4) / (right + wrong + 1/2)."""
    _key, right, wrong = record
    return (right + 0.25) / (right + wrong + 0.5)


def has_record(key: str) -> bool:
    """Whether a support key keeps a record of the systems it reads wrong: every key but a qualifier read away
    (``billing_`` says which of the customer's cities, not what a city is; its wrong readings were the spelling's
    or the table's, and readings resting on qualifiers are calibrated apart)."""
    return not key.startswith("qualifier:")


def is_sure(record: tuple[str, int, int] | None) -> bool:
    """Whether a reading's record (:func:`record_of`) is sure enough to accept it without review."""
    return record is None or sure_share(record) >= SURE_LEVEL


def support_block(count: int | None, record: tuple[str, int, int] | None = None) -> str:
    """The calibration block of a reading, by its support count and record: ``""`` (nothing to confirm, or at
    least :data:`ACCEPT_SUPPORT` systems and a sure record), ``"few"`` (two systems or more, fewer than
    :data:`ACCEPT_SUPPORT` or an unsure record: held for review at :data:`ONCE_SUPPORTED_CAP`), ``"1"`` (one
    system: held there too), ``"0"`` (none: held at :data:`UNSUPPORTED_CAP`)."""
    if count is None:
        return ""
    if count < 2:
        return str(count)
    return "" if count >= ACCEPT_SUPPORT and is_sure(record) else "few"


def record_text(key: str) -> str:
    """What a support key names, as a reviewer reads it: ``'contactid'`` of ``spelling:crm_contact_id=contactid``,
    ``'an address line'`` of ``rule:an address line``."""
    return "'" + key.split(":", 1)[-1].split("=", 1)[-1] + "'"


def without(support: Support, systems: frozenset[str] | set[str]) -> Support:
    """The support table as it would be had ``systems`` not been labelled."""
    return {key: found - systems for key, found in support.items()}


@functools.lru_cache(maxsize=1)
def load_support() -> Support:
    """The shipped support table (empty when the file is missing)."""
    if not SUPPORT_FILE.exists():
        return {}
    raw = json.loads(SUPPORT_FILE.read_text(encoding="utf-8"))
    return {key: frozenset(systems) for key, systems in raw.items()}


def dump_support(support: Support) -> str:
    """The support table as the deterministic JSON text of :data:`SUPPORT_FILE`."""
    rows = [f"{json.dumps(key)}: {json.dumps(sorted(found))}" for key, found in sorted(support.items()) if found]
    return "{\n" + ",\n".join(rows) + "\n}\n"
