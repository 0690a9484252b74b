"""Report latency against data size: 10k, 100k and 1M staff, on SQLite and PostgreSQL.

Builds a synthetic province for each size (a district plan adopted by schools of 40 staff,
four in five confirmed, one held session each with attendance, tasks and outreach) with bulk
inserts, serves it with `lantoa serve`, and times the district roll-up and one school's
progress: p50 and p95 over repeated calls. The number of SQL queries does not grow with the
size (a test checks that); this shows what each query costs as the tables grow.

    .venv/bin/python bench/report_scale.py [--sizes 10000,100000,1000000] [--repeat 15]
                                           [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from common import LiveServer, percentile
from sqlalchemy.engine import make_url

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.auth.models import ApiToken, User
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.security import API_TOKEN_PREFIX, hash_password, new_token
from app.core.text import name_sort_key
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

# One key for this process and the servers it starts, so the token made here is recognised.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
STAFF_PER_SCHOOL = 40
BATCH = 20_000
START = datetime(2025, 3, 1, 1, tzinfo=UTC)


def insert(connection, model, rows: list[dict]) -> None:
    for index in range(0, len(rows), BATCH):
        connection.execute(sa.insert(model.__table__), rows[index : index + BATCH])


def build(engine, staff: int) -> tuple[int, int, str]:
    """Returns (district plan id, one school plan id, an API token)."""
    rng = random.Random(staff)
    schools = max(1, staff // STAFF_PER_SCHOOL)
    with engine.begin() as c:
        district_id = c.execute(
            sa.insert(Organization.__table__)
            .values(
                kind="district",
                name="Tỉnh thử nghiệm",
                code="tinh",
                abbreviation="TINH",
                path="",
                depth=0,
                created_at=START,
                updated_at=START,
            )
            .returning(Organization.__table__.c.id)
        ).scalar_one()
        c.execute(
            sa.update(Organization.__table__)
            .where(Organization.__table__.c.id == district_id)
            .values(path=f"/{district_id}/")
        )
        first = district_id + 1
        insert(
            c,
            Organization,
            [
                dict(
                    id=first + i,
                    parent_id=district_id,
                    kind="school",
                    name=f"Trường {i}",
                    code=f"truong-{i}",
                    abbreviation=f"T{i}",
                    path=f"/{district_id}/{first + i}/",
                    depth=1,
                    created_at=START,
                    updated_at=START,
                )
                for i in range(schools)
            ],
        )
        school_ids = [first + i for i in range(schools)]
        plan_id = c.execute(
            sa.insert(Plan.__table__)
            .values(
                organization_id=district_id,
                status="active",
                doc_type="KH",
                number=1,
                year=2025,
                symbol="01/KH-TINH",
                title="Học tập Nghị quyết 57-NQ/TW",
                resolution="",
                preamble="",
                closing="",
                legal_basis=[],
                sections=[],
                audience_all=True,
                period_start=date(2025, 3, 1),
                recipients=[],
                signer_name="",
                signer_title="",
                material_major=1,
                material_minor=0,
                reflection_required=False,
                reflection_min_length=0,
                created_at=START,
                updated_at=START,
            )
            .returning(Plan.__table__.c.id)
        ).scalar_one()
        insert(
            c,
            Plan,
            [
                dict(
                    id=plan_id + 1 + i,
                    organization_id=s,
                    parent_plan_id=plan_id,
                    status="active",
                    doc_type="KH",
                    number=1,
                    year=2025,
                    symbol=f"01/KH-T{i}",
                    title="Học tập Nghị quyết 57-NQ/TW",
                    resolution="",
                    preamble="",
                    closing="",
                    legal_basis=[],
                    sections=[],
                    audience_all=True,
                    period_start=date(2025, 3, 1),
                    recipients=[],
                    signer_name="",
                    signer_title="",
                    material_major=1,
                    material_minor=0,
                    reflection_required=False,
                    reflection_min_length=0,
                    created_at=START,
                    updated_at=START,
                )
                for i, s in enumerate(school_ids)
            ],
        )
        plan_of = {s: plan_id + 1 + i for i, s in enumerate(school_ids)}
        people, acks = [], []
        for n in range(staff):
            school = school_ids[n % schools]
            people.append(
                dict(
                    id=n + 1,
                    organization_id=school,
                    full_name=f"Cán bộ {n}",
                    staff_code=f"CB{n}",
                    active=True,
                    search_text=f"can bo {n}",
                    sort_name=name_sort_key(f"Cán bộ {n}"),
                    created_at=START,
                    updated_at=START,
                )
            )
            if rng.random() < 0.8:
                acks.append(
                    dict(
                        plan_id=plan_of[school],
                        participant_id=n + 1,
                        organization_id=school,
                        material_major=1,
                        method="self",
                        confirmed_at=START + timedelta(days=rng.randint(1, 40), minutes=n % 600),
                        reflection="Bài thu hoạch" if rng.random() < 0.5 else None,
                    )
                )
        insert(c, Participant, people)
        insert(c, Acknowledgement, acks)
        session_first = (
            c.execute(
                sa.select(sa.func.coalesce(sa.func.max(StudySession.__table__.c.id), 0))
            ).scalar()
            + 1
        )
        insert(
            c,
            StudySession,
            [
                dict(
                    id=session_first + i,
                    plan_id=plan_of[s],
                    organization_id=s,
                    kind="study",
                    title="Học tập",
                    starts_at=START + timedelta(days=14),
                    ends_at=START + timedelta(days=14, hours=3),
                    audience_all=True,
                    status="held",
                    checkin_secret=secrets.token_hex(8),
                    created_at=START,
                    updated_at=START,
                )
                for i, s in enumerate(school_ids)
            ],
        )
        insert(
            c,
            Attendance,
            [
                dict(
                    session_id=session_first + (n % schools),
                    participant_id=n + 1,
                    status="present",
                    method="marked",
                    recorded_at=START + timedelta(days=14),
                )
                for n in range(staff)
                if rng.random() < 0.9
            ],
        )
        insert(
            c,
            Task,
            [
                dict(
                    plan_id=plan_of[s],
                    organization_id=s,
                    title="Nhiệm vụ",
                    assignee_participant_id=i + 1,
                    assignee_unit_id=None,
                    due_on=date(2025, 4, 1),
                    priority="normal",
                    status="done" if i % 2 else "todo",
                    recurrence="none",
                    created_at=START,
                    updated_at=START,
                    completed_at=START + timedelta(days=20) if i % 2 else None,
                    previous_task_id=None,
                )
                for i, s in enumerate(school_ids)
            ],
        )
        insert(
            c,
            Activity,
            [
                dict(
                    organization_id=s,
                    plan_id=plan_of[s],
                    kind="article",
                    title="Bài viết",
                    happened_on=date(2025, 3, 20),
                    reach=100,
                    created_at=START,
                    updated_at=START,
                )
                for s in school_ids
            ],
        )
        user_id = c.execute(
            sa.insert(User.__table__)
            .values(
                username=f"bench-{uuid.uuid4().hex[:6]}",
                display_name="bench",
                password_hash=hash_password("x" * 12),
                is_active=True,
                created_at=START,
                updated_at=START,
            )
            .returning(User.__table__.c.id)
        ).scalar_one()
        token, digest = new_token(API_TOKEN_PREFIX)
        c.execute(
            sa.insert(ApiToken.__table__).values(
                organization_id=district_id,
                created_by_id=user_id,
                name="bench",
                token_hash=digest,
                token_prefix=token[:10],
                scopes=["reports:read"],
                created_at=START,
                expires_at=datetime.now(UTC) + timedelta(days=30),
            )
        )
    return plan_id, plan_of[school_ids[0]], token


def time_calls(url: str, token: str, path: str, repeat: int) -> list[float]:
    timings = []
    with httpx.Client(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=600
    ) as client:
        client.get(path).raise_for_status()  # warm the caches once
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path).raise_for_status()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(backend: str, url: str, staff: int, repeat: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-scale-"))
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    migrations.upgrade(engine)
    started = time.perf_counter()
    district_plan, school_plan, token = build(engine, staff)
    built = time.perf_counter() - started
    engine.dispose()
    server = LiveServer(url, data_dir, LOG_LEVEL="WARNING").start()
    try:
        rollup = time_calls(server.url, token, f"/api/v1/plans/{district_plan}/rollup", repeat)
        progress = time_calls(server.url, token, f"/api/v1/plans/{school_plan}/progress", repeat)
    finally:
        server.stop()
    schools = max(1, staff // STAFF_PER_SCHOOL)
    print(
        f"{backend:<10} {staff:>9,} staff {schools:>6,} schools  built in {built:6.1f} s   "
        f"rollup p50 {statistics.median(rollup):8.1f} ms p95 {percentile(rollup, 95):8.1f} ms   "
        f"school progress p50 {statistics.median(progress):7.1f} ms "
        f"p95 {percentile(progress, 95):7.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--postgres-url", default="", help="A server to create scratch databases on"
    )
    args = parser.parse_args()
    for staff in [int(s) for s in args.sizes.split(",")]:
        directory = Path(tempfile.mkdtemp(prefix="lantoa-scale-db-"))
        run("SQLite", f"sqlite:///{directory / 'scale.sqlite3'}", staff, args.repeat)
        if args.postgres_url:
            server_url = make_url(
                args.postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
            )
            name = f"lantoa_scale_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.exec_driver_sql(f'CREATE DATABASE "{name}"')
            try:
                run(
                    "PostgreSQL",
                    server_url.set(database=name).render_as_string(hide_password=False),
                    staff,
                    args.repeat,
                )
            finally:
                with admin.connect() as c:
                    c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()


if __name__ == "__main__":
    main()
