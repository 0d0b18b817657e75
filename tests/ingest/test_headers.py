"""Headers matched by meaning: exact and alias spellings, then similarity above a threshold; ambiguous headers
refused naming both fields; personal-data headers never matched onto a field; every header's reading reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.ingest import check, header_table, normalise
from data.template import indicator_labels
from tests.ingest.conftest import checksum
from tests.ingest.sample_files import EXPECTED, csv_text, sample_table, stored

MAPPING = normalise.header_map(indicator_labels())


def _read(header: str) -> tuple[str | None, str, int | None]:
    headers = normalise.classify_headers([header], MAPPING)
    candidate = headers.fields[0] or (headers.candidates[0] if headers.how[0][0] == "ambiguous" else None)
    return candidate, *headers.how[0]


@pytest.mark.parametrize(("header", "field"), [
    ("tinh trang di hoc tre em", "d_child_schooling"),  # without `của`
    ("Tình trạng đi học trẻ em", "d_child_schooling"),
    ("khẩu nhân số", "members"),  # words reordered
    ("Phụ thuộc người", "d_dependants"),
    ("Tiếp cận thông tin phương tiện", "d_info_devices"),
    ("bình quân thu nhập đầu người", "income_per_capita"),
    ("So nhan khua", "members"),  # one letter typed out of place
    ("Viec lamm", "d_employment"),  # one letter too many
    ("Dn toc", "ethnicity"),  # one letter missing
    ("Nguồn nước sinh hoạtt", "d_water"),
    ("household sise", "members"),
])
def test_variants_beyond_the_aliases_match_by_similarity(header: str, field: str) -> None:
    found, how, score = _read(header)
    assert (found, how) == (field, "similar")
    assert normalise.SIMILAR_THRESHOLD <= score <= 100


def test_the_threshold_from_both_sides() -> None:
    """`Dân tôx` (one wrong letter in seven) is just above the threshold; `thu nhap binh` (a header cut short) and
    `Ma hpp` just below it: they are not read, and named as columns not used."""
    assert _read("Dân tôx") == ("ethnicity", "similar", 86)
    for header in ("thu nhap binh", "Ma hpp", "Ghi chú", "STT"):
        assert _read(header) == (None, "ignored", None)
        assert normalise.similar(normalise.header_key(header), MAPPING).score < normalise.SIMILAR_THRESHOLD
    assert 80 <= normalise.similar("thu nhap binh", MAPPING).score < normalise.SIMILAR_THRESHOLD


def test_a_header_as_close_to_two_fields_is_refused() -> None:
    """`M. xã/phường/thị trấn` is 98 % `ma xa phuong thi tran` (the code) and 95 % `xa phuong thi tran` (the name)."""
    headers = normalise.classify_headers(["Mã hộ", "M. xã/phường/thị trấn"], MAPPING)
    assert headers.fields == ["household_id", None]
    assert headers.how[1] == ("ambiguous", 98)
    assert headers.ambiguous == {"M. xã/phường/thị trấn": ("commune_code", "commune_name")}


@pytest.mark.parametrize("header", ["Họ tên chủ hộ", "Ho va tn", "So CCCDD", "Tên xãa", "Địa chỉ thường trú",
                                    "Ngày sinh", "Số điện thoại liên hệ", "full nme"])
def test_personal_headers_are_never_matched_onto_a_field(header: str) -> None:
    """Some of these resemble a field (`Tên xãa` is 92 % `ten xa`): a personal-looking header is never read."""
    assert _read(header)[:2] == (None, "personal")


def test_an_exact_column_wins_over_a_look_alike() -> None:
    headers = normalise.classify_headers(["Số nhân khẩu", "So nhan khua", "Dân tộc"], MAPPING)
    assert headers.fields == ["members", None, "ethnicity"]
    assert [h for h, _ in headers.how] == ["exact", "duplicate", "exact"]
    assert headers.duplicated == {} and headers.ignored == ["So nhan khua"]


def _variant_file(renames: dict[str, str], extra: dict[str, str] | None = None) -> bytes:
    header, rows = sample_table()
    header = [renames.get(h, h) for h in header]
    for name, value in (extra or {}).items():
        header.append(name)
        for row in rows:
            row.append(value)
    return csv_text(header, rows).encode("utf-8")


RENAMES = {"Tình trạng đi học của trẻ em": "tinh trang di hoc tre em", "Số nhân khẩu": "khẩu nhân số",
           "Dân tộc": "Dân tôx"}


def test_checked_lists_how_every_header_was_read(warehouse) -> None:
    con, ctx = warehouse
    checked = check(_variant_file(RENAMES, {"Họ tên chủ hộ": "Lê Văn Tư", "Ghi chú": ""}), "f.csv", con,
                    context=ctx)
    assert checked.ok, checked.problems
    table = header_table(checked.headers, "en").set_index("header")
    assert len(table) == 22
    assert table.loc["Mã hộ"].tolist() == ["Mã hộ", "exact"]
    assert table.loc["Tên xã"].tolist() == ["Tên xã", "exact"]
    assert table.loc["tinh trang di hoc tre em"].tolist() == ["Tình trạng đi học của trẻ em", "similar 92 %"]
    assert table.loc["khẩu nhân số"].tolist() == ["Số nhân khẩu", "similar 100 %"]
    assert table.loc["Dân tôx"].tolist() == ["Dân tộc", "similar 86 %"]
    assert table.loc["Người phụ thuộc trong hộ gia đình"].tolist() == ["Người phụ thuộc trong hộ gia đình", "exact"]
    assert table.loc["Họ tên chủ hộ"].tolist() == ["", "personal data, not read"]
    assert table.loc["Ghi chú"].tolist() == ["", "not used"]
    assert header_table(checked.headers, "vi").set_index("header").loc["Dân tôx", "how"] == "gần giống 86 %"
    assert [n.text("en") for n in checked.notes][0] == (
        "headers read by similarity (check them): 'Dân tôx' → Dân tộc (86 %); 'khẩu nhân số' → Số nhân khẩu (100 %); "
        "'tinh trang di hoc tre em' → Tình trạng đi học của trẻ em (92 %)")
    assert checked.reviews["members"].tolist() == [4, 5, 3, 6, 2, 4]
    assert checked.reviews["d_child_schooling"].tolist() == [False, False, False, False, True, False]


def test_renamed_headers_load_and_the_command_lists_every_header(tmp_path: Path, demo_db: Path,
                                                                 run_ingest) -> None:
    path = tmp_path / "renamed.csv"
    path.write_bytes(_variant_file(RENAMES))
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert stored(demo_db) == EXPECTED
    lines = out.splitlines()
    start = lines.index("renamed.csv: how the headers were read")
    assert lines[start + 1:start + 4] == ["  'Mã hộ' → Mã hộ (exact)", "  'Tên xã' → Tên xã (exact)",
                                          "  'Huyện' → Huyện (exact)"]
    assert "  'tinh trang di hoc tre em' → Tình trạng đi học của trẻ em (similar 92 %)" in lines
    assert len([line for line in lines[start + 1:] if line.startswith("  '")]) == 20


def test_exact_headers_need_no_list(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    path = tmp_path / "plain.csv"
    path.write_bytes(_variant_file({}))
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0 and "how the headers were read" not in out


def test_an_ambiguous_header_refuses_the_file_naming_both(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    path = tmp_path / "ambiguous.csv"
    header, rows = sample_table()
    header[1] = "M. xã/phường/thị trấn"  # the commune column: a code or a name?
    path.write_text(csv_text(header, rows), encoding="utf-8")
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert "  ambiguous.csv, column 'M. xã/phường/thị trấn' → expected a header with one meaning: this one is as " \
           "close to 'Mã xã' as to 'Tên xã'; rename it to one of them" in out
    assert "  'M. xã/phường/thị trấn' → Mã xã (as close to Mã xã as to Tên xã, not read)" in out
    assert checksum(demo_db) == before


@pytest.mark.parametrize(("header", "field"), [
    ("Thu nhập bình quân hộ (đồng/tháng)", None),  # a household's income: one word from the field, a whole meaning
    ("Thu nhập BQ hộ", None),
    ("Thu nhap binh quan dau nguoi thangg", "income_per_capita"),  # a typo in a per-person header is still read
    ("Thu nhập bìnhh quân đầu người", "income_per_capita"),
])
def test_income_by_similarity_must_say_per_person(header: str, field: str | None) -> None:
    headers = normalise.classify_headers([header], MAPPING)
    assert headers.fields == [field]
    assert headers.how[0][0] == ("ignored" if field is None else "similar")
