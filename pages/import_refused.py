"""The import page's address where this session may not write: says why (not signed in, not on the list, an
unverified address, or importing off on this server) and shows nothing of the import page itself.

Registered hidden at `/import_data` by `dashboard.navigation.IMPORT_REFUSED`; the decision is `data.access`'s.
"""

from __future__ import annotations

import streamlit as st

from dashboard.account import refusal
from dashboard.context import enter_through_app_if_needed
from dashboard.filters import current, ready
from data.access import auth_configured, decision, identity
from i18n import Translator

enter_through_app_if_needed()
tr = Translator(current().lang if ready() else "vi")

st.title(tr("page.import"))
st.info(refusal(tr, decision(), identity(), sign_in_offered=auth_configured()), icon=":material/lock:")
