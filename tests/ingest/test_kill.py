"""Killing the import mid-transaction leaves the warehouse's content exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from data.ingest import HOLD_ENV
from data.warehouse import ROOT
from tests.ingest.conftest import checksum, review_rows, write_csv


def _start(path: Path, db: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "data.ingest", str(path), "--db", str(db)], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_inside_the_transaction_changes_nothing(tmp_path: Path, demo_db: Path) -> None:
    before = checksum(demo_db)
    path = write_csv(tmp_path / "big.csv", review_rows(5000))
    proc = _start(path, demo_db, {HOLD_ENV: "30"})
    lines = []
    for line in proc.stderr:  # wait until every row is written and the transaction waits for its COMMIT
        lines.append(line)
        if "holding the transaction open" in line:
            break
    assert any("writing 5,000 reviews" in line for line in lines), lines
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert checksum(demo_db) == before
    # And the warehouse still takes the same file afterwards.
    done = _start(path, demo_db, {})
    assert done.wait(timeout=60) == 0
    assert checksum(demo_db)["review_rows"][0] == before["review_rows"][0] + 5000


def test_kill_at_any_moment_leaves_before_or_after(tmp_path: Path, demo_db: Path) -> None:
    before = checksum(demo_db)
    path = write_csv(tmp_path / "big.csv", review_rows(20000))
    proc = _start(path, demo_db, {})
    for line in proc.stderr:
        if "writing" in line:
            break
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    after = checksum(demo_db)
    assert after == before or after["review_rows"][0] == before["review_rows"][0] + 20000
