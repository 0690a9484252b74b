"""Forgiving input for the clerk (issue 17, items 6-8): numbers typed the Vietnamese way
("2.000" is two thousand, "1.20" is refused in words), days typed day first in both languages
(10/12/2026 is the tenth of December) with a question before a due date that has passed, and
the server's errors beside the field they concern, gone again once the field is corrected."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_plans_tasks import issued_plan, sign_in, teacher_in_unit


def in_english(page: Page) -> None:
    """The screens in English from the next load on (the sign-in screen was Vietnamese)."""
    page.evaluate("localStorage.setItem('lantoa.lang', 'en')")
    page.reload()


def answer(questions: list[str], accept: bool):
    """A dialog handler that keeps the question asked, then accepts or declines."""

    def handle(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    return handle


def test_numbers_and_days_are_read_as_vietnamese_write_them(page):
    page.goto("/#/status")
    typed = {
        "numbers": ["2.000", "2000", "2 000", "1.200.000", "1.20", "1,5", "1,200", "12.34"]
        + ["abc", "", " 7 ", "-3", "1.000,5"],
        "decimals": ["1,5", "1.234,25"],
        "days": ["10/12/2026", "1/2/2026", "01.02.2026", "10-12-2026", "10122026", "2026-12-10"]
        + ["31/02/2026", "12/2026", "", "10/13/2026"],
    }
    seen = page.evaluate(
        """async (typed) => {
          const { parseNumber } = await import("/js/lib/numbers.js");
          const { parseDay } = await import("/js/lib/days.js");
          const decimal = { integer: false };
          return {
            numbers: typed.numbers.map((text) => [text, parseNumber(text, { min: 0 })]),
            decimals: typed.decimals.map((text) => [text, parseNumber(text, decimal)]),
            days: typed.days.map((text) => [text, parseDay(text)]),
            bounded: [
              parseDay("09/12/2026", { min: "2026-12-10" }),
              parseDay("11/12/2026", { max: "2026-12-10" }),
            ],
          };
        }""",
        typed,
    )
    assert seen["numbers"] == [
        ["2.000", {"value": 2000}],
        ["2000", {"value": 2000}],
        ["2 000", {"value": 2000}],
        ["1.200.000", {"value": 1200000}],
        ["1.20", {"error": "number.ambiguousPoint"}],
        ["1,5", {"error": "number.whole"}],
        ["1,200", {"error": "number.ambiguousComma"}],
        ["12.34", {"error": "number.ambiguousPoint"}],
        ["abc", {"error": "number.notNumber"}],
        ["", {"value": None}],
        [" 7 ", {"value": 7}],
        ["-3", {"error": "number.min", "params": {"min": 0}}],
        ["1.000,5", {"error": "number.whole"}],
    ]
    assert seen["decimals"] == [["1,5", {"value": 1.5}], ["1.234,25", {"value": 1234.25}]]
    assert seen["days"] == [
        ["10/12/2026", {"value": "2026-12-10"}],
        ["1/2/2026", {"value": "2026-02-01"}],
        ["01.02.2026", {"value": "2026-02-01"}],
        ["10-12-2026", {"value": "2026-12-10"}],
        ["10122026", {"value": "2026-12-10"}],
        ["2026-12-10", {"value": "2026-12-10"}],
        ["31/02/2026", {"error": "day.noSuchDay"}],
        ["12/2026", {"error": "day.format"}],
        ["", {"value": None}],
        ["10/13/2026", {"error": "day.noSuchDay"}],
    ]
    assert seen["bounded"] == [
        {"error": "day.min", "params": {"min": "2026-12-10"}},
        {"error": "day.max", "params": {"max": "2026-12-10"}},
    ]


def test_reach_typed_with_a_thousands_point_is_saved_whole(page, api_session, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    sign_in(page, school_admin["username"], school_admin["password"], "/outreach")
    page.get_by_role("button", name="Ghi nhận hoạt động").click()
    form = page.get_by_role("form", name="Ghi nhận hoạt động tuyên truyền")
    form.get_by_label("Kế hoạch", exact=True).select_option(str(plan["id"]))
    form.get_by_label("Nội dung").fill(f"Bài viết trên trang của trường {tag}")
    reach = form.get_by_label("Lượt tiếp cận")

    reach.fill("1.20")
    refusal = (
        "Dấu chấm ngăn cách hàng nghìn, sau nó cần đúng 3 chữ số (1.200); "
        "phần lẻ viết sau dấu phẩy (1,2)."
    )
    expect(form.locator(".readback")).to_contain_text([refusal])
    form.get_by_role("button", name="Ghi nhận hoạt động").click()
    expect(form.locator(".field-error").filter(has_text=refusal)).to_be_visible()
    expect(reach).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("alert")).to_have_text(
        "Chưa lưu được: vui lòng sửa các ô được đánh dấu."
    )

    reach.fill("2.000")
    expect(form.locator(".field-error").filter(has_text=refusal)).to_be_hidden()
    expect(form.get_by_text("= 2.000", exact=True)).to_be_visible()
    form.get_by_role("button", name="Ghi nhận hoạt động").click()
    expect(form).to_have_count(0)

    saved = client.get("/activities", params={"plan_id": plan["id"]}).json()["items"]
    assert [a["reach"] for a in saved] == [2000]
    progress = client.get(f"/plans/{plan['id']}/progress").json()
    assert progress["outreach"]["reach"] == 2000
    expect(page.get_by_role("row").filter(has_text=tag)).to_contain_text("2.000")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_day_is_typed_day_first_in_both_languages(page, api_session, school_admin, language):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    unit, _ = teacher_in_unit(client, org_id, tag)
    page.on("dialog", lambda dialog: dialog.accept())  # once the day has passed, it asks
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ")
    if language == "en":
        in_english(page)
    words = {
        "vi": (
            "Giao nhiệm vụ",
            "Giao nhiệm vụ",
            "Giao nhiệm vụ mới",
            "Hạn hoàn thành",
            "Thứ Năm, 10/12/2026",
        ),
        "en": (
            "Assign a task",
            "Assign task",
            "Assign a new task",
            "Due date",
            "Thursday, 10/12/2026",
        ),
    }[language]
    start, create, form_name, due_label, understood = words
    page.get_by_role("button", name=start).click()
    form = page.get_by_role("form", name=form_name)
    form.locator("select[name=plan_id]").select_option(str(plan["id"]))
    form.locator("[name=title]").fill(f"Báo cáo chuyên đề {tag}")
    form.locator("[name=assignee_unit_id]").select_option(label=unit["name"])
    due = form.get_by_label(due_label)
    expect(due).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(due).to_have_attribute("inputmode", "numeric")
    due.fill("10/12/2026")
    expect(form.get_by_text(understood)).to_be_visible()
    form.get_by_role("button", name=create).click()
    expect(form).to_have_count(0)
    tasks = client.get("/tasks", params={"plan_id": plan["id"]}).json()["items"]
    assert [task["due_on"] for task in tasks] == ["2026-12-10"]


def test_the_calendar_button_fills_the_day_first_field(page, api_session, school_admin):
    """The picker is the browser's own; what it answers is written day first in the field."""
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    issued_plan(client, org_id, tag)
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    form = page.get_by_role("form", name="Giao nhiệm vụ mới")
    due = form.get_by_label("Hạn hoàn thành")
    due.fill("3/1/2027")
    calendar = form.get_by_role("button", name="Chọn ngày trên lịch")
    calendar.click()
    picker = form.locator(".date-picker-native")
    # It opens on the day typed, then a day picked on it replaces the text.
    expect(picker).to_have_value("2027-01-03")
    picker.evaluate("(p) => { p.value = '2027-01-11'; p.dispatchEvent(new Event('change')); }")
    expect(due).to_have_value("11/01/2027")
    expect(form.get_by_text("Thứ Hai, 11/01/2027")).to_be_visible()


