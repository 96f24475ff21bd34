"""Subject access: everything one school holds about one person, for a GDPR subject access
request (UK GDPR article 15).

The export is a ZIP with one JSON file per category (ISO 8601 dates, UTC timestamps), a PDF
summary a person can read, and a short note on what is in it. It covers the person's account
(which every school they work in shares) and what this school holds about them; what another
school holds is that school's to disclose, so it is left out.

Secrets are never exported: no password hash, no digest of a session, reset or API token; only
the names and dates that say a token or a password exists. Other people are not named either:
who decided a declaration is "the school", and an escalated reminder went to "your line
manager".
"""

from __future__ import annotations

import enum
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from boundaries.store import (
    Acknowledgement,
    AcknowledgementReminder,
    ApiToken,
    Credential,
    Declaration,
    DeclarationEvent,
    ExternalIdentity,
    Membership,
    NetworkDevice,
    PasswordReset,
    Person,
    PolicyEdition,
    SavedDraft,
    School,
    SignInAttempt,
    StaffDevice,
    StaffRecord,
    TrainingRecord,
    Trust,
    TrustRole,
    WebSession,
)

Record = dict[str, Any]


class NotInSchool(LookupError):
    """The person has no role in the school, so the school holds nothing to export for them."""


@dataclass(frozen=True)
class Category:
    """One kind of data: a JSON file in the ZIP and a section of the PDF."""

    key: str
    title: str
    description: str
    records: list[Record]

    @property
    def filename(self) -> str:
        return f"{self.key}.json"

    @property
    def columns(self) -> list[str]:
        """The fields, in order, of a category whose records are flat (shown as one table)."""
        seen: dict[str, None] = {}
        for record in self.records:
            seen.update(dict.fromkeys(record))
        return list(seen)

    @property
    def tabular(self) -> bool:
        """Whether the PDF shows the records as one table rather than one block each."""
        return len(self.columns) <= 5 and not any(
            isinstance(value, list) for record in self.records for value in record.values()
        )


@dataclass(frozen=True)
class SubjectAccessExport:
    person_id: int
    person_name: str
    person_email: str
    school_name: str
    school_urn: str
    generated_at: datetime
    categories: tuple[Category, ...]


# -- collecting ----------------------------------------------------------------------------------


def _value(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj: object, fields: Sequence[str], **extra: object) -> Record:
    record: Record = {name: _value(getattr(obj, name)) for name in fields}
    record.update({name: _value(value) for name, value in extra.items()})
    return record


