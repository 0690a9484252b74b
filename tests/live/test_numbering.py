"""Two plans issued at the same moment never share a number, on either database."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session

from app.authz import ROLE_PERMISSIONS, Actor, Grant, Role
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.routing import ends_transactions
from app.plans import document
from tests.factories import make_org, make_plan
from tests.support import backend_names, scratch_database

ISSUERS = 6


@pytest.fixture(params=backend_names())
def engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


def test_concurrent_issues_get_distinct_consecutive_numbers(engine):
    with Session(engine, expire_on_commit=False) as db:
        school = make_org(db, "th-so", "Trường Tiểu học Số", abbreviation="THS")
        drafts = [make_plan(db, school, status="draft").id for _ in range(ISSUERS)]
        db.commit()
    actor = Actor(
        label="admin",
        grants=(Grant(school.id, school.path, ROLE_PERMISSIONS[Role.ADMIN], Role.ADMIN),),
    )
    barrier = threading.Barrier(ISSUERS)
    symbols: list[str] = []
    errors: list[BaseException] = []

    def issue(plan_id: int) -> None:
        with Session(engine, expire_on_commit=False) as db:
            barrier.wait()
            try:
                # As a request does: committed by the route's wrapper.
                plan = ends_transactions(document.transition)(
                    db=db, actor=actor, plan_id=plan_id, action="issue", issued_on=date(2025, 3, 5)
                )
                symbols.append(plan.symbol)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=issue, args=(plan_id,)) for plan_id in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(symbols) == [f"{n:02d}/KH-THS" for n in range(1, ISSUERS + 1)]
