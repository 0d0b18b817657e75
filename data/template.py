"""The blank review template: an XLSX with the expected headers and a sheet explaining each column.

    python -m data.template OUT.xlsx

Headers come from `normalise.layout` (the indicator labels from the `indicators` reference data), so the template,
the export and the importer always agree.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd

from data.ingest import normalise
from data.warehouse import REFERENCE_DIR

DATA_SHEET = "Dữ liệu"
GUIDE_SHEET = "Hướng dẫn"
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


def indicator_labels(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The indicators' labels from the reference data (the same rows the warehouse's `indicators` table holds)."""
    return pd.read_csv(reference_dir / "indicators.csv")


def guide(labels: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per column of the layout: header, required, accepted values, meaning."""
    labels = indicator_labels() if labels is None else labels
    headers = normalise.layout(labels)
    english = dict(zip("d_" + labels["indicator"], labels["label_en"], strict=True))
    rows = []
    for field, header in headers.items():
        if field in _GUIDE:
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


def template_bytes(labels: pd.DataFrame | None = None) -> bytes:
    """The blank template as XLSX bytes (headers on the first sheet, the guide on the second)."""
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
    sheet = book.create_sheet(GUIDE_SHEET)
    table = guide(labels)
    sheet.append(list(table.columns))
    for row in table.itertuples(index=False):
        sheet.append(list(row))
    for cell, width in zip(sheet[1], (42, 18, 42, 90), strict=True):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.template", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT.xlsx")
    args = parser.parse_args(argv)
    args.out.write_bytes(template_bytes())
    print(f"template written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
