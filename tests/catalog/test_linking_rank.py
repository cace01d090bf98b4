"""The linker's ranking measured on a labelled set of typed phrases (tests/data/linker_phrases.yaml).

What a facilitator types -> the existing attribute they mean, or a new one.  The ranking was tuned on
the ``tune`` part only; the ``held-out`` part must reach 95% top-1, and linking through the real
session code never changes an existing need's criticality without being asked to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from benchmarks import linker as linker_benchmark
from needsmap.catalog.foreign_words import english_readings
from needsmap.catalog.linking_rank import (
    AttributeLinkIndex,
    LinkIndex,
    Named,
    attribute_index,
    nearly_spelled,
    word_match,
    words,
)
from needsmap.collab.session import Session
from needsmap.format import model as m
from needsmap.format.opening import open_workshop
from needsmap.tui import linking
from tests.conftest import DATA, ROOT

PHRASES = DATA / "linker_phrases.yaml"
WORKSHOPS = {"demo": ROOT / "workshops" / "omnichannel-retail.yaml", "water": ROOT / "workshops" / "water-utility.yaml"}
#: The share of held-out phrases whose first row is the intended action.
TARGET = 0.95


def labelled() -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(PHRASES.read_text(encoding="utf-8"))


def top1(split: str) -> tuple[int, int, list[str]]:
    """(right, asked, the misses) over both workshops for one part of the set."""
    right, asked, misses = 0, 0, []
    for workshop, parts in labelled().items():
        index = attribute_index(open_workshop(WORKSHOPS[workshop]).workshop)
        for typed, intended in parts[split].items():
            got = index.decide(typed).top or "create"
            asked += 1
            right += got == intended
            if got != intended:
                misses.append(f"{workshop}: {typed!r} -> {got} (intended {intended})")
    return right, asked, misses


def test_the_labelled_set_is_big_enough_and_names_real_attributes():
    data = labelled()
    total = 0
    for workshop, parts in data.items():
        ids = {a.id for a in open_workshop(WORKSHOPS[workshop]).workshop.attributes}
        assert set(parts) == {"tune", "held-out"}
        for phrases in parts.values():
            total += len(phrases)
            assert {v for v in phrases.values() if v != "create"} <= ids
            assert sum(v == "create" for v in phrases.values()) >= 15  # new things, not only existing ones
        assert not set(parts["tune"]) & set(parts["held-out"])  # no phrase in both parts
    assert total >= 200


@pytest.mark.parametrize("split", ["held-out", "tune"])
def test_top_1_reaches_the_target(split: str):
    right, asked, misses = top1(split)
    assert right / asked >= TARGET, f"{split}: {right}/{asked}; misses:\n" + "\n".join(misses)


def test_the_cases_that_were_found():
    water = attribute_index(open_workshop(WORKSHOPS["water"]).workshop)
    demo = attribute_index(open_workshop(WORKSHOPS["demo"]).workshop)
    # one shared word is not a match: "+ create" first
    assert water.decide("advance payment amount").create_first
    assert demo.decide("vulnerable customer flag").create_first
    # the whole synonym is: the water utility calls its PSR flag that
    assert water.decide("vulnerable customer flag").top == "psr_flag"
    # another language of the catalog: the existing attribute, and no "+ create" at all
    for typed in ("geboortedatum", "Geburtsdatum", "date de naissance"):
        decision = demo.decide(typed)
        assert decision.top == "date_of_birth" and not decision.offer_create and decision.catalog_entry is None
    # the workshop's own words win over the catalog's ("Account number" is a synonym of the catalog's customer id)
    assert water.decide("account number").top == "contract_account_number"


def test_the_score_reads_both_ways():
    """Every typed word must be found (a typo, a start, an abbreviation); the term's unsaid words only rank."""
    assert words("E-mail address") == ("email", "address") and words("carer's phone") == ("carer", "s", "phone")
    assert word_match("bal", "balance") == 0.9 and word_match("nr", "number") == 0.8
    assert word_match("custmer", "customer") > 0.75 and word_match("ean", "email") == 0.0
    index = LinkIndex([Named("a", "Churn risk score"), Named("b", "Churn flag", ("attrition",))])
    ranked = index.rank("churn risk")
    assert [(s.id, s.strong) for s in ranked] == [("a", True), ("b", False)]
    assert index.decide("churn date").create_first  # "date" is in neither
    assert index.decide("atrition").top == "b"  # a typo of a synonym
    assert not LinkIndex([Named("x", "Meter reading")]).decide("name").strong  # no junk from letters in common


