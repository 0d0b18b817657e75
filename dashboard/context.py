"""What every page needs at the start of a run: the view (filters), the translator, unit names, review years."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from dashboard import filters as filter_state
from dashboard.disclosure import Rule, current_rule
from dashboard.figure_cache import per_process
from dashboard.filters import Filters
from data.warehouse import schema_digest
from i18n import Translator
from queries.runner import run


@dataclass(frozen=True)
class PageContext:
    filters: Filters
    tr: Translator
    units: pd.DataFrame
    district_names: dict[str, str]
    commune_names: dict[str, str]  # commune code → display label (`Phường 1 (TX Giá Rai)` where names repeat)
    years: list[int]
    min_households: int
    # which small cells this viewer may see: hidden unless signed in (dashboard/disclosure.py); read on every run
    rule: Rule

    @property
    def sql(self) -> dict[str, object]:
        """The filter parameters for `queries/*.sql`."""
        return self.filters.sql_params()


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def units_and_years(unit_set: str = "former") -> tuple[pd.DataFrame, dict[str, str], list[int]]:
    """The units of `unit_set` ('former' or 'current'), the places its district filter offers (code → name, in code
    order: the former districts; in the current set, which has no districts, the units themselves) and the review
    years (cached queries)."""
    all_units = run("units")
    units = all_units[all_units["unit_set"] == unit_set].reset_index(drop=True)
    if units["district_code"].notna().all():
        districts = units.drop_duplicates("district_code").sort_values("district_code")
        places = dict(zip(districts["district_code"], districts["district_name"], strict=True))
    else:
        ordered = units.sort_values("commune_code")
        places = dict(zip(ordered["commune_code"], ordered["commune_name"], strict=True))
    years = [int(y) for y in run("review_years")["year"]]
    return units, places, years


def warehouse_current() -> bool:
    """Whether the warehouse was made with this version's schema (`meta.schema` = `data.warehouse.schema_digest()`):
    a file from an older version lacks views or has other macro signatures, so the app says how to rebuild instead
    of failing on every query."""
    try:
        meta = run("dataset_meta")
    except duckdb.Error:
        return False
    return schema_digest() in set(meta.loc[meta["key"] == "schema", "value"])


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def unit_sets_in_force() -> dict[int, str]:
    """Review year → the unit set it is filed in ('former' or 'current'; `review_coverage.unit_set`, i.e. the
    warehouse's `review_unit_set(year)`): the set a view of that year shows unless the viewer chose another."""
    coverage = run("review_coverage")
    return {int(y): str(s) for y, s in zip(coverage["year"], coverage["unit_set"], strict=True)}


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def partial_years() -> set[int]:
    """The review years that do not count as complete (`review_coverage`, rule in the `settings` table)."""
    coverage = run("review_coverage")
    return {int(y) for y in coverage.loc[~coverage["complete"].astype(bool), "year"]}


def default_year(years: list[int]) -> int:
    """The year a link without `year` opens: the latest complete review year (the latest year if none is)."""
    partial = partial_years()
    complete = [y for y in years if y not in partial]
    return max(complete or years)


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def setting(key: str) -> float:
    """A rule stored as data in the warehouse's `settings` table (data/reference/settings.csv)."""
    settings = run("settings")
    return float(settings.loc[settings["key"] == key, "value"].iloc[0])


def page_context() -> PageContext:
    """The context of this run, after `app.py` has rendered the filters.

    A page file run on its own, in Streamlit's old-style mode (see `rerun_through_app`), reruns through `app.py`:
    without filters yet (a first request for a page URL), and also with filters from an earlier run (the page
    requested by its hash, as `AppTest` does after resetting that mode before each run), since its sidebar and
    notices are drawn by `app.py` only.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if not filter_state.ready() or PagesManager.uses_pages_directory:
        rerun_through_app()
    current = filter_state.current()
    units, district_names, years = units_and_years(current.units)
    return PageContext(
        filters=current,
        tr=Translator(current.lang),
        units=units,
        district_names=district_names,
        commune_names=dict(zip(units["commune_code"], units["commune_label"], strict=True)),
        years=years,
        min_households=int(setting("min_households_reliable")),
        rule=current_rule(),
    )


def enter_through_app_if_needed() -> None:
    """For a page that works without the filters (import): a bookmarked link as the server's first request runs the
    page file on its own in Streamlit's old-style mode; send it through `app.py` like the other pages. Outside that
    mode (e.g. the page under test on its own) nothing happens."""
    from streamlit.runtime.pages_manager import PagesManager

    if not filter_state.ready() and PagesManager.uses_pages_directory:
        rerun_through_app()


def rerun_through_app() -> None:
    """Leave Streamlit's old-style multipage mode and rerun, so this and every later run goes through `app.py`.

    Streamlit treats an app with a `pages/` folder as an old-style multipage app until `st.navigation` is first
    called in the server process. In that mode the first request runs either a page file without `app.py` (a page
    URL such as `/commune_map?…`: no filters exist yet) or `app.py` inside a navigation of Streamlit's own (its
    widgets would belong to another page context). Switching the flag `st.navigation` itself switches and rerunning,
    with the same URL, avoids both; `app.py` calls this before any widget exists.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def open_default_page_for_its_own_path(url_path: str) -> None:
    """Let `/<url_path>?…` (e.g. `/overview?year=2024`, in links shared before the overview moved to `/`) open the
    default page, which `st.navigation` serves at `/`; call it just before `st.navigation`.

    Streamlit (1.67) serves the page marked `default=True` at the app root and gives it the URL pathname "": opening
    `/overview` asks for the page *named* "overview", finds none, shows "page not found" and falls back to the
    default page. The default page keeps its `url_path` only in its page hash, and the menu highlights the page
    whose hash ran, so a hidden twin at `/` (or at `/overview`) would leave the menu entry dark; and the same page
    cannot be listed twice under one `url_path` (two pages with one hash are refused). Asking for no page in
    particular instead gives the default page without the error; runs that name the page by its hash (a click in
    the menu, a rerun) are left as they are. The browser's address becomes `/?…` with the same filters.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = ctx.pages_manager if ctx else None
    if manager and not manager.intended_page_script_hash and manager.intended_page_name == url_path:
        manager.set_script_intent("", "")


def open_default_page_for_an_unknown_path(url_paths: Collection[str]) -> bool:
    """For `/<name>` where no page has `url_path` name (a mistyped or outdated link): open the default page instead
    and return True, so the app says so in the viewer's language; call it just before `st.navigation`.

    Streamlit (1.67) would fall back to the default page too, but with its own English "Page not found" dialog.
    Runs that name a page by its hash (menu clicks, reruns) are left as they are: an unknown hash falls back silently.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = ctx.pages_manager if ctx else None
    if (manager and not manager.intended_page_script_hash and manager.intended_page_name
            and manager.intended_page_name not in url_paths):
        manager.set_script_intent("", "")
        return True
    return False


