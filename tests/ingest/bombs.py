"""Workbooks and CSV files that cost far more to read than their size: built here, never stored.

Each is a valid .xlsx (content types, relationships, workbook, one worksheet) whose first row is the template's
header, so that without `data.ingest.limits` a reader would go on to the data. Shared by the importer's tests and the
browser test that uploads them while another session views a page.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from tests.ingest.conftest import LAYOUT

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
              f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
             '<sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
                  f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                  f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_NO_STRINGS = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="0" uniqueCount="0"></sst>'


def _letters(column: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def header_row(references: bool = True) -> bytes:
    """Row 1: the template's headers as inline strings (with `r="A1"`… references unless `references` is False)."""
    cells = []
    for i, header in enumerate(LAYOUT.values(), start=1):
        ref = f' r="{_letters(i)}1"' if references else ""
        cells.append(f'<c{ref} t="inlineStr"><is><t>{escape(header)}</t></is></c>')
    return f'<row r="1">{"".join(cells)}</row>'.encode()


def workbook(rows: Iterable[bytes], *, tail: bytes = b"", shared_strings: str = _NO_STRINGS, level: int = 9,
             header: bool = True) -> bytes:
    """An .xlsx whose only sheet holds the header row (unless `header` is False) then `rows` (raw `<row>` XML,
    streamed into the zip), then `tail` after `</sheetData>` (merged cells …)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", _TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/sharedStrings.xml", shared_strings)
        with book.open(SHEET, "w") as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            if header:
                sheet.write(header_row())
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData>" + tail + b"</worksheet>")
    return buffer.getvalue()


def repeated_rows(megabytes: int = 200, cells: int = 1000) -> bytes:
    """A sheet of one row of `cells` numbers repeated until it is `megabytes` MB unpacked (≈ 0.4 MB packed for 200)."""
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    block = row * max(1, (1 << 20) // len(row))

    def blocks() -> Iterator[bytes]:
        for _ in range(megabytes * (1 << 20) // len(block) + 1):
            yield block

    return workbook(blocks())


def lying(data: bytes, member: str = SHEET, declared: int = 1_000_000) -> bytes:
    """`data` with `member`'s uncompressed size rewritten to `declared` in its local header and the central
    directory (the CRC and the packed bytes unchanged): a part that unpacks to more than it says."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    out = bytearray(data)
    struct.pack_into("<L", out, info.header_offset + 22, declared)
    name = member.encode()
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46:at + 46 + length]) == name:
            struct.pack_into("<L", out, at + 24, declared)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 4)
    raise ValueError(f"{member} not in the central directory")


def far_cell(reference: str = "XFD1048576") -> bytes:
    """Two values, in A2 and at `reference`: calamine's rectangle spans everything between (1.7 KB file)."""
    row = int("".join(ch for ch in reference if ch.isdigit()))
    return workbook([b'<row r="2"><c r="A2"><v>1</v></c></row>',
                     f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'.encode()])


def counted_far(rows: int = 50_000, cells: int = 2_000) -> bytes:
    """No reference at all: `rows` empty rows then a row of `cells` empty cells and a value; calamine counts its way
    to a rectangle of `rows` × `cells` (under 1 MB unpacked, so no ratio check applies)."""
    last = b"<row>" + b"<c></c>" * cells + b"<c><v>1</v></c></row>"
    return workbook([b"<row></row>" * rows, last])


def unique_count(count: int = 4_000_000_000) -> bytes:
    """A shared-strings table declaring `count` unique strings and holding one: calamine reserves for all."""
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="1" uniqueCount="{count}">'
               '<si><t>H0001</t></si></sst>')
    return workbook([b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'], shared_strings=strings)


def merged(reference: str = "A2:XFD1048576") -> bytes:
    """One value and one merged range covering most of the sheet."""
    return workbook([b'<row r="2"><c r="A2"><v>1</v></c></row>'],
                    tail=f'<mergeCells count="1"><mergeCell ref="{reference}"/></mergeCells>'.encode())


def one_line_csv(megabytes: int = 60, separator: bytes = b",") -> bytes:
    """The template's header, then one line of `megabytes` MB (of separators, or of letters)."""
    header = ",".join(LAYOUT.values()).encode() + b"\n"
    return header + b"H0001,31834," + separator * (megabytes << 20) + b"\n"


def shared_string_clone(length: int = 1_000_000, cells: int = 600, letter: str = "A") -> bytes:
    """A shared-strings table whose string 1 is `length` letters (1,000,000: under the ratio check's 1 MB), shown by
    `cells` cells A2, A3 …: calamine gives each cell its own copy (600 cells: 3.7 GB from a 6 KB file)."""
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{cells}" uniqueCount="2">'
               f'<si><t>H0001</t></si><si><t>{letter * length}</t></si></sst>')
    return workbook((f'<row r="{r}"><c r="A{r}" t="s"><v>1</v></c></row>'.encode() for r in range(2, cells + 2)),
                    shared_strings=strings)


def header_cell_runs(megabytes: int = 30) -> bytes:
    """The header row with a 22nd cell (V1): an inline string of `megabytes` rich-text runs of 1 MiB each, random
    `a`/`b` letters and spaces so that it packs only ≈ 10 times (30 runs: a 3 MB file; calamine 41 s, 1.4 GB)."""
    import numpy as np

    letters = np.random.default_rng(1).choice(np.frombuffer(b"ab", np.uint8), size=1 << 19)
    text = np.empty(1 << 20, np.uint8)
    text[0::2], text[1::2] = letters, 32
    run = b'<r><t xml:space="preserve">' + text.tobytes() + b"</t></r>"
    column = _letters(len(LAYOUT) + 1)
    header = header_row().replace(b"</row>", f'<c r="{column}1" t="inlineStr"><is>'.encode())

    def rows() -> Iterator[bytes]:
        yield header
        for _ in range(megabytes):
            yield run
        yield b"</is></c></row>"

    return workbook(rows(), header=False, level=6)
