"""Pace to the goal on the pages: `queries.pace.project` for the protected progress frames, turned into table cells
and the trajectories' projection lines. A projection, never a measurement: every header, caption and legend entry
says so (`pace.*` keys), in both languages.

Hidden figures (dashboard/disclosure.py): a unit whose value at the view year, or at a review its pace is fitted
through, is hidden gets no projection (`queries.pace`); its projection cells show the rule's marker ("≤9 hộ — ẩn", or
the complementary one), as the row's other figures do, never a number and never "—".
"""

from __future__ import annotations

import pandas as pd

from dashboard.disclosure import Rule
from dashboard.figure_cache import per_process
from dashboard.lattice import COMPLEMENT, SMALL
from i18n import MISSING, Translator, is_missing
from queries.pace import PACE_WINDOW, REACH_HORIZON, project, projected
from queries.status import goal_target_text

# The cells of a projection, by key, most telling first (a phone shows the name and about one more column): `cells`
# returns them, `headers` labels them.
CELLS = ("projected_rate", "reach_year", "households_per_year", "meets", "pace", "basis")
# cell → number format of `download.FORMATS` (text cells, a marker or a reason, stay text)
CELL_FORMATS = {"pace": "pts", "projected_rate": "pct", "households_per_year": "int"}


@per_process(copy=True)
def projections(progress: pd.DataFrame, year: int) -> pd.DataFrame:
    """`queries.pace.project(progress, year)` (one row per unit_code) with `unit_name` (as the progress frame names
    the unit) and `hidden` (why a unit's projection is hidden: `lattice.SMALL` if any cell it needs is small, else
    `lattice.COMPLEMENT`; None when it is shown or has no projection for another reason).

    `progress`: a `dashboard.derived.progress` frame (every year, protected by the viewer's rule), any level."""
    out = project(progress, year)
    names = progress.drop_duplicates("unit_code", keep="last").set_index("unit_code")["unit_name"] \
        if "unit_name" in progress.columns else pd.Series(dtype=object)
    out.insert(1, "unit_name", [names.get(u, u) for u in out["unit_code"]])
    why: list[str | None] = []
    for unit, reason in zip(out["unit_code"], out["no_projection_reason"], strict=True):
        if reason != "hidden":
            why.append(None)
            continue
        rows = progress[(progress["unit_code"] == unit) & (progress["year"] <= year)]
        found = {r for c in ("hidden", "hidden_baseline") if c in rows.columns for r in rows[c] if isinstance(r, str)}
        why.append(SMALL if SMALL in found else COMPLEMENT)
    out["hidden"] = pd.Series(why, index=out.index, dtype=object)
    return out


def _reach_text(row: pd.Series, tr: Translator) -> str:
    if not is_missing(row["reach_year"]):
        return str(int(row["reach_year"]))  # a year as text: never "2.027" in the language's number format
    if row["reach_reason"] == "beyond_horizon":
        return tr("pace.reach.beyond_horizon", horizon=REACH_HORIZON)
    if row["reach_reason"] == "not_falling":
        return tr("pace.reach.not_falling")
    return MISSING


def cells(proj: pd.DataFrame, tr: Translator, rule: Rule | None) -> pd.DataFrame:
    """One row per row of `proj` (`projections` output), columns `CELLS`: projected_rate (percent at the goal year),
    reach_year (a year, or why none: "not at this pace", "not before 2050"), households_per_year (households), meets
    ("Có" / "Yes", "Không" / "No"), pace (points a year), basis (the reviews the pace is fitted through,
    "rà soát 2021–2023 (3 lần)", or why there is no projection). Numbers stay numbers (`CELL_FORMATS`; the year
    is text, "2027", as a year is written); a hidden projection has the rule's marker in every cell."""
    rows = []
    for _, row in proj.iterrows():
        hidden = row.get("hidden")
        if isinstance(hidden, str) and rule is not None:
            rows.append(dict.fromkeys(CELLS, rule.marker(tr, hidden)))
            continue
        reason = row["no_projection_reason"]
        if not isinstance(reason, str) and is_missing(row["pace"]):  # a unit `project` never saw
            reason = "no_data"
        if isinstance(reason, str):
            rows.append({**dict.fromkeys(CELLS, None), "meets": MISSING, "reach_year": MISSING,
                         "basis": tr(f"pace.reason.{reason}")})
            continue
        meets = row["projected_meets_goal"]
        rows.append({
            "pace": row["pace"],
            "projected_rate": row["projected_rate"],
            "meets": MISSING if is_missing(meets) else tr("pace.yes" if bool(meets) else "pace.no"),
            "reach_year": _reach_text(row, tr),
            "households_per_year": (None if is_missing(row["households_to_leave_per_year"])
                                    else int(row["households_to_leave_per_year"])),
            "basis": tr("pace.basis", first=int(row["first_year"]), last=int(row["last_year"]),
                        n=int(row["reviews"])),
        })
    out = pd.DataFrame(rows, columns=list(CELLS), index=proj.index)
    for column in CELLS:  # numbers beside markers or reasons: one object column each, formatted per cell
        out[column] = out[column].astype(object)
    return out


