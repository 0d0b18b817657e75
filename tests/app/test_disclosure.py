"""The small-cell rule (dashboard/disclosure.py) against hand-worked tables: primary suppression under N households,
complementary suppression within a group that adds up to a total, districts and their communes, figures computed
from the baseline or the previous year, N from the environment, exactly N shown, signed-in viewers unchanged; and
what tables and files hold where a figure is hidden."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from dashboard import disclosure
from dashboard.disclosure import COMPLEMENT, SMALL, SUPPRESSED, Rule, cell_states
from dashboard.download import csv_bytes, xlsx_bytes
from dashboard.tables import breakdown_table, other_targets_table, progress_table
from i18n import MISSING, Translator

VI, EN = Translator("vi"), Translator("en")
RULE = Rule(10)
SIGNED_IN = Rule(10, active=False)


# --- which cells: primary and complementary --------------------------------------------------------------------------


def test_primary_hides_cells_under_n_and_the_next_smallest_of_their_group():
    """Four districts of one year: 5 households is hidden; alone it would be total − the others, so the next smallest
    (12, not 30 or 40) is hidden too."""
    assert cell_states([5, 40, 12, 30], [2024] * 4, RULE) == [SMALL, None, COMPLEMENT, None]


def test_exactly_n_households_are_shown():
    assert cell_states([10, 25, 40], [2024] * 3, RULE) == [None, None, None]
    assert cell_states([9, 10, 40], [2024] * 3, RULE) == [SMALL, COMPLEMENT, None]
    assert cell_states([10], ["only"], Rule(11)) == [SMALL]


def test_two_hidden_cells_need_no_complement_and_a_lone_cell_has_none_to_take():
    # 3 and 4 are each hidden; the total tells only their sum (7), never either one
    assert cell_states([3, 4, 50, 60], [2024] * 4, RULE) == [SMALL, SMALL, None, None]
    assert cell_states([7], [2024], RULE) == [SMALL]  # the group's total is the cell itself: hidden the same way


def test_groups_are_independent_and_ties_go_by_code():
    # district A: communes 8, 15, 15 (the complement is the 15 with the lower code); district B: 20, 30 (no hidden)
    groups = [("A", 2024)] * 3 + [("B", 2024)] * 2
    states = cell_states([8, 15, 15, 20, 30], groups, RULE, keys=["c3", "c2", "c1", "c4", "c5"])
    assert states == [SMALL, None, COMPLEMENT, None, None]


def test_a_forced_group_hides_its_two_smallest_cells():
    """A district hidden as a complement whose communes are all ≥ N: its smallest commune is hidden, and then the
    next smallest, so the communes cannot add up to it."""
    states = cell_states([30, 20, 50], [("D", 2024)] * 3, RULE, forced={("D", 2024)})
    assert states == [COMPLEMENT, COMPLEMENT, None]
    assert cell_states([30], [("D", 2024)], RULE, forced={("D", 2024)}) == [COMPLEMENT]


def test_an_inactive_rule_hides_nothing():
    assert cell_states([1, 2, 500], [2024] * 3, SIGNED_IN) == [None, None, None]


# --- N from the environment ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "n"), [(None, 10), ("", 10), ("25", 25), (" 3 ", 3), ("1", 1), ("0", 10),
                                          ("-4", 10), ("ten", 10), ("9.5", 10)])
def test_n_comes_from_the_environment_and_falls_back_to_ten(value, n):
    env = {} if value is None else {disclosure.ENV: value}
    assert disclosure.min_households(env) == n


def test_the_current_rule_reads_the_environment_and_the_sign_in(monkeypatch):
    monkeypatch.setenv("POVERTY_SMALL_CELL_MIN", "20")
    assert disclosure.current_rule(signed=False) == Rule(20, active=True)
    assert disclosure.current_rule(signed=True) == Rule(20, active=False)
    assert cell_states([15, 25, 40], [1] * 3, disclosure.current_rule(signed=False)) == [SMALL, COMPLEMENT, None]
    monkeypatch.delenv("POVERTY_SMALL_CELL_MIN")
    assert disclosure.current_rule(signed=False).min_households == 10
    # outside Streamlit nobody is signed in
    assert disclosure.current_rule().active


def test_markers_name_n_and_differ_from_no_data():
    assert RULE.marker(VI) == "≤9 hộ — ẩn" and RULE.marker(EN) == "≤9 households — hidden"
    assert Rule(20).marker(VI, SMALL) == "≤19 hộ — ẩn"
    assert RULE.marker(VI, COMPLEMENT) == "ẩn — bảo vệ ô nhỏ"
    assert RULE.marker(EN, COMPLEMENT) == "hidden — protects a small cell"
    assert MISSING not in {RULE.marker(VI), RULE.marker(EN), RULE.marker(VI, COMPLEMENT)}


# --- poor_rate_progress frames ---------------------------------------------------------------------------------------


def _progress(cells: dict[tuple[str, str, int], tuple[int, int]]) -> pd.DataFrame:
    """Rows as `poor_rate_progress` returns them, after `add_status`, from (unit, district, year) → (households,
    poor households); the province path (2021 rate − 1.5 in 2022, − 1 a year after, not below 1 %)."""
    rows = []
    base = {u: 100 * p / n for (u, _, y), (n, p) in cells.items() if y == 2021}
    base_n = {u: n for (u, _, y), (n, _) in cells.items() if y == 2021}
    previous = {(u, y): (n, 100 * p / n) for (u, _, y), (n, p) in cells.items()}
    for (unit, district, year), (n, poor) in cells.items():
        rate = 100 * poor / n
        path = max(1.0, base[unit] - {2021: 0, 2022: 1.5, 2023: 2.5}[year]) if unit in base else float("nan")
        path = min(path, base.get(unit, path))
        prev = previous.get((unit, year - 1))
        rows.append({
            "unit_code": unit, "unit_name": f"Xã {unit}", "district_code": district, "district_name": f"H. {district}",
            "year": year, "households": n, "baseline_households": base_n.get(unit), "previous_households":
            prev[0] if prev else None, "poor_households": poor, "near_poor_households": 1, "poor_rate": rate,
            "near_poor_rate": 100 / n, "poor_and_near_poor_rate": rate + 100 / n, "baseline_rate": base.get(unit),
            "poor_change_since_baseline": rate - base[unit] if unit in base else None,
            "near_poor_change_since_baseline": 0.0, "poor_change_since_previous": rate - prev[1] if prev else None,
            "near_poor_change_since_previous": 0.0 if prev else None, "target_scope": "province",
            "measure": "poor_rate", "measure_value": rate, "measure_baseline": base.get(unit), "path_rate": path,
            "is_baseline_year": year == 2021,
            "measure_change_since_baseline": rate - base[unit] if unit in base else None,
            "reduction_required": base[unit] - path if unit in base else None,
            "reduction_achieved": base[unit] - rate if unit in base else None,
            "progress_ratio": (base[unit] - rate) / (base[unit] - path) if unit in base and base[unit] != path
            else None,
            "goal_value": 1.0, "goal_strict": True, "goal_kind": "rate_below", "goal_year": 2025,
            "unreliable": n < 50, "year_complete": True,
        })
    from dashboard.status import add_status

    return add_status(pd.DataFrame(rows))


# Three communes of district 1, two of district 2; years 2021–2023.
#   district 1: a (8 → 12 → 20 households), b (40, 40, 40), c (15, 15, 15)
#   district 2: d (30, 30, 30), e (25, 9, 25)
CELLS = {
    ("a", "1", 2021): (8, 2), ("a", "1", 2022): (12, 3), ("a", "1", 2023): (20, 3),
    ("b", "1", 2021): (40, 4), ("b", "1", 2022): (40, 3), ("b", "1", 2023): (40, 2),
    ("c", "1", 2021): (15, 3), ("c", "1", 2022): (15, 2), ("c", "1", 2023): (15, 1),
    ("d", "2", 2021): (30, 6), ("d", "2", 2022): (30, 5), ("d", "2", 2023): (30, 4),
    ("e", "2", 2021): (25, 5), ("e", "2", 2022): (9, 2), ("e", "2", 2023): (25, 3),
}


def _row(frame: pd.DataFrame, unit: str, year: int) -> pd.Series:
    return frame[(frame["unit_code"] == unit) & (frame["year"] == year)].iloc[0]


def test_commune_cells_primary_and_complementary_by_district_and_year():
    frame = disclosure.protect_progress(_progress(CELLS), RULE, level="commune")
    states = {(r.unit_code, r.year): r.hidden for r in frame.itertuples()}
    # 2021: a (8) is small; c (15) is the next smallest of district 1. 2022: e (9) small, d its only neighbour.
    assert states == {
        ("a", 2021): SMALL, ("b", 2021): None, ("c", 2021): COMPLEMENT, ("d", 2021): None, ("e", 2021): None,
        ("a", 2022): None, ("b", 2022): None, ("c", 2022): None, ("d", 2022): COMPLEMENT, ("e", 2022): SMALL,
        ("a", 2023): None, ("b", 2023): None, ("c", 2023): None, ("d", 2023): None, ("e", 2023): None,
    }


def test_every_figure_of_a_hidden_cell_is_removed_and_its_judgements_say_suppressed():
    frame = disclosure.protect_progress(_progress(CELLS), RULE, level="commune")
    row = _row(frame, "e", 2022)
    for column in ("households", "poor_households", "near_poor_households", "poor_rate", "near_poor_rate",
                   "poor_and_near_poor_rate", "measure_value", "poor_change_since_baseline",
                   "poor_change_since_previous", "progress_ratio", "reduction_achieved", "previous_households"):
        assert math.isnan(row[column]), column
    assert row["status"] == SUPPRESSED and row["goal_status"] == SUPPRESSED
    # its baseline (2021, 25 households) is shown: the 2021 rate and the path stay
    assert row["baseline_rate"] == pytest.approx(20.0) and row["path_rate"] == pytest.approx(18.5)
    # the complement's figures go the same way
    d = _row(frame, "d", 2022)
    assert math.isnan(d["poor_rate"]) and math.isnan(d["households"]) and d["status"] == SUPPRESSED


def test_figures_computed_from_a_hidden_baseline_or_previous_year_are_hidden_too():
    frame = disclosure.protect_progress(_progress(CELLS), RULE, level="commune")
    a = _row(frame, "a", 2023)  # shown in 2023 (20 households), but its 2021 cell (8) is hidden
    assert a["poor_rate"] == pytest.approx(15.0) and a["households"] == 20
    for column in ("baseline_rate", "measure_baseline", "path_rate", "reduction_required", "reduction_achieved",
                   "poor_change_since_baseline", "measure_change_since_baseline", "progress_ratio"):
        assert math.isnan(a[column]), column
    assert a["status"] == SUPPRESSED
    assert a["goal_status"] == "goal_not_met"  # the goal is a ceiling (under 1 %), judged on the year's rate alone
    assert a["poor_change_since_previous"] == pytest.approx(15.0 - 25.0)  # 2022 (12 households) is shown
    c = _row(frame, "c", 2023)  # c's 2021 cell is a complement: its baseline is hidden everywhere too
    assert math.isnan(c["baseline_rate"]) and c["status"] == SUPPRESSED
    e = _row(frame, "e", 2023)  # the previous year (9 households) is hidden: no change since it
    assert math.isnan(e["poor_change_since_previous"]) and e["poor_change_since_baseline"] == pytest.approx(-8.0)
    assert e["status"] not in (SUPPRESSED, None)
    assert disclosure.reasons(frame, "poor_change_since_previous")[list(frame.index).index(e.name)] == SMALL


def test_a_district_hidden_as_a_complement_hides_two_of_its_communes():
    """Districts X (5 households: hidden), Y (12: its complement) and Z (40). Y's only commune would give Y back, so
    it is hidden too; Z's communes are untouched."""
    cells = {("x1", "X", 2021): (5, 1), ("y1", "Y", 2021): (12, 2), ("z1", "Z", 2021): (20, 2),
             ("z2", "Z", 2021): (20, 3)}
    districts = disclosure.protect_progress(
        _progress({(d, d, 2021): (n, p) for (d, n, p) in (("X", 5, 1), ("Y", 12, 2), ("Z", 40, 5))}),
        RULE, level="district")
    assert dict(zip(districts["unit_code"], districts["hidden"], strict=True)) == {"X": SMALL, "Y": COMPLEMENT,
                                                                                  "Z": None}
    communes = disclosure.protect_progress(_progress(cells), RULE, level="commune")
    assert dict(zip(communes["unit_code"], communes["hidden"], strict=True)) == {
        "x1": SMALL, "y1": COMPLEMENT, "z1": None, "z2": None}
    # with two communes each of ≥ N, the complement district loses both (the smallest, then the next smallest)
    cells = {("x1", "X", 2021): (5, 1), ("y1", "Y", 2021): (12, 2), ("y2", "Y", 2021): (10, 1),
             ("z1", "Z", 2021): (30, 2), ("z2", "Z", 2021): (30, 3), ("z3", "Z", 2021): (10, 1)}
    communes = disclosure.protect_progress(_progress(cells), RULE, level="commune")
    assert dict(zip(communes["unit_code"], communes["hidden"], strict=True)) == {
        "x1": SMALL, "y1": COMPLEMENT, "y2": COMPLEMENT, "z1": None, "z2": None, "z3": None}


