"""Writing an export's files: one file, or a folder of them, never half of either.

Every file is checked before the first is written (the target is a folder where a folder is
needed and a file where a file is; no path leaves the folder), then all are written atomically
(temporary files, one flush to disk, renames: :func:`needsmap.util.atomic_write.write_many_atomically`). A later export into the same folder replaces the files of the
same names, so re-exporting a workshop updates what was written before instead of adding twins;
files needsmap did not write are left alone.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from needsmap.interchange.base import ExportError, ExportFiles
from needsmap.util.atomic_write import write_atomically, write_many_atomically

#: A file name part that every file system and every tool reads: ASCII letters, digits, ``_.-``.
SAFE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


def safe_file_stem(text: str, fallback: str = "item", limit: int = 80) -> str:
    """A file name stem from untrusted text: safe characters only, never empty, never hidden, bounded."""
    stem = "".join(c if c in SAFE_CHARS else "_" for c in text).strip("._-")[:limit]
    return stem or fallback


def _checked(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise ExportError(f"internal error: an exporter asked to write outside its folder: {rel!r}")
    return path


def write_export(files: ExportFiles, target: Path, *, folder: bool) -> list[Path]:
    """Write ``files`` to ``target`` (a folder when ``folder``, else the one file); return the paths written."""
    if not files:
        raise ExportError("nothing to export: the workshop has nothing this format holds")
    if not folder:
        if len(files) != 1:
            raise ExportError(f"internal error: a single-file format returned {len(files)} files")
        if target.is_dir():
            raise ExportError(f"{target}: is a folder; this format writes one file: give a file name")
        if not target.parent.is_dir():
            raise ExportError(f"{target.parent}: no such folder; create it first")
        (text,) = files.values()
        _write(target, text)
        return [target]
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target}: is a file; this format writes a folder of files: give a folder name")
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent}: no such folder; create it first")
    planned = [(target.joinpath(*_checked(rel).parts), text) for rel, text in files.items()]
    for path, _ in planned:
        for parent in path.relative_to(target).parents:
            here = target / parent
            if here.exists() and not here.is_dir():
                raise ExportError(f"{here}: is a file where the export needs a folder; move it away")
        if path.is_dir():
            raise ExportError(f"{path}: is a folder where the export writes a file; move it away")
    try:
        for path, _ in planned:
            path.parent.mkdir(parents=True, exist_ok=True)
        write_many_atomically([(path, text.encode("utf-8")) for path, text in planned])
    except OSError as exc:
        raise ExportError(_cannot_write(exc, target)) from exc
    return [path for path, _ in planned]


def _cannot_write(exc: OSError, where: Path) -> str:
    return f"{exc.filename or where}: cannot write: {exc.strerror or exc}"


def _write(path: Path, text: str) -> None:
    try:
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        raise ExportError(_cannot_write(exc, path)) from exc
