"""Reading a province year's XLSX with each candidate reader: seconds, peak memory and ratios to the fastest.

    python -m bench.bench_readers [--rows N] [--strings shared|inline] [--only NAME ...]

Issue 8 item 4 asks for the .xlsx to be read with a maintained library "chosen by measurement". This measures, on
one workbook in the import layout (two title rows, the header, then N household rows × 25 columns: the template's 21
plus four personal columns a commune keeps — name, ID card, address, phone), each way of getting every cell out of
the first sheet:

- python-calamine 0.9.1: `iter_rows()` (a Python list per row), the same turned into text columns the way the
  importer keeps them, and `to_python()` (every row at once);
- fastexcel 0.21.0 (calamine underneath, Arrow out): `to_arrow()` and `to_pandas()`, every column as text;
- openpyxl 3.1.5 in read-only mode, `iter_rows(values_only=True)`;
- the former reader: the hand-written zipfile + ElementTree walk that `data/ingest/read.py` used at commit 6909b34
  (copied below, since the importer is replacing it).

and two extra passes the importer needs whichever library reads the cells: scanning every worksheet's XML for
formula cells without a computed value (a bytes regex over the decompressed part, streamed in 1 MiB chunks, so the
memory stays bounded), and reading the font names in `xl/styles.xml` (for TCVN3 / VNI detection).

Every measurement runs in its own process: "seconds" is the read alone (the library already imported), "peak MB" the
process's own peak resident memory (VmHWM; MB = 10⁶ bytes throughout) including the interpreter and the library,
"read MB" the part of it the read added. Ratios are to the fastest / smallest reader of the same run (the floor).
The rows and non-empty cells each reader returns are printed too, so a reader that drops cells shows up.

The default N (231,340) is the demo warehouse's 2025 year at its default 226,000 households (`python -m data.build`),
a province year. The workbook is written as Excel writes one (a shared-string table, `--strings shared`); openpyxl's
write-only mode, which `data.export` uses, writes inline strings instead (`--strings inline`). It is generated once
per (rows, strings) and cached in the temporary directory. This prints figures; it never fails on a slow reader.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    import fastexcel
    import python_calamine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 231_340  # reviews of 2025 in the demo warehouse at data.demo.DEFAULT_HOUSEHOLDS (226,000)
GENERATOR_VERSION = 1  # bump when the generated workbook changes, so cached copies are rewritten
CACHE = Path(tempfile.gettempdir()) / "bench_readers"

# ---------------------------------------------------------------------------------------------------------------
# The workbook


TITLE_ROWS = ["DANH SÁCH HỘ GIA ĐÌNH ĐƯỢC RÀ SOÁT NĂM 2025", "Tỉnh Bạc Liêu (số liệu tổng hợp từ các xã)"]
PERSONAL = ["Họ và tên chủ hộ", "Số CCCD", "Địa chỉ", "Số điện thoại"]
COMMUNES = [  # (GSO code, name, district): names as communes write them, diacritics included
    (31834, "Xã Vĩnh Trạch", "Thành phố Bạc Liêu"), (31837, "Xã Vĩnh Trạch Đông", "Thành phố Bạc Liêu"),
    (31864, "Xã Ninh Thạnh Lợi", "Huyện Hồng Dân"), (31863, "Xã Ninh Thạnh Lợi A", "Huyện Hồng Dân"),
    (31912, "Xã Châu Thới", "Huyện Vĩnh Lợi"), (31936, "Xã Vĩnh Thịnh", "Huyện Hòa Bình"),
    (31996, "Xã Định Thành A", "Huyện Đông Hải"), (31888, "Xã Phong Thạnh Tây B", "Huyện Phước Long"),
    (31957, "Xã Tân Phong", "Thị xã Giá Rai"), (31909, "Xã Hưng Hội", "Huyện Vĩnh Lợi"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Thạch", "Lâm", "Danh", "Sơn", "Đặng", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Kim", "Quốc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hùng", "Lan", "Mai", "Phương", "Sơn", "Tâm", "Thảo", "Út", "Vinh",
         "Xuân", "Yến", "Khánh", "Sóc", "Phúc", "Đức", "Hạnh"]
ETHNICITY = ["Kinh"] * 8 + ["Khmer"] * 2 + ["Hoa"]
MARK_SHARE = 0.12  # share of the 13 yes/no columns marked "x" (the rest are empty cells, as communes leave them)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_STATIC_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    "xl/styles.xml": (  # Times New Roman throughout, the header bold (style 1), as a commune's template has it
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_MAIN}">'
        '<fonts count="2"><font><sz val="12"/><name val="Times New Roman"/><family val="1"/></font>'
        '<font><b/><sz val="12"/><name val="Times New Roman"/><family val="1"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}


def _layout_headers() -> list[str]:
    """The import layout's 21 headers (household code … the 12 indicators), as the template writes them."""
    from data import template
    from data.ingest import normalise

    return list(normalise.layout(template.indicator_labels()).values())


