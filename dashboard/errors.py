"""What a viewer sees when something fails while the app runs: a short message in the page's language with a
reference (8 hex digits); the traceback, with the same reference, goes to the server log. No traceback, file path,
process id or library message reaches the browser.

`app.py` runs its frame and the chosen page inside `reported(...)`. Streamlit's control flow (`st.stop`, `st.rerun`,
`st.switch_page`) raises `ScriptControlException`s, which derive from `BaseException` (Streamlit 1.67,
`streamlit.runtime.scriptrunner_utils.exceptions`), so `except Exception` lets them through as it must.
`.streamlit/config.toml` keeps `client.showErrorDetails = "none"` for whatever fails outside these blocks.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dashboard import filters
from i18n import Lang, Translator

_log = logging.getLogger(__name__)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_to_stderr() -> None:
    """Send the app's own log records (WARNING and up: this module, `data.access`, `dashboard.geometry` …) to the
    server's standard error with a time stamp, once per process. Streamlit's loggers do not propagate to the root
    logger, so their output is unchanged; a root logger that already has handlers (pytest) is left alone."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)


def new_reference() -> str:
    """A reference the viewer can quote and the operator can search for: 8 random hex digits."""
    return secrets.token_hex(4)


def log_failure(exc: BaseException, where: str) -> str:
    """Log `exc` with its traceback under a new reference; return the reference."""
    reference = new_reference()
    _log.error("error %s on %s: %s", reference, where, type(exc).__name__, exc_info=exc)
    return reference


def _session_lang() -> Lang:
    return filters.current().lang if filters.ready() else "vi"


@contextmanager
def reported(where: str) -> Iterator[None]:
    """Run the block; an `Exception` from it is logged (`log_failure`) and shown as `app.error` with its reference,
    in the session's language (Vietnamese before the filters exist). `where` names the block in the log."""
    try:
        yield
    except Exception as exc:
        reference = log_failure(exc, where)
        st.error(Translator(_session_lang())("app.error", ref=reference), icon=":material/error:")
