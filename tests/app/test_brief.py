"""The one-page brief's button (dashboard/brief.py) on the overview: offered for the view's place, its bytes the PDF of
that place with the rate the page shows; refused, with the reason, to a viewer from whom one of its figures is hidden
(a small-cell scope), and when several places are chosen.

The button hands Streamlit a callable (the PDF is made on the click): the test records the callable Streamlit is
given and calls it, as the server does when the button is clicked.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from dashboard.brief import brief_place, file_name, hidden_reasons
from dashboard.disclosure import Rule
from dashboard.filters import Filters
from dashboard.lattice import COMPLEMENT, SMALL
from i18n import TEXT

SMALL_VIEW = {"district": "960", "group": "khmer", "year": "2024", "units": "former"}  # Đông Hải's Khmer households


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """file name → the callable a download button registered (what the server runs on a click)."""
    seen: dict[str, Callable[[], bytes]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):  # noqa: ANN001, ANN202
        seen[str(file_name)] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return seen


# Where the brief's headline card lies, in PDF points: what pdftotext reads of that box alone.
HEADLINE_BOX = ("-x", "31", "-y", "100", "-W", "176", "-H", "105")


def pdf_facts(pdf: bytes, tmp_path: Path) -> tuple[int, str, str]:
    """The PDF's page count, its text and the text of its headline card (whitespace collapsed)."""
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    texts = [subprocess.run(["pdftotext", *box, str(path), "-"], check=True, capture_output=True, text=True).stdout
             for box in ((), HEADLINE_BOX)]
    return pages, *(" ".join(t.split()) for t in texts)


def brief_buttons(at, lang: str = "vi") -> list:  # noqa: ANN001
    return [b for b in at.get("download_button") if b.proto.label == TEXT["brief.download"][lang]]


def test_the_overview_offers_the_brief_of_the_province_and_its_bytes_are_that_pdf(app, deferred, tmp_path) -> None:
    at = app("overview", year="2024", units="former")
    assert not at.exception
    [button] = brief_buttons(at)
    assert button.proto.HasField("deferred_file_id")  # made on the click, not on the page load
    name = file_name(2024, "former", None)
    pdf = deferred[name]()
    assert pdf.startswith(b"%PDF")
    pages, text, headline = pdf_facts(pdf, tmp_path)
    assert pages == 1 and "Tỉnh Bạc Liêu – năm 2024" in text
    # the overview's first metric, label and value as it shows them ("Tỷ lệ hộ nghèo 2024", "1,50 %")
    assert headline.startswith(f"{at.metric[0].label} {at.metric[0].value} ")


def test_a_chosen_district_and_a_chosen_current_unit_get_their_own_brief(app, deferred, tmp_path) -> None:
    district = app("overview", year="2023", units="former", district="960", lang="en")
    [button] = brief_buttons(district, "en")
    assert "Huyện Đông Hải" in button.proto.help
    pages, text, headline = pdf_facts(deferred[file_name(2023, "former", "960")](), tmp_path)
    assert pages == 1 and "Huyện Đông Hải, 2023" in text
    assert headline.startswith(f"{district.metric[0].label} {district.metric[0].value} ")
    unit = app("overview", year="2025", units="current", unit="31825")
    assert brief_buttons(unit)
    pages, text, headline = pdf_facts(deferred[file_name(2025, "current", "31825")](), tmp_path)
    assert pages == 1 and "Phường Bạc Liêu – năm 2025" in text
    assert headline.startswith(f"{unit.metric[0].label} {unit.metric[0].value} ")


def test_an_anonymous_viewer_of_a_small_cell_scope_is_refused_with_the_reason(app) -> None:
    anonymous = app("overview", **SMALL_VIEW)
    assert not brief_buttons(anonymous)
    reason = TEXT["brief.refused_hidden"]["vi"].format(marker="≤9 hộ — ẩn")
    assert reason in [c.value for c in anonymous.caption]
    signed = app("overview", signed_in=True, **SMALL_VIEW)  # a reader who may see small cells gets it
    assert brief_buttons(signed)


def test_several_places_get_no_brief_and_say_why(app) -> None:
    at = app("overview", year="2024", units="former", district=["954", "956"])
    assert not brief_buttons(at)
    assert TEXT["brief.refused_places"]["vi"] in [c.value for c in at.caption]


# --- the plain functions ----------------------------------------------------------------------------------------------

def test_the_place_of_a_view() -> None:
    assert brief_place(Filters(year=2024)) == (None, None)
    assert brief_place(Filters(year=2024, districts=("960",))) == ("960", None)
    assert brief_place(Filters(year=2025, units="current", districts=("31825",))) == (None, "31825")
    assert brief_place(Filters(year=2024, districts=("954", "960"))) is None
    assert brief_place(Filters(year=2024, districts=("954", "960")), commune="31863") == (None, "31863")


def _rows(**columns: list[object]) -> pd.DataFrame:
    base = {"year": [2021, 2022, 2023, 2024], "poor_households": [40, 30, 20, 12], "hidden": [None] * 4,
            "hidden_baseline": [None] * 4, "hidden_previous": [None] * 4}
    return pd.DataFrame({**base, **columns})


COVERAGE = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "hidden": [None] * 4, "hidden_former_known": [None] * 4})


def test_every_figure_the_brief_prints_is_checked_for_hiding() -> None:
    rule = Rule(10, active=True)
    assert hidden_reasons(_rows(), COVERAGE, 2023, rule) == []
    # a later year's own cell is not printed (the brief stops at its year) …
    assert hidden_reasons(_rows(hidden=[None, None, None, SMALL]), COVERAGE, 2023, rule) == []
    # … but its path is, from the baseline cell; an earlier year's point is printed on the trajectory
    assert hidden_reasons(_rows(hidden_baseline=[None, None, None, SMALL]), COVERAGE, 2023, rule) == [SMALL]
    assert hidden_reasons(_rows(hidden=[None, COMPLEMENT, None, None]), COVERAGE, 2023, rule) == [COMPLEMENT]
    # the drivers' shares among 1–9 poor households (as the map's breakdown hides them); 0 poor is no share at all
    assert hidden_reasons(_rows(poor_households=[40, 30, 9, 12]), COVERAGE, 2023, rule) == [SMALL]
    assert hidden_reasons(_rows(poor_households=[40, 30, 0, 12]), COVERAGE, 2023, rule) == []
    # the coverage line: the former-known households only where the brief prints them
    known = COVERAGE.assign(hidden_former_known=[None, None, COMPLEMENT, None])
    assert hidden_reasons(_rows(), known, 2023, rule) == []
    assert hidden_reasons(_rows(), known, 2023, rule, former_known=True) == [COMPLEMENT]
    # a reader who may see small cells
    assert hidden_reasons(_rows(hidden=[SMALL] * 4), COVERAGE, 2023, Rule(10, active=False)) == []
