"""Reading a review workbook (.xlsx) with python-calamine: every visible sheet carrying the header, merged cells filled.

- The package is looked at first (`open_package`, small parts only): where the workbook, its sheets, shared strings
  and styles really are, by the relationships, case-insensitively, Strict or transitional. calamine expects the usual
  part names (`xl/workbook.xml`, `xl/sharedStrings.xml`, `xl/styles.xml`, sheets under `xl/`); a package that puts
  them elsewhere is rewritten with the usual names before calamine reads it, so it reads like any other.
- calamine reads the cells (cached values of formulas, dates as dates). A formula cell whose value was never computed
  (a file written by a script, never opened in Excel) reads as empty; `uncomputed_cells` finds those cells in the
  sheet's XML so the validator refuses them instead of reading them as "no".
- `read_workbook` finds each visible sheet's header (`layout.find_header`), reads every sheet carrying the
  household header, and says in notes which sheets were read, which were hidden and which had no header.
Every failure to read becomes a `FileError` with a translated message.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import python_calamine as calamine

from data.ingest import layout, normalise
from data.ingest.layout import HeaderBand, Merged, Table
from data.ingest.messages import FileError, Message, msg
from data.ingest.normalise import Headers

PROGRESS_EVERY = 50_000
HEAD_ROWS = layout.HEADER_SEARCH_ROWS + layout.MAX_HEADER_ROWS + 1  # rows read to find the header
SCAN_CHUNK = 1 << 22  # bytes of sheet XML scanned at a time for formulas
STRICT_NS = "http://purl.oclc.org/ooxml/"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook, or an old .xls
# The mark of a workbook this project wrote as a report (reports/annual.py): a hidden defined name of the workbook and
# a word of its keywords. Such a workbook is refused as soon as its package is opened (`open_package`), whatever its
# sheets hold: a summary report is never a review file.
REPORT_MARKER = "PovertyDashboardReport"

Log = Callable[[str], None]


def cell_text(value: object) -> str:
    """A cell as a person reads it in Excel: `31813.0` → `31813`, `1.5` → `1.5`, dates `2024-03-05`, TRUE → `1`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # Excel keeps 15 significant digits: 0.30000000000000004 is 0.3
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- the package ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Package:
    """A workbook's bytes as calamine reads them, and where each sheet's XML is inside them."""

    data: bytes
    sheets: dict[str, str]  # sheet name → worksheet part name in `data`
    strict: bool  # Strict Open XML (ISO/IEC 29500 strict namespaces)
    rewritten: bool  # parts were moved to their usual names


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: ElementTree.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (`r:id` in transitional and Strict files)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


@dataclass(frozen=True)
class _Rel:
    id: str
    type: str
    target: str  # as written
    part: str | None  # the zip entry it points to (None when missing)


class _Zip:
    def __init__(self, book: zipfile.ZipFile) -> None:
        self.book = book
        self.names = {n.lower(): n for n in book.namelist()}

    def find(self, part: str) -> str | None:
        """A part name as stored (OPC part names are case-insensitive)."""
        return self.names.get(part.lstrip("/").lower())

    def xml(self, part: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.book.read(part))

    def rels(self, source: str) -> list[_Rel]:
        """The relationships of a part (`source` = "" for the package's own)."""
        folder, base = posixpath.split(source)
        stored = self.find(posixpath.join(folder, "_rels", f"{base}.rels"))
        if stored is None:
            return []
        out = []
        for rel in self.xml(stored):
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.append(_Rel(rel.get("Id", ""), rel.get("Type", ""), target,
                            None if path.startswith("..") else self.find(path)))
        return out


