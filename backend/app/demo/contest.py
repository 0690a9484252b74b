# ruff: noqa: E501 - the contest's rules kept as whole Vietnamese sentences
"""The district's online contest on Nghị quyết 57-NQ/TW, on its plan 470/KH-UBND.

Round 1 ran two weeks ago and its results are published, so the announcement page has
something true to show; round 2 is open until a few days ahead, so a visitor can enter. The
entries of round 1 (and the first of round 2) are staff of the district's schools, by their
rows, and a few invited people with a name, a school and a phone; each is drawn, answered and
scored with the quiz's own functions (`app.quizzes.drawing`), from a fixed seed, the same
each time. The demo teacher (GV001) has entered neither round, so whoever opens her link can.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.contests import service
from app.contests.models import Contest, ContestEntry, ContestRound
from app.core.config import current_settings
from app.demo.activity import at_school_hour
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan
from app.quizzes.drawing import draw, score

TITLE = "Cuộc thi trực tuyến tìm hiểu Nghị quyết 57-NQ/TW"
RULES = """1. Đối tượng dự thi: cán bộ, giáo viên, nhân viên các trường học trên địa bàn quận Thanh Khê (dự thi bằng đường dẫn cá nhân nhà trường gửi, hoặc đăng nhập); phụ huynh và người dân quan tâm dự thi bằng đường dẫn công khai của cuộc thi, ghi họ tên, trường và số điện thoại.
2. Cuộc thi có 2 vòng. Mỗi vòng, mỗi người dự thi một lần: 10 câu hỏi trắc nghiệm rút ngẫu nhiên từ ngân hàng câu hỏi, làm trong 15 phút, rồi trả lời câu hỏi dự đoán số người tham gia vòng thi.
3. Xếp hạng: điểm cao hơn xếp trên; bằng điểm thì ai làm bài nhanh hơn xếp trên; vẫn bằng nhau thì ai dự đoán gần đúng số người tham gia vòng thi hơn xếp trên.
4. Giải thưởng mỗi vòng: 01 giải Nhất, 02 giải Nhì, 03 giải Ba và 05 giải Khuyến khích cho cá nhân; tập thể trường có điểm trung bình cao nhất được tặng Giấy khen của UBND quận.
5. Kết quả mỗi vòng được công bố trên trang của cuộc thi trong vòng 7 ngày sau khi vòng thi kết thúc. Số điện thoại người dự thi chỉ hiện một phần."""
TIEBREAK = "Dự đoán: vòng thi này có bao nhiêu người tham gia?"
QUESTIONS, MINUTES = 10, 15


@dataclass
class Invited:
    """An invited person who entered by the public link."""

    full_name: str
    phone: str
    school_code: str


INVITED = [
    Invited("Lê Thị Mỹ Hạnh", "0935214876", "th-nguyen-binh-khiem"),
    Invited("Trần Quốc Bảo", "0914552093", "th-hoang-van-thu"),
    Invited("Nguyễn Hoàng Phương Thảo", "0867301245", "th-tran-cao-van"),
    Invited("Phạm Minh Khôi", "0378962514", "th-nguyen-binh-khiem"),
]
# Questions right (of 10) per entrant in round 1: staff of the demo school, of the other
# schools, then the invited; two share the top score and their time, so the tie-break decides.
RIGHT_ROUND_1 = [10, 9, 9, 8, 8, 7, 6, 10, 5, 9, 7, 8]
RIGHT_OTHERS_1 = [9, 6, 8]
RIGHT_INVITED_1 = [7, 10, 5, 8]
RIGHT_ROUND_2 = [9, 7, 10, 8, 6]


def add_contest(
    db: Session, district_plan: Plan, school_staff: list[Participant], today: date
) -> None:
    """The contest, its two rounds, and the entries so far (GV001 left out)."""
    rng = random.Random(5757_2)
    opens_1 = at_school_hour(today - timedelta(days=16), 7)
    closes_1 = at_school_hour(today - timedelta(days=9), 21)
    contest = Contest(
        plan_id=district_plan.id,
        organization_id=district_plan.organization_id,
        title=TITLE,
        rules=RULES,
        public_entries=True,
        public_token=secrets.token_urlsafe(16),
        published_at=at_school_hour(today - timedelta(days=7), 9),
        created_at=opens_1 - timedelta(days=5),
        updated_at=opens_1 - timedelta(days=5),
    )
    db.add(contest)
    db.flush()
    first = _round(db, contest, 1, opens_1, closes_1)
    second = _round(
        db,
        contest,
        2,
        at_school_hour(today - timedelta(days=2), 7),
        at_school_hour(today + timedelta(days=5), 21),
    )
    district = db.get(Organization, district_plan.organization_id)
    schools = {
        row.code: row
        for row in db.exec(
            sa.select(Organization).where(Organization.parent_id == district.id)
        ).scalars()
    }
    own = [p for p in school_staff if p.staff_code != "GV001"]
    picked = rng.sample(own, len(RIGHT_ROUND_1) + len(RIGHT_ROUND_2))
    others = list(
        db.exec(
            sa.select(Participant)
            .where(
                Participant.organization_id.in_([s.id for s in schools.values()]),
                Participant.organization_id != school_staff[0].organization_id,
            )
            .order_by(Participant.id)
        ).scalars()
    )
    people_1 = [
        *zip(picked[: len(RIGHT_ROUND_1)], RIGHT_ROUND_1, strict=True),
        *zip(rng.sample(others, len(RIGHT_OTHERS_1)), RIGHT_OTHERS_1, strict=True),
    ]
    made = [_staff_entry(db, person, right) for person, right in people_1]
    made += [
        _invited_entry(invited, schools[invited.school_code], district, right)
        for invited, right in zip(INVITED, RIGHT_INVITED_1, strict=True)
    ]
    _taken(db, district_plan, first, made, rng, tie=True)
    later = [
        _staff_entry(db, person, right)
        for person, right in zip(picked[len(RIGHT_ROUND_1) :], RIGHT_ROUND_2, strict=True)
    ]
    _taken(db, district_plan, second, later, rng, until=service.now())


def _round(db: Session, contest: Contest, number: int, opens: datetime, closes: datetime):
    row = ContestRound(
        contest_id=contest.id,
        number=number,
        opens_at=opens,
        closes_at=closes,
        question_count=QUESTIONS,
        time_limit_minutes=MINUTES,
        tiebreak_question=TIEBREAK,
        created_at=contest.created_at,
        updated_at=contest.created_at,
    )
    db.add(row)
    db.flush()
    return row


def _staff_entry(db: Session, person: Participant, right: int) -> tuple[dict, int]:
    school = db.get(Organization, person.organization_id)
    district = db.get(Organization, school.parent_id)
    return {
        "entrant": f"p:{person.id}",
        "participant_id": person.id,
        "full_name": person.full_name,
        "school_id": school.id,
        "school_name": school.name,
        "district_id": district.id,
        "district_name": district.name,
    }, right


def _invited_entry(
    invited: Invited, school: Organization, district: Organization, right: int
) -> tuple[dict, int]:
    return {
        "entrant": f"t:{invited.phone}",
        "phone": invited.phone,
        "full_name": invited.full_name,
        "school_id": school.id,
        "school_name": school.name,
        "district_id": district.id,
        "district_name": district.name,
    }, right


def _taken(
    db: Session,
    plan: Plan,
    row: ContestRound,
    who: list[tuple[dict, int]],
    rng: random.Random,
    *,
    tie: bool = False,
    until: datetime | None = None,
) -> None:
    """Each entrant starts on a day of the round, answers `right` questions right, takes a
    few minutes and guesses the number of entrants; `tie` gives the first two tens the same
    time, so the guess ranks them. Entries are started no later than `until`."""
    end = min(row.closes_at, until or row.closes_at)
    first_day = row.opens_at.astimezone(current_settings().zone).date()
    days = max(1, (end - row.opens_at).days)
    same = timedelta(minutes=6, seconds=12, milliseconds=480)
    tens = 0
    for fields, right in who:
        day = first_day + timedelta(days=rng.randrange(days))
        started = at_school_hour(day, rng.randint(7, 21), rng.randint(0, 59))
        started = max(row.opens_at, min(started, end - timedelta(hours=1)))
        taken = timedelta(
            seconds=rng.randint(200, MINUTES * 60 - 30), milliseconds=rng.randint(0, 999)
        )
        guess = max(1, len(who) + rng.randint(-6, 8))
        if tie and right == QUESTIONS and tens < 2:  # the nearer guess ranks first
            taken, tens = same, tens + 1
            guess = len(who) + (1 if tens == 1 else -4)
        questions = draw(db, plan.id, row.question_count, None, rng)
        answers = _answered(questions, right, rng)
        db.add(
            ContestEntry(
                round_id=row.id,
                status="submitted",
                started_at=started,
                deadline_at=min(started + timedelta(minutes=row.time_limit_minutes), row.closes_at),
                submitted_at=started + taken,
                questions=questions,
                answers=answers,
                total=len(questions),
                score=score(questions, answers),
                duration_ms=int(taken.total_seconds() * 1000),
                tiebreak=guess,
                **fields,
            )
        )
    db.flush()


def _answered(questions: list[dict], right: int, rng: random.Random) -> dict[str, list[int]]:
    """`right` questions answered right, the others with one wrong option; one left blank."""
    wrong = set(rng.sample(range(len(questions)), len(questions) - right))
    answers = {}
    for index, question in enumerate(questions):
        chosen = question["correct"]
        if index in wrong:
            if rng.random() < 0.15:
                continue  # left unanswered when the time ran short
            chosen = [rng.choice([i for i in range(len(question["options"])) if i not in chosen])]
        answers[str(question["id"])] = chosen
    return answers
