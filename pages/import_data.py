"""Import page: analysts upload review files, read the validation report, download the template, and load.

Thin: reading, validation and loading live in `data.ingest`, called through `dashboard.importing`; who sees
the page in `data.access`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.context import enter_through_app_if_needed
from dashboard.filters import current, ready
from dashboard.importing import check_files, load_checked
from dashboard.widgets import file_uploader
from data import ingest
from data.access import import_allowed
from data.template import template_bytes
from i18n import MISSING, Translator

enter_through_app_if_needed()
tr = Translator(current().lang if ready() else "vi")

if not import_allowed():
    st.info(tr("import.not_allowed"))
    st.stop()

st.title(tr("import.title"))
st.caption(tr("import.intro"))
st.download_button(tr("import.template"), template_bytes(), "mau_ra_soat_ho_ngheo.xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
uploads = file_uploader(tr, tr("import.files"), key="import_files", types=("csv", "xlsx"))
year = st.number_input(tr("import.year"), min_value=2000, max_value=2100, value=None, step=1)
accept_valid = st.checkbox(tr("import.accept_valid"))

if uploads:
    checked = check_files([(u.name, u.getvalue()) for u in uploads], int(year) if year else None)
    columns = {c: tr(f"col.{c}") for c in ingest.PROBLEM_COLUMNS}
    for item in checked:
        st.subheader(item.name)
        st.caption(tr("import.file_counts", rows=tr.num(item.rows_read), problems=tr.num(len(item.problems))))
        for note in item.notes:
            st.caption(note.text(tr.lang))
        if not item.problems.empty:
            st.dataframe(ingest.report(item.problems, tr.lang).rename(columns=columns), hide_index=True,
                         width="stretch", placeholder=MISSING)  # a problem of the whole file has no row: "—"
            st.download_button(tr("import.rejected"),
                               item.rejected_rows(tr.lang).to_csv(index=False).encode("utf-8-sig"),
                               f"{item.name.rsplit('.', 1)[0]}.rejected.csv", mime="text/csv",
                               key=f"rejected-{item.sha256}")
        with st.expander(tr("import.headers"), expanded=ingest.needs_review(item.headers)):  # data.ingest.report
            st.dataframe(ingest.header_table(item.headers, tr.lang).rename(columns={
                c: tr(f"col.{c}") for c in ("header", "field", "how")}), hide_index=True, width="stretch",
                height="content")
    loadable = [c for c in checked if not c.fatal and (c.ok or accept_valid)]
    if not loadable:
        st.warning(tr("import.nothing_loadable"))
    elif st.button(tr("import.load", n=len(loadable)), type="primary"):
        results = load_checked(loadable, accept_valid)
        st.cache_data.clear()
        for result in results:
            st.success("\n\n".join(ingest.summary_lines(result, tr.lang)))
