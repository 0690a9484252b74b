"""The `lantoa` command: serve the app, run migrations, and the admin tasks later issues add."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer
import uvicorn
from sqlalchemy.engine import make_url

from app.auth import accounts
from app.core import migrations
from app.core.config import Settings, current_settings, use_settings
from app.core.db import create_db_engine, unit_of_work
from app.core.errors import InvalidInput, NotFound, ProblemError
from app.core.logging import configure_logging
from app.demo.loader import demo_loaded, demo_teacher_link, load_demo
from app.files.storage import make_storage
from app.jobs import engine as jobs_engine
from app.mail import jobs as mail_jobs
from app.mail import outbox
from app.orgs import service as orgs
from app.people import import_service
from app.privacy import retention
from app.reminders import planning, sending
from app.system import backup

JOB_THREADS = 2  # jobs mostly wait on the mail server, so a few threads keep up
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

app = typer.Typer(
    help="Lan Tỏa — theo dõi học tập và tuyên truyền nghị quyết.", no_args_is_help=True
)


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    _migrate(current_settings(), revision)
    typer.echo(f"Database at {revision}: {_safe_url()}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Take the database schema back to REVISION."""
    _migrate(current_settings(), revision, down=True)
    typer.echo(f"Database at {revision}: {_safe_url()}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes (use several with PostgreSQL)."),
    reload: bool = typer.Option(False, help="Reload on code changes (development)."),
    migrate_first: bool = typer.Option(
        True, "--migrate/--no-migrate", help="Migrate before serving."
    ),
    demo_data: bool = typer.Option(
        False, "--demo", help="Load the demo (the seed plan) unless it is there already."
    ),
    jobs: bool = typer.Option(
        None,
        "--jobs/--no-jobs",
        help="Run the job consumer (emails, the schedule) in this process; default: on the "
        "embedded queue (JOBS_URL empty), off with Redis (run `lantoa worker`). Never with "
        "--reload.",
        show_default=False,
    ),
) -> None:
    """Migrate the database, then serve the API and the frontend at one address."""
    settings = _served_settings(host, port)
    if migrate_first:
        _migrate(settings)
    if demo_data:
        _load_demo(settings, only_into_empty=True)
    settings.signing_key  # noqa: B018 - create the secret once, before workers race for it
    typer.echo(f"Lan Tỏa: {settings.base_url}/  (API docs: {settings.base_url}/api/docs)")
    if reload or not (jobs if jobs is not None else not settings.jobs_url):
        _run_server(settings, host, port, workers, reload)
        return
    with _embedded_jobs(settings):
        _run_server(settings, host, port, workers, reload)


@contextmanager
def _embedded_jobs(settings: Settings) -> Iterator[None]:
    """Consume the job queue in threads of this process while the block runs the server.

    Uvicorn's worker processes are spawned, not forked: they hold no copy of the threads.
    Uvicorn handles SIGTERM and SIGINT itself while it serves, then restores the handlers it
    found and raises the signal again: those found are these, which let the jobs under way
    finish (30 s at most) before the process ends as the signal says.
    """
    configure_logging(settings.log_level, "huey")
    jobs_engine.configure(settings)
    consumer = jobs_engine.consumer(JOB_THREADS, embedded=True)
    consumer.start()

    def stop_jobs_then_exit(signum: int, _frame: object) -> None:
        consumer.stop(graceful=True)
        signal.signal(signum, previous[signum])
        signal.raise_signal(signum)

    previous = {sig: signal.signal(sig, stop_jobs_then_exit) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        consumer.stop(graceful=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """How uvicorn serves the app (beside host, port, workers); `bench/minimal_app.py`
    serves its baseline the same way."""
    return {
        "log_level": settings.log_level.lower(),
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        "access_log": False,  # the app logs each request itself (app.core.middleware)
    }


def _run_server(settings: Settings, host: str, port: int, workers: int, reload: bool) -> None:
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        **uvicorn_options(settings),
    )


@app.command()
def worker(
    threads: int = typer.Option(JOB_THREADS, min=1, max=64, help="Jobs run at once."),
    periodic: bool = typer.Option(
        True,
        "--periodic/--no-periodic",
        help="Also run the schedule (the periodic jobs). Several workers may all run it: every "
        "job is idempotent; --no-periodic on all but one only saves the repeated work.",
    ),
) -> None:
    """Run the job consumer: send the emails, run the schedule. SIGTERM (`docker stop`) lets
    the jobs under way finish first, for up to 30 seconds; Ctrl-C stops at once."""
    settings = current_settings()
    configure_logging(settings.log_level, "huey")
    jobs_engine.configure(settings)
    where = _safe_jobs_url(settings)
    typer.echo(f"Lan Tỏa worker: queue {settings.jobs_queue!r} on {where}, {threads} threads.")
    jobs_engine.consumer(threads, periodic=periodic).run()


def _safe_jobs_url(settings: Settings) -> str:
    if not settings.jobs_url:
        return str(settings.data_dir / jobs_engine.JOBS_FILE)
    return make_url(settings.jobs_url).render_as_string(hide_password=True)


def _served_settings(host: str, port: int) -> Settings:
    """The settings the server runs with: PUBLIC_BASE_URL as configured or, unset, the
    address it listens on (passed on to the worker processes through the environment)."""
    settings = current_settings()
    if settings.public_base_url is not None:
        return settings
    try:
        listening = ipaddress.ip_address(host)
    except ValueError:
        listening = None  # a host name
    if host == "" or (listening is not None and listening.is_unspecified):
        _fail(
            InvalidInput(
                "Máy chủ nghe trên mọi địa chỉ: hãy đặt PUBLIC_BASE_URL là địa chỉ mọi người mở "
                "(đường dẫn cá nhân và mã QR trỏ về đó). / Listening on every address: set "
                "PUBLIC_BASE_URL to the address people open (e.g. http://192.168.1.10:8000)."
            )
        )
    shown = f"[{host}]" if listening is not None and listening.version == 6 else host
    os.environ["PUBLIC_BASE_URL"] = f"http://{shown}:{port}"
    return use_settings(Settings())


@app.command("backup")
def backup_command(
    file: Path = typer.Argument(
        None, help="Where to write; default data/backups/lantoa-<time>.tar."
    ),
) -> None:
    """Back up the database and the uploaded files into one archive (SQLite online backup,
    or pg_dump for PostgreSQL)."""
    settings = current_settings()
    if file is None:
        stamp = datetime.now(settings.zone).strftime("%Y%m%d-%H%M%S")
        file = settings.data_dir / "backups" / f"lantoa-{stamp}.tar"
    try:
        written = backup.backup(settings, file)
    except (backup.BackupError, subprocess.CalledProcessError) as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"Backup written: {written}")


