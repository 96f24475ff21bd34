"""The optional quiz on an edition's key clauses: questions, a default set, marking.

When an edition has questions, acknowledging it needs a pass mark (:data:`PASS_MARK`) and the
score is recorded with the acknowledgement. Questions can be changed only until the first person
acknowledges the edition, so that everyone in a round answers the same quiz.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.policy import PolicyPack, load_pack
from boundaries.registers.editions import EditionRefused, parse_edition
from boundaries.store import Acknowledgement, PolicyEdition, QuizQuestion

PASS_MARK = 0.8  # the share of questions to answer correctly
MAX_CHOICES = 6


class QuizProblem(Exception):
    """A question that cannot be added as given; the message says why."""


@dataclass(frozen=True)
class DefaultQuestion:
    """A question written for the bundled model policy, on one of its key clauses."""

    clause_id: str
    prompt: str
    choices: tuple[str, ...]
    answer: int


# Written from the clause texts of the bundled pack (herefordshire-model.yaml). They are offered
# for an edition only where its clause still says what the model policy says.
DEFAULT_QUESTIONS: tuple[DefaultQuestion, ...] = (
    DefaultQuestion(
        "6.8",
        "A pupil who left the school last year, and is now 16, sends you a friend request. "
        "What does the policy say?",
        (
            "Accept it: they are no longer a pupil at the school.",
            "Do not accept it: the rule covers past pupils up to the age of 18.",
            "Accept it if your profile is private.",
            "Accept it, but do not send them messages.",
        ),
        1,
    ),
    DefaultQuestion(
        "6.15",
        "When may you post photographs of pupils on your own social media?",
        (
            "When the pupils' faces cannot be seen.",
            "When the parents have agreed.",
            "Under no circumstances.",
            "When the post is only visible to friends.",
        ),
        2,
    ),
    DefaultQuestion(
        "6.10",
        "Which of these may you put on your social networking site?",
        (
            "Confidential information about a colleague, if you do not name them.",
            "Confidential information about pupils, if it is shared with friends only.",
            "Confidential information about your employer, if it is already widely known.",
            "None of these: no confidential information about yourself, your employment, "
            "your employer, colleagues, pupils or members of the public.",
        ),
        3,
    ),
    DefaultQuestion(
        "7.5",
        "What must you keep a record of for your mobile phone?",
        (
            "Its IMEI number, and keep the phone secure on school premises.",
            "The names of everyone in your contacts.",
            "Its purchase price.",
            "Nothing: a personal phone is your own business.",
        ),
        0,
    ),
    DefaultQuestion(
        "11.6",
        "You are being bullied on social media. What does the policy encourage you to do?",
        (
            "Reply to the bully to put a stop to it.",
            "Deal with it yourself and tell nobody.",
            "Report it to your line manager or the headteacher, and not engage with it yourself.",
            "Delete all the messages straight away.",
        ),
        2,
    ),
)


def choices_of(question: QuizQuestion) -> list[str]:
    choices = json.loads(question.choices_json)
    return [str(choice) for choice in choices]


def questions_for(session: Session, edition_id: int) -> list[QuizQuestion]:
    """The edition's questions in the order they are asked."""
    return list(
        session.scalars(
            select(QuizQuestion)
            .where(QuizQuestion.edition_id == edition_id)
            .order_by(QuizQuestion.position, QuizQuestion.id)
        )
    )


def _acknowledged_by_anyone(session: Session, edition_id: int) -> bool:
    count = session.scalar(
        select(func.count(Acknowledgement.id)).where(Acknowledgement.edition_id == edition_id)
    )
    return bool(count)


def quiz_locked(session: Session, edition: PolicyEdition) -> bool:
    """Whether the quiz can no longer change: someone has acknowledged the edition already."""
    return _acknowledged_by_anyone(session, edition.id)


def _refuse_if_locked(session: Session, edition: PolicyEdition) -> None:
    if quiz_locked(session, edition):
        raise EditionRefused(
            "People have already acknowledged this edition, so its quiz can no longer change: "
            "everyone in a round answers the same questions."
        )


