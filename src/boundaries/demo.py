"""Invented demo data for trying Boundaries: a council, two schools, their people and pupils.

Everything here is made up: the council, the schools, every name and every e-mail address (all
under ``example.org``, which can never reach a real mailbox). The URNs sit in a range no real
school has. The UPNs use a real local-authority number only because UPN validators check it
against the DfE's list; the establishment numbers are invented.

:func:`seed_demo` is idempotent: it finds what is already there by natural keys (trust name,
school URN, e-mail, UPN, term text) and adds only what is missing, so it can run at every start.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from stdnum.gb import upn as stdnum_upn

from boundaries.accounts.passwords import set_password
from boundaries.store import (
    ConfidentialTerm,
    Credential,
    Membership,
    Person,
    PersonKind,
    Pupil,
    School,
    SchoolRole,
    Trust,
    TrustKind,
    TrustRole,
    TrustRoleKind,
)

DEMO_TRUST_NAME = "Wyeford Council"
DEMO_LOCAL_AUTHORITY = "Wyeford"
# Every demo e-mail address ends with one of these: example.org is reserved (RFC 2606).
DEMO_EMAIL_SUFFIXES = (".example.org", "@example.org", ".invalid")
# A real LA number, because validators (python-stdnum's among them) refuse any not on the DfE's
# list; the establishment numbers below are invented, so no UPN here can be a real pupil's.
DEMO_LA_NUMBER = "884"
# UPN issue years are counted back from this school year rather than from today, so a pupil
# keeps the same UPN (the key that makes re-seeding idempotent) whatever day the demo runs on.
# Changing this, the seeds or the name lists makes different pupils: a demo database seeded
# before would keep its old pupils beside the new ones, so delete it.
_UPN_REFERENCE_SCHOOL_YEAR = 2026

ROLE_LABELS: dict[SchoolRole | TrustRoleKind, str] = {
    SchoolRole.HEADTEACHER: "Headteacher",
    SchoolRole.DSL: "Safeguarding lead (DSL)",
    SchoolRole.HR: "HR",
    SchoolRole.IT_ADMIN: "IT administrator",
    SchoolRole.STAFF_TEACHER: "Teacher",
    SchoolRole.LINE_MANAGER: "Line manager",
    SchoolRole.STAFF_SUPPORT: "Support staff",
    SchoolRole.SUPPLY: "Supply staff",
    SchoolRole.GOVERNOR: "Governor",
    SchoolRole.VOLUNTEER: "Volunteer",
    SchoolRole.CONTRACTOR: "Contractor",
    TrustRoleKind.TRUST_ADMIN: "Trust administrator",
    TrustRoleKind.TRUST_SAFEGUARDING: "Trust safeguarding lead",
    TrustRoleKind.TRUST_HR: "Trust HR",
}


# --- What the demo contains ---------------------------------------------------------------


@dataclass(frozen=True)
class _SchoolSpec:
    name: str
    urn: str
    establishment: str
    # Pupils on roll in each year group, from the school's first year group up (0 = Reception).
    first_year_group: int
    pupils_per_year: tuple[int, ...]
    # Leavers: (year group they left from, "summer" = end of last school year, "spring" = in
    # the spring term of last school year).
    leavers: tuple[tuple[int, str], ...]
    confidential_terms: tuple[str, ...]


@dataclass(frozen=True)
class _PersonSpec:
    name: str
    email: str
    kind: PersonKind
    password: str
    school_urn: str | None
    school_roles: tuple[SchoolRole, ...] = ()
    trust_roles: tuple[TrustRoleKind, ...] = ()


_RIVERSIDE = _SchoolSpec(
    name="Riverside Primary School",
    urn="999001",
    establishment="9001",
    first_year_group=0,
    pupils_per_year=(35, 35, 34, 34, 34, 34, 34),
    leavers=(
        (6, "summer"),
        (6, "summer"),
        (6, "summer"),
        (6, "summer"),
        (3, "spring"),
        (5, "spring"),
    ),
    confidential_terms=(
        "Project Kingfisher",
        "Ofsted week of 9 March",
        "Brook Street annexe sale",
    ),
)
_HILL_TOP = _SchoolSpec(
    name="Hill Top Academy",
    urn="999002",
    establishment="9002",
    first_year_group=7,
    pupils_per_year=(20, 20, 20, 20, 20, 10, 10),
    leavers=(
        (13, "summer"),
        (13, "summer"),
        (11, "summer"),
        (11, "summer"),
        (12, "spring"),
        (9, "spring"),
    ),
    confidential_terms=(
        "Project Granite",
        "Ofsted call on 24 February",
        "Science faculty merger",
    ),
)
_SCHOOLS = (_RIVERSIDE, _HILL_TOP)

_R = _RIVERSIDE.urn
_H = _HILL_TOP.urn
_PEOPLE = (
    _PersonSpec("Helen Ashworth", "helen.ashworth@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-head", _R, (SchoolRole.HEADTEACHER,)),
    _PersonSpec("Marcus Adebayo", "marcus.adebayo@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-dsl", _R, (SchoolRole.DSL, SchoolRole.STAFF_TEACHER)),
    _PersonSpec("Sunita Rao", "sunita.rao@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-hr", _R, (SchoolRole.HR,)),
    _PersonSpec("Gareth Pryce", "gareth.pryce@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-it", _R, (SchoolRole.IT_ADMIN,)),
    _PersonSpec("Chloé Martin", "chloe.martin@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-teacher-1", _R,
                (SchoolRole.STAFF_TEACHER, SchoolRole.LINE_MANAGER)),
    _PersonSpec("Daniel O'Connell", "daniel.oconnell@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-teacher-2", _R, (SchoolRole.STAFF_TEACHER,)),
    _PersonSpec("Bethan Pugh", "bethan.pugh@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-ta", _R, (SchoolRole.STAFF_SUPPORT,)),
    _PersonSpec("Tomasz Nowicki", "tomasz.nowicki@riverside.example.org", PersonKind.STAFF,
                "demo-riverside-supply", _R, (SchoolRole.SUPPLY,)),
    _PersonSpec("Ruth Ellison", "ruth.ellison@riverside.example.org", PersonKind.GOVERNOR,
                "demo-riverside-governor", _R, (SchoolRole.GOVERNOR,)),
    _PersonSpec("Patrick Owusu", "patrick.owusu@riverside.example.org", PersonKind.VOLUNTEER,
                "demo-riverside-volunteer", _R, (SchoolRole.VOLUNTEER,)),
    _PersonSpec("Jo Whitfield", "jo.whitfield@wyegrounds.example.org", PersonKind.CONTRACTOR,
                "demo-riverside-grounds", _R, (SchoolRole.CONTRACTOR,)),
    _PersonSpec("Imran Siddiqui", "imran.siddiqui@hilltop.example.org", PersonKind.STAFF,
                "demo-hilltop-head", _H, (SchoolRole.HEADTEACHER,)),
    _PersonSpec("Hannah Lloyd-Evans", "hannah.lloyd-evans@hilltop.example.org", PersonKind.STAFF,
                "demo-hilltop-teacher-1", _H, (SchoolRole.STAFF_TEACHER,)),
    _PersonSpec("Wei Zhang", "wei.zhang@hilltop.example.org", PersonKind.STAFF,
                "demo-hilltop-teacher-2", _H, (SchoolRole.STAFF_TEACHER,)),
    _PersonSpec("Alison Carver", "alison.carver@wyeford.example.org", PersonKind.TRUST_OFFICER,
                "demo-wyeford-admin", None, trust_roles=(TrustRoleKind.TRUST_ADMIN,)),
    _PersonSpec("Nadia Rahman", "nadia.rahman@wyeford.example.org", PersonKind.TRUST_OFFICER,
                "demo-wyeford-safeguard", None,
                trust_roles=(TrustRoleKind.TRUST_SAFEGUARDING,)),
)  # fmt: skip

_FORENAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Freya", "Lily", "Grace", "Poppy", "Zoë", "Chloé",
    "Niamh", "Siobhán", "Aoife", "Cerys", "Ffion", "Eilidh", "Maja", "Zofia", "Katarzyna",
    "Aisha", "Fatima", "Maryam", "Hafsa", "Amara", "Chiamaka", "Adaeze", "Priya", "Anaya",
    "Harleen", "Mei", "Hana", "Ioana", "Inés", "Lucía", "Renée", "Ellie-May", "Florence",
    "Isabella", "Elizabeth", "Margot", "Nour", "Leila", "Yasmin", "Hodan", "Ayan",
    "Oliver", "Noah", "George", "Leo", "Arthur", "Alfred", "Theodore", "Jack", "Oscar",
    "Archie", "Thomas", "Samuel", "Benjamin", "Alexander", "Nathaniel", "Muhammad", "Yusuf",
    "Ibrahim", "Ayaan", "Zayn", "Arjun", "Rohan", "Jaskaran", "Oluwaseun", "Chukwuemeka",
    "Kwame", "Kofi", "Tobi", "Rhys", "Dylan", "Callum", "Seán", "Ciarán", "Kacper", "Jakub",
    "Aleksander", "Andrei", "Mateo", "José", "Thiago", "Jun", "Kai", "Riley", "Dawit",
    "Abdirahman",
)  # fmt: skip
_SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Roberts", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Turner", "Patel",
    "Khan", "Ahmed", "Hussain", "Chowdhury", "Ali", "Rahman", "Iqbal", "Singh", "Sandhu", "Gill",
    "Sharma", "O'Neill", "O'Brien", "O'Connor", "McCarthy", "MacLeod", "van der Berg",
    "Nowak", "Wójcik", "Kowalczyk", "Mazur", "Okafor", "Adeyemi", "Okonkwo",
    "Mensah", "Osei", "Boateng", "Abdi", "Mohamed", "Warsame", "Nguyen", "Chen", "Wong", "Li",
    "Popescu", "Ionescu", "Yılmaz", "Kaya", "Silva", "Fernandes", "D'Souza", "García",
    "Núñez", "Müller", "Ferreira",
)  # fmt: skip
# The names a pupil may go by instead of their legal forename (not everyone with one does).
_PREFERRED = {
    "Oliver": "Olly",
    "Alexander": "Alex",
    "Elizabeth": "Libby",
    "Thomas": "Tom",
    "Samuel": "Sam",
    "Benjamin": "Ben",
    "Nathaniel": "Nate",
    "Theodore": "Teddy",
    "Alfred": "Alfie",
    "Isabella": "Bella",
    "Florence": "Flo",
    "Katarzyna": "Kasia",
    "Aleksander": "Olek",
    "Oluwaseun": "Seun",
    "Chukwuemeka": "Emeka",
    "Muhammad": "Mo",
    "Abdirahman": "Abdi",
    "Jaskaran": "Jas",
}


# --- School years -------------------------------------------------------------------------


def school_year_start(day: date) -> int:
    """The calendar year in which the school year holding ``day`` began (1 September)."""
    return day.year if day.month >= 9 else day.year - 1


def year_group_name(year_group: int) -> str:
    """``0`` is Reception; the rest are "Year 1" to "Year 13"."""
    return "Reception" if year_group == 0 else f"Year {year_group}"


def birth_window(year_group: int, school_year: int) -> tuple[date, date]:
    """The first and last birth dates of a child in ``year_group`` in the school year that began
    in ``school_year``: Reception children turn five during it, so were born 1 September to
    31 August five years earlier."""
    first_year = school_year - year_group - 5
    return date(first_year, 9, 1), date(first_year + 1, 8, 31)


def upn_with_check_letter(body: str) -> str:
    """A full UPN from its last 12 characters (LA, establishment, year, serial)."""
    return str(stdnum_upn.calc_check_digit(body)) + body


def _first_school_day(school_year: int) -> date:
    # Term usually starts in the first week of September, on a weekday after the INSET days.
    return _weekday_on_or_after(date(school_year, 9, 4))


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


# --- Pupils -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PupilRow:
    legal_forename: str
    preferred_forename: str | None
    surname: str
    date_of_birth: date
    upn: str
    year_group: str
    admission_date: date
    leaving_date: date | None


@dataclass(frozen=True)
class _Draw:
    """One pupil's random draws, taken in a fixed order and never depending on ``today``, so the
    same pupil (name, UPN) comes out whatever day the demo is seeded on."""

    forename: str
    surname: str
    preferred: str | None
    birth_fraction: float
    in_year: bool
    in_year_fraction: float
    day_fraction: float
    sixth_form_entrant: bool


def _draw(rng: random.Random, taken: set[tuple[str, str]]) -> _Draw:
    while True:
        forename = rng.choice(_FORENAMES)
        surname = rng.choice(_SURNAMES)
        second = rng.choice(_SURNAMES)
        if rng.random() < 0.08 and second != surname:
            surname = f"{surname}-{second}"
        nickname = _PREFERRED.get(forename)
        preferred = nickname if nickname is not None and rng.random() < 0.4 else None
        draw = _Draw(
            forename=forename,
            surname=surname,
            preferred=preferred,
            birth_fraction=rng.random(),
            in_year=rng.random() < 0.08,
            in_year_fraction=rng.random(),
            day_fraction=rng.random(),
            sixth_form_entrant=rng.random() < 0.3,
        )
        # Two pupils with the same full name would muddle the demo; re-draw instead.
        if (forename, surname) not in taken:
            taken.add((forename, surname))
            return draw


def _date_of_birth(draw: _Draw, year_group: int, school_year: int) -> date:
    first, last = birth_window(year_group, school_year)
    span = (last - first).days + 1
    return first + timedelta(days=min(int(draw.birth_fraction * span), span - 1))


def _admission_date(
    draw: _Draw, entry_year_group: int, year_group: int, school_year: int, today: date
) -> date:
    entry_school_year = school_year - (year_group - entry_year_group)
    admitted = _first_school_day(entry_school_year)
    if draw.in_year:
        # Joined part-way through: in some school year since entry, after the first day.
        years = year_group - entry_year_group + 1
        joined_year = entry_school_year + min(int(draw.in_year_fraction * years), years - 1)
        candidate = _weekday_on_or_after(
            _first_school_day(joined_year) + timedelta(days=int(draw.day_fraction * 280))
        )
        if candidate <= today:
            admitted = candidate
    return min(admitted, _weekday_on_or_before(today))


def _demo_pupils(spec: _SchoolSpec, today: date, staff_names: set[str]) -> list[_PupilRow]:
    rng = random.Random(f"boundaries-demo-pupils-{spec.urn}")
    # A pupil who shares a full name with a member of staff would muddle the demo too.
    taken_pairs = {(name.split(" ")[0], name.split(" ", 1)[-1]) for name in staff_names}
    this_year = school_year_start(today)
    serials: dict[int, int] = {}
    rows: list[_PupilRow] = []

    def upn(year_group_at_reference: int) -> str:
        issued = _UPN_REFERENCE_SCHOOL_YEAR - year_group_at_reference
        serials[issued] = serials.get(issued, 0) + 1
        body = f"{DEMO_LA_NUMBER}{spec.establishment}{issued % 100:02d}{serials[issued]:03d}"
        return upn_with_check_letter(body)

    for offset, count in enumerate(spec.pupils_per_year):
        year_group = spec.first_year_group + offset
        for _ in range(count):
            draw = _draw(rng, taken_pairs)
            entry = spec.first_year_group
            if year_group >= 12 and draw.sixth_form_entrant:
                entry = 12
            rows.append(
                _PupilRow(
                    legal_forename=draw.forename,
                    preferred_forename=draw.preferred,
                    surname=draw.surname,
                    date_of_birth=_date_of_birth(draw, year_group, this_year),
                    upn=upn(year_group),
                    year_group=year_group_name(year_group),
                    admission_date=_admission_date(draw, entry, year_group, this_year, today),
                    leaving_date=None,
                )
            )

    last_year = this_year - 1
    for year_group, when in spec.leavers:
        draw = _draw(rng, taken_pairs)
        entry = 12 if year_group >= 12 and draw.sixth_form_entrant else spec.first_year_group
        if when == "summer":
            left = _weekday_on_or_before(date(last_year + 1, 7, 21))
        else:
            left = _weekday_on_or_before(date(last_year + 1, 2, 13))
        rows.append(
            _PupilRow(
                legal_forename=draw.forename,
                preferred_forename=draw.preferred,
                surname=draw.surname,
                date_of_birth=_date_of_birth(draw, year_group, last_year),
                upn=upn(year_group + 1),
                # The year group they were in when they left, as an MIS keeps it.
                year_group=year_group_name(year_group),
                admission_date=_admission_date(draw, entry, year_group, last_year, left),
                leaving_date=left,
            )
        )
    return rows


# --- The summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSignIn:
    """One demo account: who, how to sign in, and what they may do where."""

    name: str
    email: str
    password: str
    kind: PersonKind
    school: str | None  # the school's name; None for someone whose roles cover the whole trust
    roles: tuple[SchoolRole | TrustRoleKind, ...]


@dataclass(frozen=True)
class DemoSchool:
    """One demo school as it stands in the database after seeding."""

    name: str
    urn: str
    pupils_on_roll: int
    past_pupils: int
    confidential_terms: tuple[str, ...]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`seed_demo` left in place, and how many changes it had to make to get there."""

    trust: str
    schools: tuple[DemoSchool, ...]
    sign_ins: tuple[DemoSignIn, ...]
    changes: int  # rows added and passwords (re)set by this run; 0 when all was already there


