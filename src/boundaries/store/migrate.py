"""Alembic migrations, configured in code (no ``alembic.ini``).

``upgrade(url)`` brings a database to the newest revision; ``require_migrated(engine)`` is what
start-up calls to refuse a database that is behind.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from boundaries.store.database import create_db_engine, database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class NotMigratedError(RuntimeError):
    """The database is missing migrations; Boundaries will not start on it."""


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration for the bundled migrations, optionally bound to ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision the bundled migrations know."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no migrations are bundled")
    return head


def _engine(url: str | None) -> Engine:
    return create_db_engine(url or database_url())


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply migrations to the database at ``url`` (default: the configured database)."""
    engine = _engine(url)
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()


def engine_revision(engine: Engine) -> str | None:
    """The revision the database behind ``engine`` is at, or ``None`` when it has none."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def current_revision(url: str | None = None) -> str | None:
    """The revision the database at ``url`` is at, or ``None`` when it is unmigrated."""
    engine = _engine(url)
    try:
        return engine_revision(engine)
    finally:
        engine.dispose()


def is_up_to_date(url: str | None = None) -> bool:
    """Whether the database at ``url`` is at the newest revision."""
    return current_revision(url) == head_revision()


def require_migrated(engine: Engine) -> None:
    """Raise :class:`NotMigratedError` unless the database is at the newest revision."""
    current = engine_revision(engine)
    if current == head_revision():
        return
    where = engine.url.render_as_string(hide_password=True)
    state = "has no migrations applied" if current is None else f"is at revision {current}"
    raise NotMigratedError(
        f"the database at {where} is not migrated ({state}, the newest is {head_revision()}): "
        "run `boundaries db upgrade`"
    )
