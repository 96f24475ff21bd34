"""The connections audit: one export checked against one school's roster (6.8, 9.1, 6.18).

The export is read in memory (:func:`boundaries.connections.read_export`), every connection is
matched (:mod:`boundaries.connections.matching`) and each match becomes a :class:`Finding` with
what it means under the policy and what to do next. Nothing here writes anything anywhere: the
report lives as long as the caller keeps it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from boundaries.connections.matching import (
    STATUS_LABELS,
    Candidate,
    PupilStatus,
    Roster,
    RosterIndex,
    RosterParent,
    RosterPupil,
    folded_name,
    match_connection,
)
from boundaries.connections.model import Connection, ConnectionKind, ExportReading, Platform
from boundaries.connections.names import tokens


class Outcome(StrEnum):
    """What a match means under the policy, most pressing first."""

    NOT_DECLARED = "not_declared"  # a pupil in scope, no declaration: act on it (6.8, 9.1)
    NOT_ACCEPTED = "not_accepted"  # declared, and the headteacher did not accept it
    DECLARED = "declared"  # declared: accepted, with conditions, or awaiting a decision
    CAUTION = "caution"  # a parent or carer at the school (6.18)
    OUT_OF_SCOPE = "out_of_scope"  # left and 18 or over: the no-contact rule no longer applies


OUTCOME_LABELS = {
    Outcome.NOT_DECLARED: "Pupil: not declared",
    Outcome.NOT_ACCEPTED: "Declared, not accepted",
    Outcome.DECLARED: "Declared",
    Outcome.CAUTION: "Caution: parent or carer",
    Outcome.OUT_OF_SCOPE: "Out of scope",
}
_ORDER = {outcome: rank for rank, outcome in enumerate(Outcome)}

PLATFORM_LABELS = {
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.X: "X (Twitter)",
    Platform.LINKEDIN: "LinkedIn",
    Platform.TIKTOK: "TikTok",
    Platform.SNAPCHAT: "Snapchat",
}
KIND_LABELS = {
    ConnectionKind.FRIEND: "friend",
    ConnectionKind.FOLLOWER: "follows you",
    ConnectionKind.FOLLOWING: "you follow them",
    ConnectionKind.REQUEST_SENT: "friend request you sent",
    ConnectionKind.REQUEST_RECEIVED: "friend request you received",
    ConnectionKind.CONNECTION: "connection",
}
_REMOVE = {
    ConnectionKind.FRIEND: "Remove them as a friend on {platform}.",
    ConnectionKind.FOLLOWER: "Remove them from your followers on {platform} (or block them).",
    ConnectionKind.FOLLOWING: "Unfollow them on {platform}.",
    ConnectionKind.REQUEST_SENT: "Cancel the friend request you sent on {platform}.",
    ConnectionKind.REQUEST_RECEIVED: "Decline the friend request on {platform}; do not accept it.",
    ConnectionKind.CONNECTION: "Remove the connection on {platform}.",
}
DECLARATION_LABELS = {
    "pending": "awaiting a decision",
    "accepted": "accepted",
    "accepted_with_conditions": "accepted with conditions",
    "not_accepted": "not accepted",
}


@dataclass(frozen=True)
class Declared:
    """What the member of staff has declared (9.2), as the audit needs it: by roster id, and by
    name for a person declared by name or when the roster comes from a file."""

    pupil_ids: dict[int, str] = field(default_factory=dict)  # pupil id -> declaration status
    contact_ids: dict[int, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # folded name -> status
    # The platforms each declaration names, by "pupil:12", "contact:7" or "name:amy smith".
    platforms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_names(cls, names: Iterable[str], status: str = "pending") -> Declared:
        return cls(names={folded_name(n): status for n in names if folded_name(n)})

    def _keys(self, person: RosterPupil | RosterParent) -> list[tuple[str, str | None]]:
        """Where a declaration for ``person`` would be found, most certain first."""
        if isinstance(person, RosterPupil):
            keys: list[tuple[str, str | None]] = []
            if person.pupil_id is not None:
                keys.append((f"pupil:{person.pupil_id}", self.pupil_ids.get(person.pupil_id)))
            names = [f"{person.legal_forename} {person.surname}"]
            if person.preferred_forename:
                names.append(f"{person.preferred_forename} {person.surname}")
        else:
            keys = []
            if person.contact_id is not None:
                keys.append(
                    (f"contact:{person.contact_id}", self.contact_ids.get(person.contact_id))
                )
            names = [person.name]
        keys += [(f"name:{folded_name(n)}", self.names.get(folded_name(n))) for n in names]
        return keys

    def status_for(self, person: RosterPupil | RosterParent) -> str | None:
        """The status of the person's declaration, if they have been declared."""
        return next((status for _, status in self._keys(person) if status is not None), None)

    def platforms_for(self, person: RosterPupil | RosterParent) -> frozenset[str]:
        """The platforms the person's declaration names (empty when not known)."""
        for key, status in self._keys(person):
            if status is not None:
                return self.platforms.get(key, frozenset())
        return frozenset()


