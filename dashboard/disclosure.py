"""Small cells protected on public views: figures from few households are hidden from viewers who are not trusted.

The rule (issue 9; the method page explains it to readers, `method.disclosure`):

- **Who.** Every viewer but those `data.access.sees_small_cells()` names: a session that may write (the operator
  setting of `make run`, or a signed-in user on `POVERTY_WRITERS`) or a signed-in user on `POVERTY_READERS`. They see
  every figure as it is: for them `Rule.active` is false and every function here returns its input unchanged (plus
  empty `hidden_*` columns). Signing in alone is not enough: the provider may let anyone with an account sign in.
- **N.** `POVERTY_SMALL_CELL_MIN` (environment of the app; a whole number ≥ 1, default 10; anything else is logged
  and the default used, so a typo never shows more than intended).
- **Cells.** A cell is one unit (the province, a former district or commune, a current unit, or the total of the former
  districts or current units a filter chooses) × an area (all, urban, rural) × a group (all, kinh, minority, khmer) ×
  one review year; its size is its reviewed households, the denominator of every rate of the cell. Every figure of a
  cell — its rates, its counts of households (reviewed, poor, near-poor: a count is judged on the households of its
  cell, and the reviewed households are the count itself), the rate its target judges — is hidden when the cell has
  fewer than N households (*primary*, reason `"small"`). Exactly N households are shown; a cell of no household is no
  data ("—"), not hidden.
- **Figures from several cells.** A figure computed with a hidden cell is hidden too: the baseline (2021) rate, the
  target path, the reduction required and the end goal of a path (the ethnic-minority target's) come from the
  baseline year's cell; the change since 2021, the reduction achieved, R and the pace from the year's and the
  baseline's; the change since the previous year from the year's and the previous year's.
- **Complementary suppression across every view** (reason `"complement"`; dashboard/lattice.py). A viewer can open every
  combination of the filters in both unit sets (`units`: 'former' or 'current'), so all views together are one set of
  linked tables: the province is the sum of its former districts and of its current units, a former district of its
  communes, a current unit of the former communes it took (and of its households whose former commune is unknown: from
  2025 on, the former-units view counts them in the province only, so the province less the districts gives them, and
  they are protected like the other minorities); all areas are urban + rural; all groups are kinh + minority, and
  minority is khmer + the other minorities (never a filter, but minority − khmer gives it, so a few households of
  another minority are protected too). Once per warehouse version and N (`cells`, cached per process), every cell of
  every year gets its state over all these relations at once: wherever one cell of a relation is hidden alone, or the
  hidden cells beside a shown total hold 1 … N−1 households together, or none or only poor (near-poor, poor or
  near-poor, for urban and rural cells poor without social protection) households while the total holds some of both
  (the total less the shown cells would give each hidden cell's rate: 0 % or 100 %), one more is hidden (a part before
  the total, other minorities and other cells no view shows first since hiding them hides no figure, then the one whose
  hiding leaves the fewest other relations with a lone hidden cell, then the smallest), until nothing changes; and
  wherever a combination of several relations still gives a small cell (checked by linear algebra over the households),
  one more cell of it is hidden and the relations settle again. A shown total at 0 % or 100 % says so of all its parts
  on its own (a published figure of N or more households, no small-cell disclosure): it hides nothing more, even when
  all its parts are hidden. Every view then looks its cells up there, so a cell has the same state on every page and
  with every filter, and no view can be subtracted from another to give a hidden one back. In the current-units view
  both its "district" and "commune" rows are the current units' cells. A total of chosen districts (current units) is
  shown only when it holds none of its area and group's hidden districts (units), or all of them and the province is
  shown; otherwise it would give some back and is hidden. The plan's other targets are cells too: the urban and rural
  rows are the chosen districts' (units') urban or rural households, the ethnic-minority row their minority (or Khmer)
  households; the near-poor and 2021-poor rows count part of the selection's own cell and are hidden with it, and under
  N households of their own. The coverage of a year (its reviewed households, and those whose former commune is known)
  is the province's cell and the province less the unknown former communes. A row read from another warehouse version
  than the lattice's (an import committed between the two reads) is hidden rather than judged on the other version's
  cells.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import lattice
from dashboard.lattice import COMPLEMENT, SMALL, Lattice
from data.access import sees_small_cells
from data.warehouse import Version
from i18n import Translator, is_missing
from queries.runner import reading, run
from queries.sql import execute

_log = logging.getLogger(__name__)

ENV: Final = "POVERTY_SMALL_CELL_MIN"
DEFAULT_MIN_HOUSEHOLDS: Final = 10
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
# targets measured on the flows from the previous review (queries/other_targets_progress.sql): their households are
# parts of the selection's cells in both years
FLOW_TARGETS: Final = frozenset({"health_insurance_escaped"})
GOAL_STATUS: Final = "goal_status"


@dataclass(frozen=True)
class Rule:
    """Who sees small cells. `min_households`: N (cells with fewer reviewed households are hidden); `active`: whether
    the rule applies to this viewer (false for a signed-in user)."""

    min_households: int = DEFAULT_MIN_HOUSEHOLDS
    active: bool = True

    def hides(self, households: object) -> bool:
        """Whether a cell of `households` reviewed households is hidden by the primary rule (missing → not hidden:
        there is no cell: None, NaN or pandas' NA, as a unit without a cell in the baseline year has)."""
        if not self.active or households is None or pd.isna(households):  # type: ignore[call-overload]
            return False
        return float(households) < self.min_households  # type: ignore[arg-type]

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
    (`data.access.sees_small_cells()`, read when `signed` is None)."""
    return Rule(min_households(env), active=not (sees_small_cells() if signed is None else signed))


# ---------------------------------------------------------------------------------------------------------------------
# Which cells are hidden: the lattice of every filter view (dashboard/lattice.py), once per warehouse version and N


@st.cache_resource(show_spinner=False, max_entries=4)
def _lattice(version: Version, min_households: int, _con: duckdb.DuckDBPyConnection) -> Lattice:
    # `version` and N are the key; `_con` (not hashed) is a cursor on that version
    return lattice.build(execute(_con, "household_atoms"), min_households)


def cells(rule: Rule) -> Lattice:
    """The state of every cell of the newest warehouse version for N = `rule.min_households` (`lattice.build` on
    `queries/household_atoms.sql`), built once per process, version and N and shared by every session."""
    with reading() as (con, version):
        return _lattice(version, rule.min_households, con)


@st.cache_resource(show_spinner=False, max_entries=4)
def _poor_lattice(version: Version, min_households: int, _con: duckdb.DuckDBPyConnection) -> Lattice:
    atoms = execute(_con, "household_atoms")
    keys = ["year", "district_code", "commune_code", "current_code", "area", "group_atom"]
    return lattice.build(atoms[keys].assign(households=atoms["poor_households"]), min_households)


def poor_cells(rule: Rule) -> Lattice:
    """The lattice of the POOR households' cells (`lattice.build` on `household_atoms` counting poor households
    only), for figures summed over a cell's poor households alone: the drivers' deprivation counts among the poor
    (dashboard/drivers.py). They add up over units, areas and groups as households do, so a hidden unit's counts
    could be had back as its district's less its shown siblings' (the fresh-user pass of issue 12 did it); this
    lattice hides those siblings too. Built once per process, version and N."""
    with reading() as (con, version):
        return _poor_lattice(version, rule.min_households, con)


def poor_states(frame: pd.DataFrame, rule: Rule, *, level: str, area: str, group: str,
                selection: Sequence[str] = (), units: str = lattice.FORMER_SET) -> list[str | None]:
    """Per row of a frame with `unit_code`, `year` and `poor_households` (a `deprivation_drivers` frame) at `level`
    ('total', 'district', 'commune') of `units`: the state of its poor households' cell (`SMALL`, `COMPLEMENT` or
    None) in `poor_cells`, as `row_states` judges household cells. A unit without poor households has none
    (None: there is nothing of theirs to show)."""
    if not rule.active or frame.empty:
        return [None] * len(frame)
    poor = pd.DataFrame({"unit_code": frame["unit_code"].to_numpy(), "year": frame["year"].to_numpy(),
                         "households": frame["poor_households"].fillna(0).astype(int).to_numpy()})
    states = row_states(poor, rule, poor_cells(rule), level=level, area=area, group=group, selection=selection,
                        units=units)
    return [None if n == 0 else s for s, n in zip(states, poor["households"], strict=True)]


def _checked(state: str | None, size: int, households: object) -> str | None:
    """A cell's state from the lattice, if the lattice counted the households the row has; else `COMPLEMENT` (the
    row was read from another warehouse version than the lattice: hidden rather than judged on other data)."""
    return state if size == int(households) else COMPLEMENT  # type: ignore[call-overload]


def unit_level(level: str, units: str) -> str:
    """The lattice level of a `poor_rate_progress` row at `level` ('district' or 'commune') in the unit set `units`:
    former districts and communes, or in the current set (which has no districts) the current units for both."""
    if units == lattice.CURRENT_SET:
        return lattice.CURRENT
    if units != lattice.FORMER_SET:
        raise ValueError(f"unknown unit set {units!r}")
    return lattice.DISTRICT if level == "district" else lattice.COMMUNE


def row_states(frame: pd.DataFrame, rule: Rule, cells: Lattice, *, level: str, area: str, group: str,
               selection: Sequence[str] = (), units: str = lattice.FORMER_SET) -> list[str | None]:
    """Per row of a `poor_rate_progress` frame at `level` (`total`, `district`, `commune`) of the unit set `units`
    ('former' or 'current') for the filter's `area` and `group` (and `selection`, the chosen districts or current
    units, for `total`): its cell's state (`SMALL`, `COMPLEMENT` or None)."""
    out: list[str | None] = []
    kind = None if level == "total" else unit_level(level, units)
    for unit, year, households in zip(frame["unit_code"], frame["year"], frame["households"], strict=True):
        if rule.hides(households):
            out.append(SMALL)
        elif kind is None:
            out.append(_checked(cells.selection(year, selection, area, group, units),
                                cells.selection_size(year, selection, area, group, units), households))
        else:
            out.append(_checked(cells.state(year, kind, unit, area, group),
                                cells.size(year, kind, unit, area, group), households))
    return out


