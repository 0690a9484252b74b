"""Who passed the quiz, in a real browser: beside who confirmed on a plan's dashboard (the
plan-wide figure and by unit), and on the person's record; nothing of a quiz where the plan
has none."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import expect

from tests.e2e.test_reports import plan_with_one_of_two_confirmed, sign_in

QUESTION = {
    "text": "Nghị quyết 57-NQ/TW bàn về những lĩnh vực nào?",
    "kind": "multiple",
    "options": ["Khoa học, công nghệ", "Đổi mới sáng tạo và chuyển đổi số"],
    "correct": [0, 1],  # both: right whatever order they are shown in
}


def pass_the_quiz(client: httpx.Client, plan_id: int, person_id: int) -> None:
    """The plan's quiz (one question, required), and the person passes it by her link."""
    client.post(f"/plans/{plan_id}/quiz/questions", json=QUESTION).raise_for_status()
    settings = {"required": True, "question_count": 1, "pass_percent": 80}
    client.put(f"/plans/{plan_id}/quiz", json=settings).raise_for_status()
    link = client.post(f"/participants/{person_id}/links")
    link.raise_for_status()
    base = f"/links/{link.json()['token']}/quiz/attempts"
    attempt = client.post(base, json={"plan_id": plan_id})
    attempt.raise_for_status()
    drawn = attempt.json()
    answers = [{"question_id": q["id"], "chosen": [0, 1]} for q in drawn["questions"]]
    submitted = client.post(f"{base}/{drawn['id']}/submit", json={"answers": answers})
    submitted.raise_for_status()
    assert submitted.json()["result"]["passed"] is True


def test_the_dashboard_and_the_record_show_who_passed(page, api_session, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    data = plan_with_one_of_two_confirmed(client, org_id, tag)
    plan, lan = data["plan"], data["people"][0]

    sign_in(page, school_admin, f"/plans/{plan['id']}/progress")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ thực hiện kế hoạch")
    expect(page.locator(".kpi").filter(has_text="Đã xác nhận học tập")).to_be_visible()
    expect(page.locator(".kpi").filter(has_text="Đạt yêu cầu kiểm tra")).to_have_count(0)

    pass_the_quiz(client, plan["id"], lan["id"])
    page.reload()
    passed = page.locator(".kpi").filter(has_text="Đạt yêu cầu kiểm tra")
    expect(passed.locator(".kpi-value")).to_have_text("1/2")
    expect(passed.locator(".kpi-rate")).to_have_text("50%")
    expect(passed.locator(".kpi-detail")).to_have_text("Bài kiểm tra đạt từ 80% trở lên")
    unit_row = page.locator(".bar-row").filter(has_text=f"Tổ {tag}")
    expect(unit_row).to_contain_text("Đạt kiểm tra: 1")

    page.goto(f"/#/people/{lan['id']}/history")
    card = page.locator(".history-plan").filter(has_text=tag)
    quiz = card.locator(".history-block").filter(has_text="Bài kiểm tra")
    expect(quiz).to_contain_text("Đạt yêu cầu kiểm tra")
    expect(quiz).to_contain_text("Điểm cao nhất 100% · yêu cầu từ 80% · đã làm 1/2 lượt")
