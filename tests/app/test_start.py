"""A server's start (issue 13 §4): the app and its first page import only what they draw with. The unit list and the
crosswalk come from the warehouse (the build read `vietnamadminunits` once); the boundary libraries, the XLSX writer
and the importer are imported by the pages and clicks that use them.

Each case runs in a fresh interpreter (a test process has imported everything already) and reports `sys.modules`.
(plotly is not among them: Streamlit itself imports it when plotly is installed, to register its chart theme.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.boundaries import COMMUNES_FILE
from tests.app.conftest import ROOT

# imported by the build, the map, the importer or a download, never needed to open the overview
NOT_AT_START = ("vietnamadminunits", "geopandas", "shapely", "pyproj", "pyogrio", "openpyxl", "data.ingest",
                "kaleido", "weasyprint")

_PROBE = """
import json, sys
from streamlit.testing.v1 import AppTest
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=120)
for name, value in json.loads(sys.argv[3]).items():
    at.query_params[name] = value
if sys.argv[2]:
    at.switch_page(sys.argv[2])
at.run()
print(json.dumps({"modules": sorted(set(sys.modules) - before), "errors": [e.value for e in at.exception],
                  "title": [t.value for t in at.title], "charts": len(at.get("plotly_chart"))}))
"""


def run_fresh(warehouse: Path, page: str = "", params: dict[str, str] | None = None,
              env: dict[str, str] | None = None) -> dict[str, object]:
    """`app.py` run once under AppTest in a new interpreter, opened on `page` (default the overview) with the query
    parameters `params`: the modules the run imported, its exceptions, titles and number of plotly charts."""
    environment = {**os.environ, "POVERTY_DB": str(warehouse), **(env or {})}
    out = subprocess.run([sys.executable, "-c", _PROBE, str(ROOT / "app.py"), page, json.dumps(params or {})],
                         cwd=ROOT, env=environment, check=True, capture_output=True, text=True, timeout=300).stdout
    return json.loads(out.strip().splitlines()[-1])


def imported(result: dict[str, object], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in result["modules"])  # type: ignore[union-attr]


def test_the_overview_opens_without_the_unit_package_the_map_libraries_or_the_importer(warehouse: Path) -> None:
    result = run_fresh(warehouse)
    assert result["errors"] == []
    assert result["title"] == ["Tổng quan"] and result["charts"] >= 1  # the overview was drawn, with its chart
    assert imported(result, "app") or imported(result, "dashboard.layout")  # the probe saw the app's own imports
    assert [name for name in NOT_AT_START if imported(result, name)] == []


def test_the_map_page_imports_the_boundary_libraries_it_draws_with(warehouse: Path) -> None:
    """The other side of the check above: where boundaries are drawn, their libraries are imported (so their absence
    from the overview is no artefact of the probe) — and the crosswalk still comes from the warehouse."""
    shared = ROOT.parent / "shared" / "geo"
    if not (shared / COMMUNES_FILE).is_file():
        pytest.skip(f"reference boundaries not found at {shared}")
    # the current units: dissolved from the former communes by the crosswalk
    result = run_fresh(warehouse, "pages/commune_map.py", {"units": "current"}, {"BOUNDARIES_DIR": str(shared)})
    assert result["errors"] == [] and result["charts"] >= 1
    assert imported(result, "geopandas") and imported(result, "shapely")
    assert not imported(result, "vietnamadminunits")
