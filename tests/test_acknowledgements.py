"""Acknowledging the current edition (2.2): who is asked, once per edition, a new round for a
new edition, the quiz, e-mail reminders and escalation through a real SMTP server (aiosmtpd on
loopback), completion by group on the dashboard, and the CLI. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from boundaries.mail import SmtpMailer
from boundaries.registers import acknowledgements as acks
from boundaries.registers import editions as eds
from boundaries.registers import quiz
from boundaries.registers.reminders import ReminderRun, send_reminders
from boundaries.store import (
    Acknowledgement,
    AcknowledgementReminder,
    Person,
    PolicyEdition,
    QuizQuestion,
    ReminderKind,
    SchoolRole,
    StaffRecord,
)
from boundaries.store.models import utc_now
from tests.mail_support import Mailbox, smtp_server
from tests.test_cli import run
from tests.test_policy_editions import (
    PHOTOS_AFTER,
    PHOTOS_BEFORE,
    Place,
    open_place,
    upload,
    versioned,
)
from tests.web_support import SECRET_KEY

SENDER = "Boundaries <no-reply@boundaries.invalid>"
BASE_URL = "https://testserver"
MEADOWBANK_MEMBERS = 11  # one person in each school role (tests/web_support.py)
GROUPS = {
    "leaders": 3,  # headteacher, DSL, line manager
    "teachers": 1,
    "support": 3,  # support staff, HR, IT administrator
    "supply": 1,
    "governors": 1,
    "contractors": 1,
    "volunteers": 1,
}


# -- a real SMTP server on loopback --------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    smtp_server: Mailbox,
) -> Iterator[Place]:
    smtp = {"host": "127.0.0.1", "port": smtp_server.port, "starttls": False}
    yield from open_place(request.param, tmp_path_factory, smtp=smtp)


@pytest.fixture
def place(built: Place, smtp_server: Mailbox) -> Place:
    built.reset()
    smtp_server.take()
    return built


@pytest.fixture
def mailbox(place: Place, smtp_server: Mailbox) -> Mailbox:
    return smtp_server


def mailer(mailbox: Mailbox) -> SmtpMailer:
    return SmtpMailer("127.0.0.1", mailbox.port, SENDER, starttls=False, timeout=5)


def current(place: Place) -> PolicyEdition:
    with place.session() as session:
        edition = eds.ensure_current_edition(session, place.school)
        session.commit()
        return edition


def acknowledge_as(place: Place, role: str, answers: dict[int, int] | None = None) -> None:
    with place.session() as session:
        edition = eds.ensure_current_edition(session, place.school)
        acks.acknowledge(session, edition, place.person_id(role), answers)
        session.commit()


def status(place: Place, today: date | None = None) -> acks.RoundStatus:
    with place.session() as session:
        edition = eds.ensure_current_edition(session, place.school)
        session.commit()
        return acks.round_status(session, edition, today or utc_now().date())


def count(place: Place, model: type[object]) -> int:
    with place.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# -- who is asked, and the record ----------------------------------------------------------------


def test_everyone_with_a_role_in_the_school_is_asked_once_in_one_group(place: Place) -> None:
    today = utc_now().date()
    with place.session() as session:
        members = acks.people_covered(session, place.school, today)
    assert len(members) == MEADOWBANK_MEMBERS
    assert {m.email for m in members} == set(
        email for role, email in place.world.by_role.items() if "meadowbank" in email
    )
    groups = {str(g.group): g.total for g in status(place).groups}
    assert groups == GROUPS

    # A leaver (a leaving date in the past) and a disabled account are no longer asked.
    with place.session() as session:
        session.add(
            StaffRecord(
                school_id=place.school,
                person_id=place.person_id("supply"),
                leaving_date=today - timedelta(days=1),
            )
        )
        volunteer = session.get(Person, place.person_id("volunteer"))
        assert volunteer is not None
        volunteer.disabled_at = utc_now()
        session.commit()
    groups = {str(g.group): g.total for g in status(place).groups}
    assert groups == {**GROUPS, "supply": 0, "volunteers": 0}


def test_an_acknowledgement_is_recorded_once_per_edition(place: Place) -> None:
    acknowledge_as(place, "staff_teacher")
    acknowledge_as(place, "staff_teacher")
    client, token = place.client("staff_teacher")
    again = client.post(
        f"/schools/{place.school}/acknowledge", data={"csrf_token": token}, follow_redirects=False
    )
    assert again.status_code == 303
    assert count(place, Acknowledgement) == 1
    page = client.get(f"/schools/{place.school}/acknowledge").text
    assert "You acknowledged this edition on" in page
    assert "I have read and understood" not in page


def test_the_button_records_the_acknowledgement_of_the_current_edition(place: Place) -> None:
    client, token = place.client("governor")
    page = client.get(f"/schools/{place.school}/acknowledge")
    assert page.status_code == 200
    assert "I have read and understood the policy" in page.text
    assert "never photographs of pupils" in page.text  # the policy in brief: clause titles
    edition = current(place)
    done = client.post(
        f"/schools/{place.school}/acknowledge",
        data={"csrf_token": token, "edition_id": str(edition.id)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "your acknowledgement has been recorded" in client.get(done.headers["location"]).text
    with place.session() as session:
        record = acks.acknowledgement_of(session, edition.id, place.person_id("governor"))
        assert record is not None and record.quiz_score is None


def test_a_trust_officer_may_read_but_is_not_asked_to_acknowledge(place: Place) -> None:
    client, token = place.client("trust_admin")
    page = client.get(f"/schools/{place.school}/acknowledge").text
    assert "you have no role in Meadowbank Primary School" in page
    assert "I have read and understood" not in page
    client.post(f"/schools/{place.school}/acknowledge", data={"csrf_token": token})
    assert count(place, Acknowledgement) == 0


def test_a_new_edition_opens_a_new_round(place: Place) -> None:
    for role in ("staff_teacher", "governor", "headteacher"):
        acknowledge_as(place, role)
    first = status(place)
    assert (first.done, first.total) == (3, MEADOWBANK_MEMBERS)
    second = upload(place, versioned("2026.1", (PHOTOS_BEFORE, PHOTOS_AFTER)), publish=True)
    now = status(place)
    assert now.edition.id == second.id and now.done == 0
    client, token = place.client("staff_teacher")
    page = client.get(f"/schools/{place.school}/acknowledge").text
    assert "I have read and understood the policy" in page
    assert "What has changed since the last edition" in page and "6.15" in page
    # A form for the old edition, sent after the new one was published, is not recorded.
    stale = client.post(
        f"/schools/{place.school}/acknowledge",
        data={"csrf_token": token, "edition_id": str(first.edition.id)},
    )
    assert stale.status_code == 409 and "A new edition of the policy was published" in stale.text
    assert status(place).done == 0
    acknowledge_as(place, "staff_teacher")
    with place.session() as session:
        rounds = acks.all_rounds(
            session, eds.published_editions(session, place.school), place.school, date.today()
        )
    assert [(r.edition.id, r.done) for r in rounds] == [(second.id, 1), (first.edition.id, 3)]


# -- the quiz ------------------------------------------------------------------------------------


def answers_with(questions: list[QuizQuestion], right: int) -> dict[int, int]:
    """Answers to ``questions``: the first ``right`` correct, the rest wrong."""
    return {
        q.id: q.answer if i < right else (q.answer + 1) % len(quiz.choices_of(q))
        for i, q in enumerate(questions)
    }


def test_the_quiz_needs_the_pass_mark_and_the_score_is_kept(place: Place) -> None:
    edition = current(place)
    with place.session() as session:
        found = session.get(PolicyEdition, edition.id)
        assert found is not None
        added = quiz.add_default_questions(session, found)
        session.commit()
        questions = quiz.questions_for(session, edition.id)
    assert [q.clause_id for q in added] == ["6.8", "6.15", "6.10", "7.5", "11.6"]

    with pytest.raises(acks.QuizNotPassed) as failed:
        acknowledge_as(place, "staff_support", answers_with(questions, 3))
    assert (failed.value.result.correct, failed.value.result.total) == (3, 5)
    with pytest.raises(acks.QuizNotPassed):
        acknowledge_as(place, "staff_support", {})  # no answers at all
    assert count(place, Acknowledgement) == 0
    acknowledge_as(place, "staff_support", answers_with(questions, 4))  # 80% passes
    with place.session() as session:
        record = acks.acknowledgement_of(session, edition.id, place.person_id("staff_support"))
        assert record is not None and record.quiz_score == pytest.approx(0.8)

    # Through the page: a fail says so and records nothing; a pass records the score.
    client, token = place.client("contractor")
    school = place.school
    form = {f"q{q}": str(a) for q, a in answers_with(questions, 2).items()}
    page = client.post(f"/schools/{school}/acknowledge", data={**form, "csrf_token": token})
    assert page.status_code == 200
    assert "You answered 2 of 5 questions correctly (40%); the pass mark is 80%" in page.text
    form = {f"q{q}": str(a) for q, a in answers_with(questions, 5).items()}
    done = client.post(
        f"/schools/{school}/acknowledge",
        data={**form, "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "with a quiz score of 100%" in client.get(f"/schools/{school}/acknowledge").text

    # Once people have acknowledged, the quiz of the round stays as it is.
    with place.session() as session:
        found = session.get(PolicyEdition, edition.id)
        assert found is not None
        with pytest.raises(eds.EditionRefused, match="can no longer change"):
            quiz.add_question(session, found, "6.8", "Another?", ["Yes", "No"], 1)


def test_default_questions_are_offered_only_where_the_clause_is_the_models(place: Place) -> None:
    edition = upload(place, versioned("2026.1", (PHOTOS_BEFORE, PHOTOS_AFTER)))
    with place.session() as session:
        found = session.get(PolicyEdition, edition.id)
        assert found is not None
        added = quiz.add_default_questions(session, found)
        assert "6.15" not in {q.clause_id for q in added} and len(added) == 4
        assert quiz.add_default_questions(session, found) == []  # not added twice


def test_a_headteacher_writes_a_question_on_a_clause_of_the_edition(place: Place) -> None:
    edition = current(place)
    client, token = place.client("headteacher")
    url = f"/schools/{place.school}/editions/{edition.id}/quiz"
    form = {
        "csrf_token": token,
        "clause": "7.3",
        "prompt": "May you share your work log-in with a trusted colleague?",
        "choice": ["Yes, if they are a teacher", "", "No, never"],
        "correct": "2",
    }
    added = client.post(url, data=form, follow_redirects=False)
    assert added.status_code == 303, added.text
    with place.session() as session:
        (question,) = quiz.questions_for(session, edition.id)
        assert quiz.choices_of(question) == ["Yes, if they are a teacher", "No, never"]
        assert question.answer == 1 and question.clause_id == "7.3"
    refused = client.post(url, data={**form, "clause": "99.1"})
    assert refused.status_code == 400 and "This edition has no clause 99.1" in refused.text
    page = client.get(url).text
    assert "May you share your work log-in" in page and "(the right answer)" in page


# -- reminders and escalation --------------------------------------------------------------------


def remind(place: Place, mailbox: Mailbox, day: date, escalate_after_days: int = 14) -> ReminderRun:
    with place.session() as session:
        result = send_reminders(
            session,
            place.school,
            mailer(mailbox),
            day,
            remind_after_days=7,
            escalate_after_days=escalate_after_days,
            base_url=BASE_URL,
        )
        session.commit()
        return result


def test_reminders_name_the_edition_link_to_the_page_and_say_nothing_else(
    place: Place, mailbox: Mailbox
) -> None:
    upload(place, versioned("2026.1"), publish=True)
    acknowledge_as(place, "staff_teacher")
    result = remind(place, mailbox, utc_now().date())
    received = mailbox.take()
    outstanding = {e for r, e in place.world.by_role.items() if "meadowbank" in e} - {
        place.world.by_role["staff_teacher"]
    }
    assert set(received) == outstanding
    assert len(result.reminded) == MEADOWBANK_MEMBERS - 1 and result.escalated == []
    names = [p.name for p in status(place).outstanding] + ["Meadowbank Staff Teacher"]
    for recipient, message in received.items():
        body = message.get_content()
        assert (
            message["Subject"]
            == "Please acknowledge Meadowbank Primary School's social media policy"
        )
        assert f"{BASE_URL}/schools/{place.school}/acknowledge" in body
        assert "version 2026.1" in body and "“Social Media Policy for Schools" in body
        assert not [name for name in names if name in body], "an e-mail names a person"
        assert recipient not in body
    assert count(place, AcknowledgementReminder) == MEADOWBANK_MEMBERS - 1


def test_reminders_are_not_repeated_within_the_interval(place: Place, mailbox: Mailbox) -> None:
    today = utc_now().date()
    current(place)
    assert len(remind(place, mailbox, today).reminded) == MEADOWBANK_MEMBERS
    mailbox.take()
    acknowledge_as(place, "dsl")
    quiet = remind(place, mailbox, today + timedelta(days=6))
    assert quiet.reminded == [] and quiet.not_due == MEADOWBANK_MEMBERS - 1
    assert mailbox.take() == {}
    again = remind(place, mailbox, today + timedelta(days=7))
    assert len(again.reminded) == MEADOWBANK_MEMBERS - 1
    assert place.world.by_role["dsl"] not in mailbox.take()
    # Every reminder is recorded, at the day the run was for.
    with place.session() as session:
        days = sorted({r.sent_at.date() for r in session.scalars(select(AcknowledgementReminder))})
    assert days == [today, today + timedelta(days=7)]


def test_escalation_goes_to_the_line_manager_after_the_set_days(
    place: Place, mailbox: Mailbox
) -> None:
    today = utc_now().date()
    current(place)
    with place.session() as session:
        session.add_all(
            [
                StaffRecord(
                    school_id=place.school,
                    person_id=place.person_id("staff_teacher"),
                    line_manager_id=place.person_id("line_manager"),
                ),
                StaffRecord(
                    school_id=place.school,
                    person_id=place.person_id("staff_support"),
                    line_manager_id=place.person_id("line_manager"),
                ),
            ]
        )
        session.commit()
    waiting = {"staff_teacher", "staff_support", "supply", "headteacher"}
    for role in SchoolRole:
        if role.value not in waiting:
            acknowledge_as(place, role.value)

    early = remind(place, mailbox, today + timedelta(days=13), escalate_after_days=14)
    assert early.escalated == [] and len(early.reminded) == 4
    mailbox.take()

    due = remind(place, mailbox, today + timedelta(days=14), escalate_after_days=14)
    received = mailbox.take()
    assert due.reminded == []  # reminded the day before: not yet due again
    line_manager = received.pop(place.world.by_role["line_manager"])
    headteacher = received.pop(place.world.by_role["headteacher"])
    assert received == {}
    told = line_manager.get_content()
    assert "Meadowbank Staff Teacher" in told and "Meadowbank Staff Support" in told
    assert "Meadowbank Supply" not in told
    assert f"{BASE_URL}/schools/{place.school}/acknowledge" in told
    # No line manager on record: the headteacher is told (about everyone but themselves).
    told = headteacher.get_content()
    assert "- Meadowbank Supply" in told and "- Meadowbank Headteacher" not in told
    assert "Meadowbank Staff Teacher" not in told
    with place.session() as session:
        escalations = session.scalars(
            select(AcknowledgementReminder).where(
                AcknowledgementReminder.kind == ReminderKind.ESCALATION
            )
        ).all()
    assert sorted((e.person_id, e.sent_to) for e in escalations) == sorted(
        [
            (place.person_id("staff_teacher"), place.world.by_role["line_manager"]),
            (place.person_id("staff_support"), place.world.by_role["line_manager"]),
            (place.person_id("supply"), place.world.by_role["headteacher"]),
        ]
    )
    # Not told again within the interval.
    later = remind(place, mailbox, today + timedelta(days=15), escalate_after_days=14)
    assert later.escalated == [] and mailbox.take() == {}


def test_a_refused_address_is_reported_and_not_recorded(place: Place) -> None:
    class Refusing:
        def send(self, to: str, subject: str, body: str) -> None:
            raise ConnectionRefusedError("no mail server")

    current(place)
    with place.session() as session:
        result = send_reminders(session, place.school, Refusing(), utc_now().date())
        session.commit()
    assert len(result.failed) == MEADOWBANK_MEMBERS and result.reminded == []
    assert count(place, AcknowledgementReminder) == 0


# -- the dashboard -------------------------------------------------------------------------------


class Tables(HTMLParser):
    """The rows of every table in a page, as lists of cell texts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_dashboard_shows_completion_by_group_and_who_is_outstanding(
    place: Place, mailbox: Mailbox
) -> None:
    for role in ("staff_teacher", "governor", "headteacher", "hr"):
        acknowledge_as(place, role)
    client, token = place.client("headteacher")
    page = client.get(f"/schools/{place.school}/editions")
    assert page.status_code == 200
    rows = {row[0]: row[1:] for row in Tables(page.text).rows if row}
    assert rows["Teachers"] == ["1", "1", "0", "100%"]
    assert rows["Leaders"] == ["3", "1", "2", "33%"]
    assert rows["Support staff"] == ["3", "1", "2", "33%"]
    assert rows["Governors"] == ["1", "1", "0", "100%"]
    assert rows["Volunteers"] == ["1", "0", "1", "0%"]
    assert "4 of 11 people (36%) have acknowledged it." in page.text
    assert rows["Meadowbank Supply"] == ["Supply staff", "0", "None yet", "–"]
    assert "Meadowbank Staff Teacher" not in rows

    sent = client.post(
        f"/schools/{place.school}/editions/remind",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert len(mailbox.take()) == MEADOWBANK_MEMBERS - 4
    after = client.get(sent.headers["location"]).text
    assert "Reminders sent: 7." in after
    rows = {row[0]: row[1:] for row in Tables(after).rows if row}
    assert rows["Meadowbank Supply"][2] == f"{utc_now().date():%d/%m/%Y}"

    # A new edition: the earlier round keeps its figures.
    upload(place, versioned("2026.1"), publish=True)
    later = client.get(f"/schools/{place.school}/editions").text
    assert "0 of 11 people (0%) have acknowledged it." in later
    earlier = [row for row in Tables(later).rows if row and row[0].startswith("edition ")]
    assert [row[1:] for row in earlier] == [["4 of 11", "36%"]]


def test_only_those_who_manage_the_policy_see_the_dashboard(place: Place) -> None:
    client, _ = place.client("staff_teacher")
    assert client.get(f"/schools/{place.school}/editions").status_code == 403


# -- the command line ----------------------------------------------------------------------------


def test_the_cli_shows_status_by_group_and_sends_reminders(
    place: Place,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", place.world.url)
    monkeypatch.setenv("BOUNDARIES_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("BOUNDARIES_BASE_URL", "https://boundaries.example.org")
    monkeypatch.setenv("BOUNDARIES_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("BOUNDARIES_SMTP__PORT", str(mailbox.port))
    monkeypatch.setenv("BOUNDARIES_SMTP__STARTTLS", "false")
    acknowledge_as(place, "governor")

    code, out, _ = run(capsys, "editions", "status", "--school", "900101")
    assert code == 0, out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 2}
    assert re.search(r"Governors\s*│\s*1\s*│\s*1\s*│\s*0\s*│\s*100%", lines["Governors"])
    assert re.search(r"All\s*│\s*11\s*│\s*1\s*│\s*10\s*│\s*9%", lines["All"])
    assert "Meadowbank Volunteer (Volunteers): 0 days since publication, not reminded yet" in out

    code, out, _ = run(capsys, "editions", "remind", "--school", "900101")
    assert code == 0, out
    assert "Reminders sent: 10; not yet due another: 0." in out
    received = mailbox.take()
    assert len(received) == 10
    body = received[place.world.by_role["volunteer"]].get_content()
    assert f"https://boundaries.example.org/schools/{place.school}/acknowledge" in body
    code, out, _ = run(capsys, "editions", "remind", "--school", "900101")
    assert "Reminders sent: 0; not yet due another: 10." in out
    assert mailbox.take() == {}
    assert not (tmp_path / "data" / "outbox").exists()


__all__ = ["smtp_server"]  # the fixture, imported so that pytest finds it here
