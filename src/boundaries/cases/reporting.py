"""Reporting a concern (6.16, 6.17, 6.22, 11.5, 11.6): anyone signed in to a school may report.

A report records what happened, when and where (site, URL, platform, account), the people
involved and what the reporter would like to happen (11.6: the incident is handled "taking
into account the wishes of the person who has reported" it). It becomes a case for the school's
case handlers, who are alerted by e-mail. Alerts name the category and the case's link and
nothing else: the content stays behind the sign-in. A pupil getting into a member of staff's
profile by impersonation or hacking (6.17) alerts senior leadership at once, marked urgent.

The reporter sees their own report as they made it, and its status, and nothing else of the
case: not the owner, notes, tasks or outcome, nor the handlers' corrections or the people they
added (:func:`as_reported`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.cases.access import CaseRole, handlers
from boundaries.cases.dates import InvalidDate, local_moment, parse_date, parse_time, uk_today
from boundaries.cases.trail import Actor, case_entries, record
from boundaries.mail import Mailer
from boundaries.registers.declarations import pupil_name
from boundaries.store import (
    Case,
    CaseCategory,
    CaseParty,
    CaseState,
    Membership,
    PartyKind,
    PartyRole,
    Person,
    Pupil,
    School,
)
from boundaries.store.models import utc_now

log = logging.getLogger(__name__)

CATEGORY_LABELS = {
    CaseCategory.CYBERBULLYING: "Cyberbullying against me",
    CaseCategory.PUPIL_MESSAGE: "A message that may be from a pupil",
    CaseCategory.PROFILE_ACCESS: "A pupil got into my profile (impersonation or hacking)",
    CaseCategory.INAPPROPRIATE_CONTENT: "Inappropriate content",
    CaseCategory.COLLEAGUE_CONCERN: "A concern about a colleague",
}
# Short names for lists, alerts and headings.
CATEGORY_NAMES = {
    CaseCategory.CYBERBULLYING: "Cyberbullying",
    CaseCategory.PUPIL_MESSAGE: "Message that may be from a pupil",
    CaseCategory.PROFILE_ACCESS: "Pupil access to a staff profile",
    CaseCategory.INAPPROPRIATE_CONTENT: "Inappropriate content",
    CaseCategory.COLLEAGUE_CONCERN: "Concern about a colleague",
}
CATEGORY_HINTS = {
    CaseCategory.CYBERBULLYING: "Messages, posts or images meant to embarrass, humiliate, "
    "threaten or intimidate you (policy 11).",
    CaseCategory.PUPIL_MESSAGE: "You received a message on a social networking site that you "
    "think could be from a pupil (policy 6.16).",
    CaseCategory.PROFILE_ACCESS: "A pupil got into one of your profiles by pretending to be "
    "someone else or by hacking. Senior leaders are told at once (policy 6.17).",
    CaseCategory.INAPPROPRIATE_CONTENT: "Content you have seen online that should be reported "
    "(policy 6.22).",
    CaseCategory.COLLEAGUE_CONCERN: "Something a colleague has done online that worries you.",
}
PARTY_KIND_LABELS = {
    PartyKind.STAFF: "A member of staff",
    PartyKind.PUPIL: "A pupil",
    PartyKind.OTHER: "Someone else",
}
PARTY_ROLE_LABELS = {
    PartyRole.SUBJECT: "The concern is about them",
    PartyRole.TARGET: "They were targeted",
    PartyRole.WITNESS: "They saw it or know about it",
    PartyRole.OTHER: "Other",
}
# What the reporter is told: where their report is, not what was decided.
REPORTER_STATUS = {
    CaseState.REPORTED: "Received",
    CaseState.TRIAGED: "Being looked at",
    CaseState.INVESTIGATING: "Being looked into",
    CaseState.OUTCOME: "Being looked into",
    CaseState.CLOSED: "Closed",
}
# Who is alerted, by category. Profile access (6.17) goes to senior leadership at once, the
# trust's safeguarding lead included; a concern about a colleague goes to HR as well.
ALERT_ROLES: dict[CaseCategory, frozenset[CaseRole]] = {
    CaseCategory.CYBERBULLYING: frozenset({CaseRole.HEADTEACHER}),
    CaseCategory.PUPIL_MESSAGE: frozenset({CaseRole.HEADTEACHER, CaseRole.DSL}),
    CaseCategory.PROFILE_ACCESS: frozenset(
        {CaseRole.HEADTEACHER, CaseRole.DSL, CaseRole.TRUST_SAFEGUARDING}
    ),
    CaseCategory.INAPPROPRIATE_CONTENT: frozenset({CaseRole.HEADTEACHER}),
    CaseCategory.COLLEAGUE_CONCERN: frozenset({CaseRole.HEADTEACHER, CaseRole.HR}),
}
URGENT = frozenset({CaseCategory.PROFILE_ACCESS})
PLATFORMS = (
    "Facebook",
    "Instagram",
    "WhatsApp",
    "Snapchat",
    "TikTok",
    "X (Twitter)",
    "LinkedIn",
    "YouTube",
    "Discord",
    "E-mail",
    "Text message",
)
MAX_PARTIES = 10
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
MAX_SHORT = 200
MAX_PLATFORM = 100
MAX_URL = 2000
MAX_TEXT = 10_000


class InvalidReport(ValueError):
    """A report that cannot be recorded: a message per form field, in form order."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class PartyDetails:
    """A person involved: a member of staff by id, a pupil by id or name, or someone by name."""

    kind: PartyKind
    role: PartyRole = PartyRole.OTHER
    person_id: int | None = None
    pupil_id: int | None = None
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class ReportDetails:
    """What the reporter tells us, as typed (dates and times as text, UK style)."""

    category: str
    occurred_on: str = ""
    occurred_time: str = ""
    site: str = ""
    url: str = ""
    platform: str = ""
    account: str = ""
    summary: str = ""
    wishes: str = ""
    parties: Sequence[PartyDetails] = field(default_factory=tuple)


