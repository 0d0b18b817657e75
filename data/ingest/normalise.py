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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from data.ingest import text
from data.ingest.messages import Message, OneOf, msg

# --- folding -------------------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[^a-z0-9]+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NUMBERING = re.compile(r"^\d+ ")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z]{2,})")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")


def fold(value: object) -> str:
    """`Xã Vĩnh Trạch Đông` → `xa vinh trach dong`: no diacritics, lower case, single spaces, no punctuation."""
    s = unicodedata.normalize("NFD", str(value)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return _PUNCT.sub(" ", s).strip()


def header_key(header: object) -> str:
    """The key a header is matched by: folded, without notes in brackets or a leading `1.` numbering.

    A header typed in TCVN3 or VNI (`M· hé`, `Maõ hoä`) is converted first when it carries that encoding's tell-tale
    (`text.repair`), so it matches like its Unicode spelling.
    """
    return _NUMBERING.sub("", fold(_PAREN.sub(" ", text.repair(str(header)))))


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


# Personal-data headers as people write them, for similarity: a header closer to one of these than to any field (or
# similar to one at all) is personal and never read, whatever field it also resembles.
PERSONAL_HEADERS = ["ho ten", "ho va ten", "ho ten chu ho", "ho va ten chu ho", "ten chu ho", "chu ho", "so cccd",
                    "so cmnd", "can cuoc cong dan", "chung minh nhan dan", "so dinh danh", "so giay to", "dia chi",
                    "noi o", "so dien thoai", "dien thoai", "ngay sinh", "nam sinh", "gioi tinh", "ma so thue",
                    "so tai khoan", "full name", "address", "phone number", "date of birth"]
# Similarity of a header to a known one: the larger of rapidfuzz's `ratio` (typos: one letter in ten costs ≈ 10
# points) and `token_sort_ratio` (the same words in another order scores 100), on the folded keys, 0–100.
SIMILAR_THRESHOLD = 85  # at least this similar to be read as that field: one wrong letter in a 7-letter header passes
SIMILAR_MARGIN = 4  # two fields within this many points of each other: the header is ambiguous and refused
SIMILAR_MIN_LENGTH = 5  # keys shorter than this (`nam`, `xa`) are matched exactly or not at all


class HeaderMap(dict[str, str]):
    """Folded header → field, knowing which keys are the canonical headers (the template's and the official labels)."""

    def __init__(self, items: dict[str, str], canonical: Iterable[str]) -> None:
        super().__init__(items)
        self.canonical = frozenset(canonical)
        self.similar_cache: dict[str, Similar] = {}


def header_map(indicator_labels: pd.DataFrame | None = None) -> HeaderMap:
    """Folded header → field (`household_id`, …, `d_employment`, …), from the aliases and the indicator labels."""
    out: dict[str, str] = {}
    canonical = {header_key(h) for h in CANONICAL_HEADERS.values()}
    for name, aliases in FIELD_ALIASES.items():
        for alias in [name, *aliases]:
            out[header_key(alias)] = name
    for indicator, aliases in INDICATOR_ALIASES.items():
        for alias in [indicator, f"d_{indicator}", *aliases]:
            out[header_key(alias)] = f"d_{indicator}"
    if indicator_labels is not None:
        for row in indicator_labels.itertuples(index=False):
            for label in (row.label_vi, row.label_en):
                out[header_key(label)] = f"d_{row.indicator}"
                canonical.add(header_key(label))
    return HeaderMap(out, canonical)


@dataclass(frozen=True)
class Similar:
    """The closest field to a header when similar enough (else None, with the best score found), how close (0–100),
    the runner-up field when about as close, or personal data."""

    field: str | None
    score: int
    other: str | None = None  # a second field within SIMILAR_MARGIN: ambiguous
    personal: bool = False


def _similarity(key: str, choices: list[str]) -> list[float]:
    ratio = process.cdist([key], choices, scorer=fuzz.ratio)[0]
    ordered = process.cdist([key], choices, scorer=fuzz.token_sort_ratio)[0]
    return [max(a, b) for a, b in zip(ratio, ordered, strict=True)]


def similar(key: str, mapping: dict[str, str]) -> Similar:
    """The field a folded header `key` resembles most (see SIMILAR_THRESHOLD and SIMILAR_MARGIN).

    `field` is None when nothing is similar enough; `other` is set when two fields are about as similar (the header
    is then refused); `personal` when the header resembles a personal-data header at least as much as any field.
    """
    cache = getattr(mapping, "similar_cache", None)
    if cache is not None and key in cache:
        return cache[key]
    result = Similar(None, 0)
    if len(key) >= SIMILAR_MIN_LENGTH:
        choices = list(mapping)
        best: dict[str, float] = {}
        for choice, score in zip(choices, _similarity(key, choices), strict=True):
            name = mapping[choice]
            best[name] = max(best.get(name, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        personal = max(_similarity(key, PERSONAL_HEADERS))
        top, score = ranked[0] if ranked else (None, 0.0)
        if personal >= SIMILAR_THRESHOLD or (personal >= score and score >= SIMILAR_THRESHOLD):
            result = Similar(None, round(personal), personal=True)
        elif score >= SIMILAR_THRESHOLD:
            runner = ranked[1] if len(ranked) > 1 else (None, 0.0)
            other = runner[0] if score - runner[1] < SIMILAR_MARGIN else None
            result = Similar(top, round(score), other)
        else:
            result = Similar(None, round(score))  # the best score, too low: for the record
    if cache is not None:
        cache[key] = result
    return result


# How a header was read: `exact` (the template's or official header), `alias` (a known spelling), `similar` (by
# similarity, with its score), `personal` (personal data: never read), `ignored` (not a field), `duplicate` (a field
# an earlier column already gives), `ambiguous` (as similar to two fields: refused), `empty` (no header).
HOW = ("exact", "alias", "similar", "personal", "ignored", "duplicate", "ambiguous", "empty")


@dataclass(frozen=True)
class Headers:
    """How a file's header row maps onto fields: `fields[i]` is the field of column i (or None).

    `how[i]` says how column i was read (one of HOW) and its similarity score (`similar`/`ambiguous`, else None);
    `ambiguous` maps a written header to the two fields it is as similar to.
    """

    written: list[str]
    fields: list[str | None]
    personal: list[str]
    ignored: list[str]
    duplicated: dict[str, list[str]]
    how: list[tuple[str, int | None]] = field(default_factory=list)
    ambiguous: dict[str, tuple[str, str]] = field(default_factory=dict)
    candidates: list[str | None] = field(default_factory=list)  # the field each column was read as, or resembles

    def column_of(self, name: str) -> str:
        """The header as written in the file for field `name`."""
        return self.written[self.fields.index(name)]

    def has(self, name: str) -> bool:
        return name in self.fields


# A header read only by similarity as the income per person must say "per person": `Thu nhập bình quân hộ` (a
# household's income) differs from `Thu nhập bình quân đầu người` by one word, which is its whole meaning.
_PER_PERSON = re.compile(r"\b(nguoi|nhan khau|per capita|capita|per person)\b")


def _read_header(header: str, mapping: dict[str, str]) -> tuple[str | None, str, int | None, str | None]:
    """(field, how, score, second field when ambiguous) for one written header."""
    key = header_key(header)
    if not key:
        return None, "empty", None, None
    name = mapping.get(key)
    if name is not None:
        return name, "exact" if key in getattr(mapping, "canonical", ()) else "alias", None, None
    if PERSONAL_PATTERNS.search(key):
        return None, "personal", None, None
    found = similar(key, mapping)
    if found.personal:
        return None, "personal", found.score, None
    if found.field is None:
        return None, "ignored", None, None
    if found.other is not None:
        return found.field, "ambiguous", found.score, found.other
    if found.field == "income_per_capita" and not _PER_PERSON.search(fold(header)):
        return None, "ignored", None, None  # `Thu nhập bình quân hộ`: a household's income, not one person's
    return found.field, "similar", found.score, None


def spelling(header: object, mapping: dict[str, str]) -> str:
    """A header as it reads: converted from TCVN3 or VNI when that spelling is a known header (`M· hé`, `HuyÖn`),
    NFC and trimmed (`text.clean`)."""
    spellings = text.header_spellings("" if header is None else str(header))
    known = [s for s in spellings if header_key(s) in mapping]
    return text.clean(known[0] if known else spellings[0])


def classify_headers(written: Iterable[object], mapping: dict[str, str]) -> Headers:
    """Map each header to a field: exactly, by a known alias, or by similarity (`similar`); set aside personal-data
    and unknown columns (by name only) and refuse headers as similar to two fields (`Headers.ambiguous`).

    A column whose field an earlier column already gives is a duplicate: when both were read exactly or by alias the
    clash is reported (`duplicated`); a column read only by similarity never displaces or clashes with an exact one.
    """
    written = [spelling(h, mapping) for h in written]
    read = [_read_header(h, mapping) for h in written]
    fields: list[str | None] = []
    how: list[tuple[str, int | None]] = []
    personal: list[str] = []
    ignored: list[str] = []
    ambiguous: dict[str, tuple[str, str]] = {}
    seen: dict[str, list[str]] = {}
    exact = {f for f, kind, _, _ in read if kind in ("exact", "alias")}
    for header, (name, kind, score, other) in zip(written, read, strict=True):
        if kind == "ambiguous":
            ambiguous[header] = (name, other)
            name = None
        elif kind == "similar" and name in exact:
            kind, name = "duplicate", None  # an exact column gives this field; the look-alike is not read
            ignored.append(header)
        elif kind == "personal":
            personal.append(header)
        elif kind == "ignored":
            ignored.append(header)
        if name is not None:
            seen.setdefault(name, []).append(header)
            if len(seen[name]) > 1:
                kind, name = "duplicate", None  # the first column for a field wins; the clash is reported
        fields.append(name)
        how.append((kind, score))
    duplicated = {f: hs for f, hs in seen.items() if len(hs) > 1}
    candidates = [r[0] for r in read]
    return Headers(written, fields, personal, ignored, duplicated, how, ambiguous, candidates)


# --- values --------------------------------------------------------------------------------------------------------

TRUE_MARKS = {"x", "1", "co", "thieu hut", "bi thieu hut", "true", "yes", "y", "v", "c", "dung", "1 0"}
FALSE_MARKS = {"", "0", "khong", "k", "ko", "khong thieu hut", "false", "no", "n", "0 0", "sai"}
# Ticks as symbols, compared before folding: ✓ ✔ √ ☑ ☒ 🗹 ✅, and the letters the Wingdings fonts draw as ticks —
# `ü` (✓) and `þ` (☑) — and as a box with a cross, `ý` (☒): a box crossed through is a box marked, as `x` is.
TICKS = frozenset("✓✔√☑☒🗹✅üÜþÞýÝ")
# Empty boxes read as "no": ☐ □ ❏ ❑, and `o` / `¨`, which Wingdings draws as an empty box (`o` is how a box
# typed in Wingdings reads when the font is lost). A cross alone (✗ ✘ or Wingdings `û`) is *not* read: on Vietnamese
# forms a cross means "marked", elsewhere "no", so it is reported rather than guessed.
EMPTY_BOXES = frozenset("☐□❏❑o¨")
MARKS_EXPECTED = msg("ingest.marks")


def fold_series(values: pd.Series) -> pd.Series:
    """`fold` over a column, computed once per distinct value."""
    uniques = pd.unique(values.to_numpy(dtype=object))
    return values.map(dict(zip(uniques, (fold(u) for u in uniques), strict=True)))


def parse_marks(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/no marks → (bool values, mask of unrecognised): `x`, `1`, `có`, `thiếu hụt`, a tick (TICKS) are yes;
    empty, `0`, `không`, an empty box (EMPTY_BOXES) are no; anything else (`?`, `-`, `✗`) is unrecognised."""
    written = values.astype(str).str.strip()
    folded = fold_series(values)
    tick, box = written.isin(TICKS), written.str.lower().isin(EMPTY_BOXES)
    true = folded.isin(TRUE_MARKS) | tick
    punctuation_only = (folded == "") & (written != "") & ~box  # "?", "-": not a mark
    bad = ~true & ~box & (~folded.isin(FALSE_MARKS) | punctuation_only)
    return true.astype(bool), bad


# Plausible monthly income per person, VND. The poverty lines (domain.md §2) run from 700,000 (rural, 2016–2020,
# Decision 59/2015) to 2,800,000 (urban, 2026–2030, Decree 351/2025); the average-living-standard ceilings reach
# 3,000,000. Below INCOME_MIN — one fourteenth of the lowest line ever in force — a figure is almost surely written
# in thousand đồng (1.400 for 1,400,000) or is a household total divided wrongly; above INCOME_MAX — seventy times
# the highest line — it is a household's yearly income or a typo with extra zeros. Both are flagged on the row,
# never stored.
INCOME_MIN = 50_000
INCOME_MAX = 200_000_000
# A whole file whose median is above INCOME_MEDIAN_MAX — five times the highest average-living-standard ceiling, and
# about three times Bạc Liêu's average income per person (≈ 4.5 million a month in 2022, GSO) — holds yearly or
# household figures under a header without a unit: every row passes the row bounds, yet the file is refused rather
# than stored twelve times too rich. Checked from INCOME_MEDIAN_ROWS households up (a smaller file says too little).
INCOME_MEDIAN_MAX = 15_000_000
INCOME_MEDIAN_ROWS = 5

# Multipliers written after a number: `1,4 triệu`, `1.4tr`, `1400 nghìn`, `1400 ngàn`, `1400k`.
_MULTIPLIERS = {"triệu": 1_000_000, "trieu": 1_000_000, "tr": 1_000_000, "nghìn": 1_000, "nghin": 1_000,
                "ngàn": 1_000, "ngan": 1_000, "k": 1_000}
_CURRENCY = r"(?:vnđ|vnd|đồng|dong|đ|d|₫)"
_NUMBER = re.compile(rf"(?P<sign>-?)₫?(?P<n>[0-9.,]+)(?P<mult>{'|'.join(sorted(_MULTIPLIERS, key=len, reverse=True))})?"
                     rf"{_CURRENCY}?(?:/(?:tháng|thang|người|nguoi|ng))*")
_GAPS = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_INTEGER = re.compile(r"(?a)\d+")
_GROUPED = re.compile(r"(?a)\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
_GROUPED_DECIMAL = re.compile(r"(?a)\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*(?P<point>[.,])\d+")
_DECIMAL = re.compile(r"\d+[.,]\d+")


def parse_amount(written: object) -> tuple[float, bool] | None:
    """One number as people write it → (value, whether a multiplier word was written), or None if not a number.

    `1.400.000`, `1,400,000`, `1 400 000`, `1400000.0` (Excel), `1.400.000,00` (Vietnamese regional settings),
    `1,400,000.00`, `1.400.000 ₫`, `1.400.000 đồng`, `1,4 triệu`, `1.4tr`, `1400 nghìn`, `1400k` all give 1400000.
    Dots or commas in groups of three are thousands separators; a different last separator is the decimal point;
    any other single dot or comma is a decimal point. A single separator before exactly three digits is a thousands
    separator (`1.400` is one thousand four hundred, `1.400 nghìn` 1,400,000) except before `triệu`, where
    `1.400 triệu` is 1.4 million (1,400 million đồng a month per person is no income anyone writes).
    """
    s = _GAPS.sub("", unicodedata.normalize("NFC", str(written))).lower()
    match = _NUMBER.fullmatch(s)
    if match is None:
        return None
    digits, mult = match.group("n"), match.group("mult")
    if _INTEGER.fullmatch(digits):
        value = float(digits)
    elif (m := _GROUPED_DECIMAL.fullmatch(digits)) and m.group("sep") != m.group("point"):
        value = float(digits.replace(m.group("sep"), "").replace(",", "."))
    elif _GROUPED.fullmatch(digits) and not (_MULTIPLIERS.get(mult) == 1_000_000 and digits.count(digits[-4]) == 1):
        value = float(digits.replace(".", "").replace(",", ""))
    elif _DECIMAL.fullmatch(digits):
        value = float(digits.replace(",", "."))
    else:
        return None
    factor = _MULTIPLIERS[mult] if mult else 1
    return (-value if match.group("sign") else value) * factor, mult is not None


# Numbers as Excel cells give them (`1400000`, `1400000.5`), read without the Python parser; never `1.400`, where the
# dot may group thousands.
_PLAIN_NUMBER = r"-?[0-9]+(?:\.(?:[0-9]{1,2}|[0-9]{4,}))?"


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """`parse_amount` over a column → (float values, mask of not-a-number, mask of values written with a multiplier
    word such as `triệu` or `nghìn`). Plain numbers (`1400000`, `1400000.0`) are read in one vectorised step; the
    others once per distinct value."""
    written = values.astype(str)
    plain = written.str.fullmatch(_PLAIN_NUMBER).fillna(False).astype(bool).to_numpy()
    numbers = np.full(len(written), np.nan)
    bad = np.zeros(len(written), dtype=bool)
    scaled = np.zeros(len(written), dtype=bool)
    numbers[plain] = pd.to_numeric(written[plain]).to_numpy(dtype=float)
    if not plain.all():
        others = written[~plain]
        codes, uniques = pd.factorize(others)
        parsed = [parse_amount(u) for u in uniques]
        numbers[~plain] = np.array([np.nan if p is None else p[0] for p in parsed], dtype=float)[codes]
        bad[~plain] = np.array([p is None for p in parsed], dtype=bool)[codes]
        scaled[~plain] = np.array([p is not None and p[1] for p in parsed], dtype=bool)[codes]
    index = values.index
    return pd.Series(numbers, index=index), pd.Series(bad, index=index), pd.Series(scaled, index=index)


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as Vietnamese write them (see `parse_amount`) → (float values, mask of not-a-number)."""
    numbers, bad, _ = parse_amounts(values)
    return numbers, bad


# A unit stated in the income header: `(nghìn đồng/tháng)`, `ngàn đồng`, `1000đ`, `1.000 đồng`, `triệu đồng`.
_HEADER_UNITS = [(re.compile(r"\btrieu\b|\btr d(ong)?\b"), 1_000_000),
                 (re.compile(r"\b(nghin|ngan)\b|\b1 ?000 ?(d|dong|vnd)\b|\bthousand\b|\bk ?(vnd|d|dong)\b"), 1_000)]


def income_unit(header: str) -> int:
    """The factor a unit written in the income header asks for: 1,000 for thousand đồng, 1,000,000 for million
    đồng, 1 when the header states none (or plain đồng)."""
    folded = fold(text.repair(header))
    for pattern, factor in _HEADER_UNITS:
        if pattern.search(folded):
            return factor
    return 1


_PER_YEAR = re.compile(r"(?<!viet )\bnam\b(?! ?\d{4})|\b(per year|a year|annual|yearly)\b")
_PER_MONTH = re.compile(r"\b(thang|month|monthly)\b")


def income_period(header: str) -> int:
    """12 when the income header says the figure is per year (`đồng/năm`, `thu nhập năm`, `annual`) and not per
    month; else 1. The standard's income is per person per month (Decree 07/2021), so a yearly figure is divided."""
    folded = fold(text.repair(header))
    return 12 if _PER_YEAR.search(folded) and not _PER_MONTH.search(folded) else 1


# Household codes: Latin letters, Vietnamese ones included (read in upper case: `ht26-003` is `HT26-003`), digits
# and - _ . / only; a code with anything else (a space, a comma, a formula sign, a Cyrillic or Greek look-alike of a
# Latin letter) is a row problem naming the character. Full-width forms (`ＨＴ26`) were made ASCII at read time
# (`text.clean`). `31813.0` (a number cell) is read as `31813`.
HOUSEHOLD_CODE_PUNCTUATION = "-_./"
_WHOLE_FLOAT = re.compile(r"(?a)(\d+)\.0+")


def household_code(written: str) -> tuple[str, str | None]:
    """(the code normalised, the first character not allowed in a code or None); the input is already `clean`."""
    whole = _WHOLE_FLOAT.fullmatch(written)
    code = whole.group(1) if whole else written
    for ch in code:
        if not (_latin_letter(ch) or ch in "0123456789" or ch in HOUSEHOLD_CODE_PUNCTUATION):
            return code, ch
    return code.upper(), None


@lru_cache(maxsize=512)
def _latin_letter(ch: str) -> bool:
    """A letter of the Latin script, Vietnamese ones included (`Đ`, `Ộ`); not a Cyrillic or Greek look-alike."""
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


_PLAIN_CODE = r"[A-Za-z0-9_./-]*"


def household_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`household_code` over a column → (codes, the first character not allowed, or <NA>). ASCII codes of allowed
    characters only — nearly all — skip the Python loop."""
    written = values.astype(str)
    plain = written.str.fullmatch(_PLAIN_CODE).fillna(False).astype(bool).to_numpy()
    codes = written.str.replace(r"^([0-9]+)\.0+$", r"\1", regex=True).str.upper().to_numpy(dtype=object)
    bad = np.full(len(written), None, dtype=object)
    if not plain.all():
        numbers, uniques = pd.factorize(written[~plain])
        read = [household_code(u) for u in uniques]
        codes[~plain] = np.array([code for code, _ in read], dtype=object)[numbers]
        bad[~plain] = np.array([ch for _, ch in read], dtype=object)[numbers]
    return pd.Series(codes, index=values.index, dtype=values.dtype), pd.Series(bad, index=values.index, dtype=object)


def describe_char(ch: str) -> str:
    """`' '` → `' ' (U+0020 SPACE)`: a character as a person can find it in a cell."""
    name = unicodedata.name(ch, "")
    shown = ch if ch.isprintable() and not ch.isspace() and not unicodedata.combining(ch) else ""
    return f"'{shown}' (U+{ord(ch):04X}{' ' + name if name else ''})" if shown else f"U+{ord(ch):04X} {name}".strip()


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


def _place_key(value: object, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """`P.01` → (`phường`, `1`); `TT Ngan Dừa` → (`thị trấn`, `ngan dua`); `Vĩnh Trạch` → (None, `vinh trach`)."""
    s = _LEADING_ZEROS.sub("", _LETTER_DIGIT.sub(" ", fold(value)))
    for prefix in sorted(prefixes, key=len, reverse=True):
        if s.startswith(prefix + " "):
            return prefixes[prefix], s[len(prefix) + 1:].strip()
    return None, s


@dataclass(frozen=True)
class Match:
    code: str | None
    problem: Message | None  # None when `code` is set
    candidates: tuple[str, ...] = ()  # the codes an ambiguous name stands for (`ingest.commune_ambiguous`)
    former: str | None = None  # read in the current set through a former unit (`places.Places`): that former unit


class Gazetteer:
    """Resolves commune codes and names (with an optional district) against the units of ONE unit set.

    `units`: rows of the warehouse's `units` (or `data.units.former_units()` / `current_units()`) of a single
    `unit_set` — a code means different units in the two sets (31834: Xã Vĩnh Trạch, then Phường Vĩnh Trạch), so a
    gazetteer of both would read codes wrong; it raises `ValueError` when given both. The former set's names repeat
    (Phường 1 in two districts) and are told apart by the district; the current set has no districts, so a district
    written beside a current unit's name is not read.
    """

    def __init__(self, units: pd.DataFrame) -> None:
        sets = sorted(set(units["unit_set"])) if "unit_set" in units else ["former"]
        if len(sets) > 1:
            raise ValueError(f"a gazetteer reads one unit set, not {sets}: pass former_units() or current_units()")
        self.unit_set = sets[0] if sets else "former"
        self.units = units.set_index("commune_code", drop=False)
        self.has_districts = bool(units["district_code"].notna().any())
        self.by_name: dict[str, list[str]] = {}
        self.districts: dict[str, set[str]] = {}
        for unit in units.itertuples(index=False):
            _, short = _place_key(unit.commune_name, _COMMUNE_PREFIXES)
            self.by_name.setdefault(short, []).append(unit.commune_code)
            if pd.isna(unit.district_code):
                continue
            dtype, dshort = _place_key(unit.district_name, _DISTRICT_PREFIXES)
            for key in (unit.district_code, dshort, fold(unit.district_name)):
                self.districts.setdefault(key, set()).add(unit.district_code)

    def label(self, code: str) -> str:
        """`Phường 1 (31825, Thành phố Bạc Liêu)` in the former set, `Phường Bạc Liêu (31825)` in the current one."""
        unit = self.units.loc[code]
        if pd.isna(unit.district_name):
            return f"{unit.commune_name} ({code})"
        return f"{unit.commune_name} ({code}, {unit.district_name})"

    def _unknown_code(self) -> Message:
        if self.has_districts:
            return msg("ingest.commune_code")
        return msg("ingest.commune_code_current", count=len(self.units))

    def _unknown_name(self) -> Message:
        if self.has_districts:
            return msg("ingest.commune_unknown")
        return msg("ingest.commune_unknown_current", count=len(self.units))

    def code(self, value: object) -> Match:
        s = re.sub(r"\.0+$", "", str(value).strip())  # 31834.0 from a numeric spreadsheet cell
        s = s.zfill(5) if s.isdigit() else s
        if s in self.units.index:
            return Match(s, None)
        return Match(None, self._unknown_code())

    def district(self, value: object) -> set[str] | None:
        """District codes a written district stands for (None when unrecognised)."""
        digits = fold(value).replace(" ", "")
        if digits.isdigit():
            return self.districts.get(digits.zfill(3))
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
            return Match(None, self._unknown_name())
        if self.has_districts and str(district).strip():
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
            return Match(None, msg("ingest.commune_ambiguous", options=options), tuple(candidates))
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