def flow_states(frame: pd.DataFrame, rule: Rule, cells: Lattice | None, *, level: str, area: str, group: str,
                selection: Sequence[str] = (), units: str = lattice.FORMER_SET) -> list[str | None]:
    """Per row of a frame of flows between two reviews (`queries/flow_units.sql`, or a `dashboard.flows.unit_frame`:
    `unit_code`, `year` = Y, `start_households` and `end_households`, the unit's selected reviews at Y − 1 and at Y)
    at `level` of the unit set `units` for the filter's `area`, `group` and `selection`: the state of its flows.

    A household's flow is part of the unit's cell at Y − 1 and of its cell at Y, so the flows are hidden when either
    cell is (`SMALL` if either is small, else `COMPLEMENT`): each cell judged as `row_states` judges a row of that
    year, with the query's households as the cell's size (a lattice of another warehouse version hides, `_checked`).
    A cell of 0 households (a unit with no selected review in one of the years, e.g. one that entered an area
    filter when its area changed) is no data and hides nothing. An inactive rule hides nothing (`cells` may then be
    None)."""
    n = len(frame)
    if not rule.active or not n:
        return [None] * n
    if cells is None:
        raise ValueError("an active rule needs the lattice of cells")
    both = []
    for offset, size in ((1, "start_households"), (0, "end_households")):
        sizes = frame[size].fillna(0).astype("int64")
        cell = pd.DataFrame({"unit_code": frame["unit_code"].to_numpy(),
                             "year": frame["year"].astype("int64").to_numpy() - offset, "households": sizes.to_numpy()})
        states = row_states(cell, rule, cells, level=level, area=area, group=group, selection=selection, units=units)
        both.append([None if not h else s for s, h in zip(states, sizes, strict=True)])
    return [_worst(a, b) for a, b in zip(*both, strict=True)]


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