@dataclass(frozen=True)
class CheckedReport:
    category: CaseCategory
    occurred_at: datetime | None
    site: str
    url: str
    platform: str
    account: str
    summary: str
    wishes: str
    parties: list[CaseParty]


@dataclass(frozen=True)
class Alert:
    """One e-mail about a case: to whom, and the words (category and link only)."""

    to: str
    person_id: int
    subject: str
    body: str


def _line(value: str) -> str:
    return " ".join(value.split())


def _occurred(details: ReportDetails, today: date, errors: dict[str, str]) -> datetime | None:
    day: date | None = None
    at: time | None = None
    if details.occurred_on.strip():
        try:
            day = parse_date(details.occurred_on)
        except InvalidDate as exc:
            errors["occurred_on"] = str(exc)
        else:
            if day > today:
                errors["occurred_on"] = "The date cannot be in the future."
    if details.occurred_time.strip():
        try:
            at = parse_time(details.occurred_time)
        except InvalidDate as exc:
            errors["occurred_time"] = str(exc)
        if day is None and "occurred_on" not in errors:
            errors["occurred_on"] = "Give the date as well as the time."
    return local_moment(day, at) if day is not None else None


def check_url(value: str, errors: dict[str, str]) -> str:
    url = value.strip()
    if not url:
        return ""
    if len(url) > MAX_URL:
        errors["url"] = f"The web address must be {MAX_URL:,} characters or fewer."
        return url
    if "://" not in url and _SCHEME.match(url):
        # "javascript:…", "mailto:…": a scheme without "//" is not a web page's address.
        errors["url"] = "Enter the web address of a web page, starting https:// or http://"
        return url
    parts = urlsplit(url if "://" in url else "https://" + url)
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in url:
        errors["url"] = "Enter the web address as it appears, for example https://www.example.com/…"
        return url
    return url if "://" in url else "https://" + url


