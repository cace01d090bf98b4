"""``needsmap roadmap FILE --accept ID``: write a generated option into the file's ``options:``.

The option is written as generated (status ``shortlisted``) so that the
workshop can adjust its work items and vote on it.  The file is saved
atomically through :func:`needsmap.format.saver.save`, and only when it is still the
file that was loaded; comments outside the header block would be lost, so the
save is refused then (with the lines), as everywhere in needsmap.
"""

from __future__ import annotations

import copy
from pathlib import Path

from needsmap.format import model as m
from needsmap.format.loader import LoadResult
from needsmap.format.saver import SaveError, save


class AcceptError(Exception):
    """The option cannot be accepted (unknown id, already in the file, file changed or not writable)."""


def accepted_option(option: m.Option) -> m.Option:
    """The option as it is written into the file: shortlisted, no position."""
    out = copy.deepcopy(option)
    out.status = "shortlisted"
    out.loc = None
    for item in out.work_items:
        item.loc = None
    return out


def accept_option(
    path: Path, loaded: LoadResult, generated: list[m.Option], option_id: str, *, replace: bool = False
) -> str:
    """Add (or with ``replace``, swap in) the generated option ``option_id``; returns what was done."""
    ws = loaded.workshop
    assert ws is not None
    chosen = next((o for o in generated if o.id == option_id), None)
    if chosen is None:
        ids = ", ".join(o.id for o in generated) or "none (no gaps that work could close)"
        raise AcceptError(f"no generated option '{option_id}' (generated options: {ids})")
    new = accepted_option(chosen)
    index = next((i for i, o in enumerate(ws.options) if o.id == option_id), None)
    if index is not None and not replace:
        raise AcceptError(
            f"the file already has an option '{option_id}'; edit it there, or use --replace to "
            "overwrite it with the generated one (your edits to it would be lost)"
        )
    updated = copy.copy(ws)
    updated.options = list(ws.options)
    if index is None:
        updated.options.append(new)
    else:
        updated.options[index] = new
    try:
        save(updated, path, origin=loaded.origin)
    except SaveError as exc:
        raise AcceptError(str(exc).split(": error: ", 1)[-1].split(": warning: ", 1)[-1]) from exc
    verb = "Replaced" if index is not None else "Added"
    return (
        f"{verb} option '{option_id}' ({len(new.work_items)} work items) in {path}; adjust it there, then "
        "record votes (votes: or the Roadmap screen of the terminal UI)"
    )
