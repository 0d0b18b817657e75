"""Reading a review file (CSV or XLSX) into text columns: the header found, personal columns never read.

`read_raw` reads every table of a file — the CSV, or each visible sheet of a workbook carrying the household header
(`data.ingest.xlsx`) — finds its header over one to three rows, drops the rows that are not households (a row of
column numbers, totals, a signature block: `data.ingest.layout`), and joins the tables into one `Raw`, each row
keeping its sheet and spreadsheet row number. What it did is said in `Raw.notes`; cells it could read but must refuse
(a formula without a computed value) are in `Raw.cells` for the validator to report. Columns with personal data are
never read; other columns without a field are read only to recognise those layout rows, then dropped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.ingest import layout, normalise, text, xlsx
from data.ingest.layout import Table
from data.ingest.limits import guard
from data.ingest.messages import FileError, Message, msg
from data.ingest.normalise import Headers

Log = Callable[[str], None]

__all__ = ["FileError", "Log", "Raw", "read_raw"]


def _silent(_: str) -> None:
    """The default log: says nothing."""


@dataclass
class Raw:
    """The kept columns of a file as text, with the sheet and spreadsheet row number of every data row."""

    headers: Headers
    frame: pd.DataFrame  # one column per recognised field, values as text ("" for empty), NFC and trimmed
    rows: np.ndarray  # spreadsheet row numbers (the header row is the row above the first data row)
    sheets: list[str] = field(default_factory=list)  # the sheets read, in tab order, when there are several
    sheet: np.ndarray | None = None  # each row's index into `sheets` (None: one table)
    notes: list[Message] = field(default_factory=list)  # what reading did: sheets read or ignored, rows skipped
    cells: list[tuple[str, np.ndarray, Message]] = field(default_factory=list)  # (field, rows, problem) to refuse
    symbol_font: bool = False  # the workbook's styles name a symbol font (Wingdings …): a letter may be a drawn mark

    def files(self, name: str, mask: np.ndarray | None = None) -> np.ndarray | str:
        """Where each row (of `mask`) is, as the report's `file` column: `name`, or `name [sheet]` when several
        sheets were read (so a problem says the sheet and stays sortable by file, then row)."""
        if self.sheet is None:
            return name
        labels = np.array([f"{name} [{s}]" for s in self.sheets], dtype=object)
        return labels[self.sheet if mask is None else self.sheet[mask]]

    def order(self, mask: np.ndarray) -> np.ndarray:
        """The tab order of the rows of `mask` (0 for a single table), to sort problems sheet by sheet."""
        return np.zeros(int(np.count_nonzero(mask)), dtype=np.int64) if self.sheet is None else self.sheet[mask]


def _records(head: str, delimiter: str) -> list[list[str]]:
    """The first records of a CSV text; a quoted cell may hold line breaks (Alt+Enter in Excel)."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)  # CR, LF or CRLF line endings
    out: list[list[str]] = []
    with contextlib.suppress(csv.Error):  # the records read so far are the candidates; the full read says the rest
        out.extend(itertools.islice(reader, xlsx.HEAD_ROWS))
    return out


def _read_columns(headers: Headers) -> list[int]:
    """Column indices read: every column except those with personal data."""
    personal = set(headers.personal)
    return [i for i, (h, f) in enumerate(zip(headers.written, headers.fields, strict=True))
            if f is not None or h not in personal]


