"""`python -m data.build`: build the warehouse with the demo panel as a new version, and print a summary.

    python -m data.build [--households N] [--seed S] [--db PATH] [--if-stale]

The build writes a fresh version beside the current one under the warehouse's write lock (`data.warehouse.writing`)
and switches to it when complete: a dashboard serving the warehouse keeps answering from the current version and
moves to the new one on its next query; a failed or killed build leaves the current version as it was. Another
import or build holding the lock is waited for (`POVERTY_WRITE_WAIT_S`, default 300 s), then the build gives up
with exit code 2.

Memory: the panel is generated and inserted in chunks of `demo.DEFAULT_CHUNK_ROWS` rows, with compact arrays of
≈ 130 bytes a household created (≈ 3 GB at 100×, plus transients); meanwhile DuckDB, which only appends, is held
to 2 GB. The classification that follows (the generator freed) may use `POVERTY_BUILD_MEMORY` (default 7GB);
beyond either limit DuckDB spills to `<version>.tmp` in the versions folder. Aimed at: the province at 100×
(`--households 22600000`) in under 12 GB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from data import demo
from data.units import CURRENT, FORMER, load_units
from data.warehouse import (
    REFERENCE_DIR,
    WarehouseBusy,
    absolute,
    connect_readonly,
    create_schema,
    db_path,
    insert_frame,
    load_reference,
    refresh_classified,
    write_lock,
    writing,
)

MEMORY_ENV = "POVERTY_BUILD_MEMORY"  # DuckDB's memory limit for the classification step of a build, e.g. 7GB
DEFAULT_MEMORY = "7GB"
INSERT_MEMORY = "2GB"  # DuckDB's limit while the panel is generated and appended (at most POVERTY_BUILD_MEMORY)
BUSY = "error: another import or build is writing the warehouse; try again when it has finished"

SUMMARY_SQL = """
SELECT year,
       count(*) AS households,
       round(100.0 * count(*) FILTER (status = 'poor') / count(*), 2) AS poor_rate,
       round(100.0 * count(*) FILTER (status = 'near_poor') / count(*), 2) AS near_poor_rate
FROM classified GROUP BY year ORDER BY year
"""


def inputs_digest(reference_dir: Path = REFERENCE_DIR) -> str:
    """SHA-256 over what decides a demo warehouse's content: schema, generator, build code and reference data.

    Stored in `meta` as `build_inputs`, so a cached warehouse (benchmarks) can tell it is out of date.
    """
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in [here / "schema.sql", here / "demo.py", here / "build.py", here / "warehouse.py", here / "units.py",
                 here / "sql" / "transitions_of_year.sql", *sorted(reference_dir.glob("*.csv"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _limit_memory(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Bound DuckDB's memory on the build connection to `limit` (a DuckDB size, e.g. '7GB') and spill beside the
    new version (`<version>.tmp`, which DuckDB empties when the connection closes; a killed build's is cleared by the
    next writer)."""
    con.execute(f"SET memory_limit = '{limit}'")  # checked against a pattern: a size, never free text
    file = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.execute("SET temp_directory = $dir", {"dir": f"{file}.tmp"})


def _memory_limit() -> str:
    value = os.environ.get(MEMORY_ENV, "").strip() or DEFAULT_MEMORY
    if not _SIZE.fullmatch(value):
        raise ValueError(f"{MEMORY_ENV} must be a size such as 7GB or 6000MB, got {value!r}")
    return value


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", flags=re.IGNORECASE)
_UNITS = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def _bytes(size: str) -> float:
    number, unit = _SIZE.fullmatch(size).groups()
    return float(number) * _UNITS[unit.lower()]


def _log_year(log, year: int, counts: dict[str, int], started: float) -> None:
    log(f"  {year}: {counts['reviews']:,} reviews, {counts['households']:,} new households"
        f"  ({time.perf_counter() - started:.1f} s)")
    counts.update(households=0, reviews=0)


