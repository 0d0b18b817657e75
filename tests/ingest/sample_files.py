"""The shared samples of text and number kinds (copied into tests/ingest/data) and writers of their siblings.

Every sample holds the same six households of 2025 (HT26-001 … HT26-006), filed under three FORMER units (Xã Vĩnh
Trạch 31834, Xã Ninh Quới 31846, Xã Châu Thới 31912, by code or by name and district). From the 2025 review on the
current units are used (`data.ingest.places`), so as shipped the samples are also 2025 files in the former units,
which the importer refuses with the current unit each now lies in (test_unit_sets.py). The kind each sample stands for
(an encoding, merged cells, a formula, a unit in a header …) is tested on its 2024 twin, `in_year(sample, dir)`: the
same bytes with only the year cells changed, so the households are filed in the units in force that year.

Their classes in 2024, worked out by hand from Decree 07/2021 (all three former communes are rural: poor line
1,500,000, average-living ceiling 2,250,000):

| code | income | deprived | class |
|---|---|---|---|
| HT26-001 | 1,400,000 | 3 (employment, health insurance, floor area) | poor |
| HT26-002 | 1,900,000 | 2 | average (above the poor line, under 2,250,000) |
| HT26-003 | 1,200,000 | 4 (and a social-protection beneficiary) | poor |
| HT26-004 | 2,600,000 | 0 | above |
| HT26-005 | 1,000,000 | 3 | poor |
| HT26-006 | 3,500,000 | 1 | above |
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parent / "data"
NFD_SAMPLE = DATA / "nfd_macos_income_dong_suffix.csv"
TCVN3_SAMPLE = DATA / "tcvn3_vntime_values_only.xlsx"
VI_LOCALE_SAMPLE = DATA / "vi_locale_income_two_decimals.csv"
THOUSAND_SAMPLE = DATA / "income_in_thousand_dong.xlsx"

SHIPPED_YEAR = 2025  # the review year every shared sample carries
YEAR = 2024  # the year of the twins the kinds are tested on (`in_year`)

# (household, commune, income, deprivations, social protection, class) in YEAR
EXPECTED = [
    ("HT26-001", "31834", 1_400_000, 3, False, "poor"),
    ("HT26-002", "31834", 1_900_000, 2, False, "average"),
    ("HT26-003", "31846", 1_200_000, 4, True, "poor"),
    ("HT26-004", "31846", 2_600_000, 0, False, "above"),
    ("HT26-005", "31912", 1_000_000, 3, False, "poor"),
    ("HT26-006", "31912", 3_500_000, 1, False, "above"),
]
STORED_SQL = ("SELECT c.household_id, c.commune_code, c.income_per_capita, c.deprivation_count, c.social_protection, "
              "c.status FROM classified AS c WHERE c.household_id LIKE 'HT26-%' ORDER BY 1")


def stored(db: Path, sql: str = STORED_SQL, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def in_year(sample: Path, out_dir: Path, year: int = YEAR) -> Path:
    """`sample` with its review year set to `year`, written under the same name in `out_dir`.

    Only the year cells change: in a CSV the field `2025` between delimiters, in a workbook the numeric cells
    `<v>2025</v>` of its worksheets; every other byte of the CSV, and every other part of the workbook (its shared
    strings wherever they live, fonts, merged cells, formulas without values), is kept as shipped.
    """
    data = sample.read_bytes()
    old, new = str(SHIPPED_YEAR).encode(), str(year).encode()
    if sample.suffix == ".csv":
        out, count = re.subn(rb"(?<=[,;])" + old + rb"(?=[,;])", new, data)
        assert count == 6, (sample.name, count)  # the six households, each once
    else:
        buffer = io.BytesIO()
        count = 0
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                part = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/"):
                    part, n = re.subn(b"<v>" + old + b"</v>", b"<v>" + new + b"</v>", part)
                    count += n
                target.writestr(info, part)
        assert count == 6, (sample.name, count)
        out = buffer.getvalue()
    path = out_dir / sample.name
    path.write_bytes(out)
    return path


def sample_table(year: int = YEAR) -> tuple[list[str], list[list[str]]]:
    """The six households as the NFD sample writes them, in NFC, in review year `year`: (headers, rows of text)."""
    content = unicodedata.normalize("NFC", NFD_SAMPLE.read_text(encoding="utf-8-sig"))
    header, *rows = list(csv.reader(io.StringIO(content)))
    column = header.index("Năm")
    for row in rows:
        row[column] = str(year)
    return header, rows


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], value_font: str | None = None,
               convert: Callable[[str], str] = lambda s: s, header_font: str | None = None,
               convert_header: Callable[[str], str] = lambda s: s) -> Path:
    """A one-sheet workbook: the header (Calibri unless `header_font`) and the rows, text cells passed through
    `convert` and drawn in `value_font` — as a commune clerk typing in `.VnTime` or `VNI-Times` leaves them."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([convert_header(h) for h in header])
    if header_font:
        for cell in sheet[1]:
            cell.font = Font(name=header_font)
    for row in rows:
        sheet.append([None if v == "" else convert(v) if isinstance(v, str) else v for v in row])
        if value_font:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(name=value_font)
    book.save(path)
    return path


def cp1258(text: str) -> bytes:
    """Text as Windows writes it in code page 1258: base letters (with their hat or horn) and tone marks apart."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")
