"""Pace to the goal (`queries.pace.project`) against examples worked by hand.

The hand-worked example (view year 2023, goal "under 1 %" in 2025, so 2 years remain; one standard):

Unit A — rates 5.00 % (2021), 4.00 % (2022), 3.40 % (2023); 1,500 households in 2023.
    Least squares through three equally spaced years: centre the years (−1, 0, 1); slope = Σ dx·y ÷ Σ dx²
    = (−1·5.00 + 0·4.00 + 1·3.40) ÷ 2 = −1.60 ÷ 2 = −0.80 points a year.
    Projected 2025 = 3.40 − 0.80 × 2 = 1.80 % → does not meet "under 1 %".
    Year reached: 2024 → 2.60, 2025 → 1.80, 2026 → 1.00 (exactly 1,00 %: NOT under 1 %), 2027 → 0.20 → 2027.
    Households: poor now 3.40 × 1,500 ÷ 100 = 51; the most that meets "under 1 %" of 1,500 is ⌈15⌉ − 1 = 14
    (14 ÷ 1,500 = 0.93 %; 15 would be 1.00 %); 51 − 14 = 37 to leave in 2 years → ⌈18.5⌉ = 19 a year.
Unit B — rising: 2.00, 2.50, 2.60 % → slope (2.60 − 2.00) ÷ 2 = +0.30; projected 2.60 + 0.60 = 3.20 %; never
    reached at this pace (NA, 'not_falling'); 500 households: poor now 2.60 × 500 ÷ 100 = 13, the most meeting
    "under 1 %" is ⌈5⌉ − 1 = 4, 13 − 4 = 9 to leave in 2 years → ⌈4.5⌉ = 5 a year.
Unit C — falling fast: 6.00, 3.00, 1.50 % → slope (1.50 − 6.00) ÷ 2 = −2.25; projected 1.50 − 4.50 = −3.00 → 0 %
    (never below zero), meets the goal; reached in 2024 (1.50 − 2.25 < 0 → 0 %); 200 households: poor 3, the most
    meeting is ⌈2⌉ − 1 = 1, 3 − 1 = 2 in 2 years → 1 a year.
Unit D — already under the goal in 2023 (0.50 %): reached in 2023 itself, nobody more needs to leave (NA).
Unit E — reviewed in 2022 and 2023 only (4.00 %, 3.00 %): two reviews, pace = their difference = −1.00.
Unit F — reviewed in 2023 only: no projection ('one_review').
"""

from __future__ import annotations

import pandas as pd
import pytest

from queries.pace import PACE_WINDOW, REACH_HORIZON, most_households_meeting, project
from queries.status import goal_status


def rows(unit: str, rates: dict[int, float], households: int, *, goal: float = 1.0, strict: bool = True,
         goal_year: int = 2025, partial: tuple[int, ...] = (), standard: dict[int, str] | None = None) -> list[dict]:
    return [{"unit_code": unit, "year": y, "measure_value": v, "goal_value": goal, "goal_strict": strict,
             "goal_year": goal_year, "households": households, "year_complete": y not in partial,
             "standard_id": (standard or {}).get(y, "2022-2025")} for y, v in rates.items()]


