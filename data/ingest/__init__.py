"""The importer: communes' annual review files (CSV or XLSX) into the warehouse, validated and atomic.

    python -m data.ingest FILE... [--year Y] [--db PATH] [--accept-valid] [--force] [--report CSV] [--lang vi|en]

Each file is one import: read (`read`), normalised and validated against the warehouse (`normalise`, `validate`:
units, standards, households already stored), then written in one DuckDB transaction (`load`) — or not at all. The
report and the summary (`report`) are in Vietnamese or English; their wording is in `i18n.TEXT` (keys `ingest.*`),
kept as `messages.Message` values until written. `__main__` is the command.

Library use (the import page): `check(data, name, con, year)` → `Checked` (the validation report, nothing written);
`load(con, checked, accept_valid)` → `ImportResult`; `import_file(path, con, …)` does both on a file.
"""

from data.ingest.load import HOLD_ENV, WROTE, ImportResult, create_empty, import_file, load, rejected_path, year_rates
from data.ingest.read import FileError, Raw, read_raw
from data.ingest.report import header_table, needs_review, report, summary_lines, units_lines
from data.ingest.validate import PROBLEM_COLUMNS, STORED_PROBLEM_COLUMNS, Checked, Context, check

__all__ = [
    "HOLD_ENV", "PROBLEM_COLUMNS", "STORED_PROBLEM_COLUMNS", "WROTE", "Checked", "Context", "FileError", "ImportResult",
    "Raw",
    "check", "create_empty", "header_table", "import_file", "load", "needs_review", "read_raw", "rejected_path",
    "report", "summary_lines", "units_lines", "year_rates",
]
