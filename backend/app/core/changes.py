"""The log of which organisations each commit changed, for caches of what they count.

Figures kept between requests (`app.reports.rollup_cache`) are good while nothing they count
has been written since. Every commit that wrote to an organisation's records adds one row
per organisation written, in the same transaction, so no write can commit without it and a
rolled-back one leaves none. Rows are only ever inserted: a school confirming at once adds a
row each, none waits for another's.

Writes are noticed three ways, so that none is missed: the audit trail notes the
organisation of every event (the busiest writes are plain SQL, past the ORM, but all are
audited); ORM flushes note the organisation of each record written, before and after (a
transfer ends a person's row here and files its event there); and an INSERT, UPDATE or
DELETE statement run through the session, whose rows are not known, is logged as a change of
every organisation (a row without one), unless it rewrites the audience units of a plan or
session, written with their owner's audited change. Tables and audit entity types whose
writes no figure reads (sign-ins, tokens, mail, …) are left out, so that a sign-in does not
make a school be counted again.

Each row has a `mark`, comparable to the `since` a reader takes before it counts
(`since()`): every change with a lower mark was visible to the reader, any other may not have
been. On SQLite, whose writers take turns, the mark is the next number; on PostgreSQL, whose
transactions commit in any order, it is the writer's transaction id, and `since` the oldest
transaction still running when the reader looked (`pg_snapshot_xmin`).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction
from sqlmodel import Field, SQLModel

from app.core import base  # noqa: F401  (the metadata's naming convention, set before the table)


class OrganizationChange(SQLModel, table=True):
    """A commit that wrote to the organisation's records (see above)."""

    __tablename__ = "organization_change"
    __table_args__ = (
        sa.Index("ix_organization_change_organization_id_mark", "organization_id", "mark"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int | None = Field(
        default=None, foreign_key="organization.id", ondelete="CASCADE"
    )  # None: every organisation
    mark: int = Field(sa_type=sa.BigInteger, index=True)


# Writes no figure reads: tables (ORM) and the audit trail's entity types.
UNCOUNTED = frozenset(
    {
        "api_token",
        "audit_event",
        "content_revision",
        "document_counter",
        "failed_attempt",
        "login_session",
        "notification",
        "organization_change",
        "outbound_message",
        "personal_link",
        "reminder",
        "reminder_policy",
        "report",
        "retention_policy",
        "role_assignment",
        "rollup_figures",
        "stored_file",
        "user",
        "user_account",
        "webhook_delivery",
        "webhook_endpoint",
    }
)
# Audited reads: a copy taken of a record changes no figure.
READS = frozenset({"participant.export", "participant.history_export", "contest.export"})
# Rewritten with their plan or session, whose change is audited under its organisation.
_WITH_THEIR_OWNER = frozenset({"plan_audience_unit", "session_audience_unit"})
_WRITTEN = "organization_change.written"
_EVERYWHERE = -1  # in the noted set: a change of every organisation


def note(session: Session, kind: str, organization_id: int | None) -> None:
    """The transaction wrote a record of this kind (table or audit entity type) of the
    organisation: its commit logs the organisation unless no figure reads that kind."""
    if organization_id is not None and kind not in UNCOUNTED:
        session.info.setdefault(_WRITTEN, set()).add(organization_id)


def pending(session: Session) -> bool:
    """Whether the session's transaction has written what a figure reads, not committed yet:
    what a cache holds does not show it."""
    return bool(session.info.get(_WRITTEN) or session.new or session.dirty or session.deleted)


def _mark(dialect: str) -> sa.ColumnElement[int]:
    if dialect == "postgresql":
        return sa.cast(sa.cast(sa.func.pg_current_xact_id(), sa.Text), sa.BigInteger)
    return (
        sa.select(sa.func.coalesce(sa.func.max(OrganizationChange.mark), 0) + 1)
    ).scalar_subquery()


def since(dialect: str) -> sa.ScalarSelect:
    """SQL: the mark below which every change is visible to the reader, from now on in its
    transaction."""
    if dialect == "postgresql":
        xmin = sa.func.pg_snapshot_xmin(sa.func.pg_current_snapshot())
        return sa.select(sa.cast(sa.cast(xmin, sa.Text), sa.BigInteger)).scalar_subquery()
    return sa.select(_mark(dialect)).scalar_subquery()


def last_change(organization_id: sa.ColumnElement[int] | None) -> sa.ScalarSelect:
    """SQL: the highest mark of the organisation's own changes, or of those of every
    organisation (None), or NULL: one index probe."""
    which = (
        OrganizationChange.organization_id.is_(None)
        if organization_id is None
        else OrganizationChange.organization_id == organization_id
    )
    return sa.select(sa.func.max(OrganizationChange.mark)).where(which).scalar_subquery()


def _organizations(instance: object) -> Iterable[int | None]:
    """The organisations a record written belongs to, before and after the write."""
    if getattr(instance, "__tablename__", None) == "organization":
        return (instance.id,)  # type: ignore[attr-defined]
    if not hasattr(instance, "organization_id"):
        return ()  # a unit membership, a mark: written with an audited event of their owner
    history = sa.inspect(instance).attrs.organization_id.history
    return (instance.organization_id, *history.deleted)  # type: ignore[attr-defined]


@sa.event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _flush: UOWTransaction) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        kind = getattr(instance, "__tablename__", "")
        for organization_id in _organizations(instance):
            note(session, kind, organization_id)


@sa.event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", "")
        if table not in UNCOUNTED and table not in _WITH_THEIR_OWNER:
            state.session.info.setdefault(_WRITTEN, set()).add(_EVERYWHERE)


@sa.event.listens_for(Session, "before_commit")
def _log(session: Session) -> None:
    session.flush()  # the last changes are noticed as they flush
    written = session.info.pop(_WRITTEN, None)
    if written:
        connection = session.connection()
        connection.execute(
            sa.insert(OrganizationChange).values(mark=_mark(connection.dialect.name)),
            [
                {"organization_id": None if org_id == _EVERYWHERE else org_id}
                for org_id in sorted(written)
            ],
        )


@sa.event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed: what it wrote is gone
        session.info.pop(_WRITTEN, None)
