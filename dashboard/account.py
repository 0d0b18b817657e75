"""Signing in: the sidebar's control (Streamlit's OpenID Connect `st.login` / `st.logout`) and what the import page's
address says to a session that may not write. Who may write is decided in `data.access`."""

from __future__ import annotations

import streamlit as st

# `dashboard.importing.literal` is imported where a name is shown: that module brings the importer (data.ingest,
# ≈0.15 s), which a session that is not signed in never needs.
from data.access import Decision, Identity, auth_configured, identity
from i18n import Translator


def account_box(tr: Translator) -> None:
    """In the sidebar, where sign-in is configured (`[auth]` in the secrets): a sign-in button, or the signed-in
    user's name and e-mail (as typed, never as Markdown) with a sign-out button. Nothing otherwise."""
    if not auth_configured():
        return
    who = identity()
    with st.sidebar:
        if who is None:
            if st.button(tr("account.sign_in"), icon=":material/login:", key="account_sign_in"):
                st.login()
        else:
            from dashboard.importing import literal

            st.caption(tr("account.signed_in_as", who=literal(who.label())))
            if st.button(tr("account.sign_out"), icon=":material/logout:", key="account_sign_out"):
                st.logout()


def refusal(tr: Translator, decision: Decision, who: Identity | None, *, sign_in_offered: bool) -> str:
    """Why this session does not get the import page: signed in but not listed (naming the account), listed by an
    address the provider has not verified, not signed in where signing in is possible, or importing off here."""
    from dashboard.importing import literal

    if decision is Decision.NOT_LISTED and who is not None:
        return tr("import.not_on_list", who=literal(who.label()))
    if decision is Decision.UNVERIFIED and who is not None:
        return tr("import.email_unverified", who=literal(who.label()))
    return tr("import.sign_in_first") if sign_in_offered else tr("import.not_available")
