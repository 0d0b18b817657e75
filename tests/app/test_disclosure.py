"""The small-cell rule (dashboard/disclosure.py) against hand-worked tables: each row of a page's frame takes its
cell's state from the lattice (dashboard/lattice.py, tested on its own in test_lattice.py), figures computed from the
baseline or the previous year, N from the environment, signed-in viewers unchanged; the plan's other targets as cells
of the lattice; and what tables and files hold where a figure is hidden."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from dashboard import disclosure, lattice
from dashboard.disclosure import COMPLEMENT, SMALL, SUPPRESSED, Rule
from dashboard.download import csv_bytes, xlsx_bytes
from dashboard.tables import breakdown_table, other_targets_table, progress_table
from i18n import MISSING, Translator

VI, EN = Translator("vi"), Translator("en")
RULE = Rule(10)
SIGNED_IN = Rule(10, active=False)
ATOMS = ["year", "district_code", "commune_code", "area", "group_atom", "households"]


def cells_of(rows: list[tuple], n: int = 10) -> lattice.Lattice:
    """The lattice of atoms (year, district, commune, area, group atom, households)."""
    return lattice.build(pd.DataFrame(rows, columns=ATOMS), n)


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
    from queries.status import add_status

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


# The same households as atoms (all Kinh, all rural): the lattice of these communes and their districts.
CELL_ATOMS = [(y, d, u, "rural", "kinh", n) for (u, d, y), (n, _) in CELLS.items()]


def _row(frame: pd.DataFrame, unit: str, year: int) -> pd.Series:
    return frame[(frame["unit_code"] == unit) & (frame["year"] == year)].iloc[0]


def _communes(frame: pd.DataFrame | None = None, rule: Rule = RULE) -> pd.DataFrame:
    return disclosure.protect_progress(_progress(CELLS) if frame is None else frame, rule, cells_of(CELL_ATOMS),
                                       level="commune")


def test_commune_cells_primary_and_complementary_by_district_and_year():
    frame = _communes()
    states = {(r.unit_code, r.year): r.hidden for r in frame.itertuples()}
    # 2021: a (8) is small; c (15) is the next smallest of district 1. 2022: e (9) small, d its only neighbour.
    assert states == {
        ("a", 2021): SMALL, ("b", 2021): None, ("c", 2021): COMPLEMENT, ("d", 2021): None, ("e", 2021): None,
        ("a", 2022): None, ("b", 2022): None, ("c", 2022): None, ("d", 2022): COMPLEMENT, ("e", 2022): SMALL,
        ("a", 2023): None, ("b", 2023): None, ("c", 2023): None, ("d", 2023): None, ("e", 2023): None,
    }
    # the same cells seen through the Kinh filter or the rural one are the same households: the same states
    for area, group in (("all", "kinh"), ("rural", "all")):
        other = disclosure.protect_progress(_progress(CELLS), RULE, cells_of(CELL_ATOMS), level="commune", area=area,
                                            group=group)
        assert other["hidden"].tolist() == frame["hidden"].tolist()


def test_a_row_counted_on_other_data_than_the_lattice_is_hidden():
    """A frame read from another warehouse version than the lattice (b has 41 households, the lattice 40): its
    row is hidden rather than judged on the other version's cells; a small row stays small."""
    cells = dict(CELLS)
    cells[("b", "1", 2023)] = (41, 2)
    frame = _communes(_progress(cells))
    assert _row(frame, "b", 2023)["hidden"] == COMPLEMENT and _row(frame, "a", 2021)["hidden"] == SMALL
    assert _row(frame, "d", 2023)["hidden"] is None


def test_every_figure_of_a_hidden_cell_is_removed_and_its_judgements_say_suppressed():
    frame = _communes()
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
    frame = _communes()
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


