"""Import page: analysts upload review files, read the validation report, download the template, and load.

Thin: reading, validation and loading live in `data.ingest`, called through `dashboard.importing` (which also names
a second upload of the same file as a duplicate). Who may use it is `data.access`'s decision, taken on the server:
`app.py` registers this page only for a session that may write, the page checks again when it runs, and loading
checks once more right before writing (`dashboard.importing.load_checked`), so a session that lost the right since
the page was drawn writes nothing. Text from a file (its name, headers, values) is shown through `literal`: as typed,
never as Markdown or HTML.

Loading writes a new warehouse version (viewers are not disturbed); the version of the report shown is kept in the
session, so a load after another import or a rebuild changed the warehouse loads nothing, checks the files again and
says so (`dashboard.importing.load_checked`).
"""

from __future__ import annotations

import streamlit as st

from dashboard.account import refusal
from dashboard.context import enter_through_app_if_needed
from dashboard.filters import current, ready
from dashboard.importing import (
    check_files,
    literal,
    load_checked,
    loadable,
    offers_rejected_rows,
    problem_table,
    rejected_file,
    template_file,
    units_used,
    upload_limit_mb,
)
from dashboard.widgets import file_uploader
from data import ingest
from data.access import WriteRefused, auth_configured, can_write, decision, identity
from i18n import MISSING, Translator

CHECKED_VERSION = "import_checked_version"  # the warehouse version of the report this session last showed
CHANGED = "import_warehouse_changed"  # set before a rerun: say why the report was checked again

enter_through_app_if_needed()
tr = Translator(current().lang if ready() else "vi")

if not can_write():  # e.g. this file run on its own, outside `app.py`'s navigation
    st.info(refusal(tr, decision(), identity(), sign_in_offered=auth_configured()), icon=":material/lock:")
    st.stop()

st.title(tr("import.title"))
st.caption(tr("import.intro"))
year = st.number_input(tr("import.year"), min_value=2000, max_value=2100, value=None, step=1)
template = template_file(int(year) if year else None, tr.lang)  # lists the units of that year's unit set
st.download_button(tr("import.template"), template.data, template.name, icon=":material/download:",
                   help=tr("import.template_units", units=template.units),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
uploads = file_uploader(tr, tr("import.files"), key="import_files", types=("csv", "xlsx"), limit_mb=upload_limit_mb())
accept_valid = st.checkbox(tr("import.accept_valid"))

if st.session_state.pop(CHANGED, False):
    st.info(tr("import.changed"))
if uploads:
    checks = check_files([(u.name, u.getvalue()) for u in uploads], int(year) if year else None)
    seen = st.session_state.get(CHECKED_VERSION)  # what the analyst read before this run
    st.session_state[CHECKED_VERSION] = checks.version
    columns = {c: tr(f"col.{c}") for c in ingest.PROBLEM_COLUMNS}
    for upload in checks.uploads:
        st.subheader(literal(upload.name))
        item = upload.checked
        if item is None:
            st.warning(literal(tr("import.duplicate", first=upload.duplicate_of)))
            continue
        st.caption(tr("import.file_counts", rows=tr.num(item.rows_read), problems=tr.num(len(item.problems))))
        for line in units_used(item, tr.lang):  # the unit set each review year of the file was read in
            st.caption(literal(line))
        for note in item.notes:
            st.caption(literal(note.text(tr.lang)))
        if not item.problems.empty:
            st.dataframe(problem_table(item, tr.lang).rename(columns=columns), hide_index=True,
                         width="stretch", placeholder=MISSING)  # a problem of the whole file has no row: "—"
        if offers_rejected_rows(item):
            data, name = rejected_file(item, tr.lang)
            st.download_button(tr("import.rejected"), data, name, mime="text/csv", key=f"rejected-{item.sha256}")
        if item.headers.empty:  # a file refused before its header was read
            continue
        with st.expander(tr("import.headers"), expanded=ingest.needs_review(item.headers)):  # data.ingest.report
            st.dataframe(ingest.header_table(item.headers, tr.lang).rename(columns={
                c: tr(f"col.{c}") for c in ("header", "field", "how")}), hide_index=True, width="stretch",
                height="content")
    ready_to_load = loadable(checks, accept_valid)
    if not ready_to_load:
        st.warning(tr("import.nothing_loadable"))
    elif st.button(tr("import.load", n=len(ready_to_load)), type="primary"):
        waiting = st.empty()
        try:  # `load_checked` checks `data.access.require_write()` first
            outcome = load_checked(checks, accept_valid, seen, on_wait=lambda: waiting.info(tr("import.waiting")))
        except WriteRefused:
            st.error(tr("import.refused_at_load"), icon=":material/lock:")
            st.stop()
        waiting.empty()
        if outcome.status == "changed":  # check again against the new version, and say why
            st.session_state[CHANGED] = True
            st.rerun()
        if outcome.status == "busy":
            st.warning(tr("import.busy"))
        if outcome.version is not None:  # the report differs from the new version only by what was just loaded
            st.session_state[CHECKED_VERSION] = outcome.version
        for result in outcome.results:
            st.success("\n\n".join(literal(line) for line in ingest.summary_lines(result, tr.lang)))
