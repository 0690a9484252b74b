"""The official progress report (Báo cáo): its wording and its figures, laid out as Decree
30/2020/NĐ-CP asks (`app.documents.layout`).

Everything the report says comes from its frozen figures; nothing is a placeholder (the
assessment is required before a report is issued). A draft renders the same document marked
"DỰ THẢO", with no number taken.
"""

from __future__ import annotations

from datetime import datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from app.core.characters import without_unsafe_characters
from app.core.config import current_settings
from app.core.text import lower_first
from app.documents import layout
from app.documents.service import date_in_words
from app.orgs.models import Organization
from app.plans.models import Plan
from app.reports.exports import UNIT_TOTALS
from app.reports.models import Report
from app.reports.schemas import Progress, UnitRow
from app.study_sessions.schemas import SESSION_KIND_LABELS

ASSOCIATIONS = ("union", "youth")  # đoàn thể: their members are also in a tổ
UNIT_TABLE_MM = (12, 61, 22, 24, 22, 24)  # TT, unit, people, studied, rate, reflections


def percent(value: float) -> str:
    """81,4% — a decimal comma, as Vietnamese documents write it; 100% and 50%, not 100,0%."""
    return f"{value * 100:.1f}".replace(".", ",").removesuffix(",0") + "%"


def thousands(value: int) -> str:
    """8.111 — a point between thousands, as Vietnamese documents write it."""
    return f"{value:,}".replace(",", ".")


def _free_text(document, text: str | None, fallback: str) -> None:
    """A paragraph per line, in regular weight as typed (a clerk's "1. …" is not a heading);
    only a line feed breaks a line (splitlines() would also break at the vertical tab and
    other controls that an old stored value may hold)."""
    text = without_unsafe_characters(text or "")
    lines = [line.strip() for line in text.split("\n") if line.strip()] or [fallback]
    for line in lines:
        layout.body_paragraph(document, line)


