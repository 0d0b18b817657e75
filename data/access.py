"""Who may import review files from the dashboard: a plain rule, testable without Streamlit.

`POVERTY_ALLOW_IMPORT=1` (or true/yes) always shows the import page; `=0` (or false/no) always hides it. Unset:
the page is shown to a signed-in user (`st.user.is_logged_in`, when the deployment configures Streamlit's OIDC
authentication) and to anyone using the app on this machine (the browser reached it as localhost), and hidden from
anonymous viewers of a hosted dashboard.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlparse

ENV = "POVERTY_ALLOW_IMPORT"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def import_allowed(env: Mapping[str, str] | None = None, logged_in: bool | None = None,
                   url: str | None = None) -> bool:
    """The rule. `logged_in` and `url` default to Streamlit's `st.user` and `st.context.url` when running."""
    value = (os.environ if env is None else env).get(ENV, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    if logged_in is None or url is None:
        import streamlit as st

        if logged_in is None:
            try:
                logged_in = bool(st.user.is_logged_in)
            except Exception:  # no auth configured, or not running in Streamlit
                logged_in = False
        if url is None:
            try:
                url = st.context.url or ""
            except Exception:
                url = ""
    if logged_in:
        return True
    host = urlparse(url).hostname or ""
    return host in LOCAL_HOSTS


def signed_in() -> bool:
    """Whether this session's viewer is signed in through Streamlit's authentication (`st.user.is_logged_in`).

    False when authentication is not configured, when `st.user` has no `is_logged_in`, and outside Streamlit. Used by
    `dashboard.disclosure`: figures from few households are hidden from viewers who are not signed in.
    """
    try:
        import streamlit as st

        return bool(st.user.is_logged_in)
    except Exception:  # no auth configured, or not running in Streamlit
        return False
