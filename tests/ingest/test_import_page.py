"""The import page (AppTest): text from a file shown as typed, two identical uploads checked and loaded once, and a
bomb reported as a problem of the file without harming the page."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard.importing import literal, offers_rejected_rows, problem_table
from data import ingest
from data.ingest.messages import msg
from data.warehouse import ROOT
from i18n import Translator
from tests.ingest import bombs
from tests.ingest.conftest import LAYOUT, review_rows, write_csv

tr = Translator("vi")
SAMPLE = ROOT / "tests" / "ingest" / "data" / "dup_upload_xa_vinh_trach.csv"
MARKUP = ["**x**", "<img src=x onerror=alert(1)>", "Ghi chú [a](javascript:alert(1))", ":smile: $x^2$ :red[r]",
          "http://example.com www.example.com a@b.vn", "# h1", "`code`"]
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _shown(markdown: str) -> str:
    """What CommonMark shows for text made of escapes only: the escaped characters, without the word joiners."""
    return _ESCAPE.sub(r"\1", markdown).replace("\u2060", "").replace("  \n", "\n")


def _only_escaped(markdown: str) -> bool:
    """Every ASCII punctuation character in `markdown` is backslash-escaped (so none forms Markdown or HTML)."""
    return not re.search(r"[!-/:-@\[-`{-~]", _ESCAPE.sub("", markdown))


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files])
    at.run()
    assert not at.exception, at.exception
    return at


def _reviews(db: Path) -> tuple[int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM imports)").fetchall()[0]
    finally:
        con.close()


@given(st.text())
def test_literal_text_is_all_escapes_and_shows_the_text(text: str) -> None:
    shown = literal(text)
    assert _only_escaped(shown)
    assert _shown(shown) == text


def test_headers_values_and_names_are_shown_as_typed(page: AppTest, tmp_path: Path, empty_db: Path) -> None:
    rows = review_rows(4, prefix="Q", year=2025)
    for row in rows:
        row.update({header: "v" for header in MARKUP})
    name = "**xã** <b>Vĩnh</b> [x](javascript:alert(1)).csv"
    data = write_csv(tmp_path / "q.csv", rows).read_bytes()
    _upload(page, (name, data))
    assert [h.value for h in page.subheader] == [literal(name)]
    notes = [c.value for c in page.caption if any(h in _shown(c.value) for h in MARKUP)]  # personal, ignored …
    assert all(any(h in _shown(note) for note in notes) for h in MARKUP), [c.value for c in page.caption]
    assert all(_only_escaped(note) for note in notes)

    page.button[0].click().run()  # the file has no problem: load it
    assert not page.exception
    [success] = page.success
    assert _only_escaped(success.value.replace("\n\n", ""))
    assert _shown(success.value).startswith(f"{name}: đã nạp — đọc 4 dòng, nạp 4")
    assert _reviews(empty_db) == (4, 1)


def test_two_identical_uploads_name_the_second_a_duplicate_and_load_once(page: AppTest, tmp_path: Path,
                                                                        empty_db: Path) -> None:
    data = write_csv(tmp_path / "xa.csv", review_rows(12, prefix="D", year=2025)).read_bytes()
    _upload(page, ("xa_a.csv", data), ("xa_a (1).csv", data))
    assert [_shown(h.value) for h in page.subheader] == ["xa_a.csv", "xa_a (1).csv"]
    assert [_shown(w.value) for w in page.warning] == [tr("import.duplicate", first="xa_a.csv")]
    assert [c.value for c in page.caption if c.value.startswith("12 dòng")] == ["12 dòng; 0 lỗi"]  # checked once
    [load] = page.button
    assert load.label == tr("import.load", n=1)
    load.click().run()
    assert not page.exception
    assert len(page.success) == 1
    assert _reviews(empty_db) == (12, 1)


def _problem_tables(page: AppTest) -> list:
    """The problem reports shown (the tables of how headers were read have no `expected` column)."""
    return [table for table in page.dataframe if tr("col.expected") in table.value.columns]


def test_the_shared_sample_uploaded_twice_is_reported_without_a_crash(page: AppTest) -> None:
    """The issue's sample as shipped (2025, former units by name), the second copy renamed, with "load the valid
    rows" ticked: the first is reported (its problems, if any, with one download of its rejected rows), the second
    named as its duplicate."""
    page.checkbox[0].check().run()
    data = SAMPLE.read_bytes()
    _upload(page, (SAMPLE.name, data), ("ban_sao.csv", data))
    assert [_shown(h.value) for h in page.subheader] == [SAMPLE.name, "ban_sao.csv"]
    assert _shown(page.warning[0].value) == tr("import.duplicate", first=SAMPLE.name)
    assert not _problem_tables(page)  # the sample is read right (issue 8): no rejected rows to download
    # Xã Vĩnh Trạch, a former unit, read as the current unit containing it: said once for the file, in Vietnamese
    assert ("2 dòng ghi đơn vị cũ (trước 1/7/2025); đã đọc theo đơn vị hiện nay chứa chúng: Xã Vĩnh Trạch (31834, "
            "Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834)") in [_shown(c.value) for c in page.caption]
    assert len(page.get("download_button")) == 1  # the template
    assert [b.label for b in page.button] == [tr("import.load", n=1)]  # never both copies


def test_a_bomb_is_a_problem_of_its_file_and_the_page_goes_on(page: AppTest, tmp_path: Path,
                                                             empty_db: Path) -> None:
    good = write_csv(tmp_path / "xa.csv", review_rows(5, prefix="G", year=2025)).read_bytes()
    _upload(page, ("bom.xlsx", bombs.far_cell()), ("chuoi.xlsx", bombs.unique_count()), ("xa_tot.csv", good))
    report = _problem_tables(page)
    assert len(report) == 2
    expected = [msg("ingest.limit_cells", size=1_048_576 * 16_384, limit=6_000_000).text("vi"),
                msg("ingest.limit_count", part="xl/sharedStrings.xml", size=4_000_000_000,
                    limit=6_000_000).text("vi")]
    assert [list(table.value[tr("col.expected")]) for table in report] == [[text] for text in expected]
    [load] = page.button
    assert load.label == tr("import.load", n=1)  # the good file only
    load.click().run()
    assert not page.exception
    assert _reviews(empty_db) == (5, 1)


def test_the_report_drops_the_file_column_only_when_it_repeats_the_name(warehouse, tmp_path: Path) -> None:
    con, ctx = warehouse
    rows = review_rows(4, prefix="Q", year=2025)
    rows[1][LAYOUT["members"]] = 0
    one = ingest.check(write_csv(tmp_path / "q.csv", rows).read_bytes(), "q.csv", con, context=ctx)
    assert list(problem_table(one, "vi").columns) == ["row", "column", "value", "expected"]
    assert problem_table(one, "vi")["row"].tolist() == [3]
    assert offers_rejected_rows(one)
    refused = ingest.check(b"\x00\x01 not a table", "r.csv", con, context=ctx)
    assert refused.fatal and not offers_rejected_rows(refused)  # a file refused whole has no rows to give back


def test_a_load_after_another_import_changed_the_warehouse_loads_nothing_and_shows_the_new_check(
        page: AppTest, tmp_path: Path, empty_db: Path) -> None:
    """The analyst reads the report, the command line imports meanwhile, then the analyst presses "load": nothing is
    loaded, the page says why and shows the files checked against the new data; pressing "load" again loads."""
    from data.ingest.__main__ import main as ingest

    data = write_csv(tmp_path / "xa.csv", review_rows(12, prefix="V", year=2025)).read_bytes()
    _upload(page, ("xa_v.csv", data))
    assert ingest([str(write_csv(tmp_path / "khac.csv", review_rows(7, prefix="W", year=2025))), "--db",
                   str(empty_db), "--quiet"]) == 0
    page.button[0].click().run()
    assert not page.exception
    assert [i.value for i in page.info] == [tr("import.changed")] and not page.success
    assert [c.value for c in page.caption if c.value.startswith("12 dòng")] == ["12 dòng; 0 lỗi"]  # checked again
    assert _reviews(empty_db) == (7, 1)
    page.button[0].click().run()
    assert not page.exception and not page.info
    assert _shown(page.success[0].value).startswith("xa_v.csv: đã nạp — đọc 12 dòng, nạp 12")
    assert _reviews(empty_db) == (19, 2)
