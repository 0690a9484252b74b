"""A transfer in a real browser (issue 19): the district's admin moves a teacher to another
school of the district from her person page, a clash on her staff code shown on its field;
the new school's admin sees where she came from and reads her record from the school she
left, marked read-only."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, create_admin
from tests.e2e.test_history import confirmed_by_link
from tests.e2e.test_phone import teacher_with_plan
from tests.e2e.test_teacher import School, sign_in, watched_page

PASSWORD = "mat-khau-e2e-tr"
LEAVING = "Trường Tiểu học Chuyển Đi"
RECEIVING = "Trường Tiểu học Chuyển Đến"


def district_with_two_schools(live_server) -> tuple[dict, dict, dict]:
    """Admins of a district and of two schools under it, made as a deployment would."""
    accounts = []
    for username, code, name, kind, parent in (
        ("pgd-tr", "pgd-tr", "Phòng GDĐT Chuyển Trường", "district", ""),
        ("ht-di", "th-tr-di", LEAVING, "school", "pgd-tr"),
        ("ht-den", "th-tr-den", RECEIVING, "school", "pgd-tr"),
    ):
        create_admin(
            live_server,
            username,
            PASSWORD,
            *("--org", code, "--org-name", name, "--org-kind", kind),
            *("--abbreviation", code.upper().replace("-", "")),
            *(("--parent", parent) if parent else ()),
        )
        accounts.append({"username": username, "password": PASSWORD})
    return tuple(accounts)


def test_the_district_moves_a_teacher_and_the_new_school_reads_her_record(browser, live_server):
    district, leaving_admin, receiving_admin = district_with_two_schools(live_server)
    leaving, receiving = School(live_server, leaving_admin), School(live_server, receiving_admin)
    hoa, plan, link = teacher_with_plan(leaving)
    year = confirmed_by_link(live_server, plan, link)
    # The receiving school already has someone with her code: she needs another there.
    receiving.call(
        "POST",
        "/participants",
        201,
        json={
            "organization_id": receiving.org_id,
            "full_name": "Trần Văn Bình",
            "staff_code": hoa["staff_code"],
        },
    )
    errors: list[str] = []
    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, district, f"/people/{hoa['id']}")
        expect(page.get_by_role("heading", name=hoa["full_name"])).to_be_visible()
        section = page.locator("section.transfers")
        expect(section.get_by_role("heading", name="Chuyển trường")).to_be_visible()
        expect(section).not_to_contain_text("null")
        page.on("dialog", lambda dialog: dialog.accept())
        section.get_by_role("button", name="Chuyển trường").click()
        expect(page.get_by_label("Chuyển đến trường")).to_have_attribute("aria-invalid", "true")

        page.get_by_label("Chuyển đến trường").select_option(label=RECEIVING)
        page.get_by_label("Số quyết định điều động").fill("125/QĐ-UBND")
        section.get_by_role("button", name="Chuyển trường").click()
        code = page.get_by_label("Mã cán bộ ở trường mới")
        expect(code).to_have_attribute("aria-invalid", "true")

        code.fill(f"{hoa['staff_code']}-2")
        section.get_by_role("button", name="Chuyển trường").click()
        expect(page.locator("section.transfers")).to_contain_text(f"Chuyển đến từ {LEAVING}")
        expect(page.locator("section.transfers")).to_contain_text("Quyết định số 125/QĐ-UBND")
        new_id = int(page.url.rsplit("/", 1)[-1])
        assert new_id != hoa["id"]
    finally:
        page.context.close()

    # The school she left keeps her row, inactive, and says where she went.
    assert leaving.call("GET", f"/participants/{hoa['id']}")["active"] is False
    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, leaving_admin, f"/people/{hoa['id']}")
        expect(page.get_by_role("heading", name=hoa["full_name"])).to_be_visible()
        expect(page.locator("section.transfers")).to_contain_text(f"Đã chuyển đến {RECEIVING}")
        expect(page.get_by_role("button", name="Chuyển trường")).to_have_count(0)
    finally:
        page.context.close()

    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, receiving_admin, f"/people/{new_id}")
        expect(page.get_by_role("heading", name=hoa["full_name"])).to_be_visible()
        expect(page.locator("section.transfers")).to_contain_text(f"Chuyển đến từ {LEAVING}")
        # Her record, read through her new row: the plan of the school she left, marked so.
        page.get_by_role("link", name="Hồ sơ học tập").click()
        expect(page.get_by_role("heading", name=f"Năm học {year}")).to_be_visible()
        card = page.locator("article.history-plan").filter(
            has=page.get_by_role("heading", name=plan["title"], exact=True)
        )
        expect(card).to_contain_text(f"Ở {LEAVING} (trường cũ; chỉ xem)")
        expect(card).to_contain_text("Đã xác nhận ngày")
        expect(page.locator(".history-schools")).to_contain_text(f"{RECEIVING} ← {LEAVING}")
    finally:
        page.context.close()
    leaving.client.close()
    receiving.client.close()
    assert errors == []
