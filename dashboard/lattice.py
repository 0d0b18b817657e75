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
  child's rate is 0 % or 100 %), one more member is hidden: a child not hidden yet (with households), else the
  parent. Among the children: unpublished ones first (no figure disappears: minority = khmer + other then hides a
  published partner only where it must), then the one whose hiding leaves the fewest of its other relations with a
  single hidden member (less those it gives a second: a district whose communes are hidden already costs nothing
  more, a current unit's other former commune costs its district a second one), then the smallest; ties go by the
  cell's key (year, level, code, area, group). An `other` cell counts as hidden only when it is small or was chosen
  so; otherwise it is taken as known, since minority − khmer gives it. The same holds for every cell no view shows
  but other cells give (`published` false: `other`, the pseudo cells of unknown former communes, the parts). Each
  pass only ever hides more cells, so the fixpoint is reached in at most as many passes as there are cells. Hiding
  children until the hidden ones hold some but not all of a class always ends: at worst every child is hidden, and
  then they hold what the parent holds.
- **Audit** (`audit`): relations one at a time are not all the arithmetic a viewer can do. With two ways of cutting
  a district (its current units; each of those into urban and rural), a district less one current unit's all-area
  cell less another's rural cell gives the urban households of two more, although each relation has two hidden
  members holding N or more. So after the fixpoint each year's shown published cells are 0/1 vectors over the
  year's atoms, and wherever a combination of them gives a cell of 1 … N−1 households, or the total of some of one
  relation's cells of 1 … N−1 households that hold fewer than N together, the smallest shown cell of a short such
  combination is hidden too; then the fixpoint runs again, until no combination gives one. (The totals of chosen
  places are combinations of shown cells; the total of all seven former districts is the province less `?` and is
  counted with them where both are shown.)
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, NamedTuple

import numpy as np
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
    `currents`: year → the current units with households that year (empty when the atoms carried no current unit);
    `audit_rounds`: how many rounds of the audit (`audit`) hid something.
    """

    min_households: int
    sizes: Mapping[Cell, int]
    states: Mapping[Cell, str]
    districts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    passes: int = 0
    counts: Mapping[Cell, tuple[int, ...]] = field(default_factory=dict)
    currents: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    audit_rounds: int = 0

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
    district when it is all of that, the commune when it is one commune, else a `PIECE`."""

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
            elif communes == districts[district]:
                parts[(district, current)] = (DISTRICT, district)
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


_CLASS_COLUMNS: Final = tuple(sorted({c for cs in CLASSES.values() for c in cs}))


@dataclass(frozen=True)
class _Prepared:
    """Atoms with households, located (`located`) and in the order of their codes (so that nothing depends on the
    order of the rows), each with the cells it is part of; and each year's places."""

    years: Mapping[int, _Year]
    cells: list[list[Cell]]  # per atom
    values: list[tuple[int, ...]]  # per atom: households, then the class columns when `classes`
    classes: bool


def _prepare(atoms: pd.DataFrame) -> _Prepared:
    frame = located(atoms)
    frame = frame[frame["households"] > 0]
    years = _years(frame)
    classes = set(_CLASS_COLUMNS) <= set(frame.columns)
    keys = ["year", "district_code", "commune_code", "current_code", "area", "group_atom"]
    frame = frame.sort_values(keys, kind="stable")
    cells, values = [], []
    for row in frame[[*keys, "households", *(_CLASS_COLUMNS if classes else ())]].itertuples(index=False, name=None):
        year = int(row[0])
        units = _units(years[year], str(row[1]), str(row[2]), str(row[3]))
        cells.append(list(_cells_of(year, units, str(row[4]), str(row[5]))))
        values.append(tuple(int(v) for v in row[6:]))
    return _Prepared(years, cells, values, classes)


def _sizes(prepared: _Prepared) -> dict[Cell, int]:
    sizes: Counter[Cell] = Counter()
    for cells, values in zip(prepared.cells, prepared.values, strict=True):
        for cell in cells:
            sizes[cell] += values[0]
    return dict(sizes)


def _counts(prepared: _Prepared) -> dict[Cell, tuple[int, ...]]:
    if not prepared.classes:
        return {}
    totals: dict[Cell, list[int]] = {}
    for cells, values in zip(prepared.cells, prepared.values, strict=True):
        by_column = dict(zip(_CLASS_COLUMNS, values[1:], strict=True))
        counts = [sum(by_column[c] for c in cs) for cs in CLASSES.values()]
        for cell in cells:
            held = totals.setdefault(cell, [0] * len(counts))
            for i, v in enumerate(counts):
                held[i] += v
    return {c: tuple(v) for c, v in totals.items()}


def cell_sizes(atoms: pd.DataFrame) -> dict[Cell, int]:
    """Households of every cell with any, from atoms (`year`, `district_code`, `commune_code`, `area`, `group_atom`,
    `households`, and `current_code` when the current units are to be cells: `queries/household_atoms.sql`)."""
    return _sizes(_prepare(atoms))


def cell_counts(atoms: pd.DataFrame) -> dict[Cell, tuple[int, ...]]:
    """Households of each class (`CLASSES`, in that order) of every cell with any households, from atoms carrying
    the class columns of `queries/household_atoms.sql` (`poor_households`, `near_poor_households`,
    `poor_excl_sp_households`). Atoms without them (sizes only) give no counts: {}."""
    return _counts(_prepare(atoms))


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
    return _relations(_prepare(atoms).years)


def _relations(years: Mapping[int, _Year]) -> list[Relation]:
    out: list[Relation] = []
    all_groups = (*GROUPS, OTHER)
    for y, year in years.items():
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


def _pick(parent: Cell, children: tuple[Cell, ...], sizes: Mapping[Cell, int], states: Mapping[Cell, str],
          cost: Callable[[Cell], int] = lambda _cell: 0) -> Cell | None:
    """The member a relation hides next (open: households, and not hidden yet): among the open children the one
    whose hiding costs least (`cost`: how many of its other relations it would leave with one hidden member, less
    how many it completes), then unpublished before published (`other`, a part, a pseudo unit: no figure
    disappears; minority = khmer + other then hides a published partner only if it must), then the smallest; with
    no open child, the parent."""
    def key(cell: Cell) -> tuple[int, bool, int, Cell]:
        return published(cell), cost(cell), sizes[cell], cell

    open_children = [c for c in children if sizes.get(c, 0) and c not in states]
    if open_children:
        return min(open_children, key=key)
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
             counts: Mapping[Cell, tuple[int, ...]] | None = None, max_passes: int | None = None,
             start: Mapping[Cell, str] | None = None) -> tuple[dict[Cell, str], int]:
    """Primary and complementary states of every cell (`SMALL` / `COMPLEMENT`; shown cells absent), and the number
    of passes the fixpoint took (the last one changes nothing). `sizes`: households per cell (absent: 0); `links`:
    the relations; `counts`: households of each class (`CLASSES`, in order) per cell (`cell_counts`; None or {}: the
    rule on known rates is not applied); `max_passes`: the bound (default: one more than there are cells, which is
    never reached, since each pass that changes anything hides at least one more cell); `start`: cells hidden
    already (kept as they are). Raises `RuntimeError` when the bound is reached."""
    states: dict[Cell, str] = {c: SMALL for c, n in sizes.items() if 0 < n < min_households}
    states.update(start or {})
    live = [(p, cs) for p, cs in links if sizes.get(p, 0) or any(sizes.get(c, 0) for c in cs)]
    members: dict[Cell, list[tuple[Cell, ...]]] = {}
    for parent, children in live:
        relation = tuple(c for c in (parent, *children) if sizes.get(c, 0))
        for cell in relation:
            members.setdefault(cell, []).append(relation)

    def cost(cell: Cell) -> int:
        """Relations of `cell` that hiding it leaves with one hidden member, less those it gives a second."""
        out = 0
        for relation in members.get(cell, ()):
            hidden = sum(c in states for c in relation)
            out += (hidden == 0) - (hidden == 1)
        return out

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
                pick = _pick(parent, children, sizes, states, cost)
                if pick is None:
                    break
                states[pick] = COMPLEMENT
                changed = True
        if not changed:
            return states, passes
    raise RuntimeError(f"the suppression fixpoint did not converge in {bound} passes")