def open_package(data: bytes) -> Package:
    """Look at a workbook's package; rewrite it with the usual part names when calamine would not find its parts."""
    if data[:8] == OLE_MAGIC:
        raise FileError(msg("ingest.xlsx_protected"))
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        package = _Zip(book)
        office = next((r.part for r in package.rels("") if r.type.endswith("/officeDocument") and r.part), None)
        workbook = office or package.find("xl/workbook.xml")
        if workbook is None:
            raise FileError(msg("ingest.not_xlsx", error="no workbook part"))
        root = package.xml(workbook)
        if _is_report(package, root):
            raise FileError(msg("ingest.dashboard_report"))
        strict = root.tag.startswith("{" + STRICT_NS)
        rels = {r.id: r for r in package.rels(workbook)}
        sheets: dict[str, _Rel] = {}
        for element in root.iter():
            if _local(element.tag) == "sheet" and element.get("name") is not None:
                rel = rels.get(_attr(element, "id") or "")
                if rel is not None and rel.part is not None:
                    sheets[element.get("name", "")] = rel
        shared = next((r.part for r in rels.values() if r.type.endswith("/sharedStrings") and r.part), None)
        styles = next((r.part for r in rels.values() if r.type.endswith("/styles") and r.part), None)
        rels_part = package.find("xl/_rels/workbook.xml.rels")
        usual = (workbook == "xl/workbook.xml" and rels_part == "xl/_rels/workbook.xml.rels"
                 and shared in (None, "xl/sharedStrings.xml") and styles in (None, "xl/styles.xml")
                 and all(_calamine_finds(r) for r in rels.values() if r.type.lower().endswith("sheet")))
        if usual:
            return Package(data, {name: rel.part for name, rel in sheets.items() if rel.part}, strict, False)
        return _rewrite(package, workbook, list(rels.values()), shared, styles, sheets, strict)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ElementTree.ParseError, KeyError, ValueError,
            OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise FileError(msg("ingest.not_xlsx", error=type(exc).__name__)) from exc


def _is_report(package: _Zip, workbook: ElementTree.Element) -> bool:
    """Whether the workbook carries `REPORT_MARKER`: as a defined name, or among the keywords of its core
    properties (either survives Excel opening and saving the file)."""
    if any(_local(e.tag) == "definedName" and e.get("name") == REPORT_MARKER for e in workbook.iter()):
        return True
    core = next((r.part for r in package.rels("") if r.type.endswith("/core-properties") and r.part), None)
    if core is None:
        return False
    return any(_local(e.tag) == "keywords" and REPORT_MARKER in re.split(r"[\s,;]+", e.text or "")
               for e in package.xml(core).iter())