def _records(rows: int, seed: int = 8) -> Iterator[list[object]]:
    """N household rows in the layout's order plus the personal columns: str, int or None (an empty cell)."""
    rng = random.Random(seed)
    for i in range(rows):
        code, commune, district = COMMUNES[i % len(COMMUNES)]
        members = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 9))
        income = int(rng.lognormvariate(15.0, 0.6)) // 1000 * 1000  # đồng per person per month, ≈ 3.3 million
        marks = ["x" if rng.random() < MARK_SHARE else None for _ in range(13)]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        yield [f"H{i:08d}", name, f"0{rng.randrange(10**10, 10**11)}", code, commune, district,
               rng.choice(ETHNICITY), 2025, members, income, *marks,
               f"Ấp {rng.randrange(1, 15)}, {commune}", f"09{rng.randrange(10**7, 10**8)}"]


def _column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def write_workbook(rows: int, out: Path, strings: str = "shared") -> None:
    """Write the bench workbook: title rows, header, `rows` household rows; strings shared (as Excel) or inline."""
    headers = _layout_headers()
    header = [headers[0], *PERSONAL[:2], *headers[1:], *PERSONAL[2:]]  # 25 columns
    letters = [_column_letters(i) for i in range(len(header))]
    shared: dict[str, int] = {}

    def cell(ref: str, value: object, style: int = 0) -> str:
        s = f' s="{style}"' if style else ""
        if isinstance(value, int):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        text = escape(str(value))
        if strings == "inline":
            return f'<c r="{ref}"{s} t="inlineStr"><is><t>{text}</t></is></c>'
        index = shared.setdefault(text, len(shared))
        return f'<c r="{ref}"{s} t="s"><v>{index}</v></c>'

    def lines() -> Iterator[str]:
        last = len(TITLE_ROWS) + 1 + rows
        yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
               f'xmlns:r="{_REL}"><dimension ref="A1:{letters[-1]}{last}"/><sheetData>')
        for number, title in enumerate(TITLE_ROWS, start=1):
            yield f'<row r="{number}">{cell(f"A{number}", title, 1)}</row>'
        first = len(TITLE_ROWS) + 1
        yield (f'<row r="{first}" spans="1:{len(header)}">'
               + "".join(cell(f"{c}{first}", h, 1) for c, h in zip(letters, header, strict=True)) + "</row>")
        for number, record in enumerate(_records(rows), start=first + 1):
            yield (f'<row r="{number}" spans="1:{len(header)}">'
                   + "".join(cell(f"{c}{number}", v) for c, v in zip(letters, record, strict=True) if v is not None)
                   + "</row>")
        yield "</sheetData></worksheet>"

    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_suffix(".part")
    with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
        for name, text in _STATIC_PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            batch: list[str] = []
            for line in lines():
                batch.append(line)
                if len(batch) >= 2000:
                    sheet.write("".join(batch).encode())
                    batch.clear()
            sheet.write("".join(batch).encode())
        items = "".join(f"<si><t>{t}</t></si>" for t in shared)
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                      f'<sst xmlns="{_MAIN}" count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>')
    part.replace(out)


def workbook(rows: int, strings: str = "shared") -> Path:
    """The cached bench workbook for (rows, strings), written first if missing."""
    path = CACHE / f"province_{rows}_{strings}_v{GENERATOR_VERSION}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        write_workbook(rows, path, strings)
        print(f"workbook written in {time.perf_counter() - started:.1f} s: {path}", flush=True)
    return path


