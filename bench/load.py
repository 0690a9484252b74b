"""Throughput of the teacher's endpoints against bare endpoints on the same server.

Starts `lantoa serve --demo` in benchmark mode (one worker, like the embedded set-up) and
measures in one run: a bare JSON endpoint, a bare one-row insert, the one-tap confirmation
(each request a different person, through a personal link) and the teacher's home page.
Prints requests per second, latency, and the ratios the project targets:
confirm ≥ 0.7 × bare insert, teacher home ≥ 0.5 × bare JSON.

    .venv/bin/python bench/load.py [--seconds 10] [--concurrency 16] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
from pathlib import Path

import sqlalchemy as sa
from common import LiveServer, measure
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.demo.loader import SCHOOL_CODE, load_demo
from app.links import service as links
from app.orgs import service as orgs
from app.people.models import Participant
from app.people.service import search_text
from app.plans.models import Plan

REFLECTION = "Bài thu hoạch: " + "liên hệ bản thân về chuyển đổi số trong dạy học. " * 6


def prepare(url: str, data_dir: Path, people: int) -> tuple[int, list[str]]:
    """The demo, plus `people` extra teachers with personal links; returns (plan id, tokens)."""
    os.environ["DATA_DIR"] = str(data_dir)  # the link tokens are hashed with this data folder's key
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    migrations.upgrade(engine)
    with Session(engine, expire_on_commit=False) as db:
        load_demo(db)
        school = orgs.get_org_by_code(db, SCHOOL_CODE)
        plan = db.exec(sa.select(Plan).where(Plan.organization_id == school.id)).scalar_one()
        tokens = []
        for index in range(people):
            person = Participant(
                organization_id=school.id,
                full_name=f"Giáo viên thử {index}",
                staff_code=f"BENCH{index:05d}",
            )
            person.search_text = search_text(person)
            db.add(person)
            db.flush()
            tokens.append(links.issue_for_demo(db, person, "http://bench").token)
        db.commit()
    engine.dispose()
    return plan.id, tokens


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default="", help="Default: a new SQLite file")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    people = int(args.seconds * 400)  # more than the confirmations one run can make
    plan_id, tokens = prepare(url, data_dir, people)
    server = LiveServer(url, data_dir, BENCH_MODE="1", LOG_LEVEL="WARNING").start()
    try:

        def bare_json(client, i):
            return client.get("/api/v1/_bench/json")

        def bare_insert(client, i):
            return client.post("/api/v1/_bench/probes", json={"note": f"probe {i}"})

        def confirm(client, i):
            return client.post(
                f"/api/v1/links/{tokens[i % len(tokens)]}/acknowledgements/{plan_id}",
                json={"reflection": REFLECTION},
            )

        def teacher_home(client, i):
            return client.get(f"/api/v1/links/{tokens[i % len(tokens)]}")

        run = {"seconds": args.seconds, "concurrency": args.concurrency}
        results = {
            "bare JSON": measure(server.url, bare_json, name="bare JSON", **run),
            "bare insert": measure(server.url, bare_insert, name="bare one-row insert", **run),
            "confirm": measure(server.url, confirm, name="confirm (personal link)", **run),
            "teacher home": measure(
                server.url, teacher_home, name="teacher home (personal link)", **run
            ),
        }
    finally:
        server.stop()

    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"Lan Tỏa load benchmark — {backend}, one uvicorn worker, "
        f"{args.concurrency} concurrent clients, {args.seconds:.0f} s each"
    )
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for figures in results.values():
        print("  " + figures.line())
    confirm_ratio = results["confirm"].per_second / results["bare insert"].per_second
    home_ratio = results["teacher home"].per_second / results["bare JSON"].per_second
    print(f"confirm / bare insert     = {confirm_ratio:.2f}  (target ≥ 0.70)")
    print(f"teacher home / bare JSON  = {home_ratio:.2f}  (target ≥ 0.50)")


if __name__ == "__main__":
    main()
