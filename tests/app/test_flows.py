"""The flows page (issue 11): the accounting of poor and near-poor households between two reviews, per selection,
district and commune; the flag "more fell back or became newly poor than escaped"; the escaped households' health
insurance per unit; small cells hidden in both years; links that reproduce the view.

Expected figures come from the warehouse's own rows read here (`household_flows` rows, the base tables through
`classified_pd`), computed in pandas, or from the queries the page must agree with (`poverty_flows`,
`poor_rate_progress`, `other_targets_progress`).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import disclosure, flows
from dashboard.disclosure import Rule, flow_states
from dashboard.lattice import COMPLEMENT, SMALL, Cell, Lattice
from i18n import TEXT, Translator
from queries.runner import run
from queries.status import goal_target_text, goal_text

from .conftest import tables
from .test_coverage import PARTIAL_YEAR, partial_warehouse  # noqa: F401 (a fixture, used last in this file)
from .test_pages import charts, texts

VI, EN = Translator("vi"), Translator("en")
ALL = {"district": [], "area": "all", "group": "all"}


def params(units: str = "former", **filters: object) -> dict[str, object]:
    return {"units": units, **ALL, **filters}


def table_with(at, *columns: str) -> pd.DataFrame:
    """The first table of the page (a grid or a static table) with all these columns."""
    return next(d.value for d in tables(at) if set(columns) <= set(d.value.columns))


@pytest.fixture(scope="module")
def cats(warehouse: Path) -> pd.DataFrame:
    return flows.categories()


@pytest.fixture(scope="module")
def household_flows(warehouse: Path):
    """`household_flows` rows for a unit set and filter, read straight from the warehouse (no dashboard query)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    cache: dict[tuple, pd.DataFrame] = {}

    def rows(units: str, district: tuple[str, ...] = (), area: str = "all", group: str = "all") -> pd.DataFrame:
        key = (units, district, area, group)
        if key not in cache:
            cache[key] = con.execute("SELECT * FROM household_flows($u, $d, $a, $g)",
                                     {"u": units, "d": list(district), "a": area, "g": group}).df()
        return cache[key]

    yield rows
    con.close()


# --- the pieces, on small frames -------------------------------------------------------------------------------------


