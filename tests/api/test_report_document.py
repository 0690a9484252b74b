"""The issued report's .docx read as a clerk's word processor reads it: Decree 30's layout
(pages, header, rules, tables, signature block), its wording, its file properties, and the
draft that can be read before issuing. tests/api/test_report_pdf.py reads the rendered PDF."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from app.audit.models import AuditEvent
from app.documents.layout import HEADER_COLUMNS_MM, TEXT_WIDTH_MM, text_width
from app.reports.models import Report
from tests.factories import make_participant, report_history

ASSESSMENT = "1. Ưu điểm: triển khai kịp thời.\n2. Hạn chế: còn 01 đồng chí chưa học tập."
MM = 36000  # EMU per millimetre
TWIPS_PER_MM = 1440 / 25.4


@pytest.fixture
def figures(db, world):
    world.units["Công đoàn"].kind = "union"
    world.school.place_name = "Thanh Khê"
    db.add_all([world.units["Công đoàn"], world.school])
    return report_history(db, world)


def issue(client, world, plan, **fields):
    response = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15", "assessment": ASSESSMENT, **fields},
    )
    assert response.status_code == 201, response.text
    return response.json()


def document_of(client, world, report_id: int) -> Document:
    response = client.get(f"/api/v1/reports/{report_id}/document", headers=world.headers("viewer"))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


@pytest.fixture
def issued(client, world, figures):
    _, plan = figures
    report = issue(client, world, plan, signer_name="Bùi Can", signer_title="HIỆU TRƯỞNG")
    return report, document_of(client, world, report["id"])


def widths(table) -> tuple[list[float], list[float]]:
    """The table's grid and its first row's cells, in millimetres."""
    grid = [int(c.get(qn("w:w"))) / TWIPS_PER_MM for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    cells = [cell.width / MM for cell in table.rows[0].cells]
    return grid, cells


def lines_of(cell) -> list[tuple[str, float, bool]]:
    """Each line of a cell as set (a paragraph, or a part of one between line breaks), with
    its size and weight."""
    result = []
    for paragraph in cell.paragraphs:
        runs = [r for r in paragraph.runs if r.text]
        if not runs:
            continue
        for line in "".join(r.text for r in runs).split("\n"):
            result.append((line, runs[0].font.size.pt, bool(runs[0].bold)))
    return result


def rules_in(container) -> list[tuple[float, float]]:
    """The rules drawn as paragraph borders: (length, indent) in millimetres."""
    found = []
    for paragraph in container.paragraphs:
        properties = paragraph._p.pPr
        if properties is None or properties.find(qn("w:pBdr")) is None:
            continue
        if properties.find(qn("w:pBdr")).find(qn("w:top")) is None:
            continue
        indent = (paragraph.paragraph_format.left_indent or 0) / MM
        found.append(indent)
    return found


def test_the_header_columns_agree_and_every_line_fits(issued):
    _, document = issued
    header = document.tables[0]
    grid, cells = widths(header)
    assert [round(w, 1) for w in grid] == [round(w, 1) for w in cells]
    assert [round(w) for w in grid] == list(HEADER_COLUMNS_MM)
    assert round(sum(grid)) == TEXT_WIDTH_MM == 165
    left, right = header.rows[0].cells
    assert [line for line, _, _ in lines_of(left)] == [
        "PHÒNG GDĐT QUẬN THANH KHÊ",
        "TRƯỜNG TIỂU HỌC",
        "NGUYỄN BỈNH KHIÊM",
        "Số: 01/BC-THNBK",
    ]
    assert [line for line, _, _ in lines_of(right)] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Khê, ngày 15 tháng 4 năm 2025",
    ]
    for cell, width in ((left, grid[0]), (right, grid[1])):
        for line, size, bold in lines_of(cell):
            assert text_width(line, size, bold=bold) < width, line


def test_rules_are_drawn_at_the_decrees_lengths(issued):
    """Under the motto as long as the motto; under the issuer and the subject a third to a
    half of the line above; none typed as characters."""
    _, document = issued
    left_width, right_width = HEADER_COLUMNS_MM
    left, right = document.tables[0].rows[0].cells
    everything = "\n".join(p.text for p in document.paragraphs) + left.text + right.text
    assert "─" not in everything and "___" not in everything

    (motto_indent,) = rules_in(right)
    motto = text_width("Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    assert right_width - 2 * motto_indent == pytest.approx(motto, abs=0.5)

    (issuer_indent,) = rules_in(left)
    issuer_line = text_width("NGUYỄN BỈNH KHIÊM", 13, bold=True)
    assert issuer_line / 3 <= left_width - 2 * issuer_indent <= issuer_line / 2

    (subject_indent,) = rules_in(document)
    subject = next(p for p in document.paragraphs if p.text.startswith("Kết quả"))
    widest = max(text_width(line, 14, bold=True) for line in subject.text.split("\n"))
    assert widest / 3 <= TEXT_WIDTH_MM - 2 * subject_indent <= widest / 2


def test_the_signature_block_and_headings_keep_together(issued):
    _, document = issued
    signature = document.tables[-1]
    row = signature.rows[0]._tr
    assert row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None
    closing = document.paragraphs[-1]
    assert closing.text.startswith("Trên đây là báo cáo") and closing.text.endswith("./.")
    assert closing.paragraph_format.keep_with_next
    headings = [p for p in document.paragraphs if re.match(r"[IV]+\. ", p.text)]
    assert len(headings) == 6
    assert all(p.paragraph_format.keep_with_next for p in headings)
    recipients = signature.cell(0, 0).paragraphs
    assert all(p.paragraph_format.keep_with_next for p in recipients[:-1])


def test_the_unit_table_shows_groups_and_associations_apart(issued):
    """Công đoàn's member is also in Tổ 1: the associations are a block of their own and the
    last row counts each person once, as the school's figures do."""
    _, document = issued
    table = document.tables[1]
    grid, cells = widths(table)
    assert [round(w, 1) for w in grid] == [round(w, 1) for w in cells]
    assert grid[1] == max(grid) and grid[0] == min(grid)
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Tổ, bộ phận", "Số người", "Đã học tập", "Tỷ lệ", "Bài thu hoạch"]
    assert rows[1][0] == "A. Tổ chuyên môn, bộ phận"  # a merged row
    assert rows[2:4] == [
        ["1", "Ban giám hiệu", "1", "0", "0%", "0"],
        ["2", "Tổ 1", "2", "2", "100%", "1"],
    ]
    assert rows[4][0] == "B. Đoàn thể"
    assert rows[5] == ["1", "Công đoàn", "1", "1", "100%", "0"]
    assert rows[6] == ["", "Toàn đơn vị (không trùng người)", "3", "2", "66,7%", "1"]
    for row in table.rows[2:]:
        if len({id(c) for c in row.cells}) == 1:
            continue
        for cell in row.cells[2:]:
            assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert all(run.bold for cell in table.rows[-1].cells[1:] for run in cell.paragraphs[0].runs)


