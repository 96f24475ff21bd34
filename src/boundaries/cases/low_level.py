"""The low-level concerns log: concerns about staff that do not meet the harm threshold.

They are kept (never deleted by the case workflow) and reviewed for patterns: one concern on
its own may be nothing, several about the same person are a pattern that a headteacher, DSL or
HR must look at. Entries come from cases closed as a low-level concern, or are recorded
directly. Each entry and each review is appended to the school's case chain.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases.trail import SUBJECT_LOW_LEVEL, Actor, record_school
from boundaries.store import LowLevelConcern, Membership, Person
from boundaries.store.models import utc_now

MAX_TEXT = 10_000
MAX_NAME = 200
# A pattern: this many concerns about one person within the window.
PATTERN_COUNT = 2
PATTERN_WINDOW = timedelta(days=365)


class InvalidConcern(ValueError):
    """A concern that cannot be recorded: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Pattern:
    """Several concerns about one person within the window."""

    key: str
    name: str
    person_id: int | None
    concerns: list[LowLevelConcern] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Separate incidents: entries from one case count once."""
        return _incidents(self.concerns)

    @property
    def first(self) -> datetime:
        return min(c.recorded_at for c in self.concerns)

    @property
    def last(self) -> datetime:
        return max(c.recorded_at for c in self.concerns)

    @property
    def unreviewed(self) -> int:
        return sum(1 for c in self.concerns if c.reviewed_at is None)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _incidents(entries: list[LowLevelConcern]) -> int:
    """How many separate incidents ``entries`` record: entries from one case are one."""
    return len({c.case_id for c in entries if c.case_id is not None}) + sum(
        1 for c in entries if c.case_id is None
    )


def record_concern(
    session: Session,
    school_id: int,
    actor: Actor,
    *,
    summary: str,
    about_person_id: int | None = None,
    about_name: str = "",
    case_id: int | None = None,
) -> LowLevelConcern:
    """Add an entry to the log, about a member of the school (by id) or someone by name.

    A name typed that is exactly one member's name (any case) is linked to that member, so
    that the entry counts towards their pattern and is kept from them like every other entry
    about them."""
    errors: dict[str, str] = {}
    name = " ".join(about_name.split())
    if about_person_id is None and name:
        about_person_id = _member_named(session, school_id, name)
    if about_person_id is not None:
        person = session.scalar(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Person.id == about_person_id, Membership.school_id == school_id)
            .limit(1)
        )
        if person is None:
            errors["about"] = "Choose someone from the school's list."
        else:
            name = person.name
    if len(name) > MAX_NAME:
        errors["about_name"] = f"The name must be {MAX_NAME} characters or fewer."
    text = summary.strip()
    if not text:
        errors["summary"] = "Describe the concern."
    elif len(text) > MAX_TEXT:
        errors["summary"] = f"The description must be {MAX_TEXT:,} characters or fewer."
    if errors:
        raise InvalidConcern(errors)
    concern = LowLevelConcern(
        school_id=school_id,
        case_id=case_id,
        about_person_id=about_person_id,
        about_name=name,
        summary=text,
        recorded_by_id=actor.person_id,
        recorded_at=utc_now(),
    )
    session.add(concern)
    session.flush()
    record_school(
        session,
        school_id,
        actor,
        "low_level.recorded",
        SUBJECT_LOW_LEVEL,
        concern.id,
        {"case_id": case_id, "about_person_id": about_person_id, "about_name": name},
    )
    return concern


def _member_named(session: Session, school_id: int, name: str) -> int | None:
    """The one member of the school called exactly ``name``; ``None`` for nobody or several."""
    wanted = _name_key(name)
    found = {
        person.id
        for person in session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.school_id == school_id)
        )
        if _name_key(person.name) == wanted
    }
    return found.pop() if len(found) == 1 else None


def review(session: Session, concern: LowLevelConcern, actor: Actor, note: str) -> LowLevelConcern:
    """Record that a concern was reviewed, with what the review found. A later review adds a
    new chain entry; the row shows the latest. Nobody reviews a concern about themselves."""
    if actor.person_id is None or actor.person_id == concern.about_person_id:
        raise PermissionError("a concern is not reviewed by the person it is about")
    text = note.strip()
    if not text:
        raise InvalidConcern({"review_note": "Say what the review found."})
    if len(text) > MAX_TEXT:
        raise InvalidConcern({"review_note": f"This must be {MAX_TEXT:,} characters or fewer."})
    concern.reviewed_at = utc_now()
    concern.reviewed_by_id = actor.person_id
    concern.review_note = text
    record_school(
        session,
        concern.school_id,
        actor,
        "low_level.reviewed",
        SUBJECT_LOW_LEVEL,
        concern.id,
        {"note": text},
    )
    return concern


def viewed_log(
    session: Session, school_id: int, actor: Actor, shown: list[LowLevelConcern]
) -> None:
    """Record that someone read the log, and which entries it showed them."""
    record_school(
        session,
        school_id,
        actor,
        "low_level.viewed",
        SUBJECT_LOW_LEVEL,
        None,
        {"concern_ids": [c.id for c in shown]},
    )


def concerns(session: Session, school_id: int) -> list[LowLevelConcern]:
    """The school's log, newest first."""
    return list(
        session.scalars(
            select(LowLevelConcern)
            .where(LowLevelConcern.school_id == school_id)
            .order_by(LowLevelConcern.recorded_at.desc(), LowLevelConcern.id.desc())
        )
    )


