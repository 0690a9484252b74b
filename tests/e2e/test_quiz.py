"""The quiz in a real browser (issue 21): a teacher takes it from her link on a phone, reloads
half-way and finds her answers, answers by keyboard, submits and reads her score with the
explanations; when the time runs out the page submits; an admin writes the bank and sets it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_teacher import School, plan_card, sign_in, watched_page

QUESTIONS = [
    {
        "topic": "Khoa học",
        "text": "Nghị quyết 57-NQ/TW bàn về lĩnh vực nào?",
        "kind": "single",
        "options": ["Khoa học, công nghệ, đổi mới sáng tạo", "Nông nghiệp", "Du lịch"],
        "correct": [0],
        "explanation": "Nghị quyết 57 về đột phá phát triển khoa học, công nghệ.",
    },
    {
        "topic": "Chuyển đổi số",
        "text": "Những việc nào là chuyển đổi số trong trường học?",
        "kind": "multiple",
        "options": ["Sổ điểm điện tử", "Học liệu số", "Chép tay giáo án", "Họp trực tuyến"],
        "correct": [0, 1, 3],
        "explanation": "Chép tay giáo án không phải chuyển đổi số.",
    },
    {
        "topic": "Khoa học",
        "text": "Nghị quyết 57-NQ/TW do cơ quan nào ban hành?",
        "kind": "single",
        "options": ["Bộ Chính trị", "Quốc hội", "Chính phủ"],
        "correct": [0],
        "explanation": "Bộ Chính trị ban hành Nghị quyết 57-NQ/TW.",
    },
]


@pytest.fixture
def school(live_server, school_admin):
    school = School(live_server, school_admin)
    yield school
    school.client.close()


def quiz_plan(school: School, **settings) -> dict:
    plan = school.plan("Học tập Nghị quyết 57, có bài kiểm tra")
    for question in QUESTIONS:
        school.call("POST", f"/plans/{plan['id']}/quiz/questions", 201, json=question)
    body = {"required": True, "question_count": 3, "time_limit_minutes": 15}
    school.call("PUT", f"/plans/{plan['id']}/quiz", json=body | settings)
    return plan


def question(page: Page, text: str):
    return page.get_by_role("group", name=text)


def test_from_her_link_she_resumes_after_a_reload_answers_by_keyboard_and_reads_her_result(
    browser, live_server, school
):
    teacher = school.teacher("Lê Thị Hoa", "GVQ", school.unit("Tổ 1"))
    plan = quiz_plan(school, attempts_allowed=2, pass_percent=60)
    token = school.link(teacher["id"])["token"]
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.goto(f"/#/l/{token}")
        entry = plan_card(page, plan).locator(".quiz-entry")
        expect(entry).to_contain_text("Bài kiểm tra: còn 2/2 lượt")
        expect(entry).to_contain_text("Bắt buộc")
        entry.get_by_role("link", name="Làm bài kiểm tra").click()
        expect(page.get_by_role("heading", name="Bài kiểm tra", level=1)).to_be_visible()
        page.get_by_role("button", name="Bắt đầu làm bài").click()

        first, second, third = (question(page, q["text"]) for q in QUESTIONS)
        expect(page.get_by_role("timer")).to_have_text(re.compile(r"^1[45]:\d\d$"))
        first.get_by_label("Khoa học, công nghệ, đổi mới sáng tạo").check()
        second.get_by_label("Sổ điểm điện tử").check()
        second.get_by_label("Học liệu số").check()  # not "Họp trực tuyến": wrong on purpose
        expect(page.locator(".quiz-save")).to_have_text("✓ Đã lưu")
        expect(page.locator(".quiz-count")).to_have_text("Đã trả lời 2/3 câu")

        # A reload mid-way: the same attempt, her answers in place.
        page.reload()
        expect(page.get_by_role("status").filter(has_text="làm tiếp")).to_be_visible()
        expect(first.get_by_label("Khoa học, công nghệ, đổi mới sáng tạo")).to_be_checked()
        expect(second.get_by_label("Học liệu số")).to_be_checked()
        expect(second.get_by_label("Họp trực tuyến")).not_to_be_checked()
        expect(page.locator(".quiz-count")).to_have_text("Đã trả lời 2/3 câu")

        # The third by keyboard only: Tab into its radios, arrows to the right one.
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('fieldset')?.id") == third.evaluate(
                "node => node.id"
            ):
                break
        for _ in range(len(QUESTIONS[2]["options"])):
            if third.get_by_label("Bộ Chính trị").evaluate(
                "node => node === document.activeElement"
            ):
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        expect(third.get_by_label("Bộ Chính trị")).to_be_checked()
        expect(page.locator(".quiz-save")).to_have_text("✓ Đã lưu")

        # Submit, confirmed; by keyboard too.
        submit = page.get_by_role("button", name="Nộp bài", exact=True)
        submit.focus()
        page.keyboard.press("Enter")
        confirm = page.get_by_role("group", name="Nộp bài?")
        expect(confirm).to_contain_text("Bạn đã trả lời 3/3 câu.")
        expect(confirm.get_by_role("heading", name="Nộp bài?")).to_be_focused()
        confirm.get_by_role("button", name="Nộp bài").click()

        result = page.get_by_role("heading", name="Kết quả", level=1)
        expect(result).to_be_focused()
        expect(page.locator(".quiz-score")).to_contain_text("Đúng 2/3 câu (66%)")
        expect(page.locator(".quiz-score")).to_contain_text("Đạt")
        review = page.locator(".quiz-review-item").filter(has_text=QUESTIONS[1]["text"])
        expect(review).to_contain_text("Sai")
        expect(review).to_contain_text(QUESTIONS[1]["explanation"])
        expect(review.locator("li.is-correct")).to_have_count(3)
        expect(review.locator("li.is-chosen")).to_have_count(2)
        for q in (QUESTIONS[0], QUESTIONS[2]):
            item = page.locator(".quiz-review-item").filter(has_text=q["text"])
            expect(item).to_contain_text("Đúng")
            expect(item).to_contain_text(q["explanation"])
        expect(page.get_by_role("button", name="Làm lại (còn 1 lượt)")).to_be_visible()

        # Her page says she passed.
        page.get_by_role("link", name="Về trang của tôi").last.click()
        expect(plan_card(page, plan).locator(".quiz-entry")).to_contain_text(
            "Đã đạt bài kiểm tra (66%)"
        )
    finally:
        page.context.close()
    assert errors == []


def test_when_the_time_runs_out_the_page_submits(browser, live_server, school):
    teacher = school.teacher("Phan Thị Lan", "GVT", school.unit("Tổ 2"))
    plan = quiz_plan(school, time_limit_minutes=1, attempts_allowed=1)
    token = school.link(teacher["id"])["token"]
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.clock.install()
        page.goto(f"/#/l/{token}/quiz/{plan['id']}")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        question(page, QUESTIONS[0]["text"]).get_by_label("Nông nghiệp").check()
        expect(page.locator(".quiz-save")).to_have_text("✓ Đã lưu")
        page.clock.run_for("01:05")
        expect(page.get_by_role("heading", name="Kết quả", level=1)).to_be_visible()
        expect(page.get_by_role("status").filter(has_text="Đã hết giờ")).to_be_visible()
        expect(page.locator(".quiz-score")).to_contain_text("Đúng 0/3 câu (0%)")
        expect(page.locator(".quiz-score")).to_contain_text("Chưa đạt")
        expect(page.get_by_role("button", name=re.compile("Làm lại"))).to_have_count(0)
    finally:
        page.context.close()
    assert errors == []


def test_a_lost_network_keeps_her_answer_and_sends_it_once_back(browser, live_server, school):
    teacher = school.teacher("Võ Thị Thu", "GVN", school.unit("Tổ 3"))
    plan = quiz_plan(school)
    token = school.link(teacher["id"])["token"]
    errors: list[str] = []
    page = watched_page(browser, live_server, PHONE, errors)
    try:
        page.goto(f"/#/l/{token}/quiz/{plan['id']}")
        page.get_by_role("button", name="Bắt đầu làm bài").click()
        page.context.set_offline(True)
        question(page, QUESTIONS[2]["text"]).get_by_label("Quốc hội").check()
        expect(page.locator(".quiz-save")).to_have_text("⚠ Chưa lưu")
        expect(page.get_by_text("Chưa lưu được (mạng yếu)")).to_be_visible()
        expect(question(page, QUESTIONS[2]["text"]).get_by_label("Quốc hội")).to_be_checked()
        page.context.set_offline(False)
        expect(page.locator(".quiz-save")).to_have_text("✓ Đã lưu", timeout=15000)
        standing = school.client.get(f"/links/{token}/quiz", params={"plan_id": plan["id"]}).json()
        attempt = school.client.get(
            f"/links/{token}/quiz/attempts/{standing['running_attempt_id']}"
        ).json()
        shown = next(q for q in attempt["questions"] if q["text"] == QUESTIONS[2]["text"])
        assert attempt["answers"] == {str(shown["id"]): [shown["options"].index("Quốc hội")]}
    finally:
        page.context.close()
    assert [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


def test_an_admin_writes_a_question_sets_the_quiz_and_sees_who_took_it(
    browser, live_server, school, school_admin
):
    plan = school.plan("Học tập Nghị quyết 57, bài kiểm tra mới")
    errors: list[str] = []
    page = watched_page(browser, live_server, DESKTOP, errors)
    try:
        sign_in(page, school_admin, f"/plans/{plan['id']}")
        page.get_by_role("link", name="Bài kiểm tra").click()
        expect(page.get_by_text("Kế hoạch chưa có bài kiểm tra")).to_be_visible()
        expect(
            page.get_by_role("main").get_by_role("link", name="Nhập từ Excel")
        ).to_have_attribute("href", f"#/plans/{plan['id']}/quiz/import")

        # A question: the server's field error lands beside the options.
        page.get_by_role("button", name="Thêm câu hỏi").click()
        editor = page.locator(".quiz-editor")
        expect(editor.get_by_role("heading", name="Câu hỏi mới")).to_be_focused()
        editor.get_by_label("Câu hỏi", exact=True).fill(QUESTIONS[1]["text"])
        editor.get_by_label("Chủ đề").fill("Chuyển đổi số")
        editor.get_by_label("Nhiều lựa chọn").check()
        editor.get_by_label("Phương án 1", exact=True).fill("Sổ điểm điện tử")
        editor.get_by_label("Phương án 2", exact=True).fill("Chép tay giáo án")
        editor.get_by_label("Phương án 1 là đáp án đúng").check()
        editor.get_by_role("button", name="Lưu câu hỏi").click()
        expect(editor.locator('[data-errors-for="options"]')).to_contain_text("phương án")
        editor.get_by_label("Phương án 3", exact=True).fill("Học liệu số")
        editor.get_by_label("Phương án 3 là đáp án đúng").check()
        editor.get_by_label("Giải thích").fill(QUESTIONS[1]["explanation"])
        editor.get_by_role("button", name="Lưu câu hỏi").click()
        expect(page.get_by_role("status").filter(has_text="Đã thêm câu hỏi.")).to_be_visible()
        saved = school.call("GET", f"/plans/{plan['id']}/quiz/questions")
        assert [(q["kind"], q["options"], q["correct"]) for q in saved] == [
            ("multiple", ["Sổ điểm điện tử", "Chép tay giáo án", "Học liệu số"], [0, 2])
        ]
        item = page.locator(".quiz-bank-item").filter(has_text=QUESTIONS[1]["text"])
        expect(item).to_contain_text("✓ Học liệu số (Đúng)")

        # The settings: a bad number is refused beside its field, then saved.
        page.get_by_label("Số câu mỗi lượt").fill("0")
        page.get_by_role("button", name="Lưu cài đặt").click()
        expect(page.locator(".quiz-settings .field-error").first).to_be_visible()
        page.get_by_label("Số câu mỗi lượt").fill("5")
        page.get_by_label("Điểm đạt (%)").fill("70")
        page.get_by_role("button", name="Lưu cài đặt").click()
        expect(page.get_by_role("status").filter(has_text="Đã lưu cài đặt.")).to_be_visible()
        expect(page.get_by_text("Ngân hàng chỉ có 1 câu để rút")).to_be_visible()
        settings = school.call("GET", f"/plans/{plan['id']}/quiz")
        assert (settings["question_count"], settings["pass_percent"]) == (5, 70)
        expect(page.get_by_text("Chưa ai làm bài kiểm tra.")).to_be_visible()
    finally:
        page.context.close()
    assert errors == []