def test_a_past_due_date_asks_first(page, api_session, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    unit, _ = teacher_in_unit(client, org_id, tag)
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    form = page.get_by_role("form", name="Giao nhiệm vụ mới")
    form.get_by_label("Kế hoạch", exact=True).select_option(str(plan["id"]))
    form.get_by_label("Tên nhiệm vụ").fill(f"Tổng kết đợt học tập {tag}")
    form.get_by_label("Tổ/bộ phận được giao").select_option(label=unit["name"])
    form.get_by_label("Hạn hoàn thành").fill("3/4/2025")
    expect(form.get_by_text("Thứ Năm, 03/04/2025 — ngày này đã qua")).to_be_visible()

    questions: list[str] = []

    page.once("dialog", answer(questions, False))
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(form.get_by_label("Hạn hoàn thành")).to_be_focused()
    assert questions == ["Hạn hoàn thành Thứ Năm, 03/04/2025 đã qua. Vẫn lưu hạn này?"]
    assert client.get("/tasks", params={"plan_id": plan["id"]}).json()["items"] == []

    page.once("dialog", answer(questions, True))
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(form).to_have_count(0)
    assert len(questions) == 2
    tasks = client.get("/tasks", params={"plan_id": plan["id"]}).json()["items"]
    assert [task["due_on"] for task in tasks] == ["2025-04-03"]


def test_the_servers_reason_lands_on_its_field_and_goes_when_corrected(
    page, api_session, school_admin
):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    unit, _ = teacher_in_unit(client, org_id, tag)
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    form = page.get_by_role("form", name="Giao nhiệm vụ mới")
    form.get_by_label("Kế hoạch", exact=True).select_option(str(plan["id"]))
    unit_select = form.get_by_label("Tổ/bộ phận được giao")
    expect(unit_select).to_have_attribute("aria-required", "true")

    # Neither a title nor a unit: each is marked, the unit with the server's own reason.
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Chưa lưu được: vui lòng sửa các ô được đánh dấu."
    )
    title_error = form.locator(".field:has(> [name=title]) > .field-error")
    expect(title_error).to_have_text("Không được để trống.")
    reason = form.locator(".assignee-field > .field-error")
    form.get_by_label("Tên nhiệm vụ").fill(f"Sơ kết học kỳ {tag}")
    expect(title_error).to_be_hidden()  # the stale message goes as soon as the field is filled

    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(reason).to_have_text("Giao cho đúng một người hoặc một tổ.")
    expect(unit_select).to_have_attribute("aria-invalid", "true")
    expect(unit_select).to_be_focused()
    unit_select.select_option(label=unit["name"])
    expect(reason).to_be_hidden()
    expect(unit_select).not_to_have_attribute("aria-invalid", "true")
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(form).to_have_count(0)


