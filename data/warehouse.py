"""The DuckDB warehouse: where it lives, its versions, its schema, and the reference data every build loads.

Versions. `db_path()` ($POVERTY_DB, default `data/baclieu.duckdb`) is the name everyone uses; it is a symbolic link
to the current version, a file in the sibling folder `<name>.versions/` (`baclieu.duckdb.versions/v000042.duckdb`).
A version never changes once it is current: every writer (the import page, `python -m data.ingest`,
`python -m data.build`) goes through `writing()`, which

1. takes an exclusive `fcntl.flock` on the sidecar `<name>.lock` (one writer at a time, across processes and
   threads; a second writer waits up to `POVERTY_WRITE_WAIT_S` seconds, default 300, then gets `WarehouseBusy`);
2. copies the current version to a new file in the versions folder (or starts an empty one: `fresh=True`, the
   build), opens it read-write and hands over the connection;
3. when the block ends: CHECKPOINT; when the file then has free blocks (space of rows deleted or rewritten, which
   DuckDB never returns: a copy of the current version carries them forward), a compacted copy is written beside it
   (`compact_copy`) and used instead; close, fsync, rename to the next `vNNNNNN.duckdb`, and switch the link in one
   `os.replace` (a new link made beside it replaces the old one); then deletes versions older than the previous one.

If the block fails (or the process dies) the new file is deleted (by the next writer, for a killed process) and the
current version is untouched. Readers never take the lock and never see a half-written file: `current_version()`
is one stat (what the link points to, its inode and mtime), so a reader opens the new version read-only when it
changed and finishes its running queries on the old one (an open file keeps working after it is deleted, on Linux);
a reader whose just-resolved version was deleted before it opened it resolves again (`open_current`). A plain file
at $POVERTY_DB (a warehouse from before versions) is moved into the folder by its first writer with a hard link and
the link switch, so the name is never missing. Deployments share the folder holding $POVERTY_DB (the link, the
versions folder and the lock file), never the file alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd

from data.sqlfiles import DATA_SQL_DIR, read_sql
from data.units import UNIT_COLUMNS, load_crosswalk, load_units

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "baclieu.duckdb"
SCHEMA = Path(__file__).parent / "schema.sql"
REFERENCE_DIR = Path(__file__).parent / "reference"
WAIT_ENV = "POVERTY_WRITE_WAIT_S"  # seconds a writer waits for another one before `WarehouseBusy`
DEFAULT_WAIT_S = 300.0
KEEP_PREVIOUS = 1  # versions kept before the current one (for readers about to open it); older ones are deleted
_VERSION = re.compile(r"^v(\d{6,})\.duckdb$")
_NEW_PREFIX = "new-"  # a version being written; a leftover from a killed writer is deleted by the next one
_OPEN_ATTEMPTS = 5
COMPACT_FREE_SHARE = 0.05  # a version whose free blocks exceed this share of its blocks is compacted (`compact_copy`)


def absolute(path: Path) -> Path:
    """`path` made absolute with its folder resolved but its own name kept: the warehouse's name may be a symbolic
    link to the current version, and resolving it would name one version instead of the warehouse."""
    path = path.expanduser()
    return path.parent.resolve() / path.name


def db_path() -> Path:
    """The warehouse's name: `POVERTY_DB` if set, else `data/baclieu.duckdb` in the checkout (`absolute`).

    Resolved once per value of `POVERTY_DB` (and working folder, for a relative one): every query asks (issue 9)."""
    value = os.environ.get("POVERTY_DB")
    if not value:
        return DEFAULT_DB
    return _absolute(value, "" if os.path.isabs(os.path.expanduser(value)) else os.getcwd())


@functools.lru_cache(maxsize=16)
def _absolute(value: str, cwd: str) -> Path:
    return absolute(Path(value))


def versions_dir(path: Path | None = None) -> Path:
    """The folder holding the versions of the warehouse named `path` (default `db_path()`): `<name>.versions`."""
    path = path or db_path()
    return path.with_name(f"{path.name}.versions")


def lock_path(path: Path | None = None) -> Path:
    """The sidecar file writers lock (`fcntl.flock`): `<name>.lock`. Created by the first writer, never deleted."""
    path = path or db_path()
    return path.with_name(f"{path.name}.lock")


class Version(NamedTuple):
    """Which file the warehouse's name points to: readers compare it to the one they have open (equal means the
    same content) and caches key on it. For a plain file (no versions yet) `file` is the name itself."""

    file: str  # the resolved path of the current version
    inode: int
    mtime_ns: int


class WarehouseBusy(RuntimeError):
    """Another writer held the warehouse's lock for longer than the wait allowed (`POVERTY_WRITE_WAIT_S`)."""


