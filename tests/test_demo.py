"""The demo data: what seeding creates, that it is idempotent, and that it is plausible and
invented (valid UPNs, birth dates that fit the year groups, e-mail only under example.org).

One migrated SQLite database is seeded once for the module; tests that seed again do so in a
session they roll back, so they leave it as it was. Hashing the demo passwords (argon2) is the
slow part, which is why the database is shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stdnum.gb import upn as stdnum_upn

from boundaries.accounts.passwords import check_password, set_password
from boundaries.demo import (
    _SCHOOLS,
    DEMO_EMAIL_SUFFIXES,
    DEMO_TRUST_NAME,
    DemoSummary,
    _demo_pupils,
    _SchoolSpec,
    demo_sign_ins_text,
    seed_demo,
    upn_with_check_letter,
)
from boundaries.store import (
    Base,
    ConfidentialTerm,
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
    create_db_engine,
    session_factory,
    upgrade,
)

TODAY = date(2026, 3, 10)  # spring term of the school year 2025/26
SCHOOL_1_URN = "999001"
SCHOOL_2_URN = "999002"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = create_db_engine(url)
    factory = session_factory(engine)
    yield factory
    engine.dispose()


@pytest.fixture(scope="module")
def first_run(database: sessionmaker[Session]) -> DemoSummary:
    with database() as session:
        summary = seed_demo(session, today=TODAY)
        session.commit()
    return summary


@pytest.fixture
def session(database: sessionmaker[Session], first_run: DemoSummary) -> Iterator[Session]:
    with database() as session:
        yield session
        session.rollback()


def _school(session: Session, urn: str) -> School:
    return session.scalars(select(School).where(School.urn == urn)).one()


def _roles(session: Session, school: School) -> dict[str, set[SchoolRole]]:
    rows = session.execute(
        select(Person.email, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.school_id == school.id)
    )
    roles: dict[str, set[SchoolRole]] = {}
    for email, role in rows:
        roles.setdefault(email, set()).add(role)
    return roles


def _snapshot(session: Session) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, so two states of the database can be compared whole."""
    return {
        table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
        for table in Base.metadata.sorted_tables
    }


