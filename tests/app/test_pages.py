"""Every page through AppTest: default view, filters from the link, bad parameters; figures against pandas."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from data.warehouse import REFERENCE_DIR
from i18n import Translator, format_number
from queries.status import OFF_TRACK, pace_status

from .conftest import PAGES, tables

GOOD = {"district": ["956", "958"], "area": "rural", "group": "khmer", "year": "2023", "lang": "en"}
BAD = {"district": ["956", "999"], "year": "1999", "group": "'; DROP TABLE units; --", "area": "<b>x</b>",
       "lang": "fr", "metric": "nope", "utm": "x"}


def texts(at) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def charts(at) -> list[go.Figure]:
    return [pio.from_json(e.proto.spec) for e in at.get("plotly_chart")]


def array(values) -> list:
    """A trace's data array, decoding plotly's base64 typed-array form."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


@pytest.mark.parametrize("page", list(PAGES))
def test_default_view(app, page):
    at = app(page)
    assert not at.exception
    assert at.title, "every page has a title"
    notice = next(i.value for i in at.info if "Dữ liệu minh họa" in i.value)  # the demo notice is on every page
    # and says from which year the demo is filed under the units formed by the reorganisation, as real reviews are
    assert "Từ năm 2025, như số liệu rà soát thật" in notice and "đơn vị hành chính sau sắp xếp" in notice
    assert at.query_params["year"] == "2025" and at.query_params["lang"] == "vi"
    assert at.query_params["units"] == "current"  # the set 2025 is filed in


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_baseline_year_shows_no_raw_keys(app, page, lang):
    """2021 has no status yet for most units; nothing may show an untranslated key such as 'status.nan'."""
    at = app(page, year="2021", lang=lang)
    assert not at.exception
    shown = texts(at) + "".join(str(e.value) for e in at.get("badge"))
    shown += "".join(df.value.to_csv() for df in tables(at))
    assert not re.search(r"\bstatus\.[a-z_]+", shown), "an untranslated status key is shown"
    assert not re.search(r"\bnan\b", shown, flags=re.IGNORECASE)


@pytest.mark.parametrize("page", list(PAGES))
def test_filters_from_the_link(app, page):
    at = app(page, **GOOD)
    assert not at.exception
    assert not at.warning or not any("Ignored" in w.value for w in at.warning)
    assert at.query_params["district"] == ["956", "958"]
    assert at.query_params["area"] == "rural" and at.query_params["group"] == "khmer"
    assert at.query_params["year"] == "2023" and at.query_params["lang"] == "en"
    assert any("Demo data" in i.value for i in at.info)
    if page != "method":
        assert "Huyện Hồng Dân, Huyện Vĩnh Lợi · Rural · Khmer · 2023" in texts(at)


@pytest.mark.parametrize("page", list(PAGES))
def test_bad_parameters_are_dropped_with_a_notice(app, page):
    at = app(page, **BAD)
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    for shown in ("999", "1999", "DROP TABLE units", "fr", "nope", "utm"):
        assert shown in notice
    assert at.query_params["district"] == "956"
    assert at.query_params["year"] == "2025" and at.query_params["group"] == "all"
    assert "utm" not in at.query_params


def badges(at) -> list[str]:
    """The text of every badge (`st.badge` renders as Markdown `:color-badge[:material/icon: text]`)."""
    found = (re.fullmatch(r":[a-z]+-badge\[(?::material/[a-z_]+: )?(.*)\]", m.value) for m in at.markdown)
    return [match.group(1) for match in found if match]


def test_overview_headline_matches_the_published_figures(app):
    at = app(year="2022")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Tỷ lệ hộ nghèo 2022"].value == "3,19 %"
    assert metrics["Tỷ lệ hộ nghèo 2022"].delta == "-1,90 điểm %"
    assert metrics["Lộ trình năm 2022"].value == "3,59 %"  # 5.09 − 1.5, from the targets table
    assert "Tiến độ theo lộ trình: Đúng tiến độ" in badges(at)
    assert "Chưa đạt mục tiêu dưới 1 % (2025)" in badges(at)
    at_en = app(year="2021", lang="en")
    metrics = {m.label: m for m in at_en.metric}
    assert metrics["Poor rate, 2021"].value == "5.09 %"
    assert metrics["Near-poor rate"].value == "6.54 %"


