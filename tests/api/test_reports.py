"""Reports: figures checked against hand-computed fixtures, as of a past day too; exports read
back; the scope rules; and a fixed number of queries whatever the size."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa
from docx import Document

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.audit.models import AuditEvent
from app.people.models import Participant
from app.plans.models import Plan, PlanAudienceUnit
from app.reports.models import Report
from app.study_sessions.models import SessionAudienceUnit, StudySession
from app.tasks.models import Task
from tests.factories import (
    VN,
    ack,
    at,
    held_session,
    make_org,
    make_participant,
    make_plan,
    report_history,
)
from tests.support import count_queries

ASSESSMENT = "Ưu điểm: triển khai kịp thời, đầy đủ."
ATTENDANCE_FIELDS = ("attendances", "expected_attendances", "attendance_rate")


@pytest.fixture
def figures(db, world):
    """The district's plan and the school's, with the history `report_history` tells."""
    return report_history(db, world)


def get(client, world, path, caller="viewer", **params):
    response = client.get(path, params=params, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    return response


def test_progress_now(client, world, figures):
    _, plan = figures
    p = get(client, world, f"/api/v1/plans/{plan.id}/progress").json()
    assert (p["audience"], p["confirmed"], p["confirmed_rate"]) == (3, 2, 0.6667)
    assert p["reflections"] == {
        "required": False,
        "submitted": 1,
        "graded": 1,
        "by_grade": {"tot": 1, "kha": 0, "dat": 0, "chua_dat": 0},
    }
    assert (p["attendance"]["attended"], p["attendance"]["sessions_held"]) == (2, 1)
    units = {u["unit_name"]: (u["audience"], u["confirmed"], u["attended"]) for u in p["by_unit"]}
    assert units == {"Tổ 1": (2, 2, 2), "Công đoàn": (1, 1, 1), "Ban giám hiệu": (1, 0, 0)}
    session = p["sessions"][0]
    assert (session["present"], session["late"], session["absent"], session["attendance_rate"]) == (
        1,
        1,
        1,
        0.6667,
    )
    assert {k: p["tasks"][k] for k in ("total", "done", "todo", "overdue")} == {
        "total": 2,
        "done": 1,
        "todo": 1,
        "overdue": 1,
    }
    assert [t["title"] for t in p["tasks"]["overdue_list"]] == ["Cập nhật kho học liệu"]
    assert p["tasks"]["overdue_list"][0]["assignee"] == "Nguyễn Thị Mai"
    assert (p["outreach"]["total"], p["outreach"]["reach"]) == (2, 150)
    assert p["confirmations_per_day"] == [
        {"day": "2025-03-16", "count": 1, "cumulative": 1},
        {"day": "2025-03-20", "count": 1, "cumulative": 2},
    ]
    assert [x["full_name"] for x in p["pending"]] == ["Bùi Can"]


def test_progress_as_of_a_past_day(client, world, figures):
    _, plan = figures
    p = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-03-17").json()
    assert p["as_of"] == "2025-03-17"
    assert (p["audience"], p["confirmed"]) == (3, 1)
    assert (p["reflections"]["submitted"], p["reflections"]["graded"]) == (1, 0)  # graded on 25/3
    assert (p["tasks"]["done"], p["tasks"]["in_progress"], p["tasks"]["overdue"]) == (0, 1, 0)
    assert p["outreach"]["total"] == 0  # the video came out on 18/3
    assert [x["full_name"] for x in p["pending"]] == ["Bùi Can", "Trần Văn Hùng"]
    later = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-03-26").json()
    assert (
        later["tasks"]["overdue"],
        later["reflections"]["graded"],
        later["outreach"]["total"],
    ) == (1, 1, 1)
    before = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2024-12-31").json()
    assert before["audience"] == 0  # nobody was on the staff yet


def test_withdrawn_and_deactivated_as_of(client, world, figures, db):
    _, plan = figures
    record = db.exec(
        sa.select(Acknowledgement).where(Acknowledgement.participant_id == world.colleague.id)
    ).one()[0]
    record.withdrawn_at = at("2025-03-22")
    db.get(Participant, world.teacher.id).active = False
    db.get(Participant, world.teacher.id).deactivated_at = at("2025-04-10")
    db.commit()
    assert (
        get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-03-21").json()[
            "confirmed"
        ]
        == 2
    )
    p = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-03-23").json()
    assert (p["audience"], p["confirmed"]) == (3, 1)
    now = get(client, world, f"/api/v1/plans/{plan.id}/progress").json()
    assert (now["audience"], now["confirmed"]) == (2, 0)


def test_rollup_has_every_school_and_totals(client, world, figures):
    district_plan, plan = figures
    r = get(client, world, f"/api/v1/plans/{district_plan.id}/rollup").json()
    rows = {row["organization_code"]: row for row in r["rows"]}
    assert set(rows) == {"th-nbk", "th-other"}
    assert (
        rows["th-nbk"]["adopted"],
        rows["th-nbk"]["plan_id"],
        rows["th-nbk"]["audience"],
        rows["th-nbk"]["confirmed"],
    ) == (True, plan.id, 3, 2)
    assert (
        rows["th-nbk"]["tasks_total"],
        rows["th-nbk"]["tasks_overdue"],
        rows["th-nbk"]["outreach_reach"],
    ) == (2, 1, 150)
    assert (
        rows["th-nbk"]["attendances"],
        rows["th-nbk"]["expected_attendances"],
        rows["th-nbk"]["attendance_rate"],
    ) == (2, 3, 0.6667)
    assert (
        rows["th-other"]["adopted"],
        rows["th-other"]["audience"],
        rows["th-other"]["confirmed"],
    ) == (False, 1, 0)
    assert {k: r["totals"][k] for k in ("organizations", "adopted", "audience", "confirmed")} == {
        "organizations": 2,
        "adopted": 1,
        "audience": 4,
        "confirmed": 2,
    }
    assert r["totals"]["confirmed_rate"] == 0.5
    assert {k: r["totals"][k] for k in ATTENDANCE_FIELDS} == {
        "attendances": 2,
        "expected_attendances": 3,
        "attendance_rate": 0.6667,
    }
    past = get(client, world, f"/api/v1/plans/{district_plan.id}/rollup", as_of="2025-03-17").json()
    assert past["totals"]["confirmed"] == 1


def test_rollup_totals_take_the_rates_over_the_sums(client, world, figures, db):
    """2 of 3 at the big school and 0 of 1 at the small one make 2 of 4 (50 %), not the
    average of the schools' rates (33 %); the JSON, CSV and XLSX totals say the same."""
    district_plan, _ = figures
    other_plan = make_plan(db, world.other_school, parent_plan_id=district_plan.id)
    other_plan.created_at = at("2025-03-10")
    held_session(db, other_plan, [(world.other_teacher, "absent")])
    db.commit()
    url = f"/api/v1/plans/{district_plan.id}/rollup"

    r = get(client, world, url).json()
    rows = {row["organization_code"]: row for row in r["rows"]}
    assert [rows[code]["attendance_rate"] for code in ("th-nbk", "th-other")] == [0.6667, 0.0]
    assert [r["totals"][k] for k in ATTENDANCE_FIELDS] == [2, 4, 0.5]

    table = list(csv.reader(io.StringIO(get(client, world, url, format="csv").text)))
    rate_column = table[0].index("Tỷ lệ tham dự")
    assert table[0][rate_column - 2 : rate_column] == ["Lượt dự học", "Lượt cần dự học"]
    assert table[-1][0] == "Tổng cộng"
    assert table[-1][rate_column - 2 : rate_column + 1] == ["2", "4", "0.5"]

    sheet = openpyxl.load_workbook(io.BytesIO(get(client, world, url, format="xlsx").content))[
        "Các đơn vị"
    ]
    totals = [c for c in sheet[sheet.max_row]]
    assert totals[0].value == "Tổng cộng"
    assert (totals[rate_column].value, totals[rate_column].number_format) == (0.5, "0.0%")


