"""docs/rules.md documents exactly the rules of the catalogue (:data:`needsmap.analysis.rules.RULES`).

The page has, under "## The rules", a summary table (code, slug, title, severity, readiness) and then
one section per rule, headed ``### CODE slug — Title``, with the catalogue's *why* and *fix* quoted
word for word and a **Severity.** paragraph.  This test reads both and fails on a rule missing from
the page, a documented rule the code does not have, and any code, slug, title, severity, why or fix
that differs.

Severities: a rule whose severity never varies shows exactly that word in the table and in its
Severity paragraph; a graded rule (``Rule.graded``) shows every severity its grading can give, and no
other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from needsmap.analysis.rules import RULES, Rule
from tests.conftest import ROOT

DOC = ROOT / "docs" / "rules.md"
SEVERITIES = ("error", "warning", "info")
SEVERITY_WORD = re.compile(r"\b(error|warning|info)\b")
ROW = re.compile(r"^\| *(NM\d+) *\| *([^|]*?) *\| *([^|]*?) *\| *([^|]*?) *\| *([^|]*?) *\|$", re.M)
HEADING = re.compile(r"^### (NM\d+) (\S+) — (.+)$", re.M)


@dataclass
class Documented:
    """What the page says about one rule."""

    code: str
    slug: str
    title: str
    severities: set[str]  # in the summary table
    section_severities: set[str] | None = None  # in the Severity paragraph of its section (None: no section)
    why: str | None = None
    fix: str | None = None


def expected_severities(rule: Rule) -> set[str]:
    """The severities a finding of ``rule`` can have: its grading's words, or its one severity."""
    graded = set(SEVERITY_WORD.findall(rule.graded))
    return graded or {rule.severity}


def read(text: str) -> tuple[dict[str, Documented], list[str]]:
    """The rules the page documents, by slug, and what is wrong with the page's own structure."""
    problems: list[str] = []
    start = text.find("\n## The rules")
    if start < 0:
        return {}, ["docs/rules.md has no '## The rules' chapter"]
    body = text[start:]
    table, _, sections = body.partition("\n### ")
    sections = "### " + sections
    found: dict[str, Documented] = {}
    for code, slug, title, severity, _readiness in ROW.findall(table):
        if slug in found:
            problems.append(f"{slug} is in the summary table twice")
        found[slug] = Documented(code, slug, title, set(SEVERITY_WORD.findall(severity)))
    headings = list(HEADING.finditer(sections))
    for i, heading in enumerate(headings):
        code, slug, title = heading.groups()
        end = headings[i + 1].start() if i + 1 < len(headings) else len(sections)
        section = sections[heading.end() : end]
        doc = found.get(slug)
        if doc is None:
            problems.append(f"section '{code} {slug}' has no row in the summary table")
            doc = found[slug] = Documented(code, slug, title, set())
        elif (doc.code, doc.title) != (code, title):
            problems.append(f"{slug}: the table says {doc.code} '{doc.title}', its section {code} '{title}'")
        if doc.section_severities is not None:
            problems.append(f"{slug} has two sections")
        why = re.search(r'^> \*Why:\* "(.*)"$', section, re.M)
        fix = re.search(r'^> \*Fix:\* "(.*)"$', section, re.M)
        severity = re.search(r"^\*\*Severity\.\*\*(.*?)(?:\n\n|\Z)", section, re.M | re.S)
        doc.why = why.group(1) if why else None
        doc.fix = fix.group(1) if fix else None
        doc.section_severities = set(re.findall(r"`(error|warning|info)`", severity.group(1))) if severity else set()
    return found, problems


