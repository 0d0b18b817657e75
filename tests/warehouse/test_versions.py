"""Warehouse versions (data.warehouse): every write makes a new version and switches the warehouse's name to it in one
step; a failed write changes nothing; one writer at a time across processes; a plain file is adopted without its
name ever missing; readers (queries.runner) follow the newest version without an error."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from data.build import build
from data.warehouse import (
    ROOT,
    NothingWritten,
    WarehouseBusy,
    current_version,
    free_blocks,
    lock_path,
    versions_dir,
    write_lock,
    writing,
)
from tests.warehouse.locking import hold_lock

LIVENESS = 120  # seconds: a bound for waits on conditions, never a measure of speed


def _values(path: Path) -> list[int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [v for (v,) in con.execute("SELECT v FROM t ORDER BY v").fetchall()]
    finally:
        con.close()


def _add(path: Path, value: int) -> None:
    with writing(path) as con:
        con.execute("INSERT INTO t VALUES ($v)", {"v": value})


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A warehouse name whose first version holds table t = [1]."""
    path = tmp_path / "w.duckdb"
    with writing(path, fresh=True) as con:
        con.execute("CREATE TABLE t (v INTEGER)")
        con.execute("INSERT INTO t VALUES (1)")
    return path


def _versions(path: Path) -> list[str]:
    return sorted(p.name for p in versions_dir(path).iterdir())


def test_each_write_is_a_new_version_and_the_name_points_to_it(tiny: Path) -> None:
    assert tiny.is_symlink() and os.readlink(tiny) == "w.duckdb.versions/v000001.duckdb"  # relative: movable
    first = current_version(tiny)
    assert first.file == str(versions_dir(tiny) / "v000001.duckdb")
    reader = duckdb.connect(first.file, read_only=True)  # a reader on version 1, as queries.runner holds one
    try:
        _add(tiny, 2)
        assert current_version(tiny).file.endswith("v000002.duckdb") and _values(tiny) == [1, 2]
        assert _versions(tiny) == ["v000001.duckdb", "v000002.duckdb"]  # the previous one is kept
        _add(tiny, 3)
        assert _values(tiny) == [1, 2, 3]
        assert _versions(tiny) == ["v000002.duckdb", "v000003.duckdb"]  # older ones deleted
        # the reader opened before keeps reading its version, though the file is gone from the folder
        assert [v for (v,) in reader.execute("SELECT v FROM t").fetchall()] == [1]
    finally:
        reader.close()
    assert lock_path(tiny).exists() and not list(tiny.parent.glob(".w.duckdb.link-*"))


def test_a_failed_write_leaves_the_current_version_untouched(tiny: Path) -> None:
    before = current_version(tiny)
    with pytest.raises(ZeroDivisionError), writing(tiny) as con:
        con.execute("INSERT INTO t VALUES (99)")
        raise ZeroDivisionError  # anything failing inside the block
    assert current_version(tiny) == before and _values(tiny) == [1]
    assert _versions(tiny) == ["v000001.duckdb"]  # the new file is deleted
    _add(tiny, 2)  # and the next write works as usual
    assert _values(tiny) == [1, 2]


def test_a_write_that_changed_nothing_is_discarded_without_an_error(tiny: Path) -> None:
    before = current_version(tiny)
    with writing(tiny) as con:
        con.execute("INSERT INTO t VALUES (99)")  # undone: the writer says it wrote nothing
        raise NothingWritten
    assert current_version(tiny) == before and _values(tiny) == [1]
    assert _versions(tiny) == ["v000001.duckdb"]
    _add(tiny, 2)
    assert _values(tiny) == [1, 2]