def test_a_district_hidden_as_a_complement_hides_one_of_its_communes():
    """Districts X (5 households: hidden), Y (12 + 10: its complement) and Z (30 + 30 + 10). Y's communes would add
    up to Y: its smaller one (10) is hidden too, and that is enough (Y itself is hidden, so y1 tells nothing of
    y2). Z's communes are untouched although one has 10 households."""
    rows = [(2021, d, u, "rural", "kinh", n) for u, d, n in (("x1", "X", 5), ("y1", "Y", 12), ("y2", "Y", 10),
                                                            ("z1", "Z", 30), ("z2", "Z", 30), ("z3", "Z", 10))]
    cells = cells_of(rows)
    districts = disclosure.protect_progress(
        _progress({(d, d, 2021): (n, 1) for d, n in (("X", 5), ("Y", 22), ("Z", 70))}), RULE, cells,
        level="district")
    assert dict(zip(districts["unit_code"], districts["hidden"], strict=True)) == {"X": SMALL, "Y": COMPLEMENT,
                                                                                  "Z": None}
    communes = disclosure.protect_progress(_progress({(u, d, y): (n, 1) for y, d, u, _, _, n in rows}), RULE, cells,
                                           level="commune")
    assert dict(zip(communes["unit_code"], communes["hidden"], strict=True)) == {
        "x1": SMALL, "y1": None, "y2": COMPLEMENT, "z1": None, "z2": None, "z3": None}


def test_signed_in_users_see_the_frame_unchanged():
    frame = _progress(CELLS)
    protected = disclosure.protect_progress(frame, SIGNED_IN, None, level="commune")
    pd.testing.assert_frame_equal(protected.drop(columns=["hidden", "hidden_baseline", "hidden_previous"]), frame)
    assert protected[["hidden", "hidden_baseline", "hidden_previous"]].isna().all().all()


def test_a_path_end_goal_is_hidden_with_its_baseline():
    """The ethnic-minority goal is the end of each unit's own path (its 2021 rate − 4 points): hidden with the 2021
    cell, and with it the goal judgement; a ceiling ("under 1 %") is no figure of any cell and stays."""
    frame = _progress(CELLS).assign(goal_kind="reduction_points", goal_strict=False, goal_value=3.0)
    a = _row(_communes(frame), "a", 2023)
    assert math.isnan(a["goal_value"]) and a["goal_status"] == SUPPRESSED
    b = _row(_communes(frame), "b", 2023)
    assert b["goal_value"] == 3.0 and b["goal_status"] not in (SUPPRESSED, None)


# --- the plan's other targets, the deprivation breakdown, the coverage notice ----------------------------------------


# One district: an urban commune of 8 Kinh households; a rural one of 47 (2021) or 40 (2024) Kinh and 200 Khmer.
TARGET_ATOMS = [row for year, kinh in ((2021, 47), (2024, 40)) for row in (
    (year, "D", "u", "urban", "kinh", 8), (year, "D", "r", "rural", "kinh", kinh),
    (year, "D", "r", "rural", "khmer", 200))]


