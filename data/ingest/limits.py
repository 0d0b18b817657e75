"""What a review file may cost before it is read: refused in well under a second, memory bounded, for any input.

`guard(data, name)` runs first in `read.read_raw`; a file over a limit raises `FileError` with a `Message` naming the
limit and the size found. The limits (`Limits`, configurable by environment variable, README "Importing review files"):

| variable | default | limit |
|---|---|---|
| `POVERTY_IMPORT_MAX_FILE_MB` | 64 | one file (MB of 1,048,576 bytes, as Streamlit's `server.maxUploadSize`) |
| `POVERTY_IMPORT_MAX_PART_MB` | 256 | any one part of an .xlsx (a sheet, the shared strings …), unpacked |
| `POVERTY_IMPORT_MAX_TOTAL_MB` | 512 | all the parts of an .xlsx, unpacked |
| `POVERTY_IMPORT_MAX_RATIO` | 100 | unpacked ÷ packed size of any part over 1 MB (a real sheet: ≈ 10) |
| `POVERTY_IMPORT_MAX_CELLS` | 6,000,000 | cells: rows × columns of each sheet's used range, summed (CSV: its fields) |
| `POVERTY_IMPORT_MAX_LINE_KB` | 1,024 | the longest line of a CSV |
| `POVERTY_IMPORT_MAX_TEXT_MB` | 256 | text in the cells of an .xlsx, in MB of characters (a shared string per cell) |

A province year in the template layout (231,000 rows × 21 columns: 4.9 million cells; 21 MB as CSV, 10 MB as .xlsx
whose sheet unpacks to 104 MB) fits every default.

Why each check (measured with python-calamine 0.9.1, the .xlsx reader; bench notes in the issue):
- The zip's declared sizes are read from its central directory first (no unpacking): a 0.4 MB workbook whose sheet
  unpacks to 200 MB of repeated rows is refused by its ratio (490) in a millisecond; read, it costs calamine 7.6 s
  and 0.97 GB.
- calamine does not trust a declared size: a part that unpacks to more stops with "File is larger than its declared
  uncompressed size". So the declared sizes bound what is unpacked; the scan below checks them again while it
  streams (a part that unpacks to more than it declares is refused).
- calamine builds each sheet as a dense rectangle of 32-byte cells from the first to the last cell with a value:
  a 2 KB file with values in A2 and XFD1048576 asks for 550 GB and aborts the process (the whole server, on the
  import page). Rows and cells without a reference (`<c>` without `r=`) are placed by counting, so empty rows and
  empty cells push the rectangle out too (50,000 empty rows and 2,000 empty cells: 3.2 GB asked by a 3 KB file).
  So every part is unpacked once, streamed in 4 MB pieces with a byte budget, and its cells' references are read
  to bound the rectangle. The fast path (every `<c` written `<c r="A1"…`, as Excel, LibreOffice, Google Sheets and
  openpyxl write it) reads the references with numpy (≈ 2 s for the 104 MB province sheet); any other spelling is
  followed exactly as calamine does, row and cell counters included (≈ 300 ns a byte, so only for parts up to
  `SLOW_SCAN_MB`; a larger part so written is refused with a "save it again" hint).
- calamine reserves memory for the shared-strings table's `uniqueCount` before reading it: `uniqueCount="4000000000"`
  in a 1 KB file asks for 96 GB and aborts. Every `count`-like attribute must stay under the cells limit.
- Merged ranges are filled cell by cell by the reader: their total area stays under the cells limit too.
- A CSV of one 60 MB line of commas takes pandas to 0.8 GB: fields and line length are limited.
- calamine gives every cell that points to a shared string its own copy of it: a 6 KB workbook whose one shared
  string of 1,000,000 characters (under the ratio check's 1 MB) is referenced by 600 cells takes it to 3.7 GB. And
  one 30 MB cell of 1 MB rich-text runs (a 3 MB file) costs 41 s and 1.4 GB. So no string (`<si>` of the shared
  strings, `<is>` of an inline string) may be longer than Excel's own limit of 32,767 characters (Excel cannot
  write one), and the text calamine will build, Σ over the cells of the string each holds, stays under
  `POVERTY_IMPORT_MAX_TEXT_MB` (a province year holds ≈ 40 MB). The strings are measured with numpy while the parts
  stream; the cells are counted one by one only when (longest shared string × cells with a value) passes the budget.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

import numpy as np

from data.ingest.messages import Message, msg

MB = 1 << 20
RATIO_GRACE_MB = 1  # parts up to this size are not held to the ratio (small XML compresses unevenly)
SLOW_SCAN_MB = 16  # parts not written `<c r="…"` are followed exactly up to this size (≈ 2–5 s), refused above
CENTRAL_DIRECTORY_MAX = 1 * MB  # ≈ 20,000 parts; a workbook has tens
TAG_MAX = 1 * MB  # a single XML tag (or a run without `<`) longer than this is not a spreadsheet
PIECE = 4 * MB  # unpacked bytes handled at a time
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

ENV = {
    "file_mb": "POVERTY_IMPORT_MAX_FILE_MB",
    "part_mb": "POVERTY_IMPORT_MAX_PART_MB",
    "total_mb": "POVERTY_IMPORT_MAX_TOTAL_MB",
    "ratio": "POVERTY_IMPORT_MAX_RATIO",
    "cells": "POVERTY_IMPORT_MAX_CELLS",
    "line_kb": "POVERTY_IMPORT_MAX_LINE_KB",
    "text_mb": "POVERTY_IMPORT_MAX_TEXT_MB",
}
EXCEL_STRING = 32_767  # characters in one cell: Excel's own limit
SHARED_STRINGS = "xl/sharedStrings.xml"  # the table calamine reads (a fixed name)
WINDOW = 1 * MB  # bytes of a piece measured for strings at a time (numpy arrays of 4 bytes a byte)


@dataclass(frozen=True)
class Limits:
    """What one review file may cost; sizes in MB of 1,048,576 bytes (KB for the line), cells as a count."""

    file_mb: int = 64
    part_mb: int = 256
    total_mb: int = 512
    ratio: int = 100
    cells: int = 6_000_000
    line_kb: int = 1024
    text_mb: int = 256

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The defaults, each replaced by its environment variable (`ENV`) when set to a positive whole number."""
        env = os.environ if env is None else env
        values = {}
        for f in fields(cls):
            text = env.get(ENV[f.name], "").strip().replace("_", "")
            if text:
                if not text.isdigit() or int(text) <= 0:
                    raise ValueError(f"{ENV[f.name]}={env[ENV[f.name]]!r}: a positive whole number is expected")
                values[f.name] = int(text)
        return cls(**values)


