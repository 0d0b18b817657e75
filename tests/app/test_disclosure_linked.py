"""No small cell can be recovered by combining views (issue 9, dashboard/lattice.py), checked by brute force on the
20,000-household test warehouse.

Everything an anonymous viewer can read as a count of households is collected through the dashboard's own entry
points over every combination of area and group: each district and commune row (and its baseline and previous-year
households), totals of chosen districts, the urban, rural and ethnic-minority rows of the plan's other targets, and
each year's coverage (`published` says which). Each is a sum of atoms (households of one commune, area and group
atom: Kinh, Khmer, other), computed here from the base tables in pandas, not from the dashboard's queries. Then, year
by year, linear algebra: no cell of 1 … N−1 households — a unit × area × group (other minorities included, which no
filter shows) or a total of any districts — may lie in the span of what is shown. The same check on what primary
suppression alone would show finds recoverable cells, so the check can fail.

Rates too: wherever a cell the views give (in their span) is the sum of children (its districts, communes, areas or
groups) of which some are not given, those hidden children together must hold some but not all of the households
of each published class (poor; near-poor; poor or near-poor; for urban and rural cells poor without
social-protection households), else the cell less the given children says each hidden child's rate is 0 % or
100 %. Left out: a cell whose own rate is 0 % or 100 % (it says so of every child without any subtraction). The
same check on what the lattice of before (households alone) shows finds such cells.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from dashboard import disclosure, lattice
from dashboard.disclosure import Rule

N = 10
RULE = Rule(N)
AREAS = ("all", "urban", "rural")
GROUPS = ("all", "kinh", "minority", "khmer")
ATOMS_OF = {"all": {"kinh", "khmer", "other"}, "kinh": {"kinh"}, "minority": {"khmer", "other"}, "khmer": {"khmer"},
            "other": {"other"}}

# The published classes (households of a cell counted by its rates) from the reviews' status and social protection.
CLASSES = {"poor": ("poor",), "near_poor": ("near_poor",), "poor_or_near_poor": ("poor", "near_poor"),
           "poor_excl_sp": ("poor_excl_sp",)}

# A published count: (year, districts (None: the unit is a commune), commune, area, group) and its households.
Spec = tuple[int, tuple[str, ...] | None, str | None, str, str]


@pytest.fixture(scope="module")
def atoms(classified_pd: pd.DataFrame) -> pd.DataFrame:
    """Households per year, district, commune, area and group atom, from the base tables, and of them the poor,
    near-poor, and poor without social protection."""
    frame = classified_pd.assign(
        atom=classified_pd["ethnicity"].where(classified_pd["ethnicity"].isin(["kinh", "khmer"]), "other"),
        poor=classified_pd["status"] == "poor", near_poor=classified_pd["status"] == "near_poor",
        poor_excl_sp=(classified_pd["status"] == "poor") & ~classified_pd["social_protection"].astype(bool))
    keys = ["year", "district_code", "commune_code", "area", "atom"]
    return frame.groupby(keys, as_index=False).agg(size=("poor", "size"), poor=("poor", "sum"),
                                                   near_poor=("near_poor", "sum"),
                                                   poor_excl_sp=("poor_excl_sp", "sum"))


class Year:
    """One year's atoms as arrays, and any cell of it as a 0/1 vector over them (cached: cells repeat)."""

    def __init__(self, atoms: pd.DataFrame, year: int) -> None:
        part = atoms[atoms["year"] == year]
        self.district, self.commune, self.area, self.atom = (part[c].to_numpy(dtype=str) for c in (
            "district_code", "commune_code", "area", "atom"))
        self.size = part["size"].to_numpy(dtype=float)
        self.classes = {name: sum(part[c].to_numpy(dtype=float) for c in columns) for name, columns in CLASSES.items()}
        self._vectors: dict[tuple, np.ndarray] = {}
        self.small: list[tuple[Spec, np.ndarray]] | None = None

    def vector(self, districts: tuple[str, ...] | None, commune: str | None, area: str, group: str) -> np.ndarray:
        """The chosen districts (empty: all) or one commune, × area × group."""
        key = (districts, commune, area, group)
        if key not in self._vectors:
            mask = np.isin(self.atom, sorted(ATOMS_OF[group]))
            if area != "all":
                mask &= self.area == area
            if commune is not None:
                mask &= self.commune == commune
            elif districts:
                mask &= np.isin(self.district, districts)
            self._vectors[key] = mask.astype(float)
        return self._vectors[key]

    def households(self, *cell: object) -> int:
        return int(self.vector(*cell) @ self.size)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def years(atoms: pd.DataFrame) -> dict[int, Year]:
    return {int(y): Year(atoms, int(y)) for y in sorted(atoms["year"].unique())}


def shown(value: object) -> bool:
    """Whether a count is on the page (a hidden one is NaN; one that does not exist, NA or None)."""
    return not pd.isna(value)


