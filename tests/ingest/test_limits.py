"""What a file may cost: bombs are refused before a reader sees them, naming the limit and the size found; real files
pass, and the cells counted for them are the cells calamine builds.

No test here measures time: "refused in well under a second" is checked as work not done (how many bytes were
unpacked before the refusal) and the peak memory of the command is measured in its own process.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import python_calamine
from hypothesis import given
from hypothesis import strategies as st

from data import export
from data.ingest import check, limits
from data.ingest.limits import ENV, MB, PIECE, Limits, cells_spanned, longest_line, over_limit, text_in_cells
from data.ingest.messages import msg
from data.warehouse import ROOT
from tests.ingest import bombs
from tests.ingest.conftest import checksum, review_rows, write_xlsx

GB = 1 << 30
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
HEADER_COLUMNS = len(bombs.LAYOUT)


def _info(data: bytes, member: str = bombs.SHEET) -> zipfile.ZipInfo:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo(member)


def _csv_fields(data: bytes) -> int:
    return max(data.count(b","), data.count(b";"), data.count(b"\t")) + max(data.count(b"\n"), data.count(b"\r")) + 1


def _repeated() -> tuple[bytes, str, str, dict[str, object]]:
    data = bombs.repeated_rows(200)
    info = _info(data)
    return data, "bom.xlsx", "ingest.limit_ratio", {
        "part": bombs.SHEET, "size": round(info.file_size / MB, 1), "packed": round(info.compress_size / MB, 1),
        "ratio": round(info.file_size / info.compress_size), "limit": 100}


def _lying() -> tuple[bytes, str, str, dict[str, object]]:
    return (bombs.lying(bombs.repeated_rows(200)), "bom.xlsx", "ingest.limit_declared",
            {"part": bombs.SHEET, "declared": 1_000_000})


def _far() -> tuple[bytes, str, str, dict[str, object]]:
    # rows 1 (the header) to 1048576, columns A to XFD
    return bombs.far_cell(), "bom.xlsx", "ingest.limit_cells", {"size": EXCEL_ROWS * EXCEL_COLUMNS, "limit": 6_000_000}


def _counted() -> tuple[bytes, str, str, dict[str, object]]:
    # the header row, 50,000 empty rows, then the value after 2,000 empty cells
    return (bombs.counted_far(50_000, 2_000), "bom.xlsx", "ingest.limit_cells",
            {"size": (1 + 50_000 + 1) * (2_000 + 1), "limit": 6_000_000})


def _unique() -> tuple[bytes, str, str, dict[str, object]]:
    return (bombs.unique_count(), "bom.xlsx", "ingest.limit_count",
            {"part": "xl/sharedStrings.xml", "size": 4_000_000_000, "limit": 6_000_000})


def _merged() -> tuple[bytes, str, str, dict[str, object]]:
    return bombs.merged(), "bom.xlsx", "ingest.limit_merged", {"size": (EXCEL_ROWS - 1) * EXCEL_COLUMNS,
                                                               "limit": 6_000_000}


def _commas() -> tuple[bytes, str, str, dict[str, object]]:
    data = bombs.one_line_csv(60)
    return data, "bom.csv", "ingest.limit_fields", {"size": _csv_fields(data), "limit": 6_000_000}


def _text() -> tuple[bytes, str, str, dict[str, object]]:
    data = bombs.one_line_csv(60, b"a")
    return data, "bom.csv", "ingest.limit_line", {"size": round(max(map(len, data.splitlines())) / 1024),
                                                  "limit": 1024}


class _Between(int):
    """A size reported as found so far: equal to any whole number from `low` to `high` (a bomb is refused at the
    first sight of too much, before it is all measured)."""

    def __new__(cls, low: int, high: int) -> _Between:
        made = super().__new__(cls, low)
        made.high = high
        return made

    def __eq__(self, other: object) -> bool:
        return isinstance(other, int) and int(self) <= other <= self.high

    __hash__ = int.__hash__


def _clone() -> tuple[bytes, str, str, dict[str, object]]:
    # one shared string of 1,000,000 characters shown by 600 cells: longer than Excel allows a cell
    return (bombs.shared_string_clone(1_000_000, 600), "bom.xlsx", "ingest.limit_string",
            {"part": "xl/sharedStrings.xml", "size": 1_000_000, "limit": 32_767})


def _clone_within_excel() -> tuple[bytes, str, str, dict[str, object]]:
    # 32,000 characters (Excel allows it) shown by 9,000 cells: 288,000,000 characters of text
    return (bombs.shared_string_clone(32_000, 9_000), "bom.xlsx", "ingest.limit_text",
            {"size": round(32_000 * 9_000 / MB), "limit": 256})


def _runs() -> tuple[bytes, str, str, dict[str, object]]:
    # one header cell of 30 runs of 1 MiB: refused when first seen past 32,767 characters, within the first runs
    return (bombs.header_cell_runs(30), "bom.xlsx", "ingest.limit_string",
            {"part": bombs.SHEET, "size": _Between(32_768, 30 << 20), "limit": 32_767})


# kind → (bytes, file name, message key, the message's values, computed here from the file)
BOMBS: dict[str, Callable[[], tuple[bytes, str, str, dict[str, object]]]] = {
    "repeated rows, 0.4 MB → 200 MB": _repeated, "sizes that lie": _lying, "a value in XFD1048576": _far,
    "counted rows and cells": _counted, "uniqueCount 4e9": _unique, "merged A2:XFD1048576": _merged,
    "one 60 MB line of commas": _commas, "one 60 MB line of text": _text,
    "a 1 MB shared string in 600 cells": _clone, "a 32,000-character shared string in 9,000 cells": _clone_within_excel,
    "a 30 MB header cell of 1 MB runs": _runs,
}


@pytest.mark.parametrize("kind", list(BOMBS))
def test_a_bomb_is_refused_naming_the_limit_and_the_size_found(kind: str) -> None:
    data, name, key, values = BOMBS[kind]()
    problem = over_limit(data, name)
    assert problem is not None
    assert (problem.key, dict(problem.values)) == (key, values)
    assert problem.text("vi") != problem.text("en")  # both languages written


class _Counting:
    """zlib's decompressor, counting what it produces."""

    produced = 0
    original = staticmethod(zlib.decompressobj)

    def __init__(self, wbits: int) -> None:
        self._inner = _Counting.original(wbits)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inner.decompress(data, max_length)
        _Counting.produced += len(out)
        return out

    def flush(self) -> bytes:
        out = self._inner.flush()
        _Counting.produced += len(out)
        return out

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


