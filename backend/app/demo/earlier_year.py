# ruff: noqa: E501 - sample Vietnamese text kept as whole sentences
"""The demo school's plan of the school year before (2023–2024), studied and closed.

A teacher's record (Hồ sơ học tập) spans years: with this plan the demo teacher sees hers
across two school years. The plan studied Nghị quyết số 45-NQ/TW of the 8th plenum of the
13th Central Committee (on the role of intellectuals, teachers among them); its text here is a
plain sample written for the demo, not a transcribed document.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.demo.activity import at_school_hour
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan, PlanMaterial
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

RESOLUTION = (
    "Nghị quyết số 45-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung ương Đảng khóa XIII về tiếp "
    "tục xây dựng và phát huy vai trò của đội ngũ trí thức đáp ứng yêu cầu phát triển đất nước "
    "nhanh và bền vững trong giai đoạn mới"
)

TITLE = (
    "Tổ chức học tập, quán triệt Nghị quyết số 45-NQ/TW ngày 24/11/2023 của Ban Chấp hành Trung "
    "ương Đảng khóa XIII về tiếp tục xây dựng và phát huy vai trò của đội ngũ trí thức tại Trường "
    "Tiểu học Nguyễn Bỉnh Khiêm"
)

SECTIONS = [
    {
        "key": "purpose",
        "heading": "MỤC ĐÍCH, YÊU CẦU",
        "body": (
            "- Giúp CBVC-NLĐ nhà trường nắm vững quan điểm, mục tiêu, nhiệm vụ và giải pháp của Nghị "
            "quyết 45-NQ/TW; nhận thức rõ vai trò của đội ngũ nhà giáo trong đội ngũ trí thức.\n"
            "- Việc học tập được tổ chức nghiêm túc, đầy đủ; mỗi CBVC-NLĐ viết bài thu hoạch liên hệ "
            "bản thân."
        ),
    },
    {
        "key": "content",
        "heading": "NỘI DUNG, HÌNH THỨC",
        "body": (
            "- Học tập tập trung toàn văn Nghị quyết 45-NQ/TW tại Hội trường nhà trường.\n"
            "- CBVC-NLĐ vắng buổi học tập trung học bù và xác nhận đã nghiên cứu trên hệ thống."
        ),
    },
    {
        "key": "organisation",
        "heading": "TỔ CHỨC THỰC HIỆN",
        "body": (
            "- Ban giám hiệu chủ trì tổ chức học tập; Công đoàn phối hợp theo dõi, tổng hợp bài thu "
            "hoạch.\n"
            "- Các tổ chuyên môn liên hệ Nghị quyết trong sinh hoạt chuyên môn học kỳ II."
        ),
    },
]

MATERIALS = [
    (
        "Toàn văn Nghị quyết số 45-NQ/TW ngày 24/11/2023",
        "https://tulieuvankien.dangcongsan.vn/he-thong-van-ban/van-ban-cua-dang/nghi-quyet-so-45-nqtw",
        "Tiếp tục xây dựng và phát huy vai trò của đội ngũ trí thức trong giai đoạn mới.",
    ),
]

REFLECTION = (
    "Nghị quyết 45-NQ/TW khẳng định trí thức là lực lượng nòng cốt sáng tạo, trong đó có đội ngũ nhà "
    "giáo. Liên hệ bản thân, tôi sẽ không ngừng tự học nâng cao trình độ chuyên môn, đổi mới phương "
    "pháp dạy học, tham gia sinh hoạt chuyên môn theo nghiên cứu bài học và chia sẻ sáng kiến kinh "
    "nghiệm với đồng nghiệp trong tổ."
)

STUDIED_ON = date(2024, 1, 25)


def add_earlier_year(
    db: Session,
    school: Organization,
    staff: list[Participant],
    principal: Participant,
    issue: Callable[[Session, Plan, Organization, date], Plan],
) -> Plan:
    """The plan issued in January 2024, its study session, confirmations and one task, closed
    at the end of that school year. Everyone on the staff took part, the demo teacher included."""
    plan = issue(
        db,
        Plan(
            organization_id=school.id,
            title=TITLE,
            resolution=RESOLUTION,
            legal_basis=[RESOLUTION],
            sections=SECTIONS,
            period_start=date(2024, 1, 15),
            period_end=date(2024, 5, 31),
            place_name="Thanh Khê",
            recipients=["BGH, BCH CĐ, các tổ chuyên môn", "Lưu: VT, HT"],
            signer_name="Bùi Can",
            signer_title="HIỆU TRƯỞNG",
            reflection_required=True,
            reflection_min_length=200,
        ),
        school,
        date(2024, 1, 15),
    )
    for position, (title, url, summary) in enumerate(MATERIALS, start=1):
        db.add(
            PlanMaterial(plan_id=plan.id, title=title, url=url, summary=summary, position=position)
        )
    session = StudySession(
        created_at=at_school_hour(date(2024, 1, 16), 8),
        plan_id=plan.id,
        organization_id=school.id,
        kind="study",
        title="Học tập, quán triệt Nghị quyết số 45-NQ/TW",
        starts_at=at_school_hour(STUDIED_ON, 14),
        ends_at=at_school_hour(STUDIED_ON, 16, 30),
        place="Hội trường nhà trường",
        presenter="Bùi Can",
        status="held",
        minutes="Buổi học tập Nghị quyết 45-NQ/TW đã diễn ra đúng kế hoạch.",
        checkin_secret=secrets.token_hex(32),
    )
    db.add(session)
    db.flush()
    rng = random.Random(2024)
    for person in staff:
        present = person.staff_code == "GV001" or rng.random() < 0.95
        db.add(
            Attendance(
                session_id=session.id,
                participant_id=person.id,
                status="present" if present else "excused",
                method="checkin" if present else "marked",
                recorded_at=session.starts_at + timedelta(minutes=rng.randint(0, 20)),
            )
        )
        confirmed = _confirmed_at(STUDIED_ON + timedelta(days=rng.randint(0, 10)), rng)
        db.add(
            Acknowledgement(
                plan_id=plan.id,
                participant_id=person.id,
                organization_id=school.id,
                material_major=plan.material_major,
                confirmed_at=confirmed,
                method="self",
                reflection=REFLECTION,
                reflection_submitted_at=confirmed,
                grade="tot" if rng.random() < 0.6 else "kha",
                graded_at=confirmed + timedelta(days=10),
            )
        )
    db.add(
        Task(
            created_at=at_school_hour(date(2024, 1, 16), 8),
            plan_id=plan.id,
            organization_id=school.id,
            title="Tổng hợp bài thu hoạch Nghị quyết 45-NQ/TW, báo cáo kết quả học tập",
            section="III",
            assignee_participant_id=principal.id,
            due_on=date(2024, 2, 29),
            status="done",
            completed_at=at_school_hour(date(2024, 2, 27), 16),
        )
    )
    plan.status = "closed"
    return plan


def _confirmed_at(day: date, rng: random.Random) -> datetime:
    return at_school_hour(day, rng.randint(7, 21), rng.randint(0, 59))
