"""The app's pages, in menu order: plain data that `app.py`, the benchmarks and the tests share.

Keep `url_path` equal to the file's stem: until `st.navigation` first runs in a server process Streamlit resolves
URLs by file name (a `pages/` folder exists), so a first request for `/<stem>` still finds its page.
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    path: str
    title_key: str
    icon: str
    url_path: str


PUBLIC_PAGES: tuple[Entry, ...] = (
    Entry("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    Entry("pages/trajectories.py", "page.trajectories", ":material/show_chart:", "trajectories"),
    Entry("pages/commune_map.py", "page.map", ":material/map:", "commune_map"),
    Entry("pages/ranking.py", "page.ranking", ":material/leaderboard:", "ranking"),
    Entry("pages/method.py", "page.method", ":material/menu_book:", "method"),
)
# It writes the warehouse: listed only where importing is allowed (data/access.py).
IMPORT_PAGE = Entry("pages/import_data.py", "page.import", ":material/upload_file:", "import_data")


def registered_pages(import_allowed: bool) -> list[Entry]:
    """The pages of the menu: the public ones, plus the import page where importing is allowed."""
    return [*PUBLIC_PAGES, IMPORT_PAGE] if import_allowed else list(PUBLIC_PAGES)
