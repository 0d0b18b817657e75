"""The frame every page shares: the demo-data notice, the scope line, status badges."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from dashboard.disclosure import FLOW_TARGETS, SUPPRESSED, Rule, reasons, text
from dashboard.filters import CURRENT, FORMER, Filters, choose_units
from dashboard.verdict import Verdict
from i18n import MISSING, Translator, is_missing
from queries.status import goal_target_text, goal_text


def demo_notice(tr: Translator, meta: pd.DataFrame, calibration: pd.DataFrame,
                unit_sets: Mapping[int, str] | None = None) -> None:
    """While the warehouse holds the demo dataset, say so plainly and name the published figures it contains; when
    some review years are filed in the current units (`unit_sets`: year → set, `context.unit_sets_in_force`), say
    from which year the demo is filed in them, as real reviews are, and that some households' area changes with it."""
    values = dict(zip(meta["key"], meta["value"], strict=True))
    if values.get("dataset") != "demo":
        return
    published = calibration[calibration["kind"] == "published"]
    items = ", ".join(tr("demo.published_item", year=row.year, poor=tr.pct(row.poor_rate))
                      for row in published.itertuples())
    text = tr("demo.notice", published=items or "—")
    current_years = sorted(y for y, unit_set in (unit_sets or {}).items() if unit_set == CURRENT)
    if current_years:
        text += " " + tr("demo.reorganised", year=current_years[0])
    st.info(text, icon=":material/science:")


def scope_text(tr: Translator, filters: Filters, district_names: dict[str, str]) -> str:
    """"Phạm vi: Huyện Hồng Dân · Nông thôn · Khmer · năm 2023": which households the page's figures are about."""
    districts = (", ".join(district_names.get(d, d) for d in filters.districts) if filters.districts
                 else tr("scope.province"))
    return tr("scope.describe", districts=districts, area=tr(f"area.{filters.area}"),
              group=tr(f"group.{filters.group}"), year=filters.year)


def unit_set_text(tr: Translator, unit_set: str, units: pd.DataFrame) -> str:
    """Which unit set a page shows, with its size from `units` (that set's rows of `queries/units.sql`): "Theo đơn vị
    hành chính hiện nay (25 xã, phường, từ 1/7/2025)." or the former units with their communes and districts."""
    return tr(f"scope.units.{unit_set}", n=tr.num(len(units)), d=tr.num(units["district_code"].nunique()))


def scope_caption(tr: Translator, filters: Filters, district_names: dict[str, str],
                  units: pd.DataFrame | None = None) -> None:
    """Under the title: which households the page's figures are about, and (given the set's `units`) in which unit
    set, on a second line of the same caption."""
    lines = [scope_text(tr, filters, district_names)]
    if units is not None:
        lines.append(unit_set_text(tr, filters.units, units))
    st.caption("  \n".join(lines))


def former_coverage_note(tr: Translator, filters: Filters, coverage: pd.DataFrame, rule: Rule | None = None,
                         years: Sequence[int] | None = None) -> None:
    """In the former units, for each of `years` (default: the view's year) filed in the current units: how many of
    its reviewed households have a known former commune — the only ones its district and commune rows count — while
    the province total counts them all. `coverage`: `review_coverage` rows (protected by `disclosure.coverage`: a
    hidden row shows the rule's marker)."""
    if filters.units != FORMER:
        return
    wanted = set(years if years is not None else [filters.year])
    rows = coverage[coverage["year"].isin(wanted) & (coverage["unit_set"] != FORMER)].sort_values("year")
    for row in rows.itertuples():
        hidden = getattr(row, "hidden", None) if rule is not None else None
        # the known former communes can be hidden while the year's households are not (`protect_coverage`)
        known_hidden = getattr(row, "hidden_former_known", None) if rule is not None else None
        if isinstance(hidden, str):
            known = households = share = rule.marker(tr, hidden)  # type: ignore[union-attr]
        elif is_missing(row.households) or not row.households:
            continue
        elif isinstance(known_hidden, str):
            households = tr.num(row.households)
            known = share = rule.marker(tr, known_hidden)  # type: ignore[union-attr]
        else:
            known, households = tr.num(row.households_former_known), tr.num(row.households)
            share = tr.pct(100 * row.households_former_known / row.households, 1)
        st.caption(tr("coverage.former_known", year=row.year, known=known, households=households, share=share))


def scope_target_note(tr: Translator, progress: pd.DataFrame) -> None:
    """When the selection is judged by a target other than the province path (an area or an ethnic group, as
    `plan_scope` in data/schema.sql decides and `poor_rate_progress` reports in `target_scope`), say which."""
    scopes = set(progress["target_scope"]) if "target_scope" in progress.columns else set()
    for scope in sorted(scopes - {"province"}):
        st.caption(tr(f"scope_target.{scope}"))


