# ruff: noqa: E501 - sample Vietnamese text kept as whole sentences
"""The demo school's study so far: tasks, sessions and attendance, confirmations, reflections.

Generated the same way each time (a fixed random seed) in varied states, so that every
screen and report has something true to show.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.core.config import current_settings
from app.demo import seed_plan
from app.orgs.models import Unit
from app.people.models import Participant
from app.plans.models import Plan
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task, TaskEvidence

REFLECTIONS = [
    "Qua học tập Nghị quyết 57-NQ/TW, tôi nhận thức rõ khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi "
    "số là đột phá phát triển hàng đầu. Bản thân tôi sẽ tích cực khai thác Kho học liệu e-Learning, soạn bài "
    "giảng điện tử, hướng dẫn học sinh sử dụng mạng an toàn và chia sẻ kinh nghiệm với đồng nghiệp trong tổ.",
    "Điểm mới của Nghị quyết là coi chuyển đổi số là động lực then chốt, đặt mục tiêu kinh tế số đạt ít nhất "
    "30% GDP vào năm 2030. Liên hệ bản thân: tôi cam kết học thêm kỹ năng số, dùng Office 365 trong soạn "
    "giảng và cập nhật ngân hàng đề kiểm tra định kỳ của nhà trường đúng hạn.",
    "Tôi rút ra bài học về trách nhiệm của mỗi viên chức trong thực hiện chuyển đổi số ở nhà trường. Tôi sẽ "
    "ứng dụng phần mềm quản lý, số hóa hồ sơ chuyên môn, tham gia tuyên truyền đến phụ huynh học sinh về các "
    "dịch vụ giáo dục trực tuyến và an toàn thông tin khi sử dụng mạng xã hội.",
]


def at_school_hour(day: date, hour: int, minute: int = 0) -> datetime:
    """That hour of the day where the school is (the app's time zone), in UTC."""
    zone = current_settings().zone
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)


def add_study_activity(
    db: Session,
    plan: Plan,
    staff: list[Participant],
    units: dict[str, Unit],
    principal: Participant,
    today: date,
) -> None:
    rng = random.Random(2025)
    _tasks(db, plan, units, principal, today, rng)
    _sessions(db, plan, staff, rng, today)
    _acknowledgements(db, plan, staff, rng)


def _tasks(
    db: Session,
    plan: Plan,
    units: dict[str, Unit],
    principal: Participant,
    today: date,
    rng: random.Random,
) -> None:
    states = ["done", "done", "in_progress", "done", "todo", "in_progress", "todo", "todo", "done"]
    for index, ((section, title, who), status) in enumerate(
        zip(seed_plan.TASKS, states, strict=True)
    ):
        due = date(2025, 4, 30) + timedelta(days=45 * index)
        if status != "done" and due < today and index % 2:
            due = today + timedelta(days=5 + index)  # some still ahead, some overdue
        task = Task(
            created_at=at_school_hour(date(2025, 3, 11), 8),
            plan_id=plan.id,
            organization_id=plan.organization_id,
            title=title,
            section=section,
            assignee_participant_id=principal.id if who == "principal" else None,
            assignee_unit_id=None if who == "principal" else units[who].id,
            due_on=due,
            priority="high" if index < 2 else "normal",
            status=status,
            recurrence="yearly" if index == 1 else "none",
            completed_at=at_school_hour(due - timedelta(days=3), 16) if status == "done" else None,
        )
        db.add(task)
        db.flush()
        if status == "done":
            db.add(
                TaskEvidence(
                    task_id=task.id,
                    kind="link",
                    url=f"http://thnguyenbinhkhiem.edu.vn/minh-chung/{task.id}",
                    note="Minh chứng đã cập nhật lên website nhà trường.",
                    submitted_by_participant_id=principal.id,
                    review_status="accepted" if index != 3 else "pending",
                    reviewed_at=at_school_hour(due - timedelta(days=1), 9) if index != 3 else None,
                )
            )


