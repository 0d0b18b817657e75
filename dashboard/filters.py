"""The shared filters and their URL form. This module alone reads and writes them.

URL parameters (exactly these names): `units` (`former`/`current`: the unit set the view is in), the place choice —
`district` (a former district's GSO code, repeatable; only with `units=former`) or `unit` (a current unit's code,
repeatable; only with `units=current`) —, `area` (`all`/`urban`/`rural`), `group` (`all`/`kinh`/`minority`/`khmer`),
`year`, `lang` (`vi`/`en`), `metric` on the map page, on the flows page `class` (`poor`/`near_poor`: whose
accounting the page draws) and `count` (`households`/`people`: what its figures count), on the drivers page
`indicator` (the indicator its map shows: a code of the standard in force in the view's year; the link's value is
checked for its form here and against that standard by the page, `indicator_selector`), on the commune profile
`commune` (one commune-level unit of the view's set: a former commune, or a current unit) and on the compare page
`compare` (repeatable, at most `MAX_COMPARE`: former communes or districts, or current units).

The units of `commune` and `compare` are checked against the warehouse's units of the view's set. Codes are reused
between the sets (31834 is the former Xã Vĩnh Trạch and the current Phường Vĩnh Trạch), so a code always means a unit
of the view's set; a code that is a unit only of the other set is dropped and reported as such. A link without
`units` (and without `district`/`unit` to decide) is shown in the set all its `commune`/`compare` codes belong to
when that is one set only, so `?commune=31801` (a former commune) opens in the former units whatever the year. When
the unit set changes in the session, the chosen `commune` and `compare` units are cleared with the places. After the
first run, a `commune`/`compare` value in the address that this session did not write there (a `st.page_link` from
another page, such as the map's link to the profile) is taken up as the link's choice (`sidebar`, `_arrived`).

The unit set (issue 10): the 64 former communes in 7 districts, or the 25 current units (1 July 2025, no districts).
- A link without `units` shows the set its place parameter belongs to (`district` → former, `unit` → current), else
  the set in force for its year (`review_coverage.unit_set`: current from the 2025 review on), so it shows what was in
  force. A place parameter of the other set is dropped and reported like any invalid value.
- `Filters.districts` holds "the chosen places" of the view's set (former district codes, or current unit codes);
  `query_params` writes them under the set's name (`PLACE_PARAM`).
- When the year changes, the set follows it (to the set in force for the new year) until the viewer picks a set in
  the sidebar, or opened a link whose set is not the one in force for its year: from then on the set stays as chosen.
- Changing the set (by a pick, or by following the year) clears the place choice and says so once (`switch_notice`):
  the places of one set are not places of the other.

How the state moves:
- On a session's first run the link decides: `parse_query_params` validates every parameter against the warehouse
  (place codes of the set, review years) and the fixed option lists; anything unknown or invalid is dropped and
  reported so the page can show a notice. Values never reach SQL as text: they become members of known option lists.
- The sidebar widgets then own the state (kept across page switches); after they render, the state is written
  back to `st.query_params` on every run, so the address bar always holds a link that reproduces the view,
  whichever page is open.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import urlencode

import streamlit as st

from i18n import LANGS, Lang, Translator

FORMER: Final = "former"
CURRENT: Final = "current"
UNIT_SETS: Final = (FORMER, CURRENT)
# The URL parameter of each set's place choice.
PLACE_PARAM: Final = {FORMER: "district", CURRENT: "unit"}
AREAS: Final = ("all", "urban", "rural")
GROUPS: Final = ("all", "kinh", "minority", "khmer")
METRICS: Final = ("poor_rate", "near_poor_rate", "change_since_baseline", "poor_households")
# the flows page (pages/flows.py): whose accounting it draws, and whether its figures count households or people
FLOW_CLASSES: Final = ("poor", "near_poor")
FLOW_COUNTS: Final = ("households", "people")
# the drivers page (pages/drivers.py): an indicator code's form (the standard's list is data, checked by the page)
INDICATOR_FORM: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# the commune profile (pages/commune.py) and the compare page (pages/compare.py): the units they show
UNIT_PARAMS: Final = ("commune", "compare")
MAX_COMPARE: Final = 4  # units the compare page shows side by side; a link's further ones are dropped and reported
PARAMS: Final = ("units", "district", "unit", "area", "group", "year", "lang", "metric", "class", "count",
                 "indicator", "commune", "compare")
# URL parameters whose `Filters` field has another name (`class` is a Python keyword)
_FIELDS: Final = {"class": "flow_class", "count": "flow_count"}
# Parameters Streamlit itself reads from the URL; they are neither ours nor an error.
_STREAMLIT_PARAMS: Final = frozenset({"embed", "embed_options"})
# Parameters that sites and mail tools add to a shared link to track who clicked it (Facebook's `fbclid`, Google's
# `gclid`, `utm_source` …): not the reader's choice, so they are dropped without a word (and gone from the address
# bar once the view's own link is written back).
_TRACKING_PARAMS: Final = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
                                     "twclid", "ttclid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src"})


def is_tracking_param(name: str) -> bool:
    """Whether a link parameter only tracks the click (`fbclid`, `utm_campaign` …) and is ignored silently."""
    return name.lower() in _TRACKING_PARAMS or name.lower().startswith("utm_")

_STATE = "_filters"
_DROPPED = "_filters_dropped"
_LANG_CHANGED = "_filters_lang_changed"
_PINNED = "_filters_units_pinned"  # the viewer chose the unit set: it no longer follows the year
_SWITCHED = "_filters_switched"  # (from set, to set, names of the places cleared) in the run the set changed
_WRITTEN = "_filters_written"  # the query parameters this session last wrote to the address bar
_ARRIVED = "_filters_arrived"  # `commune` / `compare` taken from the address in this run (`_arrived`)
_KEYS: Final = {name: f"filter_{name}" for name in PARAMS}
# Streamlit writes some texts of its choice boxes itself, in English: "Select all" atop a multiselect's list and
# "No results" once typed text matches nothing. The lists here are short (7 districts or 25 units, 4 groups, a few
# years, 4 metrics): no "select all" (none chosen already means the whole province) and no typing, so neither text
# appears.
_NO_ENGLISH: Final = {"select_all": False, "filter_mode": None}
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Filters:
    """One view of the dashboard. `districts`: the chosen places of the view's unit set (former district codes, or
    current unit codes when `units` is 'current'); empty means the whole province."""

    year: int
    districts: tuple[str, ...] = ()
    area: str = "all"
    group: str = "all"
    lang: Lang = "vi"
    metric: str = "poor_rate"
    units: str = FORMER  # the unit set the view is in: 'former' (64 communes, 7 districts) or 'current' (25 units)
    flow_class: str = "poor"  # the flows page's class (`FLOW_CLASSES`), URL parameter `class`
    flow_count: str = "households"  # the flows page's count (`FLOW_COUNTS`), URL parameter `count`
    indicator: str | None = None  # the drivers page's map indicator (None: the page's default), URL `indicator`
    commune: str | None = None  # the commune profile's unit (a commune-level code of `units`), URL parameter `commune`
    compare: tuple[str, ...] = ()  # the compare page's units (≤ MAX_COMPARE, in the order chosen), `compare`

    def query_params(self, *, with_metric: bool = False, with_flows: bool = False, with_indicator: bool = False,
                     with_commune: bool = False, with_compare: bool = False) -> dict[str, str | list[str]]:
        """The URL form of this view: `units`, the places under the set's parameter (`district` or `unit`, repeated
        once per code), then area, group, year, lang (and `metric`; the flows page's `class` and `count`; the
        drivers page's `indicator`, when set; the profile's `commune`, when one is chosen; the compare page's
        `compare`, repeated once per unit)."""
        params: dict[str, str | list[str]] = {"units": self.units}
        if self.districts:
            params[PLACE_PARAM[self.units]] = list(self.districts)
        params.update(area=self.area, group=self.group, year=str(self.year), lang=self.lang)
        if with_metric:
            params["metric"] = self.metric
        if with_flows:
            params.update({"class": self.flow_class, "count": self.flow_count})
        if with_indicator and self.indicator:
            params["indicator"] = self.indicator
        if with_commune and self.commune:
            params["commune"] = self.commune
        if with_compare and self.compare:
            params["compare"] = list(self.compare)
        return params

    def profile_url(self, code: str) -> str:
        """The address of the commune profile of unit `code` in this view, relative to the app's pages (`commune?units=
        …&year=…&commune=CODE`): opened from any page, it shows the same filters."""
        return "commune?" + urlencode(replace(self, commune=code).query_params(with_commune=True), doseq=True)

    def compare_url(self, codes: Sequence[str]) -> str:
        """The address of the compare page with the units `codes` in this view (relative, as `profile_url`)."""
        return "compare?" + urlencode(replace(self, compare=tuple(codes)).query_params(with_compare=True), doseq=True)

    def sql_params(self) -> dict[str, object]:
        """The filter parameters every `queries/*.sql` file takes (`district`: the chosen places of the set)."""
        return {"units": self.units, "district": list(self.districts), "area": self.area, "group": self.group}


def in_force(year: int, unit_sets: Mapping[int, str] | None) -> str:
    """The unit set in force for a review `year` (`unit_sets`: year → set, from the warehouse's `review_coverage`);
    'former' for a year it does not list."""
    return (unit_sets or {}).get(int(year), FORMER)


def unit_param_codes(param: str, unit_set: str, places: Mapping[str, Collection[str]],
                     units: Mapping[str, Collection[str]]) -> set[str]:
    """The codes `param` ('commune' or 'compare') accepts in `unit_set`: the set's commune-level units (`units`), and
    for `compare` also its places (`places`: the former districts; in the current set the units themselves)."""
    codes = set(units.get(unit_set, ()))
    if param == "compare":
        codes |= set(places.get(unit_set, ()))
    return codes


def _unit_choice(values: Mapping[str, Sequence[str]], unit_set: str, places: Mapping[str, Collection[str]],
                 units: Mapping[str, Collection[str]]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The `commune` and `compare` of a link (`values`: each parameter's values in URL order) in `unit_set`: the
    fields of `Filters` they give and the (name, value) pairs dropped — a code that is no unit of the set, and the
    `compare` units after the first `MAX_COMPARE` (a repeated one is kept once, silently)."""
    chosen: dict[str, object] = {}
    dropped: list[tuple[str, str]] = []
    if "commune" in values:
        valid = unit_param_codes("commune", unit_set, places, units)
        value = values["commune"][-1] if values["commune"] else ""
        if value in valid:
            chosen["commune"] = value
        else:
            dropped.append(("commune", value))
    if "compare" in values:
        valid = unit_param_codes("compare", unit_set, places, units)
        kept: list[str] = []
        for value in values["compare"]:
            if value in kept:
                continue
            if value in valid and len(kept) < MAX_COMPARE:
                kept.append(value)
            else:
                dropped.append(("compare", value))
        chosen["compare"] = tuple(kept)
    return chosen, dropped


def _set_of_units(values: Mapping[str, Sequence[str]], places: Mapping[str, Collection[str]],
                  units: Mapping[str, Collection[str]]) -> str | None:
    """The one unit set every `commune` / `compare` code of a link belongs to, or None (none given, or codes of
    both sets, or of neither)."""
    fits = [unit_set for unit_set in UNIT_SETS
            if any(values.get(p) for p in UNIT_PARAMS)
            and all(v in unit_param_codes(p, unit_set, places, units) for p in UNIT_PARAMS for v in values.get(p, ()))]
    return fits[0] if len(fits) == 1 else None


def parse_query_params(raw: Mapping[str, Sequence[str]], places: Mapping[str, Collection[str]] | Sequence[str],
                       years: Sequence[int], default_year: int | None = None,
                       unit_sets: Mapping[int, str] | None = None,
                       units: Mapping[str, Collection[str]] | None = None) -> tuple[Filters, list[tuple[str, str]]]:
    """Validate URL parameters; return the view they describe and the (name, value) pairs that were dropped.

    `raw` maps each parameter name to all of its values, in URL order. `places` maps each unit set to the codes its
    place filter accepts (former district codes; current unit codes); a plain list is the former set's districts.
    `unit_sets` maps each review year to the set in force (`in_force`). `units` maps each set to its
    commune-level unit codes (the 64 former communes, the 25 current units): what `commune` accepts, and `compare`
    with the set's places (`unit_param_codes`). Tracking parameters (`fbclid`, `utm_*`) are ignored without being
    reported. Unknown names, unknown place codes, a place parameter of the other set,
    years not in the warehouse and values outside the option lists are dropped; the rest of the view falls back
    to the defaults (whole province, all areas and groups, `default_year` — the latest complete review year, see
    `dashboard.context.default_year`; the latest year when not given — Vietnamese, poor rate). Without a valid
    `units` the set is the one the place parameter belongs to (only one of `district`/`unit` given), else the one
    every `commune`/`compare` code belongs to (`_set_of_units`), else the set in force for the year. More than
    `MAX_COMPARE` `compare` units: the first ones are kept, the others dropped (`dropped_notice` says why).
    """
    known = dict(places) if isinstance(places, Mapping) else {FORMER: list(places)}
    unit_codes = dict(units or {})
    dropped: list[tuple[str, str]] = []
    chosen: dict[str, object] = {}
    place_values: dict[str, Sequence[str]] = {}
    unit_values: dict[str, Sequence[str]] = {}
    for name, values in raw.items():
        if name in _STREAMLIT_PARAMS or is_tracking_param(name):
            continue
        if name not in PARAMS:
            dropped.append((name, ""))
            continue
        if name in PLACE_PARAM.values():
            place_values[name] = values  # checked once the set is known
            continue
        if name in UNIT_PARAMS:
            unit_values[name] = values  # checked once the set is known
            continue
        value = values[-1] if values else ""
        options: Sequence[object] = {"units": UNIT_SETS, "area": AREAS, "group": GROUPS, "lang": LANGS,
                                     "metric": METRICS, "class": FLOW_CLASSES, "count": FLOW_COUNTS}.get(name, ())
        if name == "year":
            if _YEAR.match(value) and int(value) in years:
                chosen["year"] = int(value)
            else:
                dropped.append((name, value))
        elif name == "indicator":
            if INDICATOR_FORM.match(value):
                chosen["indicator"] = value
            else:
                dropped.append((name, value))
        elif value in options:
            chosen[_FIELDS.get(name, name)] = value
        else:
            dropped.append((name, value))
    year = int(chosen.pop("year", default_year if default_year in years else max(years)))  # type: ignore[call-overload]
    units = chosen.pop("units", None)
    if units is None:
        implied = [unit_set for unit_set, param in PLACE_PARAM.items() if param in place_values]
        units = (implied[0] if len(implied) == 1 else _set_of_units(unit_values, known, unit_codes)
                 or in_force(year, unit_sets))
    for unit_set, param in PLACE_PARAM.items():
        if param not in place_values:
            continue
        valid = set(known.get(unit_set, ()))
        codes: list[str] = []
        for value in place_values[param]:
            if unit_set == units and value in valid:
                if value not in codes:
                    codes.append(value)
            else:
                dropped.append((param, value))
        if unit_set == units:
            chosen["districts"] = tuple(sorted(codes))
    unit_choice, unit_dropped = _unit_choice(unit_values, str(units), known, unit_codes)
    chosen.update(unit_choice)
    dropped.extend(unit_dropped)
    return Filters(year=year, units=str(units), **chosen), dropped  # type: ignore[arg-type]


def follows_year(filters: Filters, unit_sets: Mapping[int, str] | None) -> bool:
    """Whether the view's unit set is the one in force for its year: a link's view whose set is not pins it (the
    link chose it), one whose set is follows the year until the viewer picks a set."""
    return filters.units == in_force(filters.year, unit_sets)


def next_units(previous: Filters, picked: str, year: int, pinned: bool,
               unit_sets: Mapping[int, str] | None) -> tuple[str, bool]:
    """The unit set of the next run and whether it is pinned, given the previous view, the set the sidebar control
    now holds (`picked`), the year it now holds and whether the set was pinned.

    A pick (a set other than the previous view's) pins it; otherwise a pinned set stays, and an unpinned one follows
    the year (the set in force for `year`)."""
    if picked != previous.units:
        return picked, True
    if pinned:
        return previous.units, True
    return in_force(year, unit_sets), False


def _read_url() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _write_url(params: Mapping[str, str | list[str]]) -> None:
    current = _read_url()
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    st.session_state[_WRITTEN] = wanted
    if current != wanted:
        st.query_params.from_dict(dict(params))


def _arrived(url: Mapping[str, Sequence[str]], written: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """The `commune` / `compare` values of the address at the start of a run (`url`) that this session did not
    write there last (`written`): a link followed inside the session (`st.page_link` with the view and a unit).
    An address without them (a page of the menu) brings nothing: the session keeps its choice."""
    before = written or {}
    return {name: list(url[name]) for name in UNIT_PARAMS
            if url.get(name) and list(url[name]) != list(before.get(name, []))}


def ready() -> bool:
    """Whether `sidebar()` has set up the view in this session."""
    return _STATE in st.session_state


def current() -> Filters:
    """The view of this run, as set by `sidebar()` in `app.py`."""
    return st.session_state[_STATE]


def place_key(unit_set: str) -> str:
    """The session-state key of the place multiselect of `unit_set` (`filter_district` or `filter_unit`): one widget
    per set, since their options differ."""
    return _KEYS[PLACE_PARAM[unit_set]]


def sidebar(places: Mapping[str, Mapping[str, str]], years: Sequence[int], default_year: int | None = None,
            partial_years: Collection[int] = (), unit_sets: Mapping[int, str] | None = None,
            unit_counts: Mapping[str, int] | None = None,
            unit_names: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Filters, list[tuple[str, str]]]:
    """Render the filter widgets in the sidebar, sync the URL; return the view and what the link had that was dropped.

    `places` maps each unit set ('former', 'current') to the places its filter offers, code → name in order (the 7
    former districts; the 25 current units); `years` are the review years in the warehouse; `default_year` is what a
    link without `year` shows; `partial_years` are offered marked as incomplete; `unit_sets` maps each year to the
    set in force (the default set, `in_force`); `unit_counts` the number of commune-level units of each set (for the
    set control's labels); `unit_names` each set's commune-level units (code → label: what `commune` and `compare`
    accept besides the places, and how a cleared one is named).
    """
    state = st.session_state
    dropped: list[tuple[str, str]] = []
    names_of_units = {s: dict(n) for s, n in (unit_names or {}).items()}
    place_codes = {s: list(p) for s, p in places.items()}
    url = _read_url()
    state[_ARRIVED] = {}
    if _STATE not in state:  # first run of the session: the link decides
        filters, dropped = parse_query_params(url, place_codes, years, default_year, unit_sets, names_of_units)
        state[_STATE] = filters
        state[_DROPPED] = dropped
        state[_PINNED] = not follows_year(filters, unit_sets)
    else:  # a link followed inside the session brings its unit choice (the rest of the view is the session's)
        arrived = _arrived(url, state.get(_WRITTEN))
        if arrived:
            choice, dropped = _unit_choice(arrived, state[_STATE].units, place_codes, names_of_units)
            state[_STATE] = replace(state[_STATE], **choice)  # type: ignore[arg-type]
            state[_ARRIVED] = {name: True for name in arrived}
    filters = state[_STATE]
    if filters.year not in years:  # the warehouse changed under the session
        filters = replace(filters, year=default_year if default_year in years else max(years))
    filters = replace(filters, districts=tuple(d for d in filters.districts if d in places[filters.units]))
    _seed_widgets(filters, years, places)

    # The set of this run, decided before any widget is drawn: a pick in the set control, or the year's set while
    # the viewer has not picked one (the year box already holds this run's year).
    year_now = state[_KEYS["year"]]
    units, state[_PINNED] = next_units(filters, state[_KEYS["units"]], year_now, bool(state.get(_PINNED)), unit_sets)
    state[_SWITCHED] = None
    cleared_units: tuple[str, ...] = ()
    if units != filters.units:
        chosen = [places[filters.units].get(code, code) for code in state[place_key(filters.units)]]
        # the profile's and the compare page's units too: a code may mean another unit in the other set
        cleared_units = tuple(dict.fromkeys(([filters.commune] if filters.commune else []) + list(filters.compare)))
        labels = {**names_of_units.get(filters.units, {}), **places[filters.units]}
        chosen += [labels.get(code, code) for code in cleared_units if labels.get(code, code) not in chosen]
        state[_SWITCHED] = (filters.units, units, chosen)
        for unit_set in UNIT_SETS:  # the places of one set mean nothing in the other
            state[place_key(unit_set)] = []
        state[_KEYS["units"]] = units
    counts = unit_counts or {}
    names = places[units]

    with st.sidebar:
        # Labelled in the language being chosen: after a click the widget's state already holds the new value.
        label = Translator(state.get(_KEYS["lang"]) or filters.lang)("filter.lang")
        lang = st.segmented_control(
            label, LANGS, key=_KEYS["lang"], required=True,
            format_func=lambda code: Translator(code)(f"lang.{code}"), persist_state="session",
        ) or filters.lang
        state[_LANG_CHANGED] = lang != filters.lang
        tr = Translator(lang)
        st.header(tr("filter.header"), divider="gray")
        units = st.segmented_control(
            tr("filter.units"), UNIT_SETS, key=_KEYS["units"], required=True,
            format_func=lambda s: tr(f"units.{s}", n=counts.get(s, "")), persist_state="session",
        ) or units
        districts = st.multiselect(
            tr(f"filter.{PLACE_PARAM[units]}"), list(names), key=place_key(units),
            format_func=lambda code: names.get(code, code), placeholder=tr("filter.district_all"),
            persist_state="session", **_NO_ENGLISH,
        )
        area = st.segmented_control(
            tr("filter.area"), AREAS, key=_KEYS["area"], required=True,
            format_func=lambda a: tr(f"area.{a}"), persist_state="session",
        ) or "all"
        relabel(_KEYS["group"])
        group = st.selectbox(tr("filter.group"), GROUPS, key=_KEYS["group"], format_func=lambda g: tr(f"group.{g}"),
                             persist_state="session", filter_mode=None)
        relabel(_KEYS["year"])  # a partial year's label ("2026 (chưa đủ)") is translated
        year = st.selectbox(tr("filter.year"), list(years), key=_KEYS["year"], persist_state="session",
                            format_func=lambda y: tr("coverage.partial_option", year=y) if y in partial_years
                            else str(y), filter_mode=None)
        st.caption(tr("filter.link_hint"))

    same_set = units == filters.units
    filters = Filters(year=int(year), districts=tuple(sorted(districts)), area=area, group=group, lang=lang,
                      metric=filters.metric, units=units, flow_class=filters.flow_class,
                      flow_count=filters.flow_count, indicator=filters.indicator,
                      commune=filters.commune if same_set else None, compare=filters.compare if same_set else ())
    if not same_set:
        for name in UNIT_PARAMS:
            state.pop(_KEYS[name], None)
    state[_STATE] = filters
    _write_url(filters.query_params())
    return filters, dropped


def _seed_widgets(filters: Filters, years: Sequence[int], places: Mapping[str, Mapping[str, str]]) -> None:
    """Give each widget its value from the view when it has none or an impossible one (first run, a page switch
    that lost widget state, a warehouse replaced under the session)."""
    state = st.session_state
    values = {"lang": filters.lang, "units": filters.units, "area": filters.area, "group": filters.group,
              "year": filters.year}
    for name, value in values.items():
        if _KEYS[name] not in state:
            state[_KEYS[name]] = value
    if state[_KEYS["year"]] not in years:
        state[_KEYS["year"]] = filters.year
    if state[_KEYS["units"]] not in UNIT_SETS:
        state[_KEYS["units"]] = filters.units
    for unit_set in UNIT_SETS:
        key = place_key(unit_set)
        if key not in state:
            state[key] = list(filters.districts) if unit_set == filters.units else []
        state[key] = [d for d in state[key] if d in places[unit_set]]


def choose_units(unit_set: str) -> None:
    """Switch the view to `unit_set` as a pick in the sidebar's set control does (a button's `on_click`): the next
    run shows the view in that set, pinned, with the place choice cleared."""
    st.session_state[_KEYS["units"]] = unit_set


def switch_notice(tr: Translator) -> str | None:
    """In the run where the unit set changed and places were chosen: a sentence saying the choice was cleared and
    why (`None` otherwise, and in every later run)."""
    switched = st.session_state.get(_SWITCHED)
    if not switched or not switched[2]:
        return None
    before, after, names = switched
    return tr("notice.units_switched", before=tr(f"units.name.{before}"), after=tr(f"units.name.{after}"),
              places=", ".join(names))


def metric_selector(tr: Translator) -> str:
    """The map page's metric control; keeps `metric` in the URL while the map page is open."""
    state = st.session_state
    filters = current()
    key = _KEYS["metric"]
    if key not in state:
        state[key] = filters.metric
    relabel(key)
    metric = st.selectbox(tr("filter.metric"), METRICS, key=key, format_func=lambda m: tr(f"metric.{m}"),
                          persist_state="session", filter_mode=None)
    filters = replace(filters, metric=metric)
    state[_STATE] = filters
    _write_url(filters.query_params(with_metric=True))
    return metric


def keep_flow_params() -> None:
    """On the flows page without its controls (a year that has no flows): keep its `class` and `count` in the URL,
    so the link still reproduces the view once another year is chosen."""
    _write_url(current().query_params(with_flows=True))


def flow_selectors(tr: Translator) -> tuple[str, str]:
    """The flows page's two controls, side by side: the class whose accounting it draws (`class`: poor or
    near-poor) and what its figures count (`count`: households or people); keeps both in the URL while the flows
    page is open. Returns (class, count)."""
    state = st.session_state
    filters = current()
    chosen = {}
    left, right = st.columns(2)
    for name, options, column in (("class", FLOW_CLASSES, left), ("count", FLOW_COUNTS, right)):
        key = _KEYS[name]
        if state.get(key) not in options:
            state[key] = getattr(filters, _FIELDS[name])
        with column:
            chosen[name] = st.segmented_control(
                tr(f"filter.flow_{name}"), options, key=key, required=True,
                format_func=lambda option, name=name: tr(f"flows.{name}.{option}"), persist_state="session",
            ) or getattr(filters, _FIELDS[name])
    filters = replace(filters, flow_class=chosen["class"], flow_count=chosen["count"])
    state[_STATE] = filters
    _write_url(filters.query_params(with_flows=True))
    return filters.flow_class, filters.flow_count


def indicator_selector(tr: Translator, indicators: Mapping[str, str], default: str) -> tuple[str, str | None]:
    """The drivers page's map indicator: a select box of `indicators` (code → label, the standard in force in the
    view's year, in its order), holding the view's `indicator` when it is one of them, else `default`; keeps
    `indicator` in the URL while the drivers page is open. Returns (indicator, the view's indicator that was not one
    of the standard's and was replaced, or None): a link's unknown `indicator=`, or one the view's new year's
    standard does not count, is dropped and said by the page."""
    state = st.session_state
    filters = current()
    key = "filter_indicator"
    rejected: str | None = None
    wanted = state.get(key) or filters.indicator
    if wanted not in indicators:
        rejected = wanted
        wanted = default
    state[key] = wanted
    relabel(key)
    indicator = st.selectbox(tr("drivers.map_indicator"), list(indicators), key=key,
                             format_func=lambda code: indicators.get(code, code), persist_state="session",
                             filter_mode=None)
    filters = replace(filters, indicator=indicator)
    state[_STATE] = filters
    _write_url(filters.query_params(with_indicator=True, with_commune=True))  # the drivers page's commune too
    return indicator, rejected


def unit_codes(places: Mapping[str, Collection[str]], units: Mapping[str, Collection[str]]
               ) -> dict[str, dict[str, set[str]]]:
    """Set → `commune`/`compare` → the codes the parameter accepts in that set (`unit_param_codes`), for
    `dropped_notice`."""
    return {s: {p: unit_param_codes(p, s, places, units) for p in UNIT_PARAMS} for s in UNIT_SETS}


def _unit_options_state(name: str, options: Collection[str]) -> None:
    """Seed the `commune` / `compare` widget from the view when it has no value, when a link brought one in this
    run (`_arrived`), or when it holds a unit that is no longer an option (another place chosen in the sidebar)."""
    state = st.session_state
    key = _KEYS[name]
    filters = current()
    value = filters.commune if name == "commune" else list(filters.compare)
    if key not in state or state.get(_ARRIVED, {}).get(name):
        state[key] = value
    if name == "commune" and state[key] not in options:
        state[key] = None
    if name == "compare":
        state[key] = [code for code in state[key] or [] if code in options][:MAX_COMPARE]


def commune_selector(tr: Translator, options: Mapping[str, str], *, label_key: str = "profile.pick",
                     none_key: str = "profile.none") -> str | None:
    """The commune profile's unit picker (`options`: code → label, the units of the view's selection, in order);
    keeps `commune` in the URL while the profile is open. Returns the chosen code, or None. The drivers page picks
    its commune with it too (labelled `label_key`, None labelled `none_key`: the whole selection there).

    A unit of the view that is not among `options` (outside the districts or units chosen in the sidebar) is not
    kept. The list can be typed into (64 communes: as the map page's picker)."""
    state = st.session_state
    _unit_options_state("commune", options)
    relabel(_KEYS["commune"])
    commune = st.selectbox(tr(label_key), [None, *options], key=_KEYS["commune"],
                           format_func=lambda c: tr(none_key) if c is None else options.get(c, c),
                           placeholder=tr(none_key), persist_state="session")
    filters = replace(current(), commune=commune)
    state[_STATE] = filters
    _write_url(filters.query_params(with_commune=True))
    return commune


def compare_selector(tr: Translator, options: Mapping[str, str]) -> tuple[str, ...]:
    """The compare page's picker of up to `MAX_COMPARE` units (`options`: code → label); keeps `compare` in the URL
    (once per unit, in the order chosen) while the compare page is open. Returns the chosen codes."""
    state = st.session_state
    _unit_options_state("compare", options)
    chosen = st.multiselect(tr("compare.pick", n=MAX_COMPARE), list(options), key=_KEYS["compare"],
                            format_func=lambda c: options.get(c, c), max_selections=MAX_COMPARE,
                            placeholder=tr("compare.none"), persist_state="session", select_all=False)
    filters = replace(current(), compare=tuple(chosen))
    state[_STATE] = filters
    _write_url(filters.query_params(with_compare=True))
    return filters.compare


def relabel(key: str) -> None:
    """Call just before creating a keyed select box whose option labels are translated.

    A select box in the browser keeps showing the label it last received until the app sends it a value; the same
    value under a new label is no news to Streamlit, so after a language switch the box would go on showing the old
    language ("Tất cả" on an English page). Handing the box its own value again makes Streamlit send it, labelled in
    the new language. Does nothing when the language did not change in this run.
    """
    state = st.session_state
    if state.get(_LANG_CHANGED) and key in state:
        state[key] = state[key]


def dropped_notice(tr: Translator, dropped: Sequence[tuple[str, str]], units: str | None = None,
                   codes: Mapping[str, Mapping[str, Collection[str]]] | None = None) -> str | None:
    """A sentence naming the dropped parameters, with values shown literally (truncated, inside code spans). With
    `units` (the view's unit set), a place parameter of the other set says why it was dropped and which the view
    takes (`district=954` in a view of the current units: use `unit=`). With `codes` (set → `commune`/`compare` →
    the codes it accepts, `unit_param_codes`), a `commune`/`compare` unit of the other set says so, and `compare`
    units the view's set has (dropped only because a link may hold `MAX_COMPARE`) are named together as left out."""
    if not dropped:
        return None
    items = []
    over: list[str] = []
    for name, value in dropped:
        safe_name = _literal(name)
        other = next((s for s, param in PLACE_PARAM.items() if param == name and s != units), None)
        accepted = (codes or {}).get(units or "", {}).get(name, ()) if name in UNIT_PARAMS else ()
        elsewhere = [s for s in UNIT_SETS if s != units and value in (codes or {}).get(s, {}).get(name, ())]
        if value == "" and name not in PARAMS:
            items.append(tr("notice.unknown_param", name=safe_name))
        elif name == "compare" and value in accepted:
            over.append(_literal(value))
        elif name in UNIT_PARAMS and units in UNIT_SETS and elsewhere:
            items.append(tr("notice.other_set_unit", name=safe_name, value=_literal(value),
                            set=tr(f"notice.set.{units}")))
        elif units in PLACE_PARAM and other is not None:
            items.append(tr("notice.other_set_place", name=safe_name, value=_literal(value),
                            param=PLACE_PARAM[units], set=tr(f"notice.set.{units}")))
        else:
            items.append(tr("notice.bad_value", name=safe_name, value=_literal(value)))
    if over:
        items.append(tr("notice.compare_too_many", n=MAX_COMPARE, values=", ".join(over)))
    return tr("notice.dropped", items="; ".join(items))


def _literal(text: str, limit: int = 40) -> str:
    clean = re.sub(r"[`\s]+", " ", text).strip()
    if len(clean) > limit:
        clean = clean[:limit] + "…"
    return f"`{clean}`" if clean else "`∅`"
