"""Sign-in rate limiting: failures per account and per client address in a sliding window.

Kept in the database, not in memory, so that every worker process sees the same count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from boundaries.store import SignInAttempt
from boundaries.store.models import utc_now


@dataclass(frozen=True)
class SignInLimits:
    """How many failures are allowed in the window, per account and per client address."""

    window: timedelta
    per_account: int
    per_client: int


def _failures_since(session: Session, condition: ColumnElement[bool], limits: SignInLimits) -> int:
    since = utc_now() - limits.window
    count = session.scalar(
        select(func.count())
        .select_from(SignInAttempt)
        .where(condition, SignInAttempt.at > since, SignInAttempt.succeeded.is_(False))
    )
    return int(count or 0)


def seconds_until_allowed(
    session: Session, email: str, client: str, limits: SignInLimits
) -> int | None:
    """How long this account or address must wait before trying again, or ``None`` to go ahead."""
    email = email.strip().lower()
    blocked = []
    for condition, limit in (
        (SignInAttempt.email == email, limits.per_account),
        (SignInAttempt.client == client, limits.per_client),
    ):
        if _failures_since(session, condition, limits) >= limit:
            blocked.append(condition)
    if not blocked:
        return None
    since = utc_now() - limits.window
    # The block lifts when the oldest failure in the window ages out of it.
    oldest = min(
        session.scalar(
            select(func.min(SignInAttempt.at)).where(
                condition, SignInAttempt.at > since, SignInAttempt.succeeded.is_(False)
            )
        )
        or utc_now()
        for condition in blocked
    )
    wait = (oldest + limits.window - utc_now()).total_seconds()
    return max(1, math.ceil(wait))


def record_attempt(session: Session, email: str, client: str, succeeded: bool) -> None:
    """Record one sign-in attempt; the caller commits."""
    session.add(
        SignInAttempt(email=email.strip().lower()[:320], client=client[:64], succeeded=succeeded)
    )
