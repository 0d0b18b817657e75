"""The commune profile (issue 12, item 2): `commune=` in the link (checked against the view's unit set), the picker,
and every figure of the profile equal to the one the ranking, map and flows pages show for the same unit and
filters — numbers, markers of hidden figures and ranks — in both unit sets and languages; household counts against
pandas on the base tables (`classified_pd`); links into the profile from the unit tables and the map.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from dashboard import download
from dashboard.filters import Filters, dropped_notice, parse_query_params, unit_codes
from i18n import Translator
from queries.runner import run

from .conftest import PAGES, open_app
from .test_disclosure_pages import (  # noqa: F401 (fixtures)
    SMALL,
    downloads,
    hidden_communes,
    khmer_communes,
    page_text,
    secrets,
)
from .test_pages import array, charts, texts

VI, EN = Translator("vi"), Translator("en")
ALL_PAGES = PAGES
DISTRICTS = ["954", "956", "957", "958", "959", "960", "961"]
YEARS = [2021, 2022, 2023, 2024, 2025]
FILED = {2021: "former", 2022: "former", 2023: "former", 2024: "former", 2025: "current"}
# a few units of each set (the demo's own codes: every current code is also a former commune's code)
FORMER_UNITS = ["31813", "31825", "31834", "31843", "31942", "31981"]
CURRENT_UNITS = ["31825", "31834", "31843", "31942"]
PLACES = {"former": DISTRICTS, "current": CURRENT_UNITS}
UNITS = {"former": FORMER_UNITS, "current": CURRENT_UNITS}


@pytest.fixture(autouse=True)
def _on_the_demo_warehouse(warehouse):
    """Every test here opens the app on the demo warehouse of this worker."""


def page(name: str, *, signed_in: bool = False, **params: str | list[str]):
    at = open_app(name, ALL_PAGES, signed_in=signed_in, **params)
    assert not at.exception and not at.error, [e.value for e in at.exception]
    return at


def parse(**raw: list[str]):
    return parse_query_params(raw, PLACES, YEARS, None, FILED, UNITS)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at, *columns: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def row_of(table: pd.DataFrame, code: str) -> dict[str, object]:
    """The row of unit `code` (column "Mã") without the link column."""
    rows = table[table["Mã"] == code].drop(columns=["Hồ sơ"], errors="ignore")
    assert len(rows) == 1, code
    return rows.iloc[0].to_dict()


# --- the link parameter ----------------------------------------------------------------------------------------------


def test_commune_is_a_unit_of_the_views_set_and_travels_in_the_link():
    view, dropped = parse(units=["former"], commune=["31813"], year=["2024"])
    assert view == Filters(year=2024, units="former", commune="31813") and dropped == []
    assert view.query_params(with_commune=True)["commune"] == "31813"
    assert "commune" not in view.query_params(), "other pages drop the profile's unit"
    # a district is no commune; a code of the other set only is reported as such
    view, dropped = parse(units=["current"], commune=["31813"])
    assert view.commune is None and dropped == [("commune", "31813")]
    codes = unit_codes(PLACES, UNITS)
    assert dropped_notice(EN, dropped, "current", codes) == (
        "Ignored invalid link parameters: `commune` = `31813` (a unit of the other unit set; this view is in the "
        "current units).")
    view, dropped = parse(units=["former"], commune=["956"])
    assert view.commune is None and dropped_notice(VI, dropped, "former", codes) == (
        "Đã bỏ qua tham số không hợp lệ trong đường dẫn: `commune` = `956`.")
    view, dropped = parse(commune=["'; DROP TABLE units; --"])
    assert view.commune is None and dropped == [("commune", "'; DROP TABLE units; --")]


def test_without_units_a_former_only_code_opens_the_former_set_and_a_shared_code_the_years():
    """Codes are reused (31834 is a former commune and a current unit): a link without `units` whose units belong to
    one set only is shown in that set, even for 2025 (filed in the current units); else the year's set decides."""
    assert parse(commune=["31813"]) == (Filters(year=2025, units="former", commune="31813"), [])
    assert parse(commune=["31834"]) == (Filters(year=2025, units="current", commune="31834"), [])
    assert parse(commune=["31834"], year=["2023"]) == (Filters(year=2023, units="former", commune="31834"), [])
    # a place parameter still decides first
    view, dropped = parse(unit=["31843"], commune=["31813"], year=["2023"])
    assert view.units == "current" and dropped == [("commune", "31813")]