def _read_csv(data: bytes, mapping: dict[str, str]) -> tuple[Table, list[Message]]:
    """The table of a CSV file and what decoding it did (an encoding converted), or `FileError`."""
    # --- decoding (text.decode_csv): any encoding → UTF-8 bytes without BOM, or a refusal naming the encoding ---
    try:
        decoded = text.decode_csv(data)
    except text.EncodingRefused as exc:
        raise FileError(exc.message) from exc
    data = decoded.data
    head = data[:65536].decode("utf-8", errors="ignore")  # a multi-byte character cut at the boundary is dropped
    # --- end of decoding ---
    best, delimiter, records = None, ",", []
    for sep in (",", ";", "\t"):
        candidates = _records(head, sep)
        band = layout.find_header(candidates, mapping)
        if band is not None and (best is None or band.score > best.score):
            best, delimiter, records = band, sep, candidates
    if best is None:
        raise FileError(msg("ingest.no_header"))
    band = records[best.first:best.last + 1]
    width = max(len(r) for r in band)  # the header's fields as written, empty ones at its end included
    named = max(max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in band)  # up to its last name
    written = best.written
    headers = normalise.classify_headers(written, mapping)
    keep = _read_columns(headers)
    widths = _widths(data, delimiter, best.last + 1)
    try:
        if not widths.any():  # nothing but blank lines under the header (pandas would refuse them)
            raise pd.errors.EmptyDataError
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, skiprows=best.last + 1, usecols=keep,
                            names=list(range(len(written))),
                            dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            encoding="utf-8-sig", engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=keep)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise FileError(msg("ingest.unreadable_rows", delimiter=repr(delimiter), detail=str(exc)[:200])) from exc
    frame = frame.reindex(columns=keep, fill_value="")
    frame.columns = [headers.fields[i] or f"_c{i}" for i in keep]
    rows = np.arange(len(frame), dtype=np.int64) + best.last + 2  # records after the header, numbered as rows
    if not len(frame):
        widths = widths[:0]
    if len(widths) != len(frame):  # the csv module and pandas split the records differently: cannot tell rows
        raise FileError(msg("ingest.unreadable_rows", delimiter=repr(delimiter),
                            detail=f"{len(widths)} / {len(frame)} records"))
    return Table(None, headers, best, frame, rows, widths=widths, width=(named, width)), list(decoded.notes)


def _widths(data: bytes, delimiter: str, skip: int) -> np.ndarray:
    """The number of fields of each record after the first `skip` (the header), quoting respected; 0 for a blank
    line. pandas drops a field beyond the header and pads a short record, so the reader counts them itself."""
    if b'"' not in data:  # no quoting: a record is a line (CR, LF or CRLF), counted at C speed (0.1 s vs 0.4 s)
        sep = delimiter.encode()
        lines = data.removeprefix(codecs.BOM_UTF8).splitlines()[skip:]
        return np.fromiter((line.count(sep) + 1 if line else 0 for line in lines), dtype=np.int64, count=len(lines))
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    return np.fromiter((len(record) for record in itertools.islice(reader, skip, None)), dtype=np.int64)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _combine(tables: list[Table], notes: list[Message]) -> Raw:
    """One `Raw` from the tables read: layout rows dropped (with notes), blank rows dropped, sheets remembered."""
    several = len(tables) > 1
    frames, rows, sheets, uncomputed = [], [], [], []
    shifted: list[tuple[int, np.ndarray, Message]] = []  # (table, its rows' mask, problem)
    said: dict[str, list[str]] = {"header": [], "numbers": [], "totals": [], "signature": []}
    for index, table in enumerate(tables):
        fields = [c for c in table.frame.columns if not c.startswith("_c")]
        frame = table.frame.fillna("").astype(str)
        keep, skipped = layout.tidy(frame, table.rows, fields=fields)
        keep &= frame[fields].ne("").any(axis=1).to_numpy() if fields else np.zeros(len(frame), dtype=bool)
        where = f"[{table.sheet}] " if several else ""
        if table.band.height > 1:
            said["header"].append(where + layout.row_ranges(range(table.band.first + 1, table.band.last + 2)))
        for kind in ("numbers", "totals", "signature"):
            if getattr(skipped, kind):
                said[kind].append(where + layout.row_ranges(getattr(skipped, kind)))
        frames.append(frame.loc[keep, fields].reset_index(drop=True))
        rows.append(table.rows[keep])
        sheets.append(np.full(int(keep.sum()), index, dtype=np.int64))
        uncomputed.append({f: mask[keep] for f, mask in table.uncomputed.items()})
        if table.widths is not None:  # a CSV record with more or fewer fields than its header: values shifted
            named, width = table.width
            counts = table.widths[keep]
            for count in np.unique(counts[(counts != 0) & ((counts < named) | (counts > width))]):
                shifted.append((index, counts == count, msg("ingest.row_width", count=int(count), columns=width)))
    frame = pd.concat(frames, ignore_index=True) if several else frames[0]
    cells = []
    for f in _unique([f for u in uncomputed for f in u]):
        kinds = np.concatenate([u.get(f, np.zeros(len(fr), dtype=np.int8)) for u, fr in zip(uncomputed, frames,
                                                                                            strict=True)])
        for kind, problem in ((xlsx.NO_VALUE, msg("ingest.formula_no_value")), (xlsx.ERROR, msg("ingest.excel_error"))):
            if (kinds == kind).any():
                cells.append((f, kinds == kind, problem))
    for index, mask, problem in shifted:  # reported on the household code, which says which household it is
        cells.append(("household_id", np.concatenate([mask if i == index else np.zeros(len(fr), dtype=bool)
                                                      for i, fr in enumerate(frames)]), problem))
    notes = list(notes)
    if said["header"]:
        notes.append(msg("ingest.note_header_rows", rows="; ".join(said["header"])))
    if said["numbers"]:
        notes.append(msg("ingest.note_numbers_row", rows="; ".join(said["numbers"])))
    if said["totals"]:
        notes.append(msg("ingest.note_total_rows", rows="; ".join(said["totals"])))
    if said["signature"]:
        notes.append(msg("ingest.note_signature_rows", rows="; ".join(said["signature"])))
    first = tables[0].headers
    duplicated: dict[str, list[str]] = {}
    for table in tables:
        for f, written in table.headers.duplicated.items():
            duplicated.setdefault(f, written)
    headers = dataclasses.replace(first, personal=_unique([h for t in tables for h in t.headers.personal]),
                                  ignored=_unique([h for t in tables for h in t.headers.ignored]),
                                  duplicated=duplicated)
    return Raw(headers, frame, np.concatenate(rows), [t.sheet or "" for t in tables] if several else [],
               np.concatenate(sheets) if several else None, notes, cells)


