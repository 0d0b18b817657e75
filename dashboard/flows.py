"""The flows of poor and near-poor households between two reviews (issue 11), as the flows page shows them.

Where the numbers come from: `queries/poverty_flows.sql` (long rows: unit × class × side × category, households and
people), `queries/flow_units.sql` (per unit its two cells and the escaped households' health insurance),
`queries/flow_transitions.sql` (the selection's start class × end class) and `queries/flow_categories.sql` (the
categories' order and signs, read from the one definition in data/schema.sql, never restated here). The accounting
per class: end = start + Σ sign × households, start = Σ of side 'out', end = Σ of side 'in'.

What this module adds: the long rows pivoted into one row per unit (`accounts`, `unit_frame`), the flag "more
households fell back or became newly poor than escaped" (`falling_behind`), the small-cell protection of flows
(`protect`: a unit's flows are shown only when its cells of both reviews are, `disclosure.flow_states`), the reader's
tables and the waterfall's steps. No widgets: pages/flows.py arranges them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from dashboard import disclosure
from dashboard.disclosure import SMALL, Rule
from i18n import Lang, Translator
from queries.places import unit_rows
from queries.runner import run
from reports import annual

# The classes of `household_flows` (data/schema.sql) in the order the transition matrix and the Sankey show them;
# 'outside' (reviewed, but outside an area filter because the unit's area changed) exists only with an area filter.
CLASSES: Final = ("poor", "near_poor", "average", "above", "not_reviewed", "outside")
# The flag (issue 11): for the poor class, households that fell back or became newly poor against those that escaped.
ENTERED: Final = ("in.fell_back", "in.newly_poor")
ESCAPED: Final = ("out.escaped_to_near_poor", "out.escaped_above")
# Categories that exist only with an area filter (zero without one): left out of tables and charts when zero.
RECLASSIFIED: Final = frozenset({"reclassified_out", "reclassified_in"})


def categories() -> pd.DataFrame:
    """`queries/flow_categories.sql`: class, side ('out' / 'in'), flow, sign (−1, 0, +1), position; in order."""
    return run("flow_categories")


def read_flows(level: str, params: Mapping[str, object], year: int) -> pd.DataFrame:
    """`queries/poverty_flows.sql` at `level` ('total', 'district', 'commune') for the filter `params`
    (`Filters.sql_params`) from the review of `year` − 1 to that of `year`: long rows, households and people (a view
    of chosen places read from the query over every place, `queries.places`)."""
    return unit_rows("poverty_flows", level=level, year=year, **_view(params))


def read_units(level: str, params: Mapping[str, object], year: int) -> pd.DataFrame:
    """`queries/flow_units.sql`: per unit its cells (`start_households`, `end_households`) and the escaped households'
    health insurance (`escaped_households`, `escaped_people`, `insured_people`, `insured_share` in percent), as
    `read_flows` reads them."""
    return unit_rows("flow_units", level=level, year=year, **_view(params))


def _view(params: Mapping[str, object]) -> dict[str, object]:
    """The filter parameters `unit_rows` takes by name (`disclosure.filter_parts`)."""
    area, group, chosen, units = disclosure.filter_parts(params)
    return {"units": units, "district": chosen, "area": area, "group": group}


def read_transitions(params: Mapping[str, object], year: int) -> pd.DataFrame:
    """`queries/flow_transitions.sql`: the selection's households and people per start_class × end_class."""
    return run("flow_transitions", year=year, **params)


def key(side: str, flow: str) -> str:
    """The column of a category in the wide frames: `out.escaped_above`, `in.fell_back`."""
    return f"{side}.{flow}"


def class_categories(cats: pd.DataFrame, flow_class: str) -> pd.DataFrame:
    """The categories of one class (`flow_class`: 'poor' or 'near_poor'), in position order, with their `key`."""
    part = cats[cats["class"] == flow_class].sort_values("position")
    return part.assign(key=[key(s, f) for s, f in zip(part["side"], part["flow"], strict=True)]).reset_index(drop=True)