def _short(value: str, key: str, label: str, limit: int, errors: dict[str, str]) -> str:
    text = _line(value)
    if len(text) > limit:
        errors[key] = f"{label} must be {limit:,} characters or fewer."
    return text


def check_parties(
    session: Session, school_id: int, parties: Sequence[PartyDetails], errors: dict[str, str]
) -> list[CaseParty]:
    rows: list[CaseParty] = []
    if len(parties) > MAX_PARTIES:
        errors["parties"] = f"Name at most {MAX_PARTIES} people; add more to the description."
        return rows
    for index, party in enumerate(parties, start=1):
        key = f"party-{index}"
        name = _line(party.name)
        person_id = pupil_id = None
        if party.kind == PartyKind.STAFF and party.person_id is not None:
            member = session.scalar(
                select(Person)
                .join(Membership, Membership.person_id == Person.id)
                .where(Person.id == party.person_id, Membership.school_id == school_id)
                .limit(1)
            )
            if member is None:
                errors[key] = f"Person {index}: choose someone from the school's list."
                continue
            person_id, name = member.id, member.name
        elif party.kind == PartyKind.PUPIL and party.pupil_id is not None:
            pupil = session.get(Pupil, party.pupil_id)
            if pupil is None or pupil.school_id != school_id or pupil.anonymised_at is not None:
                errors[key] = f"Person {index}: that pupil is not on the school's list."
                continue
            pupil_id, name = pupil.id, pupil_name(pupil)
        elif party.kind == PartyKind.PUPIL and name:
            pupil_id = _pupil_by_name(session, school_id, name)
        elif party.kind == PartyKind.STAFF and name:
            person_id = _member_by_name(session, school_id, name)
        if not name:
            errors[key] = f"Person {index}: give their name, or leave the row empty."
            continue
        if len(name) > MAX_SHORT:
            errors[key] = f"Person {index}: the name must be {MAX_SHORT} characters or fewer."
            continue
        rows.append(
            CaseParty(
                kind=party.kind,
                role=party.role,
                person_id=person_id,
                pupil_id=pupil_id,
                name=name,
                note=party.note.strip()[:MAX_TEXT],
            )
        )
    return rows


def _member_by_name(session: Session, school_id: int, name: str) -> int | None:
    """The one member of the school whose name is exactly ``name`` (any case); ``None`` when
    nobody or more than one person has it, rather than guess."""
    wanted = " ".join(name.casefold().split())
    found = {
        person.id
        for person in session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.school_id == school_id)
        )
        if " ".join(person.name.casefold().split()) == wanted
    }
    return found.pop() if len(found) == 1 else None


def _pupil_by_name(session: Session, school_id: int, name: str) -> int | None:
    """The one pupil on the roll whose name is exactly ``name`` (preferred or legal forename and
    surname, any case); ``None`` when nobody or more than one pupil has it, rather than guess."""
    wanted = name.casefold()
    found = [
        pupil.id
        for pupil in session.scalars(
            select(Pupil).where(Pupil.school_id == school_id, Pupil.anonymised_at.is_(None))
        )
        if wanted
        in {
            f"{pupil.legal_forename} {pupil.surname}".casefold(),
            f"{pupil.preferred_forename or pupil.legal_forename} {pupil.surname}".casefold(),
        }
    ]
    return found[0] if len(found) == 1 else None


