# ruff: noqa: E501 - Vietnamese questions and explanations kept as whole sentences
"""The demo's quiz on Nghị quyết 57-NQ/TW: a bank of 20 questions for the district's plan and
the school's, the school's settings, and the attempts of a few of its staff.

Every question is answered by the material the demo carries: the school's plan (the seed plan,
`seed_plan.py`, sections I–III) and the plan's materials (the resolution's name, the
Government's programme 03/NQ-CP, and the outline's targets for 2030 and 2045). Each explanation
says where. The demo teacher (gv001) has not taken the quiz, so whoever opens her link can.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.demo.activity import at_school_hour
from app.plans.models import Plan
from app.quizzes.drawing import draw
from app.quizzes.models import QuizAttempt, QuizQuestion, QuizSettings

RESOLUTION = "Nghị quyết 57-NQ/TW"
TARGETS = "Mục tiêu đến năm 2030, tầm nhìn 2045"
DIGITAL = "Khoa học, công nghệ và chuyển đổi số"
SCHOOL = "Nhiệm vụ của nhà trường"

PLAN_II = "Kế hoạch học tập, quán triệt Nghị quyết 57-NQ/TW, mục II.1 (Nội dung tuyên truyền)"
SCHOOL_PLAN = "Kế hoạch của Trường Tiểu học Nguyễn Bỉnh Khiêm"
OUTLINE = "Tài liệu kèm kế hoạch «Đề cương tuyên truyền: mục tiêu đến năm 2030, tầm nhìn 2045»"

# (topic, text, kind, options, indexes of the right options, explanation)
QUESTIONS: list[tuple[str, str, str, list[str], list[int], str]] = [
    (
        RESOLUTION,
        "Nghị quyết số 57-NQ/TW do cơ quan nào ban hành và vào ngày nào?",
        "single",
        [
            "Ban Chấp hành Trung ương Đảng, ngày 24/11/2023",
            "Bộ Chính trị, ngày 22/12/2024",
            "Chính phủ, ngày 09/01/2025",
            "UBND quận Thanh Khê, ngày 04/3/2025",
        ],
        [1],
        "Tên đầy đủ (trích yếu các kế hoạch): «Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia». Ngày 09/01/2025 là ngày Chính phủ ban hành Nghị quyết 03/NQ-CP; ngày 04/3/2025 là ngày UBND quận ban hành Kế hoạch số 470/KH-UBND; ngày 24/11/2023 là ngày của Nghị quyết 45-NQ/TW về đội ngũ trí thức.",
    ),
    (
        RESOLUTION,
        "Nghị quyết 57-NQ/TW bàn về đột phá phát triển những lĩnh vực nào?",
        "multiple",
        [
            "Khoa học, công nghệ",
            "Đổi mới sáng tạo",
            "Xây dựng và phát huy vai trò của đội ngũ trí thức",
            "Chuyển đổi số quốc gia",
        ],
        [0, 1, 3],
        "Nghị quyết 57-NQ/TW là nghị quyết «về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia» (tên của nghị quyết, trong trích yếu kế hoạch). Vai trò của đội ngũ trí thức là nội dung của Nghị quyết 45-NQ/TW, học tập năm học 2023–2024.",
    ),
    (
        RESOLUTION,
        "Kế hoạch nhận định Nghị quyết 57-NQ/TW là một chủ trương mang tính gì?",
        "single",
        [
            "Tình thế, áp dụng trong ngắn hạn",
            "Thí điểm, chỉ áp dụng ở một số địa phương",
            "Chiến lược và cách mạng",
            "Khuyến khích, các đơn vị tự chọn thực hiện",
        ],
        [2],
        f"{PLAN_II}: «Nghị quyết 57-NQ/TW là một chủ trương mang tính chiến lược và cách mạng, nhằm tạo xung lực mới, đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, đưa đất nước phát triển mạnh mẽ trong kỷ nguyên mới.»",
    ),
    (
        RESOLUTION,
        "Văn bản nào là Chương trình hành động của Chính phủ thực hiện Nghị quyết 57-NQ/TW?",
        "single",
        [
            "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ",
            "Kế hoạch số 470/KH-UBND ngày 04/3/2025 của UBND quận Thanh Khê",
            "Nghị quyết số 45-NQ/TW ngày 24/11/2023",
            "Kế hoạch học tập Nghị quyết 57-NQ/TW của Trường Tiểu học Nguyễn Bỉnh Khiêm",
        ],
        [0],
        "Tài liệu kèm kế hoạch: «Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ (Chương trình hành động)» — Chương trình hành động của Chính phủ thực hiện Nghị quyết 57-NQ/TW. Kế hoạch 470/KH-UBND là kế hoạch của quận; kế hoạch của Trường thực hiện kế hoạch của quận.",
    ),
    (
        RESOLUTION,
        "Kế hoạch học tập Nghị quyết 57-NQ/TW của Trường Tiểu học Nguyễn Bỉnh Khiêm được xây dựng để thực hiện văn bản nào?",
        "single",
        [
            "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ",
            "Chỉ đạo trực tiếp của Bộ Chính trị gửi các trường học",
            "Kế hoạch số 470/KH-UBND ngày 04/3/2025 của UBND quận Thanh Khê",
            "Kế hoạch học tập Nghị quyết 45-NQ/TW của nhà trường năm học 2023–2024",
        ],
        [2],
        f"Phần mở đầu của {SCHOOL_PLAN}: «Thực hiện Kế hoạch số 470/KH-UBND ngày 04 tháng 3 năm 2025 của UBND quận Thanh Khê về tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW … trên địa bàn quận».",
    ),
    (
        TARGETS,
        "Theo mục tiêu đến năm 2030, kinh tế số đạt ít nhất bao nhiêu phần trăm GDP?",
        "single",
        ["20%", "30%", "40%", "50%"],
        [1],
        f"{OUTLINE}: «Kinh tế số ít nhất 30% GDP» đến năm 2030. Con số 50% GDP là mục tiêu của tầm nhìn đến năm 2045.",
    ),
    (
        TARGETS,
        "Theo tầm nhìn đến năm 2045, kinh tế số đạt ít nhất bao nhiêu phần trăm GDP?",
        "single",
        ["30%", "40%", "50%", "70%"],
        [2],
        f"{OUTLINE}: «tầm nhìn 2045: kinh tế số ít nhất 50% GDP». Mục tiêu đến năm 2030 là ít nhất 30% GDP.",
    ),
    (
        TARGETS,
        "Theo mục tiêu đến năm 2030, chi cho nghiên cứu phát triển đạt bao nhiêu phần trăm GDP?",
        "single",
        ["0,5% GDP", "1% GDP", "2% GDP", "5% GDP"],
        [2],
        f"{OUTLINE}: «chi cho nghiên cứu phát triển 2% GDP».",
    ),
    (
        TARGETS,
        "Theo mục tiêu đến năm 2030, tỷ lệ người dân sử dụng dịch vụ công trực tuyến là bao nhiêu?",
        "single",
        ["Trên 50%", "Trên 60%", "Trên 70%", "Trên 80%"],
        [3],
        f"{OUTLINE}: «trên 80% người dân dùng dịch vụ công trực tuyến».",
    ),
    (
        TARGETS,
        "Kế hoạch yêu cầu tuyên truyền tập trung vào những mục tiêu cụ thể nào đến năm 2030 và tầm nhìn đến năm 2045?",
        "multiple",
        [
            "Tăng tỷ trọng kinh tế số",
            "Nâng cao năng lực cạnh tranh số",
            "Thu hẹp các dịch vụ giáo dục trực tuyến",
            "Phát triển nguồn nhân lực chất lượng cao",
        ],
        [0, 1, 3],
        f"{PLAN_II}: «Tập trung vào các mục tiêu cụ thể đến năm 2030 và tầm nhìn đến năm 2045, như tăng tỷ trọng kinh tế số, nâng cao năng lực cạnh tranh số, phát triển nguồn nhân lực chất lượng cao.» Kế hoạch còn yêu cầu hỗ trợ phụ huynh, học sinh sử dụng các dịch vụ giáo dục trực tuyến, không thu hẹp chúng.",
    ),
    (
        DIGITAL,
        "Theo Kế hoạch, khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số có vai trò gì đối với sự phát triển của đất nước?",
        "single",
        [
            "Là nhiệm vụ phụ trợ, thực hiện khi có điều kiện",
            "Là động lực then chốt cho sự phát triển của đất nước",
            "Là việc riêng của các doanh nghiệp công nghệ",
            "Chỉ cần thiết đối với các cơ quan trung ương",
        ],
        [1],
        f"{PLAN_II}: «Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là động lực then chốt cho sự phát triển của đất nước.»",
    ),
    (
        DIGITAL,
        "Kế hoạch nêu những lợi ích nào mà khoa học, công nghệ và chuyển đổi số mang lại cho cuộc sống hằng ngày?",
        "multiple",
        [
            "Cải thiện chất lượng dịch vụ công",
            "Tăng năng suất lao động",
            "Tạo ra nhiều cơ hội việc làm mới",
            "Tăng thêm thủ tục giấy tờ cho người dân",
        ],
        [0, 1, 2],
        f"{PLAN_II}: «Những lợi ích mà khoa học, công nghệ và chuyển đổi số mang lại cho cuộc sống hàng ngày, như cải thiện chất lượng dịch vụ công, tăng năng suất lao động, tạo ra nhiều cơ hội việc làm mới.»",
    ),
    (
        DIGITAL,
        "Kế hoạch nêu những hình thức tuyên truyền nào?",
        "multiple",
        [
            "Tổ chức tọa đàm, giới thiệu các mô hình phát triển về khoa học, công nghệ và chuyển đổi số",
            "Chỉ gửi văn bản giấy đến các tổ trưởng",
            "Xây dựng video clip, infographic",
            "Đăng bài viết ngắn gọn, dễ hiểu lên trang thông tin điện tử nhà trường",
        ],
        [0, 2, 3],
        f"{PLAN_II}: «Tổ chức các buổi tọa đàm, giới thiệu các mô hình phát triển về khoa học, công nghệ và chuyển đổi số … Xây dựng các video clip, infographic, ứng dụng cung cấp thông tin và tài liệu liên quan, bài viết ngắn gọn, dễ hiểu lên trang thông tin điện tử nhà trường.»",
    ),
    (
        DIGITAL,
        "Theo lưu ý của Kế hoạch, công tác tuyên truyền cần được thực hiện như thế nào?",
        "single",
        [
            "Một lần vào đầu năm học",
            "Chỉ khi có văn bản mới của cấp trên",
            "Thường xuyên, liên tục và có hệ thống",
            "Do từng cá nhân tự thực hiện, không cần phối hợp",
        ],
        [2],
        f"{PLAN_II}, phần lưu ý: «Tuyên truyền cần được thực hiện một cách thường xuyên, liên tục và có hệ thống … Có sự phối hợp chặt chẽ giữa các tổ chức, đoàn thể trong nhà trường để công tác tuyên truyền đảm bảo đạt hiệu quả.»",
    ),
    (
        DIGITAL,
        "Nội dung tuyên truyền Nghị quyết 57-NQ/TW nhằm những mục đích nào?",
        "multiple",
        [
            "Biểu dương, khen thưởng các tập thể, cá nhân có thành tích",
            "Tôn vinh và nhân rộng những phát minh, sáng chế, cải tiến kỹ thuật",
            "Đấu tranh, phản bác những thông tin, quan điểm sai trái, thù địch",
            "Hạn chế chia sẻ các mô hình ứng dụng công nghệ ra ngoài nhà trường",
        ],
        [0, 1, 2],
        f"{PLAN_II}: «Nhằm biểu dương, khen thưởng các tập thể, cá nhân … có thành tích. Tôn vinh và nhân rộng những phát minh, sáng chế, cải tiến kỹ thuật. Đấu tranh, phản bác những thông tin, quan điểm sai trái, thù địch.» Kế hoạch yêu cầu chia sẻ, nhân rộng những mô hình thành công trong, ngoài nước.",
    ),
    (
        SCHOOL,
        "Thời gian tuyên truyền Nghị quyết 57-NQ/TW trong nhà trường được xác định thế nào?",
        "single",
        [
            "Chỉ trong tháng 3 năm 2025",
            "Bắt đầu từ tháng 3 năm 2025 và xuyên suốt trong các năm tiếp theo",
            "Trong học kỳ II năm học 2024–2025",
            "Bắt đầu từ tháng 12 năm 2024 và kết thúc năm 2025",
        ],
        [1],
        f"{SCHOOL_PLAN}, mục II.3 (Thời gian tuyên truyền): «Bắt đầu từ tháng 3 năm 2025 và xuyên suốt trong các năm tiếp theo.»",
    ),
    (
        SCHOOL,
        "Đối tượng học tập, quán triệt và tuyên truyền Nghị quyết 57-NQ/TW trong nhà trường gồm những ai?",
        "multiple",
        [
            "Ban giám hiệu",
            "Ban chấp hành Công đoàn, Chi đoàn thanh niên",
            "Chỉ riêng cán bộ quản lý",
            "Các tổ chuyên môn, toàn thể CBVC, NLĐ trong nhà trường",
        ],
        [0, 1, 3],
        f"{SCHOOL_PLAN}, mục II.2 (Đối tượng): «Ban giám hiệu, Ban chấp hành Công đoàn, Chi đoàn thanh niên, các tổ chuyên môn, toàn thể CBVC, NLĐ trong nhà trường.»",
    ),
    (
        SCHOOL,
        "Cán bộ quản lý, nhân viên văn phòng, giáo viên được giao duy trì, phát triển những kho nào của nhà trường, ngành?",
        "multiple",
        [
            "Kho tài nguyên đề KTĐK tham khảo",
            "Kho giáo án viết tay nộp hằng tuần",
            "Kho học liệu BGĐT e-Learning",
        ],
        [0, 2],
        f"{SCHOOL_PLAN}, mục III.2 (Nhiệm vụ cụ thể): «… đẩy mạnh ứng dụng CNTT, chuyển đổi số, thường xuyên cập nhật phần mềm phát triển công nghệ phục vụ trong công việc; duy trì, phát triển Kho tài nguyên đề KTĐK tham khảo và Kho học liệu BGĐT e-Learning của nhà trường, ngành.»",
    ),
    (
        SCHOOL,
        "Trong các hệ thống thông tin toàn ngành Kế hoạch yêu cầu khai thác, địa chỉ nào là Cổng thông tin điện tử của Bộ GDĐT?",
        "single",
        [
            "http://danang.edu.vn",
            "http://pgdthanhkhe.edu.vn",
            "http://thnguyenbinhkhiem.edu.vn",
            "https://moet.gov.vn",
        ],
        [3],
        f"{SCHOOL_PLAN}, mục III.2: «Cổng thông tin điện tử của Bộ GDĐT tại địa chỉ https://moet.gov.vn». danang.edu.vn là cổng của Sở GDĐT, pgdthanhkhe.edu.vn của Phòng GDĐT, thnguyenbinhkhiem.edu.vn của nhà trường.",
    ),
    (
        SCHOOL,
        "Với phụ huynh và học sinh, nhà trường thực hiện những việc nào?",
        "multiple",
        [
            "Tuyên truyền nâng cao nhận thức về vai trò, lợi ích của khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong giáo dục",
            "Tăng cường sự tham gia góp ý, giám sát; thực hiện việc sử dụng mạng an toàn",
            "Triển khai các kênh hỗ trợ trực tiếp, trực tuyến (website, mạng xã hội)",
            "Để phụ huynh tự tìm hiểu các dịch vụ giáo dục trực tuyến, không hỗ trợ",
        ],
        [0, 1, 2],
        f"{SCHOOL_PLAN}, mục III.2: «Đẩy mạnh tuyên truyền nâng cao nhận thức của phụ huynh và học sinh về vai trò và lợi ích của phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong lĩnh vực giáo dục. Tăng cường sự tham gia của phụ huynh, học sinh cùng góp ý, giám sát … thực hiện việc sử dụng mạng an toàn. Triển khai các kênh hỗ trợ trực tiếp, trực tuyến (website, mạng xã hội) để hỗ trợ phụ huynh, học sinh sử dụng các dịch vụ giáo dục trực tuyến.»",
    ),
]

# The school's quiz: required, 10 of the 20 questions, 15 minutes, two attempts, pass at 80 %.
SCHOOL_SETTINGS = {
    "required": True,
    "question_count": 10,
    "time_limit_minutes": 15,
    "attempts_allowed": 2,
    "pass_percent": 80,
}

# The staff who took it, each a list of the questions right per attempt (of 10): most passed,
# two at their second attempt; two failed twice; one failed once and has an attempt left.
TAKEN = [[10], [9], [8], [6, 9], [10], [7, 8], [5, 6], [9], [4, 7], [7]]


def add_quiz(db: Session, district_plan: Plan, school_plan: Plan) -> None:
    """The bank on both plans, the school's settings, and its staff's attempts."""
    for plan in (district_plan, school_plan):
        db.add_all(
            QuizQuestion(
                plan_id=plan.id,
                topic=topic,
                text=text,
                kind=kind,
                options=options,
                correct=correct,
                explanation=explanation,
                added_in_major=plan.material_major,
                created_at=plan.created_at,
            )
            for topic, text, kind, options, correct, explanation in QUESTIONS
        )
    settings = QuizSettings(
        plan_id=school_plan.id, created_at=school_plan.created_at, **SCHOOL_SETTINGS
    )
    db.add(settings)
    db.flush()
    _attempts(db, school_plan, settings)


def _attempts(db: Session, plan: Plan, settings: QuizSettings) -> None:
    """A few of those who confirmed take the quiz in the days after confirming."""
    rng = random.Random(5757)
    confirmed = db.exec(
        sa.select(Acknowledgement.participant_id, Acknowledgement.confirmed_at)
        .where(Acknowledgement.plan_id == plan.id)
        .order_by(Acknowledgement.participant_id)
    ).all()
    for (person_id, confirmed_at), results in zip(
        rng.sample(confirmed, len(TAKEN)), TAKEN, strict=True
    ):
        day = confirmed_at.date() + timedelta(days=rng.randint(1, 4))
        for number, right in enumerate(results, start=1):
            started = at_school_hour(day, rng.randint(8, 20), rng.randint(0, 59))
            db.add(_attempt(db, plan, settings, person_id, number, started, right, rng))
            day += timedelta(days=rng.randint(1, 3))


def _attempt(
    db: Session,
    plan: Plan,
    settings: QuizSettings,
    person_id: int,
    number: int,
    started: datetime,
    right: int,
    rng: random.Random,
) -> QuizAttempt:
    """A submitted attempt with `right` questions answered right, the others wrong."""
    questions = draw(db, plan.id, settings.question_count, settings.topic, rng)
    answers = {}
    for index, question in enumerate(questions):
        chosen = question["correct"]
        if index >= right:  # a wrong answer: the first option that is not right, alone
            chosen = [next(i for i in range(len(question["options"])) if i not in chosen)]
        answers[str(question["id"])] = chosen
    percent = right * 100 // len(questions)
    return QuizAttempt(
        plan_id=plan.id,
        participant_id=person_id,
        material_major=plan.material_major,
        number=number,
        status="submitted",
        started_at=started,
        deadline_at=started + timedelta(minutes=settings.time_limit_minutes),
        submitted_at=started + timedelta(minutes=rng.randint(5, 13), seconds=rng.randint(0, 59)),
        pass_percent=settings.pass_percent,
        questions=questions,
        answers=answers,
        score=right,
        total=len(questions),
        percent=percent,
        passed=percent >= settings.pass_percent,
    )
