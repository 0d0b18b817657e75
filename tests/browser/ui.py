"""Driving the dashboard like a reader: wait for Streamlit's script run, work the sidebar filters, read the view.

Selectors are accessible roles and names (the widgets' labels come from the translation table) or the
`data-testid` attributes Streamlit emits (`stApp`, `stSidebar`, `stMetricValue`, `stPlotlyChart`, `stDataFrame`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect

from i18n import Lang, Translator


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current script run (the app root says `notRunning`)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def open_link(page: Page, url: str) -> None:
    """Open `url` and wait until the page's title is drawn and the script run is over."""
    page.goto(url)
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
    settle(page)


def query(url: str) -> dict[str, list[str]]:
    """The URL's query parameters, each with all its values in order."""
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def expect_param(page: Page, name: str, value: str) -> None:
    """Wait until the address bar carries `name=value` (the app writes the URL during its run), then settle."""
    expect(page).to_have_url(re.compile(rf"[?&]{re.escape(name)}={re.escape(value)}(&|$)"))
    settle(page)


def _centred(box: Locator) -> None:
    """Scroll a choice box to the middle of its scrolling area first: a box whose lower edge lies just below the
    window (the sidebar's year box under the nine-page menu on a 1000 px screen) takes Playwright's click as a focus
    and never opens its list."""
    box.evaluate("e => e.scrollIntoView({block: 'center'})")


def pick(page: Page, box: Locator, label: str) -> None:
    """Open the choice `box` and click its option `label`. A script run that redraws the box while its list is open
    (the map's first selection event, a late rerun) closes the list under the pointer; then the list is opened again,
    at most three times, before the wait fails."""
    option = page.get_by_role("option", name=label, exact=True)
    for attempt in range(3):
        settle(page)
        _centred(box)
        box.click()
        try:
            expect(option).to_be_visible(timeout=15_000)
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            continue
        option.click()
        return


@dataclass
class Sidebar:
    """The shared filter bar, labelled in `lang`."""

    page: Page
    lang: Lang = "vi"

    @property
    def tr(self) -> Translator:
        return Translator(self.lang)

    @property
    def root(self) -> Locator:
        return self.page.get_by_test_id("stSidebar")

    def district_box(self) -> Locator:
        return self.root.get_by_role("combobox", name=self.tr("filter.district"))

    def unit_box(self) -> Locator:
        """The place filter of the current units (25 communes and wards)."""
        return self.root.get_by_role("combobox", name=self.tr("filter.unit"))

    def add_district(self, name: str, code: str) -> None:
        self._add_place(self.district_box(), name, "district", code)

    def add_unit(self, name: str, code: str) -> None:
        self._add_place(self.unit_box(), name, "unit", code)

    def _add_place(self, box: Locator, name: str, param: str, code: str) -> None:
        pick(self.page, box, name)
        # Close the list and leave the field: a click elsewhere while it still has focus is swallowed.
        self.page.keyboard.press("Escape")
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        expect(self.page).to_have_url(re.compile(rf"[?&]{param}={code}(&|$)"))
        settle(self.page)

    def units(self, unit_set: str, count: int) -> None:
        """Pick a unit set in its control (`count`: its units, as the label says: 64 former, 25 current)."""
        self.choose_segment("filter.units", self.tr(f"units.{unit_set}", n=count))
        expect_param(self.page, "units", unit_set)

    def selected_districts(self) -> list[str]:
        """Names shown as tags in the district field."""
        tags = self.root.get_by_role("group", name="Selected values").locator("[data-tag]")
        return [t.strip() for t in tags.all_inner_texts()]

    def expect_districts(self, names: list[str]) -> None:
        tags = self.root.get_by_role("group", name="Selected values").locator("[data-tag]")
        expect(tags).to_have_text(names)

    def radiogroup(self, label_key: str) -> Locator:
        if label_key == "filter.lang":  # labelled in the language it shows: one selector before and after a switch
            names = "|".join(re.escape(Translator(lang)(label_key)) for lang in ("vi", "en"))
            return self.root.get_by_role("radiogroup", name=re.compile(rf"^({names})$"))
        return self.root.get_by_role("radiogroup", name=self.tr(label_key), exact=True)

    def segment(self, label_key: str, option_label: str) -> Locator:
        return self.radiogroup(label_key).get_by_role("radio", name=option_label, exact=True)

    def choose_segment(self, label_key: str, option_label: str) -> None:
        radio = self.segment(label_key, option_label)
        radio.click()
        expect(radio).to_have_attribute("aria-checked", "true")

    def checked_segment(self, label_key: str) -> str:
        return self.radiogroup(label_key).locator('[role="radio"][aria-checked="true"]').inner_text().strip()

    def select_box(self, label_key: str) -> Locator:
        return self.root.get_by_role("combobox", name=self.tr(label_key))

    def choose(self, label_key: str, option_label: str) -> None:
        box = self.select_box(label_key)
        pick(self.page, box, option_label)
        expect(box).to_have_value(option_label)

    def area(self, area: str) -> None:
        self.choose_segment("filter.area", self.tr(f"area.{area}"))
        expect_param(self.page, "area", area)

    def group(self, group: str) -> None:
        self.choose("filter.group", self.tr(f"group.{group}"))
        expect_param(self.page, "group", group)

    def year(self, year: int) -> None:
        self.choose("filter.year", str(year))
        expect_param(self.page, "year", str(year))

    def language(self, lang: Lang) -> None:
        self.choose_segment("filter.lang", self.tr(f"lang.{lang}"))
        expect_param(self.page, "lang", lang)
        self.lang = lang

    def state(self) -> dict[str, object]:
        """What the filter widgets show: the unit set, place tags, area, group, year, language (labels as displayed)."""
        return {
            "units": self.checked_segment("filter.units"),
            "districts": self.selected_districts(),
            "area": self.checked_segment("filter.area"),
            "group": self.select_box("filter.group").input_value(),
            "year": self.select_box("filter.year").input_value(),
            "lang": self.checked_segment("filter.lang"),
        }

    def go_to(self, page_title: str) -> None:
        """Follow a link of the page navigation by its (translated) title."""
        self.root.get_by_test_id("stSidebarNav").get_by_role("link", name=page_title, exact=True).click()


