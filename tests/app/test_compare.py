"""The compare page (issue 12, item 4): up to four places (former districts or communes, or current units) chosen in
the link (`compare=`, repeatable) or the picker; their trajectories against their own paths on one chart, their
figures in the view year equal to the ranking page's rows for the same filters, hidden figures hidden as there.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from dashboard.filters import Filters, dropped_notice, unit_codes
from i18n import Translator
from queries.runner import run

from .test_disclosure_pages import (  # noqa: F401 (fixtures)
    SMALL,
    downloads,
    hidden_communes,
    khmer_communes,
    page_text,
    secrets,
)
from .test_pages import charts
from .test_profile import PLACES, UNITS, page, parse, row_of, table_with

VI, EN = Translator("vi"), Translator("en")


@pytest.fixture(autouse=True)
def _on_the_demo_warehouse(warehouse):
    """Every test here opens the app on the demo warehouse of this worker."""


def test_compare_takes_up_to_four_places_of_the_views_set_in_order():
    view, dropped = parse(units=["former"], compare=["956", "31834", "956", "31813"], year=["2024"])
    assert view == Filters(year=2024, units="former", compare=("956", "31834", "31813")) and dropped == []
    assert view.query_params(with_compare=True)["compare"] == ["956", "31834", "31813"]
    assert "compare" not in view.query_params()
    view, dropped = parse(units=["former"], compare=["954", "956", "957", "958", "959", "99999", "31813"])
    assert view.compare == ("954", "956", "957", "958")
    assert dropped == [("compare", "959"), ("compare", "99999"), ("compare", "31813")]
    assert dropped_notice(EN, dropped, "former", unit_codes(PLACES, UNITS)) == (
        "Ignored invalid link parameters: `compare` = `99999`; `compare`: at most 4 places are compared; kept the "
        "first 4, left out `959`, `31813`.")
    # a district is no place of the current units
    view, dropped = parse(units=["current"], compare=["956", "31834"])
    assert view.compare == ("31834",)
    assert dropped_notice(VI, dropped, "current", unit_codes(PLACES, UNITS)) == (
        "Đã bỏ qua tham số không hợp lệ trong đường dẫn: `compare` = `956` (đơn vị của cách chia đơn vị khác; trang "
        "đang xem theo đơn vị hiện nay).")
    # without `units`, places of one set only open that set
    assert parse(compare=["956", "31834"]) == (Filters(year=2025, units="former", compare=("956", "31834")), [])
    assert Filters(year=2024, compare=("956", "31834")).compare_url(["956", "31834"]).startswith(
        "compare?units=former&area=all&group=all&year=2024&lang=vi&compare=956&compare=31834")


def test_without_places_the_page_offers_the_districts_then_their_communes():
    at = page("compare", units="former", year="2024")
    assert at.title[0].value == "So sánh địa bàn"
    box = at.multiselect(key="filter_compare")
    units = run("units").query("unit_set == 'former'")
    assert len(box.options) == 7 + len(units) == 71
    assert box.options[:2] == ["Thành phố Bạc Liêu", "Huyện Hồng Dân"]
    assert not charts(at) and "compare" not in at.query_params
    # choosing writes the address in the order chosen; the address reproduces the view
    at.multiselect(key="filter_compare").select("31834").select("956").run()
    assert at.query_params["compare"] == ["31834", "956"]
    again = page("compare", **dict(at.query_params))
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in at.dataframe]
    assert again.multiselect(key="filter_compare").value == ["31834", "956"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_link_draws_each_place_against_its_path_and_the_ranking_figures(lang):
    tr = Translator(lang)  # type: ignore[arg-type]
    view = {"units": "former", "year": "2024", "lang": lang}
    at = page("compare", compare=["956", "31834", "31942"], **view)
    assert at.query_params["compare"] == ["956", "31834", "31942"]
    [chart] = [c for c in charts(at) if c.data[0].type == "scatter"]
    names = {t.name for t in chart.data}
    for name in ("Huyện Hồng Dân", "Xã Vĩnh Trạch", "Phường 1 (TX Giá Rai)", tr("scope.province")):
        assert name in names
        assert f"{name} ({tr('traj.path')})" in names, "each place's own path"
    paths = [t for t in chart.data if str(t.name).endswith(f"({tr('traj.path')})")]
    assert all(t.line.dash == "dash" for t in paths)
    colours = {t.line.color for t in chart.data if t.name in ("Huyện Hồng Dân", "Xã Vĩnh Trạch",
                                                              "Phường 1 (TX Giá Rai)")}
    assert len(colours) == 3, "one colour per place"
    assert tr("pace.legend") in names
    pace = table_with(at, tr("compare.col_unit"), tr("pace.col.pace"))
    assert list(pace[tr("compare.col_unit")]) == ["Huyện Hồng Dân", "Xã Vĩnh Trạch", "Phường 1 (TX Giá Rai)"], \
        "the places in the order chosen"
    assert [s.value for s in at.subheader][:2] == [tr("compare.trajectories_h"), tr("compare.table_h", year=2024)]


def test_the_table_rows_are_the_ranking_pages_rows():
    view = {"units": "former", "year": "2023", "area": "rural"}
    at = page("compare", compare=["958", "31834", "31846"], **view)
    ranking = page("ranking", **view)
    districts = table_with(ranking, "Huyện", "Hạng", "Mã")
    communes = table_with(ranking, "Xã, phường, thị trấn", "Hạng", "Mã")
    table = table_with(at, "Địa bàn", "Tiến độ").rename(columns={"Địa bàn": "name"})
    assert len(table) == 3
    for name, code, source in (("Huyện Vĩnh Lợi", "958", districts), ("Xã Vĩnh Trạch", "31834", communes),
                               ("Xã Ninh Quới", "31846", communes)):
        shown = table[table["name"] == name].drop(columns=["name", "Hồ sơ"]).iloc[0].to_dict()
        ranked = row_of(source, code)
        assert shown and {k: ranked[k] for k in shown} == shown, name
    # communes link to their profile with the view; a district has no profile
    links = dict(zip(table["name"], table["Hồ sơ"], strict=True))
    assert pd.isna(links["Huyện Vĩnh Lợi"])
    query = parse_qs(urlsplit(links["Xã Vĩnh Trạch"]).query)
    assert query["commune"] == ["31834"] and query["area"] == ["rural"] and query["year"] == ["2023"]


def test_current_units_of_2025_in_english():
    at = page("compare", compare=["31834", "31825"], lang="en")
    assert at.query_params["units"] == "current" and at.query_params["compare"] == ["31834", "31825"]
    box = at.multiselect(key="filter_compare")
    assert len(box.options) == 25 and box.value == ["31834", "31825"]
    table = table_with(at, "Place", "Pace")
    assert list(table["Place"]) == ["Phường Vĩnh Trạch", "Phường Bạc Liêu"]
    ranking = table_with(page("ranking", units="current", year="2025"), "Xã, phường", "Hạng", "Mã")
    shown = table_with(page("compare", compare=["31834", "31825"]), "Địa bàn", "Tiến độ")
    for name, code in (("Phường Vĩnh Trạch", "31834"), ("Phường Bạc Liêu", "31825")):
        row = shown[shown["Địa bàn"] == name].drop(columns=["Địa bàn", "Hồ sơ"]).iloc[0].to_dict()
        ranked = row_of(ranking, code)
        assert {k: ranked[k] for k in row} == row


def test_too_many_or_bad_places_are_dropped_with_a_notice():
    at = page("compare", units="former", year="2024", lang="en",
              compare=["954", "956", "957", "958", "959", "nope"])
    notice = " ".join(w.value for w in at.warning)
    assert "`compare` = `nope`" in notice
    assert "at most 4 places are compared; kept the first 4, left out `959`" in notice
    assert at.query_params["compare"] == ["954", "956", "957", "958"]
    assert len(table_with(at, "Place", "Pace")) == 4


def test_a_hidden_place_shows_the_marker_and_none_of_its_figures(hidden_communes, downloads):  # noqa: F811
    code = str(hidden_communes[hidden_communes["poor"] > 0].index[0])
    view = {"units": "former", "district": "960", "group": "khmer", "year": "2024"}
    at = page("compare", compare=["960", code], **view)
    table = table_with(at, "Địa bàn", "Tiến độ")
    row = table[table["Hồ sơ"].notna()].iloc[0]
    assert row["Tỷ lệ nghèo (%)"] == row["R = đã giảm / cần giảm"] == SMALL
    assert row["Tiến độ"] == VI.status("suppressed")
    sent = page_text(at, downloads())
    assert all(secret not in sent for secret in secrets(hidden_communes.loc[[code]]))
    # a signed-in reader sees the figures
    signed = page("compare", compare=["960", code], signed_in=True, **view)
    shown = table_with(signed, "Địa bàn", "Tiến độ")
    rate = float(hidden_communes.loc[code, "poor_rate"])
    assert VI.num(rate, 2) in set(shown["Tỷ lệ nghèo (%)"])


def test_places_outside_the_chosen_districts_are_said_and_left_out():
    at = page("compare", units="former", year="2024", district="956", compare=["31846", "31834"])
    assert any("Xã Vĩnh Trạch" in i.value and "không thuộc địa bàn đang chọn" in i.value for i in at.info)
    assert at.query_params["compare"] == "31846"
    assert list(table_with(at, "Địa bàn", "Tiến độ")["Địa bàn"]) == ["Xã Ninh Quới"]


def test_compare_frames_keep_the_chosen_order():
    """`profile.compared_rows` returns the places in the order chosen, districts and communes mixed."""
    from dashboard import derived
    from dashboard.disclosure import Rule
    from dashboard.profile import compared_rows

    params = {"units": "former", "district": [], "area": "all", "group": "all"}
    rule = Rule(active=False)
    rows = compared_rows(derived.progress("district", params, rule), derived.progress("commune", params, rule),
                         ["31834", "956"])
    assert list(pd.unique(rows["unit_code"])) == ["31834", "956"]
    assert set(rows["year"]) == {2021, 2022, 2023, 2024, 2025}


def test_the_drivers_side_by_side_are_the_drivers_pages():
    view = {"units": "former", "year": "2024", "area": "rural"}
    at = page("compare", compare=["31846", "957"], **view)
    table = table_with(at, "Chỉ số thiếu hụt", "Xã Ninh Quới")
    assert list(table.columns) == ["Chỉ số thiếu hụt", "Xã Ninh Quới", "Huyện Phước Long"] and len(table) == 12
    drivers = page("drivers", **view)
    communes = table_with(drivers, "Mã", "Số hộ rà soát").set_index("Mã")
    by_label = {c.removesuffix(" (% mọi hộ)"): c for c in communes.columns if c.endswith(" (% mọi hộ)")}
    assert [communes.loc["31846", by_label[label]] for label in table["Chỉ số thiếu hụt"]] == list(
        table["Xã Ninh Quới"])
    district = table_with(page("drivers", **view, district="957"), "Chỉ số thiếu hụt",
                          "Hộ nghèo và thiếu hụt (% mọi hộ)")
    assert list(district["Hộ nghèo và thiếu hụt (% mọi hộ)"]) == list(table["Huyện Phước Long"])
    [chart] = [c for c in charts(at) if c.data[0].type == "bar"]
    [trajectories] = [c for c in charts(at) if c.data[0].type == "scatter"]
    colour = {t.name: t.line.color for t in trajectories.data if t.name in ("Xã Ninh Quới", "Huyện Phước Long")}
    assert {t.name: t.marker.color for t in chart.data} == colour, "each place has one colour on both charts"