def status_text(tr: Translator, status: str | None) -> str:
    """A status label for tables (the table colours its cell, see `download.show_table`)."""
    return tr.status(status)


_PACE_BADGES: dict[str, tuple[str, str]] = {
    "on_track": ("green", ":material/check_circle:"),
    "needs_acceleration": ("orange", ":material/speed:"),
    "limited_progress": ("orange", ":material/trending_flat:"),
    "getting_worse": ("red", ":material/trending_up:"),
    "not_required": ("blue", ":material/check:"),
    "incomplete": ("gray", ":material/hourglass_empty:"),
    SUPPRESSED: ("violet", ":material/visibility_off:"),
}


def judgement_badges(tr: Translator, row: pd.Series) -> None:
    """The two judgements of one unit-year as badges, each with text and an icon (never colour alone): its pace on
    its own path, and the plan's end goal, named ("Đạt mục tiêu dưới 1 % (2025)"); a judgement on hidden figures
    (`dashboard.disclosure`) says so, without naming a goal computed from them."""
    pace = row["status"] if isinstance(row["status"], str) else ""
    colour, icon = _PACE_BADGES.get(pace, ("gray", ":material/remove:"))
    st.badge(f"{tr('goal.pace_label')}: {tr.status(row['status'])}", color=colour, icon=icon)  # type: ignore[arg-type]
    goal = row["goal_status"]
    if goal == SUPPRESSED:
        st.badge(f"{tr('goal.goal_label')}: {tr('goal.suppressed')}", color="violet", icon=":material/visibility_off:")
    elif isinstance(goal, str):
        target = goal_target_text(tr, row["goal_value"], strict=bool(row["goal_strict"]), year=int(row["goal_year"]))
        met = goal == "goal_met"
        st.badge(goal_text(tr, goal, target), color="green" if met else "red",  # type: ignore[arg-type]
                 icon=":material/flag:" if met else ":material/outlined_flag:")


def delta_points(tr: Translator, change: float | None) -> str | None:
    """A metric's change badge in points, or None (no badge at all) when there is no previous year to compare."""
    return None if is_missing(change) else tr.pts(change)


def households_text(tr: Translator, row: pd.Series, *, min_households: int, rule: Rule | None = None) -> str:
    """"1.234 hộ nghèo / 226.000 hộ rà soát", with the small-numbers mark when the count is under the threshold; the
    rule's marker alone when the row's cell is hidden (`dashboard.disclosure`)."""
    [why] = reasons(row.to_frame().T, "households")
    if why and rule is not None:
        return rule.marker(tr, why)
    line = tr("overview.households_line", poor=tr.num(row["poor_households"]), total=tr.num(row["households"]))
    return f"{line} {tr('reliability.note', n=min_households)}" if bool(row["unreliable"]) else line


def near_poor_text(tr: Translator, row: pd.Series, rule: Rule | None = None) -> str:
    """"1.234 hộ cận nghèo; so với 2021: -0,50 điểm %", or the rule's marker alone when the row's cell is hidden (a
    change since 2021 from a hidden 2021 cell says the marker in its place)."""
    if rule is not None:
        hidden = text(tr, rule, row, "near_poor_households", "")
        if hidden:
            return hidden
    change = tr.pts(row["near_poor_change_since_baseline"])
    return tr("overview.near_poor_line", near=tr.num(row["near_poor_households"]),
              change=text(tr, rule, row, "near_poor_change_since_baseline", change) if rule else change)


def pace_text(tr: Translator, row: pd.Series, rule: Rule | None = None) -> str:
    """The pace in numbers: reduction achieved and required since the baseline, and R; the rule's marker when they
    are hidden (`dashboard.disclosure`)."""
    if rule is not None:
        hidden = text(tr, rule, row, "progress_ratio", "")
        if hidden:
            return hidden
    if is_missing(row["progress_ratio"]):
        return tr.status(row["status"] if row["status"] == "incomplete" else None)
    return tr("overview.pace_line", achieved=tr.num(row["reduction_achieved"], 2),
              required=tr.num(row["reduction_required"], 2), ratio=tr.num(row["progress_ratio"], 2))


def missing_flow_targets_note(tr: Translator, targets_year: pd.DataFrame, year: int, years: Sequence[int]) -> None:
    """Under the overview's other targets: why a target measured on the flows from the previous review (the escaped
    households' health insurance, `disclosure.FLOW_TARGETS`) has no row in `year` (`targets_year`: its
    `other_targets_progress` rows): no review of the year before in the warehouse (`years`), or no household of the
    selection escaped poverty. Says nothing when every such target has its row."""
    missing = sorted(FLOW_TARGETS - set(targets_year["scope"]))
    if not missing:
        return
    key = "overview.flow_target_no_escaped" if year - 1 in years else "overview.flow_target_no_previous"
    st.caption(tr(key, year=year, previous=year - 1))


