"""Pace to the goal: where a unit's poor rate is heading at its recent pace (issue 12, item 3). A projection, never a
measurement: every page and download that shows these figures says so, in both languages.

Method (the lead's decision; the trajectories and ranking pages state it, `pace.method` in i18n):

- **Reviews used.** The unit's last `PACE_WINDOW` = 3 *complete* annual reviews (`year_complete`; a partial review
  year is skipped, consecutive or not) up to and including the view year `year`, all under the poverty standard in
  force at `year` (the `standard_id` column of `queries/poor_rate_progress.sql`; a frame without it is taken as one
  standard). The view year itself must be a complete review of the unit.
- **Pace.** The slope of the least-squares line through those reviews' rates (`measure_value`, percent) against the
  review year: percentage points per year, negative = falling. With two reviews it is their difference per year; with
  one, there is no projection (`no_projection_reason` 'one_review').
- **Projected rate.** From the unit's *measured* value at `year` (not the fitted line's):
  `projected_rate = max(0, value + pace × (goal_year − year))`, percent, never below zero.
- **Meets the goal** means what the badges mean (`queries.status.goal_status`, judged on the value rounded as shown,
  2 decimals): strictly under a ceiling ("under 1 %": 1,00 % does not meet it), at or under a path's end.
- **Year reached.** `year` when the value already meets the goal; else, when the pace is falling, the first whole
  year y > `year` whose projection `max(0, value + pace × (y − year))` meets it (it may be after the goal year),
  searched up to `REACH_HORIZON` = 2050 (beyond: NA, `reach_reason` 'beyond_horizon'); a pace of zero or rising:
  NA ('not_falling').
- **Households to leave poverty each remaining year.** The poor households now (`measure_value` × `households` ÷ 100,
  rounded: for the urban / rural targets, the poor households outside social protection, as the measure counts them)
  less the most that still meets the goal with the household count of `year` (assumed to stay as it is): for a
  ceiling of g % the largest count k with k ÷ households under g % as shown (about ⌈g·households/100⌉ − 1), for a
  path's end at or under it (about ⌊g·households/100⌋), divided by the remaining years (`goal_year − year`) and
  rounded up. NA when no year remains or the goal is already met.
- **Hidden cells.** On a frame protected for viewers not signed in (`dashboard.disclosure.protect_progress`: its
  `hidden` column), a unit whose value at `year` or at any review used, or whose goal, is hidden gets no projection
  ('hidden'): a projection would give the hidden figure back.

Reasons for no projection (`no_projection_reason`, None when there is one): 'no_data' (no review of the unit in
`year`, or no value), 'incomplete' (the review of `year` is partial), 'hidden', 'no_goal', 'one_review'.
Pure pandas: no Streamlit, no warehouse.
"""

from __future__ import annotations

import math
from typing import Final, Literal

import numpy as np
import pandas as pd

from queries.status import goal_status

PACE_WINDOW: Final = 3  # complete annual reviews the pace is fitted through
REACH_HORIZON: Final = 2050  # the last year searched for the year the goal would be reached
NoProjection = Literal["no_data", "incomplete", "hidden", "no_goal", "one_review"]
NO_PROJECTION_REASONS: Final[tuple[NoProjection, ...]] = ("no_data", "incomplete", "hidden", "no_goal", "one_review")
ReachReason = Literal["not_falling", "beyond_horizon"]

COLUMNS: Final = (
    "unit_code", "first_year", "last_year", "reviews", "pace", "value", "households", "goal_value", "goal_strict",
    "goal_year", "projected_rate", "projected_meets_goal", "reach_year", "reach_reason", "remaining_years",
    "households_to_leave_per_year", "no_projection_reason",
)


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def meets(value: float, goal: float, strict: bool) -> bool:
    """Whether a rate `value` (percent) meets the goal `goal` (percent) as the badges judge it (rounded as shown)."""
    return goal_status(value, goal, strict=strict) == "goal_met"


def fitted_pace(years: list[int], values: list[float]) -> float:
    """The slope (percentage points per year) of the least-squares line through (`years`, `values`, percent); two
    points give their difference per year. Needs at least two distinct years."""
    x = np.asarray(years, dtype="float64")
    y = np.asarray(values, dtype="float64")
    dx = x - x.mean()
    return float((dx * (y - y.mean())).sum() / (dx * dx).sum())


def projected(value: float, pace: float, years_ahead: int) -> float:
    """The rate (percent) `years_ahead` years after a measured `value` at `pace` points a year, never below 0."""
    return max(0.0, value + pace * years_ahead)


def most_households_meeting(goal: float, households: int, strict: bool) -> int:
    """The most poor households out of `households` whose rate still meets the goal `goal` (percent) as shown:
    starting from ⌈g·h/100⌉ − 1 (strict ceiling) or ⌊g·h/100⌋, then moved to the largest count `meets` accepts."""
    exact = round(goal * households / 100, 9)  # 1.0 × 300 / 100 is 3, not 2.9999…
    k = math.ceil(exact) - 1 if strict else math.floor(exact)
    k = max(0, min(k, households))
    while k > 0 and not meets(100 * k / households, goal, strict):
        k -= 1
    while k < households and meets(100 * (k + 1) / households, goal, strict):
        k += 1
    return k


def reach_year(value: float, pace: float, goal: float, strict: bool, year: int,
               horizon: int = REACH_HORIZON) -> tuple[int | None, ReachReason | None]:
    """The first year ≥ `year` whose projection meets the goal (`year` itself when `value` does), or None with the
    reason: 'not_falling' (pace ≥ 0) or 'beyond_horizon' (not before `horizon`)."""
    if meets(value, goal, strict):
        return year, None
    if not pace < 0:
        return None, "not_falling"
    for y in range(year + 1, horizon + 1):
        if meets(projected(value, pace, y - year), goal, strict):
            return y, None
    return None, "beyond_horizon"


