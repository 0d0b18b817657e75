"""Which unit a commune code or name means: the unit set in force at a row's review decides.

Bạc Liêu's 64 former units (7 districts) became 25 current units on 1 July 2025, and codes were reused with another
meaning (31834: Xã Vĩnh Trạch, then Phường Vĩnh Trạch). A review year is filed in the set the warehouse's
`review_unit_set(year)` names (`data/schema.sql`; the dates are data, `data/reference/unit_sets.csv`), so its codes
and names are read against that set, with `normalise.Gazetteer`:

- in a current-set year, a current code or name is that current unit. A code the year's set reuses (31834, 31825:
  the former unit of that code lies in the current unit of the same code) and a name both sets have (`Xã Phước
  Long`, `Xã Ninh Quới`) mean the CURRENT unit: the year decides. A former unit only (a former-only code such as
  31846, a former name such as `Xã Vĩnh Trạch`, or `Phường 1` with its district) is read as the current unit it lies
  in whole (`unit_crosswalk`; no former unit is split, so this is exact, not a guess), and it tells the household's
  former commune (`Match.former`). A former name fitting several former units (`Phường 1` without a district) is
  refused naming each with the current unit it lies in;
- a current unit written in a former-set year (`Phường Bạc Liêu`) is refused naming the former units it was formed
  from (`ingest.commune_current_in_former`): a current unit cannot be split back into former ones;
- a name that is a current unit's and also a former unit's now lying elsewhere (`Xã Phước Long`: the former one is now
  in Xã Vĩnh Phước) is read as the current unit, with a note (`reused_name_note`).

Nothing here touches the warehouse: `Places.of(con)` reads what it needs once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from data.ingest.messages import Message, OneOf, msg
from data.ingest.normalise import Gazetteer, Match
from data.sqlfiles import load_sql

FORMER = "former"
CURRENT = "current"
SETS = (FORMER, CURRENT)


@dataclass(frozen=True)
class UnitSet:
    """One unit set as the warehouse defines it: its units' count, the dates it is in force (None: open-ended) and
    the first and last review years filed in it (`review_unit_set`; None: open-ended)."""

    name: str
    units: int
    in_force_from: date | None
    in_force_to: date | None
    first_year: int | None
    last_year: int | None

    def describe(self) -> Message:
        """`25 xã, phường sau sắp xếp (từ 1/7/2025)` / `the 25 current communes and wards (from 1 July 2025)`."""
        if self.name == FORMER:
            return msg("ingest.unit_set.former", count=self.units, until=self.in_force_to)
        return msg("ingest.unit_set.current", count=self.units, since=self.in_force_from)


class Places:
    """Both unit sets, the crosswalk between them, and how a code or name written in a row of a set's year reads."""

    def __init__(self, units: pd.DataFrame, crosswalk: dict[str, str], sets: dict[str, UnitSet]) -> None:
        self.gazetteers = {s: Gazetteer(units[units["unit_set"] == s].reset_index(drop=True)) for s in SETS}
        self.crosswalk = dict(crosswalk)  # former code → the current unit it lies in whole
        self.formers_of: dict[str, list[str]] = {}
        for former, current in sorted(self.crosswalk.items()):
            self.formers_of.setdefault(current, []).append(former)
        self.sets = sets

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> Places:
        """Units, crosswalk and unit sets as the warehouse on `con` holds them."""
        units = con.execute("SELECT * FROM units ORDER BY unit_set, commune_code").df()
        walk = dict(con.execute("SELECT former_code, current_code FROM unit_crosswalk").fetchall())
        sets = {}
        for name, count, since, until, first, last in con.execute(load_sql("unit_sets_in_force")).fetchall():
            sets[name] = UnitSet(name, int(count), since, until, first, last)
        return cls(units, walk, sets)

    def label(self, code: str, unit_set: str) -> str:
        return self.gazetteers[unit_set].label(code)

    def current_of(self, code: str, unit_set: str) -> str:
        """The current unit a unit of `unit_set` lies in (itself for a current unit)."""
        return code if unit_set == CURRENT else self.crosswalk[code]

    def code(self, value: object, unit_set: str) -> Match:
        """A written code in a year of `unit_set`. In the current set, a code only the former set knows is read as
        the current unit containing it (`Match.former`: that former unit); in the former set, a current-only code is
        refused saying so."""
        found = self.gazetteers[unit_set].code(value)
        if found.code is not None:
            return found
        other = self.gazetteers[_other(unit_set)].code(value)
        if unit_set == CURRENT:
            return self._through_former(other) or found
        return Match(None, self._current_in_former(other) or found.problem)

    def name(self, value: object, district: object, unit_set: str) -> Match:
        """A written name (and district, read for former names only) in a year of `unit_set`. In the current set, a
        name only the former set knows is read as the current unit containing it (`Match.former`), and one fitting
        several former units is refused naming each with its current unit; in the former set, a current-only name is
        refused saying so."""
        found = self.gazetteers[unit_set].name(value, district)
        if found.code is not None:
            return found
        other = self.gazetteers[_other(unit_set)].name(value, district)
        if unit_set == FORMER:
            return Match(None, self._current_in_former(other) or found.problem)
        through = self._through_former(other)
        if through is not None:
            return through
        if other.candidates:
            options = OneOf(tuple(msg("ingest.former_now_in", former=self.label(c, FORMER),
                                      current=self.label(self.crosswalk[c], CURRENT)) for c in other.candidates))
            return Match(None, msg("ingest.commune_ambiguous", options=options), other.candidates)
        if other.problem is not None and other.problem.key in _FORMER_NAME_KNOWN:
            return other  # a former name, but not in the district written
        return found

    def reused_name_note(self, value: object, district: object, code: str) -> Message | None:
        """A note when `value`, read as current unit `code`, is also the name of a former unit now lying in another
        current unit (`Xã Phước Long`), so a clerk who kept last year's name is warned; else None."""
        former = self.gazetteers[FORMER].name(value, district)
        if former.code is None or self.crosswalk[former.code] == code:
            return None
        return msg("ingest.note_name_reused", value=str(value), current=self.label(code, CURRENT),
                   former=self.label(former.code, FORMER), now=self.label(self.crosswalk[former.code], CURRENT))

    def _through_former(self, former: Match) -> Match | None:
        """A former unit (`former`, found in the former set) read as the current unit it lies in; None if none."""
        if former.code is None:
            return None
        return Match(self.crosswalk[former.code], None, former=former.code)

    def _current_in_former(self, found: Match) -> Message | None:
        """What to say when a value unknown in the former set means a current unit (`found`); None if not."""
        if found.code is None:
            return None
        former = self.sets[FORMER]
        formers = ", ".join(self.label(c, FORMER) for c in self.formers_of.get(found.code, []))
        return msg("ingest.commune_current_in_former", count=former.units, last_year=str(former.last_year),
                   until=former.in_force_to, current=self.label(found.code, CURRENT), formers=formers)

    def former_note(self, pairs: Iterable[tuple[str, str]], rows: int) -> Message:
        """The note for `rows` rows of current-set years naming former units, read as the current units containing
        them: `pairs` (former code, current code), each written `Xã Ninh Quới (31846, Huyện Hồng Dân) → Xã Ninh Quới
        (31849)`."""
        mapping = ", ".join(f"{self.label(f, FORMER)} → {self.label(c, CURRENT)}" for f, c in sorted(set(pairs)))
        return msg("ingest.note_former_units", count=rows, since=self.sets[CURRENT].in_force_from, mapping=mapping)


# A former name's problem saying the name is a former unit's, but not in the district written (or that district is
# unknown): reported as such in a current-set year rather than as an unknown current name.
_FORMER_NAME_KNOWN = ("ingest.commune_not_in_district", "ingest.district_unknown")


def _other(unit_set: str) -> str:
    return CURRENT if unit_set == FORMER else FORMER
