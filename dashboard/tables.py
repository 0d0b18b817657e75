"""Table builders: query frames in, reader-labelled frames out (raw numbers; `download.show_table` formats them).

The builders pages call are cached per process (`dashboard.figure_cache.per_process`, keyed by the frame's content,
the language, the small-cell `Rule` and the sign-in state): every visitor of a view builds the same table (issue 9).
Each caller gets its own shallow copy."""

from __future__ import annotations

import pandas as pd

from dashboard import pace
from dashboard.disclosure import Rule, mark
from dashboard.figure_cache import per_process
from dashboard.layout import status_text
from i18n import Translator, is_missing
from queries.status import goal_target_text, goal_text


def goal_header_and_cells(frame: pd.DataFrame, tr: Translator) -> tuple[str, list[str]]:
    """The goal column of a progress table: its header and one cell per row, naming the goal either in the header
    (every row judged against the same goal, e.g. "under 1 % (2025)") or in each cell (goals that differ by unit,
    such as the end of each unit's own ethnic-minority path)."""
    targets = [goal_target_text(tr, g, strict=bool(s), year=int(y)) if not pd.isna(g) else ""
               for g, s, y in zip(frame["goal_value"], frame["goal_strict"], frame["goal_year"], strict=True)]
    if len(set(targets) - {""}) <= 1:  # one goal for every row ("" where a goal is hidden or missing)
        targets = [t for t in targets if t] or [""]
        target = targets[0] if targets else ""
        cells = [tr(f"goal.short.{g}") if isinstance(g, str) else tr("goal.none") for g in frame["goal_status"]]
        return tr("col.goal_named", goal=target), cells
    return tr("col.goal_status"), [goal_text(tr, g, t) for g, t in zip(frame["goal_status"], targets, strict=True)]


