"""The import page: hidden from anonymous hosted viewers, shown locally or to signed-in users."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.access import import_allowed
from data.warehouse import ROOT


@pytest.mark.parametrize(("env", "logged_in", "url", "allowed"), [
    ({}, False, "http://localhost:8501/import", True),
    ({}, False, "http://127.0.0.1:8501/", True),
    ({}, False, "https://baclieu-ngheo.streamlit.app/import", False),
    ({}, True, "https://baclieu-ngheo.streamlit.app/import", True),
    ({"POVERTY_ALLOW_IMPORT": "0"}, True, "http://localhost:8501/", False),
    ({"POVERTY_ALLOW_IMPORT": "1"}, False, "https://baclieu-ngheo.streamlit.app/", True),
])
def test_import_allowed(env: dict[str, str], logged_in: bool, url: str, allowed: bool) -> None:
    assert import_allowed(env, logged_in, url) is allowed


def test_page_hidden_and_shown(monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> None:
    monkeypatch.setenv("POVERTY_DB", str(empty_db))
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "0")
    page = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=60).run()
    assert not page.exception
    assert "Nhập dữ liệu chỉ dành cho người dùng đã đăng nhập" in page.info[0].value
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "1")
    page = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=60).run()
    assert not page.exception
    assert not page.info and page.title[0].value == "Nhập kết quả rà soát hằng năm"
