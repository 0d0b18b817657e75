"""The commune profile (pages/commune.py) and the compare page (pages/compare.py), issue 12: which units they offer,
a unit's rank among its peers, its household counts and its flows, the compared units' rows. Plain functions over
the frames the other pages show (`derived.progress`, `flows.protected_units`), so every figure is the one the
ranking, map and flows pages show for the same unit and filters; the pages arrange them.

Peers (the profile's ranks): the units the ranking page ranks for the same filters (the view's selection, in the
view's year), ordered as it orders them (`tables.rank_by_progress`: by R, highest first); a unit's rank among a group
of peers is its place in that order among the units of the group: all of them (the rank the ranking page shows), those
of its district (former units only: the current units have no districts) and those of its area type (urban: wards
and townships; rural: communes). A unit whose R is hidden from the viewer (`dashboard.disclosure`) has no rank: its
place shows the rule's marker, as on the ranking page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Final

import pandas as pd
import streamlit as st

from dashboard import charts, drivers, flows, pace, tables
from dashboard.disclosure import Rule, reasons
from dashboard.download import show_table
from dashboard.filters import CURRENT, Filters
from dashboard.theme import DISTRICT_PALETTE, POOR, PROVINCE
from i18n import MISSING, Translator

# the type of a commune-level unit as the units table writes it → its translation key's suffix
UNIT_TYPES: Final = {"phường": "ward", "thị trấn": "township", "xã": "commune"}


def selection_units(units: pd.DataFrame, view: Filters) -> dict[str, str]:
    """The commune-level units of the view's selection, code → label, in the order of `units` (district, code):
    the communes of the chosen districts (every district when none is chosen), "Xã Vĩnh Trạch – Thành phố Bạc
    Liêu"; in the current units those chosen (all when none), by name. `units`: the view's set's rows of
    `queries/units.sql`."""
    current = view.units == CURRENT
    rows = units
    if view.districts:
        rows = units[units["commune_code" if current else "district_code"].isin(view.districts)]
    if current:
        return dict(zip(rows["commune_code"], rows["commune_name"], strict=True))
    return {code: f"{name} – {district}" for code, name, district in
            zip(rows["commune_code"], rows["commune_name"], rows["district_name"], strict=True)}


def compare_options(units: pd.DataFrame, places: Mapping[str, str], view: Filters) -> dict[str, str]:
    """What the compare page offers, code → label: in the former units the chosen districts (all when none), then
    their communes (`selection_units`); in the current units the chosen units (all when none). `places`: the view's
    set's places (code → name: the former districts; the current units)."""
    options: dict[str, str] = {}
    if view.units != CURRENT:
        options.update({code: name for code, name in places.items() if not view.districts or code in view.districts})
    options.update(selection_units(units, view))
    return options


def unit_facts(units: pd.DataFrame, code: str) -> dict[str, str | None]:
    """A unit's name, district (None in the current units), type ('ward', 'township', 'commune') and area
    ('urban', 'rural') from the view's set's rows of `queries/units.sql`."""
    row = units[units["commune_code"] == code].iloc[0]
    district = row["district_name"]
    return {"name": str(row["commune_name"]), "label": str(row["commune_label"]),
            "district": None if pd.isna(district) else str(district),
            "district_code": None if pd.isna(row["district_code"]) else str(row["district_code"]),
            "type": UNIT_TYPES.get(str(row["commune_type"]), "commune"), "area": str(row["area"])}


