"""Builders for test data straight into the DB: organisations, people, logins, tokens, tasks,
and a report's history."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.auth.models import ApiToken, LoginSession, RoleAssignment, User
from app.authz import Role
from app.core.security import API_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, hash_password, new_token
from app.core.text import fold
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership
from app.people.models import Participant
from app.quizzes.models import QuizAttempt, QuizSettings
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

PASSWORD = "mat-khau-2025"


@cache
def password_hash() -> str:
    """Hash once: argon2 is deliberately slow, and every test user shares the password."""
    return hash_password(PASSWORD)


def make_org(
    db: Session,
    code: str,
    name: str,
    parent: Organization | None = None,
    kind: str = "school",
    abbreviation: str | None = None,
) -> Organization:
    org = Organization(kind=kind, name=name, code=code, abbreviation=abbreviation or code.upper())
    return orgs.insert_org(db, None, org, parent)


def make_unit(db: Session, org: Organization, name: str) -> Unit:
    unit = Unit(organization_id=org.id, name=name, search_key=fold(name))
    db.add(unit)
    db.flush()
    return unit


def make_participant(
    db: Session,
    org: Organization,
    full_name: str,
    staff_code: str,
    units: list[Unit] = (),
    **values,
) -> Participant:
    participant = Participant(
        organization_id=org.id, full_name=full_name, staff_code=staff_code, **values
    )
    db.add(participant)
    db.flush()
    for unit in units:
        db.add(
            UnitMembership(
                unit_id=unit.id, participant_id=participant.id, started_at=participant.created_at
            )
        )
    db.flush()
    return participant


def make_user(
    db: Session,
    username: str,
    org: Organization,
    role: Role,
    participant: Participant | None = None,
) -> User:
    user = User(
        username=username,
        display_name=participant.full_name if participant else username,
        participant_id=participant.id if participant else None,
        password_hash=password_hash(),
    )
    db.add(user)
    db.flush()
    db.add(RoleAssignment(user_id=user.id, organization_id=org.id, role=role))
    db.flush()
    return user


def lead(db: Session, person: Participant, unit: Unit) -> None:
    """Make the person, a member of the unit, its leader."""
    membership = db.exec(
        sa.select(UnitMembership).where(
            UnitMembership.unit_id == unit.id, UnitMembership.participant_id == person.id
        )
    ).scalar_one()
    membership.is_leader = True
    db.commit()


def login_token(db: Session, user: User) -> str:
    token, digest = new_token(SESSION_TOKEN_PREFIX)
    db.add(
        LoginSession(
            user_id=user.id, token_hash=digest, expires_at=datetime.now(UTC) + timedelta(hours=1)
        )
    )
    db.flush()
    return token


def api_token(
    db: Session, org: Organization, creator: User, scopes: list[str], **values
) -> tuple[ApiToken, str]:
    token, digest = new_token(API_TOKEN_PREFIX)
    values.setdefault("expires_at", datetime.now(UTC) + timedelta(days=365))
    row = ApiToken(
        organization_id=org.id,
        created_by_id=creator.id,
        name="test token",
        token_hash=digest,
        token_prefix=token[:10],
        scopes=scopes,
        **values,
    )
    db.add(row)
    db.flush()
    return row, token


@dataclass
class World:
    """A district with two schools; people and callers of every kind."""

    district: Organization
    school: Organization
    other_school: Organization
    units: dict[str, Unit]
    teacher: Participant
    colleague: Participant
    other_teacher: Participant
    users: dict[str, User]
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        return {} if caller == "anonymous" else {"Authorization": f"Bearer {self.tokens[caller]}"}


def build_world(db: Session) -> World:
    district = make_org(
        db, "pgd-thanh-khe", "Phòng GDĐT quận Thanh Khê", kind="district", abbreviation="PGDĐT"
    )
    school = make_org(
        db, "th-nbk", "Trường Tiểu học Nguyễn Bỉnh Khiêm", district, abbreviation="THNBK"
    )
    other = make_org(db, "th-other", "Trường Tiểu học Khác", district, abbreviation="THK")
    units = {name: make_unit(db, school, name) for name in ("Ban giám hiệu", "Tổ 1", "Công đoàn")}
    teacher = make_participant(
        db, school, "Nguyễn Thị Mai", "GV001", [units["Tổ 1"]], email="mai@example.vn"
    )
    colleague = make_participant(
        db, school, "Trần Văn Hùng", "GV002", [units["Tổ 1"], units["Công đoàn"]]
    )
    principal = make_participant(
        db, school, "Bùi Can", "HT001", [units["Ban giám hiệu"]], position="Hiệu trưởng"
    )
    other_teacher = make_participant(db, other, "Lê Thị Hoa", "GV001")
    users = {
        "admin": make_user(db, "admin", school, Role.ADMIN, principal),
        "manager": make_user(db, "manager", school, Role.MANAGER),
        "member": make_user(db, "gv001", school, Role.MEMBER, teacher),
        "viewer": make_user(db, "district", district, Role.VIEWER),
        "other_admin": make_user(db, "other-admin", other, Role.ADMIN),
    }
    world = World(district, school, other, units, teacher, colleague, other_teacher, users)
    for name, user in users.items():
        world.tokens[name] = login_token(db, user)
    _, world.tokens["token"] = api_token(db, district, users["viewer"], ["reports:read"])
    _, world.tokens["people_token"] = api_token(
        db, district, users["viewer"], ["people:read", "orgs:read"]
    )
    db.commit()
    return world


def make_plan(
    db: Session,
    org: Organization,
    title: str = "Kế hoạch học tập Nghị quyết 57-NQ/TW",
    status: str = "active",
    **values,
):
    """A plan straight into the DB (status as given; issued plans get a number)."""
    from datetime import date

    from app.documents import service as documents
    from app.plans.models import Plan

    values.setdefault("period_start", date(2025, 3, 1))
    plan = Plan(organization_id=org.id, title=title, status=status, **values)
    if status != "draft":
        plan.issued_on = plan.issued_on or date(2025, 3, 5)
        plan.year = plan.issued_on.year
        plan.number = documents.next_number(
            db, organization_id=org.id, doc_type="KH", year=plan.year
        )
        plan.symbol = documents.symbol(plan.number, "KH", org.abbreviation)
    db.add(plan)
    db.flush()
    return plan


def make_task(
    db: Session,
    plan,
    *,
    person: Participant | None = None,
    unit: Unit | None = None,
    **values,
) -> Task:
    """A task of the plan assigned to a person or a unit, committed; a done one has been
    completed (when the plan was written, unless given)."""
    values.setdefault("title", "Viết bài tuyên truyền Nghị quyết 57")
    if values.get("status") == "done":
        values.setdefault("completed_at", plan.created_at)
    task = Task(
        plan_id=plan.id,
        organization_id=plan.organization_id,
        assignee_participant_id=person.id if person else None,
        assignee_unit_id=unit.id if unit else None,
        **values,
    )
    db.add(task)
    db.commit()
    return task


# A report's history


VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> datetime:
    """The hour (9 o'clock unless given) of a day in Vietnam, in UTC."""
    return (
        datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=VN)
        .replace(hour=hour)
        .astimezone(UTC)
    )