# ---------------------------------------------------------------------------------------------------------------
# The former reader: data/ingest/read.py at commit 6909b34 (_column_index, _cell_text, _xlsx_sheets, _xlsx_rows and
# the shared-string loading of _read_xlsx), copied verbatim so the measurement survives its replacement.

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


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


def _former_shared(book: zipfile.ZipFile) -> list[str]:
    """The shared-string table, as the former `_read_xlsx` loaded it (the whole part parsed at once)."""
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


# ---------------------------------------------------------------------------------------------------------------
# The extra passes: formulas without a computed value, fonts.

SCAN_CHUNK = 1 << 20  # bytes of decompressed XML searched at a time
SCAN_OVERLAP = 1 << 18  # kept from one chunk to the next: longer than any cell (a formula is ≤ 8,192 characters)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")  # a formula element, namespace prefix or not
_CELL_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?c>")
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>[^<]")  # a cached value that is not empty


def formulas_without_value(stream: Callable[[int], bytes]) -> int:
    """How many formula cells in one worksheet's XML have no computed value (no `<v>`, or an empty one).

    `stream(n)` returns the next ≤ n decompressed bytes (b"" at the end), e.g. `ZipFile.open(part).read`; the part is
    searched in `SCAN_CHUNK` pieces, so memory stays ≈ 1.3 MiB whatever the part's size. A chunk without `<f` or
    `:f` (no formula element, prefixed or not) skips the regex.
    """
    found, carry = 0, b""
    while True:
        chunk = stream(SCAN_CHUNK)
        buf = carry + chunk
        limit = len(buf) if not chunk else max(0, len(buf) - SCAN_OVERLAP)
        fast = b"<f" not in buf and b":f" not in buf  # no formula element here: skip the regex (most chunks)
        for match in () if fast else _FORMULA.finditer(buf, 0, limit):
            end = _CELL_END.search(buf, match.end())
            if not _VALUE.search(buf, match.end(), end.start() if end else len(buf)):
                found += 1
        if not chunk:
            return found
        carry = buf[limit:]


def _check_formula_scan() -> None:
    """The scan finds openpyxl's formula without a value (`<f>…</f><v />`) and not a cell with one."""
    import io

    part = (f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1"><f>SUM(1,2)</f><v>3</v></c>'
            '<c r="B1"><f>SUM(1,2)</f><v /></c><c r="C1"><f t="shared" si="0"/></c>'
            '<c r="D1" t="s"><v>7</v></c></row></sheetData></worksheet>').encode()
    assert formulas_without_value(io.BytesIO(part).read) == 2, "the formula scan misses formulas without a value"


def font_names(book: zipfile.ZipFile) -> list[str]:
    """The font names declared in `xl/styles.xml` (e.g. ".VnTime" says TCVN3), in order; [] without styles."""
    if "xl/styles.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    return [name.get("val", "") for font in root.iter(f"{_NS}font") for name in font.iter(f"{_NS}name")]


# ---------------------------------------------------------------------------------------------------------------
# The measurements, each run by `--child NAME` in a process of its own. Each returns (rows, non-empty cells, note).


def _count(row: list | tuple) -> int:
    """Non-empty cells of a row (None and "" are empty)."""
    return len(row) - row.count(None) - row.count("")


def _former(path: Path) -> tuple[int, int, str]:
    rows = cells = 0
    with zipfile.ZipFile(path) as book:
        shared = _former_shared(book)
        for _, row in _xlsx_rows(book, _xlsx_sheets(book)[0], shared):
            rows += 1
            cells += _count(row)
    return rows, cells, ""


def _calamine_sheet(path: Path) -> python_calamine.CalamineSheet:
    import python_calamine

    return python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)


def _calamine_iter(path: Path) -> tuple[int, int, str]:
    rows = cells = 0
    for row in _calamine_sheet(path).iter_rows():
        rows += 1
        cells += _count(row)
    return rows, cells, ""


