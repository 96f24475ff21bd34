"""Sharing an audit's summary with the headteacher, only when the member of staff chooses to.

Nothing of an audit is kept on the server: the results page carries the summary (counts, and
the matched pupils' names and status) in a sealed form field, signed with the app's key and
bound to the school, the person and the time. Pressing "share" sends it back; only then is it
stored (:class:`~boundaries.store.ConnectionSummary`). The seal stops anyone from sharing a
summary in someone else's name, or one they made up, or one from long ago.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.connections.audit import PLATFORM_LABELS, AuditReport, Outcome
from boundaries.connections.matching import RosterPupil
from boundaries.store import ConnectionSummary, ConnectionSummaryPupil

SEAL_LIFETIME = 2 * 60 * 60  # seconds: long enough to read the results and decide
MAX_NOTE = 2000
_PURPOSE = b"connections-summary|"


class InvalidSummary(ValueError):
    """A summary that cannot be shared (altered, someone else's, or too old); says why."""


@dataclass(frozen=True)
class SummaryPupil:
    name: str
    status: str
    outcome: str
    strength: str
    pupil_id: int | None = None


@dataclass(frozen=True)
class Summary:
    """What may be shared: counts and pupils' names and status, never the connections."""

    platforms: list[str]
    connections_checked: int
    counts: dict[str, int]
    unmatchable: int
    pupils: list[SummaryPupil] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        return cls(
            platforms=[str(p) for p in data["platforms"]],
            connections_checked=int(data["connections_checked"]),
            counts={str(k): int(v) for k, v in data["counts"].items()},
            unmatchable=int(data["unmatchable"]),
            pupils=[SummaryPupil(**p) for p in data["pupils"]],
        )


def summarise(report: AuditReport) -> Summary:
    """The shareable part of a report: one line per pupil matched (parents only counted)."""
    pupils: dict[str, SummaryPupil] = {}
    for finding in report.findings:
        person = finding.candidate.person
        if not isinstance(person, RosterPupil) or finding.status is None:
            continue
        if person.key in pupils:
            continue  # the same pupil on two platforms or lists: named once, most pressing
        pupils[person.key] = SummaryPupil(
            name=person.name,
            status=finding.status.value,
            outcome=finding.outcome.value,
            strength="strong" if finding.candidate.strong else "possible",
            pupil_id=person.pupil_id,
        )
    return Summary(
        platforms=[PLATFORM_LABELS.get(p, str(p)) for p in report.platforms],
        connections_checked=report.connections_checked,
        counts=report.counts,
        unmatchable=sum(report.unmatchable.values()),
        pupils=list(pupils.values()),
    )


def _mac(key: bytes, body: bytes, school_id: int, person_id: int) -> str:
    bound = _PURPOSE + f"{school_id}|{person_id}|".encode() + body
    return hmac.new(key, bound, hashlib.sha256).hexdigest()


def seal(
    summary: Summary, key: bytes, school_id: int, person_id: int, now: float | None = None
) -> str:
    """The summary as a form value only this person, in this school, can share back."""
    payload = {"at": int(now if now is not None else time.time()), "summary": summary.as_dict()}
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
    return body.decode() + "." + _mac(key, body, school_id, person_id)


def unseal(
    token: str, key: bytes, school_id: int, person_id: int, now: float | None = None
) -> Summary:
    """The summary sealed in ``token``; raises :class:`InvalidSummary` if it cannot be used."""
    body, _, mac = token.strip().rpartition(".")
    expected = _mac(key, body.encode(), school_id, person_id)
    if not body or not hmac.compare_digest(mac.encode(), expected.encode()):
        raise InvalidSummary("This summary cannot be shared: audit your export again.")
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode()))
        summary = Summary.from_dict(payload["summary"])
        made = int(payload["at"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidSummary("This summary cannot be read: audit your export again.") from exc
    current = now if now is not None else time.time()
    if not made <= current + 60 or current - made > SEAL_LIFETIME:
        raise InvalidSummary(
            "These results are more than two hours old: audit your export again to share them."
        )
    return summary


def share(
    session: Session,
    school_id: int,
    person_id: int | None,
    person_name: str,
    summary: Summary,
    note: str = "",
) -> ConnectionSummary:
    """Store a summary the member of staff chose to share; the caller commits."""
    text = note.strip()
    if len(text) > MAX_NOTE:
        raise InvalidSummary(f"The note must be {MAX_NOTE:,} characters or fewer.")
    row = ConnectionSummary(
        school_id=school_id,
        person_id=person_id,
        person_name=person_name[:200],
        platforms=", ".join(summary.platforms)[:200],
        connections_checked=summary.connections_checked,
        not_declared=summary.counts.get(Outcome.NOT_DECLARED.value, 0),
        not_accepted=summary.counts.get(Outcome.NOT_ACCEPTED.value, 0),
        declared=summary.counts.get(Outcome.DECLARED.value, 0),
        caution=summary.counts.get(Outcome.CAUTION.value, 0),
        out_of_scope=summary.counts.get(Outcome.OUT_OF_SCOPE.value, 0),
        unmatchable=summary.unmatchable,
        note=text or None,
    )
    session.add(row)
    session.flush()
    for pupil in summary.pupils:
        session.add(
            ConnectionSummaryPupil(
                summary_id=row.id,
                pupil_id=pupil.pupil_id,
                name=pupil.name[:200],
                status=pupil.status[:32],
                outcome=pupil.outcome[:32],
                strength=pupil.strength[:32],
            )
        )
    session.flush()
    return row


@dataclass(frozen=True)
class SharedSummary:
    summary: ConnectionSummary
    pupils: list[ConnectionSummaryPupil]


def shared_summaries(session: Session, school_id: int) -> list[SharedSummary]:
    """Summaries shared in one school, newest first, each with its pupils."""
    rows = list(
        session.scalars(
            select(ConnectionSummary)
            .where(ConnectionSummary.school_id == school_id)
            .order_by(ConnectionSummary.shared_at.desc(), ConnectionSummary.id.desc())
        )
    )
    pupils: dict[int, list[ConnectionSummaryPupil]] = {row.id: [] for row in rows}
    if rows:
        for pupil in session.scalars(
            select(ConnectionSummaryPupil)
            .where(ConnectionSummaryPupil.summary_id.in_(list(pupils)))
            .order_by(ConnectionSummaryPupil.id)
        ):
            pupils[pupil.summary_id].append(pupil)
    return [SharedSummary(row, pupils[row.id]) for row in rows]