def ack(db: Session, plan, person: Participant, day: str, **values) -> Acknowledgement:
    """The person's confirmation of the plan's current material at 9 o'clock of the day."""
    record = Acknowledgement(
        plan_id=plan.id,
        participant_id=person.id,
        organization_id=plan.organization_id,
        material_major=plan.material_major,
        confirmed_at=at(day),
        method="self",
        **values,
    )
    db.add(record)
    return record


def quiz_settings(db: Session, plan, day: str, **values) -> QuizSettings:
    """The plan's quiz, set up at 9 o'clock of the day (80 % to pass, two attempts)."""
    settings = QuizSettings(plan_id=plan.id, created_at=at(day), **values)
    db.add(settings)
    return settings


def quiz_attempt(
    db: Session, plan, person: Participant, day: str, percent: int, **values
) -> QuizAttempt:
    """Her next attempt at the plan's quiz (of its current material unless `material_major` is
    given), submitted at 10 o'clock of the day with this score out of 10, passed at 80 %."""
    major = values.pop("material_major", plan.material_major)
    taken = db.exec(
        sa.select(sa.func.count()).where(
            QuizAttempt.plan_id == plan.id,
            QuizAttempt.participant_id == person.id,
            QuizAttempt.material_major == major,
        )
    ).scalar_one()
    attempt = QuizAttempt(
        plan_id=plan.id,
        participant_id=person.id,
        material_major=major,
        number=taken + 1,
        status="submitted",
        started_at=at(day, 9),
        deadline_at=at(day, 10),
        submitted_at=at(day, 10),
        pass_percent=80,
        total=10,
        score=percent // 10,
        percent=percent,
        passed=percent >= 80,
        **values,
    )
    db.add(attempt)
    db.flush()
    return attempt


