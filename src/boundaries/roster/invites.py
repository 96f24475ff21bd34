"""Accounts from the roster: inviting imported staff who cannot sign in yet.

An invitation is a password-reset link that lasts a week and lets the person choose their
first password on the ordinary ``/reset-password`` page. Staff whose e-mail domain signs in
through the school's own provider (OpenID Connect) are sent a sign-in link instead, since
they need no password. Nobody is invited twice within a week.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from boundaries.accounts.reset import issue_reset_token
from boundaries.accounts.secrets import digest, new_token
from boundaries.mail import Mailer
from boundaries.store import (
    Credential,
    ExternalIdentity,
    PasswordReset,
    Person,
    School,
    StaffRecord,
)
from boundaries.store.models import utc_now

log = logging.getLogger(__name__)
INVITATION_VALID_FOR = timedelta(days=7)


@dataclass
class InviteResult:
    """Who was invited, who was left alone because of a recent invitation, and who could not
    be reached (their link was withdrawn, so the next run tries again)."""

    invited: list[str] = field(default_factory=list)
    recently_invited: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "invited": self.invited,
            "recently_invited": self.recently_invited,
            "failed": self.failed,
        }


def staff_without_accounts(session: Session, school_id: int, today: date) -> list[Person]:
    """The school's current imported staff who have no password and no single sign-on yet,
    and whose accounts are not disabled, by name."""
    return list(
        session.scalars(
            select(Person)
            .join(StaffRecord, StaffRecord.person_id == Person.id)
            .where(
                StaffRecord.school_id == school_id,
                (StaffRecord.leaving_date.is_(None)) | (StaffRecord.leaving_date >= today),
                Person.disabled_at.is_(None),
                ~exists().where(Credential.person_id == Person.id),
                ~exists().where(ExternalIdentity.person_id == Person.id),
            )
            .order_by(Person.name, Person.id)
        )
    )


def _recently_invited(session: Session, people: Iterable[Person], since: datetime) -> set[int]:
    ids = [person.id for person in people]
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found |= set(
            session.scalars(
                select(PasswordReset.person_id).where(
                    PasswordReset.person_id.in_(ids[start : start + 500]),
                    PasswordReset.created_at > since,
                )
            )
        )
    return found


def _body(school: School, person: Person, link: str, with_password: bool) -> str:
    if with_password:
        how = (
            "To choose your password, open this link within 7 days:\n\n"
            f"{link}\n\n"
            f"Afterwards, sign in with your e-mail address ({person.email}) and that password."
        )
    else:
        how = (
            "Sign in with your school account (the button on the sign-in page):\n\n"
            f"{link}\n\n"
            f"Use your work e-mail address, {person.email}."
        )
    return (
        f"Dear {person.name},\n\n"
        f"{school.name} uses Boundaries to help staff check posts against the school's social "
        "media policy before they are published, and to keep the policy's registers.\n\n"
        f"{how}\n\n"
        "If you were not expecting this message, you can ignore it.\n"
    )


def invite_staff(
    session: Session,
    school: School,
    mailer: Mailer,
    base_url: str,
    *,
    sso_domains: Iterable[str] = (),
    today: date | None = None,
) -> InviteResult:
    """E-mail an invitation to every current member of staff who cannot sign in yet.

    Commits: the links are stored before any e-mail goes (a link must work the moment it
    arrives); a link whose e-mail could not be sent is removed again, so that the person is
    tried at the next run rather than a week later.
    """
    now = utc_now()
    today = today or now.date()
    domains = {d.lower().lstrip("@") for d in sso_domains}
    result = InviteResult()
    people = staff_without_accounts(session, school.id, today)
    recent = _recently_invited(session, people, now - INVITATION_VALID_FOR)
    outgoing: list[tuple[Person, str, bool]] = []  # person, link, whether it sets a password
    base = base_url.rstrip("/")
    for person in people:
        if person.id in recent:
            result.recently_invited.append(person.email)
            continue
        if person.email.rsplit("@", 1)[-1] in domains:
            # No password for them; a spent token records when they were invited.
            session.add(
                PasswordReset(
                    token_digest=digest(new_token()),
                    person_id=person.id,
                    created_at=now,
                    expires_at=now,
                    used_at=now,
                )
            )
            outgoing.append((person, f"{base}/sign-in", False))
            continue
        token = issue_reset_token(session, person, INVITATION_VALID_FOR)
        outgoing.append((person, f"{base}/reset-password?token={quote(token)}", True))
    session.commit()
    withdrawn: list[int] = []
    for person, link, with_password in outgoing:
        try:
            mailer.send(
                person.email,
                f"Your Boundaries account at {school.name}",
                _body(school, person, link, with_password),
            )
        except Exception:  # one unreachable address must not stop the others
            log.exception("Could not send an invitation to %s", person.email)
            result.failed.append(person.email)
            withdrawn.append(person.id)
            continue
        result.invited.append(person.email)
    if withdrawn:
        # The links never arrived: remove them, so the next run invites these people again.
        session.execute(
            delete(PasswordReset).where(
                PasswordReset.person_id.in_(withdrawn), PasswordReset.created_at >= now
            )
        )
        session.commit()
    return result