class _Over(Exception):
    """Raised inside the scan when a limit is passed; carries the message for the report."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message


def guard(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Raise `FileError` if reading `data` (a file called `name`) would cost more than `limits` allow.

    Called first by `read.read_raw`: a file over a limit is never handed to a reader.
    """
    problem = over_limit(data, name, limits)
    if problem is not None:
        from data.ingest.read import FileError  # read imports this module; FileError is defined by then

        raise FileError(problem)


def over_limit(data: bytes, name: str, limits: Limits | None = None) -> Message | None:
    """The first limit `data` passes, as the message for the report; None if it stays within all of them."""
    limits = limits or Limits.from_env()
    too_big = file_over_limit(len(data), limits)
    if too_big is not None:
        return too_big
    try:
        if not (data[:2] == b"PK" and _check_zip(data, limits)) and not name.lower().endswith((".xls", ".xlsb")):
            _check_text(data, limits)  # not a zip: read as text (an old .xls is refused by name)
    except _Over as over:
        return over.message
    return None


def file_over_limit(size: int, limits: Limits | None = None) -> Message | None:
    """The message for a file of `size` bytes over the file limit, None within it (the command checks a file's size
    before reading it)."""
    limits = limits or Limits.from_env()
    return msg("ingest.limit_file", size=_mb(size), limit=limits.file_mb) if size > limits.file_mb * MB else None


def _mb(size: int) -> float:
    """Bytes as MB with one decimal (never shown as 0 for a non-empty size)."""
    return max(round(size / MB, 1), 0.1) if size else 0


# ---------------------------------------------------------------------------------------------------------- CSV


def _check_text(data: bytes, limits: Limits) -> None:
    """A CSV: its fields (the most frequent separator, plus one a line) and its longest line."""
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1
    fields_ = max(data.count(b","), data.count(b";"), data.count(b"\t")) + lines
    if fields_ > limits.cells:
        raise _Over(msg("ingest.limit_fields", size=fields_, limit=limits.cells))
    longest = longest_line(data)
    if longest > limits.line_kb * 1024:
        raise _Over(msg("ingest.limit_line", size=round(longest / 1024), limit=limits.line_kb))


def longest_line(data: bytes, piece: int = PIECE) -> int:
    """Bytes in the longest run without a line break (`\\n` or `\\r`), found with numpy a piece at a time."""
    longest = run = 0
    for start in range(0, len(data), piece):
        a = np.frombuffer(data, np.uint8, count=min(piece, len(data) - start), offset=start)
        breaks = np.flatnonzero((a == 10) | (a == 13))
        if not breaks.size:
            run += len(a)
            longest = max(longest, run)
            continue
        longest = max(longest, run + int(breaks[0]))
        if breaks.size > 1:
            longest = max(longest, int(np.diff(breaks).max()) - 1)
        run = len(a) - int(breaks[-1]) - 1
    return max(longest, run)


# ---------------------------------------------------------------------------------------------------------- XLSX


