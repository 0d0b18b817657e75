"""A warehouse write lock held by another process, for tests of writers that must wait or refuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def hold_lock(path: Path) -> subprocess.Popen[str]:
    """Another process holding the write lock of the warehouse `path` until a line arrives on its stdin."""
    script = ("import sys\nfrom pathlib import Path\nfrom data.warehouse import write_lock\n"
              "with write_lock(Path(sys.argv[1])):\n    print('locked', flush=True); sys.stdin.readline()\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc
