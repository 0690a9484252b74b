from __future__ import annotations

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

import app
from app.core.errors import Conflict
from app.core.routing import ApiRouter, ends_transactions, include_routers, refuse_unsafe_text
from app.system.models import BenchProbe


def test_wrapped_endpoint_has_released_its_connection_when_it_returns(engine):
    seen_during_call = []

    def endpoint(db: Session) -> int:
        value = db.exec(sa.select(1)).one()[0]
        seen_during_call.append(db.in_transaction())
        return value

    session = Session(engine)
    assert ends_transactions(endpoint)(db=session) == 1
    assert seen_during_call == [True]
    assert not session.in_transaction()


def _probes(connection) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(BenchProbe)).scalar_one()


@pytest.mark.parametrize(
    ("failure", "kept"),
    [
        (None, 1),
        (RuntimeError("bug"), 0),
        (Conflict("refused"), 0),
        (Conflict("refused, the failure counted", keep_writes=True), 1),
    ],
)
def test_wrapped_endpoint_commits_what_it_wrote_only_when_it_succeeds_or_its_error_says_so(
    connection, failure, kept
):
    def endpoint(db: Session) -> str:
        db.add(BenchProbe(note="written"))
        db.flush()
        if failure is not None:
            raise failure
        return "done"

    before = _probes(connection)
    # As the tests' request sessions: a commit releases a savepoint of the test's transaction.
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    if failure is None:
        assert ends_transactions(endpoint)(db=session) == "done"
    else:
        with pytest.raises(type(failure)):
            ends_transactions(endpoint)(db=session)
    assert not session.in_transaction()
    assert _probes(connection) == before + kept


def test_api_router_wraps_sync_endpoints_once():
    router = ApiRouter()

    @router.get("/x")
    def sync_endpoint() -> int:
        return 1

    @router.get("/y")
    async def async_endpoint() -> int:
        return 2

    sync_route, async_route = router.routes
    assert getattr(sync_route.endpoint, "_ends_transactions", False)
    assert async_route.endpoint is async_endpoint
    assert ends_transactions(sync_route.endpoint) is sync_route.endpoint


def test_every_api_route_refuses_unsafe_text_first():
    """The input rule has one home: a router that is not an ApiRouter would skip it."""
    routers = [
        value
        for info in pkgutil.walk_packages(app.__path__, "app.")
        if info.name.endswith(".router")
        for value in vars(importlib.import_module(info.name)).values()
        if isinstance(value, APIRouter)
    ]
    assert len(routers) > 10
    for router in routers:
        assert isinstance(router, ApiRouter)
        for route in router.routes:
            assert route.dependant.dependencies[0].call is refuse_unsafe_text, route.path


def test_included_routers_answer_only_the_paths_they_hold_and_keep_their_order():
    first, second, open_ended = APIRouter(), APIRouter(prefix="/things"), APIRouter()

    @first.get("/links/{token}")
    def link(token: str) -> str:
        return f"first {token}"

    @second.get("/{thing_id}")
    def thing(thing_id: int) -> str:
        return f"thing {thing_id}"

    @second.post("/{thing_id}")
    def change_thing(thing_id: int) -> str:
        return f"changed {thing_id}"

    @open_ended.get("/{anything}/{token}")
    def anything(anything: str, token: str) -> str:
        return f"open {anything} {token}"

    application = FastAPI()
    include_routers(application, [first, second, open_ended], "/api/v1")
    with TestClient(application) as client:
        assert client.get("/api/v1/links/abc").json() == "first abc"
        assert client.get("/api/v1/things/7").json() == "thing 7"
        assert client.post("/api/v1/things/7").json() == "changed 7"
        assert client.delete("/api/v1/things/7").status_code == 405  # the path is known
        # Routers are skipped only where none of their paths can begin as the request's.
        assert client.get("/api/v1/other/abc").json() == "open other abc"
        assert client.get("/api/v1/").status_code == 404