def test_the_profile_url_keeps_the_view():
    view = Filters(year=2023, districts=("956",), area="rural", group="khmer", lang="en", units="former",
                   metric="poor_households", commune="31900")
    url = view.profile_url("31913")
    assert url.startswith("commune?")
    query = parse_qs(urlsplit(url).query)
    assert query == {"units": ["former"], "district": ["956"], "area": ["rural"], "group": ["khmer"],
                     "year": ["2023"], "lang": ["en"], "commune": ["31913"]}
    assert parse_query_params(query, PLACES, YEARS, None, FILED, {"former": ["31913"]})[0] == Filters(
        year=2023, districts=("956",), area="rural", group="khmer", lang="en", units="former", commune="31913")


# --- the page --------------------------------------------------------------------------------------------------------


def test_without_a_unit_the_page_offers_the_views_units(warehouse):
    at = page("commune", units="former", year="2024", district="956")
    assert at.title[0].value == "Hồ sơ xã"
    box = at.selectbox(key="filter_commune")
    units = run("units").query("unit_set == 'former' and district_code == '956'")
    assert box.options[0] == "— chưa chọn —" and len(box.options) == len(units) + 1
    assert "Xã Ninh Quới – Huyện Hồng Dân" in box.options
    assert "commune" not in at.query_params and not at.metric and not charts(at)
    # picking a unit writes it to the address, which then reproduces the view
    code = units.loc[units["commune_name"] == "Xã Ninh Quới", "commune_code"].iloc[0]
    at.selectbox(key="filter_commune").set_value(code).run()
    assert at.query_params["commune"] == code and at.title[0].value == "Hồ sơ: Xã Ninh Quới"
    again = page("commune", **dict(at.query_params))
    assert again.title[0].value == at.title[0].value and metrics(again) == metrics(at)
    # other pages drop it from the address; the profile keeps it for the session
    at.switch_page("pages/ranking.py").run()
    assert "commune" not in at.query_params
    at.switch_page("pages/commune.py").run()
    assert at.query_params["commune"] == code


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_link_opens_the_profile_in_either_language(lang):
    tr = Translator(lang)  # type: ignore[arg-type]
    at = page("commune", units="former", year="2024", commune="31834", lang=lang)
    assert at.title[0].value == tr("profile.title", name="Xã Vĩnh Trạch")
    assert tr("profile.facts.former", type=tr("profile.type.commune"), district="Thành phố Bạc Liêu",
              area=tr("area.rural")) in [m.value for m in at.markdown]
    headings = [s.value for s in at.subheader]
    for heading in (tr("profile.status_h", year=2024), tr("profile.trajectory_h"), tr("pace.title", year=2024),
                    tr("profile.rank_h", year=2024), tr("profile.flows_h", start=2023, end=2024)):
        assert heading in headings
    assert {c.data[0].type for c in charts(at)} >= {"scatter", "waterfall"}
    series = next(c for c in charts(at) if c.data[0].type == "scatter")
    assert tr("pace.legend") in [t.name for t in series.data], "the projection is drawn and named as one"
    assert at.query_params["commune"] == "31834" and at.query_params["lang"] == lang


def test_a_current_unit_of_2025_has_no_district_and_ranks_among_its_kind():
    at = page("commune", units="current", year="2025", commune="31834", lang="en")
    assert at.title[0].value == "Profile: Phường Vĩnh Trạch"
    assert "Ward · Urban" in [m.value for m in at.markdown]
    assert set(metrics(at)) >= {"Households reviewed", "Poor households", "Near-poor households",
                                "Among the units in view", "Among wards"}
    assert not any(label.startswith("In ") for label in metrics(at))
    assert "What keeps households poor, 2025: against the province" in [h.value for h in at.subheader]


def test_bad_values_are_dropped_with_a_notice_naming_the_parameter():
    at = page("commune", units="current", commune="31813", lang="en")
    notice = " ".join(w.value for w in at.warning)
    assert "`commune` = `31813` (a unit of the other unit set; this view is in the current units)" in notice
    assert at.title[0].value == "Commune profile" and "commune" not in at.query_params
    at = page("commune", commune="99999")
    assert "`commune` = `99999`" in " ".join(w.value for w in at.warning)
    # a unit of the set outside the places chosen in the sidebar: said, and the picker is offered
    at = page("commune", units="former", year="2024", district="956", commune="31834")
    assert any("Xã Vĩnh Trạch không thuộc địa bàn đang chọn" in i.value for i in at.info)
    assert at.title[0].value == "Hồ sơ xã" and "commune" not in at.query_params


