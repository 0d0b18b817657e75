"""Deprivation drivers (issue 12, item 1): which deprivations keep households poor in a place, as the drivers page
(and the commune profile and compare pages, through `unit_drivers`) show them.

Where the numbers come from: `queries/deprivation_drivers.sql` (per unit and indicator of the standard in force:
censored headcount, share among poor, contribution, intensity; definitions in its header) and
`queries/deprivation_combinations.sql` (the poor households' combinations of deprivations). The indicator list is
the standard's (`standards` / `indicators`), never a fixed twelve.

What this module adds: the small-cell protection of those figures (`protect`, `unit_drivers`, `unit_combinations`),
the change since the plan's baseline year per indicator (`with_baseline`, `baseline_state`), and the reader's
tables, headline and map rows. No widgets: pages/drivers.py arranges them.

Small cells (dashboard/disclosure.py, as `disclosure.breakdown` protects the map page's breakdown): every figure
of a unit-year is hidden when its household cell is (its state in the protected `poor_rate_progress` frame of the
same filter, so a complementary state carries over); otherwise the figures computed from its poor households'
deprivations — `deprived_poor`, `censored_headcount`, `share_among_poor`, `contribution`, `intensity` — are hidden
when those are 1 … N−1 households or when another unit's would otherwise be had back by subtraction (the poor
households' own lattice, `disclosure.poor_states`) (`hidden_poor`; the censored headcount too: with the shown poor
households it would give the share among poor back), and a combination held by 1 … N−1 households is hidden. A
signed-in viewer sees everything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from dashboard import derived, disclosure
from dashboard.disclosure import COMPLEMENT, SMALL, Rule
from i18n import MISSING, Translator, is_missing
from queries.places import unit_rows
from queries.runner import run

# the measures per indicator (percent), in the order the page offers them
MEASURES: Final = ("censored_headcount", "share_among_poor", "contribution")
# figures of a unit-year computed from its poor households' deprivations (hidden with `hidden_poor`)
POOR_FIGURES: Final = ("deprived_poor", "censored_headcount", "share_among_poor", "contribution", "intensity")
# figures of the unit-year's whole cell (hidden with `hidden`)
CELL_FIGURES: Final = ("households", "poor_households")
# the change since the baseline year (percentage points), hidden with either year's poor figures
CHANGE_FIGURES: Final = ("baseline_censored_headcount", "baseline_share_among_poor", "censored_change",
                         "share_change")
TOP_COMBINATIONS: Final = 10
LEVELS: Final = ("total", "district", "commune")


def _split(params: Mapping[str, object]) -> tuple[dict[str, object], int]:
    """The filter parameters (`units`, `district`, `area`, `group`) and the year of `params`."""
    if "year" not in params:
        raise ValueError("the drivers need the view's year in params['year']")
    filters = {k: v for k, v in params.items() if k != "year"}
    filters.setdefault("units", "former")
    filters.setdefault("district", [])
    filters.setdefault("area", "all")
    filters.setdefault("group", "all")
    return filters, int(params["year"])  # type: ignore[call-overload]


def read(params: Mapping[str, object], level: str, commune: str | None = None) -> pd.DataFrame:
    """`queries/deprivation_drivers.sql` for the filter and year `params` (`Filters.sql_params()` plus `year`) at
    `level` ('total', 'district', 'commune'), restricted to the unit `commune` of the view's set when given (a view
    of chosen places read from the query over every place, `queries.places`)."""
    filters, year = _split(params)
    return unit_rows("deprivation_drivers", level=level, year=year, commune=commune, **filters)


def cell_states(progress: pd.DataFrame, year: int) -> dict[str, str | None]:
    """Unit code → the `hidden` reason of its cell in `year` (None: shown), from a protected `poor_rate_progress`
    frame (`derived.progress`)."""
    rows = progress[progress["year"] == year]
    hidden = rows["hidden"] if "hidden" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    return {str(u): (h if isinstance(h, str) else None) for u, h in zip(rows["unit_code"], hidden, strict=True)}


def protect(frame: pd.DataFrame, rule: Rule, cells: Mapping[str, str | None],
            poor_cells: Sequence[str | None] | None = None) -> pd.DataFrame:
    """A `deprivation_drivers` frame as `rule` lets it be shown (see the module's docstring).

    `cells`: unit code → its cell's reason (`cell_states`); a unit absent from it is hidden (`COMPLEMENT`: its cell
    could not be judged). `poor_cells`: per row, the state of the unit's poor households' cell
    (`disclosure.poor_states`: small, or hidden with a complement so that no hidden unit's counts can be had back by
    subtraction); None: only the primary rule on the poor households (1 … N−1). Adds `hidden` (the cell's reason) and
    `hidden_poor` (the reason for `POOR_FIGURES`); hidden figures become NaN. An inactive rule changes nothing (the
    two columns stay empty)."""
    out = frame.copy()
    n = len(out)
    out["hidden"] = pd.Series([None] * n, index=out.index, dtype=object)
    out["hidden_poor"] = pd.Series([None] * n, index=out.index, dtype=object)
    if not rule.active or not n:
        return out
    whole = [cells.get(str(u), COMPLEMENT) for u in out["unit_code"]]
    if poor_cells is None:
        poor_cells = [SMALL if not is_missing(p) and 0 < int(p) < rule.min_households else None
                      for p in out["poor_households"]]
    poor = [w or p for w, p in zip(whole, poor_cells, strict=True)]
    out["hidden"] = pd.Series(whole, index=out.index, dtype=object)
    out["hidden_poor"] = pd.Series(poor, index=out.index, dtype=object)
    for columns, why in ((CELL_FIGURES, whole), (POOR_FIGURES, poor)):
        mask = np.array([w is not None for w in why], dtype=bool)
        if mask.any():
            for column in columns:
                out[column] = out[column].astype("float64")
                out.loc[mask, column] = np.nan
    return out


def unit_drivers(params: dict, rule: Rule, level: str, commune: str | None = None) -> pd.DataFrame:
    """The protected drivers of one scope: `deprivation_drivers` rows (one per unit × indicator of the standard in
    force, ordered by unit_code, position; percent, households, deprivations per poor household) with `hidden` and
    `hidden_poor` (`protect`).

    `params`: the view's filter (`Filters.sql_params()`: units, district, area, group) plus `year`. `level`:
    'total' (the selection as one unit, unit_code 'total'), 'district' or 'commune' (every unit of the selection at
    that level); `commune`: a unit code of the view's set (a former commune, or a current unit) to restrict the
    rows to, with `level='commune'` only. For the commune profile: `unit_drivers(p, rule, "commune", code)`, its
    district `unit_drivers({**p, "district": [d]}, rule, "district")`, the province `unit_drivers({**p,
    "district": []}, rule, "total")`. Each unit is judged by its cell in the protected commune-, district- or
    total-level `poor_rate_progress` of the same filter (`derived.progress`), as the other pages judge it.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if commune is not None and level != "commune":
        raise ValueError("a commune restriction needs level='commune'")
    filters, year = _split(params)
    frame = read(params, level, commune)
    if not rule.active or frame.empty:
        return protect(frame, rule, {})
    poor = disclosure.poor_states(frame, rule, level=level, area=str(filters["area"]), group=str(filters["group"]),
                                  selection=list(filters["district"]), units=str(filters["units"]))
    return protect(frame, rule, cell_states(derived.progress(level, filters, rule), year), poor)


def unit_combinations(params: dict, rule: Rule, level: str, commune: str | None = None,
                      limit: int = TOP_COMBINATIONS, drivers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The poor households' most frequent combinations of deprivations per unit of a scope
    (`queries/deprivation_combinations.sql`: unit_code, combination (indicator codes, VARCHAR[]), households,
    poor_households, share_of_poor in percent), at most `limit` per unit, protected: adds `hidden`, the reason a
    row's figures are hidden (the unit's `hidden_poor` in `drivers`, the protected `unit_drivers` of the same scope,
    read when None; else `SMALL` for a combination of 1 … N−1 households), those figures NaN."""
    filters, year = _split(params)
    frame = run("deprivation_combinations", level=level, year=year, commune=commune, limit=limit, **filters)
    out = frame.copy()
    out["hidden"] = pd.Series([None] * len(out), index=out.index, dtype=object)
    if not rule.active or out.empty:
        return out
    if drivers is None:
        drivers = unit_drivers(params, rule, level, commune)
    unit_poor = dict(zip(drivers["unit_code"].astype(str), drivers["hidden_poor"], strict=True))
    why = [unit_poor.get(str(u), COMPLEMENT) or (SMALL if int(h) < rule.min_households else None)
           for u, h in zip(out["unit_code"], out["households"], strict=True)]
    out["hidden"] = pd.Series(why, index=out.index, dtype=object)
    mask = np.array([w is not None for w in why], dtype=bool)
    for column in ("households", "poor_households", "share_of_poor"):
        out[column] = out[column].astype("float64")
        out.loc[mask, column] = np.nan
    return out


# ---------------------------------------------------------------------------------------------------------------------
# The change since the plan's baseline year


def baseline_year() -> int:
    """The plan's baseline year (`plan_baseline_year()` of data/schema.sql, read through queries/plan_targets.sql)."""
    return int(run("plan_targets")["baseline_year"].iloc[0])


def standard_of(year: int) -> str | None:
    """The id of the standard in force in `year` (queries/poverty_standards.sql), None if none is."""
    standards = run("poverty_standards")
    rows = standards[(standards["first_year"] <= year) & (standards["last_year"] >= year)]
    return str(rows["standard_id"].iloc[0]) if len(rows) else None


def baseline_state(year: int, base: int, years: Sequence[int]) -> str:
    """How the view's `year` compares with the baseline year `base` (review `years` in the warehouse):
    'same_year' (the view is the baseline year: no change to show), 'before' (earlier than the baseline), 'no_data'
    (no review in the baseline year), 'other_standard' (another standard is in force there: the change is shown for
    the indicators both standards count) or 'same_standard'."""
    if year == base:
        return "same_year"
    if year < base:
        return "before"
    if base not in years:
        return "no_data"
    return "same_standard" if standard_of(year) == standard_of(base) else "other_standard"


def with_baseline(now: pd.DataFrame, base: pd.DataFrame | None) -> pd.DataFrame:
    """`now` (protected drivers of the view's year) with the same units' baseline-year figures beside each indicator
    both standards count: `baseline_censored_headcount`, `baseline_share_among_poor` (percent), `censored_change`,
    `share_change` (percentage points, view year − baseline year), `in_baseline` (whether the baseline standard
    counts the indicator) and `hidden_change` (the reason the change is hidden: either year's `hidden_poor`).
    `base`: protected drivers of the baseline year for the same filter and scope (None: no baseline)."""
    out = now.copy()
    if base is None or base.empty:
        for column in CHANGE_FIGURES:
            out[column] = np.nan
        out["in_baseline"] = False
        out["hidden_change"] = pd.Series([None] * len(out), index=out.index, dtype=object)
        return out
    keep = base[["unit_code", "indicator", "censored_headcount", "share_among_poor", "hidden_poor"]].rename(
        columns={"censored_headcount": "baseline_censored_headcount",
                 "share_among_poor": "baseline_share_among_poor", "hidden_poor": "_hidden_base"})
    out = out.merge(keep.assign(in_baseline=True), on=["unit_code", "indicator"], how="left")
    out["in_baseline"] = out["in_baseline"].astype("boolean").fillna(False).astype(bool)
    out["censored_change"] = out["censored_headcount"] - out["baseline_censored_headcount"]
    out["share_change"] = out["share_among_poor"] - out["baseline_share_among_poor"]
    hidden = [_worst(a, b if isinstance(b, str) else None)
              for a, b in zip(out["hidden_poor"], out["_hidden_base"], strict=True)]
    out["hidden_change"] = pd.Series(hidden, index=out.index, dtype=object)
    mask = np.array([h is not None for h in hidden], dtype=bool)
    out.loc[mask, list(CHANGE_FIGURES)] = np.nan
    return out.drop(columns="_hidden_base")


def _worst(*reasons: object) -> str | None:
    present = [r for r in reasons if isinstance(r, str)]
    return SMALL if SMALL in present else (present[0] if present else None)


# ---------------------------------------------------------------------------------------------------------------------
# What the page shows


def top_indicator(frame: pd.DataFrame) -> str | None:
    """The indicator contributing most to the poor's deprivations in a one-unit `frame` (the first by position on a
    tie, or the first of the standard when nothing is shown): the map's default indicator."""
    if frame.empty:
        return None
    ordered = frame.sort_values("position")
    shown = ordered.dropna(subset=["contribution"])
    if shown.empty:
        return str(ordered["indicator"].iloc[0])
    return str(shown.loc[shown["contribution"].idxmax(), "indicator"])


def unit_reason(frame: pd.DataFrame, column: str = "hidden") -> str | None:
    """The reason (`hidden` or `hidden_poor`) of a one-unit frame, None when shown."""
    return next((w for w in frame.get(column, pd.Series(dtype=object)) if isinstance(w, str)), None)


def headline(frame: pd.DataFrame, tr: Translator, rule: Rule) -> dict[str, str]:
    """The headline of a one-unit drivers `frame`, as short texts: `poor` (poor households), `households` (households
    reviewed), `intensity` (the poor's average deprivation count out of the standard's indicators, "4,30 / 12"),
    `top` (the largest contributor's label) and `top_share` (its contribution); a hidden figure is the rule's marker,
    a missing one "—"."""
    first = frame.iloc[0]
    whole, poor = unit_reason(frame), unit_reason(frame, "hidden_poor")
    if whole:
        households = poor_count = rule.marker(tr, whole)
    else:
        households, poor_count = tr.num(first["households"]), tr.num(first["poor_households"])
    if poor:
        intensity = top = share = rule.marker(tr, poor)
    elif is_missing(first["intensity"]):
        intensity = top = share = MISSING
    else:
        intensity = tr("drivers.intensity_value", value=tr.num(first["intensity"], 2), n=len(frame))
        row = frame[frame["indicator"] == top_indicator(frame)].iloc[0]
        top, share = tr.label(row), tr.pct(row["contribution"], 1)
    return {"poor": poor_count, "households": households, "intensity": intensity, "top": top, "top_share": share}


def _marked(values: Sequence[object], why: Sequence[object], tr: Translator, rule: Rule | None) -> pd.Series:
    return pd.Series([rule.marker(tr, w) if isinstance(w, str) and rule is not None else v
                      for v, w in zip(values, why, strict=True)], dtype=object)


def indicator_table(frame: pd.DataFrame, tr: Translator, rule: Rule | None, base: int | None = None
                    ) -> tuple[pd.DataFrame, dict[str, str]]:
    """One unit's indicators, in the standard's order: indicator, censored headcount, share among poor,
    contribution (percent), with the baseline year `base` the censored headcount's change since it (percentage
    points; "—" for an indicator the baseline standard does not count), and the indicator's dimension last (the
    figures first on a phone); the labelled frame and its number formats. Hidden figures show the rule's marker."""
    data = frame.sort_values("position").reset_index(drop=True)
    columns = {
        "indicator": tr("col.indicator"),
        "dimension": tr("drivers.col.dimension"),
        "censored_headcount": tr("drivers.col.censored_headcount"),
        "share_among_poor": tr("drivers.col.share_among_poor"),
        "contribution": tr("drivers.col.contribution"),
    }
    table = pd.DataFrame({columns["indicator"]: [tr.label(r) for _, r in data.iterrows()]})
    formats = {columns[m]: "pct" for m in MEASURES}
    for measure in MEASURES:
        table[columns[measure]] = _marked(data[measure], data["hidden_poor"], tr, rule)
    if base is not None and "censored_change" in data.columns:
        header = tr("drivers.col.change", year=base)
        table[header] = _marked(data["censored_change"], data["hidden_change"], tr, rule)
        formats[header] = "pts"
    table[columns["dimension"]] = [tr.get(f"dimension.{d}", str(d)) for d in data["dimension"]]
    return table, formats


def combination_text(combination: Sequence[str], labels: Mapping[str, str]) -> str:
    """A combination of indicator codes as the reader reads it: its labels joined by " + "."""
    return " + ".join(labels.get(code, code) for code in combination)


def combination_table(frame: pd.DataFrame, tr: Translator, labels: Mapping[str, str]
                      ) -> tuple[pd.DataFrame, dict[str, str]]:
    """The shown combinations of one unit (rows of `unit_combinations` whose figures are not hidden): combination,
    number of deprivations, poor households, share of the poor (percent); the labelled frame and its formats."""
    data = frame[frame["hidden"].isna()].reset_index(drop=True)
    table = pd.DataFrame({
        tr("drivers.col.combination"): [combination_text(c, labels) for c in data["combination"]],
        tr("drivers.col.count"): [len(c) for c in data["combination"]],
        tr("col.poor_households"): data["households"].astype("int64"),
        tr("drivers.col.share_of_poor"): data["share_of_poor"],
    })
    return table, {tr("drivers.col.count"): "int", tr("col.poor_households"): "int",
                   tr("drivers.col.share_of_poor"): "pct"}


def map_rows(frame: pd.DataFrame, indicator: str, district_names: Mapping[str, str]) -> pd.DataFrame:
    """The rows of one indicator in a commune-level drivers `frame`, one per unit, with `district_name` (the unit's
    group: its former district, or the unit itself in the current set) for the map's hover."""
    rows = frame[frame["indicator"] == indicator].reset_index(drop=True)
    return rows.assign(district_name=[district_names.get(str(d), d) for d in rows["district_code"]])


def map_details(rows: pd.DataFrame, tr: Translator, rule: Rule | None) -> dict[str, list[str]]:
    """Per unit of `map_rows`: the hover lines under the censored headcount (share among poor, contribution, poor
    households of households reviewed), each the rule's marker when hidden; none of a hidden cell's figures."""
    out: dict[str, list[str]] = {}
    for _, row in rows.iterrows():
        if isinstance(row["hidden"], str):
            out[str(row["unit_code"])] = []
            continue
        poor = row["hidden_poor"]
        lines = [f"{tr('drivers.col.share_among_poor')}: "
                 + (rule.marker(tr, poor) if isinstance(poor, str) and rule else tr.pct(row["share_among_poor"], 1)),
                 f"{tr('drivers.col.contribution')}: "
                 + (rule.marker(tr, poor) if isinstance(poor, str) and rule else tr.pct(row["contribution"], 1)),
                 tr("drivers.poor_of", poor=tr.num(row["poor_households"]), total=tr.num(row["households"]))]
        out[str(row["unit_code"])] = lines
    return out


def table_order(frame: pd.DataFrame) -> list[str]:
    """The unit codes of a commune-level drivers `frame` in the order `commune_table` lists them (district, then
    code): the order of the profile links beside its rows."""
    units = frame.drop_duplicates("unit_code").sort_values(["district_code", "unit_code"])
    return [str(c) for c in units["unit_code"]]


def commune_table(frame: pd.DataFrame, tr: Translator, rule: Rule | None, *, unit_column: str,
                  district_names: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per unit of a commune-level drivers `frame` (one row per unit, in code order): the district (former units,
    with `district_names`), the unit, households reviewed, poor households, the poor's average deprivation count,
    and the censored headcount (percent) of each indicator of the standard in its order; the labelled frame and
    its formats. Hidden figures show the rule's marker."""
    units = frame.drop_duplicates("unit_code").set_index("unit_code").loc[table_order(frame)].reset_index()
    table = pd.DataFrame()
    if district_names is not None:
        table[tr("col.district")] = [district_names.get(str(d), d) for d in units["district_code"]]
    table[unit_column] = units["unit_name"].to_numpy()
    table[tr("col.code")] = units["unit_code"].to_numpy()
    table[tr("col.households")] = _marked(units["households"], units["hidden"], tr, rule)
    table[tr("col.poor_households")] = _marked(units["poor_households"], units["hidden"], tr, rule)
    table[tr("drivers.col.intensity")] = _marked(units["intensity"], units["hidden_poor"], tr, rule)
    formats = {tr("col.households"): "int", tr("col.poor_households"): "int", tr("drivers.col.intensity"): "ratio"}
    indicators = frame.drop_duplicates("indicator").sort_values("position")
    for _, ind in indicators.iterrows():
        rows = frame[frame["indicator"] == ind["indicator"]].set_index("unit_code").reindex(units["unit_code"])
        header = tr("drivers.col.censored_of", indicator=tr.label(ind))
        table[header] = _marked(rows["censored_headcount"].to_numpy(), rows["hidden_poor"].to_numpy(), tr, rule)
        formats[header] = "pct"
    return table, formats
