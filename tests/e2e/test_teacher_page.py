"""The teacher's page on her phone (issue 17): one tap near the top confirms, the reflection
due later has its own section and deadline, her draft survives a reload, the link page
offers no sign-in, her name is whole in the header, her task counts match their statuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_teacher import CONFIRM, School, plan_card, sign_in

REFLECTION = (
    "Tôi đã đọc kỹ Nghị quyết 57, hiểu trách nhiệm của giáo viên trong chuyển đổi số "
    "và sẽ dùng bài giảng điện tử trong mọi tiết dạy."
)
PASSWORD = "mat-khau-giao-vien-1"


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def _later_plan(school: School, due_on: str) -> dict:
    return school.plan(
        "Học tập Nghị quyết, thu hoạch nộp sau",
        reflection_required=True,
        reflection_min_length=60,
        reflection_timing="later",
        reflection_due_on=due_on,
    )


def test_one_tap_near_the_top_then_the_reflection_by_its_deadline_kept_as_a_draft(
    browser, live_server, school
):
    unit = school.unit("Tổ 2")
    teacher = school.teacher("Nguyễn Thị Mai", "GVM", unit)
    today = datetime.now(UTC).date()
    due = today + timedelta(days=14)
    plan = _later_plan(school, due.isoformat())
    school.session(plan["id"])  # check-in open now: it comes first on her page
    link = school.link(teacher["id"])
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"/#/l/{link['token']}")
        hello = page.locator(".hello-card")
        quick = hello.locator(".quick-item").filter(has_text=plan["title"])
        button = quick.get_by_role("button", name=CONFIRM)
        # Visible on a 390×844 phone without scrolling, above the open check-in.
        expect(button).to_be_in_viewport(ratio=1)
        assert page.evaluate("window.scrollY") == 0
        assert button.bounding_box()["y"] < page.locator(".checkin-box").bounding_box()["y"]
        expect(quick).to_contain_text(f"Hạn nộp bài thu hoạch: {due:%d/%m/%Y}.")
        button.click()
        expect(hello.get_by_role("status")).to_have_text(
            "Đã ghi nhận: thầy cô đã học tập, nghiên cứu kế hoạch này. "
            f"Hạn nộp bài thu hoạch: {due:%d/%m/%Y}."
        )
        record = school.call("GET", "/acknowledgements", params={"plan_id": plan["id"]})["items"][0]
        assert (record["participant_id"], record["reflection"]) == (teacher["id"], None)

        # The reflection has a section of its own, with the deadline.
        section = page.get_by_role("region", name="Bài thu hoạch cần nộp")
        card = plan_card(page, plan)
        expect(section.locator("article")).to_have_count(1)
        expect(card.locator(".reflection-deadline")).to_have_text(
            f"Hạn nộp bài thu hoạch: {due:%d/%m/%Y}."
        )
        draft = "Bản nháp: Nghị quyết 57 xác định khoa học, công nghệ là đột phá."
        card.get_by_label("Bài thu hoạch").fill(draft)

        # She reloads (or leaves and comes back): the draft is still there.
        page.reload()
        card = plan_card(page, plan)
        expect(card.get_by_label("Bài thu hoạch")).to_have_value(draft)
        expect(card.get_by_text("Đã khôi phục bản nháp lưu trên máy này.")).to_be_visible()
        keys = page.evaluate("Object.keys(localStorage)")
        assert f"lantoa.draft.reflection.{teacher['id']}.{plan['id']}" in keys
        assert not any(link["token"] in key for key in keys)

        card.get_by_label("Bài thu hoạch").fill(REFLECTION)
        card.get_by_role("button", name="Nộp bài thu hoạch").click()
        expect(page.get_by_role("status").filter(has_text="Đã lưu bài thu hoạch.")).to_be_visible()
        keys = page.evaluate("Object.keys(localStorage)")
        assert not [key for key in keys if key.startswith("lantoa.draft.")]
        record = school.call("GET", "/acknowledgements", params={"plan_id": plan["id"]})["items"][0]
        assert record["reflection"] == REFLECTION

        page.reload()
        expect(page.get_by_role("region", name="Bài thu hoạch cần nộp")).to_have_count(0)
        card = plan_card(page, plan)
        expect(card.get_by_text(re.compile("Đã nộp bài thu hoạch ngày"))).to_be_visible()
        expect(card.get_by_text("Đã khôi phục bản nháp lưu trên máy này.")).to_have_count(0)
    finally:
        context.close()
    assert errors == [], f"browser errors: {errors}"


def test_a_draft_of_a_reflection_sent_with_the_confirmation_survives_a_reload(page, school):
    unit = school.unit("Tổ 4")
    teacher = school.teacher("Đặng Thị Yến", "GVY", unit)
    plan = school.plan(
        "Thu hoạch cùng lúc xác nhận", reflection_required=True, reflection_min_length=60
    )
    link = school.link(teacher["id"])
    page.goto(f"/#/l/{link['token']}")
    # Confirming asks for the reflection: the top of her page leads to it.
    quick = page.locator(".hello-card .quick-item").filter(has_text=plan["title"])
    quick.get_by_role("button", name="Viết bài thu hoạch để xác nhận").click()
    card = plan_card(page, plan)
    expect(card.get_by_label("Bài thu hoạch")).to_be_focused()
    card.get_by_label("Bài thu hoạch").fill("Đang viết dở")
    page.reload()
    card = plan_card(page, plan)
    expect(card.get_by_label("Bài thu hoạch")).to_have_value("Đang viết dở")
    card.get_by_label("Bài thu hoạch").fill(REFLECTION)
    card.get_by_role("button", name=CONFIRM).click()
    expect(plan_card(page, plan).get_by_text("✓ Đã xác nhận")).to_be_visible()
    assert not [
        key for key in page.evaluate("Object.keys(localStorage)") if key.startswith("lantoa.draft.")
    ]


def test_the_link_page_offers_no_sign_in_and_counts_tasks_by_status(page, school):
    unit = school.unit("Tổ 5")
    teacher = school.teacher("Lý Thị Hạnh", "GVHA", unit)
    plan = school.plan("Nhiệm vụ tổ 5")
    due = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    tasks = [
        school.call(
            "POST",
            "/tasks",
            201,
            json={
                "plan_id": plan["id"],
                "title": f"{title} {school.tag}",
                "assignee_participant_id": teacher["id"],
                "due_on": due,
            },
        )
        for title in ("Soạn bài giảng điện tử", "Báo cáo tổ", "Tọa đàm")
    ]
    school.call("POST", f"/tasks/{tasks[1]['id']}/status", json={"status": "in_progress"})
    school.call("POST", f"/tasks/{tasks[2]['id']}/status", json={"status": "in_progress"})
    school.call("POST", f"/tasks/{tasks[2]['id']}/status", json={"status": "done"})
    link = school.link(teacher["id"])

    page.goto(f"/#/l/{link['token']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Xin chào, {teacher['full_name']}")
    expect(page.get_by_role("link", name="Đăng nhập")).to_have_count(0)
    expect(page.get_by_role("button", name="Đăng nhập")).to_have_count(0)
    expect(page.locator("#nav a")).to_have_count(0)

    section = page.get_by_role("region", name="Nhiệm vụ của tôi")
    expect(section.locator(".tasks-summary")).to_have_text(
        "2 nhiệm vụ chưa xong: 1 chưa làm, 1 đang làm."
    )
    items = section.locator("li.my-task")
    expect(items).to_have_count(2)
    expect(items.filter(has_text=tasks[0]["title"]).locator(".task-status")).to_have_text(
        "Chưa làm"
    )
    expect(items.filter(has_text=tasks[1]["title"]).locator(".task-status")).to_have_text(
        "Đang làm"
    )


def test_the_signed_in_name_is_whole_on_a_phone_and_my_tasks_has_one_name(page, school):
    unit = school.unit("Tổ 6")
    teacher = school.teacher("Tôn Nữ Thị Phương Thảo", "GVPT", unit)
    username = f"thao{school.tag.lower()}"
    school.call(
        "POST",
        f"/participants/{teacher['id']}/account",
        201,
        json={"username": username, "password": PASSWORD, "role": "member"},
    )
    sign_in(page, {"username": username, "password": PASSWORD}, "/me")
    name = page.locator(".user-name")
    expect(name).to_have_text(teacher["full_name"])
    expect(name).to_be_in_viewport(ratio=1)
    cut = name.evaluate("node => node.scrollWidth > node.clientWidth")
    assert cut is False
    expect(page.locator("#nav").get_by_role("link", name="Nhiệm vụ của tôi")).to_be_visible()
    expect(page.get_by_role("region", name="Nhiệm vụ của tôi")).to_be_visible()
    page.goto("/#/tasks/mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ của tôi")


def test_the_plan_editor_sets_a_reflection_due_later(page, school, school_admin):
    start = datetime.now(UTC).date()
    sign_in(page, school_admin, "/plans/new")
    page.get_by_label("Trích yếu").fill(f"Thu hoạch nộp sau {school.tag}")
    page.get_by_label("Bắt đầu từ").fill(start.isoformat())
    page.get_by_label("Yêu cầu viết bài thu hoạch").check()
    deadline = page.get_by_label("Hạn nộp bài thu hoạch")
    expect(deadline).to_be_hidden()  # only for a reflection due later
    page.get_by_label("Độ dài tối thiểu (ký tự)").fill("200")
    page.get_by_label(re.compile("^Sau khi xác nhận, theo hạn riêng")).check()
    expect(deadline).to_be_visible()
    # Before the plan starts: the server's refusal lands on the field.
    deadline.fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Tạo dự thảo").click()
    expect(page.get_by_text("Hạn nộp không được trước ngày bắt đầu kế hoạch.")).to_be_visible()
    due = start + timedelta(days=20)
    deadline.fill(due.isoformat())
    page.get_by_role("button", name="Tạo dự thảo").click()
    expect(
        page.get_by_text(f"Bắt buộc, ít nhất 200 ký tự, nộp sau khi xác nhận, hạn {due:%d/%m/%Y}")
    ).to_be_visible()
    plan_id = int(re.search(r"#/plans/(\d+)", page.url).group(1))
    plan = school.call("GET", f"/plans/{plan_id}")
    assert (plan["reflection_timing"], plan["reflection_due_on"]) == ("later", due.isoformat())