@per_process(copy=True)
def progress_table(frame: pd.DataFrame, tr: Translator, *, unit_column: str, with_district: bool = False,
                   rank: bool = False, compact: bool = False, rule: Rule | None = None,
                   projection: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """Units (districts or communes) in one year: name, pace and goal judgements, rate with its household count,
    R, change, path; the full form adds the baseline, reductions, poor households and code.

    `projection`: `dashboard.pace.projections` of the same units in the same year, or None: adds, after the path,
    the projection columns (`pace.RANKING_CELLS`: projected rate at the goal year, year the goal is reached,
    households to leave poverty each remaining year), headed as projections; hidden ones show the rule's marker.

    `frame`: rows of `poor_rate_progress` for one year after `status.add_status` (and `disclosure.protect_progress`,
    whose `rule` is then given: a hidden figure's cell holds the rule's marker, "≤9 hộ — ẩn"). Returns the labelled
    frame and the number formats of its columns. Rates from fewer households than the reliability threshold are
    flagged in their own column ("⚠ few households").
    """
    goal_header, goal_cells = goal_header_and_cells(frame, tr)
    # For the urban / rural targets every path figure (baseline, change, reductions, path) is on their own measure,
    # the rate without poor social-protection households, shown beside the plain poor rate; a row never mixes the two.
    own_measure = bool((frame["measure"] != "poor_rate").any())
    # Most telling first: a phone shows about three columns without scrolling (name, pace, rate), the small-numbers
    # mark right after the rate; the rank, when there is one, comes after those.
    columns: dict[str, str] = {"unit_name": tr(unit_column), "status_label": tr("col.status"),
                               "poor_rate": tr("col.poor_rate")}
    if own_measure:
        columns["measure_value"] = tr("col.measure_excl_sp")
    columns["reliability"] = tr("col.reliability")
    columns["goal_label"] = goal_header
    if rank:
        columns["rank"] = tr("col.rank")
    columns["households"] = tr("col.households")
    columns["progress_ratio"] = tr("col.ratio")
    columns["change"] = tr("col.measure_change" if own_measure else "col.change_since_baseline")
    columns["path_rate"] = tr("col.path_rate")
    if with_district:
        columns["district_name"] = tr("col.district")
    if not compact:
        columns.update({
            "baseline": tr("col.measure_baseline" if own_measure else "col.baseline_rate"),
            "reduction_required": tr("col.reduction_required"),
            "reduction_achieved": tr("col.reduction_achieved"),
            "poor_households": tr("col.poor_households"),
            "unit_code": tr("col.code"),
        })
    data = frame.assign(status_label=[status_text(tr, s) for s in frame["status"]], goal_label=goal_cells,
                        change=frame["measure_change_since_baseline" if own_measure else "poor_change_since_baseline"],
                        baseline=frame["measure_baseline" if own_measure else "baseline_rate"],
                        reliability=[tr("reliability.few") if bool(u) else "" for u in frame["unreliable"]])
    if rank:
        data = data.assign(rank=range(1, len(data) + 1))
    out = data[list(columns)].rename(columns=columns).reset_index(drop=True)
    sources = {"poor_rate": "poor_rate", "measure_value": "measure_value", "rank": "progress_ratio",
               "households": "households", "progress_ratio": "progress_ratio",
               "change": "measure_change_since_baseline" if own_measure else "poor_change_since_baseline",
               "path_rate": "path_rate", "baseline": "measure_baseline" if own_measure else "baseline_rate",
               "reduction_required": "reduction_required", "reduction_achieved": "reduction_achieved",
               "poor_households": "poor_households"}
    out = mark(out, frame.reset_index(drop=True), {columns[c]: source for c, source in sources.items()
                                                   if c in columns}, tr, rule)
    projected: dict[str, str] = {}
    if projection is not None:
        rows = pace.for_rows(projection, frame["unit_code"])
        labels = pace.headers(rows, tr)
        shown = pace.cells(rows, tr, rule)
        at = list(out.columns).index(columns["path_rate"]) + 1
        for offset, cell in enumerate(pace.RANKING_CELLS):
            out.insert(at + offset, labels[cell], shown[cell].to_numpy())
            if cell in pace.CELL_FORMATS:
                projected[labels[cell]] = pace.CELL_FORMATS[cell]
    formats = {
        tr("col.households"): "int", tr("col.poor_households"): "int", tr("col.poor_rate"): "pct",
        tr("col.measure_excl_sp"): "pct", tr("col.measure_baseline"): "pct", tr("col.measure_change"): "pts",
        tr("col.baseline_rate"): "pct", tr("col.path_rate"): "pct", tr("col.reduction_required"): "pct",
        tr("col.reduction_achieved"): "pct", tr("col.ratio"): "ratio", tr("col.change_since_baseline"): "pts",
    }
    if rank and out[tr("col.rank")].dtype == object:  # ranks beside markers of hidden units: shown as numbers
        formats[tr("col.rank")] = "int"
    formats.update(projected)
    return out, {column: kind for column, kind in formats.items() if column in out.columns}


def rank_by_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Order units for the emulation ranking as its caption says: by R (pace on the unit's own path), highest first;
    ties by the lower poor rate; units with no R (no data in the baseline year) last."""
    return frame.sort_values(["progress_ratio", "poor_rate", "unit_code"], ascending=[False, True, True],
                             na_position="last")


@per_process(copy=True)
def other_targets_table(frame: pd.DataFrame, tr: Translator, year: int,
                        rule: Rule | None = None) -> tuple[pd.DataFrame, dict[str, str | list[str]]]:
    """The plan's other targets in one year: the labelled frame and its number formats (`download.FORMATS`).

    `frame`: rows of `other_targets_progress` for `year` after `status.add_status` (and
    `disclosure.protect_targets`, whose `rule` is then given: hidden figures show its marker); each row's goal is
    named in its own goal cell (the goals differ: "under 1 %", "at least 100 %", "at least 2×"). Units differ by
    row: the value, baseline, path and goal are percentages (`5,09 %`), or a multiple of the poverty line for the
    income target (kind `ratio_min`, `2,10×`); R has 2 decimals, households none.
    """
    labels = {
        "label": tr("col.target"), "status_label": tr("col.status"), "goal_label": tr("col.goal_status"),
        "value": tr("col.value"), "baseline_value": tr("overview.baseline"),
        "path_value": tr("overview.path", year=year),
        "goal_value": tr("col.goal"), "progress_ratio": tr("col.ratio"), "population": tr("col.population"),
        "reliability": tr("col.reliability"),
    }
    goals = [
        goal_text(tr, row.goal_status, "" if pd.isna(row.goal_value) else goal_target_text(
            tr, row.goal_value, strict=bool(row.goal_strict), higher_is_better=row.direction < 0,
            ratio=row.kind == "ratio_min", year=int(row.target_year)))
        for row in frame.itertuples()
    ]
    # no pace outside the baseline year: the target has no path (no baseline value), not "baseline year"
    baseline = frame["is_baseline_year"] if "is_baseline_year" in frame.columns else [True] * len(frame)
    statuses = [tr("status.no_path") if is_missing(s) and not bool(base) else status_text(tr, s)
                for s, base in zip(frame["status"], baseline, strict=True)]
    data = frame.assign(label=frame[f"label_{tr.lang}"], status_label=statuses,
                        goal_label=goals,
                        reliability=[tr("reliability.few") if bool(u) else "" for u in frame["unreliable"]])
    raw = data[list(labels)].rename(columns=labels).reset_index(drop=True)
    raw = mark(raw, frame.reset_index(drop=True), {labels[c]: c for c in (
        "value", "baseline_value", "path_value", "goal_value", "progress_ratio", "population")}, tr, rule)
    units = ["times" if kind == "ratio_min" else "percent" for kind in data["kind"]]
    formats: dict[str, str | list[str]] = {
        labels[column]: units for column in ("value", "baseline_value", "path_value", "goal_value")}
    formats.update({labels["progress_ratio"]: "ratio", labels["population"]: "int"})
    return raw, formats


@per_process(copy=True)
def breakdown_table(frame: pd.DataFrame, tr: Translator,
                    rule: Rule | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """One commune-year's 12 indicators: indicator, households, share of all households deprived (%), poor
    households, share of poor households deprived (%); the labelled frame and its number formats.

    `frame`: `commune_deprivation_breakdown` rows, protected by `disclosure.protect_breakdown` with `rule` when it
    has `hidden` / `hidden_poor` columns: hidden figures show the rule's marker ("≤9 hộ — ẩn").
    """
    labels = {f"label_{tr.lang}": tr("col.indicator"), "households": tr("col.households"),
              "deprived_share_all": tr("col.share_all"), "poor_households": tr("col.poor_households"),
              "deprived_share_poor": tr("col.share_poor")}
    data = frame.reset_index(drop=True)
    table = data[list(labels)].rename(columns=labels)
    if rule is not None and "hidden" in data.columns:
        whole = [w if isinstance(w, str) else None for w in data["hidden"]]
        poor = [w if isinstance(w, str) else None for w in data.get("hidden_poor", pd.Series([None] * len(data)))]
        for source, why in (("households", whole), ("deprived_share_all", whole), ("poor_households", whole),
                            ("deprived_share_poor", poor)):
            column = labels[source]
            table[column] = pd.Series([rule.marker(tr, w) if w else v for v, w in zip(table[column], why,
                                                                                       strict=True)],
                                      index=table.index, dtype=object)
    return table, {tr("col.households"): "int", tr("col.share_all"): "num1", tr("col.poor_households"): "int",
                   tr("col.share_poor"): "num1"}
