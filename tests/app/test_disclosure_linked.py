"""No small cell can be recovered by combining views (issue 9, dashboard/lattice.py), in either unit set (issue 10),
checked by brute force on the 20,000-household test warehouse.

Everything an anonymous viewer can read as a count of households is collected through the dashboard's own entry
points over every combination of area and group, in the former units and in the current units: each district,
commune and current-unit row (and its baseline and previous-year households), totals of chosen former districts
(all seven too: from 2025 that is the province less the households whose former commune is unknown) and of chosen
current units, the urban, rural and ethnic-minority rows of the plan's other targets, and each year's coverage
(reviewed households, and those whose former commune is known) (`published` says which). Each is a sum of atoms
(households of one former commune — or, for a household whose former commune is unknown, of the pseudo commune `?Z`
of its current unit Z —, area and group atom: Kinh, Khmer, other), computed here from the base tables in pandas
(classified here too, with the area of the unit in force at each review), not from the dashboard's queries. Then,
year by year, linear algebra: no cell of 1 … N−1 households — a unit (province, former district or commune, current
unit, the part of a current unit in a former district, the unknown former communes of a current unit or of the
province) × area × group (other minorities included, which no filter shows), a total of any former districts, or a
total of current units — may lie in the span of what is shown. The same check on what primary suppression alone
would show finds recoverable cells, so the check can fail.

Rates too: wherever a cell the views give (in their span) is the sum of children (its districts, current units,
communes, parts, areas or groups) of which some are not given, those hidden children together must hold some but
not all of the households of each published class (poor; near-poor; poor or near-poor; for urban and rural cells
poor without social-protection households), else the cell less the given children says each hidden child's rate is
0 % or 100 %. Left out: a cell whose own rate is 0 % or 100 % (it says so of every child without any subtraction).
The same check on what the lattice of before (households alone) shows finds such cells.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import duckdb
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
UNKNOWN = "?"  # the pseudo district of households whose former commune is unknown; their commune is "?" + unit

# The published classes (households of a cell counted by its rates) from the reviews' status and social protection.
CLASSES = {"poor": ("poor",), "near_poor": ("near_poor",), "poor_or_near_poor": ("poor", "near_poor"),
           "poor_excl_sp": ("poor_excl_sp",)}

# A count: (year, kind, codes, area, group). Kinds: "province" (codes ()), "district" (former districts, the pseudo
# one included), "commune" (former communes, pseudo ones included), "current" (current units), "piece" (pairs
# "district/current": the households of a former district within a current unit).
Spec = tuple[int, str, tuple[str, ...], str, str]


@pytest.fixture(scope="module")
def atoms(warehouse: Path) -> pd.DataFrame:
    """Households per year, former district and commune, current unit, area and group atom, and of them the poor,
    near-poor, and poor without social protection: from the base tables, classified here (domain.md §2: income at
    or under the line of the area AND at least `min_deprivations` deprived → poor; under the line with fewer →
    near-poor), the area being that of the unit in force on the review's date (1 September; `unit_sets`)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        base = {name: con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 (fixed table names)
                for name in ("units", "unit_sets", "households", "reviews", "standards")}
    finally:
        con.close()
    sets = base["unit_sets"]

    def in_force(year: int) -> str:
        day = pd.Timestamp(dt.date(year, 9, 1))
        [unit_set] = [s.unit_set for s in sets.itertuples()
                      if (pd.isna(s.in_force_from) or s.in_force_from <= day)
                      and (pd.isna(s.in_force_to) or day <= s.in_force_to)]
        return unit_set

    units = base["units"]
    former = units[units["unit_set"] == "former"].set_index("commune_code")
    current = units[units["unit_set"] == "current"].set_index("commune_code")
    reviews = base["reviews"].merge(base["households"], on="household_id")
    reviews["unit_set"] = reviews["year"].map({y: in_force(int(y)) for y in reviews["year"].unique()})
    known = reviews["commune_code"].notna()
    reviews["area"] = np.where(reviews["unit_set"] == "current", reviews["current_code"].map(current["area"]),
                               reviews["commune_code"].map(former["area"]))
    reviews["district"] = np.where(known, reviews["commune_code"].map(former["district_code"]), UNKNOWN)
    reviews["commune"] = np.where(known, reviews["commune_code"], UNKNOWN + reviews["current_code"])
    reviews["current"] = reviews["current_code"]
    out = []
    for standard in base["standards"].itertuples():
        part = reviews[reviews["year"].between(standard.first_year, standard.last_year)].copy()
        deprived = part[[f"d_{name}" for name in standard.indicators]].sum(axis=1)
        line = part["area"].map({"urban": standard.urban_poverty_line, "rural": standard.rural_poverty_line})
        under = part["income_per_capita"] <= line
        part["poor"] = under & (deprived >= standard.min_deprivations)
        part["near_poor"] = under & ~part["poor"]
        out.append(part)
    frame = pd.concat(out, ignore_index=True)
    frame = frame.assign(atom=frame["ethnicity"].where(frame["ethnicity"].isin(["kinh", "khmer"]), "other"),
                         poor_excl_sp=frame["poor"] & ~frame["social_protection"].astype(bool))
    keys = ["year", "district", "commune", "current", "area", "atom"]
    return frame.groupby(keys, as_index=False).agg(size=("poor", "size"), poor=("poor", "sum"),
                                                   near_poor=("near_poor", "sum"),
                                                   poor_excl_sp=("poor_excl_sp", "sum"))


