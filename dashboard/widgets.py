"""Streamlit widgets whose built-in texts are English, made to speak the page's language.

`st.file_uploader` (Streamlit 1.67) draws texts of its own that no parameter changes: the button ("Upload"), the
limits ("200MB per file • CSV, XLSX"), the hint while a file is dragged over it ("Drag and drop files here") and each
uploaded file's size ("8.0B"). `file_uploader` scopes a style sheet to its widget (the `st-key-<key>` class Streamlit
gives a keyed widget) that hides those texts and draws translated ones with CSS `content`; the button stays
Streamlit's own, so clicking it still opens the file chooser. Screen-reader-only labels ("file upload", "Add files",
"Remove …") cannot be reached this way and stay English, as does the reason Streamlit gives, in a tooltip, for a
file it refuses ("File must be 64.0MB or smaller."): a translated reason is drawn beside the refused file instead.
`tests/browser/test_language.py` checks the result in Chromium, so a Streamlit upgrade that changes the markup fails a
test instead of showing English again.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from i18n import Translator


def _css_string(text: str) -> str:
    """`text` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_css(tr: Translator, key: str, types: Sequence[str], limit_mb: int) -> str:
    """The style sheet that relabels the upload box keyed `key`: translated button, limits and drop hint; no size."""
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    button = tr("import.upload_button")
    limit = tr("import.upload_limit", size=tr.num(limit_mb), types=", ".join(t.upper() for t in types))
    # A file the box refuses (too large, or of another type) is never sent: the chip says why, in the page's language
    # (Streamlit's own reason is English and only in a tooltip).
    refused = tr("import.upload_refused", size=tr.num(limit_mb), types=", ".join(t.upper() for t in types))
    # Streamlit's small text is 0.875rem; the replaced spans keep their colour and weight, only the words change.
    return f"""<style>
{zone} button [data-testid="stMarkdownContainer"] p {{ display: none; }}
{zone} button [data-testid="stMarkdownContainer"]::after {{ content: {_css_string(button)}; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{
    content: {_css_string(limit)}; font-size: 0.875rem; }}
{zone} > div:not([data-testid]) > span {{ font-size: 0; }}
{zone} > div:not([data-testid]) > span::after {{ content: {_css_string(tr("import.drop_here"))}; font-size: 0.875rem; }}
{zone} [data-testid="stFileChipName"] + div {{ display: none; }}
{zone} [data-testid="stFileChip"][aria-invalid="true"]::after {{
    content: {_css_string(refused)}; font-size: 0.875rem; margin-left: 0.5rem; align-self: center; }}
</style>"""


def file_uploader(tr: Translator, label: str, *, key: str, types: Sequence[str], help: str | None = None,
                  limit_mb: int | None = None) -> list[UploadedFile]:
    """`st.file_uploader` for several files of `types` (e.g. `["csv", "xlsx"]`), every text in `tr`'s language.

    `limit_mb`: the largest file the box takes, in MB (never above the server's `server.maxUploadSize`, which the
    server enforces on every upload); the box refuses a larger file before sending it and says the limit.
    """
    server_mb = int(st.get_option("server.maxUploadSize"))
    limit_mb = min(limit_mb, server_mb) if limit_mb else server_mb
    st.html(uploader_css(tr, key, types, limit_mb))
    return st.file_uploader(label, type=list(types), accept_multiple_files=True, key=key, help=help,
                            max_upload_size=limit_mb) or []