def accounts(flows: pd.DataFrame, cats: pd.DataFrame, flow_class: str, count: str = "households") -> pd.DataFrame:
    """One row per unit of `flows` (long `poverty_flows` rows), indexed by unit_code: `start` (the class at the review
    of Y − 1: Σ of side 'out'), one column per category of `flow_class` in `flow_categories`' order (`key`), `end`
    (the class at Y: Σ of side 'in'). `count`: 'households' or 'people' (members at the side's review). An absent
    category is 0. Whole numbers."""
    keys = list(class_categories(cats, flow_class)["key"])
    index = pd.Index(flows["unit_code"].unique(), name="unit_code")
    part = flows[flows["class"] == flow_class]
    # summed into a units × categories array (a pivot_table took twice as long, on every filter change: issue 13)
    rows = index.get_indexer(part["unit_code"])
    columns = pd.Index(keys).get_indexer(part["side"] + "." + part["flow"])
    known = columns >= 0
    values = np.zeros((len(index), len(keys)), dtype="int64")
    np.add.at(values, (rows[known], columns[known]), part[count].to_numpy(dtype="int64")[known])
    start = values[:, [i for i, k in enumerate(keys) if k.startswith("out.")]].sum(axis=1)
    end = values[:, [i for i, k in enumerate(keys) if k.startswith("in.")]].sum(axis=1)
    return pd.DataFrame(np.column_stack([start, values, end]), index=index, columns=["start", *keys, "end"])


def _flag(poor: pd.DataFrame) -> pd.DataFrame:
    """`falling_behind` from the poor households' `accounts`."""
    entered = poor[list(ENTERED)].sum(axis=1).astype("int64")
    escaped = poor[list(ESCAPED)].sum(axis=1).astype("int64")
    return pd.DataFrame({"poor_entered": entered, "poor_escaped": escaped, "flagged": entered > escaped})


def falling_behind(flows: pd.DataFrame, cats: pd.DataFrame) -> pd.DataFrame:
    """Per unit_code of `flows` (long `poverty_flows` rows): `poor_entered` (households that fell back into poverty
    or became newly poor), `poor_escaped` (households that escaped it: to near-poor or above) and `flagged`, whether
    more entered than escaped (fell_back + newly_poor > escaped_to_near_poor + escaped_above)."""
    return _flag(accounts(flows, cats, "poor"))


def unit_frame(units: pd.DataFrame, flows: pd.DataFrame, cats: pd.DataFrame, flow_class: str,
               count: str) -> pd.DataFrame:
    """The units of `units` (`flow_units` rows: every unit with a selected review in either year) with their
    accounting of `flow_class` in `count` (`accounts`; 0 for a unit without flows) and the poor households' flag
    whichever the class (`falling_behind`, in households; False for a unit without flows), in the order of
    `units`."""
    codes = units["unit_code"]
    poor = accounts(flows, cats, "poor")
    wide = (poor if (flow_class, count) == ("poor", "households") else accounts(flows, cats, flow_class, count))
    wide = wide.reindex(codes, fill_value=0)
    flag = _flag(poor).reindex(codes)
    flag = flag.fillna({"poor_entered": 0, "poor_escaped": 0, "flagged": False}).astype(
        {"poor_entered": "int64", "poor_escaped": "int64", "flagged": bool})
    return pd.concat([units.set_index("unit_code"), wide, flag], axis=1).reset_index()


