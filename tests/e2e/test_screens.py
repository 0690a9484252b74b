"""Slow and failing screens in a real browser: the loading state at once, a screen whose code
cannot be fetched, a page the caller may not open, menus without empty screens, a busy check
button, and the attendance sheet (search, unit filter, marking a session that has not begun)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_people import go_to, sign_in, staff_file
from tests.e2e.test_reports import district_admin  # noqa: F401 — a fixture
from tests.e2e.test_reports import sign_in as sign_in_to

PASSWORD = "mat-khau-e2e-9"


def account(client: httpx.Client, org_id: int, role: str) -> dict[str, str]:
    """A person of the organisation with an account of the role; its username and password."""
    tag = uuid.uuid4().hex[:6].upper()
    person = client.post(
        "/participants",
        json={
            "organization_id": org_id,
            "full_name": f"Trần Văn Quân {tag}",
            "staff_code": f"Q{tag}",
        },
    )
    person.raise_for_status()
    made = client.post(
        f"/participants/{person.json()['id']}/account",
        json={"username": f"q{tag.lower()}", "password": PASSWORD, "role": role},
    )
    made.raise_for_status()
    return {"username": f"q{tag.lower()}", "password": PASSWORD}


def test_a_slow_screen_shows_loading_at_once(page: Page, school_admin):
    sign_in(page, school_admin)
    held = []
    page.route("**/js/views/audit.js", lambda route: held.append(route))
    go_to(page, "Nhật ký")
    main = page.locator("#main")
    expect(main).to_have_attribute("aria-busy", "true")
    expect(main.get_by_role("status")).to_have_text("Đang tải…")
    expect(page.get_by_role("heading", name="Danh sách cán bộ")).to_have_count(0)
    expect(page.locator('#nav a[aria-current="page"]')).to_have_text("Nhật ký")
    held[0].continue_()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký thao tác")
    expect(main).not_to_have_attribute("aria-busy", "true")


def test_a_screen_whose_code_cannot_load_offers_a_reload(page: Page, school_admin):
    sign_in(page, school_admin)
    # A new version replaced the files: the old module's address answers 404.
    page.route("**/js/views/audit.js", lambda route: route.fulfill(status=404, body="gone"))
    go_to(page, "Nhật ký")
    alert = page.locator("#main").get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("Không tải được màn hình này")
    expect(alert).to_contain_text("tải lại trang")
    page.unroute("**/js/views/audit.js")
    page.get_by_role("button", name="Tải lại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký thao tác")


def test_a_manager_on_the_audit_log_is_told_so(page: Page, api_session, school_admin):
    client, org_id = api_session(school_admin)
    manager = account(client, org_id, "manager")
    sign_in_to(page, manager, "/audit")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Bạn không có quyền xem trang này")
    expect(page).to_have_url(re.compile(r"#/audit$"))
    expect(page.locator("#main")).to_contain_text("Trường Tiểu học Kiểm Thử")
    expect(page.locator("#main").get_by_role("link", name="Về trang chủ")).to_have_attribute(
        "href", "#/"
    )
    page.locator("#lang-toggle").click()
    expect(heading).to_have_text("You don't have access to this page")
    page.locator("#main").get_by_role("link", name="Back to home").click()
    expect(page).to_have_url(re.compile(r"#/$"))


def test_the_district_viewers_menu_has_no_staff_or_units(
    page: Page,
    api_session,
    district_admin,  # noqa: F811
):
    client, district_id = api_session(district_admin)
    viewer = account(client, district_id, "viewer")
    sign_in_to(page, viewer, "/reports")
    nav = page.locator("#nav")
    expect(nav.locator('a[href="#/reports"]')).to_have_count(1)  # signed in
    names = nav.locator("a").all_text_contents()  # the folded links of a phone too
    assert "Kế hoạch" in names and "Báo cáo" in names
    assert "Cán bộ" not in names and "Tổ/Bộ phận" not in names
    # Her admin keeps them: an admin may add the district's own staff.
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    # A fresh page: nothing left over from the signed-out screen re-renders under the next form
    # (on a loaded CI machine the login form was replaced while being filled).
    page.reload()
    expect(page.get_by_label("Tên đăng nhập")).to_be_editable()
    sign_in_to(page, district_admin, "/reports")
    expect(nav.locator('a[href="#/people"]')).to_have_text("Cán bộ")
    expect(nav.locator('a[href="#/units"]')).to_have_text("Tổ/Bộ phận")


def test_the_import_check_is_busy_and_cannot_be_sent_twice(page: Page, school_admin, tmp_path):
    sign_in(page, school_admin)
    go_to(page, "Nhập từ Excel")
    path = staff_file(Path(tmp_path) / "ds.xlsx", [("1", "Vũ Thị Hạnh", "BZ001", "", "", "", "")])
    page.locator("#import-file").set_input_files(path)
    held = []
    page.route("**/api/v1/participants/import?*", lambda route: held.append(route))
    check = page.get_by_role("button", name="Kiểm tra", exact=True)
    check.click()
    expect(check).to_be_disabled()
    expect(check).to_have_attribute("aria-busy", "true")
    expect(page.locator("#import-file")).to_be_disabled()
    check.click(force=True)  # a second tap while it runs
    page.wait_for_timeout(200)
    assert len(held) == 1
    held[0].continue_()
    expect(check).to_be_enabled()
    expect(check).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_role("heading", name="Kết quả kiểm tra")).to_be_visible()


def session_with_sheet(client: httpx.Client, org_id: int, starts: datetime) -> tuple[int, str]:
    """An issued plan for all staff, units A and B (two people and one), and a session for
    both units starting at `starts`. Returns the session's id and the units' tag."""
    tag = uuid.uuid4().hex[:4].upper()
    units = {}
    for name in ("A", "B"):
        unit = client.post(f"/orgs/{org_id}/units", json={"name": f"Tổ {name} {tag}"})
        unit.raise_for_status()
        units[name] = unit.json()["id"]
    for n, (name, unit) in enumerate(
        [("Lê Thị Lan", "A"), ("Phan Văn Tùng", "A"), ("Đỗ Thị Hoa", "B")], start=1
    ):
        client.post(
            "/participants",
            json={
                "organization_id": org_id,
                "full_name": name,
                "staff_code": f"DD{tag}{n}",
                "unit_ids": [units[unit]],
            },
        ).raise_for_status()
    plan = client.post(
        "/plans",
        json={
            "organization_id": org_id,
            "title": f"Học tập Nghị quyết 57-NQ/TW ({tag})",
            "place_name": "Thanh Khê",
            "period_start": "2025-03-01",
            "signer_title": "HIỆU TRƯỞNG",
            "signer_name": "Bùi Can",
        },
    )
    plan.raise_for_status()
    client.post(f"/plans/{plan.json()['id']}/issue", json={}).raise_for_status()
    session = client.post(
        "/sessions",
        json={
            "plan_id": plan.json()["id"],
            "title": f"Học tập chuyên đề {tag}",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "audience_all": False,
            "audience_unit_ids": list(units.values()),
        },
    )
    session.raise_for_status()
    return session.json()["id"], tag


def test_the_attendance_sheet_is_searched_and_filtered_by_unit(
    page: Page, api_session, school_admin
):
    client, org_id = api_session(school_admin)
    started = datetime.now(UTC) - timedelta(minutes=30)
    session_id, tag = session_with_sheet(client, org_id, started)
    sign_in(page, school_admin)
    page.goto(f"/#/sessions/{session_id}")
    sheet = page.get_by_role("list", name="Bảng điểm danh")
    expect(sheet.get_by_role("listitem")).to_have_count(3)

    page.get_by_label("Tìm theo tên hoặc mã cán bộ").fill("le thi")  # no accents typed
    expect(sheet.locator(".roster-name")).to_have_text(["Lê Thị Lan"])
    expect(page.get_by_text("Đang hiện 1/3 người.")).to_be_visible()

    page.get_by_label("Tìm theo tên hoặc mã cán bộ").fill("")
    page.get_by_label("Tổ/Bộ phận", exact=True).select_option(label=f"Tổ A {tag}")
    expect(sheet.locator(".roster-name")).to_have_text(["Lê Thị Lan", "Phan Văn Tùng"])
    page.get_by_label("Tìm theo tên hoặc mã cán bộ").fill("hoa")
    expect(page.get_by_text("Không có ai khớp với tìm kiếm.")).to_be_visible()

    # A session under way is marked without a question; the filter stays.
    page.get_by_label("Tìm theo tên hoặc mã cán bộ").fill("tung")
    row = sheet.get_by_role("listitem").filter(has_text="Phan Văn Tùng")
    row.get_by_role("button", name="Có mặt").click()
    expect(row.get_by_role("button", name="Có mặt")).to_have_attribute("aria-pressed", "true")
    expect(sheet.locator(".roster-name")).to_have_text(["Phan Văn Tùng"])


def test_marking_a_session_that_has_not_begun_asks_first(page: Page, api_session, school_admin):
    client, org_id = api_session(school_admin)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    session_id, _ = session_with_sheet(client, org_id, tomorrow)
    sign_in(page, school_admin)
    page.goto(f"/#/sessions/{session_id}")
    sheet = page.get_by_role("list", name="Bảng điểm danh")
    lan = sheet.get_by_role("listitem").filter(has_text="Lê Thị Lan")
    asked: list[str] = []

    def answer(accept: bool):
        def handle(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    lan.get_by_role("button", name="Có mặt").click()
    expect(lan.get_by_role("button", name="Có mặt")).to_have_attribute("aria-pressed", "false")
    assert len(asked) == 1 and asked[0].startswith("Buổi học chưa bắt đầu (bắt đầu lúc ")
    assert asked[0].endswith("). Vẫn điểm danh trước?")

    page.once("dialog", answer(True))
    lan.get_by_role("button", name="Có mặt").click()
    expect(lan.get_by_role("button", name="Có mặt")).to_have_attribute("aria-pressed", "true")
    assert len(asked) == 2
    # Asked once: the next mark goes straight through.
    tung = sheet.get_by_role("listitem").filter(has_text="Phan Văn Tùng")
    tung.get_by_role("button", name="Vắng").click()
    expect(tung.get_by_role("button", name="Vắng")).to_have_attribute("aria-pressed", "true")
    assert len(asked) == 2


def test_a_screen_left_before_it_drew_never_draws_over_the_next(page: Page, school_admin):
    """Signed out (or gone elsewhere) while a screen still waited on the server: its late
    answer stays out of sight, the screen now open stays."""
    sign_in(page, school_admin)
    held = []
    page.route("**/api/v1/audit?*", lambda route: held.append(route))
    page.goto(f"{page.url.split('#')[0]}#/audit")
    expect(page.locator(".route-loading")).to_be_visible()
    page.goto(f"{page.url.split('#')[0]}#/status")
    status = page.get_by_role("heading", level=1)
    expect(status).to_have_text("Tình trạng hệ thống")
    for route in held:
        route.continue_()
    page.wait_for_timeout(500)  # the audit log's answer arrives and its view draws, unseen
    expect(status).to_have_text("Tình trạng hệ thống")
    expect(page.locator("#main .route-view")).to_have_count(1)
