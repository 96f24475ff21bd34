"""The case pages (issue 5): reporting a concern, the reporter's own report, the case list and
page, the low-level concerns log and a person's chronology. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from boundaries.audit import verify_chain
from boundaries.cases.trail import chain_name
from boundaries.store import AuditEntry, Case, CaseOutcome, CaseState
from tests.test_declarations import Registers, registers_for

REPORT = {
    "category": "cyberbullying",
    "occurred_on": "03/11/2026",
    "occurred_time": "21:40",
    "platform": "Instagram",
    "site": "a spoof account in Year 9's name",
    "url": "https://www.instagram.com/meadowbank_staff_exposed/",
    "account": "@meadowbank_staff_exposed",
    "summary": "Edited photos of me with captions calling me a disgrace, shared by an account "
    "that seems to be run by pupils. Quote: 'Ms Pennington is a fraud'.",
    "wishes": "I would like the account taken down before anyone is spoken to.",
    "party_name_1": "Unknown account holder",
    "party_kind_1": "other",
    "party_role_1": "subject",
}
HANDLERS = ("headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr")
NOT_HANDLERS = ("staff_teacher", "line_manager", "it_admin", "governor", "trust_admin")


class RecordingMailer:
    """Keeps what the app sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registers]:
    for registers in registers_for(request, tmp_path_factory, "cases_web"):
        registers.state.mailer = RecordingMailer()
        yield registers


def _mailer(site: Registers) -> RecordingMailer:
    mailer = site.state.mailer
    assert isinstance(mailer, RecordingMailer)
    return mailer


def _report(site: Registers, role: str = "staff_support", **changes: str) -> int:
    status, body, location = site.post(
        role, f"/schools/{site.school}/concerns", {**REPORT, **changes}
    )
    assert status == 303, body
    match = re.fullmatch(rf"/schools/{site.school}/concerns/(\d+)\?done=reported", location)
    assert match, location
    return int(match.group(1))


def _entries(site: Registers, case_id: int) -> list[AuditEntry]:
    with site.sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.subject_type == "case", AuditEntry.subject_id == case_id)
                .order_by(AuditEntry.seq)
            )
        )


def test_anyone_can_report_and_then_sees_the_status_and_nothing_else(site: Registers) -> None:
    case_id = _report(site, "volunteer")
    path = f"/schools/{site.school}/cases/{case_id}"
    assert (
        site.post("headteacher", f"{path}/owner", {"owner": str(site.person_id("dsl"))})[0] == 303
    )
    note = "Spoke to the Year 9 pastoral lead about the account."
    assert site.post("headteacher", f"{path}/notes", {"note": note})[0] == 303
    status, page = site.get("volunteer", f"/schools/{site.school}/concerns/{case_id}")
    assert status == 200
    assert "Your report: Cyberbullying" in page
    assert "Received" in page
    assert "I would like the account taken down" in page
    assert note not in page
    assert "Meadowbank Dsl" not in page  # the owner is not the reporter's business
    assert f"/schools/{site.school}/concerns/{case_id}/evidence" in page
    assert "Occupational Health Counselling Service" in page
    listing = site.get("volunteer", f"/schools/{site.school}/concerns")[1]
    assert f"/schools/{site.school}/concerns/{case_id}" in listing


def test_someone_elses_report_is_not_found(site: Registers) -> None:
    case_id = _report(site, "volunteer")
    for role in ("staff_teacher", "headteacher", "trust_safeguarding"):
        assert site.get(role, f"/schools/{site.school}/concerns/{case_id}")[0] == 404


def test_a_case_is_seen_only_by_its_handlers_and_is_not_found_for_anyone_else(
    site: Registers,
) -> None:
    case_id = _report(site)
    for role in HANDLERS:
        status, page = site.get(role, f"/schools/{site.school}/cases/{case_id}")
        assert status == 200, role
        assert "Edited photos of me" in page
    for role in NOT_HANDLERS:
        assert site.get(role, f"/schools/{site.school}/cases/{case_id}")[0] == 404, role
    assert site.get("staff_support", f"/schools/{site.school}/cases/{case_id}")[0] == 404
    assert site.get("hillcrest_teacher", f"/schools/{site.school}/cases/{case_id}")[0] == 404
    # Another school's URL with this case's id finds nothing either.
    assert (
        site.get("trust_safeguarding", f"/schools/{site.world.hillcrest}/cases/{case_id}")[0] == 404
    )


