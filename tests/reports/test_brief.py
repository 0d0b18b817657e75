"""The one-page brief (`python -m reports.brief`), read back with poppler's pdfinfo, pdftotext and pdftoppm.

Every brief is one A4 page whose text holds the place's name (with its diacritics), the year and its poor rate as the
overview shows it — the rate counted here in pandas from the `classified_in` rows, formatted by `Translator.pct` —,
its pace and goal judged as `queries/status.py` judges them, its three main deprivations in the order a pandas count
over the poor households' deprivation columns gives, and its projection from `queries.pace`. Long and hostile names
(markup characters) still give one page, escaped. The command's exit codes and messages follow reports/annual.py.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from i18n import TEXT, Translator
from queries.pace import project
from queries.sql import execute
from queries.status import add_status
from reports import brief
from reports.annual import connection_runner
from reports.brief import BadPlace, NoData, NoReviews, brief_pdf, main

MADE = date(2026, 5, 19)
COMMUNE = "31863"  # Xã Ninh Thạnh Lợi A, Huyện Hồng Dân (former units)
DISTRICT = "960"  # Huyện Đông Hải
CURRENT_UNIT = "31825"  # Phường Bạc Liêu (current units, from 2025)
# Where the headline card lies on the page, in PDF points (A4 = 595 × 842): what pdftotext reads of that box alone.
HEADLINE_BOX = ("-x", "31", "-y", "100", "-W", "176", "-H", "105")
PLACES = {
    "province": {},
    "district": {"district": DISTRICT},
    "commune": {"commune": COMMUNE},
}


def pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def text(pdf: bytes, tmp_path: Path, *box: str) -> str:
    """The PDF's text (of the box `-x … -H …` when given), whitespace collapsed to single spaces."""
    path = tmp_path / "brief_text.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", *box, str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


@pytest.fixture(scope="session")
def made(con: duckdb.DuckDBPyConnection) -> Callable[..., bytes]:
    """`made(year, lang="vi", **place)`: the brief on the demo warehouse, each built once per worker."""
    cache: dict[tuple[object, ...], bytes] = {}

    def get(year: int, lang: str = "vi", **place: str) -> bytes:
        key = (year, lang, tuple(sorted(place.items())))
        if key not in cache:
            cache[key] = brief_pdf(connection_runner(con), year, lang=lang, made=MADE, **place)  # type: ignore[arg-type]
        return cache[key]

    return get


def classified(con: duckdb.DuckDBPyConnection, units: str) -> pd.DataFrame:
    return con.execute("SELECT * FROM classified_in($units)", {"units": units}).df()


def pandas_rate(rows: pd.DataFrame, year: int) -> float:
    """The poor rate (percent) of these households in `year`, counted in pandas."""
    part = rows[rows["year"] == year]
    return 100.0 * float((part["status"] == "poor").sum()) / len(part)


def place_rows(con: duckdb.DuckDBPyConnection, units: str, place: dict[str, str]) -> pd.DataFrame:
    rows = classified(con, units)
    if "district" in place:
        return rows[rows["district_code"] == place["district"]]
    if "commune" in place:
        return rows[rows["commune_code"] == place["commune"]]
    return rows


def place_name(con: duckdb.DuckDBPyConnection, units: str, place: dict[str, str]) -> str:
    units_frame = con.execute("SELECT * FROM units WHERE unit_set = $u", {"u": units}).df()
    if "district" in place:
        return str(units_frame.loc[units_frame["district_code"] == place["district"], "district_name"].iloc[0])
    if "commune" in place:
        return str(units_frame.loc[units_frame["commune_code"] == place["commune"], "commune_name"].iloc[0])
    return "Tỉnh Bạc Liêu"