def build(path: Path, households: int = demo.DEFAULT_HOUSEHOLDS, seed: int = demo.DEFAULT_SEED,
          reference_dir: Path = REFERENCE_DIR, log=print, chunk_rows: int = demo.DEFAULT_CHUNK_ROWS) -> list[tuple]:
    """Write a fresh warehouse with the demo panel as the new version of the warehouse named `path`; return the
    per-year summary rows (year, households, poor %, near-poor %). Raises `WarehouseBusy` if another writer keeps
    the lock too long. `chunk_rows`: rows generated and inserted at a time (bounds memory; never changes the
    content)."""
    started = time.perf_counter()
    units = load_units()
    with writing(path, fresh=True, on_wait=lambda: log(_waiting())) as con:
        create_schema(con)
        load_reference(con, reference_dir, units)
        current_area = units.loc[units["unit_set"] == CURRENT, ["commune_code", "area"]].rename(
            columns={"commune_code": "current_code", "area": "current_area"})
        former = units[units["unit_set"] == FORMER].merge(current_area, on="current_code", how="left")
        log(f"  reference: {len(former)} former and {len(units) - len(former)} current units, standards, indicators,"
            " targets")
        years = [int(y) for y in pd.read_csv(reference_dir / "scenario.csv")["year"]]
        unit_sets = dict(con.execute("SELECT y, review_unit_set(y) FROM unnest($years) AS t(y)",
                                     {"years": years}).fetchall())
        # While generating, DuckDB only appends (little memory: the generator's arrays need the rest); the
        # classification then gets the whole limit (the generator is freed by then).
        limit = _memory_limit()
        _limit_memory(con, INSERT_MEMORY if _bytes(limit) > _bytes(INSERT_MEMORY) else limit)
        rows = demo.generate(former, households=households, seed=seed, reference_dir=reference_dir,
                             unit_sets=unit_sets, chunk_rows=chunk_rows)
        counts = {"households": 0, "reviews": 0}
        year = None
        for chunk in rows:  # each year's new households, then its reviews, in chunks with their household keys
            if chunk.year != year and year is not None:
                _log_year(log, year, counts, started)
            year = chunk.year
            insert_frame(con, "households" if chunk.table == "households" else "review_rows", chunk.frame)
            counts[chunk.table] += len(chunk.frame)
        _log_year(log, year, counts, started)
        del rows, chunk  # the generator's panel: freed before the classification runs
        # Appending chunk by chunk leaves blocks that auto-checkpoints rewrote; a checkpoint now lets the
        # classification's writes reuse them, so the finished version has none and needs no compacting copy.
        con.execute("CHECKPOINT")
        _limit_memory(con, limit)
        refresh_classified(con)
        log(f"  classified: stored ({time.perf_counter() - started:.1f} s)")
        insert_frame(con, "calibration", demo.Profile.load(former, reference_dir).scenario)
        insert_frame(con, "panel_events", demo.load_events(reference_dir))
        meta = {
            "dataset": "demo",
            "generator": "data.demo",
            "seed": str(seed),
            "households_requested": str(households),
            "build_inputs": inputs_digest(reference_dir),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        summary = con.execute(SUMMARY_SQL).fetchall()
    return summary


def _waiting() -> str:
    return "Another import or build is writing the warehouse: waiting for it to finish."


def staleness(path: Path, households: int, seed: int) -> tuple[bool, str]:
    """Whether the demo warehouse at `path` must be (re)built, and why (a sentence for the operator).

    Rebuilt: a missing or unreadable file, or a demo warehouse built from other inputs (`meta.build_inputs`,
    households, seed). A warehouse holding imported reviews (`meta.dataset` other than `demo`) is never rebuilt:
    that would drop its data.
    """
    if not path.exists():
        return True, f"No warehouse at {path}: building the demo warehouse."
    try:
        con = connect_readonly(path)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return True, f"The warehouse at {path} cannot be read: rebuilding the demo warehouse."
    if meta.get("dataset") != "demo":
        return False, (f"The warehouse at {path} holds imported reviews; it is kept as it is (if the app reports an "
                       "out-of-date schema, export the reviews with `python -m data.export`, rebuild, and import "
                       "them).")
    wanted = {"build_inputs": inputs_digest(), "households_requested": str(households), "seed": str(seed)}
    if any(meta.get(key) != value for key, value in wanted.items()):
        return True, f"The demo warehouse at {path} was built from other inputs: rebuilding it."
    return False, f"The demo warehouse at {path} is up to date."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.build", description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=demo.DEFAULT_HOUSEHOLDS,
                        help="households in the baseline review (default: %(default)s, the province)")
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument("--db", type=Path, default=None, help="warehouse file (default: $POVERTY_DB or "
                        "data/baclieu.duckdb)")
    parser.add_argument("--if-stale", action="store_true",
                        help="only build when the file is missing, or is a demo warehouse built from other inputs "
                             "(schema, generator or reference data changed); never replaces imported data")
    args = parser.parse_args(argv)
    path = absolute(args.db) if args.db else db_path()

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        # --if-stale decides and builds under one lock: an import cannot land between the two
        with write_lock(path, on_wait=lambda: log(_waiting())):
            if args.if_stale:
                rebuild, reason = staleness(path, args.households, args.seed)
                log(reason)
                if not rebuild:
                    return 0
            started = time.perf_counter()
            log(f"Building the demo warehouse at {path} ({args.households:,} households, seed {args.seed})")
            summary = build(path, args.households, args.seed, log=log)
    except WarehouseBusy:
        log(BUSY)
        return 2
    except ValueError as exc:
        log(f"error: {exc}")
        return 2
    print(f"Done in {time.perf_counter() - started:.1f} s; {path.stat().st_size / 1e6:.1f} MB")
    print(f"{'year':>4}  {'households':>10}  {'poor %':>7}  {'near-poor %':>11}")
    for year, n, poor, near in summary:
        print(f"{year:>4}  {n:>10,}  {poor:>7.2f}  {near:>11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
