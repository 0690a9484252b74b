"""The admin's "send a test email": in three steps, so that no database connection waits on
the mail server (`app.mail.router`): check who asks, send, record what happened."""

from __future__ import annotations

from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.config import Settings
from app.core.errors import Conflict, ProblemError
from app.mail import smtp
from app.orgs import service as orgs
from app.orgs.models import Organization

TEST_SUBJECT = "Lan Tỏa: thư thử / test email"
TEST_TEXT = (
    "Đây là thư thử của Lan Tỏa: máy chủ thư đã được cấu hình đúng.\n\n"
    "This is a test email from Lan Tỏa: the mail server is set up correctly.\n"
)
TEST_HTML = (
    "<p>Đây là thư thử của <strong>Lan Tỏa</strong>: máy chủ thư đã được cấu hình đúng.</p>"
    '<p lang="en">This is a test email from Lan Tỏa: the mail server is set up correctly.</p>'
)


class MailNotConfigured(Conflict):
    code = "mail-not-configured"


class MailFailed(ProblemError):
    status, code = 502, "mail-failed"


def test_organization(db: Session, actor: Actor, organization_id: int) -> Organization:
    """The organisation the test is made for: its admins may run it (404 beyond reach)."""
    return orgs.get_org(db, actor, organization_id, Permission.ORGS_MANAGE)


def send_test(settings: Settings, to: str) -> smtp.MailError | None:
    """Send the test email now; why it failed, or None."""
    try:
        smtp.check_configured(settings)
        message = smtp.compose(
            settings, to=to, subject=TEST_SUBJECT, body_text=TEST_TEXT, body_html=TEST_HTML
        )
        smtp.send(settings, message)
    except smtp.MailError as error:
        return error
    return None


def record_test(
    db: Session,
    actor: Actor,
    settings: Settings,
    *,
    organization: Organization,
    to: str,
    error: smtp.MailError | None,
) -> str:
    """Audit the test, sent or not; raise the problem the admin reads when it failed (the
    audit event stays). The server it went to."""
    server = f"{settings.smtp_host}:{settings.smtp_port}"
    audit.record(
        db,
        actor,
        "mail.test",
        entity_type="organization",
        entity_id=organization.id,
        organization_id=organization.id,
        after={
            "to": to,
            "server": server,
            "sent": error is None,
            "error": None if error is None else error.message,
        },
    )
    if isinstance(error, smtp.NotConfigured):
        raise MailNotConfigured(error.message, keep_writes=True)
    if error is not None:
        raise MailFailed(error.message, keep_writes=True)
    return server