def compare(rules: dict[str, Rule], text: str) -> list[str]:
    """Every difference between the rule catalogue and the page ``text``; empty when they agree."""
    documented, problems = read(text)
    for slug in rules.keys() - documented.keys():
        problems.append(f"rule {rules[slug].code} {slug} is not documented in docs/rules.md")
    for slug in documented.keys() - rules.keys():
        problems.append(f"docs/rules.md documents {documented[slug].code} {slug}, which is not a rule")
    for slug in sorted(rules.keys() & documented.keys()):
        rule, doc = rules[slug], documented[slug]
        where = f"{rule.code} {slug}"
        if doc.code != rule.code:
            problems.append(f"{slug}: code {rule.code} in the catalogue, {doc.code} in the docs")
        if doc.title != rule.title:
            problems.append(f"{where}: title {rule.title!r} in the catalogue, {doc.title!r} in the docs")
        expected = expected_severities(rule)
        if rule.severity not in expected:
            problems.append(f"{where}: its severity {rule.severity!r} is not one its grading gives")
        if doc.severities != expected:
            problems.append(f"{where}: the table gives severity {sorted(doc.severities)}, the code {sorted(expected)}")
        if doc.section_severities is None:
            problems.append(f"{where} has no section of its own ('### {rule.code} {slug} — {rule.title}')")
            continue
        if doc.section_severities != expected:
            problems.append(
                f"{where}: its Severity paragraph gives {sorted(doc.section_severities)}, the code {sorted(expected)}"
            )
        if doc.why != rule.why:
            problems.append(f"{where}: the quoted Why is not the catalogue's, word for word: {rule.why!r}")
        if doc.fix != rule.fix:
            problems.append(f"{where}: the quoted Fix is not the catalogue's, word for word: {rule.fix!r}")
    return problems


def test_the_docs_list_exactly_the_rules_of_the_catalogue():
    assert compare(RULES, DOC.read_text(encoding="utf-8")) == []


def test_the_sections_follow_the_order_of_the_catalogue():
    text = DOC.read_text(encoding="utf-8")
    assert [m.group(2) for m in HEADING.finditer(text)] == list(RULES)
    table = text[text.index("\n## The rules") :].partition("\n### ")[0]
    assert [row[1] for row in ROW.findall(table)] == list(RULES)


# -- the comparison itself notices what it must --------------------------------------------------
def _page() -> str:
    return DOC.read_text(encoding="utf-8")


def _without_section(text: str, code: str) -> str:
    start = text.index(f"\n### {code} ")
    end = text.index("\n### ", start + 1)
    return text[:start] + text[end:]


def test_a_rule_missing_from_the_docs_is_found():
    rule = RULES["stale"]
    text = _without_section(_page(), rule.code)
    text = re.sub(rf"^\| {rule.code} \|.*\n", "", text, flags=re.M)
    assert compare(RULES, text) == [f"rule {rule.code} stale is not documented in docs/rules.md"]
    only_the_row_left = _without_section(_page(), rule.code)
    assert any("has no section of its own" in p for p in compare(RULES, only_the_row_left))


def test_a_documented_rule_that_does_not_exist_is_found():
    rules = {slug: rule for slug, rule in RULES.items() if slug != "contested"}
    assert compare(rules, _page()) == ["docs/rules.md documents NM111 contested, which is not a rule"]


def test_a_mismatched_code_slug_title_or_severity_is_found():
    text = _page()
    renamed = text.replace("| NM107 | no-master | Several copies, no master |", "| NM107 | no-master | Copies |")
    assert any("NM107 no-master" in p and "Copies" in p for p in compare(RULES, renamed))

    recoded = text.replace("### NM108 many-masters —", "### NM180 many-masters —")
    assert any("many-masters" in p and "NM180" in p for p in compare(RULES, recoded))

    reslugged = text.replace("| NM110 | no-owner |", "| NM110 | unowned |")
    problems = compare(RULES, reslugged)
    assert any("unowned" in p for p in problems)

    # NM104 is always a warning: "info" in its table row is wrong
    severity = text.replace(
        "| NM104 | low-quality | Quality below the threshold everywhere | warning |",
        "| NM104 | low-quality | Quality below the threshold everywhere | info |",
    )
    assert severity != text
    assert any("NM104 low-quality: the table gives severity ['info']" in p for p in compare(RULES, severity))

    # NM102 is graded warning / info: a page that forgets the info grade is wrong
    graded = text.replace("| warning (must) / info |", "| warning |")
    assert graded != text
    assert any("NM102 stale: the table gives severity ['warning']" in p for p in compare(RULES, graded))


def test_a_why_or_fix_that_is_no_longer_the_catalogues_is_found():
    rule = RULES["no-owner"]
    text = _page().replace(f'> *Why:* "{rule.why}"', '> *Why:* "Nobody cares."')
    assert compare(RULES, text) == [
        f"{rule.code} no-owner: the quoted Why is not the catalogue's, word for word: {rule.why!r}"
    ]