def test_overview_2025_judges_pace_and_goal_apart(app):
    """The demo province ends 2025 at 0,95 %: on its path (which never asks for less than the plan's end goal, so it
    ends at 1,00 %) and under the plan's "under 1 %" goal. Both are said, each named; "achieved" never stands alone.
    Hồng Dân, far ahead of its own path, is still far from the goal."""
    at = app(year="2025")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Tỷ lệ hộ nghèo 2025"].value == "0,95 %"
    assert metrics["Lộ trình năm 2025"].value == "1,00 %"
    assert "Tiến độ theo lộ trình: Đúng tiến độ" in badges(at)
    assert "Đạt mục tiêu dưới 1 % (2025)" in badges(at)
    assert not any(text in texts(at) + " ".join(badges(at)) for text in ("Đã đạt mục tiêu", "Target achieved"))
    at = app(year="2024")
    assert "Chưa đạt mục tiêu dưới 1 % (2025)" in badges(at)


@pytest.mark.parametrize(("page", "params"), [
    ("overview", {"year": "2025", "units": "former"}),
    ("overview", {"year": "2024"}),
    ("ranking", {"district": ["956", "958"], "area": "rural", "year": "2024"}),
    ("ranking", {"year": "2025", "group": "khmer", "units": "former"}),
    ("map", {"year": "2025", "units": "former"}),
    # the current units (signed in: every figure shown)
    ("overview", {"year": "2025", "signed_in": True}),
    ("ranking", {"year": "2025", "group": "khmer", "signed_in": True}),
    ("map", {"year": "2024", "units": "current", "signed_in": True}),
])
def test_no_unit_is_said_to_meet_a_goal_at_or_above_it(app, page, params):
    """Every "met" in a goal column lies strictly under the ceiling the column names (or at or under the path end)."""
    at = app(page, **params)
    assert not at.exception
    checked = 0
    for frame in (d.value for d in tables(at)):
        goal_columns = [c for c in frame.columns if c.startswith("Mục tiêu") and c != "Mục tiêu"]
        if not goal_columns or "Tỷ lệ nghèo (%)" not in frame.columns:
            continue
        column = goal_columns[0]
        # the urban and rural goals are judged on the rate without poor social-protection households, shown beside
        judged = "Tỷ lệ tính chỉ tiêu, trừ hộ BTXH (%)" if "Tỷ lệ tính chỉ tiêu, trừ hộ BTXH (%)" in frame else (
            "Tỷ lệ nghèo (%)")
        for _, row in frame.iterrows():
            cell = row[column]
            if "ẩn" in row[judged]:  # hidden from a viewer not signed in (few households): no judgement shown
                assert cell == "Ẩn (số liệu ít hộ)", row
                continue
            rate = float(row[judged].replace(".", "").replace(",", "."))
            ceiling = re.search(r"dưới (\d+(?:,\d+)?) %", column + " " + cell)
            at_most = re.search(r"không quá (\d+(?:,\d+)?) %", cell)
            if ceiling:
                assert ("Đạt" in cell and "Chưa" not in cell) == (rate < float(ceiling.group(1).replace(",", "."))), row
            elif at_most:
                assert ("Chưa" not in cell) == (rate <= float(at_most.group(1).replace(",", ".")) + 0.005), row
            checked += 1
    assert checked, "the page shows goal judgements"


def test_overview_district_goal_and_pace_2025(app):
    """Issue reproduction: at 2025 every district but one is ahead of its own path, yet only those under 1 % meet the
    goal; Hồng Dân (4,67 % at this size) is on track on its path and far from the goal."""
    at = app(year="2025", units="former")
    table = tables(at)[0].value.set_index("Huyện")
    hong_dan = table.loc["Huyện Hồng Dân"]
    assert hong_dan["Tiến độ"] == "Đúng tiến độ" and hong_dan["Mục tiêu dưới 1 % (2025)"] == "✗ Chưa đạt"