def test_the_clerks_numbered_points_stay_regular_weight(issued):
    _, document = issued
    points = [p for p in document.paragraphs if p.text.startswith(("1. Ưu điểm", "2. Hạn chế"))]
    assert len(points) == 2
    assert not any(run.bold for p in points for run in p.runs)


def test_attendance_and_make_up_wording_agree(issued):
    """Three on the staff, two attended, two confirmed: Bùi Can missed the session and has
    not confirmed, so a make-up session is for one person."""
    _, document = issued
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Số người tham gia buổi học tập: 2/3 người, đạt 66,7%." in text
    assert (
        "4. Số người chưa xác nhận học tập: 1 người (đơn vị tổ chức học bù cho 1 người chưa "
        "tham gia buổi học tập và đôn đốc hoàn thành việc xác nhận)." in text
    )


def test_everybody_attended_but_one_has_not_confirmed(client, world, figures, db):
    """No make-up session is promised to people who all attended."""
    _, plan = figures
    from app.study_sessions.models import Attendance

    can = db.exec(sa.select(Attendance).where(Attendance.status == "absent")).scalar_one()
    can.status = "present"
    db.add(can)
    db.commit()
    report = issue(client, world, plan)
    text = "\n".join(p.text for p in document_of(client, world, report["id"]).paragraphs)
    assert "3/3 người, đạt 100%." in text and "100,0%" not in text
    assert "học bù" not in text
    assert "4. Số người chưa xác nhận học tập: 1 người (tất cả đã tham gia buổi học tập" in text


