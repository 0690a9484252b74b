"""Sending one email over SMTP (the standard library's smtplib), with a clear reason when it
cannot be sent, Vietnamese first: what the admin reads in the outbox and on the test button.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from app.core.base import utcnow
from app.core.config import Settings


class MailError(Exception):
    """Why a message was not sent. `permanent`: trying again cannot help (the server refused
    the recipient or the content for good); otherwise it is retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class NotConfigured(MailError):
    pass


def compose(
    settings: Settings, *, to: str, subject: str, body_text: str, body_html: str | None
) -> EmailMessage:
    """A UTF-8 message: plain text, and HTML as its alternative when given. A header that
    no message may carry (a line break in the subject) fails it for good."""
    try:
        return _message(settings, to=to, subject=subject, body_text=body_text, body_html=body_html)
    except (ValueError, TypeError) as error:
        raise MailError(
            f"Thư không hợp lệ: {error}. / The message cannot be written.", permanent=True
        ) from error


def _message(
    settings: Settings, *, to: str, subject: str, body_text: str, body_html: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body_text)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    return message


def check_configured(settings: Settings) -> None:
    if not settings.smtp_host:
        raise NotConfigured(
            "Chưa cấu hình máy chủ thư (SMTP_HOST). / No mail server is configured (SMTP_HOST)."
        )
    address = parseaddr(settings.smtp_from)[1]
    if "@" not in address:
        raise NotConfigured(
            "Chưa đặt địa chỉ gửi thư (SMTP_FROM, ví dụ Lan Tỏa <no-reply@truong.edu.vn>). / "
            "SMTP_FROM is not set to an email address."
        )


def valid_address(text: str) -> bool:
    """An address a message can be sent to: one mailbox with a domain."""
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError):
        return False
    return bool(address.username) and "." in address.domain


def send(settings: Settings, message: EmailMessage) -> None:
    """Send `message`, or raise MailError saying why not."""
    check_configured(settings)
    host, port = settings.smtp_host, settings.smtp_port
    where = f"{host}:{port}"
    try:
        with smtplib.SMTP(host, port, timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(
            f"Máy chủ thư {where} từ chối tên đăng nhập hoặc mật khẩu (SMTP_USERNAME, "
            f"SMTP_PASSWORD): {_reply(error)}. / The mail server refused the username or "
            "password."
        ) from error
    except smtplib.SMTPNotSupportedError as error:
        if "STARTTLS" in str(error).upper():
            text = (
                f"Máy chủ thư {where} không hỗ trợ STARTTLS (SMTP_STARTTLS). / The mail server "
                "does not offer STARTTLS."
            )
        else:
            text = (
                f"Máy chủ thư {where} không nhận đăng nhập (AUTH); bỏ SMTP_USERNAME nếu không "
                "cần. / The mail server offers no login (AUTH)."
            )
        raise MailError(text) from error
    except smtplib.SMTPRecipientsRefused as error:
        code, reply = next(iter(error.recipients.values()))
        raise MailError(
            f"Máy chủ thư từ chối người nhận {message['To']}: {code} {_text(reply)}. / "
            "The mail server refused the recipient.",
            permanent=code >= 500,
        ) from error
    except smtplib.SMTPSenderRefused as error:
        raise MailError(
            f"Máy chủ thư từ chối địa chỉ gửi {error.sender} (SMTP_FROM): {_reply(error)}. / "
            "The mail server refused the sender address."
        ) from error
    except smtplib.SMTPResponseException as error:
        raise MailError(
            f"Máy chủ thư {where} trả lời lỗi: {_reply(error)}. / The mail server answered "
            "with an error.",
            permanent=isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500,
        ) from error
    except UnicodeEncodeError as error:
        raise MailError(
            "Tên đăng nhập hoặc mật khẩu thư (SMTP_USERNAME, SMTP_PASSWORD) có ký tự ngoài ASCII "
            "(chữ có dấu), SMTP không gửi được. / The SMTP username or password holds non-ASCII "
            "characters."
        ) from error
    except ssl.SSLError as error:
        raise MailError(
            f"Lỗi bảo mật TLS với máy chủ thư {where}: {error}. / TLS failed with the mail server."
        ) from error
    except socket.gaierror as error:
        raise MailError(
            f"Không tìm thấy máy chủ thư {host} (SMTP_HOST). / Unknown mail server host."
        ) from error
    except ConnectionRefusedError as error:
        raise MailError(
            f"Máy chủ thư {where} không nhận kết nối (sai SMTP_HOST, SMTP_PORT, hoặc máy chủ "
            "đang tắt). / The mail server refused the connection."
        ) from error
    except TimeoutError as error:
        raise MailError(
            f"Máy chủ thư {where} không trả lời sau {settings.smtp_timeout_seconds:g} giây. / "
            "The mail server did not answer in time."
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(
            f"Không gửi được thư qua máy chủ {where}: {error}. / Could not send through the "
            "mail server."
        ) from error


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"