def _short(tr: Translator, value: float) -> str:
    """1.0 → "1", 1.5 → "1,5" (vi) / "1.5" (en)."""
    text = tr.num(value, 1)
    return text[:-2] if text.endswith((",0", ".0")) else text


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def plan_wording(tr: Translator) -> dict[str, str]:
    """The plan's path in words, from the targets table: base year, first step, later steps, ceiling, final year."""
    targets = run("plan_targets")
    province = targets[targets["scope"] == "province"]
    steps = province[province["kind"] == "reduction_points"].sort_values("year")
    ceiling = province[province["kind"] == "rate_below"].sort_values("year")
    later = steps["value"].iloc[1] if len(steps) > 1 else steps["value"].iloc[0]
    step = _short(tr, later)
    if tr.lang == "en":
        step = f"{step} point" + ("" if later == 1 else "s")
    return {
        "base_year": str(int(targets["baseline_year"].iloc[0])),
        "first_year": str(int(steps["year"].min())),
        "first_step": _short(tr, steps["value"].iloc[0]),
        "step": step,
        "ceiling": f"{_short(tr, ceiling['value'].iloc[-1])} %" if len(ceiling) else "—",
        "final_year": str(int(ceiling["year"].iloc[-1])) if len(ceiling) else "—",
    }


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def date_text(tr: Translator, day: date) -> str:
    """A date as each language writes it: "1/7/2025", "1 July 2025"."""
    if tr.lang == "vi":
        return f"{day.day}/{day.month}/{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def units_wording(tr: Translator) -> dict[str, str]:
    """The reorganisation in numbers, from the warehouse: the former units and districts, the current units, the date
    the current set took effect (`changed`) and the first review year filed in it (`year`)."""
    former, districts, _ = units_and_years("former")
    current = units_and_years("current")[0]
    sets = run("unit_sets").set_index("unit_set")
    start = sets.loc["current", "in_force_from"]
    first = sets.loc["current", "first_review_year"]
    return {
        "former": tr.num(len(former)), "districts": tr.num(len(districts)), "current": tr.num(len(current)),
        "changed": "—" if pd.isna(start) else date_text(tr, pd.Timestamp(start).date()),
        "year": "—" if pd.isna(first) else str(int(first)),
    }


@per_process(copy=True, versioned=True)  # the same for every visitor of a warehouse version
def standard_wording(tr: Translator, year: int) -> dict[str, str]:
    """The lines and thresholds of the standard in force in `year`, from the standards table."""
    standards = run("poverty_standards")
    row = standards[(standards["first_year"] <= year) & (standards["last_year"] >= year)].iloc[0]
    return {
        "rural_line": tr.num(row["rural_poverty_line"]),
        "urban_line": tr.num(row["urban_poverty_line"]),
        "min_deprivations": str(int(row["min_deprivations"])),
        "indicators": str(int(row["indicator_count"])),
    }
