"""Password reset by e-mailed token: single use, short-lived, stored only as a digest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from boundaries.accounts.passwords import set_password
from boundaries.accounts.secrets import digest, new_token
from boundaries.accounts.sessions import end_all_sessions
from boundaries.store import PasswordReset, Person
from boundaries.store.models import utc_now


class ResetTokenInvalid(ValueError):
    """The reset link is unknown, used or out of date."""


def issue_reset_token(session: Session, person: Person, valid_for: timedelta) -> str:
    """A new reset token for ``person``; any earlier unused ones stop working. Caller commits."""
    now = utc_now()
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.person_id == person.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = new_token()
    session.add(
        PasswordReset(
            token_digest=digest(token),
            person_id=person.id,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    return token


def _live_reset(session: Session, token: str) -> PasswordReset:
    record = session.get(PasswordReset, digest(token)) if 0 < len(token) <= 128 else None
    if record is None or record.used_at is not None or record.expires_at <= utc_now():
        raise ResetTokenInvalid("This reset link has expired or has already been used.")
    return record


def reset_token_is_live(session: Session, token: str) -> bool:
    """Whether ``token`` could still be used (for showing the form)."""
    try:
        _live_reset(session, token)
    except ResetTokenInvalid:
        return False
    return True


def complete_reset(session: Session, token: str, new_password: str, min_length: int) -> Person:
    """Set the new password, spend the token and end every session. Caller commits."""
    record = _live_reset(session, token)
    # Spend the token with a conditional update, so that of two uses at the same moment only
    # one finds it unused (the other waits for the row, then matches nothing).
    spent = session.execute(
        update(PasswordReset)
        .where(PasswordReset.token_digest == record.token_digest, PasswordReset.used_at.is_(None))
        .values(used_at=utc_now())
    )
    if getattr(spent, "rowcount", 0) != 1:
        raise ResetTokenInvalid("This reset link has expired or has already been used.")
    person = session.execute(select(Person).where(Person.id == record.person_id)).scalar_one()
    set_password(session, person, new_password, min_length)
    end_all_sessions(session, person.id)
    return person