def collect(session: Session, school_id: int, person_id: int, now: datetime) -> SubjectAccessExport:
    """Everything the school and the person's account hold about the person.

    Raises :class:`NotInSchool` when the person has no membership in the school (or either
    does not exist).
    """
    school = session.get(School, school_id)
    person = session.get(Person, person_id)
    if school is None or person is None:
        raise NotInSchool(f"no person {person_id} in school {school_id}")
    memberships = session.scalars(
        select(Membership)
        .where(Membership.person_id == person_id, Membership.school_id == school_id)
        .order_by(Membership.role)
    ).all()
    if not memberships:
        raise NotInSchool(f"no person {person_id} in school {school_id}")
    trust_name = session.scalars(select(Trust.name).where(Trust.id == school.trust_id)).one()

    def rows(
        statement: Any, fields: Sequence[str], **extra: Callable[[Any], object]
    ) -> list[Record]:
        return [
            _row(obj, fields, **{name: make(obj) for name, make in extra.items()})
            for obj in session.scalars(statement)
        ]

    credential = session.get(Credential, person_id)
    categories: list[Category] = [
        Category(
            "person",
            "About you",
            "Your name, e-mail address and kind of account; when your password was last set "
            "(never the password itself).",
            [
                _row(
                    person,
                    ("id", "name", "email", "kind", "created_at", "disabled_at"),
                    has_password=credential is not None,
                    password_changed_at=credential.changed_at if credential else None,
                )
            ],
        ),
        Category(
            "memberships",
            "Roles in the school",
            f"The roles you hold in {school.name}.",
            [_row(m, ("role", "created_at"), school=school.name) for m in memberships],
        ),
        Category(
            "trust_roles",
            "Roles across the trust",
            f"Roles you hold across {trust_name}, which reach every school in it.",
            rows(
                select(TrustRole)
                .where(TrustRole.person_id == person_id, TrustRole.trust_id == school.trust_id)
                .order_by(TrustRole.id),
                ("role", "created_at"),
                trust=lambda _r: trust_name,
            ),
        ),
        Category(
            "staff_records",
            "Staff record",
            "Your employment record as imported from the school's management information system.",
            rows(
                select(StaffRecord)
                .where(StaffRecord.person_id == person_id, StaffRecord.school_id == school_id)
                .order_by(StaffRecord.id),
                (
                    "mis_id",
                    "staff_code",
                    "job_title",
                    "start_date",
                    "leaving_date",
                    "created_at",
                    "updated_at",
                ),
            ),
        ),
        Category(
            "acknowledgements",
            "Policy acknowledgements",
            "Each edition of the school's policy you acknowledged, with any quiz score.",
            _acknowledgements(session, school_id, person_id),
        ),
        Category(
            "acknowledgement_reminders",
            "Reminders to acknowledge the policy",
            "E-mails sent about an edition you had not yet acknowledged: to you, or escalated "
            "to your line manager.",
            _reminders(session, school_id, person),
        ),
        Category(
            "declarations",
            "Declarations",
            "Relationships you declared (policy 6.18, 8.8, 9.2), with every step of their history.",
            _declarations(session, school_id, person_id),
        ),
        Category(
            "devices",
            "Devices",
            "Phones recorded for you on the device register (policy 7.5).",
            rows(
                select(StaffDevice)
                .where(StaffDevice.person_id == person_id, StaffDevice.school_id == school_id)
                .order_by(StaffDevice.id),
                ("imei", "make", "model", "phone_number", "status", "status_date", "created_at"),
            ),
        ),
        Category(
            "network_devices",
            "Network devices",
            "School computers and other devices on the network recorded as yours.",
            rows(
                select(NetworkDevice)
                .where(NetworkDevice.person_id == person_id, NetworkDevice.school_id == school_id)
                .order_by(NetworkDevice.id),
                ("hostname", "mac", "ip", "kind", "location", "created_at", "updated_at"),
            ),
        ),
        Category(
            "training",
            "Training",
            "Training set for you and done by you (policy section 13).",
            rows(
                select(TrainingRecord)
                .where(TrainingRecord.person_id == person_id, TrainingRecord.school_id == school_id)
                .order_by(TrainingRecord.id),
                ("course", "kind", "due_date", "completed_on", "notes", "created_at"),
            ),
        ),
        Category(
            "saved_drafts",
            "Saved drafts",
            "Drafts you chose to keep after checking them, with the verdict they had then.",
            rows(
                select(SavedDraft)
                .where(SavedDraft.person_id == person_id, SavedDraft.school_id == school_id)
                .order_by(SavedDraft.created_at, SavedDraft.id),
                ("text", "verdict", "created_at"),
            ),
        ),
        Category(
            "policy_editions",
            "Policy editions you uploaded or published",
            "Editions of the school's policy that you uploaded or published.",
            _editions(session, school_id, person_id),
        ),
        Category(
            "sign_in_attempts",
            "Sign-in attempts",
            "Attempts to sign in with your e-mail address, with the address they came from.",
            rows(
                select(SignInAttempt)
                .where(SignInAttempt.email == person.email)
                .order_by(SignInAttempt.at, SignInAttempt.id),
                ("at", "client", "succeeded"),
            ),
        ),
        Category(
            "sessions",
            "Signed-in sessions",
            "Your sessions in the web app (never the session token).",
            rows(
                select(WebSession)
                .where(WebSession.person_id == person_id)
                .order_by(WebSession.created_at),
                ("created_at", "last_seen_at", "expires_at", "method"),
            ),
        ),
        Category(
            "password_resets",
            "Password resets",
            "Password reset links sent to you (never the link itself).",
            rows(
                select(PasswordReset)
                .where(PasswordReset.person_id == person_id)
                .order_by(PasswordReset.created_at),
                ("created_at", "expires_at", "used_at"),
            ),
        ),
        Category(
            "api_tokens",
            "API tokens",
            "Personal tokens for the JSON API: their names and dates (never the token).",
            rows(
                select(ApiToken).where(ApiToken.person_id == person_id).order_by(ApiToken.id),
                ("name", "created_at", "last_used_at", "revoked_at"),
            ),
        ),
        Category(
            "external_identities",
            "Single sign-on identities",
            "Accounts with an identity provider (such as Microsoft or Google) linked to yours.",
            rows(
                select(ExternalIdentity)
                .where(ExternalIdentity.person_id == person_id)
                .order_by(ExternalIdentity.id),
                ("issuer", "subject", "created_at"),
            ),
        ),
    ]
    return SubjectAccessExport(
        person_id=person.id,
        person_name=person.name,
        person_email=person.email,
        school_name=school.name,
        school_urn=school.urn,
        generated_at=now,
        categories=tuple(categories),
    )


def _acknowledgements(session: Session, school_id: int, person_id: int) -> list[Record]:
    found = session.execute(
        select(Acknowledgement, PolicyEdition.version, PolicyEdition.published_at)
        .join(PolicyEdition, PolicyEdition.id == Acknowledgement.edition_id)
        .where(Acknowledgement.person_id == person_id, PolicyEdition.school_id == school_id)
        .order_by(Acknowledgement.acknowledged_at)
    ).all()
    return [
        _row(
            ack,
            ("acknowledged_at", "quiz_score"),
            edition=version,
            edition_published_at=published_at,
        )
        for ack, version, published_at in found
    ]


