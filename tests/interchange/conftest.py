"""The formats' own tools (dbt, datacontract-cli, DataHub's CLI, the ODCS schema), run as their users run them.

``./dev test`` installs them into ``.venv-tools`` (requirements/interchange-tools.lock) and sets
``NEEDSMAP_TOOLS_BIN`` and ``NEEDSMAP_REQUIRE_TOOLS=1``, so there a missing tool fails the tests;
run alone without them, the tests that need a tool are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tools_bin() -> Path:
    return Path(os.environ.get("NEEDSMAP_TOOLS_BIN") or ROOT / ".venv-tools" / "bin")


def _missing(reason: str) -> None:
    if os.environ.get("NEEDSMAP_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


#: The tools run offline and quiet: no version check, no usage statistics, no colour.
TOOL_ENV = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "DBT_VERSION_CHECK": "False",
    "DATAHUB_TELEMETRY_ENABLED": "false",
    "NO_COLOR": "1",
    "TERM": "dumb",
}


@pytest.fixture(scope="session")
def run_tool() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_tool("dbt", "parse", cwd=...)``: run a tool from the tools' venv, output captured, 10 minutes at most.

    With ``expect_ok`` (the default) a non-zero exit fails the test with the tool's own output.
    """

    def run(
        name: str,
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 600,
        expect_ok: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        exe = tools_bin() / name
        if not exe.exists():
            _missing(f"{exe} is missing: ./dev test installs the formats' tools into .venv-tools")
        result = subprocess.run(
            [str(exe), *args],
            cwd=cwd,
            env={**os.environ, **TOOL_ENV, "HOME": str(cwd or Path.cwd()), **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if expect_ok and result.returncode != 0:
            pytest.fail(
                f"{name} {' '.join(args)} exited {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    return run


@pytest.fixture(scope="session")
def tools_python() -> Path:
    """The tools' venv's Python (for a package's own schema or models, e.g. ``open_data_contract_standard``)."""
    exe = tools_bin() / "python"
    if not exe.exists():
        _missing(f"{exe} is missing: ./dev test installs the formats' tools into .venv-tools")
    return exe


def workshop_by_name(name: str, hostile: Callable[[], object]):
    """The workshop a parametrised test names: ``demo`` (the demo file, opened clean), ``enterprise`` (the
    synthetic enterprise estate, seed 11) or ``hostile`` (what ``hostile`` builds for the format under test)."""
    from needsmap.synthetic import builder as synthetic
    from tests.conftest import DEMO, assert_opens_clean

    if name == "demo":
        return assert_opens_clean(DEMO)
    if name == "enterprise":
        return synthetic.generate("enterprise", 11)
    return hostile()


def every_hostile_workshop():
    """One workshop with what breaks any of the formats: the draft tests' hostile workshop (SQL quotes, comments,
    reserved words, unicode, 80-character ids) plus Jinja (dbt renders every string), environment variables
    (DataHub's loader expands them), XML, YAML's own words, spreadsheet formulas, separators inside list
    elements, 500-character names, and a system whose id and fields are identifiers nowhere."""
    import dataclasses

    from needsmap.format import model as m
    from tests.draft.conftest import hostile_workshop

    jinja = "{{ run_query('drop table canary') }} {% set x = 1 %} {# hidden #} {{{ x }}}"
    long = "Long name " + "ä" * 490
    ws = hostile_workshop()
    people = [
        m.Stakeholder("st-2", "{{ owner }} </xml> =cmd|' /C calc'!A0\nsecond line"),
        m.Stakeholder("o'wner,(x)%", '=HYPERLINK("http://x")'),
        m.Stakeholder("semi;colon", "$HOME at the start"),
    ]
    extra = [
        m.Attribute("jinja", jinja, type="string", definition=jinja + "\n</xml>\n  indented\n", owner="st-2"),
        m.Attribute("formula", '=HYPERLINK("http://x")', type="enum", values=["yes", "no", "null", "1.5", "~"]),
        m.Attribute("l" * 500, long, type="date", definition=long, identifier=True, synonyms=["no", "- item"]),
        m.Attribute("yes", "yes", entity="null", type="phone", definition="\ufeff\x85\u2029\x7f\x1b tail "),
        m.Attribute(
            "dollar",
            "$HOME at the start",
            entity="${HOME}",
            definition="${HOME} and a \\ backslash, $$ and ${}",
            owner="o'wner,(x)%",
            synonyms=["${PATH}", "+1+1", "-2+3", "@SUM(A1)", 'a;b,c "q"', "line\nbreak"],
        ),
        m.Attribute("path-1", "b.c", entity="a", type="string", owner="semi;colon"),
        m.Attribute("path-2", "c", entity="a.b", type="string"),
    ]
    system = m.System(
        "{{ sys }}",
        "</name><x a='&'> ]]> \x1b[31m",
        kind="</xml>",
        supplier="=cmd",
        owner="st-2",
        holds=[
            m.Holding("jinja", field="{{ t }}.{% c %}", role="master", freshness="daily", coverage=1.0),
            m.Holding("formula", field="=Sheet.=A1", quality=2, coverage=0.25, definition="their own: 'x'"),
            m.Holding("l" * 500, field=f"{long}.{long}", role="master"),
            m.Holding("yes", field="true"),
            m.Holding("dollar", role="derived", derived_from=["jinja", "formula"]),
            m.Holding("path-1", field=" "),
            m.Holding("path-2", field="Customer."),
        ],
        feeds=[m.Feed(ws.systems[0].id, ["jinja", "formula"], "daily")],
    )
    uc = m.UseCase(
        "uc-2", jinja, owner="st-2", description="<!-- & -->", needs=[m.Need(a.id, "must", "hourly") for a in extra]
    )
    return dataclasses.replace(
        ws,
        workshop=m.WorkshopInfo(name="{{ project }} </xml> ${HOME}", organization="=cmd"),
        stakeholders=[*ws.stakeholders, *people],
        attributes=[*ws.attributes, *extra],
        systems=[*ws.systems, system],
        use_cases=[*ws.use_cases, uc],
    )
