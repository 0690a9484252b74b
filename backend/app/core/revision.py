"""The content revision: a token that changes whenever published content changes.

What an organisation publishes to its staff (the organisation and its units, plans with
their materials and audiences, study sessions with theirs) is read on every teacher's home
and changes rarely, so it is cached in memory (`app.links.home`). A cached copy is good
while the revision it was built under is still the one in the database: every commit that
wrote one of the published tables replaces the token, in the same transaction, so the check
holds across processes and after rollbacks (a token is random, never reused).

Writes are noticed at the session: ORM flushes and DML statements run through it. Statements
run on the raw connection bypass this; none writes a published table.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction
from sqlmodel import Field, SQLModel

from app.core import base  # noqa: F401  (the metadata's naming convention, set before the table)


class ContentRevision(SQLModel, table=True):
    """One row: the token of the published content as of the last commit that changed it."""

    __tablename__ = "content_revision"

    id: int = Field(default=1, primary_key=True)
    token: int = Field(default=0, sa_type=sa.BigInteger)


PUBLISHED_TABLES = frozenset(
    {
        "organization",
        "unit",
        "plan",
        "plan_material",
        "plan_audience_unit",
        "study_session",
        "session_audience_unit",
    }
)
_CHANGED = "content_revision.changed"
CURRENT = sa.select(ContentRevision.token).where(ContentRevision.id == 1).scalar_subquery()
_REPLACE = (
    sa.update(ContentRevision).where(ContentRevision.id == 1).values(token=sa.bindparam("token"))
)


def current(db: Session) -> int:
    return db.connection().execute(sa.select(CURRENT)).scalar_one()


@sa.event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _flush: UOWTransaction) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table in PUBLISHED_TABLES:
            session.info[_CHANGED] = True
            return


@sa.event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in PUBLISHED_TABLES:
            state.session.info[_CHANGED] = True


@sa.event.listens_for(Session, "before_commit")
def _replace_token(session: Session) -> None:
    session.flush()  # the last changes are noticed as they flush
    if session.info.pop(_CHANGED, False):
        session.connection().execute(_REPLACE, {"token": secrets.randbits(62)})


@sa.event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed: what it wrote is gone
        session.info.pop(_CHANGED, None)
