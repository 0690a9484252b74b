"""A person's record (hồ sơ học tập) as an official-looking A4 document, laid out as the
report is (`app.documents.layout`, Decree 30/2020/NĐ-CP): the national header with the school,
the place and the day, the title, who she is, then a section and a table per school year (a
span row per plan, then her confirmation, quiz (if the plan has one), reflection, sessions,
tasks and outreach), and room for her signature and the head of the school's.

Also the words the record's files share (the workbook's cells say the same as the document).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from app.core.config import current_settings
from app.core.text import lower_first
from app.documents import layout
from app.documents.service import date_in_words
from app.history.schemas import (
    HistoryAttendance,
    HistoryConfirmation,
    HistoryPlan,
    HistoryQuiz,
    HistoryTask,
    ParticipantHistory,
    PlanHistory,
)
from app.reports.document import thousands

TITLE = "HỒ SƠ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT"
TABLE_MM = (42, layout.TEXT_WIDTH_MM - 42)  # what, and her result
TABLE_SIZE = 12
ATTENDANCE_LABELS = {
    "present": "Có mặt",
    "late": "Đi muộn",
    "excused": "Vắng có phép",
    "absent": "Vắng",
}
METHOD_LABELS = {
    "self": "qua tài khoản",
    "link": "qua đường dẫn cá nhân",
    "qr": "quét mã QR",
    "on_behalf": "cán bộ ghi nhận thay",
}
STATE_LABELS = {
    "current": "Đang hiệu lực",
    "superseded": "Đã thay bằng phiên bản mới",
    "withdrawn": "Đã rút",
}
NOT_MARKED = "Chưa điểm danh"
NOT_HELD = "Chưa tổ chức"


@dataclass(frozen=True)
class Heading:
    """Where the record is made and of whom, beyond what the record itself says."""

    organization: str
    parent: str | None
    place: str | None
    position: str | None
    made: datetime  # when, in UTC


def local(moment: datetime) -> datetime:
    """The moment in the app's time zone, without the zone (documents and cells have none)."""
    return moment.astimezone(current_settings().zone).replace(tzinfo=None)


def day(value: date | datetime) -> str:
    return (local(value) if isinstance(value, datetime) else value).strftime("%d/%m/%Y")


def plan_line(plan: HistoryPlan) -> str:
    """'Kế hoạch số 05/KH-THNBK ngày 10/10/2024 của <issuer> về <subject>'."""
    line = f"Kế hoạch số {plan.symbol}" if plan.symbol else "Kế hoạch"
    if plan.issued_on:
        line += f" ngày {day(plan.issued_on)}"
    return f"{line} của {plan.issuer} về {lower_first(plan.title)}"


def scope_line(record: ParticipantHistory) -> str:
    """Which school years the record covers: 'Năm học 2025–2026', 'Các năm học 2024–2025 và
    2025–2026', or none yet."""
    labels = [y.label for y in reversed(record.years)]
    if not labels:
        return "Chưa có kế hoạch học tập nào"
    if len(labels) == 1:
        return f"Năm học {labels[0]}"
    return f"Các năm học {', '.join(labels[:-1])} và {labels[-1]}"


def made_line(made: datetime) -> str:
    """'Lập lúc 14 giờ 05, ngày 05 tháng 12 năm 2026', in the app's time zone."""
    made = local(made)
    return f"Lập lúc {made:%H} giờ {made:%M}, {date_in_words(None, made.date())}"


def current_of(entry: PlanHistory) -> HistoryConfirmation | None:
    return next((c for c in entry.confirmations if c.state == "current"), None)


def attended(entry: PlanHistory) -> int:
    return sum(a.status in ("present", "late") for a in entry.attendance)


def held(entry: PlanHistory) -> int:
    return sum(a.session_status == "held" for a in entry.attendance)


def attendance_mark(a: HistoryAttendance) -> str:
    if a.status:
        return ATTENDANCE_LABELS.get(a.status, a.status)
    return NOT_MARKED if a.session_status == "held" else NOT_HELD