# ---------------------------------------------------------------------------------------------------------------------
# The audit: what all shown cells together give, by linear algebra


@dataclass
class _Span:
    """One year's shown cells as 0/1 vectors over its atoms, and an orthonormal basis of what they give together."""

    rows: np.ndarray  # distinct vectors of the shown cells (one per row)
    cells: list[list[Cell]]  # the shown cells of each row
    basis: np.ndarray  # orthonormal rows spanning `rows`

    def residual(self, vectors: np.ndarray) -> np.ndarray:
        """What of each vector (rows) no combination of shown cells gives."""
        return vectors - (vectors @ self.basis.T) @ self.basis if len(self.basis) else vectors


def _span(vectors: Mapping[Cell, np.ndarray], shown: Iterable[Cell],
          extra: Iterable[tuple[np.ndarray, Cell]] = ()) -> _Span:
    """The span of the `shown` cells' vectors, and of `extra` vectors (totals that are shown but no cell, each with
    the cell whose hiding hides it)."""
    by_row: dict[bytes, list[Cell]] = {}
    rows: dict[bytes, np.ndarray] = {}
    for cell in shown:
        key = vectors[cell].tobytes()
        by_row.setdefault(key, []).append(cell)
        rows.setdefault(key, vectors[cell])
    for v, cell in extra:
        rows.setdefault(v.tobytes(), v)
        by_row.setdefault(v.tobytes(), []).append(cell)
    width = len(next(iter(vectors.values()))) if vectors else 0
    matrix = np.array(list(rows.values())) if rows else np.zeros((0, width))
    if not len(matrix):
        return _Span(matrix, [], np.zeros((0, width)))
    return _Span(matrix, list(by_row.values()), row_space(matrix))


