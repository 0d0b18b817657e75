"""Decompression bombs uploaded on the import page while a second session views the overview: each bomb is refused as
a problem of its file, the viewer's page keeps updating during and after, and the server's memory stays bounded.

Without `data.ingest.limits` the first of these (0.4 MB unpacking to 200 MB) costs the server ≈ 1 GB and 8 s of a
core, and the others make the .xlsx reader ask for 3 GB to 550 GB and abort the server process: every viewer's page
would stop. The server runs here on its own (its memory is its own), on the shared read-only test warehouse; its
process tree's resident memory is sampled with psutil throughout, and its own high-water mark (VmHWM) is read at
the end. Timeouts are liveness bounds only; nothing here depends on speed.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import BrowserContext, expect

from data.ingest.messages import msg
from i18n import Translator
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import Sidebar, open_link, settle
from tests.ingest import bombs

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GB = 1 << 30
BOUND = 1 * GB  # peak resident memory allowed to the server's process tree
tr = Translator("vi")


class _Peak:
    """Samples the resident memory of a process and its children every 20 ms in a thread; keeps the largest sum."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for p in [self.process, *self.process.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += p.memory_info().rss
            self.peak = max(self.peak, total)
            self.samples += 1
            time.sleep(0.02)

    def __enter__(self) -> _Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def _high_water_mark(pid: int) -> int:
    """The process's own peak resident memory in bytes (Linux: VmHWM of /proc/<pid>/status)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024


@pytest.fixture
def server(browser_warehouse: Path, tmp_path: Path) -> Iterator[tuple[str, int]]:
    log = tmp_path / "server.log"
    process, url = start_streamlit(browser_warehouse, log, env={"POVERTY_ALLOW_IMPORT": "1"})  # as `make run`
    try:
        wait_healthy(process, url, log)
        yield url, process.pid
        assert process.poll() is None, "the server died"
    finally:
        stop(process)


def _bombs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bomb written to `folder`, with the refusal the report must show for it (Vietnamese)."""
    repeated = bombs.repeated_rows(200)
    info = zipfile.ZipFile(io.BytesIO(repeated)).getinfo(bombs.SHEET)
    mb = 1 << 20
    made = {
        "lap_lai.xlsx": (repeated, msg("ingest.limit_ratio", part=bombs.SHEET, size=round(info.file_size / mb, 1),
                                       packed=round(info.compress_size / mb, 1),
                                       ratio=round(info.file_size / info.compress_size), limit=100)),
        "noi_doi.xlsx": (bombs.lying(repeated), msg("ingest.limit_declared", part=bombs.SHEET, declared=1_000_000)),
        "o_xa.xlsx": (bombs.far_cell(), msg("ingest.limit_cells", size=1_048_576 * 16_384, limit=6_000_000)),
        "dem_dong.xlsx": (bombs.counted_far(), msg("ingest.limit_cells", size=50_002 * 2_001, limit=6_000_000)),
        "chuoi.xlsx": (bombs.unique_count(), msg("ingest.limit_count", part="xl/sharedStrings.xml",
                                                 size=4_000_000_000, limit=6_000_000)),
        "mot_dong.csv": (bombs.one_line_csv(40, b"a"), msg("ingest.limit_line", size=40_960, limit=1024)),
    }
    out = {}
    for name, (data, message) in made.items():
        (folder / name).write_bytes(data)
        out[name] = (folder / name, message.text("vi"))
    return out


def test_bombs_on_the_import_page_leave_the_viewer_working_and_the_memory_bounded(
        server: tuple[str, int], new_context: Callable[[], BrowserContext], tmp_path: Path) -> None:
    url, pid = server
    files = _bombs(tmp_path)
    viewer = new_context().new_page()
    open_link(viewer, f"{url}/")
    labels = viewer.get_by_test_id("stMain").get_by_test_id("stMetricLabel").first
    expect(labels).to_contain_text(tr("overview.poor_rate_year", year=2025))
    sidebar = Sidebar(viewer)
    uploader = new_context().new_page()
    open_link(uploader, f"{url}/import_data")
    main = uploader.get_by_test_id("stMain")
    before = psutil.Process(pid).memory_info().rss

    with _Peak(pid) as memory:
        # Upload every bomb at once and, without waiting for the report, work the viewer's filters.
        uploader.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(
            [str(path) for path, _ in files.values()])
        sidebar.year(2024)
        expect(labels).to_contain_text(tr("overview.poor_rate_year", year=2024))

        # Each bomb is a problem of its file, naming its limit; nothing can be loaded.
        for name in files:
            expect(main.get_by_role("heading", name=name)).to_be_visible()
        expect(main.get_by_text(tr("import.nothing_loadable"))).to_be_visible()
        expect(main.get_by_test_id("stDataFrame")).to_have_count(len(files))
        cells = main.locator('table[role="grid"] tbody td')  # the grids' accessible tables
        for _, refusal in files.values():
            expect(cells.filter(has_text=refusal)).to_have_count(1)
        settle(uploader)

        # A file over the upload limit (65 MB on paper) is refused by the box itself, never sent, and says why.
        too_big = tmp_path / "qua_lon.csv"
        with too_big.open("wb") as out:
            out.truncate(65 << 20)
        uploader.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(str(too_big))
        chip = uploader.get_by_test_id("stFileChip").filter(has_text=too_big.name)
        expect(chip).to_have_attribute("aria-invalid", "true")
        assert chip.evaluate("e => getComputedStyle(e, '::after').content") == (
            '"' + tr("import.upload_refused", size="64", types="CSV, XLSX") + '"')

        # And after: the viewer's page still answers.
        sidebar.year(2023)
        expect(labels).to_contain_text(tr("overview.poor_rate_year", year=2023))
        sidebar.area("rural")
        settle(viewer)

    print(f"server {before / (1 << 20):.0f} MB before the uploads; tree peak {memory.peak / (1 << 20):.0f} MB over "
          f"{memory.samples} samples; "
          f"server VmHWM {_high_water_mark(pid) / (1 << 20):.0f} MB")
    assert memory.samples > 10
    assert memory.peak < BOUND, f"server tree peaked at {memory.peak / GB:.2f} GB"
    assert _high_water_mark(pid) < BOUND, f"server peaked at {_high_water_mark(pid) / GB:.2f} GB"
    assert uploader.get_by_test_id("stException").count() == 0
