"""The translation table (Vietnamese first, English second) and number formatting.

Every user-visible string of the app is a key of `TEXT`; `Translator(lang)(key, **values)` returns it in the
chosen language with `str.format` placeholders filled. Numbers: Vietnamese uses `.` for thousands and `,` for
decimals (1.234,5); English the reverse (1,234.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
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
    "app.tab_title": {"vi": "Giảm nghèo Bạc Liêu", "en": "Bạc Liêu poverty reduction"},
    "app.no_warehouse": {"vi": "Chưa có kho dữ liệu. Người quản trị cần tạo bằng lệnh `python -m data.build`.",
                         "en": "There is no warehouse yet. The operator must build it with `python -m data.build`."},
    # anything that fails while a page runs (dashboard.errors): the details are in the server log under {ref}
    "app.error": {"vi": "Đã có lỗi khi hiển thị trang này. Hãy thử lại; nếu lỗi lặp lại, hãy báo cho người quản trị "
                        "kèm mã tham chiếu {ref}.",
                  "en": "Something went wrong while showing this page. Please try again; if it happens again, tell "
                        "the operator the reference {ref}."},
    # a link to a page that does not exist (an outdated or mistyped address): the overview opens instead
    "app.page_not_found": {"vi": "Không có trang nào ở địa chỉ này; đây là trang Tổng quan.",
                           "en": "There is no page at this address; this is the overview."},
    # the sidebar's sign-in control (dashboard.account), shown only where sign-in is configured
    "account.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "account.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "account.signed_in_as": {"vi": "Đã đăng nhập: {who}", "en": "Signed in as {who}"},
    "app.stale_warehouse": {
        "vi": "Kho dữ liệu được tạo bởi phiên bản cũ của ứng dụng. Người quản trị cần tạo lại: `make run` tự tạo lại "
              "kho dữ liệu mẫu; kho có dữ liệu đã nhập thì xuất ra bằng `python -m data.export`, tạo lại rồi nhập lại.",
        "en": "The warehouse was built by an older version of the app. The operator must rebuild it: `make run` "
              "rebuilds the demo warehouse; a warehouse with imported data is exported with `python -m data.export`, "
              "rebuilt and imported again."},
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.trajectories": {"vi": "Xu hướng", "en": "Trajectories"},
    "page.map": {"vi": "Bản đồ xã", "en": "Commune map"},
    "page.ranking": {"vi": "Xếp hạng thi đua", "en": "Emulation ranking"},
    "page.flows": {"vi": "Biến động hộ nghèo", "en": "Poverty flows"},
    "page.drivers": {"vi": "Nguyên nhân nghèo", "en": "Deprivation drivers"},
    "page.commune": {"vi": "Hồ sơ xã", "en": "Commune profile"},
    "page.compare": {"vi": "So sánh địa bàn", "en": "Compare places"},
    "page.method": {"vi": "Phương pháp & dữ liệu", "en": "Method & data"},
    # import page
    "import.title": {"vi": "Nhập kết quả rà soát hằng năm", "en": "Import the annual review"},
    # the import page's address where this session may not write (pages/import_refused.py, data.access.Decision)
    "import.not_available": {"vi": "Máy chủ này không cho phép nhập dữ liệu.",
                             "en": "Importing data is not available on this server."},
    "import.sign_in_first": {"vi": "Chỉ cán bộ có tên trong danh sách được phép mới nhập được dữ liệu, sau khi đăng "
                                   "nhập. Hãy đăng nhập ở thanh bên.",
                             "en": "Only staff on this server's list may import data, after signing in. Sign in in "
                                   "the sidebar."},
    "import.not_on_list": {"vi": "Bạn đã đăng nhập với tài khoản {who}, nhưng tài khoản này không có trong danh sách "
                                 "được phép nhập dữ liệu trên máy chủ này. Hãy đề nghị người quản trị thêm địa chỉ thư "
                                 "điện tử hoặc nhóm của bạn.",
                           "en": "You are signed in as {who}, which is not on this server's list of accounts that may "
                                 "import data. Ask the operator to add your e-mail address or your group."},
    "import.email_unverified": {"vi": "Bạn đã đăng nhập với tài khoản {who}, nhưng nhà cung cấp đăng nhập cho biết địa "
                                      "chỉ thư điện tử này chưa được xác minh, nên không dùng để cấp quyền nhập dữ "
                                      "liệu. Hãy xác minh địa chỉ với nhà cung cấp, hoặc đề nghị người quản trị cấp "
                                      "quyền theo nhóm.",
                                "en": "You are signed in as {who}, but the sign-in provider says this e-mail address "
                                      "is not verified, so it does not grant importing. Verify the address with the "
                                      "provider, or ask the operator to grant access by group."},
    "import.refused_at_load": {"vi": "Chưa nạp: phiên này không còn quyền nhập dữ liệu (ví dụ đã đăng xuất). Không có "
                                     "gì được ghi vào kho dữ liệu.",
                               "en": "Not loaded: this session may no longer import data (signed out, for example). "
                                     "Nothing was written to the warehouse."},
    "import.intro": {
        "vi": "Mỗi xã gửi một tệp CSV hoặc XLSX, mỗi dòng một hộ. Tệp được kiểm tra trước; mặc định, tệp có lỗi "
              "không được nạp dòng nào. Các cột họ tên, số CCCD, địa chỉ, điện thoại bị bỏ qua, không lưu.",
        "en": "Each commune sends a CSV or XLSX file, one row per household. Files are checked first; by default a "
              "file with any error loads nothing. Name, ID number, address and phone columns are dropped, never "
              "stored."},
    "import.template": {"vi": "Tải mẫu XLSX trống", "en": "Download the blank XLSX template"},
    "import.template_units": {"vi": "Mẫu kèm danh sách {units} mà năm rà soát này dùng",
                              "en": "The template lists {units}, the units this review year is filed in"},
    "import.files": {"vi": "Tệp CSV hoặc XLSX", "en": "CSV or XLSX files"},
    # the upload box's own texts, drawn over Streamlit's English ones (dashboard.widgets)
    "import.upload_button": {"vi": "Chọn tệp", "en": "Choose files"},
    "import.upload_limit": {"vi": "Tối đa {size} MB mỗi tệp • {types}", "en": "Up to {size} MB per file • {types}"},
    "import.upload_refused": {"vi": "không nhận: quá {size} MB hoặc không phải {types}",
                              "en": "not taken: over {size} MB, or not {types}"},
    "import.drop_here": {"vi": "Thả tệp vào đây", "en": "Drop the files here"},
    "import.year": {"vi": "Năm rà soát (nếu tệp không có cột Năm)",
                    "en": "Review year (if the file has no year column)"},
    "import.accept_valid": {"vi": "Nạp các dòng hợp lệ, bỏ qua các dòng lỗi",
                            "en": "Load the valid rows and reject the others"},
    "import.file_counts": {"vi": "{rows} dòng; {problems} lỗi", "en": "{rows} rows; {problems} problems"},
    "import.headers": {"vi": "Cách đọc các tiêu đề", "en": "How the headers were read"},
    "import.rejected": {"vi": "Tải các dòng bị loại (kèm lý do)", "en": "Download the rejected rows (with reasons)"},
    "import.duplicate": {"vi": "Cùng nội dung với tệp {first}: không kiểm tra lại và không nạp hai lần.",
                         "en": "Same content as {first}: not checked again and never loaded twice."},
    "import.load": {"vi": "Nạp {n} tệp vào kho dữ liệu", "en": "Load {n} file(s) into the warehouse"},
    "import.nothing_loadable": {"vi": "Chưa có tệp nào nạp được: sửa các lỗi trên hoặc chọn nạp các dòng hợp lệ.",
                                "en": "No file can be loaded yet: fix the problems above or load the valid rows."},
    # one writer at a time (data.warehouse.writing): the page waits for another import or a build, then gives up
    "import.waiting": {"vi": "Đang có một lần nhập hoặc tạo kho dữ liệu khác; chờ lần đó xong rồi nạp…",
                       "en": "Another import or build is writing the warehouse; waiting for it to finish…"},
    "import.busy": {"vi": "Một lần nhập hoặc tạo kho dữ liệu khác vẫn đang chạy nên chưa nạp gì. Hãy thử lại sau "
                          "ít phút.",
                    "en": "Another import or build is still running, so nothing was loaded. Try again in a few "
                          "minutes."},
    "import.changed": {"vi": "Kho dữ liệu vừa thay đổi (một lần nhập hoặc tạo kho khác) sau khi kiểm tra nên chưa nạp "
                             "gì. Các tệp đã được kiểm tra lại với dữ liệu mới: xem báo cáo dưới đây rồi bấm nạp lại.",
                       "en": "The warehouse changed after the check (another import or build), so nothing was loaded. "
                             "The files were checked again against the new data: read the report below, then load "
                             "again."},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.row": {"vi": "Dòng", "en": "Row"},
    "col.column": {"vi": "Cột", "en": "Column"},
    "col.expected": {"vi": "Yêu cầu", "en": "Expected"},
    "col.header": {"vi": "Tiêu đề trong tệp", "en": "Header in the file"},
    "col.field": {"vi": "Đọc là", "en": "Read as"},
    "col.how": {"vi": "Cách đọc", "en": "How"},
    # the import report (data.ingest, via data.ingest.messages): what each kind of bad input should be
    "ingest.or": {"vi": " hoặc ", "en": " or "},
    "ingest.encoding_refused": {"vi": "tệp CSV ở UTF-8 hoặc bảng mã có tiếng Việt; tệp CSV ở bảng mã {encoding}, "
                                      "không ghi được tiếng Việt: hãy lưu dưới dạng 'CSV UTF-8' hoặc .xlsx",
                                "en": "a CSV file in UTF-8 or an encoding that holds Vietnamese; the CSV file is in "
                                      "the {encoding} encoding, which cannot hold Vietnamese: save it as 'CSV UTF-8' "
                                      "or as .xlsx"},
    "ingest.encoding_unknown": {"vi": "tệp CSV ở UTF-8 hoặc bảng mã có tiếng Việt; không nhận ra bảng mã của tệp CSV "
                                      "(không phải UTF-8): hãy lưu dưới dạng 'CSV UTF-8' hoặc .xlsx",
                                "en": "a CSV file in UTF-8 or an encoding that holds Vietnamese; the CSV file's "
                                      "encoding cannot be recognised (it is not UTF-8): save it as 'CSV UTF-8' or as "
                                      ".xlsx"},
    "ingest.encoding_broken": {"vi": "tệp CSV ở UTF-8 hoặc bảng mã có tiếng Việt; tệp CSV có vẻ ở bảng mã {encoding} "
                                     "nhưng có phần không đọc được theo bảng mã đó: hãy lưu dưới dạng 'CSV UTF-8' "
                                     "hoặc .xlsx",
                               "en": "a CSV file in UTF-8 or an encoding that holds Vietnamese; the CSV file looks "
                                     "like {encoding} text but part of it cannot be read as {encoding}: save it as "
                                     "'CSV UTF-8' or as .xlsx"},
    "ingest.utf8_broken": {"vi": "tệp CSV UTF-8 hợp lệ; dòng {line} có byte {byte} không thuộc UTF-8 (có thể một ô "
                                 "được dán từ bảng mã khác): hãy sửa ô đó hoặc lưu lại dưới dạng 'CSV UTF-8'",
                           "en": "a valid UTF-8 CSV file; line {line} holds byte {byte}, which is not UTF-8 (perhaps a "
                                 "cell pasted from another encoding): fix that cell or save the file again as 'CSV "
                                 "UTF-8'"},
    "ingest.no_header": {"vi": "không tìm thấy dòng tiêu đề: các dòng đầu không có tên cột nào cần có (Mã hộ, Tên "
                               "xã, …)",
                         "en": "no header row found: the first rows name none of the expected columns (Mã hộ, Tên xã, "
                               "…)"},
    "ingest.no_header_sheet": {"vi": "không tìm thấy dòng tiêu đề ở trang tính nào: các dòng đầu không có tên cột nào "
                                     "cần có",
                               "en": "no header row found in any sheet: the first rows name none of the expected "
                                     "columns"},
    "ingest.hidden_header_only": {"vi": "chỉ trang tính ẩn có tiêu đề danh sách hộ ({sheets}): hãy hiện trang cần "
                                        "nhập (Unhide) rồi lưu lại",
                                  "en": "only hidden sheets carry the households' header ({sheets}): unhide the sheet "
                                        "to import and save the file"},
    "ingest.no_rows": {"vi": "các dòng hộ dưới tiêu đề; tệp này không có dòng nào",
                       "en": "household rows under the header; this file has none"},
    "ingest.unreadable_rows": {"vi": "các dòng đọc được dưới dạng giá trị phân cách bằng {delimiter} (có dòng không "
                                     "đọc được, ví dụ dấu ngoặc kép không đóng): hãy mở bằng Excel và lưu lại dưới "
                                     "dạng CSV UTF-8",
                               "en": "rows readable as {delimiter}-separated values (some cannot be read, e.g. an "
                                     "unclosed quote): open the file in Excel and save it as CSV UTF-8"},
    "ingest.not_xlsx": {"vi": "một tệp .xlsx đọc được; tệp này hỏng hoặc là loại tệp khác đổi đuôi: hãy mở bằng "
                              "Excel và lưu lại dưới dạng .xlsx",
                        "en": "a readable .xlsx workbook; this one is damaged or another kind of file renamed: open "
                              "it in Excel and save it as .xlsx"},
    "ingest.check_failed": {"vi": "một tệp kiểm tra được; chương trình gặp lỗi khi kiểm tra tệp này và không nạp gì: "
                                  "hãy gửi tệp cho bộ phận dữ liệu",
                            "en": "a file that can be checked; the importer failed while checking this one and loaded "
                                  "nothing: please send the file to the data team"},
    "ingest.integrity_refused": {"vi": "một tệp giữ kho dữ liệu nhất quán; nạp tệp này sẽ ghi một hộ hoặc một lần rà "
                                       "soát hai lần, hoặc một lần rà soát không có hộ, nên không nạp gì: hãy gửi tệp "
                                       "cho bộ phận dữ liệu",
                                 "en": "a file that keeps the warehouse consistent; loading this one would store a "
                                       "household or a review twice, or a review without its household, so nothing "
                                       "was loaded: please send the file to the data team"},
    "ingest.integrity_stored": {"vi": "một kho dữ liệu nhất quán; kho đang lưu đã vi phạm quy tắc trước khi nạp tệp "
                                      "này ({problems}), nên không nạp gì: hãy báo bộ phận dữ liệu kiểm tra kho",
                                "en": "a consistent warehouse; the stored warehouse already broke a rule before this "
                                      "file ({problems}), so nothing was loaded: please ask the data team to check "
                                      "the warehouse"},
    "ingest.integrity.household_key_twice": {"vi": "{broken} khóa hộ được gán cho nhiều hơn một hộ (khóa {examples})",
                                             "en": "{broken} household key(s) given to more than one household "
                                                   "(keys {examples})"},
    "ingest.integrity.household_id_twice": {"vi": "{broken} mã hộ có ở nhiều hơn một hộ (mã {examples})",
                                            "en": "{broken} household code(s) on more than one household "
                                                  "(codes {examples})"},
    "ingest.integrity.review_twice": {"vi": "{broken} cặp hộ và năm có nhiều hơn một kết quả rà soát (hộ {examples})",
                                      "en": "{broken} (household, year) pair(s) with more than one review "
                                            "(households {examples})"},
    "ingest.integrity.review_no_household": {"vi": "{broken} kết quả rà soát ghi một khóa hộ không có trong danh "
                                                   "sách hộ (khóa {examples})",
                                             "en": "{broken} review(s) naming a household key the households do "
                                                   "not hold (keys {examples})"},
    "ingest.old_xls": {"vi": "không đọc tệp .xls cũ: hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8",
                       "en": "old .xls workbooks are not read: save the file as .xlsx or CSV UTF-8"},
    # a workbook the dashboard wrote itself (reports/annual.py, recognised by its marker): refused before any sheet
    "ingest.dashboard_report": {"vi": "một tệp kết quả rà soát (danh sách hộ); tệp này là báo cáo tổng hợp do bảng "
                                      "điều khiển này lập ra, không phải tệp rà soát: hãy nhập danh sách hộ mà các xã "
                                      "gửi lên",
                                "en": "a review file (a list of households); this one is a summary report made by "
                                      "this dashboard, not a review file: import the household lists the communes "
                                      "sent"},
    "ingest.header_ambiguous": {"vi": "một tiêu đề rõ nghĩa: tiêu đề này giống '{first}' và '{second}' như nhau; hãy "
                                      "đổi thành một trong hai",
                                "en": "a header with one meaning: this one is as close to '{first}' as to '{second}'; "
                                      "rename it to one of them"},
    "ingest.xlsx_protected": {"vi": "một tệp .xlsx không có mật khẩu; tệp có mật khẩu hoặc là tệp .xls cũ đổi tên: "
                                    "hãy mở bằng Excel, bỏ mật khẩu và lưu dưới dạng .xlsx",
                              "en": "an .xlsx workbook without a password; the workbook is password-protected or an "
                                    "old .xls renamed: open it in Excel, remove the password and save it as .xlsx"},
    "ingest.xlsx_strict": {"vi": "một tệp .xlsx thường; tệp .xlsx dạng Strict Open XML không đọc được: hãy lưu lại "
                                 "dưới dạng 'Excel Workbook (.xlsx)'",
                           "en": "a standard .xlsx workbook; a Strict Open XML workbook that cannot be read: save it "
                                 "again as 'Excel Workbook (.xlsx)'"},
    "ingest.unreadable_file": {"vi": "một tệp đọc được; tệp này không đọc được: hãy lưu lại dưới dạng .xlsx hoặc "
                                     "CSV UTF-8",
                               "en": "a readable file; this one cannot be read: save it again as .xlsx or CSV UTF-8"},
    "ingest.sheet_columns_differ": {"vi": "mọi trang tính chứa danh sách hộ cần có cùng các cột: trang '{sheet}' và "
                                          "trang '{first}' khác nhau ở {columns}",
                                    "en": "the same columns on every sheet listing households: sheets '{sheet}' and "
                                          "'{first}' differ in {columns}"},
    "ingest.sheet_header_differs": {"vi": "cùng một tiêu đề trên mọi trang tính: trang '{sheet}' ghi '{header}' ở cột "
                                          "mà trang '{first}' ghi '{first_header}'",
                                    "en": "the same header on every sheet: sheet '{sheet}' writes '{header}' where "
                                          "sheet '{first}' writes '{first_header}'"},
    "ingest.formula_no_value_sheet": {"vi": "trang '{sheet}' có công thức chưa có giá trị tính sẵn: hãy mở tệp bằng "
                                            "Excel rồi lưu lại",
                                      "en": "sheet '{sheet}' holds formulas with no computed value: open and save the "
                                            "file in Excel"},
    # what a file may cost (data.ingest.limits): refused before it is read, naming the limit and the size found
    "ingest.limit_file": {"vi": "một tệp tối đa {limit} MB; tệp này {size} MB: hãy chia thành nhiều tệp (ví dụ mỗi xã "
                                "một tệp)",
                          "en": "a file of at most {limit} MB; this one is {size} MB: split it (for example one file "
                                "per commune)"},
    "ingest.limit_part": {"vi": "mỗi phần của tệp .xlsx khi giải nén tối đa {limit} MB; phần {part} là {size} MB",
                          "en": "each part of an .xlsx at most {limit} MB unpacked; part {part} is {size} MB"},
    "ingest.limit_total": {"vi": "tệp .xlsx khi giải nén tối đa {limit} MB; tệp này {size} MB",
                           "en": "an .xlsx of at most {limit} MB unpacked; this one is {size} MB"},
    "ingest.limit_ratio": {"vi": "một phần của tệp .xlsx nén tối đa {limit} lần (một bảng tính thật: khoảng 10 lần); "
                                 "phần {part} nén {ratio} lần ({packed} MB giải nén thành {size} MB)",
                           "en": "a part of an .xlsx compressed at most {limit} times (a real sheet: about 10); part "
                                 "{part} is compressed {ratio} times ({packed} MB unpacking to {size} MB)"},
    "ingest.limit_cells": {"vi": "tối đa {limit} ô (số dòng × số cột của các trang tính); tệp này {size} ô: hãy chia "
                                 "tệp hoặc xoá các dòng, cột thừa",
                           "en": "at most {limit} cells (rows × columns of the sheets); this file spans {size}: split "
                                 "it or delete unused rows and columns"},
    "ingest.limit_fields": {"vi": "tối đa {limit} ô (giá trị giữa các dấu phân cách); tệp này có {size}: hãy chia tệp",
                            "en": "at most {limit} cells (values between separators); this file has {size}: split "
                                  "it"},
    "ingest.limit_line": {"vi": "mỗi dòng tối đa {limit} KB; tệp có dòng dài {size} KB",
                          "en": "lines of at most {limit} KB; this file has a line of {size} KB"},
    "ingest.limit_declared": {"vi": "phần {part} của tệp .xlsx giải nén ra nhiều hơn {declared} byte đã ghi trong tệp: "
                                    "tệp bị hỏng hoặc bị sửa",
                              "en": "part {part} of the .xlsx unpacks to more than the {declared} bytes it declares: "
                                    "the file is damaged or was tampered with"},
    "ingest.limit_tag": {"vi": "thẻ XML tối đa {limit} MB; phần {part} có thẻ dài hơn: tệp bị hỏng",
                         "en": "XML tags of at most {limit} MB; part {part} has a longer one: the file is damaged"},
    "ingest.limit_parts": {"vi": "danh mục các phần của tệp .xlsx tối đa {limit} MB; tệp này {size} MB",
                           "en": "an .xlsx whose list of parts is at most {limit} MB; this one is {size} MB"},
    "ingest.limit_count": {"vi": "tối đa {limit} mục khai báo trong một phần của tệp .xlsx; phần {part} khai báo "
                                 "{size}",
                           "en": "at most {limit} items declared in a part of an .xlsx; part {part} declares {size}"},
    "ingest.limit_merged": {"vi": "các ô gộp phủ tối đa {limit} ô; tệp này gộp {size} ô",
                            "en": "merged cells covering at most {limit} cells; this file merges {size}"},
    "ingest.limit_reference": {"vi": "địa chỉ ô trong giới hạn của Excel ({rows} dòng × {columns} cột): tệp có địa chỉ "
                                     "ô vượt quá hoặc không đọc được",
                               "en": "cell references within Excel's {rows} rows × {columns} columns: the file has "
                                     "one beyond them or one that cannot be read"},
    "ingest.limit_unusual": {"vi": "phần {part} ({size} MB) ghi ô không kèm địa chỉ (như A1), chỉ kiểm tra được tới "
                                   "{limit} MB: hãy mở tệp và lưu lại bằng Excel hoặc LibreOffice",
                             "en": "part {part} ({size} MB) writes cells without references (such as A1), which are "
                                   "checked up to {limit} MB only: open the file and save it again in Excel or "
                                   "LibreOffice"},
    "ingest.limit_string": {"vi": "mỗi ô tối đa {limit} ký tự (giới hạn của Excel); phần {part} có chuỗi dài hơn "
                                  "({size} ký tự trở lên)",
                            "en": "cells of at most {limit} characters (Excel's own limit); part {part} has a longer "
                                  "string ({size} characters or more)"},
    "ingest.limit_text": {"vi": "chữ trong các ô của tệp .xlsx tối đa {limit} MB (mỗi ô dùng chung một chuỗi được tính "
                                "một lần); tệp này có ít nhất {size} MB",
                          "en": "at most {limit} MB of text in the cells of an .xlsx (a shared string counted once for "
                                "each cell that shows it); this file holds at least {size} MB"},
    "ingest.duplicate_columns": {"vi": "một cột cho {field}; có {count} cột cùng nghĩa",
                                 "en": "one column for {field}; {count} columns mean the same"},
    "ingest.required_column": {"vi": "một cột có tiêu đề '{header}' (bắt buộc)",
                               "en": "a column headed '{header}' (required)"},
    "ingest.commune_column": {"vi": "một cột ghi mã xã (theo Tổng cục Thống kê) hoặc tên xã (bắt buộc)",
                              "en": "a column with the commune's GSO code or its name (required)"},
    "ingest.year_column": {"vi": "một cột có tiêu đề '{header}' hoặc năm ghi bằng --year",
                           "en": "a column headed '{header}' or the year given with --year"},
    "ingest.indicator_column": {"vi": "một cột có tiêu đề '{header}' (một chỉ số của chuẩn nghèo đang áp dụng)",
                                "en": "a column headed '{header}' (an indicator of the standard in force)"},
    "ingest.year_given": {"vi": "{year}, năm ghi bằng --year", "en": "{year}, the year given with --year"},
    "ingest.year_empty": {"vi": "năm rà soát, ví dụ 2024 (hoặc ghi --year)",
                          "en": "the review year, e.g. 2024 (or give --year)"},
    "ingest.year_bad": {"vi": "một năm rà soát, ví dụ 2024", "en": "a review year such as 2024"},
    "ingest.year_no_standard": {"vi": "một năm có chuẩn nghèo đang áp dụng ({years})",
                                "en": "a year with a poverty standard in force ({years})"},
    "ingest.household_empty": {"vi": "mã hộ (mã riêng của xã, không phải họ tên hay số giấy tờ)",
                               "en": "a household code (the commune's own code, never a name or ID number)"},
    "ingest.household_id_number": {
        "vi": "mã hộ, không phải số CMND/CCCD (9 hoặc 12 chữ số): số giấy tờ không bao giờ được lưu",
        "en": "a household code, not a CMND/CCCD number (9 or 12 digits): ID numbers are never stored"},
    "ingest.household_twice": {"vi": "mỗi hộ chỉ một lần mỗi năm trong một tệp; hộ này ở các dòng {rows}",
                               "en": "each household once per year in a file; it is in rows {rows}"},
    "ingest.household_chars": {"vi": "mã hộ chỉ gồm chữ cái Latinh (kể cả chữ tiếng Việt), chữ số và - _ . / ; mã "
                                     "này có {char}",
                               "en": "a household code of Latin letters (Vietnamese ones included), digits and - _ . / "
                                     "only; this one holds {char}"},
    "ingest.commune_empty": {"vi": "mã xã hoặc tên xã (đang để trống)", "en": "the commune's GSO code or name (empty)"},
    "ingest.commune_code": {"vi": "mã xã 5 chữ số theo Tổng cục Thống kê, thuộc Bạc Liêu (ví dụ 31834 là Xã Vĩnh "
                                  "Trạch)",
                            "en": "a 5-digit GSO commune code of Bạc Liêu (e.g. 31834 for Xã Vĩnh Trạch)"},
    "ingest.commune_name_empty": {"vi": "tên xã, ví dụ Xã Vĩnh Trạch Đông, P.1 hoặc TT Ngan Dừa",
                                  "en": "a commune name such as Xã Vĩnh Trạch Đông, P.1 or TT Ngan Dừa"},
    "ingest.commune_wrong_kind": {"vi": "một xã của Bạc Liêu; không có {kind} nào tên này (có phải {options}?)",
                                  "en": "a commune of Bạc Liêu; there is no {kind} by that name (did you mean "
                                        "{options}?)"},
    "ingest.commune_unknown": {"vi": "tên một trong 64 xã, phường, thị trấn của Bạc Liêu (ví dụ Xã Vĩnh Trạch Đông, "
                                     "P.1, TT Ngan Dừa)",
                               "en": "the name of one of Bạc Liêu's 64 communes (e.g. Xã Vĩnh Trạch Đông, P.1, TT Ngan "
                                     "Dừa)"},
    "ingest.district_unknown": {"vi": "tên hoặc mã một huyện, thị xã, thành phố của Bạc Liêu (ví dụ Giá Rai, TP Bạc "
                                      "Liêu, 959) ở cột huyện",
                                "en": "a district of Bạc Liêu by name or code (e.g. Giá Rai, TP Bạc Liêu, 959) in the "
                                      "district column"},
    "ingest.commune_not_in_district": {"vi": "một xã thuộc huyện đã ghi; tên này là {options}",
                                       "en": "a commune of the district given; that name is {options}"},
    "ingest.commune_ambiguous": {"vi": "một xã duy nhất, nhưng tên này bị trùng: {options}; hãy ghi thêm huyện hoặc mã "
                                       "xã",
                                 "en": "one commune, but the name is ambiguous: {options}; add the district or the "
                                       "code"},
    "ingest.commune_disagree": {"vi": "xã của mã {code}: {commune}", "en": "the commune of code {code}: {commune}"},
    "ingest.household_moved": {
        "vi": "{commune}, nơi hộ này đã được đăng ký: hộ chuyển đi cần mã hộ mới (chuyển hộ sẽ làm thay đổi các năm "
              "trước của hộ)",
        "en": "{commune}, where this household is already registered: a household that moved needs a new household "
              "code (moving it would rewrite its past years)"},
    # the unit sets (data/reference/unit_sets.csv): a review year is read in the units in force at its review
    "ingest.commune_code_current": {"vi": "mã 5 chữ số theo Tổng cục Thống kê của một trong {count} xã, phường sau sắp "
                                          "xếp (ví dụ 31834 là Phường Vĩnh Trạch, 31843 là Xã Hồng Dân)",
                                    "en": "a 5-digit GSO code of one of the {count} current communes and wards (e.g. "
                                          "31834 for Phường Vĩnh Trạch, 31843 for Xã Hồng Dân)"},
    "ingest.commune_unknown_current": {"vi": "tên một trong {count} xã, phường sau sắp xếp (ví dụ Phường Bạc Liêu, Xã "
                                             "Hồng Dân)",
                                       "en": "the name of one of the {count} current communes and wards (e.g. Phường "
                                             "Bạc Liêu, Xã Hồng Dân)"},
    "ingest.former_now_in": {"vi": "{former}, nay thuộc {current}", "en": "{former}, now part of {current}"},
    "ingest.commune_current_in_former": {
        "vi": "một trong {count} xã, phường, thị trấn trước sắp xếp: kết quả rà soát đến năm {last_year} ghi theo các "
              "đơn vị hành chính có hiệu lực đến {until}; {current} là đơn vị sau sắp xếp, gồm {formers}",
        "en": "one of the {count} former communes, wards and townships: reviews up to {last_year} are filed under the "
              "units in force until {until}; {current} is a current unit, formed from {formers}"},
    "ingest.household_moved_current": {
        "vi": "{expected}, đơn vị sau sắp xếp bao gồm {former}, nơi hộ này đã được đăng ký; {given} không bao gồm nơi "
              "đó: hộ chuyển đi cần mã hộ mới (chuyển hộ sẽ làm thay đổi các năm trước của hộ)",
        "en": "{expected}, the current unit containing {former}, where this household is already registered; {given} "
              "does not contain it: a household that moved needs a new household code (moving it would rewrite its "
              "past years)"},
    "ingest.household_moved_former": {
        "vi": "một đơn vị cũ thuộc {registered}, nơi hộ này đã được đăng ký ({options}); {given} nay thuộc "
              "{given_current}: hộ chuyển đi cần mã hộ mới (chuyển hộ sẽ làm thay đổi các năm trước của hộ)",
        "en": "a former unit of {registered}, where this household is already registered ({options}); {given} is "
              "now part of {given_current}: a household that moved needs a new household code (moving it would "
              "rewrite its past years)"},
    "ingest.household_units_differ": {"vi": "cùng một nơi ở mọi dòng của hộ này: các dòng {rows} ghi {units}, không "
                                            "khớp nhau",
                                      "en": "the same place in every row of this household: rows {rows} give {units}, "
                                            "which do not match"},
    "ingest.year_no_units": {"vi": "một năm rà soát có danh mục đơn vị hành chính đang có hiệu lực",
                             "en": "a review year with administrative units in force"},
    "ingest.note_district_unused": {"vi": "cấp huyện không còn từ {since}: ở các dòng năm {years}, cột huyện chỉ "
                                          "được đọc kèm tên một đơn vị cũ",
                                    "en": "districts were abolished on {since}: in the rows of {years} the district "
                                          "column is read only beside a former unit's name"},
    "ingest.note_former_units": {"vi": "{count} dòng ghi đơn vị cũ (trước {since}); đã đọc theo đơn vị hiện nay chứa "
                                       "chúng: {mapping}",
                                 "en": "{count} row(s) name former units (before {since}); read as the current units "
                                       "that contain them: {mapping}"},
    "ingest.note_name_reused": {"vi": "'{value}' được đọc là {current} (đơn vị sau sắp xếp); {former}, đơn vị cũ cùng "
                                      "tên, nay thuộc {now}",
                                "en": "'{value}' read as {current}, a current unit; {former}, the former unit of "
                                      "that name, is now part of {now}"},
    "ingest.units_used": {"vi": "năm {year} — đơn vị hành chính: {units}", "en": "{year} — units: {units}"},
    "ingest.unit_set.former": {"vi": "{count} xã, phường, thị trấn trước sắp xếp (đến {until})",
                               "en": "the {count} former communes, wards and townships (until {until})"},
    "ingest.unit_set.current": {"vi": "{count} xã, phường sau sắp xếp (từ {since})",
                                "en": "the {count} current communes and wards (from {since})"},
    "ingest.ethnicity": {"vi": "dân tộc của chủ hộ: Kinh, Khmer, Hoa hoặc một trong 54 dân tộc của Việt Nam (ví dụ "
                               "Chăm, Khác)",
                         "en": "the head's ethnicity: Kinh, Khmer, Hoa or another of Vietnam's 54 ethnic groups (e.g. "
                               "Chăm, Khác)"},
    "ingest.members": {"vi": "số nhân khẩu của hộ, số nguyên ≥ 1",
                       "en": "the number of household members, a whole number ≥ 1"},
    "ingest.members_max": {"vi": "không quá {limit} nhân khẩu", "en": "at most {limit} household members"},
    "ingest.income_nan": {"vi": "thu nhập bình quân (đồng/người/tháng), một số như 1.450.000",
                          "en": "income in VND per person per month, a number such as 1.450.000"},
    "ingest.income_negative": {"vi": "thu nhập bình quân (đồng/người/tháng), không âm",
                               "en": "income in VND per person per month, not negative"},
    "ingest.income_implausible": {"vi": "thu nhập bình quân (đồng/người/tháng) từ {low} đến {high}; số này có lẽ ghi "
                                        "theo nghìn đồng hoặc là thu nhập cả hộ/cả năm: hãy kiểm tra đơn vị",
                                  "en": "income in VND per person per month between {low} and {high}; this looks like "
                                        "thousand đồng or a household's or a year's income: check the unit"},
    "ingest.income_median": {"vi": "thu nhập mỗi người mỗi tháng: trung vị của tệp là {median} đồng, quá {limit} — có "
                                   "lẽ là thu nhập cả năm hoặc cả hộ; hãy ghi đơn vị trong tiêu đề (ví dụ 'đồng/năm') "
                                   "hoặc sửa số",
                             "en": "income per person per month: the file's median is {median} đồng, over {limit} — "
                                   "probably yearly or household incomes; state the unit in the header (e.g. "
                                   "'đồng/năm') or correct the figures"},
    "ingest.marks": {"vi": "x, 1, có hoặc thiếu hụt (hay dấu ✓) nếu có/thiếu hụt; để trống, 0 hoặc không (hay ô ☐) "
                           "nếu không",
                     "en": "x, 1, có or thiếu hụt (or a tick ✓) for yes/deprived; empty, 0 or không (or a box ☐) for "
                           "no"},
    "ingest.row_width": {"vi": "đúng {columns} giá trị như tiêu đề, nhưng dòng này có {count} giá trị (các giá trị bị "
                               "lệch cột: kiểm tra dấu phân cách hoặc dấu ngoặc kép trong các ô)",
                         "en": "{columns} values, as the header has {columns} columns, but the row has {count} values "
                               "(its values are shifted: check the separators or quotes in its cells)"},
    "ingest.formula_no_value": {"vi": "một giá trị, nhưng công thức chưa có giá trị tính sẵn: hãy mở tệp bằng Excel "
                                      "rồi lưu lại",
                                "en": "a value, but the formula has no computed value: open and save the file in "
                                      "Excel"},
    "ingest.mark_symbol_font": {"vi": "x hoặc 1 nếu có/thiếu hụt, để trống nếu không: tệp dùng phông ký hiệu "
                                      "(Wingdings …), nên chữ cái này có thể là dấu ✓, ✗ hay ô vuông và không được "
                                      "đoán",
                                "en": "x or 1 for yes/deprived, empty for no: the workbook uses a symbol font "
                                      "(Wingdings …), so this letter may be drawn as ✓, ✗ or a box and is not guessed"},
    "ingest.excel_error": {"vi": "một giá trị, nhưng ô chứa lỗi Excel (#N/A, #REF!, #DIV/0! …): hãy sửa công thức "
                                 "hoặc ghi giá trị",
                           "en": "a value, but the cell holds an Excel error (#N/A, #REF!, #DIV/0! …): fix the formula "
                                 "or type the value"},
    "ingest.cannot_load": {"vi": "tệp không nạp được (xem báo cáo lỗi)",
                           "en": "the file cannot be loaded (see the report)"},
    "ingest.note_personal": {"vi": "đã bỏ các cột dữ liệu cá nhân, không đọc: {columns}",
                             "en": "personal-data columns dropped, never read: {columns}"},
    "ingest.note_ignored": {"vi": "các cột không dùng: {columns}", "en": "columns not used: {columns}"},
    "ingest.note_similar": {"vi": "tiêu đề được hiểu theo độ giống (hãy kiểm tra): {headers}",
                            "en": "headers read by similarity (check them): {headers}"},
    "ingest.note_encoding": {"vi": "tệp CSV ở bảng mã {encoding}, đã được chuyển sang Unicode",
                             "en": "the CSV file was in the {encoding} encoding and was converted to Unicode"},
    "ingest.note_legacy": {"vi": "chữ gõ bằng bảng mã {encoding} đã được chuyển sang Unicode ở các cột: {columns}",
                           "en": "{encoding} text was converted to Unicode in columns: {columns}"},
    "ingest.note_income_unit": {"vi": "cột '{header}' ghi thu nhập theo đơn vị {factor} đồng: mỗi số đã được nhân với "
                                      "{factor}",
                                "en": "column '{header}' gives incomes in units of {factor} đồng: each value was "
                                      "multiplied by {factor}"},
    "ingest.note_income_year": {"vi": "cột '{header}' ghi thu nhập theo năm: mỗi số đã được chia cho 12 để có thu nhập "
                                      "mỗi tháng",
                                "en": "column '{header}' gives yearly incomes: each value was divided by 12 for the "
                                      "monthly figure"},
    "ingest.headers": {"vi": "{file}: cách đọc các tiêu đề", "en": "{file}: how the headers were read"},
    "ingest.header_line": {"vi": "'{header}' → {field} ({how})", "en": "'{header}' → {field} ({how})"},
    "ingest.how_exact": {"vi": "đúng tên", "en": "exact"},
    "ingest.how_alias": {"vi": "tên khác đã biết", "en": "known alias"},
    "ingest.how_similar": {"vi": "gần giống {score} %", "en": "similar {score} %"},
    "ingest.how_personal": {"vi": "dữ liệu cá nhân, không đọc", "en": "personal data, not read"},
    "ingest.how_ignored": {"vi": "không dùng", "en": "not used"},
    "ingest.how_duplicate": {"vi": "trùng với cột trước, không đọc", "en": "same as an earlier column, not read"},
    "ingest.how_ambiguous": {"vi": "giống cả {first} và {second}, không đọc",
                             "en": "as close to {first} as to {second}, not read"},
    "ingest.note_sheets_read": {"vi": "đã đọc {count} trang tính: {sheets}", "en": "{count} sheet(s) read: {sheets}"},
    "ingest.note_sheets_hidden": {"vi": "bỏ qua trang tính ẩn, không đọc: {sheets}",
                                  "en": "hidden sheets ignored, not read: {sheets}"},
    "ingest.note_sheets_other": {"vi": "không đọc các trang tính không có tiêu đề danh sách hộ: {sheets}",
                                 "en": "sheets without the households' header, not read: {sheets}"},
    "ingest.note_header_rows": {"vi": "tiêu đề viết trên nhiều dòng, đã ghép thành một: dòng {rows}",
                                "en": "a header written over several rows, read as one: rows {rows}"},
    "ingest.note_numbers_row": {"vi": "bỏ qua dòng đánh số cột: dòng {rows}",
                                "en": "row of column numbers skipped: row {rows}"},
    "ingest.note_total_rows": {"vi": "bỏ qua dòng tổng cộng: dòng {rows}", "en": "total rows skipped: rows {rows}"},
    "ingest.note_signature_rows": {"vi": "bỏ qua phần ký tên: dòng {rows}",
                                   "en": "signature block skipped: rows {rows}"},
    "ingest.note_skipped": {"vi": "đã nhập lúc {when} UTC; không có gì thay đổi (--force để nạp lại)",
                            "en": "already imported on {when} UTC; nothing changed (--force loads it again)"},
    "ingest.where_row": {"vi": "{file}, dòng {row}", "en": "{file}, row {row}"},
    "ingest.where_column": {"vi": ", cột '{column}'", "en": ", column '{column}'"},
    "ingest.then_expected": {"vi": " → yêu cầu: {expected}", "en": " → expected {expected}"},
    "ingest.more": {"vi": "… và {n} lỗi khác (ghi tất cả bằng --report TỆP.csv)",
                    "en": "… and {n} more (write them all with --report FILE.csv)"},
    "ingest.problem_count": {"vi": "{file}: {n} lỗi", "en": "{file}: {n} problem(s)"},
    "ingest.nothing_loaded": {"vi": "; không nạp dòng nào từ tệp này", "en": "; nothing loaded from this file"},
    "ingest.waiting": {"vi": "Đang có một lần nhập hoặc tạo kho dữ liệu khác; chờ lần đó xong…",
                       "en": "Another import or build is writing the warehouse; waiting for it to finish…"},
    "ingest.busy": {"vi": "lỗi: một lần nhập hoặc tạo kho dữ liệu khác vẫn đang chạy nên chưa nạp gì; hãy chạy lại "
                          "lệnh sau khi lần đó xong (chờ tối đa: POVERTY_WRITE_WAIT_S giây)",
                    "en": "error: another import or build is still running, so nothing was loaded; run the command "
                          "again when it has finished (longest wait: POVERTY_WRITE_WAIT_S seconds)"},
    "ingest.summary": {
        "vi": "{file}: {status} — đọc {read} dòng, nạp {loaded}, loại {rejected}; hộ mới {new}, cập nhật {updated}; "
              "kết quả rà soát mới {reviews_new}, thay thế {reviews_replaced}",
        "en": "{file}: {status} — rows read {read}, loaded {loaded}, rejected {rejected}; households new {new}, "
              "updated {updated}; reviews new {reviews_new}, replaced {reviews_replaced}"},
    "ingest.status.loaded": {"vi": "đã nạp", "en": "loaded"},
    "ingest.status.loaded_partly": {"vi": "đã nạp một phần", "en": "loaded partly"},
    "ingest.status.rejected": {"vi": "không nạp", "en": "rejected"},
    "ingest.status.skipped": {"vi": "bỏ qua", "en": "skipped"},
    "ingest.note": {"vi": "ghi chú: {note}", "en": "note: {note}"},
    "ingest.year_after": {"vi": "năm {year} sau khi nạp: {households} hộ được rà soát, hộ nghèo {poor}, hộ cận nghèo "
                                "{near}",
                          "en": "{year} after the load: {households} households reviewed, poor {poor}, near-poor "
                                "{near}"},
    "ingest.rejected_file": {"vi": "các dòng bị loại kèm lý do: {path}", "en": "rejected rows with reasons: {path}"},
    # demo notice
    "demo.notice": {
        "vi": "**Dữ liệu minh họa, không phải số liệu thật.** Chỉ {published} là số đã công bố; còn lại là giả định "
              "(xem Phương pháp & dữ liệu).",
        "en": "**Demo data, not real figures.** Only {published} are published; the rest are assumptions (see "
              "Method & data).",
    },
    "demo.published_item": {"vi": "tỷ lệ hộ nghèo {year}: {poor}", "en": "poor rate {year}: {poor}"},
    "demo.reorganised": {
        "vi": "Từ năm {year}, như số liệu rà soát thật, dữ liệu minh họa được ghi theo đơn vị hành chính sau sắp xếp; "
              "hộ ở nơi đổi khu vực thành thị/nông thôn được xét theo chuẩn nghèo của khu vực mới.",
        "en": "From {year} on, as real reviews are, the demo data is filed under the units formed by the "
              "reorganisation; households where urban or rural changed are judged on their new area's poverty line.",
    },
    # filters
    "filter.header": {"vi": "Bộ lọc", "en": "Filters"},
    "filter.lang": {"vi": "Ngôn ngữ", "en": "Language"},
    "filter.district": {"vi": "Huyện, thị xã, thành phố", "en": "District"},
    "filter.unit": {"vi": "Xã, phường", "en": "Commune or ward"},
    # the unit set (issue 10): the 64 former communes in 7 districts, or the 25 units since 1 July 2025
    "filter.units": {"vi": "Đơn vị hành chính", "en": "Administrative units"},
    "units.former": {"vi": "Trước sáp nhập ({n} đơn vị)", "en": "Former ({n} units)"},
    "units.current": {"vi": "Hiện nay ({n} đơn vị)", "en": "Current ({n} units)"},
    "units.name.former": {"vi": "đơn vị trước sáp nhập", "en": "the former units"},
    "units.name.current": {"vi": "đơn vị hiện nay", "en": "the current units"},
    "filter.district_all": {"vi": "Tất cả (toàn tỉnh)", "en": "All (whole province)"},
    "filter.area": {"vi": "Khu vực", "en": "Area"},
    "filter.group": {"vi": "Nhóm dân tộc", "en": "Ethnic group"},
    "filter.year": {"vi": "Năm rà soát", "en": "Review year"},
    "filter.metric": {"vi": "Chỉ tiêu trên bản đồ", "en": "Map metric"},
    "filter.flow_class": {"vi": "Biến động của", "en": "Flows of"},
    "filter.flow_count": {"vi": "Đếm theo", "en": "Count"},
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
    "notice.other_set_place": {"vi": "{name} = {value} (địa bàn của cách chia đơn vị khác; trang đang xem theo {set}, "
                                     "chọn địa bàn bằng {param}=)",
                               "en": "{name} = {value} (a place of the other unit set; this view is in {set}, where "
                                     "places are chosen with {param}=)"},
    # `commune=` / `compare=` (the profile and compare pages): a unit only of the other set, too many to compare
    "notice.other_set_unit": {"vi": "{name} = {value} (đơn vị của cách chia đơn vị khác; trang đang xem theo {set})",
                              "en": "{name} = {value} (a unit of the other unit set; this view is in {set})"},
    "notice.compare_too_many": {"vi": "`compare`: chỉ so sánh tối đa {n} địa bàn, đã giữ {n} địa bàn đầu và bỏ "
                                      "{values}",
                                "en": "`compare`: at most {n} places are compared; kept the first {n}, left out "
                                      "{values}"},
    "notice.set.former": {"vi": "đơn vị trước sáp nhập", "en": "the former units"},
    "notice.set.current": {"vi": "đơn vị hiện nay", "en": "the current units"},
    "notice.units_switched": {"vi": "Đang xem theo {after}, nên đã bỏ chọn {places} (địa bàn theo {before}).",
                              "en": "Now showing {after}, so the choice of {places} (places of {before}) was "
                                    "cleared."},
    "scope.province": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "scope.describe": {"vi": "Phạm vi: {districts} · {area} · {group} · năm {year}",
                       "en": "Scope: {districts} · {area} · {group} · {year}"},
    # which unit set a page shows, after the scope line
    "scope.units.former": {"vi": "Theo đơn vị hành chính trước sáp nhập ({n} xã, phường, thị trấn trong {d} huyện).",
                           "en": "In the former units ({n} communes, wards and townships in {d} districts)."},
    "scope.units.current": {"vi": "Theo đơn vị hành chính hiện nay ({n} xã, phường, từ 1/7/2025).",
                            "en": "In the current units ({n} communes and wards since 1 July 2025)."},
    # metrics on the map
    "metric.poor_rate": {"vi": "Tỷ lệ hộ nghèo (%)", "en": "Poor rate (%)"},
    "metric.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo (%)", "en": "Near-poor rate (%)"},
    "metric.change_since_baseline": {"vi": "Thay đổi tỷ lệ nghèo so với 2021 (điểm %)",
                                     "en": "Change in poor rate since 2021 (points)"},
    "metric.poor_households": {"vi": "Số hộ nghèo", "en": "Poor households"},
    # status
    "status.on_track": {"vi": "Đúng tiến độ", "en": "On track"},
    "status.needs_acceleration": {"vi": "Cần đẩy nhanh", "en": "Needs acceleration"},
    "status.limited_progress": {"vi": "Tiến bộ hạn chế", "en": "Limited progress"},
    "status.getting_worse": {"vi": "Đang xấu đi", "en": "Getting worse"},
    "status.incomplete": {"vi": "Năm chưa đủ dữ liệu", "en": "Incomplete year"},
    "status.not_required": {"vi": "Không cần giảm thêm", "en": "No reduction required"},
    "status.none": {"vi": "Năm gốc (chưa có yêu cầu giảm)", "en": "Baseline year (no reduction required yet)"},
    # a target without a path (the escaped households' health insurance: no value in the baseline year), outside it
    "status.no_path": {"vi": "Không có lộ trình: chỉ xét mục tiêu cuối kỳ", "en": "No path: judged on its end goal"},
    "status.no_data": {"vi": "Không có hộ trong phạm vi", "en": "No households in scope"},
    "status.suppressed": {"vi": "Ẩn (số liệu ít hộ)", "en": "Hidden (small numbers)"},
    # the end-goal judgement, always naming the goal
    "goal.goal_met": {"vi": "Đạt mục tiêu {goal}", "en": "Goal met: {goal}"},
    "goal.goal_not_met": {"vi": "Chưa đạt mục tiêu {goal}", "en": "Goal not met: {goal}"},
    "goal.none": {"vi": "—", "en": "—"},
    "goal.short.goal_met": {"vi": "✓ Đạt", "en": "✓ Met"},
    "goal.short.goal_not_met": {"vi": "✗ Chưa đạt", "en": "✗ Not met"},
    "goal.suppressed": {"vi": "Ẩn (số liệu ít hộ)", "en": "Hidden (small numbers)"},
    "goal.short.suppressed": {"vi": "Ẩn (số liệu ít hộ)", "en": "Hidden (small numbers)"},
    "goal.under": {"vi": "dưới {value}", "en": "under {value}"},
    "goal.at_most": {"vi": "không quá {value}", "en": "at most {value}"},
    "goal.at_least": {"vi": "ít nhất {value}", "en": "at least {value}"},
    "goal.pace_label": {"vi": "Tiến độ theo lộ trình", "en": "Pace on its path"},
    "goal.goal_label": {"vi": "Mục tiêu cuối kỳ", "en": "End goal"},
    # review-year coverage and small numbers
    "coverage.partial": {
        "vi": "Năm {year} chưa đủ dữ liệu: mới có kết quả rà soát của {units} / {expected} đơn vị cấp xã và "
              "{households} hộ ({share} so với năm trước). Số liệu chỉ để tham khảo; không đánh giá tiến độ hay mục "
              "tiêu cho năm này.",
        "en": "{year} is incomplete: reviews from {units} of {expected} commune-level units and {households} "
              "households so far ({share} of the previous year). Figures are provisional; no pace or goal is judged "
              "for this year."},
    # a former-units view of a year filed in the current units: its district and commune rows cover the households
    # whose former commune is known (review_coverage.households_former_known); the province total covers all
    "coverage.former_known": {
        "vi": "Theo đơn vị trước sáp nhập, số liệu huyện, xã năm {year} chỉ gồm {known} trong {households} hộ "
              "({share}) có xã cũ đã biết; số liệu toàn tỉnh gồm tất cả các hộ.",
        "en": "In the former units, district and commune figures for {year} cover only the {known} of {households} "
              "households ({share}) whose former commune is known; province figures include every household."},
    "coverage.partial_option": {"vi": "{year} (chưa đủ)", "en": "{year} (incomplete)"},
    "reliability.few": {"vi": "⚠ ít hộ", "en": "⚠ few households"},
    "reliability.note": {
        "vi": "⚠ ít hộ: tỷ lệ tính trên dưới {n} hộ, kém tin cậy.",
        "en": "⚠ few households: the rate comes from fewer than {n} households and is unreliable."},
    # small cells hidden from viewers who are not signed in (dashboard.disclosure): never the "no data" mark "—"
    "disclosure.small": {"vi": "≤{max} hộ — ẩn", "en": "≤{max} households — hidden"},
    "disclosure.complement": {"vi": "ẩn — bảo vệ ô nhỏ", "en": "hidden — protects a small cell"},
    "disclosure.legend": {"vi": "Ẩn để bảo vệ số liệu ít hộ", "en": "Hidden to protect small numbers"},
    "disclosure.note": {
        "vi": "Số liệu từ dưới {n} hộ được ẩn với người xem chưa đăng nhập (xem trang Phương pháp & dữ liệu).",
        "en": "Figures from fewer than {n} households are hidden from viewers who are not signed in (see Method & "
              "data)."},
    "disclosure.breakdown_hidden": {"vi": "{marker}: không hiển thị thiếu hụt của xã này trong phạm vi đã chọn.",
                                    "en": "{marker}: this commune's deprivations are not shown for this selection."},
    # units and number words
    "unit.points": {"vi": "điểm %", "en": "pts"},
    "unit.points_long": {"vi": "điểm %", "en": "points"},
    "unit.point_long": {"vi": "điểm %", "en": "point"},
    "unit.households": {"vi": "hộ", "en": "households"},
    "unit.times_line": {"vi": "lần chuẩn nghèo", "en": "× the line"},
    # overview
    "overview.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor rate"},
    "overview.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor rate"},
    "overview.delta_help": {"vi": "Mũi tên: thay đổi so với năm trước (điểm %).",
                            "en": "Arrow: change from the previous year (points)."},
    "overview.target_help": {
        "vi": "Lộ trình: tỷ lệ năm {base_year} giảm {first_step} điểm % năm {first_year}, rồi {step} điểm %/năm (không "
              "thấp hơn {ceiling}). Tiến độ R = mức đã giảm ÷ mức cần giảm theo lộ trình; mục tiêu cuối kỳ của kế "
              "hoạch (dưới "
              "{ceiling} năm {final_year}) được đánh giá riêng.",
        "en": "Path: the {base_year} rate minus {first_step} points in {first_year}, then {step} a year (not below "
              "{ceiling}). Pace R = reduction achieved ÷ reduction required by the path; the plan's end goal (under "
              "{ceiling} "
              "by {final_year}) is judged separately.",
    },
    "overview.households_line": {"vi": "{poor} hộ nghèo / {total} hộ được rà soát.",
                                 "en": "{poor} poor of {total} households reviewed."},
    "overview.near_poor_line": {"vi": "{near} hộ cận nghèo; so với 2021: {change}.",
                                "en": "{near} near-poor households; since 2021: {change}."},
    "overview.measure_excl_sp": {"vi": "Tỷ lệ tính chỉ tiêu (trừ hộ BTXH)",
                                 "en": "Rate for the target (excl. social protection)"},
    "overview.poor_rate_year": {"vi": "Tỷ lệ hộ nghèo {year}", "en": "Poor rate, {year}"},
    "overview.path_for_year": {"vi": "Lộ trình năm {year}", "en": "Path for {year}"},
    "overview.pace_line": {"vi": "Đã giảm {achieved} / cần giảm {required} điểm % so với 2021 → R = {ratio}.",
                           "en": "Down {achieved} of the {required} points required since 2021 → R = {ratio}."},
    "overview.districts": {"vi": "Tình hình các huyện năm {year}", "en": "Districts at a glance, {year}"},
    "overview.units": {"vi": "Tình hình các xã, phường năm {year}", "en": "Communes and wards at a glance, {year}"},
    "overview.other_targets": {"vi": "Các chỉ tiêu khác của kế hoạch, năm {year}",
                               "en": "The plan's other targets, {year}"},
    "overview.flow_target_no_previous": {
        "vi": "Chỉ tiêu thẻ BHYT của người thuộc hộ mới thoát nghèo chưa có số liệu năm {year}: kho dữ liệu không có "
              "kết quả rà soát năm {previous} để biết hộ nào vừa thoát nghèo.",
        "en": "The health-insurance target for people in newly escaped households has no figure for {year}: the "
              "warehouse holds no {previous} review to tell which households have just escaped poverty."},
    "overview.flow_target_no_escaped": {
        "vi": "Chỉ tiêu thẻ BHYT của người thuộc hộ mới thoát nghèo chưa có số liệu năm {year}: trong phạm vi đã chọn "
              "không có hộ nào thoát nghèo so với năm {previous}.",
        "en": "The health-insurance target for people in newly escaped households has no figure for {year}: no "
              "household in the selection escaped poverty since {previous}."},
    "overview.other_targets_note": {
        "vi": "Mỗi chỉ tiêu có nhóm hộ riêng; bộ lọc địa bàn, khu vực và dân tộc thu hẹp thêm nhóm đó.",
        "en": "Each target has its own population; the place, area and group filters narrow it further.",
    },
    "overview.baseline": {"vi": "Năm 2021", "en": "2021"},
    "overview.path": {"vi": "Lộ trình năm {year}", "en": "Path for {year}"},
    "overview.not_applicable": {"vi": "Không áp dụng cho phạm vi đã chọn", "en": "Not applicable to this selection"},
    # the plan's verdict in its final year (dashboard/verdict.py): the whole province, in the current units
    "verdict.title": {"vi": "Kết quả các mục tiêu cuối kỳ của kế hoạch, năm {year}",
                      "en": "The plan's end goals: the outcome in {year}"},
    "verdict.note": {
        "vi": "Toàn tỉnh (địa bàn tỉnh Bạc Liêu trước sáp nhập, mọi hộ, không theo bộ lọc đang chọn), tính theo đơn vị "
              "hiện nay. Số liệu toàn tỉnh như nhau ở cả hai cách chia đơn vị; số đơn vị đạt mục tiêu là của {n} xã, "
              "phường hiện nay.",
        "en": "The whole province (the former Bạc Liêu province, every household, whatever the filters), in the "
              "current units. Province figures are the same in both unit sets; the count of units meeting the goal "
              "is of the {n} current communes and wards."},
    "verdict.units": {"vi": "**Số xã, phường có tỷ lệ hộ nghèo {goal}**: {met} / {total}",
                      "en": "**Communes and wards with a poor rate {goal}**: {met} of {total}"},
    "verdict.units_hidden": {"vi": "{n} ẩn (số liệu ít hộ)", "en": "{n} hidden (small numbers)"},
    "verdict.units_no_data": {"vi": "{n} chưa có dữ liệu", "en": "{n} without data"},
    "verdict.no_data": {"vi": "Kho dữ liệu không có số liệu để đánh giá",
                        "en": "Not measured by the data in the warehouse"},
    "verdict.switch.former": {"vi": "Xem năm {year} theo đơn vị trước sáp nhập",
                              "en": "See {year} in the former units"},
    "verdict.switch.current": {"vi": "Xem năm {year} theo đơn vị hiện nay", "en": "See {year} in the current units"},
    # table columns
    "col.district": {"vi": "Huyện", "en": "District"},
    "col.current_unit": {"vi": "Xã, phường", "en": "Commune or ward"},
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
    "col.status": {"vi": "Tiến độ", "en": "Pace"},
    "col.goal_status": {"vi": "Mục tiêu cuối kỳ", "en": "End goal"},
    "col.goal_named": {"vi": "Mục tiêu {goal}", "en": "Goal: {goal}"},
    "col.reliability": {"vi": "Độ tin cậy", "en": "Reliability"},
    "col.measure_baseline": {"vi": "Tỷ lệ tính chỉ tiêu 2021 (%)", "en": "Rate for the target, 2021 (%)"},
    "col.measure_change": {"vi": "Thay đổi tỷ lệ tính chỉ tiêu từ 2021 (điểm %)",
                           "en": "Change in the rate for the target since 2021 (pts)"},
    "col.population": {"vi": "Số hộ trong nhóm của chỉ tiêu", "en": "Households in the target's group"},
    "col.measure_excl_sp": {"vi": "Tỷ lệ tính chỉ tiêu, trừ hộ BTXH (%)",
                            "en": "Rate for the target, excl. social protection (%)"},
    "col.rank": {"vi": "Hạng", "en": "Rank"},
    "col.target": {"vi": "Chỉ tiêu", "en": "Target"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.assumption": {"vi": "Giả định", "en": "Assumption"},
    "col.goal": {"vi": "Mục tiêu", "en": "Goal"},
    "col.indicator": {"vi": "Chỉ số thiếu hụt", "en": "Deprivation indicator"},
    "col.share_all": {"vi": "% mọi hộ thiếu hụt", "en": "% of all households deprived"},
    "col.share_poor": {"vi": "% hộ nghèo thiếu hụt", "en": "% of poor households deprived"},
    # downloads
    "download.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "download.xlsx": {"vi": "Tải Excel (XLSX)", "en": "Download Excel (XLSX)"},
    # the annual report workbook (reports/annual.py): the review's summary tables, one sheet per table. Headers must
    # never read as a review file's (the importer refuses the workbook by its marker; tests/reports check both)
    "report.sheet.results": {"vi": "01 Kết quả rà soát", "en": "01 Review results"},
    "report.sheet.flows_poor": {"vi": "02 Biến động hộ nghèo", "en": "02 Poor household flows"},
    "report.sheet.flows_near_poor": {"vi": "03 Biến động hộ cận nghèo", "en": "03 Near-poor household flows"},
    "report.sheet.deprivations_poor": {"vi": "04a Thiếu hụt - hộ nghèo", "en": "04a Deprivations - poor"},
    "report.sheet.deprivations_near_poor": {"vi": "04b Thiếu hụt - hộ cận nghèo", "en": "04b Deprivations - near-poor"},
    "report.sheet.groups": {"vi": "05 Dân tộc, bảo trợ xã hội", "en": "05 Ethnicity, social protection"},
    "report.form": {"vi": "Biểu số {number}", "en": "Table {number}"},
    "report.title.results": {"vi": "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}",
                             "en": "RESULTS OF THE POOR AND NEAR-POOR HOUSEHOLD REVIEW, {year}"},
    "report.title.flows_poor": {"vi": "DIỄN BIẾN HỘ NGHÈO NĂM {year} (SO VỚI KẾT QUẢ RÀ SOÁT NĂM {previous})",
                                "en": "CHANGES IN POOR HOUSEHOLDS, {year} (AGAINST THE {previous} REVIEW)"},
    "report.title.flows_near_poor": {"vi": "DIỄN BIẾN HỘ CẬN NGHÈO NĂM {year} (SO VỚI KẾT QUẢ RÀ SOÁT NĂM {previous})",
                                     "en": "CHANGES IN NEAR-POOR HOUSEHOLDS, {year} (AGAINST THE {previous} REVIEW)"},
    "report.title.deprivations_poor": {"vi": "HỘ NGHÈO THIẾU HỤT CÁC DỊCH VỤ XÃ HỘI CƠ BẢN NĂM {year}",
                                       "en": "POOR HOUSEHOLDS LACKING BASIC SOCIAL SERVICES, {year}"},
    "report.title.deprivations_near_poor": {"vi": "HỘ CẬN NGHÈO THIẾU HỤT CÁC DỊCH VỤ XÃ HỘI CƠ BẢN NĂM {year}",
                                            "en": "NEAR-POOR HOUSEHOLDS LACKING BASIC SOCIAL SERVICES, {year}"},
    "report.title.groups": {"vi": "HỘ NGHÈO, HỘ CẬN NGHÈO THEO DÂN TỘC VÀ DIỆN BẢO TRỢ XÃ HỘI NĂM {year}",
                            "en": "POOR AND NEAR-POOR HOUSEHOLDS BY ETHNIC GROUP AND SOCIAL-PROTECTION STATUS, {year}"},
    "report.scope.former": {"vi": "{province}: {n} xã, phường, thị trấn trong {d} huyện, thị xã, thành phố (đơn vị "
                                  "hành chính trước ngày 1/7/2025); mỗi huyện có một dòng cộng, cuối biểu là dòng "
                                  "toàn tỉnh.",
                            "en": "{province}: {n} communes, wards and townships in {d} districts (the administrative "
                                  "units before 1 July 2025); each district has a subtotal row, the last row is the "
                                  "whole province."},
    "report.scope.current": {"vi": "{n} xã, phường của {province} trên địa bàn {former} cũ (đơn vị hành chính từ ngày "
                                   "1/7/2025). Cấp huyện đã bỏ nên biểu không có dòng cộng huyện; cuối biểu là dòng "
                                   "tổng cộng.",
                             "en": "The {n} communes and wards of {province} in the area of the former {former} (the "
                                   "administrative units since 1 July 2025). Districts were abolished, so there are "
                                   "no district subtotals; the last row is the total."},
    "report.note.self": {"vi": "Báo cáo tổng hợp do bảng điều khiển giảm nghèo lập từ kho dữ liệu; không phải tệp kết "
                               "quả rà soát và không nhập lại được.",
                         "en": "A summary report made by the poverty dashboard from its warehouse; not a review file, "
                               "and it cannot be imported."},
    "report.note.form": {"vi": "Bố cục theo các biểu tổng hợp của kỳ rà soát hộ nghèo, hộ cận nghèo (Phụ lục VII Thông "
                               "tư 07/2021/TT-BLĐTBXH, sửa đổi bởi Thông tư 02/2022/TT-BLĐTBXH). Chưa đối chiếu được "
                               "với mẫu chính thức: số biểu, tên và thứ tự cột do bảng điều khiển đặt.",
                         "en": "Laid out after the review's summary forms (Appendix VII of Circular "
                               "07/2021/TT-BLĐTBXH, amended by Circular 02/2022/TT-BLĐTBXH). Not checked against the "
                               "official forms: table numbers, column names and their order are the dashboard's."},
    "report.note.demo": {"vi": "DỮ LIỆU MINH HỌA, KHÔNG PHẢI SỐ LIỆU THẬT.", "en": "DEMO DATA, NOT REAL FIGURES."},
    "report.note.partial": {"vi": "Năm {year} chưa đủ dữ liệu rà soát: số liệu chỉ để tham khảo.",
                            "en": "{year} is incomplete: the figures are provisional."},
    "report.note.rates": {"vi": "Tỷ lệ tính trên tổng số hộ được rà soát của đơn vị.",
                          "en": "Rates are shares of the unit's reviewed households."},
    "report.note.flows": {"vi": "Đầu kỳ: theo kết quả rà soát năm {previous}; cuối kỳ: theo kết quả rà soát năm "
                                "{year}. ({end}) = ({start}) − ({decrease}) + ({increase}).",
                          "en": "Start: the {previous} review; end: the {year} review. "
                                "({end}) = ({start}) − ({decrease}) + ({increase})."},
    "report.note.no_previous": {"vi": "Kho dữ liệu không có kết quả rà soát năm {previous} nên không lập được biểu "
                                      "diễn biến so với kỳ trước.",
                                "en": "The warehouse holds no {previous} review, so there are no changes against a "
                                      "previous review to report."},
    "report.note.flows_partial": {"vi": "Kết quả rà soát năm {years} chưa đủ (chưa đủ các xã, phường) nên không lập "
                                        "biểu diễn biến: hộ chưa được rà soát sẽ bị tính nhầm là ra khỏi hoặc mới vào "
                                        "địa bàn.",
                                  "en": "The {years} review is partial (not every commune yet), so there are no "
                                        "changes to report: households not yet reviewed would wrongly count as having "
                                        "left or joined."},
    "report.note.deprivations": {"vi": "Tỷ lệ: số hộ thiếu hụt chỉ số ÷ số hộ của nhóm trong đơn vị.",
                                 "en": "Rate: households deprived in the indicator ÷ the group's households in the "
                                       "unit."},
    "report.note.unknown": {"vi": "Dòng \"{row}\": hộ chỉ có kết quả rà soát theo đơn vị hiện nay, chưa biết xã trước "
                                  "sáp nhập; chỉ được tính vào toàn tỉnh.",
                            "en": "Row \"{row}\": households reviewed only under the current units, whose former "
                                  "commune is unknown; they count in the province total only."},
    "report.row.total": {"vi": "Tổng cộng", "en": "Total"},
    "report.row.unknown": {"vi": "Chưa xác định xã cũ", "en": "Former commune unknown"},
    "report.col.number": {"vi": "TT", "en": "No."},
    "report.col.unit": {"vi": "Đơn vị hành chính", "en": "Administrative unit"},
    "report.col.households": {"vi": "Tổng số hộ được rà soát", "en": "Households reviewed"},
    "report.col.poor": {"vi": "Hộ nghèo", "en": "Poor households"},
    "report.col.near_poor": {"vi": "Hộ cận nghèo", "en": "Near-poor households"},
    "report.col.count": {"vi": "Số hộ", "en": "Number"},
    "report.col.rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "report.col.total": {"vi": "Tổng số", "en": "Total"},
    "report.col.poor_start": {"vi": "Số hộ nghèo đầu kỳ", "en": "Poor at the start"},
    "report.col.poor_decrease": {"vi": "Số hộ nghèo giảm", "en": "Poor households out"},
    "report.col.escaped": {"vi": "Thoát nghèo", "en": "Escaped poverty"},
    "report.col.escaped_to_near_poor": {"vi": "Trở thành hộ cận nghèo", "en": "Now near-poor"},
    "report.col.escaped_above": {"vi": "Vượt chuẩn cận nghèo", "en": "Above the near-poor line"},
    "report.col.left": {"vi": "Ra khỏi địa bàn, không còn rà soát", "en": "Left, no longer reviewed"},
    "report.col.poor_increase": {"vi": "Số hộ nghèo tăng", "en": "Poor households in"},
    "report.col.from_near_poor": {"vi": "Hộ cận nghèo trở thành hộ nghèo", "en": "Near-poor become poor"},
    "report.col.fell_back": {"vi": "Hộ tái nghèo", "en": "Fell back into poverty"},
    "report.col.newly_poor": {"vi": "Hộ nghèo phát sinh", "en": "Newly poor"},
    "report.col.joined": {"vi": "Hộ mới vào địa bàn, mới rà soát", "en": "Joined the review"},
    "report.col.poor_end": {"vi": "Số hộ nghèo cuối kỳ", "en": "Poor at the end"},
    "report.col.near_poor_start": {"vi": "Số hộ cận nghèo đầu kỳ", "en": "Near-poor at the start"},
    "report.col.near_poor_decrease": {"vi": "Số hộ cận nghèo giảm", "en": "Near-poor households out"},
    "report.col.became_poor": {"vi": "Trở thành hộ nghèo", "en": "Now poor"},
    "report.col.escaped_near_poor": {"vi": "Thoát cận nghèo (vượt chuẩn cận nghèo)",
                                     "en": "Escaped (above the near-poor line)"},
    "report.col.near_poor_increase": {"vi": "Số hộ cận nghèo tăng", "en": "Near-poor households in"},
    "report.col.from_poor": {"vi": "Hộ nghèo trở thành hộ cận nghèo", "en": "Poor become near-poor"},
    "report.col.fell_back_near_poor": {"vi": "Hộ tái cận nghèo", "en": "Fell back to near-poor"},
    "report.col.newly_near_poor": {"vi": "Hộ cận nghèo phát sinh", "en": "Newly near-poor"},
    "report.col.near_poor_end": {"vi": "Số hộ cận nghèo cuối kỳ", "en": "Near-poor at the end"},
    "report.col.class_households.poor": {"vi": "Tổng số hộ nghèo", "en": "All poor"},
    "report.col.class_households.near_poor": {"vi": "Tổng số hộ cận nghèo", "en": "All near-poor"},
    "report.col.dimension": {"vi": "Chiều {name}", "en": "{name} dimension"},
    "report.col.indicator": {"vi": "Thiếu hụt chỉ số {position}: {label}",
                             "en": "Deprived in indicator {position}: {label}"},
    "report.col.by_ethnicity": {"vi": "Chia theo dân tộc", "en": "By ethnic group"},
    "report.col.kinh": {"vi": "Kinh", "en": "Kinh"},
    "report.col.khmer": {"vi": "Khmer", "en": "Khmer"},
    "report.col.hoa": {"vi": "Hoa", "en": "Hoa"},
    "report.col.other_ethnicity": {"vi": "Dân tộc khác", "en": "Other groups"},
    "report.col.by_protection": {"vi": "Chia theo diện bảo trợ xã hội", "en": "Social-protection status"},
    "report.col.protected": {"vi": "Thuộc diện bảo trợ xã hội", "en": "Beneficiaries"},
    "report.col.not_protected": {"vi": "Không thuộc diện bảo trợ xã hội", "en": "Not beneficiaries"},
    "report.page": {"vi": "Trang &P/&N", "en": "Page &P of &N"},
    "report.written": {"vi": "Đã ghi báo cáo năm {year} ({units}) vào {path}",
                       "en": "Annual report for {year} ({units}) written to {path}"},
    "report.no_reviews": {"vi": "Lỗi: kho dữ liệu không có kết quả rà soát năm {year} (các năm có: {years}); không ghi "
                                "tệp nào.",
                          "en": "error: the warehouse holds no review for {year} (years held: {years}); nothing "
                                "written."},
    "report.no_previous": {"vi": "Lưu ý: không có kết quả rà soát năm {previous}; biểu 02 và 03 (diễn biến) ghi rõ "
                                 "thiếu kỳ trước, các biểu khác vẫn đầy đủ.",
                           "en": "note: there is no {previous} review; tables 02 and 03 (changes) say the previous "
                                 "review is missing, the other tables are complete."},
    "report.no_warehouse": {"vi": "Lỗi: không có kho dữ liệu ở {path}: hãy tạo bằng lệnh python -m data.build.",
                            "en": "error: no warehouse at {path}: build it with python -m data.build."},
    "report.not_xlsx": {"vi": "Lỗi: tệp báo cáo phải có đuôi .xlsx: {path}",
                        "en": "error: the report file must end in .xlsx: {path}"},
    "report.cannot_write": {"vi": "Lỗi: không ghi được tệp {path} (thư mục không có, không có quyền ghi, hoặc là một "
                                  "thư mục).",
                            "en": "error: cannot write {path} (no such folder, no permission to write, or a folder)."},
    "report.not_warehouse": {"vi": "Lỗi: {path} không phải kho dữ liệu của phiên bản này: hãy chỉ đến kho do lệnh "
                                   "python -m data.build tạo ra.",
                             "en": "error: {path} is not a warehouse of this version: point to one made by "
                                   "python -m data.build."},
    "report.flows_partial": {"vi": "Lưu ý: kết quả rà soát năm {years} chưa đủ; biểu 02 và 03 (diễn biến) ghi rõ lý "
                                   "do không lập, các biểu khác vẫn có.",
                             "en": "note: the {years} review is partial; tables 02 and 03 (changes) say why they are "
                                   "not drawn up, the other tables are there."},
    # the one-page brief (reports/brief.py, `python -m reports.brief`; its button: dashboard/brief.py)
    "brief.kicker": {"vi": "Bản tin giảm nghèo", "en": "Poverty-reduction brief"},
    "brief.title": {"vi": "{unit} – năm {year}", "en": "{unit}, {year}"},
    "brief.in_district": {"vi": "Thuộc {district}", "en": "In {district}"},
    "brief.since_previous": {"vi": "So với năm trước: {change}", "en": "Since the previous review: {change}"},
    "brief.against_plan": {"vi": "So với kế hoạch", "en": "Against the plan"},
    "brief.trajectory_h": {"vi": "Tỷ lệ hộ nghèo qua các năm và lộ trình mục tiêu",
                           "en": "Poor rate by year against its target path"},
    "brief.map_h": {"vi": "Vị trí", "en": "Location"},
    "brief.map_marked": {"vi": "Tô đỏ: {unit}.", "en": "In red: {unit}."},
    "brief.map_whole": {"vi": "Toàn tỉnh, theo {units}.", "en": "The whole province, in {units}."},
    "brief.map_unavailable": {"vi": "Không có bản đồ: chưa có tệp ranh giới các xã (như trang Bản đồ xã).",
                              "en": "Map unavailable: there are no commune boundary files (as on the commune map "
                                    "page)."},
    "brief.map_error": {"vi": "Không có bản đồ: không dùng được tệp ranh giới {file}.",
                        "en": "Map unavailable: the boundary file {file} could not be used."},
    "brief.drivers_h": {"vi": "Ba thiếu hụt đóng góp nhiều nhất vào nghèo đa chiều năm {year}",
                        "en": "The three deprivations contributing most to poverty, {year}"},
    "brief.col.contribution": {"vi": "Đóng góp vào thiếu hụt của hộ nghèo", "en": "Share of the poor's deprivations"},
    "brief.col.censored": {"vi": "% mọi hộ vừa nghèo vừa thiếu hụt", "en": "% of all households poor and deprived"},
    "brief.intensity": {"vi": "Mỗi hộ nghèo thiếu hụt bình quân {n} trong {of} chỉ số.",
                        "en": "A poor household is deprived in {n} of the {of} indicators on average."},
    "brief.drivers_note": {
        "vi": "Đóng góp: số lượt thiếu hụt chỉ số này của các hộ nghèo ÷ tổng số lượt thiếu hụt của các hộ nghèo.",
        "en": "Share of the poor's deprivations: the poor households' deprivations in this indicator ÷ all their "
              "deprivations."},
    "brief.no_poor": {"vi": "Không có hộ nghèo trong phạm vi này: không có thiếu hụt để xếp.",
                      "en": "No poor household in this selection: no deprivation to rank."},
    "brief.filters_h": {"vi": "Bộ lọc", "en": "Filters"},
    "brief.filters": {"vi": "địa bàn {place} ({units}) · khu vực: {area} · nhóm dân tộc: {group} · năm rà soát {year}",
                      "en": "place {place} ({units}) · area: {area} · ethnic group: {group} · review year {year}"},
    "brief.provenance_h": {"vi": "Nguồn số liệu", "en": "Data"},
    "brief.source_demo": {"vi": "Dữ liệu minh họa (mô phỏng), không phải số liệu thật; kho dữ liệu tạo lúc {built}.",
                          "en": "Demo data (simulated), not real figures; warehouse built {built}."},
    "brief.source_reviews": {"vi": "Kết quả rà soát được nhập (các năm {years}; lần nhập gần nhất {last}).",
                             "en": "Imported review results (years {years}; last import {last})."},
    "brief.coverage": {"vi": "Năm {year}: kết quả rà soát của {units}/{expected} đơn vị cấp xã, {households} hộ.",
                       "en": "{year}: reviews from {units} of {expected} commune-level units, {households} "
                             "households."},
    "brief.coverage_partial": {"vi": "Năm chưa đủ dữ liệu: số liệu tạm tính, không đánh giá tiến độ hay mục tiêu.",
                               "en": "An incomplete year: figures are provisional; no pace or goal is judged."},
    "brief.method": {"vi": "Số liệu từ cùng các truy vấn với bảng điều khiển. Tiến độ R = mức đã giảm ÷ mức cần giảm "
                           "theo lộ trình (đúng tiến độ khi R ≥ 0,95); tỷ lệ và R được đánh giá trên số đã làm tròn "
                           "như hiển thị.",
                     "en": "Figures from the same queries as the dashboard. Pace R = reduction achieved ÷ reduction "
                           "required by the path (on track at R ≥ 0.95); rates and R are judged as shown, rounded."},
    "brief.made": {"vi": "Lập ngày {date}", "en": "Made on {date}"},
    "brief.written": {"vi": "Đã ghi bản tin {unit} năm {year} vào {path}",
                      "en": "Brief for {unit}, {year} written to {path}"},
    "brief.not_pdf": {"vi": "Lỗi: tệp bản tin phải có đuôi .pdf: {path}",
                      "en": "error: the brief file must end in .pdf: {path}"},
    "brief.bad.unknown_district": {"vi": "Lỗi: không có huyện mã {code} trong {units}; không ghi tệp nào.",
                                   "en": "error: there is no district {code} in {units}; nothing written."},
    "brief.bad.unknown_commune": {"vi": "Lỗi: không có xã, phường mã {code} trong {units} (đơn vị trước sáp nhập: "
                                        "thêm --units former; đơn vị hiện nay: --units current); không ghi tệp nào.",
                                  "en": "error: there is no commune or ward {code} in {units} (a former unit: add "
                                        "--units former; a current one: --units current); nothing written."},
    "brief.bad.no_districts": {"vi": "Lỗi: {units} không có cấp huyện nên không có huyện mã {code}: hãy chọn xã, "
                                     "phường bằng --commune; không ghi tệp nào.",
                               "en": "error: {units} have no districts, so there is no district {code}: choose a "
                                     "commune or ward with --commune; nothing written."},
    "brief.bad.both": {"vi": "Lỗi: chỉ chọn một địa bàn, --district hoặc --commune (đã cho {code}, {units}); không "
                             "ghi tệp nào.",
                       "en": "error: choose one place, --district or --commune (given {code}, {units}); nothing "
                             "written."},
    "brief.no_data": {"vi": "Lỗi: không có hộ nào của {unit} được rà soát năm {year}; không ghi tệp nào.",
                      "en": "error: no household of {unit} was reviewed in {year}; nothing written."},
    "brief.unavailable.chromium": {
        "vi": "Lỗi: máy này không có trình duyệt Chromium để vẽ biểu đồ của bản tin (đặt CHROMIUM_PATH hoặc cài gói "
              "chromium); không ghi tệp nào.",
        "en": "error: this system has no Chromium browser to draw the brief's chart (set CHROMIUM_PATH or install "
              "the chromium package); nothing written."},
    "brief.unavailable.pango": {
        "vi": "Lỗi: máy này thiếu thư viện Pango để tạo tệp PDF (cài gói libpango-1.0-0); không ghi tệp nào.",
        "en": "error: this system lacks the Pango library that writes the PDF (install libpango-1.0-0); nothing "
              "written."},
    "brief.download": {"vi": "Tải bản tin một trang (PDF)", "en": "Download the one-page brief (PDF)"},
    "brief.download_help": {
        "vi": "Một trang A4 để in cho cuộc họp: tỷ lệ hộ nghèo của {place} năm {year}, tiến độ so với kế hoạch, xu "
              "hướng, bản đồ, ba thiếu hụt chính và dự báo đến mục tiêu.",
        "en": "One A4 page to print for a meeting: the poor rate of {place} in {year}, its pace against the plan, "
              "trajectory, map, three main deprivations and the projection to the goal."},
    "brief.refused_hidden": {
        "vi": "Không tải được bản tin một trang cho phạm vi này: một số số liệu của bản tin được ẩn với người xem chưa "
              "đăng nhập ({marker}). Hãy đăng nhập, hoặc chọn phạm vi rộng hơn.",
        "en": "The one-page brief is not offered for this selection: some of its figures are hidden from viewers who "
              "are not signed in ({marker}). Sign in, or choose a wider selection."},
    "brief.no_browser": {"vi": "Máy chủ chưa cài trình duyệt Chromium nên chưa tạo được bản tin một trang (PDF).",
                         "en": "The server has no Chromium browser installed, so it cannot make the one-page brief "
                               "(PDF) yet."},
    "brief.refused_places": {
        "vi": "Bản tin một trang là của toàn tỉnh, một huyện hoặc một xã, phường: hãy chọn một địa bàn để tải.",
        "en": "The one-page brief is of the province, one district or one commune: choose a single place to "
              "download it."},
    # trajectories
    "chart.goal_line": {"vi": "Mục tiêu: dưới {goal} ({year})", "en": "Goal: under {goal} ({year})"},
    "traj.measure_excl_sp": {
        "vi": "Khu vực thành thị / nông thôn: đường hộ nghèo, lộ trình và mục tiêu tính trên tỷ lệ không gồm hộ nghèo "
              "thuộc diện bảo trợ xã hội, như chỉ tiêu của kế hoạch.",
        "en": "Urban / rural: the poor line, the path and the goal use the rate without poor social-protection "
              "households, as the plan's target does."},
    "traj.partial_left_out": {"vi": "Năm chưa đủ dữ liệu không được vẽ trên đường xu hướng: {years}.",
                               "en": "Incomplete years are left out of the lines: {years}."},
    "scope_target.urban": {
        "vi": "Phạm vi thành thị được đánh giá theo chỉ tiêu riêng của kế hoạch: dưới 1 % năm 2025, không tính hộ "
              "nghèo thuộc diện bảo trợ xã hội; lộ trình là đường thẳng từ mức năm 2021.",
        "en": "Urban households are judged by the plan's own urban target: under 1 % by 2025, not counting poor "
              "social-protection households; the path is a straight line from the 2021 value."},
    "scope_target.rural": {
        "vi": "Phạm vi nông thôn được đánh giá theo chỉ tiêu riêng của kế hoạch: dưới 2 % năm 2025, không tính hộ "
              "nghèo thuộc diện bảo trợ xã hội; lộ trình là đường thẳng từ mức năm 2021.",
        "en": "Rural households are judged by the plan's own rural target: under 2 % by 2025, not counting poor "
              "social-protection households; the path is a straight line from the 2021 value."},
    "scope_target.ethnic_minority": {
        "vi": "Nhóm dân tộc thiểu số được đánh giá theo chỉ tiêu riêng của kế hoạch: giảm 1 điểm %/năm từ mức năm "
              "2021 (không thấp hơn 1 %); mục tiêu cuối kỳ là mức cuối lộ trình.",
        "en": "Ethnic-minority households are judged by the plan's own target: down 1 point a year from the 2021 "
              "value (not below 1 %); the end goal is the path's end."},
    "traj.title": {"vi": "Xu hướng tỷ lệ hộ nghèo theo huyện", "en": "Poor-rate trajectories by district"},
    "traj.title_units": {"vi": "Xu hướng tỷ lệ hộ nghèo theo xã, phường",
                         "en": "Poor-rate trajectories by commune and ward"},
    "traj.current_sums": {
        "vi": "Theo đơn vị hiện nay, số liệu các năm trước {year} của mỗi xã, phường là tổng của các xã cũ hợp thành "
              "nó (chính xác: không xã cũ nào bị chia tách); lộ trình và tiến độ tính trên các tổng đó.",
        "en": "In the current units, each commune's or ward's figures before {year} are the sums of the former "
              "communes it was made of (exact: no former commune was split); its path and pace are computed on "
              "those sums."},
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
    "traj.break_short": {"vi": "Chuẩn mới từ 2021 (12/2020: 1,24 % theo chuẩn cũ)",
                          "en": "New standard from 2021 (Dec 2020: 1.24 % under the old one)"},
    "traj.axis_rate": {"vi": "Tỷ lệ hộ (%)", "en": "Share of households (%)"},
    "traj.status_table": {"vi": "Đánh giá theo huyện, năm {year}", "en": "Status by district, {year}"},
    "traj.status_table_units": {"vi": "Đánh giá theo xã, phường, năm {year}",
                                "en": "Status by commune and ward, {year}"},
    "traj.province_line": {"vi": "Đường đậm: toàn tỉnh (theo khu vực và nhóm dân tộc đã chọn); nét đứt: lộ trình "
                                 "mục tiêu của từng đơn vị.",
                           "en": "Bold line: the whole province (for the chosen area and group); dashed: each unit's "
                                 "target path."},
    # pace to the goal: projections at the current pace (queries/pace.py, dashboard/pace.py), always marked as such
    "pace.legend": {"vi": "Dự báo theo tốc độ hiện tại", "en": "Projection at the current pace"},
    "pace.title": {"vi": "Dự báo theo tốc độ hiện tại (từ năm {year})",
                   "en": "Projection at the current pace (from {year})"},
    "pace.method": {
        "vi": "Cách tính dự báo (không phải số liệu rà soát): tốc độ là độ dốc của đường thẳng bình phương nhỏ "
              "nhất qua {window} lần rà soát đầy đủ gần nhất của đơn vị đến năm đang xem (cùng một chuẩn nghèo; chỉ có "
              "2 lần thì lấy chênh lệch mỗi năm; 1 lần thì không dự báo). Tỷ lệ dự báo = tỷ lệ đo được năm đang xem "
              "+ tốc độ × số năm còn lại, không bao giờ dưới 0 %. Năm đạt mục tiêu: năm đầu tiên tỷ lệ dự báo đạt "
              "mục tiêu, hiểu như cột mục tiêu (có thể sau năm cuối kế hoạch; không tìm quá năm {horizon}). Số hộ cần "
              "thoát nghèo mỗi năm: số hộ nghèo hiện nay trừ số hộ nghèo nhiều nhất vẫn đạt mục tiêu, chia cho số năm "
              "còn lại, làm tròn lên, giả định số hộ giữ như năm đang xem.",
        "en": "How the projection is made (it is not review data): the pace is the slope of the least-squares line "
              "through the unit's last {window} complete reviews up to the year shown (under one poverty standard; "
              "with only 2, their difference per year; with 1, no projection). Projected rate = the rate measured "
              "in the year shown + pace × the years remaining, never below 0 %. Year the goal is reached: the first "
              "year whose projected rate meets the goal as the goal column judges it (it may be after the plan's "
              "final year; not searched past {horizon}). Households to leave poverty each year: today's poor "
              "households less the most that still meet the goal, divided by the years remaining and rounded up, "
              "assuming the number of households stays as in the year shown."},
    "pace.chart_note": {
        "vi": "Nét gạch dài, nhạt: dự báo theo tốc độ hiện tại từ năm {year} đến năm {goal_year} (không phải số liệu).",
        "en": "Long dashes, lighter: projection at the current pace from {year} to {goal_year} (not data)."},
    "pace.chart_note_total": {
        "vi": "Nét gạch dài, nhạt: dự báo theo tốc độ hiện tại của toàn tỉnh từ năm {year} đến năm {goal_year} (không "
              "phải số liệu); các đơn vị có dự báo trong bảng dưới.",
        "en": "Long dashes, lighter: the province's projection at the current pace from {year} to {goal_year} (not "
              "data); each unit's projection is in the table below."},
    "pace.no_remaining": {
        "vi": "Năm {year} không còn năm nào trước năm mục tiêu {goal_year}: bảng dự báo chỉ cho biết tốc độ gần đây và "
              "năm sẽ đạt mục tiêu ở tốc độ đó.",
        "en": "No year remains from {year} to the goal year {goal_year}: the projection table gives the recent pace "
              "and the year the goal would be reached at it."},
    "pace.col.pace": {"vi": "Dự báo: tốc độ gần đây (điểm %/năm)", "en": "Projection: recent pace (pts/year)"},
    "pace.col.projected_rate": {"vi": "Dự báo: tỷ lệ năm {year} (%)", "en": "Projection: rate in {year} (%)"},
    "pace.col.meets": {"vi": "Dự báo: đạt mục tiêu {goal}?", "en": "Projection: meets the goal {goal}?"},
    "pace.col.reach_year": {"vi": "Dự báo: năm đạt mục tiêu", "en": "Projection: year the goal is reached"},
    "pace.col.households_per_year": {"vi": "Dự báo: số hộ cần thoát nghèo mỗi năm còn lại",
                                     "en": "Projection: households to leave poverty each remaining year"},
    "pace.col.basis": {"vi": "Dự báo: căn cứ", "en": "Projection: based on"},
    "pace.the_goal": {"vi": "cuối kỳ", "en": "(end of plan)"},
    "pace.yes": {"vi": "Có", "en": "Yes"},
    "pace.no": {"vi": "Không", "en": "No"},
    "pace.basis": {"vi": "rà soát {first}–{last} ({n} lần)", "en": "reviews {first}–{last} ({n})"},
    "pace.reach.not_falling": {"vi": "không đạt ở tốc độ này (không giảm)", "en": "not at this pace (not falling)"},
    "pace.reach.beyond_horizon": {"vi": "không đạt trước năm {horizon}", "en": "not before {horizon}"},
    "pace.reason.no_data": {"vi": "không có số liệu năm này", "en": "no data this year"},
    "pace.reason.incomplete": {"vi": "năm chưa đủ dữ liệu: không dự báo", "en": "incomplete year: no projection"},
    "pace.reason.hidden": {"vi": "ẩn — bảo vệ ô nhỏ", "en": "hidden — protects a small cell"},
    "pace.reason.no_goal": {"vi": "không có mục tiêu", "en": "no goal"},
    "pace.reason.one_review": {"vi": "chỉ có 1 lần rà soát: không dự báo", "en": "one review only: no projection"},
    "pace.ranking_note": {
        "vi": "Các cột \"Dự báo\" là dự báo theo tốc độ hiện tại, không phải số liệu rà soát.",
        "en": "The \"Projection\" columns are projections at the current pace, not review data."},
    # map
    "map.title": {"vi": "Bản đồ các xã, phường, thị trấn năm {year}", "en": "Communes, {year}"},
    "map.title_units": {"vi": "Bản đồ các xã, phường năm {year}", "en": "Communes and wards, {year}"},
    # the map's colour bar titles (with the unit) and hover lines (the value carries the unit, the label does not)
    "map.scale.poor_rate": {"vi": "Tỷ lệ hộ nghèo (%)", "en": "Poor rate (%)"},
    "map.scale.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo (%)", "en": "Near-poor rate (%)"},
    "map.scale.change_since_baseline": {"vi": "Thay đổi tỷ lệ nghèo so với 2021 (điểm %)",
                                        "en": "Change in poor rate since 2021 (pts)"},
    "map.scale.poor_households": {"vi": "Số hộ nghèo (hộ)", "en": "Poor households (count)"},
    "map.hover.poor_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poor rate"},
    "map.hover.near_poor_rate": {"vi": "Tỷ lệ hộ cận nghèo", "en": "Near-poor rate"},
    "map.hover.change_since_baseline": {"vi": "Thay đổi so với 2021", "en": "Change since 2021"},
    "map.hover.poor_households": {"vi": "Số hộ nghèo", "en": "Poor households"},
    "map.hover.households": {"vi": "{poor} hộ nghèo, {near} hộ cận nghèo / {total} hộ được rà soát",
                             "en": "{poor} poor, {near} near-poor / {total} households reviewed"},
    "map.no_data_unit": {"vi": "Chưa có dữ liệu", "en": "No data"},
    "map.unreliable": {"vi": "ít hộ, tỷ lệ kém tin cậy", "en": "few households, unreliable rate"},
    "map.no_boundaries": {
        "vi": "Không tìm thấy tệp ranh giới: bản đồ hiển thị vòng tròn tại trung tâm mỗi xã (kích thước theo số hộ).",
        "en": "No boundary files found: the map shows circles at commune centres (sized by households).",
    },
    "map.boundary_error": {"vi": "Không dùng được tệp ranh giới {file}, bản đồ vẽ vòng tròn thay thế (chi tiết trong "
                                 "nhật ký máy chủ).",
                           "en": "The boundary file {file} cannot be used, so the map shows circles instead (details "
                                 "in the server log)."},
    "map.select_commune": {"vi": "Chọn xã để xem chi tiết (hoặc bấm vào bản đồ)",
                           "en": "Choose a commune for details (or click the map)"},
    "map.no_commune": {"vi": "— chưa chọn —", "en": "— none —"},
    "map.commune_series": {"vi": "{commune}: tỷ lệ hộ nghèo và cận nghèo 2021–2025",
                           "en": "{commune}: poor and near-poor rates 2021–2025"},
    "map.breakdown": {"vi": "{commune}: thiếu hụt theo 12 chỉ số, năm {year}",
                      "en": "{commune}: deprivations by the 12 indicators, {year}"},
    "map.no_data": {"vi": "Không có xã nào trong phạm vi đã chọn.", "en": "No commune in the selection."},
    "map.table": {"vi": "Số liệu các xã", "en": "Commune figures"},
    "map.table_units": {"vi": "Số liệu các xã, phường", "en": "Commune and ward figures"},
    "map.source": {"vi": "Ranh giới: {source} (đơn giản hóa cho trình duyệt)",
                   "en": "Boundaries: {source} (simplified for the browser)"},
    # ranking
    "rank.title": {"vi": "Xếp hạng thi đua năm {year}", "en": "Emulation ranking, {year}"},
    "rank.explain": {
        "vi": "Xếp theo tiến độ R = mức giảm tỷ lệ nghèo đã đạt ÷ mức giảm cần đạt theo lộ trình riêng của mỗi đơn "
              "vị (tỷ lệ {base_year} giảm {first_step} điểm % năm {first_year}, rồi {step} điểm %/năm, không thấp hơn "
              "{ceiling}), "
              "cao trước; bằng nhau thì tỷ lệ nghèo thấp trước. Cột mục tiêu cho biết đơn vị đã đạt mục tiêu cuối kỳ "
              "của kế hoạch (dưới {ceiling} năm {final_year}) hay chưa.",
        "en": "Ranked by pace R = reduction in the poor rate achieved ÷ reduction required by each unit's own path "
              "(its {base_year} rate minus {first_step} points in {first_year}, then {step} a year, not below "
              "{ceiling}), "
              "highest first; ties by the lower poor rate. The goal column says whether the unit meets the plan's "
              "end goal (under {ceiling} by {final_year}).",
    },
    "rank.partial_year": {"vi": "Năm này chưa đủ dữ liệu nên chưa xếp hạng.",
                          "en": "This year is incomplete, so it is not ranked."},
    "rank.no_data_communes": {"vi": "Chưa có dữ liệu năm này ({n} xã): {names}.",
                              "en": "No data for this year ({n} communes): {names}."},
    "rank.districts": {"vi": "Các huyện", "en": "Districts"},
    "rank.communes": {"vi": "Các xã", "en": "Communes"},
    "rank.units": {"vi": "Các xã, phường", "en": "Communes and wards"},
    "rank.left_behind": {"vi": "Các xã bị bỏ lại phía sau (chưa đúng tiến độ)",
                         "en": "Communes left behind (off track)"},
    "rank.left_behind_units": {"vi": "Các xã, phường bị bỏ lại phía sau (chưa đúng tiến độ)",
                               "en": "Communes and wards left behind (off track)"},
    "rank.left_behind_none": {"vi": "Không có đơn vị nào chậm tiến độ.", "en": "No unit is off track."},
    "rank.baseline_year": {"vi": "Năm 2021 là năm gốc: chọn năm từ 2022 để xếp hạng.",
                           "en": "2021 is the baseline year: choose 2022 or later to rank."},
    # the commune profile (pages/commune.py, dashboard/profile.py; issue 12)
    "profile.title": {"vi": "Hồ sơ: {name}", "en": "Profile: {name}"},
    "profile.pick": {"vi": "Đơn vị xem hồ sơ", "en": "Unit to profile"},
    "profile.none": {"vi": "— chưa chọn —", "en": "— none —"},
    "profile.intro": {
        "vi": "Chọn một đơn vị cấp xã để xem trên một trang: số hộ, tiến độ theo lộ trình riêng và mục tiêu cuối kỳ, "
              "xu hướng, thứ hạng thi đua, biến động hộ nghèo và thiếu hụt chính. Trang cũng mở được từ bản đồ xã và "
              "từ các bảng số liệu của xã (cột \"Hồ sơ\").",
        "en": "Choose a commune-level unit to see it on one page: its households, its pace on its own path and the "
              "plan's end goal, its trajectory, emulation rank, poverty flows and main deprivations. The page also "
              "opens from the commune map and from the communes' tables (the \"Profile\" column)."},
    "profile.outside": {"vi": "{unit} không thuộc địa bàn đang chọn ở thanh bên: hãy chọn đơn vị khác, hoặc bỏ chọn "
                              "địa bàn để xem toàn tỉnh.",
                        "en": "{unit} is not among the places chosen in the sidebar: choose another unit, or clear the "
                              "place choice to see the whole province."},
    "profile.facts.former": {"vi": "{type} thuộc {district} · {area}", "en": "{type} in {district} · {area}"},
    "profile.facts.current": {"vi": "{type} · {area}", "en": "{type} · {area}"},
    "profile.type.ward": {"vi": "Phường", "en": "Ward"},
    "profile.type.township": {"vi": "Thị trấn", "en": "Township"},
    "profile.type.commune": {"vi": "Xã", "en": "Commune"},
    "profile.no_data": {"vi": "{name} không có hộ nào được rà soát trong phạm vi này năm {year}.",
                        "en": "{name} has no household reviewed in this selection in {year}."},
    "profile.status_h": {"vi": "Số hộ, tiến độ và mục tiêu năm {year}", "en": "Households, pace and goal, {year}"},
    "profile.trajectory_h": {"vi": "Tỷ lệ hộ nghèo so với lộ trình", "en": "Poor rate against its path"},
    "profile.rank_h": {"vi": "Thứ hạng thi đua năm {year}", "en": "Emulation rank, {year}"},
    "profile.rank.selection": {"vi": "Trong phạm vi đang xem", "en": "Among the units in view"},
    "profile.rank.district": {"vi": "Trong {district}", "en": "In {district}"},
    "profile.rank.area.urban": {"vi": "Trong các phường, thị trấn", "en": "Among wards and townships"},
    "profile.rank.area.rural": {"vi": "Trong các xã", "en": "Among rural communes"},
    "profile.rank.area.urban.current": {"vi": "Trong các phường", "en": "Among wards"},
    "profile.rank.area.rural.current": {"vi": "Trong các xã", "en": "Among communes"},
    "profile.rank.value": {"vi": "{rank} / {of}", "en": "{rank} of {of}"},
    "profile.rank_note": {
        "vi": "Hạng theo tiến độ R, như trang Xếp hạng thi đua với cùng bộ lọc (hạng 1: R cao nhất), trong các đơn vị "
              "đang xem, trong cùng huyện và trong cùng loại khu vực.",
        "en": "Ranked by pace R as the emulation ranking ranks with the same filters (1: the highest R), among the "
              "units in view, within the district and among units of the same area type."},
    "profile.rank_note.current": {
        "vi": "Hạng theo tiến độ R, như trang Xếp hạng thi đua với cùng bộ lọc (hạng 1: R cao nhất), trong các đơn vị "
              "đang xem và trong cùng loại khu vực (đơn vị hành chính hiện nay không thuộc huyện).",
        "en": "Ranked by pace R as the emulation ranking ranks with the same filters (1: the highest R), among the "
              "units in view and among units of the same area type (the current units have no districts)."},
    "profile.flows_h": {"vi": "Biến động hộ nghèo, {start} → {end}", "en": "Poverty flows, {start} → {end}"},
    "profile.flows_hidden": {
        "vi": "{marker}: không hiển thị biến động của đơn vị này vì số liệu năm {start} hoặc năm {end} có ít hộ.",
        "en": "{marker}: this unit's flows are not shown: its {start} or {end} figures come from few households."},
    "profile.flows_note": {"vi": "Số hộ nghèo, như trang Biến động hộ nghèo (ở đó có cả hộ cận nghèo và số người).",
                           "en": "Poor households, as on the poverty flows page (which also has near-poor households "
                                 "and people)."},
    "profile.drivers_h": {"vi": "Thiếu hụt của hộ nghèo năm {year}, so với huyện và toàn tỉnh",
                          "en": "What keeps households poor, {year}: against the district and the province"},
    "profile.drivers_h_current": {"vi": "Thiếu hụt của hộ nghèo năm {year}, so với toàn tỉnh",
                                  "en": "What keeps households poor, {year}: against the province"},
    "profile.drivers_note": {
        "vi": "Hộ nghèo và thiếu hụt: số hộ vừa nghèo vừa thiếu hụt chỉ số đó, tính trên mọi hộ được rà soát của "
              "từng nơi (cùng khu vực và nhóm dân tộc đang xem). Trang Nguyên nhân nghèo có thêm tỷ lệ trong hộ nghèo, "
              "mức đóng góp và các tổ hợp thiếu hụt.",
        "en": "Poor and deprived: households both poor and deprived in the indicator, as a share of all households "
              "reviewed in each place (the area and group in view). The deprivation drivers page adds the share "
              "among poor households, the contributions and the combinations of deprivations."},
    "profile.drivers_hidden": {"vi": "Không hiển thị: {places}.", "en": "Not shown: {places}."},
    "profile.link_column": {"vi": "Hồ sơ", "en": "Profile"},
    "profile.link_text": {"vi": "Xem ›", "en": "Open ›"},
    "profile.open": {"vi": "Mở hồ sơ {name}", "en": "Open the profile of {name}"},
    # the compare page (pages/compare.py; issue 12)
    "compare.pick": {"vi": "Địa bàn so sánh (tối đa {n})", "en": "Places to compare (up to {n})"},
    "compare.none": {"vi": "Chọn huyện, xã để so sánh", "en": "Choose places to compare"},
    "compare.intro": {
        "vi": "Chọn tối đa {n} địa bàn (theo đơn vị trước sáp nhập: huyện hoặc xã; theo đơn vị hiện nay: xã, phường) "
              "để xem cạnh nhau xu hướng so với lộ trình riêng, số liệu năm đang xem và thiếu hụt chính. Lựa chọn được "
              "giữ trong địa chỉ trang.",
        "en": "Choose up to {n} places (in the former units: districts or communes; in the current units: communes "
              "and wards) to see side by side their trajectories against their own paths, their figures for the "
              "year in view and their main deprivations. The choice is kept in the page address."},
    "compare.trajectories_h": {"vi": "Tỷ lệ hộ nghèo so với lộ trình riêng", "en": "Poor rate against each one's path"},
    "compare.chart_note": {"vi": "Nét đứt: lộ trình riêng của mỗi địa bàn. Đường đen: toàn tỉnh, cùng khu vực và nhóm "
                                 "dân tộc.",
                           "en": "Dashed: each place's own path. Black: the whole province, same area and group."},
    "compare.table_h": {"vi": "Số liệu năm {year}", "en": "Figures, {year}"},
    "compare.col_unit": {"vi": "Địa bàn", "en": "Place"},
    "compare.drivers_h": {"vi": "Thiếu hụt của hộ nghèo năm {year}", "en": "What keeps households poor, {year}"},
    "compare.no_data": {"vi": "Các địa bàn đã chọn không có hộ nào được rà soát trong phạm vi này.",
                        "en": "The chosen places have no household reviewed in this selection."},
    # flows between reviews (pages/flows.py, dashboard/flows.py; issue 11)
    "flows.title": {"vi": "Biến động hộ nghèo, {start} → {end}", "en": "Poverty flows, {start} → {end}"},
    "flows.explain": {
        "vi": "So sánh hai lần rà soát liền nhau: hộ nghèo năm trước thoát nghèo (thành hộ cận nghèo hoặc vượt mức cận "
              "nghèo), vẫn nghèo hay ra khỏi rà soát; hộ nghèo năm nay từ cận nghèo, tái nghèo (từng nghèo trước "
              "đó), hộ nghèo phát sinh (chưa từng nghèo) hay mới vào rà soát. Hộ nghèo cuối kỳ = đầu kỳ − các nhóm "
              "giảm + các nhóm tăng.",
        "en": "Two reviews in a row compared: the year before's poor households escaped (to near-poor or above the "
              "near-poor line), stayed poor or left the review; this year's poor households came from near-poor, "
              "fell back (poor in an earlier review), are newly poor (never poor before) or joined the review. Poor at "
              "the end = at the start − the decreases + the increases."},
    "flows.first_year": {"vi": "Năm {year} là năm rà soát đầu tiên trong kho dữ liệu nên chưa có biến động: chọn năm "
                               "từ {next} để xem biến động so với năm trước.",
                         "en": "{year} is the first review year in the warehouse, so there are no flows into it: "
                               "choose {next} or later to see the flows from the year before."},
    "flows.no_previous": {"vi": "Không có kết quả rà soát năm {previous} nên không có biến động đến năm {year}.",
                          "en": "There is no {previous} review, so there are no flows into {year}."},
    "flows.partial_year": {
        "vi": "Biến động cần hai lần rà soát đầy đủ. Năm {years} chưa đủ dữ liệu: các hộ chưa được rà soát sẽ bị tính "
              "như ra khỏi hoặc mới vào rà soát, nên trang chưa tính biến động cho đến khi đủ dữ liệu.",
        "en": "Flows need two complete reviews. {years} is incomplete: households not reviewed yet would count as "
              "having left or joined the review, so the page shows no flows until it is complete."},
    "flows.accounting.poor": {"vi": "Hộ nghèo từ năm {start} đến năm {end}",
                              "en": "Poor households from {start} to {end}"},
    "flows.accounting.near_poor": {"vi": "Hộ cận nghèo từ năm {start} đến năm {end}",
                                   "en": "Near-poor households from {start} to {end}"},
    "flows.total.poor": {"vi": "Hộ nghèo năm {year}", "en": "Poor, {year}"},
    "flows.total.near_poor": {"vi": "Hộ cận nghèo năm {year}", "en": "Near-poor, {year}"},
    "flows.members_change.poor": {"vi": "Thay đổi nhân khẩu của hộ vẫn nghèo",
                                  "en": "Change in members of households still poor"},
    "flows.members_change.near_poor": {"vi": "Thay đổi nhân khẩu của hộ vẫn cận nghèo",
                                       "en": "Change in members of households still near-poor"},
    "flows.class.poor": {"vi": "Hộ nghèo", "en": "Poor households"},
    "flows.class.near_poor": {"vi": "Hộ cận nghèo", "en": "Near-poor households"},
    "flows.class_short.poor": {"vi": "Nghèo", "en": "Poor"},
    "flows.class_short.near_poor": {"vi": "Cận nghèo", "en": "Near-poor"},
    "flows.class_short.average": {"vi": "Trung bình", "en": "Average"},
    "flows.class_short.above": {"vi": "Trên trung bình", "en": "Above average"},
    "flows.class_short.not_reviewed": {"vi": "Không rà soát", "en": "Not reviewed"},
    "flows.class_short.outside": {"vi": "Ngoài phạm vi chọn", "en": "Outside the selection"},
    "flows.count.households": {"vi": "Số hộ", "en": "Households"},
    "flows.count.people": {"vi": "Số người", "en": "People"},
    "flows.unit.households": {"vi": "hộ", "en": "households"},
    "flows.unit.people": {"vi": "người", "en": "people"},
    "flow.poor.out.stayed": {"vi": "Vẫn nghèo", "en": "Still poor"},
    "flow.poor.out.escaped_to_near_poor": {"vi": "Thoát nghèo, thành hộ cận nghèo", "en": "Escaped, now near-poor"},
    "flow.poor.out.escaped_above": {"vi": "Thoát nghèo, vượt mức cận nghèo",
                                    "en": "Escaped above the near-poor line"},
    "flow.poor.out.left": {"vi": "Ra khỏi rà soát", "en": "Left the review"},
    "flow.poor.out.reclassified_out": {"vi": "Ra ngoài phạm vi chọn (đổi khu vực)",
                                       "en": "Left the selection (area changed)"},
    "flow.poor.in.stayed": {"vi": "Vẫn nghèo", "en": "Still poor"},
    "flow.poor.in.from_near_poor": {"vi": "Từ cận nghèo", "en": "From near-poor"},
    "flow.poor.in.fell_back": {"vi": "Tái nghèo", "en": "Fell back into poverty"},
    "flow.poor.in.newly_poor": {"vi": "Hộ nghèo phát sinh", "en": "Newly poor"},
    "flow.poor.in.joined": {"vi": "Mới vào rà soát", "en": "Joined the review"},
    "flow.poor.in.reclassified_in": {"vi": "Vào phạm vi chọn (đổi khu vực)",
                                     "en": "Entered the selection (area changed)"},
    "flow.near_poor.out.stayed": {"vi": "Vẫn cận nghèo", "en": "Still near-poor"},
    "flow.near_poor.out.became_poor": {"vi": "Thành hộ nghèo", "en": "Became poor"},
    "flow.near_poor.out.escaped_above": {"vi": "Thoát cận nghèo, vượt mức cận nghèo",
                                         "en": "Rose above the near-poor line"},
    "flow.near_poor.out.left": {"vi": "Ra khỏi rà soát", "en": "Left the review"},
    "flow.near_poor.out.reclassified_out": {"vi": "Ra ngoài phạm vi chọn (đổi khu vực)",
                                            "en": "Left the selection (area changed)"},
    "flow.near_poor.in.stayed": {"vi": "Vẫn cận nghèo", "en": "Still near-poor"},
    "flow.near_poor.in.from_poor": {"vi": "Từ hộ nghèo (thoát nghèo)", "en": "From poor (escaped poverty)"},
    "flow.near_poor.in.fell_back": {"vi": "Tái cận nghèo", "en": "Fell back into near-poverty"},
    "flow.near_poor.in.newly_near_poor": {"vi": "Hộ cận nghèo phát sinh", "en": "Newly near-poor"},
    "flow.near_poor.in.joined": {"vi": "Mới vào rà soát", "en": "Joined the review"},
    "flow.near_poor.in.reclassified_in": {"vi": "Vào phạm vi chọn (đổi khu vực)",
                                          "en": "Entered the selection (area changed)"},
    "flows.col.category": {"vi": "Nhóm", "en": "Category"},
    "flows.col.total": {"vi": "Tổng", "en": "Total"},
    "flows.col.from_to": {"vi": "{start} → {end}", "en": "{start} → {end}"},
    "flows.col.flag": {"vi": "Tái nghèo + phát sinh > thoát nghèo", "en": "Fell back + newly poor > escaped"},
    "flows.col.insured": {"vi": "% người thuộc hộ thoát nghèo có BHYT",
                          "en": "% of people in escaped households insured"},
    "flows.flag_yes": {"vi": "⚑ Có", "en": "⚑ Yes"},
    "flows.people_note": {
        "vi": "Số người: nhân khẩu ở lần rà soát của từng nhóm (đầu kỳ và các nhóm giảm: năm {start}; các nhóm tăng "
              "và cuối kỳ: năm {end}).",
        "en": "People: members at the review each figure comes from (the start and the decreases: {start}; the "
              "increases and the end: {end})."},
    "flows.unit_note.households": {"vi": "Các bảng đếm số hộ.", "en": "The tables count households."},
    "flows.unit_note.people": {
        "vi": "Các bảng đếm số người: nhân khẩu ở lần rà soát của từng nhóm (đầu kỳ và các nhóm giảm: năm {start}; "
              "các nhóm tăng và cuối kỳ: năm {end}).",
        "en": "The tables count people: members at the review each figure comes from (the start and the decreases: "
              "{start}; the increases and the end: {end})."},
    "flows.insured_metric": {"vi": "Người thuộc hộ thoát nghèo có BHYT, năm {year}",
                             "en": "People in escaped households with health insurance, {year}"},
    "flows.insured_help": {
        "vi": "Mục tiêu của kế hoạch: 100 %. Tỷ lệ người thuộc các hộ thoát nghèo năm {year} (hộ nghèo năm {previous}, "
              "cận nghèo hoặc trên mức cận nghèo năm {year}) có mọi thành viên từ 6 tuổi có thẻ BHYT.",
        "en": "The plan's goal: 100 %. The share of the people in the households that escaped poverty in {year} (poor "
              "in {previous}, near-poor or above in {year}) whose every member aged 6 or more has health insurance."},
    "flows.insured_none": {"vi": "Năm {year} không có hộ thoát nghèo nên không có tỷ lệ người có thẻ BHYT.",
                           "en": "No household escaped poverty in {year}, so there is no health-insurance share."},
    "flows.hidden_selection": {
        "vi": "{marker}: không hiển thị biến động của phạm vi đã chọn vì số liệu năm {start} hoặc năm {end} có ít hộ.",
        "en": "{marker}: the flows of this selection are not shown: its {start} or {end} figures come from few "
              "households."},
    "flows.matrix": {"vi": "Chuyển dịch giữa các nhóm hộ, {start} → {end}",
                     "en": "Moves between classes, {start} → {end}"},
    "flows.matrix_note": {"vi": "Bảng: mỗi hàng là nhóm của hộ năm {start}, mỗi cột là nhóm năm {end}.",
                          "en": "Table: each row is the households' class in {start}, each column their class in "
                                "{end}."},
    "flows.sankey_note": {"vi": "Sơ đồ chỉ vẽ các hộ nghèo hoặc cận nghèo ở ít nhất một trong hai năm; bảng dưới có đủ "
                                "các nhóm. Người: nhân khẩu ở lần rà soát năm sau (hoặc năm trước, với hộ ra khỏi rà "
                                "soát).",
                          "en": "The diagram draws only the households poor or near-poor in at least one of the two "
                                "years; the table below has every class. People: members at the later review (or the "
                                "earlier one, for households that left the review)."},
    "flows.outside_note": {
        "vi": "Ngoài phạm vi chọn (đổi khu vực): hộ được rà soát nhưng ngoài phạm vi đã chọn ở một trong hai năm vì "
              "đơn vị hành chính của hộ đổi khu vực khi sắp xếp (ví dụ xã thành phường).",
        "en": "Outside the selection (area changed): reviewed outside the selection in one of the two years because "
              "the unit's area changed in the reorganisation (a commune became a ward, for example)."},
    "flows.flagged_h": {"vi": "Đơn vị có số hộ tái nghèo và phát sinh nhiều hơn số hộ thoát nghèo",
                        "en": "Units where more households fell back or became newly poor than escaped"},
    "flows.flagged_item": {"vi": "{name} (tái nghèo và phát sinh {entered} hộ, thoát nghèo {escaped} hộ)",
                           "en": "{name} ({entered} fell back or newly poor, {escaped} escaped)"},
    "flows.flagged_none": {"vi": "Không có đơn vị nào.", "en": "None."},
    # deprivation drivers (pages/drivers.py, dashboard/drivers.py; issue 12)
    "drivers.title": {"vi": "Nguyên nhân nghèo: các thiếu hụt của hộ nghèo năm {year}",
                      "en": "Deprivation drivers: what poor households lack, {year}"},
    "drivers.explain": {
        "vi": "Hộ nghèo là hộ có thu nhập không quá chuẩn nghèo và thiếu hụt từ số chỉ số tối thiểu trở lên. Trang "
              "cho biết những thiếu hụt nào giữ các hộ ở lại trong nghèo: mỗi chỉ số được đo bằng tỷ lệ hộ vừa nghèo "
              "vừa thiếu hụt trên tổng số hộ, tỷ lệ hộ nghèo thiếu hụt, và mức đóng góp vào tổng số thiếu hụt của hộ "
              "nghèo (phương pháp OPHI/UNDP).",
        "en": "A poor household has an income at or under the poverty line and at least the standard's minimum of "
              "deprivations. This page shows which deprivations keep households poor: for each indicator the share "
              "of all households that are poor and deprived in it, the share of poor households deprived in it, and "
              "its contribution to all the poor households' deprivations (the OPHI / UNDP method)."},
    "drivers.scope": {"vi": "Địa bàn", "en": "Place"},
    "drivers.scope.total": {"vi": "Toàn bộ phạm vi đã chọn", "en": "The whole selection"},
    "drivers.no_data": {"vi": "{scope}: không có hộ nào được rà soát năm {year} trong phạm vi đã chọn.",
                        "en": "{scope}: no household reviewed in {year} in the selection."},
    "drivers.no_poor": {"vi": "{scope}: không có hộ nghèo năm {year}, nên không có thiếu hụt nào để phân tích.",
                        "en": "{scope}: no poor household in {year}, so there are no deprivations to analyse."},
    "drivers.hidden": {"vi": "{marker}: không hiển thị số liệu của {scope} trong phạm vi đã chọn.",
                       "en": "{marker}: the figures of {scope} in this selection are not shown."},
    "drivers.poor_hidden": {
        "vi": "{marker}: {scope} có ít hộ nghèo, nên không hiển thị thiếu hụt của các hộ nghèo.",
        "en": "{marker}: {scope} has few poor households, so their deprivations are not shown."},
    "drivers.metric.poor": {"vi": "Hộ nghèo", "en": "Poor households"},
    "drivers.metric.households": {"vi": "Hộ được rà soát", "en": "Households reviewed"},
    "drivers.metric.intensity": {"vi": "Thiếu hụt bình quân / hộ nghèo", "en": "Deprivations per poor household"},
    "drivers.poor_of": {"vi": "{poor} / {total} hộ", "en": "{poor} / {total} households"},
    "drivers.intensity_value": {"vi": "{value} / {n}", "en": "{value} / {n}"},
    "drivers.intensity_help": {
        "vi": "Cường độ nghèo: số chỉ số thiếu hụt bình quân của một hộ nghèo, trong {n} chỉ số của chuẩn nghèo.",
        "en": "Intensity: the average number of indicators a poor household is deprived in, of the standard's {n}."},
    "drivers.top_line": {"vi": "**Đóng góp nhiều nhất:** {indicator} ({share} tổng số thiếu hụt của hộ nghèo).",
                         "en": "**Largest contributor:** {indicator} ({share} of the poor households' "
                               "deprivations)."},
    "drivers.indicators_h": {"vi": "{scope}: thiếu hụt theo chỉ số, năm {year}",
                             "en": "{scope}: deprivations by indicator, {year}"},
    "drivers.measure": {"vi": "Biểu đồ", "en": "Chart"},
    "drivers.col.censored_headcount": {"vi": "Hộ nghèo và thiếu hụt (% mọi hộ)",
                                       "en": "Poor and deprived (% of all households)"},
    "drivers.col.share_among_poor": {"vi": "% hộ nghèo thiếu hụt", "en": "% of poor households deprived"},
    "drivers.col.contribution": {"vi": "Đóng góp vào thiếu hụt của hộ nghèo (%)",
                                 "en": "Contribution to the poor's deprivations (%)"},
    "drivers.col.change": {"vi": "Hộ nghèo và thiếu hụt: thay đổi từ {year} (điểm %)",
                           "en": "Poor and deprived: change since {year} (pts)"},
    "drivers.col.dimension": {"vi": "Chiều", "en": "Dimension"},
    "drivers.col.combination": {"vi": "Tổ hợp thiếu hụt", "en": "Deprivations together"},
    "drivers.col.count": {"vi": "Số chỉ số", "en": "Indicators"},
    "drivers.col.share_of_poor": {"vi": "% hộ nghèo", "en": "% of poor households"},
    "drivers.col.intensity": {"vi": "Thiếu hụt bình quân của hộ nghèo", "en": "Poor's average deprivations"},
    "drivers.col.censored_of": {"vi": "{indicator} (% mọi hộ)", "en": "{indicator} (% of all households)"},
    "drivers.baseline.same_standard": {
        "vi": "Thay đổi: điểm phần trăm so với năm gốc {base} của kế hoạch.",
        "en": "Change: percentage points since the plan's baseline year, {base}."},
    "drivers.baseline.other_standard": {
        "vi": "Năm gốc {base} áp dụng chuẩn nghèo khác năm {year}: thay đổi chỉ tính cho {n} / {total} chỉ số có ở "
              "cả hai chuẩn, và hộ nghèo được xác định theo chuẩn của từng năm.",
        "en": "The baseline year {base} used another poverty standard than {year}: the change is shown for the {n} of "
              "{total} indicators both standards count, each year's poor under its own standard."},
    "drivers.baseline.same_year": {"vi": "Năm {year} là năm gốc của kế hoạch: chưa có thay đổi để so sánh.",
                                   "en": "{year} is the plan's baseline year: there is no change to compare yet."},
    "drivers.baseline.before": {"vi": "Năm {year} trước năm gốc {base} của kế hoạch: không tính thay đổi.",
                                "en": "{year} is before the plan's baseline year {base}: no change is shown."},
    "drivers.baseline.no_data": {"vi": "Không có kết quả rà soát năm gốc {base}, nên không tính thay đổi.",
                                 "en": "There is no review of the baseline year {base}, so no change is shown."},
    "drivers.definitions": {
        "vi": "Hộ nghèo và thiếu hụt: số hộ vừa nghèo vừa thiếu hụt chỉ số ÷ mọi hộ được rà soát. % hộ nghèo thiếu "
              "hụt: ÷ số hộ nghèo. Đóng góp: số hộ nghèo thiếu hụt chỉ số ÷ tổng số thiếu hụt của các hộ nghèo "
              "trong {n} chỉ số (cộng lại bằng 100 %).",
        "en": "Poor and deprived: households both poor and deprived in the indicator ÷ all households reviewed. "
              "% of poor households deprived: ÷ the poor households. Contribution: poor households deprived in the "
              "indicator ÷ all the poor households' deprivations in the {n} indicators (adds up to 100 %)."},
    "drivers.combinations_h": {"vi": "{scope}: các tổ hợp thiếu hụt thường gặp nhất ở hộ nghèo, năm {year}",
                               "en": "{scope}: the poor households' most frequent deprivations together, {year}"},
    "drivers.combinations_note": {
        "vi": "{top} tổ hợp nhiều hộ nhất. Mỗi hộ nghèo được tính một lần, theo đúng các chỉ số mà hộ thiếu hụt.",
        "en": "The {top} most frequent. Each poor household counts once, under exactly the indicators it lacks."},
    "drivers.combinations_hidden": {
        "vi": "{marker}: tổ hợp của ít hộ không được liệt kê.",
        "en": "{marker}: combinations of few households are not listed."},
    "drivers.combinations_all_hidden": {
        "vi": "{marker}: mọi tổ hợp thường gặp nhất ở đây đều của ít hộ, nên không được liệt kê.",
        "en": "{marker}: every most frequent combination here is held by few households, so none is listed."},
    "drivers.combinations_none": {"vi": "Không có tổ hợp nào để hiển thị.", "en": "No combination to show."},
    "drivers.map_indicator": {"vi": "Chỉ số trên bản đồ", "en": "Indicator on the map"},
    "drivers.map_h": {"vi": "Bản đồ theo xã: hộ nghèo và thiếu hụt một chỉ số, năm {year}",
                      "en": "Map by commune: poor and deprived in one indicator, {year}"},
    "drivers.map_scale": {"vi": "Hộ nghèo và thiếu hụt (% mọi hộ)", "en": "Poor and deprived (% of all households)"},
    "drivers.map_note": {
        "vi": "Màu: tỷ lệ hộ vừa nghèo vừa thiếu hụt {indicator} trên mọi hộ được rà soát của xã.",
        "en": "Colour: the share of the unit's households reviewed that are poor and deprived in {indicator}."},
    "drivers.indicator_dropped": {
        "vi": "Chỉ số `{value}` không thuộc chuẩn nghèo áp dụng năm {year}: bản đồ hiển thị {indicator}.",
        "en": "`{value}` is no indicator of the poverty standard in force in {year}: the map shows {indicator}."},
    "drivers.communes_h": {"vi": "Theo xã, phường, thị trấn, năm {year}", "en": "By commune, {year}"},
    "drivers.units_h": {"vi": "Theo xã, phường, năm {year}", "en": "By commune and ward, {year}"},
    "flows.flagged_hidden": {"vi": "Đơn vị có số liệu bị ẩn (ít hộ) không được xét.",
                             "en": "Units whose figures are hidden (few households) are not judged."},
    "flows.districts": {"vi": "Theo huyện, {start} → {end}", "en": "By district, {start} → {end}"},
    "flows.communes": {"vi": "Theo xã, phường, thị trấn, {start} → {end}", "en": "By commune, {start} → {end}"},
    "flows.units": {"vi": "Theo xã, phường, {start} → {end}", "en": "By commune or ward, {start} → {end}"},
    "flows.report_h": {"vi": "Báo cáo tổng hợp kết quả rà soát năm {year}", "en": "Annual review report, {year}"},
    "flows.report_note": {"vi": "Các biểu tổng hợp của kỳ rà soát (Thông tư 07/2021/TT-BLĐTBXH) cho toàn tỉnh, bằng "
                                "tiếng Việt, không theo bộ lọc.",
                          "en": "The review's summary tables (Circular 07/2021/TT-BLĐTBXH) for the whole province, in "
                                "English (in Vietnamese, the forms' language, when the page is), whatever the "
                                "filters."},
    "flows.no_fell_back_yet": {"vi": "Năm {year} chưa thể có hộ tái nghèo: tái nghèo là nghèo lại sau khi đã thoát "
                                     "nghèo, mà trong kho dữ liệu không có kỳ rà soát nào trước năm {first}.",
                               "en": "{year} cannot have households that fell back: falling back means being poor "
                                     "again after escaping, and the warehouse holds no review before {first}."},
    "flows.report_download": {"vi": "Tải báo cáo (XLSX)", "en": "Download the report (XLSX)"},
    "flows.report_sign_in": {"vi": "Báo cáo có số liệu từ ít hộ nên chỉ tài khoản được phép mới tải được.",
                             "en": "The report holds figures from few households: only accounts allowed to see them "
                                   "can download it."},
    # method
    "method.title": {"vi": "Phương pháp và dữ liệu", "en": "Method and data"},
    "method.standard_h": {"vi": "Chuẩn nghèo", "en": "The poverty standard"},
    "method.standard": {
        "vi": "Hộ được phân loại theo chuẩn nghèo đa chiều giai đoạn 2022–2025 (Nghị định 07/2021/NĐ-CP), áp dụng "
              "từ đợt rà soát cuối năm 2021. **Hộ nghèo**: thu nhập bình quân đầu người/tháng không quá chuẩn nghèo "
              "(nông thôn {rural_line} đ, thành thị {urban_line} đ) **và** thiếu hụt từ {min_deprivations} trong "
              "{indicators} chỉ số dịch vụ xã hội cơ "
              "bản trở lên. **Hộ cận nghèo**: thu nhập không quá chuẩn nghèo và thiếu hụt dưới {min_deprivations} chỉ "
              "số. Hộ có thu "
              "nhập trên chuẩn không bao giờ là hộ nghèo hay cận nghèo. Chuẩn, ngưỡng và danh sách chỉ số là dữ liệu "
              "trong kho (bảng dưới), không viết cứng trong mã.",
        "en": "Households are classified by the 2022–2025 multidimensional standard (Decree 07/2021/NĐ-CP), applied "
              "from the end-2021 review. **Poor**: income per person per month at or under the line (rural "
              "{rural_line} VND, urban {urban_line} VND) **and** deprived in at least {min_deprivations} of "
              "{indicators} basic-service indicators. "
              "**Near-poor**: income at or under the line with fewer than {min_deprivations} deprivations. A household "
              "above the line "
              "is never poor or near-poor. The standard, its lines and indicators are data in the warehouse (tables "
              "below), not constants in code.",
    },
    "method.break": {
        "vi": "**Đổi chuẩn:** tỷ lệ hộ nghèo của tỉnh là 1,24 % (12/2020, chuẩn 2016–2020, Quyết định 59/2015) và "
              "5,09 % (cuối 2021, chuẩn mới). Mức tăng là do chuẩn mới rộng hơn, không phải nghèo tăng; vì vậy mọi "
              "chuỗi số trong bảng điều khiển bắt đầu từ 2021.",
        "en": "**Change of standard:** the province's poor rate was 1.24 % in Dec 2020 (2016–2020 standard, Decision "
              "59/2015) and 5.09 % at end-2021 (new standard). The jump comes from the wider standard, not from more "
              "poverty, so every series in the dashboard starts in 2021.",
    },
    "method.definitions_h": {"vi": "Định nghĩa các con số", "en": "What the numbers mean"},
    "method.definitions": {
        "vi": "- **Tỷ lệ hộ nghèo** = số hộ nghèo ÷ tổng số hộ được rà soát trong cùng phạm vi và năm.\n"
              "- Mỗi đơn vị được đánh giá **hai lần, không gộp**: **tiến độ** theo lộ trình riêng và **mục tiêu cuối "
              "kỳ** của kế hoạch; nhãn \"đạt\" luôn nêu tên mục tiêu.\n"
              "- **Lộ trình** của mỗi đơn vị (tỉnh, huyện, xã, hoặc phạm vi đã lọc): tỷ lệ năm {base_year} giảm "
              "{first_step} điểm % năm {first_year} rồi {step} điểm %/năm, nhưng không thấp hơn mục tiêu cuối kỳ "
              "({ceiling}): kế hoạch không đòi đơn vị nào giảm dưới mục tiêu; đơn vị đã ở mức đó thì không cần giảm "
              "thêm. Chọn nhóm dân tộc thiểu số: "
              "lộ trình giảm 1 điểm %/năm của chỉ tiêu dân tộc thiểu số. Chọn khu vực thành thị hoặc nông thôn: "
              "đường thẳng từ mức năm {base_year} tới trần của khu vực năm {final_year}, tính trên tỷ lệ không gồm "
              "hộ nghèo thuộc diện bảo trợ xã hội.\n"
              "- **Tiến độ**: R = mức giảm đã đạt ÷ mức giảm cần đạt theo lộ trình đến năm đang xem (phương pháp "
              "Open SDG): đúng tiến độ (R ≥ 0,95); cần đẩy nhanh (0,6 ≤ R < 0,95); tiến bộ hạn chế (0 ≤ R < 0,6); "
              "đang xấu đi (R < 0). Năm {base_year} là năm gốc, chưa có đánh giá.\n"
              "- **Mục tiêu cuối kỳ**: toàn tỉnh và mỗi huyện, xã: tỷ lệ hộ nghèo dưới {ceiling} năm {final_year}; "
              "thành thị dưới 1 %, nông thôn dưới 2 % (trừ hộ bảo trợ xã hội); dân tộc thiểu số: mức cuối lộ trình. "
              "Trần \"dưới\" chỉ đạt khi thấp hơn hẳn (đúng bằng {ceiling} là chưa đạt).\n"
              "- **Hộ nghèo thành thị / nông thôn (trừ hộ BTXH)**: hộ nghèo thuộc diện bảo trợ xã hội không được "
              "tính vào tử số, vẫn ở mẫu số. Thành thị = phường, thị trấn; nông thôn = xã.\n"
              "- **Dân tộc thiểu số**: chủ hộ không phải người Kinh; mục tiêu giảm 1 điểm %/năm.\n"
              "- **BHYT hộ cận nghèo**: % hộ cận nghèo không thiếu hụt chỉ số bảo hiểm y tế (mọi thành viên từ 6 "
              "tuổi có thẻ). Đây là số hộ, không phải số người; mục tiêu 100 % năm 2025, lộ trình đường thẳng.\n"
              "- **Thu nhập hộ nghèo**: theo dõi các hộ nghèo năm 2021 (khi còn được rà soát): trung bình của thu "
              "nhập bình quân đầu người ÷ chuẩn nghèo của khu vực năm đó. Không dùng hộ đang nghèo của từng năm vì "
              "thu nhập của họ, theo định nghĩa, luôn không quá chuẩn. Mục tiêu: gấp 2 lần chuẩn năm 2025.\n"
              "- **Xã bị bỏ lại phía sau**: xã có tiến độ cần đẩy nhanh, tiến bộ hạn chế hoặc đang xấu đi.\n"
              "- Bộ lọc khu vực và dân tộc tính lại mọi tỷ lệ, lộ trình và R cho nhóm hộ đã chọn.",
        "en": "- **Poor rate** = poor households ÷ all reviewed households in the same scope and year.\n"
              "- Each unit is judged **twice, never conflated**: its **pace** on its own path and the plan's **end "
              "goal**; a \"met\" always names the goal.\n"
              "- **Path** of each unit (province, district, commune, or the filtered selection): its {base_year} rate "
              "minus {first_step} points in {first_year}, then {step} a year, but never below the end goal "
              "({ceiling}): the plan asks no unit to go below it, and a unit already there needs no further "
              "reduction. With an ethnic-minority "
              "group chosen: the ethnic-minority target's 1 point a year. With urban or rural chosen: a straight line "
              "from the {base_year} value to the area's ceiling in {final_year}, on the rate without poor "
              "social-protection households.\n"
              "- **Pace**: R = reduction achieved ÷ reduction required by the path up to the year shown (Open SDG "
              "method): on track (R ≥ 0.95); needs acceleration (0.6 ≤ R < 0.95); limited progress (0 ≤ R < 0.6); "
              "getting worse (R < 0). {base_year} is the baseline year, not judged.\n"
              "- **End goal**: the province and every district and commune: a poor rate under {ceiling} by "
              "{final_year}; urban under 1 %, rural under 2 % (excluding social-protection households); ethnic "
              "minorities: the end of their path. An \"under\" ceiling is met only strictly below it (exactly "
              "{ceiling} is not met).\n"
              "- **Urban / rural poor (excluding social protection)**: poor households that are social-protection "
              "beneficiaries are left out of the numerator, kept in the denominator. Urban = wards and townships; "
              "rural = communes.\n"
              "- **Ethnic minority**: the household head is not Kinh; target down 1 point a year.\n"
              "- **Health insurance of near-poor households**: % of near-poor households not deprived in the health "
              "insurance indicator (every member aged 6+ has a card). A share of households, not of people; target "
              "100 % by 2025, straight-line path.\n"
              "- **Income of poor households**: the households poor in 2021, followed while they are reviewed: mean "
              "of income per capita ÷ the poverty line of their area that year. Not the currently poor, whose income "
              "is by definition at most the line. Target: twice the line by 2025.\n"
              "- **Communes left behind**: pace needs acceleration, limited progress or getting worse.\n"
              "- The area and group filters recompute every rate, path and R for the households selected.",
    },
    # the reorganisation of 1 July 2025 (issue 10): the two unit sets and how each view reads them
    "method.drivers_h": {"vi": "Nguyên nhân nghèo: các chỉ số thiếu hụt", "en": "Deprivation drivers"},
    "method.drivers": {
        "vi": "Trang **Nguyên nhân nghèo** đo, cho mỗi chỉ số của chuẩn nghèo đang áp dụng trong năm xem (chuẩn khác "
              "có danh sách chỉ số riêng), theo cách của OPHI/UNDP: **tỷ lệ hộ vừa nghèo vừa thiếu hụt** (trên mọi "
              "hộ được rà soát: \"censored headcount\"), **tỷ lệ hộ nghèo thiếu hụt** (trên số hộ nghèo) và **mức "
              "đóng góp** (số hộ nghèo thiếu hụt chỉ số ÷ tổng số thiếu hụt của các hộ nghèo; các chỉ số cộng lại "
              "bằng 100 %). **Mức độ thiếu hụt** là số chỉ số thiếu hụt bình quân của một hộ nghèo. Thay đổi so với "
              "năm gốc tính bằng điểm phần trăm, chỉ cho các chỉ số có trong chuẩn của cả hai năm. Số liệu về thiếu "
              "hụt của hộ nghèo ở một đơn vị có 1–9 hộ nghèo được ẩn với người xem chưa đăng nhập.",
        "en": "The **Deprivation drivers** page measures, for each indicator of the poverty standard in force in the "
              "year shown (another standard has its own list), as OPHI/UNDP do: the **censored headcount** (households "
              "both poor and deprived in it ÷ all households reviewed), the **share of poor households deprived** "
              "(÷ the poor households) and the **contribution** (poor households deprived in it ÷ all the poor "
              "households' deprivations; the indicators add up to 100 %). **Intensity** is a poor household's average "
              "number of deprivations. The change since the baseline year is in percentage points, for the indicators "
              "of both years' standards only. A unit's figures on its poor households' deprivations are hidden from "
              "viewers who are not signed in when it has 1–9 poor households."},
    "method.pace_h": {"vi": "Dự báo theo tốc độ hiện tại", "en": "Projection at the current pace"},
    "method.flows_h": {"vi": "Biến động hộ nghèo giữa hai kỳ rà soát", "en": "Flows between two reviews"},
    "method.flows": {
        "vi": "Trang **Biến động hộ nghèo** so sánh từng hộ ở kỳ rà soát năm trước với kỳ năm nay. Mỗi hộ nghèo "
              "đầu kỳ thuộc đúng một nhóm cuối kỳ: **thoát nghèo thành hộ cận nghèo**, **thoát nghèo vượt mức cận "
              "nghèo**, **ra khỏi rà soát** (không được rà soát năm nay: chuyển đi, giải thể, vắng mặt) hoặc **vẫn "
              "nghèo**. Mỗi hộ nghèo cuối kỳ thuộc đúng một nhóm: **vẫn nghèo**, **từ cận nghèo**, **tái nghèo** "
              "(năm trước không nghèo, không cận nghèo, nhưng đã nghèo ở một kỳ trước đó), **hộ nghèo phát sinh** "
              "(năm trước được rà soát, không nghèo, không cận nghèo, chưa từng nghèo) hoặc **mới vào rà soát** "
              "(năm trước không được rà soát: hộ mới, hoặc trở về sau một năm vắng). Vì vậy hộ nghèo cuối kỳ = đầu "
              "kỳ − thoát nghèo − ra khỏi rà soát + từ cận nghèo + tái nghèo + phát sinh + mới vào. Hộ cận nghèo "
              "được tính theo cùng cách. Khi lọc theo thành thị/nông thôn, hộ ở nơi đổi khu vực khi sắp xếp đơn vị "
              "năm 2025 được ghi riêng (**chuyển khu vực**), để đẳng thức vẫn đúng. Kỳ rà soát đầu tiên (2021) "
              "không có biến động, và năm 2022 chưa thể có hộ tái nghèo (chưa có kỳ nào trước 2021).",
        "en": "The **Poverty flows** page compares each household at last year's review with this year's. Each "
              "household poor at the start is in exactly one group at the end: **escaped to near-poor**, **escaped "
              "above the near-poor line**, **left the review** (not reviewed this year: moved away, dissolved, "
              "away) or **still poor**. Each household poor at the end is in exactly one group: **still poor**, "
              "**from near-poor**, **fell back** (neither poor nor near-poor last year, but poor in an earlier "
              "review), **newly poor** (reviewed last year, neither poor nor near-poor, never poor before) or "
              "**joined the review** (not reviewed last year: new, or back after a year away). So poor at the end "
              "= at the start − escaped − left + from near-poor + fell back + newly poor + joined. Near-poor "
              "households are counted the same way. Under an urban/rural filter, households whose unit changed "
              "area in the 2025 reorganisation are shown apart (**changed area**), so the identity still holds. "
              "The first review (2021) has no flows, and 2022 cannot have households that fell back (no review "
              "before 2021).",
    },
    "method.units_h": {"vi": "Đơn vị hành chính trước và sau sáp nhập",
                       "en": "Administrative units before and after the merger"},
    "method.units": {
        "vi": "Từ {changed} (Nghị quyết 1655/NQ-UBTVQH15 ngày 16/6/2025), tỉnh Bạc Liêu sáp nhập vào tỉnh Cà Mau, "
              "cấp huyện không còn, và {former} xã, phường, thị trấn trong {districts} huyện của tỉnh trở thành "
              "{current} xã, phường. Kết quả rà soát từ năm {year} được lập theo đơn vị mới; các năm trước theo đơn "
              "vị cũ. Bảng điều khiển xem được mọi năm theo cả hai cách chia (bộ lọc \"Đơn vị hành chính\"; đường "
              "dẫn ghi `units=former` hoặc `units=current`, mặc định là cách chia có hiệu lực trong năm đang xem).\n"
              "- **Theo đơn vị hiện nay**, mỗi xã cũ nằm trọn trong một đơn vị mới (không xã nào bị chia tách), nên "
              "số liệu các năm trước {year} của mỗi đơn vị là tổng chính xác của các xã cũ hợp thành nó; lộ trình, "
              "tiến độ và xếp hạng tính trên các tổng đó. Đơn vị mới không nằm gọn trong huyện cũ (Xã Hòa Bình gồm "
              "cả Xã Long Thạnh của huyện Vĩnh Lợi cũ), nên cách chia này không có cấp huyện: bộ lọc chọn xã, "
              "phường.\n"
              "- **Mã số được dùng lại với nghĩa khác**: 31834 là Xã Vĩnh Trạch (nông thôn), nay là Phường Vĩnh "
              "Trạch (thành thị, gồm cả Phường 5 cũ); 31825 là Phường 1, nay là Phường Bạc Liêu (gồm Phường 1, 2, 3, "
              "7, 8 cũ). Năm rà soát quyết định một mã chỉ đơn vị nào.\n"
              "- **Khu vực và chuẩn nghèo**: hộ được xếp thành thị hay nông thôn, và áp chuẩn nghèo tương ứng, theo "
              "đơn vị có hiệu lực lúc rà soát. Từ đợt rà soát {year}, hộ ở thị trấn cũ nay thuộc xã tính theo chuẩn "
              "nông thôn, hộ ở xã cũ nay thuộc phường tính theo chuẩn thành thị; các năm trước giữ cách tính cũ, ở "
              "cả hai cách chia.\n"
              "- **Theo đơn vị trước sáp nhập**, các năm từ {year} chỉ tính được số liệu huyện, xã cho các hộ đã "
              "biết xã cũ (hộ rà soát lần đầu theo đơn vị mới thì không); trang nào có số liệu như vậy đều nêu tỷ lệ "
              "bao phủ. Số liệu toàn tỉnh gồm mọi hộ và như nhau ở cả hai cách chia.",
        "en": "From {changed} (Resolution 1655/NQ-UBTVQH15 of 16 June 2025) Bạc Liêu province merged into Cà Mau "
              "province, districts were abolished, and the province's {former} communes, wards and townships in "
              "{districts} districts became {current} communes and wards. Reviews from {year} on are filed under the "
              "new units; earlier ones under the former units. The dashboard shows every year in either set (the "
              "\"Administrative units\" filter; the link says `units=former` or `units=current`, by default the set "
              "in force in the year shown).\n"
              "- **In the current units** every former commune lies whole in one new unit (none was split), so each "
              "unit's figures before {year} are the exact sums of the former communes it was made of; paths, paces "
              "and rankings are computed on those sums. New units do not nest in the former districts (Xã Hòa Bình "
              "includes Xã Long Thạnh of the former Vĩnh Lợi district), so this set has no district level: the filter "
              "chooses communes and wards.\n"
              "- **Codes are reused with another meaning**: 31834 was Xã Vĩnh Trạch (rural) and is now Phường Vĩnh "
              "Trạch (urban, which also took the former Phường 5); 31825 was Phường 1 and is now Phường Bạc Liêu "
              "(former Phường 1, 2, 3, 7 and 8). The review year decides which unit a code means.\n"
              "- **Area and poverty line**: a household is urban or rural, and judged by that poverty line, as the "
              "unit in force at its review is. From the {year} review on, households of former townships now in a "
              "commune are judged by the rural line, and those of former communes now in a ward by the urban line; "
              "earlier years keep their own, in both sets.\n"
              "- **In the former units**, district and commune figures from {year} on can count only households "
              "whose former commune is known (not those first reviewed under the new units); every page showing such "
              "figures states that coverage. Province figures count every household and are the same in both sets."},
    "method.rules_h": {"vi": "Năm đủ dữ liệu và số liệu nhỏ", "en": "Complete years and small numbers"},
    "method.rules": {
        "vi": "- Một năm rà soát được coi là **đủ dữ liệu** khi ít nhất {unit_share} số xã có kết quả rà soát và số hộ "
              "được rà soát bằng ít nhất {household_share} số hộ của năm trước (năm đầu tiên: chỉ xét số xã). "
              "Đường dẫn không ghi năm sẽ mở năm đủ dữ liệu gần nhất; năm chưa đủ được ghi \"(chưa đủ)\", hiển thị "
              "kèm mức bao phủ và không được đánh giá tiến độ, mục tiêu hay xếp hạng. Xã chưa có kết quả là \"chưa "
              "có dữ liệu\", không bao giờ là 0 %.\n"
              "- Tỷ lệ tính trên dưới {min_households} hộ được đánh dấu \"⚠ ít hộ\" (kém tin cậy) ở mọi nơi hiển "
              "thị.\n"
              "- Các ngưỡng này là dữ liệu (tệp data/reference/settings.csv), không viết cứng trong mã.",
        "en": "- A review year counts as **complete** when at least {unit_share} of the communes have reviews and its "
              "reviewed households are at least {household_share} of the previous year's (the first year: communes "
              "only). A link without a year opens the latest complete year; an incomplete year is marked "
              "\"(incomplete)\", shown with its coverage and never judged for pace, goal or ranking. A commune "
              "without reviews is \"no data\", never 0 %.\n"
              "- A rate from fewer than {min_households} households is marked \"⚠ few households\" (unreliable) "
              "wherever it is shown.\n"
              "- These thresholds are data (data/reference/settings.csv), not written in code.",
    },
    "method.disclosure_h": {"vi": "Bảo vệ số liệu ít hộ", "en": "Protecting small numbers"},
    "method.disclosure": {
        "vi": "- Với người xem **bản công khai** (chưa đăng nhập, hoặc tài khoản không có trong danh sách được xem "
              "đầy đủ), mọi con số tính từ dưới {n} hộ được ẩn: không có ở bảng, thẻ số "
              "liệu, biểu đồ, bản đồ, chú thích khi rê chuột hay tệp tải về (CSV, XLSX). Chỗ của nó ghi "
              "\"{small}\", khác với \"—\" (không có dữ liệu).\n"
              "- Số hộ được đếm theo **ô**: một đơn vị (cả phạm vi đã chọn, một huyện, một xã hoặc một đơn vị hiện "
              "hành) × khu vực và nhóm "
              "dân tộc đã chọn × một năm rà soát. Cỡ của ô là số hộ được rà soát, tức mẫu số của các tỷ lệ. Mọi con "
              "số của ô (tỷ lệ, số hộ nghèo, cận nghèo, số hộ được rà soát) được ẩn khi ô có dưới {n} hộ; ô có đúng "
              "{n} hộ vẫn hiển thị; ô không có hộ nào ghi \"—\". Tỷ lệ thiếu hụt trong số hộ nghèo của một xã tính "
              "trên số hộ nghèo, nên được ẩn khi xã có dưới {n} hộ nghèo. Với các chỉ tiêu khác của kế hoạch, ô là "
              "nhóm hộ của chỉ tiêu (hộ thành thị, hộ cận nghèo, …); chỉ tiêu về hộ cận nghèo và về hộ nghèo năm "
              "2021 còn được ẩn khi ô của cả phạm vi đã chọn được ẩn.\n"
              "- Con số tính từ nhiều ô được ẩn khi một trong các ô đó được ẩn: tỷ lệ năm 2021, lộ trình, mức giảm, "
              "thay đổi so với 2021, R và tiến độ dùng ô năm 2021; thay đổi so với năm trước dùng ô năm trước. Tiến "
              "độ và mục tiêu của đơn vị như vậy ghi \"{status}\".\n"
              "- **Ẩn bổ sung**: người xem mở được mọi tổ hợp bộ lọc, nên các con số của mọi trang nối với nhau: "
              "tỉnh bằng tổng các huyện cũ và cũng bằng tổng các đơn vị hành chính hiện hành (sau sắp xếp ngày "
              "1/7/2025); huyện bằng tổng các xã cũ; mỗi đơn vị hiện hành bằng tổng các xã cũ hợp thành nó, cộng các "
              "hộ chưa rõ xã cũ (từ năm 2025, khi xem theo đơn vị cũ, các hộ này chỉ được tính vào toàn tỉnh, nên "
              "lấy toàn tỉnh trừ các huyện là ra; chúng cũng được bảo vệ); mọi khu vực bằng thành thị cộng nông "
              "thôn; mọi nhóm "
              "bằng Kinh cộng dân tộc thiểu số, và dân tộc thiểu số bằng Khmer cộng các dân tộc khác (không có bộ "
              "lọc riêng nhưng lấy thiểu số trừ Khmer là ra, nên cũng được bảo vệ). Nếu trong một phép cộng như vậy "
              "chỉ có một ô bị ẩn, hoặc các ô bị ẩn bên cạnh một tổng đang hiển thị cộng lại dưới {n} hộ, hoặc "
              "cộng lại không có hộ nghèo nào hay toàn là hộ nghèo (cũng vậy với hộ cận nghèo, hộ nghèo và cận "
              "nghèo, và ở thành thị, nông thôn là hộ nghèo không kể hộ bảo trợ xã hội; khi đó lấy tổng trừ các ô "
              "đang hiển thị sẽ biết tỷ lệ của từng ô bị ẩn là 0 % hay 100 %), thì ẩn thêm một ô (ô kéo theo ít ô "
              "phải ẩn nữa nhất, rồi ô nhỏ nhất; ghi \"{complement}\"), xét lại cho đến khi không còn phải ẩn thêm. "
              "Sau đó kiểm tra mọi cách cộng, trừ các con số đang hiển thị với nhau (không chỉ từng phép cộng một): "
              "cách nào cho ra một ô dưới {n} hộ thì ẩn thêm một ô của cách đó và xét lại. Một tổng có tỷ lệ 0 % "
              "hay 100 % tự "
              "nó đã cho biết tỷ lệ của mọi phần (đó là con số của ít nhất {n} hộ, không phải ô nhỏ), nên không "
              "ẩn thêm vì nó, kể cả khi mọi phần của nó đều bị ẩn. Việc này "
              "làm một lần cho mọi ô, mọi năm, trên cả tỉnh, nên một ô bị ẩn ở mọi trang và với mọi bộ lọc, và không "
              "thể lấy con số của trang này trừ trang kia để tìm ra ô bị ẩn. Tổng của các huyện (hoặc đơn vị hiện "
              "hành) được chọn chứa một phần (không phải tất cả) các huyện (đơn vị) bị ẩn cũng được ẩn.\n"
              "- Người dùng **đã đăng nhập** thấy mọi số liệu. Ngưỡng {n} hộ do người quản trị hệ thống đặt.",
        "en": "- For viewers of the **public view** (not signed in, or signed in with an account not on the list "
              "of those who see everything), every figure computed from fewer than {n} households is hidden: it is "
              "in no table, headline figure, chart, map, hover text or download (CSV, XLSX). Where it would stand "
              "the page says \"{small}\", which is not \"—\" (no data).\n"
              "- Households are counted by **cell**: one unit (the whole selection, a district, a commune or a current "
              "unit) × the "
              "chosen area and group × one review year. A cell's size is its reviewed households, the denominator of "
              "its rates. Every figure of a cell (rates, poor, near-poor and reviewed households) is hidden when the "
              "cell has fewer than {n} households; a cell of exactly {n} households is shown, and one of no household "
              "reads \"—\". A commune's deprivation shares among poor households are computed from its poor "
              "households, so they are hidden when it has fewer than {n} poor households. For the plan's other "
              "targets the cell is the target's households (urban, near-poor, …); the near-poor and 2021-poor "
              "targets are also hidden when the whole selection's cell is.\n"
              "- A figure computed from several cells is hidden when any of them is: the 2021 rate, the path, the "
              "reductions, the change since 2021, R and the pace use the 2021 cell; the change since the previous "
              "year uses the previous year's. The pace and goal of such a unit read \"{status}\".\n"
              "- **Complementary suppression**: a viewer can open every combination of the filters, so the figures "
              "of all pages are linked: the province is the sum of its former districts and also of the current units "
              "(after the reorganisation of 1 July 2025); a district is the sum of its former communes; a current "
              "unit is the sum of the former communes it took, plus its households whose former commune is unknown "
              "(from 2025, in the former units these count in the province only, so the province less the districts "
              "gives them; they are protected too); all areas are urban plus rural; all groups are Kinh plus ethnic "
              "minorities, and minorities are Khmer plus "
              "the other minorities (no filter shows them, but minorities less Khmer would, so they are protected "
              "too). Where only one cell of such a sum is hidden, or the hidden cells beside a shown total add up to "
              "fewer than {n} households, or hold no poor household or only poor ones (likewise near-poor, poor or "
              "near-poor, and for urban and rural cells poor households other than social-protection ones: the "
              "total less the shown cells would then say each hidden cell's rate is 0 % or 100 %), one more cell "
              "is hidden (the one that leaves the fewest further cells to hide, then the smallest; it reads "
              "\"{complement}\"), again until nothing changes. Then every way of adding and subtracting shown "
              "figures, not only each sum on its own, is checked: where one gives a cell of fewer than {n} "
              "households, one more cell of it is hidden, and the sums are checked again. A total at 0 % or "
              "100 % says so of all its parts on its own (a figure of at least {n} households, not a small cell), "
              "so it hides nothing more, even when all its parts are hidden. This is done once for every cell of "
              "every year over the whole province, so a "
              "cell is hidden on every page and with every filter, and no figure of one page can be subtracted from "
              "another's to find a hidden one. A total of chosen districts (or current units) that holds some, but "
              "not all, of the hidden ones is hidden too.\n"
              "- **Signed-in** users see every figure. The threshold of {n} households is set by the operator.",
    },
    "method.disclosure_public": {"vi": "Bạn đang xem bản công khai: các con số từ dưới {n} hộ đang được ẩn.",
                                 "en": "You are seeing the public view: figures from fewer than {n} households are "
                                       "hidden."},
    "method.disclosure_signed_in": {"vi": "Tài khoản của bạn được xem mọi con số, kể cả con số từ dưới {n} hộ.",
                                    "en": "Your account sees every figure, including those from fewer than {n} "
                                          "households."},
    "method.sources_h": {"vi": "Nguồn và mức độ tin cậy", "en": "Sources and what is published"},
    "method.sources": {
        "vi": "Kế hoạch thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” của UBND tỉnh Bạc Liêu (09/2022); "
              "Nghị định 07/2021/NĐ-CP; Thông tư 07/2021/TT-BLĐTBXH (sửa đổi bởi 02/2022); danh mục đơn vị hành "
              "chính từ gói `vietnamadminunits`; số liệu rà soát công bố trên baodantoc.vn (cuối 2021) và "
              "baodansinh.vn (cuối 2022). Số liệu cấp huyện, xã và các năm 2023–2025 chưa tìm thấy công bố.",
        "en": "The Bạc Liêu People's Committee plan “For the poor – leave no one behind” (Sept 2022); Decree "
              "07/2021/NĐ-CP; Circular 07/2021/TT-BLĐTBXH (amended by 02/2022); the unit list from the "
              "`vietnamadminunits` package; review results published by baodantoc.vn (end-2021) and baodansinh.vn "
              "(end-2022). District, commune and 2023–2025 figures were not found in public sources.",
    },
    "method.calibration_h": {"vi": "Số liệu công bố và giả định của bộ dữ liệu mẫu",
                             "en": "Published figures and demo assumptions"},
    "method.calibration": {
        "vi": "Bộ dữ liệu mẫu được hiệu chỉnh theo các tỷ lệ toàn tỉnh dưới đây. Cột “Loại” cho biết số nào là "
              "số liệu đã công bố và số nào là giả định. Mọi khác biệt giữa các huyện, xã, thu nhập và thiếu hụt "
              "đều là giả định.",
        "en": "The demo dataset is calibrated to the province rates below; the “Kind” column says which are "
              "published and which are assumptions. Every difference between districts and communes, and all "
              "incomes and deprivations, are assumptions.",
    },
    "method.panel_events": {
        "vi": "Biến động giữa các kỳ rà soát của bộ dữ liệu mẫu (hộ chuyển đi, hộ mới, hộ vắng mặt, rủi ro làm hộ "
              "tái nghèo hoặc phát sinh nghèo) dựa trên các giả định sau, không phải số liệu công bố:",
        "en": "The demo dataset's flows between reviews (households moving away, new households, households away, "
              "shocks that make households fall back or newly poor) rest on these assumptions, none published:",
    },
    "method.real_data": {"vi": "Kho dữ liệu đang chứa dữ liệu rà soát được nhập (không phải dữ liệu mẫu).",
                         "en": "The warehouse holds imported review data (not the demo dataset)."},
    "method.standards_h": {"vi": "Chuẩn nghèo trong kho dữ liệu", "en": "Standards in the warehouse"},
    "method.indicators_h": {"vi": "12 chỉ số thiếu hụt", "en": "The 12 deprivation indicators"},
    "method.targets_h": {"vi": "Các mục tiêu của kế hoạch", "en": "The plan's targets"},
    "method.dataset_h": {"vi": "Về kho dữ liệu này", "en": "About this warehouse"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.source": {"vi": "Nguồn", "en": "Source"},
    "col.average_rate": {"vi": "Tỷ lệ mức sống trung bình (%)", "en": "Average-living rate (%)"},
    "col.scope": {"vi": "Phạm vi", "en": "Scope"},
    "col.standard": {"vi": "Chuẩn", "en": "Standard"},
    "col.legal_basis": {"vi": "Căn cứ pháp lý", "en": "Legal basis"},
    "col.first_year": {"vi": "Từ năm", "en": "From"},
    "col.last_year": {"vi": "Đến năm", "en": "To"},
    "col.rural_line": {"vi": "Chuẩn nghèo nông thôn (đ/người/tháng)", "en": "Rural line (VND/person/month)"},
    "col.urban_line": {"vi": "Chuẩn nghèo thành thị (đ/người/tháng)", "en": "Urban line (VND/person/month)"},
    "col.min_deprivations": {"vi": "Số thiếu hụt tối thiểu (hộ nghèo)", "en": "Minimum deprivations (poor)"},
    "col.dimension": {"vi": "Chiều", "en": "Dimension"},
    "col.item": {"vi": "Mục", "en": "Item"},
    "col.unit": {"vi": "Đơn vị", "en": "Unit"},
    # the method page's reference tables: stored ids and values shown in words (dashboard.reference)
    "dimension.employment": {"vi": "Việc làm", "en": "Employment"},
    "dimension.health": {"vi": "Y tế", "en": "Health"},
    "dimension.education": {"vi": "Giáo dục", "en": "Education"},
    "dimension.housing": {"vi": "Nhà ở", "en": "Housing"},
    "dimension.water_sanitation": {"vi": "Nước sinh hoạt và vệ sinh", "en": "Water and sanitation"},
    "dimension.information": {"vi": "Thông tin", "en": "Information"},
    "target_kind.reduction_points": {"vi": "Giảm trong năm", "en": "Reduction in the year"},
    "target_kind.rate_below": {"vi": "Tỷ lệ phải dưới", "en": "Rate under"},
    "target_kind.coverage_min": {"vi": "Tỷ lệ bao phủ tối thiểu", "en": "Minimum coverage"},
    "target_kind.ratio_min": {"vi": "Bội số tối thiểu của chuẩn nghèo", "en": "Minimum multiple of the line"},
    "calibration_kind.published": {"vi": "Số liệu đã công bố", "en": "Published figure"},
    "calibration_kind.assumption": {"vi": "Giả định", "en": "Assumption"},
    "ref.unknown": {"vi": "(chưa có tên gọi)", "en": "(not named yet)"},
    "ref.score_points": {"vi": "{n} điểm nghèo", "en": "{n} poverty-score points"},
    "ref.standard_name": {"vi": "Chuẩn nghèo đa chiều giai đoạn {period}",
                          "en": "Multidimensional poverty standard {period}"},
    "ref.decree": {"vi": "Nghị định", "en": "Decree"},
    "ref.decision": {"vi": "Quyết định", "en": "Decision"},
    "ref.circular": {"vi": "Thông tư", "en": "Circular"},
    "ref.resolution": {"vi": "Nghị quyết", "en": "Resolution"},
    # sources as the reference files write them (one language), in both languages; matched on the stored text
    "ref.source.plan_2022": {"vi": "Kế hoạch UBND tỉnh Bạc Liêu 09/2022",
                             "en": "Plan of the Bạc Liêu People's Committee, Sept 2022"},
    "ref.source.calibration_2021": {
        "vi": "hộ nghèo và cận nghèo: kết quả rà soát cuối 2021, baodantoc.vn; tỷ lệ mức sống trung bình: giả định",
        "en": "poor and near-poor: end-2021 review, baodantoc.vn; average-living share: assumption"},
    "ref.source.calibration_2022": {
        "vi": "hộ nghèo: kết quả rà soát cuối 2022, baodansinh.vn; cận nghèo và mức sống trung bình: giả định",
        "en": "poor: end-2022 review, baodansinh.vn; near-poor and average: assumption"},
    "ref.source.demo_scenario": {"vi": "kịch bản mẫu: chưa công bố", "en": "demo scenario: not published"},
    # the warehouse's `meta` rows shown on the method page; other keys are internal and not shown
    "meta.dataset": {"vi": "Dữ liệu", "en": "Data"},
    "meta.dataset.demo": {"vi": "Dữ liệu mẫu (mô phỏng)", "en": "Demo data (simulated)"},
    "meta.dataset.reviews": {"vi": "Kết quả rà soát được nhập", "en": "Imported review results"},
    "meta.built_at": {"vi": "Thời điểm tạo kho dữ liệu", "en": "Warehouse built"},
    "meta.households_requested": {"vi": "Số hộ mô phỏng", "en": "Households simulated"},
    "meta.seed": {"vi": "Hạt giống ngẫu nhiên (để tạo lại đúng bộ dữ liệu)",
                  "en": "Random seed (to rebuild the same dataset)"},
    "meta.imported_years": {"vi": "Các năm có dữ liệu nhập", "en": "Years with imported data"},
    "meta.last_import_at": {"vi": "Lần nhập gần nhất", "en": "Last import"},
    "page.import": {"vi": "Nhập dữ liệu", "en": "Import data"},
}


def _fmt(value: float, decimals: int, lang: Lang) -> str:
    text = f"{abs(value):,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if value < 0 and text.strip("0.,") else "") + text


def is_missing(value: object) -> bool:
    """Whether `value` is no value: None, NaN, or pandas' `NA` (a nullable column's missing cell, e.g. the baseline
    households of a unit with no household of the chosen area in the baseline year)."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return type(value).__name__ == "NAType"  # pandas.NA, without importing pandas here


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