def headline(page: Page) -> list[str]:
    """The texts of the page's metric values, in order: the overview's headline cards (the poor rate, the year's
    path, the near-poor rate, and for an urban / rural selection the rate its target judges, after the poor rate).

    Waits for all of them: the browser can still be drawing the last ones when the script run is reported over.
    """
    values = page.get_by_test_id("stMain").get_by_test_id("stMetricValue")
    # the fourth card is shown when the urban / rural target judges the view (an ethnic group takes precedence:
    # data/schema.sql, plan_scope)
    params = query(page.url)
    own_area_target = (params.get("area", ["all"])[-1] in ("urban", "rural")
                       and params.get("group", ["all"])[-1] not in ("minority", "khmer"))
    expect(values).to_have_count(4 if own_area_target else 3)
    return [v.strip() for v in values.all_inner_texts()]


def scope_line(page: Page, tr: Translator) -> str:
    """The caption saying which households the page is about ("Phạm vi: … · … · … · năm …") and, on its second
    line, in which unit set."""
    prefix = tr("scope.describe", districts="", area="", group="", year="").split(":")[0]
    caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").filter(
        has_text=re.compile(rf"^{re.escape(prefix)}:"))
    expect(caption).to_have_count(1)
    return caption.inner_text().strip()


# The commune layer of the map's plotly figure: its codes, and how many distinct communes are drawn on screen —
# SVG paths for a `choropleth` trace, features rendered by MapLibre for a `choroplethmap` trace. The codes and values
# of every trace of the layer's type: communes hidden from a viewer not signed in, and those without data, are their
# own traces (dashboard/charts.py, `commune_map`).
_COMMUNE_LAYER_JS = """gd => {
    const traces = (gd._fullData || []).filter(t => t.type === 'choropleth' || t.type === 'choroplethmap');
    const trace = traces[0];
    if (!trace) return {type: null, locations: [], values: 0, drawn: 0};
    let drawn = 0;
    if (trace.type === 'choropleth') {
        drawn = gd.querySelectorAll('path.choroplethlocation').length;
    } else {
        const map = gd._fullLayout[trace.subplot]._subplot.map;
        const fills = map.getStyle().layers.filter(l => l.type === 'fill').map(l => l.id);
        const ids = map.queryRenderedFeatures({layers: fills}).map(f => f.id ?? JSON.stringify(f.properties));
        drawn = new Set(ids).size;
    }
    const same = traces.filter(t => t.type === trace.type);
    return {type: trace.type, locations: same.flatMap(t => Array.from(t.locations)),
            values: same.reduce((n, t) => n + t.z.length, 0), drawn};
}"""


def commune_layer(page: Page, expected: int, graph: Locator | None = None) -> dict:
    """The map's commune layer once `expected` communes are drawn (fails if they never are). `graph`: the map's
    plotly graph (default: the page's first chart, the map page's map)."""
    graph = graph or page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot").first
    expect(graph).to_be_visible()
    handle = graph.element_handle()
    try:
        page.wait_for_function(f"gd => ({_COMMUNE_LAYER_JS})(gd).drawn === {expected}", arg=handle, timeout=60_000)
    except Exception as error:  # say what was drawn instead
        raise AssertionError(f"map never drew {expected} communes: {graph.evaluate(_COMMUNE_LAYER_JS)}") from error
    return graph.evaluate(_COMMUNE_LAYER_JS)


def shown_rows(table: Locator) -> int:
    """Rows in an `st.dataframe`: aria-rowcount of the grid's accessible table, less the header row."""
    grid = table.locator('table[role="grid"]')  # the canvas's fallback content, which role queries do not see
    expect(grid).to_have_attribute("aria-rowcount", re.compile(r"^\d+$"))
    return int(grid.get_attribute("aria-rowcount") or 0) - 1


def shown_cells(table: Locator) -> tuple[list[str], list[list[str]]]:
    """The header and the cell texts an `st.dataframe` shows, as its grid's accessible table holds them (the columns
    and rows drawn on screen: a wide table's rightmost columns may be missing)."""
    grid = table.locator('table[role="grid"]')
    expect(grid.locator('td[role="gridcell"]').first).to_be_attached()
    headers = [t.strip() for t in grid.locator('th[role="columnheader"]').all_inner_texts()]
    rows = [[t.strip() for t in row.locator('td[role="gridcell"]').all_inner_texts()]
            for row in grid.locator('tbody tr[role="row"]').all()]
    return headers, rows