def test_baseline_year_shows_no_change_badge(app):
    at = app(year="2021")
    assert all(m.delta in (None, "") for m in at.metric), [m.delta for m in at.metric]


def test_group_headline_and_its_target_row_agree(app):
    """`?group=khmer`: the headline path and the ethnic-minority row of the targets table are one definition."""
    at = app(group="khmer", year="2024")
    metrics = {m.label: m for m in at.metric}
    targets = next(d.value for d in tables(at) if "Chỉ tiêu" in d.value.columns)
    row = targets[targets["Chỉ tiêu"].str.contains("dân tộc thiểu số")].iloc[0]
    assert metrics["Lộ trình năm 2024"].value == row["Lộ trình năm 2024"]
    assert metrics["Tỷ lệ hộ nghèo 2024"].value == row["Giá trị"]


def test_urban_headline_is_judged_by_the_urban_target(app):
    at = app(area="urban", year="2023")
    metrics = {m.label: m for m in at.metric}
    assert metrics["Lộ trình năm 2023"].value != "0,00 %"
    targets = next(d.value for d in tables(at) if "Chỉ tiêu" in d.value.columns)
    row = targets[targets["Chỉ tiêu"].str.contains("thành thị")].iloc[0]
    assert metrics["Lộ trình năm 2023"].value == row["Lộ trình năm 2023"]


def test_overview_district_table_matches_pandas(app, classified_pd):
    at = app(year="2024")
    table = tables(at)[0].value
    part = classified_pd[classified_pd["year"] == 2024]
    want = (100 * part.groupby("district_code")["status"].apply(lambda s: (s == "poor").mean())).round(2)
    tr = Translator("vi")
    names = part.drop_duplicates("district_code").set_index("district_code")["district_name"]
    shown = dict(zip(table["Huyện"], table["Tỷ lệ nghèo (%)"], strict=True))
    assert len(shown) == 7
    for code, rate in want.items():
        assert shown[names[code]] == tr.num(rate, 2)


def test_overview_district_filter_changes_the_headline(app, classified_pd):
    at = app(district="956", year="2023", lang="en")
    part = classified_pd[(classified_pd["district_code"] == "956") & (classified_pd["year"] == 2023)]
    want = 100 * (part["status"] == "poor").mean()
    metrics = {m.label: m for m in at.metric}
    assert metrics["Poor rate, 2023"].value == f"{format_number(want, 2, 'en')} %"


def test_sidebar_changes_are_written_to_the_link(app):
    at = app()
    at.selectbox(key="filter_year").set_value(2022).run()
    at.multiselect(key="filter_district").set_value(["960"]).run()
    at.selectbox(key="filter_group").set_value("minority").run()
    assert not at.exception
    assert at.query_params["year"] == "2022"
    assert at.query_params["district"] == "960"
    assert at.query_params["group"] == "minority"