class NothingWritten(Exception):  # noqa: N818 (a signal, not an error)
    """Raised inside `new_version()` / `writing()` by a writer that changed nothing (every file refused or already
    loaded): the new version is discarded like a failed one and the current version stays current (viewers keep
    their caches and connections); the exception ends there (the `with` block is left normally)."""


def _realpath(path: str) -> str:
    """`os.path.realpath(path)` for the warehouse's name in a few system calls (readers ask before every query):
    the link is read once and the folder it points into resolved once per process (folders do not move while
    serving); a plain file, or a link to a link, is resolved in full."""
    try:
        target = os.readlink(path)
    except OSError:  # not a link: a plain file, or nothing
        return os.path.realpath(path)
    joined = os.path.join(os.path.dirname(path), target)
    if os.path.islink(joined):
        return os.path.realpath(path)
    return os.path.join(_real_folder(os.path.dirname(joined)), os.path.basename(joined))


@functools.lru_cache(maxsize=64)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def current_version(path: Path | None = None) -> Version:
    """The version the warehouse's name points to now: a `realpath` and a `stat`, no file opened.

    Raises `FileNotFoundError` when there is no warehouse.
    """
    path = path or db_path()
    for attempt in range(_OPEN_ATTEMPTS):
        real = _realpath(str(path))
        try:
            st = os.stat(real)
        except FileNotFoundError:  # switched and pruned between the two calls: resolve again
            if attempt == _OPEN_ATTEMPTS - 1 or not os.path.lexists(path):
                break
            continue
        return Version(real, st.st_ino, st.st_mtime_ns)
    raise FileNotFoundError(f"no warehouse at {path}: build it with `python -m data.build`")


