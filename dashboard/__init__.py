"""Cross-cutting pieces of the dashboard: filters and their URL form, translations, status labels, chart theme,
downloads, and the page frame. Pages import from here; nothing here imports a page."""
