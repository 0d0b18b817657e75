"""One language at a time: every page, rendered in Vietnamese and in English, shows nothing of the other language, no
raw translation key, no raw identifier, and numbers only in the page's format.

What "shown" means here: every text Streamlit is told to draw (titles, markdown, captions, alerts, metric labels,
values, deltas and help, widget labels, options, placeholders and help, buttons), every table's column names and
cells, the navigation's page names, and the plotly figures' titles, axis titles, legend names, annotations, bar texts
and hover templates. Streamlit's own frontend strings (the upload box's button and limits) are not in AppTest's view:
`tests/browser/test_language.py` checks those in Chromium.

The word lists are derived, not written by hand: a word that occurs only in the Vietnamese values of `TEXT` is
Vietnamese, one that occurs only in the English values is English (plus a short list of common English words that
Streamlit or raw data could leak, and, for English pages, any word with Vietnamese diacritics). Unit and district
names from the warehouse's `units` table are place names and allowed in both languages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import registered_pages
from i18n import LANGS, TEXT, Lang, Translator

from .conftest import PAGES, ROOT, UNIT_PAGE_PARAMS, open_app, tables

ALL_PAGES = {**PAGES, "import": "pages/import_data.py"}

# ---------------------------------------------------------------------------------------------------------------------
# The vocabulary, derived from the translation table and the warehouse

_WORD = re.compile(r"[^\W\d_]+")
_VI_LETTERS = set("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ")
# English words a Vietnamese page could leak from Streamlit's widgets or from raw data; those that are also
# Vietnamese words in TEXT are dropped when the vocabulary is built.
COMMON_ENGLISH = frozenset({
    "the", "and", "of", "to", "in", "for", "with", "from", "by", "or", "not", "no", "all", "none", "any", "per",
    "this", "that", "these", "is", "are", "was", "be", "it", "its", "rate", "rates", "household", "households",
    "poor", "target", "targets", "goal", "download", "upload", "data", "file", "files", "drag", "drop", "browse",
    "limit", "choose", "option", "options", "select", "clear", "search", "results", "published", "assumption",
    "demo", "dataset", "review", "source", "kind", "key", "value", "points", "pts", "year", "years", "district",
    "commune", "province", "seed", "built", "generator", "requested", "inputs", "yes", "true", "false",
})
# Markup and identifiers that are not words of either language: Streamlit's icon and badge directives, code spans,
# file names and web domains (a source such as baodantoc.vn, a boundary file such as baclieu_communes.geojson).
_NOT_WORDS = [
    re.compile(r":material/[a-z_]+:"),
    re.compile(r":[a-z]+-badge\["),
    re.compile(r"\b[\w.-]+\.(?:csv|xlsx|xls|geojson|json|duckdb|py)\b"),
    re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|org|net|io)\b"),
    re.compile(r"https?://\S+"),
]
_HOVER_MARKUP = re.compile(r"%\{[^}]*\}|</?(?:br|b|i|extra|span)[^>]*>")


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes (`dashboard.importing.literal`)


def as_read(text: str) -> str:
    """`text` as the reader sees it: Markdown escapes resolved, invisible word joiners dropped."""
    return _ESCAPED.sub(r"\1", text).replace("\u2060", "")


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (NFC), without markup and identifiers that belong to no language."""
    text = unicodedata.normalize("NFC", as_read(text))
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    return [w.lower() for w in _WORD.findall(text)]


def has_vietnamese_letters(word: str) -> bool:
    return any(c in _VI_LETTERS for c in word)