def _calamine_text(path: Path) -> tuple[int, int, str]:
    """iter_rows, every cell kept as text in one list per column (what the importer builds its frame from)."""
    sheet = _calamine_sheet(path)
    columns: list[list[str]] = [[] for _ in range(sheet.width)]
    for row in sheet.iter_rows():
        for out, value in zip(columns, row, strict=False):
            out.append(_cell_text(value))
    return len(columns[0]) if columns else 0, sum(len(c) - c.count("") for c in columns), ""


def _calamine_python(path: Path) -> tuple[int, int, str]:
    rows = _calamine_sheet(path).to_python(skip_empty_area=False)
    return len(rows), sum(_count(r) for r in rows), ""


def _fastexcel_sheet(path: Path) -> fastexcel.ExcelSheet:
    import fastexcel

    return fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")


def _fastexcel_arrow(path: Path) -> tuple[int, int, str]:
    batch = _fastexcel_sheet(path).to_arrow()
    return batch.num_rows, sum(len(c) - c.null_count for c in batch.columns), ""


def _fastexcel_pandas(path: Path) -> tuple[int, int, str]:
    frame = _fastexcel_sheet(path).to_pandas()
    return len(frame), int(frame.notna().to_numpy().sum()), ""


def _openpyxl(path: Path) -> tuple[int, int, str]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = cells = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        rows += 1
        cells += _count(row)
    book.close()
    return rows, cells, ""


def _inflate(path: Path) -> tuple[int, int, str]:
    """Decompress every worksheet part and do nothing with it: the floor under any scan of the XML."""
    size = 0
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with book.open(name) as stream:
                    while chunk := stream.read(SCAN_CHUNK):
                        size += len(chunk)
    return 0, 0, f"{size / 1e6:,.0f} MB of worksheet XML"


def _formula_scan(path: Path) -> tuple[int, int, str]:
    found = parts = 0
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                parts += 1
                with book.open(name) as stream:
                    found += formulas_without_value(stream.read)
    return 0, 0, f"{parts} part(s), {found} formula cell(s) without a value"


def _fonts(path: Path) -> tuple[int, int, str]:
    with zipfile.ZipFile(path) as book:
        names = font_names(book)
    return 0, 0, f"fonts: {', '.join(sorted(set(names)))}"


READERS: dict[str, tuple[str, Callable[[Path], tuple[int, int, str]]]] = {
    "calamine_iter": ("python-calamine iter_rows", _calamine_iter),
    "calamine_text": ("python-calamine iter_rows → text columns", _calamine_text),
    "calamine_python": ("python-calamine to_python", _calamine_python),
    "fastexcel_arrow": ("fastexcel → arrow (text)", _fastexcel_arrow),
    "fastexcel_pandas": ("fastexcel → pandas (text)", _fastexcel_pandas),
    "openpyxl": ("openpyxl read-only values_only", _openpyxl),
    "former": ("former reader (zipfile + ElementTree)", _former),
}
PASSES: dict[str, tuple[str, Callable[[Path], tuple[int, int, str]]]] = {
    "inflate": ("decompress worksheet XML only", _inflate),
    "formula_scan": ("formula-without-value scan", _formula_scan),
    "fonts": ("fonts from xl/styles.xml", _fonts),
}
_IMPORTS = {  # imported before the clock starts: the read is measured, not the library's import
    "calamine_iter": "python_calamine", "calamine_text": "python_calamine", "calamine_python": "python_calamine",
    "fastexcel_arrow": "fastexcel", "fastexcel_pandas": "fastexcel", "openpyxl": "openpyxl",
}