def unit_year(frame: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    """The row of unit `code` in `year` of a (protected) `poor_rate_progress` frame, or None when it has none."""
    rows = frame[(frame["unit_code"] == code) & (frame["year"] == year)]
    return None if rows.empty else rows.iloc[0]


def unit_table_row(communes: pd.DataFrame, code: str, year: int, tr: Translator, *, unit_column: str,
                   with_district: bool, rule: Rule) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame]:
    """Unit `code`'s row of the map page's table of `year` (`tables.progress_table` of every commune-level row of the
    protected `communes` frame in that year, ordered by district and code, as pages/commune_map.py builds it): the
    one-row labelled table, its number formats, and the unit's `communes` row. The same cells and headers as the map
    and ranking tables, whatever the other units hide."""
    ordered = communes[communes["year"] == year].sort_values(["district_code", "unit_code"]).reset_index(drop=True)
    table, formats = tables.progress_table(ordered, tr, unit_column=unit_column, with_district=with_district,
                                           rule=rule)
    mask = (ordered["unit_code"] == code).to_numpy()
    return table[mask].reset_index(drop=True), formats, ordered[mask]


@dataclass(frozen=True)
class PeerRank:
    """A unit's place among a group of peers: `group` ('selection', 'district', 'area'), `rank` (1 = highest R;
    None when the unit's R is hidden), `of` (the group's units the ranking lists), `hidden` (the reason its R is
    hidden, `dashboard.disclosure`), `name` (the district's name for 'district', the area for 'area')."""

    group: str
    rank: int | None
    of: int
    hidden: str | None = None
    name: str = ""


def peer_ranks(ranked: pd.DataFrame, code: str, units: pd.DataFrame, *, current: bool) -> list[PeerRank]:
    """The ranks of unit `code` among its peers (see the module docstring). `ranked`: the ranking page's frame of the
    view (the selection's commune-level `poor_rate_progress` rows of one year, protected, ordered by
    `tables.rank_by_progress`); `units`: the view's set's rows of `queries/units.sql`. Empty when `code` has no row
    in `ranked`."""
    order = ranked.reset_index(drop=True)
    if code not in set(order["unit_code"]):
        return []
    hidden = reasons(order, "progress_ratio")[int(order.index[order["unit_code"] == code][0])]
    areas = dict(zip(units["commune_code"], units["area"], strict=True))
    facts = unit_facts(units, code)
    groups: list[tuple[str, pd.Series, str]] = [("selection", pd.Series(True, index=order.index), "")]
    if not current and facts["district_code"] is not None:
        groups.append(("district", order["district_code"] == facts["district_code"], str(facts["district"])))
    groups.append(("area", order["unit_code"].map(areas) == facts["area"], str(facts["area"])))
    out = []
    for group, member, name in groups:
        peers = order[member.to_numpy()]
        place = list(peers["unit_code"]).index(code) + 1
        out.append(PeerRank(group, None if hidden else place, len(peers), hidden, name))
    return out


def rank_label(tr: Translator, rank: PeerRank, *, current: bool) -> str:
    """What a rank is among: "Trong phạm vi đang xem", "Trong Huyện Hồng Dân", "Trong các đơn vị nông thôn"."""
    if rank.group == "district":
        return tr("profile.rank.district", district=rank.name)
    if rank.group == "area":
        return tr(f"profile.rank.area.{rank.name}" + (".current" if current else ""))
    return tr("profile.rank.selection")


def rank_value(tr: Translator, rule: Rule, rank: PeerRank) -> str:
    """"3 / 64", or the rule's marker when the unit's R is hidden."""
    if rank.rank is None:
        return rule.marker(tr, rank.hidden)
    return tr("profile.rank.value", rank=tr.num(rank.rank), of=tr.num(rank.of))


def household_counts(tr: Translator, rule: Rule, row: pd.Series) -> list[tuple[str, str]]:
    """(label, text) of a unit-year's reviewed, poor and near-poor households, as the ranking and map tables show
    them (`tr.num`), or the rule's marker where the cell is hidden."""
    out = []
    for column, key in (("households", "col.households"), ("poor_households", "col.poor_households"),
                        ("near_poor_households", "col.near_poor_households")):
        [why] = reasons(row.to_frame().T, column)
        out.append((tr(key), rule.marker(tr, why) if why else tr.num(row[column])))
    return out