def test_every_view_of_a_case_or_the_case_records_is_in_the_audit_chain(site: Registers) -> None:
    case_id = _report(site)
    before = [e for e in _entries(site, case_id) if e.action == "case.viewed"]
    site.get("dsl", f"/schools/{site.school}/cases/{case_id}")
    site.get("trust_hr", f"/schools/{site.school}/cases/{case_id}")
    site.get("staff_teacher", f"/schools/{site.school}/cases/{case_id}")  # refused: no entry
    views = [e for e in _entries(site, case_id) if e.action == "case.viewed"]
    assert len(views) == len(before) + 2
    assert {v.actor_name for v in views[-2:]} == {"Meadowbank Dsl", "Westvale Trust Hr"}
    site.get("hr", f"/schools/{site.school}/cases")
    site.get("hr", f"/schools/{site.school}/cases/low-level")
    with site.sessions() as session:
        latest = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.chain == chain_name(site.school))
                .order_by(AuditEntry.seq.desc())
                .limit(2)
            )
        )
        assert [e.action for e in latest] == ["low_level.viewed", "cases.listed"]
        assert case_id in json.loads(latest[1].detail)["case_ids"]
        assert latest[1].actor_name == "Meadowbank Hr"
        assert verify_chain(session, chain_name(site.school)).ok


def test_an_incomplete_report_comes_back_with_each_problem_named(site: Registers) -> None:
    status, page, _ = site.post(
        "staff_teacher",
        f"/schools/{site.school}/concerns",
        {"category": "", "summary": "", "occurred_on": "31/02/2026", "url": "not a web address"},
    )
    assert status == 400
    assert "There is a problem" in page
    for anchor in ('href="#category"', 'href="#summary"', 'href="#occurred_on"', 'href="#url"'):
        assert anchor in page
    assert 'value="not a web address"' in page  # what was typed is kept


def test_a_report_alerts_the_handlers_by_email_with_the_category_and_link_only(
    site: Registers,
) -> None:
    mailer = _mailer(site)
    mailer.sent.clear()
    case_id = _report(site)
    assert [to for to, _s, _b in mailer.sent] == [site.email("headteacher")]
    _to, subject, body = mailer.sent[0]
    assert "Cyberbullying" in subject
    assert f"https://testserver/schools/{site.school}/cases/{case_id}" in body
    for secret in (
        "disgrace",
        "Pennington",
        "instagram.com",
        "meadowbank_staff_exposed",
        "taken down",
    ):
        assert secret not in subject + body


def test_a_pupil_getting_into_a_staff_profile_alerts_senior_leadership_at_once(
    site: Registers,
) -> None:
    mailer = _mailer(site)
    mailer.sent.clear()
    _report(
        site,
        category="profile_access",
        summary="A pupil logged into my Facebook using my old password and posted as me.",
    )
    told = {to for to, _s, _b in mailer.sent}
    assert told == {
        site.email("headteacher"),
        site.email("dsl"),
        site.email("trust_safeguarding"),
    }
    assert all(subject.startswith("Urgent:") for _to, subject, _b in mailer.sent)


def test_a_handler_takes_a_case_to_an_outcome_and_closes_it_through_the_pages(
    site: Registers,
) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    steps = [
        {"to": "triaged", "reason": "Cyberbullying by pupils: the DSL and I will look into it."},
        {"to": "investigating", "reason": "Account to be identified."},
        {"to": "outcome", "outcome": "malicious_claim_action", "reason": "Two pupils admitted it."},
        {"to": "closed", "reason": "Sanctions applied and the account removed."},
    ]
    for step in steps:
        status, body, location = site.post("headteacher", f"{path}/move", step)
        assert status == 303, body
        assert location == f"{path}?done=moved"
    with site.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.state == CaseState.CLOSED
        assert case.outcome == CaseOutcome.MALICIOUS_CLAIM_ACTION
        assert case.closed_at is not None
    changes = [
        json.loads(e.detail) for e in _entries(site, case_id) if e.action == "case.state_changed"
    ]
    assert [c["to"] for c in changes] == ["triaged", "investigating", "outcome", "closed"]
    assert changes[2]["reason"] == "Two pupils admitted it."
    page = site.get("headteacher", path)[1]
    assert "Action against a pupil for a malicious claim" in page
    assert "Two pupils admitted it." in page  # the chronology


def test_a_step_without_a_reason_or_outside_the_roles_is_refused_on_the_page(
    site: Registers,
) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    status, page, _ = site.post("headteacher", f"{path}/move", {"to": "triaged", "reason": ""})
    assert status == 400
    assert 'href="#reason"' in page
    site.post("dsl", f"{path}/move", {"to": "triaged", "reason": "Looked at."})
    site.post("dsl", f"{path}/move", {"to": "investigating", "reason": "Started."})
    status, page, _ = site.post(
        "dsl",
        f"{path}/move",
        {"to": "outcome", "outcome": "disciplinary_referral", "reason": "Staff conduct."},
    )
    assert status == 400
    assert "Your role does not allow this outcome." in page
    with site.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.state == CaseState.INVESTIGATING


