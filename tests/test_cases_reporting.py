"""Reporting a concern (6.16, 6.17, 6.22, 11.5, 11.6): what a report records, who is alerted and
what the alert says, and what the reporter sees. On SQLite and PostgreSQL.

Also home to :class:`CaseWorld`, a small school with one person per role and no passwords
(quick to build), which the workflow tests share.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from boundaries.audit import verify_chain
from boundaries.cases import reporting
from boundaries.cases.access import case_roles, handled_case
from boundaries.cases.reporting import InvalidReport, PartyDetails, ReportDetails
from boundaries.cases.trail import case_entries, chain_name
from boundaries.store import (
    Case,
    CaseCategory,
    CaseState,
    Membership,
    PartyKind,
    PartyRole,
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
from tests.databases import empty_database

TODAY = date(2026, 11, 25)
BASE = "https://boundaries.example.org"


@dataclass
class CaseWorld:
    """Ashgrove Primary (trust Northfield) with one person per school role, Northfield's trust
    officers, a second school (Elmfield) with its own headteacher, and two pupils."""

    engine: Engine
    ashgrove: int = 0
    elmfield: int = 0
    people: dict[str, int] = field(default_factory=dict)  # role -> person id

    def session(self) -> Session:
        return session_factory(self.engine)()

    def school(self, session: Session) -> School:
        school = session.get(School, self.ashgrove)
        assert school is not None
        return school

    def person(self, session: Session, role: str) -> Person:
        person = session.get(Person, self.people[role])
        assert person is not None
        return person


def build_case_world(url: str) -> CaseWorld:
    upgrade(url)
    world = CaseWorld(create_db_engine(url))
    with world.session() as session:
        trust = Trust(name="Northfield Schools Trust", kind=TrustKind.ACADEMY_TRUST)
        ashgrove = School(trust=trust, name="Ashgrove Primary", urn="910001", local_authority="N")
        elmfield = School(trust=trust, name="Elmfield Academy", urn="910002", local_authority="N")
        session.add_all([trust, ashgrove, elmfield])
        session.flush()
        world.ashgrove, world.elmfield = ashgrove.id, elmfield.id
        for role in SchoolRole:
            person = Person(
                name=f"Ashgrove {role.value.replace('_', ' ').title()}",
                email=f"{role.value}@ashgrove.example.org",
                kind=PersonKind.STAFF,
            )
            session.add(person)
            session.flush()
            session.add(Membership(person_id=person.id, school_id=ashgrove.id, role=role))
            world.people[role.value] = person.id
        for trust_role in TrustRoleKind:
            person = Person(
                name=f"Northfield {trust_role.value.replace('_', ' ').title()}",
                email=f"{trust_role.value}@northfield.example.org",
                kind=PersonKind.TRUST_OFFICER,
            )
            session.add(person)
            session.flush()
            session.add(TrustRole(person_id=person.id, trust_id=trust.id, role=trust_role))
            world.people[trust_role.value] = person.id
        other_head = Person(
            name="Elmfield Headteacher", email="head@elmfield.example.org", kind=PersonKind.STAFF
        )
        session.add(other_head)
        session.flush()
        session.add(
            Membership(person_id=other_head.id, school_id=elmfield.id, role=SchoolRole.HEADTEACHER)
        )
        world.people["elmfield_head"] = other_head.id
        session.add_all(
            [
                Pupil(
                    school_id=ashgrove.id,
                    legal_forename="Thomas",
                    preferred_forename="Tom",
                    surname="Brightwell",
                    date_of_birth=date(2013, 2, 1),
                    year_group="Year 8",
                ),
                Pupil(
                    school_id=ashgrove.id,
                    legal_forename="Amara",
                    surname="Okonjo",
                    date_of_birth=date(2013, 6, 9),
                    year_group="Year 8",
                ),
            ]
        )
        session.commit()
    return world


def case_world_for(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[CaseWorld]:
    folder = tmp_path_factory.mktemp(name)
    for url in empty_database(request.param, folder, prefix=f"test_{name}"):
        world = build_case_world(url)
        try:
            yield world
        finally:
            world.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CaseWorld]:
    yield from case_world_for(request, tmp_path_factory, "cases_reporting")


class RecordingMailer:
    def __init__(self, fail_for: str = "") -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail_for = fail_for

    def send(self, to: str, subject: str, body: str) -> None:
        if to == self.fail_for:
            raise OSError("mail server refused the recipient")
        self.sent.append((to, subject, body))


DETAILS = ReportDetails(
    category="pupil_message",
    occurred_on="24/11/2026",
    occurred_time="19:05",
    site="Direct messages",
    url="instagram.com/direct/t/340282366841710300949128",
    platform="Instagram",
    account="@tb_gamer_2013",
    summary="A message asking whether I am 'the new maths teacher at Ashgrove', with my "
    "holiday photo attached. I think it is a Year 8 pupil.",
    wishes="Please do not tell the pupil's parents it was me who reported it.",
    parties=(
        PartyDetails(PartyKind.PUPIL, PartyRole.SUBJECT, name="tom brightwell"),
        PartyDetails(PartyKind.STAFF, PartyRole.WITNESS, name="Ashgrove Staff Support"),
    ),
)


def make_report(
    world: CaseWorld,
    session: Session,
    details: ReportDetails = DETAILS,
    reporter: str = "staff_teacher",
) -> tuple[Case, list[reporting.Alert]]:
    case, alerts = reporting.report(
        session,
        world.school(session),
        world.person(session, reporter),
        details,
        base_url=BASE,
        today=TODAY,
    )
    session.commit()
    return case, alerts


def test_a_report_records_when_where_who_and_the_reporters_wishes(world: CaseWorld) -> None:
    with world.session() as session:
        case, _alerts = make_report(world, session)
        assert case.state == CaseState.REPORTED
        assert case.category == CaseCategory.PUPIL_MESSAGE
        # 19:05 in London on 24/11/2026 is 19:05 UTC (no summer time in November).
        assert case.occurred_at == datetime(2026, 11, 24, 19, 5, tzinfo=UTC)
        assert case.url == "https://instagram.com/direct/t/340282366841710300949128"
        assert (case.platform, case.account, case.site) == (
            "Instagram",
            "@tb_gamer_2013",
            "Direct messages",
        )
        assert case.reporter_wishes.startswith("Please do not tell")
        parties = reporting.parties(session, case.id)
        assert [(p.kind, p.role, p.name) for p in parties] == [
            (PartyKind.PUPIL, PartyRole.SUBJECT, "tom brightwell"),
            (PartyKind.STAFF, PartyRole.WITNESS, "Ashgrove Staff Support"),
        ]
        # Exact, unique name matches link to the roster: the pupil by preferred name too.
        tom = session.scalars(select(Pupil).where(Pupil.surname == "Brightwell")).one()
        assert parties[0].pupil_id == tom.id
        assert parties[1].person_id == world.people["staff_support"]


def test_summer_time_is_taken_into_account() -> None:
    from boundaries.cases.dates import local_moment

    assert local_moment(date(2026, 7, 1), None).hour == 11  # midday BST is 11:00 UTC


def test_today_and_dates_shown_are_uk_dates_not_the_servers_utc_ones() -> None:
    from boundaries.cases.dates import uk_day, uk_today

    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in the UK
    assert uk_today(late) == date(2026, 7, 1)
    assert uk_day(late) == "01/07/2026"
    assert uk_day(datetime(2026, 11, 25, 23, 30, tzinfo=UTC)) == "25/11/2026"  # GMT in winter
    assert uk_day(date(2026, 11, 25)) == "25/11/2026"


def test_the_reporter_sees_their_report_as_made_not_corrections_or_people_added(
    world: CaseWorld,
) -> None:
    from boundaries.cases import workflow
    from boundaries.cases.trail import Actor

    with world.session() as session:
        case, _ = make_report(world, session)
        hr = world.person(session, "hr")
        roles = case_roles(session, hr.id, world.school(session))
        workflow.edit(
            session,
            case,
            Actor(hr.id, hr.name),
            roles,
            {"category": "colleague_concern", "summary": "Staff conduct: see the notes."},
            "Recategorised after speaking to the DSL.",
        )
        workflow.add_party(
            session,
            case,
            Actor(hr.id, hr.name),
            roles,
            PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, name="Ashgrove Line Manager"),
        )
        session.commit()
        made = reporting.as_reported(session, case)
        assert made.category == CaseCategory.PUPIL_MESSAGE
        assert made.summary == DETAILS.summary
        assert made.wishes == DETAILS.wishes
        assert [p.name for p in made.parties] == ["tom brightwell", "Ashgrove Staff Support"]
        assert case.summary == "Staff conduct: see the notes."  # the handlers' version


def test_a_name_that_matches_nobody_or_several_is_kept_as_typed_but_not_linked(
    world: CaseWorld,
) -> None:
    details = ReportDetails(
        category="cyberbullying",
        summary="Posts about me in a parents' group.",
        parties=(PartyDetails(PartyKind.PUPIL, PartyRole.SUBJECT, name="T Brightwell"),),
    )
    with world.session() as session:
        case, _alerts = make_report(world, session, details)
        (party,) = reporting.parties(session, case.id)
        assert party.name == "T Brightwell" and party.pupil_id is None


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"category": "gossip"}, "category"),
        ({"summary": "   "}, "summary"),
        ({"occurred_on": "26/11/2026"}, "occurred_on"),  # tomorrow
        ({"occurred_on": "2026-11-31"}, "occurred_on"),
        ({"occurred_on": "", "occurred_time": "19:05"}, "occurred_on"),
        ({"occurred_time": "7pm"}, "occurred_time"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"account": "x" * 201}, "account"),
    ],
)
def test_a_report_that_cannot_be_recorded_is_refused_field_by_field(
    world: CaseWorld, change: dict[str, str], field_name: str
) -> None:
    values = {**DETAILS.__dict__, **change}
    with world.session() as session:
        before = session.scalars(select(Case.id)).all()
        with pytest.raises(InvalidReport) as refused:
            reporting.report(
                session,
                world.school(session),
                world.person(session, "staff_teacher"),
                ReportDetails(**values),
                base_url=BASE,
                today=TODAY,
            )
        session.rollback()
        assert field_name in refused.value.errors
        assert session.scalars(select(Case.id)).all() == before


def test_alerts_name_the_category_and_the_link_and_never_the_content(world: CaseWorld) -> None:
    with world.session() as session:
        case, alerts = make_report(world, session)
    assert {a.to for a in alerts} == {
        "headteacher@ashgrove.example.org",
        "dsl@ashgrove.example.org",
    }
    for alert in alerts:
        text = alert.subject + alert.body
        assert "Message that may be from a pupil" in text
        assert f"{BASE}/schools/{world.ashgrove}/cases/{case.id}" in alert.body
        for content in ("maths teacher", "tb_gamer", "instagram", "Brightwell", "parents", "19:05"):
            assert content.lower() not in text.lower()


def test_a_pupil_in_a_staff_profile_alerts_senior_leadership_at_once_as_urgent(
    world: CaseWorld,
) -> None:
    details = ReportDetails(category="profile_access", summary="A pupil logged in as me.")
    mailer = RecordingMailer()
    with world.session() as session:
        _case, alerts = make_report(world, session, details)
    assert reporting.send_alerts(mailer, alerts) == 3
    assert {to for to, _s, _b in mailer.sent} == {
        "headteacher@ashgrove.example.org",
        "dsl@ashgrove.example.org",
        "trust_safeguarding@northfield.example.org",
    }
    assert all(s.startswith("Urgent:") and "6.17" in b for _t, s, b in mailer.sent)


def test_a_concern_about_a_colleague_goes_to_hr_and_the_headteacher(world: CaseWorld) -> None:
    details = ReportDetails(category="colleague_concern", summary="A colleague posts about pupils.")
    with world.session() as session:
        _case, alerts = make_report(world, session, details)
    assert {a.to for a in alerts} == {
        "headteacher@ashgrove.example.org",
        "hr@ashgrove.example.org",
    }


def test_the_person_a_concern_is_about_is_not_alerted_and_cannot_see_it(
    world: CaseWorld,
) -> None:
    details = ReportDetails(
        category="colleague_concern",
        summary="The headteacher follows Year 8 pupils on TikTok.",
        parties=(PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, name="Ashgrove Headteacher"),),
    )
    with world.session() as session:
        case, alerts = make_report(world, session, details)
        assert {a.to for a in alerts} == {"hr@ashgrove.example.org"}
        school = world.school(session)
        assert handled_case(session, school, case.id, world.people["headteacher"]) is None
        assert handled_case(session, school, case.id, world.people["hr"]) is not None


def test_with_nobody_in_the_categorys_roles_every_handler_is_alerted(world: CaseWorld) -> None:
    details = ReportDetails(category="cyberbullying", summary="Abuse on X about me.")
    with world.session() as session:
        # The headteacher reports: cyberbullying alerts only the headteacher, so everyone else.
        _case, alerts = make_report(world, session, details, reporter="headteacher")
    assert {a.to for a in alerts} == {
        "dsl@ashgrove.example.org",
        "hr@ashgrove.example.org",
        "trust_safeguarding@northfield.example.org",
        "trust_hr@northfield.example.org",
    }


def test_one_failed_alert_does_not_stop_the_others(world: CaseWorld) -> None:
    with world.session() as session:
        _case, alerts = make_report(world, session)
    mailer = RecordingMailer(fail_for="headteacher@ashgrove.example.org")
    assert reporting.send_alerts(mailer, alerts) == 1
    assert [to for to, _s, _b in mailer.sent] == ["dsl@ashgrove.example.org"]


def test_the_reporter_sees_their_own_reports_and_nobody_elses(world: CaseWorld) -> None:
    with world.session() as session:
        mine, _ = make_report(world, session, reporter="volunteer")
        theirs, _ = make_report(world, session, reporter="supply")
        own = reporting.own_reports(session, world.ashgrove, world.people["volunteer"])
        assert mine.id in [c.id for c in own] and theirs.id not in [c.id for c in own]
        assert (
            reporting.own_report(session, world.ashgrove, theirs.id, world.people["volunteer"])
            is None
        )
        assert (
            reporting.own_report(session, world.elmfield, mine.id, world.people["volunteer"])
            is None
        )
        assert (
            reporting.REPORTER_STATUS[CaseState.OUTCOME]
            == reporting.REPORTER_STATUS[CaseState.INVESTIGATING]
        )  # the outcome itself is not the reporter's to read


def test_only_the_schools_handlers_and_the_trusts_granted_roles_handle_cases(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case, _ = make_report(world, session)
        school = world.school(session)
        allowed = {
            role
            for role, person_id in world.people.items()
            if handled_case(session, school, case.id, person_id) is not None
        }
        assert allowed == {"headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr"}
        assert case_roles(session, world.people["elmfield_head"], school) == frozenset()


def test_the_report_and_its_alert_are_in_the_audit_chain_which_verifies(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case, alerts = make_report(world, session)
        entries = case_entries(session, case)
        assert [e.action for e in entries] == ["case.reported", "case.alerted"]
        reported = json.loads(entries[0].detail)
        assert reported["category"] == "pupil_message"
        assert reported["account"] == "@tb_gamer_2013"
        assert json.loads(entries[1].detail) == {
            "to": [a.person_id for a in alerts],
            "urgent": False,
        }
        assert entries[0].actor_id == world.people["staff_teacher"]
        assert verify_chain(session, chain_name(world.ashgrove)).ok
