"""The question bank import in a real browser: the template downloads, a file with one bad row
is checked and names the row and its column, the fixed file imports, and the bank has it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.api.test_quiz_import import xlsx
from tests.e2e.test_plans_tasks import issued_plan, sign_in


def question_file(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes(xlsx(rows))  # with a title row above the header, as schools write them
    return path


def test_a_bad_row_is_named_then_the_fixed_file_imports(page, api_session, school_admin, tmp_path):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    rows = [
        [
            "NQ57",
            f"Nghị quyết 57 bàn về gì? ({tag})",
            "",
            "Nông nghiệp",
            "Khoa học",
            *[""] * 4,
            "B",
            "",
        ],
        [
            "",
            f"Việc nào là chuyển đổi số? ({tag})",
            "một đáp án",
            "Sổ điểm điện tử",
            "Chép tay",
            "Họp trực tuyến",
            *[""] * 3,
            "A, C",
            "",
        ],
    ]

    sign_in(
        page, school_admin["username"], school_admin["password"], f"/plans/{plan['id']}/quiz/import"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập câu hỏi kiểm tra từ Excel")
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải tệp mẫu (.xlsx)").click()
    assert download.value.suggested_filename == "mau-cau-hoi-kiem-tra.xlsx"

    # A title row above the header: the single-choice question with two answers is row 4.
    page.get_by_label("Tệp câu hỏi").set_input_files(question_file(tmp_path / "bad.xlsx", rows))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("alert").filter(has_text="Tệp có 1 lỗi")).to_be_visible()
    errors = page.get_by_role("table", name="Các dòng cần sửa (1)")
    bad = errors.get_by_role("row").filter(has_text="2 đáp án đúng")
    expect(bad.get_by_role("cell").nth(0)).to_have_text("4")
    expect(bad.get_by_role("cell").nth(1)).to_have_text("Đáp án đúng")
    expect(bad.get_by_role("cell").nth(2)).not_to_contain_text("single-choice")  # Vietnamese only
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()

    rows[1][2] = "nhiều đáp án"
    page.get_by_label("Tệp câu hỏi").set_input_files(question_file(tmp_path / "fixed.xlsx", rows))
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_role("status").filter(has_text="Tệp hợp lệ")).to_be_visible()
    expect(page.locator(".figure", has_text="Sẽ thêm mới").locator("dd")).to_have_text("2")
    expect(page.get_by_role("table", name=re.compile("Các dòng cần sửa"))).to_have_count(0)

    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_role("heading", name="Đã nhập xong")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Đã nhập: 2 câu hỏi mới, 0 câu hỏi được cập nhật."
    )
    bank = client.get(f"/plans/{plan['id']}/quiz/questions").json()
    assert [(q["kind"], q["correct"]) for q in bank] == [("single", [1]), ("multiple", [0, 2])]
    page.get_by_role("link", name="← Về kế hoạch").last.click()
    expect(page).to_have_url(re.compile(rf"#/plans/{plan['id']}$"))
