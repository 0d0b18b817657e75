"""The shared samples of text and number kinds (copied into tests/ingest/data) and writers of their siblings.

Every sample holds the same six households of the 2025 review (HT26-001 … HT26-006), written as the communes knew
them: under three FORMER units (Xã Vĩnh Trạch 31834, Xã Ninh Quới 31846, Xã Châu Thới 31912), by code or by name and
district. From the 2025 review on the current units are used; a former unit there is read as the current unit it lies
in whole (`data.ingest.places`), so the samples load as shipped, each household in its current unit:

- by name: `Xã Vĩnh Trạch` is a former name only → Phường Vĩnh Trạch (31834), former commune 31834 kept; `Xã Ninh
  Quới` and `Xã Châu Thới` are current names too → the current units of those names (31849, 31894), no former commune;
- by code: 31834 is reused → Phường Vĩnh Trạch, no former commune; 31846 and 31912 are former codes only → Xã Ninh
  Quới (31849) and Xã Châu Thới (31894), former communes 31846 and 31912 kept.

Their classes in 2025, worked out by hand from Decree 07/2021, by the area of the current unit: Phường Vĩnh Trạch is
urban (poor line 2,000,000, average-living ceiling 3,000,000; former Xã Vĩnh Trạch was rural), Xã Ninh Quới and Xã
Châu Thới rural (1,500,000 and 2,250,000):

| code | current unit | income | deprived | class |
|---|---|---|---|---|
| HT26-001 | 31834 (urban) | 1,400,000 | 3 (employment, health insurance, floor area) | poor |
| HT26-002 | 31834 (urban) | 1,900,000 | 2 | near_poor (under the urban line, fewer than 3 deprivations) |
| HT26-003 | 31849 (rural) | 1,200,000 | 4 (and a social-protection beneficiary) | poor |
| HT26-004 | 31849 (rural) | 2,600,000 | 0 | above |
| HT26-005 | 31894 (rural) | 1,000,000 | 3 | poor |
| HT26-006 | 31894 (rural) | 3,500,000 | 1 | above |
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from tests import keyed

DATA = Path(__file__).resolve().parent / "data"
NFD_SAMPLE = DATA / "nfd_macos_income_dong_suffix.csv"
TCVN3_SAMPLE = DATA / "tcvn3_vntime_values_only.xlsx"
VI_LOCALE_SAMPLE = DATA / "vi_locale_income_two_decimals.csv"
THOUSAND_SAMPLE = DATA / "income_in_thousand_dong.xlsx"

YEAR = 2025  # the review year every shared sample carries

# (household, current unit, income, deprivations, social protection, class) in YEAR
EXPECTED = [
    ("HT26-001", "31834", 1_400_000, 3, False, "poor"),
    ("HT26-002", "31834", 1_900_000, 2, False, "near_poor"),
    ("HT26-003", "31849", 1_200_000, 4, True, "poor"),
    ("HT26-004", "31849", 2_600_000, 0, False, "above"),
    ("HT26-005", "31894", 1_000_000, 3, False, "poor"),
    ("HT26-006", "31894", 3_500_000, 1, False, "above"),
]
STORED_SQL = ("SELECT c.household_id, c.current_code, c.income_per_capita, c.deprivation_count, c.social_protection, "
              "c.status FROM classified_ids AS c WHERE c.household_id LIKE 'HT26-%' ORDER BY 1")

# The former commune stored for each household (`households.commune_code`): the former unit its row names where that
# is a former unit only, else None (a reused code or a name both sets have means the current unit).
FORMER_BY_NAME = {"HT26-001": "31834", "HT26-002": "31834", "HT26-003": None, "HT26-004": None, "HT26-005": None,
                  "HT26-006": None}
FORMER_BY_CODE = {"HT26-001": None, "HT26-002": None, "HT26-003": "31846", "HT26-004": "31846", "HT26-005": "31912",
                  "HT26-006": "31912"}
BY_NAME = ("nfd_macos_income_dong_suffix.csv", "tcvn3_vntime_values_only.xlsx", "merged_commune_cells.xlsx",
           "dup_upload_xa_vinh_trach.csv")
BY_CODE = ("one_sheet_per_commune.xlsx", "sharedstrings_nonstandard_path.xlsx",
           "csv_header_cells_with_line_breaks.csv", "vi_locale_income_two_decimals.csv", "income_in_thousand_dong.xlsx",
           "formula_mark_without_cached_value.xlsx")
FORMERS_SQL = "SELECT household_id, commune_code FROM households WHERE household_id LIKE 'HT26-%' ORDER BY 1"


def formers_stored(db: Path) -> dict[str, str | None]:
    """household → the former commune stored for it (None when unknown), for the six sample households."""
    return dict(stored(db, FORMERS_SQL))


def stored(db: Path, sql: str = STORED_SQL, params: list | None = None) -> list[tuple]:
    con = keyed.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def sample_table() -> tuple[list[str], list[list[str]]]:
    """The six households as the NFD sample writes them (2025, former units by name and district), in NFC:
    (headers, rows of text)."""
    content = unicodedata.normalize("NFC", NFD_SAMPLE.read_text(encoding="utf-8-sig"))
    header, *rows = list(csv.reader(io.StringIO(content)))
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
