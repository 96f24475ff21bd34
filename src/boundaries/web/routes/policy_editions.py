"""Pages for policy editions and their acknowledgement (2.2).

Leaders (MANAGE_POLICY) upload an edition (a file or pasted YAML), see how it differs clause by
clause from the current one, publish it, set its quiz, follow completion by group and send
reminders. Everyone the policy applies to (USE_SCHOOL) acknowledges the current edition.
A thin edge over :mod:`boundaries.registers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boundaries.policy import PolicyError, PolicyPack
from boundaries.registers import acknowledgements as acks
from boundaries.registers import editions as eds
from boundaries.registers import quiz
from boundaries.registers.reminders import send_reminders
from boundaries.store import PolicyEdition, QuizQuestion
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
ManagesPolicy = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_POLICY))]
MAX_PACK_CHARS = 1_000_000  # the model policy is about 60,000 characters
Short = Annotated[str, Form(max_length=2_000)]
REMIND_AFTER_DAYS = 7
ESCALATE_AFTER_DAYS = 14


def _row_id(value: int) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _edition(db: Session, scope: SchoolScope, edition_id: int) -> PolicyEdition:
    edition = eds.edition_in_school(db, scope.school.id, _row_id(edition_id))
    if edition is None:
        raise NotFound()
    return edition


def _base(request: Request) -> tuple[PolicyPack, str]:
    packs = app_state(request).packs
    return packs.base, packs.base_text


@dataclass(frozen=True)
class Compared:
    """What an edition is compared with: a pack, and how to name it."""

    pack: PolicyPack
    label: str


def _compared_with(request: Request, db: Session, edition: PolicyEdition) -> Compared:
    before = eds.previous_published(db, edition)
    if before is not None:
        name = "the current edition" if edition.published_at is None else "the edition before"
        return Compared(eds.parse_edition(before), f"{name}, {eds.edition_label(before)}")
    base, _ = _base(request)
    return Compared(base, "the policy the school has worked to so far (the model policy)")


# -- the dashboard -----------------------------------------------------------------------------


@router.get("/schools/{school_id}/editions")
def dashboard(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    published: int = 0,
    reminded: int = -1,
    escalated: int = 0,
    failed: int = 0,
    not_due: int = 0,
) -> Response:
    _, base_text = _base(request)
    today = date.today()
    current = eds.ensure_current_edition(db, scope.school.id, base_text)
    db.commit()
    editions = eds.published_editions(db, scope.school.id)
    rounds = acks.all_rounds(db, editions, scope.school.id, today)
    return pages.render(
        request,
        "editions_dashboard.html",
        {
            "school": scope.school,
            "active": "editions",
            "current": current,
            "current_pack": eds.parse_edition(current),
            "round": rounds[0],
            "earlier": rounds[1:],
            "drafts": eds.draft_editions(db, scope.school.id),
            "questions": len(quiz.questions_for(db, current.id)),
            "published": published,
            "reminded": reminded,
            "escalated": escalated,
            "failed": failed,
            "not_due": not_due,
            "remind_after": REMIND_AFTER_DAYS,
            "escalate_after": ESCALATE_AFTER_DAYS,
        },
    )


@router.post("/schools/{school_id}/editions/remind")
def remind(request: Request, scope: ManagesPolicy, db: Db) -> Response:
    state = app_state(request)
    run = send_reminders(
        db,
        scope.school.id,
        state.mailer,
        date.today(),
        REMIND_AFTER_DAYS,
        ESCALATE_AFTER_DAYS,
        state.settings.base_url,
        base_text=state.packs.base_text,
    )
    db.commit()
    escalated = sum(len(names) for _, names in run.escalated)
    return _redirect(
        f"/schools/{scope.school.id}/editions?reminded={len(run.reminded)}"
        f"&escalated={escalated}&failed={len(run.failed)}&not_due={run.not_due}"
    )


# -- upload --------------------------------------------------------------------------------------


def _upload_page(
    request: Request,
    scope: SchoolScope,
    *,
    text: str = "",
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    return pages.render(
        request,
        "editions_upload.html",
        {
            "school": scope.school,
            "active": "editions",
            "text": text,
            "problems": problems or [],
            "max_chars": MAX_PACK_CHARS,
        },
        status,
    )


@router.get("/schools/{school_id}/editions/upload")
def upload_form(request: Request, scope: ManagesPolicy) -> Response:
    return _upload_page(request, scope)


async def _read_upload(file: UploadFile | None) -> tuple[str | None, str | None]:
    """The uploaded file's text, or a problem with it; (None, None) when no file was chosen."""
    if file is None or not file.filename:
        return None, None
    data = await file.read(MAX_PACK_CHARS * 4 + 1)
    if not data:
        return None, None
    if len(data) > MAX_PACK_CHARS * 4:
        return None, "The file is too large to be a policy pack."
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"The file is not UTF-8 text (byte {exc.start} is not valid)."


@dataclass(frozen=True)
class PackForm:
    text: str
    problem: str | None
    pasted: str


