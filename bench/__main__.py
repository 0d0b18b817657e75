"""Run every benchmark module in this folder, one after another, each printing its own figures; or one of them with
its own options.

    python -m bench                          # every bench_*.py with its defaults
    python -m bench bench_pages bench_build  # these, with their defaults
    python -m bench scale --scales 1 10      # bench/bench_scale.py with these options (any bench_<name>.py alike)
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if args and f"bench_{args[0]}" in names:
        module = importlib.import_module(f"bench.bench_{args[0]}")
        return int(module.main(args[1:]) or 0)
    wanted = set(args)
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"\n=== bench.{name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.main([])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