def test_a_near_spelling_is_a_typo_or_another_ending_never_letters_added_inside():
    """Written without spaces, a typo (one or two edits) or another ending is the same spelling; "mailing address"
    is not the catalog's "Mail address" of e-mail, so it links no e-mail attribute."""
    assert nearly_spelled("geboortedatm", "geboortedatum") and nearly_spelled(
        "favouritecategory", "favouritecategories"
    )
    assert not nearly_spelled("mailingaddress", "mailaddress")
    energy = attribute_index(open_workshop(DATA / "energy-supplier.yaml").workshop)
    assert energy.decide("mailing address").top != "email_address"
    assert energy.decide("emial adress").top == "email_address"
    demo = attribute_index(open_workshop(WORKSHOPS["demo"]).workshop)
    assert demo.decide("favourite category").top == "favourite_categories"


def test_dutch_german_and_french_words_are_read_in_english():
    """A workshop's own attribute answers to the words of the other languages, and to their compounds."""
    assert ("supply", "address") in english_readings(words("leveringsadres"))
    assert ("meter", "reading") in english_readings(words("meterstand"))
    assert ("customer", "number") in english_readings(words("Kundennummer"))
    assert ("birth", "date") in english_readings(words("date de naissance"))
    assert english_readings(words("customer number")) == []  # nothing foreign: no other reading
    assert english_readings(words("meteradres"), known={"meteradres"}) == []  # a word the workshop has stays
    energy = attribute_index(open_workshop(DATA / "energy-supplier.yaml").workshop)
    assert energy.decide("leveringsadres").top == "supply_address"
    assert energy.decide("betaalwijze").top == "payment_method"
    assert energy.decide("zonnepanelen").create_first  # a word of no attribute: "+ create"


def test_phrases_written_after_tuning():
    """tests/data/linker_phrases_later.yaml: the part written after the foreign words were (``unseen``) keeps
    the figure measured once (docs/performance.md), with no existing attribute linked where a new one was meant
    more than twice; the ``dev`` part (seen while writing them) stays above it."""
    figures = linker_benchmark.quality()
    unseen, dev = figures["unseen"], figures["dev"]
    assert unseen["right"] / unseen["phrases"] >= 0.85 and unseen["wrong_link"] + unseen["linked_not_new"] <= 2
    assert dev["right"] / dev["phrases"] >= 0.92


def test_a_catalog_entry_belongs_to_one_attribute():
    attrs = [m.Attribute(id="klant", name="Customer number"), m.Attribute(id="acct", name="Account number")]
    index = AttributeLinkIndex(attrs)
    assert index.entry_of["klant"].id == "customer_id" and "acct" not in index.entry_of
    assert index.decide("kundennummer").top == "klant"


def test_linking_the_set_never_changes_an_existing_need_silently(tmp_path: Path):
    """Every phrase, linked with ``s`` into a use case that needs every attribute as a must: nothing changes."""
    silent = 0
    for workshop, parts in labelled().items():
        path = tmp_path / f"{workshop}.yaml"
        shutil.copyfile(WORKSHOPS[workshop], path)
        session = Session.open(path)
        try:
            attrs = [a.id for a in session.workshop.attributes]
            session.add("use_cases", m.UseCase(id="probe", title="Probe", needs=[m.Need(a, "must") for a in attrs]))
            index = attribute_index(session.workshop)
            for typed in [*parts["tune"], *parts["held-out"]]:
                said = linking.link_attribute(session, linking.NEED, "probe", index.decide(typed).top, "should", typed)
                needs = {n.attribute: n.effective_criticality for n in session.item("use_cases", "probe").needs}
                silent += sum(needs[a] != "must" for a in attrs)
                assert not any(a.endswith("_2") for a in needs), typed  # no duplicate of an existing attribute
                if "(kept)" not in said:
                    session.undo()
            # asked for, the change is made
            linking.link_attribute(session, linking.NEED, "probe", "email", "should", change=True)
            assert linking.current_link(session, linking.NEED, "probe", "email") == "should"
        finally:
            session.close()
    assert silent == 0