def _year_number(year_group: str) -> int:
    return 0 if year_group == "Reception" else int(year_group.removeprefix("Year "))


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _school_year_of(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


# --- What seeding creates -----------------------------------------------------------------


def test_seeding_an_empty_database_creates_a_council_with_two_schools(
    session: Session, first_run: DemoSummary
) -> None:
    trust = session.scalars(select(Trust)).one()
    assert (trust.name, trust.kind) == (DEMO_TRUST_NAME, TrustKind.COUNCIL)
    schools = session.scalars(select(School).order_by(School.urn)).all()
    assert [(s.name, s.urn, s.local_authority) for s in schools] == [
        ("Riverside Primary School", SCHOOL_1_URN, "Wyeford"),
        ("Hill Top Academy", SCHOOL_2_URN, "Wyeford"),
    ]
    assert all(s.trust_id == trust.id for s in schools)
    assert [(s.name, s.urn) for s in first_run.schools] == [(s.name, s.urn) for s in schools]


def test_the_first_school_has_every_kind_of_role_and_the_second_a_head_and_two_teachers(
    session: Session,
) -> None:
    first = _roles(session, _school(session, SCHOOL_1_URN))
    held = [role for roles in first.values() for role in roles]
    for role in SchoolRole:
        assert role in held, f"nobody at the first school is {role}"
    teachers = [e for e, r in first.items() if SchoolRole.STAFF_TEACHER in r]
    assert len(teachers) >= 2
    assert any(SchoolRole.LINE_MANAGER in first[e] for e in teachers)

    second = _roles(session, _school(session, SCHOOL_2_URN))
    assert sorted(sorted(r) for r in second.values()) == [
        [SchoolRole.HEADTEACHER],
        [SchoolRole.STAFF_TEACHER],
        [SchoolRole.STAFF_TEACHER],
    ]
    assert not set(first) & set(second), "nobody holds roles in both schools"


def test_trust_roles_go_to_trust_officers_with_no_school_role(session: Session) -> None:
    rows = session.execute(
        select(Person, TrustRole.role).join(TrustRole, TrustRole.person_id == Person.id)
    ).all()
    assert sorted(role for _, role in rows) == sorted(
        [TrustRoleKind.TRUST_ADMIN, TrustRoleKind.TRUST_SAFEGUARDING]
    )
    for person, _ in rows:
        assert person.kind is PersonKind.TRUST_OFFICER
        assert not session.scalars(
            select(Membership).where(Membership.person_id == person.id)
        ).all()


def test_each_person_kind_fits_their_roles(session: Session) -> None:
    fitting = {
        SchoolRole.GOVERNOR: PersonKind.GOVERNOR,
        SchoolRole.VOLUNTEER: PersonKind.VOLUNTEER,
        SchoolRole.CONTRACTOR: PersonKind.CONTRACTOR,
    }
    rows = session.execute(
        select(Person.kind, Membership.role).join(Membership, Membership.person_id == Person.id)
    ).all()
    for kind, role in rows:
        assert kind is fitting.get(role, PersonKind.STAFF), (kind, role)


def test_seeding_creates_the_pupils_and_a_few_past_pupils(
    session: Session, first_run: DemoSummary
) -> None:
    for urn, on_roll in ((SCHOOL_1_URN, 240), (SCHOOL_2_URN, 120)):
        school = _school(session, urn)
        pupils = session.scalars(select(Pupil).where(Pupil.school_id == school.id)).all()
        current = [p for p in pupils if p.leaving_date is None]
        leavers = [p for p in pupils if p.leaving_date is not None]
        assert len(current) == on_roll
        assert 3 <= len(leavers) <= 10
        assert all(p.leaving_date is not None and p.leaving_date < TODAY for p in leavers)
        summary = next(s for s in first_run.schools if s.urn == urn)
        assert (summary.pupils_on_roll, summary.past_pupils) == (len(current), len(leavers))


def test_the_year_groups_are_reception_to_year_6_and_year_7_to_year_13(session: Session) -> None:
    expected = {
        SCHOOL_1_URN: {"Reception", *(f"Year {n}" for n in range(1, 7))},
        SCHOOL_2_URN: {f"Year {n}" for n in range(7, 14)},
    }
    for urn, groups in expected.items():
        school = _school(session, urn)
        found = set(
            session.scalars(
                select(Pupil.year_group).where(
                    Pupil.school_id == school.id, Pupil.leaving_date.is_(None)
                )
            )
        )
        assert found == groups


def test_some_past_pupils_are_under_18_and_some_are_not(session: Session) -> None:
    leavers = session.scalars(select(Pupil).where(Pupil.leaving_date.is_not(None))).all()
    ages = [_age_on(p.date_of_birth, TODAY) for p in leavers if p.date_of_birth is not None]
    assert any(age < 18 for age in ages)
    assert any(age >= 18 for age in ages)


def test_each_school_has_confidential_terms(session: Session, first_run: DemoSummary) -> None:
    for urn in (SCHOOL_1_URN, SCHOOL_2_URN):
        school = _school(session, urn)
        terms = session.scalars(
            select(ConfidentialTerm.term).where(ConfidentialTerm.school_id == school.id)
        ).all()
        assert len(terms) >= 2
        assert any("Ofsted" in term for term in terms)
        summary = next(s for s in first_run.schools if s.urn == urn)
        assert sorted(summary.confidential_terms) == sorted(terms)


# --- Idempotence --------------------------------------------------------------------------


def test_seeding_twice_changes_nothing_and_duplicates_nothing(session: Session) -> None:
    before = _snapshot(session)
    summary = seed_demo(session, today=TODAY)
    session.flush()
    assert summary.changes == 0
    assert _snapshot(session) == before


def test_seeding_in_a_later_school_year_adds_no_second_set_of_pupils(session: Session) -> None:
    count_before = session.scalar(select(func.count(Pupil.id)))
    summary = seed_demo(session, today=TODAY + timedelta(days=400))
    session.flush()
    assert summary.changes == 0
    assert session.scalar(select(func.count(Pupil.id))) == count_before


def test_a_password_changed_since_seeding_is_left_as_it_is(
    session: Session, first_run: DemoSummary
) -> None:
    sign_in = first_run.sign_ins[0]
    person = session.scalars(select(Person).where(Person.email == sign_in.email)).one()
    set_password(session, person, "someone-chose-this-one")
    session.flush()

    summary = seed_demo(session, today=TODAY)
    assert summary.changes == 0
    assert check_password(session, person, "someone-chose-this-one")


def test_pupils_keep_their_names_and_upns_whatever_day_they_are_generated() -> None:
    for spec in _SCHOOLS:
        autumn = _demo_pupils(spec, date(2025, 10, 1), set())
        next_summer = _demo_pupils(spec, date(2027, 7, 1), set())
        assert [(p.legal_forename, p.surname, p.upn) for p in autumn] == [
            (p.legal_forename, p.surname, p.upn) for p in next_summer
        ]


# --- Plausible and invented ---------------------------------------------------------------


def _check_letter(twelve: str) -> str:
    """The DfE's rule, written out independently of the code under test: weights 2 to 13 over
    the 12 characters after the letter, the sum mod 23, letters without I, O and S."""
    total = sum(weight * int(char) for weight, char in enumerate(twelve, start=2))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


@pytest.mark.parametrize(
    # Published valid UPNs: python-stdnum's example, and three from the DfE rule 1510 tests
    # of the social-finance CIN validator.
    "published",
    ["B801200005001", "A950000178301", "H243278544154", "X845212818005"],
)
def test_the_check_letter_matches_published_upns(published: str) -> None:
    assert _check_letter(published[1:]) == published[0]
    assert upn_with_check_letter(published[1:]) == published


def test_every_upn_is_valid_and_unique(session: Session) -> None:
    upns = session.scalars(select(Pupil.upn)).all()
    assert len(upns) == len(set(upns)) > 0
    for upn in upns:
        assert upn is not None and len(upn) == 13 and upn[1:].isdigit(), upn
        assert upn[0] == _check_letter(upn[1:]), upn
        assert stdnum_upn.is_valid(upn), upn  # the LA number must be one the DfE lists too


def test_dates_of_birth_match_the_year_groups_on_the_day_of_seeding(session: Session) -> None:
    # A child in Year N is N + 4 on the 31 August before the school year starts (Reception: 4).
    for pupil in session.scalars(select(Pupil)):
        assert pupil.date_of_birth is not None and pupil.year_group is not None
        # A leaver's year group is the one they left from: check it against that school year.
        day = pupil.leaving_date or TODAY
        last_31_august = date(_school_year_of(day), 8, 31)
        age = _age_on(pupil.date_of_birth, last_31_august)
        assert age == _year_number(pupil.year_group) + 4, (pupil.year_group, pupil.date_of_birth)


@pytest.mark.parametrize(
    "today",
    [date(2025, 9, 1), date(2026, 8, 31), date(2028, 2, 29), date(2027, 1, 4), date.today()],
)
@pytest.mark.parametrize("spec", _SCHOOLS, ids=lambda s: s.urn)
def test_dates_of_birth_match_the_year_groups_on_any_day(today: date, spec: _SchoolSpec) -> None:
    for pupil in _demo_pupils(spec, today, set()):
        day = pupil.leaving_date or today
        age = _age_on(pupil.date_of_birth, date(_school_year_of(day), 8, 31))
        assert age == _year_number(pupil.year_group) + 4
        assert pupil.date_of_birth + timedelta(days=3 * 365) < pupil.admission_date
        assert pupil.admission_date <= (pupil.leaving_date or today)
        assert pupil.admission_date.weekday() < 5


def test_pupils_names_reflect_accents_apostrophes_hyphens_and_preferred_names(
    session: Session,
) -> None:
    for urn in (SCHOOL_1_URN, SCHOOL_2_URN):
        school = _school(session, urn)
        pupils = session.scalars(select(Pupil).where(Pupil.school_id == school.id)).all()
        names = [f"{p.legal_forename} {p.surname}" for p in pupils]
        assert any(not name.isascii() for name in names)
        assert any("'" in p.surname for p in pupils)
        assert any("-" in p.surname for p in pupils)
        assert 0 < sum(p.preferred_forename is not None for p in pupils) < len(pupils) // 2
        assert len(set(names)) == len(names), "no two pupils in a school share a full name"


def test_every_demo_password_signs_in(session: Session, first_run: DemoSummary) -> None:
    assert len(first_run.sign_ins) == session.scalar(select(func.count(Person.id)))
    for sign_in in first_run.sign_ins:
        person = session.scalars(select(Person).where(Person.email == sign_in.email)).one()
        assert person.name == sign_in.name and person.kind is sign_in.kind
        assert len(sign_in.password) >= 12
        assert check_password(session, person, sign_in.password), sign_in.email
    # One wrong password is enough to show the check can fail (each costs an argon2 hash).
    person = session.scalars(select(Person)).first()
    assert person is not None
    assert not check_password(session, person, "not-the-demo-password")


def test_the_summary_gives_each_sign_in_the_roles_and_school_it_has(
    session: Session, first_run: DemoSummary
) -> None:
    for sign_in in first_run.sign_ins:
        person = session.scalars(select(Person).where(Person.email == sign_in.email)).one()
        held: set[SchoolRole | TrustRoleKind] = set(
            session.scalars(select(Membership.role).where(Membership.person_id == person.id))
        )
        held |= set(session.scalars(select(TrustRole.role).where(TrustRole.person_id == person.id)))
        assert set(sign_in.roles) == held
        schools = set(
            session.scalars(
                select(School.name)
                .join(Membership, Membership.school_id == School.id)
                .where(Membership.person_id == person.id)
            )
        )
        assert schools == ({sign_in.school} if sign_in.school is not None else set())


def test_no_email_is_outside_the_invented_domains(session: Session, first_run: DemoSummary) -> None:
    emails = [*session.scalars(select(Person.email)), *(s.email for s in first_run.sign_ins)]
    assert emails
    for email in emails:
        assert email.count("@") == 1
        domain = email.split("@")[1]
        assert domain == "example.org" or domain.endswith((".example.org", ".invalid")), email
        assert email.endswith(DEMO_EMAIL_SUFFIXES)


# --- The table ----------------------------------------------------------------------------


def test_the_sign_ins_table_lists_every_account_under_its_school(first_run: DemoSummary) -> None:
    text = demo_sign_ins_text(first_run)
    lines = text.splitlines()
    assert all(len(line) <= 100 for line in lines)
    for sign_in in first_run.sign_ins:
        row = next(line for line in lines if sign_in.email in line.split())
        assert sign_in.password in row.split()
        heading = next(
            line
            for line in reversed(lines[: lines.index(row)])
            if line and not line.startswith(" ")
        )
        if sign_in.school is None:
            assert heading.startswith(DEMO_TRUST_NAME)
        else:
            assert heading.startswith(sign_in.school)
    assert "Safeguarding lead (DSL)" in text
    assert "240 pupils on roll" in text and "120 pupils on roll" in text