def test_household_counts_against_pandas(classified_pd):
    at = page("commune", units="former", year="2023", commune="31900", signed_in=True)
    part = classified_pd[(classified_pd["commune_code"] == "31900") & (classified_pd["year"] == 2023)]
    assert len(part) > 50
    shown = metrics(at)
    assert shown["Số hộ rà soát"] == VI.num(len(part))
    assert shown["Hộ nghèo"] == VI.num(int((part["status"] == "poor").sum()))
    assert shown["Hộ cận nghèo"] == VI.num(int((part["status"] == "near_poor").sum()))


# --- the same figures as the other pages -----------------------------------------------------------------------------

VIEWS = [
    ({"units": "former", "year": "2024"}, ["31834", "31942", "31981"]),
    ({"units": "former", "year": "2023", "area": "rural", "district": ["956", "961"]}, ["31846", "31927"]),
    ({"units": "current", "year": "2025"}, ["31834", "31825", "31972"]),
]


def _rank(text: str) -> tuple[int, int]:
    rank, of = text.replace(" ", "").split("/")
    return int(rank), int(of)


@pytest.mark.parametrize(("view", "codes"), VIEWS)
def test_profile_equals_the_ranking_row_and_rank(view, codes):
    ranking = page("ranking", **view)
    current = view["units"] == "current"
    name_column = "Xã, phường" if current else "Xã, phường, thị trấn"
    table = table_with(ranking, name_column, "Hạng", "Mã")
    assert len(table) >= (25 if current else 15)
    areas = run("units").query("unit_set == @view['units']").set_index("commune_code")["area"]
    for code in codes:
        at = page("commune", commune=code, **view)
        profile_row = row_of(table_with(at, name_column, "Mã"), code)
        ranking_row = row_of(table, code)
        # the ranking's projection columns are the profile's pace table's (same headers, same cells)
        projected = {k: v for k, v in ranking_row.items() if k.startswith("Dự báo:")}
        assert len(projected) >= 3
        pace = table_with(at, name_column, *projected).iloc[0]
        assert {k: pace[k] for k in projected} == projected
        assert {k: v for k, v in ranking_row.items() if k != "Hạng" and k not in projected} == profile_row
        shown = metrics(at)
        assert _rank(shown["Trong phạm vi đang xem"]) == (int(ranking_row["Hạng"]), len(table))
        order = list(table["Mã"])
        same_area = [c for c in order if areas[c] == areas[code]]
        label = "Trong các " + ({"urban": "phường" if current else "phường, thị trấn", "rural": "xã"}[areas[code]])
        assert _rank(shown[label]) == (same_area.index(code) + 1, len(same_area))
        if not current:
            district = ranking_row["Huyện"]
            same_district = list(table.loc[table["Huyện"] == district, "Mã"])
            assert _rank(shown[f"Trong {district}"]) == (same_district.index(code) + 1, len(same_district))


@pytest.mark.parametrize(("view", "codes"), VIEWS)
def test_profile_equals_the_map_row(view, codes):
    current = view["units"] == "current"
    name_column = "Xã, phường" if current else "Xã, phường, thị trấn"
    table = table_with(page("map", **view), name_column, "Mã")
    for code in codes:
        at = page("commune", commune=code, **view)
        assert row_of(table_with(at, name_column, "Mã"), code) == row_of(table, code)


@pytest.mark.parametrize(("view", "codes"), VIEWS)
def test_profile_flows_equal_the_flows_pages_row(view, codes):
    current = view["units"] == "current"
    name_column = "Xã, phường" if current else "Xã, phường, thị trấn"
    table = table_with(page("flows", **view), name_column, "Mã", "Vẫn nghèo")
    year = int(view["year"])
    for code in codes:
        at = page("commune", commune=code, **view)
        row = row_of(table_with(at, name_column, "Mã", "Vẫn nghèo"), code)
        assert row == row_of(table, code)
        waterfall = next(c for c in charts(at) if c.data[0].type == "waterfall").data[0]
        assert waterfall.x[0] == int(row[f"Hộ nghèo năm {year - 1}"].replace(".", ""))
        assert waterfall.x[-1] == int(row[f"Hộ nghèo năm {year}"].replace(".", ""))


