"""Text read once as Unicode NFC: decomposed files, TCVN3 and VNI typing, CSV encodings, household codes, ticks."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from data.ingest import text
from data.ingest.normalise import fold, parse_marks
from data.units import load_units
from tests.ingest.conftest import checksum
from tests.ingest.sample_files import (
    EXPECTED,
    FORMER_BY_NAME,
    NFD_SAMPLE,
    TCVN3_SAMPLE,
    cp1258,
    csv_text,
    formers_stored,
    sample_table,
    stored,
    write_xlsx,
)

VIETNAMESE = "Xã Vĩnh Trạch Đông, Thành phố Bạc Liêu; Người phụ thuộc trong hộ gia đình — HUYỆN HỒNG DÂN, Ưu tiên"
# Every toned Vietnamese letter: 12 vowels × 6 tones, both cases, and đ/Đ.
VOWELS = "aăâeêioôơuưy"
LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS + VOWELS.upper()
           for t in ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]] + ["đ", "Đ"]


# --- the tables ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("legacy", "unicode"), [
    ("X· VÜnh Tr¹ch", "Xã Vĩnh Trạch"), ("cã", "có"), ("kh«ng", "không"), ("Thµnh phè B¹c Liªu", "Thành phố Bạc Liêu"),
    ("HuyÖn Hång D©n", "Huyện Hồng Dân"), ("Ng\xadêi phô thuéc", "Người phụ thuộc"), ("§«ng H¶i", "Đông Hải"),
    ("thiÕu hôt", "thiếu hụt"), ("Kh¬-me", "Khơ-me"), ("¡n uèng", "Ăn uống"),
])
def test_tcvn3_words(legacy: str, unicode: str) -> None:
    assert text.from_tcvn3(legacy) == unicode
    assert text.kind_of(legacy) in ("tcvn3", "latin")


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Xaõ Vónh Traïch", "Xã Vĩnh Trạch"), ("coù", "có"), ("khoâng", "không"), ("Ngöôøi phuï thuoäc", "Người phụ thuộc"),
    ("Ñoâng Haûi", "Đông Hải"), ("HUYEÄN HOÀNG DAÂN", "HUYỆN HỒNG DÂN"), ("thieáu huït", "thiếu hụt"),
    ("Ñaëng", "Đặng"), ("Khô-me", "Khơ-me"), ("nguyeãn", "nguyễn"), ("Kyø", "Kỳ"), ("Tòch", "Tịch"),
])
def test_vni_words(legacy: str, unicode: str) -> None:
    assert text.from_vni(legacy) == unicode


def test_tcvn3_table_has_every_lower_case_letter_once() -> None:
    table = text.tcvn3_table()
    toned = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in "\u0300\u0309\u0303\u0301\u0323"}
    assert set(table.values()) == toned | set("ăâêôơưđĂÂÊÔƠƯĐ")
    assert len(table) == len(set(table.values())) == 74
    assert all(0xA1 <= ord(code) <= 0xFE for code in table)  # the upper half, as VN3 lays it out


def test_every_letter_survives_a_round_trip() -> None:
    word = "".join(LETTERS)
    assert text.from_vni(text.to_vni(word)) == word
    # TCVN3 has no upper-case toned letters (the `.VnTimeH` font drew the lower-case codes as capitals).
    assert text.from_tcvn3(text.to_tcvn3(word)) == "".join(c if c in "ĂÂÊÔƠƯĐ" or c.isascii() else c.lower()
                                                          for c in word)
    assert all(ord(c) <= 0xFF for c in text.to_vni(word) + text.to_tcvn3(word))


# --- detection -----------------------------------------------------------------------------------------------------

def test_unicode_vietnamese_is_never_converted() -> None:
    """Every commune, district and ethnic group name, the marks and the headers: none looks like legacy text."""
    units = load_units()  # both unit sets: the former 64 (with their districts) and the current 25 (none)
    assert len(units) == 89 and units["district_name"].isna().sum() == 25
    groups = pd.read_csv(Path(__file__).resolve().parents[2] / "data" / "reference" / "ethnic_groups.csv")
    columns = [list(units["commune_name"]), list(units["district_name"].dropna()), list(groups["name"]),
               ["có", "không", "Có", "Không", "thiếu hụt", "x", "Khác", "Hoà Bình", "Tày", "Thái", "hoãn", "khoá",
                "quân", "Quốc", "Chăm"],
               [VIETNAMESE, "Số nhân khẩu", "Thu nhập bình quân đầu người (đồng/tháng)", "Diện tích (m²)"]]
    for values in columns:
        for hint in (frozenset(), frozenset({"tcvn3"}), frozenset({"vni"})):
            assert text.detect_column(values, hint) is None, values
        assert all(text.repair(v) == v for v in values)
    # Latin-1-only Unicode words beside a tell-tale cell are left as they are when the column holds Unicode too.
    found = text.detect_column(["kh«ng", "cã", "có", "Xã Vĩnh Trạch"], frozenset({"tcvn3"}))
    assert found is not None and found.convert == {"kh«ng"}


@pytest.mark.parametrize(("values", "hint", "encoding"), [
    (["cã", "kh«ng", ""], frozenset(), "tcvn3"),  # one tell-tale in two non-ASCII values: half
    (["cã", "kh«ng", "cä"], frozenset(), None),  # one in three, no font: not enough
    (["cã", "kh«ng", "cä"], frozenset({"tcvn3"}), "tcvn3"),  # the same with a `.VnTime` font in the workbook
    (["coù", "khoâng"], frozenset(), "vni"),
    (["cã", "kh«ng", "cã ", "ca", "c·", "cµ"], frozenset(), "tcvn3"),
    (["VÜnh", "Hoµ", "x"], frozenset({"tcvn3"}), "tcvn3"),
    (["ü", "", "ü"], frozenset({"tcvn3"}), None),  # Wingdings ticks in a TCVN3 workbook stay ticks
])
def test_columns_by_their_tell_tales(values, hint, encoding) -> None:
    found = text.detect_column(values, hint)
    assert (found.encoding if found else None) == encoding


def test_clean_is_nfc_and_trimmed() -> None:
    nfd = unicodedata.normalize("NFD", VIETNAMESE)
    assert nfd != VIETNAMESE and text.clean(f"\u00a0 {nfd}\u200b ") == VIETNAMESE
    assert text.clean("\ufeffHT26-001\u202f") == "HT26-001"
    assert text.clean(None) == "" and text.clean("  x ") == "x"


def test_fonts_name_the_encoding(tmp_path: Path) -> None:
    assert text.font_encodings(text.workbook_fonts(TCVN3_SAMPLE.read_bytes())) == {"tcvn3"}
    assert text.font_encodings([".VnArialH", "Calibri"]) == {"tcvn3"}
    assert text.font_encodings(["VNI-Times", "Wingdings"]) == {"vni"}
    assert text.font_encodings(["Times New Roman", "Arial"]) == frozenset()
    assert text.workbook_fonts(b"PK\x03\x04 not a zip") == []


# --- CSV encodings -------------------------------------------------------------------------------------------------

def _decoded(data: bytes) -> tuple[str, list[str]]:
    result = text.decode_csv(data)
    return result.data.decode("utf-8"), [n.text("en") for n in result.notes]


def test_csv_encodings() -> None:
    content = csv_text(*sample_table())
    assert _decoded(content.encode("utf-8")) == (content, [])
    assert _decoded(b"\xef\xbb\xbf" + content.encode("utf-8")) == (content, [])
    for data, name in [(content.encode("utf-16"), "utf-16"), (content.encode("utf-16-le"), "utf-16-le"),
                       (cp1258(content), "cp1258")]:
        decoded, notes = _decoded(data)
        assert unicodedata.normalize("NFC", decoded) == content
        assert notes == [f"the CSV file was in the {name} encoding and was converted to Unicode"]
    for data, name in [(text.to_tcvn3(content).encode("cp1252"), "TCVN3 (ABC)"),
                       (text.to_vni(content).encode("cp1252"), "VNI")]:
        decoded, notes = _decoded(data)
        assert fold(decoded) == fold(content)  # TCVN3 loses the capitals of toned letters: same once folded
        assert notes == [f"the CSV file was in the {name} encoding and was converted to Unicode"]


@pytest.mark.parametrize(("data", "found"), [
    ("Фамилия,Адрес,Телефон\nИванов,Москва,123\nПетров,Казань,456\n".encode("cp1251"), "cp1251"),
    ("氏名,住所\n山田,東京\n田中,大阪\n".encode("shift_jis"), "cp932"),
])
def test_a_csv_in_another_script_is_refused_naming_its_encoding(data: bytes, found: str) -> None:
    with pytest.raises(text.EncodingRefused) as refused:
        text.decode_csv(data)
    assert refused.value.message.text("en") == ("a CSV file in UTF-8 or an encoding that holds Vietnamese; "
                                                f"the CSV file is in the {found} encoding, which cannot hold "
                                                "Vietnamese: save it as 'CSV UTF-8' or as .xlsx")


# --- whole files into a demo warehouse ------------------------------------------------------------------------------

def _nfc_twin(tmp_path: Path, demo_db: Path, run_ingest) -> tuple[list[tuple], dict[str, str | None]]:
    twin_db = tmp_path / "twin.duckdb"
    shutil.copy(demo_db, twin_db)
    twin = tmp_path / "nfc.csv"
    twin.write_text(unicodedata.normalize("NFC", NFD_SAMPLE.read_text(encoding="utf-8-sig")), encoding="utf-8")
    assert run_ingest(twin, "--db", twin_db)[0] == 0
    return stored(twin_db), formers_stored(twin_db)


def test_nfd_sample_loads_like_its_nfc_twin(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    raw = NFD_SAMPLE.read_text(encoding="utf-8-sig")
    assert unicodedata.normalize("NFD", raw) == raw and unicodedata.normalize("NFC", raw) != raw
    twin, twin_formers = _nfc_twin(tmp_path, demo_db, run_ingest)
    code, out, _ = run_ingest(NFD_SAMPLE, "--db", demo_db)
    assert code == 0, out
    assert "rows read 6, loaded 6, rejected 0; households new 6" in out
    assert stored(demo_db) == twin == EXPECTED
    assert formers_stored(demo_db) == twin_formers == FORMER_BY_NAME
    assert stored(demo_db, "SELECT household_id, ethnicity FROM households WHERE household_id LIKE 'HT26-%' "
                           "ORDER BY 1") == [("HT26-001", "kinh"), ("HT26-002", "khmer"), ("HT26-003", "kinh"),
                                             ("HT26-004", "khmer"), ("HT26-005", "hoa"), ("HT26-006", "kinh")]


def test_tcvn3_sample_loads_what_the_screen_shows(demo_db: Path, run_ingest) -> None:
    code, out, _ = run_ingest(TCVN3_SAMPLE, "--db", demo_db)
    assert code == 0, out
    assert "note: TCVN3 (ABC) text was converted to Unicode in columns: Tên xã, Huyện, Việc làm, " in out
    # `X· VÜnh Tr¹ch` on screen reads `Xã Vĩnh Trạch`: the former unit, read as the current one containing it
    assert "note: 2 row(s) name former units (before 1 July 2025); read as the current units that contain them: Xã " \
           "Vĩnh Trạch (31834, Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834)" in out
    assert stored(demo_db) == EXPECTED
    assert formers_stored(demo_db) == FORMER_BY_NAME
    assert stored(demo_db, "SELECT household_id FROM classified_ids WHERE household_id LIKE 'HT26-%' AND d_employment "
                           "ORDER BY 1") == [("HT26-001",), ("HT26-003",)]


def test_vni_workbook_loads_like_unicode(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    header, rows = sample_table()
    marks = [[("có" if v == "x" else "không") if i >= 8 else v for i, v in enumerate(r)] for r in rows]
    path = write_xlsx(tmp_path / "vni.xlsx", header, marks, value_font="VNI-Times", convert=text.to_vni)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert "note: VNI text was converted to Unicode in columns: Tên xã, Huyện, Thu nhập bình quân đầu người " \
           "(đồng/tháng), Việc làm, " in out
    assert stored(demo_db) == EXPECTED


def test_legacy_headers_are_read_too(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """Headers typed in TCVN3 in a workbook: each is read as the known header it spells (`HuyÖn` is `Huyện`)."""
    header, rows = sample_table()
    path = write_xlsx(tmp_path / "tcvn3_all.xlsx", header, rows, value_font=".VnTime", convert=text.to_tcvn3,
                      header_font=".VnTimeH", convert_header=text.to_tcvn3)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert stored(demo_db) == EXPECTED


@pytest.mark.parametrize(("kind", "encode", "note"), [
    ("utf16", lambda s: s.encode("utf-16"), "the CSV file was in the utf-16 encoding"),
    ("cp1258", cp1258, "the CSV file was in the cp1258 encoding"),
    ("tcvn3", lambda s: text.to_tcvn3(s).encode("cp1252"), "the CSV file was in the TCVN3 (ABC) encoding"),
    ("vni", lambda s: text.to_vni(s).encode("cp1252"), "the CSV file was in the VNI encoding"),
])
def test_csv_in_another_vietnamese_encoding_loads(tmp_path: Path, demo_db: Path, run_ingest, kind, encode,
                                                  note) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(encode(csv_text(*sample_table(), delimiter=";")))
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert f"note: {note} and was converted to Unicode" in out
    assert stored(demo_db) == EXPECTED


def test_csv_in_a_refused_encoding_changes_nothing(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes("Ma ho,Примечание\nHT26-001,Иванов Пётр\nHT26-002,Сидоров\n".encode("cp1251"))
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert ("ru.csv → expected a CSV file in UTF-8 or an encoding that holds Vietnamese; the CSV file is in the cp1251 "
            "encoding, which cannot hold Vietnamese") in out
    assert checksum(demo_db) == before


def test_one_code_in_nfc_and_nfd_is_one_household_reported_twice(tmp_path: Path, demo_db: Path,
                                                                 run_ingest) -> None:
    header, rows = sample_table()
    rows[0][0] = "Hộ-Đông-01"
    rows[3][0] = unicodedata.normalize("NFD", "Hộ-Đông-01")
    assert rows[0][0] != rows[3][0]
    path = tmp_path / "codes.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert "codes.csv, row 2, column 'Mã hộ': 'Hộ-Đông-01' → expected each household once per year in a file; it " \
           "is in rows 2, 5" in out
    assert "codes.csv, row 5, column 'Mã hộ': 'Hộ-Đông-01'" in out
    assert checksum(demo_db) == before
    # With --accept-valid the other four load; neither spelling of the doubled code is stored.
    assert run_ingest(path, "--db", demo_db, "--accept-valid")[0] == 1
    assert stored(demo_db, "SELECT count(*) FROM households WHERE household_id IN ($1, $2)",
                  [rows[0][0], rows[3][0]]) == [(0,)]
    assert [r[0] for r in stored(demo_db)] == ["HT26-002", "HT26-003", "HT26-005", "HT26-006"]


@pytest.mark.parametrize(("written", "stored_as", "problem"), [
    ("HT26/001.a_b", "HT26/001.A_B", None),  # read in upper case: ht26-003 and HT26-003 are one household
    ("31813.0", "31813", None),
    ("ＨＴ26-009", "HT26-009", None),  # full-width letters read as ASCII
    ("Hộ-01", "HỘ-01", None),  # a Vietnamese letter is a Latin letter
    ("НТ26-002", None, "'Н' (U+041D CYRILLIC CAPITAL LETTER EN)"),  # a look-alike of a Latin H
    ("HT26 001", None, "U+0020 SPACE"),
    ("=HYPERLINK(1)", None, "'=' (U+003D EQUALS SIGN)"),
    ("HT26,001", None, "',' (U+002C COMMA)"),
    ("HT26\u0301", None, "U+0301 COMBINING ACUTE ACCENT"),  # a mark on a digit has nothing to compose with
])
def test_household_codes_are_latin_letters_digits_and_four_signs(tmp_path: Path, demo_db: Path, run_ingest, written,
                                                           stored_as, problem) -> None:
    header, rows = sample_table()
    rows[1][0] = written
    path = tmp_path / "code.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    code, out, _ = run_ingest(path, "--db", demo_db, "--accept-valid")
    codes = {r[0] for r in stored(demo_db, "SELECT household_id FROM households WHERE household_id IN ($1, $2, $3)",
                                  ["HT26-001", written, stored_as or written])}
    if problem is None:
        assert code == 0, out
        assert stored_as in codes
    else:
        assert code == 1
        assert f"code.csv, row 3, column 'Mã hộ': '{written}' → expected a household code of Latin letters " \
               f"(Vietnamese ones included), digits and - _ . / only; this one holds {problem}" in out
        assert codes == {"HT26-001"}


def test_ticks_and_boxes_as_marks() -> None:
    yes = ["ü", "✓", "✔", "√", "☑", "þ", "☒", "x", "có"]
    no = ["☐", "o", "O", "□", "", "không"]
    unread = ["✗", "û", "?", "-"]
    values, bad = parse_marks(pd.Series(yes + no + unread))
    assert values.tolist() == [True] * len(yes) + [False] * (len(no) + len(unread))
    assert bad.tolist() == [False] * (len(yes) + len(no)) + [True] * len(unread)


def test_ticks_typed_in_wingdings_load_as_deprived(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    header, rows = sample_table()
    ticks = [[("ü" if v == "x" else "") if i >= 7 else v for i, v in enumerate(r)] for r in rows]
    path = write_xlsx(tmp_path / "ticks.xlsx", header, ticks, value_font="Wingdings")
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert stored(demo_db) == EXPECTED


@pytest.mark.parametrize(("letter", "drawn_as"), [("O", "✗ in Wingdings 2"), ("P", "✓ in Wingdings 2"),
                                                   ("n", "■ in Wingdings"), ("o", "☐ in Wingdings")])
def test_a_letter_in_a_symbol_font_workbook_is_refused_never_guessed(tmp_path: Path, demo_db: Path, run_ingest,
                                                                     letter: str, drawn_as: str) -> None:
    """A letter in a mark column of a workbook whose styles name a symbol font may be any mark (`drawn_as`); calamine
    gives no cell's font, so the letter is refused, row and column named, and nothing loads."""
    header, rows = sample_table()
    marked = [[(letter if v == "x" else "") if i >= 7 else v for i, v in enumerate(r)] for r in rows]
    path = write_xlsx(tmp_path / "drawn.xlsx", header, marked, value_font="Wingdings 2")
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert f"'{letter}' → expected x or 1 for yes/deprived, empty for no: the workbook uses a symbol font" in out
    assert checksum(demo_db) == before
