"""The rows of `queries/poor_rate_progress.sql` for a view, served from the query over every place where that gives the
same rows: a change of places then plans no SQL at all.

Every unit's rows of `poor_rate_progress` are summed from its own cells, judged on its own baseline and path, and
labelled from its own codes: nothing in a row depends on which other places the filter chose. So, for the same unit
set, area and group:

- at the `district` or `commune` level, the rows of the chosen places (`$district`: former districts, or current
  units) are the rows of the query over every place whose `district_code` is chosen (a former commune's district,
  a district's or a current unit's own code);
- at the `total` level, the total of ONE chosen place is that place's row at the `district` level under the
  total's labels (`unit_code` 'total', no name, no district): the same cells are summed (a review whose former
  commune is unknown counts only in the province's total, never in a chosen place's).

Only the total of several places or of the whole province is a query of its own. The query over every place is run
once per unit set, area and group and cached by `queries.runner.run` like any other result; DuckDB's binding and
optimising of this query (≈ 25 ms at any scale, its cells scan ≈ 2 ms) was most of a filter change's time (issue 13).
tests/app/test_progress_places.py checks every place of both unit sets, every area and group, against the query itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from queries.runner import run

QUERY = "poor_rate_progress"
_TOTAL_LABELS = ("unit_name", "district_code", "district_name")  # NULL in a total row


def poor_rate_progress(*, level: str, units: str, district: Sequence[str], area: str, group: str) -> pd.DataFrame:
    """The rows `queries/poor_rate_progress.sql` gives for `$level` ('total', 'district', 'commune'), `$units`
    ('former', 'current'), `$district` (the chosen places' codes; empty: all), `$area` and `$group`: one row per unit
    and year, ordered by unit and year, the query's columns (module docstring for when no SQL runs).

    Raises ValueError for another level (the SQL would read it as the total)."""
    if level not in ("total", "district", "commune"):
        raise ValueError(f"level must be 'total', 'district' or 'commune', not {level!r}")
    chosen = [str(code) for code in district]
    if not chosen or (level == "total" and len(chosen) > 1):
        return run(QUERY, level=level, units=units, district=chosen, area=area, group=group)
    every = run(QUERY, level="district" if level == "total" else level, units=units, district=[], area=area,
                group=group)
    rows = every[every["district_code"].isin(chosen)].reset_index(drop=True)
    if level == "total":
        rows = rows.assign(unit_code=pd.Series("total", index=rows.index, dtype=every["unit_code"].dtype),
                           **{column: pd.Series([None] * len(rows), index=rows.index, dtype=object)
                              for column in _TOTAL_LABELS})
    return rows