def progress_row(con: duckdb.DuckDBPyConnection, units: str, place: dict[str, str], year: int) -> pd.Series:
    """The place's judged `poor_rate_progress` row of `year`, as the overview (or the map, for a commune) reads it."""
    level = "commune" if "commune" in place else "total"
    frame = add_status(execute(con, "poor_rate_progress", {
        "units": units, "level": level, "district": [place["district"]] if "district" in place else [],
        "area": "all", "group": "all"}))
    if "commune" in place:
        frame = frame[frame["unit_code"] == place["commune"]]
    return frame[frame["year"] == year].iloc[0]


# --- one page, the place, the year, the rate as the page shows it ---------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", sorted(PLACES))
def test_the_brief_is_one_page_with_the_places_name_year_and_rate_as_the_overview_shows_it(
        kind: str, lang: str, made, con, tmp_path: Path) -> None:
    place = PLACES[kind]
    pdf = made(2024, lang, **place)
    assert pdf.startswith(b"%PDF")
    assert pages(pdf, tmp_path) == 1
    tr = Translator(lang)  # type: ignore[arg-type]
    rate = tr.pct(pandas_rate(place_rows(con, "former", place), 2024))
    name = place_name(con, "former", place)
    whole = text(pdf, tmp_path)
    assert tr("brief.title", unit=name, year=2024) in whole
    # the headline card: the overview's first metric, its label and the rate with 2 decimals in the language's format
    headline = text(pdf, tmp_path, *HEADLINE_BOX)
    assert headline.startswith(f"{tr('overview.poor_rate_year', year=2024)} {rate} ")
    # judged as the overview judges: the pace label and the goal named
    row = progress_row(con, "former", place, 2024)
    assert tr.status(row["status"]) in whole
    assert tr(f"goal.{row['goal_status']}", goal=f"{tr('goal.under', value=tr.pct(1, 0))} (2025)") in whole
    if kind == "commune":
        assert tr("brief.in_district", district="Huyện Hồng Dân") in whole


def test_the_vietnamese_brief_reads_in_correct_vietnamese(made, tmp_path: Path) -> None:
    whole = text(made(2024, "vi", commune=COMMUNE), tmp_path)
    for phrase in ("Tỷ lệ hộ nghèo 2024", "Xã Ninh Thạnh Lợi A – năm 2024", "Thuộc Huyện Hồng Dân",
                   "Tiến độ theo lộ trình", "Mục tiêu cuối kỳ", "Dự báo theo tốc độ hiện tại (từ năm 2024)",
                   "Ba thiếu hụt đóng góp nhiều nhất vào nghèo đa chiều năm 2024", "Lập ngày 19/5/2026",
                   "Dữ liệu minh họa (mô phỏng), không phải số liệu thật"):
        assert phrase in whole, phrase
    english = text(made(2024, "en", commune=COMMUNE), tmp_path)
    assert "Made on 19 May 2026" in english and "Poor rate, 2024" in english


def test_a_current_unit_in_its_own_year(made, con, tmp_path: Path) -> None:
    """2025 is filed in the current units: `--commune` names a current commune or ward by default."""
    pdf = made(2025, "vi", commune=CURRENT_UNIT)
    assert pages(pdf, tmp_path) == 1
    rate = Translator("vi").pct(pandas_rate(place_rows(con, "current", {"commune": CURRENT_UNIT}), 2025))
    assert text(pdf, tmp_path, *HEADLINE_BOX).startswith(f"Tỷ lệ hộ nghèo 2025 {rate} ")
    whole = text(pdf, tmp_path)
    assert "Phường Bạc Liêu – năm 2025" in whole
    assert "Theo đơn vị hành chính hiện nay (25 xã, phường, từ 1/7/2025)." in whole


# --- drivers and pace -------------------------------------------------------------------------------------------------

