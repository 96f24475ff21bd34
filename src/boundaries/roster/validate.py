"""Checking every row: required fields, dates, UPNs, year groups, e-mail addresses, duplicates.

Each check adds a :class:`RowError` naming the row and the column, and goes on, so that one run
lists every problem in the file rather than the first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from boundaries.roster.fields import (
    FieldProblem,
    limit,
    parse_date,
    parse_email,
    parse_upn,
    parse_year_group,
    parse_yes_no,
)
from boundaries.roster.presets import Captions, role_from_text
from boundaries.roster.records import (
    ContactIn,
    ContactLinkIn,
    Kind,
    PupilIn,
    PupilRef,
    RawRow,
    RowError,
    StaffIn,
)
from boundaries.store import SchoolRole

T = TypeVar("T")

# Each required value, as the alternatives that can give it.
REQUIRED_COLUMNS: Mapping[Kind, tuple[tuple[str, tuple[str, ...]], ...]] = {
    Kind.PUPILS: (
        ("the pupil's forename", ("legal_forename", "preferred_forename")),
        ("the pupil's surname", ("legal_surname", "preferred_surname")),
        ("the date of birth", ("date_of_birth",)),
    ),
    Kind.STAFF: (
        ("the forename", ("forename", "legal_forename")),
        ("the surname", ("surname", "legal_surname")),
        ("the work e-mail address", ("email",)),
    ),
    Kind.CONTACTS: (
        ("the contact's name", ("surname", "forename")),
        (
            "the pupil (MIS id, UPN or admission number)",
            ("pupil_mis_id", "pupil_upn", "pupil_admission_number"),
        ),
    ),
}


def missing_columns(
    kind: Kind, found: Mapping[str, str], captions: Captions, file: str, header_line: int
) -> list[RowError]:
    """A header error for each required value that no column of the file gives."""
    errors = []
    for what, fields in REQUIRED_COLUMNS[kind]:
        if any(name in found for name in fields):
            continue
        looked = [caption for name in fields for caption in captions.get(name, ())]
        hint = f" (looked for: {', '.join(looked)})" if looked else ""
        errors.append(RowError(file, header_line, None, f"No column gives {what}{hint}."))
    return errors


class _Checker:
    """Reads one row's values, keeping a list of what was wrong with them."""

    def __init__(self, row: RawRow, date_formats: tuple[str, ...]) -> None:
        self.row = row
        self.date_formats = date_formats
        self.errors: list[RowError] = []

    def fail(self, name: str | None, message: str) -> None:
        self.errors.append(self.row.origin.error(self.row.caption(name) if name else None, message))

    def value(
        self, name: str, reader: Callable[[str], T] | None = None, length: int | None = None
    ) -> T | str | None:
        raw = self.row.get(name)
        if raw is None:
            return None
        try:
            if length is not None:
                limit(raw, length)
            return reader(raw) if reader is not None else raw
        except FieldProblem as exc:
            self.fail(name, str(exc))
            return None

    def text(self, name: str, length: int) -> str | None:
        value = self.value(name, None, length)
        return value if isinstance(value, str) else None

    def date(self, name: str) -> date | None:
        value = self.value(name, lambda raw: parse_date(raw, self.date_formats))
        return value if isinstance(value, date) else None

    def first_text(self, names: tuple[str, ...], length: int) -> tuple[str | None, str]:
        """The first of ``names`` with a value, and which one it was."""
        for name in names:
            if self.row.get(name) is not None:
                return self.text(name, length), name
        return None, names[0]


