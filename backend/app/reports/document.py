"""The official progress report (Báo cáo) as a .docx in the layout of Decree 30/2020/NĐ-CP.

A4 portrait, Times New Roman; margins 20/20/30/15 mm; the two-column header (the bodies on
the left with the number, the national motto on the right with place and date); the title
and subject; numbered sections; the signature block and the recipients; page numbers
centred in the top margin from the second page.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from app.core.characters import without_unsafe_characters
from app.core.config import current_settings
from app.core.text import lower_first
from app.documents.service import date_in_words
from app.orgs.models import Organization
from app.plans.models import Plan
from app.reports.models import Report
from app.reports.schemas import Progress
from app.study_sessions.schemas import SESSION_KIND_LABELS

FONT = "Times New Roman"


def percent(value: float) -> str:
    """81,4% — a decimal comma, as Vietnamese documents write it."""
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def thousands(value: int) -> str:
    """8.111 — a point between thousands, as Vietnamese documents write it."""
    return f"{value:,}".replace(",", ".")


def _run(paragraph, text: str):
    """Every piece of text enters the document here: XML cannot carry a control character, and
    one stored before input refused them must not make the report undownloadable."""
    return paragraph.add_run(without_unsafe_characters(text))


def _style(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    page = section.header.paragraphs[0]
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(page, "PAGE")


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _line(
    cell_or_doc,
    text: str = "",
    *,
    size: float = 13,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    space_after: float = 0,
):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        run = _run(paragraph, text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(cell_or_doc, length: int) -> None:
    """A short centred rule under a heading, as long as `length` characters."""
    _line(cell_or_doc, "─" * length, size=8)


def _header(
    document: Document, report: Report, issuer: str, parent: str | None, place: str | None
) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    for cell in (left, right):
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    if parent:
        _line(left, parent.upper(), size=13)
    _line(left, issuer.upper(), size=13, bold=True)
    _rule(left, 8)
    _line(left, f"Số: {report.symbol}", size=13, space_after=6)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 16)
    _line(right, date_in_words(place, report.issued_on), size=14, italic=True)


def _body(document: Document, text: str, *, bold: bool = False, indent: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1) if indent else None
    paragraph.paragraph_format.space_after = Pt(6)
    run = _run(paragraph, text)
    run.bold = bold


def _heading(document: Document, text: str) -> None:
    _body(document, text, bold=True)


def _free_text(document: Document, text: str, fallback: str) -> None:
    """A paragraph per line; only a line feed breaks a line (splitlines() would also break at
    the vertical tab and other controls that an old stored value may hold)."""
    text = without_unsafe_characters(text or "")
    lines = [line.strip() for line in text.split("\n") if line.strip()] or [fallback]
    for line in lines:
        _body(document, line, bold=line[:2].rstrip(".").isdigit() and line[1:3].startswith("."))


def _unit_table(document: Document, progress: Progress) -> None:
    headers = ["TT", "Tổ/Bộ phận", "Số người", "Đã học tập", "Tỷ lệ", "Bài thu hoạch"]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = _run(cell.paragraphs[0], header)
        run.bold, run.font.size = True, Pt(12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, unit in enumerate(progress.by_unit, start=1):
        values = [
            str(index),
            unit.unit_name,
            str(unit.audience),
            str(unit.confirmed),
            percent(unit.confirmed_rate),
            str(unit.reflections),
        ]
        cells = table.add_row().cells
        for position, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = ""
            run = _run(cell.paragraphs[0], value)
            run.font.size = Pt(12)
            if position != 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    total = table.add_row().cells
    for cell, value in zip(
        total,
        [
            "",
            "Tổng cộng",
            str(progress.audience),
            str(progress.confirmed),
            percent(progress.confirmed_rate),
            str(progress.reflections.submitted),
        ],
        strict=True,
    ):
        cell.text = ""
        run = _run(cell.paragraphs[0], value)
        run.bold, run.font.size = True, Pt(12)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(document: Document, report: Report, recipients: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    _line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for index, recipient in enumerate(recipients):
        ending = "." if index == len(recipients) - 1 else ";"
        _line(left, f"- {recipient.rstrip(';.')}{ending}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in (report.signer_title or "").splitlines() or [""]:
        _line(right, line.upper(), size=14, bold=True)
    for _ in range(4):
        _line(right, "")
    _line(right, report.signer_name, size=14, bold=True)


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
) -> bytes:
    """The report's .docx, from its frozen figures and the plan it reports on."""
    plan_line = _plan_line(plan, issuer.name)
    place = issuer.place_name or plan.place_name
    document = Document()
    _style(document)
    _header(document, report, issuer.name, parent.name if parent else None, place)

    _line(document, "BÁO CÁO", size=14, bold=True)
    _line(document, report.title, size=14, bold=True)
    _rule(document, 12)
    as_of = f" (số liệu tính đến ngày {report.as_of.strftime('%d/%m/%Y')})" if report.as_of else ""

    _heading(document, "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI")
    _body(
        document,
        f"Thực hiện {plan_line}, đơn vị đã triển khai đến toàn thể cán bộ, viên chức, "
        f"người lao động trong đơn vị{as_of}.",
    )

    _heading(document, "II. KẾT QUẢ HỌC TẬP, QUÁN TRIỆT")
    held = [s for s in progress.sessions if s.status == "held"]
    if held:
        zone = current_settings().zone
        days = "; ".join(
            f"{s.title} ({SESSION_KIND_LABELS.get(s.kind, s.kind).lower()}, "
            f"ngày {s.starts_at.astimezone(zone).strftime('%d/%m/%Y')})"
            for s in held
        )
        _body(document, f"1. Đơn vị đã tổ chức {len(held)} buổi học tập, quán triệt: {days}.")
    else:
        _body(document, "1. Đơn vị chưa tổ chức buổi học tập tập trung.")
    _body(
        document,
        f"2. Tổng số CBVC-NLĐ: {progress.audience} người; số người đã học tập, quán triệt "
        f"và xác nhận: {progress.confirmed}/{progress.audience} người, "
        f"đạt {percent(progress.confirmed_rate)}. Số người tham gia buổi học tập: "
        f"{progress.attendance.attended}/{progress.audience} người, "
        f"đạt {percent(progress.attendance.attended_rate)}.",
    )
    _body(document, "3. Kết quả theo từng tổ, bộ phận:")
    _unit_table(document, progress)
    pending = len(progress.pending)
    _body(
        document,
        f"4. Số người chưa xác nhận học tập: {pending} người"
        + (" (đơn vị tiếp tục tổ chức học bù)." if pending else "."),
    )

    _heading(document, "III. BÀI THU HOẠCH")
    grades = progress.reflections.by_grade
    _body(
        document,
        f"Số bài thu hoạch đã nộp: {progress.reflections.submitted}/{progress.audience}; đã chấm: "
        f"{progress.reflections.graded} bài, trong đó Tốt: {grades.tot}, Khá: {grades.kha}, "
        f"Đạt: {grades.dat}, Chưa đạt: {grades.chua_dat}.",
    )

    _heading(document, "IV. CÔNG TÁC TUYÊN TRUYỀN")
    if progress.outreach.by_kind:
        kinds = "; ".join(f"{k.label}: {k.count}" for k in progress.outreach.by_kind)
        _body(
            document,
            f"Tổng số hoạt động tuyên truyền: {progress.outreach.total} ({kinds}); "
            f"lượt tiếp cận: {thousands(progress.outreach.reach)}.",
        )
    else:
        _body(document, "Chưa ghi nhận hoạt động tuyên truyền.")

    _heading(document, "V. ĐÁNH GIÁ CHUNG")
    _free_text(
        document, report.assessment, "(Đơn vị bổ sung đánh giá ưu điểm, hạn chế và nguyên nhân.)"
    )
    _heading(document, "VI. ĐỀ XUẤT, KIẾN NGHỊ")
    _free_text(document, report.proposals, "Không.")
    _body(document, _closing(report.title, issuer.name))

    _signature(document, report, report.recipients)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
