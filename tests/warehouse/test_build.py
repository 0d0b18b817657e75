"""`python -m data.build`: a new warehouse version switched in when complete, the CLI's summary and its errors."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from data.build import build, main
from data.warehouse import REFERENCE_DIR, ROOT

from .test_demo import _content_digest


def test_cli_prints_a_summary_per_year(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["--households", "3000", "--db", str(db)]) == 0
    out = capsys.readouterr()
    lines = [line.split() for line in out.out.splitlines()]
    years = [row[0] for row in lines if row and row[0].isdigit() and len(row) == 4]
    assert years == ["2021", "2022", "2023", "2024", "2025"]
    first = next(row for row in lines if row and row[0] == "2021")
    assert first[1] == "3,000" and first[2] == "5.10" and first[3] == "6.53"  # round(5.09 % × 3000) = 153
    assert "2021: 3,000 reviews" in out.err  # progress goes to stderr


def test_too_few_households_is_refused_with_the_parameter_named(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    assert main(["--households", "10", "--db", str(db)]) == 2
    assert "--households must be at least 1000" in capsys.readouterr().err
    # nothing but the write lock's sidecar file (kept: deleting a lock file others may hold open breaks the lock)
    assert not db.exists() and [p.name for p in tmp_path.iterdir()] == ["w.duckdb.lock"]


def test_a_failed_build_leaves_the_previous_warehouse_intact(tmp_path):
    db = tmp_path / "w.duckdb"
    build(db, households=2000, log=lambda _m: None)
    before = _content_digest(db)
    broken = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, broken)
    (broken / "indicators.csv").write_text("standard_id,indicator,dimension,position,label_vi,label_en\n")
    with pytest.raises(ValueError, match="no indicators for standard"):
        build(db, households=2000, reference_dir=broken, log=lambda _m: None)
    assert _content_digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reference", "w.duckdb", "w.duckdb.lock", "w.duckdb.versions"]
    assert [p.name for p in (tmp_path / "w.duckdb.versions").iterdir()] == ["v000001.duckdb"]  # the failed one gone


def test_a_killed_build_leaves_the_previous_warehouse_intact(tmp_path):
    db = tmp_path / "w.duckdb"
    build(db, households=2000, log=lambda _m: None)
    before = _content_digest(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "data.build", "--households", "400000", "--db", str(db)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    # Kill it once it has written its first year into the temporary file (it reports each year on stderr; reading
    # line by line waits however slow the machine is, and ends at the end of the output if the build dies first).
    first_year = next((line for line in proc.stderr if "2021:" in line), None)
    assert first_year is not None and proc.poll() is None, "the build ended before it wrote its first year"
    versions = tmp_path / "w.duckdb.versions"
    assert list(versions.glob("new-*")), "the build should be writing a new version"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _content_digest(db) == before
    # The next build clears the killed one's leftover file and replaces the warehouse.
    build(db, households=2000, seed=1, log=lambda _m: None)
    assert not list(versions.glob("new-*"))
    assert _content_digest(db) != before


def test_default_path_is_taken_from_the_environment(tmp_path, monkeypatch):
    from data.warehouse import db_path

    monkeypatch.setenv("POVERTY_DB", str(tmp_path / "x.duckdb"))
    assert db_path() == (tmp_path / "x.duckdb").resolve()
    monkeypatch.delenv("POVERTY_DB")
    assert db_path() == Path(ROOT) / "data" / "baclieu.duckdb"


def test_if_stale_builds_once_and_never_replaces_imported_data(tmp_path, capsys):
    import duckdb

    db = tmp_path / "w.duckdb"
    assert main(["--if-stale", "--households", "1000", "--db", str(db)]) == 0
    assert "building the demo warehouse" in capsys.readouterr().err
    built = db.stat().st_mtime_ns
    assert main(["--if-stale", "--households", "1000", "--db", str(db)]) == 0
    assert "up to date" in capsys.readouterr().err and db.stat().st_mtime_ns == built
    # Built from other inputs (an older schema or reference data): rebuilt.
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'build_inputs'")
    con.close()
    assert main(["--if-stale", "--households", "1000", "--db", str(db)]) == 0
    assert "other inputs" in capsys.readouterr().err
    con = duckdb.connect(str(db))
    assert con.execute("SELECT value FROM meta WHERE key = 'build_inputs'").fetchone()[0] != "old"
    # A warehouse of imported reviews is never rebuilt, however old.
    con.execute("UPDATE meta SET value = 'reviews' WHERE key = 'dataset'")
    con.execute("UPDATE meta SET value = 'old' WHERE key = 'build_inputs'")
    con.close()
    kept = db.stat().st_mtime_ns
    assert main(["--if-stale", "--households", "1000", "--db", str(db)]) == 0
    assert "holds imported reviews" in capsys.readouterr().err and db.stat().st_mtime_ns == kept