def check_report(
    session: Session, school_id: int, details: ReportDetails, *, today: date | None = None
) -> CheckedReport:
    """The report, checked; :class:`InvalidReport` says what is wrong, field by field."""
    errors: dict[str, str] = {}
    try:
        category = CaseCategory(details.category)
    except ValueError:
        errors["category"] = "Choose what you are reporting."
        category = CaseCategory.CYBERBULLYING
    occurred_at = _occurred(details, today or uk_today(), errors)
    site = _short(details.site, "site", "The site or app", MAX_SHORT, errors)
    url = check_url(details.url, errors)
    platform = _short(details.platform, "platform", "The platform", MAX_PLATFORM, errors)
    account = _short(details.account, "account", "The account", MAX_SHORT, errors)
    summary = details.summary.strip()
    if not summary:
        errors["summary"] = "Say what happened."
    elif len(summary) > MAX_TEXT:
        errors["summary"] = f"The description must be {MAX_TEXT:,} characters or fewer."
    wishes = details.wishes.strip()
    if len(wishes) > MAX_TEXT:
        errors["wishes"] = f"This must be {MAX_TEXT:,} characters or fewer."
    parties = check_parties(session, school_id, details.parties, errors)
    if errors:
        raise InvalidReport(errors)
    return CheckedReport(
        category, occurred_at, site, url, platform, account, summary, wishes, parties
    )


def report(
    session: Session,
    school: School,
    reporter: Person,
    details: ReportDetails,
    *,
    base_url: str,
    today: date | None = None,
) -> tuple[Case, list[Alert]]:
    """Record a report as a new case and say whom to alert.

    The case, its people and the chain entries (reported; alerted, naming who) are added in the
    caller's transaction. Send the alerts (:func:`send_alerts`) after committing, so that
    nobody is told about a case that was not saved.
    """
    checked = check_report(session, school.id, details, today=today)
    now = utc_now()
    case = Case(
        school_id=school.id,
        category=checked.category,
        state=CaseState.REPORTED,
        reporter_id=reporter.id,
        occurred_at=checked.occurred_at,
        site=checked.site,
        url=checked.url,
        platform=checked.platform,
        account=checked.account,
        summary=checked.summary,
        reporter_wishes=checked.wishes,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    for party in checked.parties:
        party.case_id = case.id
        party.added_at = now
        session.add(party)
    session.flush()
    actor = Actor(reporter.id, reporter.name)
    record(
        session,
        case,
        actor,
        "case.reported",
        {
            "category": case.category.value,
            "occurred_at": case.occurred_at.isoformat() if case.occurred_at else None,
            "site": case.site,
            "url": case.url,
            "platform": case.platform,
            "account": case.account,
            "parties": [
                {"kind": p.kind.value, "role": p.role.value, "name": p.name}
                for p in checked.parties
            ],
        },
    )
    alerts = plan_alerts(session, school, case, base_url=base_url)
    record(
        session,
        case,
        actor,
        "case.alerted",
        {
            "to": [a.person_id for a in alerts],
            "urgent": case.category in URGENT,
        },
    )
    return case, alerts


def case_link(base_url: str, case: Case) -> str:
    return f"{base_url.rstrip('/')}/schools/{case.school_id}/cases/{case.id}"


def plan_alerts(session: Session, school: School, case: Case, *, base_url: str) -> list[Alert]:
    """The e-mails a new case sends: to the handlers in the category's roles (to every handler
    when the school has nobody in those roles), never to the reporter or to anyone the concern
    is about. Each names the category and the link, and nothing of what was reported."""
    about = {
        p.person_id
        for p in session.scalars(
            select(CaseParty).where(
                CaseParty.case_id == case.id, CaseParty.role == PartyRole.SUBJECT
            )
        )
        if p.person_id is not None
    }
    everyone = [
        (person, roles)
        for person, roles in handlers(session, school)
        if person.id != case.reporter_id and person.id not in about
    ]
    wanted = ALERT_ROLES[case.category]
    chosen = [person for person, roles in everyone if roles & wanted]
    if not chosen:
        chosen = [person for person, _roles in everyone]
    name = CATEGORY_NAMES[case.category]
    urgent = case.category in URGENT
    subject = (
        f"Urgent: {name} reported at {school.name}"
        if urgent
        else f"New concern reported at {school.name}: {name}"
    )
    lead = (
        "A pupil may have got into a member of staff's profile. Senior leadership must be told "
        "at once (policy 6.17)."
        if urgent
        else "A concern has been reported."
    )
    body = (
        f"{lead}\n\nCategory: {name}\nCase: {case_link(base_url, case)}\n\n"
        "Sign in to read it. The details are kept in Boundaries and are not sent by e-mail.\n"
    )
    return [Alert(p.email, p.id, subject, body) for p in chosen]


def send_alerts(mailer: Mailer, alerts: Sequence[Alert]) -> int:
    """Send each alert; a failure is logged and the rest still go. Returns how many went."""
    sent = 0
    for alert in alerts:
        try:
            mailer.send(alert.to, alert.subject, alert.body)
        except Exception:  # one bad address or a mail server hiccup must not lose the others
            log.exception("could not send the case alert to person %s", alert.person_id)
        else:
            sent += 1
    return sent


# -- what the reporter sees ---------------------------------------------------------------------
def own_reports(session: Session, school_id: int, person_id: int) -> list[Case]:
    """The reports one person made in one school, newest first."""
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.school_id == school_id,
                Case.reporter_id == person_id,
                Case.purged_at.is_(None),
            )
            .order_by(Case.created_at.desc(), Case.id.desc())
        )
    )


