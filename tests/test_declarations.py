"""Declarations (8.8, 9.2, 6.18): the lifecycle and its history, who sees a declaration, the
roster search, the page and the CLI. On SQLite and PostgreSQL.

Also home to :class:`Registers`, the signed-in clients the other register tests share.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.accounts.sessions import start_session
from boundaries.registers import declarations as decl
from boundaries.store import (
    Contact,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    DeclarationSubject,
    Person,
    Pupil,
    PupilContact,
)
from boundaries.web.auth import SESSION_COOKIE
from boundaries.web.state import AppState
from tests.databases import empty_database
from tests.test_cli import run
from tests.web_support import World, build_world, csrf_from

TODAY = date(2026, 3, 2)


class Registers:
    """One world's app, with a signed-in client per role made on first use.

    Sessions are started directly, as the sign-in form starts them: checking a password is the
    slow part, and sign-in has tests of its own.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self.app: FastAPI = world.app()
        self._clients: dict[str, tuple[TestClient, str]] = {}

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.boundaries
        return state

    def sessions(self) -> AbstractContextManager[Session]:
        return self.state.sessions()

    @property
    def school(self) -> int:
        return self.world.meadowbank

    def email(self, role: str) -> str:
        if role == "hillcrest_teacher":
            return self.world.hillcrest_teacher
        return self.world.by_role[role]

    def person_id(self, role: str) -> int:
        with self.sessions() as session:
            return session.scalars(select(Person.id).where(Person.email == self.email(role))).one()

    def client(self, role: str) -> tuple[TestClient, str]:
        """The role's client and the CSRF token of its forms."""
        if role not in self._clients:
            client = TestClient(self.app, base_url="https://testserver")
            with self.sessions() as session:
                person = session.scalars(
                    select(Person).where(Person.email == self.email(role))
                ).one()
                token = start_session(session, person, self.state.session_limits, "password")
                session.commit()
            client.cookies.set(SESSION_COOKIE, token)
            self._clients[role] = (client, csrf_from(client.get("/forgot-password").text))
        return self._clients[role]

    def get(self, role: str, path: str) -> tuple[int, str]:
        client, _ = self.client(role)
        response = client.get(path, follow_redirects=False)
        return response.status_code, response.text

    def post(self, role: str, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """Post a form; the status, the body and where a redirect goes."""
        client, token = self.client(role)
        response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        return response.status_code, response.text, response.headers.get("location", "")

    def close(self) -> None:
        for client, _ in self._clients.values():
            client.close()
        self.state.engine.dispose()


def registers_for(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[Registers]:
    """A world on the requested database, with its app, for one test module."""
    folder = tmp_path_factory.mktemp(name)
    for url in empty_database(request.param, folder, prefix=f"test_{name}"):
        site = Registers(build_world(url))
        try:
            yield site
        finally:
            site.close()


# -- the world ------------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registers]:
    for registers in registers_for(request, tmp_path_factory, "declarations"):
        _add_roster(registers)
        yield registers


def _add_roster(site: Registers) -> None:
    """A parent of Olly's, a past pupil, an anonymised past pupil, and a Hillcrest pupil."""
    with site.sessions() as session:
        olly = session.scalars(select(Pupil).where(Pupil.legal_forename == "Oliver")).one()
        parent = Contact(
            school_id=site.school,
            mis_id="C-1001",
            title="Mrs",
            forename="Joanna",
            surname="Hargreaves",
            email="joanna.hargreaves@example.org",
        )
        session.add(parent)
        session.flush()
        session.add(PupilContact(pupil_id=olly.id, contact_id=parent.id, relationship="Mother"))
        session.add_all(
            [
                Pupil(
                    school_id=site.school,
                    legal_forename="Ellis",
                    surname="Cartwright",
                    date_of_birth=date(2011, 6, 1),
                    year_group="Year 6",
                    leaving_date=date(2022, 7, 22),
                ),
                Pupil(
                    school_id=site.school,
                    legal_forename="",
                    surname="",
                    leaving_date=date(2010, 7, 20),
                    anonymised_at=datetime(2024, 1, 1, tzinfo=UTC),
                ),
                Pupil(
                    school_id=site.world.hillcrest,
                    legal_forename="Ellis",
                    surname="Cartwell",
                    date_of_birth=date(2014, 2, 3),
                    year_group="Year 7",
                ),
            ]
        )
        session.commit()


def _pupil(session: Session, forename: str, school_id: int) -> Pupil:
    return session.scalars(
        select(Pupil).where(Pupil.legal_forename == forename, Pupil.school_id == school_id)
    ).one()


def _details(**overrides: object) -> decl.DeclarationDetails:
    values: dict[str, object] = {
        "platform": "Facebook",
        "nature": "friends",
        "reason": "Our families have been friends since before I worked here.",
        "since": date(2019, 5, 1),
        "subject_name": "Sam Ellery",
        "subject": DeclarationSubject.PARENT,
    }
    values.update(overrides)
    return decl.DeclarationDetails(**values)  # type: ignore[arg-type]


def _declare(site: Registers, role: str = "staff_teacher", **overrides: object) -> int:
    with site.sessions() as session:
        made = decl.declare(
            session, site.school, site.person_id(role), _details(**overrides), today=TODAY
        )
        session.commit()
        return made.id


# -- the lifecycle -------------------------------------------------------------------------------
def test_a_new_declaration_awaits_a_decision_with_one_submitted_event(site: Registers) -> None:
    declaration_id = _declare(site)
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        assert declaration.status == DeclarationStatus.PENDING
        assert declaration.subject_name == "Sam Ellery"
        steps = decl.history(session, declaration_id)
    assert [(e.action, e.status) for e, _ in steps] == [("submitted", DeclarationStatus.PENDING)]
    assert steps[0][1] is not None and steps[0][1].id == site.person_id("staff_teacher")


def test_a_pupil_from_the_roster_is_named_from_it_and_a_leaver_is_a_past_pupil(
    site: Registers,
) -> None:
    with site.sessions() as session:
        olly = _pupil(session, "Oliver", site.school)
        ellis = _pupil(session, "Ellis", site.school)
    current = _declare(site, pupil_id=olly.id, subject_name="", subject=None)
    past = _declare(site, pupil_id=ellis.id, subject_name="", subject=None)
    with site.sessions() as session:
        first, second = session.get(Declaration, current), session.get(Declaration, past)
        assert first is not None and second is not None
        assert (first.subject, first.subject_name, first.pupil_id) == (
            DeclarationSubject.PUPIL,
            "Olly (Oliver) Hargreaves",
            olly.id,
        )
        assert (second.subject, second.subject_name) == (
            DeclarationSubject.PAST_PUPIL,
            "Ellis Cartwright",
        )


def test_a_pupil_of_another_school_cannot_be_named(site: Registers) -> None:
    with site.sessions() as session:
        other = _pupil(session, "Ellis", site.world.hillcrest)
        with pytest.raises(decl.InvalidDeclaration) as refused:
            decl.declare(
                session,
                site.school,
                site.person_id("staff_teacher"),
                _details(pupil_id=other.id, subject_name="", subject=None),
                today=TODAY,
            )
    assert "not on the school's list" in refused.value.errors["who"]


def test_every_missing_detail_is_reported_at_once(site: Registers) -> None:
    with site.sessions() as session, pytest.raises(decl.InvalidDeclaration) as refused:
        decl.declare(
            session,
            site.school,
            site.person_id("staff_teacher"),
            decl.DeclarationDetails(
                platform=" ", nature="", reason="", since=date(2027, 1, 1), subject_name="Jo"
            ),
            today=TODAY,
        )
    assert set(refused.value.errors) == {"subject", "platform", "nature", "since", "reason"}


def test_naming_both_a_roster_pupil_and_someone_else_is_refused(site: Registers) -> None:
    with site.sessions() as session:
        olly = _pupil(session, "Oliver", site.school)
        with pytest.raises(decl.InvalidDeclaration) as refused:
            decl.declare(
                session,
                site.school,
                site.person_id("staff_teacher"),
                _details(pupil_id=olly.id),
                today=TODAY,
            )
    assert set(refused.value.errors) == {"who"}


def test_an_amendment_needs_a_reason_keeps_what_was_there_and_goes_back_for_review(
    site: Registers,
) -> None:
    declaration_id = _declare(site)
    reviewer = site.person_id("dsl")
    teacher = site.person_id("staff_teacher")
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        decl.decide(session, declaration, reviewer, DeclarationStatus.ACCEPTED, None)
        with pytest.raises(decl.InvalidDeclaration) as no_reason:
            decl.amend(session, declaration, teacher, _details(platform="Instagram"), " ")
        assert set(no_reason.value.errors) == {"why"}
        decl.amend(
            session, declaration, teacher, _details(platform="Instagram"), "We moved platform."
        )
        session.commit()
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        assert (declaration.platform, declaration.status) == (
            "Instagram",
            DeclarationStatus.PENDING,
        )
        steps = decl.history(session, declaration_id)
    assert [(e.action, e.status) for e, _ in steps] == [
        ("submitted", DeclarationStatus.PENDING),
        ("decided", DeclarationStatus.ACCEPTED),
        ("amended", DeclarationStatus.PENDING),
    ]
    note = steps[-1][0].note or ""
    assert note.startswith("We moved platform.")
    assert "platform was “Facebook”, now “Instagram”" in note


def test_an_amendment_that_changes_nothing_is_refused(site: Registers) -> None:
    declaration_id = _declare(site)
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        with pytest.raises(decl.InvalidDeclaration):
            decl.amend(
                session, declaration, site.person_id("staff_teacher"), _details(), "No change."
            )


def test_only_the_declarer_may_amend_or_withdraw(site: Registers) -> None:
    declaration_id = _declare(site)
    other = site.person_id("staff_support")
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        with pytest.raises(PermissionError):
            decl.amend(session, declaration, other, _details(platform="X"), "mine now")
        with pytest.raises(PermissionError):
            decl.withdraw(session, declaration, other)


def test_a_withdrawn_declaration_cannot_be_decided_amended_or_withdrawn_again(
    site: Registers,
) -> None:
    declaration_id = _declare(site)
    teacher = site.person_id("staff_teacher")
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        decl.withdraw(session, declaration, teacher, "We are no longer in touch.")
        with pytest.raises(decl.InvalidDeclaration):
            decl.decide(
                session, declaration, site.person_id("dsl"), DeclarationStatus.ACCEPTED, None
            )
        with pytest.raises(decl.InvalidDeclaration):
            decl.amend(session, declaration, teacher, _details(platform="X"), "changed")
        with pytest.raises(decl.InvalidDeclaration):
            decl.withdraw(session, declaration, teacher)
        assert declaration.status == DeclarationStatus.WITHDRAWN


@pytest.mark.parametrize(
    "decision", [DeclarationStatus.ACCEPTED_WITH_CONDITIONS, DeclarationStatus.NOT_ACCEPTED]
)
def test_conditions_and_refusals_must_be_written_down(
    site: Registers, decision: DeclarationStatus
) -> None:
    declaration_id = _declare(site)
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        with pytest.raises(decl.InvalidDeclaration) as refused:
            decl.decide(session, declaration, site.person_id("headteacher"), decision, "  ")
        assert set(refused.value.errors) == {"note"}
        decl.decide(
            session, declaration, site.person_id("headteacher"), decision, "No direct messages."
        )
        assert declaration.status == decision


def test_pending_and_withdrawn_are_not_decisions(site: Registers) -> None:
    declaration_id = _declare(site)
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        for status in (DeclarationStatus.PENDING, DeclarationStatus.WITHDRAWN):
            with pytest.raises(decl.InvalidDeclaration):
                decl.decide(session, declaration, site.person_id("dsl"), status, "note")


def test_a_reviewer_cannot_decide_on_their_own_declaration(site: Registers) -> None:
    declaration_id = _declare(site, role="dsl")
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        with pytest.raises(decl.InvalidDeclaration) as refused:
            decl.decide(
                session, declaration, site.person_id("dsl"), DeclarationStatus.ACCEPTED, None
            )
    assert "your own declaration" in refused.value.errors["decision"]


def test_earlier_events_are_never_changed_by_later_steps(site: Registers) -> None:
    declaration_id = _declare(site)
    with site.sessions() as session:
        before = [
            (e.id, e.action, e.status, e.note, e.at)
            for e, _ in decl.history(session, declaration_id)
        ]
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        decl.decide(
            session, declaration, site.person_id("dsl"), DeclarationStatus.NOT_ACCEPTED, "No."
        )
        decl.withdraw(session, declaration, site.person_id("staff_teacher"))
        session.commit()
    with site.sessions() as session:
        after = [
            (e.id, e.action, e.status, e.note, e.at)
            for e, _ in decl.history(session, declaration_id)
        ]
        count = len(
            session.scalars(
                select(DeclarationEvent.id).where(DeclarationEvent.declaration_id == declaration_id)
            ).all()
        )
    assert after[: len(before)] == before
    assert [a[1] for a in after] == ["submitted", "decided", "withdrawn"]
    assert count == 3


# -- the roster search ---------------------------------------------------------------------------
def test_the_search_finds_pupils_by_preferred_name_and_parents_with_their_child(
    site: Registers,
) -> None:
    with site.sessions() as session:
        found = decl.search_roster(session, site.school, "hargreaves", today=TODAY)
        by_preferred = decl.search_roster(session, site.school, "olly harg", today=TODAY)
    assert [(m.kind, m.name, m.detail) for m in found] == [
        ("pupil", "Olly (Oliver) Hargreaves", "Year 4"),
        ("contact", "Mrs Joanna Hargreaves", "parent or carer of Olly (Oliver) Hargreaves"),
    ]
    assert [m.name for m in by_preferred] == ["Olly (Oliver) Hargreaves"]


def test_the_search_says_when_a_pupil_has_left_and_keeps_to_the_school(site: Registers) -> None:
    with site.sessions() as session:
        found = decl.search_roster(session, site.school, "Ellis", today=TODAY)
    # Hillcrest's Ellis Cartwell is another school's pupil; the anonymised leaver has no name.
    assert [(m.name, m.detail) for m in found] == [("Ellis Cartwright", "left 22/07/2022")]


@pytest.mark.parametrize("query", ["", "o", "%", "_ _"])
def test_a_search_too_short_or_made_of_wildcards_finds_nobody(site: Registers, query: str) -> None:
    with site.sessions() as session:
        assert decl.search_roster(session, site.school, query, today=TODAY) == []


# -- what the connections audit reads -------------------------------------------------------------
def test_declared_relationships_give_roster_ids_names_and_status_but_not_withdrawn_ones(
    site: Registers,
) -> None:
    with site.sessions() as session:
        olly = _pupil(session, "Oliver", site.school)
        parent = session.scalars(select(Contact).where(Contact.mis_id == "C-1001")).one()
    pupil_decl = _declare(
        site, role="staff_support", pupil_id=olly.id, subject_name="", subject=None
    )
    parent_decl = _declare(
        site, role="staff_support", contact_id=parent.id, subject_name="", subject=None
    )
    gone = _declare(site, role="staff_support", subject_name="Former neighbour")
    support = site.person_id("staff_support")
    with site.sessions() as session:
        declaration = session.get(Declaration, gone)
        assert declaration is not None
        decl.withdraw(session, declaration, support)
        accepted = session.get(Declaration, parent_decl)
        assert accepted is not None
        decl.decide(session, accepted, site.person_id("dsl"), DeclarationStatus.ACCEPTED, None)
        session.commit()
        found = decl.declared_relationships(session, site.school, support)
        everything = decl.declared_relationships(
            session, site.school, support, include_withdrawn=True
        )
        elsewhere = decl.declared_relationships(session, site.world.hillcrest, support)
    assert [(r.declaration_id, r.pupil_id, r.contact_id, r.name, r.status) for r in found] == [
        (pupil_decl, olly.id, None, "Olly (Oliver) Hargreaves", DeclarationStatus.PENDING),
        (parent_decl, None, parent.id, "Mrs Joanna Hargreaves", DeclarationStatus.ACCEPTED),
    ]
    assert {r.declaration_id for r in everything} == {pupil_decl, parent_decl, gone}
    assert elsewhere == []


# -- the pages -----------------------------------------------------------------------------------
def test_a_teacher_declares_through_the_form_and_sees_it_with_its_history(
    site: Registers,
) -> None:
    school = site.school
    status, page = site.get("staff_teacher", f"/schools/{school}/declarations/new?q=Hargreaves")
    assert status == 200
    assert "Olly (Oliver) Hargreaves" in page and "Mrs Joanna Hargreaves" in page
    with site.sessions() as session:
        olly = _pupil(session, "Oliver", school)
    status, _, location = site.post(
        "staff_teacher",
        f"/schools/{school}/declarations",
        {
            "who": f"pupil:{olly.id}",
            "platform": "WhatsApp",
            "nature": "in the same family group",
            "since": "01/09/2020",
            "reason": "Olly is my nephew.",
        },
    )
    assert status == 303
    assert location.startswith(f"/schools/{school}/declarations/")
    status, page = site.get("staff_teacher", location)
    assert status == 200
    assert "Your declaration has been made" in page
    assert "Olly (Oliver) Hargreaves" in page and "01/09/2020" in page
    assert "Declared" in page and "Awaiting a decision" in page
    listing = site.get("staff_teacher", f"/schools/{school}/declarations")[1]
    assert location.split("?")[0] in listing


def test_the_form_lists_every_problem_in_an_error_summary_linked_to_its_field(
    site: Registers,
) -> None:
    status, page, _ = site.post(
        "staff_teacher",
        f"/schools/{site.school}/declarations",
        {"who": "other", "subject_name": "", "platform": "", "since": "31/02/2026"},
    )
    assert status == 400
    assert "There is a problem" in page
    for field in ("who", "platform", "nature", "since", "reason"):
        assert f'href="#{field}"' in page, field
    assert 'aria-invalid="true"' in page
    assert "31/02/2026 is not a real date" in page


def test_nobody_but_the_declarer_and_the_reviewers_sees_a_declaration(site: Registers) -> None:
    declaration_id = _declare(site, subject_name="Private Person Quennell")
    path = f"/schools/{site.school}/declarations/{declaration_id}"
    for role in ("staff_teacher", "dsl", "headteacher", "trust_safeguarding"):
        status, page = site.get(role, path)
        assert status == 200, role
        assert "Private Person Quennell" in page
    for role in ("staff_support", "line_manager", "hr", "it_admin", "governor", "trust_admin"):
        status, page = site.get(role, path)
        assert status == 404, role
        assert "Private Person Quennell" not in page
        listing = site.get(role, f"/schools/{site.school}/declarations")[1]
        assert "Private Person Quennell" not in listing
    assert site.get("hillcrest_teacher", path)[0] == 404


def test_another_member_of_staff_cannot_amend_or_withdraw_a_declaration(site: Registers) -> None:
    declaration_id = _declare(site)
    base = f"/schools/{site.school}/declarations/{declaration_id}"
    assert site.get("staff_support", f"{base}/amend")[0] == 404
    assert site.get("dsl", f"{base}/amend")[0] == 404  # reviewers decide; they do not amend
    assert site.post("staff_support", f"{base}/withdraw", {})[0] == 404
    form = {"who": "other", "subject_name": "X", "subject": "other", "platform": "X"}
    assert site.post("staff_support", f"{base}/amend", {**form, "why": "x"})[0] == 404
    with site.sessions() as session:
        declaration = session.get(Declaration, declaration_id)
        assert declaration is not None
        assert declaration.status == DeclarationStatus.PENDING
        assert declaration.platform == "Facebook"


def test_the_declarer_amends_and_withdraws_through_the_pages(site: Registers) -> None:
    declaration_id = _declare(site)
    base = f"/schools/{site.school}/declarations/{declaration_id}"
    status, page = site.get("staff_teacher", f"{base}/amend")
    assert status == 200 and 'value="Sam Ellery"' in page and 'value="01/05/2019"' in page
    form = {
        "who": "other",
        "subject_name": "Sam Ellery",
        "subject": "parent",
        "platform": "Instagram",
        "nature": "friends",
        "since": "2019-05-01",
        "reason": "Our families have been friends since before I worked here.",
    }
    status, page, _ = site.post("staff_teacher", f"{base}/amend", form)
    assert status == 400 and 'href="#why"' in page
    status, _, location = site.post("staff_teacher", f"{base}/amend", {**form, "why": "Moved."})
    assert (status, location) == (303, f"{base}?done=amended")
    status, _, location = site.post("staff_teacher", f"{base}/withdraw", {"why": "Ended."})
    assert (status, location) == (303, f"{base}?done=withdrawn")
    page = site.get("staff_teacher", base)[1]
    assert "Withdrawn" in page and "Ended." in page and "platform was “Facebook”" in page
    assert f"{base}/withdraw" not in page  # nothing left to withdraw


def test_a_reviewer_sees_what_awaits_a_decision_and_records_one(site: Registers) -> None:
    declaration_id = _declare(site, subject_name="Reviewed Person Ashdown")
    review = f"/schools/{site.school}/declarations/review"
    status, page = site.get("dsl", review)
    assert status == 200 and "Reviewed Person Ashdown" in page
    base = f"/schools/{site.school}/declarations/{declaration_id}"
    status, page, _ = site.post(
        "dsl", f"{base}/decision", {"decision": "accepted_with_conditions", "note": ""}
    )
    assert status == 400 and "Write down the conditions." in page
    status, _, location = site.post(
        "dsl",
        f"{base}/decision",
        {"decision": "accepted_with_conditions", "note": "No direct messages with pupils."},
    )
    assert (status, location) == (303, f"{base}?done=decided")
    assert "Reviewed Person Ashdown" not in site.get("dsl", review)[1]
    assert "Reviewed Person Ashdown" in site.get("dsl", f"{review}?status=all")[1]
    mine = site.get("staff_teacher", base)[1]
    assert "Accepted with conditions" in mine and "No direct messages with pupils." in mine


def test_a_member_of_staff_who_is_not_a_reviewer_cannot_review_or_decide(site: Registers) -> None:
    declaration_id = _declare(site)
    assert site.get("staff_teacher", f"/schools/{site.school}/declarations/review")[0] == 403
    status, _, _ = site.post(
        "hr",
        f"/schools/{site.school}/declarations/{declaration_id}/decision",
        {"decision": "accepted"},
    )
    assert status == 403


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_too_large_for_the_database_is_not_found_rather_than_a_server_error(
    site: Registers, number: int
) -> None:
    school = site.school
    assert site.get("dsl", f"/schools/{school}/declarations/{number}")[0] == 404
    assert site.post("hr", f"/schools/{school}/devices/{number}/status", {})[0] == 404
    assert site.post("hr", f"/schools/{school}/training/{number}/done", {})[0] == 404
    status, page, _ = site.post(
        "staff_teacher",
        f"/schools/{school}/declarations",
        {"who": f"pupil:{number}", "platform": "X", "nature": "n", "reason": "r"},
    )
    assert status == 400 and 'href="#who"' in page


# -- the command line ----------------------------------------------------------------------------
def test_the_cli_lists_declarations_of_one_status_as_json(
    site: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = _declare(site, subject_name="Cli Person Pendlebury")
    decided = _declare(site, subject_name="Cli Person Dunmore")
    with site.sessions() as session:
        declaration = session.get(Declaration, decided)
        assert declaration is not None
        decl.decide(session, declaration, site.person_id("dsl"), DeclarationStatus.ACCEPTED, None)
        session.commit()
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    code, out, _ = run(
        capsys,
        "registers",
        "declarations",
        "--school",
        "900101",
        "--status",
        "pending",
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    ids = {row["id"] for row in rows}
    assert waiting in ids and decided not in ids
    row = next(r for r in rows if r["id"] == waiting)
    assert row["with"] == "Cli Person Pendlebury"
    assert row["declared_by"] == "Meadowbank Staff Teacher"
    assert row["since"] == "2019-05-01"


def test_the_cli_refuses_an_unknown_status_or_school_with_exit_64(
    site: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    code, _, err = run(
        capsys, "registers", "declarations", "--school", "900101", "--status", "maybe"
    )
    assert code == 64 and "no status maybe" in err
    code, _, err = run(capsys, "registers", "declarations", "--school", "999999")
    assert code == 64 and "no school has the URN 999999" in err
