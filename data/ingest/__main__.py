"""`python -m data.ingest`: load communes' annual review files (CSV or XLSX) into the warehouse, validated and atomic.

    python -m data.ingest FILE... [--year Y] [--db PATH] [--accept-valid] [--force] [--report CSV] [--lang vi|en]

Each review year is read in the units in force at its review (`review_unit_set`): the 64 former communes up to 2024,
the 25 current communes and wards from 2025 (`data.ingest.places`). A former unit in a current-set year is read as the
current unit it lies in whole (with a note), a current unit in a former-set year is an error naming the former units it
was formed from; the summary says which unit set each year used.

Each file is one import: read, validated against the warehouse (units, standards, households already stored), then
written in one DuckDB transaction (households inserted or their ethnicity updated, reviews upserted on
(household_id, year), one `imports` row per year, `meta` updated) — or not at all. A file with any problem loads
nothing unless `--accept-valid` is given; then its valid rows load and the rejected ones are written, with reasons,
to `<file>.rejected.csv` beside it. Re-importing a file already loaded (same SHA-256) is skipped; `--force` loads it
again (the result is the same rows). Columns with personal data (names, ID numbers, addresses, phones) are never
read: only their headers are seen, and only the header is ever reported.

The report (each problem's file, row, column, value and expectation), the notes, the summary and the rejected rows'
reasons are in Vietnamese by default, in English with `--lang en`. Validation records each expectation as a
`data.ingest.messages.Message` (a key of `i18n.TEXT` and its values) and keeps it written in both languages;
`report(problems, lang)` picks one, `Checked.rejected_rows(lang)` gives the rejected rows with reasons in one.

All files of one command are checked and loaded inside one write lock, on one new version of the warehouse
(`data.warehouse.writing`): a dashboard serving the warehouse keeps answering from the current version and moves to
the new one on its next query, and what was checked is what is loaded. While another import or a build writes, the
command says so and waits (`POVERTY_WRITE_WAIT_S`, default 300 s), then gives up with exit code 2.

Library use (the import page): `check(data, name, con, year)` → `Checked` (the validation report, nothing written);
`load(con, checked, accept_valid)` → `ImportResult`; `import_file(path, db, …)` does both on a file.
"""


from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from data.cells import csv_bytes
from data.ingest.load import WROTE, Context, fill_empty, has_schema, import_file
from data.ingest.messages import LANGS
from data.ingest.report import PROBLEM_COLUMNS, _format_problems, header_lines, needs_review, report, summary_lines
from data.warehouse import NothingWritten, WarehouseBusy, absolute, db_path, writing
from i18n import Translator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="review files (.csv or .xlsx)")
    parser.add_argument("--year", type=int, help="the review year, for files without a year column (Năm)")
    parser.add_argument("--db", type=Path, help="warehouse (default: $POVERTY_DB or data/baclieu.duckdb); "
                        "created with the schema and reference data if missing")
    parser.add_argument("--accept-valid", action="store_true", help="load the valid rows of a file with problems "
                        "and write the rejected ones, with reasons, to FILE.rejected.csv beside it")
    parser.add_argument("--force", action="store_true", help="load a file again even if it was already imported")
    parser.add_argument("--report", type=Path, help="write every problem found to this CSV file")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="language of the report, the summary and the "
                        "rejected rows' reasons: vi (Vietnamese, the default) or en (English)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    path = absolute(args.db) if args.db else db_path()
    tr = Translator(args.lang)
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    results = []
    try:
        with writing(path, on_wait=lambda: log(tr("ingest.waiting"))) as con:
            created = not has_schema(con)
            if created:  # decided under the lock: two commands never both create the warehouse
                log(f"No warehouse at {path}: creating one with the schema and reference data only")
                fill_empty(con)
            con.execute("SET enable_progress_bar = false")  # the summary says what happened; no bar in the report
            context = Context.of(con)
            for file in args.files:
                log(f"Importing {file}")
                results.append(import_file(file, con, args.year, args.accept_valid, args.force, log, context,
                                           args.lang))
            if not created and not any(r.status in WROTE for r in results):
                raise NothingWritten  # every file refused or already loaded: the current version stays current
    except WarehouseBusy:
        print(tr("ingest.busy"), file=sys.stderr)
        return 2
    problems = pd.concat([r.problems for r in results], ignore_index=True)
    if args.report is not None:
        written = report(problems, args.lang)
        written = written.rename(columns={c: tr(f"col.{c}") for c in PROBLEM_COLUMNS})
        args.report.write_bytes(csv_bytes(written))  # values as written: never a live formula
    for result in results:
        if not result.problems.empty:
            print(tr("ingest.problem_count", file=result.name, n=tr.num(len(result.problems)))
                  + (tr("ingest.nothing_loaded") if result.status == "rejected" else ""))
            print("\n".join(_format_problems(result.problems, 50, args.lang)))
        if needs_review(result.headers):  # a header read by similarity: show how every header was read
            print("\n".join(header_lines(result.name, result.headers, args.lang)))
        print("\n".join(summary_lines(result, args.lang)))
    return 1 if not problems.empty else 0


if __name__ == "__main__":
    raise SystemExit(main())
