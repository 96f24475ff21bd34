"""Sign-in rate limiting: failures per account and per client address in a sliding window.

Kept in the database, not in memory, so that every worker process sees the same count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from boundaries.store import SignInAttempt
from boundaries.store.models import utc_now


@dataclass(frozen=True)
class SignInLimits:
    """How many failures are allowed in the window, per account and per client address."""

    window: timedelta
    per_account: int
    per_client: int


def _failure_times(
    session: Session,
    condition: ColumnElement[bool],
    limits: SignInLimits,
    excluding: int | None,
) -> list[datetime]:
    """When each failure matching ``condition`` in the window happened, oldest first."""
    since = utc_now() - limits.window
    query = select(SignInAttempt.at).where(
        condition, SignInAttempt.at > since, SignInAttempt.succeeded.is_(False)
    )
    if excluding is not None:
        query = query.where(SignInAttempt.id != excluding)
    return list(session.scalars(query.order_by(SignInAttempt.at)))


def seconds_until_allowed(
    session: Session,
    email: str,
    client: str,
    limits: SignInLimits,
    *,
    excluding: int | None = None,
) -> int | None:
    """How long this account or address must wait before trying again, or ``None`` to go ahead.

    ``excluding`` is the id of the attempt being decided, when it has been recorded (as a
    failure) before the check: recording first lets attempts made at the same moment see each
    other, so that they cannot all slip under the limit together.
    """
    email = email.strip().lower()
    now = utc_now()
    lifts: list[datetime] = []
    for condition, limit in (
        (SignInAttempt.email == email, limits.per_account),
        (SignInAttempt.client == client, limits.per_client),
    ):
        failures = _failure_times(session, condition, limits, excluding)
        if len(failures) < limit:
            continue
        # The block lifts once fewer than ``limit`` failures are left in the window, that is
        # when the failure ``len - limit`` places from the oldest ages out. There can be more
        # failures than the limit (attempts checked at the same moment, a lowered setting).
        index = min(max(len(failures) - limit, 0), len(failures) - 1)
        lifts.append(failures[index] + limits.window if failures else now + limits.window)
    if not lifts:
        return None
    # Both limits must have lifted before the next attempt is let through.
    wait = (max(lifts) - now).total_seconds()
    return max(1, math.ceil(wait))


def record_attempt(session: Session, email: str, client: str, succeeded: bool) -> SignInAttempt:
    """Record one sign-in attempt and return it (so that its outcome can be set later); the
    caller commits."""
    attempt = SignInAttempt(
        email=email.strip().lower()[:320], client=client[:64], succeeded=succeeded
    )
    session.add(attempt)
    return attempt
