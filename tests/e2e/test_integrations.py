"""The integrations screen in a real browser (issue 18): a webhook registered to a real local
receiver, its signing secret shown once, the test sent and answered, the delivery log with a
real event in it and "send again"; the email outbox and the test email without a mail server."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from app.webhooks.signing import signature
from tests.e2e.test_people import go_to, sign_in
from tests.e2e.test_plans_tasks import issued_plan


class Receiver(BaseHTTPRequestHandler):
    """Takes every POST with 204 and keeps its headers and body."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhook_registered_tested_and_its_log_read(
    page: Page, school_admin, api_session, receiver
):
    tag = uuid.uuid4().hex[:6]
    url = f"http://127.0.0.1:{receiver.server_port}/lantoa/{tag}"
    sign_in(page, school_admin)
    go_to(page, "Kết nối & thông báo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết nối & thông báo")
    expect(page.get_by_role("heading", name="Thư điện tử")).to_be_visible()

    # The server's refusal lands beside the address; a threshold above 100 is refused in
    # words before anything is sent.
    address = page.get_by_label("Địa chỉ nhận (URL)")
    address.fill(f"http://ke-toan:mat-khau@127.0.0.1:{receiver.server_port}/")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Địa chỉ không được chứa mật khẩu.")).to_be_visible()
    address.fill(url)
    expect(address).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Báo cáo được ban hành").check()
    thresholds = page.get_by_label("Ngưỡng tỷ lệ xác nhận (%)")
    thresholds.fill("50; 120")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(thresholds).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error").filter(has_text="“120”")).to_contain_text("100")
    thresholds.fill("80, 50")
    expect(page.get_by_text("Hiểu là: 50%; 80%")).to_be_visible()
    page.get_by_label("Ghi chú").fill(f"Phòng GDĐT {tag}")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    # The secret, once.
    expect(page.get_by_role("alert").filter(has_text="chỉ hiện MỘT LẦN")).to_be_visible()
    secret = page.get_by_label("Khóa ký", exact=True).input_value()
    assert secret.startswith("whsec_")
    item = page.get_by_test_id("webhook").filter(has_text=url)
    expect(item).to_contain_text("Đang bật")
    expect(item).to_contain_text("Báo cáo được ban hành")
    expect(item).to_contain_text("Tiến độ kế hoạch")
    expect(item).to_contain_text("50%; 80%")
    page.get_by_role("button", name="Tôi đã lưu khóa").click()
    expect(page.get_by_label("Khóa ký", exact=True)).to_have_count(0)
    assert secret not in page.content()

    # The test reaches the receiver, signed with that secret, and its answer is shown; the
    # button waits meanwhile, so a second press sends nothing more.
    held = []
    page.route("**/api/v1/webhooks/*/test", lambda route: held.append(route))
    test = item.get_by_role("button", name=f"Gửi thử: {url}")
    test.click()
    expect(test).to_be_disabled()
    expect(test).to_have_attribute("aria-busy", "true")
    test.click(force=True)
    held[0].continue_()
    expect(item.get_by_role("status")).to_contain_text("Bên nhận đã nhận: mã 204")
    expect(test).to_be_enabled()
    assert len(held) == 1 and len(receiver.received) == 1
    headers, body = receiver.received[-1]
    assert json.loads(body)["type"] == "webhook.test"
    expected = signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    assert expected in headers["webhook-signature"].split()

    # A new secret, after the question, shown once; the old one signs a while longer.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    item.get_by_role("button", name=f"Đổi khóa ký: {url}").click()
    rotated = page.get_by_label("Khóa ký", exact=True)
    expect(rotated).to_have_value(re.compile(r"^whsec_"))
    assert rotated.input_value() != secret and "24 giờ" in questions[0]
    expect(item).to_contain_text("Khóa ký cũ vẫn còn ký đến")
    page.get_by_role("button", name="Tôi đã lưu khóa").click()

    # Paused and resumed.
    item.get_by_role("button", name=f"Tạm dừng: {url}").click()
    expect(item).to_contain_text("Tạm dừng")
    item.get_by_role("button", name=f"Bật lại: {url}").click()
    expect(item).to_contain_text("Đang bật")

    # A real event: a report issued at the school becomes a delivery in the log.
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    report = client.post(f"/plans/{plan['id']}/reports", json={"assessment": "Đạt yêu cầu."})
    report.raise_for_status()
    key = f"report.issued:{report.json()['id']}"
    item.get_by_role("link", name="Nhật ký gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhật ký gửi webhook")
    row = page.get_by_role("row").filter(has_text=key)
    expect(row).to_contain_text("Báo cáo được ban hành")
    expect(row).to_contain_text(re.compile(r"Chờ gửi|Đang gửi|Đã nhận"))
    expect(row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}"))
    expect(page.get_by_text("1 lần gửi")).to_be_visible()

    page.get_by_label("Trạng thái").select_option(label="Thất bại")
    expect(page.get_by_text("Không có lần gửi nào ở trạng thái này.")).to_be_visible()
    assert "status=failed" in page.url
    page.get_by_label("Trạng thái").select_option(label="Tất cả trạng thái")
    row.get_by_role("button", name=f"Gửi lại: {key}").click()
    expect(page.get_by_role("status").filter(has_text="để gửi lại ngay")).to_be_visible()

    # Deleted, after the question.
    page.get_by_role("link", name="← Kết nối & thông báo").click()
    page.once("dialog", lambda dialog: dialog.accept())
    item.get_by_role("button", name=f"Xóa: {url}").click()
    expect(page.get_by_role("status").filter(has_text="Đã xóa webhook")).to_be_visible()
    expect(item).to_have_count(0)


def test_the_test_email_says_why_it_was_not_sent(page: Page, school_admin):
    sign_in(page, school_admin)
    page.goto("/#/integrations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết nối & thông báo")
    expect(page.locator(".summary").filter(has_text=re.compile(r"^\d+ thư$"))).to_be_visible()
    address = page.get_by_label("Gửi tới địa chỉ")
    address.fill("hieutruong@")
    page.get_by_role("button", name="Gửi thư thử").click()
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Địa chỉ thư không hợp lệ.")).to_be_visible()
    address.fill("hieutruong@thkt.edu.vn")
    page.get_by_role("button", name="Gửi thư thử").click()
    # The live server has no mail server configured: the server's reason, in Vietnamese.
    reason = page.get_by_role("alert").filter(has_text="Chưa cấu hình máy chủ thư (SMTP_HOST).")
    expect(reason).to_be_visible()
