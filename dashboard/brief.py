"""The one-page brief's download button (issue 12, part 5): the PDF of `reports.brief` for the view's place, on the
overview (the province, the chosen district or current unit) and on the commune profile (its commune).

The brief prints every figure it holds, so it is offered only when none of them is hidden from this viewer
(dashboard/disclosure.py): the place's rates, households, path, pace and goal in every year up to the view's year
(its row, its baseline and previous years' cells), its path in later years (the baseline cell), the shares among its
poor households behind the drivers (hidden under N poor households, as the map page's breakdown hides them) and the
year's coverage. Otherwise the button's place says why, as the flows page does for the annual report.

The PDF is made only on a click (`st.download_button` with a callable): a page load costs nothing. It is cached per
process by warehouse version, parameters and day (`figure_cache.per_process`), so a second click is instant.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import derived, disclosure
from dashboard.context import PageContext
from dashboard.disclosure import SMALL, Rule
from dashboard.figure_cache import per_process
from dashboard.filters import CURRENT, Filters
from i18n import Lang, Translator, is_missing
from queries.runner import run
from reports import brief

# the reasons a hidden figure carries in a protected frame (`disclosure.protect_progress`, `protect_coverage`)
_ROW_REASONS = ("hidden", "hidden_baseline", "hidden_previous")


def brief_place(filters: Filters, commune: str | None = None) -> tuple[str | None, str | None] | None:
    """(district, commune) codes of the brief for a view: `commune` when given (the profile's unit); else the view's
    chosen place — none: the province (None, None); one former district (code, None); one current unit (None, code,
    a current unit being a commune-level unit). None when the view chooses several places (a brief is of one)."""
    if commune:
        return None, commune
    if not filters.districts:
        return None, None
    if len(filters.districts) > 1:
        return None
    chosen = filters.districts[0]
    return (None, chosen) if filters.units == CURRENT else (chosen, None)


def hidden_reasons(progress: pd.DataFrame, coverage: pd.DataFrame, year: int, rule: Rule,
                   former_known: bool = False) -> list[str]:
    """The reasons (`SMALL`, `COMPLEMENT`) of every figure the brief of `year` would print that `rule` hides.

    `progress`: the place's protected `poor_rate_progress` rows (every year: `derived.progress` of its level, filtered
    to its unit); `coverage`: the protected `review_coverage` rows; `former_known`: whether the brief prints the
    households whose former commune is known (the former units in a year filed in the current ones). Empty when the
    viewer may see all (an inactive rule)."""
    if not rule.active:
        return []
    out: list[str] = []
    upto = progress[progress["year"] <= year]
    for column in _ROW_REASONS:
        if column in upto.columns:
            out += [w for w in upto[column] if isinstance(w, str)]
    if "hidden_baseline" in progress.columns:  # the path of later years is computed from the baseline cell
        out += [w for w in progress["hidden_baseline"] if isinstance(w, str)]
    this = progress[progress["year"] == year]
    for poor in this["poor_households"]:  # the drivers' shares among poor households, as `protect_breakdown`
        if not is_missing(poor) and int(poor) > 0 and rule.hides(int(poor)):
            out.append(SMALL)
    year_cov = coverage[coverage["year"] == year]
    columns = ("hidden", "hidden_former_known") if former_known else ("hidden",)
    for column in columns:
        if column in year_cov.columns:
            out += [w for w in year_cov[column] if isinstance(w, str)]
    return out


def place_progress(ctx: PageContext, district: str | None, commune: str | None) -> pd.DataFrame:
    """The place's protected `poor_rate_progress` rows, every year, as its page shows them: the commune's row at the
    commune level (the map's, the profile's); else the total of the chosen district (or the province)."""
    params = {**ctx.sql, "district": [district] if district else []}
    if commune:
        frame = derived.progress("commune", {**params, "district": []}, ctx.rule)
        return frame[frame["unit_code"] == commune]
    return derived.progress("total", params, ctx.rule)


@per_process(versioned=True)  # one PDF per warehouse version, parameters and day, for every visitor
def brief_bytes(year: int, units: str, district: str | None, commune: str | None, area: str, group: str, lang: Lang,
                made: date) -> bytes:
    """The brief's PDF (`reports.brief.brief_pdf`) from the pages' cached queries (`queries.runner.run`)."""
    return brief.brief_pdf(run, year, units=units, district=district, commune=commune, area=area, group=group,
                           lang=lang, made=made)


def _place_name(ctx: PageContext, tr: Translator, district: str | None, commune: str | None) -> str:
    if commune:
        return ctx.commune_names.get(commune, commune)
    if district:
        return ctx.district_names.get(district, district)
    return tr("scope.province")


def brief_button(ctx: PageContext, commune: str | None = None, *, key: str = "brief_download") -> None:
    """The brief's download button for the view (`commune`: the profile's unit, a code of the view's set; None: the
    view's place), or a caption saying why it is not offered: several places chosen, a figure of the brief hidden
    from this viewer (the marker named), or no Chromium on the server. Renders nothing when the place has no
    households in the view's year (the page already says so)."""
    tr, view = ctx.tr, ctx.filters
    place = brief_place(view, commune)
    if place is None:
        st.caption(tr("brief.refused_places"))
        return
    district, unit = place
    progress = place_progress(ctx, district, unit)
    if progress[progress["year"] == view.year].empty:
        return
    in_force = derived.coverage(ctx.rule)
    filed = in_force.loc[in_force["year"] == view.year, "unit_set"]
    former_known = view.units != CURRENT and bool((filed != "former").any())
    reasons = hidden_reasons(progress, in_force, view.year, ctx.rule, former_known)
    # the drivers' figures are the place's poor households': hidden too where another unit's could be had back
    reasons += [s for s in disclosure.poor_states(progress[progress["year"] == view.year], ctx.rule,
                                                  level="commune" if unit else "total", area=view.area,
                                                  group=view.group, selection=[district] if district else [],
                                                  units=view.units) if s]
    if reasons:
        why = next((r for r in reasons if r == SMALL), reasons[0])
        st.caption(tr("brief.refused_hidden", marker=ctx.rule.marker(tr, why)))
        return
    try:
        brief.chromium_path()
    except brief.BriefUnavailable:
        st.caption(tr("brief.no_browser"))
        return
    name = _place_name(ctx, tr, district, unit)
    made = date.today()
    st.download_button(
        tr("brief.download"),
        lambda: brief_bytes(view.year, view.units, district, unit, view.area, view.group, tr.lang, made),
        file_name=file_name(view.year, view.units, district or unit),
        mime="application/pdf", key=key, icon=":material/picture_as_pdf:", on_click="ignore",
        help=tr("brief.download_help", place=name, year=view.year))


def file_name(year: int, units: str, code: str | None) -> str:
    """The PDF's file name: `ban_tin_2024_former_toan_tinh.pdf`, `ban_tin_2024_former_31942.pdf`."""
    return f"ban_tin_{year}_{units}_{code or 'toan_tinh'}.pdf"
