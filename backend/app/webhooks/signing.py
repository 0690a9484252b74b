"""Standard Webhooks signatures (https://www.standardwebhooks.com/): any receiver that
implements the specification, or its `standardwebhooks` package, verifies our deliveries.

The signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the HMAC-SHA256 key is the
secret after its `whsec_` prefix, base64-decoded, and `webhook-signature` lists one
`v1,<base64>` per secret in use (two for a while after a rotation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
MESSAGE_PREFIX = "msg_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return MESSAGE_PREFIX + secrets.token_urlsafe(18)


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets_in_use
        ),
    }
