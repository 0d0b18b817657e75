"""Normalising review files as people type them: headers, yes/no marks, numbers, ethnicities and commune names.

Everything here is pure (no warehouse, no files) so it can be tested on its own. Matching works on a *folded* form
of the text: Unicode NFC, diacritics removed (`đ` → `d`), lower case, punctuation turned into spaces, spaces
collapsed. Headers and commune names are compared in that form, so `Thu nhập BQ đầu người`, `thu nhap bq dau nguoi`
and `THU  NHẬP BQ ĐẦU NGƯỜI` are the same header, and `P.1`, `Phuong 01` and `Phường 1` the same commune name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from data.ingest.messages import Message, OneOf, msg

# --- folding -------------------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[^a-z0-9]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NUMBERING = re.compile(r"^\d+ ")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{2,})")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")


def fold(text: object) -> str:
    """`Xã Vĩnh Trạch Đông` → `xa vinh trach dong`: no diacritics, lower case, single spaces, no punctuation."""
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return _PUNCT.sub(" ", s).strip()


def header_key(text: object) -> str:
    """The key a header is matched by: folded, without notes in brackets or a leading `1.` numbering."""
    return _NUMBERING.sub("", fold(_PAREN.sub(" ", str(text))))


# --- headers -------------------------------------------------------------------------------------------------------

# Field → header spellings besides the Vietnamese indicator labels (which come from the `indicators` table).
# Written folded; `header_key` of any variant a commune types must land on one of these.
FIELD_ALIASES: dict[str, list[str]] = {
    "household_id": ["ma ho", "ma ho gia dinh", "ma so ho", "ma hgd", "ma so hgd", "ma ho ngheo", "id ho",
                     "household id", "household code", "household"],
    "commune_code": ["ma xa", "ma xa phuong", "ma phuong xa", "ma xa phuong thi tran", "ma don vi", "ma dvhc",
                     "commune code"],
    "commune_name": ["ten xa", "xa", "xa phuong", "phuong xa", "xa phuong thi tran", "ten xa phuong",
                     "ten xa phuong thi tran", "ten don vi", "don vi", "commune", "commune name"],
    "district": ["huyen", "ten huyen", "ma huyen", "quan huyen", "huyen thi xa thanh pho", "huyen thi xa",
                 "huyen thi thanh pho", "district", "district name", "district code"],
    "ethnicity": ["dan toc", "dan toc chu ho", "dan toc cua chu ho", "ethnicity"],
    "year": ["nam", "nam ra soat", "nam danh gia", "year", "review year"],
    "members": ["so nhan khau", "nhan khau", "so khau", "so thanh vien", "so nguoi", "so nguoi trong ho",
                "quy mo ho", "members", "household size"],
    "income_per_capita": ["thu nhap binh quan dau nguoi", "thu nhap binh quan", "thu nhap bq", "thu nhap bq dau nguoi",
                          "thu nhap binh quan nguoi thang", "tnbq", "thu nhap", "income", "income per capita"],
    "social_protection": ["ho btxh", "btxh", "ho bao tro xa hoi", "bao tro xa hoi", "doi tuong btxh",
                          "thuoc doi tuong btxh", "social protection", "social protection beneficiary"],
}
# Short forms communes use for the indicators, beside the official labels.
INDICATOR_ALIASES: dict[str, list[str]] = {
    "employment": ["viec lam"],
    "dependants": ["nguoi phu thuoc", "nguoi phu thuoc trong ho", "ty le nguoi phu thuoc"],
    "nutrition": ["dinh duong"],
    "health_insurance": ["bao hiem y te", "bhyt"],
    "adult_education": ["giao duc nguoi lon", "trinh do giao duc nguoi lon", "giao duc cua nguoi lon"],
    "child_schooling": ["tinh trang di hoc cua tre em", "di hoc cua tre em", "tre em di hoc", "di hoc tre em"],
    "housing_quality": ["chat luong nha o", "nha o"],
    "floor_area": ["dien tich nha o", "dien tich nha o binh quan", "dien tich nha o binh quan dau nguoi",
                   "dien tich nha o binh quan nguoi"],
    "water": ["nguon nuoc sinh hoat", "nuoc sinh hoat"],
    "latrine": ["nha tieu hop ve sinh", "nha tieu", "nha ve sinh", "ho xi hop ve sinh"],
    "telecom": ["su dung dich vu vien thong", "dich vu vien thong", "vien thong"],
    "info_devices": ["phuong tien phuc vu tiep can thong tin", "phuong tien tiep can thong tin",
                     "tiep can thong tin"],
}
# Headers of columns that carry personal data: never read, never stored, never echoed (only the header is named).
PERSONAL_PATTERNS = re.compile(
    r"\b(ho ten|ho va ten|ten chu ho|chu ho|ten|cccd|cmnd|cmt|can cuoc|chung minh|dinh danh|so giay to|"
    r"dia chi|noi o|cho o|ap|khom|thon|to dan pho|dien thoai|sdt|so dt|dt|phone|mobile|email|"
    r"ngay sinh|nam sinh|gioi tinh|name|address|id card|national id|so the|ma so thue|tai khoan)\b"
)


def header_map(indicator_labels: pd.DataFrame | None = None) -> dict[str, str]:
    """Folded header → field (`household_id`, …, `d_employment`, …), from the aliases and the indicator labels."""
    out: dict[str, str] = {}
    for field, aliases in FIELD_ALIASES.items():
        for alias in [field, *aliases]:
            out[header_key(alias)] = field
    for indicator, aliases in INDICATOR_ALIASES.items():
        for alias in [indicator, f"d_{indicator}", *aliases]:
            out[header_key(alias)] = f"d_{indicator}"
    if indicator_labels is not None:
        for row in indicator_labels.itertuples(index=False):
            for label in (row.label_vi, row.label_en):
                out[header_key(label)] = f"d_{row.indicator}"
    return out


@dataclass(frozen=True)
class Headers:
    """How a file's header row maps onto fields: `fields[i]` is the field of column i (or None)."""

    written: list[str]
    fields: list[str | None]
    personal: list[str]
    ignored: list[str]
    duplicated: dict[str, list[str]]

    def column_of(self, field: str) -> str:
        """The header as written in the file for `field`."""
        return self.written[self.fields.index(field)]

    def has(self, field: str) -> bool:
        return field in self.fields


