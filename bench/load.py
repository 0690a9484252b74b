"""Throughput of the teacher's endpoints against bare endpoints, of the app and of a minimal
FastAPI app, in one run.

Starts `lantoa serve` in benchmark mode (one worker, like the embedded set-up) and, beside it,
`bench/minimal_app.py` (the framework's floor: no middleware, three routes, served by uvicorn
with the same options), and measures in one run, in this order: the minimal app's bare async
JSON endpoint, its bare sync one and its one-row SQLite insert; then the app's bare JSON
endpoint, its bare one-row insert, the one-tap confirmation (each request a different person,
through a personal link) and the teacher's home page.
For each it prints requests per second, latency, errors and the server's CPU time per request
(user + system time of the server process and its children, from /proc, read before and after
the run) and, where the hypervisor took a noticeable share of the machine meanwhile (the
steal time of /proc/stat), how much; then the ratios the project targets, by throughput and
by server CPU per request: against the app's own floor, confirm ≥ 0.7 × bare insert and
teacher home ≥ 0.5 × bare JSON; against the framework's, the app's bare JSON ≥ 0.5 × the
minimal sync endpoint, teacher home ≥ 0.25 × the minimal async one and confirm ≥ 0.7 × the
minimal insert. Each ratio is the median of the rounds' ratios, and also that of each
endpoint's best round: interference from other machines only ever slows a run down, as
timeit's minimum assumes.

    .venv/bin/python bench/load.py [--seconds 3] [--rounds 7] [--concurrency 16]
                                   [--database-url URL]

Needs `wrk` (`apt-get install wrk`) and Linux (/proc). The load generator is wrk, not a Python
client: an asyncio HTTP client spends about 3.6 ms of CPU per request, more than the server
spends on a bare endpoint, so on a small machine it was the bottleneck and capped the bare
endpoints, which made the ratios look better than they are. wrk runs one thread
(`-t1 -c{concurrency} --latency`) with a Lua script generated per scenario into a temporary
folder; the script rotates through the personal-link tokens (written to a file it reads) so
each confirmation is a different person, and reports statuses and latency from `done()`.

Every run gets a new database (default: a SQLite file in a temporary folder; with
`--database-url postgresql://…` give an empty database). The minimal app always inserts into
a SQLite file of its own. The server CPU figure counts the application process only: with
PostgreSQL the database's own processes are not included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from common import ROOT, LiveServer
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.security import LINK_TOKEN_PREFIX, new_token
from app.demo.loader import SCHOOL_CODE, load_demo
from app.links.models import PersonalLink
from app.orgs import service as orgs
from app.people.models import Participant
from app.plans.models import Plan

REFLECTION = "Bài thu hoạch: " + "liên hệ bản thân về chuyển đổi số trong dạy học. " * 6
WARM_UP_SECONDS = 1
# Confirmations per second the token list is sized for (a different person each request);
# past that the script wraps around and a repeat confirmation answers 200 with the record.
CONFIRMS_PER_SECOND = 1200
MIN_PEOPLE = 2000
RESULT_MARK = "@@lantoa "

MINIMAL_ASYNC, MINIMAL_SYNC, MINIMAL_INSERT = "minimal async", "minimal sync", "minimal insert"
BARE_JSON, BARE_INSERT = "bare JSON", "bare one-row insert"
CONFIRM, HOME = "confirm (personal link)", "teacher home (personal link)"
# (endpoint, the floor it is compared with, the target of their ratio of throughputs)
RATIOS: list[tuple[str, str, float | None]] = [
    (CONFIRM, BARE_INSERT, 0.70),
    (HOME, BARE_JSON, 0.50),
    (BARE_JSON, MINIMAL_SYNC, 0.50),
    (HOME, MINIMAL_ASYNC, 0.25),
    (CONFIRM, MINIMAL_INSERT, 0.70),
]


def prepare(url: str, data_dir: Path, people: int) -> tuple[int, list[str]]:
    """The demo, plus `people` extra teachers with personal links; returns (plan id, tokens).

    The link rows are inserted directly (what `links.issue_for_demo` stores, without its QR
    code and audit record, which made set-up take about 10 ms per person).
    """
    os.environ["DATA_DIR"] = str(data_dir)  # the link tokens are hashed with this data folder's key
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    migrations.upgrade(engine)
    expires_at = datetime.now(UTC) + timedelta(days=30)
    with Session(engine, expire_on_commit=False) as db:
        load_demo(db)
        school = orgs.get_org_by_code(db, SCHOOL_CODE)
        # The school's plan under way (the demo also holds last school year's, closed).
        plan = db.exec(
            sa.select(Plan).where(Plan.organization_id == school.id, Plan.status == "active")
        ).scalar_one()
        tokens = []
        for start in range(0, people, 1000):
            batch = []
            for index in range(start, min(people, start + 1000)):
                person = Participant(
                    organization_id=school.id,
                    full_name=f"Giáo viên thử {index}",
                    staff_code=f"BENCH{index:05d}",
                )
                batch.append(person)
            db.add_all(batch)
            db.flush()
            for person in batch:
                token, digest = new_token(LINK_TOKEN_PREFIX)
                db.add(
                    PersonalLink(participant_id=person.id, token_hash=digest, expires_at=expires_at)
                )
                tokens.append(token)
            db.flush()
        db.commit()
    engine.dispose()
    return plan.id, tokens


def analyze(url: str, data_dir: Path) -> None:
    """Bring the planner's statistics up to date, as PostgreSQL's autovacuum does as tables
    grow (a server with it turned off, as on this project's development machine, would
    otherwise plan every round with the row counts of an empty database)."""
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    with engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    engine.dispose()


# --- wrk ---------------------------------------------------------------------------------

_LUA = r"""
local tokens = {}
for line in io.lines([==[@TOKENS@]==]) do tokens[#tokens + 1] = line end
local method = "@METHOD@"
local prefix, suffix = [==[@PREFIX@]==], [==[@SUFFIX@]==]
local body = [==[@BODY@]==]
local counter = 0
local headers = {}
if body ~= "" then headers["Content-Type"] = "application/json" end

request = function()
  counter = counter + 1
  local path = prefix
  if #tokens > 0 then path = path .. tokens[(counter - 1) % #tokens + 1] .. suffix end
  local payload = nil
  if body ~= "" then payload = body:gsub("@N@", tostring(counter)) end
  return wrk.format(method, path, headers, payload)
end

statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[#counts + 1] = string.format('"%d": %d', status, n)
    end
  end
  local e = summary.errors
  io.write("@MARK@", string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "statuses": {%s}}',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(counts, ", ")), "\n")
end
"""


@dataclass
class Scenario:
    name: str
    method: str
    path: str  # may hold "{token}": replaced, request by request, with the next token
    body: str = ""  # may hold "@N@": replaced with the request's number
    tokens: list[str] = field(default_factory=list)

    def script(self, folder: Path, label: str) -> Path:
        tokens_file = folder / f"{label}.tokens"
        tokens_file.write_text("".join(token + "\n" for token in self.tokens))
        prefix, _, suffix = self.path.partition("{token}")
        text = _LUA
        for key, value in {
            "@TOKENS@": str(tokens_file),
            "@METHOD@": self.method,
            "@PREFIX@": prefix,
            "@SUFFIX@": suffix,
            "@BODY@": self.body,
            "@MARK@": RESULT_MARK,
        }.items():
            if "]==]" in value:
                raise ValueError(f"cannot quote {value!r} in Lua")
            text = text.replace(key, value)
        path = folder / f"{label}.lua"
        path.write_text(text)
        return path


@dataclass
class Figures:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    cpu_seconds: float
    steal_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.requests if self.requests else float("nan")

    def line(self) -> str:
        text = (
            f"{self.name:<28} {self.per_second:8.1f} req/s  p50 {self.p50_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  server {self.cpu_ms_per_request:5.2f} ms CPU/req  "
            f"errors {self.errors}"
        )
        if self.steal_seconds >= 0.05 * self.seconds:  # the hypervisor took a core's 5 %
            text += f"  stolen {self.steal_seconds / self.seconds:.0%} of a core"
        if set(self.statuses) != {200}:  # e.g. confirm's 201s, or the errors
            text += f"  statuses {dict(sorted(self.statuses.items()))}"
        if any(self.socket_errors.values()):
            text += f"  socket errors {self.socket_errors}"
        return text


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live descendants (plus reaped children)."""
    total_ticks = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
        except FileNotFoundError:
            continue
        # Fields after the parenthesised command name: state is field 3, utime is field 14.
        fields = stat[stat.rindex(")") + 2 :].split()
        total_ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except FileNotFoundError:
                continue
    return total_ticks / os.sysconf("SC_CLK_TCK")


def stolen_cpu_seconds() -> float:
    """CPU time the hypervisor gave to other machines (the steal column of /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK") if len(fields) > 8 else 0.0


def run_wrk(
    wrk: str, base_url: str, script: Path, seconds: float, concurrency: int, server_pid: int
) -> tuple[dict, float, float]:
    """One wrk run; returns (its figures from done(), server CPU seconds it used, CPU
    seconds stolen from this machine meanwhile)."""
    command = [
        wrk,
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(script),
        base_url,
    ]
    cpu_before, steal_before = process_tree_cpu_seconds(server_pid), stolen_cpu_seconds()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    cpu_used = process_tree_cpu_seconds(server_pid) - cpu_before
    stolen = stolen_cpu_seconds() - steal_before
    marked = [line for line in completed.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if completed.returncode != 0 or not marked:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        )
    result = json.loads(marked[-1][len(RESULT_MARK) :])
    # Cross-check against the summary wrk prints itself.
    printed = re.search(r"Non-2xx or 3xx responses: (\d+)", completed.stdout)
    result["non_2xx"] = int(printed.group(1)) if printed else 0
    return result, cpu_used, stolen


def measure(
    wrk: str,
    server: LiveServer,
    folder: Path,
    scenario: Scenario,
    *,
    seconds: float,
    concurrency: int,
    warm_up: Scenario | None,
) -> Figures:
    label = re.sub(r"\W+", "-", scenario.name).strip("-")
    assert server.process is not None
    pid = server.process.pid
    if warm_up is not None:
        warm_script = warm_up.script(folder, label + "-warm")
        run_wrk(wrk, server.url, warm_script, WARM_UP_SECONDS, concurrency, pid)
    result, cpu, stolen = run_wrk(
        wrk, server.url, scenario.script(folder, label), seconds, concurrency, pid
    )
    statuses = {int(status): count for status, count in result["statuses"].items()}
    bad = sum(count for status, count in statuses.items() if not 200 <= status < 300)
    socket_errors = {key: result[key] for key in ("connect", "read", "write", "timeout")}
    return Figures(
        name=scenario.name,
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        errors=max(bad, result["non_2xx"]),
        statuses=statuses,
        socket_errors=socket_errors,
        cpu_seconds=cpu,
        steal_seconds=stolen,
    )


# --- the report ----------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def wrk_version(wrk: str) -> str:
    completed = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (completed.stdout or completed.stderr).splitlines()
    return first[0].split(" Copyright")[0].strip() if first else "wrk (unknown version)"


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    # Short runs in many rounds: a small VM's speed drifts between minutes, so each ratio
    # compares runs seconds apart, and the median of the rounds' ratios is printed.
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default="", help="Default: a new SQLite file")
    parser.add_argument(
        "--rounds",
        type=int,
        default=7,
        help="Rounds of the seven runs; the ratios are the medians of the rounds' ratios",
    )
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("bench/load.py needs wrk as its load generator: apt-get install wrk")
    if not Path("/proc/self/stat").exists():
        sys.exit("bench/load.py reads the server's CPU time from /proc: run it on Linux")

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    # A different person for every confirmation a round can make, even at 1200 req/s.
    per_round = max(MIN_PEOPLE, int(args.seconds * CONFIRMS_PER_SECOND))
    people = per_round * args.rounds
    started = time.perf_counter()
    plan_id, tokens = prepare(url, data_dir, people)
    print(f"set-up: demo + {people} people with links in {time.perf_counter() - started:.1f} s")

    confirm_path = f"/api/v1/links/{{token}}/acknowledgements/{plan_id}"
    confirm_body = json.dumps({"reflection": REFLECTION}, ensure_ascii=False)

    def scenarios(round_tokens: list[str]) -> list[tuple[str, Scenario]]:
        """(which server, what) for one round, in the order they run."""
        probe = '{"note": "probe @N@"}'
        return [
            ("minimal", Scenario(MINIMAL_ASYNC, "GET", "/async")),
            ("minimal", Scenario(MINIMAL_SYNC, "GET", "/sync")),
            ("minimal", Scenario(MINIMAL_INSERT, "POST", "/insert", probe)),
            ("app", Scenario(BARE_JSON, "GET", "/api/v1/_bench/json")),
            ("app", Scenario(BARE_INSERT, "POST", "/api/v1/_bench/probes", probe)),
            ("app", Scenario(CONFIRM, "POST", confirm_path, confirm_body, round_tokens)),
            # The people who just confirmed open their home, in the same order.
            ("app", Scenario(HOME, "GET", "/api/v1/links/{token}", "", round_tokens)),
        ]

    rounds = run_rounds(
        wrk,
        url,
        data_dir,
        lambda number: scenarios(tokens[number * per_round : (number + 1) * per_round]),
        rounds=args.rounds,
        seconds=args.seconds,
        concurrency=args.concurrency,
    )

    count = len(scenarios([]))
    print_header(
        wrk,
        url,
        f"Lan Tỏa load benchmark — %s, one uvicorn worker, wrk -t1 -c{args.concurrency}, "
        f"{args.rounds} rounds of {count} {max(1, round(args.seconds))} s runs (the first "
        "after a 1 s warm-up, except confirm)",
    )
    print_rounds(rounds)
    for confirm in (results[CONFIRM] for results in rounds):
        if confirm.requests > per_round:
            print(
                f"note: {confirm.requests} confirmations for {per_round} people, so "
                f"{confirm.requests - per_round} were repeats (200, cheaper than a first one)"
            )
    print_ratios(rounds, RATIOS, postgres=url.startswith("postgres"))


def run_rounds(
    wrk: str,
    url: str,
    data_dir: Path,
    scenarios: Callable[[int], list[tuple[str, Scenario]]],
    *,
    rounds: int,
    seconds: float,
    concurrency: int,
) -> list[dict[str, Figures]]:
    """Serve the app (benchmark mode) and the minimal app, and run each round's scenarios
    ((which server, what), in order) against them: per round, each scenario's figures."""
    folder = Path(tempfile.mkdtemp(prefix="lantoa-wrk-"))
    servers = {
        "app": LiveServer(url, data_dir, BENCH_MODE="1", LOG_LEVEL="WARNING"),
        "minimal": LiveServer(
            url,
            data_dir,
            ["--database", str(data_dir / "minimal.sqlite3")],
            program=[sys.executable, str(ROOT / "bench" / "minimal_app.py")],
            LOG_LEVEL="WARNING",
        ),
    }
    measured: list[dict[str, Figures]] = []
    try:
        for server in servers.values():
            server.start()
        for number in range(rounds):
            analyze(url, data_dir)
            results = {}
            for where, scenario in scenarios(number):
                results[scenario.name] = measure(
                    wrk,
                    servers[where],
                    folder,
                    scenario,
                    seconds=seconds,
                    concurrency=concurrency,
                    # The first round warms up each run but those spending tokens: a
                    # warm-up would spend people the measured run needs, and the runs
                    # before it have warmed the server (connections, database, code paths).
                    warm_up=scenario if number == 0 and not scenario.tokens else None,
                )
            measured.append(results)
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return measured


def print_header(wrk: str, url: str, title: str) -> None:
    """The title (its `%s` the database's name), the machine and the database."""
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    shown_url = make_url(url).render_as_string(hide_password=True)
    print(title % backend)
    print(
        f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}, "
        f"{wrk_version(wrk)}"
    )
    print(f"database: {backend} ({shown_url}); the minimal app's insert: SQLite")


def print_rounds(rounds: list[dict[str, Figures]]) -> None:
    for number, results in enumerate(rounds, start=1):
        print(f"round {number}")
        for figures in results.values():
            print("  " + figures.line())


def print_ratios(
    rounds: list[dict[str, Figures]],
    ratios: list[tuple[str, str, float | None]],
    *,
    postgres: bool,
) -> None:
    """Each (endpoint, floor, target) ratio by throughput (the median of the rounds' and
    that of the best rounds) and by server CPU per request."""
    best: dict[str, float] = {}
    for results in rounds:
        for figures in results.values():
            best[figures.name] = max(best.get(figures.name, 0.0), figures.per_second)

    def summary(values: list[float]) -> str:
        return f"{statistics.median(values):.2f}  (rounds: {', '.join(f'{v:.2f}' for v in values)})"

    width = max(len(f"{top} / {bottom}") for top, bottom, _ in ratios)
    print("by throughput (median of the rounds; target):")
    for top, bottom, target in ratios:
        values = [ratio(r[top].per_second, r[bottom].per_second) for r in rounds]
        aim = f"  target ≥ {target:.2f}" if target is not None else ""
        print(f"  {f'{top} / {bottom}':<{width}} = {summary(values)}{aim}")
    print("best round of each (interference only ever slows a run down):")
    for top, bottom, _ in ratios:
        print(f"  {f'{top} / {bottom}':<{width}} = {ratio(best[top], best[bottom]):.2f}")
    print("by server CPU per request (the floor's CPU / the endpoint's):")
    for top, bottom, _ in ratios:
        values = [ratio(r[bottom].cpu_ms_per_request, r[top].cpu_ms_per_request) for r in rounds]
        print(f"  {f'{top} / {bottom}':<{width}} = {summary(values)}")
    if postgres:
        print("note: server CPU is the application process only, not PostgreSQL's processes")


if __name__ == "__main__":
    main()
