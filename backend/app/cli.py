"""The `lantoa` command: serve the app, run migrations, and the admin tasks later issues add."""

from __future__ import annotations

import typer
import uvicorn
from sqlalchemy.engine import make_url

from app.core import migrations
from app.core.config import get_settings
from app.core.db import get_engine

app = typer.Typer(
    help="Lan Tỏa — theo dõi học tập và tuyên truyền nghị quyết.", no_args_is_help=True
)


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Bring the database schema up to REVISION (default: the newest)."""
    migrations.upgrade(get_engine(), revision)
    typer.echo(f"Database at {revision}: {_safe_url()}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Take the database schema back to REVISION."""
    migrations.downgrade(get_engine(), revision)
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
) -> None:
    """Migrate the database, then serve the API and the frontend at one address."""
    settings = get_settings()
    if migrate_first:
        migrations.upgrade(get_engine())
        get_engine().dispose()
    settings.signing_key  # noqa: B018 - create the secret once, before workers race for it
    typer.echo(f"Lan Tỏa: http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        access_log=False,
    )


def _safe_url() -> str:
    """The database URL without its password, for messages."""
    return make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)


if __name__ == "__main__":
    app()
