"""Reminders in a real browser: the plan's schedule (a bad value refused on its field, then
saved), the units' group message copied, and the bell of a teacher reminded by
`lantoa remind --send` (issue 18)."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid

from playwright.sync_api import expect

from tests.e2e.test_plans_tasks import (
    TEACHER_PASSWORD,
    issued_plan,
    sign_in,
    sign_out,
    teacher_in_unit,
)
from tests.support import ROOT


def test_schedule_group_message_and_bell(page, api_session, school_admin, live_server):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    unit, username = teacher_in_unit(client, org_id, tag)
    reminded = subprocess.run(
        [sys.executable, "-m", "app.cli", "remind", "--send", "--plan", str(plan["id"])]
        + ["--now", "2026-12-07T09:00+07:00"],
        env=live_server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert reminded.returncode == 0, reminded.stderr
    assert "Trần Thị Hoa" in reminded.stdout

    # The teacher: the bell counts her reminder; reading it clears the count.
    sign_in(page, username, TEACHER_PASSWORD, "/me")
    bell = page.get_by_test_id("bell")
    expect(bell.locator(".bell-count")).to_have_text("1")
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(page.locator(".notification.unread")).to_contain_text("Nhắc xác nhận đã học tập")
    page.get_by_role("button", name="Đánh dấu đã đọc tất cả").click()
    expect(page.get_by_text("0 thông báo chưa đọc")).to_be_visible()
    expect(bell.locator(".bell-count")).to_be_hidden()
    sign_out(page)

    # The admin: the plan's schedule, refused on the field, then saved; the group message.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, school_admin["username"], school_admin["password"], f"/plans/{plan['id']}")
    page.get_by_role("link", name="Nhắc việc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhắc việc")
    expect(page.get_by_test_id("policy-source")).to_have_text("Đang theo lịch nhắc mặc định.")
    tasks = page.locator("fieldset", has_text="Nhiệm vụ")
    every = tasks.get_by_label("Sau hạn, nhắc mỗi (ngày)")
    every.fill("0")
    page.get_by_role("button", name="Lưu lịch nhắc").click()
    expect(every).to_have_attribute("aria-invalid", "true")
    every.fill("2")
    page.get_by_role("button", name="Lưu lịch nhắc").click()
    expect(page.get_by_text("Đã lưu lịch nhắc.")).to_be_visible()
    expect(page.get_by_test_id("policy-source")).to_have_text("Kế hoạch này có lịch nhắc riêng.")
    message = page.get_by_label(f"Tin nhắn cho {unit['name']}")
    expect(message).to_have_value(re.compile("Trần Thị Hoa"))
    assert "http" not in message.input_value()
    page.locator(".group-message-item", has=message).get_by_role(
        "button", name="Sao chép tin nhắn"
    ).click()
    expect(page.get_by_text("Đã sao chép.")).to_be_visible()
    log = page.locator(".reminder-log")
    expect(log).to_contain_text("Trần Thị Hoa")
    expect(log).to_contain_text("Trong ứng dụng")