def test_a_police_referral_pauses_the_investigation_on_the_page(site: Registers) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    site.post("headteacher", f"{path}/move", {"to": "triaged", "reason": "Threats made."})
    status, _b, _l = site.post(
        "dsl", f"{path}/police", {"action": "refer", "police_reason": "Threats: ref 22/11/2026."}
    )
    assert status == 303
    page = site.get("headteacher", path)[1]
    assert "The police have this matter" in page
    assert 'value="investigating"' not in page
    status, page, _ = site.post("headteacher", f"{path}/notes", {"note": "Interview the pupil."})
    assert status == 400
    assert "paused" in page
    site.post("dsl", f"{path}/police", {"action": "release", "police_reason": "Police done."})
    assert site.post("headteacher", f"{path}/notes", {"note": "Interview the pupil."})[0] == 303


def test_a_correction_needs_a_reason_and_keeps_the_first_version(site: Registers) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    form = site.get("hr", f"{path}/edit")[1]
    assert 'value="03/11/2026"' in form and 'value="21:40"' in form
    values = {**REPORT, "reporter_wishes": REPORT["wishes"], "platform": "Facebook"}
    status, page, _ = site.post("hr", f"{path}/edit", {**values, "reason": ""})
    assert status == 400 and 'href="#reason"' in page
    status, _b, _l = site.post(
        "hr", f"{path}/edit", {**values, "reason": "The reporter says it was Facebook."}
    )
    assert status == 303
    edits = [json.loads(e.detail) for e in _entries(site, case_id) if e.action == "case.edited"]
    assert edits == [
        {
            "changes": {"platform": {"was": "Instagram", "now": "Facebook"}},
            "reason": "The reporter says it was Facebook.",
        }
    ]


def test_tasks_people_owner_and_legal_hold_from_the_case_page(site: Registers) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    dsl = site.person_id("dsl")
    assert site.post("headteacher", f"{path}/owner", {"owner": str(dsl)})[0] == 303
    status, body, _ = site.post(
        "headteacher",
        f"{path}/tasks",
        {"title": "Ask Instagram to remove the account", "assignee": str(dsl), "due": "31/12/2099"},
    )
    assert status == 303, body
    teacher = site.person_id("staff_teacher")
    assert (
        site.post(
            "headteacher",
            f"{path}/parties",
            {"kind": "staff", "person": str(teacher), "role": "witness"},
        )[0]
        == 303
    )
    assert (
        site.post("headteacher", f"{path}/legal-hold", {"hold": "set", "hold_reason": "Claim."})[0]
        == 303
    )
    # HR may not set a legal hold.
    assert site.post("hr", f"{path}/legal-hold", {"hold": "lift", "hold_reason": "x"})[0] == 400
    page = site.get("dsl", path)[1]
    assert "Ask Instagram to remove the account" in page
    assert f"/schools/{site.school}/cases/people/{teacher}" in page
    assert "Legal hold" in page
    with site.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.owner_id == dsl and case.legal_hold
    task_id = int(re.findall(rf"{path}/tasks/(\d+)/done", page)[0])
    assert site.post("dsl", f"{path}/tasks/{task_id}/done", {})[0] == 303
    assert site.post("dsl", f"{path}/tasks/{task_id + 10_000}/done", {})[0] == 404


def test_the_case_list_shows_open_cases_to_handlers_only(site: Registers) -> None:
    case_id = _report(site)
    status, page = site.get("trust_safeguarding", f"/schools/{site.school}/cases")
    assert status == 200
    assert f"/schools/{site.school}/cases/{case_id}" in page
    assert site.get("staff_teacher", f"/schools/{site.school}/cases")[0] == 403


def test_a_case_about_a_handler_is_hidden_from_them(site: Registers) -> None:
    case_id = _report(
        site,
        category="colleague_concern",
        summary="The headteacher has been messaging a Year 6 pupil on Snapchat.",
        party_name_1="Meadowbank Headteacher",
        party_kind_1="staff",
        party_role_1="subject",
    )
    assert site.get("headteacher", f"/schools/{site.school}/cases/{case_id}")[0] == 404
    listing = site.get("headteacher", f"/schools/{site.school}/cases?state=all")[1]
    assert f'/cases/{case_id}"' not in listing
    assert site.get("hr", f"/schools/{site.school}/cases/{case_id}")[0] == 200


