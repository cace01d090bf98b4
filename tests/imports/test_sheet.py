"""needsmap import sheet: messy real-world sheets (xlsx and CSV) into a workshop, preview first."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from needsmap.cli.main import main
from needsmap.format import model as m
from needsmap.format.saver import dump
from needsmap.imports import sheet_values as v
from needsmap.imports.plan import (
    Change,
    HoldingProposal,
    ImportPlan,
    PlanError,
    Source,
    apply_plan,
    preview_rows,
    summary,
)
from needsmap.imports.sheet import MappingError, SheetError, parse_mapping, plan_sheet_import
from needsmap.imports.sheet_reader import MAX_SHEET_BYTES, read_sheet
from tests.conftest import assert_opens_clean
from tests.imports.conftest import SMALL

HEADER = [
    "Nr",
    "Use case",
    "Omschrijving",
    "Eigenaar",
    "Afdeling",
    "Business value (1-5)",
    "Data needed",
    "Opmerkingen",
]


def messy_book(path: Path) -> Path:
    """A use-case sheet as workshops really produce them.

    A merged title row, an empty row, Dutch headers with a scale in brackets,
    a 'Data needed' cell with semicolons, commas and line breaks, a column
    merged over two rows, an exact duplicate row, the header repeated halfway,
    the same use case twice with different values, a totals row, and a second
    sheet.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Use cases"
    ws.append(["Use case inventaris, workshop 2 (concept)"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(HEADER)
    ws.append(
        [
            1,
            "Churn prediction",
            "Predict which members leave\nand why",
            "Sanne",
            "Marketing",
            4,
            "E-mail address; pasnummer\nFavourite colour",
            "from the kick-off",
        ]
    )
    ws.append(
        [
            2,
            "welcome  JOURNEY",
            "Three e-mails in the first month",
            "Tom Peeters",
            "Sales",
            "Hoog",
            "email, birth date",
            None,
        ]
    )
    ws.append([])
    ws.append([3, "Store pickup reminder", None, "Jan de Vries", "Verkoop", "tbd", "Emial adress", None])
    ws.append([4, "Service recovery", None, "Jan de Vries", None, "3/5", "mail; opt-in", None])
    ws.merge_cells("E7:E8")  # 'Verkoop' for both rows
    ws.append(
        [
            1,
            "Churn prediction",
            "Predict which members leave\nand why",
            "Sanne",
            "Marketing",
            4,
            "E-mail address; pasnummer\nFavourite colour",
            "from the kick-off",
        ]
    )
    ws.append(HEADER)
    ws.append([5, "Service recovery", "Call back after a complaint", "Jan de Vries", "Service", 2, "phone", None])
    ws.append([None, None, None, None, None, None, None, "Totaal: 5"])
    wb.create_sheet("Toelichting").append(["This sheet explains the columns."])
    wb.save(path)
    return path


MESSY_PREVIEW = [
    ("add", "attributes", "favourite_colour", "Favourite colour", "book.xlsx:Use cases:R4", "named in needs of R4"),
    (
        "add",
        "use_cases",
        "churn-prediction",
        "Churn prediction",
        "book.xlsx:Use cases:R4",
        "description 'Predict which members leave and why'; owner sanne; function marketing; value 4; "
        "needs email, loyalty_number, favourite_colour",
    ),
    ("add", "stakeholders", "jan", "Jan de Vries", "book.xlsx:Use cases:R7", "named in owner of R7"),
    (
        "add",
        "use_cases",
        "store-pickup-reminder",
        "Store pickup reminder",
        "book.xlsx:Use cases:R7",
        "owner jan; function sales",
    ),
    (
        "add",
        "use_cases",
        "service-recovery",
        "Service recovery",
        "book.xlsx:Use cases:R8",
        "owner jan; function sales; value 3; needs email",
    ),
    (
        "merge",
        "use_cases",
        "welcome-journey",
        "Welcome journey",
        "book.xlsx:Use cases:R5",
        "description 'Three e-mails in the first month'; value 5; needs +date_of_birth; "
        "keeps owner sanne (input: tom); keeps function marketing (input: sales); "
        "needs: 'birth date' read as 'date_of_birth' (Date of birth)",
    ),
    (
        "ambiguous",
        "use_cases",
        "store-pickup-reminder",
        "Store pickup reminder",
        "book.xlsx:Use cases:R7",
        "value: 'tbd' is not 1-5, high/medium/low or must/should/could; left empty",
    ),
    (
        "ambiguous",
        "use_cases",
        "store-pickup-reminder",
        "Store pickup reminder",
        "book.xlsx:Use cases:R7",
        "needs: 'Emial adress' is not clearly one attribute; left out; candidates: email",
    ),
    (
        "ambiguous",
        "use_cases",
        "service-recovery",
        "Service recovery",
        "book.xlsx:Use cases:R8",
        "needs: 'opt-in' is not clearly one attribute; left out; candidates: email_optin",
    ),
    (
        "ambiguous",
        "use_cases",
        "",
        "Service recovery",
        "book.xlsx:Use cases:R11",
        "the same use case as R8 with other values; only R8 is imported",
    ),
    ("skip", "", "", "", "book.xlsx:Use cases:R9", "duplicate of R4"),
    ("skip", "", "", "", "book.xlsx:Use cases:R10", "repeats the header row"),
    ("skip", "", "", "", "book.xlsx:Use cases:R12", "nothing in the imported columns"),
]
MESSY_NOTES = (
    "read sheet 'Use cases'; the workbook also has 'Toelichting' (choose with --sheet)",
    "header in R3: 'Use case' as title, 'Omschrijving' as description, 'Eigenaar' as owner, 'Afdeling' as "
    "function, 'Business value (1-5)' as value, 'Data needed' as needs",
    "column 'Nr' (A) is not imported; use --map \"HEADER=FIELD\" to import it",
    "column 'Opmerkingen' (H) is not imported; use --map \"HEADER=FIELD\" to import it",
)


def _rows(plan: ImportPlan) -> list[tuple[str, ...]]:
    return [dataclasses.astuple(r) for r in preview_rows(plan)]


def test_messy_excel_sheet_preview_is_exact(small: Path):
    book = messy_book(Path("book.xlsx"))
    plan = plan_sheet_import(assert_opens_clean(small), book, "use_cases")
    assert plan.notes == MESSY_NOTES
    assert _rows(plan) == MESSY_PREVIEW
    assert summary(plan) == "5 to add, 1 to merge, 0 unchanged, 4 ambiguous, 3 skipped"


def test_cli_dry_run_is_the_default_and_writes_nothing(small: Path, runner):
    messy_book(Path("book.xlsx"))
    before = small.read_bytes()
    result = runner.invoke(main, ["import", "sheet", "book.xlsx", "ws.yaml", "--as", "use_cases"])
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:4] == [f"book.xlsx:Use cases: {note}" for note in MESSY_NOTES]
    header, *table, total, dry = lines[4:]
    assert header.split() == ["change", "section", "id", "name", "from", "detail"]
    # one line per change (piped output is never wrapped), in the preview's order
    assert [line.split()[0] for line in table] == [r[0] for r in MESSY_PREVIEW]
    for line, row in zip(table, MESSY_PREVIEW):
        assert line.endswith(row[5]) and row[4] in line
    assert total == "book.xlsx:Use cases: 5 to add, 1 to merge, 0 unchanged, 4 ambiguous, 3 skipped"
    assert dry == (
        "Dry run: nothing written. To write these changes: needsmap import sheet book.xlsx ws.yaml "
        "--as use_cases --apply"
    )
    assert small.read_bytes() == before
    assert not Path("ws.yaml.bak").exists()


def test_apply_writes_through_the_saver_and_a_second_run_changes_nothing(small: Path, runner):
    messy_book(Path("book.xlsx"))
    before = assert_opens_clean(small)
    result = runner.invoke(main, ["import", "sheet", "book.xlsx", "ws.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Wrote ws.yaml: 5 added, 1 merged; 4 ambiguous left for you" in result.stdout
    assert Path("ws.yaml.bak").read_bytes() == SMALL.read_bytes()  # the saver kept the previous version
    after = assert_opens_clean(small)
    welcome = next(u for u in after.use_cases if u.id == "welcome-journey")
    # absent fields filled, existing ones kept, list extended without duplicates
    assert (welcome.owner, welcome.function, welcome.value) == ("sanne", "marketing", 5)
    assert welcome.description == "Three e-mails in the first month"
    assert [n.attribute for n in welcome.needs] == ["email", "date_of_birth"]
    churn = next(u for u in after.use_cases if u.id == "churn-prediction")
    assert churn.description == "Predict which members leave\nand why"
    assert [n.attribute for n in churn.needs] == ["email", "loyalty_number", "favourite_colour"]
    assert [s.id for s in after.stakeholders] == ["sanne", "tom", "jan"]
    assert [a.id for a in after.attributes][-1] == "favourite_colour"
    assert [u.id for u in after.use_cases] == [u.id for u in before.use_cases] + [
        "churn-prediction",
        "store-pickup-reminder",
        "service-recovery",
    ]
    written = small.read_bytes()
    again = runner.invoke(main, ["import", "sheet", "book.xlsx", "ws.yaml", "--as", "use_cases", "--apply"])
    assert again.exit_code == 0, again.output
    assert "0 to add, 0 to merge, 4 unchanged, 4 ambiguous, 3 skipped" in again.stdout
    assert "ws.yaml: nothing to change; not written" in again.stdout
    assert small.read_bytes() == written


def test_apply_plan_never_mutates_the_workshop(small: Path):
    ws = assert_opens_clean(small)
    text_before = dump(ws)
    welcome_before = ws.use_cases[0]
    needs_before = list(welcome_before.needs)
    plan = plan_sheet_import(ws, messy_book(Path("book.xlsx")), "use_cases")
    new = apply_plan(ws, plan)
    assert dump(ws) == text_before
    assert ws.use_cases[0] is welcome_before and welcome_before.needs == needs_before
    assert welcome_before.value is None
    assert new.use_cases[0] is not welcome_before and new.use_cases[0].value == 5
    # untouched items are shared, not copied
    assert new.attributes[0] is ws.attributes[0]


def test_apply_into_a_new_file_starts_from_the_starter(tmp_path: Path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    messy_book(Path("book.xlsx"))
    result = runner.invoke(main, ["import", "sheet", "book.xlsx", "new.yaml", "--as", "use_cases"])
    assert result.exit_code == 0, result.output
    assert not Path("new.yaml").exists()  # a dry run creates nothing
    result = runner.invoke(main, ["import", "sheet", "book.xlsx", "new.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 0, result.output
    ws = assert_opens_clean(Path("new.yaml"))
    assert ws.workshop.name == "Imported from book.xlsx"
    assert ws.functions == list(m.DEFAULT_FUNCTIONS)
    # nothing in the empty workshop: every owner and attribute is new
    assert [s.name for s in ws.stakeholders] == ["Sanne", "Tom Peeters", "Jan de Vries"]
    # attributes the reference catalog knows come with its meaning; the others with just their name
    assert [a.id for a in ws.attributes] == [
        "email",
        "loyalty_number",
        "favourite_colour",
        "date_of_birth",
        "email_marketing_consent",
    ]
    loyalty = ws.attributes[1]
    assert loyalty.definition and loyalty.type == "id" and loyalty.identifier is True
    assert "pasnummer" in [s.casefold() for s in loyalty.synonyms]
    assert ws.attributes[2] == m.Attribute("favourite_colour", name="Favourite colour")
    assert [u.title for u in ws.use_cases] == [
        "Churn prediction",
        "welcome JOURNEY",
        "Store pickup reminder",
        "Service recovery",
    ]


def test_cli_preview_has_exact_text_for_a_csv(small: Path, runner):
    Path("needs.csv").write_text(
        "Use case;Data;MoSCoW;Waarom\n"
        "Welcome journey;E-mail adres;Must have;Send the mails\n"
        "Welcome journey;pasnummer;Could;\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "sheet", "needs.csv", "ws.yaml", "--as", "needs"])
    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "needs.csv: header in line 1: 'Use case' as use_case, 'Data' as attribute, 'MoSCoW' as criticality, "
        "'Waarom' as purpose",
        "change  section  id                              name                                from         detail",
        "add     needs    welcome-journey/loyalty_number  Welcome journey needs pasnummer     needs.csv:3  "
        "criticality could",
        "merge   needs    welcome-journey/email           Welcome journey needs E-mail adres  needs.csv:2  "
        "criticality must; purpose 'Send the mails'; attribute: 'E-mail adres' read as 'email' (E-mail address)",
        "needs.csv: 1 to add, 1 to merge, 0 unchanged, 0 ambiguous, 0 skipped",
        "Dry run: nothing written. To write these changes: needsmap import sheet needs.csv ws.yaml --as needs --apply",
    ]


# -- CSV: encodings, delimiters, languages ---------------------------------------------------
def _stakeholder_csv(delimiter: str, newline: str) -> str:
    return (
        delimiter.join(["Naam", "Functietitel", "Afdeling", "Invloed", "Belang"])
        + newline
        + newline.join(
            delimiter.join(row)
            for row in [
                ["José Müller", "Hoofd Klantenservice", "Klantenservice", "Hoog", "middel"],
                ["", "", "", "", ""],
                ["Sanne de Vries", "CMO", "Marketing", "5", "H"],
                ["Renée Dubois", "Privacy officer", "Juridisch", "L", "4"],
            ]
        )
        + newline
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline", "expected_encoding"),
    [
        ("utf-8-sig", ",", "\r\n", "utf-8-sig"),  # Excel's "CSV UTF-8": with a byte-order mark
        ("cp1252", ";", "\r\n", "cp1252"),  # Excel's "CSV" on a Dutch Windows: semicolons, Windows-1252
        ("utf-16", "\t", "\r\n", "utf-16"),  # Excel's "Unicode text"
        ("utf-8", "|", "\n", "utf-8"),
    ],
)
def test_csv_encodings_and_delimiters_are_recognised(small: Path, encoding, delimiter, newline, expected_encoding):
    Path("people.csv").write_bytes(_stakeholder_csv(delimiter, newline).encode(encoding))
    table = read_sheet("people.csv")
    assert (table.encoding, table.delimiter) == (expected_encoding, delimiter)
    assert table.rows[0].cells[0] == "Naam"  # no byte-order mark glued to the first header
    assert [r.number for r in table.rows] == [1, 2, 4, 5]  # the empty line 3 is left out
    plan = plan_sheet_import(assert_opens_clean(small), "people.csv", "stakeholders")
    assert _rows(plan) == [
        (
            "add",
            "stakeholders",
            "jose",
            "José Müller",
            "people.csv:2",
            "role 'Hoofd Klantenservice'; function service; influence high; interest medium",
        ),
        (
            "add",
            "stakeholders",
            "renee",
            "Renée Dubois",
            "people.csv:5",
            "role 'Privacy officer'; function legal; influence low; interest high",
        ),
        ("merge", "stakeholders", "sanne", "Sanne de Vries", "people.csv:4", "role CMO; influence high; interest high"),
    ]


def test_german_and_french_headers(small: Path):
    Path("de.csv").write_text(
        "Anwendungsfall,Beschreibung,Verantwortlich,Wert,Benötigte Daten\n"
        "Geburtstagsgutschein,Gutschein zum Geburtstag,Tom Peeters,Hoch,Geburtsdatum\n",
        encoding="utf-8",
    )
    Path("fr.csv").write_text(
        "Cas d'usage;Propriétaire;Priorité;Données nécessaires\nRelance panier;Sanne de Vries;Must;e-mail\n",
        encoding="utf-8",
    )
    ws = assert_opens_clean(small)
    de = plan_sheet_import(ws, "de.csv", "use_cases")
    assert de.notes == (
        "header in line 1: 'Anwendungsfall' as title, 'Beschreibung' as description, "
        "'Verantwortlich' as owner, 'Wert' as value, 'Benötigte Daten' as needs",
    )
    assert _rows(de) == [  # 'Geburtsdatum' is the workshop's date_of_birth, through the reference catalog
        (
            "add",
            "use_cases",
            "geburtstagsgutschein",
            "Geburtstagsgutschein",
            "de.csv:2",
            "description 'Gutschein zum Geburtstag'; owner tom; value 5; needs date_of_birth; "
            "needs: 'Geburtsdatum' read as 'date_of_birth' (Date of birth) through the reference catalog",
        ),
    ]
    fr = plan_sheet_import(ws, "fr.csv", "use_cases")
    assert _rows(fr) == [
        ("add", "use_cases", "relance-panier", "Relance panier", "fr.csv:2", "owner sanne; value 5; needs email")
    ]


def test_multi_line_cells_keep_the_line_where_the_record_starts(small: Path):
    Path("uc.csv").write_text(
        'Use case,Data needed\n"Birthday mail","email\ndate of birth"\nNext one,email\n', encoding="utf-8"
    )
    plan = plan_sheet_import(assert_opens_clean(small), "uc.csv", "use_cases")
    assert [(c.ident, str(c.source)) for c in plan.changes] == [("birthday-mail", "uc.csv:2"), ("next-one", "uc.csv:4")]
    assert plan.changes[0].item.needs == [m.Need("email"), m.Need("date_of_birth")]


# -- --map ---------------------------------------------------------------------------------
def test_map_overrides_and_ignores_columns(small: Path, runner):
    Path("uc.csv").write_text("Wat,Prio,Wie,Notes\nLoyalty dashboard,Should,Tom Peeters,call Tom\n", encoding="utf-8")
    unmapped = runner.invoke(main, ["import", "sheet", "uc.csv", "ws.yaml", "--as", "use_cases"])
    assert unmapped.exit_code == 2
    assert unmapped.stderr == (
        "uc.csv:1: error: no column for title in the header row ('Wat', 'Prio', 'Wie', "
        "'Notes'); name it with --map \"HEADER=title\"\nnothing written\n"
    )
    mapped = runner.invoke(
        main,
        [
            "import",
            "sheet",
            "uc.csv",
            "ws.yaml",
            "--as",
            "use_cases",
            "--map",
            "wat=title",
            "--map",
            "Wie=owner",
            "--map",
            "Notes=description",
            "--map",
            "Prio=",
        ],
    )
    assert mapped.exit_code == 0, mapped.output
    assert "uc.csv: column 'Prio' is not imported\n" in mapped.stdout
    plan = plan_sheet_import(
        assert_opens_clean(small),
        "uc.csv",
        "use_cases",
        mapping=parse_mapping(["wat=title", "Wie=owner", "Notes=description"], "use_cases"),
    )
    assert _rows(plan) == [
        (
            "add",
            "use_cases",
            "loyalty-dashboard",
            "Loyalty dashboard",
            "uc.csv:2",
            "description 'call Tom'; owner tom; value 3",
        )
    ]
    assert "--map wat=title --map Wie=owner --map Notes=description --map Prio= --apply" in mapped.stdout


def test_bad_map_options_are_usage_errors(small: Path, runner):
    with pytest.raises(MappingError, match=r"'valeu' is not a field of use_cases; did you mean 'value'\?"):
        parse_mapping(["Prio=valeu"], "use_cases")
    Path("uc.csv").write_text("Use case\nX\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "sheet", "uc.csv", "ws.yaml", "--as", "use_cases", "--map", "Prio"])
    assert result.exit_code == 2
    assert result.stderr == "error: --map 'Prio': write HEADER=FIELD, e.g. --map \"Prio=value\"\n"


# -- other kinds -----------------------------------------------------------------------------
def test_holdings_sheet_with_confidence_and_normalised_values(small: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Landscape"
    ws.append(["Systeem", "Gegeven", "Veld", "Rol", "Kwaliteit", "Dekking", "Actualiteit"])
    ws.append(["Sales CRM", "E-mail address", "Contact.Email", "bron", 4, "80%", "dagelijks"])
    ws.append(["Sales CRM", "Date of brith", "Contact.Birthdate", "kopie", "laag", 0.35, "wekelijks"])
    ws.append(["Kassa", "pasnummer", "POS.CardNo", "Golden source", "5/5", "100", "real-time"])
    ws.append(["Kassa", "Loyalty", "POS.Loyalty", "copy", "3", "", ""])
    wb.save("landscape.xlsx")
    plan = plan_sheet_import(assert_opens_clean(small), "landscape.xlsx", "holdings")
    assert _rows(plan) == [
        (
            "add",
            "holdings",
            "crm/date_of_birth",
            "Sales CRM holds Date of brith",
            "landscape.xlsx:Landscape:R3",
            "field Contact.Birthdate; role copy; quality 1; freshness weekly; coverage 0.35; "
            "confidence 0.92: 'Date of brith' is close to 'Date of birth'; "
            "attribute: 'Date of brith' read as 'date_of_birth' (Date of birth)",
        ),
        ("add", "systems", "kassa", "Kassa", "landscape.xlsx:Landscape:R4", "named in system of R4"),
        (
            "add",
            "holdings",
            "kassa/loyalty_number",
            "Kassa holds pasnummer",
            "landscape.xlsx:Landscape:R4",
            "field POS.CardNo; role master; quality 5; freshness realtime; coverage 1.0",
        ),
        (
            "merge",
            "holdings",
            "crm/email",
            "Sales CRM holds E-mail address",
            "landscape.xlsx:Landscape:R2",
            "role master; quality 4; freshness daily; coverage 0.8",
        ),
        (
            "ambiguous",
            "holdings",
            "",
            "Kassa holds Loyalty",
            "landscape.xlsx:Landscape:R5",
            "attribute: 'Loyalty' is not clearly one attribute; left out; candidates: loyalty_number",
        ),
    ]
    holding = next(c.item for c in plan.changes if c.ident == "crm/date_of_birth")
    assert isinstance(holding, HoldingProposal) and holding.confidence < 1
    new = apply_plan(assert_opens_clean(small), plan)
    crm = next(s for s in new.systems if s.id == "crm")
    assert crm.holds[0] == m.Holding(
        "email", field="Contact.Email", role="master", quality=4, freshness="daily", coverage=0.8
    )
    assert [h.attribute for h in crm.holds] == ["email", "date_of_birth"]
    assert [h.attribute for h in new.systems[-1].holds] == ["loyalty_number"]


def test_attributes_and_systems_sheets(small: Path):
    Path("attrs.csv").write_text(
        "Attribuut;Definitie;Type;Gevoeligheid;Identificerend;Synoniemen;Eigenaar\n"
        "Geboortedatum;Dag van geboorte;datum;persoonsgegeven;nee;birthday, dob;Sanne\n"
        "E-mail;Adres voor contact;e-mail;PII;ja;;Tom Peeters\n"
        "Klantsegment;Waarde-segment;keuzelijst;geen;nee;segment;onbekende eigenaar?\n",
        encoding="utf-8",
    )
    plan = plan_sheet_import(assert_opens_clean(small), "attrs.csv", "attributes")
    assert _rows(plan) == [
        ("add", "stakeholders", "onbekende", "onbekende eigenaar?", "attrs.csv:4", "named in owner of line 4"),
        # known to the reference catalog: its id, and what the sheet does not say
        (
            "add",
            "attributes",
            "customer_segment",
            "Klantsegment",
            "attrs.csv:4",
            "entity customer; type enum; values new, regular, vip, at_risk, lapsed; definition Waarde-segment; "
            "identifier no; sensitivity none; owner onbekende; synonyms segment, 'Customer segment', "
            "'Customer group', 'Customer category'; completed from the reference catalog (customer_segment)",
        ),
        # Dutch for an attribute the workshop has in English, through the catalog
        (
            "merge",
            "attributes",
            "date_of_birth",
            "Date of birth",
            "attrs.csv:2",
            "definition 'Dag van geboorte'; identifier no; sensitivity personal; owner sanne; synonyms +birthday, dob; "
            "'Geboortedatum' is 'date_of_birth' through the reference catalog",
        ),
        (
            "merge",
            "attributes",
            "email",
            "E-mail address",
            "attrs.csv:3",
            "definition 'Adres voor contact'; identifier yes; sensitivity personal; owner tom",
        ),
    ]
    Path("systems.csv").write_text(
        'Applicatie,Leverancier,Soort,Data\nSales CRM,Salesforce,CRM,"email; pasnummer"\n'
        "Web shop,Shopwerk,E-commerce,email\n",
        encoding="utf-8",
    )
    plan = plan_sheet_import(assert_opens_clean(small), "systems.csv", "systems")
    assert _rows(plan) == [
        ("add", "systems", "web-shop", "Web shop", "systems.csv:3", "kind e_commerce; supplier Shopwerk; holds email"),
        (
            "merge",
            "systems",
            "crm",
            "Sales CRM",
            "systems.csv:2",
            "kind crm; supplier Salesforce; holds +loyalty_number",
        ),
    ]


def test_needs_sheet_wont_have_is_skipped(small: Path):
    Path("needs.csv").write_text(
        "Use case,Attribute,Prio\nWelcome journey,Date of birth,Won't\nNew idea,email,high\n", encoding="utf-8"
    )
    plan = plan_sheet_import(assert_opens_clean(small), "needs.csv", "needs")
    assert _rows(plan) == [
        ("add", "use_cases", "new-idea", "New idea", "needs.csv:3", "named in use_case of line 3"),
        ("add", "needs", "new-idea/email", "New idea needs email", "needs.csv:3", "criticality must"),
        (
            "skip",
            "needs",
            "",
            "Welcome journey needs Date of birth",
            "needs.csv:2",
            "criticality is won't-have: not a need",
        ),
    ]
    new = apply_plan(assert_opens_clean(small), plan)
    assert new.use_cases[-1] == m.UseCase("new-idea", title="New idea", needs=[m.Need("email", criticality="must")])


# -- values ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [
        (v.read_score, "4", 4),
        (v.read_score, "4/5", 4),
        (v.read_score, "4 - high", 4),
        (v.read_score, "Hoog", 5),
        (v.read_score, "medium", 3),
        (v.read_score, "Laag", 1),
        (v.read_score, "Must have", 5),
        (v.read_score, "should", 3),
        (v.read_score, "3.0", 3),
        (v.read_effort, "XL", 5),
        (v.read_effort, "S", 2),
        (v.read_effort, "L", 4),
        (v.read_effort, "2", 2),
        (v.read_level, "Hoog", "high"),
        (v.read_level, "Mittel", "medium"),
        (v.read_level, "faible", "low"),
        (v.read_level, "2", "low"),
        (v.read_level, "H", "high"),
        (v.read_criticality, "Must", "must"),
        (v.read_criticality, "S", "should"),
        (v.read_criticality, "Nice to have", "could"),
        (v.read_criticality, "Won't have", "wont"),
        (v.read_criticality, "moet", "must"),
        (v.read_criticality, "high", "must"),
        (v.read_criticality, "3", "should"),
        (v.read_criticality, "yes", "must"),
        (v.read_bool, "ja", True),
        (v.read_bool, "Nee", False),
        (v.read_bool, "x", True),
        (v.read_bool, "✓", True),
        (v.read_bool, "TRUE", True),
        (v.read_bool, "non", False),
        (v.read_freshness, "Real-time", "realtime"),
        (v.read_freshness, "dagelijks", "daily"),
        (v.read_freshness, "täglich", "daily"),
        (v.read_freshness, "hebdomadaire", "weekly"),
        (v.read_horizon, "Nu", "now"),
        (v.read_horizon, "korte termijn", "now"),
        (v.read_horizon, "plus tard", "later"),
        (v.read_status, "Goedgekeurd", "agreed"),
        (v.read_status, "live", "done"),
        (v.read_status, "idee", "proposed"),
        (v.read_sensitivity, "AVG", "personal"),
        (v.read_sensitivity, "bijzondere persoonsgegevens", "sensitive"),
        (v.read_sensitivity, "nee", "none"),
        (v.read_role, "Golden source", "master"),
        (v.read_role, "berekend", "derived"),
        (v.read_type, "Datum", "date"),
        (v.read_type, "keuzelijst", "enum"),
        (v.read_type, "Telefoonnummer", "phone"),
        (v.read_coverage, "80%", 0.8),
        (v.read_coverage, "0,35", 0.35),
        (v.read_coverage, "100", 1.0),
        (v.read_quality, "5/5", 5),
        (v.read_quality, "laag", 1),
    ],
)
def test_value_normalisation(reader, text, expected):
    assert reader(text) == expected


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (v.read_score, "tbd", "'tbd' is not 1-5, high/medium/low or must/should/could"),
        (v.read_score, "8", "'8' is not a score from 1 to 5"),
        (v.read_score, "4/10", "'4/10' is not 1-5, high/medium/low or must/should/could"),
        (v.read_bool, "maybe", "'maybe' is not yes/no (ja/nee, x, true/false)"),
        (v.read_coverage, "150%", "'150%' is not a share between 0 and 100%"),
    ],
)
def test_values_not_understood_say_what_would_be(reader, text, message):
    with pytest.raises(v.ValueNotUnderstood) as info:
        reader(text)
    assert str(info.value) == message


def test_lists_split_on_commas_semicolons_line_breaks_and_bullets():
    assert v.split_list("email; phone,\n• birth date\n- loyalty card\n\n1. e-mail;email") == [
        "email",
        "phone",
        "birth date",
        "loyalty card",
        "e-mail",
    ]
    # a name with commas in it stays whole when the caller knows it
    assert v.split_list(
        "Gross margin, last 90 days; email, phone", keep=lambda part: part == "Gross margin, last 90 days"
    ) == ["Gross margin, last 90 days", "email", "phone"]


# -- bad input: clear message, no traceback, nothing written ------------------------------------
def _refused(runner, book: str, into: Path, *extra: str):
    before = into.read_bytes()
    result = runner.invoke(main, ["import", "sheet", book, str(into.name), "--as", "use_cases", *extra, "--apply"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert into.read_bytes() == before and not into.with_name(into.name + ".bak").exists()
    assert result.stdout == ""
    return result.stderr


def test_binary_file_is_refused(small: Path, runner):
    Path("photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert _refused(runner, "photo.csv", small) == (
        "photo.csv: error: this is a binary file, not a spreadsheet (use .xlsx or CSV)\nnothing written\n"
    )


def test_old_xls_and_broken_xlsx_are_refused(small: Path, runner):
    Path("old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert _refused(runner, "old.xls", small) == (
        "old.xls: error: this is an old binary Office file (.xls) or a password-protected workbook; save it as "
        ".xlsx (without a password) or CSV first\nnothing written\n"
    )
    Path("fake.xlsx").write_text("Use case,Owner\nA,B\n", encoding="utf-8")
    assert _refused(runner, "fake.xlsx", small).startswith(
        "fake.xlsx: error: this is not an Excel workbook (an .xlsx file is a zip archive; this one is not)"
    )
    with zipfile.ZipFile("broken.xlsx", "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert _refused(runner, "broken.xlsx", small).startswith("broken.xlsx: error: not a readable Excel workbook (")
    shutil.copyfile("broken.xlsx", "calc.ods")
    assert _refused(runner, "calc.ods", small) == (
        "calc.ods: error: only Excel workbooks (.xlsx) and CSV are read; "
        "save it as .xlsx or CSV first\nnothing written\n"
    )


def test_a_200_mb_sheet_is_refused_by_its_size_before_parsing(small: Path, runner):
    big = Path("huge.xlsx")
    with open(big, "wb") as fh:  # sparse: 200 MB on paper, a few bytes on disk
        fh.write(b"PK\x03\x04")
        fh.truncate(200 * 1024 * 1024)
    assert big.stat().st_size > MAX_SHEET_BYTES
    assert _refused(runner, "huge.xlsx", small) == (
        "huge.xlsx: error: the file is 200.0 MiB; spreadsheets are limited to 32.0 MiB (split it, or export only "
        "the sheet you need as CSV)\nnothing written\n"
    )


def test_limits_on_unpacked_size_and_rows(small: Path, monkeypatch):
    import needsmap.imports.sheet_reader as reader

    book = messy_book(Path("book.xlsx"))
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 100)
    with pytest.raises(SheetError, match=r"^book.xlsx: error: a worksheet unpacks to 0\.0 MiB; at most 0\.0 MiB"):
        read_sheet(book)
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 10**9)
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    with pytest.raises(SheetError, match="^book.xlsx: error: more than 3 rows; import at most 3 at a time$"):
        read_sheet(book)
    Path("many.csv").write_text("Use case\n" + "x\n" * 5, encoding="utf-8")
    with pytest.raises(SheetError, match="^many.csv: error: more than 3 rows"):
        read_sheet("many.csv")


def test_other_unreadable_inputs(small: Path, runner):
    assert _refused(runner, "missing.csv", small) == "missing.csv: error: no such file\nnothing written\n"
    Path("notes.csv").write_text("just some text\nwith no header at all\n", encoding="utf-8")
    assert _refused(runner, "notes.csv", small) == (
        "notes.csv: error: no header row found in the first 20 rows (looked for columns such as 'Use case', "
        "'Description', 'Owner', 'Function'); name the columns with --map \"HEADER=FIELD\"\nnothing written\n"
    )
    messy_book(Path("book.xlsx"))
    assert _refused(runner, "book.xlsx", small, "--sheet", "Nope") == (
        "book.xlsx: error: no sheet 'Nope'; the sheets are: 'Use cases', 'Toelichting'\nnothing written\n"
    )
    Path("empty.csv").write_bytes(b"")
    assert _refused(runner, "empty.csv", small) == "empty.csv: error: the sheet is empty\nnothing written\n"


def test_an_invalid_target_workshop_is_not_touched(small: Path, runner):
    Path("uc.csv").write_text("Use case\nX\n", encoding="utf-8")
    small.write_text(small.read_text(encoding="utf-8").replace("owner: sanne", "owner: nobody"), encoding="utf-8")
    before = small.read_bytes()
    result = runner.invoke(main, ["import", "sheet", "uc.csv", "ws.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 1
    assert "'nobody'" in result.stderr
    assert result.stderr.endswith("ws.yaml: fix the errors above first (needsmap validate ws.yaml)\n")
    assert small.read_bytes() == before


def test_comments_the_save_would_drop_stop_the_apply(small: Path, runner):
    small.write_text(
        small.read_text(encoding="utf-8").replace("  - id: tom\n", "  # the CIO\n  - id: tom\n"), encoding="utf-8"
    )
    before = small.read_bytes()
    Path("uc.csv").write_text("Use case\nLoyalty dashboard\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "sheet", "uc.csv", "ws.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 2
    assert "saving would drop the YAML comments on line(s) 8" in result.stderr
    assert result.stderr.endswith("ws.yaml: nothing written\n")
    assert small.read_bytes() == before


def test_a_plan_for_another_workshop_is_refused(small: Path):
    ws = assert_opens_clean(small)
    stale = ImportPlan("x.csv", (Change("merge", "use_cases", "gone", "Gone", Source("x.csv", row=2)),))
    with pytest.raises(PlanError, match="use_cases has no item 'gone' to change"):
        apply_plan(ws, stale)


def test_terminal_escapes_in_cells_are_shown_not_run(small: Path, runner):
    Path("evil.csv").write_text('Use case,Owner\n"Evil\x1b[2J title",[bold]Mallory[/bold]\n', encoding="utf-8")
    result = runner.invoke(main, ["import", "sheet", "evil.csv", "ws.yaml", "--as", "use_cases"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "Evil\\x1b[2J title" in result.stdout and "[bold]Mallory[/bold]" in result.stdout


def test_bilingual_and_misspelt_headers_and_names_with_commas(small: Path):
    ws = assert_opens_clean(small)
    margin = m.Attribute("margin_90d", name="Gross margin, last 90 days")
    ws = dataclasses.replace(ws, attributes=[*ws.attributes, margin])
    Path("uc.csv").write_text(
        "Use case,Omschrjving,Eigenaar / Owner,Data needed\n"
        '"Margin report","Monthly","Tom Peeters","Gross margin, last 90 days; email, mail"\n',
        encoding="utf-8",
    )
    plan = plan_sheet_import(ws, "uc.csv", "use_cases")
    assert plan.notes == (
        "header in line 1: 'Use case' as title, 'Omschrjving' as description, "
        "'Eigenaar / Owner' as owner, 'Data needed' as needs",
    )
    assert _rows(plan) == [
        (
            "add",
            "use_cases",
            "margin-report",
            "Margin report",
            "uc.csv:2",
            "description Monthly; owner tom; needs margin_90d, email",
        )
    ]


def test_a_file_changed_on_disk_during_the_import_is_not_overwritten(small: Path, runner, monkeypatch):
    import needsmap.imports.sheet as import_sheet

    Path("uc.csv").write_text("Use case\nLoyalty dashboard\n", encoding="utf-8")
    real = import_sheet.plan_sheet_import

    def colleague_saves_meanwhile(*args, **kwargs):
        plan = real(*args, **kwargs)
        small.write_text(
            small.read_text(encoding="utf-8").replace("Import tests", "Renamed meanwhile"), encoding="utf-8"
        )
        return plan

    monkeypatch.setattr(import_sheet, "plan_sheet_import", colleague_saves_meanwhile)
    result = runner.invoke(main, ["import", "sheet", "uc.csv", "ws.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 2
    assert result.stderr == (
        "ws.yaml: error: the file changed on disk since it was loaded; reload it, or save with "
        "force to overwrite the other changes\nws.yaml: nothing written\n"
    )
    assert "Renamed meanwhile" in small.read_text(encoding="utf-8")
    assert "Loyalty dashboard" not in small.read_text(encoding="utf-8")


def test_rows_merge_by_id_and_say_what_they_keep(small: Path):
    Path("uc.csv").write_text(
        "ID,Use case,Status,Horizon\nwelcome-journey,Welcome series,Goedgekeurd,nu\n"
        "birthday-mail,Birthday mail,idee,later\n",
        encoding="utf-8",
    )
    plan = plan_sheet_import(assert_opens_clean(small), "uc.csv", "use_cases")
    assert _rows(plan) == [
        ("add", "use_cases", "birthday-mail", "Birthday mail", "uc.csv:3", "horizon later; status proposed"),
        (
            "merge",
            "use_cases",
            "welcome-journey",
            "Welcome journey",
            "uc.csv:2",
            "horizon now; status agreed; keeps title 'Welcome journey' (input: 'Welcome series')",
        ),
    ]
    new = apply_plan(assert_opens_clean(small), plan)
    assert new.use_cases[0].title == "Welcome journey" and new.use_cases[0].status == "agreed"


def test_an_owner_cell_naming_several_people_takes_the_first(small: Path):
    Path("uc.csv").write_text(
        "Use case,Owner\nLoyalty dashboard,Tom Peeters / Sanne\nApp push,Jan en Piet\n", encoding="utf-8"
    )
    plan = plan_sheet_import(assert_opens_clean(small), "uc.csv", "use_cases")
    assert _rows(plan) == [
        (
            "add",
            "use_cases",
            "loyalty-dashboard",
            "Loyalty dashboard",
            "uc.csv:2",
            "owner tom; owner: 'Tom Peeters / Sanne' names 2 people; the first is taken",
        ),
        ("add", "stakeholders", "jan", "Jan", "uc.csv:3", "named in owner of line 3"),
        (
            "add",
            "use_cases",
            "app-push",
            "App push",
            "uc.csv:3",
            "owner jan; owner: 'Jan en Piet' names 2 people; the first is taken",
        ),
    ]


# -- the shared plumbing, used as another importer (DDL, database) would use it ------------------
def test_import_plan_for_another_kind_of_input(small: Path):
    from needsmap.format import validator
    from needsmap.imports.plan import PlanBuilder

    ws = assert_opens_clean(small)
    builder = PlanBuilder(ws, "schema.sql")
    builder.add("systems", m.System("dwh", name="Data warehouse"), Source("schema.sql", row=3))
    builder.propose_holding(
        "dwh",
        m.Holding("email", field="customer.email_addr"),
        Source("schema.sql", row=5),
        confidence=0.8,
        reason="column name is a spelling of 'email'",
    )
    builder.propose_holding(
        "crm", m.Holding("email", field="Contact.Email", type="string"), Source("schema.sql", row=9)
    )
    builder.propose_holding("crm", m.Holding("email", field="Contact.Mail"), Source("schema.sql", row=10))
    plan = builder.plan()
    assert _rows(plan) == [
        ("add", "systems", "dwh", "Data warehouse", "schema.sql:3", ""),
        (
            "add",
            "holdings",
            "dwh/email",
            "dwh holds email",
            "schema.sql:5",
            "field customer.email_addr; confidence 0.80: column name is a spelling of 'email'",
        ),
        ("merge", "holdings", "crm/email", "crm holds email", "schema.sql:9", "type string"),
        (
            "unchanged",
            "holdings",
            "crm/email",
            "crm holds email",
            "schema.sql:10",
            "keeps field Contact.Email (input: Contact.Mail)",
        ),
    ]
    new = apply_plan(ws, plan)
    assert not [d for d in validator.validate(new) if d.severity == "error"]
    assert new.systems[-1] == m.System(
        "dwh", name="Data warehouse", holds=[m.Holding("email", field="customer.email_addr")]
    )
    assert new.systems[0].holds == [m.Holding("email", field="Contact.Email", type="string")]
    assert ws.systems[0].holds == [m.Holding("email", field="Contact.Email")]  # the original is untouched
    assert str(Source("BOOK.xlsx", "Sheet1", 12)) == "BOOK.xlsx:Sheet1:R12"