@dataclass(frozen=True)
class Vocabulary:
    """Words each language's pages must not show, and words allowed on both (place names)."""

    foreign: dict[str, frozenset[str]]  # page language → words of the other language
    allowed: frozenset[str]  # place names, and words the two languages share in TEXT
    keys: frozenset[str]
    key_pattern: re.Pattern[str]
    years: tuple[int, ...]

    def allowing(self, text: str) -> Vocabulary:
        """The same vocabulary with the words of `text` allowed (a file's own headers and values, quoted back)."""
        return replace(self, allowed=self.allowed | frozenset(words(text)))

    def foreign_words(self, text: str, lang: Lang) -> list[str]:
        found = []
        for word in words(text):
            if word in self.allowed:
                continue
            if word in self.foreign[lang] or (lang == "en" and has_vietnamese_letters(word)):
                found.append(word)
        return found


def _text_words(lang: Lang) -> set[str]:
    """The words of every `TEXT` value in `lang`, placeholders (`{kind}`) left out."""
    return {w for entry in TEXT.values() for w in words(re.sub(r"\{[^}]*\}", " ", entry[lang]))}


def build_vocabulary(place_names: list[str], years: list[int]) -> Vocabulary:
    vi, en = _text_words("vi"), _text_words("en")
    places = {w for name in place_names for w in words(name)}
    vi_only = {w for w in vi - en - places if len(w) > 1}
    en_only = {w for w in en - vi - places if len(w) > 1} | (COMMON_ENGLISH - vi - places)
    prefixes = sorted({key.split(".")[0] for key in TEXT})
    key_pattern = re.compile(rf"\b(?:{'|'.join(prefixes)})\.[a-z_]+(?:\.[a-z_]+)*\b")
    # Words both languages use in TEXT ("Khmer", "CSV", "NĐ", "Open SDG") are shared; place names are names.
    return Vocabulary(foreign={"vi": frozenset(en_only), "en": frozenset(vi_only)},
                      allowed=frozenset((vi & en) | places), keys=frozenset(TEXT), key_pattern=key_pattern,
                      years=tuple(years))


# ---------------------------------------------------------------------------------------------------------------------
# What a page shows


@dataclass(frozen=True)
class Shown:
    where: str
    text: str


# Proto fields that hold text drawn on the page (or read out: help tooltips, metric help, alt texts). Ids, icons,
# formats, URLs, file names of downloads and the plotly spec (read apart) are not text.
_TEXT_FIELDS = frozenset({"label", "body", "delta", "help", "placeholder", "options", "content", "title",
                          "raw_value", "raw_values", "delta_description", "alt"})


def _proto_texts(message, where: str) -> Iterator[Shown]:
    for field, value in message.ListFields():
        if field.type == field.TYPE_MESSAGE:
            for item in [value] if hasattr(value, "ListFields") else value:
                yield from _proto_texts(item, f"{where}.{field.name}")
        elif field.type == field.TYPE_STRING and field.name in _TEXT_FIELDS:
            for item in [value] if isinstance(value, str) else value:
                if item.strip():
                    yield Shown(f"{where}.{field.name}", item)


def _walk(node, where: str) -> Iterator[Shown]:
    kind = getattr(node, "type", type(node).__name__)
    here = f"{where}/{kind}"
    if kind in ("dataframe", "table"):  # a grid (`st.dataframe`) or a static table (`st.table`)
        frame: pd.DataFrame = node.value
        # A missing cell is drawn as the grid's placeholder, "None" unless the app gives one (a static table has none).
        missing = node.proto.placeholder if kind == "dataframe" and node.proto.HasField("placeholder") else "None"
        for column in frame.columns:
            yield Shown(f"{here}.column", str(column))
        # A link column shows its fixed `display_text`, never the address behind it (dashboard/download.py)
        configs = json.loads(node.proto.columns or "{}") if kind == "dataframe" else {}
        shown_as = {name: c["type_config"]["display_text"] for name, c in configs.items()
                    if c.get("type_config", {}).get("type") == "link" and c["type_config"].get("display_text")}
        for column in frame.columns:
            for cell in frame[column]:
                text = missing if pd.isna(cell) else shown_as.get(str(column), str(cell))
                yield Shown(f"{here}[{column}]", text)
        if kind == "table":  # its other texts (`alt`, read out by a screen reader)
            yield from _proto_texts(node.proto, here)
        return
    if kind == "plotly_chart":
        yield from plotly_texts(json.loads(node.proto.spec), here)
        return
    if kind == "html":  # CSS for the upload box: the texts it draws are its `content:` strings
        for text in re.findall(r'content:\s*"([^"]*)"', node.proto.body):
            yield Shown(f"{here}.css", text)
        return
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ListFields"):
        yield from _proto_texts(proto, here)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child, here)


