"""Report screens in a real browser: a plan's dashboard (1 of 2 confirmed), its figures as of a
past day, the CSV and Excel exports, the official report issued and downloaded as .docx and
PDF, and the roll-up of a ward's schools with its totals."""

from __future__ import annotations

import csv
import io
import re
import uuid

import docx
import httpx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from app.core import office
from tests.e2e.conftest import create_admin


def plan_with_one_of_two_confirmed(client: httpx.Client, org_id: int, tag: str) -> dict:
    """A unit of two teachers, an issued plan for that unit, and one confirmation."""
    unit = client.post(f"/orgs/{org_id}/units", json={"name": f"Tổ {tag}"})
    unit.raise_for_status()
    people = []
    for n, name in enumerate(["Lê Thị Lan", "Phan Văn Tùng"], start=1):
        person = client.post(
            "/participants",
            json={
                "organization_id": org_id,
                "full_name": name,
                "staff_code": f"BC{tag}{n}",
                "unit_ids": [unit.json()["id"]],
            },
        )
        person.raise_for_status()
        people.append(person.json())
    plan = client.post(
        "/plans",
        json={
            "organization_id": org_id,
            "title": f"Tổ chức học tập, quán triệt Nghị quyết số 57-NQ/TW ({tag})",
            "place_name": "Thanh Khê",
            "period_start": "2025-03-01",
            "audience_all": False,
            "audience_unit_ids": [unit.json()["id"]],
            "signer_title": "HIỆU TRƯỞNG",
            "signer_name": "Bùi Can",
        },
    )
    plan.raise_for_status()
    issued = client.post(f"/plans/{plan.json()['id']}/issue", json={"issued_on": "2025-03-05"})
    issued.raise_for_status()
    confirmed = client.post(
        f"/plans/{plan.json()['id']}/acknowledgements/on-behalf",
        json={"participant_id": people[0]["id"], "reason": "Xác nhận qua điện thoại"},
    )
    confirmed.raise_for_status()
    return {"plan": issued.json(), "unit": unit.json(), "people": people}


def sign_in(page: Page, account: dict[str, str], next_path: str) -> None:
    page.goto(f"/#/login?next={next_path}")
    page.get_by_label("Tên đăng nhập").fill(account["username"])
    page.get_by_label("Mật khẩu", exact=True).fill(account["password"])
    page.get_by_role("button", name="Đăng nhập").click()


