"""The report figures as spreadsheets: CSV (one table, for machines) and XLSX (a titled sheet
per table, for people; laid out by `workbook`)."""

from __future__ import annotations

from datetime import datetime

from app.core.config import current_settings
from app.core.spreadsheets import csv_bytes
from app.documents.service import date_in_words
from app.reports.models import Report
from app.reports.schemas import Progress, Rollup, RollupRow, RollupTotals
from app.reports.workbook import Table, Title
from app.reports.workbook import to_xlsx as workbook_bytes
from app.study_sessions.schemas import SESSION_KIND_LABELS, SESSION_STATUS_LABELS
from app.tasks.schemas import TASK_STATUS_LABELS

UNIT_TOTALS = "Toàn đơn vị (không trùng người)"
PASSED = "Đạt yêu cầu kiểm tra"
PASSED_RATE = "Tỷ lệ đạt yêu cầu kiểm tra"
UNITS_OVERLAP = (
    "Một người có thể thuộc cả tổ/bộ phận và đoàn thể nên được tính ở cả hai dòng; "
    "dòng cuối đếm mỗi người một lần."
)


def _local(moment: datetime) -> datetime:
    """The moment in the app's time zone, without the zone (spreadsheets have none)."""
    return moment.astimezone(current_settings().zone).replace(tzinfo=None)


def _title(figures: Progress | Rollup, heading: str, *details: str) -> Title:
    """Who, which plan, what, as of when (a report's own words: no '31/3' that reads as a
    fraction), and when the figures were made."""
    plan = figures.plan
    made = _local(figures.generated_at)
    stands = (
        f"Số liệu tính đến hết {date_in_words(None, figures.as_of)}"
        if figures.as_of
        else "Số liệu tính đến thời điểm xuất"
    )
    return Title(
        organization=plan.organization_name,
        document=f"Kế hoạch số {plan.symbol}: {plan.title}"
        if plan.symbol
        else f"Kế hoạch: {plan.title}",
        heading=heading,
        details=[
            stands,
            f"Lập lúc {made:%H} giờ {made:%M}, {date_in_words(None, made.date())}",
            *details,
        ],
    )


def progress_tables(report: Progress, issued: Report | None = None) -> list[Table]:
    """The sheets of one plan's progress; the second (by unit) is its CSV. `issued` names the
    report whose frozen figures these are."""
    source = (
        [f"Số liệu của Báo cáo số {issued.symbol} {date_in_words(None, issued.issued_on)}"]
        if issued
        else []
    )

    def title(heading: str, *details: str) -> Title:
        return _title(report, heading, *source, *details)

    grades = report.reflections.by_grade
    tasks, outreach, quiz = report.tasks, report.outreach, report.quiz
    # The quiz's figures only for a plan that has one (a report issued before quizzes reads
    # as it did).
    passed = [(PASSED, quiz.passed), (PASSED_RATE, quiz.passed_rate)] if quiz else []
    summary = [
        ("Tổng số cán bộ, viên chức, người lao động (CBVC-NLĐ)", report.audience),
        ("Đã xác nhận học tập", report.confirmed),
        ("Tỷ lệ xác nhận", report.confirmed_rate),
        ("Đã tham gia học tập", report.attendance.attended),
        ("Tỷ lệ tham gia", report.attendance.attended_rate),
        *passed,
        ("Buổi học tập đã tổ chức", report.attendance.sessions_held),
        ("Bài thu hoạch đã nộp", report.reflections.submitted),
        ("Bài thu hoạch đã chấm", report.reflections.graded),
        ("Xếp loại Tốt", grades.tot),
        ("Xếp loại Khá", grades.kha),
        ("Xếp loại Đạt", grades.dat),
        ("Xếp loại Chưa đạt", grades.chua_dat),
        ("Nhiệm vụ: tổng số", tasks.total),
        ("Nhiệm vụ: đã hoàn thành", tasks.done),
        ("Nhiệm vụ quá hạn", tasks.overdue),
        ("Hoạt động tuyên truyền", outreach.total),
        ("Lượt tiếp cận", outreach.reach),
    ]
    return [
        Table("Tổng hợp", title("Tổng hợp kết quả"), ["Chỉ tiêu", "Giá trị"], summary),
        Table(
            "Theo tổ",
            title("Kết quả theo tổ/bộ phận và đoàn thể", UNITS_OVERLAP),
            [
                "Tổ/Bộ phận",
                "Số người",
                "Đã xác nhận",
                "Tỷ lệ xác nhận",
                "Bài thu hoạch",
                "Đã chấm",
                "Đã tham gia học tập",
                "Tỷ lệ tham gia",
                *([PASSED, PASSED_RATE] if quiz else []),
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
                    *((u.passed, u.passed_rate) if quiz else ()),
                )
                for u in report.by_unit
            ],
            totals=(
                UNIT_TOTALS,
                report.audience,
                report.confirmed,
                report.confirmed_rate,
                report.reflections.submitted,
                report.reflections.graded,
                report.attendance.attended,
                report.attendance.attended_rate,
                *((quiz.passed, quiz.passed_rate) if quiz else ()),
            ),
        ),
        Table(
            "Buổi học tập",
            title("Các buổi học tập và điểm danh"),
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
                    _local(s.starts_at),
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
        ),
        Table(
            "Nhiệm vụ quá hạn",
            title("Nhiệm vụ quá hạn"),
            ["Nhiệm vụ", "Hạn", "Trạng thái", "Người/tổ thực hiện"],
            [
                (t.title, t.due_on, TASK_STATUS_LABELS.get(t.status, t.status), t.assignee or "")
                for t in tasks.overdue_list
            ],
        ),
        Table(
            "Tuyên truyền",
            title("Kết quả tuyên truyền theo hình thức"),
            ["Hình thức", "Số lượng", "Lượt tiếp cận"],
            [(k.label, k.count, k.reach) for k in outreach.by_kind],
            totals=("Tổng cộng", outreach.total, outreach.reach),
        ),
        Table(
            "Xác nhận theo ngày",
            title("Số người xác nhận đã học theo ngày"),
            ["Ngày", "Số xác nhận", "Lũy kế"],
            [(d.day, d.count, d.cumulative) for d in report.confirmations_per_day],
        ),
        Table(
            "Chưa xác nhận",
            title("Danh sách chưa xác nhận học tập"),
            ["Họ và tên", "Mã cán bộ", "Tổ/Bộ phận"],
            [(p.full_name, p.staff_code, ", ".join(p.units)) for p in report.pending],
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
    PASSED,
    PASSED_RATE,
    "Lượt dự học",
    "Lượt cần dự học",
    "Tỷ lệ tham dự",
    "Nhiệm vụ",
    "Hoàn thành",
    "Quá hạn",
    "Hoạt động tuyên truyền",
    "Lượt tiếp cận",
    "Phạm vi số liệu",
    "Số đơn vị",
    "Số đơn vị đã tiếp nhận",
]
SUBTREE = "Đơn vị và các đơn vị trực thuộc"
OWN = "Riêng đơn vị"


