"""Report latency against data size: 10k and 100k staff (1M on request), on SQLite and
PostgreSQL.

Builds a synthetic province for each size with bulk inserts: districts of 100 schools, schools
of 40 staff; the province's plan adopted by every district and, under its district's, by
every school but one in twenty; four in five confirmed, one held session each with
attendance, tasks and outreach. Serves it with `lantoa serve` and times, p50 and p95 over
repeated calls: the roll-up at the top (the province's districts), at one district (its
schools), the first page of the flat list of every organisation, and one school's progress.
Beside each: the SQL statements one request runs (counted in process on the same database)
and the size of its JSON answer. The roll-up keeps each plan's counts (`rollup_cache`): each
address is timed cold once (none kept, as after a restart with every school changed), then
warm (p50, p95: nothing written since), then after a write in one school in a hundred.

    .venv/bin/python bench/report_scale.py [--sizes 10000,100000,1000000] [--repeat 15]
                                           [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres]
                                           [--no-sqlite]
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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from common import LiveServer, percentile
from sqlalchemy.engine import make_url
from sqlmodel import Session
from starlette.testclient import TestClient

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.auth.models import ApiToken, User
from app.core import changes, migrations
from app.core.config import Settings
from app.core.db import PreparedRead, create_db_engine
from app.core.security import API_TOKEN_PREFIX, hash_password, new_token
from app.core.text import name_sort_key
from app.main import create_app
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan
from app.reports.models import RollupFigures
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

# One key for this process and the servers it starts, so the token made here is recognised.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
STAFF_PER_SCHOOL = 40
SCHOOLS_PER_DISTRICT = 100
NOT_ADOPTED = 20  # one school in so many has not adopted the plan yet
BATCH = 20_000
START = datetime(2025, 3, 1, 1, tzinfo=UTC)


def insert(connection, model, rows: list[dict]) -> None:
    """Rows in batches; every row must name the same columns (the first row's are used)."""
    for index in range(0, len(rows), BATCH):
        connection.execute(sa.insert(model.__table__), rows[index : index + BATCH])


def plan_row(**values) -> dict:
    return dict(
        status="active",
        doc_type="KH",
        number=1,
        year=2025,
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
        **values,
    )


def org_row(**values) -> dict:
    return dict(created_at=START, updated_at=START, **values)


def next_id(c, model) -> int:
    table = model.__table__
    return c.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar() + 1


def build(engine, staff: int) -> Tree:
    """A province, its districts (SCHOOLS_PER_DISTRICT schools each) and their schools of
    STAFF_PER_SCHOOL; the province's plan adopted by every district and by all the schools but
    one in NOT_ADOPTED, each school's under its district's."""
    rng = random.Random(staff)
    schools = max(1, staff // STAFF_PER_SCHOOL)
    districts = max(1, round(schools / SCHOOLS_PER_DISTRICT))
    with engine.begin() as c:
        province = next_id(c, Organization)
        district_ids = [province + 1 + d for d in range(districts)]
        school_ids = [province + 1 + districts + i for i in range(schools)]
        district_of = {s: district_ids[i % districts] for i, s in enumerate(school_ids)}
        insert(
            c,
            Organization,
            [
                org_row(
                    id=province,
                    parent_id=None,
                    kind="province",
                    name="Sở GDĐT tỉnh thử nghiệm",
                    code=f"tinh-{province}",
                    abbreviation="SGDĐT",
                    path=f"/{province}/",
                    depth=0,
                )
            ]
            + [
                org_row(
                    id=d,
                    parent_id=province,
                    kind="district",
                    name=f"Phòng GDĐT huyện {n}",
                    code=f"huyen-{d}",
                    abbreviation=f"H{n}",
                    path=f"/{province}/{d}/",
                    depth=1,
                )
                for n, d in enumerate(district_ids)
            ]
            + [
                org_row(
                    id=s,
                    parent_id=district_of[s],
                    kind="school",
                    name=f"Trường {i}",
                    code=f"truong-{s}",
                    abbreviation=f"T{i}",
                    path=f"/{province}/{district_of[s]}/{s}/",
                    depth=2,
                )
                for i, s in enumerate(school_ids)
            ],
        )
        plan_id = next_id(c, Plan)
        district_plan = {d: plan_id + 1 + n for n, d in enumerate(district_ids)}
        adopting = [s for i, s in enumerate(school_ids) if i % NOT_ADOPTED]
        plan_of = {s: plan_id + 1 + districts + i for i, s in enumerate(adopting)}
        insert(
            c,
            Plan,
            [
                plan_row(
                    id=plan_id, organization_id=province, parent_plan_id=None, symbol="01/KH-SGDĐT"
                )
            ]
            + [
                plan_row(id=p, organization_id=d, parent_plan_id=plan_id, symbol=f"01/KH-H{d}")
                for d, p in district_plan.items()
            ]
            + [
                plan_row(
                    id=p,
                    organization_id=s,
                    parent_plan_id=district_plan[district_of[s]],
                    symbol=f"01/KH-T{s}",
                )
                for s, p in plan_of.items()
            ],
        )
        people, acks = [], []
        first_person = next_id(c, Participant)
        for n in range(staff):
            school = school_ids[n % schools]
            people.append(
                dict(
                    id=first_person + n,
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
            if school in plan_of and rng.random() < 0.8:
                acks.append(
                    dict(
                        plan_id=plan_of[school],
                        participant_id=first_person + n,
                        organization_id=school,
                        material_major=1,
                        method="self",
                        confirmed_at=START + timedelta(days=rng.randint(1, 40), minutes=n % 600),
                        reflection="Bài thu hoạch" if rng.random() < 0.5 else None,
                    )
                )
        insert(c, Participant, people)
        insert(c, Acknowledgement, acks)
        session_first = next_id(c, StudySession)
        session_of = {s: session_first + i for i, s in enumerate(plan_of)}
        insert(
            c,
            StudySession,
            [
                dict(
                    id=session_of[s],
                    plan_id=p,
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
                for s, p in plan_of.items()
            ],
        )
        insert(
            c,
            Attendance,
            [
                dict(
                    session_id=session_of[school_ids[n % schools]],
                    participant_id=first_person + n,
                    status="present",
                    method="marked",
                    recorded_at=START + timedelta(days=14),
                )
                for n in range(staff)
                if school_ids[n % schools] in plan_of and rng.random() < 0.9
            ],
        )
        insert(
            c,
            Task,
            [
                dict(
                    plan_id=p,
                    organization_id=s,
                    title="Nhiệm vụ",
                    assignee_participant_id=first_person + i,
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
                for i, (s, p) in enumerate(plan_of.items())
            ],
        )
        insert(
            c,
            Activity,
            [
                dict(
                    organization_id=s,
                    plan_id=p,
                    kind="article",
                    title="Bài viết",
                    happened_on=date(2025, 3, 20),
                    reach=100,
                    created_at=START,
                    updated_at=START,
                )
                for s, p in plan_of.items()
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
                organization_id=province,
                created_by_id=user_id,
                name="bench",
                token_hash=digest,
                token_prefix=token[:10],
                scopes=["reports:read"],
                created_at=START,
                expires_at=datetime.now(UTC) + timedelta(days=30),
            )
        )
    return Tree(
        schools=schools,
        districts=districts,
        plan_id=plan_id,
        district_id=district_ids[0],
        school_plan_id=plan_of[adopting[0]],
        token=token,
    )


@dataclass(frozen=True)
class Tree:
    schools: int
    districts: int
    plan_id: int
    district_id: int
    school_plan_id: int
    token: str


@dataclass(frozen=True)
class Timed:
    cold: float
    warm: list[float]
    changed: float


def forget(url: str, data_dir: Path) -> None:
    """Empty the roll-up's kept counts: the next reading counts every plan."""
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    with engine.begin() as c:
        c.execute(sa.delete(RollupFigures))
    engine.dispose()


def change_schools(url: str, data_dir: Path, every: int) -> None:
    """Log a write in one school in `every`, as confirmations there would."""
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    with Session(engine) as db:
        schools = db.exec(
            sa.select(Organization.id).where(Organization.depth == 2).order_by(Organization.id)
        ).scalars()
        for school_id in list(schools)[::every]:
            changes.note(db, "acknowledgement", school_id)
        db.commit()
    engine.dispose()


def statements_and_size(url: str, data_dir: Path, token: str, path: str) -> tuple[int, int, int]:
    """The SQL statements one request runs, counting every plan (cold) and with every plan's
    counts kept (warm), counted in process on the same database (the prepared reads run on
    the cursor, past SQLAlchemy's events, so counted apart), and the size of its JSON
    answer."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    prepared_run = PreparedRead._run

    def prepared(self, *args):
        statements.append(self._statement)
        return prepared_run(self, *args)

    app = create_app(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        client.get(path).raise_for_status()  # the token's first use is a write: not counted
        forget(url, data_dir)
        counts = []
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
        PreparedRead._run = prepared
        try:
            for _ in range(2):
                response = client.get(path)
                counts.append(len(statements))
        finally:
            PreparedRead._run = prepared_run
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
        response.raise_for_status()
    return counts[0], counts[1] - counts[0], len(response.content)


def time_calls(url: str, data_dir: Path, server: str, token: str, path: str, repeat: int) -> Timed:
    def timed(client: httpx.Client) -> float:
        started = time.perf_counter()
        client.get(path).raise_for_status()
        return (time.perf_counter() - started) * 1000

    with httpx.Client(
        base_url=server, headers={"Authorization": f"Bearer {token}"}, timeout=600
    ) as client:
        client.get(f"{path}&as_of=2025-03-01" if "?" in path else f"{path}?as_of=2025-03-01")
        forget(url, data_dir)  # the server's own caches warm (above), the kept counts cold
        cold = timed(client)
        warm = [timed(client) for _ in range(repeat)]
        change_schools(url, data_dir, 100)
        changed = timed(client)
    return Timed(cold, warm, changed)


def run(backend: str, url: str, staff: int, repeat: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-scale-"))
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    migrations.upgrade(engine)
    started = time.perf_counter()
    tree = build(engine, staff)
    built = time.perf_counter() - started
    if engine.dialect.name == "postgresql":
        # What autovacuum does within a minute of a bulk load: without the planner's
        # statistics every figure's query plans for one row and takes three times as long.
        # (SQLite has none unless ANALYZE is run, and the app never runs it.)
        with engine.begin() as c:
            c.exec_driver_sql("ANALYZE")
    engine.dispose()
    paths = {
        "roll-up, the province": f"/api/v1/plans/{tree.plan_id}/rollup",
        "roll-up, one district": f"/api/v1/plans/{tree.plan_id}/rollup?org_id={tree.district_id}",
        "flat list, first page": f"/api/v1/plans/{tree.plan_id}/rollup/organizations",
        "one school's progress": f"/api/v1/plans/{tree.school_plan_id}/progress",
    }
    counted = {
        name: statements_and_size(url, data_dir, tree.token, path) for name, path in paths.items()
    }
    server = LiveServer(url, data_dir, LOG_LEVEL="WARNING").start()
    try:
        timings = {
            name: time_calls(url, data_dir, server.url, tree.token, path, repeat)
            for name, path in paths.items()
        }
    finally:
        server.stop()
    print(
        f"{backend}: {staff:,} staff, {tree.schools:,} schools in {tree.districts:,} districts "
        f"(built in {built:.1f} s)",
        flush=True,
    )
    for name, measured in timings.items():
        cold, warm, size = counted[name]
        print(
            f"  {name:<24} cold {measured.cold:8.1f} ms ({cold:>2} statements)  "
            f"warm p50 {statistics.median(measured.warm):8.1f} ms  "
            f"p95 {percentile(measured.warm, 95):8.1f} ms ({warm:>2} statements)  "
            f"1% changed {measured.changed:8.1f} ms  {size / 1024:8.1f} KiB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000,100000", help="Staff counts; add 1000000 for the sector"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--no-sqlite", action="store_true", help="Only the PostgreSQL server (the sector's size)"
    )
    parser.add_argument(
        "--postgres-url", default="", help="A server to create scratch databases on"
    )
    args = parser.parse_args()
    for staff in [int(s) for s in args.sizes.split(",")]:
        if not args.no_sqlite:
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