def docx_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_dashboard_exports_and_official_report(page, api_session, school_admin, tmp_path):
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    data = plan_with_one_of_two_confirmed(client, org_id, tag)
    plan = data["plan"]

    # The entry lists the school's plans; pick ours and open its dashboard.
    sign_in(page, school_admin, "/reports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo")
    pick = page.locator(".plan-pick").filter(has_text=tag)
    expect(pick).to_contain_text(plan["symbol"])
    pick.get_by_role("link", name="Xem tiến độ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ thực hiện kế hoạch")
    expect(page.locator(".plan-ref")).to_contain_text(plan["symbol"])
    confirmed = page.locator(".kpi").filter(has_text="Đã xác nhận học tập")
    expect(confirmed.locator(".kpi-value")).to_have_text("1/2")
    expect(confirmed.locator(".kpi-rate")).to_have_text("50%")
    unit_row = page.locator(".bar-row").filter(has_text=f"Tổ {tag}")
    expect(unit_row.locator(".bar-count")).to_have_text("1/2")
    expect(unit_row.locator(".bar-rate")).to_have_text("50%")
    chart = page.get_by_role("img", name=re.compile(r"Biểu đồ xác nhận"))
    expect(chart).to_have_attribute("aria-label", re.compile(r"1/2 người đã xác nhận \(50%\)"))
    expect(page.get_by_role("heading", name="Chưa xác nhận (1 người)")).to_be_visible()
    expect(page.locator(".pending-list")).to_contain_text("Phan Văn Tùng")
    expect(page.locator(".pending-list")).not_to_contain_text("Lê Thị Lan")
    expect(page.get_by_role("link", name="Xem đầy đủ và nhắc nhở")).to_have_attribute(
        "href", f"#/plans/{plan['id']}/pending"
    )

    # As of a day before these people were added: nobody yet; back to now: one of two again.
    as_of = page.get_by_label("Số liệu tính đến ngày")
    as_of.fill("10/03/2025")
    as_of.press("Enter")  # typed day first, taken when the clerk is done
    expect(confirmed.locator(".kpi-value")).to_have_text("0/0")
    expect(page.get_by_role("status").filter(has_text="10/03/2025")).to_be_visible()
    assert "as_of=2025-03-10" in page.url
    page.get_by_role("button", name="Xem số liệu hiện tại").click()
    expect(confirmed.locator(".kpi-value")).to_have_text("1/2")

    # Excel first, for people; CSV after it, as the data for software.
    expect(page.locator(".report-actions button")).to_have_text(
        ["Tải Excel (.xlsx)", "CSV (dữ liệu)"]
    )
    with page.expect_download() as csv_download:
        page.get_by_role("button", name="CSV (dữ liệu)").click()
    assert csv_download.value.suggested_filename == f"tien-do-ke-hoach-{plan['id']}-hien-tai.csv"
    csv_path = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Tổ/Bộ phận", "Số người", "Đã xác nhận"]
    assert [f"Tổ {tag}", "2", "1"] == next(r for r in rows if r[0] == f"Tổ {tag}")[:3]

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Tải Excel (.xlsx)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    workbook = openpyxl.load_workbook(xlsx_path)
    cells = {
        cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
    }
    assert f"Tổ {tag}" in cells and "Đã xác nhận học tập" in cells

    # The official report: write, confirm the number to be given, issue, download.
    page.get_by_role("link", name="Báo cáo chính thức").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo kết quả thực hiện kế hoạch")
    expect(page.get_by_label("Họ và tên người ký")).to_have_value("Bùi Can")
    expect(page.get_by_label("Trích yếu báo cáo")).to_have_value(re.compile(r"^Kết quả tổ chức"))
    expect(page.locator(".report-figures")).to_contain_text("1/2 người (50%)")
    # No report without its assessment: said before any number is offered.
    page.get_by_role("button", name="Ban hành báo cáo").click()
    expect(page.locator(".report-form")).to_contain_text("Cần viết phần đánh giá chung")
    page.get_by_label("Ưu điểm").fill("Cán bộ, giáo viên tham gia học tập nghiêm túc.")
    page.get_by_label("Hạn chế").fill("Còn 01 giáo viên chưa xác nhận.")
    page.get_by_label("Nội dung đề xuất, kiến nghị").fill("Đề nghị tổ chức học bù.")
    # The draft reads as the report will, marked DỰ THẢO, and takes no number.
    with page.expect_download() as draft_download:
        page.get_by_role("button", name="Xem bản dự thảo (.docx)").click()
    assert draft_download.value.suggested_filename.startswith("du-thao-bao-cao-")
    draft_path = tmp_path / "du-thao.docx"
    draft_download.value.save_as(draft_path)
    draft = docx_text(draft_path)
    assert "DỰ THẢO" in draft
    assert "1. Ưu điểm: Cán bộ, giáo viên tham gia học tập nghiêm túc." in draft
    assert "Số:      /BC-THKT" in draft
    assert client.get(f"/plans/{plan['id']}/reports").json() == []
    messages: list[str] = []

    def accept(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Ban hành báo cáo").click()
    issued = page.locator(".issued-number")
    expect(issued).to_have_text(re.compile(r"^Đã ban hành báo cáo số \d{2,}/BC-THKT ngày "))
    assert "Số báo cáo sẽ được cấp: …/BC-THKT" in messages[0]
    symbol = re.search(r"\d{2,}/BC-THKT", issued.inner_text()).group(0)
    expect(page.locator(".issued-list")).to_contain_text(f"Báo cáo số {symbol}")
    # The form is put away: a second tap cannot take a second number by mistake.
    expect(page.get_by_role("button", name="Ban hành báo cáo")).to_be_hidden()

    with page.expect_download() as docx_download:
        page.get_by_role("button", name="Tải báo cáo (.docx)").click()
    name = docx_download.value.suggested_filename
    assert name == f"bao-cao-{symbol.replace('/', '-')}.docx"
    docx_path = tmp_path / name
    docx_download.value.save_as(docx_path)
    content = docx_text(docx_path)
    assert "BÁO CÁO" in content and symbol in content
    assert "Cán bộ, giáo viên tham gia học tập nghiêm túc." in content
    assert "Đề nghị tổ chức học bù." in content

    # The same report as PDF, which the server's LibreOffice renders (or says it cannot).
    pdf_button = page.get_by_role("button", name="Tải báo cáo (PDF)")
    if office.libreoffice() is None:
        pdf_button.click()
        expect(page.get_by_text("Máy chủ chưa cài LibreOffice", exact=False)).to_be_visible()
    else:
        with page.expect_download() as pdf_download:
            pdf_button.click()
        name = pdf_download.value.suggested_filename
        assert name == f"bao-cao-{symbol.replace('/', '-')}.pdf"
        pdf_download.value.save_as(tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(b"%PDF-")

    listed = client.get(f"/plans/{plan['id']}/reports").json()
    assert [r["symbol"] for r in listed] == [symbol]


@pytest.fixture(scope="session")
def district_admin(live_server) -> dict[str, str]:
    """An admin of a district on the live server; each test adds its own ward below it."""
    account = {"username": "phonggd-e2e", "password": "mat-khau-e2e-2"}
    create_admin(
        live_server,
        account["username"],
        account["password"],
        *("--org", "pgd-e2e", "--org-name", "Phòng GDĐT Kiểm Thử"),
        *("--org-kind", "district", "--abbreviation", "PGDKT"),
    )
    return account


def hold_session(
    client: httpx.Client, plan_id: int, marks: list[tuple[dict, str]], day: str = "2025-03-15"
) -> None:
    """A session of the plan for all the staff, held on the day, with the marks given."""
    session = client.post(
        "/sessions",
        json={
            "plan_id": plan_id,
            "title": "Học tập, quán triệt Nghị quyết 57-NQ/TW",
            "starts_at": f"{day}T07:30:00+07:00",
            "ends_at": f"{day}T09:30:00+07:00",
        },
    )
    session.raise_for_status()
    session_id = session.json()["id"]
    client.post(f"/sessions/{session_id}/status", json={"status": "held"}).raise_for_status()
    for person, status in marks:
        client.put(
            f"/sessions/{session_id}/attendance/{person['id']}", json={"status": status}
        ).raise_for_status()


def school_with_one_held_session(
    client: httpx.Client, ward_plan_id: int, school_id: int, marks: list[str], tag: str
) -> tuple[int, list[dict]]:
    """The school adopts the ward's plan and holds one session with the marks given; its
    plan and its people."""
    people = []
    for n, _ in enumerate(marks, start=1):
        person = client.post(
            "/participants",
            json={
                "organization_id": school_id,
                "full_name": f"Giáo viên {n}",
                "staff_code": f"RU{tag}{school_id}{n}",
            },
        )
        person.raise_for_status()
        people.append(person.json())
    draft = client.post(f"/plans/{ward_plan_id}/adopt", json={"organization_id": school_id})
    draft.raise_for_status()
    client.post(f"/plans/{draft.json()['id']}/issue", json={}).raise_for_status()
    hold_session(client, draft.json()["id"], list(zip(people, marks, strict=True)))
    return draft.json()["id"], people


def test_the_servers_reason_about_the_assessment_lands_on_its_first_part(
    page, api_session, school_admin
):
    """The three parts are one text to the server: what it says of it shows under "Ưu điểm"."""
    tag = uuid.uuid4().hex[:6].upper()
    client, org_id = api_session(school_admin)
    plan = plan_with_one_of_two_confirmed(client, org_id, tag)["plan"]
    sign_in(page, school_admin, f"/plans/{plan['id']}/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo kết quả thực hiện kế hoạch")
    strengths = page.get_by_label("Ưu điểm")
    strengths.fill("Học tập nghiêm túc. " * 1001)  # over the server's 20,000 characters
    page.get_by_role("button", name="Xem bản dự thảo (.docx)").click()
    error = page.locator(".field:has(> [name=strengths]) > .field-error")
    expect(error).to_be_visible()
    expect(strengths).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".report-form [role=alert]").first).to_contain_text(
        "vui lòng sửa các ô được đánh dấu"
    )
    strengths.fill("Cán bộ, giáo viên tham gia học tập nghiêm túc.")
    expect(error).to_be_hidden()
    assert client.get(f"/plans/{plan['id']}/reports").json() == []  # nothing issued