def _attendance_rate(figures: RollupRow | RollupTotals) -> float | None:
    """Blank, not 0 %, where no session was held: nobody was absent either."""
    return figures.attendance_rate if figures.expected_attendances else None


def _figures(f: RollupRow | RollupTotals) -> tuple:
    return (
        f.audience,
        f.confirmed,
        f.confirmed_rate,
        f.reflections,
        f.graded,
        f.sessions_held,
        f.attended,
        f.attended_rate,
        f.passed,
        f.passed_rate,
        f.attendances,
        f.expected_attendances,
        _attendance_rate(f),
        f.tasks_total,
        f.tasks_done,
        f.tasks_overdue,
        f.outreach,
        f.outreach_reach,
    )


def rollup_table(report: Rollup) -> Table:
    """The rows of the page and the totals of the level: sums, rates over the sums, and in
    "Đã tiếp nhận" the number of organisations that adopted the plan. A row of the roll-up by
    level covers its organisation's subtree; its own row, and each row of the flat list, its
    own staff ("Phạm vi số liệu")."""
    t = report.totals
    details = [f"Đơn vị: {report.organization.name}"]
    if report.offset or len(report.rows) < report.total:
        first = report.offset + 1 if report.rows else report.offset
        details.append(
            f"Các dòng {first}–{report.offset + len(report.rows)} trong {report.total} dòng"
        )
    return Table(
        "Các đơn vị",
        _title(report, "Tổng hợp tiến độ của các đơn vị", *details),
        ROLLUP_HEADERS,
        [
            (
                r.organization_name,
                r.organization_code,
                r.plan_symbol or "",
                "Có" if r.adopted else "Chưa",
                *_figures(r),
                SUBTREE if r.subtree else OWN,
                r.organizations,
                r.organizations_adopted,
            )
            for r in report.rows
        ],
        totals=("Tổng cộng", "", "", t.adopted, *_figures(t), "", t.organizations, t.adopted),
    )


def to_csv(table: Table) -> bytes:
    """The header, the rows and the totals row; numbers as Python writes them (a point for
    decimals, rates as fractions), dates as YYYY-MM-DD."""
    totals = [table.totals] if table.totals is not None else []
    return csv_bytes([table.headers, *table.rows, *totals])


def to_xlsx(tables: list[Table]) -> bytes:
    return workbook_bytes(tables, creator=tables[0].title.organization)
