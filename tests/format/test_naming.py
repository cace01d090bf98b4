"""The one vocabulary: section words, item labels and names, new ids."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from needsmap.format import model as m
from needsmap.format import spec
from needsmap.format.naming import (
    SECTION_WORD,
    item_label,
    item_name,
    name_key,
    new_item_id,
    new_note_id,
    section_word,
    section_words,
    slug,
    subject_kind,
    unique_id,
)

ID = re.compile(spec.ID_PATTERN)


@pytest.mark.parametrize(
    ("section", "one", "many", "kind"),
    [
        ("stakeholders", "stakeholder", "stakeholders", "stakeholder"),
        ("use_cases", "use case", "use cases", "use_case"),
        ("processes", "process", "processes", "process"),
        ("options", "option", "options", "option"),
        ("functions", "function", "functions", "function"),
        ("channels", "channel", "channels", "channel"),
        ("holdings", "holding", "holdings", "holding"),  # not a section of items: read from the key
    ],
)
def test_section_words(section: str, one: str, many: str, kind: str):
    assert section_word(section) == one
    assert section_words(section) == many
    assert subject_kind(section) == kind


def test_every_item_section_has_its_records_word():
    assert set(m.ITEM_SECTIONS) <= set(SECTION_WORD)
    for section, rec in spec.ITEM_RECORDS.items():
        assert section_word(section) == rec.word


def test_subject_kinds_are_the_kinds_the_analysis_uses():
    from needsmap.analysis.graph import build_graph

    ws = m.Workshop(
        stakeholders=[m.Stakeholder("sanne")],
        use_cases=[m.UseCase("churn", owner="sanne")],
        options=[m.Option("registry")],
        notes=[m.Note("q-1", text="?", about=["churn", "sanne", "registry"])],
    )
    about = {v for _u, v, d in build_graph(ws).edges(data=True) if d["type"] == "about"}
    assert about == {
        (subject_kind("use_cases"), "churn"),
        (subject_kind("stakeholders"), "sanne"),
        ("option", "registry"),
    }


def test_item_labels():
    assert item_label("use case", "churn") == "use case 'churn'"
    assert item_label("holding", index=1, parent="system 'crm'") == "holding #2 of system 'crm'"
    assert item_label("need", "", index=0) == "need #1"  # no id: its place
    assert item_label("settings") == "settings"


def test_item_name_is_the_name_title_or_text_else_the_id():
    assert item_name(m.Attribute("email", name="E-mail address")) == "E-mail address"
    assert item_name(m.UseCase("churn", title="Churn alert")) == "Churn alert"
    assert item_name(m.Note("q-1", text="Who owns it?")) == "Who owns it?"
    assert item_name(m.System("crm")) == "crm"


def test_name_key_and_slug_fold_case_accents_and_punctuation():
    assert name_key("  E-mail  Adrés ") == "e mail adres"
    assert name_key("Straße") == "strasse"
    assert slug("Haven Club card number") == "haven-club-card-number"
    assert slug("Haven Club card", "_") == "haven_club_card"
    assert slug("???") == ""


def test_unique_id_counts_up_from_two():
    assert unique_id("crm", set()) == "crm"
    assert unique_id("crm", {"crm", "crm-2"}) == "crm-3"
    assert unique_id("email", {"email"}, "_") == "email_2"


def test_new_item_ids_follow_the_sections_style():
    assert new_item_id("attributes", "Loyalty tier", set()) == "loyalty_tier"
    assert new_item_id("systems", "CRM suite", {"crm-suite"}) == "crm-suite-2"
    assert (
        new_item_id("use_cases", "Send a reminder for an abandoned cart today", set())
        == "send-a-reminder-for-an-abandoned"
    )
    assert new_item_id("use_cases", "Send a reminder", set(), words=2) == "send-a"


def test_a_stakeholder_gets_the_first_name_while_it_is_free():
    assert new_item_id("stakeholders", "Sanne de Vries", set()) == "sanne"
    assert new_item_id("stakeholders", "Sanne Jansen", {"sanne"}) == "sanne-jansen"


def test_a_preferred_id_is_taken_when_valid_and_free():
    assert new_item_id("attributes", "Date of birth", set(), preferred="birth_date") == "birth_date"
    assert new_item_id("attributes", "Date of birth", {"birth_date"}, preferred="birth_date") == "date_of_birth"
    assert new_item_id("attributes", "Date of birth", set(), preferred="not valid!") == "date_of_birth"


def test_a_name_without_letters_gets_the_sections_word():
    assert new_item_id("use_cases", "!!!", set()) == "use-case"
    assert new_item_id("use_cases", "", {"use-case"}) == "use-case-2"


@given(st.sampled_from(m.ITEM_SECTIONS), st.text(max_size=60), st.sets(st.text(max_size=8), max_size=5))
def test_new_item_ids_are_valid_and_free(section: str, name: str, taken: set[str]):
    taken |= {new_item_id(section, name, set())}  # the first choice is taken: the next one must differ
    ident = new_item_id(section, name, taken)
    assert ID.match(ident) and ident not in taken


def test_new_note_ids():
    assert new_note_id("question", "Who owns the mobile number?", []) == "q-who-owns-the-mobile"
    assert new_note_id("risk", "Who owns", ["r-who-owns"]) == "r-who-owns-2"
    assert new_note_id("idea", "???", []) == "i-note"
    assert new_note_id("decision", "Straße der Adresse", []) == "d-strasse-der-adresse"