def flows_state(year: int, years: Sequence[int], partial: Iterable[int]) -> str | None:
    """Why a view of `year` has no flows (as the flows page says it), or None: 'first_year' (no review before it
    in the warehouse `years`), 'no_previous' (no review of the year before), 'partial' (either review incomplete)."""
    if year <= min(years):
        return "first_year"
    if year - 1 not in years:
        return "no_previous"
    if {year - 1, year} & set(partial):
        return "partial"
    return None


def unit_flows(params: Mapping[str, object], year: int, code: str, rule: Rule, *, flow_class: str = "poor",
               count: str = "households") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The flows of unit `code` from the review of `year` − 1 to that of `year`: its row of the flows page's
    per-unit frame (`flows.protected_units` at commune level for the filter `params`: the same figures and the
    same protection), empty when the unit has no review in either year; and the categories."""
    cats = flows.categories()
    frame = flows.protected_units("commune", params, year, cats, flow_class, count, rule)
    return frame[frame["unit_code"] == code].reset_index(drop=True), cats


@cache
def compare_colours(codes: tuple[str, ...]) -> Mapping[str, str]:
    """code → line colour of the compared units, by their place in the choice (Okabe–Ito: distinct for the common
    colour-vision deficiencies). The same object for the same codes (figure caches compare it by identity)."""
    return MappingProxyType({code: DISTRICT_PALETTE[i % len(DISTRICT_PALETTE)] for i, code in enumerate(codes)})


def compared_rows(districts: pd.DataFrame, communes: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """The rows of the compared units (former district codes from `districts`, commune-level codes from `communes`;
    both protected `poor_rate_progress` frames of the view), every year, the units in the order of `codes`."""
    parts = [communes[communes["unit_code"] == code] if code not in set(districts["unit_code"])
             else districts[districts["unit_code"] == code] for code in codes]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return communes.iloc[0:0]
    return pd.concat(parts, ignore_index=True)


def in_order(table: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """`table`'s rows in the order of `names` (its first column's values; others after them, as they were)."""
    place = {name: i for i, name in enumerate(names)}
    keys = [place.get(name, len(names)) for name in table.iloc[:, 0]]
    return table.iloc[sorted(range(len(table)), key=lambda i: keys[i])].reset_index(drop=True)


def profile_links(view: Filters, codes: Iterable[object], profiled: Iterable[str] | None = None) -> list[str | None]:
    """The profile's address for each unit of `codes` (`Filters.profile_url`), None where a unit has no profile
    (one not in `profiled`, such as a former district; every code when `profiled` is None)."""
    allowed = None if profiled is None else set(profiled)
    return [view.profile_url(str(c)) if allowed is None or c in allowed else None for c in codes]


# ---------------------------------------------------------------------------------------------------------------------
# Sections built on the other parts of issue 12 (drivers: dashboard/drivers.py; pace: dashboard/pace.py)


# the profile's three places on its drivers chart, and their colours (theme: the unit red as its poor line, its district
# blue, the province the near-black of the province's line)
PROFILE_PLACES: Final = ("unit", "district", "province")
PROFILE_COLOURS: Final = MappingProxyType({"unit": POOR, "district": DISTRICT_PALETTE[0], "province": PROVINCE})


def placed(frame: pd.DataFrame, place: str, name: str) -> pd.DataFrame:
    """Protected drivers rows of one place with its key (`place`) and legend name (`place_name`)."""
    return frame.assign(place=place, place_name=name)


def drivers_table(frame: pd.DataFrame, tr: Translator, rule: Rule | None,
                  measure: str = "censored_headcount") -> tuple[pd.DataFrame, dict[str, str]]:
    """The places of a `placed` drivers frame side by side: one row per indicator of the standard in its order,
    one column per place (its `place_name`) of `measure` (percent, 2 decimals); a hidden figure shows the rule's
    marker. The labelled frame and its number formats."""
    order = frame.drop_duplicates("indicator").sort_values("position")
    table = pd.DataFrame({tr("col.indicator"): [tr.label(r) for _, r in order.iterrows()]})
    formats: dict[str, str] = {}
    for place in dict.fromkeys(frame["place"]):
        rows = frame[frame["place"] == place].set_index("indicator").reindex(order["indicator"])
        header = str(rows["place_name"].dropna().iloc[0]) if rows["place_name"].notna().any() else str(place)
        table[header] = pd.Series([rule.marker(tr, w) if isinstance(w, str) and rule is not None else v
                                   for v, w in zip(rows[measure], rows["hidden_poor"], strict=True)], dtype=object)
        formats[header] = "pct"
    return table, formats


def profile_drivers(params: Mapping[str, object], rule: Rule, code: str, district: str | None, *, unit_name: str,
                    district_name: str | None, province_name: str) -> pd.DataFrame:
    """The `placed` drivers of unit `code` in the view year (`params`: `Filters.sql_params()` plus `year`), of its
    district (former units: `district`, under the same area and group) and of the province (the same area and
    group, every district): `drivers.unit_drivers` at commune, district and total level, each judged by its own cell.
    Empty when the unit has no reviewed household in the selection."""
    unit = drivers.unit_drivers(dict(params), rule, "commune", code)
    if unit.empty:
        return unit
    parts = [placed(unit, "unit", unit_name)]
    if district is not None:
        rows = drivers.unit_drivers({**params, "district": [district]}, rule, "district")
        parts.append(placed(rows[rows["unit_code"] == district], "district", str(district_name)))
    parts.append(placed(drivers.unit_drivers({**params, "district": []}, rule, "total"), "province", province_name))
    return pd.concat([p for p in parts if not p.empty], ignore_index=True)


def compare_drivers(params: Mapping[str, object], rule: Rule, codes: Sequence[str], districts: Iterable[str],
                    names: Mapping[str, str]) -> pd.DataFrame:
    """The `placed` drivers of the compared places in the view year (`params` as `profile_drivers`), in the order
    of `codes`: a former district (one of `districts`) at district level, a commune-level unit at commune level;
    `names`: code → legend name. A place without reviewed households has no rows."""
    district_codes = set(districts)
    parts = []
    for code in codes:
        if code in district_codes:
            rows = drivers.unit_drivers({**params, "district": [code]}, rule, "district")
            rows = rows[rows["unit_code"] == code]
        else:
            rows = drivers.unit_drivers(dict(params), rule, "commune", code)
        if not rows.empty:
            parts.append(placed(rows, code, names.get(code, code)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def hidden_places(tr: Translator, rule: Rule, frame: pd.DataFrame) -> list[str]:
    """"Name: ≤9 hộ — ẩn" for each place of a `placed` drivers frame whose poor households' figures are hidden."""
    out = []
    for place in dict.fromkeys(frame["place"]):
        rows = frame[frame["place"] == place]
        why = drivers.unit_reason(rows, "hidden_poor")
        if why:
            out.append(f"{rows['place_name'].iloc[0]}: {rule.marker(tr, why)}")
    return out


