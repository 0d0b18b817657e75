"""Deterministic demo panel of Bạc Liêu household reviews, 2021–2025.

Nothing here is a published figure except what `reference/scenario.csv` marks `published`: the province's poor and
near-poor rates in 2021 and its poor rate in 2022. Every other number (district and commune differences, the
2023–2025 path, the distributions of income and deprivations) is an assumption, written as data in `reference/` or
as a named constant below, so the dashboard can say which is which.

How a household's class is decided: each household has a persistent poverty propensity (district, commune, area,
ethnicity, size and its own draw), plus a yearly shock that persists from year to year (AR(1)) and a commune-level
drift that makes some communes improve faster than others. Each year the reviewed households are ranked by that
score and the scenario's shares decide how many are poor, near-poor and average, so the province figures hit the
calibration exactly while who is poor follows the score. Income and the 12 deprivations are then drawn consistent
with the class (the `classified` view re-derives the class from them), correlated with area, ethnicity and score.

Flows between reviews (the `flow_categories` of the schema) come from events stored in `reference/panel_events.csv`,
every one an assumption: households leave the review for good or join it (new households); some are away at a
review and come back later (so "left" includes the absent and "joined" the returning); and each year a share of
households is hit by a shock (illness, crop or shrimp loss) that raises its score for a review or two — more often
households that were poor before, so some who had escaped fall back, after one or more years out of poverty, and
some never-poor households become newly poor. The shock only moves households in the ranking: the year's shares
stay the scenario's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).parent / "reference"
INDICATORS = [
    "employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
    "housing_quality", "floor_area", "water", "latrine", "telecom", "info_devices",
]
REVIEW_COLUMNS = [
    "household_id", "year", "members", "income_per_capita", "social_protection", *(f"d_{i}" for i in INDICATORS),
]
DEFAULT_SEED = 20220928  # the day the plan was reported (seed article)
DEFAULT_HOUSEHOLDS = 226_000
DEFAULT_CHUNK_ROWS = 1_000_000  # rows a chunk of the panel holds (≈ 0.5 GB of transient arrays at the peak)

# Assumptions about the panel, per year (the events behind the flows are in reference/panel_events.csv).
SHOCK_PERSISTENCE = 0.75  # AR(1) coefficient of the yearly shock
SHOCK_SD = 0.55
SOCIAL_PROTECTION_SHARE_OF_POOR = 0.11  # of households poor in the baseline year
SOCIAL_PROTECTION_SHARE_OTHERS = 0.012
SOCIAL_PROTECTION_BOOST = 1.6  # beneficiaries rarely escape

# Household size 1..9 (mean ≈ 3.8 persons, the province's 856,518 people over ≈ 226,000 households).
SIZE_PROBS = np.array([0.07, 0.15, 0.22, 0.26, 0.16, 0.08, 0.04, 0.015, 0.005])

# How many indicators are deprived, by class: index = count, value = probability.
DEPRIVATION_COUNT_PROBS = {
    "poor": np.array([0, 0, 0, 0.38, 0.28, 0.18, 0.10, 0.04, 0.02]),
    "near_poor": np.array([0.25, 0.40, 0.35]),
    "average": np.array([0.40, 0.30, 0.17, 0.09, 0.04]),
    "above": np.array([0.72, 0.20, 0.06, 0.02]),
}
# Relative chance of each indicator being among a household's deprivations (same order as INDICATORS).
BASE_WEIGHTS = np.array([1.2, 1.0, 0.4, 0.7, 1.3, 0.6, 1.0, 0.5, 0.9, 1.4, 0.8, 0.35])
RURAL_FACTORS = np.array([1.0, 1.0, 1.0, 1.0, 1.1, 1.0, 1.1, 0.8, 1.5, 1.5, 1.2, 1.1])
URBAN_FACTORS = np.array([1.1, 1.0, 1.0, 1.0, 0.9, 1.0, 0.8, 2.2, 0.6, 0.6, 0.8, 0.9])
KHMER_FACTORS = np.array([1.1, 1.0, 1.3, 1.0, 1.6, 1.5, 1.3, 1.0, 1.1, 1.2, 1.0, 1.0])
HEALTH_INSURANCE_DECLINE = 0.18  # the insurance indicator's weight shrinks by this share a year (coverage rises)

ETHNIC_EFFECT = {"kinh": 0.0, "khmer": 0.65, "hoa": -0.3, "other": 0.35}
ETHNICITIES = ["kinh", "khmer", "hoa", "other"]  # `_Panel.ethnicity` codes
ETHNIC_EFFECT_BY_CODE = np.array([ETHNIC_EFFECT[name] for name in ETHNICITIES])
URBAN_EFFECT = -0.30
HOA_SHARE = {"urban": 0.025, "rural": 0.006}
OTHER_SHARE = 0.003


@dataclass(frozen=True)
class Profile:
    """Everything the generator is calibrated to, read from `reference/`."""

    units: pd.DataFrame
    districts: pd.DataFrame
    communes: pd.DataFrame
    scenario: pd.DataFrame
    standard: pd.Series
    events: pd.Series  # panel_events.csv: key → value (rates a year, poverty-score points)

    @classmethod
    def load(cls, units: pd.DataFrame, reference_dir: Path = REFERENCE_DIR) -> Profile:
        districts = pd.read_csv(reference_dir / "districts.csv", dtype={"district_code": str})
        communes = pd.read_csv(reference_dir / "communes_demo.csv", dtype={"commune_code": str})
        scenario = pd.read_csv(reference_dir / "scenario.csv").sort_values("year").reset_index(drop=True)
        standards = pd.read_csv(reference_dir / "standards.csv")
        first = int(scenario["year"].min())
        standard = standards[(standards.first_year <= first) & (standards.last_year >= first)].iloc[0]
        events = load_events(reference_dir).set_index("key")["value"]
        return cls(units, districts, communes, scenario, standard, events)


EVENT_KEYS = (
    "exit_rate", "entry_rate", "entry_vulnerability", "absence_rate", "return_rate", "shock_rate_once_poor",
    "shock_rate_others", "shock_size", "shock_size_sd", "shock_persistence",
)


def load_events(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """`panel_events.csv`: one row per assumption about the panel's events (key, value, unit, kind, label_vi,
    label_en); rates are shares (0–1) a year, sizes in poverty-score points. Raises ValueError when a key the
    generator needs is missing or a rate is outside 0–1."""
    events = pd.read_csv(reference_dir / "panel_events.csv")
    missing = set(EVENT_KEYS) - set(events["key"])
    if missing:
        raise ValueError(f"panel_events.csv lacks {sorted(missing)}")
    rates = events[events["key"].str.contains("rate") & ~events["value"].between(0.0, 1.0)]
    if len(rates):
        raise ValueError(f"panel_events.csv: rates must be between 0 and 1, got {rates['key'].tolist()}")
    return events



def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights`, summing exactly to `total`."""
    shares = weights / weights.sum() * total
    counts = np.floor(shares).astype(np.int64)
    remainder = total - counts.sum()
    counts[np.argsort(-(shares - counts), kind="stable")[:remainder]] += 1
    return counts



