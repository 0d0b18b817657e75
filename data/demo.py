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


@dataclass
class YearBatch:
    """One review year: the households first seen that year and every review of that year."""

    year: int
    new_households: pd.DataFrame
    reviews: pd.DataFrame


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights`, summing exactly to `total`."""
    shares = weights / weights.sum() * total
    counts = np.floor(shares).astype(np.int64)
    remainder = total - counts.sum()
    counts[np.argsort(-(shares - counts), kind="stable")[:remainder]] += 1
    return counts


class _Panel:
    """The households alive in the review, with their persistent traits and yearly state."""

    def __init__(self, profile: Profile, rng: np.random.Generator) -> None:
        self.profile = profile
        self.rng = rng
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
        self.next_serial = 0
        self.columns: dict[str, np.ndarray] = {}

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

    def _khmer_probability(self, commune: np.ndarray) -> np.ndarray:
        units = self.units
        raw = units["khmer_raw"].to_numpy()
        district = units["district_code"].to_numpy()
        weight = units["size_weight"].to_numpy()
        scaled = np.empty(len(units))
        for code, share in zip(units["district_code"], units["khmer_share"], strict=True):
            idx = district == code
            mean = np.average(raw[idx], weights=weight[idx])
            scaled[idx] = np.minimum(raw[idx] / mean * share, 0.85)
        return scaled[commune]

    def add(self, n: int, year: int, vulnerability: float = 0.0) -> pd.DataFrame:
        """Create `n` households entering the review in `year`; return their `households` rows."""
        rng = self.rng
        units = self.units
        commune = self._allocate(n)
        area = units["area"].to_numpy()[commune]
        u = rng.random(n)
        p_khmer = self._khmer_probability(commune)
        p_hoa = np.where(area == "urban", HOA_SHARE["urban"], HOA_SHARE["rural"])
        ethnicity = np.select(
            [u < p_khmer, u < p_khmer + p_hoa, u < p_khmer + p_hoa + OTHER_SHARE],
            ["khmer", "hoa", "other"], default="kinh",
        )
        members = rng.choice(np.arange(1, 10), size=n, p=SIZE_PROBS)
        propensity = (
            units["poverty_effect"].to_numpy()[commune]
            + units["commune_effect"].to_numpy()[commune]
            + np.where(area == "urban", URBAN_EFFECT, 0.0)
            + pd.Series(ethnicity).map(ETHNIC_EFFECT).to_numpy()
            + np.where(members >= 6, 0.2, 0.0) + np.where(members == 1, 0.3, 0.0)
            + rng.normal(0.0, 1.0, n) + vulnerability
        )
        serial = np.arange(self.next_serial, self.next_serial + n)
        self.next_serial += n
        ids = np.char.add("H", np.char.zfill(serial.astype(str), 8))
        new = {
            "household_id": ids,
            "commune": commune,
            "ethnicity": ethnicity,
            "members": members,
            "propensity": propensity,
            "shock": rng.normal(0.0, SHOCK_SD, n),
            "entry_year": np.full(n, year),
            "social_protection": np.zeros(n, dtype=bool),
            "event": np.zeros(n),  # what is left of the shocks that hit the household (score points)
            "away": np.zeros(n, dtype=bool),  # away at this year's review
            "poor_before": np.zeros(n, dtype=bool),  # poor in an earlier review
            # Persistent taste for which indicators a household is deprived in (Gumbel keys).
            "indicator_keys": rng.gumbel(0.0, 1.0, (n, len(INDICATORS))),
        }
        for key, value in new.items():
            self.columns[key] = value if key not in self.columns else np.concatenate([self.columns[key], value])
        return pd.DataFrame({
            "household_id": ids,
            "commune_code": units["commune_code"].to_numpy()[commune],
            "current_code": units["current_code"].to_numpy()[commune],
            "ethnicity": ethnicity,
        })

    def remove(self, mask: np.ndarray) -> None:
        keep = ~mask
        for key in self.columns:
            self.columns[key] = self.columns[key][keep]

    def __len__(self) -> int:
        return len(self.columns.get("household_id", ()))


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


def _deprivations(rng, classes, keys, urban, khmer, year, first_year) -> np.ndarray:
    """Boolean matrix (households × 12): which indicators are deprived, consistent with the class."""
    n = len(classes)
    count = np.zeros(n, dtype=np.int64)
    for cls, name in enumerate(["poor", "near_poor", "average", "above"]):
        idx = np.flatnonzero(classes == cls)
        count[idx] = _draw_counts(rng, DEPRIVATION_COUNT_PROBS[name], len(idx))
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


def _step_events(panel: _Panel, ev: pd.Series, old: np.ndarray, rng: np.random.Generator) -> None:
    """One year of the panel's events for the households already in it (`old`): shocks fade and new ones hit (more
    often households poor in an earlier review), the absent come back or stay away, others leave for a while.

    Shock sizes are poverty-score points (the household propensity's standard deviation is 1); a household's
    `event` is what is left of its shocks. New households (not `old`) are reviewed in their first year, unshocked."""
    cols = panel.columns
    n = len(panel)
    hit_rate = np.where(cols["poor_before"], ev["shock_rate_once_poor"], ev["shock_rate_others"])
    hit = old & (rng.random(n) < hit_rate)
    size = np.maximum(rng.normal(ev["shock_size"], ev["shock_size_sd"], n), 0.0)
    cols["event"] = np.where(old, ev["shock_persistence"] * cols["event"] + hit * size, cols["event"])
    draw = rng.random(n)
    cols["away"] = old & np.where(cols["away"], draw >= ev["return_rate"], draw < ev["absence_rate"])


def generate(
    units: pd.DataFrame,
    households: int = DEFAULT_HOUSEHOLDS,
    seed: int = DEFAULT_SEED,
    reference_dir: Path = REFERENCE_DIR,
    unit_sets: Mapping[int, str] | None = None,
) -> Iterator[YearBatch]:
    """Yield the demo panel year by year. Same arguments, same output, to the byte.

    `units`: the former units (`data.units.former_units`), with `current_area`, the area of the current unit each lies
    in, when `unit_sets` names a year 'current'. `unit_sets`: review year → the unit set it is filed in (the
    warehouse's `review_unit_set`; None: all former). A year filed in the current units is generated with the area in
    force then (the class shares stay the stored scenario's) and its new households, formed after the reorganisation,
    have no former commune (`commune_code` None): only their current unit is known.
    """
    if households < 1000:
        raise ValueError(f"--households must be at least 1000 to spread over 64 communes, got {households}")
    profile = Profile.load(units, reference_dir)
    rng = np.random.default_rng(seed)
    panel = _Panel(profile, rng)
    scenario = profile.scenario
    first_year = int(scenario["year"].iloc[0])
    standard = profile.standard
    former_area = panel.units["area"].to_numpy()
    current_area = panel.units["current_area"].to_numpy() if "current_area" in panel.units else former_area
    sets = dict(unit_sets or {})
    progress_of_unit = panel.units["progress"].to_numpy()
    rho = SHOCK_PERSISTENCE
    ev = profile.events

    for row in scenario.itertuples(index=False):
        year = int(row.year)
        if year == first_year:
            new_households = panel.add(households, year)
        else:
            leaving = rng.random(len(panel)) < ev["exit_rate"]
            leaving &= ~panel.columns["social_protection"] | (rng.random(len(panel)) < 0.3)
            panel.remove(leaving)
            new_households = panel.add(int(round(ev["entry_rate"] * households)), year,
                                       vulnerability=ev["entry_vulnerability"])
            # The yearly shock persists: an AR(1) step for everyone already in the panel.
            old = panel.columns["entry_year"] < year
            eps = rng.normal(0.0, SHOCK_SD * np.sqrt(1 - rho**2), len(panel))
            panel.columns["shock"] = np.where(old, rho * panel.columns["shock"] + eps, panel.columns["shock"])
            _step_events(panel, ev, old, rng)
            # A small share change size each year.
            change = rng.random(len(panel)) < 0.05
            step = rng.choice([-1, 1], size=len(panel))
            panel.columns["members"] = np.clip(panel.columns["members"] + change * step, 1, 12)
        cols = panel.columns
        here = np.flatnonzero(~cols["away"])  # the households reviewed this year
        commune = cols["commune"][here]
        in_current = sets.get(year, "former") == "current"
        urban = (current_area if in_current else former_area)[commune] == "urban"
        if in_current:  # formed after the reorganisation: filed under the current unit only
            new_households = new_households.assign(commune_code=None)
        khmer = cols["ethnicity"][here] != "kinh"
        score = (
            cols["propensity"][here] + cols["shock"][here] + cols["event"][here]
            - progress_of_unit[commune] * (year - first_year)
            + SOCIAL_PROTECTION_BOOST * cols["social_protection"][here]
        )
        classes = _classify_by_rank(score, [row.poor_rate, row.near_poor_rate, row.average_rate])
        if year == first_year:
            # Beneficiaries: the worst-off among the poor, plus a few others (elderly, disabled).
            poor_idx = here[classes == 0]
            n_sp = int(round(SOCIAL_PROTECTION_SHARE_OF_POOR * len(poor_idx)))
            worst = poor_idx[np.argsort(-cols["propensity"][poor_idx], kind="stable")[: n_sp * 2]]
            cols["social_protection"][rng.choice(worst, size=n_sp, replace=False)] = True
            others = here[classes != 0]
            extra = rng.random(len(others)) < SOCIAL_PROTECTION_SHARE_OTHERS
            cols["social_protection"][others[extra]] = True
        cols["poor_before"][here[classes == 0]] = True  # from next year on: poor in an earlier review
        q = _rank_within(score, classes)
        income = _incomes(rng, classes, q, urban, standard)
        deprived = _deprivations(rng, classes, cols["indicator_keys"][here], urban, khmer, year, first_year)
        reviews = pd.DataFrame({
            "household_id": cols["household_id"][here],
            "year": np.full(len(here), year, dtype=np.int32),
            "members": cols["members"][here].astype(np.int32),
            "income_per_capita": income,
            "social_protection": cols["social_protection"][here],
        })
        for j, name in enumerate(INDICATORS):
            reviews[f"d_{name}"] = deprived[:, j]
        yield YearBatch(year, new_households, reviews)
