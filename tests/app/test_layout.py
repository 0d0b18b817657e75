"""Small layout helpers."""

import pytest

from dashboard.charts import map_view
from dashboard.layout import is_phone

PROVINCE = [(105.23, 9.01, 105.86, 9.64)]


@pytest.mark.parametrize(("agent", "phone"), [
    ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36", True),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", True),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36", False),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15", False),
    (None, False),
    ("", False),
])
def test_phone_or_not(agent, phone):
    assert is_phone(agent) is phone


def test_a_laptop_map_zooms_in_further_than_a_phone_map():
    phone, laptop = map_view(PROVINCE, width_px=340), map_view(PROVINCE, width_px=700)
    assert phone["center"] == laptop["center"]
    # the province (0.63° × 0.63°) fits 520 px of height on a laptop: zoom log2(360·520/512/(0.63·1.08)) ≈ 9.07
    assert laptop["zoom"] == pytest.approx(9.07, abs=0.01)
    assert phone["zoom"] < laptop["zoom"]
