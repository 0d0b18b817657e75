"""What the import page does with the files an analyst uploads: check them, then load the loadable ones.

Plain functions over `data.ingest` so the page stays thin and tests reach the logic without a browser. Files are
checked on a cursor of the app's read-only connection to the newest warehouse version (`queries.runner.reading`),
and `Checks.version` records which version that was. `load_checked` writes a new version under the warehouse's write
lock (`data.warehouse.writing`): viewers keep reading the current version meanwhile and move to the new one on their
next query. Validation and loading see the same warehouse: if the version changed since the check the analyst read
(another import, the command line, a rebuild), nothing is loaded and the outcome says `changed`, so the page checks
again and shows the new report; if another writer keeps the lock, the page waits, then says `busy`.

Two uploads with the same bytes (the same file twice, perhaps under another name) are one file: the first is checked
and may be loaded, the second is reported as a duplicate of the first and never loaded (`Upload.duplicate_of`).
Everything the page shows that comes from a file (its name, its headers, its values) goes through `literal`, so a
header `**x**`, `<img src=x>` or `[a](javascript:…)` is shown as typed, never as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from data import ingest
from data.access import require_write
from data.ingest.limits import Limits
from data.ingest.load import rejected_csv
from data.template import template_bytes, units_described, units_for_year
from data.warehouse import NothingWritten, Version, WarehouseBusy, current_version, new_version, write_lock
from i18n import Lang
from queries.runner import reading


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the page reports it: checked, or a duplicate (same bytes) of an earlier upload."""

    name: str
    checked: ingest.Checked | None  # None for a duplicate: not checked again, never loaded
    duplicate_of: str | None = None  # the name of the earlier upload with the same bytes


@dataclass(frozen=True)
class Checks:
    """The uploads as checked, and the warehouse version every one of them was checked against."""

    uploads: list[Upload]
    version: Version


def check_files(files: Sequence[tuple[str, bytes]], year: int | None) -> Checks:
    """Each (file name, bytes) read and validated against the newest warehouse version, on one cursor.

    Returns one `Upload` per file, in upload order, and the version; a file whose bytes (SHA-256) equal an earlier
    one's is not checked again and names that one in `duplicate_of`. Nothing is written.
    """
    first: dict[str, str] = {}  # SHA-256 → the name of the first upload with those bytes
    out: list[Upload] = []
    with reading() as (cursor, version):
        for name, data in files:
            digest = hashlib.sha256(data).hexdigest()
            if digest in first:
                out.append(Upload(name, None, first[digest]))
                continue
            first[digest] = name
            out.append(Upload(name, ingest.check(data, name, cursor, year)))
    return Checks(out, version)


def loadable(checks: Checks, accept_valid: bool) -> list[ingest.Checked]:
    """The checked files that can be loaded: no problem of the whole file, and no problem at all unless
    `accept_valid`; duplicates never (their first copy stands for them)."""
    return [u.checked for u in checks.uploads
            if u.checked is not None and not u.checked.fatal and (u.checked.ok or accept_valid)]


@dataclass(frozen=True)
class Loaded:
    """What pressing "load" did: `loaded` (one result per file), or nothing at all because the warehouse `changed`
    since the check the analyst read, or because another writer kept it `busy` past the wait."""

    status: Literal["loaded", "changed", "busy"]
    results: list[ingest.ImportResult] = field(default_factory=list)
    version: Version | None = None  # the version the load made (`loaded`): differs from the check's by these files only


def load_checked(checks: Checks, accept_valid: bool, seen: Version | None = None,
                 on_wait: Callable[[], None] | None = None, wait: float | None = None) -> Loaded:
    """Load the loadable files of `checks` (each in its own transaction, `data.ingest.load`) into one new warehouse
    version, if the warehouse is still the version they were checked against; an exception discards the new version
    whole (the current one is untouched).

    `seen`: the version of the report the analyst read before pressing "load" (the page's previous run), when known;
    it must equal `checks.version` too. The comparison with the current version is made under the write lock, so no
    other writer can change the warehouse between it and the load. `on_wait` is called once if another writer holds
    the lock; `wait` bounds the wait in seconds (default `POVERTY_WRITE_WAIT_S`).

    Raises `data.access.WriteRefused`, before anything is opened for writing, unless this session may write now.
    """
    require_write()
    if seen is not None and seen != checks.version:
        return Loaded("changed")
    try:
        with write_lock(wait=wait, on_wait=on_wait):
            if current_version() != checks.version:
                return Loaded("changed")
            with new_version() as con:
                results = [ingest.load(con, c, accept_valid) for c in loadable(checks, accept_valid)]
                if not any(r.status in ingest.WROTE for r in results):
                    raise NothingWritten  # every file refused or already loaded: the current version stays current
            made = current_version()
    except WarehouseBusy:
        return Loaded("busy")
    return Loaded("loaded", results, made)


