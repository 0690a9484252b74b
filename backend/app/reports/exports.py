"""The report figures as spreadsheets: CSV (one table) and XLSX (a sheet per table)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.core.config import current_settings
from app.core.spreadsheets import csv_bytes, xlsx_row
from app.reports.schemas import Progress, Rollup, RollupRow, RollupTotals
from app.study_sessions.schemas import SESSION_KIND_LABELS, SESSION_STATUS_LABELS
from app.tasks.schemas import TASK_STATUS_LABELS

Table = tuple[str, list[str], list[Sequence], set[int]]  # title, headers, rows, percentage columns


def progress_tables(report: Progress) -> list[Table]:
    zone = current_settings().zone
    grades = report.reflections.by_grade
    summary = [
        ("Tổng số cán bộ, viên chức, người lao động (CBVC-NLĐ)", report.audience),
        ("Đã xác nhận học tập", report.confirmed),
        ("Tỷ lệ xác nhận", report.confirmed_rate),
        ("Đã tham gia học tập", report.attendance.attended),
        ("Tỷ lệ tham gia", report.attendance.attended_rate),
        ("Bài thu hoạch đã nộp", report.reflections.submitted),
        ("Bài thu hoạch đã chấm", report.reflections.graded),
        (
            "Xếp loại Tốt / Khá / Đạt / Chưa đạt",
            f"{grades.tot} / {grades.kha} / {grades.dat} / {grades.chua_dat}",
        ),
        ("Buổi học tập đã tổ chức", report.attendance.sessions_held),
        ("Nhiệm vụ: hoàn thành / tổng số", f"{report.tasks.done} / {report.tasks.total}"),
        ("Nhiệm vụ quá hạn", report.tasks.overdue),
        ("Hoạt động tuyên truyền", report.outreach.total),
    ]
    return [
        ("Tổng hợp", ["Chỉ tiêu", "Giá trị"], summary, set()),
        (
            "Theo tổ",
            [
                "Tổ/Bộ phận",
                "Số người",
                "Đã xác nhận",
                "Tỷ lệ xác nhận",
                "Bài thu hoạch",
                "Đã chấm",
                "Đã tham gia học tập",
                "Tỷ lệ tham gia",
            ],
            [
                (
                    u.unit_name,
                    u.audience,
                    u.confirmed,
                    u.confirmed_rate,
                    u.reflections,
                    u.graded,
                    u.attended,
                    u.attended_rate,
                )
                for u in report.by_unit
            ],
            {3, 7},
        ),
        (
            "Buổi học tập",
            [
                "Buổi",
                "Hình thức",
                "Bắt đầu",
                "Trạng thái",
                "Thành phần",
                "Có mặt",
                "Đi muộn",
                "Vắng có phép",
                "Vắng",
                "Tỷ lệ tham dự",
            ],
            [
                (
                    s.title,
                    SESSION_KIND_LABELS.get(s.kind, s.kind),
                    s.starts_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                    SESSION_STATUS_LABELS.get(s.status, s.status),
                    s.audience,
                    s.present,
                    s.late,
                    s.excused,
                    s.absent,
                    s.attendance_rate,
                )
                for s in report.sessions
            ],
            {9},
        ),
        (
            "Nhiệm vụ quá hạn",
            ["Nhiệm vụ", "Hạn", "Trạng thái", "Người/tổ thực hiện"],
            [
                (
                    t.title,
                    t.due_on.strftime("%d/%m/%Y") if t.due_on else "",
                    TASK_STATUS_LABELS.get(t.status, t.status),
                    t.assignee or "",
                )
                for t in report.tasks.overdue_list
            ],
            set(),
        ),
        (
            "Tuyên truyền",
            ["Hình thức", "Số lượng", "Lượt tiếp cận"],
            [(k.label, k.count, k.reach) for k in report.outreach.by_kind],
            set(),
        ),
        (
            "Xác nhận theo ngày",
            ["Ngày", "Số xác nhận", "Lũy kế"],
            [
                (d.day.strftime("%d/%m/%Y"), d.count, d.cumulative)
                for d in report.confirmations_per_day
            ],
            set(),
        ),
        (
            "Chưa xác nhận",
            ["Họ và tên", "Mã cán bộ", "Tổ/Bộ phận"],
            [(p.full_name, p.staff_code, ", ".join(p.units)) for p in report.pending],
            set(),
        ),
    ]


ROLLUP_HEADERS = [
    "Đơn vị",
    "Mã đơn vị",
    "Kế hoạch",
    "Đã tiếp nhận",
    "Số người",
    "Đã xác nhận",
    "Tỷ lệ xác nhận",
    "Bài thu hoạch",
    "Đã chấm",
    "Buổi học đã tổ chức",
    "Số người đã tham gia học tập",
    "Tỷ lệ đã tham gia học tập",
    "Lượt dự học",
    "Lượt cần dự học",
    "Tỷ lệ tham dự",
    "Nhiệm vụ",
    "Hoàn thành",
    "Quá hạn",
    "Hoạt động tuyên truyền",
    "Lượt tiếp cận",
]
ROLLUP_RATES = {
    ROLLUP_HEADERS.index(header)
    for header in ("Tỷ lệ xác nhận", "Tỷ lệ đã tham gia học tập", "Tỷ lệ tham dự")
}


def _attendance_rate(figures: RollupRow | RollupTotals) -> float | None:
    """Blank, not 0 %, where no session was held: nobody was absent either."""
    return figures.attendance_rate if figures.expected_attendances else None


def rollup_table(report: Rollup) -> Table:
    rows = [
        (
            r.organization_name,
            r.organization_code,
            r.plan_symbol or "",
            "Có" if r.adopted else "Chưa",
            r.audience,
            r.confirmed,
            r.confirmed_rate,
            r.reflections,
            r.graded,
            r.sessions_held,
            r.attended,
            r.attended_rate,
            r.attendances,
            r.expected_attendances,
            _attendance_rate(r),
            r.tasks_total,
            r.tasks_done,
            r.tasks_overdue,
            r.outreach,
            r.outreach_reach,
        )
        for r in report.rows
    ]
    t = report.totals
    rows.append(
        (
            "Tổng cộng",
            "",
            "",
            f"{t.adopted}/{t.organizations}",
            t.audience,
            t.confirmed,
            t.confirmed_rate,
            t.reflections,
            t.graded,
            t.sessions_held,
            t.attended,
            t.attended_rate,
            t.attendances,
            t.expected_attendances,
            _attendance_rate(t),
            t.tasks_total,
            t.tasks_done,
            t.tasks_overdue,
            t.outreach,
            t.outreach_reach,
        )
    )
    return ("Các đơn vị", ROLLUP_HEADERS, rows, ROLLUP_RATES)


def to_csv(table: Table) -> bytes:
    _, headers, rows, _ = table
    return csv_bytes([headers, *rows])


def to_xlsx(tables: Iterable[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows, percent in tables:
        sheet = book.create_sheet(title[:31])
        sheet.append(xlsx_row(sheet, headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        for index in percent:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = "0.0%"
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