def _baseline_states(frame: pd.DataFrame, rule: Rule, states: Sequence[str | None], *, key: str,
                     size: str) -> tuple[dict[tuple[object, int], str | None], list[str | None]]:
    """The rows' states by (`key` column, year), and per row the state of its own key's baseline-year row (none in
    the frame: `SMALL` when its `size` column, the baseline households, is under N; None without a baseline year)."""
    by_cell = {(k, int(y)): s for k, y, s in zip(frame[key], frame["year"], states, strict=True)}
    baseline_years = frame.loc[frame["is_baseline_year"].astype(bool), "year"]
    baseline_year = int(baseline_years.iloc[0]) if len(baseline_years) else None
    sizes = frame[size].tolist() if size in frame.columns else [None] * len(frame)
    base = [by_cell.get((k, baseline_year), SMALL if rule.hides(b) else None) if baseline_year is not None else None
            for k, b in zip(frame[key], sizes, strict=True)]
    return by_cell, base


def protect_progress(frame: pd.DataFrame, rule: Rule, cells: Lattice | None, *, level: str, area: str = "all",
                     group: str = "all", selection: Sequence[str] = (),
                     units: str = lattice.FORMER_SET) -> pd.DataFrame:
    """A `poor_rate_progress` frame (every year of the query, after `status.add_status`) as `rule` lets it be shown.

    `level`, `units`, `area`, `group` and `selection` (district codes, or current unit codes in the current set;
    empty: all): the query's `$level`, `$units` and filter. Each
    row's cell takes its state from `cells` (the lattice of the same warehouse; None only when `rule` is inactive):
    the same cell has the same state in every view. Adds `hidden` (the reason the row's own cell is hidden, or None),
    `hidden_baseline` (its unit's baseline-year cell) and `hidden_previous` (the previous year's cell); hidden
    figures become NaN and a pace or goal judged on one becomes `"suppressed"`. Needs every year of the query (the
    baseline and previous years' rows carry those cells' states); a unit without a baseline row falls back to
    `baseline_households`.
    """
    out = _empty_reasons(frame)
    if not rule.active or out.empty:
        return out
    if cells is None:
        raise ValueError("an active rule needs the lattice of cells")
    states = row_states(frame, rule, cells, level=level, area=area, group=group, selection=selection, units=units)
    out["hidden"] = pd.Series(states, index=out.index, dtype=object)
    by_cell, base = _baseline_states(frame, rule, states, key="unit_code", size="baseline_households")
    out["hidden_baseline"] = pd.Series(base, index=out.index, dtype=object)
    out["hidden_previous"] = pd.Series([by_cell.get((u, int(y) - 1)) for u, y in zip(frame["unit_code"],
                                                                                    frame["year"], strict=True)],
                                       index=out.index, dtype=object)
    return _hide(out)