def test_a_small_unit_is_hidden_on_the_profile_as_on_the_ranking(hidden_communes, downloads):  # noqa: F811
    """Khmer households of Đông Hải's communes, 2024 (test_disclosure_pages): a viewer not signed in reads the marker
    wherever the ranking does — counts, rank, flows — and the small numbers are nowhere in what the page sends."""
    view = {"units": "former", "district": "960", "group": "khmer", "year": "2024"}
    table = table_with(page("ranking", **view), "Xã, phường, thị trấn", "Hạng", "Mã")
    code = str(hidden_communes[hidden_communes["poor"] > 0].index[0])  # a rate that is not 0: a secret to keep
    assert secrets(hidden_communes.loc[[code]])
    at = page("commune", commune=code, **view)
    ranking_row = row_of(table, code)
    assert ranking_row["Hạng"] == SMALL and ranking_row["Tỷ lệ nghèo (%)"] == SMALL
    shown = {k: v for k, v in ranking_row.items() if k != "Hạng" and not k.startswith("Dự báo:")}
    assert shown == row_of(table_with(at, "Mã"), code)
    projected = [k for k in ranking_row if k.startswith("Dự báo:")]
    assert {ranking_row[k] for k in projected} == {SMALL}
    assert set(table_with(at, *projected).iloc[0][projected]) == {SMALL}, "the profile's projection is hidden too"
    shown = metrics(at)
    assert shown["Số hộ rà soát"] == shown["Hộ nghèo"] == SMALL
    assert shown["Trong phạm vi đang xem"] == shown["Trong Huyện Đông Hải"] == SMALL
    assert any("không hiển thị biến động của đơn vị này" in i.value for i in at.info)
    sent = page_text(at, downloads())
    assert all(secret not in sent for secret in secrets(hidden_communes.loc[[code]]))
    # signed in, the same unit shows its figures
    signed = page("commune", commune=code, signed_in=True, **view)
    assert metrics(signed)["Số hộ rà soát"] == VI.num(int(hidden_communes.loc[code, "households"]))


def test_the_baseline_and_a_view_without_flows_say_why():
    at = page("commune", units="former", year="2021", commune="31834")
    assert "Năm 2021 là năm gốc: chọn năm từ 2022 để xếp hạng." in [i.value for i in at.info]
    assert any("là năm rà soát đầu tiên" in i.value for i in at.info)
    assert not [c for c in charts(at) if c.data[0].type == "waterfall"]


# --- links into the profile ------------------------------------------------------------------------------------------


def test_unit_tables_link_to_the_profile_with_the_view_and_downloads_leave_the_link_out(monkeypatch):
    shown_to_download: list[pd.DataFrame] = []
    real = download.download_buttons
    monkeypatch.setattr(download, "download_buttons",
                        lambda frame, *a, **k: (shown_to_download.append(frame), real(frame, *a, **k))[1])
    view = {"units": "former", "year": "2023", "area": "rural", "lang": "en"}
    for name in ("ranking", "map", "flows"):
        at = page(name, **view)
        linked = [d.value for d in at.dataframe if "Profile" in d.value.columns]
        assert linked, name
        for table in linked:
            assert list(table.columns)[1] == "Profile"
            for code, url in zip(table["Code"], table["Profile"], strict=True):
                query = parse_qs(urlsplit(url).query)
                assert url.startswith("commune?") and query["commune"] == [code]
                assert {k: v[0] for k, v in query.items() if k != "commune"} == {**view, "group": "all"}
    assert shown_to_download and all("Profile" not in f.columns for f in shown_to_download)
    # the profile a link names is the row's unit
    url = table_with(page("ranking", **view), "Profile", "Code")["Profile"].iloc[0]
    query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    at = page("commune", **query)
    assert at.query_params["commune"] == query["commune"] and at.title[0].value.startswith("Profile: ")


def test_the_maps_chosen_commune_links_to_its_profile_in_the_same_session():
    at = page("map", units="former", year="2024", group="minority")
    at.selectbox(key="map_commune").set_value("31834").run()
    [link] = at.get("page_link")
    assert link.proto.label == "Mở hồ sơ Xã Vĩnh Trạch"
    query = parse_qs(link.proto.query_string)
    assert query == {"units": ["former"], "area": ["all"], "group": ["minority"], "year": ["2024"], "lang": ["vi"],
                     "commune": ["31834"]}
    # following it (the address the link carries) keeps the session's view and opens the unit
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/commune.py").run()
    assert not at.exception
    assert at.title[0].value == "Hồ sơ: Xã Vĩnh Trạch" and at.query_params["commune"] == "31834"
    assert "Phạm vi: Toàn tỉnh · Tất cả · Dân tộc thiểu số · năm 2024" in texts(at)
    # a pick on the page is not undone by the address of the run before
    at.selectbox(key="filter_commune").set_value("31813").run()
    assert at.title[0].value == "Hồ sơ: Phường 2" and at.query_params["commune"] == "31813"


