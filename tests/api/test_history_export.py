"""A person's record as files (issue 19, item 2): the workbook's cells and the document's text
say what the record on screen says; the PDF is rendered where LibreOffice is installed (503
where it is not); the files follow the record's access rules and are audited; her data export
by her personal link."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
import sqlalchemy as sa
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from app.audit.models import AuditEvent
from app.core import office
from app.core.security import token_digest
from tests.api.test_history import give_a_plan, record_of_mai
from tests.api.test_report_pdf import libreoffice  # noqa: F401 (a fixture)
from tests.support import count_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(world, fmt: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"format": fmt, **params}.items())
    return f"/api/v1/participants/{world.teacher.id}/history/export?{query}"


def download(client, world, address: str, caller: str = "manager", status: int = 200):
    response = client.get(address, headers=world.headers(caller))
    assert response.status_code == status, response.text
    return response


def issue_link(client, world, person=None) -> str:
    person = person or world.teacher
    issued = client.post(
        f"/api/v1/participants/{person.id}/links", headers=world.headers("manager")
    )
    assert issued.status_code == 201, issued.text
    return issued.json()["token"]


def rows(sheet) -> list[dict]:
    """The table of a sheet (below its title block) as dicts by header."""
    values = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(values) if row[0] == "Năm học")
    header = values[start]
    return [dict(zip(header, row, strict=True)) for row in values[start + 1 :]]


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    """The document's paragraphs, and each table as rows of cell texts."""
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


@pytest.fixture
def mai(db, world):
    world.school.place_name = "Thanh Khê"
    world.teacher.position = "Giáo viên"
    old, new = record_of_mai(db, world)
    db.commit()
    return old, new


