"""A failure while a page runs reaches the viewer as a short translated message with a reference; the server log has
the traceback under the same reference (`dashboard.errors`). Streamlit's own control flow passes through."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

import dashboard.context
import dashboard.disclosure
import queries.places
import queries.runner
from dashboard import errors
from i18n import Translator

from .conftest import open_app

REFERENCE = re.compile(r"\b[0-9a-f]{8}\b")


def _failing_on(monkeypatch: pytest.MonkeyPatch, query: str, secret: str) -> None:
    """Make `queries.runner.run(query)` fail the way DuckDB does when a file is locked: with a path and a pid."""
    queries.runner.clear_caches()  # nothing computed before from this query's results stands in for it
    real = queries.runner.run

    def run(name: str, **params: object):
        if name == query:
            raise duckdb.IOException(f'IO Error: Could not set lock on file "{secret}": Conflicting lock is held in '
                                     "/usr/bin/python3.11 (PID 4242)")
        return real(name, **params)

    monkeypatch.setattr(queries.runner, "run", run)  # pages and app.py import it on every run
    monkeypatch.setattr(dashboard.context, "run", run)  # imported once
    monkeypatch.setattr(dashboard.disclosure, "run", run)  # the pages' protected figures
    monkeypatch.setattr(queries.places, "run", run)  # the per-unit queries (progress, flows, drivers)


def _shown(at) -> str:
    return "\n".join(str(e.value) for kind in ("title", "markdown", "caption", "info", "warning", "error", "success")
                     for e in getattr(at, kind))


@pytest.mark.parametrize(("lang", "page", "query"), [
    ("vi", "method", "deprivation_indicators"),  # in the page, after its title is drawn
    ("en", "ranking", "poor_rate_progress"),
    ("vi", None, "units"),  # in the frame, before the filters exist
])
def test_a_failure_shows_a_reference_and_logs_the_traceback(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, lang: str,
    page: str | None, query: str
) -> None:
    secret = f"{warehouse.parent}/baclieu.duckdb"
    _failing_on(monkeypatch, query, secret)
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        at = open_app(page, lang=lang)
    assert not at.exception
    [error] = [e.value for e in at.error]
    [reference] = REFERENCE.findall(error)
    expected_lang = lang if page else "vi"  # before the filters, the language of the link is not known yet
    assert error == Translator(expected_lang)("app.error", ref=reference)  # type: ignore[arg-type]
    shown = _shown(at)
    for leak in (secret, str(warehouse.parent), "4242", "PID", "IOException", "IO Error", "Traceback", "duckdb"):
        assert leak not in shown
    [record] = [r for r in caplog.records if r.name == "dashboard.errors"]
    logged = logging.Formatter(errors.LOG_FORMAT).format(record)
    assert reference in record.getMessage()
    assert "Traceback (most recent call last)" in logged and secret in logged and "IOException" in logged


def test_a_page_that_fails_keeps_the_frame(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sidebar, the menu and what the page drew before the failure stay; the message follows them."""
    _failing_on(monkeypatch, "deprivation_indicators", "/srv/x.duckdb")
    at = open_app("method", lang="en")
    assert at.title[0].value == "Method and data"
    assert at.sidebar.radio or at.sidebar.selectbox or at.sidebar.multiselect
    assert len(at.error) == 1


def test_control_flow_passes_through() -> None:
    with pytest.raises(StopException), errors.reported("test"):
        raise StopException()


def test_references_differ() -> None:
    references = {errors.new_reference() for _ in range(200)}
    assert len(references) == 200 and all(REFERENCE.fullmatch(r) for r in references)


def test_no_warehouse_names_no_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                    caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "nowhere" / "baclieu.duckdb"
    monkeypatch.setenv("POVERTY_DB", str(missing))
    with caplog.at_level(logging.ERROR):
        at = open_app()
    assert not at.exception
    assert [e.value for e in at.error] == [Translator("vi")("app.no_warehouse")]
    assert str(tmp_path) not in _shown(at)
    assert any(str(missing) in r.getMessage() for r in caplog.records)
