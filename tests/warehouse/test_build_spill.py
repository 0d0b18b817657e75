"""The build spills beside the new version (`<version>.tmp`, DuckDB's temp directory): a build killed while
spilling leaves that folder behind, and the next writer must clear it like any other leftover, not fail on it."""

from __future__ import annotations

import duckdb

from data.build import build
from data.warehouse import versions_dir


def test_a_spill_folder_left_by_a_killed_build_does_not_block_the_next_build(tmp_path):
    path = tmp_path / "w.duckdb"
    build(path, households=2000, seed=5, log=lambda _m: None)
    spill = versions_dir(path) / "new-v000002.duckdb.tmp"  # what DuckDB leaves when the build is killed mid-spill
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 4096)
    build(path, households=2000, seed=6, log=lambda _m: None)
    assert sorted(p.name for p in versions_dir(path).iterdir()) == ["v000001.duckdb", "v000002.duckdb"]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone() == ("6",)
    finally:
        con.close()
