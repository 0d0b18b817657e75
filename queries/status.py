"""Two judgements of a unit's progress, never conflated (domain.md §5 and the plan of Sept 2022):

**Pace** — on the unit's own target path. R = reduction achieved so far ÷ reduction required so far (computed in
SQL, `queries/poor_rate_progress.sql`, `queries/other_targets_progress.sql`), labelled as the Open SDG /
Statistics Canada method does:

    on_track            R ≥ 0.95
    needs_acceleration  0.6 ≤ R < 0.95
    limited_progress    0 ≤ R < 0.6
    getting_worse       R < 0
    not_required        no reduction is required: the unit started at or under the plan's end goal (its path never
                        asks for less than the goal, `plan_goals.path_floor`)
    None                the baseline year, or no data
    incomplete          the review year is partial (`review_coverage`): never judged on its own
    suppressed          judged on figures hidden from viewers who are not signed in (set by `dashboard.disclosure`
                        after `add_status`, never by it)

R is judged as shown, rounded to 2 decimals (a row showing R = 0,95 is on track), and goals on values rounded as
shown (2 decimals: 0,995 % shows as 1,00 % and does not meet "under 1 %").

**Goal** — the plan's end goal for the selection (`plan_goals`: the province and urban "under 1 %", the rural
"under 2 %", the ethnic-minority path's end, 100 % coverage, 2× the poverty line), judged on the same measure:

    goal_met            strictly under a ceiling ("under 1 %": 0.99 is met, 1.00 is not); at or under a path's end;
                        at or over a coverage or ratio target
    goal_not_met        otherwise
    None                no value or no goal, or a partial year
    suppressed          judged on figures hidden from viewers who are not signed in (`dashboard.disclosure`)

A label that says a goal is met always names it (`goal_text`), so "achieved" never stands alone.
"""

from __future__ import annotations

import math
from typing import Final, Literal

import pandas as pd

from i18n import Translator

Status = Literal["on_track", "needs_acceleration", "limited_progress", "getting_worse", "not_required",
                 "incomplete", "suppressed"]
GoalStatus = Literal["goal_met", "goal_not_met", "suppressed"]

STATUSES: Final[tuple[Status, ...]] = (
    "on_track", "needs_acceleration", "limited_progress", "getting_worse", "not_required", "incomplete", "suppressed",
)
SHOWN_DECIMALS: Final = 2  # rates, R and ratios are shown with 2 decimals and judged as shown
GOAL_STATUSES: Final[tuple[GoalStatus, ...]] = ("goal_met", "goal_not_met", "suppressed")
ON_TRACK_MIN: Final = 0.95
ACCELERATION_MIN: Final = 0.6

# Off track: the paces of units "left behind".
OFF_TRACK: Final[frozenset[Status]] = frozenset({"needs_acceleration", "limited_progress", "getting_worse"})


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def pace_status(ratio: float | None) -> Status | None:
    """The pace label for progress ratio `ratio` (R, dimensionless); None when R is undefined.

    >>> pace_status(1.27)
    'on_track'
    >>> pace_status(0.92)
    'needs_acceleration'
    """
    if _missing(ratio):
        return None
    ratio = round(float(ratio), SHOWN_DECIMALS)
    if ratio >= ON_TRACK_MIN:
        return "on_track"
    if ratio >= ACCELERATION_MIN:
        return "needs_acceleration"
    if ratio >= 0:
        return "limited_progress"
    return "getting_worse"


def goal_status(value: float | None, goal: float | None, *, strict: bool = False,
                higher_is_better: bool = False) -> GoalStatus | None:
    """Whether `value` meets the end goal `goal` (same unit: percent, or a ratio for the income target).

    `strict`: the goal is a ceiling met only strictly below it ("under 1 %"). Higher-is-better goals (coverage,
    income ratio) are met at or over the goal.

    >>> goal_status(0.95, 1.0, strict=True)
    'goal_met'
    >>> goal_status(1.0, 1.0, strict=True)
    'goal_not_met'
    """
    if _missing(value) or _missing(goal):
        return None
    value = round(float(value), SHOWN_DECIMALS)
    met = value >= goal if higher_is_better else (value < goal if strict else value <= goal)
    return "goal_met" if met else "goal_not_met"


def add_status(frame: pd.DataFrame, *, value: str = "measure_value", goal: str = "goal_value",
               ratio: str = "progress_ratio", strict: str = "goal_strict",
               higher_is_better: str | None = None, complete: str = "year_complete",
               required: str = "reduction_required", baseline: str = "is_baseline_year") -> pd.DataFrame:
    """A copy of `frame` with `status` (the pace) and `goal_status` columns, row by row.

    Column names are parameters; `higher_is_better` names a boolean column (absent → lower is better); rows whose
    `complete` column is false (a partial review year) get pace `incomplete` and no goal judgement; after the
    baseline year a row whose path requires no reduction (`required` is 0) gets pace `not_required`.
    """
    n = len(frame)

    def column(name: str | None, default: object) -> list[object]:
        return frame[name].tolist() if name and name in frame.columns else [default] * n

    paces: list[Status | None] = []
    goals: list[GoalStatus | None] = []
    # plain lists, not DataFrame.iterrows: a page judges hundreds of rows on every rerun
    for done, r, v, g, st, hib, req, base in zip(
            column(complete, True), column(ratio, None), column(value, None), column(goal, None),
            column(strict, False), column(higher_is_better, False), column(required, None), column(baseline, False),
            strict=True):
        if not bool(done):
            paces.append("incomplete")
            goals.append(None)
            continue
        pace = pace_status(r)  # type: ignore[arg-type]
        if pace is None and not _missing(req) and abs(float(req)) < 1e-9 and not bool(base):  # type: ignore[arg-type]
            pace = "not_required"
        paces.append(pace)
        goals.append(goal_status(v, g, strict=bool(st), higher_is_better=bool(hib)))  # type: ignore[arg-type]
    out = frame.copy()
    # object dtype keeps "no status" as None; pandas 3 would infer a string column and turn None into NaN
    out["status"] = pd.Series(paces, index=out.index, dtype=object)
    out["goal_status"] = pd.Series(goals, index=out.index, dtype=object)
    return out


def goal_target_text(tr: Translator, goal: float, *, strict: bool, higher_is_better: bool = False,
                     ratio: bool = False, year: int | None = None) -> str:
    """The end goal in words: "dưới 1 % (2025)", "không quá 8,32 % (2025)", "ít nhất 100 %", "ít nhất 2×"."""
    decimals = 0 if float(goal).is_integer() else 2
    amount = tr.num(goal, decimals) + "×" if ratio else tr.pct(goal, decimals)
    if strict:
        text = tr("goal.under", value=amount)
    elif higher_is_better:
        text = tr("goal.at_least", value=amount)
    else:
        text = tr("goal.at_most", value=amount)
    return f"{text} ({year})" if year else text


def goal_text(tr: Translator, status: GoalStatus | None, target: str) -> str:
    """A goal judgement naming its target: "Đạt mục tiêu dưới 1 % (2025)" / "Chưa đạt …"; "—" without one."""
    if _missing(status):
        return tr("goal.none")
    return tr(f"goal.{status}", goal=target)
