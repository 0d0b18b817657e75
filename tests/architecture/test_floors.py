"""Floors run one way: pages → dashboard → queries/reports/geo → data, with the translations (`i18n`) below them
all.

Every module's imports are read with `ast` (no module is imported), so a violation fails here whatever the test run
happens to exercise; a page that imports DuckDB fails too (pages reach data through `dashboard` and `queries`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Floor → the project packages its modules may import (its own included).
ALLOWED = {
    "i18n": {"i18n"},
    "data": {"i18n", "data"},
    "queries": {"i18n", "data", "queries"},
    "reports": {"i18n", "data", "queries", "geo", "reports"},  # files from the warehouse (workbook, brief with its map)
    "geo": {"i18n", "data", "geo"},
    "dashboard": {"i18n", "data", "queries", "reports", "geo", "dashboard"},
    "pages": {"i18n", "data", "queries", "reports", "geo", "dashboard", "pages"},
}
PROJECT = set(ALLOWED) | {"app", "bench", "deploy", "tests"}


def imported(path: Path) -> set[str]:
    """Top-level names of everything `path` imports (`from data.ingest import x` → `data`)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            out.add(path.relative_to(ROOT).parts[0])
    return out


def modules(floor: str) -> list[Path]:
    return sorted((ROOT / floor).rglob("*.py"))


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_a_floor_imports_only_the_floors_below_it(floor: str) -> None:
    assert modules(floor), f"no modules under {floor}/"
    wrong = {str(p.relative_to(ROOT)): sorted((imported(p) & PROJECT) - ALLOWED[floor]) for p in modules(floor)}
    assert {p: names for p, names in wrong.items() if names} == {}


def test_reports_never_import_streamlit() -> None:
    """`python -m reports.annual` runs without a Streamlit session; the page reaches it through `dashboard`."""
    assert {str(p.relative_to(ROOT)) for p in modules("reports") if "streamlit" in imported(p)} == set()


def test_no_page_opens_the_warehouse_itself() -> None:
    pages = modules("pages") + [ROOT / "app.py"]
    assert {str(p.relative_to(ROOT)) for p in pages if "duckdb" in imported(p)} == set()


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The parser really finds imports in every form the project writes them."""
    source = tmp_path / "x.py"
    source.write_text("import duckdb\nfrom dashboard.i18n import T\nimport queries.sql as q\n"
                      "def f():\n    from pages import overview\n", encoding="utf-8")
    assert imported(source) == {"duckdb", "dashboard", "queries", "pages"}