def _draw_counts(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(len(probs), size=n, p=probs / probs.sum())


def _classify_by_rank(score: np.ndarray, shares: list[float]) -> np.ndarray:
    """Class index per household (0 poor, 1 near-poor, 2 average, 3 above) from the score's rank."""
    n = len(score)
    order = np.argsort(-score, kind="stable")
    counts = [int(round(share / 100.0 * n)) for share in shares]
    classes = np.full(n, 3, dtype=np.int8)
    start = 0
    for cls, count in enumerate(counts):
        classes[order[start:start + count]] = cls
        start += count
    return classes


def _rank_within(score: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Percentile (0 = best off, 1 = worst off) of each household's score inside its class."""
    q = np.empty(len(score))
    for cls in np.unique(classes):
        idx = np.flatnonzero(classes == cls)
        ranks = np.argsort(np.argsort(score[idx], kind="stable"), kind="stable")
        q[idx] = (ranks + 0.5) / len(idx)
    return q


def _incomes(rng, classes, q, urban, standard) -> np.ndarray:
    """Income per capita (VND/month) consistent with the class and the area's lines."""
    line = np.where(urban, standard["urban_poverty_line"], standard["rural_poverty_line"]).astype(float)
    avg = np.where(urban, standard["urban_average_line"], standard["rural_average_line"]).astype(float)
    jitter = np.clip(1.0 - q + rng.normal(0.0, 0.12, len(q)), 0.0, 1.0)  # 1 = best off in its class
    income = np.empty(len(q))
    under = classes <= 1
    income[under] = line[under] * (0.38 + 0.62 * jitter[under])
    mid = classes == 2
    income[mid] = line[mid] + (avg[mid] - line[mid]) * np.maximum(jitter[mid], 0.002)
    top = classes == 3
    income[top] = avg[top] * (1.0 + np.exp(rng.normal(-0.1, 0.7, top.sum())))
    income = np.round(income / 1000.0) * 1000.0
    # Households exactly at the line happen in real reviews (and the line counts as under it).
    at_line = under & (rng.random(len(q)) < 0.004)
    income[at_line] = line[at_line]
    income[under] = np.minimum(income[under], line[under])
    income[mid] = np.clip(income[mid], line[mid] + 1000, avg[mid])
    income[top] = np.maximum(income[top], avg[top] + 1000)
    return income.astype(np.int64)


class Rows(NamedTuple):
    """One chunk of the demo panel: rows of `table` for review year `year`.

    `table` 'households': the households first reviewed that year — `household_key` (INTEGER, 1, 2, … in order of
    first review), `household_id` (the demo's own code, `H` and key − 1 in 8 digits), `commune_code`, `current_code`,
    `ethnicity` (pandas categoricals). 'reviews': that year's reviews — `household_key`, `year`, `members`,
    `income_per_capita` (VND a person a month), `social_protection`, `d_employment` … `d_info_devices` (booleans).
    """

    table: str
    year: int
    frame: pd.DataFrame


def household_ids(keys: np.ndarray) -> np.ndarray:
    """The demo's household ids for its integer keys: 'H' and key − 1 in 8 digits (key 1 → 'H00000000')."""
    return np.char.add("H", np.char.zfill((np.asarray(keys, dtype=np.int64) - 1).astype(str), 8))


def _blocks(n: int, size: int) -> Iterator[slice]:
    """Consecutive slices of at most `size` covering range(n)."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


class _Panel:
    """Every household the demo creates, in order of creation (position = household_key − 1), with its persistent
    traits and yearly state in compact arrays; `alive` marks those still in the review (a household that leaves never
    comes back, and its slot is never reused).

    Arrays are allocated once for every household the build will create (`capacity`), so adding households never
    copies the panel. Random draws are taken in the order and sizes of one draw per quantity; long draws are taken
    in consecutive blocks, which numpy's generators make identical to one draw, so the chunk size never changes the
    panel.
    """

    def __init__(self, profile: Profile, rng: np.random.Generator, capacity: int, chunk_rows: int) -> None:
        self.profile = profile
        self.rng = rng
        self.chunk_rows = chunk_rows
        units = profile.units.merge(profile.districts, on="district_code", how="left")
        units = units.merge(profile.communes[["commune_code", "khmer_weight", "progress_effect"]].rename(
            columns={"progress_effect": "commune_progress"}), on="commune_code", how="left")
        units["khmer_weight"] = units["khmer_weight"].fillna(1.0)
        units["commune_progress"] = units["commune_progress"].fillna(0.0)
        n_units = len(units)
        # Commune traits: size weight, poverty effect, yearly progress (higher = improves faster).
        type_weight = units["commune_type"].map({"phường": 1.3, "thị trấn": 1.4, "xã": 1.0}).to_numpy()
        units["size_weight"] = type_weight * rng.lognormal(0.0, 0.25, n_units)
        units["commune_effect"] = rng.normal(0.0, 0.22, n_units)
        units["progress"] = (
            units["progress_effect"].to_numpy() + units["commune_progress"].to_numpy()
            + rng.normal(0.0, 0.02, n_units)
        )
        # Khmer probability per commune, scaled so each district's household share matches districts.csv.
        area_weight = np.where(units["area"].to_numpy() == "rural", 1.0, 0.35)
        units["khmer_raw"] = area_weight * units["khmer_weight"].to_numpy()
        self.units = units
        self.p_khmer = self._khmer_probability()
        self.former_codes = units["commune_code"].astype(str).tolist()
        current_index, self.current_codes = pd.factorize(units["current_code"])
        self.current_of_unit = current_index.astype(np.int16)
        self.size = 0  # households created so far
        self.commune = np.zeros(capacity, dtype=np.int16)  # position in `units`
        self.ethnicity = np.zeros(capacity, dtype=np.int8)  # position in ETHNICITIES
        self.members = np.zeros(capacity, dtype=np.int8)
        self.propensity = np.zeros(capacity)
        self.shock = np.zeros(capacity)
        self.event = np.zeros(capacity)  # what is left of the shocks that hit the household (score points)
        self.entry_year = np.zeros(capacity, dtype=np.int16)
        self.social_protection = np.zeros(capacity, dtype=bool)
        self.away = np.zeros(capacity, dtype=bool)  # away at this year's review
        self.poor_before = np.zeros(capacity, dtype=bool)  # poor in an earlier review
        self.alive = np.zeros(capacity, dtype=bool)
        # Persistent taste for which indicators a household is deprived in (Gumbel keys).
        self.indicator_keys = np.zeros((capacity, len(INDICATORS)))

    def _allocate(self, n: int) -> np.ndarray:
        """Commune index for `n` households: districts by 2019 population, communes by their size weight."""
        units = self.units
        district_pop = self.profile.districts.set_index("district_code")["population_2019"]
        codes = district_pop.index.to_numpy()
        per_district = _largest_remainder(n, district_pop.to_numpy(dtype=float))
        out = []
        for code, count in zip(codes, per_district, strict=True):
            idx = np.flatnonzero(units["district_code"].to_numpy() == code)
            per_commune = _largest_remainder(int(count), units["size_weight"].to_numpy()[idx])
            out.append(np.repeat(idx, per_commune))
        commune = np.concatenate(out)
        return commune[self.rng.permutation(len(commune))]

    def _khmer_probability(self) -> np.ndarray:
        """Probability that a household of each unit is Khmer (one value per row of `units`)."""
        units = self.units
        raw = units["khmer_raw"].to_numpy()
        district = units["district_code"].to_numpy()
        weight = units["size_weight"].to_numpy()
        scaled = np.empty(len(units))
        for code, share in zip(units["district_code"], units["khmer_share"], strict=True):
            idx = district == code
            mean = np.average(raw[idx], weights=weight[idx])
            scaled[idx] = np.minimum(raw[idx] / mean * share, 0.85)
        return scaled

    def live(self) -> np.ndarray:
        """Positions of the households in the review, in order of creation."""
        return np.flatnonzero(self.alive[: self.size])

    def add(self, n: int, year: int, vulnerability: float = 0.0) -> slice:
        """Create `n` households entering the review in `year`; return their positions."""
        rng = self.rng
        units = self.units
        new = slice(self.size, self.size + n)
        self.commune[new] = self._allocate(n)
        commune = self.commune[new]
        urban = units["area"].to_numpy()[commune] == "urban"
        u = rng.random(n)
        ethnicity = self.ethnicity[new]
        for b in _blocks(n, self.chunk_rows):
            p_khmer = self.p_khmer[commune[b]]
            p_hoa = np.where(urban[b], HOA_SHARE["urban"], HOA_SHARE["rural"])
            ethnicity[b] = np.select([u[b] < p_khmer, u[b] < p_khmer + p_hoa, u[b] < p_khmer + p_hoa + OTHER_SHARE],
                                     [1, 2, 3], default=0)
        del u
        members = self.members[new]
        for b in _blocks(n, self.chunk_rows):
            members[b] = rng.choice(np.arange(1, 10), size=b.stop - b.start, p=SIZE_PROBS)
        poverty_effect = units["poverty_effect"].to_numpy()
        commune_effect = units["commune_effect"].to_numpy()
        propensity = self.propensity[new]
        for b in _blocks(n, self.chunk_rows):
            c, m = commune[b], members[b]
            propensity[b] = (
                poverty_effect[c] + commune_effect[c] + np.where(urban[b], URBAN_EFFECT, 0.0)
                + ETHNIC_EFFECT_BY_CODE[ethnicity[b]]
                + np.where(m >= 6, 0.2, 0.0) + np.where(m == 1, 0.3, 0.0)
                + rng.normal(0.0, 1.0, b.stop - b.start) + vulnerability
            )
        shock = self.shock[new]
        for b in _blocks(n, self.chunk_rows):
            shock[b] = rng.normal(0.0, SHOCK_SD, b.stop - b.start)
        keys = self.indicator_keys[new]
        for b in _blocks(n, self.chunk_rows):
            keys[b] = rng.gumbel(0.0, 1.0, (b.stop - b.start, len(INDICATORS)))
        self.entry_year[new] = year
        self.alive[new] = True
        self.size += n
        return new

    def households(self, new: slice, known_former: bool) -> Iterator[pd.DataFrame]:
        """The `households` rows of the households at positions `new`, in chunks of at most `chunk_rows`; without a
        former commune (`commune_code` missing) unless `known_former`."""
        for b in _blocks(new.stop - new.start, self.chunk_rows):
            at = slice(new.start + b.start, new.start + b.stop)
            keys = np.arange(at.start + 1, at.stop + 1, dtype=np.int32)
            commune = self.commune[at]
            yield pd.DataFrame({
                "household_key": keys,
                "household_id": household_ids(keys),
                "commune_code": pd.Categorical.from_codes(commune if known_former else np.full(len(keys), -1),
                                                          categories=self.former_codes),
                "current_code": pd.Categorical.from_codes(self.current_of_unit[commune],
                                                          categories=self.current_codes),
                "ethnicity": pd.Categorical.from_codes(self.ethnicity[at], categories=ETHNICITIES),
            })


def _deprivations(rng, count, keys, urban, khmer, year, first_year) -> np.ndarray:
    """Boolean matrix (households × 12): which indicators are deprived, `count` of them per household (drawn by
    class beforehand)."""
    n = len(count)
    weights = np.where(urban[:, None], URBAN_FACTORS, RURAL_FACTORS) * BASE_WEIGHTS
    weights = weights * np.where(khmer[:, None], KHMER_FACTORS, 1.0)
    hi = INDICATORS.index("health_insurance")
    weights[:, hi] *= max(0.05, 1.0 - HEALTH_INSURANCE_DECLINE * (year - first_year))
    # Gumbel top-k: persistent household keys plus a smaller yearly draw keep the same gaps from year to year.
    total_keys = np.log(weights) + keys + rng.gumbel(0.0, 0.6, keys.shape)
    order = np.argsort(-total_keys, axis=1)
    chosen = np.zeros((n, len(INDICATORS)), dtype=bool)
    positions = np.arange(len(INDICATORS))[None, :] < count[:, None]
    np.put_along_axis(chosen, order, positions, axis=1)
    return chosen


def _step_events(panel: _Panel, ev: pd.Series, live: np.ndarray, old: np.ndarray, rng: np.random.Generator) -> None:
    """One year of the panel's events for the households already in it (`old`, over `live`): shocks fade and new ones
    hit (more often households poor in an earlier review), the absent come back or stay away, others leave for a
    while.

    Shock sizes are poverty-score points (the household propensity's standard deviation is 1); a household's
    `event` is what is left of its shocks. New households (not `old`) are reviewed in their first year, unshocked."""
    n = len(live)
    hit_rate = np.where(panel.poor_before[live], ev["shock_rate_once_poor"], ev["shock_rate_others"])
    hit = old & (rng.random(n) < hit_rate)
    del hit_rate
    size = np.maximum(rng.normal(ev["shock_size"], ev["shock_size_sd"], n), 0.0)
    event = panel.event[live]
    panel.event[live] = np.where(old, ev["shock_persistence"] * event + hit * size, event)
    del hit, size, event
    draw = rng.random(n)
    panel.away[live] = old & np.where(panel.away[live], draw >= ev["return_rate"], draw < ev["absence_rate"])


def generate(
    units: pd.DataFrame,
    households: int = DEFAULT_HOUSEHOLDS,
    seed: int = DEFAULT_SEED,
    reference_dir: Path = REFERENCE_DIR,
    unit_sets: Mapping[int, str] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Iterator[Rows]:
    """Yield the demo panel year by year in chunks (`Rows`): each year's new households, then its reviews. Same
    arguments, same output, to the byte, whatever `chunk_rows` (it only bounds memory: ≈ 100 bytes a household
    created plus ≈ 0.5 KB a row of a chunk at the peak).

    `units`: the former units (`data.units.former_units`), with `current_area`, the area of the current unit each lies
    in, when `unit_sets` names a year 'current'. `unit_sets`: review year → the unit set it is filed in (the
    warehouse's `review_unit_set`; None: all former). A year filed in the current units is generated with the area in
    force then (the class shares stay the stored scenario's) and its new households, formed after the reorganisation,
    have no former commune (`commune_code` missing): only their current unit is known.
    """
    if households < 1000:
        raise ValueError(f"--households must be at least 1000 to spread over 64 communes, got {households}")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    profile = Profile.load(units, reference_dir)
    rng = np.random.default_rng(seed)
    scenario = profile.scenario
    ev = profile.events
    entrants = int(round(ev["entry_rate"] * households))
    panel = _Panel(profile, rng, households + entrants * (len(scenario) - 1), chunk_rows)
    first_year = int(scenario["year"].iloc[0])
    standard = profile.standard
    former_urban = panel.units["area"].to_numpy() == "urban"
    current_urban = (panel.units["current_area"].to_numpy() == "urban" if "current_area" in panel.units
                     else former_urban)
    sets = dict(unit_sets or {})
    progress_of_unit = panel.units["progress"].to_numpy()
    rho = SHOCK_PERSISTENCE

    for row in scenario.itertuples(index=False):
        year = int(row.year)
        in_current = sets.get(year, "former") == "current"
        if year == first_year:
            new = panel.add(households, year)
            live = panel.live()
        else:
            live = panel.live()
            leaving = rng.random(len(live)) < ev["exit_rate"]
            leaving &= ~panel.social_protection[live] | (rng.random(len(live)) < 0.3)
            panel.alive[live[leaving]] = False
            del leaving
            new = panel.add(entrants, year, vulnerability=ev["entry_vulnerability"])
            live = panel.live()
            n = len(live)
            # The yearly shock persists: an AR(1) step for everyone already in the panel.
            old = panel.entry_year[live] < year
            eps = rng.normal(0.0, SHOCK_SD * np.sqrt(1 - rho**2), n)
            shock = panel.shock[live]
            panel.shock[live] = np.where(old, rho * shock + eps, shock)
            del eps, shock
            _step_events(panel, ev, live, old, rng)
            del old
            # A small share change size each year.
            change = rng.random(n) < 0.05
            step = rng.choice([-1, 1], size=n)
            panel.members[live] = np.clip(panel.members[live] + change * step, 1, 12)
            del change, step
        for frame in panel.households(new, known_former=not in_current):
            yield Rows("households", year, frame)
        here = live[~panel.away[live]]  # the households reviewed this year
        del live
        commune = panel.commune[here]
        urban = (current_urban if in_current else former_urban)[commune]
        khmer = panel.ethnicity[here] != 0
        score = (
            panel.propensity[here] + panel.shock[here] + panel.event[here]
            - progress_of_unit[commune] * (year - first_year)
            + SOCIAL_PROTECTION_BOOST * panel.social_protection[here]
        )
        del commune
        classes = _classify_by_rank(score, [row.poor_rate, row.near_poor_rate, row.average_rate])
        if year == first_year:
            # Beneficiaries: the worst-off among the poor, plus a few others (elderly, disabled).
            poor_idx = here[classes == 0]
            n_sp = int(round(SOCIAL_PROTECTION_SHARE_OF_POOR * len(poor_idx)))
            worst = poor_idx[np.argsort(-panel.propensity[poor_idx], kind="stable")[: n_sp * 2]]
            panel.social_protection[rng.choice(worst, size=n_sp, replace=False)] = True
            others = here[classes != 0]
            extra = rng.random(len(others)) < SOCIAL_PROTECTION_SHARE_OTHERS
            panel.social_protection[others[extra]] = True
            del poor_idx, worst, others, extra
        panel.poor_before[here[classes == 0]] = True  # from next year on: poor in an earlier review
        q = _rank_within(score, classes)
        del score
        income = _incomes(rng, classes, q, urban, standard)
        del q
        count = np.zeros(len(here), dtype=np.int8)
        for cls, name in enumerate(["poor", "near_poor", "average", "above"]):
            idx = np.flatnonzero(classes == cls)
            count[idx] = _draw_counts(rng, DEPRIVATION_COUNT_PROBS[name], len(idx))
        del classes
        for b in _blocks(len(here), chunk_rows):
            at = here[b]
            deprived = _deprivations(rng, count[b], panel.indicator_keys[at], urban[b], khmer[b], year, first_year)
            reviews = pd.DataFrame({
                "household_key": (at + 1).astype(np.int32),
                "year": np.full(len(at), year, dtype=np.int32),
                "members": panel.members[at].astype(np.int32),
                "income_per_capita": income[b],
                "social_protection": panel.social_protection[at],
                **{f"d_{name}": deprived[:, j] for j, name in enumerate(INDICATORS)},
            })
            del deprived
            yield Rows("reviews", year, reviews)
