"""Browser sessions held on the server: a cookie carries a token, the table its digest.

Because the session lives in the database, signing out ends it everywhere that cookie was
copied to, and an administrator can end every session of a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from boundaries.accounts.secrets import digest, new_token
from boundaries.store import Person, WebSession
from boundaries.store.models import utc_now

# How often last_seen_at is written: often enough for the idle limit, rarely enough that a
# page view is not a database write.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session lasts at most, and how long it may sit idle."""

    lifetime: timedelta
    idle: timedelta


@dataclass(frozen=True)
class LiveSession:
    """A session found for a cookie: its digest (for CSRF binding) and its person's id."""

    token_digest: str
    person_id: int
    method: str


def start_session(
    session: Session,
    person: Person,
    limits: SessionLimits,
    method: str,
    replacing: str | None = None,
) -> str:
    """Start a session for ``person`` and return its token for the cookie.

    ``replacing`` is the token the browser held before, if any: it is ended, so a token
    planted in the browser before sign-in is worthless afterwards (session fixation).
    """
    if replacing:
        end_session(session, replacing)
    token = new_token()
    now = utc_now()
    session.add(
        WebSession(
            token_digest=digest(token),
            person_id=person.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + limits.lifetime,
            method=method,
        )
    )
    return token


def find_session(session: Session, token: str, limits: SessionLimits) -> LiveSession | None:
    """The live session for ``token``, or ``None`` when it is unknown, expired or idle too long."""
    if not token or len(token) > 128:
        return None
    record = session.get(WebSession, digest(token))
    if record is None:
        return None
    now = utc_now()
    if record.expires_at <= now or record.last_seen_at + limits.idle <= now:
        session.delete(record)
        session.commit()
        return None
    if now - record.last_seen_at >= _TOUCH_EVERY:
        record.last_seen_at = now
        session.commit()
    return LiveSession(record.token_digest, record.person_id, record.method)


def end_session(session: Session, token: str) -> None:
    """End the session for ``token`` (nothing happens if it is unknown)."""
    session.execute(delete(WebSession).where(WebSession.token_digest == digest(token)))


def end_all_sessions(session: Session, person_id: int) -> None:
    """End every session of one person (after a password change or reset)."""
    session.execute(delete(WebSession).where(WebSession.person_id == person_id))


def purge_expired(session: Session, now: datetime | None = None) -> int:
    """Delete sessions past their lifetime; returns how many went."""
    result = session.execute(delete(WebSession).where(WebSession.expires_at <= (now or utc_now())))
    return int(getattr(result, "rowcount", 0) or 0)
