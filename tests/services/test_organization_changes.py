"""The marks of `app.core.changes` against a reader's `since`, with real transactions on two
connections (committed, then removed): a write that commits after a reader looked is never
taken as seen by it, whatever the order its transaction began in; on SQLite one committed
before is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.core import changes
from app.core.db import sqlite_write_intent
from app.orgs.models import Organization


@pytest.fixture
def org_id(engine) -> Iterator[int]:
    """An organisation committed for the test, removed with its changes afterwards."""
    with Session(engine) as db:
        org = Organization(
            kind="school", name="Trường Thử Dấu", code="thu-dau", abbreviation="TD", path="/"
        )
        db.add(org)
        db.commit()
        found = org.id
    yield found
    with Session(engine) as db:
        db.exec(sa.delete(changes.OrganizationChange))
        db.exec(sa.delete(Organization).where(Organization.id == found))
        db.commit()


def read(engine, expression) -> int | None:
    """As a read request reads: beside a writer, not after it (SQLite's deferred BEGIN)."""
    intent = sqlite_write_intent.set(False)
    try:
        with engine.connect() as reader:
            return reader.execute(sa.select(expression)).scalar_one()
    finally:
        sqlite_write_intent.reset(intent)


def since(engine) -> int:
    return read(engine, changes.since(engine.dialect.name))


def last_change(engine, org_id: int | None) -> int | None:
    return read(engine, changes.last_change(None if org_id is None else sa.literal(org_id)))


def test_a_write_committed_after_the_reader_looked_is_not_seen(engine, org_id):
    with Session(engine) as before:
        changes.note(before, "acknowledgement", org_id)
        before.commit()
    looked = since(engine)
    if engine.dialect.name == "sqlite":  # committed before: seen. (On PostgreSQL only once
        # every transaction of the cluster begun before it has ended, which another's may not.)
        assert last_change(engine, org_id) < looked

    writer = Session(engine)
    writer.connection()  # its transaction begins (on PostgreSQL its id is taken below)
    changes.note(writer, "acknowledgement", org_id)
    if engine.dialect.name == "postgresql":
        # Begun before the reader looks, committed after: the case commit order breaks.
        writer.execute(sa.select(sa.func.pg_current_xact_id()))
        looked = since(engine)
        writer.commit()
    else:  # one writer at a time: the reader looks while it has not committed
        looked = since(engine)
        writer.commit()
    writer.close()
    assert last_change(engine, org_id) >= looked


def test_every_organisation_and_uncounted_kinds(engine, org_id):
    """A change of unknown rows counts for every organisation; a sign-in for none."""
    created = last_change(engine, org_id)  # the organisation's own creation
    with Session(engine) as db:
        changes.note(db, "login_session", org_id)
        db.commit()
    assert last_change(engine, org_id) == created
    looked = since(engine)
    with Session(engine) as db:
        db.exec(sa.update(Organization).where(Organization.id == -1).values(name="x"))
        db.commit()
    assert last_change(engine, None) >= looked
