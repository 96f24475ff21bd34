"""Importing a roster into one school: check everything, then apply all of it or nothing.

An import is planned in memory against what the store already holds for the school (one query
per table, not one per row), and only a plan without a single problem is applied, with bulk
inserts and updates. Re-importing the same file changes nothing; a changed file updates the
records it matches:

* pupils match on the MIS id, then the UPN, then legal name and date of birth;
* staff match on the MIS id of their staff record, then their e-mail address;
* contacts match on the MIS id (or, without one, name and e-mail), links on contact and pupil.

A *full* import (``full=True``) lists everyone the school has: pupils missing from it are given
today as their leaving date, staff missing from it have left (their accounts are disabled,
never deleted, and their sessions ended), and links from contacts to pupils on roll that it does
not list are removed. A partial import (new starters, a correction) only adds and updates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from boundaries.accounts.sessions import end_all_sessions
from boundaries.roster.formats import ParsedImport, read_files
from boundaries.roster.presets import IMPORTED_ROLES, ColumnMapping
from boundaries.roster.records import (
    ContactIn,
    InputFile,
    Kind,
    Origin,
    PupilIn,
    PupilRef,
    RowError,
    Source,
    StaffIn,
)
from boundaries.roster.retention import RetentionResult, anonymise_past_pupils, years_before
from boundaries.store import (
    Contact,
    Membership,
    Person,
    PersonKind,
    Pupil,
    PupilContact,
    RosterImport,
    School,
    SchoolRole,
    StaffRecord,
    TrustRole,
)
from boundaries.store.models import utc_now

T = TypeVar("T")
# (stage, done, total): for a progress bar; called every few hundred rows.
Progress = Callable[[str, int, int], None]
# Enough to show every problem of a bad file, small enough for the log table.
_MAX_LOGGED_ERRORS = 1000
_CHUNK = 500  # ids per IN (...) list: well inside every database's parameter limit
_TICK = 250


@dataclass
class ImportOptions:
    """What to import and how."""

    kind: Kind
    source: Source
    full: bool = False
    dry_run: bool = False
    mapping: ColumnMapping | None = None
    default_role: SchoolRole = SchoolRole.STAFF_SUPPORT
    today: date | None = None


@dataclass
class ImportResult:
    """What an import found and did (or, for a dry run or with errors, would have done).

    ``left`` counts pupils newly given a leaving date, staff newly treated as leavers, or links
    removed from contacts; ``skipped`` counts past pupils already 18, who are not added.
    """

    kind: Kind
    source: Source
    full: bool
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    skipped: int = 0
    anonymised_pupils: int = 0
    anonymised_contacts: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "source": str(self.source),
            "full": self.full,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "import_id": self.import_id,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "left": self.left,
            "skipped": self.skipped,
            "anonymised": {"pupils": self.anonymised_pupils, "contacts": self.anonymised_contacts},
            "errors": [error.as_dict() for error in self.errors],
            "warnings": list(self.warnings),
        }


@dataclass
class _Plan:
    """The changes an import would make, worked out before anything is written."""

    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    skipped: int = 0
    apply: Callable[[], None] = lambda: None


def chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk INSERT in batches (executemany)."""
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(model), list(rows[start : start + _CHUNK]))


def _update_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key (each dict has ``id``), in batches."""
    for start in range(0, len(rows), _CHUNK):
        session.execute(update(model), list(rows[start : start + _CHUNK]))


def files_digest(files: Sequence[InputFile]) -> str:
    """The SHA-256 of the file, or of the files' digests in order when there are several."""
    if len(files) == 1:
        return hashlib.sha256(files[0].data).hexdigest()
    outer = hashlib.sha256()
    for file in files:
        outer.update(hashlib.sha256(file.data).digest())
    return outer.hexdigest()


def _ticker(progress: Progress | None, stage: str, total: int) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress is not None and (done % _TICK == 0 or done == total):
            progress(stage, done, total)

    return tick