async def pack_form(
    file: Annotated[UploadFile | None, File()] = None,
    pasted: Annotated[str, Form(alias="text", max_length=MAX_PACK_CHARS)] = "",
) -> PackForm:
    """The pack from the form: the chosen file, else the pasted text."""
    from_file, problem = await _read_upload(file)
    return PackForm(from_file if from_file is not None else pasted, problem, pasted)


@router.post("/schools/{school_id}/editions/upload")
def upload(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    form: Annotated[PackForm, Depends(pack_form)],
) -> Response:
    if form.problem:
        return _upload_page(request, scope, text=form.pasted, problems=[form.problem], status=400)
    if not form.text.strip():
        return _upload_page(
            request,
            scope,
            problems=["Choose the pack's YAML file, or paste its text."],
            status=400,
        )
    _, base_text = _base(request)
    try:
        uploaded = eds.upload_edition(
            db, scope.school.id, form.text, scope.principal.person_id, base_text=base_text
        )
    except PolicyError as exc:
        return _upload_page(
            request,
            scope,
            text=form.pasted,
            problems=[str(problem) for problem in exc.problems],
            status=400,
        )
    except eds.EditionRefused as exc:
        return _upload_page(request, scope, text=form.pasted, problems=[str(exc)], status=409)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/editions/{uploaded.edition.id}?uploaded=1")


# -- one edition: its difference, publication and quiz ------------------------------------------


@router.get("/schools/{school_id}/editions/{edition_id}")
def edition_page(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    edition_id: int,
    uploaded: int = 0,
    refused: str = "",
) -> Response:
    edition = _edition(db, scope, edition_id)
    pack = eds.parse_edition(edition)
    compared = _compared_with(request, db, edition)
    current = eds.current_edition(db, scope.school.id)
    return pages.render(
        request,
        "editions_diff.html",
        {
            "school": scope.school,
            "active": "editions",
            "edition": edition,
            "label": eds.edition_label(edition),
            "pack": pack,
            "compared": compared,
            "diff": eds.diff_packs(compared.pack, pack),
            "warnings": eds.pack_warnings(pack),
            "is_current": current is not None and current.id == edition.id,
            "questions": len(quiz.questions_for(db, edition.id)),
            "uploaded": bool(uploaded),
            "refused": refused[:300],
        },
    )


@router.post("/schools/{school_id}/editions/{edition_id}/publish")
def publish(request: Request, scope: ManagesPolicy, db: Db, edition_id: int) -> Response:
    edition = _edition(db, scope, edition_id)
    try:
        eds.publish_edition(db, edition, scope.principal.person_id)
    except eds.EditionRefused:
        # Already published (a second click, another tab): show the edition as it is.
        return _redirect(f"/schools/{scope.school.id}/editions/{edition.id}")
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/editions?published={edition.id}")


def _quiz_page(
    request: Request,
    scope: SchoolScope,
    db: Session,
    edition: PolicyEdition,
    *,
    values: dict[str, Any] | None = None,
    problem: str = "",
    added: int = -1,
    status: int = 200,
) -> Response:
    pack = eds.parse_edition(edition)
    questions = quiz.questions_for(db, edition.id)
    return pages.render(
        request,
        "editions_quiz.html",
        {
            "school": scope.school,
            "active": "editions",
            "edition": edition,
            "label": eds.edition_label(edition),
            "pack": pack,
            "questions": [(q, quiz.choices_of(q)) for q in questions],
            "locked": quiz.quiz_locked(db, edition),
            "defaults": quiz.default_questions_for(pack),
            "values": values or {"choices": [""] * quiz.MAX_CHOICES},
            "problem": problem,
            "added": added,
            "pass_mark": round(quiz.PASS_MARK * 100),
            "max_choices": quiz.MAX_CHOICES,
        },
        status,
    )


@router.get("/schools/{school_id}/editions/{edition_id}/quiz")
def quiz_page(
    request: Request, scope: ManagesPolicy, db: Db, edition_id: int, added: int = -1
) -> Response:
    return _quiz_page(request, scope, db, _edition(db, scope, edition_id), added=added)


@router.post("/schools/{school_id}/editions/{edition_id}/quiz")
def add_question(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    edition_id: int,
    clause: Short = "",
    prompt: Short = "",
    choice: Annotated[list[str] | None, Form(max_length=quiz.MAX_CHOICES)] = None,
    correct: Annotated[int, Form(ge=-1, le=quiz.MAX_CHOICES)] = -1,
) -> Response:
    edition = _edition(db, scope, edition_id)
    raw = [c[:2_000] for c in (choice or [])[: quiz.MAX_CHOICES]]
    values = {
        "clause": clause,
        "prompt": prompt,
        "choices": raw + [""] * (quiz.MAX_CHOICES - len(raw)),
        "correct": correct,
    }
    # Blank answer boxes are left out; the right answer is counted among those filled in.
    filled = [c for c in raw if c.strip()]
    if not 0 <= correct < len(raw) or not raw[correct].strip():
        problem = "Say which of the answers you filled in is the right one."
        return _quiz_page(request, scope, db, edition, values=values, problem=problem, status=400)
    answer = sum(1 for c in raw[:correct] if c.strip())
    try:
        quiz.add_question(db, edition, clause, prompt, filled, answer)
    except (quiz.QuizProblem, eds.EditionRefused) as exc:
        return _quiz_page(request, scope, db, edition, values=values, problem=str(exc), status=400)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/editions/{edition.id}/quiz?added=1")


