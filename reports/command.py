"""What the reports' commands (`python -m reports.annual`, `python -m reports.brief`) share: opening the warehouse
read-only and writing the file, each failure said in the reader's language (no traceback, library or OS text)."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from data.warehouse import absolute, connect_readonly, db_path
from i18n import Translator


def open_warehouse(db: Path | None, tr: Translator) -> tuple[duckdb.DuckDBPyConnection, Path] | None:
    """A read-only connection to `db` (default: $POVERTY_DB or data/baclieu.duckdb) and its absolute path; None after
    printing why on stderr (`report.no_warehouse`: no such file; `report.not_warehouse`: not a DuckDB file, a folder,
    unreadable). The caller exits 2 on None."""
    path = absolute(db) if db else db_path()
    try:
        return connect_readonly(path), path
    except FileNotFoundError:
        print(tr("report.no_warehouse", path=path), file=sys.stderr)
    except (duckdb.Error, OSError):
        print(tr("report.not_warehouse", path=path), file=sys.stderr)
    return None


def write_file(out: Path, data: bytes, tr: Translator) -> bool:
    """Write `data` to `out`; False after printing `report.cannot_write` on stderr (a missing folder, no permission,
    a full disk). The caller exits 2 on False."""
    try:
        out.write_bytes(data)
    except OSError:
        print(tr("report.cannot_write", path=out), file=sys.stderr)
        return False
    return True


def folder_ready(out: Path, tr: Translator) -> bool:
    """Whether `out`'s folder exists, checked before any work (a brief takes seconds to draw before it is written);
    False after printing `report.cannot_write` on stderr. The caller exits 2 on False."""
    if out.parent.is_dir():
        return True
    print(tr("report.cannot_write", path=out), file=sys.stderr)
    return False
