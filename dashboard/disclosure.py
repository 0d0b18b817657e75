"""Small cells protected on public views: figures from few households are hidden from viewers who are not signed in.

The rule (issue 9; the method page explains it to readers, `method.disclosure`):

- **Who.** Viewers who are not signed in (`data.access.signed_in()` is false). Signed-in users see every figure as it
  is: for them `Rule.active` is false and every function here returns its input unchanged (plus empty `hidden_*`
  columns).
- **N.** `POVERTY_SMALL_CELL_MIN` (environment of the app; a whole number ≥ 1, default 10; anything else is logged
  and the default used, so a typo never shows more than intended).
- **Cells.** A cell is one unit (the selection's total, a district or a commune) × the selection's area and group ×
  one review year; its size is its reviewed households, the denominator of every rate of the cell. Every figure of a
  cell — its rates, its counts of households (reviewed, poor, near-poor: a count is judged on the households of its
  cell, and the reviewed households are the count itself), the rate its target judges — is hidden when the cell has
  fewer than N households (*primary*, reason `"small"`). Exactly N households are shown.
- **Figures from several cells.** A figure computed with a hidden cell is hidden too: the baseline (2021) rate, the
  target path, the reduction required and the end goal of a path (the ethnic-minority target's) come from the
  baseline year's cell; the change since 2021, the reduction achieved, R and the pace from the year's and the
  baseline's; the change since the previous year from the year's and the previous year's.
- **Complementary suppression** (reason `"complement"`). Cells that add up to a total shown beside them form a group:
  the districts of the selection (their total is the overview's headline), the communes of one district (the
  district's row on the ranking and the overview), the urban and rural rows of the plan's other targets (their sum is
  the headline's households). When exactly one cell of a group is hidden, the next smallest one is hidden too, so the
  hidden one cannot be recovered by subtraction. A district hidden that way whose communes would all be shown (their
  sum would give it back) has its smallest commune hidden, and with it the next smallest. The groups are the same
  on every page, so no page can be combined with another to undo the rule: which districts are hidden is decided
  over the whole province whatever districts the filter chooses, and a total of chosen districts (the overview's
  headline; the urban, rural and ethnic-minority rows of the plan's other targets, which are such totals for their
  area or group) holding some but not all of a year's hidden districts is hidden too.
- **Shown as hidden, never as missing.** A hidden figure's value is removed from the frame (NaN) before anything is
  drawn, so it reaches no table, chart, hover text, customdata or download; where it would have stood the page shows
  `Rule.marker` ("≤9 hộ — ẩn", or "ẩn — bảo vệ ô nhỏ" for a complementary cell), never `i18n.MISSING` ("—"), and a
  pace or goal judged on it says `suppressed`.

Not hidden: figures that are not computed from the cells' households (the plan's targets, the published province
figures of the demo notice and the method page, the standards), and the `unreliable` flag (under 50 households),
which says less than the marker does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from data.access import signed_in
from i18n import Translator, is_missing
from queries.runner import run

_log = logging.getLogger(__name__)

ENV: Final = "POVERTY_SMALL_CELL_MIN"
DEFAULT_MIN_HOUSEHOLDS: Final = 10
SMALL: Final = "small"
COMPLEMENT: Final = "complement"
SUPPRESSED: Final = "suppressed"  # the pace / goal status of a unit-year judged on hidden figures

# The figures of a `poor_rate_progress` / `other_targets_progress` row by the cells they are computed from.
YEAR_FIGURES: Final = frozenset({
    "households", "poor_households", "near_poor_households", "poor_rate", "near_poor_rate", "poor_and_near_poor_rate",
    "measure_value", "population", "value",
})
BASELINE_FIGURES: Final = frozenset({
    "baseline_rate", "measure_baseline", "path_rate", "reduction_required", "baseline_households",
    "baseline_value", "path_value", "improvement_required", "baseline_population",
})
YEAR_AND_BASELINE_FIGURES: Final = frozenset({
    "poor_change_since_baseline", "near_poor_change_since_baseline", "measure_change_since_baseline",
    "reduction_achieved", "improvement_achieved", "progress_ratio", "status",
})
YEAR_AND_PREVIOUS_FIGURES: Final = frozenset({
    "poor_change_since_previous", "near_poor_change_since_previous", "previous_households",
})
# the end goal: a ceiling ("under 1 %") or a fixed value is no figure of any cell; a path's end (the ethnic-minority
# target) is computed from the baseline cell. Its judgement (`goal_status`) also needs the year's value.
GOAL_VALUE: Final = "goal_value"
GOAL_STATUS: Final = "goal_status"


@dataclass(frozen=True)
class Rule:
    """Who sees small cells. `min_households`: N (cells with fewer reviewed households are hidden); `active`: whether
    the rule applies to this viewer (false for a signed-in user)."""

    min_households: int = DEFAULT_MIN_HOUSEHOLDS
    active: bool = True

    def hides(self, households: object) -> bool:
        """Whether a cell of `households` reviewed households is hidden by the primary rule (missing → not hidden:
        there is no cell)."""
        return self.active and not is_missing(households) and float(households) < self.min_households  # type: ignore[arg-type]

    def marker(self, tr: Translator, reason: str | None = SMALL) -> str:
        """What a hidden figure shows instead of its value: "≤9 hộ — ẩn" / "≤9 households — hidden" (primary), or
        "ẩn — bảo vệ ô nhỏ" / "hidden — protects a small cell" (complementary)."""
        if reason == COMPLEMENT:
            return tr("disclosure.complement")
        return tr("disclosure.small", max=tr.num(self.min_households - 1))


def min_households(env: Mapping[str, str] | None = None) -> int:
    """N from `POVERTY_SMALL_CELL_MIN` (households, a whole number ≥ 1); the default 10 when unset or invalid."""
    raw = (os.environ if env is None else env).get(ENV, "").strip()
    if not raw:
        return DEFAULT_MIN_HOUSEHOLDS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        _log.warning("%s=%r is not a whole number of households ≥ 1; using %d", ENV, raw, DEFAULT_MIN_HOUSEHOLDS)
        return DEFAULT_MIN_HOUSEHOLDS
    return value


def current_rule(env: Mapping[str, str] | None = None, signed: bool | None = None) -> Rule:
    """The rule for this session: N from the environment, active unless the viewer is signed in
    (`data.access.signed_in()`, read when `signed` is None)."""
    return Rule(min_households(env), active=not (signed_in() if signed is None else signed))


# ---------------------------------------------------------------------------------------------------------------------
# Which cells are hidden


def cell_states(households: Sequence[float], groups: Sequence[Hashable], rule: Rule, *,
                keys: Sequence[str] | None = None, forced: frozenset[Hashable] | set[Hashable] = frozenset(),
                initial: Sequence[str | None] | None = None) -> list[str | None]:
    """Per cell: `"small"` (fewer than N households), `"complement"` (hidden so that a small cell of its group cannot
    be recovered by subtraction from the group's total) or None (shown).

    `households`: each cell's reviewed households; `groups`: the group of each cell (cells adding up to one total
    shown with them, e.g. a year's districts, or one district's communes in a year); `keys`: the order among cells of
    equal size (unit codes; default the input order). A group with exactly one hidden cell gets its smallest shown
    cell hidden too. `forced`: groups whose own total is hidden although none of their cells may be (a district
    hidden as a complement): their smallest cell is hidden, and then the rule above applies. `initial`: a state
    each cell already has for another reason (a selection's total, `partial_selection`), kept unless it is small.

    >>> cell_states([5, 40, 12, 30], ["y", "y", "y", "y"], Rule(10))
    ['small', None, 'complement', None]
    """
    sizes = [float(h) for h in households]
    order = list(keys) if keys is not None else [f"{i:09d}" for i in range(len(sizes))]
    given = list(initial) if initial is not None else [None] * len(sizes)
    states: list[str | None] = [SMALL if rule.hides(h) else given[i] for i, h in enumerate(sizes)]
    if not rule.active:
        return states
    members: dict[Hashable, list[int]] = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    for group, cells in members.items():
        hidden = sum(states[i] is not None for i in cells)
        wanted = 2 if hidden or group in forced else 0  # one hidden cell alone is recoverable; two are not
        need = max(0, min(wanted, len(cells)) - hidden)
        shown = sorted((i for i in cells if states[i] is None), key=lambda i: (sizes[i], order[i]))
        for i in shown[:need]:
            states[i] = COMPLEMENT
    return states


DistrictStates = Mapping[tuple[str, int], "str | None"]
"""(district code, year) → the district cell's state among all the province's districts (same area and group)."""


def district_states(households: pd.DataFrame, rule: Rule) -> dict[tuple[str, int], str | None]:
    """The state of every district-year cell, the districts of the whole province being one group a year (their
    total is the province's). `households`: one row per district and year with `district_code`, `year` and
    `households` (the district-level query without a district filter, or its communes' sums)."""
    states = cell_states(households["households"].tolist(), households["year"].tolist(), rule,
                         keys=households["district_code"].astype(str).tolist())
    return {(str(d), int(y)): s for d, y, s in zip(households["district_code"], households["year"], states,
                                                   strict=True)}


def partial_selection(districts: DistrictStates, selection: Sequence[str], year: int) -> str | None:
    """`"complement"` when the districts `selection` (empty: the whole province) holds some but not all of `year`'s
    hidden districts: its total, less its districts that are shown, would give back the hidden ones in it."""
    hidden = {d for (d, y), state in districts.items() if state and y == year}
    part = hidden & set(selection)
    return COMPLEMENT if selection and part and part != hidden else None


def _unit_states(frame: pd.DataFrame, rule: Rule, level: str, districts: DistrictStates | None,
                 selection: Sequence[str]) -> list[str | None]:
    """Per row of a `poor_rate_progress` frame (all its years): the state of its unit-year cell.

    The districts' states are the province's (`districts`; computed from the frame when it holds every district), so
    choosing districts in the filter never changes which are hidden: a view of some districts cannot be set against
    a view of all. A selection's total (`level="total"` with the districts `selection`) holding some but not all of a
    year's hidden districts is hidden too: with the other districts shown, it would give back the hidden ones.
    """
    if districts is None:
        if level == "district":  # the district rows carry their own code as `district_code` too
            districts = district_states(frame, rule)
        elif level == "commune":
            districts = district_states(frame.groupby(["district_code", "year"], as_index=False, sort=True)
                                        ["households"].sum(), rule)
        else:
            districts = {}
    if level == "district":
        return [SMALL if rule.hides(n) else districts.get((str(u), int(y)))
                for u, y, n in zip(frame["unit_code"], frame["year"], frame["households"], strict=True)]
    if level == "total":
        return [SMALL if rule.hides(n) else partial_selection(districts, selection, int(y))
                for y, n in zip(frame["year"], frame["households"], strict=True)]
    # communes: one district's communes add up to the district's row; a district hidden as a complement whose
    # communes are all shown would be their sum, so two of them are hidden (`cell_states`' `forced`)
    forced = {(d, y) for (d, y), state in districts.items() if state == COMPLEMENT}
    groups = [(str(d), int(y)) for d, y in zip(frame["district_code"], frame["year"], strict=True)]
    return cell_states(frame["households"].tolist(), groups, rule, keys=frame["unit_code"].astype(str).tolist(),
                       forced=forced)


def _worst(*reasons: str | None) -> str | None:
    """The reason a figure from several cells is hidden: the primary one if any of its cells is small."""
    present = [r for r in reasons if r]
    return SMALL if SMALL in present else (present[0] if present else None)


def _goal_from_baseline(frame: pd.DataFrame) -> list[bool]:
    """Per row: whether its end goal is a path's end (computed from the baseline cell) rather than a fixed value."""
    kind = frame["goal_kind"] if "goal_kind" in frame.columns else frame.get("kind")
    if kind is None:
        return [False] * len(frame)
    strict = frame["goal_strict"] if "goal_strict" in frame.columns else pd.Series(False, index=frame.index)
    return [k == "reduction_points" and not bool(s) for k, s in zip(kind, strict, strict=True)]


def reasons(frame: pd.DataFrame, column: str) -> list[str | None]:
    """Per row of a protected frame: why `column`'s figure is hidden (`"small"`, `"complement"`) or None (shown).

    Reads the `hidden`, `hidden_baseline` and `hidden_previous` columns `protect_progress` / `protect_targets` add;
    a frame without them (never protected) hides nothing.
    """
    n = len(frame)
    if "hidden" not in frame.columns:
        return [None] * n
    year = frame["hidden"].tolist()
    base = frame["hidden_baseline"].tolist() if "hidden_baseline" in frame.columns else [None] * n
    previous = frame["hidden_previous"].tolist() if "hidden_previous" in frame.columns else [None] * n
    year, base, previous = ([None if is_missing(r) else r for r in col] for col in (year, base, previous))
    if column in YEAR_FIGURES:
        return year
    if column in BASELINE_FIGURES:
        return base
    if column in YEAR_AND_BASELINE_FIGURES:
        return [_worst(y, b) for y, b in zip(year, base, strict=True)]
    if column in YEAR_AND_PREVIOUS_FIGURES:
        return [_worst(y, p) for y, p in zip(year, previous, strict=True)]
    if column in (GOAL_VALUE, GOAL_STATUS):
        from_base = _goal_from_baseline(frame)
        own = year if column == GOAL_STATUS else [None] * n
        return [_worst(y, b if f else None) for y, b, f in zip(own, base, from_base, strict=True)]
    return [None] * n


def _hide(frame: pd.DataFrame) -> pd.DataFrame:
    """Remove every hidden figure of a frame carrying `hidden*` columns; statuses judged on one become `suppressed`."""
    out = frame.copy()
    for column in [*YEAR_FIGURES, *BASELINE_FIGURES, *YEAR_AND_BASELINE_FIGURES, *YEAR_AND_PREVIOUS_FIGURES,
                   GOAL_VALUE, GOAL_STATUS]:
        if column not in out.columns:
            continue
        why = reasons(frame, column)
        mask = np.array([w is not None for w in why], dtype=bool)
        if not mask.any():
            continue
        if column in ("status", GOAL_STATUS):
            # a status judged on a hidden figure says so; a partial year (never judged) and no judgement stay as
            # they are
            values = out[column].tolist()
            out[column] = pd.Series(
                [SUPPRESSED if hide and isinstance(v, str) and v != "incomplete" else v
                 for v, hide in zip(values, mask, strict=True)], index=out.index, dtype=object)
            continue
        if pd.api.types.is_integer_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].astype("float64")
        out.loc[mask, column] = np.nan
    return out


def _empty_reasons(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in ("hidden", "hidden_baseline", "hidden_previous"):
        out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    return out


def protect_progress(frame: pd.DataFrame, rule: Rule, *, level: str, districts: DistrictStates | None = None,
                     selection: Sequence[str] = ()) -> pd.DataFrame:
    """A `poor_rate_progress` frame (every year of the query, after `status.add_status`) as `rule` lets it be shown.

    `level`: the query's `$level` (`total`, `district`, `commune`), which decides the groups of complementary
    suppression. `districts`: the province's district states for the same area and group (`district_states`);
    needed when the query was filtered to some districts (`selection`, their codes), computed from the frame
    otherwise. Adds `hidden` (the reason the row's own cell is hidden, or None), `hidden_baseline` (its unit's
    baseline-year cell) and `hidden_previous` (the previous year's cell); hidden figures become NaN and a pace or goal
    judged on one becomes `"suppressed"`. Needs every year of the query (the baseline and previous years' rows decide
    those cells' states, complementary ones included); a unit without a baseline row falls back to
    `baseline_households`.
    """
    out = _empty_reasons(frame)
    if not rule.active or out.empty:
        return out
    states = _unit_states(frame, rule, level, districts, selection)
    out["hidden"] = pd.Series(states, index=out.index, dtype=object)
    by_cell = {(u, int(y)): s for u, y, s in zip(frame["unit_code"], frame["year"], states, strict=True)}
    baseline_years = frame.loc[frame["is_baseline_year"].astype(bool), "year"]
    baseline_year = int(baseline_years.iloc[0]) if len(baseline_years) else None
    base_sizes = frame["baseline_households"].tolist() if "baseline_households" in frame.columns else [None] * len(out)
    out["hidden_baseline"] = pd.Series(
        [by_cell.get((u, baseline_year), SMALL if rule.hides(b) else None) if baseline_year is not None else None
         for u, b in zip(frame["unit_code"], base_sizes, strict=True)], index=out.index, dtype=object)
    out["hidden_previous"] = pd.Series([by_cell.get((u, int(y) - 1)) for u, y in zip(frame["unit_code"],
                                                                                    frame["year"], strict=True)],
                                       index=out.index, dtype=object)
    return _hide(out)


def protect_targets(frame: pd.DataFrame, rule: Rule,
                    selections: Mapping[tuple[str, int], str | None] | None = None) -> pd.DataFrame:
    """An `other_targets_progress` frame (every year, after `status.add_status`) as `rule` lets it be shown.

    Each row's cell is its target's population (`population` households: urban, rural, ethnic-minority, near-poor or
    2021-poor households of the selection) in the year; the urban and rural rows of a year are a group (they add up
    to the headline's households). `selections`: (scope, year) → the state the row has as the total of the chosen
    districts for its own area and group (`partial_selection`; the urban, rural and ethnic-minority rows are the
    headline of the overview with that area or group chosen, and must be hidden as it is). Adds `hidden`,
    `hidden_baseline` (the same target's baseline-year cell) and `hidden_previous` (None); hidden figures become NaN
    and judgements on them `"suppressed"`.
    """
    out = _empty_reasons(frame)
    if not rule.active or out.empty:
        return out
    groups = [(int(y), "area") if s in ("urban", "rural") else (int(y), s)
              for s, y in zip(frame["scope"], frame["year"], strict=True)]
    given = [(selections or {}).get((str(s), int(y))) for s, y in zip(frame["scope"], frame["year"], strict=True)]
    states = cell_states(frame["population"].tolist(), groups, rule, keys=frame["scope"].astype(str).tolist(),
                         initial=given)
    out["hidden"] = pd.Series(states, index=out.index, dtype=object)
    by_cell = {(s, int(y)): st for s, y, st in zip(frame["scope"], frame["year"], states, strict=True)}
    baseline_years = frame.loc[frame["is_baseline_year"].astype(bool), "year"]
    baseline_year = int(baseline_years.iloc[0]) if len(baseline_years) else None
    base_sizes = frame["baseline_population"].tolist() if "baseline_population" in frame.columns else [None] * len(out)
    out["hidden_baseline"] = pd.Series(
        [by_cell.get((s, baseline_year), SMALL if rule.hides(b) else None) if baseline_year is not None else None
         for s, b in zip(frame["scope"], base_sizes, strict=True)], index=out.index, dtype=object)
    return _hide(out)


def protect_breakdown(frame: pd.DataFrame, rule: Rule, commune_hidden: str | None) -> pd.DataFrame:
    """A `commune_deprivation_breakdown` frame (one commune-year, one row per indicator) as `rule` lets it be shown.

    `commune_hidden`: the `hidden` reason of that commune-year's row in the protected `poor_rate_progress` frame (its
    cell is the same households; a complementary state carries over). Hidden then: every figure. Otherwise the shares
    among poor households are computed from the poor households alone, and are hidden when those are fewer than N.
    Adds `hidden` (the commune-year's reason) and `hidden_poor` (the reason for `deprived_share_poor`).
    """
    out = frame.copy()
    n = len(out)
    out["hidden"] = pd.Series([commune_hidden if rule.active else None] * n, index=out.index, dtype=object)
    out["hidden_poor"] = pd.Series([None] * n, index=out.index, dtype=object)
    if not rule.active or out.empty:
        return out
    if commune_hidden:
        for column in ("households", "deprived_share_all", "poor_households", "deprived_share_poor"):
            out[column] = np.nan
        out["hidden_poor"] = commune_hidden
        return out
    # no poor household: there is no share to hide (it is missing, "—")
    small = [bool(p) and rule.hides(p) for p in out["poor_households"].fillna(0)]
    out["hidden_poor"] = pd.Series([SMALL if s else None for s in small], index=out.index, dtype=object)
    out.loc[np.array(small, dtype=bool), "deprived_share_poor"] = np.nan
    return out


def protect_coverage(frame: pd.DataFrame, rule: Rule) -> pd.DataFrame:
    """`review_coverage` rows as `rule` lets them be shown: a year's reviewed households (a count of households, the
    province's cell of that year) and its share of the previous year's are hidden under N. Adds `hidden`."""
    out = frame.copy()
    small = [rule.hides(h) for h in out["households"]]
    out["hidden"] = pd.Series([SMALL if s else None for s in small], index=out.index, dtype=object)
    mask = np.array(small, dtype=bool)
    if mask.any():
        for column in ("households", "household_share"):
            out[column] = out[column].astype("float64")
            out.loc[mask, column] = np.nan
    return out


# ---------------------------------------------------------------------------------------------------------------------
# What pages call: the queries, judged and protected


def progress(level: str, params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`queries/poor_rate_progress.sql` at `level` for the filter `params`, every year, with the pace and goal
    (`status.add_status`), protected by `rule`."""
    from dashboard.status import add_status

    frame = add_status(run("poor_rate_progress", level=level, **params))
    chosen = [str(d) for d in params.get("district") or []]  # type: ignore[attr-defined]
    states = None
    if rule.active and chosen:  # the province's districts decide, whichever of them the filter shows
        everything = run("poor_rate_progress", level="district", **{**params, "district": []})
        states = district_states(everything, rule)
    return protect_progress(frame, rule, level=level, districts=states, selection=chosen)


def targets(params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`queries/other_targets_progress.sql` for the filter `params`, every year, judged (`higher_is_better` from each
    target's direction) and protected by `rule`."""
    from dashboard.status import add_status

    others = run("other_targets_progress", **params)
    judged = add_status(others.assign(higher_is_better=others["direction"] < 0), value="value",
                        higher_is_better="higher_is_better", required="improvement_required")
    chosen = [str(d) for d in params.get("district") or []]  # type: ignore[attr-defined]
    selections: dict[tuple[str, int], str | None] = {}
    if rule.active and chosen:
        area, group = str(params.get("area", "all")), str(params.get("group", "all"))
        # each row's own households as a selection of area and group (what the overview shows with them chosen)
        subsets = {"urban": ("urban", group), "rural": ("rural", group),
                   "ethnic_minority": (area, group if group in ("minority", "khmer") else "minority")}
        for scope, (sub_area, sub_group) in subsets.items():
            if area not in ("all", sub_area) or group == "kinh" and scope == "ethnic_minority":
                continue  # the filter leaves this target no households
            states = district_states(run("poor_rate_progress", level="district", district=[], area=sub_area,
                                         group=sub_group), rule)
            for year in {y for _, y in states}:
                selections[(scope, year)] = partial_selection(states, chosen, year)
    return protect_targets(judged, rule, selections)


def breakdown(commune: str, year: int, area: str, group: str, rule: Rule, communes: pd.DataFrame) -> pd.DataFrame:
    """`queries/commune_deprivation_breakdown.sql` for one commune-year, protected by `rule` (`protect_breakdown`)
    with the state of that commune-year's cell in `communes` (the protected commune-level `progress` frame)."""
    frame = run("commune_deprivation_breakdown", commune=commune, year=year, area=area, group=group)
    cell = communes.loc[(communes["unit_code"] == commune) & (communes["year"] == year), "hidden"]
    return protect_breakdown(frame, rule, next((w for w in cell if isinstance(w, str)), None))


def coverage(rule: Rule) -> pd.DataFrame:
    """`queries/review_coverage.sql`, protected by `rule` (`protect_coverage`)."""
    return protect_coverage(run("review_coverage"), rule)


# ---------------------------------------------------------------------------------------------------------------------
# Showing hidden figures


def mark(table: pd.DataFrame, frame: pd.DataFrame, sources: Mapping[str, str], tr: Translator,
         rule: Rule | None) -> pd.DataFrame:
    """`table` (reader-labelled, one row per row of the protected `frame`, in the same order) with `rule.marker` in
    every cell whose source figure is hidden. `sources` maps a table column to the frame column its figure comes
    from. A frame never protected is returned as it is; a protected one needs the `rule` (its N is in the marker)."""
    out = table.copy()
    for column, source in sources.items():
        if column not in out.columns:
            continue
        why = reasons(frame, source)
        if not any(why):
            continue
        if rule is None:
            raise ValueError("a protected frame's table needs the disclosure rule for its markers")
        values = out[column].tolist()
        out[column] = pd.Series([rule.marker(tr, w) if w else v for v, w in zip(values, why, strict=True)],
                                index=out.index, dtype=object)
    return out


def text(tr: Translator, rule: Rule, row: pd.Series, column: str, shown: str) -> str:
    """One figure of a row as text: `shown` (the caller's formatting of `row[column]`), or the marker when hidden."""
    [why] = reasons(row.to_frame().T, column)
    return rule.marker(tr, why) if why else shown