# --- Seeding ------------------------------------------------------------------------------


def seed_demo(session: Session, today: date | None = None) -> DemoSummary:
    """Add the demo council, schools, people, sign-ins, pupils and confidential terms.

    Only what is missing is added, so running it again changes nothing; that includes
    passwords, so one changed since the first run stays changed. The caller commits.
    """
    today = today or date.today()
    changes = 0

    trust = session.scalars(select(Trust).where(Trust.name == DEMO_TRUST_NAME)).one_or_none()
    if trust is None:
        trust = Trust(name=DEMO_TRUST_NAME, kind=TrustKind.COUNCIL)
        session.add(trust)
        session.flush()
        changes += 1

    schools: dict[str, School] = {}
    for spec in _SCHOOLS:
        school = session.scalars(select(School).where(School.urn == spec.urn)).one_or_none()
        if school is None:
            school = School(
                trust_id=trust.id,
                name=spec.name,
                urn=spec.urn,
                local_authority=DEMO_LOCAL_AUTHORITY,
            )
            session.add(school)
            session.flush()
            changes += 1
        schools[spec.urn] = school

    for person_spec in _PEOPLE:
        changes += _seed_person(session, person_spec, trust, schools)

    for spec in _SCHOOLS:
        school = schools[spec.urn]
        staff = {p.name for p in _PEOPLE if p.school_urn == spec.urn}
        changes += _seed_pupils(session, school, _demo_pupils(spec, today, staff))
        changes += _seed_terms(session, school, spec.confidential_terms)
    session.flush()

    return DemoSummary(
        trust=trust.name,
        schools=tuple(_school_summary(session, schools[s.urn], today) for s in _SCHOOLS),
        sign_ins=tuple(
            DemoSignIn(
                name=p.name,
                email=p.email,
                password=p.password,
                kind=p.kind,
                school=schools[p.school_urn].name if p.school_urn is not None else None,
                roles=(*p.school_roles, *p.trust_roles),
            )
            for p in _PEOPLE
        ),
        changes=changes,
    )