@pytest.fixture(scope="module")
def published(warehouse, atoms: pd.DataFrame) -> list[tuple[Spec, int]]:
    """Every count of households an anonymous viewer is shown, over all filter combinations: district and commune
    rows; totals of no or one district for every area and group, and of every two and every six districts for the
    Khmer group, where this warehouse has hidden districts (its urban and rural Khmer households are few in some);
    the urban, rural and ethnic-minority rows of the plan's other targets for no or one district with any area (all
    groups) or any group (all areas); each year's coverage."""
    out: list[tuple[Spec, int]] = []
    districts = sorted(atoms["district_code"].unique())
    few = [(), *((d,) for d in districts)]
    many = [*itertools.combinations(districts, 2), *itertools.combinations(districts, len(districts) - 1)]
    hidden_districts = 0
    for area, group in itertools.product(AREAS, GROUPS):
        params = {"district": [], "area": area, "group": group}
        for level in ("district", "commune"):
            frame = disclosure.progress(level, params, RULE)
            first = int(frame["year"].min())
            for row in frame.itertuples():
                unit = ((str(row.unit_code),), None) if level == "district" else (None, str(row.unit_code))
                for year, households in ((row.year, row.households), (first, row.baseline_households),
                                         (row.year - 1, row.previous_households)):
                    if shown(households):
                        out.append(((int(year), *unit, area, group), int(households)))
            if group == "khmer":  # choosing districts changes no row's state
                hidden_districts += int(frame["hidden"].notna().sum()) if level == "district" else 0
                some = disclosure.progress(level, {**params, "district": districts[:2]}, RULE)
                same = frame[frame["district_code"].isin(districts[:2])]
                assert some["hidden"].tolist() == same["hidden"].tolist()
        for choice in few + (many if group == "khmer" else []):
            for row in disclosure.progress("total", {**params, "district": list(choice)}, RULE).itertuples():
                if shown(row.households):
                    out.append(((int(row.year), tuple(choice), None, area, group), int(row.households)))
        if area == "all" or group == "all":
            cell = {"urban": ("urban", group), "rural": ("rural", group),
                    "ethnic_minority": (area, "khmer" if group == "khmer" else "minority")}
            for choice in few:
                for row in disclosure.targets({**params, "district": list(choice)}, RULE).itertuples():
                    if row.scope in cell and shown(row.population):
                        out.append(((int(row.year), tuple(choice), None, *cell[row.scope]), int(row.population)))
    assert hidden_districts > 0  # the totals of two and of six districts have hidden districts to give back
    for row in disclosure.coverage(RULE).itertuples():
        if shown(row.households):
            out.append(((int(row.year), (), None, "all", "all"), int(row.households)))
    return out


def small_cells(year: Year, number: int) -> list[tuple[Spec, np.ndarray]]:
    """Every cell of 1 … N−1 households of the year: units × areas × groups (other minorities too) and totals of any
    districts (cached on `year`)."""
    if year.small is not None:
        return year.small
    districts = sorted(set(year.district))
    units: list[tuple[tuple[str, ...] | None, str | None]] = [((), None)]
    units += [(tuple(c), None) for k in range(1, len(districts)) for c in itertools.combinations(districts, k)]
    units += [(None, c) for c in sorted(set(year.commune))]
    out = []
    for (chosen, commune), area, group in itertools.product(units, AREAS, (*GROUPS, "other")):
        if 0 < year.households(chosen, commune, area, group) < N:
            out.append(((number, chosen, commune, area, group), year.vector(chosen, commune, area, group)))
    year.small = out
    return out


def span_of(year: Year, number: int, counts: list[tuple[Spec, int]]) -> np.ndarray:
    """An orthonormal basis (rows) of the span of the year's shown counts' vectors."""
    rows = np.unique(np.array([year.vector(*spec[1:]) for spec, _ in counts if spec[0] == number]), axis=0)
    _, singular, basis = np.linalg.svd(rows, full_matrices=False)
    return basis[singular > 1e-9 * singular[0]]


def in_span(span: np.ndarray, v: np.ndarray) -> bool:
    return bool(np.linalg.norm(v - span.T @ (span @ v)) < 1e-6)


def recoverable(years: dict[int, Year], counts: list[tuple[Spec, int]]) -> dict[int, list[Spec]]:
    """Per year: the small cells whose 0/1 vector lies in the span of the shown counts' vectors."""
    found: dict[int, list[Spec]] = {}
    for number, year in years.items():
        span = span_of(year, number, counts)
        found[number] = [spec for spec, v in small_cells(year, number) if in_span(span, v)]
    return found