def _targets() -> pd.DataFrame:
    """`other_targets_progress` rows of the whole province for TARGET_ATOMS: urban 8, rural 247 / 240, ethnic
    minority 200; near-poor households 37 / 6."""
    rows = []
    for scope, kind, populations in (("urban", "rate_below", (8, 8)), ("rural", "rate_below", (247, 240)),
                                     ("ethnic_minority", "reduction_points", (200, 200)),
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


def test_targets_urban_and_rural_are_cells_of_the_lattice_and_the_others_their_own():
    """Urban (8) is small; all areas (255) − urban would give it, so rural is hidden; the ethnic-minority row (200,
    all areas) is shown; the near-poor row is hidden where its own households are under N (6 in 2024)."""
    frame = disclosure.protect_targets(_targets(), RULE, cells_of(TARGET_ATOMS))
    states = {(r.scope, r.year): r.hidden for r in frame.itertuples()}
    assert states == {("urban", 2021): SMALL, ("urban", 2024): SMALL, ("rural", 2021): COMPLEMENT,
                      ("rural", 2024): COMPLEMENT, ("ethnic_minority", 2021): None, ("ethnic_minority", 2024): None,
                      ("health_insurance_near_poor", 2021): None, ("health_insurance_near_poor", 2024): SMALL}
    health = frame[(frame["scope"] == "health_insurance_near_poor") & (frame["year"] == 2024)].iloc[0]
    assert math.isnan(health["value"]) and math.isnan(health["population"]) and health["status"] == SUPPRESSED
    assert health["baseline_value"] == 20.0  # its 2021 cell (37 households) is shown
    ethnic = frame[(frame["scope"] == "ethnic_minority") & (frame["year"] == 2024)].iloc[0]
    assert ethnic["value"] == 12.5 and ethnic["goal_value"] == 16.0 and ethnic["status"] == "on_track"


def test_near_poor_households_of_a_hidden_selection_are_hidden_with_it():
    """With the rural filter the selection's own cell (rural, 247 households) is a complement: its near-poor
    households (37, the headline's near-poor count) are hidden too, although they are N or more."""
    frame = _targets()
    frame = frame[frame["scope"].isin(["rural", "ethnic_minority", "health_insurance_near_poor"])]
    protected = disclosure.protect_targets(frame, RULE, cells_of(TARGET_ATOMS), area="rural")
    states = {(r.scope, r.year): r.hidden for r in protected.itertuples()}
    assert states[("health_insurance_near_poor", 2021)] == COMPLEMENT
    assert states[("rural", 2021)] == COMPLEMENT and states[("ethnic_minority", 2021)] is None


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


def test_coverage_hides_a_share_that_would_give_back_a_hidden_previous_year():
    """2025 reviewed 7 households (hidden), 2026 20: 2026's count is shown, but its share of 2025's (20 / 7) would
    give 7 back, so it is hidden."""
    coverage = pd.DataFrame({"year": [2025, 2026], "households": [7, 20], "household_share": [None, 20 / 7],
                             "units_reviewed": [1, 1], "units_expected": [64, 64], "complete": [False, False]})
    cells = cells_of([(2025, "D", "c", "rural", "kinh", 7), (2026, "D", "c", "rural", "kinh", 20)])
    protected = disclosure.protect_coverage(coverage, RULE, cells)
    assert list(protected["hidden"]) == [SMALL, None]
    assert protected["households"].iloc[1] == 20 and protected["household_share"].isna().all()
    unchanged = disclosure.protect_coverage(coverage, SIGNED_IN, None)
    assert unchanged["household_share"].iloc[1] == pytest.approx(20 / 7)


# --- tables and files ------------------------------------------------------------------------------------------------


def test_tables_and_downloads_hold_the_marker_never_the_number():
    frame = _communes()
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
    frame = disclosure.protect_targets(_targets(), RULE, cells_of(TARGET_ATOMS))
    table, formats = other_targets_table(frame[frame["year"] == 2024], VI, 2024, RULE)
    rows = table.set_index(VI("col.target"))
    assert rows.loc["urban", VI("col.value")] == "≤9 hộ — ẩn"
    assert rows.loc["rural", VI("col.population")] == "ẩn — bảo vệ ô nhỏ"
    assert rows.loc["urban", VI("col.goal")] == 1.0  # the ceiling is the plan's, not the cell's
    assert rows.loc["ethnic_minority", VI("col.value")] == 12.5
    text = csv_bytes(table, formats, "vi").decode("utf-8-sig")
    assert text.count("≤9 hộ — ẩn") >= 2 and "ẩn — bảo vệ ô nhỏ" in text


# Districts X, Y, Z, each of an urban commune (5, 12, 40 Kinh households) and a rural one (100 each).
SELECTION_ATOMS = [(2021, d, f"{d.lower()}{a[0]}", a, "kinh", n)
                   for d, urban in (("X", 5), ("Y", 12), ("Z", 40)) for a, n in (("urban", urban), ("rural", 100))]


def test_the_province_decides_which_districts_are_hidden_whatever_the_filter_shows():
    """Urban households: X (5) is small, Y (12) its complement; X's rural cell goes too (X's total less it would
    give back X's urban households), and Y's rural beside it. Chosen in the filter, X and Z show their own rows
    as in the province — and their urban total, 45, is hidden: Z shown elsewhere would give X back. A total holding
    both hidden districts, or none, is shown (it tells no more than the province's total)."""
    cells = cells_of(SELECTION_ATOMS)
    urban = _progress({(d, d, 2021): (n, 1) for d, n in (("X", 5), ("Y", 12), ("Z", 40))})
    chosen = urban[urban["unit_code"].isin(["X", "Z"])]
    rows = disclosure.protect_progress(chosen, RULE, cells, level="district", area="urban", selection=["X", "Z"])
    assert dict(zip(rows["unit_code"], rows["hidden"], strict=True)) == {"X": SMALL, "Z": None}

    def total(selection: list[str], area: str = "urban") -> str | None:
        households = cells.selection_size(2021, selection, area, "all")
        frame = disclosure.protect_progress(_progress({("total", "", 2021): (households, 1)}), RULE, cells,
                                            level="total", area=area, selection=selection)
        return frame["hidden"].iloc[0]

    assert total(["X", "Z"]) == COMPLEMENT and total(["Y", "Z"]) == COMPLEMENT and total(["Y"]) == COMPLEMENT
    assert total(["Z"]) is None and total(["X", "Y"]) is None and total(["X", "Y", "Z"]) is None
    assert total([]) is None  # no filter: the province, which holds every hidden district
    assert total(["X", "Z"], "all") is None  # all areas: no district is hidden (105, 112, 140)
    # Y's only urban commune, shown alone by the filter, is hidden as Y is
    communes = _progress({("yu", "Y", 2021): (12, 2)})
    assert disclosure.protect_progress(communes, RULE, cells, level="commune", area="urban",
                                       selection=["Y"])["hidden"].tolist() == [COMPLEMENT]


def test_target_rows_of_chosen_districts_are_the_totals_of_those_districts():
    """X and Z chosen: the urban row (45 households) and the rural one (200) each hold one of their area's two
    hidden districts, so both are hidden; the headline (all areas, 245) holds no hidden district and is shown."""
    frame = _targets()
    frame = frame[frame["scope"].isin(["urban", "rural"]) & (frame["year"] == 2021)].assign(
        population=lambda f: f["scope"].map({"urban": 45, "rural": 200}), baseline_population=lambda f: f["population"])
    protected = disclosure.protect_targets(frame, RULE, cells_of(SELECTION_ATOMS), selection=["X", "Z"])
    assert dict(zip(protected["scope"], protected["hidden"], strict=True)) == {"urban": COMPLEMENT,
                                                                                 "rural": COMPLEMENT}
    assert cells_of(SELECTION_ATOMS).selection(2021, ["X", "Z"], "all", "all") is None


# --- the current unit set (issue 10) ---------------------------------------------------------------------------------

# 2024: district 1 = communes a (5 Kinh households), b (40) and c (30); district 2 = d (50), e (60). Current units:
# Z1 = a + b, Z2 = c + d (across the two districts), Z3 = e. 2025: the same, and 4 households of Z1 whose former commune
# is unknown.
UNIT_ATOMS = [(year, d, u, z, "rural", "kinh", n) for year in (2024, 2025)
              for d, u, z, n in (("1", "a", "Z1", 5), ("1", "b", "Z1", 40), ("1", "c", "Z2", 30), ("2", "d", "Z2", 50),
                                 ("2", "e", "Z3", 60))] + [(2025, None, None, "Z1", "rural", "kinh", 4)]


def unit_cells(n: int = 10) -> lattice.Lattice:
    return lattice.build(pd.DataFrame(UNIT_ATOMS, columns=["year", "district_code", "commune_code", "current_code",
                                                           "area", "group_atom", "households"]), n)


def test_rows_of_the_current_units_are_their_cells_at_both_levels():
    """In the current-units view both the "district" and the "commune" rows are the 25 units (here three): each takes
    its current unit's state, whatever the level. Z1 (a + b, 45) loses a (small) in the former view and b beside it
    (a current unit less a shown former commune would give a back); Z1 itself stays shown."""
    cells = unit_cells()
    assert cells.state(2024, lattice.COMMUNE, "a", "all", "all") == SMALL
    assert cells.state(2024, lattice.COMMUNE, "b", "all", "all") == COMPLEMENT
    sizes = {z: cells.size(2024, lattice.CURRENT, z, "all", "all") for z in ("Z1", "Z2", "Z3")}
    assert sizes == {"Z1": 45, "Z2": 80, "Z3": 60}
    frame = _progress({(z, z, 2024): (n, 1) for z, n in sizes.items()})
    for level in ("district", "commune"):
        rows = disclosure.protect_progress(frame, RULE, cells, level=level, units="current")
        assert dict(zip(rows["unit_code"], rows["hidden"], strict=True)) == {
            z: cells.state(2024, lattice.CURRENT, z, "all", "all") for z in sizes}
        assert rows["households"].notna().all()
    # the same codes read as former districts are no cells of this lattice: hidden rather than judged on them
    wrong = disclosure.protect_progress(frame, RULE, cells, level="district", units="former")
    assert set(wrong["hidden"]) == {COMPLEMENT}
    with pytest.raises(ValueError):
        disclosure.protect_progress(frame, RULE, cells, level="commune", units="new")


def test_totals_of_chosen_current_units_follow_the_lattice_of_the_current_set():
    """The total of chosen current units is looked up among current units: the whole province, one unit, or several
    (shown when it holds none or all of the hidden ones, as for districts)."""
    cells = unit_cells()

    def total(selection: list[str], year: int = 2024) -> str | None:
        households = cells.selection_size(year, selection, "all", "all", "current")
        frame = _progress({("total", "", year): (households, 1)}).assign(is_baseline_year=False)
        rows = disclosure.protect_progress(frame, RULE, cells, level="total", selection=selection, units="current")
        return rows["hidden"].iloc[0]

    hidden = {z for z in ("Z1", "Z2", "Z3") if cells.state(2024, lattice.CURRENT, z, "all", "all")}
    for selection in ([], ["Z1"], ["Z2"], ["Z1", "Z3"], ["Z2", "Z3"], ["Z1", "Z2", "Z3"]):
        part = hidden & set(selection)
        expected = (cells.state(2024, lattice.PROVINCE, "", "all", "all") if len(selection) in (0, 3)
                    else cells.state(2024, lattice.CURRENT, selection[0], "all", "all") if len(selection) == 1
                    else None if not part or part == hidden else COMPLEMENT)
        assert total(selection) == expected, selection
    assert cells.selection_size(2024, ["Z1", "Z3"], "all", "all", "current") == 105


def test_households_of_unknown_former_commune_are_protected_in_the_coverage():
    """2025 reviewed 189 households, 185 of known former commune: the 4 others are the province less the former
    districts, a small cell, so the count of known former communes is hidden (the reviewed households, the province's
    cell, are shown); 2024's is shown (no unknown former commune). For a signed-in viewer both stay."""
    cells = unit_cells()
    coverage = pd.DataFrame({"year": [2024, 2025], "unit_set": ["former", "current"], "units_reviewed": [5, 3],
                             "units_expected": [64, 25], "households": [185, 189],
                             "households_former_known": [185, 185], "previous_households": [None, 185],
                             "household_share": [None, 189 / 185], "complete": [True, True]})
    assert cells.state(2025, lattice.DISTRICT, lattice.UNKNOWN, "all", "all") == SMALL
    protected = disclosure.protect_coverage(coverage, RULE, cells)
    assert list(protected["hidden"]) == [None, None] and list(protected["households"]) == [185, 189]
    assert list(protected["hidden_former_known"]) == [None, SMALL]
    assert protected["households_former_known"].iloc[0] == 185 and math.isnan(
        protected["households_former_known"].iloc[1])
    assert protected["previous_households"].iloc[1] == 185
    # without the lattice (a rule of its own), the difference of 4 is still small
    assert list(disclosure.protect_coverage(coverage, RULE)["hidden_former_known"]) == [None, SMALL]
    unchanged = disclosure.protect_coverage(coverage, SIGNED_IN, None)
    assert unchanged["households_former_known"].tolist() == [185, 185]
    assert unchanged["hidden_former_known"].isna().all()


def test_coverage_shows_the_known_former_communes_when_the_unknown_are_many():
    """With 40 households of unknown former commune (a cell of N or more, shown) the count of known former communes
    is shown. The previous year's households go with that year's cell: 7 households reviewed in 2024 are hidden in
    their own row, and so in 2025's `previous_households` and share."""
    atoms = [row if row[2] is not None else (*row[:6], 40) for row in UNIT_ATOMS]
    cells = lattice.build(pd.DataFrame(atoms, columns=["year", "district_code", "commune_code", "current_code",
                                                       "area", "group_atom", "households"]), 10)
    assert cells.state(2025, lattice.DISTRICT, lattice.UNKNOWN, "all", "all") is None
    coverage = pd.DataFrame({"year": [2024, 2025], "households": [185, 225], "households_former_known": [185, 185],
                             "previous_households": [None, 185], "household_share": [None, 225 / 185]})
    rows = disclosure.protect_coverage(coverage, RULE, cells)
    assert list(rows["hidden"]) == [None, None] and list(rows["hidden_former_known"]) == [None, None]
    assert rows["households_former_known"].tolist() == [185, 185] and rows["previous_households"].iloc[1] == 185
    few = disclosure.protect_coverage(coverage.assign(households=[7, 225], households_former_known=[7, 185],
                                                      previous_households=[None, 7]), RULE, cells)
    assert list(few["hidden"]) == [SMALL, None]
    assert math.isnan(few["previous_households"].iloc[1]) and math.isnan(few["household_share"].iloc[1])
    assert few["households"].iloc[1] == 225