def test_rollup_attendance_agrees_with_each_plans_sessions(client, world, figures, db):
    """A session for Tổ 1 expects the members on the staff, as the plan's own figures do:
    a member who left before the session is not counted as absent."""
    district_plan, plan = figures
    left = make_participant(
        db,
        world.school,
        "Phạm Văn Cũ",
        "GV009",
        [world.units["Tổ 1"]],
        active=False,
        deactivated_at=at("2025-02-01"),
    )
    left.created_at = at("2025-01-02")
    session = held_session(db, plan, [(world.teacher, "present")], audience_all=False)
    db.add(SessionAudienceUnit(session_id=session.id, unit_id=world.units["Tổ 1"].id))
    db.commit()

    sessions = get(client, world, f"/api/v1/plans/{plan.id}/progress").json()["sessions"]
    held = [s for s in sessions if s["status"] == "held"]
    assert [s["audience"] for s in held] == [3, 2]
    row = next(
        row
        for row in get(client, world, f"/api/v1/plans/{district_plan.id}/rollup").json()["rows"]
        if row["organization_code"] == "th-nbk"
    )
    assert (
        (row["attendances"], row["expected_attendances"])
        == (
            sum(s["present"] + s["late"] for s in held),
            sum(s["audience"] for s in held),
        )
        == (3, 5)
    )


