"""Which cells are hidden: small-cell suppression over every filter view at once (issue 9; the rule as a whole is in
dashboard/disclosure.py, which looks cells up here). Pure functions on a frame of atoms: no Streamlit, no SQL.

Anonymous viewers can open every combination of the filters (area: all, urban, rural; group: all, kinh, minority,
khmer; any districts), so the cells of all views together are one set of linked tables, and a cell hidden in one
view must not come back by subtracting one view from another (commune X − commune X's Kinh = its minority; minority −
Khmer = the other minorities; all areas − urban = rural).

- **Atoms** (`queries/household_atoms.sql`): reviewed households per year × commune × area atom (urban, rural: the
  commune's own) × group atom (kinh, khmer, other: a minority other than Khmer), and of them the households of each
  class a published rate counts (`CLASSES`: poor; near-poor; poor or near-poor; poor without social-protection
  households, the urban and rural targets' measure, published for urban and rural cells only).
- **Cells**: a unit (the province, a district, a commune) × an area (all, urban, rural) × a group (all, kinh,
  minority, khmer, and `other` = minority − khmer, never a filter but derivable) × a year; its size is the sum of
  its atoms. A cell of 0 households is no data: it has no row anywhere, is never hidden and never hides another.
- **Relations** (a parent is the sum of its children): the province = Σ its districts and a district = Σ its communes
  (each area and group); all = urban + rural (each unit and group); all = kinh + minority and minority = khmer +
  other (each unit and area).
- **Primary**: a cell of 1 … N−1 households is `SMALL`; N households are shown.
- **Complementary** (`COMPLEMENT`), to a fixpoint: in a relation where exactly one member is hidden, or where the
  parent is shown and the hidden children together hold 1 … N−1 households (the parent less the shown children would
  be a figure of fewer than N households), or where the parent is shown and the hidden children together hold none
  or all of the households of a published class (the parent less the shown children would say that each hidden
  child's rate is 0 % or 100 %), one more member is hidden: the smallest non-zero `other` child not hidden
  yet (no figure disappears: minority = khmer + other then hides a published partner only where it must), else the
  smallest non-zero child not hidden yet, else the parent. Ties go by the cell's key (year, level, code, area,
  group). An `other` cell counts as hidden only when it is small or was chosen so; otherwise it is taken as known,
  since minority − khmer gives it. Each pass only ever hides more cells, so the fixpoint is reached in at most as many
  passes as there are cells. Hiding children until the hidden ones hold some but not all of a class always ends: at
  worst every child is hidden, and then they hold what the parent holds.
- **A parent at 0 % or 100 %** of a class is left out of that rule: it says every child's rate on its own (a
  district of 13 households, none poor, has communes at 0 %, whichever of them are hidden), and hiding more children
  cannot change that. It is a published figure of a cell of N or more households, and "no household of this
  district is poor" discloses no small cell; so a shown parent at 0 % or 100 % whose children are all hidden is
  accepted. (A parent of 1 … N−1 households is itself hidden.)
- **Totals of chosen districts** (`Lattice.selection`): a total is the sum of its districts; it is shown when it
  holds none of its area and group's hidden districts, or all of them and the province is shown (then it is the
  province less shown districts, which tells nothing new); otherwise it would give back part of the hidden ones and
  is hidden (`COMPLEMENT`), or `SMALL` under N.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, NamedTuple

import pandas as pd

SMALL: Final = "small"
COMPLEMENT: Final = "complement"

PROVINCE: Final = "province"
DISTRICT: Final = "district"
COMMUNE: Final = "commune"
AREAS: Final = ("all", "urban", "rural")
GROUPS: Final = ("all", "kinh", "minority", "khmer")  # the filter's groups, published
OTHER: Final = "other"  # minority − khmer: never a filter, but derivable
# which group atoms each group holds (queries/household_atoms.sql: 'kinh', 'khmer', 'other')
GROUP_ATOMS: Final[Mapping[str, tuple[str, ...]]] = {
    "all": ("kinh", "khmer", OTHER), "kinh": ("kinh",), "minority": ("khmer", OTHER), "khmer": ("khmer",),
    OTHER: (OTHER,),
}
# The classes of households a published rate of a cell counts, each the sum of these atom columns
# (queries/household_atoms.sql): poor_rate, near_poor_rate, poor_and_near_poor_rate and the urban and rural targets'
# rate of poor households excluding social-protection ones (`measure_value` of an urban / rural filter, the `urban` /
# `rural` rows of the other targets).
CLASSES: Final[Mapping[str, tuple[str, ...]]] = {
    "poor": ("poor_households",),
    "near_poor": ("near_poor_households",),
    "poor_or_near_poor": ("poor_households", "near_poor_households"),
    "poor_excl_sp": ("poor_excl_sp_households",),
}
# published only for urban or rural cells (no page shows it for all areas)
AREA_CLASSES: Final = frozenset({"poor_excl_sp"})


class Cell(NamedTuple):
    """One cell: `unit` is "" for the province, a district code or a commune code (`level` says which)."""

    year: int
    level: str
    unit: str
    area: str
    group: str


Relation = tuple[Cell, tuple[Cell, ...]]
"""A parent and the children it is the sum of."""


@dataclass(frozen=True)
class Lattice:
    """The state of every cell of every review year, decided over all the filter views together.

    `min_households`: N; `sizes`: cell → households (cells of 0 households absent); `states`: cell → `SMALL` or
    `COMPLEMENT` (shown cells absent); `districts`: year → the districts with households that year; `passes`: how
    many passes the fixpoint took; `counts`: cell → households of each class of `CLASSES` (in order; empty when the
    atoms carried none).
    """

    min_households: int
    sizes: Mapping[Cell, int]
    states: Mapping[Cell, str]
    districts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    passes: int = 0
    counts: Mapping[Cell, tuple[int, ...]] = field(default_factory=dict)

    def size(self, year: int, level: str, unit: str, area: str, group: str) -> int:
        """Households of a cell (0 when it has none)."""
        return self.sizes.get(Cell(int(year), level, str(unit), area, group), 0)

    def state(self, year: int, level: str, unit: str, area: str, group: str) -> str | None:
        """`SMALL`, `COMPLEMENT` or None (shown, or no households) for one cell; `unit` "" for the province."""
        return self.states.get(Cell(int(year), level, str(unit), area, group))

    def selection(self, year: int, districts: Sequence[str], area: str, group: str) -> str | None:
        """The state of the total of the chosen `districts` (none, or all: the province) for an area and group."""
        chosen = {str(d) for d in districts}
        present = set(self.districts.get(int(year), ()))
        if not chosen or present <= chosen:
            return self.state(year, PROVINCE, "", area, group)
        if len(chosen) == 1:
            return self.state(year, DISTRICT, next(iter(chosen)), area, group)
        households = sum(self.size(year, DISTRICT, d, area, group) for d in chosen)
        if 0 < households < self.min_households:
            return SMALL
        hidden = {d for d in present if self.state(year, DISTRICT, d, area, group)}
        part = hidden & chosen
        if not part or (part == hidden and self.state(year, PROVINCE, "", area, group) is None):
            return None
        return COMPLEMENT

    def selection_size(self, year: int, districts: Sequence[str], area: str, group: str) -> int:
        """Households of the total of the chosen `districts` (none: the province) for an area and group."""
        if not districts:
            return self.size(year, PROVINCE, "", area, group)
        return sum(self.size(year, DISTRICT, str(d), area, group) for d in set(districts))

    def hidden(self, *, published: bool = True) -> Counter[str]:
        """How many cells are hidden, by reason (`published`: only the cells a filter can show, not `other`)."""
        return Counter(s for c, s in self.states.items() if not published or c.group != OTHER)


def _cells_of(year: int, district: str, commune: str, area: str, atom: str) -> Iterable[Cell]:
    """Every cell an atom is part of: its commune, district and the province × its area and all × each group that
    holds its group atom."""
    groups = tuple(g for g, held in GROUP_ATOMS.items() if atom in held)
    for level, unit in ((PROVINCE, ""), (DISTRICT, district), (COMMUNE, commune)):
        for a in ("all", area):
            for g in groups:
                yield Cell(year, level, unit, a, g)


def cell_sizes(atoms: pd.DataFrame) -> dict[Cell, int]:
    """Households of every cell with any, from atoms (`year`, `district_code`, `commune_code`, `area`, `group_atom`,
    `households`: `queries/household_atoms.sql`)."""
    sizes: Counter[Cell] = Counter()
    for year, district, commune, area, atom, households in atoms[
            ["year", "district_code", "commune_code", "area", "group_atom", "households"]].itertuples(index=False):
        if not households:
            continue
        for cell in _cells_of(int(year), str(district), str(commune), str(area), str(atom)):
            sizes[cell] += int(households)
    return dict(sizes)


def cell_counts(atoms: pd.DataFrame) -> dict[Cell, tuple[int, ...]]:
    """Households of each class (`CLASSES`, in that order) of every cell with any households, from atoms carrying
    the class columns of `queries/household_atoms.sql` (`poor_households`, `near_poor_households`,
    `poor_excl_sp_households`). Atoms without them (sizes only) give no counts: {}."""
    columns = sorted({c for cs in CLASSES.values() for c in cs})
    if not set(columns) <= set(atoms.columns):
        return {}
    totals: dict[Cell, list[int]] = {}
    for row in atoms[["year", "district_code", "commune_code", "area", "group_atom", "households", *columns]
                     ].itertuples(index=False):
        if not row[5]:
            continue
        by_column = dict(zip(columns, (int(v) for v in row[6:]), strict=True))
        values = [sum(by_column[c] for c in cs) for cs in CLASSES.values()]
        for cell in _cells_of(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4])):
            held = totals.setdefault(cell, [0] * len(values))
            for i, v in enumerate(values):
                held[i] += v
    return {c: tuple(v) for c, v in totals.items()}


def relations(atoms: pd.DataFrame) -> list[Relation]:
    """Every relation of the lattice for the units present in `atoms` (see the module docstring), each year."""
    out: list[Relation] = []
    frame = atoms[["year", "district_code", "commune_code"]].drop_duplicates()
    all_groups = (*GROUPS, OTHER)
    for year, part in frame.groupby("year", sort=True):
        y = int(year)
        communes = {str(d): sorted(str(c) for c in rows["commune_code"])
                    for d, rows in part.groupby("district_code", sort=True)}
        units = [(PROVINCE, "")] + [(DISTRICT, d) for d in communes] + [(COMMUNE, c) for cs in communes.values()
                                                                       for c in cs]
        for area in AREAS:
            for group in all_groups:
                out.append((Cell(y, PROVINCE, "", area, group),
                            tuple(Cell(y, DISTRICT, d, area, group) for d in communes)))
                for d, cs in communes.items():
                    out.append((Cell(y, DISTRICT, d, area, group), tuple(Cell(y, COMMUNE, c, area, group)
                                                                         for c in cs)))
        for level, unit in units:
            for group in all_groups:
                out.append((Cell(y, level, unit, "all", group),
                            (Cell(y, level, unit, "urban", group), Cell(y, level, unit, "rural", group))))
            for area in AREAS:
                out.append((Cell(y, level, unit, area, "all"),
                            (Cell(y, level, unit, area, "kinh"), Cell(y, level, unit, area, "minority"))))
                out.append((Cell(y, level, unit, area, "minority"),
                            (Cell(y, level, unit, area, "khmer"), Cell(y, level, unit, area, OTHER))))
    return out


def _pick(parent: Cell, children: tuple[Cell, ...], sizes: Mapping[Cell, int],
          states: Mapping[Cell, str]) -> Cell | None:
    """The member a relation hides next (open: households, and not hidden yet): the smallest open `other` child
    (no figure disappears; minority = khmer + other then hides a published partner only if it must), else the
    smallest open published child, else the parent."""
    def key(cell: Cell) -> tuple[int, Cell]:
        return sizes[cell], cell

    open_children = sorted((c for c in children if sizes.get(c, 0) and c not in states), key=key)
    unpublished = [c for c in open_children if c.group == OTHER]
    if unpublished or open_children:
        return (unpublished or open_children)[0]
    return parent if sizes.get(parent, 0) and parent not in states else None


def _rates_known(parent: Cell, hidden_children: Sequence[Cell], sizes: Mapping[Cell, int],
                 counts: Mapping[Cell, tuple[int, ...]]) -> bool:
    """Whether the hidden children of a shown parent hold, for some published class, none or only households of it
    (the parent less the shown children then gives each hidden child's rate: 0 % or 100 %). A class whose rate the
    parent itself has at 0 % or 100 % is left out: every child's rate is then known from the parent alone, and
    hiding more cannot help."""
    held = sum(sizes.get(c, 0) for c in hidden_children)
    if not held or not counts:
        return False
    zero = (0,) * len(CLASSES)
    parent_counts = counts.get(parent, zero)
    for i, name in enumerate(CLASSES):
        if name in AREA_CLASSES and parent.area == "all":
            continue
        if parent_counts[i] in (0, sizes.get(parent, 0)):
            continue
        hidden = sum(counts.get(c, zero)[i] for c in hidden_children)
        if hidden in (0, held):
            return True
    return False


def suppress(sizes: Mapping[Cell, int], links: Iterable[Relation], min_households: int, *,
             counts: Mapping[Cell, tuple[int, ...]] | None = None,
             max_passes: int | None = None) -> tuple[dict[Cell, str], int]:
    """Primary and complementary states of every cell (`SMALL` / `COMPLEMENT`; shown cells absent), and the number
    of passes the fixpoint took (the last one changes nothing). `sizes`: households per cell (absent: 0); `links`:
    the relations; `counts`: households of each class (`CLASSES`, in order) per cell (`cell_counts`; None or {}: the
    rule on known rates is not applied); `max_passes`: the bound (default: one more than there are cells, which is
    never reached, since each pass that changes anything hides at least one more cell). Raises `RuntimeError` when
    the bound is reached."""
    states: dict[Cell, str] = {c: SMALL for c, n in sizes.items() if 0 < n < min_households}
    live = [(p, cs) for p, cs in links if sizes.get(p, 0) or any(sizes.get(c, 0) for c in cs)]
    classes = counts or {}
    bound = len(sizes) + 1 if max_passes is None else max_passes
    for passes in range(1, bound + 1):
        changed = False
        for parent, children in live:
            while True:
                hidden_children = [c for c in children if c in states]
                hidden = len(hidden_children) + (parent in states)
                shown = parent not in states
                exposed_sum = shown and 0 < sum(sizes.get(c, 0) for c in hidden_children) < min_households
                known_rates = shown and _rates_known(parent, hidden_children, sizes, classes)
                if hidden != 1 and not exposed_sum and not known_rates:
                    break
                pick = _pick(parent, children, sizes, states)
                if pick is None:
                    break
                states[pick] = COMPLEMENT
                changed = True
        if not changed:
            return states, passes
    raise RuntimeError(f"the suppression fixpoint did not converge in {bound} passes")


def build(atoms: pd.DataFrame, min_households: int) -> Lattice:
    """The lattice of `atoms` (`queries/household_atoms.sql`) with N = `min_households`."""
    sizes = cell_sizes(atoms)
    counts = cell_counts(atoms)
    states, passes = suppress(sizes, relations(atoms), min_households, counts=counts)
    districts = {int(y): tuple(sorted({str(d) for d in part["district_code"]}))
                 for y, part in atoms[atoms["households"] > 0].groupby("year")}
    # read-only: one lattice is shared by every session of the process (`disclosure.cells`)
    return Lattice(min_households, MappingProxyType(sizes), MappingProxyType(states), MappingProxyType(districts),
                   passes, MappingProxyType(counts))
