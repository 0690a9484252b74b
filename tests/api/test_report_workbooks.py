"""The workbooks a clerk files and the CSV a machine reads, opened as their readers open them.

XLSX: every sheet has the title block (organisation, plan, the day the figures stand at, when
they were made), then a table whose counts are numbers, rates numbers shown 0.0 %, days and
times date cells shown dd/mm/yyyy (hh:mm) in the app's time zone; an autofilter over the
header and the rows, a bold totals row below it that says what it counts, and a page set up to
print (A4 landscape, fitted to the width, the header repeated, frozen under the header).
Nowhere a "2/3" or "5 / 6" that Excel would turn into a date. CSV: UTF-8 with a BOM, decimal
points, no fractions written as text. The history is `report_history`'s (see its docstring).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.documents.service import date_in_words
from tests.factories import VN, report_history

FRACTION = re.compile(r"\d+ ?/ ?\d+")
ORG = "TRƯỜNG TIỂU HỌC NGUYỄN BỈNH KHIÊM"
PLAN_LINE = "Kế hoạch số 01/KH-THNBK: Kế hoạch học tập Nghị quyết 57-NQ/TW"
MADE = re.compile(r"^Lập lúc \d{2} giờ \d{2}, ngày \d{2} tháng \d{1,2} năm \d{4}$")


@pytest.fixture
def figures(db, world):
    return report_history(db, world)


def download(client, world, path, **params):
    response = client.get(path, params=params, headers=world.headers("viewer"))
    assert response.status_code == 200, response.text
    return response


def workbook(client, world, path, **params) -> openpyxl.Workbook:
    content = download(client, world, path, format="xlsx", **params).content
    return openpyxl.load_workbook(io.BytesIO(content))


def csv_rows(client, world, path, **params) -> tuple[bytes, list[list[str]]]:
    content = download(client, world, path, format="csv", **params).content
    return content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def values(row) -> list:
    return [cell.value for cell in row]


def table(sheet: Worksheet) -> tuple[int, list, list, list | None]:
    """The header row's number, the header, the data rows (the autofilter's) and the
    totals row (the one after them, if any)."""
    first, last = sheet.auto_filter.ref.split(":")
    header = int(first[1:])
    end = int(re.sub(r"^[A-Z]+", "", last))
    rows = [list(row) for row in sheet.iter_rows(min_row=header + 1, max_row=end)]
    totals = list(sheet[end + 1]) if sheet.max_row > end else None
    return header, values(sheet[header]), rows, totals


def title_block(sheet: Worksheet) -> list[str]:
    header, *_ = table(sheet)
    return [sheet.cell(row=row, column=1).value for row in range(1, header - 1)]


def assert_filed_as_a_clerk_would(book: openpyxl.Workbook) -> None:
    """What every sheet must do: print on A4 landscape to the width with the header repeated,
    keep the header in view, filter the header and the rows only, no fraction as text."""
    for sheet in book.worksheets:
        header, headers, rows, totals = table(sheet)
        last_column = get_column_letter(len(headers))
        assert sheet.auto_filter.ref == f"A{header}:{last_column}{header + len(rows)}", sheet.title
        assert sheet.cell(row=header - 1, column=1).value is None  # a blank line above
        assert sheet.freeze_panes == f"A{header + 1}"
        assert sheet.print_title_rows == f"${header}:${header}"
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize), int(setup.fitToWidth)) == (
            "landscape",
            9,
            1,
        )
        assert int(setup.fitToHeight) == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert all(cell.font.b for cell in sheet[header])
        assert sheet.max_row == header + len(rows) + (1 if totals else 0)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not FRACTION.search(cell.value), (sheet.title, cell.coordinate)


def assert_rates(cells) -> None:
    for cell in cells:
        assert isinstance(cell.value, int | float) and cell.number_format == "0.0%", cell


def assert_counts(cells) -> None:
    for cell in cells:
        assert type(cell.value) is int and cell.number_format == "#,##0", cell


def test_progress_workbook(client, world, figures):
    _, plan = figures
    book = workbook(client, world, f"/api/v1/plans/{plan.id}/progress")
    assert len(book.sheetnames) == 7
    assert book.properties.creator == "Trường Tiểu học Nguyễn Bỉnh Khiêm"
    assert_filed_as_a_clerk_would(book)
    for sheet in book.worksheets:
        lines = title_block(sheet)
        assert lines[:2] == [ORG, PLAN_LINE]
        assert lines[3] == "Số liệu tính đến thời điểm xuất"
        assert MADE.match(lines[4]), lines[4]
        assert sheet["A1"].font.b and sheet["A3"].font.b

    summary = {row[0].value: row[1] for row in table(book["Tổng hợp"])[2]}
    assert {k: summary[k].value for k in ("Xếp loại Tốt", "Xếp loại Khá", "Xếp loại Chưa đạt")} == {
        "Xếp loại Tốt": 1,
        "Xếp loại Khá": 0,
        "Xếp loại Chưa đạt": 0,
    }
    assert (summary["Nhiệm vụ: tổng số"].value, summary["Nhiệm vụ: đã hoàn thành"].value) == (2, 1)
    assert_rates([summary["Tỷ lệ xác nhận"], summary["Tỷ lệ tham gia"]])
    assert summary["Tỷ lệ xác nhận"].value == 0.6667
    assert_counts(cell for key, cell in summary.items() if not key.startswith("Tỷ lệ"))

    _, headers, rows, totals = table(book["Buổi học tập"])
    assert totals is None
    (session,) = rows
    starts = session[headers.index("Bắt đầu")]
    assert starts.value == datetime(2025, 3, 15, 7, 0)  # 00:00 UTC, 07:00 in Vietnam
    assert starts.is_date and starts.number_format == "dd/mm/yyyy hh:mm"
    assert_counts(session[4:9])
    assert_rates([session[9]])

    _, _, (task,), _ = table(book["Nhiệm vụ quá hạn"])
    assert values(task) == [
        "Cập nhật kho học liệu",
        datetime(2025, 3, 25),
        "Chưa làm",
        "Nguyễn Thị Mai",
    ]
    assert task[1].is_date and task[1].number_format == "dd/mm/yyyy"

    _, _, days, _ = table(book["Xác nhận theo ngày"])
    assert [values(day) for day in days] == [
        [datetime(2025, 3, 16), 1, 1],
        [datetime(2025, 3, 20), 1, 2],
    ]
    assert all(day[0].number_format == "dd/mm/yyyy" for day in days)

    _, _, kinds, totals = table(book["Tuyên truyền"])
    assert values(totals) == ["Tổng cộng", 2, 150]
    assert values(totals)[1:] == [sum(row[i].value for row in kinds) for i in (1, 2)]
    assert all(cell.font.b for cell in totals)


def test_progress_units_total_counts_each_person_once(client, world, figures):
    """Hùng is in Tổ 1 and in Công đoàn: the rows add up to 4 people, the school has 3. The
    last row gives the plan's own figures and says so; CSV gives the same row."""
    _, plan = figures
    url = f"/api/v1/plans/{plan.id}/progress"
    sheet = workbook(client, world, url)["Theo tổ"]
    _, headers, rows, totals = table(sheet)
    assert headers[3::4] == ["Tỷ lệ xác nhận", "Tỷ lệ tham gia"]
    assert title_block(sheet)[-1] == (
        "Một người có thể thuộc cả tổ/bộ phận và đoàn thể nên được tính ở cả hai dòng; "
        "dòng cuối đếm mỗi người một lần."
    )
    assert [values(row)[:3] for row in rows] == [
        ["Ban giám hiệu", 1, 0],
        ["Công đoàn", 1, 1],
        ["Tổ 1", 2, 2],
    ]
    assert sum(row[1].value for row in rows) == 4
    assert values(totals) == ["Toàn đơn vị (không trùng người)", 3, 2, 0.6667, 1, 1, 2, 0.6667]
    assert all(cell.font.b for cell in totals)
    for row in [*rows, totals]:
        assert_counts([row[i] for i in (1, 2, 4, 5, 6)])
        assert_rates([row[3], row[7]])

    content, table_rows = csv_rows(client, world, url)
    assert content.startswith(b"\xef\xbb\xbf")
    assert table_rows[0] == headers
    assert table_rows[1:] == [
        ["Ban giám hiệu", "1", "0", "0.0", "0", "0", "0", "0.0"],
        ["Công đoàn", "1", "1", "1.0", "0", "0", "1", "1.0"],
        ["Tổ 1", "2", "2", "1.0", "1", "1", "2", "1.0"],
        ["Toàn đơn vị (không trùng người)", "3", "2", "0.6667", "1", "1", "2", "0.6667"],
    ]