def _seed_person(
    session: Session, spec: _PersonSpec, trust: Trust, schools: dict[str, School]
) -> int:
    changes = 0
    email = spec.email.lower()
    person = session.scalars(select(Person).where(Person.email == email)).one_or_none()
    if person is None:
        person = Person(name=spec.name, email=email, kind=spec.kind)
        session.add(person)
        session.flush()
        changes += 1

    if spec.school_urn is not None:
        school = schools[spec.school_urn]
        held = set(
            session.scalars(
                select(Membership.role).where(
                    Membership.person_id == person.id, Membership.school_id == school.id
                )
            )
        )
        for role in spec.school_roles:
            if role not in held:
                session.add(Membership(person_id=person.id, school_id=school.id, role=role))
                changes += 1

    held_trust = set(
        session.scalars(
            select(TrustRole.role).where(
                TrustRole.person_id == person.id, TrustRole.trust_id == trust.id
            )
        )
    )
    for trust_role in spec.trust_roles:
        if trust_role not in held_trust:
            session.add(TrustRole(person_id=person.id, trust_id=trust.id, role=trust_role))
            changes += 1

    # Only a person with no password gets one: checking each existing one (argon2) would cost
    # seconds at every start, and a password someone chose while trying the demo is theirs.
    if session.get(Credential, person.id) is None:
        set_password(session, person, spec.password)
        changes += 1
    return changes


