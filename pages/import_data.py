"""Import page: analysts upload review files, read the validation report, download the template, and load.

Thin: reading, validation and loading live in `data.ingest`; who sees the page in `data.access`.
"""

from __future__ import annotations

import duckdb
import streamlit as st

from data import ingest
from data.access import import_allowed
from data.template import template_bytes
from data.warehouse import db_path
from queries.runner import clear_caches, connection

if not import_allowed():
    st.info("Nhập dữ liệu chỉ dành cho người dùng đã đăng nhập. / Importing is for signed-in users.")
    st.stop()

st.title("Nhập kết quả rà soát / Import review files")
st.download_button("Tải mẫu XLSX / Download the blank template", template_bytes(), "mau_ra_soat_ho_ngheo.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
uploads = st.file_uploader("Tệp CSV hoặc XLSX / CSV or XLSX files", type=["csv", "xlsx"], accept_multiple_files=True)
year = st.number_input("Năm rà soát (nếu tệp không có cột Năm) / Review year, if the file has none", min_value=2000,
                       max_value=2100, value=None, step=1)
accept_valid = st.checkbox("Nạp các dòng hợp lệ, bỏ qua dòng lỗi / Load the valid rows, reject the others")

if uploads:
    cursor = connection().cursor()
    try:
        checked = [ingest.check(u.getvalue(), u.name, cursor, int(year) if year else None) for u in uploads]
    finally:
        cursor.close()
    for item in checked:
        st.subheader(item.name)
        st.caption(f"{item.rows_read:,} dòng / rows; {len(item.problems):,} lỗi / problems")
        for note in item.notes:
            st.caption(note)
        if not item.problems.empty:
            st.dataframe(item.problems, hide_index=True, width="stretch")
            st.download_button("Tải các dòng bị loại / Download the rejected rows",
                               item.rejected.to_csv(index=False).encode("utf-8-sig"),
                               f"{item.name.rsplit('.', 1)[0]}.rejected.csv", mime="text/csv",
                               key=f"rejected-{item.sha256}")
    loadable = [c for c in checked if not c.fatal and (c.ok or accept_valid)]
    if loadable and st.button(f"Nạp {len(loadable)} tệp / Load {len(loadable)} file(s)", type="primary"):
        # The app's cached read-only connection keeps DuckDB from opening the file for writing: release it first.
        connection().close()
        clear_caches()
        con = duckdb.connect(str(db_path()))
        try:
            results = [ingest.load(con, c, accept_valid) for c in loadable]
        finally:
            con.close()
        clear_caches()
        st.cache_data.clear()
        for result in results:
            st.success("\n\n".join(ingest.summary_lines(result)))