def add_question(
    session: Session,
    edition: PolicyEdition,
    clause_id: str,
    prompt: str,
    choices: Sequence[str],
    answer: int,
    pack: PolicyPack | None = None,
) -> QuizQuestion:
    """Add a multiple-choice question on one of the edition's clauses."""
    _refuse_if_locked(session, edition)
    pack = pack or parse_edition(edition)
    clause_id = clause_id.strip()
    try:
        pack.clause(clause_id)
    except KeyError:
        raise QuizProblem(f"This edition has no clause {clause_id or '(none given)'}.") from None
    prompt = " ".join(prompt.split())
    if not prompt:
        raise QuizProblem("Write the question.")
    cleaned = [" ".join(choice.split()) for choice in choices]
    if not all(cleaned):
        raise QuizProblem("Each answer to choose from needs some words.")
    if not 2 <= len(cleaned) <= MAX_CHOICES:
        raise QuizProblem(f"Give between 2 and {MAX_CHOICES} answers to choose from.")
    if len({choice.casefold() for choice in cleaned}) != len(cleaned):
        raise QuizProblem("Each answer to choose from must be different.")
    if not 0 <= answer < len(cleaned):
        raise QuizProblem("Say which of the answers is the right one.")
    position = session.scalar(
        select(func.coalesce(func.max(QuizQuestion.position), -1)).where(
            QuizQuestion.edition_id == edition.id
        )
    )
    question = QuizQuestion(
        edition_id=edition.id,
        clause_id=clause_id,
        prompt=prompt,
        choices_json=json.dumps(cleaned, ensure_ascii=False),
        answer=answer,
        position=int(position if position is not None else -1) + 1,
    )
    session.add(question)
    session.flush()
    return question


def remove_question(session: Session, edition: PolicyEdition, question: QuizQuestion) -> None:
    _refuse_if_locked(session, edition)
    session.delete(question)
    session.flush()


def default_questions_for(pack: PolicyPack) -> list[DefaultQuestion]:
    """The default questions that fit ``pack``: its clause says what the model policy's says."""
    model = load_pack()
    fitting = []
    for question in DEFAULT_QUESTIONS:
        try:
            theirs, ours = pack.clause(question.clause_id), model.clause(question.clause_id)
        except KeyError:
            continue
        if " ".join(theirs.text.split()) == " ".join(ours.text.split()):
            fitting.append(question)
    return fitting


def add_default_questions(session: Session, edition: PolicyEdition) -> list[QuizQuestion]:
    """Add the default questions that fit the edition and that it does not have yet."""
    _refuse_if_locked(session, edition)
    pack = parse_edition(edition)
    have = {(q.clause_id, q.prompt) for q in questions_for(session, edition.id)}
    added = []
    for question in default_questions_for(pack):
        if (question.clause_id, question.prompt) in have:
            continue
        added.append(
            add_question(
                session,
                edition,
                question.clause_id,
                question.prompt,
                question.choices,
                question.answer,
                pack=pack,
            )
        )
    return added


@dataclass(frozen=True)
class QuizResult:
    """How a person did: the share answered correctly, and whether that passes."""

    correct: int
    total: int
    wrong: tuple[int, ...]  # ids of the questions answered wrongly or not at all

    @property
    def score(self) -> float:
        return self.correct / self.total if self.total else 1.0

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def passed(self) -> bool:
        # Compared in whole answers so that 4 out of 5 passes an 80% mark despite rounding.
        return self.correct >= PASS_MARK * self.total - 1e-9


def grade(questions: Sequence[QuizQuestion], answers: Mapping[int, int]) -> QuizResult:
    """Mark ``answers`` (question id → index of the chosen answer)."""
    wrong = tuple(q.id for q in questions if answers.get(q.id) != q.answer)
    return QuizResult(len(questions) - len(wrong), len(questions), wrong)