def pupil_from_row(
    row: RawRow, date_formats: tuple[str, ...], today: date
) -> tuple[PupilIn | None, list[RowError]]:
    """The pupil in ``row`` if it is sound, and every problem found in it."""
    c = _Checker(row, date_formats)
    legal_forename, forename_field = c.first_text(("legal_forename", "preferred_forename"), 100)
    preferred = c.text("preferred_forename", 100)
    surname, surname_field = c.first_text(("legal_surname", "preferred_surname"), 100)
    if legal_forename is None and row.get(forename_field) is None:
        c.fail(forename_field, "The forename is missing.")
    if surname is None and row.get(surname_field) is None:
        c.fail(surname_field, "The surname is missing.")
    born = c.date("date_of_birth")
    if born is None and row.get("date_of_birth") is None:
        c.fail("date_of_birth", "The date of birth is missing.")
    elif born is not None and born >= today:
        c.fail("date_of_birth", f"The date of birth {born:%d/%m/%Y} is not in the past.")
    elif born is not None and born.year < today.year - 100:
        c.fail("date_of_birth", f"The date of birth {born:%d/%m/%Y} is too long ago.")
    upn = c.value("upn", parse_upn)
    year = c.value("year_group", parse_year_group)
    admitted = c.date("admission_date")
    left = c.date("leaving_date")
    if admitted and left and left < admitted:
        c.fail("leaving_date", "The leaving date is before the admission date.")
    if born and admitted and admitted < born:
        c.fail("admission_date", "The admission date is before the date of birth.")
    mis_id = c.text("mis_id", 64)
    admission_number = c.text("admission_number", 16)
    if c.errors or legal_forename is None or surname is None or born is None:
        return None, c.errors
    return (
        PupilIn(
            origin=row.origin,
            legal_forename=legal_forename,
            surname=surname,
            # Kept only when it differs: "Olly" beside "Oliver", not "Oliver" twice.
            preferred_forename=preferred if preferred and preferred != legal_forename else None,
            date_of_birth=born,
            upn=upn if isinstance(upn, str) else None,
            mis_id=mis_id,
            admission_number=admission_number,
            year_group=year if isinstance(year, str) else None,
            admission_date=admitted,
            leaving_date=left,
            given=frozenset(row.captions),
            captions=dict(row.captions),
        ),
        [],
    )


def staff_from_row(
    row: RawRow,
    date_formats: tuple[str, ...],
    roles: Mapping[str, SchoolRole],
    default_role: SchoolRole,
) -> tuple[StaffIn | None, list[RowError]]:
    """The member of staff in ``row`` if sound, and every problem found in it."""
    c = _Checker(row, date_formats)
    forename, forename_field = c.first_text(("forename", "legal_forename"), 100)
    surname, surname_field = c.first_text(("surname", "legal_surname"), 100)
    if forename is None and row.get(forename_field) is None:
        c.fail(forename_field, "The forename is missing.")
    if surname is None and row.get(surname_field) is None:
        c.fail(surname_field, "The surname is missing.")
    email = c.value("email", parse_email)
    if row.get("email") is None:
        c.fail("email", "The work e-mail address is missing (it is the person's sign-in).")
    started = c.date("start_date")
    left = c.date("leaving_date")
    if started and left and left < started:
        c.fail("leaving_date", "The leaving date is before the start date.")
    manager = row.get("line_manager")
    if manager is not None and "@" in manager:
        checked = c.value("line_manager", parse_email)
        manager = checked if isinstance(checked, str) else None
    role_text = row.get("role") or row.get("job_title")
    role = role_from_text(role_text, roles, default_role)
    title = c.text("title", 20)
    mis_id = c.text("mis_id", 64)
    staff_code = c.text("staff_code", 16)
    job_title = c.text("job_title", 200)
    if c.errors or forename is None or surname is None or not isinstance(email, str):
        return None, c.errors
    return (
        StaffIn(
            origin=row.origin,
            forename=forename,
            surname=surname,
            email=email,
            role=role,
            title=title,
            mis_id=mis_id,
            staff_code=staff_code,
            job_title=job_title,
            start_date=started,
            leaving_date=left,
            line_manager=manager.lower() if isinstance(manager, str) else None,
            given=frozenset(row.captions),
            captions=dict(row.captions),
        ),
        [],
    )