def own_report(session: Session, school_id: int, case_id: int, person_id: int) -> Case | None:
    """The report if this person made it; anything else is ``None`` (not found)."""
    case = session.get(Case, case_id)
    if (
        case is None
        or case.school_id != school_id
        or case.reporter_id != person_id
        or case.purged_at is not None
    ):
        return None
    return case


def reporter_viewed(session: Session, case: Case, reporter: Actor) -> None:
    """Record that the reporter looked at their report (every view is in the chain)."""
    record(session, case, reporter, "case.viewed_by_reporter")


def parties(session: Session, case_id: int) -> list[CaseParty]:
    """The people involved in a case, in the order they were added."""
    return list(
        session.scalars(
            select(CaseParty).where(CaseParty.case_id == case_id).order_by(CaseParty.id)
        )
    )


@dataclass(frozen=True)
class ReportAsMade:
    """A report as the reporter made it, for the reporter's own page."""

    category: CaseCategory
    occurred_at: datetime | None
    site: str
    url: str
    platform: str
    account: str
    summary: str
    wishes: str
    parties: list[CaseParty]


def as_reported(session: Session, case: Case) -> ReportAsMade:
    """The report as its reporter made it. Handlers' corrections are part of the case, which is
    not the reporter's to read: each corrected field's first "was" value in the chain is what
    the reporter wrote, and people the handlers added later are left out."""
    first: dict[str, str] = {}
    added_later: set[int] = set()
    for entry in case_entries(session, case):
        if entry.action not in ("case.edited", "case.party_added"):
            continue
        try:
            detail = json.loads(entry.detail)
        except ValueError:  # a damaged entry: verify names it; show the current value
            continue
        if not isinstance(detail, dict):
            continue
        if entry.action == "case.party_added":
            if isinstance(detail.get("party_id"), int):
                added_later.add(detail["party_id"])
            continue
        changes = detail.get("changes")
        for key, change in changes.items() if isinstance(changes, dict) else ():
            if isinstance(change, dict) and isinstance(change.get("was"), str):
                first.setdefault(key, change["was"])

    def text(key: str, now: str) -> str:
        return first.get(key, now)

    category = case.category
    if "category" in first:
        with contextlib.suppress(ValueError):  # an unknown value: show the current one
            category = CaseCategory(first["category"])
    occurred_at = case.occurred_at
    if "occurred_at" in first:
        with contextlib.suppress(ValueError):
            occurred_at = (
                datetime.fromisoformat(first["occurred_at"]) if first["occurred_at"] else None
            )
    return ReportAsMade(
        category=category,
        occurred_at=occurred_at,
        site=text("site", case.site),
        url=text("url", case.url),
        platform=text("platform", case.platform),
        account=text("account", case.account),
        summary=text("summary", case.summary),
        wishes=text("reporter_wishes", case.reporter_wishes),
        parties=[p for p in parties(session, case.id) if p.id not in added_later],
    )