class Year:
    """One year's atoms as arrays, and any cell of it as a 0/1 vector over them (cached: cells repeat)."""

    def __init__(self, atoms: pd.DataFrame, year: int) -> None:
        part = atoms[atoms["year"] == year]
        self.district, self.commune, self.current, self.area, self.atom = (part[c].to_numpy(dtype=str) for c in (
            "district", "commune", "current", "area", "atom"))
        self.size = part["size"].to_numpy(dtype=float)
        self.classes = {name: sum(part[c].to_numpy(dtype=float) for c in columns) for name, columns in CLASSES.items()}
        self.piece = np.array([f"{d}/{z}" for d, z in zip(self.district, self.current, strict=True)])
        self._vectors: dict[tuple, np.ndarray] = {}
        self.small: list[tuple[Spec, np.ndarray]] | None = None
        self.span: np.ndarray | None = None

    def vector(self, kind: str, codes: tuple[str, ...], area: str, group: str) -> np.ndarray:
        """The households of the chosen places of a kind (province: all), × area × group."""
        key = (kind, codes, area, group)
        if key not in self._vectors:
            mask = np.isin(self.atom, sorted(ATOMS_OF[group]))
            if area != "all":
                mask &= self.area == area
            if kind != "province":
                mask &= np.isin({"district": self.district, "commune": self.commune, "current": self.current,
                                 "piece": self.piece}[kind], codes)
            self._vectors[key] = mask.astype(float)
        return self._vectors[key]

    def households(self, *cell: object) -> int:
        return int(self.vector(*cell) @ self.size)  # type: ignore[arg-type]

    def places(self, kind: str) -> list[str]:
        return sorted(map(str, set({"district": self.district, "commune": self.commune, "current": self.current,
                                    "piece": self.piece}[kind])))


@pytest.fixture(scope="module")
def years(atoms: pd.DataFrame) -> dict[int, Year]:
    return {int(y): Year(atoms, int(y)) for y in sorted(atoms["year"].unique())}


def shown(value: object) -> bool:
    """Whether a count is on the page (a hidden one is NaN; one that does not exist, NA or None)."""
    return not pd.isna(value)


def _choices(units: str, places: list[str], *, many: bool) -> list[tuple[str, ...]]:
    """Filter choices of places: none and all of them, and each former district; with `many` also every two
    neighbours (by code), every choice of all but one of every third place, and every two of the first seven former
    districts or every fifth current unit alone."""
    out = [(), tuple(places)]
    if units == "former":
        out += [(p,) for p in places]
    if many:
        out += [tuple(places[i:i + 2]) for i in range(len(places) - 1)]
        out += [tuple(q for q in places if q != p) for p in places[::3]]
        out += list(itertools.combinations(places[:7], 2)) if units == "former" else [(p,) for p in places[::5]]
    return list(dict.fromkeys(tuple(sorted(c)) for c in out))


