"""Text as communes' files hold it, made into Unicode NFC once, at read time.

Three things happen to every header and kept cell before anything matches, parses or is stored:

* **Legacy Vietnamese encodings are converted.** Before Unicode, Vietnamese was typed in 8-bit fonts: TCVN3 (ABC,
  fonts `.VnTime`, `.VnArial`, …: one byte per letter, `có` typed as the bytes of `cã`) and VNI (fonts
  `VNI-Times`, …: a base letter followed by a mark byte, `có` typed as `coù`). Excel stores what the keys sent,
  read through the Windows code page 1252, so the file holds `cã`, `kh«ng`, `X· VÜnh Tr¹ch` while the screen,
  drawing them in `.VnTime`, shows `có`, `không`, `Xã Vĩnh Trạch`. No maintained Python library converts these
  (PyPI has `vniencoder`, for the VNI *typing* method, and `viparse`, a document loader for RAG: neither a
  conversion table), so the two tables are written here, from the standard's lay-out: TCVN 5712:1993 VN3 (the
  lower-case letters and Ă Â Ê Ô Ơ Ư Đ in 0xA1–0xFE; upper-case toned letters were typed with the `…H` fonts, on
  the lower-case codes, and come out lower case) and the VNI-Windows mark bytes.
* **Detection never converts Unicode text.** A cell counts as legacy only when it holds no letter outside Latin-1
  (Unicode Vietnamese always has some: ạ, ơ, ư, đ, …) *and* a tell-tale: for TCVN3 a character of the block
  0xA1–0xBE that no Vietnamese word holds (`«`, `·`, `¹`, `¸`, …); for VNI a vowel followed by a mark byte
  (`où`, `aï`, `eä`, …), which Unicode Vietnamese never writes. A column is converted when its tell-tale cells are
  at least two, or half its non-ASCII values, or the workbook's fonts name that encoding; then its other
  Latin-1-only cells (`cã`, which alone could be Unicode) are converted too, unless the column also holds Unicode
  Vietnamese, when only the tell-tale cells are.
* **Headers** are converted alone (`header_spellings`): a header is read in TCVN3 or VNI when that spelling, and
  not the one as written, is a known header (`HuyÖn` is `Huyện`).
* **NFC and trimming.** macOS and some input methods write decomposed Unicode (NFD: `a` + combining marks); the
  same household code or commune name in NFC and NFD must be one value. Zero-width characters and byte-order
  marks are dropped, non-breaking spaces become spaces, and the ends are trimmed.

CSV files are decoded here too (`decode_csv`): UTF-8 with or without BOM directly; UTF-16/32 by their BOM; bytes
typed in TCVN3 or VNI (read through cp1252) when their tell-tales say so; otherwise `charset-normalizer` guesses,
and a confident Vietnamese-capable encoding (cp1258, UTF-16/32) is converted with a note, anything else refused
naming the encoding found.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from data.ingest.messages import Message, msg

TCVN3, VNI = "tcvn3", "vni"
ENCODING_NAMES = {TCVN3: "TCVN3 (ABC)", VNI: "VNI"}

# --- cleaning -------------------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")


@lru_cache(maxsize=1)
def _ascii_forms() -> dict[int, str]:
    """Full-width ASCII (`１４００`, `ＨＴ`: U+FF01–U+FF5E) and every other script's decimal digits (Arabic-Indic,
    Devanagari …; Unicode category Nd) → their ASCII characters, so numbers and codes read as they look."""
    out = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    for cp in range(0x80, 0x20000):
        ch = chr(cp)
        if cp not in out and unicodedata.category(ch) == "Nd":
            out[cp] = str(unicodedata.decimal(ch))
    return out


def clean(value: object) -> str:
    """NFC, without zero-width characters or BOMs, non-breaking spaces as spaces, full-width forms and other
    scripts' digits as ASCII (`_ascii_forms`), trimmed; `None` → `""`.

    The soft hyphen (U+00AD) is dropped here too: it is invisible in Unicode text (TCVN3 `ư` is handled before this,
    by `repair`, which sees the raw cell).
    """
    if value is None:
        return ""
    s = str(value)
    if s.isascii():
        return s.strip()
    return unicodedata.normalize("NFC", s.translate(_SPACES).translate(_INVISIBLE).translate(_ascii_forms())).strip()


# --- the two legacy tables -----------------------------------------------------------------------------------------

# Tones in TCVN3's byte order, each as its combining mark: huyền, hỏi, ngã, sắc, nặng.
_TONES = "\u0300\u0309\u0303\u0301\u0323"
# TCVN 5712:1993 VN3: each vowel's five toned forms, in the order of _TONES, as the cp1252 characters of their bytes.
_TCVN3_TONED = {
    "a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ", "i": "×ØÜÝÞ",
    "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô", "ư": "õö÷øù", "y": "úûüýþ",
}
_TCVN3_PLAIN = dict(zip("¡¢£¤¥¦§¨©ª«¬\xad®", "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))


@lru_cache(maxsize=1)
def tcvn3_table() -> dict[str, str]:
    """cp1252 character of a TCVN3 byte → its Unicode letter (NFC): 74 entries."""
    table = dict(_TCVN3_PLAIN)
    for vowel, chars in _TCVN3_TONED.items():
        for ch, tone in zip(chars, _TONES, strict=True):
            table[ch] = unicodedata.normalize("NFC", vowel + tone)
    return table


# VNI-Windows: a base letter, then one byte for its marks. Tones in the order sắc, huyền, hỏi, ngã, nặng.
_VNI_TONE_ORDER = "\u0301\u0300\u0309\u0303\u0323"
_VNI_TONE = ("ùøûõï", "ÙØÛÕÏ")  # after a, e, o, u, y, ơ, ư
_VNI_CIRCUMFLEX = ("âáàåãä", "ÂÁÀÅÃÄ")  # after a, e, o: the hat, then the hat with each tone
_VNI_BREVE = ("êéèúüë", "ÊÉÈÚÜË")  # after a: the breve, then the breve with each tone
_VNI_SINGLE = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "î": "ỵ", "Î": "Ỵ",
               **{ch: unicodedata.normalize("NFC", "i" + t) for ch, t in zip("íìæóò", _VNI_TONE_ORDER, strict=True)},
               **{ch: unicodedata.normalize("NFC", "I" + t) for ch, t in zip("ÍÌÆÓÒ", _VNI_TONE_ORDER, strict=True)}}


@lru_cache(maxsize=1)
def vni_table() -> dict[str, str]:
    """VNI sequence (a base and its mark byte, or one character) → Unicode letter (NFC).

    Mark bytes are accepted in either case after either case of base (the base decides the letter's case).
    """
    nfc = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    table = dict(_VNI_SINGLE)
    bases = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}
    for written, letter in [*bases.items(), *((w.upper(), letter.upper()) for w, letter in bases.items())]:
        for marks in _VNI_TONE:
            for ch, tone in zip(marks, _VNI_TONE_ORDER, strict=True):
                table[written + ch] = nfc(letter + tone)
        if letter.lower() in "aeo":
            for marks in _VNI_CIRCUMFLEX:
                for ch, tone in zip(marks, ["", *_VNI_TONE_ORDER], strict=True):
                    table[written + ch] = nfc(letter + "\u0302" + tone)
        if letter.lower() == "a":
            for marks in _VNI_BREVE:
                for ch, tone in zip(marks, ["", *_VNI_TONE_ORDER], strict=True):
                    table[written + ch] = nfc(letter + "\u0306" + tone)
    return table


@lru_cache(maxsize=1)
def _vni_pattern() -> re.Pattern[str]:
    keys = sorted(vni_table(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


def from_tcvn3(text: str) -> str:
    """TCVN3 text (as cp1252 characters) → Unicode NFC: `kh«ng` → `không`, `X· VÜnh Tr¹ch` → `xã Vĩnh Trạch`."""
    return unicodedata.normalize("NFC", text.translate(str.maketrans(tcvn3_table())))


def from_vni(text: str) -> str:
    """VNI text (as cp1252 characters) → Unicode NFC: `khoâng` → `không`, `Xaõ Vónh Traïch` → `Xã Vĩnh Trạch`."""
    table = vni_table()
    return unicodedata.normalize("NFC", _vni_pattern().sub(lambda m: table[m.group(0)], text))


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 (cp1252 characters), as a `.VnTime` user's keys would type it: for tests and tools.

    Upper-case toned letters have no TCVN3 code (they were typed in the `.VnTimeH` font) and come out lower case.
    """
    reverse = {u: c for c, u in tcvn3_table().items()}
    return "".join(reverse.get(ch) or reverse.get(ch.lower(), ch) for ch in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    """Unicode → VNI (cp1252 characters), the marks in the base's case: for tests and tools."""
    reverse: dict[str, str] = {}
    for seq, letter in vni_table().items():
        same_case = len(seq) == 1 or seq[1].isupper() == seq[0].isupper()
        if same_case and (letter not in reverse or len(seq) < len(reverse[letter])):
            reverse[letter] = seq
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# --- detection -----------------------------------------------------------------------------------------------------

_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
# TCVN3 letters in 0xA1–0xBE that no Vietnamese (nor usual Western) word holds: ĂÂÊÔƠƯĐăâêôơưđ, à ả ã á ạ, ằ ẳ ẵ ắ.
_TCVN3_TELLTALE = re.compile("[¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾]")
# A VNI mark byte right after a base vowel: a tone after any vowel, a hat after a/e (and o without a tone mark Unicode
# could hold), a breve after a. Unicode Vietnamese never writes these pairs (`oà`, `oá`, `oã`, `uâ` it does). And
# `ñ` (VNI's đ) opening a word before a vowel: no Vietnamese word has ñ, and TCVN3's ñ (ủ) opens only `ủy`.
_VNI_TELLTALE = re.compile("[aeouyôöAEOUYÔÖ][ùøûõïÙØÛÕÏ]|[aeAE][âáàåãäêéèúüëÂÁÀÅÃÄÊÉÈÚÜË]|[oO][âåäÂÅÄ]"
                           "|(?<![^\\W\\d_])[ñÑ][aeiouôöAEIOUÔÖ]")  # and đ (ñ) opening a word before a vowel


def kind_of(value: str) -> str | None:
    """How one cell's text looks: `None` (ASCII or empty), `unicode` (a letter beyond Latin-1: Unicode Vietnamese),
    `tcvn3` or `vni` (a tell-tale of that encoding), or `latin` (Latin-1 letters only, no tell-tale: `cã`, `Khác`)."""
    if value.isascii():
        return None
    if any(ord(ch) > 0xFF and ch not in _CP1252_EXTRA for ch in value):
        return "unicode"
    if _TCVN3_TELLTALE.search(value):
        return TCVN3
    if _VNI_TELLTALE.search(value):
        return VNI
    return "latin"


def repair(value: str) -> str:
    """One piece of text converted from TCVN3 or VNI when it carries that encoding's tell-tale (headers); else as is."""
    kind = kind_of(value)
    if kind == TCVN3:
        return from_tcvn3(value)
    if kind == VNI:
        return from_vni(value)
    return value


def header_spellings(header: str) -> list[str]:
    """The ways a header may read: as written (converted when it has a tell-tale), then — when it holds Latin-1
    letters only — as TCVN3 and as VNI text. The caller takes the first that is a known header."""
    kind = kind_of(header)
    out = [repair(header)]
    if kind in (TCVN3, VNI, "latin"):
        out += [s for s in (from_tcvn3(header), from_vni(header)) if s not in out]
    return out


@dataclass(frozen=True)
class ColumnEncoding:
    """A column found to be typed in a legacy encoding, and which of its distinct values to convert."""

    encoding: str  # TCVN3 or VNI
    convert: frozenset[str]


def detect_column(values: Iterable[str], hint: frozenset[str] = frozenset()) -> ColumnEncoding | None:
    """Whether a column's distinct raw values are TCVN3 or VNI text (see the module's rules); `hint` holds the
    encodings the workbook's fonts name."""
    kinds: dict[str, list[str]] = {}
    for value in values:
        kind = kind_of(value)
        if kind is not None:
            kinds.setdefault(kind, []).append(value)
    t, v = len(kinds.get(TCVN3, ())), len(kinds.get(VNI, ()))
    if t != v:
        encoding = TCVN3 if t > v else VNI
    elif t and len(hint) == 1:
        encoding = next(iter(hint))  # as many tell-tales of each: the fonts decide
    else:
        return None
    evidence = max(t, v)
    non_ascii = sum(len(vs) for vs in kinds.values())
    if not (encoding in hint or evidence >= 2 or 2 * evidence >= non_ascii):
        return None
    if kinds.get("unicode"):
        convert = kinds.get(encoding, [])
    else:
        convert = [x for k, vs in kinds.items() if k != "unicode" for x in vs]
    return ColumnEncoding(encoding, frozenset(convert))


def normalise_frame(frame: pd.DataFrame, labels: dict[str, str], hint: frozenset[str] = frozenset()
                    ) -> tuple[pd.DataFrame, list[Message]]:
    """Every cell of `frame` (text columns) converted from a legacy encoding where its column is one, then `clean`ed.

    `labels` names each column as the file writes it (for the note). Returns the new frame and one note per legacy
    encoding converted, naming the columns. Work is per distinct value, so a province file costs little.
    """
    converted: dict[str, list[str]] = {}
    out = {}
    for column in frame.columns:
        series = frame[column].fillna("").astype(str)
        plain = series.str.isascii()
        if plain.all():  # the usual column: codes, numbers, x marks — trimmed without a Python loop
            out[column] = series.str.strip()
            continue
        codes, uniques = pd.factorize(series)
        found = detect_column(uniques, hint)
        if found is not None:
            convert = from_tcvn3 if found.encoding == TCVN3 else from_vni
            cleaned = [clean(convert(u) if u in found.convert else u) for u in uniques]
            converted.setdefault(found.encoding, []).append(labels.get(column, str(column)))
        else:
            cleaned = [clean(u) for u in uniques]
        out[column] = pd.Series(np.asarray(cleaned, dtype=object)[codes], index=series.index, dtype=series.dtype)
    result = pd.DataFrame(out, index=frame.index) if len(frame.columns) else frame
    result.attrs.update(frame.attrs)
    notes = [msg("ingest.note_legacy", encoding=ENCODING_NAMES[e], columns=", ".join(cols))
             for e, cols in converted.items()]
    return result, notes


# --- workbook fonts ------------------------------------------------------------------------------------------------

STYLES_LIMIT = 4 * 1024 * 1024  # bytes of the styles part read at most (it is a few KB in real workbooks)
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


SYMBOL_FONTS = ("wingdings", "webdings", "symbol", "zapf dingbats", "marlett")


def has_symbol_font(names: Iterable[str]) -> bool:
    """Whether any font name is a symbol font (Wingdings, Wingdings 2/3, Webdings, Symbol …), in which a letter is
    drawn as a mark: Wingdings 2 `O` is ✗ and `P` is ✓, Wingdings `n` is ■ and `o` is ☐."""
    return any(name.strip().lower().startswith(SYMBOL_FONTS) for name in names)


def font_encodings(names: Iterable[str]) -> frozenset[str]:
    """Legacy encodings named by font names: `.VnTime`, `.VnArialH`, … → TCVN3; `VNI-Times`, `VNI-Helve`, … → VNI."""
    out = set()
    for name in names:
        lowered = name.strip().lower()
        if lowered.startswith(".vn") or lowered.startswith("vn3") or lowered.startswith("abc "):
            out.add(TCVN3)
        elif lowered.startswith("vni-") or lowered.startswith("vni "):
            out.add(VNI)
    return frozenset(out)


def workbook_fonts(data: bytes) -> list[str]:
    """Font names declared in an .xlsx workbook's styles part (a small read of that one part); `[]` if none.

    Only the part whose name ends in `styles.xml` is read, at most STYLES_LIMIT bytes of it; anything unreadable gives
    `[]` (the workbook reader reports a broken file on its own).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            parts = [n for n in book.namelist() if n.lower().endswith("styles.xml")]
            if not parts:
                return []
            with book.open(sorted(parts, key=len)[0]) as stream:
                raw = stream.read(STYLES_LIMIT + 1)
        if len(raw) > STYLES_LIMIT:
            return []
        root = ElementTree.fromstring(raw)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError, RuntimeError,
            NotImplementedError, EOFError):
        return []
    names = []
    for font in root.iter():
        if font.tag.endswith("}font") or font.tag == "font":
            for child in font:
                if child.tag.endswith("}name") or child.tag == "name":
                    names.append(child.get("val", ""))
    return names


# --- CSV decoding ---------------------------------------------------------------------------------------------------

# Encodings that can hold Vietnamese: a CSV in one of these is converted (with a note); any other is refused.
VIETNAMESE_ENCODINGS = frozenset({"cp1258", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"})
DETECT_SAMPLE = 256 * 1024  # bytes charset-normalizer looks at


@dataclass(frozen=True)
class Decoded:
    """A CSV's bytes as UTF-8 (no BOM) and the notes about its encoding (none for UTF-8)."""

    data: bytes
    notes: tuple[Message, ...] = ()


def _legacy_text(data: bytes) -> tuple[str, str] | None:
    """(text read through cp1252, TCVN3 or VNI) when the bytes' tell-tales say they were typed in a legacy font."""
    text = data.decode("cp1252", errors="replace")
    counts = {TCVN3: 0, VNI: 0, "unicode": 0, "latin": 0}
    for token in set(re.split(r"[\s,;\t\"']+", text[:DETECT_SAMPLE])):
        kind = kind_of(token)
        if kind is not None:
            counts[kind] += 1
    encoding = TCVN3 if counts[TCVN3] >= counts[VNI] else VNI
    evidence = counts[encoding]
    if evidence >= 2 and 4 * evidence >= counts["latin"] + counts[TCVN3] + counts[VNI]:
        return text, encoding
    return None


def decode_csv(data: bytes) -> Decoded:
    """A CSV's bytes as UTF-8 (`Decoded`), or `EncodingRefused` naming the encoding found.

    UTF-8 (with or without BOM) passes unchanged; UTF-16/32 with a BOM are decoded; bytes typed in TCVN3 or VNI
    (their tell-tales in the text read through cp1252) are converted whole; otherwise charset-normalizer's best
    guess is used when it can hold Vietnamese (cp1258, UTF-16/32 without BOM) and refused when it cannot. Every
    conversion comes with a note naming the encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for bom, name in ((codecs.BOM_UTF32_LE, "utf_32"), (codecs.BOM_UTF32_BE, "utf_32"),
                      (codecs.BOM_UTF16_LE, "utf_16"), (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            return _convert(data, name)
    try:
        data.decode("utf-8")
        return Decoded(data)
    except UnicodeDecodeError as exc:
        _refuse_broken_utf8(data, exc.start)
    legacy = _legacy_text(data)
    if legacy is not None:  # a CSV has no fonts: all its text was typed in the one legacy encoding
        text, encoding = legacy
        converted = from_tcvn3(text) if encoding == TCVN3 else from_vni(text)
        return Decoded(converted.encode("utf-8"), (msg("ingest.note_encoding", encoding=ENCODING_NAMES[encoding]),))
    from charset_normalizer import from_bytes

    best = from_bytes(data[:DETECT_SAMPLE]).best()
    name = codecs.lookup(best.encoding).name.replace("-", "_") if best is not None else None
    if name is None:
        raise EncodingRefused(msg("ingest.encoding_unknown"))
    if name not in VIETNAMESE_ENCODINGS:
        raise EncodingRefused(msg("ingest.encoding_refused", encoding=_label(name)))
    return _convert(data, name)


_STRAY = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as `surrogateescape` decodes it
_BEYOND_ASCII = re.compile("[^\x00-\x7f]")
BROKEN_UTF8_SHARE = 0.1  # at most this many invalid bytes per valid multi-byte character: UTF-8 with a few strays


def _refuse_broken_utf8(data: bytes, first: int) -> None:
    """Raise `EncodingRefused` naming the line of the first invalid byte (`first`, a byte offset) when `data` is
    UTF-8 with a few stray bytes (a cell pasted from cp1252): valid multi-byte characters present and invalid bytes
    at most `BROKEN_UTF8_SHARE` of them. Guessing an encoding for the whole file would turn its Unicode text into
    mojibake. Text in a legacy encoding (TCVN3, VNI, cp1258) read as UTF-8 is mostly invalid and returns."""
    text = data[:DETECT_SAMPLE].decode("utf-8", errors="surrogateescape")
    invalid = len(_STRAY.findall(text))
    valid = len(_BEYOND_ASCII.findall(text)) - invalid
    if valid == 0 or invalid > BROKEN_UTF8_SHARE * valid:
        return
    before = data[:first]
    line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1  # CR, LF or CRLF endings
    raise EncodingRefused(msg("ingest.utf8_broken", line=line, byte=f"0x{data[first]:02X}"))


class EncodingRefused(ValueError):
    """A CSV whose encoding cannot hold Vietnamese (or cannot be told): its `message` names what was found."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


def _label(name: str) -> str:
    return name.replace("_", "-")


def _convert(data: bytes, name: str) -> Decoded:
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, LookupError) as exc:
        raise EncodingRefused(msg("ingest.encoding_broken", encoding=_label(name))) from exc
    text = text.removeprefix("\ufeff")
    return Decoded(text.encode("utf-8"), (msg("ingest.note_encoding", encoding=_label(name)),))