@pytest.mark.parametrize(("kind", "most"), [
    ("repeated rows, 0.4 MB → 200 MB", 0),  # the declared sizes suffice: nothing is unpacked
    ("uniqueCount 4e9", 64 * 1024),  # the small parts before it, and the table
    ("sizes that lie", 1_000_000 + PIECE),  # no more than the size the part declares, and one piece
    ("a value in XFD1048576", 64 * 1024),
    ("a 1 MB shared string in 600 cells", 1_100_000),  # the small parts and the table, not the 600 copies
    ("a 30 MB header cell of 1 MB runs", 2 * PIECE + 64 * 1024),  # a piece of the sheet, again; not its 30 MB
])
def test_a_bomb_is_refused_before_much_is_unpacked(kind: str, most: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data, name, key, _ = BOMBS[kind]()
    _Counting.produced = 0
    monkeypatch.setattr(limits.zlib, "decompressobj", _Counting)
    assert over_limit(data, name).key == key
    assert _Counting.produced <= most


def test_the_command_refuses_every_bomb_in_bounded_memory_and_changes_nothing(tmp_path: Path, demo_db: Path) -> None:
    """The real path (`python -m data.ingest`), in its own process: each bomb is a file-level problem naming its
    limit, nothing is loaded, and the process's peak resident memory stays under 1 GB (≈ 0.3 GB measured, most of it
    the interpreter, pandas and DuckDB). The child runs under a 4 GB address-space limit, so a regression fails this
    test instead of exhausting the machine."""
    files = []
    for i, make in enumerate(BOMBS.values()):
        data, name, key, values = make()
        path = tmp_path / f"{i}_{name}"
        path.write_bytes(data)
        ranged = any(isinstance(value, _Between) for value in values.values())
        files.append((path, over_limit(data, name) if ranged else msg(key, **values)))
    too_big = tmp_path / "too_big.csv"
    with too_big.open("wb") as out:
        out.truncate(65 * MB)  # sparse: 65 MB on paper, refused from its size, never read
    files.append((too_big, msg("ingest.limit_file", size=65.0, limit=64)))
    before = checksum(demo_db)
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
            "from data.ingest.__main__ import main\n"
            "status = main(sys.argv[1:])\n"
            # VmHWM: this process's own peak (ru_maxrss would keep the parent's size from before exec)
            "print('PEAK_KB', open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
            "sys.exit(status)\n")
    done = subprocess.run([sys.executable, "-c", code, *(str(p) for p, _ in files), "--db", str(demo_db),
                           "--lang", "en", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-3000:]
    peak_kb = int(re.search(r"PEAK_KB (\d+)", done.stdout).group(1))
    assert peak_kb * 1024 < GB, f"peak {peak_kb / 1024:.0f} MB"
    for path, expected in files:
        assert f"{path.name}: rejected — rows read 0, loaded 0" in done.stdout
        assert f"  {path.name} → expected {expected.text('en')}\n" in done.stdout, expected.text("en")
    assert "a file of at most 64 MB; this one is 65 MB" in done.stdout
    assert checksum(demo_db) == before


def test_real_files_pass_and_their_cells_are_the_rows_times_the_columns(tmp_path: Path, demo_template: Path) -> None:
    """A 20,000-household year exported as the importer's layout (CSV and .xlsx, with merged title cells and a second
    sheet written by openpyxl too): within every limit, and the cells counted both ways are rows × columns."""
    con = duckdb.connect(str(demo_template), read_only=True)
    try:
        frame = export.reviews_frame(con, 2025)
    finally:
        con.close()
    for suffix in (".csv", ".xlsx"):
        export.write(frame, tmp_path / f"year{suffix}")
        data = (tmp_path / f"year{suffix}").read_bytes()
        assert over_limit(data, f"year{suffix}") is None
    data = (tmp_path / "year.xlsx").read_bytes()
    assert len(frame) > 15_000
    assert cells_spanned(data) == cells_spanned(data, fast=False) == (len(frame) + 1) * len(frame.columns)

    import openpyxl

    rows = review_rows(300)
    path = write_xlsx(tmp_path / "titled.xlsx", rows, title_rows=2)
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("A1:U1")
    book.create_sheet("Ghi chú").append(["Người lập biểu", None, "Ngày 31/12/2025"])
    book.save(path)
    data = path.read_bytes()
    assert over_limit(data, path.name) is None
    assert cells_spanned(data) == (2 + 1 + 300) * len(rows[0]) + 1 * 3  # titles, header, rows; the note sheet
    sample = ROOT / "tests" / "ingest" / "data" / "dup_upload_xa_vinh_trach.csv"
    assert over_limit(sample.read_bytes(), sample.name) is None


def test_limits_come_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits(64, 256, 512, 100, 6_000_000, 1024, 256)
    assert Limits.from_env({ENV["text_mb"]: "40"}) == Limits(text_mb=40)
    assert Limits.from_env({ENV["file_mb"]: "2", ENV["cells"]: "1_000"}) == Limits(file_mb=2, cells=1000)
    with pytest.raises(ValueError, match="POVERTY_IMPORT_MAX_RATIO"):
        Limits.from_env({ENV["ratio"]: "ten"})
    with pytest.raises(ValueError, match="POVERTY_IMPORT_MAX_LINE_KB"):
        Limits.from_env({ENV["line_kb"]: "0"})


def test_a_lower_limit_set_in_the_environment_refuses_a_file_it_would_take(monkeypatch: pytest.MonkeyPatch,
                                                                           empty_db: Path, tmp_path: Path) -> None:
    rows = review_rows(40)
    path = write_xlsx(tmp_path / "xa.xlsx", rows)
    cells = (40 + 1) * len(rows[0])
    monkeypatch.setenv(ENV["cells"], str(cells - 1))
    con = duckdb.connect(str(empty_db))
    try:
        refused = check(path.read_bytes(), path.name, con)
        monkeypatch.setenv(ENV["cells"], str(cells))
        taken = check(path.read_bytes(), path.name, con)
    finally:
        con.close()
    assert refused.fatal and refused.rows_read == 0
    assert list(refused.problems["expected_en"]) == [
        f"at most {cells - 1:,} cells (rows × columns of the sheets); this file spans {cells:,}: split it or delete "
        "unused rows and columns"]
    assert taken.ok and taken.rows_read == 40


def test_the_upload_limit_and_the_readme_state_the_same_limits() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Limits().file_mb
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for field, variable in ENV.items():
        default = f"{getattr(Limits(), field):,}"
        assert re.search(rf"`{variable}`[^\n]*\b{re.escape(default)}\b", readme), (variable, default)


@pytest.mark.parametrize(("data", "longest"), [
    (b"", 0), (b"abc", 3), (b"a\nbc\r\ndef", 3), (b"\n\n\n", 0), (b"x" * 10 + b"\r" + b"y" * 4, 10),
])
def test_longest_line_counts_bytes_between_breaks(data: bytes, longest: int) -> None:
    assert longest_line(data) == longest
    assert longest_line(data, piece=2) == longest  # a line across pieces


# Random small sheets, read by calamine itself: the rectangle counted equals the one it builds.
_cell = st.tuples(st.integers(1, 40), st.integers(1, 30), st.sampled_from(["value", "styled", "bare"]))
_row = st.tuples(st.one_of(st.none(), st.integers(1, 60)), st.lists(_cell, max_size=6), st.booleans())


def _sheet(rows: list[tuple[int | None, list[tuple[int, int, str]], bool]]) -> bytes:
    """Rows with or without `r` (an empty one written `<row …/>`); cells with a reference and a value, empty with a
    style (`<c …/>`), or a value without a reference (placed by counting); `spaced` writes attributes `r = '…'`
    (which only the exact path reads)."""
    out = []
    for number, cells, spaced in rows:
        attributes = (f" r = '{number}'" if spaced else f' r="{number}"') if number else ""
        if not cells:
            out.append(f"<row{attributes}/>")
            continue
        parts = []
        for row, column, kind in cells:
            reference = f"{bombs._letters(column)}{row}"
            if kind == "value":
                ref = f" r = '{reference}'" if spaced else f' r="{reference}"'
                parts.append(f"<c{ref}><v>{column}</v></c>")
            elif kind == "styled":
                parts.append(f'<c r="{reference}" s="1"/>')
            else:
                parts.append(f"<c><v>{row}</v></c>")
        out.append(f"<row{attributes}>{''.join(parts)}</row>")
    return "".join(out).encode()


def _calamine_area(data: bytes) -> int:
    sheet = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data)).get_sheet_by_index(0)
    if sheet.start is None:
        return 0
    return (sheet.end[0] - sheet.start[0] + 1) * (sheet.end[1] - sheet.start[1] + 1)