def read_raw(data: bytes, name: str, mapping: dict[str, str], log: Log = _silent) -> Raw:
    """Read the recognised columns of a CSV or XLSX file; personal columns are never read.

    Every kept cell is converted from TCVN3/VNI where its column is typed so, then NFC and trimmed (`text`).
    Raises `FileError` (with a translated message) for any file that cannot be read: no other exception leaves.
    """
    try:
        guard(data, name)  # a file over a limit (data.ingest.limits) is refused before any reader sees it
        if data[:4] == b"PK\x03\x04":  # calamine guesses a format from the bytes: only a zip package reaches it
            tables, notes = xlsx.read_workbook(data, mapping, log, name)
            fonts = text.workbook_fonts(data)
            hint, symbol_font = text.font_encodings(fonts), text.has_symbol_font(fonts)
        elif name.lower().endswith((".xlsx", ".xlsm")) and data[:4] == b"\xd0\xcf\x11\xe0":  # an OLE file
            raise FileError(msg("ingest.xlsx_protected"))
        elif name.lower().endswith((".xlsx", ".xlsm")):
            raise FileError(msg("ingest.not_xlsx", error="not a zip package"))
        elif name.lower().endswith(".xls"):
            raise FileError(msg("ingest.old_xls"))
        else:
            table, notes = _read_csv(data, mapping)
            tables, hint, symbol_font = [table], frozenset(), False
        raw = _combine(tables, notes)
        raw.symbol_font = symbol_font
        return _normalise_text(raw, hint)
    except FileError:
        raise
    except BaseException as exc:  # a library's own error (a Rust panic is a BaseException): a file problem
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise FileError(msg("ingest.unreadable_file", error=type(exc).__name__)) from exc


def _normalise_text(raw: Raw, hint: frozenset[str]) -> Raw:
    """`raw` with its cells from TCVN3/VNI where a column is typed so, NFC and trimmed; rows left blank dropped."""
    labels = {f: raw.headers.column_of(f) for f in raw.frame.columns if f in raw.headers.fields}
    frame, converted = text.normalise_frame(raw.frame, labels, hint)
    raw.notes = [*raw.notes, *converted]
    nonblank = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), dtype=bool)
    if nonblank.all():
        raw.frame = frame
        return raw
    raw.frame = frame[nonblank].reset_index(drop=True)
    raw.rows = raw.rows[nonblank]
    if raw.sheet is not None:
        raw.sheet = raw.sheet[nonblank]
    raw.cells = [(f, mask[nonblank], problem) for f, mask, problem in raw.cells]
    return raw