def test_signed_in_users_see_the_frame_unchanged():
    frame = _progress(CELLS)
    protected = disclosure.protect_progress(frame, SIGNED_IN, level="commune")
    pd.testing.assert_frame_equal(protected.drop(columns=["hidden", "hidden_baseline", "hidden_previous"]), frame)
    assert protected[["hidden", "hidden_baseline", "hidden_previous"]].isna().all().all()


def test_a_path_end_goal_is_hidden_with_its_baseline():
    """The ethnic-minority goal is the end of each unit's own path (its 2021 rate − 4 points): hidden with the 2021
    cell, and with it the goal judgement; a ceiling ("under 1 %") is no figure of any cell and stays."""
    frame = _progress(CELLS).assign(goal_kind="reduction_points", goal_strict=False, goal_value=3.0)
    a = _row(disclosure.protect_progress(frame, RULE, level="commune"), "a", 2023)
    assert math.isnan(a["goal_value"]) and a["goal_status"] == SUPPRESSED
    b = _row(disclosure.protect_progress(frame, RULE, level="commune"), "b", 2023)
    assert b["goal_value"] == 3.0 and b["goal_status"] not in (SUPPRESSED, None)


# --- the plan's other targets, the deprivation breakdown, the coverage notice ----------------------------------------


def _targets() -> pd.DataFrame:
    rows = []
    for scope, kind, populations in (("urban", "rate_below", (8, 8)), ("rural", "rate_below", (247, 240)),
                                     ("ethnic_minority", "reduction_points", (255, 250)),
                                     ("health_insurance_near_poor", "coverage_min", (37, 6))):
        for year, population in zip((2021, 2024), populations, strict=True):
            rows.append({"scope": scope, "kind": kind, "label_vi": scope, "label_en": scope, "year": year,
                         "population": population, "baseline_population": populations[0], "value": 12.5,
                         "baseline_value": 20.0, "path_value": 17.0, "goal_value": 1.0 if kind == "rate_below"
                         else 16.0, "goal_strict": kind == "rate_below", "target_year": 2025,
                         "direction": -1 if kind == "coverage_min" else 1, "is_baseline_year": year == 2021,
                         "improvement_required": 3.0, "improvement_achieved": 7.5, "progress_ratio": 2.5,
                         "unreliable": population < 50, "year_complete": True, "status": "on_track",
                         "goal_status": "goal_not_met"})
    return pd.DataFrame(rows)