def row_space(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis (rows) of the space the rows of `matrix` (k × n) span, from its singular value
    decomposition (singular values under 1e-9 of the largest count as 0).

    LAPACK's divide-and-conquer SVD (gesdd, what numpy calls) does not converge on some 0/1 matrices (one of the
    demo's 2025 years, 186 × 229, in tests/app/data); the SVD of the transpose gives the same basis (its left singular
    vectors) by another path, and the eigenvectors of the Gram matrix (eigh, which always converges) are the last
    resort (then eigenvalues under 1e-12 of the largest count as 0: they are squares of singular values)."""
    try:
        _, singular, basis = np.linalg.svd(matrix, full_matrices=False)
    except np.linalg.LinAlgError:
        try:
            left, singular, _ = np.linalg.svd(matrix.T, full_matrices=False)
            basis = left.T
        except np.linalg.LinAlgError:
            values, vectors = np.linalg.eigh(matrix.T @ matrix)
            keep = values > 1e-12 * max(values.max(), 0.0)
            return vectors[:, keep].T[::-1]
    if not len(singular) or singular[0] == 0:
        return np.zeros((0, matrix.shape[1]))
    return basis[singular > 1e-9 * singular[0]]


def least_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The least-norm x minimising |a x − b| (`numpy.linalg.lstsq`); where LAPACK's SVD-based solver does not
    converge (see `row_space`), the same x from the pseudo-inverse of the Gram matrix a a^T (eigh)."""
    try:
        solution, *_ = np.linalg.lstsq(a, b, rcond=None)
        return solution
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(a.T @ a)
        keep = values > 1e-12 * max(values.max(), 0.0)
        inverse = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
        return inverse @ (a.T @ b)