@pytest.fixture(scope="module")
def published(warehouse, atoms: pd.DataFrame) -> list[tuple[Spec, int]]:
    """Every count of households an anonymous viewer is shown, over all filter combinations in both unit sets:
    district, commune and current-unit rows; totals of no or all places (former districts, current units) and of each
    former district for every area and group, and of more choices (`_choices`) for the Khmer group, where this
    warehouse has hidden places; the urban, rural and ethnic-minority rows of the plan's other targets for no, all,
    or one of four places with any area (all groups) or any group (all areas); each year's coverage."""
    out: list[tuple[Spec, int]] = []
    places = {"former": sorted(map(str, set(atoms["district"]) - {UNKNOWN})),
              "current": sorted(map(str, set(atoms["current"])))}
    hidden_places = dict.fromkeys(places, 0)
    for units, area, group in itertools.product(places, AREAS, GROUPS):
        params = {"units": units, "district": [], "area": area, "group": group}
        for level in ("district", "commune"):
            frame = disclosure.progress(level, params, RULE)
            kind = "current" if units == "current" else level
            first = int(frame["year"].min())
            for row in frame.itertuples():
                for year, households in ((row.year, row.households), (first, row.baseline_households),
                                         (row.year - 1, row.previous_households)):
                    if shown(households):
                        out.append(((int(year), kind, (str(row.unit_code),), area, group), int(households)))
            if group == "khmer" and level == "district":  # choosing places changes no row's state
                hidden_places[units] += int(frame["hidden"].notna().sum())
                some = disclosure.progress(level, {**params, "district": places[units][:2]}, RULE)
                same = frame[frame["unit_code"].isin(places[units][:2])]
                assert some["hidden"].tolist() == same["hidden"].tolist()
        kind = "district" if units == "former" else "current"
        for choice in _choices(units, places[units], many=group == "khmer"):
            for row in disclosure.progress("total", {**params, "district": list(choice)}, RULE).itertuples():
                if shown(row.households):
                    spec = (int(row.year), kind if choice else "province", choice, area, group)
                    out.append((spec, int(row.households)))
        if area == "all" or group == "all":
            cell = {"urban": ("urban", group), "rural": ("rural", group),
                    "ethnic_minority": (area, "khmer" if group == "khmer" else "minority")}
            for choice in [(), tuple(places[units]), *((p,) for p in places[units][:7:2])]:
                for row in disclosure.targets({**params, "district": list(choice)}, RULE).itertuples():
                    if row.scope in cell and shown(row.population):
                        spec = (int(row.year), kind if choice else "province", choice, *cell[row.scope])
                        out.append((spec, int(row.population)))
    assert all(hidden_places.values()), hidden_places  # the totals of several places have hidden ones to give back
    for row in disclosure.coverage(RULE).itertuples():
        if shown(row.households):
            out.append(((int(row.year), "province", (), "all", "all"), int(row.households)))
        if shown(row.previous_households):
            out.append(((int(row.year) - 1, "province", (), "all", "all"), int(row.previous_households)))
        if shown(row.households_former_known):
            out.append(((int(row.year), "district", tuple(sorted(places["former"])), "all", "all"),
                        int(row.households_former_known)))
    return out


def _small_totals(year: Year, area: str, group: str) -> list[tuple[Spec, np.ndarray]]:
    """Every choice of two or three current units holding 1 … N−1 households together (all its units are then small
    or empty; more than three: too many choices to list, and each of them holds one of these or two small units of
    fewer households), as (codes, vector); the vectors are not cached."""
    small = [(z, year.households("current", (z,), area, group)) for z in year.places("current")]
    small = [(z, h) for z, h in small if 0 < h < N]
    out = []
    for k in (2, 3):
        for choice in itertools.combinations(small, k):
            if sum(h for _, h in choice) < N:
                codes = tuple(z for z, _ in choice)
                out.append((codes, sum(year.vector("current", (z,), area, group) for z in codes)))
    return out