def peak_mb() -> float:
    """This process's own peak resident memory so far, MB (10⁶ bytes): VmHWM from /proc/self/status.

    Not getrusage's ru_maxrss: Linux carries it across fork and exec, so a child started by a parent holding 1 GB
    reports at least 1 GB. VmHWM belongs to the address space, which exec replaces. ru_maxrss (KiB) is the fallback
    where /proc is missing.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6  # the kernel's "kB" are KiB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _child(name: str, path: Path) -> dict:
    """Run one measurement in this process: seconds of the read, peak MB, MB before the read, rows, cells, note."""
    if name in _IMPORTS:
        __import__(_IMPORTS[name])
        if name.startswith("fastexcel"):
            import pyarrow  # noqa: F401 - imported lazily by to_arrow / to_pandas: the library's cost, not the read's
        if name == "fastexcel_pandas":
            import pandas  # noqa: F401
    if name == "formula_scan":
        _check_formula_scan()
    base = peak_mb()
    started = time.perf_counter()
    rows, cells, note = {**READERS, **PASSES}[name][1](path)
    seconds = time.perf_counter() - started
    return {"name": name, "seconds": seconds, "peak_mb": peak_mb(), "base_mb": base, "rows": rows, "cells": cells,
            "note": note}


def measure(name: str, path: Path) -> dict:
    """One measurement in a fresh `python -m bench.bench_readers --child NAME` process (its result as a dict)."""
    done = subprocess.run([sys.executable, "-m", "bench.bench_readers", "--child", name, "--path", str(path)],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        return {"name": name, "error": (done.stderr.strip().splitlines() or ["exit " + str(done.returncode)])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ratio(value: float, floor: float | None) -> str:
    """value ÷ floor to one decimal, "–" without a floor (no reader measured in this run)."""
    return f"{value / floor:7.1f}" if floor else f"{'–':>7}"


def _table(results: list[dict], labels: dict[str, str], floor_s: float | None, floor_mb: float | None) -> None:
    """One line per measurement: seconds, ×floor, peak MB, read MB, ×floor, rows and non-empty cells (or a note)."""
    print(f"{'':44} {'seconds':>8} {'×floor':>7} {'peak MB':>8} {'read MB':>8} {'×floor':>7} {'rows':>9} "
          f"{'cells':>10}")
    for r in results:
        label = labels[r["name"]]
        if "error" in r:
            print(f"{label:44} failed: {r['error']}")
            continue
        read_mb = r["peak_mb"] - r["base_mb"]
        counts = f"{r['rows']:>9,} {r['cells']:>10,}" if r["rows"] else f"  {r['note']}"
        print(f"{label:44} {r['seconds']:8.2f} {_ratio(r['seconds'], floor_s)} {r['peak_mb']:8.0f} {read_mb:8.0f} "
              f"{_ratio(r['peak_mb'], floor_mb)} {counts}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_readers")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="household rows in the workbook")
    parser.add_argument("--strings", choices=("shared", "inline"), default="shared",
                        help="shared-string table (as Excel writes) or inline strings (as openpyxl write-only)")
    parser.add_argument("--only", nargs="+", choices=[*READERS, *PASSES], help="run only these measurements")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.path)))
        return 0
    path = workbook(args.rows, args.strings)
    with zipfile.ZipFile(path) as book:
        inflated = sum(i.file_size for i in book.infolist())
    print(f"workbook: {args.rows:,} household rows × {len(PERSONAL) + 21} columns, {args.strings} strings, "
          f"{path.stat().st_size / 1e6:.1f} MB on disk, {inflated / 1e6:.0f} MB decompressed")
    readers = [measure(n, path) for n in READERS if not args.only or n in args.only]
    passes = [measure(n, path) for n in PASSES if not args.only or n in args.only]
    ok = [r for r in readers if "error" not in r]
    floor_s = min((r["seconds"] for r in ok), default=None)
    floor_mb = min((r["peak_mb"] for r in ok), default=None)
    labels = {n: label for n, (label, _) in {**READERS, **PASSES}.items()}
    if readers:
        print("\nReading every cell of the first sheet (floor = the fastest / smallest reader of this run):")
        _table(readers, labels, floor_s, floor_mb)
        if len({(r["rows"], r["cells"]) for r in ok}) > 1:
            print("  note: the readers disagree on rows or non-empty cells (calamine and fastexcel skip the empty "
                  "rows above the first cell; compare the cells)")
    if passes:
        print("\nExtra passes over the same workbook (×floor against the fastest reader above):")
        _table(passes, labels, floor_s, floor_mb)
    print("\nseconds: the read alone, library already imported; peak MB: the process's own peak resident "
          "memory (10⁶ bytes), interpreter and library included; read MB: what the read added.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
