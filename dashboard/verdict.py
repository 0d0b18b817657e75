"""The plan's verdict (issue 10, part 6): in the plan's final year, whether each of its end goals was met.

Computed for the whole province (every household of the former Bạc Liêu province, whatever the filters) in the
current units: the province figures are the same in both unit sets (every review counts in the province total), and
the count of units meeting the province's goal is of the 25 current units. The final year is the year of the
province's `rate_below` target (`plan_final_year`), read from the targets table, never written in code.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import derived
from dashboard.disclosure import Rule, reasons
from dashboard.figure_cache import per_process
from dashboard.filters import CURRENT
from i18n import is_missing
from queries.runner import run

# The filter of the verdict: the whole province in the current units.
WHOLE_PROVINCE: dict[str, object] = {"units": CURRENT, "district": [], "area": "all", "group": "all"}


@dataclass(frozen=True)
class Verdict:
    """The plan's end goals in `year`.

    `goals`: one row per end goal, in the plan's order (`queries/plan_goals.sql`): `scope`, `label_vi`, `label_en`,
    `kind` (rate_below, reduction_points, coverage_min, ratio_min), `value` (the measure: percent, or a multiple of the
    poverty line for `ratio_min`), `goal_value` (same unit), `goal_strict` (a ceiling met only strictly below it),
    `higher_is_better`, `goal_year`, and `status`: 'goal_met', 'goal_not_met', 'suppressed' (judged on figures hidden
    from this viewer), 'incomplete' (a partial review year, never judged) or 'no_data' (the warehouse holds no
    measure of it, e.g. health insurance of newly escaped households); `hidden`: why the value is hidden from this
    viewer (`disclosure.reasons`), or None.
    The units (the current set's) against the province's goal (`unit_goal`, `unit_goal_strict`): how many meet it,
    miss it, are hidden from this viewer, or have no review that year, of `units_total`.
    """

    year: int
    goals: pd.DataFrame
    unit_goal: float | None
    unit_goal_strict: bool
    units_met: int
    units_not_met: int
    units_hidden: int
    units_without_data: int
    units_total: int


def plan_final_year(targets: pd.DataFrame) -> int | None:
    """The plan's final year: the year of the province's `rate_below` target ("under 1 % by 2025"), from rows of
    `queries/plan_targets.sql`; None when the plan has no such target."""
    rows = targets[(targets["scope"] == "province") & (targets["kind"] == "rate_below")]
    return int(rows["year"].max()) if len(rows) else None


def _judged(status: object, complete: bool) -> str:
    if not complete:
        return "incomplete"
    return "no_data" if is_missing(status) else str(status)


def plan_verdict(goals: pd.DataFrame, total: pd.DataFrame, units: pd.DataFrame, others: pd.DataFrame, year: int,
                 units_total: int) -> Verdict:
    """The verdict of `year` from protected, judged frames of one unit set and filter (the whole province):

    `goals`: `queries/plan_goals.sql` rows; `total`: `derived.progress("total", …)` (the province poor rate, judged
    against the province's end goal); `units`: `derived.progress("district", …)` (in the current set, the units);
    `others`: `derived.targets(…)` (the other targets, one row per scope and year); `units_total`: the units of the
    set (those without a row in `year` had no review). Frames hold every year; only `year`'s rows are read.
    """
    this = total[total["year"] == year]
    complete = bool(this["year_complete"].iloc[0]) if len(this) else False
    other_rows = others[others["year"] == year].set_index("scope")
    rows = []
    for goal in goals.itertuples():
        row = {"scope": goal.scope, "label_vi": goal.label_vi, "label_en": goal.label_en, "kind": goal.goal_kind,
               "goal_year": int(goal.target_year), "higher_is_better": goal.direction < 0,
               "goal_strict": not is_missing(goal.ceiling), "value": None, "goal_value": None, "status": "no_data",
               "hidden": None}
        if goal.scope == "province" and len(this):
            first = this.iloc[0]
            row.update(value=first["measure_value"], goal_value=first["goal_value"],
                       status=_judged(first["goal_status"], complete),
                       hidden=reasons(this.iloc[:1], "measure_value")[0])
        elif goal.scope in other_rows.index:
            other = other_rows.loc[[goal.scope]]
            row.update(value=other["value"].iloc[0], goal_value=other["goal_value"].iloc[0],
                       status=_judged(other["goal_status"].iloc[0], bool(other["year_complete"].iloc[0])),
                       hidden=reasons(other, "value")[0])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["scope", "label_vi", "label_en", "kind", "value", "goal_value", "goal_strict",
                                        "higher_is_better", "goal_year", "status", "hidden"])
    year_units = units[units["year"] == year]
    statuses = list(year_units["goal_status"])
    goal_values = [float(g) for g in year_units["goal_value"] if not is_missing(g)]
    return Verdict(
        year=year, goals=frame,
        unit_goal=goal_values[0] if goal_values else None,
        unit_goal_strict=bool(year_units["goal_strict"].iloc[0]) if len(year_units) else False,
        units_met=statuses.count("goal_met"), units_not_met=statuses.count("goal_not_met"),
        units_hidden=statuses.count("suppressed"), units_without_data=units_total - len(year_units),
        units_total=units_total,
    )


@per_process(versioned=True)  # whatever the filters: once per warehouse version, rule and viewer (issue 13)
def final_year_verdict(year: int, rule: Rule, units_total: int) -> Verdict | None:
    """The verdict when `year` is the plan's final year (None otherwise): the whole province in the current units,
    protected by `rule` (`units_total`: the number of current units). The same read-only `Verdict` for every call
    with equal arguments, warehouse version and viewer (`dashboard.figure_cache.per_process`): it reads no filter."""
    if year != plan_final_year(run("plan_targets")):
        return None
    return plan_verdict(run("plan_goals"), derived.progress("total", WHOLE_PROVINCE, rule),
                        derived.progress("district", WHOLE_PROVINCE, rule), derived.targets(WHOLE_PROVINCE, rule),
                        year, units_total)
