"""Page tests: one small demo warehouse per test worker, opened by the app through $POVERTY_DB.

The demo generator calibrates the province rates exactly (households are ranked by a score and the scenario's shares
decide the classes), so the published figures (5.09 % and 6.54 % in 2021, 3.19 % in 2022) hold at 20,000 households
as at province size; no full-size build is needed here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data.build import build

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = 20_000
PAGES = {
    "overview": "pages/overview.py",
    "trajectories": "pages/trajectories.py",
    "map": "pages/commune_map.py",
    "ranking": "pages/ranking.py",
    "flows": "pages/flows.py",
    "drivers": "pages/drivers.py",
    "commune": "pages/commune.py",
    "compare": "pages/compare.py",
    "method": "pages/method.py",
}

# The profile and compare pages show a unit's figures once one is chosen: page-wide tests open them on these (codes
# of both unit sets: a current unit keeps the code of one of its former communes).
UNIT_PAGE_PARAMS: dict[str, dict[str, str | list[str]]] = {"commune": {"commune": "31825"},
                                                           "compare": {"compare": ["31825", "31834"]}}


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the warehouse once per worker and point the app at it."""
    path = tmp_path_factory.mktemp("app") / "baclieu.duckdb"
    build(path, households=HOUSEHOLDS, log=lambda _m: None)
    previous = os.environ.get("POVERTY_DB")
    os.environ["POVERTY_DB"] = str(path)
    from queries.runner import clear_caches

    clear_caches()
    yield path
    clear_caches()
    if previous is None:
        os.environ.pop("POVERTY_DB", None)
    else:
        os.environ["POVERTY_DB"] = previous


@pytest.fixture(scope="session")
def raw(warehouse: Path) -> dict[str, pd.DataFrame]:
    """The base tables, read without the `classified` view, for independent computations in pandas."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {name: con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 (fixed table names)
                for name in ("units", "households", "reviews", "standards", "targets", "indicators", "unit_sets",
                             "unit_crosswalk")}
    finally:
        con.close()


def unit_set_of(raw: dict[str, pd.DataFrame], year: int) -> str:
    """The unit set a review year is filed in, from the `unit_sets` table: the one in force on 1 September of the
    year (when the annual review starts)."""
    day = pd.Timestamp(year=year, month=9, day=1)
    for row in raw["unit_sets"].itertuples():
        if (pd.isna(row.in_force_from) or pd.Timestamp(row.in_force_from) <= day) and (
                pd.isna(row.in_force_to) or day <= pd.Timestamp(row.in_force_to)):
            return str(row.unit_set)
    raise AssertionError(f"no unit set in force in {year}")


@pytest.fixture(scope="session")
def classified_pd(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every review classified in pandas from the standard's lines and indicator list (domain.md §2: income at or
    under the line AND at least `min_deprivations` deprived → poor; under the line with fewer → near-poor).

    Places: `commune_code`, `commune_name`, `district_code`, `district_name` are the household's FORMER commune and
    district (missing for a household known only under the current units), `current_code` / `current_name` its
    current unit; `unit_set` is the set the year is filed in, and `area` (which decides the poverty line) the area of
    the household's unit in that set."""
    units = raw["units"]
    former = units[units["unit_set"] == "former"][["commune_code", "commune_name", "district_code", "district_name",
                                                    "area"]].rename(columns={"area": "former_area"})
    current = units[units["unit_set"] == "current"][["commune_code", "commune_name", "area"]].rename(
        columns={"commune_code": "current_code", "commune_name": "current_name", "area": "current_area"})
    reviews = (raw["reviews"].merge(raw["households"], on="household_id")
               .merge(former, on="commune_code", how="left").merge(current, on="current_code", how="left"))
    reviews["unit_set"] = reviews["year"].map({y: unit_set_of(raw, y) for y in reviews["year"].unique()})
    reviews["area"] = reviews["current_area"].where(reviews["unit_set"] == "current", reviews["former_area"])
    assert reviews["area"].notna().all() and reviews["current_code"].notna().all()
    out = []
    for standard in raw["standards"].itertuples():
        part = reviews[reviews["year"].between(standard.first_year, standard.last_year)].copy()
        columns = [f"d_{name}" for name in standard.indicators]
        part["deprivation_count"] = part[columns].sum(axis=1)
        line = part["area"].map({"urban": standard.urban_poverty_line, "rural": standard.rural_poverty_line})
        under = part["income_per_capita"] <= line
        part["poverty_line"] = line
        part["status"] = "other"
        part.loc[under, "status"] = "near_poor"
        part.loc[under & (part["deprivation_count"] >= standard.min_deprivations), "status"] = "poor"
        out.append(part)
    return pd.concat(out, ignore_index=True)


SIGNED_IN_USER = {"email": "analyst@example.vn", "name": "Analyst", "is_logged_in": True}
# Sign-in configured as a deployment has it (`deploy.auth_secrets`): `data.access` trusts `st.user` only then.
# Nothing here is contacted: AppTest's user stands for what the provider would have said.
AUTH_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret-" * 2,
                "client_id": "dashboard", "client_secret": "test-client-secret",
                "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def open_app(page: str | None = None, pages: dict[str, str] = PAGES, *, signed_in: bool = False,
             user: dict[str, object] | None = None, **params: str | list[str]) -> AppTest:
    """A new session on `/<page>?<params>` of the app (on whatever warehouse $POVERTY_DB names), run once.

    By default as a viewer who is not signed in (figures from few households hidden, dashboard/disclosure.py);
    `signed_in=True` gives the session a user signed in through Streamlit's authentication (`st.user`): by default
    `SIGNED_IN_USER`, on `POVERTY_READERS` (fixture `trusted_reader`); `user=` another one."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if signed_in:
        at.secrets["auth"] = dict(AUTH_SECRETS)
        at.user = dict(user or SIGNED_IN_USER)
    for name, value in params.items():
        at.query_params[name] = value
    if page and page != "overview":
        at.switch_page(pages[page])
    return at.run()


def tables(at: AppTest) -> list:
    """Every table the page shows, in page order: the interactive grids (`st.dataframe`, `at.dataframe`) and the
    static tables (`st.table`, `at.table`: the overview's, `dashboard.download.show_table(static=True)`). Each has
    `.value`, a DataFrame of the cells as shown."""
    return [e for e in at if e.type in ("dataframe", "table")]


@pytest.fixture(autouse=True)
def trusted_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """`SIGNED_IN_USER` is on `POVERTY_READERS`, so a session opened with `signed_in=True` sees small cells (signing
    in alone does not: `data.access.sees_everything`)."""
    monkeypatch.setenv("POVERTY_READERS", SIGNED_IN_USER["email"])


@pytest.fixture
def app(warehouse: Path) -> Callable[..., AppTest]:
    """`app(page=None, signed_in=False, **params)`: open `/<page>?<params>` in a new session, as a shared link does
    (anonymous, or signed in). The profile and compare pages open on `UNIT_PAGE_PARAMS` unless given others.

    (The pages' url_paths equal their file stems, so AppTest finds a page before the first run. Opening the page in
    the first run matters: after an `AppTest.switch_page`, AppTest drops what the entry script drew around the page,
    the sidebar and notices included, which a browser keeps.)
    """

    def open_page(page: str | None = None, *, signed_in: bool = False, **params: str | list[str]) -> AppTest:
        return open_app(page, signed_in=signed_in, **{**UNIT_PAGE_PARAMS.get(page or "", {}), **params})

    return open_page
