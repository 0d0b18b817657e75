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
    visible: bool = True  # False: reachable at its address, absent from the menu


PUBLIC_PAGES: tuple[Entry, ...] = (
    Entry("pages/overview.py", "page.overview", ":material/dashboard:", "overview"),
    Entry("pages/trajectories.py", "page.trajectories", ":material/show_chart:", "trajectories"),
    Entry("pages/commune_map.py", "page.map", ":material/map:", "commune_map"),
    Entry("pages/ranking.py", "page.ranking", ":material/leaderboard:", "ranking"),
    Entry("pages/flows.py", "page.flows", ":material/swap_vert:", "flows"),
    Entry("pages/drivers.py", "page.drivers", ":material/troubleshoot:", "drivers"),
    Entry("pages/commune.py", "page.commune", ":material/location_city:", "commune"),
    Entry("pages/compare.py", "page.compare", ":material/compare_arrows:", "compare"),
    Entry("pages/method.py", "page.method", ":material/menu_book:", "method"),
)
# It writes the warehouse: registered only where this session may write (`data.access.can_write`).
IMPORT_PAGE = Entry("pages/import_data.py", "page.import", ":material/upload_file:", "import_data")
# Everywhere else the import page's address shows why it is not offered; never in the menu. (Its stem differs from
# its url_path: a server's first request for /import_data runs pages/import_data.py, which sends the run through
# `app.py` and refuses by itself too.)
IMPORT_REFUSED = Entry("pages/import_refused.py", "page.import", ":material/lock:", "import_data", visible=False)


def registered_pages(can_write: bool) -> list[Entry]:
    """The pages given to `st.navigation`: the public ones, then the import page where this session may write, or
    else its hidden stand-in at the same address."""
    return [*PUBLIC_PAGES, IMPORT_PAGE if can_write else IMPORT_REFUSED]
