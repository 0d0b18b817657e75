"""The translation table (Vietnamese first, English second) and number formatting.

Every user-visible string of the app is a key of `TEXT`; `Translator(lang)(key, **values)` returns it in the
chosen language with `str.format` placeholders filled. Numbers: Vietnamese uses `.` for thousands and `,` for
decimals (1.234,5); English the reverse (1,234.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

Lang = Literal["vi", "en"]
LANGS: Final[tuple[Lang, ...]] = ("vi", "en")
MISSING: Final = "—"

TEXT: Final[dict[str, dict[str, str]]] = {
    # app frame
    "app.title": {"vi": "Vì người nghèo – Không để ai bị bỏ lại phía sau",
                  "en": "For the poor – leave no one behind"},
    "app.subtitle": {"vi": "Theo dõi giảm nghèo tỉnh Bạc Liêu 2021–2025",
                     "en": "Tracking poverty reduction in Bạc Liêu province, 2021–2025"},
    "app.no_warehouse": {"vi": "Chưa có kho dữ liệu tại {path}. Hãy tạo bằng lệnh `python -m data.build`.",
                         "en": "No warehouse at {path}. Build it with `python -m data.build`."},
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.trajectories": {"vi": "Xu hướng", "en": "Trajectories"},
    "page.map": {"vi": "Bản đồ xã", "en": "Commune map"},
    "page.ranking": {"vi": "Xếp hạng thi đua", "en": "Emulation ranking"},
    "page.method": {"vi": "Phương pháp & dữ liệu", "en": "Method & data"},
    # demo notice
    "demo.notice": {
        "vi": "**Dữ liệu minh họa, không phải số liệu thật.** Các huyện, xã, hộ gia đình đều được mô phỏng. Chỉ những "
              "số liệu toàn tỉnh ghi “published” trong bảng hiệu chỉnh là số liệu đã công bố ({published}); mọi con số "
              "khác là giả định của bộ dữ liệu mẫu (xem trang Phương pháp & dữ liệu).",
        "en": "**Demo data, not real figures.** Districts, communes and households are simulated. Only the province "
              "figures marked “published” in the calibration table are published facts ({published}); every other "
              "number is an assumption of the demo dataset (see the Method & data page).",
    },
    "demo.published_item": {"vi": "{year}: {source}", "en": "{year}: {source}"},
    # filters
    "filter.header": {"vi": "Bộ lọc", "en": "Filters"},
    "filter.lang": {"vi": "Ngôn ngữ", "en": "Language"},
    "filter.district": {"vi": "Huyện, thị xã, thành phố", "en": "District"},
    "filter.district_all": {"vi": "Tất cả (toàn tỉnh)", "en": "All (whole province)"},
    "filter.area": {"vi": "Khu vực", "en": "Area"},
    "filter.group": {"vi": "Nhóm dân tộc", "en": "Ethnic group"},
    "filter.year": {"vi": "Năm rà soát", "en": "Review year"},
    "filter.metric": {"vi": "Chỉ tiêu trên bản đồ", "en": "Map metric"},
    "filter.link_hint": {"vi": "Địa chỉ trang (URL) giữ các bộ lọc: sao chép để chia sẻ đúng góc nhìn này.",
                         "en": "The page address (URL) keeps the filters: copy it to share this exact view."},
    "area.all": {"vi": "Tất cả", "en": "All"},
    "area.urban": {"vi": "Thành thị", "en": "Urban"},
    "area.rural": {"vi": "Nông thôn", "en": "Rural"},
    "group.all": {"vi": "Tất cả", "en": "All"},
    "group.kinh": {"vi": "Kinh", "en": "Kinh"},
    "group.minority": {"vi": "Dân tộc thiểu số", "en": "Ethnic minorities"},
    "group.khmer": {"vi": "Khmer", "en": "Khmer"},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "lang.en": {"vi": "English", "en": "English"},
    "notice.dropped": {"vi": "Đã bỏ qua tham số không hợp lệ trong đường dẫn: {items}.",
                       "en": "Ignored invalid link parameters: {items}."},
    "notice.unknown_param": {"vi": "tham số lạ {name}", "en": "unknown parameter {name}"},
    "notice.bad_value": {"vi": "{name} = {value}", "en": "{name} = {value}"},
    "scope.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "scope.selection": {"vi": "Phạm vi đã chọn", "en": "Selection"},
    "scope.describe": {"vi": "Phạm vi: {districts} · {area} · {group} · năm {year}",
                       "en": "Scope: {districts} · {area} · {group} · {year}"},
    # metrics on the map
    "metric.poor_rate": {"vi": "Tỷ lệ hộ nghèo (%)", "en": "Poor rate (%)"},
    "metric.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo (%)", "en": "Near-poor rate (%)"},
    "metric.change_since_baseline": {"vi": "Thay đổi tỷ lệ nghèo so với 2021 (điểm %)",
                                     "en": "Change in poor rate since 2021 (points)"},
    "metric.poor_households": {"vi": "Số hộ nghèo", "en": "Poor households"},
    # status
    "status.achieved": {"vi": "Đã đạt mục tiêu", "en": "Target achieved"},
    "status.on_track": {"vi": "Đúng tiến độ", "en": "On track"},
    "status.needs_acceleration": {"vi": "Cần đẩy nhanh", "en": "Needs acceleration"},
    "status.limited_progress": {"vi": "Tiến bộ hạn chế", "en": "Limited progress"},
    "status.getting_worse": {"vi": "Đang xấu đi", "en": "Getting worse"},
    "status.none": {"vi": "Năm gốc (chưa có yêu cầu giảm)", "en": "Baseline year (no reduction required yet)"},
    "status.no_data": {"vi": "Không có hộ trong phạm vi", "en": "No households in scope"},
    # units and number words
    "unit.points": {"vi": "điểm %", "en": "pts"},
    "unit.households": {"vi": "hộ", "en": "households"},
    "unit.times_line": {"vi": "lần chuẩn nghèo", "en": "× the line"},
    # overview
    "overview.headline": {"vi": "Hộ nghèo và cận nghèo năm {year}", "en": "Poor and near-poor households, {year}"},
    "overview.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor rate"},
    "overview.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor rate"},
    "overview.vs_previous": {"vi": "so với năm trước", "en": "vs previous year"},
    "overview.since_baseline": {"vi": "Thay đổi từ 2021", "en": "Change since 2021"},
    "overview.target_for_year": {"vi": "Mục tiêu năm {year}", "en": "Target for {year}"},
    "overview.target_help": {
        "vi": "Lộ trình: tỷ lệ năm 2021 giảm 1,5 điểm % năm 2022, rồi 1 điểm %/năm; mục tiêu cuối: dưới {ceiling} "
              "năm {final_year} (hoặc mức cuối lộ trình nếu cao hơn).",
        "en": "Path: the 2021 rate minus 1.5 points in 2022, then 1 point a year; final goal: under {ceiling} by "
              "{final_year} (or the path's end if higher).",
    },
    "overview.status": {"vi": "Đánh giá", "en": "Status"},
    "overview.households_line": {"vi": "{poor} hộ nghèo, {near} hộ cận nghèo trên {total} hộ được rà soát.",
                                 "en": "{poor} poor and {near} near-poor households of {total} reviewed."},
    "overview.districts": {"vi": "Tình hình các huyện năm {year}", "en": "Districts at a glance, {year}"},
    "overview.other_targets": {"vi": "Các chỉ tiêu khác của kế hoạch, năm {year}",
                               "en": "The plan's other targets, {year}"},
    "overview.other_targets_note": {
        "vi": "Mỗi chỉ tiêu có nhóm hộ riêng; bộ lọc huyện, khu vực và dân tộc thu hẹp thêm nhóm đó.",
        "en": "Each target has its own population; the district, area and group filters narrow it further.",
    },
    "overview.value": {"vi": "Giá trị", "en": "Value"},
    "overview.baseline": {"vi": "Năm 2021", "en": "2021"},
    "overview.path": {"vi": "Lộ trình năm {year}", "en": "Path for {year}"},
    "overview.goal": {"vi": "Mục tiêu cuối", "en": "Final goal"},
    "overview.r": {"vi": "R (đạt/yêu cầu)", "en": "R (achieved/required)"},
    "overview.not_applicable": {"vi": "Không áp dụng cho phạm vi đã chọn", "en": "Not applicable to this selection"},
    "target.urban": {"vi": "Hộ nghèo thành thị dưới 1 % (trừ hộ bảo trợ xã hội)",
                     "en": "Urban poor rate under 1 % (excluding social-protection households)"},
    "target.rural": {"vi": "Hộ nghèo nông thôn dưới 2 % (trừ hộ bảo trợ xã hội)",
                     "en": "Rural poor rate under 2 % (excluding social-protection households)"},
    "target.ethnic_minority": {"vi": "Hộ nghèo dân tộc thiểu số giảm 1 điểm %/năm",
                               "en": "Ethnic-minority poor rate down 1 point a year"},
    "target.health_insurance_near_poor": {"vi": "Hộ cận nghèo có BHYT cho mọi thành viên (%)",
                                          "en": "Near-poor households with health insurance for all (%)"},
    "target.income_poor": {"vi": "Thu nhập bình quân của hộ nghèo năm 2021 so với chuẩn nghèo",
                           "en": "Income of households poor in 2021 relative to the poverty line"},
    # table columns
    "col.district": {"vi": "Huyện", "en": "District"},
    "col.commune": {"vi": "Xã, phường, thị trấn", "en": "Commune"},
    "col.code": {"vi": "Mã", "en": "Code"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.households": {"vi": "Số hộ rà soát", "en": "Households reviewed"},
    "col.poor_households": {"vi": "Hộ nghèo", "en": "Poor households"},
    "col.near_poor_households": {"vi": "Hộ cận nghèo", "en": "Near-poor households"},
    "col.poor_rate": {"vi": "Tỷ lệ nghèo (%)", "en": "Poor rate (%)"},
    "col.near_poor_rate": {"vi": "Tỷ lệ cận nghèo (%)", "en": "Near-poor rate (%)"},
    "col.baseline_rate": {"vi": "Tỷ lệ nghèo 2021 (%)", "en": "2021 poor rate (%)"},
    "col.path_rate": {"vi": "Lộ trình (%)", "en": "Target path (%)"},
    "col.change_since_baseline": {"vi": "Thay đổi từ 2021 (điểm %)", "en": "Change since 2021 (pts)"},
    "col.reduction_required": {"vi": "Giảm cần đạt (điểm %)", "en": "Reduction required (pts)"},
    "col.reduction_achieved": {"vi": "Đã giảm (điểm %)", "en": "Reduction achieved (pts)"},
    "col.ratio": {"vi": "R = đã giảm / cần giảm", "en": "R = achieved / required"},
    "col.status": {"vi": "Đánh giá", "en": "Status"},
    "col.rank": {"vi": "Hạng", "en": "Rank"},
    "col.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.goal": {"vi": "Mục tiêu", "en": "Goal"},
    "col.indicator": {"vi": "Chỉ số thiếu hụt", "en": "Deprivation indicator"},
    "col.share_all": {"vi": "% mọi hộ thiếu hụt", "en": "% of all households deprived"},
    "col.share_poor": {"vi": "% hộ nghèo thiếu hụt", "en": "% of poor households deprived"},
    # downloads
    "download.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "download.xlsx": {"vi": "Tải Excel (XLSX)", "en": "Download Excel (XLSX)"},
    # trajectories
    "traj.title": {"vi": "Xu hướng tỷ lệ hộ nghèo theo huyện", "en": "Poor-rate trajectories by district"},
    "traj.measure": {"vi": "Hiển thị", "en": "Show"},
    "traj.measure.poor": {"vi": "Hộ nghèo", "en": "Poor"},
    "traj.measure.near_poor": {"vi": "Hộ cận nghèo", "en": "Near-poor"},
    "traj.measure.both": {"vi": "Cả hai", "en": "Both"},
    "traj.actual": {"vi": "Thực tế", "en": "Actual"},
    "traj.path": {"vi": "Lộ trình mục tiêu", "en": "Target path"},
    "traj.poor": {"vi": "nghèo", "en": "poor"},
    "traj.near_poor": {"vi": "cận nghèo", "en": "near-poor"},
    "traj.break": {
        "vi": "Đổi chuẩn nghèo: 1,24 % (12/2020, chuẩn 2016–2020) → 5,09 % (cuối 2021, chuẩn đa chiều 2022–2025). "
              "Mức tăng này do thay đổi chuẩn, không phải nghèo tăng; các đường chỉ bắt đầu từ 2021.",
        "en": "Change of standard: 1.24 % (Dec 2020, 2016–2020 standard) → 5.09 % (end-2021, 2022–2025 "
              "multidimensional standard). The jump is the new standard, not a rise in poverty; lines start in 2021.",
    },
    "traj.break_short": {"vi": "Chuẩn mới từ 2021", "en": "New standard from 2021"},
    "traj.axis_rate": {"vi": "Tỷ lệ hộ (%)", "en": "Share of households (%)"},
    "traj.status_table": {"vi": "Đánh giá theo huyện, năm {year}", "en": "Status by district, {year}"},
    "traj.province_line": {"vi": "Đường đậm: toàn tỉnh (hoặc phạm vi đã chọn); nét đứt: lộ trình mục tiêu.",
                           "en": "Bold line: the province (or the selection); dashed: the target path."},
    # map
    "map.title": {"vi": "Bản đồ các xã, phường, thị trấn năm {year}", "en": "Communes, {year}"},
    "map.tiles": {"vi": "Hiện bản đồ nền (cần Internet)", "en": "Show basemap tiles (needs internet)"},
    "map.no_boundaries": {
        "vi": "Không tìm thấy tệp ranh giới: bản đồ hiển thị vòng tròn tại trung tâm mỗi xã (kích thước theo số hộ).",
        "en": "No boundary files found: the map shows circles at commune centres (sized by households).",
    },
    "map.boundary_error": {"vi": "Tệp ranh giới không hợp lệ, dùng vòng tròn thay thế: {error}",
                           "en": "Boundary files are invalid, showing circles instead: {error}"},
    "map.select_commune": {"vi": "Chọn xã để xem chi tiết (hoặc bấm vào bản đồ)",
                           "en": "Choose a commune for details (or click the map)"},
    "map.no_commune": {"vi": "— chưa chọn —", "en": "— none —"},
    "map.commune_series": {"vi": "{commune}: tỷ lệ hộ nghèo và cận nghèo 2021–2025",
                           "en": "{commune}: poor and near-poor rates 2021–2025"},
    "map.breakdown": {"vi": "{commune}: thiếu hụt theo 12 chỉ số, năm {year}",
                      "en": "{commune}: deprivations by the 12 indicators, {year}"},
    "map.no_data": {"vi": "Không có xã nào trong phạm vi đã chọn.", "en": "No commune in the selection."},
    "map.table": {"vi": "Số liệu các xã", "en": "Commune figures"},
    "map.source": {"vi": "Ranh giới: {source}", "en": "Boundaries: {source}"},
    # ranking
    "rank.title": {"vi": "Xếp hạng thi đua năm {year}", "en": "Emulation ranking, {year}"},
    "rank.explain": {
        "vi": "Xếp theo R = mức giảm tỷ lệ nghèo đã đạt ÷ mức giảm cần đạt theo lộ trình riêng của mỗi đơn vị "
              "(tỷ lệ 2021 giảm 1,5 điểm % năm 2022, rồi 1 điểm %/năm, không dưới 0). Đơn vị đã dưới mục tiêu cuối "
              "được xếp đầu.",
        "en": "Ranked by R = reduction in the poor rate achieved ÷ reduction required by each unit's own path "
              "(its 2021 rate minus 1.5 points in 2022, then 1 point a year, not below 0). Units already under "
              "their final goal come first.",
    },
    "rank.districts": {"vi": "Các huyện", "en": "Districts"},
    "rank.communes": {"vi": "Các xã", "en": "Communes"},
    "rank.left_behind": {"vi": "Các xã bị bỏ lại phía sau (chưa đúng tiến độ)",
                         "en": "Communes left behind (off track)"},
    "rank.left_behind_none": {"vi": "Không có xã nào chậm tiến độ.", "en": "No commune is off track."},
    "rank.baseline_year": {"vi": "Năm 2021 là năm gốc: chọn năm từ 2022 để xếp hạng.",
                           "en": "2021 is the baseline year: choose 2022 or later to rank."},
    # method
    "method.title": {"vi": "Phương pháp và dữ liệu", "en": "Method and data"},
}


def _fmt(value: float, decimals: int, lang: Lang) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if value < 0 and text.strip("0.,") else "") + text


def is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def format_number(value: float | None, decimals: int = 0, lang: Lang = "vi") -> str:
    """`1234.5` → `1.234,5` (vi) or `1,234.5` (en); missing values → `—`."""
    if is_missing(value):
        return MISSING
    return _fmt(float(value), decimals, lang)  # type: ignore[arg-type]


def format_percent(value: float | None, decimals: int = 2, lang: Lang = "vi") -> str:
    """`5.09` → `5,09 %` (vi) or `5.09 %` (en)."""
    return MISSING if is_missing(value) else f"{format_number(value, decimals, lang)} %"


def format_points(value: float | None, decimals: int = 2, lang: Lang = "vi") -> str:
    """A signed change in percentage points: `-1.9` → `-1,90 điểm %` (vi) or `-1.90 pts` (en)."""
    if is_missing(value):
        return MISSING
    text = format_number(value, decimals, lang)
    sign = "+" if float(value) > 0 and text.strip("0.,") else ""  # type: ignore[arg-type]
    return f"{sign}{text} {TEXT['unit.points'][lang]}"


@dataclass(frozen=True)
class Translator:
    """Strings and numbers in one language: `tr("page.overview")`, `tr.pct(5.09)`."""

    lang: Lang = "vi"

    def __call__(self, key: str, **values: object) -> str:
        entry = TEXT.get(key)
        if entry is None:
            raise KeyError(f"no translation for {key!r}")
        text = entry[self.lang]
        return text.format(**values) if values else text

    def num(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, decimals, self.lang)

    def pct(self, value: float | None, decimals: int = 2) -> str:
        return format_percent(value, decimals, self.lang)

    def pts(self, value: float | None, decimals: int = 2) -> str:
        return format_points(value, decimals, self.lang)

    def status(self, status: str | None) -> str:
        return self("status.none") if status is None else self(f"status.{status}")

    def label(self, row: object, stem: str = "label") -> str:
        """Pick `label_vi` or `label_en` from a row (mapping or Series) read from the warehouse."""
        return str(row[f"{stem}_{self.lang}"])  # type: ignore[index]