@router.post("/schools/{school_id}/editions/{edition_id}/quiz/defaults")
def add_default_questions(
    request: Request, scope: ManagesPolicy, db: Db, edition_id: int
) -> Response:
    edition = _edition(db, scope, edition_id)
    try:
        added = quiz.add_default_questions(db, edition)
    except eds.EditionRefused as exc:
        return _quiz_page(request, scope, db, edition, problem=str(exc), status=409)
    db.commit()
    return _redirect(f"/schools/{scope.school.id}/editions/{edition.id}/quiz?added={len(added)}")


@router.post("/schools/{school_id}/editions/{edition_id}/quiz/{question_id}/delete")
def delete_question(
    request: Request, scope: ManagesPolicy, db: Db, edition_id: int, question_id: int
) -> Response:
    edition = _edition(db, scope, edition_id)
    question = db.get(QuizQuestion, question_id) if 0 < question_id <= MAX_ROW_ID else None
    if question is not None and question.edition_id == edition.id:
        try:
            quiz.remove_question(db, edition, question)
        except eds.EditionRefused as exc:
            return _quiz_page(request, scope, db, edition, problem=str(exc), status=409)
        db.commit()
    return _redirect(f"/schools/{scope.school.id}/editions/{edition.id}/quiz")


# -- acknowledging the current edition (everyone) ------------------------------------------------


async def quiz_answers(request: Request) -> dict[int, int]:
    """The quiz answers on the form: fields ``q<question id>`` holding the chosen answer."""
    form = await request.form()
    answers: dict[int, int] = {}
    for key, value in form.multi_items():
        if key.startswith("q") and key[1:].isdigit() and isinstance(value, str):
            try:
                answers[int(key[1:])] = int(value)
            except ValueError:
                continue
    return answers


def _acknowledge_page(
    request: Request,
    scope: SchoolScope,
    db: Session,
    *,
    answers: dict[int, int] | None = None,
    result: quiz.QuizResult | None = None,
    notice: str = "",
    status: int = 200,
) -> Response:
    _, base_text = _base(request)
    today = date.today()
    edition = eds.ensure_current_edition(db, scope.school.id, base_text)
    db.commit()
    pack = app_state(request).pack_for(db, scope.school.id)
    before = eds.previous_published(db, edition)
    changes = eds.diff_packs(eds.parse_edition(before), pack).clauses if before else ()
    questions = quiz.questions_for(db, edition.id)
    return pages.render(
        request,
        "acknowledge_policy.html",
        {
            "school": scope.school,
            "active": "acknowledge",
            "edition": edition,
            "label": eds.edition_label(edition),
            "pack": pack,
            "changes": changes,
            "covered": acks.is_covered(db, scope.school.id, scope.principal.person_id, today),
            "record": acks.acknowledgement_of(db, edition.id, scope.principal.person_id),
            "questions": [(q, quiz.choices_of(q)) for q in questions],
            "answers": answers or {},
            "result": result,
            "pass_mark": round(quiz.PASS_MARK * 100),
            "notice": notice,
            "review_warning": pack.review_warning(today),
        },
        status,
    )


@router.get("/schools/{school_id}/acknowledge")
def acknowledge_page(request: Request, scope: UsesSchool, db: Db, done: int = 0) -> Response:
    notice = "Thank you: your acknowledgement has been recorded." if done else ""
    return _acknowledge_page(request, scope, db, notice=notice)


@router.post("/schools/{school_id}/acknowledge")
def acknowledge(
    request: Request,
    scope: UsesSchool,
    db: Db,
    answers: Annotated[dict[int, int], Depends(quiz_answers)],
    edition_id: Annotated[int, Form(ge=0)] = 0,
) -> Response:
    _, base_text = _base(request)
    edition = eds.ensure_current_edition(db, scope.school.id, base_text)
    db.commit()
    if edition_id and edition_id != edition.id:
        notice = (
            "A new edition of the policy was published while you were reading: please read "
            "this one and acknowledge it."
        )
        return _acknowledge_page(request, scope, db, notice=notice, status=409)
    try:
        acks.acknowledge(db, edition, scope.principal.person_id, answers)
        db.commit()
    except acks.NotCovered:
        # Trust officers may read the school's policy, but it does not ask them to acknowledge.
        return _redirect(f"/schools/{scope.school.id}/acknowledge")
    except acks.QuizNotPassed as exc:
        db.rollback()
        return _acknowledge_page(request, scope, db, answers=answers, result=exc.result)
    except IntegrityError:  # the same person, twice at once: the first is the record
        db.rollback()
    return _redirect(f"/schools/{scope.school.id}/acknowledge?done=1")
