"""Streamlit's own texts in the page's language, as Chromium draws them: the upload box (its button, its limits, the
hint while a file is dragged over it, the uploaded file's chip) and the choice boxes after a language switch.

AppTest cannot see these (the browser writes them), so they are read here from the page: every visible text node and
every CSS-generated text (`::before`/`::after`), icons excepted. `tests/app/test_language.py` covers everything the
app itself sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from i18n import Lang, Translator
from tests.app.test_language import Vocabulary, build_vocabulary
from tests.browser.conftest import AppServer
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import Sidebar, open_link, settle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The texts a reader sees inside `root`: text nodes of rendered elements whose font is not zero-sized, and the
# strings of CSS `content` on ::before / ::after. Material icons are drawn from their ligature name ("upload"), not
# read as words, so they are skipped, and so is screen-reader-only text (Streamlit's "add icon"; see the report).
_SHOWN_TEXTS = """root => {
    const out = [];
    const walk = el => {
        const style = getComputedStyle(el);
        // (`display: contents` draws no box of its own, only its children)
        if (style.display !== 'contents' && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) {
            return;
        }
        if (el.dataset.testid === 'stIconMaterial') return;
        const box = el.getBoundingClientRect();  // screen-reader-only text is clipped to a pixel: not drawn
        if (style.display !== 'contents' && box.width <= 1 && box.height <= 1) return;
        if (parseFloat(style.fontSize) > 0) {
            for (const node of el.childNodes) {
                if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) out.push(node.textContent.trim());
            }
        }
        for (const pseudo of ['::before', '::after']) {
            const content = getComputedStyle(el, pseudo).content;
            if (content && content.startsWith('"')) out.push(JSON.parse(content));
        }
        for (const child of el.children) walk(child);
    };
    walk(root);
    return out;
}"""
_DRAG_OVER = """zone => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'xa.csv', {type: 'text/csv'}));
    for (const type of ['dragenter', 'dragover']) {
        zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
    }
}"""


@pytest.fixture(scope="module")
def vocabulary(warehouse_units: list[tuple[str, str, str, str]],
               current_units: list[tuple[str, str, str, str]]) -> Vocabulary:
    return build_vocabulary([n for _, commune, _, district in warehouse_units for n in (commune, district)]
                            + [commune for _, commune, _, _ in current_units], [])


def shown(locator: Locator) -> list[str]:
    return locator.evaluate(_SHOWN_TEXTS)


def assert_one_language(texts: list[str], lang: Lang, vocabulary: Vocabulary) -> None:
    foreign = {text: vocabulary.foreign_words(text, lang) for text in texts}
    assert not {t: w for t, w in foreign.items() if w}, f"other-language words in {texts}"


@pytest.fixture(scope="module")
def import_url(browser_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the import page (the operator setting, as `make run`); the session's server has none. Nothing
    is loaded here, so it shares the session's warehouse."""
    log = tmp_path_factory.mktemp("import-language") / "server.log"
    process, url = start_streamlit(browser_warehouse, log, env={"POVERTY_ALLOW_IMPORT": "1"})
    try:
        wait_healthy(process, url, log)
        yield url
    finally:
        stop(process)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_upload_box_speaks_the_page_language_and_still_opens_the_file_chooser(
        import_url: str, page: Page, vocabulary: Vocabulary, tmp_path: Path, lang: Lang) -> None:
    tr = Translator(lang)
    open_link(page, f"{import_url}/import_data?lang={lang}")
    uploader = page.get_by_test_id("stFileUploader")
    zone = uploader.get_by_test_id("stFileUploaderDropzone")
    # The style sheet comes with the page's elements; once it applies, Streamlit's own button text is hidden.
    expect(zone.get_by_test_id("stMarkdownContainer")).to_be_visible()
    expect(zone.locator('button [data-testid="stMarkdownContainer"] p')).to_be_hidden()

    texts = shown(zone)
    assert_one_language(texts, lang, vocabulary)
    assert tr("import.upload_button") in texts, texts
    assert tr("import.upload_limit", size=tr.num(64), types="CSV, XLSX") in texts, texts  # limits.Limits.file_mb

    zone.evaluate(_DRAG_OVER)
    expect(zone.locator("xpath=./div[not(@data-testid)]")).to_be_visible()  # the drop hint is up
    texts = shown(zone)
    assert_one_language(texts, lang, vocabulary)
    assert tr("import.drop_here") in texts, texts
    page.reload()
    settle(page)

    # The relabelled button is still Streamlit's button: it opens the file chooser, and the file is taken.
    path = tmp_path / "xa_thu.csv"
    path.write_text("Mã hộ,Năm\nA1,2025\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        zone.get_by_role("button", name=tr("import.upload_button")).click()
    chooser.value.set_files(str(path))
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=path.name)).to_be_visible()
    settle(page)
    chip = uploader.get_by_test_id("stFileChip")
    expect(chip).to_be_visible()
    texts = shown(uploader)
    assert path.name in texts, texts
    assert not [t for t in texts if re.fullmatch(r"[\d.,]+\s?[KMG]?B", t)], f"a size in the browser's format: {texts}"
    assert_one_language(texts, lang, vocabulary)


def test_a_language_switch_relabels_the_choice_boxes(app: AppServer, page: Page) -> None:
    """Select boxes keep the label the browser last drew unless the app sends the new one ("Tất cả" stayed)."""
    open_link(page, app.link("Bản đồ xã", "lang=vi&group=all"))
    sidebar = Sidebar(page)
    vi, en = Translator("vi"), Translator("en")
    expect(sidebar.select_box("filter.group")).to_have_value(vi("group.all"))
    metric = page.get_by_test_id("stMain").get_by_role("combobox", name=vi("filter.metric"))
    expect(metric).to_have_value(vi("metric.poor_rate"))

    sidebar.language("en")

    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text(en("map.title_units", year=2025))
    expect(sidebar.select_box("filter.group")).to_have_value(en("group.all"))
    expect(sidebar.segment("filter.units", en("units.current", n=25))).to_have_attribute("aria-checked", "true")
    metric = page.get_by_test_id("stMain").get_by_role("combobox", name=en("filter.metric"))
    expect(metric).to_have_value(en("metric.poor_rate"))
    commune = page.get_by_test_id("stMain").get_by_role("combobox", name=en("map.select_commune"))
    expect(commune).to_have_value("")  # no commune: the box shows its placeholder, in the new language
    expect(commune).to_have_attribute("placeholder", en("map.no_commune"))
    expect(page).to_have_title(re.compile(re.escape(en("app.tab_title"))))