def metric_row(items: Sequence[tuple[str, str]]) -> None:
    """(label, value) metrics side by side in a row that wraps on a narrow screen (three short figures stay on one
    line of a phone, where columns would stack them)."""
    row = st.container(horizontal=True, gap="medium")
    for label, value in items:
        row.metric(label, value, width="content")


def _drivers_view(tr: Translator, rule: Rule, frame: pd.DataFrame, colours: Mapping[str, str], name: str,
                  key: str) -> None:
    """The drivers chart and table of a `placed` frame, with the places whose figures are hidden said."""
    st.plotly_chart(charts.drivers_side_by_side(frame, tr, colours, rule), width="stretch",
                    config={"displayModeBar": False})
    hidden = hidden_places(tr, rule, frame)
    if hidden:
        st.caption(tr("profile.drivers_hidden", places="; ".join(hidden)))
    table, formats = drivers_table(frame, tr, rule)
    show_table(table, name, tr, formats=formats, key=key, narrow=(tr("col.indicator"),))
    st.caption(tr("profile.drivers_note"))


def drivers_section(tr: Translator, rule: Rule, view: Filters, code: str, district: str | None, *, unit_name: str,
                    district_name: str | None) -> None:
    """The profile's deprivation drivers of unit `code` in the view year against its district (`district`: a former
    district's code; None in the current units) and the province: the unit's headline (poor households, the poor's
    average deprivations, the largest contributor) and each indicator's censored headcount side by side."""
    st.subheader(tr("profile.drivers_h" if district is not None else "profile.drivers_h_current", year=view.year))
    params = {**view.sql_params(), "year": view.year}
    frame = profile_drivers(params, rule, code, district, unit_name=unit_name, district_name=district_name,
                            province_name=tr("scope.province"))
    if frame.empty:
        st.info(tr("drivers.no_data", scope=unit_name, year=view.year))
        return
    unit = frame[frame["place"] == "unit"]
    whole = drivers.unit_reason(unit)
    if whole:
        st.info(tr("drivers.hidden", marker=rule.marker(tr, whole), scope=unit_name), icon=":material/visibility_off:")
    # the unit's households are at the top of the profile: here the poor's average deprivations and, as a sentence
    # (an indicator's name is too long for a metric), the largest contributor, as the drivers page says them
    head = drivers.headline(unit, tr, rule)
    metric_row([(tr("drivers.metric.intensity"), head["intensity"])])
    if not drivers.unit_reason(unit, "hidden_poor") and head["top"] != MISSING:
        st.markdown(tr("drivers.top_line", indicator=head["top"], share=head["top_share"]))
    _drivers_view(tr, rule, frame, PROFILE_COLOURS, f"profile_drivers_{code}_{view.year}_{view.units}",
                  "profile_drivers")


