"""Reading a review file (CSV or XLSX) into text columns: the header found, personal columns never read."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from data.ingest import normalise
from data.ingest.limits import guard
from data.ingest.messages import Message, msg
from data.ingest.normalise import Headers

HEADER_SEARCH_ROWS = 20  # title rows a sheet may have above its header
PROGRESS_EVERY = 50_000

Log = Callable[[str], None]


def _silent(_: str) -> None:
    """The default log: says nothing."""


@dataclass
class Raw:
    """The kept columns of a file as text, with the spreadsheet row number of every data row."""

    headers: Headers
    frame: pd.DataFrame  # one column per recognised field, values as text ("" for empty)
    rows: np.ndarray  # spreadsheet row numbers (the header row is the row above the first data row)


class FileError(Exception):
    """The file cannot be read at all (not CSV/XLSX, not UTF-8, no header row)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _pick(best: tuple[int, int, list] | None, score: int, index: int, row: list) -> tuple[int, int, list] | None:
    return (score, index, row) if score > 0 and (best is None or score > best[0]) else best


def _read_csv(data: bytes, mapping: dict[str, str]) -> tuple[list, int, pd.DataFrame]:
    try:
        head = data[:65536].decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data[:65532].decode("utf-8-sig")  # a multi-byte character cut at the boundary is fine
        except UnicodeDecodeError as exc:
            raise FileError(msg("ingest.not_utf8")) from exc
        head = data[:65532].decode("utf-8-sig")
    lines = head.splitlines()[:HEADER_SEARCH_ROWS]
    best, delimiter = None, ","
    for sep in (",", ";", "\t"):
        for index, row in enumerate(csv.reader(lines, delimiter=sep)):
            before = best
            best = _pick(best, normalise.header_score(row, mapping), index, row)
            if best is not before:
                delimiter = sep
    if best is None:
        raise FileError(msg("ingest.no_header"))
    _, header_index, written = best
    headers = normalise.classify_headers(written, mapping)
    keep = [i for i, f in enumerate(headers.fields) if f is not None]
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, skiprows=header_index + 1, usecols=keep,
                            names=list(range(len(written))),
                            dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            encoding="utf-8-sig", engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=keep)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise FileError(msg("ingest.unreadable_rows", delimiter=repr(delimiter), detail=str(exc)[:200])) from exc
    frame = frame.reindex(columns=keep, fill_value="")
    frame.columns = [headers.fields[i] for i in keep]
    return written, header_index, frame


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1


def _xlsx_sheets(book: zipfile.ZipFile) -> list[str]:
    """Paths of the workbook's worksheets, in tab order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for sheet in workbook.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        out.append(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    return out


def _xlsx_rows(book: zipfile.ZipFile, path: str, shared: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cell texts) for every row of a worksheet, streamed with iterparse.

    openpyxl's read-only mode builds a Python object per cell (≈ 20 µs); a province file has ≈ 5 million cells.
    Here a cell is a few dictionary look-ups: shared strings by index, inline strings, booleans, numbers (written
    without a trailing `.0` when whole, as a person reads them in Excel).
    """
    with book.open(path) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag != f"{_NS}row":
                continue
            cells: list[str] = []
            for cell in element:
                ref = cell.get("r")
                index = _column_index(ref) if ref else len(cells)
                if index > len(cells):
                    cells.extend([""] * (index - len(cells)))
                kind = cell.get("t")
                value = cell.find(f"{_NS}v")
                if kind == "s":
                    text = shared[int(value.text)] if value is not None and value.text else ""
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{_NS}t"))
                elif value is None or value.text is None:
                    text = ""
                elif kind == "b":
                    text = "1" if value.text == "1" else "0"
                elif kind in ("str", "e"):
                    text = value.text
                else:
                    raw = value.text
                    try:
                        text = raw if raw.isdigit() else _cell_text(float(raw))
                    except ValueError:
                        text = raw
                cells.append(text.strip())
            yield int(element.get("r") or 0), cells
            element.clear()


def _read_xlsx(data: bytes, mapping: dict[str, str], log: Log, name: str) -> tuple[list, int, pd.DataFrame]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        sheets = _xlsx_sheets(book)
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise FileError(msg("ingest.not_xlsx", error=type(exc).__name__)) from exc
    best, sheet = None, None
    for path in sheets:
        for index, (_, row) in enumerate(_xlsx_rows(book, path, shared)):
            if index >= HEADER_SEARCH_ROWS:
                break
            before = best
            best = _pick(best, normalise.header_score(row, mapping), index, row)
            if best is not before:
                sheet = path
    if best is None or sheet is None:
        raise FileError(msg("ingest.no_header_sheet"))
    _, header_index, written = best
    headers = normalise.classify_headers(written, mapping)
    keep = [i for i, f in enumerate(headers.fields) if f is not None]
    columns: list[list[str]] = [[] for _ in keep]
    numbers: list[int] = []
    started = time.perf_counter()
    header_number = None
    for index, (number, row) in enumerate(_xlsx_rows(book, sheet, shared)):
        if index == header_index:
            header_number = number
        if index <= header_index:
            continue
        width = len(row)
        for out, i in zip(columns, keep, strict=True):
            out.append(row[i] if i < width else "")
        numbers.append(number)
        if len(numbers) % PROGRESS_EVERY == 0:
            log(f"  {name}: {len(numbers):,} rows read ({time.perf_counter() - started:.1f} s)")
    frame = pd.DataFrame({headers.fields[i]: col for i, col in zip(keep, columns, strict=True)}, dtype=str)
    # Rows missing from the XML are empty rows in Excel; the row numbers say where each data row really is.
    frame.attrs["rows"] = np.asarray(numbers, dtype=np.int64)
    frame.attrs["header_row"] = header_number
    return written, header_index, frame


def read_raw(data: bytes, name: str, mapping: dict[str, str], log: Log = _silent) -> Raw:
    """Read the recognised columns of a CSV or XLSX file; personal and unknown columns are never read."""
    guard(data, name)  # a file over a limit (data.ingest.limits) is refused before any reader sees it
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        written, header_index, frame = _read_xlsx(data, mapping, log, name)
    elif name.lower().endswith(".xls"):
        raise FileError(msg("ingest.old_xls"))
    else:
        written, header_index, frame = _read_csv(data, mapping)
    headers = normalise.classify_headers(written, mapping)
    rows = frame.attrs.get("rows")
    frame = frame.fillna("").astype(str)
    if rows is None:
        rows = np.arange(len(frame)) + header_index + 2  # spreadsheet numbering: the header is row header_index + 1
    nonblank = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    return Raw(headers, frame[nonblank].reset_index(drop=True), rows[nonblank])