@app.command("restore")
def restore_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="A file made by `lantoa backup`."
    ),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database and the uploaded files with a backup. Stop the app first."""
    settings = current_settings()
    if not yes:
        typer.confirm(
            f"Replace the database {_safe_url()} and the files in {make_storage(settings).where} "
            f"with {file}?",
            abort=True,
        )
    try:
        files = backup.restore(settings, file)
    except backup.BackupError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(2) from error
    restored = f"Restored {file} into {_safe_url()}"
    if files is None:
        typer.echo(f"{restored} (a database-only backup; uploads left as they were).")
    else:
        typer.echo(f"{restored}, and {files} files into {make_storage(settings).where}.")


@app.command("create-admin")
def create_admin(
    username: str = typer.Option(..., help="Login name (email, phone or staff code)."),
    org: str = typer.Option(..., "--org", help="Code of the organisation to administer."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."
    ),
    name: str = typer.Option("", help="Display name; defaults to the username."),
    org_name: str = typer.Option("", help="Create the organisation with this name if it is new."),
    org_kind: str = typer.Option("school", help="Kind of a new organisation."),
    abbreviation: str = typer.Option("", help="Abbreviation of a new organisation (THNBK)."),
    parent: str = typer.Option("", help="Parent organisation code of a new organisation."),
) -> None:
    """Create (or restore) an administrator of an organisation and its subtree."""
    settings = current_settings()
    _migrate(settings)
    with unit_of_work(settings) as db:
        try:
            user, created = accounts.ensure_admin(
                db,
                username=username,
                password=password,
                display_name=name or username,
                org_code=org,
                org_name=org_name,
                org_kind=org_kind,
                abbreviation=abbreviation,
                parent_code=parent,
            )
        except ProblemError as error:
            _fail(error)
    typer.echo(f"{'Created' if created else 'Updated'} admin '{user.username}' of {org}.")


@app.command("import-staff")
def import_staff(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".xlsx or .csv staff list."),
    org: str = typer.Option(..., "--org", help="Organisation code."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only report what would change."),
) -> None:
    """Import or update staff from the school's own spreadsheet (all rows or none)."""
    settings = current_settings()
    _migrate(settings)
    with unit_of_work(settings) as db:
        organization = orgs.get_org_by_code(db, org)
        if organization is None:
            _fail(NotFound(f"No organisation with code {org!r}."))
        try:
            report = import_service.import_staff(
                db,
                None,
                org_id=organization.id,
                filename=file.name,
                content=file.read_bytes(),
                dry_run=dry_run,
            )
        except ProblemError as error:
            _fail(error)
    verb = "Would create" if dry_run else "Created"
    typer.echo(
        f"{verb} {len(report.created)}, update {len(report.updated)}, "
        f"unchanged {report.unchanged}; new units: {', '.join(report.units_created) or '-'}."
    )
    for error in report.errors:
        typer.echo(f"  row {error.row}: {error.message}", err=True)
    if report.errors:
        raise typer.Exit(1)