def reliability_note(tr: Translator, frame: pd.DataFrame, min_households: int) -> None:
    """Under a table with flagged rows: what the small-numbers mark means."""
    if frame["unreliable"].fillna(False).astype(bool).any():
        st.caption(tr("reliability.note", n=min_households))


def disclosure_note(tr: Translator, rule: Rule, *frames: pd.DataFrame) -> None:
    """Under a view where figures are hidden from a viewer not signed in: why (and where the rule is explained)."""
    columns = ("hidden", "hidden_baseline", "hidden_previous", "hidden_poor")
    if rule.active and any(f[c].notna().any() for f in frames for c in columns if c in f.columns):
        st.caption(tr("disclosure.note", n=tr.num(rule.min_households)))


def coverage_notice(tr: Translator, year: int, coverage: pd.DataFrame, rule: Rule | None = None) -> None:
    """For a partial review year: say how much of the province it covers (and that nothing is judged on it).
    `coverage`: `review_coverage` rows, protected by `disclosure.protect_coverage` with `rule` when it has `hidden`."""
    row = coverage[coverage["year"] == year]
    if row.empty or bool(row["complete"].iloc[0]):
        return
    row = row.iloc[0]
    hidden = row.get("hidden") if rule is not None else None
    if isinstance(hidden, str):
        households = share = rule.marker(tr, hidden)  # type: ignore[union-attr]
    else:
        households = tr.num(row["households"])
        share = "—" if is_missing(row["household_share"]) else tr.pct(100 * row["household_share"], 1)
    st.warning(tr("coverage.partial", year=year, units=tr.num(row["units_reviewed"]),
                  expected=tr.num(row["units_expected"]), households=households, share=share),
               icon=":material/hourglass_empty:")


def _verdict_value(tr: Translator, rule: Rule | None, row: pd.Series) -> str:
    if isinstance(row["hidden"], str) and rule is not None:
        return rule.marker(tr, row["hidden"])
    if is_missing(row["value"]):
        return MISSING
    return f"{tr.num(row['value'], 2)}×" if row["kind"] == "ratio_min" else tr.pct(row["value"])


def _verdict_judgement(tr: Translator, row: pd.Series) -> str:
    status = row["status"]
    if status in ("goal_met", "goal_not_met"):
        target = goal_target_text(tr, row["goal_value"], strict=bool(row["goal_strict"]),
                                  higher_is_better=bool(row["higher_is_better"]), ratio=row["kind"] == "ratio_min",
                                  year=int(row["goal_year"]))
        return goal_text(tr, status, target)
    return {"suppressed": tr("goal.suppressed"), "incomplete": tr("status.incomplete")}.get(
        status, tr("verdict.no_data"))


def plan_verdict(tr: Translator, verdict: Verdict, filters: Filters, rule: Rule | None = None) -> None:
    """The plan's verdict (`dashboard.verdict`): each end goal with its value and whether it was met (named), the
    count of current units meeting the province's goal, and a button to the same view in the other unit set."""
    st.subheader(tr("verdict.title", year=verdict.year))
    st.caption(tr("verdict.note", n=tr.num(verdict.units_total)))
    marks = {"goal_met": "✓", "goal_not_met": "✗"}
    lines = []
    for _, row in verdict.goals.iterrows():
        label = row[f"label_{tr.lang}"]
        if row["status"] == "no_data":  # a goal the warehouse does not measure: said, never judged
            lines.append(f"- · **{label}**: {tr('verdict.no_data')}")
            continue
        lines.append(f"- {marks.get(row['status'], '·')} **{label}**: {_verdict_value(tr, rule, row)} — "
                     f"{_verdict_judgement(tr, row)}")
    if verdict.unit_goal is not None:
        goal = goal_target_text(tr, verdict.unit_goal, strict=verdict.unit_goal_strict, year=verdict.year)
        line = tr("verdict.units", goal=goal, met=tr.num(verdict.units_met), total=tr.num(verdict.units_total))
        extra = ([tr("verdict.units_hidden", n=tr.num(verdict.units_hidden))] if verdict.units_hidden else []) + (
            [tr("verdict.units_no_data", n=tr.num(verdict.units_without_data))] if verdict.units_without_data else [])
        lines.append(f"- {line}" + (f" ({'; '.join(extra)})" if extra else ""))
    st.markdown("\n".join(lines))
    other = CURRENT if filters.units == FORMER else FORMER
    st.button(tr(f"verdict.switch.{other}", year=verdict.year), on_click=choose_units, args=(other,),
              icon=":material/swap_horiz:", key="verdict_switch")