def pandas_drivers(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """The indicators of the standard in force, with each one's deprivations among the poor households of `rows` in
    `year`, most first (ties in the standard's order): counted in pandas."""
    indicators = con.execute(
        "SELECT i.* FROM indicators AS i JOIN standards AS s USING (standard_id) "
        "WHERE $year BETWEEN s.first_year AND s.last_year ORDER BY i.position", {"year": year}).df()
    poor = rows[(rows["year"] == year) & (rows["status"] == "poor")]
    counts = [int(poor[f"d_{name}"].astype(bool).sum()) for name in indicators["indicator"]]
    out = indicators.assign(deprived=counts, contribution=[100.0 * c / sum(counts) for c in counts])
    return out.sort_values(["deprived", "position"], ascending=[False, True], kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("kind", ["district", "commune"])
def test_the_top_three_drivers_are_pandas_order_with_their_contribution(kind: str, made, con, tmp_path: Path) -> None:
    place = PLACES[kind]
    expected = pandas_drivers(con, place_rows(con, "former", place), 2024).head(3)
    whole = text(made(2024, "vi", **place), tmp_path)
    tr = Translator("vi")
    positions = [whole.index(f"{rank} {label}") for rank, label in enumerate(expected["label_vi"], start=1)]
    assert positions == sorted(positions)
    for value in expected["contribution"]:
        assert tr.pct(value, 1) in whole
    rows = place_rows(con, "former", place)
    poor = rows[(rows["year"] == 2024) & (rows["status"] == "poor")]
    assert tr("brief.intensity", n=tr.num(poor["deprivation_count"].mean(), 1), of="12") in whole


def test_the_pace_to_the_goal_is_the_projection_and_says_so(made, con, tmp_path: Path) -> None:
    place = PLACES["district"]
    frame = add_status(execute(con, "poor_rate_progress", {"units": "former", "level": "total",
                                                          "district": [DISTRICT], "area": "all", "group": "all"}))
    pace = project(frame, 2023).iloc[0]
    whole = text(made(2023, "en", **place), tmp_path)
    tr = Translator("en")
    assert tr("pace.title", year=2023) in whole
    assert f"{tr('pace.col.projected_rate', year=2025)}" in whole
    assert tr.pct(pace["projected_rate"]) in whole
    assert f"{int(pace['households_to_leave_per_year'])} households" in whole
    assert "How the projection is made (it is not review data)" in whole


def test_the_first_review_year_says_why_there_is_no_projection(made, tmp_path: Path) -> None:
    whole = text(made(2021, "vi"), tmp_path)
    assert TEXT["pace.reason.one_review"]["vi"] in whole
    assert TEXT["status.none"]["vi"] in whole


# --- names of any length, escaped ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def renamed(report_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the warehouse where one commune has a very long name with markup characters in it."""
    path = tmp_path_factory.mktemp("renamed") / "demo.duckdb"
    shutil.copy(report_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE units SET commune_name = $name WHERE unit_set = 'former' AND commune_code = $code",
                    {"name": LONG_NAME, "code": COMMUNE})
    return path


LONG_NAME = "Xã <b>Ninh</b> & Thạnh Lợi A " + "Phong Thạnh Tây Vĩnh Hậu Long Điền Đông " * 6


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_longest_name_still_gives_one_page_escaped(lang: str, renamed: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(renamed), read_only=True) as con:
        pdf = brief_pdf(connection_runner(con), 2024, commune=COMMUNE, lang=lang, made=MADE)  # type: ignore[arg-type]
        rate = Translator(lang).pct(pandas_rate(place_rows(con, "former", {"commune": COMMUNE}), 2024))  # type: ignore[arg-type]
    assert pages(pdf, tmp_path) == 1
    whole = text(pdf, tmp_path)
    assert "Xã <b>Ninh</b> & Thạnh Lợi A" in whole  # the markup printed as text, never read as markup
    assert TEXT["brief.title"][lang].format(unit="…", year=2024) in whole  # the title cut short, its year kept
    assert rate in text(pdf, tmp_path, *HEADLINE_BOX)
    assert TEXT["brief.made"][lang].format(date="") in whole  # the footer is still on the page


def test_the_real_longest_commune_name_is_printed_whole(con, tmp_path: Path) -> None:
    longest = con.execute("SELECT commune_code, commune_name FROM units WHERE unit_set = 'former' "
                          "ORDER BY length(commune_name) DESC, commune_code LIMIT 1").fetchone()
    pdf = brief_pdf(connection_runner(con), 2024, commune=longest[0], made=MADE)
    assert pages(pdf, tmp_path) == 1
    assert f"{longest[1]} – năm 2024" in text(pdf, tmp_path)


# --- the map ---------------------------------------------------------------------------------------------------------

def test_the_map_marks_the_place_and_is_said_unavailable_without_boundaries(con, tmp_path: Path, monkeypatch) -> None:
    """With the boundaries (../shared/geo) the commune is filled in the highlight colour on the rendered page; without
    them the brief still renders and says the map is unavailable, as the map page does; with a wrong folder it names
    the file it could not use."""
    from PIL import Image

    def red_pixels(pdf: bytes) -> int:
        path = tmp_path / "map.pdf"
        path.write_bytes(pdf)
        # the map box only (x 131–197 mm, y 76–150 mm at 50 dpi)
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-x", "258", "-y", "150", "-W", "130", "-H", "145",
                        str(path), str(tmp_path / "map")], check=True)
        pixels = np.asarray(Image.open(next(tmp_path.glob("map*.png"))).convert("RGB")).astype(int)
        return int(((pixels[..., 0] > 180) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)).sum())

    run = connection_runner(con)
    if brief.boundaries_dir() is None:
        pytest.fail("the boundary files of ../shared/geo are needed for this test")
    district = brief_pdf(run, 2024, district=DISTRICT, made=MADE)
    province = brief_pdf(run, 2024, made=MADE)
    marked, whole = red_pixels(district), red_pixels(province)
    assert marked > 300 and whole < 30  # the district's communes filled; the province's map has no place marked

    monkeypatch.setattr(brief, "boundaries_dir", lambda: None)
    missing = brief_pdf(run, 2024, commune=COMMUNE, made=MADE)
    assert pages(missing, tmp_path) == 1
    assert TEXT["brief.map_unavailable"]["vi"] in text(missing, tmp_path)
    monkeypatch.undo()

    monkeypatch.setenv("BOUNDARIES_DIR", str(tmp_path))  # configured, but no boundary file there
    broken = brief_pdf(run, 2024, commune=COMMUNE, lang="en", made=MADE)
    assert "Map unavailable: the boundary file baclieu_communes.geojson could not be used." in text(broken, tmp_path)


