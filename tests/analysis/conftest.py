"""What the analysis tests share: small focused workshops written as YAML snippets."""

from __future__ import annotations

import textwrap

import yaml

from needsmap.format.model import Workshop
from needsmap.format.opening import parse_workshop

_NAME_KEY = {"stakeholders": "name", "attributes": "name", "systems": "name", "use_cases": "title", "processes": "name"}


def build(snippet: str) -> Workshop:
    """A workshop from a YAML snippet, with the required boilerplate filled in.

    Unless the snippet says otherwise: functions [marketing], channels [web,
    email, store] (``functions: null`` leaves the key out, so the defaults
    apply); every item without a name (or title) is named after its id;
    every step without a name is called "step N".  Fails the test if the
    workshop has validation errors.
    """
    data = yaml.safe_load(textwrap.dedent(snippet)) or {}
    doc = {
        "needsmap": 1,
        "workshop": {"name": "Test workshop"},
        "functions": ["marketing"],
        "channels": ["web", "email", "store"],
    }
    doc.update(data)
    for key in [k for k, v in doc.items() if v is None]:
        del doc[key]  # "functions: null": leave the key out of the file (defaults apply)
    for section, key in _NAME_KEY.items():
        for item in doc.get(section) or []:
            item.setdefault(key, item["id"])
            for i, step in enumerate(item.get("steps") or []):
                step.setdefault("name", f"step {i + 1}")
    result = parse_workshop(yaml.safe_dump(doc, sort_keys=False))
    errors = [d.render() for d in result.diagnostics if d.severity == "error"]
    assert not errors, errors
    assert result.workshop is not None
    return result.workshop
