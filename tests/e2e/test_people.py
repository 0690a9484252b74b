"""Staff screens in a real browser: sign in, import the staff list, find people, units, API
tokens."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import httpx
import openpyxl
from playwright.sync_api import Page, expect

HEADERS = ["Họ và tên", "Mã cán bộ", "Chức vụ", "Tổ/Bộ phận", "Email", "Số điện thoại"]


def sign_in(page: Page, account: dict[str, str]) -> None:
    page.goto("/#/login")
    page.get_by_label("Tên đăng nhập").fill(account["username"])
    page.get_by_label("Mật khẩu", exact=True).fill(account["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách cán bộ")


def go_to(page: Page, screen: str) -> None:
    menu = page.locator("#menu-toggle")
    if menu.is_visible():  # on a phone the menu is folded behind its button
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name=screen).click()


def staff_file(path: Path, rows: list[tuple[str, ...]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_admin_imports_staff_list_fixes_a_bad_row_and_finds_a_teacher(page, school_admin, tmp_path):
    tag = uuid.uuid4().hex[:6].upper()
    mai, binh = f"GV{tag}1", f"GV{tag}2"
    rows = [
        ("Nguyễn Thị Mai", mai, "Giáo viên", "Tổ 1, Công đoàn", "mai.nt@thkt.edu.vn", "0905123456"),
        ("Trần Văn Bình", binh, "Tổ trưởng", "Tổ 1", "binh.tv@thkt", "0905 123 457"),
        ("Lê Hồng Nhung", f"GV{tag}3", "Giáo viên", "Tổ 2", "", ""),
        ("Phạm Quốc Việt", f"QL{tag}1", "Phó hiệu trưởng", "Ban giám hiệu", "", "+84 912 345 678"),
    ]
    sign_in(page, school_admin)
    go_to(page, "Nhập từ Excel")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập danh sách cán bộ từ Excel")

    with page.expect_download() as download:
        page.get_by_role("button", name="Tải tệp mẫu (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The file has a title row, so the header is row 2 and Bình (the bad email) is row 4.
    page.get_by_label("Tệp danh sách").set_input_files(staff_file(tmp_path / "bad.xlsx", rows))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("alert").filter(has_text="Tệp có 1 lỗi")).to_be_visible()
    errors = page.get_by_role("table", name="Các dòng cần sửa (1)")
    bad_row = errors.get_by_role("row").filter(has_text="binh.tv@thkt")
    expect(bad_row.get_by_role("cell").nth(0)).to_have_text("4")
    expect(bad_row.get_by_role("cell").nth(1)).to_have_text("Email")
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()

    rows[1] = (*rows[1][:4], "binh.tv@thkt.edu.vn", rows[1][5])
    page.get_by_label("Tệp danh sách").set_input_files(staff_file(tmp_path / "fixed.xlsx", rows))
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("status").filter(has_text="Tệp hợp lệ")).to_be_visible()
    expect(page.locator(".figure", has_text="Sẽ thêm mới").locator("dd")).to_have_text("4")
    expect(page.get_by_role("table", name=re.compile("Các dòng cần sửa"))).to_have_count(0)

    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_role("heading", name="Đã nhập xong")).to_be_visible()
    expect(page.locator(".figure", has_text="Đã thêm mới").locator("dd")).to_have_text("4")
    page.get_by_role("link", name="Xem danh sách cán bộ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách cán bộ")
    page.get_by_label("Tìm cán bộ").fill("nguyen thi mai")
    found = page.get_by_role("row").filter(has_text=mai)
    expect(found).to_have_count(1)
    expect(found.get_by_role("link", name="Nguyễn Thị Mai")).to_be_visible()
    expect(found).to_contain_text("Công đoàn")
    expect(page.get_by_role("row").filter(has_text=binh)).to_have_count(0)

    found.get_by_role("link", name="Nguyễn Thị Mai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Mai")
    expect(page.get_by_label("Mã cán bộ")).to_have_value(mai)
    expect(page.get_by_label("Số điện thoại")).to_have_value("0905123456")


def test_person_form_shows_each_error_beside_its_field(page, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    sign_in(page, school_admin)
    page.get_by_role("link", name="Thêm cán bộ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thêm cán bộ")
    page.get_by_label("Họ và tên").fill("Võ Thị Lan")
    page.get_by_label("Mã cán bộ").fill(f"GV {tag}")
    page.get_by_label("Email").fill("lan@")
    page.get_by_role("button", name="Thêm cán bộ").click()

    expect(page.get_by_role("alert")).to_contain_text("vui lòng sửa các ô được đánh dấu")
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Email không hợp lệ"))
    expect(page.get_by_label("Mã cán bộ")).to_have_accessible_description(
        re.compile("không được để trống hoặc chứa khoảng trắng")
    )

    page.get_by_label("Mã cán bộ").fill(f"GV{tag}")
    page.get_by_label("Email").fill("lan.vt@thkt.edu.vn")
    page.get_by_role("button", name="Thêm cán bộ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Võ Thị Lan")
    expect(page.get_by_role("status").filter(has_text="Đã thêm cán bộ")).to_be_visible()
    expect(page.get_by_role("heading", name="Tài khoản đăng nhập")).to_be_visible()


def test_sign_in_failures_are_explained_and_sign_out_ends_the_session(page, school_admin):
    page.goto("/#/people")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")

    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Vui lòng nhập tên đăng nhập và mật khẩu.")

    page.get_by_label("Tên đăng nhập").fill(school_admin["username"])
    page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")

    # The throttle itself is tested at the API; here the screen must say how long to wait.
    def too_many(route):
        route.fulfill(
            status=429,
            headers={"Retry-After": "900", "Content-Type": "application/problem+json"},
            body=json.dumps(
                {
                    "type": "https://lantoa.vn/problems/too-many-requests",
                    "title": "Too Many Requests",
                    "status": 429,
                    "detail": "Đăng nhập sai quá nhiều lần. / Too many failed attempts.",
                }
            ),
        )

    page.route("**/api/v1/auth/login", too_many)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
    )
    page.unroute("**/api/v1/auth/login")

    page.get_by_label("Mật khẩu", exact=True).fill(school_admin["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danh sách cán bộ")
    expect(page.get_by_text("Trường Tiểu học Kiểm Thử")).to_be_visible()

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert page.evaluate("localStorage.getItem('lantoa.token')") is None
    page.goto("/#/units")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_role("link", name="Tổ/Bộ phận")).to_have_count(0)


def test_a_unit_is_archived_and_still_shown_on_request(page, school_admin):
    name = f"Tổ tạm {uuid.uuid4().hex[:6]}"
    sign_in(page, school_admin)
    go_to(page, "Tổ/Bộ phận")
    page.get_by_label("Tên tổ/bộ phận").fill(name)
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=f"Đã thêm {name}")).to_be_visible()

    messages: list[str] = []

    def accept(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name=f"Lưu trữ: {name}").click()
    expect(page.get_by_role("status").filter(has_text=f"Đã lưu trữ {name}")).to_be_visible()
    assert messages and messages[0].startswith(f"Lưu trữ {name}?")
    expect(page.get_by_role("link", name=name)).to_have_count(0)

    page.get_by_label("Hiện cả tổ/bộ phận đã lưu trữ").check()
    item = page.get_by_role("listitem").filter(has_text=name)
    expect(item).to_contain_text("Đã lưu trữ ngày")
    expect(item.get_by_role("button")).to_have_count(0)
    item.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".warning")).to_contain_text("đã lưu trữ ngày")


def test_api_token_is_shown_once_and_can_be_revoked(page, school_admin, live_server):
    name = f"Phòng GDĐT {uuid.uuid4().hex[:6]}"
    sign_in(page, school_admin)
    go_to(page, "Mã truy cập API")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã truy cập API")

    page.get_by_label("Tên gợi nhớ").fill(name)
    page.get_by_label("Kế hoạch").check()
    expect(page.get_by_label("Báo cáo tiến độ")).to_be_checked()
    days = page.get_by_label("Hết hạn sau (ngày)")
    days.fill("400")  # every token expires, within a year by default
    page.get_by_role("button", name="Tạo mã").click()
    expect(page.get_by_text("Tối đa 365 ngày.")).to_be_visible()
    expect(days).to_have_attribute("aria-invalid", "true")
    days.fill("30")
    page.get_by_role("button", name="Tạo mã").click()

    expect(page.get_by_role("alert")).to_contain_text("chỉ hiện MỘT LẦN")
    value = page.get_by_label("Mã truy cập", exact=True).input_value()
    assert value.startswith("ltk_")
    answer = httpx.get(
        f"{live_server.url}/api/v1/orgs", headers={"Authorization": f"Bearer {value}"}
    )
    assert answer.status_code == 200

    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(value[:8])
    expect(row).to_contain_text("Kế hoạch")
    expect(row).to_contain_text("Chưa dùng")
    page.get_by_role("button", name="Tôi đã lưu mã").click()
    expect(page.get_by_label("Mã truy cập", exact=True)).to_have_count(0)
    assert value not in page.content()

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name=f"Thu hồi: {name}").click()
    expect(page.get_by_role("status").filter(has_text="Đã thu hồi")).to_be_visible()
    expect(row).to_contain_text("Đã thu hồi")
    answer = httpx.get(
        f"{live_server.url}/api/v1/orgs", headers={"Authorization": f"Bearer {value}"}
    )
    assert answer.status_code == 401