def target_cell(scope: str, area: str, group: str) -> tuple[str, str]:
    """The area and group of the cell an `other_targets_progress` row counts for the filter's `area` and `group`:
    the urban and rural rows the selection's urban or rural households, the ethnic-minority row its minority (or
    Khmer) households; the near-poor and 2021-poor rows are parts of the selection's own cell."""
    if scope in ("urban", "rural"):
        return scope, group
    if scope == "ethnic_minority":
        return area, "khmer" if group == "khmer" else "minority"
    return area, group


def protect_targets(frame: pd.DataFrame, rule: Rule, cells: Lattice | None, *, area: str = "all", group: str = "all",
                    selection: Sequence[str] = (), units: str = lattice.FORMER_SET) -> pd.DataFrame:
    """An `other_targets_progress` frame (every year, after `status.add_status`) as `rule` lets it be shown.

    The urban, rural and ethnic-minority rows are cells of the lattice `cells` (`target_cell`: the total of the
    districts, or current units, `selection` of the unit set `units` for that area and group, as the overview shows
    it with that filter) and take its state.
    The near-poor and 2021-poor rows count part of the selection's own cell (the headline's near-poor households, its
    2021 poor households): hidden under N households of their own, and whenever that cell is hidden; the escaped
    households' row (`FLOW_TARGETS`) also whenever the previous year's cell is hidden. Adds `hidden`,
    `hidden_baseline` (the same target's baseline-year cell) and `hidden_previous` (None); hidden figures become NaN
    and judgements on them `"suppressed"`.
    """
    out = _empty_reasons(frame)
    if not rule.active or out.empty:
        return out
    if cells is None:
        raise ValueError("an active rule needs the lattice of cells")
    states: list[str | None] = []
    for scope, year, population in zip(frame["scope"], frame["year"], frame["population"], strict=True):
        cell_area, cell_group = target_cell(str(scope), area, group)
        state = cells.selection(year, selection, cell_area, cell_group, units)
        if rule.hides(population):
            states.append(SMALL)
        elif scope in ("urban", "rural", "ethnic_minority"):
            states.append(_checked(state, cells.selection_size(year, selection, cell_area, cell_group, units),
                                   population))
        elif scope in FLOW_TARGETS:  # households of the previous review's cell and of this one's
            states.append(_worst(state, cells.selection(year - 1, selection, cell_area, cell_group, units)))
        else:
            states.append(state)
    out["hidden"] = pd.Series(states, index=out.index, dtype=object)
    _, base = _baseline_states(frame, rule, states, key="scope", size="baseline_population")
    out["hidden_baseline"] = pd.Series(base, index=out.index, dtype=object)
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


