"""The dashboard's own annual report workbook (reports/annual.py) is refused by the importer, cleanly.

It is recognised by its marker (`data.ingest.xlsx.REPORT_MARKER`: a hidden defined name and a keyword) as soon as the
package is opened, whatever its sheets hold; either marker alone is enough (a user may have removed one). And were both
removed, its headers still name no column of a review file: no sheet is read as a household list.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.ingest import Context, FileError, read_raw
from data.ingest.xlsx import REPORT_MARKER
from reports.annual import annual_workbook, connection_runner
from tests.ingest.conftest import checksum

EXPECTED = {
    "en": "expected a review file (a list of households); this one is a summary report made by this dashboard, not a "
          "review file: import the household lists the communes sent",
    "vi": "yêu cầu: một tệp kết quả rà soát (danh sách hộ); tệp này là báo cáo tổng hợp do bảng điều khiển này lập "
          "ra, không phải tệp rà soát: hãy nhập danh sách hộ mà các xã gửi lên",
}


@pytest.fixture(scope="module")
def report(demo_template: Path) -> Iterator[Callable[..., bytes]]:
    """`report(year, lang)`: the annual report workbook of the demo warehouse, as written by the dashboard."""
    con = duckdb.connect(str(demo_template), read_only=True)
    cache: dict[tuple[int, str], bytes] = {}

    def get(year: int, lang: str = "vi") -> bytes:
        if (year, lang) not in cache:
            cache[(year, lang)] = annual_workbook(connection_runner(con), year, lang=lang)  # type: ignore[arg-type]
        return cache[(year, lang)]

    yield get
    con.close()


def _without(data: bytes, name: bool = False, keyword: bool = False) -> bytes:
    """The workbook re-saved by openpyxl without its defined-name marker and/or its keyword marker."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    if name:
        del book.defined_names[REPORT_MARKER]
    if keyword:
        book.properties.keywords = None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", None])
def test_the_report_is_refused_and_nothing_is_loaded(lang: str | None, report, tmp_path: Path, demo_db: Path,
                                                     run_ingest) -> None:
    path = tmp_path / "bao_cao_2024.xlsx"
    path.write_bytes(report(2024))
    before = checksum(demo_db)
    code, out, err = run_ingest(path, "--db", demo_db, lang=lang)
    assert code == 1 and "Traceback" not in err
    assert f"  bao_cao_2024.xlsx → {EXPECTED[lang or 'vi']}" in out.splitlines(), out
    assert checksum(demo_db) == before


@pytest.mark.parametrize(("year", "removed"), [(2024, "name"), (2025, "keyword")])
def test_either_marker_alone_is_enough(year: int, removed: str, report, tmp_path: Path, demo_db: Path,
                                       run_ingest) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(_without(report(year), name=removed == "name", keyword=removed == "keyword"))
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert f"  report.xlsx → {EXPECTED['en']}" in out.splitlines(), out


@pytest.mark.parametrize(("year", "lang"), [(2024, "vi"), (2024, "en"), (2025, "vi"), (2021, "vi")])
def test_without_its_markers_no_sheet_reads_as_a_review_file(year: int, lang: str, report,
                                                             warehouse: tuple[duckdb.DuckDBPyConnection, Context]
                                                             ) -> None:
    """The headers, the titles, the notes and the unit names in the first rows name no field of the import layout."""
    _, context = warehouse
    data = _without(report(year, lang), name=True, keyword=True)
    with pytest.raises(FileError) as caught:
        read_raw(data, "report.xlsx", context.mapping)
    assert caught.value.message.key == "ingest.no_header_sheet"
    # and the marker is what refuses it first, before any sheet is looked at
    with pytest.raises(FileError) as caught:
        read_raw(report(year, lang), "report.xlsx", context.mapping)
    assert caught.value.message.key == "ingest.dashboard_report"
