"""Alembic environment: the store's metadata, and the engine handed over by ``migrate.py``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

# The package import registers every table module on the one metadata.
from boundaries.store import Base
from boundaries.store.database import create_db_engine, database_url

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Write the SQL out instead of running it."""
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the engine given, or the configured database."""
    given = config.attributes.get("engine")
    engine: Engine = given if given is not None else create_db_engine()
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if given is None:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