def _unit_table(document, progress: Progress) -> None:
    """Figures by unit: the staff groups (tổ, bộ phận) and the associations (đoàn thể) as
    two blocks, since one person is in both; the last row is the whole school, each person
    counted once."""
    table = layout.fixed_table(document, UNIT_TABLE_MM, borders=True)
    header = table.rows[0]
    layout.row_repeats(header)
    layout.row_stays_whole(header)
    titles = ["TT", "Tổ, bộ phận", "Số người", "Đã học tập", "Tỷ lệ", "Bài thu hoạch"]
    for cell, title in zip(header.cells, titles, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    groups = [u for u in progress.by_unit if u.unit_kind not in ASSOCIATIONS]
    associations = [u for u in progress.by_unit if u.unit_kind in ASSOCIATIONS]
    blocks = [("A", "Tổ chuyên môn, bộ phận", groups), ("B", "Đoàn thể", associations)]
    for letter, name, units in blocks:
        if not units:
            continue
        if associations:
            _span_row(table, f"{letter}. {name}")
        for index, unit in enumerate(units, start=1):
            _figures_row(table, str(index), unit.unit_name, unit)
    total = _figures_row(
        table,
        "",
        UNIT_TOTALS,
        UnitRow(
            unit_id=0,
            unit_name="",
            audience=progress.audience,
            confirmed=progress.confirmed,
            confirmed_rate=progress.confirmed_rate,
            reflections=progress.reflections.submitted,
            graded=progress.reflections.graded,
            attended=progress.attendance.attended,
            attended_rate=progress.attendance.attended_rate,
        ),
        bold=True,
    )
    layout.row_stays_whole(total)
    layout.add_line(document, "", size=6)


def _figures_row(table, number: str, name: str, unit: UnitRow, *, bold: bool = False):
    row = table.add_row()
    layout.set_widths(row, UNIT_TABLE_MM)
    layout.row_stays_whole(row)
    values = [
        str(unit.audience),
        str(unit.confirmed),
        percent(unit.confirmed_rate),
        str(unit.reflections),
    ]
    cells = row.cells
    _cell_text(cells[0], number, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[1], name, bold=bold, align=WD_ALIGN_PARAGRAPH.LEFT)
    for cell, value in zip(cells[2:], values, strict=True):
        _cell_text(cell, value, bold=bold, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return row


def _span_row(table, title: str) -> None:
    row = table.add_row()
    layout.set_widths(row, UNIT_TABLE_MM)
    layout.row_stays_whole(row)
    merged = row.cells[0].merge(row.cells[-1])
    _cell_text(merged, title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    merged.paragraphs[0].paragraph_format.keep_with_next = True


def _cell_text(cell, text: str, *, bold: bool, align) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    layout.add_run(paragraph, text, size=12, bold=bold)


def _closing(title: str, issuer: str) -> str:
    """'Trên đây là báo cáo <title> của <issuer>./.', naming the issuer once: a title that
    already names it (… tại Trường Tiểu học …) is not followed by it again."""
    subject = lower_first(title)
    if issuer.casefold() not in title.casefold():
        subject += f" của {issuer}"
    return f"Trên đây là báo cáo {subject}./."


def default_title(plan: Plan) -> str:
    """The report's subject when none is given: "Kết quả <the plan's subject>"."""
    return f"Kết quả {lower_first(plan.title)}"


def _plan_line(plan: Plan, issuer: str) -> str:
    """'Kế hoạch số 12/KH-THPĐ ngày 15/10/2026 của <issuer> về <subject>'."""
    line = f"Kế hoạch số {plan.symbol}" if plan.symbol else "Kế hoạch"
    if plan.issued_on:
        line += f" ngày {plan.issued_on.strftime('%d/%m/%Y')}"
    return line + f" của {issuer} về {lower_first(plan.title)}"


def build_report(
    report: Report,
    progress: Progress,
    *,
    plan: Plan,
    issuer: Organization,
    parent: Organization | None,
    moment: datetime,
    draft: bool = False,
) -> bytes:
    """The report's .docx, from its frozen figures and the plan it reports on; a draft (no
    number yet, no date) is marked "DỰ THẢO"."""
    document = layout.new_document(author=issuer.name, title=report.title, moment=moment)
    if draft:
        layout.draft_mark(document)
    layout.national_header(
        document,
        parent=parent.name if parent else None,
        issuer=issuer.name,
        number_line=f"Số: {report.symbol}"
        if report.symbol
        else f"Số:      /BC-{issuer.abbreviation}",
        place_date=date_in_words(
            issuer.place_name or plan.place_name, None if draft else report.issued_on
        ),
    )
    layout.title_block(document, "BÁO CÁO", report.title)
    _direction(document, report, plan, issuer)
    _study(document, progress)
    _reflections(document, progress)
    _outreach(document, progress)
    layout.heading(document, "V. ĐÁNH GIÁ CHUNG")
    _free_text(
        document, report.assessment, "(Đơn vị bổ sung đánh giá ưu điểm, hạn chế và nguyên nhân.)"
    )
    layout.heading(document, "VI. ĐỀ XUẤT, KIẾN NGHỊ")
    _free_text(document, report.proposals, "Không.")
    layout.body_paragraph(document, _closing(report.title, issuer.name), keep_with_next=True)
    layout.signature_block(
        document,
        recipients=report.recipients,
        signer_title=report.signer_title or "",
        signer_name=report.signer_name or "",
    )
    return layout.saved(document)


def _direction(document, report: Report, plan: Plan, issuer: Organization) -> None:
    as_of = f" (số liệu tính đến ngày {report.as_of.strftime('%d/%m/%Y')})" if report.as_of else ""
    layout.heading(document, "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI")
    layout.body_paragraph(
        document,
        f"Thực hiện {_plan_line(plan, issuer.name)}, đơn vị đã triển khai đến toàn thể cán bộ, "
        f"viên chức, người lao động trong đơn vị{as_of}.",
    )


def _study(document, progress: Progress) -> None:
    """Sessions, the whole staff's figures (the quiz's too, if the plan has one), the table
    by unit, and who is still to study or to confirm, worded so that no sentence contradicts
    another."""
    layout.heading(document, "II. KẾT QUẢ HỌC TẬP, QUÁN TRIỆT")
    held = [s for s in progress.sessions if s.status == "held"]
    size = progress.audience
    studied = (
        f"2. Tổng số CBVC-NLĐ: {size} người; số người đã học tập, quán triệt và xác nhận: "
        f"{progress.confirmed}/{size} người, đạt {percent(progress.confirmed_rate)}."
    )
    if held:
        zone = current_settings().zone
        days = "; ".join(
            f"{s.title} ({SESSION_KIND_LABELS.get(s.kind, s.kind).lower()}, "
            f"ngày {s.starts_at.astimezone(zone).strftime('%d/%m/%Y')})"
            for s in held
        )
        layout.body_paragraph(
            document, f"1. Đơn vị đã tổ chức {len(held)} buổi học tập, quán triệt: {days}."
        )
        attended = progress.attendance
        studied += (
            f" Số người tham gia buổi học tập: {attended.attended}/{size} người, "
            f"đạt {percent(attended.attended_rate)}."
        )
    else:
        layout.body_paragraph(document, "1. Đơn vị chưa tổ chức buổi học tập tập trung.")
    if progress.quiz is not None:  # not in reports of plans without a quiz, nor issued before
        quiz = progress.quiz
        studied += (
            f" Số người đạt yêu cầu bài kiểm tra (từ {quiz.pass_percent}% số câu trả lời đúng "
            f"trở lên): {quiz.passed}/{size} người, đạt {percent(quiz.passed_rate)}."
        )
    layout.body_paragraph(document, studied)
    layout.body_paragraph(document, "3. Kết quả theo từng tổ, bộ phận:", keep_with_next=True)
    _unit_table(document, progress)
    layout.body_paragraph(document, _still_to_do(progress, bool(held)))


def _still_to_do(progress: Progress, sessions_held: bool) -> str:
    """Point 4: who has not confirmed, and what the school does about it: a make-up session
    only for people who missed every session; a reminder for people who attended."""
    pending = len(progress.pending)
    if not pending:
        return "4. Toàn thể cán bộ, viên chức, người lao động đã xác nhận học tập."
    absent = progress.audience - progress.attendance.attended
    if not sessions_held:
        action = "đơn vị tiếp tục tổ chức học tập và đôn đốc xác nhận"
    elif absent > 0:
        action = (
            f"đơn vị tổ chức học bù cho {absent} người chưa tham gia buổi học tập "
            f"và đôn đốc hoàn thành việc xác nhận"
        )
    else:
        action = "tất cả đã tham gia buổi học tập; đơn vị đôn đốc hoàn thành việc xác nhận"
    return f"4. Số người chưa xác nhận học tập: {pending} người ({action})."


def _reflections(document, progress: Progress) -> None:
    layout.heading(document, "III. BÀI THU HOẠCH")
    grades = progress.reflections.by_grade
    layout.body_paragraph(
        document,
        f"Số bài thu hoạch đã nộp: {progress.reflections.submitted}/{progress.audience}; đã chấm: "
        f"{progress.reflections.graded} bài, trong đó Tốt: {grades.tot}, Khá: {grades.kha}, "
        f"Đạt: {grades.dat}, Chưa đạt: {grades.chua_dat}.",
    )


def _outreach(document, progress: Progress) -> None:
    layout.heading(document, "IV. CÔNG TÁC TUYÊN TRUYỀN")
    if progress.outreach.by_kind:
        kinds = "; ".join(f"{k.label}: {k.count}" for k in progress.outreach.by_kind)
        layout.body_paragraph(
            document,
            f"Tổng số hoạt động tuyên truyền: {progress.outreach.total} ({kinds}); "
            f"lượt tiếp cận: {thousands(progress.outreach.reach)}.",
        )
    else:
        layout.body_paragraph(document, "Chưa ghi nhận hoạt động tuyên truyền.")
