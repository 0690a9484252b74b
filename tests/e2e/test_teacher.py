"""The teacher's side in a real browser: the personal link, one-tap confirmation, check-in
with the projector's code, the live pending list and the attendance sheet."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DESKTOP, EXPECTED_REFUSAL, PHONE

CONFIRM = "Tôi đã học tập, nghiên cứu"


class School:
    """Data made through the API as the school's admin: units, teachers, plans, a session."""

    def __init__(self, live_server, account: dict[str, str]) -> None:
        self.client = httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=30)
        login = self.client.post(
            "/auth/login",
            json={"username": account["username"], "password": account["password"]},
        )
        assert login.status_code == 200, login.text
        self.client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        self.org_id = login.json()["me"]["roles"][0]["organization_id"]
        self.tag = uuid.uuid4().hex[:6].upper()

    def call(self, method: str, path: str, expected: int = 200, **kwargs) -> dict | list:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code == expected, f"{method} {path}: {response.text}"
        return response.json() if response.content else {}

    def unit(self, name: str) -> int:
        body = {"name": f"{name} {self.tag}"}
        return self.call("POST", f"/orgs/{self.org_id}/units", 201, json=body)["id"]

    def teacher(self, name: str, code: str, unit_id: int) -> dict:
        body = {
            "organization_id": self.org_id,
            "full_name": f"{name} {self.tag}",
            "staff_code": f"{code}{self.tag}",
            "position": "Giáo viên",
            "unit_ids": [unit_id],
        }
        return self.call("POST", "/participants", 201, json=body)

    def plan(self, title: str, **fields) -> dict:
        body = {
            "organization_id": self.org_id,
            "title": f"{title} {self.tag}",
            "period_start": datetime.now(UTC).date().isoformat(),
            "sections": [
                {"key": "purpose", "heading": "MỤC ĐÍCH, YÊU CẦU", "body": "Quán triệt nghị quyết."}
            ],
            **fields,
        }
        plan = self.call("POST", "/plans", 201, json=body)
        return self.call("POST", f"/plans/{plan['id']}/issue")

    def session(self, plan_id: int) -> dict:
        start = datetime.now(UTC) - timedelta(minutes=3)
        body = {
            "plan_id": plan_id,
            "kind": "study",
            "title": f"Học tập Nghị quyết 57-NQ/TW {self.tag}",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "place": "Hội trường",
            "presenter": "Bùi Can",
            "audience_all": True,
        }
        return self.call("POST", "/sessions", 201, json=body)

    def link(self, participant_id: int) -> dict:
        return self.call("POST", f"/participants/{participant_id}/links", 201, json={})


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def watched_page(browser: Browser, live_server, viewport, errors: list[str]) -> Page:
    """A page in its own context (its own storage: a second phone or a second screen)."""
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message) -> None:
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            errors.append(message.text)

    page.on("console", on_console)
    return page


