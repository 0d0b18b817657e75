"""The rows of a per-unit query for a view, served from the same query over every place where that gives the same
rows: a change of places then plans no SQL at all.

`PER_UNIT` lists the queries with `$level` ('total', 'district', 'commune') whose every unit's rows are summed from
that unit's own cells and labelled from its own codes (`unit_code`, `unit_name`, `district_code` and, where the
query has it, `district_name`): nothing in a row depends on which other places the filter chose. So, for the same
unit set, area, group (and year, and the drivers' `$commune` restriction):

- at the `district` or `commune` level, the rows of the chosen places (`$district`: former districts, or current
  units) are the rows of the query over every place whose `district_code` is chosen (a former commune's district,
  a district's or a current unit's own code);
- at the `total` level, the total of ONE chosen place is that place's rows at the `district` level under the
  total's labels (`unit_code` 'total', no name, no district): the same cells are summed (a review whose former
  commune is unknown counts only in the province's total, never in a chosen place's).

Only the total of several places or of the whole province is a query of its own. The query over every place is run
once per unit set, area and group and cached by `queries.runner.run` like any other result; DuckDB's binding and
optimising of these queries (≈ 25 ms each at any scale, their cells scan a few ms) was most of a filter change's
time (issue 13). tests/app/test_unit_rows.py checks every place of both unit sets, at every level, against the
queries themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from queries.runner import run

PER_UNIT = frozenset({"poor_rate_progress", "poverty_flows", "flow_units", "deprivation_drivers"})
LEVELS = ("total", "district", "commune")
_TOTAL_LABELS = ("unit_name", "district_code", "district_name")  # NULL in a total row


def unit_rows(query: str, *, level: str, units: str, district: Sequence[str], area: str, group: str,
              **params: object) -> pd.DataFrame:
    """The rows `queries/<query>.sql` (one of `PER_UNIT`) gives for `$level`, `$units` ('former', 'current'),
    `$district` (the chosen places' codes; empty: all), `$area`, `$group` and any other parameter of the query
    (`$year` for the flows and drivers, `$commune` for the drivers), in the query's order and columns (module
    docstring for when no SQL runs).

    Raises ValueError for a query not in `PER_UNIT` or another level (the SQL would read it as the total)."""
    if query not in PER_UNIT:
        raise ValueError(f"{query!r} is not a per-unit query ({', '.join(sorted(PER_UNIT))})")
    if level not in LEVELS:
        raise ValueError(f"level must be 'total', 'district' or 'commune', not {level!r}")
    chosen = [str(code) for code in district]
    if not chosen or (level == "total" and len(chosen) > 1):
        return run(query, level=level, units=units, district=chosen, area=area, group=group, **params)
    every = run(query, level="district" if level == "total" else level, units=units, district=[], area=area,
                group=group, **params)
    rows = every[every["district_code"].isin(chosen)].reset_index(drop=True)
    if level == "total":
        rows = rows.assign(unit_code=pd.Series("total", index=rows.index, dtype=every["unit_code"].dtype),
                           **{column: pd.Series([None] * len(rows), index=rows.index, dtype=object)
                              for column in _TOTAL_LABELS if column in rows.columns})
    return rows