def test_progress_as_of_a_past_day(client, world, figures):
    """The day the figures stand at, in words (no "17/03" to read as a fraction); a table
    with no rows keeps its header, filtered, and prints."""
    _, plan = figures
    book = workbook(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-03-17")
    assert_filed_as_a_clerk_would(book)
    assert title_block(book["Theo tổ"])[3] == "Số liệu tính đến hết ngày 17 tháng 3 năm 2025"
    header, _, rows, _ = table(book["Nhiệm vụ quá hạn"])
    assert rows == [] and book["Nhiệm vụ quá hạn"].auto_filter.ref == f"A{header}:D{header}"


def test_rollup_workbook_and_csv(client, world, figures):
    district_plan, _ = figures
    url = f"/api/v1/plans/{district_plan.id}/rollup"
    book = workbook(client, world, url, as_of="2025-04-30")
    assert_filed_as_a_clerk_would(book)
    sheet = book["Các đơn vị"]
    assert title_block(sheet)[:4] == [
        "PHÒNG GDĐT QUẬN THANH KHÊ",
        "Kế hoạch số 01/KH-PGDĐT: Kế hoạch học tập Nghị quyết 57-NQ/TW",
        "TỔNG HỢP TIẾN ĐỘ CỦA CÁC ĐƠN VỊ",
        "Số liệu tính đến hết ngày 30 tháng 4 năm 2025",
    ]
    _, headers, rows, totals = table(sheet)
    assert [values(row)[:4] for row in rows] == [
        ["Trường Tiểu học Khác", "th-other", None, "Chưa"],
        ["Trường Tiểu học Nguyễn Bỉnh Khiêm", "th-nbk", "01/KH-THNBK", "Có"],
    ]
    assert [values(row)[-3:] for row in rows] == [
        ["Đơn vị và các đơn vị trực thuộc", 1, 0],
        ["Đơn vị và các đơn vị trực thuộc", 1, 1],
    ]
    scope = headers.index("Phạm vi số liệu")
    rates = [i for i, header in enumerate(headers) if header.startswith("Tỷ lệ")]
    counts = [i for i in range(4, len(headers)) if i not in rates and i != scope]
    assert all(cell.font.b for cell in totals)
    assert totals[0].value == "Tổng cộng"
    assert totals[3].value == 1  # of the two schools, one adopted the plan
    assert [totals[i].value for i in counts] == [sum(row[i].value for row in rows) for i in counts]
    total = dict(zip(headers, values(totals), strict=True))
    assert {key: total[key] for key in ("Số người", "Đã xác nhận", "Tỷ lệ xác nhận")} | {
        key: total[key] for key in ("Lượt dự học", "Lượt cần dự học", "Tỷ lệ tham dự")
    } == {
        "Số người": 4,
        "Đã xác nhận": 2,
        "Tỷ lệ xác nhận": 0.5,  # 2 of 4, not the schools' rates averaged
        "Lượt dự học": 2,
        "Lượt cần dự học": 3,
        "Tỷ lệ tham dự": 0.6667,
    }
    for row in [*rows, totals]:
        assert_counts(row[i] for i in counts)
    assert_rates(row[i] for row in [*rows, totals] for i in rates if row[i].value is not None)
    assert rows[0][headers.index("Tỷ lệ tham dự")].value is None  # no session held: blank

    content, table_rows = csv_rows(client, world, url, as_of="2025-04-30")
    assert content.startswith(b"\xef\xbb\xbf")
    assert table_rows[0] == headers
    assert table_rows[-1][:7] == ["Tổng cộng", "", "", "1", "4", "2", "0.5"]
    assert table_rows[-1][headers.index("Tỷ lệ tham dự")] == "0.6667"
    assert not any(FRACTION.search(field) for row in table_rows for field in row)


def test_issued_figures_workbook_and_csv(client, world, figures):
    """The frozen figures of 01/BC-THNBK: the title block names the report, the day its
    figures stand at and when they were made (frozen with them)."""
    _, plan = figures
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15", "as_of": "2025-03-31", "assessment": "Ưu điểm: …"},
    )
    assert issued.status_code == 201, issued.text
    url = f"/api/v1/reports/{issued.json()['id']}"
    made = datetime.fromisoformat(
        download(client, world, url).json()["figures"]["generated_at"]
    ).astimezone(VN)
    book = workbook(client, world, f"{url}/figures")
    assert (
        book.sheetnames == workbook(client, world, f"/api/v1/plans/{plan.id}/progress").sheetnames
    )
    assert_filed_as_a_clerk_would(book)
    for sheet in book.worksheets:
        assert title_block(sheet)[:6] == [
            ORG,
            PLAN_LINE,
            title_block(sheet)[2],
            "Số liệu tính đến hết ngày 31 tháng 3 năm 2025",
            f"Lập lúc {made:%H} giờ {made:%M}, {date_in_words(None, made.date())}",
            "Số liệu của Báo cáo số 01/BC-THNBK ngày 15 tháng 4 năm 2025",
        ]
    _, _, _, totals = table(book["Theo tổ"])
    assert values(totals) == ["Toàn đơn vị (không trùng người)", 3, 2, 0.6667, 1, 1, 2, 0.6667]
    _, _, (task,), _ = table(book["Nhiệm vụ quá hạn"])
    assert task[1].value == datetime(2025, 3, 25) and task[1].number_format == "dd/mm/yyyy"

    content, table_rows = csv_rows(client, world, f"{url}/figures")
    assert content.startswith(b"\xef\xbb\xbf")
    assert table_rows[-1] == [
        "Toàn đơn vị (không trùng người)",
        "3",
        "2",
        "0.6667",
        "1",
        "1",
        "2",
        "0.6667",
    ]
    assert not any(FRACTION.search(field) for row in table_rows for field in row)


def test_a_long_title_wraps_in_the_title_block(client, world, figures, db):
    """A plan's title of 300 characters wraps across the merged title line, whose row is
    made tall enough; the columns stay as wide as their contents."""
    _, plan = figures
    plan.title = "Tổ chức học tập, quán triệt và tuyên truyền Nghị quyết " * 6
    db.add(plan)
    db.commit()
    sheet = workbook(client, world, f"/api/v1/plans/{plan.id}/progress")["Tuyên truyền"]
    assert sheet["A2"].value.startswith("Kế hoạch số 01/KH-THNBK: Tổ chức học tập")
    assert "A2:C2" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert sheet["A2"].alignment.wrap_text and sheet.row_dimensions[2].height >= 60
    assert sheet.column_dimensions["A"].width < 50