def test_language_switch_translates_the_page(app):
    at = app()
    at.button_group(key="filter_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert at.query_params["lang"] == "en"
    assert at.button_group(key="filter_lang").label == "Language"  # the switch itself, in the same run


def test_filters_survive_a_page_switch(app):
    at = app(**GOOD)
    for page in ("pages/trajectories.py", "pages/ranking.py", "pages/overview.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.query_params["district"] == ["956", "958"] and at.query_params["year"] == "2023"


def test_trajectories_draw_each_district_and_the_province_with_paths(app):
    at = app("trajectories", district=["956", "961"])
    figure = charts(at)[0]
    names = [t.name for t in figure.data]
    assert "Huyện Hồng Dân" in names and "Huyện Hòa Bình" in names
    assert "Toàn tỉnh" in names and "Toàn tỉnh (Lộ trình mục tiêu)" in names
    province = next(t for t in figure.data if t.name == "Toàn tỉnh")
    assert round(array(province.y)[1], 2) == 3.19
    assert "1,24 %" in texts(at), "the change of standard is noted"


def test_trajectories_near_poor_and_both(app):
    at = app("trajectories")
    at.button_group(key="traj_measure").set_value("both").run()
    assert not at.exception


@pytest.mark.parametrize(("units", "drawn"), [("former", 64), ("current", 25)])
@pytest.mark.parametrize("metric", ["poor_rate", "near_poor_rate", "change_since_baseline", "poor_households"])
def test_map_metrics(app, metric, units, drawn):
    at = app("map", metric=metric, units=units)
    assert not at.exception
    assert at.query_params["metric"] == metric and at.query_params["units"] == units
    figure = charts(at)[0]  # every unit drawn once: coloured, hidden (violet) or without data (grey)
    locations = [code for trace in figure.data if trace.type == "choropleth" for code in trace.locations]
    assert len(locations) == len(set(locations)) == drawn


def test_map_commune_details_match_pandas(app, classified_pd):
    at = app("map", year="2024")
    at.selectbox(key="map_commune").set_value("31837").run()
    assert not at.exception
    assert "Xã Vĩnh Trạch Đông: thiếu hụt theo 12 chỉ số, năm 2024" in texts(at)
    breakdown = next(d.value for d in at.dataframe if "Chỉ số thiếu hụt" in d.value.columns)
    assert len(breakdown) == 12
    part = classified_pd[(classified_pd["commune_code"] == "31837") & (classified_pd["year"] == 2024)]
    tr = Translator("vi")
    assert breakdown.iloc[9]["% mọi hộ thiếu hụt"] == tr.num(100 * part["d_latrine"].mean(), 1)


def test_a_commune_whose_name_repeats_is_titled_with_its_district(app):
    at = app("map", year="2024")
    at.selectbox(key="map_commune").set_value("31942").run()
    assert not at.exception
    assert "Phường 1 (TX Giá Rai): thiếu hụt theo 12 chỉ số, năm 2024" in texts(at)


def test_map_falls_back_to_circles_without_boundaries(app, monkeypatch, tmp_path):
    from dashboard import geometry

    geometry.map_geometry.clear()
    monkeypatch.setenv("BOUNDARIES_DIR", str(tmp_path))  # set but empty: a configuration error, shown
    try:
        at = app("map", units="former", signed_in=True)
        assert not at.exception
        [warning] = [w.value for w in at.warning if "baclieu_communes.geojson" in w.value]
        assert str(tmp_path) not in warning and "/" not in warning.replace("(details in the server log)", "")
        assert charts(at)[0].data[0].type == "scattergeo"
        geometry.map_geometry.clear()
        monkeypatch.setattr(geometry, "load_boundaries", lambda codes, **_: None)  # no folder anywhere
        at = app("map", lang="en", units="former", signed_in=True)
        assert not at.exception
        assert any("No boundary files found" in i.value for i in at.info)
        assert len(array(charts(at)[0].data[0].lat)) == 64
        at = app("map", lang="en", units="current", signed_in=True)  # the current units' own centres
        assert len(array(charts(at)[0].data[0].lat)) == 25
    finally:
        geometry.map_geometry.clear()


def test_ranking_left_behind_matches_an_independent_computation(app, classified_pd, raw):
    at = app("ranking", year="2024", lang="en")
    assert not at.exception
    left_behind = at.dataframe[0].value
    # Independent: each commune's own path from its 2021 rate and the cumulative province steps, R, pace.
    steps = raw["targets"].query("scope == 'province' and kind == 'reduction_points'").set_index("year")["value"]
    cumulative = steps.sort_index().cumsum().loc[:2024].iloc[-1]
    rate = 100 * classified_pd.groupby(["commune_code", "year"])["status"].apply(lambda s: (s == "poor").mean())
    off_track = set()
    floor = raw["targets"].query("scope == 'province' and kind == 'rate_below'")["value"].max()
    for code in raw["units"]["commune_code"]:
        base, now = rate[(code, 2021)], rate[(code, 2024)]
        required = base - min(base, max(floor, base - cumulative))
        ratio = (base - now) / required if required else float("nan")
        if pace_status(ratio) in OFF_TRACK:
            off_track.add(code)
    assert set(left_behind["Code"]) == off_track
    assert off_track, "the demo scenario has communes left behind"
    districts = at.dataframe[1].value
    assert list(districts["Rank"]) == list(range(1, 8))
    # ordered as the caption says: by R, highest first
    ratios = [float(r) for r in districts["R = achieved / required"] if r != "—"]
    assert ratios == sorted(ratios, reverse=True)


def test_ranking_baseline_year_says_why_there_is_no_ranking(app):
    at = app("ranking", year="2021")
    assert not at.exception
    assert any("2021" in i.value for i in at.info)


def test_method_page_lists_published_figures_and_definitions(app):
    at = app("method", lang="en")
    calibration = next(d.value for d in at.dataframe if "Poor rate (%)" in d.value.columns)
    assert set(calibration.loc[calibration["Kind"] == "Published figure", "Year"]) == {2021, 2022}
    body = texts(at)
    assert "Decree 07/2021" in body and "twice the line" in body and "1.24 %" in body
    # the flows' definitions, and the demo's event assumptions read from the warehouse (data/reference/panel_events.csv)
    assert "**fell back** (neither poor nor near-poor last year, but poor in an earlier review)" in body
    events = next(d.value for d in at.dataframe if "Assumption" in d.value.columns)
    stored = pd.read_csv(REFERENCE_DIR / "panel_events.csv")
    assert list(events["Assumption"]) == list(stored["label_en"])
    assert set(events["Kind"]) == {"Assumption"}
    shock = stored.set_index("key").loc["shock_rate_once_poor", "value"]
    assert events.loc[stored["key"] == "shock_rate_once_poor", "Value"].item() == f"{100 * shock:.1f} %"


def test_every_table_has_csv_and_xlsx_downloads(app):
    for page in PAGES:
        at = app(page)
        # (the overview's and the profile's one-page brief is a download of its own: dashboard/brief.py)
        buttons = [b for b in at.get("download_button") if b.key not in ("brief_download", "commune_brief")]
        assert len(buttons) == 2 * len(tables(at)), page


def test_download_bytes_have_exactly_the_rows(tmp_path):
    from dashboard.download import csv_bytes, xlsx_bytes

    frame = pd.DataFrame({"Huyện": ["Huyện Hồng Dân", "Thị xã Giá Rai"], "Tỷ lệ": [5.5, 0.91]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Huyện Hồng Dân" in data.decode("utf-8-sig")
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes(frame))
    pd.testing.assert_frame_equal(pd.read_excel(path, engine="openpyxl"), frame)


def test_plan_and_standard_wording_come_from_the_warehouse(app):
    at = app("ranking", lang="en")
    assert "its 2021 rate minus 1.5 points in 2022, then 1 point a year" in texts(at)
    at = app("method")
    assert "nông thôn 1.500.000 đ, thành thị 2.000.000 đ" in texts(at)
    assert "dưới 1 % năm 2025" in texts(at)


def test_rates_from_few_households_are_marked_wherever_shown(app, classified_pd):
    """Khmer households per commune: most communes have fewer than 50 (the `min_households_reliable` setting), and
    exactly those rows carry the mark, with the household count beside the rate (for a signed-in user; a viewer who
    is not signed in sees no count under 10, tests/app/test_disclosure_pages.py)."""
    at = app("ranking", group="khmer", year="2024", signed_in=True)
    communes = at.dataframe[-1].value.set_index("Mã")
    counts = classified_pd.query("ethnicity == 'khmer' and year == 2024").groupby("commune_code").size()
    assert (communes["Độ tin cậy"] == "⚠ ít hộ").sum() == (counts < 50).sum() > 0
    for code, count in counts.items():
        assert communes.loc[code, "Số hộ rà soát"] == format_number(count)
        assert (communes.loc[code, "Độ tin cậy"] == "⚠ ít hộ") == (count < 50)
    assert any("dưới 50 hộ" in c.value for c in at.caption)


def test_a_link_shared_on_social_media_opens_without_a_notice(app):
    """`?year=2023&fbclid=…&utm_source=…`: the view of the link, no warning, and the address bar keeps only the
    view's own parameters."""
    at = app(None, year="2023", fbclid="IwAR0abc", utm_source="facebook")
    assert not at.exception and not at.warning
    assert at.query_params["year"] == "2023"
    assert "fbclid" not in at.query_params and "utm_source" not in at.query_params
