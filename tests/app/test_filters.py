"""Parsing link parameters: valid values kept, anything else dropped and reported, nothing passed through as text."""

from __future__ import annotations

from dashboard.filters import Filters, dropped_notice, follows_year, next_units, parse_query_params
from i18n import Translator

DISTRICTS = ["954", "956", "957", "958", "959", "960", "961"]
CURRENT_UNITS = ["31825", "31834", "31840", "31843", "31942"]  # a few of the 25 current units' codes
YEARS = [2021, 2022, 2023, 2024, 2025]
# the set each year is filed in, as `review_coverage.unit_set` has it (here written out: the warehouse's own is read by
# the app tests)
FILED = {2021: "former", 2022: "former", 2023: "former", 2024: "former", 2025: "current"}
PLACES = {"former": DISTRICTS, "current": CURRENT_UNITS}


def parse(**raw: list[str]):
    """The parser as before the unit sets: former places only, every year in the former set."""
    return parse_query_params(raw, DISTRICTS, YEARS)


def parse_sets(default_year: int | None = None, **raw: list[str]):
    return parse_query_params(raw, PLACES, YEARS, default_year, FILED)


def test_defaults_without_parameters():
    view, dropped = parse()
    assert view == Filters(year=2025)
    assert dropped == []


def test_all_parameters_valid():
    view, dropped = parse(district=["958", "956"], area=["rural"], group=["khmer"], year=["2023"], lang=["en"],
                          metric=["poor_households"])
    assert view == Filters(year=2023, districts=("956", "958"), area="rural", group="khmer", lang="en",
                           metric="poor_households")
    assert dropped == []


def test_invalid_values_are_dropped_and_reported():
    view, dropped = parse(district=["956", "999", "956"], year=["2030"], area=["suburb"], lang=["fr"],
                          group=["'; DROP TABLE units; --"], metric=["x"])
    assert view == Filters(year=2025, districts=("956",))
    assert ("district", "999") in dropped
    assert ("year", "2030") in dropped
    assert ("area", "suburb") in dropped
    assert ("group", "'; DROP TABLE units; --") in dropped
    assert len(dropped) == 6


def test_year_must_be_a_plain_year_in_the_warehouse():
    for bad in ["2020", "20221", "2022 OR 1=1", "", "2,022"]:
        view, dropped = parse(year=[bad])
        assert view.year == 2025 and dropped == [("year", bad)]


def test_unknown_parameters_are_reported_and_streamlits_own_ignored():
    _view, dropped = parse(foo=["1"], embed=["true"])
    assert dropped == [("foo", "")]


def test_url_form_round_trips():
    view = Filters(year=2023, districts=("956", "958"), area="urban", group="minority", lang="en", metric="poor_rate")
    params = view.query_params(with_metric=True)
    assert params["district"] == ["956", "958"]
    raw = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    assert parse(**raw) == (view, [])


def test_notice_shows_values_literally_and_truncated():
    tr = Translator("en")
    text = dropped_notice(tr, [("district", "`<script>` " + "x" * 80), ("foo", "")])
    assert text is not None
    assert "<script>" in text and "`<script>`" not in text  # backticks removed, value shown inside a code span
    assert "…" in text and "unknown parameter `foo`" in text
    assert dropped_notice(tr, []) is None


def test_tracking_parameters_of_a_shared_link_are_ignored_silently():
    """A link shared on social media or by a mail tool gains `fbclid`, `gclid`, `utm_*`: the view is the link's own,
    and nothing is reported (a leader should not see an "invalid parameter" warning for Facebook's click id)."""
    view, dropped = parse(year=["2023"], fbclid=["IwAR0abc"], gclid=["Cj0K"], utm_source=["zalo"],
                          UTM_Campaign=["x"], mc_eid=["1"])
    assert view == Filters(year=2023)
    assert dropped == []
    view, dropped = parse(year=["2023"], fbclidx=["1"])  # only the known names: anything else is still reported
    assert dropped == [("fbclidx", "")]


# --- the unit set (issue 10): units=former|current ------------------------------------------------------------------


def test_without_units_a_link_shows_the_set_its_year_is_filed_in():
    assert parse_sets() == (Filters(year=2025, units="current"), [])
    assert parse_sets(year=["2024"]) == (Filters(year=2024, units="former"), [])
    assert parse_sets(year=["2021"])[0].units == "former"
    # the default year decides when the link has none
    assert parse_sets(default_year=2023) == (Filters(year=2023, units="former"), [])


def test_an_explicit_set_is_kept_whatever_the_year():
    assert parse_sets(units=["former"]) == (Filters(year=2025, units="former"), [])
    assert parse_sets(units=["current"], year=["2022"]) == (Filters(year=2022, units="current"), [])


