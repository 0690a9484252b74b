"""Planning and sending reminders for a school of 10,000 staff: time and SQL statements.

Builds one school (people in 25 units, each with a leader; an admin login), an issued plan
for everyone that 60% have confirmed, a plan for five units with a reflection due later,
500 open tasks with a due day and a session tomorrow; then times `plan_reminders`, a first
`send_due` (every reminder, notification and digest written) and a second one (nothing new),
and counts their statements, which do not grow with the number of people.

    .venv/bin/python bench/reminders.py [--staff 10000]
                                        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import common  # noqa: F401 - the import path
import sqlalchemy as sa
from report_scale import insert
from sqlalchemy.engine import make_url

from app.acknowledgements.models import Acknowledgement
from app.auth.models import RoleAssignment, User
from app.core import migrations
from app.core.config import Settings, use_settings
from app.core.db import create_db_engine, new_session
from app.core.text import fold, name_sort_key
from app.orgs.models import Organization, Unit, UnitMembership
from app.people.models import Participant
from app.plans.models import Plan, PlanAudienceUnit
from app.reminders.planning import plan_reminders
from app.reminders.sending import send_due
from app.study_sessions.models import StudySession
from app.tasks.models import Task

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
UNITS = 25
START = datetime(2026, 11, 2, 1, tzinfo=UTC)
NOW = datetime(2026, 12, 9, 2, tzinfo=UTC)  # Wednesday 9 o'clock in Vietnam


def _plan(**values) -> dict:
    return {
        "status": "active",
        "doc_type": "KH",
        "year": 2026,
        "resolution": "",
        "preamble": "",
        "closing": "",
        "legal_basis": [],
        "sections": [],
        "recipients": [],
        "signer_name": "",
        "signer_title": "",
        "material_major": 1,
        "material_minor": 0,
        "reflection_min_length": 0,
        "issued_on": date(2026, 11, 2),
        "period_start": date(2026, 11, 2),
        "created_at": START,
        "updated_at": START,
        **values,
    }


def build(engine, staff: int) -> None:
    stamps = {"created_at": START, "updated_at": START}
    with engine.begin() as c:
        insert(
            c,
            Organization,
            [
                dict(id=1, kind="district", name="Phòng", code="pgd", abbreviation="PGD",
                     path="/1/", depth=0, **stamps),
                dict(id=2, parent_id=1, kind="school", name="Trường lớn", code="truong",
                     abbreviation="TL", path="/1/2/", depth=1, **stamps),
            ],
        )  # fmt: skip
        insert(
            c,
            Unit,
            [
                dict(id=u, organization_id=2, name=f"Tổ {u}", search_key=f"to {u}", **stamps)
                for u in range(1, UNITS + 1)
            ],
        )
        people = []
        for i in range(1, staff + 1):
            name = f"Nguyễn Văn {i}"
            people.append(
                dict(id=i, organization_id=2, full_name=name, staff_code=f"GV{i:05}",
                     email=f"gv{i}@example.vn" if i % 2 else None, active=True,
                     search_text=fold(name), sort_name=name_sort_key(name), **stamps)
            )  # fmt: skip
        insert(c, Participant, people)
        insert(
            c,
            UnitMembership,
            [
                dict(unit_id=1 + i % UNITS, participant_id=i, is_leader=i <= UNITS,
                     started_at=START)
                for i in range(1, staff + 1)
            ],
        )  # fmt: skip
        admin = dict(id=1, username="admin", display_name="Hiệu trưởng", participant_id=1)
        insert(c, User, [dict(**admin, password_hash="x", is_active=True, **stamps)])
        insert(c, RoleAssignment, [dict(user_id=1, organization_id=2, role="admin", **stamps)])
        insert(
            c,
            Plan,
            [
                _plan(id=1, organization_id=2, number=1, symbol="01/KH-TL", title="Học tập NQ57",
                      audience_all=True, reflection_required=False),
                _plan(id=2, organization_id=2, number=2, symbol="02/KH-TL", title="Chuyên đề",
                      audience_all=False, reflection_required=True, reflection_timing="later",
                      reflection_due_on=date(2026, 12, 4)),
            ],
        )  # fmt: skip
        insert(c, PlanAudienceUnit, [dict(plan_id=2, unit_id=u) for u in range(1, 6)])
        insert(
            c,
            Acknowledgement,
            [
                dict(plan_id=plan, participant_id=i, organization_id=2, material_major=1,
                     confirmed_at=START + timedelta(days=1), method="self")
                for plan, share in ((1, 6), (2, 10))
                for i in range(1, staff + 1)
                if i % 10 < share and (plan == 1 or 1 + i % UNITS <= 5)
            ],
        )  # fmt: skip
        insert(
            c,
            Task,
            [
                dict(plan_id=1, organization_id=2, title=f"Nhiệm vụ {i}",
                     assignee_participant_id=i * 7 % staff + 1, due_on=date(2026, 12, 9),
                     status="todo", priority="normal", recurrence="none", **stamps)
                for i in range(500)
            ],
        )  # fmt: skip
        insert(
            c,
            StudySession,
            [
                dict(plan_id=1, organization_id=2, title="Học tập chuyên đề",
                     starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=1, hours=2),
                     kind="study", audience_all=True, status="scheduled", checkin_secret="s",
                     **stamps)
            ],
        )  # fmt: skip


def timed(engine, label: str, work) -> object:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    session = new_session(engine)
    try:
        started = time.perf_counter()
        result = work(session)
        session.commit()
        elapsed = time.perf_counter() - started
    finally:
        session.close()
        sa.event.remove(engine, "before_cursor_execute", listener)
    print(f"  {label:<34} {elapsed:7.2f} s  {len(statements):4} statements")
    return result


def run(url: str, data_dir: Path, staff: int) -> None:
    settings = use_settings(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    engine = create_db_engine(settings)
    try:
        migrations.upgrade(engine)
        started = time.perf_counter()
        build(engine, staff)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(sa.text("ANALYZE"))  # fresh tables have no statistics yet
        print(f"{make_url(url).get_backend_name()}, {staff} staff "
              f"(built in {time.perf_counter() - started:.1f} s):")  # fmt: skip
        due = timed(engine, "plan_reminders", lambda db: plan_reminders(db, NOW))
        print(f"    {len(due.reminders)} reminders, {len(due.digests)} digests due")
        sent = timed(engine, "send_due (first: writes all)", lambda db: send_due(db, NOW))
        print(f"    sent {sent.reminders} reminders, {sent.digests} digests")
        again = timed(engine, "send_due (again: nothing new)", lambda db: send_due(db, NOW))
        assert again.reminders == again.digests == 0
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--postgres-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lantoa-bench-") as folder:
        if not args.postgres_url:
            run(f"sqlite:///{folder}/bench.sqlite3", Path(folder), args.staff)
            return
        name = f"bench_reminders_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres_url).set(database=name).render_as_string(False)
            run(url, Path(folder), args.staff)
        finally:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
