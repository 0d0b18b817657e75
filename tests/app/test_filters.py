"""Parsing link parameters: valid values kept, anything else dropped and reported, nothing passed through as text."""

from __future__ import annotations

from dashboard.filters import Filters, dropped_notice, parse_query_params
from i18n import Translator

DISTRICTS = ["954", "956", "957", "958", "959", "960", "961"]
YEARS = [2021, 2022, 2023, 2024, 2025]


def parse(**raw: list[str]):
    return parse_query_params(raw, DISTRICTS, YEARS)


def test_defaults_without_parameters():
    view, dropped = parse()
    assert view == Filters(year=2025)
    assert dropped == []


def test_all_parameters_valid():
    view, dropped = parse(district=["958", "956"], area=["rural"], group=["khmer"], year=["2023"], lang=["en"],
                          metric=["poor_households"])
    assert view == Filters(year=2023, districts=("956", "958"), area="rural", group="khmer", lang="en",
                           metric="poor_households")
    assert dropped == []


def test_invalid_values_are_dropped_and_reported():
    view, dropped = parse(district=["956", "999", "956"], year=["2030"], area=["suburb"], lang=["fr"],
                          group=["'; DROP TABLE units; --"], metric=["x"])
    assert view == Filters(year=2025, districts=("956",))
    assert ("district", "999") in dropped
    assert ("year", "2030") in dropped
    assert ("area", "suburb") in dropped
    assert ("group", "'; DROP TABLE units; --") in dropped
    assert len(dropped) == 6


def test_year_must_be_a_plain_year_in_the_warehouse():
    for bad in ["2020", "20221", "2022 OR 1=1", "", "2,022"]:
        view, dropped = parse(year=[bad])
        assert view.year == 2025 and dropped == [("year", bad)]


def test_unknown_parameters_are_reported_and_streamlits_own_ignored():
    _view, dropped = parse(foo=["1"], embed=["true"])
    assert dropped == [("foo", "")]


def test_url_form_round_trips():
    view = Filters(year=2023, districts=("956", "958"), area="urban", group="minority", lang="en", metric="poor_rate")
    params = view.query_params(with_metric=True)
    assert params["district"] == ["956", "958"]
    raw = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    assert parse(**raw) == (view, [])


def test_notice_shows_values_literally_and_truncated():
    tr = Translator("en")
    text = dropped_notice(tr, [("district", "`<script>` " + "x" * 80), ("foo", "")])
    assert text is not None
    assert "<script>" in text and "`<script>`" not in text  # backticks removed, value shown inside a code span
    assert "…" in text and "unknown parameter `foo`" in text
    assert dropped_notice(tr, []) is None


def test_tracking_parameters_of_a_shared_link_are_ignored_silently():
    """A link shared on social media or by a mail tool gains `fbclid`, `gclid`, `utm_*`: the view is the link's own,
    and nothing is reported (a leader should not see an "invalid parameter" warning for Facebook's click id)."""
    view, dropped = parse(year=["2023"], fbclid=["IwAR0abc"], gclid=["Cj0K"], utm_source=["zalo"],
                          UTM_Campaign=["x"], mc_eid=["1"])
    assert view == Filters(year=2023)
    assert dropped == []
    view, dropped = parse(year=["2023"], fbclidx=["1"])  # only the known names: anything else is still reported
    assert dropped == [("fbclidx", "")]