RANKING_CELLS = ("projected_rate", "reach_year", "households_per_year")  # the ranking's projection columns


def for_rows(proj: pd.DataFrame, unit_codes: pd.Series) -> pd.DataFrame:
    """The `projections` rows of `proj` in the order of `unit_codes` (one per code; a code without one: no data)."""
    return proj.drop_duplicates("unit_code").set_index("unit_code").reindex(list(unit_codes)).reset_index()


def goal_year(proj: pd.DataFrame) -> int | None:
    """The goal year every projected unit of `proj` is judged in (the plan's final year), or None when none has one."""
    years = {int(y) for y in proj["goal_year"].dropna()}
    return max(years) if years else None


def headers(proj: pd.DataFrame, tr: Translator) -> dict[str, str]:
    """The projection columns' headers, each marked as a projection: cell key → header. The goal is named in the
    "meets" header when every unit has the same one ("Dự báo: đạt mục tiêu dưới 1 % (2025)?")."""
    year = goal_year(proj)
    goals = {goal_target_text(tr, float(g), strict=bool(s), year=int(y))
             for g, s, y in zip(proj["goal_value"], proj["goal_strict"], proj["goal_year"], strict=True)
             if not is_missing(g) and not is_missing(y)}
    goal = goals.pop() if len(goals) == 1 else tr("pace.the_goal")
    return {
        "pace": tr("pace.col.pace"),
        "projected_rate": tr("pace.col.projected_rate", year=year or ""),
        "meets": tr("pace.col.meets", goal=goal),
        "reach_year": tr("pace.col.reach_year"),
        "households_per_year": tr("pace.col.households_per_year"),
        "basis": tr("pace.col.basis"),
    }


@per_process(copy=True)
def pace_table(units: pd.DataFrame, total: pd.DataFrame | None, year: int, tr: Translator, *, unit_column: str,
               total_label: str = "", rule: Rule | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The pace to the goal per unit and for the total, in the view year `year`: the labelled table and its number
    formats (`download.FORMATS`).

    `units`, `total`: protected `dashboard.derived.progress` frames (every year) of the units (districts or current
    units) and of the total (None: no total row, `total_label` names it). Columns: the unit's name (header
    `tr(unit_column)`), then `CELLS` under `headers` (all marked as projections)."""
    parts = [projections(units, year)]
    if total is not None and not total.empty:
        parts.append(projections(total, year).assign(unit_name=total_label))
    proj = pd.concat(parts, ignore_index=True)
    labels = headers(proj, tr)
    table = pd.concat([proj[["unit_name"]].rename(columns={"unit_name": tr(unit_column)}),
                       cells(proj, tr, rule).rename(columns=labels)], axis=1)
    return table, {labels[c]: kind for c, kind in CELL_FORMATS.items()}


def line(row: pd.Series) -> tuple[list[int], list[float]] | None:
    """The projection line of one `projections` row: the years from the view year to the goal year and the projected
    rate (percent, never below 0) in each; None when there is no projection or no year remains."""
    if isinstance(row.get("no_projection_reason"), str) or is_missing(row.get("pace")):
        return None
    remaining = row["remaining_years"]
    if is_missing(remaining) or int(remaining) <= 0:
        return None
    start = int(row["goal_year"]) - int(remaining)
    years = list(range(start, int(row["goal_year"]) + 1))
    return years, [projected(float(row["value"]), float(row["pace"]), y - start) for y in years]


def method_text(tr: Translator) -> str:
    """How the projection is made, in one caption (`pace.method`)."""
    return tr("pace.method", window=PACE_WINDOW, horizon=REACH_HORIZON)


@per_process(copy=True)
def chart_projections(units: pd.DataFrame, total: pd.DataFrame, year: int) -> pd.DataFrame:
    """`projections` of the units and of the total (its unit_code 'total') in one frame, for `charts.trajectories`."""
    return pd.concat([projections(units, year), projections(total, year)], ignore_index=True)


def chart_note(tr: Translator, proj: pd.DataFrame, year: int, *, units_drawn: bool) -> str | None:
    """The caption under the trajectories saying what the projection lines are (None when none is drawn: no goal
    year after `year`, or no unit with a projection); `units_drawn`: whether each unit has its own line or only the
    total has one."""
    final = goal_year(proj)
    if final is None or year >= final or not any(line(row) for _, row in proj.iterrows()):
        return None  # no line drawn: a partial view year, hidden cells, or no year left
    return tr("pace.chart_note" if units_drawn else "pace.chart_note_total", year=year, goal_year=final)
