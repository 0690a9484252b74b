"""`lantoa demo`: the seed plan as live data, so every screen and report shows something true.

Loads once: if the district already exists, nothing is written again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.auth.models import RoleAssignment, User
from app.authz import Role
from app.core.security import hash_password
from app.core.text import fold
from app.demo import seed_plan
from app.demo.activity import add_study_activity
from app.demo.contest import add_contest
from app.demo.earlier_year import add_earlier_year
from app.demo.outreach import add_outreach
from app.demo.people import DemoPerson, school_staff
from app.demo.quiz import add_quiz
from app.documents.models import DocumentCounter
from app.links import service as links
from app.links.schemas import LinkIssued
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan, PlanMaterial
from app.reminders.models import ReminderPolicy
from app.reminders.schemas import PolicyInput

DISTRICT_CODE = "ubnd-thanh-khe"
SCHOOL_CODE = "th-nguyen-binh-khiem"
DEMO_PASSWORD = "lantoa2025"
DEMO_TEACHER_CODE = "GV001"
SCHOOL_UNITS = [
    ("Ban giám hiệu", "leadership"),
    ("Công đoàn", "union"),
    ("Chi đoàn thanh niên", "youth"),
    ("Tổ 1", "professional"),
    ("Tổ 2", "professional"),
    ("Tổ 3", "professional"),
    ("Tổ 4", "professional"),
    ("Tổ 5", "professional"),
    ("Tổ Tiếng Anh - Năng khiếu", "professional"),
    ("Tổ Văn phòng", "office"),
]
OTHER_SCHOOLS = [
    ("th-hoang-van-thu", "Trường Tiểu học Hoàng Văn Thụ", "THHVT", True),
    ("th-tran-cao-van", "Trường Tiểu học Trần Cao Vân", "THTCV", False),
]


# Records carry the dates they would have had, so reports "as of" a past day are true: the
# staff have been on the roll since the school year 2023–2024, whose plan the demo also has.
ON_STAFF_SINCE = datetime(2023, 8, 15, 1, 0, tzinfo=UTC)


@dataclass
class DemoLogin:
    username: str
    role: str
    who: str


@dataclass
class DemoResult:
    created: bool
    logins: list[DemoLogin]
    password: str = DEMO_PASSWORD


LOGINS = [
    DemoLogin("hieutruong", "admin", "Bùi Can — Hiệu trưởng (quản trị trường)"),
    DemoLogin("phohieutruong", "manager", "Phó Hiệu trưởng (quản lý kế hoạch, nhiệm vụ)"),
    DemoLogin(
        "gv001", "member", "Giáo viên Tổ 1 (chưa xác nhận: thử xác nhận, điểm danh, bài kiểm tra)"
    ),
    DemoLogin("phonggd", "viewer", "Chuyên viên UBND quận (xem báo cáo các trường)"),
    DemoLogin("quantriquan", "admin", "Quản trị UBND quận (chuyển trường, thời hạn lưu dữ liệu)"),
]


def demo_loaded(db: Session) -> bool:
    return orgs.get_org_by_code(db, DISTRICT_CODE) is not None


def load_demo(db: Session) -> DemoResult:
    if demo_loaded(db):
        return DemoResult(created=False, logins=LOGINS)
    district = orgs.insert_org(
        db,
        None,
        Organization(
            kind="district",
            name="UBND quận Thanh Khê",
            code=DISTRICT_CODE,
            abbreviation="UBND",
            place_name="Thanh Khê",
        ),
        None,
    )
    school = orgs.insert_org(
        db,
        None,
        Organization(
            kind="school",
            name="Trường Tiểu học Nguyễn Bỉnh Khiêm",
            code=SCHOOL_CODE,
            abbreviation="THNBK",
            place_name="Thanh Khê",
            address="Thanh Khê, Đà Nẵng",
        ),
        district,
    )
    units = {name: _unit(db, school, name, kind) for name, kind in SCHOOL_UNITS}
    staff = [_person(db, school, person, units) for person in school_staff()]
    by_code = {p.staff_code: p for p in staff}

    password = hash_password(DEMO_PASSWORD)
    _login(db, "hieutruong", school, Role.ADMIN, password, by_code["HT001"])
    _login(db, "phohieutruong", school, Role.MANAGER, password, by_code["PHT001"])
    _login(db, "gv001", school, Role.MEMBER, password, by_code["GV001"])
    _login(db, "phonggd", district, Role.VIEWER, password, None, "Chuyên viên UBND quận Thanh Khê")
    _login(db, "quantriquan", district, Role.ADMIN, password, None, "Quản trị UBND quận Thanh Khê")

    add_earlier_year(db, school, staff, by_code["HT001"], _issued)
    district_plan = _district_plan(db, district)
    school_plan = _school_plan(db, school, district_plan, plans.today())
    for code, name, abbreviation, adopted in OTHER_SCHOOLS:
        other = orgs.insert_org(
            db,
            None,
            Organization(
                kind="school",
                name=name,
                code=code,
                abbreviation=abbreviation,
                place_name="Thanh Khê",
            ),
            district,
        )
        for index in range(8):
            _person(
                db,
                other,
                DemoPerson(
                    f"Cán bộ {index + 1:02d} {abbreviation}", f"CB{index + 1:03d}", "Giáo viên"
                ),
                {},
            )
        if adopted:
            _issued(
                db,
                Plan(
                    organization_id=other.id,
                    parent_plan_id=district_plan.id,
                    title=district_plan.title,
                    resolution=seed_plan.RESOLUTION,
                    sections=seed_plan.SECTIONS,
                    period_start=date(2025, 3, 1),
                    place_name="Thanh Khê",
                    signer_title="HIỆU TRƯỞNG",
                    signer_name="Hiệu trưởng",
                    recipients=["UBND quận Thanh Khê", "Lưu: VT"],
                ),
                other,
                date(2025, 3, 12),
            )
    add_outreach(db, school, school_plan, units)
    add_study_activity(db, school_plan, staff, units, by_code["HT001"], plans.today())
    add_quiz(db, district_plan, school_plan)
    add_contest(db, district_plan, staff, plans.today())
    return DemoResult(created=True, logins=LOGINS)


def demo_teacher_link(db: Session, base_url: str) -> LinkIssued | None:
    """A fresh personal link for the demo teacher, printed on start so anyone can try it."""
    school = orgs.get_org_by_code(db, SCHOOL_CODE)
    teacher = (
        db.exec(
            sa.select(Participant).where(
                Participant.organization_id == school.id,
                Participant.staff_code == DEMO_TEACHER_CODE,
            )
        ).scalar_one_or_none()
        if school
        else None
    )
    return links.issue_for_demo(db, teacher, base_url) if teacher else None


def _unit(db: Session, org: Organization, name: str, kind: str) -> Unit:
    unit = Unit(organization_id=org.id, name=name, search_key=fold(name), kind=kind)
    db.add(unit)
    db.flush()
    return unit


def _person(
    db: Session, org: Organization, person: DemoPerson, units: dict[str, Unit]
) -> Participant:
    participant = Participant(
        organization_id=org.id,
        full_name=person.full_name,
        staff_code=person.staff_code,
        position=person.position,
        email=person.email,
        phone=person.phone,
        created_at=ON_STAFF_SINCE,
    )
    db.add(participant)
    db.flush()
    for name in person.units:
        db.add(
            UnitMembership(
                unit_id=units[name].id,
                participant_id=participant.id,
                is_leader=name in person.leader_of,
                started_at=ON_STAFF_SINCE,
            )
        )
    return participant


def _login(
    db: Session,
    username: str,
    org: Organization,
    role: Role,
    password_hash: str,
    participant: Participant | None,
    display_name: str | None = None,
) -> User:
    user = User(
        username=username,
        display_name=display_name or participant.full_name,
        participant_id=participant.id if participant else None,
        password_hash=password_hash,
    )
    db.add(user)
    db.flush()
    db.add(RoleAssignment(user_id=user.id, organization_id=org.id, role=role))
    return user


def _issued(
    db: Session, plan: Plan, org: Organization, issued_on: date, number: int | None = None
) -> Plan:
    """Issue a demo plan with the number it really had (the counter moves on from it)."""
    counter = db.exec(
        sa.select(DocumentCounter).where(
            DocumentCounter.organization_id == org.id,
            DocumentCounter.doc_type == "KH",
            DocumentCounter.year == issued_on.year,
        )
    ).scalar_one_or_none()
    if counter is None:
        counter = DocumentCounter(organization_id=org.id, doc_type="KH", year=issued_on.year)
        db.add(counter)
    counter.last_number = number or counter.last_number + 1
    plan.status, plan.issued_on, plan.year, plan.number = (
        "active",
        issued_on,
        issued_on.year,
        counter.last_number,
    )
    plan.symbol = f"{plan.number:02d}/KH-{org.abbreviation}"
    plan.created_at = datetime(issued_on.year, issued_on.month, issued_on.day, 1, tzinfo=UTC)
    db.add(plan)
    db.flush()
    return plan


def _district_plan(db: Session, district: Organization) -> Plan:
    plan = _issued(
        db,
        Plan(
            organization_id=district.id,
            title=seed_plan.DISTRICT_TITLE,
            resolution=seed_plan.RESOLUTION,
            legal_basis=[seed_plan.RESOLUTION],
            sections=seed_plan.SECTIONS[:2],
            period_start=date(2025, 3, 1),
            place_name="Thanh Khê",
            recipients=["Các trường học trên địa bàn quận", "Lưu: VT"],
            signer_title="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            signer_name="Phó Chủ tịch UBND quận",
        ),
        district,
        date(2025, 3, 4),
        number=470,
    )
    for position, (title, url, summary) in enumerate(seed_plan.MATERIALS, start=1):
        db.add(
            PlanMaterial(plan_id=plan.id, title=title, url=url, summary=summary, position=position)
        )
    return plan


def _school_plan(db: Session, school: Organization, district_plan: Plan, today: date) -> Plan:
    """The school's plan asks for the reflection later, by a deadline two weeks ahead: the
    demo teacher confirms in one tap and writes her reflection afterwards."""
    counter = DocumentCounter(organization_id=school.id, doc_type="KH", year=2025, last_number=4)
    db.add(counter)
    plan = _issued(
        db,
        Plan(
            organization_id=school.id,
            parent_plan_id=district_plan.id,
            title=seed_plan.SCHOOL_TITLE,
            resolution=seed_plan.RESOLUTION,
            preamble=seed_plan.PREAMBLE,
            closing=seed_plan.CLOSING,
            legal_basis=[
                seed_plan.RESOLUTION,
                "Kế hoạch số 470/KH-UBND ngày 04/3/2025 của UBND quận Thanh Khê",
            ],
            sections=seed_plan.SECTIONS,
            period_start=date(2025, 3, 1),
            place_name="Thanh Khê",
            recipients=seed_plan.RECIPIENTS,
            signer_name="Bùi Can",
            signer_title="HIỆU TRƯỞNG",
            reflection_required=True,
            reflection_min_length=200,
            reflection_timing="later",
            reflection_due_on=today + timedelta(days=14),
        ),
        school,
        date(2025, 3, 10),
    )
    for position, (title, url, summary) in enumerate(seed_plan.MATERIALS, start=1):
        db.add(
            PlanMaterial(plan_id=plan.id, title=title, url=url, summary=summary, position=position)
        )
    # The school asks its staff to confirm within the week, and is reminded as it nears.
    settings = PolicyInput(confirmation_due_on=today + timedelta(days=7))
    db.add(
        ReminderPolicy(
            organization_id=school.id,
            plan_id=plan.id,
            **settings.model_dump(exclude={"rules"}),
            rules=settings.rules.model_dump(),
        )
    )
    return plan
