"""The shared filters and their URL form. This module alone reads and writes them.

URL parameters (exactly these names): `district` (GSO code, repeatable), `area` (`all`/`urban`/`rural`),
`group` (`all`/`kinh`/`minority`/`khmer`), `year`, `lang` (`vi`/`en`), and `metric` on the map page.

How the state moves:
- On a session's first run the link decides: `parse_query_params` validates every parameter against the warehouse
  (district codes, review years) and the fixed option lists; anything unknown or invalid is dropped and reported
  so the page can show a notice. Values never reach SQL as text: they become members of known option lists.
- The sidebar widgets then own the state (kept across page switches); after they render, the state is written
  back to `st.query_params` on every run, so the address bar always holds a link that reproduces the view,
  whichever page is open.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

import streamlit as st

from i18n import LANGS, Lang, Translator

AREAS: Final = ("all", "urban", "rural")
GROUPS: Final = ("all", "kinh", "minority", "khmer")
METRICS: Final = ("poor_rate", "near_poor_rate", "change_since_baseline", "poor_households")
PARAMS: Final = ("district", "area", "group", "year", "lang", "metric")
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
_KEYS: Final = {name: f"filter_{name}" for name in PARAMS}
# Streamlit writes some texts of its choice boxes itself, in English: "Select all" atop a multiselect's list and
# "No results" once typed text matches nothing. The lists here are short (7 districts, 4 groups, a few years, 4
# metrics): no "select all" (none chosen already means the whole province) and no typing, so neither text appears.
_NO_ENGLISH: Final = {"select_all": False, "filter_mode": None}
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Filters:
    """One view of the dashboard. `districts` empty means the whole province."""

    year: int
    districts: tuple[str, ...] = ()
    area: str = "all"
    group: str = "all"
    lang: Lang = "vi"
    metric: str = "poor_rate"
    units: str = "former"  # the unit set the view is in: 'former' (64 communes, 7 districts) or 'current' (25 units)

    def query_params(self, *, with_metric: bool = False) -> dict[str, str | list[str]]:
        """The URL form of this view (`district` repeated once per code)."""
        params: dict[str, str | list[str]] = {}
        if self.districts:
            params["district"] = list(self.districts)
        params.update(area=self.area, group=self.group, year=str(self.year), lang=self.lang)
        if with_metric:
            params["metric"] = self.metric
        return params

    def sql_params(self) -> dict[str, object]:
        """The filter parameters every `queries/*.sql` file takes."""
        return {"units": self.units, "district": list(self.districts), "area": self.area, "group": self.group}


def parse_query_params(raw: Mapping[str, Sequence[str]], district_codes: Sequence[str],
                       years: Sequence[int], default_year: int | None = None) -> tuple[Filters, list[tuple[str, str]]]:
    """Validate URL parameters; return the view they describe and the (name, value) pairs that were dropped.

    `raw` maps each parameter name to all of its values, in URL order. Tracking parameters (`fbclid`, `utm_*`)
    are ignored without being reported. Unknown names, unknown district codes,
    years not in the warehouse and values outside the option lists are dropped; the rest of the view falls back
    to the defaults (whole province, all areas and groups, `default_year` — the latest complete review year, see
    `dashboard.context.default_year`; the latest year when not given — Vietnamese, poor rate).
    """
    dropped: list[tuple[str, str]] = []
    chosen: dict[str, object] = {}
    known_districts = set(district_codes)
    for name, values in raw.items():
        if name in _STREAMLIT_PARAMS or is_tracking_param(name):
            continue
        if name not in PARAMS:
            dropped.append((name, ""))
            continue
        if name == "district":
            codes: list[str] = []
            for value in values:
                if value in known_districts and value not in codes:
                    codes.append(value)
                elif value not in known_districts:
                    dropped.append((name, value))
            chosen["districts"] = tuple(sorted(codes))
            continue
        value = values[-1] if values else ""
        options: Sequence[object] = {"area": AREAS, "group": GROUPS, "lang": LANGS, "metric": METRICS}.get(name, ())
        if name == "year":
            if _YEAR.match(value) and int(value) in years:
                chosen["year"] = int(value)
            else:
                dropped.append((name, value))
        elif value in options:
            chosen[name] = value
        else:
            dropped.append((name, value))
    year = chosen.pop("year", default_year if default_year in years else max(years))
    return Filters(year=int(year), **chosen), dropped  # type: ignore[arg-type]


def _read_url() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _write_url(params: Mapping[str, str | list[str]]) -> None:
    current = _read_url()
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(dict(params))


def ready() -> bool:
    """Whether `sidebar()` has set up the view in this session."""
    return _STATE in st.session_state


def current() -> Filters:
    """The view of this run, as set by `sidebar()` in `app.py`."""
    return st.session_state[_STATE]


def sidebar(district_names: Mapping[str, str], years: Sequence[int], default_year: int | None = None,
            partial_years: Collection[int] = ()) -> tuple[Filters, list[tuple[str, str]]]:
    """Render the filter widgets in the sidebar, sync the URL; return the view and what the link had that was dropped.

    `district_names` maps each district code to its name (in order); `years` are the review years in the warehouse;
    `default_year` is what a link without `year` shows; `partial_years` are offered marked as incomplete.
    """
    state = st.session_state
    dropped: list[tuple[str, str]] = []
    if _STATE not in state:  # first run of the session: the link decides
        filters, dropped = parse_query_params(_read_url(), list(district_names), years, default_year)
        state[_STATE] = filters
        state[_DROPPED] = dropped
    filters = state[_STATE]
    if filters.year not in years:  # the warehouse changed under the session
        filters = replace(filters, year=default_year if default_year in years else max(years))
    filters = replace(filters, districts=tuple(d for d in filters.districts if d in district_names))
    _seed_widgets(filters, years, district_names)

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
        districts = st.multiselect(
            tr("filter.district"), list(district_names), key=_KEYS["district"],
            format_func=lambda code: district_names.get(code, code), placeholder=tr("filter.district_all"),
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

    filters = Filters(year=int(year), districts=tuple(sorted(districts)), area=area, group=group, lang=lang,
                      metric=filters.metric)
    state[_STATE] = filters
    _write_url(filters.query_params())
    return filters, dropped


def _seed_widgets(filters: Filters, years: Sequence[int], district_names: Mapping[str, str]) -> None:
    """Give each widget its value from the view when it has none or an impossible one (first run, a page switch
    that lost widget state, a warehouse replaced under the session)."""
    state = st.session_state
    values = {"lang": filters.lang, "district": list(filters.districts), "area": filters.area,
              "group": filters.group, "year": filters.year}
    for name, value in values.items():
        if _KEYS[name] not in state:
            state[_KEYS[name]] = value
    if state[_KEYS["year"]] not in years:
        state[_KEYS["year"]] = filters.year
    state[_KEYS["district"]] = [d for d in state[_KEYS["district"]] if d in district_names]


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


def dropped_notice(tr: Translator, dropped: Sequence[tuple[str, str]]) -> str | None:
    """A sentence naming the dropped parameters, with values shown literally (truncated, inside code spans)."""
    if not dropped:
        return None
    items = []
    for name, value in dropped:
        safe_name = _literal(name)
        if value == "" and name not in PARAMS:
            items.append(tr("notice.unknown_param", name=safe_name))
        else:
            items.append(tr("notice.bad_value", name=safe_name, value=_literal(value)))
    return tr("notice.dropped", items="; ".join(items))


def _literal(text: str, limit: int = 40) -> str:
    clean = re.sub(r"[`\s]+", " ", text).strip()
    if len(clean) > limit:
        clean = clean[:limit] + "…"
    return f"`{clean}`" if clean else "`∅`"
