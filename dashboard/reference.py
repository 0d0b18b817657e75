"""The method page's reference tables in the reader's language: stored ids (dimensions, target and calibration kinds,
meta keys) and the reference files' one-language texts (standard names, legal bases, sources) shown in words.

Query frames in, reader-labelled frames out (`download.show_table` formats and offers them). No widgets.
"""

from __future__ import annotations

import re
from typing import Final

import pandas as pd

from i18n import TEXT, Translator

# Legal documents are cited by type and number ("Nghị định 07/2021/NĐ-CP"); the number is the same in any language.
_DOCUMENT_TYPES: Final = ("ref.decree", "ref.decision", "ref.circular", "ref.resolution")
_SOURCES: Final = tuple(key for key in TEXT if key.startswith("ref.source."))
# `meta` rows a reader is shown, in this order; every other key (build fingerprint, generator module, …) is internal
# and not shown, so a key added later never appears raw.
META_SHOWN: Final = ("dataset", "built_at", "last_import_at", "imported_years", "households_requested", "seed")


def reference_text(value: str, tr: Translator) -> str:
    """A text stored in one language in the reference files, in the reader's language.

    Sources are matched whole against the `ref.source.*` entries of the translation table (in either language); a
    legal citation has its document type translated. Anything else is returned as stored (a name or a number).
    """
    text = str(value).strip()
    for key in _SOURCES:
        if text in (TEXT[key]["vi"], TEXT[key]["en"]):
            return tr(key)
    for key in _DOCUMENT_TYPES:
        for lang in ("vi", "en"):
            word = TEXT[key][lang]
            if re.match(rf"{re.escape(word)}\b", text):
                return tr(key) + text[len(word):]
    return text


def has_translation(value: str) -> bool:
    """Whether `reference_text` knows `value` (a source, or a citation of a known document type)."""
    text = str(value).strip()
    return any(text in (TEXT[k]["vi"], TEXT[k]["en"]) for k in _SOURCES) or any(
        re.match(rf"{re.escape(TEXT[k][lang])}\b", text) for k in _DOCUMENT_TYPES for lang in ("vi", "en"))


def period(standard_id: str) -> str:
    """A standard's id as its period: `2022-2025` → `2022–2025`."""
    return str(standard_id).replace("-", "–")


def standards_table(frame: pd.DataFrame, tr: Translator) -> tuple[pd.DataFrame, dict[str, str]]:
    """`poverty_standards` rows → name, legal basis, years in force, lines (VND/person/month), minimum deprivations.

    Returns the labelled frame and its number formats."""
    out = pd.DataFrame({
        tr("col.standard"): [tr("ref.standard_name", period=period(s)) for s in frame["standard_id"]],
        tr("col.legal_basis"): [reference_text(v, tr) for v in frame["legal_basis"]],
        tr("col.first_year"): frame["first_year"].astype(int).to_numpy(),
        tr("col.last_year"): frame["last_year"].astype(int).to_numpy(),
        tr("col.rural_line"): frame["rural_poverty_line"].to_numpy(),
        tr("col.urban_line"): frame["urban_poverty_line"].to_numpy(),
        tr("col.min_deprivations"): frame["min_deprivations"].astype(int).to_numpy(),
    })
    return out, {tr("col.rural_line"): "int", tr("col.urban_line"): "int"}


