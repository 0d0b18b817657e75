"""Benchmarks: `python -m bench` runs every `bench_*.py` here; each also runs alone as `python -m bench.<name>`."""