def classify_headers(written: Iterable[object], mapping: dict[str, str]) -> Headers:
    """Map each header to a field; set aside personal-data and unknown columns (by name only)."""
    written = ["" if h is None else str(h).strip() for h in written]
    fields: list[str | None] = []
    personal: list[str] = []
    ignored: list[str] = []
    seen: dict[str, list[str]] = {}
    for header in written:
        key = header_key(header)
        field = mapping.get(key)
        if field is None and key:
            (personal if PERSONAL_PATTERNS.search(key) else ignored).append(header)
        if field is not None:
            seen.setdefault(field, []).append(header)
            if len(seen[field]) > 1:
                field = None  # the first column for a field wins; the clash is reported
        fields.append(field)
    duplicated = {f: hs for f, hs in seen.items() if len(hs) > 1}
    return Headers(written, fields, personal, [h for h in ignored if h], duplicated)


def header_score(row: Iterable[object], mapping: dict[str, str]) -> int:
    """How many distinct fields a candidate header row names (to find the header below title rows)."""
    return len({mapping[k] for k in (header_key(c) for c in row if c is not None) if k in mapping})


# --- values --------------------------------------------------------------------------------------------------------

TRUE_MARKS = {"x", "1", "co", "thieu hut", "bi thieu hut", "true", "yes", "y", "v", "c", "dung", "1 0"}
FALSE_MARKS = {"", "0", "khong", "k", "ko", "khong thieu hut", "false", "no", "n", "0 0", "sai"}
MARKS_EXPECTED = msg("ingest.marks")


def fold_series(values: pd.Series) -> pd.Series:
    """`fold` over a column, computed once per distinct value."""
    uniques = pd.unique(values.to_numpy(dtype=object))
    return values.map(dict(zip(uniques, (fold(u) for u in uniques), strict=True)))


