"""Authorisations to monitor (section 12): only the headteacher records one, with a purpose from
12.1, scope, period, expiry and the roles that may run reports; nothing runs without one in
force that names the caller's role, within its scope; every record, load, run and refusal is in
the school's monitoring audit chain; the run log is append-only. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from boundaries.audit import verify_chain
from boundaries.monitoring import authorisations as auth
from boundaries.monitoring.reports import ReportFilters
from boundaries.monitoring.runs import (
    MonitoringRefused,
    check_authorisation,
    filters_record,
    scoped_filters,
)
from boundaries.store import (
    AppendOnly,
    AuditEntry,
    Membership,
    MonitoringAuthorisation,
    MonitoringPurpose,
    MonitoringRun,
    NetworkDevice,
    Person,
    PersonKind,
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


@dataclass
class Place:
    sessions: sessionmaker[Session]
    school: int
    other_school: int
    people: dict[str, int]  # role -> person id
    device: int
    other_device: int

    def caller(self, session: Session, role: str) -> auth.Caller:
        school = session.get(School, self.school)
        person = session.get(Person, self.people[role])
        assert school is not None and person is not None
        return auth.caller_for(session, school, person)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def place(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Place]:
    folder = tmp_path_factory.mktemp("monitoring-authorisations")
    for url in empty_database(request.param, folder, prefix="test_monauth"):
        upgrade(url)
        engine = create_db_engine(url)
        sessions = session_factory(engine)
        with sessions() as session:
            trust = Trust(name="Fernleigh Council", kind=TrustKind.COUNCIL)
            school = School(trust=trust, name="Ashgrove Primary", urn="910001", local_authority="F")
            other = School(
                trust=trust, name="Birchfield Primary", urn="910002", local_authority="F"
            )
            session.add_all([trust, school, other])
            session.flush()
            people: dict[str, int] = {}
            for role in (
                SchoolRole.HEADTEACHER,
                SchoolRole.DSL,
                SchoolRole.HR,
                SchoolRole.STAFF_TEACHER,
            ):
                person = Person(
                    name=f"Ashgrove {role.value.title()}",
                    email=f"{role.value}@ashgrove.example.org",
                    kind=PersonKind.STAFF,
                )
                session.add(person)
                session.flush()
                session.add(Membership(person_id=person.id, school_id=school.id, role=role))
                people[role.value] = person.id
            officer = Person(
                name="Fernleigh Trust Hr", email="hr@fernleigh.example.org", kind=PersonKind.STAFF
            )
            outsider = Person(
                name="Birchfield Teacher", email="t@birchfield.example.org", kind=PersonKind.STAFF
            )
            session.add_all([officer, outsider])
            session.flush()
            session.add(
                TrustRole(person_id=officer.id, trust_id=trust.id, role=TrustRoleKind.TRUST_HR)
            )
            session.add(
                Membership(person_id=outsider.id, school_id=other.id, role=SchoolRole.STAFF_TEACHER)
            )
            people["trust_hr"] = officer.id
            people["outsider"] = outsider.id
            device = NetworkDevice(school_id=school.id, hostname="ASH-LAP-07", ip="10.20.0.57")
            other_device = NetworkDevice(school_id=other.id, hostname="BIR-PC-01", ip="10.30.0.11")
            session.add_all([device, other_device])
            session.commit()
            made = Place(sessions, school.id, other.id, people, device.id, other_device.id)
        try:
            yield made
        finally:
            engine.dispose()


def details(**changes: object) -> auth.AuthorisationDetails:
    base = auth.AuthorisationDetails(
        purpose=MonitoringPurpose.UNAUTHORISED_USE,
        reason="Reports that school laptops are used for social networking in lessons.",
        whole_school=True,
        people=(),
        devices=(),
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 20),
        expires_on=date(2026, 12, 31),
        staff_told=True,
        staff_told_how="Staff briefing and the acceptable use policy",
        staff_told_on=date(2026, 9, 3),
        roles=("headteacher", "trust_hr"),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def record(place: Place, session: Session, **changes: object) -> MonitoringAuthorisation:
    return auth.authorise(
        session, place.school, place.caller(session, "headteacher"), details(**changes), today=TODAY
    )


def test_only_the_headteacher_can_authorise_monitoring(place: Place) -> None:
    with place.sessions() as session:
        for role in ("dsl", "hr", "trust_hr", "staff_teacher"):
            with pytest.raises(auth.InvalidAuthorisation) as refused:
                auth.authorise(
                    session, place.school, place.caller(session, role), details(), today=TODAY
                )
            assert "headteacher" in str(refused.value)
        assert session.scalars(select(MonitoringAuthorisation)).all() == []


def test_an_authorisation_must_say_purpose_reason_scope_period_expiry_and_roles(
    place: Place,
) -> None:
    with place.sessions() as session:
        with pytest.raises(auth.InvalidAuthorisation) as refused:
            record(
                place,
                session,
                purpose=None,
                reason=" ",
                whole_school=False,
                period_start=None,
                period_end=None,
                expires_on=None,
                roles=(),
            )
        assert set(refused.value.errors) == {
            "purpose",
            "reason",
            "scope",
            "period_start",
            "period_end",
            "expires_on",
            "roles",
        }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": date(2026, 10, 1)}, "period_end"),
        ({"expires_on": date(2026, 11, 24)}, "expires_on"),
        ({"staff_told_how": ""}, "staff_told_how"),
        ({"staff_told_on": date(2026, 11, 26)}, "staff_told_on"),
        ({"roles": ("staff_teacher",)}, "roles"),
    ],
)
def test_an_authorisation_that_does_not_hold_together_is_refused(
    place: Place, changes: dict[str, object], field: str
) -> None:
    with place.sessions() as session:
        with pytest.raises(auth.InvalidAuthorisation) as refused:
            record(place, session, **changes)
        assert field in refused.value.errors


def test_the_scope_names_only_this_schools_people_and_devices(place: Place) -> None:
    with place.sessions() as session:
        with pytest.raises(auth.InvalidAuthorisation) as refused:
            record(
                place,
                session,
                whole_school=False,
                people=(place.people["outsider"],),
                devices=(place.other_device,),
            )
        assert {"people", "devices"} <= set(refused.value.errors)


def test_recording_and_revoking_are_appended_to_the_schools_monitoring_chain(
    place: Place,
) -> None:
    chain = auth.chain_for(place.school)
    with place.sessions() as session:
        before = verify_chain(session, chain).entries
        made = record(place, session, purpose=MonitoringPurpose.PREVENT_OR_DETECT_CRIME)
        auth.revoke(session, made, place.caller(session, "headteacher"), "Investigation closed")
        session.commit()
        report = verify_chain(session, chain)
        assert report.ok and report.entries == before + 2
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq.desc())
        ).all()[:2]
        assert [e.action for e in entries] == ["authorisation.revoked", "authorisation.recorded"]
        recorded = json.loads(entries[1].detail)
        assert recorded["purpose"] == "prevent_or_detect_crime"
        assert recorded["roles"] == ["headteacher", "trust_hr"]
        assert entries[1].actor_id == place.people["headteacher"]


def test_a_revocation_needs_a_reason_and_happens_once(place: Place) -> None:
    with place.sessions() as session:
        made = record(place, session)
        head = place.caller(session, "headteacher")
        with pytest.raises(auth.InvalidAuthorisation):
            auth.revoke(session, made, head, "")
        auth.revoke(session, made, head, "No longer needed")
        with pytest.raises(auth.InvalidAuthorisation):
            auth.revoke(session, made, head, "Again")
        session.rollback()


# -- no authorisation, no report -----------------------------------------------------------------
def test_without_an_authorisation_nothing_runs_and_the_error_says_so(place: Place) -> None:
    with place.sessions() as session, pytest.raises(MonitoringRefused) as refused:
        check_authorisation(None, place.caller(session, "headteacher"), TODAY)
    assert refused.value.missing == "no_authorisation"
    assert str(refused.value).startswith("No authorisation, no report")
    assert "headteacher must record one" in str(refused.value)


def test_an_expired_or_revoked_authorisation_runs_nothing(place: Place) -> None:
    with place.sessions() as session:
        head = place.caller(session, "headteacher")
        made = record(place, session, expires_on=date(2026, 11, 30))
        check_authorisation(made, head, TODAY)
        with pytest.raises(MonitoringRefused) as expired:
            check_authorisation(made, head, date(2026, 12, 1))
        assert expired.value.missing == "expired" and "expired on 30/11/2026" in str(expired.value)
        auth.revoke(session, made, head, "Concern resolved")
        with pytest.raises(MonitoringRefused) as revoked:
            check_authorisation(made, head, TODAY)
        assert revoked.value.missing == "revoked" and "revoked on" in str(revoked.value)
        session.rollback()


def test_only_the_roles_the_authorisation_names_may_run_reports(place: Place) -> None:
    with place.sessions() as session:
        made = record(place, session, roles=("headteacher", "trust_hr"))
        check_authorisation(made, place.caller(session, "trust_hr"), TODAY)
        for role in ("dsl", "hr"):
            with pytest.raises(MonitoringRefused) as refused:
                check_authorisation(made, place.caller(session, role), TODAY)
            assert refused.value.missing == "role"
            assert "Headteacher, Trust or council HR" in str(refused.value)
        session.rollback()


def test_reports_are_held_to_the_authorisations_period(place: Place) -> None:
    with place.sessions() as session:
        made = record(place, session)
        scoped = scoped_filters(session, made, ReportFilters())
        # 1 to 20 November, UK days: GMT in November, so UTC midnights.
        assert scoped.start == datetime(2026, 11, 1, tzinfo=UTC)
        assert scoped.end == datetime(2026, 11, 21, tzinfo=UTC)
        with pytest.raises(MonitoringRefused) as refused:
            scoped_filters(
                session, made, ReportFilters(start=datetime(2026, 10, 31, 23, tzinfo=UTC))
            )
        assert refused.value.missing == "period" and "01/11/2026 to 20/11/2026" in str(
            refused.value
        )
        with pytest.raises(MonitoringRefused):
            scoped_filters(
                session, made, ReportFilters(moment=datetime(2026, 11, 22, 10, tzinfo=UTC))
            )
        session.rollback()


def test_reports_are_held_to_the_people_and_devices_named(place: Place) -> None:
    with place.sessions() as session:
        teacher = place.people["staff_teacher"]
        made = record(
            place, session, whole_school=False, people=(teacher,), devices=(place.device,)
        )
        with pytest.raises(MonitoringRefused) as unclear:
            scoped_filters(session, made, ReportFilters())
        assert unclear.value.missing == "scope"
        only_people = record(place, session, whole_school=False, people=(teacher,))
        narrowed = scoped_filters(session, only_people, ReportFilters())
        assert narrowed.people == ("staff_teacher@ashgrove.example.org",)
        assert narrowed.devices == ()
        on_device = scoped_filters(session, made, ReportFilters(devices=("ASH-LAP-07",)))
        assert on_device.devices == ("ASH-LAP-07",) and on_device.people == ()
        asked = scoped_filters(
            session, made, ReportFilters(people=("staff_teacher@ashgrove.example.org",))
        )
        assert asked.people == ("staff_teacher@ashgrove.example.org",)
        with pytest.raises(MonitoringRefused) as refused:
            scoped_filters(session, made, ReportFilters(people=("dsl@ashgrove.example.org",)))
        assert refused.value.missing == "person" and "Ashgrove Dsl" in str(refused.value)
        with pytest.raises(MonitoringRefused) as device:
            scoped_filters(session, made, ReportFilters(devices=("BIR-PC-01",)))
        assert device.value.missing == "device"
        session.rollback()


def test_the_run_log_is_append_only(place: Place) -> None:
    with place.sessions() as session:
        made = record(place, session)
        run = MonitoringRun(
            school_id=place.school,
            authorisation_id=made.id,
            run_by_id=place.people["headteacher"],
            run_by_name="Ashgrove Headteacher",
            report="people",
            filters_json=json.dumps(filters_record(ReportFilters())),
            row_count=3,
            format="html",
        )
        session.add(run)
        session.commit()
        run.row_count = 0
        with pytest.raises(AppendOnly):
            session.flush()
        session.rollback()
        session.delete(run)
        with pytest.raises(AppendOnly):
            session.flush()
        session.rollback()


def test_an_authorisation_lasts_until_the_end_of_its_expiry_day(place: Place) -> None:
    with place.sessions() as session:
        made = record(place, session, expires_on=TODAY + timedelta(days=1))
        assert auth.status(made, TODAY + timedelta(days=1)) == "in force"
        assert auth.status(made, TODAY + timedelta(days=2)) == "expired"
        session.rollback()
