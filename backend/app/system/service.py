"""Health and benchmark probes: the smallest real reads and writes the app can do."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlmodel import Session

from app.core import migrations
from app.system.models import BenchProbe

logger = logging.getLogger(__name__)


def database_is_up(db: Session) -> bool:
    try:
        db.exec(sa.select(1)).one()
    except sa.exc.SQLAlchemyError:
        logger.exception("health check: database unavailable")
        return False
    return True


def schema_revision(db: Session) -> tuple[str | None, str | None]:
    """(the database's migration revision, the newest the code knows)."""
    return migrations.current_revision(db.connection()), migrations.head_revision()


def insert_probe(db: Session, *, note: str) -> BenchProbe:
    probe = BenchProbe(note=note)
    db.add(probe)
    db.flush()
    return probe


def count_probes(db: Session) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(BenchProbe)).one()[0]


def recent_probes(db: Session, *, limit: int) -> list[BenchProbe]:
    query = sa.select(BenchProbe).order_by(BenchProbe.id.desc()).limit(limit)
    return list(db.exec(query).scalars())
