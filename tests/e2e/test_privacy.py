"""The privacy notice (issue 19): linked from the teacher's page, readable without signing
in, in Vietnamese and English, and back to her page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_phone import teacher_with_plan
from tests.e2e.test_teacher import School, watched_page


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def test_her_page_links_to_what_is_kept_about_her_and_why(browser, live_server, school):
    hoa, _, link = teacher_with_plan(school)
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.goto(link["url"])
        expect(page.get_by_role("heading", name=f"Xin chào, {hoa['full_name']}")).to_be_visible()
        page.get_by_role("link", name="Dữ liệu cá nhân của thầy cô: lưu gì").click()
        notice = page.locator("article.privacy")
        expect(notice.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của thầy cô")
        for heading in ("Dữ liệu được lưu", "Để làm gì", "Ai được xem", "Lưu bao lâu"):
            expect(notice.get_by_role("heading", name=heading)).to_be_visible()
        expect(notice).to_contain_text("Được yêu cầu một bản sao dữ liệu của mình.")
        expect(notice).to_contain_text("Nghị định 13/2023/NĐ-CP")
        page.get_by_role("button", name="English").click()
        expect(notice.get_by_role("heading", level=1)).to_have_text("Your personal data")
        expect(notice).to_contain_text("To ask for a copy of your data.")
        notice.get_by_role("link", name="← Back to my page").click()
        expect(page).to_have_url(f"{live_server.url}/#/l/{link['token']}")
        expect(page.get_by_role("heading", name=f"Hello, {hoa['full_name']}")).to_be_visible()
    finally:
        page.context.close()
    assert errors == []


def test_anyone_reads_it_from_the_footer(page):
    page.goto("/#/status")
    page.get_by_role("link", name="Dữ liệu cá nhân", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu cá nhân của thầy cô")
    expect(page.get_by_role("link", name="← Về trang của tôi")).to_have_count(0)