def test_the_workbook_says_what_the_record_says(client, world, mai):
    old, new = mai
    record = download(client, world, f"/api/v1/participants/{world.teacher.id}/history").json()
    response = download(client, world, url(world, "xlsx"))
    assert response.headers["content-type"] == XLSX
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["content-disposition"] == 'attachment; filename="ho-so-hoc-tap-GV001.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Xác nhận", "Buổi học tập", "Nhiệm vụ", "Tuyên truyền"]
    summary = book["Tổng hợp"]
    assert summary["A1"].value == "TRƯỜNG TIỂU HỌC NGUYỄN BỈNH KHIÊM"
    assert summary["A2"].value == ("Hồ sơ học tập của Nguyễn Thị Mai, mã cán bộ GV001, Giáo viên")
    assert summary["A4"].value == "Các năm học 2024–2025 và 2025–2026"
    header_row = next(c.row for c in summary["A"] if c.value == "Năm học")
    assert summary.freeze_panes == f"A{header_row + 1}"
    assert all(summary.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMNOPQ")

    plans = [(y["label"], p) for y in record["years"] for p in y["plans"]]
    summary_rows = rows(summary)
    assert [(r["Năm học"], r["Trích yếu"]) for r in summary_rows] == [
        (label, p["plan"]["title"]) for label, p in plans
    ]
    this_year, last_year = summary_rows
    assert this_year["Xác nhận học tập"] == "Chưa xác nhận"  # withdrawn
    assert last_year["Xác nhận học tập"] == "Đã xác nhận"
    assert last_year["Ngày xác nhận"] == datetime(2024, 11, 2)
    headers = [c.value for c in summary[header_row]]
    day_column = headers.index("Ngày xác nhận") + 1
    assert summary.cell(row=header_row + 2, column=day_column).number_format == "dd/mm/yyyy"
    assert {r["Học khi công tác tại"] for r in summary_rows} == {
        "Trường Tiểu học Nguyễn Bỉnh Khiêm"
    }
    assert last_year["Kế hoạch số"] == old.symbol
    assert (last_year["Xếp loại"], last_year["Phiên bản tài liệu"]) == ("Tốt", 2)
    assert (last_year["Buổi đã tham dự"], last_year["Buổi đã tổ chức"]) == (1, 2)
    assert (last_year["Nhiệm vụ đã xong"], last_year["Nhiệm vụ được giao"]) == (1, 2)
    assert last_year["Hoạt động tuyên truyền"] == 1

    confirmations = rows(book["Xác nhận"])
    expected = [c for _, p in plans for c in p["confirmations"]]
    states = {
        "current": "Đang hiệu lực",
        "superseded": "Đã thay bằng phiên bản mới",
        "withdrawn": "Đã rút",
    }
    assert [(r["Phiên bản tài liệu"], r["Tình trạng"]) for r in confirmations] == [
        (c["material_major"], states[c["state"]]) for c in expected
    ]
    withdrawn = confirmations[0]
    assert withdrawn["Lý do rút"] == "Xác nhận nhầm kế hoạch"
    assert withdrawn["Cách xác nhận"] == "qua tài khoản"
    assert confirmations[-1]["Nhận xét"] == "Sâu sắc"

    sessions = rows(book["Buổi học tập"])
    assert [(r["Buổi"], r["Điểm danh"]) for r in sessions] == [
        (a["title"], {"present": "Có mặt", "absent": "Vắng"}[a["status"]])
        for _, p in plans
        for a in p["attendance"]
    ]
    tasks = rows(book["Nhiệm vụ"])
    assert {(r["Nhiệm vụ"], r["Giao cho tổ"]) for r in tasks} == {
        (t["title"], t["via_unit"]) for _, p in plans for t in p["tasks"]
    }
    [article] = rows(book["Tuyên truyền"])
    [credited] = [a for _, p in plans for a in p["activities"]]
    assert (article["Hoạt động"], article["Hình thức"], article["Ngày"]) == (
        credited["title"],
        credited["kind_label"],
        datetime(2025, 3, 20),
    )


def test_the_document_is_an_official_record(client, world, mai):
    response = download(client, world, url(world, "docx"))
    assert response.headers["content-type"] == DOCX
    assert 'filename="ho-so-hoc-tap-GV001.docx"' in response.headers["content-disposition"]
    text, tables = docx_text(response.content)
    header = " ".join(" ".join(tables[0][0]).split())
    for line in (
        "PHÒNG GDĐT QUẬN THANH KHÊ",
        "TRƯỜNG TIỂU HỌC NGUYỄN BỈNH KHIÊM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Khê, ngày ",
    ):
        assert line in header, (line, header)
    assert "HỒ SƠ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT" in text
    assert "Các năm học 2024–2025 và 2025–2026" in text
    for line in (
        "Họ và tên: Nguyễn Thị Mai",
        "Mã cán bộ: GV001",
        "Chức vụ: Giáo viên",
        "I. NĂM HỌC 2025–2026",
        "II. NĂM HỌC 2024–2025",
    ):
        assert line in text, line
    this_year, last_year = tables[1], tables[2]
    assert this_year[0] == ["Nội dung", "Kết quả"]
    assert this_year[1][0].startswith("1. Kế hoạch số ") and "về kế hoạch NQ66" in this_year[1][0]
    results = {row[0]: row[1] for row in last_year[2:]}
    assert results["Xác nhận học tập"].startswith(
        "Đã xác nhận ngày 02/11/2024 (phiên bản 2, qua tài khoản)."
    )
    assert (
        "Phiên bản 1: xác nhận ngày 20/10/2024, đã thay bằng phiên bản mới."
        in (results["Xác nhận học tập"])
    )
    assert results["Bài thu hoạch"] == "Đã nộp ngày 02/11/2024; xếp loại: Tốt.\nNhận xét: Sâu sắc"
    assert results["Buổi học tập"].startswith("Tham dự 1/2 buổi đã tổ chức.")
    assert "Học bù NQ57 (học bù): Vắng." in results["Buổi học tập"]
    assert "Sinh hoạt chuyên đề tổ (giao cho Tổ 1)" in results["Nhiệm vụ"]
    assert "20/03/2025: Bài viết về NQ57 (bài viết, tin bài)." in results["Tuyên truyền"]
    withdrawn = {row[0]: row[1] for row in this_year[2:]}["Xác nhận học tập"]
    assert "đã rút ngày 12/10/2025 (lý do: Xác nhận nhầm kế hoạch)." in withdrawn
    signatures = " ".join(tables[-1][0])
    assert "THỦ TRƯỞNG ĐƠN VỊ" in signatures and "Nguyễn Thị Mai" in signatures


def test_the_filters_narrow_the_files(client, world, mai):
    old, _ = mai
    one_year = download(client, world, url(world, "docx", year=2024))
    assert (
        'filename="ho-so-hoc-tap-GV001-2024-2025.docx"' in (one_year.headers["content-disposition"])
    )
    text, tables = docx_text(one_year.content)
    assert "Năm học 2024–2025" in text and "2025–2026" not in text
    one_plan = download(client, world, url(world, "xlsx", plan_id=old.id))
    book = load_workbook(io.BytesIO(one_plan.content))
    assert [r["Kế hoạch số"] for r in rows(book["Tổng hợp"])] == [old.symbol]
    empty = download(client, world, url(world, "docx", year=2020))
    assert "Chưa có kế hoạch học tập, quán triệt nào" in docx_text(empty.content)[0]


def test_the_pdf_where_libreoffice_is_installed(client, world, mai, libreoffice):  # noqa: F811
    response = download(client, world, url(world, "pdf"))
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="ho-so-hoc-tap-GV001.pdf"' in response.headers["content-disposition"]
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(response.content)).pages
        for line in page.extract_text().splitlines()
    ]
    for text in ("HỒ SƠ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT", "Họ và tên: Nguyễn Thị Mai"):
        assert text in lines, (text, lines[:20])
    assert any(line.startswith("Thanh Khê, ngày") for line in lines)