def plotly_texts(spec: dict, where: str) -> Iterator[Shown]:
    """Titles, axis titles, tick affixes, annotations, trace names, bar texts, custom data and hover templates."""
    layout = spec.get("layout", {})

    def title(obj: object) -> str | None:
        if isinstance(obj, dict):
            obj = obj.get("text")
        return obj if isinstance(obj, str) else None

    for name, part in layout.items():
        if isinstance(part, dict) and (name.startswith(("xaxis", "yaxis", "coloraxis")) or name == "legend"):
            for text in (title(part.get("title")), part.get("ticksuffix"), part.get("tickprefix"),
                         title(part.get("colorbar", {}).get("title"))):
                if text and text.strip():
                    yield Shown(f"{where}.layout.{name}", text)
    if title(layout.get("title")):
        yield Shown(f"{where}.layout.title", title(layout["title"]))
    for note in layout.get("annotations", []):
        if note.get("text"):
            yield Shown(f"{where}.layout.annotation", note["text"])
    for i, trace in enumerate(spec.get("data", [])):
        here = f"{where}.trace{i}"
        if trace.get("name") and trace.get("showlegend", True) is not False:
            yield Shown(f"{here}.name", trace["name"])
        template = trace.get("hovertemplate")
        if isinstance(template, str):
            yield Shown(f"{here}.hovertemplate", _HOVER_MARKUP.sub(" ", template))
        for key in ("text", "hovertext", "x", "y", "labels"):
            yield from (Shown(f"{here}.{key}", v) for v in _strings(trace.get(key)))
        yield from (Shown(f"{here}.customdata", v) for v in _strings(trace.get("customdata")))
        colorbar = trace.get("colorbar") or trace.get("marker", {}).get("colorbar") or {}
        if title(colorbar.get("title")):
            yield Shown(f"{here}.colorbar", title(colorbar["title"]))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def shown_texts(at: AppTest) -> list[Shown]:
    """Everything the run tells the browser to show (main area, sidebar, and the event area, where style sheets go),
    plus the navigation's page names."""
    found = [shown for block in at._tree.children.values() for shown in _walk(block, "")]
    found += [Shown("navigation", info["page_name"]) for info in at._registered_pages.values()]
    return found