def held_session(db: Session, plan, marks, **values) -> StudySession:
    """A session of the plan held on 15/3, with the marks given as (participant, status)."""
    session = StudySession(
        plan_id=plan.id,
        organization_id=plan.organization_id,
        title="Học tập NQ57",
        starts_at=at("2025-03-15", 7),
        ends_at=at("2025-03-15", 10),
        status="held",
        checkin_secret=secrets.token_hex(32),
        created_at=at("2025-03-11"),
        **values,
    )
    db.add(session)
    db.flush()
    for person, status in marks:
        db.add(
            Attendance(
                session_id=session.id,
                participant_id=person.id,
                status=status,
                method="marked",
                recorded_at=at("2025-03-15", 10),
            )
        )
    return session


def report_history(db: Session, world: World):
    """The district's plan and the school's plan adopted from it, with a known history:

    - staff: Nguyễn Thị Mai (Tổ 1), Trần Văn Hùng (Tổ 1, Công đoàn), Bùi Can (Ban giám hiệu);
    - Mai confirmed 16/3 with a reflection graded Tốt on 25/3; Hùng confirmed 20/3; Can not yet;
    - one held session on 15/3: Mai present, Hùng late, Can absent;
    - tasks: one due 31/3 done on 01/4, one due 25/3 still open (overdue);
    - outreach: a video (reach 100) on 18/3 and an article (reach 50) on 05/4.
    """
    db.exec(sa.update(Participant).values(created_at=at("2025-01-02")))
    db.exec(sa.update(UnitMembership).values(started_at=at("2025-01-02")))
    district_plan = make_plan(db, world.district, issued_on=date(2025, 3, 4))
    plan = make_plan(db, world.school, parent_plan_id=district_plan.id, issued_on=date(2025, 3, 10))
    plan.created_at = at("2025-03-10")
    ack(
        db,
        plan,
        world.teacher,
        "2025-03-16",
        reflection="Bài thu hoạch …",
        reflection_submitted_at=at("2025-03-16"),
        grade="tot",
        graded_at=at("2025-03-25"),
    )
    ack(db, plan, world.colleague, "2025-03-20")
    principal = db.exec(
        sa.select(Participant).where(Participant.staff_code == "HT001")
    ).scalar_one()
    held_session(
        db, plan, [(world.teacher, "present"), (world.colleague, "late"), (principal, "absent")]
    )
    db.add(
        Task(
            plan_id=plan.id,
            organization_id=world.school.id,
            title="Xây dựng kế hoạch năm",
            assignee_unit_id=world.units["Tổ 1"].id,
            due_on=date(2025, 3, 31),
            status="done",
            completed_at=at("2025-04-01"),
            created_at=at("2025-03-11"),
        )
    )
    db.add(
        Task(
            plan_id=plan.id,
            organization_id=world.school.id,
            title="Cập nhật kho học liệu",
            assignee_participant_id=world.teacher.id,
            due_on=date(2025, 3, 25),
            status="todo",
            created_at=at("2025-03-11"),
        )
    )
    db.add(
        Activity(
            organization_id=world.school.id,
            plan_id=plan.id,
            kind="video",
            title="Video",
            happened_on=date(2025, 3, 18),
            reach=100,
        )
    )
    db.add(
        Activity(
            organization_id=world.school.id,
            plan_id=plan.id,
            kind="article",
            title="Bài viết",
            happened_on=date(2025, 4, 5),
            reach=50,
        )
    )
    db.commit()
    return district_plan, plan