def test_without_libreoffice_the_pdf_is_a_503_and_nothing_is_audited(
    client, world, mai, db, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(settings, "libreoffice_path", str(tmp_path / "no-such-soffice"))
    monkeypatch.setattr(office, "convert", lambda *_: pytest.fail("rendered without a program"))
    response = download(client, world, url(world, "pdf"), status=503)
    assert response.json()["type"].endswith("/pdf-unavailable")
    assert response.json()["detail"].startswith("Máy chủ chưa cài LibreOffice")
    assert not exports_audited(db)
    download(client, world, url(world, "docx"))  # the .docx stays


def exports_audited(db) -> list[tuple]:
    return db.exec(
        sa.select(AuditEvent.actor_label, AuditEvent.entity_id, AuditEvent.after)
        .where(AuditEvent.action == "participant.history_export")
        .order_by(AuditEvent.id)
    ).all()


def test_each_download_is_audited(client, world, mai, db):
    download(client, world, url(world, "xlsx", year=2024))
    download(client, world, "/api/v1/me/history/export?format=docx", "member")
    token = issue_link(client, world)
    assert client.get(f"/api/v1/links/{token}/history/export?format=xlsx").status_code == 200
    events = exports_audited(db)
    assert [e.entity_id for e in events] == [str(world.teacher.id)] * 3
    assert [(e.after["format"], e.after["year"]) for e in events] == [
        ("xlsx", 2024),
        ("docx", None),
        ("xlsx", None),
    ]
    assert [e.actor_label for e in events][1:] == ["gv001", "link:GV001"]
    assert events[2].after["via_link_issued_by"] == "manager"


def test_who_may_download_a_record(client, world, mai, monkeypatch):
    """The record's own rules: out of scope or not hers is 404, with no file made."""
    mine = download(client, world, "/api/v1/me/history/export?format=xlsx", "member")
    assert mine.content.startswith(b"PK")
    download(client, world, url(world, "xlsx"), "member")  # her own, by its id
    download(client, world, url(world, "xlsx"), "other_admin", 404)
    colleague = f"/api/v1/participants/{world.colleague.id}/history/export?format=xlsx"
    download(client, world, colleague, "member", 404)
    download(client, world, colleague, "viewer")  # the district reads its people
    download(client, world, url(world, "xlsx"), "anonymous", 401)
    download(client, world, "/api/v1/me/history/export?format=xlsx", "manager", 403)
    download(client, world, url(world, "csv"), "manager", 422)


def test_a_link_downloads_its_own_record_only(client, world, mai, db):
    token = issue_link(client, world)
    hung = issue_link(client, world, world.colleague)
    mine = client.get(f"/api/v1/links/{token}/history/export?format=docx")
    assert mine.status_code == 200
    assert "Họ và tên: Nguyễn Thị Mai" in docx_text(mine.content)[0]
    his = client.get(f"/api/v1/links/{hung}/history/export?format=docx")
    assert "Họ và tên: Trần Văn Hùng" in docx_text(his.content)[0]
    assert "Nguyễn Thị Mai" not in docx_text(his.content)[0]
    assert client.get("/api/v1/links/ltp_not-a-token/history/export").status_code == 404
    revoked = client.delete(
        f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("admin")
    )
    assert revoked.status_code == 204
    dead = client.get(f"/api/v1/links/{token}/history/export?format=xlsx")
    assert dead.status_code == 404
    assert dead.json()["detail"].startswith("Liên kết không hợp lệ")


def test_a_constant_number_of_reads(client, world, db, connection):
    address = f"/api/v1/participants/{world.colleague.id}/history/export?format=xlsx"
    give_a_plan(db, world, world.colleague, "2025-03-16")
    download(client, world, address)  # the login's first use writes what later ones only read
    one = count_queries(client, connection, address, headers=world.headers("manager"))
    for day in ("2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"):
        give_a_plan(db, world, world.colleague, day)
    book = load_workbook(io.BytesIO(download(client, world, address).content))
    assert len(rows(book["Tổng hợp"])) == 5
    assert count_queries(client, connection, address, headers=world.headers("manager")) == one
    docx = address.replace("xlsx", "docx")
    assert count_queries(client, connection, docx, headers=world.headers("manager")) == one


# Her data export by her personal link (app.privacy), for a teacher without an account.


def test_her_data_by_her_link(client, world, mai, db):
    token = issue_link(client, world)
    response = client.get(f"/api/v1/links/{token}/export")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="du-lieu-ca-nhan-GV001.json"'
    )
    assert token not in response.text and token_digest(token) not in response.text
    body = json.loads(response.text)
    assert body["profile"]["full_name"] == "Nguyễn Thị Mai"
    assert len(body["confirmations"]) == 3 and len(body["links"]) == 1
    workbook = client.get(f"/api/v1/links/{token}/export?format=xlsx")
    assert workbook.status_code == 200
    assert load_workbook(io.BytesIO(workbook.content)).sheetnames[0]
    [(label, after)] = db.exec(
        sa.select(AuditEvent.actor_label, AuditEvent.after)
        .where(AuditEvent.action == "participant.export")
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).all()
    assert (label, after["format"]) == ("link:GV001", "xlsx")
    assert after["via_link_issued_by"] == "manager"


def test_her_data_by_a_dead_link_is_404_and_throttled(client, world, mai):
    token = issue_link(client, world)
    client.delete(f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("admin"))
    assert client.get(f"/api/v1/links/{token}/export").status_code == 404
    statuses = {client.get("/api/v1/links/ltp_guess/export").status_code for _ in range(31)}
    assert statuses == {404, 429}
