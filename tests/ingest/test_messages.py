"""The import report's wording: one table (i18n, keys `ingest.*`), both languages, Vietnamese numbers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from data.ingest.messages import AllOf, Message, OneOf, msg, texts
from i18n import TEXT

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "data" / "ingest").glob("*.py"))


def _used() -> set[str]:
    used: set[str] = set()
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bmsg\(\s*["'](ingest\.[a-z0-9_.]+)["']""", source))
        used |= set(re.findall(r"""\btr\(\s*["'](ingest\.[a-z0-9_.]+)["']""", source))
        statuses = re.search(r"status: str  # (.*)", source)  # ImportResult.status: "loaded | loaded_partly | …"
        if statuses:
            used |= {f"ingest.status.{s.strip()}" for s in statuses.group(1).split("|")}
    return used


def test_every_message_key_used_exists_and_every_ingest_key_is_used() -> None:
    used = _used() | {"ingest.or"}  # joins `OneOf` alternatives
    assert used <= set(TEXT), sorted(used - set(TEXT))
    assert {k for k in TEXT if k.startswith("ingest.")} <= used, sorted({k for k in TEXT if k.startswith("ingest.")}
                                                                       - used)


def test_no_english_expectation_left_in_the_importer() -> None:
    """Expectations go through `msg`: no literal 'a column headed' / 'expected' sentences in the modules."""
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        assert "a column headed" not in source and "such as 1.450.000" not in source, path


def test_numbers_are_written_for_the_language() -> None:
    message = msg("ingest.income_implausible", low=50_000, high=200_000_000)
    assert message.text("vi").startswith("thu nhập bình quân (đồng/người/tháng) từ 50.000 đến 200.000.000; ")
    assert message.text("en").startswith("income in VND per person per month between 50,000 and 200,000,000; ")


def test_nested_messages_and_alternatives_follow_the_language() -> None:
    message = msg("ingest.note", note=msg("ingest.commune_ambiguous", options=OneOf(("A", "B"))))
    assert message.text("vi") == "ghi chú: một xã duy nhất, nhưng tên này bị trùng: A hoặc B; hãy ghi thêm huyện " \
                                 "hoặc mã xã"
    assert message.text("en") == "note: one commune, but the name is ambiguous: A or B; add the district or the code"


def test_dates_and_messages_among_alternatives_follow_the_language() -> None:
    since = msg("ingest.unit_set.current", count=25, since=date(2025, 7, 1))
    assert since.text("vi") == "25 xã, phường sau sắp xếp (từ 1/7/2025)"
    assert since.text("en") == "the 25 current communes and wards (from 1 July 2025)"
    options = OneOf((msg("ingest.former_now_in", former="A", current="B"), "C"))
    assert msg("ingest.commune_ambiguous", options=options).text("en") == (
        "one commune, but the name is ambiguous: A, now part of B or C; add the district or the code")
    assert msg("ingest.commune_ambiguous", options=options).text("vi").startswith(
        "một xã duy nhất, nhưng tên này bị trùng: A, nay thuộc B hoặc C;")


def test_unknown_key_fails_when_the_message_is_made() -> None:
    with pytest.raises(KeyError):
        msg("ingest.no_such_key")


def test_texts_writes_each_distinct_message_once() -> None:
    a, b = msg("ingest.household_twice", rows="4, 8"), msg("ingest.household_twice", rows="5, 9")
    assert texts([a, b, a], "vi") == ["mỗi hộ chỉ một lần mỗi năm trong một tệp; hộ này ở các dòng 4, 8",
                                      "mỗi hộ chỉ một lần mỗi năm trong một tệp; hộ này ở các dòng 5, 9",
                                      "mỗi hộ chỉ một lần mỗi năm trong một tệp; hộ này ở các dòng 4, 8"]
    assert isinstance(a, Message) and hash(a) != hash(b)


def test_all_of_writes_every_item_in_the_language() -> None:
    both = AllOf((msg("ingest.integrity.household_id_twice", broken=1200, examples="H1, H2"),
                  msg("ingest.integrity.review_twice", broken=3, examples="H7")))
    assert msg("ingest.integrity_stored", problems=both).text("en").startswith(
        "a consistent warehouse; the stored warehouse already broke a rule before this file (1,200 household code(s) "
        "on more than one household (codes H1, H2); 3 (household, year) pair(s) with more than one review "
        "(households H7)), so nothing")
    assert "(1.200 mã hộ có ở nhiều hơn một hộ (mã H1, H2); 3 cặp hộ và năm có nhiều hơn một kết quả rà soát " \
           "(hộ H7))" in msg("ingest.integrity_stored", problems=both).text("vi")
