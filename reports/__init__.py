"""Reports written from the warehouse as files: the annual report workbook (`reports.annual`).

This floor sits beside `queries` (it may import `queries`, `data` and `i18n`, never `dashboard` or Streamlit), so the
command runs it on its own read-only connection and the dashboard calls it through `queries.runner.run`.
"""