def parse_marks(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no marks → (bool values, mask of unrecognised)."""
    folded = fold_series(values)
    true = folded.isin(TRUE_MARKS)
    punctuation_only = (folded == "") & (values.astype(str).str.strip() != "")  # "?", "-": not a mark
    bad = ~true & (~folded.isin(FALSE_MARKS) | punctuation_only)
    return true.astype(bool), bad


_GROUPED = r"-?\d{1,3}(?:[.,]\d{3})+"
_DECIMAL = r"-?\d+[.,]\d+"
_INTEGER = r"-?\d+"
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|dong|đ|d)$")


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as Vietnamese write them → (float values, mask of not-a-number).

    `1.450.000`, `1,450,000`, `1 450 000`, `1450000`, `1450000.0` (Excel), `1.450.000 đ` all give 1450000.
    Dots or commas in groups of three are thousands separators; any other single dot or comma is a decimal point.
    """
    s = values.astype(str).str.replace(r"[\s\u00a0]", "", regex=True).str.lower()
    s = s.str.replace(_CURRENCY, "", regex=True)
    grouped = s.str.fullmatch(_GROUPED)
    decimal = s.str.fullmatch(_DECIMAL) & ~grouped
    integer = s.str.fullmatch(_INTEGER)
    clean = s.where(~grouped, s.str.replace(r"[.,]", "", regex=True))
    clean = clean.where(~decimal, s.str.replace(",", ".", regex=False))
    ok = grouped | decimal | integer
    numbers = pd.to_numeric(clean.where(ok, None), errors="coerce")
    return numbers.astype(float), ~ok | numbers.isna()


ETHNIC_GROUPS_FILE = Path(__file__).resolve().parents[1] / "reference" / "ethnic_groups.csv"
ETHNICITY_LABELS = {"kinh": "Kinh", "khmer": "Khmer", "hoa": "Hoa", "other": "Khác"}
ETHNICITY_EXPECTED = msg("ingest.ethnicity")


@lru_cache(maxsize=1)
def _ethnic_groups() -> dict[str, str]:
    """Folded name → warehouse group, from the official list of Vietnam's 54 groups (reference/ethnic_groups.csv).

    Names are matched with and without spaces and hyphens (`Khơ-me`, `Kho me`, `Khome`), so a typo such as `Kihn`
    is reported rather than silently counted as an ethnic minority.
    """
    table = pd.read_csv(ETHNIC_GROUPS_FILE, dtype=str)
    groups: dict[str, str] = {}
    for name, group in zip(table["name"], table["group"], strict=True):
        key = fold(name)
        groups[key] = group
        groups[key.replace(" ", "")] = group
    return groups


def parse_ethnicity(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ethnicity names → (`kinh`/`khmer`/`hoa`/`other`, mask of unrecognised: empty or not an ethnic group)."""
    folded = fold_series(values).str.removeprefix("dan toc ").str.removeprefix("nguoi ").str.strip()
    groups = _ethnic_groups()
    out = folded.map(groups)
    out = out.where(out.notna(), folded.str.replace(" ", "", regex=False).map(groups))
    return out, out.isna()


# --- places --------------------------------------------------------------------------------------------------------

_COMMUNE_PREFIXES = {"phuong": "phường", "p": "phường", "f": "phường", "ward": "phường",
                     "thi tran": "thị trấn", "tt": "thị trấn", "xa": "xã", "x": "xã", "commune": "xã"}
_DISTRICT_PREFIXES = {"thanh pho": "Thành phố", "tp": "Thành phố", "thi xa": "Thị xã", "tx": "Thị xã",
                      "huyen": "Huyện", "h": "Huyện", "quan": "Quận", "q": "Quận"}


def _place_key(text: object, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """`P.01` → (`phường`, `1`); `TT Ngan Dừa` → (`thị trấn`, `ngan dua`); `Vĩnh Trạch` → (None, `vinh trach`)."""
    s = _LEADING_ZEROS.sub("", _LETTER_DIGIT.sub(" ", fold(text)))
    for prefix in sorted(prefixes, key=len, reverse=True):
        if s.startswith(prefix + " "):
            return prefixes[prefix], s[len(prefix) + 1:].strip()
    return None, s


@dataclass(frozen=True)
class Match:
    code: str | None
    problem: Message | None  # None when `code` is set


class Gazetteer:
    """Resolves commune codes and names (with an optional district) against the warehouse's `units`."""

    def __init__(self, units: pd.DataFrame) -> None:
        self.units = units.set_index("commune_code", drop=False)
        self.by_name: dict[str, list[str]] = {}
        self.districts: dict[str, set[str]] = {}
        for unit in units.itertuples(index=False):
            _, short = _place_key(unit.commune_name, _COMMUNE_PREFIXES)
            self.by_name.setdefault(short, []).append(unit.commune_code)
            dtype, dshort = _place_key(unit.district_name, _DISTRICT_PREFIXES)
            for key in (unit.district_code, dshort, fold(unit.district_name)):
                self.districts.setdefault(key, set()).add(unit.district_code)

    def label(self, code: str) -> str:
        unit = self.units.loc[code]
        return f"{unit.commune_name} ({code}, {unit.district_name})"

    def code(self, value: object) -> Match:
        s = re.sub(r"\.0+$", "", str(value).strip())  # 31834.0 from a numeric spreadsheet cell
        s = s.zfill(5) if s.isdigit() else s
        if s in self.units.index:
            return Match(s, None)
        return Match(None, msg("ingest.commune_code"))

    def district(self, value: object) -> set[str] | None:
        """District codes a written district stands for (None when unrecognised)."""
        text = fold(value).replace(" ", "")
        if text.isdigit():
            return self.districts.get(text.zfill(3))
        _, short = _place_key(value, _DISTRICT_PREFIXES)
        return self.districts.get(short) or self.districts.get(fold(value))

    def name(self, value: object, district: object = "") -> Match:
        ctype, short = _place_key(value, _COMMUNE_PREFIXES)
        if not short:
            return Match(None, msg("ingest.commune_name_empty"))
        candidates = self.by_name.get(short, [])
        if ctype is not None:
            typed = [c for c in candidates if self.units.loc[c, "commune_type"] == ctype]
            if candidates and not typed:
                options = ", ".join(self.label(c) for c in candidates)
                return Match(None, msg("ingest.commune_wrong_kind", kind=ctype, options=options))
            candidates = typed
        if not candidates:
            return Match(None, msg("ingest.commune_unknown"))
        if str(district).strip():
            districts = self.district(district)
            if districts is None:
                return Match(None, msg("ingest.district_unknown"))
            inside = [c for c in candidates if self.units.loc[c, "district_code"] in districts]
            if not inside:
                options = ", ".join(self.label(c) for c in candidates)
                return Match(None, msg("ingest.commune_not_in_district", options=options))
            candidates = inside
        if len(candidates) > 1:
            options = OneOf(tuple(self.label(c) for c in candidates))
            return Match(None, msg("ingest.commune_ambiguous", options=options))
        return Match(candidates[0], None)


# --- the layout written by the template and the export ------------------------------------------------------------

# Headers the template and the export write (the importer accepts these and the variants above).
CANONICAL_HEADERS: dict[str, str] = {
    "household_id": "Mã hộ",
    "commune_code": "Mã xã",
    "commune_name": "Tên xã",
    "district": "Huyện",
    "ethnicity": "Dân tộc",
    "year": "Năm",
    "members": "Số nhân khẩu",
    "income_per_capita": "Thu nhập bình quân đầu người (đồng/tháng)",
    "social_protection": "Hộ BTXH",
}


def layout(indicator_labels: pd.DataFrame) -> dict[str, str]:
    """Field → header for the whole import layout, indicators in the standard's order with their official labels."""
    labels = indicator_labels.sort_values("position").drop_duplicates("indicator")
    return {**CANONICAL_HEADERS, **{f"d_{r.indicator}": r.label_vi for r in labels.itertuples(index=False)}}