def figure_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a `unit_frame` (or a transitions frame) that are figures of the flows."""
    fixed = {"unit_code", "unit_name", "district_code", "district_name", "year", "start_households", "end_households",
             "hidden", "hidden_insured", "start_class", "end_class"}
    return [c for c in frame.columns if c not in fixed]


def protect(frame: pd.DataFrame, rule: Rule, states: Sequence[str | None]) -> pd.DataFrame:
    """A `unit_frame` (or any frame of flows per unit) as `rule` lets it be shown, given each row's state
    (`disclosure.flow_states`: a unit's flows are shown only when its cells of both reviews are).

    Adds `hidden` (the reason, or None) and `hidden_insured` (the reason for `insured_share`: the unit's, or
    `"small"` when it comes from 1 … N − 1 escaped households, as the overview's target row is hidden); hidden
    figures become NaN (the flag too). The cell sizes (`start_households`, `end_households`) are never shown."""
    out = frame.copy()
    out["hidden"] = pd.Series(list(states), index=out.index, dtype=object)
    escaped = out["escaped_households"] if "escaped_households" in out.columns else pd.Series(0, index=out.index)
    insured = [s if s else (SMALL if rule.active and int(e) and rule.hides(int(e)) else None)
               for s, e in zip(states, escaped, strict=True)]
    out["hidden_insured"] = pd.Series(insured, index=out.index, dtype=object)
    mask = np.array([s is not None for s in states], dtype=bool)
    if mask.any():
        for column in figure_columns(out):
            if column == "insured_share":
                continue
            out[column] = out[column].astype("object" if column == "flagged" else "float64")
            out.loc[mask, column] = np.nan
    if "insured_share" in out.columns:
        out.loc[np.array([s is not None for s in insured], dtype=bool), "insured_share"] = np.nan
    return out


def protected_units(level: str, params: Mapping[str, object], year: int, cats: pd.DataFrame, flow_class: str,
                    count: str, rule: Rule) -> pd.DataFrame:
    """The units at `level` ('total', 'district', 'commune') for the filter `params` (`Filters.sql_params`) from the
    review of `year` − 1 to that of `year`, with their accounting of `flow_class` in `count`, the flag and the
    health insurance (`unit_frame`), protected by `rule` (`protect`, `disclosure.flow_view_states`)."""
    frame = unit_frame(read_units(level, params, year), read_flows(level, params, year), cats, flow_class, count)
    return protect(frame, rule, disclosure.flow_view_states(frame, rule, level, params))


# ---------------------------------------------------------------------------------------------------------------------
# What the reader sees


def area_changed(frame: pd.DataFrame) -> bool:
    """Whether any unit of a `unit_frame` has households in an area-change category (only with an area filter)."""
    keys = [c for c in frame.columns if isinstance(c, str) and c.split(".")[-1] in RECLASSIFIED]
    return bool(pd.to_numeric(frame[keys].stack(), errors="coerce").fillna(0).any()) if keys else False


def category_label(tr: Translator, flow_class: str, side: str, flow: str) -> str:
    """A category's name as the review's forms use it ("Tái nghèo", "Hộ nghèo phát sinh")."""
    return tr(f"flow.{flow_class}.{side}.{flow}")


def shown_categories(cats: pd.DataFrame, flow_class: str, frame: pd.DataFrame, count: str) -> pd.DataFrame:
    """The categories of `flow_class` a table or chart shows: every one but the area-change categories where they
    are 0 in `frame` (they exist only with an area filter), and, counting households, the 'stayed' of side 'in'
    (the same households as that of side 'out'; counting people they differ: members at Y − 1 and at Y)."""
    part = class_categories(cats, flow_class)
    keep = []
    for row in part.itertuples():
        if row.flow in RECLASSIFIED and not pd.to_numeric(frame.get(row.key, pd.Series(dtype=float)),
                                                          errors="coerce").fillna(0).any():
            continue
        if count == "households" and row.sign == 0 and row.side == "in":
            continue
        keep.append(row.Index)
    return part.loc[keep].reset_index(drop=True)


def _header(tr: Translator, row: object, year: int, count: str) -> str:
    """A category's column header: its name with its sign in the accounting ("Tái nghèo (+)"), and for 'stayed'
    counting people the year whose members it counts."""
    label = category_label(tr, row.flow_class, row.side, row.flow)  # type: ignore[attr-defined]
    sign = int(row.sign)  # type: ignore[attr-defined]
    if sign:
        return f"{label} ({'+' if sign > 0 else '−'})"
    if count == "people":
        return f"{label} ({year - 1 if row.side == 'out' else year})"  # type: ignore[attr-defined]
    return label


def unit_table(frame: pd.DataFrame, cats: pd.DataFrame, tr: Translator, rule: Rule | None, *, flow_class: str,
               count: str, year: int, unit_column: str, with_district: bool = False,
               with_flag: bool = True) -> tuple[pd.DataFrame, dict[str, str]]:
    """The reader's table of a protected `unit_frame` (`protect`): name, the flag, start, the categories of
    `flow_class` in order with their signs, end, the escaped households' health insurance (percent of their people),
    district and code; and the number formats. A hidden unit reads the rule's marker in every figure."""
    shown = shown_categories(cats, flow_class, frame, count)
    columns: dict[str, str] = {"unit_name": tr(unit_column)}
    columns["start"] = tr(f"flows.total.{flow_class}", year=year - 1)
    for row in shown.assign(flow_class=flow_class).itertuples():
        columns[row.key] = _header(tr, row, year, count)
    columns["end"] = tr(f"flows.total.{flow_class}", year=year)
    columns["insured_share"] = tr("flows.col.insured")
    if with_flag:  # after the figures: on a phone the name and the accounting come first
        columns["flag"] = tr("flows.col.flag")
    if with_district:
        columns["district_name"] = tr("col.district")
    columns["unit_code"] = tr("col.code")
    data = frame.reset_index(drop=True)
    flags = [flag_text(tr, f) for f in data["flagged"]]
    table = data.assign(flag=flags)[list(columns)].rename(columns=columns)
    hidden = list(data["hidden"]) if "hidden" in data.columns else [None] * len(data)
    insured_hidden = list(data["hidden_insured"]) if "hidden_insured" in data.columns else [None] * len(data)
    if rule is not None:
        for source, header in columns.items():
            if source in ("unit_name", "district_name", "unit_code"):
                continue
            why = insured_hidden if source == "insured_share" else hidden
            if not any(isinstance(w, str) for w in why):
                continue
            table[header] = pd.Series([rule.marker(tr, w) if isinstance(w, str) else v
                                       for v, w in zip(table[header], why, strict=True)], index=table.index,
                                      dtype=object)
    formats = {header: "int" for source, header in columns.items()
               if source not in ("unit_name", "flag", "insured_share", "district_name", "unit_code")}
    formats[columns["insured_share"]] = "pct"
    return table, formats


def _flagged(value: object) -> bool:
    """Whether a `flagged` cell is the flag (True); a hidden unit's is NaN, never the flag."""
    return value is True or (isinstance(value, np.bool_) and bool(value))


def flag_text(tr: Translator, flagged: object) -> str:
    """The flag's cell: "⚑ Có" / "⚑ Yes" when more fell back or became newly poor than escaped, else empty."""
    return tr("flows.flag_yes") if _flagged(flagged) else ""


def flagged_units(frame: pd.DataFrame) -> pd.DataFrame:
    """The units of a protected `unit_frame` that carry the flag (hidden units never do: their figures are not
    shown)."""
    return frame[[_flagged(f) for f in frame["flagged"]]]


def accounting_table(households: pd.Series, people: pd.Series, cats: pd.DataFrame, tr: Translator, *,
                     flow_class: str, year: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """The selection's accounting of `flow_class` as rows (start, each category in order with its sign, end) and two
    columns, households and people; and the number formats. `households`, `people`: the selection's row of the
    `unit_frame` at level 'total' counting each."""
    both = pd.DataFrame([households, people])
    shown = shown_categories(cats, flow_class, both, "people")
    rows = [(tr(f"flows.total.{flow_class}", year=year - 1), households["start"], people["start"])]
    for row in shown.assign(flow_class=flow_class).itertuples():
        rows.append((_header(tr, row, year, "people"), households[row.key], people[row.key]))
    rows.append((tr(f"flows.total.{flow_class}", year=year), households["end"], people["end"]))
    heads = (tr("flows.col.category"), tr("flows.count.households"), tr("flows.count.people"))
    table = pd.DataFrame(rows, columns=list(heads))
    return table, {heads[1]: "int", heads[2]: "int"}


def waterfall_steps(row: pd.Series, cats: pd.DataFrame, tr: Translator, *, flow_class: str, count: str,
                    year: int) -> pd.DataFrame:
    """The steps of the waterfall from the class at Y − 1 to the class at Y for one unit (`row` of a `unit_frame`):
    label, value (signed: what the step adds), measure ('absolute' for the start, 'relative' for a step, 'total'
    for the end) and kind ('total', 'down', 'up'). Counting people, one more step: the change in members of the
    households that stayed in the class (so the steps add up to the end exactly)."""
    shown = class_categories(cats, flow_class)
    rows = [(tr(f"flows.total.{flow_class}", year=year - 1), float(row["start"]), "absolute", "total")]
    for cat in shown.itertuples():
        if cat.sign == 0 or (cat.flow in RECLASSIFIED and not row[cat.key]):
            continue
        value = float(cat.sign * row[cat.key])
        rows.append((category_label(tr, flow_class, cat.side, cat.flow), value, "relative",
                     "up" if cat.sign > 0 else "down"))
    if count == "people":
        stayed = shown[shown["sign"] == 0].set_index("side")["key"]
        change = float(row[stayed["in"]] - row[stayed["out"]])
        rows.append((tr(f"flows.members_change.{flow_class}"), change, "relative", "up" if change > 0 else "down"))
    rows.append((tr(f"flows.total.{flow_class}", year=year), float(row["end"]), "total", "total"))
    return pd.DataFrame(rows, columns=["label", "value", "measure", "kind"])


def transition_matrix(transitions: pd.DataFrame, tr: Translator, *, count: str,
                      year: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """The transition matrix as a reader's table: one row per class at the review of Y − 1 (`CLASSES` present),
    one column per class at Y, and totals; `count`: 'households' or 'people'. And its number formats."""
    present = [c for c in CLASSES if c in set(transitions["start_class"]) | set(transitions["end_class"])]
    # short names (the table must fit a phone); the caption under the table explains the area-change class
    matrix = (transitions.pivot_table(index="start_class", columns="end_class", values=count, aggfunc="sum",
                                      fill_value=0)
              .reindex(index=present, columns=present, fill_value=0).astype("int64"))
    matrix[" total"] = matrix.sum(axis=1)
    matrix.loc[" total"] = matrix.sum(axis=0)
    first = tr("flows.col.from_to", start=year - 1, end=year)
    names = {c: tr(f"flows.class_short.{c}") for c in present} | {" total": tr("flows.col.total")}
    table = matrix.rename(index=names, columns=names).reset_index(names=first)
    table.columns = [str(c) for c in table.columns]
    return table, {c: "int" for c in table.columns if c != first}


def sankey_links(transitions: pd.DataFrame, count: str) -> pd.DataFrame:
    """The links the Sankey draws: start_class → end_class with their `count` ('households' or 'people'), only those
    with a poor or near-poor household at either end (the households above the near-poor line in both reviews would
    dwarf every flow the page is about; the matrix has them all)."""
    touching = transitions["start_class"].isin(["poor", "near_poor"]) | transitions["end_class"].isin(
        ["poor", "near_poor"])
    part = transitions[touching & (transitions[count] > 0)]
    order = {c: i for i, c in enumerate(CLASSES)}
    part = part.assign(o1=part["start_class"].map(order), o2=part["end_class"].map(order)).sort_values(["o1", "o2"])
    return part[["start_class", "end_class", count]].rename(columns={count: "value"}).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------------------
# The annual report workbook (issue 11, part 3: reports/annual.py, written beside this page)


def annual_report_bytes(year: int, units: str, lang: Lang = "vi") -> bytes:
    """The annual report workbook (XLSX bytes) of review `year` in the unit set `units` ('former' / 'current'), in
    `lang`: the review's summary tables (`reports.annual.annual_workbook`), from the queries of this process's
    warehouse version (`queries.runner.run`, cached like every page's)."""
    return annual.annual_workbook(run, year, units, lang)
