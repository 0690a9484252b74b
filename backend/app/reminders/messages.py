"""The words of reminders, digests and group messages: Vietnamese, as staff read them.

Group messages go to a unit's chat group: names and the deadline only, never a link (a
personal link opens its holder's page).
"""

from __future__ import annotations

from datetime import date
from html import escape

from app.plans.models import Plan

THING = {
    "confirmation": "xác nhận đã học tập",
    "reflection": "nộp bài thu hoạch",
    "task": "hoàn thành nhiệm vụ",
    "session": "dự buổi học tập",
}


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def plan_name(plan: Plan) -> str:
    return f"Kế hoạch {plan.symbol}" if plan.symbol else plan.title


def behind_label(c) -> str:
    """What a person is behind on: 'chưa xác nhận đã học tập (hạn 07/12/2026)'."""
    what = f"{THING[c.kind]} «{c.item_title}»" if c.kind == "task" else THING[c.kind]
    return f"chưa {what} (hạn {day_text(c.due_on)})"


def reminder_text(due) -> tuple[str, str]:
    """A reminder's title and body."""
    thing = THING[due.kind]
    if due.kind == "session":
        title = f"Sắp diễn ra: {due.item_title}"
        body = f"Kính nhắc thầy/cô {due.full_name}: buổi «{due.item_title}» diễn ra ngày "
        return title, body + f"{day_text(due.due_on)}."
    subject = f"«{due.item_title}»"
    if due.stage == "before":
        when = f"hạn là ngày {day_text(due.due_on)}"
    elif due.stage == "due":
        when = f"hôm nay ({day_text(due.due_on)}) là hạn cuối"
    else:
        when = f"đã quá hạn từ ngày {day_text(due.due_on)}"
    title = f"Nhắc {thing}: {due.item_title}"
    body = f"Kính nhắc thầy/cô {due.full_name}: việc {thing} {subject} {when}. Trân trọng."
    return title, body


def group_message(
    unit_name: str, plan: Plan, missing: list[str], deadline: date | None, today: date
) -> str:
    """The ready-to-copy text for a unit's chat group (names only)."""
    if deadline is None:
        by = ""
    elif deadline >= today:
        by = f" trước ngày {day_text(deadline)}"
    else:  # gone by: the message asks for it now, not before a day in the past
        by = f" ngay (hạn ngày {day_text(deadline)} đã qua)"
    if not missing:
        return f"{unit_name}: tất cả thầy cô đã xác nhận học tập {plan_name(plan)}. Cảm ơn!"
    names = "\n".join(f"{i}. {name}" for i, name in enumerate(missing, 1))
    return (
        f"Kính gửi các thầy cô {unit_name},\n"
        f"Đến nay còn {len(missing)} thầy cô chưa xác nhận đã học tập {plan_name(plan)}:\n"
        f"{names}\n"
        f"Đề nghị các thầy cô hoàn thành{by} (mở trang cá nhân Lan Tỏa, bấm «Tôi đã học tập»). "
        "Trân trọng cảm ơn!"
    )


def email_text(body: str, link: str, expires: date) -> tuple[str, str]:
    """A reminder's email, plain text and HTML: the reminder, then her one-tap link."""
    until = day_text(expires)
    text = (
        f"{body}\n\n"
        f"Mở trang cá nhân của thầy/cô (không cần mật khẩu): {link}\n"
        f"Đường dẫn là của riêng thầy/cô, dùng được đến ngày {until}; xin đừng chuyển cho "
        "người khác.\n\n"
        "— Lan Tỏa\n"
        f"(Open your personal page, no password needed: {link})\n"
    )
    safe_body, safe_link = escape(body), escape(link, quote=True)
    html = (
        f'<p>{safe_body}</p><p><a href="{safe_link}">Mở trang cá nhân của thầy/cô</a> '
        f'(không cần mật khẩu).</p><p style="color:#555">Đường dẫn là của riêng thầy/cô, '
        f"dùng được đến ngày {until}; xin đừng chuyển cho người khác.</p><p>— Lan Tỏa</p>"
        f'<p style="color:#555">Open <a href="{safe_link}">your personal page</a>, no password '
        "needed.</p>"
    )
    return text, html