def test_a_write_killed_midway_changes_nothing_and_the_next_write_clears_its_file(tiny: Path) -> None:
    script = ("import sys, time\nfrom pathlib import Path\nfrom data.warehouse import writing\n"
              "with writing(Path(sys.argv[1])) as con:\n"
              "    con.execute('INSERT INTO t VALUES (7)'); print('inside', flush=True); time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(tiny)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside"
        assert sorted(p.name for p in versions_dir(tiny).glob("new-*")) == ["new-v000002.duckdb",
                                                                           "new-v000002.duckdb.wal"]
    finally:
        proc.kill()
        proc.wait()
    assert _values(tiny) == [1]  # the kernel released its lock; its file is left behind …
    _add(tiny, 2)  # … and deleted by the next writer
    assert _values(tiny) == [1, 2] and _versions(tiny) == ["v000001.duckdb", "v000002.duckdb"]



def test_a_second_writer_is_refused_or_waits_while_another_process_writes(tiny: Path) -> None:
    holder = hold_lock(tiny)
    try:
        with pytest.raises(WarehouseBusy), writing(tiny, wait=0):
            pass
        assert _values(tiny) == [1] and _versions(tiny) == ["v000001.duckdb"]
        # Waiting: told once that it waits, and it proceeds as soon as the other writer is done.
        told: list[str] = []

        def release() -> None:
            told.append("waiting")
            holder.stdin.write("done\n")
            holder.stdin.flush()

        with writing(tiny, wait=LIVENESS, on_wait=release) as con:
            con.execute("INSERT INTO t VALUES (2)")
        assert told == ["waiting"] and _values(tiny) == [1, 2]
    finally:
        holder.kill()
        holder.wait()


def test_two_threads_of_one_process_also_write_one_at_a_time(tiny: Path) -> None:
    """Two sessions of the app are two threads: the lock keeps them apart like two processes."""
    inside = threading.Event()
    release = threading.Event()

    def first() -> None:
        with writing(tiny) as con:
            con.execute("INSERT INTO t VALUES (2)")
            inside.set()
            release.wait(LIVENESS)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert inside.wait(LIVENESS)
        with pytest.raises(WarehouseBusy), write_lock(tiny, wait=0):
            pass
    finally:
        release.set()
        thread.join(LIVENESS)
    _add(tiny, 3)
    assert _values(tiny) == [1, 2, 3]  # the second write copied the first one's version: nothing lost


def test_a_plain_file_is_adopted_as_the_first_version_by_its_first_writer(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT 1 AS v")
    con.close()
    inode = path.stat().st_ino
    plain = current_version(path)
    assert plain.file == str(path)  # a plain file is its own version
    reader = duckdb.connect(str(path), read_only=True)  # a viewer of the plain file
    try:
        _add(path, 2)
        assert path.is_symlink() and _versions(path) == ["v000001.duckdb", "v000002.duckdb"]
        assert (versions_dir(path) / "v000001.duckdb").stat().st_ino == inode  # a hard link: no copy, no gap
        assert _values(path) == [1, 2] and current_version(path) != plain
        assert reader.execute("SELECT count(*) FROM t").fetchall() == [(1,)]
    finally:
        reader.close()


@pytest.fixture
def small_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 2,000-household demo warehouse as a plain file (as tests and older checkouts have it), served to
    `queries.runner` through $POVERTY_DB."""
    from queries.runner import clear_caches

    built = tmp_path / "built.duckdb"
    build(built, households=2000, log=lambda _m: None)
    path = tmp_path / "served.duckdb"
    path.write_bytes(Path(current_version(built).file).read_bytes())
    monkeypatch.setenv("POVERTY_DB", str(path))
    clear_caches()
    yield path
    clear_caches()


WRITER = """
import sys
from pathlib import Path
from data.warehouse import writing

path = Path(sys.argv[1])
for i in range(1, int(sys.argv[2]) + 1):
    if sys.stdin.readline().strip() != "go":
        break
    with writing(path) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES ('probe', $i)", {"i": str(i)})
    print(i, flush=True)
"""


def _probe(meta) -> int:
    values = meta.loc[meta["key"] == "probe", "value"]
    return max((int(v) for v in values), default=0)


def test_a_reader_querying_without_pause_while_another_process_writes_versions_sees_no_error(
        small_warehouse: Path) -> None:
    """`queries.runner.run` in a loop on one thread while a second process writes six versions, each only after
    the reader has seen the one before (so every switch, adoption of the plain file included, happens under a
    reader that is querying): no query fails, and the reader's next query after each commit sees it."""
    from queries.runner import run

    writes = 6
    errors: list[BaseException] = []
    seen = [0]
    changed = threading.Condition()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                probe = _probe(run("dataset_meta"))
                run("review_years")
            except BaseException as error:  # noqa: BLE001 (every failure counts)
                errors.append(error)
                continue
            with changed:
                if probe != seen[0]:
                    seen[0] = probe
                    changed.notify_all()

    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(small_warehouse), str(writes)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(1, writes + 1):
            writer.stdin.write("go\n")
            writer.stdin.flush()
            assert writer.stdout.readline().strip() == str(i)  # committed
            with changed:
                assert changed.wait_for(lambda i=i: seen[0] == i, timeout=LIVENESS), (i, seen, errors[:3])
    finally:
        stop.set()
        thread.join(LIVENESS)
        writer.kill()
        writer.wait()
    assert errors == []
    assert seen[0] == writes
    # the plain file became v000001; six writes later the current version and the previous one are left
    assert _versions(small_warehouse) == [f"v{writes:06d}.duckdb", f"v{writes + 1:06d}.duckdb"]


def _open_files(folder: Path) -> set[str]:
    """The files of `folder` this process has open (deleted ones too), by name."""
    out = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            out.add(Path(target.removesuffix(" (deleted)")).name)
    return out


def test_a_query_holding_an_old_version_keeps_it_until_it_ends_then_it_is_closed(small_warehouse: Path) -> None:
    from queries.runner import reading, run

    years = list(run("review_years")["year"])
    with writing(small_warehouse) as con:  # adopts the plain file as v000001, writes v000002
        con.execute("DELETE FROM review_rows WHERE year = 2025")
        con.execute("DELETE FROM classified_rows WHERE year = 2025")
    folder = versions_dir(small_warehouse)
    with reading() as (cursor, version):
        assert version.file == str(folder / "v000002.duckdb")
        assert list(run("review_years")["year"]) == years[:-1]  # the new version, without 2025
        with writing(small_warehouse) as con:
            con.execute("DELETE FROM review_rows WHERE year = 2024")
            con.execute("DELETE FROM classified_rows WHERE year = 2024")
        assert list(run("review_years")["year"]) == years[:-2]  # the next query opens v000003 …
        # … while the open block still reads v000002, on a connection nobody closed under it
        assert cursor.execute("SELECT max(year) FROM reviews").fetchall() == [(years[-2],)]
        assert _open_files(folder) == {"v000002.duckdb", "v000003.duckdb"}
    # its last user gone, the old version's connection is closed (and its file, deleted by a later write, freed)
    assert _open_files(folder) == {"v000003.duckdb"}


# --- compaction: a version never carries free blocks forward ---------------------------------------------------------

COMPACTION_ROWS = 300_000  # enough rows that deleting two thirds leaves whole free blocks


@pytest.fixture
def roomy(tmp_path: Path) -> Path:
    """A warehouse name whose first version holds table t = [1] and `big` (v 0 … COMPACTION_ROWS − 1, text)."""
    path = tmp_path / "w.duckdb"
    with writing(path, fresh=True) as con:
        con.execute("CREATE TABLE t (v INTEGER)")
        con.execute("INSERT INTO t VALUES (1)")
        con.execute("CREATE TABLE big AS SELECT range::INTEGER AS v, md5(range::VARCHAR) AS s FROM range($n)",
                    {"n": COMPACTION_ROWS})
    return path


def _free_and_rows(file: Path | str) -> tuple[int, int]:
    con = duckdb.connect(str(file), read_only=True)
    try:
        return free_blocks(con), con.execute("SELECT count(*) FROM big").fetchall()[0][0]
    finally:
        con.close()


def test_a_write_that_frees_blocks_is_compacted_and_a_fresh_one_is_not(roomy: Path, tmp_path: Path) -> None:
    first = current_version(roomy).file
    assert _free_and_rows(first) == (0, COMPACTION_ROWS)  # a fresh build has nothing to reclaim
    # the same delete on a plain copy leaves free blocks: what the version would carry without compaction
    plain = tmp_path / "plain.duckdb"
    plain.write_bytes(Path(first).read_bytes())
    con = duckdb.connect(str(plain))
    con.execute("DELETE FROM big WHERE v < 200000")
    con.execute("CHECKPOINT")
    assert free_blocks(con) > 0
    con.close()
    with writing(roomy) as con:
        con.execute("DELETE FROM big WHERE v < 200000")
    new = current_version(roomy).file
    assert _free_and_rows(new) == (0, COMPACTION_ROWS - 200_000)
    assert os.path.getsize(new) < os.path.getsize(plain)
    assert _values(roomy) == [1]
    con = duckdb.connect(new, read_only=True)
    assert con.execute("SELECT min(v), max(v), count(DISTINCT s) FROM big").fetchall() == [
        (200_000, COMPACTION_ROWS - 1, COMPACTION_ROWS - 200_000)]
    con.close()
    assert _versions(roomy) == ["v000001.duckdb", "v000002.duckdb"]  # no compaction file left beside them


def test_a_compaction_killed_before_the_switch_changes_nothing_and_the_next_write_clears_its_files(
        roomy: Path) -> None:
    script = ("import sys, time\nfrom pathlib import Path\nimport data.warehouse as w\n"
              "real = w.compact_copy\n"
              "def stalled(con, target):\n"
              "    done = real(con, target); print('compacted', flush=True); time.sleep(600); return done\n"
              "w.compact_copy = stalled\n"
              "with w.writing(Path(sys.argv[1])) as con:\n"
              "    con.execute('DELETE FROM big WHERE v < 200000')\n")
    before = current_version(roomy)
    proc = subprocess.Popen([sys.executable, "-c", script, str(roomy)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "compacted"
        assert sorted(p.name for p in versions_dir(roomy).glob("new-*")) == [
            "new-v000002-compact.duckdb", "new-v000002.duckdb"]
    finally:
        proc.kill()
        proc.wait()
    assert current_version(roomy) == before and _free_and_rows(roomy) == (0, COMPACTION_ROWS)
    _add(roomy, 2)  # the next writer deletes both files of the killed one
    assert _values(roomy) == [1, 2] and _versions(roomy) == ["v000001.duckdb", "v000002.duckdb"]


def test_a_failed_compaction_leaves_the_current_version_and_no_file(roomy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import data.warehouse as warehouse

    real = warehouse.compact_copy

    def failing(con: duckdb.DuckDBPyConnection, target: Path) -> bool:
        real(con, target)
        raise OSError("disk full")

    monkeypatch.setattr(warehouse, "compact_copy", failing)
    before = current_version(roomy)
    with pytest.raises(OSError, match="disk full"), writing(roomy) as con:
        con.execute("DELETE FROM big WHERE v < 200000")
    assert current_version(roomy) == before and _versions(roomy) == ["v000001.duckdb"]
    assert _free_and_rows(roomy) == (0, COMPACTION_ROWS)
