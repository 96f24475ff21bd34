"""The case workflow (issue 5, build item 4; policy 11, 12.4, 12.5): moves and who may make them,
outcomes, the police pause, corrections with reasons, owner and tasks with overdue alerts, the
low-level concerns log, chronologies, and the audit chain behind all of it. On SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.audit import verify_chain
from boundaries.cases import chronology, low_level, tasks, workflow
from boundaries.cases.access import CaseRole, case_roles
from boundaries.cases.reporting import PartyDetails, ReportDetails
from boundaries.cases.trail import Actor, case_entries, chain_name
from boundaries.cases.workflow import OUTCOME_ROLES, WorkflowError
from boundaries.store import (
    AuditEntry,
    Case,
    CaseNote,
    CaseOutcome,
    CaseState,
    CaseTask,
    LowLevelConcern,
    Membership,
    PartyKind,
    PartyRole,
    Person,
    PersonKind,
    SchoolRole,
)
from tests.test_cases_reporting import (
    TODAY,
    CaseWorld,
    RecordingMailer,
    case_world_for,
    make_report,
)

BASE = "https://boundaries.example.org"
REPORT = ReportDetails(
    category="cyberbullying",
    occurred_on="20/11/2026",
    platform="TikTok",
    account="@ashgrove_teachers_rated",
    summary="A video ranking staff with insulting captions, me among them.",
    parties=(PartyDetails(PartyKind.PUPIL, PartyRole.SUBJECT, name="Amara Okonjo"),),
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CaseWorld]:
    yield from case_world_for(request, tmp_path_factory, "cases_workflow")


def _as(world: CaseWorld, session: Session, role: str) -> tuple[Actor, frozenset[CaseRole]]:
    person = world.person(session, role)
    return Actor(person.id, person.name), case_roles(session, person.id, world.school(session))


def _new_case(world: CaseWorld, session: Session, details: ReportDetails = REPORT) -> Case:
    case, _alerts = make_report(world, session, details)
    return case


def _move(
    world: CaseWorld,
    session: Session,
    case: Case,
    role: str,
    to: CaseState,
    outcome: CaseOutcome | None = None,
    reason: str = "As discussed with the DSL.",
) -> None:
    actor, roles = _as(world, session, role)
    workflow.move(session, case, actor, roles, to, reason, outcome)
    session.commit()


def test_a_case_goes_from_reported_to_closed_and_each_step_is_in_the_chain(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "dsl", CaseState.TRIAGED)
        _move(world, session, case, "hr", CaseState.INVESTIGATING)
        _move(world, session, case, "headteacher", CaseState.OUTCOME, CaseOutcome.INFORMAL_ACTION)
        _move(world, session, case, "headteacher", CaseState.CLOSED)
        assert case.state == CaseState.CLOSED
        assert case.outcome == CaseOutcome.INFORMAL_ACTION
        assert case.closed_at is not None
        steps = [
            json.loads(e.detail)
            for e in case_entries(session, case)
            if e.action == "case.state_changed"
        ]
        assert [(s["from"], s["to"]) for s in steps] == [
            ("reported", "triaged"),
            ("triaged", "investigating"),
            ("investigating", "outcome"),
            ("outcome", "closed"),
        ]
        assert steps[2]["outcome"] == "informal_action"
        assert verify_chain(session, chain_name(world.ashgrove)).ok


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (CaseState.REPORTED, CaseState.INVESTIGATING),
        (CaseState.REPORTED, CaseState.CLOSED),
        (CaseState.REPORTED, CaseState.OUTCOME),
        (CaseState.TRIAGED, CaseState.CLOSED),
        (CaseState.TRIAGED, CaseState.REPORTED),
    ],
)
def test_a_move_that_skips_or_reverses_a_step_is_refused(
    world: CaseWorld, start: CaseState, to: CaseState
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        if start == CaseState.TRIAGED:
            _move(world, session, case, "headteacher", CaseState.TRIAGED)
        with pytest.raises(WorkflowError) as refused:
            _move(world, session, case, "headteacher", to, CaseOutcome.NO_FURTHER_ACTION)
        session.rollback()
        assert "to" in refused.value.errors
        assert session.get(Case, case.id).state == start  # type: ignore[union-attr]


EXPECTED_OUTCOME_ROLES = {
    CaseOutcome.NO_FURTHER_ACTION: {"headteacher", "dsl", "trust_safeguarding"},
    CaseOutcome.INFORMAL_ACTION: {"headteacher", "hr", "trust_hr"},
    CaseOutcome.DISCIPLINARY_REFERRAL: {"headteacher", "hr", "trust_hr"},
    CaseOutcome.LADO_REFERRAL: {"headteacher", "dsl", "trust_safeguarding"},
    CaseOutcome.POLICE_OR_AGENCY_REFERRAL: {"headteacher", "dsl", "trust_safeguarding"},
    CaseOutcome.TRA_OR_DBS_REFERRAL: {"headteacher", "hr", "trust_hr"},
    CaseOutcome.MALICIOUS_CLAIM_ACTION: {"headteacher"},
    CaseOutcome.LOW_LEVEL_CONCERN: {"headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr"},
}


def test_the_outcome_table_names_the_roles_the_policy_gives_each_outcome() -> None:
    assert {o: {r.value for r in roles} for o, roles in OUTCOME_ROLES.items()} == (
        EXPECTED_OUTCOME_ROLES
    )


@pytest.mark.parametrize("outcome", list(CaseOutcome))
def test_each_outcome_is_recorded_only_by_its_named_roles(
    world: CaseWorld, outcome: CaseOutcome
) -> None:
    handlers = ("headteacher", "dsl", "hr", "trust_safeguarding", "trust_hr")
    allowed: set[str] = set()
    with world.session() as session:
        for role in handlers:
            case = _new_case(world, session)
            _move(world, session, case, "headteacher", CaseState.TRIAGED)
            try:
                _move(world, session, case, role, CaseState.OUTCOME, outcome)
            except WorkflowError as refused:
                session.rollback()
                assert refused.errors == {"outcome": "Your role does not allow this outcome."}
            else:
                allowed.add(role)
                assert case.outcome == outcome
    assert allowed == EXPECTED_OUTCOME_ROLES[outcome]


def test_closing_is_for_the_headteacher_or_the_trust_only(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "dsl", CaseState.TRIAGED)
        _move(world, session, case, "dsl", CaseState.OUTCOME, CaseOutcome.NO_FURTHER_ACTION)
        for role in ("dsl", "hr"):
            with pytest.raises(WorkflowError):
                _move(world, session, case, role, CaseState.CLOSED)
            session.rollback()
        _move(world, session, case, "trust_hr", CaseState.CLOSED)
        assert session.get(Case, case.id).state == CaseState.CLOSED  # type: ignore[union-attr]


def test_someone_who_handles_no_cases_cannot_act_on_one(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        for role in ("staff_teacher", "line_manager", "it_admin", "trust_admin"):
            with pytest.raises(PermissionError):
                _move(world, session, case, role, CaseState.TRIAGED)
            session.rollback()


def test_every_change_needs_a_reason(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        with pytest.raises(WorkflowError) as refused:
            workflow.move(session, case, actor, roles, CaseState.TRIAGED, "  ")
        assert "reason" in refused.value.errors
        with pytest.raises(WorkflowError) as refused:
            workflow.edit(session, case, actor, roles, {"platform": "Snapchat"}, "")
        assert "reason" in refused.value.errors
        with pytest.raises(WorkflowError):
            workflow.refer_to_police(session, case, actor, roles, "")
        with pytest.raises(WorkflowError):
            workflow.set_legal_hold(session, case, actor, roles, True, "")
        session.rollback()
        assert [e.action for e in case_entries(session, case)] == [
            "case.reported",
            "case.alerted",
        ]


def test_a_correction_keeps_what_was_first_reported_in_the_chain(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "hr")
        changed = workflow.edit(
            session,
            case,
            actor,
            roles,
            {"platform": "Instagram", "occurred_on": "19/11/2026", "occurred_time": "08:15"},
            "The reporter corrected the platform and the day.",
        )
        session.commit()
        assert sorted(changed) == ["occurred_at", "platform"]
        assert case.platform == "Instagram"
        (entry,) = [e for e in case_entries(session, case) if e.action == "case.edited"]
        detail = json.loads(entry.detail)
        assert detail["changes"]["platform"] == {"was": "TikTok", "now": "Instagram"}
        assert detail["changes"]["occurred_at"]["was"].startswith("2026-11-20")
        assert detail["changes"]["occurred_at"]["now"] == "2026-11-19T08:15:00+00:00"
        assert detail["reason"] == "The reporter corrected the platform and the day."
        with pytest.raises(WorkflowError):  # nothing changed: nothing to record
            workflow.edit(session, case, actor, roles, {"platform": "Instagram"}, "Again.")


def test_a_police_referral_pauses_internal_investigation_steps(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "headteacher", CaseState.TRIAGED)
        actor, roles = _as(world, session, "dsl")
        workflow.refer_to_police(session, case, actor, roles, "Threat to kill: ref NH-2611-0042.")
        session.commit()
        assert case.police_pause
        head, head_roles = _as(world, session, "headteacher")
        paused = "paused until the referral is released"
        with pytest.raises(WorkflowError) as refused:
            workflow.move(session, case, head, head_roles, CaseState.INVESTIGATING, "Go on.")
        assert paused in refused.value.errors["to"]
        with pytest.raises(WorkflowError) as refused:
            workflow.move(
                session,
                case,
                head,
                head_roles,
                CaseState.OUTCOME,
                "Done.",
                CaseOutcome.DISCIPLINARY_REFERRAL,
            )
        assert paused in refused.value.errors["outcome"]
        with pytest.raises(WorkflowError):
            workflow.add_note(session, case, head, head_roles, "Interview Amara.")
        with pytest.raises(WorkflowError):
            tasks.add_task(
                session,
                world.school(session),
                case,
                head,
                head_roles,
                title="Interview Amara",
                assignee_id=None,
                due="",
            )
        session.rollback()
        # Liaising with the police is not an internal step, and goes on.
        task = tasks.add_task(
            session,
            world.school(session),
            case,
            head,
            head_roles,
            title="Send the screenshots to PC Lawson",
            assignee_id=None,
            due="",
            internal=False,
        )
        assert [m.to for m in workflow.moves(case, head_roles)] == [CaseState.OUTCOME]
        assert workflow.allowed_outcomes(head_roles, case) == (
            CaseOutcome.POLICE_OR_AGENCY_REFERRAL,
        )
        session.commit()
        assert task.id


def test_releasing_the_police_referral_lets_the_investigation_go_on(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "headteacher", CaseState.TRIAGED)
        actor, roles = _as(world, session, "trust_safeguarding")
        workflow.refer_to_police(session, case, actor, roles, "Possible offence.")
        hr, hr_roles = _as(world, session, "hr")
        with pytest.raises(WorkflowError):  # HR may not release it
            workflow.release_from_police(session, case, hr, hr_roles, "Police finished.")
        workflow.release_from_police(session, case, actor, roles, "No further police action.")
        session.commit()
        assert not case.police_pause
        _move(world, session, case, "headteacher", CaseState.INVESTIGATING)
        head, head_roles = _as(world, session, "headteacher")
        workflow.add_note(session, case, head, head_roles, "Interviewed Amara with her mother.")
        session.commit()
        actions = [e.action for e in case_entries(session, case)]
        assert actions.index("case.police_referred") < actions.index("case.police_released")
        assert session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).one()


def test_the_owner_is_one_of_the_schools_handlers(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        school = world.school(session)
        for outsider in ("staff_teacher", "elmfield_head"):
            with pytest.raises(WorkflowError):
                workflow.set_owner(session, school, case, actor, roles, world.people[outsider])
        workflow.set_owner(session, school, case, actor, roles, world.people["dsl"])
        session.commit()
        assert case.owner_id == world.people["dsl"]


def test_overdue_tasks_alert_the_person_they_fall_to_once_without_the_content(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        school = world.school(session)
        workflow.set_owner(session, school, case, actor, roles, world.people["hr"])
        mine = tasks.add_task(
            session,
            school,
            case,
            actor,
            roles,
            title="Report the video to TikTok",
            assignee_id=world.people["dsl"],
            due="30/11/2026",
            today=TODAY,
        )
        owners = tasks.add_task(
            session,
            school,
            case,
            actor,
            roles,
            title="Meet the reporter",
            assignee_id=None,
            due="01/12/2026",
            today=TODAY,
        )
        later = tasks.add_task(
            session,
            school,
            case,
            actor,
            roles,
            title="Review in a month",
            assignee_id=None,
            due="31/12/2026",
            today=TODAY,
        )
        session.commit()
        mailer = RecordingMailer()
        now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
        done = tasks.send_overdue_alerts(session, mailer, BASE, now, school_id=world.ashgrove)
        assert {d.task.id for d in done} == {mine.id, owners.id}
        assert {to for to, _s, _b in mailer.sent} == {
            "dsl@ashgrove.example.org",
            "hr@ashgrove.example.org",
        }
        for _to, subject, body in mailer.sent:
            assert f"{BASE}/schools/{world.ashgrove}/cases/{case.id}" in body
            assert "TikTok" not in subject + body and "reporter" not in subject + body
        # Once only; the later task is not overdue yet.
        assert tasks.send_overdue_alerts(session, mailer, BASE, now, school_id=world.ashgrove) == []
        assert later.overdue_alerted_at is None
        rows = tasks.case_tasks(session, case, now)
        assert [r.overdue for r in rows] == [True, True, False]
        alerted = [
            e for e in case_entries(session, case) if e.action == "case.task_overdue_alerted"
        ]
        assert len(alerted) == 2 and alerted[0].actor_id is None


def test_overdue_internal_tasks_are_not_chased_while_the_police_have_the_matter(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        task = tasks.add_task(
            session,
            world.school(session),
            case,
            actor,
            roles,
            title="Interview the pupils",
            assignee_id=world.people["dsl"],
            due="26/11/2026",
            today=TODAY,
        )
        workflow.refer_to_police(session, case, actor, roles, "Reported to the police.")
        session.commit()
        later = datetime(2026, 12, 10, tzinfo=UTC)
        assert task.id not in {o.task.id for o in tasks.overdue_tasks(session, later)}
        with pytest.raises(WorkflowError):
            tasks.complete_task(session, case, actor, roles, task.id)


def test_a_deadline_in_the_past_or_not_a_date_is_refused(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        for due in ("01/01/2020", "next week"):
            with pytest.raises(WorkflowError) as refused:
                tasks.add_task(
                    session,
                    world.school(session),
                    case,
                    actor,
                    roles,
                    title="Chase",
                    assignee_id=None,
                    due=due,
                )
            assert "due" in refused.value.errors
        assert session.scalars(select(CaseTask).where(CaseTask.case_id == case.id)).all() == []


def test_a_low_level_outcome_goes_to_the_log_and_repeats_show_as_a_pattern(
    world: CaseWorld,
) -> None:
    about_support = ReportDetails(
        category="colleague_concern",
        summary="Added a Year 8 pupil on Snapchat.",
        parties=(PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, name="Ashgrove Staff Support"),),
    )
    with world.session() as session:
        for _ in range(2):
            case = _new_case(world, session, about_support)
            _move(world, session, case, "dsl", CaseState.TRIAGED)
            _move(
                world,
                session,
                case,
                "dsl",
                CaseState.OUTCOME,
                CaseOutcome.LOW_LEVEL_CONCERN,
                reason="Below the harm threshold; advice given.",
            )
        logged = session.scalars(
            select(LowLevelConcern).where(
                LowLevelConcern.about_person_id == world.people["staff_support"]
            )
        ).all()
        assert len(logged) == 2
        assert all(c.case_id is not None for c in logged)
        actor, _roles = _as(world, session, "hr")
        # A third entry, typed by name: joined to the same person, not counted apart.
        low_level.record_concern(
            session,
            world.ashgrove,
            actor,
            summary="Commented on a pupil's post.",
            about_name="ashgrove  staff support",
        )
        session.commit()
        found = {p.name: p for p in low_level.patterns(session, world.ashgrove)}
        assert found["Ashgrove Staff Support"].count == 3
        assert found["Ashgrove Staff Support"].person_id == world.people["staff_support"]
        mine = low_level.patterns(
            session, world.ashgrove, exclude_person_id=world.people["staff_support"]
        )
        assert "Ashgrove Staff Support" not in {p.name for p in mine}
        # Outside the window they are no longer a pattern.
        far = datetime.now(UTC) + timedelta(days=800)
        assert low_level.patterns(session, world.ashgrove, now=far) == []
        low_level.review(session, logged[0], actor, "Pattern discussed with the headteacher.")
        session.commit()
        actions = {
            e.action
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.chain == chain_name(world.ashgrove))
            )
        }
        assert {"low_level.recorded", "low_level.reviewed"} <= actions
        assert verify_chain(session, chain_name(world.ashgrove)).ok


def test_one_concern_is_not_a_pattern(world: CaseWorld) -> None:
    with world.session() as session:
        actor, _roles = _as(world, session, "dsl")
        low_level.record_concern(
            session, world.ashgrove, actor, summary="Odd comment.", about_name="Visiting Coach Ryle"
        )
        session.commit()
        assert "Visiting Coach Ryle" not in {
            p.name for p in low_level.patterns(session, world.ashgrove)
        }


def test_the_case_chronology_tells_the_story_and_the_trail_keeps_the_views(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, _roles = _as(world, session, "dsl")
        workflow.viewed(session, case, actor)
        _move(world, session, case, "dsl", CaseState.TRIAGED, reason="Seen the video.")
        session.commit()
        items = chronology.case_chronology(session, case)
        assert [i.what for i in items] == [
            "Incident happened (as reported)",
            "Reported",
            "Case handlers alerted",
            "Status changed",
        ]
        assert items[-1].detail == "Triaged. Reason: Seen the video."
        assert items[-1].who == "Ashgrove Dsl"
        with_views = chronology.case_chronology(session, case, include_views=True)
        assert "Viewed" in [i.what for i in with_views]


def test_a_persons_chronology_gathers_their_cases_and_low_level_concerns(
    world: CaseWorld,
) -> None:
    details = ReportDetails(
        category="colleague_concern",
        summary="Posts about a pupil's family.",
        parties=(PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, name="Ashgrove Line Manager"),),
    )
    with world.session() as session:
        case = _new_case(world, session, details)
        _move(world, session, case, "hr", CaseState.TRIAGED, reason="HR to look at it.")
        actor, _roles = _as(world, session, "hr")
        low_level.record_concern(
            session,
            world.ashgrove,
            actor,
            summary="Late-night messages to a parent.",
            about_person_id=world.people["line_manager"],
        )
        session.commit()
        person = world.person(session, "line_manager")
        items = chronology.person_chronology(
            session, world.ashgrove, person, viewer_id=world.people["hr"]
        )
        whats = [i.what for i in items]
        assert f"Case {case.id} (Concern about a colleague) reported" in whats
        assert f"Case {case.id} (Concern about a colleague): status changed" in whats
        assert "Low-level concern recorded" in whats
        assert items == sorted(items, key=lambda i: i.at)
        involved = next(i for i in items if i.what.endswith("reported"))
        assert involved.detail == "Involved as: the concern is about them"


def test_a_failed_change_leaves_no_entry_in_the_chain(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        before = len(case_entries(session, case))
        actor, roles = _as(world, session, "headteacher")
        workflow.add_note(session, case, actor, roles, "First thoughts.")
        session.rollback()  # the note and its entry go together
        assert len(case_entries(session, case)) == before
        assert session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).all() == []
        assert verify_chain(session, chain_name(world.ashgrove)).ok


def test_a_case_cannot_be_closed_while_the_police_have_the_matter(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "headteacher", CaseState.TRIAGED)
        _move(
            world,
            session,
            case,
            "headteacher",
            CaseState.OUTCOME,
            CaseOutcome.POLICE_OR_AGENCY_REFERRAL,
        )
        head, head_roles = _as(world, session, "headteacher")
        workflow.refer_to_police(session, case, head, head_roles, "Reported: ref NH-2611-0077.")
        session.commit()
        assert CaseState.CLOSED not in [m.to for m in workflow.moves(case, head_roles)]
        with pytest.raises(WorkflowError) as refused:
            workflow.move(session, case, head, head_roles, CaseState.CLOSED, "Done here.")
        session.rollback()
        assert "paused" in refused.value.errors["to"]
        workflow.release_from_police(session, case, head, head_roles, "No further police action.")
        _move(world, session, case, "headteacher", CaseState.CLOSED)
        assert case.state == CaseState.CLOSED


def test_a_closed_case_is_reopened_by_the_headteacher_or_the_trust_with_a_reason(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        _move(world, session, case, "dsl", CaseState.TRIAGED)
        _move(world, session, case, "dsl", CaseState.OUTCOME, CaseOutcome.NO_FURTHER_ACTION)
        _move(world, session, case, "headteacher", CaseState.CLOSED)
        for role in ("dsl", "hr", "trust_hr"):
            with pytest.raises(WorkflowError):
                _move(world, session, case, role, CaseState.INVESTIGATING)
            session.rollback()
        head, head_roles = _as(world, session, "headteacher")
        with pytest.raises(WorkflowError) as refused:
            workflow.move(session, case, head, head_roles, CaseState.INVESTIGATING, " ")
        session.rollback()
        assert "reason" in refused.value.errors
        _move(
            world,
            session,
            case,
            "trust_safeguarding",
            CaseState.INVESTIGATING,
            reason="A second account has appeared with the same video.",
        )
        # Open again: no outcome, no closing date, so retention's clock no longer runs.
        assert (case.state, case.outcome, case.closed_at) == (CaseState.INVESTIGATING, None, None)
        last = json.loads(
            [e for e in case_entries(session, case) if e.action == "case.state_changed"][-1].detail
        )
        assert (last["from"], last["previous_outcome"]) == ("closed", "no_further_action")


def test_replacing_the_owner_needs_a_reason_but_the_first_owner_does_not(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        school = world.school(session)
        workflow.set_owner(session, school, case, actor, roles, world.people["dsl"])
        session.commit()
        with pytest.raises(WorkflowError) as refused:
            workflow.set_owner(session, school, case, actor, roles, world.people["hr"], "")
        session.rollback()
        assert "owner_reason" in refused.value.errors
        assert case.owner_id == world.people["dsl"]
        workflow.set_owner(
            session, school, case, actor, roles, world.people["hr"], "The DSL is on leave."
        )
        session.commit()
        last = [e for e in case_entries(session, case) if e.action == "case.owner_set"][-1]
        assert json.loads(last.detail)["reason"] == "The DSL is on leave."


def test_naming_the_owner_as_a_subject_takes_the_case_away_from_them(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        school = world.school(session)
        workflow.set_owner(session, school, case, actor, roles, world.people["dsl"])
        workflow.add_party(
            session,
            case,
            actor,
            roles,
            PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, person_id=world.people["dsl"]),
        )
        session.commit()
        assert case.owner_id is None
        dsl, dsl_roles = _as(world, session, "dsl")
        with pytest.raises(PermissionError):
            workflow.add_note(session, case, dsl, dsl_roles, "My side of it.")


def test_an_overdue_task_is_never_sent_to_someone_since_named_as_the_subject(
    world: CaseWorld,
) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        school = world.school(session)
        task = tasks.add_task(
            session,
            school,
            case,
            actor,
            roles,
            title="Check the account's followers",
            assignee_id=world.people["hr"],
            due="27/11/2026",
            today=TODAY,
        )
        workflow.add_party(
            session,
            case,
            actor,
            roles,
            PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, person_id=world.people["hr"]),
        )
        session.commit()
        mailer = RecordingMailer()
        later = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
        done = tasks.send_overdue_alerts(session, mailer, BASE, later, school_id=world.ashgrove)
        assert task.id in {d.task.id for d in done}
        told = {to for to, _s, _b in mailer.sent}
        assert "hr@ashgrove.example.org" not in told
        assert "headteacher@ashgrove.example.org" in told


def test_a_deadline_is_overdue_from_midnight_uk_time_not_utc(world: CaseWorld) -> None:
    with world.session() as session:
        case = _new_case(world, session)
        actor, roles = _as(world, session, "headteacher")
        task = tasks.add_task(
            session,
            world.school(session),
            case,
            actor,
            roles,
            title="Write to the parents",
            assignee_id=None,
            due="30/06/2027",
            today=TODAY,
        )
        session.commit()
        # 23:30 UTC on 30 June is 00:30 on 1 July in the UK (summer time): overdue.
        assert tasks.is_overdue(task, datetime(2027, 6, 30, 23, 30, tzinfo=UTC))
        assert not tasks.is_overdue(task, datetime(2027, 6, 30, 22, 30, tzinfo=UTC))


def test_a_case_reopened_and_again_found_low_level_is_one_incident_not_a_pattern(
    world: CaseWorld,
) -> None:
    details = ReportDetails(
        category="colleague_concern",
        summary="Shared a pupil's sports photo on a personal account.",
        parties=(PartyDetails(PartyKind.STAFF, PartyRole.SUBJECT, name="Ashgrove Contractor"),),
    )
    with world.session() as session:
        case = _new_case(world, session, details)
        _move(world, session, case, "dsl", CaseState.TRIAGED)
        _move(world, session, case, "dsl", CaseState.OUTCOME, CaseOutcome.LOW_LEVEL_CONCERN)
        _move(world, session, case, "headteacher", CaseState.INVESTIGATING)
        _move(world, session, case, "dsl", CaseState.OUTCOME, CaseOutcome.LOW_LEVEL_CONCERN)
        logged = session.scalars(
            select(LowLevelConcern).where(LowLevelConcern.case_id == case.id)
        ).all()
        assert len(logged) == 1
        assert "Ashgrove Contractor" not in {
            p.name for p in low_level.patterns(session, world.ashgrove)
        }


def test_a_typed_name_two_listed_people_share_is_joined_to_neither(world: CaseWorld) -> None:
    with world.session() as session:
        actor, _roles = _as(world, session, "dsl")
        namesakes = []
        for email in ("j.vance@ashgrove.example.org", "jordan.vance@ashgrove.example.org"):
            person = Person(name="Jordan Vance", email=email, kind=PersonKind.STAFF)
            session.add(person)
            session.flush()
            session.add(
                Membership(
                    person_id=person.id, school_id=world.ashgrove, role=SchoolRole.STAFF_SUPPORT
                )
            )
            namesakes.append(person.id)
        for person_id in namesakes:
            low_level.record_concern(
                session,
                world.ashgrove,
                actor,
                summary="Messages to a pupil.",
                about_person_id=person_id,
            )
        typed = low_level.record_concern(
            session, world.ashgrove, actor, summary="A comment.", about_name="Jordan Vance"
        )
        assert typed.about_person_id is None  # two people have the name: not a guess
        # Each listed Jordan Vance has one concern; the typed one belongs to neither.
        found = low_level.patterns(session, world.ashgrove)
        assert [p for p in found if p.person_id in namesakes] == []
        session.rollback()


def test_a_typed_name_of_a_member_is_linked_to_them(world: CaseWorld) -> None:
    with world.session() as session:
        actor, _roles = _as(world, session, "dsl")
        concern = low_level.record_concern(
            session,
            world.ashgrove,
            actor,
            summary="Posted a photo from the school trip.",
            about_name="ashgrove governor",
        )
        assert concern.about_person_id == world.people["governor"]
        assert concern.about_name == "Ashgrove Governor"
        session.rollback()


def test_nobody_reviews_a_low_level_concern_about_themselves(world: CaseWorld) -> None:
    with world.session() as session:
        actor, _roles = _as(world, session, "dsl")
        concern = low_level.record_concern(
            session,
            world.ashgrove,
            actor,
            summary="Followed a pupil's parent on Instagram.",
            about_person_id=world.people["hr"],
        )
        hr, _hr_roles = _as(world, session, "hr")
        with pytest.raises(PermissionError):
            low_level.review(session, concern, hr, "Nothing in it.")
        session.rollback()
