"""Where the database is, and the engine and sessions that reach it.

The URL comes from ``BOUNDARIES_DATABASE_URL``; without it Boundaries uses a SQLite file,
``data/boundaries.sqlite3`` under the current directory, creating the folder when needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_ENV = "BOUNDARIES_DATABASE_URL"
DEFAULT_DATABASE_PATH = Path("data") / "boundaries.sqlite3"


def database_url() -> str:
    """The database URL: ``BOUNDARIES_DATABASE_URL`` if set, else the default SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    path = Path.cwd() / DEFAULT_DATABASE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def create_db_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` (default :func:`database_url`); SQLite enforces foreign keys."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        # A request holds its connection across several thread-pool hops; a bounded pool can
        # leave every thread waiting for a connection whose holder waits for a thread.
        kwargs.setdefault("pool_size", 20)
        kwargs.setdefault("max_overflow", -1)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
