"""needsmap import sheet: messy real-world sheets (xlsx and CSV) into a workshop, preview first."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from needsmap import model as m
from needsmap import sheet_values as v
from needsmap.cli import main
from needsmap.import_plan import (
    Change,
    HoldingProposal,
    ImportPlan,
    PlanError,
    Source,
    apply_plan,
    preview_rows,
    summary,
)
from needsmap.import_sheet import MappingError, SheetError, parse_mapping, plan_sheet_import
from needsmap.saver import dump
from needsmap.sheet_reader import MAX_SHEET_BYTES, read_sheet
from needsmap.workshop_io import open_workshop

from .conftest import DATA

SMALL = DATA / "import" / "small-workshop.yaml"
HEADER = ["Nr", "Use case", "Omschrijving", "Eigenaar", "Afdeling", "Business value (1-5)", "Data needed",
          "Opmerkingen"]


@pytest.fixture
def small(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the small workshop in a temporary folder, which is also the current folder."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "ws.yaml"
    shutil.copyfile(SMALL, target)
    return target


def _workshop(path: Path) -> m.Workshop:
    result = open_workshop(path)
    assert result.ok, [d.render() for d in result.diagnostics]
    return result.workshop


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
    ws.append([1, "Churn prediction", "Predict which members leave\nand why", "Sanne", "Marketing", 4,
               "E-mail address; pasnummer\nFavourite colour", "from the kick-off"])
    ws.append([2, "welcome  JOURNEY", "Three e-mails in the first month", "Tom Peeters", "Sales", "Hoog",
               "email, birth date", None])
    ws.append([])
    ws.append([3, "Store pickup reminder", None, "Jan de Vries", "Verkoop", "tbd", "Emial adress", None])
    ws.append([4, "Service recovery", None, "Jan de Vries", None, "3/5", "mail; opt-in", None])
    ws.merge_cells("E7:E8")  # 'Verkoop' for both rows
    ws.append([1, "Churn prediction", "Predict which members leave\nand why", "Sanne", "Marketing", 4,
               "E-mail address; pasnummer\nFavourite colour", "from the kick-off"])
    ws.append(HEADER)
    ws.append([5, "Service recovery", "Call back after a complaint", "Jan de Vries", "Service", 2, "phone", None])
    ws.append([None, None, None, None, None, None, None, "Totaal: 5"])
    wb.create_sheet("Toelichting").append(["This sheet explains the columns."])
    wb.save(path)
    return path


MESSY_PREVIEW = [
    ("add", "attributes", "favourite_colour", "Favourite colour", "book.xlsx:Use cases:R4", "named in needs of R4"),
    ("add", "use_cases", "churn-prediction", "Churn prediction", "book.xlsx:Use cases:R4",
     "description 'Predict which members leave and why'; owner sanne; function marketing; value 4; "
     "needs email, loyalty_number, favourite_colour"),
    ("add", "stakeholders", "jan", "Jan de Vries", "book.xlsx:Use cases:R7", "named in owner of R7"),
    ("add", "use_cases", "store-pickup-reminder", "Store pickup reminder", "book.xlsx:Use cases:R7",
     "owner jan; function sales"),
    ("add", "use_cases", "service-recovery", "Service recovery", "book.xlsx:Use cases:R8",
     "owner jan; function sales; value 3; needs email"),
    ("merge", "use_cases", "welcome-journey", "Welcome journey", "book.xlsx:Use cases:R5",
     "description 'Three e-mails in the first month'; value 5; needs +date_of_birth; "
     "keeps owner sanne (input: tom); keeps function marketing (input: sales); "
     "needs: 'birth date' read as 'date_of_birth' (Date of birth)"),
    ("ambiguous", "use_cases", "store-pickup-reminder", "Store pickup reminder", "book.xlsx:Use cases:R7",
     "value: 'tbd' is not 1-5, high/medium/low or must/should/could; left empty"),
    ("ambiguous", "use_cases", "store-pickup-reminder", "Store pickup reminder", "book.xlsx:Use cases:R7",
     "needs: 'Emial adress' is not clearly one attribute; left out; candidates: email"),
    ("ambiguous", "use_cases", "service-recovery", "Service recovery", "book.xlsx:Use cases:R8",
     "needs: 'opt-in' is not clearly one attribute; left out; candidates: email_optin"),
    ("ambiguous", "use_cases", "", "Service recovery", "book.xlsx:Use cases:R11",
     "the same use case as R8 with other values; only R8 is imported"),
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
    plan = plan_sheet_import(_workshop(small), book, "use_cases")
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
    assert dry == ("Dry run: nothing written. To write these changes: needsmap import sheet book.xlsx ws.yaml "
                   "--as use_cases --apply")
    assert small.read_bytes() == before
    assert not Path("ws.yaml.bak").exists()


def test_apply_writes_through_the_saver_and_a_second_run_changes_nothing(small: Path, runner):
    messy_book(Path("book.xlsx"))
    before = _workshop(small)
    result = runner.invoke(main, ["import", "sheet", "book.xlsx", "ws.yaml", "--as", "use_cases", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Wrote ws.yaml: 5 added, 1 merged; 4 ambiguous left for you" in result.stdout
    assert Path("ws.yaml.bak").read_bytes() == SMALL.read_bytes()  # the saver kept the previous version
    after = _workshop(small)
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
        "churn-prediction", "store-pickup-reminder", "service-recovery"]
    written = small.read_bytes()
    again = runner.invoke(main, ["import", "sheet", "book.xlsx", "ws.yaml", "--as", "use_cases", "--apply"])
    assert again.exit_code == 0, again.output
    assert "0 to add, 0 to merge, 4 unchanged, 4 ambiguous, 3 skipped" in again.stdout
    assert "ws.yaml: nothing to change; not written" in again.stdout
    assert small.read_bytes() == written


def test_apply_plan_never_mutates_the_workshop(small: Path):
    ws = _workshop(small)
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
    ws = _workshop(Path("new.yaml"))
    assert ws.workshop.name == "Imported from book.xlsx"
    assert ws.functions == list(m.DEFAULT_FUNCTIONS)
    # nothing in the empty workshop: every owner and attribute is new
    assert [s.name for s in ws.stakeholders] == ["Sanne", "Tom Peeters", "Jan de Vries"]
    assert {a.id for a in ws.attributes} >= {"e_mail_address", "pasnummer", "favourite_colour"}
    assert [u.title for u in ws.use_cases] == ["Churn prediction", "welcome JOURNEY", "Store pickup reminder",
                                               "Service recovery"]


def test_cli_preview_has_exact_text_for_a_csv(small: Path, runner):
    Path("needs.csv").write_text(
        "Use case;Data;MoSCoW;Waarom\n"
        "Welcome journey;E-mail adres;Must have;Send the mails\n"
        "Welcome journey;pasnummer;Could;\n",
        encoding="utf-8")
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
        "Dry run: nothing written. To write these changes: needsmap import sheet needs.csv ws.yaml --as needs "
        "--apply",
    ]