def _reminders(session: Session, school_id: int, person: Person) -> list[Record]:
    found = session.execute(
        select(AcknowledgementReminder, PolicyEdition.version)
        .join(PolicyEdition, PolicyEdition.id == AcknowledgementReminder.edition_id)
        .where(AcknowledgementReminder.person_id == person.id, PolicyEdition.school_id == school_id)
        .order_by(AcknowledgementReminder.sent_at)
    ).all()
    return [
        _row(
            reminder,
            ("kind", "sent_at"),
            edition=version,
            # An escalation goes to someone else, whose address is theirs, not the subject's.
            sent_to=person.email
            if reminder.sent_to.strip().lower() == person.email
            else "your line manager",
        )
        for reminder, version in found
    ]


def _declarations(session: Session, school_id: int, person_id: int) -> list[Record]:
    declarations = session.scalars(
        select(Declaration)
        .where(Declaration.person_id == person_id, Declaration.school_id == school_id)
        .order_by(Declaration.created_at, Declaration.id)
    ).all()
    events: dict[int, list[Record]] = {}
    if declarations:
        for event in session.scalars(
            select(DeclarationEvent)
            .where(DeclarationEvent.declaration_id.in_([d.id for d in declarations]))
            .order_by(DeclarationEvent.at, DeclarationEvent.id)
        ):
            events.setdefault(event.declaration_id, []).append(
                _row(
                    event,
                    ("action", "status", "note", "at"),
                    by="you" if event.actor_id == person_id else "the school",
                )
            )
    return [
        _row(
            d,
            (
                "subject",
                "subject_name",
                "platform",
                "nature",
                "since",
                "reason",
                "status",
                "created_at",
                "updated_at",
            ),
            history=events.get(d.id, []),
        )
        for d in declarations
    ]


def _editions(session: Session, school_id: int, person_id: int) -> list[Record]:
    editions = session.scalars(
        select(PolicyEdition)
        .where(
            PolicyEdition.school_id == school_id,
            or_(
                PolicyEdition.uploaded_by_id == person_id,
                PolicyEdition.published_by_id == person_id,
            ),
        )
        .order_by(PolicyEdition.uploaded_at, PolicyEdition.id)
    ).all()
    return [
        _row(
            edition,
            ("version",),
            uploaded_at=edition.uploaded_at if edition.uploaded_by_id == person_id else None,
            published_at=edition.published_at if edition.published_by_id == person_id else None,
        )
        for edition in editions
    ]


# -- writing -------------------------------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def category_json(export: SubjectAccessExport, category: Category) -> str:
    document = {
        "category": category.key,
        "title": category.title,
        "description": category.description,
        "person_id": export.person_id,
        "school": {"name": export.school_name, "urn": export.school_urn},
        "generated_at": export.generated_at,
        "records": category.records,
    }
    return json.dumps(document, default=_json_default, ensure_ascii=False, indent=2) + "\n"


def readme(export: SubjectAccessExport) -> str:
    lines = [
        f"Subject access export for {export.person_name} <{export.person_email}>",
        f"from {export.school_name} (URN {export.school_urn}),",
        f"made {export.generated_at.astimezone(UTC).isoformat()}.",
        "",
        "summary.pdf is a readable copy of everything below.",
        "Each JSON file holds one category; dates are ISO 8601 and times are in UTC.",
        "",
    ]
    lines += [
        f"{c.filename}: {c.title} ({len(c.records)} record{'s' if len(c.records) != 1 else ''})"
        for c in export.categories
    ]
    return "\n".join(lines) + "\n"


def to_zip(export: SubjectAccessExport, summary_pdf: bytes) -> bytes:
    """The ZIP: README.txt, summary.pdf and one JSON file per category."""
    stamp = export.generated_at.astimezone(UTC)
    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("README.txt", readme(export).encode("utf-8"))
        add("summary.pdf", summary_pdf)
        for category in export.categories:
            add(category.filename, category_json(export, category).encode("utf-8"))
    return buffer.getvalue()


def zip_filename(export: SubjectAccessExport) -> str:
    return f"subject-access-person-{export.person_id}-{export.generated_at.date().isoformat()}.zip"


def subject_access_zip(session: Session, school_id: int, person_id: int, now: datetime) -> bytes:
    """Collect and write the whole export (JSON files and the PDF summary) in one go."""
    from boundaries.reports.pdf import subject_access_pdf

    export = collect(session, school_id, person_id, now)
    return to_zip(export, subject_access_pdf(export))