# --- the library's errors --------------------------------------------------------------------------------------------

def test_the_library_refuses_unknown_places_and_years(con) -> None:
    run = connection_runner(con)
    with pytest.raises(NoReviews):
        brief_pdf(run, 2019)
    with pytest.raises(BadPlace) as caught:
        brief_pdf(run, 2024, commune="99999")
    assert caught.value.text("en") == ("error: there is no commune or ward 99999 in the former units (a former unit: "
                                       "add --units former; a current one: --units current); nothing written.")
    with pytest.raises(BadPlace) as caught:
        brief_pdf(run, 2025, units="current", district=DISTRICT)
    assert caught.value.reason == "no_districts"
    with pytest.raises(NoData):  # a rural commune has no urban households
        brief_pdf(run, 2024, commune=COMMUNE, area="urban")


# --- the command -----------------------------------------------------------------------------------------------------

def test_the_command_writes_the_brief(report_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "ban_tin.pdf"
    assert main(["--year", "2024", "--commune", COMMUNE, str(out), "--db", str(report_db)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"Đã ghi bản tin Xã Ninh Thạnh Lợi A năm 2024 vào {out}"
    assert captured.err == ""
    assert pages(out.read_bytes(), tmp_path) == 1


@pytest.mark.parametrize(("args", "lang", "code", "message"), [
    (["--year", "2019"], "vi", 1, "Lỗi: kho dữ liệu không có kết quả rà soát năm 2019 (các năm có: 2021, 2022, 2023, "
                                  "2024, 2025); không ghi tệp nào."),
    (["--year", "2024", "--district", "999"], "vi", 2,
     "Lỗi: không có huyện mã 999 trong đơn vị trước sáp nhập; không ghi tệp nào."),
    (["--year", "2024", "--commune", "31999"], "en", 2,
     "error: there is no commune or ward 31999 in the former units (a former unit: add --units former; a current "
     "one: --units current); nothing written."),
    (["--year", "2025", "--units", "current", "--district", DISTRICT], "en", 2,
     "error: the current units have no districts, so there is no district 960: choose a commune or ward with "
     "--commune; nothing written."),
    (["--year", "2024", "--district", DISTRICT, "--commune", COMMUNE], "vi", 2,
     "Lỗi: chỉ chọn một địa bàn, --district hoặc --commune (đã cho 960, 31863, đơn vị trước sáp nhập); không ghi "
     "tệp nào."),
])
def test_the_command_refuses_with_its_exit_code_and_message(args: list[str], lang: str, code: int, message: str,
                                                            report_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "b.pdf"
    assert main([*args, str(out), "--db", str(report_db), "--lang", lang]) == code
    captured = capsys.readouterr()
    assert captured.err.strip() == message and captured.out == ""
    assert not out.exists()


def test_the_command_refuses_bad_paths_and_warehouses_without_a_traceback(report_db: Path, tmp_path: Path,
                                                                          capsys) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["--year", "2024", str(tmp_path / "b.pdf"), "--db", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == (f"Lỗi: không có kho dữ liệu ở {missing}: hãy tạo bằng lệnh python -m "
                                               "data.build.")
    assert main(["--year", "2024", str(tmp_path / "b.docx"), "--db", str(report_db), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == f"error: the brief file must end in .pdf: {tmp_path / 'b.docx'}"
    fake = tmp_path / "fake.duckdb"
    fake.write_bytes(b"not a database" * 100)
    old = tmp_path / "old.duckdb"  # a DuckDB file of another version: its schema digest differs
    with duckdb.connect(str(old)) as other:
        other.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        other.execute("INSERT INTO meta VALUES ('schema', 'an older schema')")
    for db in (fake, tmp_path, old):
        assert main(["--year", "2024", str(tmp_path / "b.pdf"), "--db", str(db)]) == 2
        assert capsys.readouterr().err.strip() == (f"Lỗi: {db} không phải kho dữ liệu của phiên bản này: hãy chỉ đến "
                                                   "kho do lệnh python -m data.build tạo ra.")
    out = tmp_path / "no_such_folder" / "b.pdf"
    assert main(["--year", "2024", str(out), "--db", str(report_db), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == (f"error: cannot write {out} (no such folder, no permission to write, "
                                               "or a folder).")


def test_the_command_says_when_the_system_lacks_chromium(report_db: Path, tmp_path: Path, capsys,
                                                         monkeypatch) -> None:
    def no_browser(_fig: object) -> bytes:
        raise brief.BriefUnavailable("chromium", "test")

    monkeypatch.setattr(brief, "figure_svg", no_browser)
    assert main(["--year", "2024", str(tmp_path / "b.pdf"), "--db", str(report_db), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == ("error: this system has no Chromium browser to draw the brief's chart (set "
                                    "CHROMIUM_PATH or install the chromium package); nothing written.")
    assert "Traceback" not in captured.err


def test_chromium_is_found_on_the_system_never_downloaded(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHROMIUM_PATH", "/usr/bin/chromium")
    assert brief.chromium_path() == "/usr/bin/chromium"
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "none"))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(brief.os.path, "isfile", lambda p: False)
    with pytest.raises(brief.BriefUnavailable):
        brief.chromium_path()
