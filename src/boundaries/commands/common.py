"""What every command group needs: a clear usage error, a session on a migrated database, and a
school found by its URN."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from boundaries.store import School

EXIT_USAGE = 64  # EX_USAGE from sysexits.h, as for every other command
err = Console(stderr=True, highlight=False, soft_wrap=True)


def usage_error(message: str) -> NoReturn:
    """Say what is wrong in one sentence and exit 64, never mistaken for a result."""
    err.print(f"[red]Error:[/] {escape(message)}")
    raise typer.Exit(EXIT_USAGE)


@contextmanager
def migrated_session(url: str | None) -> Iterator[Session]:
    """A session on the database at ``url`` (default: the settings'), refusing one that is not
    migrated with the command that fixes it."""
    from boundaries.store import (
        NotMigratedError,
        create_db_engine,
        require_migrated,
        session_factory,
    )

    if url is None:
        from boundaries.web.settings import load_settings

        try:
            url = load_settings().database_url
        except Exception as exc:  # bad settings are the user's to fix, not a crash
            usage_error(f"the settings are not valid: {exc}")
    engine = create_db_engine(url)
    try:
        try:
            require_migrated(engine)
        except NotMigratedError as exc:
            usage_error(str(exc))
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def school_by_urn(session: Session, urn: str) -> School:
    """The school with ``urn``, or a usage error naming it."""
    from boundaries.registers.editions import school_by_urn as find

    school = find(session, urn)
    if school is None:
        usage_error(f"no school has the URN {urn}")
    return school