def _zero_sums(residuals: np.ndarray, sizes: Sequence[int], min_households: int) -> list[tuple[int, ...]]:
    """Choices of two or more of these vectors (residuals of cells of 1 … N−1 households) holding fewer than N
    households together and summing to 0 (their total is then given by the shown cells). Only vectors with a part in
    a linear dependence among them can be in one, so the choices are searched among those."""
    if len(residuals) < 2:
        return []
    values, combinations = np.linalg.eigh(residuals @ residuals.T)
    null = combinations[:, values < 1e-9]  # combinations of the rows that sum to 0
    if not null.shape[1]:
        return []
    involved = [i for i in range(len(residuals)) if np.abs(null[i]).max() > 1e-9]
    found: list[tuple[int, ...]] = []

    def walk(start: int, chosen: tuple[int, ...], held: int, total: np.ndarray) -> None:
        for j in range(start, len(involved)):
            i = involved[j]
            if held + sizes[i] >= min_households:
                continue
            now, vector = (*chosen, i), total + residuals[i]
            if len(now) >= 2 and np.linalg.norm(vector) < 1e-6:
                found.append(now)
            walk(j + 1, now, held + sizes[i], vector)

    walk(0, (), 0, np.zeros(residuals.shape[1]))
    return found


def _gives(rows: np.ndarray, target: np.ndarray) -> bool:
    """Whether a combination of `rows` is `target`."""
    if not len(rows):
        return False
    solution = least_squares(rows.T, target)
    return bool(np.linalg.norm(rows.T @ solution - target) < 1e-6)