@dataclass(frozen=True)
class Finding:
    """One connection that seems to be someone at the school, and what to do about it."""

    connection: Connection
    candidate: Candidate
    outcome: Outcome
    status: PupilStatus | None  # pupils only
    declaration: str | None  # the declaration's status, if declared
    next_steps: tuple[str, ...]

    @property
    def person_name(self) -> str:
        return self.candidate.person.name

    @property
    def search_name(self) -> str:
        """The name to search the school's list with (on the declarations form)."""
        person = self.candidate.person
        if isinstance(person, RosterPupil):
            return f"{person.preferred_forename or person.legal_forename} {person.surname}"
        return person.name

    @property
    def status_label(self) -> str:
        if self.status is None:
            person = self.candidate.person
            children = getattr(person, "children", ())
            return "parent or carer" + (f" of {', '.join(children)}" if children else "")
        return STATUS_LABELS[self.status]

    @property
    def strength(self) -> str:
        return "strong match" if self.candidate.strong else "possible match"

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.connection.platform.value,
            "kind": self.connection.kind.value,
            "connection_name": self.connection.name,
            "connection_handle": self.connection.handle,
            "matched": self.candidate.kind.value,
            "person": self.person_name,
            "score": self.candidate.score,
            "strength": self.strength,
            "reason": self.candidate.reason,
            "status": self.status.value if self.status else None,
            "status_label": self.status_label,
            "outcome": self.outcome.value,
            "outcome_label": OUTCOME_LABELS[self.outcome],
            "declaration": self.declaration,
            "next_steps": list(self.next_steps),
        }


@dataclass
class AuditReport:
    """Everything the member of staff sees about one export."""

    filename: str
    platforms: list[Platform]
    connections_checked: int
    findings: list[Finding]
    unmatchable: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.findings if f.outcome is outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome.value: self.count(outcome) for outcome in Outcome}

    @property
    def needs_action(self) -> bool:
        return bool(self.count(Outcome.NOT_DECLARED) or self.count(Outcome.NOT_ACCEPTED))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "platforms": [p.value for p in self.platforms],
            "connections_checked": self.connections_checked,
            "counts": self.counts,
            "unmatchable": self.unmatchable,
            "findings": [f.as_dict() for f in self.findings],
            "problems": [{"file": f, "message": m} for f, m in self.problems],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }


def _next_steps(
    connection: Connection, candidate: Candidate, outcome: Outcome, declaration: str | None
) -> tuple[str, ...]:
    platform = PLATFORM_LABELS.get(connection.platform, str(connection.platform))
    unsure = (
        ()
        if candidate.strong
        else (
            f"First check whether this really is {candidate.person.name}: if it is not, nothing "
            "needs doing.",
        )
    )
    if outcome is Outcome.NOT_DECLARED:
        return (
            *unsure,
            _REMOVE[connection.kind].format(platform=platform),
            "If there is a reason for the connection (a relative, a family friend), declare it "
            "so that the headteacher can decide on it (9.2).",
        )
    if outcome is Outcome.NOT_ACCEPTED:
        return (
            *unsure,
            "Your declaration was not accepted: "
            + _REMOVE[connection.kind].format(platform=platform),
        )
    if outcome is Outcome.DECLARED:
        label = DECLARATION_LABELS.get(declaration or "", declaration or "")
        return (f"Already declared ({label}): keep to any conditions; nothing more to do now.",)
    if outcome is Outcome.CAUTION:
        return (
            "Connections with parents are allowed, with care (6.18): keep what you share "
            "professional and do not discuss pupils or the school.",
        )
    return ("They have left and are 18 or over: the policy's no-contact rule no longer applies.",)


def _finding(
    connection: Connection, candidate: Candidate, declared: Declared, today: date
) -> Finding:
    person = candidate.person
    declaration = declared.status_for(person)
    status: PupilStatus | None = None
    if isinstance(person, RosterPupil):
        status = person.status(today)
        if status is PupilStatus.OUT_OF_SCOPE:
            outcome = Outcome.OUT_OF_SCOPE
        elif declaration == "not_accepted":
            outcome = Outcome.NOT_ACCEPTED
        elif declaration is not None:
            outcome = Outcome.DECLARED
        else:
            outcome = Outcome.NOT_DECLARED
    else:
        outcome = Outcome.DECLARED if declaration not in (None, "not_accepted") else Outcome.CAUTION
    steps = _next_steps(connection, candidate, outcome, declaration)
    named = declared.platforms_for(person)
    platform = PLATFORM_LABELS.get(connection.platform, str(connection.platform))
    if declaration is not None and named and not _same_platform(platform, named):
        steps += (
            f"Your declaration names {', '.join(sorted(named))}, not {platform}: amend it if "
            f"the relationship carries on there too.",
        )
    return Finding(connection, candidate, outcome, status, declaration, steps)


def _same_platform(platform: str, named: frozenset[str]) -> bool:
    # "X (Twitter)" is declared as "Twitter" or "X"; compare the words, not the whole label.
    words = set(tokens(platform))
    return any(words & set(tokens(text)) for text in named)


def audit_reading(
    reading: ExportReading,
    index: RosterIndex,
    declared: Declared | None = None,
    *,
    filename: str = "",
) -> AuditReport:
    """Every connection read from an export, matched; the findings most pressing first."""
    declared = declared or Declared()
    findings = [
        _finding(connection, candidate, declared, index.today)
        for connection in reading.connections
        for candidate in match_connection(index, connection)
    ]
    findings.sort(
        key=lambda f: (_ORDER[f.outcome], -f.candidate.score, f.person_name, f.connection.name)
    )
    return AuditReport(
        filename=filename,
        platforms=list(reading.platforms),
        connections_checked=len(reading.connections),
        findings=findings,
        unmatchable=dict(reading.unmatchable),
        problems=[(p.file, p.message) for p in reading.problems],
        notes=list(reading.notes),
    )


def audit_export(
    data: bytes | BinaryIO | Path,
    filename: str,
    roster: Roster | RosterIndex,
    today: date,
    declared: Declared | None = None,
) -> AuditReport:
    """Read an export and audit it; raises ``ExportError`` when nothing in it can be read."""
    from boundaries.connections.exports import read_export

    started = time.perf_counter()
    reading = read_export(data, filename)
    index = roster if isinstance(roster, RosterIndex) else RosterIndex(roster, today)
    report = audit_reading(reading, index, declared, filename=filename)
    report.seconds = time.perf_counter() - started
    return report
