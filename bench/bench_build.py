"""Build time, peak memory and file size of the demo warehouse at 1× and 10× the province (and 100× with --full).

    python -m bench.bench_build [--scales 1 10] [--full] [--keep DIR]

Each build is `python -m data.build` in its own process: its wall time, its CPU time (user + system: the machine may
be shared), its peak resident memory (the child's own `ru_maxrss` from `os.wait4`, DuckDB included) and the size of
the version it wrote, next to the ratios to the 1× build (the first scale given). Goals (issue 13): 100× under
12 GB of peak memory and a file under 3 GB; the bench prints the figures and never fails on them. `--full` adds
the 100× build (22.6 M households: long — about half an hour on two cores — and ≈ 3 GB of disk plus DuckDB's spill).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data.demo import DEFAULT_HOUSEHOLDS
from data.warehouse import ROOT, versions_dir

FULL_SCALE = 100


def run_build(households: int, path: Path) -> dict:
    """Build the demo warehouse with `households` at `path` in a child process; return its households, wall
    `seconds`, `cpu_seconds` (user + system), `peak_mb` (the child's maximum resident set, MB) and `file_mb`."""
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "data.build", "--households", str(households), "--db", str(path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    log = child.stderr.read()  # until the child exits (its progress lines: small)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"data.build --households {households} failed ({child.returncode}): {log}")
    return {"households": households, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "file_mb": path.resolve().stat().st_size / 1e6}


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}×" if base else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_build", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10],
                        help="multiples of the province's households (default: %(default)s)")
    parser.add_argument("--full", action="store_true", help=f"add the {FULL_SCALE}× build (long)")
    parser.add_argument("--keep", type=Path, help="keep the warehouses in this folder (default: deleted)")
    args = parser.parse_args(argv)
    scales = list(dict.fromkeys(args.scales + ([FULL_SCALE] if args.full else [])))
    print(f"{'scale':>5}  {'households':>11}  {'seconds':>8}  {'CPU s':>8}  {'peak MB':>8}  {'file MB':>8}  "
          f"{'time/1×':>8}  {'peak/1×':>8}  {'file/1×':>8}")
    base = None
    with tempfile.TemporaryDirectory(dir=args.keep) as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for scale in scales:
            path = folder / f"build-{scale}x.duckdb"
            r = run_build(scale * DEFAULT_HOUSEHOLDS, path)
            base = base or r
            print(f"{scale:>4}×  {r['households']:>11,}  {r['seconds']:>8.1f}  {r['cpu_seconds']:>8.1f}  "
                  f"{r['peak_mb']:>8,.0f}  {r['file_mb']:>8.1f}  {_ratio(r['seconds'], base['seconds']):>8}  "
                  f"{_ratio(r['peak_mb'], base['peak_mb']):>8}  {_ratio(r['file_mb'], base['file_mb']):>8}",
                  flush=True)
            if not args.keep:  # the name, then its versions: room on the disk for the next scale
                path.unlink()
                shutil.rmtree(versions_dir(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