def test_targets_urban_and_rural_are_one_group_and_each_target_its_own_cell():
    frame = disclosure.protect_targets(_targets(), RULE)
    states = {(r.scope, r.year): r.hidden for r in frame.itertuples()}
    assert states == {("urban", 2021): SMALL, ("urban", 2024): SMALL, ("rural", 2021): COMPLEMENT,
                      ("rural", 2024): COMPLEMENT, ("ethnic_minority", 2021): None, ("ethnic_minority", 2024): None,
                      ("health_insurance_near_poor", 2021): None, ("health_insurance_near_poor", 2024): SMALL}
    health = frame[(frame["scope"] == "health_insurance_near_poor") & (frame["year"] == 2024)].iloc[0]
    assert math.isnan(health["value"]) and math.isnan(health["population"]) and health["status"] == SUPPRESSED
    assert health["baseline_value"] == 20.0  # its 2021 cell (37 households) is shown
    ethnic = frame[(frame["scope"] == "ethnic_minority") & (frame["year"] == 2024)].iloc[0]
    assert ethnic["value"] == 12.5 and ethnic["goal_value"] == 16.0 and ethnic["status"] == "on_track"


def test_breakdown_hides_shares_among_few_poor_households_and_everything_of_a_hidden_commune():
    frame = pd.DataFrame({"position": [1, 2], "indicator": ["a", "b"], "dimension": ["x", "x"],
                          "label_vi": ["A", "B"], "label_en": ["A", "B"], "households": [40, 40],
                          "deprived_share_all": [25.0, 10.0], "poor_households": [4, 4],
                          "deprived_share_poor": [75.0, 50.0]})
    shown = disclosure.protect_breakdown(frame, RULE, None)
    assert list(shown["deprived_share_all"]) == [25.0, 10.0] and shown["deprived_share_poor"].isna().all()
    assert list(shown["hidden_poor"]) == [SMALL, SMALL]
    none_poor = disclosure.protect_breakdown(frame.assign(poor_households=0, deprived_share_poor=float("nan")),
                                             RULE, None)
    assert none_poor["hidden_poor"].isna().all()  # no poor household: nothing to hide, the share is missing ("—")
    hidden = disclosure.protect_breakdown(frame.assign(poor_households=12), RULE, COMPLEMENT)
    assert hidden[["households", "deprived_share_all", "poor_households", "deprived_share_poor"]].isna().all().all()
    table, _ = breakdown_table(hidden, VI, RULE)
    assert set(table[VI("col.households")]) == {"ẩn — bảo vệ ô nhỏ"}
    table, _ = breakdown_table(shown, VI, RULE)
    assert list(table[VI("col.share_poor")]) == ["≤9 hộ — ẩn"] * 2 and list(table[VI("col.share_all")]) == [25.0,
                                                                                                            10.0]
    pd.testing.assert_frame_equal(disclosure.protect_breakdown(frame, SIGNED_IN, None)[frame.columns], frame)


