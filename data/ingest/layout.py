"""Spreadsheets as people lay them out: a header over one to three rows, and rows under it that are not households.

Shared by the CSV and the XLSX readers (`data.ingest.read`), on text cells (merged cells already filled):

- `find_header(grid, mapping, merged)` finds the header among the first rows of a sheet. A header may span up to
  `MAX_HEADER_ROWS` rows: a group header such as `Chỉ số thiếu hụt` merged over the twelve indicators, or
  `Thông tin hộ` over the code and the commune, above the columns' own names; or one header written over two rows
  without merging (`Thu nhập bình quân` / `(nghìn đồng/tháng)`). Each column's header is the most specific text that
  names a field, extended upward while the longer text still names the same field (so a unit written above or below
  stays with the header). The band naming the most fields wins; on a tie the band with fewer rows, then the higher one.
  A merged header cell reaching below the band, and a row right under it holding only notes in brackets
  (`(đồng)`, `(người)`), belong to the header.
- `tidy(frame, rows)` recognises the rows under the header that are not households and drops them: a row of column
  numbers (`(1) (2) (3) …` or `1 2 3 …`, right under the header), total rows (`Tổng cộng`, `Tổng số`, `Tổng`,
  `Cộng`, `Total` as the row's first written cell) and signature blocks (`Người lập biểu`, `Thủ trưởng đơn vị`,
  `Chủ tịch UBND`, `Ngày … tháng … năm …`, `(Ký, ghi rõ họ tên)` and the rows after them up to the next row that
  looks like a household). Only rows without a household code (or whose code cell holds such a label) are looked at,
  so a household is never dropped for what another column says. Personal-data columns are never part of `frame`, so a
  label written only in the name column is not seen: that row is reported (no household code), never loaded.

Everything here is pure: text in, decisions out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.ingest import normalise
from data.ingest.normalise import Headers

HEADER_SEARCH_ROWS = 20  # title rows a sheet may have above its header
MAX_HEADER_ROWS = 3  # rows one header may span (a group header, the columns' names, a unit)
NUMBERS_ROW_WITHIN = 2  # the row of column numbers is one of the first rows under the header

Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (grid coordinates, inclusive)


def header_text(value: object) -> str:
    """A header cell as one line: line breaks (Alt+Enter) and runs of spaces become one space."""
    return " ".join(str(value).split())


@dataclass(frozen=True)
class HeaderBand:
    """The header found: one text per column (the band's rows combined) and the grid rows it spans."""

    written: list[str]
    first: int  # grid index of the header's first row
    last: int  # grid index of its last row; data starts below
    score: int  # distinct fields named

    @property
    def height(self) -> int:
        return self.last - self.first + 1


@dataclass
class Table:
    """One sheet (or a CSV file) as read: its header, the rows under it as text, and where each row is."""

    sheet: str | None  # the sheet's name (None for CSV)
    headers: Headers
    band: HeaderBand
    frame: pd.DataFrame  # fields (and other non-personal columns, named `_c<index>`) as text, in column order
    rows: np.ndarray  # spreadsheet row numbers (1-based) of the frame's rows
    # field → per row 0, or what calamine read as empty though it is not: xlsx.NO_VALUE (a formula without a
    # computed value) or xlsx.ERROR (an Excel error such as #N/A)
    uncomputed: dict[str, np.ndarray] = field(default_factory=dict)
    widths: np.ndarray | None = None  # CSV: each row's number of fields (0 blank; see read._widths), else None
    width: tuple[int, int] = (0, 0)  # CSV: the fields a record may have: up to the header's last name, as written


_COLUMN_NUMBER = re.compile(r"^[(\[]?\s*(\d{1,3})\s*[)\]]?\.?$")
_BRACKETED = re.compile(r"^[(\[].*[)\]]$", re.S)


def is_numbers_row(cells: Sequence[str]) -> bool:
    """`(1) (2) (3) …` or `1 2 3 …`: at least three cells, every written cell a column number, increasing."""
    numbers = []
    for cell in cells:
        if not cell:
            continue
        match = _COLUMN_NUMBER.match(cell.strip())
        if match is None:
            return False
        numbers.append(int(match.group(1)))
    return len(numbers) >= 3 and all(b > a for a, b in zip(numbers, numbers[1:], strict=False))


def _is_note_row(cells: Sequence[str]) -> bool:
    """A row under the header holding only notes in brackets (units: `(đồng)`, `(người)`), not column numbers."""
    written = [c.strip() for c in cells if c and c.strip()]
    return bool(written) and all(_BRACKETED.match(c) for c in written) and not is_numbers_row(written)


class _Fields:
    """The field a header text names (None when none) and how (`exact`, `alias`, `similar` …), remembered per text
    for one search."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.seen: dict[str, tuple[str | None, str | None]] = {}

    def __call__(self, text: str) -> tuple[str | None, str | None]:
        if text not in self.seen:
            if text:
                headers = normalise.classify_headers([text], self.mapping)
                self.seen[text] = headers.fields[0], headers.how[0][0] if headers.how else None
            else:
                self.seen[text] = None, None
        return self.seen[text]


def _column_header(parts: list[str], field_of: _Fields) -> tuple[str, str | None]:
    """(header, field) of one column from its texts top to bottom (empty cells and repeats already dropped).

    The lowest text that names a field decides the field; texts above it join the header only where the longer
    header still names that field exactly or by a known alias (a unit such as `nghìn đồng` written in the row
    above stays with the header), never merely by similarity (a group title such as `Việc làm` over two columns).
    """
    if not parts:
        return "", None
    suffixes = [" ".join(parts[-k:]) for k in range(1, len(parts) + 1)]  # the lowest cell, then upward
    read = [field_of(s) for s in suffixes]
    first = next((k for k, (f, _) in enumerate(read) if f is not None), None)
    if first is None:
        return suffixes[-1], None  # all the text, so a personal column under a group header is still recognised
    field = read[first][0]
    chosen = max(k for k in range(first, len(read))
                 if read[k][0] == field and (k == first or read[k][1] != "similar"))
    return suffixes[chosen], field


def _band(grid: list[list[str]], first: int, last: int, width: int, field_of: _Fields) -> tuple[list[str], int]:
    written: list[str] = []
    named: set[str] = set()
    for j in range(width):
        parts: list[str] = []
        for i in range(first, last + 1):
            text = grid[i][j] if j < len(grid[i]) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        header, f = _column_header(parts, field_of)
        written.append(header)
        if f is not None:
            named.add(f)
    return written, len(named)


def find_header(grid: Sequence[Sequence[object]], mapping: dict[str, str],
                merged: Sequence[Merged] = ()) -> HeaderBand | None:
    """The header among the first rows of a sheet (`grid`: text cells, merged cells filled), or None.

    Returns the band naming the most fields (`score` ≥ 1); see the module's docstring for the rules.
    """
    rows = [[header_text(c) if c is not None else "" for c in row] for row in grid]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    field_of = _Fields(mapping)
    usable = [any(r) and not is_numbers_row(r) for r in rows]
    best: tuple[int, int, int] | None = None  # (score, -height, -last) to maximise
    best_written: list[str] = []
    for last in range(min(len(rows), HEADER_SEARCH_ROWS)):
        for height in range(1, MAX_HEADER_ROWS + 1):
            first = last - height + 1
            if first < 0 or not all(usable[first:last + 1]):
                break
            written, score = _band(rows, first, last, width, field_of)
            key = (score, -height, -last)
            if score > 0 and (best is None or key > best):
                best, best_written = key, written
    if best is None:
        return None
    score, last = best[0], -best[2]
    first = last + best[1] + 1
    top, bottom = _grow(rows, first, last, merged, sum(1 for h in best_written if h))
    if (top, bottom) != (first, last):
        best_written, _ = _band(rows, top, bottom, width, field_of)
    return HeaderBand(best_written, top, bottom, score)


def _grow(rows: list[list[str]], first: int, last: int, merged: Sequence[Merged], width: int) -> tuple[int, int]:
    """The band with the rows its merged cells span: a merged header cell reaching above or below it, a row of group
    headers merged over some of its columns (not a title merged over all of them) right above it, a row of notes in
    brackets right under it."""
    top, bottom = first, last
    for r0, _, r1, _ in merged:
        if r0 < first <= r1:
            top = min(top, r0)
        if r0 <= last < r1:
            bottom = max(bottom, min(r1, len(rows) - 1))
    above = [(c0, c1) for r0, c0, r1, c1 in merged if r0 == r1 == top - 1 and c1 > c0]
    if above and all(c1 - c0 + 1 < 0.8 * width for c0, c1 in above):
        top -= 1
    if bottom + 1 < len(rows) and _is_note_row(rows[bottom + 1]):
        bottom += 1
    return top, bottom


# --- rows under the header that are not households ---------------------------------------------------------------

_TOTAL = re.compile(r"^(tổng cộng|tổng số|tổng|cộng|total|grand total|sub ?total)(\W|$)")
_TOTAL_FOLDED = re.compile(r"^(tong cong|tong so)\b")
_SIGNATURE = re.compile(
    r"\b(nguoi lap bieu|nguoi lap bang|nguoi lap danh sach|nguoi lap|can bo lap bieu|thu truong don vi|thu truong|"
    r"chu tich ubnd|chu tich uy ban|chu tich|tm ubnd|tm uy ban|ky ghi ro ho ten|ky va ghi ro ho ten|ky ten|"
    r"ky dong dau|ky ten dong dau|xac nhan cua|ke toan truong|truong ap|truong khom)\b"
    r"|\bngay( \d+)? thang( \d+)? nam\b")
# A first sieve on the household-code column (vectorised): a label has a space in it or is one of these words.
_LABEL_WORD = re.compile(r"(?i)^\s*(t[ổo]ng|c[ộo]ng|total|sum)\W*$")


def _lower(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def is_total(text: str) -> bool:
    """`Tổng cộng`, `TỔNG SỐ:`, `Cộng`, `Tổng`, `Total`, `Tong cong` (a total row's label)."""
    return bool(_TOTAL.match(_lower(text)) or _TOTAL_FOLDED.match(normalise.fold(text)))


def is_signature(text: str) -> bool:
    """`Người lập biểu`, `Thủ trưởng đơn vị`, `Chủ tịch UBND`, `Bạc Liêu, ngày 5 tháng 3 năm 2024`, `(Ký, ghi rõ họ
    tên)`, `TM. UBND xã`, … (a cell of a signature block)."""
    return bool(_SIGNATURE.search(normalise.fold(text)))


@dataclass
class Skipped:
    """Spreadsheet row numbers of the rows `tidy` dropped, by kind."""

    numbers: list[int] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    signature: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.numbers or self.totals or self.signature)


def tidy(frame: pd.DataFrame, rows: np.ndarray, code: str = "household_id",
         fields: Sequence[str] = ()) -> tuple[np.ndarray, Skipped]:
    """Which rows of one sheet are data: (mask over `frame`'s rows, the rows skipped by kind).

    `frame` holds the sheet's read columns as text in the sheet's column order (fields and other non-personal
    columns), `rows` their spreadsheet row numbers, `code` the household-code column, `fields` the columns that
    carry a household's values (a row with a code and two of them looks like a household). Blank rows stay in the
    mask (the caller drops them); only rows `tidy` recognises are removed.
    """
    n = len(frame)
    keep = np.ones(n, dtype=bool)
    skipped = Skipped()
    if n == 0 or not len(frame.columns):
        return keep, skipped
    written = frame.ne("").to_numpy()
    nonblank = np.flatnonzero(written.any(axis=1))
    for i in nonblank[:NUMBERS_ROW_WITHIN]:
        if is_numbers_row([str(v) for v in frame.iloc[i]]):
            keep[i] = False
            skipped.numbers.append(int(rows[i]))
            break
    if code not in frame.columns:
        return keep, skipped
    codes = frame[code]
    suspect = (codes == "") | codes.str.contains(r"\s", regex=True) | codes.str.match(_LABEL_WORD)
    suspect = suspect.to_numpy() & written.any(axis=1) & keep
    value_columns = [frame.columns.get_loc(f) for f in fields if f in frame.columns and f != code]
    filled = written[:, value_columns].sum(axis=1) if value_columns else np.zeros(n, dtype=int)
    household_like = (codes != "").to_numpy() & (filled >= 2)
    code_at = frame.columns.get_loc(code)
    block_end = -1
    at = np.flatnonzero(suspect)
    values = frame.iloc[at].to_numpy(dtype=object)  # only the rows looked at
    for i, cells in zip(at, values, strict=True):
        if i <= block_end:
            continue
        code_cell = str(cells[code_at])
        first = next(str(v) for v in cells if v != "")
        if code_cell:  # only the code cell decides: a household's other cells never drop it
            total = is_total(code_cell) and (first == code_cell or is_total(first))
            signature = not total and is_signature(code_cell)
        else:
            total = is_total(first)
            signature = not total and any(is_signature(str(v)) for v in cells if v != "")
        if total:
            keep[i] = False
            skipped.totals.append(int(rows[i]))
        elif signature:
            later = np.flatnonzero(household_like[i + 1:])
            block_end = i + int(later[0]) if len(later) else n - 1  # up to the next row that looks like a household
            block = np.arange(i, block_end + 1)
            block = block[written[block].any(axis=1)]
            keep[block] = False
            skipped.signature.extend(int(r) for r in rows[block])
    return keep, skipped


def row_ranges(numbers: Sequence[int]) -> str:
    """`[3, 4, 5, 9]` → `3–5, 9`: row numbers written compactly."""
    out: list[str] = []
    values = sorted(set(numbers))
    start = prev = None
    for r in [*values, None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}–{prev}")
        start = prev = r
    return ", ".join(out)
