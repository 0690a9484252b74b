"""A personal link's token is its holder's only credential: no log line carries it, whoever
writes the line (the access log, the error handler, uvicorn) and wherever the token sits in
it (the path, an exception message, a traceback)."""

from __future__ import annotations

import io
import json
import logging
import secrets
from collections.abc import Iterator

import pytest

from app.links import service as links_service


@pytest.fixture
def printed(client) -> Iterator[io.StringIO]:
    """What the app's log handler prints, as the server would print it."""
    handler = logging.getLogger("app").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_an_unexpected_error_on_a_personal_link_logs_no_token(client, printed, monkeypatch):
    token = "ltp_" + secrets.token_urlsafe(32)

    def broken_page(db, token, address):
        raise RuntimeError(f"cannot build the page of {token}")

    monkeypatch.setattr(links_service, "link_home", broken_page)
    response = client.get(f"/api/v1/links/{token}")
    assert response.status_code == 500
    output = printed.getvalue()
    assert token[4:] not in output
    lines = [json.loads(line) for line in output.splitlines()]
    error = next(line for line in lines if line["logger"] == "app.errors")
    assert error["message"].startswith("unhandled error on GET /api/v1/links/…")
    assert "RuntimeError: cannot build the page of ltp_…" in error["exception"]
    access = next(line for line in lines if line["logger"] == "app.access")
    assert access["message"].startswith("GET /api/v1/links/… 500")


def test_any_logger_is_redacted_arguments_and_traceback_alike(client, caplog):
    """uvicorn logs an exception that escapes the app ("Exception in ASGI application")."""
    token = "ltp_" + secrets.token_urlsafe(32)
    with caplog.at_level(logging.INFO):
        try:
            raise ValueError(f"bad path /api/v1/links/{token}/checkin")
        except ValueError as error:
            logging.getLogger("uvicorn.error").error(
                "Exception in ASGI application", exc_info=error
            )
        logging.getLogger("sqlalchemy.engine").warning("[parameters: %r]", {"token": token})
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "1.2.3.4", "GET", f"/api/v1/links/{token}", "1.1", 200
        )
    assert len(caplog.records) == 3
    for record in caplog.records:
        shown = logging.Formatter().format(record)
        assert token[4:] not in shown
    assert "/api/v1/links/…/checkin" in caplog.records[0].exc_text
    assert "ltp_…" in caplog.records[1].getMessage()
    assert caplog.records[2].getMessage() == '1.2.3.4 - "GET /api/v1/links/… HTTP/1.1" 200'
