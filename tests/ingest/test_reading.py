"""Headers, commune names and values as communes type them resolve to the warehouse's fields and codes."""

from __future__ import annotations

import pandas as pd
import pytest

from data.ingest import normalise
from data.template import indicator_labels
from data.units import current_units, former_units, load_units

MAPPING = normalise.header_map(indicator_labels())


@pytest.fixture(scope="module")
def gazetteer() -> normalise.Gazetteer:
    """The former units' gazetteer: the names and districts of reviews up to 2024."""
    return normalise.Gazetteer(former_units())


@pytest.fixture(scope="module")
def current_gazetteer() -> normalise.Gazetteer:
    """The current units' gazetteer: the 25 units reviews are filed under from 2025 on."""
    return normalise.Gazetteer(current_units())


def test_a_gazetteer_reads_one_unit_set() -> None:
    """A code means different units in the two sets (31834): a gazetteer of both would read it wrong."""
    with pytest.raises(ValueError, match="one unit set"):
        normalise.Gazetteer(load_units())


@pytest.mark.parametrize(("header", "field"), [
    ("Mã hộ", "household_id"), ("MA HO", "household_id"), ("  mã   hộ gia đình ", "household_id"),
    ("Mã xã", "commune_code"), ("Tên xã", "commune_name"), ("Xã/Phường/Thị trấn", "commune_name"),
    ("Huyện", "district"), ("Dân tộc chủ hộ", "ethnicity"), ("Dan toc", "ethnicity"),
    ("Số nhân khẩu", "members"), ("so nhan khau", "members"),
    ("Thu nhập bình quân đầu người (đồng/tháng)", "income_per_capita"), ("Thu nhập BQ", "income_per_capita"),
    ("THU NHAP BINH QUAN DAU NGUOI", "income_per_capita"), ("Hộ BTXH", "social_protection"),
    ("Năm", "year"), ("1. Việc làm", "d_employment"), ("BHYT", "d_health_insurance"),
    ("Bảo hiểm y tế", "d_health_insurance"), ("Nhà tiêu hợp vệ sinh", "d_latrine"),
    ("Phương tiện phục vụ tiếp cận thông tin", "d_info_devices"), ("nguon nuoc sinh hoat", "d_water"),
    ("Diện tích nhà ở bình quân đầu người", "d_floor_area"), ("Người phụ thuộc trong hộ gia đình", "d_dependants"),
])
def test_header_variants_resolve(header: str, field: str) -> None:
    assert MAPPING[normalise.header_key(header)] == field


def test_personal_and_unknown_headers_are_set_aside() -> None:
    headers = normalise.classify_headers(
        ["STT", "Họ và tên chủ hộ", "Số CCCD", "Địa chỉ", "Số điện thoại", "Mã hộ", "Ghi chú", "Dân tộc chủ hộ"],
        MAPPING)
    assert headers.personal == ["Họ và tên chủ hộ", "Số CCCD", "Địa chỉ", "Số điện thoại"]
    assert headers.ignored == ["STT", "Ghi chú"]
    assert headers.fields == [None, None, None, None, None, "household_id", None, "ethnicity"]


@pytest.mark.parametrize(("name", "district", "code"), [
    ("Xã Vĩnh Trạch Đông", "", "31837"), ("Xa Vinh Trach Dong", "", "31837"), ("vĩnh trạch đông", "", "31837"),
    ("TT Ngan Dừa", "", "31843"), ("Thị trấn Ngan Dừa", "", "31843"), ("tt. ngan dua", "", "31843"),
    ("P.1", "Giá Rai", "31942"), ("Phường 01", "Thành phố Bạc Liêu", "31825"), ("P1", "TX Giá Rai", "31942"),
    ("Phường 1", "954", "31825"), ("P. Nhà Mát", "", "31831"), ("Xã Phước Long", "", "31876"),
    ("TT Phước Long", "", "31867"), ("  XÃ   AN TRẠCH A ", "", "31988"), ("An Trạch", "Đông Hải", "31987"),
])
def test_commune_name_variants_resolve(gazetteer: normalise.Gazetteer, name: str, district: str, code: str) -> None:
    assert gazetteer.name(name, district) == normalise.Match(code, None)