def test_rollup_totals_and_school_names(page, api_session, district_admin):
    """At the big school 2 of 3 attended, and the one absent came to a make-up session for all
    the staff: 3/3 people (100 %) and 3/6 attendances (50 %); at the small one 0 of 1. The
    totals row takes the sums: 3/4 people (75 %) and 3/7 attendances (42,9 %)."""
    tag = uuid.uuid4().hex[:6].upper()
    client, district_id = api_session(district_admin)

    def org(parent_id: int, kind: str, name: str, code: str) -> int:
        answer = client.post(
            "/orgs",
            json={
                "parent_id": parent_id,
                "kind": kind,
                "name": name,
                "code": code,
                "abbreviation": code.upper(),
            },
        )
        answer.raise_for_status()
        return answer.json()["id"]

    ward_id = org(district_id, "ward", f"UBND phường Kiểm Thử {tag}", f"p{tag}")
    big_code, small_code = f"th-lon-{tag}".lower(), f"th-nho-{tag}".lower()
    big_id = org(ward_id, "school", f"Trường Tiểu học Lớn {tag}", big_code)
    small_id = org(ward_id, "school", f"Trường Tiểu học Nhỏ {tag}", small_code)
    ward_plan = client.post(
        "/plans",
        json={
            "organization_id": ward_id,
            "title": f"Tổ chức học tập Nghị quyết số 57-NQ/TW ({tag})",
            "period_start": "2025-03-01",
        },
    )
    ward_plan.raise_for_status()
    plan_id = ward_plan.json()["id"]
    client.post(f"/plans/{plan_id}/issue", json={"issued_on": "2025-03-05"}).raise_for_status()
    big_plan_id, big_people = school_with_one_held_session(
        client, plan_id, big_id, ["present", "late", "absent"], tag
    )
    hold_session(client, big_plan_id, [(big_people[2], "present")], day="2025-03-22")
    school_with_one_held_session(client, plan_id, small_id, ["absent"], tag)

    sign_in(page, district_admin, f"/plans/{plan_id}/rollup")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng hợp các đơn vị")
    attended = "td[data-label='Đã tham gia học tập']"
    big = page.locator("tbody tr").filter(has_text=f"Trường Tiểu học Lớn {tag}")
    expect(big.locator(attended)).to_contain_text("3/3 người")
    expect(big.locator(attended)).to_contain_text("100%")
    expect(big.locator(attended)).to_contain_text("3/6 lượt · 50%")
    small = page.locator("tbody tr").filter(has_text=f"Trường Tiểu học Nhỏ {tag}")
    expect(small.locator(attended)).to_contain_text("0/1 người")
    expect(small.locator(attended)).to_contain_text("0/1 lượt · 0%")
    totals = page.locator("tfoot .row-total")
    expect(totals.locator(attended)).to_contain_text("3/4 người")
    expect(totals.locator(attended)).to_contain_text("75%")
    expect(totals.locator(attended)).to_contain_text("3/7 lượt · 42,9%")
    expect(page.locator(".kpi").filter(has_text="Đã tham gia học tập")).to_contain_text("3/4")
    expect(page.get_by_text("ít nhất một buổi đã tổ chức, kể cả buổi học bù")).to_be_visible()
    expect(page.get_by_text("không lấy trung bình tỷ lệ", exact=False)).to_be_visible()

    # The clerk reads the school's name only; the code stays a tooltip.
    table = page.locator(".rollup-table")
    expect(table).not_to_contain_text(big_code)
    expect(big.get_by_role("link", name=f"Trường Tiểu học Lớn {tag}")).to_have_attribute(
        "title", big_code
    )