def concern_in(session: Session, school_id: int, concern_id: int) -> LowLevelConcern | None:
    concern = session.get(LowLevelConcern, concern_id)
    return concern if concern is not None and concern.school_id == school_id else None


def patterns(
    session: Session,
    school_id: int,
    *,
    now: datetime | None = None,
    window: timedelta = PATTERN_WINDOW,
    threshold: int = PATTERN_COUNT,
    exclude_person_id: int | None = None,
    exclude_case_ids: Collection[int] = (),
) -> list[Pattern]:
    """People with ``threshold`` or more concerns recorded within ``window``, most first.
    Entries from the same case count once: one incident is not a pattern.

    A person on the school's list is matched by id; someone named only by text is matched by
    their name (case and spacing ignored), and a named entry is joined to a listed person with
    exactly that name, so that "J Smith" typed twice is seen but a listed person is never
    merged with a different one. ``exclude_person_id`` leaves out the viewer's own pattern, and
    ``exclude_case_ids`` the entries from cases the viewer may not see (cases about them).
    """
    since = (now or utc_now()) - window
    rows = [
        c
        for c in session.scalars(
            select(LowLevelConcern).where(
                LowLevelConcern.school_id == school_id, LowLevelConcern.recorded_at >= since
            )
        )
        if (c.about_person_id is not None or c.about_name.strip())
        and c.case_id not in exclude_case_ids
    ]
    # A typed name joins a listed person only when exactly one listed person has that name.
    listed: dict[str, set[int]] = {}
    for c in rows:
        if c.about_person_id is not None:
            listed.setdefault(_name_key(c.about_name), set()).add(c.about_person_id)
    by_name = {key: next(iter(ids)) for key, ids in listed.items() if len(ids) == 1}
    groups: dict[str, Pattern] = {}
    for c in rows:
        person_id = c.about_person_id or by_name.get(_name_key(c.about_name))
        key = f"person:{person_id}" if person_id is not None else f"name:{_name_key(c.about_name)}"
        group = groups.setdefault(key, Pattern(key, c.about_name, person_id))
        group.concerns.append(c)
    found = [
        g
        for g in groups.values()
        if g.count >= threshold and (exclude_person_id is None or g.person_id != exclude_person_id)
    ]
    for g in found:
        g.concerns.sort(key=lambda c: (c.recorded_at, c.id))
    return sorted(found, key=lambda g: (-g.count, -g.last.timestamp(), g.name))
