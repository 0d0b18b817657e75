"""The rules the schema states but does not declare on its large tables (data/schema.sql: no PRIMARY KEY or
REFERENCES on households and review_rows): `integrity_problems` finds each broken one, the built warehouse breaks
none, and the importer refuses (and rolls back) a load that would break one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.build import build
from data.ingest import check, load
from data.warehouse import current_version, free_blocks, integrity_problems
from tests.ingest.conftest import LAYOUT, checksum, review_rows, write_csv


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-household demo warehouse (its current version's file), built once for the module."""
    path = tmp_path_factory.mktemp("integrity") / "demo.duckdb"
    build(path, households=20_000, log=lambda _m: None)
    return Path(current_version(path).file)


@pytest.fixture
def copy(small_build: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copy(small_build, path)
    return path


def test_the_built_warehouse_breaks_no_rule(small_build: Path) -> None:
    con = duckdb.connect(str(small_build), read_only=True)
    try:
        assert integrity_problems(con) == []
        # the same rules counted independently, in pandas
        households = con.execute("SELECT household_key, household_id FROM households").df()
        reviews = con.execute("SELECT household_key, year FROM review_rows").df()
    finally:
        con.close()
    assert households["household_key"].is_unique and households["household_id"].is_unique
    assert sorted(households["household_key"]) == list(range(1, len(households) + 1))  # 1 … n, none skipped
    assert not reviews.duplicated().any() and reviews["household_key"].isin(households["household_key"]).all()
    assert len(reviews) > 100_000


def _key_and_code(con: duckdb.DuckDBPyConnection, year: int, n: int) -> list[tuple[int, str]]:
    return con.execute("SELECT household_key, household_id FROM review_rows JOIN households USING (household_key) "
                       "WHERE year = $y ORDER BY household_key LIMIT $n", {"y": year, "n": n}).fetchall()


def test_a_review_stored_twice_is_reported_with_its_households(copy: Path) -> None:
    con = duckdb.connect(str(copy))
    try:
        twice = _key_and_code(con, 2023, 4)
        con.execute("INSERT INTO review_rows SELECT * FROM review_rows WHERE year = 2023 AND "
                    "list_contains($keys, household_key)", {"keys": [k for k, _ in twice]})
        codes = ", ".join(code for _, code in twice[:3])
        assert integrity_problems(con) == [
            f"4 (household, year) pair(s) have more than one review (households {codes})"]
        assert integrity_problems(con, [2023, 2024]) == integrity_problems(con)
        assert integrity_problems(con, [2021, 2022]) == []  # only the years asked for
    finally:
        con.close()


def test_a_review_of_a_household_not_stored_is_reported_with_its_keys(copy: Path) -> None:
    con = duckdb.connect(str(copy))
    try:
        top = con.execute("SELECT max(household_key) FROM households").fetchall()[0][0]
        # three reviews of two unknown households (two years of the first)
        for key, year in ((top + 1, 2022), (top + 1, 2023), (top + 7, 2023)):
            con.execute("INSERT INTO review_rows SELECT * REPLACE ($key AS household_key, $year AS year) "
                        "FROM review_rows LIMIT 1", {"key": key, "year": year})
        assert integrity_problems(con) == [
            f"3 review(s) name a household key that households does not hold (keys #{top + 1}, #{top + 7})"]
    finally:
        con.close()


def test_a_household_code_or_key_given_twice_is_reported(copy: Path) -> None:
    con = duckdb.connect(str(copy))
    try:
        (k1, c1), (k2, c2) = _key_and_code(con, 2021, 2)
        top = con.execute("SELECT max(household_key) FROM households").fetchall()[0][0]
        con.execute("INSERT INTO households SELECT * REPLACE ($key AS household_key) FROM households "
                    "WHERE household_key = $k1", {"key": top + 1, "k1": k1})  # code c1 on a second key
        con.execute("INSERT INTO households SELECT * REPLACE ('NEW-1' AS household_id) FROM households "
                    "WHERE household_key = $k2", {"k2": k2})  # key k2 on a second code
        assert integrity_problems(con) == [
            f"1 household key(s) are given to more than one household (keys #{k2})",
            f"1 household code(s) appear on more than one household (codes {c1})"]
        # a review of k2 now matches two households: the view `reviews` would show it twice
        assert con.execute("SELECT count(*) FROM reviews WHERE year = 2021 AND household_id IN ($c, 'NEW-1')",
                           {"c": c2}).fetchall() == [(2,)]
    finally:
        con.close()


def _checked(con: duckdb.DuckDBPyConnection, tmp_path: Path, rows: int = 40):
    """A valid file of `rows` new households' 2024 reviews, checked against the warehouse on `con`."""
    path = write_csv(tmp_path / "reviews.csv", review_rows(rows, prefix="INT", year=2024))
    checked = check(path.read_bytes(), path.name, con)
    assert checked.ok and len(checked.reviews) == rows
    return checked


@pytest.mark.parametrize("breakage", ["review_twice", "household_missing"])
def test_the_importer_refuses_a_load_that_would_break_a_rule_and_stores_nothing(copy: Path, tmp_path: Path,
                                                                               breakage: str) -> None:
    before = checksum(copy)
    con = duckdb.connect(str(copy))
    try:
        checked = _checked(con, tmp_path)
        if breakage == "review_twice":  # one row reaches the load twice (validation refuses that in a file)
            checked.reviews = pd.concat([checked.reviews, checked.reviews.iloc[[5]]], ignore_index=True)
        else:  # a review whose household is neither in the file's households nor stored
            checked.households = checked.households[checked.households["household_id"] != "INT00005"]
        result = load(con, checked)
    finally:
        con.close()
    assert (result.status, result.rows_loaded, result.households_new, result.reviews_new) == ("rejected", 0, 0, 0)
    assert list(result.problems["expected_en"]) == [
        "a file that keeps the warehouse consistent; loading this one would store a household or a review twice, or "
        "a review without its household, so nothing was loaded: please send the file to the data team"]
    assert result.problems["expected_vi"].str.startswith("một tệp giữ kho dữ liệu nhất quán").all()
    assert checksum(copy) == before  # every table exactly as it was


def test_the_same_load_unbroken_is_stored(copy: Path, tmp_path: Path) -> None:
    """The control for the refusals above: the file itself loads, 40 reviews and 40 households more, keys max+1 …"""
    before = checksum(copy)
    con = duckdb.connect(str(copy))
    try:
        top = con.execute("SELECT max(household_key) FROM households").fetchall()[0][0]
        result = load(con, _checked(con, tmp_path))
        keys = con.execute("SELECT household_id, household_key FROM households WHERE household_id LIKE 'INT%' "
                           "ORDER BY household_key").fetchall()
        assert integrity_problems(con) == []
    finally:
        con.close()
    assert (result.status, result.rows_loaded, result.households_new) == ("loaded", 40, 40)
    assert keys == [(f"INT{i:05d}", top + 1 + i) for i in range(40)]  # in the file's order
    after = checksum(copy)
    assert after["review_rows"][0] == before["review_rows"][0] + 40
    assert after["households"][0] == before["households"][0] + 40


def test_a_warehouse_broken_before_the_file_is_named_as_the_cause(copy: Path, tmp_path: Path) -> None:
    """A valid file refused because the stored warehouse already broke a rule says so, with the rule, rather than
    blaming the file (fresh-user pass); nothing is stored."""
    con = duckdb.connect(str(copy))
    try:
        ((key, code),) = _key_and_code(con, 2021, 1)
        top = con.execute("SELECT max(household_key) FROM households").fetchall()[0][0]
        con.execute("INSERT INTO households SELECT * REPLACE ($key AS household_key) FROM households "
                    "WHERE household_key = $k", {"key": top + 1, "k": key})  # code on a second key
    finally:
        con.close()
    before = checksum(copy)
    con = duckdb.connect(str(copy))
    try:
        result = load(con, _checked(con, tmp_path))
    finally:
        con.close()
    assert (result.status, result.rows_loaded) == ("rejected", 0)
    assert list(result.problems["expected_en"]) == [
        "a consistent warehouse; the stored warehouse already broke a rule before this file (1 household code(s) "
        f"on more than one household (codes {code})), so nothing was loaded: please ask the data team to check the "
        "warehouse"]
    assert list(result.problems["expected_vi"]) == [  # the rule in the reader's language too (fresh-user pass)
        "một kho dữ liệu nhất quán; kho đang lưu đã vi phạm quy tắc trước khi nạp tệp này (1 mã hộ có ở nhiều hơn "
        f"một hộ (mã {code})), nên không nạp gì: hãy báo bộ phận dữ liệu kiểm tra kho"]
    assert checksum(copy) == before


def test_an_import_leaves_a_version_without_free_blocks(small_build: Path, tmp_path: Path) -> None:
    """An import replacing a year's reviews (DELETE + INSERT, every income changed) frees blocks of the copied
    version; `new_version` writes the new version compacted, with none."""
    from data import export
    from data.ingest.__main__ import main

    name = tmp_path / "served.duckdb"
    shutil.copy(small_build, name)  # a plain file: the import adopts it as v000001 and writes v000002
    con = duckdb.connect(str(name), read_only=True)
    try:
        frame = export.reviews_frame(con, 2023)
    finally:
        con.close()
    income = LAYOUT["income_per_capita"]
    frame[income] = frame[income] + 1000
    path = tmp_path / "nam_2023.csv"
    export.write(frame, path)
    assert main([str(path), "--db", str(name), "--lang", "en"]) == 0
    version = current_version(name)
    assert version.file.endswith("v000002.duckdb")
    con = duckdb.connect(version.file, read_only=True)
    try:
        assert free_blocks(con) == 0
        assert con.execute("SELECT count(*), min(income_per_capita) FROM review_rows WHERE year = 2023").fetchall() \
            == [(len(frame), frame[income].min())]
        assert integrity_problems(con) == []
    finally:
        con.close()