def protect_coverage(frame: pd.DataFrame, rule: Rule, cells: Lattice | None = None) -> pd.DataFrame:
    """`review_coverage` rows as `rule` lets them be shown.

    A year's reviewed households (`households`: the province's cell of that year, hidden under N or as `cells` has
    it; `previous_households` the previous year's), its share of the previous year's (`household_share`: hidden with
    either year's cell), and the reviews whose former commune is known (`households_former_known`, the coverage of
    the former-units view from 2025 on: the province less the pseudo district of unknown former communes,
    `lattice.UNKNOWN`; hidden with either, since the households less it would give the unknown ones, and under N).
    Adds `hidden` (the reason for `households`) and `hidden_former_known` (for `households_former_known`; a share of
    the households computed from it is hidden with it)."""
    out = frame.copy()
    states: list[str | None] = []
    known_states: list[str | None] = []
    has_known = "households_former_known" in out.columns
    known_column = out["households_former_known"] if has_known else out["households"]
    for year, households, known in zip(out["year"], out["households"], known_column, strict=True):
        province: str | None = None
        unknown: str | None = None
        if rule.hides(households):
            province = SMALL
        elif rule.active and cells is not None:
            cell = (int(year), lattice.PROVINCE, "", "all", "all")
            province = _checked(cells.state(*cell), cells.size(*cell), households)
        if not is_missing(known) and int(known) != int(households):
            cell = (int(year), lattice.DISTRICT, lattice.UNKNOWN, "all", "all")
            if rule.hides(int(households) - int(known)):
                unknown = SMALL
            elif rule.active and cells is not None:
                unknown = _checked(cells.state(*cell), cells.size(*cell), int(households) - int(known))
        states.append(province)
        known_states.append(SMALL if rule.hides(known) else _worst(province, unknown))
    by_year = dict(zip(out["year"].astype(int), states, strict=True))
    out["hidden"] = pd.Series(states, index=out.index, dtype=object)
    out["hidden_former_known"] = pd.Series(known_states if rule.active else [None] * len(out), index=out.index,
                                           dtype=object)
    hidden_columns: list[tuple[str, list[str | None]]] = [
        ("households", states),
        ("household_share", [_worst(s, by_year.get(int(y) - 1)) for y, s in zip(out["year"], states, strict=True)]),
        ("previous_households", [by_year.get(int(y) - 1) for y in out["year"]]),
    ]
    if has_known:
        hidden_columns.append(("households_former_known", known_states))
    for column, hidden in hidden_columns:
        if column not in out.columns:
            continue
        mask = np.array([h is not None for h in hidden], dtype=bool)
        if mask.any():
            out[column] = out[column].astype("float64")
            out.loc[mask, column] = np.nan
    return out


