"""Which unit a commune code or name means: the unit set in force at a row's review decides.

Bạc Liêu's 64 former units (7 districts) became 25 current units on 1 July 2025, and codes were reused with another
meaning (31834: Xã Vĩnh Trạch, then Phường Vĩnh Trạch). A review year is filed in the set the warehouse's
`review_unit_set(year)` names (`data/schema.sql`; the dates are data, `data/reference/unit_sets.csv`), so its codes
and names are read against that set only, with `normalise.Gazetteer`:

- a former unit written in a current-set year (a former code such as 31846, or a former name such as `Xã Vĩnh Trạch`
  or `Phường 1`) is refused, saying that from the set's first review year on the current units are used and, where
  the former unit is known, which current unit it now lies in (suggested, never converted: `ingest.commune_former_in_
  current`); a name that fits several former units lists each with its current unit;
- a current unit written in a former-set year (`Phường Bạc Liêu`) is refused naming the former units it was formed
  from (`ingest.commune_current_in_former`);
- a name that is a current unit's and also a former unit's now lying elsewhere (`Xã Phước Long`: the former one is now
  in Xã Vĩnh Phước) is read as the current unit, with a note (`reused_name_note`).

Nothing here touches the warehouse: `Places.of(con)` reads what it needs once.
"""

from __future__ import annotations

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
        """A written code in a year of `unit_set`; a code only the other set knows is refused saying so."""
        found = self.gazetteers[unit_set].code(value)
        if found.code is None:
            return Match(None, self._other_set(self.gazetteers[_other(unit_set)].code(value), unit_set)
                         or found.problem)
        return found

    def name(self, value: object, district: object, unit_set: str) -> Match:
        """A written name (and district, read in the former set only) in a year of `unit_set`; a name only the other
        set knows is refused saying so."""
        found = self.gazetteers[unit_set].name(value, district)
        if found.code is None:
            other = self.gazetteers[_other(unit_set)].name(value, district)
            return Match(None, self._other_set(other, unit_set) or found.problem)
        return found

    def reused_name_note(self, value: object, district: object, code: str) -> Message | None:
        """A note when `value`, read as current unit `code`, is also the name of a former unit now lying in another
        current unit (`Xã Phước Long`), so a clerk who kept last year's name is warned; else None."""
        former = self.gazetteers[FORMER].name(value, district)
        if former.code is None or self.crosswalk[former.code] == code:
            return None
        return msg("ingest.note_name_reused", value=str(value), current=self.label(code, CURRENT),
                   former=self.label(former.code, FORMER), now=self.label(self.crosswalk[former.code], CURRENT))

    def _other_set(self, found: Match, unit_set: str) -> Message | None:
        """What to say when a value unknown in `unit_set` means a unit of the other set (`found`); None if not."""
        if unit_set == CURRENT:
            current = self.sets[CURRENT]
            common = {"count": current.units, "first_year": str(current.first_year), "since": current.in_force_from}
            if found.code is not None:
                return msg("ingest.commune_former_in_current", **common, former=self.label(found.code, FORMER),
                           current=self.label(self.crosswalk[found.code], CURRENT))
            if found.candidates:
                options = OneOf(tuple(msg("ingest.former_now_in", former=self.label(c, FORMER),
                                          current=self.label(self.crosswalk[c], CURRENT)) for c in found.candidates))
                return msg("ingest.commune_former_in_current_options", **common, options=options)
            return None
        if found.code is not None:
            former = self.sets[FORMER]
            formers = ", ".join(self.label(c, FORMER) for c in self.formers_of.get(found.code, []))
            return msg("ingest.commune_current_in_former", count=former.units, last_year=str(former.last_year),
                       until=former.in_force_to, current=self.label(found.code, CURRENT), formers=formers)
        return None


def _other(unit_set: str) -> str:
    return CURRENT if unit_set == FORMER else FORMER