def families(year: Year, number: int, counts: list[tuple[Spec, int]]) -> list[tuple[Spec, list[Spec]]]:
    """Every cell with households and the children it is the sum of, one family at a time: the province of its
    districts, a district of its communes, all areas of urban and rural, all groups of Kinh and minority, minority
    of Khmer and other; and each shown total of several districts of its districts."""
    districts = sorted(set(year.district))
    communes_of = {d: sorted(set(year.commune[year.district == d])) for d in districts}
    units: list[tuple[tuple[str, ...] | None, str | None, list]] = [
        ((), None, [((d,), None) for d in districts])]
    units += [((d,), None, [(None, c) for c in communes_of[d]]) for d in districts]
    units += [(None, c, []) for d in districts for c in communes_of[d]]
    out: list[tuple[Spec, list[Spec]]] = []
    for (chosen, commune, parts), area, group in itertools.product(units, AREAS, (*GROUPS, "other")):
        if not year.households(chosen, commune, area, group):
            continue
        parent: Spec = (number, chosen, commune, area, group)
        kids = [[(number, *part, area, group) for part in parts]]
        if area == "all":
            kids.append([(number, chosen, commune, a, group) for a in ("urban", "rural")])
        if group == "all":
            kids.append([(number, chosen, commune, area, g) for g in ("kinh", "minority")])
        if group == "minority":
            kids.append([(number, chosen, commune, area, g) for g in ("khmer", "other")])
        out += [(parent, [k for k in ks if year.households(*k[1:])]) for ks in kids if ks]
    for spec, _ in counts:
        if spec[0] == number and spec[1] and len(spec[1]) > 1:
            out.append((spec, [(number, (d,), None, spec[3], spec[4]) for d in spec[1]]))
    return out


def rates_known(years: dict[int, Year], counts: list[tuple[Spec, int]]) -> list[tuple[Spec, list[Spec], str]]:
    """Cells the views give (in their span) whose children not given hold none or all of a class's households,
    while the cell itself holds some but not all: (cell, its hidden children, class)."""
    found = []
    for number, year in years.items():
        span = span_of(year, number, counts)
        for parent, children in families(year, number, counts):
            v = year.vector(*parent[1:])
            if not in_span(span, v):
                continue
            hidden = [c for c in children if not in_span(span, year.vector(*c[1:]))]
            if not hidden:
                continue
            rest = sum(year.vector(*c[1:]) for c in hidden)
            held = rest @ year.size
            for name, values in year.classes.items():
                if name == "poor_excl_sp" and parent[3] == "all":
                    continue  # no page shows it for all areas
                if v @ values in (0, v @ year.size):
                    continue  # the parent's own rate gives every child's
                if rest @ values in (0, held):
                    found.append((parent, hidden, name))
    return found


def test_every_shown_count_is_its_cells_households(years, published):
    """What the pages show is the sum of the atoms the check gives it (so the check is about the shown numbers)."""
    assert len(published) > 5000
    for spec, households in published:
        assert years[spec[0]].households(*spec[1:]) == households, spec


def test_no_small_cell_can_be_recovered_from_all_the_views_together(years, published):
    found = recoverable(years, published)
    assert all(len(small_cells(year, number)) > 100 for number, year in years.items())  # something to protect
    assert found == {number: [] for number in years}


def test_no_hidden_cell_rate_is_known_as_0_or_100_percent_by_subtraction(years, published):
    """No view less others gives hidden cells that hold none, or only, poor (near-poor, …) households."""
    assert rates_known(years, published) == []


def test_the_lattice_on_households_alone_would_let_hidden_rates_be_known(years, atoms):
    """The check can fail: every cell the lattice of before (households alone, no classes) shows lets some hidden
    cells be known at 0 % or 100 %."""
    frame = atoms.rename(columns={"atom": "group_atom", "size": "households"})
    sizes = lattice.cell_sizes(frame)
    before, _ = lattice.suppress(sizes, lattice.relations(frame), N)
    shown_cells: list[tuple[Spec, int]] = []
    for cell, households in sizes.items():
        if cell not in before and cell.group != "other":
            unit = (((), None) if cell.level == lattice.PROVINCE else ((cell.unit,), None)
                    if cell.level == lattice.DISTRICT else (None, cell.unit))
            shown_cells.append(((cell.year, *unit, cell.area, cell.group), households))
    found = rates_known(years, shown_cells)
    assert found
    assert {name for _, _, name in found} >= {"poor"}


def test_primary_suppression_alone_would_let_small_cells_be_recovered(years, atoms):
    """The check can fail: showing every cell of N or more households (what primary suppression alone shows) lets
    other minorities be found as minority − Khmer, a rural cell as all − urban, and more."""
    everything: list[tuple[Spec, int]] = []
    units = [((), None), *(((d,), None) for d in sorted(atoms["district_code"].unique())),
             *((None, c) for c in sorted(atoms["commune_code"].unique()))]
    for number, year in years.items():
        for (chosen, commune), area, group in itertools.product(units, AREAS, GROUPS):
            households = year.households(chosen, commune, area, group)
            if households >= N:
                everything.append(((number, chosen, commune, area, group), households))
    found = recoverable(years, everything)
    assert all(found.values())
    assert any(spec[4] == "other" for specs in found.values() for spec in specs)
    assert any(spec[3] != "all" and spec[4] != "other" for specs in found.values() for spec in specs)


def test_the_lattice_hides_more_than_primary_suppression_and_exactly_n_is_shown(warehouse, atoms, published):
    """The lattice's counts on this warehouse, and a cell of exactly N households among the shown counts."""
    cells = disclosure.cells(RULE)
    hidden = cells.hidden()
    assert hidden["small"] > 200 and hidden["complement"] > 0
    sizes = {households for _, households in published}
    assert N in sizes and not {h for h in sizes if 0 < h < N}