def test_phuong_1_without_district_is_ambiguous_naming_both(gazetteer: normalise.Gazetteer) -> None:
    match = gazetteer.name("P.1")
    assert match.code is None
    assert match.problem.text("en") == ("one commune, but the name is ambiguous: Phường 1 (31825, Thành phố Bạc Liêu) "
                                        "or Phường 1 (31942, Thị xã Giá Rai); add the district or the code")
    assert match.problem.text("vi") == ("một xã duy nhất, nhưng tên này bị trùng: Phường 1 (31825, Thành phố Bạc Liêu) "
                                        "hoặc Phường 1 (31942, Thị xã Giá Rai); hãy ghi thêm huyện hoặc mã xã")


@pytest.mark.parametrize(("name", "district", "fragment"), [
    ("Xã Không Có", "", "64 communes"),
    ("Xã Nhà Mát", "", "did you mean Phường Nhà Mát"),
    ("Vĩnh Trạch", "Giá Rai", "Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu)"),
    ("P.1", "Huyện Không Có", "a district of Bạc Liêu"),
])
def test_unknown_communes_say_why(gazetteer: normalise.Gazetteer, name: str, district: str, fragment: str) -> None:
    match = gazetteer.name(name, district)
    assert match.code is None and fragment in match.problem.text("en")


def test_commune_codes_accept_numeric_cells(gazetteer: normalise.Gazetteer) -> None:
    assert gazetteer.code("31834").code == "31834"
    assert gazetteer.code("31834.0").code == "31834"
    assert gazetteer.code("99999").code is None


@pytest.mark.parametrize(("name", "district", "code"), [
    ("Phường Bạc Liêu", "", "31825"), ("P. Bạc Liêu", "", "31825"), ("Bạc Liêu", "", "31825"),
    ("Xã Hồng Dân", "", "31843"), ("xa hong dan", "", "31843"), ("Phường Vĩnh Trạch", "", "31834"),
    ("Xã Hòa Bình", "", "31891"), ("Xã Phước Long", "", "31867"), ("Xã Vĩnh Phước", "", "31876"),
    # the current set has no districts: one written beside a current name is not read
    ("Xã Ninh Quới", "Huyện Hồng Dân", "31849"), ("Phường Giá Rai", "Huyện Không Có", "31942"),
])
def test_current_unit_names_resolve_without_a_district(current_gazetteer: normalise.Gazetteer, name: str,
                                                       district: str, code: str) -> None:
    assert current_gazetteer.name(name, district) == normalise.Match(code, None)


def test_current_units_are_labelled_without_a_district(current_gazetteer: normalise.Gazetteer,
                                                       gazetteer: normalise.Gazetteer) -> None:
    assert current_gazetteer.label("31834") == "Phường Vĩnh Trạch (31834)"
    assert gazetteer.label("31834") == "Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu)"
    assert current_gazetteer.code("31846").code is None  # former Xã Ninh Quới: not a current code
    assert current_gazetteer.code("31846").problem.text("en") == (
        "a 5-digit GSO code of one of the 25 current communes and wards (e.g. 31834 for Phường Vĩnh Trạch, 31843 "
        "for Xã Hồng Dân)")
    assert "25 current communes" in current_gazetteer.name("Xã Không Có").problem.text("en")


def test_numbers_as_written() -> None:
    values, bad = normalise.parse_numbers(pd.Series(
        ["1.450.000", "1450000", "1,450,000", "1450000.0", "1 450 000 đ", "1.450.000đ", "-5", "abc", "", "1.2.3"]))
    assert values[:7].tolist() == [1450000.0] * 6 + [-5.0]
    assert bad.tolist() == [False] * 7 + [True] * 3


def test_marks_as_written() -> None:
    values, bad = normalise.parse_marks(pd.Series(["x", "X", "1", "có", "Thiếu hụt", "", "0", "không", "Không", "?"]))
    assert values.tolist() == [True] * 5 + [False] * 5
    assert bad.tolist() == [False] * 9 + [True]


def test_ethnicities() -> None:
    written = ["Kinh", "KHMER", "Khơ-me", "Kho me", "người Hoa", "Chăm", "Ê-đê", "Ede", "dân tộc Tày", "Khác",
               "", "123", "Kihn", "Khmre"]
    values, bad = normalise.parse_ethnicity(pd.Series(written))
    assert values[:10].tolist() == ["kinh", "khmer", "khmer", "khmer", "hoa"] + ["other"] * 5
    assert bad.tolist() == [False] * 10 + [True] * 4  # typos are reported, never counted as a minority