def small_cells(year: Year, number: int) -> list[tuple[Spec, np.ndarray]]:
    """Every cell of 1 … N−1 households of the year: units × areas × groups (other minorities too), totals of any
    former districts (the pseudo one of unknown former communes too) and of two or three current units (cached on
    `year`)."""
    if year.small is not None:
        return year.small
    districts = year.places("district")
    units: list[tuple[str, tuple[str, ...]]] = [("province", ())]
    units += [("district", c) for k in range(1, len(districts)) for c in itertools.combinations(districts, k)]
    units += [(kind, (p,)) for kind in ("commune", "current", "piece") for p in year.places(kind)]
    out = []
    for area, group in itertools.product(AREAS, (*GROUPS, "other")):
        for kind, codes in units:
            if 0 < year.households(kind, codes, area, group) < N:
                out.append(((number, kind, codes, area, group), year.vector(kind, codes, area, group)))
        out += [((number, "current", codes, area, group), v) for codes, v in _small_totals(year, area, group)]
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
    former districts and of its current units, a former district of its communes and of its parts in current units,
    a current unit of its communes and of its parts, a part of its communes; all areas of urban and rural, all
    groups of Kinh and minority, minority of Khmer and other; and each shown total of several places of them."""
    pieces = year.places("piece")

    def communes(kind: str, code: str) -> list[tuple[str, tuple[str, ...]]]:
        mask = {"district": year.district, "current": year.current, "piece": year.piece}[kind] == code
        return [("commune", (c,)) for c in sorted(set(year.commune[mask]))]

    units: list[tuple[str, tuple[str, ...], list[list[tuple[str, tuple[str, ...]]]]]] = [
        ("province", (), [[("district", (d,)) for d in year.places("district")],
                          [("current", (z,)) for z in year.places("current")]])]
    units += [("district", (d,), [communes("district", d), [("piece", (p,)) for p in pieces
                                                            if p.split("/")[0] == d]])
              for d in year.places("district")]
    units += [("current", (z,), [communes("current", z), [("piece", (p,)) for p in pieces if p.split("/")[1] == z]])
              for z in year.places("current")]
    units += [("piece", (p,), [communes("piece", p)]) for p in pieces]
    units += [("commune", (c,), []) for c in year.places("commune")]
    out: list[tuple[Spec, list[Spec]]] = []
    for (kind, codes, partitions), area, group in itertools.product(units, AREAS, (*GROUPS, "other")):
        if not year.households(kind, codes, area, group):
            continue
        parent: Spec = (number, kind, codes, area, group)
        kids = [[(number, *part, area, group) for part in parts] for parts in partitions]
        if area == "all":
            kids.append([(number, kind, codes, a, group) for a in ("urban", "rural")])
        if group == "all":
            kids.append([(number, kind, codes, area, g) for g in ("kinh", "minority")])
        if group == "minority":
            kids.append([(number, kind, codes, area, g) for g in ("khmer", "other")])
        out += [(parent, [k for k in ks if year.households(*k[1:])]) for ks in kids if ks]
    for spec, _ in counts:
        if spec[0] == number and len(spec[2]) > 1:
            out.append((spec, [(number, spec[1], (p,), spec[3], spec[4]) for p in spec[2]]))
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
    """What the pages show is the sum of the atoms the check gives it (so the check is about the shown numbers), in
    both unit sets."""
    assert len(published) > 8000
    kinds = {spec[1] for spec, _ in published}
    assert kinds == {"province", "district", "commune", "current"}
    for spec, households in published:
        assert years[spec[0]].households(*spec[1:]) == households, spec


def test_the_views_hold_households_of_unknown_former_commune_in_the_province_only(years, published):
    """From 2025 some households' former commune is unknown (the demo's new households): the province's count holds
    them, the seven former districts' do not (where both are shown: the difference is a cell of N or more)."""
    last = max(years)
    year = years[last]
    unknown = year.households("district", (UNKNOWN,), "all", "all")
    assert unknown > 100
    assert all(years[y].households("district", (UNKNOWN,), "all", "all") == 0 for y in years if y < last)
    counts = dict(published)
    districts = tuple(sorted(map(str, set(year.district) - {UNKNOWN})))
    compared = 0
    for area, group in itertools.product(AREAS, GROUPS):
        province = counts.get((last, "province", (), area, group))
        former = counts.get((last, "district", districts, area, group))
        if province is not None and former is not None:
            assert province - former == year.households("district", (UNKNOWN,), area, group) >= N
            compared += 1
    assert compared >= 1


def test_no_small_cell_can_be_recovered_from_all_the_views_together(years, published):
    found = recoverable(years, published)
    assert all(len(small_cells(year, number)) > 100 for number, year in years.items())  # something to protect
    last = max(years)
    kinds = {spec[1] for spec, _ in small_cells(years[last], last)}
    assert kinds == {"district", "commune", "current", "piece"}
    assert any(spec[2][0].startswith(UNKNOWN) for spec, _ in small_cells(years[last], last))  # unknown former
    assert found == {number: [] for number in years}


def test_no_hidden_cell_rate_is_known_as_0_or_100_percent_by_subtraction(years, published):
    """No view less others gives hidden cells that hold none, or only, poor (near-poor, …) households."""
    assert rates_known(years, published) == []


