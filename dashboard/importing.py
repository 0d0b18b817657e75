"""What the import page does with the files an analyst uploads: check them, then load the loadable ones.

Plain functions over `data.ingest` so the page stays thin and tests reach the logic without a browser. The app's
cached read-only connection keeps DuckDB from opening the warehouse for writing, so `load_checked` releases it,
writes on its own read-write connection, and clears every cache after.

Two uploads with the same bytes (the same file twice, perhaps under another name) are one file: the first is checked
and may be loaded, the second is reported as a duplicate of the first and never loaded (`Upload.duplicate_of`).
Everything the page shows that comes from a file (its name, its headers, its values) goes through `literal`, so a
header `**x**`, `<img src=x>` or `[a](javascript:…)` is shown as typed, never as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from data import ingest
from data.access import require_write
from data.ingest.limits import Limits
from data.ingest.load import rejected_csv
from data.warehouse import db_path
from i18n import Lang
from queries.runner import clear_caches, connection


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the page reports it: checked, or a duplicate (same bytes) of an earlier upload."""

    name: str
    checked: ingest.Checked | None  # None for a duplicate: not checked again, never loaded
    duplicate_of: str | None = None  # the name of the earlier upload with the same bytes


def check_files(files: Sequence[tuple[str, bytes]], year: int | None) -> list[Upload]:
    """Each (file name, bytes) read and validated against the warehouse on a cursor of the app's connection.

    Returns one `Upload` per file, in upload order; a file whose bytes (SHA-256) equal an earlier one's is not checked
    again and names that one in `duplicate_of`. Nothing is written.
    """
    first: dict[str, str] = {}  # SHA-256 → the name of the first upload with those bytes
    out: list[Upload] = []
    cursor = connection().cursor()
    try:
        for name, data in files:
            digest = hashlib.sha256(data).hexdigest()
            if digest in first:
                out.append(Upload(name, None, first[digest]))
                continue
            first[digest] = name
            out.append(Upload(name, ingest.check(data, name, cursor, year)))
    finally:
        cursor.close()
    return out


def loadable(uploads: Sequence[Upload], accept_valid: bool) -> list[ingest.Checked]:
    """The checked files that can be loaded: no problem of the whole file, and no problem at all unless
    `accept_valid`; duplicates never (their first copy stands for them)."""
    return [u.checked for u in uploads
            if u.checked is not None and not u.checked.fatal and (u.checked.ok or accept_valid)]


def load_checked(checked: Sequence[ingest.Checked], accept_valid: bool) -> list[ingest.ImportResult]:
    """Load each checked file in its own transaction (`data.ingest.load`); return one result per file.

    Raises `data.access.WriteRefused`, before anything is opened for writing, unless this session may write now."""
    require_write()
    connection().close()
    clear_caches()
    con = duckdb.connect(str(db_path()))
    try:
        return [ingest.load(con, c, accept_valid) for c in checked]
    finally:
        con.close()
        clear_caches()


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
