"""Reading a spreadsheet (xlsx or CSV) into rows of text, safely.

* Size is checked before parsing: files over :data:`MAX_SHEET_BYTES` are
  refused, and so is an xlsx whose worksheet unpacks to more than
  :data:`MAX_UNPACKED_BYTES` (a "zip bomb"); reading stops with a message after
  :data:`MAX_ROWS` rows.
* xlsx is read with openpyxl in read-only mode (streaming, cached formula
  results instead of formulas).  Read-only mode does not expose merged cells,
  so the worksheet's ``<mergeCells>`` are read separately and every cell of a
  merged range gets the value of its top-left cell.
* CSV: the encoding is UTF-8 (with or without byte-order mark), UTF-16 with a
  byte-order mark, or else Windows-1252; the delimiter (``,`` ``;`` tab ``|``)
  is sniffed.  Row numbers are the line where each record starts.
* A binary file, an old ``.xls`` workbook or a broken xlsx gives a
  :class:`SheetError` with a ``FILE: error: ...`` message, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Spreadsheets bigger than this are refused before they are parsed (bytes).
MAX_SHEET_BYTES = 32 * 1024 * 1024
#: An xlsx worksheet that unpacks to more than this is refused (bytes of XML).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
#: Reading stops with an error after this many rows.
MAX_ROWS = 100_000
#: Columns after this one are not read.
MAX_COLUMNS = 256

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the old binary Office formats


class SheetError(Exception):
    """The spreadsheet cannot be read; the message is ready to show (``FILE: error: ...``)."""


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int  # the sheet's row number, or the CSV line the record starts on
    cells: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not any(self.cells)


@dataclass(frozen=True, slots=True)
class SheetTable:
    file: str  # as the user named it
    sheet: str | None  # None for CSV
    rows: tuple[SheetRow, ...]
    sheet_names: tuple[str, ...] = ()  # all sheets of the workbook
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def read_sheet(path: str | os.PathLike[str], sheet: str | None = None) -> SheetTable:
    """The rows of ``path`` (xlsx, or CSV and other text), as text cells."""
    name = str(path)
    target = Path(path)
    try:
        size = target.stat().st_size
        if target.is_dir():
            raise SheetError(f"{name}: error: this is a folder, not a spreadsheet")
    except FileNotFoundError:
        raise SheetError(f"{name}: error: no such file") from None
    except OSError as exc:
        raise SheetError(f"{name}: error: cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_SHEET_BYTES:
        raise SheetError(
            f"{name}: error: the file is {_mib(size)}; spreadsheets are limited to "
            f"{_mib(MAX_SHEET_BYTES)} (split it, or export only the sheet you need as CSV)"
        )
    try:
        with open(target, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise SheetError(f"{name}: error: cannot read the file: {exc.strerror or exc}") from None
    if head.startswith(_OLE_MAGIC):
        raise SheetError(
            f"{name}: error: this is an old binary Office file (.xls) or a password-protected "
            "workbook; save it as .xlsx (without a password) or CSV first"
        )
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(target, name, sheet)
    if target.suffix.lower() in (".xlsx", ".xlsm"):
        raise SheetError(
            f"{name}: error: this is not an Excel workbook (an .xlsx file is a zip archive; this one is not)"
        )
    if sheet is not None:
        raise SheetError(f"{name}: error: --sheet is for Excel workbooks; a CSV file has one sheet")
    return _read_csv(target, name)


# -- CSV -----------------------------------------------------------------------------------
def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise SheetError(f"{name}: error: the file starts like UTF-16 text but is not valid UTF-16") from None
    if b"\x00" in data[:8192]:
        raise SheetError(f"{name}: error: this is a binary file, not a spreadsheet (use .xlsx or CSV)")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise SheetError(f"{name}: error: not valid UTF-8 at byte {exc.start + 3}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise SheetError(
            f"{name}: error: the text is neither UTF-8 nor Windows-1252 (byte {exc.start}); save the sheet as CSV UTF-8"
        ) from None


def _delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in (";", ",", "\t", "|")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(target: Path, name: str) -> SheetTable:
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise SheetError(f"{name}: error: cannot read the file: {exc.strerror or exc}") from None
    text, encoding = _decode(data, name)
    if "\x00" in text:
        raise SheetError(f"{name}: error: this is a binary file, not a spreadsheet (use .xlsx or CSV)")
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SheetRow] = []
    start = 1
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                raise SheetError(f"{name}: error: more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time")
            row = SheetRow(start, tuple(_clean(c) for c in record[:MAX_COLUMNS]))
            if not row.is_empty:  # empty rows carry nothing
                rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(f"{name}:{reader.line_num}: error: not readable as CSV: {exc}") from None
    return SheetTable(name, None, tuple(rows), encoding=encoding, delimiter=delimiter)


# -- xlsx ----------------------------------------------------------------------------------
def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return _clean(str(value))


def _clean(text: str) -> str:
    """Cell text without surrounding spaces; Excel's _x000D_ and non-breaking spaces made plain."""
    return text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").strip()


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range, read from the worksheet's XML."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    get_source = getattr(ws, "_get_source", None)  # openpyxl's read-only worksheet: the XML stream
    if get_source is None:  # pragma: no cover - another openpyxl layout
        return []
    out = []
    with get_source() as src:
        for _, elem in iterparse(src, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ref = elem.get("ref")
                if ref:
                    try:
                        out.append(tuple(range_boundaries(ref)))
                    except (ValueError, TypeError):
                        pass
            elem.clear()
    return out


def _read_xlsx(target: Path, name: str, sheet: str | None) -> SheetTable:
    import warnings

    import openpyxl

    try:
        with zipfile.ZipFile(target) as archive:
            unpacked = max(
                (i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")), default=0
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise SheetError(f"{name}: error: not a readable Excel workbook ({exc})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(
            f"{name}: error: a worksheet unpacks to {_mib(unpacked)}; at most {_mib(MAX_UNPACKED_BYTES)} is read"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            wb = openpyxl.load_workbook(target, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files; all mean "cannot read it"
        if target.suffix.lower() in (".ods", ".numbers"):
            raise SheetError(
                f"{name}: error: only Excel workbooks (.xlsx) and CSV are read; save it as .xlsx or CSV first"
            ) from None
        raise SheetError(f"{name}: error: not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        names = tuple(wb.sheetnames)
        if not names:
            raise SheetError(f"{name}: error: the workbook has no sheets")
        if sheet is None:
            chosen = names[0]
        else:
            wanted = [n for n in names if n == sheet] or [n for n in names if n.casefold() == sheet.casefold()]
            if not wanted:
                raise SheetError(
                    f"{name}: error: no sheet '{sheet}'; the sheets are: " + ", ".join(f"'{n}'" for n in names)
                )
            chosen = wanted[0]
        ws = wb[chosen]
        if not hasattr(ws, "iter_rows"):
            raise SheetError(f"{name}: error: '{chosen}' is a chart sheet, not a table")
        try:
            merged = _merged_ranges(ws)
            ws.reset_dimensions()  # do not trust the stated size: read every row there is
            rows = _xlsx_rows(ws, merged, name)
        except SheetError:
            raise
        except Exception as exc:  # broken XML inside a valid zip
            raise SheetError(f"{name}: error: sheet '{chosen}' cannot be read ({type(exc).__name__}: {exc})") from None
    finally:
        wb.close()
    return SheetTable(name, chosen, rows, sheet_names=names)


def _xlsx_rows(ws, merged: list[tuple[int, int, int, int]], name: str) -> tuple[SheetRow, ...]:
    top_left: dict[tuple[int, int], tuple[int, int, int, int]] = {(r[1], r[0]): r for r in merged}
    spans: list[tuple[tuple[int, int, int, int], str]] = []  # merged ranges seen so far, with their value
    rows: list[SheetRow] = []
    for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
        cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
        for col, text in enumerate(cells, start=1):
            rng = top_left.get((number, col))
            if rng is not None:
                spans.append((rng, text))
        live = []
        for rng, text in spans:
            min_col, min_row, max_col, max_row = rng
            if number > max_row:
                continue
            live.append((rng, text))
            if len(cells) < min(max_col, MAX_COLUMNS):
                cells.extend([""] * (min(max_col, MAX_COLUMNS) - len(cells)))
            for col in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                cells[col - 1] = text
        spans = live
        if not any(cells):
            continue  # empty rows carry nothing; the row numbers of the others stay the sheet's own
        if len(rows) >= MAX_ROWS:
            raise SheetError(f"{name}: error: more than {MAX_ROWS:,} rows; import at most {MAX_ROWS:,} at a time")
        while cells and not cells[-1]:
            cells.pop()
        rows.append(SheetRow(number, tuple(cells)))
    return tuple(rows)
