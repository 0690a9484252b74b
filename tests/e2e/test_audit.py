"""The audit log in a real browser: actions, records and details in words, the action filter."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_people import go_to, sign_in


def edit_a_teacher(live_server, account: dict[str, str]) -> str:
    """Through the API as the school's admin: add a teacher, change her position, issue her
    personal link. Returns her name."""
    with httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=30) as client:
        login = client.post(
            "/auth/login",
            json={"username": account["username"], "password": account["password"]},
        )
        assert login.status_code == 200, login.text
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        org_id = login.json()["me"]["roles"][0]["organization_id"]
        tag = uuid.uuid4().hex[:6].upper()
        name = f"Đỗ Thị Lan {tag}"
        person = client.post(
            "/participants",
            json={"organization_id": org_id, "full_name": name, "staff_code": f"NK{tag}"},
        )
        assert person.status_code == 201, person.text
        edited = client.patch(
            f"/participants/{person.json()['id']}", json={"position": "Tổ trưởng"}
        )
        assert edited.status_code == 200, edited.text
        link = client.post(f"/participants/{person.json()['id']}/links")
        assert link.status_code == 201, link.text
    return name


def test_audit_log_speaks_the_clerks_language(page: Page, school_admin, live_server):
    name = edit_a_teacher(live_server, school_admin)
    sign_in(page, school_admin)
    go_to(page, "Nhật ký")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký thao tác")
    table = page.get_by_role("table", name="Nhật ký thao tác")
    expect(table.get_by_role("row").filter(has_text="Đăng nhập").first).to_be_visible()
    expect(table).not_to_contain_text("auth.login")

    filters = page.locator("details.filters")
    if not filters.evaluate("node => node.open"):  # folded on a phone
        filters.locator("summary").click()
    action = page.get_by_label("Thao tác", exact=True)
    expect(action.locator("option").first).to_have_text("Tất cả thao tác")
    action.select_option(label="Sửa thông tin cán bộ")
    expect(page).to_have_url(re.compile(r"action=participant\.update"))
    row = table.get_by_role("row").filter(has_text=name)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("Sửa thông tin cán bộ")
    expect(row.get_by_role("cell").nth(2)).to_contain_text(name)
    expect(row.get_by_role("cell").nth(2)).to_contain_text("Cán bộ")

    row.get_by_text("thay đổi").click()
    expect(row).to_contain_text("Chức vụ: (trống) → Tổ trưởng")

    action.select_option(label="Cấp đường dẫn cá nhân")
    expect(page).to_have_url(re.compile(r"action=link\.issue"))
    row = table.get_by_role("row").filter(has_text=name)
    # Wait for the new page of the log, not the edit's row still on screen.
    expect(row.get_by_role("cell").nth(1)).to_have_text("Cấp đường dẫn cá nhân")
    expect(row).to_have_count(1)
    row.get_by_text("thay đổi").click()
    details = row.get_by_role("listitem").filter(has_text="Hết hạn lúc")
    expect(details).to_have_text(re.compile(r"^Hết hạn lúc: \d{2}/\d{2}/\d{4} \d{2}:\d{2}$"))
    expect(row).not_to_contain_text("expires_at")


def test_audit_details_name_the_records_their_ids_point_to(page: Page, school_admin, api_session):
    client, org_id = api_session(school_admin)
    tag = uuid.uuid4().hex[:4].upper()
    unit = client.post(f"/orgs/{org_id}/units", json={"name": f"Tổ Ngữ văn {tag}"})
    unit.raise_for_status()
    plan = client.post(
        "/plans",
        json={
            "organization_id": org_id,
            "title": f"Học tập Nghị quyết 57-NQ/TW ({tag})",
            "period_start": "2025-03-01",
            "signer_title": "HIỆU TRƯỞNG",
            "signer_name": "Bùi Can",
        },
    )
    plan.raise_for_status()
    task = client.post(
        "/tasks",
        json={
            "plan_id": plan.json()["id"],
            "title": f"Viết bài tuyên truyền {tag}",
            "assignee_unit_id": unit.json()["id"],
        },
    )
    task.raise_for_status()
    sign_in(page, school_admin)
    page.goto("/#/audit?action=task.create")
    table = page.get_by_role("table", name="Nhật ký thao tác")
    row = table.get_by_role("row").filter(has_text=f"Viết bài tuyên truyền {tag}")
    row.get_by_text("thay đổi").click()
    details = row.get_by_role("listitem")
    expect(details.filter(has_text="Giao cho tổ/bộ phận")).to_have_text(
        f"Giao cho tổ/bộ phận: Tổ Ngữ văn {tag}"
    )
    expect(details.filter(has_text="Đơn vị:")).to_have_text("Đơn vị: Trường Tiểu học Kiểm Thử")
    expect(details.filter(has_text="Kế hoạch:")).to_have_text(
        f"Kế hoạch: Học tập Nghị quyết 57-NQ/TW ({tag})"
    )
    expect(details.filter(has_text="Người tạo:")).to_have_text("Người tạo: Bùi Can")
    expect(row).not_to_contain_text("organization_id")