def test_a_partial_year_of_few_households_hides_its_count():
    coverage = pd.DataFrame({"year": [2025, 2026], "households": [20000, 7], "household_share": [1.0, 0.00035],
                             "units_reviewed": [64, 1], "units_expected": [64, 64], "complete": [True, False]})
    protected = disclosure.protect_coverage(coverage, RULE)
    assert list(protected["hidden"]) == [None, SMALL]
    assert protected["households"].iloc[0] == 20000 and math.isnan(protected["households"].iloc[1])
    assert math.isnan(protected["household_share"].iloc[1])


# --- tables and files ------------------------------------------------------------------------------------------------


def test_tables_and_downloads_hold_the_marker_never_the_number():
    frame = disclosure.protect_progress(_progress(CELLS), RULE, level="commune")
    year = frame[frame["year"] == 2022].reset_index(drop=True)
    for tr in (VI, EN):
        table, formats = progress_table(year, tr, unit_column="col.commune", with_district=True, rule=RULE)
        rows = table.set_index(tr("col.code"))
        assert rows.loc["e", tr("col.poor_rate")] == RULE.marker(tr, SMALL)
        assert rows.loc["d", tr("col.households")] == RULE.marker(tr, COMPLEMENT)
        assert rows.loc["e", tr("col.status")] == tr.status(SUPPRESSED)
        assert rows.loc["b", tr("col.households")] == 40
        text = csv_bytes(table, formats, tr.lang).decode("utf-8-sig")
        line = next(r for r in text.splitlines()[1:] if r.endswith(f"{';' if tr.lang == 'vi' else ','}e"))
        assert RULE.marker(tr, SMALL) in line
        assert "22,22" not in text and "22.22" not in text  # e's 2022 rate, 2 of 9 households
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table, "x", formats))).active
        header = [c.value for c in sheet[1]]
        cells = {sheet.cell(row=r, column=header.index(tr("col.code")) + 1).value:
                 sheet.cell(row=r, column=header.index(tr("col.poor_rate")) + 1) for r in range(2, sheet.max_row + 1)}
        assert cells["e"].value == RULE.marker(tr, SMALL) and cells["e"].data_type == "s"
        assert cells["b"].value == 7.5 and cells["b"].data_type == "n"
    with pytest.raises(ValueError):  # a protected frame's table without its rule would show the hidden cells blank
        progress_table(year, VI, unit_column="col.commune", rule=None)


