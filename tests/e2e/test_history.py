"""The learning record (hồ sơ học tập, issue 19) in a real browser: the teacher opens hers from
her link page and reads the plan, her confirmation and the school year; a school admin opens a
staff member's from the person page; the screen prints."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_phone import teacher_with_plan
from tests.e2e.test_teacher import School, sign_in, watched_page


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def confirmed_by_link(live_server, plan: dict, link: dict) -> str:
    """Her confirmation made by her link; the label of the school year it falls in."""
    base = f"{live_server.url}/api/v1/links/{link['token']}"
    httpx.post(f"{base}/acknowledgements/{plan['id']}", json={}, timeout=10).raise_for_status()
    record = httpx.get(f"{base}/history", timeout=10).json()
    return record["years"][0]["label"]


def test_the_teacher_opens_her_record_from_her_link_page(browser, live_server, school):
    hoa, plan, link = teacher_with_plan(school)
    year = confirmed_by_link(live_server, plan, link)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.goto(link["url"])
        expect(page.get_by_role("heading", name=f"Xin chào, {hoa['full_name']}")).to_be_visible()
        page.get_by_role("link", name="Hồ sơ học tập của tôi").click()
        expect(page).to_have_url(f"{live_server.url}/#/l/{link['token']}/history")
        expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ học tập")
        expect(page.get_by_role("heading", name=f"Năm học {year}")).to_be_visible()
        card = page.locator("article.history-plan").filter(
            has=page.get_by_role("heading", name=plan["title"], exact=True)
        )
        expect(card).to_contain_text("✓ Đã xác nhận ngày")
        expect(card).to_contain_text("qua đường dẫn cá nhân")
        expect(card).to_contain_text("Không có nhiệm vụ nào.")
        expect(page.get_by_role("button", name="In")).to_be_visible()
        # The year filter keeps the card; English reads the same record.
        page.get_by_label("Năm học", exact=True).select_option(label=year)
        expect(card).to_be_visible()
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", name=f"School year {year}")).to_be_visible()
        expect(card).to_contain_text("Confirmed on")
        page.get_by_role("link", name="← Back to my page").click()
        expect(page.get_by_role("heading", name=f"Hello, {hoa['full_name']}")).to_be_visible()
    finally:
        page.context.close()
    assert errors == []


def test_an_admin_opens_a_staff_members_record_from_the_person_page(
    browser, live_server, school, school_admin
):
    hoa, plan, link = teacher_with_plan(school)
    year = confirmed_by_link(live_server, plan, link)
    errors: list[str] = []
    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, school_admin, f"/people/{hoa['id']}")
        expect(page.get_by_role("heading", name=hoa["full_name"])).to_be_visible()
        page.get_by_role("link", name="Hồ sơ học tập").click()
        expect(page).to_have_url(f"{live_server.url}/#/people/{hoa['id']}/history")
        expect(page.locator(".history-person")).to_contain_text(hoa["staff_code"])
        expect(page.get_by_role("heading", name=f"Năm học {year}")).to_be_visible()
        card = page.locator("article.history-plan").filter(
            has=page.get_by_role("heading", name=plan["title"], exact=True)
        )
        expect(card).to_contain_text("Đã xác nhận ngày")
        # Printing hides the header and the buttons and keeps the card.
        page.emulate_media(media="print")
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.get_by_role("button", name="In")).to_be_hidden()
        expect(card).to_be_visible()
    finally:
        page.context.close()
    assert errors == []


def test_a_signed_in_teacher_opens_her_record_from_her_page(browser, live_server, school):
    hoa, plan, _ = teacher_with_plan(school)
    username = f"hoa{school.tag.lower()}"
    account = {"username": username, "password": "mat-khau-hoa-1"}
    school.call(
        "POST", f"/participants/{hoa['id']}/account", 201, json={**account, "role": "member"}
    )
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        sign_in(page, account, "/me")
        page.get_by_role("link", name="Hồ sơ học tập của tôi").click()
        expect(page).to_have_url(f"{live_server.url}/#/me/history")
        card = page.locator("article.history-plan").filter(
            has=page.get_by_role("heading", name=plan["title"], exact=True)
        )
        expect(card).to_contain_text("Chưa xác nhận")
        expect(card).to_contain_text("Không có buổi học tập nào.")
        page.get_by_role("link", name="← Về trang của tôi").click()
        expect(page).to_have_url(f"{live_server.url}/#/me")
    finally:
        page.context.close()
    assert errors == []


def saved_workbook(download) -> object:
    return load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def test_the_teacher_downloads_her_record_and_her_data_by_her_link(browser, live_server, school):
    hoa, plan, link = teacher_with_plan(school)
    year = confirmed_by_link(live_server, plan, link)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.goto(link["url"])
        page.get_by_role("link", name="Hồ sơ học tập của tôi").click()
        expect(page.get_by_role("heading", name=f"Năm học {year}")).to_be_visible()
        with page.expect_download() as record:
            page.get_by_role("button", name="Tải XLSX").click()
        assert record.value.suggested_filename == f"ho-so-hoc-tap-{hoa['staff_code']}.xlsx"
        summary = saved_workbook(record.value)["Tổng hợp"]
        cells = [c for row in summary.iter_rows(values_only=True) for c in row]
        assert plan["title"] in cells and "Đã xác nhận" in cells and year in cells

        # Her data (everything stored about her), from the same screen, as the notice says.
        data = page.get_by_role("region", name="Dữ liệu cá nhân của tôi")
        with page.expect_download() as mine:
            data.get_by_role("button", name="Tải dữ liệu của tôi (XLSX)").click()
        assert mine.value.suggested_filename == f"du-lieu-ca-nhan-{hoa['staff_code']}.xlsx"
        assert saved_workbook(mine.value).sheetnames
        with page.expect_download() as as_json:
            data.get_by_role("button", name="Tải dữ liệu của tôi (JSON)").click()
        assert Path(as_json.value.path()).read_text().count(hoa["full_name"]) >= 1
        page.goto(f"{live_server.url}/#/privacy")
        page.get_by_role("link", name="Mở Hồ sơ học tập của tôi").click()
        expect(page).to_have_url(f"{live_server.url}/#/l/{link['token']}/history")
    finally:
        page.context.close()
    assert errors == []


def test_an_admin_downloads_a_staff_members_record(browser, live_server, school, school_admin):
    hoa, plan, link = teacher_with_plan(school)
    confirmed_by_link(live_server, plan, link)
    errors: list[str] = []
    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, school_admin, f"/people/{hoa['id']}/history")
        expect(page.locator(".history-person")).to_contain_text(hoa["staff_code"])
        expect(page.get_by_role("button", name="Tải PDF")).to_be_visible()
        # Her own data export is hers to take: not on the staff's screen.
        expect(page.get_by_role("region", name="Dữ liệu cá nhân của tôi")).to_have_count(0)
        with page.expect_download() as record:
            page.get_by_role("button", name="Tải XLSX").click()
        assert record.value.suggested_filename == f"ho-so-hoc-tap-{hoa['staff_code']}.xlsx"
        names = [
            c
            for row in saved_workbook(record.value)["Tổng hợp"].iter_rows(values_only=True)
            for c in row
        ]
        assert plan["title"] in names

        # A server that cannot make the PDF says so, and offers the same document as .docx.
        problem = {
            "type": "https://lantoa.vn/problems/pdf-unavailable",
            "title": "PDF unavailable",
            "status": 503,
            "detail": "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; vui lòng tải tệp "
            ".docx. / LibreOffice is not installed on the server, so there is no PDF; download "
            "the .docx instead.",
        }
        page.route(
            re.compile(r"/history/export\?format=pdf"),
            lambda route: route.fulfill(
                status=503, content_type="application/problem+json", body=json.dumps(problem)
            ),
        )
        page.get_by_role("button", name="Tải PDF").click()
        expect(page.get_by_role("alert")).to_contain_text("Máy chủ chưa cài LibreOffice")
        with page.expect_download() as document:
            page.get_by_role("button", name="Tải bản Word (.docx)").click()
        assert document.value.suggested_filename == f"ho-so-hoc-tap-{hoa['staff_code']}.docx"
    finally:
        page.context.close()
    # Chromium logs the 503 the screen explains; nothing else.
    assert [e for e in errors if "status of 503" not in e] == []