def figures(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


# ---------------------------------------------------------------------------------------------------------------------
# The rules


_SNAKE = re.compile(r"(?<![\w.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_RAW_VALUES = {"nan", "none", "null", "<na>", "nat", "true", "false"}
# Numbers in the other language's format: a decimal point or thousands comma on Vietnamese pages (5.09, 1,234),
# a decimal comma or thousands dot on English pages (4,35, 1.234).
_WRONG_NUMBER = {
    "vi": [re.compile(r"(?<![\w.,])\d+\.\d{1,2}(?![\w.,]*\d)"), re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?!\d)")],
    "en": [re.compile(r"(?<![\w.,])\d+,\d{1,2}(?!\d)"), re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?!\d)")],
}


def problems(shown: list[Shown], lang: Lang, vocabulary: Vocabulary) -> list[str]:
    """Every rule a shown text breaks, as readable lines (`where: what — text`)."""
    out: list[str] = []
    year = re.compile(rf"(?<![\d.,])(?:{'|'.join(f'{y // 1000}[.,]{y % 1000:03d}' for y in vocabulary.years)})"
                      r"(?!\d)")
    for item in shown:
        text = as_read(item.text)
        clean = text
        for pattern in _NOT_WORDS:
            clean = pattern.sub(" ", clean)
        stripped = text.strip()
        if stripped in vocabulary.keys or vocabulary.key_pattern.search(clean):
            out.append(f"{item.where}: raw translation key — {text!r}")
        if stripped.lower() in _RAW_VALUES:
            out.append(f"{item.where}: raw value — {text!r}")
        snake = _SNAKE.findall(clean)
        if snake:
            out.append(f"{item.where}: raw identifier {snake} — {text!r}")
        foreign = vocabulary.foreign_words(text, lang)
        if foreign:
            out.append(f"{item.where}: {'English' if lang == 'vi' else 'Vietnamese'} words {foreign} — {text!r}")
        for pattern in _WRONG_NUMBER[lang]:
            wrong = pattern.findall(clean)
            if wrong:
                out.append(f"{item.where}: number not in the {lang} format {wrong} — {text!r}")
        if year.search(clean):
            out.append(f"{item.where}: a year written with a thousands separator — {text!r}")
    return out


def table_problems(at: AppTest) -> list[str]:
    """Numbers a table leaves to the browser to format: floats, and whole numbers of 10,000 or more (the browser
    writes them in its own locale's format, whatever the page's language). Years, ranks and positions may stay
    numbers."""
    out = []
    for i, table in enumerate(tables(at)):
        for column in table.value.columns:
            values = table.value[column]
            if pd.api.types.is_float_dtype(values):
                out.append(f"table {i} column {column!r}: floats left to the browser to format")
            elif pd.api.types.is_integer_dtype(values) and bool((values.abs() >= 10_000).any()):
                out.append(f"table {i} column {column!r}: large whole numbers left to the browser to format")
    return out


# Choice boxes that keep typing-to-search (64 communes; the drivers page's places: the selection, 7 districts and 64
# communes): Streamlit's "No results" shows only after a typed name that matches none. Everywhere else the lists are
# short and typing is off.
SEARCHABLE = frozenset({"map_commune", "filter_commune", "filter_compare"})


def widget_problems(at: AppTest) -> list[str]:
    """Choice boxes that can show Streamlit's own English: a multiselect's "Select all", a search's "No results"."""
    from streamlit.elements.lib.options_selector_utils import ProtoSelectWidgetFilterMode as FilterMode

    out = []
    for box in [*at.get("multiselect"), *at.get("selectbox")]:
        if box.type == "multiselect" and box.proto.select_all != 0:
            out.append(f"{box.type} {box.key}: Streamlit's 'Select all' in its list")
        if box.proto.filter_mode != FilterMode.FILTER_MODE_NONE and box.key not in SEARCHABLE:
            out.append(f"{box.type} {box.key}: typing can show Streamlit's 'No results'")
    return out


def figure_problems(at: AppTest, lang: Lang) -> list[str]:
    want = ",." if lang == "vi" else ".,"
    return [f"figure {i}: number separators {fig.get('layout', {}).get('separators')!r}, not {want!r}"
            for i, fig in enumerate(figures(at)) if fig.get("layout", {}).get("separators") != want]


# ---------------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def vocabulary(warehouse: Path) -> Vocabulary:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        # both unit sets (a current unit has no district)
        names = [n for row in con.execute("SELECT commune_name, district_name FROM units").fetchall() for n in row
                 if n is not None]
        years = [y for (y,) in con.execute("SELECT DISTINCT year FROM reviews ORDER BY year").fetchall()]
    finally:
        con.close()
    return build_vocabulary(names + ["Bạc Liêu", "Cà Mau"], years)


@pytest.fixture
def open_page(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`open_page(page, **params)`: a new session on `/<page>?<params>`, with the import page allowed (as for an
    analyst running the app locally), so it is listed and rendered like the others."""
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "1")

    def open_(page: str, **params: str | list[str]) -> AppTest:
        return open_app(page, ALL_PAGES, **{**UNIT_PAGE_PARAMS.get(page, {}), **params})

    return open_


def rerun(at: AppTest) -> AppTest:
    """Run again after a widget change, through `app.py` as a browser's rerun goes.

    AppTest starts every run in Streamlit's old `pages/`-folder mode; on a page other than the first it then runs the
    page file alone, without `app.py` (no sidebar, no navigation). Forgetting the view makes the page send the run
    through `app.py` (`dashboard.context`), which rebuilds the view from the widgets' state, as in a browser.
    """
    if "_filters" in at.session_state:
        del at.session_state["_filters"]
    return at.run()


def _report(found: list[str]) -> str:
    return "\n".join(found[:60]) + (f"\n… and {len(found) - 60} more" if len(found) > 60 else "")


# ---------------------------------------------------------------------------------------------------------------------
# Tests


# The default view, a narrow one in the baseline year (no status yet, small or empty groups: missing values), and
# the former units' view.
# The default view is in the current units (2025 is filed in them); the former units' view of 2025 adds its coverage.
VIEWS = {"default": {}, "narrow-2021": {"year": "2021", "district": "956", "area": "urban", "group": "khmer"},
         "former-2025": {"units": "former"}}


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(ALL_PAGES))
def test_every_page_speaks_one_language(open_page, vocabulary, page, lang, view):
    at = open_page(page, lang=lang, **VIEWS[view])
    assert not at.exception, at.exception
    shown = shown_texts(at)
    assert len(shown) > 20, "the page drew almost nothing: the check would be empty"
    found = problems(shown, lang, vocabulary) + table_problems(at) + figure_problems(at, lang) + widget_problems(at)
    assert not found, _report(found)


@pytest.mark.parametrize("lang", LANGS)
def test_a_commune_on_the_map_speaks_the_page_language(open_page, vocabulary, lang):
    """The map's commune details (series, 12-indicator bars, breakdown table) appear only after a choice."""
    at = open_page("map", lang=lang, year="2024")
    at.selectbox(key="map_commune").set_value("31837")
    rerun(at)
    assert not at.exception
    assert len(figures(at)) == 3
    found = problems(shown_texts(at), lang, vocabulary) + table_problems(at) + figure_problems(at, lang)
    assert not found, _report(found)


def _review_file(problem: str) -> str:
    """A small review file as CSV text: bad cells in two rows, or no header row at all (a problem of the file)."""
    from tests.ingest.conftest import LAYOUT, review_rows

    if problem == "file":
        return "a,b\n1,2\n"
    rows = review_rows(6, prefix="L", year=2025)
    rows[2][LAYOUT["members"]] = 0
    rows[3][LAYOUT["commune_code"]] = "99999"
    return pd.DataFrame(rows).assign(**{"Họ và tên chủ hộ": "Nguyễn Văn A"}).to_csv(index=False)  # a dropped column


@pytest.mark.parametrize("problem", ["rows", "file"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_import_report_speaks_the_page_language(open_page, vocabulary, lang, problem):
    """A file with problems: its counts, notes, problem table and buttons are in the page's language. Words of the
    file itself (its column headers and values, quoted back to say which cell is wrong) are allowed."""
    data = _review_file(problem)
    at = open_page("import", lang=lang)
    at.file_uploader[0].set_value(("xa_thu.csv", data.encode(), "text/csv"))
    rerun(at)
    assert not at.exception, at.exception
    assert at.dataframe, "the file's problems are listed"
    found = problems(shown_texts(at), lang, vocabulary.allowing(data)) + table_problems(at)
    assert not found, _report(found)


def _label(box) -> str:
    """The option label a select box stands on (AppTest gives no index for a chosen `None`, e.g. "— none —")."""
    return box.proto.options[box.index if box.index is not None else box.proto.default]


def test_switching_language_relabels_every_choice_box(open_page):
    """A select box shows the label the browser last received: after a language switch, each one whose label
    changed must be sent its new label, or it keeps showing the old language ("Tất cả" on an English page)."""
    at = open_page("map", group="minority")  # group, metric and the (empty) commune choice have translated labels
    before = {box.key: _label(box) for box in at.selectbox}
    at.button_group(key="filter_lang").set_value("en")
    rerun(at)
    assert not at.exception
    changed = 0
    for box in at.selectbox:
        shown = _label(box)
        if box.key in before and before[box.key] != shown:
            changed += 1
            # A chosen `None` is sent as "nothing chosen": the browser then shows the placeholder.
            sent = box.proto.raw_value if box.value is not None else box.proto.placeholder
            assert box.proto.set_value and sent == shown, (
                f"{box.key}: the browser keeps {before[box.key]!r}, the page now says {shown!r}")
    assert changed == 3, "group, metric and commune boxes change their labels with the language"
    at.selectbox(key="filter_year").set_value(2024)
    rerun(at)
    assert not any(box.proto.set_value for box in at.selectbox if box.key != "filter_year"), (
        "without a language switch, boxes are left alone")


def test_every_page_in_the_menu_has_a_translated_title():
    for entry in registered_pages(True):
        assert entry.title_key in TEXT


# The checker itself: each kind of defect the issue names is caught, and clean text passes.
@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Drag and drop files here"),
    ("vi", "200MB per file • CSV, XLSX"),
    ("vi", "Browse files"),
    ("vi", "Tỷ lệ nghèo 5.09 %"),
    ("vi", "1,234 hộ"),
    ("vi", "Kind: published"),
    ("en", "Tất cả"),
    ("en", "Kế hoạch UBND tỉnh Bạc Liêu 09/2022"),
    ("en", "Poor rate 4,35 %"),
    ("en", "20.490 households"),
    ("en", "year 2.021"),
    ("en", "reduction_points"),
    ("en", "built_at"),
    ("vi", "overview.poor_rate"),
    ("vi", "status.nan"),
    ("en", "col.x"),
    ("vi", "nan"),
])
def test_the_checker_catches(vocabulary, lang, text):
    assert problems([Shown("sample", text)], lang, vocabulary)


@pytest.mark.parametrize(("lang", "text"), [
    ("vi", "Tỷ lệ hộ nghèo 5,09 % · 1.234 hộ · năm 2021"),
    ("en", "Poor rate 5.09 % · 1,234 households · 2021 · Huyện Đông Hải, Xã Vĩnh Trạch Đông"),
    ("en", "Decree 07/2021/NĐ-CP; review results published by baodantoc.vn"),
    ("vi", "Ranh giới: baclieu_communes.geojson (đơn giản hóa cho trình duyệt)"),
])
def test_the_checker_passes_clean_text(vocabulary, lang, text):
    assert not problems([Shown("sample", text)], lang, vocabulary)


@pytest.mark.parametrize("lang", LANGS)
def test_the_method_page_shows_stored_ids_and_values_in_words(open_page, raw, warehouse, lang):
    """Dimensions, target and calibration kinds, standards and the warehouse's description, against the warehouse."""
    tr = Translator(lang)
    at = open_page("method", lang=lang)

    def table(column: str) -> pd.DataFrame:
        """The one table with this column."""
        (frame,) = [t.value for t in at.dataframe if column in t.value.columns]
        return frame

    indicators = raw["indicators"].sort_values(["standard_id", "position"])
    shown = table(tr("col.dimension"))
    assert list(shown[tr("col.dimension")]) == [tr(f"dimension.{d}") for d in indicators["dimension"]]
    assert list(shown[tr("col.standard")]) == ["2022–2025"] * 12

    targets = raw["targets"].sort_values(["scope", "year", "kind"]).reset_index(drop=True)
    shown = table(tr("col.target"))
    assert list(shown[tr("col.kind")]) == [tr(f"target_kind.{k}") for k in targets["kind"]]
    step_2022 = shown[(shown[tr("col.year")] == 2022)
                      & (shown[tr("col.target")] == tr.label(targets.query("scope == 'province'").iloc[0]))]
    def with_unit(rows: pd.DataFrame) -> list[str]:
        return [f"{v} {u}" for v, u in zip(rows[tr("col.value")], rows[tr("col.unit")], strict=True)]

    assert with_unit(step_2022) == [{"vi": "1,5 điểm %", "en": "1.5 points"}[lang]]
    step_2023 = shown[(shown[tr("col.year")] == 2023) & (shown[tr("col.kind")] == tr("target_kind.reduction_points"))]
    assert set(with_unit(step_2023)) == {{"vi": "1,0 điểm %", "en": "1.0 point"}[lang]}
    income = shown[shown[tr("col.kind")] == tr("target_kind.ratio_min")]
    assert with_unit(income) == [{"vi": "2,0 lần chuẩn nghèo", "en": "2.0 × the line"}[lang]]
    assert set(shown[tr("col.source")]) == {tr("ref.source.plan_2022")}

    standards = table(tr("col.legal_basis"))
    assert list(standards[tr("col.legal_basis")]) == [{"vi": "Nghị định", "en": "Decree"}[lang] + " 07/2021/NĐ-CP"]

    calibration = table(tr("col.average_rate"))
    assert list(calibration[tr("col.kind")]) == [tr("calibration_kind.published")] * 2 + [
        tr("calibration_kind.assumption")] * 3

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    about = dict(table(tr("col.item")).to_numpy().tolist())
    assert about == {
        tr("meta.dataset"): tr("meta.dataset.demo"),
        tr("meta.built_at"): tr.timestamp(meta["built_at"]),
        tr("meta.households_requested"): {"vi": "20.000", "en": "20,000"}[lang],
        tr("meta.seed"): meta["seed"],
    }, "internal keys (build_inputs, generator) are not shown"


def test_unknown_meta_keys_and_kinds_never_show_raw():
    from dashboard.reference import meta_table

    tr = Translator("en")
    frame = pd.DataFrame({"key": ["dataset", "future_key", "built_at", "imported_years", "last_import_at"],
                          "value": ["reviews", "x_y", "2026-03-01T08:05:00+00:00", "2024,2025",
                                    "2026-03-02T10:00:00+07:00"]})
    assert meta_table(frame, tr).to_dict("records") == [
        {"Item": "Data", "Value": "Imported review results"},
        {"Item": "Warehouse built", "Value": "1 Mar 2026, 08:05 UTC"},
        {"Item": "Last import", "Value": "2 Mar 2026, 03:00 UTC"},
        {"Item": "Years with imported data", "Value": "2024, 2025"},
    ]
    assert meta_table(frame.assign(value=frame["value"].where(frame["key"] != "dataset", "odd")), tr)["Item"].tolist()[
        0] == "Warehouse built", "a dataset kind without wording is left out"


def test_every_reference_value_has_words_in_both_languages():
    """The values the method page translates, as the reference files hold them: a new one needs its TEXT entry."""
    from dashboard.reference import has_translation

    reference = ROOT / "data" / "reference"
    indicators = pd.read_csv(reference / "indicators.csv")
    targets = pd.read_csv(reference / "targets.csv")
    scenario = pd.read_csv(reference / "scenario.csv")
    standards = pd.read_csv(reference / "standards.csv")
    keys = ({f"dimension.{d}" for d in indicators["dimension"]} | {f"target_kind.{k}" for k in targets["kind"]}
            | {f"calibration_kind.{k}" for k in scenario["kind"]})
    assert keys <= set(TEXT), sorted(keys - set(TEXT))
    texts = set(targets["source"]) | set(scenario["source"]) | set(standards["legal_basis"])
    assert all(has_translation(t) for t in texts), sorted(t for t in texts if not has_translation(t))