def open_current(path: Path | None = None) -> tuple[duckdb.DuckDBPyConnection, Version]:
    """A read-only connection to the current version and that version.

    The connection is to the version's own file, so it keeps reading that version after a writer switches the name
    to a newer one. A version deleted between resolving and opening (two writers committed in between) is resolved
    again.
    """
    path = path or db_path()
    for attempt in range(_OPEN_ATTEMPTS):
        version = current_version(path)
        try:
            return duckdb.connect(version.file, read_only=True), version
        except duckdb.IOException:
            if os.path.exists(version.file) or attempt == _OPEN_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def connect_readonly(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current version of the warehouse named `path` (default `db_path()`)."""
    return open_current(path)[0]


# Locks this process holds, by lock file and thread: `write_lock` is re-entrant within a thread (`--if-stale` decides
# and builds under one lock), while two threads (two sessions of the app) exclude each other like two processes.
_held: dict[tuple[str, int], int] = {}
_held_guard = threading.Lock()


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, "") or DEFAULT_WAIT_S))
    except ValueError:
        return DEFAULT_WAIT_S


@contextmanager
def write_lock(path: Path | None = None, wait: float | None = None,
               on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the warehouse's write lock for the block: one writer at a time, across processes and threads.

    Tries once without waiting; if another writer holds it, calls `on_wait()` (say that you wait) and polls until
    it is free, for at most `wait` seconds (default `POVERTY_WRITE_WAIT_S`, 300; 0 refuses at once), then raises
    `WarehouseBusy`. Re-entrant within one thread. The kernel releases the lock of a process that dies.
    """
    path = path or db_path()
    lock = lock_path(path)
    key = (str(lock), threading.get_ident())
    with _held_guard:
        if key in _held:
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        if not _try_lock(fd):
            if on_wait is not None:
                on_wait()
            deadline = time.monotonic() + (_wait_seconds() if wait is None else wait)
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise WarehouseBusy("another import or build is writing the warehouse")
                time.sleep(0.1)
        with _held_guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holds_lock(path: Path) -> bool:
    with _held_guard:
        return (str(lock_path(path)), threading.get_ident()) in _held


@contextmanager
def new_version(path: Path | None = None, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a new version, made current when the block ends; needs `write_lock` held.

    The new version starts as a copy of the current one, or empty with `fresh=True` or when there is no warehouse
    yet (the caller fills it). On success: CHECKPOINT, a compacted copy when the file has free blocks
    (`compact_copy`), close, fsync, then the atomic switch and the pruning of old versions. On any exception the new
    files are deleted and the current version stays as it was (a killed writer's are deleted by the next one);
    `NothingWritten` raised in the block does the same and is not raised further.
    """
    path = path or db_path()
    if not _holds_lock(path):
        raise RuntimeError("new_version() needs write_lock() held: use writing()")
    folder = versions_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(f"{_NEW_PREFIX}*"):  # from a killed writer: no writer runs while we hold the lock
        if leftover.is_dir() and not leftover.is_symlink():  # DuckDB's spill folder, `<version>.tmp`
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    _adopt_plain_file(path, folder)
    number = _next_number(folder)
    tmp = folder / f"{_NEW_PREFIX}v{number:06d}.duckdb"
    compact = folder / f"{_NEW_PREFIX}v{number:06d}-compact.duckdb"
    written = [tmp, compact]
    written += [Path(f"{p}.wal") for p in written]
    try:
        if not fresh and path.exists():
            current = Path(current_version(path).file)
            shutil.copyfile(current, tmp)
            if Path(f"{current}.wal").exists():  # only a plain file written by older code can have one
                shutil.copyfile(f"{current}.wal", f"{tmp}.wal")
        con = duckdb.connect(str(tmp))
        try:
            yield con
            con.execute("CHECKPOINT")
            done = compact if compact_copy(con, compact) else tmp
        finally:
            con.close()
        _fsync(done)
        final = folder / f"v{number:06d}.duckdb"
        os.replace(done, final)
        _fsync(folder)
        _point(path, final)
    except BaseException as exc:
        for leftover in written:
            leftover.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: a first build that failed leaves no folder behind
        if isinstance(exc, NothingWritten):
            return
        raise
    tmp.unlink(missing_ok=True)  # the version before compaction, when there was one
    _prune(folder, number)


def free_blocks(con: duckdb.DuckDBPyConnection) -> int:
    """Blocks of the database file on `con` that hold nothing (left by deleted or rewritten rows; DuckDB reuses them
    for later writes but never gives them back to the file system). After a CHECKPOINT, for a version on disk."""
    return int(con.execute("SELECT free_blocks FROM pragma_database_size() "
                           "WHERE database_name = current_database()").fetchall()[0][0])


def compact_copy(con: duckdb.DuckDBPyConnection, target: Path) -> bool:
    """When more than `COMPACT_FREE_SHARE` of the checkpointed database's blocks on `con` are free (`free_blocks`),
    write a copy of it without them to `target` (`COPY FROM DATABASE`: every table in its row order, view and macro)
    and return True; return False and write nothing otherwise (a fresh build has none; the 100× build kept a few,
    and copying them away took 8 minutes for no gain). Takes about as long as reading and writing the file once."""
    total = int(con.execute("SELECT total_blocks FROM pragma_database_size() "
                            "WHERE database_name = current_database()").fetchall()[0][0])
    if free_blocks(con) <= COMPACT_FREE_SHARE * total:
        return False
    source = con.execute("SELECT current_database()").fetchall()[0][0]
    quoted = str(target).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS compacted")  # our own path in the versions folder, never user input
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO compacted')  # the version's own name, as DuckDB gives it
        con.execute("CHECKPOINT compacted")
    finally:
        con.execute("DETACH compacted")
    return True


@contextmanager
def writing(path: Path | None = None, *, fresh: bool = False, wait: float | None = None,
            on_wait: Callable[[], None] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """`write_lock` + `new_version`: the one way to change the warehouse.

        with writing() as con:          # a copy of the current version, read-write
            ingest.load(con, checked)    # readers still see the current version
        # here the new version is current; an exception in the block leaves everything as it was

    Raises `WarehouseBusy` if another writer keeps the lock longer than `wait` seconds (`write_lock`).
    """
    path = path or db_path()
    with write_lock(path, wait, on_wait), new_version(path, fresh) as con:
        yield con


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := _VERSION.match(p.name))]
    return max(numbers, default=0) + 1


def _adopt_plain_file(path: Path, folder: Path) -> None:
    """Move a plain warehouse file into the versions folder without a moment where its name is missing: a hard link
    as the first version (a copy where the file system has none), then the name switched to a link to it."""
    if path.is_symlink() or not path.exists():
        return
    first = folder / f"v{_next_number(folder):06d}.duckdb"
    for source, target in ((Path(f"{path}.wal"), Path(f"{first}.wal")), (path, first)):
        if source.exists():
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    _fsync(folder)
    _point(path, first)
    Path(f"{path}.wal").unlink(missing_ok=True)


def _point(path: Path, target: Path) -> None:
    """Make `path` a symbolic link to `target` (relative, so the folder can be moved or mounted elsewhere) in one
    atomic `os.replace`: a reader finds the old version or the new one, never nothing."""
    link = path.with_name(f".{path.name}.link-{os.getpid()}-{threading.get_ident()}")
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(target, path.parent), link)
    os.replace(link, path)
    _fsync(path.parent)


def _prune(folder: Path, current: int) -> None:
    """Delete the versions older than the `KEEP_PREVIOUS` before `current` (readers that have one open keep
    reading it: the file lives on until they close it)."""
    older = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := _VERSION.match(p.name)))
    below = [p for number, p in older if number < current]
    doomed = below[:-KEEP_PREVIOUS] if KEEP_PREVIOUS else below
    doomed += [p for number, p in older if number > current]  # never current: a writer killed before its switch
    for version in doomed:
        version.unlink(missing_ok=True)
        Path(f"{version}.wal").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def schema_digest() -> str:
    """SHA-256 of `schema.sql`: stored in `meta` as `schema` by `create_schema`, so the app can tell a warehouse made
    by an older version (other tables, views or macro signatures) from a current one. Read again only when the
    file's size or modification time changed (the app asks on every script run)."""
    stat = SCHEMA.stat()
    return _digest(str(SCHEMA), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the contract's tables, views and macros, and record which schema made them (`meta.schema`)."""
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema', $digest)", {"digest": schema_digest()})


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR,
                   units: pd.DataFrame | None = None) -> None:
    """Fill `unit_sets`, `units` (both sets), `unit_crosswalk`, `standards`, `indicators`, `targets` and `settings`
    from `vietnamadminunits` and the files in `reference_dir`. `units`: both sets as `data.units.load_units` gives
    them (read again when None)."""
    units = load_units() if units is None else units
    insert_frame(con, "unit_sets", pd.read_csv(reference_dir / "unit_sets.csv", dtype=str,
                                               keep_default_na=False).replace({"": None}))
    insert_frame(con, "units", units[UNIT_COLUMNS])
    insert_frame(con, "unit_crosswalk", load_crosswalk())
    standards = pd.read_csv(reference_dir / "standards.csv")
    indicators = pd.read_csv(reference_dir / "indicators.csv").sort_values(["standard_id", "position"])
    missing = set(standards["standard_id"]) - set(indicators["standard_id"])
    if missing:
        raise ValueError(f"indicators.csv lists no indicators for standard(s) {sorted(missing)}")
    lists = indicators.groupby("standard_id", sort=False)["indicator"].agg(list)
    insert_frame(con, "standards", standards.assign(indicators=standards["standard_id"].map(lists)))
    _check_standards_do_not_overlap(con)
    insert_frame(con, "indicators", indicators)
    insert_frame(con, "targets", pd.read_csv(reference_dir / "targets.csv"))
    insert_frame(con, "settings", pd.read_csv(reference_dir / "settings.csv"))


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append `frame` to `table`, matching columns by name (`table` is one of the schema's, never user input)."""
    view = f"_frame_{table}"
    con.register(view, frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)


def _check_standards_do_not_overlap(con: duckdb.DuckDBPyConnection) -> None:
    clash = con.execute(
        """SELECT a.standard_id, b.standard_id FROM standards a JOIN standards b
           ON a.standard_id < b.standard_id AND a.first_year <= b.last_year AND b.first_year <= a.last_year"""
    ).fetchall()
    if clash:
        raise ValueError(f"standards in force in the same year: {clash}; each year needs exactly one standard")


def refresh_classified(con: duckdb.DuckDBPyConnection, years: Sequence[int] | None = None) -> None:
    """Recompute the stored classification (`classified_rows`) from the rule (`classified_live`), its sums
    (`classified_cells`, for the same years and every year when the baseline year is among them), and the stored
    passages between reviews (`transitions_rows` from `transitions_live`) from the earliest of `years` on (a
    passage depends on every earlier review). Both are keyed on `household_key` and written in order of year, unit
    and household key (which compresses well). The passages summed into cells (`transition_cells`, what the flow
    queries read) follow `transitions_rows` for the same years.

    `years=None` recomputes every year; otherwise only those years. Call it inside the transaction that changed
    `review_rows`, `households` or `standards`, so readers never see reviews and their classes out of step.
    """
    stored = [int(y) for (y,) in con.execute("SELECT DISTINCT year FROM review_rows ORDER BY year").fetchall()]
    touched = stored if years is None else sorted({int(y) for y in years})
    if years is None:
        con.execute("DELETE FROM classified_rows")
    else:
        con.execute("DELETE FROM classified_rows WHERE list_contains($years, year)", {"years": touched})
    # year by year, in the same order as one ORDER BY year, …: a sort of one year fits in memory at 100× where one
    # sort of every review spills (the build's memory limit, data/build.py)
    for year in touched:
        con.execute("INSERT INTO classified_rows SELECT * FROM classified_live WHERE year = $year "
                    "ORDER BY district_code, commune_code, household_key", {"year": year})
    _refresh_cells(con, None if years is None else touched)
    since = touched[0] if touched else None
    con.execute("DELETE FROM transitions_rows WHERE $since IS NULL OR year >= $since", {"since": since})
    # year by year too (data/sql/transitions_of_year.sql): one window and full join over every review spilled past
    # the limit at 100×; the same rows in the same order as `transitions_live` (tests compare them)
    pairs = con.execute("SELECT DISTINCT year FROM classified_rows AS y WHERE ($since IS NULL OR year >= $since) "
                        "AND EXISTS (SELECT 1 FROM classified_rows AS p WHERE p.year = y.year - 1) ORDER BY year",
                        {"since": since}).fetchall()
    for (year,) in pairs:
        con.execute("INSERT INTO transitions_rows BY NAME " + read_sql(DATA_SQL_DIR, "transitions_of_year"),
                    {"year": year})
    con.execute("DELETE FROM transition_cells WHERE $since IS NULL OR year >= $since", {"since": since})
    con.execute(_TRANSITION_CELLS, {"since": since})


# `transition_cells` from `transitions_rows` (data/schema.sql): the passages of the years from $since on (NULL: every
# year), one row per combination of the columns `flow_cells` reads.
_TRANSITION_CELLS = """
INSERT INTO transition_cells
SELECT year, commune_code, district_code, current_code, ethnicity, start_status, end_status, start_area, end_area,
       poor_before, poor_or_near_poor_before, end_d_health_insurance,
       count(*) AS households, sum(start_members) AS start_members, sum(end_members) AS end_members
FROM transitions_rows
WHERE $since IS NULL OR year >= $since
GROUP BY ALL
ORDER BY year, current_code, commune_code, ethnicity, start_status, end_status
"""


def _refresh_cells(con: duckdb.DuckDBPyConnection, years: list[int] | None) -> None:
    """Re-sum `classified_cells` from `classified_rows` for `years` (None: every year) with one GROUP BY
    (`classified_cells_live` in data/schema.sql). Every year's `baseline_status` / `baseline_area` is read from the
    baseline year's reviews, so a refresh that touches the baseline year re-sums every year."""
    if years is not None:
        baseline = con.execute("SELECT plan_baseline_year()").fetchone()[0]
        if baseline in years:
            years = None
    if years is None:
        con.execute("DELETE FROM classified_cells")
    else:
        con.execute("DELETE FROM classified_cells WHERE list_contains($years, year)", {"years": years})
    con.execute("INSERT INTO classified_cells SELECT * FROM classified_cells_live($years) "
                "ORDER BY year, district_code, commune_code, current_code, area, ethnicity, status, social_protection, "
                "baseline_status, baseline_area",
                {"years": years})


EXAMPLES = 3  # household codes (or keys) an integrity problem names as examples
_INTEGRITY_SENTENCES = {
    "household_key_twice": "{broken} household key(s) are given to more than one household (keys {examples})",
    "household_id_twice": "{broken} household code(s) appear on more than one household (codes {examples})",
    "review_twice": "{broken} (household, year) pair(s) have more than one review (households {examples})",
    "review_no_household": "{broken} review(s) name a household key that households does not hold "
                           "(keys {examples})",
}


def integrity_breaks(con: duckdb.DuckDBPyConnection,
                     years: Sequence[int] | None = None) -> list[tuple[str, int, list[str]]]:
    """The broken rules of `integrity_problems` as data: (rule, how many households or reviews break it, up to
    `EXAMPLES` household codes or keys `#123`), one per broken rule, in the order of
    data/sql/integrity_problems.sql (rules `household_key_twice`, `household_id_twice`, `review_twice`,
    `review_no_household`); empty when the warehouse is sound. The importer words them in the reader's language."""
    params = {"years": None if years is None else sorted({int(y) for y in years}), "n": EXAMPLES}
    rows = con.execute(read_sql(DATA_SQL_DIR, "integrity_problems"), params).fetchall()
    return [(str(rule), int(broken), [str(e) for e in examples]) for rule, broken, examples in rows if broken]


def integrity_problems(con: duckdb.DuckDBPyConnection, years: Sequence[int] | None = None) -> list[str]:
    """What breaks the rules the schema states but does not declare (no PRIMARY KEY or REFERENCES on the large
    tables, data/schema.sql): one English sentence per broken rule, with how many households or reviews break it and
    up to `EXAMPLES` household codes (or keys `#123`, for a household that is missing); empty when the warehouse is
    sound.

    Rules (data/sql/integrity_problems.sql): `households.household_key` unique, `households.household_id` unique,
    one `review_rows` row per (household_key, year), and every review's household in `households`. `years`: check the
    reviews of those years only (an import checks the years it wrote; households are always checked in full); None
    checks every year. The importer calls it inside its transaction and refuses the load when the list is not empty.
    """
    return [_INTEGRITY_SENTENCES[rule].format(broken=f"{broken:,}", examples=", ".join(examples))
            for rule, broken, examples in integrity_breaks(con, years)]
