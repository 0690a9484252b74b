"""Two moves of one person at the same moment (a double click, two clerks): one new staff
row, one link between the rows; the others are refused."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.authz import ROLE_PERMISSIONS, Actor, Grant, Role
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.errors import ProblemError
from app.core.routing import ends_transactions
from app.people.models import Participant
from app.transfers import service as transfers
from app.transfers.models import ParticipantTransfer
from app.transfers.schemas import TransferCreate
from tests.factories import make_org, make_participant
from tests.support import backend_names, scratch_database

CLICKS = 4


@pytest.fixture(params=backend_names())
def engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


def test_parallel_moves_make_one_new_row(engine):
    with Session(engine, expire_on_commit=False) as db:
        district = make_org(db, "pgd", "Phòng GDĐT", kind="district", abbreviation="PGD")
        school = make_org(db, "th-a", "Trường Tiểu học A", district, abbreviation="THA")
        other = make_org(db, "th-b", "Trường Tiểu học B", district, abbreviation="THB")
        person = make_participant(db, school, "Nguyễn Thị Mai", "GV001")
        db.commit()
    actor = Actor(
        label="district admin",
        grants=(Grant(district.id, district.path, ROLE_PERMISSIONS[Role.ADMIN], Role.ADMIN),),
    )
    barrier = threading.Barrier(CLICKS)
    moved: list[int] = []
    refused: list[ProblemError] = []
    errors: list[BaseException] = []

    def move(code: str) -> None:
        with Session(engine, expire_on_commit=False) as db:
            barrier.wait()
            try:
                # As a request does: committed by the route's wrapper.
                new = ends_transactions(transfers.transfer)(
                    db=db,
                    actor=actor,
                    participant_id=person.id,
                    data=TransferCreate(to_org_id=other.id, staff_code=code),
                )
                moved.append(new.id)
            except ProblemError as refusal:
                refused.append(refusal)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

    # Each click with its own code, so that only the one link between rows can stop them.
    threads = [threading.Thread(target=move, args=(f"GV10{i}",)) for i in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(moved) == 1 and len(refused) == CLICKS - 1
    assert all(refusal.status == 422 for refusal in refused)
    with Session(engine) as db:
        there = (
            db.exec(sa.select(Participant.id).where(Participant.organization_id == other.id))
            .scalars()
            .all()
        )
        links = db.exec(sa.select(ParticipantTransfer.to_participant_id)).scalars().all()
    assert there == moved and links == moved