def sign_in(page: Page, account: dict[str, str], then: str) -> None:
    page.goto("/#/login")
    page.get_by_label("Tên đăng nhập").fill(account["username"])
    page.get_by_label("Mật khẩu", exact=True).fill(account["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"/#{then}")


def plan_card(page: Page, plan: dict):
    return page.locator("article.plan-card").filter(
        has=page.get_by_role("heading", name=plan["title"], exact=True)
    )


def test_teacher_confirms_by_link_checks_in_and_the_manager_sees_it(
    browser, live_server, school, school_admin
):
    unit = school.unit("Tổ 1")
    hoa = school.teacher("Lê Thị Hoa", "GVH", unit)
    lan = school.teacher("Phan Thị Lan", "GVL", unit)
    school.teacher("Võ Văn Minh", "GVM", unit)
    plan = school.plan("Học tập Nghị quyết 57-NQ/TW")
    session = school.session(plan["id"])
    link = school.link(hoa["id"])

    errors: list[str] = []
    phone = watched_page(browser, live_server, PHONE, errors)
    desk = watched_page(browser, live_server, DESKTOP, errors)
    desk.context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        # The manager watches the pending list: Hoa and Lan have not confirmed.
        sign_in(desk, school_admin, f"/plans/{plan['id']}/pending")
        pending = desk.get_by_role("list", name="Người chưa xác nhận")
        expect(pending.get_by_role("link", name=hoa["full_name"])).to_be_visible()
        expect(pending.get_by_role("link", name=lan["full_name"])).to_be_visible()

        # A personal link for Lan, ready to paste into Zalo.
        lan_row = pending.locator(f'li[data-participant="{lan["id"]}"]')
        lan_row.get_by_role("button", name="Sao chép đường dẫn cá nhân").click()
        message = lan_row.get_by_role("textbox", name=f"Tin nhắn gửi {lan['full_name']}")
        expect(message).to_have_value(re.compile(r"/l/ltp_"))
        expect(message).to_have_value(re.compile(lan["full_name"]))

        # Hoa opens her link on her phone: no password, her name, one tap.
        phone.goto(link["url"])
        expect(phone.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {hoa['full_name']}")
        card = plan_card(phone, plan)
        card.get_by_role("button", name=CONFIRM).click()
        expect(phone.get_by_role("status").filter(has_text="Đã ghi nhận")).to_be_visible()
        card = plan_card(phone, plan)
        expect(card.get_by_text("✓ Đã xác nhận")).to_be_visible()
        expect(card.get_by_role("button", name=CONFIRM)).to_have_count(0)

        # Within one refresh, she leaves the manager's pending list; Lan stays.
        expect(pending.get_by_role("link", name=hoa["full_name"])).to_have_count(0, timeout=15_000)
        expect(pending.get_by_role("link", name=lan["full_name"])).to_be_visible()

        # The projector shows the rotating code; Hoa types it on her phone.
        desk.goto(f"/#/sessions/{session['id']}/projector")
        expect(desk.get_by_role("heading", level=1)).to_have_text(session["title"])
        code = desk.locator(".projector-code")
        expect(code).to_have_attribute("data-code", re.compile(r"^\d{6}$"))
        expect(desk.get_by_text(re.compile(r"Mã đổi sau \d+ giây"))).to_be_visible()
        digits = code.get_attribute("data-code")
        box = phone.locator(".checkin-box")
        expect(box).to_contain_text(session["title"])
        field = box.get_by_label("Mã điểm danh (6 chữ số)")
        expect(field).to_have_attribute("inputmode", "numeric")
        field.fill(digits)
        expect(phone.get_by_role("status").filter(has_text="Đã điểm danh")).to_contain_text(
            "Có mặt"
        )

        # The sheet shows her present; the manager marks the rest present in one go.
        desk.goto(f"/#/sessions/{session['id']}")
        sheet = desk.get_by_role("list", name="Bảng điểm danh")
        hoa_row = sheet.locator(f'li[data-participant="{hoa["id"]}"]')
        expect(hoa_row.get_by_role("button", name="Có mặt")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(hoa_row).to_contain_text("tự điểm danh")
        expect(hoa_row).to_contain_text("đường dẫn do Bùi Can cấp")  # who answers for the link
        lan_row = sheet.locator(f'li[data-participant="{lan["id"]}"]')
        expect(lan_row).to_contain_text("Chưa điểm danh")
        # It asks first: the session is still running and one tap marks everyone left.
        questions: list[str] = []
        desk.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
        desk.get_by_role("button", name=re.compile(r"^Đánh dấu \d+ người còn lại: Có mặt$")).click()
        expect(desk.get_by_text("Đã điểm danh đủ mọi người.")).to_be_visible()
        assert re.match(r"Đánh dấu \d+ người chưa điểm danh", questions[0])
        assert "Buổi học chưa kết thúc" in questions[0]
        expect(desk.locator('[data-count="unmarked"] dd')).to_have_text("0")
        expect(lan_row.get_by_role("button", name="Có mặt")).to_have_attribute(
            "aria-pressed", "true"
        )
        roster = school.call("GET", f"/sessions/{session['id']}/attendance")
        assert roster and all(row["status"] == "present" for row in roster)
        assert next(r for r in roster if r["participant_id"] == hoa["id"])["method"] == "link"

        # The audit log says it was her, through the link the admin issued.
        desk.goto("/#/audit?action=attendance.checkin")
        row = desk.get_by_role("table", name="Nhật ký thao tác").get_by_role("row").nth(1)
        expect(row.get_by_role("cell").first).to_contain_text(
            "qua đường dẫn cá nhân do Bùi Can cấp"
        )
    finally:
        phone.context.close()
        desk.context.close()
    assert errors == [], f"browser errors: {errors}"


def test_checkin_refuses_a_wrong_code_and_remembers_the_link(browser, live_server, school):
    unit = school.unit("Tổ 2")
    teacher = school.teacher("Đỗ Thị Nga", "GVN", unit)
    plan = school.plan("Tuyên truyền Nghị quyết")
    session = school.session(plan["id"])
    link = school.link(teacher["id"])
    errors: list[str] = []
    phone = watched_page(browser, live_server, PHONE, errors)
    try:
        # Without a link opened on this phone, check-in explains what to do.
        phone.goto("/#/checkin")
        expect(phone.get_by_text("điện thoại cần biết thầy cô là ai")).to_be_visible()

        phone.goto(f"/#/l/{link['token']}")
        expect(phone.get_by_role("heading", level=1)).to_contain_text(teacher["full_name"])
        phone.goto("/#/checkin")
        # The personal page has a field of the same name: wait for the check-in screen.
        expect(phone.get_by_role("heading", level=1)).to_have_text("Điểm danh buổi học")
        field = phone.get_by_label("Mã điểm danh (6 chữ số)")
        current = school.call("GET", f"/sessions/{session['id']}/checkin-code")["code"]
        wrong = f"{(int(current) + 500_000) % 1_000_000:06d}"
        field.fill(wrong)
        expect(phone.get_by_role("alert")).to_contain_text("Mã không đúng")

        # Arriving from the projector's QR code checks in at once.
        current = school.call("GET", f"/sessions/{session['id']}/checkin-code")["code"]
        phone.goto(f"/#/checkin/{current}")
        expect(phone.get_by_role("status").filter(has_text="Đã điểm danh")).to_contain_text(
            session["title"]
        )

        # Tapping the logo leads home, which offers her page back: she has no password.
        phone.get_by_role("link", name="Lan Tỏa").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Chào mừng đến với Lan Tỏa")
        phone.get_by_role("link", name="Mở trang cá nhân của tôi").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text(teacher["full_name"])
    finally:
        phone.context.close()
    assert errors == [], f"browser errors: {errors}"


def test_checkin_explains_a_staff_mark_and_a_closed_session(browser, live_server, school):
    unit = school.unit("Tổ 3")
    excused = school.teacher("Phan Thị Lan", "GVL", unit)
    late = school.teacher("Võ Văn Tâm", "GVT", unit)
    session = school.session(school.plan("Học tập chuyên đề")["id"])
    school.call(
        "PUT",
        f"/sessions/{session['id']}/attendance/{excused['id']}",
        json={"status": "excused", "note": "Đi tập huấn"},
    )
    errors: list[str] = []
    phone = watched_page(browser, live_server, PHONE, errors)
    try:
        phone.goto(f"/#/l/{school.link(excused['id'])['token']}")
        expect(phone.get_by_role("heading", level=1)).to_contain_text(excused["full_name"])
        current = school.call("GET", f"/sessions/{session['id']}/checkin-code")["code"]
        phone.goto(f"/#/checkin/{current}")
        expect(phone.get_by_role("alert")).to_contain_text("Người phụ trách đã ghi điểm danh")

        school.call("POST", f"/sessions/{session['id']}/status", json={"status": "held"})
        phone.goto(f"/#/l/{school.link(late['id'])['token']}")
        expect(phone.get_by_role("heading", level=1)).to_contain_text(late["full_name"])
        current = school.call("GET", f"/sessions/{session['id']}/checkin-code")["code"]
        phone.goto(f"/#/checkin/{current}")
        expect(phone.get_by_role("alert")).to_contain_text("không tự điểm danh được nữa")
    finally:
        phone.context.close()
    assert errors == [], f"browser errors: {errors}"
    roster = school.call("GET", f"/sessions/{session['id']}/attendance")
    assert {r["participant_id"]: r["status"] for r in roster if r["status"]} == {
        excused["id"]: "excused"
    }


def test_a_required_reflection_holds_the_confirm_button(page, school):
    unit = school.unit("Tổ 3")
    teacher = school.teacher("Hà Thị Thu", "GVT", unit)
    plan = school.plan(
        "Viết thu hoạch Nghị quyết", reflection_required=True, reflection_min_length=60
    )
    link = school.link(teacher["id"])

    page.goto(f"/#/l/{link['token']}")
    card = plan_card(page, plan)
    button = card.get_by_role("button", name=CONFIRM)
    expect(button).to_be_disabled()
    text = card.get_by_label("Bài thu hoạch")
    text.fill("Tôi đã đọc kỹ nghị quyết.")
    expect(card.get_by_text(re.compile(r"/60 ký tự — cần thêm \d+ ký tự"))).to_be_visible()
    expect(button).to_be_disabled()

    # The server refuses a short reflection too, whatever the page does.
    short = school.client.post(
        f"/links/{link['token']}/acknowledgements/{plan['id']}",
        json={"reflection": "Tôi đã đọc kỹ nghị quyết."},
    )
    assert short.status_code == 422, short.text

    text.fill(
        "Tôi đã đọc kỹ nghị quyết, hiểu trách nhiệm của giáo viên trong chuyển đổi số "
        "và sẽ ứng dụng vào bài giảng."
    )
    expect(card.get_by_text(re.compile(r"đủ độ dài"))).to_be_visible()
    expect(button).to_be_enabled()
    button.click()
    card = plan_card(page, plan)
    expect(card.get_by_text("✓ Đã xác nhận")).to_be_visible()
    expect(card.get_by_text(re.compile("Đã nộp bài thu hoạch ngày"))).to_be_visible()
    pending = school.call("GET", f"/plans/{plan['id']}/pending")
    assert teacher["id"] not in [row["participant_id"] for row in pending]


def test_a_reprinted_qr_sheet_can_replace_the_links_handed_out_before(page, school, school_admin):
    unit = school.unit("Tổ 4")
    first = school.teacher("Đỗ Văn An", "GVA", unit)
    second = school.teacher("Ngô Thị Bích", "GVB", unit)
    earlier = school.link(first["id"])

    sign_in(page, school_admin, "/link-sheet")
    expect(page.get_by_role("heading", level=1)).to_have_text("In phiếu mã QR cá nhân")
    page.get_by_label("Tổ/Bộ phận").select_option(label=f"Tổ 4 {school.tag}")
    page.get_by_label(re.compile("Thu hồi các đường dẫn cũ")).check()
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Tạo phiếu").click()
    expect(page.get_by_role("status")).to_have_text("Đã tạo 2 phiếu.")
    cards = page.locator("article.sheet-card")
    expect(cards).to_have_count(2)
    for person in (first, second):
        name = f"Mã QR cá nhân của {person['full_name']}"
        card = cards.filter(has=page.get_by_role("img", name=name))
        expect(card.locator(".sheet-code")).to_have_text(person["staff_code"])
    expect(page.get_by_role("button", name="In", exact=True)).to_be_visible()
    assert questions and f"Tổ 4 {school.tag}" in questions[0]
    # The link handed out before no longer opens her page.
    assert school.client.get(f"/links/{earlier['token']}").status_code == 404


def test_a_reflection_handed_in_on_paper_is_typed_in_with_the_confirmation(
    page, school, school_admin
):
    unit = school.unit("Tổ 5")
    teacher = school.teacher("Lý Thị Xuân", "GVX", unit)
    plan = school.plan("Thu hoạch trên giấy", reflection_required=True, reflection_min_length=40)

    sign_in(page, school_admin, f"/plans/{plan['id']}/pending")
    row = page.locator(f'li[data-participant="{teacher["id"]}"]')
    row.get_by_role("button", name="Xác nhận thay").click()
    row.get_by_label("Lý do xác nhận thay").fill("Cô nộp bài thu hoạch viết tay")
    text = row.get_by_label("Bài thu hoạch (nhập từ bản giấy)")
    text.fill("Quá ngắn.")
    row.get_by_role("button", name="Ghi nhận xác nhận").click()
    expect(row.locator(".field-error").filter(has_text="40")).to_be_visible()
    text.fill("Tôi đã học Nghị quyết 57 và sẽ dùng bài giảng điện tử trong mọi tiết dạy.")
    row.get_by_role("button", name="Ghi nhận xác nhận").click()
    expect(
        page.get_by_text(f"Đã ghi nhận xác nhận thay cho {teacher['full_name']}.")
    ).to_be_visible()
    pending = school.call("GET", f"/plans/{plan['id']}/pending")
    assert teacher["id"] not in [row["participant_id"] for row in pending]


def test_the_personal_page_downloads_a_plans_file(page, school):
    unit = school.unit("Tổ 6")
    teacher = school.teacher("Mai Văn Tú", "GVU", unit)
    plan = school.plan("Tài liệu học tập")
    school.call(
        "POST",
        f"/plans/{plan['id']}/materials/file",
        201,
        data={"title": "Đề cương tuyên truyền"},
        files={"file": ("de-cuong.pdf", b"%PDF-1.4 de cuong", "application/pdf")},
    )
    link = school.link(teacher["id"])

    page.goto(f"/#/l/{link['token']}")
    card = plan_card(page, plan)
    with page.expect_download() as download:
        card.get_by_role("button", name=re.compile("Đề cương tuyên truyền")).click()
    assert download.value.suggested_filename == "de-cuong.pdf"
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.4 de cuong"
