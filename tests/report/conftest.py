"""What the report tests share: the demo analysed, the report's sections, and hostile text to feed it."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from needsmap.analysis.engine import analyse
from tests.conftest import DEMO, assert_opens_clean

#: The date the reports are made on (it shows in them), so that their text does not change from day to day.
TODAY = dt.date(2026, 11, 20)
#: The ids of the sections of the full report, in order.
SECTIONS = [
    "summary",
    "stakeholders",
    "use-cases",
    "gaps",
    "matrices",
    "diagrams",
    "ownership",
    "notes",
    "model-draft",
    "roadmap",
    "appendix",
]
#: The ids of the sections of a stakeholder's own report (``--for``), in order.
PERSONAL = ["asked", "stands", "blocks", "from-you", "use-cases", "gaps", "ownership", "notes", "appendix"]


@pytest.fixture(scope="module")
def demo():
    """The demo workshop (checked clean) and its analysis, once per test module; tests must not change them."""
    ws = assert_opens_clean(DEMO)
    return ws, analyse(ws)


# -- hostile text ----------------------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "{{ 7*7 }}"
FORMULA = '=HYPERLINK("http://x")'
DOT = 'a"b\\c]; x -> y [label="z"] <B>bold</B> {|}'
LONG = "L" * 500
RTL = "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645 \u202eevil"
EMOJI = "\U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467 emoji"
HOSTILE = [SCRIPT, IMG, JINJA, FORMULA, DOT, LONG, RTL, EMOJI]


def hostile_workshop(demo):
    """A copy of the demo (the ``demo`` fixture's pair) with hostile text in every kind of name, title,
    definition and note."""
    ws = copy.deepcopy(demo[0])
    ws.workshop.name = SCRIPT + " " + JINJA
    ws.workshop.organization = IMG
    ws.workshop.scope = FORMULA + "\n\n" + DOT
    for i, s in enumerate(ws.stakeholders):
        s.name = HOSTILE[i % len(HOSTILE)] + f" {i}"
        s.role = HOSTILE[(i + 1) % len(HOSTILE)]
    for i, u in enumerate(ws.use_cases):
        u.title = HOSTILE[i % len(HOSTILE)] + f" uc{i}"
        u.description = HOSTILE[(i + 3) % len(HOSTILE)]
    for i, a in enumerate(ws.attributes):
        a.name = HOSTILE[i % len(HOSTILE)] + f" a{i}"
        a.definition = HOSTILE[(i + 2) % len(HOSTILE)]
    for i, s in enumerate(ws.systems):
        s.name = HOSTILE[i % len(HOSTILE)] + f" s{i}"
    for i, n in enumerate(ws.notes):
        n.text = HOSTILE[i % len(HOSTILE)]
    for p in ws.processes:
        p.name = DOT
    return ws
