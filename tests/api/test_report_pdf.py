"""An issued report as PDF: rendered by LibreOffice from the stored .docx, read back through
its text layer (header lines whole, the signer block on one page, the page count stable), kept
after the first download; and the answers when LibreOffice is missing, fails or is slow.

The tests that render need LibreOffice (`scripts/ensure-libreoffice.sh`); without it they
skip, or fail when PDF_REQUIRED=1 (CI). The others put a stand-in in its place.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader

from app.audit.models import AuditEvent
from app.core import office
from app.reports.models import Report
from tests.factories import report_history

ISSUER = "TRƯỜNG TIỂU HỌC NGUYỄN BỈNH KHIÊM"
# A point of the assessment as a clerk writes one: about three lines of the page.
POINT = (
    "Nhà trường đã triển khai kịp thời, nghiêm túc kế hoạch học tập Nghị quyết đến toàn thể "
    "cán bộ, giáo viên, nhân viên; tổ chức học tập trực tiếp kết hợp tự nghiên cứu tài liệu."
)
SIGNER_BLOCK = ("Nơi nhận:", "- Phòng GDĐT quận Thanh Khê;", "- Lưu: VT.", "HIỆU TRƯỞNG", "Bùi Can")


@pytest.fixture
def libreoffice(app) -> None:
    """Skip (or fail, when PDF_REQUIRED=1) without LibreOffice. After `app`: it reads the
    app's settings."""
    if office.libreoffice() is None:
        reason = "LibreOffice is not installed (scripts/ensure-libreoffice.sh installs it)"
        if os.environ.get("PDF_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def plan(db, world):
    world.school.place_name = "Thanh Khê"
    _, plan = report_history(db, world)
    db.commit()
    return plan


def issue(client, world, plan, assessment: str = POINT) -> int:
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={
            "issued_on": "2025-04-15",
            "assessment": assessment,
            "proposals": "Đề nghị Phòng GDĐT tổ chức tập huấn chuyển đổi số.",
            "signer_name": "Bùi Can",
            "signer_title": "HIỆU TRƯỞNG",
            "recipients": ["Phòng GDĐT quận Thanh Khê", "Lưu: VT"],
        },
    )
    assert issued.status_code == 201, issued.text
    return issued.json()["id"]


def pdf_url(report_id: int) -> str:
    return f"/api/v1/reports/{report_id}/document.pdf"


def download(client, world, report_id: int, caller: str = "viewer", **headers):
    return client.get(pdf_url(report_id), headers={**world.headers(caller), **headers})


def pages(content: bytes) -> list[list[str]]:
    """The lines of each page, from the PDF's text layer."""
    reader = PdfReader(io.BytesIO(content))
    return [[line.strip() for line in page.extract_text().splitlines()] for page in reader.pages]


def pages_of(report_pages: list[list[str]], text: str) -> list[int]:
    """The pages (from 1) on which a line holds `text`."""
    return [
        number
        for number, lines in enumerate(report_pages, 1)
        if any(text in line for line in lines)
    ]


def fake_libreoffice(tmp_path: Path, script: str) -> str:
    """A program standing in for LibreOffice: a shell script."""
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def test_the_pdf_is_rendered_once_and_kept(client, world, plan, db, libreoffice):
    report_id = issue(client, world, plan)
    first = download(client, world, report_id)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    sha256 = hashlib.sha256(first.content).hexdigest()
    assert first.headers["etag"] == f'"{sha256}"'
    assert 'filename="bao-cao-01-BC-THNBK.pdf"' in first.headers["content-disposition"]
    assert "Kết quả kế hoạch học tập Nghị quyết 57-NQ/TW" in sum(pages(first.content), [])

    again = download(client, world, report_id, caller="token")
    assert again.status_code == 200 and again.content == first.content
    unchanged = download(client, world, report_id, **{"If-None-Match": f'"{sha256}"'})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == f'"{sha256}"'

    report = db.get(Report, report_id)
    db.refresh(report)
    assert (report.document_pdf, report.document_pdf_sha256) == (first.content, sha256)
    events = db.exec(
        sa.select(AuditEvent.action, AuditEvent.after)
        .where(AuditEvent.entity_type == "report", AuditEvent.entity_id == str(report_id))
        .order_by(AuditEvent.id)
    ).all()
    assert events[1:] == [("report.render_pdf", {"document_pdf_sha256": sha256})]
    assert events[0][0] == "report.issue"
    # The report's own record says nothing of the PDF: reading never changes it.
    listed = client.get(f"/api/v1/plans/{plan.id}/reports", headers=world.headers("viewer"))
    assert "document_pdf" not in str(listed.json())


def test_the_header_lines_do_not_wrap(client, world, plan, libreoffice):
    """Decree 30's header: every line the .docx sets (a long name of a body may be broken
    into lines there, where a clerk would break it) is whole on one line of the PDF; the
    national name, the motto, the number and the place and date are one line each."""
    report_id = issue(client, world, plan)
    response = download(client, world, report_id)
    assert response.status_code == 200, response.text
    docx = client.get(f"/api/v1/reports/{report_id}/document", headers=world.headers("viewer"))
    header = Document(io.BytesIO(docx.content)).tables[0].rows[0].cells
    set_lines = [
        line.strip()
        for cell in header
        for paragraph in cell.paragraphs
        for line in paragraph.text.split("\n")
        if line.strip()
    ]
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/BC-THNBK",
        "Thanh Khê, ngày 15 tháng 4 năm 2025",
    ):
        assert line in set_lines, (line, set_lines)
    assert ISSUER in " ".join(set_lines)
    first_page = pages(response.content)[0]
    for line in set_lines:
        assert any(line in rendered for rendered in first_page), (line, first_page[:12])