def _seed_pupils(session: Session, school: School, rows: Sequence[_PupilRow]) -> int:
    existing = set(session.scalars(select(Pupil.upn).where(Pupil.school_id == school.id)))
    added = 0
    for row in rows:
        if row.upn in existing:
            continue
        session.add(
            Pupil(
                school_id=school.id,
                legal_forename=row.legal_forename,
                preferred_forename=row.preferred_forename,
                surname=row.surname,
                date_of_birth=row.date_of_birth,
                upn=row.upn,
                year_group=row.year_group,
                admission_date=row.admission_date,
                leaving_date=row.leaving_date,
            )
        )
        added += 1
    return added


def _seed_terms(session: Session, school: School, terms: Sequence[str]) -> int:
    existing = set(
        session.scalars(
            select(ConfidentialTerm.term).where(ConfidentialTerm.school_id == school.id)
        )
    )
    added = 0
    for term in terms:
        if term not in existing:
            session.add(ConfidentialTerm(school_id=school.id, term=term))
            added += 1
    return added


def _school_summary(session: Session, school: School, today: date) -> DemoSchool:
    on_roll = session.scalar(
        select(func.count(Pupil.id)).where(
            Pupil.school_id == school.id,
            or_(Pupil.leaving_date.is_(None), Pupil.leaving_date >= today),
        )
    )
    everyone = session.scalar(select(func.count(Pupil.id)).where(Pupil.school_id == school.id))
    terms = session.scalars(
        select(ConfidentialTerm.term)
        .where(ConfidentialTerm.school_id == school.id)
        .order_by(ConfidentialTerm.id)
    )
    return DemoSchool(
        name=school.name,
        urn=school.urn,
        pupils_on_roll=on_roll or 0,
        past_pupils=(everyone or 0) - (on_roll or 0),
        confidential_terms=tuple(terms),
    )


