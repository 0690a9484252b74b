"""The personal link's own address, /l/{token}: a page the server renders with her greeting,
her confirm buttons (forms that work before the app's scripts arrive) and her page's data."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.acknowledgements.models import Acknowledgement
from app.audit.models import AuditEvent
from app.core.db import get_db
from app.links.page import STRINGS
from app.main import FRONTEND_DIR, create_app
from tests.conftest import _bound_session
from tests.factories import make_plan

HOSTILE = "</script><script>alert(1)</script> & <b>"


@pytest.fixture
def page_client(settings, connection) -> Iterator[TestClient]:
    """The app with its frontend, as `lantoa serve` runs it, on the test's transaction."""
    app = create_app(settings, frontend_dir=FRONTEND_DIR)

    def _test_db():
        session = _bound_session(connection)
        try:
            yield session
        finally:
            session.close()

    app.dependency_overrides[get_db] = _test_db
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _link(client: TestClient, world, person_id: int) -> str:
    issued = client.post(
        f"/api/v1/participants/{person_id}/links", headers=world.headers("manager")
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["url"].endswith(f"/l/{issued.json()['token']}")
    return issued.json()["token"]


def _embedded(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="link-home">(.*?)</script>', page)
    assert found, "the page carries her data"
    return json.loads(found.group(1))


def test_the_page_shows_her_greeting_and_a_working_button_before_any_script(page_client, world, db):
    plan = make_plan(db, world.school, title="Học tập Nghị quyết 57")
    db.commit()
    token = _link(page_client, world, world.colleague.id)

    page = page_client.get(f"/l/{token}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    text = page.text
    assert "<h1>Xin chào, Trần Văn Hùng</h1>" in text
    assert "<title>Trần Văn Hùng — Lan Tỏa</title>" in text
    assert STRINGS["teacher.pendingCount"].format(n=1) in text
    action = f"/l/{token}/acknowledgements/{plan.id}"
    assert f'<form method="post" action="{action}">' in text
    assert f">{STRINGS['teacher.confirm']}</button>" in text
    # The app's own files, from the root; the styles inline, allowed by their hash only.
    assert '<base href="/">' in text and 'src="js/app.js"' in text
    assert 'rel="stylesheet"' not in text
    styles = re.search(r"<style>(.*)</style>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(styles.encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in policy
    assert "script-src 'self';" in policy
    # The same data as the API's, so the app does not ask again.
    assert _embedded(text) == page_client.get(f"/api/v1/links/{token}").json()


def test_the_button_confirms_without_scripts_and_the_page_then_says_so(page_client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    token = _link(page_client, world, world.colleague.id)

    pressed = page_client.post(f"/l/{token}/acknowledgements/{plan.id}", follow_redirects=False)
    assert pressed.status_code == 303
    assert pressed.headers["location"] == f"/l/{token}"
    confirmed = db.exec(
        sa.select(Acknowledgement).where(Acknowledgement.participant_id == world.colleague.id)
    ).all()
    assert [(a.plan_id, a.method) for (a,) in confirmed] == [(plan.id, "link")]
    audited = db.exec(
        sa.select(AuditEvent).where(
            AuditEvent.entity_type == "acknowledgement",
            AuditEvent.action == "acknowledgement.confirm",
        )
    ).all()
    assert len(audited) == 1

    after = page_client.get(f"/l/{token}")
    assert STRINGS["teacher.allDone"] in after.text
    assert "<form" not in after.text
    # Pressed again (a second tap, a reload of the form): still one confirmation.
    again = page_client.post(f"/l/{token}/acknowledgements/{plan.id}", follow_redirects=False)
    assert again.status_code == 303
    assert len(db.exec(sa.select(Acknowledgement.id)).all()) == 1


def test_a_reflection_with_the_confirmation_waits_for_the_app(page_client, world, db):
    plan = make_plan(db, world.school, reflection_required=True, reflection_min_length=50)
    db.commit()
    token = _link(page_client, world, world.colleague.id)
    text = page_client.get(f"/l/{token}").text
    assert STRINGS["teacher.writeToConfirm"] in text
    assert "<form" not in text
    # Posted anyway: refused with the server's reason on her page, nothing written.
    refused = page_client.post(f"/l/{token}/acknowledgements/{plan.id}")
    assert refused.status_code == 200
    assert 'class="notice notice-error" role="alert"' in refused.text
    assert db.exec(sa.select(Acknowledgement.id)).all() == []


def test_hostile_names_stay_text(page_client, world, db):
    make_plan(db, world.school, title=HOSTILE)
    world.colleague.full_name = HOSTILE
    db.add(world.colleague)
    db.commit()
    token = _link(page_client, world, world.colleague.id)
    text = page_client.get(f"/l/{token}").text
    assert "<script>alert(1)" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in text
    data = _embedded(text)
    assert data["person"]["full_name"] == HOSTILE
    assert data["plans"][0]["title"] == HOSTILE


def test_a_dead_link_says_so_and_guessing_is_throttled(page_client, world, db):
    token = _link(page_client, world, world.colleague.id)
    dead = page_client.get(f"/l/{token[:-2]}xx")
    assert dead.status_code == 404
    assert STRINGS["link.dead"] in dead.text and STRINGS["link.askSchool"] in dead.text
    assert "link-home" not in dead.text
    assert "Trần Văn Hùng" not in dead.text
    statuses = [page_client.get(f"/l/ltp_guess{i}").status_code for i in range(30)]
    assert statuses[-1] == 429
    # The API and the page count the same guesses.
    assert page_client.get(f"/api/v1/links/{token[:-2]}yy").status_code == 429


def test_another_schools_plan_is_not_found_through_the_page(page_client, world, db):
    other = make_plan(db, world.other_school)
    db.commit()
    token = _link(page_client, world, world.colleague.id)
    response = page_client.post(f"/l/{token}/acknowledgements/{other.id}")
    assert response.status_code == 404
    assert db.exec(sa.select(Acknowledgement.id)).all() == []


def test_the_first_view_words_as_the_app_does():
    """The server's few strings are the app's Vietnamese strings, word for word."""
    tables = "".join(
        (FRONTEND_DIR / "js/i18n" / name).read_text(encoding="utf-8")
        for name in ("study.vi.js", "vi.js")
    )
    for key, text in STRINGS.items():
        found = re.search(rf'"{re.escape(key)}":\s*"((?:[^"\\]|\\.)*)"', tables)
        assert found, key
        assert json.loads(f'"{found.group(1)}"') == text, key
