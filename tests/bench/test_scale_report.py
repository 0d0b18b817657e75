"""The scale bench's report (bench/bench_scale.py) on fixed figures: ratios, goals judged only where issue 13 sets
them, the table's cells, and the floor query's rows. No timing here."""

from __future__ import annotations

import duckdb

from bench.bench_scale import (
    BROWSER_GOALS,
    PAGE_GOALS,
    PAGE_HEADERS,
    browser_cells,
    build_cells,
    floor_query,
    fmt_ratio,
    judge,
    markdown_table,
    page_cells,
    page_row,
    ratio,
)


def test_ratios_and_their_format() -> None:
    assert abs(ratio(0.03, 0.01) - 3.0) < 1e-12  # type: ignore[operator]
    assert ratio(None, 0.01) is None
    assert ratio(0.5, 0.0) is None
    assert ratio(0.5, None) is None
    assert [fmt_ratio(v) for v in (None, 0.456, 2.4, 12.34, 123.4)] == ["—", "0.46×", "2.40×", "12.3×", "123×"]


def test_goals_apply_only_at_their_scales() -> None:
    row = {"warm": 0.31, "cold": 2.5, "fresh": 9.0, "rss_mb": 2100.0, "queries_ratio": 3.0, "change": 0.09}
    assert judge(PAGE_GOALS, row, 100) == "warm < 0.3 s: MISSED; cold < 3 s: ok; process < 2 GB: MISSED"
    # at 10× only the process and the queries (3.0× is within "≤ 3×")
    assert judge(PAGE_GOALS, row, 10) == "process < 2 GB: MISSED; queries ≤ 3× floor: ok"
    assert judge(PAGE_GOALS, {**row, "rss_mb": 400.0}, 1) == "process < 2 GB: ok; change < 0.1 s: ok"
    assert judge(PAGE_GOALS, {"rss_mb": 400.0, "change": None}, 1) == "process < 2 GB: ok; change < 0.1 s: n/a"
    assert judge(PAGE_GOALS, {}, 30) == "process < 2 GB: n/a"
    assert judge(BROWSER_GOALS, {"ratio": 1.3}, 1) == "≤ 1.3× floor: ok"
    assert judge(BROWSER_GOALS, {"ratio": 1.31}, 1) == "≤ 1.3× floor: MISSED"
    assert judge((), {}, 1) == "—"


def test_a_page_row_puts_each_figure_beside_its_floor() -> None:
    figures = {"fresh": 2.0, "cold": 1.2, "warm": 0.25, "queries": 0.09, "floor": 0.02, "change": 0.15,
               "change_floor": 0.005, "rss_mb": 512.4}
    row = page_row(10, "pages/overview.py", figures)
    assert (row["page"], row["queries_ratio"], row["warm_ratio"]) == ("overview", 4.5, 12.5)
    assert abs(row["change_ratio"] - 30.0) < 1e-9
    cells = page_cells(row)
    assert len(cells) == len(PAGE_HEADERS)
    assert cells == ["10×", "overview", "2.000", "1.200", "0.250", "0.090", "20.0", "4.50×", "12.5×", "0.150", "5.0",
                     "30.0×", "512", "process < 2 GB: ok; queries ≤ 3× floor: MISSED"]
    # a page process that failed has no figures: dashes, and goals it cannot meet said as n/a
    failed = page_cells(page_row(1, "pages/method.py", {"errors": ["boom"]}))
    assert failed[2:13] == ["—"] * 11 and failed[13] == "process < 2 GB: n/a; change < 0.1 s: n/a"


def test_build_and_browser_rows() -> None:
    file = {"file_mb": 3100.0, "free_blocks": 12, "total_blocks": 12000, "free_pct": 0.1, "households": 22_600_000}
    build = {"seconds": 1500.0, "peak_mb": 11000}
    assert build_cells(100, build, file, "built in this run") == [
        "100×", "22,600,000", "1500.0", "11000", "3100.0", "12 of 12,000 (0.1 %)", "built in this run",
        "peak < 12 GB: ok; file < 3 GB: MISSED"]
    # a warehouse the bench did not build: its file is still judged, its build is not known
    assert build_cells(100, None, file, "not measured")[2:4] == ["—", "—"]
    assert build_cells(100, None, file, "not measured")[-1] == "peak < 12 GB: n/a; file < 3 GB: MISSED"
    cells = browser_cells(1, "overview", {"first": 4.0, "floor_first": 2.0, "again": 2.6, "floor_again": 2.0})
    assert cells == ["1×", "overview", "4.00", "2.00", "2.00×", "2.60", "2.00", "1.30×", "≤ 1.3× floor: ok"]


def test_markdown_table() -> None:
    assert markdown_table(("scale", "page", "warm s", "goals"), [["1×", "overview", "0.100", "—"]]).splitlines() == [
        "| scale | page | warm s | goals |", "|:---|:---|---:|:---|", "| 1× | overview | 0.100 | — |"]


def test_the_floor_counts_the_rows_the_view_selects() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE classified (year INTEGER, district_code VARCHAR, commune_code VARCHAR, "
                "current_code VARCHAR, area VARCHAR, ethnicity VARCHAR, status VARCHAR)")
    rows = [(2024, "954", "31825", "31825", "urban", "kinh", "poor"),
            (2024, "954", "31828", "31825", "rural", "kinh", "average"),
            (2024, "956", "31843", "31843", "rural", "khmer", "poor"),
            (2025, "956", "31843", "31843", "rural", "khmer", "near_poor"),
            (2025, None, None, "31942", "rural", "kinh", "poor")]
    con.executemany("INSERT INTO classified VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def counts(*args: object, **kwargs: object) -> list[tuple[int, int, int]]:
        sql, params = floor_query(*args, **kwargs)  # type: ignore[arg-type]
        return sorted(con.execute(sql, params).fetchall())

    assert counts("former") == [(2024, 3, 2), (2025, 2, 1)]
    assert counts("former", ["956"]) == [(2024, 1, 1), (2025, 1, 0)]
    assert counts("current", ["31825"]) == [(2024, 2, 1)]
    assert counts("former", area="rural") == [(2024, 2, 1), (2025, 2, 1)]
    assert counts("former", unit_codes=["31825", "31843"]) == [(2024, 2, 2), (2025, 1, 0)]
    assert counts("current", unit_codes=["31942"]) == [(2025, 1, 1)]
    sql, params = floor_query("former", group="khmer")
    assert "in_group(ethnicity, $group)" in sql and params == {"group": "khmer"}


def test_a_warehouse_the_bench_builds_is_built_and_measured(tmp_path) -> None:
    """The scale bench builds its own warehouse through `measured_build` (the fresh-user pass found it calling an
    option bench_build no longer had): a real small build, its figures and its record."""
    from bench.bench_pages import measured_build
    from data.warehouse import connect_readonly

    path = tmp_path / "small.duckdb"
    figures = measured_build(2000, path)
    assert figures["households"] == 2000
    assert {"seconds", "cpu_seconds", "peak_mb", "file_mb"} <= set(figures)
    assert figures["peak_mb"] > 0 and abs(figures["file_mb"] - path.resolve().stat().st_size / 1e6) < 1e-9
    con = connect_readonly(path)
    try:
        assert con.execute("SELECT count(*) FROM households").fetchone()[0] >= 2000
    finally:
        con.close()
