"""Two adoptions of one plan by one school at the same moment: one plan, and a 409 naming it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.authz import ROLE_PERMISSIONS, Actor, Grant, Role
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.routing import ends_transactions
from app.plans import adoption
from app.plans.models import Plan
from tests.factories import make_org, make_plan
from tests.support import backend_names, scratch_database

CLICKS = 4


@pytest.fixture(params=backend_names())
def engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


def test_parallel_adoptions_make_one_plan(engine):
    with Session(engine, expire_on_commit=False) as db:
        district = make_org(db, "pgd", "Phòng GDĐT", kind="district", abbreviation="PGD")
        school = make_org(db, "th-so", "Trường Tiểu học Số", district, abbreviation="THS")
        parent = make_plan(db, district)
        db.commit()
    actor = Actor(
        label="admin",
        grants=(Grant(school.id, school.path, ROLE_PERMISSIONS[Role.ADMIN], Role.ADMIN),),
    )
    barrier = threading.Barrier(CLICKS)
    adopted: list[int] = []
    refused: list[adoption.AlreadyAdopted] = []
    errors: list[BaseException] = []

    def adopt() -> None:
        with Session(engine, expire_on_commit=False) as db:
            barrier.wait()
            try:
                # As a request does: committed by the route's wrapper.
                plan = ends_transactions(adoption.adopt)(
                    db=db, actor=actor, parent_plan_id=parent.id, organization_id=school.id
                )
                adopted.append(plan.id)
            except adoption.AlreadyAdopted as conflict:
                refused.append(conflict)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=adopt) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(adopted) == 1 and len(refused) == CLICKS - 1
    assert all(f"plan {adopted[0]}" in conflict.detail for conflict in refused)
    with Session(engine) as db:
        children = (
            db.exec(sa.select(Plan.id).where(Plan.parent_plan_id == parent.id)).scalars().all()
        )
    assert children == adopted
