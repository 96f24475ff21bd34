"""Training (section 13): dates as people type them, what overdue means, assignment to everyone
or to a role, marking done; the pages and the CLI. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from boundaries.registers import training as trn
from boundaries.store import Person, SchoolRole, StaffRecord, TrainingKind, TrainingRecord
from tests.test_cli import run
from tests.test_declarations import Registers, registers_for

TODAY = date(2026, 3, 2)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registers]:
    yield from registers_for(request, tmp_path_factory, "training")


# -- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("31/12/2026", date(2026, 12, 31)),
        ("1/2/2026", date(2026, 2, 1)),
        (" 2026-12-31 ", date(2026, 12, 31)),
        ("29/02/2028", date(2028, 2, 29)),
    ],
)
def test_a_date_is_read_as_day_month_year_or_iso(typed: str, day: date) -> None:
    assert trn.parse_date(typed) == day


@pytest.mark.parametrize(
    "typed", ["12/31/2026", "31/02/2026", "31/12/26", "2026/12/31", "tomorrow", "", "29/02/2026"]
)
def test_a_date_that_is_american_impossible_or_short_is_refused(typed: str) -> None:
    with pytest.raises(trn.InvalidDate) as refused:
        trn.parse_date(typed)
    assert "for example 25/11/2026" in str(refused.value)


# -- overdue -------------------------------------------------------------------------------------
def _record(due: date | None, completed: date | None = None) -> TrainingRecord:
    return TrainingRecord(
        course="Social media policy briefing",
        kind=TrainingKind.SESSION,
        due_date=due,
        completed_on=completed,
    )


@pytest.mark.parametrize(
    ("due", "completed", "overdue"),
    [
        (TODAY - timedelta(days=1), None, True),
        (TODAY, None, False),  # due today is not yet late
        (TODAY + timedelta(days=30), None, False),
        (TODAY - timedelta(days=90), TODAY - timedelta(days=1), False),
        (None, None, False),
    ],
)
def test_training_is_overdue_only_when_its_due_date_has_passed_and_it_is_not_done(
    due: date | None, completed: date | None, overdue: bool
) -> None:
    assert trn.is_overdue(_record(due, completed), TODAY) is overdue


# -- assigning -----------------------------------------------------------------------------------
def _holders(site: Registers, course: str) -> dict[str, TrainingRecord]:
    """Everyone who has ``course``, by e-mail address."""
    with site.sessions() as session:
        return {
            email: record
            for record, email in session.execute(
                select(TrainingRecord, Person.email)
                .join(Person, Person.id == TrainingRecord.person_id)
                .where(TrainingRecord.course == course)
            )
        }


def test_assigning_to_a_role_reaches_only_that_role_and_twice_gives_it_once(
    site: Registers,
) -> None:
    course = "Safe to Learn: cyberbullying guidance (reading)"
    with site.sessions() as session:
        first = trn.assign_training(
            session,
            site.school,
            course=course,
            kind=TrainingKind.READING,
            due_date=date(2026, 12, 31),
            role=SchoolRole.STAFF_TEACHER,
            today=TODAY,
        )
        again = trn.assign_training(
            session,
            site.school,
            course=f"  {course} ",
            kind=TrainingKind.READING,
            due_date=date(2026, 12, 31),
            role=SchoolRole.STAFF_TEACHER,
            today=TODAY,
        )
        session.commit()
    assert (first.created, first.already) == (1, 0)
    assert (again.created, again.already) == (0, 1)
    holders = _holders(site, course)
    assert set(holders) == {site.email("staff_teacher")}
    record = holders[site.email("staff_teacher")]
    assert (record.kind, record.due_date, record.school_id) == (
        TrainingKind.READING,
        date(2026, 12, 31),
        site.school,
    )


def test_assigning_to_everyone_leaves_out_leavers_disabled_accounts_and_other_schools(
    site: Registers,
) -> None:
    course = "Social media policy briefing (everyone)"
    with site.sessions() as session:
        volunteer = session.scalars(
            select(Person).where(Person.email == site.email("volunteer"))
        ).one()
        volunteer.disabled_at = datetime(2026, 1, 5, tzinfo=UTC)
        leaver = StaffRecord(
            school_id=site.school,
            person_id=site.person_id("supply"),
            leaving_date=date(2026, 2, 20),
        )
        session.add(leaver)
        session.commit()
    try:
        with site.sessions() as session:
            result = trn.assign_training(
                session,
                site.school,
                course=course,
                kind=TrainingKind.SESSION,
                due_date=date(2026, 4, 1),
                today=TODAY,
            )
            session.commit()
    finally:
        with site.sessions() as session:
            restored = session.get(Person, site.person_id("volunteer"))
            assert restored is not None
            restored.disabled_at = None
            session.delete(session.get(StaffRecord, leaver.id))
            session.commit()
    expected = set(site.world.by_role.values()) - {
        site.email("volunteer"),
        site.email("supply"),
        site.email("trust_admin"),
        site.email("trust_hr"),
        site.email("trust_safeguarding"),
    }
    assert set(_holders(site, course)) == expected
    assert result.created == len(expected) == 9


def test_an_assignment_needs_a_course_and_a_due_date_not_in_the_past(site: Registers) -> None:
    with site.sessions() as session, pytest.raises(trn.InvalidTraining) as refused:
        trn.assign_training(
            session,
            site.school,
            course="  ",
            kind=TrainingKind.SESSION,
            due_date=TODAY - timedelta(days=1),
            today=TODAY,
        )
    assert set(refused.value.errors) == {"course", "due"}


def test_overdue_training_is_listed_per_school_and_completion_takes_it_off(
    site: Registers,
) -> None:
    course = "Cyberbullying: responding (overdue test)"
    with site.sessions() as session:
        for role, due in (("dsl", date(2026, 2, 1)), ("hr", date(2026, 3, 2))):
            session.add(
                TrainingRecord(
                    school_id=site.school,
                    person_id=site.person_id(role),
                    course=course,
                    kind=TrainingKind.SESSION,
                    due_date=due,
                )
            )
        session.add(
            TrainingRecord(
                school_id=site.world.hillcrest,
                person_id=site.person_id("hillcrest_teacher"),
                course=course,
                kind=TrainingKind.SESSION,
                due_date=date(2026, 1, 1),
            )
        )
        session.commit()
        overdue = [
            (r.person.email, r.record.course)
            for r in trn.overdue_training(session, site.school, TODAY)
            if r.record.course == course
        ]
        assert overdue == [(site.email("dsl"), course)]  # HR's is due today: not yet late
        record = next(
            r.record
            for r in trn.overdue_training(session, site.school, TODAY)
            if r.record.course == course
        )
        with pytest.raises(trn.InvalidTraining):
            trn.mark_completed(session, record, TODAY + timedelta(days=1), today=TODAY)
        trn.mark_completed(
            session, record, TODAY, notes="Attended the twilight session.", today=TODAY
        )
        session.commit()
        assert [
            r
            for r in trn.overdue_training(session, site.school, TODAY)
            if r.record.course == course
        ] == []


def test_a_disabled_accounts_training_is_not_counted_as_overdue(site: Registers) -> None:
    course = "Cyberbullying: responding (leaver test)"
    with site.sessions() as session:
        session.add(
            TrainingRecord(
                school_id=site.school,
                person_id=site.person_id("contractor"),
                course=course,
                kind=TrainingKind.SESSION,
                due_date=date(2026, 1, 10),
            )
        )
        session.commit()

    def overdue() -> list[str]:
        with site.sessions() as session:
            return [
                r.person.email
                for r in trn.overdue_training(session, site.school, TODAY)
                if r.record.course == course
            ]

    assert overdue() == [site.email("contractor")]
    with site.sessions() as session:
        person = session.get(Person, site.person_id("contractor"))
        assert person is not None
        person.disabled_at = datetime(2026, 2, 1, tzinfo=UTC)
        session.commit()
    try:
        assert overdue() == []
    finally:
        with site.sessions() as session:
            person = session.get(Person, site.person_id("contractor"))
            assert person is not None
            person.disabled_at = None
            session.commit()


# -- the pages -----------------------------------------------------------------------------------
def test_the_register_assigns_reading_and_the_teacher_marks_it_done(site: Registers) -> None:
    course = "Safe to Learn: cyberbullying guidance (reading, page test)"
    status, _, location = site.post(
        "headteacher",
        f"/schools/{site.school}/training/assign",
        {"course": course, "kind": "reading", "due": "30/04/2027", "role": "staff_teacher"},
    )
    assert status == 303
    assert location == (
        f"/schools/{site.school}/training/register?done=assigned&created=1&already=0"
    )
    assert "Assigned to 1 person" in site.get("headteacher", location)[1]
    page = site.get("staff_teacher", f"/schools/{site.school}/training")[1]
    assert course in page and "due 30/04/2027" in page
    record = _holders(site, course)[site.email("staff_teacher")]
    status, _, location = site.post(
        "staff_teacher",
        f"/schools/{site.school}/training/{record.id}/done",
        {"completed_on": "01/03/2026"},
    )
    assert (status, location) == (303, f"/schools/{site.school}/training?done=completed")
    assert _holders(site, course)[site.email("staff_teacher")].completed_on == date(2026, 3, 1)
    assert "01/03/2026" in site.get("staff_teacher", f"/schools/{site.school}/training")[1]


def test_a_session_is_marked_done_by_the_register_not_by_the_person(site: Registers) -> None:
    course = "Social media policy briefing (session, page test)"
    with site.sessions() as session:
        trn.assign_training(
            session,
            site.school,
            course=course,
            kind=TrainingKind.SESSION,
            due_date=date(2027, 1, 31),
            role=SchoolRole.STAFF_SUPPORT,
        )
        session.commit()
    record = _holders(site, course)[site.email("staff_support")]
    path = f"/schools/{site.school}/training/{record.id}/done"
    status, page, _ = site.post("staff_support", path, {})
    assert status == 400 and "whoever keeps the register" in page
    assert site.post("staff_teacher", path, {})[0] == 404  # someone else's record
    assert site.post("hillcrest_teacher", path, {})[0] == 404
    assert _holders(site, course)[site.email("staff_support")].completed_on is None
    status, _, location = site.post("hr", path, {"back": "register"})
    assert (status, location) == (303, f"/schools/{site.school}/training/register?done=completed")
    assert _holders(site, course)[site.email("staff_support")].completed_on == date.today()


def test_the_register_shows_only_overdue_training_when_asked(site: Registers) -> None:
    with site.sessions() as session:
        session.add_all(
            [
                TrainingRecord(
                    school_id=site.school,
                    person_id=site.person_id("it_admin"),
                    course="Long overdue page course",
                    kind=TrainingKind.SESSION,
                    due_date=date.today() - timedelta(days=10),
                ),
                TrainingRecord(
                    school_id=site.school,
                    person_id=site.person_id("it_admin"),
                    course="Not yet due page course",
                    kind=TrainingKind.SESSION,
                    due_date=date.today() + timedelta(days=10),
                ),
            ]
        )
        session.commit()
    base = f"/schools/{site.school}/training/register"
    # The table comes before the assign form, whose suggestions name every course.
    everything = site.get("hr", base)[1].split("Assign training", 1)[0]
    assert "Long overdue page course" in everything and "Not yet due page course" in everything
    overdue = site.get("hr", f"{base}?overdue=1")[1].split("Assign training", 1)[0]
    assert "Long overdue page course" in overdue and "Not yet due page course" not in overdue
    assert site.get("staff_teacher", base)[0] == 403


def test_the_assign_form_lists_every_problem(site: Registers) -> None:
    status, page, _ = site.post(
        "headteacher",
        f"/schools/{site.school}/training/assign",
        {"course": "", "kind": "webinar", "due": "12/31/2026", "role": "caretaker"},
    )
    assert status == 400
    for field in ("course", "kind", "due", "role"):
        assert f'href="#{field}"' in page, field


# -- the command line ----------------------------------------------------------------------------
def test_the_cli_assigns_by_role_with_a_british_date_and_lists_overdue_training(
    site: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    course = "Social media policy briefing (CLI)"
    code, out, err = run(
        capsys,
        "registers",
        "training",
        "assign",
        "--school",
        "900101",
        "--course",
        course,
        "--due",
        "31/12/2026",
        "--role",
        "dsl",
    )
    assert code == 0, err
    assert "1 new, 0 already had it" in out and "due 31/12/2026" in out
    record = _holders(site, course)[site.email("dsl")]
    assert record.due_date == date(2026, 12, 31)
    with site.sessions() as session:
        late = session.get(TrainingRecord, record.id)
        assert late is not None
        late.due_date = date.today() - timedelta(days=3)
        session.commit()
    code, out, _ = run(
        capsys, "registers", "training", "overdue", "--school", "900101", "--format", "json"
    )
    assert code == 0
    rows = [r for r in json.loads(out) if r["course"] == course]
    assert rows == [
        {
            "name": "Meadowbank Dsl",
            "email": site.email("dsl"),
            "course": course,
            "kind": "session",
            "due_date": (date.today() - timedelta(days=3)).isoformat(),
        }
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--due", "12/31/2026"), "--due"),
        (("--due", "31/12/2026", "--role", "caretaker"), "no role caretaker"),
        (("--due", "31/12/2026", "--kind", "webinar"), "session or reading"),
    ],
)
def test_the_cli_refuses_a_bad_date_role_or_kind_with_exit_64(
    site: Registers,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    says: str,
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    code, _, err = run(
        capsys, "registers", "training", "assign", "--school", "900101", "--course", "X", *args
    )
    assert code == 64 and says in err