def _central_directory_size(data: bytes) -> int | None:
    """The size the zip's end record gives its central directory (zip64 aware); None if there is no end record."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    size = struct.unpack_from("<L", data, end + 12)[0]
    locator = end - 20
    if size == 0xFFFFFFFF and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record:record + 4] == b"PK\x06\x06" and record + 56 <= len(data):
            size = struct.unpack_from("<Q", data, record + 40)[0]
    return size


def _check_zip(data: bytes, limits: Limits) -> bool:
    """An .xlsx: the declared sizes first (instant), then every part streamed and its cells bounded. False if `data`
    is no zip at all (then it is checked as text).

    A zip without `[Content_Types].xml` (mandatory in an .xlsx) is refused: calamine would open an OpenDocument
    spreadsheet with its .ods reader, whose repeated rows and columns these checks do not bound."""
    directory = _central_directory_size(data)
    if directory is None:
        return False
    if directory > CENTRAL_DIRECTORY_MAX:
        raise _Over(msg("ingest.limit_parts", size=_mb(directory), limit=_mb(CENTRAL_DIRECTORY_MAX)))
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    if not any(info.filename == "[Content_Types].xml" for info in infos):
        kind = "OpenDocument" if any(info.filename == "content.xml" for info in infos) else "[Content_Types].xml"
        raise _Over(msg("ingest.not_xlsx", error=f"{kind}: not an .xlsx workbook"))
    total = 0
    for info in infos:
        if info.file_size > limits.part_mb * MB:
            raise _Over(msg("ingest.limit_part", part=info.filename[:80], size=_mb(info.file_size),
                            limit=limits.part_mb))
        total += info.file_size
        if info.file_size > RATIO_GRACE_MB * MB and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise _Over(msg("ingest.limit_ratio", part=info.filename[:80], size=_mb(info.file_size),
                            packed=_mb(info.compress_size), ratio=round(info.file_size / max(info.compress_size, 1)),
                            limit=limits.ratio))
    if total > limits.total_mb * MB:
        raise _Over(msg("ingest.limit_total", size=_mb(total), limit=limits.total_mb))
    budget = _Budget(limits.cells)
    for info in sorted(infos, key=lambda info: info.filename != SHARED_STRINGS):  # the table first
        if info.file_size or info.compress_size:
            _scan_part(data, info, budget)
    _check_text_budget(data, infos, budget, limits)
    return True


def cells_spanned(data: bytes, fast: bool = True) -> int:
    """The cells calamine's rectangles would hold for the .xlsx `data`, summed over its parts (no limit applied):
    what the cells limit is checked against; `fast=False` follows every part the exact (slow) way. For tests."""
    budget = _Budget(1 << 62)
    for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
        if info.file_size or info.compress_size:
            _scan_part(data, info, budget, slow_scan_mb=1 << 20, fast=fast)
    return budget.cells


@dataclass
class _Budget:
    """Cells counted so far over all parts, against the cells limit."""

    limit: int
    cells: int = 0  # rectangles of the sheets (rows × columns), summed
    values: int = 0  # cell elements, summed (a reference may repeat)
    merged: int = 0  # area of merged ranges, summed
    shared: np.ndarray | None = None  # characters of each shared string, in the table's order
    inline: int = 0  # characters of the other strings (inline strings of the sheets), summed
    inline_exact: bool = True  # False: `inline` is an upper bound (bytes of the strings, tags included)

    def add(self, key: str, what: int) -> None:
        setattr(self, key, getattr(self, key) + what)
        if getattr(self, key) > self.limit:
            if key == "merged":
                raise _Over(msg("ingest.limit_merged", size=self.merged, limit=self.limit))
            raise _Over(msg("ingest.limit_cells", size=getattr(self, key), limit=self.limit))


def _pieces(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part unpacked, `PIECE` bytes at a time, never more than its declared size (else refused)."""
    header = info.header_offset
    if data[header:header + 4] != b"PK\x03\x04":
        raise _Over(msg("ingest.not_xlsx", error=f"{info.filename[:80]}: no local header"))
    name_length, extra_length = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_length + extra_length
    packed = memoryview(data)[start:start + info.compress_size]
    if info.flag_bits & 0x1:
        raise _Over(msg("ingest.not_xlsx", error=f"{info.filename[:80]}: encrypted"))
    if info.compress_type == zipfile.ZIP_STORED:
        for offset in range(0, len(packed), PIECE):
            yield bytes(packed[offset:offset + PIECE])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise _Over(msg("ingest.not_xlsx", error=f"{info.filename[:80]}: compression {info.compress_type}"))
    inflater = zlib.decompressobj(-15)
    produced, position = 0, 0
    pending = b""
    while True:
        if not pending:
            if position >= len(packed) or inflater.eof:
                break
            pending = bytes(packed[position:position + MB])
            position += MB
        try:
            piece = inflater.decompress(pending, PIECE)
        except zlib.error as exc:
            raise _Over(msg("ingest.not_xlsx", error=f"{info.filename[:80]}: {exc}")) from exc
        pending = inflater.unconsumed_tail
        if not piece and not pending:
            continue
        produced += len(piece)
        if produced > info.file_size:
            raise _Over(msg("ingest.limit_declared", part=info.filename[:80], declared=info.file_size))
        yield piece
    rest = inflater.flush()
    if produced + len(rest) > info.file_size:
        raise _Over(msg("ingest.limit_declared", part=info.filename[:80], declared=info.file_size))
    if rest:
        yield rest