def test_rollup_counts_the_people_who_studied_as_the_progress_does(client, world, figures, db):
    """A make-up session for all the staff, attended by the one absentee only, adds 3 expected
    marks and 1 mark (3 of 6, 50 %), but everybody has now studied (3 of 3): the row says so,
    as the school's own progress does; the totals take 3 of 4 people; CSV and XLSX carry it."""
    district_plan, plan = figures
    principal = db.exec(
        sa.select(Participant).where(Participant.staff_code == "HT001")
    ).scalar_one()
    held_session(db, plan, [(principal, "present")]).title = "Học bù"
    db.commit()
    url = f"/api/v1/plans/{district_plan.id}/rollup"

    attendance = get(client, world, f"/api/v1/plans/{plan.id}/progress").json()["attendance"]
    r = get(client, world, url).json()
    row = next(row for row in r["rows"] if row["organization_code"] == "th-nbk")
    assert (row["attended"], row["attended_rate"]) == (
        attendance["attended"],
        attendance["attended_rate"],
    )
    assert (row["attended"], row["audience"], row["attended_rate"]) == (3, 3, 1.0)
    assert [row[k] for k in ATTENDANCE_FIELDS] == [3, 6, 0.5]  # the marks, unchanged
    other = next(row for row in r["rows"] if row["organization_code"] == "th-other")
    assert (other["attended"], other["attended_rate"]) == (0, 0.0)
    assert (r["totals"]["attended"], r["totals"]["audience"], r["totals"]["attended_rate"]) == (
        3,
        4,
        0.75,
    )

    table = list(csv.reader(io.StringIO(get(client, world, url, format="csv").text)))
    people = table[0].index("Số người đã tham gia học tập")
    assert table[0][people + 1] == "Tỷ lệ đã tham gia học tập"
    assert [row[people : people + 2] for row in table[1:]] == [
        ["0", "0.0"],  # Trường Tiểu học Khác: by name, first
        ["3", "1.0"],
        ["3", "0.75"],
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(get(client, world, url, format="xlsx").content))[
        "Các đơn vị"
    ]
    totals = sheet[sheet.max_row]
    assert (totals[0].value, totals[people].value, totals[people + 1].value) == (
        "Tổng cộng",
        3,
        0.75,
    )
    assert totals[people + 1].number_format == "0.0%"


def test_rollup_people_who_studied_follow_the_audience_and_the_day(client, world, figures, db):
    """Only the plan's audience counts, only while on the staff, only from the marks recorded
    by the day asked for: the roll-up and the school's progress agree each time."""
    district_plan, plan = figures
    plan.audience_all = False
    db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=world.units["Tổ 1"].id))
    principal = db.exec(
        sa.select(Participant).where(Participant.staff_code == "HT001")
    ).scalar_one()
    held_session(db, plan, [(principal, "present")])  # not in Tổ 1: not of the audience
    teacher = db.get(Participant, world.teacher.id)
    teacher.active, teacher.deactivated_at = False, at("2025-04-01")
    db.commit()

    def people(**params) -> tuple[int, int]:
        progress = get(client, world, f"/api/v1/plans/{plan.id}/progress", **params).json()
        rollup = get(client, world, f"/api/v1/plans/{district_plan.id}/rollup", **params).json()
        row = next(row for row in rollup["rows"] if row["organization_code"] == "th-nbk")
        assert (row["attended"], row["audience"]) == (
            progress["attendance"]["attended"],
            progress["audience"],
        )
        return row["attended"], row["audience"]

    assert people(as_of="2025-03-14") == (0, 2)  # the marks were recorded on 15/3
    assert people(as_of="2025-03-20") == (2, 2)  # Mai and Hùng of Tổ 1
    assert people() == (1, 1)  # Mai has left since


def test_one_token_one_call_gives_every_school(client, world, figures):
    district_plan, _ = figures
    headers = {
        "Authorization": f"Bearer {world.tokens['token']}"
    }  # district token, reports:read only
    response = client.get(f"/api/v1/plans/{district_plan.id}/rollup", headers=headers)
    assert response.status_code == 200
    assert len(response.json()["rows"]) == 2
    no_scope = {"Authorization": f"Bearer {world.tokens['people_token']}"}
    assert (
        client.get(f"/api/v1/plans/{district_plan.id}/rollup", headers=no_scope).status_code == 403
    )


