"""Personal API tokens for the JSON API (``Authorization: Bearer <token>``)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.accounts.secrets import digest, new_token
from boundaries.store import ApiToken, Person
from boundaries.store.models import utc_now

_TOUCH_EVERY = timedelta(minutes=5)
PREFIX = "bnd_"


def issue_api_token(session: Session, person: Person, name: str) -> str:
    """A new token for ``person``, shown once; only its digest is kept. Caller commits."""
    token = PREFIX + new_token()
    session.add(ApiToken(person_id=person.id, name=name[:100], token_digest=digest(token)))
    return token


def person_for_api_token(session: Session, token: str) -> int | None:
    """The id of the person a live token belongs to, or ``None``."""
    if not token.startswith(PREFIX) or len(token) > 128:
        return None
    record = session.execute(
        select(ApiToken).where(ApiToken.token_digest == digest(token))
    ).scalar_one_or_none()
    if record is None or record.revoked_at is not None:
        return None
    now = utc_now()
    if record.last_used_at is None or now - record.last_used_at >= _TOUCH_EVERY:
        record.last_used_at = now
        session.commit()
    return record.person_id
