"""Log set-up: one line per record, carrying the request id of the request being served,
and never a personal link's token (nor a session or API token), whoever logs it."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from app.core.security import TOKEN_PREFIXES

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

_SECRETS = re.compile(
    r"(/links/|/l/)[^/?#\s\"'<>]+|\b(" + "|".join(map(re.escape, TOKEN_PREFIXES)) + r")[\w-]+"
)


def redact(text: str) -> str:
    """`/links/ltp_x…/checkin` becomes `/links/…/checkin` (and `/l/ltp_x…`, `/l/…`); elsewhere
    a token keeps its prefix."""
    return _SECRETS.sub(lambda found: (found.group(1) or found.group(2)) + "…", text)


def _redacted(value: Any) -> Any:
    if value is None or isinstance(value, int | float):  # %d and %.1f must still work
        return value
    text = str(value)  # an URL, an exception, a SQL error with its parameters …
    clean = redact(text)
    return value if clean == text and not isinstance(value, str) else clean


def _redacting(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """Wrap the log record factory: every record of every logger (the app's, uvicorn's,
    SQLAlchemy's) is redacted as it is made, before any handler or formatter sees it, so no
    call site has to remember. The traceback is formatted here, redacted, as `exc_text`, which
    `logging.Formatter` prints instead of formatting `exc_info` again."""

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        record.msg = _redacted(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    make_record.redacts = True  # type: ignore[attr-defined]
    return make_record


class JsonFormatter(logging.Formatter):
    """Structured logs: a JSON object per line, easy to ship and to grep."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, *others: str) -> None:
    """JSON lines from the app's loggers, and from the `others` named (`huey` in a worker)."""
    if not getattr(logging.getLogRecordFactory(), "redacts", False):
        logging.setLogRecordFactory(_redacting(logging.getLogRecordFactory()))
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("app", *others):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