# --- Printing -----------------------------------------------------------------------------


def demo_sign_ins_text(summary: DemoSummary) -> str:
    """The demo sign-ins as a table for the terminal, grouped by school, then the trust-wide
    accounts, then what each school holds."""
    headings = ("E-mail", "Password", "Roles")
    rows = [
        (s.email, s.password, ", ".join(ROLE_LABELS[r] for r in s.roles)) for s in summary.sign_ins
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headings)]

    def line(cells: Sequence[str]) -> str:
        return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    urns = {school.name: school.urn for school in summary.schools}
    groups: list[tuple[str, list[tuple[str, str, str]]]] = []
    for school_name in [*urns, None]:
        members = [
            row for row, s in zip(rows, summary.sign_ins, strict=True) if s.school == school_name
        ]
        if not members:
            continue
        title = (
            f"{school_name} (URN {urns[school_name]})"
            if school_name is not None
            else f"{summary.trust}: every school"
        )
        groups.append((title, members))

    out = [
        "Demo sign-ins: invented people, for trying Boundaries only.",
        "Passwords are as first seeded (one changed since stays changed). Never use them live.",
    ]
    for title, members in groups:
        out += ["", title, line(headings), line(["-" * w for w in widths])]
        out += [line(row) for row in members]
    out += ["", "What each school holds (invented too):"]
    for school in summary.schools:
        terms = ", ".join(f"“{term}”" for term in school.confidential_terms) or "none"
        out += [
            f"  {school.name}: {school.pupils_on_roll} pupils on roll, "
            f"{school.past_pupils} past pupils",
            f"    confidential terms: {terms}",
        ]
    return "\n".join(out) + "\n"
