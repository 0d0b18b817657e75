"""The two judgements (pace on the path, the plan's end goal), with cases worked by hand from domain.md §5 and the
plan's targets; never conflated."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from i18n import Translator
from queries.status import add_status, goal_status, goal_target_text, goal_text, pace_status


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        # Province 2022: 5.09 → 3.19; path 3.59; required 1.5, achieved 1.90 → R = 1.27.
        (1.90 / 1.5, "on_track"),
        (0.95, "on_track"),
        # Province 2025 in the demo: 0.95 % against a path of 0.59 %: R = 4.14 / 4.5 = 0.92 → behind its path.
        (4.14 / 4.5, "needs_acceleration"),
        (0.6, "needs_acceleration"),
        (0.594, "limited_progress"),
        # Judged as shown (2 decimals): Xã Vĩnh Lộc 2024, R = 6,87 / 7,25 = 0,948 shows as 0,95 → on track.
        (6.87 / 7.25, "on_track"),
        (0.5999, "needs_acceleration"),
        # No change at all: R = 0 → limited progress; a rise: R < 0 → getting worse.
        (0.0, "limited_progress"),
        (-0.41 / 1.5, "getting_worse"),
        # Baseline year: nothing required yet.
        (None, None),
        (math.nan, None),
    ],
)
def test_pace(ratio, expected):
    assert pace_status(ratio) == expected


@pytest.mark.parametrize(
    ("value", "goal", "strict", "higher", "expected"),
    [
        # "Under 1 %": the demo province 2025 at 0.95 % meets it, exactly 1 % does not, 4.15 % is far from it.
        (0.95, 1.0, True, False, "goal_met"),
        (1.0, 1.0, True, False, "goal_not_met"),
        (0.99, 1.0, True, False, "goal_met"),
        (4.15, 1.0, True, False, "goal_not_met"),
        # A path's end (the ethnic-minority path: baseline − 4 points) is met at or under it.
        (8.32, 8.32, False, False, "goal_met"),
        (8.33, 8.32, False, False, "goal_not_met"),
        # Coverage and income ratio: met at or over the target.
        (100.0, 100.0, False, True, "goal_met"),
        (97.7, 100.0, False, True, "goal_not_met"),
        (2.1, 2.0, False, True, "goal_met"),
        # Judged as shown: 0,996 % shows as 1,00 % and does not meet "under 1 %"; 0,994 % shows as 0,99 %.
        (0.996, 1.0, True, False, "goal_not_met"),
        (0.994, 1.0, True, False, "goal_met"),
        # No value: no judgement.
        (None, 1.0, True, False, None),
    ],
)
def test_goal(value, goal, strict, higher, expected):
    assert goal_status(value, goal, strict=strict, higher_is_better=higher) == expected


def test_add_status_keeps_the_two_judgements_apart_and_skips_partial_years():
    frame = pd.DataFrame({
        # Hồng Dân-like: far ahead of its own path but far above the end goal; a unit ahead of the goal but behind
        # its path; the baseline year; a partial year.
        "measure_value": [4.15, 0.06, 5.09, 40.0],
        "progress_ratio": [1.55, 0.94, None, -10.0],
        "goal_value": [1.0, 1.0, 1.0, 1.0],
        "goal_strict": [True, True, True, True],
        "year_complete": [True, True, True, False],
    })
    out = add_status(frame)
    assert out["status"].tolist() == ["on_track", "needs_acceleration", None, "incomplete"]
    assert out["goal_status"].tolist() == ["goal_not_met", "goal_met", "goal_not_met", None]
    # pandas 3 would turn None into NaN, which a page would show as 'status.nan'
    assert out["status"].dtype == object and out["status"].iloc[2] is None


def test_a_unit_that_started_under_the_goal_needs_no_reduction():
    """Its path never asks for less than the plan's end goal (path floor), so nothing is required: not a baseline
    year, not 'needs acceleration' for a commune at 0,06 %."""
    frame = pd.DataFrame({"measure_value": [0.9, 0.06], "progress_ratio": [None, None], "goal_value": [1.0, 1.0],
                          "goal_strict": [True, True], "year_complete": [True, True],
                          "reduction_required": [0.0, 0.0], "is_baseline_year": [True, False]})
    assert add_status(frame)["status"].tolist() == [None, "not_required"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_met_goal_is_always_named(lang):
    tr = Translator(lang)
    target = goal_target_text(tr, 1.0, strict=True, year=2025)
    assert target == {"vi": "dưới 1 % (2025)", "en": "under 1 % (2025)"}[lang]
    met = goal_text(tr, "goal_met", target)
    assert target in met and target in goal_text(tr, "goal_not_met", target)
    assert goal_target_text(tr, 8.3215, strict=False, year=2025) == {"vi": "không quá 8,32 % (2025)",
                                                                     "en": "at most 8.32 % (2025)"}[lang]
    assert goal_target_text(tr, 2.0, strict=False, higher_is_better=True, ratio=True).endswith("2×")
    assert Translator(lang).status(float("nan")) == Translator(lang).status(None)