def test_a_new_session_on_a_past_day_asks_first(page, api_session, school_admin):
    """Declined: nothing is scheduled. Confirmed: the session is kept on that day."""
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    sign_in(page, school_admin["username"], school_admin["password"], "/sessions/new")
    form = page.locator("form")
    form.get_by_label("Kế hoạch", exact=True).select_option(str(plan["id"]))
    form.get_by_label("Tên buổi học").fill(f"Học bù {tag}")
    form.get_by_label("Ngày", exact=True).fill("3/4/2025")
    form.get_by_label("Bắt đầu").fill("14:00")
    form.get_by_label("Kết thúc").fill("16:00")
    expect(form.get_by_text("Thứ Năm, 03/04/2025 — ngày này đã qua")).to_be_visible()
    questions: list[str] = []

    def sessions() -> list[dict]:
        return client.get("/sessions", params={"plan_id": plan["id"]}).json()["items"]

    page.once("dialog", answer(questions, False))
    form.get_by_role("button", name="Lên lịch").click()
    expect(form.get_by_label("Ngày", exact=True)).to_be_focused()
    assert questions == ["Buổi học vào Thứ Năm, 03/04/2025 đã qua. Vẫn tạo buổi học này?"]
    assert sessions() == []

    page.once("dialog", answer(questions, True))
    form.get_by_role("button", name="Lên lịch").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Học bù {tag}")
    assert len(questions) == 2
    assert [s["title"] for s in sessions()] == [f"Học bù {tag}"]