def test_a_reports_token_lists_the_plans_it_may_report_on(client, world, db):
    district_plan = make_plan(db, world.district)
    school_plan = make_plan(db, world.school, parent_plan_id=district_plan.id)
    make_plan(db, world.other_school, title="Bản nháp", status="draft")
    make_plan(db, make_org(db, "ubnd-khac", "UBND quận khác", kind="district"))
    db.commit()
    headers = world.headers("token")  # the district's, reports:read only
    for params in ({}, {"status": "active"}):
        page = client.get("/api/v1/plans", params=params, headers=headers).json()
        assert [p["id"] for p in page["items"]] == [district_plan.id, school_plan.id]
        assert page["total"] == 2
    for plan in (district_plan, school_plan):
        assert client.get(f"/api/v1/plans/{plan.id}/progress", headers=headers).status_code == 200
    no_scope = client.get("/api/v1/plans", headers=world.headers("people_token")).json()
    assert no_scope["total"] == 0


def test_scope_rules(client, world, figures):
    district_plan, plan = figures
    assert (
        get(client, world, f"/api/v1/plans/{plan.id}/progress", caller="admin").json()["audience"]
        == 3
    )
    assert (
        client.get(
            f"/api/v1/plans/{plan.id}/progress", headers=world.headers("other_admin")
        ).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/plans/{plan.id}/progress", headers=world.headers("member")).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/plans/{district_plan.id}/rollup", headers=world.headers("admin")
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/plans/{plan.id}/progress").status_code == 401
    assert (
        client.get("/api/v1/plans/999999/progress", headers=world.headers("viewer")).status_code
        == 404
    )


def test_bad_report_requests(client, world, figures):
    _, plan = figures
    url = f"/api/v1/plans/{plan.id}/progress"
    future = client.get(
        url,
        params={"as_of": (date.today() + timedelta(days=2)).isoformat()},
        headers=world.headers("viewer"),
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "query.as_of"
    malformed = client.get(url, params={"as_of": "31/03/2025"}, headers=world.headers("viewer"))
    assert malformed.status_code == 422 and malformed.json()["errors"][0]["field"] == "query.as_of"
    unsupported = client.get(url, params={"format": "pdf"}, headers=world.headers("viewer"))
    assert (
        unsupported.status_code == 422
        and unsupported.json()["errors"][0]["field"] == "query.format"
    )
    xml = client.get(url, headers=world.headers("viewer") | {"Accept": "application/xml"})
    assert xml.status_code == 406 and xml.headers["content-type"] == "application/problem+json"


def test_etag_and_if_none_match(client, world, figures, db):
    _, plan = figures
    url = f"/api/v1/plans/{plan.id}/progress"
    first = get(client, world, url)
    etag = first.headers["etag"]
    unchanged = client.get(url, headers=world.headers("viewer") | {"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    ack(
        db,
        plan,
        db.exec(sa.select(Participant).where(Participant.staff_code == "HT001")).scalar_one(),
        "2025-04-02",
    )
    db.commit()
    changed = client.get(url, headers=world.headers("viewer") | {"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_csv_by_accept_and_by_parameter(client, world, figures):
    district_plan, plan = figures
    by_accept = client.get(
        f"/api/v1/plans/{district_plan.id}/rollup",
        headers=world.headers("viewer") | {"Accept": "text/csv"},
    )
    assert by_accept.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(by_accept.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Đơn vị", "Mã đơn vị", "Kế hoạch"]
    assert rows[2][0] == "Trường Tiểu học Nguyễn Bỉnh Khiêm" and rows[2][4:6] == ["3", "2"]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][4:6] == ["4", "2"]
    rate_column = rows[0].index("Tỷ lệ tham dự")
    assert [row[rate_column] for row in rows[1:]] == ["", "0.6667", "0.6667"]  # none held: blank
    units = get(client, world, f"/api/v1/plans/{plan.id}/progress", format="csv")
    table = list(csv.reader(io.StringIO(units.content.decode("utf-8-sig"))))
    assert table[0][0] == "Tổ/Bộ phận" and table[-2][:3] == ["Tổ 1", "2", "2"]
    assert table[-1][:3] == ["Toàn đơn vị (không trùng người)", "3", "2"]  # Hùng counted once


def test_xlsx_has_a_sheet_per_table(client, world, figures):
    _, plan = figures
    response = get(client, world, f"/api/v1/plans/{plan.id}/progress", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo tổ",
        "Buổi học tập",
        "Nhiệm vụ quá hạn",
        "Tuyên truyền",
        "Xác nhận theo ngày",
        "Chưa xác nhận",
    ]
    units = book["Theo tổ"]
    header = header_row(units)
    assert [c.value for c in units[header]][:4] == [
        "Tổ/Bộ phận",
        "Số người",
        "Đã xác nhận",
        "Tỷ lệ xác nhận",
    ]
    row = next(r for r in units.iter_rows(min_row=header + 1) if r[0].value == "Tổ 1")
    assert row[3].value == 1.0 and row[3].number_format == "0.0%"
    pending = book["Chưa xác nhận"]
    assert [c.value for c in pending[header_row(pending) + 1]][:2] == ["Bùi Can", "HT001"]


def header_row(sheet) -> int:
    """The row of a sheet's table header: where its autofilter starts, under the title."""
    return int(sheet.auto_filter.ref.split(":")[0][1:])


def test_xlsx_sessions_and_tasks_read_as_on_the_screens(client, world, figures, db):
    """Times in the app's time zone, not UTC, as date cells; kinds and statuses in the words
    the UI uses."""
    _, plan = figures
    db.add(
        StudySession(
            plan_id=plan.id,
            organization_id=plan.organization_id,
            kind="makeup",
            title="Học bù NQ57",
            starts_at=at("2025-03-20", 7).replace(minute=30),
            ends_at=at("2025-03-20", 9),
            checkin_secret=secrets.token_hex(32),
            created_at=at("2025-03-11"),
        )
    )
    db.add(
        Task(
            plan_id=plan.id,
            organization_id=world.school.id,
            title="Đăng tin lên website",
            assignee_unit_id=world.units["Công đoàn"].id,
            due_on=date(2025, 3, 28),
            status="in_progress",
            created_at=at("2025-03-11"),
        )
    )
    db.commit()
    response = get(client, world, f"/api/v1/plans/{plan.id}/progress", format="xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Buổi học tập"]
    sessions = [
        [c.value for c in row][:4] for row in sheet.iter_rows(min_row=header_row(sheet) + 1)
    ]
    assert sessions == [
        ["Học tập NQ57", "Học tập, quán triệt", datetime(2025, 3, 15, 7, 0), "Đã tổ chức"],
        ["Học bù NQ57", "Học bù", datetime(2025, 3, 20, 7, 30), "Đã lên lịch"],
    ]
    sheet = book["Nhiệm vụ quá hạn"]
    overdue = [[c.value for c in row] for row in sheet.iter_rows(min_row=header_row(sheet) + 1)]
    assert overdue == [
        ["Cập nhật kho học liệu", datetime(2025, 3, 25), "Chưa làm", "Nguyễn Thị Mai"],
        ["Đăng tin lên website", datetime(2025, 3, 28), "Đang làm", "Công đoàn"],
    ]


def test_official_report_docx(client, world, figures):
    _, plan = figures
    headers = world.headers("manager")
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=headers,
        json={
            "assessment": "Ưu điểm: triển khai kịp thời.\nHạn chế: còn 01 đồng chí chưa xác nhận.",
            "proposals": "Đề nghị Phòng GDĐT tổ chức tập huấn chuyển đổi số.",
            "issued_on": "2025-04-15",
            "signer_name": "Bùi Can",
            "signer_title": "HIỆU TRƯỞNG",
            "recipients": ["Phòng GDĐT quận Thanh Khê", "Lưu: VT"],
        },
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["symbol"] == "01/BC-THNBK"
    second = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=headers,
        json={"issued_on": "2025-05-02", "assessment": ASSESSMENT},
    )
    assert second.json()["symbol"] == "02/BC-THNBK"
    response = client.get(
        f"/api/v1/reports/{issued.json()['id']}/document", headers=world.headers("viewer")
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0]
    left = " ".join(header.cell(0, 0).text.split())
    right = " ".join(header.cell(0, 1).text.split())
    assert "PHÒNG GDĐT QUẬN THANH KHÊ" in left and "TRƯỜNG TIỂU HỌC NGUYỄN BỈNH KHIÊM" in left
    assert "Số: 01/BC-THNBK" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert "ngày 15 tháng 4 năm 2025" in right
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "2/3 người, đạt 66,7%" in text
    assert "Tốt: 1" in text and "Đề nghị Phòng GDĐT tổ chức tập huấn" in text
    units = document.tables[1]
    assert [c.text for c in units.rows[0].cells][:3] == ["TT", "Tổ, bộ phận", "Số người"]
    assert any(row.cells[1].text == "Tổ 1" and row.cells[3].text == "2" for row in units.rows)
    signature = document.tables[-1]
    assert "Nơi nhận:" in signature.cell(0, 0).text and "- Lưu: VT." in signature.cell(0, 0).text
    assert "HIỆU TRƯỞNG" in signature.cell(0, 1).text and "Bùi Can" in signature.cell(0, 1).text
    assert (
        client.post(
            f"/api/v1/plans/{plan.id}/reports", json={}, headers=world.headers("viewer")
        ).status_code
        == 403
    )


def issue_and_read(client, world, plan, **fields):
    """Issue a report on 15/4/2025 and open its .docx."""
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15", "assessment": ASSESSMENT, **fields},
    )
    assert issued.status_code == 201, issued.text
    response = client.get(
        f"/api/v1/reports/{issued.json()['id']}/document", headers=world.headers("viewer")
    )
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def test_report_dates_from_the_issuers_place(client, world, figures, db):
    _, plan = figures
    world.school.place_name = "Thanh Khê"
    db.add(world.school)
    db.commit()
    document = issue_and_read(client, world, plan)
    date_line = document.tables[0].cell(0, 1).paragraphs[-1]
    assert date_line.text == "Thanh Khê, ngày 15 tháng 4 năm 2025"
    assert date_line.runs[0].italic


def test_report_figures_and_closing_read_as_vietnamese(client, world, figures, db):
    """Thousands with a point, session days in local time, the issuer named once at the end."""
    _, plan = figures
    session = db.exec(sa.select(StudySession).where(StudySession.plan_id == plan.id)).scalar_one()
    session.starts_at = at("2025-03-15", 6)  # 23:00 on 14/3 in UTC
    db.add(
        Activity(
            organization_id=world.school.id,
            plan_id=plan.id,
            kind="social_post",
            title="Bài đăng",
            happened_on=date(2025, 3, 19),
            reach=7961,
        )
    )
    db.commit()
    title = "Kết quả học tập Nghị quyết 57-NQ/TW tại Trường Tiểu học Nguyễn Bỉnh Khiêm"
    paragraphs = [p.text for p in issue_and_read(client, world, plan, title=title).paragraphs]
    assert any(p.endswith("lượt tiếp cận: 8.111.") for p in paragraphs)
    assert "Học tập NQ57 (học tập, quán triệt, ngày 15/03/2025)" in "\n".join(paragraphs)
    assert (
        "Trên đây là báo cáo kết quả học tập Nghị quyết 57-NQ/TW tại Trường Tiểu học "
        "Nguyễn Bỉnh Khiêm./."
    ) in paragraphs
    default = [p.text for p in issue_and_read(client, world, plan).paragraphs]
    assert (
        "Trên đây là báo cáo kết quả kế hoạch học tập Nghị quyết 57-NQ/TW "
        "của Trường Tiểu học Nguyễn Bỉnh Khiêm./."
    ) in default


def test_fixed_number_of_queries_whatever_the_size(client, world, figures, db, connection):
    district_plan, plan = figures
    headers = world.headers("viewer")
    report_id = issue(client, world, plan).json()["id"]
    urls = (
        f"/api/v1/plans/{plan.id}/progress",
        f"/api/v1/plans/{district_plan.id}/rollup",
        f"/api/v1/reports/{report_id}/figures",
    )
    small = [count_queries(client, connection, url, headers=headers) for url in urls]
    for index in range(60):
        person = make_participant(
            db, world.school, f"Giáo viên {index}", f"X{index:03d}", [world.units["Tổ 1"]]
        )
        person.created_at = at("2025-01-02")
        if index % 2:
            ack(db, plan, person, "2025-03-21")
    db.commit()
    assert get(client, world, urls[0]).json()["audience"] == 63
    large = [count_queries(client, connection, url, headers=headers) for url in urls]
    assert small == large


def issue(client, world, plan, caller="manager", **fields):
    return client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers(caller),
        json={"issued_on": "2025-04-15", "assessment": ASSESSMENT, **fields},
    )


def what_it_says(client, world, report_id: int) -> dict:
    """Every form of an issued report: the document's bytes, its JSON, its figures as JSON
    and CSV (bytes) and as XLSX (every cell of every sheet)."""
    url = f"/api/v1/reports/{report_id}"
    book = openpyxl.load_workbook(
        io.BytesIO(get(client, world, f"{url}/figures", format="xlsx").content)
    )
    return {
        "document": get(client, world, f"{url}/document").content,
        "report": get(client, world, url).content,
        "figures": get(client, world, f"{url}/figures").content,
        "csv": get(client, world, f"{url}/figures", format="csv").content,
        "xlsx": {
            sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets
        },
    }


def test_an_issued_report_never_changes(client, world, figures, db):
    _, plan = figures
    issued = issue(client, world, plan, assessment="Ưu điểm: triển khai kịp thời.")
    assert issued.status_code == 201, issued.text
    report_id = issued.json()["id"]
    assert issued.json()["frozen_at"] and len(issued.json()["document_sha256"]) == 64
    before = what_it_says(client, world, report_id)
    stated = get(client, world, f"/api/v1/reports/{report_id}").json()["figures"]
    assert (stated["as_of"], stated["audience"], stated["confirmed"]) == ("2025-04-15", 3, 2)
    assert (stated["outreach"]["total"], stated["reflections"]["by_grade"]["tot"]) == (2, 1)
    assert "2/3 người, đạt 66,7%" in "\n".join(
        p.text for p in Document(io.BytesIO(before["document"])).paragraphs
    )

    admin, manager = world.headers("admin"), world.headers("manager")
    changes = [
        client.post(
            f"/api/v1/plans/{plan.id}/materials/publish", json={"major": True}, headers=manager
        ),
        client.post(
            "/api/v1/participants",
            headers=admin,
            json={
                "organization_id": world.school.id,
                "full_name": "Phạm Văn Mới",
                "staff_code": "GV099",
                "unit_ids": [world.units["Tổ 1"].id],
            },
        ),
        client.post(f"/api/v1/participants/{world.teacher.id}/deactivate", headers=admin),
        client.patch(
            f"/api/v1/participants/{world.colleague.id}",
            json={"unit_ids": [world.units["Ban giám hiệu"].id]},
            headers=admin,
        ),
        client.post(f"/api/v1/units/{world.units['Công đoàn'].id}/archive", headers=admin),
        client.patch(f"/api/v1/plans/{plan.id}", json={"title": "Tên mới"}, headers=manager),
        client.patch(f"/api/v1/orgs/{world.school.id}", json={"name": "Trường mới"}, headers=admin),
    ]
    video = db.exec(sa.select(Activity).where(Activity.kind == "video")).scalar_one()
    changes.append(client.post(f"/api/v1/activities/{video.id}/archive", headers=manager))
    graded = db.exec(
        sa.select(Acknowledgement).where(Acknowledgement.grade.is_not(None))
    ).scalar_one()
    changes.append(
        client.post(
            f"/api/v1/acknowledgements/{graded.id}/grade", json={"grade": "kha"}, headers=manager
        )
    )
    assert [r.status_code for r in changes] == [200, 201, 200, 200, 200, 200, 200, 200, 200]
    live = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-04-15").json()
    assert (live["confirmed"], live["plan"]["title"]) == (0, "Tên mới")  # the figures moved

    assert what_it_says(client, world, report_id) == before


def test_report_dates_are_checked_and_nothing_is_written(client, world, figures, db):
    _, plan = figures
    tomorrow = (datetime.now(VN).date() + timedelta(days=1)).isoformat()
    for fields, field in [
        ({"issued_on": tomorrow}, "body.issued_on"),
        ({"issued_on": "2025-03-09"}, "body.issued_on"),  # the plan is of 10/3
        ({"as_of": "2025-04-16"}, "body.as_of"),  # after the issue day
        ({"as_of": tomorrow, "issued_on": None}, "body.as_of"),
    ]:
        response = issue(client, world, plan, **fields)
        assert response.status_code == 422, (fields, response.text)
        assert response.json()["errors"][0]["field"] == field
    draft = make_plan(db, world.school, status="draft")
    db.commit()
    assert issue(client, world, draft).status_code == 409
    assert (
        client.get(f"/api/v1/plans/{plan.id}/reports", headers=world.headers("viewer")).json() == []
    )
    on_the_plan_day = issue(client, world, plan, issued_on="2025-03-10", as_of="2025-03-10")
    assert on_the_plan_day.status_code == 201 and on_the_plan_day.json()["symbol"] == "01/BC-THNBK"


def test_a_plan_without_a_date_dates_from_the_day_it_was_written(client, world, figures, db):
    _, plan = figures
    plan.issued_on = None
    db.commit()
    assert issue(client, world, plan, issued_on="2025-03-09").status_code == 422
    assert issue(client, world, plan, issued_on="2025-03-10").status_code == 201


def test_symbols_stay_unique_per_issuer_and_year(client, world, figures, db):
    """Numbers restart every year (Decree 30), so a symbol names one report of its issuer in
    a year; the database refuses a second, whatever wrote it."""
    _, plan = figures
    first = issue(client, world, plan).json()
    next_year = issue(client, world, plan, issued_on="2026-01-05").json()
    assert first["symbol"] == next_year["symbol"] == "01/BC-THNBK"
    world.school.abbreviation = "NBK"
    db.commit()
    assert issue(client, world, plan).json()["symbol"] == "02/BC-NBK"
    report = db.get(Report, first["id"])
    with pytest.raises(sa.exc.IntegrityError), db.begin_nested():
        db.add(
            Report(
                **report.model_dump(exclude={"id", "number", "created_at"}),
                number=99,
            )
        )
        db.flush()
    with pytest.raises(sa.exc.IntegrityError), db.begin_nested():
        db.add(
            Plan(
                **plan.model_dump(
                    exclude={"id", "number", "parent_plan_id", "created_at", "updated_at"}
                ),
                number=99,
            )
        )
        db.flush()


def test_a_report_issued_before_freezing_is_frozen_on_first_read(client, world, figures, db):
    """Issued before reports were frozen: its figures were computed at each download. The
    first read computes them as that download would have, stores them and keeps them."""
    _, plan = figures
    legacy = Report(
        plan_id=plan.id,
        organization_id=world.school.id,
        number=1,
        year=2025,
        symbol="01/BC-THNBK",
        issued_on=date(2025, 4, 15),
        title="Kết quả học tập",
        recipients=["Lưu: VT"],
    )
    db.add(legacy)
    db.commit()
    listed = client.get(f"/api/v1/plans/{plan.id}/reports", headers=world.headers("viewer"))
    assert listed.json()[0]["frozen_at"] is None
    first = what_it_says(client, world, legacy.id)
    db.refresh(legacy)
    assert legacy.frozen_at and legacy.figures["confirmed"] == 2
    assert legacy.document_sha256 == hashlib.sha256(first["document"]).hexdigest()
    events = db.exec(
        sa.select(AuditEvent.action, AuditEvent.actor_label).where(
            AuditEvent.entity_type == "report", AuditEvent.entity_id == str(legacy.id)
        )
    ).all()
    assert events == [("report.freeze", "district")]
    ack(
        db,
        plan,
        db.exec(sa.select(Participant).where(Participant.staff_code == "HT001")).scalar_one(),
        "2025-04-01",
    )
    db.commit()
    assert what_it_says(client, world, legacy.id) == first


def test_who_reads_an_issued_report(client, world, figures):
    _, plan = figures
    report_id = issue(client, world, plan).json()["id"]
    for path in ("", "/figures", "/document"):
        url = f"/api/v1/reports/{report_id}{path}"
        for caller, expected in [
            ("anonymous", 401),
            ("member", 403),
            ("other_admin", 404),
            ("token", 200),
            ("admin", 200),
        ]:
            assert client.get(url, headers=world.headers(caller)).status_code == expected, (
                path,
                caller,
            )
    assert client.get("/api/v1/reports/999999", headers=world.headers("viewer")).status_code == 404


def test_archived_units_and_outreach_count_before_they_were_archived(client, world, figures, db):
    _, plan = figures
    admin = world.headers("admin")
    video = db.exec(sa.select(Activity).where(Activity.kind == "video")).scalar_one()
    archived = client.post(
        f"/api/v1/activities/{video.id}/archive", headers=world.headers("manager")
    )
    assert archived.status_code == 200
    assert (
        client.post(
            f"/api/v1/units/{world.units['Công đoàn'].id}/archive", headers=admin
        ).status_code
        == 200
    )
    removed = client.delete(
        f"/api/v1/units/{world.units['Tổ 1'].id}/members/{world.teacher.id}", headers=admin
    )
    assert removed.status_code == 204
    then = get(client, world, f"/api/v1/plans/{plan.id}/progress", as_of="2025-04-15").json()
    assert (then["outreach"]["total"], then["outreach"]["reach"]) == (2, 150)
    units = {u["unit_name"]: u["audience"] for u in then["by_unit"]}
    assert units == {"Tổ 1": 2, "Công đoàn": 1, "Ban giám hiệu": 1}
    now = get(client, world, f"/api/v1/plans/{plan.id}/progress").json()
    assert (now["outreach"]["total"], now["outreach"]["reach"]) == (1, 50)
    assert {u["unit_name"]: u["audience"] for u in now["by_unit"]} == {
        "Tổ 1": 1,
        "Ban giám hiệu": 1,
    }
    assert {p["full_name"]: p["units"] for p in now["pending"]} == {"Bùi Can": ["Ban giám hiệu"]}


def test_a_report_whose_symbol_is_not_ascii_downloads_under_its_name(client, world, db):
    """The district's abbreviation is PGDĐT: its report 01/BC-PGDĐT was a 500 (a header
    value must be Latin-1); the name now travels in `filename*`, with a plain fallback."""
    from urllib.parse import unquote

    from app.authz import Role
    from tests.factories import login_token, make_user

    plan = make_plan(db, world.district, issued_on=date(2025, 3, 4))
    officer = make_user(db, "truong-phong", world.district, Role.ADMIN)
    headers = {"Authorization": f"Bearer {login_token(db, officer)}"}
    db.commit()
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports", headers=headers, json={"assessment": ASSESSMENT}
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["symbol"] == "01/BC-PGDĐT"
    report_id = issued.json()["id"]
    document = client.get(f"/api/v1/reports/{report_id}/document", headers=headers)
    assert document.status_code == 200, document.text
    disposition = document.headers["content-disposition"]
    assert 'filename="bao-cao-01-BC-PGDDT.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "bao-cao-01-BC-PGDĐT.docx"
    figures = client.get(f"/api/v1/reports/{report_id}/figures?format=csv", headers=headers)
    assert figures.status_code == 200, figures.text
    assert "so-lieu-bao-cao-01-BC-PGDDT" in figures.headers["content-disposition"]
