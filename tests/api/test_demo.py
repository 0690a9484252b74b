"""The demo: the seed plan loaded as real data, once."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo.loader import DEMO_PASSWORD, load_demo
from app.people.models import Participant


def test_demo_loads_the_seed_plan_once(client, db):
    first = load_demo(db)
    assert first.created
    assert not load_demo(db).created
    staff = db.exec(sa.select(sa.func.count()).select_from(Participant)).one()[0]
    assert 40 <= staff <= 60

    login = client.post(
        "/api/v1/auth/login", json={"username": "hieutruong", "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    plans = {p["symbol"]: p for p in client.get("/api/v1/plans", headers=headers).json()["items"]}
    assert {"470/KH-UBND", "05/KH-THNBK"} <= set(plans)
    school_plan = client.get(f"/api/v1/plans/{plans['05/KH-THNBK']['id']}", headers=headers).json()
    assert school_plan["signer_name"] == "Bùi Can" and school_plan["signer_title"] == "HIỆU TRƯỞNG"
    assert school_plan["date_line"] == "Thanh Khê, ngày 10 tháng 3 năm 2025"
    assert [s["heading"] for s in school_plan["sections"]] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG, QUÁN TRIỆT VÀ TUYÊN TRUYỀN",
        "TỔ CHỨC THỰC HIỆN",
    ]
    assert school_plan["recipients"][-1] == "Lưu: VT, HT"
    assert school_plan["parent_plan"]["symbol"] == "470/KH-UBND"
    people = client.get("/api/v1/participants", params={"q": "bui can"}, headers=headers).json()
    assert people["items"][0]["position"] == "Hiệu trưởng"

    district = client.post(
        "/api/v1/auth/login", json={"username": "phonggd", "password": DEMO_PASSWORD}
    )
    district_headers = {"Authorization": f"Bearer {district.json()['access_token']}"}
    adoptions = client.get(
        f"/api/v1/plans/{plans['470/KH-UBND']['id']}/adoptions", headers=district_headers
    ).json()
    assert sorted(row["plan"] is not None for row in adoptions) == [False, True, True]
    outreach = client.get("/api/v1/activities", headers=district_headers).json()
    assert outreach["total"] >= 6


def test_demo_has_study_activity_in_varied_states(client, db):
    from app.acknowledgements.models import Acknowledgement
    from app.demo.loader import demo_teacher_link
    from app.study_sessions.models import StudySession
    from app.tasks.models import Task

    load_demo(db)
    statuses = set(db.exec(sa.select(Task.status)).scalars())
    assert {"todo", "in_progress", "done"} <= statuses
    kinds = set(db.exec(sa.select(StudySession.status)).scalars())
    assert {"held", "scheduled"} <= kinds
    methods = set(db.exec(sa.select(Acknowledgement.method)).scalars())
    assert {"self", "link", "on_behalf"} <= methods
    graded = db.exec(sa.select(sa.func.count()).where(Acknowledgement.grade.is_not(None))).one()[0]
    assert graded > 0

    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    page = client.get(f"/api/v1/links/{link.token}").json()
    assert page["person"]["full_name"] == link.full_name
    assert page["pending_count"] == 1  # the demo teacher is left to confirm herself
    assert any(s["checkin_open"] for s in page["sessions"])


def test_demo_teacher_sees_her_record_across_two_school_years(client, db):
    from app.demo.loader import demo_teacher_link

    load_demo(db)
    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    record = client.get(f"/api/v1/links/{link.token}/history").json()
    assert [year["label"] for year in record["years"]] == ["2024–2025", "2023–2024"]
    earlier = record["years"][1]["plans"][0]
    assert earlier["plan"]["symbol"] == "01/KH-THNBK" and earlier["plan"]["status"] == "closed"
    [confirmation] = earlier["confirmations"]
    assert confirmation["current"] and confirmation["grade"] in {"tot", "kha"}
    assert confirmation["reflection"].startswith("Nghị quyết 45-NQ/TW")
    assert [mark["status"] for mark in earlier["attendance"]] == ["present"]
    login = client.post(
        "/api/v1/auth/login", json={"username": "hieutruong", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    shown = client.get(f"/api/v1/plans/{earlier['plan']['id']}", headers=headers)
    assert shown.status_code == 200, shown.text  # its sections read as a plan's do
    # The closed plan of the year before is done with: it leaves her one plan to confirm.
    page = client.get(f"/api/v1/links/{link.token}").json()
    assert page["pending_count"] == 1
