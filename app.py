"""Entry point: page config, the shared filters (sidebar + URL), sign-in, the demo notice, and the page navigation.

Run with `streamlit run app.py`. The warehouse is `data.warehouse.db_path()` ($POVERTY_DB), opened read-only.
To add a page: add an `Entry` to `dashboard/navigation.py` (and its title key to `i18n/__init__.py`).
Anything that fails while the frame or a page runs is shown as a short message with a reference; the traceback goes
to the server log under that reference (`dashboard.errors`).
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from dashboard import errors, filters, layout
from dashboard.account import account_box
from dashboard.context import (
    default_year,
    open_default_page_for_an_unknown_path,
    open_default_page_for_its_own_path,
    partial_years,
    rerun_through_app,
    unit_sets_in_force,
    units_and_years,
    warehouse_current,
)
from dashboard.navigation import registered_pages
from data.access import can_write
from data.warehouse import db_path
from i18n import TEXT, Translator
from queries.runner import run


def page_title(tr: Translator, key: str) -> str:
    return tr(key) if key in TEXT else key


def _unavailable() -> None:
    """The only page while there is no usable warehouse: nothing beyond the message the frame showed."""


def stop_with(message: str) -> None:
    """Show `message` and end the run, with a hidden navigation of one empty page: without it Streamlit would list
    the `pages/` folder's files (the import page among them) in the sidebar."""
    st.error(message)
    open_default_page_for_an_unknown_path(["unavailable"])  # whatever address was asked: no English dialog
    st.navigation([st.Page(_unavailable, title=TEXT["app.tab_title"]["vi"], url_path="unavailable")],
                  position="hidden")
    st.stop()


def main() -> None:
    """The frame every page shares, then the page itself (inside its own error block, so what the frame drew stays)."""
    if not db_path().exists():
        logging.getLogger(__name__).error("no warehouse at %s (POVERTY_DB)", db_path())
        stop_with(Translator("vi")("app.no_warehouse"))

    if not warehouse_current():
        stop_with(Translator("vi")("app.stale_warehouse"))

    # each unit set's places (former districts; current units) and size, and the set each review year is filed in
    sets = {unit_set: units_and_years(unit_set) for unit_set in filters.UNIT_SETS}
    years = sets[filters.FORMER][2]
    # each set's commune-level units (code → label): what the profile's `commune` and the compare page's `compare`
    # accept, with the places
    unit_names = {s: dict(zip(units["commune_code"], units["commune_label"], strict=True))
                  for s, (units, _, _) in sets.items()}
    view, dropped = filters.sidebar({s: places for s, (_, places, _) in sets.items()}, years, default_year(years),
                                    partial_years(), unit_sets_in_force(),
                                    {s: len(units) for s, (units, _, _) in sets.items()}, unit_names)
    tr = Translator(view.lang)
    st.sidebar.caption(f"{tr('app.title')} · {tr('app.subtitle')}")  # the movement the dashboard follows
    account_box(tr)
    st.set_page_config(page_title=tr("app.tab_title"))  # the browser tab, in the chosen language

    # The import page only where this session may write (data/access.py: the operator's POVERTY_ALLOW_IMPORT, or a
    # signed-in user on POVERTY_WRITERS), decided on the server on every run; elsewhere its address explains why.
    entries = registered_pages(can_write())
    # The first page (overview) is the default: served at `/`, and its menu entry is the one highlighted there.
    pages = [st.Page(e.path, title=page_title(tr, e.title_key), icon=e.icon, url_path=e.url_path, default=i == 0,
                     visibility="visible" if e.visible else "hidden")
             for i, e in enumerate(entries)]
    open_default_page_for_its_own_path(entries[0].url_path)
    unknown = open_default_page_for_an_unknown_path([e.url_path for e in entries])
    navigation = st.navigation(pages)
    if unknown:
        st.warning(tr("app.page_not_found"), icon=":material/link_off:")
    notice = filters.dropped_notice(tr, dropped, view.units,
                                    filters.unit_codes({s: list(p) for s, (_, p, _) in sets.items()}, unit_names))
    if notice:
        st.warning(notice, icon=":material/link_off:")
    switched = filters.switch_notice(tr)  # the unit set changed: the places chosen in the other set were cleared
    if switched:
        st.info(switched, icon=":material/swap_horiz:")
    layout.demo_notice(tr, run("dataset_meta"), run("calibration_figures"), unit_sets_in_force())
    with errors.reported(f"page {navigation.url_path or entries[0].url_path}"):
        navigation.run()


errors.log_to_stderr()
st.set_page_config(page_title=TEXT["app.tab_title"]["vi"], page_icon=":material/volunteer_activism:", layout="wide")

# Until `st.navigation` first runs in a server process, Streamlit takes the `pages/` folder for an old-style app and
# runs this script inside a navigation of its own; widgets made in that run belong to another page context, and the
# first visitor's filters reset on their first click. Leave that mode before any widget exists (pages opened
# directly by URL do the same in `dashboard.context`).
if PagesManager.uses_pages_directory:
    rerun_through_app()

with errors.reported("app frame"):
    main()
