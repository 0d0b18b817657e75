"""Every page as a viewer who is not signed in and as a signed-in user, on views with small cells (Khmer households of
Huyện Đông Hải, whose communes hold 2 to 15 of them at this size; urban Khmer households by district): the hidden
figures show the marker, and the true small numbers are nowhere in what the page sends — texts, tables, figure JSON
(hover texts and customdata included) and the bytes of every download; a signed-in user sees them all.

The expected cells are computed here from the warehouse's base tables (`classified_pd`, classified in pandas), not
from the dashboard's queries.
"""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import disclosure
from dashboard.disclosure import Rule
from i18n import Translator

from .conftest import PAGES, open_app, tables

VI = Translator("vi")
SMALL = "≤9 hộ — ẩn"
COMPLEMENT = "ẩn — bảo vệ ô nhỏ"
DISTRICT = "960"  # Huyện Đông Hải
VIEW = {"district": DISTRICT, "group": "khmer", "year": "2024"}


# --- what a page sends -----------------------------------------------------------------------------------------------


class RecordingMediaFileManager(MediaFileManager):
    """The media manager of an AppTest run, kept so a test can produce the files its download buttons would serve
    (the buttons build their bytes lazily, when clicked)."""

    last: MediaFileManager | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RecordingMediaFileManager.last = self


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], dict[str, bytes]]:
    """`downloads()`: file name → bytes of every download button of the last AppTest run, as the browser gets them."""
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingMediaFileManager)

    def files() -> dict[str, bytes]:
        manager = RecordingMediaFileManager.last
        assert manager is not None
        out = {}
        for entry in manager._deferred_callables.values():
            data = entry["callable"]()
            out[str(entry["filename"])] = data if isinstance(data, bytes) else str(data).encode()
        return out

    return files