def test_the_low_level_log_records_reviews_and_shows_patterns(site: Registers) -> None:
    teacher = str(site.person_id("staff_teacher"))
    for summary in ("Followed a Year 11 pupil on TikTok.", "Liked a pupil's holiday photo."):
        status, body, _ = site.post(
            "dsl", f"/schools/{site.school}/cases/low-level", {"about": teacher, "summary": summary}
        )
        assert status == 303, body
    page = site.get("hr", f"/schools/{site.school}/cases/low-level")[1]
    assert "Meadowbank Staff Teacher</strong>: 2 concerns" in page
    concern_id = re.findall(r"/cases/low-level/(\d+)/review", page)[0]
    assert (
        site.post(
            "hr",
            f"/schools/{site.school}/cases/low-level/{concern_id}/review",
            {"review_note": "Spoke to them; advice on 6.3 given."},
        )[0]
        == 303
    )
    assert "advice on 6.3 given" in site.get("hr", f"/schools/{site.school}/cases/low-level")[1]
    # The person a concern is about never sees it, even with access to the log.
    status, body, _ = site.post(
        "dsl",
        f"/schools/{site.school}/cases/low-level",
        {"about": str(site.person_id("hr")), "summary": "Shared a staff-room photo."},
    )
    assert status == 303, body
    assert (
        "Shared a staff-room photo."
        not in site.get("hr", f"/schools/{site.school}/cases/low-level")[1]
    )
    chronology = site.get("dsl", f"/schools/{site.school}/cases/people/{teacher}")[1]
    assert "Followed a Year 11 pupil on TikTok." in chronology
    assert site.get("dsl", f"/schools/{site.school}/cases/people/{site.person_id('dsl')}")[0] == 404


def test_the_reporter_sees_what_they_reported_not_the_handlers_corrections(
    site: Registers,
) -> None:
    case_id = _report(site, "volunteer")
    path = f"/schools/{site.school}/cases/{case_id}"
    corrected = {
        **REPORT,
        "reporter_wishes": REPORT["wishes"],
        "summary": "HR view: the account is run by a parent, not pupils.",
        "reason": "Found out who runs the account.",
    }
    assert site.post("hr", f"{path}/edit", corrected)[0] == 303
    added = {"kind": "other", "name": "Parent Of Pupil Hartley", "role": "subject"}
    assert site.post("hr", f"{path}/parties", added)[0] == 303
    page = site.get("volunteer", f"/schools/{site.school}/concerns/{case_id}")[1]
    assert "Edited photos of me" in page
    assert "HR view" not in page
    assert "Parent Of Pupil Hartley" not in page
    assert "Unknown account holder" in page  # the person they named themselves


def test_changing_the_owner_on_the_page_needs_a_reason(site: Registers) -> None:
    case_id = _report(site)
    path = f"/schools/{site.school}/cases/{case_id}"
    assert (
        site.post("headteacher", f"{path}/owner", {"owner": str(site.person_id("dsl"))})[0] == 303
    )
    page = site.get("headteacher", path)[1]
    assert 'id="owner_reason"' in page
    status, page, _ = site.post(
        "headteacher", f"{path}/owner", {"owner": str(site.person_id("hr"))}
    )
    assert status == 400 and 'href="#owner_reason"' in page
    status, _b, _l = site.post(
        "headteacher",
        f"{path}/owner",
        {"owner": str(site.person_id("hr")), "owner_reason": "The DSL is on a course all week."},
    )
    assert status == 303
    with site.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.owner_id == site.person_id("hr")


def test_low_level_entries_from_a_case_about_the_viewer_are_hidden_from_them(
    site: Registers,
) -> None:
    case_id = _report(
        site,
        category="colleague_concern",
        summary="The DSL and a supply teacher both follow Year 11 pupils on Instagram.",
        party_name_1="Meadowbank Dsl",
        party_kind_1="staff",
        party_role_1="subject",
        party_name_2="Pat Okafor (supply)",
        party_kind_2="other",
        party_role_2="subject",
    )
    path = f"/schools/{site.school}/cases/{case_id}"
    for step in (
        {"to": "triaged", "reason": "Looked at by the head."},
        {"to": "outcome", "outcome": "low_level_concern", "reason": "Below the threshold."},
    ):
        assert site.post("headteacher", f"{path}/move", step)[0] == 303
    log = site.get("hr", f"/schools/{site.school}/cases/low-level")[1]
    assert "Pat Okafor (supply)" in log and f"case {case_id}" in log
    log = site.get("dsl", f"/schools/{site.school}/cases/low-level")[1]
    assert f"case {case_id}<" not in log and "Pat Okafor (supply)" not in log