def indicators_table(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """`deprivation_indicators` rows → standard (its period), position, dimension and indicator, in words."""
    return pd.DataFrame({
        tr("col.standard"): [period(s) for s in frame["standard_id"]],
        "#": frame["position"].astype(int).to_numpy(),
        tr("col.dimension"): [tr.get(f"dimension.{d}", tr("ref.unknown")) for d in frame["dimension"]],
        tr("col.indicator"): frame[f"label_{tr.lang}"].to_numpy(),
    })


def target_unit(value: float, kind: str, tr: Translator) -> str:
    """The unit of a target's value: percentage points for a reduction, times the poverty line for income, else %."""
    if kind == "reduction_points":
        return tr("unit.point_long" if value == 1 else "unit.points_long")
    if kind == "ratio_min":
        return tr("unit.times_line")
    return "%"


def targets_table(frame: pd.DataFrame, tr: Translator) -> tuple[pd.DataFrame, dict[str, str]]:
    """`plan_targets` rows → target, year, kind, value, unit, source, and the value column's number format: the value
    stays a number (shown and downloaded the same), its unit in the column beside it (`điểm %` / `points`, `%`,
    `lần chuẩn nghèo` / `× the line`)."""
    kinds, values = frame["kind"].tolist(), frame["value"].tolist()
    table = pd.DataFrame({
        tr("col.target"): frame[f"label_{tr.lang}"].to_numpy(),
        tr("col.year"): frame["year"].astype(int).to_numpy(),
        tr("col.kind"): [tr.get(f"target_kind.{k}", tr("ref.unknown")) for k in kinds],
        tr("col.value"): values,
        tr("col.unit"): [target_unit(v, k, tr) for v, k in zip(values, kinds, strict=True)],
        tr("col.source"): [reference_text(v, tr) for v in frame["source"]],
    })
    return table, {tr("col.value"): "num1"}


def calibration_table(frame: pd.DataFrame, tr: Translator) -> tuple[pd.DataFrame, dict[str, str]]:
    """`calibration_figures` rows → year, poor / near-poor / average-living rates (%), kind, source."""
    out = pd.DataFrame({
        tr("col.year"): frame["year"].astype(int).to_numpy(),
        tr("col.poor_rate"): frame["poor_rate"].to_numpy(),
        tr("col.near_poor_rate"): frame["near_poor_rate"].to_numpy(),
        tr("col.average_rate"): frame["average_rate"].to_numpy(),
        tr("col.kind"): [tr.get(f"calibration_kind.{k}", tr("ref.unknown")) for k in frame["kind"]],
        tr("col.source"): [reference_text(v, tr) for v in frame["source"]],
    })
    return out, {tr("col.poor_rate"): "pct", tr("col.near_poor_rate"): "pct", tr("col.average_rate"): "pct"}


def panel_events_table(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """`panel_events` rows → the demo's event assumptions in words: what (in the reader's language), the value as
    shown (a yearly share in percent, or points of the generator's poverty score) and its kind."""
    values = [tr.pct(100 * v, 1) if str(u).startswith("share") else tr("ref.score_points", n=tr.num(v, 2))
              for v, u in zip(frame["value"], frame["unit"], strict=True)]
    return pd.DataFrame({
        tr("col.assumption"): frame[f"label_{tr.lang}"].to_numpy(),
        tr("col.value"): values,
        tr("col.kind"): [tr.get(f"calibration_kind.{k}", tr("ref.unknown")) for k in frame["kind"]],
    })


def meta_table(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """`dataset_meta` rows → what the warehouse holds, in words: only the keys of `META_SHOWN` (internal keys, and any
    key this version does not know, are left out rather than shown raw), values in the reader's format."""
    values = dict(zip(frame["key"], frame["value"], strict=True))
    rows = []
    for key in META_SHOWN:
        if key not in values:
            continue
        shown = meta_value(key, str(values[key]), tr)
        if shown is not None:
            rows.append((tr(f"meta.{key}"), shown))
    return pd.DataFrame(rows, columns=[tr("col.item"), tr("col.value")])


def meta_value(key: str, value: str, tr: Translator) -> str | None:
    """One `meta` value as a reader reads it, or None when it has no wording (then the row is not shown)."""
    if key == "dataset":
        return tr.get(f"meta.dataset.{value}", "") or None
    if key in ("built_at", "last_import_at"):
        return tr.timestamp(value)
    if key == "households_requested":
        return tr.num(int(value)) if value.strip().isdigit() else None
    if key == "imported_years":
        return ", ".join(y.strip() for y in value.split(",") if y.strip()) or None
    return value  # the seed: an identifier, shown as stored
