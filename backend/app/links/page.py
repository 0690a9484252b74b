"""The personal link as a page the server renders: `/l/{token}`, the address links carry.

On a cheap phone on a slow line, the app's modules take seconds to arrive; the teacher came
for one button. This page is the app's index.html with her greeting and her confirm buttons
already in it (plain forms that work before, or without, any script), its two style sheets
inline (no second round trip before anything shows) and her page's data inline (the app does
not fetch it again). The app then starts as usual and draws the full page over this one.

The older form of a link (`/#/l/{token}`) keeps working: the app reads the same data by API.
"""

from __future__ import annotations

import base64
import hashlib
import html
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.auth.deps import ClientAddress
from app.core.db import DbSession
from app.core.errors import ProblemError
from app.core.middleware import content_security_policy
from app.core.routing import ApiRouter
from app.links import service
from app.links.schemas import HomePlan, TeacherHome
from app.plans.access import today

PAGE_PATH = "/l"

# The few strings of the first view, as the app's Vietnamese table words them
# (frontend/js/i18n/study.vi.js; tests/api/test_link_page.py holds the two equal).
STRINGS = {
    "teacher.hello": "Xin chào, {name}",
    "teacher.pendingCount": "Còn {n} kế hoạch chờ thầy cô xác nhận đã học tập.",
    "teacher.allDone": "✓ Thầy cô đã xác nhận tất cả kế hoạch. Cảm ơn thầy cô!",
    "teacher.confirm": "Tôi đã học tập, nghiên cứu",
    "teacher.writeToConfirm": "Viết bài thu hoạch để xác nhận",
    "teacher.reflectionLater": "Bài thu hoạch nộp sau.",
    "teacher.reflectionDueOn": "Hạn nộp bài thu hoạch: {date}.",
    "teacher.reflectionOverdue": "Đã quá hạn nộp bài thu hoạch ({date}); thầy cô vẫn nộp được.",
    "teacher.reflectionNoDeadline": "Bài thu hoạch chưa có hạn nộp.",
    "link.title": "Trang cá nhân",
    "link.dead": "Đường dẫn không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
    "link.askSchool": "Xin nhà trường (văn thư hoặc tổ trưởng) gửi lại đường dẫn cá nhân mới.",
}
_SHEETS = ("css/base.css", "css/teacher.css")
_MAIN = '<main id="main" tabindex="-1"><p class="muted">Đang tải…</p></main>'


class PageTemplate:
    """index.html made into the link page's frame, read again when a frontend file changes."""

    def __init__(self, frontend_dir: Path) -> None:
        self.frontend_dir = frontend_dir
        self._stamp: tuple = ()
        self._head = self._tail = ""
        self._style_hash = ""

    def parts(self) -> tuple[str, str, str]:
        """The page up to its <main>, after it, and the CSP hash of the inline styles."""
        paths = [self.frontend_dir / "index.html", *(self.frontend_dir / s for s in _SHEETS)]
        stamp = tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
        if stamp != self._stamp:
            index, *sheets = (p.read_text(encoding="utf-8") for p in paths)
            styles = "\n".join(sheets)
            for sheet in _SHEETS:
                index = index.replace(f'  <link rel="stylesheet" href="{sheet}">\n', "")
            index = index.replace("</head>", f"  <style>{styles}</style>\n</head>", 1)
            head, found, tail = index.partition(_MAIN)
            if not found:
                raise RuntimeError("frontend/index.html has no <main> for the link page")
            digest = hashlib.sha256(styles.encode()).digest()
            self._head, self._tail = head, tail
            self._style_hash = f"'sha256-{base64.b64encode(digest).decode()}'"
            self._stamp = stamp
        return self._head, self._tail, self._style_hash


def _text(key: str, **params: object) -> str:
    return html.escape(STRINGS[key].format(**params))


def _deadline(plan: HomePlan) -> str:
    if plan.reflection_due_on is None:
        return _text("teacher.reflectionNoDeadline")
    key = (
        "teacher.reflectionOverdue"
        if plan.reflection_due_on < today()
        else "teacher.reflectionDueOn"
    )
    return _text(key, date=f"{plan.reflection_due_on:%d/%m/%Y}")