def _calamine_finds(rel: _Rel) -> bool:
    """Whether calamine resolves this sheet's target to its part: `/xl/…` or a plain path under `xl/`."""
    if rel.part is None:
        return True  # a missing part: calamine says so when the sheet is read
    if rel.target.startswith("/"):
        return rel.target[1:] == rel.part and rel.part.startswith("xl/")
    return ".." not in rel.target and f"xl/{rel.target}" == rel.part


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _rewrite(package: _Zip, workbook: str, rels: list[_Rel], shared: str | None, styles: str | None,
             sheets: dict[str, _Rel], strict: bool) -> Package:
    """The same workbook with its workbook, sheets, shared strings and styles at the names calamine expects."""
    office_type = next((r.type for r in package.rels("") if r.type.endswith("/officeDocument")),
                       "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument")
    moves: dict[str, str] = {workbook: "xl/workbook.xml"}
    kept: list[tuple[_Rel, str]] = []
    for n, rel in enumerate(rels, start=1):
        if rel.part is None:
            continue
        if rel.part == shared:
            new = "xl/sharedStrings.xml"
        elif rel.part == styles:
            new = "xl/styles.xml"
        elif rel.type.lower().endswith("sheet"):
            new = f"xl/worksheets/sheet{n}.xml"
        else:
            continue  # themes, calculation chains, links: calamine does not read them
        moves.setdefault(rel.part, new)
        kept.append((rel, moves[rel.part]))
    relationships = "".join(f'<Relationship Id="{_xml(rel.id)}" Type="{_xml(rel.type)}" Target="/{new}"/>'
                            for rel, new in kept)
    overrides = "".join(f'<Override PartName="/{new}" ContentType="{_SHEET_TYPE}"/>'
                        for rel, new in kept if rel.type.lower().endswith("/worksheet"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dest:
        dest.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        dest.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
                      'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                      f'Type="{_xml(office_type)}" Target="xl/workbook.xml"/></Relationships>')
        dest.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                      f"{relationships}</Relationships>")
        for old, new in moves.items():
            with package.book.open(old) as source, dest.open(new, "w") as target:
                while chunk := source.read(SCAN_CHUNK):
                    target.write(chunk)
    names = {name: moves[rel.part] for name, rel in sheets.items() if rel.part in moves}
    return Package(out.getvalue(), names, strict, True)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- formulas without a computed value -----------------------------------------------------------------------------

_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")
_FORMULA_CELL = re.compile(
    rb"<(?:[\w.-]+:)?c\b(?P<attrs>[^>]*)>"
    rb"\s*<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>[^<]*</(?:[\w.-]+:)?f>)"
    rb"\s*(?P<v><(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v\b[^>]*>(?P<text>[^<]*)</(?:[\w.-]+:)?v>)?")
_ERROR_CELL = re.compile(rb'<(?:[\w.-]+:)?c\b(?P<attrs>[^>]*\bt="e"[^>]*)>')
_REF = re.compile(rb'\br="([A-Za-z]{1,3})(\d+)"')
NO_VALUE, ERROR = 1, 2  # what `uncomputed_cells` found in a cell
_TYPE = re.compile(rb'\bt="(\w+)"')
_ROW_END = re.compile(rb"row>")


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ch - 64
    return index - 1


def uncomputed_cells(book: zipfile.ZipFile, part: str) -> list[tuple[int, int, int]] | None:
    """(row, column, kind), 0-based, of the cells of a worksheet part calamine reads as empty though they are not:
    formula cells that hold no computed value (kind `NO_VALUE`) and cells holding an Excel error such as `#N/A`,
    `#REF!` or `#DIV/0!` (`t="e"`, typed or a formula's result; kind `ERROR`).

    Streams the part's XML in `SCAN_CHUNK` pieces: when a piece holds no formula at all (the usual case) it costs a
    substring search; only pieces with formulas are matched cell by cell. A cell of a formula whose result is an
    empty string (`t="str"`, `<v></v>`) has a value. Returns None when such a cell has no reference (`r`), so its
    place cannot be named.
    """
    found: list[tuple[int, int, int]] = []
    carry = b""
    with book.open(part) as stream:
        while True:
            chunk = stream.read(SCAN_CHUNK)
            buffer = carry + chunk
            if chunk:
                cut = buffer.rfind(b"row>") + 4  # cut between rows: no cell is split
                if cut < 4:
                    carry = buffer
                    continue
                carry, buffer = buffer[cut:], buffer[:cut]
            if any(mark in buffer for mark in _FORMULA_MARKS):
                for cell in _FORMULA_CELL.finditer(buffer):
                    kind = _TYPE.search(cell["attrs"])
                    text = cell["text"]
                    empty = cell["v"] is None or not (text or b"").strip()
                    computed = cell["v"] is not None and kind is not None and kind.group(1) in (b"str", b"inlineStr")
                    if empty and not computed:
                        ref = _REF.search(cell["attrs"])
                        if ref is None:
                            return None
                        found.append((int(ref.group(2)) - 1, _column_index(ref.group(1)), NO_VALUE))
            if b't="e"' in buffer:
                for cell in _ERROR_CELL.finditer(buffer):
                    ref = _REF.search(cell["attrs"])
                    if ref is None:
                        return None
                    found.append((int(ref.group(2)) - 1, _column_index(ref.group(1)), ERROR))
            if not chunk:
                return found


# --- the sheets ----------------------------------------------------------------------------------------------------

class _Merges:
    """Fills merged cells row by row as the rows stream past: every cell of a range gets its top-left value."""

    def __init__(self, ranges: Sequence[Merged]) -> None:
        self.starting: dict[int, list[Merged]] = {}
        for r in ranges:
            self.starting.setdefault(r[0], []).append(r)
        self.active: list[tuple[Merged, object]] = []
        self.last_row = max((r[2] for r in ranges), default=-1)

    def fill(self, index: int, row: list) -> None:
        if index > self.last_row:
            return
        if self.active:
            self.active = [(r, v) for r, v in self.active if r[2] >= index]
        width = len(row)
        for r in self.starting.get(index, ()):
            if r[1] < width:
                self.active.append((r, row[r[1]]))
        for (_, c0, _, c1), value in self.active:
            for c in range(c0, min(c1, width - 1) + 1):
                row[c] = value


def _merged(sheet: calamine.CalamineSheet, column0: int) -> list[Merged]:
    """The sheet's merged ranges in the coordinates of `iter_rows` (absolute rows, columns from `column0`)."""
    out = []
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        if c0 >= column0 and (r1 > r0 or c1 > c0):
            out.append((r0, c0 - column0, r1, c1 - column0))
    return out


@dataclass
class _Sheet:
    name: str
    sheet: calamine.CalamineSheet | None
    column0: int  # absolute column of iter_rows' first cell
    merged: list[Merged]
    band: HeaderBand
    headers: Headers


def _find_header(name: str, sheet: calamine.CalamineSheet, mapping: dict[str, str]) -> _Sheet | None:
    column0 = sheet.start[1] if sheet.start else 0
    merged = _merged(sheet, column0)
    merges = _Merges(merged)
    grid: list[list[str]] = []
    for index, row in enumerate(sheet.iter_rows()):
        if index >= HEAD_ROWS:
            break
        merges.fill(index, row)
        grid.append([cell_text(v) for v in row])
    band = layout.find_header(grid, mapping, merged)
    if band is None:
        return None
    return _Sheet(name, sheet, column0, merged, band, normalise.classify_headers(band.written, mapping))


def _is_household_list(headers: Headers) -> bool:
    return headers.has("household_id") and len({f for f in headers.fields if f}) >= 3


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def _same_columns(sheets: list[_Sheet]) -> None:
    """Every sheet read must name the same fields with the same headers (a unit in one header and not in another
    would load one sheet wrong)."""
    first = sheets[0]
    fields = {f for f in first.headers.fields if f}
    for other in sheets[1:]:
        theirs = {f for f in other.headers.fields if f}
        if theirs != fields:
            missing = [first.headers.column_of(f) for f in first.headers.fields if f in fields - theirs]
            extra = [other.headers.column_of(f) for f in other.headers.fields if f in theirs - fields]
            raise FileError(msg("ingest.sheet_columns_differ", sheet=other.name, first=first.name,
                                columns=", ".join(f"'{c}'" for c in missing + extra)))
        for f in fields:
            ours, their = first.headers.column_of(f), other.headers.column_of(f)
            if normalise.fold(ours) != normalise.fold(their):
                raise FileError(msg("ingest.sheet_header_differs", sheet=other.name, header=their,
                                    first=first.name, first_header=ours))


def _read_rows(found: _Sheet, log: Log, label: str) -> tuple[list[int], list[str], list[list[str]], np.ndarray]:
    """(columns read, their frame names, their text values, spreadsheet row numbers) of the rows under the header.

    Rows are picked (one C-level `itemgetter` call per row) and turned into text a block of rows at a time, so the
    Python objects calamine hands out never all live at once.
    """
    headers, band = found.headers, found.band
    personal = set(headers.personal)
    read = [j for j, (h, f) in enumerate(zip(headers.written, headers.fields, strict=True))
            if f is not None or h not in personal]
    names = [headers.fields[j] or f"_c{j}" for j in read]
    pick = operator.itemgetter(*read) if len(read) > 1 else (lambda row: (row[read[0]],))
    merges = _Merges(found.merged)
    texts: list[list[str]] = [[] for _ in read]
    block: list[tuple] = []

    def flush() -> None:
        for out, values in zip(texts, zip(*block, strict=True), strict=True):
            out.extend([v.strip() if v.__class__ is str else cell_text(v) for v in values])
        block.clear()

    started = time.perf_counter()
    width = len(headers.written)
    count = 0
    for index, row in enumerate(found.sheet.iter_rows()):
        merges.fill(index, row)
        if index <= band.last:
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        block.append(pick(row))
        count += 1
        if count % PROGRESS_EVERY == 0:
            flush()
            log(f"  {label}: {count:,} rows read ({time.perf_counter() - started:.1f} s)")
    if block:
        flush()
    first = band.last + 2
    return read, names, texts, np.arange(first, first + count, dtype=np.int64)


def _read_sheet(found: _Sheet, package: Package, book: zipfile.ZipFile, log: Log, label: str) -> Table:
    read, names, texts, numbers = _read_rows(found, log, label)
    found.sheet = None  # calamine's copy of the cells goes before the frame is built
    columns = {}
    for column, values in zip(names, texts, strict=True):
        columns[column] = pd.Series(values, dtype=str)
        values.clear()
    frame = pd.DataFrame(columns, columns=names) if columns else pd.DataFrame(index=range(len(numbers)))
    uncomputed: dict[str, np.ndarray] = {}
    part = package.sheets.get(found.name)
    cells = uncomputed_cells(book, part) if part else []
    if cells is None:
        raise FileError(msg("ingest.formula_no_value_sheet", sheet=found.name))
    first_data = found.band.last + 1
    position = {j: k for k, j in enumerate(read)}
    for r, c, kind in cells:
        column = position.get(c - found.column0)
        i = r - first_data
        if column is None or not 0 <= i < len(frame) or names[column].startswith("_c"):
            continue
        marks = uncomputed.setdefault(names[column], np.zeros(len(frame), dtype=np.int8))
        marks[i] = max(marks[i], kind)
    return Table(found.name, found.headers, found.band, frame, numbers, uncomputed)


def read_workbook(data: bytes, mapping: dict[str, str], log: Log, name: str) -> tuple[list[Table], list[Message]]:
    """The tables of every visible sheet carrying the household header, in tab order, and notes on the sheets.

    A sheet carries the household header when its header names the household code and at least two other fields;
    when no sheet does, the sheet with the best header is read (and validation says what it lacks). Sheets read must
    have the same columns (`_same_columns`). Raises `FileError` when the workbook cannot be read.
    """
    package = open_package(data)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        hidden, without, found = [], [], []
        for meta in book.sheets_metadata:
            if meta.visible != calamine.SheetVisibleEnum.Visible:
                hidden.append(meta.name)
            elif meta.typ != calamine.SheetTypeEnum.WorkSheet:
                without.append(meta.name)
            else:
                sheet = _find_header(meta.name, book.get_sheet_by_name(meta.name), mapping)
                if sheet is None:
                    without.append(meta.name)
                else:
                    found.append(sheet)
        if not found:
            hidden_lists = [n for n in hidden if _find_header(n, book.get_sheet_by_name(n), mapping) is not None]
            if hidden_lists:
                raise FileError(msg("ingest.hidden_header_only", sheets=_quoted(hidden_lists)))
            raise FileError(msg("ingest.no_header_sheet"))
        chosen = [s for s in found if _is_household_list(s.headers)]
        if not chosen:
            chosen = [max(found, key=lambda s: s.band.score)]
        without += [s.name for s in found if s not in chosen]
        _same_columns(chosen)
        with zipfile.ZipFile(io.BytesIO(package.data)) as parts:
            tables = [_read_sheet(s, package, parts, log, f"{name} [{s.name}]" if len(chosen) > 1 else name)
                      for s in chosen]
    except calamine.PasswordError as exc:
        raise FileError(msg("ingest.xlsx_protected")) from exc
    except (calamine.CalamineError, zipfile.BadZipFile, zlib.error, OSError, ValueError, KeyError, EOFError,
            NotImplementedError, RuntimeError) as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:120]}"
        if package.strict:
            raise FileError(msg("ingest.xlsx_strict", error=detail)) from exc
        raise FileError(msg("ingest.not_xlsx", error=detail)) from exc
    notes = []
    names = [m.name for m in book.sheets_metadata]
    if len(names) > 1:
        notes.append(msg("ingest.note_sheets_read", count=len(tables), sheets=_quoted([t.sheet for t in tables])))
    if hidden:
        notes.append(msg("ingest.note_sheets_hidden", sheets=_quoted(hidden)))
    if without:
        notes.append(msg("ingest.note_sheets_other", sheets=_quoted([n for n in names if n in without])))
    return tables, notes