@given(st.lists(_row, max_size=12))
def test_the_cells_counted_are_the_cells_calamine_builds(rows) -> None:
    data = bombs.workbook([_sheet(rows)])
    assert cells_spanned(data, fast=False) == _calamine_area(data)
    assert cells_spanned(data) == _calamine_area(data)


def test_empty_cells_that_calamine_skips_are_counted_too(tmp_path: Path) -> None:
    """`<c></c>` (no value) moves calamine's counter without a cell: counted, the rectangle is an upper bound."""
    data = bombs.workbook([b'<row r="3"><c r="A3"><v>1</v></c><c r="Z3"></c></row>'])
    assert _calamine_area(data) == 3 * HEADER_COLUMNS
    assert cells_spanned(data) == cells_spanned(data, fast=False) == 3 * 26


def test_the_scan_holds_pieces_not_parts() -> None:
    """Unpacking and scanning a 45 MB sheet holds a few 4 MB pieces at a time, never the part (traced allocations)."""
    import tracemalloc

    data = bombs.workbook(f'<row r="{r}">'.encode() + b"".join(
        f'<c r="{bombs._letters(c)}{r}"><v>{r * c}</v></c>'.encode() for c in range(1, 22)) + b"</row>"
        for r in range(2, 80_000))
    size = _info(data).file_size
    assert size > 45 * MB
    tracemalloc.start()
    try:
        assert over_limit(data, "big.xlsx") is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < min(size, 16 * PIECE), f"{peak / MB:.0f} MB"


