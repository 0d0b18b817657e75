"""The translation table and number formatting."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from i18n import LANGS, TEXT, Translator, format_number, format_percent, format_points
from queries.status import STATUSES

ROOT = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    entry = TEXT[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert _placeholders(entry["vi"]) == _placeholders(entry["en"])


def test_every_key_used_in_the_code_exists():
    used: set[str] = set()
    for path in [ROOT / "app.py", *(ROOT / "dashboard").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        used |= set(re.findall(r"""\btr\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no tr(...) calls found"
    assert used <= set(TEXT), sorted(used - set(TEXT))


def test_every_status_and_option_has_a_label():
    from dashboard.filters import AREAS, GROUPS, METRICS

    keys = ([f"status.{s}" for s in STATUSES] + [f"area.{a}" for a in AREAS] + [f"group.{g}" for g in GROUPS]
            + [f"metric.{m}" for m in METRICS] + [f"lang.{lang}" for lang in LANGS])
    assert set(keys) <= set(TEXT)


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (1234.5, 1, "1.234,5", "1,234.5"),
        (1234567, 0, "1.234.567", "1,234,567"),
        (5.09, 2, "5,09", "5.09"),
        (0.0, 2, "0,00", "0.00"),
        (-1.9, 2, "-1,90", "-1.90"),
        (-0.001, 2, "0,00", "0.00"),  # no "-0,00"
        (226000, 0, "226.000", "226,000"),
        (None, 2, "—", "—"),
        (float("nan"), 2, "—", "—"),
    ],
)
def test_format_number(value, decimals, vi, en):
    assert format_number(value, decimals, "vi") == vi
    assert format_number(value, decimals, "en") == en


def test_percent_and_points():
    assert format_percent(3.19, 2, "vi") == "3,19 %"
    assert format_percent(3.19, 2, "en") == "3.19 %"
    assert format_points(-1.9, 2, "vi") == "-1,90 điểm %"
    assert format_points(0.25, 2, "en") == "+0.25 pts"
    assert format_points(0.0, 2, "en") == "0.00 pts"


def test_translator():
    assert Translator("vi")("page.overview") == "Tổng quan"
    assert Translator("en")("page.overview") == "Overview"
    assert Translator("en")("overview.districts", year=2023) == "Districts at a glance, 2023"
    assert Translator("vi").pct(1234.567) == "1.234,57 %"
    with pytest.raises(KeyError):
        Translator("vi")("no.such.key")


def test_short_numbers_and_timestamps():
    from i18n import format_datetime, format_short

    assert [format_short(v, 1, "vi") for v in (1.0, 1.5, 100.0, 1000.0)] == ["1", "1,5", "100", "1.000"]
    assert [format_short(v, 1, "en") for v in (1.0, 1.5, 100.0, 1000.0)] == ["1", "1.5", "100", "1,000"]
    assert format_datetime("2026-11-29T09:09:19+00:00", "vi") == "29/11/2026 09:09 UTC"
    assert format_datetime("2026-11-29T09:09:19+00:00", "en") == "29 Nov 2026, 09:09 UTC"
    assert format_datetime("2026-01-02T03:04:05+07:00", "en") == "1 Jan 2026, 20:04 UTC"  # shown in UTC
    assert format_datetime("not a time", "vi") == "not a time"