def _lattice_view(cells: dict[lattice.Cell, int], states: dict[lattice.Cell, str]) -> list[tuple[Spec, int]]:
    """The counts a lattice's states would let every view show: every published cell not hidden."""
    kind = {lattice.PROVINCE: "province", lattice.DISTRICT: "district", lattice.COMMUNE: "commune",
            lattice.CURRENT: "current"}
    return [((cell.year, kind[cell.level], (cell.unit,) if cell.unit else (), cell.area, cell.group), households)
            for cell, households in cells.items() if cell not in states and lattice.published(cell)]


def _lattice_atoms(atoms: pd.DataFrame) -> pd.DataFrame:
    """The atoms here as `queries/household_atoms.sql` gives them (NULL former codes where unknown)."""
    unknown = atoms["district"] == UNKNOWN
    return pd.DataFrame({
        "year": atoms["year"], "district_code": atoms["district"].where(~unknown, None),
        "commune_code": atoms["commune"].where(~unknown, None), "current_code": atoms["current"],
        "area": atoms["area"], "group_atom": atoms["atom"], "households": atoms["size"]})


def test_the_lattice_on_households_alone_would_let_hidden_rates_be_known(years, atoms):
    """The check can fail: every cell the lattice of before (households alone, no classes) shows lets some hidden
    cells be known at 0 % or 100 %."""
    frame = _lattice_atoms(atoms)
    sizes = lattice.cell_sizes(frame)
    before, _ = lattice.suppress(sizes, lattice.relations(frame), N)
    found = rates_known(years, _lattice_view(sizes, before))
    assert found
    assert {name for _, _, name in found} >= {"poor"}


def test_the_lattice_of_one_unit_set_would_let_small_cells_be_recovered_in_two(years, atoms):
    """The check can fail on what two unit sets add: the lattice of the former units alone (no current unit, and
    households of unknown former commune as one more district) shown beside every current unit of N or more
    households lets small cells be recovered (a current unit less its shown former communes)."""
    frame = _lattice_atoms(atoms).drop(columns="current_code")
    sizes = lattice.cell_sizes(frame)
    former, _ = lattice.suppress(sizes, lattice.relations(frame), N)
    view = [c for c in _lattice_view(sizes, former) if c[0][1] != "district" or c[0][2] != ("?",)]
    for number, year in years.items():
        for z, area, group in itertools.product(year.places("current"), AREAS, GROUPS):
            if year.households("current", (z,), area, group) >= N:
                view.append(((number, "current", (z,), area, group), year.households("current", (z,), area, group)))
    found = recoverable(years, view)
    assert any(spec[1] in ("commune", "current", "piece") for specs in found.values() for spec in specs)


def test_primary_suppression_alone_would_let_small_cells_be_recovered(years):
    """The check can fail: showing every cell of N or more households (what primary suppression alone shows) lets
    other minorities be found as minority − Khmer, a rural cell as all − urban, and more."""
    everything: list[tuple[Spec, int]] = []
    for number, year in years.items():
        units = [("province", ()), *(("district", (d,)) for d in year.places("district") if d != UNKNOWN),
                 *(("commune", (c,)) for c in year.places("commune") if not c.startswith(UNKNOWN)),
                 *(("current", (z,)) for z in year.places("current"))]
        for (kind, codes), area, group in itertools.product(units, AREAS, GROUPS):
            households = year.households(kind, codes, area, group)
            if households >= N:
                everything.append(((number, kind, codes, area, group), households))
    found = recoverable(years, everything)
    assert all(found.values())
    assert any(spec[4] == "other" for specs in found.values() for spec in specs)
    assert any(spec[3] != "all" and spec[4] != "other" for specs in found.values() for spec in specs)
    last = max(years)
    assert any(spec[2][0].startswith(UNKNOWN) for spec in found[last])  # the province less the districts


def test_the_lattice_hides_more_than_primary_suppression_and_exactly_n_is_shown(warehouse, atoms, published):
    """The lattice's counts on this warehouse, and a cell of exactly N households among the shown counts."""
    cells = disclosure.cells(RULE)
    hidden = cells.hidden()
    assert hidden["small"] > 200 and hidden["complement"] > 0
    sizes = {households for _, households in published}
    assert N in sizes and not {h for h in sizes if 0 < h < N}