def test_changing_the_unit_set_clears_the_unit_and_says_so():
    at = page("commune", units="former", year="2024", commune="31834")
    at.button_group(key="filter_units").set_value("current").run()
    assert at.query_params["units"] == "current" and "commune" not in at.query_params
    assert any("Xã Vĩnh Trạch" in i.value and "đã bỏ chọn" in i.value for i in at.info)
    assert at.title[0].value == "Hồ sơ xã"


# --- deprivation drivers: the drivers page's figures, and pandas ------------------------------------------------------


def drivers_page_column(view: dict, scope: str) -> list[object]:
    """The drivers page's censored headcounts (as shown, in the standard's order) for `scope` ("total",
    "district:CODE" (chosen in the sidebar), "commune:CODE" (`commune=` in its link))."""
    kind, _, code = scope.partition(":")
    at = page("drivers", **view, **({kind: code} if code else {}))
    return list(table_with(at, "Chỉ số thiếu hụt", "Hộ nghèo và thiếu hụt (% mọi hộ)")[
        "Hộ nghèo và thiếu hụt (% mọi hộ)"])


@pytest.mark.parametrize(("view", "code", "district"), [
    ({"units": "former", "year": "2024"}, "31834", "Thành phố Bạc Liêu"),
    ({"units": "former", "year": "2023", "area": "rural", "group": "minority"}, "31846", "Huyện Hồng Dân"),
    ({"units": "current", "year": "2025"}, "31942", None),
])
def test_profile_drivers_equal_the_drivers_pages(view, code, district):
    at = page("commune", commune=code, **view)
    name = at.title[0].value.split(": ", 1)[1]
    table = table_with(at, "Chỉ số thiếu hụt", "Toàn tỉnh")
    assert list(table.columns) == ["Chỉ số thiếu hụt", name, *([district] if district else []), "Toàn tỉnh"]
    assert len(table) == 12
    assert list(table[name]) == drivers_page_column(view, f"commune:{code}")
    assert list(table["Toàn tỉnh"]) == drivers_page_column(view, "total")
    if district:
        district_code = run("units").query("district_name == @district")["district_code"].iloc[0]
        assert list(table[district]) == drivers_page_column(view, f"district:{district_code}")
    # the drivers page's per-commune table has the same row
    communes = table_with(page("drivers", **view), "Mã", "Số hộ rà soát").set_index("Mã")
    by_label = {c.removesuffix(" (% mọi hộ)"): c for c in communes.columns if c.endswith(" (% mọi hộ)")}
    assert [communes.loc[code, by_label[label]] for label in table["Chỉ số thiếu hụt"]] == list(table[name])
    [chart] = [c for c in charts(at) if c.data[0].type == "bar"]
    assert [t.name for t in chart.data][::-1] == list(table.columns[1:]), "one bar per place, the unit first"


def test_profile_censored_headcounts_against_pandas(classified_pd, raw):
    at = page("commune", units="former", year="2024", commune="31834", signed_in=True)
    table = table_with(at, "Chỉ số thiếu hụt", "Toàn tỉnh").set_index("Chỉ số thiếu hụt")
    part = classified_pd[(classified_pd["commune_code"] == "31834") & (classified_pd["year"] == 2024)]
    poor = part["status"] == "poor"
    labels = raw["indicators"].set_index("indicator")["label_vi"]
    standard = raw["standards"].query("first_year <= 2024 <= last_year").iloc[0]
    compared = 0
    for indicator in standard.indicators:
        want = 100 * int((poor & part[f"d_{indicator}"].astype(bool)).sum()) / len(part)
        assert table.loc[labels[indicator], "Xã Vĩnh Trạch"] == VI.num(want, 2), indicator
        compared += 1
    assert compared == 12


def test_a_small_units_drivers_are_hidden(hidden_communes, downloads):  # noqa: F811
    code = str(hidden_communes[hidden_communes["poor"] > 0].index[0])
    view = {"units": "former", "district": "960", "group": "khmer", "year": "2024"}
    at = page("commune", commune=code, **view)
    table = table_with(at, "Chỉ số thiếu hụt", "Toàn tỉnh")
    unit = table.columns[1]
    assert set(table[unit]) == {SMALL} and SMALL not in set(table["Toàn tỉnh"])
    assert any(c.value.startswith("Không hiển thị: ") and SMALL in c.value for c in at.caption)
    [chart] = [c for c in charts(at) if c.data[0].type == "bar"]
    bars = next(t for t in chart.data if t.name == unit)
    assert all(pd.isna(x) for x in array(bars.x)) and set(bars.customdata) == {SMALL}