def import_roster(
    session: Session,
    school: School,
    files: Sequence[InputFile],
    options: ImportOptions,
    *,
    imported_by_id: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check and (unless it is a dry run or anything is wrong) apply one import.

    Everything is written in the caller's transaction; the caller commits. An import with
    errors writes nothing but its line in the import log (a dry run not even that). Raises
    ``MappingError`` when the mapping file cannot serve this kind of file.
    """
    today = options.today or date.today()
    result = ImportResult(options.kind, options.source, options.full, options.dry_run)
    if progress is not None:
        progress("Reading", 0, len(files))
    parsed = read_files(
        files,
        options.kind,
        options.source,
        mapping=options.mapping,
        default_role=options.default_role,
        today=today,
    )
    result.rows = parsed.rows
    result.errors = list(parsed.errors)
    if options.full and parsed.rows == 0 and not result.errors:
        result.errors.append(
            RowError(
                files[0].name if files else "(no file)",
                1,
                None,
                "The file lists nobody: as a full import it would mark everyone as having left.",
            )
        )
    if not result.errors:
        planner = {
            Kind.PUPILS: _plan_pupils,
            Kind.STAFF: _plan_staff,
            Kind.CONTACTS: _plan_contacts,
        }
        plan = planner[options.kind](session, school.id, parsed, options, today, progress)
        result.errors += plan.errors
        result.warnings += plan.warnings
        result.created, result.updated, result.unchanged = (
            plan.created,
            plan.updated,
            plan.unchanged,
        )
        result.left, result.skipped = plan.left, plan.skipped
        if not plan.errors and not options.dry_run:
            if progress is not None:
                progress("Saving", 0, 1)
            plan.apply()
            retention = anonymise_past_pupils(session, school.id, today)
            result.anonymised_pupils = retention.pupils
            result.anonymised_contacts = retention.contacts
            result.applied = True
            if progress is not None:
                progress("Saving", 1, 1)
    result.errors.sort(key=lambda e: (e.file, e.row))
    if not options.dry_run:
        result.import_id = _log(session, school.id, files, result, imported_by_id)
    return result


def _log(
    session: Session,
    school_id: int,
    files: Sequence[InputFile],
    result: ImportResult,
    imported_by_id: int | None,
) -> int:
    errors = [error.as_dict() for error in result.errors[:_MAX_LOGGED_ERRORS]]
    record = RosterImport(
        school_id=school_id,
        kind=str(result.kind),
        source=str(result.source),
        file_sha256=files_digest(files),
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        left=result.left,
        applied=result.applied,
        errors_json=json.dumps(
            {"errors": errors, "total": len(result.errors), "warnings": result.warnings}
        )
        if errors or result.warnings
        else None,
        imported_by_id=imported_by_id,
    )
    session.add(record)
    session.flush()
    return record.id


# -- pupils -------------------------------------------------------------------------------------
_PUPIL_COLUMNS = (
    "legal_forename",
    "preferred_forename",
    "surname",
    "date_of_birth",
    "upn",
    "mis_id",
    "admission_number",
    "year_group",
    "admission_date",
    "leaving_date",
)
# Which columns of the file give each of the pupil's stored values.
_PUPIL_GIVEN_BY = {
    "legal_forename": ("legal_forename", "preferred_forename"),
    "preferred_forename": ("preferred_forename",),
    "surname": ("legal_surname", "preferred_surname"),
    "date_of_birth": ("date_of_birth",),
    "upn": ("upn",),
    "mis_id": ("mis_id",),
    "admission_number": ("admission_number",),
    "year_group": ("year_group",),
    "admission_date": ("admission_date",),
    "leaving_date": ("leaving_date",),
}
# Identifiers are how later imports find the pupil: an empty cell never clears one.
_KEPT_WHEN_EMPTY = frozenset({"upn", "mis_id", "admission_number"})


def _name_key(forename: str, surname: str, born: date | None) -> tuple[str, str, date | None]:
    return (" ".join(forename.lower().split()), " ".join(surname.lower().split()), born)


def _pupil_values(pupil: PupilIn, existing: dict[str, Any] | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in _PUPIL_COLUMNS:
        given = any(name in pupil.given for name in _PUPIL_GIVEN_BY[column])
        value = getattr(pupil, column)
        if existing is not None and (not given or (value is None and column in _KEPT_WHEN_EMPTY)):
            value = existing[column]
        values[column] = value
    return values


def _plan_pupils(
    session: Session,
    school_id: int,
    parsed: ParsedImport,
    options: ImportOptions,
    today: date,
    progress: Progress | None,
) -> _Plan:
    plan = _Plan()
    existing: dict[int, dict[str, Any]] = {}
    by_mis: dict[str, int] = {}
    by_upn: dict[str, int] = {}
    by_name: dict[tuple[str, str, date | None], list[int]] = {}
    columns = [getattr(Pupil, c) for c in ("id", *_PUPIL_COLUMNS)]
    for row in session.execute(
        select(*columns).where(Pupil.school_id == school_id, Pupil.anonymised_at.is_(None))
    ).mappings():
        values = dict(row)
        existing[values["id"]] = values
        if values["mis_id"]:
            by_mis[values["mis_id"]] = values["id"]
        if values["upn"]:
            by_upn[values["upn"]] = values["id"]
        key = _name_key(values["legal_forename"], values["surname"], values["date_of_birth"])
        by_name.setdefault(key, []).append(values["id"])

    adult_if_born_by = years_before(today, 18)
    claimed: dict[int, PupilIn] = {}
    inserts: list[tuple[PupilIn, dict[str, Any]]] = []
    updates: list[tuple[PupilIn, int, dict[str, Any]]] = []
    now = utc_now()
    tick = _ticker(progress, "Checking pupils", len(parsed.pupils))
    current_in_file = False
    for done, pupil in enumerate(parsed.pupils, start=1):
        tick(done)
        if pupil.leaving_date is None or pupil.leaving_date >= today:
            current_in_file = True
        match = _match_pupil(pupil, by_mis, by_upn, by_name, existing, claimed, plan)
        if match == -1:
            continue
        if match is None:
            if (
                pupil.leaving_date is not None
                and pupil.leaving_date < today
                and pupil.date_of_birth <= adult_if_born_by
            ):
                plan.skipped += 1  # a past pupil already 18: nothing to keep (6.8)
                continue
            inserts.append((pupil, _pupil_values(pupil, None)))
            continue
        claimed[match] = pupil
        before = existing[match]
        after = _pupil_values(pupil, before)
        changed = {k: v for k, v in after.items() if v != before[k]}
        if not changed:
            plan.unchanged += 1
            continue
        if before["leaving_date"] is None and after["leaving_date"] is not None:
            plan.left += 1
        if "upn" in changed or "mis_id" in changed:
            # Both identifiers are written again after being cleared (see apply): two pupils
            # swapping UPNs must not meet each other half-way through the update.
            changed["upn"], changed["mis_id"] = after["upn"], after["mis_id"]
        updates.append((pupil, match, changed))

    leavers: list[int] = []
    if options.full:
        if not current_in_file and parsed.pupils:
            plan.errors.append(
                parsed.pupils[0].origin.error(
                    None,
                    "Every pupil in these files has left: a full import must list the pupils "
                    "on roll (give the students pages together with the leavers).",
                )
            )
        leavers = [
            pupil_id
            for pupil_id, values in existing.items()
            if pupil_id not in claimed and values["leaving_date"] is None
        ]
        plan.left += len(leavers)

    plan.errors += _pupil_clashes(existing, claimed, inserts, updates)
    plan.created, plan.updated = len(inserts), len(updates)

    def apply() -> None:
        movers = [pupil_id for _, pupil_id, changed in updates if "upn" in changed]
        for start in range(0, len(movers), _CHUNK):
            session.execute(
                update(Pupil)
                .where(Pupil.id.in_(movers[start : start + _CHUNK]))
                .values(upn=None, mis_id=None)
            )
        _insert_rows(
            session,
            Pupil,
            [
                {"school_id": school_id, "created_at": now, "updated_at": now, **values}
                for _, values in inserts
            ],
        )
        _update_rows(
            session,
            Pupil,
            [{"id": pupil_id, "updated_at": now, **changed} for _, pupil_id, changed in updates],
        )
        for start in range(0, len(leavers), _CHUNK):
            session.execute(
                update(Pupil)
                .where(Pupil.id.in_(leavers[start : start + _CHUNK]))
                .values(leaving_date=today, updated_at=now)
            )

    plan.apply = apply
    return plan


def _match_pupil(
    pupil: PupilIn,
    by_mis: dict[str, int],
    by_upn: dict[str, int],
    by_name: dict[tuple[str, str, date | None], list[int]],
    existing: dict[int, dict[str, Any]],
    claimed: dict[int, PupilIn],
    plan: _Plan,
) -> int | None:
    """The id of the pupil on the roster that ``pupil`` is, ``None`` for a new pupil, or -1
    when the row cannot be placed (an error has been added)."""
    match: int | None = None
    if pupil.mis_id is not None:
        match = by_mis.get(pupil.mis_id)
    if match is None and pupil.upn is not None:
        match = by_upn.get(pupil.upn)
        if match is not None and not _same_pupil(pupil, existing[match]):
            # A UPN is the pupil's for life, but a typed one can be wrong: a record with another
            # MIS id, name and birth date is someone else, not to be renamed.
            other = existing[match]
            plan.errors.append(
                pupil.origin.error(
                    pupil.captions.get("upn", "UPN"),
                    f"The UPN {pupil.upn} belongs to {other['legal_forename']} "
                    f"{other['surname']} on the roster, whose MIS id, name and date of birth "
                    "are all different.",
                )
            )
            return -1
    if match is None:
        # Name and birth date, for pupils without a UPN (nursery) or after a change of MIS; a
        # pupil with a different UPN is someone else who shares the name and birthday.
        key = _name_key(pupil.legal_forename, pupil.surname, pupil.date_of_birth)
        candidates = [
            pupil_id
            for pupil_id in by_name.get(key, [])
            if pupil_id not in claimed
            and (pupil.upn is None or existing[pupil_id]["upn"] in (None, pupil.upn))
        ]
        if len(candidates) > 1:
            plan.errors.append(
                pupil.origin.error(
                    None,
                    f"{pupil.legal_forename} {pupil.surname} ({pupil.date_of_birth:%d/%m/%Y}) "
                    "matches more than one pupil on the roster; give the UPN or MIS id.",
                )
            )
            return -1
        match = candidates[0] if candidates else None
    if match is not None and match in claimed:
        first = claimed[match].origin
        where = (
            f"{first.unit} {first.row}"
            if first.file == pupil.origin.file
            else f"{first.file}, {first.unit} {first.row}"
        )
        plan.errors.append(
            pupil.origin.error(None, f"This row and {where} are the same pupil on the roster.")
        )
        return -1
    return match


def _same_pupil(pupil: PupilIn, existing: dict[str, Any]) -> bool:
    """Whether a row found by UPN can be the pupil on the roster: same MIS id (or none to
    compare), same legal name, or same birth date."""
    if existing["mis_id"] is None or pupil.mis_id is None or existing["mis_id"] == pupil.mis_id:
        return True
    if existing["date_of_birth"] == pupil.date_of_birth:
        return True
    return _name_key(pupil.legal_forename, pupil.surname, None) == _name_key(
        existing["legal_forename"], existing["surname"], None
    )


def _pupil_clashes(
    existing: dict[int, dict[str, Any]],
    claimed: dict[int, PupilIn],
    inserts: list[tuple[PupilIn, dict[str, Any]]],
    updates: list[tuple[PupilIn, int, dict[str, Any]]],
) -> list[RowError]:
    """A UPN or MIS id that would end up on two pupils: the row that brings it is in error."""
    errors: list[RowError] = []
    updated = {pupil_id: changed for _, pupil_id, changed in updates}
    for column, label in (("upn", "UPN"), ("mis_id", "MIS id")):
        owners: dict[str, set[int]] = {}
        for pupil_id, values in existing.items():
            value = updated.get(pupil_id, {}).get(column, values[column])
            if value is not None:
                owners.setdefault(value, set()).add(pupil_id)
        incoming: list[tuple[PupilIn, int | None, Any]] = [
            (p, None, v[column]) for p, v in inserts
        ] + [(p, pupil_id, c[column]) for p, pupil_id, c in updates if column in c]
        for pupil, target, value in incoming:
            if value is None:
                continue
            others = owners.get(value, set()) - {target}
            if others:
                owner = min(others)
                name = existing[owner]
                errors.append(
                    pupil.origin.error(
                        pupil.captions.get(column, label),
                        f"The {label} {value} belongs to another pupil on the roster "
                        f"({name['legal_forename']} {name['surname']}), who is not in this "
                        "file with a different one.",
                    )
                )
    return errors


# -- staff --------------------------------------------------------------------------------------
_STAFF_COLUMNS = ("mis_id", "staff_code", "job_title", "start_date", "leaving_date")
_STAFF_GIVEN_BY = {
    "mis_id": ("mis_id",),
    "staff_code": ("staff_code",),
    "job_title": ("job_title",),
    "start_date": ("start_date",),
    "leaving_date": ("leaving_date",),
}


@dataclass
class _StaffRow:
    """One staff row's place in the plan."""

    member: StaffIn
    person_id: int | None  # None: a new person
    record_id: int | None  # None: a new staff record
    person_changes: dict[str, Any] = field(default_factory=dict)
    record_changes: dict[str, Any] = field(default_factory=dict)
    add_roles: set[SchoolRole] = field(default_factory=set)
    drop_roles: set[SchoolRole] = field(default_factory=set)
    manager: _StaffRow | int | None = None  # a row of this import, or a person id
    leaves: bool = False


def _in_chunks_select(
    session: Session, statement: Callable[[Sequence[Any]], Any], values: Sequence[Any]
) -> list[Any]:
    rows: list[Any] = []
    for batch in chunks(values):
        rows += list(session.execute(statement(batch)))
    return rows


def _plan_staff(
    session: Session,
    school_id: int,
    parsed: ParsedImport,
    options: ImportOptions,
    today: date,
    progress: Progress | None,
) -> _Plan:
    plan = _Plan()
    records: dict[int, dict[str, Any]] = {}
    record_by_mis: dict[str, int] = {}
    record_by_person: dict[int, int] = {}
    for row in session.execute(
        select(
            StaffRecord.id,
            StaffRecord.person_id,
            StaffRecord.mis_id,
            StaffRecord.staff_code,
            StaffRecord.job_title,
            StaffRecord.start_date,
            StaffRecord.leaving_date,
            StaffRecord.line_manager_id,
            Person.email,
            Person.name,
            Person.disabled_at,
        )
        .join(Person, Person.id == StaffRecord.person_id)
        .where(StaffRecord.school_id == school_id)
    ).mappings():
        values = dict(row)
        records[values["id"]] = values
        record_by_person[values["person_id"]] = values["id"]
        if values["mis_id"]:
            record_by_mis[values["mis_id"]] = values["id"]
    emails = sorted(
        {m.email for m in parsed.staff}
        | {m.line_manager for m in parsed.staff if m.line_manager and "@" in m.line_manager}
    )
    people: dict[str, dict[str, Any]] = {
        row.email: dict(row._mapping)
        for row in _in_chunks_select(
            session,
            lambda batch: select(Person.id, Person.email, Person.name, Person.disabled_at).where(
                Person.email.in_(batch)
            ),
            emails,
        )
    }
    roles_here: dict[int, set[SchoolRole]] = {}
    for person_id, role in session.execute(
        select(Membership.person_id, Membership.role).where(Membership.school_id == school_id)
    ):
        roles_here.setdefault(person_id, set()).add(role)

    rows: list[_StaffRow] = []
    claimed: dict[int, StaffIn] = {}  # staff record or person id (negative) -> row
    tick = _ticker(progress, "Checking staff", len(parsed.staff))
    for done, member in enumerate(parsed.staff, start=1):
        tick(done)
        placed = _place_staff(member, records, record_by_mis, record_by_person, people, plan)
        if placed is None:
            continue
        if placed.record_id is None and member.leaving_date and member.leaving_date < today:
            plan.skipped += 1  # someone who left before they were ever imported: nothing to do
            continue
        key = placed.record_id if placed.record_id is not None else -(placed.person_id or 0)
        if key and key in claimed:
            other = claimed[key].origin
            plan.errors.append(
                member.origin.error(
                    None, f"This row and {other.unit} {other.row} are the same member of staff."
                )
            )
            continue
        if key:
            claimed[key] = member
        _staff_changes(placed, records, people, roles_here, today)
        rows.append(placed)

    _resolve_managers(rows, records, people, plan)
    for placed in rows:
        if placed.manager is not None and placed.record_id is not None:
            target = placed.manager if isinstance(placed.manager, int) else placed.manager.person_id
            if target is None or target != records[placed.record_id]["line_manager_id"]:
                placed.record_changes["line_manager_id"] = target

    # Leavers: missing from a full import, or with a leaving date that has passed.
    matched = {placed.record_id for placed in rows if placed.record_id is not None}
    absent = [
        record_id
        for record_id, values in records.items()
        if options.full and record_id not in matched and values["leaving_date"] is None
    ]
    passed = [
        record_id
        for record_id, values in records.items()
        if record_id not in matched
        and values["leaving_date"] is not None
        and values["leaving_date"] < today
        and not _handled(values, roles_here)
    ]
    leaving_people = [records[r]["person_id"] for r in absent + passed] + [
        placed.person_id for placed in rows if placed.leaves and placed.person_id is not None
    ]
    still_working = _working_elsewhere(session, school_id, leaving_people, today)
    disable = [p for p in leaving_people if p not in still_working]
    drop_here = [p for p in leaving_people if p in still_working]
    plan.left = len(absent) + len(passed) + sum(1 for placed in rows if placed.leaves)
    for placed in rows:
        if placed.record_id is None:
            plan.created += 1
        elif (
            placed.person_changes
            or placed.record_changes
            or placed.add_roles
            or placed.drop_roles
            or placed.leaves
        ):
            plan.updated += 1
        else:
            plan.unchanged += 1
        if placed.person_id is not None and placed.member.email != _email_of(placed, records):
            plan.warnings.append(
                f"{placed.member.origin.file}, {placed.member.origin.unit} "
                f"{placed.member.origin.row}: the MIS gives {placed.member.email} but the "
                f"account signs in as {_email_of(placed, records)}; the account is unchanged."
            )
        current = placed.member.leaving_date is None or placed.member.leaving_date >= today
        if current and placed.person_id is not None and _disabled(placed, records, people):
            plan.warnings.append(
                f"{placed.member.name}'s account is disabled and stays so; enable it by hand "
                "if they have returned."
            )
    now = utc_now()

    def apply() -> None:
        new_people = [placed for placed in rows if placed.person_id is None]
        for batch in chunks(new_people):
            created = session.execute(
                insert(Person).returning(Person.id, Person.email),
                [
                    {
                        "name": placed.member.name,
                        "email": placed.member.email,
                        "kind": PersonKind.STAFF,
                        "created_at": now,
                    }
                    for placed in batch
                ],
            ).all()
            ids = {email: person_id for person_id, email in created}
            for placed in batch:
                placed.person_id = ids[placed.member.email]
        person_updates = [
            {"id": placed.person_id, **placed.person_changes}
            for placed in rows
            if placed.person_changes
        ]
        _update_rows(session, Person, person_updates)

        def manager_id(placed: _StaffRow) -> int | None:
            if isinstance(placed.manager, _StaffRow):
                return placed.manager.person_id
            return placed.manager

        new_records = [
            {
                "school_id": school_id,
                "person_id": placed.person_id,
                "created_at": now,
                "updated_at": now,
                "line_manager_id": manager_id(placed),
                **{column: getattr(placed.member, column) for column in _STAFF_COLUMNS},
            }
            for placed in rows
            if placed.record_id is None
        ]
        _insert_rows(session, StaffRecord, new_records)
        record_updates: list[dict[str, Any]] = []
        for placed in rows:
            if placed.record_id is None or not placed.record_changes:
                continue
            changes = dict(placed.record_changes)
            if "line_manager_id" in changes:
                changes["line_manager_id"] = manager_id(placed)
            record_updates.append({"id": placed.record_id, "updated_at": now, **changes})
        _update_rows(session, StaffRecord, record_updates)
        memberships = [
            {"person_id": placed.person_id, "school_id": school_id, "role": role, "created_at": now}
            for placed in rows
            for role in sorted(placed.add_roles)
        ]
        _insert_rows(session, Membership, memberships)
        for placed in rows:
            if placed.drop_roles:
                session.execute(
                    delete(Membership).where(
                        Membership.person_id == placed.person_id,
                        Membership.school_id == school_id,
                        Membership.role.in_(sorted(placed.drop_roles)),
                    )
                )
        for ids_batch in chunks(absent):
            session.execute(
                update(StaffRecord)
                .where(StaffRecord.id.in_(ids_batch), StaffRecord.leaving_date.is_(None))
                .values(leaving_date=today, updated_at=now)
            )
        _leave(session, school_id, disable, drop_here, now)

    plan.apply = apply
    return plan


def _email_of(placed: _StaffRow, records: dict[int, dict[str, Any]]) -> str:
    if placed.record_id is not None:
        return str(records[placed.record_id]["email"])
    return placed.member.email


def _disabled(
    placed: _StaffRow, records: dict[int, dict[str, Any]], people: dict[str, dict[str, Any]]
) -> bool:
    if placed.record_id is not None:
        return records[placed.record_id]["disabled_at"] is not None
    found = people.get(placed.member.email)
    return found is not None and found["disabled_at"] is not None


def _place_staff(
    member: StaffIn,
    records: dict[int, dict[str, Any]],
    record_by_mis: dict[str, int],
    record_by_person: dict[int, int],
    people: dict[str, dict[str, Any]],
    plan: _Plan,
) -> _StaffRow | None:
    """Find who ``member`` is: their staff record here by MIS id, else a person by e-mail."""
    record_id = record_by_mis.get(member.mis_id) if member.mis_id else None
    if record_id is not None:
        person_id = int(records[record_id]["person_id"])
        owner = people.get(member.email)
        if owner is not None and owner["id"] != person_id:
            plan.errors.append(
                member.origin.error(
                    member.captions.get("email", "email"),
                    f"The e-mail address {member.email} belongs to {owner['name']}, but the MIS "
                    f"id {member.mis_id} is {records[record_id]['name']}'s.",
                )
            )
            return None
        return _StaffRow(member, person_id, record_id)
    person = people.get(member.email)
    if person is None:
        return _StaffRow(member, None, None)
    person_id = int(person["id"])
    return _StaffRow(member, person_id, record_by_person.get(person_id))


def _staff_changes(
    placed: _StaffRow,
    records: dict[int, dict[str, Any]],
    people: dict[str, dict[str, Any]],
    roles_here: dict[int, set[SchoolRole]],
    today: date,
) -> None:
    member = placed.member
    if placed.person_id is not None:
        before = people.get(member.email) or (
            records[placed.record_id] if placed.record_id is not None else None
        )
        if before is not None and before["name"] != member.name:
            placed.person_changes["name"] = member.name
    if placed.record_id is not None:
        record = records[placed.record_id]
        for column in _STAFF_COLUMNS:
            if not any(name in member.given for name in _STAFF_GIVEN_BY[column]):
                continue
            value = getattr(member, column)
            if value is None and column in ("mis_id", "staff_code"):
                continue  # identifiers are never cleared by an empty cell
            if value != record[column]:
                placed.record_changes[column] = value
    if member.leaving_date is not None and member.leaving_date < today:
        # A leaver gains no roles; whether they still need leaving is decided once.
        assert placed.record_id is not None  # leavers never imported before are skipped
        placed.leaves = not _handled(records[placed.record_id], roles_here)
        return
    held = roles_here.get(placed.person_id or 0, set())
    if member.role not in held:
        placed.add_roles.add(member.role)
    placed.drop_roles = (held & IMPORTED_ROLES) - {member.role}


def _handled(record: dict[str, Any], roles_here: dict[int, set[SchoolRole]]) -> bool:
    """Whether a leaver has already been dealt with: account disabled, or (still working
    elsewhere) no imported role left here."""
    if record["disabled_at"] is not None:
        return True
    return not (roles_here.get(record["person_id"], set()) & IMPORTED_ROLES)


def _resolve_managers(
    rows: list[_StaffRow],
    records: dict[int, dict[str, Any]],
    people: dict[str, dict[str, Any]],
    plan: _Plan,
) -> None:
    """Each row's line manager, by e-mail address or staff code, among this file's rows, the
    school's staff records and (by e-mail) anyone known."""
    by_email: dict[str, _StaffRow | int] = {}
    by_code: dict[str, _StaffRow | int] = {}
    for values in records.values():
        by_email[values["email"]] = values["person_id"]
        for code in (values["staff_code"], values["mis_id"]):
            if code:
                by_code[code.lower()] = values["person_id"]
    for email, person in people.items():
        by_email.setdefault(email, person["id"])
    for placed in rows:
        by_email[placed.member.email] = placed
        for code in (placed.member.staff_code, placed.member.mis_id):
            if code:
                by_code[code.lower()] = placed
    for placed in rows:
        wanted = placed.member.line_manager
        if "line_manager" not in placed.member.given:
            continue
        if wanted is None:
            if placed.record_id is not None and records[placed.record_id]["line_manager_id"]:
                placed.record_changes["line_manager_id"] = None
            continue
        target = by_email.get(wanted) if "@" in wanted else by_code.get(wanted)
        what = "e-mail address" if "@" in wanted else "staff code"
        if target is None:
            plan.errors.append(
                placed.member.origin.error(
                    placed.member.captions.get("line_manager", "line_manager"),
                    f"No member of staff has the {what} {wanted}, given as the line manager.",
                )
            )
            continue
        if target is placed or (placed.person_id is not None and target == placed.person_id):
            plan.errors.append(
                placed.member.origin.error(
                    placed.member.captions.get("line_manager", "line_manager"),
                    "Nobody is their own line manager.",
                )
            )
            continue
        placed.manager = target


def _working_elsewhere(
    session: Session, school_id: int, person_ids: Iterable[int], today: date
) -> set[int]:
    """Of these people, those still working for another school or holding a trust role: their
    accounts stay open, and only their roles here go."""
    ids = sorted(set(person_ids))
    working: set[int] = set()
    for batch in chunks(ids):
        working |= set(
            session.scalars(
                select(StaffRecord.person_id).where(
                    StaffRecord.person_id.in_(batch),
                    StaffRecord.school_id != school_id,
                    (StaffRecord.leaving_date.is_(None)) | (StaffRecord.leaving_date >= today),
                )
            )
        )
        working |= set(
            session.scalars(
                select(Membership.person_id).where(
                    Membership.person_id.in_(batch), Membership.school_id != school_id
                )
            )
        )
        working |= set(
            session.scalars(select(TrustRole.person_id).where(TrustRole.person_id.in_(batch)))
        )
    return working


def _leave(
    session: Session, school_id: int, disable: list[int], drop_here: list[int], now: datetime
) -> None:
    """Disable leavers' accounts (never delete them) and end their sessions; for people still
    working elsewhere, remove only the roles an import gives in this school."""
    for batch in chunks(sorted(set(disable))):
        session.execute(
            update(Person)
            .where(Person.id.in_(batch), Person.disabled_at.is_(None))
            .values(disabled_at=now)
        )
        for person_id in batch:
            end_all_sessions(session, person_id)
    for batch in chunks(sorted(set(drop_here))):
        session.execute(
            delete(Membership).where(
                Membership.person_id.in_(batch),
                Membership.school_id == school_id,
                Membership.role.in_(sorted(IMPORTED_ROLES)),
            )
        )


# -- contacts -----------------------------------------------------------------------------------
_CONTACT_COLUMNS = ("title", "forename", "surname", "email")


def _plan_contacts(
    session: Session,
    school_id: int,
    parsed: ParsedImport,
    options: ImportOptions,
    today: date,
    progress: Progress | None,
) -> _Plan:
    plan = _Plan()
    pupil_by: dict[str, dict[str, int]] = {"mis_id": {}, "upn": {}, "admission_number": {}}
    on_roll: set[int] = set()
    for pupil_row in session.execute(
        select(Pupil.id, Pupil.mis_id, Pupil.upn, Pupil.admission_number, Pupil.leaving_date).where(
            Pupil.school_id == school_id, Pupil.anonymised_at.is_(None)
        )
    ):
        for column in pupil_by:
            value = getattr(pupil_row, column)
            if value:
                pupil_by[column][value] = pupil_row.id
        if pupil_row.leaving_date is None or pupil_row.leaving_date >= today:
            on_roll.add(pupil_row.id)
    contacts: dict[str, dict[str, Any]] = {}
    for row in session.execute(
        select(Contact.id, Contact.mis_id, *[getattr(Contact, c) for c in _CONTACT_COLUMNS]).where(
            Contact.school_id == school_id, Contact.anonymised_at.is_(None)
        )
    ).mappings():
        if row["mis_id"]:
            contacts[row["mis_id"]] = dict(row)
    links: dict[tuple[int, int], dict[str, Any]] = {}
    for row in session.execute(
        select(
            PupilContact.id,
            PupilContact.pupil_id,
            PupilContact.contact_id,
            PupilContact.relationship,
            PupilContact.parental_responsibility,
        )
        .join(Contact, Contact.id == PupilContact.contact_id)
        .where(Contact.school_id == school_id)
    ).mappings():
        links[(row["pupil_id"], row["contact_id"])] = dict(row)

    def find_pupil(ref: PupilRef) -> int | None:
        for column, value in (
            ("mis_id", ref.mis_id),
            ("upn", ref.upn),
            ("admission_number", ref.admission_number),
        ):
            if value and value in pupil_by[column]:
                return pupil_by[column][value]
        return None

    new_contacts: list[tuple[ContactIn, dict[str, Any], dict[int, Any]]] = []
    contact_updates: list[dict[str, Any]] = []
    link_inserts: list[dict[str, Any]] = []
    link_updates: list[dict[str, Any]] = []
    seen_links: set[tuple[int, int]] = set()
    unplaced: list[Origin] = []
    tick = _ticker(progress, "Checking contacts", len(parsed.contacts))
    for done, contact in enumerate(parsed.contacts, start=1):
        tick(done)
        wanted: dict[int, Any] = {}
        for link in contact.links:
            pupil_id = find_pupil(link.pupil)
            if pupil_id is None:
                # A past pupil already anonymised or never kept (6.8), or one not imported
                # yet: the contact is not needed for them.
                unplaced.append(link.origin)
                plan.warnings.append(
                    f"{link.origin.file}, {link.origin.unit} {link.origin.row}: no pupil on the "
                    f"roster has the {link.pupil.describe()}; this link is left out."
                )
                continue
            wanted[pupil_id] = link
        values = {column: getattr(contact, column) for column in _CONTACT_COLUMNS}
        before = contacts.get(contact.key)
        if not wanted and before is None:
            plan.skipped += 1
            continue
        if before is None:
            new_contacts.append((contact, values, wanted))
            plan.created += 1
            continue
        changes = {
            column: value
            for column, value in values.items()
            if column in contact.given and value != before[column]
        }
        changed = bool(changes)
        for pupil_id, link in wanted.items():
            seen_links.add((pupil_id, before["id"]))
            current = links.get((pupil_id, before["id"]))
            link_values = {
                "relationship": link.relationship,
                "parental_responsibility": link.parental_responsibility,
            }
            if current is None:
                link_inserts.append(
                    {"pupil_id": pupil_id, "contact_id": before["id"], **link_values}
                )
                changed = True
            elif any(current[k] != v for k, v in link_values.items()):
                link_updates.append({"id": current["id"], **link_values})
                changed = True
        if changed:
            # A new or changed link stamps the contact too, so that caches keyed on the
            # latest change see it.
            contact_updates.append({"id": before["id"], **changes})
            plan.updated += 1
        else:
            plan.unchanged += 1
    placed_links = sum(len(contact.links) for contact in parsed.contacts) - len(unplaced)
    if unplaced and placed_links == 0:
        plan.errors.append(
            unplaced[0].error(
                None,
                "None of the pupils in this file is on the roster: import the pupils first.",
            )
        )
    removed: list[int] = []
    if options.full:
        removed = [
            values["id"]
            for key, values in links.items()
            if key not in seen_links and key[0] in on_roll
        ]
        plan.left = len(removed)
    now = utc_now()

    def apply() -> None:
        for contacts_batch in chunks(new_contacts):
            created = session.execute(
                insert(Contact).returning(Contact.id, Contact.mis_id),
                [
                    {
                        "school_id": school_id,
                        "mis_id": contact.key,
                        "created_at": now,
                        "updated_at": now,
                        **values,
                    }
                    for contact, values, _ in contacts_batch
                ],
            ).all()
            ids = {mis_id: contact_id for contact_id, mis_id in created}
            for contact, _, wanted in contacts_batch:
                link_inserts.extend(
                    {
                        "pupil_id": pupil_id,
                        "contact_id": ids[contact.key],
                        "relationship": link.relationship,
                        "parental_responsibility": link.parental_responsibility,
                    }
                    for pupil_id, link in wanted.items()
                )
        _update_rows(session, Contact, [{**row, "updated_at": now} for row in contact_updates])
        _insert_rows(session, PupilContact, link_inserts)
        _update_rows(session, PupilContact, link_updates)
        for ids_batch in chunks(removed):
            session.execute(delete(PupilContact).where(PupilContact.id.in_(ids_batch)))

    plan.apply = apply
    return plan


__all__ = [
    "ImportOptions",
    "ImportResult",
    "Progress",
    "RetentionResult",
    "files_digest",
    "import_roster",
]