def _confirmation_lines(entry: PlanHistory) -> list[str]:
    current = current_of(entry)
    lines = []
    if current:
        line = (
            f"Đã xác nhận ngày {day(current.confirmed_at)} (phiên bản {current.material_major}, "
            f"{METHOD_LABELS.get(current.method, current.method)})"
        )
        if current.on_behalf_reason:
            line += f"; lý do ghi nhận thay: {current.on_behalf_reason}"
        lines.append(line + ".")
    else:
        lines.append("Chưa xác nhận phiên bản tài liệu hiện hành.")
    for c in entry.confirmations:
        if c is current:
            continue
        line = f"Phiên bản {c.material_major}: xác nhận ngày {day(c.confirmed_at)}, "
        if c.state == "withdrawn" and c.withdrawn_at:
            line += f"đã rút ngày {day(c.withdrawn_at)}"
            if c.withdraw_reason:
                line += f" (lý do: {c.withdraw_reason})"
        else:
            line += "đã thay bằng phiên bản mới"
        lines.append(line + ".")
    return lines


def _reflection_lines(entry: PlanHistory) -> list[str]:
    current = current_of(entry)
    if current is None or not current.reflection:
        return ["Chưa nộp."]
    sent = current.reflection_submitted_at or current.confirmed_at
    grade = f"xếp loại: {current.grade_label}" if current.grade_label else "chưa đánh giá"
    lines = [f"Đã nộp ngày {day(sent)}; {grade}."]
    if current.grade_comment:
        lines.append(f"Nhận xét: {current.grade_comment}")
    return lines


def _attendance_lines(entry: PlanHistory) -> list[str]:
    if not entry.attendance:
        return ["Không có buổi học tập nào."]
    lines = [
        f"Tham dự {attended(entry)}/{held(entry)} buổi đã tổ chức."
        if held(entry)
        else "Chưa có buổi học tập nào được tổ chức."
    ]
    for a in entry.attendance:
        kind = a.kind_label.lower()
        lines.append(f"{day(a.starts_at)}: {a.title} ({kind}): {attendance_mark(a)}.")
    return lines


def _task_line(task: HistoryTask) -> str:
    line = task.title
    if task.via_unit:
        line += f" (giao cho {task.via_unit})"
    if task.due_on:
        line += f", hạn {day(task.due_on)}"
    line += f": {task.status_label.lower()}"
    if task.completed_at:
        line += f" ngày {day(task.completed_at)}"
    if task.evidence_accepted:
        line += f"; {task.evidence_accepted} minh chứng được duyệt"
    return line + "."


def _activity_lines(entry: PlanHistory) -> list[str]:
    if not entry.activities:
        return ["Chưa có hoạt động được ghi nhận."]
    lines = []
    for a in entry.activities:
        details = [a.kind_label.lower()]
        if a.via_unit:
            details.append(f"ghi nhận cho {a.via_unit}")
        if a.reach:
            details.append(f"{thousands(a.reach)} lượt tiếp cận")
        lines.append(f"{day(a.happened_on)}: {a.title} ({'; '.join(details)}).")
    return lines


def quiz_result(quiz: HistoryQuiz) -> str:
    """Passed, not passed (yet), or not taken: her quiz in a word or three."""
    if quiz.passed:
        return "Đạt yêu cầu"
    return "Chưa đạt yêu cầu" if quiz.best_percent is not None else "Chưa làm bài"


def _quiz_lines(quiz: HistoryQuiz) -> list[str]:
    asked = "bắt buộc, " if quiz.required else ""
    line = f"{quiz_result(quiz)} ({asked}yêu cầu từ {quiz.pass_percent}% trở lên)"
    if quiz.best_percent is not None:
        line += f"; điểm cao nhất {quiz.best_percent}%"
    return [f"{line}; đã làm {quiz.attempts}/{quiz.attempts_allowed} lượt."]


def plan_rows(entry: PlanHistory) -> list[tuple[str, list[str]]]:
    """What the document's table says of one plan, row by row (the quiz only where the plan
    has one)."""
    return [
        ("Xác nhận học tập", _confirmation_lines(entry)),
        *([("Bài kiểm tra", _quiz_lines(entry.quiz))] if entry.quiz else []),
        ("Bài thu hoạch", _reflection_lines(entry)),
        ("Buổi học tập", _attendance_lines(entry)),
        ("Nhiệm vụ", [_task_line(t) for t in entry.tasks] or ["Không có nhiệm vụ nào."]),
        ("Tuyên truyền", _activity_lines(entry)),
    ]


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    text = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        text += letters * count
    return text


