"""Who may use the policy editions and acknowledgement routes (2.2).

Leaders who manage the policy (headteacher, HR; the trust's administrators and HR) upload,
compare, publish, set quizzes and send reminders; everyone who uses the school acknowledges.
"""

from __future__ import annotations

from typing import Any

from boundaries.registers.editions import base_pack_text, upload_edition
from boundaries.registers.quiz import add_question
from boundaries.store import PolicyEdition
from tests.authz import USES_MEADOWBANK, Rule

MANAGES_MEADOWBANK_POLICY = frozenset({"headteacher", "hr", "trust_admin", "trust_hr"})


class _Outbox:
    """Keeps the reminders the matrix sends, rather than writing them to data/outbox."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def _edition_ids(site: Any) -> dict[str, int]:
    """Two uploaded editions of Meadowbank's policy, made once per site: one for the publish
    route, one whose quiz the quiz routes change (never published, so that acknowledging the
    current edition needs no quiz)."""
    made: dict[str, int] | None = getattr(site, "_policy_editions", None)
    if made is not None:
        return made
    text = base_pack_text()
    made = {}
    with site.state.sessions() as session:
        for name in ("publish", "quiz"):
            edition = upload_edition(
                session,
                site.world.meadowbank,
                text.replace("version: null", f'version: "authz-{name}"', 1),
                base_text=text,
            ).edition
            made[name] = edition.id
        session.commit()
    site._policy_editions = made
    return made


def _to_publish(site: Any) -> dict[str, object]:
    return {"edition_id": _edition_ids(site)["publish"]}


def _quizzed(site: Any) -> dict[str, object]:
    return {"edition_id": _edition_ids(site)["quiz"]}


def _a_question(site: Any) -> dict[str, object]:
    edition_id = _edition_ids(site)["quiz"]
    with site.state.sessions() as session:
        edition = session.get(PolicyEdition, edition_id)
        question = add_question(
            session, edition, "6.15", "May you post photographs of pupils?", ["Yes", "No"], 1
        )
        session.commit()
        return {"edition_id": edition_id, "question_id": question.id}


def _quiet_mailer(site: Any) -> dict[str, object]:
    if not isinstance(site.state.mailer, _Outbox):
        site.state.mailer = _Outbox()
    return {}


ROUTES: dict[str, Rule] = {
    "GET /schools/{school_id}/editions": Rule(MANAGES_MEADOWBANK_POLICY, frozenset({200})),
    "POST /schools/{school_id}/editions/remind": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({303}), params=_quiet_mailer
    ),
    "GET /schools/{school_id}/editions/upload": Rule(MANAGES_MEADOWBANK_POLICY, frozenset({200})),
    # Nothing chosen or pasted: the form is shown again with the problem.
    "POST /schools/{school_id}/editions/upload": Rule(MANAGES_MEADOWBANK_POLICY, frozenset({400})),
    "GET /schools/{school_id}/editions/{edition_id}": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({200}), params=_to_publish
    ),
    # The first publishes; later ones find it published and show the edition.
    "POST /schools/{school_id}/editions/{edition_id}/publish": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({303}), params=_to_publish
    ),
    "GET /schools/{school_id}/editions/{edition_id}/quiz": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({200}), params=_quizzed
    ),
    # One answer to choose from is too few: the form is shown again with the problem.
    "POST /schools/{school_id}/editions/{edition_id}/quiz": Rule(
        MANAGES_MEADOWBANK_POLICY,
        frozenset({400}),
        form={"clause": "6.8", "prompt": "Who may you friend?", "choice": "Nobody", "correct": "0"},
        params=_quizzed,
    ),
    "POST /schools/{school_id}/editions/{edition_id}/quiz/defaults": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({303}), params=_quizzed
    ),
    "POST /schools/{school_id}/editions/{edition_id}/quiz/{question_id}/delete": Rule(
        MANAGES_MEADOWBANK_POLICY, frozenset({303}), params=_a_question
    ),
    "GET /schools/{school_id}/acknowledge": Rule(USES_MEADOWBANK, frozenset({200})),
    # Members are recorded; trust officers (no role in the school) are sent back to the page.
    "POST /schools/{school_id}/acknowledge": Rule(USES_MEADOWBANK, frozenset({303})),
}
