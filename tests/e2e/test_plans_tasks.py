"""Plans and tasks in a real browser: the plan laid out like the official document; a task
assigned to a unit, done by a teacher of that unit with a link as evidence, accepted; the
editor keeping an archived unit the audience already had."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import Page, expect

TEACHER_PASSWORD = "mat-khau-gv-1"


def issued_plan(client: httpx.Client, org_id: int, tag: str) -> dict:
    plan = client.post(
        "/plans",
        json={
            "organization_id": org_id,
            "title": f"Tổ chức học tập, quán triệt Nghị quyết số 57-NQ/TW ({tag})",
            "place_name": "Thanh Khê",
            "resolution": "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
            "preamble": "Thực hiện Kế hoạch số 470/KH-UBND, nhà trường xây dựng kế hoạch như sau:",
            "sections": [
                {
                    "key": "purpose",
                    "heading": "Mục đích, yêu cầu",
                    "body": "1. Mục đích\n- Quán triệt đến toàn thể CBVC-NLĐ.",
                },
                {"key": "organisation", "heading": "Tổ chức thực hiện", "body": "- Các tổ."},
            ],
            "period_start": "2025-03-01",
            "recipients": ["PGDĐT quận Thanh Khê", "Lưu: VT, HT"],
            "signer_title": "HIỆU TRƯỞNG",
            "signer_name": "Bùi Can",
        },
    )
    plan.raise_for_status()
    issued = client.post(f"/plans/{plan.json()['id']}/issue", json={"issued_on": "2025-03-05"})
    issued.raise_for_status()
    return issued.json()


def teacher_in_unit(client: httpx.Client, org_id: int, tag: str) -> tuple[dict, str]:
    unit = client.post(f"/orgs/{org_id}/units", json={"name": f"Tổ {tag}"})
    unit.raise_for_status()
    person = client.post(
        "/participants",
        json={
            "organization_id": org_id,
            "full_name": "Trần Thị Hoa",
            "staff_code": f"GV{tag}",
            "unit_ids": [unit.json()["id"]],
        },
    )
    person.raise_for_status()
    username = f"hoa{tag.lower()}"
    account = client.post(
        f"/participants/{person.json()['id']}/account",
        json={"username": username, "password": TEACHER_PASSWORD, "role": "member"},
    )
    account.raise_for_status()
    return unit.json(), username


def sign_in(page: Page, username: str, password: str, next_path: str) -> None:
    page.goto(f"/#/login?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_plan_page_is_laid_out_like_the_official_document(page, api_session, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)

    sign_in(page, school_admin["username"], school_admin["password"], "/plans")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kế hoạch")
    page.get_by_label("Tìm kế hoạch").fill(tag)
    row = page.get_by_role("row").filter(has_text=tag)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(plan["symbol"])
    expect(row).to_contain_text("Đang thực hiện")
    row.get_by_role("link").click()

    document = page.get_by_role("article", name="Văn bản kế hoạch")
    expect(document).to_be_visible()
    expect(document.locator(".doc-org")).to_have_text("TRƯỜNG TIỂU HỌC KIỂM THỬ")
    expect(document.locator(".doc-number")).to_have_text(re.compile(r"^Số: \d{2,}/KH-THKT$"))
    expect(document.locator(".doc-number")).to_have_text(f"Số: {plan['symbol']}")
    expect(document).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    expect(document).to_contain_text("Độc lập - Tự do - Hạnh phúc")
    expect(document.locator(".doc-date")).to_have_text("Thanh Khê, ngày 05 tháng 3 năm 2025")
    expect(document.get_by_role("heading", level=2)).to_contain_text("KẾ HOẠCH")
    expect(document.get_by_role("heading", level=3).first).to_have_text("I. MỤC ĐÍCH, YÊU CẦU")
    expect(document.get_by_role("heading", level=3).nth(1)).to_have_text("II. TỔ CHỨC THỰC HIỆN")
    expect(document.get_by_text("Nơi nhận:", exact=True)).to_be_visible()
    expect(document.get_by_text("- PGDĐT quận Thanh Khê;", exact=True)).to_be_visible()
    expect(document.get_by_text("- Lưu: VT, HT.", exact=True)).to_be_visible()
    expect(document.locator(".doc-signer-title")).to_have_text("HIỆU TRƯỞNG")
    expect(document.locator(".doc-signer-name")).to_have_text("Bùi Can")
    # An issued plan offers closing, not issuing; the pending list belongs beside it.
    expect(page.get_by_role("button", name="Ban hành")).to_have_count(0)
    expect(page.get_by_role("link", name="Ai chưa xác nhận học tập")).to_be_visible()


def test_task_assigned_to_a_unit_is_done_by_its_teacher_and_the_evidence_accepted(
    page, api_session, school_admin
):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = issued_plan(client, org_id, tag)
    unit, teacher = teacher_in_unit(client, org_id, tag)
    title = f"Viết bài tuyên truyền chuyển đổi số {tag}"
    evidence = f"https://thkt.edu.vn/tin-tuc/chuyen-doi-so-{tag.lower()}"

    # The admin assigns the task to the unit.
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ")
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    form = page.get_by_role("form", name="Giao nhiệm vụ mới")
    form.get_by_label("Kế hoạch", exact=True).select_option(str(plan["id"]))
    form.get_by_label("Tên nhiệm vụ").fill(title)
    expect(form.get_by_label("Tổ/bộ phận", exact=True)).to_be_checked()
    form.get_by_label("Tổ/bộ phận được giao").select_option(label=unit["name"])
    form.get_by_label("Hạn hoàn thành").fill("31/12/2030")
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.get_by_role("status").filter(has_text="Đã giao nhiệm vụ")).to_be_visible()
    expect(form).to_have_count(0)
    assigned = page.get_by_role("row").filter(has_text=title)
    expect(assigned).to_contain_text(unit["name"])
    expect(assigned).to_contain_text("31/12/2030")
    expect(assigned).to_contain_text("Chưa làm")
    sign_out(page)

    # The teacher sees it under "my tasks" and reports it done with a link.
    sign_in(page, teacher, TEACHER_PASSWORD, "/tasks/mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ của tôi")
    card = page.get_by_role("listitem").filter(has_text=title)
    expect(card).to_contain_text(f"Giao cho {unit['name']}")
    expect(card).to_contain_text("Hạn 31/12/2030")
    card.get_by_role("button", name="Đã xong", exact=True).click()
    # Pasted without its scheme, as links copied from a phone often are: https:// is added.
    card.get_by_label("Đường dẫn minh chứng (không bắt buộc)").fill(
        evidence.removeprefix("https://")
    )
    card.get_by_role("button", name="Xác nhận đã xong").click()
    expect(page.get_by_role("status").filter(has_text="Đã báo hoàn thành")).to_be_visible()
    page.get_by_text("Đã xong (1)").click()
    done = page.get_by_role("listitem").filter(has_text=title)
    expect(done).to_contain_text("Đã xong")
    expect(done).to_contain_text("1 chờ duyệt")
    sign_out(page)

    # The admin finds it, sees the link and accepts it.
    sign_in(page, school_admin["username"], school_admin["password"], "/tasks")
    page.get_by_label("Tìm nhiệm vụ").fill(tag)
    page.get_by_role("row").filter(has_text=title).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    item = page.locator(".evidence").filter(has_text=evidence)
    expect(item.get_by_role("link", name=evidence)).to_have_attribute("href", evidence)
    expect(item).to_contain_text("Chờ duyệt")
    expect(item).to_contain_text("Trần Thị Hoa")
    item.get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_role("status").filter(has_text="Đã chấp nhận minh chứng")).to_be_visible()
    accepted = page.locator(".evidence").filter(has_text=evidence)
    expect(accepted).to_contain_text("Đã chấp nhận")
    expect(accepted.get_by_role("button", name="Chấp nhận")).to_have_count(0)
    expect(page.locator(".task-status-done").first).to_have_text("Đã xong")


def test_plan_editor_keeps_an_archived_unit_the_audience_had(page, api_session, school_admin):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    archived = client.post(f"/orgs/{org_id}/units", json={"name": f"Tổ cũ {tag}"}).json()
    plan = client.post(
        "/plans",
        json={
            "organization_id": org_id,
            "title": f"Kế hoạch của tổ ({tag})",
            "period_start": "2025-03-01",
            "audience_all": False,
            "audience_unit_ids": [archived["id"]],
        },
    ).json()
    client.post(f"/units/{archived['id']}/archive").raise_for_status()

    sign_in(page, school_admin["username"], school_admin["password"], f"/plans/{plan['id']}/edit")
    box = page.get_by_label(f"Tổ cũ {tag} (đã lưu trữ)")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(re.compile(rf"#/plans/{plan['id']}\?saved=1"))
    saved = client.get(f"/plans/{plan['id']}").json()
    assert [u["id"] for u in saved["audience_units"]] == [archived["id"]]