def _witness(span: _Span, target: np.ndarray) -> list[Cell]:
    """Shown cells whose combination gives `target` (a vector of the span), few of them: from the least-norm
    combination, cells are left out (those of the smallest coefficients first, half of the rest at a time, then one
    by one) while the rest still give it."""
    coefficients = least_squares(span.rows.T, target)
    used = [int(i) for i in np.argsort(np.abs(coefficients)) if abs(coefficients[i]) > 1e-9 and span.cells[i]]
    step = max(len(used) // 2, 1)
    while step >= 1 and len(used) > 1:
        start = 0
        while start < len(used) and len(used) > 1:
            rest = used[:start] + used[start + step:]
            if rest and _gives(span.rows[rest], target):
                used = rest
            else:
                start += step
        step //= 2
    return [cell for i in used for cell in span.cells[i]]


def _audit_year(year: int, vectors: Mapping[Cell, np.ndarray], sizes: Mapping[Cell, int], links: Sequence[Relation],
                states: dict[Cell, str], places: _Year, min_households: int) -> bool:
    """Hide, in one year, a cell of every combination of shown cells that gives a cell of 1 … N−1 households, or
    the total of some of a relation's cells of 1 … N−1 households when it is fewer than N (the smallest cell of the
    combination, and every cell of the same households). Returns whether anything was hidden."""
    def spanned() -> _Span:
        shown = [c for c in vectors if c not in states and published(c)]
        # a total of all the former districts (all but the pseudo one of unknown former communes) is shown when the
        # province and that pseudo district are (`Lattice.selection`; the coverage's households of known former
        # communes)
        extra = []
        if UNKNOWN in places.districts:
            for area, group in ((a, g) for a in AREAS for g in GROUPS):
                province = Cell(year, PROVINCE, "", area, group)
                unknown = Cell(year, DISTRICT, UNKNOWN, area, group)
                if province in vectors and unknown in vectors and province not in states and unknown not in states:
                    extra.append((vectors[province] - vectors[unknown], unknown))
        return _span(vectors, shown, extra)

    targets: list[np.ndarray] = [vectors[c] for c, n in sizes.items()
                                 if c.year == year and 0 < n < min_households and c in vectors]
    seen: set[tuple[Cell, ...]] = set()
    span = spanned()
    for _, children in links:
        small = tuple(c for c in children if 0 < sizes.get(c, 0) < min_households)
        if len(small) < 2 or small in seen or small[0].year != year:
            continue
        seen.add(small)
        residuals = span.residual(np.array([vectors[c] for c in small]))
        for choice in _zero_sums(residuals, [sizes[c] for c in small], min_households):
            targets.append(sum(vectors[small[i]] for i in choice))
    changed = False
    for target in targets:
        if np.linalg.norm(span.residual(target[None, :])) >= 1e-6:
            continue
        witness = _witness(span, target)
        if not witness:
            continue
        pick = min(witness, key=lambda c: (sizes[c], c))
        same = vectors[pick].tobytes()
        states[pick] = COMPLEMENT
        for cell in vectors:
            if cell not in states and vectors[cell].tobytes() == same:
                states[cell] = COMPLEMENT
        changed = True
        span = spanned()
    return changed


def audit(atoms: pd.DataFrame, sizes: Mapping[Cell, int], links: Sequence[Relation], states: Mapping[Cell, str],
          min_households: int, *, counts: Mapping[Cell, tuple[int, ...]] | None = None,
          max_rounds: int = 100) -> tuple[dict[Cell, str], int]:
    """`states` made safe against every combination of views, not only each relation on its own: year by year, the
    shown published cells are 0/1 vectors over the year's atoms, and wherever a combination of them gives a cell of
    1 … N−1 households (or the total of some small cells of one relation, fewer than N together), the smallest shown
    cell of such a combination is hidden too, the relations' fixpoint (`suppress`) runs again from there, and so on
    until no combination gives one. (Relations alone miss a cycle through two ways of cutting a district: the
    district less one current unit's all-area cell less another's rural cell gives the urban households of two
    others.) Returns the states and how many rounds hid something."""
    return _audit(_prepare(atoms), sizes, links, states, min_households, counts=counts, max_rounds=max_rounds)


def _audit(prepared: _Prepared, sizes: Mapping[Cell, int], links: Sequence[Relation], states: Mapping[Cell, str],
           min_households: int, *, counts: Mapping[Cell, tuple[int, ...]] | None = None,
           max_rounds: int = 100) -> tuple[dict[Cell, str], int]:
    index: dict[int, dict[Cell, list[int]]] = {}
    widths: dict[int, int] = {}
    for cells in prepared.cells:
        year = cells[0].year
        atom = widths.get(year, 0)
        widths[year] = atom + 1
        for cell in cells:
            index.setdefault(year, {}).setdefault(cell, []).append(atom)
    vectors: dict[int, dict[Cell, np.ndarray]] = {}
    for year, members in index.items():
        vectors[year] = {}
        for cell, atoms_of in members.items():
            v = np.zeros(widths[year])
            v[atoms_of] = 1.0
            vectors[year][cell] = v
    by_year: dict[int, list[Relation]] = {}
    for link in links:
        by_year.setdefault(link[0].year, []).append(link)

    def hidden_in(year: int) -> frozenset[Cell]:
        return frozenset(c for c in out if c.year == year)

    out = dict(states)
    audited: dict[int, frozenset[Cell]] = {}  # a year's hidden cells when it was last found safe
    for rounds in range(max_rounds):
        changed = False
        for year, cells in vectors.items():
            if audited.get(year) == hidden_in(year):
                continue
            if _audit_year(year, cells, sizes, by_year.get(year, []), out, prepared.years[year], min_households):
                changed = True
            else:
                audited[year] = hidden_in(year)
        if not changed:
            return out, rounds
        out, _ = suppress(sizes, links, min_households, counts=counts, start=out)
    raise RuntimeError(f"the audit did not settle in {max_rounds} rounds")


def build(atoms: pd.DataFrame, min_households: int) -> Lattice:
    """The lattice of `atoms` (`queries/household_atoms.sql`) with N = `min_households`."""
    prepared = _prepare(atoms)
    sizes = _sizes(prepared)
    counts = _counts(prepared)
    links = _relations(prepared.years)
    states, passes = suppress(sizes, links, min_households, counts=counts)
    states, rounds = _audit(prepared, sizes, links, states, min_households, counts=counts)
    years = prepared.years
    districts = {y: tuple(year.districts) for y, year in years.items()}
    currents = {y: tuple(year.currents) for y, year in years.items() if year.currents}
    # read-only: one lattice is shared by every session of the process (`disclosure.cells`)
    return Lattice(min_households, MappingProxyType(sizes), MappingProxyType(states), MappingProxyType(districts),
                   passes, MappingProxyType(counts), MappingProxyType(currents), rounds)
