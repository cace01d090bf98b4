"""A new, empty workshop with guidance for whoever fills it in."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path

from needsmap.format import model as m
from needsmap.format.schema import shipped_schema_path

GUIDANCE = """\
needsmap workshop file (format v1). Reference: docs/format.md of needsmap.
Edit it in any editor; check it with needsmap validate FILE and see what is
missing with needsmap gaps FILE. Only this comment block at the top survives a save.

How a workshop fills this file, in order:
  1. stakeholders  who is in the room: function, influence, interest
  2. use_cases     what each function wants to do with customer data, and its value (1-5)
  3. needs         inside a use case: the attributes it needs (must / should / could)
  4. attributes    what each attribute means, and who owns it
  5. systems       where each attribute lives (holds) and how data flows (feeds)
  6. processes     the steps that create, read, update and delete customer data
  7. notes         questions, decisions, risks, ideas, parking lot"""


def schema_modeline(target: str | os.PathLike[str] | None) -> str:
    """A yaml-language-server modeline pointing at the installed JSON Schema."""
    schema = shipped_schema_path()
    if target is not None:
        try:
            rel = os.path.relpath(schema, Path(target).resolve().parent)
        except ValueError:  # pragma: no cover - different drives on Windows
            rel = str(schema)
        return f"yaml-language-server: $schema={Path(rel).as_posix()}"
    return f"yaml-language-server: $schema={schema.as_posix()}"


def new_workshop(
    name: str,
    *,
    organization: str | None = None,
    facilitator: str | None = None,
    today: _dt.date | None = None,
    target: str | os.PathLike[str] | None = None,
    attributes: Sequence[m.Attribute] = (),
) -> m.Workshop:
    """A starter workshop: default functions, channels and settings, written out so they can be edited.

    ``attributes`` start the workshop with agreed definitions, e.g. those of the reference
    catalog (:func:`needsmap.catalog.entries.starter_attributes`).
    """
    header = "\n".join("# " + line if line else "#" for line in GUIDANCE.splitlines())
    header = f"# {schema_modeline(target)}\n{header}"
    return m.Workshop(
        workshop=m.WorkshopInfo(
            name=name, organization=organization, facilitator=facilitator, dates=[today or _dt.date.today()]
        ),
        settings=m.Settings(
            min_quality=m.DEFAULT_MIN_QUALITY,
            min_coverage=m.DEFAULT_MIN_COVERAGE,
            marketing_channels=list(m.DEFAULT_MARKETING_CHANNELS),
        ),
        functions=list(m.DEFAULT_FUNCTIONS),
        channels=list(m.DEFAULT_CHANNELS),
        attributes=list(attributes),
        header=header,
    )