def _tags(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part unpacked, in pieces cut before the last `<` of each (so no tag is split between two)."""
    carry = b""
    for piece in _pieces(data, info):
        block = carry + piece if carry else piece
        cut = block.rfind(b"<")
        if cut < 0:
            cut = len(block)
        carry = block[cut:]
        if len(carry) > TAG_MAX:
            raise _Over(msg("ingest.limit_tag", part=info.filename[:80], limit=_mb(TAG_MAX)))
        if cut:
            yield block[:cut]
    if carry:
        yield carry


_COUNT = re.compile(rb"""ount\s*=\s*["']\s*\+?(\d+)""")  # count=, uniqueCount= … (calamine reserves by uniqueCount)
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?mergeCell\b(?:[^>"']|"[^"]*"|'[^']*')*?\sref\s*=\s*"""
                    rb"""(?:"([^"]*)"|'([^']*)')""")
_PREFIXED = re.compile(rb"</?[A-Za-z_][\w.\-]*:(?:c|row)[\s/>]")
_C_STARTS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")


def _merged_area(text: bytes) -> int:
    """Cells a merged range (`A1:C4`) covers; a range calamine would read past Excel's sheet is refused."""
    corners = []
    for part in text.split(b":")[:2]:
        parts = _REFERENCE.fullmatch(part.strip())
        if parts is None:
            return 0  # calamine cannot read it either
        letters, number = parts.groups()
        if len(letters) > 3 or len(number) > 7 or (number and int(number) > EXCEL_ROWS) \
                or _column(letters) > EXCEL_COLUMNS:
            raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
        corners.append((int(number or 1), _column(letters) or 1))
    if len(corners) == 1:
        return 1
    (r1, c1), (r2, c2) = corners
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _scan_part(data: bytes, info: zipfile.ZipInfo, budget: _Budget, slow_scan_mb: int = SLOW_SCAN_MB,
               fast: bool = True) -> None:
    """Bound the cells one part gives calamine: fast path when every cell is written `<c r="A1"…`, exact otherwise."""
    sheet = _Rectangle()
    table = info.filename == SHARED_STRINGS
    strings = _Strings(info.filename[:80], budget.limit, exact=table)
    measured = False  # the strings measured already, in a pass of their own
    for block in _tags(data, info):
        _check_counts(block, budget, info)
        if b"mergeCell" in block:
            for m in _MERGE.finditer(block):
                budget.add("merged", _merged_area(m.group(1) if m.group(1) is not None else m.group(2)))
        a = opens = None
        if measured:
            pass
        elif strings.exact or ((b":si" in block or b":is" in block) and _PREFIXED_STRING.search(block)):
            strings.measure(block)
        else:
            a = np.frombuffer(block + b"\0" * 80, np.uint8)
            opens = np.flatnonzero(a[:len(block)] == 60)
            strings.bytes_of(a, opens, len(block))
            if strings.gave_up:  # a string over `EXCEL_STRING` bytes: the part's strings measured in characters
                strings = _Strings(info.filename[:80], budget.limit)
                for again in _tags(data, info):
                    strings.measure(again)
                measured = True
        if fast and not _fast_block(block, sheet, budget, a, opens):
            fast = False
    lengths = strings.done()
    if table:
        budget.shared = lengths
    else:
        budget.inline += int(lengths.sum(dtype=np.int64))
        budget.inline_exact &= strings.exact_total
    if fast:
        budget.add("cells", sheet.area())
        return
    if info.file_size > slow_scan_mb * MB:
        raise _Over(msg("ingest.limit_unusual", part=info.filename[:80], size=_mb(info.file_size),
                        limit=SLOW_SCAN_MB))
    budget.values -= sheet.values  # counted again, exactly
    whole = b"".join(_pieces(data, info))
    budget.add("cells", _exact_area(whole, budget))


def _check_counts(block: bytes, budget: _Budget, info: zipfile.ZipInfo) -> None:
    if b"ount" not in block:
        return
    for m in _COUNT.finditer(block):
        count = int(m.group(1)[:12])
        if count > budget.limit:
            raise _Over(msg("ingest.limit_count", part=info.filename[:80], size=count, limit=budget.limit))


@dataclass
class _Rectangle:
    """First and last row and column (1-based) of the cells seen, and how many cell elements."""

    top: int = EXCEL_ROWS + 1
    bottom: int = 0
    left: int = EXCEL_COLUMNS + 1
    right: int = 0
    values: int = 0

    def take(self, rows: np.ndarray, columns: np.ndarray) -> None:
        if rows.size:
            self.top, self.bottom = min(self.top, int(rows.min())), max(self.bottom, int(rows.max()))
            self.left, self.right = min(self.left, int(columns.min())), max(self.right, int(columns.max()))

    def area(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1) if self.bottom else 0


_LETTER_VALUE = np.zeros(256, np.int64)
for _ch in range(26):
    _LETTER_VALUE[65 + _ch] = _LETTER_VALUE[97 + _ch] = _ch + 1
_IS_LETTER = _LETTER_VALUE > 0
_IS_DIGIT = np.zeros(256, bool)
_IS_DIGIT[48:58] = True
_WINDOW = 12  # up to 3 letters, 7 digits and the closing quote


def _fast_block(block: bytes, sheet: _Rectangle, budget: _Budget, a: np.ndarray | None = None,
                opens: np.ndarray | None = None) -> bool:
    """Add one block's cells to `sheet` if every cell in it is written `<c r="A1"…`; False if one is not. `a` and
    `opens`: the block as bytes padded with 80 zeros and where its `<` are, when already computed."""
    if (b":c" in block or b":row" in block) and _PREFIXED.search(block):
        return False
    size = len(block)
    if a is None or opens is None:
        a = np.frombuffer(block + b"\0" * 80, np.uint8)
        opens = np.flatnonzero(a[:size] == 60)
    named_c = opens[a[opens + 1] == 99]
    follow = a[named_c + 2]
    starts = (follow == 32) | (follow == 62) | (follow == 47) | (follow == 9) | (follow == 10) | (follow == 13)
    written = (follow == 32) & (a[named_c + 3] == 114) & (a[named_c + 4] == 61) & (a[named_c + 5] == 34)
    if (starts != written).any():
        return False
    values = named_c[written] + 6
    if not values.size:
        return True
    window = np.lib.stride_tricks.sliding_window_view(a, _WINDOW)[values]
    letters = _IS_LETTER[window]
    digits = _IS_DIGIT[window]
    n_letters = np.argmin(letters, axis=1)  # the first non-letter
    other = ~(letters | digits)
    end = np.argmax(other, axis=1)  # the first character neither letter nor digit: must be the closing quote
    before_end = np.arange(_WINDOW) < end[:, None]
    ok = (other.any(axis=1) & (window[np.arange(len(values)), end] == 34) & (n_letters >= 1) & (n_letters <= 3)
          & (end - n_letters >= 1) & (end - n_letters <= 7) & ((digits & before_end).sum(axis=1) == end - n_letters))
    if not ok.all():
        return False
    # Whether the tag closes with `/>` (an empty cell calamine skips): the first `>` after the reference, with an
    # even number of `"` and no `'` or `<` between (else that `>` may sit inside an attribute value).
    quote = values + end
    closes = np.flatnonzero(a[:size] == 62)
    at = np.searchsorted(closes, quote)
    if (at >= closes.size).any():
        return False
    close = closes[at]
    double = np.flatnonzero(a[:size] == 34)
    single = np.flatnonzero(a[:size] == 39)
    if ((np.searchsorted(double, close) - np.searchsorted(double, quote, "right")) % 2).any() \
            or (np.searchsorted(single, close) != np.searchsorted(single, quote)).any() \
            or (np.searchsorted(opens, close) != np.searchsorted(opens, quote)).any():
        return False
    valued = a[close - 1] != 47
    window, n_letters, end = window[valued], n_letters[valued], end[valued]
    count = int(valued.sum())
    budget.add("values", count)
    sheet.values += count
    if not count:
        return True
    columns = np.zeros(count, np.int64)
    for k in range(3):
        has = n_letters > k
        columns = np.where(has, columns * 26 + _LETTER_VALUE[window[:, k]], columns)
    rows = np.zeros(count, np.int64)
    for k in range(1, 11):
        has = (k >= n_letters) & (k < end)
        rows = np.where(has, rows * 10 + (window[:, k].astype(np.int64) - 48), rows)
    sheet.take(rows, columns)
    _within_excel(sheet)
    return True


def _within_excel(sheet: _Rectangle) -> None:
    if sheet.bottom > EXCEL_ROWS or sheet.right > EXCEL_COLUMNS or (sheet.bottom and sheet.top < 1):
        raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))