def test_a_zip_that_is_no_xlsx_and_text_that_starts_like_one() -> None:
    """An OpenDocument spreadsheet (a zip without `[Content_Types].xml`) is refused before calamine's .ods reader,
    which these limits do not bound, could open it; a CSV that merely starts with `PK` is still checked as text."""
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", '<table:table-row table:number-rows-repeated="1048576"/>')
    problem = over_limit(ods.getvalue(), "xa.xlsx")
    assert (problem.key, dict(problem.values)) == ("ingest.not_xlsx",
                                                   {"error": "OpenDocument: not an .xlsx workbook"})
    csv = b"PKID,Ma ho\n" + b"a" * (2 << 20)
    problem = over_limit(csv, "xa.csv")
    assert (problem.key, dict(problem.values)) == ("ingest.limit_line", {"size": 2048, "limit": 1024})
    for sample in sorted((ROOT / "tests" / "ingest" / "data").iterdir()):
        assert over_limit(sample.read_bytes(), sample.name) is None


def _calamine_text(data: bytes) -> int:
    book = python_calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    return sum(len(value) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
               for value in row if isinstance(value, str))


def test_the_text_counted_is_the_text_calamine_builds() -> None:
    """Shared strings (Vietnamese, entities, rich-text runs, an empty one) shown by several cells each, and inline
    strings: the characters counted equal the characters of calamine's string cells."""
    shared = ["Xã Vĩnh Trạch", "Hộ nghèo &amp; cận nghèo", '<r><rPr><b/></rPr><t>Ng</t></r><r><t xml:space="preserve">'
              'ười lớn </t></r>', "", "&#7897; &lt;5&gt;", "Không"]
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{bombs.MAIN}" count="20" uniqueCount="6">'
               + "".join(f"<si><t>{text}</t></si>" if not text.startswith("<r>") else f"<si>{text}</si>"
                         for text in shared).replace("<si><t></t></si>", "<si/>") + "</sst>")
    rows = []
    for r in range(2, 12):
        cells = f'<c r="A{r}" t="s"><v>{r % 6}</v></c><c r="B{r}"><v>{r}</v></c>'
        cells += (f'<c r="C{r}" t="s"><v>{(r * 5) % 6}</v></c>'
                  f'<c r="D{r}" t="inlineStr"><is><t>Ấp {r} &amp; xóm</t></is></c>')
        rows.append(f'<row r="{r}">{cells}</row>'.encode())
    data = bombs.workbook(rows, shared_strings=strings)
    assert text_in_cells(data) == _calamine_text(data) > 300
    assert over_limit(data, "xa.xlsx") is None


def test_a_province_like_workbook_with_shared_strings_passes() -> None:
    """Excel writes text as shared strings: 3,000 households so written (each distinct text once in the table, the
    cells pointing to it) pass, and the text counted, each cell once, is calamine's."""
    from xml.sax.saxutils import escape

    rows = review_rows(3_000)
    table: dict[str, int] = {}
    sheet = []
    for r, row in enumerate(rows, start=2):
        cells = []
        for c, value in enumerate(row.values(), start=1):
            if value in ("", None):
                continue
            ref = f"{bombs._letters(c)}{r}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{table.setdefault(value, len(table))}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        sheet.append(f'<row r="{r}">{"".join(cells)}</row>'.encode())
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{bombs.MAIN}" uniqueCount="{len(table)}">'
               + "".join(f"<si><t>{escape(text)}</t></si>" for text in table) + "</sst>")
    data = bombs.workbook(sheet, shared_strings=strings)
    assert over_limit(data, "xa.xlsx") is None
    assert text_in_cells(data) == _calamine_text(data) > 3_000 * 10