def _long(rows: list[tuple[str, str, str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit_code", "class", "side", "flow", "households", "people"])


def test_accounts_follow_the_definitions_order_and_add_up(cats):
    flows_long = _long([
        ("A", "poor", "out", "stayed", 5, 20), ("A", "poor", "out", "escaped_above", 2, 7),
        ("A", "poor", "in", "stayed", 5, 21), ("A", "poor", "in", "fell_back", 3, 9),
        ("B", "near_poor", "out", "left", 1, 4),
    ])
    wide = flows.accounts(flows_long, cats, "poor")
    order = cats[cats["class"] == "poor"].sort_values("position")
    assert list(wide.columns) == ["start", *[f"{s}.{f}" for s, f in zip(order["side"], order["flow"], strict=True)],
                                  "end"]
    assert wide.loc["A", "start"] == 7 and wide.loc["A", "end"] == 8
    assert wide.loc["A", "out.escaped_to_near_poor"] == 0 and wide.loc["A", "in.fell_back"] == 3
    assert (wide.loc["B"] == 0).all(), "a unit with no poor flows has zeros"
    assert flows.accounts(flows_long, cats, "poor", "people").loc["A", "end"] == 30
    signs = dict(zip(order["side"] + "." + order["flow"], order["sign"], strict=True))
    assert wide.loc["A", "end"] == wide.loc["A", "start"] + sum(sign * wide.loc["A", k] for k, sign in signs.items())


def test_the_flag_counts_fell_back_and_newly_poor_against_escaped(cats):
    flows_long = _long([
        ("even", "poor", "out", "escaped_to_near_poor", 2, 0), ("even", "poor", "in", "fell_back", 1, 0),
        ("even", "poor", "in", "newly_poor", 1, 0),
        ("more", "poor", "out", "escaped_above", 1, 0), ("more", "poor", "in", "newly_poor", 2, 0),
        ("joined", "poor", "in", "joined", 9, 0), ("near", "near_poor", "in", "fell_back", 5, 0),
    ])
    flag = flows.falling_behind(flows_long, cats)
    assert flag["flagged"].to_dict() == {"even": False, "joined": False, "more": True, "near": False}
    assert flag.loc["more", "poor_entered"] == 2 and flag.loc["more", "poor_escaped"] == 1


def _lattice() -> Lattice:
    """Former communes X (shown both years), S (small in 2023), C (a complement in 2024), G (no household in 2023),
    all in district D; the province."""
    sizes = {Cell(2023, "commune", "X", "all", "all"): 40, Cell(2024, "commune", "X", "all", "all"): 42,
             Cell(2023, "commune", "S", "all", "all"): 6, Cell(2024, "commune", "S", "all", "all"): 12,
             Cell(2023, "commune", "C", "all", "all"): 30, Cell(2024, "commune", "C", "all", "all"): 31,
             Cell(2024, "commune", "G", "all", "all"): 25,
             Cell(2023, "province", "", "all", "all"): 76, Cell(2024, "province", "", "all", "all"): 110}
    states = {Cell(2023, "commune", "S", "all", "all"): SMALL, Cell(2024, "commune", "C", "all", "all"): COMPLEMENT}
    return Lattice(10, sizes, states, districts={2023: ("D",), 2024: ("D",)})


def _cells_frame(rows: list[tuple[str, int, int]], year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame([{"unit_code": u, "year": year, "start_households": s, "end_households": e}
                         for u, s, e in rows])


def test_a_units_flows_are_shown_only_when_its_cells_of_both_years_are():
    frame = _cells_frame([("X", 40, 42), ("S", 6, 12), ("C", 30, 31), ("G", 0, 25), ("X", 40, 41)])
    states = flow_states(frame, Rule(10), _lattice(), level="commune", area="all", group="all")
    # X shown; S small the year before; C protects another cell this year; G had no household the year before (no
    # cell: nothing to hide); X read with another count than the lattice's (another warehouse version): hidden
    assert states == [None, SMALL, COMPLEMENT, None, COMPLEMENT]
    assert flow_states(frame, Rule(10, active=False), None, level="commune", area="all", group="all") == [None] * 5
    total = _cells_frame([("total", 76, 110)])
    assert flow_states(total, Rule(10), _lattice(), level="total", area="all", group="all") == [None]
    assert flow_states(_cells_frame([("total", 6, 110)]), Rule(10), _lattice(), level="total", area="all",
                       group="all") == [SMALL]


def test_protect_removes_every_figure_of_a_hidden_unit_and_a_share_of_few_escaped_households(cats):
    long = _long([("X", "poor", "out", "escaped_above", 4, 12), ("S", "poor", "in", "newly_poor", 3, 9),
                  ("S", "poor", "out", "escaped_above", 1, 2)])
    units = pd.DataFrame({"unit_code": ["X", "S"], "unit_name": ["X", "S"], "district_code": ["D", "D"],
                          "district_name": ["D", "D"], "year": [2024, 2024], "start_households": [40, 6],
                          "end_households": [42, 12], "escaped_households": [4, 1], "escaped_people": [12, 2],
                          "insured_people": [12, 1], "insured_share": [100.0, 50.0]})
    frame = flows.unit_frame(units, long, cats, "poor", "households")
    out = flows.protect(frame, Rule(10), [None, SMALL])
    shown, hidden = out.iloc[0], out.iloc[1]
    assert shown["out.escaped_above"] == 4 and np.isnan(shown["insured_share"])
    assert shown["hidden_insured"] == SMALL, "a share of 4 escaped households is hidden as the overview hides it"
    assert hidden["hidden"] == SMALL and pd.isna(hidden["flagged"])
    for column in ("start", "end", "in.newly_poor", "out.escaped_above", "poor_entered", "insured_share"):
        assert pd.isna(hidden[column]), column
    table, _ = flows.unit_table(out, cats, VI, Rule(10), flow_class="poor", count="households", year=2024,
                                unit_column="col.commune")
    marker = Rule(10).marker(VI)
    row = table.iloc[1]
    assert all(row[c] == marker for c in table.columns if c not in ("Xã, phường, thị trấn", "Mã")), row
    assert table.iloc[0]["Hộ nghèo năm 2023"] == 4


def test_every_category_has_its_name_in_both_languages(cats):
    for row in cats.itertuples():
        key = f"flow.{row._1}.{row.side}.{row.flow}"
        assert key in TEXT and all(TEXT[key].values()), key
    for name in ("poor", "near_poor"):
        assert f"flows.total.{name}" in TEXT and f"flows.members_change.{name}" in TEXT
    for name in flows.CLASSES:
        assert f"flows.class_short.{name}" in TEXT


def test_class_and_count_travel_in_the_link_and_bad_values_are_dropped():
    from dashboard.filters import Filters, parse_query_params

    view, dropped = parse_query_params({"class": ["near_poor"], "count": ["people"], "year": ["2024"]}, ["956"],
                                       [2023, 2024])
    assert (view.flow_class, view.flow_count, dropped) == ("near_poor", "people", [])
    assert view.query_params(with_flows=True)["class"] == "near_poor"
    assert "class" not in view.query_params() and "count" not in view.query_params()
    view, dropped = parse_query_params({"class": ["'; DROP"], "count": ["cows"]}, ["956"], [2024])
    assert (view.flow_class, view.flow_count) == (Filters(2024).flow_class, Filters(2024).flow_count) == (
        "poor", "households")
    assert dropped == [("class", "'; DROP"), ("count", "cows")]


# --- the queries on the demo warehouse -------------------------------------------------------------------------------


VIEWS = [("former", {}), ("former", {"area": "urban"}), ("former", {"group": "khmer", "area": "rural"}),
         ("current", {}), ("current", {"area": "urban", "group": "minority"}), ("former", {"district": ["956"]})]


@pytest.mark.parametrize(("units", "filters"), VIEWS)
def test_every_units_accounting_adds_up_and_starts_and_ends_at_its_poor_households(cats, units, filters):
    """end = start + Σ sign × households for both classes at every level and year; the start and end of the poor
    (near-poor) class are the unit's poor (near-poor) households of the two reviews, and its cells its reviewed
    households, as queries/poor_rate_progress.sql counts them."""
    view = params(units, **filters)
    levels = ["total", "commune"] + (["district"] if units == "former" else [])
    checked = 0
    for level in levels:
        progress = run("poor_rate_progress", level=level, **view).set_index(["unit_code", "year"])
        for year in (2022, 2023, 2024, 2025):
            cells = flows.read_units(level, view, year).set_index("unit_code")
            long = flows.read_flows(level, view, year)
            for flow_class, column in (("poor", "poor_households"), ("near_poor", "near_poor_households")):
                wide = flows.accounts(long, cats, flow_class).reindex(cells.index, fill_value=0)
                signs = flows.class_categories(cats, flow_class).set_index("key")["sign"]
                assert (wide["end"] == wide["start"] + (wide[list(signs.index)] * signs).sum(axis=1)).all()
                for code in cells.index:  # the selection's row is 'total' in both queries
                    before = progress.loc[(code, year - 1)] if (code, year - 1) in progress.index else None
                    now = progress.loc[(code, year)] if (code, year) in progress.index else None
                    assert wide.loc[code, "start"] == (0 if before is None else before[column]), (level, code, year)
                    assert wide.loc[code, "end"] == (0 if now is None else now[column]), (level, code, year)
                    assert cells.loc[code, "start_households"] == (0 if before is None else before["households"])
                    assert cells.loc[code, "end_households"] == (0 if now is None else now["households"])
                    checked += 1
    assert checked > 20


def test_the_escaped_households_health_insurance_per_unit_against_pandas_and_the_overview(household_flows):
    rows = household_flows("former")
    rows = rows[rows["year"] == 2024]
    escaped = rows[rows["poor_out"].isin(["escaped_to_near_poor", "escaped_above"])]
    insured = escaped[~escaped["end_d_health_insurance"].astype(bool)]
    by_commune = 100 * insured.groupby("commune_code")["end_members"].sum().reindex(
        escaped["commune_code"].unique(), fill_value=0) / escaped.groupby("commune_code")["end_members"].sum()
    got = flows.read_units("commune", params(), 2024).set_index("unit_code")
    assert len(by_commune) >= 10
    for code, share in by_commune.items():
        assert got.loc[code, "insured_share"] == pytest.approx(share), code
    assert got["insured_share"].isna().sum() == len(got) - len(by_commune), "no escaped household: no share"
    total = flows.read_units("total", params(), 2024).iloc[0]
    target = run("other_targets_progress", **params()).set_index(["scope", "year"]).loc[
        ("health_insurance_escaped", 2024)]
    assert total["insured_share"] == pytest.approx(target["value"]) and total["escaped_households"] == target[
        "population"]


# --- the page --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("units", "filters"), [("former", {"year": "2024"}), ("current", {}),
                                                ("former", {"year": "2025", "area": "urban", "group": "minority"}),
                                                ("current", {"unit": ["31843", "31825"], "year": "2023"})])
def test_the_page_runs_in_both_languages_and_sets_with_filters(app, lang, units, filters):
    at = app("flows", units=units, lang=lang, signed_in=True, **filters)
    assert not at.exception and not at.error, [e.value for e in at.exception]
    tr = Translator(lang)  # type: ignore[arg-type]
    year = int(at.query_params["year"])
    assert at.title[0].value == tr("flows.title", start=year - 1, end=year)
    headings = [s.value for s in at.subheader]
    assert tr("flows.accounting.poor", start=year - 1, end=year) in headings
    assert (tr("flows.districts", start=year - 1, end=year) in headings) == (units == "former")
    assert tr("flows.units" if units == "current" else "flows.communes", start=year - 1, end=year) in headings
    assert len(charts(at)) == 2, "the waterfall and the Sankey"
    assert {c.data[0].type for c in charts(at)} == {"waterfall", "sankey"}
    assert at.query_params["class"] == "poor" and at.query_params["count"] == "households"


def _shown_number(text: str, tr: Translator) -> int:
    return int(text.replace("." if tr.lang == "vi" else ",", ""))


@pytest.mark.parametrize(("units", "level", "year"), [("former", "commune", 2024), ("former", "district", 2023),
                                                      ("current", "commune", 2025)])
def test_the_tables_numbers_are_the_querys(app, cats, units, level, year):
    at = app("flows", units=units, year=str(year), signed_in=True)
    tr = VI
    column = {"district": "Huyện", "commune": "Xã, phường" if units == "current" else "Xã, phường, thị trấn"}[level]
    table = table_with(at, column, "Mã").set_index("Mã")
    view = params(units)
    want = flows.accounts(flows.read_flows(level, view, year), cats, "poor")
    units_frame = flows.read_units(level, view, year).set_index("unit_code")
    assert set(table.index) == set(units_frame.index)
    headers = {"start": f"Hộ nghèo năm {year - 1}", "end": f"Hộ nghèo năm {year}",
               "out.escaped_to_near_poor": "Thoát nghèo, thành hộ cận nghèo (−)", "in.fell_back": "Tái nghèo (+)",
               "in.newly_poor": "Hộ nghèo phát sinh (+)", "in.joined": "Mới vào rà soát (+)",
               "out.left": "Ra khỏi rà soát (−)", "out.stayed": "Vẫn nghèo"}
    compared = 0
    for code, row in table.iterrows():
        for key, header in headers.items():
            expected = int(want.loc[code, key]) if code in want.index else 0
            assert _shown_number(row[header], tr) == expected, (code, header)
            compared += 1
        share = units_frame.loc[code, "insured_share"]
        assert row["% người thuộc hộ thoát nghèo có BHYT"] == ("—" if pd.isna(share) else tr.num(share, 2))
    assert compared >= 7 * len(headers)
    assert "Ra ngoài phạm vi chọn (đổi khu vực) (−)" not in table.columns, "no area filter: no area change"


def test_the_accounting_table_and_waterfall_are_the_selections(app, cats):
    at = app("flows", units="former", year="2023", area="urban", lang="en", signed_in=True)
    view = params("former", area="urban")
    households = flows.accounts(flows.read_flows("total", view, 2023), cats, "poor").iloc[0]
    people = flows.accounts(flows.read_flows("total", view, 2023), cats, "poor", "people").iloc[0]
    table = table_with(at, "Category", "Households", "People").set_index("Category")
    assert table.loc["Poor, 2022", "Households"] == EN.num(households["start"])
    assert table.loc["Poor, 2023", "People"] == EN.num(people["end"])
    assert table.loc["Escaped, now near-poor (−)", "Households"] == EN.num(households["out.escaped_to_near_poor"])
    waterfall = next(c for c in charts(at) if c.data[0].type == "waterfall").data[0]
    steps = dict(zip(waterfall.y, waterfall.x, strict=True))
    assert steps["Poor, 2022"] == households["start"] and steps["Newly poor"] == households["in.newly_poor"]
    assert steps["Escaped above the<br>near-poor line"] == -households["out.escaped_above"]
    relative = [x for x, m in zip(waterfall.x, waterfall.measure, strict=True) if m == "relative"]
    assert households["start"] + sum(relative) == households["end"] == waterfall.x[-1]


def test_an_area_filter_shows_the_households_whose_units_area_changed(app, cats, household_flows):
    """2025 (the first review in the current units, whose areas differ): urban poor households of 2024 reviewed as
    rural in 2025 leave the urban selection, and the reverse; counted apart and explained."""
    rows = household_flows("former", area="urban")
    rows = rows[rows["year"] == 2025]
    out = int((rows["poor_out"] == "reclassified_out").sum() + (rows["near_poor_out"] == "reclassified_out").sum())
    assert out and (rows["start_class"] == "outside").any()
    at = app("flows", units="former", year="2025", area="urban", signed_in=True, lang="en")
    table = table_with(at, "Category", "Households").set_index("Category")
    assert table.loc["Left the selection (area changed) (−)", "Households"] == EN.num(
        (rows["poor_out"] == "reclassified_out").sum())
    assert table.loc["Entered the selection (area changed) (+)", "Households"] == EN.num(
        (rows["poor_in"] == "reclassified_in").sum())
    matrix = table_with(at, "2024 → 2025").set_index("2024 → 2025")
    assert "Outside the selection" in matrix.index and "Outside the selection" in matrix.columns
    notes = [c.value for c in at.caption if c.value.startswith("Outside the selection (area changed)")]
    assert len(notes) == 2, "said under the accounting and under the matrix"
    assert "reviewed outside the selection" in notes[0] and "the unit's area changed" in notes[0]


def test_the_former_units_coverage_line_says_the_marker_where_the_known_communes_are_hidden(app, monkeypatch):
    raw = run("review_coverage").set_index("year")
    unknown = int(raw.loc[2025, "households"] - raw.loc[2025, "households_former_known"])
    rule = Rule(unknown + 1)  # the households of unknown former communes are then a small cell
    monkeypatch.setenv(disclosure.ENV, str(rule.min_households))
    coverage = disclosure.coverage(rule).set_index("year")
    why = coverage.loc[2025, "hidden_former_known"]
    assert isinstance(why, str)
    at = app("flows", units="former", year="2025")
    line = next(c.value for c in at.caption if "có xã cũ đã biết" in c.value)
    assert rule.marker(VI, why) in line and VI.num(coverage.loc[2025, "households"]) in line
    assert "— " not in line.replace(rule.marker(VI, why), "")


def test_people_add_up_with_the_change_in_members_of_households_that_stayed(app, cats):
    at = app("flows", units="current", year="2025", signed_in=True, **{"count": "people"})
    waterfall = next(c for c in charts(at) if c.data[0].type == "waterfall").data[0]
    assert "Thay đổi nhân khẩu của hộ vẫn nghèo" in [y.replace("<br>", " ") for y in waterfall.y]
    relative = [x for x, m in zip(waterfall.x, waterfall.measure, strict=True) if m == "relative"]
    people = flows.accounts(flows.read_flows("total", params("current"), 2025), cats, "poor", "people").iloc[0]
    assert waterfall.x[0] + sum(relative) == people["end"] == waterfall.x[-1]


def _flagged_view(household_flows) -> tuple[int, str, set[str]]:
    """A year and group of the demo where some former commune's poor households gained more by falling back or
    becoming newly poor than they lost by escaping, from `household_flows` rows in pandas."""
    for group in ("all", "minority", "khmer", "kinh"):
        rows = household_flows("former", group=group)
        rows = rows[rows["commune_code"].notna()]
        for year in (2022, 2023, 2024, 2025):
            part = rows[rows["year"] == year]
            entered = part[part["poor_in"].isin(["fell_back", "newly_poor"])].groupby("commune_code").size()
            escaped = part[part["poor_out"].isin(["escaped_to_near_poor", "escaped_above"])].groupby(
                "commune_code").size()
            both = pd.concat([entered.rename("entered"), escaped.rename("escaped")], axis=1).fillna(0)
            flagged = set(both.index[both["entered"] > both["escaped"]])
            if flagged:
                return year, group, flagged
    raise AssertionError("the demo has no unit where more fell back or became newly poor than escaped")


def test_the_flag_against_pandas_on_household_flows(app, cats, household_flows):
    year, group, flagged = _flagged_view(household_flows)
    got = flows.falling_behind(flows.read_flows("commune", params(group=group), year), cats)
    assert set(got.index[got["flagged"]]) == flagged
    at = app("flows", units="former", year=str(year), group=group, signed_in=True)
    table = table_with(at, "Xã, phường, thị trấn", "Mã").set_index("Mã")
    column = "Tái nghèo + phát sinh > thoát nghèo"
    assert set(table.index[table[column] == "⚑ Có"]) == flagged
    assert set(table.loc[table[column] != "⚑ Có", column]) == {""}
    listed = next(m.value for m in at.markdown if "thoát nghèo" in m.value and "**Các xã**" in m.value)
    units = run("units").query("unit_set == 'former'").set_index("commune_code")["commune_label"]
    assert all(units[code] in listed for code in flagged)
    # the near-poor view keeps the poor households' flag
    at.button_group(key="filter_class").set_value("near_poor").run()
    assert at.query_params["class"] == "near_poor"
    table = table_with(at, "Xã, phường, thị trấn", "Mã").set_index("Mã")
    assert set(table.index[table[column] == "⚑ Có"]) == flagged
    assert f"Hộ cận nghèo năm {year}" in table.columns


def test_a_link_reproduces_the_view(app):
    link = {"units": "former", "district": ["956", "958"], "area": "rural", "group": "khmer", "year": "2023",
            "lang": "en", "class": "near_poor", "count": "people"}
    at = app("flows", signed_in=True, **link)
    assert not at.exception
    assert {k: at.query_params[k] for k in link} == link
    assert "Huyện Hồng Dân, Huyện Vĩnh Lợi · Rural · Khmer · 2023" in texts(at)
    assert at.button_group(key="filter_class").value == "near_poor"
    assert at.button_group(key="filter_count").value == "people"
    assert "Near-poor households from 2022 to 2023" in [s.value for s in at.subheader]
    again = app("flows", signed_in=True, **dict(at.query_params))
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in at.dataframe]
    # a control changed on the page is written to the address at once; other pages drop the page's parameters
    at.button_group(key="filter_count").set_value("households").run()
    assert at.query_params["count"] == "households" and at.query_params["class"] == "near_poor"
    at.switch_page("pages/overview.py").run()
    assert "class" not in at.query_params and "count" not in at.query_params
    assert at.query_params["year"] == "2023"


def test_a_bad_class_or_count_is_dropped_with_a_notice(app):
    at = app("flows", year="2024", **{"class": "rich", "count": "cows"})
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    assert "`class` = `rich`" in notice and "`count` = `cows`" in notice
    assert at.query_params["class"] == "poor" and at.query_params["count"] == "households"


def test_the_first_year_says_there_are_no_flows(app):
    at = app("flows", year="2021", lang="en", **{"class": "near_poor"})
    assert not at.exception
    assert at.title[0].value == "Poverty flows"
    assert any("2021 is the first review year in the warehouse, so there are no flows into it" in i.value
               for i in at.info)
    assert not at.dataframe and not charts(at)
    assert at.query_params["class"] == "near_poor", "the link keeps the page's view for another year"


def test_the_near_poor_waterfall_is_neutral_and_2022_says_why_none_fell_back(app):
    """Fewer near-poor households is not good by itself (some became poor): its steps are drawn in neutral colours,
    the poor class's in green (out of poverty) and red (into it)."""
    from dashboard import charts as chart_module

    poor = app("flows", year="2022", signed_in=True)
    near = app("flows", year="2022", signed_in=True, **{"class": "near_poor"})
    [poor_fall] = [c.data[0] for c in charts(poor) if c.data[0].type == "waterfall"]
    [near_fall] = [c.data[0] for c in charts(near) if c.data[0].type == "waterfall"]
    assert (poor_fall.increasing.marker.color, poor_fall.decreasing.marker.color) == (chart_module.FLOW_UP,
                                                                                      chart_module.FLOW_DOWN)
    assert (near_fall.increasing.marker.color, near_fall.decreasing.marker.color) == (chart_module.NEUTRAL_UP,
                                                                                      chart_module.NEUTRAL_DOWN)
    said = VI("flows.no_fell_back_yet", first=2021, year=2022)
    assert said in [c.value for c in poor.caption]
    assert said not in [c.value for c in app("flows", year="2023", signed_in=True).caption]


def test_the_overview_says_why_the_escaped_households_target_has_no_figure(app):
    """2021: no 2020 review, so nobody "has just escaped"; a year with a row says nothing."""
    first = app("overview", year="2021", units="former", signed_in=True)
    assert VI("overview.flow_target_no_previous", year=2021, previous=2020) in [c.value for c in first.caption]
    later = app("overview", year="2024", units="former", signed_in=True)
    assert not [c for c in later.caption if "mới thoát nghèo chưa có số liệu" in c.value]


# --- the annual report from the page --------------------------------------------------------------------------------


def test_the_annual_report_is_offered_signed_in_only_and_holds_the_pages_province_figures(app, cats):
    """The workbook's province row of table 02 is the page's accounting of the selection (households), and the
    download is not offered to an anonymous viewer (it lists every commune's figures, small ones included)."""
    import io

    import openpyxl

    anonymous = app("flows", year="2024", units="former")
    report = TEXT["flows.report_download"]["vi"]
    assert not [b for b in anonymous.get("download_button") if b.proto.label == report]
    assert TEXT["flows.report_sign_in"]["vi"] in [c.value for c in anonymous.caption]
    signed = app("flows", year="2024", units="former", signed_in=True)
    assert any(b.proto.label == report for b in signed.get("download_button"))

    book = openpyxl.load_workbook(io.BytesIO(flows.annual_report_bytes(2024, "former", "vi")), data_only=True)
    sheet = book[book.sheetnames[1]]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    numbers = [v for v in total[2:] if isinstance(v, (int, float))]
    page = run("poverty_flows", level="total", year=2024, **params())
    poor = page[page["class"] == "poor"]
    start = int(poor.loc[poor["side"] == "out", "households"].sum())
    end = int(poor.loc[poor["side"] == "in", "households"].sum())
    assert (numbers[0], numbers[-1]) == (start, end)


# --- small cells -----------------------------------------------------------------------------------------------------


SMALL_VIEW = {"district": "960", "group": "khmer", "year": "2024", "units": "former"}  # Đông Hải's Khmer households


def test_a_small_units_flows_are_hidden_from_an_anonymous_viewer_and_shown_signed_in(app, cats, classified_pd):
    part = classified_pd.query("ethnicity == 'khmer' and district_code == '960' and year in (2023, 2024)")
    sizes = part.groupby(["commune_code", "year"]).size().unstack(fill_value=0)
    small = set(sizes.index[((sizes[2023] > 0) & (sizes[2023] < 10)) | ((sizes[2024] > 0) & (sizes[2024] < 10))])
    assert small, "the view has communes with few Khmer households in one of the years"
    anonymous = app("flows", **SMALL_VIEW)
    signed = app("flows", signed_in=True, **SMALL_VIEW)
    marker = "≤9 hộ — ẩn"
    hidden = table_with(anonymous, "Xã, phường, thị trấn", "Mã").set_index("Mã")
    shown = table_with(signed, "Xã, phường, thị trấn", "Mã").set_index("Mã")
    view = params(district=["960"], group="khmer")
    want = flows.accounts(flows.read_flows("commune", view, 2024), cats, "poor")
    cells = disclosure.cells(Rule(10))
    for code in small:
        assert set(hidden.loc[code].drop(["Xã, phường, thị trấn", "Huyện", "Hồ sơ"])) == {marker}, code
        start = int(want.loc[code, "start"]) if code in want.index else 0
        assert shown.loc[code, "Hộ nghèo năm 2023"] == VI.num(start), code
    insured = "% người thuộc hộ thoát nghèo có BHYT"
    escaped = flows.read_units("commune", view, 2024).set_index("unit_code")["escaped_households"]
    compared = 0
    for code in set(hidden.index) - small:
        if any(cells.state(y, "commune", code, "all", "khmer") for y in (2023, 2024)):
            assert set(hidden.loc[code].drop(["Xã, phường, thị trấn", "Huyện", "Hồ sơ"])) == {"ẩn — bảo vệ ô nhỏ"}, code
            continue
        assert hidden.loc[code].drop(insured).equals(shown.loc[code].drop(insured)), code
        # a share of the people of 1 … 9 escaped households is hidden as the overview hides it
        assert (hidden.loc[code, insured] == marker) == (0 < escaped[code] < 10), code
        compared += 1
    assert compared, "some communes of the view are shown"
    assert any("dưới 10 hộ được ẩn" in c.value for c in anonymous.caption)
    assert not any("dưới 10 hộ được ẩn" in c.value for c in signed.caption)


def test_the_selections_flows_are_hidden_when_its_cell_of_either_year_is(app, classified_pd):
    """Urban Khmer households of Huyện Hồng Dân: a handful each year, so the waterfall, the matrix and the Sankey
    are not drawn for an anonymous viewer, and are for a signed-in one."""
    view = {"district": "956", "area": "urban", "group": "khmer", "year": "2024", "units": "former"}
    part = classified_pd.query("ethnicity == 'khmer' and district_code == '956' and area == 'urban' "
                               "and year in (2023, 2024)")
    assert 0 < len(part[part["year"] == 2023]) < 10 or 0 < len(part[part["year"] == 2024]) < 10
    anonymous = app("flows", **view)
    assert not charts(anonymous)
    assert not any("Category" in d.value.columns or "Nhóm" in d.value.columns for d in anonymous.dataframe)
    assert sum("không hiển thị biến động của phạm vi đã chọn" in i.value for i in anonymous.info) == 2
    signed = app("flows", signed_in=True, **view)
    assert len(charts(signed)) >= 1 and table_with(signed, "Nhóm", "Số hộ") is not None


# --- the escaped households' health insurance on the overview --------------------------------------------------------


@pytest.mark.parametrize(("lang", "label"), [
    ("vi", "100 % người thuộc hộ mới thoát nghèo có thẻ BHYT"),
    ("en", "100 % of people in newly escaped households with health insurance"),
])
def test_the_overview_shows_the_escaped_households_health_insurance_as_the_flows_page_measures_it(app, lang, label):
    tr = Translator(lang)  # type: ignore[arg-type]
    overview = app(year="2024", units="former", lang=lang)
    targets = table_with(overview, tr("col.target")).set_index(tr("col.target"))
    row = targets.loc[label]
    value = run("other_targets_progress", **params()).set_index(["scope", "year"]).loc[
        ("health_insurance_escaped", 2024), "value"]
    assert row[tr("col.value")] == f"{tr.num(value, 2)} %"
    # no path (no value in the baseline year): judged on its goal only, never called "baseline year" in 2024
    assert row[tr("col.status")] == tr("status.no_path")
    goal = goal_target_text(tr, 100.0, strict=False, higher_is_better=True, year=2025)
    assert row[tr("col.goal_status")] == goal_text(tr, "goal_not_met" if value < 100 else "goal_met", goal)
    page = app("flows", year="2024", units="former", lang=lang)
    metric = next(m for m in page.metric if m.label == tr("flows.insured_metric", year=2024))
    assert metric.value == f"{tr.num(value, 2)} %"


# --- a partial year (the test warehouse plus five 2026 reviews: the fixture of test_coverage.py; keep last) ----------


def test_a_partial_year_shows_its_coverage_and_no_flows(partial_warehouse):  # noqa: F811
    from .conftest import open_app

    at = open_app("flows", year=str(PARTIAL_YEAR), signed_in=True)
    assert not at.exception
    assert any(f"Năm {PARTIAL_YEAR} chưa đủ dữ liệu" in w.value for w in at.warning)
    assert any("Biến động cần hai lần rà soát đầy đủ" in i.value for i in at.info)
    assert not at.dataframe and not charts(at)
    assert at.query_params["class"] == "poor"