def test_the_signer_block_sits_on_one_page(client, world, plan, libreoffice):
    """The report whose signer block would straddle a page break: the shortest assessment
    (in points, found by halving) whose PDF takes one page more than a report of one point.
    Without keeping the block together its end crosses the break there; kept together, the
    whole block starts the new page. Either side of that length, it sits on one page."""

    def render(points: int) -> list[list[str]]:
        response = download(client, world, issue(client, world, plan, "\n".join([POINT] * points)))
        assert response.status_code == 200, response.text
        return pages(response.content)

    shortest, longest = render(1), render(24)
    assert len(longest) > len(shortest), "24 points should take more pages than one"
    low, high = 1, 24  # render(low) has the fewer pages, render(high) the more
    rendered = {low: shortest, high: longest}
    while high - low > 1:
        middle = (low + high) // 2
        rendered[middle] = render(middle)
        if len(rendered[middle]) > len(shortest):
            high = middle
        else:
            low = middle
    for points in (low, high):
        # The block closes the report: the last page on which each of its lines appears.
        where = {text: pages_of(rendered[points], text)[-1] for text in SIGNER_BLOCK}
        assert len(set(where.values())) == 1, (points, len(rendered[points]), where)


def test_the_page_count_is_the_same_when_rendered_again(client, world, plan, db, libreoffice):
    report_id = issue(client, world, plan, "\n".join([POINT] * 12))
    document = db.get(Report, report_id).document
    first, second = office.convert(document), office.convert(document)
    assert len(PdfReader(io.BytesIO(first)).pages) == len(PdfReader(io.BytesIO(second)).pages)
    assert pages(first) == pages(second)


def test_who_reads_the_pdf(client, world, plan, monkeypatch):
    """As the .docx: refused before anything is rendered."""
    monkeypatch.setattr(office, "convert", lambda *_: pytest.fail("rendered for a refusal"))
    report_id = issue(client, world, plan)
    for caller, expected in [("anonymous", 401), ("member", 403), ("other_admin", 404)]:
        assert download(client, world, report_id, caller).status_code == expected, caller
    assert download(client, world, 999999).status_code == 404


def test_without_libreoffice_the_pdf_is_a_503_and_the_docx_stays(
    client, world, plan, db, settings, tmp_path, monkeypatch
):
    monkeypatch.setattr(settings, "libreoffice_path", str(tmp_path / "no-such-soffice"))
    report_id = issue(client, world, plan)
    response = download(client, world, report_id)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://lantoa.vn/problems/pdf-unavailable"
    assert problem["detail"] == (
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; vui lòng tải tệp .docx. "
        "/ LibreOffice is not installed on the server, so there is no PDF; download the "
        ".docx instead."
    )
    assert db.get(Report, report_id).document_pdf is None
    docx = client.get(f"/api/v1/reports/{report_id}/document", headers=world.headers("viewer"))
    assert docx.status_code == 200


@pytest.mark.parametrize(
    "script",
    [
        "echo 'source file could not be loaded' >&2; exit 1",
        "exit 0",  # says it worked, writes nothing
        'sleep 30 & echo $! > "$(dirname "$0")/child"; wait',  # longer than the timeout
    ],
    ids=["fails", "writes-nothing", "too-slow"],
)
def test_a_failed_conversion_is_a_503_and_nothing_is_kept(
    client, world, plan, db, settings, tmp_path, monkeypatch, script
):
    monkeypatch.setattr(settings, "libreoffice_path", fake_libreoffice(tmp_path, script))
    monkeypatch.setattr(office, "TIMEOUT_SECONDS", 0.5)
    report_id = issue(client, world, plan)
    response = download(client, world, report_id)
    assert response.status_code == 503, response.text
    assert response.json()["type"] == "https://lantoa.vn/problems/pdf-failed"
    assert response.json()["detail"].startswith("Chưa chuyển được văn bản sang PDF;")
    assert db.get(Report, report_id).document_pdf is None
    child = tmp_path / "child"
    if child.exists():  # the timeout ended the program and what it started
        state = Path(f"/proc/{child.read_text().strip()}/stat")
        assert not state.exists() or state.read_text().split(") ")[1][0] in "ZX"


def test_two_first_downloads_at_once_keep_one_pdf(client, world, plan, db, monkeypatch):
    """Each renders (outside any lock); the first to finish keeps its PDF, and the other
    download gives that one rather than its own. Here the second download starts and finishes
    while the first is rendering."""
    report_id = issue(client, world, plan)
    document = db.get(Report, report_id).document
    rendered = iter([b"%PDF-1.7 first", b"%PDF-1.7 second"])
    lock = threading.Lock()
    answers = {}

    def render(content: bytes, suffix: str = ".docx") -> bytes:
        assert (content, suffix) == (document, ".docx")
        with lock:
            mine = next(rendered)
        if mine == b"%PDF-1.7 first":
            answers["second"] = download(client, world, report_id, caller="admin")
        return mine

    monkeypatch.setattr(office, "convert", render)
    first = download(client, world, report_id)
    assert (first.status_code, answers["second"].status_code) == (200, 200)
    assert first.content == answers["second"].content == b"%PDF-1.7 second"
    report = db.get(Report, report_id)
    db.refresh(report)
    assert report.document_pdf == b"%PDF-1.7 second"
    assert (
        db.exec(
            sa.select(sa.func.count()).where(AuditEvent.action == "report.render_pdf")
        ).scalar_one()
        == 1
    )


def test_the_docx_answers_304_to_its_etag(client, world, plan):
    report_id = issue(client, world, plan)
    url = f"/api/v1/reports/{report_id}/document"
    first = client.get(url, headers=world.headers("viewer"))
    etag = first.headers["etag"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'
    again = client.get(url, headers={**world.headers("viewer"), "If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
