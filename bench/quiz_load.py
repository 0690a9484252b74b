"""Throughput of submitting a quiz attempt against bare inserts, in one run.

Like `load.py` (its servers, wrk scripts, rounds and figures), with three runs per round: the
minimal app's one-row SQLite insert, the app's bare one-row insert, and the submit of an
attempt through a personal link (`POST /api/v1/links/{token}/quiz/attempts/{id}/submit`, ten
answers, scored on the server, its row and audit event written). Each submit is a different
person's attempt: before the timed part the demo's school plan (its quiz: 10 of 20 questions)
gets enough people, each with a personal link and a running attempt, for every submit a round
can make. The attempts share one draw of the questions, so one body answers them all (all
right); they are due long after the run ends, so none is late.

    .venv/bin/python bench/quiz_load.py [--seconds 3] [--rounds 7] [--concurrency 16]
                                        [--database-url URL]

Needs `wrk` and Linux (/proc), as `load.py` does; with `--database-url postgresql://…` give an
empty database.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from load import (
    BARE_INSERT,
    MINIMAL_INSERT,
    Scenario,
    prepare,
    print_header,
    print_ratios,
    print_rounds,
    run_rounds,
)
from sqlmodel import Session

from app.core.config import Settings
from app.core.db import create_db_engine
from app.people.models import Participant
from app.plans.models import Plan
from app.quizzes.drawing import draw
from app.quizzes.models import QuizAttempt, QuizSettings

SUBMIT = "quiz submit (personal link)"
RATIOS: list[tuple[str, str, float | None]] = [
    (SUBMIT, BARE_INSERT, None),
    (SUBMIT, MINIMAL_INSERT, None),
]
# Submits per second the attempts are sized for; past that wrk wraps around and a repeated
# submit answers 200 with the first result (a read, cheaper than a first submit).
SUBMITS_PER_SECOND = 800
MIN_ATTEMPTS = 1500


def running_attempts(url: str, data_dir: Path, plan_id: int) -> tuple[list[int], str]:
    """A running attempt for each person `prepare` added, in the order of their tokens, and
    the body that submits any of them with every answer right."""
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    now = datetime.now(UTC)
    with Session(engine) as db:
        plan, settings = db.get(Plan, plan_id), db.get(QuizSettings, plan_id)
        questions = draw(db, plan_id, settings.question_count, settings.topic)
        people = db.exec(
            sa.select(Participant.id)
            .where(Participant.staff_code.like("BENCH%"))
            .order_by(Participant.id)
        ).scalars()
        rows = [
            {
                "plan_id": plan_id,
                "participant_id": person_id,
                "material_major": plan.material_major,
                "number": 1,
                "status": "running",
                "started_at": now,
                "deadline_at": now + timedelta(hours=6),
                "pass_percent": settings.pass_percent,
                "questions": questions,
                "answers": {},
                "total": len(questions),
            }
            for person_id in people
        ]
        db.exec(sa.insert(QuizAttempt), params=rows)
        ids = list(
            db.exec(
                sa.select(QuizAttempt.id)
                .where(QuizAttempt.plan_id == plan_id, QuizAttempt.status == "running")
                .order_by(QuizAttempt.participant_id)
            ).scalars()
        )
        db.commit()
    engine.dispose()
    body = {"answers": [{"question_id": q["id"], "chosen": q["correct"]} for q in questions]}
    return ids, json.dumps(body)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default="", help="Default: a new SQLite file")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench/quiz_load.py needs wrk as its load generator: apt-get install wrk")
    if not Path("/proc/self/stat").exists():
        sys.exit("bench/quiz_load.py reads the server's CPU time from /proc: run it on Linux")

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    per_round = max(MIN_ATTEMPTS, int(args.seconds * SUBMITS_PER_SECOND))
    people = per_round * args.rounds
    started = time.perf_counter()
    plan_id, tokens = prepare(url, data_dir, people)
    attempt_ids, body = running_attempts(url, data_dir, plan_id)
    print(
        f"set-up: demo + {people} people with links and running attempts in "
        f"{time.perf_counter() - started:.1f} s"
    )
    # The token stands for the path between the link's prefix and "/submit".
    paths = [
        f"{token}/quiz/attempts/{attempt_id}"
        for token, attempt_id in zip(tokens, attempt_ids, strict=True)
    ]

    def scenarios(number: int) -> list[tuple[str, Scenario]]:
        probe = '{"note": "probe @N@"}'
        mine = paths[number * per_round : (number + 1) * per_round]
        return [
            ("minimal", Scenario(MINIMAL_INSERT, "POST", "/insert", probe)),
            ("app", Scenario(BARE_INSERT, "POST", "/api/v1/_bench/probes", probe)),
            ("app", Scenario(SUBMIT, "POST", "/api/v1/links/{token}/submit", body, mine)),
        ]

    rounds = run_rounds(
        wrk,
        url,
        data_dir,
        scenarios,
        rounds=args.rounds,
        seconds=args.seconds,
        concurrency=args.concurrency,
    )
    print_header(
        wrk,
        url,
        f"Lan Tỏa quiz submit benchmark — %s, one uvicorn worker, wrk -t1 -c{args.concurrency}, "
        f"{args.rounds} rounds of 3 {max(1, round(args.seconds))} s runs (the first after a 1 s "
        "warm-up, except the submit)",
    )
    print_rounds(rounds)
    for submit in (results[SUBMIT] for results in rounds):
        if submit.requests > per_round:
            print(
                f"note: {submit.requests} submits for {per_round} attempts, so "
                f"{submit.requests - per_round} were repeats (200, cheaper than a first one)"
            )
    print_ratios(rounds, RATIOS, postgres=url.startswith("postgres"))


if __name__ == "__main__":
    main()