@dataclass(frozen=True)
class Template:
    """The blank template for a review year: its XLSX bytes, its file name, and the units it lists in words."""

    data: bytes
    name: str
    units: str


def template_file(year: int | None, lang: Lang) -> Template:
    """The blank template for review year `year`, listing the units that year is filed in (`review_unit_set` in the
    newest warehouse version; the newest unit set when `year` is None), with `units` described in `lang`
    (`25 xã, phường sau sắp xếp (từ 1/7/2025)`)."""
    with reading() as (cursor, _version):
        units = units_for_year(cursor, year)
    name = f"mau_ra_soat_ho_ngheo_{year}.xlsx" if year else "mau_ra_soat_ho_ngheo.xlsx"
    return Template(template_bytes(units=units), name, units_described(units).text(lang))


def units_used(checked: ingest.Checked, lang: Lang) -> list[str]:
    """Which unit set each review year of a checked file was read in, one line each in `lang`
    (`năm 2025 — đơn vị hành chính: 25 xã, phường sau sắp xếp (từ 1/7/2025)`)."""
    return [message.text(lang) for message in checked.units_used]


def rejected_file(checked: ingest.Checked, lang: Lang) -> tuple[bytes, str]:
    """The rejected rows with their reasons as CSV bytes (text neutralised, `data.cells`) and the file's name."""
    return rejected_csv(checked, lang), f"{checked.name.rsplit('.', 1)[0]}.rejected.csv"


def problem_table(checked: ingest.Checked, lang: Lang) -> pd.DataFrame:
    """The report of one file in `lang` (`data.ingest.report`), without the `file` column when it only repeats the
    file's name (shown above the table): on a phone the row, column, value and expectation then fit the width."""
    table = ingest.report(checked.problems, lang)
    if (table["file"] == checked.name).all():
        table = table.drop(columns="file")
    return table


def offers_rejected_rows(checked: ingest.Checked) -> bool:
    """Whether the page offers the rejected rows for download: only rows refused one by one (a file refused as a
    whole has no rows to give back)."""
    return not checked.fatal and not checked.rejected.empty


def upload_limit_mb() -> int:
    """The importer's file limit in MB (`POVERTY_IMPORT_MAX_FILE_MB`, `data.ingest.limits`), for the upload box."""
    return Limits.from_env().file_mb


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_JOIN = "\u2060"  # WORD JOINER: invisible, and not a letter to the patterns below
# where Streamlit's emoji and icon codes (`:smile:`, `:material/x:`, `:red[…]`) and GitHub's autolinks (`http://`,
# `a@b.vn`, `www.`) would start: a colon before a word character or `/`, an `@` after one, `www` before its dot.
_AUTOLINK = re.compile(r"(?<=:)(?=[\w/+-])|(?<=\w)(?=@)|(?<=\bwww)(?=\.)", re.IGNORECASE)


def literal(text: str) -> str:
    """`text` for a Streamlit element that renders Markdown (`st.caption`, `st.subheader`, `st.success` …), shown
    exactly as written.

    Every ASCII punctuation character is backslash-escaped (CommonMark), so no emphasis, link, heading, HTML tag,
    LaTeX (`$`) or colour directive (`:red[…]`) forms. Streamlit also turns `:smile:` into a picture and GitHub
    Markdown turns `http://…`, `www.…` and `a@b.vn` into links after parsing, escapes or not: an invisible word
    joiner where such a pattern would start (`:` before a letter or `/`, `@` after one, `www` before its dot)
    breaks it; prose (`tệp.csv: đã nạp`) gets none. Line breaks stay line breaks.
    """
    joined = _AUTOLINK.sub(_JOIN, text)
    return _PUNCTUATION.sub(r"\\\1", joined).replace("\n", "  \n")
