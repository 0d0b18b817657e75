"""The status label function, with cases worked by hand from domain.md §5."""

from __future__ import annotations

import math

import pytest

from dashboard.status import progress_status


@pytest.mark.parametrize(
    ("value", "target", "ratio", "expected"),
    [
        # Province 2022: 5.09 → 3.19; path 3.59; required 1.5, achieved 1.90 → R = 1.27; final goal 1.0 not reached.
        (3.19, 1.0, 1.90 / 1.5, "on_track"),
        # Exactly at the on-track threshold.
        (2.0, 1.0, 0.95, "on_track"),
        # Province 2025 in the demo: 0.95 % is under the 1 % goal → achieved, whatever R says (4.14 / 4.5 = 0.92).
        (0.95, 1.0, 4.14 / 4.5, "achieved"),
        # At a goal that is not a ceiling counts as reached (a path's end value).
        (1.0, 1.0, 0.1, "achieved"),
        # Hồng Dân-like district: 10 → 9.2 against a path of 8.5: R = 0.8 / 1.5 = 0.533 → limited progress.
        (9.2, 5.5, 0.8 / 1.5, "limited_progress"),
        # R = 0.6 is the lower edge of needs acceleration; just under it is limited progress.
        (4.0, 1.0, 0.6, "needs_acceleration"),
        (4.0, 1.0, 0.5999, "limited_progress"),
        # No change at all: R = 0 → limited progress; a rise: R < 0 → getting worse.
        (5.09, 1.0, 0.0, "limited_progress"),
        (5.50, 1.0, -0.41 / 1.5, "getting_worse"),
        # Baseline year: nothing required yet (R undefined) and goal not reached → no status.
        (5.09, 1.0, None, None),
        (5.09, 1.0, math.nan, None),
        # ... but a unit already under its goal in the baseline year has achieved it.
        (0.4, 1.0, None, "achieved"),
        # No households in scope.
        (None, 1.0, 0.5, None),
    ],
)
def test_lower_is_better(value, target, ratio, expected):
    assert progress_status(value, target, ratio) == expected


@pytest.mark.parametrize(
    ("value", "target", "ratio", "expected"),
    [
        # Health insurance of near-poor households 2022: 93.04 → 94.26 %, path 94.78: R = 1.22 / 1.74 = 0.70.
        (94.26, 100.0, 1.22 / 1.74, "needs_acceleration"),
        (100.0, 100.0, 0.5, "achieved"),
        # Income ratio 2022: 0.69 → 0.71 against a path of 1.02: R = 0.02 / 0.33 → limited progress.
        (0.71, 2.0, 0.02 / 0.33, "limited_progress"),
        (2.1, 2.0, 0.2, "achieved"),
        (0.60, 2.0, -0.09 / 0.33, "getting_worse"),
    ],
)
def test_higher_is_better(value, target, ratio, expected):
    assert progress_status(value, target, ratio, higher_is_better=True) == expected


@pytest.mark.parametrize(
    ("value", "ratio", "expected"),
    [
        # "Under 1 %": exactly 1 % (3 poor households of 300) has not met the ceiling; R decides instead.
        (1.0, 4.0 / 4.5, "needs_acceleration"),
        (1.0, 0.1, "limited_progress"),
        (0.99, 0.1, "achieved"),
    ],
)
def test_a_ceiling_is_met_only_strictly_below_it(value, ratio, expected):
    assert progress_status(value, 1.0, ratio, strict=True) == expected


def test_no_status_stays_none_beside_labelled_rows():
    """pandas 3 infers a string column and would turn None into NaN, which the pages would show as 'status.nan'."""
    import pandas as pd

    from dashboard.i18n import Translator
    from dashboard.status import add_status

    frame = pd.DataFrame({"poor_rate": [5.09, 0.4], "final_target": [1.0, 1.0], "progress_ratio": [None, None]})
    statuses = add_status(frame)["status"].tolist()
    assert statuses == [None, "achieved"]
    assert Translator("vi").status(float("nan")) == Translator("vi").status(None)
