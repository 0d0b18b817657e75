"""The blank review template: an XLSX with the expected headers, a sheet explaining each column and, for a review
year, a sheet listing the units that year is filed in.

    python -m data.template OUT.xlsx [--year Y] [--db PATH]

Headers come from `normalise.layout` (the indicator labels from the `indicators` reference data), so the template,
the export and the importer always agree. A review year is filed in the units in force at its review
(`review_unit_set`): from 2025 the 25 current communes and wards (names without district), before that the 64 former
communes, wards and townships (a repeated name needs its district). `--year` lists that year's units (from the
warehouse `--db`, or the reference data when there is none); without it, the newest set's.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from data.ingest import normalise
from data.ingest.messages import Message, msg
from data.sqlfiles import load_sql
from data.warehouse import REFERENCE_DIR, absolute, connect_readonly, create_schema, load_reference
from i18n import format_date

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATA_SHEET = "Dữ liệu"
GUIDE_SHEET = "Hướng dẫn"
UNITS_SHEET = "Đơn vị hành chính"
_MARKS = "x (thiếu hụt / có) hoặc để trống (không)"

# Field → (required?, accepted values, explanation), Vietnamese first then English.
_GUIDE: dict[str, tuple[str, str, str]] = {
    "household_id": ("bắt buộc", "mã hộ của xã, ví dụ H00012345",
                     "Mã hộ gia đình, ổn định qua các năm; không dùng họ tên hay số CCCD / Household code, stable "
                     "across years; never a name or an ID card number"),
    "commune_code": ("mã hoặc tên", "mã GSO 5 chữ số, ví dụ 31834",
                     "Mã xã/phường/thị trấn (GSO); nếu có mã thì không cần tên / Commune GSO code"),
    "commune_name": ("mã hoặc tên", "Xã Vĩnh Trạch, P.1, TT Ngan Dừa …",
                     "Tên xã; tên trùng (Phường 1) cần cột Huyện / Commune name; repeated names need the district"),
    "district": ("khi tên trùng", "Thành phố Bạc Liêu, TX Giá Rai, 959 …", "Huyện / thị xã / thành phố / District"),
    "ethnicity": ("bắt buộc", "Kinh, Khmer, Hoa, hoặc tên dân tộc khác", "Dân tộc của chủ hộ / Head's ethnicity"),
    "year": ("hoặc --year", "ví dụ 2024", "Năm rà soát (kết quả cuối năm) / Review year"),
    "members": ("bắt buộc", "số nguyên ≥ 1", "Số nhân khẩu / Household size"),
    "income_per_capita": ("bắt buộc", "ví dụ 1.450.000 hoặc 1450000",
                          "Thu nhập bình quân đầu người một tháng (đồng) / Monthly income per person, VND"),
    "social_protection": ("bắt buộc", _MARKS, "Hộ thuộc đối tượng bảo trợ xã hội / Social-protection beneficiary"),
}


# The commune columns' guide in the current set (no districts): field → (required?, accepted values, explanation).
_GUIDE_CURRENT: dict[str, tuple[str, str, str]] = {
    "commune_code": ("mã hoặc tên", "mã GSO 5 chữ số, ví dụ 31834 (Phường Vĩnh Trạch)",
                     "Mã xã, phường sau sắp xếp (GSO), xem trang 'Đơn vị hành chính'; nếu có mã thì không cần tên / "
                     "Current commune or ward GSO code (see the units sheet)"),
    "commune_name": ("mã hoặc tên", "Phường Bạc Liêu, Xã Hồng Dân …",
                     "Tên xã, phường sau sắp xếp, không cần huyện; tên đơn vị cũ (Xã Vĩnh Trạch) được đọc theo đơn vị "
                     "hiện nay chứa nó / Current commune or ward name, no district; a former unit's name (Xã Vĩnh "
                     "Trạch) is read as the current unit containing it"),
    "district": ("chỉ khi tên cũ trùng", "Thành phố Bạc Liêu, TX Giá Rai …",
                 "Chỉ để phân biệt tên đơn vị cũ trùng nhau (Phường 1): cấp huyện không còn từ {since} / Only to tell "
                 "apart a repeated former unit name (Phường 1): districts were abolished on {since_en}"),
}


def units_for_year(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """The units review year `year` is filed in (`review_unit_set` in the warehouse on `con`; the newest unit set
    when `year` is None): `unit_set`, `commune_code`, `commune_name`, `commune_type`, `district_name` (None in the
    current set), `in_force_from`, `in_force_to` (the set's dates, None when open-ended); one row per unit."""
    return con.execute(load_sql("units_of_year"), {"year": year}).df()


def indicator_labels(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The indicators' labels from the reference data (the same rows the warehouse's `indicators` table holds)."""
    return pd.read_csv(reference_dir / "indicators.csv")


def guide(labels: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per column of the layout: header, required, accepted values, meaning. `units` (`units_for_year`):
    the commune columns explained for that unit set (the current set has no districts); None: the former set's."""
    labels = indicator_labels() if labels is None else labels
    headers = normalise.layout(labels)
    english = dict(zip("d_" + labels["indicator"], labels["label_en"], strict=True))
    current = units is not None and not units.empty and units["district_name"].isna().all()
    rows = []
    for field, header in headers.items():
        if current and field in _GUIDE_CURRENT:
            required, accepted, meaning = _GUIDE_CURRENT[field]
            since = pd.Timestamp(units["in_force_from"].iloc[0]).date()
            meaning = meaning.format(since=format_date(since, "vi"), since_en=format_date(since, "en"))
        elif field in _GUIDE:
            required, accepted, meaning = _GUIDE[field]
        else:
            required, accepted = "bắt buộc", _MARKS
            meaning = f"Chỉ số thiếu hụt (chuẩn nghèo đa chiều) / Deprivation indicator: {english[field]}"
        rows.append({"Cột (column)": header, "Bắt buộc (required)": required,
                     "Giá trị (accepted values)": accepted, "Ý nghĩa (meaning)": meaning})
    rows.append({"Cột (column)": "Họ tên, CCCD/CMND, địa chỉ, điện thoại", "Bắt buộc (required)": "không",
                 "Giá trị (accepted values)": "—",
                 "Ý nghĩa (meaning)": "Không cần: các cột thông tin cá nhân bị bỏ qua, không đọc, không lưu / Not "
                                      "needed: personal-data columns are ignored, never read or stored"})
    return pd.DataFrame(rows)


def units_sheet(units: pd.DataFrame) -> pd.DataFrame:
    """The units sheet of a template: code, name, type and (former set) district of each unit of `units`."""
    table = pd.DataFrame({"Mã xã (code)": units["commune_code"], "Tên xã (name)": units["commune_name"],
                          "Loại (type)": units["commune_type"]})
    if units["district_name"].notna().any():
        table["Huyện (district)"] = units["district_name"]
    return table


def template_bytes(labels: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> bytes:
    """The blank template as XLSX bytes: headers on the first sheet, the guide on the second and, given `units`
    (`units_for_year`), the units the year is filed in on a third, with the set's dates in its title row."""
    import openpyxl
    from openpyxl.styles import Font

    labels = indicator_labels() if labels is None else labels
    book = openpyxl.Workbook()
    data = book.active
    data.title = DATA_SHEET
    data.append(list(normalise.layout(labels).values()))
    for cell in data[1]:
        cell.font = Font(bold=True)
        data.column_dimensions[cell.column_letter].width = max(12, min(40, len(str(cell.value)) + 2))
    data.freeze_panes = "A2"
    _append_table(book.create_sheet(GUIDE_SHEET), guide(labels, units), (42, 18, 42, 90))
    if units is not None and not units.empty:
        listing = book.create_sheet(UNITS_SHEET)
        listing.append([_units_title(units)])
        listing["A1"].font = Font(bold=True)
        _append_table(listing, units_sheet(units), (16, 28, 12, 28))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def units_described(units: pd.DataFrame) -> Message:
    """`units` (`units_for_year`) in words: `25 xã, phường sau sắp xếp (từ 1/7/2025)` / `the 25 current communes and
    wards (from 1 July 2025)`, or the former set's `64 … (đến 30/6/2025)`."""
    current = bool(units["district_name"].isna().all())
    day = pd.Timestamp(units["in_force_from" if current else "in_force_to"].iloc[0]).date()
    if current:
        return msg("ingest.unit_set.current", count=len(units), since=day)
    return msg("ingest.unit_set.former", count=len(units), until=day)


def _units_title(units: pd.DataFrame) -> str:
    """The units sheet's title, in both languages."""
    message = units_described(units)
    return f"{message.text('vi')} / {message.text('en')}"


def reference_units(year: int | None, db: Path | None = None) -> pd.DataFrame:
    """`units_for_year` from the warehouse `db` when it exists, else from the reference data alone (an in-memory
    warehouse with the schema and reference data)."""
    if db is not None and db.exists():
        con = connect_readonly(absolute(db))
    else:
        con = duckdb.connect()
        create_schema(con)
        load_reference(con)
    try:
        return units_for_year(con, year)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.template", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT.xlsx")
    parser.add_argument("--year", type=int, help="the review year: the template lists the units it is filed in "
                        "(default: the newest unit set)")
    parser.add_argument("--db", type=Path, help="warehouse to read the units from (default: the reference data)")
    args = parser.parse_args(argv)
    units = reference_units(args.year, args.db)
    args.out.write_bytes(template_bytes(units=units))
    print(f"template written to {args.out} ({len(units)} units: {_units_title(units)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def _append_table(sheet: Worksheet, table: pd.DataFrame, widths: tuple[int, ...]) -> None:
    """Append `table` (header row in bold, then its rows) to `sheet`, columns as wide as `widths` (characters)."""
    from openpyxl.styles import Font

    sheet.append(list(table.columns))
    header = sheet.max_row
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    for cell, width in zip(sheet[header], widths, strict=False):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