def test_file_properties_name_the_issuer_and_say_vietnamese(issued, db):
    report, document = issued
    properties = document.core_properties
    assert properties.author == "Trường Tiểu học Nguyễn Bỉnh Khiêm"
    assert properties.title == report["title"]
    assert properties.language == "vi-VN"
    stored = db.get(Report, report["id"])
    created = stored.created_at.replace(microsecond=0)
    assert properties.created == created and properties.modified == created
    language = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert language.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    section = document.sections[0]
    assert section.right_margin.mm >= 15 and section.left_margin.mm >= 30
    assert section.top_margin.mm >= 20 and section.bottom_margin.mm >= 20


def test_issuing_needs_the_assessment_and_takes_no_number_without_it(client, world, figures, db):
    _, plan = figures
    response = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15", "assessment": "   "},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.assessment"]
    assert db.exec(sa.select(sa.func.count()).select_from(Report)).one()[0] == 0
    assert issue(client, world, plan)["symbol"] == "01/BC-THNBK"


def test_a_draft_reads_as_the_report_will_marked_du_thao(client, world, figures, db):
    """The preview takes the same body, renders the same document marked DỰ THẢO with a blank
    number and date, and stores nothing: no report, no number, no audit event."""
    _, plan = figures
    events = db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0]
    response = client.post(
        f"/api/v1/plans/{plan.id}/reports/preview",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    draft = Document(io.BytesIO(response.content))
    assert draft.paragraphs[0].text == "DỰ THẢO"
    left, right = draft.tables[0].rows[0].cells
    assert "Số:      /BC-THNBK" in left.text
    assert "Thanh Khê, ngày      tháng      năm" in right.text
    assert any(p.text.startswith("(Đơn vị bổ sung đánh giá") for p in draft.paragraphs)
    assert db.exec(sa.select(sa.func.count()).select_from(Report)).one()[0] == 0
    assert db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0] == events
    assert issue(client, world, plan)["symbol"] == "01/BC-THNBK"


def test_who_may_preview(client, world, figures):
    district_plan, plan = figures
    url = f"/api/v1/plans/{plan.id}/reports/preview"
    assert client.post(url, headers=world.headers("viewer"), json={}).status_code == 403
    assert client.post(url, headers=world.headers("other_admin"), json={}).status_code == 404
    bad = client.post(url, headers=world.headers("manager"), json={"as_of": "2999-01-01"})
    assert bad.status_code == 422


def test_a_long_name_breaks_evenly_and_never_past_its_column(client, world, figures, db):
    _, plan = figures
    world.school.name = "Trường Tiểu học và Trung học cơ sở Nguyễn Bỉnh Khiêm phường Thanh Khê"
    db.add(world.school)
    make_participant(db, world.school, "Lê Thị Lan", "GV010", [world.units["Tổ 1"]])
    db.commit()
    report = issue(client, world, plan)
    left = document_of(client, world, report["id"]).tables[0].rows[0].cells[0]
    lines = [line for line, _, bold in lines_of(left) if bold]
    assert " ".join(lines) == world.school.name.upper()
    assert len(lines) == 3
    assert all(text_width(line, 13, bold=True) < HEADER_COLUMNS_MM[0] for line in lines)
