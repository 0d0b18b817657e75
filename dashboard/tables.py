"""Table builders: query frames in, reader-labelled frames out (raw numbers; `download.show_table` formats them)."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import Translator
from dashboard.layout import status_text


def progress_table(frame: pd.DataFrame, tr: Translator, *, unit_column: str, with_district: bool = False,
                   rank: bool = False, compact: bool = False) -> tuple[pd.DataFrame, dict[str, str]]:
    """Units (districts or communes) in one year with rate, path, change, R and status.

    `frame`: rows of `poor_rate_progress` for one year with a `status` column. Returns the labelled frame and the
    number formats of its columns.
    """
    # Most telling first (a phone shows the first three or four columns without scrolling).
    columns: dict[str, str] = {}
    if rank:
        columns["rank"] = tr("col.rank")
    columns["unit_name"] = tr(unit_column)
    columns["status_label"] = tr("col.status")
    columns["poor_rate"] = tr("col.poor_rate")
    columns["progress_ratio"] = tr("col.ratio")
    columns["change"] = tr("col.change_since_baseline")
    columns["path_rate"] = tr("col.path_rate")
    if with_district:
        columns["district_name"] = tr("col.district")
    if not compact:
        columns.update({
            "baseline_rate": tr("col.baseline_rate"),
            "reduction_required": tr("col.reduction_required"),
            "reduction_achieved": tr("col.reduction_achieved"),
            "households": tr("col.households"),
            "poor_households": tr("col.poor_households"),
            "unit_code": tr("col.code"),
        })
    data = frame.assign(status_label=[status_text(tr, s) for s in frame["status"]],
                        change=frame["poor_change_since_baseline"])
    if rank:
        data = data.assign(rank=range(1, len(data) + 1))
    out = data[list(columns)].rename(columns=columns).reset_index(drop=True)
    formats = {
        tr("col.households"): "int", tr("col.poor_households"): "int", tr("col.poor_rate"): "pct",
        tr("col.baseline_rate"): "pct", tr("col.path_rate"): "pct", tr("col.reduction_required"): "pct",
        tr("col.reduction_achieved"): "pct", tr("col.ratio"): "ratio", tr("col.change_since_baseline"): "pts",
    }
    return out, formats


def rank_by_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Order units for the emulation ranking: those that achieved the target first (lowest rate first), then the
    rest by R, highest first (units with no R last)."""
    achieved = frame["status"].eq("achieved")
    return pd.concat([
        frame[achieved].sort_values(["poor_rate", "unit_code"]),
        frame[~achieved].sort_values(["progress_ratio", "unit_code"], ascending=[False, True], na_position="last"),
    ])


def other_targets_table(frame: pd.DataFrame, tr: Translator,
                        year: int) -> tuple[pd.DataFrame, dict[str, str | list[str]]]:
    """The plan's other targets in one year: the labelled frame and its number formats (`download.FORMATS`).

    Units differ by row: the value, baseline, path and goal are percentages (`5,09 %`), or a multiple of the poverty
    line for the income target (kind `ratio_min`, `2,10×`); R has 2 decimals, households none.
    """
    labels = {
        "label": tr("col.target"), "status_label": tr("col.status"), "value": tr("col.value"),
        "baseline_value": tr("overview.baseline"), "path_value": tr("overview.path", year=year),
        "final_target": tr("col.goal"), "progress_ratio": tr("col.ratio"), "population": tr("col.households"),
    }
    data = frame.assign(label=frame[f"label_{tr.lang}"], status_label=[status_text(tr, s) for s in frame["status"]])
    raw = data[list(labels)].rename(columns=labels).reset_index(drop=True)
    units = ["times" if kind == "ratio_min" else "percent" for kind in data["kind"]]
    formats: dict[str, str | list[str]] = {
        labels[column]: units for column in ("value", "baseline_value", "path_value", "final_target")}
    formats.update({labels["progress_ratio"]: "ratio", labels["population"]: "int"})
    return raw, formats