def frame(*parts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([r for part in parts for r in part])


EXAMPLE = frame(
    rows("A", {2021: 5.00, 2022: 4.00, 2023: 3.40}, 1500),
    rows("B", {2021: 2.00, 2022: 2.50, 2023: 2.60}, 500),
    rows("C", {2021: 6.00, 2022: 3.00, 2023: 1.50}, 200),
    rows("D", {2021: 1.20, 2022: 0.80, 2023: 0.50}, 400),
    rows("E", {2022: 4.00, 2023: 3.00}, 1000),
    rows("F", {2023: 2.00}, 1000),
)


def by_unit(out: pd.DataFrame) -> dict[str, dict]:
    return {r["unit_code"]: r for r in out.to_dict("records")}


def test_the_hand_worked_example() -> None:
    out = by_unit(project(EXAMPLE, 2023))
    a = out["A"]
    assert PACE_WINDOW == 3
    assert (a["first_year"], a["last_year"], a["reviews"]) == (2021, 2023, 3)
    assert a["pace"] == pytest.approx(-0.80)
    assert a["projected_rate"] == pytest.approx(1.80)
    assert bool(a["projected_meets_goal"]) is False
    assert a["reach_year"] == 2027  # 2026 projects exactly 1,00 %, which is not under 1 %
    assert a["remaining_years"] == 2
    assert a["households_to_leave_per_year"] == 19
    assert a["no_projection_reason"] is None

    b = out["B"]
    assert b["pace"] == pytest.approx(0.30)
    assert b["projected_rate"] == pytest.approx(3.20)
    assert pd.isna(b["reach_year"]) and b["reach_reason"] == "not_falling"
    assert b["households_to_leave_per_year"] == 5

    c = out["C"]
    assert c["pace"] == pytest.approx(-2.25)
    assert c["projected_rate"] == 0.0  # 1.50 − 4.50 would be −3 %
    assert bool(c["projected_meets_goal"]) is True
    assert c["reach_year"] == 2024
    assert c["households_to_leave_per_year"] == 1

    d = out["D"]
    assert d["reach_year"] == 2023 and bool(d["projected_meets_goal"]) is True
    assert pd.isna(d["households_to_leave_per_year"])

    e = out["E"]
    assert (e["first_year"], e["last_year"], e["reviews"]) == (2022, 2023, 2)
    assert e["pace"] == pytest.approx(-1.00)
    assert e["projected_rate"] == pytest.approx(1.00) and bool(e["projected_meets_goal"]) is False
    assert e["reach_year"] == 2026  # 3.00 − 1 × 3 = 0 %

    f = out["F"]
    assert f["no_projection_reason"] == "one_review"
    assert pd.isna(f["pace"]) and pd.isna(f["projected_rate"]) and pd.isna(f["reach_year"])
    assert pd.isna(f["projected_meets_goal"]) and pd.isna(f["households_to_leave_per_year"])


def test_dtypes_and_one_row_per_unit() -> None:
    out = project(EXAMPLE, 2023)
    assert out["unit_code"].tolist() == ["A", "B", "C", "D", "E", "F"]
    for column in ("reach_year", "households_to_leave_per_year", "remaining_years", "first_year", "last_year"):
        assert str(out[column].dtype) == "Int64", column
    assert str(out["projected_meets_goal"].dtype) == "boolean"


def test_never_below_zero() -> None:
    steep = frame(rows("X", {2021: 9.0, 2022: 5.0, 2023: 1.2}, 1000))
    out = project(steep, 2023).iloc[0]
    assert out["pace"] == pytest.approx(-3.9)
    assert out["projected_rate"] == 0.0
    assert (project(EXAMPLE, 2023)["projected_rate"].dropna() >= 0).all()


def test_strict_ceiling_boundary() -> None:
    """A unit at exactly 1.00 % does not meet "under 1 %"; a path's end of 1 % (not strict) is met at 1.00 %."""
    at_one = rows("S", {2021: 1.20, 2022: 1.10, 2023: 1.00}, 1000)
    strict = by_unit(project(frame(at_one), 2023))["S"]
    assert strict["reach_year"] == 2024  # 1.00 − 0.10 = 0.90 in 2024
    assert strict["households_to_leave_per_year"] == 1  # 10 poor of 1,000; at most 9 meets → 1 in 2 years → 1
    assert strict["projected_rate"] == pytest.approx(0.80) and bool(strict["projected_meets_goal"]) is True
    path_end = by_unit(project(frame(rows("S", {2021: 1.20, 2022: 1.10, 2023: 1.00}, 1000, strict=False)), 2023))["S"]
    assert path_end["reach_year"] == 2023 and pd.isna(path_end["households_to_leave_per_year"])


def test_the_most_households_meeting_a_goal_as_the_badges_round() -> None:
    assert most_households_meeting(1.0, 1500, strict=True) == 14
    assert most_households_meeting(2.0, 1000, strict=False) == 20
    assert most_households_meeting(1.0, 300, strict=True) == 2  # 1.0 × 300 / 100 = 3 exactly: 3 is 1,00 %
    # 999 of 100,000 is 0.999 %, shown 1,00 %: not under 1 % as the badge (`goal_status`) rounds it; ⌈1,000⌉ − 1
    # would say 999. The badge's rounding of 0.995 (binary 0.99499…) gives 0,99, of 0.996 1,00: 995 is the most.
    assert most_households_meeting(1.0, 100_000, strict=True) == 995
    assert goal_status(0.995, 1.0, strict=True) == "goal_met" and goal_status(0.996, 1.0, strict=True) != "goal_met"
    # 2,004 of 100,000 shows as 2,00 %: at or under a path's end of 2 % (⌊2,000⌋ would say 2,000); 2.005 rounds
    # to 2,00 too (binary 2.00499…), 2.006 to 2,01
    assert most_households_meeting(2.0, 100_000, strict=False) == 2005


def test_a_rising_rate_never_reaches_the_goal() -> None:
    out = by_unit(project(EXAMPLE, 2023))["B"]
    assert pd.isna(out["reach_year"]) and out["reach_reason"] == "not_falling"
    flat = by_unit(project(frame(rows("Z", {2021: 3.0, 2022: 3.0, 2023: 3.0}, 100)), 2023))["Z"]
    assert flat["pace"] == 0 and pd.isna(flat["reach_year"]) and flat["reach_reason"] == "not_falling"


def test_a_slow_fall_is_not_searched_past_the_horizon() -> None:
    slow = by_unit(project(frame(rows("L", {2021: 9.10, 2022: 9.05, 2023: 9.00}, 1000)), 2023))["L"]
    # −0.05 a year from 9 % would reach under 1 % after 160 years
    assert slow["pace"] == pytest.approx(-0.05)
    assert pd.isna(slow["reach_year"]) and slow["reach_reason"] == "beyond_horizon"
    assert REACH_HORIZON == 2050
    # the goal may be reached after the goal year
    assert by_unit(project(EXAMPLE, 2023))["A"]["reach_year"] > 2025


def test_two_reviews_only() -> None:
    """Reviews 2021 and 2023 (none in 2022): the pace is their difference per year, (3.0 − 5.0) ÷ 2 = −1.0."""
    out = by_unit(project(frame(rows("G", {2021: 5.0, 2023: 3.0}, 1000)), 2023))["G"]
    assert (out["first_year"], out["last_year"], out["reviews"]) == (2021, 2023, 2)
    assert out["pace"] == pytest.approx(-1.0)
    assert out["projected_rate"] == pytest.approx(1.0)


def test_a_partial_year_is_skipped_and_only_the_last_three_complete_reviews_count() -> None:
    """Reviews 2021 5.0, 2022 4.0, 2023 partial 9.0, 2024 3.0 seen from 2024: the window is 2021, 2022, 2024.
    Years centred on 2022⅓: −4/3, −1/3, 5/3 (Σ dx² = 42/9 = 14/3); rates centred on 4.0: 1, 0, −1
    (Σ dx·dy = −4/3 − 5/3 = −3); slope = −3 ÷ 14/3 = −9/14 = −0.642857… points a year.
    Seen from 2025 with a 2025 review of 2.0: the window is 2022, 2024, 2025 (2021 drops out): years centred on
    2023⅔: −5/3, 1/3, 4/3 (Σ dx² = 42/9); rates centred on 3.0: 1, 0, −1 (Σ dx·dy = −5/3 − 4/3 = −3) → −9/14 too."""
    g = rows("P", {2021: 5.0, 2022: 4.0, 2023: 9.0, 2024: 3.0, 2025: 2.0}, 1000, goal_year=2026, partial=(2023,))
    out = by_unit(project(frame(g), 2024))["P"]
    assert (out["first_year"], out["last_year"], out["reviews"]) == (2021, 2024, 3)
    assert out["pace"] == pytest.approx(-9 / 14)
    assert out["projected_rate"] == pytest.approx(3.0 - 2 * 9 / 14)
    later = by_unit(project(frame(g), 2025))["P"]
    assert (later["first_year"], later["last_year"]) == (2022, 2025)
    assert later["pace"] == pytest.approx(-9 / 14)
    # the partial year itself is never a starting point
    assert by_unit(project(frame(g), 2023))["P"]["no_projection_reason"] == "incomplete"


def test_the_goal_year_leaves_no_remaining_year() -> None:
    out = by_unit(project(EXAMPLE.assign(goal_year=2023), 2023))["A"]
    assert out["remaining_years"] == 0
    assert out["projected_rate"] == pytest.approx(3.40)  # the measured value itself
    assert bool(out["projected_meets_goal"]) is False
    assert out["reach_year"] == 2027  # still the pace's answer
    assert pd.isna(out["households_to_leave_per_year"])


def test_only_reviews_under_the_standard_in_force() -> None:
    """2021 under another standard: the pace of 2023 uses 2022 and 2023 only, (3.4 − 4.0) ÷ 1 = −0.6."""
    mixed = rows("M", {2021: 9.0, 2022: 4.0, 2023: 3.4}, 1500, standard={2021: "2016-2020"})
    out = by_unit(project(frame(mixed), 2023))["M"]
    assert (out["first_year"], out["reviews"]) == (2022, 2)
    assert out["pace"] == pytest.approx(-0.6)


def test_hidden_values_give_no_projection() -> None:
    """A protected frame (a `hidden` column): a unit whose value at the year, or at any review used, is hidden
    gets no projection at all; one whose hidden review is outside the window is projected."""
    data = frame(rows("A", {2020: 7.0, 2021: 5.0, 2022: 4.0, 2023: 3.4}, 1500),
                 rows("B", {2021: 2.0, 2022: 2.5, 2023: 2.6}, 500),
                 rows("C", {2021: 6.0, 2022: 3.0, 2023: 1.5}, 200)).assign(hidden=None)
    data.loc[(data["unit_code"] == "A") & (data["year"] == 2020), ["hidden", "measure_value"]] = ["small", None]
    data.loc[(data["unit_code"] == "B") & (data["year"] == 2021), ["hidden", "measure_value"]] = ["complement", None]
    data.loc[(data["unit_code"] == "C") & (data["year"] == 2023), ["hidden", "measure_value", "households"]] = [
        "small", None, None]
    out = by_unit(project(data, 2023))
    assert out["A"]["no_projection_reason"] is None and out["A"]["pace"] == pytest.approx(-0.80)
    for unit in ("B", "C"):
        assert out[unit]["no_projection_reason"] == "hidden"
        assert all(pd.isna(out[unit][c]) for c in ("pace", "projected_rate", "projected_meets_goal", "reach_year",
                                                     "households_to_leave_per_year"))


def test_no_goal_and_no_data() -> None:
    data = frame(rows("A", {2021: 5.0, 2022: 4.0, 2023: 3.4}, 1500, goal=float("nan")),
                 rows("B", {2021: 2.0, 2022: 2.5}, 500))
    out = by_unit(project(data, 2023))
    assert out["A"]["no_projection_reason"] == "no_goal"
    assert out["B"]["no_projection_reason"] == "no_data"