def test_an_unknown_set_is_dropped_and_the_years_set_used():
    for bad in ["new", "Current", "", "current'; --"]:
        view, dropped = parse_sets(units=[bad], year=["2023"])
        assert view == Filters(year=2023, units="former") and dropped == [("units", bad)]


def test_places_are_district_codes_in_former_units_and_unit_codes_in_current_ones():
    view, dropped = parse_sets(units=["current"], unit=["31843", "31825", "31843", "99999", "956"])
    assert view == Filters(year=2025, units="current", districts=("31825", "31843"))
    assert dropped == [("unit", "99999"), ("unit", "956")]  # a district code is no current unit
    view, dropped = parse_sets(units=["former"], district=["956", "31843"])
    assert view == Filters(year=2025, units="former", districts=("956",)) and dropped == [("district", "31843")]


def test_a_place_parameter_of_the_other_set_is_dropped_never_intersected():
    view, dropped = parse_sets(units=["current"], district=["956"], year=["2024"])
    assert view == Filters(year=2024, units="current") and dropped == [("district", "956")]
    view, dropped = parse_sets(units=["former"], unit=["31843"])
    assert view == Filters(year=2025, units="former") and dropped == [("unit", "31843")]
    notice = dropped_notice(Translator("vi"), dropped)
    assert notice == "Đã bỏ qua tham số không hợp lệ trong đường dẫn: `unit` = `31843`."
    # with the view's set, the notice says why (found by the fresh-user pass: 954 is a valid former district)
    assert dropped_notice(Translator("vi"), dropped, "former") == (
        "Đã bỏ qua tham số không hợp lệ trong đường dẫn: `unit` = `31843` (địa bàn của cách chia đơn vị khác; trang "
        "đang xem theo đơn vị trước sáp nhập, chọn địa bàn bằng district=).")
    assert dropped_notice(Translator("en"), [("district", "954")], "current") == (
        "Ignored invalid link parameters: `district` = `954` (a place of the other unit set; this view is in the "
        "current units, where places are chosen with unit=).")
    # a bad code of the view's own set is just a bad value
    assert dropped_notice(Translator("en"), [("unit", "99999")], "current") == (
        "Ignored invalid link parameters: `unit` = `99999`.")


def test_without_units_the_place_parameter_decides_the_set():
    """A link from before the unit sets (`?district=956`) still shows Hồng Dân: in the former units, even for 2025."""
    assert parse_sets(district=["956"]) == (Filters(year=2025, units="former", districts=("956",)), [])
    assert parse_sets(unit=["31843"], year=["2022"]) == (
        Filters(year=2022, units="current", districts=("31843",)), [])
    # both given: neither decides; the year's set keeps its own places, the other's are dropped
    view, dropped = parse_sets(district=["956"], unit=["31843"], year=["2023"])
    assert view == Filters(year=2023, units="former", districts=("956",)) and dropped == [("unit", "31843")]


def test_the_url_form_names_the_set_and_its_places_and_round_trips():
    current = Filters(year=2023, districts=("31825", "31843"), area="rural", lang="en", units="current")
    params = current.query_params()
    assert params == {"units": "current", "unit": ["31825", "31843"], "area": "rural", "group": "all",
                      "year": "2023", "lang": "en"}
    former = Filters(year=2025, districts=("956",), units="former")
    assert former.query_params()["district"] == ["956"] and "unit" not in former.query_params()
    for view in (current, former, Filters(year=2025, units="current")):
        raw = {k: v if isinstance(v, list) else [v] for k, v in view.query_params().items()}
        assert parse_sets(**raw) == (view, [])
    assert current.sql_params() == {"units": "current", "district": ["31825", "31843"], "area": "rural",
                                    "group": "all"}


def test_the_set_follows_the_year_until_the_viewer_picks_one():
    # a view in the set of its year follows the year; a link in the other set is pinned
    assert follows_year(Filters(year=2025, units="current"), FILED)
    assert not follows_year(Filters(year=2025, units="former"), FILED)
    following = Filters(year=2025, units="current")
    assert next_units(following, "current", 2024, False, FILED) == ("former", False)  # the year moved: so does the set
    assert next_units(following, "current", 2025, False, FILED) == ("current", False)
    # a pick pins the set; a pinned set stays whatever the year
    assert next_units(following, "former", 2025, False, FILED) == ("former", True)
    pinned = Filters(year=2025, units="former")
    assert next_units(pinned, "former", 2022, True, FILED) == ("former", True)
    assert next_units(Filters(year=2022, units="former"), "former", 2025, True, FILED) == ("former", True)
    # picking the set the year would have given still pins it: the viewer chose it
    assert next_units(Filters(year=2022, units="current"), "former", 2022, True, FILED) == ("former", True)