Row = dict[str, object]
# the columns `project` reads (others are ignored); absent optional ones take these defaults
_READ: Final = {"unit_code": None, "year": None, "measure_value": None, "goal_value": None, "goal_strict": False,
                "goal_year": None, "households": None, "year_complete": True, "standard_id": None, "hidden": None,
                "hidden_baseline": None}


def _one(rows: list[Row], year: int, window: int) -> dict[str, object]:
    """The projection of one unit from its rows (every year of the frame, as dicts), ordered by year."""
    out: dict[str, object] = {"reviews": 0}
    at_year = [r for r in rows if r["year"] == year]
    if not at_year:
        return {**out, "no_projection_reason": "no_data"}
    now = at_year[-1]
    goal, strict, goal_year = now["goal_value"], bool(now["goal_strict"]), now["goal_year"]
    households = now["households"]
    out.update(value=now["measure_value"], households=households, goal_value=goal, goal_strict=strict,
               goal_year=goal_year)
    if not _missing(goal_year):
        out["remaining_years"] = max(0, int(goal_year) - year)  # type: ignore[call-overload]
    if not bool(now["year_complete"]):
        return {**out, "no_projection_reason": "incomplete"}
    used = [r for r in rows if r["year"] <= year and bool(r["year_complete"])  # type: ignore[operator]
            and r["standard_id"] == now["standard_id"]][-window:]
    out.update(reviews=len(used), first_year=used[0]["year"], last_year=used[-1]["year"])
    # the goal of a path's end comes from the baseline cell (`hidden_baseline`), a ceiling from no cell
    if any(not _missing(r["hidden"]) for r in used) or (_missing(goal) and not _missing(now["hidden_baseline"])):
        return {**out, "no_projection_reason": "hidden"}
    if _missing(now["measure_value"]):
        return {**out, "no_projection_reason": "no_data"}
    if _missing(goal) or _missing(goal_year):
        return {**out, "no_projection_reason": "no_goal"}
    used = [r for r in used if not _missing(r["measure_value"])]
    out["reviews"] = len(used)
    if len(used) < 2:
        return {**out, "no_projection_reason": "one_review"}
    value, target = float(now["measure_value"]), float(goal)  # type: ignore[arg-type]
    remaining = int(out["remaining_years"])  # type: ignore[call-overload]
    pace = fitted_pace([int(r["year"]) for r in used], [float(r["measure_value"]) for r in used])  # type: ignore
    rate = projected(value, pace, remaining)
    reach, why = reach_year(value, pace, target, strict, year)
    out.update(pace=pace, projected_rate=rate, projected_meets_goal=meets(rate, target, strict), reach_year=reach,
               reach_reason=why)
    if remaining > 0 and not meets(value, target, strict) and not _missing(households):
        h = int(households)  # type: ignore[call-overload]
        poor = round(value * h / 100)
        need = poor - most_households_meeting(target, h, strict)
        out["households_to_leave_per_year"] = max(0, math.ceil(need / remaining))
    return out


def project(progress: pd.DataFrame, year: int, window: int = PACE_WINDOW) -> pd.DataFrame:
    """The pace to the goal of every unit of `progress` in the view year `year` (method: the module docstring).

    `progress`: `queries/poor_rate_progress.sql` rows at any level, every year (columns unit_code, year, measure_value
    (percent), goal_value (percent), goal_strict, goal_year, households, year_complete; optional standard_id, and the
    `hidden` / `hidden_baseline` columns of a protected frame). Returns one row per unit_code (sorted), columns
    `COLUMNS`: first_year, last_year and reviews (the reviews the pace is fitted through), pace (percentage points per
    year, negative = falling), value (the measured rate at `year`, percent), households (at `year`), the goal,
    projected_rate (percent at goal_year, ≥ 0), projected_meets_goal (boolean), reach_year (Int64), reach_reason,
    remaining_years (goal_year − year, ≥ 0), households_to_leave_per_year (Int64, households a year) and
    no_projection_reason (None when projected; otherwise every projected figure is NA).
    """
    if window < 2:
        raise ValueError("a pace needs a window of at least two reviews")
    # plain dicts, not DataFrame groups: the ranking projects its 64 communes on every new view
    data = {c: progress[c].tolist() if c in progress.columns else [d] * len(progress) for c, d in _READ.items()}
    by_unit: dict[object, list[Row]] = {}
    for i in range(len(progress)):
        row = {c: None if _missing(values[i]) else values[i] for c, values in data.items()}
        row["year"] = int(row["year"])  # type: ignore[call-overload]
        by_unit.setdefault(row["unit_code"], []).append(row)
    records = [{"unit_code": unit, **_one(sorted(rows, key=lambda r: r["year"]), int(year), window)}  # type: ignore
               for unit, rows in sorted(by_unit.items(), key=lambda item: str(item[0]))]
    out = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    for column in ("first_year", "last_year", "reviews", "goal_year", "reach_year", "remaining_years",
                   "households_to_leave_per_year", "households"):
        out[column] = pd.array([None if _missing(v) else int(v) for v in out[column]], dtype="Int64")
    for column in ("pace", "value", "goal_value", "projected_rate"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["projected_meets_goal"] = pd.array([None if _missing(v) else bool(v) for v in out["projected_meets_goal"]],
                                           dtype="boolean")
    out["goal_strict"] = out["goal_strict"].fillna(False).astype(bool)
    for column in ("reach_reason", "no_projection_reason"):
        out[column] = pd.Series([None if _missing(v) else v for v in out[column]], index=out.index, dtype=object)
    return out
