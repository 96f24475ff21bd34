"""The screening context for a school, built from the store: who the pupils are, what is secret.

Building a screener for a 1,500-pupil roster takes far longer than screening one post, so the
context is cached per school and rebuilt only when the roster's fingerprint changes (pupils
added, removed or edited; terms; people), the day changes (pupils turn 18) or the entry is ten
minutes old (a renamed member of staff). A rebuilt context equal to the old one is dropped in
favour of the old object, so the screener built for it is kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from boundaries.roster.scope import parents_in_scope
from boundaries.screening.context import Pupil as ContextPupil
from boundaries.screening.context import School as ContextSchool
from boundaries.screening.context import ScreeningContext
from boundaries.store import School
from boundaries.store.queries import (
    confidential_terms,
    pupils_in_scope,
    roster_fingerprint,
    staff_names,
)

_MAX_AGE_SECONDS = 600.0
# A cached context is trusted this long before the roster fingerprint is read again: an
# import shows in checks within seconds, and most checks skip the fingerprint query.
_RECHECK_SECONDS = 5.0


def build_school_context(session: Session, school: School, today: date) -> ScreeningContext:
    """The context a post by someone at ``school`` is screened in, read fresh from the store."""
    pupils = tuple(
        ContextPupil(
            forename=pupil.legal_forename,
            surname=pupil.surname,
            preferred_name=pupil.preferred_forename,
            date_of_birth=pupil.date_of_birth,
            year_group=pupil.year_group,
        )
        for pupil in pupils_in_scope(session, school.id, today)
    )
    return ScreeningContext(
        school=ContextSchool(
            name=school.name,
            local_authority=school.local_authority,
            staff=tuple(staff_names(session, school.id)),
        ),
        pupils=pupils,
        # Parents and carers of pupils in scope (6.18): a post naming one as a parent is caught.
        parents=tuple(parents_in_scope(session, school.id, today)),
        confidential_terms=tuple(confidential_terms(session, school.id)),
    )


@dataclass
class _Entry:
    key: tuple[object, ...]
    built: float
    context: ScreeningContext
    checked: float = 0.0


class SchoolContexts:
    """A per-school cache of screening contexts, safe to share between request threads."""

    def __init__(
        self, max_age_seconds: float = _MAX_AGE_SECONDS, recheck_seconds: float = _RECHECK_SECONDS
    ) -> None:
        self._max_age = max_age_seconds
        self._recheck = recheck_seconds
        self._entries: dict[int, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, school: School, today: date | None = None) -> ScreeningContext:
        """The school's context, rebuilt when its roster changed or the entry is stale."""
        today = today or date.today()
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(school.id)
            if (
                entry is not None
                and now - entry.checked < self._recheck
                and now - entry.built < self._max_age
                and entry.key[0] == today
                and entry.key[2] == school.name
            ):
                return entry.context
        key = (today, roster_fingerprint(session, school.id), school.name)
        with self._lock:
            entry = self._entries.get(school.id)
            if entry is not None and entry.key == key and now - entry.built < self._max_age:
                entry.checked = now
                return entry.context
        context = build_school_context(session, school, today)
        with self._lock:
            # Read again: another thread may have stored an equal context meanwhile, and the
            # screener cache must keep seeing one object.
            entry = self._entries.get(school.id)
            if entry is not None and entry.context == context:
                context = entry.context  # unchanged: keep the object the screener cache knows
            self._entries[school.id] = _Entry(key, now, context, now)
        return context

    def forget(self, school_id: int) -> None:
        """Drop a school's entry (after an import) so the next check reads the store."""
        with self._lock:
            self._entries.pop(school_id, None)
