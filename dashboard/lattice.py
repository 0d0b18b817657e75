"""Which cells are hidden: small-cell suppression over every filter view at once (issue 9; the rule as a whole is in
dashboard/disclosure.py, which looks cells up here). Pure functions on a frame of atoms: no Streamlit, no SQL.

Anonymous viewers can open every combination of the filters (area: all, urban, rural; group: all, kinh, minority,
khmer; either unit set, any former districts or current units), so the cells of all views together are one set of
linked tables, and a cell hidden in one view must not come back by subtracting one view from another (commune X −
commune X's Kinh = its minority; minority − Khmer = the other minorities; all areas − urban = rural; a current unit
less the former communes it took = the one hidden among them).

- **Atoms** (`queries/household_atoms.sql`): reviewed households per year × former commune × current unit × area
  atom (urban, rural: the area of the unit in force at the review) × group atom (kinh, khmer, other: a minority other
  than Khmer), and of them the households of each class a published rate counts (`CLASSES`: poor; near-poor; poor
  or near-poor; poor without social-protection households, the urban and rural targets' measure, published for
  urban and rural cells only). Households whose former commune is unknown (first reviewed under the current units,
  2025 on) count in the former-units view in the province only: here they are a pseudo former commune `?Z` within
  their current unit Z, in a pseudo former district `?` (`UNKNOWN`), never published but derivable (the current unit
  less its former communes; the province less the former districts; the coverage's households less those whose
  former commune is known).
- **Cells**: a unit × an area (all, urban, rural) × a group (all, kinh, minority, khmer, and `other` = minority −
  khmer, never a filter but derivable) × a year; its size is the sum of its atoms. Units: the province (the same in
  both unit sets), the former districts and communes (`DISTRICT`, `COMMUNE`, the pseudo ones included), the current
  units (`CURRENT`: the "district" and "commune" rows of the current-units view, both the 25 units) and, where a
  current unit takes former communes from two districts, the part of it in each (`PIECE`, unpublished but the sum
  of published communes; a part that is one commune or the whole current unit is that cell). A cell of 0
  households is no data: it has no row anywhere, is never hidden and never hides another.
- **Relations** (a parent is the sum of its children), each year, area and group: the province = Σ its former
  districts (`?` included: so the province less the districts never gives a small count of unknown former communes)
  = Σ its current units; a former district = Σ its former communes = Σ its parts in current units; a current unit =
  Σ its former communes (`?Z` included) = Σ its parts in former districts; a part = Σ its communes. Then for every
  unit: all = urban + rural (each group); all = kinh + minority and minority = khmer + other (each area). The two
  ways of cutting a former district or the province are what closes the new derivations of two published unit sets:
  a current unit less its shown former communes, a former district less its shown current units.
- **Primary**: a cell of 1 … N−1 households is `SMALL`; N households are shown.
- **Complementary** (`COMPLEMENT`), to a fixpoint: in a relation where exactly one member is hidden, or where the
  parent is shown and the hidden children together hold 1 … N−1 households (the parent less the shown children would
  be a figure of fewer than N households), or where the parent is shown and the hidden children together hold none
  or all of the households of a published class (the parent less the shown children would say that each hidden
  child's rate is 0 % or 100 %), one more member is hidden: the smallest non-zero unpublished child not hidden
  yet (no figure disappears: minority = khmer + other then hides a published partner only where it must), else the
  smallest non-zero child not hidden yet, else the parent. Ties go by the cell's key (year, level, code, area,
  group). An `other` cell counts as hidden only when it is small or was chosen so; otherwise it is taken as known,
  since minority − khmer gives it. The same holds for every cell no view shows but other cells give (`published`
  false: `other`, the pseudo cells of unknown former communes, the parts), and they are hidden first in the same
  way. Each pass only ever hides more cells, so the fixpoint is reached in at most as many passes as there are
  cells. Hiding children until the hidden ones hold some but not all of a class always ends: at
  worst every child is hidden, and then they hold what the parent holds.
- **A parent at 0 % or 100 %** of a class is left out of that rule: it says every child's rate on its own (a
  district of 13 households, none poor, has communes at 0 %, whichever of them are hidden), and hiding more children
  cannot change that. It is a published figure of a cell of N or more households, and "no household of this
  district is poor" discloses no small cell; so a shown parent at 0 % or 100 % whose children are all hidden is
  accepted. (A parent of 1 … N−1 households is itself hidden.)
- **Totals of chosen districts or current units** (`Lattice.selection`, by unit set): a total is the sum of its
  places (former districts, or current units); it is shown when it holds none of its area and group's hidden
  places, or all of them and the province is shown (then it is the province less shown places, which tells nothing
  new); otherwise it would give back part of the hidden ones and is hidden (`COMPLEMENT`), or `SMALL` under N. The
  pseudo district `?` is never chosen, so in a year with unknown former communes a total of all seven former
  districts is the province less `?`, judged by the same rule.
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

# unit sets (data/schema.sql `unit_sets`): which places `Lattice.selection` adds up
FORMER_SET: Final = "former"
CURRENT_SET: Final = "current"
# levels of a cell's unit
PROVINCE: Final = "province"
DISTRICT: Final = "district"  # a former district (or `UNKNOWN`)
COMMUNE: Final = "commune"  # a former commune (or `UNKNOWN` + a current unit's code)
CURRENT: Final = "current"  # a current unit: the "district" and "commune" rows of the current-units view
PIECE: Final = "piece"  # the former communes of one former district within one current unit (never shown)
# the pseudo former district of households whose former commune is unknown; their pseudo commune within current
# unit Z is UNKNOWN + Z (`unknown_commune`)
UNKNOWN: Final = "?"
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
    """One cell: `unit` is "" for the province, else a code of the unit `level` names (a former district or commune,
    a current unit, a part "district/current")."""

    year: int
    level: str
    unit: str
    area: str
    group: str


Relation = tuple[Cell, tuple[Cell, ...]]
"""A parent and the children it is the sum of."""


def unknown_commune(current: str) -> str:
    """The pseudo former commune of the households of current unit `current` whose former commune is unknown."""
    return UNKNOWN + current


def published(cell: Cell) -> bool:
    """Whether some view shows the cell: not `other` minorities, not a part, not a pseudo unit of unknown former
    communes (all three are still derivable from shown cells, so they take part in the relations)."""
    return cell.group != OTHER and cell.level != PIECE and not cell.unit.startswith(UNKNOWN)


@dataclass(frozen=True)
class Lattice:
    """The state of every cell of every review year, decided over all the filter views together.

    `min_households`: N; `sizes`: cell → households (cells of 0 households absent); `states`: cell → `SMALL` or
    `COMPLEMENT` (shown cells absent); `districts`: year → the former districts with households that year (`UNKNOWN`
    among them when some households' former commune is unknown); `passes`: how many passes the fixpoint took;
    `counts`: cell → households of each class of `CLASSES` (in order; empty when the atoms carried none);
    `currents`: year → the current units with households that year (empty when the atoms carried no current unit).
    """

    min_households: int
    sizes: Mapping[Cell, int]
    states: Mapping[Cell, str]
    districts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    passes: int = 0
    counts: Mapping[Cell, tuple[int, ...]] = field(default_factory=dict)
    currents: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def size(self, year: int, level: str, unit: str, area: str, group: str) -> int:
        """Households of a cell (0 when it has none)."""
        return self.sizes.get(Cell(int(year), level, str(unit), area, group), 0)

    def state(self, year: int, level: str, unit: str, area: str, group: str) -> str | None:
        """`SMALL`, `COMPLEMENT` or None (shown, or no households) for one cell; `unit` "" for the province."""
        return self.states.get(Cell(int(year), level, str(unit), area, group))

    def _places(self, unit_set: str) -> tuple[str, Mapping[int, tuple[str, ...]]]:
        if unit_set == CURRENT_SET:
            return CURRENT, self.currents
        if unit_set == FORMER_SET:
            return DISTRICT, self.districts
        raise ValueError(f"unknown unit set {unit_set!r}")

    def selection(self, year: int, places: Sequence[str], area: str, group: str,
                  unit_set: str = FORMER_SET) -> str | None:
        """The state of the total of the chosen `places` (none, or all: the province) for an area and group: former
        districts in the unit set 'former', current units in 'current'. In the former set a year with unknown
        former communes has the pseudo district `UNKNOWN`, which no filter chooses: all seven districts are then the
        province less it, judged like any other total."""
        level, by_year = self._places(unit_set)
        chosen = {str(d) for d in places}
        present = set(by_year.get(int(year), ()))
        if not chosen or present <= chosen:
            return self.state(year, PROVINCE, "", area, group)
        if len(chosen) == 1:
            return self.state(year, level, next(iter(chosen)), area, group)
        households = sum(self.size(year, level, d, area, group) for d in chosen)
        if 0 < households < self.min_households:
            return SMALL
        hidden = {d for d in present if self.state(year, level, d, area, group)}
        part = hidden & chosen
        if not part or (part == hidden and self.state(year, PROVINCE, "", area, group) is None):
            return None
        return COMPLEMENT

    def selection_size(self, year: int, places: Sequence[str], area: str, group: str,
                       unit_set: str = FORMER_SET) -> int:
        """Households of the total of the chosen `places` (former districts or current units, by `unit_set`; none:
        the province) for an area and group."""
        if not places:
            return self.size(year, PROVINCE, "", area, group)
        level, _ = self._places(unit_set)
        return sum(self.size(year, level, str(d), area, group) for d in set(places))

    def hidden(self, *, published: bool = True) -> Counter[str]:
        """How many cells are hidden, by reason (`published`: only the cells a view can show, not `other`, the parts
        or the pseudo units of unknown former communes)."""
        return Counter(s for c, s in self.states.items() if not published or _published(c))


_published = published


# ---------------------------------------------------------------------------------------------------------------------
# Where each atom lies: its former district and commune (pseudo ones for an unknown former commune), its current
# unit, and the part of that unit in its former district


@dataclass(frozen=True)
class _Year:
    """One year's places: former districts → communes, current units → communes, and each (district, current)
    pair's part as the cell that holds exactly its households: the current unit when the part is all of it, the
    commune when it is one commune, else a `PIECE`."""

    districts: Mapping[str, tuple[str, ...]]
    currents: Mapping[str, tuple[str, ...]]
    parts: Mapping[tuple[str, str], tuple[str, str]]  # (district, current) → (level, unit)


def located(atoms: pd.DataFrame) -> pd.DataFrame:
    """`atoms` with codes as text and the pseudo places of an unknown former commune filled in (district `UNKNOWN`,
    commune `unknown_commune(current)`); `current_code` "" when the atoms carry no current unit."""
    out = atoms.copy()
    current = (out["current_code"].astype(object).where(out["current_code"].notna(), "").astype(str)
               if "current_code" in out.columns else pd.Series("", index=out.index, dtype=object))
    unknown = out["commune_code"].isna()
    out["current_code"] = current
    out["district_code"] = out["district_code"].astype(object).where(~unknown & out["district_code"].notna(),
                                                                     UNKNOWN).astype(str)
    out["commune_code"] = out["commune_code"].astype(object).where(~unknown, UNKNOWN + current).astype(str)
    return out


def _years(frame: pd.DataFrame) -> dict[int, _Year]:
    """The places of each year of located atoms (only those with households)."""
    out: dict[int, _Year] = {}
    rows = frame.loc[frame["households"] > 0, ["year", "district_code", "commune_code", "current_code"]]
    for year, part in rows.drop_duplicates().groupby("year", sort=True):
        districts: dict[str, set[str]] = {}
        currents: dict[str, set[str]] = {}
        pairs: dict[tuple[str, str], set[str]] = {}
        for district, commune, current in part[["district_code", "commune_code", "current_code"]].itertuples(
                index=False):
            districts.setdefault(district, set()).add(commune)
            if current:
                currents.setdefault(current, set()).add(commune)
                pairs.setdefault((district, current), set()).add(commune)
        parts: dict[tuple[str, str], tuple[str, str]] = {}
        for (district, current), communes in pairs.items():
            if communes == currents[current]:
                parts[(district, current)] = (CURRENT, current)
            elif len(communes) == 1:
                parts[(district, current)] = (COMMUNE, next(iter(communes)))
            else:
                parts[(district, current)] = (PIECE, f"{district}/{current}")
        out[int(year)] = _Year({d: tuple(sorted(cs)) for d, cs in sorted(districts.items())},
                               {z: tuple(sorted(cs)) for z, cs in sorted(currents.items())}, parts)
    return out


def _units(year: _Year, district: str, commune: str, current: str) -> tuple[tuple[str, str], ...]:
    """The units (level, code) an atom of this year lies in."""
    units = [(PROVINCE, ""), (DISTRICT, district), (COMMUNE, commune)]
    if current:
        units.append((CURRENT, current))
        part = year.parts[(district, current)]
        if part[0] == PIECE:
            units.append(part)
    return tuple(units)


def _cells_of(year: int, units: Iterable[tuple[str, str]], area: str, atom: str) -> Iterable[Cell]:
    """Every cell an atom is part of: its units × its area and all × each group that holds its group atom."""
    groups = tuple(g for g, held in GROUP_ATOMS.items() if atom in held)
    for level, unit in units:
        for a in ("all", area):
            for g in groups:
                yield Cell(year, level, unit, a, g)


def _atom_cells(atoms: pd.DataFrame, columns: Sequence[str] = ()) -> Iterable[tuple[list[Cell], tuple[int, ...]]]:
    """Per atom with households: the cells it is part of, and its households and `columns`' values."""
    frame = located(atoms)
    years = _years(frame)
    for row in frame[["year", "district_code", "commune_code", "current_code", "area", "group_atom", "households",
                      *columns]].itertuples(index=False):
        if not row[6]:
            continue
        year = int(row[0])
        units = _units(years[year], row[1], row[2], row[3])
        yield list(_cells_of(year, units, str(row[4]), str(row[5]))), tuple(int(v) for v in row[6:])


def cell_sizes(atoms: pd.DataFrame) -> dict[Cell, int]:
    """Households of every cell with any, from atoms (`year`, `district_code`, `commune_code`, `area`, `group_atom`,
    `households`, and `current_code` when the current units are to be cells: `queries/household_atoms.sql`)."""
    sizes: Counter[Cell] = Counter()
    for cells, (households,) in _atom_cells(atoms):
        for cell in cells:
            sizes[cell] += households
    return dict(sizes)


def cell_counts(atoms: pd.DataFrame) -> dict[Cell, tuple[int, ...]]:
    """Households of each class (`CLASSES`, in that order) of every cell with any households, from atoms carrying
    the class columns of `queries/household_atoms.sql` (`poor_households`, `near_poor_households`,
    `poor_excl_sp_households`). Atoms without them (sizes only) give no counts: {}."""
    columns = sorted({c for cs in CLASSES.values() for c in cs})
    if not set(columns) <= set(atoms.columns):
        return {}
    totals: dict[Cell, list[int]] = {}
    for cells, values in _atom_cells(atoms, columns):
        by_column = dict(zip(columns, values[1:], strict=True))
        counts = [sum(by_column[c] for c in cs) for cs in CLASSES.values()]
        for cell in cells:
            held = totals.setdefault(cell, [0] * len(counts))
            for i, v in enumerate(counts):
                held[i] += v
    return {c: tuple(v) for c, v in totals.items()}


def _partitions(year: _Year) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """One year's geographic relations as units: (parent, children) without area or group. The current units' come
    first, so that the complement a current unit picks among its communes is one its former district then finds
    there (most current units lie within one former district)."""
    out: list[tuple[tuple[str, str], list[tuple[str, str]]]] = []
    pieces: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for (district, current), part in sorted(year.parts.items()):
        for parent in ((DISTRICT, district), (CURRENT, current)):
            pieces.setdefault(parent, []).append(part)
        if part[0] == PIECE:
            out.append((part, [(COMMUNE, c) for c in year.districts[district] if c in year.currents[current]]))
    for z, communes in year.currents.items():
        out.append(((CURRENT, z), [(COMMUNE, c) for c in communes]))
    province = (PROVINCE, "")
    if year.currents:
        out.append((province, [(CURRENT, z) for z in year.currents]))
    out.append((province, [(DISTRICT, d) for d in year.districts]))
    for d, communes in year.districts.items():
        out.append(((DISTRICT, d), [(COMMUNE, c) for c in communes]))
    known = {(p, tuple(sorted(cs))) for p, cs in out}
    for parent, parts in pieces.items():
        if parts != [parent] and (parent, tuple(sorted(parts))) not in known:
            out.append((parent, parts))
    return out


def relations(atoms: pd.DataFrame) -> list[Relation]:
    """Every relation of the lattice for the units present in `atoms` (see the module docstring), each year."""
    out: list[Relation] = []
    all_groups = (*GROUPS, OTHER)
    for y, year in _years(located(atoms)).items():
        partitions = _partitions(year)
        for area in AREAS:
            for group in all_groups:
                for (level, unit), children in partitions:
                    out.append((Cell(y, level, unit, area, group),
                                tuple(Cell(y, lv, u, area, group) for lv, u in children)))
        units = list(dict.fromkeys([(level, unit) for (level, unit), children in partitions]
                                   + [child for _, children in partitions for child in children]))
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
    """The member a relation hides next (open: households, and not hidden yet): the smallest open unpublished child
    (`other`, a part, a pseudo unit: no figure disappears; minority = khmer + other then hides a published partner
    only if it must), else the smallest open published child, else the parent."""
    def key(cell: Cell) -> tuple[int, Cell]:
        return sizes[cell], cell

    open_children = sorted((c for c in children if sizes.get(c, 0) and c not in states), key=key)
    unpublished = [c for c in open_children if not published(c)]
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
    years = _years(located(atoms))
    districts = {y: tuple(year.districts) for y, year in years.items()}
    currents = {y: tuple(year.currents) for y, year in years.items() if year.currents}
    # read-only: one lattice is shared by every session of the process (`disclosure.cells`)
    return Lattice(min_households, MappingProxyType(sizes), MappingProxyType(states), MappingProxyType(districts),
                   passes, MappingProxyType(counts), MappingProxyType(currents))
