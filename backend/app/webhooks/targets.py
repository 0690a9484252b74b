"""Where a webhook may point: a public web address, never the server's own network.

An endpoint that names a private, loopback or link-local address (or a name that resolves to
one) would let an organisation's admin make the server call inside its own network. Refused
when registered and again before each delivery (a name may resolve elsewhere later), unless
WEBHOOK_ALLOW_PRIVATE_TARGETS is set (tests, a district's own intranet).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from app.core.config import current_settings

MAX_URL_LENGTH = 2000


class BadTarget(ValueError):
    """Why a URL may not receive webhooks, in words for the admin."""


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BadTarget(
            f"Không tìm thấy máy chủ '{host}'. / Host '{host}' cannot be resolved."
        ) from error
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]


def check(url: str, *, resolve: bool = True) -> str:
    """The URL, normalised, or BadTarget saying why not."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise BadTarget(f"Địa chỉ quá dài. / At most {MAX_URL_LENGTH} characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadTarget("Cần địa chỉ http(s)://… / An http(s) URL is required.")
    if parts.username or parts.password:
        raise BadTarget("Địa chỉ không được chứa mật khẩu. / No credentials in the URL.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise BadTarget("Cổng không hợp lệ. / Invalid port.") from error
    if resolve and not current_settings().webhook_allow_private_targets:
        for address in _addresses(parts.hostname, port):
            if not address.is_global:
                raise BadTarget(
                    f"Địa chỉ nội bộ ({address}) không được nhận webhook. / "
                    f"A private, loopback or link-local address ({address}) is not allowed."
                )
    return url