_IGNORED = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)
_TAG = re.compile(rb"""<(/?)(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]*)")


def _exact_area(xml: bytes, budget: _Budget) -> int:
    """The rectangle calamine builds from one part, followed as it reads it: `<row r>` sets the row, `</row>` moves
    to the next and back to column A, a `<c>` with `r` sits there, one without sits after the previous cell. An
    empty element (`<c r="Z9" s="1"/>`, `<row/>`) is read as a start and an end: it moves the counters, and an empty
    cell holds no value. Comments, CDATA and processing instructions are skipped. A `<c>…</c>` counts as a value
    (an upper bound: calamine drops those that turn out empty)."""
    xml = _IGNORED.sub(b"", xml)
    row = column = 0  # 0-based, as calamine counts
    top, bottom, left, right = EXCEL_ROWS, -1, EXCEL_COLUMNS, -1
    values = 0
    for m in _TAG.finditer(xml):
        closing, name, attributes = m.groups()
        if closing:
            if name == b"row":
                row, column = row + 1, 0
            continue
        empty = attributes.endswith(b"/")
        found = _R.search(attributes) if b"r" in attributes else None
        reference = None
        if found:
            text = found.group(1) if found.group(1) is not None else found.group(2)
            parts = _REFERENCE.fullmatch(text)
            if parts is None or b"&" in text:
                if b"&" in text:
                    raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
                continue  # calamine stops at a reference it cannot read: nothing is built
            reference = parts.groups()
        if name == b"row":
            if reference is not None:
                if not reference[1] or len(reference[1]) > 7 or int(reference[1]) < 1:
                    raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
                row = int(reference[1]) - 1
            if empty:
                row, column = row + 1, 0
            continue
        if reference is not None and reference[0]:
            letters, number = reference
            if len(letters) > 3 or not number or len(number) > 7 or int(number) < 1:
                raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
            at_row, column = int(number) - 1, _column(letters) - 1
        else:
            at_row = row
        if empty:
            column += 1
            continue
        top, bottom = min(top, at_row), max(bottom, at_row)
        left, right = min(left, column), max(right, column)
        column += 1
        values += 1
        if values % 65_536 == 0:
            budget.add("values", 65_536)
            if bottom >= EXCEL_ROWS or right >= EXCEL_COLUMNS:
                raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
            if (bottom - top + 1) * (right - left + 1) + budget.cells > budget.limit:
                budget.add("cells", (bottom - top + 1) * (right - left + 1))
    budget.add("values", values % 65_536)
    if bottom < 0:
        return 0
    if bottom >= EXCEL_ROWS or right >= EXCEL_COLUMNS:
        raise _Over(msg("ingest.limit_reference", rows=EXCEL_ROWS, columns=EXCEL_COLUMNS))
    return (bottom - top + 1) * (right - left + 1)


# ---------------------------------------------------------------------------------------------------------- text

_STRING_TAG = re.compile(rb"""<(/?)(?:[A-Za-z_][\w.\-]*:)?(?:si|is)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
_PREFIXED_STRING = re.compile(rb"</?[A-Za-z_][\w.\-]*:(?:si|is)[\s/>]")
_OPEN, _CLOSE, _EMPTY = 0, 1, 2


class _Strings:
    """The strings of one part (`<si>` of a shared-strings table, `<is>` of an inline string), measured in
    characters as calamine builds them: the text between tags, UTF-8 characters, an entity (`&amp;`) as one. A
    string is followed across pieces; one longer than Excel's limit is refused as soon as it is seen.

    With `exact=False` (the sheets' inline strings) a window whose strings all close in it and span at most
    `EXCEL_STRING` bytes is not measured character by character: its strings count their bytes, tags included (an
    upper bound, ≈ 7 bytes a cell over the text; `exact_total` says whether the sum is exact)."""

    def __init__(self, part: str, most: int, exact: bool = True) -> None:
        self.part, self.most, self.exact = part, most, exact
        self.carry: int | None = None  # characters so far of a string still open at the end of the last window
        self.tail = b""  # the end of the last block, after its last closed string (measured with the next)
        self.lengths: list[np.ndarray] = []
        self.count = 0
        self.exact_total = True
        self.gave_up = False  # `bytes_of` met a string over `EXCEL_STRING` bytes: to be measured again, exactly

    def bytes_of(self, a: np.ndarray, opens: np.ndarray, size: int) -> None:
        """The quick measure of a sheet's block (no namespace prefix): each string counts its bytes, tags included
        (at least its characters, ≈ 7 bytes a cell more). Gives up on a string over `EXCEL_STRING` bytes."""
        if self.gave_up:
            return
        starts, ends, kinds = _events_at(a, opens, size)
        self.exact_total = False
        following = np.append(starts[1:], size)
        found = np.where(kinds == _OPEN, following - ends, 0)
        keep = kinds != _CLOSE
        if self.carry is not None:
            found = np.append(self.carry + (int(starts[0]) if starts.size else size), found)
            keep = np.append(starts.size > 0, keep)
            kinds = np.append(_CLOSE, kinds)
        self.carry = None
        if kinds.size and kinds[-1] == _OPEN:
            self.carry = int(found[-1])
            keep[-1] = False
        if (self.carry or 0) > EXCEL_STRING or (found.size and int(found.max()) > EXCEL_STRING):
            self.gave_up = True
            return
        self._keep(found[keep])

    def measure(self, block: bytes, final: bool = False) -> None:
        """Measure the strings in `block` (cut before a `<`, as `_tags` yields), a `WINDOW` at a time, each window
        ending after a string's closing tag where there is one (so that few strings cross windows)."""
        buffer = self.tail + block if self.tail else block
        self.tail = b""
        if self.carry is None and b"si" not in buffer and b"is" not in buffer:
            return
        start, size = 0, len(buffer)
        while start < size:
            end = min(size, start + WINDOW)
            close = max(buffer.rfind(b"</is>", start, end), buffer.rfind(b"</si>", start, end))
            if close >= 0:
                stop = close + 5
            elif end == size:
                stop = size
            else:
                cut = buffer.rfind(b"<", start + 1, end)
                stop = cut if cut > start else end
            if end == size and not final and stop < size:
                self.tail = buffer[stop:]  # at most a window: measured with the next block
                size = stop
            if stop > start:
                self._window(buffer[start:stop])
            start = stop

    def _window(self, window: bytes) -> None:
        starts, ends, kinds = _string_events(window)
        if self.carry is None and not starts.size:
            return
        following = np.append(starts[1:], len(window))
        if not self.exact and self.carry is None and kinds[-1] != _OPEN:
            found = np.where(kinds == _OPEN, following - ends, 0)  # bytes: at least the characters
            if not found.size or int(found.max()) <= EXCEL_STRING:
                self.exact_total = False
                self._keep(found[kinds != _CLOSE])
                return
        prefix = _text_prefix(window)
        found = np.where(kinds == _OPEN, prefix[following] - prefix[ends], 0)
        keep = kinds != _CLOSE
        if self.carry is not None:
            carried = self.carry + int(prefix[starts[0] if starts.size else len(window)])
            if not starts.size:
                self._check(carried)
                self.carry = carried
                return
            found, keep = np.append(carried, found), np.append(True, keep)
            kinds = np.append(_CLOSE, kinds)
        self.carry = None
        if kinds[-1] == _OPEN:  # still open at the end of the window
            self.carry = int(found[-1])
            keep[-1] = False
            self._check(self.carry)
        self._keep(found[keep])

    def _keep(self, found: np.ndarray) -> None:
        if found.size:
            self._check(int(found.max()))
            self.count += found.size
            if self.count > self.most:
                raise _Over(msg("ingest.limit_count", part=self.part, size=self.count, limit=self.most))
            self.lengths.append(found.astype(np.int32))

    def _check(self, length: int) -> None:
        if length > EXCEL_STRING:
            raise _Over(msg("ingest.limit_string", part=self.part, size=length, limit=EXCEL_STRING))

    def done(self) -> np.ndarray:
        """The characters of each string of the part, in order (one still open at the end counted as it stands)."""
        if self.tail:
            self.measure(b"", final=True)
        if self.carry is not None:
            self.lengths.append(np.array([self.carry], np.int32))
            self.carry = None
        return np.concatenate(self.lengths) if self.lengths else np.zeros(0, np.int32)


def _string_events(window: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The `<si>`/`<is>` tags of `window`: where each starts and ends (byte offsets) and whether it opens a string,
    closes one or is an empty string (`<si/>`). numpy unless a tag has a namespace prefix (then a regex)."""
    if (b":si" in window or b":is" in window) and _PREFIXED_STRING.search(window):
        found = [(m.start(), m.end(), _CLOSE if m.group(1) else _EMPTY if m.group(2) else _OPEN)
                 for m in _STRING_TAG.finditer(window)]
        table = np.array(found, np.int64).reshape(-1, 3)
        return table[:, 0], table[:, 1], table[:, 2]
    size = len(window)
    a = np.frombuffer(window + b"\0" * 8, np.uint8)
    return _events_at(a, np.flatnonzero(a[:size] == 60), size)


def _events_at(a: np.ndarray, opens: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_string_events` without prefixes, from the bytes `a` (padded with at least 8 zeros) and where its `<` are."""
    follow = a[opens + 1]
    opens = opens[(follow == 115) | (follow == 105) | (follow == 47)]  # `<s`, `<i`, `</`
    slash = a[opens + 1] == 47
    name = opens + 1 + slash
    first, second, after = a[name], a[name + 1], a[name + 2]
    named = (((first == 115) & (second == 105)) | ((first == 105) & (second == 115))) & (
        (after == 62) | (after == 47) | (after == 32) | (after == 9) | (after == 10) | (after == 13))
    tags, closing, name, after = opens[named], slash[named], name[named], after[named]
    ends = name + 3  # `<is>`, `</si>`: the tag ends right after the name
    other = after != 62
    if other.any():
        closes = np.flatnonzero(a[:size] == 62)
        at = np.searchsorted(closes, tags[other])
        ends[other] = np.where(at < closes.size, closes[np.minimum(at, max(closes.size - 1, 0))] + 1 if closes.size
                               else 0, 0)
        ok = ends > 0  # a tag not closed in the piece (cannot happen in a piece cut before a `<`): left out
        tags, closing, ends = tags[ok], closing[ok], ends[ok]
    kinds = np.where(closing, _CLOSE, np.where(a[ends - 2] == 47, _EMPTY, _OPEN))
    return tags, ends, kinds


def _text_prefix(window: bytes) -> np.ndarray:
    """Characters of text before each offset of `window` (length + 1 values): bytes outside tags that start a UTF-8
    character, an entity (`&…;`, up to 10 bytes) counted as its `&`."""
    size = len(window)
    a = np.frombuffer(window, np.uint8)
    diff = np.zeros(size + 1, np.int32)
    for first, last, most in ((60, 62, size), (38, 59, 10)):  # a tag `<…>`; an entity's bytes after its `&`
        starts = np.flatnonzero(a == first)
        stops = np.flatnonzero(a == last)
        at = np.searchsorted(stops, starts)
        if stops.size:
            ends = np.where(at < stops.size, stops[np.minimum(at, stops.size - 1)] + 1, size)
        else:
            ends = np.full(starts.size, size)
        if first == 38:
            starts = starts + 1
            near = ends - starts <= most
            starts, ends = starts[near], ends[near]
        first = np.ones(ends.size, bool)  # several starts before one stop (ends sorted): the first
        first[1:] = ends[1:] != ends[:-1]
        diff[starts[first]] += 1
        diff[ends[first]] -= 1
    text = (np.cumsum(diff[:size], dtype=np.int32) == 0) & ((a & 0xC0) != 0x80)
    prefix = np.zeros(size + 1, np.int64)
    np.cumsum(text, out=prefix[1:])
    return prefix


_TYPED = re.compile(rb"""(?<![\w:.\-])t\s*=\s*(?:"s"|'s')""")
_SHARED_VALUE = re.compile(rb"""(?<![\w:.\-])t\s*=\s*(?:"s"|'s')(?:[^<>"']|"[^"]*"|'[^']*')*>\s*"""
                           rb"""<(?:[A-Za-z_][\w.\-]*:)?v>\s*(\d{1,10})\s*</""")


def _text_mb(characters: int) -> int:
    return max(round(characters / MB), 1)


def _check_text_budget(data: bytes, infos: list[zipfile.ZipInfo], budget: _Budget, limits: Limits) -> None:
    """Refuse a workbook whose cells would hold more text than `limits.text_mb`: each cell of type `s` gets a copy
    of the shared string its `<v>` points to, plus the inline strings. Nothing is counted when (longest shared
    string × cells with a value) stays within the budget; else `_text_total` counts."""
    most = limits.text_mb * MB
    longest = int(budget.shared.max()) if budget.shared is not None and budget.shared.size else 0
    if budget.values * longest + budget.inline <= most:
        return
    total = budget.inline if not longest and budget.inline_exact else _text_total(data, infos, budget, most)
    if total > most:
        raise _Over(msg("ingest.limit_text", size=_text_mb(total), limit=limits.text_mb))


def _text_total(data: bytes, infos: list[zipfile.ZipInfo], budget: _Budget, most: int) -> int:
    """Characters of text calamine builds for the cells, counted once the parts were scanned into `budget`: the
    sheets are unpacked again and each shared-string cell looked up (a cell of type `s` written some other way
    counts as the longest string); inline strings measured by their bytes are measured again in characters. Stops
    as soon as the count passes `most` (then at least the count so far)."""
    shared = budget.shared if budget.shared is not None else np.zeros(0, np.int32)
    longest = int(shared.max()) if shared.size else 0
    total = budget.inline if budget.inline_exact else 0
    for info in infos:
        if info.filename == SHARED_STRINGS or not (info.file_size or info.compress_size):
            continue
        inline = None if budget.inline_exact else _Strings(info.filename[:80], budget.limit)
        carry = b""
        for block in itertools.chain(_tags(data, info), [b""]):
            if inline is not None and block:
                inline.measure(block)
            block = carry + block
            cut = block.rfind(b"</c>") + 4 if block else 0
            block, carry = (block[:cut], block[cut:]) if cut >= 4 else (block, b"")
            total += _shared_text(block, shared, longest)
            if total > most:
                return total
        if inline is not None:
            total += int(inline.done().sum(dtype=np.int64))
    return total


def text_in_cells(data: bytes) -> int:
    """The characters of text calamine builds for the cells of the .xlsx `data` (a shared string once for each cell
    showing it), counted exactly (no limit applied): what the text limit is checked against. For tests."""
    budget = _Budget(1 << 62)
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    for info in sorted(infos, key=lambda info: info.filename != SHARED_STRINGS):
        if info.file_size or info.compress_size:
            _scan_part(data, info, budget)
    return _text_total(data, infos, budget, 1 << 62)


def _shared_text(block: bytes, shared: np.ndarray, longest: int) -> int:
    """Characters of the shared strings the cells of `block` show (`shared`: each string's characters); a cell of
    type `s` whose value cannot be read here counts as the `longest`."""
    typed = len(_TYPED.findall(block)) if b"s" in block else 0
    if not typed:
        return 0
    found = _SHARED_VALUE.findall(block)
    index = np.array(found).astype(np.int64) if found else np.zeros(0, np.int64)
    index = index[index < shared.size]
    return int(shared[index].sum(dtype=np.int64)) + (typed - len(found)) * longest