def contact_link_from_row(
    row: RawRow, date_formats: tuple[str, ...]
) -> tuple[ContactIn | None, list[RowError]]:
    """The contact in ``row`` with its one link to a pupil, and every problem found."""
    c = _Checker(row, date_formats)
    forename = c.text("forename", 100)
    surname = c.text("surname", 100)
    if forename is None and surname is None and not c.errors:
        c.fail("surname", "The contact's name is missing.")
    title = c.text("title", 20)
    email = c.value("email", parse_email)
    relationship = c.text("relationship", 50)
    responsibility = c.value("parental_responsibility", parse_yes_no)
    upn = c.value("pupil_upn", parse_upn)
    pupil = PupilRef(
        mis_id=c.text("pupil_mis_id", 64),
        upn=upn if isinstance(upn, str) else None,
        admission_number=c.text("pupil_admission_number", 16),
    )
    if not (pupil.mis_id or pupil.upn or pupil.admission_number) and not c.errors:
        c.fail("pupil_upn", "The row does not say which pupil the contact belongs to.")
    mis_id = c.text("mis_id", 64)
    if c.errors:
        return None, c.errors
    mail = email if isinstance(email, str) else None
    # Without an id from the MIS, a contact is known by name and e-mail address.
    identity = "|".join(
        [*(forename or "").lower().split(), "/", *(surname or "").lower().split(), mail or ""]
    )
    key = mis_id or "name:" + hashlib.sha256(identity.encode()).hexdigest()[:40]
    return (
        ContactIn(
            origin=row.origin,
            key=key,
            title=title,
            forename=forename,
            surname=surname,
            email=mail,
            links=[
                ContactLinkIn(
                    origin=row.origin,
                    pupil=pupil,
                    relationship=relationship,
                    parental_responsibility=responsibility is True,
                )
            ],
            given=frozenset(row.captions),
        ),
        [],
    )


def _duplicate_errors(
    records: list[PupilIn] | list[StaffIn], field: str, what: str, captions: Mapping[str, str]
) -> list[RowError]:
    """An error on each record whose ``field`` an earlier record of the import already had."""
    seen: dict[str, PupilIn | StaffIn] = {}
    errors = []
    for record in records:
        value = getattr(record, field)
        if value is None:
            continue
        key = value.lower() if isinstance(value, str) else str(value)
        first = seen.get(key)
        if first is None:
            seen[key] = record
            continue
        where = (
            f"{first.origin.unit} {first.origin.row}"
            if first.origin.file == record.origin.file
            else f"{first.origin.file}, {first.origin.unit} {first.origin.row}"
        )
        errors.append(
            record.origin.error(
                captions.get(field, field), f"The {what} {value} is also on {where}."
            )
        )
    return errors


def _captions(rows: list[RawRow]) -> dict[str, str]:
    return dict(rows[0].captions) if rows else {}


def check_pupils(
    rows: list[RawRow], date_formats: tuple[str, ...], today: date
) -> tuple[list[PupilIn], list[RowError]]:
    """Every pupil row checked, then UPNs and MIS ids checked for repeats across the import."""
    errors: list[RowError] = []
    pupils: list[PupilIn] = []
    for row in rows:
        pupil, problems = pupil_from_row(row, date_formats, today)
        errors += problems
        if pupil is not None:
            pupils.append(pupil)
    captions = _captions(rows)
    errors += _duplicate_errors(pupils, "upn", "UPN", captions)
    errors += _duplicate_errors(pupils, "mis_id", "MIS id", captions)
    return pupils, errors


def check_staff(
    rows: list[RawRow],
    date_formats: tuple[str, ...],
    roles: Mapping[str, SchoolRole],
    default_role: SchoolRole,
) -> tuple[list[StaffIn], list[RowError]]:
    """Every staff row checked, then e-mail addresses, MIS ids and staff codes for repeats."""
    errors: list[RowError] = []
    staff: list[StaffIn] = []
    for row in rows:
        member, problems = staff_from_row(row, date_formats, roles, default_role)
        errors += problems
        if member is not None:
            staff.append(member)
    captions = _captions(rows)
    errors += _duplicate_errors(staff, "email", "e-mail address", captions)
    errors += _duplicate_errors(staff, "mis_id", "MIS id", captions)
    errors += _duplicate_errors(staff, "staff_code", "staff code", captions)
    return staff, errors


def check_contacts(
    rows: list[RawRow], date_formats: tuple[str, ...]
) -> tuple[list[ContactIn], list[RowError]]:
    """Every contact row checked; rows of the same contact (one per child) joined into one."""
    errors: list[RowError] = []
    contacts: dict[str, ContactIn] = {}
    for row in rows:
        contact, problems = contact_link_from_row(row, date_formats)
        errors += problems
        if contact is None:
            continue
        known = contacts.get(contact.key)
        if known is None:
            contacts[contact.key] = contact
        else:
            # One row per child: the contact's details come from its first row.
            known.links.extend(contact.links)
    return list(contacts.values()), errors