def test_rollup_drills_down_from_a_ward_to_its_schools_and_back(
    page, api_session, district_admin, tmp_path
):
    """The district's plan, adopted by a ward and, under the ward's, by one of its two schools:
    the district's level shows the ward over its subtree (2 of 3 organisations adopted); a
    click on it shows its schools, the address keeps the level through a reload, and the
    breadcrumb and Back lead up again."""
    tag = uuid.uuid4().hex[:6].upper()
    client, district_id = api_session(district_admin)

    def org(parent_id: int, kind: str, name: str, code: str) -> int:
        answer = client.post(
            "/orgs",
            json={
                "parent_id": parent_id,
                "kind": kind,
                "name": name,
                "code": code,
                "abbreviation": code.upper(),
            },
        )
        answer.raise_for_status()
        return answer.json()["id"]

    ward_name = f"UBND phường Cấp Giữa {tag}"
    ward_id = org(district_id, "ward", ward_name, f"w{tag}")
    school_id = org(ward_id, "school", f"Trường Tiểu học Dưới {tag}", f"th-duoi-{tag}".lower())
    idle_id = org(ward_id, "school", f"Trường Tiểu học Chưa {tag}", f"th-chua-{tag}".lower())
    client.post(
        "/participants",
        json={"organization_id": idle_id, "full_name": "Giáo viên Chưa", "staff_code": f"C{tag}"},
    ).raise_for_status()
    plan = client.post(
        "/plans",
        json={
            "organization_id": district_id,
            "title": f"Học tập Nghị quyết số 57-NQ/TW, cấp quận ({tag})",
            "period_start": "2025-03-01",
        },
    )
    plan.raise_for_status()
    plan_id = plan.json()["id"]
    client.post(f"/plans/{plan_id}/issue", json={"issued_on": "2025-03-05"}).raise_for_status()
    ward_plan = client.post(f"/plans/{plan_id}/adopt", json={"organization_id": ward_id})
    ward_plan.raise_for_status()
    client.post(f"/plans/{ward_plan.json()['id']}/issue", json={}).raise_for_status()
    school_with_one_held_session(
        client, ward_plan.json()["id"], school_id, ["present", "absent"], tag
    )

    sign_in(page, district_admin, f"/plans/{plan_id}/rollup")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tổng hợp các đơn vị")
    ward = page.locator("tbody tr").filter(has_text=ward_name)
    expect(ward.locator("td[data-label='Tiếp nhận']")).to_contain_text("2/3 đã tiếp nhận")
    expect(ward.locator("td[data-label='Đã xác nhận']")).to_have_text("0/3")
    expect(ward).to_contain_text("2 đơn vị trực thuộc")
    crumbs = page.get_by_role("navigation", name="Cấp đơn vị")
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"rollup-top-{width}.png"), full_page=True)

    ward.get_by_role("link", name=re.compile(ward_name)).click()
    expect(crumbs.get_by_role("link")).to_have_count(1)
    expect(crumbs.locator("[aria-current=page]")).to_have_text(ward_name)
    assert f"org_id={ward_id}" in page.url
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text=f"Trường Tiểu học Dưới {tag}")).to_have_count(1)
    expect(rows.filter(has_text=f"Trường Tiểu học Chưa {tag}")).to_contain_text("Chưa tiếp nhận")
    expect(rows.filter(has_text=ward_name)).to_contain_text("Riêng cán bộ của cơ quan")
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"rollup-ward-{width}.png"), full_page=True)

    # Only the rows with an organisation that has not adopted the plan.
    page.get_by_label("Chỉ những dòng có đơn vị chưa tiếp nhận").check()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"Trường Tiểu học Chưa {tag}")
    page.reload()
    expect(crumbs.locator("[aria-current=page]")).to_have_text(ward_name)
    expect(rows).to_have_count(1)

    crumbs.get_by_role("link").click()
    expect(page.locator("tbody tr").filter(has_text=ward_name)).to_contain_text("2/3")
    assert "org_id" not in page.url
    page.go_back()  # to the ward's level as it was left: filtered
    expect(crumbs.locator("[aria-current=page]")).to_have_text(ward_name)
    expect(rows).to_have_count(1)
    page.get_by_label("Chỉ những dòng có đơn vị chưa tiếp nhận").uncheck()
    school = page.locator("tbody tr").filter(has_text=f"Trường Tiểu học Dưới {tag}")
    school.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ thực hiện kế hoạch")