def compare_drivers_section(tr: Translator, rule: Rule, view: Filters, codes: Sequence[str],
                            districts: Iterable[str], names: Mapping[str, str]) -> None:
    """The compare page's drivers: each indicator's censored headcount per compared place, side by side (a grouped
    bar chart, one colour per place as on the trajectories, and a table)."""
    st.subheader(tr("compare.drivers_h", year=view.year))
    frame = compare_drivers({**view.sql_params(), "year": view.year}, rule, codes, districts, names)
    if frame.empty:
        st.info(tr("compare.no_data"))
        return
    _drivers_view(tr, rule, frame, compare_colours(tuple(codes)), f"compare_drivers_{view.year}_{view.units}",
                  "compare_drivers")


def unit_projection(communes: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    """Unit `code`'s projection at the current pace from `year` (`dashboard.pace.projections` of its rows of the
    protected commune-level `communes` frame): the row the profile's chart and pace table show, or None."""
    rows = communes[communes["unit_code"] == code]
    if rows.empty:
        return None
    return pace.projections(rows, year).iloc[0]


def pace_section(tr: Translator, rule: Rule, communes: pd.DataFrame, code: str, view: Filters,
                 unit_column: str) -> None:
    """The profile's pace to the goal for unit `code`: the pace table of the trajectories page for this one unit
    (`dashboard.pace.pace_table` of its rows of the protected commune-level `communes` frame: recent pace, projected
    rate in the goal year, whether it meets the goal, the year it would, households to leave poverty each remaining
    year), every header marked as a projection, and the method."""
    rows = communes[communes["unit_code"] == code]
    if rows.empty:
        return
    st.subheader(tr("pace.title", year=view.year))
    final_year = pace.goal_year(pace.projections(rows, view.year))
    if final_year is not None and view.year >= final_year:
        st.info(tr("pace.no_remaining", year=view.year, goal_year=final_year))
    table, formats = pace.pace_table(rows, None, view.year, tr, unit_column=unit_column, rule=rule)
    show_table(table, f"profile_pace_{code}_{view.year}_{view.units}", tr, formats=formats, key="profile_pace")
    st.caption(pace.method_text(tr))
