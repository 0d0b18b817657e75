"""What every page needs at the start of a run: the view (filters), the translator, unit names, review years."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import filters as filter_state
from dashboard.filters import Filters
from dashboard.i18n import Translator
from queries.runner import run


@dataclass(frozen=True)
class PageContext:
    filters: Filters
    tr: Translator
    units: pd.DataFrame
    district_names: dict[str, str]
    commune_names: dict[str, str]
    years: list[int]

    @property
    def sql(self) -> dict[str, object]:
        """The filter parameters for `queries/*.sql`."""
        return self.filters.sql_params()


def units_and_years() -> tuple[pd.DataFrame, dict[str, str], list[int]]:
    """The unit list, district code → name (in code order) and the review years (cached queries)."""
    units = run("units")
    districts = units.drop_duplicates("district_code").sort_values("district_code")
    years = [int(y) for y in run("review_years")["year"]]
    return units, dict(zip(districts["district_code"], districts["district_name"], strict=True)), years


def page_context() -> PageContext:
    """The context of this run, after `app.py` has rendered the filters."""
    units, district_names, years = units_and_years()
    current = filter_state.current()
    return PageContext(
        filters=current,
        tr=Translator(current.lang),
        units=units,
        district_names=district_names,
        commune_names=dict(zip(units["commune_code"], units["commune_name"], strict=True)),
        years=years,
    )