def _decoded(value: Any) -> Any:
    """A plotly JSON value with its base64 typed arrays (`{"dtype", "bdata"}`) turned back into numbers."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            return [None if isinstance(v, float) and np.isnan(v) else v for v in array.tolist()]
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def figures(at: AppTest) -> list[dict]:
    return [_decoded(json.loads(e.proto.spec)) for e in at.get("plotly_chart")]


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = book.active.iter_rows(values_only=True)
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in rows)


def page_text(at: AppTest, files: dict[str, bytes]) -> str:
    """Everything the page sends as text: elements, metrics, badges, tables, figure JSON with its numbers decoded,
    and the downloads (CSV as text, XLSX cell by cell, the brief's PDF as pdftotext reads it)."""
    parts = [str(e.value) for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                       "success", "error") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [d.value.to_csv() for d in tables(at)]
    parts += [json.dumps(f, ensure_ascii=False) for f in figures(at)]
    for name, data in files.items():
        if name.endswith(".pdf"):  # the one-page brief (dashboard/brief.py): its text as pdftotext reads it
            parts.append(subprocess.run(["pdftotext", "-", "-"], input=data, check=True, capture_output=True).stdout
                         .decode("utf-8"))
        else:
            parts.append(xlsx_text(data) if name.endswith(".xlsx") else data.decode("utf-8-sig"))
    return "\n".join(parts)


def open_as(page: str, signed_in: bool, **params: str | list[str]) -> AppTest:
    at = open_app(page, signed_in=signed_in, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table of the page (a grid or a static table) with all these columns."""
    return next(d.value for d in tables(at) if set(columns) <= set(d.value.columns))


# --- the cells, independently --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def khmer_communes(classified_pd: pd.DataFrame) -> pd.DataFrame:
    """Khmer households of Đông Hải's communes in 2024: households, poor and near-poor rates (percent)."""
    part = classified_pd.query("ethnicity == 'khmer' and year == 2024 and district_code == @DISTRICT")
    out = part.groupby("commune_code").agg(households=("status", "size"),
                                           poor=("status", lambda s: (s == "poor").sum()),
                                           near=("status", lambda s: (s == "near_poor").sum()))
    return out.assign(poor_rate=100 * out["poor"] / out["households"],
                      near_poor_rate=100 * out["near"] / out["households"])


@pytest.fixture(scope="module")
def hidden_communes(khmer_communes: pd.DataFrame) -> pd.DataFrame:
    hidden = khmer_communes[khmer_communes["households"] < 10]
    # the view has what this file tests: several small cells (so no complement is needed among them), one of exactly
    # 10 households, and small cells with a poor household (rates that are not 0)
    assert len(hidden) >= 2 and (khmer_communes["households"] == 10).any() and (hidden["poor"] > 0).sum() >= 2
    return hidden


@pytest.fixture(scope="module")
def complement_communes(warehouse, khmer_communes: pd.DataFrame) -> set[str]:
    """Đông Hải's communes whose 2024 Khmer cell the lattice hides to protect another cell (dashboard/lattice.py):
    each has N or more Khmer households, and there are some."""
    cells = disclosure.cells(Rule(10))
    out = {c for c in khmer_communes.index if cells.state(2024, "commune", c, "all", "khmer") == "complement"}
    assert out and all(khmer_communes.loc[c, "households"] >= 10 for c in out)
    return out


def secrets(hidden: pd.DataFrame, *, as_json: bool = True) -> list[str]:
    """The hidden communes' non-zero rates as the page would print them (`16,67`) and, with `as_json`, as figure JSON
    would carry them when they have many digits (`16.666666666666668`; a short `12.5` could be anything)."""
    out = []
    for column in ("poor_rate", "near_poor_rate"):
        for value in hidden[column]:
            if value:
                out.append(VI.num(value, 2))
                if as_json and len(json.dumps(float(value))) > 8:
                    out.append(json.dumps(float(value)))
    return sorted(set(out))


# --- every page, both ways -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", "map", "ranking"])
def test_small_communes_are_nowhere_for_an_anonymous_viewer_and_all_there_for_a_signed_in_user(
        page, hidden_communes, downloads):
    hidden_values = secrets(hidden_communes, as_json=page == "map")  # only the map draws the communes
    anonymous = open_as(page, False, **VIEW)
    text = page_text(anonymous, downloads())
    assert SMALL in text
    if page != "overview":  # the overview shows no commune: its check is the targets test below
        leaked = [v for v in hidden_values if v in text]
        assert not leaked, f"hidden figures on the {page} page: {leaked}"
    signed = open_as(page, True, **VIEW)
    signed_text = page_text(signed, downloads())
    assert SMALL not in signed_text and COMPLEMENT not in signed_text
    if page != "overview":
        assert all(v in signed_text for v in hidden_values)


def test_a_signed_in_user_not_on_the_readers_list_sees_the_public_view(hidden_communes, downloads):
    """Signing in alone unhides nothing: the provider may let anyone with an account in (`data.access`)."""
    outsider = {"email": "khach@gmail.com", "name": "Khách", "is_logged_in": True}
    at = open_app("ranking", signed_in=True, user=outsider, **VIEW)
    text = page_text(at, downloads())
    assert SMALL in text
    assert not [v for v in secrets(hidden_communes, as_json=False) if v in text]


def test_the_commune_table_marks_the_small_communes_and_their_complements(hidden_communes, khmer_communes,
                                                                          complement_communes, classified_pd):
    """Small communes read "≤9 hộ — ẩn"; the complements the lattice chose (the Khmer cell of a commune whose other
    minorities are few: minority − Khmer would give them) read "ẩn — bảo vệ ô nhỏ" in every figure; every other
    commune shows its households as counted here, and its R and rank unless its 2021 cell is hidden (then they
    read that cell's marker: R is computed from it)."""
    base = classified_pd.query("ethnicity == 'khmer' and year == 2021 and district_code == @DISTRICT")
    base_sizes = base.groupby("commune_code").size()
    cells = disclosure.cells(Rule(10))
    at = open_as("ranking", False, **VIEW)
    table = table_with(at, "Xã, phường, thị trấn", "Hạng").set_index("Mã")
    for code, row in table.iterrows():
        numbers = [row[c] for c in ("Tỷ lệ nghèo (%)", "Số hộ rà soát", "R = đã giảm / cần giảm", "Hộ nghèo",
                                    "Hạng")]
        if code in hidden_communes.index:
            assert numbers == [SMALL] * 5 and row["Tiến độ"] == "Ẩn (số liệu ít hộ)", code
        elif code in complement_communes:
            assert numbers == [COMPLEMENT] * 5 and row["Tiến độ"] == "Ẩn (số liệu ít hộ)", code
        else:
            own = [numbers[i] for i in (0, 1, 3)]
            assert SMALL not in own and COMPLEMENT not in own, code
            assert row["Số hộ rà soát"] == VI.num(khmer_communes.loc[code, "households"])
            baseline = cells.state(2021, "commune", code, "all", "khmer")
            marker = SMALL if base_sizes.get(code, 0) and base_sizes[code] < 10 else COMPLEMENT if baseline else None
            assert (baseline is None) == (marker is None), code
            if marker:
                assert [numbers[2], numbers[4]] == [marker] * 2, code
            else:
                assert SMALL not in numbers and COMPLEMENT not in numbers, code
    assert set(hidden_communes.index) | complement_communes <= set(table.index)
    assert any("dưới 10 hộ được ẩn" in c.value for c in at.caption)


def test_exactly_ten_households_are_shown(classified_pd):
    """Ethnic-minority households of Đông Hải's communes in 2024: communes of exactly 10 show their figures."""
    part = classified_pd.query("ethnicity != 'kinh' and year == 2024 and district_code == @DISTRICT")
    sizes = part.groupby("commune_code").size()
    poor = part[part["status"] == "poor"].groupby("commune_code").size().reindex(sizes.index, fill_value=0)
    tens = list(sizes.index[sizes == 10])
    at = open_as("ranking", False, district=DISTRICT, group="minority", year="2024")
    table = table_with(at, "Xã, phường, thị trấn", "Hạng").set_index("Mã")
    assert tens
    for code in tens:
        assert table.loc[code, "Số hộ rà soát"] == "10", code
        assert table.loc[code, "Tỷ lệ nghèo (%)"] == VI.num(100 * poor[code] / 10, 2), code


def test_n_comes_from_the_environment(monkeypatch, khmer_communes):
    """With POVERTY_SMALL_CELL_MIN=11 the commune of exactly 10 Khmer households is hidden too, marked "≤10 hộ"."""
    monkeypatch.setenv("POVERTY_SMALL_CELL_MIN", "11")
    at = open_as("ranking", False, **VIEW)
    table = table_with(at, "Xã, phường, thị trấn", "Hạng").set_index("Mã")
    ten = khmer_communes.index[khmer_communes["households"] == 10][0]
    assert table.loc[ten, "Số hộ rà soát"] == "≤10 hộ — ẩn"
    assert set(table.loc[table["Số hộ rà soát"] == "≤10 hộ — ẩn"].index) == set(
        khmer_communes.index[khmer_communes["households"] < 11])


def test_the_map_draws_small_communes_hidden_with_no_figure_in_their_hover(hidden_communes, khmer_communes,
                                                                          complement_communes):
    at = open_as("map", False, **VIEW)
    figure = figures(at)[0]
    [hidden_trace] = [t for t in figure["data"] if t.get("name") == "Ẩn để bảo vệ số liệu ít hộ"]
    hidden = set(hidden_communes.index) | complement_communes
    assert set(hidden_trace["locations"]) == hidden
    assert hidden_trace.get("showlegend") is True
    for code, hover, custom in zip(hidden_trace["locations"], hidden_trace["text"], hidden_trace["customdata"],
                                   strict=True):
        marker = SMALL if code in hidden_communes.index else COMPLEMENT
        assert marker in hover and custom == [code]
        assert not re.search(r"\d", hover.replace(marker, "")), hover  # no rate, no count
    coloured = next(t for t in figure["data"] if t["type"] == "choropleth" and "colorbar" in t)
    assert not set(coloured["locations"]) & hidden
    # the scale runs to the largest shown rate (1 % when every shown rate is 0, `charts.map_scale`)
    assert coloured["zmax"] == pytest.approx(khmer_communes.drop(list(hidden))["poor_rate"].max() or 1.0)
    signed = figures(open_as("map", True, **VIEW))[0]
    assert not [t for t in signed["data"] if t.get("name") == "Ẩn để bảo vệ số liệu ít hộ"]
    assert signed["data"][0]["zmax"] == pytest.approx(khmer_communes["poor_rate"].max())


def test_a_small_commune_chosen_on_the_map_shows_no_breakdown_or_series_figure(hidden_communes, downloads):
    code = hidden_communes.index[hidden_communes["poor"] > 0][0]
    values = secrets(hidden_communes.loc[[code]])
    at = open_as("map", False, **VIEW)
    at.selectbox(key="map_commune").set_value(code).run()
    assert not at.exception
    assert any(SMALL in i.value and "không hiển thị thiếu hụt" in i.value for i in at.info)
    breakdown = table_with(at, "Chỉ số thiếu hụt")
    assert len(breakdown) == 12
    for column in ("Số hộ rà soát", "% mọi hộ thiếu hụt", "Hộ nghèo", "% hộ nghèo thiếu hụt"):
        assert set(breakdown[column]) == {SMALL}, column
    series = next(f for f in figures(at) if any(t.get("name") == "Tỷ lệ nghèo (%)" for t in f["data"]))
    poor = next(t for t in series["data"] if t.get("name") == "Tỷ lệ nghèo (%)")
    assert all(y is None for y in poor["y"]), "every year of this commune is under 10 households"
    marks = next(t for t in series["data"] if t.get("name") == "Ẩn để bảo vệ số liệu ít hộ")
    assert len(marks["x"]) == len(poor["x"]) and all(SMALL in h for h in marks["hovertext"])
    files = downloads()
    text = page_text(at, files)
    assert not [v for v in values if v in text]
    breakdown_csv = files[f"deprivations_{code}_2024_former.csv"].decode("utf-8-sig")
    assert breakdown_csv.count(SMALL) == 4 * 12
    signed = open_as("map", True, **VIEW)
    signed.selectbox(key="map_commune").set_value(code).run()
    assert all(v in page_text(signed, downloads()) for v in values)


def test_downloads_hold_the_marker_for_an_anonymous_viewer_and_the_numbers_for_a_signed_in_user(
        hidden_communes, downloads):
    code = hidden_communes.index[hidden_communes["poor"] > 0][0]
    rate = hidden_communes.loc[code, "poor_rate"]
    for signed_in in (False, True):
        open_as("map", signed_in, **VIEW)
        files = downloads()
        rows = pd.read_csv(io.BytesIO(files["communes_2024_former.csv"]), sep=";", decimal=",", encoding="utf-8-sig",
                           dtype={"Mã": str}).set_index("Mã")
        sheet = openpyxl.load_workbook(io.BytesIO(files["communes_2024_former.xlsx"])).active
        header = [c.value for c in sheet[1]]
        cells = {row[header.index("Mã")]: row[header.index("Tỷ lệ nghèo (%)")]
                 for row in sheet.iter_rows(min_row=2, values_only=True)}
        if signed_in:
            assert float(rows.loc[code, "Tỷ lệ nghèo (%)"]) == round(rate, 2) and cells[code] == round(rate, 2)
        else:
            assert rows.loc[code, "Tỷ lệ nghèo (%)"] == SMALL and rows.loc[code, "Số hộ rà soát"] == SMALL
            assert cells[code] == SMALL
            assert {c for c in hidden_communes.index} == set(rows.index[rows["Tỷ lệ nghèo (%)"] == SMALL])


def test_overview_targets_hide_the_small_urban_group_and_its_rural_complement(classified_pd, downloads):
    part = classified_pd.query("ethnicity == 'khmer' and year == 2024 and district_code == @DISTRICT")
    urban, rural = part[part["area"] == "urban"], part[part["area"] == "rural"]
    assert 0 < len(urban) < 10 <= len(rural)
    rural_rate = 100 * ((rural["status"] == "poor") & ~rural["social_protection"]).mean()
    at = open_as("overview", False, **VIEW)
    targets = table_with(at, "Chỉ tiêu").set_index("Chỉ tiêu")
    urban_row = targets.loc[targets.index.str.contains("thành thị")].iloc[0]
    rural_row = targets.loc[targets.index.str.contains("nông thôn")].iloc[0]
    assert urban_row["Giá trị"] == SMALL and urban_row["Số hộ trong nhóm của chỉ tiêu"] == SMALL
    assert rural_row["Giá trị"] == COMPLEMENT and rural_row["Số hộ trong nhóm của chỉ tiêu"] == COMPLEMENT
    assert urban_row["Tiến độ"] == rural_row["Tiến độ"] == "Ẩn (số liệu ít hộ)"
    shown_rate = f"{VI.num(rural_rate, 2)} %"
    assert shown_rate not in page_text(at, downloads())
    signed = open_as("overview", True, **VIEW)
    targets = table_with(signed, "Chỉ tiêu").set_index("Chỉ tiêu")
    assert targets.loc[targets.index.str.contains("nông thôn"), "Giá trị"].iloc[0] == shown_rate
    assert shown_rate in page_text(signed, downloads())


def test_overview_headline_of_a_small_selection_says_hidden(classified_pd):
    """Urban Khmer households of Hồng Dân: one township, under 10 households: the headline's rates, path and counts
    are the marker, both judgements say hidden, and the district bar has no length."""
    part = classified_pd.query("ethnicity == 'khmer' and year == 2024 and district_code == '956' and area == 'urban'")
    assert 0 < len(part) < 10
    params = {"district": "956", "area": "urban", "group": "khmer", "year": "2024"}
    at = open_as("overview", False, **params)
    values = {m.label: m.value for m in at.metric}
    assert set(values.values()) == {SMALL}, values
    assert all(m.delta in (None, "") for m in at.metric)
    from .test_pages import badges

    assert badges(at) == ["Tiến độ theo lộ trình: Ẩn (số liệu ít hộ)", "Mục tiêu cuối kỳ: Ẩn (số liệu ít hộ)"]
    assert any(c.value == SMALL for c in at.caption)
    bars = figures(at)[0]
    assert [t["x"] for t in bars["data"] if t["type"] == "bar"] == [[0.0]]
    assert any(SMALL in text for t in bars["data"] for text in t.get("text", []) or [])
    signed = open_as("overview", True, **params)
    rate = 100 * (part["status"] == "poor").mean()
    assert {m.label: m.value for m in signed.metric}["Tỷ lệ hộ nghèo 2024"] == f"{VI.num(rate, 2)} %"


def test_trajectories_leave_small_districts_out_of_the_lines_and_mark_them(classified_pd, downloads):
    """Urban Khmer households by district: Hồng Dân and Đông Hải have fewer than 10 every year: their lines have no
    point, each year is marked on the axis instead, and the status table shows the marker. The districts the
    lattice hides beside them (dashboard/lattice.py) are marked the same way with the complement's marker. Checked
    for the years filed in former units (`classified_pd` classifies with the former communes' area; from 2025 a
    review has the area of its current unit, and test_disclosure_linked checks those cells)."""
    part = classified_pd.query("ethnicity == 'khmer' and area == 'urban' and year < 2025")
    sizes = part.groupby(["district_name", "year"]).size()
    small = {(d, int(y)) for (d, y), n in sizes.items() if n < 10}
    names = dict(zip(part["district_code"], part["district_name"], strict=False))
    cells = disclosure.cells(Rule(10))
    complements = {(names[c.unit], c.year) for c, s in cells.states.items()
                   if s == "complement" and c.level == "district" and (c.area, c.group) == ("urban", "khmer")
                   and c.year < 2025}
    assert complements and all(sizes[c] >= 10 for c in complements)
    always = {d for d in sizes.index.get_level_values(0) if all((d, y) in small for y in range(2021, 2025))}
    assert {"Huyện Hồng Dân", "Huyện Đông Hải"} <= always
    params = {"area": "urban", "group": "khmer", "year": "2024"}
    at = open_as("trajectories", False, **params)
    figure = figures(at)[0]
    for name in always:
        line = next(t for t in figure["data"] if t.get("name") == name and t.get("mode") == "lines+markers")
        assert all(y is None for x, y in zip(line["x"], line["y"], strict=True) if x < 2025), name
    marks = next(t for t in figure["data"] if t.get("name") == "Ẩn để bảo vệ số liệu ít hộ")
    marked = {(h.split("<br>")[0], round(x)): h for h, x in zip(marks["hovertext"], marks["x"], strict=True)
              if round(x) < 2025}
    assert set(marked) == small | complements
    assert all((SMALL if cell in small else COMPLEMENT) in hover for cell, hover in marked.items())
    table = table_with(at, "Huyện").set_index("Huyện")
    for name in always:
        assert table.loc[name, "Tỷ lệ nghèo (%)"] == SMALL
    signed = figures(open_as("trajectories", True, **params))[0]
    assert not [t for t in signed["data"] if t.get("name") == "Ẩn để bảo vệ số liệu ít hộ"]
    for name in always:
        line = next(t for t in signed["data"] if t.get("name") == name and t.get("mode") == "lines+markers")
        assert all(y is not None for x, y in zip(line["x"], line["y"], strict=True) if x < 2025), name


@pytest.mark.parametrize(("signed_in", "caption"), [
    (False, "Bạn đang xem bản công khai: các con số từ dưới 10 hộ đang được ẩn."),
    (True, "Tài khoản của bạn được xem mọi con số, kể cả con số từ dưới 10 hộ."),
])
def test_the_method_page_explains_the_rule(signed_in, caption):
    at = open_as("method", signed_in)
    assert "Bảo vệ số liệu ít hộ" in [s.value for s in at.subheader]
    rule = next(m.value for m in at.markdown if "Ẩn bổ sung" in m.value)
    assert "dưới 10 hộ" in rule and f'"{SMALL}"' in rule and f'"{COMPLEMENT}"' in rule and "đúng 10 hộ" in rule
    assert caption in [c.value for c in at.caption]
    english = open_as("method", signed_in, lang="en")
    rule = next(m.value for m in english.markdown if "Complementary suppression" in m.value)
    assert '"≤9 households — hidden"' in rule and "exactly 10 households is shown" in rule


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_fails_for_either_viewer_on_a_small_selection(page):
    for signed_in in (False, True):
        open_as(page, signed_in, district="956", area="urban", group="khmer", year="2024")


@pytest.fixture(autouse=True)
def _forget_recording(warehouse) -> Iterator[None]:  # every test here opens the app on the test warehouse
    RecordingMediaFileManager.last = None
    yield
    RecordingMediaFileManager.last = None


def test_a_total_of_chosen_districts_cannot_give_back_a_hidden_one(classified_pd, raw):
    """Ethnic-minority households of an area in a year: a district whose cell is hidden to protect another one (not
    small itself) and a district whose cell is shown, chosen together: the shown district's row is shown, as in the
    province's view, so their total is hidden (it minus the shown one would be the hidden one)."""
    cells = disclosure.cells(Rule(10))
    candidates = []
    for year in (2024, 2023, 2022):
        for area in ("urban", "rural"):
            part = classified_pd[(classified_pd["ethnicity"] != "kinh") & (classified_pd["area"] == area)
                                 & (classified_pd["year"] == year)]
            sizes = part.groupby("district_code").size()
            states = {d: cells.state(year, "district", d, area, "minority") for d in sorted(sizes.index)}
            for hidden, h in states.items():
                for shown, s in states.items():
                    chosen = part[part["district_code"].isin([hidden, shown])]
                    if (h == "complement" and s is None and min(sizes[hidden], sizes[shown]) >= 10
                            and (chosen["status"] == "poor").any()):
                        candidates.append((year, area, hidden, shown, chosen, sizes[shown]))
    assert candidates, "the demo has a district hidden to protect another cell and one shown"
    # the total has poor households: its rate is then a figure no other cell of the page shows by chance
    year, area, hidden, shown, chosen, shown_size = candidates[0]
    names = raw["units"].dropna(subset=["district_code"]).drop_duplicates("district_code") \
        .set_index("district_code")["district_name"]
    rate = f"{VI.num(100 * (chosen['status'] == 'poor').mean(), 2)} %"
    params = {"district": [hidden, shown], "area": area, "group": "minority", "year": str(year)}
    at = open_as("overview", False, **params)
    assert {m.label: m.value for m in at.metric}[f"Tỷ lệ hộ nghèo {year}"] == COMPLEMENT
    table = table_with(at, "Huyện").set_index("Huyện")
    assert table.loc[names[hidden], "Tỷ lệ nghèo (%)"] == COMPLEMENT
    assert table.loc[names[shown], "Số hộ rà soát"] == VI.num(shown_size)
    assert not re.search(rf"(?<![0-9,.]){re.escape(rate)}", page_text(at, {}))
    signed = open_as("overview", True, **params)
    assert {m.label: m.value for m in signed.metric}[f"Tỷ lệ hộ nghèo {year}"] == rate
