"""The demo school's outreach: the articles, videos, meetings and initiatives a school of this
kind records over a year and a half of the campaign, each credited to the unit behind it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.activities.models import Activity
from app.orgs.models import Organization, Unit
from app.plans.models import Plan


def add_outreach(
    db: Session,
    school: Organization,
    plan: Plan,
    units: dict[str, Unit],
) -> None:
    """What the school did to spread the resolution, from March 2025 to October 2026."""
    entries = [
        (
            "article",
            "Bài viết: Nhà trường triển khai học tập Nghị quyết 57-NQ/TW",
            date(2025, 3, 14),
            "http://thnguyenbinhkhiem.edu.vn/tin-tuc/hoc-tap-nghi-quyet-57",
            620,
            "Tổ Văn phòng",
        ),
        (
            "infographic",
            "Infographic: 10 mục tiêu đến năm 2030 của Nghị quyết 57",
            date(2025, 3, 20),
            "http://thnguyenbinhkhiem.edu.vn/infographic-nq57",
            1340,
            "Chi đoàn thanh niên",
        ),
        (
            "video",
            "Video clip: Chuyển đổi số trong lớp học của Tổ 5",
            date(2025, 4, 8),
            "https://www.youtube.com/watch?v=nbk-chuyen-doi-so",
            2150,
            "Tổ 5",
        ),
        (
            "seminar",
            "Tọa đàm: Ứng dụng Office 365 và kho học liệu e-Learning",
            date(2025, 4, 22),
            None,
            41,
            "Ban giám hiệu",
        ),
        (
            "parent_outreach",
            "Họp phụ huynh: sử dụng mạng an toàn và dịch vụ giáo dục trực tuyến",
            date(2025, 9, 12),
            None,
            860,
            "Tổ 1",
        ),
        (
            "commendation",
            "Biểu dương tập thể Tổ 4 về Kho tài nguyên đề KTĐK",
            date(2025, 11, 20),
            None,
            None,
            "Tổ 4",
        ),
        (
            "innovation",
            "Sáng kiến: phiếu học tập điện tử cho học sinh lớp 3",
            date(2026, 3, 5),
            None,
            None,
            "Tổ 3",
        ),
        (
            "social_post",
            "Bài đăng fanpage: cuộc thi tìm hiểu chuyển đổi số cho học sinh",
            date(2026, 10, 2),
            "https://facebook.com/thnguyenbinhkhiem/posts/57",
            3100,
            "Chi đoàn thanh niên",
        ),
    ]
    for kind, title, day, url, reach, unit in entries:
        db.add(
            Activity(
                organization_id=school.id,
                plan_id=plan.id,
                kind=kind,
                title=title,
                happened_on=day,
                url=url,
                reach=reach,
                responsible_unit_id=units[unit].id,
            )
        )
