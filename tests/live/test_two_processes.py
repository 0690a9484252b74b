"""Two app processes on one database, as two machines behind a proxy would run them: each has
its own data folder (nothing on disk shared; the signing key given by SECRET_KEY, as the
README asks of every machine), and whichever answers, a user sees the same thing — sign-in
and sign-out, API tokens, throttling of wrong passwords and dead links, the teacher's cached
page after the school publishes, check-in codes, uploads (in S3-compatible storage)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.links import service as links
from app.study_sessions.models import StudySession
from tests.factories import PASSWORD, build_world, make_plan
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live


@pytest.fixture(scope="module", params=backend_names())
def machines(request, tmp_path_factory, s3_server):
    """Started once for the module's tests (two servers take seconds), which share them; the
    one that trips the throttles runs last."""
    tmp_path = tmp_path_factory.mktemp("two-machines")
    with scratch_database(tmp_path, request.param) as url:
        settings = Settings(database_url=url, data_dir=tmp_path, _env_file=None)
        engine = create_db_engine(settings)
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            token = links.issue_for_demo(db, world.teacher, "http://test").token
            now = datetime.now(UTC)
            session = StudySession(
                plan_id=plan.id,
                organization_id=world.school.id,
                title="Học tập Nghị quyết",
                starts_at=now - timedelta(minutes=5),
                ends_at=now + timedelta(hours=1),
                checkin_secret="c" * 64,
            )
            db.add(session)
            db.commit()
        # The key the test's own tokens were made with (tests/conftest.py), given to both.
        shared_key = os.environ["SECRET_KEY"]
        servers, clients = [], []
        try:
            for name in ("a", "b"):
                folder = tmp_path / name
                folder.mkdir()
                # Uploads in the one object store both use, under this run's own prefix.
                storage = s3_server.env(f"two-machines-{request.param}")
                servers.append(
                    LiveServer(url, folder, ["--no-jobs"], SECRET_KEY=shared_key, **storage).start()
                )
            clients.extend(httpx.Client(base_url=f"{s.url}/api/v1", timeout=30) for s in servers)
            yield clients, {"world": world, "plan": plan, "token": token, "session": session}
        finally:
            for client in clients:
                client.close()
            for server in servers:
                server.stop()
            engine.dispose()


def test_replicas_starting_at_once_on_a_new_database_migrate_it_once(tmp_path):
    """Each replica migrates before it serves; started together, they take turns."""
    with scratch_database(tmp_path) as url:
        servers = []
        for name in ("a", "b"):
            (tmp_path / name).mkdir()
            servers.append(LiveServer(url, tmp_path / name, ["--no-jobs"]))
        try:
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(LiveServer.start, servers))
            for server in servers:
                ready = httpx.get(f"{server.url}/api/v1/ready")
                assert ready.status_code == 200, server.log()
        finally:
            for server in servers:
                server.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_sign_in_and_tokens_hold_on_either_machine(machines):
    (a, b), found = machines
    login = a.post("/auth/login", json={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200, login.text
    signed_in = bearer(login.json()["access_token"])
    assert b.get("/me", headers=signed_in).json()["user"]["username"] == "admin"
    api_token = b.post(
        "/api-tokens",
        headers=signed_in,
        json={
            "name": "Sở GDĐT",
            "organization_id": found["world"].school.id,
            "scopes": ["reports:read"],
        },
    )
    assert api_token.status_code == 201, api_token.text
    by_token = bearer(api_token.json()["token"])
    assert a.get(f"/plans/{found['plan'].id}/progress", headers=by_token).status_code == 200
    assert b.post("/auth/logout", headers=signed_in).status_code == 204
    assert a.get("/me", headers=signed_in).status_code == 401  # signed out everywhere
    revoked = a.delete(
        f"/api-tokens/{api_token.json()['id']}", headers=bearer(found["world"].tokens["admin"])
    )
    assert revoked.status_code == 200, revoked.text
    assert b.get(f"/plans/{found['plan'].id}/progress", headers=by_token).status_code == 401


def test_the_teachers_page_is_fresh_whichever_machine_answers(machines):
    (a, b), found = machines
    token, admin = found["token"], bearer(found["world"].tokens["admin"])
    before = {c.get(f"/links/{token}").json()["pending_count"] for c in (a, b)}
    assert before == {1}  # both machines now hold the school's page in memory
    draft = a.post(
        "/plans",
        headers=admin,
        json={
            "organization_id": found["world"].school.id,
            "title": "Kế hoạch học tập Nghị quyết số 45-NQ/TW",
            "period_start": "2026-12-01",
        },
    )
    assert draft.status_code == 201, draft.text
    issued = a.post(f"/plans/{draft.json()['id']}/issue", headers=admin, json={})
    assert issued.status_code == 200, issued.text
    page = b.get(f"/links/{token}").json()  # the other machine's copy is not stale
    assert page["pending_count"] == 2
    assert draft.json()["id"] in {p["id"] for p in page["plans"]}


def test_a_checkin_code_shown_by_one_machine_is_taken_by_the_other(machines):
    (a, b), found = machines
    manager = bearer(found["world"].tokens["manager"])
    shown = a.get(f"/sessions/{found['session'].id}/checkin-code", headers=manager)
    assert shown.status_code == 200, shown.text
    checked = b.post(f"/links/{found['token']}/checkin", json={"code": shown.json()["code"]})
    assert checked.status_code in (200, 201), checked.text
    roster = a.get(f"/sessions/{found['session'].id}/attendance", headers=manager).json()
    mine = [row for row in roster if row["participant_id"] == found["world"].teacher.id]
    assert mine and mine[0]["status"] == "present"


def test_a_file_uploaded_through_one_machine_downloads_from_the_other(machines):
    (a, b), found = machines
    manager, plan_id = bearer(found["world"].tokens["manager"]), found["plan"].id
    pdf = b"%PDF-1.4 Tai lieu hoc tap Nghi quyet 57-NQ/TW " * 200
    added = a.post(
        f"/plans/{plan_id}/materials/file",
        headers=manager,
        data={"title": "Đề cương tuyên truyền"},
        files={"file": ("de-cuong.pdf", pdf, "application/pdf")},
    )
    assert added.status_code == 201, added.text
    downloaded = b.get(f"/plans/{plan_id}/materials/{added.json()['id']}/file", headers=manager)
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content == pdf


def test_wrong_passwords_and_dead_links_count_across_machines(machines):
    (a, b), _ = machines
    wrong = {"username": "gv001", "password": "sai-mat-khau"}
    # Five tries are free wherever they land; the sixth waits, on either machine.
    statuses = [(a if i % 2 else b).post("/auth/login", json=wrong).status_code for i in range(5)]
    assert statuses == [401] * 5
    assert a.post("/auth/login", json=wrong).status_code == 429
    assert b.post("/auth/login", json=wrong).status_code == 429
    guesses = [
        (a if i % 2 else b).get(f"/links/ltp_{'x' * 40}{i:03d}").status_code for i in range(40)
    ]
    assert guesses[0] == 404 and guesses[-1] == 429
    assert 429 in guesses[: links.MAX_BAD_LINKS_PER_ADDRESS + 1]