def format_short(value: float | None, decimals: int = 1, lang: Lang = "vi") -> str:
    """A number with at most `decimals` decimals and no trailing zeros: `1.0` → `1`, `1.5` → `1,5` (vi)."""
    text = format_number(value, decimals, lang)
    if decimals and text != MISSING:
        point = "," if lang == "vi" else "."
        text = text.rstrip("0").rstrip(point) if point in text else text
    return text


_MONTHS_EN: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_MONTHS_EN_LONG: Final = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                          "October", "November", "December")


def format_date(value: date, lang: Lang = "vi") -> str:
    """A calendar date as a reader writes it: `1/7/2025` (vi), `1 July 2025` (en)."""
    if lang == "vi":
        return f"{value.day}/{value.month}/{value.year}"
    return f"{value.day} {_MONTHS_EN_LONG[value.month - 1]} {value.year}"


def format_datetime(value: str | datetime, lang: Lang = "vi") -> str:
    """An ISO timestamp in UTC as a reader writes it: `29/11/2026 09:09 UTC` (vi), `29 Nov 2026, 09:09 UTC` (en).

    A timestamp without a zone is taken as UTC; text that is not a timestamp is returned unchanged.
    """
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if lang == "vi":
        return f"{moment:%d/%m/%Y %H:%M} UTC"
    return f"{moment.day} {_MONTHS_EN[moment.month - 1]} {moment.year}, {moment:%H:%M} UTC"


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

    def short(self, value: float | None, decimals: int = 1) -> str:
        return format_short(value, decimals, self.lang)

    def timestamp(self, value: str | datetime) -> str:
        return format_datetime(value, self.lang)

    def get(self, key: str, default: str) -> str:
        """`self(key)`, or `default` when the table has no such key (for keys built from stored values)."""
        return self(key) if key in TEXT else default

    def status(self, status: str | None) -> str:
        return self("status.none") if is_missing(status) else self(f"status.{status}")

    def label(self, row: object, stem: str = "label") -> str:
        """Pick `label_vi` or `label_en` from a row (mapping or Series) read from the warehouse."""
        return str(row[f"{stem}_{self.lang}"])  # type: ignore[index]