def test_the_other_targets_table_marks_hidden_rows():
    frame = disclosure.protect_targets(_targets(), RULE)
    table, formats = other_targets_table(frame[frame["year"] == 2024], VI, 2024, RULE)
    rows = table.set_index(VI("col.target"))
    assert rows.loc["urban", VI("col.value")] == "≤9 hộ — ẩn"
    assert rows.loc["rural", VI("col.population")] == "ẩn — bảo vệ ô nhỏ"
    assert rows.loc["urban", VI("col.goal")] == 1.0  # the ceiling is the plan's, not the cell's
    assert rows.loc["ethnic_minority", VI("col.value")] == 12.5
    text = csv_bytes(table, formats, "vi").decode("utf-8-sig")
    assert text.count("≤9 hộ — ẩn") >= 2 and "ẩn — bảo vệ ô nhỏ" in text


def test_the_province_decides_which_districts_are_hidden_whatever_the_filter_shows():
    """Districts X (5 households: hidden), Y (12: its complement) and Z (40). Chosen in the filter, X and Z show their
    own rows as in the province (X hidden, Z shown) — and their total, 45, is hidden: Z shown elsewhere would give X
    back. A total holding both hidden districts, or none, is shown (it tells no more than the province's total)."""
    everything = _progress({(d, d, 2021): (n, p) for d, n, p in (("X", 5, 1), ("Y", 12, 2), ("Z", 40, 5))})
    states = disclosure.district_states(everything, RULE)
    assert states == {("X", 2021): SMALL, ("Y", 2021): COMPLEMENT, ("Z", 2021): None}
    chosen = everything[everything["unit_code"].isin(["X", "Z"])]
    rows = disclosure.protect_progress(chosen, RULE, level="district", districts=states, selection=["X", "Z"])
    assert dict(zip(rows["unit_code"], rows["hidden"], strict=True)) == {"X": SMALL, "Z": None}

    def total(selection: list[str]) -> str | None:
        households = sum(n for d, n in (("X", 5), ("Y", 12), ("Z", 40)) if d in selection or not selection)
        cells = {("total", "", 2021): (households, 1)}
        frame = disclosure.protect_progress(_progress(cells), RULE, level="total", districts=states,
                                            selection=selection)
        return frame["hidden"].iloc[0]

    assert total(["X", "Z"]) == COMPLEMENT and total(["Y", "Z"]) == COMPLEMENT and total(["Y"]) == COMPLEMENT
    assert total(["Z"]) is None and total(["X", "Y"]) is None and total(["X", "Y", "Z"]) is None
    assert total([]) is None  # no filter: the province, which holds every hidden district
    # Y's communes, shown alone by the filter, are forced the same as in the province's view
    communes = _progress({("y1", "Y", 2021): (12, 2)})
    assert disclosure.protect_progress(communes, RULE, level="commune", districts=states,
                                       selection=["Y"])["hidden"].tolist() == [COMPLEMENT]


def test_a_target_row_hidden_as_a_selection_takes_its_area_partner_with_it():
    """Chosen districts whose urban households include some but not all of the province's hidden urban districts:
    the urban row is hidden (`selections`) although it has 40 households, and the rural row with it, since the
    headline's households are urban + rural."""
    frame = _targets().assign(population=40, baseline_population=40)
    selections = {("urban", 2021): COMPLEMENT, ("urban", 2024): COMPLEMENT}
    protected = disclosure.protect_targets(frame, RULE, selections)
    states = {(r.scope, r.year): r.hidden for r in protected.itertuples()}
    assert states[("urban", 2024)] == states[("rural", 2024)] == COMPLEMENT
    assert states[("ethnic_minority", 2024)] is None
    assert disclosure.partial_selection({("A", 2024): SMALL, ("B", 2024): COMPLEMENT, ("C", 2024): None},
                                        ["A", "C"], 2024) == COMPLEMENT
    assert disclosure.partial_selection({("A", 2024): SMALL, ("B", 2024): COMPLEMENT}, ["A", "B"], 2024) is None
    assert disclosure.partial_selection({("A", 2024): SMALL, ("B", 2024): COMPLEMENT}, [], 2024) is None