def _sessions(
    db: Session, plan: Plan, staff: list[Participant], rng: random.Random, today: date
) -> None:
    held = [
        (
            "study",
            "Học tập, quán triệt Nghị quyết số 57-NQ/TW",
            date(2025, 3, 15),
            "Hội trường nhà trường",
            "Bùi Can",
        ),
        (
            "makeup",
            "Học bù Nghị quyết 57-NQ/TW cho CBVC vắng buổi chính",
            date(2025, 3, 22),
            "Phòng họp Hội đồng",
            "Phó Hiệu trưởng",
        ),
        (
            "seminar",
            "Tọa đàm: chuyển đổi số trong dạy học tiểu học",
            date(2025, 4, 22),
            "Hội trường nhà trường",
            "Tổ Tiếng Anh - Năng khiếu",
        ),
    ]
    absent_first: list[Participant] = []
    for kind, title, day, place, presenter in held:
        session = StudySession(
            created_at=at_school_hour(date(2025, 3, 11), 8),
            plan_id=plan.id,
            organization_id=plan.organization_id,
            kind=kind,
            title=title,
            starts_at=at_school_hour(day, 7, 30),
            ends_at=at_school_hour(day, 10, 30),
            place=place,
            presenter=presenter,
            status="held",
            minutes=f"Buổi {title.lower()} đã diễn ra đúng kế hoạch.",
            checkin_secret=secrets.token_hex(32),
        )
        db.add(session)
        db.flush()
        people = absent_first if kind == "makeup" else staff
        for person in people:
            roll = rng.random()
            status = (
                "present"
                if roll < 0.82
                else "late"
                if roll < 0.9
                else "excused"
                if roll < 0.96
                else "absent"
            )
            if kind == "makeup":
                status = "present" if roll < 0.85 else "absent"
            if kind == "study" and status in ("excused", "absent"):
                absent_first.append(person)
            db.add(
                Attendance(
                    session_id=session.id,
                    participant_id=person.id,
                    status=status,
                    method="checkin" if status in ("present", "late") and roll < 0.6 else "marked",
                    recorded_at=session.starts_at + timedelta(minutes=rng.randint(0, 25)),
                )
            )
    # One session open now, so a new user can try the check-in at once.
    now = datetime.now(UTC)
    db.add(
        StudySession(
            plan_id=plan.id,
            organization_id=plan.organization_id,
            kind="seminar",
            title="Sinh hoạt chuyên đề: an toàn thông tin khi dạy học trực tuyến",
            starts_at=now - timedelta(minutes=10),
            ends_at=now + timedelta(hours=3),
            place="Phòng Tin học",
            presenter="Tổ 5",
            checkin_secret=secrets.token_hex(32),
        )
    )
    db.add(
        StudySession(
            plan_id=plan.id,
            organization_id=plan.organization_id,
            kind="parent_outreach",
            title="Tuyên truyền phụ huynh: dịch vụ giáo dục trực tuyến",
            starts_at=at_school_hour(today + timedelta(days=14), 19),
            ends_at=at_school_hour(today + timedelta(days=14), 20, 30),
            place="Các lớp học",
            presenter="Giáo viên chủ nhiệm",
            checkin_secret=secrets.token_hex(32),
        )
    )


def _acknowledgements(
    db: Session, plan: Plan, staff: list[Participant], rng: random.Random
) -> None:
    """About four in five have confirmed, over the weeks after the study session."""
    start = date(2025, 3, 15)
    for index, person in enumerate(staff):
        if person.staff_code == "GV001" or rng.random() > 0.8:
            continue  # the demo teacher (gv001) is left to confirm herself
        day = start + timedelta(days=min(int(rng.expovariate(1 / 4)), 30))
        when = at_school_hour(day, rng.randint(7, 21), rng.randint(0, 59))
        method = rng.choice(["self", "link", "link", "qr", "self"]) if index % 11 else "on_behalf"
        reflection = REFLECTIONS[index % len(REFLECTIONS)] if rng.random() < 0.85 else None
        graded = reflection is not None and rng.random() < 0.6
        db.add(
            Acknowledgement(
                plan_id=plan.id,
                participant_id=person.id,
                organization_id=plan.organization_id,
                material_major=plan.material_major,
                confirmed_at=when,
                method=method,
                on_behalf_reason="Xác nhận trực tiếp với Ban giám hiệu (nghỉ thai sản)"
                if method == "on_behalf"
                else None,
                reflection=reflection,
                reflection_submitted_at=when if reflection else None,
                grade=rng.choice(["tot", "tot", "kha", "kha", "dat"]) if graded else None,
                graded_at=when + timedelta(days=7) if graded else None,
            )
        )
