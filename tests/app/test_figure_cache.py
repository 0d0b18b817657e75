"""Figures built once per process (dashboard/figure_cache.py): equal inputs give the same figure without building it
again; any difference in the inputs (a value, the language, the geometry object, the visitor's sign-in state) gives
a figure of its own."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import charts, figure_cache
from i18n import Translator

VI, EN = Translator("vi"), Translator("en")


def frame(rate: float = 4.5) -> pd.DataFrame:
    return pd.DataFrame({"unit_code": ["954", "956"], "unit_name": ["TP Bạc Liêu", "H. Hồng Dân"],
                         "poor_rate": [rate, 6.25], "path_rate": [4.0, 6.0], "status": ["on_track", None]})


@pytest.fixture
def counted() -> tuple[list[tuple], object]:
    calls: list[tuple] = []

    @figure_cache.per_process
    def build(data: pd.DataFrame, tr: Translator, *, geometry: object = None) -> dict:
        calls.append((len(data), tr.lang))
        return {"rate": float(data["poor_rate"].iloc[0]), "lang": tr.lang}

    return calls, build


def test_equal_inputs_return_the_figure_built_before(counted: tuple[list[tuple], object]) -> None:
    calls, build = counted
    first = build(frame(), VI)  # type: ignore[operator]
    again = build(frame(), VI)  # a new frame with the same content, as each session gets from the query cache
    assert again is first and len(calls) == 1


def test_any_difference_in_the_inputs_builds_another(counted: tuple[list[tuple], object]) -> None:
    calls, build = counted
    base = build(frame(), VI)  # type: ignore[operator]
    assert build(frame(4.51), VI)["rate"] == 4.51  # type: ignore[operator]
    assert build(frame(), EN)["lang"] == "en"  # type: ignore[operator]
    assert build(frame().astype({"poor_rate": "float32"}), VI) is not base  # type: ignore[operator]
    geometry = {"features": []}
    with_geometry = build(frame(), VI, geometry=geometry)  # type: ignore[operator]
    assert with_geometry is not base
    assert build(frame(), VI, geometry=geometry) is with_geometry  # type: ignore[operator]
    assert build(frame(), VI, geometry={"features": []}) is not with_geometry  # type: ignore[operator]
    assert len(calls) == 6


def test_the_visitors_sign_in_state_is_part_of_the_key(counted: tuple[list[tuple], object],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls, build = counted
    monkeypatch.setattr(figure_cache, "context_key", lambda: False)
    anonymous = build(frame(), VI)  # type: ignore[operator]
    monkeypatch.setattr(figure_cache, "context_key", lambda: True)
    signed_in = build(frame(), VI)  # type: ignore[operator]
    assert signed_in is not anonymous and len(calls) == 2


def test_the_oldest_entries_go_first(counted: tuple[list[tuple], object], monkeypatch: pytest.MonkeyPatch) -> None:
    calls, _ = counted
    monkeypatch.setattr(figure_cache, "MAX_ENTRIES", 2)

    @figure_cache.per_process
    def build(rate: float) -> list[float]:
        calls.append((rate,))
        return [rate]

    one = build(1.0)
    build(2.0)
    assert build(1.0) is one  # used again: now the most recent
    build(3.0)  # drops 2.0
    assert build(1.0) is one and len(calls) == 3
    build(2.0)
    assert len(calls) == 4


def test_the_page_builders_are_cached() -> None:
    first = charts.district_status_bars(frame(), VI)
    assert charts.district_status_bars(frame(), VI) is first  # the next session's frame, made the same way
    assert charts.district_status_bars(frame(), EN) is not first
    assert [t.name for t in first.data][:1] == [VI.status("on_track")]


def test_each_sessions_small_cell_rule_is_compared_by_value(counted: tuple[list[tuple], object]) -> None:
    """Every session makes its own `disclosure.Rule`: equal rules share a figure, a different threshold or an inactive
    rule (a signed-in user) gets its own."""
    from dashboard.disclosure import Rule

    calls, build = counted
    first = build(frame(), VI, geometry=Rule(10, True))  # type: ignore[operator]
    assert build(frame(), VI, geometry=Rule(10, True)) is first and len(calls) == 1  # type: ignore[operator]
    assert build(frame(), VI, geometry=Rule(5, True)) is not first  # type: ignore[operator]
    assert build(frame(), VI, geometry=Rule(10, False)) is not first  # type: ignore[operator]
    assert len(calls) == 3


def test_copies_of_derived_frames_keep_callers_apart_and_follow_rule_and_generation(warehouse) -> None:
    """`per_process(copy=True, versioned=True)` (dashboard.derived, the context's unit list): each caller's frame is
    its own; a rule or a sign-in state of its own is computed for itself (hidden cells for an anonymous viewer, none
    for a signed-in one); `clear_caches()` makes the next call compute again."""
    from dashboard import derived
    from dashboard.disclosure import Rule
    from queries.runner import clear_caches

    params = {"units": "former", "district": [], "area": "all", "group": "khmer"}
    hidden_from_public = derived.progress("commune", params, Rule(10, active=True))
    public = derived.progress("commune", params, Rule(10, active=True))
    public["poor_rate"] = -1.0
    public["extra"] = 1
    again = derived.progress("commune", params, Rule(10, active=True))
    assert "extra" not in again.columns and again["poor_rate"].equals(hidden_from_public["poor_rate"])
    assert (again["poor_rate"].dropna() >= 0).all()

    signed = derived.progress("commune", params, Rule(10, active=False))
    assert hidden_from_public["hidden"].notna().sum() > 0 and signed["hidden"].notna().sum() == 0
    assert signed["poor_rate"].notna().sum() > hidden_from_public["poor_rate"].notna().sum()

    calls: list[int] = []

    @figure_cache.per_process(copy=True, versioned=True)
    def units() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"n": [1, 2]})

    units(), units()
    clear_caches()
    units()
    assert len(calls) == 2