# ---------------------------------------------------------------------------------------------------------------------
# What pages call: the queries, judged and protected


def filter_parts(params: Mapping[str, object]) -> tuple[str, str, list[str], str]:
    """The filter's area, group, chosen places (former districts, or current units) and unit set from the query
    parameters (`units` absent: 'former')."""
    chosen = [str(d) for d in params.get("district") or []]  # type: ignore[attr-defined]
    units = str(params.get("units", lattice.FORMER_SET))
    return str(params.get("area", "all")), str(params.get("group", "all")), chosen, units


def progress(level: str, params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`queries/poor_rate_progress.sql` at `level` for the filter `params` (`dashboard.filters.Filters.sql_params`:
    `units`, `district`, `area`, `group`; `units` absent: 'former'), every year (`queries.places`: a view of
    chosen places is read from the query over every place where that gives the same rows), with the pace and goal
    (`status.add_status`), protected by `rule` with the lattice of the warehouse (`cells`)."""
    from queries.places import unit_rows
    from queries.status import add_status

    area, group, chosen, units = filter_parts(params)
    frame = add_status(unit_rows("poor_rate_progress", level=level, units=units, district=chosen, area=area,
                                 group=group))
    return protect_progress(frame, rule, cells(rule) if rule.active else None, level=level, area=area, group=group,
                            selection=chosen, units=units)


def targets(params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`queries/other_targets_progress.sql` for the filter `params` (as `progress`), every year, judged
    (`higher_is_better` from each target's direction) and protected by `rule` with the lattice of the warehouse
    (`cells`)."""
    from queries.status import add_status

    area, group, chosen, units = filter_parts(params)
    others = run("other_targets_progress", **{**params, "units": units})
    judged = add_status(others.assign(higher_is_better=others["direction"] < 0), value="value",
                        higher_is_better="higher_is_better", required="improvement_required")
    return protect_targets(judged, rule, cells(rule) if rule.active else None, area=area, group=group,
                           selection=chosen, units=units)


def breakdown(commune: str, year: int, area: str, group: str, rule: Rule, communes: pd.DataFrame,
              units: str = "former") -> pd.DataFrame:
    """`queries/commune_deprivation_breakdown.sql` for one commune-year of the unit set `units` ('former' or
    'current'), protected by `rule` (`protect_breakdown`) with the state of that commune-year's cell in `communes`
    (the protected commune-level `progress` frame of the same set)."""
    frame = run("commune_deprivation_breakdown", units=units, commune=commune, year=year, area=area, group=group)
    cell = communes.loc[(communes["unit_code"] == commune) & (communes["year"] == year), "hidden"]
    return protect_breakdown(frame, rule, next((w for w in cell if isinstance(w, str)), None))


def flow_view_states(frame: pd.DataFrame, rule: Rule, level: str, params: Mapping[str, object]) -> list[str | None]:
    """`flow_states` of a frame of flows at `level` ('total', 'district', 'commune') read with the filter `params`
    (as `progress`), with the lattice of the warehouse (`cells`)."""
    area, group, chosen, units = filter_parts(params)
    return flow_states(frame, rule, cells(rule) if rule.active else None, level=level, area=area, group=group,
                       selection=chosen, units=units)


def coverage(rule: Rule) -> pd.DataFrame:
    """`queries/review_coverage.sql`, protected by `rule` (`protect_coverage`) with the lattice of the warehouse."""
    return protect_coverage(run("review_coverage"), rule, cells(rule) if rule.active else None)


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
