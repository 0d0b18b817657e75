"""The protected query frames pages start from, built once per process for each warehouse version: every visitor of
a link asks for the same `disclosure.progress` / `targets` / `coverage` frame (the query, the pace and goal judgements,
the small-cell protection), and under load that pandas work was most of a session (issue 9, bench/profile_replica.py).

Keys (`dashboard.figure_cache.per_process`): the arguments by value (the filter parameters, the small-cell `Rule` by
its fields), whether the visitor is signed in, and the warehouse version, so a new version is read by the next run
and nothing computed for one rule or version reaches another. Each caller gets its own shallow copy of the frame.
Same signatures as `dashboard.disclosure`'s functions.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard import disclosure
from dashboard.disclosure import Rule
from dashboard.figure_cache import per_process

Params = tuple[tuple[str, object], ...]


def _frozen(params: Mapping[str, object]) -> Params:
    """The filter parameters as a sorted tuple of (name, value), lists as tuples: compared by value in the key."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in params.items()))


def _thawed(params: Params) -> dict[str, object]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params}


@per_process(copy=True, versioned=True)
def _progress(level: str, params: Params, rule: Rule) -> pd.DataFrame:
    return disclosure.progress(level, _thawed(params), rule)


@per_process(copy=True, versioned=True)
def _targets(params: Params, rule: Rule) -> pd.DataFrame:
    return disclosure.targets(_thawed(params), rule)


def progress(level: str, params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`disclosure.progress` (units at `level`, every year, judged and protected by `rule`), once per process."""
    return _progress(level, _frozen(params), rule)


def targets(params: Mapping[str, object], rule: Rule) -> pd.DataFrame:
    """`disclosure.targets` (the plan's other targets, every year, judged and protected), once per process."""
    return _targets(_frozen(params), rule)


coverage = per_process(copy=True, versioned=True)(disclosure.coverage)