@app.command()
def remind(
    plan: int | None = typer.Option(None, "--plan", help="Only this plan's reminders."),
    send: bool = typer.Option(False, "--send", help="Record and deliver them now."),
    now: datetime | None = typer.Option(
        None,
        "--now",
        formats=["%Y-%m-%dT%H:%M%z", "%Y-%m-%dT%H:%M:%S%z"],
        help="The moment to work them out for, e.g. 2026-12-07T09:00+07:00 (default: now).",
    ),
) -> None:
    """Print the reminders and digests due at a moment; with --send, deliver them (what is
    already sent that day is never sent again)."""
    settings = current_settings()
    _migrate(settings)
    at = now or datetime.now(UTC)
    with unit_of_work(settings) as db:
        if send:
            sent = sending.send_due(db, at, plan)
            due = sent.planned
        else:
            due = planning.plan_reminders(db, at, plan)
    for d in due.reminders:
        typer.echo(f"{d.plan_id:>5} {d.kind:<12} {d.stage:<10} {d.full_name} — {d.item_title}")
    for g in due.digests:
        typer.echo(f"{g.plan_id:>5} {g.kind:<12} {'escalation':<10} {g.recipient_name} — {g.title}")
    summary = f"{due.day:%d/%m/%Y}: {len(due.reminders)} reminders, {len(due.digests)} digests due"
    if send:
        summary += f"; sent {sent.reminders} reminders and {sent.digests} digests (new today)"
    typer.echo(summary)
    if send and sent.emails:
        # At once, as the "deliver them" asks; a failure waits in the outbox for the
        # worker's retry (and a job queued for the same message finds it sent).
        for message_id in sent.emails:
            mail_jobs.deliver(message_id)
        typer.echo(f"{len(sent.emails)} emails: {_email_statuses(settings, sent.emails)}")


def _email_statuses(settings: Settings, message_ids: list[int]) -> str:
    with unit_of_work(settings) as db:
        counts = outbox.statuses(db, message_ids)
    return ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))


@app.command("anonymize-inactive")
def anonymize_inactive(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only list who would be anonymised."),
) -> None:
    """Anonymise everyone inactive for longer than her organisation keeps data (the retention
    setting; the daily job does the same). Cannot be undone: try --dry-run first."""
    settings = current_settings()
    _migrate(settings)
    now = datetime.now(UTC)
    with unit_of_work(settings) as db:
        found = retention.due(db, now) if dry_run else retention.sweep(db, now)
        # After a real run they are listed under their new labels: no log keeps their names.
        lines = [
            f"{d.person.id:>6} {d.person.staff_code:<12} {d.person.full_name} — "
            f"ngừng từ {d.person.deactivated_at:%d/%m/%Y} (giữ {d.years} năm)"
            for d in found
        ]
    for line in lines:
        typer.echo(line)
    verb = "sẽ được ẩn danh / would be anonymised" if dry_run else "đã ẩn danh / anonymised"
    typer.echo(f"{len(found)} người {verb}")


@app.command()
def demo() -> None:
    """Load the demo: the seed plan of Trường Tiểu học Nguyễn Bỉnh Khiêm, as live data."""
    settings = current_settings()
    _migrate(settings)
    _load_demo(settings)


def _migrate(settings: Settings, revision: str = "head", *, down: bool = False) -> None:
    """Bring the schema up to `revision` (down to it with `down`), on an engine of its own."""
    engine = create_db_engine(settings)
    try:
        (migrations.downgrade if down else migrations.upgrade)(engine, revision)
    finally:
        engine.dispose()


def _load_demo(settings: Settings, *, only_into_empty: bool = False) -> None:
    with unit_of_work(settings) as db:
        if only_into_empty and not demo_loaded(db) and orgs.count_orgs(db) > 0:
            # A real organisation's database: never mix the demo into it.
            typer.echo(
                "Cơ sở dữ liệu đã có dữ liệu thật; không nạp dữ liệu mẫu. / Not loading the demo."
            )
            return
        result = load_demo(db)
        link = demo_teacher_link(db, settings.base_url)
    typer.echo(
        "Đã nạp dữ liệu mẫu. / Demo data loaded." if result.created else "Dữ liệu mẫu đã có sẵn."
    )
    typer.echo(f"Tài khoản mẫu / demo logins (mật khẩu / password: {result.password}):")
    for login in result.logins:
        typer.echo(f"  {login.username:<14} {login.role:<8} {login.who}")
    if link is not None:
        typer.echo(
            f"Trang cá nhân của giáo viên mẫu / a demo teacher's personal link ({link.full_name}):"
        )
        typer.echo(f"  {link.url}")


def _fail(error: ProblemError) -> None:
    typer.echo(f"Error: {error.detail}", err=True)
    for item in error.errors or []:
        typer.echo(f"  {item.field}: {item.message}", err=True)
    raise typer.Exit(2)


def _safe_url() -> str:
    """The database URL without its password, for messages."""
    return make_url(current_settings().sqlalchemy_url).render_as_string(hide_password=True)


if __name__ == "__main__":
    app()
