"""The demo is generated and inserted in chunks (memory at 100×): the chunk size bounds memory, never the content."""

from __future__ import annotations

import duckdb

from data import demo
from data.build import build
from data.units import CURRENT, FORMER, load_units

TABLES = ["households", "review_rows", "classified_rows", "transitions_rows"]


def _former_units():
    units = load_units()
    current_area = units.loc[units["unit_set"] == CURRENT, ["commune_code", "area"]].rename(
        columns={"commune_code": "current_code", "area": "current_area"})
    return units[units["unit_set"] == FORMER].merge(current_area, on="current_code", how="left")


def test_chunks_are_at_most_chunk_rows_and_carry_keys_in_order_of_first_review():
    chunks = list(demo.generate(_former_units(), households=3000, seed=3, chunk_rows=700,
                                unit_sets={2025: "current"}))
    assert max(len(c.frame) for c in chunks) == 700
    per_year = {}
    for c in chunks:
        per_year.setdefault((c.table, c.year), []).append(len(c.frame))
    assert per_year[("households", 2021)] == [700, 700, 700, 700, 200]  # 3,000 households in the first year
    assert all(len(per_year[("reviews", y)]) == 5 for y in range(2021, 2026))  # ≈ 3,000 reviews a year
    households = [c.frame for c in chunks if c.table == "households"]
    keys = [k for f in households for k in f["household_key"]]
    assert keys == list(range(1, len(keys) + 1))
    assert households[0]["household_id"].iloc[:2].tolist() == ["H00000000", "H00000001"]
    assert households[-1]["commune_code"].isna().all()  # new in 2025: known only by the current unit
    reviewed = {k for c in chunks if c.table == "reviews" for k in c.frame["household_key"]}
    assert reviewed == set(keys)


def test_the_chunk_size_does_not_change_the_warehouse(tmp_path):
    small, large = tmp_path / "small.duckdb", tmp_path / "large.duckdb"
    build(small, households=4000, seed=11, log=lambda _m: None, chunk_rows=333)
    build(large, households=4000, seed=11, log=lambda _m: None)
    con = duckdb.connect(str(small), read_only=True)
    try:
        con.execute(f"ATTACH '{large}' AS large (READ_ONLY)")
        for table in TABLES:
            rows, only_small, only_large = con.execute(  # fixed table names
                f"""SELECT (SELECT count(*) FROM {table}),
                           (SELECT count(*) FROM (SELECT * FROM {table} EXCEPT ALL SELECT * FROM large.{table})),
                           (SELECT count(*) FROM (SELECT * FROM large.{table} EXCEPT ALL SELECT * FROM {table}))"""  # noqa: S608
            ).fetchone()
            assert rows > 4000 and only_small == only_large == 0, table
        rates = """SELECT year, count(*), count(*) FILTER (status = 'poor'), count(*) FILTER (status = 'near_poor')
                   FROM {} GROUP BY year ORDER BY year"""
        assert con.execute(rates.format("classified_rows")).fetchall() == \
            con.execute(rates.format("large.classified_rows")).fetchall()
    finally:
        con.close()
