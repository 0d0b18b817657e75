"""Progress status labels (domain.md §5, the Open SDG / Statistics Canada method adapted to percentage points).

R = improvement achieved so far ÷ improvement required so far (computed in SQL, `queries/*progress*.sql`).

    achieved            the value has reached the final target (at or under it; at or over it when higher is better;
                        strictly under it for a ceiling such as "under 1 %")
    on_track            R ≥ 0.95
    needs_acceleration  0.6 ≤ R < 0.95
    limited_progress    0 ≤ R < 0.6
    getting_worse       R < 0

With no improvement required yet (the baseline year) and the target not reached, there is no status (None).
"""

from __future__ import annotations

import math
from typing import Final, Literal

import pandas as pd

Status = Literal["achieved", "on_track", "needs_acceleration", "limited_progress", "getting_worse"]

STATUSES: Final[tuple[Status, ...]] = (
    "achieved", "on_track", "needs_acceleration", "limited_progress", "getting_worse",
)
ON_TRACK_MIN: Final = 0.95
ACCELERATION_MIN: Final = 0.6

# Off track: the statuses of units "left behind".
OFF_TRACK: Final[frozenset[Status]] = frozenset({"needs_acceleration", "limited_progress", "getting_worse"})


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def progress_status(value: float | None, final_target: float | None, ratio: float | None,
                    *, higher_is_better: bool = False, strict: bool = False) -> Status | None:
    """The status of a unit whose current value is `value`, against `final_target`, with progress ratio `ratio`.

    >>> progress_status(3.19, 1.0, 1.27)
    'on_track'
    >>> progress_status(0.95, 1.0, 0.92)
    'achieved'
    """
    if _missing(value):
        return None
    if not _missing(final_target):
        if higher_is_better:
            reached = value > final_target if strict else value >= final_target
        else:
            reached = value < final_target if strict else value <= final_target
        if reached:
            return "achieved"
    if _missing(ratio):
        return None
    if ratio >= ON_TRACK_MIN:
        return "on_track"
    if ratio >= ACCELERATION_MIN:
        return "needs_acceleration"
    if ratio >= 0:
        return "limited_progress"
    return "getting_worse"


def add_status(frame: pd.DataFrame, *, value: str = "poor_rate", target: str = "final_target",
               ratio: str = "progress_ratio", higher_is_better: str | None = None,
               strict: str = "final_target_strict") -> pd.DataFrame:
    """A copy of `frame` with a `status` column from `progress_status` applied to each row.

    `strict` names a boolean column saying the final target is a ceiling met only strictly below it (absent → not).
    """
    out = frame.copy()
    labels = [
        progress_status(row[value], row[target], row[ratio],
                        higher_is_better=bool(row[higher_is_better]) if higher_is_better else False,
                        strict=bool(row[strict]) if strict in row.index else False)
        for _, row in out.iterrows()
    ]
    # object dtype keeps "no status" as None; pandas 3 would infer a string column and turn None into NaN
    out["status"] = pd.Series(labels, index=out.index, dtype=object)
    return out