def build(record: ParticipantHistory, heading: Heading) -> bytes:
    """The record's .docx."""
    person = record.participant
    document = layout.new_document(
        author=heading.organization,
        title=f"Hồ sơ học tập, quán triệt nghị quyết: {person.full_name}",
        moment=heading.made,
    )
    layout.national_header(
        document,
        parent=heading.parent,
        issuer=heading.organization,
        number_line="",
        place_date=date_in_words(heading.place, local(heading.made).date()),
    )
    layout.title_block(document, TITLE, scope_line(record))
    _person(document, record, heading)
    if not record.years:
        layout.body_paragraph(
            document, "Chưa có kế hoạch học tập, quán triệt nào trong hồ sơ của cán bộ."
        )
    for number, year in enumerate(record.years, start=1):
        layout.heading(document, f"{roman(number)}. NĂM HỌC {year.label}")
        _year_table(document, year.plans)
    note = layout.add_line(
        document,
        f"Hồ sơ trích từ dữ liệu của hệ thống Lan Tỏa. {made_line(heading.made)}.",
        size=11,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        space_after=6,
        keep_with_next=True,
    )
    note.paragraph_format.space_before = Pt(6)
    _signatures(document, person.full_name)
    return layout.saved(document)


def _person(document, record: ParticipantHistory, heading: Heading) -> None:
    person = record.participant
    lines = [
        ("Họ và tên: ", person.full_name),
        ("Mã cán bộ: ", person.staff_code),
        ("Chức vụ: ", heading.position or "(chưa ghi)"),
        ("Đơn vị: ", heading.organization),
    ]
    for index, (label, value) in enumerate(lines):
        paragraph = layout.add_line(
            document,
            label,
            size=14,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            space_after=6 if index == len(lines) - 1 else 2,
            keep_with_next=True,
        )
        paragraph.paragraph_format.left_indent = Cm(1)
        layout.add_run(paragraph, value, size=14, bold=index == 0)


def _year_table(document, plans: list[PlanHistory]) -> None:
    table = layout.fixed_table(document, TABLE_MM, borders=True)
    header = table.rows[0]
    layout.row_repeats(header)
    layout.row_stays_whole(header)
    for cell, title in zip(header.cells, ("Nội dung", "Kết quả"), strict=True):
        _cell(cell, [title], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, entry in enumerate(plans, start=1):
        row = _row(table)
        merged = row.cells[0].merge(row.cells[-1])
        heading = [f"{number}. {plan_line(entry.plan)}"]
        if entry.earlier_school:  # studied before she moved here: her school then says so
            heading.append(f"(Khi công tác tại {entry.school_name}, trước khi chuyển trường.)")
        _cell(merged, heading, bold=True)
        merged.paragraphs[0].paragraph_format.keep_with_next = True
        for what, lines in plan_rows(entry):
            row = _row(table)
            _cell(row.cells[0], [what], bold=False)
            _cell(row.cells[1], lines, bold=False)
    layout.add_line(document, "", size=6)


def _row(table):
    row = table.add_row()
    layout.set_widths(row, TABLE_MM)
    layout.row_stays_whole(row)
    return row


def _cell(cell, lines: list[str], *, bold: bool, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    """Each line a paragraph of the cell, the first in the paragraph python-docx made."""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(2)
        layout.add_run(paragraph, line, size=TABLE_SIZE, bold=bold)


def _signatures(document, full_name: str) -> None:
    """Her signature on the left, the head of the school's (with the seal) on the right, in one
    row that never splits."""
    half = layout.TEXT_WIDTH_MM / 2
    table = layout.fixed_table(document, (half, half), borders=False)
    layout.row_stays_whole(table.rows[0])
    left, right = layout.empty_cells(table.rows[0])
    for cell, title, hint, name in (
        (left, "CÁN BỘ, VIÊN CHỨC", "(Ký, ghi rõ họ tên)", full_name),
        (right, "THỦ TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên, đóng dấu)", ""),
    ):
        layout.add_line(cell, title, size=13, bold=True, keep_with_next=True)
        layout.add_line(cell, hint, size=13, italic=True, keep_with_next=True)
        for _ in range(4):
            layout.add_line(cell, "", keep_with_next=True)
        layout.add_line(cell, name, size=14, bold=True)