def _confirm_item(token: str, plan: HomePlan) -> str:
    name = html.escape(" · ".join(filter(None, [plan.symbol, plan.title])))
    label = f'<p class="quick-plan" id="quick-{plan.id}">{name}</p>'
    if plan.reflection_required and plan.reflection_timing != "later":
        # Her reflection comes with the confirmation: the app's form, once it has loaded.
        hint = f'<p class="hint">{_text("teacher.writeToConfirm")}</p>'
        return f'<div class="quick-item">{label}{hint}</div>'
    later = (
        f'<p class="hint">{_text("teacher.reflectionLater")} {_deadline(plan)}</p>'
        if plan.reflection_required
        else ""
    )
    action = html.escape(f"{PAGE_PATH}/{token}/acknowledgements/{plan.id}", quote=True)
    return (
        f'<div class="quick-item">{label}<form method="post" action="{action}">'
        '<button type="submit" class="button button-big button-wide confirm-button" '
        f'aria-describedby="quick-{plan.id}">'
        f"{_text('teacher.confirm')}</button></form>{later}</div>"
    )


def first_view(token: str, home: TeacherHome) -> str:
    """Her greeting and what waits for her one tap: the top of the app's own page."""
    person = home.person
    sub = " · ".join(filter(None, [person.position, *person.units, person.organization_name]))
    pending = [p for p in home.plans if p.acknowledgement is None and not p.closed]
    todo = (
        f'<p class="todo-line">{_text("teacher.pendingCount", n=len(pending))}</p>'
        if pending
        else f'<p class="todo-line todo-done">{_text("teacher.allDone")}</p>'
    )
    items = "".join(_confirm_item(token, plan) for plan in pending)
    return (
        '<div class="teacher-home"><section class="card hello-card">'
        f"<h1>{_text('teacher.hello', name=person.full_name)}</h1>"
        + (f'<p class="muted">{html.escape(sub)}</p>' if sub else "")
        + todo
        + (f'<div class="quick-confirm">{items}</div>' if items else "")
        + "</section></div>"
    )


def dead_view(error: ProblemError) -> str:
    ask = f"<p>{_text('link.askSchool')}</p>" if error.status == 404 else ""
    message = _text("link.dead") if error.status == 404 else html.escape(error.detail)
    return (
        f'<section class="card narrow"><h1>{_text("link.title")}</h1>'
        f'<p class="notice notice-error" role="alert">{message}</p>{ask}</section>'
    )


def _embedded(home: TeacherHome) -> str:
    """Her page's data for the app, safe inside <script>: no "</script>" can end it early."""
    data = home.model_dump_json().replace("<", "\\u003c").replace("&", "\\u0026")
    return f'<script type="application/json" id="link-home">{data}</script>\n'


def _page(request: Request, main: str, *, title: str, data: str = "", status: int = 200):
    head, tail, style_hash = request.app.state.link_page.parts()
    head = head.replace("<title>Lan Tỏa</title>", f"<title>{html.escape(title)}</title>", 1)
    body = f'{head}<main id="main" tabindex="-1" data-server-rendered>{main}</main>\n{data}{tail}'
    return HTMLResponse(
        body,
        status_code=status,
        headers={
            # Her name and plans: never kept by a shared cache, nor sent on to other sites.
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": content_security_policy(style_src=style_hash),
        },
    )


def _refused(request: Request, db: DbSession, error: ProblemError) -> HTMLResponse:
    if not error.keep_writes:
        db.rollback()
    return _page(request, dead_view(error), title=STRINGS["link.title"], status=error.status)


def _notice(text: str) -> str:
    return f'<p class="notice notice-error" role="alert">{html.escape(text)}</p>'


def _link_page(
    request: Request, db: DbSession, token: str, address: str, notice: str = ""
) -> HTMLResponse:
    try:
        home = service.link_home(db, token, address)
    except ProblemError as error:
        return _refused(request, db, error)
    return _page(
        request,
        notice + first_view(token, home),
        title=f"{home.person.full_name} — Lan Tỏa",
        data=_embedded(home),
    )


router = ApiRouter(include_in_schema=False)


@router.get(PAGE_PATH + "/{token}", response_class=HTMLResponse)
def link_page(token: str, request: Request, db: DbSession, address: ClientAddress):
    return _link_page(request, db, token, address)


@router.post(PAGE_PATH + "/{token}/acknowledgements/{plan_id}", response_class=HTMLResponse)
def link_page_confirm(
    token: str, plan_id: int, request: Request, db: DbSession, address: ClientAddress
):
    """The first view's button, pressed before the app had loaded: confirm, then show the
    page (a redirect, so reloading it does not post again)."""
    try:
        service.confirm_by_link(db, token=token, plan_id=plan_id, reflection=None, address=address)
    except ProblemError as error:
        if error.status in (404, 429):
            return _refused(request, db, error)
        if not error.keep_writes:
            db.rollback()
        return _link_page(request, db, token, address, notice=_notice(error.detail))
    return RedirectResponse(f"{PAGE_PATH}/{token}", status_code=303)
