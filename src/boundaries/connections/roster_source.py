"""Where the audit's roster comes from: the school's roster in the database, or a CSV file of
pupils (and one of parents) for the command line.

From the database, pupils are those the policy covers (on roll, or left and under 18: 6.8) and
parents those of pupils in scope (6.18); declarations come from the registers. A CSV file may
hold anyone: a pupil who has left and is 18 or over is kept and shown as out of scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.connections.audit import Declared
from boundaries.connections.matching import Roster, RosterParent, RosterPupil
from boundaries.registers.declarations import declared_relationships
from boundaries.roster.csvfiles import CsvTable, CsvUnreadable, locate_columns, read_table
from boundaries.roster.fields import FieldProblem, clean_cell, parse_date
from boundaries.roster.records import InputFile
from boundaries.store import Contact, PupilContact
from boundaries.store.queries import pupils_in_scope

# The captions of SIMS, Arbor and Bromcom reports and of hand-made files, most specific first.
PUPIL_CAPTIONS: dict[str, tuple[str, ...]] = {
    "legal_forename": (
        "Legal Forename",
        "Legal First Name",
        "legal_forename",
        "Forename",
        "First Name",
        "first_name",
        "Given Name",
        "Firstname",
    ),
    "preferred_forename": (
        "Preferred Forename",
        "Preferred First Name",
        "Preferred Name",
        "preferred_name",
        "preferred_forename",
        "Known As",
    ),
    "surname": (
        "Legal Surname",
        "Legal Last Name",
        "legal_surname",
        "Surname",
        "Last Name",
        "last_name",
        "Family Name",
        "Lastname",
        "Preferred Surname",
    ),
    # Used only when there is no forename or no surname column: "Amy Smith" or "Smith, Amy".
    "full_name": ("Full Name", "FullName", "full_name", "Name", "Pupil Name", "Student Name"),
    "date_of_birth": ("DOB", "Date of Birth", "date_of_birth", "Birth Date", "Born"),
    "leaving_date": ("Date of Leaving", "Leaving Date", "leaving_date", "End Date"),
    "year_group": ("Year Group", "Year", "year_group", "NC Year Actual"),
}
PARENT_CAPTIONS: dict[str, tuple[str, ...]] = {
    "forename": (
        "Contact Forename",
        "Contact First Name",
        "Guardian First Name",
        "Forename",
        "First Name",
        "first_name",
        "forename",
    ),
    "surname": (
        "Contact Surname",
        "Contact Last Name",
        "Guardian Last Name",
        "Surname",
        "Last Name",
        "last_name",
        "surname",
    ),
    "children": ("Children", "Child", "Pupil", "Pupils", "Pupil Name", "Student"),
}


class RosterFileError(ValueError):
    """A roster file that cannot be used at all; the message says why."""


@dataclass
class RosterFile:
    """What a roster file gave: the people, and the rows that could not be used."""

    pupils: list[RosterPupil] = field(default_factory=list)
    parents: list[RosterParent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_DATES = {"date_of_birth": "date of birth", "leaving_date": "leaving date"}
_SAY = {
    "legal_forename": "the forename (Forename, Legal Forename or First Name)",
    "surname": "the surname (Surname, Legal Surname or Last Name)",
    "full_name": "a whole name (Name or Full Name)",
    "forename": "the forename (Forename, Contact Forename or First Name)",
}


def _table(
    file: InputFile,
    captions: dict[str, tuple[str, ...]],
    needed: tuple[str, ...],
    instead: str = "",
) -> tuple[CsvTable, dict[str, int]]:
    try:
        table = read_table(file)
    except CsvUnreadable as exc:
        raise RosterFileError(f"{file.name} cannot be read: {exc}") from None
    positions, _found, _twice = locate_columns(table.header, captions)
    missing = [name for name in needed if name not in positions]
    if instead in positions and len(missing) == len(needed):
        # Neither name has a column of its own: the whole name is used instead.
        return table, positions
    if missing:
        wanted = " or ".join(_SAY.get(name, name) for name in missing)
        if instead:
            wanted += f", nor one for {_SAY.get(instead, instead)}"
        raise RosterFileError(f"{file.name} has no column for {wanted}")
    return table, positions


def _cell(cells: list[str], positions: dict[str, int], name: str) -> str | None:
    index = positions.get(name)
    if index is None or index >= len(cells):
        return None
    return clean_cell(cells[index])


def pupils_from_csv(file: InputFile) -> RosterFile:
    """The pupils in a CSV report; rows without both names are left out and named in
    ``problems``. A date that cannot be read is named there too, and the pupil is still checked
    as if it were not given (kept in scope: leaving out a pupil could hide a connection)."""
    table, positions = _table(file, PUPIL_CAPTIONS, ("legal_forename", "surname"), "full_name")
    whole = "legal_forename" not in positions and "surname" not in positions
    result = RosterFile()
    for line, cells in table.rows:
        forename = _cell(cells, positions, "legal_forename")
        surname = _cell(cells, positions, "surname")
        if whole:
            forename, surname = split_full_name(_cell(cells, positions, "full_name") or "")
        if not forename or not surname:
            result.problems.append(f"{file.name}, line {line}: the forename or surname is missing.")
            continue
        dates: dict[str, date | None] = {}
        for name in ("date_of_birth", "leaving_date"):
            raw = _cell(cells, positions, name)
            try:
                dates[name] = parse_date(raw) if raw else None
            except FieldProblem as exc:
                dates[name] = None
                result.problems.append(
                    f"{file.name}, line {line}: {exc} The pupil is still checked, as if the "
                    f"{_DATES[name]} were not given."
                )
        result.pupils.append(
            RosterPupil(
                key=f"line:{line}",
                legal_forename=forename,
                surname=surname,
                preferred_forename=_cell(cells, positions, "preferred_forename"),
                date_of_birth=dates["date_of_birth"],
                leaving_date=dates["leaving_date"],
                year_group=_cell(cells, positions, "year_group"),
            )
        )
    return result


# Words that begin a surname of more than one word: "Rhys ap Dafydd", "Niamh Ní Bhriain".
_SURNAME_STARTS = frozenset(
    {"ap", "ab", "ferch", "verch", "van", "von", "der", "den", "de", "da", "di", "du", "del"}
    | {"della", "dos", "das", "le", "la", "ó", "o", "ní", "nic", "mac", "mc", "bin", "binti"}
    | {"bint", "al", "el", "ibn"}
)


def split_full_name(text: str) -> tuple[str, str]:
    """A whole name as forename and surname: "Smith, Amy Rose" or "Amy Rose Smith" (middle
    names stay with the forename); ("", "") when it has fewer than two words."""
    if "," in text:
        surname, _, forename = text.partition(",")
        return " ".join(forename.split()), " ".join(surname.split())
    words = text.split()
    if len(words) < 2:
        return "", ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_STARTS:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def parents_from_csv(file: InputFile) -> RosterFile:
    """Parents and carers from a CSV file: a forename, a surname and, if given, their children."""
    table, positions = _table(file, PARENT_CAPTIONS, ("forename", "surname"))
    result = RosterFile()
    for line, cells in table.rows:
        forename = _cell(cells, positions, "forename")
        surname = _cell(cells, positions, "surname")
        if not forename or not surname:
            result.problems.append(f"{file.name}, line {line}: the forename or surname is missing.")
            continue
        children = _cell(cells, positions, "children") or ""
        result.parents.append(
            RosterParent(
                key=f"parent-line:{line}",
                forename=forename,
                surname=surname,
                children=tuple(c.strip() for c in children.split(";") if c.strip()),
            )
        )
    return result


# -- the school's roster in the database -----------------------------------------------------------
def school_roster(session: Session, school_id: int, today: date) -> Roster:
    """The pupils in scope and their parents and carers, as the audit reads them."""
    pupils = [
        RosterPupil(
            key=f"pupil:{p.id}",
            legal_forename=p.legal_forename,
            surname=p.surname,
            preferred_forename=p.preferred_forename,
            date_of_birth=p.date_of_birth,
            leaving_date=p.leaving_date,
            year_group=p.year_group,
            pupil_id=p.id,
        )
        for p in pupils_in_scope(session, school_id, today)
        if p.anonymised_at is None
    ]
    children = {p.pupil_id: p for p in pupils if p.pupil_id is not None}
    linked: dict[int, tuple[Contact, list[str]]] = {}
    rows = session.execute(
        select(Contact, PupilContact.pupil_id)
        .join(PupilContact, PupilContact.contact_id == Contact.id)
        .where(Contact.school_id == school_id, Contact.anonymised_at.is_(None))
        .order_by(Contact.surname, Contact.forename, Contact.id)
    )
    for contact, pupil_id in rows:
        child = children.get(pupil_id)
        if child is None or not contact.forename or not contact.surname:
            continue  # only parents of pupils in scope, and only those with a name to match
        linked.setdefault(contact.id, (contact, []))[1].append(child.name)
    parents = [
        RosterParent(
            key=f"contact:{contact.id}",
            forename=contact.forename or "",
            surname=contact.surname or "",
            children=tuple(sorted(set(names))),
            contact_id=contact.id,
        )
        for contact, names in linked.values()
    ]
    return Roster(pupils=pupils, parents=parents)


def declared_by(session: Session, school_id: int, person_id: int) -> Declared:
    """What one member of staff has declared in one school (withdrawn ones left out)."""
    pupil_ids: dict[int, str] = {}
    contact_ids: dict[int, str] = {}
    names: dict[str, str] = {}
    platforms: dict[str, set[str]] = {}
    for relationship in declared_relationships(session, school_id, person_id):
        status = relationship.status.value
        if relationship.pupil_id is not None:
            pupil_ids[relationship.pupil_id] = status
            key = f"pupil:{relationship.pupil_id}"
        elif relationship.contact_id is not None:
            contact_ids[relationship.contact_id] = status
            key = f"contact:{relationship.contact_id}"
        else:
            named = Declared.from_names([relationship.name], status).names
            names.update(named)
            key = f"name:{next(iter(named), '')}"
        platforms.setdefault(key, set()).add(relationship.platform)
    return Declared(
        pupil_ids=pupil_ids,
        contact_ids=contact_ids,
        names=names,
        platforms={key: frozenset(found) for key, found in platforms.items()},
    )


__all__ = [
    "PARENT_CAPTIONS",
    "PUPIL_CAPTIONS",
    "RosterFile",
    "RosterFileError",
    "declared_by",
    "parents_from_csv",
    "pupils_from_csv",
    "school_roster",
    "split_full_name",
]
